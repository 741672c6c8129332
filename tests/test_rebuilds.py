"""Reproducibility and freshness on the real book: two cold builds, then incremental rebuilds (books.py).

A page counts as re-read when Sphinx rewrote its doctree, and as executed when MyST-NB rewrote its
executed notebook; the expected sets come from the pages' sources (code cells, glue, {datum}).
"""

from __future__ import annotations

import json
import re

import pytest

from support.bookbuild import code_pages, datum_pages, soup
from support.books import (
    ABSTRACT_KEY,
    ABSTRACT_NAME,
    DURING_CE,
    EDITED_CE,
    KEY,
    M002_EDITED,
    NAME,
    ORIGINAL_CE,
    PROSE_PAGE,
    PROSE_SENTENCE,
    tree_hashes,
)

pytestmark = pytest.mark.book

#: Files that legitimately differ between two cold builds, with the reason.
EXCLUDED = {
    ".buildinfo": "Sphinx's own build hash file, not served to readers",
}


def words(node) -> str:
    return " ".join(node.get_text().split())


def m006_shown(html_dir) -> set[str]:
    """What the {datum} links of row m006 show on the Sect. 2.1 page."""
    page = soup(html_dir, "chapters/lithiophilicity.html")
    return {words(a) for a in page.select("a.datum") if "data row m006" in a.get("title", "")}


def pages_showing(book, mid: str) -> set[str]:
    """Pages whose source shows row ``mid`` through a {datum} role."""
    return {f"chapters/{p.stem}" for p in (book / "chapters").glob("*.md")
            if f"{{datum}}`{mid}`" in (text := p.read_text(encoding="utf-8")) or f"{{datum}}`~{mid}`" in text}


#: a page that reads references.bib and nothing else from the data (its DOI list): no measurement edit touches it
BIB_ONLY_PAGE = "chapters/bibliography"


def all_pages(book) -> set[str]:
    return {"index", *(f"chapters/{p.stem}" for p in (book / "chapters").glob("*.md"))}


# ------------------------------------------------------------------------------------------ (b) vs (a)
def test_two_cold_builds_in_different_paths_are_identical(offline_book, second_book):
    first, second = offline_book.extra["hashes"], second_book.extra["hashes"]
    assert len(first) > 100  # the whole site, not a handful of files
    assert sorted(first) == sorted(second)
    different = [name for name in first if name.rsplit("/", 1)[-1] not in EXCLUDED and first[name] != second[name]]
    assert different == [], different


def test_a_cold_build_executes_every_page_with_code_once(second_book):
    assert second_book.executed == code_pages(second_book.book)
    assert second_book.reread == all_pages(second_book.book)


# ------------------------------------------------------------------------------------------ (c)
def test_no_change_rebuild_reads_and_executes_nothing(noop_step):
    noop_step.check()
    assert noop_step.reread == set() and noop_step.executed == set()


def test_prose_edit_reexecutes_only_that_page(prose_step):
    prose_step.check()
    assert prose_step.reread == {PROSE_PAGE} and prose_step.executed == {PROSE_PAGE}
    assert PROSE_SENTENCE in words(soup(prose_step.html, f"{PROSE_PAGE}.html"))


def test_moved_tree_builds_from_its_own_data(moved_step):
    """Sphinx discards an environment whose source folder moved: everything is read again, and every
    page (kernels included) reads the moved tree's data although REVIEWFIGS_ROOT names the old one."""
    moved_step.check()
    book, old = moved_step.book, moved_step.extra["old"]
    assert NAME not in (old / "data" / "studies.csv").read_text(encoding="utf-8")  # the old tree lacks the study
    assert moved_step.reread == all_pages(book)
    assert moved_step.executed == code_pages(book)
    table1 = [[words(td) for td in tr.find_all("td")] for tr in soup(moved_step.html, "chapters/table1.html").find_all("tr")]
    assert any(NAME in row for row in table1), "the kernel that made Table 1 read the old tree's data"
    assert m006_shown(moved_step.html) & {EDITED_CE + " %", DURING_CE + " %"}
    assert ORIGINAL_CE + " %" not in m006_shown(moved_step.html)


