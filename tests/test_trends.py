"""Trends (rhetoric.stats.trends): relative frequency per point with the documents behind it, zeros included."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from rhetoric.corpus import tokenize_text
from rhetoric.counts import select_documents
from rhetoric.errors import ParameterError
from rhetoric.report.measures import plot_trends, save_figure
from rhetoric.stats.trends import TREND_COLUMNS, trends


def test_trends_by_period_by_hand(tiny_docs, tiny_tokens):
    """conftest: a_official (early, 13 tokens) counts for the translated text; c_2024 (late, 18 tokens)."""
    table = trends(tiny_tokens, tiny_docs, ["trade", "security", "shared future"], by="period")
    assert list(table.columns) == TREND_COLUMNS
    rows = table.set_index(["term", "group"])
    assert rows.loc[("trade", "early"), ["count", "n_tokens", "range", "n_docs"]].tolist() == [1, 13, 1, 1]
    assert rows.loc[("trade", "late"), ["count", "n_tokens", "range", "n_docs"]].tolist() == [2, 18, 1, 1]
    assert rows.loc[("trade", "early"), "per_10k"] == pytest.approx(10_000 / 13)
    assert rows.loc[("trade", "late"), "per_10k"] == pytest.approx(2 * 10_000 / 18)
    # zeros are listed: "security" never occurs early
    assert rows.loc[("security", "early"), ["count", "per_10k", "range"]].tolist() == [0, 0.0, 0]
    assert rows.loc[("security", "late"), "count"] == 3  # "security, security! ... security"
    assert rows.loc[("shared future", "late"), "count"] == 1
    # terms in the order given, points sorted
    assert table["term"].tolist() == ["trade"] * 2 + ["security"] * 2 + ["shared future"] * 2
    assert table["group"].tolist() == ["early", "late"] * 3


def test_all_versions_counts_both_translations(tiny_docs, tiny_tokens):
    table = trends(tiny_tokens, tiny_docs, "trade", by="period", all_versions=True).set_index("group")
    assert table.loc["early", ["count", "n_tokens", "range", "n_docs"]].tolist() == [2, 26, 2, 2]


def test_one_point_per_document_in_corpus_order(tiny_docs, tiny_tokens):
    table = trends(tiny_tokens, tiny_docs, ["community"], by=None, all_versions=True)
    assert table["group"].tolist() == tiny_docs["doc_id"].tolist()
    assert table["count"].tolist() == [1, 1, 1] and (table["n_docs"] == 1).all()


def test_trends_agree_with_plain_python_counts_on_the_project_corpus(project_docs, project_tokens):
    """Single words counted per document with the tokenizer's word list and summed per year, by hand."""
    words = ["cooperation", "security", "friendship", "trade", "development"]
    table = trends(project_tokens, project_docs, words, by="year")
    once = select_documents(project_docs)
    for year, group in once.groupby("year"):
        tokens = [w for text in group["text"] for w in tokenize_text(text)]
        for word in words:
            row = table[(table["term"] == word) & (table["group"] == year)].iloc[0]
            assert row["count"] == tokens.count(word), (word, year)
            assert row["n_tokens"] == len(tokens)
            assert row["n_docs"] == len(group)
            assert row["range"] == sum(word in tokenize_text(text) for text in group["text"])
            assert row["per_10k"] == pytest.approx(10_000 * tokens.count(word) / len(tokens))


def test_trends_reject_bad_options(tiny_docs, tiny_tokens):
    with pytest.raises(ParameterError, match="unknown grouping column"):
        trends(tiny_tokens, tiny_docs, ["trade"], by="decade")
    with pytest.raises(ParameterError, match="terms is empty"):
        trends(tiny_tokens, tiny_docs, [])


def test_trend_figure(tmp_path, tiny_docs, tiny_tokens):
    table = trends(tiny_tokens, tiny_docs, ["trade", "security"], by="period", all_versions=True)
    fig = plot_trends(table, group_label="period", title="Trade and security")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["early\n2 docs", "late\n1 doc"]
    lines = {line.get_label(): line.get_ydata().tolist() for line in ax.get_lines()}
    assert lines["trade"] == pytest.approx([2 * 10_000 / 26, 2 * 10_000 / 18])
    paths = save_figure(fig, "trends", out_dir=tmp_path)
    first = paths["png"].read_bytes()
    assert pd.read_csv(paths["csv"])["count"].tolist() == [2, 2, 0, 3]
    assert json.loads(paths["json"].read_text())["function"] == "rhetoric.report.measures.plot_trends"
    save_figure(plot_trends(table, group_label="period", title="Trade and security"), "trends", out_dir=tmp_path)
    assert paths["png"].read_bytes() == first  # same table, same bytes
    per_doc = plot_trends(trends(tiny_tokens, tiny_docs, ["trade"], by=None), group_label="document")
    assert [t.get_text() for t in per_doc.axes[0].get_xticklabels()] == ["a_official", "c_2024"]
    assert np.isfinite(per_doc.axes[0].get_lines()[0].get_ydata()).all()
