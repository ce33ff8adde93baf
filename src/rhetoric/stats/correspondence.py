"""Correspondence analysis of documents × terms: a map on which documents and the words that set them apart lie.

For a table of counts ``N`` (rows: documents or groups; columns: terms) with
grand total ``n`` (Greenacre 2017, ch. 4 and appendix A)::

    P = N / n,   r = row sums of P (row masses),   c = column sums of P (column masses)
    S = D_r^(-1/2) (P - r c^T) D_c^(-1/2)          standardized residuals; sum of S**2 = chi2 / n
    S = U Sigma V^T                                singular value decomposition
    principal inertias  lambda_k = sigma_k**2      (they add up to the total inertia chi2 / n)
    row principal coordinates     F = D_r^(-1/2) U Sigma     (standard: D_r^(-1/2) U)
    column principal coordinates  G = D_c^(-1/2) V Sigma     (standard: D_c^(-1/2) V)
    contribution of row i to axis k    = r_i F_ik**2 / lambda_k   (= U_ik**2; the column alike)
    quality (cos2) of row i on axis k  = F_ik**2 / sum_k F_ik**2  (squared correlation with the axis)

Two points close together have similar profiles (relative frequencies); a
document lies towards the terms it uses more than the average document does.
Both sets are in principal coordinates (the symmetric map), so distances
between documents and distances between terms can be read, not the distance
from a document to a term, only its direction.

The decomposition is NumPy's full SVD of the standardized residuals: exact and
deterministic (prince and scikit-learn default to a randomized SVD), and on a
table of some documents × a few hundred terms it takes milliseconds. Each axis
is given the sign that makes its largest column coordinate (in absolute value)
positive, so the map does not flip between runs or machines. The tests check
Greenacre's smoke data against the R package ``ca`` and against prince.

References
----------
Greenacre, M. (2017). *Correspondence Analysis in Practice*, 3rd ed. Chapman & Hall/CRC.
Benzécri, J.-P. (1973). *L'analyse des données*, vol. 2. Dunod.
Nenadić, O. & Greenacre, M. (2007). Correspondence analysis in R, with two- and
three-dimensional graphics: the ca package. *Journal of Statistical Software* 20(3).
Benoit, K. et al. (2018). quanteda (``textmodel_ca``). *JOSS* 3(30), 774.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import check_int
from ..corpus.tokens import Tokens
from ..counts import count_matches, count_terms, group_counts
from ..errors import ParameterError


def ca_coordinates(table: pd.DataFrame, *, n_components: int = 2) -> pd.DataFrame:
    """Correspondence analysis of a table of counts (rows × columns), both sets in principal coordinates.

    Parameters
    ----------
    table : DataFrame
        Non-negative counts; index and columns label the rows and the columns.
        Rows and columns whose total is 0 are left out.
    n_components : int, default 2
        Axes kept (at most min(rows, columns) - 1).

    Returns
    -------
    DataFrame
        One row per table row, then per column: ``kind`` ("row" or "column"),
        ``label, mass, inertia`` (mass × squared chi-square distance to the
        centroid), then per axis k ``dim_k`` (principal coordinate),
        ``contrib_k`` (share of the axis' inertia, adding to 1 over the rows and
        over the columns) and ``cos2_k`` (quality). ``attrs``: ``eigenvalues``
        (principal inertias of every axis), ``explained`` (their shares),
        ``total_inertia`` (chi2 / n), ``n`` (grand total).

    Examples
    --------
    >>> counts = pd.DataFrame([[10, 0], [0, 10]], index=["a", "b"], columns=["x", "y"])
    >>> result = ca_coordinates(counts, n_components=1)
    >>> result.round(6)[["kind", "label", "dim_1"]].to_dict("records")
    [{'kind': 'row', 'label': 'a', 'dim_1': 1.0}, {'kind': 'row', 'label': 'b', 'dim_1': -1.0}, {'kind': 'column', 'label': 'x', 'dim_1': 1.0}, {'kind': 'column', 'label': 'y', 'dim_1': -1.0}]
    >>> [round(v, 6) for v in result.attrs["eigenvalues"]]
    [1.0]
    """
    n_components = check_int("n_components", n_components, minimum=1)
    if not isinstance(table, pd.DataFrame):
        raise ParameterError("ca_coordinates needs a pandas DataFrame of counts (rows × columns).")
    values = table.to_numpy(dtype=np.float64)
    if values.size and (not np.isfinite(values).all() or (values < 0).any()):
        raise ParameterError("ca_coordinates needs non-negative, finite counts.")
    keep_rows, keep_cols = values.sum(axis=1) > 0, values.sum(axis=0) > 0
    values = values[keep_rows][:, keep_cols]
    rows, cols = table.index[keep_rows], table.columns[keep_cols]
    most = min(values.shape) - 1 if values.size else 0
    if most < 1:
        raise ParameterError(f"correspondence analysis needs at least 2 rows and 2 columns with counts; this table "
                             f"has {values.shape[0]} × {values.shape[1]}. Add documents or terms (a lower "
                             "min_count, more n_terms).")
    if n_components > most:
        raise ParameterError(f"n_components={n_components}: a {values.shape[0]} × {values.shape[1]} table has at "
                             f"most {most} axes; use n_components={most} or fewer.")
    n = values.sum()
    p = values / n
    r, c = p.sum(axis=1), p.sum(axis=0)
    s = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    u, sigma, vt = np.linalg.svd(s, full_matrices=False)
    sigma, u, v = sigma[:most], u[:, :most], vt[:most].T
    flip = np.sign(v[np.argmax(np.abs(v), axis=0), np.arange(most)])
    flip[flip == 0] = 1
    u, v = u * flip, v * flip
    eigen = sigma ** 2
    f = u * sigma / np.sqrt(r)[:, None]
    g = v * sigma / np.sqrt(c)[:, None]
    out = []
    for kind, labels, mass, coords, unit in (("row", rows, r, f, u), ("column", cols, c, g, v)):
        distance2 = (coords ** 2).sum(axis=1)
        part = pd.DataFrame({"kind": kind, "label": pd.Series([str(x) for x in labels], dtype=object),
                             "mass": mass, "inertia": mass * distance2})
        for k in range(n_components):
            part[f"dim_{k + 1}"] = coords[:, k]
            part[f"contrib_{k + 1}"] = unit[:, k] ** 2
            part[f"cos2_{k + 1}"] = np.divide(coords[:, k] ** 2, distance2, out=np.zeros(len(distance2)),
                                              where=distance2 > 0)
        out.append(part)
    result = pd.concat(out, ignore_index=True)
    total = float((s ** 2).sum())
    result.attrs.update(eigenvalues=eigen.tolist(), explained=(eigen / total).tolist() if total > 0 else [],
                        total_inertia=total, n=float(n))
    return result


def correspondence_analysis(tokens: Tokens, docs: pd.DataFrame, *, terms=None, n_terms: int = 100,
                            min_count: int = 3, stop_words=True, by: str | None = None, n_components: int = 2,
                            all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """Correspondence analysis of documents (or groups) × their most frequent words (or listed terms).

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    terms : list of str, optional
        Words, phrases or globs to use as columns (:mod:`rhetoric.patterns`);
        default the ``n_terms`` most frequent words.
    n_terms : int, default 100
        Without ``terms``: the most frequent words (ties A-Z) that occur at
        least ``min_count`` times and are not stop words.
    min_count : int, default 3
    stop_words : default True
        See :func:`rhetoric.counts.stop_word_list`.
    by : str, optional
        Rows: ``None`` the documents, or one row per value of a metadata column.
    n_components : int, default 2
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`); with
        ``all_versions=True`` both translations of a text are rows of their own.

    Returns
    -------
    DataFrame
        As :func:`ca_coordinates` (``kind`` "row" for documents or groups,
        "column" for terms), with ``count`` (the row's or term's total) added;
        ``attrs`` also records ``n_docs`` and the options.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> result = correspondence_analysis(tokenize(docs), docs)
    >>> result[result["kind"] == "row"]["label"].tolist()
    ['zhang2022_visit', 'xi2022_xinhua', 'zhang2023_newyear', 'cgtn2024_visit']
    """
    n_terms = check_int("n_terms", n_terms, minimum=2)
    min_count = check_int("min_count", min_count, minimum=1)
    options = dict(all_versions=all_versions, prefer=prefer)
    if terms is not None:
        terms = list(dict.fromkeys([terms] if isinstance(terms, str) else terms))
        counts = count_matches(tokens, docs, terms, **options)
    else:
        counts = count_terms(tokens, docs, stop_words=stop_words, min_count=min_count, **options)
    n_docs = counts.shape[0]
    if by is not None:
        counts = group_counts(counts, by)
    totals = np.asarray(counts.matrix.sum(axis=0)).ravel()
    if terms is None:
        order = np.lexsort((counts.terms.astype(str), -totals))[:n_terms]
    else:
        order = np.arange(len(totals))
    label = "group" if by is not None else "doc_id"
    matrix = pd.DataFrame(counts.matrix[:, order].toarray(), index=counts.rows[label].astype(str).to_numpy(),
                          columns=counts.terms[order])
    result = ca_coordinates(matrix, n_components=n_components)
    result.insert(3, "count", np.concatenate([
        matrix.sum(axis=1).reindex(result.loc[result["kind"] == "row", "label"]).to_numpy(),
        matrix.sum(axis=0).reindex(result.loc[result["kind"] == "column", "label"]).to_numpy()]).astype(np.int64))
    result.attrs.update(n_docs=int(n_docs), by=by or "doc_id", n_terms=int(matrix.shape[1]),
                        terms="listed" if terms is not None else "most frequent", min_count=min_count, **options)
    return result
