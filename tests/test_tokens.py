"""Tokenizer, sentences, paragraphs, spelling folding, the token store and its cache.

The store is checked against plain references written here: tokens by
:data:`TOKEN_PATTERN` with ``finditer``, text by text (the definition), types
by lower-casing each token on its own, the vocabulary by ``sorted(set(...))``,
paragraphs and sentences by character loops that follow the rules of the
module docstring; on the five texts and on random strings full of their
oddities.
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
from rhetoric.corpus import load_corpus, raw_spans
from rhetoric.corpus import tokens as T
from rhetoric.corpus.tokens import (ABBREVIATIONS, NUMBER_ABBREVIATIONS, TOKEN_PATTERN, Tokens, cache_key,
                                    doc_token_lists, fold_spelling, paragraph_spans, sentence_spans, token_spans,
                                    tokenize, tokenize_text, tokens_frame)
from rhetoric.counts import stop_word_list

# --- references -------------------------------------------------------------------------

_BREAK = re.compile(r"\n[ \t]*\n\s*")
_ENDS, _CLOSERS, _OPENERS = ".!?\u2026", "\"')]\u201d\u2019", "\"'([\u201c\u2018"
_ZH_ENDS = "\u3002\uff01\uff1f"                                      # 。！？
_ZH_CLOSERS = "\u201d\u2019\u300d\u300f\uff09\u300b\u3011\u3015)]"    # ”’」』）》】〕)]
_LINE_FINALS = ".!?\u2026\u3002\uff01\uff1f:;\uff1a\uff1b"
_LINE_CLOSERS = "\"'\u201d\u2019)\uff09\u300d\u300f\u300b\u3011]"
_LOWER = set("abcdefghijklmnopqrstuvwxyz") | {chr(c) for c in range(0xDF, 0x100) if c != 0xF7} | \
    {chr(c) for c in range(0x430, 0x460)}


def is_han(ch):
    c = ord(ch)
    return c == 0x3007 or 0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF \
        or 0x20000 <= c <= 0x3134F


def ref_type(token):
    return token.lower().replace("\u2019", "'").replace("\u2010", "-").replace("\u2011", "-")


_JIEBA = None


def ref_cut(run, words):
    """A run of Chinese characters cut as documented: simplified (OpenCC t2s, character by character where the
    whole would change length), the lexicon words of 3+ characters found first by a plain left-to-right scan
    (longest at each position), jieba's own cut for the stretches between them."""
    global _JIEBA
    import jieba
    import opencc

    if _JIEBA is None:
        _JIEBA = jieba.Tokenizer()
    convert = opencc.OpenCC("t2s").convert
    simple = convert(run)
    if len(simple) != len(run):
        simple = "".join(c if len(convert(c)) != 1 else convert(c) for c in run)
    forced = sorted({convert(w) for w in words if len(w) >= 3}, key=len, reverse=True)
    pieces, free, i = [], "", 0
    while i < len(simple):
        word = next((w for w in forced if simple.startswith(w, i)), None)
        if word is None:
            free += simple[i]
            i += 1
            continue
        pieces += list(_JIEBA.cut(free, HMM=True)) if free else []
        pieces.append(word)
        free, i = "", i + len(word)
    pieces += list(_JIEBA.cut(free, HMM=True)) if free else []
    assert "".join(pieces) == simple
    return pieces


def ref_tokens(text, words=None):
    """Tokens: TOKEN_PATTERN with every Chinese character read as a space; each run of Chinese characters cut by
    ref_cut; in text order."""
    from rhetoric.corpus.tokens import lexicon_words

    masked = "".join(" " if is_han(c) else c for c in text)
    found = [(m.start(), m.end(), ref_type(text[m.start():m.end()])) for m in TOKEN_PATTERN.finditer(masked)]
    i = 0
    while i < len(text):
        if not is_han(text[i]):
            i += 1
            continue
        j = i
        while j < len(text) and is_han(text[j]):
            j += 1
        a = i
        for piece in ref_cut(text[i:j], lexicon_words() if words is None else words):
            found.append((a, a + len(piece), piece))
            a += len(piece)
        i = j
    found.sort()
    return [(a, b) for a, b, _ in found], [t for _, _, t in found]


def ref_lines_are_paragraphs(text):
    """Line by line: breaks after a sentence end against breaks inside a sentence and blank lines (module
    docstring)."""
    lines = text.split("\n")
    ends = wrapped = 0
    blank = len(_BREAK.findall(text))
    for line, after in zip(lines, lines[1:]):
        before, nxt = line.rstrip(" \t"), after.lstrip(" \t")
        if not before or not nxt or nxt[0].isspace():
            continue
        if before.rstrip(_LINE_CLOSERS)[-1:] in tuple(_LINE_FINALS):
            ends += 1
        elif not before[-1].isspace() and before[-1] not in _LINE_FINALS + _LINE_CLOSERS and nxt[0] in _LOWER:
            wrapped += 1
    return ends > 0 and ends > wrapped and ends > blank


