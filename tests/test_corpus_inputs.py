"""Hostile or broken corpus folders: pipes, devices, link loops, odd dates, a damaged cache, random corpus.csv files.

Every case must end quickly with a :class:`CorpusError` (or a list of problems) that names the file, and must
write nothing into the corpus folder. Opening a pipe blocks until someone writes to it, and a device such as
/dev/zero never ends: each read below runs under :func:`no_hang`, so a regression fails instead of hanging.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import signal
import stat
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import TINY_TEXTS, write_corpus
from rhetoric.cli import main
from rhetoric.corpus import load_corpus, parse_date, tokenize, validate_corpus
from rhetoric.corpus.documents import EARLIEST_YEAR, LATEST_YEAR, Problem, read_text_file
from rhetoric.errors import CorpusError

BASE = {
    "a": ("2022-09-13", "a", "", "", "China and Kazakhstan are good neighbours.\n"),
    "b": ("2023", "b", "", "", "Trade grew to $21.2 billion.\n"),
}


class Hang(Exception):
    """Raised by the alarm of :func:`no_hang`."""


@contextmanager
def no_hang(seconds: float = 10):
    """Fail (raise :class:`Hang`) if the block takes longer than ``seconds``; a blocking open() is interrupted."""
    def alarm(signum, frame):
        raise Hang(f"still running after {seconds} s: a read blocked or never ended")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def tree_state(folder: Path) -> dict:
    """Every entry under ``folder`` with its kind, and the SHA-256 of each regular file (pipes are not opened)."""
    state = {}
    for path in sorted(folder.rglob("*")):
        mode = os.lstat(path).st_mode
        if stat.S_ISREG(mode):
            state[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[str(path.relative_to(folder))] = stat.S_IFMT(mode)
    return state


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus", BASE)


def edit_table(folder: Path, old: str, new: str) -> None:
    table = folder / "corpus.csv"
    text = table.read_text(encoding="utf-8")
    assert old in text
    table.write_text(text.replace(old, new, 1), encoding="utf-8")


def refused(folder: Path, *words: str) -> list[Problem]:
    """validate_corpus lists an error with ``words``, load_corpus raises it, quickly, and nothing is written."""
    before = tree_state(folder) if folder.is_dir() else None
    with no_hang():
        problems = validate_corpus(folder)
        errors = [p for p in problems if p.severity == "error"]
        assert errors, problems
        assert any(all(w in str(p) for w in words) for p in errors), [str(p) for p in errors]
        with pytest.raises(CorpusError) as info:
            load_corpus(folder)
    for word in words:
        assert word in str(info.value)
    if before is not None:
        assert tree_state(folder) == before
    return errors


def _make_device(path: Path) -> None:
    """A character device with /dev/zero's numbers at ``path`` (needs root), else skip."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot create a device node here ({exc})")


def test_the_guard_interrupts_a_blocked_open(tmp_path):
    """(no_hang itself works: opening a pipe nobody writes to blocks, and the alarm ends it.)"""
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(Hang), no_hang(0.5):
        open(tmp_path / "pipe", "rb").close()


# --- only regular files are read ---------------------------------------------------------------------

def test_a_pipe_named_as_a_text_file(corpus, capsys):
    (corpus / "raw" / "a.txt").unlink()
    os.mkfifo(corpus / "raw" / "a.txt")
    errors = refused(corpus, "corpus.csv:2 [file]", "'raw/a.txt' is not a regular file (a pipe, socket or device)")
    assert len(errors) == 1 and "point 'file' at a saved .txt file" in errors[0].message
    with no_hang():
        assert main(["validate", "--corpus", str(corpus)]) == 1
    assert "raw/a.txt' is not a regular file" in capsys.readouterr().err


def test_a_device_named_as_a_text_file(corpus):
    (corpus / "raw" / "a.txt").unlink()
    _make_device(corpus / "raw" / "a.txt")
    refused(corpus, "corpus.csv:2 [file]", "'raw/a.txt' is not a regular file")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_devices_outside_the_folder(corpus, device):
    """A link to a device points outside the corpus folder; read_text_file refuses the device itself."""
    (corpus / "raw" / "a.txt").unlink()
    os.symlink(device, corpus / "raw" / "a.txt")
    refused(corpus, "corpus.csv:2 [file]", "'raw/a.txt' points outside the corpus folder")
    with no_hang(), pytest.raises(CorpusError, match=f"'{device}' is not a regular file"):
        read_text_file(Path(device))


