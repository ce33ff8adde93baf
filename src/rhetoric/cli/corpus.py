"""Subcommands ``rhetoric corpus`` and ``rhetoric validate``."""

from __future__ import annotations

import sys

from .options import load, subcommand
from .output import emit, safe_for_terminal

PROBLEM_COLUMNS = ["file", "line", "field", "message", "severity"]


def register(subparsers, parent) -> None:
    p = subcommand(subparsers, parent, "corpus", run_corpus, "list the documents of a corpus")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--cleaning", action="store_true", help="list how often each cleaning rule fired instead")
    what.add_argument("--rules", action="store_true", help="list the cleaning rules instead")
    p.add_argument("--one-version", action="store_true",
                   help="only the documents that count (one version of a translated text, see --prefer)")
    p.add_argument("--prefer", default="official", metavar="VERSION",
                   help="with --one-version: the version that counts (default official)")
    p.add_argument("--parts", default="main", choices=["main", "all"],
                   help="main (default): each document's own text; all: also each part a cleaning rule marks "
                        "(a news agency's wrapper) as a row <doc_id>#<part>")
    p = subcommand(subparsers, parent, "validate", run_validate,
                   "check a corpus folder; one line per problem, non-zero exit if any")


def run_corpus(args) -> int:
    """List the documents of a corpus (doc_id, date, year, n_tokens, author, title, translation_group, translation,
    part, sha256): every version of a translated text, unless --one-version; with --parts all, also each part a
    cleaning rule marks (such as a news agency's wrapper, xi2022_xinhua#wrapper), which no count includes by default.
    """
    from ..corpus.cleaning import cleaning_log, load_rules, rules_table
    from ..corpus.documents import corpus_summary, load_corpus
    from ..corpus.tokens import tokenize
    from ..counts import select_documents

    if args.rules:
        emit(rules_table(load_rules()), args.format)
        return 0
    if args.parts == "main":
        docs, tokens = load(args)
    else:
        docs = load_corpus(args.corpus, raw_text=False, parts=args.parts)
        tokens = tokenize(docs)
    docs = select_documents(docs, all_versions=not args.one_version, prefer=args.prefer)
    emit(cleaning_log(docs) if args.cleaning else corpus_summary(docs, tokens), args.format)
    return 0


def run_validate(args) -> int:
    """Check a corpus folder and the cleaning rules (data/cleaning.yml, including each `part:` rule): one line per
    problem (errors on stderr, warnings on stdout); exit 1 if there is any, 0 if none.
    """
    import pandas as pd

    from ..corpus.documents import validate_corpus

    problems = validate_corpus(args.corpus)
    if args.format == "table":
        for problem in problems:
            print(safe_for_terminal(f"{problem.severity}: {problem}"),
                  file=sys.stderr if problem.severity == "error" else sys.stdout)
        if not problems:
            print("ok: no problems found")
    else:
        emit(pd.DataFrame([vars(p) for p in problems], columns=PROBLEM_COLUMNS), args.format)
    return 1 if problems else 0
