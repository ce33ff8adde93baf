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
                   "run the notebooks and rebuild reports/: an overview, the Explorer, figures, one page per "
                   "notebook, provenance")
    p.add_argument("--out", default=str(config.REPORTS_DIR), metavar="DIR",
                   help="report folder, replaced whole when the build succeeds (default: reports/)")
    p.add_argument("--notebooks", default=None, metavar="DIR",
                   help="folder of NN_*.ipynb notebooks to run (default: the project's notebooks/)")
    p.add_argument("--jobs", type=whole_number(1), default=None, metavar="N",
                   help="notebooks run at once, each with its own kernel (default: 2, at most the CPU cores; "
                        "1: one after the other)")
    p.add_argument("--no-cache", dest="cache", action="store_false",
                   help="run every notebook, even those whose inputs did not change since the last build")
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
    """Execute notebooks/NN_*.ipynb with papermill (parameters corpus_dir, output_dir), two at a time, then write
    the site: index.html (the corpus at a glance and the main findings), explorer.html (search, trends, formulas),
    figures.html, one page per notebook, the executed notebooks as HTML, provenance. Notebooks whose inputs did not
    change since the last build are not run again (--no-cache runs them all). The report is built in a temporary
    folder and swapped in only when complete: a failing cell names the notebook and cell and leaves the previous
    report as it was. One build at a time per folder (a second run waits).
    """
    from ..report.build import build_report  # imported here: pandas and papermill load slowly

    # Ctrl-C and SIGTERM (rhetoric.cli.main turns it into KeyboardInterrupt) unwind through build_report's
    # clean-up: its temporary folder, worker processes and lock are removed, the previous report stays.
    start = time.perf_counter()
    limit = {} if args.cell_timeout is None else {"cell_timeout": args.cell_timeout}
    index = build_report(corpus_dir=args.corpus, out_dir=args.out, notebooks=args.notebooks,
                         progress=False if args.quiet else None, lock_timeout=args.lock_timeout, jobs=args.jobs,
                         cache=args.cache, **limit)
    print(f"report written: {index} ({time.perf_counter() - start:.0f} s)", file=sys.stderr if
          args.format != "table" else sys.stdout)
    return 0
