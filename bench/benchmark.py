"""The speed and scale benchmark: each analysis at 1x, 4x and 16x a base corpus, against NLTK and scikit-learn.

:func:`run_benchmark` builds corpora of growing size (synthetic ones from
:func:`synthetic_corpus`, or copies of a corpus folder it is given), and for
each size runs every step in a fresh Python process: loading, tokenizing
(without and with the token cache), a bare ``re.findall(r"\\w+", text.lower())``
pass over the same files (the reference for the tokenizing target), then each
analysis, then the baselines a user would otherwise reach for (NLTK's
``FreqDist``, ``ngrams`` and ``BigramCollocationFinder``; scikit-learn's
``CountVectorizer``) on the same token lists. It also measures the small-corpus
targets on the project's own corpus. Results go to ``reports/benchmarks/``:
``benchmark.csv``, ``baselines.csv``, ``targets.csv`` and ``README.md``.

How things are measured
-----------------------
* **Time**: wall time with :func:`time.perf_counter`, and CPU time of the
  process with :func:`time.process_time` (which other programs competing for
  the cores do not inflate; on a quiet machine the two agree). A step that
  takes less than ``budget`` seconds is repeated up to ``repeat`` times and the
  fastest run is kept (the usual ``timeit`` rule: slower runs measure noise).
* **Memory**: the peak resident set size (RSS) of the process *during* the
  step, above the RSS when the step started, in MB. Each size runs in its own
  child process; before each step the kernel's high-water mark is reset
  (``echo 5 > /proc/self/clear_refs``, Linux) and ``VmHWM`` is read after it.
  Unlike :mod:`tracemalloc`, this sees every allocation (NumPy, SciPy, pandas,
  C extensions) and does not slow Python code down while it is timed; unlike
  ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` in the parent, it gives each step
  its own figure rather than one per process. Where ``/proc`` is missing
  (macOS), the growth of ``ru_maxrss`` is used, a lower bound. The
  whole-process peak for the 4 GB target is the highest ``VmHWM`` seen across
  the steps (the reset clears ``ru_maxrss`` too), taken before the baselines run.
"""

from __future__ import annotations

import csv
import datetime as _dt
import gc
import hashlib
import importlib
import importlib.util
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

from . import config
from .errors import ParameterError, RhetoricError

BASE_WORDS = 125_000
"""Words of the 1x synthetic corpus; 16x is then about two million words (the issue's target size)."""
DOC_WORDS = 4_000
"""Mean words per synthetic document."""
SIZES = (1, 4, 16)
TARGET_WORDS = 2_000_000
"""Corpus size the issue's speed targets are stated for."""
YEARS = (2022, 2023, 2024)
AUTHORS = (("Speaker A", "head of state"), ("Speaker B", "foreign minister"),
           ("Speaker C", "ambassador"), ("Speaker D", "spokesperson"))
"""Synthetic authors (invented names: the documents are resampled, not anyone's words)."""

BUNDLE_PER_MILLION = 20
"""Lexical bundle frequency threshold, per million tokens (Biber et al. 1999 use 10–40)."""
BUNDLE_RANGE = 5
"""Lexical bundle range threshold: documents a bundle must occur in (Biber, Conrad & Cortes 2004)."""
COLLOCATION_WINDOW = 5

STEPS = (
    "load", "tokenize (no cache)", "tokenize (cached)", "findall reference",
    "frequencies", "document-term matrix", "keyness by year", "bundles 2-6", "bundles 2-6 (not maximal)",
    "collocations", "recurring bigrams (G2)",
    "kwic word", "kwic phrase", "formula counts", "frame shares", "n-gram matrix 1-6",
)
"""Our steps, in the order they run."""
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
BENCHMARK_COLUMNS = ["step", "size", "n_words", "n_tokens", "seconds", "peak_mb", "tokens_per_s", "growth_vs_1x",
                     "cpu_seconds"]
