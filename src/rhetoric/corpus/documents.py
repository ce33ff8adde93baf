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
import stat
import unicodedata
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import CorpusError
from .cleaning import MAIN_PART, clean_text, load_rules, rules_fingerprint, split_parts

_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
EARLIEST_YEAR = 1900
"""Earliest year a date may have (a year before it is taken for a typo)."""
LATEST_YEAR = 2100
"""Latest year a date may have."""
_PRECISIONS = ("year", "month", "day")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
TRANSLATION_VALUES = ("official", "unofficial")
"""Values of the ``translation`` column that :func:`one_per_translation_group` knows by name."""
LANGUAGE_NAMES = {
    "zh": ("zh", "zh-cn", "zh-hans", "zh-hant", "zh-tw", "zh-hk", "zh-sg", "zho", "chi", "cmn", "chinese",
           "中文", "汉语", "漢語", "简体中文", "繁體中文"),
    "en": ("en", "en-us", "en-gb", "eng", "english"),
    "ru": ("ru", "ru-ru", "rus", "russian"),
    "kk": ("kk", "kaz", "kazakh"),
}
"""Spellings of a language in the ``language`` column, read as its two-letter code."""
_LANGUAGE_CODE = {name: code for code, names in LANGUAGE_NAMES.items() for name in names}
PARAGRAPH_MISMATCH = (3, 1.5)
"""A translation pair's paragraph counts differ a lot (a warning of :func:`validate_corpus`) when the larger is
at least 3 more than the smaller and more than 1.5 times it."""


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
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (digits 0-9, years :data:`EARLIEST_YEAR` to :data:`LATEST_YEAR`).

    Returns
    -------
    (Timestamp, str)
        The first day of the period, and its precision (``year``, ``month``, ``day``).

    Raises
    ------
    ValueError
        If the value has another shape, other digits, a year out of range or
        names an impossible date (2022-02-30); the message says what to write
        instead, suggesting a date only when the suggestion is itself valid.

    Examples
    --------
    >>> parse_date("2022-09")
    (Timestamp('2022-09-01 00:00:00'), 'month')
    >>> parse_date("2022/9/13")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: '2022/9/13' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (here: 2022-09-13), only as ...
    """
    text = str(value).strip()
    match = _DATE_RE.match(text)
    if not match:
        other = [ch for ch in text if ch.isdigit() and not ch.isascii()]
        if other:
            script = unicodedata.name(other[0], "").split(" DIGIT")[0] or "non-ASCII"
            ascii_text = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)
            fix = f"write {ascii_text}" if _valid_date(ascii_text) else \
                f"write it with the digits 0-9 as YYYY, YYYY-MM or YYYY-MM-DD{_date_hint(ascii_text)}"
            raise ValueError(f"'{text}' is not a date: it is written with {script} digits, not 0-9; {fix}")
        raise ValueError(f"'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD{_date_hint(text)}, "
                         "only as precise as you know it")
    year, month, day = match.groups()
    precision = _PRECISIONS[(month is not None) + (day is not None)]
    if not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
        raise ValueError(f"'{text}' has the year {year}, outside {EARLIEST_YEAR} to {LATEST_YEAR}; "
                         "check the year for a typo")
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"'{text}' is an impossible date: month {month} does not exist; "
                         "write YYYY-MM with a month from 01 to 12")
    try:
        first = _date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:  # only a day can be impossible here
        raise ValueError(f"'{text}' is an impossible date ({exc}); check the day, or write only "
                         f"{year}-{month} if the day is not known") from exc
    return pd.Timestamp(first), precision


def _valid_date(text: str) -> bool:
    try:
        parse_date(text)
    except ValueError:
        return False
    return True


def _date_hint(text: str) -> str:
    """A suggestion for a date written another way (13/09/2022, 2022/9/13, 2022-09-13 00:00), or ''."""
    readings = []
    found = re.fullmatch(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})", text)
    if found:
        first, second, year = found.groups()
        if int(second) <= 12:
            readings.append((f"day {first}, month {second}", f"{year}-{int(second):02d}-{int(first):02d}"))
        if int(first) <= 12 and first != second:
            readings.append((f"month {first}, day {second}", f"{year}-{int(first):02d}-{int(second):02d}"))
    found = re.fullmatch(r"([0-9]{4})[./-]([0-9]{1,2})(?:[./-]([0-9]{1,2}))?", text)
    if found:
        year, month, day = found.groups()
        readings.append(("", f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")))
    found = re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9:.+Z -]*", text)
    if found:
        readings.append(("", found.group(1)))
    valid = [(label, date) for label, date in readings if _valid_date(date)]
    if not valid:
        return ""
    return " (" + "; ".join(f"for {label}: {date}" if label else f"here: {date}" for label, date in valid) + ")"


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

    Examples
    --------
    >>> guess_encoding("Китай и Казахстан — добрые соседи.".encode("cp1251"))
    ('cp1251', 'Windows-1251 (Cyrillic)', 'WINDOWS-1251')
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
        If the file is missing, a folder, not a regular file (a pipe or a
        device, which would block or never end), unreadable, empty, binary (or
        a PDF, Word or Excel file) or not UTF-8; for a non-UTF-8 file the
        message names the likely encoding and the ``iconv`` command that
        converts it.

    Examples
    --------
    >>> from rhetoric import config
    >>> read_text_file(config.RAW_DIR / "2022-09_zhang-xiao_ambassador-byline_xi-visit-blueprint.txt")[:20]
    'President Xi Jinping'
    >>> read_text_file(Path("/dev/zero"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rhetoric.errors.CorpusError: '/dev/zero' is not a regular file (a pipe, socket or device); point 'file' at ...
    """
    return _read_text(Path(path), display or str(path), corpus_dir)[0]


