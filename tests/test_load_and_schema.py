"""The real data pass the schema; each class of bad input is refused with file, line, field and expectation."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from reviewfigs import DataError, load_review
from reviewfigs.data.schema import TABLES

STUDIES_IN_REVIEW = {
    "2.1": {"GZCNT", "GSCP", "MOF-C(t)/X", "Holey GO/Li", "WDC-GDAg", "CC/Li/Li3N"},
    "2.2": {"CG", "CDG-sponge", "PAN/CNF", "SiC/CC", "LNO-CGH"},
    "2.3": {"DRS", "LGH-AS", "ZGIL", "G-HGA"},
}


def line_of(path: Path, startswith: str) -> int:
    """1-based line number of the first line starting with the given text (found independently of the loader)."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.startswith(startswith):
            return number
    raise AssertionError(f"{startswith!r} not in {path}")


def edit_cell(path: Path, row_startswith: str, column: str, new_value: str) -> int:
    """Change one cell of a CSV row in place; return the row's line number."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for _i, row in enumerate(rows):
        if row and row[0] == row_startswith:
            line = line_of(path, row_startswith + ",")
            row[header.index(column)] = new_value
            with path.open("w", newline="", encoding="utf-8") as f:
                csv.writer(f, lineterminator="\n").writerows(rows)
            return line
    raise AssertionError(f"no row {row_startswith!r} in {path}")


def problems(root: Path) -> str:
    with pytest.raises(DataError) as info:
        load_review(root)
    return str(info.value)


def test_real_data_has_every_study_of_section_2(real_review):
    own = real_review.studies[real_review.studies["added"].isna()]  # the review's studies, not later additions
    found = {s: set(g["study"]) for s, g in own.groupby("section")}
    assert found == STUDIES_IN_REVIEW


def test_every_table1_study_has_table1_rows(real_review):
    m = real_review.measurements
    in_table = set(m.loc[m["source"] == "Table 1", "study"])
    assert in_table == set().union(*STUDIES_IN_REVIEW.values()) - {"DRS"}


def test_vocabulary_files_are_documented(repo):
    """data/README.md documents every column of families.csv and quantities.csv (the vocabulary authors extend)."""
    readme = (repo / "data" / "README.md").read_text(encoding="utf-8")
    for name in ("families", "quantities"):
        section = readme.split(f"## `{name}.csv`", 1)[1].split("\n## ", 1)[0]
        for column in TABLES[name].columns:
            assert f"`{column}`" in section, (name, column)


def test_known_values_from_the_review_text(real_review):
    m = real_review.measurements.set_index("id")
    gscp_ce = m[(m["study"] == "GSCP") & (m["quantity"] == "average_ce") & (m["current_density"] == 1.0)]
    assert gscp_ce["value"].tolist() == [99.0]
    g_hga_np = m[(m["study"] == "G-HGA") & m["np_ratio"].notna()]["np_ratio"].unique().tolist()
    assert g_hga_np == [1.1]


def test_every_discrepancy_keeps_both_values(real_review):
    m = real_review.measurements
    for _, d in real_review.discrepancies.iterrows():
        rows = m[m["discrepancy"] == d["id"]]
        assert len(rows) >= 1
        if d["kind"] == "text-vs-table":
            assert "Table 1" in set(rows["source"]) and rows["source"].nunique() >= 2, d["id"]
            assert rows["value"].nunique() >= 2


def test_every_column_documented_in_data_readme(repo):
    readme = (repo / "data" / "README.md").read_text(encoding="utf-8")
    for spec in TABLES.values():
        for column in spec.columns:
            assert f"`{column}`" in readme, f"{spec.filename}: column {column} is not documented in data/README.md"


@pytest.mark.parametrize(
    ("row", "column", "value", "expected"),
    [
        ("m006", "value", "ninety-nine", ("value", "valid number", "ninety-nine")),
        ("m006", "value", "120", ("value", "out of range", "0 to 100")),
        ("m006", "unit", "", ("unit", "missing")),
        ("m006", "unit", "percent", ("unit", "'percent' is not the unit of average_ce; expected %")),
        ("m006", "cell_type", "coin-ish", ("cell_type", "symmetric")),
        ("m006", "study", "NoSuchHost", ("study", "unknown study 'NoSuchHost'")),
        ("m010", "value", "5000.5", ("value", "whole number")),
        ("m010", "cathode_loading_unit", "", ("cathode_loading_unit", "missing")),
        ("m010", "cathode", "", ("cathode", "full cell needs its cathode")),
        ("m007", "id", "m006", ("id", "duplicate id 'm006'; first used on line 7")),
        ("m007", "discrepancy", "D99", ("discrepancy", "'D99' is not an id")),
        # a study of the review cites the review, never a paper's own figure
        ("m006", "source", "paper: Fig. 2", ("source", "is a study of the review")),
        ("m006", "source", "Fig. 99x", ("source", "expected a place in the review")),
        # a metal-gas cell has no cathode material; a cathode-less full cell needs its chemistry
        ("m010", "chemistry", "Li-O2", ("cathode", "has no cathode material")),
        ("m006", "chemistry", "Li-O2", ("chemistry", "only a full cell")),
        ("m006", "chemistry", "Li-ion", ("chemistry", "'Li-O2'")),
    ],
)
def test_bad_measurement_is_refused_with_its_place(book_copy, row, column, value, expected):
    path = book_copy / "data" / "measurements.csv"
    line = edit_cell(path, row, column, value)
    report = problems(book_copy)
    assert f"data/measurements.csv:{line}:" in report
    for fragment in expected:
        assert fragment in report, report


def test_unknown_category_in_studies(book_copy):
    line = edit_cell(book_copy / "data" / "studies.csv", "GSCP", "gradient", "graded")
    report = problems(book_copy)
    assert f"data/studies.csv:{line}: field 'gradient'" in report
    assert "is not a family; expected one of lithiophilicity, conductivity, dual, pore-size" in report
    assert "one row of data/families.csv" in report


def test_not_stated_is_accepted_for_categories(book_copy):
    edit_cell(book_copy / "data" / "studies.csv", "GSCP", "deposition_mode", "not stated")
    edit_cell(book_copy / "data" / "measurements.csv", "m006", "cell_format", "not stated")
    review = load_review(book_copy)
    assert review.study("GSCP")["deposition_mode"] == "not stated"
    assert review.measurement("m006")["cell_format"] == "unspecified"  # one spelling downstream


def test_added_study_must_cite_its_own_paper_not_the_review(book_copy):
    edit_cell(book_copy / "data" / "studies.csv", "GSCP", "added", "2026-01-05")
    report = problems(book_copy)
    line = line_of(book_copy / "data" / "measurements.csv", "m006")
    assert f"data/measurements.csv:{line}: field 'source': 'Sect. 2.1 para 3' is a place in the review" in report


def test_new_family_has_no_section_and_a_date(book_copy):
    edit_cell(book_copy / "data" / "studies.csv", "GSCP", "gradient", "pore-size")
    report = problems(book_copy)
    assert "'pore-size' has no section in the review; leave section empty" in report
    edit_cell(book_copy / "data" / "studies.csv", "GSCP", "section", "")
    assert "must carry the date it was added" in problems(book_copy)


@pytest.mark.parametrize("column, value, words", [
    ("source", "p. 3", "'paper: Abstract'"),
    ("discrepancy", "3", "'D' and a number"),
])
def test_a_malformed_field_says_what_is_expected_in_words(book_copy, column, value, words):
    line = edit_cell(book_copy / "data" / "measurements.csv", "m006", column, value)
    report = problems(book_copy)
    assert f"data/measurements.csv:{line}: field '{column}': expected " in report and words in report, report
    assert "should match pattern" not in report and "^(" not in report  # no regular expression for the author


def test_our_label_only_for_an_added_study_and_only_one_word(book_copy):
    path = book_copy / "data" / "studies.csv"
    line = edit_cell(path, "GSCP", "named_by", "book")  # a study of the review: the review names it
    report = problems(book_copy)
    assert f"data/studies.csv:{line}: field 'named_by'" in report and "only a study added later" in report
    edit_cell(path, "GSCP", "named_by", "us")
    assert f"data/studies.csv:{line}: field 'named_by'" in problems(book_copy)


def test_our_label_is_said_wherever_the_study_is_named(book_copy):
    from reviewfigs.text.provenance import describe
    from reviewfigs.text.tables import table1_rows, whats_new_myst
    from reviewfigs.vocab import OUR_LABEL_NOTE

    path = book_copy / "data" / "studies.csv"
    with path.open(encoding="utf-8", newline="") as f:
        added = [r["study"] for r in csv.DictReader(f) if r["added"]]
    if not added:
        pytest.skip("the data hold no study added after the review")
    study = added[0]
    edit_cell(path, study, "named_by", "book")
    review = load_review(book_copy)
    named = f"{study} ({OUR_LABEL_NOTE})"
    assert named in whats_new_myst(review)
    assert named in list(table1_rows(review)["Sample"])
    tidy = review.tidy()
    for _, row in tidy.iterrows():  # its rows' tooltips say so, and no other study's
        assert describe(row, review.bib).startswith(named + ": ") == (row["study"] == study)


def test_study_citing_unknown_bib_key(book_copy):
    line = edit_cell(book_copy / "data" / "studies.csv", "GSCP", "bibkey", "nobody2099nothing")
    assert f"data/studies.csv:{line}: field 'bibkey': 'nobody2099nothing' is not a key in references.bib" in problems(book_copy)


def test_missing_column_is_named(book_copy):
    path = book_copy / "data" / "measurements.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    text[0] = text[0].replace(",unit,", ",units,")
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    report = problems(book_copy)
    assert "data/measurements.csv:1: field 'unit': column is missing" in report
    assert "data/measurements.csv:1: field 'units': unknown column" in report


def test_hours_and_cycles_must_agree(book_copy):
    # MOF-C(30)/Cu@Ag: 500 h at 0.4 mA/cm2 and 0.4 mAh/cm2 is 250 cycles; claim 400 instead.
    line = edit_cell(book_copy / "data" / "measurements.csv", "m015", "value", "400")
    report = problems(book_copy)
    assert f"data/measurements.csv:{line}: field 'value': 400 cycles contradicts 500 h" in report
    assert "expected 250 cycles" in report


def test_unflagged_text_table_contradiction(book_copy):
    path = book_copy / "data" / "measurements.csv"
    for row in ("m020", "m026"):
        edit_cell(path, row, "discrepancy", "")
    edit_cell(book_copy / "data" / "discrepancies.csv", "D1", "note", "kept only to test; unused now.")
    report = problems(book_copy)
    assert "Table 1 gives 500 cycles but Sect. 2.1 para 5 gives 600 cycles" in report
    assert "discrepancy 'D1' is not referenced by any measurement" in report


def test_several_errors_reported_in_one_run(book_copy):
    path = book_copy / "data" / "measurements.csv"
    first = edit_cell(path, "m006", "value", "abc")
    second = edit_cell(path, "m030", "unit", "furlongs")
    report = problems(book_copy)
    assert f"measurements.csv:{first}:" in report and f"measurements.csv:{second}:" in report
    assert "2 problem(s) found." in report
