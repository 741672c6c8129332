"""The reveal.js decks (`make slides`): they load from the site and from file://, with no console
errors and no network, and the keyboard moves between slides."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from support.site import SITE

DECKS = sorted(p.name for p in (SITE / "slides").glob("*.html") if p.name != "index.html") if (SITE / "slides").is_dir() else []


def _open(page, url):
    errors, external = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: external.append(r.url) if r.url.startswith(("http://", "https://"))
            and "127.0.0.1" not in r.url else None)
    page.goto(url, wait_until="load")
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=10000)
    return errors, external


def test_every_chapter_has_a_deck():
    assert len(DECKS) >= 8, "run `make slides` first"


@pytest.mark.parametrize("deck", DECKS)
def test_deck_loads_and_navigates_from_the_site(page, base_url, deck):
    errors, external = _open(page, base_url + "slides/" + deck)
    total = page.evaluate("Reveal.getTotalSlides()")
    assert total >= 4, f"{deck}: {total} slides"
    assert page.evaluate("Reveal.getIndices().h") == 0
    page.keyboard.press("ArrowRight")
    page.wait_for_function("Reveal.getIndices().h === 1")
    page.keyboard.press("End")
    page.wait_for_function(f"Reveal.getIndices().h === {total - 1}")
    assert not errors, errors
    assert not external, external


@pytest.mark.parametrize("deck", DECKS[:2])
def test_deck_works_from_file_url(page, deck):
    errors, external = _open(page, (SITE / "slides" / deck).as_uri())
    assert page.evaluate("Reveal.getTotalSlides()") >= 4
    imgs = page.eval_on_selector_all("img", "els => els.map(e => [e.naturalWidth, e.alt.length])")
    assert all(w > 0 and alt > 0 for w, alt in imgs), imgs
    assert not errors and not external, (errors, external)


def test_chapters_link_to_their_deck():
    for deck in DECKS:
        page = SITE / "chapters" / deck
        if page.is_file():
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            assert soup.find("a", href=f"../slides/{deck}") is not None, deck
