"""The vocabulary: every record complete, and a new family or quantity is one CSV row that every view picks up."""

from __future__ import annotations

import shutil
import typing

import pytest
from matplotlib.colors import to_hex

from reviewfigs import vocab
from reviewfigs.data import schema
from reviewfigs.errors import DataError
from support.repo import COPY_IGNORE, REPO


def _literal(model, field) -> set[str]:
    annotation = model.model_fields[field].annotation
    args = typing.get_args(annotation)
    literal = next((a for a in args if typing.get_origin(a) is typing.Literal), annotation)
    return set(typing.get_args(literal))


def test_every_category_of_the_schema_has_its_record():
    """Each value the schema accepts has its words in vocab (a value without words would raise in a view)."""
    assert _literal(schema.Measurement, "bound") == set(vocab.BOUNDS)
    assert _literal(schema.Measurement, "cell_type") == set(vocab.CELL_TYPES)
    assert _literal(schema.Measurement, "cell_format") == set(vocab.CELL_FORMATS)
    assert _literal(schema.Measurement, "chemistry") == set(vocab.CHEMISTRIES)
    assert _literal(schema.Study, "section") == set(vocab.SECTIONS)
    for bound in vocab.BOUNDS.values():
        assert bound.symbol == "=" or (bound.sign and bound.words), bound
    for fmt in vocab.CELL_FORMATS.values():
        assert fmt.cell_words.endswith("cell"), fmt


def test_an_added_cathode_is_one_row_and_reaches_the_figures(tmp_path):
    """A cathode the review does not use: one row of data/cathodes.csv; a retention of it is drawn with a
    shape and a colour of its own and named in the legend; an unknown cathode is refused with the file's name."""
    import matplotlib

    matplotlib.use("Agg")
    from reviewfigs import load_review, plots
    from reviewfigs.plots.style import CATHODE_MARKERS, cathode_marker

    book = tmp_path / "book"
    shutil.copytree(REPO, book, ignore=COPY_IGNORE)
    data = book / "data"
    row = "m999,GSCP,GSCP@Li,host,full,coin,capacity_retention,80,,=,%,,300,,,1,LNMO,,,,,,,,,,,Table 1,,\n"
    with (data / "measurements.csv").open("a", encoding="utf-8") as f:
        f.write(row)
    with pytest.raises(DataError, match="'LNMO' is not a cathode.*data/cathodes.csv"):
        load_review(book)
    cathodes = data / "cathodes.csv"
    lines = cathodes.read_text(encoding="utf-8") if cathodes.is_file() else "cathode,meaning\n"
    cathodes.write_text(lines + "LNMO,spinel LiNi0.5Mn1.5O4 as a test cathode\n", encoding="utf-8")
    review = load_review(book)
    assert "LNMO" in review.vocabulary.cathodes
    ax = plots.retention_vs_cycles(review.tidy())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "LNMO" in legend and cathode_marker("LNMO") not in CATHODE_MARKERS.values()


def test_cathodes_have_a_model_entry_a_colour_and_a_marker():
    from reviewfigs.models import CATHODES
    from reviewfigs.plots.style import CATHODE_COLORS, CATHODE_MARKERS

    assert set(vocab.CATHODES) <= set(CATHODES)
    assert set(CATHODE_COLORS) == set(CATHODE_MARKERS) == set(vocab.CATHODES)


def test_every_section_has_its_chapter(repo):
    for section in vocab.SECTIONS.values():
        assert (repo / "chapters" / f"{section.chapter}.md").is_file(), section


def test_every_family_and_quantity_of_the_data_is_complete(real_review):
    families = real_review.vocabulary.families
    assert list(families)[:3] == list(vocab.REVIEW_FAMILIES)
    assert len({f.colour.upper() for f in families.values()}) == len(families)  # no two families share a colour
    for family in families.values():
        assert family.label and family.title[:1] == family.label[:1].upper() and family.colour.startswith("#")
    for quantity in real_review.vocabulary.quantities.values():
        assert quantity.label and quantity.unit and quantity.low <= quantity.high
    assert set(real_review.measurements["quantity"]) <= set(real_review.vocabulary.quantities)


def test_units_print_their_powers():
    assert vocab.unit_text("mAh/cm2") == "mAh/cm²"
    assert vocab.unit_text("cm2") == "cm²"
    assert vocab.unit_text("mg/cm3") == "mg/cm³"
    assert vocab.unit_text("%") == "%" and vocab.unit_text("NCM622") == "NCM622"
    assert vocab.readable_units("symmetric cell, 1 mA/cm2, 2 mAh/cm2") == "symmetric cell, 1 mA/cm², 2 mAh/cm²"


