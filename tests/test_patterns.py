"""The pattern layer: the language, the matcher's rules against a brute-force reference, limits and safety.

The reference (``expand``, ``reference_hits``) is plain Python over token strings: alternatives and optional
parts expanded by string rewriting, each token split at hyphens for loose matching, ``fnmatch`` for globs,
``re.fullmatch`` for regular expressions, every start and every sequence tried one by one.
"""

from __future__ import annotations

import fnmatch
import re
import time
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_corpus
from rhetoric.corpus import load_corpus
from rhetoric.corpus.tokens import tokenize, tokenize_text, tokens_frame
from rhetoric.counts import count_matches
from rhetoric.errors import ParameterError
from rhetoric.formulas.lexicon import load_formula_lexicon
from rhetoric.patterns import (HIT_COLUMNS, MAX_DEPTH, MAX_EXPANSIONS, MAX_PATTERN_CHARS, check_pattern, find,
                               match_each, match_positions, parse_pattern, pattern_sequences)
from rhetoric.stats.dispersion import dispersion
from rhetoric.stats.frequency import term_frequencies
from rhetoric.stats.kwic import kwic


def corpus(tmp_path, *texts, fold=False):
    folder = write_corpus(tmp_path / "c", {f"d{i}": ("2022-01-01", "", "", "p", text)
                                           for i, text in enumerate(texts)})
    docs = load_corpus(folder)
    return docs, tokenize(docs, cache=False, fold_spelling=fold)


def plain(*texts):
    """A documents table without a folder (doc_id, text) and its tokens."""
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    return docs, tokenize(docs, cache=False)


def table(*patterns):
    return pd.DataFrame({"name": [f"p{i}" for i in range(len(patterns))], "pattern": list(patterns)})


def surfaces(docs, hits):
    text = dict(zip(docs["doc_id"], docs["text"]))
    return [text[d][s:e] for d, s, e in zip(hits["doc_id"], hits["start"], hits["end"])]


# ============================================================================ the reference
_REGEX = re.compile(r"/(?:[^/\\]|\\.)+/")
_ASCII = str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-"})


def expand(pattern: str) -> list[tuple[tuple[str, str], ...]]:
    """The word sequences of a glob pattern, by string rewriting: ``(a|b)`` and ``x?`` expanded one at a time.

    Elements: ``("w", type)`` a literal token type (cut by the tokenizer), ``("g", glob)``, ``("r", regex)``.
    """
    regexes = _REGEX.findall(pattern)
    for i, rx in enumerate(regexes):
        pattern = pattern.replace(rx, f" \x00{i} ", 1)

    def rewrite(p: str) -> list[list[str]]:
        group = re.search(r"\(([^()]*)\)\s*(\?)?", p)
        if group:
            options = group.group(1).split("|") + ([""] if group.group(2) else [])
            return [s for o in options for s in rewrite(p[:group.start()] + " " + o + " " + p[group.end():])]
        optional = re.search(r"(\S+?)\s*\?", p)
        if optional:
            return (rewrite(p[:optional.start()] + " " + optional.group(1) + " " + p[optional.end():])
                    + rewrite(p[:optional.start()] + " " + p[optional.end():]))
        return [p.split()]

    out = []
    for words in rewrite(pattern):
        seq = []
        for w in words:
            if w.startswith("\x00"):
                seq.append(("r", regexes[int(w[1:])][1:-1]))
            elif "*" in w or "[" in w:
                seq.append(("g", w.lower()))
            else:
                seq.extend(("w", t) for t in tokenize_text(w))
        if seq and tuple(seq) not in out:
            out.append(tuple(seq))
    return out


def _american(word: str) -> str:
    """A word's American spelling, part by part, read from data/spelling.csv here (not through the package)."""
    import csv

    from rhetoric import config

    global _SPELLING
    if _SPELLING is None:
        with open(config.SPELLING_FILE, encoding="utf-8", newline="") as handle:
            _SPELLING = {r["british"].strip().lower(): r["american"].strip().lower() for r in csv.DictReader(handle)}
    return "-".join(_SPELLING.get(part, part) for part in word.split("-"))


_SPELLING = None


def match_at(forms: list[str], i: int, seq, *, loose: bool, case_sensitive: bool) -> int | None:
    """The longest end (exclusive token index) of ``seq`` matched from token ``i`` of a sentence, or None.

    A word is matched hyphen-part by hyphen-part (loose) or as a whole token (strict), British and American
    spellings alike unless case-sensitive; a glob or regex takes a whole token, or with loose hyphens one
    hyphen-part; a hit ends at a token boundary.
    """
    same = (lambda a, b: a == b) if case_sensitive else (lambda a, b: _american(a) == _american(b))
    def fits(kind, text, form):
        if kind == "g":
            return fnmatch.fnmatchcase(form, text)
        return re.fullmatch(text, form, 0 if case_sensitive else re.IGNORECASE) is not None

    def ends(e: int, t: int, k: int):                # element e next, at token t, hyphen-part k of it
        if e == len(seq):
            return [t] if k == 0 else []
        if t >= len(forms):
            return []
        pieces = forms[t].split("-") if loose else [forms[t]]
        kind, text = seq[e]
        if kind == "w":
            parts = text.split("-") if loose else [text]
            tt, kk = t, k
            for part in parts:
                if tt >= len(forms):
                    return []
                here = forms[tt].split("-") if loose else [forms[tt]]
                if not same(here[kk], part):
                    return []
                kk += 1
                if kk == len(here):
                    tt, kk = tt + 1, 0
            return ends(e + 1, tt, kk)
        found = []
        if k == 0 and fits(kind, text, forms[t]):    # the whole token
            found += ends(e + 1, t + 1, 0)
        if loose and len(pieces) > 1 and fits(kind, text, pieces[k]):  # one hyphen-part
            found += ends(e + 1, *((t + 1, 0) if k + 1 == len(pieces) else (t, k + 1)))
        return found

    found = ends(0, i, 0)
    return max(found) if found else None


