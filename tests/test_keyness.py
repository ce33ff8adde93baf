"""Keyness: G² and p against scipy's chi2_contingency, log ratio and corrections by hand, antisymmetry."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from rhetoric.errors import ParameterError
from rhetoric.stats.keyness import KEYNESS_COLUMNS, adjust_p_values, keyness, keyness_each_vs_rest, keyness_table


def test_tiny_by_hand(tiny_tokens, tiny_docs):
    table = keyness(tiny_tokens, tiny_docs, by="period", target="late", min_count=1, correction=None)
    assert tuple(table.columns) == KEYNESS_COLUMNS
    security = table.set_index("term").loc["security"]
    # target late = c_2024 (18 tokens: "$21.2 billion" is three); reference = early with translations once =
    # a_official (13 tokens). O = [[3, 0], [15, 13]], N = 31, rows 3 and 28, columns 18 and 13
    # E = [[3*18/31, 3*13/31], [28*18/31, 28*13/31]] = [[1.7419, 1.2581], [16.2581, 11.7419]]
    # G2 = 2 * (3 ln(3/1.7419) + 15 ln(15/16.2581) + 13 ln(13/11.7419)) = 3.491877
    g2 = 2 * (3 * math.log(3 / (3 * 18 / 31)) + 15 * math.log(15 / (28 * 18 / 31)) + 13 * math.log(13 / (28 * 13 / 31)))
    assert security["g2"] == pytest.approx(g2) == pytest.approx(3.491877, abs=1e-6)
    assert (security["freq_target"], security["freq_reference"]) == (3, 0)
    assert (security["size_target"], security["size_reference"]) == (18, 13)
    assert (security["range_target"], security["range_reference"]) == (1, 0)
    # log ratio with 0.5 for the zero count: log2((3/18) / (0.5/13)) = log2(4.3333)
    assert security["log_ratio"] == pytest.approx(math.log2(13 / 3))
    assert security["p_value"] == security["p_adjusted"]                 # correction=None
    # "is": 0 in the target, 2 in the reference: key in the reference, so negative
    is_ = table.set_index("term").loc["is"]
    assert is_["g2"] < 0 and is_["log_ratio"] == pytest.approx(math.log2((0.5 / 18) / (2 / 13)))
    # community: once in a_official only (b_unofficial, the other translation, does not count)
    assert table.set_index("term").loc["community", "freq_reference"] == 1


def test_g2_and_p_match_scipy(project_tokens, project_docs):
    table = keyness(project_tokens, project_docs, by="period", target="2022", min_count=2)
    assert len(table) > 300
    for row in table.itertuples():
        observed = [[row.freq_target, row.freq_reference],
                    [row.size_target - row.freq_target, row.size_reference - row.freq_reference]]
        g2, p, _, _ = chi2_contingency(observed, correction=False, lambda_="log-likelihood")
        assert abs(row.g2) == pytest.approx(g2, rel=1e-9, abs=1e-12)
        assert row.p_value == pytest.approx(p, rel=1e-9)
        rate_t, rate_r = row.freq_target / row.size_target, row.freq_reference / row.size_reference
        assert np.sign(row.g2) == np.sign(rate_t - rate_r)
        a = row.freq_target or 0.5
        b = row.freq_reference or 0.5
        assert row.log_ratio == pytest.approx(math.log2((a / row.size_target) / (b / row.size_reference)))


def test_sorted_by_g2_then_term(project_tokens, project_docs):
    table = keyness(project_tokens, project_docs, by="period", target="2022")
    keys = list(zip(-table["g2"], table["term"]))
    assert keys == sorted(keys)
    assert (table["freq_target"] + table["freq_reference"] >= 3).all()  # default min_count=3


def test_explicit_reference_and_translation_groups(project_tokens, project_docs):
    vs_rest = keyness(project_tokens, project_docs, by="year", target=2022, min_count=1)
    vs_2024 = keyness(project_tokens, project_docs, by="year", target="2022", reference="2024", min_count=1)
    # 2022: zhang2022_visit + xi2022_xinhua (the official version; not both translations)
    lengths = project_tokens.doc_lengths()
    assert vs_rest["size_target"].iloc[0] == lengths["zhang2022_visit"] + lengths["xi2022_xinhua"]
    assert vs_2024["size_reference"].iloc[0] == lengths["cgtn2024_visit"]
    assert vs_rest["size_reference"].iloc[0] == lengths["zhang2023_newyear"] + lengths["cgtn2024_visit"]
    unofficial = keyness(project_tokens, project_docs, by="year", target=2022, prefer="unofficial")
    assert unofficial["size_target"].iloc[0] == lengths["zhang2022_visit"] + lengths["xi2022_unofficial"]
    every = keyness(project_tokens, project_docs, by="year", target=2022, all_versions=True)
    assert every["size_target"].iloc[0] == lengths[["zhang2022_visit", "xi2022_xinhua", "xi2022_unofficial"]].sum()
    assert (vs_rest.attrs["n_docs_target"], every.attrs["n_docs_target"]) == (2, 3)


def holm(p):
    """Reference Holm step-down, written as in Holm (1979)."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    adjusted = [0.0] * m
    running = 0.0
    for k, i in enumerate(order):
        running = max(running, min(1.0, (m - k) * p[i]))
        adjusted[i] = running
    return adjusted


