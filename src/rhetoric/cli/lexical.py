"""Subcommands ``freq``, ``dispersion``, ``tfidf``, ``keyness`` and ``similarity``."""

from __future__ import annotations

from ..errors import ParameterError
from .options import (add_ngram_range, add_pattern_rules, add_stop_words, finish, head, load, pattern_rules, selection,
                      subcommand, whole_number)
from .output import emit


KEYNESS_SHOWN = ("group", "term", "freq_target", "freq_reference", "g2", "p_adjusted", "log_ratio", "log_ratio_ci")
"""Columns of ``keyness`` kept first in the table format (``--format csv`` gives every column)."""


def register(subparsers, parent) -> None:
    p = subcommand(subparsers, parent, "freq", run_freq, "term frequencies per document or group")
    p.add_argument("terms", nargs="*", metavar="TERM",
                   help="words, phrases or globs to count, each on its own (default: every word or n-gram)")
    add_pattern_rules(p)
    p.add_argument("--by", metavar="COLUMN", default=None,
                   help="group by this column of corpus.csv (year, period, author, ...) or 'corpus' for one group "
                        "(default: per document)")
    add_ngram_range(p, "1")
    add_stop_words(p, False)
    p.add_argument("--min-count", type=whole_number(1), default=1, metavar="N", help="minimum count in the group")
    p.add_argument("--top-n", type=whole_number(1), default=None, metavar="N", help="first N terms of each group")
    finish(p)

    p = subcommand(subparsers, parent, "dispersion", run_dispersion,
                   "Juilland's D, DP and DP_norm per term; or positions for an x-ray plot")
    p.add_argument("terms", nargs="*", metavar="TERM", help="words, phrases or globs (default: every word)")
    add_pattern_rules(p)
    p.add_argument("--parts", type=whole_number(2), default=None, metavar="K",
                   help="cut the running text into K equal parts instead of using the documents")
    p.add_argument("--min-count", type=whole_number(1), default=1, metavar="N",
                   help="minimum total count (without TERMs)")
    p.add_argument("--positions", action="store_true",
                   help="list where each TERM occurs (doc_id, term, position, relative_position)")
    add_stop_words(p, False)
    finish(p, top_n=True)

    p = subcommand(subparsers, parent, "tfidf", run_tfidf, "top TF-IDF keywords per document or group")
    p.add_argument("--by", metavar="COLUMN", default=None,
                   help="one unit per value of this column (default: per document)")
    add_ngram_range(p, "1-3")
    add_stop_words(p, True)
    p.add_argument("--min-range", type=whole_number(1), default=1, metavar="N",
                   help="minimum number of units containing a term")
    finish(p, top_n=10)

    p = subcommand(subparsers, parent, "keyness", run_keyness,
                   "signed log-likelihood (G2) and log ratio: target group against a reference")
    p.add_argument("--by", metavar="COLUMN", required=True, help="column of corpus.csv defining the groups")
    p.add_argument("--target", metavar="VALUE", default=None,
                   help="target group; without it, each group is compared with all the others")
    p.add_argument("--reference", metavar="VALUE", default=None, help="reference group (default: all the rest)")
    p.add_argument("--correction", choices=("holm", "bonferroni", "none"), default="holm",
                   help="adjust p-values for the number of terms tested (default holm)")
    p.add_argument("--min-count", type=whole_number(1), default=3, metavar="N",
                   help="minimum count in target and reference together (default 3)")
    p.add_argument("--top-n", type=whole_number(1), default=None, metavar="N",
                   help="first N rows (of each group without --target)")
    add_ngram_range(p, "1")
    add_stop_words(p, True)
    finish(p)

    p = subcommand(subparsers, parent, "similarity", run_similarity, "cosine similarity of documents' TF-IDF vectors")
    p.add_argument("--pairs", action="store_true", help="one row per pair (doc_a, doc_b, cosine), most similar first")
    add_ngram_range(p, "1")
    add_stop_words(p, True)
    finish(p, top_n=True)


