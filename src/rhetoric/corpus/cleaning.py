"""Cleaning rules (from data) and the offset map back to the raw text.

Cleaning happens in memory, never on disk. Each rule is a regular expression
with a replacement, read from ``data/cleaning.yml``; applying the rules gives
the cleaned text, a count of how often each rule fired, and an
:class:`OffsetMap` that turns character offsets in the cleaned text back into
offsets in the raw text.

Each rule that fired adds one step to the offset map: a table of the spans
it replaced. A character that replaced one character maps back to it
directly, so such replacements (straight quotes, plain spaces) need no entry.

A rule with ``part: NAME`` removes nothing: it marks what it matches as a named
**part** of the document (a news agency's wrapper around the article it
carries, say), which later rules carry along. :func:`part_spans` lists the
parts of a cleaned text with their offsets in the cleaned and the raw text;
:func:`split_parts` cuts a cleaned text into one text per part, each with an
offset map back to the raw file. The text outside every named part is the
part :data:`MAIN_PART`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from .. import config
from ..errors import CorpusError
from ..yamlfiles import load_yaml_with_lines


MAIN_PART = "main"
"""Name of the text outside every part a rule marks (the article, for a wrapped article)."""
_PART_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PART_SEPARATOR = "\n\n"
"""What joins two pieces of one part when a part is cut out of a text (a paragraph break)."""


@dataclass(frozen=True)
class CleaningRule:
    """One regular-expression substitution applied to every text, or (with ``part``) a span marked as a part."""

    id: str
    pattern: re.Pattern
    replacement: str
    why: str
    doc_ids: frozenset[str] | None = None
    part: str | None = None

    def applies_to(self, doc_id: str | None) -> bool:
        return self.doc_ids is None or doc_id in self.doc_ids


def load_rules(path: str | Path | None = None) -> list[CleaningRule]:
    """Read cleaning rules from a YAML file (default ``data/cleaning.yml``).

    A rule is ``id``, ``pattern`` (a Python regular expression),
    ``replacement`` (default ``""``), ``why`` and optionally ``doc_ids``; or,
    instead of a replacement, ``part: NAME`` (lower-case letters, digits and
    ``_``; not ``main``), which marks each match as part NAME of the document
    and changes no text.

    Raises
    ------
    CorpusError
        If the file is not YAML, a rule lacks ``id`` or ``pattern``, an id is
        used twice, a pattern does not compile, a replacement refers to a
        group the pattern does not have, or a part rule has a replacement or a
        bad name; the message names the file and rule.

    Examples
    --------
    >>> rules = load_rules()
    >>> rules[0].id, rules[0].pattern.sub(rules[0].replacement, "a\\r\\nb")
    ('line_endings', 'a\\nb')
    """
    path = Path(path) if path is not None else config.CLEANING_RULES
    spec, lines = load_yaml_with_lines(path, error=CorpusError, what="cleaning rules")
    if not isinstance(spec, dict) or not isinstance(spec.get("rules"), list):
        raise CorpusError(f"{path}: expected a mapping with a 'rules:' list.")
    rules, seen = [], set()
    for i, entry in enumerate(spec["rules"], start=1):
        if not isinstance(entry, dict) or "id" not in entry or "pattern" not in entry:
            raise CorpusError(f"{path}: rule {i} needs at least 'id' and 'pattern'.")
        rule_id = str(entry["id"])
        if rule_id in seen:
            raise CorpusError(f"{path}: rule id '{rule_id}' appears twice; ids must be unique.")
        seen.add(rule_id)
        if not isinstance(entry["pattern"], str) or not entry["pattern"]:
            raise CorpusError(f"{path}: rule '{rule_id}': 'pattern' must be a non-empty string.")
        try:
            pattern = re.compile(entry["pattern"])
        except re.error as exc:
            raise CorpusError(f"{path}: rule '{rule_id}': pattern does not compile ({exc}).") from exc
        replacement = entry.get("replacement", "")
        replacement = "" if replacement is None else str(replacement)
        if "\\" in replacement:
            try:  # a replacement naming a group the pattern lacks fails here, not halfway through a corpus
                _template_check(pattern, replacement)
            except (re.error, IndexError) as exc:
                raise CorpusError(f"{path}: rule '{rule_id}': replacement '{replacement}' is invalid "
                                  f"({exc}).") from exc
        part = entry.get("part")
        if "part" in entry:
            where = f"{path}:{lines.get(('rules', i - 1, 'part'), lines.get(('rules', i - 1), '?'))}"
            if entry.get("replacement") not in (None, ""):
                raise CorpusError(f"{where}: rule '{rule_id}' has both 'part' and 'replacement'; a part rule "
                                  "removes nothing, so drop its replacement (or its part).")
            if not isinstance(part, str) or not _PART_NAME.match(part) or part == MAIN_PART:
                raise CorpusError(f"{where}: rule '{rule_id}': part {part!r} is not a part name; write lower-case "
                                  f"letters, digits and '_' (e.g. part: wrapper), not '{MAIN_PART}' or nothing.")
        doc_ids = entry.get("doc_ids")
        if doc_ids is not None and not isinstance(doc_ids, (list, tuple)):
            doc_ids = [doc_ids]
        rules.append(CleaningRule(
            id=rule_id,
            pattern=pattern,
            replacement=replacement,
            why=str(entry.get("why", "")),
            doc_ids=frozenset(map(str, doc_ids)) if doc_ids else None,
            part=part,
        ))
    return rules


def _template_check(pattern: re.Pattern, replacement: str) -> None:
    """Raise if ``replacement`` refers to groups ``pattern`` does not define."""
    for ref in re.finditer(r"\\(\d+)|\\g<(\w+)>", replacement):
        number, name = ref.groups()
        if number is not None and int(number) > pattern.groups:
            raise re.error(f"invalid group reference {number}")
        if name is not None and not name.isdigit() and name not in pattern.groupindex:
            raise re.error(f"unknown group name '{name}'")
        if name is not None and name.isdigit() and int(name) > pattern.groups:
            raise re.error(f"invalid group reference {name}")


def rules_fingerprint(rules: list[CleaningRule]) -> str:
    """A short hash of the rules (ids, patterns, replacements), for cache keys and reports.

    Examples
    --------
    >>> len(rules_fingerprint(load_rules())), rules_fingerprint([]) == rules_fingerprint([])
    (16, True)
    """
    digest = hashlib.sha256()
    for rule in rules:
        digest.update(f"{rule.id}\0{rule.pattern.pattern}\0{rule.replacement}\0"
                      f"{sorted(rule.doc_ids) if rule.doc_ids else ''}"
                      f"{chr(0) + 'part=' + rule.part if rule.part else ''}\n".encode())
    return digest.hexdigest()[:16]


def rules_table(rules: list[CleaningRule]) -> pd.DataFrame:
    """The rules as a table: ``rule_id, pattern, replacement, why, part`` (``part`` empty for a substitution).

    Examples
    --------
    >>> rules_table([CleaningRule("ellipsis", re.compile("\u2026"), "...", "three full stops")]).iloc[0].tolist()
    ['ellipsis', '…', '...', 'three full stops', '']
    """
    return pd.DataFrame(
        [(r.id, r.pattern.pattern, r.replacement, r.why, r.part or "") for r in rules],
        columns=["rule_id", "pattern", "replacement", "why", "part"],
    )


# --- offset maps --------------------------------------------------------------

@dataclass(frozen=True)
class _Segments:
    """One rule's map from positions in its output text back to its input text.

    ``out_start[k]:out_end[k]`` (output) was produced from ``in_start[k]:in_end[k]``
    (input) as a whole: a start inside it maps to ``in_start[k]``, an end to
    ``in_end[k]``. Between segments text was copied: a position ``p`` after
    segment ``k`` maps to ``p - out_end[k] + in_end[k]`` (before the first, to
    ``p``). Segments are sorted by ``out_start``; zero-width ones mark a deletion.
    """

    out_start: np.ndarray
    out_end: np.ndarray
    in_start: np.ndarray
    in_end: np.ndarray

    def __len__(self) -> int:
        return int(self.out_start.shape[0])

    def _locate(self, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        k = np.searchsorted(self.out_start, pos, side="right") - 1
        kk = np.maximum(k, 0)
        has = k >= 0
        inside = has & (pos < self.out_end[kk])
        shift = np.where(has, self.in_end[kk] - self.out_end[kk], 0)
        return kk, inside, shift

    def starts(self, pos: np.ndarray) -> np.ndarray:
        """Input position of the character at output ``pos``."""
        kk, inside, shift = self._locate(pos)
        return np.where(inside, self.in_start[kk], pos + shift)

    def ends(self, end: np.ndarray) -> np.ndarray:
        """Input (exclusive) end for an output (exclusive) ``end`` >= 1."""
        kk, inside, shift = self._locate(end - 1)
        return np.where(inside, self.in_end[kk], end + shift)

    def forward(self, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Output ``[start, end)`` of input spans: a replaced stretch the span touches belongs to it whole.

        Text inserted exactly at a span's start or end (an empty match replaced) stays outside it.
        """
        start, end = np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64)
        # starts: inside a replaced stretch -> its output start; else shifted by the stretches ending at or before
        j = np.searchsorted(self.in_end, start, side="right") - 1
        out_start = start + np.where(j >= 0, self.out_end[np.maximum(j, 0)] - self.in_end[np.maximum(j, 0)], 0)
        m = np.searchsorted(self.in_start, start, side="right") - 1
        mm = np.maximum(m, 0)
        inside = (m >= 0) & (self.in_start[mm] <= start) & (start < self.in_end[mm])
        out_start = np.where(inside, self.out_start[mm], out_start)
        # ends: inside a replaced stretch (start < end <= stop) -> its output end; else shifted by those ending before
        j = np.searchsorted(self.in_end, end, side="left") - 1
        out_end = end + np.where(j >= 0, self.out_end[np.maximum(j, 0)] - self.in_end[np.maximum(j, 0)], 0)
        m = np.searchsorted(self.in_start, end, side="left") - 1
        mm = np.maximum(m, 0)
        inside = (m >= 0) & (self.in_start[mm] < end) & (end <= self.in_end[mm])
        out_end = np.where(inside, self.out_end[mm], out_end)
        return out_start, np.maximum(out_end, out_start)


