"""The report in a real browser (headless Chromium): every image loads, no link is broken, planted script never runs.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them). Without them the tests skip
with the reason, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from rhetoric import config

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def inspect(driver, page: Path) -> dict:
    """Open ``page`` and report what a reader would meet: images, links, title, planted globals, alerts."""
    from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException

    try:
        driver.get(page.resolve().as_uri())
        for _ in range(240):  # wait for every image to finish (loaded or failed)
            if driver.execute_script("return Array.from(document.images).every(i => i.complete)"
                                     " && document.readyState === 'complete'"):
                break
            time.sleep(0.25)
        images = driver.execute_script(
            "return Array.from(document.images).map(i => [i.getAttribute('src').slice(0, 80), i.naturalWidth])")
        links = driver.execute_script("return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
        ids = set(driver.execute_script("return Array.from(document.querySelectorAll('[id]')).map(e => e.id)"))
        state = driver.execute_script("return [document.title, typeof window.__pwned]")
    except UnexpectedAlertPresentException:
        return {"alert": True}
    try:
        driver.switch_to.alert
        alert = True
    except NoAlertPresentException:
        alert = False
    return {"alert": alert, "images": images, "links": links, "ids": ids, "title": state[0],
            "pwned": state[1] != "undefined"}


def broken_links(result: dict, page: Path) -> list[str]:
    broken = []
    for href in result["links"]:
        url = urlparse(href)
        if url.scheme == "data":
            continue  # a download the page made itself (the Explorer's PNG, SVG and CSV of a chart): no request
        if url.scheme != "file":
            broken.append(f"{href[:120]} (not a file of the report)")
            continue
        target = Path(unquote(url.path))
        if not target.exists():
            broken.append(href)
        elif url.fragment and target.resolve() == page.resolve() and url.fragment not in result["ids"]:
            broken.append(f"{href} (no element with that id)")
    return broken


def check_page(driver, page: Path, *, links: bool = True) -> dict:
    result = inspect(driver, page)
    assert not result["alert"], f"{page.name}: a planted alert() ran"
    assert result["title"] != "pwned" and not result["pwned"], f"{page.name}: planted script ran"
    unloaded = [src for src, width in result["images"] if not width]
    assert not unloaded, f"{page.name}: images that do not load: {unloaded}"
    if links:
        assert not broken_links(result, page), f"{page.name}: broken links {broken_links(result, page)}"
    return result


def test_checker_catches_script_and_broken_images(browser, tmp_path):
    """The checks can fail: a page with a running script, a missing image and a dead link is caught."""
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>window.__pwned = 1; document.title = 'pwned'</script>"
                    "<img src='missing.png'><a href='nowhere.html'>x</a></body></html>")
    result = inspect(browser, page)
    assert result["pwned"] and result["title"] == "pwned"
    assert [width for _, width in result["images"]] == [0]
    assert broken_links(result, page) == [(tmp_path / "nowhere.html").as_uri()]


SITE_PAGES = ("index.html", "explorer.html", "figures.html", "provenance.html", "all.html")


def test_built_report_in_the_browser(browser, planted_report):
    out = planted_report.parent
    figures = sorted((out / "figures").glob("*.png"))
    for name in SITE_PAGES:
        result = check_page(browser, out / name)
        if name in ("figures.html", "all.html"):  # every figure, on the gallery and on the one page
            assert figures and len(result["images"]) == len(figures), name
    for page in sorted((out / "pages").glob("*.html")):
        check_page(browser, page)
    for notebook in sorted((out / "notebooks").glob("*.html")):
        check_page(browser, notebook, links=False)  # the notebooks' own links (documentation) are theirs


def test_committed_report_in_the_browser(browser):
    index = config.REPORTS_DIR / "index.html"
    if not index.exists():
        pytest.skip("no committed report yet (run `make report`)")
    gallery = config.REPORTS_DIR / "figures.html"
    result = check_page(browser, gallery if gallery.exists() else index)  # a report from before the site: one page
    assert len(result["images"]) == len(list((config.REPORTS_DIR / "figures").glob("*.png")))
    if gallery.exists():
        for name in SITE_PAGES:
            check_page(browser, config.REPORTS_DIR / name)
