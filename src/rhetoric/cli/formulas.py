"""Subcommands ``formulas``, ``candidates``, ``align`` and ``renderings``."""

from __future__ import annotations

from .options import finish, fraction, load, selection, subcommand, whole_number
from .output import emit


def _lexicon_option(p) -> None:
    p.add_argument("--lexicon", metavar="FILE", default=None,
                   help="formula lexicon (YAML); default: the corpus folder's lexicons/formulas.yml if it has "
                        "one, else data/lexicons/formulas.yml")


def _group_option(p) -> None:
    p.add_argument("--group", metavar="G", default=None,
                   help="a translation_group of corpus.csv (default: every group with 2+ documents)")


def register(subparsers, parent) -> None:
    p = subcommand(subparsers, parent, "formulas", run_formulas,
                   "formula counts per document (zeros included), or per group with --by")
    _lexicon_option(p)
    show = p.add_mutually_exclusive_group()
    show.add_argument("--variants", action="store_true",
                      help="which rendering matched: doc_id, formula_id, variant, count (every version)")
    show.add_argument("--hits", action="store_true", help="every hit with its offsets (for KWIC, highlighting)")
    show.add_argument("--first-last", action="store_true", help="first and last appearance of each formula")
    show.add_argument("--matrix", action="store_true", help="document x formula counts (for a heat map)")
    show.add_argument("--timeline", action="store_true",
                      help="each formula in each document by date, every version and language side by side")
    show.add_argument("--list", action="store_true", help="check the lexicon and list its variants")
    show.add_argument("--by", metavar="COLUMN", default=None,
                      help="aggregate by a column of corpus.csv (year, period, author, ...) or 'corpus'")
    p.add_argument("--level", choices=("own", "rolled_up", "both"), default="own",
                   help="own: each hit counts for its own formula; rolled_up: a formula also counts the narrower "
                        "formulas below it (its family); both: a row per level (counts, --by and --timeline) "
                        "(default: own)")
    finish(p, fold=False)

    p = subcommand(subparsers, parent, "candidates", run_candidates,
                   "recurring phrases the formula lexicon does not cover yet, with examples")
    _lexicon_option(p)
    p.add_argument("--min-n", type=whole_number(1, 12), default=2, metavar="N",
                   help="shortest phrase in tokens (default 2)")
    p.add_argument("--max-n", type=whole_number(1, 12), default=6, metavar="N",
                   help="longest phrase in tokens (default 6)")
    p.add_argument("--min-count", type=whole_number(1), default=2, metavar="N",
                   help="minimum occurrences outside lexicon hits (default 2)")
    p.add_argument("--min-range", type=whole_number(1), default=2, metavar="N",
                   help="minimum number of documents (default 2)")
    p.add_argument("--min-authors", type=whole_number(1), default=1, metavar="N",
                   help="minimum number of distinct authors (default 1)")
    p.add_argument("--window", type=whole_number(0), default=5, metavar="N",
                   help="context tokens in examples (default 5)")
    p.add_argument("--examples", type=whole_number(0), default=1, metavar="N", help="example lines per candidate")
    finish(p, top_n=True, fold=False)

    p = subcommand(subparsers, parent, "align", run_align,
                   "align the paragraphs of the versions of a translated text (vocabulary, length and shared "
                   "formulas/numbers)")
    _group_option(p)
    p.add_argument("--min-cosine", type=fraction(), default=0.1, metavar="X",
                   help="pairs less similar than this stay unpaired (default 0.1)")

    p = subcommand(subparsers, parent, "renderings", run_renderings,
                   "side by side: which rendering of each formula each version uses")
    _lexicon_option(p)
    _group_option(p)
    p.add_argument("--pairs", action="store_true",
                   help="every formula occurrence of one version beside its counterpart in the other, aligned "
                        "paragraph by aligned paragraph, with its status (both, without, more, absent)")


def run_formulas(args) -> int:
    """Formula phrases: counts per document or group, which rendering each text uses, every hit, first and last use."""
    from ..errors import ParameterError
    from ..formulas.counts import (first_last_appearance, formula_counts, formula_hits, formula_matrix,
                                   formula_timeline, resolve_lexicon, variant_counts)

    if args.level == "both" and (args.first_last or args.matrix):
        raise ParameterError("--level both gives a row per level; --first-last and --matrix take --level own or "
                             "--level rolled_up.")
    if args.level != "own" and (args.variants or args.hits or args.list):
        raise ParameterError("--level applies to counts, --by, --matrix, --first-last and --timeline; --variants, "
                             "--hits and --list show each hit's own formula.")

    if args.list:
        from ..corpus.documents import load_corpus

        emit(resolve_lexicon(args.lexicon, load_corpus(args.corpus)), args.format)
        return 0
    docs, tokens = load(args)
    lexicon = resolve_lexicon(args.lexicon, docs)
    hits = formula_hits(tokens, docs, lexicon)
    if args.variants:
        table = variant_counts(tokens, docs, lexicon, hits=hits)
    elif args.hits:
        table = hits
    elif args.first_last:
        table = first_last_appearance(tokens, docs, lexicon, hits=hits, level=args.level)
    elif args.matrix:
        table = formula_matrix(tokens, docs, lexicon, hits=hits, level=args.level, **selection(args)).reset_index()
    elif args.timeline:
        table = formula_timeline(tokens, docs, lexicon, hits=hits, level=args.level)
    else:
        table = formula_counts(tokens, docs, lexicon, by=args.by, hits=hits, level=args.level, **selection(args))
    emit(table, args.format)
    return 0


def run_candidates(args) -> int:
    """Formula candidates: recurring 2-6-word sequences (inside sentences) outside every lexicon hit, ranked by
    authors, texts and documents using them, then by normalised PMI; each with a KWIC example.
    """
    from ..formulas.counts import resolve_lexicon
    from ..formulas.discovery import candidate_formulas

    docs, tokens = load(args)
    table = candidate_formulas(tokens, docs, resolve_lexicon(args.lexicon, docs), min_n=args.min_n,
                               max_n=args.max_n, min_count=args.min_count, min_range=args.min_range,
                               min_authors=args.min_authors, examples=args.examples, window=args.window,
                               top_n=args.top_n, **selection(args))
    emit(table, args.format)
    return 0


def run_align(args) -> int:
    """Align, in order, the paragraphs of the versions of a translated text (one translation_group of corpus.csv):
    shared words (TF-IDF cosine), lengths (Gale-Church) and anchors (formula families and numbers on both sides),
    by dynamic programming with 1-1, 1-0, 0-1, 1-2 and 2-1 steps.
    """
    from ..formulas.translation import align_paragraphs

    docs, tokens = load(args)
    emit(align_paragraphs(tokens, docs, args.group, min_cosine=args.min_cosine), args.format)
    return 0


def run_renderings(args) -> int:
    """For each version of a translated text and each formula: the renderings it uses, how often, and which renderings
    face each other in aligned paragraphs.
    """
    from ..formulas.counts import resolve_lexicon
    from ..formulas.translation import rendering_pairs, rendering_table

    docs, tokens = load(args)
    table = rendering_pairs if args.pairs else rendering_table
    emit(table(tokens, docs, resolve_lexicon(args.lexicon, docs), group=args.group), args.format)
    return 0