def ref_paragraphs(text):
    if ref_lines_are_paragraphs(text):
        out, start = [], 0
        for line in text.split("\n"):
            s, e = start, start + len(line)
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append((s, e))
            start += len(line) + 1
        return out
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


def _wordish(ch):
    return ch.isalnum() or ch in "_."


def _keeps_open(text, stop, next_char, sentence_start):
    """The module docstring's exceptions for a single full stop at ``text[stop]``, by walking back."""
    begin = stop
    while begin > 0 and _wordish(text[begin - 1]):
        begin -= 1
    word = text[begin:stop]
    parts = word.split(".")
    if stop - begin > 24 or not word or not all(p and all(c.isalnum() or c == "_" for c in p) for p in parts):
        return False  # no word of the shape "Mr", "U.S", "21.2" before the full stop
    if word.lower() in ABBREVIATIONS:
        return True
    if word.lower() in NUMBER_ABBREVIATIONS:
        return next_char.isdigit()
    if all(len(p) == 1 and p.isalpha() for p in parts):
        clitic = len(word) == 1 and begin >= 2 and text[begin - 1] in "'\u2019" and text[begin - 2].isalnum()
        return not clitic
    return begin == sentence_start and len(word) <= 3 and word.isdecimal()


def ref_sentences(text):
    out = []
    for ps, pe in ref_paragraphs(text):
        start, i = ps, ps
        while i < pe:
            if text[i] in _ZH_ENDS:                     # 。！？ end a sentence wherever they stand
                j = i
                while j < pe and text[j] in _ZH_ENDS:
                    j += 1
                while j < pe and (text[j] in _ZH_CLOSERS or (text[j] in "\"'" and text.count(text[j], start, j) % 2)):
                    j += 1
                w = j
                while w < pe and text[w].isspace():
                    w += 1
                if w < pe:
                    out.append((start, j))
                    start = w
                i = j
                continue
            if text[i] not in _ENDS or (i > 0 and text[i - 1] in _ENDS):
                i += 1
                continue
            j = i
            while j < pe and text[j] in _ENDS:
                j += 1
            end = j
            while end < pe and text[end] in _CLOSERS:
                end += 1
            w = end
            while w < pe and text[w].isspace():
                w += 1
            if w == end or w == pe:
                i = j
                continue
            next_char = text[w + 1] if text[w] in _OPENERS and w + 1 < pe and not text[w + 1].isspace() else text[w]
            ends = next_char.isupper() or next_char.isdigit()
            if ends and text[i:j] == "." and _keeps_open(text, i, next_char, start):
                ends = False
            if ends:
                out.append((start, end))
                start = w
            i = j
        out.append((start, pe))
    return out


def check_store(texts, *, fold=False):
    """The store of ``texts`` equals the references, text by text; its vocabulary is sorted(set(types))."""
    tokens = tokenize(pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts}),
                      fold_spelling=fold, cache=False)
    all_types = []
    for i, text in enumerate(texts):
        a, b = tokens.bounds[i], tokens.bounds[i + 1]
        spans, types = ref_tokens(text)
        if fold:
            types = [fold_spelling(t) for t in types]
        assert list(zip(tokens.start[a:b].tolist(), tokens.end[a:b].tolist())) == spans, text
        assert tokens.vocab[tokens.ids[a:b]].tolist() == types, text
        all_types += types
        for table, owner, ref in ((tokens.paragraph_spans, tokens.paragraph_doc, ref_paragraphs),
                                  (tokens.sentence_spans, tokens.sentence_doc, ref_sentences)):
            assert [tuple(x) for x in table[owner == i].tolist()] == ref(text), (text, ref.__name__)
    assert tokens.vocab.tolist() == sorted(set(all_types))
    # each token in the sentence and paragraph that contain it, each sentence in its paragraph
    if tokens.n_tokens:
        sent = tokens.sentence_spans[tokens.sentence]
        assert (sent[:, 0] <= tokens.start).all() and (tokens.end <= sent[:, 1]).all()
        assert (tokens.sentence_doc[tokens.sentence] == tokens.doc_index).all()
        para = tokens.paragraph_spans[tokens.paragraph]
        assert (para[:, 0] <= tokens.start).all() and (tokens.end <= para[:, 1]).all()
    para = tokens.paragraph_spans[tokens.sentence_paragraph]
    assert (para[:, 0] <= tokens.sentence_spans[:, 0]).all() and (tokens.sentence_spans[:, 1] <= para[:, 1]).all()
    return tokens


def token_types(tokens, doc_id):
    i = list(tokens.doc_ids).index(doc_id)
    return list(tokens.vocab[tokens.ids[tokens.bounds[i]:tokens.bounds[i + 1]]])


# --- the store equals the references -------------------------------------------------------

