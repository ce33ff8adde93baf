"""Formula lexicon: the project file, YAML with line numbers, and every kind of bad entry."""

from __future__ import annotations

import textwrap

import pytest

from rhetoric import config
from rhetoric.errors import LexiconError
from rhetoric.formulas.lexicon import (FORMULA_COLUMNS, default_formula_lexicon, formula_table, line_of,
                              load_formula_lexicon, load_yaml_with_lines)

REQUIRED_IDS = ["community_shared_future", "golden_thirty_years", "permanent_comprehensive_strategic_partnership",
                "belt_and_road", "global_development_initiative", "global_security_initiative",
                "global_civilization_initiative", "one_china_principle", "three_evil_forces",
                "external_interference", "new_kazakhstan", "mutual_trust", "core_interests", "win_win_cooperation"]


def write(tmp_path, text: str, name: str = "lex.yml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


GOOD = """
version: 1
categories: [vision, principles]
formulas:
  - id: shared_future
    label: community with a shared future
    category: vision
    variants:
      - name: community with a shared future
        pattern: "community with a shared future (for mankind)?"
      - community of common destiny
    first_official_use: 2012-11-08
  - id: win_win
    label: win-win cooperation
    category: principles
    variants: [win-win cooperation]
    first_official_use: "2015"
"""


def test_project_lexicon_loads_with_the_required_formulas():
    lex = load_formula_lexicon()
    assert list(lex.columns) == FORMULA_COLUMNS
    ids = list(dict.fromkeys(lex["formula_id"]))
    assert set(REQUIRED_IDS) <= set(ids)
    for extra in ("golden_decade", "comprehensive_strategic_partnership", "strategic_partnership",
                  "good_neighbourly_friendship", "people_to_people_exchanges", "chinese_modernization",
                  "just_kazakhstan", "high_quality_belt_and_road"):
        assert extra in ids
    assert set(lex["category"]) <= set(lex.attrs["categories"])
    assert lex.attrs["version"] == 2
    assert (lex["pattern"].str.strip() != "").all() and (lex["label"] != "").all()
    assert lex.attrs["path"] == str(config.FORMULA_LEXICON)
    per = formula_table(lex).set_index("formula_id")
    assert per.loc["permanent_comprehensive_strategic_partnership", "first_official_use"] == "2019-09-11"
    assert per.loc["community_shared_future", "n_variants"] == 6   # four English renderings, two Chinese
    assert per.loc["community_shared_future", ["zh", "broader"]].tolist() == ["人类命运共同体", ""]
    assert per.loc["china_kazakhstan_community", ["zh", "broader"]].tolist() == ["中哈命运共同体", "bilateral_community"]
    assert set(lex["language"]) == {"en", "zh"}
    assert (lex.loc[lex["pattern"].str.contains("[\u4e00-\u9fff]"), "language"] == "zh").all()


def test_good_lexicon_rows_names_and_dates(tmp_path):
    lex = load_formula_lexicon(write(tmp_path, GOOD))
    assert lex[["formula_id", "variant", "pattern"]].values.tolist() == [
        ["shared_future", "community with a shared future", "community with a shared future (for mankind)?"],
        ["shared_future", "community of common destiny", "community of common destiny"],
        ["win_win", "win-win cooperation", "win-win cooperation"],
    ]
    assert lex["first_official_use"].tolist() == ["2012-11-08", "2012-11-08", "2015"]
    assert lex.attrs["categories"] == ["vision", "principles"]


def test_bare_list_and_free_categories(tmp_path):
    lex = load_formula_lexicon(write(tmp_path, """
        - id: a
          label: alpha
          category: anything at all
          variants: [alpha beta]
        - id: b
          label: beta
          variants: [gamma]
    """))
    assert lex["category"].tolist() == ["anything at all", ""]


def test_yaml_with_lines(tmp_path):
    data, lines = load_yaml_with_lines(write(tmp_path, GOOD))
    assert data["formulas"][1]["id"] == "win_win"
    assert lines[("formulas", 0, "id")] == 4
    assert lines[("formulas", 0, "variants", 1)] == 10
    assert lines[("formulas", 1, "variants", 0)] == 15
    assert line_of(lines, "formulas", 1, "variants", 0, "pattern") == 15   # nearest known parent
    assert line_of(lines, "nothing") == 1


def test_default_lexicon_of_a_corpus_folder(tmp_path):
    assert default_formula_lexicon(None) == config.FORMULA_LEXICON
    assert default_formula_lexicon(tmp_path) == config.FORMULA_LEXICON
    own = tmp_path / "lexicons" / "formulas.yml"
    own.parent.mkdir()
    own.write_text(GOOD, encoding="utf-8")
    assert default_formula_lexicon(tmp_path) == own


def error_of(tmp_path, text: str) -> str:
    with pytest.raises(LexiconError) as info:
        load_formula_lexicon(write(tmp_path, text))
    return str(info.value)


def test_not_yaml(tmp_path):
    message = error_of(tmp_path, """
        formulas:
          - id: a
            label: [unclosed
            variants: [x]
    """)
    assert "lex.yml:4" in message and "not valid YAML" in message and "indentation" in message


def test_not_a_mapping_or_list(tmp_path):
    assert "top level must be a mapping" in error_of(tmp_path, "just a sentence\n")
    assert "is empty" in error_of(tmp_path, "# nothing\n")
    assert "'formulas' must be a non-empty list" in error_of(tmp_path, "formulas: 3\n")
    message = error_of(tmp_path, """
        formulas:
          - id: a
            label: A
            variants: [x]
          - just text
    """)
    assert "lex.yml:5" in message and "entry 2 is a str, not a mapping" in message


def test_missing_fields_and_unknown_keys(tmp_path):
    message = error_of(tmp_path, """
        formulas:
          - id: a
            variants: [x]
          - label: B
            variants: [y]
          - id: c
            label: C
            varients: [z]
    """)
    assert "lex.yml:2: formula 'a' missing label" in message
    assert "lex.yml:4: missing id" in message
    assert "lex.yml:8: formula 'c' unknown key(s) ['varients']" in message
    assert "lex.yml:6: formula 'c' missing variants" in message
    assert message.startswith("4 problem(s)")


def test_duplicate_ids(tmp_path):
    message = error_of(tmp_path, """
        formulas:
          - id: same
            label: A
            variants: [alpha]
          - id: same
            label: B
            variants: [beta]
    """)
    assert "lex.yml:5: formula 'same' duplicate id (first on line 2)" in message


def test_empty_variants(tmp_path):
    message = error_of(tmp_path, """
        formulas:
          - id: a
            label: A
            variants: []
          - id: b
            label: B
            variants:
              - ""
              - name: no pattern here
    """)
    assert "lex.yml:4: formula 'a' 'variants' is empty" in message
    assert "lex.yml:8: formula 'b' variant 1 is empty" in message
    assert "lex.yml:9: formula 'b' variant 2 is empty or has no 'pattern'" in message


def test_unknown_category(tmp_path):
    message = error_of(tmp_path, """
        categories: [vision, security]
        formulas:
          - id: a
            label: A
            category: visions
            variants: [alpha]
    """)
    assert "lex.yml:5: formula 'a' unknown category 'visions'; use one of: vision, security" in message


def test_invalid_and_catastrophic_regexes(tmp_path):
    message = error_of(tmp_path, r"""
        formulas:
          - id: a
            label: A
            variants:
              - ok words
              - name: bad
                pattern: "/[unclosed/"
          - id: b
            label: B
            variants:
              - 'some /(a|aa)+b/ words'
              - "(alpha"
    """)
    assert message.startswith("3 problem(s) in lexicon")
    assert "lex.yml:6: formula 'a' variant 2: '/[unclosed/' is not a valid regular expression" in message
    # (a|aa)+ on "aaa...a!" tries every way of cutting the a's: refused when the lexicon is read
    assert "lex.yml:11: formula 'b' variant 1: '/(a|aa)+b/' backtracks catastrophically" in message
    assert "lex.yml:12: formula 'b' variant 2: pattern '(alpha': a '(' is not closed" in message


def test_one_problem_is_one_line(tmp_path):
    message = error_of(tmp_path, """
        formulas:
          - id: a
            label: A
            variants: ["((((((((((((((((((deep))))))))))))))))))"]
    """)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'lex.yml'}:4: formula 'a' variant 1: pattern")
    assert "nests groups more than 16 deep" in message


