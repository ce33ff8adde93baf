"""Running one notebook for the report: papermill, then its HTML page; in this process or in a worker.

:func:`run_notebook` executes a notebook with papermill into the build folder and
writes its page (:func:`write_notebook_html`). The report runs several notebooks
at once in worker processes (:func:`worker_run`, started by
:func:`rhetoric.report.build.build_report`); this module imports neither pandas
nor matplotlib, so a worker starts quickly.

Interruption: a worker turns SIGTERM and SIGINT into KeyboardInterrupt while it
runs a notebook, so papermill shuts its kernel down; an idle worker leaves at
once. Either way nothing is printed (no traceback).
"""

from __future__ import annotations

import copy
import hashlib
import html
import os
import re
import signal
import time
from functools import lru_cache
from pathlib import Path

from .. import config
from ..errors import ReportError

NOTEBOOK_ENV = "RHETORIC_REPORT_NOTEBOOK"
"""Set to the notebook being run (its stem); :func:`rhetoric.report.plots.save_figure` records it in sidecars
(the same name as ``rhetoric.report.plots.NOTEBOOK_ENV``, which this module does not import: matplotlib)."""
KERNEL_LOG_LEVEL = "CRITICAL"
"""The kernels' own log (transport warnings, shutdown notices) is kept off the terminal; cell errors still
reach the report through the messaging protocol."""
NAV_MARKER = "<!--rhetoric-site-navigation-->"
"""Where a notebook page gets the site's navigation when the report is assembled."""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def notebook_policy() -> str:
    """The notebook pages' policy: :data:`rhetoric.config.CONTENT_SECURITY_POLICY` with ``style-src 'self'``.

    Examples
    --------
    >>> "script-src" in notebook_policy(), "style-src 'self'" in notebook_policy()
    (False, True)
    """
    from .site import site_policy

    return site_policy(scripts=False)


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = path.write_bytes(b"abc")
    >>> sha256_file(path)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parameters_cell_index(nb) -> int | None:
    for i, cell in enumerate(nb.cells):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return i
    return None


