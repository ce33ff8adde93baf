"""Loading the project corpus and any corpus folder; dates; the translation-aware view; helpers."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import TINY_TEXTS, write_corpus
from rhetoric import config
from rhetoric.corpus import TOKEN_PATTERN, OffsetMap, corpus_summary, load_corpus, parse_date, tokenize, validate_corpus
from rhetoric.counts import check_column, check_prefer, one_per_translation_group
from rhetoric.errors import CorpusError, ParameterError

SHARED_CORPUS = config.PROJECT_ROOT.parent / "shared" / "corpus"
SHARED_NAMES = {  # the shared folder's names (its README) -> this project's doc_id
    "000_b3ea26a1876b17c8.txt": "xi2022_unofficial",
    "001_06ad28965507dab4.txt": "xi2022_xinhua",
    "002_ea63af84a1b89334.txt": "zhang2022_visit",
    "003_c3b52a6bc11318a8.txt": "zhang2023_newyear",
    "004_159bf453b18760f3.txt": "cgtn2024_visit",
}


# --- the project corpus ---------------------------------------------------------------

def test_project_corpus_has_the_five_documents_in_date_order(project_docs):
    assert list(project_docs["doc_id"]) == [
        "zhang2022_visit", "xi2022_unofficial", "xi2022_xinhua", "zhang2023_newyear", "cgtn2024_visit"]
    assert list(project_docs["date"]) == ["2022-09", "2022-09-13", "2022-09-13", "2023-12", "2024-07-04"]
    assert list(project_docs["year"]) == [2022, 2022, 2022, 2023, 2024]
    assert project_docs["year"].dtype.kind == "i"
    assert list(project_docs["date_precision"]) == ["month", "day", "day", "month", "day"]
    assert list(project_docs["date_start"]) == [pd.Timestamp(x) for x in
                                                ("2022-09-01", "2022-09-13", "2022-09-13", "2023-12-01", "2024-07-04")]
    assert list(project_docs["translation_group"]) == [
        "zhang2022_visit", "xi2022_article", "xi2022_article", "zhang2023_newyear", "cgtn2024_visit"]
    assert list(project_docs["translation"]) == ["", "unofficial", "official", "", ""]
    assert list(project_docs["author"]) == ["Zhang Xiao", "Xi Jinping", "Xi Jinping", "Zhang Xiao", "CGTN"]


def test_project_corpus_columns_and_attrs(project_docs):
    expected = {"doc_id", "date", "date_precision", "period", "title", "author", "role", "outlet", "genre",
                "language", "translation_group", "translation", "file", "sha256", "source_note", "year",
                "date_start", "path", "raw_text", "text", "offsets", "rule_counts", "n_chars"}
    assert expected <= set(project_docs.columns)
    assert Path(project_docs.attrs["corpus_dir"]) == config.DATA_DIR.resolve()
    assert len(project_docs.attrs["rules_fingerprint"]) == 16
    assert all(isinstance(o, OffsetMap) for o in project_docs["offsets"])
    assert list(project_docs["n_chars"]) == [len(t) for t in project_docs["text"]]


def test_raw_text_is_the_file_and_sha256_is_of_its_bytes(project_docs):
    for row in project_docs.itertuples():
        data = Path(row.path).read_bytes()
        assert row.raw_text == data.decode("utf-8")
        assert row.sha256 == hashlib.sha256(data).hexdigest()
        assert Path(row.path).parent == config.RAW_DIR.resolve()


def test_metadata_table_checksums_match_the_files():
    table = pd.read_csv(config.DATA_DIR / "corpus.csv", dtype=str, keep_default_na=False)
    for row in table.itertuples():
        assert hashlib.sha256((config.DATA_DIR / row.file).read_bytes()).hexdigest() == row.sha256


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="the shared source folder is not on this machine")
def test_raw_files_are_byte_identical_to_the_shared_source(project_docs):
    by_id = project_docs.set_index("doc_id")
    for shared_name, doc_id in SHARED_NAMES.items():
        assert Path(by_id.loc[doc_id, "path"]).read_bytes() == (SHARED_CORPUS / shared_name).read_bytes(), doc_id


def test_project_corpus_validates_clean():
    assert validate_corpus() == []


# --- any corpus folder --------------------------------------------------------------------

def test_tiny_corpus_loads_with_defaults(tiny_docs):
    assert list(tiny_docs["doc_id"]) == ["a_official", "b_unofficial", "c_2024"]
    assert list(tiny_docs["year"]) == [2022, 2022, 2024]
    assert list(tiny_docs["date_precision"]) == ["day", "day", "month"]
    assert tiny_docs.loc[2, "title"] == ""  # optional column absent: empty string
    assert list(tiny_docs["text"]) == [TINY_TEXTS[d][4] for d in tiny_docs["doc_id"]]


def test_only_the_three_required_columns_are_required(tmp_path):
    raw = tmp_path / "texts"
    raw.mkdir()
    (raw / "one.txt").write_text("First text.", encoding="utf-8")
    (raw / "two.txt").write_text("Second text.", encoding="utf-8")
    (tmp_path / "corpus.csv").write_text("doc_id,date,file\nb,2021,texts/two.txt\na,2020-05,texts/one.txt\n",
                                         encoding="utf-8")
    docs = load_corpus(tmp_path)
    assert list(docs["doc_id"]) == ["a", "b"]  # sorted by date
    assert list(docs["translation_group"]) == ["a", "b"]  # defaults to the doc_id
    assert list(docs["date_precision"]) == ["month", "year"]
    assert list(docs["sha256"]) == [hashlib.sha256(b"First text.").hexdigest(),
                                    hashlib.sha256(b"Second text.").hexdigest()]


def test_changed_file_is_reported_by_name(tmp_path):
    folder = write_corpus(tmp_path / "c", TINY_TEXTS)
    (folder / "raw" / "b_unofficial.txt").write_text("Edited.", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    message = str(info.value)
    assert "raw/b_unofficial.txt" in message and "has changed" in message and "[sha256]" in message
    assert "corpus.csv:3" in message
    assert "a_official" not in message  # only the changed file
    assert len(load_corpus(folder, verify=False)) == 3  # verify=False skips the check


def test_project_copy_with_one_changed_file(tmp_path):
    shutil.copytree(config.DATA_DIR, tmp_path / "data", ignore=shutil.ignore_patterns("interim"))
    target = tmp_path / "data" / "raw" / "2024-07-04_cgtn_pr-newswire_friendly-ties.txt"
    target.write_bytes(target.read_bytes().replace(b"ChinaKazakhstan", b"China-Kazakhstan"))
    problems = validate_corpus(tmp_path / "data")
    assert len(problems) == 1
    assert problems[0].field == "sha256" and problems[0].line == 6
    assert "2024-07-04_cgtn_pr-newswire_friendly-ties.txt" in problems[0].message


def test_offsets_of_identity_cleaning_are_identity(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a": ("2020", "a", "", "", "Plain text.\n")})
    docs = load_corpus(folder)
    assert docs.loc[0, "offsets"].n_segments == 0
    start, end = docs.loc[0, "offsets"].to_raw([0, 6], [5, 10])
    assert start.tolist() == [0, 6] and end.tolist() == [5, 10]


# --- dates -----------------------------------------------------------------------------

@pytest.mark.parametrize("value, first, precision", [
    ("2022", "2022-01-01", "year"), ("2022-09", "2022-09-01", "month"), ("2022-09-13", "2022-09-13", "day"),
    (" 2024-02-29 ", "2024-02-29", "day"),
])
def test_parse_date(value, first, precision):
    assert parse_date(value) == (pd.Timestamp(first), precision)


@pytest.mark.parametrize("value, words", [
    ("13/09/2022", ["not a date", "2022-09-13"]), ("Sept 2022", ["not a date", "YYYY-MM"]),
    ("2022-02-30", ["impossible", "2022-02"]), ("2022-13", ["impossible", "month 13", "01 to 12"]),
    ("2023-02-29", ["impossible"]), ("", ["not a date"]),
])
def test_parse_date_rejects_with_a_fix(value, words):
    with pytest.raises(ValueError) as info:
        parse_date(value)
    for word in words:
        assert word in str(info.value)


# --- the translation-aware view ------------------------------------------------------------

def test_one_per_translation_group_prefers_official(project_docs):
    view = one_per_translation_group(project_docs)
    assert list(view["doc_id"]) == ["zhang2022_visit", "xi2022_xinhua", "zhang2023_newyear", "cgtn2024_visit"]
    assert view.attrs == project_docs.attrs
    assert len(project_docs) == 5  # input untouched


def test_one_per_translation_group_prefer_unofficial_and_doc_id(project_docs):
    unofficial = one_per_translation_group(project_docs, prefer="unofficial")
    assert list(unofficial["doc_id"]) == ["zhang2022_visit", "xi2022_unofficial", "zhang2023_newyear",
                                          "cgtn2024_visit"]
    by_id = one_per_translation_group(project_docs, prefer="xi2022_unofficial")
    assert list(by_id["doc_id"]) == list(unofficial["doc_id"])
    # every group counts once: years of the view
    assert unofficial["year"].value_counts().to_dict() == {2022: 2, 2023: 1, 2024: 1}


def test_one_per_translation_group_keeps_order_and_falls_back_to_first_by_date():
    docs = pd.DataFrame({
        "doc_id": ["late", "early", "solo"],
        "translation_group": ["g", "g", ""],
        "translation": ["", "", ""],
        "date_start": pd.to_datetime(["2021-01-01", "2020-01-01", "2019-01-01"]),
    }, index=[10, 5, 7])
    view = one_per_translation_group(docs)  # no official version: the earliest of the group
    assert list(view["doc_id"]) == ["early", "solo"]
    assert list(view.index) == [5, 7]  # original order and labels


def test_unknown_preference_falls_back_and_check_prefer_rejects_it(project_docs):
    view = one_per_translation_group(project_docs, prefer="oficial")  # names nothing: the first by date
    assert list(view["doc_id"]) == ["zhang2022_visit", "xi2022_unofficial", "zhang2023_newyear", "cgtn2024_visit"]
    subset = project_docs[project_docs["doc_id"] != "xi2022_unofficial"]
    assert "xi2022_xinhua" in one_per_translation_group(subset, prefer="xi2022_unofficial")["doc_id"].tolist()
    for ok in ("official", "unofficial", "cgtn2024_visit"):
        check_prefer(project_docs, ok)
    with pytest.raises(ParameterError) as info:
        check_prefer(project_docs, "oficial")
    assert "oficial" in str(info.value) and "official, unofficial" in str(info.value)


# --- helpers -------------------------------------------------------------------------------

def test_check_column(project_docs):
    check_column(project_docs, "period", values=["2022"])
    with pytest.raises(ParameterError, match="unknown grouping column 'perod'.*period"):
        check_column(project_docs, "perod")
    with pytest.raises(ParameterError, match="no document has period = '2019'.*2022, 2023-2024"):
        check_column(project_docs, "period", values="2019")


def test_corpus_summary(project_docs, project_tokens):
    table = corpus_summary(project_docs, project_tokens)
    assert list(table.columns) == ["doc_id", "date", "year", "n_tokens", "author", "title", "translation_group",
                                   "translation", "part", "sha256"]
    assert table["n_tokens"].tolist() == np.diff(project_tokens.bounds).tolist()
    # recomputed for the new token definition ("'s", "$" and "%" are tokens of their own): the number of
    # TOKEN_PATTERN matches in each cleaned text, counted with finditer
    assert table["n_tokens"].tolist() == [sum(1 for _ in TOKEN_PATTERN.finditer(t)) for t in project_docs["text"]]
    # xi2022_xinhua: 1573 tokens with Xinhua's wrapper, 1522 without: the wrapper ("BEIJING, Sept. 13 (Xinhua) -- A
    # signed article ... to Kazakhstan." 39 tokens; "Following is an English version of the full text of the
    # article:" 12 tokens) is 51 tokens, counted by hand, and is a part of its own (test_parts_* below)
    assert table["n_tokens"].tolist() == [739, 1517, 1573 - 51, 1303, 681]
    # the same 1522 from the raw file itself, with a plain regex (words, clitic 's, $ and %) from the article's title on
    raw = (config.DATA_DIR / "raw" / "2022-09-13_xi-jinping_xinhua_official-translation.txt").read_text(encoding="utf-8")
    article = raw[raw.index("Build on the Past to Make Greater Strides in China-Kazakhstan Relations\n\nXi Jinping"):]
    assert (len(re.findall(r"\w+(?:[-.,'\u2019]\w+)*", article)) + len(re.findall(r"\w['\u2019][sS]\b", article))
            + article.count("$") + article.count("%")) == 1522
    assert "n_tokens" not in corpus_summary(project_docs).columns


# --- parts: a news agency's wrapper kept out of the article ---------------------------------------------------------

WRAPPER_WORDS = ("beijing sept 13 xinhua a signed article by chinese president xi jinping titled build on the past "
                 "to make greater strides in china-kazakhstan relations was published tuesday on the kazakhstanskaya "
                 "pravda newspaper ahead of his state visit to kazakhstan following is an english version of the full "
                 "text of the article").split()


def test_the_article_is_the_documents_text_and_the_wrapper_is_a_part(project_docs):
    """The document's text starts at the article's title; with parts="all" the wrapper is a document of its own,
    whose tokens are the 51 words of Xinhua's lead and announcement (written out by hand above)."""
    from rhetoric.corpus.tokens import doc_token_lists

    assert set(project_docs["part"]) == {"main"} and project_docs.attrs["parts"] == "main"
    xinhua = project_docs.set_index("doc_id").loc["xi2022_xinhua"]
    assert xinhua["text"].startswith("Build on the Past to Make Greater Strides in China-Kazakhstan Relations\n\nXi")
    assert "Xinhua" not in xinhua["text"] and "Following is an English version" not in xinhua["text"]
    assert xinhua["rule_counts"]["xinhua_wrapper"] == 1
    every = load_corpus(parts="all")
    assert every.attrs["parts"] == "all"
    assert every["doc_id"].tolist() == ["zhang2022_visit", "xi2022_unofficial", "xi2022_xinhua", "xi2022_xinhua#wrapper",
                                        "zhang2023_newyear", "cgtn2024_visit"]
    wrapper = every.set_index("doc_id").loc["xi2022_xinhua#wrapper"]
    assert (wrapper["part"], wrapper["translation_group"], wrapper["translation"]) == ("wrapper",
                                                                                        "xi2022_xinhua#wrapper", "")
    assert (wrapper["date"], wrapper["sha256"], wrapper["outlet"]) == (xinhua["date"], xinhua["sha256"], xinhua["outlet"])
    # the wrapper's words are the news agency's, not Xi's: its author is the outlet, its genre the part's name
    assert (wrapper["author"], wrapper["role"], wrapper["genre"]) == ("Xinhua, via People's Daily Online", "", "wrapper")
    assert wrapper["rule_counts"] == {} and wrapper["n_chars"] == len(wrapper["text"])
    tokens = tokenize(every, cache=False)
    lists = dict(zip(tokens.doc_ids, doc_token_lists(tokens)))
    assert lists["xi2022_xinhua#wrapper"] == WRAPPER_WORDS and len(WRAPPER_WORDS) == 51
    assert len(lists["xi2022_xinhua"]) == 1573 - 51
    other = every[every["part"] == "main"].drop(columns="part").reset_index(drop=True)
    assert other["text"].tolist() == project_docs["text"].tolist()