def test_edit_during_the_build_is_caught_by_the_next_rebuild(moved_step, after_edit_step):
    """Pages read before the mid-build edit ran on old data: the next rebuild re-executes them (and at
    most the one page being read at that moment), and nothing else."""
    after_edit_step.check()
    book = after_edit_step.book
    assert "missed" not in moved_step.extra, moved_step.extra.get("missed")
    reads_data = code_pages(book) | datum_pages(book)
    stale = moved_step.extra["read_before_edit"] & reads_data
    assert stale, "the edit happened before any page that reads data was read"
    assert stale & pages_showing(book, "m006") <= after_edit_step.reread <= reads_data
    assert BIB_ONLY_PAGE not in after_edit_step.reread, "a page that reads no measurement was executed again"
    assert len(after_edit_step.reread - stale) <= 1, after_edit_step.reread - stale
    assert after_edit_step.executed == after_edit_step.reread & code_pages(book)
    assert m006_shown(after_edit_step.html) == {DURING_CE + " %"}


def test_data_file_restored_with_an_older_mtime_is_detected(restored_step):
    restored_step.check()
    book = restored_step.book
    assert restored_step.extra["mtime"] < min(p.stat().st_mtime for p in (book / "_build" / ".doctrees").rglob("*.doctree"))
    assert pages_showing(book, "m006") <= restored_step.reread <= code_pages(book) | datum_pages(book)
    assert restored_step.executed == restored_step.reread & code_pages(book)
    assert BIB_ONLY_PAGE not in restored_step.reread, "a page that reads no measurement was executed again"
    assert m006_shown(restored_step.html) == {EDITED_CE + " %"}


def test_an_edit_to_one_study_leaves_unrelated_pages_unexecuted(other_row_step):
    """Per-page data dependencies: a page runs again only if a slice of the data it used changed. Every page
    showing the row is updated (and final_cold shows that the rest needed nothing)."""
    other_row_step.check()
    book = other_row_step.book
    assert pages_showing(book, "m002") <= other_row_step.reread
    assert BIB_ONLY_PAGE not in other_row_step.executed
    assert other_row_step.executed == other_row_step.reread & code_pages(book)
    assert other_row_step.reread < code_pages(book) | datum_pages(book), "every page that reads data ran again"
    page = soup(other_row_step.html, "chapters/lithiophilicity.html")
    shown = [words(a) for a in page.select("a.datum") if "data row m002" in a.get("title", "")]
    assert shown and all(M002_EDITED in text for text in shown), shown


def test_the_incremental_build_is_the_cold_build(final_noop_step, final_cold):
    """Exactness, end to end: after every edit above, each page of the incrementally rebuilt site equals a cold
    build of the same sources. A slice recorded too narrowly would leave a stale page here.

    Three differences are Sphinx's own and are set aside: a stylesheet link carries a ``?v=`` checksum once the
    file exists in the output (after the first build); the search index keeps a word that a rewritten page no
    longer holds as an entry with no pages (it finds nothing, as in the cold build); images of earlier
    executions stay in ``_images``. The index entries (glossary terms), which Sphinx 7.4 would keep for the
    pages written in the last build only, must be whole (sphinxext/searchentries.py).
    """
    old, new = final_noop_step.book / "_build" / "html", final_cold.book / "_build" / "html"
    incremental, cold = tree_hashes(old), final_cold.extra["hashes"]
    assert set(cold) <= set(incremental), sorted(set(cold) - set(incremental))
    assert all(name.startswith("_images/") for name in set(incremental) - set(cold)), sorted(set(incremental) - set(cold))
    different = []
    for name in cold:
        if name.rsplit("/", 1)[-1] in EXCLUDED or incremental[name] == cold[name]:
            continue
        if name == "searchindex.js":
            mine, theirs = _search_index(old / name), _search_index(new / name)
            if mine == theirs:
                continue
            name += f" (differing parts: {_index_differences(mine, theirs)})"
        elif name.endswith(".html") and _unversioned(old / name) == _unversioned(new / name):
            continue
        different.append(name)
    assert different == [], different


def _unversioned(page) -> str:
    return re.sub(r"\?v=[0-9a-f]{8}", "", page.read_text(encoding="utf-8"))


def _index_differences(mine: dict, theirs: dict) -> list[str]:
    """Which parts of two search indexes differ, with a few of the differing entries: the failure says what."""
    parts = []
    for part in sorted(set(mine) | set(theirs)):
        a, b = mine.get(part), theirs.get(part)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            parts.append(f"{part}: " + "; ".join(f"{k!r}: {a.get(k)!r} vs cold {b.get(k)!r}" for k in keys[:3]))
        else:
            parts.append(f"{part}: {str(a)[:200]} vs cold {str(b)[:200]}")
    return parts


def _search_index(path) -> dict:
    text = path.read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    for part in ("terms", "titleterms"):  # a word no page holds any more stays as an entry with no pages
        index[part] = {word: pages for word, pages in index.get(part, {}).items() if pages != []}
    return index


