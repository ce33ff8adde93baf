"""Frames: how much of a text's framing vocabulary goes to each frame, with bootstrap intervals.

A frame lexicon (``data/lexicons/frames.yml``) lists, for each frame, words and
multi-word phrases in the pattern language of :mod:`rhetoric.patterns`. All
frames' terms are matched together in one pass (leftmost-longest,
non-overlapping), so a multi-word term wins over the single words inside it and
no stretch of text is counted twice.

The share of a frame in a group of text is::

    share(f, g) = hits(f, g) / sum over frames f' of hits(f', g)

the part of all frame hits in ``g`` that belong to ``f`` (shares of a group sum
to 1 when it has any hit). The rate ``per_10k(f, g) = 10000 * hits(f, g) /
tokens(g)`` is given alongside, since a share says nothing about how densely a
text frames at all.

Intervals are percentile bootstrap intervals (Efron & Tibshirani 1993, ch. 13)
that resample the *paragraphs* of a group with replacement: paragraphs, not
words, are the units a writer composes, and hits within a paragraph are not
independent. With the few documents of a small corpus behind each year, the
intervals describe variation within those texts, not across a year's diplomatic
writing; every table says how many documents stand behind each group
(``n_docs`` and ``attrs["caveat"]``).

The lexicon is a YAML mapping with ``frames:``, a list of ``{id, label,
description, source, terms}`` (see :func:`load_frame_lexicon`). A corpus folder
may bring its own ``lexicons/frames.yml``; it is used by default for that
corpus. A dictionary counts words, not meanings: read the hits
(:func:`frame_hits`, ``rhetoric frames --hits``) before trusting a share.

References
----------
Boydstun, A. E., Card, D., Gross, J. H., Resnik, P., & Smith, N. A. (2014).
Tracking the development of media frames within and across policy issues.
Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..counts import check_column, select_documents
from ..errors import LexiconError, ParameterError
from ..patterns import find
from .lexicon import check_lexicon_pattern, line_of, load_yaml_with_lines

LEXICON_COLUMNS = ("frame_id", "label", "term", "pattern", "line")
HIT_COLUMNS = ("doc_id", "frame", "label", "term", "match", "sentence", "paragraph", "token_start", "token_end",
               "start", "end", "raw_start", "raw_end")
SHARE_COLUMNS = ("group", "frame", "label", "hits", "share", "per_10k", "n_units", "n_docs", "n_tokens")
INTERVAL_COLUMNS = ("group", "frame", "label", "hits", "share", "ci_low", "ci_high", "n_paragraphs", "n_docs",
                    "seed", "n_boot", "level")
SHIFT_COLUMNS = ("frame", "label", "from_group", "to_group", "share_from", "share_to", "diff", "ci_low", "ci_high",
                 "n_docs_from", "n_docs_to", "n_paragraphs_from", "n_paragraphs_to", "seed", "n_boot", "level")

SHARE_FORMULA = ("share(f, g) = hits(f, g) / sum_f' hits(f', g); per_10k(f, g) = 10000 * hits(f, g) / tokens(g); "
                 "a hit is one leftmost-longest, non-overlapping match of a frame term")
BOOTSTRAP_FORMULA = ("percentile bootstrap over paragraphs: for each group g with n paragraphs, rng = "
                     "numpy.random.default_rng([seed, crc32(str(g))]); each replicate draws n paragraph indices "
                     "floor(n * rng.random(n)) with replacement and computes share* = sum hits_f / sum hits over "
                     "the drawn paragraphs (rows in corpus order; replicates with no hit are dropped); ci = percentiles "
                     "100*(1-level)/2 and 100*(1+level)/2 (numpy linear) of share*; a shift takes the difference "
                     "share*_to - share*_from of the two groups' replicates, pair by pair")

_FRAME_KEYS = {"id", "label", "description", "source", "terms", "references", "notes"}
_TOP_KEYS = {"frames", "name", "version", "description", "source", "references", "notes"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_BLOCK = 2_000_000
"""Most paragraph draws held in memory at once during the bootstrap."""
MAX_BOOT = 100_000
"""Most bootstrap replicates (``n_boot``); 2000 is usual, 10,000 is plenty for a 99% interval."""
MAX_BOOT_CELLS = 2_000_000_000
"""Most values one bootstrap may compute: ``n_boot`` x paragraphs resampled x frames (about 6 s of work per
2 x 10^9 on one core; the draws are made in blocks of at most 2,000,000 paragraphs)."""
MAX_REPLICATE_VALUES = 20_000_000
"""Most replicate shares held per group: ``n_boot`` x frames (8 bytes each, so at most 160 MB)."""
MAX_SEED = 2 ** 63 - 1
"""Largest seed (seeds are recorded in an int64 column)."""


# --------------------------------------------------------------------------- lexicon

def _parse_lexicon(path: Path) -> tuple[list[dict], list[dict]]:
    """Frames (id, label, description, source, n_terms, line) and terms (frame_id, label, term, pattern, line)."""
    data, lines = load_yaml_with_lines(path)

    def fail(key_path: tuple, message: str):
        line = line_of(lines, *key_path) or 1
        raise LexiconError(f"{path}:{line}: {message}")

    if not isinstance(data, dict):
        fail((), "a frame lexicon is a mapping with a 'frames:' list (see data/lexicons/frames.yml).")
    for key in data:
        if key not in _TOP_KEYS:
            fail((key,), f"unknown key '{key}'; known keys are {', '.join(sorted(_TOP_KEYS))}.")
    if not isinstance(data.get("frames"), list) or not data["frames"]:
        fail(("frames",), "'frames' must be a non-empty list of frames (each with id, label and terms).")
    frames, terms, seen_ids = [], [], {}
    for number, frame in enumerate(data["frames"]):
        where = ("frames", number)
        if not isinstance(frame, dict):
            fail(where, f"frame {number + 1} must be a mapping with id, label and terms.")
        frame_id = frame.get("id")
        name = f"frame '{frame_id}'" if isinstance(frame_id, str) and frame_id else f"frame {number + 1}"
        for key in frame:
            if key not in _FRAME_KEYS:
                fail(where + (key,), f"{name} has unknown key '{key}'; known keys are "
                                     f"{', '.join(sorted(_FRAME_KEYS))}.")
        for key in ("id", "label", "terms"):
            if key not in frame:
                fail(where, f"{name} has no '{key}'; every frame needs id, label and terms.")
        if not isinstance(frame_id, str) or not _ID.match(frame_id):
            fail(where + ("id",), f"{name}: id must be lower-case letters, digits and '_' starting with a letter "
                                  f"(e.g. 'economy'), not {frame_id!r}.")
        if frame_id in seen_ids:
            fail(where + ("id",), f"frame id '{frame_id}' is used twice (first on line {seen_ids[frame_id]}); "
                                  f"give each frame its own id.")
        seen_ids[frame_id] = line_of(lines, *where)
        values = {}
        for key in ("label", "description", "source"):
            value = frame.get(key, "")
            if value is None:
                value = ""
            if not isinstance(value, str) or (key == "label" and not value.strip()):
                fail(where + (key,), f"{name}: '{key}' must be text.")
            values[key] = " ".join(value.split())
        if not isinstance(frame["terms"], list) or not frame["terms"]:
            fail(where + ("terms",), f"{name}: 'terms' must be a non-empty list of words or phrases.")
        frames.append({"frame_id": frame_id, "label": values["label"], "description": values["description"],
                       "source": values["source"], "n_terms": len(frame["terms"]), "line": line_of(lines, *where)})
        for t, term in enumerate(frame["terms"]):
            term_path = where + ("terms", t)
            if not isinstance(term, str) or not term.strip():
                fail(term_path, f"{name}: term {t + 1} must be a word or phrase (text), not {term!r}.")
            pattern = " ".join(term.split())
            try:
                keys = check_lexicon_pattern(pattern)
            except ValueError as exc:
                fail(term_path, f"{name}: term '{term.strip()}': {str(exc).rstrip('.')}.")
            terms.append({"frame_id": frame_id, "label": values["label"], "term": term.strip(),
                          "pattern": pattern, "line": line_of(lines, *term_path), "keys": keys})
    _check_one_frame_per_term(path, terms)
    return frames, terms


def _check_one_frame_per_term(path, terms: list[dict]) -> None:
    """Refuse a word sequence that two frames both spell out (a glob is compared as written; hyphens are loose)."""
    owner: dict[tuple, dict] = {}
    for term in terms:
        for key in term.pop("keys"):
            first = owner.setdefault(key, term)
            if first["frame_id"] != term["frame_id"]:
                words = " ".join(text for _, text in key)
                raise LexiconError(
                    f"{path}:{term['line']}: frame '{term['frame_id']}': term '{term['term']}' matches "
                    f"'{words}', which frame '{first['frame_id']}' already has (line {first['line']}, "
                    f"'{first['term']}'); a term belongs to one frame only, so remove one of them.")


def _lexicon_path(path, docs=None) -> Path:
    if path is not None:
        return Path(path)
    corpus_dir = docs.attrs.get("corpus_dir") if docs is not None else None
    if corpus_dir and (Path(corpus_dir) / "lexicons" / "frames.yml").exists():
        return Path(corpus_dir) / "lexicons" / "frames.yml"
    return config.FRAME_LEXICON


def load_frame_lexicon(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check a frame lexicon (YAML).

    Parameters
    ----------
    path : str or Path, optional
        The YAML file; default ``data/lexicons/frames.yml``. Format: a mapping
        with ``frames:``, a list of ``{id, label, description, source, terms}``;
        ``terms`` is a list of phrase patterns (:mod:`rhetoric.patterns`).

    Returns
    -------
    DataFrame
        One row per term, in file order: ``frame_id, label, term`` (as
        written), ``pattern`` (white space normalized), ``line`` (in the file).
        ``attrs["path"]`` is the file, ``attrs["frames"]`` a list of dicts
        ``frame_id, label, description, source, n_terms, line`` in file order.

    Raises
    ------
    LexiconError
        Naming the file, line and frame id: missing file, bad YAML, unknown or
        missing keys, duplicate frame ids, empty or malformed patterns, and a
        word sequence spelled out by two frames (a term belongs to one frame).

    Examples
    --------
    >>> lexicon = load_frame_lexicon()
    >>> lexicon.loc[0, ["frame_id", "term"]].tolist(), lexicon.attrs["frames"][0]["label"]
    (['history', '(ancient|great)? silk road'], 'History and civilization')
    """
    path = _lexicon_path(path)
    if not path.exists():
        raise LexiconError(f"{path}: frame lexicon not found; give an existing YAML file (--frames FILE), or copy "
                           f"{config.FRAME_LEXICON} as a start.")
    frames, terms = _parse_lexicon(path)
    table = pd.DataFrame(terms, columns=list(LEXICON_COLUMNS))
    table.attrs["path"] = str(path)
    table.attrs["frames"] = frames
    return table


