"""Run the notebooks and assemble the report site, swapped into place only when complete.

:func:`build_report` executes every ``notebooks/NN_*.ipynb`` with papermill
(parameters ``output_dir`` and, when given, ``corpus_dir``), two at a time in
worker processes (``jobs``), writes each executed notebook as HTML, collects the
figures and tables the notebooks saved with
:func:`rhetoric.report.plots.save_figure` / :func:`~rhetoric.report.plots.save_table`,
exports the Explorer's data (:mod:`rhetoric.report.explorer`) and renders the
site (:mod:`rhetoric.report.site`): an overview, the Explorer, a figure gallery,
one page per notebook, the provenance (also ``provenance.json``) and the whole
report on one page.

Fast rebuilds: a notebook whose inputs did not change (the notebook, its
parameters, the corpus and data files, the package, the installed packages) is
not run again; its outputs come from the report folder's cache
(:mod:`rhetoric.report.cache`; ``cache=False`` runs everything). Every step
says what it does on stderr (``progress``).

Nothing is lost (see :mod:`rhetoric.report.folder`):

- the report is built in a temporary folder inside the output folder and moved
  in only when every notebook ran; a failing cell, an interruption or a crash
  leaves the previous report as it was;
- the report writes only into a new or empty folder or one it made (its
  manifest ``.rhetoric-report.json`` lists what it wrote), and never deletes
  anything it did not write: files a user keeps in the folder (``benchmarks/``,
  ``.git``, notes) survive every rebuild;
- one build at a time per output folder: a :class:`filelock.FileLock` on
  ``.rhetoric-report.lock`` inside it; a second run waits (and says so).

The pages have no build time and no absolute path of the build machine except
the corpus folder when it lies outside the project; two builds of the same
inputs give byte-identical files.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import re
import shutil
import sys
import time
from pathlib import Path

import pandas as pd

from .. import __version__, config
from ..errors import ReportError
from ..progress import QUIET_ENV, progress_enabled
from .folder import LOCK, check_out_folder, clear_leftovers, new_build_folder, replace_report
from .runner import (NAV_MARKER, markdown_math, project_relative, run_and_write, sha256_file, worker_init,  # noqa: F401
                     worker_run)

NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
"""Notebooks the report runs, in name order."""

PACKAGES = ("pandas", "numpy", "scipy", "scikit-learn", "matplotlib", "wordcloud", "papermill", "nbconvert",
            "nbformat", "nbclient", "jinja2", "pyyaml", "regex", "itables", "vl-convert-python")
"""Packages whose versions the provenance records (with Python and rhetoric)."""

CELL_TIMEOUT = 1800
"""Seconds one notebook cell may run before the build stops with a message (``--cell-timeout``; 0: no limit)."""

JOBS = 2
"""Notebooks run at once (``--jobs``), each in its own kernel; at most the number of CPU cores."""

HEARTBEAT = 10.0
"""Seconds between 'still running' lines while notebooks run."""

INLINE_MAX_ROWS = 25
INLINE_MAX_COLUMNS = 10
INLINE_MAX_CHARS = 240
"""Tables up to this size are shown inline on ``all.html`` (cells cut at this many characters)."""

RUNS = ".runs"
"""Folder of the build where each notebook writes its outputs (``.runs/<stem>/figures``, ``tables``)."""


# --------------------------------------------------------------------------- small helpers

_sha256 = sha256_file
_display_path = project_relative


class _Steps:
    """Progress lines on stderr: ``report: ...`` for every step (unless quiet)."""

    def __init__(self, progress: bool | None):
        self.on = progress if progress is not None else not os.environ.get(QUIET_ENV)
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self.on:
            print(f"report: {message}", file=sys.stderr, flush=True)

    def since(self, start: float) -> str:
        return f"{time.perf_counter() - start:.1f} s"


def find_notebooks(notebook_dir: str | Path | None = None) -> list[Path]:
    """The report's notebooks: ``NN_*.ipynb`` in ``notebook_dir`` (default ``notebooks/``), by name."""
    folder = Path(notebook_dir) if notebook_dir is not None else config.NOTEBOOK_DIR
    if not folder.is_dir():
        raise ReportError(f"notebook folder {folder} not found; pass --notebooks DIR, a folder holding "
                          "NN_name.ipynb notebooks (an installed package has none: they are in the project's "
                          "checkout).")
    return sorted(folder.glob(NOTEBOOK_PATTERN))