def test_after_all_that_a_no_change_rebuild_executes_nothing(final_noop_step):
    final_noop_step.check()
    assert final_noop_step.reread == set() and final_noop_step.executed == set()


# ------------------------------------------------------------------------------------------ the new study
@pytest.fixture(scope="module")
def grown_html(after_edit_step):
    """The HTML of the moved tree once the new study and both data edits have been built."""
    after_edit_step.check()
    return after_edit_step.html


def test_new_study_in_table1(grown_html):
    row = next((r for r in (
        [words(td) for td in tr.find_all("td")] for tr in soup(grown_html, "chapters/table1.html").find_all("tr")) if NAME in r), None)
    assert row is not None, "new study missing from Table 1"
    assert row[0].startswith("Gradient conductivity (added ")
    assert "NCM811 (25 mg/cm²), N/P 1.6, 0.5 C: 200 cycles" in " | ".join(row)


def test_new_study_in_its_section_comparison(grown_html):
    table = soup(grown_html, "chapters/conductivity.html").find(id="tbl-compare-2-2")
    row = next(tr for tr in table.find_all("tr") if NAME in words(tr))
    assert "98.5 %" in words(row) and "1500 h" in words(row)


def test_new_study_in_every_plot_it_qualifies_for(grown_html):
    expected = {
        "chapters/comparisons.html": 3,  # CE map, lifespan bubbles, retention (no overpotential reported)
        "chapters/outlook.html": 1,  # full-cell map
        "chapters/conductivity.html": 1,  # family comparison of Sect. 2.2
    }
    for page, count in expected.items():
        descriptions = [words(p.find_parent("div")) for p in soup(grown_html, page).find_all(class_="admonition-title")
                        if words(p) == "Text description of the figure"]
        assert sum(NAME in d for d in descriptions) >= count, page


def test_new_study_in_practical_gap_table(grown_html):
    row = next((tr for tr in soup(grown_html, "chapters/outlook.html").find_all("tr")
                if (first := tr.find("td")) is not None and words(first) == NAME), None)
    assert row is not None, "new study missing from the practical-gap table"
    # 25 mg/cm2 NCM811 is 5 mAh/cm2 (> 4) and 8 mAh/cm2 Li (< 10): both thresholds met
    assert sum("✓ yes" in words(td) for td in row.find_all("td")) == 2


def test_new_study_in_bibliography_and_whats_new(grown_html):
    entry = soup(grown_html, "chapters/bibliography.html").find(id=f"cite-{KEY}")
    assert entry is not None and "A synthetic graded host for checking the book" in words(entry)
    new = soup(grown_html, "chapters/whats_new.html")
    assert NAME in words(new)


def test_abstract_only_study_shown_once_and_honestly(grown_html):
    """The paper known from its abstract: once per view, its unstated format and unknown authors said as such."""
    table1 = [[words(td) for td in tr.find_all("td")] for tr in soup(grown_html, "chapters/table1.html").find_all("tr")]
    rows = [r for r in table1 if ABSTRACT_NAME in r]
    assert len(rows) >= 1 and len({tuple(r) for r in rows}) == len(rows)
    assert "Format not stated" in words(soup(grown_html, "chapters/table1.html"))
    assert "[None]" not in words(soup(grown_html, "chapters/table1.html"))
    gap = [tr for tr in soup(grown_html, "chapters/outlook.html").find_all("tr")
           if (first := tr.find("td")) is not None and words(first) == ABSTRACT_NAME]
    assert len(gap) == 1 and "format not stated" in words(gap[0])
    new = words(soup(grown_html, "chapters/whats_new.html"))
    assert new.count(ABSTRACT_NAME) == 1 and "Li-O2 cell" in new
    entry = soup(grown_html, "chapters/bibliography.html").find(id=f"cite-{ABSTRACT_KEY}")
    assert entry is not None and "authors not recorded" in words(entry) and "others" not in words(entry)


def test_script_from_the_data_is_shown_as_text(grown_html):
    for page in grown_html.rglob("*.html"):
        parsed = soup(grown_html, page.relative_to(grown_html).as_posix())
        assert not any("alert('x')" in (s.string or "") for s in parsed.find_all("script")), page.name
    conductivity = soup(grown_html, "chapters/conductivity.html")
    shown = [words(td) for td in conductivity.find(id="tbl-compare-2-2").find_all("td")]
    assert any(cell.startswith("carbon felt <script>alert(") for cell in shown)  # the host description, as text
    assert any("note: <script>alert('x')</script>" in tag["title"] for tag in conductivity.find_all(title=True))  # tooltip
