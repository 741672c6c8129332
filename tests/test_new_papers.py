"""Two papers added the way CONTRIBUTING says, then every view that lists studies checked.

One paper is known only from its abstract (authors unknown, a family the review lacks, a cell of
unstated format, a Li-O2 cell and fabrication figures); the other is fully specified, with layers.
After ``reviewfigs new-study`` and ``reviewfigs check`` each view must show each added study once,
say where its numbers come from (its own paper), and invent nothing.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from typer.testing import CliRunner

from reviewfigs.cli import app
from support.repo import review_only

runner = CliRunner()

ABSTRACT_ONLY = "PGC"
ABSTRACT_BIB = """@article{pore2026abstract,
  author = {others},
  title = {A pore-size graded carbon host for dendrite-free lithium},
  journal = {Journal of Synthetic Tests},
  year = {2026}
}
"""
FULL = "GCF/Cu"
FULL_BIB = """@article{gradi2026full,
  author = {Gradi, Anna and Host, B. and M{\\"u}ller, C.},
  title = {A conductivity-graded carbon fibre host},
  journal = {Journal of Synthetic Tests},
  year = {2026},
  volume = {3},
  pages = {10--20},
  doi = {10.1234/jst.2026.10},
  doi_source = {https://example.org/jst/2026/10; checked 2026-12-04}
}
"""
#: what each paper says, one dict per number (other columns empty)
ABSTRACT_ROWS = [
    dict(sample="PGC", role="host", cell_type="symmetric", cell_format="not stated", quantity="lifespan",
         value="1500", bound=">", unit="h", current_density="1", areal_capacity="1", source="paper: Abstract"),
    dict(sample="PGC", role="host", cell_type="not stated", cell_format="not stated", quantity="average_ce",
         value="99.2", bound="=", unit="%", source="paper: Abstract"),
    dict(sample="PGC@Li", role="host", cell_type="full", cell_format="not stated", quantity="capacity_retention",
         value="88", bound="=", unit="%", at_cycle="400", cathode="LFP", source="paper: Abstract"),
    dict(sample="PGC@Li", role="host", cell_type="full", cell_format="not stated", quantity="lifespan",
         value="800", bound=">", unit="h", chemistry="Li-O2", source="paper: Abstract"),
    dict(sample="PGC", role="host", cell_type="none", cell_format="not stated", quantity="li_deposited",
         value="10", bound="=", unit="mAh/cm2", source="paper: Abstract"),
    dict(sample="PGC", role="host", cell_type="none", cell_format="not stated", quantity="deposition_time",
         value="2", bound="=", unit="h", source="paper: Abstract"),
]
FULL_ROWS = [
    dict(sample="GCF/Cu", role="host", cell_type="half", cell_format="coin", quantity="average_ce", value="99.5",
         bound="=", unit="%", at_cycle="300", current_density="1", areal_capacity="1", source="paper: Fig. 3b"),
    dict(sample="GCF/Cu", role="host", cell_type="symmetric", cell_format="coin", quantity="lifespan", value="2000",
         bound="=", unit="h", current_density="2", areal_capacity="2", source="paper: Fig. 4a"),
    dict(sample="GCF/Cu@Li", role="host", cell_type="full", cell_format="pouch", quantity="cycles", value="250",
         bound="=", unit="cycles", c_rate="0.5", cathode="NCM811", cathode_loading="4.2",
         cathode_loading_unit="mAh/cm2", anode_li="8", anode_li_unit="mAh/cm2", electrolyte_amount="3",
         source="paper: Fig. 5c"),
    dict(sample="GCF/Cu@Li", role="host", cell_type="full", cell_format="pouch", quantity="capacity_retention",
         value="85", bound="=", unit="%", at_cycle="250", c_rate="0.5", cathode="NCM811", cathode_loading="4.2",
         cathode_loading_unit="mAh/cm2", anode_li="8", anode_li_unit="mAh/cm2", electrolyte_amount="3",
         source="paper: Table 2"),
]
FULL_LAYERS = [
    dict(study=FULL, position="1", material="Cu-coated carbon fibre", thickness_rel="1", lithiophilicity="1", conductivity="3"),
    dict(study=FULL, position="2", material="carbon fibre", thickness_rel="2", lithiophilicity="0", conductivity="2"),
    dict(study=FULL, position="3", material="oxidised carbon fibre", thickness_rel="1", lithiophilicity="0", conductivity="1"),
]
STUDY_FACTS = {  # the fully specified paper's host, replacing the starter row's "not stated"
    "host_material": "carbon fibre paper", "lithiophilic_components": "none beyond Cu at the bottom",
    "conductive_components": "Cu coating at the bottom, carbon fibre above", "fabrication": "graded electroless Cu plating",
    "deposition_mode": "bottom-up", "electrolyte": "1 M LiTFSI in DOL/DME",
}


def _append(book, table, rows, starter_ids=None):
    path = book / "data" / f"{table}.csv"
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    for i, row in enumerate(rows):
        writer.writerow({**({"id": starter_ids[i]} if starter_ids else {}), **row})
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + out.getvalue(), encoding="utf-8")


def _new_study(book, tmp_path, key, bib, name, *options):
    entry = tmp_path / f"{key}.bib"
    entry.write_text(bib, encoding="utf-8")
    result = runner.invoke(app, ["new-study", key, "--name", name, *options, "--bib", str(entry), "--root", str(book)])
    assert result.exit_code == 0, result.output
    return result.stdout


def _next_ids(stdout: str, n: int) -> list[str]:
    first = int(list(csv.DictReader(io.StringIO(stdout)))[0]["id"][1:])
    return [f"m{first + i:03d}" for i in range(n)]


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A copy of the book with both papers added; returns (root, review)."""
    import shutil

    from support.repo import COPY_IGNORE, REPO

    tmp = tmp_path_factory.mktemp("grown")
    book = tmp / "book"
    shutil.copytree(REPO, book, ignore=COPY_IGNORE)
    # 1. abstract only: the starter study row stays as written ("not stated" everywhere)
    out = _new_study(book, tmp, "pore2026abstract", ABSTRACT_BIB, ABSTRACT_ONLY, "--gradient", "pore-size")
    ids = _next_ids(out, len(ABSTRACT_ROWS) + len(FULL_ROWS))
    _append(book, "measurements", [{"study": ABSTRACT_ONLY, **r} for r in ABSTRACT_ROWS], ids[: len(ABSTRACT_ROWS)])
    check = runner.invoke(app, ["check", "--root", str(book)])
    assert check.exit_code == 0, check.output  # an abstract needs no untrue field
    # 2. fully specified, with layers
    _new_study(book, tmp, "gradi2026full", FULL_BIB, FULL, "--section", "2.2")
    path = book / "data" / "studies.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[-1].update(STUDY_FACTS)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    _append(book, "measurements", [{"study": FULL, **r} for r in FULL_ROWS], ids[len(ABSTRACT_ROWS):])
    _append(book, "layers", FULL_LAYERS)
    check = runner.invoke(app, ["check", "--root", str(book)])
    assert check.exit_code == 0, check.output
    from reviewfigs.data.load import load_review

    return book, load_review(book)


def test_check_counts_both_studies(grown, real_review):
    book, review = grown
    assert len(review.studies) == len(real_review.studies) + 2
    assert set(review.studies["study"]) - set(real_review.studies["study"]) == {ABSTRACT_ONLY, FULL}


def test_unknown_authors_are_recorded_as_unknown(grown):
    _, review = grown
    assert not review.bib["pore2026abstract"].authors_known
    assert review.bib["pore2026abstract"].short == "authors not recorded, 2026"
    assert review.bib["gradi2026full"].short == "Gradi et al., 2026"
    assert "Müller" in review.bib["gradi2026full"].authors  # LaTeX decoded by bibtexparser's middleware


def test_whats_new_lists_each_added_study_once_with_every_number(grown):
    from reviewfigs.text.tables import whats_new_myst

    _, review = grown
    text = whats_new_myst(review)
    for name in (ABSTRACT_ONLY, FULL):
        assert text.count(f"* - {name}") + len(re.findall(rf'</span>{re.escape(name)}\n', text)) == 1, name
        ids = review.measurements.loc[review.measurements["study"] == name, "id"]
        for mid in ids:  # every number of the paper, the Li-O2 cell and fabrication figures included
            assert text.count(f"{{datum}}`{mid}`") == 1, mid
    assert "none in the review" in text  # the pore-size family has no section of the review
    from reviewfigs.text.provenance import visible_conditions

    tidy = review.tidy().set_index("id")
    li_o2 = tidy[tidy["chemistry"] == "Li-O2"]
    assert len(li_o2) and all("Li-O2 cell" in visible_conditions(r, review.bib) for _, r in li_o2.iterrows())


def test_table1_has_each_study_once_and_an_honest_place_for_an_unstated_format(grown):
    from reviewfigs.text.interactive import table1_frame
    from reviewfigs.text.tables import UNSTATED_COLUMN, table1_myst, table1_rows

    _, review = grown
    rows = table1_rows(review)
    assert list(rows["Sample"]).count(ABSTRACT_ONLY) == 1
    assert list(rows["Sample"]).count(FULL) == 1
    pgc = rows[rows["Sample"] == ABSTRACT_ONLY].iloc[0]
    assert pgc["Coin cell"] == [] and pgc["Pouch cell"] == []  # never filed under a format it does not state
    assert len(pgc[UNSTATED_COLUMN]) == 1 and "LFP" in pgc[UNSTATED_COLUMN][0][0]
    full = rows[rows["Sample"] == FULL].iloc[0]
    assert len(full["Pouch cell"]) == 2 and full[UNSTATED_COLUMN] == []
    assert UNSTATED_COLUMN in table1_myst(review)
    frame = table1_frame(review)
    refs = dict(zip(frame["Sample"], frame["Ref."]))
    assert refs[ABSTRACT_ONLY] == "authors not recorded, 2026"
    assert refs[FULL] == "Gradi et al., 2026"
    assert not any("None" in r for r in refs.values())


def test_table1_of_the_review_alone_keeps_its_six_columns(real_review):
    from reviewfigs.text.tables import TABLE1_COLUMNS, UNSTATED_COLUMN, table1_myst

    review = review_only(real_review)  # whatever papers the data hold besides
    assert UNSTATED_COLUMN not in table1_myst(review)
    assert all(c in table1_myst(review) for c in TABLE1_COLUMNS)


def test_practical_gap_lists_each_full_cell_once_and_invents_no_format(grown):
    from reviewfigs.analysis.practical import practical_gap
    from reviewfigs.text.gap import practical_gap_myst

    _, review = grown
    gap = practical_gap(review)
    assert list(gap["study"]).count(ABSTRACT_ONLY) == 1  # the LFP cell; the Li-O2 cell has no cathode loading
    assert list(gap["study"]).count(FULL) == 1  # cycles and retention rows are one cell
    assert gap.loc[gap["study"] == ABSTRACT_ONLY, "cell_format"].item() == "unspecified"
    text = practical_gap_myst(review)
    assert "LFP, format not stated" in text
    assert "NCM811, pouch" in text
    assert gap.loc[gap["study"] == FULL, "meets_cathode_areal_capacity"].item() is True


def test_tooltips_name_the_paper_not_the_review(grown):
    from reviewfigs.text.provenance import describe

    _, review = grown
    tidy = review.tidy()
    for _, row in tidy[tidy["study"].isin([ABSTRACT_ONLY, FULL])].iterrows():
        text = describe(row, review.bib)
        assert "review" not in text, text
        assert row["source"] in text
    pgc = tidy[tidy["study"] == ABSTRACT_ONLY].iloc[0]
    assert "authors not recorded, 2026" in describe(pgc, review.bib)


def test_export_holds_the_new_quantities_and_chemistry(grown):
    from reviewfigs.export import render

    _, review = grown
    rows = list(csv.DictReader(io.StringIO(render(review.tidy(), "csv"))))
    mine = [r for r in rows if r["study"] == ABSTRACT_ONLY]
    assert {r["quantity"] for r in mine} >= {"li_deposited", "deposition_time"}
    o2 = [r for r in mine if r["chemistry"] == "Li-O2"]
    assert len(o2) == 1 and o2[0]["value"] in ("800", "800.0") and o2[0]["bound"] == ">"


def test_figure_descriptions_list_each_added_number_once(grown):
    from reviewfigs.figures import FIGURES

    _, review = grown
    ce = FIGURES["ce_map"].alt(review)
    assert ce.count(f"{ABSTRACT_ONLY} 99.2 %") == 1 and ce.count(f"{FULL} 99.5 %") == 1
    life = FIGURES["lifespan_bubbles"].alt(review)
    assert life.count(f"{ABSTRACT_ONLY} more than 1500 h") == 1  # the lower bound is kept
    assert life.count(f"{FULL} 2000 h") == 1
    full = FIGURES["fullcell_map"].alt(review)
    assert full.count(f"{FULL} with NCM811") == 1
    ret = FIGURES["retention_vs_cycles"].alt(review)
    assert ret.count(f"{ABSTRACT_ONLY} 88 % after 400 cycles") == 1
    assert ret.count(f"{FULL} 85 % after 250 cycles") == 1


@pytest.mark.parametrize("name", ["ce_map", "lifespan_bubbles", "fullcell_map", "retention_vs_cycles"])
def test_figures_draw_the_added_studies(grown, name):
    from reviewfigs.figures import FIGURES
    from reviewfigs.plots._links import marks_of

    _, review = grown
    fig = FIGURES[name].build(review)
    studies = [m.study for m in marks_of(fig)]
    assert FULL in studies, name
