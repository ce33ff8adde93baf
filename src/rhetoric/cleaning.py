"""Cleaning rules (from data) and the offset map back to the raw text.

Cleaning happens in memory, never on disk. Each rule is a regular expression
with a replacement, read from ``data/cleaning.yml``; applying the rules gives
the cleaned text, a count of how often each rule fired, and an
:class:`OffsetMap` that turns character offsets in the cleaned text back into
offsets in the raw text.

Speed: a rule is only run on a text that can contain a match (a literal every
match needs, or a set of possible first characters, is looked for first with
``str.__contains__``); single-character rules (quotes, odd spaces) are applied
with ``str.replace``; rules with a literal start are matched only where that
literal occurs. The offset maps of all rules are composed into one segment
table per text, so mapping a token back costs one ``numpy.searchsorted``
however many rules fired.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
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
        If the file is not YAML, a rule lacks ``id`` or ``pattern``, an id is
        used twice, a pattern does not compile, or a replacement refers to a
        group the pattern does not have; the message names the file and rule.
    """
    path = Path(path) if path is not None else config.CLEANING_RULES
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: cannot read cleaning rules ({exc}); fix the YAML.") from exc
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


# --- offset maps --------------------------------------------------------------

_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class _Segments:
    """A map from positions in an output text back to an input text.

    ``out_start[k]:out_end[k]`` (output) was produced from ``in_start[k]:in_end[k]``
    (input) as a whole: a start inside it maps to ``in_start[k]``, an end to
    ``in_end[k]``. Between segments text was copied: a position ``p`` after
    segment ``k`` maps to ``p - out_end[k] + in_end[k]`` (before the first, to
    ``p``). Segments are sorted by ``out_start``; zero-width ones mark a change
    of shift (a deletion).
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
        if not len(self):
            return pos
        kk, inside, shift = self._locate(pos)
        return np.where(inside, self.in_start[kk], pos + shift)

    def ends(self, end: np.ndarray) -> np.ndarray:
        """Input (exclusive) end for an output (exclusive) ``end`` >= 1."""
        if not len(self):
            return end
        kk, inside, shift = self._locate(end - 1)
        return np.where(inside, self.in_end[kk], end + shift)

    def map_sorted(self, pos: np.ndarray, *, ends: bool = False) -> np.ndarray:
        """:meth:`starts` (or :meth:`ends`) of sorted positions, by slices instead of a search per position.

        The segment bounds are looked up in ``pos`` (a few binary searches); each
        stretch between them is then one constant or one shift.
        """
        look = pos - 1 if ends else pos
        out = pos.copy()
        bounds = np.searchsorted(look, np.stack([self.out_start, self.out_end], axis=1).ravel())
        const = self.in_end if ends else self.in_start
        shift = self.in_end - self.out_end
        if len(self) <= 64:
            a, b = bounds[0::2].tolist(), bounds[1::2].tolist()
            nxt = a[1:] + [len(pos)]
            for k in range(len(self)):
                if b[k] > a[k]:
                    out[a[k]:b[k]] = const[k]
                if nxt[k] > b[k] and shift[k]:
                    out[b[k]:nxt[k]] += shift[k]
            return out
        counts = np.diff(np.concatenate([[0], bounds, [len(pos)]]))
        # stretches: before segment 0 (copied), segment 0 (constant), after it (shifted), segment 1, ...
        is_const = np.repeat(np.r_[[False], np.tile([True, False], len(self))], counts)
        values = np.repeat(np.r_[[0], np.stack([const, shift], axis=1).ravel()], counts)
        return np.where(is_const, values, pos + values)


def _step_segments(starts: np.ndarray, ends: np.ndarray, out_lengths: np.ndarray) -> _Segments | None:
    """Segments of one substitution: input spans ``starts:ends`` replaced by ``out_lengths`` characters.

    A character replaced by one character maps back exactly as a copied one
    would, so such replacements (straight quotes, plain spaces) need no segment.
    """
    delta = out_lengths - (ends - starts)
    before = np.cumsum(delta) - delta
    out_start = starts + before
    keep = ~((out_lengths == 1) & (ends - starts == 1))
    if not keep.any():
        return None
    if not keep.all():
        out_start, out_lengths, starts, ends = out_start[keep], out_lengths[keep], starts[keep], ends[keep]
    return _Segments(out_start, out_start + out_lengths, starts, ends)


def _compose(first: _Segments | None, second: _Segments | None, n_out: int) -> _Segments | None:
    """One map equal to applying ``second`` (final text -> middle) then ``first`` (middle -> raw).

    ``n_out`` is the length of the final text. Mapping through the result gives
    exactly what mapping through both would (ends are clamped to at least 1
    between the two, as :meth:`OffsetMap.to_raw` always did).
    """
    if second is None or not len(second):
        return first
    if first is None or not len(first):
        return second
    # Breakpoints of the composition, in final-text coordinates: second's segment
    # bounds, and first's bounds carried forward through second's copied stretches.
    x = np.concatenate([first.out_start, first.out_end])
    j = np.searchsorted(second.in_end, x, side="right") - 1   # last replaced input span ending at or before x
    jj = np.maximum(j, 0)
    nxt = np.minimum(j + 1, len(second) - 1)
    swallowed = (j + 1 < len(second)) & (second.in_start[nxt] < x)  # strictly inside a replaced span
    forward = x + np.where(j >= 0, second.out_end[jj] - second.in_end[jj], 0)
    points = np.unique(np.concatenate([[0, n_out], second.out_start, second.out_end, forward[~swallowed]]))
    points = points[(points >= 0) & (points <= n_out)]
    # Classify each elementary interval [points[i], points[i+1]).
    k, in_second, shift2 = second._locate(points)
    mid = np.where(in_second, second.in_start[k], points + shift2)
    ka, in_first, _ = first._locate(mid)
    raw = first.starts(mid)
    const = (in_second | in_first) & (points < n_out)
    seg_in_end = np.where(in_second, first.ends(np.maximum(second.in_end[k], 1)), first.in_end[ka])
    nxt_point = np.append(points[1:], n_out)
    out_start = points
    out_end = np.where(const, nxt_point, points)
    in_start = raw
    in_end = np.where(const, seg_in_end, raw)
    # Drop zero-width anchors that do not change the shift already in force (a
    # dropped anchor carries the same shift forward, so one comparison suffices).
    shift_before = np.concatenate([[0], (in_end - out_end)[:-1]])
    keep = const | ((in_start - out_start) != shift_before)
    if not keep.any():
        return None
    return _Segments(out_start[keep], out_end[keep], in_start[keep], in_end[keep])


@dataclass(frozen=True)
class OffsetMap:
    """Maps character spans in a cleaned text back to the raw text.

    One segment table per rule that fired (``steps``, in rule order); a
    character produced by a replacement maps to the whole raw span it replaced.
    Mapping is vectorised (one ``numpy.searchsorted`` per step);
    :meth:`compact` composes the steps into one table when a text is mapped
    many times.
    """

    steps: tuple[_Segments, ...] = ()

    @property
    def n_segments(self) -> int:
        """Total size of the segment tables (0 when cleaning moved nothing)."""
        return sum(len(step) for step in self.steps)

    def compact(self) -> "OffsetMap":
        """The same map as a single segment table (the steps composed)."""
        if len(self.steps) <= 1:
            return self
        composed = None
        for step in self.steps:  # _compose needs only an upper bound of the positions asked about
            composed = _compose(composed, step, _MAX_POSITION)
        return OffsetMap(() if composed is None else (composed,))

    def _to_raw_sorted(self, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`to_raw` for non-empty spans whose starts and ends are each sorted (token spans)."""
        raw_start, raw_end = start, end
        for step in reversed(self.steps):
            raw_start = step.map_sorted(raw_start)
            raw_end = step.map_sorted(raw_end, ends=True)
        if not self.steps:
            return start.copy(), end.copy()
        return raw_start, raw_end

    def to_raw(self, start, end) -> tuple[np.ndarray, np.ndarray]:
        """Raw ``(start, end)`` offsets for cleaned ``[start, end)`` spans (arrays or ints).

        Empty spans (``end <= start``) map to an empty raw span at the start.
        """
        start = np.asarray(start, dtype=np.int64)
        end = np.asarray(end, dtype=np.int64)
        nonempty = end > start
        if (self.steps and start.ndim == 1 and start.shape == end.shape and len(start) > 64
                and nonempty.all() and (start[1:] >= start[:-1]).all() and (end[1:] >= end[:-1]).all()):
            return self._to_raw_sorted(start, end)
        raw_start, raw_end = start, end
        for step in reversed(self.steps):
            raw_start = step.starts(raw_start)
            raw_end = step.ends(np.maximum(raw_end, 1))
        if not self.steps:
            raw_start = raw_start.copy()
        return raw_start, np.where(nonempty, raw_end, raw_start)


