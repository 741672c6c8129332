"""The published site as readers meet it, in a real browser: no errors, offline, reachable, legible."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from reviewfigs import load_review, table1_rows
from support.site import SCREENSHOTS, SITE, site_pages

MAIN_PAGES = ["index.html", "chapters/introduction.html", "chapters/lithiophilicity.html", "chapters/table1.html", "chapters/outlook.html"]
PAGE_BUDGET = 1_500_000  # bytes: a page and its own assets, theme files excluded


def visit(page, url):
    """Load a page; return console errors, failed requests and the URLs it requested."""
    errors, failed, requested = [], [], []
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: requested.append(r.url))
    page.goto(url, wait_until="networkidle")
    return errors, failed, requested


@pytest.mark.parametrize("name", site_pages())
def test_page_loads_cleanly_and_offline(page, base_url, name):
    errors, failed, requested = visit(page, base_url + name)
    assert errors == [], f"{name}: {errors}"
    assert failed == [], f"{name}: {failed}"
    outside = [u for u in requested if not (u.startswith(base_url) or u.startswith("data:") or u.startswith("blob:"))]
    assert outside == [], f"{name} requests outside the site: {outside}"


@pytest.mark.parametrize("name", site_pages())
def test_images_and_figures_have_alt_text(page, base_url, name):
    page.goto(base_url + name, wait_until="networkidle")
    missing = page.evaluate("""() => {
        const bad = [];
        for (const img of document.querySelectorAll('img')) {
            if (!(img.getAttribute('alt') || '').trim() && !(img.getAttribute('aria-label') || '').trim()) bad.push(img.outerHTML.slice(0, 120));
        }
        // inline SVG figures (not the theme's decorative icons or MathJax, which carries its own labels)
        for (const svg of document.querySelectorAll('figure svg, .cell_output svg, .output svg')) {
            if (svg.getAttribute('aria-hidden') === 'true' || svg.closest('[aria-hidden="true"]') || svg.closest('mjx-container')) continue;
            const label = svg.getAttribute('aria-label') || (svg.querySelector('title') || {}).textContent || '';
            if (!label.trim()) bad.push(svg.outerHTML.slice(0, 120));
        }
        return bad;
    }""")
    assert missing == [], f"{name}: {missing}"


class Links:
    """The link targets (``<a href>``) and the anchors (any ``id``) of one HTML page, read with BeautifulSoup."""

    def __init__(self, soup: BeautifulSoup):
        self.hrefs = [a["href"] for a in soup.find_all("a", href=True) if a["href"]]
        self.ids = {tag["id"] for tag in soup.find_all(id=True)}


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def parse(path: Path) -> Links:
    return Links(soup_of(path))


def test_every_internal_link_and_citation_resolves():
    parsed = {name: parse(SITE / name) for name in site_pages()}
    broken, citations = [], 0
    for name, links in parsed.items():
        for href in links.hrefs:
            url = urlparse(href)
            if url.scheme or href.startswith("mailto:") or href.startswith("#") and href == "#":
                continue
            target, anchor = urldefrag(urljoin(name, href))
            target = unquote(target) or name
            path = SITE / target
            if not path.is_file():
                broken.append(f"{name}: {href} (no file)")
                continue
            if anchor and target.endswith(".html"):
                ids = parsed[target].ids if target in parsed else parse(path).ids
                if anchor not in ids:
                    broken.append(f"{name}: {href} (no #{anchor})")
            if "bibliography.html" in target and anchor.startswith("cite-"):
                citations += 1
    assert broken == []
    assert citations > 100, "citation links to the bibliography were expected on the chapter pages"


def test_search_finds_a_study_by_name(page, base_url):
    page.goto(base_url + "search.html?q=GSCP", wait_until="networkidle")
    expect(page.locator("ul.search li").first).to_be_visible(timeout=15000)
    hits = page.eval_on_selector_all("ul.search li a", "els => els.map(e => e.getAttribute('href'))")
    assert any("lithiophilicity" in h for h in hits), hits


def _interactive_table(page):
    tables = page.locator("table.dataTable, table.itables")
    return tables.first if tables.count() else None


def test_interactive_table1_sorts_and_filters(page, base_url):
    page.goto(base_url + "chapters/table1.html", wait_until="networkidle")
    expected = len(table1_rows(load_review(SITE.parents[1])))
    search = page.locator(".dt-search input").first
    expect(search).to_be_visible(timeout=15000)
    rows = page.locator("table.dataTable tbody tr")
    search.fill("ZGIL")
    expect(rows).to_have_count(1)  # expect retries until the filter has run (no fixed sleep)
    expect(rows.first).to_contain_text("ZGIL")
    search.fill("")
    expect(rows).to_have_count(expected)
    # the sort arrow of the "Sample" column: ascending, then descending (DataTables sets aria-sort once sorted)
    header = page.locator("table.dataTable thead th", has_text="Sample").first
    arrow = header.locator(".dt-column-order")
    sample_cells = page.locator("table.dataTable tbody tr td:nth-child(2)")
    arrow.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    samples = sample_cells.all_inner_texts()
    assert samples == sorted(samples, key=str.lower)
    assert len(samples) == expected
    arrow.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(sample_cells).to_have_text(samples[::-1])


def _luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg, bg):
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


COLOURS_JS = """(selector) => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return rgb(getComputedStyle(document.body).backgroundColor).slice(0, 3);
  };
  return [...document.querySelectorAll(selector)].filter(e => e.innerText.trim()).slice(0, 40)
    .map(e => ({text: e.innerText.slice(0, 40), fg: rgb(getComputedStyle(e).color).slice(0, 3), bg: background(e)}));
}"""


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_tables_and_figures_stay_legible(page, base_url, mode):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(base_url + "index.html")
    page.evaluate(f"() => {{ localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}'); }}")
    low = []
    for name in MAIN_PAGES + ["chapters/conductivity.html", "chapters/dual.html"]:
        if not (SITE / name).is_file():
            continue
        page.goto(base_url + name, wait_until="networkidle")
        assert page.evaluate("() => document.documentElement.dataset.theme") == mode
        for cell in page.evaluate(COLOURS_JS, "table td, table th"):
            ratio = contrast(cell["fg"], cell["bg"])
            if ratio < 4.5:
                low.append(f"{name}: '{cell['text']}' {ratio:.2f}")
        opaque = page.evaluate("""() => [...document.querySelectorAll('figure img, .cell_output img')].map(img => {
            const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
            const x = c.getContext('2d'); x.drawImage(img, 0, 0);
            const p = x.getImageData(1, 1, 1, 1).data; return [img.getAttribute('src'), p[0], p[1], p[2], p[3]];
        })""")
        for src, r, g, b, a in opaque:
            # figures carry their own opaque light background, so their dark text keeps its contrast in both modes
            assert a == 255 and min(r, g, b) > 240, f"{name}: figure {src} is not on an opaque light background"
        page.screenshot(path=str(SCREENSHOTS / f"{name.replace('/', '_').removesuffix('.html')}-{mode}.png"), full_page=False)
    assert low == [], low


def _own_assets(name: str) -> int:
    """Bytes a browser loads for the page: the HTML, its images and scripts, its stylesheets.
    Links a reader may follow (downloads such as the PDF) are not loaded with the page."""
    text = (SITE / name).read_text(encoding="utf-8")
    total = len(text.encode("utf-8"))
    soup = BeautifulSoup(text, "html.parser")
    loaded = [tag["src"] for tag in soup.find_all(src=True)] + [tag["href"] for tag in soup.find_all("link", href=True)]
    loaded = [urldefrag(ref)[0].split("?", 1)[0] for ref in loaded]
    for ref in {ref for ref in loaded if ref}:
        if ref.startswith(("http", "mailto:")) or "_static/" in ref or ref.endswith(".html"):
            continue
        path = (SITE / name).parent / unquote(ref)
        if path.is_file():
            total += path.stat().st_size
    return total


def test_page_weight_under_budget():
    weights = {name: _own_assets(name) for name in site_pages()}
    heaviest = max(weights, key=weights.get)
    report = SITE.parent / "page-weights.json"
    report.write_text(json.dumps(dict(sorted(weights.items())), indent=1) + "\n", encoding="utf-8")
    print(f"heaviest page: {heaviest} ({weights[heaviest] / 1e6:.2f} MB)")
    over = {n: w for n, w in weights.items() if w > PAGE_BUDGET}
    assert over == {}, over
