"""The report as a small static site: pages, navigation, figures with their n, the findings, shipped scripts.

Pages (all in the report folder, opened from ``file://`` without a server):

========================  ========================================================================
``index.html``            overview: the corpus at a glance and the main findings, computed from the
                          tables the notebooks saved
``explorer.html``         the Explorer: concordance lines for any pattern, trends, the formula picker
                          (data from :mod:`rhetoric.report.explorer`)
``figures.html``          every figure, with its caption, its n and links to PNG, SVG, CSV and JSON
``pages/NN_name.html``    one page per notebook: its figures and every table it saved, sortable and
                          filterable
``notebooks/NN_name.html``  the executed notebook
``provenance.html``       texts, lexicons, rules, notebooks and package versions behind the numbers
``all.html``              everything on one page, as the report was before (no script)
========================  ========================================================================

Every page has the same navigation. Scripts come only from files shipped beside the pages
(``assets/``), never inline: the pages that use them carry :func:`site_policy`, the project's
Content-Security-Policy with ``script-src 'self'`` and ``style-src 'self'`` added; the others carry
the project's policy unchanged. The JavaScript libraries are copied at build time from maintained
Python packages already installed (:func:`write_assets`): DataTables from **itables**, Vega, Vega-Lite
and vega-embed from **vl-convert-python**. Vega runs with ``ast: true`` (expressions interpreted, no
``eval``), so no page needs ``'unsafe-eval'``.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
import re
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from .. import __version__, config
from ..errors import ReportError

ASSETS = "assets"
"""Folder of the shipped scripts and styles, relative to the report folder."""
STATIC_FILES = ("site.css", "site.js", "matcher.js", "explorer.js")
"""The site's own files in ``rhetoric/report/static/``, copied to :data:`ASSETS`."""
VENDOR = f"{ASSETS}/vendor"
SITE_MAX_ROWS = 5000
SITE_MAX_COLUMNS = 60
"""Tables up to this size are shown on the notebook pages (sortable and filterable); larger ones link their CSV."""
SIGNIFICANCE = 0.05
"""Level at which the overview calls a corrected p-value significant."""

_DT_EXPORT = re.compile(r"export\s*\{([^}]*)\}\s*;?")


# --------------------------------------------------------------------------- policy

def site_policy(*, scripts: bool = True, policy: str = config.CONTENT_SECURITY_POLICY) -> str:
    """The project's Content-Security-Policy, allowing the style sheet (and scripts) shipped beside the page.

    Adds ``'self'`` to ``style-src`` (the report's own style sheets) and, with ``scripts=True``, to
    ``script-src`` (scripts from files in the report folder: no inline script, no ``eval``); every other
    directive stays as it is.

    Examples
    --------
    >>> site_policy(policy="default-src 'none'; style-src 'unsafe-inline'; img-src 'self'")
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
    >>> site_policy(scripts=False, policy="default-src 'none'; style-src 'unsafe-inline'")
    "default-src 'none'; style-src 'self' 'unsafe-inline'"
    """
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    names = [d.split()[0] for d in directives]
    for name in ("script-src", "style-src") if scripts else ("style-src",):
        if name in names:
            i = names.index(name)
            parts = directives[i].split()
            if "'self'" not in parts:
                directives[i] = " ".join([parts[0], "'self'"] + parts[1:])
        else:
            at = names.index("default-src") + 1 if "default-src" in names else 0
            directives.insert(at, f"{name} 'self'")
            names.insert(at, name)
    return "; ".join(directives)


# --------------------------------------------------------------------------- shipped scripts

