"""Cleaning rules (from data) and the offset map back to the raw text.

Cleaning happens in memory, never on disk. Each rule is a regular expression
with a replacement, read from ``data/cleaning.yml``; applying the rules gives
the cleaned text, a count of how often each rule fired, and an
:class:`OffsetMap` that turns character offsets in the cleaned text back into
offsets in the raw text.

Each rule that fired adds one step to the offset map: a table of the spans
it replaced. A character that replaced one character maps back to it
directly, so such replacements (straight quotes, plain spaces) need no entry.
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


@dataclass(frozen=True)
class CleaningRule:
    """One regular-expression substitution applied to every text."""

    id: str
    pattern: re.Pattern
    replacement: str
    why: str
    doc_ids: frozenset[str] | None = None

    def applies_to(self, doc_id: str | None) -> bool:
        return self.doc_ids is None or doc_id in self.doc_ids


def load_rules(path: str | Path | None = None) -> list[CleaningRule]:
    """Read cleaning rules from a YAML file (default ``data/cleaning.yml``).

    Raises
    ------
    CorpusError
        If the file is not YAML, a rule lacks ``id`` or ``pattern``, an id is
        used twice, a pattern does not compile, or a replacement refers to a
        group the pattern does not have; the message names the file and rule.

    Examples
    --------
    >>> rules = load_rules()
    >>> rules[0].id, rules[0].pattern.sub(rules[0].replacement, "a\\r\\nb")
    ('line_endings', 'a\\nb')
    """
    path = Path(path) if path is not None else config.CLEANING_RULES
    spec, _ = load_yaml_with_lines(path, error=CorpusError, what="cleaning rules")
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
        doc_ids = entry.get("doc_ids")
        if doc_ids is not None and not isinstance(doc_ids, (list, tuple)):
            doc_ids = [doc_ids]
        rules.append(CleaningRule(
            id=rule_id,
            pattern=pattern,
            replacement=replacement,
            why=str(entry.get("why", "")),
            doc_ids=frozenset(map(str, doc_ids)) if doc_ids else None,
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
                      f"{sorted(rule.doc_ids) if rule.doc_ids else ''}\n".encode())
    return digest.hexdigest()[:16]


def rules_table(rules: list[CleaningRule]) -> pd.DataFrame:
    """The rules as a table: ``rule_id, pattern, replacement, why``.

    Examples
    --------
    >>> rules_table([CleaningRule("ellipsis", re.compile("\u2026"), "...", "three full stops")]).iloc[0].tolist()
    ['ellipsis', '…', '...', 'three full stops']
    """
    return pd.DataFrame(
        [(r.id, r.pattern.pattern, r.replacement, r.why) for r in rules],
        columns=["rule_id", "pattern", "replacement", "why"],
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
    """A cleaned text, its offset map to the raw text, and how often each rule fired."""

    text: str
    offsets: OffsetMap
    rule_counts: dict[str, int]


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
    """
    text, steps, counts = raw, [], {}
    for rule in rules:
        if not rule.applies_to(doc_id):
            continue
        try:
            text, step, n = _substitute(text, rule)
        except (re.error, IndexError) as exc:
            raise CorpusError(f"cleaning rule '{rule.id}' failed on document '{doc_id}' ({exc}); "
                              "fix its replacement in the cleaning rules.") from exc
        counts[rule.id] = n
        if step is not None:
            steps.append(step)
    return CleanText(text=text, offsets=OffsetMap(tuple(steps)), rule_counts=counts)


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
