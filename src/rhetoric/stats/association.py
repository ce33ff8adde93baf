"""Association measures of 2×2 contingency tables: the one G² (log-likelihood) and its companions.

Keyness (target vs reference corpus) and collocation (window vs rest of the
corpus) are the same 2×2 table::

                    term (collocate)    other tokens
    target (window)       O11                O12          R1
    reference (rest)      O21                O22          R2
                          C1                 C2           N

    E_ij = R_i * C_j / N
    G2   = 2 * sum_ij O_ij * ln(O_ij / E_ij)   (0 * ln 0 = 0), signed: negative when O11 < E11
    MI   = log2(O11 / E11);  MI3 = log2(O11**3 / E11);  t = (O11 - E11) / sqrt(O11)
    logDice = 14 + log2(2 * O11 / (R1 + C1))

References
----------
Dunning, T. (1993). Accurate methods for the statistics of surprise and
coincidence. *Computational Linguistics* 19(1), 61-74 (G²).
Church, K. W. & Hanks, P. (1990). Word association norms, mutual information,
and lexicography. *Computational Linguistics* 16(1), 22-29 (MI).
Church, K., Gale, W., Hanks, P. & Hindle, D. (1991). Using statistics in
lexical analysis. In U. Zernik (ed.), *Lexical Acquisition*, 115-164 (t-score).
Oakes, M. P. (1998). *Statistics for Corpus Linguistics*. Edinburgh UP (MI3).
Evert, S. (2008). Corpora and collocations. In A. Lüdeling & M. Kytö (eds.),
*Corpus Linguistics: An International Handbook*, vol. 2, 1212-1248.
Rychlý, P. (2008). A lexicographer-friendly association score. *RASLAN 2008*, 6-9 (logDice).
"""

from __future__ import annotations

import numpy as np
from scipy.special import chdtrc, xlogy


def _term(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """O * ln(O / E), 0 when O = 0."""
    safe = np.where(expected > 0, expected, 1.0)
    return xlogy(observed, np.where(observed > 0, observed / safe, 1.0))


def signed_g2(o11, row1, col1, total) -> np.ndarray:
    """Signed log-likelihood G² of 2×2 tables given O11, R1, C1 and N (arrays or numbers).

    Positive when O11 > E11 (the term is over-represented in row 1), negative
    when under-represented, 0 when O11 = E11 exactly.

    Examples
    --------
    >>> round(float(signed_g2(10, 100, 20, 1000)), 4)  # O11 = 10 against E11 = 2
    21.177
    >>> float(signed_g2(2, 100, 20, 1000))
    0.0
    """
    given = [np.asarray(x) for x in (o11, row1, col1, total)]
    if all(np.issubdtype(x.dtype, np.integer) for x in given):  # the sign exactly, in integers
        direction = np.sign(given[0].astype(np.int64) * given[3] - given[1].astype(np.int64) * given[2])
    else:
        direction = np.sign(given[0] * given[3] - given[1] * given[2])
    o11, r1, c1, n = (x.astype(np.float64) for x in given)
    o12, o21 = r1 - o11, c1 - o11
    o22 = n - r1 - c1 + o11
    r2, c2 = n - r1, n - c1
    with np.errstate(divide="ignore", invalid="ignore"):
        # cells summed column by column, so that swapping the rows gives a bit-identical |G2|
        g2 = 2.0 * ((_term(o11, r1 * c1 / n) + _term(o21, r2 * c1 / n))
                    + (_term(o12, r1 * c2 / n) + _term(o22, r2 * c2 / n)))
    return np.where(direction == 0, 0.0, np.maximum(g2, 0.0) * direction) + 0.0


def g2_p_value(g2) -> np.ndarray:
    """P(χ² with 1 degree of freedom >= |G²|) (``scipy.stats.chi2.sf``)."""
    return chdtrc(1, np.abs(np.asarray(g2, dtype=np.float64)))


def association(o11, row1, col1, total) -> dict[str, np.ndarray]:
    """``expected`` (E11), signed ``g2``, ``mi``, ``mi3`` and ``t_score`` of 2×2 tables (formulas above).

    Examples
    --------
    >>> m = association(10, 100, 20, 1000)
    >>> float(m["expected"]), float(m["mi"])
    (2.0, 2.321928094887362)
    """
    o11 = np.asarray(o11, dtype=np.float64)
    expected = np.asarray(row1, dtype=np.float64) * np.asarray(col1, dtype=np.float64) / np.asarray(
        total, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return {"expected": expected, "g2": signed_g2(o11, row1, col1, total), "mi": np.log2(o11 / expected),
                "mi3": np.log2(o11 ** 3 / expected), "t_score": (o11 - expected) / np.sqrt(o11)}


def log_dice(o11, freq_x, freq_y) -> np.ndarray:
    """logDice = 14 + log2(2 * O / (f(x) + f(y))) (Rychlý 2008).

    Examples
    --------
    >>> float(log_dice(5, 10, 10))
    13.0
    """
    with np.errstate(divide="ignore"):
        return 14 + np.log2(2 * np.asarray(o11, dtype=np.float64)
                            / (np.asarray(freq_x, dtype=np.float64) + np.asarray(freq_y, dtype=np.float64)))