def _step_segments(starts: np.ndarray, ends: np.ndarray, out_lengths: np.ndarray) -> _Segments | None:
    """Segments of one substitution: input spans ``starts:ends`` replaced by ``out_lengths`` characters."""
    delta = out_lengths - (ends - starts)
    out_start = starts + np.cumsum(delta) - delta
    keep = ~((out_lengths == 1) & (ends - starts == 1))  # one character for one maps back as a copy
    if not keep.any():
        return None
    out_start, out_lengths, starts, ends = out_start[keep], out_lengths[keep], starts[keep], ends[keep]
    return _Segments(out_start, out_start + out_lengths, starts, ends)


@dataclass(frozen=True)
class OffsetMap:
    """Maps character spans in a cleaned text back to the raw text.

    One segment table per rule that moved characters (``steps``, in rule
    order); a character produced by a replacement maps to the whole raw span
    it replaced.
    """

    steps: tuple[_Segments, ...] = ()

    @property
    def n_segments(self) -> int:
        """Total size of the segment tables (0 when cleaning moved nothing)."""
        return sum(len(step) for step in self.steps)

    def to_raw(self, start, end) -> tuple[np.ndarray, np.ndarray]:
        """Raw ``(start, end)`` offsets for cleaned ``[start, end)`` spans (arrays or ints).

        Empty spans (``end <= start``) map to an empty raw span at the start; a
        span of characters a rule inserted (a replacement of an empty match)
        maps to an empty raw span where they were inserted.

        Examples
        --------
        >>> rules = [CleaningRule("crlf", re.compile(r"\\r\\n"), "\\n", "")]
        >>> cleaned = clean_text("a\\r\\nbc", rules)
        >>> cleaned.text, cleaned.offsets.to_raw([2], [4])
        ('a\\nbc', (array([3]), array([5])))
        """
        start = np.asarray(start, dtype=np.int64)
        end = np.asarray(end, dtype=np.int64)
        nonempty = end > start
        raw_start, raw_end = start.copy(), end.copy()
        for step in reversed(self.steps):
            raw_start = step.starts(raw_start)
            raw_end = np.where(raw_end > 0, step.ends(np.maximum(raw_end, 1)), 0)  # an end at 0 stays at 0
        return raw_start, np.where(nonempty, np.maximum(raw_end, raw_start), raw_start)


