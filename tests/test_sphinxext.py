"""Unit tests of reviewfigs.sphinxext with sphinx.testing, on a tiny MyST project without kernels.

The project (tests/sphinx_unit/) is copied into a temporary folder with the real data/ and
references.bib; each test builds it with SphinxTestApp (seconds, not minutes).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from reviewfigs.data.load import ROOT_ENV
from reviewfigs.sphinxext import freshness
from support.repo import REPO, measurement_row, study_bibkey

#: each test builds the tiny project with Sphinx (seconds): make test runs them, make test-fast does not
pytestmark = pytest.mark.slow

PROJECT = Path(__file__).with_name("sphinx_unit")


def bib_entry(key: str, title: str, number: int | None = None) -> str:
    number_field = f"  reviewnumber = {{{number}}},\n" if number is not None else ""
    return (f"\n@article{{{key},\n  author = {{Tester, A.}},\n  title = {{{title}}},\n  journal = {{J. Tests}},\n"
            f"  year = {{2025}},\n  volume = {{1}},\n  pages = {{1--2}},\n{number_field}}}\n")


def copy_project(src: Path) -> Path:
    """A copy of the tiny project with the real data and bibliography."""
    shutil.copytree(PROJECT, src)
    shutil.copytree(REPO / "data", src / "data", ignore=shutil.ignore_patterns("README.md"))
    shutil.copy2(REPO / "references.bib", src / "references.bib")
    return src


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A fresh copy of the tiny project, for a test that changes it. The extension sets REVIEWFIGS_ROOT and
    MPLBACKEND for kernels in os.environ; monkeypatch puts both back after the test."""
    monkeypatch.setenv(ROOT_ENV, "unset-by-test")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return copy_project(tmp_path / "src")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build of the unchanged project, shared by the tests that only read its output."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ROOT_ENV, "unset-by-test")
        patch.setenv("MPLBACKEND", "Agg")
        yield Built(copy_project(tmp_path_factory.mktemp("shared") / "src")).build()


class Built:
    """A SphinxTestApp build of the project; `reread` holds the pages Sphinx read in the last build."""

    def __init__(self, srcdir: Path):
        self.srcdir = srcdir
        self.warnings = io.StringIO()
        self.reread: list[str] = []

    def build(self) -> Built:
        self.reread = []
        self.warnings.seek(0)
        self.warnings.truncate()
        app = SphinxTestApp("html", srcdir=self.srcdir, status=io.StringIO(), warning=self.warnings)
        try:
            app.connect("env-before-read-docs", lambda app, env, docnames: self.reread.extend(sorted(docnames)))
            app.build()
        finally:
            app.cleanup()
        return self

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.srcdir / "_build" / "html" / f"{page}.html").read_text(encoding="utf-8"), "html.parser")

    def entry(self, key: str):
        """The bibliography entry with anchor cite-<key> (as bibtex_cite_id makes it)."""
        found = self.soup("bibliography").find(id=f"cite-{key}")
        assert found is not None, f"no bibliography entry cite-{key}"
        return found

    def label(self, key: str) -> str:
        return self.entry(key).find(class_="label").get_text(strip=True).strip("[]")


def build(srcdir: Path) -> Built:
    return Built(srcdir).build()


# ---------------------------------------------------------------------------------------- {datum}
def test_datum_shows_the_value_and_links_to_the_reference(built):
    done = built
    assert done.warnings.getvalue() == ""
    row = measurement_row("m006")
    links = done.soup("numbers").select("a.datum")
    assert [a.get_text() for a in links] == [f"{row['value']} {row['unit']}", row["value"]]  # full, then bare (~)
    for a in links:
        assert a["href"] == f"bibliography.html#cite-{study_bibkey(row['study'])}"
        assert row["source"] in a["title"]  # the tooltip names where the review prints it