def test_a_family_without_a_colour_gets_the_next_free_one():
    families = vocab.assign_colours([("pore-size", "pore-size gradient", "#5E3C99"), ("valence", "valence gradient", None),
                                     ("composition", "composition gradient", None)])
    colours = [f.colour for f in families]
    assert colours[3:] == ["#5E3C99", "#882255", "#117733"]
    assert len(set(colours)) == len(colours)


# ------------------------------------------------------- one row each: a family and a quantity
VALENCE_BIB = """@article{enhancing2026valence,
  author = {others},
  title = {Enhancing Li deposition with a valence-gradient Fe layer},
  journal = {Journal of Synthetic Tests},
  year = {2026}
}
"""


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    """A copy of the book with one family row, one quantity row and a paper that uses both (no code edited)."""
    from typer.testing import CliRunner

    from reviewfigs.cli import app
    from reviewfigs.data.load import load_review
    from support.repo import COPY_IGNORE, REPO

    tmp = tmp_path_factory.mktemp("vocab")
    book = tmp / "book"
    shutil.copytree(REPO, book, ignore=COPY_IGNORE)
    # one row each, unless the real data already hold that row (an author added it with a real paper)
    for name, row in (("families.csv", "valence,valence gradient,"),
                      ("quantities.csv", 'volume_expansion,%,volume expansion,volume expansion,0,1000,,"thickness change on plating"')):
        path = book / "data" / name
        if not any(line.split(",")[0] == row.split(",")[0] for line in path.read_text(encoding="utf-8").splitlines()):
            with path.open("a", encoding="utf-8") as f:
                f.write(row + "\n")
    (tmp / "new.bib").write_text(VALENCE_BIB, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["new-study", "enhancing2026valence", "--name", "VFe", "--gradient", "valence",
                                 "--bib", str(tmp / "new.bib"), "--root", str(book)])
    assert result.exit_code == 0, result.output
    header = (book / "data" / "measurements.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    rows = [
        dict(id="m901", study="VFe", sample="VFe", role="host", cell_type="none", cell_format="not stated",
             quantity="volume_expansion", value="4.6", bound="=", unit="%", areal_capacity="8", source="paper: Abstract"),
        dict(id="m902", study="VFe", sample="VFe@Li", role="host", cell_type="full", cell_format="not stated",
             quantity="cycles", value="950", bound="<~", unit="cycles", cathode="LFP", c_rate="1", np_ratio="1.19",
             cathode_loading="3", cathode_loading_unit="mAh/cm2", source="paper: Abstract"),
        dict(id="m903", study="VFe", sample="VFe", role="host", cell_type="half", cell_format="not stated",
             quantity="average_ce", value="98.5", bound="=", unit="%", current_density="1", areal_capacity="1",
             at_cycle="100", source="paper: Abstract"),
        dict(id="m904", study="VFe", sample="VFe", role="host", cell_type="symmetric", cell_format="not stated",
             quantity="lifespan", value="1200", bound="=", unit="h", source="paper: Abstract"),  # no J, no Q
        dict(id="m905", study="VFe", sample="VFe", role="host", cell_type="symmetric", cell_format="not stated",
             quantity="lifespan", current_density="40", source="paper: Abstract"),  # reported, no number
    ]
    with (book / "data" / "measurements.csv").open("a", encoding="utf-8") as f:
        for row in rows:
            f.write(",".join(row.get(c, "") for c in header) + "\n")
    check = runner.invoke(app, ["check", "--root", str(book)])
    assert check.exit_code == 0, check.output
    return book, load_review(book)


def test_the_new_family_and_quantity_reach_every_view(extended):
    from reviewfigs import plots
    from reviewfigs.export import render
    from reviewfigs.text.provenance import describe
    from reviewfigs.text.tables import table1_rows, whats_new_myst

    book, review = extended
    family = review.vocabulary.family("valence")
    # the palette's next colour that no family before it uses (the data may already hold added families)
    taken = [f.colour.upper() for f in review.vocabulary.families.values()]
    before = taken[: list(review.vocabulary.families).index("valence")]
    assert family.colour == next(c for c in vocab.FAMILY_PALETTE if c.upper() not in before)
    assert taken.count(family.colour.upper()) == 1
    types = list(table1_rows(review)["Type"])
    assert any(t.startswith("Valence gradient (added ") for t in types)
    news = whats_new_myst(review)
    assert "volume expansion {datum}`m901`" in news
    tidy = review.tidy().set_index("id", drop=False)
    assert describe(tidy.loc["m901"], review.bib).startswith("VFe: volume expansion 4.6 %")
    assert "almost 950 cycles" in describe(tidy.loc["m902"], review.bib)
    for ax in (plots.ce_map(review.tidy()), plots.fullcell_map(review.tidy(), review.thresholds)):
        legend = {t.get_text(): to_hex(h.get_markerfacecolor()) for t, h in
                  zip(ax.get_legend().texts, ax.get_legend().legend_handles)}
        assert legend["valence gradient"] == family.colour.lower()
    exported = render(review.tidy(), "csv")
    assert "volume_expansion" in exported and "volume expansion" in exported


