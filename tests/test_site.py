"""The report as a site, without a browser: policy, shipped scripts, the Explorer's data, figures' n, findings,
the corpus at a glance, and the build cache. Values are worked out by hand on tiny inputs written here.

The pages in a real browser: tests/test_explorer_browser.py and tests/test_report_browser.py.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import TINY_TEXTS, write_corpus

from rhetoric import config
from rhetoric.corpus import load_corpus, tokenize
from rhetoric.errors import ReportError
from rhetoric.report import site
from rhetoric.report.cache import ReportCache, inputs_fingerprint, notebook_key
from rhetoric.report.explorer import DATA_JS, DATA_JSON, JS_GLOBAL, dumps, explorer_data, write_explorer_data


# --- the policy -------------------------------------------------------------------------------------------------

def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_site_policy_allows_only_scripts_and_styles_from_the_report_folder():
    base, page = directives(config.CONTENT_SECURITY_POLICY), directives(site.site_policy())
    assert page["script-src"] == ["'self'"]  # no inline script, no eval, nothing from elsewhere
    assert page["style-src"] == ["'self'"] + base["style-src"]
    assert {k: v for k, v in page.items() if k not in ("script-src", "style-src")} == \
        {k: v for k, v in base.items() if k not in ("script-src", "style-src")}
    assert "script-src" not in directives(site.site_policy(scripts=False))
    assert page["default-src"] == ["'none'"] and "connect-src" not in page  # no request a script could make


# --- the shipped scripts ----------------------------------------------------------------------------------------

def test_datatables_becomes_a_classic_script_with_its_exports_on_window():
    import importlib.resources

    module = importlib.resources.files("itables").joinpath("html", "dt_bundle.js").read_text(encoding="utf-8")
    script, css = site.datatables_script()
    exported = re.search(r"export\s*\{([^}]*)\}", module).group(1)
    names = [part.strip().partition(" as ") for part in exported.split(",")]
    assert re.search(r"\bexport\s*\{", script) is None
    for local, _, name in names:
        assert f'"{name}": {local}' in script
    assert '"default"' in script and '"jQuery"' in script
    # the library itself is unchanged: the script is the module with one statement replaced, in a function
    head, tail = module.split(re.search(r"export\s*\{[^}]*\}\s*;?", module).group(0))
    assert head in script and tail in script
    assert css == importlib.resources.files("itables").joinpath("html", "dt_bundle.css").read_text(encoding="utf-8")


def test_assets_are_written_with_a_notice_and_the_vega_bundle_is_cached(tmp_path):
    written = site.write_assets(tmp_path / "out", cache_dir=tmp_path / "cache")
    names = sorted(p.relative_to(tmp_path / "out").as_posix() for p in written)
    assert names == ["assets/explorer.js", "assets/matcher.js", "assets/site.css", "assets/site.js",
                     "assets/vendor/NOTICE.txt", "assets/vendor/datatables.css", "assets/vendor/datatables.js",
                     "assets/vendor/vega.js"]
    vega = (tmp_path / "out" / "assets" / "vendor" / "vega.js").read_text(encoding="utf-8")
    assert "window.vegaEmbed" in vega and "window.vegaLite" in vega
    cached = list((tmp_path / "cache").glob("vega-*.js"))
    assert len(cached) == 1 and cached[0].read_text(encoding="utf-8") == vega
    # a second copy reads the cache: the same bytes
    again = site.write_assets(tmp_path / "again", cache_dir=tmp_path / "cache")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written]


# --- the Explorer's data ----------------------------------------------------------------------------------------

@pytest.fixture
def tiny(tiny_docs, tiny_tokens):
    return explorer_data(tiny_tokens, tiny_docs)


def test_explorer_tokens_point_into_the_text_and_carry_sentences_and_paragraphs(tiny):
    a = tiny["documents"][0]
    assert [a["doc_id"], a["counted"], a["n_tokens"]] == ["a_official", True, 13]
    words = [a["text"][s:e] for s, e in zip(a["s"], a["e"])]
    assert words == ["The", "community", "with", "a", "shared", "future", "Win-win", "cooperation", "is", "key",
                     "Trade", "is", "up"]
    assert [tiny["vocab"][t] for t in a["t"]][6] == "win-win"
    # "The community with a shared future." | "Win-win cooperation is key." || "Trade is up."
    assert a["sent"] == [0] * 6 + [1] * 4 + [2] * 3
    assert a["para"] == [0] * 10 + [1] * 3
    assert [a["text"][s:e] for s, e in a["paragraphs"]] == [
        "The community with a shared future. Win-win cooperation is key.", "Trade is up."]
    # b_unofficial is the other version of g1: it does not count when each translated text counts once
    assert [(d["doc_id"], d["counted"]) for d in tiny["documents"]] == [("a_official", True), ("b_unofficial", False),
                                                                         ("c_2024", True)]


def test_explorer_formulas_are_the_counts_of_rhetoric_formulas(tiny):
    formulas = tiny["formulas"]
    csf = [f["id"] for f in formulas["list"]].index("community_shared_future")
    assert formulas["list"][csf]["label"] == "community with a shared future"
    # by hand: "community with a shared future" once in a_official (tokens 1-6) and once in c_2024 (tokens 13-18);
    # b_unofficial says "community of common destiny" (tokens 1-5), another rendering of the same formula
    hits = [h for h in formulas["hits"] if h[1] == csf]
    variants = formulas["list"][csf]["variants"]
    assert [(tiny["documents"][d]["doc_id"], variants[v]["name"], s, e) for d, _, v, s, e in hits] == [
        ("a_official", "community with a shared future", 1, 6),
        ("b_unofficial", "community of common destiny", 1, 5),
        ("c_2024", "community with a shared future", 13, 18)]
    per_doc = [(tiny["documents"][d]["doc_id"], c, n) for f, d, c, _, n in formulas["per_document"] if f == csf]
    assert per_doc == [("a_official", 1, 13), ("c_2024", 1, 18)]
    per_year = [(g, c, nd, nt) for f, g, c, _, nd, nt in formulas["per_group"]["year"] if f == csf]
    assert per_year == [(2022, 1, 1, 13), (2024, 1, 1, 18)]
    first_last = next(r for r in formulas["first_last"] if r["formula_id"] == "community_shared_future")
    assert (first_last["first_doc"], first_last["last_doc"], first_last["n_docs"], first_last["n_texts"]) == \
        ("a_official", "c_2024", 3, 2)
    rendering = next(r for r in formulas["renderings"] if r["formula_id"] == "community_shared_future")
    assert (rendering["rendering_a"], rendering["rendering_b"]) == ("community with a shared future",
                                                                   "community of common destiny")


def test_explorer_alignment_pairs_the_paragraphs_of_the_two_versions(tiny):
    assert [(b["doc_a"], b["doc_b"], b["kind"], b["a"], b["b"]) for b in tiny["alignment"]] == [
        ("a_official", "b_unofficial", "1-1", [0], [0]), ("a_official", "b_unofficial", "1-1", [1], [1])]
    assert tiny["alignment"][1]["cosine"] == pytest.approx(1.0)  # "Trade is up." in both


def test_explorer_offsets_are_utf16_units_beyond_the_basic_plane(tmp_path):
    text = "The \U0001F680 golden thirty years. Golden \U0001F600 days."
    docs = load_corpus(write_corpus(tmp_path / "c", {"d1": ("2023-01-01", "", "", "p", text)}))
    data = explorer_data(tokenize(docs, cache=False), docs)
    doc = data["documents"][0]
    utf16 = text.encode("utf-16-le")
    words = [utf16[2 * s:2 * e].decode("utf-16-le") for s, e in zip(doc["s"], doc["e"])]
    assert words == ["The", "golden", "thirty", "years", "Golden", "days"]
    assert doc["s"][1] == 4 + 2 + 1  # "The " + a surrogate pair + " "


def test_explorer_data_files_hold_the_same_json(tmp_path, tiny):
    tiny = dict(tiny, note="a\u2028b")
    write_explorer_data(tiny, tmp_path)
    text = (tmp_path / DATA_JSON).read_text(encoding="utf-8")
    assert json.loads(text) == json.loads(json.dumps(tiny))
    script = (tmp_path / DATA_JS).read_text(encoding="utf-8")
    assignment = f"window.{JS_GLOBAL} = "
    body = script[script.index(assignment) + len(assignment):].rstrip().rstrip(";")
    assert body == text.rstrip("\n") and "\u2028" not in body and json.loads(body)["note"] == "a\u2028b"
    assert dumps(tiny) == dumps(json.loads(text))  # stable: the same data give the same bytes


def test_explorer_refuses_a_spelling_folded_token_store(tiny_docs):
    with pytest.raises(ReportError, match="without spelling folding"):
        explorer_data(tokenize(tiny_docs, fold_spelling=True, cache=False), tiny_docs)


def test_a_large_corpus_gets_formulas_without_tokens(tiny_docs, tiny_tokens):
    data = explorer_data(tiny_tokens, tiny_docs, max_tokens=10)
    assert data["tokens"] is False and data["vocab"] == []
    assert all("text" not in d and "t" not in d for d in data["documents"])
    assert data["formulas"]["per_document"]  # the formulas stay: they are Python's numbers


# --- the corpus at a glance, the figures' n, the findings ------------------------------------------------------

def test_corpus_glance_counts_documents_texts_and_tokens(tiny_docs, tiny_tokens):
    glance = site.corpus_glance(tiny_docs, tiny_tokens)
    # 3 documents; a_official and b_unofficial are one text; tokens 13 + 13 + 18, counted 13 + 18
    assert (glance["n_documents"], glance["n_texts"], glance["n_tokens"], glance["n_tokens_counted"]) == (3, 2, 44, 31)
    assert glance["years"] == [("2022", 2, 1), ("2024", 1, 1)]
    assert (glance["first_date"], glance["last_date"], glance["translation_groups"]) == ("2022-09-13", "2024-07",
                                                                                       ["g1"])


def test_figure_n_says_what_a_figure_rests_on(tiny_docs):
    assert site.figure_n({"n_docs": 7}, None, None) == "n = 7 documents"
    matrix = pd.DataFrame({"formula_id": ["x"], "a_official": [1], "c_2024": [0]})
    assert site.figure_n({}, matrix, tiny_docs) == "n = 2 documents"
    by_year = pd.DataFrame({"group": [2022, 2024], "term": ["trade", "trade"], "per_10k": [1.0, 2.0]})
    # each translated text once: 2022 has a_official only (b_unofficial is its other version), 2024 c_2024
    assert site.figure_n({"params": {"by": "year"}}, by_year, tiny_docs) == "n = 2 documents (2022: 1, 2024: 1)"
    assert site.figure_n({"params": {"by": "year", "all_versions": True}}, by_year, tiny_docs) == \
        "n = 3 documents (2022: 2, 2024: 1)"
    assert site.figure_n({"params": {"by": "genre"}}, by_year, tiny_docs) == "n = 2 rows of data"


def write_table(folder, name, rows: list[dict], caption: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)
    (folder / f"{name}.json").write_text(json.dumps({"caption": caption}), encoding="utf-8")


def test_findings_are_computed_from_the_saved_tables(tmp_path):
    tables = tmp_path / "tables"
    write_table(tables, "01_documents_per_group", [{"group": 2022, "n_counted": 2}, {"group": 2024, "n_counted": 1}])
    write_table(tables, "04_formula_lexicon", [{"formula_id": "f1", "label": "win-win cooperation"},
                                               {"formula_id": "f2", "label": "mutual trust"}])
    write_table(tables, "04_formula_counts_by_group", [
        {"group": 2022, "formula_id": "f1", "count": 3, "per_10k": 15.0, "n_docs": 2, "n_tokens": 2000},
        {"group": 2022, "formula_id": "f2", "count": 1, "per_10k": 5.0, "n_docs": 2, "n_tokens": 2000},
        {"group": 2024, "formula_id": "f1", "count": 0, "per_10k": 0.0, "n_docs": 1, "n_tokens": 500},
        {"group": 2024, "formula_id": "f2", "count": 2, "per_10k": 40.0, "n_docs": 1, "n_tokens": 500}])
    write_table(tables, "03_keyness_2022_vs_2024", [
        {"term": "xi", "g2": 15.8, "p_adjusted": 0.009, "log_ratio": 2.8},
        {"term": "trade", "g2": -9.0, "p_adjusted": 0.04, "log_ratio": -1.5},
        {"term": "visit", "g2": 4.0, "p_adjusted": 0.30, "log_ratio": 1.0}],
        caption="Keyness: 2024 (target) against 2022 (reference), holm correction.")
    write_table(tables, "05_frame_shift", [
        {"label": "Economy", "from_group": 2022, "to_group": 2024, "share_from": 0.20, "share_to": 0.35,
         "diff": 0.15, "ci_low": -0.02, "ci_high": 0.30, "n_docs_from": 2, "n_docs_to": 1},
        {"label": "Security", "from_group": 2022, "to_group": 2024, "share_from": 0.16, "share_to": 0.0,
         "diff": -0.16, "ci_low": -0.30, "ci_high": -0.05, "n_docs_from": 2, "n_docs_to": 1}])
    write_table(tables, "06_rendering_table", [
        {"doc_a": "off", "doc_b": "unoff", "label": "community with a shared future",
         "rendering_a": "shared future", "rendering_b": "common destiny", "count_a": 1, "count_b": 1},
        {"doc_a": "off", "doc_b": "unoff", "label": "win-win cooperation", "rendering_a": "win-win ×2",
         "rendering_b": "win-win", "count_a": 2, "count_b": 1},
        {"doc_a": "off", "doc_b": "unoff", "label": "golden decade", "rendering_a": "golden decade",
         "rendering_b": "", "count_a": 1, "count_b": 0}])
    found = {f["source"]: f["points"] for f in site.findings(tables)}
    assert found["04_formula_counts_by_group"] == [
        "2022 (2 documents, 2,000 tokens): 2 formulas, 4 occurrences (20.0 per 10,000 tokens); most frequent: "
        "win-win cooperation (3), mutual trust (1).",
        "2024 (1 document, 500 tokens): 1 formulas, 2 occurrences (40.0 per 10,000 tokens); most frequent: "
        "mutual trust (2)."]
    assert found["03_keyness_2022_vs_2024"] == [
        "2024 (1 document) against 2022 (2 documents): 2 of 3 terms tested are significant after correction "
        "(adjusted p < 0.05).", "More frequent in 2024: xi (G² 15.8).", "More frequent in 2022: trade (G² 9.0)."]
    assert found["05_frame_shift"] == [
        "From 2022 to 2024 (2 documents against 1 document), the largest change is Security: from 16% to 0% of "
        "frame hits (-16 points; 95% interval -30 to -5).",
        "1 of 2 frames change with an interval that excludes 0: Security (-16 points)."]
    # "win-win ×2" and "win-win" are the same rendering; golden decade is in one version only
    assert found["06_rendering_table"] == [
        "2 formulas occur in both versions (off and unoff); 1 of them are rendered differently, and 1 occur in "
        "one version only.",
        "community with a shared future: \u201cshared future\u201d \u2194 \u201ccommon destiny\u201d."]


def test_findings_leave_out_what_the_notebooks_did_not_save(tmp_path):
    assert site.findings(tmp_path) == []
    write_table(tmp_path, "03_keyness_a_vs_b", [{"term": "x", "g2": 1.0, "p_adjusted": 0.9, "log_ratio": 0.5}])
    points = site.findings(tmp_path)[0]["points"]
    assert points[0] == "the target against the reference: 0 of 1 terms tested are significant after correction " \
                        "(adjusted p < 0.05)."
    assert points[1].startswith("The strongest difference, x (G² 1.0, adjusted p = 0.9), is not significant")


# --- the build cache --------------------------------------------------------------------------------------------

def test_cache_keys_change_with_what_the_outputs_depend_on(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", TINY_TEXTS)
    notebook = tmp_path / "01_x.ipynb"
    notebook.write_text('{"cells": []}')
    first = inputs_fingerprint(corpus_dir=corpus, kernel_name="python3")
    assert inputs_fingerprint(corpus_dir=corpus, kernel_name="python3") == first
    key = notebook_key(first, notebook, {"output_dir": "a", "corpus_dir": "c"})
    assert notebook_key(first, notebook, {"output_dir": "elsewhere", "corpus_dir": "c"}) == key
    assert notebook_key(first, notebook, {"output_dir": "a", "corpus_dir": "d"}) != key
    notebook.write_text('{"cells": [1]}')
    assert notebook_key(first, notebook, {"output_dir": "a", "corpus_dir": "c"}) != key
    (corpus / "interim").mkdir()
    (corpus / "interim" / "token-cache.npz").write_bytes(b"cache")  # the corpus's caches are not inputs
    assert inputs_fingerprint(corpus_dir=corpus, kernel_name="python3") == first
    raw = corpus / "raw" / "c_2024.txt"
    raw.write_text(raw.read_text() + " More trade.")
    assert inputs_fingerprint(corpus_dir=corpus, kernel_name="python3") != first


def test_cache_entries_are_whole_or_ignored(tmp_path):
    source = tmp_path / "source.txt"
    source.write_text("figure data")
    cache = ReportCache(tmp_path / "out")
    cache.store("01_x", "key1", {"figures/a.csv": source}, extra={"seconds": 2.5})
    assert (tmp_path / "out" / ".rhetoric-cache" / ".gitignore").read_text().strip().endswith("*")
    entry = cache.lookup("01_x", "key1")
    assert entry is not None and cache.record("01_x") == {"seconds": 2.5}
    assert cache.lookup("01_x", "key2") is None
    assert cache.restore(entry, tmp_path / "build") == ["figures/a.csv"]
    assert (tmp_path / "build" / "figures" / "a.csv").read_text() == "figure data"
    (entry / "files" / "figures" / "a.csv").write_text("damaged")
    assert cache.lookup("01_x", "key1") is None
    cache.store("02_y", "k", {"t.csv": source})
    cache.prune({"02_y"})
    assert cache.lookup("02_y", "k") is not None and not (entry).exists()


# --- the notebook pages -----------------------------------------------------------------------------------------

def test_a_cell_tagged_narrative_shows_its_output_without_its_code(tmp_path):
    import nbformat

    from rhetoric.report.runner import NAV_MARKER, write_notebook_html

    nb = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_code_cell("shown_code_marker = 1\nprint('shown output')")
    shown.outputs = [nbformat.v4.new_output("stream", name="stdout", text="shown output\n")]
    hidden = nbformat.v4.new_code_cell("narrative_code_marker = 2\nprint('n = 17 documents')",
                                       metadata={"tags": ["narrative"]})
    hidden.outputs = [nbformat.v4.new_output("stream", name="stdout", text="n = 17 documents\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# A title"), shown, hidden]
    write_notebook_html(nb, tmp_path / "page.html")
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert "shown_code_marker" in page and "shown output" in page
    assert "narrative_code_marker" not in page  # the code of the narrative cell is hidden ...
    assert "n = 17 documents" in page  # ... its output, the sentence with the computed number, is shown
    assert NAV_MARKER in page and "<script" not in page
    assert f'content="{site.site_policy(scripts=False)}"' in page
