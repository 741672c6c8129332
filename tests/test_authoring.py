"""`reviewfigs new-study`: a valid paper is appended; anything wrong is refused and nothing is written."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from reviewfigs import DataError, load_review
from reviewfigs.cli import app

runner = CliRunner()
ENTRY = """@article{smith2025graded,
  author = {Smith, A. and Jones, B.},
  title = {A graded carbon host for lithium},
  journal = {Journal of Tests},
  year = {2025},
  volume = {1},
  pages = {1--10}
}
"""


def snapshot(book):
    return {p: p.read_bytes() for p in [book / "references.bib", *sorted((book / "data").glob("*.csv"))]}


def new_study(book, tmp_path, entry=ENTRY, key="smith2025graded", name="GCH", section="2.1"):
    bib = tmp_path / "entry.bib"
    bib.write_text(entry, encoding="utf-8")
    return runner.invoke(app, ["new-study", key, "--name", name, "--section", section, "--bib", str(bib), "--root", str(book)])


def test_new_study_appends_entry_and_a_row_that_guesses_nothing(book_copy, tmp_path):
    result = new_study(book_copy, tmp_path)
    assert result.exit_code == 0, result.output
    assert "smith2025graded" in (book_copy / "references.bib").read_text(encoding="utf-8")
    rows = list(csv.DictReader((book_copy / "data" / "studies.csv").read_text(encoding="utf-8").splitlines()))
    added = rows[-1]
    assert (added["study"], added["section"], added["gradient"], added["bibkey"]) == ("GCH", "2.1", "lithiophilicity", "smith2025graded")
    assert added["added"]  # dated, so the "What's new" page lists it
    # what the paper may not say is recorded as not stated, never a plausible guess
    for column in ("host_material", "lithiophilic_components", "conductive_components", "fabrication", "deposition_mode"):
        assert added[column] == "not stated", column
    assert added["electrolyte"] == ""
    ids = [row["id"] for row in csv.DictReader((book_copy / "data" / "measurements.csv").read_text(encoding="utf-8").splitlines())]
    assert f"m{max(int(i[1:]) for i in ids) + 1:03d}" in result.stdout  # starter measurement rows continue the ids


def test_starter_study_row_validates_as_written(book_copy, tmp_path):
    assert new_study(book_copy, tmp_path).exit_code == 0
    review = load_review(book_copy)
    row = review.study("GCH")
    assert row["deposition_mode"] == "not stated"
    assert review.bib.number_for("smith2025graded") is None


def test_existing_key_is_refused_and_nothing_written(book_copy, tmp_path):
    before = snapshot(book_copy)
    result = new_study(book_copy, tmp_path, entry=ENTRY.replace("smith2025graded", "zhang2018lithiophilic"), key="zhang2018lithiophilic")
    assert result.exit_code == 1
    assert "'zhang2018lithiophilic' already exists" in result.output
    assert snapshot(book_copy) == before


def test_malformed_entry_is_refused_and_nothing_written(book_copy, tmp_path):
    before = snapshot(book_copy)
    result = new_study(book_copy, tmp_path, entry=ENTRY.replace("smith2025graded,", "smith2025graded"))
    assert result.exit_code == 1
    assert "malformed BibTeX entry" in result.output
    assert snapshot(book_copy) == before


def test_entry_missing_fields_and_bad_section_are_refused(book_copy, tmp_path):
    before = snapshot(book_copy)
    result = new_study(book_copy, tmp_path, entry=ENTRY.replace("  title = {A graded carbon host for lithium},\n", ""), section="4.2")
    assert result.exit_code == 1
    assert "field 'title': missing" in result.output
    assert "'4.2' is not a section" in result.output
    assert snapshot(book_copy) == before


def test_paper_cited_by_the_review_reuses_its_entry(book_copy):
    """A paper the review cites but does not tabulate: no --bib, the existing entry is used."""
    before = (book_copy / "references.bib").read_bytes()
    result = runner.invoke(app, ["new-study", "noh2021carbon", "--name", "PSG-C", "--section", "2.1", "--root", str(book_copy)])
    assert result.exit_code == 0, result.output
    assert (book_copy / "references.bib").read_bytes() == before
    assert "PSG-C,2.1,lithiophilicity" in (book_copy / "data" / "studies.csv").read_text(encoding="utf-8")


def test_our_label_marks_the_name_as_the_books(book_copy):
    """A paper that names no study: --our-label writes named_by, and the loaded study carries it."""
    from reviewfigs import load_review
    from reviewfigs.vocab import OUR_LABEL

    result = runner.invoke(app, ["new-study", "noh2021carbon", "--name", "Carbon host of Noh", "--our-label",
                                 "--section", "2.1", "--root", str(book_copy)])
    assert result.exit_code == 0, result.output
    assert load_review(book_copy).study("Carbon host of Noh")["named_by"] == OUR_LABEL
    result = runner.invoke(app, ["new-study", "zhang2020sustainable", "--name", "Named", "--section", "2.1",
                                 "--root", str(book_copy)])
    assert result.exit_code == 0, result.output
    assert not isinstance(load_review(book_copy).study("Named")["named_by"], str)  # without the flag: the paper's own name


def test_key_already_used_by_a_study_is_refused(book_copy):
    before = snapshot(book_copy)
    result = runner.invoke(app, ["new-study", "yan2020bottom", "--name", "Other", "--section", "2.1", "--root", str(book_copy)])
    assert result.exit_code == 1
    assert "already the paper of study 'GSCP'" in result.output
    assert snapshot(book_copy) == before


def test_unknown_key_without_entry_is_refused(book_copy):
    before = snapshot(book_copy)
    result = runner.invoke(app, ["new-study", "nobody2030none", "--name", "Other", "--section", "2.1", "--root", str(book_copy)])
    assert result.exit_code == 1
    assert "give the paper's entry with --bib" in result.output
    assert snapshot(book_copy) == before


def test_starter_rows_guess_nothing_and_are_refused_until_filled(book_copy, tmp_path):
    result = new_study(book_copy, tmp_path)
    starter = result.stdout.strip().splitlines()
    assert starter[0].startswith("id,study,sample,")  # the header, so authors see the columns
    rows = list(csv.DictReader(starter))
    assert len(rows) == 3
    for row in rows:  # no guessed cell, format, sample, loading unit or figure
        assert row["cell_format"] == "not stated"
        assert row["sample"] == row["value"] == row["cathode"] == row["cathode_loading_unit"] == ""
        assert row["source"] == "paper:"
    assert rows[0]["cell_type"] == "not stated"
    path = book_copy / "data" / "measurements.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(starter[1:]) + "\n", encoding="utf-8")
    try:
        load_review(book_copy)
    except DataError as exc:
        report = str(exc)
    else:
        raise AssertionError("starter rows must not validate")
    lines = path.read_text(encoding="utf-8").splitlines()
    first = len(lines) - 2  # line number of the first starter row
    for line in (first, first + 1, first + 2):  # each row is refused for its empty sample and place
        # (an empty value alone is allowed: a test the paper reports without a number)
        assert f"data/measurements.csv:{line}: field 'sample': missing" in report, line
        assert f"data/measurements.csv:{line}: field 'source'" in report, line


def test_key_prints_the_key_of_a_review_reference(repo):
    from reviewfigs.data.bib import read_bibliography

    bib, _ = read_bibliography(repo / "references.bib")
    number = 123
    expected = next(r.key for r in bib.references.values() if r.number == number)
    result = runner.invoke(app, ["key", str(number), "--root", str(repo)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == expected
    missing = runner.invoke(app, ["key", "9999", "--root", str(repo)])
    assert missing.exit_code == 1
    assert "9999" in missing.output


def test_an_added_entry_says_it_is_not_from_the_review(book_copy, tmp_path):
    """new-study gives the pasted entry the note that tells a reader why the reference is in the book."""
    result = new_study(book_copy, tmp_path, entry=ENTRY, section="2.1")
    assert result.exit_code == 0, result.output
    text = (book_copy / "references.bib").read_text(encoding="utf-8")
    entry = text.split("@article{smith2025graded,", 1)[1].split("\n}", 1)[0]
    assert "note = {Not cited in the review; added to this book on " in entry
