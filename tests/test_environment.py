"""The dependency lists agree: pyproject.toml, environment.yml and the pins in constraints.txt."""

from __future__ import annotations

import re
import tomllib

import yaml

from rhetoric import config

ROOT = config.PROJECT_ROOT
IGNORED = {"python", "pip"}


def normalise(name: str) -> str:
    """PEP 503 form of a requirement's name: lower case, runs of -_. as one '-'; no version or extras."""
    bare = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", name).group(1)
    return re.sub(r"[-_.]+", "-", bare).lower()


def pyproject_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return {normalise(n) for n in names}


def environment_names() -> set[str]:
    spec = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    names = {normalise(d) for d in spec["dependencies"] if isinstance(d, str)}
    pip = [d for d in spec["dependencies"] if isinstance(d, dict)]
    names |= {normalise(d) for d in (pip[0]["pip"] if pip else []) if not d.startswith("-")}  # from PyPI
    return names - IGNORED


def constraint_names() -> set[str]:
    pins = set()
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            assert "==" in line, f"constraints.txt: '{line}' is not pinned with =="
            pins.add(normalise(line))
    return pins


def test_normalise():
    assert normalise("scikit-learn>=1.4") == normalise("Scikit_Learn") == "scikit-learn"
    assert normalise("PyYAML==6.0.3") == "pyyaml" and normalise("jinja2 ; python_version>'3'") == "jinja2"
    assert normalise("charset.normalizer") == "charset-normalizer"


def test_pyproject_and_environment_yml_list_the_same_packages():
    ours, conda = pyproject_names(), environment_names()
    assert ours == conda, f"only in pyproject.toml: {sorted(ours - conda)}; only in environment.yml: {sorted(conda - ours)}"
    assert {"jupyter", "pandas", "scikit-learn", "matplotlib", "wordcloud", "pytest", "hypothesis"} <= ours


def test_environment_yml_installs_the_project_with_the_pins():
    spec = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = [d for d in spec["dependencies"] if isinstance(d, dict)]
    assert pip and {"-c constraints.txt", "-e ."} <= set(pip[0]["pip"])
    assert any(isinstance(d, str) and normalise(d) == "python" for d in spec["dependencies"])


def test_every_dependency_is_pinned_in_constraints():
    missing = pyproject_names() - constraint_names()
    assert not missing, f"not pinned in constraints.txt (run `make lock`): {sorted(missing)}"


IMPORT_NAMES = {"scikit-learn": "sklearn", "pyyaml": "yaml", "jinja2": "jinja2", "ipython": "IPython",
                "vl-convert-python": "vl_convert"}
"""Distribution name -> the module it provides, where they differ."""
USED_WITHOUT_IMPORT = {
    "jupyter": "the notebooks' environment (required by the brief)",
    "ipykernel": "the kernel papermill runs the notebooks in",
    "nbclient": "papermill's execution engine",
    "itables": "the report site reads the DataTables bundle it ships (importlib.resources, no import statement)",
}


def test_every_core_dependency_is_imported_and_every_import_is_declared():
    """A declared package nobody imports (charset-normalizer was) goes; an imported one must be declared."""
    import sys

    import ast

    imported = set()
    for path in (ROOT / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {normalise(n) for n in project["dependencies"]}
    for name in sorted(core - set(USED_WITHOUT_IMPORT)):
        module = IMPORT_NAMES.get(name, name.replace("-", "_"))
        assert module in imported, f"{name} is a core dependency but src/ never imports {module}"
    third_party = imported - set(sys.stdlib_module_names) - {"rhetoric", "__future__"}
    provided = {IMPORT_NAMES.get(n, n.replace("-", "_")) for n in core} | {"numpy", "scipy", "pandas"}
    assert third_party <= provided, f"src/ imports undeclared packages: {sorted(third_party - provided)}"
    assert "nltk" not in imported, "nltk is for the benchmark and tests only (dev extra)"
