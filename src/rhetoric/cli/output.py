"""Writing tables to stdout in the format the user asked for."""

from __future__ import annotations

import sys

import pandas as pd


def emit(table: pd.DataFrame, fmt: str = "table", *, stream=None) -> None:
    """Write ``table`` as an aligned text table, CSV (with header) or JSON records.

    The CSV is exactly what ``table.to_csv(index=False)`` gives, so the command
    line and the functions produce the same tables.
    """
    stream = stream or sys.stdout
    if fmt == "csv":
        table.to_csv(stream, index=False, lineterminator="\n")
    elif fmt == "json":
        stream.write(table.to_json(orient="records", force_ascii=False, date_format="iso"))
        stream.write("\n")
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200, "display.max_colwidth", 60):
            stream.write(table.to_string(index=False) if len(table) else "(no rows)")
            stream.write("\n")
