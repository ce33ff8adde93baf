"""Subcommands ``rhetoric corpus`` and ``rhetoric validate``."""

from __future__ import annotations

import sys

import pandas as pd

from ..cleaning import cleaning_log
from ..corpus import corpus_summary, load_corpus, validate_corpus
from ..tokens import tokenize
from .output import emit


def register(subparsers, parent) -> None:
    p = subparsers.add_parser("corpus", parents=[parent], help="list the documents of a corpus")
    p.add_argument("--cleaning", action="store_true", help="list how often each cleaning rule fired instead")
    p.set_defaults(handler=run_corpus)
    p = subparsers.add_parser("validate", parents=[parent],
                              help="check a corpus folder; one line per problem, non-zero exit if any")
    p.set_defaults(handler=run_validate)


def run_corpus(args) -> int:
    docs = load_corpus(args.corpus)
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
        emit(pd.DataFrame([vars(p) for p in problems], columns=["file", "line", "field", "message", "severity"]),
             args.format)
    return 1 if problems else 0