def _static(name: str) -> bytes:
    return importlib.resources.files("rhetoric.report").joinpath("static", name).read_bytes()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def datatables_script() -> tuple[str, str]:
    """DataTables as itables ships it, made a classic script, and its style sheet.

    itables ships one ES module (``itables/html/dt_bundle.js``: DataTables 2 with its extensions and
    jQuery). A page opened from ``file://`` cannot load a module from a file, so the module's one
    ``export {...}`` statement becomes ``window.rhetoricDataTables = {...}`` inside a function scope;
    nothing else changes. A bundle with another shape stops the build with a message.

    Returns
    -------
    (str, str)
        The script and the CSS.

    Examples
    --------
    >>> script, css = datatables_script()
    >>> "window.rhetoricDataTables = {" in script, "export {" in script
    (True, False)
    """
    try:
        folder = importlib.resources.files("itables").joinpath("html")
        module = folder.joinpath("dt_bundle.js").read_text(encoding="utf-8")
        css = folder.joinpath("dt_bundle.css").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise ReportError(f"the report's tables need DataTables from the itables package ({exc}); install the "
                          "project's dependencies (make env).") from None
    exports = list(_DT_EXPORT.finditer(module))
    if len(exports) != 1 or re.search(r"^\s*import[\s{*]", module, re.M) or "import.meta" in module:
        raise ReportError(f"itables {_version('itables')} ships DataTables in a shape the report does not know "
                          "(one export statement, no import); pin the itables version of constraints.txt.")
    match = exports[0]
    pairs = []
    for item in match.group(1).split(","):
        local, _, exported = item.strip().partition(" as ")
        pairs.append(f"{json.dumps(exported or local)}: {local}")
    script = ("/* DataTables (and jQuery) from the itables package " + _version("itables") + ", made a classic "
              "script by rhetoric.report.site.datatables_script. Licences: see NOTICE.txt. */\n"
              "(function () {\n\"use strict\";\n" + module[:match.start()] +
              "\nwindow.rhetoricDataTables = {" + ", ".join(pairs) + "};\n" + module[match.end():] + "\n})();\n")
    return script, css


_VEGA_BUNDLES: dict[str, str] = {}


