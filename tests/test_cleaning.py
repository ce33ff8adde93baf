"""Cleaning rules on the real texts and on tiny strings; the offset map back to the raw text.

The offset map is checked against an independent character-by-character
re-implementation (:func:`reference_clean`): every character of the cleaned
text carries the raw span it came from, rule after rule.
"""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_corpus
from rhetoric import config
from rhetoric.corpus import load_corpus, raw_spans
from rhetoric.corpus.cleaning import CleaningRule, clean_text, cleaning_log, load_rules, rules_fingerprint, rules_table
from rhetoric.errors import CorpusError

RULES = load_rules()


def reference_clean(raw: str, rules, doc_id=None):
    """Apply the rules with ``finditer``, tracking for each character the raw span it came from."""
    text, start, end, counts = raw, list(range(len(raw))), list(range(1, len(raw) + 1)), {}
    for rule in rules:
        if not rule.applies_to(doc_id):
            continue
        out, new_start, new_end, n, prev = [], [], [], 0, 0
        for match in rule.pattern.finditer(text):
            replacement = match.expand(rule.replacement)
            if match.group(0) == replacement:
                continue
            a, b = match.span()
            assert b > a, "the reference handles rules that consume text"
            n += 1
            out.append(text[prev:a])
            new_start += start[prev:a]
            new_end += end[prev:a]
            out.append(replacement)
            new_start += [start[a]] * len(replacement)
            new_end += [end[b - 1]] * len(replacement)
            prev = b
        out.append(text[prev:])
        new_start += start[prev:]
        new_end += end[prev:]
        text, start, end = "".join(out), new_start, new_end
        counts[rule.id] = n
    return text, np.array(start, dtype=np.int64), np.array(end, dtype=np.int64), counts


def by_id(docs, doc_id):
    return docs.set_index("doc_id").loc[doc_id]


# --- the rules file ------------------------------------------------------------------------

def test_rules_file_loads_with_unique_ids_and_reasons():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)) == 18
    assert ids[0] == "line_endings" and ids[-1] == "trailing_blank_lines"
    assert all(r.why for r in RULES)
    table = rules_table(RULES)
    assert list(table.columns) == ["rule_id", "pattern", "replacement", "why"]
    assert table["rule_id"].tolist() == ids


def test_rules_fingerprint_changes_with_a_rule():
    changed = [CleaningRule(r.id, r.pattern, r.replacement + ("x" if r.id == "ellipsis" else ""), r.why)
               for r in RULES]
    assert rules_fingerprint(RULES) == rules_fingerprint(load_rules())
    assert rules_fingerprint(changed) != rules_fingerprint(RULES)


@pytest.mark.parametrize("content, words", [
    ("rules: [", ["not valid YAML", ":2:"]),
    ("version: 1\n", ["'rules:' list"]),
    ("rules:\n  - pattern: 'a'\n", ["rule 1 needs at least 'id' and 'pattern'"]),
    ("rules:\n  - {id: a, pattern: 'x'}\n  - {id: a, pattern: 'y'}\n", ["'a' appears twice"]),
    ("rules:\n  - {id: bad, pattern: '(unclosed'}\n", ["rule 'bad'", "does not compile"]),
    ("rules:\n  - {id: ref, pattern: 'a(b)', replacement: '\\2'}\n", ["rule 'ref'", "replacement"]),
    ("rules:\n  - {id: empty, pattern: ''}\n", ["rule 'empty'", "non-empty"]),
])
def test_bad_rules_files_are_reported(tmp_path, content, words):
    path = tmp_path / "rules.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_rules(path)
    assert str(path) in str(info.value)
    for word in words:
        assert word in str(info.value)


# --- every rule on the real texts ----------------------------------------------------------

