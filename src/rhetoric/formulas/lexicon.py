"""Loading and checking YAML lexicons (formulas, frames), with line numbers in every error.

:func:`load_yaml_with_lines` reads any YAML file into plain Python data plus a
table of the line each value starts on, so a loader can say *where* a bad entry
is. :func:`load_formula_lexicon` uses it to read and check the formula lexicon
(``data/lexicons/formulas.yml``; a corpus folder may have its own
``lexicons/formulas.yml``), returning one row per variant.

The formula lexicon
-------------------
A YAML mapping with ``version``, optionally ``categories`` (the allowed
categories; when given, every formula must use one of them) and ``formulas``, a
list (a bare list of formulas is accepted too). Each formula::

    - id: china_kazakhstan_community       # unique; letters, digits, _ . -
      label: China-Kazakhstan community with a shared future  # the official English
      zh: 中哈命运共同体                     # the Chinese form (simplified), optional
      category: vision
      broader: community_shared_future       # a broader formula of the lexicon, optional
      variants:                              # at least one
        - name: community of common destiny  # the rendering reported in tables
          pattern: "community of (a)? common destiny of China and Kazakhstan"
          example: "We build a community of common destiny of China and Kazakhstan."
          near_miss: "China and Kazakhstan share a common destiny."
        - 中哈命运共同体                      # a bare pattern is named after itself
      first_official_use: "2022-09-14"       # YYYY, YYYY-MM, YYYY-MM-DD or null
      note: ...
      source: ...

Patterns use the phrase language of :mod:`rhetoric.patterns`; a pattern with
Chinese characters is a Chinese rendering (``language`` "zh", else "en") and is
cut into words as Chinese text is (:mod:`rhetoric.corpus.tokens`): write its
words apart where quotes or other punctuation may stand between them
(``共建 一带一路``). A pattern is checked when the lexicon is read: it must
parse, every ``/regex/`` must compile and must not backtrack catastrophically
on a short test word (nested repetition such as ``(a|aa)+``), and no word
sequence may belong to two formulas (``win-win cooperation`` and ``win win
cooperation`` are the same sequence, since hyphens are loose).

``example`` and ``near_miss`` (a sentence or a list of them) are the variant's
own tests: the lexicon matched on an example must find this variant, on a near
miss not this formula (:func:`formula_examples`; ``tests/test_canon.py``).

**Levels.** ``broader`` names a broader formula (the high-quality Belt and
Road within the Belt and Road; a bilateral community within the community
with a shared future). Hits are found at each formula's own level (a stretch of
text is one formula); :func:`formula_levels` gives each formula's chain of
broader formulas, and counts can be rolled up along it
(:func:`rhetoric.formulas.counts.formula_counts` with ``level``). Chains end
(no formula is its own broader formula, directly or through others).
"""

from __future__ import annotations

import difflib
import hashlib
import re
import time
from datetime import date
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import LexiconError
from ..corpus.tokens import _HAN
from ..patterns import NO_CHINESE_TEXT, REGEX_TIMEOUT, check_pattern, parse_pattern, pattern_sequences
from ..yamlfiles import MAX_BYTES, line_of, read_regular_file
from ..yamlfiles import load_yaml_with_lines as _load_yaml

FORMULA_COLUMNS = ["formula_id", "label", "zh", "category", "broader", "variant", "language", "pattern",
                   "first_official_use", "note", "source"]
"""Columns of :func:`load_formula_lexicon`."""
EXAMPLE_COLUMNS = ["formula_id", "variant", "kind", "sentence"]
"""Columns of :func:`formula_examples`."""
DEFAULT_CATEGORIES = ("vision", "partnership", "Belt and Road", "global initiatives", "principles", "security",
                      "development", "Kazakh-side")
"""Categories named in the project's design; a lexicon may declare its own under ``categories``."""
FORMULA_KEYS = ("id", "label", "zh", "category", "broader", "variants", "first_official_use", "note", "source")
_REQUIRED_KEYS = ("id", "label", "variants")
_VARIANT_KEYS = ("name", "pattern", "example", "near_miss")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_PROBLEMS = 25
"""Most problems listed in one error message."""