_MAX_POSITION = np.iinfo(np.int64).max // 4


@dataclass(frozen=True)
class CleanText:
    """A cleaned text, its offset map to the raw text, and how often each rule fired."""

    text: str
    offsets: OffsetMap
    rule_counts: dict[str, int]


# --- fast matching --------------------------------------------------------------

@dataclass(frozen=True)
class _RuleInfo:
    required: str            # a literal every match contains ("" if unknown)
    prefix: str              # a literal every match starts with ("" if none)
    first_chars: frozenset | None  # possible first characters of a match (None: unknown)
    char_class: frozenset | None   # the pattern is one character from this set
    anchored: bool           # the pattern starts with \A: only position 0 can match
    literal: bool            # the replacement is a plain string (no group references)
    prefix_first: bool = False   # the pattern starts with a literal (the regex engine finds it fast)
    line_start: bool = False     # the pattern starts with ^ in multi-line mode: only line starts can match
    one_char: bool = False       # every match is exactly one character long
    trailing_space: bool = False  # the pattern is \s+\Z: it can only match the final white space


_MAX_SET = 64
_CHARSET_MIN = 4096
"""Texts longer than this get their character set computed once, to skip rules that cannot fire."""


@lru_cache(maxsize=256)
def _rule_info(source: str, flags: int, replacement: str) -> _RuleInfo:
    literal = "\\" not in replacement
    try:
        from re import _constants as C
        from re import _parser
        parsed = _parser.parse(source, flags)
        if parsed.state.flags & re.IGNORECASE:
            raise ValueError("case-insensitive")
        items = list(parsed.data)
        required, prefix = _required_literal(items, C), _literal_prefix(items, C)
        first, _ = _first_chars(items, C)
        nullable = parsed.getwidth()[0] == 0
        anchored = bool(items) and items[0] == (C.AT, C.AT_BEGINNING_STRING) and not nullable
        prefix_first = bool(items) and items[0][0] is C.LITERAL
        char_class = None
        if len(items) == 1:
            char_class = _charset(items[0], C)
        trailing_space = (
            len(items) == 2 and items[1] == (C.AT, C.AT_END_STRING) and items[0][0] is C.MAX_REPEAT
            and items[0][1][0] >= 1 and items[0][1][1] is C.MAXREPEAT
            and list(items[0][1][2]) in ([(C.IN, [(C.CATEGORY, C.CATEGORY_SPACE)])],
                                         [(C.IN, [(C.CATEGORY, C.CATEGORY_UNI_SPACE)])])
            and not flags & re.ASCII)
    except Exception:  # an unusual pattern: no shortcuts, plain finditer
        return _RuleInfo("", "", None, None, False, literal)
    if nullable:
        first = None
    line_start = (bool(items) and items[0] == (C.AT, C.AT_BEGINNING) and bool(parsed.state.flags & re.MULTILINE)
                  and not nullable)
    return _RuleInfo(required, prefix, first, char_class, anchored, literal, prefix_first=prefix_first,
                     trailing_space=trailing_space, line_start=line_start,
                     one_char=parsed.getwidth() == (1, 1))