def test_cleaning_log_of_the_project_corpus(project_docs):
    log = cleaning_log(project_docs)
    assert list(log.columns) == ["doc_id", "rule_id", "count"]
    got = {(d, r): n for d, r, n in log.itertuples(index=False)}
    assert got == {
        ("zhang2022_visit", "odd_spaces"): 1, ("zhang2022_visit", "single_quotes"): 10,
        ("xi2022_unofficial", "odd_spaces"): 1, ("xi2022_unofficial", "single_quotes"): 4,
        ("xi2022_unofficial", "double_quotes"): 10, ("xi2022_unofficial", "dashes"): 2,
        ("xi2022_unofficial", "unofficial_translation_label"): 1, ("xi2022_unofficial", "view_counter"): 1,
        ("xi2022_unofficial", "trailing_blank_lines"): 1,
        ("xi2022_xinhua", "cut_xinhua_dateline"): 1, ("xi2022_xinhua", "trailing_blank_lines"): 1,
        ("zhang2023_newyear", "single_quotes"): 9, ("zhang2023_newyear", "double_quotes"): 12,
        ("zhang2023_newyear", "glued_sentence"): 1,
        ("cgtn2024_visit", "odd_spaces"): 1, ("cgtn2024_visit", "single_quotes"): 5,
        ("cgtn2024_visit", "double_quotes"): 4, ("cgtn2024_visit", "dashes"): 2,
        ("cgtn2024_visit", "press_wire_footer"): 1, ("cgtn2024_visit", "press_wire_tag"): 1,
        ("cgtn2024_visit", "glued_compound_china_kazakhstan"): 1, ("cgtn2024_visit", "trailing_blank_lines"): 1,
    }


def test_cleaning_matches_the_reference_on_the_real_texts(project_docs):
    for row in project_docs.itertuples():
        text, _, _, counts = reference_clean(row.raw_text, RULES, row.doc_id)
        assert row.text == text
        assert row.rule_counts == counts


def test_view_counter_and_unofficial_label_are_removed(project_docs):
    doc = by_id(project_docs, "xi2022_unofficial")
    assert doc.raw_text.endswith("relations.\nUnofficial translation\n\n\nNumber of shows:\u00a02552")
    assert "Number of shows" not in doc.text and "Unofficial translation" not in doc.text
    assert doc.text.endswith("will have another golden 30th anniversary of relations.\n")


def test_cut_xinhua_dateline_is_removed(project_docs):
    doc = by_id(project_docs, "xi2022_xinhua")
    assert doc.raw_text.startswith("Xinhua) 07:37, September 14, 2022\n")
    assert doc.text.startswith("BEIJING, Sept. 13 (Xinhua) -- A signed article by Chinese President Xi Jinping")
    assert "07:37" not in doc.text


def test_press_wire_footer_and_tag_are_removed(project_docs):
    doc = by_id(project_docs, "cgtn2024_visit")
    assert doc.raw_text.rstrip().endswith("Cision View original content:")
    assert "Cision" not in doc.text and "PRNewswire" not in doc.text
    assert doc.text.endswith("bring the SCO to a new level of development.\n")
    assert "BEIJING, July 4, 2024 \u2014 China and Kazakhstan have always supported" in doc.text  # NBSP -> space


def test_glued_tokens_are_split_or_joined(project_docs):
    newyear = by_id(project_docs, "zhang2023_newyear")
    assert "consciousness.2023" in newyear.raw_text
    assert "collective consciousness. 2023 will" in newyear.text
    cgtn = by_id(project_docs, "cgtn2024_visit")
    assert "ChinaKazakhstan" in cgtn.raw_text and "ChinaKazakhstan" not in cgtn.text
    assert cgtn.text.count("China-Kazakhstan") == cgtn.raw_text.count("China-Kazakhstan") + 1


