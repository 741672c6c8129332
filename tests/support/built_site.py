"""The built site under test (``make book`` writes it to _build/html)."""

from __future__ import annotations

from support.repo import REPO

SITE = REPO / "_build" / "html"
SCREENSHOTS = REPO / "_build" / "screenshots"
#: folders that are not book pages: theme templates, and the reveal.js decks (sphinx-revealjs output,
#: whose hash routes and speaker-view plugin page the deck tests in test_slides.py cover instead)
NOT_BOOK_PAGES = ("_", "slides/")


def site_pages() -> list[str]:
    """Every book page a reader can reach."""
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                  if not p.relative_to(SITE).as_posix().startswith(NOT_BOOK_PAGES))


def slide_decks() -> list[str]:
    """Every reveal.js deck of the site (``slides/<chapter>.html``)."""
    return sorted(p.relative_to(SITE).as_posix() for p in (SITE / "slides").glob("*.html")
                  if p.name not in ("index.html", "genindex.html", "search.html"))