def test_read_text_file_refuses_a_pipe(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    with no_hang(), pytest.raises(CorpusError, match="is not a regular file"):
        read_text_file(tmp_path / "pipe.txt")


@pytest.mark.parametrize("kind", ["pipe", "zero", "null", "device"])
def test_corpus_csv_that_is_not_a_regular_file(corpus, kind):
    table = corpus / "corpus.csv"
    table.unlink()
    if kind == "pipe":
        os.mkfifo(table)
    elif kind == "device":
        _make_device(table)
    else:
        os.symlink(f"/dev/{kind}", table)
    errors = refused(corpus, str(table), "is not a regular file (a pipe, socket or device)")
    assert errors[0].file == str(table) and "save corpus.csv as a file" in errors[0].message


def test_corpus_folder_that_is_a_pipe(tmp_path):
    os.mkfifo(tmp_path / "corpus")
    refused(tmp_path / "corpus", "is a pipe, socket or device, not a folder")


def test_link_loops_and_odd_paths(corpus):
    os.symlink("loop.txt", corpus / "raw" / "loop.txt")  # a link to itself
    edit_table(corpus, "raw/a.txt", "raw/loop.txt")
    refused(corpus, "corpus.csv:2 [file]", "'raw/loop.txt'")
    edit_table(corpus, "raw/loop.txt", "raw/" + "x" * 5000 + ".txt")  # a name longer than the system allows
    refused(corpus, "corpus.csv:2 [file]")
    edit_table(corpus, "raw/" + "x" * 5000 + ".txt", '"raw/a\x01.txt"')
    refused(corpus, "corpus.csv:2 [file]", "control character")


def test_a_header_without_rows_is_an_error_even_beside_a_warning(corpus):
    """A header alone is refused, also when a column name draws a warning (found by the random tables below:
    the warning used to hide the error and load_corpus failed with a KeyError)."""
    (corpus / "corpus.csv").write_text("doc_id,date,file,Date\n", encoding="utf-8")
    errors = refused(corpus, "has a header but no documents")
    assert len(errors) == 1
    assert any("did you mean 'date'?" in p.message for p in validate_corpus(corpus) if p.severity == "warning")


# --- dates ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, words", [
    ("\u0662\u0660\u0662\u0662-\u0660\u0669-\u0661\u0663", ["ARABIC-INDIC digits, not 0-9", "write 2022-09-13"]),
    ("\uff12\uff10\uff12\uff12", ["FULLWIDTH digits", "write 2022"]),
    ("\u0968\u0966\u0968\u0968", ["DEVANAGARI digits", "write 2022"]),
    ("\u0662\u0660\u0662\u0662-\u0661\u0663", ["ARABIC-INDIC digits", "write it with the digits 0-9"]),
    ("0000", ["year 0000", f"outside {EARLIEST_YEAR} to {LATEST_YEAR}"]),
    ("0000-01-01", ["year 0000"]), ("9999", ["year 9999"]), ("9999-12-31", ["year 9999"]),
    (f"{EARLIEST_YEAR - 1}-06", [f"year {EARLIEST_YEAR - 1}"]), (f"{LATEST_YEAR + 1}", [f"year {LATEST_YEAR + 1}"]),
])
def test_dates_with_other_digits_or_implausible_years(corpus, value, words):
    with pytest.raises(ValueError) as info:
        parse_date(value)
    for word in words:
        assert word in str(info.value)
    assert "None" not in str(info.value)
    edit_table(corpus, "2022-09-13", value)
    refused(corpus, "corpus.csv:2 [date]", *words)


def test_the_year_range_is_inclusive():
    assert parse_date(str(EARLIEST_YEAR))[0].year == EARLIEST_YEAR
    assert parse_date(f"{LATEST_YEAR}-12-31")[0].year == LATEST_YEAR


_DATE_LIKE = st.one_of(
    st.text(alphabet="0123456789-/. T:\u0660\u0662\u0669\uff10\uff12", max_size=20),
    st.builds(lambda d, m, y, sep: f"{d}{sep}{m}{sep}{y}", st.integers(0, 40), st.integers(0, 40),
              st.integers(0, 9999), st.sampled_from("/.-")),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 99),
              st.integers(0, 99)),
    st.text(max_size=12),
)


@settings(max_examples=600, deadline=None)
@given(_DATE_LIKE)
def test_every_date_suggestion_is_itself_a_valid_date(value):
    """parse_date accepts or raises ValueError; every YYYY[-MM[-DD]] it suggests parses, and none has None."""
    try:
        first, precision = parse_date(value)
    except ValueError as exc:
        message = str(exc)
        assert "None" not in message.replace(value.strip(), "")
        quoted = message.split("' ", 1)[1] if message.startswith("'") else message
        for suggestion in _suggestions(quoted):
            parse_date(suggestion)
    else:
        assert EARLIEST_YEAR <= first.year <= LATEST_YEAR and precision in ("year", "month", "day")


