"""Build the real book into a temporary folder with -n -W and check what readers will see."""

from __future__ import annotations

import re
import shutil

import pytest

from bookbuild import build, html
from conftest import COPY_IGNORE, REPO

pytestmark = pytest.mark.book

SECTION_PAGES = {
    "1": "chapters/introduction.html",
    "2.1": "chapters/lithiophilicity.html",
    "2.2": "chapters/conductivity.html",
    "2.3": "chapters/dual.html",
    "3": "chapters/outlook.html",
    "Table 1": "chapters/table1.html",
    "References": "chapters/bibliography.html",
}


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    book = tmp_path_factory.mktemp("built") / "book"
    shutil.copytree(REPO, book, ignore=COPY_IGNORE)
    done, _ = build(book)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return book


def test_a_page_for_every_review_section(built_book):
    for section, page in SECTION_PAGES.items():
        assert (built_book / "_build" / "html" / page).is_file(), f"no page for {section}"


def test_table1_shows_a_known_value(built_book):
    page = html(built_book, "chapters/table1.html")
    row = re.search(r"<tr[^>]*>\s*<td><p>Gradient lithiophilicity</p></td>\s*<td><p>GSCP</p></td>(.*?)</tr>", page, re.S)
    assert row, "GSCP row missing from Table 1"
    text = re.sub(r"<[^>]+>", "", row.group(1))
    assert "LTO" in text and "10 C" in text and "5000 cycles" in text  # Table 1 of the review: 10 C, 5000 cycles
    assert "0.6 mol/L LiTFSI" in page  # GZCNT's electrolyte column


def test_citations_resolve_to_bibliography_entries(built_book, real_review):
    bibliography = html(built_book, "chapters/bibliography.html")
    targets = set(re.findall(r'id="(cite-[^"]+)"', bibliography))
    assert targets == {f"cite-{key}" for key in real_review.bib.keys}
    links = set()
    for page in (built_book / "_build" / "html").rglob("*.html"):
        links |= set(re.findall(r'href="(?:[./]*chapters/)?bibliography\.html#([^"]+)"', page.read_text(encoding="utf-8")))
    assert "cite-yan2020bottom" in links
    assert links <= targets, f"links to missing entries: {sorted(links - targets)}"


def test_bibliography_labels_are_review_numbers(built_book):
    bibliography = html(built_book, "chapters/bibliography.html")
    assert re.search(r'id="cite-zhang2018lithiophilic".*?\[?96\]?', bibliography, re.S)
    table1 = html(built_book, "chapters/table1.html")
    assert re.search(r'href="bibliography\.html#cite-yan2020bottom"[^>]*>97</a>', table1)


def test_unknown_citation_fails_the_build(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(REPO, book, ignore=COPY_IGNORE)
    page = book / "chapters" / "introduction.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA claim {cite:p}`nobody2099nothing`.\n", encoding="utf-8")
    done, _ = build(book)
    assert done.returncode != 0
    assert "nobody2099nothing" in done.stdout + done.stderr


def test_bibliography_links_back_to_citing_pages(built_book):
    bibliography = html(built_book, "chapters/bibliography.html")
    entry = re.search(r'id="cite-yan2020bottom".*?</div>', bibliography, re.S).group(0)
    backlinks = re.findall(r'href="([a-z0-9_]+\.html)#([^"]+)"', entry)
    assert "table1.html" in {page for page, _ in backlinks}
    for page, anchor in backlinks:
        assert f'id="{anchor}"' in html(built_book, f"chapters/{page}"), f"backlink to missing anchor {page}#{anchor}"


def test_downloads_are_beside_the_pages(built_book, real_review):
    folder = built_book / "_build" / "html" / "downloads"
    rows = (folder / "measurements.csv").read_text(encoding="utf-8").strip().splitlines()
    assert len(rows) == len(real_review.measurements) + 1
    assert "@article{yan2020bottom," in (folder / "table1.bib").read_text(encoding="utf-8")
    assert 'href="../downloads/table1.csv"' in html(built_book, "chapters/table1.html")
