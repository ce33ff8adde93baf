"""`rhetoric report`: builds, fails cleanly, survives interruption and concurrent runs, escapes corpus text.

Most tests run small notebooks written here (a kernel start each, so seconds); one runs every project
notebook on a small corpus (``planted_report`` in conftest.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import PLANTED_TEXT, PLANTED_TITLE, write_small_corpus
from filelock import FileLock

from rhetoric import config
from rhetoric.errors import ReportError
from rhetoric.report.build import build_report
from rhetoric.report.folder import LOCK, MANIFEST

pytestmark = pytest.mark.slow

RHETORIC = str(Path(sys.executable).parent / "rhetoric")

QUICK = [
    "from pathlib import Path\n"
    "import os, time\n"
    "import pandas as pd\n"
    "from rhetoric.corpus import load_corpus\n"
    "from rhetoric.report.plots import plot_documents_per_group, save_figure, save_table\n"
    "docs = load_corpus(corpus_dir)\n"
    "out = Path(output_dir)",
    "save_table(docs[['doc_id', 'title']].assign(opening=docs['text'].str.slice(-80)), 'openings',\n"
    "           out_dir=out / 'tables', caption='Openings; last title: ' + docs['title'].iloc[-1])\n"
    "counts = pd.DataFrame({'group': [2022], 'n_documents': [len(docs)], 'n_counted': [len(docs)]})\n"
    "save_figure(plot_documents_per_group(counts), 'docs', out_dir=out / 'figures',\n"
    "            caption='Documents; last title: ' + docs['title'].iloc[-1])",
]
FAIL = ["x = 1", "y = 2", "z = 1 / 0", "print('never')"]
SLOW = ["import os, time\n"
        "marker = os.environ.get('RHETORIC_TEST_MARKER')\n"
        "if marker:\n"
        "    open(marker, 'w').close()\n"
        "time.sleep(float(os.environ.get('RHETORIC_TEST_SLEEP', '0')))"]


def write_notebook(path: Path, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}")]
    nb.cells.append(nbformat.v4.new_code_cell("corpus_dir = None\noutput_dir = 'out'",
                                              metadata={"tags": ["parameters"]}))
    nb.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def notebooks(folder: Path, **named: list[str]) -> Path:
    for name, cells in named.items():
        write_notebook(folder / f"{name}.ipynb", cells)
    return folder


def tree(folder: Path) -> dict:
    """Relative path -> sha256 of every file under ``folder``, except a build's temporary folders."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).parts[0].startswith((".rhetoric-building-",
                                                                              ".rhetoric-previous-"))}


def leftovers(out: Path) -> list[str]:
    """Temporary folders of a build inside the report folder (and, as earlier versions made them, beside it)."""
    inside = [p.name for p in out.glob(".rhetoric-*") if p.is_dir()]
    beside = [p.name for p in out.parent.glob(f".{out.name}.*")]
    return sorted(inside + beside)


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def local_links(index: Path) -> list[str]:
    targets = re.findall(r'(?:href|src)="([^"#:]+)"', index.read_text(encoding="utf-8"))
    return [t for t in targets if not t.startswith(("http", "data"))]


