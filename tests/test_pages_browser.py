"""The pages of a real ``graphkit serve`` in headless Chromium, as a person uses them: the home
page, a search for "relapse", JMML in relapse with its ICD-10-CM code C93.32 and the quote behind
it, that quote marked in the ICD-10 page, the relapse-treatments-by-site form submitted with a
parameter and its table downloaded; keyboard and phone width.

Drives Debian's ``chromium`` over the DevTools protocol (``tests/cdp.py``); screenshots go to
``artifacts/`` (``docs/img/pages_entity.png``, the README's, is a copy of ``pages_entity.png``). Skips only without Chromium.
"""

from __future__ import annotations

import csv
import io
import time

import pytest

from .cdp import Browser, find_chromium
from .conftest import ROOT

CHROMIUM = find_chromium()
ARTIFACTS = ROOT / "artifacts"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH "
                                 "(install the Debian package: apt-get install -y chromium)")]


@pytest.fixture(scope="module")
def browser():
    with Browser(CHROMIUM) as chromium:
        yield chromium


def navigate(browser: Browser, action: str) -> None:
    """Run ``action`` (JavaScript that makes the page navigate) and wait for the new page."""
    browser.events.clear()
    browser.evaluate(action)
    browser.wait_for_event("Page.loadEventFired")


def visit(browser: Browser, url: str) -> None:
    navigate(browser, f"location.assign({url!r})")


