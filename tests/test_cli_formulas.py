"""``rhetoric formulas | candidates | align | renderings`` checked against counts made by hand (the tiny corpus
of conftest.py with the project lexicon, and the hand counts of the five texts in test_formulas.py), cosines
from scikit-learn, and the lexicon file read with PyYAML; plus the format contract (CSV and JSON give the same
table) and errors.

With the project lexicon, the tiny corpus has (by reading it)::

    a_official   community with a shared future (community_shared_future), Win-win cooperation (win_win_cooperation)
    b_unofficial community of common destiny, Mutually beneficial cooperation (the same two formulae)
    c_2024       community with a shared future
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import write_corpus
from rhetoric import config
from rhetoric.cli import main
from rhetoric.counts import stop_word_list

CANDIDATE_TEXTS = {
    "a": ("2022-01-01", "", "", "p", "The Silk Road spirit lives. We praise win-win cooperation here.\n\n"
                                     "The Silk Road spirit grows."),
    "b": ("2023-01-01", "", "", "p", "Win-win cooperation again. Silk Road spirit forever. Win-win cooperation."),
    "c": ("2024-01-01", "", "", "p", "Nothing repeats in this one. Road works."),
}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def same_values(a: pd.Series, b: pd.Series) -> bool:
    """Whether two columns hold the same values: numbers within 1e-9 (JSON keeps 10 decimals), else text."""
    blank = lambda s: s.map(lambda v: None if v is None or v == "" or (isinstance(v, float) and np.isnan(v))  # noqa: E731
                            else v)
    a, b = blank(a), blank(b)
    na, nb = pd.to_numeric(a, errors="coerce"), pd.to_numeric(b, errors="coerce")
    if (na.isna() == a.isna()).all() and (nb.isna() == b.isna()).all():
        return bool(np.allclose(na.to_numpy(float), nb.to_numpy(float), rtol=1e-9, equal_nan=True))
    return a.fillna("").astype(str).tolist() == b.fillna("").astype(str).tolist()


def table_of(capsys, *argv) -> pd.DataFrame:
    """The command's table from --format csv, after checking that --format json gives the same table."""
    code, out, err = run(capsys, *argv, "--format", "csv")
    assert code == 0, err
    from_csv = pd.read_csv(io.StringIO(out), keep_default_na=False)
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    from_json = pd.DataFrame(json.loads(out), columns=from_csv.columns)
    assert len(from_csv) == len(from_json)
    for column in from_csv.columns:
        assert same_values(from_csv[column], from_json[column]), column
    return from_csv


def nonzero(table: pd.DataFrame) -> list:
    return table[table["count"] > 0][["group", "formula_id", "count"]].values.tolist()


def test_formula_counts_per_document(capsys, tiny_dir):
    table = table_of(capsys, "formulas", "--corpus", str(tiny_dir))
    assert list(table.columns) == ["group", "formula_id", "count", "per_10k", "n_docs", "n_tokens"]
    with open(config.FORMULA_LEXICON, encoding="utf-8") as handle:
        n_formulas = len(yaml.safe_load(handle)["formulas"])
    # a translated text counts once: a_official and c_2024, every formula of the lexicon, zeros included
    assert table["group"].drop_duplicates().tolist() == ["a_official", "c_2024"]
    assert len(table) == 2 * n_formulas
    assert nonzero(table) == [["a_official", "community_shared_future", 1], ["a_official", "win_win_cooperation", 1],
                              ["c_2024", "community_shared_future", 1]]
    rows = table.set_index(["group", "formula_id"])
    assert rows.loc[("a_official", "win_win_cooperation"), ["n_tokens", "n_docs"]].tolist() == [13, 1]
    assert rows.loc[("a_official", "win_win_cooperation"), "per_10k"] == pytest.approx(1e4 / 13)
    assert rows.loc[("c_2024", "community_shared_future"), "per_10k"] == pytest.approx(1e4 / 18)
    every = table_of(capsys, "formulas", "--all-versions", "--corpus", str(tiny_dir))
    assert nonzero(every)[2:4] == [["b_unofficial", "community_shared_future", 1],
                                   ["b_unofficial", "win_win_cooperation", 1]]
    other = table_of(capsys, "formulas", "--prefer", "unofficial", "--corpus", str(tiny_dir))
    assert other["group"].drop_duplicates().tolist() == ["b_unofficial", "c_2024"]


def test_formula_counts_by_group(capsys, tiny_dir):
    table = table_of(capsys, "formulas", "--by", "period", "--all-versions", "--corpus", str(tiny_dir))
    assert nonzero(table) == [["early", "community_shared_future", 2], ["early", "win_win_cooperation", 2],
                              ["late", "community_shared_future", 1]]
    early = table[table["group"] == "early"].iloc[0]
    assert (early["n_docs"], early["n_tokens"]) == (2, 26) and early["per_10k"] == pytest.approx(2e4 / 26)
    corpus = table_of(capsys, "formulas", "--by", "corpus", "--corpus", str(tiny_dir))
    assert nonzero(corpus) == [["corpus", "community_shared_future", 2], ["corpus", "win_win_cooperation", 1]]
    assert corpus["n_tokens"].iloc[0] == 31