def vega_script(cache_dir: Path | None = None) -> str:
    """Vega, Vega-Lite and vega-embed as one classic script, from vl-convert-python (cached by its version).

    ``vl_convert.javascript_bundle()`` bundles the libraries and assigns ``window.vegaEmbed``,
    ``window.vega`` and ``window.vegaLite``; making it takes about two seconds, so the result is kept
    in ``cache_dir`` under the package version (and in memory for the rest of the process).
    """
    version = _version("vl-convert-python")
    cached = cache_dir / f"vega-{re.sub(r'[^0-9A-Za-z.]+', '_', version)}.js" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_text(encoding="utf-8")
    text = _VEGA_BUNDLES.get(version)  # made earlier in this process (a test session builds many reports)
    if text is None:
        try:
            import vl_convert

            bundle = vl_convert.javascript_bundle()
        except Exception as exc:  # noqa: BLE001 - an import error or a bundling failure: one message
            raise ReportError(f"the report's charts need Vega from the vl-convert-python package "
                              f"({type(exc).__name__}: {exc}); install the project's dependencies (make env).") \
                from None
        text = (f"/* Vega {vl_convert.get_vega_version()}, Vega-Lite {vl_convert.get_vegalite_versions()[-1]} and "
                f"vega-embed {vl_convert.get_vega_embed_version()}, bundled by vl-convert-python {version}. "
                f"Licences: see NOTICE.txt. */\n{bundle}\n")
        _VEGA_BUNDLES[version] = text
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temporary = cached.with_suffix(".tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(cached)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return text


def _notice() -> str:
    return (
        "Scripts in this folder come from maintained packages, copied by `rhetoric report`:\n\n"
        f"- datatables.js, datatables.css: DataTables 2 with its extensions and jQuery, as shipped by itables "
        f"{_version('itables')} (MIT licence; DataTables (c) SpryMedia Ltd, MIT; jQuery (c) OpenJS Foundation, MIT).\n"
        f"- vega.js: Vega, Vega-Lite and vega-embed bundled by vl-convert-python {_version('vl-convert-python')} "
        "(Vega, Vega-Lite and vega-embed (c) University of Washington Interactive Data Lab, BSD-3-Clause; "
        "vl-convert BSD-3-Clause).\n\n"
        "The other files of ../ (site.css, site.js, matcher.js, explorer.js) are the report's own, from the "
        "rhetoric package.\n")


def write_assets(folder: str | Path, *, cache_dir: str | Path | None = None) -> list[Path]:
    """Copy the site's scripts and styles into ``folder/assets`` (the vendor libraries into ``assets/vendor``).

    Parameters
    ----------
    folder : path
        The report (or build) folder.
    cache_dir : path, optional
        Where the Vega bundle is kept between builds.

    Returns
    -------
    list of Path
        The files written.
    """
    folder = Path(folder)
    written = []
    (folder / VENDOR).mkdir(parents=True, exist_ok=True)
    for name in STATIC_FILES:
        target = folder / ASSETS / name
        target.write_bytes(_static(name))
        written.append(target)
    script, css = datatables_script()
    for name, text in (("datatables.js", script), ("datatables.css", css),
                       ("vega.js", vega_script(Path(cache_dir) if cache_dir else None)),
                       ("NOTICE.txt", _notice())):
        target = folder / VENDOR / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


# --------------------------------------------------------------------------- figures: the n behind them

def _plain_number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def figure_n(meta: dict, data: pd.DataFrame | None, docs: pd.DataFrame | None) -> str:
    """What a figure rests on, in words: how many documents (per group where it draws groups), or rows of data.

    In order: an ``n_docs`` the figure's sidecar records; the distinct ``doc_id`` values of its data;
    columns (or an index) named after documents (a document matrix); an ``n_docs`` column beside a
    ``group`` column; for a ``group`` column and a grouping column named in the sidecar's parameters
    (``by``, ``group_label``), the documents per group, each translated text counted once unless the
    parameters say ``all_versions``; else the number of rows drawn.

    Examples
    --------
    >>> figure_n({}, pd.DataFrame({"doc_id": ["a", "b", "a"], "x": [1, 2, 3]}), None)
    'n = 2 documents'
    >>> figure_n({}, pd.DataFrame({"group": [2022, 2024], "n_docs": [2, 1]}), None)
    'n = 3 documents (2022: 2, 2024: 1)'
    >>> figure_n({}, pd.DataFrame({"term": ["a", "b"]}), None)
    'n = 2 rows of data'
    """
    def documents(n: int) -> str:
        return f"{n:,} document" + ("" if n == 1 else "s")

    recorded = meta.get("n_docs")
    if isinstance(recorded, int) and not isinstance(recorded, bool):
        return f"n = {documents(recorded)}"
    if data is None:
        return ""
    doc_ids = set(docs["doc_id"].astype(str)) if docs is not None and "doc_id" in docs.columns else set()
    if "doc_id" in data.columns:
        return f"n = {documents(int(data['doc_id'].astype(str).nunique()))}"
    named = [c for c in data.columns if str(c) in doc_ids]
    if named:
        return f"n = {documents(len(named))}"
    if "n_docs" in data.columns and "group" in data.columns:
        per = data.drop_duplicates("group")[["group", "n_docs"]]
        parts = ", ".join(f"{g}: {int(n)}" for g, n in zip(per["group"], per["n_docs"]))
        return f"n = {documents(int(per['n_docs'].sum()))} ({parts})"
    params = meta.get("params") if isinstance(meta.get("params"), dict) else {}
    column = next((params.get(k) for k in ("by", "group_label") if isinstance(params.get(k), str)), None)
    if "group" in data.columns and docs is not None and column in docs.columns:
        from ..counts import select_documents

        try:
            chosen = select_documents(docs, all_versions=bool(params.get("all_versions", False)),
                                      prefer=str(params.get("prefer_translation", "official")))
        except Exception:  # noqa: BLE001 - parameters this corpus does not have: say only what is certain
            chosen = None
        if chosen is not None:
            sizes = chosen[column].astype(str).value_counts()
            groups = list(dict.fromkeys(data["group"].astype(str)))
            if all(g in sizes.index for g in groups):
                parts = ", ".join(f"{g}: {int(sizes[g])}" for g in groups)
                return f"n = {documents(int(sum(sizes[g] for g in groups)))} ({parts})"
    return f"n = {len(data):,} rows of data"


# --------------------------------------------------------------------------- tables for the pages

def _display(value) -> str:
    from .build import format_cell

    return format_cell(value.item() if hasattr(value, "item") else value)


def site_table(path: Path, *, max_rows: int = SITE_MAX_ROWS, max_columns: int = SITE_MAX_COLUMNS) -> dict | None:
    """A saved CSV table for a page: header, rows of ``(shown, sort key)`` cells, which columns are numeric.

    Cells are formatted by :func:`rhetoric.report.build.format_cell` (the template escapes them); numeric
    cells keep their exact value as the sort key. None when the file cannot be read or is too large.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("term,g2\\n<b>x</b>,12.3456\\n")
    >>> table = site_table(path)
    >>> table["columns"], table["rows"], table["numeric"]
    (['term', 'g2'], [[('<b>x</b>', ''), ('12.35', '12.3456')]], [False, True])
    """
    try:
        table = pd.read_csv(path, keep_default_na=True)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError, OSError):
        return None
    if table.empty or len(table) > max_rows or table.shape[1] > max_columns:
        return None
    numeric = [bool(pd.api.types.is_numeric_dtype(table[c])) and not pd.api.types.is_bool_dtype(table[c])
               for c in table.columns]
    rows = []
    for row in table.itertuples(index=False):
        cells = []
        for value, is_number in zip(row, numeric):
            plain = value.item() if hasattr(value, "item") else value
            key = "" if not is_number or pd.isna(plain) else repr(float(plain))
            cells.append((_display(plain), key))
        rows.append(cells)
    return {"columns": [_display(str(c)) for c in table.columns], "rows": rows, "numeric": numeric}


