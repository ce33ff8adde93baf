"""The ``rhetoric`` command: argument parsing and formatting only.

Each module in this package registers the subcommands of one area
(``corpus``, ``lexical``, ``formulas``, ...) and calls functions of
:mod:`rhetoric`; none computes anything itself. The analysis modules are
imported only when a subcommand runs, so ``rhetoric --help`` starts without
pandas or scikit-learn.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback

from ..errors import RhetoricError
from ..progress import QUIET_ENV

COMMAND_MODULES = ("corpus", "lexical", "context", "formulas", "framing", "report")
"""Modules of this package that define subcommands, in help order."""


def common_options() -> argparse.ArgumentParser:
    """Options every subcommand takes."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--corpus", metavar="DIR", default=None,
                        help="corpus folder holding corpus.csv (default: the project's data/)")
    parent.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="output format: aligned table, CSV with a header row, or JSON records")
    parent.add_argument("--quiet", action="store_true", help="no progress bars")
    parent.add_argument("--debug", action="store_true", help="show a traceback on errors")
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rhetoric",
        description="Discourse analysis of diplomatic writing: corpus, frequencies, keyness, "
                    "formula phrases, framing, reports.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    parent = common_options()
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(subparsers, parent)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rhetoric`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.quiet:
        os.environ[QUIET_ENV] = "1"
    try:
        return int(args.handler(args) or 0)
    except RhetoricError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an unexpected failure: short message unless --debug
        if args.debug:
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc} (run again with --debug for the traceback)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
