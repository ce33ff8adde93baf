"""Subcommands ``rhetoric corpus`` and ``rhetoric validate``."""

from __future__ import annotations

import sys

import pandas as pd

from ..cleaning import cleaning_log, load_rules, rules_table
from ..corpus import check_prefer, corpus_summary, load_corpus, one_per_translation_group, validate_corpus
from ..tokens import tokenize
from .output import emit

PROBLEM_COLUMNS = ["file", "line", "field", "message", "severity"]


def register(subparsers, parent) -> None:
    p = subparsers.add_parser("corpus", parents=[parent], help="list the documents of a corpus",
                              description="List the documents of a corpus (doc_id, date, year, n_tokens, author, "
                                          "title, translation_group, translation, sha256).")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--cleaning", action="store_true", help="list how often each cleaning rule fired instead")
    what.add_argument("--rules", action="store_true", help="list the cleaning rules instead")
    p.add_argument("--one-per-group", metavar="PREFER", nargs="?", const="official", default=None,
                   help="one document per translation_group, preferring this translation value or doc_id "
                        "(default: official)")
    p.set_defaults(handler=run_corpus)
    p = subparsers.add_parser("validate", parents=[parent],
                              help="check a corpus folder; one line per problem, non-zero exit if any",
                              description="Check a corpus folder: one line per problem (errors on stderr, "
                                          "warnings on stdout); exit 1 if there is any, 0 if none.")
    p.set_defaults(handler=run_validate)


def run_corpus(args) -> int:
    if args.rules:
        emit(rules_table(load_rules()), args.format)
        return 0
    docs = load_corpus(args.corpus)
    if args.one_per_group is not None:
        check_prefer(docs, args.one_per_group)
        docs = one_per_translation_group(docs, prefer=args.one_per_group)
    if args.cleaning:
        emit(cleaning_log(docs), args.format)
    else:
        emit(corpus_summary(docs, tokenize(docs)), args.format)
    return 0


def run_validate(args) -> int:
    problems = validate_corpus(args.corpus)
    if args.format == "table":
        for problem in problems:
            print(f"{problem.severity}: {problem}", file=sys.stderr if problem.severity == "error" else sys.stdout)
        if not problems:
            print("ok: no problems found")
    else:
        emit(pd.DataFrame([vars(p) for p in problems], columns=PROBLEM_COLUMNS), args.format)
    return 1 if problems else 0
