"""Exercise checks for the seminar notebooks (``notebooks/seminar/``).

One function, :func:`check`, is imported by every session notebook. It compares
a student's answer with the expected value and prints one of three verdicts:

- ``Exercise 1: not done yet ...`` while the answer is still ``None``;
- ``Exercise 1: right.`` for every correct form of the answer;
- ``Exercise 1: not right yet.`` followed by what was expected, what was
  given, what looks wrong, and the hint (words and one line of code).

A correct answer is accepted in the forms a student writes: a Python or NumPy
number, a one-element list, array or Series for a single number; text in any
capitalisation and spacing; a list, tuple, set, array or Series for a
collection; a dict, Series or two-column table for a mapping; a table with
extra columns or rows in another order. Floats are compared with a relative
tolerance and a rounded answer is right when it is the expected value rounded
to as many decimals as the student wrote (0.29 for 0.2871, 1,111 for 1,111.1),
with at least two significant digits.
"""

from __future__ import annotations

import math
import numbers
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

NOT_DONE = "not done yet"
"""What a check prints while the answer is None."""
RIGHT = "right."
"""What a check prints for a correct answer (after ``Exercise N: ``)."""
WRONG = "not right yet."
"""What a check prints for a wrong answer (after ``Exercise N: ``)."""

_SHOWN = 5  # differing items listed in a message


@dataclass(frozen=True)
class Verdict:
    """The outcome of one :func:`check`: ``status`` is ``"not done"``, ``"right"`` or ``"wrong"``.

    True only when the answer is right. The message has already been printed,
    so a notebook shows nothing more for it.
    """

    exercise: str
    status: str
    message: str

    def __bool__(self) -> bool:
        return self.status == "right"

    def _ipython_display_(self) -> None:  # printed by check(); nothing more to show
        return None


def check(exercise: str, given, expected=None, *, one_of=None, hint: str = "", hint_code: str = "",
          rtol: float = 1e-3, ordered: bool = False, columns=None, missing=None, quiet: bool = False) -> Verdict:
    """Compare an exercise's answer with the expected value and say what is wrong, if anything.

    Parameters
    ----------
    exercise : str
        Name printed at the start of the verdict, e.g. ``"Exercise 2"``.
    given
        The student's answer (``None`` while not answered).
    expected
        The right answer: a number, a string, a bool, a collection (list, tuple,
        set: compared as a set unless ``ordered=True``), a mapping (dict or
        Series: keys compared as text, case-insensitively) or a DataFrame
        (rows compared in any order on ``columns``).
    one_of : collection, optional
        Instead of ``expected``: the answer must be one of these values (a
        free choice, such as a term that occurs in the corpus).
    hint : str
        Words printed after a wrong answer.
    hint_code : str
        One line of code that computes the answer, printed after ``hint``
        (``tests/test_seminar.py`` runs it in the notebook and checks it passes).
    rtol : float, default 1e-3
        Relative tolerance for floats (integers must be exact).
    ordered : bool, default False
        Compare a list or the rows of a table in order.
    columns : list of str, optional
        For a DataFrame: the columns compared (default: all of ``expected``'s).
    missing : number, optional
        For a mapping: the value of a key absent on one side (``0`` for counts).
    quiet : bool, default False
        Do not print (the message is in the returned :class:`Verdict`).

    Returns
    -------
    Verdict
        True when the answer is right; ``.message`` holds the printed text.

    Examples
    --------
    >>> import numpy as np
    >>> result = check("Exercise 1", None, 4302)
    Exercise 1: not done yet (answer in the cell above, then run this cell again).
    >>> result = check("Exercise 1", np.int64(4302), 4302)
    Exercise 1: right.
    >>> bool(check("Exercise 1", [4302.0], 4302, quiet=True)), bool(check("Exercise 1", 0.29, 0.2871, quiet=True))
    (True, True)
    >>> result = check("Exercise 2", 5819, 4302, hint="count each translated text once",
    ...                hint_code='summary.loc[summary["doc_id"].isin(once["doc_id"]), "n_tokens"].sum()')
    Exercise 2: not right yet.
      expected: 4,302
      given:    5,819 (1,517 too many)
      Hint: count each translated text once:
        summary.loc[summary["doc_id"].isin(once["doc_id"]), "n_tokens"].sum()
    >>> result = check("Exercise 3", {"2022": 2, "2023-2024": 2}, pd.Series({"2022": 2, "2023-2024": 2}))
    Exercise 3: right.
    >>> result = check("Exercise 4", ["Trade ", "SECURITY"], {"security", "trade"})
    Exercise 4: right.
    """
    if given is None:
        message = f"{exercise}: {NOT_DONE} (answer in the cell above, then run this cell again)."
        return _finish(Verdict(exercise, "not done", message), quiet)
    if one_of is not None:
        problem = _compare_choice(given, one_of)
    else:
        problem = compare(given, expected, rtol=rtol, ordered=ordered, columns=columns, missing=missing)
    if problem is None:
        return _finish(Verdict(exercise, "right", f"{exercise}: {RIGHT}"), quiet)
    lines = [f"{exercise}: {WRONG}"] + ["  " + line for line in problem.splitlines()]
    if hint or hint_code:
        lines.append("  Hint: " + (hint or "one way to compute it") + (":" if hint_code else ""))
        if hint_code:
            lines.append("    " + hint_code)
    return _finish(Verdict(exercise, "wrong", "\n".join(lines)), quiet)


