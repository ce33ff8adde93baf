"""The seminar kit (notebooks/seminar/): notebooks run, every exercise check is right about right and wrong answers,
hand calculations come after the student's turn, the guides' links, quotations and facts hold for the texts.

Executing the fourteen notebooks (seven student notebooks, seven solutions) takes about a minute: they are started
together in a small thread pool when the first execution test asks for them, each in its own kernel (``python3``),
with the notebook's folder as the working directory, on the project corpus. Each student notebook runs with test
cells inserted after every check cell: they give the check the hint's code (must be right), the hint's answer in
the other forms a student writes (must be right), and the typical wrong answers of WRONG_ANSWERS (must be wrong,
with expected vs given and the hint), then put the student's None back.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from rhetoric import config

SEMINAR = config.NOTEBOOK_DIR / "seminar"
SOLUTIONS = SEMINAR / "solutions"
SESSIONS = ("session1_corpus", "session2_frequencies_kwic", "session3_tfidf", "session4_keyness",
            "session5_formulas_translation", "session6_frames_and_dictionaries", "session7_frame_shares")
STUDENT = [SEMINAR / f"{s}.ipynb" for s in SESSIONS]
SOLVED = [SOLUTIONS / f"{s}_solutions.ipynb" for s in SESSIONS]
ALL_NOTEBOOKS = STUDENT + SOLVED
GUIDES = [SEMINAR / name for name in ("README.md", "glossary.md", "adding_texts.md", "readings.md", "rubric.md",
                                      "final_project.md", "handout_session1.md", "setup.md")]
NOT_DONE = "not done yet"
MARKER = "@@CHECKS@@"


def _ids(paths):
    return [p.relative_to(SEMINAR).as_posix() for p in paths]


def _read(path: Path):
    return nbformat.read(path, as_version=4)


# --- committed state -------------------------------------------------------------------------------------------

def test_every_session_has_a_student_notebook_and_solutions():
    missing = [p.relative_to(SEMINAR).as_posix() for p in ALL_NOTEBOOKS if not p.is_file()]
    assert not missing, f"missing notebooks: {missing}"
    extra = sorted({p.name for p in SEMINAR.glob("*.ipynb")} - {p.name for p in STUDENT})
    extra += sorted({p.name for p in SOLUTIONS.glob("*.ipynb")} - {p.name for p in SOLVED})
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


def _code_trees(nb):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            yield i, ast.parse(source)


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_notebooks_are_thin_and_import_the_one_check(path):
    """No function, class or lambda in a notebook; `check` comes from rhetoric.teaching, never defined again."""
    nb = _read(path)
    defined = [f"cell {i}, line {node.lineno}" for i, tree in _code_trees(nb) for node in ast.walk(tree)
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
    assert not defined, f"{path.name} defines code at {', '.join(defined)}; move it into the package"
    imports = [node for _, tree in _code_trees(nb) for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom) and node.module == "rhetoric.teaching"]
    assert any("check" in [a.name for a in node.names] for node in imports), f"{path.name}: import check"


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
    markdown = [c.source for c in student if c.cell_type == "markdown"]
    assert sum(bool(re.search(r"^#+ Exercise \d", m, re.M)) for m in markdown) >= 3
    assert any("Open question" in m or "Final discussion" in m for m in markdown)


@pytest.mark.parametrize("session", SESSIONS)
def test_every_session_has_goals_an_in_class_task_and_a_take_home_with_rubric(session):
    """What issue 19 asks of every session: checkable learning goals, a 10-minute in-class task, a take-home
    exercise graded with a rubric that exists."""
    text = "\n".join(c.source for c in _read(SEMINAR / f"{session}.ipynb").cells if c.cell_type == "markdown")
    goals = re.search(r"### Learning goals[^\n]*\n(.*?)\n###", text, re.S)
    assert goals and goals.group(1).count("*check*") >= 3, f"{session}: goals must say how each is checked"
    assert "### In class (10 minutes)" in text
    n = SESSIONS.index(session) + 1
    assert "## Take-home exercise" in text and f"(rubric.md#session-{n})" in text
    rubric = (SEMINAR / "rubric.md").read_text(encoding="utf-8")
    assert re.search(rf"^## Session {n}\b", rubric, re.M), f"rubric.md has no '## Session {n}' section"


# --- the checks: every call has a hint with code, and typical wrong answers to try ---------------------------------

WRONG_ANSWERS = {
    # (session, exercise): typical wrong answers, as code evaluated in the student notebook
    ("session1_corpus", "Your turn 1"): ["17", "len(sentence.split())", "'18 tokens'"],
    ("session1_corpus", "Your turn 2"): ['{"tiny_a": 7, "tiny_b": 6, "tiny_c": 8}', '{"tiny_a": 9, "tiny_b": 8}'],
    ("session1_corpus", "Exercise 1"): ["len(summary)", 'summary["n_tokens"].mean()', 'str(summary["n_tokens"].sum())'],
    ("session1_corpus", "Exercise 2"): ['summary["n_tokens"].sum()',
                                        'summary.loc[~summary["doc_id"].isin(once["doc_id"]), "n_tokens"].sum()'],
    ("session1_corpus", "Exercise 3a"): ['docs.groupby("period")["doc_id"].count()'],
    ("session1_corpus", "Exercise 3b"): ['docs.groupby("year")["doc_id"].count()'],
    ("session1_corpus", "Exercise 4"): ["tokens.n_tokens - tokens_parts.n_tokens", 'summary_parts["n_tokens"].sum()'],
    ("session2_frequencies_kwic", "Your turn 1"): ["2 / 10", "2 / 10 * 1000", "2"],
    ("session2_frequencies_kwic", "Your turn 2"): ["0.5 * (abs(1/4 - 9/27) + abs(1/4 - 8/27))",
                                                  "abs(1/4 - 9/27) + abs(1/4 - 8/27) + abs(2/4 - 10/27)"],
    ("session2_frequencies_kwic", "Exercise 1"): [
        'term_frequencies(tokens, docs).query("term == @my_term")',
        'term_frequencies(tokens, docs, all_versions=True, by="year").query("term == @my_term")'],
    ("session2_frequencies_kwic", "Exercise 2"): [
        'dispersion(tokens, docs, terms=[my_term], all_versions=True)["dp"].iloc[0]',
        'dispersion(tokens, docs, terms=[my_term])["juilland_d"].iloc[0]'],
    ("session2_frequencies_kwic", "Exercise 3"): ["kwic(tokens, docs, my_term, window=8)"],
    ("session2_frequencies_kwic", "Exercise 4a"): [
        'term_frequencies(tokens, docs, terms=[my_term], all_versions=True).set_index("group").loc[official_id, "count"]',
        'term_frequencies(tokens, docs, terms=[my_term], all_versions=True).set_index("group").loc[unofficial_id, '
        '"per_10k"]'],
    ("session2_frequencies_kwic", "Exercise 4b"): [
        'term_frequencies(tokens, docs, terms=[my_term], all_versions=True).set_index("group").loc[official_id, '
        '"per_10k"]'],
    ("session3_tfidf", "Your turn 1a"): ["math.log10((1 + 3) / (1 + 1)) + 1", "math.log((1 + 3) / (1 + 1))"],
    ("session3_tfidf", "Your turn 1b"): ["math.log(3 / 3)"],
    ("session3_tfidf", "Your turn 2"): ["2 * (math.log((1 + 3) / (1 + 3)) + 1)"],
    ("session3_tfidf", "Your turn 3"): ["0.3787 * 0.5981"],
    ("session3_tfidf", "Exercise 1a"): ["math.log(n_docs / 2) + 1", "math.log10((1 + n_docs) / (1 + 2)) + 1"],
    ("session3_tfidf", "Exercise 1b"): ["math.log((1 + n_docs) / (1 + n_docs))"],
    ("session3_tfidf", "Exercise 2"): ['tfidf_keywords(tokens, docs, top_n=10_000).query("term == @my_term")'],
    ("session3_tfidf", "Exercise 3a"): ["set(top20_terms.get_group(official_id))"],
    ("session3_tfidf", "Exercise 3b"): ["set(top20_terms.get_group(official_id)) - set(top20_terms.get_group(unofficial_id))"],
    ("session3_tfidf", "Exercise 4"): ["len(with_both[other])"],
    ("session3_tfidf", "Exercise 5"): ["{official_id}", "set(similarity.stack().idxmax())"],
    ("session4_keyness", "Your turn 1"): ["3 * 10 / 9", "2 * 10 / 19"],
    ("session4_keyness", "Your turn 2"): ["2 * (2 * math.log(2 / 1.5789) + math.log(1 / 1.4211))", "scipy_g2 / 2"],
    ("session4_keyness", "Your turn 3"): ["math.log((2 / 10) / (1 / 9))", "(2 / 10) / (1 / 9)"],
    ("session4_keyness", "Exercise 1"): ['all_words.set_index("term").loc[my_term, "g2"]',
                                         'all_words.set_index("term").loc[my_term, "p_value"]'],
    ("session4_keyness", "Exercise 2"): [
        '(keyness(tokens, docs, by=by, target=target, reference=reference, min_count=min_count, stop_words=True)'
        '["p_value"] < 0.05).sum()'],
    ("session4_keyness", "Exercise 4a"): ['key_naive.set_index("term").loc["we", "g2"]',
                                          'abs(key.set_index("term").loc["we", "g2"])'],
    ("session4_keyness", "Exercise 4b"): ['key.set_index("term").loc["we", "g2"]'],
    ("session5_formulas_translation", "In class"): ['dict.fromkeys(renderings, "community_shared_future")'],
    ("session5_formulas_translation", "Your turn 1"): ['{"tiny_a": 1, "tiny_b": 0, "tiny_c": 1}'],
    ("session5_formulas_translation", "Exercise 1"): ['hits[hits["formula_id"].isin(shown)].groupby("doc_id").size()'],
    ("session5_formulas_translation", "Exercise 2"): [
        'list(formulas.loc[formulas["label"].str.contains(my_term, case=False), "label"].unique())'],
    ("session5_formulas_translation", "Exercise 3"): [
        'formula_kwic(tokens, docs, hits[hits["formula_id"] == "strategic_partnership"], window=10)'],
    ("session5_formulas_translation", "Exercise 4"): ["len(alignment)", '(alignment["kind"] == "1-0").sum()'],
    ("session5_formulas_translation", "Exercise 5"): ['"multilateral framework"'],
    ("session5_formulas_translation", "Exercise 6a"): ['{"community_shared_future", "golden_thirty_years"}'],
    ("session5_formulas_translation", "Exercise 6b"): [
        'dict.fromkeys(["tiny_zh_official", "tiny_zh_unofficial"], "golden thirty years")'],
    ("session6_frames_and_dictionaries", "Your turn 1"): ['"security"', '"Economy and trade"'],
    ("session6_frames_and_dictionaries", "Your turn 2"): ["4", "4 / 6 * 100"],
    ("session6_frames_and_dictionaries", "Your turn 3"): ["4 / 6", "4 / 6 - 8 / 36"],
    ("session6_frames_and_dictionaries", "In class"): ['dict.fromkeys(chosen, "Economy")', '["Economic", "Politics"]'],
    ("session6_frames_and_dictionaries", "Exercise 1"): ["hits_by_paragraph.loc[chosen[0]]"],
    ("session6_frames_and_dictionaries", "Exercise 2"): ['(table["dictionary_code"] == table[reader]).sum()'],
    ("session6_frames_and_dictionaries", "Exercise 3"): ['(table["dictionary_code"] == table[reader]).mean()'],
    ("session7_frame_shares", "Your turn 1"): ["2 / 3", "50"],
    ("session7_frame_shares", "Your turn 2"): ["(0.5, 0.6667)", "(0.6667, 0)"],
    ("session7_frame_shares", "Exercise 1"): ['intervals[["group", "n_docs", "n_paragraphs"]]'],
    ("session7_frame_shares", "Exercise 2"): ['every_hit[every_hit["frame"] == "security"]'],
    ("session7_frame_shares", "Exercise 3a"): [
        'frame_shift(tokens, docs, frames, by=by, from_group=from_group, to_group=to_group)'
        '.set_index("frame").loc["security", "diff"]'],
    ("session7_frame_shares", "Exercise 3b"): ['security_share["official"]["2023-2024"] - security_share["official"]["2022"]'],
}


def _check_calls(source: str) -> list[dict]:
    """The check(...) calls of a cell: exercise name, the variable checked, the hint code."""
    calls = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check":
            exercise = node.args[0]
            given = node.args[1]
            hint = {k.arg: k.value for k in node.keywords}.get("hint_code")
            calls.append({"exercise": exercise.value if isinstance(exercise, ast.Constant) else None,
                          "variable": given.id if isinstance(given, ast.Name) else None,
                          "hint_code": hint.value if isinstance(hint, ast.Constant) else None})
    return calls


def _inventory(path: Path) -> list[tuple[int, dict]]:
    return [(i, call) for i, cell in enumerate(_read(path).cells) if cell.cell_type == "code" and "check(" in cell.source
            for call in _check_calls(cell.source)]


@pytest.mark.parametrize("path", STUDENT, ids=_ids(STUDENT))
def test_every_check_names_its_exercise_variable_and_hint_code(path):
    calls = [call for _, call in _inventory(path)]
    assert len(calls) >= 5
    for call in calls:
        assert call["exercise"] and call["variable"], f"{path.name}: write check('Name', variable, ...): {call}"
        assert call["hint_code"], f"{path.name}: {call['exercise']} has no hint_code"
        compile(call["hint_code"], call["exercise"], "eval")
    names = [c["exercise"] for c in calls]
    assert len(names) == len(set(names)), f"{path.name}: exercise names repeat: {names}"


def test_every_check_has_typical_wrong_answers_and_no_stale_entry():
    found = {(path.stem, call["exercise"]) for path in STUDENT for _, call in _inventory(path)}
    assert found - set(WRONG_ANSWERS) == set(), f"checks without wrong answers in WRONG_ANSWERS: {found - set(WRONG_ANSWERS)}"
    assert set(WRONG_ANSWERS) - found == set(), f"WRONG_ANSWERS names checks that do not exist: {set(WRONG_ANSWERS) - found}"


# --- hand calculations come after the student's turn -----------------------------------------------------------------

REVEALING = {
    # session: {the "Your turn" check: patterns of its answer that must not appear in any cell before that check}
    "session1_corpus": {"Your turn 1": [r"\b18 tokens", r"\[\"China\", \"'s\""], "Your turn 2": [r"\b9 tokens\b", r"\(9\)"]},
    "session2_frequencies_kwic": {"Your turn 1": [r"2,000", r"\b2000\b"], "Your turn 2": [r"0\.130", r"0\.1296"]},
    "session3_tfidf": {"Your turn 1a": [r"1\.693"], "Your turn 2": [r"0\.598", r"3\.344"], "Your turn 3": [r"0\.715"]},
    "session4_keyness": {"Your turn 1": [r"1\.579"], "Your turn 2": [r"0\.287"], "Your turn 3": [r"0\.848", r"1\.8\b"]},
    "session5_formulas_translation": {"Your turn 1": [r"Every text uses the formula once"]},
    "session6_frames_and_dictionaries": {"Your turn 2": [r"0\.667", r"4/6"], "Your turn 3": [r"0\.571", r"8/36"]},
    "session7_frame_shares": {"Your turn 1": [r"\*\*0\.5\*\*", r"= 0\.5\b"], "Your turn 2": [r"0\.667", r"0 to 0\.667"]},
}


@pytest.mark.parametrize("session", SESSIONS)
def test_hand_calculations_come_after_the_students_cell(session):
    """Each worked example asks first (an exercise cell, then its check) and works the answer out only after."""
    cells = _read(SEMINAR / f"{session}.ipynb").cells
    turns = [(i, call["exercise"]) for i, call in _inventory(SEMINAR / f"{session}.ipynb")
             if call["exercise"].startswith("Your turn")]
    assert turns, f"{session}: no 'Your turn' before a worked calculation"
    for i, name in turns:
        before = cells[:i]
        assert any("exercise" in c.metadata.get("tags", []) for c in before[-3:]), f"{session}: {name} has no cell to answer in"
        # the check cell's hint code gives the answer away: the cell is folded (JupyterLab and Notebook 7 honour it)
        assert cells[i].metadata.get("jupyter", {}).get("source_hidden") is True, f"{session}: fold the check of {name}"
        for pattern in REVEALING.get(session, {}).get(name, []):
            shown = [k for k, c in enumerate(before) if re.search(pattern, c.source)]
            assert not shown, f"{session}: the answer of {name} ({pattern}) is shown in cell(s) {shown}, before the check"


# --- links -----------------------------------------------------------------------------------------------------------

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
        elif anchor and path is not None and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(f"{where}: {target} (no heading with that anchor)")
    return broken


@pytest.mark.parametrize("path", GUIDES, ids=[p.name for p in GUIDES])
def test_relative_links_in_guides_point_at_files(path):
    text = path.read_text(encoding="utf-8")
    broken = _check_links(text, path.parent, path.name)
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
    assert _slug("Gale–Church alignment") == "galechurch-alignment"
    assert _slug("TF-IDF") == "tf-idf"


def test_the_guide_lists_every_file_of_the_kit():
    readme = (SEMINAR / "README.md").read_text(encoding="utf-8")
    for path in STUDENT + GUIDES[1:]:
        assert f"]({path.name})" in readme, f"README.md does not link {path.name}"


# --- glossary ----------------------------------------------------------------------------------------------------------

GLOSSARY_TERMS = {
    # heading: (text the entry must contain, references as (author, year))
    "Formula phrase / tifa": (["提法", "黄金三十年"], [("Schoenhals", "1992")]),
    "Keyness": ([], [("Froehlich", "2015"), ("Gabrielatos", "2018")]),
    "Log-likelihood": (["G² = 2 Σ", "ln(O / E)", "chi2_contingency"], [("Dunning", "1993")]),
    "Log ratio": (["log₂( (a / c₁) / (b / c₂) )", "0.5"], [("Hardie", "2014")]),
    "Holm correction": (["*m* − *k* + 1", "p_adjusted"], [("Holm", "1979")]),
    "Cosine similarity": (["Σ", "‖", "TfidfTransformer"], [("Salton", "1975")]),
    "Gale–Church alignment": (["1-1", "2-1", "dynamic programming"], [("Gale", "1993")]),
    "Cohen's kappa": (["(*p*ₒ − *p*ₑ) / (1 − *p*ₑ)"], [("Cohen", "1960")]),
    "TF-IDF": (["idf(t) = ln( (1 + n) / (1 + df(t)) ) + 1", "smooth_idf=True"], [("Lavin", "2019")]),
    "Dispersion": (["Juilland", "D = 1 − V / √(n − 1)", "DP = ½ Σ", "DP<sub>norm</sub>"],
                   [("Gries", "2008"), ("Lijffijt", "2012")]),
    "Lexical bundle": (["minimum number of documents"], [("Biber", "1999")]),
    "Collocation": (["MI = log₂(*O* / *E*)", "t-score", "logDice", "14 + log₂"], [("Church", "1990"), ("Rychlý", "2008")]),
    "KWIC": (["Key Word In Context"], [("Froehlich", "2015")]),
    "Frame": (["share", "topic vocabulary"], [("Boydstun", "2014"), ("Entman", "1993")]),
    "Translation group": (["select_documents", "all_versions=True"], []),
    "Part (of a document)": (["wrapper", "parts=\"all\""], []),
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
        assert re.search(rf"{author}[^\n]*\(?{year}\)?", body), f"'{term}' entry lacks the reference {author} ({year})"


def test_glossary_examples_agree_with_the_library():
    """The glossary's worked numbers (G² 0.287, log ratio 0.848 for `trade` 2/10 against 1/9; the cosine of tiny_a and
    tiny_c; κ 0.571) are the library's and scikit-learn's."""
    from scipy.stats import chi2_contingency
    from sklearn.metrics import cohen_kappa_score

    from rhetoric.corpus import load_corpus, tokenize
    from rhetoric.stats.keyness import keyness_table
    from rhetoric.stats.similarity import document_similarity

    table = keyness_table([2], [1], 10, 9, ["trade"])
    assert round(float(table["g2"].iloc[0]), 3) == 0.287
    assert round(float(table["log_ratio"].iloc[0]), 3) == 0.848
    g2, *_ = chi2_contingency([[2, 1], [8, 8]], lambda_="log-likelihood", correction=False)
    assert round(g2, 3) == 0.287
    text = (SEMINAR / "glossary.md").read_text(encoding="utf-8")
    assert "= 0.287, p = 0.59" in text and "log₂(1.8) = 0.848" in text
    tiny = load_corpus(SEMINAR / "tiny_corpus")
    cosine = document_similarity(tokenize(tiny, cache=False), tiny, all_versions=True).loc["tiny_a", "tiny_c"]
    assert f"{cosine:.3f}" in text
    kappa = cohen_kappa_score(["E", "E", "S", "P", "C", "E"], ["E", "P", "S", "P", "C", "S"])
    assert f"{kappa:.3f}" in text


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


# --- what the kit says about its sources --------------------------------------------------------------------------------

def _kit_texts() -> dict[str, str]:
    """Every text of the kit a reader sees: the guides and the markdown of every notebook."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in GUIDES}
    for path in ALL_NOTEBOOKS:
        texts[path.name] = "\n\n".join(c.source for c in _read(path).cells if c.cell_type == "markdown")
    return texts


