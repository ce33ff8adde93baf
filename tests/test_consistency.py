"""The same question gives the same number everywhere: formula counts, KWIC, phrase frequencies, dispersion.

The expected numbers come from the plain-Python reference matcher of test_patterns.py (words, hyphen parts,
globs, regexes, optional words and alternatives expanded by string rewriting), not from the functions tested.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
from test_patterns import expand, reference_hits, sentences_of

from rhetoric.formulas.counts import formula_counts, formula_hits
from rhetoric.formulas.lexicon import load_formula_lexicon
from rhetoric.stats.dispersion import dispersion
from rhetoric.stats.frequency import term_frequencies
from rhetoric.stats.kwic import kwic

SAMPLE_PATTERNS = ["cooperation", "win-win", "win win", "shared future", "golden *", "develop*",
                   "(shared|common) future", "the? belt and road", "/partner(s|ship)/", "china-kazakhstan",
                   "President Xi", "China's"]


@pytest.fixture(scope="module")
def lexicon():
    return load_formula_lexicon()


@pytest.fixture(scope="module")
def sentences(project_tokens, project_docs):
    return sentences_of(project_tokens, project_docs)


def _per_doc(tokens, hits) -> Counter:
    doc_of = {}
    for i, doc in enumerate(tokens.doc_ids.tolist()):
        for position in range(tokens.bounds[i], tokens.bounds[i + 1]):
            doc_of[position] = doc
    return Counter(doc_of[start] for start, _, _ in hits)


def test_formula_counts_equal_the_reference_for_the_whole_lexicon(project_tokens, project_docs, lexicon, sentences):
    """Every (document, formula) count: the lexicon matched at once, leftmost-longest, no phrase counted twice."""
    expected_hits = reference_hits(sentences, [expand(p) for p in lexicon["pattern"]], overlapping=False)
    bounds = project_tokens.bounds.tolist()
    doc_ids = project_tokens.doc_ids.tolist()
    expected = Counter()
    for start, _, row in expected_hits:
        doc = next(d for i, d in enumerate(doc_ids) if bounds[i] <= start < bounds[i + 1])
        expected[(doc, lexicon["formula_id"].iloc[row])] += 1
    counts = formula_counts(project_tokens, project_docs, lexicon, all_versions=True)
    got = Counter({(g, f): c for g, f, c in zip(counts["group"], counts["formula_id"], counts["count"]) if c})
    assert got == expected
    assert len(formula_hits(project_tokens, project_docs, lexicon)) == len(expected_hits) > 50


ENGLISH_VARIANTS = [i for i, language in enumerate(load_formula_lexicon()["language"]) if language == "en"]
"""The project's texts are English: its Chinese variants are checked on Chinese texts (test_chinese.py)."""


@pytest.mark.parametrize("variant", ENGLISH_VARIANTS)
def test_each_lexicon_variant_gives_one_number_everywhere(project_tokens, project_docs, lexicon, sentences, variant):
    """A variant alone, per document: formula count = KWIC lines = phrase frequency = dispersion = reference."""
    row = lexicon.iloc[[variant]]
    pattern = row["pattern"].iloc[0]
    expected = _per_doc(project_tokens, reference_hits(sentences, [expand(pattern)]))
    counts = formula_counts(project_tokens, project_docs, row, all_versions=True)
    from_formulas = Counter({g: c for g, c in zip(counts["group"], counts["count"]) if c})
    from_kwic = Counter(kwic(project_tokens, project_docs, pattern, all_versions=True)["doc_id"])
    freq = term_frequencies(project_tokens, project_docs, terms=[pattern], all_versions=True)
    from_freq = Counter(dict(zip(freq["group"], freq["count"])))
    table = dispersion(project_tokens, project_docs, terms=[pattern], all_versions=True)
    assert from_formulas == from_kwic == from_freq == expected, pattern
    assert table["freq"].iloc[0] == sum(expected.values()) and table["range"].iloc[0] == len(expected)


@pytest.mark.parametrize("pattern", SAMPLE_PATTERNS)
def test_sample_patterns_as_a_one_variant_lexicon(project_tokens, project_docs, sentences, pattern):
    """Words, hyphenated words, phrases, globs, alternatives, optional words, regexes: the formula machinery
    counts a pattern exactly as KWIC does, and both agree with the reference."""
    expected = _per_doc(project_tokens, reference_hits(sentences, [expand(pattern)]))
    assert sum(expected.values()) > 0, pattern
    lexicon = pd.DataFrame({"formula_id": ["f"], "variant": [pattern], "pattern": [pattern], "label": [pattern]})
    counts = formula_counts(project_tokens, project_docs, lexicon, all_versions=True)
    assert Counter({g: c for g, c in zip(counts["group"], counts["count"]) if c}) == expected
    assert Counter(kwic(project_tokens, project_docs, pattern, all_versions=True)["doc_id"]) == expected