def test_datum_follows_the_data(project):
    path = project / "data" / "measurements.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("m006,GSCP,GSCP,host,half,unspecified,average_ce,99.0,",
                                                             "m006,GSCP,GSCP,host,half,unspecified,average_ce,97.3,"), encoding="utf-8")
    assert [a.get_text() for a in build(project).soup("numbers").select("a.datum")] == ["97.3 %", "97.3"]


def test_unknown_datum_id_is_an_error(project):
    page = project / "numbers.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA number that does not exist: {datum}`m999`.\n", encoding="utf-8")
    warnings = build(project).warnings.getvalue()
    assert "ERROR" in warnings and "unknown measurement id 'm999'" in warnings
    assert "numbers.md" in warnings  # the place is named


def test_unknown_citation_is_reported(project):
    page = project / "prose.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA claim {cite:p}`nobody2099nothing`.\n", encoding="utf-8")
    warnings = build(project).warnings.getvalue()
    assert "nobody2099nothing" in warnings and "prose.md" in warnings


# ---------------------------------------------------------------------------------------- labels
def review_number(key: str) -> str:
    """The `reviewnumber` field of a key in the real references.bib, read by hand."""
    text = (REPO / "references.bib").read_text(encoding="utf-8")
    entry = text[text.index(f"{{{key},"):]
    entry = entry[: entry.find("\n@") if "\n@" in entry else len(entry)]
    return entry.split("reviewnumber = {", 1)[1].split("}", 1)[0]


def test_labels_are_the_review_numbers(built):
    done = built
    for key in ("zhang2018lithiophilic", "yan2020bottom"):
        assert done.label(key) == review_number(key)
    assert done.label("wang2023advances") == "R"  # the review itself
    cites = done.soup("cites").select('a[href^="bibliography.html#cite-"]')
    assert [a.get_text(strip=True) for a in cites] == [review_number("zhang2018lithiophilic"), review_number("yan2020bottom")]


def test_an_added_paper_gets_a_label_and_its_own_entry(project):
    with (project / "references.bib").open("a", encoding="utf-8") as f:
        f.write(bib_entry("mmm2025added", "An added paper"))
    done = build(project)
    label = done.label("mmm2025added")
    assert label and not label.isdigit() and label != "R"  # never mistaken for a review number
    assert "An added paper" in done.entry("mmm2025added").get_text()


def test_adding_a_paper_renumbers_nothing(project):
    with (project / "references.bib").open("a", encoding="utf-8") as f:
        f.write(bib_entry("mmm2025added", "An added paper"))
    before = build(project)
    labels_before = {key: before.label(key) for key in ("mmm2025added", "yan2020bottom")}
    with (project / "references.bib").open("a", encoding="utf-8") as f:
        f.write(bib_entry("aaa2026first", "A later paper whose key sorts first"))
    after = build(project)
    assert {key: after.label(key) for key in labels_before} == labels_before
    assert after.label("aaa2026first") == "aaa2026first"  # an added paper is labelled with its key
    assert labels_before["mmm2025added"] == "mmm2025added"


def test_missing_offline_mathjax_is_a_clear_error(monkeypatch):
    import reviewfigs.sphinxext as ext

    monkeypatch.setattr(ext, "MATHJAX_PACKAGE", "no-such-mathjax-package")
    with pytest.raises(ext.MathJaxMissing, match="no-such-mathjax-package is not installed"):
        ext.mathjax_source()


def test_a_build_without_offline_mathjax_stops_at_the_start_and_says_why(project, monkeypatch):
    import reviewfigs.sphinxext as ext

    monkeypatch.setattr(ext, "MATHJAX_PACKAGE", "no-such-mathjax-package")
    with pytest.raises(Exception, match="no-such-mathjax-package is not installed"):
        build(project)
    assert not (project / "_build" / "html" / "index.html").exists()


