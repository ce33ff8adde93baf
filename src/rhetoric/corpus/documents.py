"""Read and validate a corpus folder into a documents table.

A corpus is any folder holding a ``corpus.csv`` with at least the columns
``doc_id``, ``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and ``file``
(path relative to that folder). Raw files are only ever opened for reading;
cleaning happens in memory (:mod:`rhetoric.corpus.cleaning`).

Every problem found is a :class:`Problem` naming the file, the line of
``corpus.csv``, the field and the fix; :func:`validate_corpus` lists them all,
:func:`load_corpus` raises one :class:`~rhetoric.errors.CorpusError` listing the
errors (one per line).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import shlex
import unicodedata
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import CorpusError
from .cleaning import clean_text, load_rules, rules_fingerprint

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PRECISIONS = ("year", "month", "day")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
TRANSLATION_VALUES = ("official", "unofficial")
"""Values of the ``translation`` column that :func:`one_per_translation_group` knows by name."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a corpus, located and with a fix."""

    file: str
    line: int | None
    field: str | None
    message: str
    severity: str = "error"  # "error" stops loading; "warning" is reported by validate

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


# --- dates ------------------------------------------------------------------------

def parse_date(value: str) -> tuple[pd.Timestamp, str]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Returns
    -------
    (Timestamp, str)
        The first day of the period, and its precision (``year``, ``month``, ``day``).

    Raises
    ------
    ValueError
        If the value has another shape or names an impossible date (2022-02-30);
        the message says what to write instead.
    """
    text = str(value).strip()
    match = _DATE_RE.match(text)
    if not match:
        hint = ""
        other = re.match(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$", text)
        if other:
            hint = f" (for day {other.group(1)}, month {other.group(2)}: {other.group(3)}-" \
                   f"{int(other.group(2)):02d}-{int(other.group(1)):02d})"
        raise ValueError(f"'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD{hint}, "
                         "only as precise as you know it")
    year, month, day = match.groups()
    precision = _PRECISIONS[(month is not None) + (day is not None)]
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"'{text}' is an impossible date: month {month} does not exist; "
                         "write YYYY-MM with a month from 01 to 12")
    try:
        first = _date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"'{text}' is an impossible date ({exc}); check the day, or write only "
                         f"{year}-{month} if the day is not known") from exc
    return pd.Timestamp(first), precision


# --- reading text files -----------------------------------------------------------

_ENCODINGS = (
    # Python codec, how to name it, name for iconv
    ("cp1251", "Windows-1251 (Cyrillic)", "WINDOWS-1251"),
    ("kz1048", "KZ-1048 (Kazakh Cyrillic)", "RK1048"),
    ("koi8_r", "KOI8-R (Cyrillic)", "KOI8-R"),
    ("cp866", "CP866 (DOS Cyrillic)", "CP866"),
    ("mac_cyrillic", "Mac Cyrillic", "MAC-CYRILLIC"),
    ("iso8859_5", "ISO-8859-5 (Cyrillic)", "ISO-8859-5"),
    ("latin_1", "Latin-1 (ISO-8859-1)", "ISO-8859-1"),
    ("cp1252", "Windows-1252 (Western European)", "WINDOWS-1252"),
    ("cp1250", "Windows-1250 (Central European)", "WINDOWS-1250"),
)
_CYRILLIC_CODECS = {"cp1251", "kz1048", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5"}
_RUSSIAN = set("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_KAZAKH = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")
_COMMON_SYMBOLS = set("«»—–„“”‘’…№°•·€§©®™±×")
_LETTERS = re.compile(r"[^\W\d_]+")


def _badness(text: str) -> float:
    """How implausible a decoding looks: odd symbols, mixed scripts, case flips inside words."""
    bad = 0.0
    for ch in text:
        if ord(ch) < 128:
            continue
        category = unicodedata.category(ch)
        if category.startswith("L"):
            if "\u0400" <= ch <= "\u04ff" and ch not in _RUSSIAN and ch not in _KAZAKH:
                bad += 1  # Serbian or Macedonian letters: rarely meant in a Russian or Kazakh text
        elif ch not in _COMMON_SYMBOLS and not category.startswith("Z"):
            bad += 3  # control characters, box drawing, odd symbols
    for word in _LETTERS.findall(text):
        latin = sum(c.isascii() for c in word)
        cyrillic = sum("\u0400" <= c <= "\u04ff" for c in word)
        other = len(word) - latin - cyrillic
        if latin and cyrillic:
            bad += 4
        if other >= 2 and other * 2 >= len(word):
            bad += 2  # mostly accented Latin letters: Cyrillic read as Latin
        bad += 2 * sum(1 for a, b in zip(word, word[1:]) if a.islower() and b.isupper())
    return bad


def guess_encoding(data: bytes) -> tuple[str, str, str] | None:
    """The likely encoding of bytes that are not UTF-8.

    Tries the encodings Russian, Kazakh and Western European texts come in
    (Windows-1251, KZ-1048, KOI8-R, CP866, Mac Cyrillic, ISO-8859-5, Latin-1,
    Windows-1252, Windows-1250) and keeps the decoding that reads most like
    text: fewest control characters and odd symbols, fewest words mixing Latin
    and Cyrillic letters, fewest case flips inside words; ties go to the
    earlier encoding in that list.

    Returns
    -------
    (codec, name, iconv_name) or None
        Python codec, a readable name, and the name ``iconv`` knows; None if
        no candidate reads as text.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf_16", "UTF-16", "UTF-16")
    sample = data[:200_000]
    best = None
    for order, (codec, name, iconv) in enumerate(_ENCODINGS):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        bad = _badness(text)
        if codec in _CYRILLIC_CODECS and not any("\u0400" <= c <= "\u04ff" for c in text):
            bad += 0.5  # no Cyrillic letter read: a Western encoding names it better
        if best is None or (bad, order) < best[0]:
            best = ((bad, order), (codec, name, iconv))
    if best is None or best[0][0] > max(10, len(sample) // 20):
        return None
    return best[1]


_MAGIC = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (a Word .docx or Excel .xlsx file?)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.doc or .xls)"),
    (b"{\\rtf", "an RTF file"),
)


