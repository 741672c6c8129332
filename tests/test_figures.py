"""The figure registry, deterministic rendering, the CLI command and the interactive Table 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

from reviewfigs import figures
from reviewfigs.cli import app


@pytest.fixture(scope="module")
def rendered(real_review, tmp_path_factory):
    """All figures rendered twice: once in parallel, once in this process."""
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    figures.render_all(real_review, first)
    figures.render_all(real_review, second, workers=1)
    return first, second


def test_render_all_is_byte_identical_across_runs(rendered):
    first, second = rendered
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_render_all_writes_svg_png_and_alt_for_every_figure(rendered):
    first, _ = rendered
    expected = {f"{n}.{ext}" for n in figures.FIGURES for ext in ("svg", "png")} | {"alt.json"}
    assert {p.name for p in first.iterdir()} == expected
    assert not list(first.glob(".*.tmp")), "no temporary files left behind"


def test_alt_json_has_text_for_every_file(rendered):
    first, _ = rendered
    alts = json.loads((first / "alt.json").read_text(encoding="utf-8"))
    assert set(alts) == {f"{n}.{ext}" for n in figures.FIGURES for ext in ("svg", "png")}
    for name, text in alts.items():
        assert len(text.strip()) > 40, name
    assert "GSCP" in alts["ce_map.svg"] and "practical region" in alts["fullcell_map.png"]


def test_files_carry_no_date_or_software_stamp(rendered):
    first, _ = rendered
    svg = (first / "ce_map.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    png = (first / "ce_map.png").read_bytes()
    assert b"Software" not in png and b"matplotlib" not in png.lower()


def test_figures_are_opaque_white(rendered):
    first, _ = rendered
    svg = (first / "concept.svg").read_text(encoding="utf-8")
    assert 'style="fill: #ffffff"' in svg  # the figure background is painted, not transparent


def test_every_figure_has_a_caption_and_builds_a_figure(real_review):
    for name, spec in figures.FIGURES.items():
        assert spec.caption.strip().endswith("."), name
    fig = figures.FIGURES["overpotentials"].build(real_review)
    assert isinstance(fig, Figure)


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

    frame = table1_frame(real_review)
    assert list(frame.columns[:6]) == ["Type", "Sample", "Coin cell", "Pouch cell", "Electrolyte", "Ref."]
    assert set(frame["Sample"]) <= set(real_review.studies["study"])
    assert frame["Coin cell"].str.contains("‡D1").any()  # discrepancy markers survive flattening
    html = table1_interactive(real_review).data
    assert "cdn.datatables" not in html and "unpkg.com" not in html
    for sample in frame["Sample"]:
        assert sample in html
