"""Subcommands ``lemmas``, ``trends``, ``diversity``, ``readability``, ``network`` and ``ca``: style and structure."""

from __future__ import annotations

from .options import (add_pattern_rules, add_stop_words, finish, fraction, head, load, pattern_rules, selection,
                      subcommand, whole_number)
from .output import emit

NETWORK_MEASURES = ("log_dice", "g2", "mi", "mi3", "t_score")
PER_DOCUMENT = "doc_id"
"""``--by doc_id``: one point per document, in corpus order."""


def register(subparsers, parent) -> None:
    p = subcommand(subparsers, parent, "lemmas", run_lemmas, "lemma list: each lemma with its word forms")
    add_stop_words(p, True)
    p.add_argument("--min-count", type=whole_number(1), default=1, metavar="N",
                   help="keep lemmas occurring at least N times (default 1)")
    finish(p, top_n=True)

    p = subcommand(subparsers, parent, "trends", run_trends,
                   "relative frequency of words or phrases across years, periods or documents")
    p.add_argument("terms", nargs="+", metavar="TERM", help="words, phrases or globs, each counted on its own")
    add_pattern_rules(p)
    p.add_argument("--by", metavar="COLUMN", default="year",
                   help="one point per value of this column of corpus.csv (default year); 'doc_id': one point "
                        "per document, in corpus order")
    finish(p)

    p = subcommand(subparsers, parent, "diversity", run_diversity, "lexical diversity per document: TTR, MATTR, MTLD")
    p.add_argument("--window", type=whole_number(1), default=100, metavar="N",
                   help="MATTR window in words (default 100)")
    p.add_argument("--threshold", type=fraction(open_interval=True), default=0.72, metavar="T",
                   help="MTLD factor threshold, between 0 and 1 (default 0.72)")
    finish(p)

    p = subcommand(subparsers, parent, "readability", run_readability,
                   "readability per document: Flesch, Flesch-Kincaid, Gunning fog, SMOG, Coleman-Liau")
    finish(p)

    p = subcommand(subparsers, parent, "network", run_network,
                   "collocation network: a word's collocates and their collocates")
    p.add_argument("node", metavar="NODE", help="a word, phrase or glob ('cooperation', 'shared future')")
    add_pattern_rules(p)
    p.add_argument("--measure", choices=NETWORK_MEASURES, default="log_dice",
                   help="association that ranks collocates (default log_dice)")
    p.add_argument("--top-n", type=whole_number(1), default=8, metavar="N",
                   help="collocates kept for each word expanded (default 8)")
    p.add_argument("--depth", type=whole_number(1, 2), default=2, metavar="D",
                   help="1: the node's collocates; 2: and theirs (default 2)")
    p.add_argument("--min-count", type=whole_number(1), default=2, metavar="N",
                   help="minimum co-occurrences in the windows (default 2)")
    p.add_argument("--left", type=whole_number(0), default=5, metavar="N", help="window on the left (default 5)")
    p.add_argument("--right", type=whole_number(0), default=5, metavar="N", help="window on the right (default 5)")
    add_stop_words(p, True)
    finish(p)

    p = subcommand(subparsers, parent, "ca", run_ca,
                   "correspondence analysis of documents x terms: coordinates and contributions")
    p.add_argument("terms", nargs="*", metavar="TERM",
                   help="words, phrases or globs to use as columns (default: the most frequent words)")
    p.add_argument("--n-terms", type=whole_number(2), default=100, metavar="N",
                   help="without TERMs: the N most frequent words (default 100)")
    p.add_argument("--min-count", type=whole_number(1), default=3, metavar="N",
                   help="without TERMs: words occurring at least N times (default 3)")
    p.add_argument("--by", metavar="COLUMN", default=None,
                   help="one row per value of this column of corpus.csv (default: one row per document)")
    p.add_argument("--n-components", type=whole_number(1), default=2, metavar="K", help="axes kept (default 2)")
    add_stop_words(p, True)
    finish(p, top_n=True)


def run_lemmas(args) -> int:
    """The lemma list: every lemma (lemminflect, no download) with the word forms counted under it, their counts,
    the lemma's count and its range in documents; most frequent lemmas first.
    """
    from ..stats.lemma_list import lemma_forms

    docs, tokens = load(args)
    table = lemma_forms(tokens, docs, stop_words=args.stop_words, min_count=args.min_count, **selection(args))
    emit(head(table, args.top_n), args.format)
    return 0


def run_trends(args) -> int:
    """Count, rate per 10,000 tokens and range of each TERM at every point of --by (every year, period or
    document, zeros included), with the number of documents behind each point.
    """
    from ..stats.trends import trends

    docs, tokens = load(args)
    by = None if args.by == PER_DOCUMENT else args.by
    emit(trends(tokens, docs, args.terms, by=by, **pattern_rules(args), **selection(args)), args.format)
    return 0


def run_diversity(args) -> int:
    """Lexical diversity of each document's words: type-token ratio, moving-average TTR over a window of --window
    words (Covington & McFall 2010) and MTLD with factor threshold --threshold (McCarthy & Jarvis 2010). A
    translated text measures its translator as much as its author.
    """
    from ..stats.diversity import lexical_diversity

    docs, tokens = load(args)
    emit(lexical_diversity(tokens, docs, window=args.window, threshold=args.threshold, **selection(args)),
         args.format)
    return 0


def run_readability(args) -> int:
    """Readability formulas of each document from its words, sentences and estimated syllables: Flesch reading
    ease, Flesch-Kincaid grade, Gunning fog, SMOG, Coleman-Liau. A translated text measures its translator.
    """
    from ..stats.readability import readability

    docs, tokens = load(args)
    emit(readability(tokens, docs, **selection(args)), args.format)
    return 0


def run_network(args) -> int:
    """The edges of a collocation network (GraphColl-style): the NODE's strongest collocates by --measure and,
    with --depth 2, each of theirs; one row per edge with its co-occurrences, G2, MI and logDice.
    """
    from ..stats.network import collocation_network

    docs, tokens = load(args)
    emit(collocation_network(tokens, docs, args.node, measure=args.measure, top_n=args.top_n, depth=args.depth,
                             min_count=args.min_count, left=args.left, right=args.right, stop_words=args.stop_words,
                             **pattern_rules(args), **selection(args)), args.format)
    return 0


def run_ca(args) -> int:
    """Correspondence analysis of the documents (or --by groups) against the most frequent words (or TERMs):
    principal coordinates, masses, contributions and qualities of rows and columns; the share of inertia of
    each axis is printed on stderr.
    """
    import sys

    from ..stats.correspondence import correspondence_analysis

    docs, tokens = load(args)
    result = correspondence_analysis(tokens, docs, terms=args.terms or None, n_terms=args.n_terms,
                                     min_count=args.min_count, stop_words=args.stop_words, by=args.by,
                                     n_components=args.n_components, **selection(args))
    shares = ", ".join(f"axis {k + 1} {100 * v:.1f}%" for k, v in enumerate(result.attrs["explained"]))
    print(f"inertia {result.attrs['total_inertia']:.4f}: {shares}", file=sys.stderr)
    emit(head(result, args.top_n), args.format)
    return 0
