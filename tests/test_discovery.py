"""Formula candidates: recurring phrases outside the lexicon, counted by hand on a tiny corpus, PMI computed
here from the documented formula, and the count-once rule on the project corpus."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import write_corpus

from rhetoric.corpus import load_corpus, tokenize
from rhetoric.counts import stop_word_list
from rhetoric.errors import ParameterError
from rhetoric.formulas.counts import formula_hits
from rhetoric.formulas.discovery import CANDIDATE_COLUMNS, candidate_formulas, candidate_occurrences


@pytest.fixture(scope="module")
def project():
    docs = load_corpus()
    tokens = tokenize(docs, cache=False)
    return docs, tokens, formula_hits(tokens, docs)


CANDIDATE_TEXTS = {
    "a": ("2022-01-01", "", "", "p", "The Silk Road spirit lives. We praise win-win cooperation here.\n\n"
                                     "The Silk Road spirit grows."),
    "b": ("2023-01-01", "", "", "p", "Win-win cooperation again. Silk Road spirit forever. Win-win cooperation."),
    "c": ("2024-01-01", "", "", "p", "Nothing repeats in this one. Road works."),
}


def test_candidates_on_a_tiny_corpus(tmp_path):
    folder = write_corpus(tmp_path / "cand", CANDIDATE_TEXTS)
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "formulas.yml").write_text(
        "formulas:\n  - id: ww\n    label: win-win cooperation\n    variants: [win-win cooperation]\n",
        encoding="utf-8")
    docs = load_corpus(folder)
    tokens = tokenize(docs, cache=False)
    table = candidate_formulas(tokens, docs, min_count=2, min_range=2, window=2)
    assert list(table.columns) == CANDIDATE_COLUMNS
    # "silk road spirit" occurs 3 times in 2 documents; "silk road" and "road spirit" only inside it;
    # "win-win cooperation" is in the lexicon, so it is no candidate.
    assert table["candidate"].tolist() == ["silk road spirit"]
    row = table.iloc[0]
    assert (row["n"], row["freq"], row["range"], row["n_texts"], row["n_authors"], row["total_freq"]) == \
        (3, 3, 2, 2, 2, 3)
    # pmi = log2(f(silk road spirit) * N^2 / (f(silk) f(road) f(spirit))), N = 15 + 9 + 7 = 31 tokens,
    # "road" occurs 4 times ("Road works" too); npmi = pmi / (-(3 - 1) * log2(3 / 31))
    n_total = tokens.n_tokens
    assert n_total == 31
    pmi = np.log2(3 * n_total ** 2 / (3 * 4 * 3))
    assert row["pmi"] == pytest.approx(pmi, abs=1e-4)
    assert row["npmi"] == pytest.approx(pmi / (-2 * np.log2(3 / n_total)), abs=1e-4)
    assert row["npmi"] == pytest.approx(0.9384, abs=1e-4)  # 6.3235 / 6.7384
    assert row["example"].startswith("The [Silk Road spirit] lives")
    occ = candidate_occurrences(tokens, docs, table)
    assert occ[["doc_id", "token_start"]].values.tolist() == [["a", 1], ["a", 11], ["b", 3]]


def test_candidates_on_the_project_corpus_avoid_lexicon_hits(project):
    docs, tokens, hits = project
    table = candidate_formulas(tokens, docs, min_count=2, min_range=2, hits=hits)
    assert len(table) > 0
    assert not table["candidate"].isin(["belt and road", "mutual trust", "win win cooperation",
                                        "community with a shared future"]).any()
    words = table["candidate"].str.split(" ")
    stop = stop_word_list()
    assert not any(w[0] in stop or w[-1] in stop for w in words)
    # the ranking: by score, highest first; the score as documented, from the table's own columns
    assert table["score"].is_monotonic_decreasing
    marked = np.maximum(table["capitalised"] * (1 - table["names"]), table["coined"])
    number = table["candidate"].str.contains(r"(?:^| )\d")
    expected = (np.sqrt(table["n_texts"] * table["n_authors"]) * (0.5 + 0.5 * table["npmi"])
                * (1 + table["quoted"] + marked + table["formula_words"]) * (1 - 0.75 * table["names"])
                * np.where(number, 0.5, 1.0))
    assert np.allclose(table["score"], expected, atol=1e-3)
    # "lasting peace and long-term stability" is in both versions of the 2022 article only: one text, so a
    # candidate only when every version counts
    assert "lasting peace and long-term stability" not in set(table["candidate"])
    every = candidate_formulas(tokens, docs, min_count=2, min_range=2, hits=hits, all_versions=True)
    row = every.set_index("candidate").loc["lasting peace and long-term stability"]
    assert row[["n", "freq", "range", "n_texts", "n_authors"]].tolist() == [5, 2, 2, 1, 1]
    again = candidate_formulas(tokens, docs, min_count=2, min_range=2, hits=hits)
    pd.testing.assert_frame_equal(table, again)


def test_candidate_parameters_are_checked(project):
    docs, tokens, hits = project
    with pytest.raises(ParameterError, match="min_authors=0"):
        candidate_formulas(tokens, docs, min_authors=0, hits=hits)
    with pytest.raises(ParameterError, match="window=-1"):
        candidate_formulas(tokens, docs, window=-1, hits=hits)


def test_example_lines_keep_the_spacing_of_the_text(tmp_path):
    """A clitic or a full stop right after the phrase stays attached: "[Xi Jinping]'s", not "[Xi Jinping] 's"."""
    text = "President Xi Jinping's visit opened a new era. Trade grew with Xi Jinping's support."
    folder = write_corpus(tmp_path / "c", {"a": ("2022-01-01", "a", "", "p", text),
                                           "b": ("2023-01-01", "b", "", "p", text)})
    docs = load_corpus(folder)
    empty_lexicon = pd.DataFrame({"formula_id": ["x"], "variant": ["x"], "pattern": ["zzz"], "label": ["x"]})
    found = candidate_formulas(tokenize(docs, cache=False), docs, empty_lexicon, min_count=2, examples=1, window=2)
    example = found.loc[found["candidate"] == "xi jinping", "example"].iloc[0]
    assert example == "President [Xi Jinping]'s visit"


# ----------------------------------------------------------------------------- formula-like signs by hand
SIGN_TEXTS = {
    "a": ("2022-01-01", "", "", "p",
          "Both sides back the \u201cGreen Harvest Pact\u201d and praise win-win ties. Xi Jinping spoke. "
          "They signed 52 deals with Xi Jinping present.\n\nThe win-win ties grew. Pact makers met."),
    "b": ("2023-01-01", "", "", "p",
          "The Green Harvest Pact holds. Win-win ties again. Xi Jinping arrived. They signed 52 deals."),
}


def test_formula_signs_by_hand(tmp_path):
    """quoted, capitalised, coined, names, formula words and numbers, counted by reading SIGN_TEXTS."""
    folder = write_corpus(tmp_path / "signs", SIGN_TEXTS)
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "formulas.yml").write_text(
        "formulas:\n  - id: pact\n    label: pact makers\n    variants: [pact makers]\n", encoding="utf-8")
    docs = load_corpus(folder)
    tokens = tokenize(docs, cache=False)
    table = candidate_formulas(tokens, docs, min_count=2, min_range=2, examples=0).set_index("candidate")
    # "green harvest pact": 2 occurrences, quoted in a (curly quotes), not in b -> quoted 1/2; capitalised in
    # both (a: mid-sentence; b: "The" starts the sentence, Green Harvest Pact capitalised) -> 1;
    # names: "green" and "harvest" are always capitalised (names), "pact" is lower-case in none of its
    # non-initial uses either ("Pact makers" starts a sentence) -> 3/3 names;
    # formula words: "pact" occurs 3 times, once inside the lexicon hit "pact makers" -> (0 + 0 + 1/3) / 3
    row = table.loc["green harvest pact"]
    assert (row["quoted"], row["capitalised"], row["coined"], row["names"]) == (0.5, 1.0, 0.0, 1.0)
    assert row["formula_words"] == pytest.approx(1 / 9, abs=1e-4)
    # "win-win ties": lower case in a (twice), sentence-initial in b; of its two content words one is a
    # hyphenated compound that is not a name -> coined 1/2
    row = table.loc["win-win ties"]
    assert (row["quoted"], row["capitalised"], row["coined"], row["names"], row["formula_words"]) == \
        (0.0, 0.0, 0.5, 0.0, 0.0)
    # "xi jinping": names (capitalised wherever it does not start a sentence); "signed 52 deals" holds a number
    assert table.loc["xi jinping", ["names", "capitalised"]].tolist() == [1.0, 1.0]
    assert table.loc["signed 52 deals", "names"] == 0.0
    # the score of each, from the documented formula with npmi from the table
    for phrase, quoted, marked, names, words, number in [
            ("green harvest pact", 0.5, 0.0, 1.0, 1 / 9, False), ("win-win ties", 0.0, 0.5, 0.0, 0.0, False),
            ("xi jinping", 0.0, 0.0, 1.0, 0.0, False), ("signed 52 deals", 0.0, 0.0, 0.0, 0.0, True)]:
        row = table.loc[phrase]
        expected = (np.sqrt(row["n_texts"] * row["n_authors"]) * (0.5 + 0.5 * row["npmi"]) * (1 + quoted + marked + words)
                    * (1 - 0.75 * names) * (0.5 if number else 1.0))
        assert row["score"] == pytest.approx(expected, abs=1e-3), phrase
    # the coined phrase ranks above the name and the figure
    assert table.loc["win-win ties", "score"] > max(table.loc["xi jinping", "score"], table.loc["signed 52 deals", "score"])


REMOVED = ["mutual_trust", "global_development_initiative", "global_security_initiative", "core_interests",
           "one_china_principle", "win_win_cooperation", "people_to_people_exchanges", "belt_and_road",
           "mutual_respect", "good_neighbourly_friendship", "sovereignty_territorial_integrity"]


@pytest.mark.parametrize("formula_id", REMOVED)
def test_a_formula_removed_from_the_lexicon_comes_back_in_the_top_ten(project, formula_id):
    """Leave one formula out of the lexicon: among the first ten candidates on the five texts (a translated text
    counted once) is a phrase one of its own renderings matches."""
    from rhetoric.formulas.lexicon import load_formula_lexicon
    from rhetoric.patterns import find

    docs, tokens, _ = project
    lexicon = load_formula_lexicon()
    kept = lexicon[lexicon["formula_id"] != formula_id].reset_index(drop=True)
    top = candidate_formulas(tokens, docs, kept, top_n=10, examples=0)["candidate"].tolist()
    phrases = pd.DataFrame({"doc_id": [f"c{i}" for i in range(len(top))], "text": top})
    found = find(tokenize(phrases, cache=False), lexicon.loc[lexicon["formula_id"] == formula_id, ["pattern"]])
    assert len(found), (formula_id, top)
