"""Read and validate a corpus folder into a documents table.

A corpus is any folder holding a ``corpus.csv`` with at least the columns
``doc_id``, ``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and ``file``
(path relative to that folder). Raw files are only ever opened for reading;
cleaning happens in memory (:mod:`rhetoric.cleaning`).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

import pandas as pd

from . import config
from .cleaning import clean_text, load_rules
from .errors import CorpusError, ParameterError

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PRECISIONS = ("year", "month", "day")


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


def parse_date(value: str) -> tuple[pd.Timestamp, str]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Returns
    -------
    (Timestamp, str)
        The first day of the period, and its precision (``year``, ``month``, ``day``).

    Raises
    ------
    ValueError
        If the value has another shape or names an impossible date (2022-02-30).
    """
    match = _DATE_RE.match(value.strip())
    if not match:
        raise ValueError(f"'{value}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    precision = _PRECISIONS[(month is not None) + (day is not None)]
    try:
        first = _date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"'{value}' is an impossible date ({exc})") from exc
    return pd.Timestamp(first), precision


def _looks_like_encoding(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return best.encoding if best is not None else None


def read_text_file(path: Path, *, display: str | None = None) -> str:
    """Read a raw text file as UTF-8 (a byte-order mark is accepted).

    Raises
    ------
    CorpusError
        If the file is missing, a directory, empty, binary or not UTF-8; for a
        non-UTF-8 file the message names the likely encoding and the fix.
    """
    display = display or str(path)
    if not path.exists():
        raise CorpusError(f"{display}: file not found; check the 'file' column of corpus.csv.")
    if path.is_dir():
        raise CorpusError(f"{display}: is a folder, not a text file; point 'file' at a .txt file.")
    data = path.read_bytes()
    if not data.strip():
        raise CorpusError(f"{display}: the file is empty; add its text or remove its row.")
    if b"\x00" in data[:1_000_000]:
        raise CorpusError(f"{display}: looks binary (contains NUL bytes); save the text as plain UTF-8 .txt.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        guess = _looks_like_encoding(data)
        hint = (f" It looks like {guess}; convert it with: iconv -f {guess} -t UTF-8 '{path.name}' > fixed.txt"
                if guess else " Save it as UTF-8.")
        raise CorpusError(f"{display}: not UTF-8 (byte {exc.start}).{hint}") from exc


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_table(corpus_dir: Path) -> tuple[list[str], list[tuple[int, dict]], list[Problem]]:
    """Rows of corpus.csv with their line numbers, or the problems that stop reading it."""
    table = corpus_dir / config.CORPUS_TABLE
    name = str(table)
    if not corpus_dir.exists():
        return [], [], [Problem(str(corpus_dir), None, None,
                                "corpus folder not found; pass --corpus DIR with a folder holding corpus.csv.")]
    if not table.is_file():
        return [], [], [Problem(name, None, None,
                                "missing; a corpus folder needs a corpus.csv with columns doc_id, date, file.")]
    data = table.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        guess = _looks_like_encoding(data)
        return [], [], [Problem(name, None, None,
                                f"not UTF-8{f' (looks like {guess})' if guess else ''}; save it as UTF-8 CSV.")]
    if not text.strip():
        return [], [], [Problem(name, None, None, "is empty; add a header row: doc_id,date,file.")]
    if "\x00" in text:
        return [], [], [Problem(name, None, None, "looks binary, not CSV; save it as UTF-8 CSV.")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
        rows = []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            rows.append((reader.line_num, record))
    except csv.Error as exc:
        return [], [], [Problem(name, reader.line_num, None, f"not valid CSV ({exc}).")]
    problems = []
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        sep = next(s for s in (";", "\t", "|") if s in header[0])
        return [], [], [Problem(name, 1, None,
                                f"columns are separated by {sep!r}, not commas; save it as comma-separated CSV.")]
    missing = [c for c in config.REQUIRED_COLUMNS if c not in header]
    if missing:
        hints = []
        for col in missing:
            close = difflib.get_close_matches(col, header, n=1, cutoff=0.6)
            if close:
                hints.append(f"'{close[0]}' looks like '{col}'")
        return [], [], [Problem(name, 1, ", ".join(missing),
                                f"missing required column(s) {', '.join(missing)}; header is {', '.join(header)}."
                                + (f" ({'; '.join(hints)})" if hints else ""))]
    duplicates = {h for h in header if header.count(h) > 1}
    if duplicates:
        return [], [], [Problem(name, 1, ", ".join(sorted(duplicates)), "column named twice in the header.")]
    for col in header:
        if col not in config.KNOWN_COLUMNS:
            close = difflib.get_close_matches(col, config.KNOWN_COLUMNS, n=1, cutoff=0.75)
            if close:
                problems.append(Problem(name, 1, col, f"unknown column; did you mean '{close[0]}'?",
                                        severity="warning"))
    out = []
    for line, record in rows:
        if len(record) != len(header):
            problems.append(Problem(name, line, None,
                                    f"has {len(record)} fields, the header has {len(header)}; "
                                    "quote values that contain commas."))
            continue
        out.append((line, {h: v.strip() for h, v in zip(header, record)}))
    if not out and not problems:
        problems.append(Problem(name, None, None, "has a header but no documents; add one row per text."))
    return header, out, problems


def _check_rows(corpus_dir: Path, rows: list[tuple[int, dict]], *, verify: bool) -> tuple[list[dict], list[Problem]]:
    table = str(corpus_dir / config.CORPUS_TABLE)
    root = corpus_dir.resolve()
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    good = []
    for line, row in rows:
        bad = False
        doc_id = row["doc_id"]
        if not doc_id:
            problems.append(Problem(table, line, "doc_id", "empty; give every document a unique id."))
            bad = True
        elif doc_id in seen:
            problems.append(Problem(table, line, "doc_id",
                                    f"'{doc_id}' is already used on line {seen[doc_id]}; ids must be unique."))
            bad = True
        else:
            seen[doc_id] = line
        try:
            date_start, precision = parse_date(row["date"])
            stated = row.get("date_precision", "")
            if stated and stated != precision:
                problems.append(Problem(table, line, "date_precision",
                                        f"'{stated}' does not fit date '{row['date']}' (which has {precision} "
                                        "precision); write only the parts of the date you know."))
                bad = True
        except ValueError as exc:
            problems.append(Problem(table, line, "date", str(exc) + "."))
            bad = True
        rel = row["file"]
        if not rel:
            problems.append(Problem(table, line, "file", "empty; give the path of the text, relative to corpus.csv."))
            continue
        path = (corpus_dir / rel)
        resolved = path.resolve()
        if Path(rel).is_absolute() or root not in resolved.parents:
            problems.append(Problem(table, line, "file",
                                    f"'{rel}' points outside the corpus folder; keep texts inside {corpus_dir}."))
            continue
        try:
            text = read_text_file(path, display=f"{rel} ({table}:{line})")
        except CorpusError as exc:
            problems.append(Problem(table, line, "file", str(exc)))
            continue
        digest = sha256_of(path)
        stated_hash = row.get("sha256", "").lower()
        if verify and stated_hash and stated_hash != digest:
            problems.append(Problem(table, line, "sha256",
                                    f"'{rel}' has changed since its checksum was recorded (sha256 {digest[:12]}... "
                                    f"!= {stated_hash[:12]}...); restore the original file, or if the change is "
                                    "intended, update its sha256."))
            bad = True
        if not bad:
            good.append({**row, "_line": line, "_path": resolved, "_raw": text, "_sha": digest,
                         "_date_start": date_start, "_precision": precision})
    return good, problems


def _extra_files(corpus_dir: Path, rows: list[tuple[int, dict]]) -> list[Problem]:
    listed = {(corpus_dir / row["file"]).resolve() for _, row in rows if row.get("file")}
    folders = {p.parent for p in listed}
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
    columns; unique ids; parseable, possible dates; files that exist inside the
    folder and are non-empty UTF-8 text; recorded checksums; text files not
    listed; unknown columns that look like typos of known ones.
    """
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else config.DATA_DIR
    _, rows, problems = _read_table(corpus_dir)
    if rows:
        _, row_problems = _check_rows(corpus_dir, rows, verify=True)
        problems += row_problems + _extra_files(corpus_dir, rows)
    return problems


def load_corpus(corpus_dir: str | Path | None = None, *, verify: bool = True,
                rules_path: str | Path | None = None) -> pd.DataFrame:
    """Load a corpus folder into a documents table, one row per text, sorted by date.

    Parameters
    ----------
    corpus_dir : path, default the project's ``data/``
        Folder holding ``corpus.csv``.
    verify : bool, default True
        Check each recorded ``sha256`` against the file.
    rules_path : path, optional
        Cleaning rules; default ``data/cleaning.yml`` of the project.

    Returns
    -------
    DataFrame
        The columns of corpus.csv (strings; missing optional ones filled with
        ``""``, ``translation_group`` defaulting to ``doc_id``), plus
        ``year`` (int), ``date_start`` (first day of the dated period),
        ``date_precision``, ``sha256`` (of the raw bytes), ``path`` (absolute),
        ``raw_text``, ``text`` (cleaned), ``offsets`` (:class:`~rhetoric.cleaning.OffsetMap`),
        ``rule_counts`` (dict rule id -> count), ``n_chars`` (cleaned).
        ``attrs["corpus_dir"]`` holds the folder.

    Raises
    ------
    CorpusError
        Listing every error found (one line each), as :func:`validate_corpus` would.
    """
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else config.DATA_DIR
    header, rows, problems = _read_table(corpus_dir)
    good = []
    if rows:
        good, row_problems = _check_rows(corpus_dir, rows, verify=verify)
        problems += row_problems
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CorpusError("corpus cannot be loaded:\n" + "\n".join(f"  {p}" for p in errors)
                          + "\nRun `rhetoric validate --corpus DIR` for the full list.")
    rules = load_rules(rules_path)
    records = []
    for row in good:
        cleaned = clean_text(row["_raw"], rules, doc_id=row["doc_id"])
        record = {col: row.get(col, "") for col in config.KNOWN_COLUMNS}
        record.update({h: row[h] for h in header if h not in record})
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
    return docs


def one_per_translation_group(docs: pd.DataFrame, *, prefer: str = "official") -> pd.DataFrame:
    """Keep one version of each translated text, so it is counted once.

    Parameters
    ----------
    docs : DataFrame
        From :func:`load_corpus`.
    prefer : str, default "official"
        Within each ``translation_group``, keep the document whose
        ``translation`` equals ``prefer`` (e.g. ``"official"``, ``"unofficial"``)
        or whose ``doc_id`` equals ``prefer``; otherwise the first by date.

    Returns
    -------
    DataFrame
        The same columns, fewer rows, original order.
    """
    groups = docs["translation_group"].where(docs["translation_group"] != "", docs["doc_id"])
    chosen = []
    for _, members in docs.groupby(groups, sort=False):
        hit = members[(members["translation"] == prefer) | (members["doc_id"] == prefer)]
        chosen.append((hit if len(hit) else members).index[0])
    out = docs.loc[sorted(chosen)]
    out.attrs = dict(docs.attrs)
    return out


def check_column(docs: pd.DataFrame, column: str, *, values=None) -> None:
    """Raise a :class:`ParameterError` naming the choices if ``column`` or a value is unknown."""
    if column not in docs.columns:
        usable = [c for c in docs.columns if c not in ("raw_text", "text", "offsets", "rule_counts", "path")]
        raise ParameterError(f"unknown grouping column '{column}'; the corpus has: {', '.join(usable)}.")
    if values is not None:
        present = sorted(map(str, docs[column].unique()))
        for value in ([values] if isinstance(values, str) else values):
            if str(value) not in present:
                raise ParameterError(f"no document has {column} = '{value}'; values are: {', '.join(present)}.")


def corpus_summary(docs: pd.DataFrame, tokens=None) -> pd.DataFrame:
    """One line per document for listing: metadata plus ``n_tokens`` when tokens are given."""
    cols = ["doc_id", "date", "year", "author", "title", "translation_group", "translation", "sha256"]
    out = docs[[c for c in cols if c in docs.columns]].copy()
    if tokens is not None:
        out.insert(3, "n_tokens", out["doc_id"].map(tokens.doc_lengths()).astype(int))
    return out.reset_index(drop=True)
