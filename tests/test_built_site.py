"""Read-only checks of the real book, built once per session with the network blocked (books.offline_book).

Expected values are read from data/ and references.bib with the csv module and plain text search,
never through the library under test; studies are the review's own (`added` empty), so adding a
valid paper never turns these tests red.
"""

from __future__ import annotations

import csv
import re

import pytest

from support.bookbuild import soup
from support.repo import REPO, seed_text

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


def rows(name: str) -> list[dict[str, str]]:
    with (REPO / "data" / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def review_numbers() -> dict[str, str]:
    """key -> reviewnumber, for every entry of references.bib that has one (plain text parsing)."""
    numbers, key = {}, None
    for line in (REPO / "references.bib").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"@\w+\{([^,]+),", line):
            key = m.group(1)
        elif m := re.match(r"\s*reviewnumber\s*=\s*\{(\d+)\}", line):
            numbers[key] = m.group(1)
    return numbers


def bib_keys() -> set[str]:
    return set(re.findall(r"^@\w+\{([^,]+),", (REPO / "references.bib").read_text(encoding="utf-8"), re.M))


def review_studies() -> dict[str, dict[str, str]]:
    return {r["study"]: r for r in rows("studies.csv") if not r["added"]}


def words(node) -> str:
    return " ".join(node.get_text().split())


def table_rows(page_soup) -> list[list[str]]:
    return [[words(td) for td in tr.find_all(["td", "th"])] for tr in page_soup.find_all("tr")]


@pytest.fixture(scope="module")
def site(offline_book):
    return offline_book.book / "_build" / "html"


def test_offline_build_made_no_network_call(offline_book):
    assert "network disabled" not in offline_book.done.stdout + offline_book.done.stderr
    from reviewfigs.sphinxext import MATHJAX_SCRIPT

    assert (offline_book.book / "_build" / "html" / "_static" / "mathjax" / MATHJAX_SCRIPT).is_file()


def test_pages_load_no_script_or_style_from_the_network(site):
    for page in site.rglob("*.html"):
        parsed = soup(site, page.relative_to(site).as_posix())
        loaded = [tag.get("src", "") for tag in parsed.find_all(["script", "img", "iframe"])]
        loaded += [tag.get("href", "") for tag in parsed.find_all("link") if {"stylesheet", "preload", "icon"} & set(tag.get("rel", []))]
        remote = [url for url in loaded if re.match(r"(https?:)?//", url)]
        assert remote == [], f"{page.name} loads {remote}"


def test_a_page_for_every_review_section(site):
    for section, page in SECTION_PAGES.items():
        assert (site / page).is_file(), f"no page for {section}"


def test_every_review_study_is_in_table1_with_its_table1_cycles(site):
    table = table_rows(soup(site, "chapters/table1.html"))
    by_study = {}
    for row in table:
        if len(row) > 1:
            by_study.setdefault(row[1], row)
    numbers = review_numbers()
    for m in rows("measurements.csv"):
        if m["source"] != "Table 1" or m["quantity"] != "cycles" or m["study"] not in review_studies():
            continue
        assert m["study"] in by_study, f"{m['study']} missing from Table 1"
        row = " | ".join(by_study[m["study"]])
        assert f"{m['value']} cycles" in row and m["cathode"] in row, (m["id"], row)
        assert f"[{numbers[review_studies()[m['study']]['bibkey']]}]" in row


def test_table1_gscp_row_as_the_review_prints_it(site):
    rows = table_rows(soup(site, "chapters/table1.html"))
    # columns by their header: an added cell of unstated format adds a "Format not stated" column
    header = next(r for r in rows if "Sample" in r and "Electrolyte" in r)
    col = {name: header.index(name) for name in ("Type", "Coin cell", "Pouch cell", "Electrolyte", "Ref.")}
    gscp = next(r for r in rows if r[1:2] == ["GSCP"])
    # Table 1 of the review: GSCP@Li // LTO at 10 C, 5000 cycles, no pouch cell, reference [97]
    assert gscp[col["Type"]] == "Gradient lithiophilicity"
    coin = gscp[col["Coin cell"]]
    assert "LTO" in coin and "10 C" in coin and "5000 cycles" in coin
    assert gscp[col["Pouch cell"]] == "N.A." and gscp[col["Ref."]] == "[97]"
    gzcnt = next(r for r in rows if r[1:2] == ["GZCNT"])
    assert gzcnt[col["Electrolyte"]] == " ".join(review_studies()["GZCNT"]["electrolyte"].split())


def test_every_reference_has_an_entry_with_its_review_number(site):
    bibliography = soup(site, "chapters/bibliography.html")
    entries = {div["id"]: div for div in bibliography.select("div.citation[id^=cite-]")}
    assert set(entries) == {f"cite-{key}" for key in bib_keys()}
    numbers = review_numbers()
    for key, number in numbers.items():
        label = words(entries[f"cite-{key}"].find(class_="label")).replace(" ", "").strip("[]")
        assert label == ("R" if number == "0" else number), key


def test_every_doi_is_a_link_in_its_entry_and_every_entry_without_one_is_listed(site):
    """references.bib's DOIs (plain text parsing) are links to doi.org in their entries; the list of entries
    without a DOI links to each of them on the same page."""
    bibliography = soup(site, "chapters/bibliography.html")
    text = (REPO / "references.bib").read_text(encoding="utf-8")
    dois = dict(re.findall(r"@\w+\{([^,]+),(?:(?!\n\}).)*?\n\s*doi\s*=\s*\{([^}]+)\}", text, re.S))
    assert dois
    for key, doi in dois.items():
        entry = bibliography.find(id=f"cite-{key}")
        assert entry.find("a", href=f"https://doi.org/{doi}"), key
    listed = {a["href"][len("#cite-"):] for a in bibliography.select('a[href^="#cite-"]')}
    assert listed == bib_keys() - set(dois)


