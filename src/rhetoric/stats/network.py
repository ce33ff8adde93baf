"""A collocation network: a node word, its strongest collocates, and theirs (GraphColl-style).

Level 1 holds the ``top_n`` collocates of the node (by ``measure``, among
collocates seen at least ``min_count`` times and attracted to the node:
observed above expected); with ``depth=2`` each of them becomes a node in turn
and adds its own ``top_n`` collocates (level 2). Collocates come from
:func:`rhetoric.stats.collocations.collocates` (windows of ``left``/``right``
tokens inside the sentence, merged where they overlap; one G² for the whole
project), so every edge is a row of the collocations table of its source.
A pair met twice (A among B's collocates and B among A's) is one edge, kept
where it was first found. Edge width in the figure is the association
(logDice by default: 14 + log2(2 O / (f(x) + f(y))), Rychlý 2008, which does
not grow with corpus size as G² does).

References
----------
Brezina, V., McEnery, T. & Wattam, S. (2015). Collocations in context: a new
perspective on collocation networks. *International Journal of Corpus
Linguistics* 20(2), 139-173 (GraphColl).
Rychlý, P. (2008). A lexicographer-friendly association score. *RASLAN 2008*, 6-9.
Hagberg, A., Schult, D. & Swart, P. (2008). Exploring network structure, dynamics,
and function using NetworkX. *Proceedings of SciPy 2008*, 11-15.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import check_choice, check_int
from ..corpus.tokens import Tokens
from .collocations import collocates

NETWORK_COLUMNS = ["source", "target", "level", "observed", "source_freq", "target_freq", "g2", "mi", "log_dice"]
NETWORK_MEASURES = ("log_dice", "g2", "mi", "mi3", "t_score")


def _strongest(table: pd.DataFrame, measure: str, top_n: int) -> pd.DataFrame:
    attracted = table[table["observed"] > table["expected"]]
    ranked = attracted.sort_values("collocate", kind="stable").sort_values(measure, ascending=False, kind="stable")
    return ranked.head(top_n)


def collocation_network(tokens: Tokens, docs: pd.DataFrame, node: str, *, measure: str = "log_dice",
                        top_n: int = 8, depth: int = 2, min_count: int = 2, left: int = 5, right: int = 5,
                        stop_words=True, within_sentence: bool = True, all_versions: bool = False,
                        prefer: str = "official", valuetype: str = "glob", hyphens: str = "loose",
                        case_sensitive: bool = False) -> pd.DataFrame:
    """Edges of the collocation network around ``node``: its collocates and (``depth=2``) theirs.

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    node : str
        A word or phrase (:mod:`rhetoric.patterns`), matched with ``valuetype``,
        ``hyphens``, ``case_sensitive``; the collocates expanded at level 2 are
        matched as exact types.
    measure : str, default "log_dice"
        Association that ranks collocates and sets edge widths: ``log_dice``,
        ``g2``, ``mi``, ``mi3`` or ``t_score``.
    top_n : int, default 8
        Collocates kept per expanded word.
    depth : int, default 2
        1: the node and its collocates; 2: and the collocates' collocates.
    min_count : int, default 2
        Co-occurrences a collocate needs.
    left, right, within_sentence, stop_words
        The window and the words left out (:func:`rhetoric.stats.collocations.collocates`);
        stop words are left out by default.
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`).

    Returns
    -------
    DataFrame
        ``source, target, level`` (1: from the node, 2: from a level-1
        collocate), ``observed`` (co-occurrences), ``source_freq`` (hits of the
        source), ``target_freq`` (frequency of the target), ``g2, mi,
        log_dice``; ``attrs`` records the options and ``node_label``.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> edges = collocation_network(tokenize(docs), docs, "win-win", depth=1)
    >>> edges.loc[edges["target"] == "cooperation", ["source", "level", "observed"]].to_dict("records")
    [{'source': 'win-win', 'level': 1, 'observed': 4}]
    """
    check_choice("measure", measure, NETWORK_MEASURES)
    top_n = check_int("top_n", top_n, minimum=1)
    depth = check_int("depth", depth, minimum=1, maximum=2)
    options = dict(left=left, right=right, min_count=min_count, stop_words=stop_words,
                   within_sentence=within_sentence, all_versions=all_versions, prefer=prefer)
    label = node.strip() if case_sensitive else node.strip().lower()
    rows, seen = [], set()

    def add(source: str, found: pd.DataFrame, level: int) -> list[str]:
        kept = []
        for row in found.itertuples(index=False):
            pair = frozenset((source, row.collocate))
            if row.collocate == source or pair in seen:
                continue
            seen.add(pair)
            kept.append(row.collocate)
            rows.append({"source": source, "target": row.collocate, "level": level, "observed": row.observed,
                         "source_freq": row.node_freq, "target_freq": row.collocate_freq, "g2": row.g2,
                         "mi": row.mi, "log_dice": row.log_dice})
        return kept

    first = _strongest(collocates(tokens, docs, node, valuetype=valuetype, hyphens=hyphens,
                                  case_sensitive=case_sensitive, **options), measure, top_n)
    expand = add(label, first, 1)
    if depth == 2:
        for word in list(first["collocate"]):
            found = collocates(tokens, docs, word, valuetype="fixed", hyphens="strict", **options)
            add(word, _strongest(found, measure, top_n), 2)
    table = pd.DataFrame(rows, columns=NETWORK_COLUMNS).astype(
        {"source": object, "target": object, "level": np.int64, "observed": np.int64, "source_freq": np.int64,
         "target_freq": np.int64, "g2": float, "mi": float, "log_dice": float})
    table.attrs.update(node=node, node_label=label, measure=measure, top_n=top_n, depth=depth,
                       n_expanded=len(expand), **{k: v for k, v in options.items() if k != "stop_words"})
    return table


def network_graph(edges: pd.DataFrame, *, measure: str = "log_dice"):
    """The edges as a :class:`networkx.Graph`: node attributes ``level`` (0 = the node word) and ``freq``,
    edge attribute ``weight`` (= ``measure``).

    Examples
    --------
    >>> edges = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "d"], "level": [1, 1, 2],
    ...                       "observed": [3, 2, 2], "source_freq": [5, 5, 4], "target_freq": [4, 3, 2],
    ...                       "g2": [9.0, 4.0, 5.0], "mi": [2.0, 1.0, 3.0], "log_dice": [12.0, 11.0, 12.5]})
    >>> graph = network_graph(edges)
    >>> sorted(graph.nodes(data="level")), graph["b"]["d"]["weight"]
    ([('a', 0), ('b', 1), ('c', 1), ('d', 2)], 12.5)
    """
    import networkx as nx

    check_choice("measure", measure, ("log_dice", "g2", "mi"))
    graph = nx.Graph()
    for row in edges.itertuples(index=False):
        if row.source not in graph:
            graph.add_node(row.source, level=0 if row.level == 1 else 1, freq=int(row.source_freq))
        if row.target not in graph:
            graph.add_node(row.target, level=int(row.level), freq=int(row.target_freq))
        graph.add_edge(row.source, row.target, weight=float(getattr(row, measure)), level=int(row.level),
                       observed=int(row.observed))
    return graph