def test_holm_and_bonferroni_by_hand():
    # p = (0.01, 0.04, 0.03), m = 3; Holm: sorted 0.01, 0.03, 0.04 times 3, 2, 1 = 0.03, 0.06, 0.04, then the
    # running maximum: 0.03, 0.06, 0.06. Bonferroni: 3 p, at most 1.
    assert adjust_p_values([0.01, 0.04, 0.03], "holm").tolist() == pytest.approx([0.03, 0.06, 0.06])
    assert adjust_p_values([0.01, 0.04, 0.03], "bonferroni").tolist() == pytest.approx([0.03, 0.12, 0.09])
    assert adjust_p_values([0.5, 0.6], "bonferroni").tolist() == [1.0, 1.0]
    assert adjust_p_values([0.01, 0.04, 0.03], None).tolist() == [0.01, 0.04, 0.03]
    # ties keep the same adjusted value whatever their order
    assert adjust_p_values([0.02, 0.02, 0.5], "holm").tolist() == pytest.approx([0.06, 0.06, 0.5])
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 0.2, size=200).tolist()
    assert adjust_p_values(p, "holm").tolist() == pytest.approx(holm(p), abs=1e-15)
    with pytest.raises(ParameterError, match="correction='sidak' is not known; use one of 'holm', 'bonferroni', None"):
        adjust_p_values(p, "sidak")


def test_corrections(project_tokens, project_docs):
    plain = keyness(project_tokens, project_docs, by="period", target="2022", correction=None)
    assert plain["p_adjusted"].equals(plain["p_value"])
    default = keyness(project_tokens, project_docs, by="period", target="2022")
    assert default.attrs["correction"] == "holm"
    assert default["p_adjusted"].tolist() == pytest.approx(holm(plain["p_value"].tolist()))
    m = len(plain)
    bonferroni = keyness(project_tokens, project_docs, by="period", target="2022", correction="bonferroni")
    assert bonferroni["p_adjusted"].tolist() == pytest.approx(np.minimum(plain["p_value"] * m, 1).tolist())
    holm_table = keyness(project_tokens, project_docs, by="period", target="2022", correction="holm")
    assert holm_table["p_adjusted"].tolist() == pytest.approx(holm(plain["p_value"].tolist()))
    assert (holm_table["p_adjusted"] <= bonferroni["p_adjusted"] + 1e-15).all()
    assert holm_table.attrs["correction"] == "holm" and holm_table.attrs["n_tested"] == m


def test_swapping_target_and_reference_flips_the_sign(tiny_tokens, tiny_docs):
    one = keyness(tiny_tokens, tiny_docs, by="period", target="late", reference="early", min_count=1)
    two = keyness(tiny_tokens, tiny_docs, by="period", target="early", reference="late", min_count=1)
    merged = one.merge(two, on="term", suffixes=("_1", "_2"))
    assert len(merged) == len(one) == len(two)
    assert (merged["g2_1"] == -merged["g2_2"]).all()
    assert (merged["log_ratio_1"] == -merged["log_ratio_2"]).all()
    assert (merged["freq_target_1"] == merged["freq_reference_2"]).all()