def test_same_variant_under_two_formulas(tmp_path):
    message = error_of(tmp_path, """
        formulas:
          - id: first
            label: A
            variants:
              - win-win cooperation
          - id: second
            label: B
            variants:
              - alpha
              - "(win win | mutual) cooperation"
    """)
    assert ("lex.yml:10: formula 'second' variant '(win win | mutual) cooperation' matches the same words "
            "'win win cooperation' as variant 'win-win cooperation' of formula 'first' (line 5)") in message


def test_bad_date_duplicate_key_encoding_and_missing_file(tmp_path):
    message = error_of(tmp_path, """
        formulas:
          - id: a
            label: A
            variants: [alpha]
            first_official_use: September 2013
    """)
    assert "lex.yml:5: formula 'a' first_official_use 'September 2013' is not a date" in message
    message = error_of(tmp_path, """
        formulas:
          - id: a
            label: A
            label: B
            variants: [alpha]
    """)
    assert "lex.yml:4: key 'label' appears twice in one entry (first on line 3)" in message
    latin = tmp_path / "latin.yml"
    latin.write_bytes("formulas:\n  - id: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(LexiconError, match=r"latin.yml:2: not UTF-8 .*save the file as UTF-8"):
        load_formula_lexicon(latin)
    with pytest.raises(LexiconError, match="lexicon file not found"):
        load_formula_lexicon(tmp_path / "missing.yml")
    with pytest.raises(LexiconError, match="is a folder"):
        load_formula_lexicon(tmp_path)


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yml"
    path.write_bytes(b"\xef\xbb\xbf" + textwrap.dedent(GOOD).encode("utf-8"))
    assert len(load_formula_lexicon(path)) == 3


def test_alias_bomb_and_odd_variant_types(tmp_path):
    """A 'billion laughs' file is refused before it is expanded (aliases are not allowed); a list is not a
    pattern; a bare number is a word."""
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(levels) + "\nformulas: [{id: x, label: y, variants: *i}]\n"
    message = error_of(tmp_path, text)
    assert message == f"{tmp_path / 'lex.yml'}:2: aliases ('*a') are not allowed; write the value out in full."
    message = error_of(tmp_path, "formulas: [{id: x, label: y, variants: [[a, b]]}]\n")
    assert "lex.yml:1: formula 'x' variant 1 is a list, not a pattern" in message
    lex = load_formula_lexicon(write(tmp_path, "formulas:\n  - id: year\n    label: year\n    variants: [2049]\n"))
    assert lex["pattern"].tolist() == ["2049"]


def test_golden_thirty_years_note_gives_the_chinese_form():
    """The Chinese formula is 黄金三十年 ("开启两国关系又一个黄金三十年"), not 金色三十年."""
    lex = load_formula_lexicon()
    notes = set(lex.loc[lex["formula_id"] == "golden_thirty_years", "note"])
    assert len(notes) == 1
    note = notes.pop()
    assert "黄金三十年" in note and "金色三十年" not in note
    text = config.FORMULA_LEXICON.read_text(encoding="utf-8")
    assert "金色三十年" not in text


def test_an_edit_is_read_even_within_one_clock_tick(tmp_path):
    """The cache is keyed by the content: same size, same modification time, new text."""
    import os

    path = write(tmp_path, "formulas: [{id: aa, label: A, variants: [alpha]}]\n")
    stamp = path.stat().st_mtime_ns
    assert load_formula_lexicon(path)["formula_id"].tolist() == ["aa"]
    path.write_text("formulas: [{id: bb, label: B, variants: [gamma]}]\n", encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    assert load_formula_lexicon(path)["formula_id"].tolist() == ["bb"]


# --------------------------------------------------------------------------- fuzzing both lexicon loaders

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PATTERN_BITS = ["community", "shared", "future", "win-win", "(", ")", "|", "?", "*", "/", "/(a|aa)+b/", "/[x/",
                "[ou]", "\\", "'s", "((((((((((((((((((x))))))))))))))))))", "$", "%", ".", ",", " "]
KEYS = ["id", "label", "category", "variants", "name", "pattern", "first_official_use", "note", "source",
        "formulas", "frames", "terms", "description", "version", "categories"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 3000), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(KEYS),
    st.lists(st.sampled_from(PATTERN_BITS), max_size=6).map(" ".join),
    st.dates().map(str))
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6), st.integers()),
                                            inner, max_size=5)),
    max_leaves=25)