def _suggestions(message: str) -> list[str]:
    import re

    return re.findall(r"(?:write(?: only)?|here:|[0-9]{2}:)\s+([0-9]{4}(?:-[0-9]{2}){0,2})\b", message)


def test_suggestions_are_found_where_they_are_given():
    """(The helper above does find the suggestions it checks.)"""
    for value, expected in (("13/09/2022", ["2022-09-13"]), ("05/09/2022", ["2022-09-05", "2022-05-09"]),
                            ("2022/9/13", ["2022-09-13"]), ("2022-02-30", ["2022-02"]),
                            ("\u0662\u0660\u0662\u0662", ["2022"]), ("31/02/2022", [])):
        with pytest.raises(ValueError) as info:
            parse_date(value)
        assert _suggestions(str(info.value).split("' ", 1)[1]) == expected, str(info.value)


# --- the token cache: never inside raw/, skipped when it cannot be written ---------------------------------

def test_tokenize_writes_only_its_cache_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("RHETORIC_CACHE_DIR")
    folder = write_corpus(tmp_path / "c", TINY_TEXTS)
    raw_before = tree_state(folder / "raw")
    table_before = (folder / "corpus.csv").read_bytes()
    docs = load_corpus(folder)
    tokenize(docs)
    tokenize(docs, fold_spelling=True)
    assert tree_state(folder / "raw") == raw_before and (folder / "corpus.csv").read_bytes() == table_before
    written = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                     if not str(p.relative_to(folder)).startswith("raw") and p.name != "corpus.csv")
    assert written[:2] == ["interim", "interim/token-cache"]
    assert len(written) == 4 and all(w.startswith("interim/token-cache/") and w.endswith(".npz")
                                     and not Path(w).name.startswith(".") for w in written[2:])


def test_an_unwritable_cache_folder_is_skipped_with_a_warning(tmp_path, monkeypatch):
    """The corpus folder's interim/ is a file (as good as a read-only folder, even for root): a warning, the
    tokens all the same, and nothing written anywhere in the corpus folder."""
    monkeypatch.delenv("RHETORIC_CACHE_DIR")
    folder = write_corpus(tmp_path / "c", TINY_TEXTS)
    (folder / "interim").write_text("not a folder", encoding="utf-8")
    before = tree_state(folder)
    docs = load_corpus(folder)
    with pytest.warns(UserWarning, match=f"token cache not written to {folder / 'interim' / 'token-cache'}"):
        tokens = tokenize(docs)
    assert tokens.n_tokens == 44
    assert tree_state(folder) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_corpus_folder_is_not_written(tmp_path, monkeypatch):
    monkeypatch.delenv("RHETORIC_CACHE_DIR")
    folder = write_corpus(tmp_path / "c", TINY_TEXTS)
    before = tree_state(folder)
    for path in [folder, folder / "raw"]:
        path.chmod(0o555)
    try:
        docs = load_corpus(folder)
        with pytest.warns(UserWarning, match="token cache not written"):
            assert tokenize(docs).n_tokens == 44
    finally:
        for path in [folder, folder / "raw"]:
            path.chmod(0o755)
    assert tree_state(folder) == before


# --- random corpus.csv files ----------------------------------------------------------------------------

_COLUMNS = ["doc_id", "date", "file", "date_precision", "period", "title", "translation_group", "translation",
            "sha256", "Date", "dat", "", "doc_id", "extra"]
_FILES = ["raw/a.txt", "raw/b.txt", "raw/cp1251.txt", "raw/empty.txt", "raw/binary.txt", "raw/pipe.txt",
          "raw/loop.txt", "raw", "raw/missing.txt", "../outside.txt", "/etc/hostname", "raw\\a.txt", "C:\\a.txt",
          "raw/" + "y" * 300 + ".txt", "raw/a.txt\x00", "raw/\u00e4.txt", " raw/a.txt ", "raw/./a.txt",
          "raw/../raw/b.txt", "raw/a.txt/x"]
_DATES = ["2022", "2022-09", "2022-09-13", "2022-02-30", "2022-13", "13/09/2022", "0000", "9999-01-01",
          "\u0662\u0660\u0662\u0662", "", "Sept 2022", "2022-09-13 00:00:00"]
_CELL = st.one_of(st.sampled_from(_FILES + _DATES + ["a", "b", "official", "day", "month", "0" * 64]),
                  st.text(max_size=15))
_ROW = st.fixed_dictionaries({"doc_id": st.one_of(st.sampled_from(["a", "b", "a", ""]), st.text(max_size=8)),
                              "date": st.one_of(st.sampled_from(_DATES), st.text(max_size=12)),
                              "file": st.one_of(st.sampled_from(_FILES), st.text(max_size=20))},
                             optional={"extra": _CELL, "date_precision": _CELL, "sha256": _CELL,
                                       "translation_group": _CELL})


