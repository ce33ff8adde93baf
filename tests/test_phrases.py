"""The phrase matcher: pattern language, leftmost-longest non-overlapping hits, boundaries, regex safety."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import write_corpus
from rhetoric import phrases
from rhetoric.corpus import load_corpus
from rhetoric.errors import LexiconError
from rhetoric.phrases import check_pattern, match_phrases, normalize_word, pattern_sequences
from rhetoric.tokens import tokenize


def corpus(tmp_path, *texts, fold=False):
    folder = write_corpus(tmp_path / "c", {f"d{i}": ("2022-01-01", "", "", "p", text)
                                           for i, text in enumerate(texts)})
    docs = load_corpus(folder)
    return docs, tokenize(docs, cache=False, fold_spelling=fold)


def table(*patterns):
    return pd.DataFrame({"name": [f"p{i}" for i in range(len(patterns))], "pattern": list(patterns)})


def surfaces(docs, hits):
    text = dict(zip(docs["doc_id"], docs["text"]))
    return [text[d][s:e] for d, s, e in zip(hits["doc_id"], hits["start"], hits["end"])]


# ----------------------------------------------------------------------------- the pattern language
def test_pattern_words_are_cut_like_the_corpus():
    assert normalize_word("China's") == ["china"]
    assert normalize_word("\u201cGood-Neighbourly\u201d") == ["good", "neighbourly"]
    assert normalize_word("China+Central") == ["china", "central"]
    assert normalize_word("win\u2013win") == ["win", "win"]
    assert normalize_word("\u2014") == []
    assert normalize_word("develop*") == ["develop*"]


def test_expansions():
    assert pattern_sequences("(shared | common) future (for mankind)?") == [
        (("word", "shared"), ("word", "future"), ("word", "for"), ("word", "mankind")),
        (("word", "shared"), ("word", "future")),
        (("word", "common"), ("word", "future"), ("word", "for"), ("word", "mankind")),
        (("word", "common"), ("word", "future")),
    ]
    assert pattern_sequences("terrorism, separatism and extremism") == [
        (("word", "terrorism"), ("word", "separatism"), ("word", "and"), ("word", "extremism"))]
    assert pattern_sequences("One Belt \u2013 One Road") == [
        (("word", "one"), ("word", "belt"), ("word", "one"), ("word", "road"))]
    assert check_pattern("the? (a | b) c") == 4


@pytest.mark.parametrize("pattern, message", [
    ("", "empty"), ("   ", "empty"), ("(a b", "not closed"), ("a b)", "unexpected ')'"),
    ("? a", "must follow"), ("()", "matches nothing"), ("\u2014", "matches nothing"),
    ("/[a-/", "not a valid regular expression"), ("a /b", "not closed"),
])
def test_malformed_patterns(pattern, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        check_pattern(pattern)


@pytest.mark.parametrize("regex", [r"(\w+\s?)+$", r"(a|aa)+b", r"(a|a)*b", r"(a+)+b", r"(x+x+)+y",
                                   r"(a?){30}a{30}", r"([a-z]+)*[0-9]"])
def test_catastrophic_regexes_are_rejected(regex):
    with pytest.raises(ValueError, match="backtrack catastrophically"):
        check_pattern(f"/{regex}/")


def test_a_catastrophic_regex_the_static_check_misses_is_stopped_by_the_time_limit(monkeypatch):
    # (a|aa)+b takes seconds on 40 letters with the regex module; the time limit must stop it.
    monkeypatch.setattr(phrases, "_star_height_problem", lambda text: None)
    monkeypatch.setattr(phrases, "REGEX_TIMEOUT", 0.05)
    with pytest.raises(ValueError, match="backtracks catastrophically"):
        check_pattern("/(a|aa)+b/")


def test_safe_regexes_pass():
    assert check_pattern("/partner(s|ship)/") == 1
    assert check_pattern("/colou?r/ /[a-z]+ism/") == 1


def test_bad_pattern_in_a_table_is_a_lexicon_error(tmp_path):
    docs, tokens = corpus(tmp_path, "Some text here.")
    with pytest.raises(LexiconError, match=r"pattern '\(a b'"):
        match_phrases(tokens, table("(a b"))
    with pytest.raises(LexiconError, match="no 'pattern' column"):
        match_phrases(tokens, pd.DataFrame({"x": ["a"]}))


# ----------------------------------------------------------------------------- matching
def test_optional_alternative_glob_regex_and_case(tmp_path):
    docs, tokens = corpus(tmp_path,
                          "A community with a shared future for mankind. A community of common future. "
                          "Development and developing nations. Partners, partnership and a partner. "
                          "The BELT AND ROAD.")
    hits = match_phrases(tokens, table("community (with a shared | of common) future (for mankind)?",
                                       "develop*", "/partner(s|ship)/", "belt and road"))
    assert surfaces(docs, hits) == ["community with a shared future for mankind", "community of common future",
                                    "Development", "developing", "Partners", "partnership", "BELT AND ROAD"]
    assert hits["name"].tolist() == ["p0", "p0", "p1", "p1", "p2", "p2", "p3"]


def test_hyphen_quote_and_line_break_tolerance(tmp_path):
    raw = ("Win-win cooperation, win win cooperation and win\u2013win cooperation.\n"
           "Another \u201cgolden thirty years\u201d. A community with a\nshared future. China's rise.")
    docs, tokens = corpus(tmp_path, raw)
    hits = match_phrases(tokens, table("win-win cooperation", '"golden thirty years"',
                                       "community with a shared future", "China's rise"))
    assert surfaces(docs, hits) == ["Win-win cooperation", "win win cooperation", "win-win cooperation",
                                    "golden thirty years", "community with a\nshared future", "China's rise"]
    raw_text = docs["raw_text"].iloc[0]
    assert [raw_text[s:e] for s, e in zip(hits["raw_start"], hits["raw_end"])] == [
        "Win-win cooperation", "win win cooperation", "win\u2013win cooperation", "golden thirty years",
        "community with a\nshared future", "China's rise"]


def test_leftmost_longest_and_non_overlapping(tmp_path):
    docs, tokens = corpus(tmp_path,
                          "A permanent comprehensive strategic partnership. Then a comprehensive strategic "
                          "partnership and a strategic partnership. Alpha beta gamma delta.")
    hits = match_phrases(tokens, table("strategic partnership", "comprehensive strategic partnership",
                                       "permanent comprehensive strategic partnership",
                                       "beta gamma delta", "alpha beta"))
    assert surfaces(docs, hits) == ["permanent comprehensive strategic partnership",
                                    "comprehensive strategic partnership", "strategic partnership", "Alpha beta"]
    assert hits["name"].tolist() == ["p2", "p1", "p0", "p4"]
    assert hits["token_start"].tolist() == [1, 7, 12, 14]
    assert hits["token_end"].tolist() == [5, 10, 14, 16]


def test_exact_ties_go_to_the_earlier_row(tmp_path):
    docs, tokens = corpus(tmp_path, "Win-win cooperation.")
    hits = match_phrases(tokens, table("win win cooperation", "win-win cooperation"))
    assert hits["name"].tolist() == ["p0"]


def test_hits_never_cross_a_sentence_or_a_token_boundary(tmp_path):
    docs, tokens = corpus(tmp_path,
                          "A shared. Future here. The China-Kazakhstan community grew. China grew. "
                          "China Kazakhstan ties.")
    hits = match_phrases(tokens, table("shared future", "Kazakhstan community", "China", "China-Kazakhstan"))
    # "shared. Future" crosses a sentence; "Kazakhstan community" starts inside a token; "China" alone
    # would end inside "China-Kazakhstan"; "China-Kazakhstan" also matches two separate tokens.
    assert surfaces(docs, hits) == ["China-Kazakhstan", "China", "China Kazakhstan"]
    assert hits["name"].tolist() == ["p3", "p2", "p3"]


def test_spelling_folding_applies_to_patterns(tmp_path):
    docs, tokens = corpus(tmp_path, "Good-neighbourly friendship and good-neighborly friendship.", fold=True)
    hits = match_phrases(tokens, table("good-neighbourly friendship"))
    assert surfaces(docs, hits) == ["Good-neighbourly friendship", "good-neighborly friendship"]


def test_columns_offsets_and_empty_results(tmp_path):
    docs, tokens = corpus(tmp_path, "First paragraph here.\n\nA mutual trust grows.", "Nothing.")
    hits = match_phrases(tokens, table("mutual trust", "absent words"))
    assert list(hits.columns) == ["name", "pattern", "doc_id", "token_start", "token_end", "start", "end",
                                  "raw_start", "raw_end", "sentence", "paragraph"]
    row = hits.iloc[0]
    assert (row["doc_id"], row["token_start"], row["token_end"], row["sentence"], row["paragraph"]) == \
        ("d0", 4, 6, 1, 1)
    none = match_phrases(tokens, table("absent words"))
    assert len(none) == 0 and list(none.columns) == list(hits.columns)


def _brute_force(sentences: list[list[str]], patterns: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Leftmost-longest, non-overlapping, earliest row on ties: (sentence, start, end, row), by loops."""
    out = []
    for s, words in enumerate(sentences):
        i = 0
        while i < len(words):
            best = None
            for row, pattern in enumerate(patterns):
                n = len(pattern)
                if words[i:i + n] == pattern and (best is None or n > best[1]):
                    best = (row, n)
            if best:
                out.append((s, i, i + best[1], best[0]))
                i += best[1]
            else:
                i += 1
    return out


def test_matches_a_brute_force_reference_on_random_text(tmp_path):
    rng = np.random.default_rng(7)
    alphabet = ["alpha", "beta", "gamma", "delta"]
    sentences = [list(rng.choice(alphabet, size=rng.integers(1, 12))) for _ in range(300)]
    text = " ".join(" ".join(words).capitalize() + "." for words in sentences)
    patterns = [list(rng.choice(alphabet, size=rng.integers(1, 4))) for _ in range(12)]
    docs, tokens = corpus(tmp_path, text)
    hits = match_phrases(tokens, table(*[" ".join(p) for p in patterns]))
    first_token_of_sentence = np.concatenate([[0], np.cumsum([len(s) for s in sentences])])
    got = [(int(sent), int(a - first_token_of_sentence[sent]), int(b - first_token_of_sentence[sent]), int(r[1:]))
           for sent, a, b, r in zip(hits["sentence"], hits["token_start"], hits["token_end"], hits["name"])]
    expected = _brute_force(sentences, patterns)
    assert len(expected) > 100
    assert got == expected
