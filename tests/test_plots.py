"""Comparison plots: inspected as artists (points, labels, regions), never as pixels.

Expected counts come from plain filters on the tidy table written here, not from the library's helpers.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from reviewfigs import plots
from reviewfigs.analysis.cells import longest_full_cell_tests
from reviewfigs.plots import DATA_GID, PRACTICAL_GID
from reviewfigs.plots.style import family_colours, theme

NEW = "TEST-HOST"


@pytest.fixture(scope="module")
def tidy(real_review):
    return real_review.tidy()


def points(ax) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections if c.get_gid() == DATA_GID)


def texts(ax) -> str:
    """Every text drawn on the axes, with line breaks as spaces (a long name may wrap in a note)."""
    return " ".join(" ".join(t.get_text() for t in ax.texts).split())


def host(t: pd.DataFrame, quantity: str) -> pd.DataFrame:
    """Host rows of a quantity that give a number (a test reported without one has no point to draw)."""
    return t[(t["role"] == "host") & (t["quantity"] == quantity) & t["value"].notna()]


def with_new_study(t: pd.DataFrame) -> pd.DataFrame:
    """The tidy table plus one invented dual-gradient study with a result for every comparison plot."""
    base = {c: np.nan for c in t.columns}
    base.update(study=NEW, bibkey="synthetic", section="2.3", gradient="dual", bound="=", role="host", sample=NEW,
                cell_format="coin", source="Table 1", conditions="", discrepancy=np.nan)
    dual = t[t["gradient"] == "dual"].iloc[0]
    base.update({c: dual[c] for c in ("family_label", "family_colour", "family_order")})
    words = t.drop_duplicates("quantity").set_index("quantity")
    rows = [
        dict(id="m901", quantity="average_ce", unit="%", value=99.5, cell_type="half", current_density=3.0,
             areal_capacity=3.0, at_cycle=100),
        dict(id="m902", quantity="lifespan", unit="h", value=900.0, cell_type="symmetric", current_density=3.0,
             areal_capacity=3.0),
        dict(id="m903", quantity="cycles", unit="cycles", value=300.0, cell_type="full", cathode="NCM811",
             cathode_loading=25.0, cathode_loading_unit="mg/cm2", anode_li=8.0, anode_li_unit="mAh/cm2", c_rate=0.5),
        dict(id="m904", quantity="capacity_retention", unit="%", value=95.0, cell_type="full", cathode="NCM811",
             cathode_loading=25.0, cathode_loading_unit="mg/cm2", at_cycle=300, c_rate=0.5),
        dict(id="m905", quantity="overpotential", unit="mV", value=15.0, cell_type="symmetric", current_density=3.0,
             areal_capacity=3.0),
    ]
    rows = [{**r, "quantity_label": words.loc[r["quantity"], "quantity_label"]} for r in rows]
    extra = pd.DataFrame([{**base, **r} for r in rows], columns=t.columns)
    return pd.concat([t, extra], ignore_index=True)


# --------------------------------------------------------------------------------- counts
def test_ce_map_one_point_per_host_ce_row(tidy):
    ax = plots.ce_map(tidy)
    assert points(ax) == len(host(tidy, "average_ce"))


def test_lifespan_bubbles_hours_plus_convertible_cycles(tidy):
    sym = tidy[(tidy["role"] == "host") & (tidy["cell_type"] == "symmetric")]
    placed = sym["current_density"].notna() & sym["areal_capacity"].notna()  # the rest are listed as not shown
    hours = sym[(sym["quantity"] == "lifespan") & placed]
    have = {(r.study, r.current_density, r.areal_capacity) for r in hours.itertuples()}
    cycles = sym[(sym["quantity"] == "cycles") & sym["current_density"].notna() & sym["areal_capacity"].notna()]
    convertible = [r for r in cycles.itertuples() if (r.study, r.current_density, r.areal_capacity) not in have]
    ax = plots.lifespan_bubbles(tidy)
    assert points(ax) == len(hours) + len(convertible)


def test_lifespan_bubbles_mark_converted_points_differently(tidy):
    ax = plots.lifespan_bubbles(tidy)
    data = [c for c in ax.collections if c.get_gid() == DATA_GID]
    hollow = [c for c in data if len(c.get_offsets()) and np.allclose(c.get_facecolor()[:, :3], 1.0)]
    assert len(hollow) == 1 and len(hollow[0].get_offsets()) >= 1  # white-faced = converted from cycles


def test_fullcell_map_one_point_per_cell_with_an_areal_loading(tidy):
    from reviewfigs.models import CATHODES  # a loading per area in mg/cm² needs the cathode's nominal capacity

    full = tidy[(tidy["role"] == "host") & (tidy["cell_type"] == "full") & tidy["cathode_loading"].notna()
                & (tidy["cathode_loading_unit"] != "mg")
                & ((tidy["cathode_loading_unit"] != "mg/cm2") | tidy["cathode"].isin(list(CATHODES)))]
    cells = full[["study", "cathode", "cathode_loading", "cathode_loading_unit", "electrolyte"]].drop_duplicates()
    ax = plots.fullcell_map(tidy, pd.DataFrame({
        "quantity": ["cathode_areal_capacity", "anode_li"], "value": [4.0, 10.0], "unit": ["mAh/cm2", "mAh/cm2"]}))
    assert points(ax) == len(cells)


def test_fullcell_map_names_the_cells_it_cannot_place(real_review, tidy):
    ax = plots.fullcell_map(tidy, real_review.thresholds)
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "note"]
    assert notes and "Holey GO/Li//SPAN" in notes[0] and "total mass" in notes[0]


def test_retention_vs_cycles_one_point_per_retention_with_a_cycle(tidy):
    rows = host(tidy, "capacity_retention")
    ax = plots.retention_vs_cycles(tidy)  # a full cell's retention: a cycle number, a cathode and a number
    assert points(ax) == (rows["at_cycle"].notna() & rows["cathode"].notna() & rows["value"].notna()).sum()


def test_overpotentials_one_point_per_row_controls_included(tidy):
    rows = tidy[tidy["quantity"].isin(["overpotential", "nucleation_overpotential"]) & tidy["value"].notna()]
    ax = plots.overpotentials(tidy)  # a test reported without a number has no point
    assert points(ax) == len(rows)
    assert (rows["role"] == "control").any() and "(control)" in texts(ax)


@pytest.mark.parametrize("gradient", ["lithiophilicity", "conductivity", "dual"])
def test_family_comparison_one_dot_per_study_and_metric(tidy, gradient):
    mine = tidy[(tidy["gradient"] == gradient) & (tidy["role"] == "host") & tidy["value"].notna()]
    sym = mine[mine["cell_type"] == "symmetric"]
    has = {
        "ce": set(mine.loc[mine["quantity"] == "average_ce", "study"]),
        "life": set(sym.loc[sym["quantity"].isin(["lifespan", "cycles"]) & sym["current_density"].notna()
                            & sym["areal_capacity"].notna(), "study"]),
        "cycles": set(mine.loc[(mine["cell_type"] == "full") & ((mine["quantity"] == "cycles") | mine["at_cycle"].notna()),
                               "study"]),
        # the retention of the longest test's own cell (values checked in tests/test_analysis.py)
        "retention": set(longest_full_cell_tests(tidy).dropna(subset=["retention"])["study"]) & set(mine["study"]),
    }
    ax = plots.family_comparison(tidy, gradient)
    assert points(ax) == sum(len(s) for s in has.values())
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "label"]
    assert labels == list(dict.fromkeys(tidy.loc[tidy["gradient"] == gradient, "study"]))


def test_family_comparison_rejects_an_unknown_gradient(tidy):
    with pytest.raises(KeyError, match="unknown gradient"):
        plots.family_comparison(tidy, "porosity")


# --------------------------------------------------------------------------------- labels
@pytest.mark.parametrize("name,quantity", [
    ("ce_map", "average_ce"), ("retention_vs_cycles", "capacity_retention"), ("overpotentials", "overpotential"),
])
def test_labels_name_every_study_shown(tidy, name, quantity):
    ax = getattr(plots, name)(tidy)
    for study in set(tidy.loc[(tidy["quantity"] == quantity) & tidy["value"].notna(), "study"]):
        assert study in texts(ax), f"{study} is not labelled in {name}"


def test_lifespan_and_fullcell_labels_name_their_studies(real_review, tidy):
    life = plots.lifespan_bubbles(tidy)
    for study in set(tidy.loc[(tidy["quantity"] == "lifespan") & (tidy["cell_type"] == "symmetric"), "study"]):
        assert study in texts(life)
    full = plots.fullcell_map(tidy, real_review.thresholds)
    for study in {"ZGIL", "G-HGA", "PAN/CNF", "LNO-CGH", "CDG-sponge"}:
        assert study in texts(full)


def test_axes_are_labelled_with_units(real_review, tidy):
    for ax in (plots.ce_map(tidy), plots.lifespan_bubbles(tidy), plots.fullcell_map(tidy, real_review.thresholds)):
        assert "cm⁻²" in ax.get_xlabel()
    assert "(%)" in plots.retention_vs_cycles(tidy).get_ylabel()
    assert "(mV)" in plots.overpotentials(tidy).get_xlabel()


def test_points_are_coloured_by_gradient(tidy):
    ax = plots.ce_map(tidy)
    (data,) = [c for c in ax.collections if c.get_gid() == DATA_GID]
    rows = host(tidy, "average_ce").sort_values("id")
    expected = [family_colours()[g].lower() for g in rows["gradient"]]
    assert [to_hex(c) for c in data.get_facecolor()] == expected


def test_legends_show_the_gradient_colours(tidy):
    ax = plots.ce_map(tidy)
    legend = {t.get_text(): to_hex(h.get_markerfacecolor()) for t, h in zip(ax.get_legend().texts, ax.get_legend().legend_handles)}
    assert legend["gradient lithiophilicity"] == family_colours()["lithiophilicity"].lower()
    assert legend["dual gradient"] == family_colours()["dual"].lower()


# ------------------------------------------------------------------------ a new study appears
def test_a_new_study_shows_up_in_every_comparison_plot(real_review, tidy):
    more = with_new_study(tidy)
    for name in ("ce_map", "lifespan_bubbles", "retention_vs_cycles", "overpotentials"):
        before, after = getattr(plots, name)(tidy), getattr(plots, name)(more)
        assert points(after) == points(before) + 1, name
        assert NEW in texts(after), name
        plt.close("all")
    before, after = plots.fullcell_map(tidy, real_review.thresholds), plots.fullcell_map(more, real_review.thresholds)
    assert points(after) == points(before) + 1 and NEW in texts(after)
    family = plots.family_comparison(more, "dual")
    assert NEW in [t.get_text() for t in family.texts if t.get_gid() == "label"]


# ------------------------------------------------------------------------- practical region
def test_practical_region_follows_the_thresholds(real_review, tidy):
    ax = plots.fullcell_map(tidy, real_review.thresholds)
    (region,) = [p for p in ax.patches if p.get_gid() == PRACTICAL_GID]
    xy = region.get_xy()
    th = real_review.thresholds.set_index("quantity")["value"]
    cathode, li = th["cathode_areal_capacity"], th["anode_li"]
    assert xy[:, 0].min() == pytest.approx(cathode)
    assert xy[:, 1].max() == pytest.approx(li / cathode)  # the top corner: N/P = Li / cathode at x = cathode
    curve = xy[xy[:, 1] > 0]
    np.testing.assert_allclose(curve[:, 0] * curve[:, 1], li)  # every curve vertex lies on Li = N/P × x


def test_practical_region_moves_with_the_thresholds(tidy):
    thresholds = pd.DataFrame({"quantity": ["cathode_areal_capacity", "anode_li"], "value": [3.0, 6.0],
                               "unit": ["mAh/cm2", "mAh/cm2"]})
    ax = plots.fullcell_map(tidy, thresholds)
    (region,) = [p for p in ax.patches if p.get_gid() == PRACTICAL_GID]
    xy = region.get_xy()
    assert xy[:, 0].min() == pytest.approx(3.0) and xy[:, 1].max() == pytest.approx(2.0)


# ------------------------------------------------------------------------ axes and styling
def test_plots_draw_on_the_given_axis_and_return_it(real_review, tidy):
    fig, axes = plt.subplots(2, 3)
    calls = [
        (plots.ce_map, (tidy,)), (plots.lifespan_bubbles, (tidy,)), (plots.fullcell_map, (tidy, real_review.thresholds)),
        (plots.retention_vs_cycles, (tidy,)), (plots.overpotentials, (tidy,)), (plots.family_comparison, (tidy, "dual")),
    ]
    for ax, (function, args) in zip(axes.flat, calls):
        assert function(*args, ax=ax) is ax
    assert plt.get_fignums() == [fig.number]  # no new figure was opened


def test_plots_leave_rcparams_alone(tidy):
    before = dict(mpl.rcParams)
    plots.ce_map(tidy)
    plots.family_comparison(tidy, "lithiophilicity")
    assert dict(mpl.rcParams) == before


def test_theme_applies_and_restores_rcparams():
    before = dict(mpl.rcParams)
    with theme():
        assert mpl.rcParams["svg.hashsalt"] == "reviewfigs"
        assert mpl.rcParams["figure.facecolor"] == "white" and mpl.rcParams["axes.facecolor"] == "white"
        mpl.rcParams["lines.linewidth"] = 9.0  # a change made inside is undone too
    assert dict(mpl.rcParams) == before


def test_theme_restores_rcparams_after_an_error():
    before = dict(mpl.rcParams)
    with pytest.raises(RuntimeError):
        with theme():
            raise RuntimeError("boom")
    assert dict(mpl.rcParams) == before


def test_importing_the_library_changes_no_style():
    code = ("import matplotlib as m; a = dict(m.rcParams); "
            "import reviewfigs, reviewfigs.plots, reviewfigs.plots.schematics, reviewfigs.figures; "
            "assert dict(m.rcParams) == a")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_plot_accepts_a_table_without_rows(real_review, tidy):
    empty = tidy.iloc[0:0]
    for function in (plots.ce_map, plots.lifespan_bubbles, plots.retention_vs_cycles, plots.overpotentials):
        assert points(function(empty)) == 0
    assert points(plots.fullcell_map(empty, real_review.thresholds)) == 0
    assert points(plots.family_comparison(empty, "dual")) == 0


# ------------------------------------------------------------------ one palette, one marker set
PLOTS_DIR = Path(plots.__file__).parent
HEX = re.compile(r"#[0-9A-Fa-f]{6}\b")


def _chromatic(hex_colour: str) -> bool:
    """A colour with a hue (not a grey): its channels differ by more than a rounding step."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return max(r, g, b) - min(r, g, b) > 8


