"""Notebooks: committed without outputs, with a parameters cell, and every one runs on the project corpus."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess

import nbformat
import pytest

from rhetoric import config
from rhetoric.report.build import NOTEBOOK_PATTERN, build_report


def committed_notebooks() -> list:
    """Notebooks tracked by git (all of notebooks/ when git is unavailable)."""
    try:
        listed = subprocess.run(["git", "ls-files", "--", "notebooks"], cwd=config.PROJECT_ROOT,
                                capture_output=True, text=True, check=True).stdout.split("\n")
        paths = [config.PROJECT_ROOT / p for p in listed if p.endswith(".ipynb")]
    except (OSError, subprocess.CalledProcessError):
        paths = sorted(config.NOTEBOOK_DIR.rglob("*.ipynb"))
    return [p for p in paths if p.exists() and ".ipynb_checkpoints" not in p.parts]


REPORT_NOTEBOOKS = sorted(config.NOTEBOOK_DIR.glob(NOTEBOOK_PATTERN))


def test_the_report_has_notebooks():
    assert REPORT_NOTEBOOKS, f"no {NOTEBOOK_PATTERN} in {config.NOTEBOOK_DIR}"
    assert REPORT_NOTEBOOKS[0].name == "01_corpus.ipynb"


@pytest.mark.parametrize("path", committed_notebooks(), ids=lambda p: p.relative_to(config.NOTEBOOK_DIR).as_posix())
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i + 1 for i, cell in enumerate(nb.cells)
             if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, (f"{path.name}: cells {dirty} have outputs or execution counts; clear them "
                       "(jupyter nbconvert --clear-output --inplace) before committing.")


@pytest.mark.parametrize("path", REPORT_NOTEBOOKS, ids=lambda p: p.name)
def test_report_notebooks_have_a_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [cell for cell in nb.cells if "parameters" in cell.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: tag exactly one code cell 'parameters' (has {len(tagged)})"
    source = tagged[0].source
    for name in ("corpus_dir", "output_dir"):
        assert re.search(rf"^{name}\s*=", source, re.M), f"{path.name}: the parameters cell must set {name}"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), \
        f"{path.name}: open with a markdown title (# ...) and the notebook's question"


def _code(nb) -> list[tuple[int, "ast.Module"]]:
    """The parsed code cells of a notebook (IPython magics and shell lines left out)."""
    cells = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            cells.append((i + 1, ast.parse(source)))
    return cells


@pytest.mark.parametrize("path", committed_notebooks(), ids=lambda p: p.relative_to(config.NOTEBOOK_DIR).as_posix())
def test_notebook_imports_name_what_the_package_has(path):
    """Every `from rhetoric... import name` of a notebook names a module and a name that exist (no stale paths)."""
    missing = []
    for number, tree in _code(nbformat.read(path, as_version=4)):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "rhetoric" for a in node.names):
                missing.append(f"cell {number}: write `from rhetoric.<module> import <name>`, not `import rhetoric`")
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "rhetoric":
                try:
                    module = importlib.import_module(node.module)
                except ImportError:
                    missing.append(f"cell {number}: no module {node.module}")
                    continue
                missing += [f"cell {number}: {node.module} has no {a.name}" for a in node.names
                            if a.name == "*" or not hasattr(module, a.name)]
    assert not missing, f"{path.name}: " + "; ".join(missing)


@pytest.mark.parametrize("path", REPORT_NOTEBOOKS, ids=lambda p: p.name)
def test_report_notebooks_are_thin(path):
    """Report notebooks call and narrate: no function, class or lambda is defined in them."""
    defined = [f"cell {number}, line {node.lineno}" for number, tree in _code(nbformat.read(path, as_version=4))
               for node in ast.walk(tree)
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
    assert not defined, f"{path.name} defines code at {', '.join(defined)}; move it into the package."


@pytest.fixture(scope="module")
def project_report(tmp_path_factory):
    """Every report notebook executed on the project corpus (one `rhetoric report` into a temporary folder)."""
    base = tmp_path_factory.mktemp("project-report")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RHETORIC_CACHE_DIR", str(base / "token-cache"))
        return build_report(out_dir=base / "reports", progress=False).parent


@pytest.mark.slow
def test_every_notebook_executes_on_the_project_corpus(project_report):
    pages = sorted(p.stem for p in (project_report / "notebooks").glob("*.html"))
    assert pages == [p.stem for p in REPORT_NOTEBOOKS]
    assert list((project_report / "figures").glob("*.png")) and list((project_report / "tables").glob("*.csv"))


def report_is_committed() -> bool:
    """Whether git tracks tables of reports/ (else whether reports/tables exists)."""
    try:
        return bool(subprocess.run(["git", "ls-files", "--", "reports/tables"], cwd=config.PROJECT_ROOT,
                                   capture_output=True, text=True, check=True).stdout.split())
    except (OSError, subprocess.CalledProcessError):
        return (config.REPORTS_DIR / "tables").is_dir()


@pytest.mark.slow
@pytest.mark.skipif(not report_is_committed(), reason="no committed report yet: run `make report`, commit reports/")
def test_committed_report_is_in_step_with_the_code(project_report):
    """The committed reports/ holds the tables and figure data a fresh run produces."""
    committed = config.REPORTS_DIR
    def data_files(root):
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for sub in ("tables", "figures") for p in sorted((root / sub).glob("*"))
                if p.suffix in (".csv", ".json")}
    fresh, old = data_files(project_report), data_files(committed)
    assert sorted(fresh) == sorted(old), "files differ; run `make report` and commit reports/"
    stale = [name for name in fresh if fresh[name] != old[name]]
    assert not stale, f"out of step with the code: {stale}; run `make report` and commit reports/"


# --- the narrative is computed, and an interactive run never touches reports/ -------------------------------------

_REFERENCES = re.compile(r"\*\*References\.\*\*.*?(?:\n\n|$)", re.S)
_CODE_SPAN = re.compile(r"`[^`]*`")
_CORPUS_COUNT = re.compile(r"\b(?:three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:texts?|documents?|years?)\b",
                           re.I)


@pytest.mark.parametrize("path", REPORT_NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_states_no_fact_of_the_corpus(path, project_docs):
    """Years, periods, document ids and counts of texts come from the data (computed Markdown), never typed:
    a markdown cell naming "2024" or "five documents" would stay when a sixth text is added."""
    facts = {str(v) for v in set(project_docs["year"]) | set(project_docs["period"])} | set(project_docs["doc_id"])
    found = []
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
        if cell.cell_type != "markdown":
            continue
        text = _CODE_SPAN.sub("", _REFERENCES.sub("", cell.source))
        found += [f"cell {number}: {m.group(0)!r}" for fact in facts
                  for m in re.finditer(rf"(?<![\w-]){re.escape(fact)}(?![\w-])", text)]
        found += [f"cell {number}: {m.group(0)!r}" for m in _CORPUS_COUNT.finditer(text)]
    assert not found, f"{path.name}: typed facts of the corpus in markdown ({'; '.join(found)}); compute them"


@pytest.mark.parametrize("path", [p for p in REPORT_NOTEBOOKS if p.name[:2] in {"01", "02", "03", "04", "05", "06"}],
                         ids=lambda p: p.name)
def test_findings_are_computed_and_the_default_output_is_a_scratch_folder(path):
    nb = nbformat.read(path, as_version=4)
    parameters = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert re.search(r"^output_dir = None\b", parameters.source, re.M), \
        f"{path.name}: output_dir must default to None (a scratch folder), so an interactive run leaves reports/ alone"
    setup = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert 'Path(tempfile.gettempdir()) / "rhetoric-notebooks"' in setup and "../reports" not in setup
    titles = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "What we found" in c.source]
    assert titles, f"{path.name}: no 'What we found' section"
    after = nb.cells[titles[0] + 1]
    assert after.cell_type == "code" and "display(Markdown(" in after.source and \
        "narrative" in after.metadata.get("tags", []), f"{path.name}: the findings must be computed Markdown"


@pytest.mark.slow
def test_an_interactive_run_writes_into_the_scratch_folder_not_into_reports(tmp_path):
    """Notebook 1 run top to bottom with its defaults (as in Jupyter) leaves every file of reports/ as it was."""
    import hashlib
    import os

    import papermill

    def snapshot():
        return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(config.REPORTS_DIR.rglob("*"))
                if p.is_file()} if config.REPORTS_DIR.is_dir() else {}

    before = snapshot()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", str(scratch))          # the kernel's tempfile.gettempdir()
        patch.setenv("RHETORIC_CACHE_DIR", str(tmp_path / "cache"))
        papermill.execute_notebook(str(config.NOTEBOOK_DIR / "01_corpus.ipynb"), str(tmp_path / "out.ipynb"),
                                   cwd=str(config.NOTEBOOK_DIR), progress_bar=False, kernel_name="python3")
    assert snapshot() == before
    written = sorted(p.name for p in (scratch / "rhetoric-notebooks" / "figures").glob("*.png"))
    assert written == ["01_doc_lengths.png", "01_documents_per_group.png"]
    assert os.path.isfile(scratch / "rhetoric-notebooks" / "tables" / "01_corpus_summary.csv")