@dataclass(frozen=True)
class CleanText:
    """A cleaned text, its offset map to the raw text, and how often each rule fired.

    ``parts`` holds the spans that part rules marked, as ``(name, start, end)``
    in the cleaned text, sorted and not overlapping (empty when no part rule
    matched).
    """

    text: str
    offsets: OffsetMap
    rule_counts: dict[str, int]
    parts: tuple[tuple[str, int, int], ...] = ()


def _mark(text: str, rule: CleaningRule, marked: list[tuple[str, int, int]]) -> int:
    """Add the non-empty matches of a part rule to ``marked`` (a match overlapping an earlier part is skipped)."""
    n = 0
    for match in rule.pattern.finditer(text):
        a, b = match.span()
        if b <= a or any(a < e and s < b for _, s, e in marked):
            continue
        marked.append((rule.part, a, b))
        n += 1
    marked.sort(key=lambda item: item[1])
    return n


def _carry(marked: list[tuple[str, int, int]], step: _Segments) -> list[tuple[str, int, int]]:
    """Part spans moved through one substitution; a span a deletion emptied is dropped, overlaps are clipped."""
    if not marked:
        return marked
    starts, ends = step.forward(np.array([m[1] for m in marked]), np.array([m[2] for m in marked]))
    out, previous = [], 0
    for (name, _, _), a, b in zip(marked, starts.tolist(), ends.tolist()):
        a = max(a, previous)
        if b > a:
            out.append((name, a, b))
            previous = b
    return out


