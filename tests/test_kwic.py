"""KWIC: hand-checked lines on the tiny corpus, offsets back to the raw text, sorting, HTML escaping."""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_corpus
from rhetoric.corpus import load_corpus, tokenize
from rhetoric.errors import ParameterError
from rhetoric.patterns import find
from rhetoric.stats.bundles import bundle_occurrences
from rhetoric.stats.kwic import KWIC_COLUMNS, kwic, kwic_for_spans, kwic_html

# c_2024 (cleaned = raw): "Trade grew to $21.2 billion. Trade and security matter.\n\nSecurity, security! The
# community with a shared future."
# tokens: 0 trade 1 grew 2 to 3 $ 4 21.2 5 billion 6 trade 7 and 8 security 9 matter 10 security 11 security
#         12 the 13 community 14 with 15 a 16 shared 17 future
# character offsets: "security" 39-47, "Security" 57-65, "security" 67-75.
# By default a translated text counts once: b_unofficial (the other version of a_official) is left out.
EVERY = dict(all_versions=True)


def rows(table: pd.DataFrame, columns=("doc_id", "token_start", "token_end", "left", "match", "right")):
    return [tuple(r) for r in table[list(columns)].itertuples(index=False)]


def test_word_by_hand(tiny_tokens, tiny_docs):
    table = kwic(tiny_tokens, tiny_docs, "security", window=2)
    assert list(table.columns) == KWIC_COLUMNS
    assert rows(table) == [
        ("c_2024", 8, 9, "Trade and", "security", "matter. Security"),      # punctuation between tokens shows
        ("c_2024", 10, 11, "security matter.", "Security", ", security! The"),  # the blank line: one space
        ("c_2024", 11, 12, "matter. Security,", "security", "! The community"),
    ]
    assert table[["start", "end", "raw_start", "raw_end"]].values.tolist() == [
        [39, 47, 39, 47], [57, 65, 57, 65], [67, 75, 67, 75]]


def test_phrase_asymmetric_window_and_sort(tiny_tokens, tiny_docs):
    table = kwic(tiny_tokens, tiny_docs, "The Community", window=(1, 3), **EVERY)
    assert rows(table) == [
        ("a_official", 0, 2, "", "The community", "with a shared"),         # nothing left of a document's start
        ("b_unofficial", 0, 2, "", "The community", "of common destiny"),
        ("c_2024", 12, 14, "security!", "The community", "with a shared"),
    ]
    once = kwic(tiny_tokens, tiny_docs, "The Community", window=(1, 3))
    assert rows(once) == rows(table.iloc[[0, 2]])
    assert kwic(tiny_tokens, tiny_docs, "The Community", prefer="unofficial")["doc_id"].tolist() == [
        "b_unofficial", "c_2024"]
    by_right = kwic(tiny_tokens, tiny_docs, "the community", window=(1, 3), sort=["1R"], **EVERY)
    # 1R: "of" < "with" = "with"; the tie keeps corpus order (a before c)
    assert by_right["doc_id"].tolist() == ["b_unofficial", "a_official", "c_2024"]
    by_left = kwic(tiny_tokens, tiny_docs, "the community", sort="1L", **EVERY)
    # 1L: none (a, b: start of document, sorts first), "security" (c)
    assert by_left["doc_id"].tolist() == ["a_official", "b_unofficial", "c_2024"]
    zero_left = kwic(tiny_tokens, tiny_docs, "community", window=(0, 1), **EVERY)
    assert zero_left["left"].tolist() == ["", "", ""]
    assert zero_left["right"].tolist() == ["with", "of", "with"]


