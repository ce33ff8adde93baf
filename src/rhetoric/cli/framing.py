"""Subcommands ``frames`` (frame shares, bootstrap intervals, shifts) and ``claims`` (numeric claims)."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import config
from .options import finish, fraction, load, selection, subcommand, whole_number
from .output import emit, safe_for_terminal

MAX_BOOT = 100_000
"""As :data:`rhetoric.formulas.framing.MAX_BOOT` (not imported here: that would load pandas for ``--help``)."""
MAX_SEED = 2 ** 63 - 1


def register(subparsers, parent) -> None:
    p = subcommand(subparsers, parent, "frames", run_frames,
                   "share of each frame (economy, security, ...) per document, paragraph or year, with bootstrap "
                   "intervals and shifts")
    p.add_argument("--frames", metavar="FILE", default=None,
                   help="frame lexicon (YAML); default: the corpus folder's lexicons/frames.yml, else "
                        "data/lexicons/frames.yml")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--unit", metavar="UNIT", default=None,
                       help="shares per 'document' (default), 'paragraph' or a column of corpus.csv (year, period, "
                            "author, ...), without intervals")
    group.add_argument("--by", metavar="COLUMN", default=None,
                       help="shares per group of this column ('year', 'period', ... or 'document') with bootstrap "
                            "intervals")
    p.add_argument("--shift", nargs=2, metavar=("FROM", "TO"), default=None,
                   help="change of each frame's share from group FROM to group TO of --by (default year), "
                        "e.g. --shift 2022 2024")
    p.add_argument("--n-boot", type=whole_number(1, MAX_BOOT), default=2000, metavar="N",
                   help=f"bootstrap replicates, at most {MAX_BOOT:,} (default 2000)")
    p.add_argument("--seed", type=whole_number(0, MAX_SEED), default=config.RANDOM_SEED, metavar="S",
                   help=f"random seed from 0 to 2**63-1; same seed, same intervals (default {config.RANDOM_SEED})")
    p.add_argument("--level", type=fraction(open_interval=True), default=0.95, metavar="L",
                   help="interval coverage (default 0.95)")
    p.add_argument("--hits", action="store_true", help="list every frame term found instead (all documents)")
    p.add_argument("--list", action="store_true", help="list the frames of the lexicon with their sources instead")
    finish(p, fold=False)

    p = subcommand(subparsers, parent, "claims", run_claims,
                   "numeric claims (money, percentages, counts, durations) with what they measure")
    p.add_argument("--trade", action="store_true",
                   help="only the bilateral trade figures, in date order")
    finish(p, fold=False)


def _note(table) -> None:
    caveat = table.attrs.get("caveat")
    if caveat:
        print(safe_for_terminal(f"note: {caveat}"), file=sys.stderr)


def run_frames(args) -> int:
    """Frame shares: hits of a frame / all frame hits in the group. Default: per document. --by COLUMN adds percentile
    bootstrap intervals over paragraphs; --shift FROM TO gives the change of each share between two groups with its
    interval. A note on stderr says how many documents stand behind each group.
    """
    from ..formulas.framing import (check_bootstrap, frame_definitions, frame_hits, frame_share_intervals,
                                    frame_shares, frame_shift)

    check_bootstrap(args.n_boot, args.seed, args.level)
    if args.list:
        frames = args.frames
        if frames is None and args.corpus is not None:  # the corpus folder's own lexicon, as for the shares
            own = Path(args.corpus) / "lexicons" / "frames.yml"
            frames = own if own.exists() else None
        emit(frame_definitions(frames), args.format)
        return 0
    docs, tokens = load(args)
    if args.hits:
        emit(frame_hits(tokens, docs, args.frames), args.format)
        return 0
    options = dict(n_boot=args.n_boot, seed=args.seed, level=args.level, **selection(args))
    if args.shift:
        table = frame_shift(tokens, docs, args.frames, by=args.by or "year", from_group=args.shift[0],
                            to_group=args.shift[1], **options)
    elif args.by:
        table = frame_share_intervals(tokens, docs, args.frames, by=args.by, **options)
    else:
        table = frame_shares(tokens, docs, args.frames, unit=args.unit or "document", **selection(args))
    emit(table, args.format)
    _note(table)
    return 0


def run_claims(args) -> int:
    """Every quantitative claim of the texts (money, percentages, counts, durations, anniversaries, ranks, multiples)
    with its unit, what it measures and the period it covers; --trade keeps the bilateral trade figures.
    """
    from ..formulas.claims import numeric_claims, trade_figures

    docs, tokens = load(args)
    claims = numeric_claims(tokens, docs)
    emit(trade_figures(claims, docs, **selection(args)) if args.trade else claims, args.format)
    return 0
