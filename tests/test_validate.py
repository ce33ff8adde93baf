"""Malformed corpora, built in the tests: every problem is named with its file, line, field and fix.

For each case: :func:`validate_corpus` reports it, :func:`load_corpus` refuses
with the same line, ``rhetoric validate`` exits non-zero with one line per
problem, ``rhetoric corpus`` exits 2 without a traceback. Accepted oddities
(byte-order mark, Windows and old Mac line endings) load with correct offsets.
"""

from __future__ import annotations

import builtins
import io
import os
from pathlib import Path

import numpy as np
import pytest

from conftest import write_corpus
from rhetoric.cli import main
from rhetoric.corpus import load_corpus, tokenize, tokens_frame, validate_corpus
from rhetoric.corpus.cleaning import clean_text, load_rules
from rhetoric.corpus.documents import guess_encoding, read_text_file
from rhetoric.errors import CorpusError

BASE = {
    "a": ("2022-09-13", "a", "", "", "China and Kazakhstan are good neighbours.\n"),
    "b": ("2023", "b", "", "", "Trade grew to $21.2 billion.\n"),
}
RUSSIAN = ("Китай и Казахстан — добрые соседи, настоящие друзья и надёжные партнёры. "
           "Товарооборот между двумя странами вырос, а гуманитарные связи стали крепче.\n")
FRENCH = "Le président Tokaïev a reçu son homologue à Astana ; la coopération économique s'est élargie.\n"


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus", BASE)


def edit_table(folder: Path, old: str, new: str) -> None:
    table = folder / "corpus.csv"
    text = table.read_text(encoding="utf-8")
    assert old in text
    table.write_text(text.replace(old, new, 1), encoding="utf-8")