def test_en_space_nbsp_and_curly_quotes_are_normalised(project_docs):
    zhang = by_id(project_docs, "zhang2022_visit")
    assert "forces\u2002undermining" in zhang.raw_text
    assert "forces undermining Kazakhstan's stability" in zhang.text
    for text in project_docs["text"]:
        assert not set(text) & set("\u2018\u2019\u201c\u201d\u00a0\u2002\u2013")
    unofficial = by_id(project_docs, "xi2022_unofficial")
    assert "People\u2019s Republic" in unofficial.raw_text and "People's Republic" in unofficial.text
    assert '"Friendship is an inexhaustible wealth."' in unofficial.text
    assert "One Belt \u2014 One Road" in unofficial.text  # a spaced en dash is punctuation: one em dash


# --- tiny strings ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, cleaned", [
    ("a\r\nb\rc\n", "a\nb\nc\n"),
    ("\ufeffco\u00adop\u200beration", "cooperation"),
    ("a\u00a0b\u2002c\u3000d\te", "a b c d e"),
    ("\u2018win\u2019 \u201cwin\u201d \u00abx\u00bb", "'win' \"win\" \"x\""),
    ("China\u2013Kazakhstan and 2005\u20132011 \u2014 ok", "China-Kazakhstan and 2005\u20142011 \u2014 ok"),
    ("non\u2011stop \u2212 5", "non-stop - 5"),
    ("wait\u2026", "wait..."),
    ("end   \nnext", "end\nnext"),
    ("Xinhua) 07:37, September 14, 2022\n\nBody.", "Body."),
    ("Text.\nUnofficial translation\n\nNumber of shows: 2,552\n", "Text.\n"),
    ("Body.\nCision View original content: http://x\nmore\n", "Body.\n"),
    ("BEIJING, July 4 /PRNewswire/ \u2014 Text", "BEIJING, July 4 \u2014 Text"),
    ("consciousness.2023 and end.Next but 3.5 and U.S.A", "consciousness. 2023 and end. Next but 3.5 and U.S.A"),
    ("ChinaKazakhstan ChinaKazakhstani", "China-Kazakhstan ChinaKazakhstani"),
    ("text \n\n\n ", "text\n"),
])
def test_rules_on_tiny_strings(raw, cleaned):
    out = clean_text(raw, RULES)
    assert out.text == cleaned
    text, start, end, counts = reference_clean(raw, RULES)
    assert text == cleaned and out.rule_counts == counts


def test_rules_restricted_to_documents():
    rule = CleaningRule("only_a", re.compile("x"), "y", "", doc_ids=frozenset({"a"}))
    assert clean_text("x", [rule], doc_id="a").text == "y"
    assert clean_text("x", [rule], doc_id="b").text == "x"
    assert clean_text("x", [rule], doc_id="b").rule_counts == {}


def test_offsets_map_replacements_to_the_whole_raw_span():
    raw = "\ufeffA\r\nChinaKazakhstan\u2019s \u201cwin\u2026\u201d"
    out = clean_text(raw, RULES)
    assert out.text == "A\nChina-Kazakhstan's \"win...\"\n" or out.text == "A\nChina-Kazakhstan's \"win...\""
    i = out.text.index("China")
    start, end = out.offsets.to_raw([i, 0, out.text.index("...")], [i + 16, 1, out.text.index("...") + 3])
    assert raw[start[0]:end[0]] == "ChinaKazakhstan"
    assert raw[start[1]:end[1]] == "A"  # after the deleted byte-order mark
    assert raw[start[2]:end[2]] == "\u2026"
    s, e = out.offsets.to_raw(3, 3)  # an empty span maps to an empty span
    assert int(s) == int(e)


# --- offsets back to the raw text ------------------------------------------------------------