def load_yaml_with_lines(path: str | Path) -> tuple[object, dict[tuple, int]]:
    """A lexicon file's data and the line of each value (:func:`rhetoric.yamlfiles.load_yaml_with_lines`).

    Raises
    ------
    LexiconError
        For a missing, non-regular, oversized, non-UTF-8 or invalid YAML file,
        deep nesting, an alias or a repeated key (with file and line).

    Examples
    --------
    >>> data, lines = load_yaml_with_lines(config.FORMULA_LEXICON)
    >>> data["formulas"][0]["id"], lines[("formulas", 0, "id")] > 1
    ('community_shared_future', True)
    """
    return _load_yaml(path, error=LexiconError, what="lexicon file")


def default_formula_lexicon(corpus_dir: str | Path | None = None) -> Path:
    """The formula lexicon for a corpus: ``<corpus>/lexicons/formulas.yml`` if present, else the project's.

    Examples
    --------
    >>> default_formula_lexicon() == config.FORMULA_LEXICON
    True
    """
    if corpus_dir is not None:
        own = Path(corpus_dir) / "lexicons" / config.FORMULA_LEXICON.name
        if own.exists():
            return own
    return config.FORMULA_LEXICON


class _Problems:
    def __init__(self, path: Path, lines: dict):
        self.path, self.lines, self.items = path, lines, []

    def add(self, key_path: tuple, message: str, formula_id: str | None = None) -> None:
        line = line_of(self.lines, *key_path)
        where = f"{self.path}:{line}" if line else str(self.path)
        who = f" formula '{formula_id}'" if formula_id else ""
        self.items.append(f"{where}:{who} {message}")

    def raise_if_any(self) -> None:
        if len(self.items) == 1:
            raise LexiconError(self.items[0])
        if self.items:
            shown = self.items[:MAX_PROBLEMS]
            more = len(self.items) - len(shown)
            text = "\n  ".join(shown) + (f"\n  ... and {more} more" if more > 0 else "")
            raise LexiconError(f"{len(self.items)} problem(s) in lexicon {self.path}:\n  {text}")


_PROBE_WORDS = 40
"""Length of the test words a ``/regex/`` is tried on when a lexicon is read."""


def _regex_probes(text: str) -> list[str]:
    letters = sorted({ch.lower() for ch in re.sub(r"\\.", "", text) if ch.isalnum()})[:6] or ["a"]
    return ["a" * _PROBE_WORDS + "!"] + [ch * _PROBE_WORDS + "!" for ch in letters]


def check_lexicon_pattern(pattern: str) -> list[tuple[tuple[str, str], ...]]:
    """Check one lexicon pattern; return its word sequences as :func:`sequence_key` keys.

    On top of :func:`rhetoric.patterns.check_pattern`, every ``/regex/`` is
    tried on short test words (``aaa...!``): one that takes more than
    :data:`rhetoric.patterns.REGEX_TIMEOUT` seconds backtracks catastrophically
    and is refused here, with its line, rather than when a corpus is matched.

    Raises
    ------
    ParameterError
        Saying what is wrong with the pattern.

    Examples
    --------
    >>> check_lexicon_pattern("win-win cooperation") == check_lexicon_pattern("win win cooperation")
    True
    >>> check_lexicon_pattern("/(a|aa)+b/")
    Traceback (most recent call last):
    ...
    rhetoric.errors.ParameterError: '/(a|aa)+b/' backtracks catastrophically (a 41-letter test word took over 1 s); write it without nested or overlapping repetition, or use a glob such as 'develop*'.
    """
    import regex

    from ..errors import ParameterError

    check_pattern(pattern)
    for element in {e for seq in parse_pattern(pattern, chinese=NO_CHINESE_TEXT) for e in seq if e.kind == "regex"}:
        compiled = regex.compile(element.text, flags=regex.IGNORECASE)
        deadline = time.monotonic() + REGEX_TIMEOUT
        try:
            for probe in _regex_probes(element.text):
                compiled.fullmatch(probe, timeout=max(deadline - time.monotonic(), 1e-3))
        except TimeoutError:
            raise ParameterError(f"'/{element.text}/' backtracks catastrophically (a {_PROBE_WORDS + 1}-letter "
                                 f"test word took over {REGEX_TIMEOUT:g} s); write it without nested or "
                                 "overlapping repetition, or use a glob such as 'develop*'.") from None
    return sorted({sequence_key(seq) for seq in pattern_sequences(pattern, chinese=NO_CHINESE_TEXT)})


