"""The data behind the report's Explorer page: tokens, formulas and alignments, exported as JSON.

The Explorer (``explorer.html`` in the report folder) answers questions in the
browser, offline: concordance lines for any pattern, trends, the formulas. It
reads one file the build writes beside the page, ``explorer/data.json``, and
the same JSON wrapped as a script, ``explorer/data.js`` (a page opened from
``file://`` may not read a JSON file with ``fetch``; a script beside it loads).

What is exported, and who computes it:

- every document's cleaned text, metadata (date, year, genre, ...), whether it
  counts when each translated text counts once (:func:`rhetoric.counts.select_documents`),
  and its tokens: type id, offsets, sentence and paragraph (from the token store
  :class:`rhetoric.corpus.tokens.Tokens`). Searches run in the browser on these
  tokens with a JavaScript port of :mod:`rhetoric.patterns` (``assets/matcher.js``;
  a test compares it with the Python matcher on the bundled corpus);
- formula phrases as Python computed them: the lexicon's formulas and
  renderings, every hit (:func:`rhetoric.formulas.counts.formula_hits`), counts
  per document and per group (:func:`~rhetoric.formulas.counts.formula_counts`,
  the numbers of ``rhetoric formulas``), first and last use, renderings side by
  side (:func:`rhetoric.formulas.translation.rendering_table`);
- the paragraph alignment of every translation group
  (:func:`rhetoric.formulas.translation.align_paragraphs`), so a hit's paragraph
  opens beside the same paragraph of the other version.

Offsets are in UTF-16 code units, as JavaScript strings count them (they
differ from Python's code points only around characters beyond U+FFFF). The
JSON is byte-identical for the same corpus and package (no time, no absolute
path).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import ReportError

FORMAT = "rhetoric-explorer 1"
"""Name and version of the exported format (``format`` in the JSON)."""
DATA_JSON = "explorer/data.json"
DATA_JS = "explorer/data.js"
"""Where the data go, relative to the report folder."""
JS_GLOBAL = "RHETORIC_EXPLORER_DATA"
"""The global the script version assigns (``window.RHETORIC_EXPLORER_DATA``)."""
MAX_TOKENS = 3_000_000
"""Most tokens the Explorer carries; a larger corpus gets formulas only, and a note to use ``rhetoric kwic``."""
KWIC_WINDOW = 5
"""Tokens of context each side of a concordance line, as ``rhetoric kwic`` shows by default."""
GROUP_COLUMNS = ("year", "period", "genre", "author", "translation")
"""Metadata columns the Explorer offers to group trends by (those the corpus has)."""
META_COLUMNS = ("doc_id", "date", "year", "period", "genre", "title", "author", "outlet", "language",
                "translation_group", "translation")
"""Metadata exported for every document (those the corpus has)."""


def _utf16(text: str) -> np.ndarray | None:
    """Code point offset -> UTF-16 offset, or None when the two agree (no character beyond U+FFFF)."""
    wide = np.fromiter((ord(ch) > 0xFFFF for ch in text), dtype=np.int64, count=len(text))
    if not wide.any():
        return None
    return np.concatenate([[0], np.cumsum(wide + 1)])


def _plain(value):
    """A JSON-safe Python value: numpy scalars unwrapped, NaN/NA as None."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _records(table: pd.DataFrame, columns=None) -> list[dict]:
    columns = list(table.columns if columns is None else columns)
    return [{c: _plain(v) for c, v in zip(columns, row)} for row in table[columns].itertuples(index=False)]


def _documents(tokens, docs: pd.DataFrame, counted: set[str], *, with_tokens: bool) -> list[dict]:
    index = {d: i for i, d in enumerate(tokens.doc_ids.tolist())}
    paragraph = tokens.paragraph
    out = []
    for row in docs.to_dict("records"):
        doc_id = str(row["doc_id"])
        i = index.get(doc_id)
        if i is None:
            raise ReportError(f"document '{doc_id}' is not in the token store; tokenize the documents table the "
                              "report is built from.")
        a, b = int(tokens.bounds[i]), int(tokens.bounds[i + 1])
        text = str(row["text"])
        entry = {c: _plain(row.get(c)) for c in META_COLUMNS if c in docs.columns}
        entry.update({"doc_id": doc_id, "counted": doc_id in counted, "n_tokens": b - a})
        for column in ("date", "genre", "title", "author", "outlet", "translation_group", "translation"):
            if column in entry and entry[column] is not None:
                entry[column] = str(entry[column])
        if with_tokens:
            to16 = _utf16(text)
            start, end = tokens.start[a:b].astype(np.int64), tokens.end[a:b].astype(np.int64)
            paras = np.flatnonzero(tokens.paragraph_doc == i)
            spans = tokens.paragraph_spans[paras].astype(np.int64)
            if to16 is not None:
                start, end, spans = to16[start], to16[end], to16[spans]
            first_sentence = int(tokens.sentence[a]) if b > a else 0
            first_paragraph = int(paras[0]) if len(paras) else 0
            entry.update({
                "text": text,
                "t": tokens.ids[a:b].astype(np.int64).tolist(),
                "s": start.tolist(), "e": end.tolist(),
                "sent": (tokens.sentence[a:b].astype(np.int64) - first_sentence).tolist(),
                "para": (paragraph[a:b].astype(np.int64) - first_paragraph).tolist(),
                "paragraphs": spans.tolist(),
            })
        out.append(entry)
    return out