def test_every_token_maps_back_to_its_raw_text(project_docs, project_tokens):
    """raw_text[raw_start:raw_end] is the token, once cleaned (the cleaning rules applied to the slice)."""
    for i, row in enumerate(project_docs.itertuples()):
        a, b = project_tokens.bounds[i], project_tokens.bounds[i + 1]
        starts, ends = project_tokens.start[a:b].astype(np.int64), project_tokens.end[a:b].astype(np.int64)
        raw_s, raw_e = raw_spans(project_docs, [row.doc_id] * (b - a), starts, ends)
        _, ref_start, ref_end, _ = reference_clean(row.raw_text, RULES, row.doc_id)
        assert np.array_equal(raw_s, ref_start[starts]) and np.array_equal(raw_e, ref_end[ends - 1])
        changed = []
        for s, e, rs, re_ in zip(starts, ends, raw_s, raw_e):
            token, raw = row.text[s:e], row.raw_text[rs:re_]
            assert clean_text(raw, RULES).text == token, (row.doc_id, token, raw)
            if raw != token:
                changed.append(raw)
        if row.doc_id == "cgtn2024_visit":  # the glued compound, and four clitics written with a curly apostrophe
            assert sorted(changed) == ["ChinaKazakhstan"] + ["\u2019s"] * 4
    cgtn = project_docs.index[project_docs["doc_id"] == "cgtn2024_visit"][0]
    a, b = project_tokens.bounds[cgtn], project_tokens.bounds[cgtn + 1]
    text = project_docs.loc[cgtn, "raw_text"]
    raw_s, raw_e = raw_spans(project_docs, ["cgtn2024_visit"] * (b - a), project_tokens.start[a:b],
                             project_tokens.end[a:b])
    assert "ChinaKazakhstan" in [text[s:e] for s, e in zip(raw_s, raw_e)]


_PIECES = st.sampled_from([
    "a", "b", "Zq", " ", "  ", "\n", "\n\n", "\r\n", "\r", "\t", ".", ",", "-", "'", "$5", "2023",
    "\u2018", "\u2019", "\u201c", "\u201d", "\u00ab", "\u2013", "\u2014", "\u2010", "\u2026", "\u00a0",
    "\u2002", "\u3000", "\ufeff", "\u200b", "\u00ad", "China\u2013Kazakhstan", "ChinaKazakhstan",
    "consciousness.2023", "end.Next", "Unofficial translation\n", "Number of shows: 2552\n",
    " /PRNewswire/ ", "\nCision View original content: x\n", "Xinhua) 07:37, September 14, 2022\n",
    "\u0416\u0443\u0437", "\U0001d518",
])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_offset_map_matches_the_reference_on_random_text(raw):
    out = clean_text(raw, RULES)
    text, ref_start, ref_end, counts = reference_clean(raw, RULES)
    assert out.text == text and out.rule_counts == counts
    n = len(text)
    if n:
        i = np.arange(n)
        s, e = out.offsets.to_raw(i, i + 1)
        assert np.array_equal(s, ref_start) and np.array_equal(e, ref_end)
        j = np.minimum(i + 3, n)
        s, e = out.offsets.to_raw(i, j)
        assert np.array_equal(s, ref_start) and np.array_equal(e, ref_end[j - 1])


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, min_size=80, max_size=200).map("".join), st.randoms(use_true_random=False))
def test_to_raw_of_many_spans_in_any_order(raw, random):
    """Token-like spans (many, sorted, shuffled or reversed) map to the reference's raw offsets, each on its own."""
    out = clean_text(raw, RULES)
    spans = np.array([m.span() for m in re.finditer(r"\S+", out.text)], dtype=np.int64).reshape(-1, 2)
    _, ref_start, ref_end, _ = reference_clean(raw, RULES)
    order = list(range(len(spans)))
    random.shuffle(order)
    for rows in (np.arange(len(spans)), np.arange(len(spans))[::-1], np.array(order, dtype=np.int64)):
        got_start, got_end = out.offsets.to_raw(spans[rows, 0], spans[rows, 1])
        assert np.array_equal(got_start, ref_start[spans[rows, 0]])
        assert np.array_equal(got_end, ref_end[spans[rows, 1] - 1])