def shot(browser: Browser, name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    browser.screenshot(path)
    assert path.stat().st_size > 10_000
    return path


def text_of(browser: Browser, selector: str) -> str:
    return browser.evaluate(f"document.querySelector({selector!r}).textContent")


def test_a_person_finds_jmml_in_relapse_its_code_and_the_quote(served, browser, store):
    visit(browser, served.base_url + "/")
    assert text_of(browser, "h1") == "Pediatric leukemia knowledge graph"
    assert browser.evaluate("document.querySelectorAll('ul.kinds li').length") > 30
    shot(browser, "pages_home.png")
    # a new browser's first page asks for the site's icon: /favicon.ico was a 404 in the console
    time.sleep(0.5)
    assert browser.console_errors() == []

    # the keyboard reaches the skip link first, then the site's links
    browser.call("Input.dispatchKeyEvent", type="keyDown", key="Tab", code="Tab", windowsVirtualKeyCode=9)
    browser.call("Input.dispatchKeyEvent", type="keyUp", key="Tab", code="Tab", windowsVirtualKeyCode=9)
    assert browser.evaluate("document.activeElement.className") == "skip"

    # types "relapse" in the search box and submits it
    navigate(browser, "(() => { document.getElementById('q').value = 'relapse';"
                      " document.querySelector('form.search button').click(); })()")
    assert browser.evaluate("location.pathname + location.search") == "/search?q=relapse"
    names = browser.evaluate("[...document.querySelectorAll('ul.hits a')].map(a => a.textContent)")
    assert names[0] == "relapse" and "juvenile myelomonocytic leukemia, in relapse" in names

    # lands on JMML in relapse: the code C93.32, and the sentence behind it
    navigate(browser, "[...document.querySelectorAll('ul.hits a')]"
                      ".find(a => a.textContent === 'juvenile myelomonocytic leukemia, in relapse').click()")
    assert browser.evaluate("location.pathname") == "/entity/jmml_in_relapse"
    assert text_of(browser, "h1") == "juvenile myelomonocytic leukemia, in relapse"
    ids = browser.evaluate("[...document.querySelectorAll('ul.ids a[rel=external]')].map(a => a.textContent)")
    assert "ICD10CM:C93.32" in ids and "MONDO:0011908" in ids
    quote = "document.querySelector('a[href=\"/source/icd10_c93_32_page#119-138\"]')"
    assert browser.evaluate(f"{quote}.textContent") == "ICD-10 code: C93.32"
    browser.evaluate(f"{quote}.scrollIntoView({{block: 'center'}})")
    shot(browser, "pages_entity_jmml_relapse.png")
    browser.evaluate("window.scrollTo(0, 0)")
    shot(browser, "pages_entity.png")           # the README's picture (docs/img/pages_entity.png is a copy)

    # the quote opens the ICD-10 page at that passage, marked
    navigate(browser, f"{quote}.click()")
    browser.wait_until("document.querySelectorAll('.q.current').length > 0")
    assert browser.evaluate("location.pathname + location.hash") == "/source/icd10_c93_32_page#119-138"
    marked = browser.evaluate("[...document.querySelectorAll('.q.current')].map(e => e.textContent).join('')")
    assert marked == "ICD-10 code: C93.32"
    # the keyboard starts from the passage: focus is on its link, as after a change of #start-end
    browser.wait_until("document.activeElement.classList.contains('current')")
    assert browser.evaluate("getComputedStyle(document.querySelector('.q.current')).backgroundColor") \
        == "rgb(255, 179, 71)"
    spans = store.query("SELECT DISTINCT ?start ?end WHERE { ?ev dcterms:source gksrc:icd10_c93_32_page ; "
                        "oa:hasTarget/oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end }").rows
    assert browser.evaluate("document.querySelectorAll('span.anchor').length") == len(spans) == 31   # every passage
    assert browser.evaluate("document.querySelectorAll('ol.passages > li').length") == len(spans)
    shot(browser, "pages_source_icd10.png")
    assert browser.console_errors() == []


def test_a_bookmarked_passage_no_statement_quotes_is_said_so(served, browser):
    """/source/icd10_c93_32_page#120-138, one character off the quoted 119-138 (or offsets of
    another release): the page opened at its top with nothing marked and no word why. Back and
    forward move between such an address and a quoted passage, each said or marked."""
    notice = "document.getElementById('no-passage')"
    visit(browser, served.base_url + "/")       # from another page: a change of #start-end alone loads nothing
    visit(browser, served.base_url + "/source/icd10_c93_32_page#120-138")
    browser.wait_until(f"!{notice}.hidden")
    assert text_of(browser, "#no-passage") == ("No quoted passage spans characters 120-138 of this text: the quoted "
                                               "passages are highlighted below, and listed under “Statements by "
                                               "passage”.")
    assert browser.evaluate("document.querySelectorAll('.q.current').length") == 0
    browser.evaluate("location.hash = '#119-138'")
    browser.wait_until(f"{notice}.hidden && document.querySelectorAll('.q.current').length > 0")
    browser.evaluate("history.back()")
    browser.wait_until(f"!{notice}.hidden && location.hash === '#120-138'")
    assert browser.evaluate("document.querySelectorAll('.q.current').length") == 0
    browser.evaluate("history.forward()")
    browser.wait_until(f"{notice}.hidden && location.hash === '#119-138'")
    browser.evaluate("location.hash = '#120-138'")
    browser.wait_until(f"!{notice}.hidden")
    browser.evaluate("location.hash = '#statements'")          # a heading's anchor is no passage
    browser.wait_until(f"{notice}.hidden && location.hash === '#statements'")
    assert browser.console_errors() == []


def test_the_catalogue_form_runs_with_a_parameter_and_its_table_downloads(served, browser, tmp_path):
    visit(browser, served.base_url + "/catalogue/relapse-treatments-by-site")
    assert browser.evaluate("document.getElementById('param-disease').value") == "any"
    # the field suggests the parameter's kind, the 69 diseases and diseases in a state, not all 817 entities
    assert browser.evaluate("document.getElementById('param-disease').list.options.length") == 69
    assert browser.evaluate("[...document.getElementById('param-disease').list.options].some(o => o.value === 'jmml')")
    navigate(browser, "(() => { document.getElementById('param-disease').value = 'jmml';"
                      " document.querySelector('form.params button').click(); })()")
    assert browser.evaluate("location.search") == "?disease=jmml"
    rows = browser.evaluate("[...document.querySelectorAll('#results tbody tr')]"
                            ".map(tr => [...tr.cells].map(td => td.textContent))")
    assert len(rows) == 7
    assert ["juvenile myelomonocytic leukemia in early relapse after hematopoietic stem cell transplantation",
            "second allogeneic hematopoietic stem cell transplantation", "possible", "", "", "",
            "within 6 months of the first transplant", "", "004"] in rows
    shot(browser, "pages_catalogue_relapse_treatments.png")

    # the CSV link downloads the same table
    browser.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(tmp_path))
    browser.evaluate("document.querySelector('a[href^=\"/catalogue/relapse-treatments-by-site.csv\"]').click()")
    target = tmp_path / "relapse-treatments-by-site_disease-jmml.csv"      # named by its parameters
    deadline = time.monotonic() + 30
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    table = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert table[0][:2] == ["state_label", "therapy_label"] and sorted(table[1:]) == sorted(rows)
    assert browser.console_errors() == []


def test_pages_fit_a_phone(served, browser):
    browser.call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True)
    try:
        for path in ("/", "/entity/jmml_in_relapse", "/source/icd10_c93_32_page",
                     "/catalogue/relapse-treatments-by-site?disease=jmml"):
            visit(browser, served.base_url + path)
            overflow = browser.evaluate("document.documentElement.scrollWidth")
            assert overflow <= 390, (path, overflow)
        visit(browser, served.base_url + "/entity/jmml_in_relapse")
        shot(browser, "pages_entity_phone.png")
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")