def _read_text(path: Path, shown: str, corpus_dir: Path | None) -> tuple[str, bytes]:
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise CorpusError(f"'{shown}' not found{_near_names(path, shown)}; check the 'file' column "
                          "(paths are relative to the folder of corpus.csv).") from None
    except OSError as exc:
        raise CorpusError(f"'{shown}' cannot be read ({exc.strerror or exc}); check the path and its "
                          "permissions.") from None
    if stat.S_ISDIR(mode):
        raise CorpusError(f"'{shown}' is a folder, not a text file; point 'file' at a .txt file.")
    if not stat.S_ISREG(mode):  # a pipe or a device would block or never end
        raise CorpusError(f"'{shown}' is not a regular file (a pipe, socket or device); point 'file' at a "
                          "saved .txt file.")
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
    try:
        if folder.is_dir():
            names = [p.name for p in folder.iterdir()]
            close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.85)
            if not close:
                close = [n for n in names if n.lower() == path.name.lower()]
            if close:
                hints.append(f"did you mean '{close[0]}'?")
        elif not folder.exists():
            hints.append(f"the folder '{folder.name}' does not exist either")
    except OSError:
        pass  # only a hint
    return f" ({'; '.join(hints)})" if hints else ""


def _resolve(path: Path) -> Path | None:
    """``path`` with symbolic links resolved, or None for a link loop or a name the system refuses."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return None


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (what ``sha256sum FILE`` prints; a regular file only).

    Examples
    --------
    >>> from rhetoric import config
    >>> sha256_of(config.RAW_DIR / "2022-09_zhang-xiao_ambassador-byline_xi-visit-blueprint.txt")[:12]
    '70390a2dfb91'
    """
    path = Path(path)
    if not path.is_file():  # False for a pipe or a device, which would block or never end
        raise CorpusError(f"'{path}' is not a regular file; give the path of a saved file.")
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- languages and paragraphs -------------------------------------------------------------

