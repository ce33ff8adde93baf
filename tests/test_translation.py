"""Translation groups: paragraph alignment (TF-IDF cosine + order-preserving DP) and rendering tables."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from conftest import write_corpus

from rhetoric.corpus import load_corpus, tokenize
from rhetoric.counts import stop_word_list
from rhetoric.errors import ParameterError
from rhetoric.formulas.translation import (
    ALIGN_COLUMNS,
    RENDERING_COLUMNS,
    align_paragraphs,
    align_sequences,
    rendering_pairs,
    rendering_table,
    translation_groups,
)

OFFICIAL = ("The river flows past the old mill every spring.\n\n"
            "Farmers grow wheat and barley near the river banks.\n\n"
            "The community with a shared future guides our cooperation and trade.\n\n"
            "Children learn music and painting at the village school.")
UNOFFICIAL = ("Translated by volunteers.\n\n"
              "Every spring the river flows past the old mill.\n\n"
              "Farmers grow wheat.\n\n"
              "Barley grows near the river banks.\n\n"
              "The community of common destiny guides our cooperation and trade.\n\n"
              "Children learn music and painting at the village school.")
LEXICON = ("version: 1\nformulas:\n"
           "  - id: csf\n    label: community with a shared future\n    variants:\n"
           "      - name: shared future\n        pattern: community with a shared future (for mankind)?\n"
           "      - name: common destiny\n        pattern: community of common destiny\n"
           "  - id: winwin\n    label: win-win cooperation\n    variants:\n"
           "      - win-win cooperation\n      - mutually beneficial cooperation\n")


@pytest.fixture
def pair(tmp_path):
    folder = write_corpus(tmp_path / "pair", {
        "unofficial": ("2020-01-02", "story", "unofficial", "p", UNOFFICIAL),
        "official": ("2020-01-01", "story", "official", "p", OFFICIAL),
        "other": ("2021-01-01", "", "", "p", "Unrelated text."),
    })
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "formulas.yml").write_text(LEXICON, encoding="utf-8")
    docs = load_corpus(folder)
    return docs, tokenize(docs, cache=False)


def test_translation_groups(pair, project_docs):
    docs, _ = pair
    groups = translation_groups(docs)
    assert groups.to_dict("records") == [{"group": "story", "doc_ids": ["official", "unofficial"], "n_docs": 2}]
    assert translation_groups(project_docs)["doc_ids"].tolist() == [["xi2022_xinhua", "xi2022_unofficial"]]


def test_align_sequences_by_hand():
    sim = np.array([[0.9, 0.1, 0.0],
                    [0.0, 0.1, 0.8]])
    assert align_sequences(sim) == [("1-1", [0], [0], 0.9), ("0-1", [], [1], pytest.approx(np.nan, nan_ok=True)),
                                    ("1-1", [1], [2], 0.8)]
    # nothing similar enough: every item unpaired, A's first (1-0 is preferred to 0-1 on ties)
    beads = align_sequences(np.array([[0.05]]))
    assert [b[0] for b in beads] == ["1-0", "0-1"]
    # a merge wins when the two halves together match better than either alone
    merge_ab = np.array([[0.95]])  # A0 with B0 + B1
    beads = align_sequences(np.array([[0.6, 0.5]]), merge_ab, None)
    assert beads == [("1-2", [0], [0, 1], 0.95)]
    with pytest.raises(ParameterError, match="min_cosine=-1"):
        align_sequences(sim, min_cosine=-1)


def test_alignment_of_a_tiny_pair(pair):
    docs, tokens = pair
    table = align_paragraphs(tokens, docs)
    assert list(table.columns) == ALIGN_COLUMNS
    got = [(k, None if pd.isna(a) else int(a), None if pd.isna(b) else int(b))
           for k, a, b in zip(table["kind"], table["para_a"], table["para_b"])]
    # official: 0 river, 1 farmers (wheat and barley), 2 community, 3 children
    # unofficial: 0 header, 1 river, 2 wheat, 3 barley (the farmers paragraph split in two), 4 community,
    # 5 children
    assert got == [("0-1", None, 0), ("1-1", 0, 1), ("1-2", 1, 2), ("1-2", 1, 3), ("1-1", 2, 4), ("1-1", 3, 5)]
    assert table["bead"].tolist() == [0, 1, 2, 2, 3, 4]
    assert table["text_b"].iloc[0] == "Translated by volunteers."
    assert table["text_a"].iloc[0] == ""
    assert table["group"].unique().tolist() == ["story"]
    assert table.loc[5, "cosine"] == pytest.approx(1.0)


def test_cosines_match_scikit_learn(pair):
    """The 1-1 cosines equal those of scikit-learn's TfidfVectorizer on the paragraph texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs, tokens = pair
    table = align_paragraphs(tokens, docs, merges=False)
    text = dict(zip(docs["doc_id"], docs["text"]))
    paras = {d: text[d].split("\n\n") for d in ("official", "unofficial")}
    stop = stop_word_list()
    # the texts are plain words and full stops: a word regex stands in for the tokenizer
    vectorizer = TfidfVectorizer(analyzer=lambda s: [t for t in re.findall(r"\w+", s.lower()) if t not in stop])
    matrix = vectorizer.fit_transform(paras["official"] + paras["unofficial"])
    n = len(paras["official"])
    cosine = (matrix[:n] @ matrix[n:].T).toarray()
    pairs = table[table["kind"] == "1-1"]
    assert len(pairs) >= 4
    for a, b, c in zip(pairs["para_a"], pairs["para_b"], pairs["cosine"]):
        assert c == pytest.approx(cosine[int(a), int(b)], abs=1e-6)