def test_a_parts_tokens_map_back_to_the_raw_file(project_docs):
    """Offsets of the article and of the wrapper both lead into the unchanged raw file."""
    from rhetoric.corpus import raw_spans

    every = load_corpus(parts="all")
    tokens = tokenize(every, cache=False)
    raw = every.set_index("doc_id").loc["xi2022_xinhua", "raw_text"]
    for doc_id in ("xi2022_xinhua", "xi2022_xinhua#wrapper"):
        i = list(tokens.doc_ids).index(doc_id)
        a, b = tokens.bounds[i], tokens.bounds[i + 1]
        text = every.set_index("doc_id").loc[doc_id, "text"]
        starts, ends = tokens.start[a:b], tokens.end[a:b]
        raw_s, raw_e = raw_spans(every, [doc_id] * (b - a), starts, ends)
        assert [raw[s:e] for s, e in zip(raw_s, raw_e)] == [text[s:e] for s, e in zip(starts, ends)]
    lead = raw.index("BEIJING, Sept. 13 (Xinhua)")
    i = list(tokens.doc_ids).index("xi2022_xinhua#wrapper")
    first, _ = raw_spans(every, ["xi2022_xinhua#wrapper"], tokens.start[tokens.bounds[i]:tokens.bounds[i] + 1],
                         tokens.end[tokens.bounds[i]:tokens.bounds[i] + 1])
    assert int(first[0]) == lead


