"""The figure registry, deterministic rendering, the CLI command and the interactive Table 1."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure
from PIL import Image
from typer.testing import CliRunner

from reviewfigs import figures, load_review
from reviewfigs.cli import app
from reviewfigs.plots import marks_of
from support.repo import REPO, review_only

#: draws every figure (seconds): make test runs it, make test-fast does not
slow = pytest.mark.slow

#: figures drawn a second time, in this process, to compare with the parallel render: one with linked data
#: marks and label placement, one schematic, one model figure with contours and linked cells
AGAIN = ("ce_map", "hosts_dual", "energy_map")


@pytest.fixture(scope="module")
def render_cache(tmp_path_factory):
    """The figure cache that ``rendered`` fills (the module's one drawing of every figure)."""
    return tmp_path_factory.mktemp("figure-cache")


@pytest.fixture(scope="module")
def rendered(real_review, render_cache, tmp_path_factory):
    """Every figure rendered once (in parallel, as the book does, into a cache), and three of them again in this process."""
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    figures.render_all(real_review, first, cache=render_cache)
    for name in AGAIN:
        svg, png = figures.figure_files(real_review, name)
        (second / f"{name}.svg").write_bytes(svg)
        (second / f"{name}.png").write_bytes(png)
    return first, second


@slow
def test_render_all_is_byte_identical_across_runs(rendered):
    first, second = rendered
    for path in sorted(second.iterdir()):
        assert (first / path.name).read_bytes() == path.read_bytes(), path.name


@slow
def test_render_all_writes_svg_png_and_alt_for_every_figure(rendered):
    first, _ = rendered
    expected = {f"{n}.{ext}" for n in figures.FIGURES for ext in ("svg", "png")} | {"alt.json"}
    assert {p.name for p in first.iterdir()} == expected
    assert not list(first.glob(".*.tmp")), "no temporary files left behind"


@slow
def test_alt_json_has_text_for_every_file(rendered):
    first, _ = rendered
    alts = json.loads((first / "alt.json").read_text(encoding="utf-8"))
    assert set(alts) == {f"{n}.{ext}" for n in figures.FIGURES for ext in ("svg", "png")}
    for name, text in alts.items():
        assert len(text.strip()) > 40, name
    assert "GSCP" in alts["ce_map.svg"] and "practical region" in alts["fullcell_map.png"]


@slow
def test_files_carry_no_date_or_software_stamp(rendered):
    first, _ = rendered
    for svg in first.glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert "<dc:date>" not in text and "Matplotlib v" not in text, svg.name
        assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text), svg.name
    for png in first.glob("*.png"):
        with Image.open(png) as image:
            chunks = dict(image.text)
        assert not any(k in chunks for k in ("Software", "Creation Time", "date:create")), (png.name, chunks)


@slow
def test_figures_are_opaque_white(rendered):
    first, _ = rendered
    for svg in first.glob("*.svg"):
        background = next((el for el in ElementTree.parse(svg).iter() if el.get("id") == "patch_1"), None)
        assert background is not None, f"{svg.name}: no figure background patch"
        assert "fill: #ffffff" in next(iter(background)).get("style", ""), svg.name
    for png in first.glob("*.png"):
        pixels = plt.imread(png)
        assert pixels.shape[2] == 3 or (pixels[..., 3] == 1).all(), f"{png.name} has transparent pixels"
        assert (pixels[0, 0, :3] == 1).all(), f"{png.name}: the corner is not white"


def test_every_figure_has_a_caption_and_builds_a_figure(real_review):
    captions = [spec.caption.strip() for spec in figures.FIGURES.values()]
    assert len(set(captions)) == len(captions), "two figures share a caption"
    for name, spec in figures.FIGURES.items():
        assert spec.caption.strip().endswith(".") and len(spec.caption.split()) >= 5, name
        fig = spec.build(real_review)
        assert isinstance(fig, Figure) and fig.axes, name
        assert any(ax.has_data() or ax.patches or ax.images for ax in fig.axes), f"{name} draws nothing"
        plt.close(fig)


