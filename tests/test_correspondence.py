"""Correspondence analysis (rhetoric.stats.correspondence): Greenacre's smoke data against the R package ca,
against prince, against the transition formulas computed another way; documents x terms; the biplot."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from rhetoric.counts import count_terms
from rhetoric.errors import ParameterError
from rhetoric.report.measures import plot_correspondence, save_figure
from rhetoric.stats.correspondence import ca_coordinates, correspondence_analysis

SMOKE = pd.DataFrame([[4, 2, 3, 2], [4, 3, 7, 4], [25, 10, 12, 4], [18, 24, 33, 13], [10, 6, 7, 2]],
                     index=["SM", "JM", "SE", "JE", "SC"], columns=["none", "light", "medium", "heavy"])
"""Greenacre (1984, 2017): smoking habits of five staff groups of a fictitious firm (senior and junior managers,
senior and junior employees, secretaries)."""
CA_PACKAGE = {  # R package ca (Nenadic & Greenacre 2007), print(ca(smoke)): principal inertias, masses,
    "eigenvalues": [0.074759, 0.010017, 0.000414],  # inertias and STANDARD coordinates of the first two axes
    "row_mass": [0.056995, 0.093264, 0.264249, 0.455959, 0.129534],
    "row_inertia": [0.002673, 0.011881, 0.038314, 0.026269, 0.006053],
    "row_dim1": [-0.240539, 0.947105, -1.391973, 0.851989, -0.735456],
    "row_dim2": [-1.935708, -2.430958, -0.106508, 0.576944, 0.788435],
    "col_mass": [0.316062, 0.233161, 0.321244, 0.129534],
    "col_inertia": [0.049186, 0.007059, 0.012610, 0.016335],
    "col_dim1": [-1.438471, 0.363746, 0.718017, 1.074445],
    "col_dim2": [-0.304659, 1.409433, 0.073528, -1.975960],
}


def _same_up_to_sign(a, b, **tolerance):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    sign = np.sign(a[np.argmax(np.abs(a))]) * np.sign(b[np.argmax(np.abs(a))])
    np.testing.assert_allclose(a, sign * b, **tolerance)


def test_smoke_data_against_the_ca_package():
    result = ca_coordinates(SMOKE, n_components=2)
    rows, cols = result[result["kind"] == "row"], result[result["kind"] == "column"]
    np.testing.assert_allclose(result.attrs["eigenvalues"], CA_PACKAGE["eigenvalues"], atol=5e-7)
    np.testing.assert_allclose([100 * x for x in result.attrs["explained"]], [87.76, 11.76, 0.49], atol=0.005)
    np.testing.assert_allclose(rows["mass"], CA_PACKAGE["row_mass"], atol=5e-7)
    np.testing.assert_allclose(rows["inertia"], CA_PACKAGE["row_inertia"], atol=5e-7)
    np.testing.assert_allclose(cols["mass"], CA_PACKAGE["col_mass"], atol=5e-7)
    np.testing.assert_allclose(cols["inertia"], CA_PACKAGE["col_inertia"], atol=5e-7)
    for k, eigen in ((1, 0.07475910589), (2, 0.01001718051)):
        # principal coordinates = standard coordinates x singular value
        _same_up_to_sign(rows[f"dim_{k}"] / np.sqrt(eigen), CA_PACKAGE[f"row_dim{k}"], atol=5e-6)
        _same_up_to_sign(cols[f"dim_{k}"] / np.sqrt(eigen), CA_PACKAGE[f"col_dim{k}"], atol=5e-6)
    # Greenacre's reading of the map, three decimals: senior employees -0.381 (or +), none 0.393
    assert abs(rows.set_index("label").loc["SE", "dim_1"]) == pytest.approx(0.381, abs=5e-4)
    assert abs(cols.set_index("label").loc["none", "dim_1"]) == pytest.approx(0.393, abs=5e-4)


def test_total_inertia_is_chi2_over_n():
    result = ca_coordinates(SMOKE)
    chi2 = chi2_contingency(SMOKE.to_numpy(), correction=False)[0]
    assert result.attrs["total_inertia"] == pytest.approx(chi2 / 193)  # 16.442 / 193 = 0.0852
    assert sum(result.attrs["eigenvalues"]) == pytest.approx(chi2 / 193)
    # the inertias of the rows (and of the columns) add up to it too
    assert result.loc[result["kind"] == "row", "inertia"].sum() == pytest.approx(chi2 / 193)


def test_contributions_and_qualities():
    result = ca_coordinates(SMOKE, n_components=3)
    for kind in ("row", "column"):
        part = result[result["kind"] == kind]
        for k in (1, 2, 3):
            assert part[f"contrib_{k}"].sum() == pytest.approx(1.0)
        # with every axis kept, a point's qualities add up to 1
        np.testing.assert_allclose(part[["cos2_1", "cos2_2", "cos2_3"]].sum(axis=1), 1.0)


def test_against_prince_on_a_random_table():
    import prince

    rng = np.random.default_rng(3)
    table = pd.DataFrame(rng.integers(0, 30, size=(7, 12)), index=[f"d{i}" for i in range(7)],
                         columns=[f"t{j}" for j in range(12)])
    ours = ca_coordinates(table, n_components=3)
    theirs = prince.CA(n_components=3, engine="scipy").fit(table)
    np.testing.assert_allclose(ours.attrs["eigenvalues"][:3], theirs.eigenvalues_, rtol=1e-9)
    rows, cols = theirs.row_coordinates(table), theirs.column_coordinates(table)
    for k in range(3):
        _same_up_to_sign(ours.loc[ours["kind"] == "row", f"dim_{k + 1}"], rows[k], rtol=1e-7, atol=1e-10)
        _same_up_to_sign(ours.loc[ours["kind"] == "column", f"dim_{k + 1}"], cols[k], rtol=1e-7, atol=1e-10)
        _same_up_to_sign(ours.loc[ours["kind"] == "row", f"contrib_{k + 1}"],
                         theirs.row_contributions_[k], rtol=1e-7, atol=1e-10)


def test_transition_formulas_computed_another_way():
    """The eigenvectors of the chi-square cross-product matrix give the columns; the rows follow from them by the
    transition formula F = D_r^-1 P G / sqrt(lambda) (reciprocal averaging, Greenacre 2017 ch. 8)."""
    n = SMOKE.to_numpy(dtype=float)
    p = n / n.sum()
    r, c = p.sum(axis=1), p.sum(axis=0)
    s = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    eigen, vectors = np.linalg.eigh(s.T @ s)
    order = np.argsort(eigen)[::-1][:2]
    eigen, vectors = eigen[order], vectors[:, order]
    g = vectors / np.sqrt(c)[:, None] * np.sqrt(eigen)  # column principal coordinates
    f = (p / r[:, None]) @ g / np.sqrt(eigen)  # transition formula: rows as weighted averages of the columns
    ours = ca_coordinates(SMOKE)
    for k in range(2):
        _same_up_to_sign(ours.loc[ours["kind"] == "column", f"dim_{k + 1}"], g[:, k], rtol=1e-9)
        _same_up_to_sign(ours.loc[ours["kind"] == "row", f"dim_{k + 1}"], f[:, k], rtol=1e-9)
    # and the signs are ours: the largest column coordinate of each axis (in absolute value) is positive
    for k in (1, 2):
        cols = ours.loc[ours["kind"] == "column", f"dim_{k}"]
        assert cols.iloc[np.argmax(np.abs(cols.to_numpy()))] > 0


def test_bad_tables():
    with pytest.raises(ParameterError, match="at least 2 rows and 2 columns"):
        ca_coordinates(pd.DataFrame([[1, 2, 3]]))
    with pytest.raises(ParameterError, match="at most 1 axes"):
        ca_coordinates(pd.DataFrame([[1, 2], [3, 1]]), n_components=2)
    with pytest.raises(ParameterError, match="non-negative"):
        ca_coordinates(pd.DataFrame([[1, -2], [3, 1]]))
    # a row without counts is left out
    zero = ca_coordinates(pd.DataFrame([[1, 2], [0, 0], [3, 1]], index=["a", "b", "c"]), n_components=1)
    assert zero.loc[zero["kind"] == "row", "label"].tolist() == ["a", "c"]


# --------------------------------------------------------------------------- documents x terms

def test_documents_by_terms_uses_the_counts_model(project_docs, project_tokens):
    result = correspondence_analysis(project_tokens, project_docs, n_terms=40, all_versions=True)
    counts = count_terms(project_tokens, project_docs, stop_words=True, min_count=3, all_versions=True)
    totals = pd.Series(np.asarray(counts.matrix.sum(axis=0)).ravel(), index=counts.terms)
    top = totals.sort_index().sort_values(ascending=False, kind="stable").head(40)
    cols = result[result["kind"] == "column"].set_index("label")
    assert set(cols.index) == set(top.index)
    assert cols["count"].to_dict() == top.to_dict()
    rows = result[result["kind"] == "row"]
    assert rows["label"].tolist() == project_docs["doc_id"].tolist()
    # the same analysis as the table of counts itself
    matrix = pd.DataFrame(counts.to_frame()[top.index].to_numpy(), index=rows["label"].tolist(), columns=top.index)
    direct = ca_coordinates(matrix)
    np.testing.assert_allclose(result.attrs["eigenvalues"], direct.attrs["eigenvalues"])
    assert result.attrs["n_docs"] == 5 and result.attrs["n_terms"] == 40


def test_listed_terms_and_groups(tiny_docs, tiny_tokens):
    result = correspondence_analysis(tiny_tokens, tiny_docs, terms=["trade", "security", "community", "cooperation"],
                                     all_versions=True, n_components=2)
    cols = result[result["kind"] == "column"].set_index("label")
    assert cols["count"].to_dict() == {"trade": 4, "security": 3, "community": 3, "cooperation": 2}
    with pytest.raises(ParameterError, match="at least 2 rows"):
        correspondence_analysis(tiny_tokens, tiny_docs, terms=["trade", "security"], by="corpus")


def test_correspondence_figure(tmp_path, project_docs, project_tokens):
    result = correspondence_analysis(project_tokens, project_docs, all_versions=True)
    fig = plot_correspondence(result, top_terms=12)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts[:5] == project_docs["doc_id"].tolist()  # every document labelled
    cols = result[result["kind"] == "column"]
    eigen = result.attrs["eigenvalues"]
    plane = (cols["contrib_1"] * eigen[0] + cols["contrib_2"] * eigen[1]) / (eigen[0] + eigen[1])
    expected = cols.assign(plane=plane).sort_values("label").sort_values("plane", ascending=False, kind="stable")
    assert texts[5:] == expected["label"].head(12).tolist()
    assert "% of inertia" in ax.get_xlabel()
    paths = save_figure(fig, "ca", out_dir=tmp_path)
    data = pd.read_csv(paths["csv"])
    assert len(data) == 5 + 12 and data["contrib_plane"].notna().sum() == 12
    assert json.loads(paths["json"].read_text())["params"]["top_terms"] == 12
    one_axis = ca_coordinates(SMOKE, n_components=2)
    one_axis.attrs["eigenvalues"] = one_axis.attrs["eigenvalues"][:1]
    with pytest.raises(ParameterError, match="fewer than two axes"):
        plot_correspondence(one_axis)