def test_only_the_adapter_reads_sphinxcontrib_bibtex_internals():
    """The cite domain's state (citations, citation_refs, bibliographies) is read in sphinxext/bibtex.py only."""
    import re

    import reviewfigs

    internals = re.compile(r"get_domain\(\s*['\"]cite['\"]|\.citation_refs\b|\.bibliographies\b|\.bibliography_key\b"
                           r"|\.citations\b|sphinxcontrib\.bibtex\.")
    package = Path(reviewfigs.__file__).parent
    readers = sorted(str(p.relative_to(package)) for p in package.rglob("*.py") if internals.search(p.read_text(encoding="utf-8")))
    assert readers == ["sphinxext/bibtex.py"]


# ---------------------------------------------------------------------------------------- backlinks
def words(node) -> str:
    return " ".join(node.get_text().split())


def cited_in(done: Built, key: str) -> list[tuple[str, str]]:
    """(link text, href) of the 'Cited in' line under an entry."""
    line = done.entry(key).find(class_="cited-in")
    assert line is not None, f"no backlink line under {key}"
    return [(a.get_text(strip=True), a["href"]) for a in line.find_all("a")]


def test_backlinks_lead_to_the_citing_pages(built):
    done = built
    links = cited_in(done, "yan2020bottom")
    assert [text for text, _ in links] == ["Cites", "Numbers"]  # page titles, pages sorted by name
    for _, href in links:
        page, anchor = href.split("#")
        assert done.soup(page.removesuffix(".html")).find(id=anchor) is not None, href
    assert words(done.entry("zhang2018lithiophilic").find(class_="cited-in")) == "Cited in: Cites"
    assert words(done.entry("wang2023advances").find(class_="cited-in")) == "Not cited on another page."


@pytest.mark.parametrize("key", ["Smith2025Graded", "smith_2025_graded", "Lee_2024:host"])
def test_backlinks_for_keys_with_capitals_or_underscores(project, key):
    with (project / "references.bib").open("a", encoding="utf-8") as f:
        f.write(bib_entry(key, "A paper with an unusual key"))
    page = project / "cites.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\nAn unusual key {{cite:p}}`{key}`.\n", encoding="utf-8")
    done = build(project)
    title = done.soup("bibliography").find(string=lambda text: text and "A paper with an unusual key" in text)
    entry = title.find_parent(class_="citation")
    line = entry.find(class_="cited-in")
    assert [a.get_text(strip=True) for a in line.find_all("a")] == ["Cites"]


# ---------------------------------------------------------------------------------------- freshness
def test_library_inputs_are_the_modules_that_can_change_a_page():
    library = set(freshness.library_inputs())
    assert "reviewfigs/data/load.py" in library and "reviewfigs/cli.py" not in library
    assert freshness.is_code_page("# T\n\n```{code-cell} ipython3\nimport reviewfigs\n```\n")
    assert not freshness.is_code_page((PROJECT / "numbers.md").read_text(encoding="utf-8"))


def test_a_datum_page_depends_on_its_rows_not_on_the_others(project):
    """Per-page data dependencies: the numbers page shows m006 (GSCP) only, so an edit to another study's row
    reads nothing again, and an edit to m006 reads exactly that page."""
    done = build(project)
    path = project / "data" / "measurements.csv"
    rows = path.read_text(encoding="utf-8")
    other = next(line for line in rows.splitlines() if line.startswith("m002,"))
    assert ",GSCP," not in other
    path.write_text(rows.replace(other, other.replace(",200,", ",201,", 1)), encoding="utf-8")
    assert done.build().reread == []
    path.write_text(rows.replace(",average_ce,99.0,", ",average_ce,98.1,", 1), encoding="utf-8")
    assert done.build().reread == ["numbers"]
    assert done.soup("numbers").select("a.datum")[0].get_text() == "98.1 %"


def test_a_reference_edit_rereads_the_datum_page_that_cites_it(project):
    done = build(project)
    bib = project / "references.bib"
    text = bib.read_text(encoding="utf-8")
    key = study_bibkey("GSCP")
    start = text.index("{" + key + ",")
    brace = text.index("{", text.index("title", start)) + 1
    bib.write_text(text[:brace] + "Edited " + text[brace:], encoding="utf-8")
    assert "numbers" in done.build().reread