def test_project_texts_match_the_references(project_docs):
    check_store(list(project_docs["text"]))
    check_store(list(project_docs["text"]), fold=True)


def test_store_and_frame_match_the_references(project_docs, project_tokens):
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


_PIECES = st.sampled_from([
    "a", "B", "Zz", "x\u00b2", "\u00b2", "\u00e9t\u00e9", "\u0416\u0443\u0437", "\u0130stanbul",
    "\u039f\u0394\u039f\u03a3", "\U0001d518", "\u0663", " ", "  ", "\n", "\n\n", " \n \n", "\t", "\u2028", ".", ",", "!", "?", "\u2026", "...",
    "\"", "'", "\u2019", "\u201c", "\u201d", "(", ")", "[", "]", "-", "\u2010", "_", "%", "$", "\u20ac", "1", "23",
    "4.5", "6,000", "US$", "RMB\u00a5", " billion", "Sept. ", "Mr. ", "mr. ", "No. ", "U.S. ", "e.g. ", "K.K. ", "A. ",
    "etc. ", "they're ", "we'll ", "Xi'an", "China's ", "China\u2019S ", "countries' ", "win-win", "30th", "31.1%",
    "The", "Next", "1. ", "\u0394\u03a3's",
    "\u4e2d", "\u4eba\u7c7b\u547d\u8fd0\u5171\u540c\u4f53", "\u4eba\u985e\u547d\u904b", "\u3002", "\uff01", "\uff1f",
    "\u300c", "\u300d", "\u4e00\u5e26\u4e00\u8def", "2022\u5e74", "\u5408\u4f5c\u5171\u8d62",
    "\u9ec3\u91d1\u4e09\u5341\u5e74",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=30).map("".join), min_size=1, max_size=4))
def test_tokenizer_equals_the_references_on_random_texts(texts):
    check_store(texts)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=3))
def test_tokenizer_equals_the_references_on_any_unicode(texts):
    check_store(texts)


def test_token_spans_equal_finditer_on_many_strings():
    """Texts without Chinese characters: exactly the tokens of TOKEN_PATTERN."""
    rng = np.random.default_rng(7)
    alphabet = list("aB -'_.,%$\u20ac19\u2019\u2010") + ["US$", "RMB\u00a5", " billion", "they're", "Xi'an", "'s",
                                                         "e'r", "\u0130", "\u03a3"]
    for _ in range(3000):
        text = "".join(alphabet[k] for k in rng.integers(0, len(alphabet), rng.integers(0, 20)))
        spans, types = token_spans(text)
        assert [tuple(s) for s in spans.tolist()] == [m.span() for m in TOKEN_PATTERN.finditer(text)], text
        assert types == [ref_type(m.group(0)) for m in TOKEN_PATTERN.finditer(text)], text


# --- exact ids -------------------------------------------------------------------------------

def _thue_morse(n):
    return "".join("ab"[bin(i).count("1") % 2] for i in range(n))


def _old_hashes(word, base=0x9E3779B97F4A7C15, k1=0x165667B19E3779F9, k2=0x27D4EB2F165667C5):
    """The hashes the old tokenizer identified types by: a polynomial one and a sum, both modulo 2**64."""
    mask = 2 ** 64 - 1
    h1 = (sum(ord(c) * pow(base, j, 2 ** 64) for j, c in enumerate(word)) + len(word) * k1) & mask
    h2 = (sum(ord(c) for c in word) + len(word) * k2) & mask
    return h1, h2


def test_tokens_whose_old_hashes_collide_are_two_types():
    first = _thue_morse(1024)
    second = first.translate(str.maketrans("ab", "ba"))  # its complement
    assert first != second and _old_hashes(first) == _old_hashes(second)  # the old ids were the same
    docs = pd.DataFrame({"doc_id": ["one", "two"],
                         "text": [f"{first} and {second}. {first.upper()}!", f"{second} twice: {second}"]})
    tokens = tokenize(docs, cache=False)
    assert tokens.vocab.tolist() == [first, "and", second, "twice"]  # "abba..." < "and" < "baab..."
    counts = dict(zip(tokens.vocab.tolist(), np.bincount(tokens.ids, minlength=len(tokens.vocab)).tolist()))
    assert counts == {"and": 1, first: 2, second: 3, "twice": 1}
    assert doc_token_lists(tokens) == [[first, "and", second, first], [second, "twice", second]]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abAB'-.,1 \n\u00e9\u0130\u03a3", max_size=80), min_size=1, max_size=5))
def test_ids_map_to_exactly_the_reference_types(texts):
    """Every id names exactly the type of its token: vocab is sorted(set(types)) of re.finditer per text."""
    tokens = tokenize(pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts}), cache=False)
    ref = [ref_type(m.group(0)) for text in texts for m in TOKEN_PATTERN.finditer(text)]
    assert tokens.vocab.tolist() == sorted(set(ref))
    assert tokens.vocab[tokens.ids].tolist() == ref
    assert tokens.ids.dtype == np.int32 and len(set(tokens.vocab.tolist())) == len(tokens.vocab)