def sentences_of(tokens, docs, *, case_sensitive=False) -> list[list[tuple[int, str]]]:
    """Every sentence as (corpus-wide token index, form); form = type, or the token as written."""
    frame = tokens_frame(tokens, docs)
    forms = (frame["token"].str.translate(_ASCII) if case_sensitive else frame["type"]).tolist()
    out: dict[int, list] = {}
    for index, (sentence, form) in enumerate(zip(frame["sentence"].tolist(), forms)):
        out.setdefault(sentence, []).append((index, form))
    return list(out.values())


def reference_hits(sentences, patterns, *, loose=True, case_sensitive=False, overlapping=True):
    """``[(start, end, row)]``: at each start the longest hit (the first pattern on ties), none wholly inside
    an earlier hit; then, without overlaps, leftmost-longest."""
    hits = []
    # only a sequence whose first element can take a token's first part is tried there (the same search, faster)
    first_word: dict[str, list] = {}
    other: list = []
    for row, sequences in enumerate(patterns):
        for seq in sequences:
            kind, text = seq[0]
            if kind == "w":
                key = text.split("-")[0] if loose else text
                first_word.setdefault(key if case_sensitive else _american(key), []).append((row, seq))
            else:
                other.append((row, seq))
    for sentence in sentences:
        forms = [f for _, f in sentence]
        for i in range(len(forms)):
            best = None
            head = forms[i].split("-")[0] if loose else forms[i]
            tried = first_word.get(head if case_sensitive else _american(head), []) + other
            for row, seq in sorted(tried, key=lambda item: item[0]):
                end = match_at(forms, i, seq, loose=loose, case_sensitive=case_sensitive)
                if end is not None and (best is None or end > best[0]):
                    best = (end, row)
            if best:
                hit = (sentence[i][0], sentence[best[0] - 1][0] + 1, best[1])
                if not any(start <= hit[0] and hit[1] <= end for start, end, _ in hits):
                    hits.append(hit)
    if not overlapping:
        kept, blocked = [], -1
        for hit in hits:
            if hit[0] >= blocked:
                kept.append(hit)
                blocked = hit[1]
        hits = kept
    return hits


def got_hits(tokens, patterns, **options):
    start, end, row = match_positions(tokens, patterns, **options)
    return list(zip(start.tolist(), end.tolist(), row.tolist()))


# ============================================================================ the pattern language
def test_pattern_words_are_cut_like_the_corpus():
    words = lambda p: [e for seq in pattern_sequences(p) for e in seq]  # noqa: E731
    assert words("China's") == [("word", "china"), ("word", "'s")]
    assert words("China\u2019s") == [("word", "china"), ("word", "'s")]
    assert words("\u201cGood-Neighbourly\u201d") == [("word", "good-neighbourly")]
    assert words("China+Central") == [("word", "china"), ("word", "central")]
    assert words("win\u2013win") == [("word", "win-win")]        # an en dash is read as a hyphen
    assert words("$21.2 billion") == [("word", "$"), ("word", "21.2"), ("word", "billion")]
    assert words("U.S.") == [("word", "u.s")]
    assert words("develop*") == [("glob", "develop*")]
    assert words("/partner(s|ship)/") == [("regex", "partner(s|ship)")]
    with pytest.raises(ParameterError, match="matches nothing"):
        pattern_sequences("\u2014")


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
    # "?" makes a word optional; it is not a one-letter glob
    assert check_pattern("c?mmunity") == 2
    # a sequence of no words is dropped: "(the)? (a)?" is "the a", "the" or "a"
    assert check_pattern("(the)? (a)?") == 3
    # valuetype="regex": each space-separated part is one regular expression; "fixed": literal words
    assert pattern_sequences("(shared|common) future", valuetype="regex") == [
        (("regex", "(shared|common)"), ("regex", "future"))]
    assert pattern_sequences("the? develop*", valuetype="fixed") == [(("word", "the"), ("word", "develop"))]


def test_the_reference_expands_like_the_parser():
    # the test's own expansion (string rewriting) against sequences written out by hand
    assert expand("(shared | common) future (for mankind)?") == [
        (("w", "shared"), ("w", "future"), ("w", "for"), ("w", "mankind")), (("w", "shared"), ("w", "future")),
        (("w", "common"), ("w", "future"), ("w", "for"), ("w", "mankind")), (("w", "common"), ("w", "future"))]
    assert expand("the? golden * /years?/") == [(("w", "the"), ("w", "golden"), ("g", "*"), ("r", "years?")),
                                                 (("w", "golden"), ("g", "*"), ("r", "years?"))]
    assert expand("China's good-(neighborliness | neighbourliness)") == [
        (("w", "china"), ("w", "'s"), ("w", "good"), ("w", "neighborliness")),
        (("w", "china"), ("w", "'s"), ("w", "good"), ("w", "neighbourliness"))]