# --------------------------------------------------------------------------- the corpus at a glance, findings

def corpus_glance(docs: pd.DataFrame, tokens) -> dict:
    """Documents, texts, years, genres, authors and tokens of the corpus (each translated text once and all).

    Returns
    -------
    dict
        ``n_documents, n_texts, n_tokens, n_tokens_counted, first_date, last_date, translation_groups``
        (groups with 2+ versions), and ``years, genres, authors`` as ``[(value, documents, texts)]``.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> glance = corpus_glance(docs, tokenize(docs))
    >>> glance["n_documents"], glance["n_texts"], glance["years"][0]
    (5, 4, ('2022', 3, 2))
    """
    from ..counts import select_documents

    counted = select_documents(docs)
    lengths = tokens.doc_lengths()
    counted_ids = set(counted["doc_id"].astype(str))

    def tally(column: str) -> list[tuple[str, int, int]]:
        if column not in docs.columns:
            return []
        values = docs[column].fillna("").astype(str)
        out = []
        for value in sorted(set(values)):
            if not value:
                continue
            members = docs.loc[values == value, "doc_id"].astype(str)
            out.append((value, int(len(members)), int(sum(m in counted_ids for m in members))))
        return out

    groups = []
    if "translation_group" in docs.columns:
        sizes = docs["translation_group"].fillna("").astype(str).value_counts()
        groups = sorted(g for g, n in sizes.items() if g and n > 1)
    dates = docs["date"].astype(str).tolist() if "date" in docs.columns else []
    order = docs["date_start"] if "date_start" in docs.columns else None
    if order is not None and len(docs):
        ranked = docs.assign(_d=order).sort_values("_d", kind="stable")["date"].astype(str).tolist()
        first, last = ranked[0], ranked[-1]
    else:
        first, last = (min(dates), max(dates)) if dates else ("", "")
    return {"n_documents": int(len(docs)), "n_texts": int(len(counted)),
            "n_tokens": int(lengths.sum()),
            "n_tokens_counted": int(lengths[lengths.index.isin(counted_ids)].sum()),
            "first_date": first, "last_date": last, "translation_groups": groups,
            "years": tally("year"), "genres": tally("genre"), "authors": tally("author")}


def _read(tables: Path, name: str) -> pd.DataFrame | None:
    path = tables / f"{name}.csv"
    if not path.is_file():
        return None
    try:
        return pd.read_csv(path)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError, OSError):
        return None


def _caption(tables: Path, name: str) -> str:
    try:
        meta = json.loads((tables / f"{name}.json").read_text(encoding="utf-8"))
        return str(meta.get("caption") or "")
    except (OSError, ValueError, AttributeError):
        return ""


def _has(table: pd.DataFrame | None, *columns: str) -> bool:
    return table is not None and not table.empty and all(c in table.columns for c in columns)


def _docs_phrase(n: int) -> str:
    return f"{n} document" + ("" if n == 1 else "s")


def _group_docs(tables: Path) -> dict[str, int]:
    per = _read(tables, "01_documents_per_group")
    if not _has(per, "group", "n_counted"):
        return {}
    return {str(g): int(n) for g, n in zip(per["group"], per["n_counted"])}