# --- tokens: every oddity of the five texts -------------------------------------------------------

def test_hyphenated_compounds_stay_whole(project_tokens):
    vocab = set(project_tokens.vocab)
    for word in ["win-win", "good-neighborly", "people-to-people", "china-kazakhstan", "one-china",
                 "year-on-year", "covid-19", "kassym-jomart", "opening-up", "china-central", "100-mw"]:
        assert word in vocab, word
    assert token_types(project_tokens, "zhang2022_visit")[:16] == [
        "president", "xi", "jinping", "'s", "visit", "to", "kazakhstan", "charts", "new", "blueprint", "for",
        "china-kazakhstan", "relations", "by", "zhang", "xiao"]


def test_money_is_a_sign_a_number_and_a_word(project_docs, project_tokens):
    """"$21.2 billion" is three tokens ("US$21.2 billion" four): the tokens up to each "billion", read in the texts."""
    frame = tokens_frame(project_tokens, project_docs)
    got = sorted((frame.loc[i, "doc_id"], " ".join(frame.loc[i - 3:i, "token"]))
                 for i in frame.index[frame["type"] == "billion"])
    assert got == sorted([
        ("zhang2022_visit", "to $ 17.67 billion"), ("zhang2022_visit", "than $ 21.2 billion"),
        ("xi2022_unofficial", "to $ 25 billion"), ("xi2022_unofficial", "more than 21.2 billion"),
        ("xi2022_xinhua", "US $ 21.2 billion"), ("xi2022_xinhua", "US $ 25 billion"),
        ("zhang2023_newyear", "reached $ 36.87 billion"), ("cgtn2024_visit", "reach $ 41 billion"),
    ])


def test_numbers_ordinals_and_percentages(project_tokens):
    vocab = set(project_tokens.vocab)
    assert {"30th", "20th", "22nd", "31st", "3rd", "10th", "11th", "75th"} <= vocab
    assert {"31.1", "5.2", "%", "200,000", "6,195", "3,000", "18.9", "percent", "1992"} <= vocab
    assert "2,552" not in vocab and "31.1%" not in vocab  # the view counter is cleaned away; % is its own token
    zhang = token_types(project_tokens, "zhang2022_visit")
    i = zhang.index("18.9")
    assert zhang[i:i + 2] == ["18.9", "percent"]


def test_possessives_and_apostrophes(project_docs, project_tokens):
    vocab = set(project_tokens.vocab)
    assert "'s" in vocab and "s" not in vocab and "people's" not in vocab and "china's" not in vocab
    assert "xi'an" in vocab  # an apostrophe inside a name
    frame = tokens_frame(project_tokens, project_docs)
    people = frame[frame["token"] == "People"]
    assert len(people) == sum(len(re.findall(r"\bPeople\b", t)) for t in project_docs["text"]) == 7
    assert set(people["type"]) == {"people"}
    assert set(frame.loc[frame["token"].str.startswith("countries"), "token"]) == {"countries"}


@pytest.mark.parametrize("text, tokens", [
    ("China's People\u2019s they're we'll I'd don't Xi'an O'Neill countries' rock'n'roll",
     ["China", "'s", "People", "\u2019s", "they're", "we'll", "I'd", "don't", "Xi'an", "O'Neill", "countries",
      "rock'n'roll"]),
    ("Trade hit $21.2 billion, US$ 5 bn, \u20ac3,000 and RMB\u00a51.5 million; 21.2 billion too.",
     ["Trade", "hit", "$", "21.2", "billion", "US", "$", "5", "bn", "\u20ac", "3,000", "and", "RMB", "\u00a5", "1.5",
      "million", "21.2", "billion", "too"]),
    ("30th 2nd 12.5% 30% 2,552 3.14 1365-1457 COVID-19 2.5km",
     ["30th", "2nd", "12.5", "%", "30", "%", "2,552", "3.14", "1365-1457", "COVID-19", "2.5km"]),
    ("win-win good-neighbourly people-to-people -dash- snake_case non\u2011stop",
     ["win-win", "good-neighbourly", "people-to-people", "dash", "snake_case", "non\u2011stop"]),
    ("K.K. Tokayev, the U.S. and e.g. 1.5.2 -- a--b a..b a, b", ["K.K", "Tokayev", "the", "U.S", "and", "e.g",
                                                                  "1.5.2", "a", "b", "a", "b", "a", "b"]),
    ("\u0416\u0443\u0437 caf\u00e9 x\u00b2 \u0663\u0664", ["\u0416\u0443\u0437", "caf\u00e9", "x\u00b2",
                                                           "\u0663\u0664"]),
])
def test_token_pattern_on_tiny_strings(text, tokens):
    assert TOKEN_PATTERN.findall(text) == tokens
    spans, _ = token_spans(text)
    assert [text[a:b] for a, b in spans.tolist()] == tokens