def _substitute(text: str, rule: CleaningRule) -> tuple[str, _Segments | None, int]:
    """Apply one rule; return the new text, its segments (output -> input) and the number of changes.

    A match whose replacement equals it (a straight quote replacing itself) is not a change.
    """
    spans, outs = [], []
    for match in rule.pattern.finditer(text):
        out = match.expand(rule.replacement)
        if out != match.group(0):
            spans.append(match.span())
            outs.append(out)
    if not spans:
        return text, None, 0
    pieces, previous = [], 0
    for (start, end), out in zip(spans, outs):
        pieces += [text[previous:start], out]
        previous = end
    pieces.append(text[previous:])
    bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
    lengths = np.fromiter(map(len, outs), dtype=np.int64, count=len(outs))
    return "".join(pieces), _step_segments(bounds[:, 0], bounds[:, 1], lengths), len(spans)


def clean_text(raw: str, rules: list[CleaningRule], *, doc_id: str | None = None) -> CleanText:
    """Apply ``rules`` in order to ``raw``; return the cleaned text and its offset map.

    Parameters
    ----------
    raw : str
        The text exactly as read from the raw file.
    rules : list of CleaningRule
        From :func:`load_rules`.
    doc_id : str, optional
        Rules restricted with ``doc_ids`` apply only to matching documents.

    A part rule (``part`` set) changes nothing; its matches in the text as it
    is at that point are marked, and later rules carry the marks along (a
    replacement that touches a part belongs to it).

    Raises
    ------
    CorpusError
        If a rule's replacement cannot be applied (names the rule).

    Examples
    --------
    >>> rules = [CleaningRule("quotes", re.compile("[\\u2018\\u2019]"), "'", "straight quotes")]
    >>> cleaned = clean_text("People\\u2019s", rules)
    >>> cleaned.text, cleaned.rule_counts
    ("People's", {'quotes': 1})
    >>> lead = CleaningRule("lead", re.compile(r"\\ALONDON \\(Agency\\) -- [^\\n]*\\n+"), "", "", part="wrapper")
    >>> clean_text("LONDON (Agency) -- Text follows.\\n\\nThe article\\u2019s text.", rules + [lead]).parts
    (('wrapper', 0, 34),)
    """
    text, steps, counts, marked = raw, [], {}, []
    for rule in rules:
        if not rule.applies_to(doc_id):
            continue
        if rule.part is not None:
            counts[rule.id] = _mark(text, rule, marked)
            continue
        try:
            text, step, n = _substitute(text, rule)
        except (re.error, IndexError) as exc:
            raise CorpusError(f"cleaning rule '{rule.id}' failed on document '{doc_id}' ({exc}); "
                              "fix its replacement in the cleaning rules.") from exc
        counts[rule.id] = n
        if step is not None:
            steps.append(step)
            marked = _carry(marked, step)
    merged: list[tuple[str, int, int]] = []
    for name, a, b in marked:  # stretches of one part that came to touch (a deletion between them) are one
        if merged and merged[-1][0] == name and merged[-1][2] == a:
            merged[-1] = (name, merged[-1][1], b)
        else:
            merged.append((name, a, b))
    return CleanText(text=text, offsets=OffsetMap(tuple(steps)), rule_counts=counts, parts=tuple(merged))