def test_rendering_table_on_a_corpus_with_its_own_lexicon(pair):
    docs, tokens = pair
    table = rendering_table(tokens, docs)
    assert list(table.columns) == RENDERING_COLUMNS
    assert table.to_dict("records") == [{
        "group": "story", "doc_a": "official", "doc_b": "unofficial", "language_a": "", "language_b": "",
        "formula_id": "csf", "label": "community with a shared future", "rendering_a": "shared future",
        "rendering_b": "common destiny", "count_a": 1, "count_b": 1, "same_paragraph_pairs": 1, "without_in_b": 0,
        "absent_from_b": 0, "without_in_a": 0, "absent_from_a": 0,
        "aligned_renderings": "shared future <-> common destiny"}]


def test_tiny_fixture_corpus(tiny_dir):
    (tiny_dir / "lexicons").mkdir()
    (tiny_dir / "lexicons" / "formulas.yml").write_text(LEXICON, encoding="utf-8")
    docs = load_corpus(tiny_dir)
    tokens = tokenize(docs, cache=False)
    table = rendering_table(tokens, docs, group="g1")
    assert table[["formula_id", "rendering_a", "rendering_b", "same_paragraph_pairs"]].values.tolist() == [
        ["csf", "shared future", "common destiny", 1],
        ["winwin", "win-win cooperation", "mutually beneficial cooperation", 1]]
    align = align_paragraphs(tokens, docs, "g1")
    assert align[["kind", "para_a", "para_b"]].astype(str).values.tolist() == [["1-1", "0", "0"], ["1-1", "1", "1"]]


def test_three_versions_are_each_aligned_with_the_reference(tmp_path):
    texts = {d: ("2020-01-01", "g", tr, "p", "Alpha beta gamma.\n\nDelta epsilon.") for d, tr in
             (("x", "unofficial"), ("y", "official"), ("z", "unofficial"))}
    docs = load_corpus(write_corpus(tmp_path / "three", texts))
    table = align_paragraphs(tokenize(docs, cache=False), docs)
    assert table[["doc_a", "doc_b"]].drop_duplicates().values.tolist() == [["y", "x"], ["y", "z"]]


def test_errors(pair, tmp_path):
    docs, tokens = pair
    with pytest.raises(ParameterError, match="group='nope' is not a translation group.*groups are: story"):
        align_paragraphs(tokens, docs, "nope")
    alone = load_corpus(write_corpus(tmp_path / "alone", {"a": ("2020", "", "", "p", "Just one text.")}))
    with pytest.raises(ParameterError, match="no translation_group has two or more documents"):
        rendering_table(tokenize(alone, cache=False), alone)


# ----------------------------------------------------------------------------- the project pair
@pytest.fixture(scope="module")
def project_alignment():
    docs = load_corpus()
    tokens = tokenize(docs, cache=False)
    return docs, tokens, align_paragraphs(tokens, docs)