def test_types_are_lower_cased_each_token_on_its_own():
    assert tokenize_text("$5\nbillion and $5 billion, \u0130stanbul \u039f\u0394\u039f\u03a3 WIN\u2011Win "
                         "People\u2019S") == [
        "$", "5", "billion", "and", "$", "5", "billion", "i\u0307stanbul", "\u03bf\u03b4\u03bf\u03c2", "win-win",
        "people", "'s"]
    # a capital sigma lower-cases to a final sigma at the end of its token, whatever follows the token
    assert tokenize_text("\u039f\u0394\u039f\u03a3's \u039f\u0394\u039f\u03a3") == [
        "\u03bf\u03b4\u03bf\u03c2", "'s", "\u03bf\u03b4\u03bf\u03c2"]
    tokens = check_store(["\u039f\u0394\u039f\u03a3's and \u039f\u0394\u039f\u03a3. \u0130"])
    assert tokens.vocab.tolist() == ["'s", "and", "i\u0307", "\u03bf\u03b4\u03bf\u03c2"]


def test_tiny_corpus_tokens_by_hand(tiny_tokens):
    """The token lists written out in conftest.py."""
    assert doc_token_lists(tiny_tokens) == [
        "the community with a shared future win-win cooperation is key trade is up".split(),
        "the community of common destiny mutually beneficial cooperation is key trade is up".split(),
        ["trade", "grew", "to", "$", "21.2", "billion", "trade", "and", "security", "matter", "security", "security",
         "the", "community", "with", "a", "shared", "future"],
    ]
    assert tiny_tokens.doc_lengths().tolist() == [13, 13, 18]


# --- sentences and paragraphs ----------------------------------------------------------------------

def sentences_of(text):
    return [text[a:b] for a, b in sentence_spans(text)]


def test_sentences_in_the_xinhua_text(project_docs):
    text = project_docs.set_index("doc_id").loc["xi2022_xinhua", "text"]
    # the document's text starts at the article (issue 19): Xinhua's lead ("BEIJING, Sept. 13 (Xinhua) -- ...")
    # and "Following is an English version ..." are the part "wrapper"; the raw file from the title on is
    # "Build on the Past ... Relations\n\nXi Jinping\n\nPresident of the People's Republic of China\n\nIn the
    # charming season of autumn, I will be making a state visit ..." (read in data/raw/)
    first = sentences_of(text)[:4]
    assert first[:3] == ["Build on the Past to Make Greater Strides in China-Kazakhstan Relations", "Xi Jinping",
                         "President of the People's Republic of China"]
    assert first[3].startswith("In the charming season of autumn, I will be making a state visit")
    assert not [s for s in sentences_of(text) if "Xinhua" in s or s.startswith("Following is")]
    wrapper = load_corpus(parts="all").set_index("doc_id").loc["xi2022_xinhua#wrapper", "text"]
    lead = sentences_of(wrapper)
    assert lead[0].startswith("BEIJING, Sept. 13 (Xinhua) -- A signed article by Chinese President Xi Jinping")
    assert lead[0].endswith("ahead of his state visit to Kazakhstan.")
    assert lead[1:] == ["Following is an English version of the full text of the article:"]
    proverb = [s for s in sentences_of(text) if "Friendship" in s]
    assert proverb == ['As a Kazakh proverb goes, "Friendship is an inexhaustible wealth."']


def test_sentences_keep_initials_and_abbreviations(project_docs):
    text = project_docs.set_index("doc_id").loc["zhang2023_newyear", "text"]
    kk = [s for s in sentences_of(text) if "K.K." in s]
    assert len(kk) == 3 and all("K.K. Tokayev" in s for s in kk)
    assert sentences_of("Mr. Li met Dr. Wu on Sept. 13 in the U.S. He left. A. B. Smith came. Then e.g. X.") == [
        "Mr. Li met Dr. Wu on Sept. 13 in the U.S. He left.", "A. B. Smith came.", "Then e.g. X."]


def test_sentences_quotes_brackets_and_punctuation():
    assert sentences_of('He said: "Yes." Then (no!) [Maybe?] "Really?!" 2024 came. "Quoted" start') == [
        'He said: "Yes."', "Then (no!)", "[Maybe?]", '"Really?!"', "2024 came.", '"Quoted" start']
    assert sentences_of("lower. case. ends") == ["lower. case. ends"]
    assert sentences_of("One.\n\nTwo\nlines.\n\n\n  Three") == ["One.", "Two\nlines.", "Three"]


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_sentence_spans_equal_the_reference_loop(text):
    assert [tuple(x) for x in sentence_spans(text).tolist()] == ref_sentences(text)
    assert [tuple(x) for x in paragraph_spans(text).tolist()] == ref_paragraphs(text)