_EXTRA_RULES = [
    CleaningRule("lit", re.compile(r"\bab\b"), "X", ""),
    CleaningRule("line", re.compile(r"(?m)^a.+$"), "", ""),
    CleaningRule("grow", re.compile(r"b+"), "<\\g<0>>", ""),
    CleaningRule("class", re.compile(r"[ab]"), "a", ""),
    CleaningRule("group", re.compile(r"(Z)(q)"), r"\2\1\1", ""),
]


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join), st.lists(st.sampled_from(RULES + _EXTRA_RULES), min_size=1,
                                                            max_size=4))
def test_any_rules_give_the_reference_text_counts_and_offsets(text, rules):
    """clean_text with rules chained in any order (literal, anchored, growing, group references) equals the
    character-level reference, on short texts and on long ones."""
    for raw in (text, text * 20 + "aaaa" * 300):
        out = clean_text(raw, rules)
        ref_text, ref_start, ref_end, counts = reference_clean(raw, rules)
        assert out.text == ref_text and out.rule_counts == counts
        if ref_text:
            i = np.arange(len(ref_text))
            got_start, got_end = out.offsets.to_raw(i, i + 1)
            assert np.array_equal(got_start, ref_start) and np.array_equal(got_end, ref_end)


def test_inserted_characters_map_to_an_empty_raw_span():
    """A rule that replaces an empty match inserts text; it maps back to where it was inserted (here after a
    deletion, at offset 3 of "azzb"), never to a span whose start is after its end."""
    rules = [CleaningRule("delete", re.compile("zz"), "", ""),
             CleaningRule("insert", re.compile(r"(?<=a)(?=b)"), "-", "")]
    out = clean_text("azzb", rules)
    assert out.text == "a-b" and out.rule_counts == {"delete": 1, "insert": 1}
    start, end = out.offsets.to_raw([0, 1, 2, 0], [1, 2, 3, 3])
    assert start.tolist() == [0, 3, 3, 0] and end.tolist() == [1, 3, 4, 4]


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_empty_matches_never_give_reversed_raw_spans(raw):
    rules = RULES + [CleaningRule("nullable", re.compile(r"b*"), "-", "")]
    out = clean_text(raw, rules)
    i = np.arange(len(out.text))
    start, end = out.offsets.to_raw(i, i + 1)
    assert (start <= end).all() and (end <= len(raw)).all()
    assert (np.diff(start) >= 0).all()  # characters keep their order


def test_cleaning_a_large_text_keeps_a_small_map():
    """A 5 MB Windows text: one segment per line ending; quotes and dashes need none."""
    line = "The \u201cgolden\u201d thirty years \u2014 win\u2013win cooperation.\r\n"
    raw = line * (5_000_000 // len(line))
    out = clean_text(raw, RULES)
    assert len(out.text) == len(raw) - raw.count("\r\n")
    assert out.rule_counts["line_endings"] == raw.count("\r\n")
    assert out.offsets.n_segments == raw.count("\r\n")  # the quotes and dashes need no segment
    last = out.text.rindex("golden")
    s, e = out.offsets.to_raw(np.array([0, last]), np.array([3, last + 6]))
    assert raw[s[1]:e[1]] == "golden" and raw[s[0]:e[0]] == "The"


def test_custom_rules_path_is_used_by_load_corpus(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a": ("2020", "a", "", "", "Hello PLACEHOLDER world.\n")})
    rules = tmp_path / "rules.yml"
    shutil.copy(config.CLEANING_RULES, rules)
    rules.write_text(rules.read_text(encoding="utf-8") + "  - id: placeholder\n    pattern: 'PLACEHOLDER '\n"
                     "    replacement: ''\n    why: test\n", encoding="utf-8")
    default = load_corpus(folder)
    custom = load_corpus(folder, rules_path=rules)
    assert default.loc[0, "text"] == "Hello PLACEHOLDER world.\n"
    assert custom.loc[0, "text"] == "Hello world.\n"
    assert custom.attrs["rules_fingerprint"] != default.attrs["rules_fingerprint"]
