"""The pages of a real ``graphkit serve`` checked by axe-core, the accessibility engine browsers'
developer tools and most audit tools run, in headless Chromium: every rule tagged WCAG 2.0 or 2.1,
level A or AA (``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa``: colour contrast, form labels,
link and button names, ``lang``, table headers, duplicate ids, ARIA use ...), on each kind of page:
home, a search, two entities (childhood ALL is the largest page), a source with its highlighted
passages (one of them marked, as a quote's link opens it), the catalogue, a query's form and its
answer, the SPARQL editor with an answer, a kind, and a 404 with suggestions; a few again at a
phone's width. Closed ``<details>`` are opened first, so what they hide is checked too.

A page passes with no violation at all, of any impact. What axe cannot decide alone ("incomplete":
text in a table scrolled sideways, a long inline value beside another) is printed, not failed.

axe-core is pinned by ``tests/a11y/package-lock.json`` (``cd tests/a11y && npm ci``; ``.ci/run``
does it). Skips without Chromium or without that install.
"""

from __future__ import annotations

import json
import time

import pytest

from .cdp import Browser, find_chromium
from .conftest import ROOT

CHROMIUM = find_chromium()
A11Y = ROOT / "tests" / "a11y"
AXE = A11Y / "node_modules" / "axe-core" / "axe.min.js"
PINNED = json.loads((A11Y / "package.json").read_text(encoding="utf-8"))["dependencies"]["axe-core"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH "
                                 "(install the Debian package: apt-get install -y chromium)"),
              pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed in tests/a11y "
                                 "(Node 20+: cd tests/a11y && npm ci)")]

# (address, text the page's h1 holds: the page is the one meant, not an error in its place)
PAGES = [
    ("/", "Pediatric leukemia knowledge graph"),
    ("/search?q=relapse", "Search: relapse"),
    ("/entity/jmml_in_relapse", "juvenile myelomonocytic leukemia, in relapse"),
    ("/entity/childhood_all", "childhood acute lymphoblastic leukemia"),
    ("/source/nci_pdq_childhood_all", "Childhood Acute Lymphoblastic Leukemia (PDQ®)"),
    ("/source/icd10_c93_32_page#119-138", "Juvenile myelomonocytic leukemia, in relapse (ICD-10 code C93.32)"),
    ("/catalogue", "Query catalogue"),
    ("/catalogue/relapse-treatments-by-site", "relapse-treatments-by-site"),
    ("/catalogue/relapse-treatments-by-site?disease=jmml", "relapse-treatments-by-site"),
    ("/sparql?query=SELECT+%3Fentity+%3Flabel+WHERE+%7B+%3Fentity+a+gk%3ADrug+%3B+rdfs%3Alabel+%3Flabel+%7D+LIMIT+20",
     "SPARQL editor"),
    ("/search?kind=gk:Drug", "Kind: drug"),
    ("/entity/jmml_relapsed", "Not found"),
]
ON_A_PHONE = ["/", "/entity/jmml_in_relapse", "/source/icd10_c93_32_page#119-138",
              "/catalogue/relapse-treatments-by-site?disease=jmml"]

RUN = """axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations", "incomplete"]})
  .then(r => ({version: axe.version, rules: r.passes.length + r.violations.length + r.incomplete.length,
    found: [r.violations, r.incomplete].map(list => list.map(v => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
      html: v.nodes.slice(0, 2).map(n => n.html.slice(0, 160))})))}))""" % json.dumps(TAGS)


@pytest.fixture(scope="module")
def browser():
    with Browser(CHROMIUM, timeout=120) as chromium:      # axe takes seconds on the largest pages
        yield chromium


def axe_check(browser: Browser, url: str, heading: str) -> dict:
    """Open ``url``, check it is the page meant, open its ``<details>``, run axe on it."""
    browser.events.clear()
    browser.open(url)
    assert heading in browser.evaluate("document.querySelector('h1').textContent"), url
    if "#" in url:        # a source passage named by the address is marked, as a quote's link opens it
        browser.wait_until("document.querySelectorAll('.q.current').length > 0")
    browser.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; }); 0")
    browser.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = browser.evaluate(RUN)
    assert result["version"] == PINNED and result["rules"] > 20, result
    return result


def report(url: str, found: list[dict]) -> str:
    """Each finding on a line or three: rule, impact, nodes, help, the first selectors and markup."""
    lines = [url]
    for v in found:
        lines.append(f"  {v['id']} [{v['impact']}] on {v['nodes']} element(s): {v['help']}")
        lines.append(f"      at {'; '.join(v['targets'])}")
        lines.extend(f"      {html}" for html in v["html"])
    return "\n".join(lines)


def violations(browser: Browser, served, path: str, heading: str) -> str:
    """axe's violations on a page as :func:`report` writes them; "" for none."""
    started = time.monotonic()
    found, incomplete = axe_check(browser, served.base_url + path, heading)["found"]
    print(f"{path}: axe {time.monotonic() - started:.1f} s")
    if incomplete:          # what axe could not decide alone: for a person to look at
        print("incomplete (not failed): " + report(path, incomplete))
    return report(path, found) if found else ""


@pytest.mark.parametrize("path, heading", PAGES, ids=[path for path, _ in PAGES])
def test_page_has_no_wcag_violation(served, browser, path, heading):
    found = violations(browser, served, path, heading)
    assert not found, "axe-core found accessibility violations on " + found


def test_pages_on_a_phone_have_no_wcag_violation(served, browser):
    headings = dict(PAGES)
    browser.call("Emulation.setDeviceMetricsOverride", **PHONE)
    try:
        found = [violations(browser, served, path, headings[path]) for path in ON_A_PHONE]
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")
    assert not any(found), "axe-core found accessibility violations at a phone's width on " + \
        "\n".join(f for f in found if f)