_GLOBAL_FLAGS = re.compile(r"\A(?:\(\?[aiLmsux]+\))+")


@lru_cache(maxsize=256)
def _splitter(source: str, flags: int) -> re.Pattern | None:
    """``(pattern)`` for :meth:`re.Pattern.split`, or None if the pattern has groups of its own."""
    pattern = re.compile(source, flags)
    if pattern.groups or re.search(r"\\\d|\(\?P=", source):
        return None
    try:
        return re.compile("(" + _GLOBAL_FLAGS.sub("", source) + ")", flags)
    except re.error:
        return None


def _charset(item, C) -> frozenset | None:
    op, av = item
    if op is C.LITERAL:
        return frozenset(chr(av))
    if op is C.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is C.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < _MAX_SET:
                chars.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
            else:
                return None
        return frozenset(chars) if len(chars) <= _MAX_SET else None
    return None


def _literal_prefix(items, C) -> str:
    out = []
    for op, av in items:
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT) and not out:
            continue
        if op is C.LITERAL:
            out.append(chr(av))
        else:
            break
    return "".join(out)


def _required_literal(items, C) -> str:
    best, cur = "", ""

    def commit():
        nonlocal best
        if len(cur) > len(best):
            best = cur

    for op, av in items:
        if op is C.LITERAL:
            cur += chr(av)
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero width: keeps neighbours adjacent
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)):
            lo, hi, sub = av
            sub = list(sub)
            if lo >= 1 and sub and all(o is C.LITERAL for o, _ in sub):
                unit = "".join(chr(a) for _, a in sub)
                cur += unit * lo
                commit()
                if hi != lo:
                    cur = unit
            else:
                commit()
                cur = ""
        elif op is C.SUBPATTERN and not (av[1] & re.IGNORECASE):
            inner = _required_literal(list(av[3]), C)
            commit()
            cur = ""
            if len(inner) > len(best):
                best = inner
        else:
            commit()
            cur = ""
    commit()
    return best


