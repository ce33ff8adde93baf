"""The Explorer in a notebook: a search box with concordance lines and a formula picker (ipywidgets).

Run interactively (JupyterLab, Jupyter Notebook, VS Code), :func:`explorer`
returns widgets: type a word, phrase or glob and read its concordance lines
(the rules of ``rhetoric kwic``), or pick a formula and read its counts per
document, its renderings in the versions of a translated text and its lines.
Run by the report (``rhetoric report`` sets :data:`rhetoric.report.runner.NOTEBOOK_ENV`)
or without ipywidgets, it returns the same answers for the given ``query`` and
``formula`` as static HTML, with a link to the report's Explorer page: the
report's pages load no widget script.

Every piece of corpus text is escaped (:func:`rhetoric.stats.kwic.kwic_html`,
:meth:`pandas.DataFrame.to_html`).
"""

from __future__ import annotations

import html
import os
from urllib.parse import quote

import pandas as pd

from ..errors import ParameterError
from .runner import NOTEBOOK_ENV

MAX_LINES = 200
"""Concordance lines shown at most (the count says how many there are)."""


def is_interactive() -> bool:
    """Whether widgets can be shown: in an IPython kernel, with ipywidgets installed, and not in a report build.

    Examples
    --------
    >>> is_interactive()  # a doctest runs outside a kernel
    False
    """
    if os.environ.get(NOTEBOOK_ENV):
        return False
    try:
        from IPython import get_ipython

        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def concordance_html(tokens, docs: pd.DataFrame, query: str, *, window: int = 5, all_versions: bool = False,
                     max_lines: int = MAX_LINES) -> str:
    """Concordance lines of ``query`` as HTML (a count, then at most ``max_lines`` lines); errors as a message.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> page = concordance_html(tokenize(docs), docs, "golden")
    >>> page.startswith("<p><strong>3 lines</strong>"), page.count("<tr>") - 1
    (True, 3)
    """
    from ..stats.kwic import kwic, kwic_html

    if not query or not query.strip():
        return "<p>Type a word, a phrase or a glob.</p>"
    try:
        lines = kwic(tokens, docs, query, window=window, all_versions=all_versions)
    except ParameterError as exc:
        return f'<p style="color:#a40000">{html.escape(str(exc))}</p>'
    shown = lines.head(max_lines)
    meta = docs.set_index("doc_id")
    table = shown.assign(date=[str(meta.loc[d, "date"]) if "date" in meta.columns else "" for d in shown["doc_id"]],
                         genre=[str(meta.loc[d, "genre"]) if "genre" in meta.columns else "" for d in shown["doc_id"]])
    table = table[["doc_id", "date", "genre", "left", "match", "right", "start", "end", "raw_start", "raw_end",
                   "token_start", "token_end"]]
    versions = "every version of a translated text" if all_versions else "each translated text once"
    more = f" (the first {max_lines} shown)" if len(lines) > max_lines else ""
    n_docs = lines["doc_id"].nunique()
    return (f"<p><strong>{len(lines)} line{'s' if len(lines) != 1 else ''}</strong> in "
            f"{n_docs} document{'s' if n_docs != 1 else ''} ({versions}){more}.</p>" + kwic_html(table))


def formula_html(tokens, docs: pd.DataFrame, formula: str, *, lexicon=None, window: int = 5,
                 max_lines: int = MAX_LINES) -> str:
    """A formula's counts per document (as ``rhetoric formulas``), its renderings side by side and its lines.

    ``formula`` is a formula id or label of the lexicon; anything else gives a message, not an error.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> page = formula_html(tokenize(docs), docs, "community with a shared future")
    >>> page.startswith("<h4>community with a shared future</h4>"), "rhetoric formulas" in page
    (True, True)
    """
    from ..formulas.counts import formula_counts, formula_hits, formula_kwic, resolve_lexicon
    from ..formulas.translation import rendering_table, translation_groups
    from ..stats.kwic import kwic_html

    table = resolve_lexicon(lexicon, docs)
    if formula not in set(table["formula_id"]):
        labels = dict(zip(table["label"], table["formula_id"])) if "label" in table.columns else {}
        if formula in labels:
            formula = labels[formula]
        else:
            return f'<p style="color:#a40000">{html.escape(repr(formula))} is not a formula of the lexicon.</p>'
    hits = formula_hits(tokens, docs, table)
    counts = formula_counts(tokens, docs, table, hits=hits)
    counts = counts[counts["formula_id"] == formula].rename(columns={"group": "doc_id"})
    label = str(table.loc[table["formula_id"] == formula, "label"].iloc[0]) if "label" in table.columns else formula
    parts = [f"<h4>{html.escape(label)}</h4>",
             "<p>Per document, each translated text once (the numbers of <code>rhetoric formulas</code>):</p>",
             counts[["doc_id", "count", "per_10k", "n_tokens"]].to_html(index=False, float_format="{:.3g}".format)]
    if len(translation_groups(docs)):
        side = rendering_table(tokens, docs, table, hits=hits)
        side = side[side["formula_id"] == formula]
        if len(side):
            parts += ["<p>Renderings in the versions of a translated text:</p>",
                      side[["doc_a", "rendering_a", "count_a", "doc_b", "rendering_b", "count_b"]].to_html(index=False)]
    mine = hits[hits["formula_id"] == formula]
    lines = formula_kwic(tokens, docs, mine.head(max_lines), window=window)
    parts.append(f"<p>{len(mine)} occurrences in every version.</p>")
    parts.append(kwic_html(lines[[c for c in ("doc_id", "variant", "left", "match", "right") if c in lines.columns]]))
    return "\n".join(parts)


