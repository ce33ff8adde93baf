"""The Explorer in a notebook (rhetoric.report.widgets): widgets where they can show, the same answers as static HTML
in the report; counts equal to `rhetoric kwic` and `rhetoric formulas` computed independently here."""

from __future__ import annotations

import re

import pytest
from conftest import PLANTED_TEXT, write_small_corpus

from rhetoric.corpus import load_corpus, tokenize
from rhetoric.counts import select_documents
from rhetoric.patterns import find
from rhetoric.report import widgets
from rhetoric.report.runner import NOTEBOOK_ENV


def rows(page: str) -> list[str]:
    """The body rows of the concordance table of a page."""
    body = page[page.index('<table class="rhetoric-kwic">'):]
    return re.findall(r"<tr>(.*?)</tr>", body[body.index("<tbody>"):body.index("</tbody>")], flags=re.S)


def test_static_view_has_as_many_lines_as_the_matcher_finds(project_docs, project_tokens):
    view = widgets.explorer(project_tokens, project_docs, query="golden *", formula=None, interactive=False)
    counted = set(select_documents(project_docs)["doc_id"])  # each translated text once
    hits = find(project_tokens, "golden *")
    expected = int(hits["doc_id"].isin(counted).sum())
    assert f"<strong>{expected} lines</strong>" in view.data
    assert len(rows(view.data)) == expected
    assert 'href="../explorer.html#q=golden%20%2A"' in view.data


def test_static_formula_view_counts_as_rhetoric_formulas(tiny_docs, tiny_tokens):
    page = widgets.formula_html(tiny_tokens, tiny_docs, "community with a shared future")
    # by hand: once in a_official (13 tokens) and once in c_2024 (18 tokens); b_unofficial does not count
    table = page[page.index("<table"):page.index("</table>")]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", table, flags=re.S)]
    assert cells == ["a_official", "1", "769", "13", "c_2024", "1", "556", "18"]
    assert "community of common destiny" in page  # its rendering in the other version, side by side
    assert "3 occurrences in every version" in page
    assert "is not a formula" in widgets.formula_html(tiny_tokens, tiny_docs, "no such formula")


def test_widgets_search_and_pick(tiny_docs, tiny_tokens):
    pytest.importorskip("ipywidgets")
    view = widgets.explorer(tiny_tokens, tiny_docs, query="trade", interactive=True)
    # "trade" by hand: a_official 1, c_2024 2 (b_unofficial is the other version of a_official)
    assert "<strong>3 lines</strong>" in view.lines.value
    view.search.value = "security"
    assert "<strong>3 lines</strong> in 1 document " in view.lines.value
    view.search.value = "(shared"
    assert "not closed" in view.lines.value
    view.picker.value = "community_shared_future"
    assert "community with a shared future" in view.about.value and "769" in view.about.value


def test_in_a_report_build_the_view_is_static(tiny_docs, tiny_tokens, monkeypatch):
    monkeypatch.setenv(NOTEBOOK_ENV, "04_formulas")
    assert widgets.is_interactive() is False
    view = widgets.explorer(tiny_tokens, tiny_docs, query="trade")
    assert type(view).__name__ == "HTML" and "<strong>3 lines</strong>" in view.data


def test_planted_markup_is_escaped_in_both_views(tmp_path):
    docs = load_corpus(write_small_corpus(tmp_path / "corpus"))
    tokens = tokenize(docs, cache=False)
    page = widgets.concordance_html(tokens, docs, "alert", all_versions=True)
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=" in page
    assert PLANTED_TEXT not in page


@pytest.mark.slow
def test_in_a_jupyter_kernel_the_explorer_is_widgets(tmp_path):
    """Run as JupyterLab runs it (a kernel, no report build): the cell's output is a widget view, not HTML."""
    pytest.importorskip("ipywidgets")
    import os

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("from rhetoric import load_corpus, tokenize\n"
                                          "from rhetoric.report.widgets import explorer\n"
                                          "docs = load_corpus()\n"
                                          "view = explorer(tokenize(docs), docs, query='golden')\n"
                                          "print(type(view).__name__, view.lines.value.count('<tr>') - 1)\n"
                                          "view")]
    env = {k: v for k, v in os.environ.items() if k != NOTEBOOK_ENV}
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    outputs = nb.cells[0].outputs
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream").split()
    docs = load_corpus()
    hits = find(tokenize(docs), "golden")
    expected = int(hits["doc_id"].isin(set(select_documents(docs)["doc_id"])).sum())
    assert printed == ["Tab", str(expected)]
    shown = [o for o in outputs if o.output_type == "execute_result"]
    assert len(shown) == 1 and "application/vnd.jupyter.widget-view+json" in shown[0]["data"]