def sequence_key(sequence) -> tuple[tuple[str, str], ...]:
    """A word sequence of :func:`rhetoric.patterns.pattern_sequences` with hyphenated words split.

    Lexicons are matched with loose hyphens, so ``win-win`` and ``win win`` are
    one sequence; two formulas (or frames) may not share one. Chinese words
    next to each other are joined (Chinese is written without spaces, so
    ``中哈 命运共同体`` is ``中哈命运共同体``), and the key needs no segmenter.

    Examples
    --------
    >>> sequence_key((("word", "win-win"), ("word", "cooperation")))
    (('word', 'win'), ('word', 'win'), ('word', 'cooperation'))
    >>> sequence_key((("word", "中哈"), ("word", "命运共同体")))
    (('word', '中哈命运共同体'),)
    """
    out: list[tuple[str, str]] = []
    for kind, text in sequence:
        if kind == "word":
            for part in (p for p in text.split("-") if p):
                if out and out[-1][0] == "word" and _is_chinese(part) and _is_chinese(out[-1][1]):
                    out[-1] = ("word", out[-1][1] + part)
                else:
                    out.append(("word", part))
        else:
            out.append((kind, text))
    return tuple(out)


def _is_chinese(word: str) -> bool:
    return _HAN.fullmatch(word[0]) is not None and _HAN.fullmatch(word[-1]) is not None


def _as_date_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        return value.strip()
    raise ValueError(value)