@pytest.mark.parametrize("module", sorted(p.name for p in PLOTS_DIR.glob("*.py") if p.name != "style.py"))
def test_plots_take_colours_and_markers_from_the_one_style_module(module):
    """Only style.py defines a colour with a hue, a palette or a marker table; the other plot modules import them."""
    source = (PLOTS_DIR / module).read_text(encoding="utf-8")
    assert [c for c in HEX.findall(source) if _chromatic(c)] == [], f"{module}: a hue outside plots/style.py"
    tree = ast.parse(source)
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            name = getattr(target, "id", "")
            assert not re.search(r"OKABE|MARKERS|COLOU?RS?$|PALETTE", name) or name == "LINE_COLOURS", (
                f"{module} defines {name}: palettes and marker sets live in plots/style.py")


def test_energy_map_draws_each_cathode_with_the_books_marker(real_review):
    from reviewfigs.analysis import cell_energies, full_cells
    from reviewfigs.plots import models as model_plots
    from reviewfigs.plots.style import CATHODE_MARKERS

    th = real_review.thresholds.set_index("quantity")["value"]
    cells = cell_energies(full_cells(real_review.tidy()), ec_ratio=th["electrolyte_amount"]).dropna(subset=["cathode_capacity", "np_ratio"])
    ax = model_plots.plot_energy_map(cells, ec_ratio=th["electrolyte_amount"], li_limit=th["anode_li"], capacity_floor=th["cathode_areal_capacity"])
    drawn = [line.get_marker() for line in ax.get_lines() if line.get_gid() == DATA_GID]
    assert len(drawn) == len(cells) > 0
    assert drawn == [CATHODE_MARKERS[c] for c in cells["cathode"]]
    plt.close(ax.figure)