def test_glob_sort_two_levels(tiny_tokens, tiny_docs):
    table = kwic(tiny_tokens, tiny_docs, "trade *", sort="1R,2R", window=1, **EVERY)
    # hits: a "trade is" (up), b "trade is" (up), c "trade grew" (to), c "trade and" (security)
    # sorted by 1R = the match's second word... the word right of the whole match: up, up, to, security
    assert rows(table, ["doc_id", "match", "right"]) == [
        ("c_2024", "Trade and", "security"), ("c_2024", "Trade grew", "to"),
        ("a_official", "Trade is", "up"), ("b_unofficial", "Trade is", "up")]
    prefix = kwic(tiny_tokens, tiny_docs, "commun*", **EVERY)
    assert prefix["match"].tolist() == ["community", "community", "community"]
    assert kwic(tiny_tokens, tiny_docs, "c[aeiou]mmunity", **EVERY)["match"].tolist() == ["community"] * 3
    # "?" makes the word before it optional ("c" then "mmunity"), it is not a one-letter glob
    assert kwic(tiny_tokens, tiny_docs, "c?mmunity", **EVERY).empty


def test_regex_and_sentence(tiny_tokens, tiny_docs):
    table = kwic(tiny_tokens, tiny_docs, "co.*", valuetype="regex", sentence=True, **EVERY)
    assert rows(table, ["doc_id", "left", "match", "right"]) == [
        ("a_official", "The", "community", "with a shared future."),
        ("a_official", "Win-win", "cooperation", "is key."),
        ("b_unofficial", "The", "community", "of common destiny."),
        ("b_unofficial", "The community of", "common", "destiny."),
        ("b_unofficial", "Mutually beneficial", "cooperation", "is key."),
        ("c_2024", "The", "community", "with a shared future."),
    ]
    # a space separates tokens: one regular expression per token
    pair = kwic(tiny_tokens, tiny_docs, "(shared|common) (future|destiny)", valuetype="regex", window=0, **EVERY)
    assert pair["match"].tolist() == ["shared future", "common destiny", "shared future"]
    assert kwic(tiny_tokens, tiny_docs, "shared|common future|destiny", valuetype="regex", **EVERY).equals(
        kwic(tiny_tokens, tiny_docs, "(shared|common) (future|destiny)", valuetype="regex", **EVERY))
    # the same alternatives in the glob language
    glob = kwic(tiny_tokens, tiny_docs, "(shared|common) (future|destiny)", window=0, **EVERY)
    assert glob.equals(pair)


def test_case_sensitive_and_money(tiny_tokens, tiny_docs):
    assert kwic(tiny_tokens, tiny_docs, "Security", case_sensitive=True)["token_start"].tolist() == [10]
    assert len(kwic(tiny_tokens, tiny_docs, "Security")) == 3
    money = kwic(tiny_tokens, tiny_docs, "$21.2 billion", window=1)
    assert rows(money, ["left", "match", "right"]) == [("to", "$21.2 billion", ". Trade")]
    assert money[["token_start", "token_end"]].values.tolist() == [[3, 6]]  # "$", "21.2", "billion"
    assert kwic(tiny_tokens, tiny_docs, "China's future").empty   # "china" is not in the tiny corpus
    assert len(kwic(tiny_tokens, tiny_docs, "future.")) == 2        # punctuation in a pattern is ignored


def test_phrase_stays_in_document(tiny_tokens, tiny_docs):
    # a ends "... trade is up", b starts "The community": no hit across the document boundary
    assert kwic(tiny_tokens, tiny_docs, "up the", **EVERY).empty
    assert len(kwic(tiny_tokens, tiny_docs, "up", **EVERY)) == 2 and len(kwic(tiny_tokens, tiny_docs, "the")) == 2
    spans = find(tiny_tokens, "is")[["doc_id", "token_start", "token_end"]]
    # a: the community with a shared future win-win cooperation is(8) key trade is(11) up; b likewise
    assert spans.values.tolist() == [["a_official", 8, 9], ["a_official", 11, 12],
                                     ["b_unofficial", 8, 9], ["b_unofficial", 11, 12]]
    assert kwic(tiny_tokens, tiny_docs, "is", **EVERY)[["doc_id", "token_start", "token_end"]].equals(spans)


