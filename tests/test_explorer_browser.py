"""The Explorer in headless Chromium: the same answers as the command line, the same matcher as Python, no script
from the corpus, no request outside the report folder, no console error.

The JavaScript matcher (assets/matcher.js) is a port of rhetoric.patterns; here both run on the bundled corpus for
words, hyphenated words, phrases, globs, alternatives, optional words, regular expressions and every lexicon
variant, and must find the same hits. The counts the pages show are compared with `rhetoric kwic` and
`rhetoric formulas` run as commands.

Needs Debian's ``chromium`` and ``chromium-driver``; without them the tests skip, except under CI (``CI=true``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PLANTED_TEXT, write_small_corpus

from rhetoric import config
from rhetoric.corpus import load_corpus, tokenize
from rhetoric.patterns import find

pytestmark = [pytest.mark.slow, pytest.mark.browser]

RHETORIC = str(Path(sys.executable).parent / "rhetoric")

PATTERNS = [
    # words, case and clitics
    "golden", "Cooperation", "china", "'s", "China's", "U.S.", "21.2", "percent", "the",
    # hyphens: loose by default
    "win-win", "win win", "people-to-people", "people to people", "China-Kazakhstan", "Kazakhstan-China",
    "good-neighbourly", "good neighbourly", "good-neighborly", "neighbourliness", "belt-and-road", "high-quality",
    # phrases
    "shared future", "community with a shared future", "the Belt and Road", "golden thirty years", "of the",
    # globs: a whole token or one hyphen-part
    "golden *", "develop*", "*tion", "good neighbo*", "co[mn]*", "[!a-c]*ship", "Kazakh*", "*-*", "*", "China *",
    "* cooperation", "[a-c]*[s-z]", "win-*", "*-china", "a *? future", "neighbour*",
    # alternatives and optional words
    "(shared|common) future", "(China|Kazakhstan) (and|-) *",
    "community (of|with) (a)? (shared|common) (future|destiny)",
    "the? Belt and Road", "community with a shared future (for mankind)?", "new? era", "(very)? important (to|for)",
    "(win-win | mutually beneficial) cooperation", "((a|the) (new|golden))? *",
    # regular expressions for one token
    "/partner(s|ship)?/", "/[0-9]+/", "/[0-9]+[.,][0-9]+/", "/.*ly/", "/kazakh.*/ relations", "/\\d{4}/",
    "/\\w+-\\w+/",
]
CASE_SENSITIVE = ["China", "The", "the", "belt and road", "Belt and Road", "Kazakh*", "/[A-Z].*/ *", "win-win"]
REJECTED = ["(shared", "shared)", "?", "a (b|c", "/abc", "(?)", "((" * 9 + "x" + "))" * 9, "( | )", "x " * 1001]


@pytest.fixture(autouse=True)
def _fresh_logs(browser):
    """Each test reads only its own console messages and requests."""
    browser.get_log("browser")
    browser.get_log("performance")


QUICK = ["from pathlib import Path\n"
         "import pandas as pd\n"
         "from rhetoric.report.plots import save_table\n"
         "save_table(pd.DataFrame({'term': ['b', 'a', 'c'], 'count': [2, 10, 1]}), 'counts',\n"
         "           out_dir=Path(output_dir) / 'tables', caption='Three terms')"]


def build_site(base: Path, corpus: Path | None) -> Path:
    """A report of one quick notebook: the whole site, with the Explorer of ``corpus`` (default: the bundled one)."""
    import nbformat

    from rhetoric.report.build import build_report

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# 1. Quick: a table"),
                nbformat.v4.new_code_cell("corpus_dir = None\noutput_dir = 'out'", metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in QUICK]
    (base / "nb").mkdir(parents=True)
    nbformat.write(nb, base / "nb" / "01_quick.ipynb")
    return build_report(corpus_dir=corpus, out_dir=base / "site", notebooks=base / "nb", progress=False).parent


@pytest.fixture(scope="module")
def project_site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("explorer"), None)


def run_cli(*args: str) -> list[dict]:
    result = subprocess.run([RHETORIC, *args, "--format", "csv"], capture_output=True, text=True,
                            env=dict(os.environ, RHETORIC_QUIET="1"), check=True)
    return list(csv.DictReader(io.StringIO(result.stdout)))


def open_page(driver, page: Path, fragment: str = "") -> None:
    driver.get(page.resolve().as_uri() + fragment)
    for _ in range(240):
        if driver.execute_script("return document.readyState === 'complete' && "
                                 "(!document.getElementById('formula-picker') || "
                                 "document.body.getAttribute('data-explorer-ready') === 'true')"):
            return
        time.sleep(0.25)
    raise AssertionError(f"{page.name} did not finish loading")


def wait_for(driver, script: str, what: str, seconds: float = 30):
    for _ in range(int(seconds * 10)):
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def problems(driver, folder: Path) -> dict:
    """Console errors and requests outside ``folder`` since the last call (the logs are read and emptied)."""
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    prefix = folder.resolve().as_uri() + "/"
    outside = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            if message["params"].get("documentURL", "").startswith(("chrome", "about:", "devtools:")):
                continue  # the browser's own start page, not one of ours
            url = message["params"]["request"]["url"]
            if not (url.startswith(prefix) or url.startswith("data:")):
                outside.append(url)
    return {"console": errors, "outside": outside}


def search(driver, pattern: str, *, all_versions: bool = False) -> int:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.ID, "pattern")
    checkbox = driver.find_element(By.ID, "all-versions")
    if checkbox.is_selected() != all_versions:
        checkbox.click()
    box.clear()
    driver.execute_script("document.getElementById('search-status').removeAttribute('data-lines')")
    box.send_keys(pattern)
    box.send_keys(Keys.ENTER)
    lines = wait_for(driver, "return document.getElementById('search-status').getAttribute('data-lines')",
                     f"the lines of {pattern!r}")
    return int(lines)


# --- the same answers as the command line -----------------------------------------------------------------------

def test_golden_gives_as_many_lines_as_rhetoric_kwic_and_opens_its_paragraph(browser, project_site):
    from selenium.webdriver.common.by import By

    expected = run_cli("kwic", "golden")
    assert len(expected) >= 2
    open_page(browser, project_site / "explorer.html")
    assert search(browser, "golden") == len(expected)
    shown = browser.execute_script("return Array.from(document.querySelectorAll('#kwic tbody tr'))"
                                   ".map(r => Array.from(r.cells).map(c => c.textContent))")
    assert len(shown) == len(expected)
    # columns: #, document, date, genre, left, match, right; in corpus order, as the command prints them
    assert [(r[1], r[4], r[5], r[6]) for r in shown] == [(e["doc_id"], e["left"], e["match"], e["right"])
                                                         for e in expected]
    docs = load_corpus().set_index("doc_id")
    assert [(r[2], r[3]) for r in shown] == [(str(docs.loc[e["doc_id"], "date"]), str(docs.loc[e["doc_id"], "genre"]))
                                             for e in expected]
    browser.find_elements(By.CSS_SELECTOR, "#kwic button.open-paragraph")[0].click()
    view = browser.find_element(By.ID, "search-paragraph")
    assert view.is_displayed()
    first = expected[0]
    text = docs.loc[first["doc_id"], "text"]
    paragraph = next(p for p in text.split("\n\n") if int(first["start"]) >= text.index(p.strip())
                     and int(first["end"]) <= text.index(p.strip()) + len(p.strip()))
    assert browser.find_element(By.CSS_SELECTOR, "#search-paragraph .para-a p.paragraph-text").text == \
        " ".join(paragraph.split())
    assert browser.find_element(By.CSS_SELECTOR, "#search-paragraph mark.current").text == first["match"]
    assert problems(browser, project_site) == {"console": [], "outside": []}


def test_a_translated_texts_paragraph_opens_beside_the_other_version(browser, project_site):
    from selenium.webdriver.common.by import By

    from rhetoric.formulas.translation import align_paragraphs

    docs = load_corpus()
    tokens = tokenize(docs)
    alignment = align_paragraphs(tokens, docs)
    hits = find(tokens, "community of common destiny")  # the unofficial translation's rendering
    assert len(hits) >= 1 and set(hits["doc_id"]) <= set(alignment["doc_b"])
    open_page(browser, project_site / "explorer.html")
    assert search(browser, "community of common destiny", all_versions=True) == len(hits)
    row = browser.execute_script("return Array.from(document.querySelector('#kwic tbody tr').cells)"
                                 ".map(c => c.textContent)")
    assert row[1] == hits["doc_id"].iloc[0]
    browser.find_element(By.CSS_SELECTOR, "#kwic button.open-paragraph").click()
    heading = browser.find_element(By.CSS_SELECTOR, "#search-paragraph .para-a h4").text
    paragraph = int(heading.split("paragraph ")[1].split(" of")[0]) - 1
    # the paragraph of the official version that rhetoric align pairs with it
    pair = alignment[(alignment["doc_b"] == row[1]) & (alignment["para_b"] == paragraph)]
    assert len(pair) == 1 and pair["kind"].iloc[0] == "1-1"
    other = browser.find_element(By.CSS_SELECTOR, "#search-paragraph .para-b")
    assert other.find_element(By.CSS_SELECTOR, "h4").text.startswith(pair["doc_a"].iloc[0])
    assert other.find_element(By.CSS_SELECTOR, "p.paragraph-text").text == " ".join(pair["text_a"].iloc[0].split())
    assert problems(browser, project_site) == {"console": [], "outside": []}


def test_formula_picker_shows_the_counts_of_rhetoric_formulas_and_tables_sort(browser, project_site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    expected = [(r["group"], int(r["count"])) for r in run_cli("formulas")
                if r["formula_id"] == "community_shared_future"]
    open_page(browser, project_site / "explorer.html")
    Select(browser.find_element(By.ID, "formula-picker")).select_by_visible_text("community with a shared future")

    def rows():
        return browser.execute_script("return Array.from(document.querySelectorAll('#formula-doc-table tbody tr'))"
                                      ".map(r => [r.cells[0].textContent, r.cells[3].textContent])")

    wait_for(browser, "return document.querySelectorAll('#formula-doc-table tbody tr').length > 0", "the counts")
    assert [(d, int(c)) for d, c in rows()] == expected
    header = browser.find_element(By.XPATH, "//table[@id='formula-doc-table']//th[normalize-space()='count']")
    header.find_element(By.CSS_SELECTOR, ".dt-column-order").click()
    wait_for(browser, "return document.querySelector('#formula-doc-table th[aria-sort=ascending]') !== null", "sort")
    assert [int(c) for _, c in rows()] == sorted(c for _, c in expected)
    header.find_element(By.CSS_SELECTOR, ".dt-column-order").click()
    wait_for(browser, "return document.querySelector('#formula-doc-table th[aria-sort=descending]') !== null", "sort")
    assert [int(c) for _, c in rows()] == sorted((c for _, c in expected), reverse=True)
    # its concordance: one line per hit of the formula in the documents that count
    hits = [r for r in run_cli("formulas", "--hits") if r["formula_id"] == "community_shared_future"]
    counted = {d for d, _ in expected}
    status = browser.find_element(By.ID, "formula-lines-status").text
    assert status.startswith(f"{sum(1 for h in hits if h['doc_id'] in counted)} concordance line")
    assert problems(browser, project_site) == {"console": [], "outside": []}


def test_a_table_of_a_notebook_page_sorts(browser, project_site):
    from selenium.webdriver.common.by import By

    open_page(browser, project_site / "pages" / "01_quick.html")
    wait_for(browser, "return document.querySelector('table.data-table.dataTable') !== null", "DataTables")

    def counts():
        return browser.execute_script("return Array.from(document.querySelectorAll('table.data-table tbody tr'))"
                                      ".map(r => r.cells[1].textContent)")

    assert counts() == ["2", "10", "1"]
    header = browser.find_element(By.XPATH, "//table[contains(@class,'data-table')]//th[normalize-space()='count']")
    header.find_element(By.CSS_SELECTOR, ".dt-column-order").click()
    wait_for(browser, "return document.querySelector('table.data-table th[aria-sort]') !== null", "the sort")
    assert counts() == ["1", "2", "10"]  # numbers, not text ("10" < "2")
    assert problems(browser, project_site) == {"console": [], "outside": []}


def test_every_page_of_the_site_loads_without_errors_or_outside_requests(browser, project_site):
    pages = sorted(p for p in project_site.rglob("*.html"))
    assert {p.relative_to(project_site).as_posix() for p in pages} >= {
        "index.html", "explorer.html", "figures.html", "provenance.html", "all.html", "pages/01_quick.html",
        "notebooks/01_quick.html"}
    for page in pages:
        open_page(browser, page, "#q=golden" if page.name == "explorer.html" else "")
        assert problems(browser, project_site) == {"console": [], "outside": []}, page.name


# --- one matcher: the JavaScript port finds what Python finds ---------------------------------------------------

def js_find(driver, pattern: str, **options) -> list[tuple[str, int, int]] | str:
    return driver.execute_script(
        "const data = window.RHETORIC_EXPLORER_DATA;"
        "try { return RhetoricMatcher.find(data, arguments[0], arguments[1])"
        "  .map(h => [data.documents[h.doc].doc_id, h.start, h.end]); }"
        "catch (e) { if (e instanceof RhetoricMatcher.PatternError) return 'error: ' + e.message; throw e; }",
        pattern, {"allVersions": True, **options})


def test_javascript_matcher_finds_what_the_python_matcher_finds(browser, project_site):
    from rhetoric.formulas.counts import resolve_lexicon

    docs = load_corpus()
    tokens = tokenize(docs)
    open_page(browser, project_site / "explorer.html")
    lexicon = resolve_lexicon(None, docs)
    patterns = PATTERNS + sorted(set(lexicon["pattern"]))
    compared = 0
    for pattern in patterns:
        hits = find(tokens, pattern)
        python = [[d, int(s), int(e)] for d, s, e in zip(hits["doc_id"], hits["token_start"], hits["token_end"])]
        assert js_find(browser, pattern) == python, pattern
        compared += len(python)
    for pattern in CASE_SENSITIVE:
        hits = find(tokens, pattern, case_sensitive=True, docs=docs)
        python = [[d, int(s), int(e)] for d, s, e in zip(hits["doc_id"], hits["token_start"], hits["token_end"])]
        assert js_find(browser, pattern, caseSensitive=True) == python, pattern
    assert compared > 2000  # the comparison covers real hits, not empty lists
    assert problems(browser, project_site)["console"] == []


def test_javascript_matcher_refuses_what_python_refuses_and_unsafe_regexes(browser, project_site):
    from rhetoric.errors import ParameterError
    from rhetoric.patterns import parse_pattern

    open_page(browser, project_site / "explorer.html")
    for pattern in REJECTED:
        with pytest.raises(ParameterError):
            parse_pattern(pattern)
        assert str(js_find(browser, pattern)).startswith("error: "), pattern
    # the browser has no time limit for a regular expression: nested repetition is refused, with the reason
    for pattern in ("/(a+)+b/", "/(a|aa)+/", "/(x*)*/"):
        assert "nested repetition" in js_find(browser, pattern), pattern
    assert "Python syntax" in js_find(browser, "/(?P<x>a)/")
    assert "backreferences" in js_find(browser, "/(a)\\1/")


def test_concordance_lines_are_cut_as_rhetoric_kwic_cuts_them(browser, project_site):
    from rhetoric.stats.kwic import kwic

    docs = load_corpus()
    tokens = tokenize(docs)
    open_page(browser, project_site / "explorer.html")
    for pattern in ("golden *", "cooperation", "(shared|common) future", "win-win"):
        python = kwic(tokens, docs, pattern)[["doc_id", "left", "match", "right"]].values.tolist()
        js = browser.execute_script(
            "const data = window.RHETORIC_EXPLORER_DATA;"
            "return RhetoricMatcher.kwicLines(data, RhetoricMatcher.find(data, arguments[0]))"
            ".map(l => [data.documents[l.doc].doc_id, l.left, l.match, l.right]);", pattern)
        assert js == python, pattern


# --- planted markup never runs ----------------------------------------------------------------------------------

JAVASCRIPT_LINK = ('<a href="javascript:window.__pwned=3">golden link</a> [golden](javascript:window.__pwned=4) '
                   '<svg onload="window.__pwned=5"></svg> golden thirty years')


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("planted-explorer")
    corpus = write_small_corpus(base / "corpus")
    with open(corpus / "corpus.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:  # a javascript: link and an svg handler in the official Xinhua text too
        if row["doc_id"] == "xi2022_xinhua":
            path = corpus / row["file"]
            path.write_text(path.read_text(encoding="utf-8") + "\n" + JAVASCRIPT_LINK + "\n", encoding="utf-8")
            import hashlib

            row["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    with open(corpus / "corpus.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return build_site(base, corpus)


def nothing_ran(driver) -> dict:
    return driver.execute_script(
        "return {pwned: typeof window.__pwned, title: document.title,"
        " javascriptLinks: document.querySelectorAll('a[href^=\"javascript:\" i]').length,"
        " plantedImages: document.querySelectorAll('img[src=\"x\"], main svg[onload]').length,"
        " scripts: Array.from(document.scripts).map(s => s.getAttribute('src'))}")


def test_planted_markup_shows_as_text_and_never_runs(browser, planted_site):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    shipped = ["assets/vendor/datatables.js", "assets/vendor/vega.js", "explorer/data.js", "assets/matcher.js",
               "assets/site.js", "assets/explorer.js"]
    open_page(browser, planted_site / "explorer.html")
    for pattern, doc_id in (("alert", "cgtn2024_visit"), ("script", "cgtn2024_visit"), ("onerror", "cgtn2024_visit"),
                            ("golden link", "xi2022_xinhua"), ("javascript", "xi2022_xinhua")):
        assert search(browser, pattern, all_versions=True) >= 1, pattern
        for button in browser.find_elements(By.CSS_SELECTOR, "#kwic button.open-paragraph"):
            button.click()
        paragraph = browser.find_element(By.CSS_SELECTOR, "#search-paragraph .para-a").text
        assert doc_id in paragraph
        state = nothing_ran(browser)
        assert state == {"pwned": "undefined", "title": "Explorer · diplomatic-rhetoric report", "javascriptLinks": 0,
                         "plantedImages": 0, "scripts": shipped}, pattern
    # the planted text is shown as text
    assert search(browser, "bold", all_versions=True) == 1
    browser.find_element(By.CSS_SELECTOR, "#kwic button.open-paragraph").click()
    assert PLANTED_TEXT in browser.find_element(By.CSS_SELECTOR, "#search-paragraph .para-a").text
    assert "<script>document.title='pwned'</script>" in \
        browser.find_element(By.CSS_SELECTOR, "#search-paragraph .doc-title").text
    # formulas whose lines and paragraphs hold the planted texts
    picker = Select(browser.find_element(By.ID, "formula-picker"))
    for label in ("golden thirty years", "community with a shared future"):
        picker.select_by_visible_text(label)
        browser.find_element(By.ID, "formula-all-versions").click()
        for button in browser.find_elements(By.CSS_SELECTOR, "#formula-lines button.open-paragraph"):
            button.click()
        assert nothing_ran(browser)["pwned"] == "undefined"
    try:
        browser.switch_to.alert
        raise AssertionError("a planted alert() ran")
    except NoAlertPresentException:
        pass
    for page in sorted(planted_site.rglob("*.html")):
        open_page(browser, page)
        state = nothing_ran(browser)
        assert state["pwned"] == "undefined" and "pwned" not in state["title"], page.name
        assert state["javascriptLinks"] == 0 and state["plantedImages"] == 0, page.name
    assert problems(browser, planted_site) == {"console": [], "outside": []}
    assert config.CONTENT_SECURITY_POLICY  # the pages carry it (checked in test_site.py)


CHINESE = {
    "zh1": ("2023-05-19", "", "", "2023", "中哈两国要携手构建人类命运共同体。双方坚持合作共赢，"
                                         "推动高质量共建“一带一路”。\n\n"
                                         "2022年，两国关系进入新阶段，合作共赢的成果惠及两国人民。"),
    "zh2": ("2024-07-03", "", "", "2024", "中國和哈薩克斯坦推動構建人類命運共同體，深化互利合作。"),
}
CHINESE_PATTERNS = ["人类命运共同体", "人類命運共同體", "构建人类命运共同体", "合作共赢", "一带一路", "共建“一带一路”",
                    "两国", "两国 人民", "2022年", "合作*", "(合作共赢|互利合作)", "推动 构建? 人类命运共同体"]


def test_javascript_matcher_on_chinese_text_finds_what_python_finds(browser, project_site, tmp_path):
    """Chinese pattern words: kept whole where the lexicon has them, traditional folded to simplified, and cut
    elsewhere at the corpus's words (Python cuts there with jieba: the same on these patterns)."""
    from conftest import write_corpus

    from rhetoric.report.explorer import explorer_data

    docs = load_corpus(write_corpus(tmp_path / "zh", CHINESE))
    tokens = tokenize(docs, cache=False)
    data = explorer_data(tokens, docs)
    assert data["chinese"] is not None and data["chinese"]["t2s"]["體"] == "体"
    open_page(browser, project_site / "explorer.html")
    found = 0
    for pattern in CHINESE_PATTERNS:
        hits = find(tokens, pattern)
        python = [[d, int(s), int(e)] for d, s, e in zip(hits["doc_id"], hits["token_start"], hits["token_end"])]
        js = browser.execute_script(
            "const data = arguments[0];"
            "return RhetoricMatcher.find(data, arguments[1], {allVersions: true})"
            ".map(h => [data.documents[h.doc].doc_id, h.start, h.end]);", data, pattern)
        assert js == python, pattern
        found += bool(python)
    assert found >= 8  # most of the patterns occur: the comparison is about real hits