def frame_definitions(frames=None) -> pd.DataFrame:
    """What each frame stands for: ``frame_id, label, description, source, n_terms`` in lexicon order.

    Parameters
    ----------
    frames : str, Path or DataFrame, optional
        A lexicon file or a table from :func:`load_frame_lexicon` (default: the project lexicon).

    Examples
    --------
    >>> frame_definitions()["frame_id"].tolist()[:3]
    ['history', 'friendship', 'economy']
    """
    table = _frames_table(frames)
    defs = table.attrs.get("frames")
    if defs:
        return pd.DataFrame(defs)[["frame_id", "label", "description", "source", "n_terms"]]
    grouped = table.groupby("frame_id", sort=False)
    return pd.DataFrame({"frame_id": list(grouped.groups), "label": grouped["label"].first().to_numpy(),
                         "description": "", "source": "", "n_terms": grouped.size().to_numpy()})


def _frames_table(frames, docs=None) -> pd.DataFrame:
    if frames is None or isinstance(frames, (str, Path)):
        return load_frame_lexicon(_lexicon_path(frames, docs))
    if isinstance(frames, pd.DataFrame):
        missing = [c for c in ("frame_id", "label", "pattern") if c not in frames.columns]
        if missing:
            raise ParameterError(f"frames table lacks column(s) {', '.join(missing)}; pass a path or the table from "
                                 f"load_frame_lexicon().")
        if not len(frames):
            raise ParameterError("frames table is empty; it needs at least one term.")
        return frames
    raise ParameterError(f"frames={type(frames).__name__} is not usable; pass None, a YAML path or the table from "
                         f"load_frame_lexicon().")


