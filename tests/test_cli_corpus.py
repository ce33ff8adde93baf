"""``rhetoric corpus`` and ``rhetoric validate`` checked against values known without the package: the hand
counts of the tiny corpus (conftest.py), file hashes, characters counted in the raw files, the cleaning rules
read with PyYAML; plus the format contract (CSV and JSON give the same table) and exit codes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import TINY_TEXTS, write_corpus
from rhetoric import config
from rhetoric.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def same_values(a: pd.Series, b: pd.Series) -> bool:
    """Whether two columns hold the same values: numbers within 1e-9 (JSON keeps 10 decimals), else text."""
    blank = lambda s: s.map(lambda v: None if v is None or v == "" or (isinstance(v, float) and np.isnan(v))  # noqa: E731
                            else v)
    a, b = blank(a), blank(b)
    na, nb = pd.to_numeric(a, errors="coerce"), pd.to_numeric(b, errors="coerce")
    if (na.isna() == a.isna()).all() and (nb.isna() == b.isna()).all():
        return bool(np.allclose(na.to_numpy(float), nb.to_numpy(float), rtol=1e-9, equal_nan=True))
    return a.fillna("").astype(str).tolist() == b.fillna("").astype(str).tolist()


def table_of(capsys, *argv) -> pd.DataFrame:
    """The command's table from --format csv, after checking that --format json gives the same table."""
    code, out, err = run(capsys, *argv, "--format", "csv")
    assert code == 0, err
    from_csv = pd.read_csv(io.StringIO(out), keep_default_na=False)
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    from_json = pd.DataFrame(json.loads(out), columns=from_csv.columns)
    assert len(from_csv) == len(from_json)
    for column in from_csv.columns:
        assert same_values(from_csv[column], from_json[column]), column
    return from_csv


def independent_token_count(text: str) -> int:
    """Tokens counted without the tokenizer: words (joined across - . , ' inside them), plus each currency sign,
    per cent sign and clitic 's, which the tokenizer makes tokens of their own."""
    words = re.findall(r"\w+(?:[-.,'\u2019]\w+)*", text)
    clitics = re.findall(r"\w['\u2019][sS]\b", text)
    return len(words) + len(clitics) + sum(text.count(c) for c in "$%\u20ac\u00a3\u00a5")


def test_corpus_lists_the_tiny_corpus(capsys, tiny_dir):
    table = table_of(capsys, "corpus", "--corpus", str(tiny_dir))
    assert list(table.columns) == ["doc_id", "date", "year", "n_tokens", "author", "title", "translation_group",
                                   "translation", "part", "sha256"]
    assert table["doc_id"].tolist() == ["a_official", "b_unofficial", "c_2024"]
    assert table["part"].tolist() == ["main"] * 3
    assert table["n_tokens"].tolist() == [13, 13, 18]  # counted by hand in conftest.py
    assert table["year"].tolist() == [2022, 2022, 2024]
    assert table["date"].tolist() == ["2022-09-13", "2022-09-13", "2024-07"]
    assert table["translation_group"].tolist() == ["g1", "g1", "c_2024"]  # a text alone is its own group
    assert table["sha256"].tolist() == [hashlib.sha256((tiny_dir / "raw" / f"{d}.txt").read_bytes()).hexdigest()
                                        for d in table["doc_id"]]


def test_one_version_of_each_translated_text(capsys, tiny_dir):
    one = table_of(capsys, "corpus", "--corpus", str(tiny_dir), "--one-version")
    assert one["doc_id"].tolist() == ["a_official", "c_2024"]
    other = table_of(capsys, "corpus", "--corpus", str(tiny_dir), "--one-version", "--prefer", "unofficial")
    assert other["doc_id"].tolist() == ["b_unofficial", "c_2024"]
    by_id = table_of(capsys, "corpus", "--corpus", str(tiny_dir), "--one-version", "--prefer", "b_unofficial")
    assert by_id["doc_id"].tolist() == ["b_unofficial", "c_2024"]


def test_corpus_lists_the_project_corpus(capsys, project_docs):
    table = table_of(capsys, "corpus")
    assert table["doc_id"].tolist() == ["zhang2022_visit", "xi2022_unofficial", "xi2022_xinhua",
                                        "zhang2023_newyear", "cgtn2024_visit"]
    text = dict(zip(project_docs["doc_id"], project_docs["text"]))
    expected = {d: independent_token_count(text[d]) for d in table["doc_id"]}
    # e.g. cgtn2024_visit: 676 words + one "$" + four "'s" (the tokenizer before 2024-09 counted 675)
    assert expected["cgtn2024_visit"] == 681
    assert dict(zip(table["doc_id"], table["n_tokens"])) == expected
    code, out, _ = run(capsys, "corpus")
    assert code == 0 and out.splitlines()[0].split()[:4] == ["doc_id", "date", "year", "n_tokens"]
    assert len(out.splitlines()) == 1 + 5


