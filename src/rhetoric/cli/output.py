"""Writing tables to stdout in the format the user asked for.

The ``table`` format is for reading in a terminal: numbers rounded to four
significant digits, whole numbers without ``.0``, missing values blank, hashes
shortened, text cells cut at :data:`MAX_CELL` characters, and no wider than the
terminal (:data:`TABLE_WIDTH` columns when the output is not a terminal): the
columns that do not fit are left out and named on stderr. ``--format csv`` and
``--format json`` always give every column and every character.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import sys

MAX_CELL = 40
"""Longest text cell of the table format (CSV and JSON are never cut)."""
TABLE_WIDTH = 100
"""Width of the table format when the output is not a terminal (and ``$COLUMNS`` is not set)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters that a terminal would act on (escape sequences, bidirectional overrides)."""
_HEX_DIGEST = re.compile(r"[0-9a-f]{32,}")
_GAP = "  "


def safe_for_terminal(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN`` / ``\\uNNNN`` instead of acting on the terminal.

    Examples
    --------
    >>> safe_for_terminal("red \\x1b[31mtext")
    'red \\\\x1b[31mtext'
    """
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def table_width(stream=None) -> int:
    """Columns available: the terminal's width for a terminal, else ``$COLUMNS``, else :data:`TABLE_WIDTH`."""
    stream = stream or sys.stdout
    if getattr(stream, "isatty", lambda: False)():
        return max(40, shutil.get_terminal_size((TABLE_WIDTH, 24)).columns)
    try:
        return max(40, int(os.environ.get("COLUMNS", TABLE_WIDTH)))
    except ValueError:
        return TABLE_WIDTH


def format_value(value) -> str:
    """One cell of the table format: 4 significant digits, whole numbers as integers, missing as blank, a hash
    shortened to 12 characters, text cut at :data:`MAX_CELL`.

    Examples
    --------
    >>> [format_value(v) for v in (0.123456, 2022.0, float("nan"), 12345.678, 6.9129e-05, 7, "a" * 64)]
    ['0.1235', '2022', '', '12346', '6.913e-05', '7', 'aaaaaaaaaaaa…']
    """
    if value is None or isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"
    text = str(value)
    if _HEX_DIGEST.fullmatch(text):
        return text[:12] + "…"
    text = " ".join(text.split()) if "\n" in text or "\t" in text else text
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def format_table(table, *, width: int = TABLE_WIDTH, priority=()) -> tuple[str, list[str]]:
    """The table format of ``table`` within ``width`` characters, and the columns left out to fit.

    Columns are kept in the table's order; when they do not all fit, those named
    in ``priority`` are kept first, then the others from the left, and the rest
    are left out. Numbers are right-aligned, text left-aligned.

    Examples
    --------
    >>> import pandas as pd
    >>> text, hidden = format_table(pd.DataFrame({"term": ["trade"], "count": [3], "note": ["x" * 30]}), width=20)
    >>> print(text)
    term   count
    trade      3
    >>> hidden
    ['note']
    """
    import pandas as pd

    if not len(table.columns):
        return "(no columns)", []
    columns = [str(c) for c in table.columns]
    numeric = [pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
               for c in table.columns]
    cells = [[format_value(v.item() if hasattr(v, "item") else v) for v in table[c].tolist()] for c in table.columns]
    widths = [max([len(name)] + [len(v) for v in column]) for name, column in zip(columns, cells)]
    wanted = [columns.index(p) for p in dict.fromkeys(map(str, priority)) if p in columns]
    order = wanted + [i for i in range(len(columns)) if i not in wanted]
    kept, used = [], 0
    for i in order:
        extra = widths[i] + (len(_GAP) if kept else 0)
        if not kept or used + extra <= width:
            kept.append(i)
            used += extra
    kept.sort()
    if len(kept) == 1 and widths[kept[0]] > width:  # one column wider than the terminal: cut its cells
        widths[kept[0]] = width
        cells[kept[0]] = [v if len(v) <= width else v[:width - 1] + "…" for v in cells[kept[0]]]
    def line(values):
        parts = [v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]) for i, v in zip(kept, values)]
        return _GAP.join(parts).rstrip()
    lines = [line([columns[i][:widths[i]] for i in kept])]
    lines += [line([cells[i][r] for i in kept]) for r in range(len(table))]
    return "\n".join(lines), [columns[i] for i in range(len(columns)) if i not in kept]


def emit(table, fmt: str = "table", *, stream=None, priority=()) -> None:
    """Write ``table`` as an aligned text table, CSV (with header) or JSON records.

    The CSV is exactly what ``table.to_csv(index=False)`` gives, so the command
    line and the functions give the same tables; in a terminal, control
    characters from the corpus are escaped (:func:`safe_for_terminal`; JSON
    escapes them itself, as ``\\uNNNN``). The table format always escapes them,
    fits :func:`table_width` (:func:`format_table`; ``priority`` names the columns
    kept first) and says on stderr which columns it left out and how to see them.

    Examples
    --------
    >>> import io, pandas as pd
    >>> out = io.StringIO()
    >>> emit(pd.DataFrame({"term": ["trade"], "count": [3]}), "csv", stream=out)
    >>> out.getvalue()
    'term,count\\ntrade,3\\n'
    """
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
        if not len(table):
            stream.write("(no rows)\n")
            return
        width = table_width(stream)
        text, hidden = format_table(table, width=width, priority=priority)
        stream.write(safe_for_terminal(text) + "\n")
        cut = any(isinstance(v, str) and len(v) > MAX_CELL for c in table.columns
                  if table[c].dtype == object for v in table[c].tolist())
        notes = []
        if hidden:
            notes.append(f"{len(hidden)} of {len(table.columns)} columns left out to fit {width} characters: "
                         f"{', '.join(hidden)}")
        if cut:
            notes.append(f"text cut at {MAX_CELL} characters")
        if notes:
            sys.stderr.write(f"({'; '.join(notes)}; --format csv or --format json shows everything)\n")
