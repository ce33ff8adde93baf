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