def test_golden_thirty_years_is_written_as_in_use():
    texts = _kit_texts()
    assert not [name for name, text in texts.items() if "金色三十年" in text]
    assert "黄金三十年" in texts["glossary.md"] and "黄金三十年" in texts["session5_formulas_translation.ipynb"]


def test_community_of_common_destiny_was_official_english_2012_to_2015():
    texts = _kit_texts()
    for name in ("glossary.md", "README.md", "session5_formulas_translation.ipynb"):
        assert re.search(r"official English from 2012 to about 2015", " ".join(texts[name].split())), name
    assert "only an unofficial" not in " ".join(" ".join(texts.values()).split())


def _corpus_strings() -> str:
    """Every text of the project corpus, raw and cleaned, every part, and the kit's tiny corpora, normalised for
    searching quotations."""
    from rhetoric.corpus import load_corpus

    docs = [load_corpus(parts="all"), load_corpus(SEMINAR / "tiny_corpus"), load_corpus(SEMINAR / "tiny_corpus_zh")]
    return _normalise("\n".join(text for d in docs for text in list(d["text"]) + list(d["raw_text"])))


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"[\u2013\u2014]", "-", text)
    return " ".join(text.split()).lower()


# Quotations in the kit that are not from the corpus texts (definitions, headlines, renderings from elsewhere).
NOT_FROM_THE_CORPUS = {
    # Entman's definition, and the Policy Frames Codebook's dimension names
    "to frame is to select some aspects of a perceived reality and make them more salient in a communicating text",
    "to frame is to select some aspects of a perceived reality and make them more salient in a communicating text, "
    "in such a way as to promote a particular problem definition, causal interpretation, moral evaluation, and/or "
    "treatment recommendation for the item described",
    "external regulation and reputation",
    # official renderings from outside the corpus (their history), and a formula's label with its optional words
    "community of shared future", "community with a shared future (for mankind)",
    # chapter titles of the readings, section titles of the kit
    "frequency and dispersion", "vocabulary: frequency, dispersion and diversity", "setting up the room",
    "a news agency's wrapper is not the article",
    # claims, questions and phrasings the kit puts up for discussion or warns against (not quotations of a text)
    "chinese diplomatic rhetoric on kazakhstan shifted from history to economics between 2022 and 2024.",
    "chinese diplomatic rhetoric on kazakhstan shifted from history to economics between 2022 and 2024",
    "chinese diplomatic rhetoric changed", "did chinese diplomacy change?", "did china's rhetoric change?",
    "the framing shifted from history to economy", "what china emphasised in july 2024", "what china says",
    "the vocabulary of the later period differs significantly", "the vocabulary differs significantly",
    "the rhetoric is friendly", "china talks differently about kazakhstan", "written by xi in english",
    "gives xi's words", "gives xi's words in english", "change over time", "key for 2022", "each year against the rest", "all the rest",
    "one author's habit", "node present or not",
    # made-up examples of what a student may meet in a text of their own
    "number of views", "late december 2023",
}