@pytest.mark.parametrize("pattern, message", [
    ("", "is empty"), ("   ", "is empty"), (None, "is empty"), ("(a b", "a '(' is not closed"),
    ("a b)", "unexpected ')'"), ("? a", "'?' must follow a word or a group"), ("()", "matches nothing"),
    ("\u2014", "matches nothing"), ("(,)?", "matches nothing"),
    ("/[a-/", "not a valid regular expression"), ("a /b", "a '/regex/' is not closed"),
])
def test_malformed_patterns(pattern, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        check_pattern(pattern)


def test_unknown_options_name_the_choices(tmp_path):
    docs, tokens = plain("Some text here.")
    with pytest.raises(ParameterError, match="valuetype='fuzzy' is not known; use one of glob, regex, fixed"):
        find(tokens, "text", valuetype="fuzzy")
    with pytest.raises(ParameterError, match="hyphens='maybe' is not known; use 'loose'"):
        find(tokens, "text", hyphens="maybe")
    with pytest.raises(ParameterError, match="holds no word"):
        find(tokens, "...", valuetype="fixed")
    with pytest.raises(ParameterError, match="case_sensitive=True needs docs"):
        find(tokens, "text", case_sensitive=True)
    with pytest.raises(ParameterError, match=r"pattern '\(a b'"):
        find(tokens, table("text", "(a b"))
    with pytest.raises(ParameterError, match="no 'pattern' column; its columns are x"):
        find(tokens, pd.DataFrame({"x": ["a"]}))


# ============================================================================ limits (issue 14)
def _refused_quickly(call, message):
    began = time.process_time()
    with pytest.raises(ParameterError, match=message):
        call()
    assert time.process_time() - began < 2.0


class Stopwatch:
    """CPU seconds (the regex module's timeout counts CPU time) and wall seconds of a block."""

    def __enter__(self):
        self.cpu, self.wall = time.process_time(), time.monotonic()
        return self

    def __exit__(self, *exc):
        self.cpu, self.wall = time.process_time() - self.cpu, time.monotonic() - self.wall
        return False


def test_length_depth_and_expansion_limits():
    _, tokens = plain("A b c.")
    too_long = "a " * (MAX_PATTERN_CHARS // 2 + 1)
    _refused_quickly(lambda: check_pattern(too_long), f"too long \\(at most {MAX_PATTERN_CHARS}\\); split it")
    nested = "(" * 10_000 + "a" + ")" * 10_000                  # no RecursionError, no long wait
    _refused_quickly(lambda: check_pattern(nested), "too long")
    _refused_quickly(lambda: find(tokens, nested), "too long")
    deep = "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1)
    _refused_quickly(lambda: check_pattern(deep), f"nests groups more than {MAX_DEPTH} deep; write the alternatives")
    assert check_pattern("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH) == 1
    _refused_quickly(lambda: check_pattern("/" + "(" * 900 + "a" + ")" * 900 + "/"), "nests too deeply|valid regular")
    _refused_quickly(lambda: check_pattern("(" * 900 + "a" + ")" * 900, valuetype="regex"),
                     "nests too deeply|valid regular")
    # 2**13 sequences from binary groups, from optional words, from alternatives at the top level
    groups = " ".join(f"(x{i}|y{i})" for i in range(13))
    _refused_quickly(lambda: check_pattern(groups), f"expands to more than {MAX_EXPANSIONS} word sequences")
    optional = " ".join(f"w{i}?" for i in range(13)) + " end"
    _refused_quickly(lambda: check_pattern(optional), f"more than {MAX_EXPANSIONS}")
    block = " ".join(f"(a{i}|b{i})" for i in range(12))        # 4096 each, 13 alternatives of them
    top = " | ".join(block.replace("a", f"a{k}x") for k in range(13))
    assert len(top) <= MAX_PATTERN_CHARS
    _refused_quickly(lambda: check_pattern(top), f"more than {MAX_EXPANSIONS}")
    _refused_quickly(lambda: find(tokens, top), f"more than {MAX_EXPANSIONS}")
    assert check_pattern(block) == MAX_EXPANSIONS


LONG_TOKEN = "a" * 5000 + "bc"


@pytest.mark.parametrize("how", ["slashes", "valuetype"])
def test_catastrophic_regex_stops_at_the_time_limit(how):
    # (a|aa)*b backtracks without end on "aaa...abc" (no full match); the regex timeout stops it
    docs, tokens = plain(f"Some words. A long one: {LONG_TOKEN}! Then more.")
    call = ((lambda: find(tokens, "/(a|aa)*b/")) if how == "slashes"
            else (lambda: find(tokens, "(a|aa)*b", valuetype="regex")))
    with Stopwatch() as watch, pytest.raises(ParameterError, match=r"took over 1 s on one word .* simplify it or "
                                                                   "use a glob"):
        call()
    # about 1 s of CPU; the wall clock only bounds a hang (other processes share the machine)
    assert watch.cpu < 3.0 and watch.wall < 30


def test_nested_repetition_on_a_long_token_finishes():
    # (a+)+$ is the textbook catastrophic case; the regex module either answers quickly or times out
    docs, tokens = plain(f"Some words. The long one: {LONG_TOKEN}! And {'a' * 300}.")
    for pattern in ("/(a+)+$/", "/(a+)+b/"):
        with Stopwatch() as watch:
            try:
                hits = find(tokens, pattern)
            except ParameterError as error:
                assert "took over" in str(error)
            else:
                expected = 1 if pattern == "/(a+)+$/" else 0      # only the 300-letter token matches (a+)+$
                assert len(hits) == expected
        assert watch.cpu < 3.0 and watch.wall < 30


def test_a_benign_regex_on_a_large_vocabulary_is_not_stopped():
    # 150,000 distinct words: the time budget grows with the vocabulary, so a plain regex is not refused
    # (a fixed budget of 1 s for the whole vocabulary refused it on a loaded machine)
    words = [f"w{i:06d}" for i in range(150_000)]
    docs, tokens = plain(" ".join(words) + ".")
    assert len(tokens.vocab) == 150_000
    hits = find(tokens, "/w00001[0-9]/ /w0000(2|3)[0-9]/")
    assert hits["token_start"].tolist() == [19]                  # w000019 w000020


def test_safe_regexes_pass():
    assert check_pattern("/partner(s|ship)/") == 1
    assert check_pattern("/colou?r/ /[a-z]+ism/") == 1


FUZZ_DOCS, FUZZ_TOKENS = plain("Win-win cooperation, China's $21.2 billion. The U.S. and K.K. Tokayev.",
                               "Golden thirty years! aaa-b c. Ab ab AB.")
FUZZ_ALPHABET = st.sampled_from(list("()|?/*[]!-^$\\{}.,' ab") + ["win", "golden", "\u2013", "{99999}", "(?",
                                                                   "[z-a]", "'s", "\u0130", "  "])


@settings(max_examples=2500, deadline=timedelta(seconds=5), suppress_health_check=list(HealthCheck),
          derandomize=True)
@given(pattern=st.one_of(st.lists(FUZZ_ALPHABET, max_size=24).map("".join), st.text(max_size=30)),
       valuetype=st.sampled_from(["glob", "regex", "fixed"]), hyphens=st.sampled_from(["loose", "strict"]),
       case_sensitive=st.booleans())
def test_fuzz_patterns_work_or_raise_a_parameter_error(pattern, valuetype, hyphens, case_sensitive):
    try:
        parse_pattern(pattern, valuetype=valuetype, case_sensitive=case_sensitive)
        check_pattern(pattern, valuetype=valuetype)
        hits = find(FUZZ_TOKENS, pattern, valuetype=valuetype, hyphens=hyphens, case_sensitive=case_sensitive,
                    docs=FUZZ_DOCS)
    except ParameterError:
        return
    assert list(hits.columns)[:1] == ["pattern"] and (hits["token_end"] > hits["token_start"]).all()



# ============================================================================ matching, by hand
def test_optional_alternative_glob_regex_and_case(tmp_path):
    docs, tokens = corpus(tmp_path,
                          "A community with a shared future for mankind. A community of common future. "
                          "Development and developing nations. Partners, partnership and a partner. "
                          "The BELT AND ROAD.")
    hits = find(tokens, table("community (with a shared | of common) future (for mankind)?",
                              "develop*", "/partner(s|ship)/", "belt and road"), overlapping=False)
    assert surfaces(docs, hits) == ["community with a shared future for mankind", "community of common future",
                                    "Development", "developing", "Partners", "partnership", "BELT AND ROAD"]
    assert hits["name"].tolist() == ["p0", "p0", "p1", "p1", "p2", "p2", "p3"]
    assert find(tokens, "belt AND road", case_sensitive=True, docs=docs).empty
    assert surfaces(docs, find(tokens, "BELT AND ROAD", case_sensitive=True, docs=docs)) == ["BELT AND ROAD"]
    assert surfaces(docs, find(tokens, "D*", case_sensitive=True, docs=docs)) == ["Development"]


def test_hyphen_quote_and_line_break_tolerance(tmp_path):
    raw = ("Win-win cooperation, win win cooperation and win\u2013win cooperation.\n"
           "Another \u201cgolden thirty years\u201d. A community with a\nshared future. China's rise.")
    docs, tokens = corpus(tmp_path, raw)
    hits = find(tokens, table("win-win cooperation", '"golden thirty years"', "community with a shared future",
                              "China's rise"), docs=docs)
    assert surfaces(docs, hits) == ["Win-win cooperation", "win win cooperation", "win-win cooperation",
                                    "golden thirty years", "community with a\nshared future", "China's rise"]
    raw_text = docs["raw_text"].iloc[0]
    assert [raw_text[s:e] for s, e in zip(hits["raw_start"], hits["raw_end"])] == [
        "Win-win cooperation", "win win cooperation", "win\u2013win cooperation", "golden thirty years",
        "community with a\nshared future", "China's rise"]
    # strict hyphens: win-win is one token, not two words
    strict = find(tokens, ["win-win cooperation", "win win cooperation"], hyphens="strict")
    assert strict["pattern"].tolist() == ["win-win cooperation", "win win cooperation", "win-win cooperation"]


def test_a_glob_takes_a_whole_token_or_with_loose_hyphens_one_part(tmp_path):
    """good neighbo* = good neighbo* in "good-neighborly" (as "good neighborly"); golden * takes all of win-win."""
    _, tokens = plain("Good-neighborly ties. A golden win-win plan. Good neighbourly ties.")
    # tokens: good-neighborly0 ties1 | a2 golden3 win-win4 plan5 | good6 neighbourly7 ties8
    assert got_hits(tokens, "good neighbo*") == [(0, 1, 0), (6, 8, 0)]
    assert got_hits(tokens, "good neighbo*", hyphens="strict") == [(6, 8, 0)]
    assert got_hits(tokens, "golden *") == [(3, 5, 0)]                     # the whole token win-win
    assert got_hits(tokens, "golden win *") == [(3, 5, 0)]                 # or its second part
    assert got_hits(tokens, "golden *", hyphens="strict") == [(3, 5, 0)]
    assert got_hits(tokens, "good /neighbo(u)?rly/ ties") == [(0, 2, 0), (6, 9, 0)]
    assert got_hits(tokens, "/neighbo(u)?rly/ ties") == [(7, 9, 0)]        # a hit starts at a token start
    assert got_hits(tokens, "neighbo*") == [(7, 8, 0)]


def test_loose_hyphens_without_any_hyphenated_token(tmp_path):
    # "win-win" must find "win win" even where the corpus has no hyphenated token at all
    docs, tokens = plain("Win win cooperation. Good neighbours.")
    assert find(tokens, "win-win")[["token_start", "token_end"]].values.tolist() == [[0, 2]]
    assert find(tokens, "win-win", hyphens="strict").empty
    # a corpus whose hyphen-parts happen to number like its types: the first listed pattern still wins a tie
    docs, tokens = plain("Win-win cooperation. Good neighbours.")
    assert find(tokens, ["win-win", "win win"])["pattern"].tolist() == ["win-win"]
    assert find(tokens, ["win win", "win-win"])["pattern"].tolist() == ["win win"]


def test_leftmost_longest_and_overlapping(tmp_path):
    docs, tokens = corpus(tmp_path,
                          "A permanent comprehensive strategic partnership. Then a comprehensive strategic "
                          "partnership and a strategic partnership. Alpha beta gamma delta.")
    # tokens: a(0) permanent(1) comprehensive(2) strategic(3) partnership(4) | then(5) a(6) comprehensive(7)
    #         strategic(8) partnership(9) and(10) a(11) strategic(12) partnership(13) | alpha(14) beta(15)
    #         gamma(16) delta(17)
    patterns = table("strategic partnership", "comprehensive strategic partnership",
                     "permanent comprehensive strategic partnership", "beta gamma delta", "alpha beta")
    lexicon = find(tokens, patterns, overlapping=False)
    assert surfaces(docs, lexicon) == ["permanent comprehensive strategic partnership",
                                       "comprehensive strategic partnership", "strategic partnership", "Alpha beta"]
    assert lexicon["name"].tolist() == ["p2", "p1", "p0", "p4"]
    assert lexicon["token_start"].tolist() == [1, 7, 12, 14]
    assert lexicon["token_end"].tolist() == [5, 10, 14, 16]
    # overlapping=True (the default): the longest hit at every start, except hits wholly inside an earlier
    # one ("comprehensive strategic partnership" inside the permanent one); partial overlaps stay (14-16, 15-18)
    every = find(tokens, patterns)
    assert list(zip(every["token_start"], every["token_end"], every["name"])) == [
        (1, 5, "p2"), (7, 10, "p1"), (12, 14, "p0"), (14, 16, "p4"), (15, 18, "p3")]
    # a single pattern counts overlapping hits like an n-gram count: "very very" twice in "very very very"
    _, repeated = plain("Very very very good.")
    assert got_hits(repeated, "very very") == [(0, 2, 0), (1, 3, 0)]
    assert got_hits(repeated, "very very", overlapping=False) == [(0, 2, 0)]
    # but a hit wholly inside an earlier one is part of it: an optional first word does not make two lines
    _, belt = plain("The belt and road, and the belt and road initiative.")
    # tokens: the0 belt1 and2 road3 and4 the5 belt6 and7 road8 initiative9 (one sentence)
    assert got_hits(belt, "the? belt and road (initiative)?") == [(0, 4, 0), (5, 10, 0)]
    assert got_hits(belt, ["the? belt and road", "road"]) == [(0, 4, 0), (5, 9, 0)]  # each "road" is inside a hit


def test_exact_ties_go_to_the_earlier_row(tmp_path):
    docs, tokens = corpus(tmp_path, "Win-win cooperation.")
    assert find(tokens, table("win win cooperation", "win-win cooperation"))["name"].tolist() == ["p0"]
    assert find(tokens, table("win-win cooperation", "win win cooperation"))["name"].tolist() == ["p0"]


def test_hits_never_cross_a_sentence_or_a_token_boundary(tmp_path):
    docs, tokens = corpus(tmp_path,
                          "A shared. Future here. The China-Kazakhstan community grew. China grew. "
                          "China Kazakhstan ties.")
    hits = find(tokens, table("shared future", "Kazakhstan community", "China", "China-Kazakhstan"))
    # "shared. Future" crosses a sentence; "Kazakhstan community" starts inside a token; "China" alone
    # would end inside "China-Kazakhstan"; "China-Kazakhstan" also matches two separate tokens.
    assert surfaces(docs, hits) == ["China-Kazakhstan", "China", "China Kazakhstan"]
    assert hits["name"].tolist() == ["p3", "p2", "p3"]
    # nor a document boundary: d0 ends "... ties", d1 starts "Trade"
    docs, tokens = plain("Trade ties", "Trade grew")
    assert find(tokens, "ties trade").empty and len(find(tokens, "trade")) == 2


def test_spelling_folding_applies_to_patterns(tmp_path):
    docs, tokens = corpus(tmp_path, "Good-neighbourly friendship and good-neighborly friendship.", fold=True)
    hits = find(tokens, table("good-neighbourly friendship"))
    assert surfaces(docs, hits) == ["Good-neighbourly friendship", "good-neighborly friendship"]


def test_columns_offsets_and_empty_results(tmp_path):
    docs, tokens = corpus(tmp_path, "First paragraph here.\n\nA mutual trust grows.", "Nothing.")
    hits = find(tokens, table("mutual trust", "absent words"), docs=docs)
    assert list(hits.columns) == ["name", "pattern"] + HIT_COLUMNS + ["raw_start", "raw_end"]
    row = hits.iloc[0]
    # tokens of d0: first paragraph here | a mutual(4) trust(5) grows; sentence 1, paragraph 1
    assert (row["doc_id"], row["token_start"], row["token_end"], row["sentence"], row["paragraph"]) == \
        ("d0", 4, 6, 1, 1)
    assert (row["start"], row["end"]) == (25, 37)
    none = find(tokens, table("absent words"), docs=docs)
    assert len(none) == 0 and list(none.columns) == list(hits.columns)


def test_match_positions_on_the_tiny_corpus(tiny_tokens):
    # corpus-wide positions: a_official 0-12, b_unofficial 13-25, c_2024 26-43
    # c_2024: trade(26) grew to $(29) 21.2 billion | trade and security matter | security security |
    #         the(38) community with a shared(42) future(43)
    assert match_positions(tiny_tokens, "shared future")[0].tolist() == [4, 42]
    assert match_positions(tiny_tokens, "Future win-win")[0].tolist() == []       # across a sentence end
    start, end, _ = match_positions(tiny_tokens, "$21.2 billion")
    assert (start.tolist(), end.tolist()) == ([29], [32])
    assert match_positions(tiny_tokens, "not in corpus")[0].tolist() == []


def test_match_each_matches_terms_one_by_one(tiny_tokens):
    # "the community" and "community with a" overlap; each term is matched on its own
    start, end, which = match_each(tiny_tokens, ["community with a", "the community"])
    assert list(zip(start.tolist(), end.tolist(), which.tolist())) == [
        (0, 2, 1), (1, 4, 0), (13, 15, 1), (38, 40, 1), (39, 42, 0)]


def test_brute_force_on_alternating_words(tmp_path):
    rng = np.random.default_rng(7)
    alphabet = ["alpha", "beta", "gamma", "delta"]
    sentences = [list(rng.choice(alphabet, size=rng.integers(1, 12))) for _ in range(300)]
    text = " ".join(" ".join(words).capitalize() + "." for words in sentences)
    patterns = [" ".join(rng.choice(alphabet, size=rng.integers(1, 4))) for _ in range(12)]
    docs, tokens = plain(text)
    for overlapping in (False, True):
        expected = reference_hits(sentences_of(tokens, docs), [expand(p) for p in patterns],
                                  overlapping=overlapping)
        assert len(expected) > 100
        assert got_hits(tokens, patterns, overlapping=overlapping) == expected


# ============================================================================ against the reference
PROJECT_PATTERNS = {
    # pattern: its word sequences, written out by hand
    "cooperation": [[("w", "cooperation")]],
    "win-win": [[("w", "win-win")]],
    "people-to-people exchanges": [[("w", "people-to-people"), ("w", "exchanges")]],
    "China-Kazakhstan": [[("w", "china-kazakhstan")]],
    "shared future": [[("w", "shared"), ("w", "future")]],
    "China's": [[("w", "china"), ("w", "'s")]],
    "golden *": [[("w", "golden"), ("g", "*")]],
    "develop*": [[("g", "develop*")]],
    "strateg* partner*": [[("g", "strateg*"), ("g", "partner*")]],
    "(shared | common) (future | destiny)": [[("w", "shared"), ("w", "future")], [("w", "shared"), ("w", "destiny")],
                                            [("w", "common"), ("w", "future")], [("w", "common"), ("w", "destiny")]],
    "the? belt and road": [[("w", "the"), ("w", "belt"), ("w", "and"), ("w", "road")],
                           [("w", "belt"), ("w", "and"), ("w", "road")]],
    "community (with a shared | of common) (future | destiny) (for mankind)?": [
        [("w", "community"), *[("w", w) for w in m.split()], ("w", e), *[("w", w) for w in tail.split()]]
        for m in ("with a shared", "of common") for e in ("future", "destiny") for tail in ("for mankind", "")],
    "/partner(s|ship)?/": [[("r", "partner(s|ship)?")]],
    "/[0-9]+/ /years?/": [[("r", "[0-9]+"), ("r", "years?")]],
    "china *": [[("w", "china"), ("g", "*")]],
    "kazakhstan": [[("w", "kazakhstan")]],
    "'s": [[("w", "'s")]],
}


def _hand(sequences):
    return [tuple(seq) for seq in sequences]


def test_hand_expansions_agree_with_the_reference_expander():
    for pattern, sequences in PROJECT_PATTERNS.items():
        assert sorted(expand(pattern)) == sorted(_hand(sequences)), pattern


@pytest.mark.parametrize("hyphens", ["loose", "strict"])
def test_bundled_corpus_against_the_reference(project_tokens, project_docs, hyphens):
    sentences = sentences_of(project_tokens, project_docs)
    loose = hyphens == "loose"
    for pattern, sequences in PROJECT_PATTERNS.items():
        expected = reference_hits(sentences, [_hand(sequences)], loose=loose)
        assert got_hits(project_tokens, pattern, hyphens=hyphens) == expected, pattern
        assert len(find(project_tokens, pattern, hyphens=hyphens)) == len(expected)
    patterns = list(PROJECT_PATTERNS)
    for overlapping in (True, False):
        expected = reference_hits(sentences, [_hand(s) for s in PROJECT_PATTERNS.values()], loose=loose,
                                  overlapping=overlapping)
        assert got_hits(project_tokens, patterns, hyphens=hyphens, overlapping=overlapping) == expected
    # the counts these checks rest on are not empty
    counts = {p: len(reference_hits(sentences, [_hand(s)], loose=loose)) for p, s in PROJECT_PATTERNS.items()}
    assert counts["golden *"] >= 3 and counts["win-win"] >= 4 and counts["develop*"] > 5 and counts["'s"] > 5


def test_hyphens_make_a_difference_on_the_bundled_corpus(project_tokens, project_docs):
    # "China Kazakhstan" written apart, or "people to people": loose finds them, strict does not
    loose = reference_hits(sentences_of(project_tokens, project_docs), [[(("w", "china-kazakhstan"),)]], loose=True)
    strict = reference_hits(sentences_of(project_tokens, project_docs), [[(("w", "china-kazakhstan"),)]],
                            loose=False)
    assert len(strict) >= 10
    assert got_hits(project_tokens, "China-Kazakhstan") == loose
    assert got_hits(project_tokens, "China-Kazakhstan", hyphens="strict") == strict


def test_case_sensitive_on_the_bundled_corpus(project_tokens, project_docs):
    sentences = sentences_of(project_tokens, project_docs, case_sensitive=True)
    for pattern, sequences in {"Belt and Road": [[("w", "Belt"), ("w", "and"), ("w", "Road")]],
                               "China": [[("w", "China")]], "the": [[("w", "the")]], "The": [[("w", "The")]],
                               "K*": [[("g", "K*")]], "/[A-Z]+/": [[("r", "[A-Z]+")]]}.items():
        expected = reference_hits(sentences, [_hand(sequences)], case_sensitive=True)
        assert got_hits(project_tokens, pattern, case_sensitive=True, docs=project_docs) == expected, pattern
    assert 0 < len(find(project_tokens, "The", case_sensitive=True, docs=project_docs)) < len(
        find(project_tokens, "the"))


def test_formula_lexicon_against_the_reference(project_tokens, project_docs):
    lexicon = load_formula_lexicon()
    sentences = sentences_of(project_tokens, project_docs)
    expanded = [expand(p) for p in lexicon["pattern"]]
    for pattern, sequences in zip(lexicon["pattern"], expanded):
        assert got_hits(project_tokens, pattern) == reference_hits(sentences, [sequences]), pattern
    # the whole lexicon at once, as formula counts match it: leftmost-longest, non-overlapping
    expected = reference_hits(sentences, expanded, overlapping=False)
    assert len(expected) > 50
    assert got_hits(project_tokens, lexicon["pattern"].tolist(), overlapping=False) == expected


WORDS = ["win", "Win", "win-win", "win-win-win", "cooperation", "co-operation", "shared", "future", "golden",
         "thirty", "years", "develop", "development", "developing", "the", "The", "China's", "China", "Kazakhstan",
         "China-Kazakhstan", "belt", "and", "road", "Road", "30", "partner", "partners", "partnership"]
RANDOM_PATTERNS = {
    "win-win": [[("w", "win-win")]],
    "win win cooperation": [[("w", "win"), ("w", "win"), ("w", "cooperation")]],
    "win-win-win": [[("w", "win-win-win")]],
    "shared future": [[("w", "shared"), ("w", "future")]],
    "golden *": [[("w", "golden"), ("g", "*")]],
    "develop*": [[("g", "develop*")]],
    "(shared | golden) (future | years)": [[("w", a), ("w", b)] for a in ("shared", "golden")
                                            for b in ("future", "years")],
    "the? belt and road": [[("w", "the"), ("w", "belt"), ("w", "and"), ("w", "road")],
                           [("w", "belt"), ("w", "and"), ("w", "road")]],
    "China's *": [[("w", "china"), ("w", "'s"), ("g", "*")]],
    "china-kazakhstan": [[("w", "china-kazakhstan")]],
    "/co-?operation/": [[("r", "co-?operation")]],
    "/partner(s|ship)?/ win": [[("r", "partner(s|ship)?"), ("w", "win")]],
    "golden (thirty | 30) years": [[("w", "golden"), ("w", "thirty"), ("w", "years")],
                                   [("w", "golden"), ("w", "30"), ("w", "years")]],
}
CASE_PATTERNS = {"Win": [[("w", "Win")]], "The Road": [[("w", "The"), ("w", "Road")]], "W*": [[("g", "W*")]]}


@st.composite
def random_texts(draw):
    documents = []
    for _ in range(draw(st.integers(1, 3))):
        sentences = draw(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=10), min_size=1,
                                  max_size=5))
        ends = draw(st.lists(st.sampled_from([". ", "! ", ".\n\n", "? "]), min_size=len(sentences),
                             max_size=len(sentences)))
        documents.append("".join(" ".join(s) + e for s, e in zip(sentences, ends)))
    return documents


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=random_texts(), hyphens=st.sampled_from(["loose", "strict"]), overlapping=st.booleans())
def test_random_texts_against_the_reference(texts, hyphens, overlapping):
    docs, tokens = plain(*texts)
    loose = hyphens == "loose"
    sentences = sentences_of(tokens, docs)
    for pattern, sequences in RANDOM_PATTERNS.items():
        expected = reference_hits(sentences, [_hand(sequences)], loose=loose)
        assert got_hits(tokens, pattern, hyphens=hyphens) == expected, pattern
    lexicon = [_hand(s) for s in RANDOM_PATTERNS.values()]
    expected = reference_hits(sentences, lexicon, loose=loose, overlapping=overlapping)
    assert got_hits(tokens, list(RANDOM_PATTERNS), hyphens=hyphens, overlapping=overlapping) == expected
    cased = sentences_of(tokens, docs, case_sensitive=True)
    for pattern, sequences in CASE_PATTERNS.items():
        expected = reference_hits(cased, [_hand(sequences)], loose=loose, case_sensitive=True)
        assert got_hits(tokens, pattern, hyphens=hyphens, case_sensitive=True, docs=docs) == expected, pattern