def language_code(value: str, text: str = "") -> str:
    """The ``language`` of a document: its two-letter code, or "zh" found in a text that gives none.

    A known spelling (:data:`LANGUAGE_NAMES`: "zh-CN", "Chinese", "中文" ...) is
    read as its code; another value is kept as written (lower case). An empty
    value is "zh" when most of the text's letters are Chinese characters (the
    tokenizer cuts them into words whatever the language), else stays empty.

    Examples
    --------
    >>> language_code("zh-Hant"), language_code("English"), language_code("", "中哈关系。"), language_code("", "Text.")
    ('zh', 'en', 'zh', '')
    """
    from .tokens import HAN_CHARACTERS

    stated = " ".join(str(value or "").split()).lower()
    if stated:
        return _LANGUAGE_CODE.get(stated, stated)
    sample = str(text)[:20_000]
    letters = sum(1 for ch in sample if ch.isalpha())
    han = len(re.findall(f"[{HAN_CHARACTERS}]", sample))
    return "zh" if letters and 2 * han > letters else ""


def _paragraph_count(text: str) -> int:
    from .tokens import paragraph_spans

    return len(paragraph_spans(text.replace("\r\n", "\n").replace("\r", "\n")))


def _paragraph_mismatches(table: str, good: list[dict]) -> list[Problem]:
    """Warnings for translation groups whose versions' paragraph counts differ a lot (:data:`PARAGRAPH_MISMATCH`)."""
    groups: dict[str, list[dict]] = {}
    for row in good:
        name = row.get("translation_group") or ""
        if name:
            groups.setdefault(name, []).append(row)
    problems = []
    more, times = PARAGRAPH_MISMATCH
    for name, rows in groups.items():
        if len(rows) < 2:
            continue
        counted = sorted(((_paragraph_count(r["_raw"]), r["_line"], r["doc_id"]) for r in rows), key=lambda x: x[0])
        (low, line, low_id), (high, _, high_id) = counted[0], counted[-1]
        if high - low >= more and high > times * low:
            problems.append(Problem(table, line, "translation_group", _one_line(
                f"translation group '{name}': '{high_id}' has {high} paragraphs, '{low_id}' only {low}; the "
                "alignment pairs paragraphs, so check that both texts separate paragraphs the same way (blank "
                "lines, or one paragraph per line) and whether one is an excerpt."), severity="warning"))
    return problems


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
    if not corpus_dir.is_dir():
        what = "a file" if corpus_dir.is_file() else "a pipe, socket or device"
        return [], [], [Problem(str(corpus_dir), None, None,
                                f"is {what}, not a folder; pass the folder that holds corpus.csv.")]
    try:
        mode = table.stat().st_mode
    except FileNotFoundError:
        try:
            others = sorted(p.name for p in corpus_dir.iterdir()
                            if p.suffix.lower() in (".csv", ".tsv", ".xlsx", ".xls", ".txt")
                            and p.name != config.CORPUS_TABLE and "corpus" in p.name.lower() and p.is_file())
        except OSError:
            others = []  # only a hint
        hint = f" (found {', '.join(others)}: rename or save it as corpus.csv)" if others else ""
        return stop(f"missing{hint}; a corpus folder needs a corpus.csv with the columns doc_id, date, file.")
    except OSError as exc:
        return stop(f"cannot be read ({exc.strerror or exc}); check its permissions.")
    if stat.S_ISDIR(mode):
        return stop("is a folder; corpus.csv must be a CSV file.")
    if not stat.S_ISREG(mode):  # a pipe or a device would block or never end
        return stop("is not a regular file (a pipe, socket or device); save corpus.csv as a file.")
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
    if not out and not any(p.severity == "error" for p in problems):
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
        if any(unicodedata.category(ch) == "Cc" for ch in rel):
            problem("file", f"{rel!r} contains a control character; give the path of the text, relative to the "
                    "folder of corpus.csv.")
            continue
        path = corpus_dir / rel
        resolved = _resolve(path)
        if resolved is None:
            problem("file", f"'{rel}' cannot be followed (a loop of symbolic links, or a name too long); point "
                    "'file' at a saved .txt file.")
            continue
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
    listed = {_resolve(corpus_dir / row["file"]) for _, row in rows if row.get("file")
              and not any(unicodedata.category(ch) == "Cc" for ch in row["file"])} - {None}
    root = corpus_dir.resolve()
    folders = {p.parent for p in listed if p.parent == root or root in p.parent.parents}
    extra = []
    for folder in sorted(folders):
        try:
            candidates = sorted(folder.glob("*.txt")) if folder.is_dir() else []
        except OSError:
            continue  # a folder that cannot be listed: nothing to warn about
        for candidate in candidates:
            if _resolve(candidate) not in listed:
                extra.append(Problem(str(candidate), None, None,
                                     "text file not listed in corpus.csv; add a row for it or move it out.",
                                     severity="warning"))
    return extra