_QUOTE = re.compile(r'(?:^|(?<=[\s(\[—–/]))"([^"\n]{3,400}?)"(?=[\s.,;:!?)\]…—–/*]|$)', re.M)


def _quotations(text: str) -> list[str]:
    """Double-quoted passages of three words or more, paragraph by paragraph (code, paths and formulas left out)."""
    found = []
    for paragraph in re.split(r"\n\s*\n", text):
        for quote in _QUOTE.findall(paragraph):
            if not re.search(r"[a-z]", quote) or re.search(r"[=\[\]{}]|\\n|\.txt|\.csv|/", quote):
                continue
            if len(quote.split()) >= 3:
                found.append(quote)
    return found


def test_quotations_of_the_texts_are_in_the_texts():
    """Every quotation of three words or more in the kit's prose (guides, notebook text) is found in the corpus
    texts, unless it is listed as coming from elsewhere; an ellipsis (…) separates pieces found one by one."""
    corpus = _corpus_strings()
    missing = []
    for name, text in _kit_texts().items():
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        prose = re.sub(r"`[^`]*`", "", prose)
        for quote in _quotations(prose):
            norm = _normalise(quote)
            if norm in NOT_FROM_THE_CORPUS or norm.rstrip(".") in NOT_FROM_THE_CORPUS:
                continue
            for piece in re.split(r"\s*(?:…|\.\.\.)\s*", norm):
                piece = piece.strip(" ,.;:!?'")
                if piece and piece not in corpus:
                    missing.append(f"{name}: {quote!r}")
                    break
    assert not missing, "quotations not found in the texts:\n" + "\n".join(sorted(set(missing)))