def _alignment(table: pd.DataFrame | None) -> list[dict]:
    if table is None:
        return []
    beads = []
    for (group, doc_a, doc_b, bead), rows in table.groupby(["group", "doc_a", "doc_b", "bead"], sort=False):
        a = sorted({int(p) for p in rows["para_a"].dropna()})
        b = sorted({int(p) for p in rows["para_b"].dropna()})
        cosine = _plain(rows["cosine"].iloc[0])
        beads.append({"group": str(group), "doc_a": str(doc_a), "doc_b": str(doc_b), "bead": int(bead),
                      "kind": str(rows["kind"].iloc[0]), "cosine": cosine, "a": a, "b": b})
    return beads


def _formulas(tokens, docs: pd.DataFrame, lexicon, doc_index: dict[str, int], groups: list[str],
              alignment: pd.DataFrame | None) -> dict:
    from ..formulas.counts import first_last_appearance, formula_counts, formula_hits, resolve_lexicon
    from ..formulas.lexicon import formula_table
    from ..formulas.translation import rendering_table

    table = resolve_lexicon(lexicon, docs)
    formulas = formula_table(table)
    ids = formulas["formula_id"].tolist()
    f_index = {f: i for i, f in enumerate(ids)}
    listed = []
    for row in formulas.itertuples(index=False):
        variants = table[table["formula_id"] == row.formula_id]
        listed.append({"id": row.formula_id, "label": str(row.label), "category": _plain(row.category),
                       "first_official_use": _plain(row.first_official_use),
                       "variants": [{"name": str(v), "pattern": str(p)}
                                    for v, p in zip(variants["variant"], variants["pattern"])]})
    v_index = {(f, v): k for f in ids for k, v in enumerate(table.loc[table["formula_id"] == f, "variant"])}
    hits = formula_hits(tokens, docs, table)
    hit_rows = [[doc_index[d], f_index[f], v_index[(f, v)], int(s), int(e)]
                for d, f, v, s, e in zip(hits["doc_id"], hits["formula_id"], hits["variant"], hits["token_start"],
                                         hits["token_end"])]
    per_doc = formula_counts(tokens, docs, table, hits=hits)
    per_document = [[f_index[f], doc_index[str(g)], int(c), _plain(p), int(n)]
                    for g, f, c, p, n in zip(per_doc["group"], per_doc["formula_id"], per_doc["count"],
                                             per_doc["per_10k"], per_doc["n_tokens"])]
    per_group = {}
    for column in groups:
        grouped = formula_counts(tokens, docs, table, by=column, hits=hits)
        per_group[column] = [[f_index[f], _plain(g), int(c), _plain(p), int(nd), int(nt)]
                             for g, f, c, p, nd, nt in zip(grouped["group"], grouped["formula_id"], grouped["count"],
                                                           grouped["per_10k"], grouped["n_docs"],
                                                           grouped["n_tokens"])]
    renderings = []
    if alignment is not None:
        renderings = _records(rendering_table(tokens, docs, table, hits=hits, alignment=alignment))
    return {"lexicon": Path(str(table.attrs.get("path", ""))).name, "list": listed, "hits": hit_rows,
            "per_document": per_document, "per_group": per_group,
            "first_last": _records(first_last_appearance(tokens, docs, table, hits=hits)),
            "renderings": renderings}


def _chinese(tokens) -> dict | None:
    """What the browser needs to cut Chinese pattern words: the lexicon words kept whole, traditional -> simplified.

    None when the corpus has no Chinese text (its tokens then hold no Chinese word a pattern could match).
    """
    from ..corpus.tokens import FORCED_MIN_CHARS, HAN_CHARACTERS, lexicon_words, to_simplified

    words = tokens.settings.get("chinese_words")
    han = re.compile(f"[{HAN_CHARACTERS}]")
    if words is None and not any(han.search(str(v)) for v in tokens.vocab.tolist()):
        return None
    words = lexicon_words() if words is None else words
    forced = sorted({to_simplified(w) for w in words if len(w) >= FORCED_MIN_CHARS}, key=lambda w: (-len(w), w))
    simplified = {}
    for code in range(0x3400, 0xA000):  # the common blocks, character by character (OpenCC t2s)
        ch = chr(code)
        folded = to_simplified(ch)
        if folded != ch and len(folded) == 1:
            simplified[ch] = folded
    return {"forced": forced, "t2s": simplified, "han": HAN_CHARACTERS}