def load_formula_lexicon(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check a formula lexicon; one row per variant.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file (see the module docstring). Default: the project's
        ``data/lexicons/formulas.yml``.

    Returns
    -------
    DataFrame
        ``formula_id, label, category, variant, pattern, first_official_use,
        note, source``, in file order (formulas, then their variants). Text
        fields are strings (empty when absent); ``first_official_use`` is a
        string or None. ``attrs`` holds ``path``, ``version`` and
        ``categories``.

    Raises
    ------
    LexiconError
        Listing every problem with file, line and formula id, and the fix: not
        YAML or not UTF-8, a top level that is not a mapping/list, an entry that
        is not a mapping, a missing or unknown key, a duplicate id, an empty or
        malformed variant, an unknown category, an invalid or catastrophically
        slow ``/regex/``, a date that is not ``YYYY[-MM[-DD]]``, or one variant
        listed under two formulas. One problem is one line; several are
        listed under a heading line.

    Examples
    --------
    >>> lexicon = load_formula_lexicon()
    >>> lexicon.loc[0, ["formula_id", "variant"]].tolist()
    ['community_shared_future', 'community with a shared future']
    """
    table = _cached(path)[0]
    out = table.copy()
    out.attrs = {k: (list(v) if isinstance(v, list) else v) for k, v in table.attrs.items()}
    return out


def formula_examples(path: str | Path | None = None) -> pd.DataFrame:
    """The test sentences of a lexicon's variants: what each must match, and what it must not.

    Returns
    -------
    DataFrame
        ``formula_id, variant, kind`` ("example" or "near_miss"), ``sentence``;
        in file order.

    Examples
    --------
    >>> examples = formula_examples()
    >>> sorted(set(examples["kind"]))
    ['example', 'near_miss']
    """
    return _cached(path)[1].copy()


def _cached(path) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = Path(path) if path is not None else config.FORMULA_LEXICON
    data = read_regular_file(path, error=LexiconError, what="lexicon file", limit=MAX_BYTES)
    key = (str(path.resolve()), hashlib.sha256(data).hexdigest())  # the content: an edit is never missed
    cached = _CACHE.get(key)
    if cached is None:
        cached = _load_formula_lexicon(path)
        _CACHE.clear()  # keep the latest lexicon only
        _CACHE[key] = cached
    return cached


_CACHE: dict[tuple, tuple[pd.DataFrame, pd.DataFrame]] = {}


def _sentences(value) -> list[str] | None:
    """A variant's ``example`` or ``near_miss``: a sentence or a list of them (None if malformed)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) and v.strip() for v in items):
        return None
    return [" ".join(v.split()) for v in items]


def _load_formula_lexicon(path: Path) -> pd.DataFrame:
    data, lines = load_yaml_with_lines(path)
    problems = _Problems(path, lines)
    version, categories, prefix = None, None, ()
    if isinstance(data, dict):
        unknown = sorted(set(map(str, data)) - {"version", "categories", "formulas"})
        if unknown:
            problems.add((unknown[0],), f"unknown top-level key(s) {unknown}; the keys are version, categories, "
                                        "formulas.")
        version = data.get("version")
        if "categories" in data:
            cats = data["categories"]
            if not isinstance(cats, list) or not cats or not all(isinstance(c, str) and c.strip() for c in cats):
                problems.add(("categories",), "'categories' must be a list of names, e.g. [vision, security].")
            else:
                categories = [c.strip() for c in cats]
        if "formulas" not in data:
            problems.add((), "no 'formulas' list; put the formulas under a top-level key 'formulas:'.")
            problems.raise_if_any()
        entries, prefix = data["formulas"], ("formulas",)
    elif isinstance(data, list):
        entries = data
    elif data is None:
        raise LexiconError(f"{path}: the lexicon is empty; add a 'formulas:' list (see data/lexicons/formulas.yml).")
    else:
        raise LexiconError(f"{path}:1: the top level must be a mapping with 'formulas:' (or a list of formulas), "
                           f"not {type(data).__name__}.")
    if not isinstance(entries, list) or not entries:
        problems.add(prefix, "'formulas' must be a non-empty list of entries starting with '- id: ...'.")
        problems.raise_if_any()

    rows: list[dict] = []
    examples: list[dict] = []
    broader_of: dict[str, tuple[str, tuple]] = {}
    first_line_of_id: dict[str, int | None] = {}
    owner_of_sequence: dict[tuple, tuple[str, int | None, str]] = {}
    for k, entry in enumerate(entries):
        here = prefix + (k,)
        if not isinstance(entry, dict):
            problems.add(here, f"entry {k + 1} is a {type(entry).__name__}, not a mapping; write it as "
                               "'- id: ...' with label, category and variants indented below.")
            continue
        fid = entry.get("id")
        fid_text = str(fid).strip() if fid is not None else None
        unknown = sorted(set(map(str, entry)) - set(FORMULA_KEYS))
        if unknown:
            problems.add(here + (unknown[0],), f"unknown key(s) {unknown}; the keys are {', '.join(FORMULA_KEYS)}.",
                         fid_text)
        missing = [key for key in _REQUIRED_KEYS
                   if entry.get(key) is None or (isinstance(entry.get(key), str) and not entry[key].strip())]
        if "variants" in entry and entry["variants"] in ([], None):
            missing = [key for key in missing if key != "variants"]
            problems.add(here + ("variants",), "'variants' is empty; list at least one pattern under it.", fid_text)
        if missing:
            problems.add(here, f"missing {', '.join(missing)}; every formula needs id, label and variants.",
                         fid_text)
        if fid_text is None:
            continue
        if not isinstance(fid, str) or not _ID_RE.match(fid_text):
            problems.add(here + ("id",), f"id '{fid}' must be a word of letters, digits, '_', '.' or '-' "
                                         "(e.g. community_shared_future).", fid_text)
        if fid_text in first_line_of_id:
            problems.add(here + ("id",), f"duplicate id (first on line {first_line_of_id[fid_text]}); give each "
                                         "formula its own id, or merge the two entries' variants.", fid_text)
            continue
        first_line_of_id[fid_text] = line_of(lines, *here, "id")
        zh = entry.get("zh")
        zh_text = "" if zh is None else str(zh).strip()
        if zh is not None and (not isinstance(zh, str) or not _HAN.search(zh_text)):
            problems.add(here + ("zh",), f"zh '{zh}' must be the formula's Chinese form in Chinese characters "
                                         "(e.g. 人类命运共同体), or be left out.", fid_text)
        broader = entry.get("broader")
        if broader is not None:
            if not isinstance(broader, str) or not broader.strip():
                problems.add(here + ("broader",), "broader must be the id of another formula of this lexicon.",
                             fid_text)
            else:
                broader_of[fid_text] = (broader.strip(), here + ("broader",))
        category = entry.get("category")
        category_text = "" if category is None else str(category).strip()
        if categories is not None:
            if category_text not in categories:
                problems.add(here + ("category",), f"unknown category '{category_text}'; use one of: "
                                                   f"{', '.join(categories)} (or add it to 'categories').",
                             fid_text)
        elif category is not None and not isinstance(category, str):
            problems.add(here + ("category",), "category must be a text.", fid_text)
        try:
            first_use = _as_date_text(entry.get("first_official_use"))
        except ValueError:
            problems.add(here + ("first_official_use",), f"first_official_use '{entry.get('first_official_use')}' "
                                                         "is not a date; write YYYY, YYYY-MM, YYYY-MM-DD or null.",
                         fid_text)
            first_use = None
        variants = entry.get("variants")
        if variants is None:
            continue
        if not isinstance(variants, list):
            problems.add(here + ("variants",), "'variants' must be a list (each line '- pattern' or "
                                               "'- name: ...' with 'pattern: ...').", fid_text)
            continue
        for j, variant in enumerate(variants):
            vhere = here + ("variants", j)
            tests: dict[str, list[str]] = {}
            if isinstance(variant, dict):
                unknown = sorted(set(map(str, variant)) - set(_VARIANT_KEYS))
                if unknown:
                    problems.add(vhere, f"variant {j + 1}: unknown key(s) {unknown}; a variant has 'name', "
                                        "'pattern', 'example' and 'near_miss'.", fid_text)
                pattern, name = variant.get("pattern"), variant.get("name")
                for kind in ("example", "near_miss"):
                    found = _sentences(variant.get(kind))
                    if found is None:
                        problems.add(vhere + (kind,), f"variant {j + 1}: '{kind}' must be a sentence or a list of "
                                                      "sentences.", fid_text)
                        found = []
                    tests[kind] = found
            else:
                pattern, name = variant, None
            if isinstance(pattern, (int, float)) and not isinstance(pattern, bool):
                pattern = str(pattern)  # a bare number ("- 2049") is a word
            if pattern is not None and not isinstance(pattern, str):
                problems.add(vhere, f"variant {j + 1} is a {type(pattern).__name__}, not a pattern; write one "
                                    "phrase per line ('- community with a shared future').", fid_text)
                continue
            if not isinstance(pattern, str) or not pattern.strip():
                problems.add(vhere, f"variant {j + 1} is empty or has no 'pattern'; write the phrase, e.g. "
                                    "'- community with a shared future'.", fid_text)
                continue
            pattern = " ".join(pattern.split())
            name = " ".join(str(name).split()) if name not in (None, "") else pattern
            try:
                sequences = check_lexicon_pattern(pattern)
            except ValueError as exc:
                problems.add(vhere, f"variant {j + 1}: {str(exc).rstrip('.')}.", fid_text)
                continue
            for seq in sequences:
                owner = owner_of_sequence.get(seq)
                if owner is not None and owner[0] != fid_text:
                    words = " ".join(text for _, text in seq)
                    problems.add(vhere, f"variant '{name}' matches the same words '{words}' as variant "
                                        f"'{owner[2]}' of formula '{owner[0]}' (line {owner[1]}); a phrase can "
                                        "belong to one formula only - remove it from one of them.", fid_text)
                    break
                owner_of_sequence.setdefault(seq, (fid_text, line_of(lines, *vhere), name))
            rows.append({
                "formula_id": fid_text, "label": str(entry.get("label") or "").strip(),
                "zh": zh_text if isinstance(zh, str) else "", "category": category_text,
                "broader": broader.strip() if isinstance(broader, str) else "", "variant": name,
                "language": "zh" if _HAN.search(pattern) else "en", "pattern": pattern,
                "first_official_use": first_use,
                "note": " ".join(str(entry.get("note") or "").split()),
                "source": " ".join(str(entry.get("source") or "").split()),
            })
            examples += [{"formula_id": fid_text, "variant": name, "kind": kind, "sentence": sentence}
                         for kind, sentences in tests.items() for sentence in sentences]
    for fid, (parent, where) in broader_of.items():
        if parent == fid:
            problems.add(where, f"broader '{parent}' is the formula itself; name a broader formula or leave "
                                "'broader' out.", fid)
        elif parent not in first_line_of_id:
            close = difflib.get_close_matches(parent, list(first_line_of_id), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.add(where, f"broader '{parent}' is not the id of a formula of this lexicon{hint}.", fid)
        else:
            seen, at = [fid], parent
            while at in broader_of and at not in seen:
                seen.append(at)
                at = broader_of[at][0]
            if at in seen and at == fid:
                chain = " -> ".join(seen + [fid])
                problems.add(where, f"broader formulas go round in a circle ({chain}); one of them must have no "
                                    "broader formula.", fid)
    problems.raise_if_any()
    table = pd.DataFrame(rows, columns=FORMULA_COLUMNS)
    table.attrs.update({"path": str(path), "version": version,
                        "categories": categories if categories is not None
                        else list(dict.fromkeys(table["category"]))})
    return table, pd.DataFrame(examples, columns=EXAMPLE_COLUMNS)


def formula_table(lexicon: pd.DataFrame) -> pd.DataFrame:
    """One row per formula of a loaded lexicon.

    Returns
    -------
    DataFrame
        ``formula_id, label, zh, category, broader, n_variants,
        first_official_use`` (``zh`` and ``broader`` empty when the lexicon
        table has no such column).

    Examples
    --------
    >>> table = formula_table(load_formula_lexicon())
    >>> table[table["formula_id"] == "golden_thirty_years"][["zh", "first_official_use"]].to_dict("records")
    [{'zh': '黄金三十年', 'first_official_use': '2022-09'}]
    """
    lexicon = lexicon.assign(**{c: lexicon[c] if c in lexicon.columns else "" for c in ("zh", "broader")})
    grouped = lexicon.groupby("formula_id", sort=False)
    out = grouped.agg(label=("label", "first"), zh=("zh", "first"), category=("category", "first"),
                      broader=("broader", "first"), n_variants=("variant", "size"),
                      first_official_use=("first_official_use", "first"))
    return out.reset_index()


def formula_levels(lexicon: pd.DataFrame) -> pd.DataFrame:
    """Each formula's place among the levels: its broader formulas up to the broadest.

    Parameters
    ----------
    lexicon : DataFrame
        From :func:`load_formula_lexicon` (without a ``broader`` column every
        formula is its own family).

    Returns
    -------
    DataFrame
        ``formula_id, broader`` (the next broader formula, "" for none),
        ``family`` (the broadest formula of the chain: the formula itself when
        it has no broader one), ``depth`` (0 for a broadest formula, 1 for one
        below it, ...), ``ancestors`` (tuple: broader, its broader, ...),
        ``path`` (the broadest formula first: "community_shared_future >
        bilateral_community > china_kazakhstan_community"; sorting by it puts
        each family together, every formula under its broader one); in lexicon
        order.

    Examples
    --------
    >>> levels = formula_levels(load_formula_lexicon()).set_index("formula_id")
    >>> levels.loc["china_kazakhstan_community", "family"], int(levels.loc["china_kazakhstan_community", "depth"])
    ('community_shared_future', 2)
    >>> levels.loc["high_quality_belt_and_road", "ancestors"]
    ('belt_and_road',)
    """
    ids = list(dict.fromkeys(lexicon["formula_id"]))
    parent = {}
    if "broader" in lexicon.columns:
        parent = {f: b for f, b in zip(lexicon["formula_id"], lexicon["broader"].fillna("").astype(str))
                  if b and b != f}
    rows = []
    for fid in ids:
        chain, at = [], parent.get(fid)
        while at and at not in chain and at != fid and len(chain) <= len(ids):
            chain.append(at)
            at = parent.get(at)
        rows.append({"formula_id": fid, "broader": parent.get(fid, ""), "family": chain[-1] if chain else fid,
                     "depth": len(chain), "ancestors": tuple(chain), "path": " > ".join(chain[::-1] + [fid])})
    out = pd.DataFrame(rows, columns=["formula_id", "broader", "family", "depth", "ancestors", "path"])
    out["depth"] = out["depth"].astype("int64")
    return out