def test_the_handout_quotes_the_article_not_the_wrapper():
    """The handout's quoted paragraph openings are found verbatim in the article part of the two versions, in the
    first three body paragraphs, and never in the news agency's wrapper."""
    from rhetoric.corpus import load_corpus
    from rhetoric.teaching import side_by_side

    handout = (SEMINAR / "handout_session1.md").read_text(encoding="utf-8")
    quotes = re.findall(r"^> (.+)$", handout, re.M)
    assert len(quotes) == 6, "the handout quotes the opening of three paragraphs of each version"
    docs = load_corpus(parts="all")
    text = docs.set_index("doc_id")["text"]
    assert "xi2022_xinhua#wrapper" in text.index
    table = side_by_side(docs, "xi2022_xinhua", "xi2022_unofficial", paragraphs=3, min_words=20)
    for k, quote in enumerate(quotes):
        doc_id = "xi2022_xinhua" if k < 3 else "xi2022_unofficial"
        opening = quote.rstrip(" …").rstrip(".")
        assert opening in text[doc_id], f"not in the article part of {doc_id}: {opening!r}"
        assert opening not in text["xi2022_xinhua#wrapper"]
        assert table[doc_id].iloc[k % 3].startswith(opening), f"{doc_id}: paragraph {k % 3 + 1} does not start so"
    assert "first three paragraphs of `data/raw" not in (SEMINAR / "README.md").read_text(encoding="utf-8")


