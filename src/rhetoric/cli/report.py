"""Subcommand ``rhetoric report``: run the notebooks and rebuild the report folder."""

from __future__ import annotations

import signal
import sys
import time

from .. import config


def register(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "report", parents=[parent],
        help="run every notebook and rebuild reports/ (figures, tables, notebooks as HTML, index.html)",
        description="Execute notebooks/NN_*.ipynb in order with papermill (parameters corpus_dir, output_dir), "
                    "then write figures/, tables/, notebooks/*.html, provenance.json and index.html. The report "
                    "is built in a temporary folder and swapped in only when complete: a failing cell names the "
                    "notebook and cell and leaves the previous report as it was. One build at a time per folder "
                    "(a second run waits).")
    p.add_argument("--out", default=str(config.REPORTS_DIR), metavar="DIR",
                   help="report folder, replaced whole when the build succeeds (default: reports/)")
    p.add_argument("--notebooks", default=None, metavar="DIR",
                   help="folder of NN_*.ipynb notebooks to run (default: the project's notebooks/)")
    p.add_argument("--lock-timeout", type=float, default=3600, metavar="SECONDS",
                   help="how long to wait for another build of the same folder (default: 3600)")
    p.add_argument("--cell-timeout", type=int, default=None, metavar="SECONDS",
                   help="stop a cell that runs longer than this (default: no limit)")
    p.set_defaults(handler=run_report)


def _terminate(signum, frame):
    raise KeyboardInterrupt  # unwinds through build_report's cleanup (temporary folder, lock)


def run_report(args) -> int:
    from ..report.build import build_report  # imported here: matplotlib and papermill load slowly

    previous = signal.signal(signal.SIGTERM, _terminate)
    start = time.perf_counter()
    try:
        index = build_report(corpus_dir=args.corpus, out_dir=args.out, notebooks=args.notebooks,
                             progress=False if args.quiet else None, lock_timeout=args.lock_timeout,
                             cell_timeout=args.cell_timeout)
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(f"report written: {index} ({time.perf_counter() - start:.0f} s)", file=sys.stderr if
          args.format != "table" else sys.stdout)
    return 0