lexicon_like = st.one_of(
    structures,
    st.fixed_dictionaries({"formulas": st.lists(st.fixed_dictionaries(
        {"id": scalars, "label": scalars, "variants": st.one_of(scalars, st.lists(structures, max_size=3))},
        optional={"category": scalars, "first_official_use": scalars, "note": scalars}), max_size=4)},
        optional={"categories": structures, "version": scalars}),
    st.fixed_dictionaries({"frames": st.lists(st.fixed_dictionaries(
        {"id": st.one_of(scalars, st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True)), "label": scalars,
         "terms": st.one_of(scalars, st.lists(scalars, max_size=4))},
        optional={"description": scalars, "source": scalars}), max_size=4)}))
patterns = st.one_of(st.lists(st.sampled_from(PATTERN_BITS), min_size=1, max_size=6).map(" ".join),
                     st.text(min_size=1, max_size=15))
near_valid = st.one_of(
    st.fixed_dictionaries({"formulas": st.lists(st.fixed_dictionaries({
        "id": st.from_regex(r"[a-z][a-z_]{0,6}", fullmatch=True), "label": st.just("L"),
        "variants": st.lists(st.one_of(patterns, st.fixed_dictionaries({"name": scalars, "pattern": patterns})),
                             min_size=1, max_size=4)}), min_size=1, max_size=4)}),
    st.fixed_dictionaries({"frames": st.lists(st.fixed_dictionaries({
        "id": st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True), "label": st.just("L"),
        "terms": st.lists(patterns, min_size=1, max_size=4)}), min_size=1, max_size=4)}))
