"""Cleaning rules on the real texts and on tiny strings; the offset map back to the raw text; parts.

The offset map is checked against an independent character-by-character
re-implementation (:func:`reference_clean`): every character of the cleaned
text carries the raw span it came from, and the part a part rule gave it, rule
after rule.
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
from rhetoric.corpus.cleaning import (MAIN_PART, PART_SEPARATOR, CleaningRule, clean_text, cleaning_log, load_rules,
                                     part_spans, rules_fingerprint, rules_table, split_parts)
from rhetoric.errors import CorpusError

RULES = load_rules()


def reference_clean(raw: str, rules, doc_id=None, *, with_parts=False):
    """Apply the rules with ``finditer``, tracking for each character the raw span it came from and its part.

    A part rule labels the characters of each non-empty match that no earlier part holds; a replacement's
    characters take the first label among the characters it replaced.
    """
    text, start, end, counts = raw, list(range(len(raw))), list(range(1, len(raw) + 1)), {}
    label = [None] * len(raw)
    for rule in rules:
        if not rule.applies_to(doc_id):
            continue
        if rule.part is not None:
            n = 0
            for match in rule.pattern.finditer(text):
                a, b = match.span()
                if b > a and all(label[i] is None for i in range(a, b)):
                    label[a:b] = [rule.part] * (b - a)
                    n += 1
            counts[rule.id] = n
            continue
        out, new_start, new_end, new_label, n, prev = [], [], [], [], 0, 0
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
            new_label += label[prev:a]
            out.append(replacement)
            new_start += [start[a]] * len(replacement)
            new_end += [end[b - 1]] * len(replacement)
            new_label += [next((x for x in label[a:b] if x is not None), None)] * len(replacement)
            prev = b
        out.append(text[prev:])
        new_start += start[prev:]
        new_end += end[prev:]
        new_label += label[prev:]
        text, start, end, label = "".join(out), new_start, new_end, new_label
        counts[rule.id] = n
    if with_parts:
        runs, i = [], 0
        while i < len(label):
            if label[i] is None:
                i += 1
                continue
            j = i
            while j < len(label) and label[j] == label[i]:
                j += 1
            runs.append((label[i], i, j))
            i = j
        return text, np.array(start, dtype=np.int64), np.array(end, dtype=np.int64), counts, tuple(runs)
    return text, np.array(start, dtype=np.int64), np.array(end, dtype=np.int64), counts


def reference_main(raw: str, rules, doc_id=None):
    """The reference's text of a document without its marked parts (what load_corpus gives as ``text``): the
    unmarked stretches, joined by PART_SEPARATOR, each character with its raw span; a separator carries the raw span
    of the stretch it stands for."""
    text, start, end, counts, runs = reference_clean(raw, rules, doc_id, with_parts=True)
    keep = [True] * len(text)
    for _, a, b in runs:
        keep[a:b] = [False] * (b - a)
    pieces, i = [], 0
    while i < len(text):
        if not keep[i]:
            i += 1
            continue
        j = i
        while j < len(text) and keep[j]:
            j += 1
        pieces.append((i, j))
        i = j
    out, out_start, out_end = [], [], []
    for k, (a, b) in enumerate(pieces):
        if k:
            gap_start, gap_end = pieces[k - 1][1], a
            out.append(PART_SEPARATOR)
            out_start += [start[gap_start]] * len(PART_SEPARATOR)
            out_end += [end[gap_end - 1]] * len(PART_SEPARATOR)
        out.append(text[a:b])
        out_start += list(start[a:b])
        out_end += list(end[a:b])
    return "".join(out), np.array(out_start, dtype=np.int64), np.array(out_end, dtype=np.int64), counts


def by_id(docs, doc_id):
    return docs.set_index("doc_id").loc[doc_id]


# --- the rules file ------------------------------------------------------------------------

def test_rules_file_loads_with_unique_ids_and_reasons():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)) == 19
    assert ids[0] == "line_endings" and ids[-1] == "trailing_blank_lines"
    assert all(r.why for r in RULES)
    table = rules_table(RULES)
    assert list(table.columns) == ["rule_id", "pattern", "replacement", "why", "part"]
    assert table["rule_id"].tolist() == ids
    assert table.loc[table["part"] != "", "rule_id"].tolist() == ["xinhua_wrapper"]


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
    ("rules:\n  - {id: both, pattern: 'x', part: wrapper, replacement: 'y'}\n", ["rule 'both'", "both 'part' and"]),
    ("rules:\n  - {id: main, pattern: 'x', part: main}\n", ["rule 'main'", "not a part name"]),
    ("rules:\n  - {id: odd, pattern: 'x', part: 'Wrapper Text'}\n", ["rule 'odd'", "not a part name"]),
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
        ("xi2022_xinhua", "cut_xinhua_dateline"): 1, ("xi2022_xinhua", "xinhua_wrapper"): 1,
        ("xi2022_xinhua", "trailing_blank_lines"): 1,
        ("zhang2023_newyear", "single_quotes"): 9, ("zhang2023_newyear", "double_quotes"): 12,
        ("zhang2023_newyear", "glued_sentence"): 1,
        ("cgtn2024_visit", "odd_spaces"): 1, ("cgtn2024_visit", "single_quotes"): 5,
        ("cgtn2024_visit", "double_quotes"): 4, ("cgtn2024_visit", "dashes"): 2,
        ("cgtn2024_visit", "press_wire_footer"): 1, ("cgtn2024_visit", "press_wire_tag"): 1,
        ("cgtn2024_visit", "glued_compound_china_kazakhstan"): 1, ("cgtn2024_visit", "trailing_blank_lines"): 1,
    }


def test_cleaning_matches_the_reference_on_the_real_texts(project_docs):
    for row in project_docs.itertuples():
        text, _, _, counts = reference_main(row.raw_text, RULES, row.doc_id)
        assert row.text == text
        assert row.rule_counts == counts
        whole, _, _, _ = reference_clean(row.raw_text, RULES, row.doc_id)
        assert whole == clean_text(row.raw_text, RULES, doc_id=row.doc_id).text


def test_view_counter_and_unofficial_label_are_removed(project_docs):
    doc = by_id(project_docs, "xi2022_unofficial")
    assert doc.raw_text.endswith("relations.\nUnofficial translation\n\n\nNumber of shows:\u00a02552")
    assert "Number of shows" not in doc.text and "Unofficial translation" not in doc.text
    assert doc.text.endswith("will have another golden 30th anniversary of relations.\n")


def test_cut_xinhua_dateline_is_removed(project_docs):
    doc = by_id(project_docs, "xi2022_xinhua")
    assert doc.raw_text.startswith("Xinhua) 07:37, September 14, 2022\n")
    cleaned = clean_text(doc.raw_text, RULES, doc_id="xi2022_xinhua").text
    assert cleaned.startswith("BEIJING, Sept. 13 (Xinhua) -- A signed article by Chinese President Xi Jinping")
    assert "07:37" not in cleaned and "07:37" not in doc.text
    assert doc.text.startswith("Build on the Past")  # the lead after the dateline is the wrapper, a part of its own


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
        _, ref_start, ref_end, _ = reference_main(row.raw_text, RULES, row.doc_id)
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


# --- parts: a span marked, kept with its offsets, cut out as its own text ------------------------------------

def test_xinhua_wrapper_is_marked_as_its_own_part():
    """The news agency's lead and 'Following is ...' line are the part 'wrapper'; the article starts at its title."""
    path = config.DATA_DIR / "raw" / "2022-09-13_xi-jinping_xinhua_official-translation.txt"
    raw = path.read_text(encoding="utf-8")
    cleaned = clean_text(raw, RULES, doc_id="xi2022_xinhua")
    assert cleaned.rule_counts["xinhua_wrapper"] == 1
    table = part_spans(cleaned)
    assert table["part"].tolist() == ["wrapper", MAIN_PART]
    lead = raw.index("BEIJING, Sept. 13 (Xinhua) -- A signed article by Chinese President Xi Jinping")
    title = raw.index("Build on the Past to Make Greater Strides in China-Kazakhstan Relations\n\nXi Jinping\n")
    assert table[["raw_start", "raw_end"]].to_numpy().tolist() == [[lead, title], [title, len(raw)]]
    wrapper, article = (cleaned.text[s:e] for s, e in zip(table["start"], table["end"]))
    assert wrapper.endswith("Following is an English version of the full text of the article:\n\n")
    assert wrapper.count("\n\n") == 2 and "Xi Jinping" in wrapper
    assert article.startswith("Build on the Past") and article.endswith("in China-Kazakhstan relations.\n")
    assert raw[title:].rstrip("\n") + "\n" == article  # no rule changed a character of it but the final newline
    parts = split_parts(cleaned)
    assert list(parts) == [MAIN_PART, "wrapper"]
    assert parts[MAIN_PART].text == article and parts["wrapper"].text == wrapper
    i = article.index("permanent comprehensive strategic partnership")
    s, e = parts[MAIN_PART].offsets.to_raw([i], [i + 45])
    assert raw[int(s[0]):int(e[0])] == "permanent comprehensive strategic partnership"