BASELINE_COLUMNS = ["task", "size", "ours_s", "baseline", "baseline_s", "speedup", "speedup_cpu"]
TARGET_COLUMNS = ["target", "size", "n_words", "measured", "measured_cpu", "unit", "rule", "limit", "met", "note"]

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
    from .corpus import load_corpus
    from .tokens import paragraph_spans, sentence_spans

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
    """
    from .progress import progress_bar

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

def _proc_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
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


def _measure(fn, *, repeat: int, budget: float, collect: bool = True):
    """Run ``fn``: (fastest wall seconds, fastest CPU seconds, peak RSS growth MB of the first run, runs,
    first result)."""
    if collect:
        gc.collect()
    _note_peak()
    exact = _reset_peak()
    base = _proc_kb("VmRSS") if exact else None
    before = _maxrss_kb()
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    times, cpu = [time.perf_counter() - t0], [time.process_time() - c0]
    if exact and base is not None and (hwm := _proc_kb("VmHWM")) is not None:
        peak_kb = max(0, hwm - base)  # the step may free more than it takes
    else:
        peak_kb = max(0, _maxrss_kb() - before)
    _note_peak()
    while len(times) < repeat and sum(times) < budget:
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(times), min(cpu), peak_kb / 1024, len(times), result


def _identity(x):
    return x


def _auto_parameters(ctx) -> None:
    """Pick a frequent content word (collocation node, KWIC word) and a frequent two-word phrase."""
    from .tokens import stopwords

    tokens = ctx.tokens
    stop = stopwords()
    usable = np.array([v not in stop and v.isalpha() and len(v) > 2 for v in tokens.vocab], dtype=bool)
    counts = np.bincount(tokens.ids, minlength=len(tokens.vocab))
    scores = np.where(usable, counts, -1)
    node = int(np.argmax(scores))  # ties: the first (alphabetical) type
    ctx.node = ctx.spec.get("node") or str(tokens.vocab[node])
    if ctx.spec.get("phrase"):
        ctx.phrase = ctx.spec["phrase"]
    else:
        ids = tokens.ids.astype(np.int64)
        same = tokens.sentence[1:] == tokens.sentence[:-1]
        ok = same & usable[ids[:-1]] & usable[ids[1:]]
        pairs = ids[:-1][ok] * len(tokens.vocab) + ids[1:][ok]
        if len(pairs):
            values, freq = np.unique(pairs, return_counts=True)
            best = int(values[np.argmax(freq)])
            ctx.phrase = f"{tokens.vocab[best // len(tokens.vocab)]} {tokens.vocab[best % len(tokens.vocab)]}"
        else:
            ctx.phrase = ctx.node
    ctx.bundle_min_freq = max(2, int(round(BUNDLE_PER_MILLION * tokens.n_tokens / 1e6)))
    ctx.bundle_min_range = min(BUNDLE_RANGE, len(tokens.doc_ids))
    ctx.target_year = int(ctx.docs["year"].max())


def _step_functions(ctx) -> dict:
    """Step name -> zero-argument callable. Analysis modules are imported here, so a missing
    module raises ImportError when its step runs and the step is reported as skipped."""
    import inspect

    def call(module: str, name: str, *args, **options):
        func = getattr(importlib.import_module(f"rhetoric.{module}"), name)
        if "progress" in options and "progress" not in inspect.signature(func).parameters:
            del options["progress"]  # the one option not every analysis has
        return func(*args, **options)

    def findall_reference():
        n = 0
        for path in ctx.docs["path"]:
            n += len(re.findall(r"\w+", Path(path).read_text(encoding="utf-8").lower()))
        return n

    t = lambda: ctx.tokens  # noqa: E731  (the store is made by the tokenize step)
    return {
        "load": lambda: importlib.import_module("rhetoric.corpus").load_corpus(ctx.spec["corpus_dir"]),
        "tokenize (no cache)": lambda: importlib.import_module("rhetoric.tokens").tokenize(ctx.docs, cache=False),
        "tokenize (cached)": lambda: importlib.import_module("rhetoric.tokens").tokenize(ctx.docs, cache=True),
        "findall reference": findall_reference,
        "frequencies": lambda: call("frequency", "term_frequencies", t(), ctx.docs, by="corpus"),
        "document-term matrix": lambda: call("frequency", "document_term_matrix", t()),
        "keyness by year": lambda: call("keyness", "keyness", t(), ctx.docs, by="year", target=ctx.target_year),
        "bundles 2-6": lambda: call("bundles", "lexical_bundles", t(), min_n=2, max_n=6,
                                    min_freq=ctx.bundle_min_freq, min_range=ctx.bundle_min_range,
                                    progress=False),
        "bundles 2-6 (not maximal)": lambda: call("bundles", "lexical_bundles", t(), min_n=2, max_n=6,
                                                  min_freq=ctx.bundle_min_freq, min_range=ctx.bundle_min_range,
                                                  maximal=False, progress=False),
        "collocations": lambda: call("collocations", "collocates", t(), ctx.node, left=COLLOCATION_WINDOW,
                                     right=COLLOCATION_WINDOW, min_freq=3),
        "recurring bigrams (G2)": lambda: call("collocations", "recurring_ngrams", t(), n=2, min_freq=1,
                                               sort_by="g2"),
        "kwic word": lambda: call("kwic", "kwic", t(), ctx.docs, ctx.node),
        "kwic phrase": lambda: call("kwic", "kwic", t(), ctx.docs, ctx.phrase),
        "formula counts": lambda: call("formulas", "formula_counts", t(), ctx.docs),
        "frame shares": lambda: call("framing", "frame_shares", t(), ctx.docs, unit="year"),
        "n-gram matrix 1-6": lambda: call("frequency", "document_term_matrix", t(), ngram_range=(1, 6)),
    }


def _baseline_functions(ctx) -> dict:
    def freqdist():
        from nltk import FreqDist
        from itertools import chain

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


def _run_child(spec: dict) -> dict:
    """Run every step on one corpus in this process; return rows and facts (see :func:`_child_main`)."""
    from .progress import progress_bar

    for module in ("corpus", "tokens", "frequency", "keyness", "bundles", "collocations", "kwic", "formulas",
                   "framing"):
        try:  # imports happen here, not inside the timed steps
            importlib.import_module(f"rhetoric.{module}")
        except ImportError:
            pass
    if spec.get("baselines"):
        for module in ("nltk", "nltk.collocations", "sklearn.feature_extraction.text"):
            importlib.import_module(module)
    ctx = _Context(spec)
    steps = _step_functions(ctx)
    saved_cache = os.environ.get("RHETORIC_CACHE_DIR")
    os.environ["RHETORIC_CACHE_DIR"] = spec["cache_dir"]
    try:
        return _run_steps(ctx, steps, spec)
    finally:
        if saved_cache is None:
            os.environ.pop("RHETORIC_CACHE_DIR", None)
        else:
            os.environ["RHETORIC_CACHE_DIR"] = saved_cache


def _run_steps(ctx, steps: dict, spec: dict) -> dict:
    from .progress import progress_bar

    repeat, budget = spec["repeat"], spec["budget"]
    rows, first_calls = [], {}
    order = [s for s in STEPS if s in spec["steps"]]
    for name in progress_bar(order, desc=spec["label"], unit="step", enable=spec.get("progress")):
        if name == "tokenize (cached)":
            steps["tokenize (cached)"]()  # writes the cache; the timed runs read it
        try:
            if spec.get("first_call"):
                t0, c0 = time.perf_counter(), time.process_time()
                steps[name]()
                first_calls[name] = (time.perf_counter() - t0, time.process_time() - c0)
            seconds, cpu_seconds, peak_mb, runs, result = _measure(steps[name], repeat=repeat, budget=budget,
                                                      collect=spec.get("collect", True))
        except ImportError as exc:
            rows.append({"step": name, "seconds": None, "cpu_seconds": None, "peak_mb": None, "runs": 0,
                         "note": f"skipped: {exc}"})
            continue
        rows.append({"step": name, "seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": peak_mb,
                     "runs": runs, "note": ""})
        if name == "load":
            ctx.docs = result
        elif name == "tokenize (no cache)":
            ctx.tokens = result
            _auto_parameters(ctx)
        del result
    ours_peak_mb = process_peak_mb()
    if spec.get("baselines"):
        from .tokens import doc_token_lists

        ctx.lists = doc_token_lists(ctx.tokens)
        for name, fn in progress_bar(list(_baseline_functions(ctx).items()), desc=spec["label"] + " baselines",
                                     unit="step", enable=spec.get("progress")):
            seconds, cpu_seconds, peak_mb, runs, result = _measure(fn, repeat=repeat, budget=budget,
                                                                   collect=spec.get("collect", True))
            del result
            rows.append({"step": "baseline: " + name, "seconds": seconds, "cpu_seconds": cpu_seconds,
                         "peak_mb": peak_mb, "runs": runs, "note": ""})
    docs = ctx.docs
    return {
        "rows": rows,
        "first_calls": first_calls,
        "n_docs": int(len(docs)),
        "n_words": int(sum(len(t.split()) for t in docs["raw_text"])),
        "n_tokens": int(ctx.tokens.n_tokens),
        "n_types": int(len(ctx.tokens.vocab)),
        "ours_peak_mb": ours_peak_mb,
        "process_peak_mb": process_peak_mb(),
        "memory_method": ("VmHWM after resetting it with /proc/self/clear_refs" if _reset_peak()
                          else "growth of ru_maxrss, a lower bound"),
        "parameters": {"node": ctx.node, "phrase": ctx.phrase, "bundle_min_freq": ctx.bundle_min_freq,
                       "bundle_min_range": ctx.bundle_min_range, "keyness_target_year": ctx.target_year,
                       "collocation_window": COLLOCATION_WINDOW},
    }


def _child_main(argv: list[str]) -> int:
    """``python -m rhetoric.bench SPEC.json``: run the spec, write the results JSON next to it."""
    spec_path = Path(argv[0])
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    result = _run_child(spec)
    Path(spec["out"]).write_text(json.dumps(result), encoding="utf-8")
    return 0


def _in_process(spec: dict, work: Path) -> dict:
    """Run one spec in this process (faster to start; memory figures include what this process holds)."""
    spec = dict(spec, collect=False)  # a full collection per step is slow in a big test process
    return json.loads(json.dumps(_run_child(spec)))  # the same types as from a child


def _spawn(spec: dict, work: Path) -> dict:
    """Run one spec in a fresh interpreter and return its results."""
    spec = dict(spec, out=str(work / f"{spec['label']}.result.json"))
    spec_path = work / f"{spec['label']}.spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "rhetoric.bench", str(spec_path)],
                          stdout=subprocess.PIPE, stderr=None, text=True)
    if proc.returncode != 0:
        raise RhetoricError(f"benchmark step process for {spec['label']} failed (exit {proc.returncode}); "
                            f"run `python -m rhetoric.bench {spec_path}` to see the error.")
    return json.loads(Path(spec["out"]).read_text(encoding="utf-8"))


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
    extra = ""
    if all_modules:
        names = [m for m in ("frequency", "keyness", "bundles", "collocations", "kwic", "formulas", "framing",
                             "tokens") if importlib.util.find_spec(f"rhetoric.{m}") is not None]
        extra = "import " + ", ".join(f"rhetoric.{m}" for m in names)
    code = _IMPORT_SNIPPET.format(extra=extra, corpus=corpus_dir)
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, check=True)
        wall = time.perf_counter() - t0
        imp, load, cpu = map(float, out.stdout.split())
        if best is None or imp + load < best[0] + best[1]:
            best = (imp, load, cpu, wall)
    return best


# --------------------------------------------------------------------------- the benchmark (parent)

@dataclass
class BenchmarkResults:
    """Tables of one benchmark run (also written to ``out_dir``).

    Attributes
    ----------
    steps : DataFrame
        ``step, size, n_words, n_tokens, seconds, peak_mb, tokens_per_s, growth_vs_1x, cpu_seconds``:
        one row per step and size, including ``all analyses`` (the sum of
        :data:`ANALYSES`) and the baselines (``baseline: ...``). ``seconds`` is
        wall time, ``cpu_seconds`` the process's CPU time (close to the wall
        time of a quiet machine when other work competes for the cores);
        tokens_per_s = n_tokens / seconds; growth_vs_1x = seconds at this size /
        seconds at the smallest size.
    baselines : DataFrame
        ``task, size, ours_s, baseline, baseline_s, speedup, speedup_cpu``;
        speedup = baseline_s / ours_s (``speedup_cpu`` the same from CPU times).
    targets : DataFrame
        ``target, size, n_words, measured, measured_cpu, unit, rule, limit, met, note``:
        each target of issue 8; ``met`` judges ``measured`` (wall time) against
        ``limit`` by ``rule`` (``at most`` / ``at least``); ``measured_cpu`` is the
        same figure from CPU times.
    project : DataFrame
        ``step, first_call_s, first_call_cpu_s, seconds, peak_mb``: each step on the
        project's own corpus, its first call and the fastest of the repeats.
    info : dict
        Machine, versions, corpus facts and parameters.
    """

    steps: pd.DataFrame
    baselines: pd.DataFrame
    targets: pd.DataFrame
    project: pd.DataFrame
    info: dict


def _parse_sizes(sizes) -> tuple[int, ...]:
    if isinstance(sizes, str):
        try:
            sizes = [int(s) for s in sizes.split(",") if s.strip()]
        except ValueError as exc:
            raise ParameterError(f"sizes={sizes!r} must be whole numbers separated by commas, e.g. 1,4,16.") \
                from exc
    sizes = tuple(sorted(set(int(s) for s in sizes)))
    if not sizes or sizes[0] < 1:
        raise ParameterError(f"sizes={sizes} must be one or more whole numbers of at least 1, e.g. 1,4,16.")
    return sizes


def run_benchmark(*, corpus_dir=None, sizes=SIZES, base_words: int = BASE_WORDS, out_dir=config.BENCHMARK_DIR,
                  baselines: bool = True, repeat: int = 3, budget: float = 5.0, project_targets: bool = True,
                  seed: int = config.RANDOM_SEED, time_report: bool = False, isolate: bool = True,
                  command: str | None = None,
                  progress: bool | None = None) -> BenchmarkResults:
    """Time and measure every step at several corpus sizes; write the results to ``out_dir``.

    Parameters
    ----------
    corpus_dir : path, optional
        A corpus folder to use as the 1x corpus (size k = k copies of it, see
        :func:`replicated_corpus`). Default: synthetic corpora of
        ``base_words × size`` words (:func:`synthetic_corpus`).
    sizes : sequence of int or str, default (1, 4, 16)
        Multiples of the base corpus (``"1,4,16"`` accepted).
    base_words : int, default 125_000
        Words of the 1x synthetic corpus (16x is then two million). Ignored with ``corpus_dir``.
    out_dir : path, default ``reports/benchmarks/``
        Where ``benchmark.csv``, ``baselines.csv``, ``targets.csv`` and ``README.md``
        go; each is written to a temporary file first and moved into place only
        when the whole run has finished, so an interrupted run leaves the old files.
    baselines : bool, default True
        Also time NLTK and scikit-learn on the same token lists.
    repeat : int, default 3
        Runs of a step (fastest kept) while their total stays under ``budget`` seconds.
    budget : float, default 5.0
    project_targets : bool, default True
        Also measure the small-corpus targets on the project's own corpus.
    seed : int, default config.RANDOM_SEED
        Seed of the synthetic corpora (size k uses ``seed + k``).
    time_report : bool, default False
        Also time ``rhetoric report`` (every notebook, every figure, built into a
        scratch folder) for the 30-second target.
    isolate : bool, default True
        Run each size in a fresh Python process (the default, and the only way
        the memory figures mean what they say). ``False`` runs the steps in this
        process, which only tests should want.
    command : str, optional
        The command line to record in README.md (default ``sys.argv``).
    progress : bool, optional
        Progress bars (default: only in a terminal).

    Returns
    -------
    BenchmarkResults
    """
    sizes = _parse_sizes(sizes)
    load_before = _load_average()
    if base_words < 1000:
        raise ParameterError(f"base_words={base_words} is too small; use at least 1000.")
    if repeat < 1:
        raise ParameterError(f"repeat={repeat} must be at least 1.")
    if corpus_dir is not None and not (Path(corpus_dir) / config.CORPUS_TABLE).is_file():
        raise ParameterError(f"--corpus {corpus_dir}: no {config.CORPUS_TABLE} there; give a corpus folder.")
    out_dir = Path(out_dir)
    runner = _spawn if isolate else _in_process
    results: dict[int, dict] = {}
    project = None
    with tempfile.TemporaryDirectory(prefix="rhetoric-bench-") as tmp:
        work = Path(tmp)
        base_spec = {"repeat": repeat, "budget": budget, "baselines": baselines, "progress": progress,
                     "steps": list(STEPS)}
        for size in sizes:
            folder = work / f"corpus-{size}x"
            if corpus_dir is None:
                synthetic_corpus(folder, n_words=base_words * size, seed=seed + size, progress=progress)
            elif size == 1:
                folder = Path(corpus_dir).resolve()
            else:
                replicated_corpus(corpus_dir, folder, factor=size)
            spec = dict(base_spec, label=f"{size}x", corpus_dir=str(folder),
                        cache_dir=str(work / f"cache-{size}x"))
            results[size] = runner(spec, work)
            if folder.is_relative_to(work):
                shutil.rmtree(folder, ignore_errors=True)
        if project_targets:
            spec = dict(base_spec, label="project", corpus_dir=str(config.DATA_DIR),
                        cache_dir=str(work / "cache-project"), baselines=False, first_call=True,
                        repeat=max(repeat, 5))
            project = runner(spec, work)
            project["import_load"] = _import_and_load(str(config.DATA_DIR), all_modules=False)
            project["import_all_load"] = _import_and_load(str(config.DATA_DIR), all_modules=True)
        report = _time_report(work / "report") if time_report else None
    info = _machine_info()
    info.update(load_average=[load_before, _load_average()])
    info.update(command=command or " ".join(["rhetoric"] + sys.argv[1:]), sizes=list(sizes),
                base_words=None if corpus_dir else base_words, corpus_dir=str(corpus_dir) if corpus_dir else None,
                seed=seed, repeat=repeat, budget=budget,
                corpora={size: {k: r[k] for k in ("n_docs", "n_words", "n_tokens", "n_types", "ours_peak_mb",
                                                   "process_peak_mb", "memory_method", "parameters")}
                         for size, r in results.items()})
    steps = _steps_table(results)
    base_table = _baselines_table(steps) if baselines else pd.DataFrame(columns=BASELINE_COLUMNS)
    project_table = _project_table(project)
    targets = _targets_table(steps, base_table, results, project, project_table, report)
    bench = BenchmarkResults(steps=steps, baselines=base_table, targets=targets, project=project_table,
                             info=info)
    write_results(bench, out_dir)
    return bench


def _steps_table(results: dict[int, dict]) -> pd.DataFrame:
    rows = []
    for size, res in sorted(results.items()):
        for row in res["rows"]:
            rows.append({"step": row["step"], "size": size, "n_words": res["n_words"], "n_tokens": res["n_tokens"],
                         "seconds": row["seconds"], "peak_mb": row["peak_mb"], "cpu_seconds": row["cpu_seconds"]})
        done = [r for r in res["rows"] if r["step"] in ANALYSES and r["seconds"] is not None]
        if done:
            rows.append({"step": TOTAL_STEP, "size": size, "n_words": res["n_words"], "n_tokens": res["n_tokens"],
                         "seconds": sum(r["seconds"] for r in done), "peak_mb": max(r["peak_mb"] for r in done),
                         "cpu_seconds": sum(r["cpu_seconds"] for r in done)})
    table = pd.DataFrame(rows, columns=["step", "size", "n_words", "n_tokens", "seconds", "peak_mb", "cpu_seconds"])
    table = table.astype({"seconds": float, "peak_mb": float, "cpu_seconds": float})
    table["tokens_per_s"] = table["n_tokens"] / table["seconds"]
    smallest = table[table["size"] == table["size"].min()].set_index("step")["seconds"]
    table["growth_vs_1x"] = table["seconds"] / table["step"].map(smallest)
    order = {s: i for i, s in enumerate(list(STEPS) + [TOTAL_STEP] + ["baseline: " + b for _, _, b in BASELINES])}
    table = table.sort_values(["size", "step"], key=lambda col: col.map(order) if col.name == "step" else col,
                              kind="stable").reset_index(drop=True)
    return table[BENCHMARK_COLUMNS]


def _baselines_table(steps: pd.DataFrame) -> pd.DataFrame:
    wall = steps.set_index(["step", "size"])["seconds"]
    cpu = steps.set_index(["step", "size"])["cpu_seconds"]
    rows = []
    for size in sorted(steps["size"].unique()):
        for task, ours, theirs in BASELINES:
            o, b = wall.get((ours, size), np.nan), wall.get(("baseline: " + theirs, size), np.nan)
            oc, bc = cpu.get((ours, size), np.nan), cpu.get(("baseline: " + theirs, size), np.nan)
            rows.append({"task": task, "size": int(size), "ours_s": o, "baseline": theirs, "baseline_s": b,
                         "speedup": b / o, "speedup_cpu": bc / oc})
    return pd.DataFrame(rows, columns=BASELINE_COLUMNS)


PROJECT_COLUMNS = ["step", "first_call_s", "first_call_cpu_s", "seconds", "peak_mb"]


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


def _time_report(out_dir: Path) -> tuple[float | None, float | None, str]:
    """Wall and CPU seconds (children included) of ``rhetoric report --out out_dir`` in a fresh interpreter,
    and a note. The report is built into ``out_dir`` (a scratch folder), so ``reports/`` stays as it is."""
    import resource

    code = f"import sys; from rhetoric.cli import main; sys.exit(main(['report', '--quiet', '--out', {str(out_dir)!r}]))"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        return None, None, f"rhetoric report failed (exit {proc.returncode}): {last}"
    return wall, cpu, ("rhetoric report (into a scratch folder) in a fresh interpreter, environment already set up; "
                       "CPU of all its processes")


def _targets_table(steps, base_table, results, project, project_table, report=None) -> pd.DataFrame:
    """Each target of issue 8, from wall times (``measured``, judged by ``met``) and CPU times (``measured_cpu``)."""
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
    if results:
        size = _target_size(results)
        words = results[size]["n_words"]
        far = "" if 0.5 <= words / TARGET_WORDS <= 2 else f"corpus has {words:,} words, not ~2 million; "

        def get(step, col="seconds", at=size):
            return float(table[col].get((step, at), np.nan))

        for label, tok in (("cached token store", "tokenize (cached)"), ("no cache", "tokenize (no cache)")):
            ratio = {c: (get("load", c) + get(tok, c)) / get("findall reference", c)
                     for c in ("seconds", "cpu_seconds")}
            add(f"load + tokenize ({label}) vs bare re.findall", size, words, ratio["seconds"],
                ratio["cpu_seconds"], "x findall", "at most", 2.0,
                far + f"load {get('load'):.2f} s + tokenize {get(tok):.2f} s vs findall "
                      f"{get('findall reference'):.2f} s")
        add("all analyses together", size, words, get(TOTAL_STEP), get(TOTAL_STEP, "cpu_seconds"), "s", "at most",
            5.0, far + "sum of " + ", ".join(ANALYSES))
        for task, minimum in (("2-6-gram bundles", 5.0), ("collocations", 3.0)):
            hit = base_table[(base_table["task"] == task) & (base_table["size"] == size)]
            if not len(hit):
                add(f"{task}: speedup over NLTK", size, words, np.nan, np.nan, "x", "at least", minimum,
                    far + "baselines not run")
                continue
            hit = hit.iloc[0]
            note = f"ours {hit['ours_s']:.3f} s, NLTK {hit['baseline_s']:.3f} s"
            if task == "collocations":
                pairs = get("recurring bigrams (G2)")
                note += (f"; scoring all bigrams as NLTK does (recurring_ngrams n=2, G2) ours takes {pairs:.3f} s "
                         f"({hit['baseline_s'] / pairs:.1f}x)")
            else:
                plain = get("bundles 2-6 (not maximal)")
                note += (f"; without the maximal-bundle step ours takes {plain:.3f} s "
                         f"({hit['baseline_s'] / plain:.1f}x)")
            add(f"{task}: speedup over NLTK", size, words, float(hit["speedup"]), float(hit["speedup_cpu"]), "x",
                "at least", minimum, far + note)
        small, large = min(results), max(results)
        if large > small:
            factor = large // small
            limit = 18.0 if factor == 16 else round(18 / 16 * factor, 2)
            for step in [s for s in STEPS if s != "findall reference"] + [TOTAL_STEP]:
                add(f"time growth {small}x -> {large}x: {step}", large, results[large]["n_words"],
                    get(step, at=large) / get(step, at=small),
                    get(step, "cpu_seconds", large) / get(step, "cpu_seconds", small), "x", "at most", limit,
                    f"{get(step, at=small):.4f} s -> {get(step, at=large):.4f} s")
        add(f"peak memory at {large}x (whole process, our steps)", large, results[large]["n_words"],
            results[large]["ours_peak_mb"], np.nan, "MB", "at most", 4096.0,
            f"with the baselines: {results[large]['process_peak_mb']:.0f} MB")
    if project is not None:
        words = project["n_words"]
        for key, what in (("import_load", "import rhetoric + load_corpus"),
                          ("import_all_load", "import all analysis modules + load_corpus")):
            imp, load, cpu, wall = project[key]
            add(f"project corpus: {what}", None, words, imp + load, cpu, "s", "at most", 1.0,
                f"import {imp:.3f} s, load {load:.3f} s; fresh interpreter, fastest of 3; "
                f"whole process with interpreter start-up {wall:.2f} s")
        for _, row in project_table.iterrows():
            if row["step"] in ("load", "findall reference") or row["step"].startswith("tokenize"):
                continue
            add(f"project corpus: {row['step']}", None, words, row["first_call_s"], row["first_call_cpu_s"], "s",
                "at most", 0.2, f"first call after loading; fastest of repeats {row['seconds']:.4f} s"
                if not np.isnan(row["seconds"]) else "module missing")
    if report is None:
        add("make report (all notebooks, all figures)", None, None, np.nan, np.nan, "s", "at most", 30.0,
            "not measured: run `rhetoric bench --with-report` or `time make report`")
    else:
        wall, cpu, note = report
        add("make report (all notebooks, all figures)", None, None, np.nan if wall is None else wall,
            np.nan if cpu is None else cpu, "s", "at most", 30.0, note)
    return pd.DataFrame(rows, columns=TARGET_COLUMNS).astype({"size": "Int64", "n_words": "Int64"})


# --------------------------------------------------------------------------- output

def _load_average() -> float | None:
    """The machine's one-minute load average (other processes competing for the cores), if known."""
    try:
        return round(os.getloadavg()[0], 2)
    except (OSError, AttributeError):  # pragma: no cover
        return None