@pytest.mark.parametrize("text", ["." * 100_000, "!" * 100_000 + " A", "\u2026" * 100_000, "a" * 300_000 + ". B",
                                  "ab." * 100_000, "x." + " " * 100_000 + "y", "A. " * 30_000, '?"' * 50_000 + " B",
                                  "Mr." * 50_000 + " A"])
def test_sentence_splitting_is_linear_on_long_runs(text):
    """Runs of punctuation, letters or initials: each run is looked at once (this finishes in well under a
    second; a quadratic scan of these texts would take minutes). The result equals the reference."""
    assert [tuple(x) for x in sentence_spans(text).tolist()] == ref_sentences(text)


def test_paragraphs(project_docs):
    counts = [len(paragraph_spans(t)) for t in project_docs["text"]]
    # xi2022_xinhua: 17, the article's paragraphs (the raw file from the title "Build on the Past ..." on, split at
    # blank lines with plain re.split(r"\n\s*\n", ...)); 19 before issue 19 counted Xinhua's two wrapper
    # paragraphs (the lead and "Following is ..."), now the part "wrapper"
    assert counts == [21, 16, 17, 13, 18]
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
    assert t.start.dtype == np.int32 and t.end.dtype == np.int32 and t.bounds.dtype == np.int64
    assert t.sentence_paragraph.dtype == np.int32 and t.sentence_doc.dtype == np.int32
    assert len(t.start) == len(t.end) == len(t.sentence) == len(t.paragraph) == n
    assert t.bounds[0] == 0 and t.bounds[-1] == n
    assert list(t.doc_ids) == list(project_docs["doc_id"])
    assert t.sentence_spans.shape == (len(t.sentence_doc), 2) == (len(t.sentence_paragraph), 2)
    assert t.paragraph_spans.shape == (len(t.paragraph_doc), 2)
    assert (np.diff(t.sentence) >= 0).all() and (np.diff(t.paragraph) >= 0).all()
    assert t.doc_index.tolist() == np.repeat(np.arange(5), np.diff(t.bounds)).tolist()
    assert t.term_id("win-win") == list(t.vocab).index("win-win")
    assert t.term_id("no-such-word") is None
    assert len(t.paragraph_spans) == sum(len(paragraph_spans(x)) for x in project_docs["text"])


def test_subset(project_tokens, project_docs):
    sub = project_tokens.subset(["cgtn2024_visit", "zhang2022_visit"])
    assert list(sub.doc_ids) == ["zhang2022_visit", "cgtn2024_visit"]  # the store's order
    # recomputed for the new token definition: TOKEN_PATTERN matches in the two texts
    texts = project_docs.set_index("doc_id")["text"]
    assert sub.n_tokens == len(TOKEN_PATTERN.findall(texts["zhang2022_visit"])) + \
        len(TOKEN_PATTERN.findall(texts["cgtn2024_visit"])) == 739 + 681
    assert doc_token_lists(sub) == [doc_token_lists(project_tokens)[0], doc_token_lists(project_tokens)[4]]
    assert (sub.sentence_doc[sub.sentence] == sub.doc_index).all()
    assert sub.vocab is project_tokens.vocab
    first = project_tokens.sentence_doc == 0
    assert np.array_equal(sub.sentence_spans[sub.sentence_doc == 0], project_tokens.sentence_spans[first])
    assert sub.paragraph.tolist()[:3] == [0, 0, 0] and sub.paragraph.max() == 21 + 18 - 1


def test_tokens_frame_columns(project_tokens, project_docs):
    frame = tokens_frame(project_tokens, project_docs)
    assert list(frame.columns) == ["doc_id", "position", "token", "type", "start", "end", "sentence", "paragraph",
                                   "raw_start", "raw_end"]
    # last position = n_tokens - 1; xi2022_xinhua has 1522 tokens without Xinhua's 51-token wrapper (1573 - 51,
    # re-derived in test_corpus.py::test_corpus_summary by regex on the raw file from the article's title on)
    assert frame.groupby("doc_id", sort=False)["position"].max().tolist() == [738, 1516, 1573 - 51 - 1, 1302, 680]
    assert "token" not in tokens_frame(project_tokens).columns


def test_the_one_stop_word_list():
    """(Moved from the tokens module to rhetoric.counts; the list is read from data/stopwords.txt.)"""
    words = stop_word_list()
    assert {"the", "and", "'s"} <= words
    assert stop_word_list(None) == stop_word_list(False) == frozenset()
    listed = {line.split("#")[0].strip().lower() for line in config.STOPWORDS_FILE.read_text().splitlines()}
    assert words == frozenset(w for w in listed if w)


