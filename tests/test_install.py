"""The package works when installed from a wheel, outside a checkout: it finds its data or says what to pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rhetoric import config

pytestmark = pytest.mark.slow

SCRIPT = """
import rhetoric, rhetoric.config as c
assert c.PROJECT_ROOT is None, c.PROJECT_ROOT
assert c.DATA_DIR.is_dir() and "site" in str(c.DATA_DIR)
docs = rhetoric.load_corpus()
tokens = rhetoric.tokenize(docs)
hits = rhetoric.formula_hits(tokens, docs)
print(len(docs), tokens.n_tokens, len(hits), len(rhetoric.kwic(tokens, docs, "win win")))
"""


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory):
    """The project built as a wheel and installed (without dependencies) into a folder of its own."""
    base = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"),
                            str(config.PROJECT_ROOT)], capture_output=True, text=True)
    if build.returncode != 0 and "No matching distribution" in build.stderr + build.stdout:
        pytest.skip("no package index to fetch the build backend from")
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((base / "dist").glob("diplomatic_rhetoric-*.whl"))
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                              str(base / "site"), str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    return base / "site"


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "RHETORIC_PROJECT"}
    env.update(PYTHONPATH=str(site), RHETORIC_CACHE_DIR=str(cwd / "cache"))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_installed_wheel_finds_the_bundled_corpus_lexicons_and_word_lists(wheel_site, tmp_path, project_docs,
                                                                           project_tokens):
    result = _run(wheel_site, tmp_path, "-c", SCRIPT)
    assert result.returncode == 0, result.stderr
    n_docs, n_tokens, n_hits, n_win = map(int, result.stdout.split())
    # the same numbers as from the checkout
    from rhetoric.formulas.counts import formula_hits
    from rhetoric.stats.kwic import kwic
    assert (n_docs, n_tokens) == (len(project_docs), project_tokens.n_tokens)
    assert n_hits == len(formula_hits(project_tokens, project_docs))
    assert n_win == len(kwic(project_tokens, project_docs, "win win")) == 4


def test_installed_command_line_runs_and_asks_for_notebooks_it_does_not_have(wheel_site, tmp_path):
    cli = "import sys; from rhetoric.cli import main; sys.exit(main(sys.argv[1:]))"
    result = _run(wheel_site, tmp_path, "-c", cli, "freq", "win-win", "--by", "corpus", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("corpus,win-win,4,")
    result = _run(wheel_site, tmp_path, "-c", cli, "report", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "pass --notebooks DIR" in result.stderr and "Traceback" not in result.stderr