def run_freq(args) -> int:
    """Count, rate per 10,000 tokens, range and documents of every term (or of TERMs), per document or per group."""
    from ..stats.frequency import term_frequencies

    docs, tokens = load(args)
    emit(term_frequencies(tokens, docs, by=args.by, terms=args.terms or None, ngram_range=args.ngram_range,
                          stop_words=args.stop_words, min_count=args.min_count, top_n=args.top_n,
                          **pattern_rules(args), **selection(args)), args.format)
    return 0


def run_dispersion(args) -> int:
    """How evenly terms spread over the documents (or K equal parts)."""
    from ..stats.dispersion import dispersion, dispersion_positions

    docs, tokens = load(args)
    if args.positions:
        if not args.terms:
            raise ParameterError("--positions needs at least one TERM, e.g. rhetoric dispersion --positions "
                                 "'shared future' win-win")
        table = dispersion_positions(tokens, docs, args.terms, **pattern_rules(args), **selection(args))
    else:
        table = dispersion(tokens, docs, terms=args.terms or None, parts=args.parts, min_count=args.min_count,
                           stop_words=args.stop_words,
                           **pattern_rules(args), **selection(args))
    emit(head(table, args.top_n), args.format)
    return 0


def run_tfidf(args) -> int:
    """The terms with the highest TF-IDF weight in each document or group."""
    from ..stats.tfidf import tfidf_keywords

    docs, tokens = load(args)
    emit(tfidf_keywords(tokens, docs, by=args.by, top_n=args.top_n, ngram_range=args.ngram_range,
                        stop_words=args.stop_words, min_range=args.min_range, **selection(args)), args.format)
    return 0


def run_keyness(args) -> int:
    """Keyness of every term in a target group against a reference group (or all other documents): G2 with p-values
    corrected for the number of terms tested (Holm by default), and log ratio (Hardie 2014) with its 95% confidence
    interval. Stop words are left out by default, as in the report. The table format shows the columns a reader
    needs (the interval as one column) within the terminal's width; --format csv gives every column.
    """
    from ..stats.keyness import keyness, keyness_each_vs_rest

    docs, tokens = load(args)
    options = dict(by=args.by, min_count=args.min_count, ngram_range=args.ngram_range, stop_words=args.stop_words,
                   correction=None if args.correction == "none" else args.correction, **selection(args))
    if args.target is None:
        if args.reference is not None:
            raise ParameterError("--reference needs --target (without --target each group is compared with all "
                                 "the others).")
        table = keyness_each_vs_rest(tokens, docs, **options)
        if args.top_n:
            table = table.groupby("group", sort=False).head(args.top_n).reset_index(drop=True)
    else:
        table = head(keyness(tokens, docs, target=args.target, reference=args.reference, **options), args.top_n)
    if args.format == "table":  # for reading: the interval in one column, the columns that matter kept first
        table = table.assign(log_ratio_ci=[f"{low:.2f} to {high:.2f}" for low, high in
                                           zip(table["log_ratio_ci_low"], table["log_ratio_ci_high"])])
        table = table.drop(columns=["log_ratio_ci_low", "log_ratio_ci_high"])
    emit(table, args.format, priority=KEYNESS_SHOWN)
    return 0


def run_similarity(args) -> int:
    """Cosine similarity of the documents' TF-IDF vectors: a square table, or with --pairs one row per pair, most
    similar first.
    """
    from ..stats.similarity import document_similarity, similarity_pairs

    docs, tokens = load(args)
    options = dict(ngram_range=args.ngram_range, stop_words=args.stop_words, **selection(args))
    if args.pairs:
        emit(similarity_pairs(tokens, docs, top_n=args.top_n, **options), args.format)
    else:
        emit(head(document_similarity(tokens, docs, **options).reset_index(), args.top_n), args.format)
    return 0
