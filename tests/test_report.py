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
    """Relative path -> sha256 of every file under ``folder``, except a build's temporary folders and its cache."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).parts[0].startswith((".rhetoric-building-",
                                                                              ".rhetoric-previous-",
                                                                              ".rhetoric-cache"))}


def leftovers(out: Path) -> list[str]:
    """Temporary folders of a build inside the report folder (and, as earlier versions made them, beside it)."""
    inside = [p.name for p in out.glob(".rhetoric-*") if p.is_dir() and p.name != ".rhetoric-cache"]
    beside = [p.name for p in out.parent.glob(f".{out.name}.*")]
    return sorted(inside + beside)


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def local_links(index: Path) -> list[str]:
    targets = re.findall(r'(?:href|src)="([^"#:]+)"', index.read_text(encoding="utf-8"))
    return [t for t in targets if not t.startswith(("http", "data"))]


def site_pages(out: Path) -> list[Path]:
    """The report's own pages (the site, the executed notebooks), not the benchmarks a user keeps there."""
    return sorted(p for p in out.rglob("*.html") if p.relative_to(out).parts[0] not in ("benchmarks",)
                  and not p.relative_to(out).parts[0].startswith("."))


def broken_links(out: Path) -> list[str]:
    """Local links of every page of the site whose target does not exist."""
    broken = []
    for page in site_pages(out):
        if page.parent.name == "notebooks":
            continue  # the notebooks' own links (documentation) are theirs
        broken += [f"{page.relative_to(out)} -> {target}" for target in local_links(page)
                   if not (page.parent / target).exists()]
    return broken


def scripts_not_shipped(page: Path) -> list[str]:
    """<script> elements of a page that are inline, or load anything but the report's own files."""
    found = re.findall(r"<script\b([^>]*)>(.*?)</script>", page.read_text(encoding="utf-8"), flags=re.S | re.I)
    bad = []
    for attributes, body in found:
        src = re.search(r'src="([^"]*)"', attributes)
        typed = re.search(r'type="([^"]*)"', attributes)
        if typed and typed.group(1) not in ("text/javascript", "module"):
            continue  # a data block (application/json ...) runs nothing
        if not src or body.strip() or ":" in src.group(1) or not (page.parent / src.group(1)).is_file():
            bad.append(f"<script{attributes}>{body[:40]}")
    return bad


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
    assert previous.stat().st_mode & 0o777 == 0o777 & ~umask()  # readable like any folder, not private
    assert broken_links(previous) == []
    assert {"figures/docs.png", "figures/docs.svg", "figures/docs.csv", "figures/docs.json",
            "tables/openings.csv", "notebooks/01_quick.html", "provenance.json", "index.html", "explorer.html",
            "figures.html", "provenance.html", "all.html", "pages/01_quick.html", "explorer/data.json",
            "explorer/data.js", "assets/vendor/datatables.js", "assets/vendor/vega.js"} <= set(tree(previous))
    for page in site_pages(previous):
        assert scripts_not_shipped(page) == [], page.name
        text = page.read_text(encoding="utf-8")
        assert "<img src=x" not in text and "<b>bold</b>" not in text, page.name
    # planted markup from the title (caption, alt text, table) and from the text is escaped where they are shown
    for name in ("all.html", "pages/01_quick.html"):
        page = (previous / name).read_text(encoding="utf-8")
        assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt;" in page, name
    page = (previous / "figures.html").read_text(encoding="utf-8")
    assert "Documents; last title: &lt;script&gt;document.title=&#39;pwned&#39;" in page
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


def kernels_below(pid: int) -> list[int]:
    """Process ids of the Jupyter kernels started (directly or not) by process ``pid``."""
    kernels = []
    for child in _descendants(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in command:
            kernels.append(child)
    return kernels


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists() or (os.cpu_count() or 1) < 2,
                    reason="needs /proc and two cores (notebooks run in worker processes)")
