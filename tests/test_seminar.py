"""The seminar kit (notebooks/seminar/): notebooks run, are committed clean, links resolve, the glossary is complete.

Executing the twelve notebooks (six student notebooks, six solutions) takes a few minutes; they are
started together in a small thread pool when the first execution test asks for them, each in its own
kernel (``python3``), with the notebook's folder as the working directory, on the project corpus.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from rhetoric import config

SEMINAR = config.NOTEBOOK_DIR / "seminar"
SOLUTIONS = SEMINAR / "solutions"
SESSIONS = ("session1_corpus", "session2_frequencies_kwic", "session3_tfidf", "session4_keyness",
            "session5_formulas_translation", "session6_framing")
STUDENT = [SEMINAR / f"{s}.ipynb" for s in SESSIONS]
SOLVED = [SOLUTIONS / f"{s}_solutions.ipynb" for s in SESSIONS]
ALL_NOTEBOOKS = STUDENT + SOLVED
GUIDES = [SEMINAR / "README.md", SEMINAR / "glossary.md", SEMINAR / "adding_texts.md"]
NOT_DONE = "not done yet"


def _ids(paths):
    return [p.relative_to(SEMINAR).as_posix() for p in paths]


def _read(path: Path):
    return nbformat.read(path, as_version=4)


# --- committed state -------------------------------------------------------------------------------

def test_every_session_has_a_student_notebook_and_solutions():
    missing = [p.relative_to(SEMINAR).as_posix() for p in ALL_NOTEBOOKS if not p.is_file()]
    assert not missing, f"missing notebooks: {missing}"
    extra = sorted({p.name for p in SEMINAR.glob("*.ipynb")} - {p.name for p in STUDENT})
    assert not extra, f"notebooks not listed in SESSIONS (add them to the test and the guide): {extra}"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_notebook_committed_without_outputs(path):
    nb = _read(path)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them (Jupyter: Edit > Clear Outputs of All Cells)"
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_notebook_has_a_parameters_cell(path):
    cells = [c for c in _read(path).cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{path.name}: expected one cell tagged 'parameters', found {len(cells)}"
    assert cells[0].cell_type == "code"
    assert re.search(r"^corpus_dir = None\b", cells[0].source, re.M), "the parameters cell must set corpus_dir = None"


@pytest.mark.parametrize("session", SESSIONS)
def test_solutions_mirror_the_student_notebook(session):
    """Same cells in the same order; every exercise cell has its solution cell, and nothing else differs."""
    student = _read(SEMINAR / f"{session}.ipynb").cells
    solved = _read(SOLUTIONS / f"{session}_solutions.ipynb").cells
    assert len(student) == len(solved)
    exercises = 0
    for s, t in zip(student, solved):
        assert s.cell_type == t.cell_type
        if "exercise" in s.metadata.get("tags", []):
            exercises += 1
            assert "solution" in t.metadata.get("tags", [])
            if s.cell_type == "code":
                assert "# your code here" in s.source
                assert "# your code here" not in t.source
        elif s.cell_type == "code":
            assert s.source == t.source, f"{session}: a non-exercise code cell differs from its solution"
    assert exercises >= 4, f"{session}: only {exercises} exercise cells"
    headings = [c.source for c in student if c.cell_type == "markdown" and re.search(r"^#+ Exercise \d", c.source, re.M)]
    assert len(headings) >= 3
    assert any("Open question" in c.source or "Final discussion" in c.source
               for c in student if c.cell_type == "markdown")


# --- links -----------------------------------------------------------------------------------------

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    if path.suffix != ".md":
        return set()
    return {_slug(m.group(1)) for m in re.finditer(r"^#+\s+(.*)$", path.read_text(encoding="utf-8"), re.M)}


def _check_links(text: str, base: Path, where: str) -> list[str]:
    broken = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target):   # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        path = (base / file_part).resolve() if file_part else None
        if path is not None and not path.exists():
            broken.append(f"{where}: {target} (no such file)")
        elif anchor:
            anchor_file = path or None
            if anchor_file is not None and anchor_file.suffix == ".md" and anchor not in _anchors(anchor_file):
                broken.append(f"{where}: {target} (no heading with that anchor)")
    return broken


@pytest.mark.parametrize("path", GUIDES, ids=[p.name for p in GUIDES])
def test_relative_links_in_guides_point_at_files(path):
    text = path.read_text(encoding="utf-8")
    broken = _check_links(text, path.parent, path.name)
    # in-page anchors (#...) of the guide itself
    own = _anchors(path)
    broken += [f"{path.name}: #{a} (no heading with that anchor)"
               for a in re.findall(r"\]\(#([^)]+)\)", text) if a not in own]
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_relative_links_in_notebooks_point_at_files(path):
    broken = []
    for i, cell in enumerate(_read(path).cells):
        if cell.cell_type == "markdown":
            broken += _check_links(cell.source, path.parent, f"{path.name} cell {i}")
    assert not broken, "\n".join(broken)


def test_slug_matches_github_for_the_headings_used():
    assert _slug("Formula phrase / tifa") == "formula-phrase--tifa"
    assert _slug("Cautions the seminar teaches (and does not hide)") == "cautions-the-seminar-teaches-and-does-not-hide"
    assert _slug("TF-IDF") == "tf-idf"


# --- glossary --------------------------------------------------------------------------------------

GLOSSARY_TERMS = {
    # heading: (text the entry must contain, references as (author, year))
    "Formula phrase / tifa": (["提法"], [("Schoenhals", "1992")]),
    "Keyness": ([], [("Froehlich", "2015")]),
    "Log-likelihood": (["G² = 2 Σ", "ln(O / E)", "chi2_contingency"], [("Dunning", "1993")]),
    "Log ratio": (["log₂( (a / c₁) / (b / c₂) )", "0.5"], [("Hardie", "2014")]),
    "TF-IDF": (["idf(t) = ln( (1 + n) / (1 + df(t)) ) + 1", "smooth_idf=True"], [("Lavin", "2019")]),
    "Dispersion": (["Juilland", "D = 1 − V / √(n − 1)", "DP = ½ Σ", "DP<sub>norm</sub>"],
                   [("Gries", "2008"), ("Lijffijt", "2012")]),
    "Lexical bundle": (["minimum number of documents"], [("Biber", "1999")]),
    "Collocation": (["MI = log₂(*O* / *E*)", "t-score", "logDice", "14 + log₂"],
                    [("Church", "1990"), ("Rychlý", "2008")]),
    "KWIC": (["Key Word In Context"], [("Froehlich", "2015")]),
    "Frame": (["share"], [("Boydstun", "2014")]),
    "Translation group": (["select_documents", "all_versions=True"], []),
}


def _glossary_sections() -> dict[str, str]:
    text = (SEMINAR / "glossary.md").read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


@pytest.mark.parametrize("term", sorted(GLOSSARY_TERMS))
def test_glossary_defines_term_with_formula_and_references(term):
    sections = _glossary_sections()
    assert term in sections, f"glossary.md has no '## {term}' entry; entries: {sorted(sections)}"
    body = sections[term]
    must_contain, references = GLOSSARY_TERMS[term]
    for fragment in must_contain:
        assert fragment in body, f"'{term}' entry lacks {fragment!r}"
    for author, year in references:
        assert re.search(rf"{author}[^\n]*\({year}\)", body), f"'{term}' entry lacks the reference {author} ({year})"


def test_glossary_examples_agree_with_the_library():
    """The glossary's worked numbers (G² 0.287, log ratio 0.848 for `trade` 2/10 against 1/9) are the library's."""
    from scipy.stats import chi2_contingency

    from rhetoric.stats.keyness import keyness_table

    table = keyness_table([2], [1], 10, 9, ["trade"])
    assert round(float(table["g2"].iloc[0]), 3) == 0.287
    assert round(float(table["log_ratio"].iloc[0]), 3) == 0.848
    g2, *_ = chi2_contingency([[2, 1], [8, 8]], lambda_="log-likelihood", correction=False)
    assert round(g2, 3) == 0.287
    text = (SEMINAR / "glossary.md").read_text(encoding="utf-8")
    assert "= 0.287, p = 0.59" in text and "log₂(1.8) = 0.848" in text


def test_tiny_teaching_corpus_is_valid_and_matches_the_worked_examples():
    from rhetoric.corpus import load_corpus, validate_corpus
    from rhetoric.corpus.tokens import doc_token_lists, tokenize

    folder = SEMINAR / "tiny_corpus"
    assert validate_corpus(folder) == []
    docs = load_corpus(folder)
    lists = dict(zip(docs["doc_id"], doc_token_lists(tokenize(docs, cache=False))))
    assert [len(lists[d]) for d in ("tiny_a", "tiny_b", "tiny_c")] == [9, 8, 10]
    assert lists["tiny_c"].count("trade") == 2
    assert docs.set_index("doc_id").loc[["tiny_a", "tiny_b"], "translation_group"].nunique() == 1


# --- execution -------------------------------------------------------------------------------------

def _execute(path: Path, env: dict):
    """Run a notebook top to bottom in its own folder; return the executed notebook, or the exception."""
    from nbclient import NotebookClient

    nb = _read(path)
    try:
        client = NotebookClient(nb, kernel_name="python3", timeout=900,
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute(env={**os.environ, **env})
        return nb
    except Exception as exc:  # reported by the test that asked for this notebook
        return exc


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Futures of every notebook's execution, started together (two at a time per CPU, at most four)."""
    env = {"RHETORIC_CACHE_DIR": str(tmp_path_factory.getbasetemp() / "token-cache"), "RHETORIC_QUIET": "1",
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    workers = max(1, min(4, 2 * (os.cpu_count() or 1)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {path: pool.submit(_execute, path, env) for path in ALL_NOTEBOOKS}
        yield futures


def _outputs(nb) -> str:
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                texts.append(out.get("text", ""))
            elif "data" in out:
                texts.append(out["data"].get("text/plain", ""))
    return "\n".join(texts)


def _result(executed, path):
    result = executed[path].result()
    if isinstance(result, Exception):
        pytest.fail(f"{path.name} failed to run: {type(result).__name__}: {result}")
    return result


@pytest.mark.slow
@pytest.mark.parametrize("path", STUDENT, ids=_ids(STUDENT))
def test_student_notebook_runs_and_every_exercise_is_open(executed, path):
    nb = _result(executed, path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    text = _outputs(nb)
    checks = sum("check(\"Exercise" in c.source for c in nb.cells if c.cell_type == "code")
    assert checks >= 3
    assert text.count(NOT_DONE) == checks, "each exercise check should say 'not done yet' in the student notebook"
    images = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert images >= 1, f"{path.name}: no figure was displayed"


@pytest.mark.slow
@pytest.mark.parametrize("path", SOLVED, ids=_ids(SOLVED))
def test_solution_notebook_runs_and_answers_every_exercise(executed, path):
    nb = _result(executed, path)
    text = _outputs(nb)
    assert NOT_DONE not in text
    assert "does not look right" not in text
    assert text.count("answered.") >= 3


@pytest.mark.slow
def test_worked_examples_agree_with_the_library(executed):
    """The hand computations in the notebooks reproduce the library's numbers (printed as checks)."""
    s1 = _outputs(_result(executed, SEMINAR / "session1_corpus.ipynb"))
    assert "same as by hand: True" in s1
    s3 = _outputs(_result(executed, SEMINAR / "session3_tfidf.ipynb"))
    assert "our lists match the tokenizer: True" in s3
    difference = float(re.search(r"largest difference: (\S+)", s3).group(1))
    assert difference < 1e-12
    assert "rows compared: 15 of 15" in s3
    s4 = _outputs(_result(executed, SEMINAR / "session4_keyness.ipynb"))
    assert "G2 = 0.2871   p = 0.592" in s4 and "SciPy:    G2 = 0.2871   p = 0.592" in s4


@pytest.mark.slow
def test_a_notebook_runs_on_another_corpus_through_its_parameters(tmp_path):
    """What adding_texts.md promises: papermill, another corpus folder, `-p corpus_dir DIR`, cwd the notebook's folder."""
    import papermill as pm

    from conftest import TINY_TEXTS, write_corpus

    folder = write_corpus(tmp_path / "student_corpus", TINY_TEXTS)
    out = tmp_path / "session1_student_corpus.ipynb"
    pm.execute_notebook(str(SEMINAR / "session1_corpus.ipynb"), str(out), parameters={"corpus_dir": str(folder)},
                        cwd=str(SEMINAR), kernel_name="python3", progress_bar=False)
    text = _outputs(_read(out))
    for doc_id in TINY_TEXTS:
        assert doc_id in text
    assert "xi2022_xinhua" not in text
    committed = _read(SEMINAR / "session1_corpus.ipynb")
    assert not any(c.get("outputs") for c in committed.cells if c.cell_type == "code"), "papermill wrote into the input"


# --- adding_texts.md: the validate messages it shows are the ones validate prints -------------------

STUDENT_TEXT = ("Remarks by the Ambassador at the reception.\n\n"
                "China and Kazakhstan are good neighbours and partners. Bilateral trade reached a record high.\n\n"
                "We will build a community with a shared future.\n")
STUDENT_FILE = "raw/2024-05-20_embassy_reception-remarks.txt"
ROW_START = "emb2024_reception,"


def _example_row() -> str:
    """The corpus.csv row that adding_texts.md gives as its example."""
    text = (SEMINAR / "adding_texts.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith(ROW_START)]
    assert len(rows) == 1, "adding_texts.md should show exactly one example row"
    return rows[0]


def _scenarios() -> dict[str, tuple[bytes, str | None]]:
    """Mistake name -> (bytes of the student's text file, row appended to corpus.csv or None)."""
    good = STUDENT_TEXT.encode("utf-8")
    windows = "Remarks by the Ambassador \x96 at the reception. Caf\xe9 \x93quoted\x94.\n".encode("latin-1") + good
    tail = "Embassy,ambassador,embassy website,speech,en,,,"
    return {
        "unlisted": (good, None),
        "unquoted_comma": (good, f"{ROW_START}20.05.2024,day,2023-2024,Remarks at the reception, Astana,{tail}"
                                 "raw/2024-05-20_embassy-reception-remarks.txt,,Copied from the embassy website"),
        "date_and_file": (good, f'{ROW_START}20.05.2024,day,2023-2024,"Remarks at the reception, Astana",{tail}'
                                'raw/2024-05-20_embassy-reception-remarks.txt,,Copied from the embassy website'),
        "precision_and_checksum": (good, f'{ROW_START}2024-05,day,2023-2024,"Remarks at the reception, Astana",'
                                         f'{tail}{STUDENT_FILE},{"0" * 64},Copied from the embassy website'),
        "encoding": (windows, f'{ROW_START}2024-05-20,day,2023-2024,"Remarks at the reception, Astana",{tail}'
                              f'{STUDENT_FILE},,Copied from the embassy website'),
        "fixed": (good, _example_row()),
    }


def _documented_messages() -> dict[str, list[str]]:
    text = (SEMINAR / "adding_texts.md").read_text(encoding="utf-8")
    found = {}
    for name, block in re.findall(r"<!-- validate: (\w+) -->\s*```\n(.*?)```", text, re.S):
        found[name] = [line for line in block.splitlines() if line.strip()]
    return found


def test_adding_texts_documents_every_scenario():
    assert set(_documented_messages()) == set(_scenarios())


@pytest.mark.parametrize("name", sorted(_scenarios()))
def test_adding_texts_shows_what_validate_prints(name, tmp_path, monkeypatch, capsys):
    """Make the guide's mistake in a copy of the corpus, run `rhetoric validate`, compare with the guide."""
    import shutil

    from rhetoric.cli import main

    folder = tmp_path / "my_corpus"
    (folder / "raw").mkdir(parents=True)
    for path in (config.DATA_DIR / "raw").glob("*.txt"):
        shutil.copy(path, folder / "raw" / path.name)
    shutil.copy(config.DATA_DIR / "corpus.csv", folder / "corpus.csv")
    data, row = _scenarios()[name]
    (folder / STUDENT_FILE).write_bytes(data)
    if row is not None:
        with open(folder / "corpus.csv", "a", encoding="utf-8", newline="") as handle:
            handle.write(row + "\n")
    monkeypatch.chdir(tmp_path)
    status = main(["validate", "--corpus", "my_corpus"])
    captured = capsys.readouterr()
    printed = (captured.out + captured.err).replace(str(tmp_path.resolve()), "...").replace(str(tmp_path), "...")
    printed_lines = {line.strip() for line in printed.splitlines()}
    for line in _documented_messages()[name]:
        assert line.strip() in printed_lines, f"adding_texts.md shows a message validate no longer prints:\n{line}\n" \
                                              f"validate printed:\n{printed}"
    assert status == (0 if name == "fixed" else 1)