def _resolve_notebooks(notebooks) -> list[Path]:
    if notebooks is None or isinstance(notebooks, (str, Path)) and Path(notebooks).is_dir():
        found = find_notebooks(notebooks)
        if not found:
            where = notebooks if notebooks is not None else config.NOTEBOOK_DIR
            raise ReportError(f"no notebooks named like {NOTEBOOK_PATTERN} in {where}; nothing to report.")
        return [p.resolve() for p in found]
    paths = [Path(notebooks)] if isinstance(notebooks, (str, Path)) else [Path(p) for p in notebooks]
    if not paths:
        raise ReportError("the list of notebooks is empty; nothing to report.")
    for path in paths:
        if not path.is_file() or path.suffix != ".ipynb":
            raise ReportError(f"notebook {path} not found (or not an .ipynb file).")
    names = [p.name for p in paths]
    if len(set(names)) != len(names):
        raise ReportError(f"two notebooks share a name ({names}); their HTML pages would overwrite each other.")
    return [p.resolve() for p in paths]


# --------------------------------------------------------------------------- provenance and tables

def _package_versions() -> dict:
    versions = {"python": platform.python_version(), "rhetoric": __version__}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def provenance(docs: pd.DataFrame, *, notebooks: list[dict] | None = None) -> dict:
    """What made a report: corpus, texts, lexicons, cleaning rules, notebooks, package versions.

    Parameters
    ----------
    docs : DataFrame
        From :func:`rhetoric.corpus.load_corpus` (its ``attrs["corpus_dir"]`` names the folder).
    notebooks : list of dict, optional
        ``{"name", "sha256", "parameters"}`` per notebook run.

    Returns
    -------
    dict
        ``corpus`` (folder, corpus_csv_sha256, documents: doc_id, date, file, sha256),
        ``lexicons`` (file, sha256), ``cleaning_rules`` (file, sha256, fingerprint),
        ``word_lists`` (stop words and spelling files), ``notebooks``, ``packages``,
        ``random_seed``. Paths are relative to the project when inside it.
    """
    from ..corpus.cleaning import load_rules, rules_fingerprint

    corpus_dir = Path(docs.attrs.get("corpus_dir") or config.DATA_DIR)
    documents = [{"doc_id": row.doc_id, "date": row.date, "file": row.file, "sha256": row.sha256}
                 for row in docs[["doc_id", "date", "file", "sha256"]].itertuples(index=False)]
    lexicon_files = []
    for folder in dict.fromkeys([config.LEXICON_DIR.resolve(), (corpus_dir / "lexicons").resolve()]):
        if folder.is_dir():
            lexicon_files += sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml"))
    return {
        "generator": f"rhetoric report {__version__}",
        "corpus": {"folder": _display_path(corpus_dir),
                   "corpus_csv_sha256": _sha256(corpus_dir / config.CORPUS_TABLE),
                   "n_documents": len(documents), "documents": documents},
        "lexicons": [{"file": _display_path(p), "sha256": _sha256(p)} for p in lexicon_files],
        "cleaning_rules": {"file": _display_path(config.CLEANING_RULES), "sha256": _sha256(config.CLEANING_RULES),
                           "fingerprint": rules_fingerprint(load_rules())},
        "word_lists": [{"file": _display_path(p), "sha256": _sha256(p)}
                       for p in (config.STOPWORDS_FILE, config.SPELLING_FILE) if p.is_file()],
        "notebooks": notebooks or [],
        "packages": _package_versions(),
        "random_seed": config.RANDOM_SEED,
    }


def _read_sidecars(folder: Path, kind: str) -> list[dict]:
    items = []
    for path in sorted(folder.glob("*.json")):
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ReportError(f"{kind} sidecar {path.name} is not valid JSON ({exc}).") from exc
        if not isinstance(meta, dict):
            continue
        meta["name"] = path.stem
        meta["files"] = {k: v for k, v in sorted((meta.get("files") or {}).items())
                         if isinstance(v, str) and (folder / v).is_file() and "/" not in v}
        meta["files"].setdefault("json", path.name)
        data = meta.get("data")
        meta["data"] = data if isinstance(data, str) and "/" not in data and (folder / data).is_file() else None
        if meta["data"]:
            meta["files"].setdefault("csv", meta["data"])
        meta["files"] = dict(sorted(meta["files"].items()))
        items.append(meta)
    return items