def _part_problems(table: str, good: list[dict], rules_path: str | Path | None) -> list[Problem]:
    """Errors of the cleaning rules file, and documents whose whole text a part rule marks."""
    path = Path(rules_path) if rules_path is not None else config.CLEANING_RULES
    try:
        rules = load_rules(path)
    except CorpusError as exc:
        message = str(exc)
        match = re.match(re.escape(str(path)) + r"(?::(\d+))?: (.*)\Z", message, re.S)
        if match:
            return [Problem(str(path), int(match.group(1)) if match.group(1) else None, "rule",
                            _one_line(match.group(2)))]
        return [Problem(str(path), None, "rule", _one_line(message))]
    problems = []
    for row in good:
        problem = _whole_text_marked(row, rules)
        if problem:
            problems.append(Problem(table, row["_line"], "file", problem))
    return problems


def _whole_text_marked(row: dict, rules) -> str | None:
    """Why a document cannot be loaded because part rules mark all of its text (None if something is left)."""
    pieces = split_parts(clean_text(row["_raw"], rules, doc_id=row["doc_id"]))
    if MAIN_PART in pieces:
        return None
    names = ", ".join(sorted(pieces)) or "a part"
    return (f"the cleaning rules mark the whole text of '{row['doc_id']}' as {names}; nothing is left of the "
            "document itself: narrow the part rule's pattern in the cleaning rules.")


def validate_corpus(corpus_dir: str | Path | None = None, *, rules_path: str | Path | None = None) -> list[Problem]:
    """Every problem with a corpus folder, one per item, errors and warnings.

    Checks: corpus.csv present, UTF-8, comma-separated, with the required
    columns and no column twice; rows with the right number of fields; unique
    ids; parseable, possible dates and fitting precisions; well-formed
    checksums; files that exist inside the folder and are non-empty UTF-8
    text; recorded checksums; the cleaning rules (``rules_path``, default
    ``data/cleaning.yml``: each rule well formed, a ``part:`` rule with a part
    name and no replacement) and that no part rule marks a document's whole
    text; (warnings) text files not listed, two rows
    naming one file, unknown columns that look like typos of known ones, and
    versions of a translated text whose paragraph counts differ a lot
    (:data:`PARAGRAPH_MISMATCH`: different layouts, or an excerpt).

    Returns
    -------
    list of Problem
        Errors first in file order, then warnings.

    Examples
    --------
    >>> validate_corpus()
    []
    >>> [str(p) for p in validate_corpus("no/such/folder")]
    ['no/such/folder: corpus folder not found; pass --corpus DIR with a folder holding corpus.csv.']
    """
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else config.DATA_DIR
    _, rows, problems = _read_table(corpus_dir)
    if rows:
        good, row_problems = _check_rows(corpus_dir, rows, verify=True)
        problems += row_problems + _extra_files(corpus_dir, rows)
        problems += _paragraph_mismatches(str(corpus_dir / config.CORPUS_TABLE), good)
        problems += _part_problems(str(corpus_dir / config.CORPUS_TABLE), good, rules_path)
    return [p for p in problems if p.severity == "error"] + [p for p in problems if p.severity != "error"]