def test_bad_input(tiny_tokens, tiny_docs):
    for pattern in ("", "   ", None):
        with pytest.raises(ParameterError, match="pattern .* is empty; give a word"):
            kwic(tiny_tokens, tiny_docs, pattern)
    with pytest.raises(ParameterError, match=r"'/\(unclosed/' is not a valid regular expression"):
        kwic(tiny_tokens, tiny_docs, "(unclosed", valuetype="regex")
    with pytest.raises(ParameterError, match="window=-1"):
        kwic(tiny_tokens, tiny_docs, "trade", window=-1)
    with pytest.raises(ParameterError, match=r"window=\(2, -3\): the right size -3"):
        kwic(tiny_tokens, tiny_docs, "trade", window=(2, -3))
    with pytest.raises(ParameterError, match="'R1' is not a sort level"):
        kwic(tiny_tokens, tiny_docs, "trade", sort="R1")
    with pytest.raises(ParameterError, match="valuetype='fuzzy' is not known"):
        kwic(tiny_tokens, tiny_docs, "trade", valuetype="fuzzy")
    with pytest.raises(ParameterError, match="hyphens='maybe' is not known"):
        kwic(tiny_tokens, tiny_docs, "trade", hyphens="maybe")
    with pytest.raises(ParameterError, match="matches nothing"):
        kwic(tiny_tokens, tiny_docs, "...")
    with pytest.raises(ParameterError, match="prefer='russian'"):
        kwic(tiny_tokens, tiny_docs, "trade", prefer="russian")
    # the documents table chooses the documents: without c_2024, only a_official's "trade" is found
    assert kwic(tiny_tokens, tiny_docs[tiny_docs["doc_id"] != "c_2024"], "trade")["doc_id"].tolist() == [
        "a_official"]
    extra = pd.concat([tiny_docs, tiny_docs.iloc[[2]].assign(doc_id="d_new", translation_group="d_new")])
    with pytest.raises(ParameterError, match="documents d_new are not in the token store; tokenize the same"):
        kwic(tiny_tokens, extra, "trade")


def test_catastrophic_regex_is_stopped():
    # (a|aa)*b backtracks without end on a long "aaa...abc" token; the regex time limit turns it into an error
    texts = {"long": ("2024", "long", "", "", "Words here. " + "a" * 5000 + "bc! More words.\n")}
    with tempfile.TemporaryDirectory() as folder:
        docs = load_corpus(write_corpus(Path(folder), texts))
    tokens = tokenize(docs, cache=False)
    for pattern, valuetype in (("(a|aa)*b", "regex"), ("/(a|aa)*b/", "glob")):
        cpu, wall = time.process_time(), time.monotonic()
        with pytest.raises(ParameterError, match="took over 1 s on one word"):
            kwic(tokens, docs, pattern, valuetype=valuetype)
        # the regex module's timeout counts CPU seconds; the wall clock only bounds a hang on a shared machine
        assert time.process_time() - cpu < 3.0 and time.monotonic() - wall < 30


def test_kwic_for_spans_carries_columns(tiny_tokens, tiny_docs):
    spans = bundle_occurrences(tiny_tokens, tiny_docs, ["trade is up", "cooperation is key"], **EVERY)
    spans["variant"] = ["v" + str(i) for i in range(len(spans))]
    lines = kwic_for_spans(tiny_tokens, tiny_docs, spans, window=1)
    assert list(lines.columns) == KWIC_COLUMNS + ["bundle", "variant"]
    assert lines["match"].tolist() == ["cooperation is key", "Trade is up", "cooperation is key", "Trade is up"]
    assert lines["variant"].tolist() == spans["variant"].tolist()
    assert lines["left"].tolist() == ["Win-win", "key.", "beneficial", "key."]
    # the same lines as kwic() gives for the phrase
    direct = kwic(tiny_tokens, tiny_docs, "trade is up", window=1, **EVERY)
    pd.testing.assert_frame_equal(lines[lines["bundle"] == "trade is up"][KWIC_COLUMNS].reset_index(drop=True),
                                  direct)
    with pytest.raises(ParameterError, match="token_end=99 is not a span"):
        kwic_for_spans(tiny_tokens, tiny_docs, pd.DataFrame({"doc_id": ["a_official"], "token_start": [0],
                                                             "token_end": [99]}))
    with pytest.raises(ParameterError, match="needs the columns doc_id, token_start, token_end"):
        kwic_for_spans(tiny_tokens, tiny_docs, pd.DataFrame({"doc_id": ["a_official"]}))


