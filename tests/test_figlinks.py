"""Every data mark of every figure links to its study, with a tooltip naming it (issue 14)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from reviewfigs import figures, plots
from reviewfigs.anchors import added_anchor, study_anchor
from reviewfigs.plots import models as model_plots
from reviewfigs.plots._layout import label_overlaps
from reviewfigs.plots._links import Links, href, linked_artists, tooltip
from reviewfigs.vocab import BOUNDS


def n_points(fig) -> int:
    """Plotted data rows, counted from the artists (scatter points and single-marker lines with gid 'data')."""
    total = 0
    for artist in fig.findobj(lambda a: a.get_gid() == "data"):
        total += len(artist.get_offsets()) if hasattr(artist, "get_offsets") else 1
    return total


def n_layers(fig) -> int:
    return len(fig.findobj(lambda a: a.get_gid() == "layer"))


#: figures that plot study rows as marks (the models chapter's figures draw model curves; the energy map's
#: cells are checked in test_energy_map_links_every_placed_cell; the concept figure is a schematic)
DATA_FIGURES = [n for n, spec in figures.FIGURES.items() if n != "concept" and spec.page != "models"]


@pytest.mark.parametrize("name", DATA_FIGURES)
def test_every_data_mark_has_a_link_and_a_title_naming_its_study(real_review, name):
    fig = figures.FIGURES[name].build(real_review)
    links = Links.from_review(real_review)
    linked = linked_artists(fig)
    marks_drawn = n_layers(fig) if name.startswith("hosts_") else n_points(fig)
    assert marks_drawn > 0
    assert len(linked) == marks_drawn, f"{name}: {len(linked)} linked marks for {marks_drawn} plotted rows"
    studies = set(real_review.studies["study"])
    added = set(real_review.studies.loc[real_review.studies["added"].notna(), "study"])
    for _, mark in linked:
        assert mark.study in studies
        assert tooltip(mark, links).startswith(mark.study + ":")
        # a study of the review links to its section; one added later to its row on What's new
        anchor = added_anchor(mark.study) if mark.study in added else study_anchor(mark.study)
        assert href(mark, links).endswith("#" + anchor)


def test_linked_rows_are_the_plotted_rows(real_review):
    """The CE map's marks are exactly the host average-CE rows, one each."""
    t = real_review.tidy()
    expected = sorted(t[(t["role"] == "host") & (t["quantity"] == "average_ce") & t["value"].notna()]["id"])
    fig = figures.FIGURES["ce_map"].build(real_review)
    assert sorted(m.ids[0] for _, m in linked_artists(fig)) == expected
    layers = figures.FIGURES["hosts_dual"].build(real_review)
    dual = real_review.studies.loc[real_review.studies["gradient"] == "dual", "study"]
    assert len(linked_artists(layers)) == int(real_review.layers["study"].isin(dual).sum())


def test_energy_map_links_every_placed_cell(real_review):
    from reviewfigs.analysis import cell_energies, full_cells

    th = real_review.thresholds.set_index("quantity")["value"]
    cells = cell_energies(full_cells(real_review.tidy()), ec_ratio=th["electrolyte_amount"])
    ax = model_plots.plot_energy_map(cells, ec_ratio=th["electrolyte_amount"], li_limit=th["anode_li"], capacity_floor=th["cathode_areal_capacity"])
    placed = cells.dropna(subset=["cathode_capacity", "np_ratio"])
    linked = linked_artists(ax.figure)
    assert len(linked) == len(placed) == n_points(ax.figure)
    assert [m.study for _, m in linked] == list(placed["study"])


def test_svg_file_carries_links_titles_and_names(real_review):
    svg, _ = figures.figure_files(real_review, "ce_map")
    text = svg.decode("utf-8")
    anchors = re.findall(r'<a href="([^"]+)" xlink:href="\1" class="rf-mark" aria-label="([^"]+)"[^>]*><title>([^<]+)</title>',
                         text)
    t = real_review.tidy()
    assert len(anchors) == int(((t["role"] == "host") & (t["quantity"] == "average_ce") & t["value"].notna()).sum())
    assert "rfmark:" not in text and 'target="_blank"' not in text
    added = set(real_review.studies.loc[real_review.studies["added"].notna(), "study"])
    for url, name, title in anchors:
        study = name.split(":")[0]
        assert study == title.split(":")[0]
        if study in added:  # a paper added after the review: its row on What's new, its own paper as the place
            assert url.split("#")[0] == "whats_new.html" and "Added to the book on" in title
        else:
            assert url.split("#")[0] in {"lithiophilicity.html", "conductivity.html", "dual.html"}
            assert "In the review:" in title
        assert "Conditions:" in title and "Reference:" in title


def test_inline_svg_has_prefixed_ids_and_a_name(real_review):
    html = figures.inline_html(figures.figure("ce_map", real_review), real_review)
    assert html.startswith('<svg class="rf-linked" role="group" aria-label="')
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert ids and all(i.startswith("fig-ce_map-") for i in ids)
    refs = re.findall(r'xlink:href="#([^"]+)"', html)
    assert refs and set(refs) <= set(ids)