def test_project_pair_alignment(project_alignment):
    docs, tokens, table = project_alignment
    got = [(k, None if pd.isna(a) else int(a), None if pd.isna(b) else int(b))
           for k, a, b in zip(table["kind"], table["para_a"], table["para_b"])]
    # Xinhua (a), its wrapper set aside as a part of its own: 0 title, 1 "Xi Jinping", 2 "President of ...",
    # 3.. body (16 paragraphs in all); unofficial (b): 0 "Xi Jinping, Chairman of the People's Republic Of
    # China", 1 date, 2.. body (15 paragraphs in all)
    assert got[:4] == [("1-0", 0, None), ("2-1", 1, 0), ("2-1", 2, 0), ("0-1", None, 1)]
    assert got[4:] == [("1-1", a, a - 1) for a in range(3, 17)]


def test_project_pair_formula_paragraphs_align(project_alignment):
    docs, tokens, table = project_alignment
    pairs = set(zip(table["para_a"].astype("float"), table["para_b"].astype("float")))

    def para_with(doc_id, phrase):
        paras = [p for p in docs.set_index("doc_id").loc[doc_id, "text"].split("\n\n") if p.strip()]
        return float(next(i for i, p in enumerate(paras) if phrase in p))

    for official, unofficial in [("community with a shared future", "community of common destiny"),
                                 ("a more splendid thirty years", "another golden 30th anniversary"),
                                 ("terrorism, separatism, extremism", "three forces of evil"),
                                 ("core interests and major concerns", "fundamental interests and key concerns")]:
        assert (para_with("xi2022_xinhua", official), para_with("xi2022_unofficial", unofficial)) in pairs


def test_project_rendering_table(project_alignment):
    docs, tokens, alignment = project_alignment
    table = rendering_table(tokens, docs, alignment=alignment).set_index("formula_id")
    assert (table["doc_a"] == "xi2022_xinhua").all() and (table["doc_b"] == "xi2022_unofficial").all()
    row = table.loc["china_kazakhstan_community"]
    assert row[["rendering_a", "rendering_b", "count_a", "count_b", "same_paragraph_pairs"]].tolist() == [
        "community with a shared future", "community of common destiny", 1, 1, 1]
    row = table.loc["win_win_cooperation"]
    assert row[["rendering_a", "rendering_b", "count_a", "count_b"]].tolist() == [
        "win-win cooperation ×3; mutually beneficial cooperation ×2", "mutually beneficial cooperation ×3", 5, 3]
    assert table.loc["three_evil_forces", "aligned_renderings"] == \
        "terrorism, separatism and extremism <-> three forces of evil"
    assert table.loc["golden_thirty_years", "aligned_renderings"] == \
        "more splendid thirty years <-> golden 30th anniversary"
    assert table.loc["permanent_comprehensive_strategic_partnership", "same_paragraph_pairs"] == 2
    assert table.loc["people_to_people_exchanges", ["count_a", "count_b"]].tolist() == [1, 2]
    assert "golden_decade" not in table.index  # used by neither version
    assert len(table) == 31
    # Xinhua [19] "... solidarity in trying times, and win-win cooperation": its paragraph is aligned with the
    # unofficial [11], which ends "mutual assistance and gain" - win-win left out of an aligned paragraph
    assert table.loc["win_win_cooperation", ["same_paragraph_pairs", "without_in_b", "absent_from_b"]].tolist() == \
        [3, 1, 0]
    # the unofficial [15] "infrastructure connectivity": its Xinhua paragraph [17] has no such formula
    assert table.loc["connectivity", ["count_a", "count_b", "without_in_a", "absent_from_a"]].tolist() == [0, 1, 1, 0]
    assert (table[["absent_from_a", "absent_from_b"]] == 0).all().all()  # every formula paragraph has a partner


# ----------------------------------------------------------------------------- issue 16: layouts, omissions
LINES_A = ("Our Shared Path\n"
           "The river flows past the old mill every spring and the farmers wait for it.\n"
           "Farmers grow wheat and barley near the river banks in 2021.\n"
           "The community with a shared future guides our cooperation and trade every year.\n"
           "Children learn music and painting at the village school on weekdays.\n"
           "Win-win cooperation brought 52 new schools to the valley.\n")
