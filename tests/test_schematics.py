"""Host schematics and the layer data behind them."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from reviewfigs.plots import schematics
from reviewfigs.plots.schematics import LAYER_GID, LI_GID, PARTICLE_GID
from support.repo import review_only

THREE_LAYERS = [
    {"position": 1, "material": "metal + sites", "thickness_rel": 1, "lithiophilicity": 3, "conductivity": 3, "particles": "Ag"},
    {"position": 2, "material": "carbon", "thickness_rel": 2, "lithiophilicity": 1, "conductivity": 2, "particles": None},
    {"position": 3, "material": "polymer", "thickness_rel": 0.5, "lithiophilicity": 0, "conductivity": 0, "particles": None},
]


def layer_patches(ax):
    return [p for p in ax.patches if p.get_gid() == LAYER_GID]


def li_extent(ax) -> tuple[float, float]:
    """Lowest and highest y of everything drawn as Li metal."""
    ys = [y for p in ax.patches if p.get_gid() == LI_GID for _, y in p.get_path().transformed(p.get_patch_transform()).vertices]
    assert ys, "no Li drawn"
    return min(ys), max(ys)


def host_extent(ax) -> tuple[float, float]:
    boxes = [p.get_bbox() for p in layer_patches(ax)]
    return min(b.y0 for b in boxes), max(b.y1 for b in boxes)


# ------------------------------------------------------------------------------- drawing
def test_one_patch_per_layer_from_a_list_of_dicts():
    ax = schematics.draw_host(THREE_LAYERS)
    assert len(layer_patches(ax)) == 3


def test_layers_stack_from_the_collector_up_in_position_order():
    ax = schematics.draw_host(list(reversed(THREE_LAYERS)))  # order of the input must not matter
    boxes = [p.get_bbox() for p in layer_patches(ax)]
    assert [round(b.y0, 6) for b in boxes] == sorted(round(b.y0, 6) for b in boxes)
    heights = [b.height for b in boxes]
    assert heights[1] > heights[0] > heights[2]  # thickness_rel 1, 2, 0.5
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "label"]
    assert labels[0].startswith("metal") and labels[-1] == "polymer"


def test_bottom_up_li_fills_the_host_from_the_collector():
    ax = schematics.draw_host(THREE_LAYERS, deposition="bottom-up")
    low, high = li_extent(ax)
    bottom, top = host_extent(ax)
    assert low == pytest.approx(bottom) and high < bottom + 0.6 * (top - bottom)


def test_top_growth_li_sits_on_the_top_surface_with_dendrites():
    ax = schematics.draw_host(THREE_LAYERS, deposition="top-growth")
    low, high = li_extent(ax)
    _, top = host_extent(ax)
    assert low == pytest.approx(top) and high > top
    spikes = [p for p in ax.patches if p.get_gid() == LI_GID and len(p.get_xy()) > 5]
    assert spikes, "top growth is drawn with dendrite spikes"


def test_uniform_li_spreads_through_the_whole_host():
    ax = schematics.draw_host(THREE_LAYERS, deposition="uniform")
    low, high = li_extent(ax)
    bottom, top = host_extent(ax)
    assert low < bottom + 0.25 * (top - bottom) and high > bottom + 0.75 * (top - bottom)


def test_particles_are_dots_in_the_layers_that_have_them():
    ax = schematics.draw_host(THREE_LAYERS)
    dots = [c for c in ax.collections if c.get_gid() == PARTICLE_GID]
    assert len(dots) == 1
    y = dots[0].get_offsets()[:, 1]
    first = layer_patches(ax)[0].get_bbox()
    assert (y >= first.y0).all() and (y <= first.y1).all()


def test_drawing_is_deterministic():
    a = schematics.draw_host(THREE_LAYERS)
    b = schematics.draw_host(THREE_LAYERS)
    pa = [c for c in a.collections if c.get_gid() == PARTICLE_GID][0].get_offsets()
    pb = [c for c in b.collections if c.get_gid() == PARTICLE_GID][0].get_offsets()
    assert (pa == pb).all()


def test_unknown_deposition_and_missing_columns_are_refused():
    with pytest.raises(ValueError, match="deposition"):
        schematics.draw_host(THREE_LAYERS, deposition="sideways")
    with pytest.raises(ValueError, match="columns"):
        schematics.draw_host([{"position": 1, "material": "x"}])


def test_draw_host_returns_the_given_axis():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert schematics.draw_host(THREE_LAYERS, ax) is ax


# --------------------------------------------------------------------------- review hosts
def test_every_study_has_layers_and_draws(real_review):
    """Every study of the review has layers (an added paper may have none: layers are optional)."""
    own = review_only(real_review)
    assert set(own.layers["study"]) == set(own.studies["study"])
    for study in real_review.layers["study"].unique():
        ax = schematics.study_schematic(real_review, study)
        n = (real_review.layers["study"] == study).sum()
        assert len(layer_patches(ax)) == n, study
        assert ax.get_title(loc="left").startswith(study)
        if real_review.study(study)["deposition_mode"] == "bottom-up":
            assert li_extent(ax)[0] == pytest.approx(host_extent(ax)[0]), study
        ax.figure.clf()


def test_layer_levels_follow_each_family_gradient(real_review):
    """Bottom layer more conductive (conductivity, dual) and more lithiophilic (lithiophilicity, dual) than the top.

    CC/Li/Li3N is the documented exception: its Li3N gathers at the top (Sect. 2.1 para 7).
    """
    layers = real_review.layers.sort_values(["study", "position"])
    for study, rows in layers.groupby("study"):
        if len(rows) < 2:
            continue
        gradient = real_review.study(study)["gradient"]
        bottom, top = rows.iloc[0], rows.iloc[-1]
        if gradient in ("conductivity", "dual"):
            assert bottom["conductivity"] > top["conductivity"], study
        if gradient in ("lithiophilicity", "dual") and study != "CC/Li/Li3N":
            assert bottom["lithiophilicity"] > top["lithiophilicity"], study


def test_printed_thicknesses_are_in_the_layers(real_review):
    layers = real_review.layers.set_index(["study", "material"])
    assert layers.loc[("MOF-C(t)/X", "MOF-derived carbon"), "thickness_um"] == 30
    assert layers.loc[("CG", "CNFs + SiO2"), "thickness_um"] == 1


def test_substrate_comes_from_the_host_description(real_review):
    assert schematics.substrate_of(real_review.study("GZCNT")) == "Li foil"
    assert schematics.substrate_of(real_review.study("LGH-AS")) == "Cu foil"
    assert schematics.substrate_of(real_review.study("GSCP")) == "current collector"


def test_total_host_thickness_is_shown_when_printed(real_review):
    ax = schematics.study_schematic(real_review, "G-HGA")
    assert "6–8 µm" in ax.get_title(loc="left")


def test_unknown_study_is_refused(real_review):
    with pytest.raises(KeyError):
        schematics.study_schematic(real_review, "no such host")


# ------------------------------------------------------------------------- concept figure
def test_concept_figure_contrasts_four_hosts():
    fig = schematics.concept_figure()
    assert isinstance(fig, Figure)
    hosts = [ax for ax in fig.axes if layer_patches(ax)]
    assert len(hosts) == 4
    plain, *graded = hosts
    low, _ = li_extent(plain)
    assert low == pytest.approx(host_extent(plain)[1])  # the plain host grows Li on top
    for ax in graded:
        assert li_extent(ax)[0] == pytest.approx(host_extent(ax)[0])  # the graded ones fill from the bottom


@pytest.mark.parametrize("gradient", ["lithiophilicity", "conductivity", "dual"])
def test_hosts_figure_draws_every_study_of_a_family(real_review, gradient):
    fig = schematics.hosts_figure(real_review, gradient)
    studies = real_review.studies.loc[real_review.studies["gradient"] == gradient, "study"]
    drawn = studies[studies.isin(real_review.layers["study"])]  # layers are optional for an added paper
    assert len([ax for ax in fig.axes if layer_patches(ax)]) == len(drawn)