def _machine_info() -> dict:
    import scipy
    import sklearn

    try:
        import nltk
        nltk_version = nltk.__version__
    except ImportError:  # pragma: no cover
        nltk_version = "not installed"
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
        "pandas": pd.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__,
        "nltk": nltk_version,
    }


def _fmt(value, digits: int = 3) -> str:
    """A number for a text table: thousands separated, else ``digits`` significant figures."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if isinstance(value, (int, np.integer)):
        return f"{value:,}"
    value = float(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def _fmt_mb(value) -> str:
    return "–" if value is None or np.isnan(value) else f"{value:,.1f}"


def _steps_wide(steps: pd.DataFrame) -> pd.DataFrame:
    """Step × size: seconds, with peak MB and growth at the largest size."""
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
    out[f"{sizes[-1]}x tokens/s"] = [_fmt(last["tokens_per_s"].get(s, np.nan)) for s in wide.index]
    if len(sizes) > 1:
        out[f"growth {sizes[0]}x->{sizes[-1]}x"] = [_fmt(last["growth_vs_1x"].get(s, np.nan), 3)
                                                   for s in wide.index]
    return out


def format_results(bench: BenchmarkResults) -> str:
    """The results as readable text tables (what ``rhetoric bench`` prints)."""
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
    table = bench.targets.copy()
    table["measured"] = [_fmt(v) for v in table["measured"]]
    table["cpu"] = [_fmt(v) for v in table["measured_cpu"]]
    table["limit"] = [f"{'<=' if r == 'at most' else '>='} {_fmt(v)}" for r, v in zip(table["rule"], table["limit"])]
    parts.append("Targets of issue 8 (measured: wall time; cpu: the same from CPU time):\n"
                 + table[["target", "measured", "cpu", "unit", "limit", "met"]].to_string(index=False))
    return "\n\n".join(parts) + "\n"


def _markdown(table: pd.DataFrame) -> str:
    if table.empty:
        return "(none)\n"
    cols = list(table.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    for _, row in table.iterrows():
        cells = ["–" if v is None or v is pd.NA
                 else (_fmt_mb(v) if col == "peak_mb" else _fmt(v)) if isinstance(v, (float, int, np.integer))
                 and not isinstance(v, bool) else str(v) for col, v in row.items()]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _load_caveat(loads, cores) -> str:
    if None in loads or not cores:
        return "(unknown)."
    if max(loads) > cores:
        return (f"(above {cores}, the usable cores: the benchmark shared them with other work, so wall times are "
                "inflated; `cpu_seconds` is the better guide).")
    return f"(at most {cores}, the usable cores: the benchmark did not have to share them)."


def _readme(bench: BenchmarkResults, out_dir: Path | None = None) -> str:
    info = bench.info
    corpora = info.get("corpora", {})
    params = next(iter(corpora.values()), {}).get("parameters", {}) if corpora else {}
    method = next(iter(corpora.values()), {}).get("memory_method", "") if corpora else ""
    source = (f"copies of the corpus folder `{info['corpus_dir']}` (size k = k copies)" if info.get("corpus_dir")
              else f"synthetic corpora of {info['base_words']:,} words × size, made by `rhetoric.bench."
                   f"synthetic_corpus` (sentences and paragraphs of the five project texts resampled, 2% "
                   f"of the words replaced by invented Zipf-distributed words; seed {info['seed']} + size)")
    lines = [
        "# Benchmark results", "",
        f"Made by `{info['command']}` on {info['date']}. Regenerate with `make bench` "
        "(or `.venv/bin/rhetoric bench --help` for the options).", "",
        "## Machine", "",
        f"- CPU: {info['cpu']}; {info['cores']} cores ({info['usable_cores']} usable)",
        f"- Memory: {info['memory_gb']} GB",
        f"- Load average (1 min) at the start and end of the run: {info['load_average'][0]} and "
        f"{info['load_average'][1]} " + _load_caveat(info['load_average'], info['usable_cores']),
        f"- {info['platform']}",
        f"- Python {info['python']}, NumPy {info['numpy']}, pandas {info['pandas']}, SciPy {info['scipy']}, "
        f"scikit-learn {info['scikit-learn']}, NLTK {info['nltk']}", "",
        "## What was measured", "",
        f"- Corpora: {source}.",
        "- " + "; ".join(f"{size}x: {c['n_docs']:,} documents, {c['n_words']:,} words, {c['n_tokens']:,} tokens, "
                         f"{c['n_types']:,} types" for size, c in corpora.items()) + ".",
        f"- Each size runs in a fresh Python process. Time: wall time (`time.perf_counter`), fastest of up to "
        f"{info['repeat']} runs while their total stays under {info['budget']} s; `cpu_seconds` is the process's "
        "CPU time (`time.process_time`), which other programs competing for the cores do not inflate; the "
        "targets are judged on wall time. Memory (`peak_mb`): peak resident "
        f"set size during the step above the size when it started ({method}); it counts NumPy/SciPy buffers, "
        "which `tracemalloc` would not see without slowing the timed code.",
        "- `findall reference`: read each file and run `re.findall(r\"\\w+\", text.lower())`, the bare pass the "
        "tokenizing target is measured against. `tokenize (cached)` reads the token store written by a run "
        "just before it.",
        f"- Parameters: collocation node and KWIC word `{params.get('node')}`, KWIC phrase `{params.get('phrase')}`, "
        f"window ±{params.get('collocation_window')}; keyness of year {params.get('keyness_target_year')} against "
        f"the other years; bundles 2–6 words with at least {BUNDLE_PER_MILLION} per million tokens and range "
        f"{BUNDLE_RANGE} documents (at the largest size: min_freq {params.get('bundle_min_freq')}).",
        "- `all analyses` = the sum of " + ", ".join(ANALYSES) + ". `bundles 2-6` is the default call "
        "(maximal bundles only: a bundle inside a longer one with the same count is dropped); "
        "`bundles 2-6 (not maximal)` keeps them all, which is what NLTK's n-gram counting gives.",
        "- Baselines on the same token lists (`doc_token_lists`): NLTK `FreqDist`; `nltk.ngrams` n = 2..6 "
        "into one `FreqDist`; `BigramCollocationFinder.from_words` + `score_ngrams(likelihood_ratio)` over the "
        "whole corpus (all bigrams: compared with our window collocates of one node, `collocations`, and with "
        "`recurring_ngrams(n=2, min_freq=1, sort_by=\"g2\")`, which scores all bigrams); scikit-learn `CountVectorizer("
        "ngram_range=(1, 6))` with identity tokenizer. `speedup` = their time / ours.", "",
        "## Targets (issue 8)", "", _markdown(bench.targets.drop(columns=["size"])),
        "## Steps (seconds per size)", "", _markdown(_steps_wide(bench.steps)),
        "## Baselines", "", _markdown(bench.baselines),
        "## Project corpus", "", _markdown(bench.project),
        "Full tables: `benchmark.csv`, `baselines.csv`, `targets.csv` in this folder.", "",
    ]
    others = sorted(p.parent.name for p in out_dir.glob("*/README.md")) if out_dir is not None else []
    if others:
        lines += ["Other runs, each with the same files: " + ", ".join(f"[`{name}/`]({name}/README.md)"
                                                                      for name in others) + ".", ""]
    return "\n".join(lines)


def _write_atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_results(bench: BenchmarkResults, out_dir=config.BENCHMARK_DIR) -> list[Path]:
    """Write ``benchmark.csv``, ``baselines.csv``, ``targets.csv`` and ``README.md`` (each atomically)."""
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


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