def test_model_line_colours_come_from_the_palette_and_keep_the_gradient_colours_for_gradients():
    from reviewfigs import models
    from reviewfigs.plots import models as model_plots
    from reviewfigs.plots.style import OKABE_ITO

    GRADIENT_COLORS = family_colours()
    hues = [c for c in model_plots.LINE_COLOURS if _chromatic(c)]
    assert hues and set(hues) <= set(OKABE_ITO.values())
    assert not set(model_plots.LINE_COLOURS) & set(GRADIENT_COLORS.values())
    profiles = {name: models.deposition_profile(host) for name, host in models.four_hosts().items()}
    ax = model_plots.plot_deposition_profiles(profiles)
    drawn = {line.get_label().split(" (")[0]: to_hex(line.get_color()).upper() for line in ax.get_lines()
             if not line.get_label().startswith("_")}
    for name, colour in drawn.items():
        family = next((g for g in GRADIENT_COLORS if name.startswith(g)), None)
        if family:
            assert colour == GRADIENT_COLORS[family].upper(), name
        else:
            assert colour not in {c.upper() for c in GRADIENT_COLORS.values()}, name
    assert sum(1 for n in drawn if n.endswith("-graded")) == 3
    plt.close(ax.figure)


@pytest.mark.parametrize(("chart", "quantity"), [("ce_map", "average_ce"), ("overpotentials", "overpotential")])
def test_a_test_reported_without_a_number_is_named_under_the_chart(tidy, chart, quantity):
    """It has no point to draw: the chart keeps its points and says whose test it leaves out."""
    row = host(tidy, quantity).iloc[0]
    unnumbered = row.copy()
    unnumbered[["id", "study", "sample", "value"]] = ["m999", "Unnumbered-X", "Unnumbered-X", np.nan]
    grown = pd.concat([tidy, unnumbered.to_frame().T], ignore_index=True).astype(tidy.dtypes.to_dict())
    before, after = getattr(plots, chart)(tidy), getattr(plots, chart)(grown)
    assert points(after) == points(before)
    assert "Unnumbered-X" not in texts(before)
    assert re.search(r"Not shown \(reported, no number given\): [^.]*\bUnnumbered-X\b", texts(after).replace("\n", " "))


def test_fullcell_map_names_the_printed_np_ratios_the_nominal_capacity_does_not_reproduce(tidy, real_review):
    """Science finding F5: the figure (not only the Models page) says which printed N/P do not fit."""
    from reviewfigs.analysis.cells import np_misfits

    misfits = np_misfits(tidy)
    assert {"LNO-CGH//NCM111", "ZGIL//LCO"} <= set(misfits.index)  # the review's two (Models, N/P section)
    note = texts(plots.fullcell_map(tidy, real_review.thresholds)).replace("\n", " ")
    for cell, implied in misfits.items():
        assert f"{cell} ({implied:.0f} mAh g⁻¹)" in note.replace("- ", "-")