def run_cli(*args):
    env = dict(os.environ, RHETORIC_QUIET="1")
    return subprocess.run([RHETORIC, "report", *map(str, args)], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    return write_small_corpus(tmp_path_factory.mktemp("small") / "corpus", min_chars=400)


@pytest.fixture(scope="module")
def previous(tmp_path_factory, small_corpus):
    """A report built from the quick notebook (with a benchmarks/ folder added, as `make bench` leaves it)."""
    base = tmp_path_factory.mktemp("previous")
    nbs = notebooks(base / "nb", **{"01_quick": QUICK})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RHETORIC_CACHE_DIR", str(base / "cache"))
        index = build_report(corpus_dir=small_corpus, out_dir=base / "reports", notebooks=nbs, progress=False)
    (index.parent / "benchmarks").mkdir()
    (index.parent / "benchmarks" / "benchmark.csv").write_text("step,seconds\ntokenize,1.0\n")
    return index.parent


@pytest.fixture
def out(tmp_path, previous):
    """A copy of the previous report, to be rebuilt or to survive a failed rebuild."""
    import shutil

    target = tmp_path / "reports"
    shutil.copytree(previous, target)
    return target


def test_quick_report_is_whole_escaped_and_keeps_benchmarks(previous):
    index = previous / "index.html"
    page = index.read_text(encoding="utf-8")
    assert previous.stat().st_mode & 0o777 == 0o777 & ~umask()  # readable like any folder, not private
    for target in local_links(index):
        assert (previous / target).exists(), target
    assert {"figures/docs.png", "figures/docs.svg", "figures/docs.csv", "figures/docs.json",
            "tables/openings.csv", "notebooks/01_quick.html", "provenance.json"} <= set(tree(previous))
    # planted markup from the title (caption, alt text, inline table) and from the text is escaped
    assert "<script" not in page
    assert "<img src=x" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt;" in page
    notebook_html = (previous / "notebooks" / "01_quick.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in notebook_html and "<script>document.title" not in notebook_html
    prov = json.loads((previous / "provenance.json").read_text())
    assert [d["doc_id"] for d in prov["corpus"]["documents"]][-1] == "cgtn2024_visit"
    assert prov["notebooks"][0]["name"] == "01_quick.ipynb"
    assert set(prov["packages"]) >= {"python", "pandas", "numpy", "scipy", "scikit-learn", "matplotlib",
                                     "wordcloud", "papermill", "nbconvert"}


def test_failing_cell_names_notebook_and_cell_and_keeps_previous_report(tmp_path, out, small_corpus):
    before = tree(out)
    nbs = notebooks(tmp_path / "nb", **{"01_quick": QUICK, "02_broken": FAIL})
    result = run_cli("--corpus", small_corpus, "--notebooks", nbs, "--out", out)
    assert result.returncode == 2
    # cells: a heading, the parameters, then x, y, z = 1 / 0 (the fifth of six), print
    assert "notebook 02_broken.ipynb failed at cell 5 of 6" in result.stderr
    assert "ZeroDivisionError: division by zero" in result.stderr
    assert "z = 1 / 0" in result.stderr
    assert tree(out) == before
    assert leftovers(out) == []


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        found += [int(c) for c in children]
        todo += [int(c) for c in children]
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the kernel processes")
def test_interrupted_run_leaves_previous_report_whole(tmp_path, out, small_corpus):
    before = tree(out)
    marker = tmp_path / "started"
    nbs = notebooks(tmp_path / "nb", **{"01_quick": QUICK, "02_slow": SLOW})
    env = dict(os.environ, RHETORIC_QUIET="1", RHETORIC_TEST_MARKER=str(marker), RHETORIC_TEST_SLEEP="300")
    proc = subprocess.Popen([RHETORIC, "report", "--corpus", str(small_corpus), "--notebooks", str(nbs),
                             "--out", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        for _ in range(1200):  # the slow notebook has started: figures of 01_quick are in the build folder
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.25)
        assert marker.exists(), proc.communicate(timeout=30)
        assert leftovers(out), "the build should be happening in a temporary folder inside the report folder"
        for pid in [proc.pid] + _descendants(proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    finally:
        proc.wait(timeout=60)
        proc.stdout.close()
        proc.stderr.close()
    assert tree(out) == before
    # the next run clears the stale build folder and succeeds
    assert leftovers(out)
    build_report(corpus_dir=small_corpus, out_dir=out, notebooks=[nbs / "01_quick.ipynb"], progress=False)
    assert leftovers(out) == []
    assert (out / "benchmarks" / "benchmark.csv").exists()


def test_sigterm_cleans_up_its_build_folder(tmp_path, out, small_corpus):
    before = tree(out)
    marker = tmp_path / "started"
    nbs = notebooks(tmp_path / "nb", **{"01_slow": SLOW})
    env = dict(os.environ, RHETORIC_QUIET="1", RHETORIC_TEST_MARKER=str(marker), RHETORIC_TEST_SLEEP="300")
    proc = subprocess.Popen([RHETORIC, "report", "--corpus", str(small_corpus), "--notebooks", str(nbs),
                             "--out", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    for _ in range(1200):
        if marker.exists() or proc.poll() is not None:
            break
        time.sleep(0.25)
    assert marker.exists()
    proc.terminate()
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 143, stderr  # 128 + SIGTERM, as a shell reports it
    assert "interrupted" in stderr
    assert "Traceback" not in stderr and "asyncio" not in stderr, stderr
    assert tree(out) == before
    assert leftovers(out) == []


def test_a_run_waits_for_the_lock_then_finishes(tmp_path, out, small_corpus):
    nbs = notebooks(tmp_path / "nb", **{"01_quick": QUICK})
    lock = FileLock(str(out / LOCK))
    before = tree(out)
    logs = [tmp_path / "stderr.txt"]
    procs = []
    with lock:  # as if another build were running
        for log in logs:
            with open(log, "w") as handle:
                procs.append(subprocess.Popen(
                    [RHETORIC, "report", "--corpus", str(small_corpus), "--notebooks", str(nbs), "--out", str(out)],
                    env=dict(os.environ, RHETORIC_QUIET="1"), stdout=subprocess.DEVNULL, stderr=handle))
        for _ in range(1200):  # the run reaches the lock and says it waits
            if all("waiting for it to finish" in log.read_text() for log in logs):
                break
            assert all(p.poll() is None for p in procs), [log.read_text() for log in logs]
            time.sleep(0.25)
        assert all("waiting for it to finish" in log.read_text() for log in logs)
        assert leftovers(out) == [] and tree(out) == before  # nothing built while the lock is held
    for p in procs:
        p.wait(timeout=600)
    assert [p.returncode for p in procs] == [0], [log.read_text() for log in logs]
    assert leftovers(out) == []
    for target in local_links(out / "index.html"):
        assert (out / target).exists(), target
    assert (out / "benchmarks" / "benchmark.csv").exists()


def test_two_concurrent_runs_both_finish_and_tables_match_one_run(tmp_path, out, small_corpus, previous):
    nbs = notebooks(tmp_path / "nb", **{"01_quick": QUICK})
    env = dict(os.environ, RHETORIC_QUIET="1")
    procs = [subprocess.Popen([RHETORIC, "report", "--corpus", str(small_corpus), "--notebooks", str(nbs),
                               "--out", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert leftovers(out) == []
    for target in local_links(out / "index.html"):
        assert (out / target).exists(), target
    now = tree(out)
    then = tree(previous)
    for name in ("tables/openings.csv", "tables/openings.json", "figures/docs.csv", "figures/docs.png",
                 "figures/docs.svg"):
        assert now[name] == then[name], name


def test_a_folder_that_is_not_a_report_is_never_replaced(tmp_path, small_corpus):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.docx").write_text("years of work")
    nbs = notebooks(tmp_path / "nb", **{"01_quick": QUICK})
    with pytest.raises(ReportError, match="not a report folder.*thesis.docx"):
        build_report(corpus_dir=small_corpus, out_dir=folder, notebooks=nbs, progress=False)
    assert (folder / "thesis.docx").read_text() == "years of work"
    assert leftovers(folder) == []


def test_bad_inputs_fail_before_any_notebook_runs(tmp_path, small_corpus):
    with pytest.raises(ReportError, match="no notebooks named like"):
        build_report(corpus_dir=small_corpus, out_dir=tmp_path / "r", notebooks=tmp_path)
    with pytest.raises(ReportError, match="not found"):
        build_report(corpus_dir=small_corpus, out_dir=tmp_path / "r", notebooks=[tmp_path / "missing.ipynb"])
    from rhetoric.errors import CorpusError
    with pytest.raises(CorpusError):
        build_report(corpus_dir=tmp_path / "nowhere", out_dir=tmp_path / "r",
                     notebooks=notebooks(tmp_path / "nb", **{"01_quick": QUICK}))
    assert not (tmp_path / "r").exists()


def test_rebuild_keeps_a_users_files_and_refuses_a_folder_of_dot_files(tmp_path, out, small_corpus):
    """Issue 14, item 1: `--out X` deleted X/.git and X/.env; a rebuild dropped the user's dot-files."""
    for rel, text in {".git/HEAD": "ref: refs/heads/main", ".env": "TOKEN=1", "figures/mine.svg": "<svg/>"}.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    nbs = notebooks(tmp_path / "nb", **{"01_quick": QUICK})
    result = run_cli("--corpus", small_corpus, "--notebooks", nbs, "--out", out)
    assert result.returncode == 0, result.stderr
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/main"
    assert (out / ".env").read_text() == "TOKEN=1"
    assert (out / "figures" / "mine.svg").read_text() == "<svg/>"
    assert (out / MANIFEST).is_file() and leftovers(out) == []
    dots = tmp_path / "dots"
    (dots / ".git").mkdir(parents=True)
    (dots / ".git" / "HEAD").write_text("ref")
    (dots / ".env").write_text("TOKEN=1")
    result = run_cli("--corpus", small_corpus, "--notebooks", nbs, "--out", dots)
    assert result.returncode == 2
    assert "not a report folder" in result.stderr and "Choose another folder with --out" in result.stderr
    assert sorted(p.name for p in dots.iterdir()) == [".env", ".git"]
    assert (dots / ".git" / "HEAD").read_text() == "ref"


def test_an_out_folder_that_cannot_be_written_or_locked_fails_at_once(tmp_path, out, small_corpus):
    nbs = notebooks(tmp_path / "nb", **{"01_quick": QUICK})
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run_cli("--corpus", small_corpus, "--notebooks", nbs, "--out", blocker / "reports")
    assert result.returncode == 2
    assert "cannot write into --out" in result.stderr and "Traceback" not in result.stderr
    lock = out / LOCK
    lock.unlink(missing_ok=True)
    lock.mkdir()  # a lock that cannot be opened: no waiting for a lock nobody holds
    start = time.monotonic()
    result = run_cli("--corpus", small_corpus, "--notebooks", nbs, "--out", out, "--lock-timeout", "3600")
    assert result.returncode == 2 and time.monotonic() - start < 60
    assert "cannot write into --out" in result.stderr


def test_project_notebooks_on_a_small_corpus(planted_report):
    """Every project notebook runs on a small corpus made here; its pages escape the planted markup."""
    out = planted_report.parent
    page = planted_report.read_text(encoding="utf-8")
    for target in local_links(planted_report):
        assert (out / target).exists(), target
    project = sorted(p.stem for p in config.NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert sorted(p.stem for p in (out / "notebooks").glob("*.html")) == project
    assert "<script" not in page and "<img src=x" not in page
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page  # title, in the tables
    for html_page in (out / "notebooks").glob("*.html"):
        text = html_page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text and "<script>document.title" not in text, html_page.name
        assert "<img src=x" not in text and "<b>bold" not in text, html_page.name
    assert PLANTED_TITLE not in page and PLANTED_TEXT not in page
    # nothing machine-specific in the data files
    for path in list((out / "tables").iterdir()) + list((out / "figures").glob("*.[cj]s*")):
        text = path.read_text(encoding="utf-8")
        assert str(out.parent) not in text and str(config.PROJECT_ROOT) not in text, path.name


def test_tables_are_identical_across_two_runs(planted_report, tmp_path):
    """A second full build on the same corpus gives byte-identical tables and figure data."""
    out = planted_report.parent
    corpus = out.parent / "corpus"
    again = build_report(corpus_dir=corpus, out_dir=tmp_path / "reports", progress=False).parent
    first, second = tree(out), tree(again)
    data = [k for k in first if k.startswith(("tables/", "figures/")) and not k.endswith((".png", ".svg"))]
    assert data and {k: first[k] for k in data} == {k: second.get(k) for k in data}
    assert sorted(k for k in first if k.startswith("figures/")) == sorted(k for k in second if k.startswith("figures/"))
