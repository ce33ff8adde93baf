"""Writing tables to stdout in the format the user asked for."""

from __future__ import annotations

import re
import sys

MAX_CELL = 48
"""Longest text cell of the table format (CSV and JSON are never cut)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters that a terminal would act on (escape sequences, bidirectional overrides)."""


def safe_for_terminal(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN`` / ``\\uNNNN`` instead of acting on the terminal.

    Examples
    --------
    >>> safe_for_terminal("red \\x1b[31mtext")
    'red \\\\x1b[31mtext'
    """
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def emit(table, fmt: str = "table", *, stream=None) -> None:
    """Write ``table`` as an aligned text table, CSV (with header) or JSON records.

    The CSV is exactly what ``table.to_csv(index=False)`` gives, so the command
    line and the functions give the same tables; in a terminal, control
    characters from the corpus are escaped (:func:`safe_for_terminal`; JSON
    escapes them itself, as ``\\uNNNN``). The table format always escapes them.

    Examples
    --------
    >>> import io, pandas as pd
    >>> out = io.StringIO()
    >>> emit(pd.DataFrame({"term": ["trade"], "count": [3]}), "csv", stream=out)
    >>> out.getvalue()
    'term,count\\ntrade,3\\n'
    """
    import pandas as pd

    stream = stream or sys.stdout
    terminal = getattr(stream, "isatty", lambda: False)()
    if fmt == "csv":
        text = table.to_csv(index=False, lineterminator="\n")
        stream.write(safe_for_terminal(text) if terminal else text)
    elif fmt == "json":
        text = table.to_json(orient="records", force_ascii=terminal, date_format="iso")
        stream.write(text.replace("\x7f", "\\u007f") if terminal else text)  # DEL is the one ASCII left raw
        stream.write("\n")
    else:
        shown = table.copy()
        for column in shown.columns:
            if pd.api.types.is_object_dtype(shown[column]) or pd.api.types.is_string_dtype(shown[column]):
                shown[column] = shown[column].map(_cut)
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 160,
                               "display.precision", 4):
            text = shown.to_string(index=False) if len(shown) else "(no rows)"
        stream.write(safe_for_terminal(text) + "\n")


def _cut(value, width: int = MAX_CELL):
    """A text cell cut to ``width`` characters (the table format only: CSV and JSON keep every character)."""
    if isinstance(value, str) and len(value) > width:
        return value[:width - 1] + "…"
    return value