def findings(tables: str | Path) -> list[dict]:
    """The main findings, computed from the tables the notebooks saved (a finding whose table is missing is left out).

    Each finding is ``{"title", "points": [str], "source": table name, "notebook": notebook stem}``:

    - formulas per group (``04_formula_counts_by_group``): formulas used, occurrences and their rate per
      10,000 tokens, and the documents behind each group;
    - keyness (``03_keyness_*_vs_*``): terms significant after the table's correction
      (``p_adjusted`` < :data:`SIGNIFICANCE`), the strongest in each direction;
    - frames (``05_frame_shift``): the largest change of share and which bootstrap intervals exclude 0;
    - translations (``06_rendering_table``): formulas the two versions render differently.
    """
    tables = Path(tables)
    docs_in = _group_docs(tables)

    def group_name(g) -> str:
        g = str(g)
        return f"{g} ({_docs_phrase(docs_in[g])})" if g in docs_in else g

    out = []
    counts = _read(tables, "04_formula_counts_by_group")
    if _has(counts, "group", "formula_id", "count", "n_docs", "n_tokens"):
        labels = {}
        lexicon = _read(tables, "04_formula_lexicon")
        if _has(lexicon, "formula_id", "label"):
            labels = dict(zip(lexicon["formula_id"], lexicon["label"]))
        points = []
        for group, rows in counts.groupby("group", sort=True):
            used = rows[rows["count"] > 0]
            total = int(used["count"].sum())
            size = int(rows["n_tokens"].iloc[0])
            rate = 1e4 * total / size if size else 0.0
            top = used.sort_values(["count", "formula_id"], ascending=[False, True]).head(3)
            tops = ", ".join(f"{labels.get(f, f)} ({int(c)})" for f, c in zip(top["formula_id"], top["count"]))
            points.append(f"{group} ({_docs_phrase(int(rows['n_docs'].iloc[0]))}, {size:,} tokens): "
                          f"{len(used)} formulas, {total} occurrences ({rate:.1f} per 10,000 tokens)"
                          + (f"; most frequent: {tops}." if tops else "."))
        out.append({"title": "Formula phrases per group", "points": points,
                    "source": "04_formula_counts_by_group", "notebook": "04_formulas"})
    for path in sorted(tables.glob("03_keyness_*_vs_*.csv")):
        name = path.stem
        if name.endswith("_vs_rest"):
            continue
        table = _read(tables, name)
        if not _has(table, "term", "g2", "p_adjusted", "log_ratio"):
            continue
        caption = _caption(tables, name)
        found = re.search(r"(\S+) \(target\) against (\S+) \(reference\)", caption)
        target, reference = (found.group(1), found.group(2)) if found else ("the target", "the reference")
        significant = table[table["p_adjusted"] < SIGNIFICANCE]
        ranked = significant.assign(_g=significant["g2"].abs()).sort_values(["_g", "term"], ascending=[False, True])
        more = ranked[ranked["log_ratio"] > 0].head(5)
        less = ranked[ranked["log_ratio"] < 0].head(5)

        def terms(rows) -> str:
            return ", ".join(f"{t} (G² {abs(g):.1f})" for t, g in zip(rows["term"], rows["g2"]))

        points = [f"{group_name(target)} against {group_name(reference)}: {len(significant)} of {len(table)} "
                  f"terms tested are significant after correction (adjusted p < {SIGNIFICANCE})."]
        if len(more):
            points.append(f"More frequent in {target}: {terms(more)}.")
        if len(less):
            points.append(f"More frequent in {reference}: {terms(less)}.")
        if not len(significant) and len(table):
            best = table.assign(_g=table["g2"].abs()).sort_values(["_g", "term"], ascending=[False, True]).iloc[0]
            points.append(f"The strongest difference, {best['term']} (G² {abs(best['g2']):.1f}, adjusted p = "
                          f"{best['p_adjusted']:.2g}), is not significant: with so few texts, read the lists as "
                          "questions.")
        out.append({"title": f"Keyness: {target} against {reference}", "points": points, "source": name,
                    "notebook": "03_keywords_keyness"})
    shift = _read(tables, "05_frame_shift")
    if _has(shift, "label", "from_group", "to_group", "share_from", "share_to", "diff", "ci_low", "ci_high"):
        a, b = str(shift["from_group"].iloc[0]), str(shift["to_group"].iloc[0])
        biggest = shift.assign(_d=shift["diff"].abs()).sort_values(["_d", "label"], ascending=[False, True]).iloc[0]
        clear = shift[(shift["ci_low"] > 0) | (shift["ci_high"] < 0)]
        n_from = int(shift["n_docs_from"].iloc[0]) if "n_docs_from" in shift.columns else None
        n_to = int(shift["n_docs_to"].iloc[0]) if "n_docs_to" in shift.columns else None
        where = (f" ({_docs_phrase(n_from)} against {_docs_phrase(n_to)})" if n_from is not None and n_to is not None
                 else "")
        points = [f"From {a} to {b}{where}, the largest change is {biggest['label']}: from "
                  f"{100 * biggest['share_from']:.0f}% to {100 * biggest['share_to']:.0f}% of frame hits "
                  f"({100 * biggest['diff']:+.0f} points; 95% interval {100 * biggest['ci_low']:+.0f} to "
                  f"{100 * biggest['ci_high']:+.0f})."]
        if len(clear):
            points.append(f"{len(clear)} of {len(shift)} frames change with an interval that excludes 0: "
                          + ", ".join(f"{l} ({100 * d:+.0f} points)" for l, d in zip(clear["label"], clear["diff"]))
                          + ".")
        else:
            points.append(f"For none of the {len(shift)} frames does the interval exclude 0: the data do not "
                          "show a change beyond what resampling the paragraphs gives.")
        out.append({"title": "Framing", "points": points, "source": "05_frame_shift",
                    "notebook": "05_framing_and_numbers"})
    renderings = _read(tables, "06_rendering_table")
    if _has(renderings, "doc_a", "doc_b", "label", "rendering_a", "rendering_b", "count_a", "count_b"):
        both = renderings[(renderings["count_a"] > 0) & (renderings["count_b"] > 0)]

        def names(text) -> frozenset:  # "a ×2; b" -> {a, b}: the renderings used, not how often
            return frozenset(re.sub(r" ×\d+$", "", part.strip()) for part in str(text).split(";"))

        differ = both[[names(a) != names(b) for a, b in zip(both["rendering_a"], both["rendering_b"])]]
        pair = f"{renderings['doc_a'].iloc[0]} and {renderings['doc_b'].iloc[0]}"
        points = [f"{len(both)} formulas occur in both versions ({pair}); {len(differ)} of them are rendered "
                  f"differently, and {len(renderings) - len(both)} occur in one version only."]
        for row in differ.head(5).itertuples(index=False):
            points.append(f"{row.label}: \u201c{row.rendering_a}\u201d \u2194 \u201c{row.rendering_b}\u201d.")
        out.append({"title": "One text, two translations", "points": points, "source": "06_rendering_table",
                    "notebook": "06_translation_pair"})
    return out