def test_facts_the_kit_states_about_the_texts(project_docs):
    """Sentences of the kit about the sources, each checked against the texts with plain Python."""
    text = project_docs.set_index("doc_id")["text"]
    cgtn = [p for p in text["cgtn2024_visit"].split("\n\n") if p.strip()]
    # session 1: about half of the CGTN report's paragraphs report what Xi said, added or told (not "most sentences")
    reporting = [p for p in cgtn if re.search(r"\bXi (?:Jinping )?(?:also )?(?:said|added|told)\b", p)]
    assert 0.4 <= len(reporting) / len(cgtn) <= 0.6
    # session 1: the wrapper's words; Xi's article without the wrapper never says Xinhua or Tuesday
    assert "Xinhua" not in text["xi2022_xinhua"] and "Tuesday" not in text["xi2022_xinhua"]
    assert "was published Tuesday on the Kazakhstanskaya Pravda newspaper" in project_docs.set_index("doc_id").loc[
        "xi2022_xinhua", "raw_text"]
    # session 3: "30 years is a period of" heads four paragraphs of the unofficial translation
    assert len(re.findall(r"^30 years is a period of", text["xi2022_unofficial"], re.M)) == 4
    # session 5: the New Year message writes the official "community with a shared future for mankind" twice
    assert text["zhang2023_newyear"].count("community with a shared future for mankind") == 2
    assert "golden" not in text["xi2022_xinhua"].lower()
    assert "another golden 30th anniversary of relations" in text["xi2022_unofficial"]
    # the guide's cautions: "About 5,800 tokens in all; about 4,200 once the translation pair counts once" (the
    # article without Xinhua's 51-token wrapper), token counts by plain regex, rounded to the hundred
    words = {d: len(re.findall(r"\w+(?:[-.,'\u2019]\w+)*", t)) + len(re.findall(r"\w['\u2019][sS]\b", t))
             + t.count("$") + t.count("%") for d, t in text.items()}
    readme = " ".join((SEMINAR / "README.md").read_text(encoding="utf-8").split())
    once = sum(n for d, n in words.items() if d != "xi2022_unofficial")
    assert f"About {round(sum(words.values()), -2):,} tokens in all; about {round(once, -2):,} once" in readme
    # session 7: the trade figures and their periods, as quoted
    assert "above the US$25 billion mark last year" in text["xi2022_xinhua"]
    assert "$17.67 billion in the first seven months of this year" in text["zhang2022_visit"]
    assert "In the first eleven months, trade between China and Kazakhstan reached $36.87 billion" in text[
        "zhang2023_newyear"]
    assert "two-way trade up by 32 percent year-on-year to reach $41 billion" in text["cgtn2024_visit"]