def test_variants_hits_first_last_and_matrix(capsys, tiny_dir, tiny_docs):
    variants = table_of(capsys, "formulas", "--variants", "--corpus", str(tiny_dir))
    assert variants.values.tolist() == [
        ["a_official", "community_shared_future", "community with a shared future", 1],
        ["a_official", "win_win_cooperation", "win-win cooperation", 1],
        ["b_unofficial", "community_shared_future", "community of common destiny", 1],
        ["b_unofficial", "win_win_cooperation", "mutually beneficial cooperation", 1],
        ["c_2024", "community_shared_future", "community with a shared future", 1]]
    hits = table_of(capsys, "formulas", "--hits", "--corpus", str(tiny_dir))
    assert hits["surface"].tolist() == ["community with a shared future", "Win-win cooperation",
                                        "community of common destiny", "Mutually beneficial cooperation",
                                        "community with a shared future"]
    # "The " is 4 characters; the phrase is 30
    assert hits[["start", "end", "token_start", "token_end"]].iloc[0].tolist() == [4, 34, 1, 6]
    text = dict(zip(tiny_docs["doc_id"], tiny_docs["raw_text"]))
    assert [text[d][s:e] for d, s, e in zip(hits["doc_id"], hits["raw_start"], hits["raw_end"])] == \
        hits["surface"].tolist()
    first_last = table_of(capsys, "formulas", "--first-last", "--corpus", str(tiny_dir)).set_index("formula_id")
    assert first_last.loc["community_shared_future"].tolist() == ["a_official", "2022-09-13", "c_2024", "2024-07",
                                                                  3, 2]
    assert first_last.loc["win_win_cooperation", ["n_docs", "n_texts"]].tolist() == [2, 1]
    assert first_last.loc["golden_thirty_years", "n_docs"] == 0
    matrix = table_of(capsys, "formulas", "--matrix", "--corpus", str(tiny_dir)).set_index("doc_id")
    assert matrix.index.tolist() == ["a_official", "c_2024"]
    assert matrix.sum(axis=1).tolist() == [2, 1]
    assert matrix.loc["a_official", "win_win_cooperation"] == 1


def test_list_checks_the_lexicon(capsys):
    table = table_of(capsys, "formulas", "--list")
    with open(config.FORMULA_LEXICON, encoding="utf-8") as handle:
        formulas = yaml.safe_load(handle)["formulas"]
    assert len(table) == sum(len(f["variants"]) for f in formulas)
    assert table["formula_id"].drop_duplicates().tolist() == [f["id"] for f in formulas]
    golden = table[table["formula_id"] == "golden_thirty_years"]
    assert golden["note"].str.contains("黄金三十年").all()


def test_counts_by_year_on_the_project_corpus(capsys, project_docs):
    table = table_of(capsys, "formulas", "--by", "year").set_index(["group", "formula_id"])
    # hand counts (test_formulas.py): 2022 = zhang2022_visit + xi2022_xinhua (the unofficial version is the
    # same text), 2023 = zhang2023_newyear, 2024 = cgtn2024_visit
    assert table.loc[(2022, "win_win_cooperation"), "count"] == 1 + 5
    assert table.loc[(2022, "good_neighbourly_friendship"), "count"] == 1 + 5
    assert table.loc[(2022, "mutual_trust"), ["count", "n_docs"]].tolist() == [1 + 1, 2]
    assert table.loc[(2023, "high_quality_belt_and_road"), "count"] == 4
    assert table.loc[(2024, "comprehensive_strategic_partnership"), "count"] == 1
    # 1522 = the article of xi2022_xinhua without Xinhua's 51-token wrapper (1573 - 51; see test_formulas.py and
    # test_corpus.py::test_corpus_summary, where it is counted by regex on the raw file from the title on)
    assert table.loc[(2022, "win_win_cooperation"), "n_tokens"] == 739 + 1522
    unofficial = table_of(capsys, "formulas", "--by", "year", "--prefer", "unofficial")
    assert unofficial.set_index(["group", "formula_id"]).loc[(2022, "win_win_cooperation"), "count"] == 1 + 3