def _first_chars(items, C) -> tuple[frozenset | None, bool]:
    """Possible first consumed characters of a sequence, and whether it can match empty."""
    chars: set[str] = set()
    for item in items:
        op, av = item
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        if op in (C.LITERAL, C.IN):
            sub = _charset(item, C)
            if sub is None:
                return None, False
            return frozenset(chars | sub), False
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)):
            lo, _, sub = av
            first, nullable = _first_chars(list(sub), C)
            if first is None:
                return None, False
            chars |= first
            if lo >= 1 and not nullable:
                return frozenset(chars), False
            continue
        if op is C.SUBPATTERN:
            if av[1] & re.IGNORECASE:
                return None, False
            first, nullable = _first_chars(list(av[3]), C)
            if first is None:
                return None, False
            chars |= first
            if not nullable:
                return frozenset(chars), False
            continue
        if op is C.BRANCH:
            any_nullable = False
            for branch in av[1]:
                first, nullable = _first_chars(list(branch), C)
                if first is None:
                    return None, False
                chars |= first
                any_nullable |= nullable
            if not any_nullable:
                return frozenset(chars), False
            continue
        return None, False
    return frozenset(chars), True


def _char_positions(text: str, char: str) -> np.ndarray:
    """Offsets of every occurrence of the single character ``char`` in ``text``."""
    pieces = text.split(char)
    if len(pieces) == 1:
        return _EMPTY
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))[:-1]
    return np.cumsum(lengths + 1) - 1


def _literal_positions(text: str, literal: str) -> list[int]:
    out, pos = [], text.find(literal)
    while pos >= 0:
        out.append(pos)
        pos = text.find(literal, pos + 1)
    return out


def _class_positions(text: str, chars) -> tuple[np.ndarray, list[str]]:
    """Sorted offsets of every character of ``chars`` in ``text``, and the characters present."""
    present = [c for c in sorted(chars) if c in text]
    if not present:
        return _EMPTY, present
    positions = [_char_positions(text, c) for c in present]
    return (positions[0] if len(positions) == 1 else np.sort(np.concatenate(positions))), present