def test_no_change_rereads_nothing(project):
    done = build(project)
    assert set(done.reread) == {"index", "numbers", "prose", "cites", "bibliography"}
    assert done.build().reread == []


def test_data_edit_rereads_exactly_the_pages_that_read_data(project):
    done = build(project)
    path = project / "data" / "measurements.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",average_ce,99.0,", ",average_ce,98.1,", 1), encoding="utf-8")
    assert done.build().reread == ["numbers"]
    assert done.soup("numbers").select("a.datum")[0].get_text() == "98.1 %"


def test_prose_edit_rereads_only_that_page(project):
    done = build(project)
    page = project / "prose.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert done.build().reread == ["prose"]


def test_restored_file_with_an_older_mtime_is_detected(project):
    path = project / "data" / "measurements.csv"
    original, stat = path.read_bytes(), path.stat()
    done = build(project)
    path.write_bytes(original.replace(b",average_ce,99.0,", b",average_ce,98.1,", 1))
    assert done.build().reread == ["numbers"]
    path.write_bytes(original)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # older than both builds
    assert path.stat().st_mtime < time.time() - 1
    assert done.build().reread == ["numbers"]
    assert done.soup("numbers").select("a.datum")[0].get_text() == "99.0 %"


def test_restored_page_source_with_an_older_mtime_is_detected(project):
    page = project / "prose.md"
    original, stat = page.read_bytes(), page.stat()
    done = build(project)
    page.write_bytes(original + b"\nA sentence that will be taken back.\n")
    done.build()
    page.write_bytes(original)
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert done.build().reread == ["prose"]
    assert "taken back" not in done.soup("prose").get_text()


def test_a_damaged_doctree_is_read_again_not_a_traceback(project):
    """Reliability B6: an interrupted write or a damaged disk leaves a doctree pickle that does not load."""
    done = build(project)
    doctree = project / "_build" / "doctrees" / "prose.doctree"
    assert doctree.is_file()
    doctree.write_bytes(doctree.read_bytes()[:40])  # cut short
    (project / "_build" / "html" / "prose.html").unlink()  # the page must be written again, from its doctree
    assert done.build().reread == ["prose"]
    assert (project / "_build" / "html" / "prose.html").is_file()


def test_kernels_are_pointed_at_the_project_being_built(project):
    os.environ[ROOT_ENV] = "/somewhere/else"
    build(project)
    assert Path(os.environ[ROOT_ENV]) == project.resolve()


def published_index_entries(project: Path) -> dict[str, list[tuple[str, str, bool]]]:
    """The index entries of the written search index, by entry, with page names instead of page numbers."""
    text = (project / "_build" / "html" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    return {entry: sorted((index["docnames"][doc], anchor, main) for doc, anchor, main in hits)
            for entry, hits in index["indexentries"].items()}


def test_search_keeps_every_pages_index_entries_across_rebuilds(project):
    """Sphinx 7.4 drops the index entries of the pages a rebuild does not write (sphinx-doc/sphinx#12599): a
    search for a glossary term would stop offering the term. Here they survive a data edit (another page
    written) and a no-change rebuild, and a rebuild that writes the glossary page replaces its entries."""
    done = build(project)
    cold = published_index_entries(project)
    assert [page for page, _, _ in cold.get("host", [])] == ["prose"], cold
    path = project / "data" / "measurements.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",average_ce,99.0,", ",average_ce,98.1,", 1), encoding="utf-8")
    assert done.build().reread == ["numbers"]
    assert published_index_entries(project) == cold
    assert done.build().reread == []
    assert published_index_entries(project) == cold
    page = project / "prose.md"
    page.write_text(page.read_text(encoding="utf-8").replace("host\n", "porous host\n"), encoding="utf-8")
    assert done.build().reread == ["prose"]
    assert set(published_index_entries(project)) == set(cold) - {"host"} | {"porous host"}
