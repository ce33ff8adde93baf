"""Run the notebooks and assemble the report folder, swapped into place only when complete.

:func:`build_report` executes every ``notebooks/NN_*.ipynb`` in order with
papermill (parameters ``output_dir`` and, when given, ``corpus_dir``), writes
each executed notebook as HTML, collects the figures and tables the notebooks
saved with :func:`rhetoric.report.plots.save_figure` / :func:`~rhetoric.report.plots.save_table`,
and renders ``index.html`` (jinja2, autoescaped) with a provenance section and
``provenance.json``.

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

The page has no build time and no absolute path of the build machine except the
corpus folder when it lies outside the project; tables are byte-identical
across runs.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import json
import os
import platform
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from .. import __version__, config
from ..errors import ReportError
from ..progress import progress_bar, progress_enabled
from .folder import LOCK, check_out_folder, clear_leftovers, new_build_folder, replace_report
from .plots import NOTEBOOK_ENV

NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
"""Notebooks the report runs, in name order."""

PACKAGES = ("pandas", "numpy", "scipy", "scikit-learn", "matplotlib", "wordcloud", "papermill", "nbconvert",
            "nbformat", "nbclient", "jinja2", "pyyaml", "regex")
"""Packages whose versions the provenance records (with Python and rhetoric)."""

CELL_TIMEOUT = 1800
"""Seconds one notebook cell may run before the build stops with a message (``--cell-timeout``; 0: no limit)."""

INLINE_MAX_ROWS = 25
INLINE_MAX_COLUMNS = 10
INLINE_MAX_CHARS = 240
"""Tables up to this size are shown inline in index.html (cells cut at this many characters)."""

KERNEL_LOG_LEVEL = "CRITICAL"
"""The kernels' own log (transport warnings, shutdown notices) is kept off the terminal; cell errors still
reach the report through the messaging protocol."""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# --------------------------------------------------------------------------- small helpers

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _display_path(path: Path) -> str:
    """A path for the report: relative to the project when inside it, else as given (absolute)."""
    path = Path(path).resolve()
    if config.PROJECT_ROOT is not None and path.is_relative_to(config.PROJECT_ROOT):
        return path.relative_to(config.PROJECT_ROOT).as_posix() or "."
    return path.as_posix()


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
        return found
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


# --------------------------------------------------------------------------- running notebooks

def _parameters_cell_index(nb) -> int | None:
    for i, cell in enumerate(nb.cells):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return i
    return None


def _notebook_title(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def _failure_message(path: Path, source_nb, exc) -> str:
    """'notebook X failed at cell N of M (first line): Error: value' from a PapermillExecutionError."""
    injected_after = _parameters_cell_index(source_nb)
    injected_at = 0 if injected_after is None else injected_after + 1
    index = exc.cell_index - 1 if exc.cell_index > injected_at else exc.cell_index
    first_line = next((line.strip() for line in (exc.source or "").splitlines() if line.strip()), "")
    if len(first_line) > 80:
        first_line = first_line[:79] + "…"
    value = _ANSI.sub("", str(exc.evalue)).strip()
    return (f"notebook {path.name} failed at cell {index + 1} of {len(source_nb.cells)} "
            f"(execution count {exc.exec_count}{': ' + first_line if first_line else ''}): "
            f"{exc.ename}: {value}")


def _run_notebook(path: Path, build: Path, parameters: dict, *, kernel_name: str, timeout: int | None,
                  out_display: str, show_cells: bool = False):
    """Execute one notebook into the build folder and return the executed notebook."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        source_nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # unreadable JSON, wrong format
        raise ReportError(f"notebook {path.name} cannot be read ({type(exc).__name__}: {exc}); "
                          "open and save it again in Jupyter.") from exc
    executed_path = build / ".executed" / path.name
    executed_path.parent.mkdir(exist_ok=True)
    # The kernel's connection file goes into the build folder, which the next run clears even after a SIGKILL.
    old_env = {name: os.environ.get(name) for name in (NOTEBOOK_ENV, "JUPYTER_RUNTIME_DIR")}
    os.environ[NOTEBOOK_ENV] = path.stem
    os.environ["JUPYTER_RUNTIME_DIR"] = str(build / ".runtime")
    try:
        nb = papermill.execute_notebook(
            str(path), str(executed_path), parameters=parameters, kernel_name=kernel_name, cwd=str(path.parent),
            progress_bar=show_cells, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=timeout or None, extra_arguments=[f"--IPKernelApp.log_level={KERNEL_LOG_LEVEL}"])
    except PapermillExecutionError as exc:
        raise ReportError(_failure_message(path, source_nb, exc)) from None
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # kernel died, timed out, missing kernel, ...
        hint = (f" A cell ran longer than {timeout} s; raise it with --cell-timeout SECONDS (0: no limit)."
                if "timed out" in str(exc).lower() or type(exc).__name__ == "CellTimeoutError" else "")
        raise ReportError(f"notebook {path.name} could not be run: {type(exc).__name__}: "
                          f"{_ANSI.sub('', str(exc)).strip()[:500]}{hint}") from exc
    finally:
        for name, value in old_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    # Show where outputs end up, not the temporary build folder.
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = cell.source.replace(str(build), out_display)
            cell.id = "injected-parameters"  # papermill gives it a random id; the page stays byte-stable
    return source_nb, nb


_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$\w])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\w$])")