# --------------------------------------------------------------------------- pages

def short_title(title: str) -> str:
    """A notebook's title for the navigation: the part before its colon.

    Examples
    --------
    >>> short_title("4. Formula phrases: which *tifa* appear when?")
    '4. Formula phrases'
    """
    head = title.split(":", 1)[0].strip()
    return head.replace("*", "") if head else title


def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["url"] = lambda name: quote(str(name))
    env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    return env


def navigation(runs: list[dict]) -> list[dict]:
    """The site's navigation: ``{"key", "href" (from the report folder), "label"}`` for every page.

    Examples
    --------
    >>> [item["href"] for item in navigation([{"stem": "01_corpus", "title": "1. The corpus: who", "html": "x"}])]
    ['index.html', 'explorer.html', 'figures.html', 'pages/01_corpus.html', 'provenance.html', 'all.html']
    """
    items = [{"key": "index", "href": "index.html", "label": "Overview"},
             {"key": "explorer", "href": "explorer.html", "label": "Explorer"},
             {"key": "figures", "href": "figures.html", "label": "Figures"}]
    for run in runs:
        items.append({"key": f"page-{run['stem']}", "href": f"pages/{run['stem']}.html",
                      "label": short_title(run["title"]), "notebook": f"notebooks/{run['html']}"})
    items += [{"key": "provenance", "href": "provenance.html", "label": "Provenance"},
              {"key": "all", "href": "all.html", "label": "All on one page"}]
    return items