def test_candidates_on_a_tiny_corpus(capsys, tmp_path):
    folder = write_corpus(tmp_path / "cand", CANDIDATE_TEXTS)
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "formulas.yml").write_text(
        "formulas:\n  - id: ww\n    label: win-win cooperation\n    variants: [win-win cooperation]\n",
        encoding="utf-8")
    table = table_of(capsys, "candidates", "--corpus", str(folder), "--window", "2")
    # "silk road spirit": 3 times in 2 documents; its parts only inside it; win-win cooperation is in the lexicon
    assert table[["candidate", "n", "freq", "range", "n_texts", "n_authors", "total_freq"]].values.tolist() == [
        ["silk road spirit", 3, 3, 2, 2, 2, 3]]
    assert table["example"].iloc[0] == "The [Silk Road spirit] lives. We"
    none = table_of(capsys, "candidates", "--corpus", str(folder), "--min-range", "3")
    assert none.empty


def test_align_and_renderings_of_the_tiny_pair(capsys, tiny_dir, tiny_docs):
    from sklearn.feature_extraction.text import TfidfVectorizer

    align = table_of(capsys, "align", "--corpus", str(tiny_dir))
    assert align[["group", "kind", "doc_a", "para_a", "doc_b", "para_b"]].values.tolist() == [
        ["g1", "1-1", "a_official", 0, "b_unofficial", 0], ["g1", "1-1", "a_official", 1, "b_unofficial", 1]]
    texts = dict(zip(tiny_docs["doc_id"], tiny_docs["text"]))
    paragraphs = texts["a_official"].split("\n\n") + texts["b_unofficial"].split("\n\n")
    stop = stop_word_list()
    vectors = TfidfVectorizer(analyzer=lambda t: [w for w in re.findall(r"\w+(?:-\w+)*", t.lower())
                                                  if w not in stop]).fit_transform(paragraphs)
    cosine = (vectors[:2] @ vectors[2:].T).toarray()
    assert align["cosine"].tolist() == pytest.approx([cosine[0, 0], cosine[1, 1]], abs=1e-6)
    assert align["text_b"].tolist() == texts["b_unofficial"].split("\n\n")
    renderings = table_of(capsys, "renderings", "--corpus", str(tiny_dir))
    assert renderings[["formula_id", "rendering_a", "rendering_b", "count_a", "count_b", "same_paragraph_pairs",
                       "aligned_renderings"]].values.tolist() == [
        ["community_shared_future", "community with a shared future", "community of common destiny", 1, 1, 1,
         "community with a shared future <-> community of common destiny"],
        ["win_win_cooperation", "win-win cooperation", "mutually beneficial cooperation", 1, 1, 1,
         "win-win cooperation <-> mutually beneficial cooperation"]]


def test_renderings_of_the_project_pair(capsys):
    table = table_of(capsys, "renderings").set_index("formula_id")
    # read in the two versions of Xi's 2022 article
    assert table.loc["china_kazakhstan_community", ["rendering_a", "rendering_b"]].tolist() == [
        "community with a shared future", "community of common destiny"]
    assert table.loc["golden_thirty_years", ["rendering_a", "rendering_b"]].tolist() == [
        "more splendid thirty years", "golden 30th anniversary"]
    assert table.loc["three_evil_forces", "aligned_renderings"] == \
        "terrorism, separatism and extremism <-> three forces of evil"


LEVELS_LEXICON = """formulas:
  - id: bri
    label: Belt and Road
    variants:
      - Belt and Road
  - id: hq_bri
    label: high-quality Belt and Road
    broader: bri
    variants:
      - high-quality Belt and Road
"""