LINES_B = ("The Path We Share\n"
           "Every spring the river flows past the old mill and farmers wait for it.\n"
           "Near the river banks farmers grow wheat and barley in 2021.\n"
           "Children learn painting and music at the village school on weekdays.\n"
           "Mutually beneficial cooperation brought 52 new schools to the valley.\n")
"""Two versions laid out one paragraph per line (single newlines); B leaves out A's paragraph 3 (the community)
and drops nothing else. By reading: A 0-4 and 5 pair with B 0-3 and 4, A 3 has no partner."""


@pytest.fixture
def lines_pair(tmp_path):
    folder = write_corpus(tmp_path / "lines", {
        "a": ("2021-01-01", "path", "official", "p", LINES_A),
        "b": ("2021-01-02", "path", "unofficial", "p", LINES_B)})
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "formulas.yml").write_text(LEXICON, encoding="utf-8")
    docs = load_corpus(folder)
    return docs, tokenize(docs, cache=False)


def test_single_newline_paragraphs_and_an_omitted_paragraph(lines_pair):
    docs, tokens = lines_pair
    table = align_paragraphs(tokens, docs)
    got = [(k, None if pd.isna(a) else int(a), None if pd.isna(b) else int(b))
           for k, a, b in zip(table["kind"], table["para_a"], table["para_b"])]
    assert got == [("1-1", 0, 0), ("1-1", 1, 1), ("1-1", 2, 2), ("1-0", 3, None), ("1-1", 4, 3), ("1-1", 5, 4)]
    # shared anchors: the numbers, and the win-win formula rendered two ways
    assert table.loc[table["para_a"] == 2, "anchors"].iloc[0] == "#2021"
    assert table.loc[table["para_a"] == 5, "anchors"].iloc[0] == "#52; winwin"
    renderings = rendering_table(tokens, docs).set_index("formula_id")
    assert renderings.loc["csf", ["count_a", "count_b", "absent_from_b", "without_in_b"]].tolist() == [1, 0, 1, 0]
    assert renderings.loc["winwin", ["same_paragraph_pairs", "aligned_renderings"]].tolist() == [
        1, "win-win cooperation <-> mutually beneficial cooperation"]


def test_a_formula_left_out_of_an_aligned_paragraph_is_not_an_absent_paragraph(tmp_path):
    a = "The community with a shared future guides trade.\n\nWin-win cooperation grows in the valley."
    b = "Cooperation guides trade.\n\nMutually beneficial cooperation grows in the valley."
    folder = write_corpus(tmp_path / "left", {"a": ("2021", "g", "official", "p", a),
                                             "b": ("2021", "g", "unofficial", "p", b)})
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "formulas.yml").write_text(LEXICON, encoding="utf-8")
    docs = load_corpus(folder)
    tokens = tokenize(docs, cache=False)
    table = rendering_table(tokens, docs).set_index("formula_id")
    assert table.loc["csf", ["without_in_b", "absent_from_b"]].tolist() == [1, 0]
    pairs = rendering_pairs(tokens, docs)
    assert pairs[["family", "surface_a", "surface_b", "status"]].values.tolist() == [
        ["csf", "community with a shared future", "", "without in b"],
        ["winwin", "Win-win cooperation", "Mutually beneficial cooperation", "both"]]


def test_length_scores_against_the_normal_distribution():
    from scipy.stats import norm

    from rhetoric.formulas.translation import GALE_CHURCH_VARIANCE, length_scores

    la, lb = np.array([120.0, 40.0]), np.array([150.0, 35.0, 90.0])
    got = length_scores(la, lb)
    c = lb.sum() / la.sum()
    for i in range(2):
        for j in range(3):
            delta = (lb[j] - c * la[i]) / np.sqrt(GALE_CHURCH_VARIANCE * c * la[i])
            assert got[i, j] == pytest.approx(2 * norm.sf(abs(delta)), rel=1e-9)


def test_the_reference_version_is_the_original():
    docs = pd.DataFrame({"doc_id": ["u", "o", "zh", "x"], "translation_group": ["g", "g", "g", "h"],
                         "translation": ["unofficial", "official", "original", ""]})
    assert translation_groups(docs)["doc_ids"].tolist() == [["zh", "o", "u"]]
    unnamed = docs.assign(translation=["unofficial", "official", "", ""])  # the one not named a translation
    assert translation_groups(unnamed)["doc_ids"].tolist() == [["zh", "o", "u"]]
