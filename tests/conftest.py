"""Shared fixtures: the project corpus, and tiny hand-made corpora whose counts you can check by eye."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from rhetoric.corpus import load_corpus
from rhetoric.tokens import tokenize

TINY_TEXTS = {
    # doc_id: (date, translation_group, translation, period, text)
    "a_official": ("2022-09-13", "g1", "official", "early",
                   "The community with a shared future. Win-win cooperation is key.\n\n"
                   "Trade is up."),
    "b_unofficial": ("2022-09-13", "g1", "unofficial", "early",
                     "The community of common destiny. Mutually beneficial cooperation is key.\n\n"
                     "Trade is up."),
    "c_2024": ("2024-07", "c_2024", "", "late",
               "Trade grew to $21.2 billion. Trade and security matter.\n\n"
               "Security, security! The community with a shared future."),
}
"""Tokens (lower-cased) by hand:
a_official  : the community with a shared future win-win cooperation is key trade is up            = 13
b_unofficial: the community of common destiny mutually beneficial cooperation is key trade is up  = 13
c_2024      : trade grew to $21.2-billion trade and security matter security security the community
              with a shared future                                                                  = 16
("$21.2 billion" is one token.)
"""


def write_corpus(folder: Path, texts: dict, *, with_sha: bool = True) -> Path:
    """Write a corpus folder (corpus.csv + raw/*.txt) from ``{doc_id: (date, group, translation, period, text)}``."""
    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    rows = []
    for doc_id, (date, group, translation, period, text) in texts.items():
        path = raw / f"{doc_id}.txt"
        path.write_text(text, encoding="utf-8")
        rows.append({"doc_id": doc_id, "date": date, "file": f"raw/{doc_id}.txt", "period": period,
                     "translation_group": group, "translation": translation,
                     "sha256": hashlib.sha256(path.read_bytes()).hexdigest() if with_sha else ""})
    with open(folder / "corpus.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Token caches go to a temporary folder, never into the repository during tests."""
    monkeypatch.setenv("RHETORIC_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "token-cache"))
    monkeypatch.setenv("RHETORIC_QUIET", "1")


@pytest.fixture
def tiny_dir(tmp_path) -> Path:
    """Folder of the tiny three-document corpus (TINY_TEXTS)."""
    return write_corpus(tmp_path / "tiny", TINY_TEXTS)


@pytest.fixture
def tiny_docs(tiny_dir):
    return load_corpus(tiny_dir)


@pytest.fixture
def tiny_tokens(tiny_docs):
    return tokenize(tiny_docs, cache=False)


@pytest.fixture(scope="session")
def project_docs():
    return load_corpus()


@pytest.fixture(scope="session")
def project_tokens(project_docs):
    return tokenize(project_docs, cache=False)
