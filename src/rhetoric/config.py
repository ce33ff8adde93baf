"""Paths and defaults, in one place, so no notebook hard-codes a path."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
LEXICON_DIR = DATA_DIR / "lexicons"
FORMULA_LEXICON = LEXICON_DIR / "formulas.yml"
FRAME_LEXICON = LEXICON_DIR / "frames.yml"
STOPWORDS_FILE = DATA_DIR / "stopwords.txt"
SPELLING_FILE = DATA_DIR / "spelling.csv"
CLEANING_RULES = DATA_DIR / "cleaning.yml"
NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
FIGURES_DIR = REPORTS_DIR / "figures"
TABLES_DIR = REPORTS_DIR / "tables"
BENCHMARK_DIR = REPORTS_DIR / "benchmarks"

CORPUS_TABLE = "corpus.csv"
"""Name of the metadata table that makes a folder a corpus."""

CACHE_SUBDIR = Path("interim") / "token-cache"
"""Token store cache, relative to the corpus folder (ignored by git)."""

REQUIRED_COLUMNS = ("doc_id", "date", "file")
KNOWN_COLUMNS = (
    "doc_id", "date", "file", "date_precision", "period", "title", "author", "role",
    "outlet", "genre", "language", "translation_group", "translation",
    "source_note", "sha256",
)

RANDOM_SEED = 20220913
"""Default seed for random steps (bootstrap); recorded in their outputs."""