def test_an_added_study_links_to_its_row_on_whats_new(real_review, tmp_path):
    """A synthetic study with a date added: its CE mark links to the What's new row, its tooltip says so."""
    t = real_review.tidy()
    row = t[(t["role"] == "host") & (t["quantity"] == "average_ce")].iloc[0].copy()
    row["study"], row["id"], row["value"], row["section"] = "AgNW/CC", "m999", 99.5, "2.1"
    row["bibkey"], row["source"] = "smith2025graded", "Fig. 3"
    tidy = pd.concat([t, row.to_frame().T.astype(t.dtypes.to_dict())], ignore_index=True)
    links = Links.from_review(real_review)
    links = Links({**links.sections, "AgNW/CC": "2.1"}, {**links.added, "AgNW/CC": "2026-05-01"},
                  {**links.bibkeys, "AgNW/CC": "smith2025graded"}, {**links.references, "smith2025graded": "Smith et al., 2025"})
    ax = plots.ce_map(tidy)
    mine = [m for _, m in linked_artists(ax.figure) if m.study == "AgNW/CC"]
    assert len(mine) == 1
    assert href(mine[0], links) == "whats_new.html#new-agnw-cc"
    text = tooltip(mine[0], links)
    assert "Added to the book on 2026-05-01" in text and "in the paper: Fig. 3" in text and "Smith et al., 2025" in text
    svg = figures.figure_bytes(ax.figure, "svg", links).decode("utf-8")
    assert 'href="whats_new.html#new-agnw-cc"' in svg
    assert 'data-rf-bib="bibliography.html#cite-smith2025graded"' in svg


def test_whats_new_rows_carry_the_anchor_marks_link_to(real_review):
    from reviewfigs.text.tables import whats_new_myst

    studies = real_review.studies.copy()
    studies.loc[0, "added"] = "2026-05-01"
    import dataclasses

    review = dataclasses.replace(real_review, studies=studies)
    assert f'<span id="new-{studies.loc[0, "study"].lower()}"></span>' in whats_new_myst(review)


def replicate(tidy: pd.DataFrame, studies: int) -> pd.DataFrame:
    """The review's rows copied under new study names until there are ``studies`` studies (values nudged)."""
    names = list(dict.fromkeys(tidy["study"]))
    parts, k = [], 0
    while len(names) * k < studies:
        copy = tidy.copy()
        if k:
            copy["study"] = copy["study"] + f" r{k}"
            copy["id"] = copy["id"] + f"-{k}"
            copy["value"] = copy["value"] * (1 - 0.002 * k)
        parts.append(copy)
        k += 1
    out = pd.concat(parts, ignore_index=True)
    keep = list(dict.fromkeys(out["study"]))[:studies]
    return out[out["study"].isin(keep)].reset_index(drop=True)


@pytest.mark.parametrize("studies", [15, 60, 150])
@pytest.mark.parametrize("plot", [plots.ce_map, plots.retention_vs_cycles, plots.lifespan_bubbles])
def test_no_overlapping_labels_at_scale_and_every_point_linked(real_review, plot, studies):
    tidy = replicate(real_review.tidy(), studies)
    assert tidy["study"].nunique() == studies
    ax = plot(tidy)
    assert label_overlaps(ax) == []
    labels = [t for t in ax.texts if t.get_gid() == "label"]
    assert labels, "the best of each group is still labelled"
    assert len(linked_artists(ax.figure)) == n_points(ax.figure)
    if studies > 15:
        assert len(labels) < n_points(ax.figure), "crowded plots leave the naming to tooltips"


def test_best_of_each_family_is_labelled_at_scale(real_review):
    tidy = replicate(real_review.tidy(), 150)
    ax = plots.ce_map(tidy)
    ce = tidy[(tidy["role"] == "host") & (tidy["quantity"] == "average_ce") & tidy["value"].notna()]
    best = ce.sort_values(["value", "id"], ascending=[False, True]).drop_duplicates("gradient")
    texts = " | ".join(t.get_text() for t in ax.texts if t.get_gid() == "label")
    for _, row in best.iterrows():
        assert f"{row['study']} {BOUNDS[row['bound']].sign}{row['value']:.1f} %" in texts  # '> 99.0 %' as bound


@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_no_overlapping_labels_on_todays_data(real_review, name):
    """Every registry figure (the full-cell map's 'N/P not reported' strip included) on the real data."""
    fig = figures.FIGURES[name].build(real_review)
    for ax in fig.axes:
        assert label_overlaps(ax) == [], name


def test_energy_map_labels_do_not_overlap(real_review):
    from reviewfigs.analysis import cell_energies, full_cells

    th = real_review.thresholds.set_index("quantity")["value"]
    cells = cell_energies(full_cells(real_review.tidy()), ec_ratio=th["electrolyte_amount"])
    ax = model_plots.plot_energy_map(cells, ec_ratio=th["electrolyte_amount"], li_limit=th["anode_li"], capacity_floor=th["cathode_areal_capacity"])
    labels = [t for t in ax.texts if t.get_gid() == "label"]
    assert len(labels) == len(cells.dropna(subset=["cathode_capacity", "np_ratio"]))
    assert label_overlaps(ax) == []


def test_a_two_line_label_in_a_lane_strip_takes_two_lanes():
    import matplotlib.pyplot as plt

    from reviewfigs.plots._layout import lanes

    _, ax = plt.subplots(figsize=(6, 4))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    texts = ["one", "two lines\nof text", "three"]
    y, _ = lanes(ax, [1.0, 1.0, 1.0], texts, (6.0, 10.0), 4.0, fontsize=7)
    for x_, y_, t in zip([1.0] * 3, y, texts):
        ax.annotate(t, (x_, y_), xytext=(6.5, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=7, gid="label")
    assert label_overlaps(ax) == []
    plt.close(ax.figure)