_HEX_DIGEST = re.compile(r"[0-9a-f]{32,}")


def format_cell(value) -> str:
    """One table cell as a reader wants it: 4 significant digits, whole numbers without ``.0``, "–" for missing,
    a hash shortened to 12 characters, text cut at :data:`INLINE_MAX_CHARS`.

    Examples
    --------
    >>> [format_cell(v) for v in (0.123456, 2022.0, float("nan"), 12345.678, "a" * 64, 7)]
    ['0.1235', '2022', '–', '12346', 'aaaaaaaaaaaa…', '7']
    """
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"
    text = str(value)
    if _HEX_DIGEST.fullmatch(text):
        return text[:12] + "…"
    return text if len(text) <= INLINE_MAX_CHARS else text[:INLINE_MAX_CHARS - 1] + "…"


def _inline_table(path: Path) -> dict | None:
    """Header and rows of a small CSV table for all.html, formatted by :func:`format_cell` (the template escapes)."""
    try:
        table = pd.read_csv(path, keep_default_na=True)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError):
        return None
    if len(table) > INLINE_MAX_ROWS or table.shape[1] > INLINE_MAX_COLUMNS or table.empty:
        return None
    rows = [[format_cell(v.item() if hasattr(v, "item") else v) for v in row]
            for row in table.itertuples(index=False)]
    return {"columns": [format_cell(str(c)) for c in table.columns], "rows": rows,
            "numeric": [bool(pd.api.types.is_numeric_dtype(table[c])) for c in table.columns]}


def _collect(build: Path, runs: list[dict]) -> tuple[list[dict], dict]:
    def in_order(items):
        return sorted(items, key=lambda m: (m.get("sequence") if isinstance(m.get("sequence"), int) else 1 << 30,
                                            m["name"]))

    figures = in_order(_read_sidecars(build / "figures", "figure"))
    tables = in_order(_read_sidecars(build / "tables", "table"))
    for table in tables:
        table["inline"] = _inline_table(build / "tables" / table["data"]) if table["data"] else None
    sections = []
    known = {run["stem"] for run in runs}
    for run in runs:
        sections.append({**run,
                         "figures": [f for f in figures if f.get("notebook") == run["stem"]],
                         "tables": [t for t in tables if t.get("notebook") == run["stem"]]})
    others = {"figures": [f for f in figures if f.get("notebook") not in known],
              "tables": [t for t in tables if t.get("notebook") not in known]}
    return sections, others


# --------------------------------------------------------------------------- running the notebooks

def _merge_outputs(build: Path, stems: list[str]) -> None:
    """Move each notebook's figures and tables from ``.runs/<stem>/`` into the report's folders."""
    owner: dict[str, str] = {}
    for stem in stems:
        run_dir = build / RUNS / stem
        for sub in ("figures", "tables"):
            folder = run_dir / sub
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                if not path.is_file():
                    continue
                rel = f"{sub}/{path.relative_to(folder).as_posix()}"
                if rel in owner:
                    raise ReportError(f"notebooks {owner[rel]} and {stem} both write {rel}; give the figure or "
                                      "table in one of them another name.")
                owner[rel] = stem
                (build / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, build / rel)
        others = [p for p in run_dir.rglob("*") if p.is_file()] if run_dir.is_dir() else []
        if others:
            raise ReportError(f"notebook {stem} wrote {others[0].relative_to(run_dir).as_posix()} outside figures/ "
                              "and tables/ of output_dir; the report keeps only those two folders.")


def _jobs(jobs: int | None, n: int) -> int:
    if jobs is None:
        jobs = JOBS
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ReportError(f"jobs={jobs!r}: give a whole number of notebooks to run at once, 1 or more.")
    return max(1, min(jobs, os.cpu_count() or 1, n))


def _stop_workers(pool, wait_seconds: float = 30.0) -> None:
    """Interrupt the workers, then end the pool.

    SIGTERM interrupts a worker's running notebook (papermill shuts its kernel down; further signals are ignored
    meanwhile) and makes an idle worker leave; it is sent again every 0.2 s until every worker left, so a worker
    that finished unwinding its notebook leaves too. One still there after ``wait_seconds`` is killed.
    """
    import signal

    processes = list(getattr(pool, "_processes", {}).values())
    deadline = time.monotonic() + wait_seconds
    while True:
        alive = [p for p in processes if p.is_alive()]
        if not alive or time.monotonic() >= deadline:
            break
        for process in alive:
            try:
                os.kill(process.pid, signal.SIGTERM)
            except (ProcessLookupError, OSError):
                pass
        for process in alive:
            process.join(0.2 / len(alive))
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join(5)
    pool.shutdown(wait=True, cancel_futures=True)