def _finish(verdict: Verdict, quiet: bool) -> Verdict:
    if not quiet:
        print(verdict.message)
    return verdict


def compare(given, expected, *, rtol: float = 1e-3, ordered: bool = False, columns=None, missing=None) -> str | None:
    """None when ``given`` is a correct form of ``expected``, else what is wrong (expected vs given).

    The rules of :func:`check`, without printing.

    Examples
    --------
    >>> compare("  Community ", "community") is None
    True
    >>> print(compare(50.0, 0.5))
    expected: 0.5
    given:    50 (looks like a percentage: write a proportion between 0 and 1)
    """
    if isinstance(expected, (pd.Series, np.ndarray, pd.DataFrame)) and expected.size == 1 and \
            not isinstance(given, (dict, pd.Series, pd.DataFrame)):
        expected = _unwrap(expected)  # one selected value (a row's cell): compared as a single value
    if isinstance(expected, pd.DataFrame):
        return _compare_table(given, expected, rtol=rtol, ordered=ordered, columns=columns)
    if isinstance(expected, (dict, pd.Series)):
        return _compare_mapping(given, expected, rtol=rtol, missing=missing)
    if isinstance(expected, (list, tuple, set, frozenset, np.ndarray, pd.Index)):
        return _compare_collection(given, expected, rtol=rtol, ordered=ordered)
    return _compare_scalar(given, expected, rtol=rtol)


# --- scalars -------------------------------------------------------------------------------------------

def _is_number(x) -> bool:
    return isinstance(x, (numbers.Number, Decimal)) and not isinstance(x, (bool, np.bool_, complex))


