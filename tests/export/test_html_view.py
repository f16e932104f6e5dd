"""The HTML view opened in headless Chromium: the graph renders, with no console errors.

Drives Debian's ``chromium`` over the DevTools protocol (``tests/cdp.py``) and keeps a
screenshot in ``artifacts/``. Skips only when no Chromium binary is installed.
"""

import pytest

from ..cdp import Browser, find_chromium
from ..conftest import ROOT, run_cli

CHROMIUM = find_chromium()
ARTIFACTS = ROOT / "artifacts"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH "
                                 "(install the Debian package: apt-get install -y chromium)")]

DRAWN_PIXELS = """(() => {
  let n = 0;
  for (const c of document.querySelectorAll('#cy canvas')) {
    const ctx = c.getContext('2d');
    if (!ctx || !c.width || !c.height) continue;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  }
  return n;
})()"""

INSIDE_VIEWPORT = """(() => {
  const cy = window.graphkit.cy, w = cy.width(), h = cy.height();
  return cy.nodes().filter(n => { const p = n.renderedPosition(); return p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h; }).length;
})()"""


def test_html_view_renders_in_chromium(tmp_path):
    page = tmp_path / "jmml.html"
    # documents 001 and 004 (fully curated; the others grow on the curation branch)
    result = run_cli("export", "--seed", "JMML in relapse", "--hops", "2", "--source", "icd10_c93_32_page",
                     "--source", "chang_2004_jmml_second_hsct", "--format", "html", "-o", str(page))
    assert result.code == 0, result
    with Browser(CHROMIUM) as browser:
        browser.open(page.as_uri())
        browser.wait_until("document.getElementById('status').dataset.ready === 'true'")
        status = browser.evaluate("Object.assign({}, document.getElementById('status').dataset)")
        assert (status["nodes"], status["edges"], status["errors"]) == ("45", "69", "0")
        nodes = int(status["nodes"])
        assert browser.evaluate("window.graphkit.cy.nodes().length") == nodes
        assert browser.evaluate(INSIDE_VIEWPORT) == nodes, "every node is laid out inside the view"
        assert browser.evaluate(DRAWN_PIXELS) > 5000, "the canvas shows the graph"
        legend = browser.evaluate("[...document.querySelectorAll('#legend li')].map(li => li.dataset.kind)")
        # the largest kinds first (8 diseases and 8 phenotypes, by name), then therapies
        assert legend[:3] == ["Disease", "Phenotype", "Therapy"] and "ICD10Code" in legend
        assert browser.evaluate("getComputedStyle(document.querySelector('#legend li[data-kind=Phenotype] .swatch'))"
                                ".backgroundColor") == "rgb(255, 127, 14)"   # Phenotype orange, as in every view
        # search highlights the match; the edge labels are drawn from the data
        browser.evaluate("(() => { const s = document.getElementById('search'); s.value = 'splenomegaly';"
                         " s.dispatchEvent(new Event('input')); })()")
        assert browser.evaluate("document.getElementById('matches').textContent") == "1 match"
        assert browser.evaluate("window.graphkit.cy.nodes('.match').map(n => n.id())") == ["splenomegaly"]
        assert browser.evaluate("window.graphkit.cy.edges().filter(e => e.style('label') === 'has symptom').length") == 6
        # the side panel names the release and its licence, on screen (scrolled to), as a link
        assert browser.evaluate("(() => { const a = document.querySelector('#release a[rel=license]');"
                                " a.scrollIntoView(); const r = a.getBoundingClientRect();"
                                " const seen = r.width > 0 && r.height > 0 && r.bottom <= innerHeight;"
                                " document.querySelector('aside').scrollTop = 0; return [a.href, seen]; })()") == [
            "https://creativecommons.org/licenses/by/4.0/", True]
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "html_view_jmml_relapse.png"
        browser.evaluate("(() => { const s = document.getElementById('search'); s.value = '';"
                         " s.dispatchEvent(new Event('input')); })()")
        browser.screenshot(shot)
        assert shot.stat().st_size > 20_000
        assert browser.console_errors() == []