def only_problem(folder, severity="error"):
    """The one problem of this severity (a row that cannot be used may also leave its file unlisted)."""
    problems = [p for p in validate_corpus(folder) if p.severity == severity]
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def run_cli(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_refused(folder, capsys, *words):
    """load_corpus raises, `rhetoric validate` exits 1 with one line per problem, `rhetoric corpus` exits 2."""
    problems = validate_corpus(folder)
    errors = [p for p in problems if p.severity == "error"]
    assert errors
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    for p in errors:
        assert str(p) in str(info.value)
    for word in words:
        assert word in str(info.value)
    code, out, err = run_cli(["validate", "--corpus", str(folder)], capsys)
    assert code == 1
    lines = [line for line in (out + err).splitlines() if line]
    assert len(lines) == len(problems)
    assert all(line.startswith(("error: ", "warning: ")) for line in lines)
    code, out, err = run_cli(["corpus", "--corpus", str(folder)], capsys)
    assert code == 2 and out == ""
    assert err.startswith("error: corpus cannot be loaded:") and "Traceback" not in err
    return errors


# --- corpus.csv ---------------------------------------------------------------------------------

def test_folder_missing_or_a_file(tmp_path, capsys):
    problem = only_problem(tmp_path / "nowhere")
    assert "corpus folder not found" in problem.message and "--corpus DIR" in problem.message
    (tmp_path / "corpus.csv").write_text("doc_id,date,file\n", encoding="utf-8")
    problem = only_problem(tmp_path / "corpus.csv")
    assert "is a file, not a folder" in problem.message and "the folder that holds corpus.csv" in problem.message
    assert_refused(tmp_path / "nowhere", capsys, "corpus folder not found")


def test_corpus_csv_missing(corpus, capsys):
    (corpus / "corpus.csv").rename(corpus / "Corpus.tsv")
    problem = only_problem(corpus)
    assert problem.file == str(corpus / "corpus.csv") and problem.line is None
    assert "missing" in problem.message and "found Corpus.tsv" in problem.message
    assert "doc_id, date, file" in problem.message
    assert_refused(corpus, capsys, "corpus.csv: missing")


@pytest.mark.parametrize("content, words", [
    (b"", ["is empty", "add a header row (doc_id,date,file)"]),
    (b" \n\n", ["is empty"]),
    (bytes(range(256)) * 8, ["looks binary", "NUL", "save it as plain UTF-8 text"]),
    (b"PK\x03\x04\x14\x00\x06\x00", ["ZIP archive", "Excel .xlsx", "export it as plain text"]),
    ("doc_id,date,file\na,2022,raw/a.txt\nб,2023,raw/b.txt\n".encode("cp1251"),
     ["not UTF-8", "line 3, column 1", "Windows-1251", "iconv -f WINDOWS-1251 -t UTF-8 corpus.csv > corpus.utf8.csv",
      "replace corpus.csv"]),
])
def test_corpus_csv_unreadable(corpus, capsys, content, words):
    (corpus / "corpus.csv").write_bytes(content)
    problem = only_problem(corpus)
    assert problem.file == str(corpus / "corpus.csv")
    for word in words:
        assert word in problem.message, problem.message
    assert_refused(corpus, capsys)


@pytest.mark.parametrize("sep, label", [(";", "semicolons"), ("\t", "tabs")])
def test_wrong_delimiter(corpus, capsys, sep, label):
    table = corpus / "corpus.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",", sep), encoding="utf-8")
    problem = only_problem(corpus)
    assert problem.line == 1
    assert f"separated by {label}, not commas" in problem.message and "comma-separated" in problem.message
    assert str(problem).startswith(f"{corpus / 'corpus.csv'}:1: ")
    assert_refused(corpus, capsys)


def test_missing_required_columns_with_typo_hint(corpus, capsys):
    edit_table(corpus, "doc_id,date,file", "id,dat,file")
    problem = only_problem(corpus)
    assert (problem.line, problem.field) == (1, "doc_id, date")
    assert "missing required columns doc_id, date" in problem.message
    assert "'dat' looks like 'date'" in problem.message and "rename it" in problem.message
    assert_refused(corpus, capsys, "[doc_id, date]")


def test_column_named_twice(corpus, capsys):
    edit_table(corpus, "period,", "file,")
    problem = only_problem(corpus)
    assert (problem.line, problem.field) == (1, "file") and "named twice" in problem.message
    assert_refused(corpus, capsys)


def test_duplicate_doc_id(corpus, capsys):
    edit_table(corpus, "\nb,", "\na,")
    problem = only_problem(corpus)
    assert (problem.line, problem.field) == (3, "doc_id")
    assert "'a' is already used on line 2; ids must be unique" in problem.message
    assert_refused(corpus, capsys, "corpus.csv:3 [doc_id]")


def test_row_with_wrong_number_of_fields(corpus, capsys):
    edit_table(corpus, "\nb,2023,", "\nb,2023,extra,")
    problem = only_problem(corpus)
    assert problem.line == 3 and "has 8 fields, the header has 7" in problem.message
    assert "double quotes" in problem.message
    assert_refused(corpus, capsys)


@pytest.mark.parametrize("value, words", [
    ("13/09/2022", ["'13/09/2022' is not a date", "2022-09-13"]),
    ("Sept 2022", ["not a date", "YYYY, YYYY-MM or YYYY-MM-DD"]),
    ("2022-02-30", ["impossible date", "write only 2022-02 if the day is not known"]),
    ("2022-13", ["impossible date", "month 13 does not exist", "01 to 12"]),
])
def test_bad_dates(corpus, capsys, value, words):
    edit_table(corpus, "2022-09-13", value)
    problem = only_problem(corpus)
    assert (problem.line, problem.field) == (2, "date")
    for word in words:
        assert word in problem.message
    assert_refused(corpus, capsys, "corpus.csv:2 [date]")


def test_date_precision_must_fit(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "corpus.csv").write_text("doc_id,date,date_precision,file\na,2022-09,day,raw/a.txt\n",
                                         encoding="utf-8")
    problem = only_problem(tmp_path)
    assert (problem.line, problem.field) == (2, "date_precision")
    assert "'day' does not fit date '2022-09'" in problem.message
    assert_refused(tmp_path, capsys)


def test_malformed_checksum(corpus, capsys):
    sha = BASE and (corpus / "corpus.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[-1]
    edit_table(corpus, sha, "abc123")
    problem = only_problem(corpus)
    assert (problem.line, problem.field) == (2, "sha256")
    assert "not a SHA-256" in problem.message and "sha256sum" in problem.message
    assert_refused(corpus, capsys)


# --- the files ------------------------------------------------------------------------------------

def test_file_missing_with_near_name(corpus, capsys):
    (corpus / "raw" / "a.txt").rename(corpus / "raw" / "A.txt")
    assert "A.txt: text file not listed" in str(only_problem(corpus, "warning"))
    problem = only_problem(corpus)
    assert (problem.line, problem.field) == (2, "file")
    assert "'raw/a.txt' not found" in problem.message and "did you mean 'A.txt'?" in problem.message
    assert "relative to the folder of corpus.csv" in problem.message
    assert_refused(corpus, capsys, "corpus.csv:2 [file]: 'raw/a.txt' not found")


def test_file_with_backslashes(corpus):
    edit_table(corpus, "raw/a.txt", "raw\\a.txt")
    problem = only_problem(corpus)
    assert "write paths with '/'" in problem.message


@pytest.mark.parametrize("target", ["../outside.txt", "raw/../../outside.txt", "/etc/hostname", "C:\\texts\\a.txt"])
def test_file_outside_the_corpus_folder(corpus, capsys, target, monkeypatch):
    (corpus.parent / "outside.txt").write_text("Secret.", encoding="utf-8")
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda f, *a, **k: opened.append(str(f)) or real_open(f, *a, **k))
    edit_table(corpus, "raw/a.txt", target)
    problems = validate_corpus(corpus)
    assert [p.severity for p in problems] == ["error", "warning"]  # raw/a.txt is now unlisted
    assert (problems[0].line, problems[0].field) == (2, "file")
    assert f"'{target}' points outside the corpus folder" in problems[0].message
    assert "relative to it" in problems[0].message
    assert not [f for f in opened if f == str(corpus.parent / "outside.txt") or f.startswith(("/etc", "C:"))]
    assert_refused(corpus, capsys)


def test_symlink_pointing_outside(corpus, capsys):
    (corpus.parent / "outside.txt").write_text("Secret.", encoding="utf-8")
    (corpus / "raw" / "a.txt").unlink()
    os.symlink(corpus.parent / "outside.txt", corpus / "raw" / "a.txt")
    problem = only_problem(corpus)
    assert "points outside the corpus folder" in problem.message


def test_file_is_a_folder(corpus, capsys):
    (corpus / "raw" / "sub").mkdir()
    edit_table(corpus, "raw/a.txt", "raw/sub")
    problems = validate_corpus(corpus)
    assert "'raw/sub' is a folder, not a text file" in problems[0].message
    assert_refused(corpus, capsys)


@pytest.mark.parametrize("content, words", [
    (b"", ["'raw/a.txt' is empty", "remove its row"]),
    (b"  \n\t\n", ["is empty"]),
    (b"\xef\xbb\xbf\n", ["is empty (only a byte-order mark or white space)"]),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["looks binary", "NUL bytes", "plain UTF-8 text"]),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ["a PDF file, not plain text", "export it as plain text"]),
    (b"{\\rtf1\\ansi Hello}", ["an RTF file"]),
    ("China and Kazakhstan.\n".encode("utf-16"), ["UTF-16, not UTF-8", "iconv -f UTF-16 -t UTF-8"]),
])
def test_unusable_text_files(corpus, capsys, content, words):
    (corpus / "raw" / "a.txt").write_bytes(content)
    problems = [p for p in validate_corpus(corpus) if p.field == "file"]
    assert len(problems) == 1
    assert (problems[0].line, problems[0].file) == (2, str(corpus / "corpus.csv"))
    for word in words:
        assert word in problems[0].message, problems[0].message
    assert_refused(corpus, capsys)