YAML_PIECES = ["&a ", "*a", "&b [", "*b", "[", "]", "{", "}", ": ", "- ", "\n", "\n  ", "\n    ", "? ", "!!str ",
               "!!python/object:os.system ", "'", '"', "#", "|\n  ", ">\n  ", "---\n", "...\n", "%YAML 1.1\n",
               "formulas:", "frames:", "id: x", "terms: [", "variants: [", "<<: *a", "\t", "\x00", "\ufeff", "é"]
raw_yaml = st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join)
nested = st.integers(1, 400).map(lambda n: "formulas: " + "[" * n + "x" + "]" * n + "\n")


def _loaders():
    from rhetoric.formulas.framing import load_frame_lexicon

    return load_formula_lexicon, load_frame_lexicon


@pytest.mark.parametrize("strategy", ["structures", "near_valid", "raw", "nested"])
def test_lexicon_loaders_fuzzed(tmp_path_factory, monkeypatch, strategy):
    """Whatever the file holds, each loader returns a table or raises LexiconError: no other exception, no hang.

    A catastrophic ``/regex/`` is caught by its time limit; the limit is cut to 50 ms here so that a few thousand
    files take seconds (the refusal itself is tested above with the real limit)."""
    import time

    import yaml

    import rhetoric.formulas.lexicon as lexicon_module

    monkeypatch.setattr(lexicon_module, "REGEX_TIMEOUT", 0.05)
    folder = tmp_path_factory.mktemp(f"fuzz_{strategy}")
    counter = iter(range(10 ** 9))
    dump = lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False)  # noqa: E731
    make = {"structures": lexicon_like.map(dump), "near_valid": near_valid.map(dump), "raw": raw_yaml,
            "nested": nested}[strategy]

    @settings(max_examples={"structures": 1000, "near_valid": 1000, "raw": 1000, "nested": 300}[strategy],
              deadline=10_000,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], derandomize=True)
    @given(text=make)
    def check(text):
        path = folder / f"lexicon_{next(counter)}.yml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        for loader in _loaders():
            started = time.monotonic()
            try:
                table = loader(path)
            except LexiconError as exc:
                assert str(exc).startswith(str(path)) or str(exc).split(" problem(s) in lexicon ")[-1].startswith(
                    str(path)), str(exc)
            else:
                assert len(table) > 0 and "pattern" in table.columns
            assert time.monotonic() - started < 10  # no hang

    check()