def part_spans(cleaned: CleanText) -> pd.DataFrame:
    """The parts of a cleaned text, in text order, covering all of it.

    Parameters
    ----------
    cleaned : CleanText
        From :func:`clean_text`.

    Returns
    -------
    DataFrame
        ``part, start, end, raw_start, raw_end``: one row per stretch; ``start``
        and ``end`` are character offsets in the cleaned text (``end``
        exclusive), ``raw_start`` and ``raw_end`` in the raw file's text. The
        text outside every marked part is part :data:`MAIN_PART`.

    Examples
    --------
    >>> lead = CleaningRule("lead", re.compile(r"\\ALONDON \\(Agency\\) -- [^\\r\\n]*\\s+"), "", "", part="wrapper")
    >>> crlf = CleaningRule("crlf", re.compile(r"\\r\\n"), "\\n", "")
    >>> cleaned = clean_text("LONDON (Agency) -- Text follows.\\r\\n\\r\\nThe article.", [lead, crlf])
    >>> part_spans(cleaned).to_numpy().tolist()
    [['wrapper', 0, 34, 0, 36], ['main', 34, 46, 36, 48]]
    """
    rows, previous = [], 0
    for name, start, end in cleaned.parts:
        if start > previous:
            rows.append((MAIN_PART, previous, start))
        rows.append((name, start, end))
        previous = end
    if len(cleaned.text) > previous or not rows:
        rows.append((MAIN_PART, previous, len(cleaned.text)))
    table = pd.DataFrame(rows, columns=["part", "start", "end"])
    raw_start, raw_end = cleaned.offsets.to_raw(table["start"].to_numpy(), table["end"].to_numpy())
    table["raw_start"], table["raw_end"] = raw_start, raw_end
    return table.astype({"start": "int64", "end": "int64", "raw_start": "int64", "raw_end": "int64"})


def split_parts(cleaned: CleanText) -> dict[str, CleanText]:
    """One cleaned text per part, each with an offset map back to the raw text.

    A part's stretches are joined by :data:`PART_SEPARATOR` (a paragraph
    break); the offset map of each part is the document's with one step more
    (the rest of the text removed), so every character still maps to its raw
    span (a separator to the raw span of the stretch it stands for). Every
    part keeps the document's ``rule_counts``.

    Returns
    -------
    dict
        Part name -> :class:`CleanText` (``parts`` empty), :data:`MAIN_PART`
        first; only parts with text. A text without marked parts gives
        ``{MAIN_PART: cleaned}`` unchanged.

    Examples
    --------
    >>> lead = CleaningRule("lead", re.compile(r"\\ALONDON \\(Agency\\) -- [^\\n]*\\n+"), "", "", part="wrapper")
    >>> parts = split_parts(clean_text("LONDON (Agency) -- Text follows.\\n\\nThe article.", [lead]))
    >>> {name: part.text for name, part in parts.items()}
    {'main': 'The article.', 'wrapper': 'LONDON (Agency) -- Text follows.\\n\\n'}
    >>> [int(x[0]) for x in parts["main"].offsets.to_raw([0], [3])]
    [34, 37]
    """
    if not cleaned.parts:
        return {MAIN_PART: cleaned}
    spans = part_spans(cleaned)
    out = {}
    for name in [MAIN_PART] + sorted(set(spans["part"]) - {MAIN_PART}):
        mine = spans[spans["part"] == name]
        if mine.empty:
            continue
        keep = list(zip(mine["start"].tolist(), mine["end"].tolist()))
        text = PART_SEPARATOR.join(cleaned.text[a:b] for a, b in keep)
        if not text:
            continue
        # the removed stretches: before the first piece, between pieces (-> the separator), after the last
        gaps, lengths, previous = [], [], 0
        for i, (a, b) in enumerate(keep):
            if a > previous or (i and PART_SEPARATOR):
                gaps.append((previous, a))
                lengths.append(len(PART_SEPARATOR) if i else 0)
            previous = b
        if previous < len(cleaned.text):
            gaps.append((previous, len(cleaned.text)))
            lengths.append(0)
        steps = cleaned.offsets.steps
        if gaps:
            bounds = np.array(gaps, dtype=np.int64).reshape(-1, 2)
            step = _step_segments(bounds[:, 0], bounds[:, 1], np.array(lengths, dtype=np.int64))
            if step is not None:
                steps = steps + (step,)
        out[name] = CleanText(text=text, offsets=OffsetMap(steps), rule_counts=dict(cleaned.rule_counts))
    return out


def cleaning_log(docs: pd.DataFrame) -> pd.DataFrame:
    """How often each cleaning rule fired in each document.

    Parameters
    ----------
    docs : DataFrame
        From :func:`rhetoric.corpus.load_corpus` (uses its ``rule_counts`` column).

    Returns
    -------
    DataFrame
        ``doc_id, rule_id, count``, only rules that fired, in rule order.

    Examples
    --------
    >>> from rhetoric.corpus import load_corpus
    >>> cleaning_log(load_corpus()).head(2).to_numpy().tolist()
    [['zhang2022_visit', 'odd_spaces', 1], ['zhang2022_visit', 'single_quotes', 10]]
    """
    rows = [(doc_id, rule_id, n) for doc_id, counts in zip(docs["doc_id"], docs["rule_counts"])
            for rule_id, n in counts.items() if n]
    return pd.DataFrame(rows, columns=["doc_id", "rule_id", "count"])