def test_registry_names_are_file_safe():
    for name in figures.FIGURES:
        assert name.replace("_", "").isalnum(), name


def test_cli_figures_command_reports_the_files_written(monkeypatch, tmp_path, repo):
    calls = []

    def fake_render_all(review, outdir):
        calls.append(Path(outdir))
        return [Path(outdir) / "a.svg", Path(outdir) / "a.png", Path(outdir) / "alt.json"]

    monkeypatch.setattr(figures, "render_all", fake_render_all)
    result = CliRunner().invoke(app, ["figures", str(tmp_path / "out"), "--root", str(repo)])
    assert result.exit_code == 0, result.output
    assert calls == [tmp_path / "out"] and "wrote 3 files" in result.output


def test_table1_interactive_is_offline_and_complete(real_review):
    from reviewfigs.text.interactive import table1_frame, table1_interactive
    from reviewfigs.vocab import OUR_LABEL, OUR_LABEL_NOTE

    frame = table1_frame(real_review)
    columns = ["Type", "Sample", "Coin cell", "Pouch cell", "Electrolyte", "Ref."]
    assert [c for c in frame.columns if c in columns] == columns  # "Format not stated" may sit between them
    assert list(table1_frame(review_only(real_review)).columns[:6]) == columns
    named = {s["study"]: s["study"] + (f" ({OUR_LABEL_NOTE})" if s["named_by"] == OUR_LABEL else "")
             for _, s in real_review.studies.iterrows()}  # a label of the book's own says so
    assert set(frame["Sample"]) <= set(named.values())
    assert frame["Coin cell"].str.contains("‡D1").any()  # discrepancy markers survive flattening
    html = table1_interactive(real_review).data
    assert "cdn.datatables" not in html and "unpkg.com" not in html
    for sample in frame["Sample"]:
        assert sample in html




def chapter_figure_cells() -> dict[str, list[tuple[str, str]]]:
    """{numref} label -> [(chapter, caption)] for every code cell with a MyST-NB ``figure`` option, read by myst-nb."""
    from myst_nb.core.read import read_myst_markdown_notebook

    found: dict[str, list[tuple[str, str]]] = {}
    for page in sorted((Path(__file__).parents[1] / "chapters").glob("*.md")):
        notebook = read_myst_markdown_notebook(page.read_text(encoding="utf-8"))
        for cell in notebook.cells:
            option = cell.metadata.get("mystnb", {}).get("figure") if cell.cell_type == "code" else None
            if option and "name" in option:
                found.setdefault(option["name"], []).append((page.name, option.get("caption", "")))
    return found


def test_every_chapter_figure_is_a_registered_record_shown_on_its_page():
    """One record per figure: every captioned figure cell of a chapter is in the registry, on the record's page,
    with the registry's caption word for word (so the gallery, the slides and `reviewfigs figures` miss none)."""
    cells = chapter_figure_cells()
    by_label = {spec.label: name for name, spec in figures.FIGURES.items()}
    assert set(cells) == set(by_label), f"chapter figures not in the registry: {sorted(set(cells) - set(by_label))}"
    for label, name in by_label.items():
        spec = figures.FIGURES[name]
        assert len(cells[label]) == 1, f"{name}: one chapter cell labelled {label!r}"
        page, caption = cells[label][0]
        assert page == f"{spec.page}.md", f"{name}: the record says page {spec.page!r}, the cell is in {page}"
        assert caption == spec.caption, f"{page}, {label}: the caption differs from figures.FIGURES[{name!r}]"


def test_every_record_names_its_data_and_a_chapter_cell_builds_it_through_the_registry():
    for name, spec in figures.FIGURES.items():
        source = (REPO / "chapters" / f"{spec.page}.md").read_text(encoding="utf-8")
        assert f'figures.figure("{name}"' in source, f"{spec.page}.md builds {name!r} outside the registry"