def _is_integral_type(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _unwrap(x):
    """A single value out of a one-element list, tuple, array, Series or DataFrame; else x unchanged."""
    if isinstance(x, pd.DataFrame) and x.size == 1:
        return x.iloc[0, 0]
    if isinstance(x, (pd.Series, pd.Index)) and len(x) == 1:
        return x[0] if isinstance(x, pd.Index) else x.iloc[0]
    if isinstance(x, np.ndarray) and x.size == 1:
        return x.reshape(-1)[0]
    if isinstance(x, (list, tuple)) and len(x) == 1:
        return x[0]
    return x


def _fmt(x) -> str:
    """A value as a student reads it: 4,302; 0.28707; 'text'; a short description of a container."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if _is_integral_type(x):
        return f"{int(x):,}"
    if _is_number(x):
        x = float(x)
        if math.isnan(x):
            return "NaN (not a number)"
        if x.is_integer() and abs(x) < 1e15:
            return f"{int(x):,}"
        return f"{x:,.6g}" if abs(x) >= 1e-4 else f"{x:.6g}"
    if isinstance(x, str):
        return repr(x)
    if isinstance(x, pd.DataFrame):
        return f"a table (DataFrame) of {len(x)} rows and {x.shape[1]} columns"
    if isinstance(x, pd.Series):
        return f"a Series of {len(x)} values"
    if isinstance(x, dict):
        return f"a dict of {len(x)} items"
    if isinstance(x, (list, tuple, set, frozenset, np.ndarray, pd.Index)):
        kind = type(x).__name__ if not isinstance(x, np.ndarray) else "array"
        return f"a {kind} of {len(x)} items"
    return f"a {type(x).__name__}"


def _norm_text(x) -> str:
    return " ".join(str(x).split()).casefold()


def _decimals(x: float) -> int:
    """Decimals of the shortest repr of a float (0.29 -> 2, 1111.0 -> 0)."""
    text = repr(float(x))
    if "e" in text or "E" in text:
        return 12
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return len(frac)


def _numbers_equal(g, e, rtol: float) -> bool:
    g, e_float = float(g), float(e)
    if math.isnan(e_float) or math.isnan(g):
        return math.isnan(e_float) and math.isnan(g)
    if math.isinf(e_float) or math.isinf(g):
        return g == e_float
    if _is_integral_type(e):
        return abs(g - e_float) < 1e-9
    if math.isclose(g, e_float, rel_tol=rtol, abs_tol=1e-12):
        return True
    d = _decimals(g)  # rounded answers: as many decimals as written, at least two significant digits
    return d < 12 and abs(e_float) >= 10 ** (1 - d) and round(e_float, d) == round(g, d)


def _diagnose_number(g: float, e: float) -> str:
    """What a wrong number probably is (a percentage, the other sign, another logarithm)."""
    if e == 0 or g == 0 or math.isnan(g) or math.isnan(e):
        return ""
    ratio = g / e
    if math.isclose(ratio, 100, rel_tol=2e-2) and abs(e) <= 1:
        return "looks like a percentage: write a proportion between 0 and 1"
    if math.isclose(ratio, 0.01, rel_tol=2e-2) and abs(g) <= 1:
        return "looks like a proportion: write a percentage"
    if math.isclose(ratio, -1, rel_tol=2e-3):
        return "the right size, but the opposite sign"
    if math.isclose(ratio, math.log(2), rel_tol=2e-3):
        return "looks like a natural logarithm (math.log) where log2 was asked for"
    if math.isclose(ratio, 1 / math.log(2), rel_tol=2e-3):
        return "looks like log2 where the natural logarithm (math.log) was asked for"
    if math.isclose(ratio, 0.5, rel_tol=2e-3):
        return "half the expected value: a factor 2 is missing?"
    if math.isclose(ratio, 2, rel_tol=2e-3):
        return "twice the expected value"
    if float(g).is_integer() and float(e).is_integer():
        diff = int(g) - int(e)
        return f"{abs(diff):,} too {'many' if diff > 0 else 'few'}"
    return ""


def _compare_scalar(given, expected, *, rtol: float) -> str | None:
    g = _unwrap(given)
    if isinstance(g, np.generic):
        g = g.item()
    if isinstance(expected, np.generic):
        expected = expected.item()
    if isinstance(expected, bool):
        truth = {"true": True, "yes": True, "false": False, "no": False}
        value = bool(g) if isinstance(g, (bool, np.bool_)) else truth.get(_norm_text(g)) if isinstance(g, str) \
            else (bool(g) if _is_number(g) and g in (0, 1) else None)
        if value is None:
            return f"expected: {expected}\ngiven:    {_fmt(g)} (write True or False)"
        return None if value == expected else f"expected: {expected}\ngiven:    {value}"
    if _is_number(expected):
        if isinstance(g, str):
            return f"expected: {_fmt(expected)}\ngiven:    the text {g!r} (write the number without quotes)"
        if not _is_number(g):
            return f"expected: a number, {_fmt(expected)}\ngiven:    {_fmt(given)}"
        if _numbers_equal(g, expected, rtol):
            return None
        note = _diagnose_number(float(g), float(expected))
        return f"expected: {_fmt(expected)}\ngiven:    {_fmt(g)}" + (f" ({note})" if note else "")
    if isinstance(expected, str):
        if not isinstance(g, str):
            if _is_number(g) or isinstance(g, (bool, np.bool_)):
                g = str(g)
            else:
                return f"expected: the text {expected!r}\ngiven:    {_fmt(given)}"
        if _norm_text(g) == _norm_text(expected):
            return None
        return f"expected: {expected!r}\ngiven:    {g!r}"
    if expected is None:
        return None if g is None else f"expected: None\ngiven:    {_fmt(g)}"
    raise TypeError(f"check() cannot compare with an expected value of type {type(expected).__name__}; "
                    "give a number, a text, a bool, a collection, a mapping or a DataFrame")


def _key(x):
    """A comparable, hashable form of an element: normalised text or a rounded number."""
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, (bool, np.bool_)):
        return ("b", bool(x))
    if _is_number(x):
        x = float(x)
        if math.isnan(x):
            return ("nan",)
        if x.is_integer():
            return ("t", str(int(x)))  # 2022 and "2022" are the same key
        return ("n", round(x, 6))
    if isinstance(x, tuple):
        return ("tuple",) + tuple(_key(i) for i in x)
    return ("t", _norm_text(x))


def _show_key(k) -> str:
    if k[0] == "t":
        return k[1]
    if k[0] == "tuple":
        return "(" + ", ".join(_show_key(i) for i in k[1:]) + ")"
    return str(k[1]) if len(k) > 1 else "NaN"


def _listing(keys) -> str:
    keys = list(keys)
    shown = ", ".join(_show_key(k) for k in keys[:_SHOWN])
    return shown + (f" and {len(keys) - _SHOWN} more" if len(keys) > _SHOWN else "")


# --- collections -----------------------------------------------------------------------------------------

def _elements(x):
    """The elements of a collection answer, or None if x is not one."""
    if isinstance(x, (str, bytes, dict)) or x is None:
        return None
    if isinstance(x, pd.DataFrame):
        return list(x.iloc[:, 0]) if x.shape[1] == 1 else None
    if isinstance(x, pd.Series):
        return list(x.to_numpy())
    if isinstance(x, np.ndarray):
        return list(x.reshape(-1))
    if isinstance(x, (list, tuple, set, frozenset, pd.Index)):
        return list(x)
    try:
        return list(x)
    except TypeError:
        return None


def _compare_collection(given, expected, *, rtol: float, ordered: bool) -> str | None:
    exp = list(expected)
    got = _elements(given)
    if got is None:
        if len(exp) == 1 and _compare_scalar(given, exp[0], rtol=rtol) is None:
            return None
        return f"expected: a collection of {len(exp)} items\ngiven:    {_fmt(given)}"
    if ordered:
        if len(got) != len(exp):
            return f"expected: {len(exp)} items in this order\ngiven:    {len(got)} items"
        for i, (g, e) in enumerate(zip(got, exp)):
            problem = _compare_scalar(g, e, rtol=rtol)
            if problem is not None:
                return f"item {i + 1} differs:\n" + problem
        return None
    as_set = isinstance(expected, (set, frozenset))
    want, have = Counter(map(_key, exp)), Counter(map(_key, got))
    if as_set:
        want, have = Counter(set(want)), Counter(set(have))
    if want == have:
        return None
    lacking, extra = want - have, have - want
    lines = [f"expected: {len(exp) if not as_set else len(want)} items; given: {len(got) if not as_set else len(have)}"]
    if lacking:
        lines.append(f"missing:  {_listing(sorted(lacking.elements()))}")
    if extra:
        lines.append(f"not expected: {_listing(sorted(extra.elements()))}")
    return "\n".join(lines)


def _compare_choice(given, choices) -> str | None:
    """None when the answer (or every value of a collection or mapping answer) is one of ``choices``."""
    allowed = {_key(c) for c in choices}
    examples = ", ".join(_show_key(k) for k in sorted(allowed)[:_SHOWN])
    mapping = _as_mapping(given) if isinstance(given, (dict, pd.Series)) else None
    values = list(mapping.values()) if mapping is not None else _elements(_unwrap(given))
    if values is not None:
        if not values:
            return "expected: at least one answer\ngiven:    an empty collection"
        wrong = [v for v in values if _key(v) not in allowed]
        if not wrong:
            return None
        return (f"{len(wrong)} of {len(values)} answers are not among the {len(allowed):,} possible ones: "
                f"{_listing([_key(v) for v in wrong])}\n(possible answers are, e.g., {examples}); check the spelling")
    value = _unwrap(given)
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, (str, numbers.Number)):
        return f"expected: one value\ngiven:    {_fmt(given)}"
    if _key(value) in allowed:
        return None
    return (f"{_fmt(value)} is not one of the {len(allowed):,} possible answers "
            f"(e.g. {examples}); check the spelling")


# --- mappings ----------------------------------------------------------------------------------------------

def _as_mapping(x) -> dict | None:
    if isinstance(x, dict):
        return dict(x)
    if isinstance(x, pd.Series):
        return dict(zip(x.index, x.to_numpy()))
    if isinstance(x, pd.DataFrame):
        if x.shape[1] == 1:
            return dict(zip(x.index, x.iloc[:, 0].to_numpy()))
        if x.shape[1] == 2:
            return dict(zip(x.iloc[:, 0], x.iloc[:, 1].to_numpy()))
    return None


def _compare_mapping(given, expected, *, rtol: float, missing) -> str | None:
    want = {_key(k): v for k, v in _as_mapping(expected).items()}
    got_raw = _as_mapping(given)
    if got_raw is None:
        return (f"expected: {len(want)} values by key ({_listing(want)}), as a Series or dict\n"
                f"given:    {_fmt(given)}")
    got = {_key(k): v for k, v in got_raw.items()}
    if missing is not None:
        for k in set(want) | set(got):
            want.setdefault(k, missing)
            got.setdefault(k, missing)
    lacking = [k for k in want if k not in got]
    extra = [k for k in got if k not in want]
    wrong = [(k, want[k], got[k]) for k in want if k in got and _compare_scalar(got[k], want[k], rtol=rtol)]
    if not (lacking or extra or wrong):
        return None
    lines = [f"expected: {len(want)} values; given: {len(got)}"]
    if lacking:
        lines.append(f"missing keys: {_listing(lacking)}")
    if extra:
        lines.append(f"keys not expected: {_listing(extra)}")
    for k, e, g in wrong[:_SHOWN]:
        lines.append(f"{_show_key(k)}: expected {_fmt(_plain(e))}, given {_fmt(_plain(g))}")
    if len(wrong) > _SHOWN:
        lines.append(f"... and {len(wrong) - _SHOWN} more values differ")
    return "\n".join(lines)


def _plain(x):
    return x.item() if isinstance(x, np.generic) else x


# --- tables ------------------------------------------------------------------------------------------------

def _compare_table(given, expected: pd.DataFrame, *, rtol: float, ordered: bool, columns) -> str | None:
    columns = list(columns) if columns is not None else list(expected.columns)
    if not isinstance(given, pd.DataFrame):
        return f"expected: a table (DataFrame) with the columns {', '.join(columns)}\ngiven:    {_fmt(given)}"
    lower = {str(c).casefold(): c for c in given.columns}
    absent = [c for c in columns if c not in given.columns and str(c).casefold() not in lower]
    if absent:
        return (f"expected: a table with the columns {', '.join(map(str, columns))}\n"
                f"given:    a table without {', '.join(map(str, absent))} "
                f"(it has {', '.join(map(str, given.columns))})")
    got = given[[c if c in given.columns else lower[str(c).casefold()] for c in columns]]
    exp = expected[columns]
    if len(got) != len(exp):
        return f"expected: {len(exp):,} rows\ngiven:    {len(got):,} rows"
    rows_e = [tuple(r) for r in exp.itertuples(index=False)]
    rows_g = [tuple(r) for r in got.itertuples(index=False)]
    if not ordered:
        rows_e = sorted(rows_e, key=lambda r: tuple(map(_key, r)))
        rows_g = sorted(rows_g, key=lambda r: tuple(map(_key, r)))
    for i, (g, e) in enumerate(zip(rows_g, rows_e)):
        for col, gv, ev in zip(columns, g, e):
            problem = _compare_scalar(gv, ev, rtol=rtol)
            if problem is not None:
                where = f"row {i + 1}" if ordered else f"the row {_row_label(e, columns)}"
                return (f"{where}, column {col}:\n  expected {_fmt(_plain(ev))}, given {_fmt(_plain(gv))}\n"
                        f"(compared: {len(exp):,} rows on {', '.join(map(str, columns))})")
    return None


def _row_label(row, columns) -> str:
    parts = [f"{c}={v}" for c, v in zip(columns, row) if isinstance(v, str)]
    return "(" + ", ".join(parts[:3]) + ")" if parts else str(tuple(_plain(v) for v in row[:3]))


# --- reading aids ------------------------------------------------------------------------------------------

def side_by_side(docs: pd.DataFrame, left: str, right: str, *, paragraphs: int = 3,
                 min_words: int = 0) -> pd.DataFrame:
    """The first paragraphs of two documents' cleaned texts, side by side (a printable handout).

    Parameters
    ----------
    docs : DataFrame
        From :func:`rhetoric.corpus.load_corpus`.
    left, right : str
        The two ``doc_id`` s.
    paragraphs : int, default 3
        How many paragraphs of each (paragraphs are separated by an empty line).
    min_words : int, default 0
        Skip paragraphs of fewer words (runs of letters or digits): a title, a
        byline or a date line is not a paragraph of the text's body.

    Returns
    -------
    DataFrame
        One row per paragraph (numbered from 1), one column per document;
        ``attrs["numbers"]`` holds, per document, the number of each shown
        paragraph in its text (from 1).

    Examples
    --------
    >>> from rhetoric.corpus import load_corpus
    >>> from rhetoric import config
    >>> tiny = load_corpus(config.NOTEBOOK_DIR / "seminar" / "tiny_corpus")
    >>> side_by_side(tiny, "tiny_a", "tiny_b", paragraphs=2).to_numpy().tolist()
    [['Trade and friendship.', 'Trade and friendship.'], ['A community with a shared future.', 'A community of common destiny.']]
    >>> table = side_by_side(tiny, "tiny_a", "tiny_c", paragraphs=1, min_words=4)
    >>> table.to_numpy().tolist(), table.attrs["numbers"]
    ([['A community with a shared future.', 'Trade, trade and security.']], {'tiny_a': [2], 'tiny_c': [1]})
    """
    texts = docs.set_index("doc_id")["text"]
    columns, numbers = {}, {}
    for doc_id in (left, right):
        if doc_id not in texts.index:
            raise KeyError(f"no document '{doc_id}' in docs; choose one of {', '.join(texts.index)}")
        pieces = [(k, " ".join(p.split())) for k, p in enumerate(
            (p for p in re.split(r"\n[ \t]*\n", texts[doc_id]) if p.strip()), start=1)]
        body = [(k, p) for k, p in pieces if len(re.findall(r"\w+", p)) >= min_words][:paragraphs]
        columns[doc_id] = [p for _, p in body] + [""] * (paragraphs - len(body))
        numbers[doc_id] = [k for k, _ in body]
    table = pd.DataFrame(columns, index=pd.RangeIndex(1, paragraphs + 1, name="paragraph"))
    table.attrs["numbers"] = numbers
    return table
