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
    # the ranking: distinct authors first
    assert table["n_authors"].is_monotonic_decreasing
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
