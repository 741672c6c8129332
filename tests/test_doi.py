"""DOIs in references.bib: syntax, one paper per DOI, a source for every DOI; the coverage report; the links.

No test reaches the network: the sources are page addresses recorded in the bibliography, checked by hand.
Expected values are read from references.bib with plain text search, not through the library under test.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from reviewfigs.cli import app
from reviewfigs.data.bib import DOI_IN_REVIEW, DOI_NOT_FOUND, parse_bibliography, read_bibliography
from reviewfigs.text.doi import coverage, missing_doi_myst, report_text
from support.repo import seed_text

runner = CliRunner()
#: Crossref's recommended pattern for modern DOIs (a stricter rule than the library's, on purpose)
CROSSREF_DOI = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9<>\[\]]+$")


def raw_entries(repo) -> dict[str, dict[str, str]]:
    """key -> {field: value}, parsed with a regex from the file, not through bibtexparser."""
    text = (repo / "references.bib").read_text(encoding="utf-8")
    entries = {}
    for key, body in re.findall(r"@\w+\{([^,\s]+),(.*?)\n\}", text, re.S):
        entries[key] = {k.lower(): v for k, v in re.findall(r"^\s*(\w+)\s*=\s*\{(.*)\},?\s*$", body, re.M)}
    return entries


def entry(key: str, **fields: str) -> str:
    base = {"author": "Smith, A.", "title": "A graded host", "journal": "J", "year": "2024", **fields}
    return f"@article{{{key},\n" + ",\n".join(f"  {k} = {{{v}}}" for k, v in base.items()) + "\n}\n"


# ------------------------------------------------------------------ the real bibliography
def test_every_doi_has_crossref_syntax_and_a_source(repo):
    entries = raw_entries(repo)
    with_doi = {k: e for k, e in entries.items() if "doi" in e}
    assert with_doi, "references.bib has no DOI at all"
    for key, e in with_doi.items():
        assert CROSSREF_DOI.match(e["doi"]), f"{key}: {e['doi']}"
        where, _, checked = e.get("doi_source", "").rpartition("; checked ")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", checked), f"{key}: doi_source has no date checked"
        assert where.startswith(("https://", "http://")) or where == DOI_IN_REVIEW, f"{key}: {where!r} is not a page"


def test_no_doi_is_shared_by_two_entries(repo):
    dois = [e["doi"].lower() for e in raw_entries(repo).values() if "doi" in e]
    assert len(dois) == len(set(dois))


def test_the_doi_the_review_prints_says_so_and_is_in_the_review(repo):
    printed = {k: e["doi"] for k, e in raw_entries(repo).items() if e.get("doi_source", "").startswith(DOI_IN_REVIEW)}
    assert printed, "the review prints one DOI (reference [57]); its entry should say so"
    text = seed_text()
    for key, doi in printed.items():
        assert f"https://doi.org/{doi}" in text, key


def test_no_source_is_an_internal_notes_file(repo):
    for key, e in raw_entries(repo).items():
        assert "MODELS.md" not in e.get("doi_source", ""), key


def test_every_review_reference_was_checked(repo):
    """Each of the review's references has a DOI with its source, or says none was found."""
    for key, e in raw_entries(repo).items():
        if "reviewnumber" in e:
            assert "doi_source" in e, key


# ------------------------------------------------------------------ the checks, on small inputs
def issues_of(text: str):
    return parse_bibliography(text, "refs.bib")[1]


def test_a_valid_doi_with_its_source_passes():
    assert issues_of(entry("a2024", doi="10.1234/abc.5", doi_source="https://example.org/a; checked 2026-12-04")) == []


def test_an_entry_without_doi_or_source_passes():
    """A paper an author adds without a DOI is valid: the DOI is unknown, not wrong."""
    assert issues_of(entry("a2024")) == []
    assert issues_of(entry("a2024", doi_source=f"{DOI_NOT_FOUND}; checked 2026-12-04")) == []


def test_a_doi_without_source_is_refused_naming_file_line_entry_and_field():
    [issue] = issues_of("\n" + entry("a2024", doi="10.1234/abc"))
    assert (issue.file, issue.line, issue.field) == ("refs.bib", 2, "doi_source")
    assert "'a2024'" in issue.message and "10.1234/abc" in issue.message and "checked YYYY-MM-DD" in issue.message


@pytest.mark.parametrize("doi", ["doi:10.1234/abc", "https://doi.org/10.1234/abc", "10.12/abc", "10.1234/a b", "11.1234/abc"])
def test_bad_doi_syntax_is_refused(doi):
    found = issues_of(entry("a2024", doi=doi, doi_source="https://example.org/a; checked 2026-12-04"))
    assert [i.field for i in found] == ["doi"] and doi in found[0].message


def test_a_duplicate_doi_is_refused_whatever_its_case():
    text = (entry("a2024", doi="10.1234/ABC", doi_source="https://example.org/a; checked 2026-12-04")
            + entry("b2024", doi="10.1234/abc", doi_source="https://example.org/b; checked 2026-12-04"))
    [issue] = issues_of(text)
    assert issue.field == "doi" and "'b2024'" in issue.message and "'a2024'" in issue.message


