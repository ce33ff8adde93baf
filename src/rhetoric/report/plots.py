"""Figures from the statistics tables, in one colour-blind-safe style, and saving them with their data.

Every ``plot_*`` function takes a tidy table (columns documented in its
docstring), never modifies it, and returns a :class:`matplotlib.figure.Figure`
made with the object API (no ``pyplot`` state, no ``plt.show``; safe under the
Agg backend). The style is fixed: the Okabe–Ito palette (Okabe & Ito 2008),
sequential single-hue colour maps for heat maps, DejaVu Sans (bundled with
matplotlib, so figures look the same on every machine), axis labels with units.

:func:`save_figure` writes a figure as PNG and SVG (byte-stable: no dates, a
fixed SVG hash salt), the CSV of the data drawn and a JSON sidecar naming the
function, its parameters and the caption; :func:`save_table` writes a table as
CSV with a JSON sidecar. The report (:mod:`rhetoric.report.build`) assembles its page
from these sidecars.

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): How to make figures and
presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import textwrap
import weakref
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import cycler
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from .. import config
from ..errors import ParameterError

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
"""Okabe–Ito colours, most distinct first (blue, orange, bluish green, vermillion, reddish purple,
sky blue, black, yellow)."""

GREY = "#8C8C8C"
SEQUENTIAL_CMAP = "Blues"
"""Single-hue colour map for counts and similarities: lightness alone carries the value."""

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", ":", "-.")

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "figure.titlesize": 14,
    "figure.titleweight": "bold",
    "axes.prop_cycle": cycler(color=OKABE_ITO),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "image.cmap": SEQUENTIAL_CMAP,
    "svg.fonttype": "path",
    "svg.hashsalt": "rhetoric",
    "savefig.facecolor": "white",
    "figure.facecolor": "white",
}
"""rcParams applied (in a context, never globally) while drawing and saving."""

DPI = 150
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,119}")
_SOURCES: "weakref.WeakKeyDictionary[Figure, dict]" = weakref.WeakKeyDictionary()
_SAVED = itertools.count(1)
"""Numbers the saves of one process (one notebook kernel), so the report lists outputs in notebook order."""
NOTEBOOK_ENV = "RHETORIC_REPORT_NOTEBOOK"
"""Set by the report builder to the notebook being run; recorded in sidecars."""


# --------------------------------------------------------------------------- helpers

def _require(table: pd.DataFrame, columns, function: str, argument: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"{function}: '{argument}' must be a pandas DataFrame, not {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ParameterError(
            f"{function}: '{argument}' lacks column(s) {', '.join(missing)}; it has: "
            f"{', '.join(map(str, table.columns)) or '(none)'}. Pass the table the matching rhetoric function returns.")
    if table.empty:
        raise ParameterError(f"{function}: '{argument}' has no rows, so there is nothing to plot.")


def _positive_int(value, name: str, function: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ParameterError(f"{function}: {name} must be a positive integer, got {value!r}.")
    return int(value)


def _new_figure(width: float, height: float) -> Figure:
    """A Figure of the given size in inches, with constrained layout (labels never cut off)."""
    with mpl.rc_context(STYLE):
        return Figure(figsize=(min(width, 18.0), min(max(height, 2.0), 30.0)), layout="constrained")


def _record(fig: Figure, function: str, data: pd.DataFrame | None, params: dict) -> Figure:
    _SOURCES[fig] = {"function": f"rhetoric.report.plots.{function}", "data": data, "params": params}
    return fig


def _ordered(values, order=None) -> list:
    """Unique values in ``order`` if given (unknown ones raise), else sorted."""
    present = list(pd.unique(pd.Series(list(values))))
    if order is None:
        try:
            return sorted(present)
        except TypeError:
            return sorted(present, key=str)
    order = list(order)
    unknown = [v for v in order if v not in present]
    if unknown:
        raise ParameterError(f"order lists {unknown!r}, which the table does not have; it has {present!r}.")
    return order


def _title(fig: Figure, title: str) -> None:
    """The figure's title, top left, wrapped to the figure's width so it is never cut off."""
    chars = max(20, int(fig.get_size_inches()[0] * 8.2))
    fig.suptitle(_wrap(title, chars), x=0.01, ha="left")


def _footer(fig: Figure, note: str | None) -> None:
    """A note under the figure (the documents behind each group, a caveat), wrapped to the figure's width.

    It is part of the image, so a figure copied into a slide keeps it.
    """
    if not note:
        return
    chars = max(40, int(fig.get_size_inches()[0] * 14.5))
    lines = [line for paragraph in str(note).split("\n") for line in (textwrap.wrap(paragraph, chars) or [""])]
    fig.supxlabel("\n".join(lines), x=0.01, ha="left", multialignment="left", fontsize=9, color="#333333",
                  fontweight="normal")


def _wrap(label, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


# --------------------------------------------------------------------------- one colour per group

def group_colours(values) -> dict:
    """One Okabe–Ito colour per group value, keyed by the value as text.

    Colours follow the sorted order of the values (numbers by value), so the
    same corpus gives every figure the same colour for the same year, period or
    author: pass the mapping of *all* groups (``group_colours(docs["year"])``)
    to each plot's ``colours`` so that a figure showing only some groups keeps
    them. Beyond eight groups the colours repeat.

    Examples
    --------
    >>> group_colours([2024, 2022, 2023, 2022])
    {'2022': '#0072B2', '2023': '#E69F00', '2024': '#009E73'}
    """
    order = _ordered(pd.Series(list(values)).dropna())
    return {str(v): OKABE_ITO[i % len(OKABE_ITO)] for i, v in enumerate(order)}


def _colour_of(colours: dict | None, value, fallback: str) -> str:
    if colours and str(value) in colours:
        return colours[str(value)]
    return fallback


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def describe_groups(docs: pd.DataFrame, tokens, *, by: str, all_versions: bool = False,
                    prefer: str = "official") -> pd.DataFrame:
    """The documents behind each group, for figures and captions: how many, how long, of which genre.

    Parameters
    ----------
    docs : DataFrame
        From :func:`rhetoric.corpus.load_corpus`.
    tokens : Tokens
        From :func:`rhetoric.corpus.tokenize` of ``docs`` (gives the lengths).
    by : str
        The column that groups the documents (``"year"``, ``"period"``, ...).
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`), as in the analyses.

    Returns
    -------
    DataFrame
        One row per group, sorted: ``group``, ``n_docs``, ``n_tokens`` (running
        tokens of its documents), ``genres`` and ``authors`` (distinct values,
        in document order, joined by ", "; empty when the column is missing),
        ``doc_ids`` (joined by ", "), ``label`` (e.g. "2024: 1 document (news
        report), 681 tokens"), ``short`` ("2024 (1 doc, 681 tokens)", for panel
        titles and legends) and ``tick`` (group, documents and genres on lines
        of their own, for an axis). ``attrs["by"]`` names the column.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> describe_groups(docs, tokenize(docs), by="year")["label"].tolist()[-1]
    '2024: 1 document (news report), 681 tokens'
    """
    from ..counts import check_column, select_documents

    check_column(docs, by)
    chosen = select_documents(docs, all_versions=all_versions, prefer=prefer)
    lengths = tokens.doc_lengths()
    rows = []
    for group in _ordered(chosen[by].dropna()):
        part = chosen[chosen[by] == group]
        genres = [g for g in pd.unique(part["genre"].fillna("").astype(str)) if g] if "genre" in part else []
        authors = [a for a in pd.unique(part["author"].fillna("").astype(str)) if a] if "author" in part else []
        n_docs = len(part)
        n_tokens = int(lengths.reindex(part["doc_id"]).fillna(0).sum())
        rows.append({"group": group, "n_docs": n_docs, "n_tokens": n_tokens, "genres": ", ".join(genres),
                     "authors": ", ".join(authors), "doc_ids": ", ".join(part["doc_id"].astype(str)),
                     "label": f"{group}: {_plural(n_docs, 'document')}"
                              + (f" ({', '.join(genres)})" if genres else "") + f", {_plural(n_tokens, 'token')}",
                     "short": f"{group} ({_plural(n_docs, 'doc')}, {_plural(n_tokens, 'token')})",
                     "tick": "\n".join([str(group), _plural(n_docs, "doc")] + [_wrap(g, 11) for g in genres])})
    table = pd.DataFrame(rows, columns=["group", "n_docs", "n_tokens", "genres", "authors", "doc_ids", "label",
                                        "short", "tick"])
    table.attrs["by"] = by
    return table


def group_note(groups: pd.DataFrame, *, only=None, lead: str | None = None) -> str:
    """One line naming the documents behind each group, for a figure's note or a caption.

    Parameters
    ----------
    groups : DataFrame
        From :func:`describe_groups`.
    only : list, optional
        The groups to name (compared as text), in this order; default all.
    lead : str, optional
        Words before the list; default "Behind each <by>:".

    Examples
    --------
    >>> groups = pd.DataFrame({"group": [2022, 2024], "label": ["2022: 2 documents, 2,312 tokens",
    ...                                                         "2024: 1 document (news report), 681 tokens"]})
    >>> group_note(groups, only=["2024"])
    'Behind each group: 2024: 1 document (news report), 681 tokens.'
    """
    rows = groups
    if only is not None:
        wanted = [str(g) for g in only]
        rows = groups.assign(_key=groups["group"].astype(str)).set_index("_key").reindex(wanted).dropna(
            subset=["label"])
    lead = lead or f"Behind each {groups.attrs.get('by', 'group')}:"
    return f"{lead} " + "; ".join(rows["label"].astype(str)) + "."


def _is_fraction(series: pd.Series) -> bool:
    values = pd.to_numeric(series, errors="coerce").dropna()
    return bool(len(values)) and values.min() >= 0 and values.max() <= 1


def _annotate_cells(ax, values: np.ndarray, norm, fmt: str) -> None:
    for (i, j), value in np.ndenumerate(values):
        if np.isnan(value):
            continue
        dark = norm(value) > 0.55
        ax.text(j, i, format(value, fmt), ha="center", va="center", fontsize=9,
                color="white" if dark else "black")


ROW_INCHES = 0.3
"""Height of one row of a heat map (9-point numbers in 0.3 in: readable, never a page tall for a few columns)."""


def _matrix_figure(matrix: pd.DataFrame, *, function: str, title: str, value_label: str, vmin=None,
                   vmax=None, fmt: str | None = None, note: str | None = None) -> Figure:
    values = matrix.to_numpy(dtype=float)
    n_rows, n_cols = values.shape
    col_labels = [_wrap(c, 22) for c in matrix.columns]
    longest_row = max(len(str(r)) for r in matrix.index)
    width = max(6.5, 2.5 + 0.085 * longest_row + 0.75 * n_cols)
    label_lines = max(str(label).count("\n") + 1 for label in col_labels)
    longest_col = max(len(line) for label in col_labels for line in str(label).split("\n"))
    rotated = 0.075 * longest_col * 0.64 + 0.18 * label_lines  # column labels turned by 40 degrees, in inches
    height = 1.3 + ROW_INCHES * n_rows + rotated + (0.45 if note else 0.0)
    if fmt is None:
        finite = values[np.isfinite(values)]
        fmt = "d" if finite.size and np.all(finite == np.round(finite)) else ".2f"
    fig = _new_figure(width, height)
    with mpl.rc_context(STYLE):
        ax = fig.add_subplot()
        vmin = np.nanmin(values) if vmin is None else vmin
        vmax = np.nanmax(values) if vmax is None else vmax
        if vmax <= vmin:
            vmax = vmin + 1
        image = ax.imshow(values, cmap=SEQUENTIAL_CMAP, vmin=vmin, vmax=vmax, aspect="auto")
        shown = np.where(np.isfinite(values), values, np.nan)
        _annotate_cells(ax, shown.astype(int) if fmt == "d" else shown, image.norm, fmt)
        ax.set_xticks(range(n_cols), col_labels, rotation=40, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(n_rows), [str(r) for r in matrix.index])
        ax.set_xlabel(str(matrix.columns.name or ""))
        ax.set_ylabel(str(matrix.index.name or ""))
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.tick_params(length=0)
        fig.colorbar(image, ax=ax, label=value_label, shrink=min(0.85, 5.0 / fig.get_size_inches()[1]), aspect=18)
        _title(fig, title)
        _footer(fig, note)
    return fig


# --------------------------------------------------------------------------- corpus overview

def plot_doc_lengths(summary: pd.DataFrame, *, group: str = "year", value: str = "n_tokens",
                     colours: dict | None = None, note: str | None = None,
                     title: str = "Length of each document") -> Figure:
    """Horizontal bars of document length, coloured by group.

    Parameters
    ----------
    summary : DataFrame
        One row per document with ``doc_id``, ``value`` and ``group`` columns, e.g.
        :func:`rhetoric.corpus.corpus_summary` (``doc_id, year, n_tokens, ...``).
    group : str, default "year"
        Column whose values colour the bars.
    value : str, default "n_tokens"
        Column with the length (tokens).
    colours : dict, optional
        Group value (as text) -> colour, e.g. :func:`group_colours` of the whole corpus; default
        :func:`group_colours` of the groups drawn.
    note : str, optional
        A line under the figure (e.g. :func:`group_note`).
    title : str

    Returns
    -------
    Figure
        One bar per document (its length), coloured by group.

    Examples
    --------
    >>> summary = pd.DataFrame({"doc_id": ["a", "b"], "year": [2022, 2024], "n_tokens": [1573, 681]})
    >>> fig = plot_doc_lengths(summary)
    >>> [float(bar.get_width()) for bar in fig.axes[0].patches]
    [1573.0, 681.0]
    """
    fn = "plot_doc_lengths"
    _require(summary, ["doc_id", value, group], fn, "summary")
    data = summary[["doc_id", group, value]].reset_index(drop=True)
    groups = _ordered(data[group])
    colours = colours or group_colours(groups)
    fig = _new_figure(8, 1.6 + 0.42 * len(data) + (0.4 if note else 0))
    with mpl.rc_context(STYLE):
        ax = fig.add_subplot()
        y = np.arange(len(data))
        ax.barh(y, data[value], color=[_colour_of(colours, g, GREY) for g in data[group]])
        ax.set_yticks(y, data["doc_id"].astype(str))
        ax.invert_yaxis()
        for yi, v in zip(y, data[value]):
            ax.text(v, yi, f" {v:,}", va="center", fontsize=9)
        ax.set_xlabel("tokens (words, numbers, 's, $, %; no punctuation)")
        ax.set_xlim(0, data[value].max() * 1.15)
        ax.grid(axis="x")
        fig.legend(handles=[Patch(color=_colour_of(colours, g, GREY), label=str(g)) for g in groups], title=group,
                   loc="outside right upper")
        _title(fig, title)
        _footer(fig, note)
    return _record(fig, fn, data, {"group": group, "value": value, "title": title, "note": note})


def plot_documents_per_group(counts: pd.DataFrame, *, group_label: str = "year", colours: dict | None = None,
                             note: str | None = None, title: str = "Documents per group") -> Figure:
    """Stacked bars: documents counted once per translation group, plus further translations.

    Parameters
    ----------
    counts : DataFrame
        ``group, n_documents, n_counted``: all documents in the group, and the
        documents left when each translated text counts once
        (:func:`rhetoric.counts.select_documents`); with ``n_tokens_counted``
        the tokens behind each group are written above its bar.
    group_label : str, default "year"
        Name of the grouping, for the axis label.
    colours : dict, optional
        Group value (as text) -> colour (:func:`group_colours`); default the groups drawn.
    note : str, optional
        A line under the figure.
    title : str

    Returns
    -------
    Figure
        One stacked bar per group in its colour: the documents counted, then (hatched, pale) the further
        translations.

    Examples
    --------
    >>> counts = pd.DataFrame({"group": [2022, 2024], "n_documents": [3, 1], "n_counted": [2, 1]})
    >>> fig = plot_documents_per_group(counts)
    >>> [float(bar.get_height()) for bar in fig.axes[0].patches]  # counted once, then further translations
    [2.0, 1.0, 1.0, 0.0]
    """
    fn = "plot_documents_per_group"
    _require(counts, ["group", "n_documents", "n_counted"], fn, "counts")
    columns = ["group", "n_documents", "n_counted"] + (["n_tokens_counted"] if "n_tokens_counted" in counts else [])
    data = counts[columns].reset_index(drop=True)
    colours = colours or group_colours(data["group"])
    fig = _new_figure(max(5.5, 1.3 * len(data) + 3.5), 4.4 + (0.4 if note else 0))
    with mpl.rc_context(STYLE):
        ax = fig.add_subplot()
        x = np.arange(len(data))
        shades = [_colour_of(colours, g, GREY) for g in data["group"]]
        extra = data["n_documents"] - data["n_counted"]
        ax.bar(x, data["n_counted"], color=shades)
        ax.bar(x, extra, bottom=data["n_counted"], color=shades, alpha=0.35, hatch="//", edgecolor="white")
        for xi, row in zip(x, data.itertuples(index=False)):
            text = _plural(int(row.n_counted), "text")
            if "n_tokens_counted" in data:
                text += f"\n{int(row.n_tokens_counted):,} tokens"
            ax.text(xi, row.n_documents + 0.08, text, ha="center", va="bottom", fontsize=9)
        ax.set_xticks(x, [str(g) for g in data["group"]])
        ax.set_xlabel(group_label)
        ax.set_ylabel("documents")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, data["n_documents"].max() * 1.35 + 0.8)
        ax.grid(axis="y")
        ax.legend(handles=[Patch(color=GREY, label="counted (a translated text once)"),
                           Patch(facecolor=GREY, alpha=0.35, hatch="//", edgecolor="white",
                                 label="another translation of a text")], loc="upper left", ncols=2, fontsize=9)
        _title(fig, title)
        _footer(fig, note)
    return _record(fig, fn, data, {"group_label": group_label, "title": title, "note": note})


# --------------------------------------------------------------------------- frequencies and keyness

def shared_top_terms(freq: pd.DataFrame, *, top_n: int = 15, value: str = "per_10k") -> list:
    """The terms among the ``top_n`` of *every* group (ranked by ``value``, ties by term), sorted.

    Such terms (country names, "cooperation") tell the groups apart least; pass
    them as ``exclude`` to :func:`plot_top_terms` to show what is distinctive,
    and say so in the caption.

    Examples
    --------
    >>> freq = pd.DataFrame({"group": [1, 1, 2, 2], "term": ["china", "trade", "china", "xi"],
    ...                      "count": [5, 2, 4, 3], "per_10k": [50.0, 20.0, 40.0, 30.0]})
    >>> shared_top_terms(freq, top_n=2)
    ['china']
    """
    fn = "shared_top_terms"
    top_n = _positive_int(top_n, "top_n", fn)
    _require(freq, ["group", "term", value], fn, "freq")
    tops = [set(rows.sort_values([value, "term"], ascending=[False, True], kind="stable")["term"].head(top_n))
            for _, rows in freq.groupby("group", sort=True)]
    return sorted(set.intersection(*tops)) if len(tops) > 1 else []


def plot_top_terms(freq: pd.DataFrame, *, top_n: int = 15, value: str = "per_10k", groups=None,
                   ncols: int = 3, value_label: str | None = None, exclude=None, colours: dict | None = None,
                   labels: dict | None = None, note: str | None = None,
                   title: str = "Most frequent terms") -> Figure:
    """Small multiples: the ``top_n`` terms of each group as horizontal bars.

    Parameters
    ----------
    freq : DataFrame
        ``group, term, count, per_10k, range`` (one row per group and term), as
        the frequency functions return; ``per_10k = count / tokens_in_group * 10,000``.
    top_n : int, default 15
        Terms per panel, by ``value`` descending, ties by term.
    value : str, default "per_10k"
        Column the bars show (``per_10k``, ``count``, or another number column
        such as the ``tfidf`` of :func:`rhetoric.stats.tfidf.tfidf_keywords`).
    groups : list, optional
        Groups to show and their order; default every group, sorted.
    ncols : int, default 3
        Panels per row.
    value_label : str, optional
        Axis label; default "per 10,000 tokens" for ``per_10k``, else the column name.
    exclude : list of str, optional
        Terms left out of every panel before the ``top_n`` are taken (e.g. :func:`shared_top_terms`);
        recorded with the figure.
    colours : dict, optional
        Group value (as text) -> bar colour (:func:`group_colours`); default the groups drawn.
    labels : dict, optional
        Group value (as text) -> panel title (e.g. with the documents behind it); default the value.
    note : str, optional
        A line under the figure.
    title : str

    Returns
    -------
    Figure
        The data recorded for :func:`save_figure` is the rows drawn, with ``rank``.

    Examples
    --------
    >>> freq = pd.DataFrame({"group": [2022, 2022, 2024], "term": ["trade", "china", "trade"],
    ...                      "count": [4, 10, 9], "per_10k": [40.0, 100.0, 150.0]})
    >>> fig = plot_top_terms(freq, top_n=2)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['china', 'trade']
    """
    fn = "plot_top_terms"
    top_n = _positive_int(top_n, "top_n", fn)
    ncols = _positive_int(ncols, "ncols", fn)
    _require(freq, ["group", "term", "count", value], fn, "freq")
    order = _ordered(freq["group"], groups)
    excluded = sorted(set(map(str, exclude or [])))
    colours = colours or group_colours(order)
    keep = list(dict.fromkeys(c for c in ("group", "term", "count", value, "per_10k", "range") if c in freq.columns))
    parts = []
    for g in order:
        rows = freq.loc[(freq["group"] == g) & ~freq["term"].astype(str).isin(excluded), keep]
        rows = rows.sort_values([value, "term"], ascending=[False, True], kind="stable").head(top_n).copy()
        rows["rank"] = np.arange(1, len(rows) + 1)
        parts.append(rows)
    data = pd.concat(parts, ignore_index=True)
    if data.empty:
        raise ParameterError(f"{fn}: no term is left to draw once {len(excluded)} excluded terms are left out.")
    ncols = min(ncols, len(order))
    nrows = math.ceil(len(order) / ncols)
    longest = max(len(str(t)) for t in data["term"])
    panel_width = 2.6 + 0.075 * longest
    titles = {g: _wrap((labels or {}).get(str(g), str(g)), max(16, int(panel_width * 11))) for g in order}
    title_lines = max(t.count("\n") + 1 for t in titles.values())
    fig = _new_figure(ncols * panel_width, nrows * (0.7 + 0.2 * title_lines + 0.27 * top_n) + 0.6
                      + (0.45 if note else 0))
    xmax = data[value].max() * 1.18
    unit = value_label or ("per 10,000 tokens" if value == "per_10k" else value)
    with mpl.rc_context(STYLE):
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for k, ax in enumerate(axes.flat):
            if k >= len(order):
                ax.set_visible(False)
                continue
            rows = data[data["group"] == order[k]]
            y = np.arange(len(rows))
            ax.barh(y, rows[value], color=_colour_of(colours, order[k], GREY))
            ax.set_yticks(y, rows["term"].astype(str))
            ax.set_ylim(top_n - 0.5, -0.5)
            ax.set_xlim(0, xmax)
            ax.grid(axis="x")
            ax.set_title(titles[order[k]], loc="left", fontsize=11 if title_lines == 1 else 10)
            if k // ncols == nrows - 1 or k + ncols >= len(order):
                ax.set_xlabel(unit)
        _title(fig, title)
        _footer(fig, note)
    return _record(fig, fn, data, {"top_n": top_n, "value": value, "groups": order, "value_label": unit,
                                   "exclude": excluded, "title": title, "note": note})


def _length_shades(lengths: list) -> dict:
    """Shades of one hue (light to dark) for an ordered quantity such as bundle length: never a group colour."""
    cmap = mpl.colormaps["Greys"]
    steps = np.linspace(0.4, 0.85, max(len(lengths), 2))[:len(lengths)]
    return {n: mpl.colors.to_hex(cmap(float(x))) for n, x in zip(lengths, steps)}


def plot_bundles(bundles: pd.DataFrame, *, top_n: int = 20, note: str | None = None,
                 title: str = "Lexical bundles") -> Figure:
    """The most frequent lexical bundles as bars, coloured by length, with their range beside each bar.

    Parameters
    ----------
    bundles : DataFrame
        ``bundle, n, freq, range`` (:func:`rhetoric.stats.bundles.lexical_bundles`,
        or n-grams renamed so).
    top_n : int, default 20
        Bundles shown, by ``freq`` descending, then longer first, then A-Z.
    note : str, optional
        A line under the figure (e.g. the documents the bundles come from).
    title : str

    Returns
    -------
    Figure
        Bars in shades of grey by length (colours are kept for groups); the data recorded for
        :func:`save_figure` is the rows drawn.

    Examples
    --------
    >>> table = pd.DataFrame({"bundle": ["the two countries", "belt and road"], "n": [3, 3], "freq": [9, 7],
    ...                       "range": [4, 3]})
    >>> fig = plot_bundles(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['the two countries', 'belt and road']
    """
    fn = "plot_bundles"
    top_n = _positive_int(top_n, "top_n", fn)
    _require(bundles, ["bundle", "n", "freq", "range"], fn, "bundles")
    data = bundles.sort_values(["freq", "n", "bundle"], ascending=[False, False, True], kind="stable").head(top_n)
    data = data[["bundle", "n", "freq", "range"]].reset_index(drop=True)
    longest = max((len(str(b)) for b in data["bundle"]), default=10)
    fig = _new_figure(4.2 + 0.075 * longest, 1.3 + 0.3 * max(len(data), 1) + (0.45 if note else 0))
    lengths = sorted(data["n"].unique().tolist())
    shades = _length_shades(lengths)
    with mpl.rc_context(STYLE):
        ax = fig.subplots()
        y = np.arange(len(data))
        ax.barh(y, data["freq"], color=[shades[n] for n in data["n"]])
        for k, (freq, rng) in enumerate(zip(data["freq"], data["range"])):
            ax.text(freq, k, f"  {rng} doc{'s' if rng != 1 else ''}", va="center", fontsize=8, color="#333333")
        ax.set_yticks(y, data["bundle"].astype(str))
        ax.set_ylim(max(len(data), 1) - 0.5, -0.5)
        ax.set_xlim(0, (data["freq"].max() if len(data) else 1) * 1.25)
        ax.set_xlabel("occurrences; beside each bar: documents")
        ax.grid(axis="x")
        handles = [Patch(color=shades[n], label=f"{n} words") for n in lengths]
        if handles:
            ax.legend(handles=handles, loc="lower right", frameon=False)
        _title(fig, title)
        _footer(fig, note)
    return _record(fig, fn, data, {"top_n": top_n, "title": title, "note": note})


CORRECTION_NAMES = {"holm": "Holm", "bonferroni": "Bonferroni", "none": "no", None: "no"}


def _significance(table: pd.DataFrame, alpha: float, correction, fn: str) -> tuple[str, str, pd.Series]:
    """The p column a keyness figure shades by (corrected when the table has one), its legend words, the mask."""
    if not 0 < alpha < 1:
        raise ParameterError(f"{fn}: alpha must be between 0 and 1, got {alpha!r}.")
    if "p_adjusted" in table.columns:
        column = "p_adjusted"
        correction = correction if correction is not None else table.attrs.get("correction", "holm")
    else:
        column, correction = "p_value", "none"
    name = CORRECTION_NAMES.get(correction, str(correction))
    words = f"{name}-adjusted p" if name != "no" else "p (no correction)"
    return column, words, table[column].astype(float) < alpha


def _key_colours(colours, target_label, reference_label) -> tuple[str, str]:
    return (_colour_of(colours, target_label, OKABE_ITO[0]), _colour_of(colours, reference_label, OKABE_ITO[1]))


def plot_keyness(keyness_table: pd.DataFrame, *, top_n: int = 15, measure: str = "g2",
                 target_label: str = "target", reference_label: str = "reference", alpha: float = 0.05,
                 correction: str | None = None, colours: dict | None = None, note: str | None = None,
                 title: str | None = None) -> Figure:
    """Diverging bars of keyness: terms over-used in the target to the right, in the reference to the left.

    A bar is solid when the term is significant *after* the correction for
    multiple tests (``p_adjusted < alpha``, Holm by default; the legend names
    the correction) and pale otherwise; beside each bar, the term's raw
    frequencies in the target and the reference.

    Parameters
    ----------
    keyness_table : DataFrame
        ``term, g2, log_ratio`` and ``p_adjusted`` (or, without a correction,
        ``p_value``), optionally ``freq_target, freq_reference``
        (:func:`rhetoric.stats.keyness.keyness`). ``g2`` is Dunning's
        log-likelihood; it is signed here by the direction of ``log_ratio``
        (``+`` = relatively more frequent in the target).
    top_n : int, default 15
        Terms on each side, by the absolute signed measure, ties by term.
    measure : {"g2", "log_ratio"}, default "g2"
    target_label, reference_label : str
        Names of the two sides (e.g. "2024", "2022").
    alpha : float, default 0.05
        Bars with ``p_adjusted >= alpha`` are drawn pale.
    correction : str, optional
        Name of the correction behind ``p_adjusted`` for the legend; default the table's
        ``attrs["correction"]`` (Holm).
    colours : dict, optional
        Label -> colour of each side, e.g. :func:`group_colours` (a pooled "rest" absent from it is grey);
        default blue for the target, orange for the reference.
    note : str, optional
        A line under the figure, e.g. the documents behind each side (:func:`group_note`).
    title : str, optional

    Returns
    -------
    Figure
        Recorded data: ``term, signed, g2, log_ratio, ..., p_value, p_adjusted,
        freq_target, freq_reference, side, significant`` (significant: the
        corrected p below ``alpha``).

    References
    ----------
    Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
    *Computational Linguistics* 19(1), 61-74.
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scand. J. Statistics* 6(2), 65-70.

    Examples
    --------
    >>> table = pd.DataFrame({"term": ["xi", "security"], "g2": [15.8, 6.7], "log_ratio": [2.8, -2.9],
    ...                       "p_value": [0.0001, 0.01], "p_adjusted": [0.009, 0.5]})
    >>> fig = plot_keyness(table, target_label="2024", reference_label="2022")
    >>> [float(bar.get_width()) for bar in fig.axes[0].patches]
    [15.8, -6.7]
    >>> [float(bar.get_alpha()) for bar in fig.axes[0].patches]  # security: p 0.01, but 0.5 after Holm
    [1.0, 0.35]
    """
    fn = "plot_keyness"
    top_n = _positive_int(top_n, "top_n", fn)
    if measure not in ("g2", "log_ratio"):
        raise ParameterError(f"{fn}: measure must be 'g2' or 'log_ratio', got {measure!r}.")
    _require(keyness_table, ["term", "g2", "log_ratio"], fn, "keyness_table")
    if "p_adjusted" not in keyness_table.columns and "p_value" not in keyness_table.columns:
        raise ParameterError(f"{fn}: 'keyness_table' needs p_adjusted (or p_value); pass the table keyness() "
                             "returns.")
    table = keyness_table.copy()
    p_column, p_words, significant = _significance(table, alpha, correction, fn)
    n_significant, n_tested = int(significant.sum()), int(table.attrs.get("n_tested", len(table)))
    table["significant"] = significant
    direction = np.sign(table["log_ratio"].astype(float)).replace(0, 1)
    table["signed"] = table["g2"].astype(float).abs() * direction if measure == "g2" \
        else table["log_ratio"].astype(float)
    pos = table[table["signed"] > 0].sort_values(["signed", "term"], ascending=[False, True],
                                                 kind="stable").head(top_n)
    neg = table[table["signed"] < 0].sort_values(["signed", "term"], ascending=[True, True],
                                                 kind="stable").head(top_n)
    data = pd.concat([pos, neg.iloc[::-1]], ignore_index=True)
    if data.empty:
        raise ParameterError(f"{fn}: no term has a non-zero {measure}; nothing to plot.")
    data["side"] = np.where(data["signed"] > 0, target_label, reference_label)
    keep = [c for c in ("term", "signed", "g2", "log_ratio", "log_ratio_ci_low", "log_ratio_ci_high", "p_value",
                        "p_adjusted", "freq_target", "freq_reference", "side", "significant") if c in data.columns]
    data = data[keep]
    counts = "freq_target" in data.columns and "freq_reference" in data.columns
    longest = max(len(str(t)) for t in data["term"])
    fig = _new_figure(8.0 + 0.06 * longest, 2.0 + 0.3 * len(data) + (0.45 if note else 0))
    xlabel = (f"log-likelihood G² (signed: + = more in {target_label})" if measure == "g2"
              else f"log ratio (log₂ of relative-frequency ratio; + = more in {target_label})")
    colour_t, colour_r = _key_colours(colours, target_label, reference_label)
    with mpl.rc_context(STYLE):
        ax = fig.add_subplot()
        y = np.arange(len(data))
        span = float(data["signed"].abs().max())
        for yi, row in zip(y, data.itertuples(index=False)):
            colour = colour_t if row.signed > 0 else colour_r
            ax.barh(yi, row.signed, color=colour, alpha=1.0 if row.significant else 0.35, edgecolor=colour,
                    linewidth=0.8)
            if counts:
                ax.text(row.signed + (0.015 if row.signed > 0 else -0.015) * span, yi,
                        f"{row.freq_target} : {row.freq_reference}", va="center",
                        ha="left" if row.signed > 0 else "right", fontsize=8, color="#333333")
        ax.set_yticks(y, data["term"].astype(str))
        ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlim(-span * 1.3, span * 1.3)
        ax.grid(axis="x")
        ax.set_xlabel(xlabel)
        handles = [Patch(color=colour_t, label=f"more in {target_label}"),
                   Patch(color=colour_r, label=f"more in {reference_label}"),
                   Patch(facecolor=GREY, alpha=0.35, edgecolor=GREY,
                         label=f"pale: {p_words} ≥ {alpha:g}\n({n_significant} of {n_tested} terms tested\n"
                               f"have {p_words} < {alpha:g})")]
        if counts:
            handles.append(Patch(facecolor="none", edgecolor="none",
                                 label=f"a : b = occurrences in\n{target_label} : in {reference_label}"))
        fig.legend(handles=handles, loc="outside right upper", fontsize=9)
        _title(fig, title or f"Keywords: {target_label} against {reference_label}")
        _footer(fig, note)
    return _record(fig, fn, data, {"top_n": top_n, "measure": measure, "target_label": target_label,
                                   "reference_label": reference_label, "alpha": alpha, "p_column": p_column,
                                   "correction": p_words, "n_tested": n_tested, "n_significant": n_significant,
                                   "title": title, "note": note})


def plot_log_ratio(keyness_table: pd.DataFrame, *, top_n: int = 15, target_label: str = "target",
                   reference_label: str = "reference", alpha: float = 0.05, correction: str | None = None,
                   colours: dict | None = None, note: str | None = None, title: str | None = None) -> Figure:
    """Keyness by effect size (Hardie 2014): terms ordered by log ratio, with its 95% interval and raw counts.

    Each term is a dot at its log ratio (``log2`` of the ratio of its relative
    frequencies: 1 = twice as frequent in the target, -1 = twice as frequent in
    the reference) with a line for its confidence interval
    (:func:`rhetoric.stats.keyness.log_ratio_interval`); filled when significant
    after the correction (``p_adjusted < alpha``), hollow otherwise. On the
    right, the raw frequencies in both corpora: a large log ratio from three
    occurrences against none is an estimate from very little.

    Parameters
    ----------
    keyness_table : DataFrame
        ``term, log_ratio, log_ratio_ci_low, log_ratio_ci_high, freq_target,
        freq_reference`` and ``p_adjusted`` (or ``p_value``)
        (:func:`rhetoric.stats.keyness.keyness`).
    top_n : int, default 15
        Terms on each side, by log ratio (ties: the more frequent first, then A-Z).
    target_label, reference_label, alpha, correction, colours, note, title
        As for :func:`plot_keyness`.

    Returns
    -------
    Figure
        Recorded data: the rows drawn with ``side`` and ``significant``.

    References
    ----------
    Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for Corpus Approaches to Social
    Science (CASS), Lancaster University.

    Examples
    --------
    >>> table = pd.DataFrame({"term": ["xi", "wednesday", "security"], "log_ratio": [2.76, 4.35, -2.9],
    ...                       "log_ratio_ci_low": [1.6, 1.5, -5.1], "log_ratio_ci_high": [3.9, 7.2, -0.7],
    ...                       "freq_target": [12, 3, 0], "freq_reference": [6, 0, 17],
    ...                       "p_adjusted": [0.009, 0.39, 0.2]})
    >>> fig = plot_log_ratio(table, target_label="2024", reference_label="2022")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['wednesday', 'xi', 'security']
    """
    fn = "plot_log_ratio"
    top_n = _positive_int(top_n, "top_n", fn)
    _require(keyness_table, ["term", "log_ratio", "log_ratio_ci_low", "log_ratio_ci_high", "freq_target",
                             "freq_reference"], fn, "keyness_table")
    if "p_adjusted" not in keyness_table.columns and "p_value" not in keyness_table.columns:
        raise ParameterError(f"{fn}: 'keyness_table' needs p_adjusted (or p_value); pass the table keyness() "
                             "returns.")
    table = keyness_table.copy()
    p_column, p_words, significant = _significance(table, alpha, correction, fn)
    table["significant"] = significant
    table["total"] = table["freq_target"] + table["freq_reference"]
    pos = table[table["log_ratio"] > 0].sort_values(["log_ratio", "total", "term"], ascending=[False, False, True],
                                                    kind="stable").head(top_n)
    neg = table[table["log_ratio"] < 0].sort_values(["log_ratio", "total", "term"], ascending=[True, False, True],
                                                    kind="stable").head(top_n)
    data = pd.concat([pos, neg.iloc[::-1]], ignore_index=True)
    if data.empty:
        raise ParameterError(f"{fn}: no term has a non-zero log ratio; nothing to plot.")
    data["side"] = np.where(data["log_ratio"] > 0, target_label, reference_label)
    data = data[[c for c in ("term", "log_ratio", "log_ratio_ci_low", "log_ratio_ci_high", "freq_target",
                             "freq_reference", "g2", "p_value", "p_adjusted", "side", "significant")
                 if c in data.columns]]
    n_significant, n_tested = int(significant.sum()), int(table.attrs.get("n_tested", len(table)))
    longest = max(len(str(t)) for t in data["term"])
    fig = _new_figure(8.5 + 0.06 * longest, 2.2 + 0.3 * len(data) + (0.45 if note else 0))
    colour_t, colour_r = _key_colours(colours, target_label, reference_label)
    with mpl.rc_context(STYLE):
        ax = fig.add_subplot()
        y = np.arange(len(data))
        for yi, row in zip(y, data.itertuples(index=False)):
            colour = colour_t if row.log_ratio > 0 else colour_r
            ax.plot([row.log_ratio_ci_low, row.log_ratio_ci_high], [yi, yi], color=colour, linewidth=1.6,
                    alpha=1.0 if row.significant else 0.6)
            ax.plot([row.log_ratio], [yi], linestyle="none", marker="o", markersize=7, color=colour,
                    markerfacecolor=colour if row.significant else "white", markeredgewidth=1.5)
        ax.set_yticks(y, data["term"].astype(str))
        ax.set_ylim(len(data) - 0.5, -1.2)
        ax.axvline(0, color="black", linewidth=0.8)
        low = float(min(data["log_ratio_ci_low"].min(), 0))
        high = float(max(data["log_ratio_ci_high"].max(), 0))
        pad = (high - low) * 0.04
        ax.set_xlim(low - pad, high + pad)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="x")
        ax.set_xlabel(f"log ratio = log₂(relative frequency in {target_label} / in {reference_label}); "
                      "1 = twice as frequent; line: 95% interval")
        # raw frequencies in a column right of the plot
        where = mpl.transforms.blended_transform_factory(ax.transAxes, ax.transData)
        ax.text(1.02, -0.9, f"{target_label} : {reference_label}", transform=where,
                fontsize=8.5, fontweight="bold", va="center", ha="left", color="#333333")
        for yi, row in zip(y, data.itertuples(index=False)):
            ax.text(1.02, yi, f"{row.freq_target} : {row.freq_reference}", transform=where, fontsize=8.5,
                    va="center", ha="left", color="#333333")
        handles = [Line2D([], [], color=colour_t, marker="o", label=f"more in {target_label}"),
                   Line2D([], [], color=colour_r, marker="o", label=f"more in {reference_label}"),
                   Line2D([], [], color=GREY, marker="o", markerfacecolor="white", linestyle="none",
                          label=f"hollow: {p_words} ≥ {alpha:g}\n({n_significant} of {n_tested} terms tested\n"
                                f"have {p_words} < {alpha:g})")]
        fig.legend(handles=handles, loc="outside right upper", fontsize=9)
        _title(fig, title or f"Log ratio: {target_label} against {reference_label}, ordered by effect")
        _footer(fig, note)
    return _record(fig, fn, data, {"top_n": top_n, "target_label": target_label, "reference_label": reference_label,
                                   "alpha": alpha, "p_column": p_column, "correction": p_words,
                                   "n_tested": n_tested, "n_significant": n_significant, "title": title,
                                   "note": note})


# --------------------------------------------------------------------------- formulae

def plot_formula_heatmap(matrix: pd.DataFrame, *, value_label: str = "occurrences", note: str | None = None,
                         title: str = "Formula phrases in each document") -> Figure:
    """Heat map of a document × formula table, every cell annotated with its number.

    Parameters
    ----------
    matrix : DataFrame
        Index ``doc_id``, one column per formula (id or label), values counts or
        per 10,000 tokens.
    value_label : str, default "occurrences"
        What the numbers are (colour-bar label), e.g. "per 10,000 tokens".
    note : str, optional
        A line under the figure.
    title : str

    Returns
    -------
    Figure
        The recorded data is the matrix itself (saved with its index). A row is
        0.3 in tall (:data:`ROW_INCHES`), whatever the number of columns.

    Examples
    --------
    >>> matrix = pd.DataFrame({"golden thirty years": [1, 0]}, index=pd.Index(["a", "b"], name="doc_id"))
    >>> sorted(t.get_text() for t in plot_formula_heatmap(matrix).axes[0].texts)
    ['0', '1']
    """
    fn = "plot_formula_heatmap"
    if not isinstance(matrix, pd.DataFrame) or matrix.empty or matrix.shape[1] == 0:
        raise ParameterError(f"{fn}: 'matrix' must be a non-empty DataFrame (documents × formulae).")
    data = matrix.copy()
    data.index.name = data.index.name or "doc_id"
    fig = _matrix_figure(data, function=fn, title=title, value_label=value_label, vmin=0, note=note)
    return _record(fig, fn, data, {"value_label": value_label, "title": title, "note": note})


def plot_formula_timeline(table: pd.DataFrame, *, labels: dict | None = None, group_order=None,
                          group_label: str = "year", group_labels: dict | None = None, colours: dict | None = None,
                          panels: bool = True, ncols: int = 3, note: str | None = None,
                          title: str = "Formula phrases over time") -> Figure:
    """Each formula's frequency per 10,000 tokens across groups (years or periods), with what stands behind it.

    Each point takes its group's colour; with a ``count`` column the number of
    occurrences is written beside it and a group where the formula does not
    occur is a hollow point, so "0" reads as "not in these documents", and the
    x-axis labels (``group_labels``) say which documents those are.

    Parameters
    ----------
    table : DataFrame
        ``group, formula_id, per_10k`` (``per_10k = hits / tokens_in_group * 10,000``), optionally ``count``.
    labels : dict, optional
        ``formula_id -> label`` for panel titles and legends (default the ids).
    group_order : list, optional
        Order of the groups on the x axis (default sorted).
    group_label : str, default "year"
    group_labels : dict, optional
        Group value (as text) -> tick label, e.g. "2024\\n1 doc: news report" (default the value).
    colours : dict, optional
        Group value (as text) -> colour of its points (:func:`group_colours`); default the groups drawn.
    panels : bool, default True
        One small panel per formula (same y scale); ``False``: one chart, a grey line (with its own marker
        and dash) per formula.
    ncols : int, default 3
        Panels per row.
    note : str, optional
        A line under the figure.
    title : str

    Returns
    -------
    Figure
        One line per formula across the groups.

    Examples
    --------
    >>> table = pd.DataFrame({"group": [2024, 2022], "formula_id": ["bri", "bri"], "per_10k": [29.4, 17.3]})
    >>> fig = plot_formula_timeline(table, labels={"bri": "Belt and Road Initiative"})
    >>> fig.axes[0].get_lines()[0].get_ydata().tolist()  # in group order, 2022 then 2024
    [17.3, 29.4]
    """
    fn = "plot_formula_timeline"
    ncols = _positive_int(ncols, "ncols", fn)
    _require(table, ["group", "formula_id", "per_10k"], fn, "table")
    order = _ordered(table["group"], group_order)
    formulas = _ordered(table["formula_id"])
    labels = labels or {}
    colours = colours or group_colours(order)
    ticks = [(group_labels or {}).get(str(g), str(g)) for g in order]
    tick_lines = max(str(t).count("\n") + 1 for t in ticks)
    columns = ["group", "formula_id", "per_10k"] + (["count"] if "count" in table.columns else [])
    data = table[columns].copy()
    data["group"] = pd.Categorical(data["group"], categories=order, ordered=True)
    data = data.sort_values(["formula_id", "group"], kind="stable").reset_index(drop=True)
    data["group"] = data["group"].astype(object)
    ymax = float(data["per_10k"].max()) * 1.25 or 1.0
    longest_tick = max(len(line) for t in ticks for line in str(t).split("\n"))
    slot = max(0.75, 0.07 * longest_tick + 0.15)  # inches per group on the x axis
    with mpl.rc_context(STYLE):
        if panels:
            ncols = min(ncols, len(formulas))
            nrows = math.ceil(len(formulas) / ncols)
            fig = _new_figure(ncols * (1.2 + slot * len(order)) + 0.6,
                              nrows * (2.3 + 0.17 * tick_lines) + 0.8 + (0.45 if note else 0))
            axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True)
        else:
            longest = max(len(str(labels.get(f, f))) for f in formulas)
            fig = _new_figure(4.5 + slot * len(order) + min(0.08 * longest, 3.0),
                              4.4 + 0.17 * tick_lines + (0.45 if note else 0))
            axes = np.array([[fig.add_subplot()]])
        for k, formula in enumerate(formulas):
            ax = axes.flat[k] if panels else axes[0, 0]
            rows = data[data["formula_id"] == formula]
            x = np.array([order.index(g) for g in rows["group"]])
            ax.plot(x, rows["per_10k"], color="#555555" if panels else "#333333",
                    linestyle="-" if panels else LINESTYLES[k % len(LINESTYLES)], linewidth=1.6,
                    marker=None if panels else MARKERS[k % len(MARKERS)], markersize=9,
                    markerfacecolor="none", markeredgecolor="#333333", zorder=2,
                    label=_wrap(labels.get(formula, formula), 34))
            counts = rows["count"].to_numpy() if "count" in rows else None
            edge = [_colour_of(colours, g, GREY) for g in rows["group"]]
            face = ["white" if counts is not None and c == 0 else e
                    for c, e in zip(counts if counts is not None else [None] * len(edge), edge)]
            ax.scatter(x, rows["per_10k"], s=48, c=face, edgecolors=edge, linewidths=1.6, zorder=3)
            if counts is not None:
                for xi, value, count in zip(x, rows["per_10k"], counts):
                    ax.annotate(f"{int(count)}", (xi, value), xytext=(0, 7), textcoords="offset points",
                                ha="center", va="bottom", fontsize=8.5, color="#333333")
            if panels:
                ax.set_title(_wrap(labels.get(formula, formula), 30), loc="left", fontsize=10)
        for k, ax in enumerate(axes.flat):
            if k >= (len(formulas) if panels else 1):
                ax.set_visible(False)
                continue
            ax.set_xticks(range(len(order)), ticks, fontsize=8.5 if tick_lines > 1 else 10)
            ax.set_xlim(-0.45, len(order) - 0.55)
            ax.set_ylim(0, ymax)
            ax.grid(axis="y")
            if not panels or k % axes.shape[1] == 0:
                ax.set_ylabel("per 10,000 tokens")
            if not panels or k + axes.shape[1] >= len(formulas):
                ax.set_xlabel(group_label)
        if not panels:
            fig.legend(loc="outside right upper", title="formula")
        _title(fig, title)
        _footer(fig, note)
    return _record(fig, fn, data, {"labels": labels, "group_order": order, "group_label": group_label,
                                   "group_labels": group_labels, "panels": panels, "title": title, "note": note})


def plot_dispersion_xray(positions: pd.DataFrame, *, doc_order=None, term_order=None, doc_groups: dict | None = None,
                         colours: dict | None = None, note: str | None = None,
                         title: str = "Where each term occurs in each text") -> Figure:
    """Lexical dispersion ("x-ray") plot: one strip per document and term, a tick per occurrence.

    Parameters
    ----------
    positions : DataFrame
        ``doc_id, term, relative_position`` (0 = start of the document, 1 = end;
        ``token_index / n_tokens``), one row per occurrence.
    doc_order, term_order : list, optional
        Documents and terms to show, in order (default: order of first appearance).
        Documents where a term never occurs keep an empty strip: absence is visible.
    doc_groups : dict, optional
        ``doc_id -> group`` (e.g. its year): a document's ticks take its group's colour and its strip label
        names the group. Default: every tick dark grey.
    colours : dict, optional
        Group value (as text) -> colour (:func:`group_colours`); default the groups of ``doc_groups``.
    note : str, optional
        A line under the figure.
    title : str

    Returns
    -------
    Figure
        One panel per term, one strip per document.

    Examples
    --------
    >>> positions = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["trade"] * 3,
    ...                           "relative_position": [0.1, 0.5, 0.9]})
    >>> plot_dispersion_xray(positions).axes[0].get_title(loc="left")
    'trade  (3 occurrences)'
    """
    fn = "plot_dispersion_xray"
    _require(positions, ["doc_id", "term", "relative_position"], fn, "positions")
    rel = positions["relative_position"].astype(float)
    if ((rel < 0) | (rel > 1)).any():
        raise ParameterError(f"{fn}: relative_position must lie in [0, 1]; got values from {rel.min()} to "
                             f"{rel.max()}. Divide token positions by document length.")
    docs = list(doc_order) if doc_order is not None else list(pd.unique(positions["doc_id"]))
    terms = list(term_order) if term_order is not None else list(pd.unique(positions["term"]))
    data = positions[["doc_id", "term", "relative_position"]].copy()
    data = data[data["doc_id"].isin(docs) & data["term"].isin(terms)]
    data = data.sort_values(["term", "doc_id", "relative_position"], kind="stable").reset_index(drop=True)
    doc_groups = {str(k): v for k, v in (doc_groups or {}).items()}
    if doc_groups and colours is None:
        colours = group_colours(doc_groups.values())
    names = [f"{d} ({doc_groups[str(d)]})" if str(d) in doc_groups else str(d) for d in docs]
    longest = max(len(n) for n in names)
    fig = _new_figure(8.5 + 0.07 * longest, 0.9 + len(terms) * (0.5 + 0.22 * len(docs)) + (0.45 if note else 0))
    with mpl.rc_context(STYLE):
        axes = fig.subplots(len(terms), 1, squeeze=False, sharex=True)[:, 0]
        for k, (ax, term) in enumerate(zip(axes, terms)):
            for i, doc in enumerate(docs):
                xs = data.loc[(data["term"] == term) & (data["doc_id"] == doc), "relative_position"]
                ax.axhline(i, color="#EEEEEE", linewidth=5, zorder=0)
                if len(xs):
                    colour = _colour_of(colours, doc_groups[str(doc)], GREY) if str(doc) in doc_groups \
                        else "#333333"
                    ax.vlines(xs, i - 0.34, i + 0.34, color=colour, linewidth=1.6)
            ax.set_yticks(range(len(docs)), names, fontsize=9)
            ax.set_ylim(len(docs) - 0.5, -0.5)
            ax.set_xlim(0, 1)
            ax.tick_params(axis="y", length=0)
            ax.spines["left"].set_visible(False)
            n_hits = int((data["term"] == term).sum())
            ax.set_title(f"{term}  ({n_hits} occurrence{'s' if n_hits != 1 else ''})", loc="left",
                         fontsize=11)
        axes[-1].xaxis.set_major_formatter(PercentFormatter(1.0))
        axes[-1].set_xlabel("position in the text (0% = start, 100% = end)")
        _title(fig, title)
        _footer(fig, note)
    return _record(fig, fn, data, {"doc_order": docs, "term_order": terms, "doc_groups": doc_groups,
                                   "title": title, "note": note})


# --------------------------------------------------------------------------- framing

def plot_frame_shares(shares: pd.DataFrame, *, group_order=None, group_label: str = "year",
                      value_label: str = "share of frame-coded words", colours: dict | None = None,
                      group_labels: dict | None = None, note: str | None = None,
                      title: str = "Frames per group, with 95% intervals") -> Figure:
    """Dot-and-interval chart: each frame's share in each group, with its confidence interval.

    Parameters
    ----------
    shares : DataFrame
        ``group, frame, share, ci_low, ci_high`` (shares as fractions 0–1 or as percentages).
    group_order : list, optional
        Order of the groups (default sorted).
    group_label : str, default "year"
    value_label : str
        What the share is a share of, for the axis label.
    colours : dict, optional
        Group value (as text) -> colour (:func:`group_colours`); default the groups drawn.
    group_labels : dict, optional
        Group value (as text) -> legend entry (e.g. with its documents); default the value.
    note : str, optional
        A line under the figure.
    title : str

    Returns
    -------
    Figure
        Frames ordered by mean share (largest on top), ties by name.

    Examples
    --------
    >>> shares = pd.DataFrame({"group": [2022, 2022], "frame": ["security", "economy"], "share": [0.2, 0.5],
    ...                        "ci_low": [0.1, 0.4], "ci_high": [0.3, 0.6]})
    >>> [t.get_text() for t in plot_frame_shares(shares).axes[0].get_yticklabels()]
    ['economy', 'security']
    """
    fn = "plot_frame_shares"
    _require(shares, ["group", "frame", "share", "ci_low", "ci_high"], fn, "shares")
    order = _ordered(shares["group"], group_order)
    data = shares[["group", "frame", "share", "ci_low", "ci_high"]].copy()
    mean = data.groupby("frame")["share"].mean()
    frames = sorted(mean.index, key=lambda f: (-mean[f], str(f)))
    data["frame"] = pd.Categorical(data["frame"], categories=frames, ordered=True)
    data["group"] = pd.Categorical(data["group"], categories=order, ordered=True)
    data = data.sort_values(["frame", "group"], kind="stable").reset_index(drop=True)
    data["frame"] = data["frame"].astype(object)
    data["group"] = data["group"].astype(object)
    fraction = _is_fraction(data[["share", "ci_low", "ci_high"]].stack())
    longest = max(len(str(f)) for f in frames)
    colours = colours or group_colours(order)
    fig = _new_figure(7.5 + 0.06 * longest, 1.6 + len(frames) * (0.25 + 0.22 * len(order)) + (0.45 if note else 0))
    step = 0.7 / max(len(order), 1)
    with mpl.rc_context(STYLE):
        ax = fig.add_subplot()
        for k, g in enumerate(order):
            rows = data[data["group"] == g]
            y = np.array([frames.index(f) for f in rows["frame"]]) - 0.35 + step * (k + 0.5)
            err = np.vstack([(rows["share"] - rows["ci_low"]).clip(lower=0),
                             (rows["ci_high"] - rows["share"]).clip(lower=0)])
            ax.errorbar(rows["share"], y, xerr=err, fmt=MARKERS[k % len(MARKERS)],
                        color=_colour_of(colours, g, GREY), capsize=3, markersize=6, linewidth=1.4,
                        label=_wrap((group_labels or {}).get(str(g), str(g)), 26))
        ax.set_yticks(range(len(frames)), [_wrap(f, 30) for f in frames])
        ax.set_ylim(len(frames) - 0.5, -0.5)
        ax.set_xlim(left=0)
        if fraction:
            ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(value_label + (" (%)" if fraction else ""))
        ax.grid(axis="x")
        for i in range(1, len(frames)):
            ax.axhline(i - 0.5, color="#EEEEEE", linewidth=0.8)
        fig.legend(title=group_label, loc="outside right upper", fontsize=9)
        _title(fig, title)
        _footer(fig, note)
    return _record(fig, fn, data, {"group_order": order, "group_label": group_label,
                                   "value_label": value_label, "title": title, "note": note})


def _spread(values: list[float], gap: float) -> list[float]:
    """Label positions near ``values`` but at least ``gap`` apart (keeps their order)."""
    order = sorted(range(len(values)), key=lambda i: (values[i], i))
    placed = [0.0] * len(values)
    last = -math.inf
    for i in order:
        placed[i] = max(values[i], last + gap)
        last = placed[i]
    # centre the block shift so labels stay close to their points on average
    shift = (sum(placed) - sum(values)) / max(len(values), 1)
    return [p - shift for p in placed] if all(p - shift >= min(values) - gap for p in placed) else placed


def plot_frame_slope(shift: pd.DataFrame, *, value_label: str = "share of frame-coded words",
                     colours: dict | None = None, note: str | None = None, title: str | None = None) -> Figure:
    """Slope chart of each frame's share from one group to another; changes whose interval excludes 0 coloured.

    Parameters
    ----------
    shift : DataFrame
        ``frame, share_from, share_to, from_group, to_group, ci_low, ci_high``,
        where ``ci_low, ci_high`` is the 95% interval of ``share_to - share_from``.
        A frame whose interval excludes 0 is drawn in the colour of the group
        where its share is larger (``to_group`` when it rose, ``from_group``
        when it fell), the others in grey.
    value_label : str
    colours : dict, optional
        Group value (as text) -> colour (:func:`group_colours`); default blue for the
        first group, orange for the second.
    note : str, optional
        A line under the figure (e.g. the documents behind each group).
    title : str, optional

    Returns
    -------
    Figure
        Recorded data adds ``change`` and ``highlighted``.

    Examples
    --------
    >>> shift = pd.DataFrame({"frame": ["security"], "share_from": [0.16], "share_to": [0.0],
    ...                       "from_group": [2022], "to_group": [2024], "ci_low": [-0.3], "ci_high": [-0.06]})
    >>> plot_frame_slope(shift).axes[0].get_lines()[0].get_color() == OKABE_ITO[0]  # fell: 2022's colour
    True
    """
    fn = "plot_frame_slope"
    _require(shift, ["frame", "share_from", "share_to", "from_group", "to_group", "ci_low", "ci_high"], fn,
             "shift")
    starts, ends = pd.unique(shift["from_group"]), pd.unique(shift["to_group"])
    if len(starts) != 1 or len(ends) != 1:
        raise ParameterError(f"{fn}: 'shift' must compare one pair of groups; it has from_group "
                             f"{list(starts)} and to_group {list(ends)}. Filter it to one pair.")
    data = shift[["frame", "share_from", "share_to", "from_group", "to_group", "ci_low", "ci_high"]].copy()
    data["change"] = data["share_to"] - data["share_from"]
    data["highlighted"] = (data["ci_low"] > 0) | (data["ci_high"] < 0)
    data = data.sort_values(["share_to", "frame"], ascending=[False, True], kind="stable").reset_index(drop=True)
    fraction = _is_fraction(data[["share_from", "share_to"]].stack())
    fmt = (lambda v: f"{100 * v:.1f}%") if fraction else (lambda v: f"{v:.3g}")
    longest = max(len(str(f)) for f in data["frame"])
    fig = _new_figure(6.5 + 0.08 * longest, 2.0 + 0.42 * len(data) + (0.45 if note else 0))
    colours = colours or group_colours([starts[0], ends[0]])
    up = _colour_of(colours, ends[0], OKABE_ITO[1])
    down = _colour_of(colours, starts[0], OKABE_ITO[0])
    with mpl.rc_context(STYLE):
        ax = fig.add_subplot()
        top = float(max(data["share_from"].max(), data["share_to"].max()))
        gap = top * 0.045 if top > 0 else 0.01
        left_y = _spread(list(data["share_from"].astype(float)), gap)
        right_y = _spread(list(data["share_to"].astype(float)), gap)
        for i, row in data.iterrows():
            if row["highlighted"]:
                colour = up if row["change"] > 0 else down
                width, z, weight = 2.6, 3, "bold"
            else:
                colour, width, z, weight = GREY, 1.3, 2, "normal"
            ax.plot([0, 1], [row["share_from"], row["share_to"]], color=colour, linewidth=width, marker="o",
                    zorder=z)
            ax.text(-0.04, left_y[i], fmt(row["share_from"]), ha="right", va="center", fontsize=9, color=colour)
            ax.text(1.04, right_y[i], f"{fmt(row['share_to'])}  {row['frame']}", ha="left", va="center",
                    fontsize=10, color=colour, fontweight=weight)
        ax.set_xticks([0, 1], [str(starts[0]), str(ends[0])], fontsize=11, fontweight="bold")
        ax.set_xlim(-0.35, 1.9 + 0.012 * longest)
        low = min(min(left_y), min(right_y), 0)
        high = max(max(left_y), max(right_y), top)
        ax.set_ylim(low - gap, high + gap)
        if fraction:
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylabel(value_label + (" (%)" if fraction else ""))
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="x", length=0)
        kinds = [(data["highlighted"] & (data["change"] > 0)).any(), (data["highlighted"] & (data["change"] < 0)).any(),
                 (~data["highlighted"]).any()]
        handles = [Line2D([], [], color=up, linewidth=2.6, label=f"larger in {ends[0]} (95% CI of change excludes 0)"),
                   Line2D([], [], color=down, linewidth=2.6,
                          label=f"larger in {starts[0]} (95% CI of change excludes 0)"),
                   Line2D([], [], color=GREY, linewidth=1.3, label="change not distinguishable from 0")]
        fig.legend(handles=[h for h, shown in zip(handles, kinds) if shown], loc="outside upper right",
                   fontsize=9)
        _title(fig, title or f"Frame shares, {starts[0]} → {ends[0]}")
        _footer(fig, note)
    return _record(fig, fn, data, {"value_label": value_label, "title": title, "note": note})


# --------------------------------------------------------------------------- documents

def plot_similarity_heatmap(matrix: pd.DataFrame, *, value_label: str = "cosine similarity",
                            vmin: float = 0.0, vmax: float = 1.0, note: str | None = None,
                            title: str = "How similar the documents are") -> Figure:
    """Heat map of a square document × document similarity table, values annotated.

    Parameters
    ----------
    matrix : DataFrame
        Square, the same ``doc_id`` labels on index and columns.
    value_label : str, default "cosine similarity"
    vmin, vmax : float, default 0 and 1
        Colour scale limits.
    note : str, optional
        A line under the figure.
    title : str

    Returns
    -------
    Figure
        The square of cosines, annotated, documents in the table's order.

    Examples
    --------
    >>> sim = pd.DataFrame([[1.0, 0.58], [0.58, 1.0]], index=["a", "b"], columns=["a", "b"])
    >>> sorted(t.get_text() for t in plot_similarity_heatmap(sim).axes[0].texts)
    ['0.58', '0.58', '1.00', '1.00']
    """
    fn = "plot_similarity_heatmap"
    if not isinstance(matrix, pd.DataFrame) or matrix.empty:
        raise ParameterError(f"{fn}: 'matrix' must be a non-empty square DataFrame (documents × documents).")
    if matrix.shape[0] != matrix.shape[1] or list(map(str, matrix.index)) != list(map(str, matrix.columns)):
        raise ParameterError(f"{fn}: 'matrix' must be square with the same labels on index and columns; "
                             f"got shape {matrix.shape}.")
    data = matrix.copy()
    data.index.name = data.index.name or "doc_id"
    fig = _matrix_figure(data, function=fn, title=title, value_label=value_label, vmin=vmin, vmax=vmax,
                         fmt=".2f", note=note)
    return _record(fig, fn, data, {"value_label": value_label, "vmin": vmin, "vmax": vmax, "title": title,
                                   "note": note})


# --------------------------------------------------------------------------- word clouds

def _cloud_image(weights: dict, colour: str, *, random_state: int, width: int = 900, height: int = 560,
                 max_font_size: int | None = None):
    from wordcloud import WordCloud

    cloud = WordCloud(width=width, height=height, background_color="white", random_state=random_state,
                      max_font_size=max_font_size,
                      prefer_horizontal=1.0, max_words=len(weights), relative_scaling=0.5, margin=4,
                      min_font_size=9, color_func=lambda *args, **kwargs: colour, collocations=False,
                      normalize_plurals=False, include_numbers=True)
    return cloud.generate_from_frequencies(weights).to_array()


def plot_wordclouds(freq: pd.DataFrame, *, groups=None, max_words: int = 60, ncols: int = 2,
                    random_state: int = config.RANDOM_SEED, colours: dict | None = None, labels: dict | None = None,
                    note: str | None = None, title: str = "Word clouds") -> Figure:
    """One word cloud per group, word size by count (deterministic: fixed ``random_state``).

    Word clouds show only what is frequent, and size is hard to compare: read them
    next to :func:`plot_top_terms`, not instead of it.

    Parameters
    ----------
    freq : DataFrame
        ``group, term, count``.
    groups : list, optional
        Groups to draw and their order (default all, sorted).
    max_words : int, default 60
        Most frequent terms per cloud (ties by term).
    ncols : int, default 2
    random_state : int, default config.RANDOM_SEED
        Seed of the layout.
    colours : dict, optional
        Group value (as text) -> colour of its words (:func:`group_colours`); default the groups drawn.
    labels : dict, optional
        Group value (as text) -> title of its cloud; default the value.
    note : str, optional
        A line under the figure.
    title : str

    Returns
    -------
    Figure
        One cloud per group, the word size following the count.

    Examples
    --------
    >>> freq = pd.DataFrame({"group": [2022, 2022, 2024], "term": ["trade", "china", "xi"], "count": [4, 10, 2]})
    >>> fig = plot_wordclouds(freq)
    >>> [ax.get_title(loc="left") for ax in fig.axes if ax.images]
    ['2022', '2024']
    """
    fn = "plot_wordclouds"
    max_words = _positive_int(max_words, "max_words", fn)
    ncols = _positive_int(ncols, "ncols", fn)
    _require(freq, ["group", "term", "count"], fn, "freq")
    order = _ordered(freq["group"], groups)
    parts = []
    for g in order:
        rows = freq.loc[(freq["group"] == g) & (freq["count"] > 0), ["group", "term", "count"]]
        parts.append(rows.sort_values(["count", "term"], ascending=[False, True], kind="stable").head(max_words))
    data = pd.concat(parts, ignore_index=True)
    ncols = min(ncols, len(order))
    nrows = math.ceil(len(order) / ncols)
    colours = colours or group_colours(order)
    fig = _new_figure(6.2 * ncols, 4.3 * nrows + 0.5 + (0.45 if note else 0))
    with mpl.rc_context(STYLE):
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for k, ax in enumerate(axes.flat):
            ax.set_axis_off()
            if k >= len(order):
                continue
            rows = data[data["group"] == order[k]]
            if rows.empty:
                ax.set_title(f"{order[k]} (no terms)", loc="left")
                continue
            weights = dict(zip(rows["term"].astype(str), rows["count"].astype(float)))
            ax.imshow(_cloud_image(weights, _colour_of(colours, order[k], GREY), random_state=random_state),
                      interpolation="antialiased")
            ax.set_title(_wrap((labels or {}).get(str(order[k]), str(order[k])), 60), loc="left")
        _title(fig, title)
        _footer(fig, note)
    return _record(fig, fn, data, {"groups": order, "max_words": max_words, "random_state": random_state,
                                   "title": title, "note": note})


COMPARISON_MAX_FONT = 200
"""Font size (pixels) of the word with the largest difference in a comparison cloud."""


def plot_comparison_cloud(freq: pd.DataFrame, group_a, group_b, *, max_words: int = 80,
                          random_state: int = config.RANDOM_SEED, colours: dict | None = None,
                          note: str | None = None, title: str | None = None) -> Figure:
    """Comparison cloud: terms over-represented in each of two groups, one half (and colour) each.

    Each term's relative frequency in a group is ``p = per_10k / 10,000`` when the
    table has ``per_10k``, else ``count / sum(count in group)``. A term goes to the
    half of the group where it is relatively more frequent, sized by the
    difference ``|p_a - p_b|`` (as in R's ``wordcloud::comparison.cloud``, which
    sizes by the deviation from the mean rate). Both halves share one scale: the
    largest word of each half is drawn at a size proportional to its difference
    (the layout may still shrink a word that does not fit).

    Parameters
    ----------
    freq : DataFrame
        ``group, term, count`` (and optionally ``per_10k``).
    group_a, group_b
        The two groups compared (values of ``group``).
    max_words : int, default 80
        Terms drawn in all, the largest differences first (ties by term).
    random_state : int, default config.RANDOM_SEED
    colours : dict, optional
        Group value (as text) -> colour of its half (:func:`group_colours`); default blue and orange.
    note : str, optional
        A line under the figure.
    title : str, optional

    Returns
    -------
    Figure
        Recorded data: ``term, count_a, count_b, prop_a, prop_b, difference, side``.

    References
    ----------
    Fellows, I. (2018). wordcloud: Word Clouds. R package (comparison.cloud).

    Examples
    --------
    >>> freq = pd.DataFrame({"group": [2022, 2022, 2024, 2024], "term": ["trade", "china", "trade", "china"],
    ...                      "count": [4, 10, 9, 3], "per_10k": [40.0, 100.0, 150.0, 50.0]})
    >>> fig = plot_comparison_cloud(freq, 2022, 2024)
    >>> fig.axes[0].get_title(loc="left"), fig.axes[1].get_title(loc="left")
    ('more frequent in 2022', 'more frequent in 2024')
    """
    fn = "plot_comparison_cloud"
    max_words = _positive_int(max_words, "max_words", fn)
    _require(freq, ["group", "term", "count"], fn, "freq")
    present = list(pd.unique(freq["group"]))
    for g in (group_a, group_b):
        if g not in present:
            raise ParameterError(f"{fn}: group {g!r} is not in the table; groups are {present!r}.")
    if group_a == group_b:
        raise ParameterError(f"{fn}: group_a and group_b are both {group_a!r}; pick two different groups.")

    def props(g):
        rows = freq[freq["group"] == g].groupby("term", sort=True)
        counts = rows["count"].sum()
        if "per_10k" in freq.columns:
            return counts, rows["per_10k"].sum() / 10_000
        total = counts.sum()
        return counts, counts / total if total else counts * 0.0

    count_a, prop_a = props(group_a)
    count_b, prop_b = props(group_b)
    data = pd.concat({"count_a": count_a, "count_b": count_b, "prop_a": prop_a, "prop_b": prop_b},
                     axis=1).fillna(0)
    data.index.name = "term"
    data = data.reset_index()
    data["count_a"] = data["count_a"].astype(int)
    data["count_b"] = data["count_b"].astype(int)
    data["difference"] = data["prop_a"] - data["prop_b"]
    data = data[data["difference"] != 0]
    data = data.assign(_abs=data["difference"].abs()).sort_values(["_abs", "term"], ascending=[False, True],
                                                                  kind="stable").head(max_words)
    data = data.drop(columns="_abs").reset_index(drop=True)
    data["side"] = np.where(data["difference"] > 0, str(group_a), str(group_b))
    fig = _new_figure(12.5, 5.4 + (0.45 if note else 0))
    colour_a, colour_b = _colour_of(colours, group_a, OKABE_ITO[0]), _colour_of(colours, group_b, OKABE_ITO[1])
    with mpl.rc_context(STYLE):
        axes = fig.subplots(1, 2)
        for ax, g, sign, colour in ((axes[0], group_a, 1, colour_a), (axes[1], group_b, -1, colour_b)):
            ax.set_axis_off()
            rows = data[np.sign(data["difference"]) == sign]
            ax.set_title(f"more frequent in {g}", loc="left", color=colour)
            if rows.empty:
                ax.text(0.5, 0.5, "(no term)", ha="center", va="center", transform=ax.transAxes)
                continue
            weights = dict(zip(rows["term"].astype(str), rows["difference"].abs().astype(float)))
            # one scale for both halves: the largest word of the weaker half is drawn smaller
            scale = max(weights.values()) / float(data["difference"].abs().max())
            ax.imshow(_cloud_image(weights, colour, random_state=random_state, width=800, height=600,
                                   max_font_size=max(12, int(COMPARISON_MAX_FONT * scale))),
                      interpolation="antialiased")
        _title(fig, title or f"Comparison cloud: {group_a} against {group_b}")
        _footer(fig, "Word size ∝ difference in relative frequency between the two groups."
                + (f" {note}" if note else ""))
    return _record(fig, fn, data, {"group_a": group_a, "group_b": group_b, "max_words": max_words,
                                   "random_state": random_state, "title": title, "note": note})


# --------------------------------------------------------------------------- numbers as rhetoric

BOUND_MARKS = {"lower": "↑ at least", "upper": "↓ at most", "approximate": "≈ about"}
"""How a bounded figure is marked: "over US$25 billion" is drawn with an arrow up from 25, not as 25."""


def plot_trade_timeline(claims: pd.DataFrame, *, title: str = "Figures the texts cite, by the date they refer to",
                        label_width: int = 40, colours: dict | None = None, note: str | None = None) -> Figure:
    """Numeric claims over time: one panel per unit, a marker per measure, each point labelled with its source.

    Parameters
    ----------
    claims : DataFrame
        ``date_start, value, unit, measure, doc_id, label``: the start of the
        period a figure refers to, its value in ``unit`` (e.g. "USD billion"), what
        it measures (e.g. "bilateral trade"), the document citing it and a short
        label. Optional columns: ``date_end`` (the period the figure covers is drawn
        as a bar from start to end: a seven-month figure is not a yearly one);
        ``bound`` (``lower``, ``upper``, ``approximate`` or ``exact``, as
        :func:`rhetoric.formulas.claims.trade_figures` gives it: a lower bound
        such as "over US$25 billion" gets an arrow up and a hollow marker, an
        upper bound an arrow down, an approximate figure a hollow marker);
        ``group`` (the citing document's year or other group: the point takes its colour).
    title : str
    label_width : int, default 40
        Labels longer than this are shortened with "…".
    colours : dict, optional
        Group value (as text) -> colour (:func:`group_colours`); default the groups of ``group``,
        dark grey without it.
    note : str, optional
        A line under the figure.

    Returns
    -------
    Figure
        One point per figure, at the date it refers to, labelled with its source.

    Examples
    --------
    >>> claims = pd.DataFrame({"date_start": ["2021-01-01", "2023-01-01"], "value": [25.0, 41.0],
    ...                        "unit": ["USD billion"] * 2, "measure": ["bilateral trade"] * 2,
    ...                        "doc_id": ["a", "b"], "label": ["over 25 (full year)", "41 (full year)"],
    ...                        "bound": ["lower", "exact"]})
    >>> fig = plot_trade_timeline(claims)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['over 25 (full year) [a]', '41 (full year) [b]']
    >>> len(fig.axes[0].patches)  # the arrow of the lower bound
    1
    """
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.transforms import offset_copy

    fn = "plot_trade_timeline"
    _require(claims, ["date_start", "value", "unit", "measure", "doc_id", "label"], fn, "claims")
    optional = [c for c in ("date_end", "bound", "group") if c in claims.columns]
    columns = ["date_start"] + (["date_end"] if "date_end" in optional else []) + \
        ["value", "unit", "measure", "doc_id", "label"] + [c for c in ("bound", "group") if c in optional]
    data = claims[columns].copy()
    data["date_start"] = pd.to_datetime(data["date_start"])
    if "date_end" in data.columns:
        data["date_end"] = pd.to_datetime(data["date_end"])
    if "bound" in data.columns:
        data["bound"] = data["bound"].fillna("exact").astype(str).replace("", "exact")
        unknown = sorted(set(data["bound"]) - set(BOUND_MARKS) - {"exact"})
        if unknown:
            raise ParameterError(f"{fn}: bound must be one of lower, upper, approximate, exact; got {unknown}.")
    data = data.sort_values(["unit", "date_start", "value", "measure", "doc_id"], kind="stable").reset_index(drop=True)
    units = _ordered(data["unit"])
    measures = _ordered(data["measure"])
    if "group" in data.columns and colours is None:
        colours = group_colours(data["group"])
    longest = min(label_width, int(data["label"].astype(str).str.len().max())) + \
        int(data["doc_id"].astype(str).str.len().max())
    fig = _new_figure(7.5 + 0.065 * longest, 1.4 + 3.6 * len(units) + (0.45 if note else 0))
    first = data["date_start"].min()
    last = data["date_end"].max() if "date_end" in data.columns else data["date_start"].max()
    last = max(last, data["date_start"].max())
    pad = max((last - first) * 0.06, pd.Timedelta(days=45))
    with mpl.rc_context(STYLE):
        axes = fig.subplots(len(units), 1, squeeze=False, sharex=True)[:, 0]
        for ax, unit in zip(axes, units):
            rows = data[data["unit"] == unit]
            top = float(rows["value"].max()) * 1.3 or 1.0
            for row in rows.itertuples(index=False):
                colour = _colour_of(colours, row.group, GREY) if "group" in data.columns else "#333333"
                bound = getattr(row, "bound", "exact")
                marker = MARKERS[measures.index(row.measure) % len(MARKERS)]
                if "date_end" in data.columns and pd.notna(row.date_end):
                    ax.hlines(row.value, row.date_start, row.date_end, color=colour, linewidth=3, alpha=0.4)
                ax.plot([row.date_start], [row.value], linestyle="none", marker=marker, markersize=8, color=colour,
                        markerfacecolor="white" if bound != "exact" else colour, markeredgewidth=1.8, zorder=3)
                if bound in ("lower", "upper"):
                    step = top * 0.07 * (1 if bound == "lower" else -1)
                    x = date2num(row.date_start)
                    ax.add_patch(FancyArrowPatch((x, row.value + 0.02 * step / 0.07), (x, row.value + step),
                                                 arrowstyle="-|>", mutation_scale=12, color=colour, linewidth=1.6,
                                                 zorder=3))
            # labels right of their points; points at the same date get labels spread apart
            shifted = offset_copy(ax.transData, fig=fig, x=7, y=6, units="points")
            for _, same in rows.groupby("date_start", sort=True):
                ys = _spread(list(same["value"].astype(float)), top * 0.065)
                for row, y in zip(same.itertuples(), ys):
                    text = str(row.label)
                    text = text if len(text) <= label_width else text[:label_width - 1] + "…"
                    ax.text(row.date_start, y, f"{text} [{row.doc_id}]", transform=shifted, fontsize=8.5,
                            color="#333333", va="bottom", ha="left")
            ax.set_ylabel(str(unit))
            ax.set_ylim(0, top)
            ax.grid(axis="y")
            handles = [Line2D([], [], linestyle="none", marker=MARKERS[k % len(MARKERS)], color="#333333",
                              markersize=8, label=str(m)) for k, m in enumerate(measures)
                       if (rows["measure"] == m).any()]
            if "bound" in data.columns:
                handles += [Line2D([], [], linestyle="none", marker="o", color="#333333", markerfacecolor="white",
                                   markersize=8, label=f"{BOUND_MARKS[b]} (as the text says)")
                            for b in BOUND_MARKS if (rows["bound"] == b).any()]
            if "group" in data.columns:
                handles += [Patch(color=_colour_of(colours, g, GREY), label=f"cited in {g}")
                            for g in _ordered(rows["group"])]
            ax.legend(handles=handles, loc="upper left", fontsize=9)
        locator = AutoDateLocator(minticks=3, maxticks=8)
        axes[-1].xaxis.set_major_locator(locator)
        axes[-1].xaxis.set_major_formatter(ConciseDateFormatter(locator))
        axes[-1].set_xlim(first - pad, last + pad)
        axes[-1].set_xlabel("start of the period the figure refers to")
        _title(fig, title)
        _footer(fig, note)
    return _record(fig, fn, data, {"title": title, "label_width": label_width, "note": note})


# --------------------------------------------------------------------------- tables for reading

_HEX = re.compile(r"[0-9a-f]{32,}")


def readable(table: pd.DataFrame, *, digits: int = 4) -> pd.DataFrame:
    """A copy of ``table`` to show a reader: numbers to ``digits`` significant digits, whole numbers without
    ``.0`` (a year is 2022, not 2022.0), missing values blank (never "NaN"), hashes cut to 12 characters.

    For display only (the saved tables keep every digit).

    Examples
    --------
    >>> readable(pd.DataFrame({"year": [2022.0, None], "cosine": [0.400999, float("nan")]})).values.tolist()
    [['2022', '0.401'], ['', '']]
    """
    digits = _positive_int(digits, "digits", "readable")

    def cell(value):
        if value is None or value is pd.NA or isinstance(value, float) and math.isnan(value):
            return ""
        if isinstance(value, (bool, np.bool_)):
            return str(bool(value))
        if isinstance(value, (int, np.integer)):
            return str(int(value))
        if isinstance(value, (float, np.floating)):
            value = float(value)
            if value.is_integer() and abs(value) < 1e15:
                return str(int(value))
            return f"{value:.{digits}g}" if abs(value) < 10 ** digits else f"{value:.0f}"
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d")
        text = str(value)
        return text[:12] + "…" if _HEX.fullmatch(text) else text

    return table.apply(lambda column: column.map(cell)) if len(table.columns) else table.copy()


# --------------------------------------------------------------------------- saving

def check_name(name: str) -> str:
    """Return ``name`` if it is a safe file name stem (letters, digits, ``_ . -``), else raise ParameterError.

    Examples
    --------
    >>> check_name("02_top_terms")
    '02_top_terms'
    >>> check_name("../x")
    Traceback (most recent call last):
    ...
    rhetoric.errors.ParameterError: figure/table name '../x' is not a safe file name; use letters, digits, '_', '-' and '.', starting with a letter or digit (e.g. 'top_terms_2022').
    """
    if not isinstance(name, str) or not _SAFE_NAME.fullmatch(name) or ".." in name or name.endswith("."):
        raise ParameterError(f"figure/table name {name!r} is not a safe file name; use letters, digits, "
                             "'_', '-' and '.', starting with a letter or digit (e.g. 'top_terms_2022').")
    return name


def file_name(*parts) -> str:
    """A safe file name stem (:func:`check_name`) made of ``parts`` joined by ``_``.

    Each part (a notebook prefix, a group value such as ``2023-2024`` or
    ``Xi Jinping``) keeps its letters, digits, ``.`` and ``-``; any other run of
    characters becomes one ``-``.

    Examples
    --------
    >>> file_name("03_keyness", 2022, "vs", "2023-2024")
    '03_keyness_2022_vs_2023-2024'
    >>> file_name("03_keyness", "Xi Jinping", "vs_rest")
    '03_keyness_Xi-Jinping_vs_rest'
    """
    cleaned = [re.sub(r"[^A-Za-z0-9_.-]+", "-", str(part)).strip("-.") for part in parts]
    return check_name("_".join(p for p in cleaned if p))


def _jsonable(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
    if isinstance(value, (pd.Series, pd.Index, np.ndarray)):
        return list(value)
    if isinstance(value, Path):
        return value.name
    return str(value)


def _write_json(path: Path, payload: dict) -> None:
    path.write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False, default=_jsonable) + "\n",
                    encoding="utf-8")


def _check_no_machine_paths(table: pd.DataFrame, name: str) -> None:
    """Refuse tables holding absolute paths of this machine: they would make the report irreproducible."""
    for column in table.columns:
        dtype = table[column].dtype
        if not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
            continue
        values = pd.Series(pd.unique(table[column].dropna()))
        values = values[values.map(lambda v: isinstance(v, str))]
        candidates = values[values.str.match(r"^(/|[A-Za-z]:\\)")]
        for value in candidates:
            if os.path.exists(value):
                raise ParameterError(
                    f"table '{name}', column '{column}' holds a path of this machine ({value!r}); drop that "
                    "column (or keep only the file name) so the report is the same on every machine.")


def _write_csv(table: pd.DataFrame, path: Path, *, index: bool) -> None:
    table.to_csv(path, index=index, lineterminator="\n", encoding="utf-8")


def _has_meaningful_index(table: pd.DataFrame) -> bool:
    return any(n is not None for n in table.index.names)


def _check_owner(json_path: Path, kind: str, name: str) -> str | None:
    """The notebook making this file during a report build; refuse to overwrite another notebook's file."""
    notebook = os.environ.get(NOTEBOOK_ENV) or None
    if notebook and json_path.exists():
        try:
            previous = json.loads(json_path.read_text(encoding="utf-8")).get("notebook")
        except (OSError, ValueError):
            previous = None
        if previous and previous != notebook:
            raise ParameterError(f"{kind} name '{name}' is already used by notebook {previous}; "
                                 f"give the {kind} in {notebook} another name.")
    return notebook


def save_figure(fig: Figure, name: str, *, out_dir, data: pd.DataFrame | None = None, params: dict | None = None,
                caption: str = "") -> dict:
    """Save a figure as PNG and SVG, with the CSV of its data and a JSON sidecar of how it was made.

    Parameters
    ----------
    fig : Figure
        Usually from a ``plot_*`` function, which records its data and parameters.
    name : str
        File name stem: letters, digits, ``_ . -`` (checked).
    out_dir : path
        Folder to write into (created if missing), e.g. ``Path(output_dir) / "figures"``.
    data : DataFrame, optional
        The data behind the figure; default the data the ``plot_*`` function drew.
        Saved with ``index=False``, or with its index when the index is named
        (a matrix such as documents × formulae).
    params : dict, optional
        Extra parameters to record (merged over those the plot function recorded).
    caption : str, default ""
        One or two sentences for the report.

    Returns
    -------
    dict
        ``{"png": Path, "svg": Path, "csv": Path or None, "json": Path}``.

    Notes
    -----
    The files are byte-identical across runs: PNG without the Software tag
    (DPI 150), SVG without a date and with ``svg.hashsalt`` fixed, CSV with
    ``\\n`` line ends, JSON with sorted keys. Nothing records a time or an
    absolute path.

    Examples
    --------
    >>> import tempfile
    >>> freq = pd.DataFrame({"group": [2024], "term": ["trade"], "count": [5], "per_10k": [73.4]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = save_figure(plot_top_terms(freq), "top_terms", out_dir=folder, caption="Top terms")
    ...     sorted(p.name for p in paths.values())
    ['top_terms.csv', 'top_terms.json', 'top_terms.png', 'top_terms.svg']
    """
    if not isinstance(fig, Figure):
        raise ParameterError(f"save_figure: 'fig' must be a matplotlib Figure, not {type(fig).__name__}.")
    check_name(name)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    source = _SOURCES.get(fig, {})
    data = source.get("data") if data is None else data
    recorded = dict(source.get("params", {}))
    recorded.update(params or {})
    paths = {"png": out_dir / f"{name}.png", "svg": out_dir / f"{name}.svg",
             "csv": out_dir / f"{name}.csv" if data is not None else None, "json": out_dir / f"{name}.json"}
    notebook = _check_owner(paths["json"], "figure", name)
    if data is not None:
        if not isinstance(data, pd.DataFrame):
            data = pd.DataFrame(data)
        _check_no_machine_paths(data.reset_index() if _has_meaningful_index(data) else data, name)
        _write_csv(data, paths["csv"], index=_has_meaningful_index(data))
    with mpl.rc_context(STYLE):
        fig.savefig(paths["png"], format="png", dpi=DPI, metadata={"Software": None})
        fig.savefig(paths["svg"], format="svg", metadata={"Date": None, "Creator": None})
    width, height = fig.get_size_inches()
    sidecar = {
        "kind": "figure",
        "name": name,
        "caption": caption,
        "function": source.get("function"),
        "params": recorded,
        "data": paths["csv"].name if paths["csv"] else None,
        "data_columns": [str(c) for c in data.columns] if data is not None else [],
        "files": {k: p.name for k, p in paths.items() if p is not None},
        "size_px": [int(round(width * DPI)), int(round(height * DPI))],
    }
    if notebook:
        sidecar["notebook"] = notebook
        sidecar["sequence"] = next(_SAVED)
    _write_json(paths["json"], sidecar)
    return paths


def save_table(df: pd.DataFrame, name: str, *, out_dir, caption: str = "", index: bool | None = None) -> dict:
    """Save a table as CSV with a small JSON sidecar (caption, columns, rows).

    Parameters
    ----------
    df : DataFrame
    name : str
        File name stem (checked, see :func:`check_name`).
    out_dir : path
        Folder to write into (created if missing), e.g. ``Path(output_dir) / "tables"``.
    caption : str, default ""
    index : bool, optional
        Write the index; default only when it is named.

    Returns
    -------
    dict
        ``{"csv": Path, "json": Path}``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = save_table(pd.DataFrame({"doc_id": ["a"], "n": [1]}), "counts", out_dir=folder)
    ...     paths["csv"].read_text()
    'doc_id,n\\na,1\\n'
    """
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"save_table: 'df' must be a pandas DataFrame, not {type(df).__name__}.")
    check_name(name)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out_dir / f"{name}.csv", "json": out_dir / f"{name}.json"}
    notebook = _check_owner(paths["json"], "table", name)
    index = _has_meaningful_index(df) if index is None else index
    _check_no_machine_paths(df.reset_index() if index else df, name)
    _write_csv(df, paths["csv"], index=index)
    sidecar = {
        "kind": "table",
        "name": name,
        "caption": caption,
        "data": paths["csv"].name,
        "columns": ([str(n) for n in df.index.names] if index else []) + [str(c) for c in df.columns],
        "n_rows": int(len(df)),
    }
    if notebook:
        sidecar["notebook"] = notebook
        sidecar["sequence"] = next(_SAVED)
    _write_json(paths["json"], sidecar)
    return paths