PARTS = ("main", "all")
"""Values of ``load_corpus(parts=...)``: each document's own text only, or every marked part as a document too."""


def load_corpus(corpus_dir: str | Path | None = None, *, verify: bool = True,
                rules_path: str | Path | None = None, raw_text: bool = True,
                progress: bool | None = None, parts: str = "main") -> pd.DataFrame:
    """Load a corpus folder into a documents table, one row per text, sorted by date.

    A cleaning rule with ``part: NAME`` (:mod:`rhetoric.corpus.cleaning`) marks
    a stretch of a document that is not its author's text but is kept, such as
    a news agency's wrapper around the article it carries. The document's
    ``text`` is its :data:`~rhetoric.corpus.cleaning.MAIN_PART` only, so every
    count is the author's words; with ``parts="all"`` each marked part is also
    a row of its own, ``doc_id`` ``<doc_id>#<part>``, a translation group of its
    own (it is counted as a document when documents are selected).

    Parameters
    ----------
    corpus_dir : path, default the project's ``data/``
        Folder holding ``corpus.csv``.
    verify : bool, default True
        Check each recorded ``sha256`` against the file.
    rules_path : path, optional
        Cleaning rules; default ``data/cleaning.yml`` of the project.
    raw_text : bool, default True
        Keep each raw text in the table. ``False`` holds a large corpus's text
        once (the command line does so); raw offsets still work, through
        ``offsets``.
    progress : bool, optional
        Show a progress bar while cleaning (default: only in a terminal).
    parts : {"main", "all"}, default "main"
        ``"main"``: one row per text, its own words. ``"all"``: also one row
        per part a rule marked (``xi2022_xinhua#wrapper``).

    Returns
    -------
    DataFrame
        The columns of corpus.csv (strings; missing optional ones filled with
        ``""``, ``translation_group`` defaulting to ``doc_id``, ``language``
        read as a code by :func:`language_code`: "zh" for "zh-CN" or
        "Chinese", and for a mostly Chinese text that names none), plus
        ``year`` (int), ``date_start`` (first day of the dated period),
        ``date_precision``, ``sha256`` (of the raw bytes), ``path`` (absolute),
        ``raw_text`` (unless ``raw_text=False``), ``text`` (cleaned),
        ``offsets`` (:class:`~rhetoric.corpus.cleaning.OffsetMap`),
        ``rule_counts`` (dict rule id -> count), ``n_chars`` (cleaned),
        ``part`` ("main", or the part's name). The ``text`` and ``offsets`` of a
        row are its part's (offsets still lead to the raw file); a part's row
        keeps its document's metadata (date, title, outlet, file, sha256), with
        ``author`` the document's ``outlet`` (the words are the outlet's, not
        the author's), ``role`` empty, ``genre`` the part's name,
        ``translation_group`` its own ``doc_id``, ``translation`` empty and
        empty ``rule_counts`` (the document's row has them). ``attrs["corpus_dir"]`` holds the folder,
        ``attrs["rules_fingerprint"]`` the cleaning rules' fingerprint,
        ``attrs["parts"]`` the ``parts`` asked for.

    Raises
    ------
    CorpusError
        Listing every error found (one line each), as :func:`validate_corpus` would;
        or naming a document whose whole text a part rule marked.
    ParameterError
        If ``parts`` is neither "main" nor "all".

    Examples
    --------
    >>> docs = load_corpus()
    >>> docs[["doc_id", "date", "date_precision", "year"]].head(2).to_numpy().tolist()
    [['zhang2022_visit', '2022-09', 'month', 2022], ['xi2022_unofficial', '2022-09-13', 'day', 2022]]
    >>> docs.set_index("doc_id").loc["xi2022_xinhua", "text"][:41]
    'Build on the Past to Make Greater Strides'
    >>> every = load_corpus(parts="all")
    >>> every.loc[every["part"] != "main", ["doc_id", "part", "translation_group"]].to_numpy().tolist()
    [['xi2022_xinhua#wrapper', 'wrapper', 'xi2022_xinhua#wrapper']]
    """
    from ..checks import check_choice
    from ..progress import progress_bar

    check_choice("parts", parts, PARTS)
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
        pieces = split_parts(cleaned)
        if MAIN_PART not in pieces:
            raise CorpusError(str(Problem(str(corpus_dir / config.CORPUS_TABLE), row["_line"], "file",
                                          _whole_text_marked(row, rules))))
        own = pieces[MAIN_PART]
        raw = row.pop("_raw")  # held once per document; with raw_text=False, dropped after cleaning
        record = {col: row.get(col, "") for col in config.KNOWN_COLUMNS}
        record.update({h: row[h] for h in header if h and h not in record})
        record.update(
            language=language_code(record.get("language", ""), own.text),
            translation_group=row.get("translation_group") or row["doc_id"],
            date_precision=row["_precision"],
            year=row["_date_start"].year,
            date_start=row["_date_start"],
            sha256=row["_sha"],
            path=row["_path"],
            raw_text=raw,
            text=own.text,
            offsets=own.offsets,
            rule_counts=cleaned.rule_counts,
            n_chars=len(own.text),
            part=MAIN_PART,
        )
        if not raw_text:
            del record["raw_text"]
        records.append(record)
        if parts == "all":
            for name, piece in pieces.items():
                if name == MAIN_PART:
                    continue
                part_id = f"{row['doc_id']}#{name}"
                # the part's words are not the author's: the outlet that carried the text wrote them
                records.append({**record, "doc_id": part_id, "translation_group": part_id, "translation": "",
                                "author": record.get("outlet", ""), "role": "", "genre": name,
                                "language": language_code(row.get("language", ""), piece.text),
                                "text": piece.text, "offsets": piece.offsets, "rule_counts": {},
                                "n_chars": len(piece.text), "part": name})
    docs = pd.DataFrame.from_records(records)
    docs = docs.sort_values(["date_start", "doc_id"], kind="stable").reset_index(drop=True)
    docs["year"] = docs["year"].astype(int)
    docs.attrs["corpus_dir"] = str(corpus_dir.resolve())
    docs.attrs["rules_fingerprint"] = rules_fingerprint(rules)
    docs.attrs["parts"] = parts
    return docs


