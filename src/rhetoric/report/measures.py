"""Figures for lemmas, trends, lexical diversity, readability, collocation networks and correspondence analysis.

Built as :mod:`rhetoric.report.plots`: each ``plot_*`` function takes the table
its analysis returns, never modifies it, returns a
:class:`matplotlib.figure.Figure` (object API, no ``pyplot``) in the project's
style (Okabe–Ito colours, DejaVu Sans) and records the data it drew and its
parameters for :func:`rhetoric.report.plots.save_figure`, which writes PNG,
SVG, CSV and the JSON sidecar.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import config
from ..errors import ParameterError
from . import plots
from .plots import GREY, OKABE_ITO, STYLE, save_figure

__all__ = ["plot_collocation_network", "plot_correspondence", "plot_diversity", "plot_lemma_forms", "plot_readability",
           "plot_trends", "save_figure"]
"""The figures of this module, and :func:`rhetoric.report.plots.save_figure` (the one way to save them)."""


def _record(fig: Figure, function: str, data: pd.DataFrame, params: dict) -> Figure:
    plots._SOURCES[fig] = {"function": f"rhetoric.report.measures.{function}", "data": data, "params": params}
    return fig


def _count(value, name: str, function: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ParameterError(f"{function}: {name} must be a positive integer, got {value!r}.")
    return int(value)


def _note(fig: Figure, note: str | None) -> None:
    if note:
        plots._footer(fig, note)


def _declutter(fig: Figure, texts: list, *, tries: int = 8) -> None:
    """Move labels (annotations placed with an offset in points) off the labels placed before them.

    Labels are taken in order (the most important first); one that overlaps an
    earlier one is moved up or down by its own height, alternating, until it is
    free or ``tries`` moves were made. Deterministic: the same figure gets the
    same placement.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    placed = []
    for text in texts:
        start = tuple(text.xyann)
        box = text.get_window_extent(renderer).expanded(1.04, 1.12)
        height = box.height * 72.0 / fig.dpi
        for k in range(1, tries + 1):
            if not any(box.overlaps(other) for other in placed):
                break
            shift = ((k + 1) // 2) * height * (1 if k % 2 else -1)
            text.xyann = (start[0], start[1] + shift)
            box = text.get_window_extent(renderer).expanded(1.04, 1.12)
        placed.append(box)


# --------------------------------------------------------------------------- lemmas

def plot_lemma_forms(forms: pd.DataFrame, *, top_n: int = 15, min_forms: int = 2, note: str | None = None,
                     title: str = "Lemmas and the word forms counted under them") -> Figure:
    """Stacked bars: the most frequent lemmas that have several forms, each bar split into its forms.

    Parameters
    ----------
    forms : DataFrame
        ``lemma, form, count, lemma_count`` (:func:`rhetoric.stats.lemma_list.lemma_forms`).
    top_n : int, default 15
        Lemmas shown, by ``lemma_count`` (ties A-Z).
    min_forms : int, default 2
        Only lemmas with at least this many forms (where lemmatizing changes a count).
    note, title : str

    Examples
    --------
    >>> table = pd.DataFrame({"lemma": ["visit"] * 2 + ["make"] * 2, "form": ["visit", "visits", "make", "made"],
    ...                       "count": [5, 2, 3, 1], "lemma_count": [7, 7, 4, 4]})
    >>> fig = plot_lemma_forms(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['visit', 'make']
    """
    fn = "plot_lemma_forms"
    top_n = _count(top_n, "top_n", fn)
    min_forms = _count(min_forms, "min_forms", fn)
    plots._require(forms, ["lemma", "form", "count", "lemma_count"], fn, "forms")
    n_forms = forms.groupby("lemma")["form"].transform("size")
    several = forms[n_forms >= min_forms]
    lemmas = (several.drop_duplicates("lemma").sort_values("lemma", kind="stable")
              .sort_values("lemma_count", ascending=False, kind="stable")["lemma"].head(top_n).tolist())
    if not lemmas:
        raise ParameterError(f"{fn}: no lemma has {min_forms} or more forms; lower min_forms.")
    data = several[several["lemma"].isin(lemmas)].copy()
    data["order"] = data["lemma"].map({lemma: i for i, lemma in enumerate(lemmas)})
    data = data.sort_values(["order", "count", "form"], ascending=[True, False, True], kind="stable")
    data = data[["lemma", "form", "count", "lemma_count"]].reset_index(drop=True)
    fig = plots._new_figure(8.5, 1.4 + 0.38 * len(lemmas) + (0.45 if note else 0))
    shades = [mpl.colors.to_hex(mpl.colormaps["Blues"](x)) for x in (0.85, 0.6, 0.4, 0.25, 0.15)]
    captions = {lemma: ", ".join(f"{r.form} {r.count}" for r in data[data["lemma"] == lemma].itertuples(index=False))
                for lemma in lemmas}
    totals = data.groupby("lemma")["count"].sum()
    # room right of each bar for its caption (about 0.0108 of the axis per character at this size)
    xmax = max(totals[lemma] / max(1 - 0.0108 * (len(captions[lemma]) + 6), 0.2) for lemma in lemmas)
    with mpl.rc_context(STYLE):
        ax = fig.subplots()
        for k, lemma in enumerate(lemmas):
            left = 0
            for j, row in enumerate(data[data["lemma"] == lemma].itertuples(index=False)):
                ax.barh(k, row.count, left=left, color=shades[min(j, len(shades) - 1)], edgecolor="white",
                        linewidth=0.8)
                left += row.count
            ax.text(left, k, f"  {left}: {captions[lemma]}", va="center", fontsize=8, color="#333333")
        ax.set_yticks(range(len(lemmas)), lemmas)
        ax.set_ylim(len(lemmas) - 0.5, -0.5)
        ax.set_xlim(0, xmax)
        ax.set_xlabel("occurrences (segments: the word forms, the most frequent first; listed at right)")
        ax.grid(axis="x")
        plots._title(fig, title)
        _note(fig, note)
    return _record(fig, fn, data, {"top_n": top_n, "min_forms": min_forms, "title": title, "note": note})


# --------------------------------------------------------------------------- trends

def plot_trends(table: pd.DataFrame, *, group_label: str = "year", note: str | None = None,
                title: str = "Relative frequency") -> Figure:
    """One line per term across the points of a trends table; under each point, the documents behind it.

    Parameters
    ----------
    table : DataFrame
        ``term, group, per_10k, n_docs`` (:func:`rhetoric.stats.trends.trends`),
        points in the order of the table.
    group_label : str, default "year"
        What a point is (axis label).
    note, title : str

    Examples
    --------
    >>> table = pd.DataFrame({"term": ["trade"] * 2, "group": [2022, 2024], "per_10k": [10.0, 25.0],
    ...                       "n_docs": [2, 1], "count": [3, 2]})
    >>> fig = plot_trends(table)
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['2022\\n2 docs', '2024\\n1 doc']
    """
    fn = "plot_trends"
    plots._require(table, ["term", "group", "per_10k", "n_docs"], fn, "table")
    groups = list(pd.unique(table["group"]))
    terms = list(pd.unique(table["term"]))
    docs_of = table.drop_duplicates("group").set_index("group")["n_docs"]
    one_each = bool((docs_of == 1).all())  # points are documents: nothing to say under them
    labels = [str(g) if one_each else f"{g}\n{int(docs_of[g])} doc{'' if int(docs_of[g]) == 1 else 's'}"
              for g in groups]
    longest = max(len(str(g)) for g in groups)
    rotate = len(groups) > 8 or longest > 10
    longest_term = max(len(str(t)) for t in terms)
    fig = plots._new_figure(max(6.5, 1.0 + 0.75 * len(groups)) + 0.8 + 0.08 * longest_term,
                            4.6 + (0.9 if rotate else 0) + (0.45 if note else 0))
    with mpl.rc_context(STYLE):
        ax = fig.subplots()
        x = np.arange(len(groups))
        for k, term in enumerate(terms):
            rows = table[table["term"] == term].set_index("group").reindex(groups)
            ax.plot(x, rows["per_10k"].to_numpy(dtype=float), marker=plots.MARKERS[k % len(plots.MARKERS)],
                    linestyle=plots.LINESTYLES[(k // len(OKABE_ITO)) % len(plots.LINESTYLES)],
                    color=OKABE_ITO[k % len(OKABE_ITO)], label=str(term), clip_on=False, zorder=3)
        ax.set_xticks(x, labels, rotation=40 if rotate else 0, ha="right" if rotate else "center",
                      rotation_mode="anchor" if rotate else "default")
        ax.set_xlim(-0.4, len(groups) - 0.6)
        ax.set_ylim(bottom=0)
        ax.set_ylabel("occurrences per 10,000 tokens")
        ax.set_xlabel(group_label if one_each else f"{group_label} (under each: documents behind the point)")
        ax.grid(axis="y")
        fig.legend(loc="outside right upper", frameon=False)
        plots._title(fig, title)
        _note(fig, note)
    columns = [c for c in ("term", "group", "count", "n_tokens", "per_10k", "range", "n_docs") if c in table.columns]
    data = table[columns].reset_index(drop=True)
    return _record(fig, fn, data, {"group_label": group_label, "terms": terms, "title": title, "note": note})


# --------------------------------------------------------------------------- diversity, readability

def _dot_panels(table: pd.DataFrame, measures: list[tuple[str, str]], *, fn: str, label: str, colour_by: str | None,
                title: str, note: str | None, annotate: str | None) -> Figure:
    plots._require(table, [label] + [m for m, _ in measures] + ([colour_by] if colour_by else []), fn, "table")
    rows = table.reset_index(drop=True)
    names = rows[label].astype(str).tolist()
    width = 2.0 + 0.085 * max(len(n) for n in names) + 2.6 * len(measures)
    width += 1.6 if colour_by else 0
    fig = plots._new_figure(width, 1.5 + 0.42 * len(rows) + (0.45 if note else 0))
    if colour_by:
        values = [str(v) for v in rows[colour_by].fillna("")]
        levels = sorted(set(values))
        colour = {v: OKABE_ITO[i % len(OKABE_ITO)] for i, v in enumerate(levels)}
        colours = [colour[v] for v in values]
    else:
        colours = [OKABE_ITO[0]] * len(rows)
    with mpl.rc_context(STYLE):
        axes = fig.subplots(1, len(measures), sharey=True, squeeze=False)[0]
        y = np.arange(len(rows))
        for ax, (measure, axis_label) in zip(axes, measures):
            values = rows[measure].to_numpy(dtype=float)
            ax.hlines(y, np.nanmin(values) if np.isfinite(values).any() else 0, values, color="#DDDDDD",
                      linewidth=1)
            ax.scatter(values, y, color=colours, s=42, zorder=3)
            for yi, v in zip(y, values):
                if np.isfinite(v):
                    ax.annotate(f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}", (v, yi), xytext=(0, 7),
                                textcoords="offset points", ha="center", fontsize=8, color="#333333")
                else:
                    ax.text(0.02, yi, "n/a (too short)", transform=mpl.transforms.blended_transform_factory(
                        ax.transAxes, ax.transData), va="center", fontsize=8, color=GREY)
            finite = values[np.isfinite(values)]
            if finite.size:
                low, high = finite.min(), finite.max()
                pad = (high - low) * 0.15 or abs(high) * 0.1 or 1
                ax.set_xlim(low - pad, high + pad)
            ax.set_xlabel(axis_label)
            ax.grid(axis="x")
        if annotate:
            names = [f"{n} ({int(a):,})" for n, a in zip(names, rows[annotate])]
        axes[0].set_yticks(y, names)
        axes[0].set_ylim(len(rows) - 0.5, -0.7)
        if colour_by:
            fig.legend(handles=[Line2D([], [], color=colour[v], marker="o", linestyle="none",
                                       label=v or "(none)") for v in levels],
                       loc="outside right upper", title=colour_by, fontsize=9, title_fontsize=9)
        plots._title(fig, title)
        _note(fig, note)
    return fig


DIVERSITY_AXES = {"ttr": "TTR (types / tokens; falls with length)", "mattr": "MATTR (window of W words)",
                  "mtld": "MTLD (words per factor)"}
READABILITY_AXES = {"flesch_reading_ease": "Flesch reading ease (higher = easier)",
                    "flesch_kincaid_grade": "Flesch-Kincaid grade", "gunning_fog": "Gunning fog",
                    "smog": "SMOG", "coleman_liau": "Coleman-Liau", "words_per_sentence": "words per sentence",
                    "syllables_per_word": "syllables per word"}


def plot_diversity(table: pd.DataFrame, *, measures=("ttr", "mattr", "mtld"), colour_by: str | None = None,
                   window: int | None = None, note: str | None = None,
                   title: str = "Lexical diversity of each document") -> Figure:
    """Dot plots of lexical diversity per document, one panel per measure; beside each name, its words.

    Parameters
    ----------
    table : DataFrame
        ``doc_id, n_words`` and the measures (:func:`rhetoric.stats.diversity.lexical_diversity`),
        optionally a column to colour by (e.g. ``translation`` merged from the documents table).
    measures : sequence of str, default ("ttr", "mattr", "mtld")
    colour_by : str, optional
        A column of ``table`` whose values colour the dots (with a legend).
    window : int, optional
        The MATTR window, for the axis label (default: ``table.attrs["window"]``,
        which a merge drops).
    note, title : str

    Examples
    --------
    >>> table = pd.DataFrame({"doc_id": ["a", "b"], "n_words": [120, 300], "ttr": [0.6, 0.4],
    ...                       "mattr": [0.7, 0.72], "mtld": [80.0, 95.0]})
    >>> fig = plot_diversity(table)
    >>> [ax.get_xlabel().split(" (")[0] for ax in fig.axes]
    ['TTR', 'MATTR', 'MTLD']
    """
    fn = "plot_diversity"
    measures = list(measures)
    unknown = [m for m in measures if m not in DIVERSITY_AXES]
    if unknown:
        raise ParameterError(f"{fn}: unknown measure(s) {unknown}; use {', '.join(DIVERSITY_AXES)}.")
    window = window if window is not None else table.attrs.get("window")
    axes = [(m, DIVERSITY_AXES[m].replace("W words", f"{window} words" if window else "W words")) for m in measures]
    fig = _dot_panels(table, axes, fn=fn, label="doc_id", colour_by=colour_by, title=title, note=note,
                      annotate="n_words" if "n_words" in table.columns else None)
    columns = ["doc_id"] + [c for c in ("n_words", "n_types") if c in table.columns] + measures
    columns += [colour_by] if colour_by and colour_by not in columns else []
    return _record(fig, fn, table[columns].reset_index(drop=True),
                   {"measures": measures, "colour_by": colour_by, "window": window, "title": title, "note": note})


def plot_readability(table: pd.DataFrame, *, measures=("flesch_reading_ease", "flesch_kincaid_grade",
                                                        "words_per_sentence"),
                     colour_by: str | None = None, note: str | None = None,
                     title: str = "Readability of each document") -> Figure:
    """Dot plots of readability per document, one panel per measure; beside each name, its words.

    Parameters
    ----------
    table : DataFrame
        ``doc_id, n_words`` and the measures (:func:`rhetoric.stats.readability.readability`).
    measures : sequence of str
        Any of ``flesch_reading_ease, flesch_kincaid_grade, gunning_fog, smog,
        coleman_liau, words_per_sentence, syllables_per_word``.
    colour_by : str, optional
    note, title : str

    Examples
    --------
    >>> table = pd.DataFrame({"doc_id": ["a"], "n_words": [120], "flesch_reading_ease": [40.0],
    ...                       "flesch_kincaid_grade": [12.5], "words_per_sentence": [22.0]})
    >>> len(plot_readability(table).axes)
    3
    """
    fn = "plot_readability"
    measures = list(measures)
    unknown = [m for m in measures if m not in READABILITY_AXES]
    if unknown:
        raise ParameterError(f"{fn}: unknown measure(s) {unknown}; use {', '.join(READABILITY_AXES)}.")
    fig = _dot_panels(table, [(m, READABILITY_AXES[m]) for m in measures], fn=fn, label="doc_id",
                      colour_by=colour_by, title=title, note=note,
                      annotate="n_words" if "n_words" in table.columns else None)
    columns = ["doc_id"] + [c for c in ("n_sentences", "n_words") if c in table.columns] + measures
    columns += [colour_by] if colour_by and colour_by not in columns else []
    return _record(fig, fn, table[columns].reset_index(drop=True),
                   {"measures": measures, "colour_by": colour_by, "title": title, "note": note})


# --------------------------------------------------------------------------- collocation network

LEVEL_COLOURS = {0: OKABE_ITO[3], 1: OKABE_ITO[0], 2: "#BBBBBB"}
LEVEL_NAMES = {0: "node word", 1: "its collocates", 2: "their collocates"}


def plot_collocation_network(edges: pd.DataFrame, *, measure: str | None = None, note: str | None = None,
                             title: str = "Collocation network") -> Figure:
    """The collocation network drawn with networkx: node = word, edge width = association.

    Node colour marks the level (the node word, its collocates, theirs), node
    size the word's frequency; the layout is networkx's spring layout (edges
    pull by association) with the project's fixed seed, so the same table gives
    the same picture.

    Parameters
    ----------
    edges : DataFrame
        From :func:`rhetoric.stats.network.collocation_network`.
    measure : str, optional
        ``log_dice``, ``g2`` or ``mi`` for the edge widths (default: the one the
        table was ranked by, else ``log_dice``).
    note, title : str

    Examples
    --------
    >>> edges = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "d"], "level": [1, 1, 2],
    ...                       "observed": [3, 2, 2], "source_freq": [5, 5, 4], "target_freq": [4, 3, 2],
    ...                       "g2": [9.0, 4.0, 5.0], "mi": [2.0, 1.0, 3.0], "log_dice": [12.0, 11.0, 12.5]})
    >>> fig = plot_collocation_network(edges)
    >>> sorted(t.get_text() for t in fig.axes[0].texts)
    ['a', 'b', 'c', 'd']
    """
    import networkx as nx

    from ..stats.network import network_graph

    fn = "plot_collocation_network"
    plots._require(edges, ["source", "target", "level", "observed", "source_freq", "target_freq", "g2", "mi",
                           "log_dice"], fn, "edges")
    measure = measure or (edges.attrs.get("measure") if edges.attrs.get("measure") in ("log_dice", "g2", "mi")
                          else "log_dice")
    if measure not in ("log_dice", "g2", "mi"):
        raise ParameterError(f"{fn}: measure={measure!r}; use 'log_dice', 'g2' or 'mi'.")
    graph = network_graph(edges, measure=measure)
    weights = np.array([d["weight"] for _, _, d in graph.edges(data=True)], dtype=float)
    low, high = float(np.min(weights)), float(np.max(weights))
    widths = 0.6 + 4.4 * ((weights - low) / (high - low) if high > low else np.ones_like(weights))
    spring = {(a, b): max(w - low, 0) + 0.1 for (a, b), w in zip(graph.edges(), weights)}
    nx.set_edge_attributes(graph, spring, "pull")
    position = nx.spring_layout(graph, weight="pull", seed=config.RANDOM_SEED, k=2.2 / np.sqrt(len(graph)),
                                iterations=200)
    freq = np.array([graph.nodes[n]["freq"] for n in graph.nodes], dtype=float)
    sizes = 120 + 900 * np.sqrt(freq / freq.max())
    levels = [graph.nodes[n]["level"] for n in graph.nodes]
    n_nodes = len(graph)
    side = min(13.0, 6.5 + 0.12 * n_nodes)
    fig = plots._new_figure(side, side * 0.78 + (0.45 if note else 0))
    with mpl.rc_context(STYLE):
        ax = fig.subplots()
        nx.draw_networkx_edges(graph, position, ax=ax, width=widths.tolist(), edge_color="#9AA5B1", alpha=0.8)
        nx.draw_networkx_nodes(graph, position, ax=ax, node_size=sizes.tolist(),
                               node_color=[LEVEL_COLOURS[level] for level in levels], linewidths=0.8,
                               edgecolors="white")
        labels = []
        for (name, (x, y)), size in zip(position.items(), sizes):
            level = graph.nodes[name]["level"]
            labels.append((level, -size, name, ax.annotate(
                name, (x, y), xytext=(0, np.sqrt(size) / 2 + 1), textcoords="offset points", ha="center",
                va="bottom", fontsize=11 if level == 0 else 9, fontweight="bold" if level < 2 else "normal",
                bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.7})))
        _declutter(fig, [text for *_, text in sorted(labels, key=lambda item: item[:3])])
        ax.set_axis_off()
        ax.margins(0.08)
        handles = [Patch(color=LEVEL_COLOURS[k], label=LEVEL_NAMES[k]) for k in sorted(set(levels))]
        handles.append(Line2D([], [], color="#9AA5B1", linewidth=4.4,
                              label=f"edge width: {measure} {low:.1f} to {high:.1f}"))
        handles.append(Line2D([], [], color="#BBBBBB", marker="o", linestyle="none", markersize=9,
                              label="node size: frequency of the word"))
        ax.legend(handles=handles, loc="lower left", fontsize=9, frameon=False)
        plots._title(fig, title)
        _note(fig, note)
    data = edges.reset_index(drop=True)
    return _record(fig, fn, data, {"measure": measure, "node": edges.attrs.get("node"),
                                   "n_nodes": n_nodes, "n_edges": int(graph.number_of_edges()),
                                   "seed": config.RANDOM_SEED, "title": title, "note": note})


# --------------------------------------------------------------------------- correspondence analysis

def plot_correspondence(result: pd.DataFrame, *, top_terms: int = 20, note: str | None = None,
                        title: str = "Correspondence analysis: documents and the words that set them apart"
                        ) -> Figure:
    """The symmetric CA map: every document (or group) labelled, and the terms contributing most to the plane.

    A term's contribution to the plane of axes 1 and 2 is
    ``(contrib_1 * lambda_1 + contrib_2 * lambda_2) / (lambda_1 + lambda_2)``;
    the other terms are drawn as small grey points without labels.

    Parameters
    ----------
    result : DataFrame
        From :func:`rhetoric.stats.correspondence.correspondence_analysis` (or
        :func:`~rhetoric.stats.correspondence.ca_coordinates`), with ``dim_1, dim_2``.
    top_terms : int, default 20
    note, title : str

    Examples
    --------
    >>> from rhetoric.stats.correspondence import ca_coordinates
    >>> counts = pd.DataFrame([[9, 1, 2], [1, 8, 2], [2, 2, 9]], index=["d1", "d2", "d3"], columns=["x", "y", "z"])
    >>> fig = plot_correspondence(ca_coordinates(counts), top_terms=2)
    >>> sorted(t.get_text() for t in fig.axes[0].texts)[:3]
    ['d1', 'd2', 'd3']
    """
    fn = "plot_correspondence"
    top_terms = _count(top_terms, "top_terms", fn)
    plots._require(result, ["kind", "label", "dim_1", "dim_2", "contrib_1", "contrib_2"], fn, "result")
    eigen = list(result.attrs.get("eigenvalues") or [])
    explained = list(result.attrs.get("explained") or [])
    if len(eigen) < 2:
        raise ParameterError(f"{fn}: the result has fewer than two axes (attrs['eigenvalues']); pass the table "
                             "correspondence_analysis returns with n_components >= 2.")
    rows = result[result["kind"] == "row"]
    cols = result[result["kind"] == "column"].copy()
    cols["contrib_plane"] = (cols["contrib_1"] * eigen[0] + cols["contrib_2"] * eigen[1]) / (eigen[0] + eigen[1])
    cols = cols.sort_values("label", kind="stable").sort_values("contrib_plane", ascending=False, kind="stable")
    shown = cols.head(top_terms)
    fig = plots._new_figure(9.5, 8.0 + (0.45 if note else 0))
    with mpl.rc_context(STYLE):
        ax = fig.subplots()
        ax.axhline(0, color="#BBBBBB", linewidth=0.8)
        ax.axvline(0, color="#BBBBBB", linewidth=0.8)
        rest = cols.iloc[top_terms:]
        ax.scatter(rest["dim_1"], rest["dim_2"], s=8, color="#CCCCCC", zorder=2)
        ax.scatter(shown["dim_1"], shown["dim_2"], s=18, color=OKABE_ITO[1], marker="^", zorder=3)
        ax.scatter(rows["dim_1"], rows["dim_2"], s=70, color=OKABE_ITO[0], zorder=4)
        leader = {"arrowstyle": "-", "color": "#999999", "linewidth": 0.5, "shrinkA": 0, "shrinkB": 3}
        texts = [ax.annotate(row.label, (row.dim_1, row.dim_2), xytext=(6, -12), textcoords="offset points",
                             fontsize=10, fontweight="bold", color=OKABE_ITO[0], arrowprops=leader)
                 for row in rows.itertuples(index=False)]
        texts += [ax.annotate(row.label, (row.dim_1, row.dim_2), xytext=(4, 3), textcoords="offset points",
                              fontsize=9, color="#7A4A00", arrowprops=leader) for row in shown.itertuples(index=False)]
        share = [f" ({100 * e:.1f}% of inertia)" if np.isfinite(e) else ""
                 for e in (explained + [np.nan, np.nan])[:2]]
        ax.set_xlabel("dimension 1" + share[0])
        ax.set_ylabel("dimension 2" + share[1])
        ax.set_aspect("equal", adjustable="datalim")
        ax.legend(handles=[Line2D([], [], color=OKABE_ITO[0], marker="o", linestyle="none", label="documents"),
                           Line2D([], [], color=OKABE_ITO[1], marker="^", linestyle="none",
                                  label=f"the {len(shown)} terms contributing most to this plane"),
                           Line2D([], [], color="#CCCCCC", marker="o", linestyle="none", markersize=4,
                                  label="other terms")],
                  loc="best", fontsize=9, frameon=True, framealpha=0.85, edgecolor="none")
        ax.grid(True)
        plots._title(fig, title)
        _note(fig, note)
        _declutter(fig, texts)
    data = pd.concat([rows, shown], ignore_index=True)
    columns = [c for c in ("kind", "label", "count", "mass", "dim_1", "dim_2", "contrib_1", "contrib_2",
                           "contrib_plane") if c in data.columns]
    return _record(fig, fn, data[columns], {"top_terms": top_terms, "eigenvalues": eigen[:2],
                                            "explained": explained[:2], "title": title, "note": note})
