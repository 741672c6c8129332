"""Linked figure marks in the browser: a tooltip on hover, a click that lands on the study, Tab reaches them."""

from __future__ import annotations

from playwright.sync_api import expect

from support.built_site import SCREENSHOTS, SITE

CE_MAP = "chapters/comparisons.html"


def test_hovering_a_ce_mark_shows_study_and_conditions(page, base_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(base_url + CE_MAP, wait_until="networkidle")
    mark = page.locator("#fig-ce-map svg a.rf-mark").first
    name = mark.get_attribute("aria-label")
    study = name.split(":", 1)[0]
    mark.scroll_into_view_if_needed()
    mark.hover()
    tip = page.locator("#rf-tip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(study)
    expect(tip).to_contain_text("Conditions:")
    expect(tip).to_contain_text("mA/cm²")
    expect(tip.locator("a.rf-tip-bib")).to_have_attribute("href", mark.get_attribute("data-rf-bib"))
    page.screenshot(path=str(SCREENSHOTS / "figlinks-tooltip.png"))


def test_clicking_a_ce_mark_lands_on_the_study_section(page, base_url):
    page.goto(base_url + CE_MAP, wait_until="networkidle")
    mark = page.locator("#fig-ce-map svg a.rf-mark").first
    href = mark.get_attribute("href")
    study = mark.get_attribute("aria-label").split(":", 1)[0]
    anchor = href.split("#", 1)[1]
    mark.scroll_into_view_if_needed()
    mark.click()
    page.wait_for_url("**/" + href)
    target = page.locator(f"[id='{anchor}']")
    heading = page.locator(f"section:has(> [id='{anchor}']) > h3")
    expect(target).to_be_in_viewport()
    expect(heading).to_be_in_viewport()
    expect(heading).to_contain_text(study)
    cites = page.locator(f"section:has(> [id='{anchor}']) a[href^='bibliography.html#cite-']")
    assert cites.count() > 0, "the section links to the bibliography entry"


def test_tab_reaches_the_marks_with_their_names(page, base_url):
    page.goto(base_url + CE_MAP, wait_until="networkidle")
    count = page.locator("svg a.rf-mark").count()
    assert count > 0
    reached = []
    for _ in range(400):
        page.keyboard.press("Tab")
        info = page.evaluate("() => { const a = document.activeElement; return a && a.matches('a.rf-mark') ? "
                             "[a.getAttribute('aria-label'), getComputedStyle(a).outlineStyle] : null; }")
        if info:
            reached.append(info)
            if len(reached) == 3:
                break
    assert len(reached) == 3, "Tab never reached the figure marks"
    for label, outline in reached:
        assert ":" in label and "Reference:" in label
        assert outline == "solid", "a focused mark shows a visible focus ring"
    expect(page.locator("#rf-tip")).to_be_visible()  # focus shows the tooltip too


def test_every_linked_mark_has_a_target_that_exists():
    """Each mark's link and bibliography link point at an existing anchor (the static link check covers href)."""
    from bs4 import BeautifulSoup

    soups = {page.name: BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
             for page in SITE.joinpath("chapters").glob("*.html")}
    ids = {name: {tag["id"] for tag in soup.find_all(id=True)} for name, soup in soups.items()}
    missing, marks = [], 0
    for name, soup in soups.items():
        for mark in soup.find_all(attrs={"data-rf-bib": True}):
            marks += 1
            target, _, anchor = mark["data-rf-bib"].partition("#")
            if anchor not in ids.get(target, set()):
                missing.append(f"{name}: {mark['data-rf-bib']}")
    assert marks > 0, "the chapters carry linked figure marks"
    assert missing == []
