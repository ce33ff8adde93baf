"""The corpus layer: documents read and validated, cleaned in memory, cut into tokens, sentences, paragraphs."""

from .cleaning import OffsetMap, clean_text, cleaning_log, load_rules, rules_table
from .documents import corpus_summary, load_corpus, parse_date, validate_corpus
from .tokens import (TOKEN_PATTERN, Tokens, fold_spelling, paragraph_spans, raw_spans, sentence_spans, token_spans,
                     tokenize, tokenize_text, tokens_frame)

__all__ = ["OffsetMap", "TOKEN_PATTERN", "Tokens", "clean_text", "cleaning_log", "corpus_summary", "fold_spelling",
           "load_corpus", "load_rules", "paragraph_spans", "parse_date", "raw_spans", "rules_table",
           "sentence_spans", "token_spans", "tokenize", "tokenize_text", "tokens_frame", "validate_corpus"]