def test_session_5_statements_about_renderings_hold_for_each_text(project_docs):
    """Session 5 and the guide say which text uses which rendering; each is found in that text (not just somewhere)."""
    text = project_docs.set_index("doc_id")["text"]
    said = {
        "xi2022_xinhua": ["China-Kazakhstan community with a shared future", "permanent comprehensive strategic partnership",
                          "a more splendid thirty years", "interference by external forces",
                          "terrorism, separatism, extremism", "national rejuvenation"],
        "xi2022_unofficial": ["community of common destiny of China and Kazakhstan", "eternal all-round strategic partnership",
                              "eternal comprehensive strategic partnership", "outside interference",
                              "three forces of evil", "national revival"],
        "zhang2022_visit": ["permanent comprehensive strategic partnership",
                            "China-Central Asia community with a shared future", "next golden 30 years"],
        "zhang2023_newyear": ["China-Kazakhstan community of shared destiny", "eternal comprehensive strategic partnership",
                              "enduring comprehensive strategic partnership"],
        "cgtn2024_visit": ["first to a strategic partnership in 2005, then a comprehensive strategic partnership in 2011"],
    }
    missing = [(doc_id, phrase) for doc_id, phrases in said.items() for phrase in phrases if phrase not in text[doc_id]]
    assert not missing, missing
    assert "permanent" not in text["zhang2023_newyear"]  # the official label "disappears" from the 2023 message


# --- readings: full references, one or two per session, the same in the notebooks -----------------------------------

REQUIRED_REFERENCES = {
    # the works issue 19 asks for: (author as cited, year, words of the full reference)
    ("Baker", "2006"): "Using Corpora in Discourse Analysis",
    ("Partington, Duguid & Taylor", "2013"): "Patterns and Meanings in Discourse",
    ("Brezina", "2018"): "Statistics in Corpus Linguistics",
    ("Gabrielatos", "2018"): "Keyness analysis: nature, metrics and techniques",
    ("Hardie", "2014"): "Log Ratio",
    ("Dunning", "1993"): "Accurate methods for the statistics of surprise and coincidence",
    ("Schoenhals", "1992"): "Doing Things with Words in Chinese Politics",
    ("Entman", "1993"): "Framing: Toward clarification of a fractured paradigm",
    ("Boydstun", "2014"): "Tracking the development of media frames",
}


def _readings() -> tuple[dict[int, str], str]:
    text = (SEMINAR / "readings.md").read_text(encoding="utf-8")
    sessions = {int(n): body for n, body in re.findall(r"^## Session (\d) [^\n]*\n(.*?)(?=^## )", text, re.S | re.M)}
    return sessions, text.split("## Full references", 1)[1]


def test_readings_have_full_references_and_one_or_two_per_session():
    sessions, references = _readings()
    assert sorted(sessions) == list(range(1, len(SESSIONS) + 1))
    for n, body in sessions.items():
        required = re.findall(r"^- \*\*Required\*\*: (.*?)(?=^- |\Z)", body, re.S | re.M)
        assert len(required) == 1, f"session {n}: one 'Required' line"
        cited = re.findall(r"([A-Z][a-zé]+)(?: et al\.)? \((\d{4})\)", required[0])
        assert 1 <= len(cited) <= 2, f"session {n}: one or two required readings, found {cited}"
    flat = " ".join(references.split())
    for (author, year), title in REQUIRED_REFERENCES.items():
        first = author.split(",")[0].split(" &")[0]
        entry = re.search(rf"- {first}, [^\n]*?\({year}\)\. ([^\n]*)", references)
        assert entry, f"readings.md: no full reference for {author} ({year})"
        assert title in flat, f"readings.md: {author} ({year}) lacks its title {title!r}"
    # every work cited in a session's list has its full reference
    for n, body in sessions.items():
        for name, year in re.findall(r"([A-Z][a-zé]+)(?:, [A-Z][a-z]+)*(?: & [A-Z][a-z]+)?(?: et al\.)? \((\d{4})\)", body):
            assert re.search(rf"^- {name}, [^\n]*\({year}\)", references, re.M), f"session {n}: {name} ({year})"