# ============================================================================ one pattern, the same hits everywhere
SAMPLE_PATTERNS = ["cooperation", "security", "win-win", "people-to-people", "China-Kazakhstan", "shared future",
                   "belt and road", "China's", "golden *", "develop*", "strateg*", "/partner(s|ship)?/",
                   "/[0-9]+/", "(shared | common) (future | destiny)", "the? belt and road", "'s", "$",
                   "kazakhstan"]


def test_every_analysis_finds_the_same_hits(project_tokens, project_docs):
    """kwic lines = count_matches = term_frequencies = dispersion = the reference, per document, for sample
    patterns and every variant of the formula lexicon (every version of a translated text counted)."""
    patterns = list(dict.fromkeys(SAMPLE_PATTERNS + load_formula_lexicon()["pattern"].tolist()))
    doc_ids = project_tokens.doc_ids.tolist()
    everything = dict(all_versions=True)
    counted = count_matches(project_tokens, project_docs, patterns, **everything)
    per_doc = pd.DataFrame(counted.matrix.toarray(), index=counted.rows["doc_id"], columns=patterns)
    frequencies = term_frequencies(project_tokens, project_docs, terms=patterns, **everything)
    spread = dispersion(project_tokens, project_docs, terms=patterns, **everything).set_index("term")
    sentences = sentences_of(project_tokens, project_docs)
    doc_of = np.repeat(np.arange(len(doc_ids)), np.diff(project_tokens.bounds))
    total = 0
    for pattern in patterns:
        lines = kwic(project_tokens, project_docs, pattern, **everything)
        by_kwic = lines.groupby("doc_id").size().reindex(doc_ids, fill_value=0)
        by_reference = pd.Series(0, index=doc_ids)
        for start, _, _ in reference_hits(sentences, [expand(pattern)]):
            by_reference.iloc[doc_of[start]] += 1
        rows = frequencies[frequencies["term"] == pattern]
        by_frequency = pd.Series(rows["count"].to_numpy(), index=rows["group"]).reindex(doc_ids, fill_value=0)
        assert by_kwic.tolist() == by_reference.tolist(), pattern
        assert per_doc[pattern].reindex(doc_ids).tolist() == by_reference.tolist(), pattern
        assert by_frequency.tolist() == by_reference.tolist(), pattern
        assert spread.loc[pattern, "freq"] == by_reference.sum(), pattern
        assert spread.loc[pattern, "range"] == (by_reference > 0).sum(), pattern
        total += by_reference.sum()
    assert total > 500