@settings(max_examples=60, deadline=None)
@given(a=st.integers(0, 500), b=st.integers(0, 500), extra_c=st.integers(1, 10_000), extra_d=st.integers(1, 10_000))
def test_keyness_is_antisymmetric(a, b, extra_c, extra_d):
    c, d = a + extra_c, b + extra_d
    one = keyness_table([a], [b], c, d, ["w"])
    two = keyness_table([b], [a], d, c, ["w"])
    if a + b == 0:
        assert one.empty and two.empty
        return
    assert one["g2"].iloc[0] == -two["g2"].iloc[0]
    assert one["log_ratio"].iloc[0] == -two["log_ratio"].iloc[0]
    assert one["p_value"].iloc[0] == two["p_value"].iloc[0]
    g2, _, _, _ = chi2_contingency([[a, b], [c - a, d - b]], correction=False, lambda_="log-likelihood")
    assert abs(one["g2"].iloc[0]) == pytest.approx(g2, rel=1e-9, abs=1e-9)


def test_equal_rates_give_zero(tiny_tokens):
    table = keyness_table([2, 3], [4, 1], 100, 200, ["same", "more"])
    same = table.set_index("term").loc["same"]
    assert same["g2"] == 0.0 and same["log_ratio"] == 0.0 and same["p_value"] == 1.0
    assert not np.signbit(same["g2"])


def test_each_vs_rest(project_tokens, project_docs):
    table = keyness_each_vs_rest(project_tokens, project_docs, by="year", correction="holm")
    assert tuple(table.columns) == ("group", "n_docs_target", "n_docs_reference") + KEYNESS_COLUMNS
    assert table["group"].drop_duplicates().tolist() == [2022, 2023, 2024]
    # counted once, 2022 has two documents (zhang2022_visit, xi2022_xinhua), 2023 and 2024 one each
    assert table.groupby("group")["n_docs_target"].first().to_dict() == {2022: 2, 2023: 1, 2024: 1}
    assert table.groupby("group")["n_docs_reference"].first().to_dict() == {2022: 2, 2023: 3, 2024: 3}
    single = keyness(project_tokens, project_docs, by="year", target=2023, correction="holm")
    part = table[table["group"] == 2023].drop(columns=["group", "n_docs_target", "n_docs_reference"])
    part = part.reset_index(drop=True)
    assert part.equals(single)


def test_errors_name_the_choices(tiny_tokens, tiny_docs):
    with pytest.raises(ParameterError, match="unknown grouping column 'decade'.*period"):
        keyness(tiny_tokens, tiny_docs, by="decade", target="x")
    with pytest.raises(ParameterError, match="no document has period = 'middle'; values are: early, late"):
        keyness(tiny_tokens, tiny_docs, by="period", target="middle")
    with pytest.raises(ParameterError, match="no document has period = 'middle'"):
        keyness(tiny_tokens, tiny_docs, by="period", target="late", reference="middle")
    with pytest.raises(ParameterError, match="both period = 'late'"):
        keyness(tiny_tokens, tiny_docs, by="period", target="late", reference="late")
    with pytest.raises(ParameterError, match="correction='sidak'"):
        keyness(tiny_tokens, tiny_docs, by="period", target="late", correction="sidak")
    with pytest.raises(ParameterError, match="min_count=0"):
        keyness(tiny_tokens, tiny_docs, by="period", target="late", min_count=0)
    # b_unofficial is dropped when translations count once (prefer="official"), unless preferred
    with pytest.raises(ParameterError, match="prefer="):
        keyness(tiny_tokens, tiny_docs, by="doc_id", target="b_unofficial")
    kept = keyness(tiny_tokens, tiny_docs, by="doc_id", target="b_unofficial", prefer="unofficial", min_count=1)
    assert kept["size_target"].iloc[0] == 13 and kept["size_reference"].iloc[0] == 18
    with pytest.raises(ParameterError, match="at least two groups"):
        keyness_each_vs_rest(tiny_tokens, tiny_docs, by="language")


