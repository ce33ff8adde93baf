"""Tokenizer, sentences, paragraphs, spelling folding, the token store and its cache.

The fast tokenizer is checked against plain re-implementations: tokens by
:data:`TOKEN_PATTERN` with ``finditer`` (the definition), sentences and
paragraphs by the straightforward loop below, on the five texts and on random
strings full of the texts' oddities.
"""

from __future__ import annotations

import re
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TINY_TEXTS, write_corpus
from rhetoric import config
from rhetoric import tokens as T
from rhetoric.corpus import load_corpus
from rhetoric.tokens import (TOKEN_PATTERN, Tokens, cache_key, doc_token_lists, fold_spelling, paragraph_spans,
                             sentence_spans, stopwords, tokenize, tokens_frame)

# --- references -------------------------------------------------------------------------

_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")
_BREAK = re.compile(r"\n[ \t]*\n\s*")


def ref_tokens(text):
    spans = [m.span() for m in TOKEN_PATTERN.finditer(text)]
    return spans, [re.sub(r"\s", " ", text[a:b].lower()) for a, b in spans]


def ref_paragraphs(text):
    spans, start = [], 0
    for m in _BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def ref_sentences(text):
    out = []
    for ps, pe in ref_paragraphs(text):
        start = ps
        for m in _END.finditer(text, ps, pe):
            word = re.search(r"([\w.]+)\.$", text[max(start, m.start() - 12):m.start() + 1])
            if m.group(0).startswith(".") and word:
                w = word.group(1).lower()
                if w in T._ABBREVIATIONS or all(len(p) == 1 and p.isalpha() for p in w.split(".")):
                    continue
            out.append((start, m.end()))
            start = m.end()
            while start < pe and text[start].isspace():
                start += 1
        if start < pe:
            out.append((start, pe))
    return out


def check_layout(texts):
    """The store's tokens, types, sentences and paragraphs equal the references, text by text."""
    layout = T._layout(texts)
    vocab = np.array(layout.vocab, dtype=object)
    assert list(vocab) == sorted(set(vocab))
    for i, text in enumerate(texts):
        lo, hi = layout.base[i], layout.base[i + 1]
        sel = (layout.starts >= lo) & (layout.starts < hi)
        spans, types = ref_tokens(text)
        got = list(zip((layout.starts[sel] - lo).tolist(), (layout.ends[sel] - lo).tolist()))
        assert got == spans, (text, got, spans)
        assert list(vocab[layout.ids[sel]]) == types
        for table, ref in ((layout.paragraphs, ref_paragraphs), (layout.sentences, ref_sentences)):
            mine = table[(table[:, 0] >= lo) & (table[:, 0] < hi)] - lo
            assert [tuple(x) for x in mine.tolist()] == ref(text), (text, ref.__name__)
    return layout


def token_types(tokens, doc_id):
    i = list(tokens.doc_ids).index(doc_id)
    return list(tokens.vocab[tokens.ids[tokens.bounds[i]:tokens.bounds[i + 1]]])


# --- the definition and the fast path agree ----------------------------------------------------

def test_project_texts_match_the_references(project_docs):
    check_layout(list(project_docs["text"]))


def test_store_matches_the_references(project_docs, project_tokens):
    frame = tokens_frame(project_tokens, project_docs)
    for i, row in enumerate(project_docs.itertuples()):
        part = frame[frame["doc_id"] == row.doc_id]
        spans, types = ref_tokens(row.text)
        assert list(zip(part["start"], part["end"])) == spans
        assert part["type"].tolist() == types
        assert part["token"].tolist() == [row.text[a:b] for a, b in spans]
        raw_s, raw_e = row.offsets.to_raw(part["start"].to_numpy(), part["end"].to_numpy())
        assert np.array_equal(part["raw_start"], raw_s) and np.array_equal(part["raw_end"], raw_e)
        sents = project_tokens.sentence_spans[project_tokens.sentence_doc == i]
        assert [tuple(x) for x in sents.tolist()] == ref_sentences(row.text)
        paras = project_tokens.paragraph_spans[project_tokens.paragraph_doc == i]
        assert [tuple(x) for x in paras.tolist()] == ref_paragraphs(row.text)
    # each token's sentence and paragraph contain it
    for spans, number in ((project_tokens.sentence_spans, project_tokens.sentence),
                          (project_tokens.paragraph_spans, project_tokens.paragraph)):
        assert (spans[number, 0] <= project_tokens.start).all() and (project_tokens.end <= spans[number, 1]).all()
    assert (project_tokens.sentence_doc[project_tokens.sentence] == project_tokens.doc_index).all()