_GOOD_DATES = ["2022", "2022-09", "2022-09-13", f"{EARLIEST_YEAR}", f"{LATEST_YEAR}-12-31", " 2024-02-29 "]
_GOOD_FILES = ["raw/a.txt", "raw/b.txt", "raw/\u00e4.txt", "raw/./a.txt", "raw/../raw/b.txt"]


@st.composite
def corpus_tables(draw) -> bytes:
    """The bytes of a corpus.csv: tables that should load (with odd but valid values, sometimes damaged in one
    place), hostile tables (odd values, broken CSV, other encodings and delimiters) and random bytes."""
    mode = draw(st.integers(0, 9))
    if mode == 0:
        return draw(st.binary(max_size=300))
    if mode <= 4:  # should load: unique ids, valid dates, files that are UTF-8 texts
        columns = ["doc_id", "date", "file"] + draw(st.lists(st.sampled_from(_COLUMNS[3:9] + ["extra"]), unique=True,
                                                             max_size=3))
        n = draw(st.integers(1, 4))
        rows = [{"doc_id": f"d{i}" + draw(st.text(max_size=4)).replace("\x00", ""),
                 "date": draw(st.sampled_from(_GOOD_DATES)), "file": draw(st.sampled_from(_GOOD_FILES)),
                 "date_precision": "", "sha256": draw(st.sampled_from(["", "0" * 64]))} for i in range(n)]
        extra = st.text(max_size=10)
        delimiters, encodings = [","], ["utf-8", "utf-8-sig"]
    else:
        columns = draw(st.lists(st.sampled_from(_COLUMNS), min_size=0, max_size=6))
        if draw(st.booleans()):
            columns = ["doc_id", "date", "file"] + columns
        rows = draw(st.lists(_ROW, max_size=5))
        extra = _CELL
        delimiters, encodings = [",", ",", ",", ";", "\t"], ["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1251",
                                                               "latin-1"]
    out = io.StringIO()
    writer = csv.writer(out, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])),
                        delimiter=draw(st.sampled_from(delimiters)),
                        lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    writer.writerow(columns)
    for row in rows:
        cells = [row.get(column, draw(extra)) for column in columns]
        if mode > 4:
            cells += draw(st.lists(_CELL, max_size=2))  # sometimes more fields than the header
        writer.writerow(cells)
    text = out.getvalue()
    if draw(st.integers(0, 4)) == 0:  # a stray quote, a broken line
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', '"\n', "\x00", "\ufeff", ",,,", "\n\n"])) + text[at:]
    return text.encode(draw(st.sampled_from(encodings)), errors="replace")


@pytest.fixture(scope="module")
def odd_folder(tmp_path_factory):
    """A corpus folder whose raw/ holds good, empty, binary and non-UTF-8 texts, a pipe and a link loop."""
    folder = tmp_path_factory.mktemp("fuzz") / "corpus"
    raw = folder / "raw"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text("China and Kazakhstan. Good neighbours.\n", encoding="utf-8")
    (raw / "b.txt").write_text("Trade grew to $21.2 billion.\n", encoding="utf-8")
    (raw / "cp1251.txt").write_bytes("Китай и Казахстан — соседи.\n".encode("cp1251"))
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (raw / "\u00e4.txt").write_text("Umlaut file.\n", encoding="utf-8")
    os.mkfifo(raw / "pipe.txt")
    os.symlink("loop.txt", raw / "loop.txt")
    (folder.parent / "outside.txt").write_text("Outside.\n", encoding="utf-8")
    return folder


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(table=corpus_tables())
def test_random_corpus_tables_load_or_raise_corpus_error(odd_folder, table):
    """validate_corpus lists problems and load_corpus loads or raises CorpusError: no other exception, no hang,
    and raw/ untouched."""
    (odd_folder / "corpus.csv").write_bytes(table)
    before = tree_state(odd_folder / "raw")
    with no_hang(20), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        problems = validate_corpus(odd_folder)
        assert all(isinstance(p, Problem) and "\n" not in str(p) for p in problems)
        try:
            docs = load_corpus(odd_folder)
        except CorpusError as exc:
            event("refused")
            errors = [p for p in problems if p.severity == "error"]
            assert errors and all(str(p) in str(exc) for p in errors)
        else:
            event("loaded")
            assert not [p for p in problems if p.severity == "error"]
            assert len(docs) and docs["doc_id"].is_unique
            assert docs["year"].between(EARLIEST_YEAR, LATEST_YEAR).all()
            tokenize(docs, cache=False)
    assert tree_state(odd_folder / "raw") == before