def test_a_part_counts_as_a_document_of_its_own_when_asked():
    """With parts="all" the wrapper is its own translation group: select_documents keeps it beside the official
    version, and the unofficial version is still left out."""
    from rhetoric.counts import select_documents

    once = select_documents(load_corpus(parts="all"))
    assert once["doc_id"].tolist() == ["zhang2022_visit", "xi2022_xinhua", "xi2022_xinhua#wrapper",
                                       "zhang2023_newyear", "cgtn2024_visit"]


def test_parts_option_and_a_rule_that_marks_everything(tmp_path):
    with pytest.raises(ParameterError, match="parts='some' is not known; use one of 'main', 'all'"):
        load_corpus(parts="some")
    folder = write_corpus(tmp_path / "c", {"a": ("2020", "a", "", "", "LONDON (Agency) -- all wrapper.\n")})
    rules = tmp_path / "rules.yml"
    shutil.copy(config.CLEANING_RULES, rules)
    rules.write_text(rules.read_text(encoding="utf-8") + "  - id: everything\n    part: wrapper\n"
                     "    pattern: '\\A[\\s\\S]+'\n    why: test\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="mark the whole text of 'a' as wrapper; nothing is left"):
        load_corpus(folder, rules_path=rules)


def test_without_raw_text_the_table_holds_the_text_once_and_raw_offsets_still_hold(project_docs):
    from rhetoric.stats.kwic import kwic

    lean = load_corpus(raw_text=False)
    assert "raw_text" not in lean.columns and "raw_text" in project_docs.columns
    assert lean["text"].tolist() == project_docs["text"].tolist()
    tokens = tokenize(lean, cache=False)
    lines = kwic(tokens, lean, "people", all_versions=True)
    raw = dict(zip(project_docs["doc_id"], project_docs["raw_text"]))
    assert len(lines) > 3
    assert [raw[d][a:b].lower().replace("\u2019", "'") for d, a, b in zip(lines["doc_id"], lines["raw_start"],
                                                                       lines["raw_end"])] == ["people"] * len(lines)


def test_validate_checks_the_cleaning_rules_given(tmp_path):
    """validate_corpus(rules_path=...) reports a bad part rule as one problem naming the rules file, its line, the
    rule and the fix; a good copy of the rules gives no problem."""
    folder = write_corpus(tmp_path / "c", {"a": ("2020", "a", "", "", "LONDON (Agency) -- lead.\n\nThe speech.\n")})
    good = tmp_path / "good.yml"
    shutil.copy(config.CLEANING_RULES, good)
    assert validate_corpus(folder, rules_path=good) == []
    bad = tmp_path / "bad.yml"
    original = good.read_text(encoding="utf-8")
    bad.write_text(original + "  - id: agency_lead\n    part: main\n    pattern: '\\A[A-Z]+ \\(Agency\\)[^\\n]*\\n+'\n",
                   encoding="utf-8")
    problems = validate_corpus(folder, rules_path=bad)
    assert [(p.file, p.line, p.field, p.severity) for p in problems] == [
        (str(bad), len(original.splitlines()) + 2, "rule", "error")]
    assert "rule 'agency_lead': part 'main' is not a part name" in problems[0].message
    assert "(e.g. part: wrapper)" in problems[0].message and "\n" not in str(problems[0])