def test_no_other_document_has_a_part(project_docs):
    for row in project_docs.itertuples():
        cleaned = clean_text(row.raw_text, RULES, doc_id=row.doc_id)
        assert bool(cleaned.parts) == (row.doc_id == "xi2022_xinhua"), row.doc_id


def test_wrapper_rule_on_other_wrappers():
    """The rule knows the shape, not the one text: another city and date, 'the full text of the speech'."""
    rule = next(r for r in RULES if r.id == "xinhua_wrapper")
    text = ("ASTANA, July 2 (Xinhua) -- Chinese President Xi Jinping delivered a speech on Wednesday.\n\n"
            "Following is the full text of the speech:\n\nDear friends,\n")
    out = clean_text(text, [rule])
    assert out.parts == (("wrapper", 0, text.index("Dear friends")),)
    assert clean_text("In BEIJING, Sept. 13 (Xinhua) -- text\n\nFollowing is the full text of it:\n\nX", [rule]).parts == ()
    assert clean_text("BEIJING, Sept. 13 (Xinhua) -- a report without a full text.\n\nMore.\n", [rule]).parts == ()


_PART_RULES = [
    CleaningRule("lead", re.compile(r"\AZq[^\n]*\n+"), "", "", part="wrapper"),
    CleaningRule("note", re.compile(r"a+[ .]?"), "", "", part="note"),
    CleaningRule("closing", re.compile(r"\n[^\n]*2023[^\n]*\Z"), "", "", part="wrapper"),
]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=50).map("".join),
       st.lists(st.sampled_from(RULES + _EXTRA_RULES + _PART_RULES), min_size=1, max_size=6))
