"""Collocation networks (rhetoric.stats.network): edges by hand on a tiny corpus, the graph, the figure."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import write_corpus
from rhetoric.corpus import load_corpus, tokenize
from rhetoric.errors import ParameterError
from rhetoric.report.measures import plot_collocation_network, save_figure
from rhetoric.stats.network import NETWORK_COLUMNS, collocation_network, network_graph

PIES = "Apple pie. Apple tart. Apple pie. Pie crust. Tart crust."
"""Five sentences, N = 10 tokens: apple 3, pie 3, tart 2, crust 2. With a window of one token each side inside
the sentence:
  apple: windows hold pie (S1, S3) and tart (S2): R1 = 3; O(pie) = 2, O(tart) = 1
  pie:   apple (S1, S3), crust (S4): R1 = 3; O(apple) = 2, O(crust) = 1
  tart:  apple (S2), crust (S5): R1 = 2; O(apple) = 1, O(crust) = 1
Expected E = R1 * f(c) / N; every pair here is attracted (O > E)."""


def _pie_corpus(tmp_path):
    folder = write_corpus(tmp_path / "pies", {"pies": ("2024-01-01", "pies", "", "p", PIES)})
    docs = load_corpus(folder)
    return docs, tokenize(docs, cache=False)


def _log_dice(o, fx, fy):
    return 14 + math.log2(2 * o / (fx + fy))


def _g2(o11, r1, c1, n):
    """Signed log-likelihood of a 2x2 table, written out cell by cell."""
    cells = [(o11, r1 * c1 / n), (r1 - o11, r1 * (n - c1) / n), (c1 - o11, (n - r1) * c1 / n),
             (n - r1 - c1 + o11, (n - r1) * (n - c1) / n)]
    value = 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)
    return value if o11 > r1 * c1 / n else -value


def test_the_network_by_hand(tmp_path):
    docs, tokens = _pie_corpus(tmp_path)
    edges = collocation_network(tokens, docs, "apple", left=1, right=1, min_count=1, stop_words=None)
    assert list(edges.columns) == NETWORK_COLUMNS
    got = {(r.source, r.target): r for r in edges.itertuples(index=False)}
    # level 1, by logDice: apple-pie 14 + log2(4 / 6) = 13.415, apple-tart 14 + log2(2 / 5) = 12.678;
    # level 2: tart-crust 14 + log2(2 / 4) = 13, pie-crust 14 + log2(2 / 5); pie-apple and tart-apple are
    # the level-1 edges met again and are not repeated
    assert list(got) == [("apple", "pie"), ("apple", "tart"), ("pie", "crust"), ("tart", "crust")]
    assert edges["level"].tolist() == [1, 1, 2, 2]
    assert got[("apple", "pie")].log_dice == pytest.approx(_log_dice(2, 3, 3))
    assert got[("apple", "tart")].log_dice == pytest.approx(_log_dice(1, 3, 2))
    assert got[("pie", "crust")].log_dice == pytest.approx(_log_dice(1, 3, 2))
    assert got[("tart", "crust")].log_dice == pytest.approx(_log_dice(1, 2, 2))
    assert got[("apple", "pie")].g2 == pytest.approx(_g2(2, 3, 3, 10))
    assert got[("tart", "crust")].g2 == pytest.approx(_g2(1, 2, 2, 10))
    assert got[("apple", "pie")].mi == pytest.approx(math.log2(2 / (3 * 3 / 10)))
    assert [(r.observed, r.source_freq, r.target_freq) for r in edges.itertuples()] == [
        (2, 3, 3), (1, 3, 2), (1, 3, 2), (1, 2, 2)]


def test_depth_top_n_and_measure(tmp_path):
    docs, tokens = _pie_corpus(tmp_path)
    options = dict(left=1, right=1, min_count=1, stop_words=None)
    first = collocation_network(tokens, docs, "apple", depth=1, **options)
    assert first[["source", "target"]].values.tolist() == [["apple", "pie"], ["apple", "tart"]]
    one = collocation_network(tokens, docs, "apple", depth=1, top_n=1, **options)
    assert one["target"].tolist() == ["pie"]
    by_g2 = collocation_network(tokens, docs, "apple", measure="g2", **options)
    assert by_g2.attrs["measure"] == "g2"
    # min_count=2 keeps only apple-pie (seen twice), and pie's collocates need two co-occurrences too
    strict = collocation_network(tokens, docs, "apple", left=1, right=1, min_count=2, stop_words=None)
    assert strict[["source", "target"]].values.tolist() == [["apple", "pie"]]
    with pytest.raises(ParameterError, match="measure"):
        collocation_network(tokens, docs, "apple", measure="dice")
    with pytest.raises(ParameterError, match="depth"):
        collocation_network(tokens, docs, "apple", depth=3)


def test_no_pair_twice_and_no_loop_on_the_project_corpus(project_docs, project_tokens):
    edges = collocation_network(project_tokens, project_docs, "cooperation")
    pairs = [frozenset(p) for p in zip(edges["source"], edges["target"])]
    assert len(pairs) == len(set(pairs)) and all(len(p) == 2 for p in pairs)
    level1 = edges[edges["level"] == 1]
    assert (level1["source"] == "cooperation").all() and len(level1) == 8
    assert set(edges.loc[edges["level"] == 2, "source"]) <= set(level1["target"])
    assert (edges.groupby("source").size() <= 8).all()
    assert "win-win" in set(level1["target"])  # "win-win cooperation", 4 times


def test_a_phrase_node_and_an_absent_node(project_docs, project_tokens):
    edges = collocation_network(project_tokens, project_docs, "belt and road", depth=1)
    assert (edges["source"] == "belt and road").all() and len(edges) > 0
    assert collocation_network(project_tokens, project_docs, "zebra").empty


def test_network_graph(tmp_path):
    docs, tokens = _pie_corpus(tmp_path)
    edges = collocation_network(tokens, docs, "apple", left=1, right=1, min_count=1, stop_words=None)
    graph = network_graph(edges)
    assert dict(graph.nodes(data="level")) == {"apple": 0, "pie": 1, "tart": 1, "crust": 2}
    assert dict(graph.nodes(data="freq")) == {"apple": 3, "pie": 3, "tart": 2, "crust": 2}
    assert graph["crust"]["tart"]["weight"] == pytest.approx(13.0)
    assert graph.number_of_edges() == 4
    assert network_graph(edges, measure="g2")["apple"]["pie"]["weight"] == pytest.approx(_g2(2, 3, 3, 10))


def test_network_figure(tmp_path, project_docs, project_tokens):
    edges = collocation_network(project_tokens, project_docs, "cooperation")
    fig = plot_collocation_network(edges, title="What cooperation keeps company with")
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert labels == set(edges["source"]) | set(edges["target"])
    widths = fig.axes[0].collections[0].get_linewidths()
    assert len(widths) == len(edges) and min(widths) == pytest.approx(0.6) and max(widths) == pytest.approx(5.0)
    paths = save_figure(fig, "network", out_dir=tmp_path)
    sidecar = json.loads(paths["json"].read_text())
    assert sidecar["params"]["n_edges"] == len(edges) and sidecar["params"]["measure"] == "log_dice"
    first = paths["png"].read_bytes()
    save_figure(plot_collocation_network(edges, title="What cooperation keeps company with"), "network",
                out_dir=tmp_path)
    assert paths["png"].read_bytes() == first  # the seeded layout: same table, same picture
    assert pd.read_csv(paths["csv"])["target"].tolist() == edges["target"].tolist()
    with pytest.raises(ParameterError, match="no rows"):
        plot_collocation_network(edges.iloc[0:0])
    assert np.isfinite(edges["log_dice"]).all()