def _run_parallel(jobs: list[dict], workers: int, say: _Steps, total: int, done_before: int,
                  while_waiting) -> list[dict]:
    """Run ``jobs`` in ``workers`` processes; call ``while_waiting()`` meanwhile; return the records by stem order."""
    import concurrent.futures
    import multiprocessing

    results: dict[str, dict] = {}
    # Workers are forked where the system can (no thread or kernel runs in this process yet; a fork starts at
    # once, and the workers import papermill while this process exports the Explorer's data), else spawned.
    if "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("spawn")
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=worker_init)
    finished = done_before
    try:
        futures = {pool.submit(worker_run, job): job["stem"] for job in jobs}
        order = [job["stem"] for job in jobs]
        started = {stem: time.perf_counter() for stem in order[:workers]}
        while_waiting()
        pending = set(futures)
        last_beat = time.perf_counter()
        while pending:
            done, pending = concurrent.futures.wait(pending, timeout=HEARTBEAT,
                                                    return_when=concurrent.futures.FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: futures[f]):
                stem = futures[future]
                result = future.result()
                if result.get("error"):
                    raise ReportError(result["error"])
                if result.get("interrupted"):
                    raise KeyboardInterrupt
                finished += 1
                results[stem] = result
                say(f"[{finished}/{total}] {result['name']} ran ({result['seconds']:.1f} s)")
                waiting = [s for s in order if s not in results and s not in started]
                if waiting:  # the pool takes jobs in order: the next one starts now
                    started[waiting[0]] = time.perf_counter()
            if pending and time.perf_counter() - last_beat >= HEARTBEAT:
                running = [s for s in order if s in started and s not in results]
                if running:
                    say("still running: " + ", ".join(f"{s} ({time.perf_counter() - started[s]:.0f} s)"
                                                       for s in running))
                last_beat = time.perf_counter()
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)
    return [results[job["stem"]] for job in jobs]


# --------------------------------------------------------------------------- the build

def build_report(*, corpus_dir: str | Path | None = None, out_dir: str | Path | None = None, notebooks=None,
                 progress: bool | None = None, lock_timeout: float = 3600, kernel_name: str = "python3",
                 cell_timeout: int | None = CELL_TIMEOUT, jobs: int | None = None, cache: bool = True) -> Path:
    """Run the notebooks and replace the report in ``out_dir`` with the result.

    Parameters
    ----------
    corpus_dir : path, optional
        Corpus folder passed to every notebook as ``corpus_dir`` (default: the
        notebooks' own default, the project's ``data/``).
    out_dir : path, default ``config.REPORTS_DIR`` (``reports/``)
        The report folder: new, empty, or one the report made. When the build
        succeeds the report's own files are replaced; everything else in the
        folder stays.
    notebooks : folder or list of paths, optional
        Notebooks to run, in order (default ``notebooks/NN_*.ipynb`` by name).
    progress : bool, optional
        Progress lines on stderr (default: unless ``$RHETORIC_QUIET`` is set);
        with one job in a terminal, also a bar of the cells.
    lock_timeout : float, default 3600
        Seconds to wait for another build of the same folder; then ReportError.
    kernel_name : str, default "python3"
    cell_timeout : int, default :data:`CELL_TIMEOUT`
        Seconds a cell may run; 0 or None: no limit.
    jobs : int, default :data:`JOBS`
        Notebooks run at once, each in a worker process with its own kernel
        (at most the number of CPU cores; 1: one after the other in this process).
    cache : bool, default True
        Reuse the outputs of notebooks whose inputs did not change
        (:mod:`rhetoric.report.cache`); False runs every notebook.

    Returns
    -------
    Path
        ``out_dir / "index.html"``.

    Raises
    ------
    ReportError
        A notebook failed (the message names the notebook, the cell number and
        the error), a notebook is missing, the folder is locked too long or is
        neither empty nor a report's, or cannot be written. The previous report is
        left as it was.
    CorpusError
        The corpus folder cannot be loaded (checked before any notebook runs).
    """
    from filelock import FileLock, Timeout

    from ..corpus.documents import load_corpus

    say = _Steps(progress)
    out_dir = Path(out_dir if out_dir is not None else config.REPORTS_DIR).expanduser().resolve()
    paths = _resolve_notebooks(notebooks)
    corpus_path = Path(corpus_dir).expanduser().resolve() if corpus_dir is not None else None
    docs = load_corpus(corpus_path)  # fail early, before any notebook runs, on a corpus that cannot load
    _jobs(jobs, 1)  # a bad value fails before anything is written
    check_out_folder(out_dir)  # refuse a foreign folder before writing anything into it
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock_path = out_dir / LOCK
        os.close(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as exc:
        raise ReportError(f"cannot write into --out {out_dir} ({exc.strerror or exc}); choose a folder you can "
                          "write to.") from None
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"another `rhetoric report` is building {out_dir}; waiting for it to finish "
              f"(at most {lock_timeout:g} s)...", file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=lock_timeout)
        except Timeout:
            raise ReportError(f"{out_dir} is still being built by another run after {lock_timeout:g} s "
                              f"(lock {lock.lock_file}); wait for it, or remove the lock file if no run is "
                              "active.") from None
    try:
        previous_files = check_out_folder(out_dir)
        clear_leftovers(out_dir)
        build = new_build_folder(out_dir)
        try:
            _build_into(build, out_dir, previous_files, paths=paths, docs=docs, corpus_path=corpus_path,
                        say=say, progress=progress, kernel_name=kernel_name, cell_timeout=cell_timeout, jobs=jobs,
                        cache=cache)
        finally:
            if build.exists():
                shutil.rmtree(build, ignore_errors=True)
    finally:
        lock.release()
    return out_dir / "index.html"