def distinct_characters(text: str) -> frozenset[str]:
    """The set of characters occurring in ``text`` (vectorised; used to skip rules that cannot fire)."""
    if text.isascii():
        seen = np.zeros(128, dtype=bool)
        seen[np.frombuffer(text.encode("ascii"), dtype=np.uint8)] = True
        return frozenset(map(chr, np.flatnonzero(seen).tolist()))
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    seen = np.zeros(0x10000, dtype=bool)
    seen[units] = True
    found = set(map(chr, np.flatnonzero(seen).tolist()))
    if seen[0xD800:0xE000].any():  # characters beyond U+FFFF (or lone surrogates): add them exactly
        found = {c for c in found if not 0xD800 <= ord(c) < 0xE000}
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        found |= set(map(chr, np.unique(codes[(codes >= 0xD800) & ((codes < 0xE000) | (codes >= 0x10000))])
                         .tolist()))
    return frozenset(found)


def find_matches(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    """Spans of every match of ``pattern`` in ``text``, exactly as ``pattern.finditer(text)`` finds them.

    Faster than a plain scan: skips the text when a literal every match needs
    is absent, and tries only the positions where a match can start when those
    are few (a literal start, or a small set of first characters).
    """
    info = _rule_info(pattern.pattern, pattern.flags, "")
    kind, found = _plan(pattern, info, text, None)
    if kind == "none":
        return []
    if kind == "class":
        return [(int(p), int(p) + 1) for p in found[0]]
    if kind == "scan":
        return [m.span() for m in pattern.finditer(text)]
    return [m.span() for m in found]


def _plan(pattern: re.Pattern, info: _RuleInfo, text: str, chars: frozenset | None):
    """How to find a rule's matches in ``text``: ("none" | "class" | "matches" | "scan", data).

    ``chars`` is a superset of the characters in ``text`` (or None if unknown).
    "class" gives (offsets, characters present); "matches" gives match objects
    already found; "scan" means a full scan with the regular expression.
    """
    if chars is not None:
        if info.required and not set(info.required) <= chars:
            return "none", None
        if info.first_chars is not None and not (info.first_chars & chars):
            return "none", None
    if info.required and info.required not in text:
        return "none", None
    if info.char_class is not None:
        candidates = info.char_class if chars is None else info.char_class & chars
        positions, present = _class_positions(text, candidates)
        return ("class", (positions, present)) if len(positions) else ("none", None)
    if info.first_chars is not None and chars is None and not any(c in text for c in info.first_chars):
        return "none", None
    if info.anchored:
        match = pattern.match(text)
        return ("matches", [match]) if match else ("none", None)
    if info.trailing_space:
        end = len(text.rstrip())
        match = pattern.match(text, end) if end < len(text) else None
        return ("matches", [match]) if match else ("none", None)
    candidates = None
    if info.prefix and not info.prefix_first:
        if text.count(info.prefix) * 64 <= len(text):
            candidates = _literal_positions(text, info.prefix)
    elif info.line_start and text.count("\n") * 16 <= len(text):
        candidates = np.concatenate([[0], _char_positions(text, "\n") + 1]).tolist()
    elif not info.prefix and info.first_chars is not None and len(info.first_chars) <= 16:
        firsts = info.first_chars if chars is None else info.first_chars & chars
        if sum(text.count(c) for c in firsts) * 64 <= len(text):
            candidates = sorted(p for c in firsts for p in _literal_positions(text, c))
    if candidates is None:
        return "scan", None
    matches, last_end = [], 0
    for pos in candidates:
        if pos < last_end:
            continue
        match = pattern.match(text, pos)
        if match is not None:
            matches.append(match)
            last_end = match.end()
    return ("matches", matches) if matches else ("none", None)


def _substitute(text: str, rule: CleaningRule, chars: frozenset | None = None
                ) -> tuple[str, _Segments | None, int]:
    """Apply one rule; return the new text, its segments (output -> input) and the number of changes.

    ``chars``, if given, is a superset of the characters in ``text``; rules that
    need a character it lacks are skipped without looking at the text.
    """
    info = _rule_info(rule.pattern.pattern, rule.pattern.flags, rule.replacement)
    if info.char_class is not None and info.literal and len(rule.replacement) == 1:
        # one character for one: offsets do not move, so only count and replace (the replacement
        # character itself, if the class has it, is an unchanged match: not counted)
        n = 0
        for char in sorted((info.char_class if chars is None else info.char_class & chars) - {rule.replacement}):
            found = text.count(char)
            if found:
                n += found
                text = text.replace(char, rule.replacement)
        return text, None, n
    if (info.one_char and info.literal and len(rule.replacement) == 1 and info.first_chars is not None
            and rule.replacement not in info.first_chars):
        # one character for one, in context (e.g. a dash between letters): offsets do not move
        if info.required and (chars is not None and not set(info.required) <= chars or info.required not in text):
            return text, None, 0
        if chars is not None and not info.first_chars & chars:
            return text, None, 0
        text, n = rule.pattern.subn(rule.replacement, text)
        return text, None, n
    kind, found = _plan(rule.pattern, info, text, chars)
    if kind == "none":
        return text, None, 0
    if kind == "class":
        starts, present = found
        if info.literal and not (set(rule.replacement) & info.char_class):
            # one character -> a fixed string: str.replace, offsets from str.split
            for char in present:
                text = text.replace(char, rule.replacement)
            lengths = np.full(len(starts), len(rule.replacement), dtype=np.int64)
            return text, _step_segments(starts, starts + 1, lengths), int(len(starts))
        found = [rule.pattern.match(text, int(p)) for p in starts]
    elif kind == "scan":
        splitter = _splitter(rule.pattern.pattern, rule.pattern.flags) if info.literal else None
        if splitter is not None:  # offsets from re.split: no Python work per match
            pieces = splitter.split(text)
            if len(pieces) == 1:
                return text, None, 0
            lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
            ends = np.cumsum(lengths)
            starts = ends - lengths
            changed = np.array(pieces[1::2], dtype=object) != rule.replacement
            if not changed.any():
                return text, None, 0
            m_start, m_end = starts[1::2][changed], ends[1::2][changed]
            out_lengths = np.full(len(m_start), len(rule.replacement), dtype=np.int64)
            return (rule.replacement.join(pieces[0::2]), _step_segments(m_start, m_end, out_lengths),
                    int(len(m_start)))
        found = rule.pattern.finditer(text)
    spans, outs = [], []
    for match in found:
        out = rule.replacement if info.literal else match.expand(rule.replacement)
        if match.group(0) == out:
            continue
        spans.append(match.span())
        outs.append(out)
    if not spans:
        return text, None, 0
    pieces, prev = [], 0
    for (start, end), out in zip(spans, outs):
        pieces.append(text[prev:start])
        pieces.append(out)
        prev = end
    pieces.append(text[prev:])
    arr = np.array(spans, dtype=np.int64).reshape(-1, 2)
    lengths = np.fromiter(map(len, outs), dtype=np.int64, count=len(outs))
    return "".join(pieces), _step_segments(arr[:, 0], arr[:, 1], lengths), len(spans)


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
    """
    text, steps, counts = raw, [], {}
    chars = distinct_characters(raw) if len(raw) > _CHARSET_MIN else None
    for rule in rules:
        if not rule.applies_to(doc_id):
            continue
        try:
            text, step, n = _substitute(text, rule, chars)
        except (re.error, IndexError) as exc:
            raise CorpusError(f"cleaning rule '{rule.id}' failed on document '{doc_id}' ({exc}); "
                              "fix its replacement in the cleaning rules.") from exc
        counts[rule.id] = n
        if step is not None:
            steps.append(step)
        if n and chars is not None:  # add what the replacement may have added: a superset stays a superset
            literal = "\\" not in rule.replacement
            chars = (chars | frozenset(rule.replacement)) if literal else None
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