def test_parts_and_their_offsets_match_the_reference(raw, rules):
    """Part rules anywhere in the chain: the parts, their cleaned and raw offsets, and each part cut out as a text
    equal the character-level reference."""
    out = clean_text(raw, rules)
    text, ref_start, ref_end, counts, runs = reference_clean(raw, rules, with_parts=True)
    assert out.text == text and out.rule_counts == counts
    assert out.parts == runs
    table = part_spans(out)
    assert table["start"].tolist()[0] == 0 and table["end"].tolist()[-1] == len(text)
    assert (table["start"].to_numpy()[1:] == table["end"].to_numpy()[:-1]).all()  # covers the text, in order
    for row in table.itertuples():
        if row.end > row.start:
            assert row.raw_start == ref_start[row.start] and row.raw_end == ref_end[row.end - 1]
    pieces = {}
    for name, a, b in [(r.part, r.start, r.end) for r in table.itertuples() if r.end > r.start]:
        pieces.setdefault(name, []).append((a, b))
    parts = split_parts(out)
    if not out.parts:
        assert parts == {MAIN_PART: out}
        return
    assert set(parts) == set(pieces)
    for name, spans in pieces.items():
        part = parts[name]
        assert part.text == PART_SEPARATOR.join(text[a:b] for a, b in spans)
        # every character of the part maps to the raw span of the character it was cut from
        origin = []
        for k, (a, b) in enumerate(spans):
            if k:  # the separator stands for the stretch it replaced: the raw span of that stretch
                gap = (spans[k - 1][1], a)
                origin += [gap] * len(PART_SEPARATOR)
            origin += list(range(a, b))
        i = np.arange(len(part.text))
        got_start, got_end = part.offsets.to_raw(i, i + 1)
        for j, o in enumerate(origin):
            if isinstance(o, tuple):
                assert (got_start[j], got_end[j]) == (ref_start[o[0]], ref_end[o[1] - 1])
            else:
                assert (got_start[j], got_end[j]) == (ref_start[o], ref_end[o])


def test_a_part_emptied_by_a_later_rule_disappears():
    rules = [CleaningRule("mark", re.compile("xx"), "", "", part="note"),
             CleaningRule("delete", re.compile("x+"), "", "")]
    out = clean_text("axxb", rules)
    assert out.text == "ab" and out.parts == () and out.rule_counts == {"mark": 1, "delete": 1}
    assert split_parts(out) == {MAIN_PART: out}


def test_raw_files_are_unchanged():
    """Cleaning and parts never write: every raw file still has the checksum recorded in corpus.csv."""
    import csv
    import hashlib

    with open(config.DATA_DIR / "corpus.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            data = (config.DATA_DIR / row["file"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == row["sha256"], row["file"]