def test_sigterm_while_two_notebooks_run_in_workers_stops_their_kernels(tmp_path, out, small_corpus):
    before = tree(out)
    marker = tmp_path / "started"
    nbs = notebooks(tmp_path / "nb", **{"01_slow": SLOW, "02_slow": SLOW})
    env = dict(os.environ, RHETORIC_QUIET="1", RHETORIC_TEST_MARKER=str(marker), RHETORIC_TEST_SLEEP="300")
    proc = subprocess.Popen([RHETORIC, "report", "--corpus", str(small_corpus), "--notebooks", str(nbs),
                             "--out", str(out), "--jobs", "2", "--no-cache"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    for _ in range(1200):
        if marker.exists() or proc.poll() is not None:
            break
        time.sleep(0.25)
    assert marker.exists()
    kernels = []
    for _ in range(200):  # both notebooks run, each in its kernel, below the worker processes
        kernels = kernels_below(proc.pid)
        if len(kernels) == 2:
            break
        time.sleep(0.25)
    assert len(kernels) == 2
    proc.terminate()
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 143, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr, stderr
    assert tree(out) == before
    assert leftovers(out) == []
    for _ in range(40):  # the kernels were shut down, not orphaned
        if not any(alive(k) for k in kernels):
            break
        time.sleep(0.25)
    assert [k for k in kernels if alive(k)] == []


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
    assert broken_links(out) == []
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
    assert broken_links(out) == []
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
    assert broken_links(out) == []
    project = sorted(p.stem for p in config.NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert sorted(p.stem for p in (out / "notebooks").glob("*.html")) == project
    assert sorted(p.stem for p in (out / "pages").glob("*.html")) == project
    page = (out / "all.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page  # title, in the tables
    for html_page in site_pages(out):
        text = html_page.read_text(encoding="utf-8")
        assert scripts_not_shipped(html_page) == [], html_page.name
        if html_page.parent.name == "notebooks":
            assert "<script" not in text, html_page.name  # the executed notebooks run no script at all
        assert "<script>alert(1)" not in text and "<script>document.title" not in text, html_page.name
        assert "<img src=x" not in text and "<b>bold" not in text, html_page.name
        assert PLANTED_TITLE not in text and PLANTED_TEXT not in text, html_page.name
    # the explorer's data carry the planted text as data, to be shown as text
    data = json.loads((out / "explorer" / "data.json").read_text(encoding="utf-8"))
    assert any(PLANTED_TEXT in d["text"] for d in data["documents"])
    # nothing machine-specific in the data files
    for path in list((out / "tables").iterdir()) + list((out / "figures").glob("*.[cj]s*")):
        text = path.read_text(encoding="utf-8")
        assert str(out.parent) not in text and str(config.PROJECT_ROOT) not in text, path.name


def test_a_second_build_without_the_cache_is_byte_identical(planted_report, tmp_path):
    """A second full build on the same corpus, every notebook run again, gives the same bytes: tables, figure data,
    every page of the site, the Explorer's data, the shipped scripts, the provenance."""
    out = planted_report.parent
    corpus = out.parent / "corpus"
    again = build_report(corpus_dir=corpus, out_dir=tmp_path / "reports", progress=False, cache=False).parent
    first, second = tree(out), tree(again)
    assert sorted(first) == sorted(second)
    compared = [k for k in first if not k.endswith((".png", ".svg"))]
    assert {"index.html", "explorer.html", "explorer/data.json", "pages/04_formulas.html", "all.html",
            "notebooks/04_formulas.html", "assets/vendor/vega.js", "provenance.json"} <= set(compared)
    assert {k: first[k] for k in compared} == {k: second[k] for k in compared}


QUICK_COUNTED = QUICK + ["marker = os.environ.get('RHETORIC_TEST_MARKER')\n"
                         "if marker:\n"
                         "    open(marker, 'a').write(Path(output_dir).name + '\\n')"]


def test_unchanged_notebooks_are_not_run_again(tmp_path, small_corpus, monkeypatch):
    """The second build reuses the first one's outputs (same bytes); a changed notebook, a changed corpus or
    cache=False runs again."""
    marker = tmp_path / "runs.txt"
    monkeypatch.setenv("RHETORIC_TEST_MARKER", str(marker))
    nbs = notebooks(tmp_path / "nb", **{"01_quick": QUICK_COUNTED, "02_other": QUICK_COUNTED[:1] + [
        "save_table(docs[['doc_id']], 'ids', out_dir=out / 'tables')"] + QUICK_COUNTED[-1:]})
    out = tmp_path / "reports"

    def build(**kwargs):
        build_report(corpus_dir=small_corpus, out_dir=out, notebooks=nbs, progress=False, **kwargs)
        return tree(out)

    first = build()
    assert sorted(marker.read_text().split()) == ["01_quick", "02_other"]
    assert build() == first and len(marker.read_text().split()) == 2  # nothing ran, the same bytes
    assert MANIFEST and ".rhetoric-cache" not in json.dumps(json.loads((out / MANIFEST).read_text()))
    write_notebook(nbs / "02_other.ipynb", QUICK_COUNTED[:1] + ["save_table(docs[['doc_id', 'date']], 'ids', "
                                                                "out_dir=out / 'tables')"] + QUICK_COUNTED[-1:])
    changed = build()
    assert marker.read_text().split()[2:] == ["02_other"]  # only the changed notebook ran
    assert changed["tables/ids.csv"] != first["tables/ids.csv"]
    assert changed["tables/openings.csv"] == first["tables/openings.csv"]
    build(cache=False)
    assert sorted(marker.read_text().split()[3:]) == ["01_quick", "02_other"]
    raw = next((small_corpus / "raw").glob("cgtn*.txt"))
    text = raw.read_text(encoding="utf-8")
    try:  # a corpus text that changes (its checksum in corpus.csv with it) runs every notebook again
        replace_text(small_corpus, raw, text + "\nOne more sentence.\n")
        build()
        assert sorted(marker.read_text().split()[5:]) == ["01_quick", "02_other"]
    finally:
        replace_text(small_corpus, raw, text)


def replace_text(corpus: Path, raw: Path, text: str) -> None:
    import csv

    raw.write_text(text, encoding="utf-8")
    with open(corpus / "corpus.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row["file"] == f"raw/{raw.name}":
            row["sha256"] = hashlib.sha256(raw.read_bytes()).hexdigest()
    with open(corpus / "corpus.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="runs notebooks two at a time: needs two cores")
def test_progress_names_every_step_and_notebooks_run_two_at_a_time(tmp_path, small_corpus):
    nbs = notebooks(tmp_path / "nb", **{"01_quick": QUICK, "02_slow": SLOW})
    env = {k: v for k, v in os.environ.items() if k != "RHETORIC_QUIET"}
    result = subprocess.run([RHETORIC, "report", "--corpus", str(small_corpus), "--notebooks", str(nbs),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for expected in ("report: running 2 notebooks, 2 at a time", "report: [1/2] ", "report: [2/2] ",
                     "report: Explorer data: ", "report: scripts copied: ", "report: pages written: "):
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    again = subprocess.run([RHETORIC, "report", "--corpus", str(small_corpus), "--notebooks", str(nbs),
                            "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert "report: 2 of 2 notebooks unchanged since the last build: their outputs are reused (nothing to run)" \
        in again.stderr.splitlines()
    bad = subprocess.run([RHETORIC, "report", "--jobs", "0", "--out", str(tmp_path / "x")], capture_output=True,
                         text=True, env=env)
    assert bad.returncode == 2 and "--jobs" in bad.stderr
