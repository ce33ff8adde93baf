"""Subcommands ``kwic``, ``collocations``, ``ngrams`` and ``bundles``: words in their context."""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from ..bundles import lexical_bundles
from ..collocations import COLLOCATE_MEASURES, NGRAM_MEASURES, collocates, recurring_ngrams
from ..corpus import load_corpus
from ..errors import ParameterError
from ..kwic import kwic, kwic_html
from ..tokens import tokenize
from .arguments import whole_number
from .output import emit


def _tokens(args):
    docs = load_corpus(args.corpus)
    return docs, tokenize(docs, fold_spelling=getattr(args, "fold_spelling", False))


def register(subparsers, parent) -> None:
    p = subparsers.add_parser("kwic", parents=[parent], help="concordance lines (key word in context)",
                              description="Concordance lines for a word, phrase, glob or regular expression.")
    p.add_argument("pattern", metavar="PATTERN",
                   help="a word ('cooperation'), a phrase ('shared future'), a glob ('develop*'), or with --regex "
                        "a regular expression per token ('partner(s|ship)')")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--regex", dest="kind", action="store_const", const="regex",
                      help="PATTERN is a regular expression per token (space-separated for several tokens)")
    kind.add_argument("--glob", dest="kind", action="store_const", const="glob",
                      help="PATTERN is a glob per token (* any letters, ? one letter); the default detects globs")
    p.set_defaults(kind="auto")
    p.add_argument("--window", type=whole_number(0), default=5, metavar="N", help="tokens of context each side (default 5)")
    p.add_argument("--left", type=whole_number(0), default=None, metavar="N", help="tokens of context on the left")
    p.add_argument("--right", type=whole_number(0), default=None, metavar="N", help="tokens of context on the right")
    p.add_argument("--sentence", action="store_true", help="show the whole sentence instead of a window")
    p.add_argument("--sort", default=None, metavar="LEVELS",
                   help="sort by the words at these positions, e.g. 1R,2R or 1L (default: corpus order)")
    p.add_argument("--case-sensitive", action="store_true", help="match upper and lower case exactly")
    p.add_argument("--fold-spelling", action="store_true", help="match British spellings as American ones")
    p.add_argument("--html", metavar="FILE", default=None, help="also write the lines as an HTML page to FILE")
    p.set_defaults(handler=run_kwic)

    p = subparsers.add_parser("collocations", parents=[parent], help="window collocates of a word or phrase",
                              description="Collocates of NODE in a window of tokens, with G2, MI, MI3, t-score "
                                          "and logDice.")
    p.add_argument("node", metavar="NODE", help="a word or phrase ('cooperation', 'shared future')")
    p.add_argument("--left", type=whole_number(0), default=5, metavar="N", help="window on the left (default 5)")
    p.add_argument("--right", type=whole_number(0), default=5, metavar="N", help="window on the right (default 5)")
    p.add_argument("--min-freq", type=whole_number(1), default=2, metavar="N",
                   help="minimum co-occurrences in the windows (default 2)")
    p.add_argument("--sort-by", choices=COLLOCATE_MEASURES, default="g2", help="measure to sort by (default g2)")
    p.add_argument("--stopwords", action=argparse.BooleanOptionalAction, default=False,
                   help="leave stop words (scikit-learn's list plus data/stopwords.txt) out of the table")
    p.add_argument("--cross-sentences", action="store_true", help="let windows run over sentence ends")
    p.add_argument("--top", type=whole_number(1), default=None, metavar="N", help="first N rows only")
    p.add_argument("--fold-spelling", action="store_true", help="count British spellings as American ones")
    p.set_defaults(handler=run_collocations)

    p = subparsers.add_parser("ngrams", parents=[parent], help="recurring n-grams with association measures",
                              description="Recurring n-grams of the corpus (inside sentences); bigrams with "
                                          "G2, MI, t-score and logDice.")
    p.add_argument("-n", type=whole_number(2), default=2, metavar="N", help="n-gram length (default 2)")
    p.add_argument("--min-freq", type=whole_number(1), default=2, metavar="N", help="minimum frequency (default 2)")
    p.add_argument("--sort-by", choices=NGRAM_MEASURES, default="freq", help="column to sort by (default freq)")
    p.add_argument("--stopwords", action=argparse.BooleanOptionalAction, default=False,
                   help="drop n-grams that begin or end with a stop word")
    p.add_argument("--top", type=whole_number(1), default=None, metavar="N", help="first N rows only")
    p.add_argument("--fold-spelling", action="store_true", help="count British spellings as American ones")
    p.set_defaults(handler=run_ngrams)

    p = subparsers.add_parser("bundles", parents=[parent], help="lexical bundles (recurrent 2-6-grams)",
                              description="Lexical bundles: n-grams inside sentences with a minimum frequency "
                                          "and a minimum number of documents; maximal bundles by default.")
    p.add_argument("--min-n", type=whole_number(1), default=2, metavar="N", help="shortest bundle (default 2)")
    p.add_argument("--max-n", type=whole_number(1), default=6, metavar="N", help="longest bundle (default 6)")
    p.add_argument("--min-freq", type=whole_number(1), default=3, metavar="N", help="minimum frequency (default 3)")
    p.add_argument("--min-range", type=whole_number(1), default=2, metavar="N",
                   help="minimum number of documents (default 2)")
    p.add_argument("--no-maximal", dest="maximal", action="store_false",
                   help="keep bundles that only occur inside a longer one")
    p.add_argument("--stopwords", choices=("english", "project", "both", "none"), default="english",
                   help="bundles made only of these stop words are dropped (default english)")
    p.add_argument("--top", type=whole_number(1), default=None, metavar="N", help="first N rows only")
    p.add_argument("--fold-spelling", action="store_true", help="count British spellings as American ones")
    p.set_defaults(handler=run_bundles)