def _build_into(build: Path, out_dir: Path, previous_files: list[str], *, paths: list[Path], docs, corpus_path,
                say: _Steps, progress, kernel_name: str, cell_timeout, jobs, cache: bool) -> None:
    from .cache import ReportCache, inputs_fingerprint, notebook_key

    for sub in ("figures", "tables", "notebooks", RUNS):
        (build / sub).mkdir()
    inside = config.PROJECT_ROOT is not None and out_dir.is_relative_to(config.PROJECT_ROOT)
    out_display = os.path.relpath(out_dir, paths[0].parent) if inside else out_dir.name
    say(f"corpus {_display_path(Path(docs.attrs.get('corpus_dir') or config.DATA_DIR))}: {len(docs)} documents; "
        f"{len(paths)} notebooks; output {_display_path(out_dir)}")

    store = ReportCache(out_dir) if cache else None
    fingerprint = ""
    if store is not None and store.prepare():
        step = time.perf_counter()
        fingerprint = inputs_fingerprint(corpus_dir=corpus_path, kernel_name=kernel_name)
        say(f"inputs fingerprinted ({say.since(step)})")
    elif store is not None:
        store = None  # a cache that cannot be written: build without it

    jobs_todo, records, keys = [], {}, {}
    for path in paths:
        run_dir = build / RUNS / path.stem
        parameters = {"output_dir": str(run_dir)}
        if corpus_path is not None:
            parameters["corpus_dir"] = str(corpus_path)
        shown = {k: (_display_path(Path(v)) if k == "corpus_dir" else out_display) for k, v in parameters.items()}
        keys[path.stem] = notebook_key(fingerprint, path, shown) if store is not None else ""
        entry = store.lookup(path.stem, keys[path.stem]) if store is not None else None
        if entry is not None:
            store.restore(entry, build)
            records[path.stem] = {**store.record(path.stem), "cached": True}
            continue
        jobs_todo.append({"stem": path.stem, "path": str(path), "build": str(build), "parameters": parameters,
                          "kernel_name": kernel_name, "timeout": cell_timeout, "out_display": out_display,
                          "shown_parameters": shown, "name": path.name})
    reused = len(paths) - len(jobs_todo)
    if reused:
        say(f"{reused} of {len(paths)} notebooks unchanged since the last build: their outputs are reused"
            + ("" if jobs_todo else " (nothing to run)"))

    def side_work() -> None:
        _explorer_and_assets(build, docs, store, fingerprint, say)

    if jobs_todo:
        workers = _jobs(jobs, len(jobs_todo))
        say(f"running {len(jobs_todo)} notebook{'s' if len(jobs_todo) > 1 else ''}, {workers} at a time")
        if workers == 1:
            side_work()
            for k, job in enumerate(jobs_todo, start=reused + 1):
                step = time.perf_counter()
                say(f"[{k}/{len(paths)}] {job['name']} running")
                record = run_and_write(Path(job["path"]), build, job["parameters"], kernel_name=kernel_name,
                                       timeout=cell_timeout, out_display=out_display,
                                       shown_parameters=job["shown_parameters"],
                                       show_cells=progress_enabled(progress))
                records[job["stem"]] = record
                say(f"[{k}/{len(paths)}] {job['name']} ran ({say.since(step)})")
        else:
            longest_first = sorted(jobs_todo, key=lambda j: -float((store.record(j["stem"]) if store else {})
                                                                   .get("seconds", 0)))
            for record in _run_parallel(longest_first, workers, say, len(paths), reused, side_work):
                records[record["stem"]] = record
    else:
        side_work()
    for scratch in (".executed", ".runtime"):
        shutil.rmtree(build / scratch, ignore_errors=True)
    if store is not None:
        for job in jobs_todo:  # keep what ran for the next build, before its files move
            stem = job["stem"]
            files = {f"notebooks/{stem}.html": build / "notebooks" / f"{stem}.html"}
            run_dir = build / RUNS / stem
            if run_dir.is_dir():
                files.update({f"{RUNS}/{stem}/{p.relative_to(run_dir).as_posix()}": p
                              for p in sorted(run_dir.rglob("*")) if p.is_file()})
            record = {k: v for k, v in records[stem].items() if k != "cached"}
            store.store(stem, keys[stem], files, extra=record)

    step = time.perf_counter()
    runs = [{k: records[p.stem][k] for k in ("stem", "name", "html", "title", "sha256", "parameters")} for p in paths]
    _merge_outputs(build, [p.stem for p in paths])
    shutil.rmtree(build / RUNS, ignore_errors=True)
    prov = provenance(docs, notebooks=[{k: r[k] for k in ("name", "sha256", "parameters")} for r in runs])
    (build / "provenance.json").write_text(json.dumps(prov, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    _render(build, docs, runs, prov)
    say(f"pages written: overview, Explorer, figures, {len(runs)} notebook pages, provenance ({say.since(step)})")
    replace_report(build, out_dir, previous_files)
    if store is not None:
        store.prune({p.stem for p in paths} | {"explorer"})


def _explorer_and_assets(build: Path, docs, store, fingerprint: str, say: _Steps) -> None:
    """The Explorer's data (cached under the inputs' fingerprint) and the shipped scripts."""
    from .explorer import DATA_JS, DATA_JSON, explorer_data, write_explorer_data
    from .site import write_assets

    step = time.perf_counter()
    entry = store.lookup("explorer", fingerprint) if store is not None else None
    if entry is not None:
        store.restore(entry, build)
        say(f"Explorer data unchanged: reused ({say.since(step)})")
    else:
        from ..corpus.tokens import tokenize

        tokens = tokenize(docs, progress=False)
        data = explorer_data(tokens, docs)
        write_explorer_data(data, build)
        if store is not None:
            store.store("explorer", fingerprint, {DATA_JSON: build / DATA_JSON, DATA_JS: build / DATA_JS})
        formulas = data["formulas"]
        say(f"Explorer data: {len(data['documents'])} documents, {data['n_tokens']:,} tokens, "
            f"{len(formulas['list'])} formulas with {len(formulas['hits'])} hits ({say.since(step)})")
    step = time.perf_counter()
    write_assets(build, cache_dir=store.vendor if store is not None else None)
    say(f"scripts copied: DataTables (itables), Vega-Lite (vl-convert) ({say.since(step)})")


def _render(build: Path, docs, runs: list[dict], prov: dict) -> None:
    from ..corpus.tokens import tokenize
    from .site import corpus_glance, render_nav, render_site

    sections, others = _collect(build, runs)
    for run in runs:  # the site's navigation on every executed notebook's page
        page = build / "notebooks" / run["html"]
        text = page.read_text(encoding="utf-8")
        nav = render_nav(runs, current=f"notebook-page-{run['stem']}", root="../")
        stylesheet = '<link rel="stylesheet" href="../assets/site.css">\n'
        text = text.replace(NAV_MARKER, nav, 1).replace("</head>", stylesheet + "</head>", 1)
        page.write_text(text, encoding="utf-8")
    glance = corpus_glance(docs, tokenize(docs, progress=False))
    render_site(build, sections=sections, others=others, provenance=prov, runs=runs, glance=glance, docs=docs)