def test_docs_without_offsets_or_checksums():
    docs = pd.DataFrame({"doc_id": ["x", "y"], "text": ["One two.", "Three."]})
    tokens = tokenize(docs, cache=False)
    assert doc_token_lists(tokens) == [["one", "two"], ["three"]]
    start, end = raw_spans(docs, ["x", "x", "y"], tokens.start, tokens.end)
    assert start.tolist() == [0, 4, 0] and end.tolist() == [3, 7, 5]


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


def _same_store(first, second):
    for name in T._ARRAYS:
        assert np.array_equal(getattr(first, name), getattr(second, name)), name
        assert getattr(first, name).dtype == getattr(second, name).dtype, name
    assert second.settings == first.settings


def test_second_call_reads_the_cache(tiny_docs, cache_dir, monkeypatch):
    first = tokenize(tiny_docs)
    assert len(list(cache_dir.glob("*.npz"))) == 1
    _forbid_build(monkeypatch)
    _same_store(first, tokenize(tiny_docs))


def test_cache_lives_in_the_corpus_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("RHETORIC_CACHE_DIR")
    folder = write_corpus(tmp_path / "c", TINY_TEXTS)
    tokenize(load_corpus(folder))
    assert len(list((folder / "interim" / "token-cache").glob("*.npz"))) == 1
    assert sorted(p.name for p in (folder / "raw").iterdir()) == sorted(f"{d}.txt" for d in TINY_TEXTS)


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
    # the abbreviation lists the sentence rule uses
    before = cache_key(changed)
    monkeypatch.setattr(T, "NUMBER_ABBREVIATIONS", T.NUMBER_ABBREVIATIONS | {"tel"})
    assert cache_key(changed) != before
    # a text edited in memory is never served a stale store
    edited = changed.copy()
    edited.loc[0, "text"] = "Edited in memory."
    assert doc_token_lists(tokenize(edited))[0] == ["edited", "in", "memory"]