def test_html_escapes_planted_markup(tmp_path):
    texts = {"evil": ("2023", "evil", "", "", 'Talks <script>alert("x")</script> & "trade" <b>grew</b>.\n'),
             "fine": ("2024", "fine", "", "", "Trade grew.\n")}
    docs = load_corpus(write_corpus(tmp_path / "evil", texts))
    tokens = tokenize(docs, cache=False)
    table = kwic(tokens, docs, "alert")
    # tokens: talks script alert x script trade b grew b
    assert rows(table, ["left", "match", "right"]) == [("Talks <script>", "alert", '("x")</script> & "trade" <b>grew')]
    page = kwic_html(kwic(tokens, docs, "*"), caption="<i>all</i> words")
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;i&gt;all&lt;/i&gt; words" in page
    assert page.count('<td class="match"') == len(tokens.ids)
    with pytest.raises(ParameterError, match="'left', 'match' and 'right'"):
        kwic_html(pd.DataFrame({"doc_id": ["x"]}))


# --- property: every hit goes back to the raw text -----------------------------------------------------------

_QUOTES_DASHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                                "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u2009": " ",
                                "\u200b": None, "\ufeff": None, "\u00ad": None, "\r": " "})


def normalise(text: str) -> str:
    """Quotes, dashes and spaces as the cleaning rules make them (straight, hyphen, one space)."""
    return " ".join(text.translate(_QUOTES_DASHES).split())


WORDS = ["Trade", "cooperation", "China", "People\u2019s", "\u201cshared", "future\u201d", "win\u2013win",
         "win-win", "Kazakh\u00adstan", "co\u200boperation", "security", "\u2014", "destiny.", "up,"]
SEPARATORS = [" ", " ", "\u00a0", "\u2009", "\r\n", "\n\n", "  "]


@st.composite
def raw_texts(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps)) + "end.\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(raw_texts(), min_size=1, max_size=3),
       pattern=st.sampled_from(["cooperation", "win-win", "shared future", "people", "trade", "co*", "kazakhstan",
                                "future trade", "security cooperation"]),
       window=st.tuples(st.integers(0, 4), st.integers(0, 4)), sentence=st.booleans())
def test_hits_reproduce_raw_text(texts, pattern, window, sentence):
    with tempfile.TemporaryDirectory() as folder:
        corpus = {f"d{i}": (f"202{i}", f"d{i}", "", "", text) for i, text in enumerate(texts)}
        docs = load_corpus(write_corpus(Path(folder), corpus))
    tokens = tokenize(docs, cache=False)
    table = kwic(tokens, docs, pattern, window=window, sentence=sentence)
    texts_by_id = docs.set_index("doc_id")
    words = pattern.split()
    for row in table.itertuples():
        clean = texts_by_id.at[row.doc_id, "text"]
        raw = texts_by_id.at[row.doc_id, "raw_text"]
        assert " ".join(clean[row.start:row.end].split()) == row.match
        assert normalise(raw[row.raw_start:row.raw_end]) == normalise(row.match)
        assert row.token_end - row.token_start == len(words)
        if "*" not in pattern:
            assert re.sub(r"[^a-z]", "", row.match.lower()) == re.sub(r"[^a-z]", "", pattern)
        # the context is the text just around the match
        assert " ".join(clean[:row.start].split()).endswith(row.left)
        assert " ".join(clean[row.end:].split()).startswith(row.right)
    assert len(table) == len(find(tokens, pattern))
    order = [(list(tokens.doc_ids).index(d), s) for d, s in zip(table["doc_id"], table["token_start"])]
    assert order == sorted(order)