def test_the_same_hits_with_strict_hyphens(project_tokens, project_docs):
    for pattern in ("win-win", "China-Kazakhstan", "people-to-people exchanges"):
        expected = reference_hits(sentences_of(project_tokens, project_docs), [expand(pattern)], loose=False)
        options = dict(hyphens="strict", all_versions=True)
        assert len(kwic(project_tokens, project_docs, pattern, **options)) == len(expected)
        counted = count_matches(project_tokens, project_docs, [pattern], **options)
        assert int(counted.matrix.sum()) == len(expected)
        assert term_frequencies(project_tokens, project_docs, terms=[pattern], by="corpus",
                                **options)["count"].sum() == len(expected)
        assert dispersion(project_tokens, project_docs, terms=[pattern], **options)["freq"].iloc[0] == len(expected)


# ============================================================================ spelling and Chinese (issue 16)
def test_british_and_american_spellings_match_alike():
    """Without fold_spelling, a word matches its other spelling (data/spelling.csv); globs, regexes, fixed words
    and case-sensitive matching take the text as written."""
    docs, tokens = plain("Good-neighbourly friendship. Good-neighborly friendship. The neighbourhood centre.")
    assert surfaces(docs, find(tokens, "good-neighborly friendship")) == ["Good-neighbourly friendship",
                                                                         "Good-neighborly friendship"]
    assert surfaces(docs, find(tokens, "good neighbourly friendship")) == ["Good-neighbourly friendship",
                                                                          "Good-neighborly friendship"]
    assert surfaces(docs, find(tokens, "neighborhood center")) == ["neighbourhood centre"]
    assert surfaces(docs, find(tokens, "good neighbou*")) == ["Good-neighbourly"]
    assert surfaces(docs, find(tokens, "good-neighborly", valuetype="fixed")) == ["Good-neighborly"]
    assert surfaces(docs, find(tokens, "Good-neighborly", case_sensitive=True, docs=docs)) == ["Good-neighborly"]
    # the reference agrees
    sentences = sentences_of(tokens, docs)
    assert reference_hits(sentences, [expand("good-neighborly friendship")]) == \
        got_hits(tokens, "good-neighborly friendship")


def test_chinese_pattern_words_are_cut_like_the_text():
    text = ("双方同意高质量共建“一带一路”。推动高质量共建一带一路合作！構建人類命運共同體。"
            "构建人类的命运共同体。")
    docs, tokens = plain(text)
    # quotes or none, simplified or traditional: one sequence of words
    assert surfaces(docs, find(tokens, "高质量共建“一带一路”")) == ["高质量共建“一带一路", "高质量共建一带一路"]
    assert surfaces(docs, find(tokens, "高質量 共建 一帶一路")) == ["高质量共建“一带一路", "高质量共建一带一路"]
    assert surfaces(docs, find(tokens, "人类命运共同体")) == ["人類命運共同體"]
    assert find(tokens, "人类 命运").empty  # inside one word: no hit
    assert surfaces(docs, find(tokens, "人类命运*")) == ["人類命運共同體"]      # a glob takes the whole word
    assert [e.text for e in parse_pattern("(人类)? 命运共同体")[0]] == ["人类", "命运共同体"]