def corpus_summary(docs: pd.DataFrame, tokens=None) -> pd.DataFrame:
    """One line per document for listing.

    Returns
    -------
    DataFrame
        ``doc_id, date, year, [n_tokens,] author, title, translation_group,
        translation, part, sha256`` (``n_tokens`` when ``tokens`` is given;
        ``part`` is ``main`` for a document's own text, or the name of a part
        a cleaning rule marked, such as ``wrapper``, when loaded with
        ``parts="all"``).

    Examples
    --------
    >>> from rhetoric.corpus import tokenize
    >>> docs = load_corpus()
    >>> corpus_summary(docs, tokenize(docs, cache=False))[["doc_id", "n_tokens"]].head(2).to_numpy().tolist()
    [['zhang2022_visit', 739], ['xi2022_unofficial', 1517]]
    >>> corpus_summary(load_corpus(parts="all"))[["doc_id", "part"]].iloc[2:4].to_numpy().tolist()
    [['xi2022_xinhua', 'main'], ['xi2022_xinhua#wrapper', 'wrapper']]
    """
    cols = ["doc_id", "date", "year", "author", "title", "translation_group", "translation", "part", "sha256"]
    out = docs[[c for c in cols if c in docs.columns]].copy()
    if tokens is not None:
        out.insert(3, "n_tokens", out["doc_id"].map(tokens.doc_lengths()).astype(int))
    return out.reset_index(drop=True)