def test_whats_new_gives_the_reviews_dates_as_it_prints_them(site):
    page = words(soup(site, "chapters/whats_new.html"))
    assert "Received: 2023-04-06" in page and "Revised: 2023-05-29" in page
    assert "**Received date:** 2023-04-06; **Revised date:** 2023-05-29" in seed_text()
    assert "Accepted: not printed in the review" in page


def test_citations_link_to_existing_entries(site):
    targets = {div["id"] for div in soup(site, "chapters/bibliography.html").select("div.citation[id^=cite-]")}
    links = set()
    for page in site.rglob("*.html"):
        for a in soup(site, page.relative_to(site).as_posix()).find_all("a", href=True):
            if m := re.fullmatch(r"(?:[./]*chapters/)?bibliography\.html#(.+)", a["href"]):
                links.add(m.group(1))
    assert f"cite-{review_studies()['GSCP']['bibkey']}" in links
    assert links <= targets, f"links to missing entries: {sorted(links - targets)}"


def test_table1_cites_by_review_number(site):
    key = review_studies()["GSCP"]["bibkey"]
    links = soup(site, "chapters/table1.html").select(f'a[href="bibliography.html#cite-{key}"]')
    assert links and {words(a) for a in links} == {review_numbers()[key]}


def test_bibliography_links_back_to_citing_pages(site):
    entry = soup(site, "chapters/bibliography.html").find(id=f"cite-{review_studies()['GSCP']['bibkey']}")
    backlinks = [a["href"] for a in entry.find(class_="cited-in").find_all("a")]
    assert "table1.html" in {href.split("#")[0] for href in backlinks}
    for href in backlinks:
        page, anchor = href.split("#")
        assert soup(site, f"chapters/{page}").find(id=anchor) is not None, f"backlink to missing anchor {href}"


def test_numbers_in_prose_are_the_data(site):
    m006 = next(r for r in rows("measurements.csv") if r["id"] == "m006")
    links = [a for a in soup(site, "chapters/lithiophilicity.html").select("a.datum") if "data row m006" in a.get("title", "")]
    assert links and {words(a) for a in links} == {f"{m006['value']} {m006['unit']}"}
    assert all(a["href"] == f"bibliography.html#cite-{review_studies()['GSCP']['bibkey']}" for a in links)


def test_downloads_are_beside_the_pages(site):
    folder = site / "downloads"
    with (folder / "measurements.csv").open(newline="", encoding="utf-8") as f:
        assert [r["id"] for r in csv.DictReader(f)] == [r["id"] for r in rows("measurements.csv")]
    key = review_studies()["GSCP"]["bibkey"]
    assert f"@article{{{key}," in (folder / "table1.bib").read_text(encoding="utf-8")
    hrefs = {a["href"] for a in soup(site, "chapters/table1.html").find_all("a", href=True)}
    assert {"../downloads/table1.csv", "../downloads/table1.bib"} <= hrefs


@pytest.mark.parametrize("section,page", [("2.1", "lithiophilicity"), ("2.2", "conductivity"), ("2.3", "dual")])
def test_section_pages_show_their_comparison_and_discrepancies(site, section, page):
    """What a reader sees at the end of a section page (not how the chapter's source asks for it)."""
    parsed = soup(site, f"chapters/{page}.html")
    table = parsed.find(id=f"tbl-compare-{section.replace('.', '-')}")
    assert table is not None and table.name == "table", "no comparison table"
    first_cells = {words(tr.find("td")) for tr in table.find_all("tr") if tr.find("td")}
    own = {study for study, row in review_studies().items() if row["section"] == section}
    assert own <= first_cells, own - first_cells
    text = words(parsed)
    for d in rows("discrepancies.csv"):
        if d["study"] in own:
            assert " ".join(d["note"].split())[:60] in text, d["id"]


PANDAS_MISSING = re.compile(r"(?<![\w-])(NaN|nan|NaT|<NA>)(?![\w-])")


def test_no_page_shows_a_missing_value_as_nan(site):
    """Unknown is a value: a page, its printed tables and its cell outputs included, writes
    'not given' (or says what is missing), never pandas' NaN, NaT or <NA>, nor None in an output."""
    found = []
    for page in sorted(site.rglob("*.html")):
        if "_static" in page.parts:
            continue
        parsed = soup(site, page.relative_to(site).as_posix())
        for node in parsed.select("div.cell_input, script, style"):
            node.decompose()  # code as typed is not a shown value
        text = parsed.get_text(" ")
        found += [f"{page.name}: …{text[max(0, m.start() - 60):m.end() + 20]}…" for m in PANDAS_MISSING.finditer(text)]
        for output in parsed.select("div.cell_output"):
            found += [f"{page.name} (output): {m.group(0)}" for m in re.finditer(r"(?<![\w-])None(?![\w-])", output.get_text(" "))]
    assert found == [], "\n".join(found[:20])


def test_every_figure_opens_full_size_from_its_page(site):
    """On a phone the column is narrow: each of the registry's figures, PNG ones included, links to its
    full-size SVG, and that file is there."""
    from reviewfigs.figures import FIGURES

    for name, spec in FIGURES.items():
        page = f"chapters/{spec.page}.html"
        links = soup(site, page).select(f'a.figure-full[href="../gallery/{name}.svg"]')
        assert len(links) == 1, (name, page, len(links))
        assert (site / "gallery" / f"{name}.svg").is_file(), name