def notebook_title(nb, fallback: str) -> str:
    """The first ``# heading`` of the notebook's markdown cells (without emphasis and code marks), else ``fallback``.

    Examples
    --------
    >>> import nbformat
    >>> notebook_title(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 4. Which *tifa*?")]), "x")
    '4. Which tifa?'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return re.sub(r"(?<!\\)[*`]|(?<![\\\w])_|_(?!\w)", "", line[2:]).strip() or fallback
    return fallback


def failure_message(path: Path, source_nb, exc) -> str:
    """'notebook X failed at cell N of M (first line): Error: value' from a PapermillExecutionError."""
    injected_after = parameters_cell_index(source_nb)
    injected_at = 0 if injected_after is None else injected_after + 1
    index = exc.cell_index - 1 if exc.cell_index > injected_at else exc.cell_index
    first_line = next((line.strip() for line in (exc.source or "").splitlines() if line.strip()), "")
    if len(first_line) > 80:
        first_line = first_line[:79] + "…"
    value = _ANSI.sub("", str(exc.evalue)).strip()
    return (f"notebook {path.name} failed at cell {index + 1} of {len(source_nb.cells)} "
            f"(execution count {exc.exec_count}{': ' + first_line if first_line else ''}): "
            f"{exc.ename}: {value}")


def _replace_in_outputs(nb, old: str, new: str) -> None:
    """Show where outputs end up, not the temporary build folder (injected parameters and printed outputs)."""
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = cell.source.replace(old, new)
            cell.id = "injected-parameters"  # papermill gives it a random id; the page stays byte-stable
        for output in cell.get("outputs", []):
            if "text" in output and isinstance(output["text"], str):
                output["text"] = output["text"].replace(old, new)
            for mime, value in (output.get("data") or {}).items():
                if mime.startswith("text/") and isinstance(value, str):
                    output["data"][mime] = value.replace(old, new)


def coalesce_streams(nb) -> None:
    """Join consecutive stream outputs of a cell that go to the same stream (stdout, stderr), in place.

    How a kernel's printed lines arrive (one message or several) depends on timing; joined, the executed
    notebook and its page are the same bytes for the same run.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("print(1); print(2)")
    >>> cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\\n"),
    ...                 nbformat.v4.new_output("stream", name="stdout", text="2\\n"),
    ...                 nbformat.v4.new_output("stream", name="stderr", text="warning\\n")]
    >>> coalesce_streams(nbformat.v4.new_notebook(cells=[cell]))
    >>> [(o.name, o.text) for o in cell.outputs]
    [('stdout', '1\\n2\\n'), ('stderr', 'warning\\n')]
    """
    for cell in nb.cells:
        outputs = cell.get("outputs")
        if not outputs:
            continue
        merged = []
        for output in outputs:
            if output.get("output_type") == "stream" and isinstance(output.get("text"), list):
                output["text"] = "".join(output["text"])
            previous = merged[-1] if merged else None
            if (previous is not None and output.get("output_type") == "stream"
                    and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
                previous["text"] = previous["text"] + output["text"]
            else:
                merged.append(output)
        cell["outputs"] = merged


def run_notebook(path: Path, build: Path, parameters: dict, *, kernel_name: str, timeout: int | None,
                 out_display: str, show_cells: bool = False):
    """Execute one notebook into ``build/.executed`` and return ``(source notebook, executed notebook)``.

    ``parameters["output_dir"]`` (a folder inside the build) is shown as ``out_display`` in the executed
    notebook. Raises :class:`ReportError` naming the notebook, the cell and the error.
    """
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
    # Jupyter's runtime folder is inside the build folder, which the next run clears even after a SIGKILL.
    old_env = {name: os.environ.get(name) for name in (NOTEBOOK_ENV, "JUPYTER_RUNTIME_DIR")}
    os.environ[NOTEBOOK_ENV] = path.stem
    os.environ["JUPYTER_RUNTIME_DIR"] = str(build / ".runtime")
    try:
        nb = papermill.execute_notebook(
            str(path), str(executed_path), parameters=parameters, kernel_name=kernel_name, cwd=str(path.parent),
            progress_bar=show_cells, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=timeout or None, extra_arguments=[f"--IPKernelApp.log_level={KERNEL_LOG_LEVEL}"])
    except PapermillExecutionError as exc:
        raise ReportError(failure_message(path, source_nb, exc)) from None
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
    coalesce_streams(nb)
    _replace_in_outputs(nb, str(parameters["output_dir"]), out_display)
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


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", extra_template_paths=[str(Path(__file__).parent / "templates")],
                        template_file="notebook.html.j2")


def write_notebook_html(nb, target: Path) -> None:
    """The executed notebook as a page: nbconvert's lab template without scripts, formulas as MathML, the policy
    of :func:`notebook_policy`, and :data:`NAV_MARKER` where the site's navigation goes."""
    # Not nbconvert's sanitize_html: in nbconvert 7.17 it shows every Markdown cell as literal tags
    # (jupyter/nbconvert#2016). Corpus text reaches outputs only escaped (pandas tables, kwic_html,
    # stream text), and the Content-Security-Policy forbids every script and every request elsewhere;
    # the page template drops the CDN scripts and formulas are MathML.
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = markdown_math(cell.source)
    body, _ = _exporter().from_notebook_node(nb)
    policy = f'<meta http-equiv="Content-Security-Policy" content="{notebook_policy()}">'
    body = body.replace("<head>", "<head>\n" + policy, 1)
    target.write_text(body, encoding="utf-8")