def test_record_sources_list_existing_files_and_rows(real_review):
    for name, spec in figures.FIGURES.items():
        src = spec.sources(real_review)
        assert src.what.strip(), name
        for f in src.files:
            assert (REPO / f).is_file(), (name, f)
        assert "study" in src.rows.columns, name


def test_registry_labels_are_distinct():
    labels = [spec.label for spec in figures.FIGURES.values()]
    assert len(set(labels)) == len(labels) and all(label.startswith("fig-") for label in labels)


@slow
def test_figure_files_are_world_readable(rendered):
    """Written through reviewfigs.files.write_atomic, which resets mkstemp's private 0600 mode."""
    first, _ = rendered
    for path in first.iterdir():
        assert path.stat().st_mode & 0o044 == 0o044, path.name


@slow
def test_figure_cache_draws_nothing_twice_and_redraws_after_a_data_change(real_review, rendered, render_cache, tmp_path, monkeypatch):
    """render_all with a cache: a second run with the same review copies every figure (same bytes, nothing
    drawn); a review whose data differ in one row draws every figure again (the key covers every table).
    The drawing itself is the module's one rendering; the redraw is counted, not drawn."""
    first, _ = rendered
    drawn: list[str] = []
    real = figures.figure_files
    monkeypatch.setattr(figures, "figure_files", lambda review, name: drawn.append(name) or real(review, name))
    figures.render_all(real_review, tmp_path / "b", workers=1, cache=render_cache)
    assert drawn == []
    for name in figures.FIGURES:
        for fmt in ("svg", "png"):
            assert (tmp_path / "b" / f"{name}.{fmt}").read_bytes() == (first / f"{name}.{fmt}").read_bytes(), name
    measurements = real_review.measurements.copy()
    measurements.loc[measurements["id"] == "m006", "value"] = 97.7  # one row of one study
    edited = dataclasses.replace(real_review, measurements=measurements)
    assert all(figures.cache_key(edited, name) != figures.cache_key(real_review, name) for name in figures.FIGURES)
    monkeypatch.setattr(figures, "figure_files", lambda review, name: drawn.append(name) or (b"<svg/>", b"png"))
    shutil.copytree(render_cache, tmp_path / "cache")
    figures.render_all(edited, tmp_path / "c", workers=1, cache=tmp_path / "cache")
    assert drawn == list(figures.FIGURES)


def _inline_weight(name: str, review) -> tuple[int, int]:
    """Bytes of a figure's inline SVG, and how many studies it marks (0 for a figure with no linked marks)."""
    fig = figures.figure(name, review)
    try:
        return len(figures.inline_html(fig, review)), len({mark.study for mark in marks_of(fig)})
    finally:
        plt.close(fig)


@slow
def test_no_figure_grows_faster_than_the_studies_it_draws(real_review, tmp_path):
    """A page's inline figure may grow at most in proportion to the studies (the bench's replicas, 3x here).

    A family chart once drew every study's tick on every study's track, n² marks: at 10x the studies it
    weighed 3.3 MB on its page. Its context ticks are now one raster layer.
    """
    spec = importlib.util.spec_from_file_location("tools_bench", REPO / "tools" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    book = tmp_path / "book"
    shutil.copytree(REPO / "data", book / "data")
    shutil.copy(REPO / "references.bib", book / "references.bib")
    bench.replicate_studies(book, 3)
    grown = load_review(book)
    every = len(grown.studies) / len(real_review.studies)
    assert every > 2
    faster = {}
    for name in figures.FIGURES:
        (small, marked), (big, marked_grown) = _inline_weight(name, real_review), _inline_weight(name, grown)
        ratio = marked_grown / marked if marked else every  # a family chart grows with its family's studies
        if big > ratio * small:
            faster[name] = f"{small:,} -> {big:,} bytes ({big / small:.1f}x for {ratio:.1f}x the studies)"
    assert not faster, faster
