"""Shared fixtures: the project corpus, and tiny hand-made corpora whose counts you can check by eye."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from rhetoric.corpus import load_corpus, tokenize

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
c_2024      : trade grew to $ 21.2 billion trade and security matter security security the community
              with a shared future                                                                  = 18
("$21.2 billion" is three tokens: the currency sign, the number, the word.)
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


# --- Report fixtures, shared by test_report.py and test_report_browser.py -------------------------------------

PLANTED_TITLE = "<script>document.title='pwned'</script><img src=x onerror=\"window.__pwned=1\">"
PLANTED_TEXT = "<script>alert(1)</script> and <img src=x onerror=alert(1)> <b>bold</b>"
"""Markup planted in a small corpus: it must come out escaped in every HTML page and never run."""


def write_small_corpus(folder: Path, *, plant: bool = True, min_chars: int = 1500) -> Path:
    """A small copy of the project corpus (same metadata, the first paragraphs of each text), optionally with
    markup planted in one title, one source note and one text."""
    from rhetoric import config

    with open(config.DATA_DIR / "corpus.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames), list(reader)
    (folder / "raw").mkdir(parents=True, exist_ok=True)
    for row in rows:
        raw = (config.DATA_DIR / row["file"]).read_text(encoding="utf-8")
        kept, size = [], 0
        for paragraph in raw.split("\n\n"):
            kept.append(paragraph)
            size += len(paragraph)
            if size >= min_chars:
                break
        text = "\n\n".join(kept).rstrip("\n") + "\n"
        if plant and row["doc_id"].startswith("cgtn"):
            text += "\n" + PLANTED_TEXT + "\n"
            row["title"] = PLANTED_TITLE + " " + row["title"]
            row["source_note"] = PLANTED_TEXT
        path = folder / "raw" / f"{row['doc_id']}.txt"
        path.write_text(text, encoding="utf-8")
        row["file"] = f"raw/{row['doc_id']}.txt"
        row["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    with open(folder / "corpus.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.fixture(scope="session")
def planted_report(tmp_path_factory):
    """``rhetoric report`` (every project notebook) on a small corpus with planted markup: its index.html."""
    from rhetoric.report.build import build_report

    base = tmp_path_factory.mktemp("planted")
    corpus = write_small_corpus(base / "corpus")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RHETORIC_CACHE_DIR", str(base / "token-cache"))
        patch.setenv("RHETORIC_QUIET", "1")
        return build_report(corpus_dir=corpus, out_dir=base / "reports", progress=False)


# --- Headless Chromium, shared by the browser tests -------------------------------------------------------------

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_OPTIONS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1280,1600")


def _chromium() -> str | None:
    return next((shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)), None)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium with its console and network logs kept; skipped where it is missing, except in CI."""
    missing = [what for what, ok in (("chromium", _chromium()), ("chromedriver", CHROMEDRIVER.exists())) if not ok]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium")
    if missing:
        reason = f"no headless browser: {', '.join(missing)} missing (apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI must run the browser tests")
        pytest.skip(reason)
    profile = tempfile.mkdtemp(prefix="rhetoric-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = _chromium()
    for option in CHROMIUM_OPTIONS + (f"--user-data-dir={profile}",):
        options.add_argument(option)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