@pytest.mark.parametrize("n", range(1, len(SESSIONS)))
def test_each_notebook_announces_the_next_sessions_required_reading(n):
    """A notebook's 'Next session' reading names the authors readings.md requires for that session."""
    sessions, _ = _readings()
    required = re.search(r"^- \*\*Required\*\*: (.*?)(?=^- |\Z)", sessions[n + 1], re.S | re.M).group(1)
    authors = {name for name, _ in re.findall(r"([A-Z][a-zé]+)(?: et al\.)? \((\d{4})\)", required)}
    for path in (SEMINAR / f"{SESSIONS[n - 1]}.ipynb", SOLUTIONS / f"{SESSIONS[n - 1]}_solutions.ipynb"):
        cells = [c.source for c in _read(path).cells if c.cell_type == "markdown" and "**Next session:**" in c.source]
        assert len(cells) == 1, path.name
        announced = " ".join(cells[0].split("**Next session:**", 1)[1].split())
        for author in authors:
            assert author in announced, f"{path.name}: the next session's reading {author} is not announced"
            chapter = re.search(rf"{author}[^;]*?\(\d{{4}}\), [^;]*?ch\. (\d+)", required)
            if chapter:  # the same chapter as readings.md ("ch. 8" there, "chapter 8" or "chapters 8–9" here)
                said = re.search(rf"{author}[^;]*?\(\d{{4}}\),? (?:[^;]*?)chapters? (\d+)", announced)
                assert said and said.group(1) == chapter.group(1), \
                    f"{path.name}: {author}, chapter {chapter.group(1)} in readings.md, not in: {announced}"


def test_final_project_brief_has_a_grading_rubric_out_of_100():
    """Students add texts, state a question, report with the toolkit; five weighted criteria, four levels each."""
    text = (SEMINAR / "final_project.md").read_text(encoding="utf-8")
    for words in ("at least **six** texts you added yourself", "one research question", "ok: no problems found",
                  "## Grading rubric"):
        assert words in text
    rubric = text.split("## Grading rubric", 1)[1]
    rows = re.findall(r"^\| \*\*([^*]+)\*\* \((\d+)\) \|(.*)\|$", rubric, re.M)
    assert [name for name, _, _ in rows] == ["Question", "Corpus", "Method", "Findings", "Limits and reproducibility"]
    assert sum(int(weight) for _, weight, _ in rows) == 100
    assert all(len(cells.split(" | ")) == 4 for _, _, cells in rows), "four levels per criterion"


# --- routes without make -------------------------------------------------------------------------------------------------

