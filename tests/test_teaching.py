"""The seminar's one exercise check (rhetoric.teaching.check): every correct form passes, wrong answers say why.

Expected values here are typed by hand; the forms are the ones students write (a NumPy scalar from a pandas sum,
a one-element array or Series from a selected row, text in another case, a dict for a Series, rows in another
order).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from rhetoric.teaching import NOT_DONE, RIGHT, WRONG, Verdict, check, compare, side_by_side


def verdict(given, expected=None, **options):
    return check("Exercise 9", given, expected, quiet=True, **options)


# --- not done, right, wrong: the three verdicts ------------------------------------------------------------

def test_none_is_not_done_and_says_nothing_about_the_answer(capsys):
    result = check("Exercise 1", None, 4302, hint="add up the column", hint_code='summary["n_tokens"].sum()')
    printed = capsys.readouterr().out
    assert result.status == "not done" and not result
    assert printed == f"Exercise 1: {NOT_DONE} (answer in the cell above, then run this cell again).\n"
    assert "4302" not in printed and "4,302" not in printed and "summary" not in printed  # no answer, no hint yet


def test_right_prints_one_line_and_is_true(capsys):
    result = check("Your turn 2", 18, 18)
    assert capsys.readouterr().out == f"Your turn 2: {RIGHT}\n"
    assert result and result.status == "right" and isinstance(result, Verdict)


def test_wrong_shows_expected_given_hint_and_code(capsys):
    result = check("Exercise 2", 5813, 4296, hint="count each translated text once",
                   hint_code='summary.loc[summary["doc_id"].isin(once["doc_id"]), "n_tokens"].sum()')
    printed = capsys.readouterr().out
    assert not result and result.status == "wrong"
    assert printed.splitlines() == [
        f"Exercise 2: {WRONG}",
        "  expected: 4,296",
        "  given:    5,813 (1,517 too many)",
        "  Hint: count each translated text once:",
        '    summary.loc[summary["doc_id"].isin(once["doc_id"]), "n_tokens"].sum()',
    ]
    assert result.message == printed.rstrip("\n")


def test_quiet_prints_nothing(capsys):
    assert verdict(3, 4).status == "wrong"
    assert capsys.readouterr().out == ""


def test_a_verdict_shows_nothing_more_in_a_notebook():
    """IPython calls _ipython_display_ instead of showing the repr: the printed message is all the student sees."""
    result = verdict(1, 1)
    assert result._ipython_display_() is None


# --- numbers ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("given", [
    4302, np.int64(4302), np.int32(4302), 4302.0, np.float64(4302.0), [4302], (4302,), np.array([4302]),
    np.array(4302), pd.Series([4302]), pd.Series({"n_tokens": 4302}), pd.DataFrame({"n": [4302]}), Decimal(4302),
])
def test_every_form_of_a_count_is_right(given):
    assert verdict(given, 4302), type(given)


@pytest.mark.parametrize("given", [4301, 4303, 4302.5, "4302", [4302, 1], None])
def test_a_count_must_be_exact(given):
    assert not verdict(given, 4302)


def test_expected_given_as_a_selected_row():
    """A check written with table.query(...)["per_10k"] (a one-row Series) compares as its single value."""
    row = pd.Series([2000.0], index=[17], name="per_10k")
    assert verdict(2000, row) and verdict(2 / 10 * 10_000, row)
    assert not verdict(1111.1, row)
    assert verdict(np.float64(0.12963), np.array([0.12962962962962962]))


@pytest.mark.parametrize("given, expected", [
    (1.6931, 1.6931471805599454),   # relative tolerance 1e-3
    (1.693, 1.6931471805599454),
    (1.69, 1.6931471805599454),     # rounded to 2 decimals
    (1.7, 1.6931471805599454),      # rounded to 1 decimal, two significant digits
    (0.29, 0.2871),
    (0.287, 0.2871),
    (1111, 1111.111),               # rounded to a whole number
    (0.13, 0.12963),
    (0.571, 0.5714285714),
    (float("nan"), float("nan")),
])
def test_rounded_floats_are_right(given, expected):
    assert verdict(given, expected)


@pytest.mark.parametrize("given, expected", [
    (0.3, 0.2871),    # one significant digit is not enough
    (2, 1.6931),
    (0.28, 0.2871),   # wrongly rounded
    (1.68, 1.6931),
    (0.0, 0.5),
    (1e9, 0.5),
])
def test_floats_that_are_not_the_answer(given, expected):
    assert not verdict(given, expected)


@pytest.mark.parametrize("given, expected, words", [
    (50.0, 0.5, "looks like a percentage"),
    (0.005, 0.5, "looks like a proportion"),
    (-27.7, 27.7, "opposite sign"),
    (0.587806, 0.848, "natural logarithm (math.log) where log2"),
    (1.223401, 0.848, "log2 where the natural logarithm"),
    (0.25, 0.5, "half the expected value"),
    (11626, 5813, "twice the expected value"),
    (5813, 4296, "1,517 too many"),
    (4000, 4296, "296 too few"),
    ("4302", 4302, "without quotes"),
])
def test_wrong_numbers_are_diagnosed(given, expected, words):
    result = verdict(given, expected)
    assert not result and words in result.message, result.message


def test_a_table_where_a_number_was_asked():
    result = verdict(pd.DataFrame({"a": [1, 2], "b": [3, 4]}), 4302)
    assert "expected: a number, 4,302" in result.message and "a table (DataFrame) of 2 rows" in result.message


# --- text and truth values ------------------------------------------------------------------------------------

@pytest.mark.parametrize("given", ["economy", "Economy", " ECONOMY ", "economy\n", np.str_("economy"), ["economy"]])
def test_text_in_any_case_and_spacing(given):
    assert verdict(given, "economy")


def test_text_inner_spaces_are_collapsed_but_words_must_match():
    assert verdict("Security  and\tdefense", "Security and defense")
    result = verdict("Security", "Security and defense")
    assert not result and "expected: 'Security and defense'" in result.message and "given:    'Security'" in result.message


@pytest.mark.parametrize("given, right", [(True, True), (np.bool_(True), True), ("yes", True), ("True", True),
                                          (1, True), (False, False), ("no", False), ("maybe", None)])
def test_truth_values(given, right):
    result = verdict(given, True)
    if right is None:
        assert not result and "write True or False" in result.message
    else:
        assert bool(result) is right


# --- collections ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("given", [{"past", "strides"}, ["strides", "past"], ("Past", "Strides"),
                                   np.array(["past", "strides"]), pd.Series(["strides", "past"]),
                                   pd.Index(["past", "strides"]), frozenset({"past", "strides"})])
def test_a_set_in_any_collection(given):
    assert verdict(given, {"past", "strides"})


def test_a_set_answer_lists_what_is_missing_and_what_is_extra():
    result = verdict({"past", "need", "visit"}, {"past", "strides", "greater"})
    assert "missing:  greater, strides" in result.message and "not expected: need, visit" in result.message


def test_a_set_ignores_repeats_a_list_does_not():
    assert verdict(["a", "a", "b"], {"a", "b"})
    assert not verdict(["a", "a", "b"], ["a", "b"])


def test_ordered_collections():
    assert verdict((0, 0.6667), [0.0, 0.6666666], ordered=True)
    result = verdict((0.6667, 0), [0.0, 0.6666666], ordered=True)
    assert not result and "item 1 differs" in result.message
    assert not verdict([0.0], [0.0, 0.66], ordered=True)
    assert verdict((0.5, 0.0), [0.0, 0.5])  # unordered: compared as a multiset (numbers to 6 decimals)
    assert not verdict((0.5, 0.5), [0.0, 0.5])


def test_a_long_difference_is_shortened():
    result = verdict([str(i) for i in range(20)], set())
    assert "and 15 more" in result.message


# --- mappings -------------------------------------------------------------------------------------------------------

EXPECTED_PERIODS = pd.Series({"2022": 2, "2023-2024": 2}, name="doc_id")


@pytest.mark.parametrize("given", [
    {"2022": 2, "2023-2024": 2},
    {"2023-2024": 2, "2022": 2.0},
    pd.Series({"2022": np.int64(2), "2023-2024": np.int64(2)}),
    pd.DataFrame({"period": ["2022", "2023-2024"], "n": [2, 2]}),            # groupby(...).size().reset_index()
    pd.DataFrame({"n": [2, 2]}, index=["2022", "2023-2024"]),                 # a one-column table
])
def test_a_mapping_in_any_form(given):
    assert verdict(given, EXPECTED_PERIODS)


def test_number_keys_equal_text_keys():
    assert verdict({2022: 2, 2023: 1, 2024: 1}, pd.Series({"2022": 2, "2023": 1, "2024": 1}))
    assert verdict(pd.Series({"2022": 2}), {2022: 2})


def test_a_wrong_mapping_names_the_keys_and_values():
    result = verdict({"2022": 3, "2023-2024": 2, "2025": 1}, EXPECTED_PERIODS)
    assert "keys not expected: 2025" in result.message and "2022: expected 2, given 3" in result.message
    result = verdict({"2022": 2}, EXPECTED_PERIODS)
    assert "missing keys: 2023-2024" in result.message
    result = verdict(7, EXPECTED_PERIODS)
    assert "as a Series or dict" in result.message


def test_missing_keys_as_zero():
    expected = {"xi2022_xinhua": 3, "zhang2022_visit": 0}
    assert verdict({"xi2022_xinhua": 3}, expected, missing=0)
    assert not verdict({"xi2022_xinhua": 3}, expected)
    assert verdict(pd.Series({"xi2022_xinhua": 3, "cgtn": 0}), {"xi2022_xinhua": 3}, missing=0)


def test_mapping_values_of_text_are_compared_as_text():
    assert verdict({"p1": "economic", "p2": "Political"}, {"p1": "Economic", "p2": "political"})


# --- tables ------------------------------------------------------------------------------------------------------------

EXPECTED_ROWS = pd.DataFrame({"group": ["a", "b", "c"], "count": [3, 7, 10], "per_10k": [40.5954, 46.1437, 65.4450]})


def test_a_table_with_extra_columns_rows_in_another_order_and_another_index():
    given = EXPECTED_ROWS.iloc[::-1].assign(term="security", range=1).set_index(pd.Index([40, 375, 998]))
    assert verdict(given, EXPECTED_ROWS)
    assert verdict(given.rename(columns={"count": "Count"}), EXPECTED_ROWS)  # column names in any case
    assert verdict(EXPECTED_ROWS.round(3), EXPECTED_ROWS)  # values rounded to 3 decimals


def test_a_wrong_table_names_the_row_and_column():
    wrong = EXPECTED_ROWS.assign(per_10k=[40.5954, 46.1437, 63.5728])
    result = verdict(wrong, EXPECTED_ROWS)
    assert "the row (group=c), column per_10k" in result.message and "expected 65.445, given 63.5728" in result.message
    result = verdict(EXPECTED_ROWS.iloc[:2], EXPECTED_ROWS)
    assert "expected: 3 rows" in result.message and "given:    2 rows" in result.message
    result = verdict(EXPECTED_ROWS.drop(columns="per_10k"), EXPECTED_ROWS)
    assert "without per_10k" in result.message
    result = verdict(EXPECTED_ROWS.iloc[::-1], EXPECTED_ROWS, ordered=True)
    assert "row 1, column group" in result.message


def test_only_the_named_columns_are_compared():
    given = EXPECTED_ROWS.assign(per_10k=0.0)
    assert verdict(given, EXPECTED_ROWS, columns=["group", "count"])
    assert not verdict(given, EXPECTED_ROWS)


def test_a_table_answer_that_is_not_a_table():
    result = verdict([1, 2, 3], EXPECTED_ROWS)
    assert "expected: a table (DataFrame) with the columns group, count, per_10k" in result.message


# --- free choices ---------------------------------------------------------------------------------------------------------

def test_one_of_a_set_of_choices():
    choices = pd.Series(["multilateral frameworks", "state visit"])
    assert verdict("State Visit", one_of=choices)
    result = verdict("multilateral framework", one_of=choices)
    assert "is not one of the 2 possible answers" in result.message and "check the spelling" in result.message


def test_one_of_for_every_value_of_a_mapping_or_list():
    dimensions = ["Economic", "Political", "Cultural identity"]
    assert verdict({"p1": "economic", "p2": "Political"}, one_of=dimensions)
    assert verdict(["Political", "Cultural identity"], one_of=dimensions)
    result = verdict({"p1": "Economy", "p2": "Political"}, one_of=dimensions)
    assert "1 of 2 answers are not among the 3 possible ones: economy" in result.message
    assert "empty" in verdict([], one_of=dimensions).message


def test_an_expected_value_of_an_unknown_kind_is_a_programming_error():
    with pytest.raises(TypeError, match="cannot compare"):
        compare(1, object())


# --- the handout helper ---------------------------------------------------------------------------------------------------

def test_side_by_side_skips_short_paragraphs_and_numbers_the_rest():
    docs = pd.DataFrame({"doc_id": ["a", "b"],
                         "text": ["Title\n\nBy Someone\n\nThe first real paragraph has six words.\n\nSecond one "
                                  "is here too, with words.\n",
                                  "One two three four five six.\n\n\n\nSeven eight nine ten eleven twelve.\n"]})
    table = side_by_side(docs, "a", "b", paragraphs=2, min_words=5)
    assert table.to_numpy().tolist() == [["The first real paragraph has six words.", "One two three four five six."],
                                         ["Second one is here too, with words.", "Seven eight nine ten eleven twelve."]]
    assert table.attrs["numbers"] == {"a": [3, 4], "b": [1, 2]}
    short = side_by_side(docs, "a", "b", paragraphs=3, min_words=5)
    assert short.iloc[2].tolist() == ["", ""]
    with pytest.raises(KeyError, match="no document 'c'"):
        side_by_side(docs, "a", "c")