# --------------------------------------------------------------------------- hits

def frame_hits(tokens, docs: pd.DataFrame, frames=None) -> pd.DataFrame:
    """Every frame term found in the texts (all documents, every translation).

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.corpus.tokenize` of ``docs``.
    docs : DataFrame
        From :func:`rhetoric.corpus.load_corpus`.
    frames : str, Path or DataFrame, optional
        A lexicon file or a table from :func:`load_frame_lexicon`; default the
        corpus folder's ``lexicons/frames.yml`` if it has one, else the project's.

    Returns
    -------
    DataFrame
        One row per hit in document order: ``doc_id, frame`` (frame id),
        ``label, term`` (the lexicon entry), ``match`` (the text matched),
        ``sentence, paragraph`` (corpus-wide numbers as in ``tokens``),
        ``token_start, token_end`` (within the document), ``start, end``
        (cleaned text), ``raw_start, raw_end`` (raw file). Leftmost-longest,
        non-overlapping over all frames at once.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> frame_hits(tokenize(docs), docs)["frame"].value_counts().head(3).to_dict()
    {'economy': 119, 'friendship': 103, 'security': 77}
    """
    table = _frames_table(frames, docs)
    _check_alignment(tokens, docs)
    lexicon = table.assign(term=table["term"] if "term" in table.columns else table["pattern"])
    lexicon = lexicon[["frame_id", "label", "term", "pattern"]].reset_index(drop=True)
    hits = find(tokens, lexicon, overlapping=False, docs=docs)
    hits = hits.rename(columns={"frame_id": "frame"})
    texts = dict(zip(docs["doc_id"], docs["text"]))
    hits["match"] = [texts[d][s:e] for d, s, e in zip(hits["doc_id"], hits["start"], hits["end"])]
    out = hits[list(HIT_COLUMNS)].reset_index(drop=True)
    for column in ("sentence", "paragraph", "token_start", "token_end", "start", "end", "raw_start", "raw_end"):
        out[column] = out[column].astype(np.int64)
    out.attrs["lexicon"] = table.attrs.get("path", "")
    return out