def test_python_m_rhetoric_is_the_command_without_make():
    """setup.md's route for Windows (or anyone without make): `python -m rhetoric ...` runs the command line."""
    setup = (SEMINAR / "setup.md").read_text(encoding="utf-8")
    assert "python -m pip install -e ." in setup and "python -m rhetoric report --out" in setup
    out = subprocess.run([sys.executable, "-m", "rhetoric", "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.startswith("usage: rhetoric ")
    out = subprocess.run([sys.executable, "-m", "rhetoric", "report", "--help"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0 and "--out" in out.stdout
    out = subprocess.run([sys.executable, "-m", "rhetoric", "validate"], capture_output=True, text=True, timeout=300)
    assert (out.returncode, out.stdout) == (0, "ok: no problems found\n")


# --- execution -----------------------------------------------------------------------------------------------------------

HARNESS_SETUP = r'''
import json as _json
import numpy as _np
import pandas as _pd
from rhetoric import teaching as _teaching

_verdicts = {}


def _recording_check(exercise, given, *args, **kwargs):
    kwargs["quiet"] = True
    result = _teaching.check(exercise, given, *args, **kwargs)
    _verdicts[exercise] = result
    return result


def _verdict_of(source, exercise, variable, value):
    globals()[variable] = value
    _verdicts.clear()
    globals()["check"] = _recording_check
    try:
        exec(source, globals())
    finally:
        globals()["check"] = _teaching.check
    return _verdicts[exercise]


def _forms(value):
    """The right answer in the other forms a student writes."""
    if isinstance(value, (bool, _np.bool_)):
        return []
    if isinstance(value, (int, float, _np.integer, _np.floating)):
        forms = [("list", [value]), ("array", _np.array([value])), ("float", float(value)),
                 ("numpy", _np.float64(value) if isinstance(value, (float, _np.floating)) else _np.int64(value))]
        if isinstance(value, (float, _np.floating)) and abs(value) >= 0.01:
            forms.append(("rounded", round(float(value), 4)))
        return forms
    if isinstance(value, str):
        return [("upper case", value.upper()), ("spaces", "  " + value + " ")]
    if isinstance(value, (set, frozenset)):
        return [("sorted list", sorted(value)), ("tuple", tuple(value))]
    if isinstance(value, tuple):
        return [("list", list(value)), ("array", _np.array(value))]
    if isinstance(value, dict):
        return [("Series", _pd.Series(value))]
    if isinstance(value, _pd.Series):
        return [("dict", value.to_dict())]
    if isinstance(value, _pd.DataFrame):
        return [("rows reversed", value.iloc[::-1]), ("extra column", value.assign(extra_column=1))]
    return []


def _try(source, exercise, variable, hint_code, wrong_codes):
    saved = globals().get(variable)
    report = []
    try:
        value = eval(hint_code, globals())
        for form, candidate in [("hint code", value)] + _forms(value):
            verdict = _verdict_of(source, exercise, variable, candidate)
            report.append({"exercise": exercise, "kind": "right", "form": form, "status": verdict.status,
                           "message": verdict.message})
        for code in wrong_codes:
            verdict = _verdict_of(source, exercise, variable, eval(code, globals()))
            report.append({"exercise": exercise, "kind": "wrong", "form": code, "status": verdict.status,
                           "message": verdict.message})
    except Exception as exc:
        report.append({"exercise": exercise, "kind": "error", "form": "", "status": "error",
                       "message": f"{type(exc).__name__}: {exc}"})
    finally:
        globals()[variable] = saved
    print("@@CHECKS@@" + _json.dumps(report))
'''


def _with_harness(path: Path):
    """The student notebook with test cells: the harness after the setup cell, a trial after every check cell."""
    nb = _read(path)
    cells = []
    setup_done = False
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        if not setup_done and "from rhetoric.teaching import" in cell.source:
            cells.append(nbformat.v4.new_code_cell(HARNESS_SETUP, metadata={"tags": ["test-harness"]}))
            setup_done = True
        elif "check(" in cell.source:
            for call in _check_calls(cell.source):
                wrong = WRONG_ANSWERS.get((path.stem, call["exercise"]), [])
                code = (f"_try({cell.source!r}, {call['exercise']!r}, {call['variable']!r}, {call['hint_code']!r}, "
                        f"{wrong!r})")
                cells.append(nbformat.v4.new_code_cell(code, metadata={"tags": ["test-harness"]}))
    nb.cells = cells
    return nb


def _execute(path: Path, env: dict, harness: bool):
    """Run a notebook top to bottom in its own folder; return the executed notebook, or the exception."""
    from nbclient import NotebookClient

    nb = _with_harness(path) if harness else _read(path)
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
        futures = {path: pool.submit(_execute, path, env, path in STUDENT) for path in ALL_NOTEBOOKS}
        yield futures


def _outputs(nb, *, harness: bool = False) -> str:
    texts = []
    for cell in nb.cells:
        if ("test-harness" in cell.metadata.get("tags", [])) != harness:
            continue
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


def _check_outputs(nb) -> list[str]:
    """The printed verdicts of the notebook's own check cells."""
    lines = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "check(" in cell.source and "test-harness" not in cell.metadata.get("tags", []):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream":
                    lines += [line for line in out["text"].splitlines() if re.match(r"^(Exercise|Your turn|In class)", line)]
    return lines


@pytest.mark.slow
@pytest.mark.parametrize("path", STUDENT, ids=_ids(STUDENT))
def test_student_notebook_runs_and_every_exercise_is_open(executed, path):
    nb = _result(executed, path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    verdicts = _check_outputs(nb)
    assert len(verdicts) == len(_inventory(path))
    assert all(NOT_DONE in line for line in verdicts), verdicts
    assert "Verdict(" not in _outputs(nb), "a check's return value was displayed"


@pytest.mark.slow
@pytest.mark.parametrize("path", STUDENT, ids=_ids(STUDENT))
def test_hint_code_and_every_form_pass_and_typical_wrong_answers_fail(executed, path):
    """For every check: its hint code and the same answer in other forms are right; the typical wrong answers are
    wrong, and the message gives expected vs given (or the possible answers) and the hint with its code."""
    nb = _result(executed, path)
    reports = [json.loads(line[len(MARKER):]) for line in _outputs(nb, harness=True).splitlines()
               if line.startswith(MARKER)]
    reports = [r for report in reports for r in report]
    by_exercise = {}
    for r in reports:
        by_exercise.setdefault(r["exercise"], []).append(r)
    assert set(by_exercise) == {call["exercise"] for _, call in _inventory(path)}
    problems = []
    for exercise, rows in by_exercise.items():
        hint_code = next(call["hint_code"] for _, call in _inventory(path) if call["exercise"] == exercise)
        for r in rows:
            if r["kind"] == "error":
                problems.append(f"{exercise}: {r['message']}")
            elif r["kind"] == "right" and r["status"] != "right":
                problems.append(f"{exercise}: the answer as {r['form']} is not accepted:\n{r['message']}")
            elif r["kind"] == "wrong":
                message = r["message"]
                if r["status"] != "wrong":
                    problems.append(f"{exercise}: the wrong answer {r['form']} passes ({r['status']})")
                elif not (("expected" in message and "given" in message) or "possible" in message):
                    problems.append(f"{exercise}: {r['form']}: no expected vs given in:\n{message}")
                elif "Hint:" not in message or hint_code not in message:
                    problems.append(f"{exercise}: {r['form']}: the hint and its code are missing:\n{message}")
        assert any(r["kind"] == "wrong" for r in rows) or any(r["kind"] == "error" for r in rows)
    assert not problems, "\n\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("path", SOLVED, ids=_ids(SOLVED))
def test_solution_notebook_runs_and_answers_every_exercise_right(executed, path):
    nb = _result(executed, path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    verdicts = _check_outputs(nb)
    student = SEMINAR / (path.stem.removesuffix("_solutions") + ".ipynb")
    assert len(verdicts) == len(_inventory(student))
    wrong = [line for line in verdicts if not line.endswith(": right.")]
    assert not wrong, f"{path.name}: {wrong}"
    images = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    if "frames_and_dictionaries" not in path.name:
        assert images >= 1, f"{path.name}: no figure was displayed"


@pytest.mark.slow
def test_worked_examples_agree_with_the_library(executed):
    """The hand computations in the notebooks reproduce the library's numbers (printed as checks)."""
    s1 = _outputs(_result(executed, SEMINAR / "session1_corpus.ipynb"))
    assert "same as by hand: True" in s1
    s2 = _outputs(_result(executed, SEMINAR / "session2_frequencies_kwic.ipynb"))
    assert "by hand: DP = 0.1296, Juilland's D = 0.8101" in s2
    s3 = _outputs(_result(executed, SEMINAR / "session3_tfidf.ipynb"))
    assert "our lists match the tokenizer: True" in s3
    assert float(re.search(r"largest difference: (\S+)", s3).group(1)) < 1e-12
    assert "rows compared: 15 of 15" in s3
    s4 = _outputs(_result(executed, SEMINAR / "session4_keyness.ipynb"))
    assert "G2 = 0.2871   p = 0.592   log ratio = 0.848" in s4 and "SciPy:    G2 = 0.2871   p = 0.592" in s4


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


# --- adding_texts.md: the validate messages it shows are the ones validate prints -----------------------------------

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


def test_corpus_rows_named_in_the_guides_exist():
    """The doc_ids (and translation groups) the guides name are the corpus's."""
    with open(config.DATA_DIR / "corpus.csv", encoding="utf-8") as handle:
        ids = {value for row in csv.DictReader(handle) for value in (row["doc_id"], row["translation_group"])}
    for name, text in _kit_texts().items():
        for doc_id in set(re.findall(r"`((?:xi|zhang|cgtn)20\d\d_[a-z]+)`", text)):
            assert doc_id in ids, f"{name} names {doc_id}, not in corpus.csv"