def _head(table, top):
    return table.head(top).reset_index(drop=True) if top else table


def _print_lines(table, stream=None) -> None:
    """Concordance lines as text: left context right-aligned, the match, the right context."""
    stream = stream or sys.stdout
    if table.empty:
        stream.write("(no rows)\n")
        return
    width = 50
    ids = max(len(str(d)) for d in table["doc_id"])
    for row in table.itertuples():
        left = row.left[-width:]
        stream.write(f"{row.doc_id:<{ids}}  {left:>{width}}  [{row.match}]  {row.right[:width]}\n")


def run_kwic(args) -> int:
    docs, tokens = _tokens(args)
    window = (args.left if args.left is not None else args.window,
              args.right if args.right is not None else args.window)
    table = kwic(tokens, docs, args.pattern, kind=args.kind, window=window, sentence=args.sentence,
                 sort=args.sort, case_sensitive=args.case_sensitive)
    if args.html:
        caption = f"{args.pattern} — {len(table)} lines"
        page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{html.escape('KWIC: ' + args.pattern)}</title></head><body>\n"
                + kwic_html(table, caption=caption) + "\n</body></html>\n")
        try:
            Path(args.html).write_text(page, encoding="utf-8")
        except OSError as exc:
            raise ParameterError(f"--html {args.html}: cannot write the file ({exc.strerror}).") from None
        print(f"wrote {args.html} ({len(table)} lines)", file=sys.stderr)
    if args.format == "table":
        _print_lines(table)
    else:
        emit(table, args.format)
    return 0


def run_collocations(args) -> int:
    _, tokens = _tokens(args)
    table = collocates(tokens, args.node, left=args.left, right=args.right, min_freq=args.min_freq,
                       stop_words=True if args.stopwords else None, within_sentence=not args.cross_sentences,
                       sort_by=args.sort_by)
    emit(_head(table, args.top), args.format)
    return 0


def run_ngrams(args) -> int:
    _, tokens = _tokens(args)
    table = recurring_ngrams(tokens, n=args.n, min_freq=args.min_freq,
                             stop_words=True if args.stopwords else None, sort_by=args.sort_by)
    emit(_head(table, args.top), args.format)
    return 0


def run_bundles(args) -> int:
    _, tokens = _tokens(args)
    table = lexical_bundles(tokens, min_n=args.min_n, max_n=args.max_n, min_freq=args.min_freq,
                            min_range=args.min_range, maximal=args.maximal,
                            stop_words=None if args.stopwords == "none" else args.stopwords)
    emit(_head(table, args.top), args.format)
    return 0
