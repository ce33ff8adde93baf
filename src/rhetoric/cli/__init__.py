"""The ``rhetoric`` command: argument parsing and formatting only.

Each module in this package registers the subcommands of one area
(``corpus``, ``lexical``, ``formulas``, ...) and calls functions of
:mod:`rhetoric`; none computes anything itself. The analysis modules are
imported only when a subcommand runs, so ``rhetoric --help`` starts without
pandas or scikit-learn.

Exit codes
----------
0   success (``validate``: no problem found)
1   ``validate`` found problems; or an internal error (a bug: please report it)
2   a usage or input error: a bad option, corpus, lexicon or pattern; the last
    line on stderr names the file, line or option and says what to do
130 interrupted (Ctrl-C)
143 terminated (SIGTERM)
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import traceback

from ..errors import RhetoricError
from ..progress import QUIET_ENV

COMMAND_MODULES = ("corpus", "lexical", "context", "measures", "formulas", "framing", "report")
"""Modules of this package that define subcommands, in help order."""
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """Raised in the main thread when the process receives SIGTERM, so clean-up code runs as for Ctrl-C."""


def _on_sigterm(signum, frame):
    raise Terminated


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
    """The argument parser of ``rhetoric`` with every subcommand (imports no analysis module).

    Examples
    --------
    >>> parser = build_parser()
    >>> args = parser.parse_args(["formulas", "--by", "year"])
    >>> args.command, args.by, args.all_versions
    ('formulas', 'year', False)
    """
    parser = argparse.ArgumentParser(
        prog="rhetoric",
        description="Discourse analysis of diplomatic writing: corpus, frequencies, keyness, "
                    "formula phrases, framing, reports. `rhetoric COMMAND --help` describes each command.",
        epilog="Exit codes: 0 done, 1 problems found by `validate`, 2 bad input (the last line says what to "
               "fix), 130/143 interrupted.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    parser.set_defaults(subcommands=subparsers.choices)  # main() names the subcommand an unknown option came to
    parent = common_options()
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(subparsers, parent)
    return parser


def _error(message: str) -> None:
    from .output import safe_for_terminal

    print(safe_for_terminal(f"error: {message}"), file=sys.stderr)


def _tolerant_streams() -> None:
    """Write characters the terminal's encoding lacks as escapes instead of failing (e.g. an ASCII locale)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding and encoding != "utf8" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a detached or closed stream
                pass


def _silence_stdout() -> None:
    """After a broken pipe (``rhetoric ... | head``): no second error when Python flushes stdout at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests): nothing to silence
        pass


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rhetoric`` console script; returns the exit code.

    Errors the user can cause (:class:`rhetoric.errors.RhetoricError`, files
    that cannot be read or written, too little memory) print one line
    ``error: ...`` on stderr and return 2; Ctrl-C returns 130 and SIGTERM 143,
    after printing ``interrupted``. ``--debug`` shows the traceback.

    Examples
    --------
    >>> main(["formulas", "--by", "decade"])
    2
    """
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    previous = None
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        _tolerant_streams()
        args, unknown = build_parser().parse_known_args(argv)
        if unknown:  # argparse would blame the top-level command and show its usage; the subcommand's is meant
            args.subcommands[args.command].error(f"unrecognized arguments: {' '.join(unknown)} "
                                                 f"(`rhetoric {args.command} --help` lists its options)")
        debug = args.debug
        if args.quiet:
            os.environ[QUIET_ENV] = "1"
        return int(args.handler(args) or 0)
    except RhetoricError as exc:
        if debug:
            traceback.print_exc()
        _error(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except KeyboardInterrupt as exc:
        if debug:
            traceback.print_exc()
        print("interrupted", file=sys.stderr)
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    except MemoryError:
        if debug:
            traceback.print_exc()
        _error("not enough memory for this command; use smaller options (--n-boot, --ngram-range, --window, "
               "--top-n) or a smaller corpus.")
        return EXIT_USAGE
    except OSError as exc:  # a file or folder that cannot be read or written
        if debug:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}; check the path, its permissions and the free disk space.")
        return EXIT_USAGE
    except Exception as exc:  # a bug: short message unless --debug
        if debug:
            raise
        _error(f"internal error ({type(exc).__name__}: {exc}); please report it with the command you ran "
               "(run again with --debug for the traceback).")
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