def run_and_write(path: Path, build: Path, parameters: dict, *, kernel_name: str, timeout: int | None,
                  out_display: str, shown_parameters: dict, show_cells: bool = False) -> dict:
    """Run one notebook and write its page into ``build/notebooks``; return its run record."""
    start = time.perf_counter()
    source_nb, nb = run_notebook(path, build, parameters, kernel_name=kernel_name, timeout=timeout,
                                 out_display=out_display, show_cells=show_cells)
    html_name = f"{path.stem}.html"
    write_notebook_html(nb, build / "notebooks" / html_name)
    return {"stem": path.stem, "name": path.name, "html": html_name, "title": notebook_title(source_nb, path.stem),
            "sha256": sha256_file(path), "parameters": shown_parameters,
            "seconds": round(time.perf_counter() - start, 1)}


# --------------------------------------------------------------------------- worker processes

_BUSY = False
_STOPPING = False


def _worker_signal(signum, frame):  # noqa: ARG001 - the signal handler's signature
    global _STOPPING
    if _BUSY:
        if _STOPPING:
            return  # already unwinding its notebook: let papermill shut the kernel down
        _STOPPING = True
        import logging

        for name in ("papermill", "traitlets", "nbclient"):  # no "kernel died" line while the kernel shuts down
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)
        raise KeyboardInterrupt  # papermill shuts the kernel down on the way out
    _STOPPING = True
    for name in (signal.SIGTERM, signal.SIGINT):  # leaving: a further signal must not interrupt the exit
        signal.signal(name, signal.SIG_IGN)
    raise SystemExit(0)  # idle: leave quietly (multiprocessing prints nothing for SystemExit)


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
"""Set to 1 for the kernels of a worker (unless already set): several kernels at once, each with a thread per core
for its linear algebra, would fight over the cores."""


def worker_init() -> None:
    """Initializer of a report worker process: interruption unwinds a running notebook, leaves an idle worker;
    its kernels use one thread each for linear algebra (:data:`THREAD_VARIABLES`)."""
    signal.signal(signal.SIGTERM, _worker_signal)
    signal.signal(signal.SIGINT, _worker_signal)
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def worker_run(job: dict) -> dict:
    """Run one notebook in a worker process (see :func:`run_and_write`).

    Returns the run record, or ``{"stem", "error": message}`` / ``{"stem", "interrupted": True}``: nothing is
    raised across the process boundary (a ReportError's message is all the build needs). A worker that was
    interrupted runs nothing more (the build is stopping; it sends the signal again until the worker leaves).
    """
    global _BUSY
    if _STOPPING:
        return {"stem": Path(job["path"]).stem, "interrupted": True}
    _BUSY = True
    try:
        return run_and_write(Path(job["path"]), Path(job["build"]), job["parameters"], kernel_name=job["kernel_name"],
                             timeout=job["timeout"], out_display=job["out_display"],
                             shown_parameters=job["shown_parameters"])
    except ReportError as exc:
        return {"stem": Path(job["path"]).stem, "error": str(exc)}
    except KeyboardInterrupt:
        return {"stem": Path(job["path"]).stem, "interrupted": True}
    except Exception as exc:  # noqa: BLE001 - anything else: one line, as the build reports errors
        return {"stem": Path(job["path"]).stem,
                "error": f"notebook {Path(job['path']).name} could not be run: {type(exc).__name__}: {exc}"}
    finally:
        _BUSY = False


def project_relative(path: Path) -> str:
    """A path for the report: relative to the project when inside it, else as given (absolute).

    Examples
    --------
    >>> project_relative(config.DATA_DIR / "corpus.csv") if config.PROJECT_ROOT else "data/corpus.csv"
    'data/corpus.csv'
    >>> project_relative(Path("/elsewhere/corpus"))
    '/elsewhere/corpus'
    """
    path = Path(path).resolve()
    if config.PROJECT_ROOT is not None and path.is_relative_to(config.PROJECT_ROOT):
        return path.relative_to(config.PROJECT_ROOT).as_posix() or "."
    return path.as_posix()
