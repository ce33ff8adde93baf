"""Progress bars (tqdm): shown only in a terminal, and never with ``--quiet``."""

from __future__ import annotations

import os
import sys

QUIET_ENV = "RHETORIC_QUIET"


def progress_enabled(enable: bool | None = None) -> bool:
    """Whether to show progress: ``enable`` if given, else only when stderr is a terminal
    and ``$RHETORIC_QUIET`` is not set."""
    if enable is not None:
        return enable
    return not os.environ.get(QUIET_ENV) and sys.stderr.isatty()


def progress_bar(iterable, *, desc: str, unit: str = "it", total: int | None = None,
                 enable: bool | None = None):
    """Wrap ``iterable`` in a tqdm bar when progress is enabled (see :func:`progress_enabled`)."""
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc, unit=unit, total=total, disable=not progress_enabled(enable),
                leave=False, file=sys.stderr)