_PIECES = st.sampled_from([
    "a", "B", "Zz", "x\u00b2", "\u00e9t\u00e9", "\u0416\u0443\u0437", "\u0130stanbul", "\u039f\u0394\u039f\u03a3",
    "\U0001d518", "\u0663", " ", "  ", "\n", "\n\n", " \n \n", "\t", "\u2028", ".", ",", "!", "?", "\"", "'", "(", ")",
    "[", "]", "-", "_", "%", "$", "\u20ac", "1", "23", "4.5", "6,000", "US$", "RMB\u00a5", " billion", " bn",
    "thousand", "Sept. ", "Mr. ", "U.S. ", "e.g. ", "K.K. ", "A. ", "they're ", "we'll ", "Xi'an", "China's ",
    "countries' ", "win-win", "30th", "31.1%", "The", "Next",
])


@settings(max_examples=250, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=30).map("".join), min_size=1, max_size=4))
def test_fast_tokenizer_equals_the_references_on_random_texts(texts):
    check_layout(texts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=120).map("".join), min_size=1, max_size=3))
def test_long_texts_cut_into_pieces_give_the_same_result(texts):
    old = T._PIECE_CHARS
    T._PIECE_CHARS = 48  # cut every text into many pieces, at paragraph breaks or after letters
    try:
        check_layout(texts)
    finally:
        T._PIECE_CHARS = old


def test_token_pattern_split_form_is_equivalent():
    rng = np.random.default_rng(7)
    alphabet = list("aB -'_.,%$\u20ac19") + ["US$", "RMB\u00a5", " billion", "they're", "Xi'an", "'s", "e'r"]
    for _ in range(3000):
        text = "".join(alphabet[k] for k in rng.integers(0, len(alphabet), rng.integers(0, 20)))
        pieces = T._TOKEN_SPLIT.split(text)
        lengths = np.cumsum([0] + [len(p) for p in pieces])
        assert [(int(lengths[i]), int(lengths[i + 1])) for i in range(1, len(pieces), 2)] == \
            [m.span() for m in TOKEN_PATTERN.finditer(text)], text


# --- tokens: every oddity of the five texts -------------------------------------------------------

def test_hyphenated_compounds_stay_whole(project_tokens):
    vocab = set(project_tokens.vocab)
    for word in ["win-win", "good-neighborly", "people-to-people", "china-kazakhstan", "one-china",
                 "year-on-year", "covid-19", "kassym-jomart", "opening-up", "china-central", "100-mw"]:
        assert word in vocab, word
    assert token_types(project_tokens, "zhang2022_visit")[:14] == [
        "president", "xi", "jinping", "visit", "to", "kazakhstan", "charts", "new", "blueprint", "for",
        "china-kazakhstan", "relations", "by", "zhang"]


def test_money_is_one_token(project_docs, project_tokens):
    frame = tokens_frame(project_tokens, project_docs)
    money = frame[frame["type"].str.contains("billion")]
    got = sorted(zip(money["doc_id"], money["token"]))
    assert got == sorted([
        ("zhang2022_visit", "$17.67 billion"), ("zhang2022_visit", "$21.2 billion"),
        ("xi2022_unofficial", "$25 billion"), ("xi2022_unofficial", "21.2 billion"),
        ("xi2022_xinhua", "US$21.2 billion"), ("xi2022_xinhua", "US$25 billion"),
        ("zhang2023_newyear", "$36.87 billion"), ("cgtn2024_visit", "$41 billion"),
    ])
    assert set(money["type"]) >= {"$21.2 billion", "us$21.2 billion"}


def test_numbers_ordinals_and_percentages(project_tokens):
    vocab = set(project_tokens.vocab)
    assert {"30th", "20th", "22nd", "31st", "3rd", "10th", "11th", "75th"} <= vocab
    assert {"31.1%", "5.2%", "200,000", "6,195", "3,000", "18.9", "percent", "1992", "2,552"} - vocab == {"2,552"}
    assert "2,552" not in vocab  # the view counter is cleaned away
    zhang = token_types(project_tokens, "zhang2022_visit")
    i = zhang.index("18.9")
    assert zhang[i:i + 2] == ["18.9", "percent"]


