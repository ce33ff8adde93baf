"""Plots return Figures drawing exactly the data given; save_figure writes four byte-stable files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import matplotlib
import matplotlib.colors
import matplotlib.patches
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
    assert list(data["significant"]) == [True, True, False, True]   # no p_adjusted: p_value, said so
    assert plots._SOURCES[fig]["params"]["correction"] == "p (no correction)"
    widths = [b.get_width() for b in bars(fig.axes[0])]
    assert widths == [20.0, 12.0, -1.0, -8.0]
    alphas = [b.get_alpha() for b in bars(fig.axes[0])]
    assert alphas == [1.0, 1.0, 0.35, 1.0]
    # the raw frequencies beside each bar: target : reference
    assert [t.get_text() for t in fig.axes[0].texts] == ["14 : 0", "10 : 2", "2 : 3", "1 : 9"]
    # with corrected p-values, the shading follows them, not p_value
    corrected = table.assign(p_adjusted=[0.005, 0.4, 0.06, 1.0, 0.0005])
    fig = plots.plot_keyness(corrected, top_n=2, target_label="2024", reference_label="2022")
    assert list(plots._SOURCES[fig]["data"]["significant"]) == [True, True, False, False]   # c: 0.004 -> 0.06
    assert [b.get_alpha() for b in bars(fig.axes[0])] == [1.0, 1.0, 0.35, 0.35]
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
    fig = plots.plot_formula_timeline(table, labels={"f1": "formula one"}, panels=False)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 2
    # x follows the sorted group order 2022, 2023, 2024
    np.testing.assert_array_equal(lines[0].get_ydata(), [2.0, 3.0, 1.0])
    assert lines[0].get_label() == "formula one"
    panels = plots.plot_formula_timeline(table)                       # panels by default
    assert [ax.get_title(loc="left") for ax in panels.axes if ax.get_visible()] == ["f1", "f2"]


def test_formula_timeline_shows_counts_zero_as_hollow_and_the_documents_behind_each_group():
    table = pd.DataFrame({"group": [2022, 2023, 2024], "formula_id": ["f"] * 3, "per_10k": [8.6, 7.7, 0.0],
                          "count": [2, 1, 0]})
    colours = plots.group_colours([2022, 2023, 2024])
    fig = plots.plot_formula_timeline(table, group_labels={"2024": "2024\n1 doc: news report"}, colours=colours)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["2", "1", "0"]             # occurrences beside each point
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2022", "2023", "2024\n1 doc: news report"]
    points = ax.collections[0]
    faces = [matplotlib.colors.to_hex(c) for c in points.get_facecolors()]
    edges = [matplotlib.colors.to_hex(c) for c in points.get_edgecolors()]
    assert edges == [colours["2022"].lower(), colours["2023"].lower(), colours["2024"].lower()]
    assert faces[2] == "#ffffff" and faces[0] == colours["2022"].lower()   # zero: hollow


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
    # a highlighted frame takes the colour of the group where its share is larger: security rose (2024's
    # colour, the second group), economy fell (2022's colour)
    assert colours[0.4] == plots.OKABE_ITO[1] and colours[0.3] == plots.OKABE_ITO[0]
    assert colours[0.12] == plots.GREY
    chosen = {"2022": "#111111", "2024": "#222222"}
    mine = {line.get_ydata()[1]: line.get_color() for line in plots.plot_frame_slope(shift, colours=chosen)
            .axes[0].get_lines()}
    assert (mine[0.4], mine[0.3]) == ("#222222", "#111111")
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


def test_trade_timeline_draws_a_lower_bound_as_an_arrow_up_and_an_upper_bound_as_an_arrow_down():
    claims = pd.DataFrame({"date_start": ["2021-01-01", "2022-01-01", "2023-01-01"], "value": [25.0, 30.0, 41.0],
                           "unit": ["USD billion"] * 3, "measure": ["trade"] * 3, "doc_id": ["a", "b", "c"],
                           "label": ["above 25", "nearly 30", "41"], "bound": ["lower", "upper", "exact"],
                           "group": [2022, 2023, 2024]})
    fig = plots.plot_trade_timeline(claims)
    ax = fig.axes[0]
    arrows = [patch for patch in ax.patches if isinstance(patch, matplotlib.patches.FancyArrowPatch)]
    assert len(arrows) == 2
    (start_up, end_up), (start_down, end_down) = [patch._posA_posB for patch in arrows]
    assert start_up[1] >= 25.0 and end_up[1] > start_up[1]            # from 25 upwards: "at least 25"
    assert start_down[1] <= 30.0 and end_down[1] < start_down[1]      # from 30 downwards: "at most 30"
    faces = [line.get_markerfacecolor() for line in ax.get_lines() if line.get_marker() != "None"]
    assert faces[:2] == ["white", "white"] and faces[2] != "white"   # bounds hollow, exact filled
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "↑ at least (as the text says)" in legend and "↓ at most (as the text says)" in legend
    assert "cited in 2024" in legend
    with pytest.raises(ParameterError, match="bound"):
        plots.plot_trade_timeline(claims.assign(bound=["lower", "maybe", "exact"]))


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


# --- one visual language: a colour per group, n in the figure, sizes that fit -------------------------------------

def test_group_colours_are_the_same_for_a_group_in_every_figure(freq):
    colours = plots.group_colours([2024, 2022, 2023])
    assert colours == {"2022": plots.OKABE_ITO[0], "2023": plots.OKABE_ITO[1], "2024": plots.OKABE_ITO[2]}
    assert plots.group_colours(["2023", "2022"]) == {"2022": plots.OKABE_ITO[0], "2023": plots.OKABE_ITO[1]}
    # a figure showing 2022 and 2024 only keeps 2024's colour when given the corpus mapping
    top = plots.plot_top_terms(freq, top_n=2, colours=colours)
    bar_colour = [matplotlib.colors.to_hex(bars(ax)[0].get_facecolor()) for ax in top.axes if ax.get_visible()]
    assert bar_colour == [colours["2022"].lower(), colours["2024"].lower()]
    key = plots.plot_keyness(pd.DataFrame({"term": ["xi", "security"], "g2": [15.8, 6.7], "log_ratio": [2.8, -2.9],
                                           "p_adjusted": [0.01, 0.02]}),
                             target_label="2024", reference_label="2022", colours=colours)
    assert [matplotlib.colors.to_hex(b.get_facecolor()) for b in bars(key.axes[0])] == \
        [colours["2024"].lower(), colours["2022"].lower()]
    rest = plots.plot_keyness(pd.DataFrame({"term": ["xi", "security"], "g2": [15.8, 6.7], "log_ratio": [2.8, -2.9],
                                            "p_adjusted": [0.01, 0.02]}),
                              target_label="2024", reference_label="the rest",
                              colours={**colours, "the rest": "#8C8C8C"})
    assert matplotlib.colors.to_hex(bars(rest.axes[0])[1].get_facecolor()) == "#8c8c8c"
    # word clouds, documents per group and lengths use the same mapping
    per_group = plots.plot_documents_per_group(pd.DataFrame({"group": [2022, 2024], "n_documents": [3, 1],
                                                             "n_counted": [2, 1]}), colours=colours)
    assert [matplotlib.colors.to_hex(b.get_facecolor()) for b in bars(per_group.axes[0])[:2]] == \
        [colours["2022"].lower(), colours["2024"].lower()]


def test_describe_groups_by_hand(tiny_tokens, tiny_docs, project_tokens, project_docs):
    groups = plots.describe_groups(tiny_docs, tiny_tokens, by="period")
    # early: a_official only (b_unofficial is another translation of it), 13 tokens; late: c_2024, 18 tokens
    assert groups[["group", "n_docs", "n_tokens", "doc_ids"]].values.tolist() == [
        ["early", 1, 13, "a_official"], ["late", 1, 18, "c_2024"]]
    assert plots.group_note(groups) == "Behind each period: early: 1 document, 13 tokens; late: 1 document, 18 tokens."
    every = plots.describe_groups(tiny_docs, tiny_tokens, by="period", all_versions=True)
    assert every.loc[every["group"] == "early", ["n_docs", "n_tokens"]].values.tolist() == [[2, 26]]
    years = plots.describe_groups(project_docs, project_tokens, by="year").set_index("group")
    once = project_docs[project_docs["doc_id"] != "xi2022_unofficial"]
    for year, rows in once.groupby("year"):
        assert years.loc[year, "n_docs"] == len(rows)
        assert years.loc[year, "n_tokens"] == sum(project_tokens.doc_lengths()[d] for d in rows["doc_id"])
        assert set(years.loc[year, "genres"].split(", ")) == set(rows["genre"])
    assert plots.group_note(years.reset_index(), only=[2024]).endswith("2024: 1 document (news report), 681 tokens.")


def test_every_group_figure_carries_its_note_inside_the_image(freq):
    note = "Behind each year: 2022: 2 documents, 2,312 tokens; 2024: 1 document (news report), 681 tokens."
    figures = [plots.plot_top_terms(freq, note=note), plots.plot_wordclouds(freq, max_words=3, note=note),
               plots.plot_comparison_cloud(freq, 2022, 2024, note=note),
               plots.plot_keyness(pd.DataFrame({"term": ["xi"], "g2": [5.0], "log_ratio": [1.0],
                                                "p_adjusted": [0.5]}), note=note),
               plots.plot_formula_timeline(pd.DataFrame({"group": [2022, 2024], "formula_id": ["f", "f"],
                                                         "per_10k": [1.0, 2.0]}), note=note)]
    for fig in figures:
        assert note.replace(" ", "") in fig._supxlabel.get_text().replace("\n", "").replace(" ", "")


def test_shared_top_terms_are_left_out_so_panels_show_what_is_distinctive(freq):
    # top 2 of 2022: china 100, security/trade 40 -> china, security; of 2024: trade 150, china 50 -> china
    assert plots.shared_top_terms(freq, top_n=2) == ["china"]
    fig = plots.plot_top_terms(freq, top_n=2, exclude=["china"])
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["security", "trade"]
    assert [t.get_text() for t in panels[1].get_yticklabels()] == ["trade", "xi"]
    assert plots._SOURCES[fig]["params"]["exclude"] == ["china"]
    with pytest.raises(ParameterError, match="no term is left"):
        plots.plot_top_terms(freq, exclude=list(freq["term"]))


def test_heatmap_of_many_rows_and_two_columns_fits_its_content():
    """The versions heat map was 2,191 px tall for two columns: a row is now 0.3 in (45 px at 150 dpi)."""
    matrix = pd.DataFrame(np.arange(40).reshape(20, 2), index=[f"formula number {i}" for i in range(20)],
                          columns=["xi2022_xinhua", "xi2022_unofficial"])
    fig = plots.plot_formula_heatmap(matrix)
    width, height = fig.get_size_inches() * plots.DPI
    assert height < 20 * 0.3 * plots.DPI + 3.5 * plots.DPI                # rows + title, labels, colour bar
    assert height < 1500 and width < 1500


def test_log_ratio_view_orders_terms_by_effect_with_intervals_and_raw_counts():
    table = pd.DataFrame({"term": ["xi", "wednesday", "beijing", "security", "good"],
                          "log_ratio": [2.76, 4.35, 3.35, -2.9, -1.2],
                          "log_ratio_ci_low": [1.6, 1.5, 1.0, -5.1, -2.5],
                          "log_ratio_ci_high": [3.9, 7.2, 5.7, -0.7, 0.1],
                          "freq_target": [12, 3, 3, 0, 1], "freq_reference": [6, 0, 1, 17, 9],
                          "p_adjusted": [0.009, 0.39, 1.0, 0.2, 1.0]})
    fig = plots.plot_log_ratio(table, top_n=2, target_label="2024", reference_label="2022")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["wednesday", "beijing", "good", "security"]
    assert [t.get_text() for t in ax.texts][1:] == ["3 : 0", "3 : 1", "1 : 9", "0 : 17"]
    intervals = [list(line.get_xdata()) for line in ax.get_lines()
                 if len(line.get_xdata()) == 2 and line.get_xdata()[0] != line.get_xdata()[1]]
    assert intervals[0] == [1.5, 7.2] and intervals[-1] == [-5.1, -0.7]
    data = plots._SOURCES[fig]["data"]
    assert data["significant"].tolist() == [False, False, False, False]   # xi (significant) is not in the top 2
    with pytest.raises(ParameterError, match="log_ratio_ci_low"):
        plots.plot_log_ratio(table.drop(columns="log_ratio_ci_low"))


def test_keyness_figure_shades_a_term_significant_only_if_its_corrected_p_is_below_alpha(project_tokens,
                                                                                         project_docs):
    """The must-show test: on the real keyness table, solid bars are exactly the terms with p_adjusted < alpha."""
    from rhetoric.stats.keyness import keyness

    table = keyness(project_tokens, project_docs, by="year", target=2024, reference=2022, stop_words=True)
    for alpha in (0.05, 0.5):
        fig = plots.plot_keyness(table, top_n=15, target_label="2024", reference_label="2022", alpha=alpha)
        drawn = plots._SOURCES[fig]["data"]
        solid = {term for term, bar in zip(drawn["term"], bars(fig.axes[0])) if bar.get_alpha() == 1.0}
        p_adjusted = table.set_index("term")["p_adjusted"]
        assert solid == {t for t in drawn["term"] if p_adjusted[t] < alpha}
        # some term has p_value < alpha but a corrected p above it, and it is drawn pale
        raw = table.set_index("term")["p_value"]
        assert any(raw[t] < alpha <= p_adjusted[t] for t in drawn["term"])
        legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
        assert "Holm-adjusted p" in legend and f"{int((table['p_adjusted'] < alpha).sum())} of {len(table)}" in legend
        lr = plots.plot_log_ratio(table, target_label="2024", reference_label="2022", alpha=alpha)
        lr_data = plots._SOURCES[lr]["data"]
        assert (lr_data["significant"] == (lr_data["p_adjusted"] < alpha)).all()


def test_readable_tables_round_blank_missing_values_and_keep_years_whole():
    table = pd.DataFrame({"doc_id": ["a", "b"], "period_year": [2022.0, np.nan], "months": [7.0, 12.0],
                          "cosine": [0.400999, np.nan], "sha256": ["ab" * 32, None], "n": [3, 4]})
    shown = plots.readable(table)
    assert shown.values.tolist() == [["a", "2022", "7", "0.401", "abababababab…", "3"],
                                     ["b", "", "12", "", "", "4"]]
    assert plots.readable(table, digits=2)["cosine"].tolist() == ["0.4", ""]
    assert table["period_year"].iloc[0] == 2022.0                            # the table itself is untouched
