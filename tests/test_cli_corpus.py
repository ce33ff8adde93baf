"""``rhetoric corpus`` and ``rhetoric validate``: output formats, exit codes, errors without tracebacks."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import TINY_TEXTS, write_corpus
from rhetoric.cleaning import cleaning_log, load_rules, rules_table
from rhetoric.cli import main
from rhetoric.corpus import corpus_summary, load_corpus, one_per_translation_group
from rhetoric.tokens import tokenize


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_corpus_lists_the_documents(capsys, project_docs):
    code, out, err = run(["corpus", "--format", "csv"], capsys)
    assert code == 0
    expected = corpus_summary(project_docs, tokenize(project_docs, cache=False))
    assert out == expected.to_csv(index=False, lineterminator="\n")
    table = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    assert list(table.columns) == ["doc_id", "date", "year", "n_tokens", "author", "title", "translation_group",
                                   "translation", "sha256"]
    assert table["doc_id"].tolist()[:2] == ["zhang2022_visit", "xi2022_unofficial"]


def test_corpus_table_and_json(capsys):
    code, out, _ = run(["corpus"], capsys)
    assert code == 0 and "zhang2023_newyear" in out and "n_tokens" in out.splitlines()[0]
    code, out, _ = run(["corpus", "--format", "json"], capsys)
    records = json.loads(out)
    assert code == 0 and len(records) == 5 and records[4]["doc_id"] == "cgtn2024_visit"
    assert records[4]["n_tokens"] == 675


def test_corpus_cleaning_rules_and_view(capsys, project_docs):
    code, out, _ = run(["corpus", "--cleaning", "--format", "csv"], capsys)
    assert code == 0 and out == cleaning_log(project_docs).to_csv(index=False, lineterminator="\n")
    code, out, _ = run(["corpus", "--rules", "--format", "csv"], capsys)
    assert code == 0 and out == rules_table(load_rules()).to_csv(index=False, lineterminator="\n")
    code, out, _ = run(["corpus", "--one-per-group", "--format", "csv"], capsys)
    ids = pd.read_csv(io.StringIO(out))["doc_id"].tolist()
    assert ids == one_per_translation_group(project_docs)["doc_id"].tolist()
    code, out, _ = run(["corpus", "--one-per-group", "unofficial", "--format", "csv"], capsys)
    assert "xi2022_unofficial" in out and "xi2022_xinhua" not in out


def test_corpus_of_another_folder(tmp_path, capsys):
    folder = write_corpus(tmp_path / "tiny", TINY_TEXTS)
    code, out, _ = run(["corpus", "--corpus", str(folder), "--format", "csv", "--quiet"], capsys)
    table = pd.read_csv(io.StringIO(out))
    assert code == 0 and table["n_tokens"].tolist() == [13, 13, 16]
    assert table.to_csv(index=False) == corpus_summary(
        load_corpus(folder), tokenize(load_corpus(folder))).to_csv(index=False)


def test_validate_a_good_corpus(capsys):
    code, out, err = run(["validate"], capsys)
    assert (code, out, err) == (0, "ok: no problems found\n", "")
    code, out, _ = run(["validate", "--format", "csv"], capsys)
    assert (code, out) == (0, "file,line,field,message,severity\n")


def test_validate_a_bad_corpus(tmp_path, capsys):
    folder = write_corpus(tmp_path / "bad", TINY_TEXTS)
    table = folder / "corpus.csv"
    table.write_text(table.read_text().replace("2024-07", "2024-13"), encoding="utf-8")
    (folder / "raw" / "a_official.txt").write_bytes("Ключ".encode("cp1251"))
    code, out, err = run(["validate", "--corpus", str(folder)], capsys)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {table}:2 [file]: 'raw/a_official.txt' is not UTF-8")
    assert lines[1].startswith(f"error: {table}:4 [date]: '2024-13' is an impossible date")
    code, out, _ = run(["validate", "--corpus", str(folder), "--format", "json"], capsys)
    records = json.loads(out)
    assert code == 1 and [(r["line"], r["field"], r["severity"]) for r in records] == [
        (2, "file", "error"), (4, "date", "error")]


def test_corpus_error_exits_2_without_traceback(tmp_path, capsys):
    folder = write_corpus(tmp_path / "bad", TINY_TEXTS)
    (folder / "corpus.csv").write_text("doc_id;date;file\n", encoding="utf-8")
    code, out, err = run(["corpus", "--corpus", str(folder)], capsys)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: corpus cannot be loaded:",
        f"  {folder / 'corpus.csv'}:1: columns are separated by semicolons, not commas; save it as "
        "comma-separated CSV (in a spreadsheet: CSV UTF-8, comma-delimited).",
        f"Run `rhetoric validate --corpus {folder}` for the full list.",
    ]
    code, out, err = run(["corpus", "--corpus", str(folder), "--debug"], capsys)
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


@pytest.mark.parametrize("argv", [["corpus", "--one-per-group", "oficial"]])
def test_bad_options_are_reported(argv, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2 and "prefer='oficial'" in err and "Traceback" not in err