def test_levels_timeline_and_rendering_pairs(capsys, tmp_path):
    folder = write_corpus(tmp_path / "levels", {
        "en": ("2023-05-01", "g", "official", "p",
               "We build the high-quality Belt and Road.\n\nThe Belt and Road grows. The Belt and Road helps."),
        "un": ("2023-05-01", "g", "unofficial", "p", "We build the high-quality Belt and Road.\n\nTrade grows."),
        "later": ("2024-01-01", "", "", "p", "The Belt and Road."),
    })
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "formulas.yml").write_text(LEVELS_LEXICON, encoding="utf-8")
    corpus = ["--corpus", str(folder)]

    def counts(*argv):
        table = table_of(capsys, "formulas", *corpus, *argv)
        return {(r.group, r.formula_id): r.count for r in table.itertuples()}

    # by hand: "en" has one high-quality BRI (its own formula only) and two plain ones; "un" is not counted
    assert counts() == {("en", "bri"): 2, ("en", "hq_bri"): 1, ("later", "bri"): 1, ("later", "hq_bri"): 0}
    assert counts("--level", "rolled_up") == {("en", "bri"): 3, ("en", "hq_bri"): 1, ("later", "bri"): 1,
                                              ("later", "hq_bri"): 0}
    both = table_of(capsys, "formulas", *corpus, "--level", "both", "--by", "corpus")
    assert both[["level", "formula_id", "count"]].values.tolist() == [
        ["own", "bri", 3], ["rolled_up", "bri", 4], ["own", "hq_bri", 1], ["rolled_up", "hq_bri", 1]]
    first_last = table_of(capsys, "formulas", *corpus, "--first-last", "--level", "rolled_up")
    # every version counts: hq_bri is in both versions of the 2023 text, bri rolled up also in the 2024 one
    assert first_last.set_index("formula_id").loc["hq_bri", ["first_doc", "last_doc"]].tolist() == ["en", "un"]
    assert first_last.set_index("formula_id").loc["bri", ["first_doc", "last_doc"]].tolist() == ["en", "later"]
    timeline = table_of(capsys, "formulas", *corpus, "--timeline", "--level", "rolled_up")
    assert timeline[timeline["formula_id"] == "bri"][["doc_id", "count"]].values.tolist() == [
        ["en", 3], ["un", 1], ["later", 1]]  # every version counts in the timeline
    pairs = table_of(capsys, "renderings", *corpus, "--pairs")
    # paragraph 0 faces paragraph 0 (the high-quality BRI in both); paragraph 1 of "en" is aligned with "Trade
    # grows.", which lacks the family: its two plain BRIs are "without in b"
    assert pairs[["bead", "para_a", "formula_id_a", "formula_id_b", "status"]].astype(str).values.tolist() == [
        ["0", "0", "hq_bri", "hq_bri", "both"], ["1", "1", "bri", "", "without in b"],
        ["1", "1", "bri", "", "without in b"]]
    un_without = table_of(capsys, "renderings", *corpus).set_index("formula_id")
    assert un_without.loc["bri", ["count_a", "count_b", "without_in_b", "absent_from_b"]].tolist() == [2, 0, 2, 0]


def test_another_corpus_folder_with_its_own_lexicon(capsys, tmp_path):
    folder = write_corpus(tmp_path / "mine", {
        "en": ("2020-01-01", "g", "official", "p", "A community with a shared future.\n\nTrade grows."),
        "ru": ("2020-01-01", "g", "unofficial", "p", "A community of common destiny.\n\nTrade grows."),
    })
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "formulas.yml").write_text(
        "formulas:\n  - id: csf\n    label: community with a shared future\n    variants:\n"
        "      - community with a shared future\n      - community of common destiny\n", encoding="utf-8")
    code, out, err = run(capsys, "formulas", "--corpus", str(folder), "--all-versions", "--format", "csv")
    assert code == 0, err
    # en: 8 tokens (a community with a shared future trade grows), ru: 7
    assert out.splitlines() == ["group,formula_id,count,per_10k,n_docs,n_tokens", "en,csf,1,1250.0,1,8",
                                f"ru,csf,1,{1e4 / 7},1,7"]
    listed = table_of(capsys, "formulas", "--list", "--corpus", str(folder))
    assert listed["formula_id"].tolist() == ["csf", "csf"]


@pytest.mark.parametrize("argv, message", [
    (["formulas", "--by", "decade"], "unknown grouping column 'decade'"),
    (["formulas", "--by", "offsets"], "unknown grouping column 'offsets'"),
    (["formulas", "--by", "text"], "unknown grouping column 'text'"),
    (["formulas", "--prefer", "oficial"], "prefer='oficial' is neither a translation value"),
    (["align", "--group", "nope"], "group='nope' is not a translation group"),
    (["renderings", "--group", "nope"], "group='nope' is not a translation group"),
    (["candidates", "--min-n", "4", "--max-n", "2"], "max_n=2"),
    (["formulas", "--matrix", "--level", "both"], "--first-last and --matrix take --level own or"),
    (["formulas", "--variants", "--level", "rolled_up"], "--variants, --hits and --list show each hit's own"),
])
def test_bad_options_exit_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("error: ")


def test_bad_lexicon_names_file_line_and_formula(capsys, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("formulas:\n  - id: a\n    label: A\n    variants:\n      - '/(a|aa)+b/'\n", encoding="utf-8")
    for argv in (["formulas"], ["formulas", "--list"], ["candidates"], ["renderings"]):
        code, out, err = run(capsys, *argv, "--lexicon", str(bad))
        assert code == 2 and out == ""
        assert err == (f"error: {bad}:5: formula 'a' variant 1: '/(a|aa)+b/' backtracks catastrophically (a 41-letter "
                       "test word took over 1 s); write it without nested or overlapping repetition, or use a glob "
                       "such as 'develop*'.\n")


def test_argument_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["candidates", "--window", "-1"])
    assert info.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == "rhetoric candidates: error: argument --window: -1 is out of range; give a whole number of at " \
                   "least 0"
    with pytest.raises(SystemExit):
        main(["align", "--min-cosine", "2"])
    assert capsys.readouterr().err.splitlines()[-1].endswith("argument --min-cosine: 2 is out of range; give a "
                                                             "number from 0 to 1 (e.g. 0.1)")