def test_windows_1251_russian_text(corpus, capsys):
    (corpus / "raw" / "a.txt").write_bytes(RUSSIAN.encode("cp1251"))
    problem = [p for p in validate_corpus(corpus) if p.field == "file"][0]
    assert "'raw/a.txt' is not UTF-8 (byte 0xCA on line 1, column 1)" in problem.message
    assert "it looks like Windows-1251 (Cyrillic)" in problem.message
    assert f"in {corpus} with: iconv -f WINDOWS-1251 -t UTF-8 raw/a.txt > raw/a.utf8.txt" in problem.message
    assert "then point 'file' at raw/a.utf8.txt and update its sha256" in problem.message
    assert_refused(corpus, capsys, "Windows-1251")


def test_latin_1_text(corpus, capsys):
    (corpus / "raw" / "b.txt").write_bytes(FRENCH.encode("latin-1"))
    problem = [p for p in validate_corpus(corpus) if p.field == "file"][0]
    assert problem.line == 3
    assert "not UTF-8 (byte 0xE9 on line 1, column 6)" in problem.message  # the é of "président"
    assert "Latin-1 (ISO-8859-1)" in problem.message and "iconv -f ISO-8859-1 -t UTF-8 raw/b.txt" in problem.message
    assert_refused(corpus, capsys, "Latin-1")


