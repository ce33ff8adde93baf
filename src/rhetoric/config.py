"""Paths and defaults, in one place, so no notebook hard-codes a path.

From a checkout (``pip install -e .``, ``make env``) the data are the
checkout's ``data/``; from an installed wheel they are the copy packaged as
``rhetoric/_data`` (the bundled corpus, lexicons, word lists and cleaning
rules). ``$RHETORIC_PROJECT`` names a checkout to use instead.
"""

from __future__ import annotations

import os
from pathlib import Path


def _project_root() -> Path | None:
    """The checkout this package runs from (or ``$RHETORIC_PROJECT``), or None for an installed wheel."""
    named = os.environ.get("RHETORIC_PROJECT")
    if named:
        return Path(named).expanduser().resolve()
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() and (here / "data" / "corpus.csv").is_file() else None


PROJECT_ROOT = _project_root()
"""The checkout, or None when the package is installed from a wheel."""
DATA_DIR = PROJECT_ROOT / "data" if PROJECT_ROOT else Path(__file__).resolve().parent / "_data"
"""The bundled corpus folder: ``corpus.csv``, ``raw/``, ``lexicons/``, word lists, cleaning rules."""
RAW_DIR = DATA_DIR / "raw"
LEXICON_DIR = DATA_DIR / "lexicons"
FORMULA_LEXICON = LEXICON_DIR / "formulas.yml"
FRAME_LEXICON = LEXICON_DIR / "frames.yml"
STOPWORDS_FILE = DATA_DIR / "stopwords.txt"
SPELLING_FILE = DATA_DIR / "spelling.csv"
CLEANING_RULES = DATA_DIR / "cleaning.yml"
NOTEBOOK_DIR = PROJECT_ROOT / "notebooks" if PROJECT_ROOT else Path("notebooks")
"""The report's notebooks (a checkout's; an installed package has none: pass --notebooks)."""
REPORTS_DIR = PROJECT_ROOT / "reports" if PROJECT_ROOT else Path("reports")
FIGURES_DIR = REPORTS_DIR / "figures"
TABLES_DIR = REPORTS_DIR / "tables"

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

CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' file: data:; "
                           "base-uri 'none'; form-action 'none'")
"""The policy of every HTML page the project writes: no script runs, nothing loads from elsewhere."""
