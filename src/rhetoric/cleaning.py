"""Cleaning rules (from data) and the offset map back to the raw text.

Cleaning happens in memory, never on disk. Each rule is a regular expression
with a replacement, read from ``data/cleaning.yml``; applying the rules gives
the cleaned text, a count of how often each rule fired, and an
:class:`OffsetMap` that turns character offsets in the cleaned text back into
offsets in the raw text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from . import config
from .errors import CorpusError


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
        If the file is not YAML, a rule lacks ``id`` or ``pattern``, or a
        pattern does not compile; the message names the rule.
    """
    path = Path(path) if path is not None else config.CLEANING_RULES
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: cannot read cleaning rules ({exc}).") from exc
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
        try:
            pattern = re.compile(entry["pattern"])
        except re.error as exc:
            raise CorpusError(f"{path}: rule '{rule_id}': pattern does not compile ({exc}).") from exc
        doc_ids = entry.get("doc_ids")
        rules.append(CleaningRule(
            id=rule_id,
            pattern=pattern,
            replacement=str(entry.get("replacement", "")),
            why=str(entry.get("why", "")),
            doc_ids=frozenset(map(str, doc_ids)) if doc_ids else None,
        ))
    return rules


def rules_fingerprint(rules: list[CleaningRule]) -> str:
    """A short hash of the rules (ids, patterns, replacements), for cache keys and reports."""
    digest = hashlib.sha256()
    for rule in rules:
        digest.update(f"{rule.id}\0{rule.pattern.pattern}\0{rule.replacement}\0"
                      f"{sorted(rule.doc_ids) if rule.doc_ids else ''}\n".encode())
    return digest.hexdigest()[:16]


def rules_table(rules: list[CleaningRule]) -> pd.DataFrame:
    """The rules as a table: ``rule_id, pattern, replacement, why``."""
    return pd.DataFrame(
        [(r.id, r.pattern.pattern, r.replacement, r.why) for r in rules],
        columns=["rule_id", "pattern", "replacement", "why"],
    )


@dataclass(frozen=True)
class _StepMap:
    """Segments of one substitution step: output span <- input span."""

    out_start: np.ndarray
    in_start: np.ndarray
    in_len: np.ndarray
    is_copy: np.ndarray

    def starts(self, pos: np.ndarray) -> np.ndarray:
        k = np.searchsorted(self.out_start, pos, side="right") - 1
        return np.where(self.is_copy[k], self.in_start[k] + (pos - self.out_start[k]), self.in_start[k])

    def ends(self, end: np.ndarray) -> np.ndarray:
        last = end - 1
        k = np.searchsorted(self.out_start, last, side="right") - 1
        return np.where(self.is_copy[k], self.in_start[k] + (last - self.out_start[k]) + 1,
                        self.in_start[k] + self.in_len[k])


@dataclass(frozen=True)
class OffsetMap:
    """Maps character spans in a cleaned text back to the raw text.

    A chain of per-rule segment maps; a character produced by a replacement maps
    to the whole raw span it replaced. Mapping is vectorised (``numpy.searchsorted``).
    """

    steps: tuple[_StepMap, ...] = field(default_factory=tuple)

    def to_raw(self, start, end) -> tuple[np.ndarray, np.ndarray]:
        """Raw ``(start, end)`` offsets for cleaned ``[start, end)`` spans (arrays or ints).

        Empty spans (``end <= start``) map to an empty raw span at the start.
        """
        start = np.asarray(start, dtype=np.int64)
        end = np.asarray(end, dtype=np.int64)
        raw_start, raw_end = start.copy(), end.copy()
        nonempty = end > start
        for step in reversed(self.steps):
            raw_start = step.starts(raw_start)
            raw_end = np.where(nonempty, step.ends(np.maximum(raw_end, 1)), raw_end)
        raw_end = np.where(nonempty, raw_end, raw_start)
        return raw_start, raw_end


@dataclass(frozen=True)
class CleanText:
    """A cleaned text, its offset map to the raw text, and how often each rule fired."""

    text: str
    offsets: OffsetMap
    rule_counts: dict[str, int]


def _substitute(text: str, rule: CleaningRule) -> tuple[str, _StepMap | None, int]:
    pieces: list[str] = []
    out_start, in_start, in_len, is_copy = [], [], [], []
    out_pos = in_pos = n = 0
    for match in rule.pattern.finditer(text):
        replacement = match.expand(rule.replacement) if "\\" in rule.replacement else rule.replacement
        if match.group(0) == replacement:
            continue
        n += 1
        if match.start() > in_pos:  # copied stretch before the match
            out_start.append(out_pos); in_start.append(in_pos)
            in_len.append(match.start() - in_pos); is_copy.append(True)
            pieces.append(text[in_pos:match.start()])
            out_pos += match.start() - in_pos
        out_start.append(out_pos); in_start.append(match.start())
        in_len.append(match.end() - match.start()); is_copy.append(False)
        pieces.append(replacement)
        out_pos += len(replacement)
        in_pos = match.end()
    if n == 0:
        return text, None, 0
    out_start.append(out_pos); in_start.append(in_pos)
    in_len.append(len(text) - in_pos); is_copy.append(True)
    pieces.append(text[in_pos:])
    step = _StepMap(np.array(out_start, dtype=np.int64), np.array(in_start, dtype=np.int64),
                    np.array(in_len, dtype=np.int64), np.array(is_copy, dtype=bool))
    return "".join(pieces), step, n


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
    """
    text, steps, counts = raw, [], {}
    for rule in rules:
        if not rule.applies_to(doc_id):
            continue
        text, step, n = _substitute(text, rule)
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
    """
    rows = [(doc_id, rule_id, n) for doc_id, counts in zip(docs["doc_id"], docs["rule_counts"])
            for rule_id, n in counts.items() if n]
    return pd.DataFrame(rows, columns=["doc_id", "rule_id", "count"])