def _decode(data: bytes, shown: str, *, kind: str = "text", where: Path | None = None) -> str:
    """UTF-8 text of ``data`` (a byte-order mark is accepted), or a CorpusError saying what it is."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise CorpusError(f"'{shown}' is {what}, not plain text; export it as plain text (UTF-8 .txt).")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        command = _convert_command(shown, "UTF-16", where)
        raise CorpusError(f"'{shown}' is UTF-16, not UTF-8; convert it{command}.")
    if b"\x00" in data[:1_000_000]:
        raise CorpusError(f"'{shown}' looks binary (it contains NUL bytes), not {kind}; "
                          "save it as plain UTF-8 text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = guess_encoding(data)
        if guess is None:
            hint = "; save it as UTF-8"
        else:
            hint = f"; it looks like {guess[1]}: convert it{_convert_command(shown, guess[2], where)}"
        raise CorpusError(f"'{shown}' is not UTF-8 (byte 0x{data[exc.start]:02X} on line {line}, "
                          f"column {column}){hint}.") from exc


def _convert_command(shown: str, iconv_name: str, where: Path | None) -> str:
    target = re.sub(r"(\.[^./]+)?$", lambda m: ".utf8" + (m.group(1) or ".txt"), shown, count=1)
    folder = f" in {shlex.quote(str(where))}" if where is not None else ""
    then = (f"then replace {shown} with {target}" if shown == config.CORPUS_TABLE
            else f"then point 'file' at {target} and update its sha256")
    return f"{folder} with: iconv -f {iconv_name} -t UTF-8 {shlex.quote(shown)} > {shlex.quote(target)} ({then})"


def read_text_file(path: Path, *, display: str | None = None, corpus_dir: Path | None = None) -> str:
    """Read a raw text file as UTF-8 (a byte-order mark is accepted; the file is only read).

    Raises
    ------
    CorpusError
        If the file is missing, a folder, unreadable, empty, binary (or a PDF,
        Word or Excel file) or not UTF-8; for a non-UTF-8 file the message
        names the likely encoding and the ``iconv`` command that converts it.
    """
    return _read_text(Path(path), display or str(path), corpus_dir)[0]


def _read_text(path: Path, shown: str, corpus_dir: Path | None) -> tuple[str, bytes]:
    if not path.exists():
        raise CorpusError(f"'{shown}' not found{_near_names(path, shown)}; check the 'file' column "
                          "(paths are relative to the folder of corpus.csv).")
    if path.is_dir():
        raise CorpusError(f"'{shown}' is a folder, not a text file; point 'file' at a .txt file.")
    try:
        with open(path, "rb") as handle:  # read only, never written
            data = handle.read()
    except OSError as exc:
        raise CorpusError(f"'{shown}' cannot be read ({exc.strerror or exc}); check its permissions.") from exc
    if not data.strip():
        raise CorpusError(f"'{shown}' is empty; add its text or remove its row.")
    text = _decode(data, shown, where=corpus_dir)
    if not text.strip():
        raise CorpusError(f"'{shown}' is empty (only a byte-order mark or white space); add its text "
                          "or remove its row.")
    return text, data


def _near_names(path: Path, shown: str) -> str:
    hints = []
    if "\\" in shown:
        hints.append("write paths with '/', not '\\'")
    folder = path.parent
    if folder.is_dir():
        names = [p.name for p in folder.iterdir()]
        close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.85)
        if not close:
            close = [n for n in names if n.lower() == path.name.lower()]
        if close:
            hints.append(f"did you mean '{close[0]}'?")
    elif not folder.exists():
        hints.append(f"the folder '{folder.name}' does not exist either")
    return f" ({'; '.join(hints)})" if hints else ""


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


# --- corpus.csv ---------------------------------------------------------------------

def _read_table(corpus_dir: Path) -> tuple[list[str], list[tuple[int, dict]], list[Problem]]:
    """Rows of corpus.csv with their line numbers, or the problems that stop reading it."""
    table = corpus_dir / config.CORPUS_TABLE
    name = str(table)

    def stop(message, line=None, field=None):
        return [], [], [Problem(name, line, field, _one_line(message))]

    if not corpus_dir.exists():
        return [], [], [Problem(str(corpus_dir), None, None,
                                "corpus folder not found; pass --corpus DIR with a folder holding corpus.csv.")]
    if corpus_dir.is_file():
        return [], [], [Problem(str(corpus_dir), None, None,
                                "is a file, not a folder; pass the folder that holds corpus.csv.")]
    if table.is_dir():
        return stop("is a folder; corpus.csv must be a CSV file.")
    if not table.exists():
        others = sorted(p.name for p in corpus_dir.iterdir()
                        if p.is_file() and p.suffix.lower() in (".csv", ".tsv", ".xlsx", ".xls", ".txt")
                        and p.name != config.CORPUS_TABLE and "corpus" in p.name.lower())
        hint = f" (found {', '.join(others)}: rename or save it as corpus.csv)" if others else ""
        return stop(f"missing{hint}; a corpus folder needs a corpus.csv with the columns doc_id, date, file.")
    try:
        with open(table, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return stop(f"cannot be read ({exc.strerror or exc}); check its permissions.")
    if not data.strip():
        return stop("is empty; add a header row (doc_id,date,file) and one row per text.")
    try:
        text = _decode(data, config.CORPUS_TABLE, kind="a CSV table", where=corpus_dir)
    except CorpusError as exc:
        return stop(str(exc).replace(f"'{config.CORPUS_TABLE}' ", "", 1))
    if not text.strip():
        return stop("is empty; add a header row (doc_id,date,file) and one row per text.")
    first = text.splitlines()[0]
    if "," not in first:
        for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|' characters")):
            if sep in first:
                return stop(f"columns are separated by {label}, not commas; save it as comma-separated "
                            "CSV (in a spreadsheet: CSV UTF-8, comma-delimited).", line=1)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = [h.strip() for h in next(reader)]
        start = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        return stop(f"not valid CSV ({exc}); check the quotes on this line.", line=reader.line_num)
    problems = []
    missing = [c for c in config.REQUIRED_COLUMNS if c not in header]
    if missing:
        hints = []
        for col in missing:
            close = difflib.get_close_matches(col, [h for h in header if h not in config.KNOWN_COLUMNS],
                                              n=1, cutoff=0.6)
            if close:
                hints.append(f"'{close[0]}' looks like '{col}'")
        return stop(f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                    f"the header is: {', '.join(header) or '(empty)'}"
                    + (f" ({'; '.join(hints)}; rename it)" if hints else "; add it") + ".",
                    line=1, field=", ".join(missing))
    duplicates = sorted({h for h in header if header.count(h) > 1 and h})
    if duplicates:
        return stop(f"column{'s' if len(duplicates) > 1 else ''} {', '.join(duplicates)} named twice in the "
                    "header; keep one of each.", line=1, field=", ".join(duplicates))
    for col in header:
        if col and col not in config.KNOWN_COLUMNS:
            close = difflib.get_close_matches(col, config.KNOWN_COLUMNS, n=1, cutoff=0.75)
            if close:
                problems.append(Problem(name, 1, col, f"unknown column; did you mean '{close[0]}'? "
                                        f"(rename it, or its values will not be used as '{close[0]}')",
                                        severity="warning"))
    out = []
    for line, record in rows:
        if len(record) != len(header):
            if len(record) > len(header) and not any(c.strip() for c in record[len(header):]):
                record = record[:len(header)]  # trailing empty cells (spreadsheets add them)
            else:
                problems.append(Problem(name, line, None,
                                        f"has {len(record)} fields, the header has {len(header)}; "
                                        "put values that contain commas in double quotes."))
                continue
        out.append((line, {h: v.strip() for h, v in zip(header, record) if h}))
    if not out and not problems:
        problems.append(Problem(name, None, None, "has a header but no documents; add one row per text."))
    return header, out, problems


def _check_rows(corpus_dir: Path, rows: list[tuple[int, dict]], *, verify: bool) -> tuple[list[dict], list[Problem]]:
    table = str(corpus_dir / config.CORPUS_TABLE)
    root = corpus_dir.resolve()
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    seen_files: dict[Path, int] = {}
    good = []
    for line, row in rows:
        bad = False

        def problem(field, message, severity="error"):
            problems.append(Problem(table, line, field, _one_line(message), severity))

        doc_id = row["doc_id"]
        if not doc_id:
            problem("doc_id", "empty; give every document a unique id.")
            bad = True
        elif doc_id in seen:
            problem("doc_id", f"'{doc_id}' is already used on line {seen[doc_id]}; ids must be unique.")
            bad = True
        else:
            seen[doc_id] = line
        date_start = precision = None
        try:
            date_start, precision = parse_date(row["date"])
        except ValueError as exc:
            problem("date", str(exc) + ".")
            bad = True
        stated = row.get("date_precision", "")
        if stated and precision and stated != precision:
            if stated not in _PRECISIONS:
                problem("date_precision", f"'{stated}' is not a precision; write day, month or year "
                        "(or leave it empty: it follows from the date).")
            else:
                problem("date_precision", f"'{stated}' does not fit date '{row['date']}' (which has {precision} "
                        "precision); write only the parts of the date you know.")
            bad = True
        stated_hash = row.get("sha256", "").strip().lower()
        if stated_hash and not _SHA_RE.match(stated_hash):
            problem("sha256", f"'{row['sha256']}' is not a SHA-256 (64 hexadecimal characters); "
                    "copy it from `sha256sum FILE`, or leave it empty.")
            bad = True
            stated_hash = ""
        rel = row["file"]
        if not rel:
            problem("file", "empty; give the path of the text, relative to the folder of corpus.csv.")
            continue
        path = corpus_dir / rel
        resolved = path.resolve()
        if Path(rel).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", rel) or (
                root != resolved and root not in resolved.parents):
            problem("file", f"'{rel}' points outside the corpus folder; keep texts inside {corpus_dir} "
                    "and give their paths relative to it (e.g. raw/name.txt).")
            continue
        if resolved in seen_files:
            problem("file", f"'{rel}' is also the text of line {seen_files[resolved]}; each row needs its own "
                    "file (a second version of a text is a second file).", severity="warning")
        seen_files.setdefault(resolved, line)
        try:
            text, data = _read_text(path, rel, corpus_dir)
        except CorpusError as exc:
            problem("file", str(exc))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if verify and stated_hash and stated_hash != digest:
            problem("sha256", f"'{rel}' has changed since its checksum was recorded (sha256 is {digest[:12]}..., "
                    f"corpus.csv says {stated_hash[:12]}...); restore the original file, or if the change is "
                    "intended, update its sha256.")
            bad = True
        if not bad:
            good.append({**row, "_line": line, "_path": resolved, "_raw": text, "_sha": digest,
                         "_date_start": date_start, "_precision": precision})
    return good, problems


def _extra_files(corpus_dir: Path, rows: list[tuple[int, dict]]) -> list[Problem]:
    listed = {(corpus_dir / row["file"]).resolve() for _, row in rows if row.get("file")}
    root = corpus_dir.resolve()
    folders = {p.parent for p in listed if p.parent == root or root in p.parent.parents}
    extra = []
    for folder in sorted(folders):
        if not folder.is_dir():
            continue
        for candidate in sorted(folder.glob("*.txt")):
            if candidate.resolve() not in listed:
                extra.append(Problem(str(candidate), None, None,
                                     "text file not listed in corpus.csv; add a row for it or move it out.",
                                     severity="warning"))
    return extra


def validate_corpus(corpus_dir: str | Path | None = None) -> list[Problem]:
    """Every problem with a corpus folder, one per item, errors and warnings.

    Checks: corpus.csv present, UTF-8, comma-separated, with the required
    columns and no column twice; rows with the right number of fields; unique
    ids; parseable, possible dates and fitting precisions; well-formed
    checksums; files that exist inside the folder and are non-empty UTF-8
    text; recorded checksums; (warnings) text files not listed, two rows
    naming one file, unknown columns that look like typos of known ones.

    Returns
    -------
    list of Problem
        Errors first in file order, then warnings.
    """
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else config.DATA_DIR
    _, rows, problems = _read_table(corpus_dir)
    if rows:
        _, row_problems = _check_rows(corpus_dir, rows, verify=True)
        problems += row_problems + _extra_files(corpus_dir, rows)
    return [p for p in problems if p.severity == "error"] + [p for p in problems if p.severity != "error"]


def load_corpus(corpus_dir: str | Path | None = None, *, verify: bool = True,
                rules_path: str | Path | None = None, progress: bool | None = None) -> pd.DataFrame:
    """Load a corpus folder into a documents table, one row per text, sorted by date.

    Parameters
    ----------
    corpus_dir : path, default the project's ``data/``
        Folder holding ``corpus.csv``.
    verify : bool, default True
        Check each recorded ``sha256`` against the file.
    rules_path : path, optional
        Cleaning rules; default ``data/cleaning.yml`` of the project.
    progress : bool, optional
        Show a progress bar while cleaning (default: only in a terminal).

    Returns
    -------
    DataFrame
        The columns of corpus.csv (strings; missing optional ones filled with
        ``""``, ``translation_group`` defaulting to ``doc_id``), plus
        ``year`` (int), ``date_start`` (first day of the dated period),
        ``date_precision``, ``sha256`` (of the raw bytes), ``path`` (absolute),
        ``raw_text``, ``text`` (cleaned), ``offsets`` (:class:`~rhetoric.corpus.cleaning.OffsetMap`),
        ``rule_counts`` (dict rule id -> count), ``n_chars`` (cleaned).
        ``attrs["corpus_dir"]`` holds the folder, ``attrs["rules_fingerprint"]``
        the cleaning rules' fingerprint.

    Raises
    ------
    CorpusError
        Listing every error found (one line each), as :func:`validate_corpus` would.
    """
    from ..progress import progress_bar

    corpus_dir = Path(corpus_dir) if corpus_dir is not None else config.DATA_DIR
    header, rows, problems = _read_table(corpus_dir)
    good = []
    if rows:
        good, row_problems = _check_rows(corpus_dir, rows, verify=verify)
        problems += row_problems
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CorpusError("corpus cannot be loaded:\n" + "\n".join(f"  {p}" for p in errors)
                          + f"\nRun `rhetoric validate --corpus {shlex.quote(str(corpus_dir))}` for the full list.")
    rules = load_rules(rules_path)
    records = []
    for row in progress_bar(good, desc="cleaning", unit="doc", enable=progress):
        cleaned = clean_text(row["_raw"], rules, doc_id=row["doc_id"])
        record = {col: row.get(col, "") for col in config.KNOWN_COLUMNS}
        record.update({h: row[h] for h in header if h and h not in record})
        record.update(
            translation_group=row.get("translation_group") or row["doc_id"],
            date_precision=row["_precision"],
            year=row["_date_start"].year,
            date_start=row["_date_start"],
            sha256=row["_sha"],
            path=row["_path"],
            raw_text=row["_raw"],
            text=cleaned.text,
            offsets=cleaned.offsets,
            rule_counts=cleaned.rule_counts,
            n_chars=len(cleaned.text),
        )
        records.append(record)
    docs = pd.DataFrame.from_records(records)
    docs = docs.sort_values(["date_start", "doc_id"], kind="stable").reset_index(drop=True)
    docs["year"] = docs["year"].astype(int)
    docs.attrs["corpus_dir"] = str(corpus_dir.resolve())
    docs.attrs["rules_fingerprint"] = rules_fingerprint(rules)
    return docs


def corpus_summary(docs: pd.DataFrame, tokens=None) -> pd.DataFrame:
    """One line per document for listing.

    Returns
    -------
    DataFrame
        ``doc_id, date, year, [n_tokens,] author, title, translation_group,
        translation, sha256`` (``n_tokens`` when ``tokens`` is given).
    """
    cols = ["doc_id", "date", "year", "author", "title", "translation_group", "translation", "sha256"]
    out = docs[[c for c in cols if c in docs.columns]].copy()
    if tokens is not None:
        out.insert(3, "n_tokens", out["doc_id"].map(tokens.doc_lengths()).astype(int))
    return out.reset_index(drop=True)
