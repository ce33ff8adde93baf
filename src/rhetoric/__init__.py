"""diplomatic-rhetoric: discourse analysis of diplomatic writing.

Data flows one way, through packages named after what they hold::

    corpus (documents, cleaning, tokens) -> patterns -> counts -> stats, formulas -> report -> cli

The main functions are importable from here (``from rhetoric import load_corpus,
tokenize, kwic``); each is loaded on first use, so ``import rhetoric`` is quick.

Examples
--------
>>> import rhetoric
>>> docs = rhetoric.load_corpus()
>>> tokens = rhetoric.tokenize(docs)
>>> len(rhetoric.kwic(tokens, docs, "win win"))
4
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

_EXPORTS = {
    "rhetoric.corpus.documents": ("load_corpus", "validate_corpus", "corpus_summary", "language_code"),
    "rhetoric.corpus.cleaning": ("cleaning_log", "load_rules", "rules_table"),
    "rhetoric.corpus.tokens": ("tokenize", "tokens_frame", "token_spans", "sentence_spans", "paragraph_spans",
                               "lexicon_words", "to_simplified", "lines_are_paragraphs"),
    "rhetoric.corpus.lemmas": ("lemmatize",),
    "rhetoric.patterns": ("find", "check_pattern"),
    "rhetoric.counts": ("select_documents", "count_terms", "count_matches", "group_counts", "stop_word_list"),
    "rhetoric.stats.frequency": ("term_frequencies",),
    "rhetoric.stats.dispersion": ("dispersion", "dispersion_positions"),
    "rhetoric.stats.tfidf": ("tfidf_keywords",),
    "rhetoric.stats.keyness": ("keyness", "keyness_each_vs_rest", "log_ratio_interval"),
    "rhetoric.stats.collocations": ("collocates", "recurring_ngrams"),
    "rhetoric.stats.bundles": ("lexical_bundles", "bundle_occurrences"),
    "rhetoric.stats.similarity": ("document_similarity", "similarity_pairs"),
    "rhetoric.stats.kwic": ("kwic", "kwic_for_spans", "kwic_html"),
    "rhetoric.stats.lemma_list": ("lemma_forms",),
    "rhetoric.stats.trends": ("trends",),
    "rhetoric.stats.diversity": ("lexical_diversity",),
    "rhetoric.stats.readability": ("readability",),
    "rhetoric.stats.network": ("collocation_network", "network_graph"),
    "rhetoric.stats.correspondence": ("correspondence_analysis",),
    "rhetoric.formulas.lexicon": ("load_formula_lexicon", "formula_table", "formula_levels", "formula_examples"),
    "rhetoric.formulas.counts": ("formula_hits", "formula_counts", "variant_counts", "formula_matrix",
                                 "first_last_appearance", "formula_kwic", "formula_timeline", "rolled_up_hits"),
    "rhetoric.formulas.discovery": ("candidate_formulas", "candidate_occurrences"),
    "rhetoric.formulas.translation": ("translation_groups", "align_paragraphs", "rendering_table", "rendering_pairs"),
    "rhetoric.formulas.framing": ("load_frame_lexicon", "frame_hits", "frame_shares", "frame_share_intervals",
                                  "frame_shift"),
    "rhetoric.formulas.claims": ("numeric_claims", "trade_figures"),
    "rhetoric.report.build": ("build_report",),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'rhetoric' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
