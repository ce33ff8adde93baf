"""Subcommands ``freq``, ``dispersion``, ``tfidf``, ``keyness`` and ``similarity``."""

from __future__ import annotations

import argparse

from ..corpus import load_corpus
from ..dispersion import dispersion, dispersion_positions
from ..errors import ParameterError
from ..frequency import term_frequencies
from ..keyness import keyness, keyness_each_vs_rest
from ..keywords import tfidf_keywords
from ..similarity import document_similarity, similarity_pairs
from ..tokens import tokenize
from .arguments import whole_number
from .output import emit


def ngram_option(value: str) -> tuple[int, int]:
    """``"2"`` -> (2, 2); ``"1-3"`` -> (1, 3)."""
    try:
        lo, _, hi = value.partition("-")
        lo, hi = int(lo), int(hi or lo)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not N or MIN-MAX (e.g. 2 or 1-3)") from None
    if lo < 1 or hi < lo:
        raise argparse.ArgumentTypeError(f"'{value}' must satisfy 1 <= MIN <= MAX (e.g. 1-3)")
    return lo, hi


def _add_tokens_options(p, *, ngram: str, stopwords: bool) -> None:
    p.add_argument("--ngram", type=ngram_option, default=ngram_option(ngram), metavar="N|MIN-MAX",
                   help=f"n-gram length, e.g. 2 or 1-3 (default {ngram}); n-grams never cross a sentence")
    p.add_argument("--stopwords", action=argparse.BooleanOptionalAction, default=stopwords,
                   help="drop stop words (scikit-learn's English list plus data/stopwords.txt); n-grams starting "
                        f"or ending with one are dropped (default: {'on' if stopwords else 'off'})")
    p.add_argument("--fold-spelling", action="store_true", help="count British spellings as American ones")


def register(subparsers, parent) -> None:
    p = subparsers.add_parser("freq", parents=[parent], help="term frequencies per document or group")
    p.add_argument("--by", metavar="COLUMN", default=None,
                   help="group by this column of corpus.csv (year, period, author, ...) or 'corpus' for one "
                        "group; default: per document. Translations count once when grouping")
    _add_tokens_options(p, ngram="1", stopwords=False)
    p.add_argument("--min-count", type=whole_number(1), default=1, metavar="N", help="minimum count in the group")
    p.add_argument("--top", type=whole_number(1), default=None, metavar="N", help="first N terms of each group")
    p.add_argument("--prefer", default="official", help="version of a translated text to keep (default official)")
    p.set_defaults(handler=run_freq)

    p = subparsers.add_parser("dispersion", parents=[parent],
                              help="Juilland's D, DP and DP_norm per term; or positions for an x-ray plot")
    p.add_argument("terms", nargs="*", metavar="TERM", help="words or phrases (default: every word)")
    p.add_argument("--parts", type=whole_number(1), default=None, metavar="K",
                   help="cut the corpus into K equal parts instead of using the documents")
    p.add_argument("--min-count", type=whole_number(1), default=1, metavar="N",
                   help="minimum total count (without TERMs)")
    p.add_argument("--positions", action="store_true",
                   help="list where each TERM occurs (doc_id, term, position, relative_position)")
    p.add_argument("--fold-spelling", action="store_true", help="count British spellings as American ones")
    p.set_defaults(handler=run_dispersion)

    p = subparsers.add_parser("tfidf", parents=[parent], help="top TF-IDF keywords per document or group")
    p.add_argument("--by", metavar="COLUMN", default=None,
                   help="one unit per value of this column (translations once); default: per document")
    p.add_argument("--top", type=whole_number(1), default=10, metavar="N", help="keywords per unit (default 10)")
    _add_tokens_options(p, ngram="1-3", stopwords=True)
    p.add_argument("--min-df", type=whole_number(1), default=1, metavar="N", help="minimum units containing a term")
    p.add_argument("--prefer", default="official", help="version of a translated text to keep (default official)")
    p.set_defaults(handler=run_tfidf)

    p = subparsers.add_parser("keyness", parents=[parent],
                              help="signed log-likelihood (G2) and log ratio: target group against a reference")
    p.add_argument("--by", metavar="COLUMN", required=True, help="column of corpus.csv defining the groups")
    p.add_argument("--target", metavar="VALUE", default=None,
                   help="target group; without it, each group is compared with all the others")
    p.add_argument("--reference", metavar="VALUE", default=None, help="reference group (default: all the rest)")
    p.add_argument("--correction", choices=("holm", "bonferroni"), default=None,
                   help="adjust p-values for the number of terms tested")
    p.add_argument("--min-freq", type=whole_number(1), default=3, metavar="N",
                   help="minimum count in target and reference together (default 3)")
    p.add_argument("--top", type=whole_number(1), default=None, metavar="N",
                   help="first N rows (of each group without --target)")
    _add_tokens_options(p, ngram="1", stopwords=False)
    p.add_argument("--prefer", default="official", help="version of a translated text to keep (default official)")
    p.set_defaults(handler=run_keyness)

    p = subparsers.add_parser("similarity", parents=[parent], help="cosine similarity of documents' TF-IDF vectors")
    p.add_argument("--pairs", action="store_true", help="one row per pair (doc_a, doc_b, cosine), most similar first")
    _add_tokens_options(p, ngram="1", stopwords=True)
    p.set_defaults(handler=run_similarity)


def _load(args):
    docs = load_corpus(args.corpus)
    return docs, tokenize(docs, fold_spelling=args.fold_spelling)


def run_freq(args) -> int:
    docs, tokens = _load(args)
    emit(term_frequencies(tokens, docs, by=args.by, ngram_range=args.ngram, stop_words=args.stopwords,
                          min_count=args.min_count, prefer=args.prefer, top=args.top), args.format)
    return 0


def run_dispersion(args) -> int:
    docs, tokens = _load(args)
    if args.positions:
        if not args.terms:
            raise ParameterError("--positions needs at least one TERM, e.g. rhetoric dispersion --positions "
                                 "'shared future' win-win")
        emit(dispersion_positions(tokens, args.terms), args.format)
    else:
        emit(dispersion(tokens, terms=args.terms or None, parts=args.parts, min_count=args.min_count), args.format)
    return 0


def run_tfidf(args) -> int:
    docs, tokens = _load(args)
    emit(tfidf_keywords(tokens, docs, by=args.by, top_n=args.top, ngram_range=args.ngram,
                        stop_words=args.stopwords, min_df=args.min_df, prefer=args.prefer), args.format)
    return 0


def run_keyness(args) -> int:
    docs, tokens = _load(args)
    options = dict(by=args.by, min_freq=args.min_freq, correction=args.correction, prefer=args.prefer,
                   ngram_range=args.ngram, stop_words=args.stopwords)
    if args.target is None:
        if args.reference is not None:
            raise ParameterError("--reference needs --target (without --target each group is compared with "
                                 "all the others).")
        table = keyness_each_vs_rest(tokens, docs, **options)
        if args.top:
            table = table.groupby("group", sort=False).head(args.top).reset_index(drop=True)
    else:
        table = keyness(tokens, docs, target=args.target, reference=args.reference, **options)
        if args.top:
            table = table.head(args.top)
    emit(table, args.format)
    return 0


def run_similarity(args) -> int:
    docs, tokens = _load(args)
    if args.pairs:
        emit(similarity_pairs(tokens, docs, ngram_range=args.ngram, stop_words=args.stopwords), args.format)
    else:
        emit(document_similarity(tokens, docs, ngram_range=args.ngram, stop_words=args.stopwords).reset_index(),
             args.format)
    return 0