def test_only_meets_applies_a_threshold():
    """No code but analysis.practical.meets compares a value with a threshold: every page, problem and answer
    gets its comparator from data/thresholds.csv through that one function (never its own '>=')."""
    import ast
    from pathlib import Path

    import reviewfigs

    offenders = []
    for path in Path(reviewfigs.__file__).parent.rglob("*.py"):
        if path.as_posix().endswith("analysis/practical.py"):
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, (ast.FunctionDef, ast.Lambda)):
                continue
            reads = any((isinstance(n, ast.Attribute) and n.attr == "thresholds")
                        or (isinstance(n, ast.Name) and "threshold" in n.id.lower())
                        or (isinstance(n, ast.Constant) and n.value == "comparator") for n in ast.walk(node))
            compares = [n for n in ast.walk(node) if isinstance(n, ast.Compare)
                        and any(isinstance(op, (ast.Gt, ast.GtE, ast.Lt, ast.LtE)) for op in n.ops)]
            if reads and compares:
                offenders += [f"{path.name}:{c.lineno}: {ast.get_source_segment(source, c)}" for c in compares]
    assert offenders == [], offenders


def test_the_comparators_are_the_schemas():
    from reviewfigs.analysis.practical import COMPARATORS

    assert set(COMPARATORS) == set(vocab.THRESHOLD_COMPARATORS) == _literal(schema.Threshold, "comparator")


def test_check_warns_about_what_a_view_will_show_as_missing(extended, real_review):
    """A lifespan without J and Q, or a test without a number, passes check with a warning naming its line."""
    from typer.testing import CliRunner

    from reviewfigs import plots
    from reviewfigs.cli import app
    from reviewfigs.text.tables import whats_new_myst

    book, review = extended
    result = CliRunner().invoke(app, ["check", "--root", str(book)])
    assert result.exit_code == 0, result.output
    lines = (book / "data" / "measurements.csv").read_text(encoding="utf-8").splitlines()
    line = {row.split(",", 1)[0]: n for n, row in enumerate(lines, start=1)}
    assert f"warning: data/measurements.csv:{line['m904']}: field 'current_density': the lifespan chart" in result.output
    assert f"warning: data/measurements.csv:{line['m905']}: field 'value': no number" in result.output
    # the chart keeps every bubble it had, and names the new lifespan under 'Not shown'
    before, after = plots.lifespan_bubbles(real_review.tidy()), plots.lifespan_bubbles(review.tidy())
    assert sum(len(c.get_offsets()) for c in after.collections if c.get_gid() == "data") == \
        sum(len(c.get_offsets()) for c in before.collections if c.get_gid() == "data")
    assert "VFe (1200 h)" in " ".join(t.get_text() for t in after.texts)
    assert "reported, no number given" in plots_text(review, "m905")
    assert "{datum}`m905`" in whats_new_myst(review)


def plots_text(review, mid: str) -> str:
    from reviewfigs.text.provenance import describe

    return describe(review.tidy().set_index("id", drop=False).loc[mid], review.bib)


def test_a_printed_table_writes_every_missing_value_in_words():
    import numpy as np
    import pandas as pd

    from reviewfigs.format import shown

    table = pd.DataFrame({"study": ["A", None], "value": [1.234, np.nan],
                          "cycles": pd.array([3, None], dtype="Int64"), "meets": [True, None]})
    out = shown(table, 1)
    assert out.loc[0].tolist() == ["A", 1.2, 3, True]
    assert out.loc[1].tolist() == [vocab.NO_VALUE] * 4
    text = out.to_string()
    assert not any(word in text for word in ("NaN", "None", "<NA>"))
    series = shown(pd.Series([np.nan, 2.0], name="Wh/kg"))
    assert series.tolist() == [vocab.NO_VALUE, 2.0] and series.name == "Wh/kg"