@pytest.mark.parametrize("text, codec, name", [
    (RUSSIAN, "cp1251", "WINDOWS-1251"), (RUSSIAN.replace("—", "-"), "koi8_r", "KOI8-R"),
    (RUSSIAN.replace("—", "-"), "cp866", "CP866"), (RUSSIAN, "mac_cyrillic", "MAC-CYRILLIC"),
    ("Қазақстан мен Қытай арасындағы достық қарым-қатынас нығайып келеді.\n", "kz1048", "RK1048"),
    (FRENCH, "latin_1", "ISO-8859-1"), ("He said \u201cwin-win\u201d \u2014 twice.\n", "cp1252", "WINDOWS-1252"),
    ("Hello\n", "utf_16", "UTF-16"),
])
def test_guess_encoding(text, codec, name):
    data = text.encode(codec)
    guess = guess_encoding(data)
    assert guess is not None and guess[2] == name
    assert data.decode(guess[0]) == text


def test_converting_as_told_fixes_the_file(corpus):
    """The suggested conversion gives the text back (done here with Python, as iconv would)."""
    (corpus / "raw" / "a.txt").write_bytes(RUSSIAN.encode("cp1251"))
    codec, _, _ = guess_encoding((corpus / "raw" / "a.txt").read_bytes())
    (corpus / "raw" / "a.utf8.txt").write_text((corpus / "raw" / "a.txt").read_bytes().decode(codec),
                                               encoding="utf-8")
    (corpus / "raw" / "a.txt").unlink()
    edit_table(corpus, "raw/a.txt", "raw/a.utf8.txt")
    table = corpus / "corpus.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[1] = ",".join(lines[1].split(",")[:-1] + [""])  # drop the old checksum
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = load_corpus(corpus)
    assert docs.loc[docs["doc_id"] == "a", "text"].iloc[0].startswith("Китай и Казахстан")


# --- accepted oddities --------------------------------------------------------------------------

def test_byte_order_mark_is_accepted(corpus):
    path = corpus / "raw" / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    docs = load_corpus(corpus, verify=False)
    row = docs.set_index("doc_id").loc["a"]
    assert row.raw_text == BASE["a"][4]  # decoded without the mark
    tokens = tokenize(docs, cache=False)
    frame = tokens_frame(tokens, docs)
    first = frame[frame["doc_id"] == "a"].iloc[0]
    assert (first.token, first.raw_start, first.raw_end) == ("China", 0, 5)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings_are_accepted(tmp_path, newline):
    text = "First line here.\n\nSecond paragraph, with win-win cooperation.\nIts second line.\n"
    raw = text.replace("\n", newline)
    folder = write_corpus(tmp_path / "c", {"w": ("2022", "w", "", "", "placeholder")}, with_sha=False)
    (folder / "raw" / "w.txt").write_bytes(raw.encode("utf-8"))
    docs = load_corpus(folder)
    assert docs.loc[0, "raw_text"] == raw and docs.loc[0, "text"] == text
    tokens = tokenize(docs, cache=False)
    frame = tokens_frame(tokens, docs)
    for row in frame.itertuples():
        assert raw[row.raw_start:row.raw_end] == row.token
    assert len(tokens.paragraph_spans) == 2 and len(tokens.sentence_spans) == 3
    last = frame.iloc[-1]
    assert last.raw_start == raw.index("line.") and last.token == "line"


def test_crlf_in_the_metadata_table_and_quoted_commas(tmp_path):
    folder = write_corpus(tmp_path / "c", BASE)
    table = folder / "corpus.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[0] += ",title"
    lines[1] += ',"China, Kazakhstan: a title"'
    lines[2] += ","
    table.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    docs = load_corpus(folder)
    assert docs.set_index("doc_id").loc["a", "title"] == "China, Kazakhstan: a title"


# --- warnings -------------------------------------------------------------------------------------