@pytest.mark.parametrize("source, words", [
    ("MODELS.md (notes)", "expected '<address"),
    ("https://example.org/a", "expected '<address"),
    ("ftp://example.org/a; checked 2026-12-04", "not a page address"),
    ("https://example.org/a; checked 2026-13-04", "not a date"),
    (f"{DOI_NOT_FOUND}; checked 2026-12-04", "its source says"),
])
def test_a_source_that_does_not_say_where_and_when_is_refused(source, words):
    found = issues_of(entry("a2024", doi="10.1234/abc", doi_source=source))
    assert [i.field for i in found] == ["doi_source"] and words in found[0].message


def test_a_page_named_as_source_needs_its_doi():
    [issue] = issues_of(entry("a2024", doi_source="https://example.org/a; checked 2026-12-04"))
    assert issue.field == "doi_source" and "has no doi" in issue.message


def test_a_disagreement_names_a_field():
    ok = entry("a2024", doi_source=f"{DOI_NOT_FOUND}; checked 2026-12-04", doi_disagrees="year: the page says 2019 (https://x.org)")
    assert issues_of(ok) == []
    [issue] = issues_of(entry("a2024", doi_disagrees="the page differs"))
    assert issue.field == "doi_disagrees"


# ------------------------------------------------------------------ the coverage report
def test_doi_report_counts_and_lists_every_entry(repo):
    entries = raw_entries(repo)
    result = runner.invoke(app, ["doi-report", "--root", str(repo)])
    assert result.exit_code == 0, result.output
    out = result.output
    found = {k for k, e in entries.items() if "doi" in e}
    disagreeing = {k for k, e in entries.items() if "doi_disagrees" in e}
    assert f"found: {len(found)}   disagreeing: {len(disagreeing)}" in out
    assert f"{len(found)} of {len(entries)} entries have a DOI with a source" in out
    for key in found:
        e = entries[key]
        host = re.match(r"https?://([^/]+)", e["doi_source"])
        where = f"from {host.group(1)}" if host else DOI_IN_REVIEW
        assert re.search(rf"\] {key}: {re.escape(e['doi'])} \({re.escape(where)}\)|^  {key}: {re.escape(e['doi'])}", out, re.M), key
    for key in disagreeing:
        field = entries[key]["doi_disagrees"].split(":")[0]
        assert re.search(rf"{key}: {field} disagrees: ", out), key
    for key in set(entries) - found - disagreeing:
        assert re.search(rf"(\] |^  ){key}(: checked |$)", out, re.M), key


def test_doi_report_on_a_small_bibliography(tmp_path):
    text = (entry("a2024", doi="10.1234/abc", doi_source="https://pages.example.org/x; checked 2026-12-04")
            + entry("b2024", doi_source=f"{DOI_NOT_FOUND}; checked 2026-12-04", doi_disagrees="title: the page has another title (https://y.org)")
            + entry("c2024", doi_source=f"{DOI_NOT_FOUND}; checked 2026-12-04")
            + entry("d2024"))
    (tmp_path / "references.bib").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["doi-report", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "1 of 4 entries have a DOI with a source" in result.output
    assert "found: 1   disagreeing: 1   not found: 1   not checked: 1" in result.output
    assert "  a2024: 10.1234/abc (from pages.example.org)" in result.output
    assert "  b2024: title disagrees: the page has another title (https://y.org)" in result.output
    assert "  c2024: checked 2026-12-04" in result.output
    assert result.output.rstrip().endswith("  d2024")


def test_doi_report_fails_on_a_bad_bibliography(tmp_path):
    (tmp_path / "references.bib").write_text(entry("a2024", doi="10.1234/abc"), encoding="utf-8")
    result = runner.invoke(app, ["doi-report", "--root", str(tmp_path)])
    assert result.exit_code == 1 and "doi_source" in result.output


# ------------------------------------------------------------------ what the pages show
def test_missing_list_names_every_entry_without_a_doi_and_links_its_entry(repo):
    entries = raw_entries(repo)
    bib, _ = read_bibliography(repo / "references.bib")
    text = missing_doi_myst(bib)
    linked = re.findall(r'<a href="#cite-([^"]+)">', text)
    assert set(linked) == {k for k, e in entries.items() if "doi" not in e}
    assert len(linked) == len(set(linked))


def test_tooltips_and_exports_carry_the_doi(real_review, repo):
    from reviewfigs.plots._links import Links

    entries = raw_entries(repo)
    links = Links.from_review(real_review)
    for key, line in links.references.items():
        doi = entries[key].get("doi")
        assert (f"https://doi.org/{doi}" in line) if doi else ("doi.org" not in line), key
        assert links.dois.get(key) == (f"https://doi.org/{doi}" if doi else None)
    tidy = real_review.tidy()
    for key, doi in zip(tidy["bibkey"], tidy["doi"]):
        assert (doi if isinstance(doi, str) else None) == entries[key].get("doi"), key


def test_coverage_sorts_each_entry_once(repo):
    bib, _ = read_bibliography(repo / "references.bib")
    cov = coverage(bib)
    keys = [r.key for part in (cov.found, cov.disagreeing, cov.not_found, cov.not_checked) for r in part]
    assert sorted(keys) == sorted(bib.keys)
    assert report_text(bib).count("\n  ") >= len(bib)
