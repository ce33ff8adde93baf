"""Subcommand ``rhetoric report``: run the notebooks and rebuild the report folder."""

from __future__ import annotations

import argparse
import math
import sys
import time

from .. import config
from .options import subcommand, whole_number

def register(subparsers, parent) -> None:
    p = subcommand(subparsers, parent, "report", run_report,
                   "run every notebook and rebuild reports/ (figures, tables, notebooks as HTML, index.html)")
    p.add_argument("--out", default=str(config.REPORTS_DIR), metavar="DIR",
                   help="report folder, replaced whole when the build succeeds (default: reports/)")
    p.add_argument("--notebooks", default=None, metavar="DIR",
                   help="folder of NN_*.ipynb notebooks to run (default: the project's notebooks/)")
    p.add_argument("--lock-timeout", type=seconds, default=3600, metavar="SECONDS",
                   help="how long to wait for another build of the same folder (default: 3600)")
    p.add_argument("--cell-timeout", type=whole_number(0), default=None, metavar="SECONDS",
                   help="stop a cell that runs longer than this; 0: no limit (default: "
                        "rhetoric.report.build.CELL_TIMEOUT, 30 minutes)")


def seconds(value: str) -> float:
    """An argparse ``type``: a finite number of seconds, 0 or more.

    Examples
    --------
    >>> seconds("1.5")
    1.5
    """
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds; give 0 or more, e.g. 600")
    return number


def run_report(args) -> int:
    """Execute notebooks/NN_*.ipynb in order with papermill (parameters corpus_dir, output_dir), then write figures/,
    tables/, notebooks/*.html, provenance.json and index.html. The report is built in a temporary folder and swapped
    in only when complete: a failing cell names the notebook and cell and leaves the previous report as it was. One
    build at a time per folder (a second run waits).
    """
    from ..report.build import build_report  # imported here: matplotlib and papermill load slowly

    # Ctrl-C and SIGTERM (rhetoric.cli.main turns it into KeyboardInterrupt) unwind through build_report's
    # clean-up: its temporary folder and lock are removed, the previous report stays.
    start = time.perf_counter()
    limit = {} if args.cell_timeout is None else {"cell_timeout": args.cell_timeout}
    index = build_report(corpus_dir=args.corpus, out_dir=args.out, notebooks=args.notebooks,
                         progress=False if args.quiet else None, lock_timeout=args.lock_timeout, **limit)
    print(f"report written: {index} ({time.perf_counter() - start:.0f} s)", file=sys.stderr if
          args.format != "table" else sys.stdout)
    return 0
