"""The speed and scale benchmark of ``rhetoric``: every analysis on growing corpora, against NLTK and scikit-learn.

Not part of the installed package: run it from a checkout, after ``make env``::

    make bench                                    # = .venv/bin/python bench/benchmark.py
    .venv/bin/python bench/benchmark.py --large   # 2 and 32 million words, each step in its own process
    .venv/bin/python bench/benchmark.py --help

It uses the package only through its public modules (``rhetoric.corpus``,
``rhetoric.counts``, ``rhetoric.stats.*``, ``rhetoric.formulas.*``), and NLTK
(a ``dev`` extra) only for the baselines.

:func:`run_benchmark` builds corpora of growing size and times every step on
each: loading, tokenizing (without and with the token cache), a warm load
(``load_corpus`` + ``tokenize`` from the cache, what every command does), a bare
``re.findall(r"\\w+", text.lower())`` pass over the same files (the reference
for the tokenizing target), each analysis, and the baselines a user would
otherwise reach for (NLTK's ``FreqDist``, ``ngrams`` and
``BigramCollocationFinder``; scikit-learn's ``CountVectorizer``) on the same
token lists. Sizes are multiples of a base of :data:`BASE_WORDS` words: up to
16x each size is its own synthetic corpus (:func:`synthetic_corpus`); above 16x
a size is copies of the 16x corpus (:func:`replicated_corpus`; 256x = 16 copies
of the two-million-word corpus = 32 million words). It also measures the
small-corpus targets on the project's own corpus, the start-up of the
``rhetoric`` command and the import time of every analysis module, and one
analysis from the command line against the same call in Python. Results go to
``reports/benchmarks/`` (``--large``: ``reports/benchmarks/32m-words/``):
``benchmark.csv``, ``baselines.csv``, ``targets.csv`` and ``README.md``; no other
file there is touched.

How things are measured
-----------------------
* **Processes**: each size runs in a fresh Python process, its steps one after
  the other. With ``--per-step`` (always for sizes above 16x, and with
  ``--large``) every step runs in a fresh process of its own, which first loads
  the corpus and its tokens from the cache (untimed) and then times the step's
  first call, once, as a command makes it; so its memory figure is what a
  command running only that step needs.
* **Time**: wall time with :func:`time.perf_counter`, and CPU time of the
  process with :func:`time.process_time` (which other programs competing for
  the cores do not inflate; on a quiet machine the two agree). Outside the
  per-step mode a step that takes less than ``budget`` seconds is repeated up
  to ``repeat`` times and the fastest run is kept (the usual ``timeit`` rule:
  slower runs measure noise).
* **Memory**: ``peak_mb`` is the peak resident set size (RSS) of the process
  *during* the step's first run, above the RSS when the step started;
  ``process_peak_mb`` is the highest RSS of the process up to the end of that
  run (in a per-step process: interpreter, imports, the corpus and tokens loaded
  for the step, and the step). Before each step the kernel's high-water mark is
  reset (``echo 5 > /proc/self/clear_refs``, Linux) and ``VmHWM`` is read after
  it; unlike :mod:`tracemalloc` this sees every allocation (NumPy, SciPy,
  pandas) without slowing the timed code. Where ``/proc`` is missing (macOS)
  ``ru_maxrss`` is used, a lower bound. A child whose RSS passes
  ``memory_cap_mb`` is stopped (the parent polls it), so one runaway step cannot
  take the machine's memory from other work; the step is then reported as
  stopped, with the RSS it had reached.
* **Start-up and imports**: fresh interpreters, the fastest of several runs;
  which heavy libraries (pandas, SciPy, scikit-learn, ...) a module pulls in is
  read from ``sys.modules`` after the import, and for ``rhetoric --help`` from
  ``python -X importtime`` (``PYTHONPROFILEIMPORTTIME``) of the console script.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import gc
import hashlib
import importlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from rhetoric import config
from rhetoric.errors import ParameterError, RhetoricError

ROOT = Path(__file__).resolve().parents[1]
"""The checkout this benchmark lives in."""
BENCHMARK_DIR = ROOT / "reports" / "benchmarks"
"""Where ``make bench`` writes its results."""
LARGE_DIR = BENCHMARK_DIR / "32m-words"
"""Where ``--large`` writes its results."""

BASE_WORDS = 125_000
"""Words of the 1x synthetic corpus; 16x is then about two million words (the issue's target size)."""
DOC_WORDS = 4_000
"""Mean words per synthetic document."""
SIZES = (1, 4, 16)
COPY_BASE = 16
"""Sizes above this are copies of the corpus of this size (256x = 16 copies of 16x)."""
LARGE_SIZES = (16, 256)
"""Sizes of ``--large``: two million words, and 16 copies of them (32 million)."""
TARGET_WORDS = 2_000_000
"""Corpus size the issues' speed targets are stated for."""
YEARS = (2022, 2023, 2024)
AUTHORS = (("Speaker A", "head of state"), ("Speaker B", "foreign minister"),
           ("Speaker C", "ambassador"), ("Speaker D", "spokesperson"))
"""Synthetic authors (invented names: the documents are resampled, not anyone's words)."""

BUNDLE_PER_MILLION = 20
"""Lexical bundle frequency threshold, per million tokens (Biber et al. 1999 use 10–40)."""
BUNDLE_RANGE = 5
"""Lexical bundle range threshold: documents a bundle must occur in (Biber, Conrad & Cortes 2004)."""
COLLOCATION_WINDOW = 5

MEMORY_CAP_MB = 6144
"""A child process whose resident memory passes this is stopped (``--memory-cap-mb``)."""
ANALYSIS_MEMORY_MB = 2560
"""Issue 13: peak memory of a process running one analysis at 32 million words, at most 2.5 GB (2.5 × 1024 MB)."""
WARM_LOAD_MEMORY_MB = 1024
"""Issue 13: a warm load (``load_corpus`` + ``tokenize`` from the cache) at 32 million words, under 1 GB."""
IMPORT_LIMIT_S = 1.0
"""Issue 13: importing every analysis module together takes at most 1 second."""
CLI_OVERHEAD_S = 1.0
"""Issue 13: an analysis from the command line costs at most this much more than the same call in Python."""

STEPS = (
    "load", "tokenize (no cache)", "tokenize (cached)", "warm load", "findall reference",
    "frequencies", "document-term matrix", "keyness by year", "bundles 2-6", "bundles 2-6 (not maximal)",
    "collocations", "recurring bigrams (G2)",
    "kwic word", "kwic phrase", "formula counts", "frame shares", "n-gram matrix 1-6",
    "lemmatize", "lemma list", "trends by year", "lexical diversity", "readability", "collocation network",
    "correspondence analysis",
)
"""Our steps, in the order they run."""
MEASURES = ("lemmatize", "lemma list", "trends by year", "lexical diversity", "readability", "collocation network",
            "correspondence analysis")
"""The analyses of issue 18 (timed and checked for linear growth, not added to ``all analyses``)."""
PREPARATION = ("load", "tokenize (no cache)", "tokenize (cached)", "warm load", "findall reference")
"""Steps that read and tokenize the corpus; the others analyse it."""
ANALYSES = ("frequencies", "keyness by year", "bundles 2-6", "collocations", "kwic word", "kwic phrase",
            "formula counts")
"""The analyses the issue's 5-second target adds up (frame shares and the matrices are timed, not summed)."""
TOTAL_STEP = "all analyses"
BASELINES = (
    # task, our step, baseline step
    ("frequency list", "frequencies", "nltk FreqDist"),
    ("2-6-gram bundles", "bundles 2-6", "nltk ngrams 2-6 + FreqDist"),
    ("collocations", "collocations", "nltk BigramCollocationFinder LLR"),
    ("all bigrams with G2", "recurring bigrams (G2)", "nltk BigramCollocationFinder LLR"),
    ("1-6-gram document-term matrix", "n-gram matrix 1-6", "sklearn CountVectorizer 1-6"),
)
HEAVY_MODULES = ("pandas", "numpy", "scipy", "sklearn", "matplotlib", "nltk", "yaml", "regex", "jinja2",
                 "papermill", "nbformat", "tqdm")
"""Libraries whose import costs time; the start-up measurements say which of them a module pulls in."""
BENCHMARK_COLUMNS = ["step", "size", "n_words", "n_tokens", "seconds", "cpu_seconds", "runs", "peak_mb",
                     "process_peak_mb", "tokens_per_s", "growth_vs_smallest", "note"]
BASELINE_COLUMNS = ["task", "size", "ours_s", "baseline", "baseline_s", "speedup", "speedup_cpu"]
TARGET_COLUMNS = ["target", "size", "n_words", "measured", "measured_cpu", "unit", "rule", "limit", "met", "note"]
PROJECT_COLUMNS = ["step", "first_call_s", "first_call_cpu_s", "seconds", "peak_mb"]
RESULT_FILES = ("benchmark.csv", "baselines.csv", "targets.csv", "README.md")
"""The files a run writes into its output folder (and the only ones it writes there)."""

_WORD = re.compile(r"\b[a-z]{4,}\b")
_SYLLABLES = ("ka", "lo", "mi", "ren", "tu", "sa", "vel", "dor", "ni", "qua", "bes", "tar", "ul", "fe", "zon", "pri")

# --------------------------------------------------------------------------- corpora

def _pseudo_word(rank: int) -> str:
    """A pronounceable invented word for a rank: its base-16 digits as syllables, least significant
    first, padded to two syllables with the zero syllable (1 -> 'loka', 16 -> 'kalo'); distinct per rank."""
    parts = []
    while True:
        rank, digit = divmod(rank, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
        if rank == 0:
            break
    if len(parts) < 2:
        parts.append(_SYLLABLES[0])
    return "".join(parts)


def _source_pools(source_dir) -> tuple[list[str], np.ndarray, np.ndarray, list[tuple[int, int]], np.ndarray]:
    """Sentences of the source texts (with year and word count) and paragraphs as sentence ranges."""
    from rhetoric.corpus import load_corpus, paragraph_spans, sentence_spans

    docs = load_corpus(source_dir)
    sentences: list[str] = []
    years: list[int] = []
    paragraphs: list[tuple[int, int]] = []
    para_years: list[int] = []
    for text, year in zip(docs["text"], docs["year"]):
        for p_start, p_end in paragraph_spans(text):
            para = text[p_start:p_end]
            first = len(sentences)
            for s_start, s_end in sentence_spans(para):
                sentence = " ".join(para[s_start:s_end].split())
                if sentence:
                    sentences.append(sentence)
                    years.append(int(year))
            if len(sentences) > first:
                paragraphs.append((first, len(sentences)))
                para_years.append(int(year))
    if not sentences:
        raise ParameterError(f"source corpus {source_dir or config.DATA_DIR} has no sentences to resample.")
    words = np.array([len(s.split()) for s in sentences], dtype=np.int64)
    return sentences, np.array(years), words, paragraphs, np.array(para_years)


def _year_cdf(item_years: np.ndarray, year: int, weight: float) -> np.ndarray:
    w = np.where(item_years == year, weight, 1.0)
    return np.cumsum(w) / w.sum()


def synthetic_corpus(out_dir, *, n_words: int = BASE_WORDS, seed: int = config.RANDOM_SEED,
                     source_dir=None, doc_words: int = DOC_WORDS, years=YEARS, n_authors: int = 4,
                     year_weight: float = 4.0, paragraph_share: float = 0.25, novel_rate: float = 0.02,
                     progress: bool | None = None) -> Path:
    """Write a synthetic corpus folder made by resampling sentences and paragraphs of a source corpus.

    Each document is a sequence of paragraphs; a paragraph is either a whole
    paragraph of a source text (with probability ``paragraph_share``) or two to
    five sentences drawn from all source texts. Sentences and paragraphs from a
    source text of the document's own year are ``year_weight`` times as likely,
    so years differ in their vocabulary and keyness by year finds something.
    A share ``novel_rate`` of the lower-case words of four letters or more is
    replaced by invented words drawn from a Zipf distribution (exponent 1.15,
    a million ranks): resampling alone would keep the vocabulary and the set of
    distinct n-grams at the size of the five source texts however large the
    corpus, which flatters every n-gram counter; real corpora keep meeting new
    words (Heaps' law).

    Parameters
    ----------
    out_dir : path
        Folder to create (it must not exist, or be empty). Receives
        ``corpus.csv``, ``raw/<doc_id>.txt`` and ``synthetic.json`` (the parameters).
    n_words : int, default 125_000
        Approximate total words (white-space separated, as ``wc -w`` counts).
    seed : int, default config.RANDOM_SEED
        Seed of :func:`numpy.random.default_rng`; the same seed and source give
        byte-identical files.
    source_dir : path, optional
        Corpus to resample; default the project's five texts (``data/``).
    doc_words : int, default 4_000
        Mean words per document (lengths vary log-normally, sigma 0.35).
    years : sequence of int, default (2022, 2023, 2024)
        Document years, assigned in turn; each document gets a random day of its year.
    n_authors : int, default 4
        Number of (invented) authors, assigned at random.
    year_weight : float, default 4.0
    paragraph_share : float, default 0.25
    novel_rate : float, default 0.02
    progress : bool, optional
        Progress bar (default: only in a terminal).

    Returns
    -------
    Path
        ``out_dir``, a corpus folder that ``rhetoric validate`` accepts.

    Raises
    ------
    ParameterError
        For a non-positive size, an unusable option, or a non-empty ``out_dir``.

    Examples
    --------
    >>> import tempfile
    >>> from rhetoric.corpus import load_corpus
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     docs = load_corpus(synthetic_corpus(Path(tmp) / "syn", n_words=8_000, progress=False))
    >>> len(docs), sorted(docs["year"].unique().tolist())
    (2, [2022, 2023])
    """
    from rhetoric.progress import progress_bar

    if n_words < 1 or doc_words < 1:
        raise ParameterError(f"n_words={n_words} and doc_words={doc_words} must be positive.")
    if not 0 <= novel_rate < 1 or not 0 <= paragraph_share <= 1 or year_weight <= 0:
        raise ParameterError(f"novel_rate={novel_rate} must be in [0, 1), paragraph_share={paragraph_share} "
                             f"in [0, 1], year_weight={year_weight} positive.")
    if not 1 <= n_authors <= len(AUTHORS) or not len(years):
        raise ParameterError(f"n_authors={n_authors} must be 1..{len(AUTHORS)} and years non-empty.")
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise ParameterError(f"out_dir {out} is not empty; give a new folder for the synthetic corpus.")
    sentences, sent_years, sent_words, paragraphs, para_years = _source_pools(source_dir)
    rng = np.random.default_rng(seed)
    n_docs = max(1, int(round(n_words / doc_words)))
    lengths = rng.lognormal(0.0, 0.35, n_docs)
    lengths = np.maximum(1, np.round(lengths / lengths.sum() * n_words)).astype(np.int64)
    cdfs = {int(y): (_year_cdf(sent_years, int(y), year_weight), _year_cdf(para_years, int(y), year_weight))
            for y in years}
    para_words = np.array([sent_words[a:b].sum() for a, b in paragraphs])
    raw = out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in progress_bar(range(n_docs), desc="synthetic corpus", unit="doc", enable=progress):
        year = int(years[i % len(years)])
        sent_cdf, para_cdf = cdfs[year]
        day = _dt.date(year, 1, 1) + _dt.timedelta(days=int(rng.integers(0, 365)))
        author, role = AUTHORS[int(rng.integers(0, n_authors))]
        parts, count = [], 0
        while count < lengths[i]:
            if rng.random() < paragraph_share:
                p = min(int(np.searchsorted(para_cdf, rng.random(), side="right")), len(paragraphs) - 1)
                a, b = paragraphs[p]
                picked = range(a, b)
                count += int(para_words[p])
            else:
                draws = rng.random(int(rng.integers(2, 6)))
                picked = np.minimum(np.searchsorted(sent_cdf, draws, side="right"), len(sentences) - 1)
                count += int(sent_words[picked].sum())
            parts.append(" ".join(sentences[j] for j in picked))
        text = "\n\n".join(parts)
        if novel_rate > 0:
            text = _inject_novel_words(text, rng, novel_rate)
        doc_id = f"syn{i:05d}"
        path = raw / f"{doc_id}.txt"
        data = (text + "\n").encode("utf-8")
        path.write_bytes(data)
        rows.append({
            "doc_id": doc_id, "date": day.isoformat(), "date_precision": "day", "period": str(year),
            "title": f"Synthetic document {i + 1}", "author": author, "role": role, "outlet": "synthetic",
            "genre": "synthetic", "language": "en", "translation_group": doc_id, "translation": "",
            "file": f"raw/{doc_id}.txt", "sha256": hashlib.sha256(data).hexdigest(),
            "source_note": f"resampled sentences and paragraphs (seed {seed})",
        })
    with open(out / config.CORPUS_TABLE, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    params = {"n_words": n_words, "seed": seed, "source_dir": str(source_dir or config.DATA_DIR),
              "doc_words": doc_words, "years": [int(y) for y in years], "n_authors": n_authors,
              "year_weight": year_weight, "paragraph_share": paragraph_share, "novel_rate": novel_rate,
              "n_docs": n_docs, "source_sentences": len(sentences), "source_paragraphs": len(paragraphs)}
    (out / "synthetic.json").write_text(json.dumps(params, indent=2) + "\n", encoding="utf-8")
    return out


def _inject_novel_words(text: str, rng: np.random.Generator, rate: float) -> str:
    matches = [m.span() for m in _WORD.finditer(text)]
    if not matches:
        return text
    chosen = np.flatnonzero(rng.random(len(matches)) < rate)
    ranks = (rng.zipf(1.15, size=len(chosen)) - 1) % 1_000_000 + 1
    pieces, last = [], 0
    for k, rank in zip(chosen, ranks):
        start, end = matches[k]
        pieces.append(text[last:start])
        pieces.append(_pseudo_word(int(rank)))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def replicated_corpus(corpus_dir, out_dir, *, factor: int) -> Path:
    """Write a corpus folder holding ``factor`` copies of every document of ``corpus_dir``.

    Copy ``k`` (from 2) of document ``d`` gets ``doc_id`` ``d~k``, its own
    ``translation_group`` (``group~k``) and the file ``copies/k/<file>``; the
    metadata is otherwise unchanged, so 4x a corpus is the same texts four times.

    Returns
    -------
    Path
        ``out_dir``.

    Examples
    --------
    >>> import tempfile
    >>> from rhetoric import config
    >>> from rhetoric.corpus import load_corpus
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     docs = load_corpus(replicated_corpus(config.DATA_DIR, Path(tmp) / "x2", factor=2))
    >>> len(docs) == 2 * len(load_corpus(config.DATA_DIR)), int(docs["doc_id"].str.endswith("~2").sum())
    (True, 5)
    """
    if factor < 1:
        raise ParameterError(f"factor={factor} must be at least 1.")
    src, out = Path(corpus_dir), Path(out_dir)
    with open(src / config.CORPUS_TABLE, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = [f.strip() for f in reader.fieldnames or []]
        rows = [{k.strip(): (v or "") for k, v in row.items() if k is not None} for row in reader]
    if "translation_group" not in fields:
        fields.append("translation_group")
    out.mkdir(parents=True, exist_ok=True)
    new_rows = []
    for k in range(1, factor + 1):
        for row in rows:
            new = dict(row)
            rel = row["file"]
            if k > 1:
                new["doc_id"] = f"{row['doc_id']}~{k}"
                new["translation_group"] = f"{row.get('translation_group') or row['doc_id']}~{k}"
                rel = f"copies/{k}/{row['file']}"
                new["file"] = rel
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src / row["file"], target)
            new_rows.append(new)
    with open(out / config.CORPUS_TABLE, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(new_rows)
    return out


# --------------------------------------------------------------------------- measuring (child process)

def _proc_kb(field: str, pid: int | str = "self") -> int | None:
    """A ``kB`` field of ``/proc/<pid>/status`` (``VmRSS``, ``VmHWM``), or None where there is none."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _maxrss_kb() -> int:
    import resource

    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value // 1024 if sys.platform == "darwin" else value  # bytes on macOS, kB on Linux


_PEAK_KB = [0]
"""Highest resident set size seen in this process (kB); the kernel's own high-water mark is reset per step."""


def _note_peak() -> None:
    hwm = _proc_kb("VmHWM")
    _PEAK_KB[0] = max(_PEAK_KB[0], hwm if hwm is not None else _maxrss_kb())


def process_peak_mb() -> float:
    """Peak RSS of this process so far, in MB (across the per-step resets of the high-water mark)."""
    _note_peak()
    return _PEAK_KB[0] / 1024


@dataclass
class Measured:
    """One timed step: fastest wall and CPU seconds, memory of the first run, number of runs, first result."""

    seconds: float
    cpu_seconds: float
    peak_mb: float
    process_peak_mb: float
    runs: int
    result: object


def _measure(fn, *, repeat: int, budget: float, collect: bool = True) -> Measured:
    """Run ``fn`` once, then again while fewer than ``repeat`` runs took less than ``budget`` seconds in all."""
    if collect:
        gc.collect()
    _note_peak()
    exact = _reset_peak()
    base = _proc_kb("VmRSS") if exact else None
    before = _maxrss_kb()
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    times, cpu = [time.perf_counter() - t0], [time.process_time() - c0]
    hwm = _proc_kb("VmHWM") if exact else None
    if hwm is not None and base is not None:
        peak_kb = max(0, hwm - base)  # the step may free more than it takes
    else:
        peak_kb = max(0, _maxrss_kb() - before)
    process_mb = process_peak_mb()  # up to the end of the first run: later runs hold two results at once
    while len(times) < repeat and sum(times) < budget:
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return Measured(min(times), min(cpu), peak_kb / 1024, process_mb, len(times), result)


def _identity(x):
    return x


def _auto_parameters(ctx) -> dict:
    """A frequent content word (collocation node, KWIC word), a frequent two-word phrase, and the thresholds."""
    from rhetoric.counts import stop_word_list

    tokens = ctx.tokens
    stop = stop_word_list(True)
    usable = np.array([v not in stop and v.isalpha() and len(v) > 2 for v in tokens.vocab], dtype=bool)
    counts = np.bincount(tokens.ids, minlength=len(tokens.vocab))
    scores = np.where(usable, counts, -1)
    node = str(tokens.vocab[int(np.argmax(scores))])  # ties: the first (alphabetical) type
    phrase = ctx.spec.get("phrase")
    if not phrase:
        ids = tokens.ids.astype(np.int64)
        same = tokens.sentence[1:] == tokens.sentence[:-1]
        ok = same & usable[ids[:-1]] & usable[ids[1:]]
        pairs = ids[:-1][ok] * len(tokens.vocab) + ids[1:][ok]
        if len(pairs):
            values, freq = np.unique(pairs, return_counts=True)
            best = int(values[np.argmax(freq)])
            phrase = f"{tokens.vocab[best // len(tokens.vocab)]} {tokens.vocab[best % len(tokens.vocab)]}"
        else:
            phrase = node
    return {"node": ctx.spec.get("node") or node, "phrase": phrase,
            "bundle_min_count": max(2, int(round(BUNDLE_PER_MILLION * tokens.n_tokens / 1e6))),
            "bundle_min_range": min(BUNDLE_RANGE, len(tokens.doc_ids)),
            "keyness_target_year": int(ctx.docs["year"].max()), "collocation_window": COLLOCATION_WINDOW}


def _step_functions(ctx) -> dict:
    """Step name -> zero-argument callable, through the package's public modules. A module is imported
    when its step runs, so a missing one raises ImportError there and the step is reported as skipped."""

    def call(module: str, name: str, *args, **options):
        return getattr(importlib.import_module(f"rhetoric.{module}"), name)(*args, **options)

    def findall_reference():
        n = 0
        for path in ctx.docs["path"]:
            n += len(re.findall(r"\w+", Path(path).read_text(encoding="utf-8").lower()))
        return n

    def warm_load():
        docs = call("corpus", "load_corpus", ctx.spec["corpus_dir"])
        return call("corpus", "tokenize", docs, cache=True)

    t = lambda: ctx.tokens  # noqa: E731  (made by a tokenize step, or read from the cache before the step)
    d = lambda: ctx.docs  # noqa: E731
    p = lambda key: ctx.parameters[key]  # noqa: E731
    window = dict(left=COLLOCATION_WINDOW, right=COLLOCATION_WINDOW)
    bundles = lambda **more: call("stats.bundles", "lexical_bundles", t(), d(), min_n=2, max_n=6,  # noqa: E731
                                  min_count=p("bundle_min_count"), min_range=p("bundle_min_range"), **more)
    return {
        "load": lambda: call("corpus", "load_corpus", ctx.spec["corpus_dir"]),
        "tokenize (no cache)": lambda: call("corpus", "tokenize", d(), cache=False),
        "tokenize (cached)": lambda: call("corpus", "tokenize", d(), cache=True),
        "warm load": warm_load,
        "findall reference": findall_reference,
        "frequencies": lambda: call("stats.frequency", "term_frequencies", t(), d(), by="corpus"),
        "document-term matrix": lambda: call("counts", "count_terms", t(), d()),
        "keyness by year": lambda: call("stats.keyness", "keyness", t(), d(), by="year",
                                        target=p("keyness_target_year")),
        "bundles 2-6": lambda: bundles(),
        "bundles 2-6 (not maximal)": lambda: bundles(maximal=False),
        "collocations": lambda: call("stats.collocations", "collocates", t(), d(), p("node"), min_count=3, **window),
        "recurring bigrams (G2)": lambda: call("stats.collocations", "recurring_ngrams", t(), d(), n=2, min_count=1,
                                               sort_by="g2"),
        "kwic word": lambda: call("stats.kwic", "kwic", t(), d(), p("node")),
        "kwic phrase": lambda: call("stats.kwic", "kwic", t(), d(), p("phrase")),
        "formula counts": lambda: call("formulas.counts", "formula_counts", t(), d()),
        "frame shares": lambda: call("formulas.framing", "frame_shares", t(), d(), unit="year"),
        "n-gram matrix 1-6": lambda: call("counts", "count_terms", t(), d(), ngram_range=(1, 6)),
        "lemmatize": lambda: call("corpus.lemmas", "lemmatize", t()),
        "lemma list": lambda: call("stats.lemma_list", "lemma_forms", t(), d(), stop_words=True),
        "trends by year": lambda: call("stats.trends", "trends", t(), d(), [p("node"), p("phrase")], by="year"),
        "lexical diversity": lambda: call("stats.diversity", "lexical_diversity", t(), d()),
        "readability": lambda: call("stats.readability", "readability", t(), d()),
        "collocation network": lambda: call("stats.network", "collocation_network", t(), d(), p("node"),
                                            min_count=3, **window),
        "correspondence analysis": lambda: call("stats.correspondence", "correspondence_analysis", t(), d(),
                                                min_count=1, all_versions=True),
    }


def _baseline_functions(ctx) -> dict:
    def freqdist():
        from itertools import chain

        from nltk import FreqDist

        return FreqDist(chain.from_iterable(ctx.lists))

    def ngram_counts():
        from nltk import FreqDist
        from nltk.util import ngrams

        return FreqDist(g for doc in ctx.lists for n in range(2, 7) for g in ngrams(doc, n))

    def bigram_finder():
        from itertools import chain

        from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

        finder = BigramCollocationFinder.from_words(chain.from_iterable(ctx.lists))
        return finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)

    def count_vectorizer():
        from sklearn.feature_extraction.text import CountVectorizer

        vectorizer = CountVectorizer(tokenizer=_identity, preprocessor=_identity, lowercase=False,
                                     token_pattern=None, ngram_range=(1, 6))
        return vectorizer.fit_transform(ctx.lists)

    return {"nltk FreqDist": freqdist, "nltk ngrams 2-6 + FreqDist": ngram_counts,
            "nltk BigramCollocationFinder LLR": bigram_finder, "sklearn CountVectorizer 1-6": count_vectorizer}


class _Context:
    def __init__(self, spec):
        self.spec = spec
        self.docs = None
        self.tokens = None
        self.parameters = spec.get("parameters")


MODULES = ("rhetoric.corpus", "rhetoric.corpus.lemmas", "rhetoric.stats.lemma_list", "rhetoric.stats.trends",
           "rhetoric.stats.diversity", "rhetoric.stats.readability", "rhetoric.stats.network",
           "rhetoric.stats.correspondence", "rhetoric.counts", "rhetoric.stats.frequency", "rhetoric.stats.keyness",
           "rhetoric.stats.bundles", "rhetoric.stats.collocations", "rhetoric.stats.kwic", "rhetoric.formulas.counts",
           "rhetoric.formulas.framing")
"""The modules the steps use, imported before any step is timed."""


def _run_child(spec: dict) -> dict:
    """Run the spec's steps on one corpus in this process; return rows and facts (see :func:`_child_main`)."""
    for module in MODULES:
        try:  # imports happen here, not inside the timed steps
            importlib.import_module(module)
        except ImportError:
            pass
    if spec.get("baselines"):
        for module in ("nltk", "nltk.collocations", "sklearn.feature_extraction.text"):
            importlib.import_module(module)
    ctx = _Context(spec)
    saved_cache = os.environ.get("RHETORIC_CACHE_DIR")
    os.environ["RHETORIC_CACHE_DIR"] = spec["cache_dir"]
    try:
        return _run_steps(ctx, _step_functions(ctx), spec)
    finally:
        if saved_cache is None:
            os.environ.pop("RHETORIC_CACHE_DIR", None)
        else:
            os.environ["RHETORIC_CACHE_DIR"] = saved_cache


def _prepare(ctx, name: str, steps: dict) -> None:
    """What a step needs before it is timed: the documents, and for an analysis the tokens (from the
    cache, written if missing) and the parameters."""
    if name in ("load", "warm load"):
        return
    if ctx.docs is None:
        ctx.docs = steps["load"]()
    if name == "tokenize (cached)":
        steps["tokenize (cached)"]()  # writes the cache if missing; the timed runs read it
    if name in PREPARATION:
        return
    if ctx.tokens is None:
        ctx.tokens = steps["tokenize (cached)"]()
    if ctx.parameters is None:
        ctx.parameters = _auto_parameters(ctx)


def _run_steps(ctx, steps: dict, spec: dict) -> dict:
    from rhetoric.progress import progress_bar

    repeat, budget = spec["repeat"], spec["budget"]
    rows, first_calls = [], {}
    order = [s for s in STEPS if s in spec["steps"]]
    for name in progress_bar(order, desc=spec["label"], unit="step", enable=spec.get("progress")):
        try:
            _prepare(ctx, name, steps)
            if spec.get("first_call"):
                t0, c0 = time.perf_counter(), time.process_time()
                steps[name]()
                first_calls[name] = (time.perf_counter() - t0, time.process_time() - c0)
            m = _measure(steps[name], repeat=repeat, budget=budget, collect=spec.get("collect", True))
        except ImportError as exc:
            rows.append({"step": name, "seconds": None, "cpu_seconds": None, "runs": 0, "peak_mb": None,
                         "process_peak_mb": None, "n_rows": None, "note": f"skipped: {exc}"})
            continue
        rows.append({"step": name, "seconds": m.seconds, "cpu_seconds": m.cpu_seconds, "runs": m.runs,
                     "peak_mb": m.peak_mb, "process_peak_mb": m.process_peak_mb,
                     "n_rows": len(m.result) if isinstance(m.result, pd.DataFrame) else None, "note": ""})
        if name == "load" and ctx.docs is None:
            ctx.docs = m.result
        elif name == "tokenize (no cache)":
            ctx.tokens = m.result
        del m
    if ctx.parameters is None and (spec.get("facts", True) or spec.get("baselines")):
        _prepare(ctx, "frequencies", steps)
    ours_peak_mb = process_peak_mb()
    if spec.get("baselines"):
        from rhetoric.corpus.tokens import doc_token_lists

        _prepare(ctx, "frequencies", steps)
        ctx.lists = doc_token_lists(ctx.tokens)
        for name, fn in progress_bar(list(_baseline_functions(ctx).items()), desc=spec["label"] + " baselines",
                                     unit="step", enable=spec.get("progress")):
            m = _measure(fn, repeat=repeat, budget=budget, collect=spec.get("collect", True))
            rows.append({"step": "baseline: " + name, "seconds": m.seconds, "cpu_seconds": m.cpu_seconds,
                         "runs": m.runs, "peak_mb": m.peak_mb, "process_peak_mb": m.process_peak_mb,
                         "n_rows": None, "note": ""})
            del m
    out = {"rows": rows, "first_calls": first_calls, "ours_peak_mb": ours_peak_mb,
           "process_peak_mb": process_peak_mb(), "parameters": ctx.parameters,
           "memory_method": ("VmHWM after resetting it with /proc/self/clear_refs" if _reset_peak()
                             else "growth of ru_maxrss, a lower bound")}
    if spec.get("facts", True):
        docs = ctx.docs if ctx.docs is not None else steps["load"]()
        tokens = ctx.tokens if ctx.tokens is not None else steps["tokenize (cached)"]()
        out.update(n_docs=int(len(docs)), n_words=int(sum(len(t.split()) for t in docs["raw_text"])),
                   n_tokens=int(tokens.n_tokens), n_types=int(len(tokens.vocab)))
    return out


def _child_main(spec_path: str) -> int:
    """``bench/benchmark.py --child SPEC.json``: run the spec, write the results JSON it names."""
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    result = _run_child(spec)
    Path(spec["out"]).write_text(json.dumps(result), encoding="utf-8")
    return 0


def _in_process(spec: dict, work: Path, *, memory_cap_mb: float | None = None) -> dict:
    """Run one spec in this process (faster to start; memory figures include what this process holds)."""
    spec = dict(spec, collect=False)  # a full collection per step is slow in a big test process
    return json.loads(json.dumps(_run_child(spec)))  # the same types as from a child


class _Stopped(RhetoricError):
    """A child process passed the memory cap and was stopped."""

    def __init__(self, label: str, rss_mb: float, cap_mb: float):
        super().__init__(f"benchmark process {label} stopped: its resident memory reached {rss_mb:,.0f} MB, "
                         f"above the cap of {cap_mb:,.0f} MB (--memory-cap-mb).")
        self.rss_mb = rss_mb


def _spawn(spec: dict, work: Path, *, memory_cap_mb: float | None = MEMORY_CAP_MB) -> dict:
    """Run one spec in a fresh interpreter and return its results; stop it if its RSS passes the cap."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", spec["label"]).strip("-")
    spec = dict(spec, out=str(work / f"{name}.result.json"))
    spec_path = work / f"{name}.spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", str(spec_path)],
                            stdout=subprocess.DEVNULL)
    rss_kb = 0
    while proc.poll() is None:
        rss_kb = max(rss_kb, _proc_kb("VmRSS", proc.pid) or 0)
        if memory_cap_mb and rss_kb > memory_cap_mb * 1024:
            proc.kill()
            proc.wait()
            raise _Stopped(spec["label"], rss_kb / 1024, memory_cap_mb)
        time.sleep(0.1)
    if proc.returncode != 0:
        raise RhetoricError(f"benchmark process for {spec['label']} failed (exit {proc.returncode}); its error "
                            "is printed above.")
    return json.loads(Path(spec["out"]).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- start-up, imports, the command line

def analysis_modules() -> list[str]:
    """Every public module of ``rhetoric.stats`` and ``rhetoric.formulas`` (found on disk, so a new one counts).

    Examples
    --------
    >>> "rhetoric.stats.bundles" in analysis_modules()
    True
    """
    import pkgutil

    names = []
    for package in ("rhetoric.stats", "rhetoric.formulas"):
        path = importlib.import_module(package).__path__
        names += [f"{package}.{m.name}" for m in pkgutil.iter_modules(path) if not m.name.startswith("_")]
    return sorted(names)


def console_script() -> list[str]:
    """The ``rhetoric`` command of this environment (beside its Python), or the same entry point through ``-c``."""
    script = Path(sys.executable).with_name("rhetoric")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from rhetoric.cli import main; sys.exit(main())"]


def _run_once(args: list[str], *, env=None) -> tuple[float, float, str]:
    """Wall and CPU seconds (``RUSAGE_CHILDREN``) of one fresh process running ``args``, and its output."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise RhetoricError(f"`{' '.join(args)}` failed (exit {proc.returncode}): {last}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), proc.stdout


def _fastest(args: list[str], *, runs: int, env=None) -> tuple[float, float, str]:
    """The fastest (by wall time) of ``runs`` fresh processes: wall seconds, CPU seconds, output."""
    return min((_run_once(args, env=env) for _ in range(runs)), key=lambda r: r[0])


_IMPORT_CODE = """\
import json, sys, time
t0, c0 = time.perf_counter(), time.process_time()
{imports}
t1, c1 = time.perf_counter(), time.process_time()
print(json.dumps({{"seconds": t1 - t0, "cpu_seconds": c1 - c0,
                  "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
"""

IMPORT_COLUMNS = ["module", "import_s", "import_cpu_s", "process_s", "heavy"]


def import_times(modules=None, *, runs: int = 3) -> pd.DataFrame:
    """Import time of each analysis module, and of all of them together, each in fresh interpreters.

    Returns
    -------
    DataFrame
        ``module`` (or ``all analysis modules``), ``import_s`` and ``import_cpu_s``
        (the import alone, fastest of ``runs``), ``process_s`` (that run's whole
        ``python -c`` process, interpreter start-up included), ``heavy`` (the
        libraries of :data:`HEAVY_MODULES` the import loaded).
    """
    modules = list(modules) if modules is not None else analysis_modules()
    rows = []
    for label, names in [(m, [m]) for m in modules] + [("all analysis modules", modules)]:
        code = _IMPORT_CODE.format(imports="\n".join(f"import {n}" for n in names), heavy=HEAVY_MODULES)
        best = None
        for _ in range(runs):
            wall, _, out = _run_once([sys.executable, "-c", code])
            fact = json.loads(out)
            if best is None or fact["seconds"] < best["import_s"]:
                best = {"module": label, "import_s": fact["seconds"], "import_cpu_s": fact["cpu_seconds"],
                        "process_s": wall, "heavy": ", ".join(fact["heavy"])}
        rows.append(best)
    return pd.DataFrame(rows, columns=IMPORT_COLUMNS)


def startup_times(*, runs: int = 5) -> dict:
    """``rhetoric --help`` against ``python -c "import pandas"`` and ``python -c pass``, fresh processes, fastest
    of ``runs``; and the libraries of :data:`HEAVY_MODULES` that ``rhetoric --help`` imports (``-X importtime``)."""
    cli = console_script()
    help_wall, help_cpu, _ = _fastest(cli + ["--help"], runs=runs)
    pandas_wall, pandas_cpu, _ = _fastest([sys.executable, "-c", "import pandas"], runs=runs)
    bare_wall, _, _ = _fastest([sys.executable, "-c", "pass"], runs=runs)
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    proc = subprocess.run(cli + ["--help"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in proc.stderr.splitlines()
                if line.startswith("import time:")}
    return {"help_s": help_wall, "help_cpu_s": help_cpu, "pandas_s": pandas_wall, "pandas_cpu_s": pandas_cpu,
            "bare_s": bare_wall, "heavy": [m for m in HEAVY_MODULES if m in imported],
            "n_imported": len(imported), "runs": runs, "command": " ".join(Path(a).name if i == 0 else a
                                                                          for i, a in enumerate(cli))}


def cli_versus_python(corpus_dir, cache_dir, parameters: dict, *, runs: int = 3) -> dict:
    """``rhetoric bundles --corpus DIR --format csv`` with the parameters of the ``bundles 2-6`` step, in fresh
    processes, after one warm-up run (which writes the token cache if it is missing): the fastest of ``runs``,
    and the number of rows it printed."""
    options = ["bundles", "--corpus", str(corpus_dir), "--format", "csv", "--quiet", "--min-n", "2", "--max-n", "6",
               "--min-count", str(parameters["bundle_min_count"]), "--min-range", str(parameters["bundle_min_range"])]
    args = console_script() + options
    env = dict(os.environ, RHETORIC_CACHE_DIR=str(cache_dir))
    _, _, out = _run_once(args, env=env)
    n_rows = max(0, sum(1 for _ in csv.reader(out.splitlines())) - 1)
    wall, cpu, _ = _fastest(args, runs=runs, env=env)
    shown = ["rhetoric"] + ["<corpus>" if a == str(corpus_dir) else a for a in options]
    return {"seconds": wall, "cpu_seconds": cpu, "n_rows": n_rows, "runs": runs, "command": " ".join(shown)}


_IMPORT_SNIPPET = """
import time
t0, c0 = time.perf_counter(), time.process_time()
import rhetoric, rhetoric.corpus
{extra}
t1, c1 = time.perf_counter(), time.process_time()
docs = rhetoric.corpus.load_corpus({corpus!r})
t2, c2 = time.perf_counter(), time.process_time()
print(t1 - t0, t2 - t1, c2 - c0)
"""


def _import_and_load(corpus_dir: str, *, all_modules: bool, runs: int = 3) -> tuple[float, float, float, float]:
    """(import s, load s, their CPU s, whole-interpreter wall s) of the fastest of ``runs`` fresh interpreters."""
    extra = "import " + ", ".join(analysis_modules()) if all_modules else ""
    code = _IMPORT_SNIPPET.format(extra=extra, corpus=corpus_dir)
    best = None
    for _ in range(runs):
        wall, _, out = _run_once([sys.executable, "-c", code])
        imp, load, cpu = map(float, out.split())
        if best is None or imp + load < best[0] + best[1]:
            best = (imp, load, cpu, wall)
    return best


def _time_report(out_dir: Path) -> tuple[float | None, float | None, str]:
    """Wall and CPU seconds (children included) of ``rhetoric report --out out_dir`` in a fresh interpreter,
    and a note. The report is built into ``out_dir`` (a scratch folder), so ``reports/`` stays as it is."""
    code = ("import sys; from rhetoric.cli import main; "
            f"sys.exit(main(['report', '--quiet', '--out', {str(out_dir)!r}]))")
    try:
        wall, cpu, _ = _run_once([sys.executable, "-c", code])
    except RhetoricError as exc:
        return None, None, f"rhetoric report failed: {exc}"
    return wall, cpu, ("rhetoric report (into a scratch folder) in a fresh interpreter, environment already set up; "
                       "CPU of all its processes")


# --------------------------------------------------------------------------- the benchmark (parent)

@dataclass
class BenchmarkResults:
    """Tables of one benchmark run (also written to ``out_dir``).

    Attributes
    ----------
    steps : DataFrame
        :data:`BENCHMARK_COLUMNS`: one row per step and size, including ``all
        analyses`` (the sum of :data:`ANALYSES`) and the baselines (``baseline:
        ...``). ``seconds`` is wall time, ``cpu_seconds`` the process's CPU
        time (close to the wall time on a quiet machine), ``runs`` the timed
        runs (fastest kept); ``peak_mb`` and ``process_peak_mb`` as in the module
        docstring; tokens_per_s = n_tokens / seconds; growth_vs_smallest =
        seconds at this size / seconds at the smallest size of the run;
        ``note`` says why a step has no time (skipped, stopped at the memory cap).
    baselines : DataFrame
        ``task, size, ours_s, baseline, baseline_s, speedup, speedup_cpu``;
        speedup = baseline_s / ours_s (``speedup_cpu`` the same from CPU times).
    targets : DataFrame
        :data:`TARGET_COLUMNS`: each target of issues 8 and 13; ``met`` judges
        ``measured`` against ``limit`` by ``rule`` (``at most`` / ``at least``),
        or is ``n/a`` when nothing was measured; ``measured_cpu`` is the same
        figure from CPU times where it has one.
    project : DataFrame
        :data:`PROJECT_COLUMNS`: each step on the project's own corpus, its first
        call and the fastest of the repeats.
    imports : DataFrame
        :data:`IMPORT_COLUMNS` (see :func:`import_times`); empty without the start-up measurements.
    info : dict
        Machine, versions, corpus facts, parameters, start-up and command-line figures.
    """

    steps: pd.DataFrame
    baselines: pd.DataFrame
    targets: pd.DataFrame
    project: pd.DataFrame
    imports: pd.DataFrame
    info: dict


def _parse_sizes(sizes, *, copies_of_16: bool = True) -> tuple[int, ...]:
    if isinstance(sizes, str):
        try:
            sizes = [int(s) for s in sizes.split(",") if s.strip()]
        except ValueError as exc:
            raise ParameterError(f"sizes={sizes!r} must be whole numbers separated by commas, e.g. 1,4,16.") \
                from exc
    sizes = tuple(sorted(set(int(s) for s in sizes)))
    if not sizes or sizes[0] < 1:
        raise ParameterError(f"sizes={sizes} must be one or more whole numbers of at least 1, e.g. 1,4,16.")
    odd = [s for s in sizes if s > COPY_BASE and s % COPY_BASE]
    if copies_of_16 and odd:
        raise ParameterError(f"sizes={','.join(map(str, sizes))}: a size above {COPY_BASE} is copies of the "
                             f"{COPY_BASE}x corpus, so it must be a multiple of {COPY_BASE} (e.g. 256 = 16 copies); "
                             f"change {', '.join(map(str, odd))}.")
    return sizes


def _per_step(spec: dict, runner, work: Path, memory_cap_mb) -> dict:
    """Every step of one size in a fresh process of its own (after one that writes the token cache), timed
    once: the step's first call in the process, as a command makes it (at every size, so growth compares like
    with like; a repeat would reuse memory the first call had to fault in)."""
    prepare = runner(dict(spec, label=f"{spec['label']} prepare", steps=[], baselines=False, facts=True), work,
                     memory_cap_mb=memory_cap_mb)
    rows = []
    for step in STEPS:
        one = dict(spec, label=f"{spec['label']} {step}", steps=[step], baselines=False, facts=False,
                   parameters=prepare["parameters"], repeat=1)  # the first call, as a command makes it
        try:
            rows += runner(one, work, memory_cap_mb=memory_cap_mb)["rows"]
        except _Stopped as exc:
            rows.append({"step": step, "seconds": None, "cpu_seconds": None, "runs": 0, "peak_mb": None,
                         "process_peak_mb": exc.rss_mb, "n_rows": None,
                         "note": f"stopped when its resident memory reached {exc.rss_mb:,.0f} MB, above the cap "
                                 f"of {memory_cap_mb:,.0f} MB"})
    ours = [r["process_peak_mb"] for r in rows if r["process_peak_mb"] is not None]
    out = {k: prepare[k] for k in ("n_docs", "n_words", "n_tokens", "n_types", "parameters", "memory_method")}
    out.update(rows=rows, first_calls={}, ours_peak_mb=max(ours, default=float("nan")))
    theirs = []
    if spec.get("baselines"):
        base = runner(dict(spec, label=f"{spec['label']} baselines", steps=[], facts=False,
                           parameters=prepare["parameters"]), work, memory_cap_mb=memory_cap_mb)
        rows += base["rows"]
        theirs = [base["process_peak_mb"]]
    out["process_peak_mb"] = max(ours + theirs, default=float("nan"))
    return out


def run_benchmark(*, corpus_dir=None, sizes=SIZES, base_words: int = BASE_WORDS, out_dir=BENCHMARK_DIR,
                  baselines: bool = True, repeat: int = 3, budget: float = 5.0, per_step: bool = False,
                  project_targets: bool = True, startup: bool = True, cli_check: bool = True,
                  memory_cap_mb: float | None = MEMORY_CAP_MB, seed: int = config.RANDOM_SEED,
                  time_report: bool = False, isolate: bool = True, startup_runs: int = 5,
                  import_modules=None, command: str | None = None, progress: bool | None = None
                  ) -> BenchmarkResults:
    """Time and measure every step at several corpus sizes; write the results to ``out_dir``.

    Parameters
    ----------
    corpus_dir : path, optional
        A corpus folder to use as the 1x corpus (size k = k copies of it, see
        :func:`replicated_corpus`). Default: synthetic corpora of
        ``base_words × size`` words (:func:`synthetic_corpus`) up to 16x, and
        copies of the 16x corpus above (256x = 16 copies).
    sizes : sequence of int or str, default (1, 4, 16)
        Multiples of the base corpus (``"1,4,16"`` accepted).
    base_words : int, default 125_000
        Words of the 1x synthetic corpus (16x is then two million). Ignored with ``corpus_dir``.
    out_dir : path, default ``reports/benchmarks/``
        Where ``benchmark.csv``, ``baselines.csv``, ``targets.csv`` and ``README.md``
        go (nothing else there is touched); each is written to a temporary file
        first and moved into place only when the whole run has finished, so an
        interrupted run leaves the old files.
    baselines : bool, default True
        Also time NLTK and scikit-learn on the same token lists (never on copies
        above 16x: NLTK's n-gram counts of 32 million words need tens of GB).
    repeat : int, default 3
        Runs of a step (fastest kept) while their total stays under ``budget`` seconds.
    budget : float, default 5.0
    per_step : bool, default False
        Run every step in a fresh process of its own (always so for copies above 16x).
    project_targets : bool, default True
        Also measure the small-corpus targets on the project's own corpus.
    startup : bool, default True
        Also measure ``rhetoric --help`` against ``import pandas`` and the import
        time of every analysis module (:func:`startup_times`, :func:`import_times`).
    cli_check : bool, default True
        Also time ``rhetoric bundles`` on the size closest to two million words
        against the same call in Python (:func:`cli_versus_python`).
    memory_cap_mb : float, optional, default 6144
        Stop a child process whose resident memory passes this; None: no cap.
    seed : int, default config.RANDOM_SEED
        Seed of the synthetic corpora (size k uses ``seed + k``).
    time_report : bool, default False
        Also time ``rhetoric report`` (every notebook, every figure, built into a
        scratch folder) for the 30-second target.
    isolate : bool, default True
        Run each size (or step) in a fresh Python process (the default, and the
        only way the memory figures mean what they say). ``False`` runs the steps
        in this process, which only tests should want.
    startup_runs : int, default 5
        Fresh processes per start-up figure (3 per import figure, or fewer if this is smaller).
    import_modules : list of str, optional
        Modules whose import is timed (default :func:`analysis_modules`).
    command : str, optional
        The command line to record in README.md (default ``sys.argv``).
    progress : bool, optional
        Progress bars (default: only in a terminal).

    Returns
    -------
    BenchmarkResults
    """
    sizes = _parse_sizes(sizes, copies_of_16=corpus_dir is None)
    load_before = _load_average()
    source_before = _source_fingerprint()
    if base_words < 1000:
        raise ParameterError(f"base_words={base_words} is too small; use at least 1000.")
    if repeat < 1 or startup_runs < 1:
        raise ParameterError(f"repeat={repeat} and startup_runs={startup_runs} must be at least 1.")
    if corpus_dir is not None and not (Path(corpus_dir) / config.CORPUS_TABLE).is_file():
        raise ParameterError(f"--corpus {corpus_dir}: no {config.CORPUS_TABLE} there; give a corpus folder.")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError(f"--out {out_dir} is a file; give a folder for the results.")
    runner = _spawn if isolate else _in_process
    results: dict[int, dict] = {}
    project = cli = start = None
    imports = pd.DataFrame(columns=IMPORT_COLUMNS)
    with tempfile.TemporaryDirectory(prefix="rhetoric-bench-") as tmp:
        work = Path(tmp)
        folders: dict[int, tuple[Path, str, int | None]] = {}

        def corpus_for(size: int) -> tuple[Path, str, int | None]:
            """The corpus folder of a size, how it was made, and the size it is copies of (or None)."""
            if size not in folders:
                folder = work / f"corpus-{size}x"
                if corpus_dir is not None:
                    folders[size] = ((Path(corpus_dir).resolve(), "the corpus folder", None) if size == 1 else
                                     (replicated_corpus(corpus_dir, folder, factor=size),
                                      f"{size} copies of the corpus folder", 1))
                elif size <= COPY_BASE:
                    folders[size] = (synthetic_corpus(folder, n_words=base_words * size, seed=seed + size,
                                                      progress=progress), "synthetic", None)
                else:
                    folders[size] = (replicated_corpus(corpus_for(COPY_BASE)[0], folder, factor=size // COPY_BASE),
                                     f"{size // COPY_BASE} copies of the {COPY_BASE}x corpus", COPY_BASE)
            return folders[size]

        base_spec = {"repeat": repeat, "budget": budget, "progress": progress, "steps": list(STEPS)}
        for size in sizes:
            folder, made_as, copy_of = corpus_for(size)
            copies = corpus_dir is None and size > COPY_BASE
            spec = dict(base_spec, label=f"{size}x", corpus_dir=str(folder), cache_dir=str(work / f"cache-{size}x"),
                        baselines=baselines and not copies)
            isolated = per_step or copies
            results[size] = (_per_step(spec, runner, work, memory_cap_mb) if isolated
                             else runner(spec, work, memory_cap_mb=memory_cap_mb))
            results[size].update(per_step=isolated, made_as=made_as, copy_of=copy_of)
        if cli_check:
            size = _target_size(results)
            if results[size]["parameters"]:
                cli = cli_versus_python(corpus_for(size)[0], work / f"cache-{size}x", results[size]["parameters"],
                                        runs=min(3, startup_runs))
                cli.update(size=size, python_rows=next((r["n_rows"] for r in results[size]["rows"]
                                                         if r["step"] == "bundles 2-6"), None))
        if project_targets:
            spec = dict(base_spec, label="project", corpus_dir=str(config.DATA_DIR),
                        cache_dir=str(work / "cache-project"), baselines=False, first_call=True,
                        repeat=max(repeat, 5))
            project = runner(spec, work, memory_cap_mb=memory_cap_mb)
            project["import_load"] = _import_and_load(str(config.DATA_DIR), all_modules=False,
                                                      runs=min(3, startup_runs))
            project["import_all_load"] = _import_and_load(str(config.DATA_DIR), all_modules=True,
                                                          runs=min(3, startup_runs))
        if startup:
            start = startup_times(runs=startup_runs)
            imports = import_times(import_modules, runs=min(3, startup_runs))
        report = _time_report(work / "report") if time_report else None
    info = _machine_info()
    info.update(load_average=[load_before, _load_average()], source=_source_info(source_before))
    info.update(command=command or " ".join(["python", "bench/benchmark.py"] + sys.argv[1:]), sizes=list(sizes),
                base_words=None if corpus_dir else base_words, corpus_dir=str(corpus_dir) if corpus_dir else None,
                seed=seed, repeat=repeat, budget=budget, memory_cap_mb=memory_cap_mb, startup=start, cli=cli,
                corpora={size: {k: r.get(k) for k in ("n_docs", "n_words", "n_tokens", "n_types", "ours_peak_mb",
                                                       "process_peak_mb", "memory_method", "parameters", "per_step",
                                                       "made_as", "copy_of")}
                         for size, r in results.items()})
    steps = _steps_table(results)
    base_table = _baselines_table(steps) if baselines else pd.DataFrame(columns=BASELINE_COLUMNS)
    project_table = _project_table(project)
    targets = _targets_table(steps, base_table, results, project, project_table, report, start, imports, cli)
    bench = BenchmarkResults(steps=steps, baselines=base_table, targets=targets, project=project_table,
                             imports=imports, info=info)
    write_results(bench, out_dir)
    return bench


def _steps_table(results: dict[int, dict]) -> pd.DataFrame:
    rows = []
    for size, res in sorted(results.items()):
        facts = {"size": size, "n_words": res["n_words"], "n_tokens": res["n_tokens"]}
        for row in res["rows"]:
            rows.append(dict(facts, **{k: row[k] for k in ("step", "seconds", "cpu_seconds", "runs", "peak_mb",
                                                          "process_peak_mb", "note")}))
        done = [r for r in res["rows"] if r["step"] in ANALYSES and r["seconds"] is not None]
        missing = [s for s in ANALYSES if s not in {r["step"] for r in done}]
        if done and not missing:
            rows.append(dict(facts, step=TOTAL_STEP, seconds=sum(r["seconds"] for r in done),
                             cpu_seconds=sum(r["cpu_seconds"] for r in done), runs=None,
                             peak_mb=max(r["peak_mb"] for r in done),
                             process_peak_mb=max(r["process_peak_mb"] for r in done), note=""))
        elif done:  # a partial sum would pass for the whole
            rows.append(dict(facts, step=TOTAL_STEP, seconds=None, cpu_seconds=None, runs=None, peak_mb=None,
                             process_peak_mb=None, note="not summed: no time for " + ", ".join(missing)))
    columns = [c for c in BENCHMARK_COLUMNS if c not in ("tokens_per_s", "growth_vs_smallest")]
    table = pd.DataFrame(rows, columns=columns)
    table = table.astype({"seconds": float, "cpu_seconds": float, "peak_mb": float, "process_peak_mb": float,
                          "runs": "Int64", "note": str})
    table["tokens_per_s"] = table["n_tokens"] / table["seconds"]
    smallest = table[table["size"] == table["size"].min()].set_index("step")["seconds"]
    table["growth_vs_smallest"] = table["seconds"] / table["step"].map(smallest)
    order = {s: i for i, s in enumerate(list(STEPS) + [TOTAL_STEP] + ["baseline: " + b for _, _, b in BASELINES])}
    table = table.sort_values(["size", "step"], key=lambda col: col.map(order) if col.name == "step" else col,
                              kind="stable").reset_index(drop=True)
    return table[BENCHMARK_COLUMNS]


def _baselines_table(steps: pd.DataFrame) -> pd.DataFrame:
    wall = steps.set_index(["step", "size"])["seconds"]
    cpu = steps.set_index(["step", "size"])["cpu_seconds"]
    rows = []
    for size in sorted(steps["size"].unique()):
        if not any(wall.index.isin([("baseline: " + theirs, size) for _, _, theirs in BASELINES])):
            continue  # no baselines at this size (copies above 16x)
        for task, ours, theirs in BASELINES:
            o, b = wall.get((ours, size), np.nan), wall.get(("baseline: " + theirs, size), np.nan)
            oc, bc = cpu.get((ours, size), np.nan), cpu.get(("baseline: " + theirs, size), np.nan)
            rows.append({"task": task, "size": int(size), "ours_s": o, "baseline": theirs, "baseline_s": b,
                         "speedup": b / o, "speedup_cpu": bc / oc})
    return pd.DataFrame(rows, columns=BASELINE_COLUMNS)


def _project_table(project: dict | None) -> pd.DataFrame:
    if project is None:
        return pd.DataFrame(columns=PROJECT_COLUMNS)
    first = project["first_calls"]
    rows = [{"step": r["step"], "first_call_s": first.get(r["step"], (np.nan, np.nan))[0],
             "first_call_cpu_s": first.get(r["step"], (np.nan, np.nan))[1],
             "seconds": r["seconds"], "peak_mb": r["peak_mb"]} for r in project["rows"]]
    table = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    return table.astype({c: float for c in PROJECT_COLUMNS[1:]})


def _target_size(results: dict[int, dict]) -> int:
    """The size whose corpus is closest to two million words (on a log scale)."""
    return min(results, key=lambda s: (abs(np.log(results[s]["n_words"] / TARGET_WORDS)), -s))


def _growth_pairs(results: dict[int, dict]) -> list[tuple[int, int, float, str]]:
    """(small, large, limit, why) for the growth targets. Across synthetic sizes the issue-8 rule: at most 18x
    for 16x the words (a larger synthetic corpus also has more types and n-grams). From a corpus to copies of
    it the issue-13 rule: at most linear (copies add no type and no n-gram)."""
    synthetic = sorted(s for s, r in results.items() if r.get("copy_of") is None and r.get("made_as") == "synthetic")
    copies = sorted(s for s, r in results.items() if r.get("copy_of") is not None)
    pairs = []
    if len(synthetic) > 1:
        small, large = synthetic[0], synthetic[-1]
        factor = large / small
        pairs.append((small, large, round(18 / 16 * factor, 2),
                      "synthetic corpora: at most 18x for 16x the words (issue 8)"))
    if copies and results[copies[-1]]["copy_of"] in results:
        large = copies[-1]
        small = results[large]["copy_of"]
        pairs.append((small, large, float(large // small), "copies of one corpus: at most linear (issue 13)"))
    return pairs


def _targets_table(steps, base_table, results, project, project_table, report=None, start=None,
                   imports=None, cli=None) -> pd.DataFrame:
    """Each target of issues 8 and 13, from wall times (``measured``, judged by ``met``) and CPU times
    (``measured_cpu``)."""
    rows = []

    def add(target, size, n_words, measured, measured_cpu, unit, rule, limit, note=""):
        if measured is None or (isinstance(measured, float) and np.isnan(measured)):
            met = "n/a"
        else:
            met = "yes" if (measured <= limit if rule == "at most" else measured >= limit) else "no"
        rows.append({"target": target, "size": size, "n_words": n_words, "measured": measured,
                     "measured_cpu": measured_cpu, "unit": unit, "rule": rule, "limit": limit, "met": met,
                     "note": note})

    table = steps.set_index(["step", "size"])

    def get(step, col="seconds", at=None):
        return float(table[col].get((step, at), np.nan))

    if results:
        size = _target_size(results)
        words = results[size]["n_words"]
        far = "" if 0.5 <= words / TARGET_WORDS <= 2 else f"corpus has {words:,} words, not ~2 million; "
        findall = get("findall reference", at=size)
        add("tokenize (no cache) vs read + re.findall", size, words,
            get("tokenize (no cache)", at=size) / findall,
            get("tokenize (no cache)", "cpu_seconds", size) / get("findall reference", "cpu_seconds", size),
            "x findall", "at most", 2.0,
            far + f"tokenize(docs, cache=False) {get('tokenize (no cache)', at=size):.2f} s (exact type ids, "
                  f"sentences, paragraphs, offsets) vs reading every file + re.findall(r'\\w+', text.lower()) "
                  f"{findall:.2f} s (issue 13)")
        for label, tok in (("cached token store", "tokenize (cached)"), ("no cache", "tokenize (no cache)")):
            ratio = {c: (get("load", c, size) + get(tok, c, size)) / get("findall reference", c, size)
                     for c in ("seconds", "cpu_seconds")}
            add(f"load + tokenize ({label}) vs bare re.findall", size, words, ratio["seconds"],
                ratio["cpu_seconds"], "x findall", "at most", 2.0,
                far + f"load {get('load', at=size):.2f} s + tokenize {get(tok, at=size):.2f} s vs findall "
                      f"{findall:.2f} s (issue 8)")
        add("all analyses together", size, words, get(TOTAL_STEP, at=size), get(TOTAL_STEP, "cpu_seconds", size),
            "s", "at most", 5.0, far + "sum of " + ", ".join(ANALYSES))
        for task, minimum in (("2-6-gram bundles", 5.0), ("collocations", 3.0)):
            hit = base_table[(base_table["task"] == task) & (base_table["size"] == size)]
            if not len(hit):
                continue
            hit = hit.iloc[0]
            note = f"ours {hit['ours_s']:.3f} s, NLTK {hit['baseline_s']:.3f} s"
            if task == "collocations":
                pairs = get("recurring bigrams (G2)", at=size)
                note += (f"; scoring all bigrams as NLTK does (recurring_ngrams n=2, G2) ours takes {pairs:.3f} s "
                         f"({hit['baseline_s'] / pairs:.1f}x)")
            else:
                plain = get("bundles 2-6 (not maximal)", at=size)
                note += (f"; without the maximal-bundle step ours takes {plain:.3f} s "
                         f"({hit['baseline_s'] / plain:.1f}x)")
            add(f"{task}: speedup over NLTK", size, words, float(hit["speedup"]), float(hit["speedup_cpu"]), "x",
                "at least", minimum, far + note)
        if cli is not None:
            inside = get("bundles 2-6", at=cli["size"])
            inside_cpu = get("bundles 2-6", "cpu_seconds", cli["size"])
            n_python = cli.get("python_rows")
            add("command line vs Python: bundles on a cached corpus", cli["size"], results[cli["size"]]["n_words"],
                cli["seconds"] - inside, cli["cpu_seconds"] - inside_cpu, "s more", "at most", CLI_OVERHEAD_S,
                f"`{cli['command']}` {cli['seconds']:.2f} s (fresh process, token cache written by a warm-up run, "
                f"fastest of {cli['runs']}; {cli['n_rows']:,} rows printed) vs lexical_bundles with the same "
                f"parameters in Python {inside:.2f} s"
                + (f" ({n_python:,} rows)" if n_python is not None else "") + " (issue 13)")
        for small, large, limit, why in _growth_pairs(results):
            for step in [s for s in STEPS if s != "findall reference"] + [TOTAL_STEP]:
                before, after = get(step, at=small), get(step, at=large)
                note = table["note"].get((step, large), "")
                add(f"time growth {small}x -> {large}x: {step}", large, results[large]["n_words"], after / before,
                    get(step, "cpu_seconds", large) / get(step, "cpu_seconds", small), "x", "at most", limit,
                    f"{before:.4f} s -> {after:.4f} s; {why}" + (f"; {note}" if note else ""))
        shared = [s for s, r in results.items() if not r.get("per_step")]
        if shared:
            large = max(shared)
            add(f"peak memory at {large}x (whole process, our steps)", large, results[large]["n_words"],
                results[large]["ours_peak_mb"], np.nan, "MB", "at most", 4096.0,
                f"with the baselines: {results[large]['process_peak_mb']:.0f} MB (issue 8)")
        isolated = [s for s, r in results.items() if r.get("per_step")]
        if isolated:
            large = max(isolated)
            words = results[large]["n_words"]
            for step in STEPS:
                if step in ("findall reference", "load", "tokenize (cached)", "warm load"):
                    continue
                if step == "tokenize (no cache)":
                    what = ("not an analysis but a first run: highest resident memory of a fresh process that "
                            "loads the corpus and builds its token store")
                else:
                    what = ("an analysis: highest resident memory of a fresh process that loads the corpus and its "
                            "tokens from the cache, then runs this step")
                during = get(step, "peak_mb", large)
                note = table["note"].get((step, large), "")
                add(f"peak memory at {large}x, one step per process: {step}", large, words,
                    get(step, "process_peak_mb", large), np.nan, "MB", "at most", float(ANALYSIS_MEMORY_MB),
                    what + (f"; {during:,.0f} MB of it during the step" if np.isfinite(during) else "")
                    + " (issue 13)" + (f"; {note}" if note else ""))
            add(f"warm load at {large}x: load_corpus + tokenize from the cache", large, words,
                get("warm load", "process_peak_mb", large), np.nan, "MB", "at most", float(WARM_LOAD_MEMORY_MB),
                f"highest resident memory of a fresh process, interpreter and imports included; "
                f"{get('warm load', at=large):.2f} s (issue 13)")
    if start is not None:
        heavy = [m for m in start["heavy"] if m in ("pandas", "sklearn")]
        add("rhetoric --help imports neither pandas nor scikit-learn", None, None, float(len(heavy)), np.nan,
            "modules", "at most", 0.0,
            f"imported: {', '.join(heavy) or 'neither'}; of the slow libraries: "
            f"{', '.join(start['heavy']) or 'none'} ({start['n_imported']} top-level modules in all, "
            "python -X importtime) (issue 13)")
        add("rhetoric --help vs python -c 'import pandas'", None, None, start["help_s"] / start["pandas_s"],
            start["help_cpu_s"] / start["pandas_cpu_s"], "x import pandas", "at most", 1.0,
            f"`{start['command']} --help` {start['help_s']:.3f} s vs `python -c \"import pandas\"` "
            f"{start['pandas_s']:.3f} s (`python -c pass` {start['bare_s']:.3f} s); fresh processes, fastest of "
            f"{start['runs']} (issue 13)")
    if imports is not None and len(imports):
        for row in imports.itertuples():
            together = row.module == "all analysis modules"
            add(f"import {row.module}", None, None, row.import_s, row.import_cpu_s, "s", "at most", IMPORT_LIMIT_S,
                f"fresh interpreter, fastest of several; whole `python -c` process {row.process_s:.2f} s; "
                f"loads {row.heavy or 'none of the slow libraries'}"
                + (" (issue 13: every analysis module together)" if together else ""))
    if project is not None:
        words = project["n_words"]
        for key, what in (("import_load", "import rhetoric + load_corpus"),
                          ("import_all_load", "import all analysis modules + load_corpus")):
            imp, load, cpu, wall = project[key]
            add(f"project corpus: {what}", None, words, imp + load, cpu, "s", "at most", 1.0,
                f"import {imp:.3f} s, load {load:.3f} s; fresh interpreter, fastest of 3; "
                f"whole process with interpreter start-up {wall:.2f} s")
        for _, row in project_table.iterrows():
            if row["step"] in PREPARATION:
                continue
            add(f"project corpus: {row['step']}", None, words, row["first_call_s"], row["first_call_cpu_s"], "s",
                "at most", 0.2, f"first call after loading; fastest of repeats {row['seconds']:.4f} s"
                if not np.isnan(row["seconds"]) else "module missing")
    if report is None:
        add("make report (all notebooks, all figures)", None, None, np.nan, np.nan, "s", "at most", 30.0,
            "not measured: run `bench/benchmark.py --with-report` or `time make report`")
    else:
        wall, cpu, note = report
        add("make report (all notebooks, all figures)", None, None, np.nan if wall is None else wall,
            np.nan if cpu is None else cpu, "s", "at most", 30.0, note)
    frame = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    return frame.astype({"size": "Int64", "n_words": "Int64", "measured": float, "measured_cpu": float,
                         "limit": float})


# --------------------------------------------------------------------------- output

def _load_average() -> float | None:
    """The machine's one-minute load average (other processes competing for the cores), if known."""
    try:
        return round(os.getloadavg()[0], 2)
    except (OSError, AttributeError):  # pragma: no cover
        return None


def _source_fingerprint() -> str:
    """A hash of the package's source files (``rhetoric/**/*.py``), to tell whether they changed during a run."""
    import rhetoric

    digest = hashlib.blake2b(digest_size=8)
    package = Path(rhetoric.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def _source_info(before: str) -> dict:
    """The commit of the checkout, whether its package source has uncommitted changes, and whether the source
    changed while the benchmark ran (then the figures may mix two versions of the code)."""
    def git(*args) -> str:
        try:
            proc = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return ""
        return proc.stdout.strip() if proc.returncode == 0 else ""

    return {"commit": git("rev-parse", "--short", "HEAD") or None,
            "uncommitted": bool(git("status", "--porcelain", "--", "src")),
            "changed_during_run": _source_fingerprint() != before}


def _machine_info() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:  # pragma: no cover
            return "not installed"

    memory_gb = None
    try:
        memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            names = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return {
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(), "cpu": cpu, "memory_gb": round(memory_gb, 1) if memory_gb else None,
        "platform": platform.platform(), "python": platform.python_version(), "numpy": np.__version__,
        "pandas": pd.__version__, "scipy": installed("scipy"), "scikit-learn": installed("scikit-learn"),
        "nltk": installed("nltk"), "rhetoric": installed("diplomatic-rhetoric"),
    }


def _fmt(value, digits: int = 3) -> str:
    """A number for a text table: thousands separated, else ``digits`` significant figures."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if isinstance(value, (int, np.integer)):
        return f"{value:,}"
    value = float(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def _fmt_mb(value) -> str:
    return "–" if value is None or value is pd.NA or np.isnan(value) else f"{value:,.1f}"


def _steps_wide(steps: pd.DataFrame) -> pd.DataFrame:
    """Step × size: seconds, with CPU seconds, memory and growth at the largest size."""
    if steps.empty:
        return pd.DataFrame()
    sizes = sorted(steps["size"].unique())
    wide = steps.pivot(index="step", columns="size", values="seconds")
    wide = wide.reindex(pd.unique(steps["step"]))
    out = pd.DataFrame({"step": wide.index})
    for size in sizes:
        out[f"{size}x s"] = [_fmt(v) for v in wide[size]]
    last = steps[steps["size"] == sizes[-1]].set_index("step")
    out[f"{sizes[-1]}x cpu s"] = [_fmt(last["cpu_seconds"].get(s, np.nan)) for s in wide.index]
    out[f"{sizes[-1]}x peak MB"] = [_fmt_mb(last["peak_mb"].get(s, np.nan)) for s in wide.index]
    out[f"{sizes[-1]}x process peak MB"] = [_fmt_mb(last["process_peak_mb"].get(s, np.nan)) for s in wide.index]
    out[f"{sizes[-1]}x tokens/s"] = [_fmt(last["tokens_per_s"].get(s, np.nan)) for s in wide.index]
    if len(sizes) > 1:
        out[f"growth {sizes[0]}x->{sizes[-1]}x"] = [_fmt(last["growth_vs_smallest"].get(s, np.nan), 3)
                                                   for s in wide.index]
    notes = [last["note"].get(s, "") for s in wide.index]
    if any(notes):
        out["note"] = notes
    return out


def _targets_short(targets: pd.DataFrame) -> pd.DataFrame:
    table = targets.copy()
    table["measured"] = [_fmt(v) for v in table["measured"]]
    table["cpu"] = [_fmt(v) for v in table["measured_cpu"]]
    table["limit"] = [f"{'<=' if r == 'at most' else '>='} {_fmt(v)}" for r, v in zip(table["rule"], table["limit"])]
    return table[["target", "measured", "cpu", "unit", "limit", "met"]]


def format_results(bench: BenchmarkResults) -> str:
    """The results as readable text tables (what ``bench/benchmark.py`` prints)."""
    parts = []
    corpora = bench.info.get("corpora", {})
    if corpora:
        parts.append("Corpora: " + "; ".join(f"{size}x = {c['n_docs']:,} docs, {c['n_words']:,} words, "
                                             f"{c['n_tokens']:,} tokens, {c['n_types']:,} types"
                                             for size, c in corpora.items()))
        parts.append(_steps_wide(bench.steps).to_string(index=False))
    if len(bench.baselines):
        table = bench.baselines.copy()
        for col in ("ours_s", "baseline_s", "speedup", "speedup_cpu"):
            table[col] = [_fmt(v) for v in table[col]]
        parts.append("Ours vs the usual libraries (speedup = their time / ours):\n" + table.to_string(index=False))
    if len(bench.project):
        table = bench.project.copy()
        for col in ("first_call_s", "first_call_cpu_s", "seconds"):
            table[col] = [_fmt(v) for v in table[col]]
        table["peak_mb"] = [_fmt_mb(v) for v in table["peak_mb"]]
        parts.append("Project corpus (first call and fastest of repeats, seconds):\n" + table.to_string(index=False))
    parts.append("Targets of issues 8 and 13 (measured: wall time; cpu: the same from CPU time):\n"
                 + _targets_short(bench.targets).to_string(index=False))
    return "\n\n".join(parts) + "\n"


def _markdown(table: pd.DataFrame) -> str:
    if table.empty:
        return "(none)\n"
    cols = list(table.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    for _, row in table.iterrows():
        cells = ["–" if v is None or v is pd.NA
                 else (_fmt_mb(v) if col.endswith("peak_mb") else _fmt(v))
                 if isinstance(v, (float, int, np.integer, np.floating)) and not isinstance(v, bool)
                 else str(v).replace("|", "\\|") for col, v in row.items()]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _load_caveat(loads, cores) -> str:
    if None in loads or not cores:
        return "(unknown)."
    if max(loads) > cores:
        return (f"(above {cores}, the usable cores: the benchmark shared them with other work, so wall times are "
                "inflated; `cpu_seconds` is the better guide).")
    return f"(at most {cores}, the usable cores: the benchmark did not have to share them)."


def _made_by(readme: Path) -> str:
    """The "Made by ..." sentence of another run's README (its command and date), or ''."""
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return ""
    found = re.search(r"^Made by (`[^`]*`) on ([^.]*UTC)", text, flags=re.M)
    return f"{found.group(1)}, {found.group(2)}" if found else ""


def _corpora_sentence(info: dict) -> str:
    corpora = info.get("corpora", {})
    parts = []
    if info.get("corpus_dir"):
        parts.append(f"copies of the corpus folder `{info['corpus_dir']}` (size k = k copies)")
    else:
        synthetic = [s for s, c in corpora.items() if c.get("copy_of") is None]
        copies = [s for s, c in corpora.items() if c.get("copy_of") is not None]
        if synthetic:
            parts.append(f"synthetic corpora of {info['base_words']:,} words × size ("
                         + ", ".join(f"{s}x" for s in synthetic) + "), made by `synthetic_corpus` in "
                         "`bench/benchmark.py` (sentences and paragraphs of the five project texts resampled, 2% of "
                         f"the words replaced by invented Zipf-distributed words; seed {info['seed']} + size)")
        for s in copies:
            parts.append(f"{s}x = {s // COPY_BASE} copies of the {COPY_BASE}x synthetic corpus (`replicated_corpus`: "
                         "each copy its own documents and translation group, the same texts; so it has the types "
                         "and n-grams of the 16x corpus, each 16 times as often)")
    return "; ".join(parts)


def _source_line(source: dict | None) -> str:
    if not source:
        return "- Code: unknown commit"
    line = f"- Code: commit {source['commit'] or 'unknown'}"
    if source.get("uncommitted"):
        line += ", with uncommitted changes in `src/`"
    if source.get("changed_during_run"):
        line += (". **The package's source changed while the benchmark ran**: the figures may mix two versions "
                 "of the code; run it again on a quiet checkout")
    return line


def _readme(bench: BenchmarkResults, out_dir: Path | None = None) -> str:
    info = bench.info
    corpora = info.get("corpora", {})
    first = next(iter(corpora.values()), {}) if corpora else {}
    params = first.get("parameters") or {}
    method = first.get("memory_method", "")
    per_step = [f"{s}x" for s, c in corpora.items() if c.get("per_step")]
    shared = [f"{s}x" for s, c in corpora.items() if not c.get("per_step")]
    large = bool(per_step) and not shared
    regenerate = ("`.venv/bin/python bench/benchmark.py --large`" if large else "`make bench`")
    processes = []
    if shared:
        processes.append(f"{', '.join(shared)}: each size in a fresh Python process, its steps one after the other")
    if per_step:
        processes.append(f"{', '.join(per_step)}: every step in a fresh Python process of its own, which first "
                         "loads the corpus and its tokens from the cache (untimed), then times the step's first "
                         "call, once (as a command makes it; at every size, so growth compares like with like), so "
                         "`process_peak_mb` is what a command running only that step needs")
    lines = [
        "# Benchmark results", "",
        f"Made by `{info['command']}` on {info['date']}. Regenerate with {regenerate} "
        "(`.venv/bin/python bench/benchmark.py --help` for the options).", "",
        "## Machine", "",
        f"- CPU: {info['cpu']}; {info['cores']} cores ({info['usable_cores']} usable)",
        f"- Memory: {info['memory_gb']} GB",
        f"- Load average (1 min) at the start and end of the run: {info['load_average'][0]} and "
        f"{info['load_average'][1]} " + _load_caveat(info['load_average'], info['usable_cores']),
        f"- {info['platform']}",
        _source_line(info.get("source")),
        f"- Python {info['python']}, NumPy {info['numpy']}, pandas {info['pandas']}, SciPy {info['scipy']}, "
        f"scikit-learn {info['scikit-learn']}, NLTK {info['nltk']}; diplomatic-rhetoric {info['rhetoric']}", "",
        "## What was measured", "",
        f"- Corpora: {_corpora_sentence(info)}.",
        "- " + "; ".join(f"{size}x: {c['n_docs']:,} documents, {c['n_words']:,} words, {c['n_tokens']:,} tokens, "
                         f"{c['n_types']:,} types" for size, c in corpora.items()) + ".",
        "- Processes: " + "; ".join(processes) + ".",
        f"- Time: wall time (`time.perf_counter`), fastest of up to {info['repeat']} runs while their total stays "
        f"under {info['budget']} s (`runs`); `cpu_seconds` is the process's CPU time (`time.process_time`), which "
        "other programs competing for the cores do not inflate; the targets are judged on wall time.",
        f"- Memory: `peak_mb` is the peak resident set size during the step's first run above the size when it "
        f"started; `process_peak_mb` the highest resident size of the process up to the end of that run ({method}). "
        "Both count NumPy/SciPy buffers, which `tracemalloc` would not see without slowing the timed code. "
        + (f"A process passing {info['memory_cap_mb']:,.0f} MB is stopped (its step then has a note)."
           if info.get("memory_cap_mb") else ""),
        "- `findall reference`: read each file and run `re.findall(r\"\\w+\", text.lower())`, the bare pass the "
        "tokenizing targets are measured against. `tokenize (cached)` reads the token store written just before "
        "it; `warm load` is `load_corpus` + `tokenize` from that store, what every command does first.",
        f"- Parameters: collocation node and KWIC word `{params.get('node')}`, KWIC phrase `{params.get('phrase')}`, "
        f"window ±{params.get('collocation_window')}; keyness of year {params.get('keyness_target_year')} against "
        f"the other years; bundles 2–6 words with at least {BUNDLE_PER_MILLION} per million tokens and range "
        f"{BUNDLE_RANGE} documents (at the smallest size: min_count {params.get('bundle_min_count')}). Every "
        "analysis counts a translated text once (the default); the synthetic corpora have no translations, so "
        "this changes no count.",
        "- `all analyses` = the sum of " + ", ".join(ANALYSES) + ". `bundles 2-6` is the default call "
        "(maximal bundles only: a bundle inside a longer one with the same count is dropped); "
        "`bundles 2-6 (not maximal)` keeps them all, which is what NLTK's n-gram counting gives. `document-term "
        "matrix` and `n-gram matrix 1-6` are `rhetoric.counts.count_terms` with n-grams of 1 and of 1 to 6 words.",
        "- Issue 18's analyses (timed, not in `all analyses`): `lemmatize` (the lemma view of the token store), "
        "`lemma list` (`lemma_forms`, stop words left out), `trends by year` (the node word and the phrase), "
        "`lexical diversity` (TTR, MATTR, MTLD per document), `readability` (five formulas per document), "
        "`collocation network` (the node word, its 8 strongest collocates by logDice and theirs: 9 collocation "
        "tables) and `correspondence analysis` (every document × the 100 most frequent words, stop words left out).",
    ]
    if len(bench.baselines):
        lines.append(
            "- Baselines on the same token lists (`doc_token_lists`): NLTK `FreqDist`; `nltk.ngrams` n = 2..6 "
            "into one `FreqDist`; `BigramCollocationFinder.from_words` + `score_ngrams(likelihood_ratio)` over the "
            "whole corpus (all bigrams: compared with our window collocates of one node, `collocations`, and with "
            "`recurring_ngrams(tokens, docs, n=2, min_count=1, sort_by=\"g2\")`, which scores all bigrams); "
            "scikit-learn `CountVectorizer(ngram_range=(1, 6))` with identity tokenizer. `speedup` = their time / "
            "ours.")
    if info.get("startup"):
        lines.append(
            "- Start-up: `rhetoric --help` (the console script of the environment), `python -c \"import pandas\"` "
            "and `python -c pass`, each in fresh processes, fastest kept; the libraries `rhetoric --help` loads are "
            "read from `python -X importtime`. Imports: `import <module>` in a fresh interpreter, timed inside it "
            "(interpreter start-up not included; the whole process is in the note), fastest of 3.")
    if info.get("cli"):
        lines.append(
            f"- Command line vs Python: `{info['cli']['command']}` on the {info['cli']['size']}x corpus in fresh "
            "processes (one warm-up run first, so the token cache is written), fastest kept, against the "
            "`bundles 2-6` step, the same `lexical_bundles` call in Python on tokens already loaded.")
    lines += ["", "## Targets (issues 8 and 13)", "", _markdown(bench.targets.drop(columns=["size"])),
              "## Steps (seconds per size)", "", _markdown(_steps_wide(bench.steps))]
    if len(bench.baselines):
        lines += ["## Baselines", "", _markdown(bench.baselines)]
    if len(bench.imports):
        lines += ["## Imports", "", _markdown(bench.imports)]
    if len(bench.project):
        lines += ["## Project corpus", "", _markdown(bench.project)]
    lines += ["Full tables: `benchmark.csv`, `baselines.csv`, `targets.csv` in this folder.", ""]
    others = sorted(p.parent for p in out_dir.glob("*/README.md")) if out_dir is not None else []
    if others:
        lines += ["Other runs, each with the same files:", ""]
        lines += [f"- [`{p.name}/`]({p.name}/README.md)" + (f": {_made_by(p / 'README.md')}"
                                                            if _made_by(p / "README.md") else "") for p in others]
        lines.append("")
    return "\n".join(lines)


def _write_atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes the file private; results are for readers
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_results(bench: BenchmarkResults, out_dir=BENCHMARK_DIR) -> list[Path]:
    """Write :data:`RESULT_FILES` into ``out_dir`` (each atomically); nothing else there is touched."""
    out_dir = Path(out_dir)
    paths = []
    for name, table in (("benchmark.csv", bench.steps), ("baselines.csv", bench.baselines),
                        ("targets.csv", bench.targets)):
        _write_atomic(out_dir / name, lambda h, t=table: t.to_csv(h, index=False, lineterminator="\n",
                                                                  float_format="%.6g"))
        paths.append(out_dir / name)
    _write_atomic(out_dir / "README.md", lambda h: h.write(_readme(bench, out_dir)))
    paths.append(out_dir / "README.md")
    return paths


# --------------------------------------------------------------------------- command line

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bench/benchmark.py",
        description="Time and measure every step on corpora of growing size (synthetic ones resampled from the "
                    "project texts, or copies of --corpus DIR), compare with NLTK and scikit-learn, measure the "
                    "start-up of the rhetoric command and the imports, check the targets of issues 8 and 13, and "
                    "write benchmark.csv, baselines.csv, targets.csv and README.md to --out (no other file).")
    p.add_argument("--sizes", default=None, metavar="LIST",
                   help=f"multiples of the base corpus, comma-separated (default: 1,4,16); sizes above {COPY_BASE} "
                        f"are copies of the {COPY_BASE}x corpus (256 = 32 million words), each step in its own "
                        "process, without baselines")
    p.add_argument("--large", action="store_true",
                   help=f"the 32-million-word run: sizes {','.join(map(str, LARGE_SIZES))}, every step in its own "
                        f"process, no baselines, no project or start-up figures, --out {LARGE_DIR.relative_to(ROOT)}"
                        " (slow: tens of minutes)")
    p.add_argument("--base-words", type=int, default=BASE_WORDS, metavar="N",
                   help=f"words of the 1x synthetic corpus (default: {BASE_WORDS:,}, so 16x is about two million); "
                        "ignored with --corpus")
    p.add_argument("--corpus", default=None, metavar="DIR",
                   help="use this corpus folder as the 1x corpus (size k = k copies of it)")
    p.add_argument("--repeat", type=int, default=3, metavar="N",
                   help="runs of each fast step, fastest kept (default: 3)")
    p.add_argument("--per-step", action="store_true", help="run every step in a fresh process of its own")
    p.add_argument("--memory-cap-mb", type=float, default=MEMORY_CAP_MB, metavar="MB",
                   help=f"stop a benchmark process whose resident memory passes this (default: {MEMORY_CAP_MB}; "
                        "0: no cap)")
    p.add_argument("--no-baselines", action="store_true", help="skip the NLTK and scikit-learn baselines")
    p.add_argument("--no-project", action="store_true",
                   help="skip the small-corpus targets on the project's own corpus")
    p.add_argument("--no-startup", action="store_true",
                   help="skip the start-up (rhetoric --help, imports) and command-line measurements")
    p.add_argument("--with-report", action="store_true",
                   help="also time `rhetoric report` (built into a scratch folder; reports/ is left alone)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help=f"folder for the result files (default: {BENCHMARK_DIR.relative_to(ROOT)}/, with --large "
                        f"{LARGE_DIR.relative_to(ROOT)}/); only its four result files are written")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--child", metavar="SPEC", help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``bench/benchmark.py``; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    if args.child:
        return _child_main(args.child)
    try:
        if args.large and args.sizes is not None:
            raise ParameterError("--large sets the sizes (16,256); give --large or --sizes, not both.")
        options = dict(sizes=args.sizes or SIZES, per_step=args.per_step, baselines=not args.no_baselines,
                       project_targets=not args.no_project, startup=not args.no_startup,
                       cli_check=not args.no_startup, out_dir=args.out or BENCHMARK_DIR)
        if args.large:
            options.update(sizes=LARGE_SIZES, per_step=True, baselines=False, project_targets=False, startup=False,
                           out_dir=args.out or LARGE_DIR)
        results = run_benchmark(corpus_dir=args.corpus, base_words=args.base_words, repeat=args.repeat,
                                memory_cap_mb=args.memory_cap_mb or None, time_report=args.with_report,
                                command=" ".join(["python", "bench/benchmark.py"] + argv),
                                progress=False if args.quiet else None, **options)
    except RhetoricError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; the result files were left as they were", file=sys.stderr)
        return 130
    sys.stdout.write(format_results(results))
    print(f"\nwritten to {options['out_dir']}/: {', '.join(RESULT_FILES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
