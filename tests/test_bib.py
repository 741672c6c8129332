"""references.bib, read through bibtexparser v2: complete, numbered like the review, and strict."""

from __future__ import annotations

import re

import pytest

from reviewfigs import DataError, load_review
from reviewfigs.data.bib import parse_bibliography, read_bibliography
from support.repo import seed_text


@pytest.fixture(scope="module")
def bib(repo):
    parsed, issues = read_bibliography(repo / "references.bib")
    assert issues == []
    return parsed


def test_all_125_references_plus_the_review(bib):
    assert sorted(r.number for r in bib.references.values() if r.number is not None) == list(range(0, 126))


def test_numbers_map_to_keys_and_back(bib):
    key = bib.key_for(96)
    assert bib.number_for(key) == 96
    assert bib[key].first_author == "Zhang" and bib[key].year == "2018"
    assert bib[key].journal == "Nature Communications"


def test_titles_match_the_review_reference_list(bib, repo):
    """Each entry's title words appear in the review's own line for that number."""
    text = seed_text()
    refs = dict(re.findall(r"\[ (\d+) \] (.+?)(?=\n- \[ \d+ \]|\n\n## |\Z)", text.split("## References")[1], flags=re.S))
    assert len(refs) == 125
    for number, line in refs.items():
        ref = bib[bib.key_for(int(number))]
        flat = re.sub(r"[^a-z0-9]", "", re.sub(r"<[^>]+>|\\text|\$", "", line.lower()))
        title_start = re.sub(r"[^a-z0-9]", "", ref.title.lower())[:25]
        assert title_start in flat, f"[{number}] {ref.key}: title does not match the review"
        assert ref.year in line


def test_only_the_doi_of_57_is_the_reviews_own(bib):
    """Of the review's references, only [57] prints a DOI; every other DOI was read on a page (tests/test_doi.py)."""
    printed = {k for k, r in bib.references.items() if r.doi_source and r.doi_source.where == "printed in the review"}
    assert printed == {bib.key_for(57)}


def test_entries_outside_the_review_say_why_they_are_here(bib, repo):
    text = (repo / "references.bib").read_text(encoding="utf-8")
    for key, ref in bib.references.items():
        if ref.number is None:
            entry = text.split("{" + key + ",", 1)[1].split("\n}", 1)[0]
            assert "Not cited in the review" in entry, key


def test_malformed_entry_is_reported_with_its_line():
    text = "@article{good2020a,\n  author = {A, B.},\n  title = {T},\n  journal = {J},\n  year = {2020}\n}\n\n@article{broken2020\n  title = {x}\n}\n"
    _, issues = parse_bibliography(text, "references.bib")
    assert [(i.line, "malformed" in i.message) for i in issues] == [(8, True)]


def test_duplicate_key_and_missing_fields_in_real_file(book_copy):
    path = book_copy / "references.bib"
    original = path.read_text(encoding="utf-8")
    lines_before = original.count("\n")
    path.write_text(original + "\n@article{zhang2018lithiophilic,\n  title = {Again},\n  year = {2018}\n}\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_review(book_copy)
    report = str(info.value)
    assert f"references.bib:{lines_before + 2}: field 'key': duplicate entry key 'zhang2018lithiophilic'" in report


def test_unknown_citation_in_a_chapter_is_caught_before_sphinx(book_copy):
    page = book_copy / "chapters" / "table1.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee {cite:p}`nobody2099nothing`.\n", encoding="utf-8")
    from reviewfigs.lint import check_citations

    lines = page.read_text(encoding="utf-8").count("\n")
    problems = check_citations(book_copy, load_review(book_copy).bib)  # the data still load: chapters are not data
    assert [str(p) for p in problems] == [
        f"chapters/table1.md:{lines}: field 'cite': unknown citation key 'nobody2099nothing'; expected a key in references.bib"]


def test_unknown_authors_are_recorded_as_unknown_not_as_a_name():
    entry = "@article{x2026a, author = {others}, title = {T}, journal = {J}, year = {2026}}"
    bib, issues = parse_bibliography(entry, "t.bib")
    assert issues == []
    assert not bib["x2026a"].authors_known
    assert bib["x2026a"].short == "authors not recorded, 2026"


def test_names_are_split_and_latex_decoded_by_bibtexparser():
    entry = "@article{x2026b, author = {Val{\\o}en, L. O. and de la Cruz, Ana}, title = {T}, journal = {J}, year = {2026}}"
    bib, _ = parse_bibliography(entry, "t.bib")
    assert bib["x2026b"].last_names == ("Valøen", "de la Cruz")
    assert bib["x2026b"].short == "Valøen et al., 2026"
    one = parse_bibliography("@article{x2026c, author = {Solo, A.}, title = {T}, journal = {J}, year = {2026}}", "t.bib")[0]
    assert one["x2026c"].short == "Solo, 2026"


def test_unknown_year_and_journal_are_recorded_as_unknown_never_guessed():
    """An entry may leave out year and journal: check accepts it, and every view says 'not recorded'."""
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    from reviewfigs.sphinxext.bibtex import STYLE_NAME, register_style

    entry = "@article{enhancing2026valence, author = {others}, title = {Enhancing Li deposition in SnO2 and MXene hosts}}"
    bib, issues = parse_bibliography(entry, "t.bib")
    assert issues == []
    assert bib["enhancing2026valence"].short == "authors not recorded, year not recorded"
    register_style()
    style = find_plugin("pybtex.style.formatting", STYLE_NAME)()
    (formatted,) = style.format_entries(parse_string(entry, "bibtex").entries.values())
    html = formatted.text.render_as("html")
    assert "journal not recorded" in html and "year not recorded" in html
    assert "<em>journal not recorded" not in html  # not set as if it were a journal's name
    assert "Li deposition in SnO2 and MXene" in html  # chemical symbols keep their case without braces
    for bad in ("not stated", "None", "nan"):
        assert bad not in html