def _static(tokens, docs, *, query, formula, lexicon, window, all_versions, explorer_page) -> str:
    parts = ['<div class="rhetoric-explorer">']
    link = lambda fragment: f'<a href="{html.escape(explorer_page + fragment)}">the report\'s Explorer</a>'  # noqa: E731
    if query:
        parts.append(f"<h3>Concordance: {html.escape(query)}</h3>")
        parts.append(concordance_html(tokens, docs, query, window=window, all_versions=all_versions))
        parts.append(f"<p>Search any other word in {link('#q=' + quote(query))}.</p>")
    if formula:
        parts.append(f"<h3>Formula: {html.escape(formula)}</h3>")
        parts.append(formula_html(tokens, docs, formula, lexicon=lexicon, window=window))
        parts.append(f"<p>Every formula in {link('#formula=' + quote(formula))}.</p>")
    parts.append("</div>")
    return "\n".join(parts)


def explorer(tokens, docs: pd.DataFrame, *, query: str | None = "golden", formula: str | None = None,
             lexicon=None, window: int = 5, all_versions: bool = False, interactive: bool | None = None,
             explorer_page: str = "../explorer.html"):
    """A search box with concordance lines and a formula picker; static HTML where widgets cannot show.

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    query : str, optional
        The first search (any pattern of ``rhetoric kwic``).
    formula : str, optional
        A formula id or label to show first (default: the lexicon's first).
    lexicon : DataFrame, str, Path or None
        See :func:`rhetoric.formulas.counts.resolve_lexicon`.
    window : int, default 5
        Tokens of context.
    all_versions : bool, default False
        Concordance lines from every version of a translated text.
    interactive : bool, optional
        Widgets (True) or static HTML (False); default :func:`is_interactive`.
    explorer_page : str, default "../explorer.html"
        The report's Explorer page, linked from the static view (relative to the executed notebook's page).

    Returns
    -------
    ipywidgets.Tab or IPython.display.HTML
        Shown by the notebook as the cell's output.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> view = explorer(tokenize(docs), docs, query="golden", interactive=False)
    >>> "3 lines" in view.data and "../explorer.html#q=golden" in view.data
    True
    """
    from IPython.display import HTML

    from ..formulas.counts import resolve_lexicon

    table = resolve_lexicon(lexicon, docs)
    labels = dict(zip(table["formula_id"], table["label"] if "label" in table.columns else table["formula_id"]))
    by_label = {label: fid for fid, label in labels.items()}
    formula = by_label.get(formula, formula)
    if formula is None and labels:
        formula = next(iter(labels))
    if not (is_interactive() if interactive is None else interactive):
        return HTML(_static(tokens, docs, query=query, formula=formula, lexicon=table, window=window,
                            all_versions=all_versions, explorer_page=explorer_page))
    import ipywidgets as widgets

    box = widgets.Text(value=query or "", placeholder="golden *   (shared|common) future   win-win",
                       description="Search", continuous_update=False, layout=widgets.Layout(width="32em"))
    every = widgets.Checkbox(value=all_versions, description="every version of a translated text", indent=False)
    context = widgets.IntSlider(value=window, min=0, max=20, description="context", continuous_update=False)
    lines = widgets.HTML()

    def search(_=None) -> None:
        lines.value = concordance_html(tokens, docs, box.value, window=context.value, all_versions=every.value)

    for control in (box, every, context):
        control.observe(search, names="value")
    search()
    picker = widgets.Dropdown(options=[(label, fid) for fid, label in labels.items()], description="Formula",
                              value=formula if formula in labels else None, layout=widgets.Layout(width="40em"))
    about = widgets.HTML()

    def pick(_=None) -> None:
        about.value = formula_html(tokens, docs, picker.value, lexicon=table, window=context.value) \
            if picker.value else ""

    picker.observe(pick, names="value")
    pick()
    tabs = widgets.Tab(children=[widgets.VBox([widgets.HBox([box, every]), context, lines]),
                                 widgets.VBox([picker, about])])
    tabs.set_title(0, "Search")
    tabs.set_title(1, "Formulas")
    tabs.search, tabs.picker, tabs.lines, tabs.about = box, picker, lines, about  # for tests and scripts
    return tabs