def test_unlisted_files_typo_columns_and_shared_files_are_warnings(corpus, capsys):
    (corpus / "raw" / "c.txt").write_text("Not listed.", encoding="utf-8")
    edit_table(corpus, "period", "peroid")
    problems = validate_corpus(corpus)
    assert [p.severity for p in problems] == ["warning", "warning"]
    by_field = {p.field: p for p in problems}
    assert "did you mean 'period'?" in by_field["peroid"].message and by_field["peroid"].line == 1
    assert by_field[None].file == str(corpus / "raw" / "c.txt")
    assert "not listed in corpus.csv" in by_field[None].message
    assert len(load_corpus(corpus)) == 2  # warnings do not stop loading
    code, out, err = run_cli(["validate", "--corpus", str(corpus)], capsys)
    assert code == 1 and err == ""
    assert out.splitlines() == [f"warning: {p}" for p in problems]
    assert run_cli(["corpus", "--corpus", str(corpus)], capsys)[0] == 0


def test_two_rows_naming_one_file(corpus):
    edit_table(corpus, "raw/b.txt", "raw/a.txt")
    problems = validate_corpus(corpus)
    warning = [p for p in problems if p.severity == "warning" and p.field == "file"]
    assert warning and "also the text of line 2" in warning[0].message and warning[0].line == 3


def test_every_problem_is_listed_at_once(corpus, capsys):
    edit_table(corpus, "2022-09-13", "2022-02-30")
    edit_table(corpus, "raw/b.txt", "raw/missing.txt")
    (corpus / "raw" / "stray.txt").write_text("x", encoding="utf-8")
    problems = validate_corpus(corpus)
    assert [(p.severity, p.line, p.field) for p in problems] == [
        ("error", 2, "date"), ("error", 3, "file"), ("warning", None, None), ("warning", None, None)]
    errors = assert_refused(corpus, capsys)
    assert len(errors) == 2


def test_messages_are_one_line_each(corpus):
    (corpus / "raw" / "a.txt").write_bytes(RUSSIAN.encode("cp1251"))
    edit_table(corpus, "2023", "20/23")
    for problem in validate_corpus(corpus):
        assert "\n" not in str(problem)


# --- raw files are only read ------------------------------------------------------------------------

def test_raw_files_are_only_opened_for_reading(tmp_path, monkeypatch):
    folder = write_corpus(tmp_path / "c", {**BASE, "crlf": ("2024", "crlf", "", "", "A\r\nB \u201cC\u201d\r\n")})
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}
    modes = []
    real_open, real_io_open = builtins.open, io.open

    def spy(opener):
        def wrapped(file, mode="r", *args, **kwargs):
            if str(file).startswith(str(folder)):
                modes.append((str(file), mode))
            return opener(file, mode, *args, **kwargs)
        return wrapped

    monkeypatch.setattr(builtins, "open", spy(real_open))
    monkeypatch.setattr(io, "open", spy(real_io_open))
    docs = load_corpus(folder)
    tokenize(docs)  # the cache goes to $RHETORIC_CACHE_DIR (set by conftest), outside the corpus
    validate_corpus(folder)
    read_text_file(folder / "raw" / "a.txt")
    assert modes and all(set(mode) <= set("rbt") for _, mode in modes), modes
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}
    assert after == before


def test_tokens_of_accepted_oddities_map_back(tmp_path):
    raw = "\ufeffThe \u201cgolden\u201d\u00a0thirty years\r\nof ChinaKazakhstan ties\u2026 \u2014 win\u2013win.\r\n"
    folder = write_corpus(tmp_path / "c", {"x": ("2022", "x", "", "", "placeholder")}, with_sha=False)
    (folder / "raw" / "x.txt").write_bytes(raw.encode("utf-8"))
    docs = load_corpus(folder)
    frame = tokens_frame(tokenize(docs, cache=False), docs)
    rules = load_rules()
    text = docs.loc[0, "raw_text"]
    assert frame["token"].tolist() == ["The", "golden", "thirty", "years", "of", "China-Kazakhstan", "ties",
                                       "win-win"]
    for row in frame.itertuples():
        assert clean_text(text[row.raw_start:row.raw_end], rules).text == row.token
    assert text[int(frame.iloc[5].raw_start):int(frame.iloc[5].raw_end)] == "ChinaKazakhstan"
    assert np.all(frame["raw_end"].to_numpy() > frame["raw_start"].to_numpy())