def test_unreadable_cache_is_rebuilt_and_unwritable_cache_is_skipped(tiny_docs, cache_dir, tmp_path, monkeypatch):
    tokenize(tiny_docs)
    path = next(cache_dir.glob("*.npz"))
    path.write_bytes(b"not a numpy file")
    assert tokenize(tiny_docs).n_tokens == 44
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("RHETORIC_CACHE_DIR", str(blocker / "cache"))
    with pytest.warns(UserWarning, match="token cache not written"):
        assert tokenize(tiny_docs).n_tokens == 44


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "other-settings", "bad-ids"])
def test_a_damaged_cache_file_is_rebuilt_and_rewritten(tiny_docs, cache_dir, monkeypatch, damage):
    fresh = tokenize(tiny_docs, cache=False)
    tokenize(tiny_docs)
    path = next(cache_dir.glob("*.npz"))
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[:len(data) // 2])
    elif damage == "flip":
        middle = bytearray(data)
        middle[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(middle))
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # a readable file whose content does not fit: other settings, or ids beyond the vocabulary
        arrays = {name: getattr(fresh, name) for name in T._ARRAYS}
        settings_ = T._settings(True, None)
        if damage == "bad-ids":
            arrays["ids"] = arrays["ids"] + len(fresh.vocab)
            settings_["fold_spelling"] = False
        np.savez(path, **arrays, settings=np.array(__import__("json").dumps(settings_)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # silently
        rebuilt = tokenize(tiny_docs)
    _same_store(fresh, rebuilt)
    assert [p.name for p in cache_dir.iterdir()] == [path.name]  # rewritten in place, no temporary file left
    _forbid_build(monkeypatch)
    _same_store(fresh, tokenize(tiny_docs))  # the rewritten file is valid again


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
    assert tokens.n_tokens == 14 * n_reps  # "$21.2 billion" is three tokens
    assert len(tokens.sentence_spans) == 1 and len(tokens.paragraph_spans) == 1
    assert tokens.term_id("21.2") is not None and tokens.term_id("$") is not None
    assert np.bincount(tokens.ids)[tokens.term_id("win-win")] == n_reps
    last = tokens.n_tokens - 1
    raw_start, raw_end = raw_spans(docs, ["long"], tokens.start[last:], tokens.end[last:])
    assert text[raw_start[0]:raw_end[0]] == "and" and raw_end[0] == len(text) - 1


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
    assert tokens.paragraph.shape == (0,) and tokens.sentence_spans.tolist() == [[0, 3], [2, 4]]  # one each


def test_blocks_and_worker_processes_give_the_same_store(project_docs, monkeypatch):
    """Tokenizing in blocks, and the blocks in parallel processes, changes nothing but memory and time."""
    from rhetoric.corpus import tokens as tokens_module

    whole = tokenize(project_docs, cache=False)
    monkeypatch.setattr(tokens_module, "BLOCK_CHARS", 9_000)       # several blocks of a document or two
    blocked = tokenize(project_docs, cache=False)
    monkeypatch.setattr(tokens_module, "PARALLEL_CHARS", 1)        # and in worker processes
    parallel = tokenize(project_docs, cache=False)
    assert len(tokens_module._blocks([str(t) for t in project_docs["text"]], 9_000)) >= 3
    for other in (blocked, parallel):
        for name in tokens_module._ARRAYS:
            assert np.array_equal(getattr(whole, name), getattr(other, name)), name


def test_a_very_long_token_costs_its_own_length_only():
    """The vocabulary holds Python strings, not fixed-width ones: one 200,000-letter token does not make
    every type 200,000 characters wide (that was 3.6 GB for 9,000 types)."""
    import pandas as pd

    long_word = "x" * 200_000
    docs = pd.DataFrame({"doc_id": ["a"], "text": [f"{long_word} and {' '.join(f'w{i}' for i in range(2000))}"]})
    store = tokenize(docs, cache=False)
    assert store.vocab.dtype == object and len(store.vocab) == 2002
    assert sum(map(len, store.vocab.tolist())) < 210_000
    assert long_word in set(store.vocab.tolist())


# --- Chinese text and the paragraph layout (issue 16) --------------------------------------------------------

def test_chinese_words_types_and_raw_offsets():
    """A traditional text: lexicon words whole, types simplified, offsets on the characters as written."""
    text = "兩國元首同意構建人類命運共同體，推動高質量共建「一帶一路」。\n雙方堅持互利共贏，反對外部勢力干涉內政！"
    spans, types = token_spans(text)
    words = [text[a:b] for a, b in spans.tolist()]
    # the formula words of the lexicon are single tokens, read as simplified characters
    for written, folded in [("人類命運共同體", "人类命运共同体"), ("高質量", "高质量"), ("一帶一路", "一带一路"),
                            ("互利共贏", "互利共赢"), ("外部勢力干涉", "外部势力干涉")]:
        assert written in words and types[words.index(written)] == folded
    # nothing is lost or doubled: the tokens are the Chinese characters, in order, punctuation left out
    assert "".join(words) == "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    assert [tuple(x) for x in spans.tolist()] == ref_tokens(text)[0]
    # sentences end at 。and ！ ; the single line break after a sentence end makes two paragraphs
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "兩國元首同意構建人類命運共同體，推動高質量共建「一帶一路」。", "雙方堅持互利共贏，反對外部勢力干涉內政！"]
    assert len(paragraph_spans(text)) == 2


def test_chinese_sentences_quotes_and_digits():
    text = '他说：“合作共赢。”我们同意！2022年9月，双方会晤？是的'
    assert sentences_of(text) == ['他说：“合作共赢。”', '我们同意！', '2022年9月，双方会晤？', '是的']
    # straight quotes (the cleaning rules make curly ones straight): one closes the quote the sentence opened
    assert sentences_of('他说："好。"然后"走"。') == ['他说："好。"', '然后"走"。']
    assert tokenize_text("2022年9月") == ["2022", "年", "9", "月"]
    assert tokenize_text("G20峰会") == ["g20", "峰会"]


def test_a_store_of_chinese_texts_records_its_words(tmp_path):
    folder = write_corpus(tmp_path / "zh", {"a": ("2023", "", "", "p", "构建人类命运共同体。"),
                                            "b": ("2023", "", "", "p", "English only.")})
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "formulas.yml").write_text(
        "formulas:\n  - id: x\n    label: x\n    variants: [新造词语组合]\n", encoding="utf-8")
    docs = load_corpus(folder)
    tokens = tokenize(docs, cache=False)
    words = tokens.settings["chinese_words"]
    assert "人类命运共同体" in words and "新造词语组合" in words  # the project's and the corpus's own lexicon
    assert tokenize(docs[docs["doc_id"] == "b"], cache=False).settings["chinese_words"] is None
    assert cache_key(docs, chinese=words) != cache_key(docs, chinese=None)


@pytest.mark.parametrize("text, expected", [
    ("Title line\nFirst paragraph ends here.\nSecond paragraph too.\n", 3),            # one paragraph per line
    ("中哈关系\n第一段。\n第二段！\n", 3),
    ("A hard-wrapped paragraph that\ngoes on over lines\nand ends.\n\nNext one.", 2),  # wrapped: blank lines
    ("One sentence.\nA community with a\nshared future.", 1),                         # as many wraps as ends
    ("Heading\nByline\n\nBody text.", 2),                                              # no sentence end: blocks
    ("First.\n\nSecond.\nThird.", 2),                               # as many blank lines as line ends: blocks
    ("Heading\n\nFirst.\nSecond.\nThird.", 4),                     # a heading above lines: lines
    ("One.\n\nTwo. And\nthree.\nFour.\n\nFive.", 3),             # a stray break in a blank-line text: blocks
])
def test_paragraph_layout_rule(text, expected):
    assert len(paragraph_spans(text)) == expected
    assert [tuple(x) for x in paragraph_spans(text).tolist()] == ref_paragraphs(text)