def test_chinese_form_broader_and_variant_tests(tmp_path):
    """zh, broader, example and near_miss are read; the examples come back from formula_examples()."""
    from rhetoric.formulas.lexicon import formula_examples, formula_levels

    path = write(tmp_path, """
        formulas:
          - id: broad
            label: broad formula
            zh: 宽泛
            variants:
              - name: broad
                pattern: broad formula
                example: "A broad formula here."
                near_miss: ["A formula, broad.", "Broadly formulated."]
          - id: narrow
            label: narrow formula
            broader: broad
            variants:
              - name: 窄
                pattern: 窄的公式
          - id: narrowest
            label: narrowest formula
            broader: narrow
            variants: [narrowest formula]
    """)
    lex = load_formula_lexicon(path)
    assert lex[["formula_id", "zh", "broader", "language"]].values.tolist() == [
        ["broad", "宽泛", "", "en"], ["narrow", "", "broad", "zh"], ["narrowest", "", "narrow", "en"]]
    assert formula_examples(path).values.tolist() == [
        ["broad", "broad", "example", "A broad formula here."],
        ["broad", "broad", "near_miss", "A formula, broad."],
        ["broad", "broad", "near_miss", "Broadly formulated."]]
    levels = formula_levels(lex).set_index("formula_id")
    assert levels["family"].tolist() == ["broad", "broad", "broad"]
    assert levels["depth"].tolist() == [0, 1, 2]
    assert levels.loc["narrowest", "ancestors"] == ("narrow", "broad")


@pytest.mark.parametrize("entries, message", [
    ("  - id: a\n    label: a\n    broader: nope\n    variants: [x]\n",
     "lex.yml:4: formula 'a' broader 'nope' is not the id of a formula of this lexicon"),
    ("  - id: a\n    label: a\n    broader: a\n    variants: [x]\n",
     "lex.yml:4: formula 'a' broader 'a' is the formula itself"),
    ("  - id: a\n    label: a\n    broader: b\n    variants: [x]\n"
     "  - id: b\n    label: b\n    broader: a\n    variants: [y]\n",
     "broader formulas go round in a circle (a -> b -> a)"),
    ("  - id: a\n    label: a\n    zh: not chinese\n    variants: [x]\n",
     "lex.yml:4: formula 'a' zh 'not chinese' must be the formula's Chinese form in Chinese characters"),
    ("  - id: a\n    label: a\n    variants:\n      - pattern: x\n        example: [1, 2]\n",
     "'example' must be a sentence or a list of sentences"),
    ("  - id: a\n    label: a\n    broader: b_\n    variants: [x]\n  - id: b\n    label: b\n    variants: [y]\n",
     "did you mean 'b'?"),
])
def test_bad_levels_and_chinese_forms(tmp_path, entries, message):
    assert message in error_of(tmp_path, "formulas:\n" + entries)


def test_the_chinese_words_of_the_lexicon_are_kept_whole_by_the_tokenizer():
    """Every run of three or more Chinese characters in a pattern is one token when it stands in a text."""
    import re

    from rhetoric.corpus.tokens import FORCED_MIN_CHARS, lexicon_words, tokenize_text

    lex = load_formula_lexicon()
    runs = {r for p in lex["pattern"] for r in re.findall("[\u4e00-\u9fff]+", p) if len(r) >= FORCED_MIN_CHARS}
    assert runs and runs <= set(lexicon_words())
    for run in sorted(runs):
        assert tokenize_text("双方表示" + run + "。") [-1] == run, run