def test_possessives_and_apostrophes(project_docs, project_tokens):
    vocab = set(project_tokens.vocab)
    assert "s" not in vocab and "people's" not in vocab and "china's" not in vocab
    assert "xi'an" in vocab  # an apostrophe inside a name
    frame = tokens_frame(project_tokens, project_docs)
    people = frame[frame["token"] == "People"]
    assert len(people) == sum(len(re.findall(r"\bPeople\b", t)) for t in project_docs["text"]) == 7
    assert set(people["type"]) == {"people"}
    assert set(frame.loc[frame["token"].str.startswith("countries"), "token"]) == {"countries"}


@pytest.mark.parametrize("text, tokens", [
    ("China's People\u2019s they're we'll I'd don't Xi'an O'Neill countries' rock'n'roll",
     ["China", "People", "s", "they", "we", "I", "don", "Xi'an", "O'Neill", "countries", "rock'n'roll"]),
    ("Trade hit $21.2 billion, US$ 5 bn, \u20ac3,000 and RMB\u00a51.5 million; 21.2 billion too.",
     ["Trade", "hit", "$21.2 billion", "US$ 5 bn", "\u20ac3,000", "and", "RMB\u00a51.5 million", "21.2 billion",
      "too"]),
    ("30th 2nd 12.5% 30% 2,552 3.14 1365-1457 COVID-19 2.5km", ["30th", "2nd", "12.5%", "30%", "2,552", "3.14",
                                                                "1365-1457", "COVID-19", "2.5", "km"]),
    ("win-win good-neighbourly people-to-people -dash- snake_case", ["win-win", "good-neighbourly",
                                                                      "people-to-people", "dash", "snake", "case"]),
    ("\u0416\u0443\u0437 caf\u00e9 x\u00b2 \u0663\u0664", ["\u0416\u0443\u0437", "caf\u00e9", "x\u00b2",
                                                           "\u0663\u0664"]),
])
def test_token_pattern_on_tiny_strings(text, tokens):
    assert TOKEN_PATTERN.findall(text) == tokens
    layout = check_layout([text])
    assert [text[a:b] for a, b in zip(layout.starts, layout.ends)] == tokens


def test_types_are_lower_cased_and_white_space_is_one_space():
    layout = T._layout(["$5\nbillion and $5 billion, \u0130stanbul \u039f\u0394\u039f\u03a3 WIN-Win"])
    assert layout.vocab == ["$5 billion", "and", "i\u0307stanbul", "win-win", "\u03bf\u03b4\u03bf\u03c2"]
    assert layout.ids.tolist() == [0, 1, 0, 2, 4, 3]


def test_tiny_corpus_tokens_by_hand(tiny_tokens):
    """The token lists written out in conftest.py."""
    assert doc_token_lists(tiny_tokens) == [
        "the community with a shared future win-win cooperation is key trade is up".split(),
        "the community of common destiny mutually beneficial cooperation is key trade is up".split(),
        ["trade", "grew", "to", "$21.2 billion", "trade", "and", "security", "matter", "security", "security",
         "the", "community", "with", "a", "shared", "future"],
    ]
    assert tiny_tokens.doc_lengths().tolist() == [13, 13, 16]


# --- sentences and paragraphs ----------------------------------------------------------------------

def sentences_of(text):
    return [text[a:b] for a, b in sentence_spans(text)]


def test_sentences_in_the_xinhua_text(project_docs):
    text = project_docs.set_index("doc_id").loc["xi2022_xinhua", "text"]
    first = sentences_of(text)[:2]
    assert first[0].startswith("BEIJING, Sept. 13 (Xinhua) -- A signed article by Chinese President Xi Jinping")
    assert first[0].endswith("ahead of his state visit to Kazakhstan.")
    assert first[1] == "Following is an English version of the full text of the article:"
    proverb = [s for s in sentences_of(text) if "Friendship" in s]
    assert proverb == ['As a Kazakh proverb goes, "Friendship is an inexhaustible wealth."']


def test_sentences_keep_initials_and_abbreviations(project_docs):
    text = project_docs.set_index("doc_id").loc["zhang2023_newyear", "text"]
    kk = [s for s in sentences_of(text) if "K.K." in s]
    assert len(kk) == 3 and all("K.K. Tokayev" in s for s in kk)
    assert sentences_of("Mr. Li met Dr. Wu on Sept. 13 in the U.S. He left. A. B. Smith came. Then e.g. X.") == [
        "Mr. Li met Dr. Wu on Sept. 13 in the U.S. He left.", "A. B. Smith came.", "Then e.g. X."]