def _check_alignment(tokens, docs: pd.DataFrame) -> None:
    missing = sorted(set(tokens.doc_ids.tolist()) - set(docs["doc_id"]))
    if missing:
        raise ParameterError(f"tokens has document(s) {', '.join(missing[:5])} that docs lacks; tokenize the same "
                             f"documents table you pass (tokens = tokenize(docs)).")


# --------------------------------------------------------------------------- counting

class _Counts:
    """Paragraph x frame hit counts of the selected documents, with their groups."""

    def __init__(self, tokens, docs, frames, unit, all_versions, prefer):
        table = _frames_table(frames, docs)
        self.frame_ids = list(dict.fromkeys(table["frame_id"]))
        labels = dict(zip(table["frame_id"], table["label"]))
        self.labels = [labels[f] for f in self.frame_ids]
        self.lexicon = table.attrs.get("path", "")
        _check_alignment(tokens, docs)
        selected = select_documents(docs, all_versions=all_versions, prefer=prefer)
        in_tokens = set(tokens.doc_ids.tolist())
        absent = [d for d in selected["doc_id"] if d not in in_tokens]
        if absent:
            raise ParameterError(f"document(s) {', '.join(absent[:5])} are not in tokens; tokenize the same "
                                 f"documents table you pass (tokens = tokenize(docs)).")
        self.all_docs, self.docs = docs, selected
        self.unit = unit
        doc_pos = {d: i for i, d in enumerate(tokens.doc_ids.tolist())}
        keep_doc = np.zeros(len(tokens.doc_ids), dtype=bool)
        keep_doc[[doc_pos[d] for d in selected["doc_id"]]] = True
        n_para = len(tokens.paragraph_doc)
        para_keep = keep_doc[tokens.paragraph_doc] if n_para else np.zeros(0, dtype=bool)
        self.para_index = np.flatnonzero(para_keep)                  # corpus-wide paragraph numbers kept
        self.para_doc = tokens.doc_ids[tokens.paragraph_doc[self.para_index]] if n_para else np.array([], str)
        para_tokens = np.bincount(tokens.paragraph, minlength=n_para) if tokens.n_tokens else np.zeros(n_para, int)
        self.para_tokens = para_tokens[self.para_index].astype(np.int64)
        hits = find(tokens, table[["frame_id", "pattern"]].reset_index(drop=True), overlapping=False)
        frame_pos = {f: i for i, f in enumerate(self.frame_ids)}
        row_of_para = np.full(n_para, -1, dtype=np.int64)
        row_of_para[self.para_index] = np.arange(len(self.para_index))
        n_rows, n_frames = len(self.para_index), len(self.frame_ids)
        rows = row_of_para[hits["paragraph"].to_numpy(dtype=np.int64)] if len(hits) else np.zeros(0, np.int64)
        cols = hits["frame_id"].map(frame_pos).to_numpy(dtype=np.int64) if len(hits) else np.zeros(0, np.int64)
        ok = rows >= 0
        self.counts = np.bincount(rows[ok] * n_frames + cols[ok], minlength=n_rows * n_frames) \
            .reshape(n_rows, n_frames).astype(np.int64)
        self._assign_groups(tokens)

    def _assign_groups(self, tokens) -> None:
        docs, unit = self.docs, self.unit
        if unit == "paragraph":
            first_para = {}
            within = np.zeros(len(self.para_index), dtype=np.int64)
            for i, d in enumerate(self.para_doc.tolist()):
                first_para.setdefault(d, i)
                within[i] = i - first_para[d] + 1
            self.groups = [f"{d}:{k}" for d, k in zip(self.para_doc.tolist(), within.tolist())]
            self.group_codes = np.arange(len(self.para_index), dtype=np.int64)
            self.group_docs = [[d] for d in self.para_doc.tolist()]
            return
        if unit == "document":
            keys = docs["doc_id"].tolist()
            key_of_doc = dict(zip(keys, keys))
        else:
            if not isinstance(unit, str):
                raise ParameterError(f"unit={unit!r} must be 'document', 'paragraph' or a column of corpus.csv.")
            check_column(docs, unit)
            values = docs[unit].tolist()
            keys = sorted(set(values), key=_sort_key)
            key_of_doc = dict(zip(docs["doc_id"], values))
        code = {k: i for i, k in enumerate(keys)}
        self.groups = keys
        self.group_codes = np.array([code[key_of_doc[d]] for d in self.para_doc.tolist()], dtype=np.int64)
        members: dict = {k: [] for k in keys}
        for d in docs["doc_id"]:
            members[key_of_doc[d]].append(d)
        self.group_docs = [members[k] for k in keys]

    def group_sums(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Hits (groups x frames), tokens and paragraphs per group."""
        n_groups = len(self.groups)
        n_frames = len(self.frame_ids)
        cells = (self.group_codes[:, None] * n_frames + np.arange(n_frames)).ravel()
        hits = np.bincount(cells, weights=self.counts.ravel(), minlength=n_groups * n_frames) \
            .reshape(n_groups, n_frames).astype(np.int64)
        n_tokens = np.bincount(self.group_codes, weights=self.para_tokens, minlength=n_groups).astype(np.int64)
        n_paras = np.bincount(self.group_codes, minlength=n_groups).astype(np.int64)
        return hits, n_tokens, n_paras

    def caveat(self) -> str:
        return _caveat(self.all_docs, self.docs, self.unit, self.groups, self.group_docs)


def _sort_key(value):
    return (0, value, "") if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
        else (1, 0, str(value))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _caveat(all_docs, docs, unit, groups, group_docs) -> str:
    dropped = sorted(set(all_docs["doc_id"]) - set(docs["doc_id"]))
    note = (f" Translations count once: {', '.join(dropped)} set aside for the preferred version of the same text."
            if dropped else "")
    if unit == "paragraph":
        return (f"Each paragraph is its own group ({_plural(len(groups), 'paragraph')} from "
                f"{_plural(len(docs), 'document')}); a paragraph's shares rest on a handful of hits.{note}")
    if unit == "document":
        return (f"Each document is its own group ({_plural(len(groups), 'document')}); a document's shares describe "
                f"that one text.{note}")
    parts = [f"{g} rests on {_plural(len(m), 'document')} ({', '.join(m)})" for g, m in zip(groups, group_docs)]
    few = max((len(m) for m in group_docs), default=0) <= 3
    tail = (" With so few texts, differences between groups may reflect these documents' authors and genres rather "
            "than the period; intervals resample paragraphs within these documents only." if few else "")
    return f"By {unit}: " + "; ".join(parts) + "." + tail + note


def frame_shares(tokens, docs: pd.DataFrame, frames=None, *, unit: str = "document",
                 all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """Share of each frame among all frame hits, per document, paragraph or group of documents.

    Parameters
    ----------
    tokens, docs, frames
        As for :func:`frame_hits`.
    unit : str, default "document"
        ``"document"``, ``"paragraph"`` or a column of corpus.csv (``"year"``,
        ``"period"``, ...) whose values group the documents.
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`).

    Returns
    -------
    DataFrame
        One row per group and frame (groups in date / paragraph / sorted order,
        frames in lexicon order): ``group`` (doc_id; ``doc_id:k`` for the k-th
        paragraph; or the column's value), ``frame, label``, ``hits``,
        ``share`` = hits(f, g) / sum_f' hits(f', g) (NaN when the group has no
        hit), ``per_10k`` = 10000 * hits / n_tokens, ``n_units`` (paragraphs in
        the group), ``n_docs`` (documents behind the group), ``n_tokens``.
        ``attrs``: ``caveat`` (how few documents stand behind each group),
        ``formula``, ``lexicon``, ``unit``, ``prefer``.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> economy = frame_shares(tokenize(docs), docs, unit="year").query("frame == 'economy'")
    >>> economy[["group", "hits", "n_docs"]].to_dict("records")
    [{'group': 2022, 'hits': 52, 'n_docs': 2}, {'group': 2023, 'hits': 18, 'n_docs': 1}, {'group': 2024, 'hits': 22, 'n_docs': 1}]
    """
    counts = _Counts(tokens, docs, frames, unit, all_versions, prefer)
    hits, n_tokens, n_paras = counts.group_sums()
    total = hits.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, hits / np.where(total > 0, total, 1), np.nan)
        per_10k = np.where(n_tokens[:, None] > 0, 10000 * hits / np.maximum(n_tokens[:, None], 1), np.nan)
    n_groups, n_frames = hits.shape
    out = pd.DataFrame({
        "group": _group_series(counts.groups, n_frames),
        "frame": np.tile(np.array(counts.frame_ids, dtype=object), n_groups),
        "label": np.tile(np.array(counts.labels, dtype=object), n_groups),
        "hits": hits.ravel(),
        "share": share.ravel(),
        "per_10k": per_10k.ravel(),
        "n_units": np.repeat(n_paras, n_frames),
        "n_docs": np.repeat([len(m) for m in counts.group_docs], n_frames).astype(np.int64),
        "n_tokens": np.repeat(n_tokens, n_frames),
    }, columns=list(SHARE_COLUMNS))
    out.attrs.update(caveat=counts.caveat(), formula=SHARE_FORMULA, lexicon=counts.lexicon, unit=unit,
                     all_versions=all_versions, prefer=prefer)
    return out


def _group_series(groups: list, n_frames: int) -> pd.Series:
    integer = bool(groups) and all(isinstance(g, (int, np.integer)) and not isinstance(g, bool) for g in groups)
    values = np.repeat(np.array(groups, dtype=object), n_frames)
    return pd.Series(values, dtype=np.int64 if integer else object)


# --------------------------------------------------------------------------- bootstrap

def check_bootstrap(n_boot, seed, level) -> None:
    """Check the bootstrap options: ``n_boot`` from 1 to :data:`MAX_BOOT`, ``seed`` from 0 to :data:`MAX_SEED`,
    ``level`` strictly between 0 and 1.

    Raises
    ------
    ParameterError
        Naming the option, the value and what is allowed.

    Examples
    --------
    >>> check_bootstrap(2000, 7, 0.95)
    >>> check_bootstrap(0, 7, 0.95)
    Traceback (most recent call last):
    ...
    rhetoric.errors.ParameterError: n_boot=0 must be a whole number between 1 and 100,000 (2000 is usual).
    """
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or not 1 <= n_boot <= MAX_BOOT:
        raise ParameterError(f"n_boot={n_boot!r} must be a whole number between 1 and {MAX_BOOT:,} (2000 is "
                             "usual).")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ParameterError(f"seed={seed!r} must be a whole number between 0 and {MAX_SEED} (2**63 - 1); the "
                             "same seed gives the same intervals.")
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise ParameterError(f"level={level!r} must be between 0 and 1 (e.g. 0.95).")


def _check_bootstrap_size(n_boot: int, n_paragraphs: int, n_frames: int) -> None:
    """Refuse, before any allocation, a bootstrap larger than :data:`MAX_BOOT_CELLS` or :data:`MAX_REPLICATE_VALUES`."""
    cells = int(n_boot) * int(n_paragraphs) * int(n_frames)
    if cells > MAX_BOOT_CELLS:
        fit = max(1, MAX_BOOT_CELLS // max(int(n_paragraphs) * int(n_frames), 1))
        raise ParameterError(f"n_boot={n_boot} over {n_paragraphs:,} paragraphs and {n_frames} frames is "
                             f"{cells:,} values, more than {MAX_BOOT_CELLS:,}; use n_boot={min(fit, MAX_BOOT)} or "
                             "fewer (--n-boot), or group fewer documents.")
    values = int(n_boot) * int(n_frames)
    if values > MAX_REPLICATE_VALUES:
        raise ParameterError(f"n_boot={n_boot} replicates of {n_frames} frames is {values:,} shares per group, more "
                             f"than {MAX_REPLICATE_VALUES:,}; use n_boot={max(1, MAX_REPLICATE_VALUES // n_frames)} "
                             "or fewer (--n-boot), or a lexicon with fewer frames.")


def group_rng(seed: int, group) -> np.random.Generator:
    """The generator a group's bootstrap draws from: ``default_rng([seed, crc32(str(group))])``.

    Each group has its own stream, so a group's interval does not change when
    other groups are added or removed.

    Examples
    --------
    >>> import zlib
    >>> group_rng(7, 2022).random() == np.random.default_rng([7, zlib.crc32(b"2022")]).random()
    True
    """
    return np.random.default_rng([int(seed), zlib.crc32(str(group).encode("utf-8"))])


def bootstrap_shares(counts: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Replicate shares from paragraphs drawn with replacement (vectorised, in blocks).

    Parameters
    ----------
    counts : array (n_paragraphs, n_frames) of int
        Hits of each frame in each paragraph of one group, paragraphs in
        corpus order (documents as in the token store, then position).
    n_boot : int
    rng : numpy.random.Generator
        Consumed exactly as ``n_boot`` successive calls ``rng.random(n_paragraphs)``.

    Returns
    -------
    array (n_boot, n_frames) of float
        ``share*`` per replicate; a row of NaN where the drawn paragraphs have no hit.

    Examples
    --------
    >>> counts = np.array([[1, 0], [0, 1]])  # two paragraphs, one hit each, in two frames
    >>> bootstrap_shares(counts, 3, np.random.default_rng(0)).tolist()
    [[0.5, 0.5], [1.0, 0.0], [0.0, 1.0]]
    """
    counts = np.asarray(counts, dtype=np.float64)
    n, n_frames = counts.shape
    out = np.full((n_boot, n_frames), np.nan)
    if n == 0:
        return out
    block = max(1, min(n_boot, _BLOCK // n))
    for begin in range(0, n_boot, block):
        size = min(block, n_boot - begin)
        draws = (rng.random((size, n)) * n).astype(np.int64)
        flat = (draws + (np.arange(size, dtype=np.int64) * n)[:, None]).ravel()
        weights = np.bincount(flat, minlength=size * n).reshape(size, n).astype(np.float64)
        sums = np.einsum("bn,nf->bf", weights, counts)  # faster than BLAS for these skinny shapes
        total = sums.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[begin:begin + size] = np.where(total[:, None] > 0, sums / total[:, None], np.nan)
    return out


def _percentiles(replicates: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    valid = ~np.isnan(replicates).any(axis=1)
    if not valid.any():
        nan = np.full(replicates.shape[1], np.nan)
        return nan, nan.copy()
    low, high = np.percentile(replicates[valid], [100 * (1 - level) / 2, 100 * (1 + level) / 2], axis=0)
    return low, high


def _by_unit(by) -> str:
    if by == "paragraph":
        raise ParameterError("by='paragraph' cannot be bootstrapped (one paragraph per group); use 'document' or a "
                             "column of corpus.csv such as 'year'.")
    return by


def frame_share_intervals(tokens, docs: pd.DataFrame, frames=None, *, by: str = "year", n_boot: int = 2000,
                          seed: int = config.RANDOM_SEED, level: float = 0.95,
                          all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """Frame shares per group with percentile bootstrap intervals over paragraphs.

    Parameters
    ----------
    by : str, default "year"
        ``"document"`` or a column of corpus.csv grouping the documents.
    n_boot : int, default 2000
        Bootstrap replicates per group, at most :data:`MAX_BOOT` (100,000);
        ``n_boot`` x paragraphs x frames may be at most :data:`MAX_BOOT_CELLS`
        and ``n_boot`` x frames at most :data:`MAX_REPLICATE_VALUES` (checked
        before anything is drawn).
    seed : int, default config.RANDOM_SEED
        From 0 to 2**63 - 1. Group ``g`` draws from
        ``numpy.random.default_rng([seed, crc32(str(g))])``.
    level : float, default 0.95
        Coverage of the interval.
    tokens, docs, frames, all_versions, prefer
        As for :func:`frame_shares`.

    Returns
    -------
    DataFrame
        ``group, frame, label, hits``, ``share`` (as in :func:`frame_shares`,
        from all paragraphs), ``ci_low, ci_high`` (percentiles 100(1-level)/2
        and 100(1+level)/2 of the replicate shares; replicates whose paragraphs
        have no hit are dropped), ``n_paragraphs, n_docs, seed, n_boot, level``.
        With identical paragraphs the interval collapses to the share.
        ``attrs``: ``caveat``, ``formula``, ``lexicon``, ``by``, ``prefer``.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap, ch. 13 (percentile intervals).

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = frame_share_intervals(tokenize(docs), docs, n_boot=200)
    >>> row = table[(table["group"] == 2024) & (table["frame"] == "economy")].iloc[0]
    >>> bool(row["ci_low"] <= row["share"] <= row["ci_high"]), int(row["n_docs"])
    (True, 1)
    """
    check_bootstrap(n_boot, seed, level)
    counts = _Counts(tokens, docs, frames, _by_unit(by), all_versions, prefer)
    _check_bootstrap_size(n_boot, len(counts.group_codes), len(counts.frame_ids))
    hits, _, n_paras = counts.group_sums()
    rows = []
    for g, group in enumerate(counts.groups):
        mine = counts.counts[counts.group_codes == g]
        reps = bootstrap_shares(mine, n_boot, group_rng(seed, group))
        low, high = _percentiles(reps, level)
        total = hits[g].sum()
        for f, frame in enumerate(counts.frame_ids):
            rows.append((group, frame, counts.labels[f], int(hits[g, f]),
                         hits[g, f] / total if total else np.nan, low[f], high[f], int(n_paras[g]),
                         len(counts.group_docs[g]), int(seed), int(n_boot), float(level)))
    out = pd.DataFrame(rows, columns=list(INTERVAL_COLUMNS))
    out["group"] = _group_series(counts.groups, len(counts.frame_ids))
    out = out.astype({"hits": np.int64, "share": float, "ci_low": float, "ci_high": float,
                      "n_paragraphs": np.int64, "n_docs": np.int64, "seed": np.int64, "n_boot": np.int64})
    out.attrs.update(caveat=counts.caveat(), formula=f"{SHARE_FORMULA}; {BOOTSTRAP_FORMULA}",
                     lexicon=counts.lexicon, by=by, all_versions=all_versions, prefer=prefer)
    return out


def _find_group(groups: list, wanted, by: str, name: str) -> int:
    for i, g in enumerate(groups):
        if g == wanted or str(g) == str(wanted):
            return i
    raise ParameterError(f"{name}={wanted!r} is not a group of '{by}'; groups are: "
                         f"{', '.join(map(str, groups))}.")


def frame_shift(tokens, docs: pd.DataFrame, frames=None, *, by: str = "year", from_group=None, to_group=None,
                n_boot: int = 2000, seed: int = config.RANDOM_SEED, level: float = 0.95,
                all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """Change of each frame's share from one group to another, with a bootstrap interval of the difference.

    Parameters
    ----------
    from_group, to_group : optional
        Groups to compare (matched as written, e.g. 2022 or "2022"); default
        the first and the last group.
    tokens, docs, frames, by, n_boot, seed, level, all_versions, prefer
        As in :func:`frame_share_intervals`; each group's replicates are the
        same as there.

    Returns
    -------
    DataFrame
        One row per frame: ``frame, label, from_group, to_group, share_from,
        share_to``, ``diff`` = share_to - share_from, ``ci_low, ci_high``
        (percentiles of share*_to - share*_from over replicate pairs, the two
        groups resampled independently), ``n_docs_from, n_docs_to,
        n_paragraphs_from, n_paragraphs_to, seed, n_boot, level``.
        ``attrs``: ``caveat``, ``formula``, ``lexicon``, ``by``, ``prefer``.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> shift = frame_shift(tokenize(docs), docs, from_group=2022, to_group=2024, n_boot=200)
    >>> row = shift[shift["frame"] == "economy"].iloc[0]
    >>> round(float(row["diff"]), 3), bool(row["ci_low"] <= row["diff"] <= row["ci_high"])
    (0.075, True)
    """
    check_bootstrap(n_boot, seed, level)
    counts = _Counts(tokens, docs, frames, _by_unit(by), all_versions, prefer)
    if len(counts.groups) < 2:
        raise ParameterError(f"by='{by}' gives {len(counts.groups)} group(s); a shift needs two. Choose another "
                             f"column or add documents.")
    i = _find_group(counts.groups, counts.groups[0] if from_group is None else from_group, by, "from_group")
    j = _find_group(counts.groups, counts.groups[-1] if to_group is None else to_group, by, "to_group")
    if i == j:
        raise ParameterError(f"from_group and to_group are both {counts.groups[i]!r}; compare two different groups.")
    hits, _, n_paras = counts.group_sums()
    _check_bootstrap_size(n_boot, int(n_paras[i] + n_paras[j]), len(counts.frame_ids))
    reps = []
    for g in (i, j):
        reps.append(bootstrap_shares(counts.counts[counts.group_codes == g], n_boot, group_rng(seed, counts.groups[g])))
    low, high = _percentiles(reps[1] - reps[0], level)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_from = hits[i] / hits[i].sum() if hits[i].sum() else np.full(hits.shape[1], np.nan)
        share_to = hits[j] / hits[j].sum() if hits[j].sum() else np.full(hits.shape[1], np.nan)
    n_frames = len(counts.frame_ids)
    out = pd.DataFrame({
        "frame": counts.frame_ids, "label": counts.labels,
        "from_group": [counts.groups[i]] * n_frames, "to_group": [counts.groups[j]] * n_frames,
        "share_from": share_from, "share_to": share_to, "diff": share_to - share_from,
        "ci_low": low, "ci_high": high,
        "n_docs_from": len(counts.group_docs[i]), "n_docs_to": len(counts.group_docs[j]),
        "n_paragraphs_from": int(n_paras[i]), "n_paragraphs_to": int(n_paras[j]),
        "seed": int(seed), "n_boot": int(n_boot), "level": float(level),
    }, columns=list(SHIFT_COLUMNS))
    for column in ("n_docs_from", "n_docs_to", "n_paragraphs_from", "n_paragraphs_to", "seed", "n_boot"):
        out[column] = out[column].astype(np.int64)
    out.attrs.update(caveat=counts.caveat(), formula=f"diff = share_to - share_from; {BOOTSTRAP_FORMULA}",
                     lexicon=counts.lexicon, by=by, all_versions=all_versions, prefer=prefer)
    return out