def markdown_math(source: str) -> str:
    """Markdown with its ``$...$`` and ``$$...$$`` formulas written as MathML (outside code spans).

    The page then needs no script to show them (MathML is rendered by the
    browser); a formula that does not convert stays as its escaped TeX.

    Examples
    --------
    >>> markdown_math("rate $= a/b$ in `$x$`")[:28]
    'rate <math xmlns="http://www'
    >>> markdown_math("price: $21 or $30 and `$x$`").endswith("`$x$`")
    True
    """
    from latex2mathml.converter import convert

    def to_mathml(match, display: bool) -> str:
        try:
            return convert(match.group(1).strip(), display="block" if display else "inline")
        except Exception:  # noqa: BLE001 - latex2mathml raises many types; keep the TeX, escaped
            return html.escape(match.group(0))

    parts = _CODE.split(source)
    for i in range(0, len(parts), 2):  # even pieces are outside code
        text = _DISPLAY_MATH.sub(lambda m: to_mathml(m, True), parts[i])
        parts[i] = _INLINE_MATH.sub(lambda m: to_mathml(m, False), text)
    return "".join(parts)


def _write_notebook_html(nb, target: Path) -> None:
    import copy

    from nbconvert import HTMLExporter

    # Not nbconvert's sanitize_html: in nbconvert 7.17 it shows every Markdown cell as literal tags
    # (jupyter/nbconvert#2016). Corpus text reaches outputs only escaped (pandas tables, kwic_html,
    # stream text), and the Content-Security-Policy forbids every script and every request elsewhere;
    # the page template drops the CDN scripts and formulas are MathML.
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = markdown_math(cell.source)
    exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(Path(__file__).parent / "templates")],
                            template_file="notebook.html.j2")
    body, _ = exporter.from_notebook_node(nb)
    body = body.replace("<head>", "<head>\n" + _PAGE_CSP, 1)
    target.write_text(body, encoding="utf-8")


_PAGE_CSP = f'<meta http-equiv="Content-Security-Policy" content="{config.CONTENT_SECURITY_POLICY}">'


# --------------------------------------------------------------------------- provenance and page

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
    """Header and rows of a small CSV table for the page, formatted by :func:`format_cell` (the template escapes)."""
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


def _render_index(build: Path, sections: list[dict], prov: dict, others: dict) -> None:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["url"] = lambda name: quote(str(name))
    page = env.get_template("index.html.j2").render(sections=sections, provenance=prov, others=others,
                                                    version=__version__, policy=config.CONTENT_SECURITY_POLICY)
    (build / "index.html").write_text(page, encoding="utf-8")


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


# --------------------------------------------------------------------------- the build

def build_report(*, corpus_dir: str | Path | None = None, out_dir: str | Path | None = None, notebooks=None,
                 progress: bool | None = None, lock_timeout: float = 3600, kernel_name: str = "python3",
                 cell_timeout: int | None = CELL_TIMEOUT) -> Path:
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
        Progress bar (default: only in a terminal, see :mod:`rhetoric.progress`).
    lock_timeout : float, default 3600
        Seconds to wait for another build of the same folder; then ReportError.
    kernel_name : str, default "python3"
    cell_timeout : int, default :data:`CELL_TIMEOUT`
        Seconds a cell may run; 0 or None: no limit.

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

    out_dir = Path(out_dir if out_dir is not None else config.REPORTS_DIR).expanduser().resolve()
    paths = _resolve_notebooks(notebooks)
    corpus_path = Path(corpus_dir).expanduser().resolve() if corpus_dir is not None else None
    docs = load_corpus(corpus_path)  # fail early, before any notebook runs, on a corpus that cannot load
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
            for sub in ("figures", "tables", "notebooks"):
                (build / sub).mkdir()
            inside = config.PROJECT_ROOT is not None and out_dir.is_relative_to(config.PROJECT_ROOT)
            out_display = os.path.relpath(out_dir, paths[0].parent) if inside else out_dir.name
            runs = []
            bar = progress_bar(paths, desc="report", unit="notebook", enable=progress)
            for path in bar:
                bar.set_postfix_str(path.name)
                parameters = {"output_dir": str(build)}
                if corpus_path is not None:
                    parameters["corpus_dir"] = str(corpus_path)
                source_nb, nb = _run_notebook(path, build, parameters, kernel_name=kernel_name,
                                              timeout=cell_timeout, out_display=out_display,
                                              show_cells=progress_enabled(progress))
                html_name = f"{path.stem}.html"
                _write_notebook_html(nb, build / "notebooks" / html_name)
                shown = {k: (_display_path(Path(v)) if k == "corpus_dir" else out_display)
                         for k, v in parameters.items()}
                runs.append({"stem": path.stem, "name": path.name, "html": html_name,
                             "title": _notebook_title(source_nb, path.stem), "sha256": _sha256(path),
                             "parameters": shown})
            for scratch in (".executed", ".runtime"):
                shutil.rmtree(build / scratch, ignore_errors=True)
            prov = provenance(docs, notebooks=[{k: r[k] for k in ("name", "sha256", "parameters")} for r in runs])
            (build / "provenance.json").write_text(
                json.dumps(prov, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
            sections, others = _collect(build, runs)
            _render_index(build, sections, prov, others)
            replace_report(build, out_dir, previous_files)
        finally:
            if build.exists():
                shutil.rmtree(build, ignore_errors=True)
    finally:
        lock.release()
    return out_dir / "index.html"