def test_cleaning_rules_and_how_often_they_fired(capsys):
    rules = table_of(capsys, "corpus", "--rules")
    with open(config.CLEANING_RULES, encoding="utf-8") as handle:
        listed = yaml.safe_load(handle)["rules"]
    assert rules["rule_id"].tolist() == [rule["id"] for rule in listed]
    log = table_of(capsys, "corpus", "--cleaning")
    assert list(log.columns) == ["doc_id", "rule_id", "count"]
    fired = {(d, r): c for d, r, c in zip(log["doc_id"], log["rule_id"], log["count"])}
    # curly single and double quotes counted in the raw files themselves
    with open(config.DATA_DIR / "corpus.csv", encoding="utf-8") as handle:
        files = {row["doc_id"]: config.DATA_DIR / row["file"] for row in csv.DictReader(handle)}
    for doc_id, path in files.items():
        raw = path.read_text(encoding="utf-8")
        singles = sum(raw.count(c) for c in "\u2018\u2019\u201a\u201b\u2032\u02bc")
        doubles = sum(raw.count(c) for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb")
        assert fired.get((doc_id, "single_quotes"), 0) == singles, doc_id
        assert fired.get((doc_id, "double_quotes"), 0) == doubles, doc_id
    assert fired[("zhang2022_visit", "single_quotes")] == 10
    assert fired[("zhang2023_newyear", "double_quotes")] == 12


def test_validate_a_good_corpus(capsys):
    code, out, err = run(capsys, "validate")
    assert (code, out, err) == (0, "ok: no problems found\n", "")
    code, out, _ = run(capsys, "validate", "--format", "csv")
    assert (code, out) == (0, "file,line,field,message,severity\n")
    code, out, _ = run(capsys, "validate", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_validate_a_bad_corpus(tmp_path, capsys):
    folder = write_corpus(tmp_path / "bad", TINY_TEXTS)
    table = folder / "corpus.csv"
    table.write_text(table.read_text().replace("2024-07", "2024-13"), encoding="utf-8")
    (folder / "raw" / "a_official.txt").write_bytes("Ключ".encode("cp1251"))
    code, out, err = run(capsys, "validate", "--corpus", str(folder))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {table}:2 [file]: 'raw/a_official.txt' is not UTF-8")
    assert lines[1].startswith(f"error: {table}:4 [date]: '2024-13' is an impossible date")
    code, out, _ = run(capsys, "validate", "--corpus", str(folder), "--format", "json")
    records = json.loads(out)
    assert code == 1 and [(r["file"], r["line"], r["field"], r["severity"]) for r in records] == [
        (str(table), 2, "file", "error"), (str(table), 4, "date", "error")]
    code, out, _ = run(capsys, "validate", "--corpus", str(folder), "--format", "csv")
    assert code == 1
    assert pd.read_csv(io.StringIO(out))[["line", "field"]].values.tolist() == [[2, "file"], [4, "date"]]


def test_corpus_error_exits_2_without_traceback(tmp_path, capsys):
    folder = write_corpus(tmp_path / "bad", TINY_TEXTS)
    (folder / "corpus.csv").write_text("doc_id;date;file\n", encoding="utf-8")
    code, out, err = run(capsys, "corpus", "--corpus", str(folder))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: corpus cannot be loaded:",
        f"  {folder / 'corpus.csv'}:1: columns are separated by semicolons, not commas; save it as "
        "comma-separated CSV (in a spreadsheet: CSV UTF-8, comma-delimited).",
        f"Run `rhetoric validate --corpus {folder}` for the full list.",
    ]
    code, out, err = run(capsys, "corpus", "--corpus", str(folder), "--debug")
    assert code == 2 and "Traceback (most recent call last)" in err and "CorpusError" in err


def test_console_script_exit_codes(tmp_path):
    folder = write_corpus(tmp_path / "bad", TINY_TEXTS)
    (folder / "raw" / "c_2024.txt").unlink()
    script = Path(sys.executable).with_name("rhetoric")
    command = [str(script)] if script.exists() else \
        [sys.executable, "-c", "import sys; from rhetoric.cli import main; sys.exit(main())"]
    done = subprocess.run(command + ["corpus", "--corpus", str(folder)], capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "[file]: 'raw/c_2024.txt' not found" in done.stderr
    done = subprocess.run(command + ["validate", "--corpus", str(folder)], capture_output=True, text=True)
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("argv, message", [
    (["corpus", "--one-version", "--prefer", "oficial"], "prefer='oficial' is neither a translation value"),
    (["corpus", "--corpus", "/nonexistent/corpus"], "corpus folder not found"),
])
def test_bad_options_are_reported(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err and out == ""


# --- parts (issue 19): a news agency's wrapper listed as its own row, a bad part rule named in one line -------------

def test_corpus_lists_the_wrapper_as_a_part_when_asked(capsys):
    table = table_of(capsys, "corpus")
    assert table["part"].tolist() == ["main"] * 5 and "xi2022_xinhua#wrapper" not in table["doc_id"].tolist()
    every = table_of(capsys, "corpus", "--parts", "all")
    assert every["doc_id"].tolist() == ["zhang2022_visit", "xi2022_unofficial", "xi2022_xinhua", "xi2022_xinhua#wrapper",
                                        "zhang2023_newyear", "cgtn2024_visit"]
    wrapper = every.set_index("doc_id").loc["xi2022_xinhua#wrapper"]
    # the 51 words of "BEIJING, Sept. 13 (Xinhua) -- ... to Kazakhstan." (39) and "Following is ... article:" (12),
    # counted by hand in the raw file; the article keeps its 1522
    assert (wrapper["part"], wrapper["n_tokens"], wrapper["translation_group"]) == ("wrapper", 51,
                                                                                    "xi2022_xinhua#wrapper")
    assert every.set_index("doc_id").loc["xi2022_xinhua", "n_tokens"] == table.set_index("doc_id").loc[
        "xi2022_xinhua", "n_tokens"] == 1522
    with pytest.raises(SystemExit) as stop:
        main(["corpus", "--parts", "some"])
    assert stop.value.code == 2 and "--parts: invalid choice: 'some'" in capsys.readouterr().err


BAD_PART_RULES = [
    ("  - id: my_wrapper\n    part: Agency Lead\n    pattern: 'x'\n", "rule 'my_wrapper': part 'Agency Lead' is not a "
     "part name; write lower-case letters, digits and '_' (e.g. part: wrapper)"),
    ("  - id: my_wrapper\n    part:\n    pattern: 'x'\n", "rule 'my_wrapper': part None is not a part name"),
    ("  - id: my_wrapper\n    part: wrapper\n    replacement: 'y'\n    pattern: 'x'\n",
     "rule 'my_wrapper' has both 'part' and 'replacement'; a part rule removes nothing, so drop its replacement"),
]


@pytest.mark.parametrize("rule, message", BAD_PART_RULES)
def test_a_bad_part_rule_is_one_line_naming_file_line_rule_and_fix(tmp_path, capsys, monkeypatch, rule, message):
    rules = tmp_path / "cleaning.yml"
    original = config.CLEANING_RULES.read_text(encoding="utf-8")
    rules.write_text(original + rule, encoding="utf-8")
    line = len(original.splitlines()) + 2  # the rule's "part:" line
    monkeypatch.setattr(config, "CLEANING_RULES", rules)
    code, out, err = run(capsys, "validate")
    assert code == 1 and out == ""
    assert err.splitlines() == [f"error: {rules}:{line} [rule]: {err.split('[rule]: ', 1)[1].strip()}"]
    assert message in err
    code, out, err = run(capsys, "corpus")
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"{rules}:{line}: " in err and message in err


def test_a_part_rule_that_marks_a_whole_text_is_reported_by_validate(tmp_path, capsys, monkeypatch):
    folder = write_corpus(tmp_path / "c", TINY_TEXTS)
    rules = tmp_path / "cleaning.yml"
    rules.write_text(config.CLEANING_RULES.read_text(encoding="utf-8")
                     + "  - id: everything\n    part: wrapper\n    pattern: '\\A[\\s\\S]+'\n", encoding="utf-8")
    monkeypatch.setattr(config, "CLEANING_RULES", rules)
    code, out, err = run(capsys, "validate", "--corpus", str(folder))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 3 and all("nothing is left of the document itself" in line for line in lines)
    assert lines[0].startswith(f"error: {folder / 'corpus.csv'}:2 [file]: the cleaning rules mark the whole text of "
                               "'a_official' as wrapper")