@pytest.mark.parametrize("word", ["Sept", "SEPT", "u.s", "U.S", "K.K", "K", "x", "\u00b2", "Mr", "e.g", "it", "them",
                                  "a.b.c.d.e.f", "ab.c", "K.K.K.K.K.K.K", "\u0130", "\u01c5", "\U0001d518",
                                  "approx", "approxx", "No", "\u00fc", "\u03a3", "\u0130.K"])
def test_vectorised_abbreviation_check_agrees_with_the_rule(word):
    codes, _, _ = T._codes(word + ".")
    got = T._closes_abbreviation(codes, np.array([len(word)]), np.array([len(word)]))[0]
    assert got == (len(word) <= T._MAX_WORD and T._no_sentence_end(word))  # longer words never are


def test_sentences_quotes_brackets_and_punctuation():
    assert sentences_of('He said: "Yes." Then (no!) [Maybe?] "Really?!" 2024 came. "Quoted" start') == [
        'He said: "Yes."', "Then (no!)", "[Maybe?]", '"Really?!"', "2024 came.", '"Quoted" start']
    assert sentences_of("lower. case. ends") == ["lower. case. ends"]
    assert sentences_of("One.\n\nTwo\nlines.\n\n\n  Three") == ["One.", "Two\nlines.", "Three"]


def test_paragraphs(project_docs):
    counts = [len(paragraph_spans(t)) for t in project_docs["text"]]
    assert counts == [21, 16, 19, 13, 18]
    assert paragraph_spans(" A \n \n\tB\r\n\n").tolist() == [[1, 2], [7, 8]]
    assert paragraph_spans("").shape == (0, 2) and sentence_spans("  \n ").shape == (0, 2)


# --- British and American spelling ------------------------------------------------------------------

def test_spelling_folding_by_option(tmp_path):
    folder = write_corpus(tmp_path / "c", {
        "uk": ("2020", "uk", "", "", "Good-neighbourly neighbourliness in the neighbourhood; honour and labour."),
        "us": ("2021", "us", "", "", "Good-neighborly neighborliness in the neighborhood; honor and labor."),
    })
    docs = load_corpus(folder)
    plain = tokenize(docs, cache=False)
    folded = tokenize(docs, fold_spelling=True, cache=False)
    assert doc_token_lists(plain)[0] != doc_token_lists(plain)[1]
    assert doc_token_lists(folded)[0] == doc_token_lists(folded)[1] == [
        "good-neighborly", "neighborliness", "in", "the", "neighborhood", "honor", "and", "labor"]
    assert folded.settings["fold_spelling"] is True and plain.settings["fold_spelling"] is False
    assert list(folded.vocab) == sorted(folded.vocab)
    assert fold_spelling("good-neighbourly") == "good-neighborly" and fold_spelling("win-win") == "win-win"


def test_spelling_table_is_well_formed():
    table = pd.read_csv(config.SPELLING_FILE, dtype=str, keep_default_na=False)
    assert list(table.columns) == ["british", "american"]
    assert table["british"].is_unique and (table["british"] != table["american"]).all()
    assert not set(table["american"]) & set(table["british"])  # no chains: folding is one step
    assert (table == table.apply(lambda c: c.str.lower().str.strip())).all().all()


def test_project_texts_already_use_american_spelling(project_docs):
    plain = tokenize(project_docs, cache=False)
    folded = tokenize(project_docs, fold_spelling=True, cache=False)
    assert "neighborliness" in set(plain.vocab)
    assert len(folded.vocab) == len(plain.vocab)


# --- the store -----------------------------------------------------------------------------------

def test_store_shapes_and_dtypes(project_tokens, project_docs):
    t = project_tokens
    n = t.n_tokens
    assert t.ids.dtype == np.int32 and t.sentence.dtype == np.int32 and t.paragraph.dtype == np.int32
    assert t.start.dtype == np.int64 and t.raw_start.dtype == np.int64 and t.bounds.dtype == np.int64
    assert len(t.start) == len(t.end) == len(t.raw_start) == len(t.raw_end) == len(t.sentence) == n
    assert t.bounds[0] == 0 and t.bounds[-1] == n
    assert list(t.doc_ids) == list(project_docs["doc_id"])
    assert t.sentence_spans.shape == (len(t.sentence_doc), 2)
    assert t.paragraph_spans.shape == (len(t.paragraph_doc), 2)
    assert (np.diff(t.sentence) >= 0).all() and (np.diff(t.paragraph) >= 0).all()
    assert t.doc_index.tolist() == np.repeat(np.arange(5), np.diff(t.bounds)).tolist()
    assert t.term_id("win-win") == list(t.vocab).index("win-win")
    assert t.term_id("no-such-word") is None


