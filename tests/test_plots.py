"""Plots return Figures drawing exactly the data given; save_figure writes four byte-stable files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from rhetoric.report import plots
from rhetoric.errors import ParameterError


@pytest.fixture
def freq():
    rows = [(2022, "china", 10, 100.0, 3), (2022, "trade", 4, 40.0, 2), (2022, "security", 4, 40.0, 1),
            (2022, "road", 1, 10.0, 1), (2024, "trade", 9, 150.0, 1), (2024, "china", 3, 50.0, 1),
            (2024, "xi", 2, 33.3, 1)]
    return pd.DataFrame(rows, columns=["group", "term", "count", "per_10k", "range"])


def bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_top_terms_draws_the_top_n_per_group_in_order(freq):
    before = freq.copy()
    fig = plots.plot_top_terms(freq, top_n=3)
    assert isinstance(fig, Figure)
    pd.testing.assert_frame_equal(freq, before)  # input untouched
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in visible] == ["2022", "2024"]
    # 2022: china 100, then the tie trade/security (40) broken by term: security before trade
    assert [t.get_text() for t in visible[0].get_yticklabels()] == ["china", "security", "trade"]
    assert [b.get_width() for b in bars(visible[0])] == [100.0, 40.0, 40.0]
    assert [b.get_width() for b in bars(visible[1])] == [150.0, 50.0, 33.3]
    data = plots._SOURCES[fig]["data"]
    assert list(data["rank"]) == [1, 2, 3, 1, 2, 3]


def test_missing_columns_and_bad_options_raise_parameter_errors(freq):
    with pytest.raises(ParameterError, match="lacks column.*per_10k"):
        plots.plot_top_terms(freq.drop(columns="per_10k"))
    with pytest.raises(ParameterError, match="top_n"):
        plots.plot_top_terms(freq, top_n=0)
    with pytest.raises(ParameterError, match="no rows"):
        plots.plot_top_terms(freq.iloc[0:0])
    with pytest.raises(ParameterError, match="2023"):
        plots.plot_top_terms(freq, groups=[2023])


def test_keyness_signs_g2_by_log_ratio_and_takes_top_n_each_side():
    table = pd.DataFrame({
        "term": ["a", "b", "c", "d", "e"], "g2": [12.0, 3.0, 8.0, 1.0, 20.0],
        "log_ratio": [1.5, 0.4, -2.0, -0.1, 3.0], "p_value": [0.001, 0.08, 0.004, 0.3, 0.0001],
        "freq_target": [10, 3, 1, 2, 14], "freq_reference": [2, 2, 9, 3, 0]})
    fig = plots.plot_keyness(table, top_n=2, target_label="2024", reference_label="2022")
    data = plots._SOURCES[fig]["data"]
    assert list(data["term"]) == ["e", "a", "d", "c"]  # largest positive first, most negative last
    assert list(data["signed"]) == [20.0, 12.0, -1.0, -8.0]
    assert list(data["significant"]) == [True, True, False, True]
    widths = [b.get_width() for b in bars(fig.axes[0])]
    assert widths == [20.0, 12.0, -1.0, -8.0]
    alphas = [b.get_alpha() for b in bars(fig.axes[0])]
    assert alphas == [1.0, 1.0, 0.4, 1.0]
    lr = plots._SOURCES[plots.plot_keyness(table, top_n=1, measure="log_ratio")]["data"]
    assert list(lr["term"]) == ["e", "c"]
    with pytest.raises(ParameterError, match="measure"):
        plots.plot_keyness(table, measure="chi2")


def test_formula_heatmap_annotates_every_cell():
    matrix = pd.DataFrame([[0, 2], [5, 1]], index=pd.Index(["d1", "d2"], name="doc_id"),
                          columns=["community with a shared future", "golden thirty years"])
    fig = plots.plot_formula_heatmap(matrix)
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == ["0", "1", "2", "5"]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["d1", "d2"]


def test_formula_timeline_lines_and_panels():
    table = pd.DataFrame([(y, f, v) for f, vals in {"f1": (1.0, 2.0, 3.0), "f2": (0.0, 5.0, 1.0)}.items()
                          for y, v in zip((2024, 2022, 2023), vals)], columns=["group", "formula_id", "per_10k"])
    fig = plots.plot_formula_timeline(table, labels={"f1": "formula one"})
    lines = fig.axes[0].get_lines()
    assert len(lines) == 2
    # x follows the sorted group order 2022, 2023, 2024
    np.testing.assert_array_equal(lines[0].get_ydata(), [2.0, 3.0, 1.0])
    assert lines[0].get_label() == "formula one"
    panels = plots.plot_formula_timeline(table, panels=True)
    assert [ax.get_title(loc="left") for ax in panels.axes if ax.get_visible()] == ["f1", "f2"]


def test_dispersion_xray_one_tick_per_occurrence_and_empty_strips():
    positions = pd.DataFrame({"doc_id": ["d1", "d1", "d2", "d2"], "term": ["t1", "t1", "t1", "t2"],
                              "relative_position": [0.1, 0.5, 0.9, 0.0]})
    fig = plots.plot_dispersion_xray(positions)
    assert len(fig.axes) == 2
    ticks = [sum(len(c.get_segments()) for c in ax.collections if isinstance(c, LineCollection))
             for ax in fig.axes]
    assert ticks == [3, 1]
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["d1", "d2"]  # d1 strip stays, empty
    with pytest.raises(ParameterError, match=r"\[0, 1\]"):
        plots.plot_dispersion_xray(positions.assign(relative_position=[0, 2, 3, 4]))


def test_frame_shares_and_slope_highlight_intervals_excluding_zero():
    shares = pd.DataFrame({"group": [2022, 2022, 2024, 2024], "frame": ["economy", "security"] * 2,
                           "share": [0.5, 0.2, 0.3, 0.4], "ci_low": [0.4, 0.1, 0.2, 0.3],
                           "ci_high": [0.6, 0.3, 0.4, 0.5]})
    fig = plots.plot_frame_shares(shares)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["economy", "security"]  # by mean share
    shift = pd.DataFrame({"frame": ["economy", "security", "history"], "share_from": [0.5, 0.2, 0.1],
                          "share_to": [0.3, 0.4, 0.12], "from_group": 2022, "to_group": 2024,
                          "ci_low": [-0.3, 0.05, -0.02], "ci_high": [-0.1, 0.35, 0.06]})
    slope = plots.plot_frame_slope(shift)
    data = plots._SOURCES[slope]["data"].set_index("frame")
    assert data["highlighted"].to_dict() == {"security": True, "economy": True, "history": False}
    assert data.loc["economy", "change"] == pytest.approx(-0.2)
    colours = {line.get_ydata()[1]: line.get_color() for line in slope.axes[0].get_lines()}
    assert colours[0.4] == plots.OKABE_ITO[0] and colours[0.3] == plots.OKABE_ITO[3]
    assert colours[0.12] == plots.GREY
    with pytest.raises(ParameterError, match="one pair"):
        plots.plot_frame_slope(shift.assign(to_group=[2023, 2024, 2024]))


def test_similarity_heatmap_must_be_square():
    sim = pd.DataFrame([[1.0, 0.25], [0.25, 1.0]], index=["a", "b"], columns=["a", "b"])
    fig = plots.plot_similarity_heatmap(sim)
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["0.25", "0.25", "1.00", "1.00"]
    with pytest.raises(ParameterError, match="square"):
        plots.plot_similarity_heatmap(sim.iloc[:, :1])


def test_wordclouds_are_deterministic(freq):
    one = plots.plot_wordclouds(freq, max_words=3)
    two = plots.plot_wordclouds(freq, max_words=3)
    a = [ax.images[0].get_array() for ax in one.axes if ax.images]
    b = [ax.images[0].get_array() for ax in two.axes if ax.images]
    assert len(a) == 2
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def test_comparison_cloud_difference_of_relative_frequencies(freq):
    fig = plots.plot_comparison_cloud(freq, 2022, 2024)
    data = plots._SOURCES[fig]["data"].set_index("term")
    # per_10k / 10,000 in each group: trade 40 vs 150, china 100 vs 50, by hand
    assert data.loc["trade", "difference"] == pytest.approx((40.0 - 150.0) / 10_000)
    assert data.loc["china", "difference"] == pytest.approx((100.0 - 50.0) / 10_000)
    assert data.loc["trade", "side"] == "2024" and data.loc["china", "side"] == "2022"
    assert data.loc["xi", "count_a"] == 0 and data.loc["xi", "count_b"] == 2
    without = plots._SOURCES[plots.plot_comparison_cloud(freq.drop(columns="per_10k"), 2022, 2024)]["data"]
    assert without.set_index("term").loc["road", "prop_a"] == pytest.approx(1 / 19)  # count / total in 2022
    with pytest.raises(ParameterError, match="2030"):
        plots.plot_comparison_cloud(freq, 2022, 2030)


def test_trade_timeline_panels_per_unit():
    claims = pd.DataFrame({"date_start": ["2022-01-01", "2023-01-01", "2023-01-01"], "value": [21.2, 41.0, 2.5],
                           "unit": ["USD billion", "USD billion", "million tonnes"],
                           "measure": ["trade", "trade", "grain"], "doc_id": ["a", "b", "b"],
                           "label": ["trade 2022", "trade 2023", "grain"]})
    fig = plots.plot_trade_timeline(claims)
    assert [ax.get_ylabel() for ax in fig.axes] == ["USD billion", "million tonnes"]  # sorted: capitals first
    assert sum(len(ax.texts) for ax in fig.axes) == 3


def hashes(paths):
    import hashlib
    return {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in paths.items() if p is not None}


def test_save_figure_writes_four_byte_identical_files(tmp_path, freq):
    one = plots.save_figure(plots.plot_top_terms(freq, top_n=2), "top_terms", out_dir=tmp_path / "a",
                            caption="Top terms <per year>", params={"stopwords": "english"})
    two = plots.save_figure(plots.plot_top_terms(freq, top_n=2), "top_terms", out_dir=tmp_path / "b",
                            caption="Top terms <per year>", params={"stopwords": "english"})
    assert sorted(one) == ["csv", "json", "png", "svg"] and all(p.exists() for p in one.values())
    assert hashes(one) == hashes(two)
    sidecar = json.loads(one["json"].read_text())
    assert sidecar["function"] == "rhetoric.report.plots.plot_top_terms"
    assert sidecar["params"]["top_n"] == 2 and sidecar["params"]["stopwords"] == "english"
    assert sidecar["caption"] == "Top terms <per year>" and sidecar["data"] == "top_terms.csv"
    assert str(tmp_path) not in one["json"].read_text() + one["svg"].read_text()
    table = pd.read_csv(one["csv"])
    assert list(table.columns) == ["group", "term", "count", "per_10k", "range", "rank"]
    assert one["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_save_figure_matrix_keeps_index_and_cloud_is_stable(tmp_path, freq):
    sim = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=pd.Index(["a", "b"], name="doc_id"), columns=["a", "b"])
    paths = plots.save_figure(plots.plot_similarity_heatmap(sim), "sim", out_dir=tmp_path)
    assert paths["csv"].read_text().splitlines()[0] == "doc_id,a,b"
    one_group = freq[freq["group"] == 2022]
    c1 = plots.save_figure(plots.plot_wordclouds(one_group, max_words=3), "c", out_dir=tmp_path / "1")
    c2 = plots.save_figure(plots.plot_wordclouds(one_group, max_words=3), "c", out_dir=tmp_path / "2")
    assert hashes(c1) == hashes(c2)


def test_save_refuses_unsafe_names_and_machine_paths(tmp_path, freq):
    fig = plots.plot_top_terms(freq)
    for bad in ["../x", "a/b", "", ".hidden", "a..b", "x" * 200, "name with space"]:
        with pytest.raises(ParameterError, match="safe file name"):
            plots.save_figure(fig, bad, out_dir=tmp_path)
    with pytest.raises(ParameterError, match="path of this machine"):
        plots.save_table(pd.DataFrame({"doc_id": ["a"], "path": [str(tmp_path)]}), "docs", out_dir=tmp_path)


def test_save_table_writes_csv_and_sidecar(tmp_path):
    df = pd.DataFrame({"doc_id": ["a", "b"], "n": [1, 2]})
    paths = plots.save_table(df, "counts", out_dir=tmp_path, caption="Counts")
    assert paths["csv"].read_text() == "doc_id,n\na,1\nb,2\n"
    sidecar = json.loads(paths["json"].read_text())
    assert sidecar == {"caption": "Counts", "columns": ["doc_id", "n"], "data": "counts.csv", "kind": "table",
                       "n_rows": 2, "name": "counts"}


def test_report_build_refuses_two_notebooks_writing_one_name(tmp_path, monkeypatch):
    df = pd.DataFrame({"a": [1]})
    monkeypatch.setenv(plots.NOTEBOOK_ENV, "01_corpus")
    plots.save_table(df, "shared", out_dir=tmp_path)
    assert json.loads((tmp_path / "shared.json").read_text())["notebook"] == "01_corpus"
    monkeypatch.setenv(plots.NOTEBOOK_ENV, "02_frequency")
    with pytest.raises(ParameterError, match="already used by notebook 01_corpus"):
        plots.save_table(df, "shared", out_dir=tmp_path)


# --- plots of tables the analyses return, on the tiny corpus of conftest.py (values by hand) ---------------------

def test_top_terms_of_term_frequencies_leave_out_signs_and_count_a_translation_once(tiny_tokens, tiny_docs):
    from rhetoric.stats.frequency import term_frequencies

    freq = term_frequencies(tiny_tokens, tiny_docs, by="period", stop_words=True)
    fig = plots.plot_top_terms(freq, top_n=3)
    early, late = [ax for ax in fig.axes if ax.get_visible()]
    assert [early.get_title(loc="left"), late.get_title(loc="left")] == ["early", "late"]
    # late = c_2024, 18 tokens ("$21.2 billion" is three): security 3, trade 2, then the ties at 1 by term,
    # where "21.2" sorts first; "$" is a token but a stop word, so it is never drawn
    assert [t.get_text() for t in late.get_yticklabels()] == ["security", "trade", "21.2"]
    assert [b.get_width() for b in bars(late)] == pytest.approx([3 / 18 * 1e4, 2 / 18 * 1e4, 1 / 18 * 1e4])
    # early = a_official alone (b_unofficial is another translation of it), 13 tokens: every content word once
    assert [t.get_text() for t in early.get_yticklabels()] == ["community", "cooperation", "future"]
    assert [b.get_width() for b in bars(early)] == pytest.approx([1 / 13 * 1e4] * 3)
    assert not {"$", "'s", "%"} & set(plots._SOURCES[fig]["data"]["term"])


def test_xray_of_dispersion_positions_shows_both_translations(tiny_tokens, tiny_docs):
    from rhetoric.stats.dispersion import dispersion_positions

    positions = dispersion_positions(tiny_tokens, tiny_docs, ["trade", "security"], all_versions=True)
    fig = plots.plot_dispersion_xray(positions, doc_order=list(tiny_docs["doc_id"]))
    data = plots._SOURCES[fig]["data"]
    # token positions by hand: "trade" is token 10 of 13 in both 2022 versions, tokens 0 and 6 of 18 in c_2024;
    # "security" tokens 8, 10 and 11 of c_2024
    where = data.groupby("term")["relative_position"].apply(list)
    assert where["trade"] == pytest.approx([10 / 13, 10 / 13, 0.0, 6 / 18])
    assert where["security"] == pytest.approx([8 / 18, 10 / 18, 11 / 18])
    ticks = [sum(len(c.get_segments()) for c in ax.collections if isinstance(c, LineCollection)) for ax in fig.axes]
    assert ticks == [4, 3]


def test_formula_heatmap_of_every_version(tiny_tokens, tiny_docs):
    from rhetoric.formulas.counts import formula_matrix

    matrix = formula_matrix(tiny_tokens, tiny_docs, all_versions=True)
    used = matrix.loc[:, matrix.sum() > 0]
    fig = plots.plot_formula_heatmap(used)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["a_official", "b_unofficial", "c_2024"]
    # "community with a shared future" / "community of common destiny" in each; "win-win" / "mutually
    # beneficial" cooperation in the two translations only
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["0", "1", "1", "1", "1", "1"]


def test_top_terms_draws_another_value_column_with_its_label(freq):
    weighted = freq.assign(tfidf=[0.9, 0.1, 0.3, 0.2, 0.5, 0.6, 0.4])
    fig = plots.plot_top_terms(weighted, top_n=2, value="tfidf", value_label="TF-IDF weight")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [t.get_text() for t in visible[0].get_yticklabels()] == ["china", "security"]
    assert [b.get_width() for b in bars(visible[1])] == [0.6, 0.5]
    assert visible[0].get_xlabel() == "TF-IDF weight"
    assert "tfidf" in plots._SOURCES[fig]["data"].columns


def test_file_name_makes_group_values_safe():
    assert plots.file_name("03_keyness", 2022, "vs", "2023-2024") == "03_keyness_2022_vs_2023-2024"
    assert plots.file_name("03_keyness", "Xi Jinping/CGTN", "vs_rest") == "03_keyness_Xi-Jinping-CGTN_vs_rest"
    with pytest.raises(ParameterError, match="safe file name"):
        plots.file_name("../..")