def explorer_data(tokens, docs: pd.DataFrame, *, lexicon=None, max_tokens: int = MAX_TOKENS) -> dict:
    """Everything the Explorer page shows, as JSON-ready Python objects.

    Parameters
    ----------
    tokens : Tokens
        The token store of ``docs`` (:func:`rhetoric.corpus.tokenize`, not spelling-folded:
        the browser matches pattern words as written).
    docs : DataFrame
        The documents table (:func:`rhetoric.corpus.load_corpus`).
    lexicon : DataFrame, str, Path or None
        The formula lexicon (:func:`rhetoric.formulas.counts.resolve_lexicon`; default the corpus's own).
    max_tokens : int, default :data:`MAX_TOKENS`
        Beyond this many tokens the texts and tokens are left out (``"tokens": false``).

    Returns
    -------
    dict
        ``format``, ``rules`` (the pattern rules the browser applies), ``window``,
        ``tokens`` (whether texts and tokens are included), ``groups`` (columns
        to group trends by), ``vocab`` (the token types, index = type id),
        ``documents`` (metadata, ``counted``, ``n_tokens``; with tokens also
        ``text``, ``t`` type ids, ``s``/``e`` offsets in UTF-16 units, ``sent``
        and ``para`` numbers within the document, ``paragraphs`` spans),
        ``formulas`` (``list``, ``hits`` as ``[document, formula, variant,
        token_start, token_end]``, ``per_document`` as ``[formula, document,
        count, per_10k, n_tokens]`` for the documents that count, ``per_group``
        per column as ``[formula, group, count, per_10k, n_docs, n_tokens]``,
        ``first_last``, ``renderings``) and ``alignment`` (beads: ``group,
        doc_a, doc_b, bead, kind, cosine, a, b`` with paragraph numbers).

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> data = explorer_data(tokenize(docs), docs)
    >>> data["format"], len(data["documents"]), data["documents"][0]["doc_id"]
    ('rhetoric-explorer 1', 5, 'zhang2022_visit')
    >>> first = data["documents"][0]
    >>> first["text"][first["s"][0]:first["e"][0]], data["vocab"][first["t"][0]]
    ('President', 'president')
    """
    from ..corpus.tokens import _spelling_table
    from ..counts import select_documents
    from ..formulas.translation import align_paragraphs, translation_groups

    if tokens.settings.get("fold_spelling"):
        raise ReportError("the Explorer needs a token store without spelling folding (tokenize(docs)); the browser "
                          "matches pattern words as written.")
    docs = docs.reset_index(drop=True)
    counted = set(select_documents(docs)["doc_id"].astype(str))
    with_tokens = tokens.n_tokens <= max_tokens
    documents = _documents(tokens, docs, counted, with_tokens=with_tokens)
    doc_index = {d["doc_id"]: i for i, d in enumerate(documents)}
    groups = [c for c in GROUP_COLUMNS if c in docs.columns and docs[c].notna().all()
              and (docs[c].astype(str) != "").all()]
    alignment = align_paragraphs(tokens, docs) if len(translation_groups(docs)) else None
    return {
        "format": FORMAT,
        "rules": {"hyphens": "loose", "valuetype": "glob", "spelling": "British = American",
                  "all_versions": False, "prefer": "official"},
        "window": KWIC_WINDOW,
        "tokens": with_tokens,
        "max_tokens": max_tokens,
        "n_tokens": int(tokens.n_tokens),
        "groups": groups,
        "vocab": [str(v) for v in tokens.vocab.tolist()] if with_tokens else [],
        "documents": documents,
        "formulas": _formulas(tokens, docs, lexicon, doc_index, groups, alignment),
        "alignment": _alignment(alignment),
        "spelling": dict(sorted(_spelling_table(str(config.SPELLING_FILE)).items())),
        "chinese": _chinese(tokens) if with_tokens else None,
    }


def dumps(data: dict) -> str:
    """The JSON text of :func:`explorer_data` (compact, stable key order, UTF-8 characters kept).

    Examples
    --------
    >>> dumps({"a": [1, 2.5, None], "b": "line\\u2028sep"})
    '{"a":[1,2.5,null],"b":"line\\\\u2028sep"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # JSON allows U+2028/U+2029 raw inside strings; older JavaScript engines do not (they end a line there).
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def write_explorer_data(data: dict, folder: str | Path) -> list[Path]:
    """Write :data:`DATA_JSON` and :data:`DATA_JS` (the same JSON assigned to ``window.RHETORIC_EXPLORER_DATA``).

    Returns
    -------
    list of Path
        The two files written.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.relative_to(folder).as_posix() for p in write_explorer_data({"format": FORMAT}, folder)]
    ['explorer/data.json', 'explorer/data.js']
    >>> (folder / DATA_JS).read_text().splitlines()[1]
    'window.RHETORIC_EXPLORER_DATA = {"format":"rhetoric-explorer 1"};'
    """
    folder = Path(folder)
    text = dumps(data)
    json_path, js_path = folder / DATA_JSON, folder / DATA_JS
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(text + "\n", encoding="utf-8")
    js_path.write_text(f"// The Explorer's data (the same as data.json), as a script: pages opened from file:// "
                       f"cannot fetch JSON.\nwindow.{JS_GLOBAL} = {text};\n", encoding="utf-8")
    return [json_path, js_path]