def test_subset(project_tokens, project_docs):
    sub = project_tokens.subset(["cgtn2024_visit", "zhang2022_visit"])
    assert list(sub.doc_ids) == ["zhang2022_visit", "cgtn2024_visit"]  # the store's order
    assert sub.n_tokens == 728 + 675
    assert doc_token_lists(sub) == [doc_token_lists(project_tokens)[0], doc_token_lists(project_tokens)[4]]
    assert (sub.sentence_doc[sub.sentence] == sub.doc_index).all()
    assert sub.vocab is project_tokens.vocab


def test_tokens_frame_columns(project_tokens, project_docs):
    frame = tokens_frame(project_tokens, project_docs)
    assert list(frame.columns) == ["doc_id", "position", "token", "type", "start", "end", "raw_start", "raw_end",
                                   "sentence", "paragraph"]
    assert frame.groupby("doc_id", sort=False)["position"].max().tolist() == [727, 1509, 1558, 1292, 674]
    assert "token" not in tokens_frame(project_tokens).columns


def test_stopwords():
    words = stopwords()
    assert {"the", "and"} <= words
    assert stopwords(english=False, project=False) == frozenset()
    project = stopwords(english=False)
    listed = {line.split("#")[0].strip().lower() for line in config.STOPWORDS_FILE.read_text().splitlines()}
    assert project == frozenset(w for w in listed if w)


def test_docs_without_offsets_or_checksums(tmp_path):
    docs = pd.DataFrame({"doc_id": ["x", "y"], "text": ["One two.", "Three."]})
    tokens = tokenize(docs, cache=False)
    assert doc_token_lists(tokens) == [["one", "two"], ["three"]]
    assert tokens.raw_start.tolist() == tokens.start.tolist()


# --- the cache ------------------------------------------------------------------------------------

@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("RHETORIC_CACHE_DIR", str(folder))
    return folder