def test_each_vs_rest_leaves_out_a_group_without_tokens(tmp_path):
    """A year whose only document is punctuation has nothing to compare; the other years still are."""
    from conftest import write_corpus

    from rhetoric.corpus import load_corpus, tokenize

    folder = write_corpus(tmp_path / "c", {
        "a": ("2022-01-01", "a", "", "p", "Trade grew. Trade grew again."),
        "b": ("2023-01-01", "b", "", "p", "Security first. Security matters."),
        "c": ("2024-01-01", "c", "", "p", "... !!! ---")})
    docs = load_corpus(folder)
    table = keyness_each_vs_rest(tokenize(docs, cache=False), docs, by="year", min_count=1, correction=None)
    assert sorted(table["group"].unique().tolist()) == [2022, 2023]
    trade = table[(table["group"] == 2022) & (table["term"] == "trade")].iloc[0]
    assert (trade["freq_target"], trade["freq_reference"], trade["size_target"], trade["size_reference"]) == (2, 0, 5, 4)


# --- confidence interval of the log ratio ------------------------------------------------------------------------

def test_log_ratio_interval_by_hand():
    """10 of 1,000 tokens against 5 of 2,000: rate ratio 4, log2 = 2; SE(ln ratio) = sqrt(1/10 + 1/5)."""
    from statistics import NormalDist

    from rhetoric.stats.keyness import log_ratio_interval

    z = NormalDist().inv_cdf(0.975)                                    # 1.959964
    se = math.sqrt(1 / 10 + 1 / 5)
    low, high = math.exp(math.log(4) - z * se), math.exp(math.log(4) + z * se)   # interval of the ratio itself
    lr, lo, hi = log_ratio_interval([10], [5], 1000, 2000)
    assert lr[0] == pytest.approx(2.0)
    assert (lo[0], hi[0]) == (pytest.approx(math.log2(low)), pytest.approx(math.log2(high)))
    assert (round(lo[0], 4), round(hi[0], 4)) == (0.4512, 3.5488)
    lr90, lo90, hi90 = log_ratio_interval([10], [5], 1000, 2000, level=0.9)
    assert lo[0] < lo90[0] < 2 < hi90[0] < hi[0]
    with pytest.raises(ParameterError, match="level"):
        log_ratio_interval([1], [1], 10, 10, level=1.0)


def test_log_ratio_interval_in_the_table_and_zero_counts(tiny_tokens, tiny_docs):
    table = keyness(tiny_tokens, tiny_docs, by="period", target="late", min_count=1, correction=None)
    assert tuple(table.columns[-3:]) == ("log_ratio", "log_ratio_ci_low", "log_ratio_ci_high")
    security = table.set_index("term").loc["security"]                  # 3 of 18 against 0 of 13 (0 -> 0.5)
    half = 1.959964 * math.sqrt(1 / 3 + 1 / 0.5) / math.log(2)
    assert security["log_ratio_ci_low"] == pytest.approx(math.log2(13 / 3) - half, rel=1e-6)
    assert security["log_ratio_ci_high"] == pytest.approx(math.log2(13 / 3) + half, rel=1e-6)
    assert (table["log_ratio_ci_low"] < table["log_ratio"]).all() and \
        (table["log_ratio"] < table["log_ratio_ci_high"]).all()


def test_log_ratio_interval_covers_the_true_ratio_about_95_percent_of_the_time():
    """Poisson counts with a known ratio of rates (2 to 1): the 95% interval covers log2(2) = 1 in about 95%."""
    from rhetoric.stats.keyness import log_ratio_interval

    rng = np.random.default_rng(7)
    c, d = 100_000, 200_000
    a = rng.poisson(c * 8e-4, size=20_000)          # rate 8 per 10,000 in the target
    b = rng.poisson(d * 4e-4, size=20_000)          # rate 4 per 10,000 in the reference
    _, lo, hi = log_ratio_interval(a, b, c, d)
    covered = np.mean((lo <= 1.0) & (1.0 <= hi))
    assert 0.94 < covered < 0.96