def render_nav(runs: list[dict], *, current: str, root: str) -> str:
    """The navigation bar as HTML (for the executed notebooks' pages, which nbconvert writes); titles escaped.

    Examples
    --------
    >>> bar = render_nav([{"stem": "01_a", "title": "<b>1</b>", "html": "01_a.html"}], current="index", root="../")
    >>> 'href="../explorer.html"' in bar, "&lt;b&gt;1&lt;/b&gt;" in bar
    (True, True)
    """
    return _environment().get_template("_nav.html.j2").render(nav=navigation(runs), current=current, root=root)


SCRIPTS = (f"{VENDOR}/datatables.js", f"{ASSETS}/site.js")
EXPLORER_SCRIPTS = (f"{VENDOR}/datatables.js", f"{VENDOR}/vega.js", "explorer/data.js", f"{ASSETS}/matcher.js",
                    f"{ASSETS}/site.js", f"{ASSETS}/explorer.js")


def render_site(folder: str | Path, *, sections: list[dict], others: dict, provenance: dict, runs: list[dict],
                glance: dict, docs: pd.DataFrame | None = None) -> list[Path]:
    """Write the site's pages into ``folder`` (which already holds figures/, tables/, notebooks/, assets/).

    Parameters
    ----------
    folder : path
        The report (or build) folder.
    sections : list of dict
        One per notebook run: its ``stem, name, html, title, figures, tables`` (from the build).
    others : dict
        ``figures`` and ``tables`` no notebook of the run claimed.
    provenance : dict
        From :func:`rhetoric.report.build.provenance`.
    runs : list of dict
        The notebook runs, in order (``stem, html, title``).
    glance : dict
        From :func:`corpus_glance`.
    docs : DataFrame, optional
        The documents table (for the figures' n).

    Returns
    -------
    list of Path
        The pages written.
    """
    folder = Path(folder)
    env = _environment()
    with_scripts, without_scripts = site_policy(), site_policy(scripts=False)
    for section in sections + [others]:
        for figure in section["figures"]:
            data = None
            if figure.get("data"):
                try:
                    data = pd.read_csv(folder / "figures" / figure["data"])
                except (ValueError, pd.errors.ParserError, UnicodeDecodeError, OSError):
                    data = None
            figure["n"] = figure_n(figure, data, docs)
        for table in section["tables"]:
            table["site"] = site_table(folder / "tables" / table["data"]) if table.get("data") else None
    nav = navigation(runs)
    common = {"nav": nav, "version": __version__, "provenance": provenance, "glance": glance}
    written = []

    def page(template: str, target: str, *, current: str, title: str, scripts=(), **values) -> None:
        root = "../" * target.count("/")
        html = env.get_template(template).render(root=root, current=current, page_title=title,
                                                 policy=with_scripts if scripts else without_scripts, scripts=scripts,
                                                 **common, **values)
        path = folder / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        written.append(path)

    all_figures = [f for s in sections for f in s["figures"]] + others["figures"]
    page("overview.html.j2", "index.html", current="index", title="Overview", scripts=SCRIPTS,
         sections=sections, findings=findings(folder / "tables"), n_figures=len(all_figures),
         has_others=bool(others["figures"] or others["tables"]),
         n_tables=sum(len(s["tables"]) for s in sections) + len(others["tables"]))
    page("explorer.html.j2", "explorer.html", current="explorer", title="Explorer", scripts=EXPLORER_SCRIPTS)
    page("gallery.html.j2", "figures.html", current="figures", title="Figures", scripts=(), sections=sections,
         others=others)
    for section in sections:
        page("notebook_page.html.j2", f"pages/{section['stem']}.html", current=f"page-{section['stem']}",
             title=short_title(section["title"]), scripts=SCRIPTS, section=section)
    if others["figures"] or others["tables"]:
        page("notebook_page.html.j2", "pages/other.html", current="", title="Other outputs", scripts=SCRIPTS,
             section={"stem": "other", "title": "Other outputs", "name": "", "html": "", **others})
    page("provenance.html.j2", "provenance.html", current="provenance", title="Provenance", scripts=SCRIPTS)
    page("all.html.j2", "all.html", current="all", title="All on one page", scripts=(), sections=sections,
         others=others)
    return written