def _forbid_build(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("rebuilt instead of reading the cache")
    monkeypatch.setattr(T, "_build", fail)


def test_second_call_reads_the_cache(tiny_docs, cache_dir, monkeypatch):
    first = tokenize(tiny_docs)
    assert len(list(cache_dir.glob("*.npz"))) == 1
    _forbid_build(monkeypatch)
    second = tokenize(tiny_docs)
    for name in T._ARRAYS:
        assert np.array_equal(getattr(first, name), getattr(second, name)), name
    assert second.settings == first.settings


def test_cache_lives_in_the_corpus_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("RHETORIC_CACHE_DIR")
    folder = write_corpus(tmp_path / "c", TINY_TEXTS)
    tokenize(load_corpus(folder))
    assert len(list((folder / "interim" / "token-cache").glob("*.npz"))) == 1


def test_a_changed_text_rule_or_setting_invalidates_the_cache(tmp_path, cache_dir, monkeypatch):
    folder = write_corpus(tmp_path / "c", TINY_TEXTS, with_sha=False)
    docs = load_corpus(folder)
    key = cache_key(docs)
    tokenize(docs)
    # a text
    (folder / "raw" / "c_2024.txt").write_text("Trade grew. Security matters.", encoding="utf-8")
    changed = load_corpus(folder)
    assert cache_key(changed) != key
    assert doc_token_lists(tokenize(changed))[2] == ["trade", "grew", "security", "matters"]
    # a cleaning rule
    rules = tmp_path / "rules.yml"
    shutil.copy(config.CLEANING_RULES, rules)
    rules.write_text(rules.read_text(encoding="utf-8").replace("'The ellipsis character becomes three full stops.'",
                                                               "'Three full stops.'"), encoding="utf-8")
    same_texts = load_corpus(folder, rules_path=rules)
    rules.write_text(rules.read_text(encoding="utf-8") + "  - id: grew\n    pattern: 'grew'\n    replacement: 'rose'\n",
                     encoding="utf-8")
    recleaned = load_corpus(folder, rules_path=rules)
    assert cache_key(same_texts) == cache_key(changed)  # a rule's explanation is not part of the key
    assert cache_key(recleaned) != cache_key(changed)
    assert doc_token_lists(tokenize(recleaned))[2][:2] == ["trade", "rose"]
    # a setting, and the spelling table it uses
    assert cache_key(changed, fold_spelling=True) != cache_key(changed)
    spelling = tmp_path / "spelling.csv"
    shutil.copy(config.SPELLING_FILE, spelling)
    before = cache_key(changed, fold_spelling=True)
    monkeypatch.setattr(config, "SPELLING_FILE", spelling)
    spelling.write_text(spelling.read_text(encoding="utf-8") + "grey,gray\n", encoding="utf-8")
    assert cache_key(changed, fold_spelling=True) != before
    assert cache_key(changed) == cache_key(load_corpus(folder))  # nothing else moved the key
    # a text edited in memory is never served a stale store
    edited = changed.copy()
    edited.loc[0, "text"] = "Edited in memory."
    assert doc_token_lists(tokenize(edited))[0] == ["edited", "in", "memory"]


def test_unreadable_cache_is_rebuilt_and_unwritable_cache_is_skipped(tiny_docs, cache_dir, tmp_path, monkeypatch):
    tokenize(tiny_docs)
    path = next(cache_dir.glob("*.npz"))
    path.write_bytes(b"not a numpy file")
    assert tokenize(tiny_docs).n_tokens == 42
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("RHETORIC_CACHE_DIR", str(blocker / "cache"))
    with pytest.warns(UserWarning, match="token cache not written"):
        assert tokenize(tiny_docs).n_tokens == 42


def test_cache_for_other_documents_is_not_used(tiny_docs, cache_dir, monkeypatch):
    tokenize(tiny_docs)
    path = next(cache_dir.glob("*.npz"))
    other = tiny_docs.iloc[:2].copy()
    other.attrs = dict(tiny_docs.attrs)
    shutil.copy(path, cache_dir / f"{cache_key(other)}.npz")  # a file under the wrong key
    assert list(tokenize(other).doc_ids) == ["a_official", "b_unofficial"]


# --- large and odd texts ------------------------------------------------------------------------

def test_one_very_long_line(tmp_path):
    words = "win-win cooperation between China and Kazakhstan grew to $21.2 billion in 2022 and "
    text = words * (3_000_000 // len(words))  # 3 MB, no line break, no sentence end
    folder = write_corpus(tmp_path / "c", {"long": ("2022", "long", "", "", text)})
    docs = load_corpus(folder)
    tokens = tokenize(docs, cache=False)
    n_reps = 3_000_000 // len(words)
    assert tokens.n_tokens == 12 * n_reps  # "$21.2 billion" is one token
    assert len(tokens.sentence_spans) == 1 and len(tokens.paragraph_spans) == 1
    assert tokens.term_id("$21.2 billion") is not None
    assert np.bincount(tokens.ids)[tokens.term_id("win-win")] == n_reps
    last = tokens.n_tokens - 1
    assert text[tokens.raw_start[last]:tokens.raw_end[last]] == "and"


def test_text_without_sentence_punctuation(tmp_path):
    text = "\n\n".join(" ".join(["word"] * 50) for _ in range(20))
    folder = write_corpus(tmp_path / "c", {"flat": ("2022", "flat", "", "", text)})
    tokens = tokenize(load_corpus(folder), cache=False)
    assert tokens.n_tokens == 1000
    assert len(tokens.sentence_spans) == len(tokens.paragraph_spans) == 20
    assert tokens.sentence.tolist() == tokens.paragraph.tolist() == np.repeat(np.arange(20), 50).tolist()


def test_two_thousand_tiny_documents(tmp_path):
    texts = {f"d{i:04d}": (f"{2000 + i % 20}", f"d{i:04d}", "", "", f"Text number {i}. It is short.")
             for i in range(2000)}
    folder = write_corpus(tmp_path / "c", texts)
    docs = load_corpus(folder)
    tokens = tokenize(docs, cache=False)
    assert len(tokens.doc_ids) == 2000
    assert tokens.doc_lengths().tolist() == [6] * 2000
    assert len(tokens.sentence_spans) == 4000
    first = list(docs["doc_id"]).index("d0000")
    assert doc_token_lists(tokens)[first] == ["text", "number", "0", "it", "is", "short"]


def test_empty_store_for_texts_without_tokens():
    tokens = tokenize(pd.DataFrame({"doc_id": ["a", "b"], "text": ["...", "  --  "]}), cache=False)
    assert tokens.n_tokens == 0 and len(tokens.vocab) == 0
    assert tokens.bounds.tolist() == [0, 0, 0]
    assert isinstance(tokens, Tokens)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tokens_frame(tokens).empty
