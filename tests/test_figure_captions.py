"""Every figure's caption against what the figure draws (markers, colours, counts), and every text inside
the canvas as saved. Each kind of check also runs once against a planted mistake, which it must catch."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from reviewfigs import analysis, plots
from reviewfigs.figures import FIGURES, figure
from reviewfigs.plots.style import cathode_marker, family_colours, theme
from support.figures import arrow_count, clipped_texts, data_artists, legend_markers, point_faces, saved_state
from support.repo import REPO

CHAPTERS = REPO / "chapters"


# ----------------------------------------------------------------------------------- the checks
def check_count(what: str, drawn: int, expected: int) -> list[str]:
    return [] if drawn == expected else [f"{what}: the figure draws {drawn}, the caption's rule gives {expected}"]


def check_hollow(fig, expected: int, what: str) -> list[str]:
    return check_count(f"hollow markers ({what})", sum(h for h, _ in point_faces(fig)), expected)


def check_arrows(fig, expected: int, what: str) -> list[str]:
    return check_count(f"arrows ({what})", arrow_count(fig), expected)


def check_family_colours(fig) -> list[str]:
    """'Colour gives the gradient family': every filled data mark is in a family colour."""
    allowed = {to_hex(c) for c in family_colours().values()}
    bad = set()
    for artist in data_artists(fig):
        if hasattr(artist, "get_offsets") and len(artist.get_offsets()) == 0:
            continue  # an empty collection draws nothing (matplotlib still gives it a default colour)
        faces = getattr(artist, "get_facecolors", lambda: [])()
        for face in faces:
            if face[3] > 0 and not (np.asarray(face[:3]) > 0.97).all():
                colour = to_hex(face[:3])
                if colour not in allowed:
                    bad.add(colour)
    return [f"data marks in colours that are not a gradient family: {sorted(bad)}"] if bad else []


def check_marker_legend(fig, drawn_cathodes) -> list[str]:
    """'Shape gives the cathode': each drawn cathode has a legend entry with its marker, and every drawn
    marker shape is one the legend explains."""
    legend = legend_markers(fig)
    problems = [f"{c}: legend shows {legend.get(c)!r}, the book's marker is {cathode_marker(c)!r}"
                for c in drawn_cathodes if legend.get(c) != cathode_marker(c)]
    explained = {legend[c] for c in drawn_cathodes if c in legend}
    shapes = {m for _, m in point_faces(fig) if m is not None}
    if shapes - explained:
        problems.append(f"marker shapes drawn but not in the legend: {sorted(shapes - explained)}")
    return problems


def check_text_fits(fig) -> list[str]:
    saved_state(fig)
    with theme():
        return [f"text cut off at the canvas edge: {text[:60]!r} at {tuple(round(v) for v in box)}"
                for text, box in clipped_texts(fig)]


# ------------------------------------------------------------------------ one rule set per figure
def _tidy(review):
    return review.tidy()


def claims_fullcell(fig, review) -> list[str]:
    cells = analysis.full_cells(_tidy(review))
    shown = cells[cells["cathode_capacity"].notna()]
    return (check_hollow(fig, int((shown["np_source"] == "Li/cathode").sum()), "estimated N/P")
            + check_family_colours(fig) + check_marker_legend(fig, set(shown["cathode"])))


def claims_retention(fig, review) -> list[str]:
    t = _tidy(review)
    rows = t[(t["role"] == "host") & (t["quantity"] == "capacity_retention") & t["at_cycle"].notna()]
    return (check_arrows(fig, int(rows["bound"].isin([">", "<"]).sum()), "bounds")
            + check_marker_legend(fig, set(rows["cathode"]))
            + check_count("retention points", len(point_faces(fig)), len(rows)))


def claims_overpotentials(fig, review) -> list[str]:
    t = _tidy(review)
    rows = t[t["quantity"].isin(["nucleation_overpotential", "overpotential"])]
    return (check_hollow(fig, int((rows["role"] == "control").sum()), "controls")
            + check_arrows(fig, int(rows["bound"].isin([">", "<"]).sum()), "bounds"))


def claims_lifespan(fig, review) -> list[str]:
    rows = analysis.symmetric_lifespans(_tidy(review))
    return check_hollow(fig, int(rows["converted"].sum()), "converted from cycles") + check_family_colours(fig)


def claims_ce(fig, review) -> list[str]:
    t = _tidy(review)
    rows = t[(t["role"] == "host") & (t["quantity"] == "average_ce") & t["value"].notna()]  # a point needs a number
    return check_count("CE points", len(point_faces(fig)), len(rows)) + check_family_colours(fig)


def claims_family(fig, review) -> list[str]:
    headers = [t for ax in fig.axes for t in ax.texts if t.get_fontweight() == "bold" and "\n" in t.get_text()]
    return check_count("headline numbers ('four headline numbers')", len(headers), 4)


def claims_hosts(gradient):
    def claims(fig, review) -> list[str]:
        studies = review.studies[(review.studies["gradient"] == gradient)
                                 & review.studies["study"].isin(review.layers["study"])]
        titles = " ".join(ax.get_title(loc=loc) for ax in fig.axes for loc in ("left", "center", "right"))
        missing = [s["study"] for _, s in studies.iterrows() if s["deposition_mode"] not in titles]
        return [f"panel titles lack the deposition mode of {missing}"] if missing else []
    return claims


def claims_concept(fig, review) -> list[str]:
    panels = [ax for ax in fig.axes if any(ax.get_title(loc=loc) for loc in ("left", "center", "right"))]
    return check_count("hosts ('four kinds of host')", len(panels), 4)


def _legend_labels(fig) -> list[str]:
    from matplotlib.legend import Legend

    found = [c for ax in fig.axes for c in ax.get_children() if isinstance(c, Legend)]
    return [t.get_text() for legend in dict.fromkeys(found) for t in legend.get_texts()]


def claims_sand(fig, review) -> list[str]:
    labels = _legend_labels(fig)
    return [] if any("aL = 1" in t for t in labels) and sum("aL =" in t for t in labels) == 3 else \
        [f"legend does not name the three roughness factors: {labels}"]


def claims_profiles(fig, review) -> list[str]:
    from reviewfigs.analysis.model_views import four_host_profiles

    shares = {name: p.bottom_fraction for name, p in four_host_profiles().items()}
    labels = _legend_labels(fig)
    problems = check_count("hosts ('the four hosts')", len(labels), 4)
    for name, share in shares.items():
        if not any(t.startswith(name) and f"{share:.2f}" in t for t in labels):
            problems.append(f"legend lacks the bottom-half share {share:.2f} of {name}")
    return problems


def claims_bottom_fraction(fig, review) -> list[str]:
    t = review.tidy().set_index("id")
    wanted = sorted(float(t.loc[i, "value"]) for i in ("m011", "m012"))
    drawn = sorted({float(line.get_xdata()[0]) for ax in fig.axes for line in ax.lines
                    if len(set(line.get_xdata())) == 1 and line.get_xdata()[0] in wanted})
    return [] if drawn == wanted else [f"vertical lines at {drawn}, the MOF-C thicknesses are {wanted}"]


def claims_energy(fig, review) -> list[str]:
    ec_ratio = review.thresholds.set_index("quantity").loc["electrolyte_amount", "value"]
    cells = analysis.cell_energies(analysis.full_cells(review.tidy()), ec_ratio=ec_ratio).dropna(subset=["cathode_capacity", "np_ratio"])
    return (check_marker_legend(fig, set(cells["cathode"]))
            + check_hollow(fig, len(cells), "white markers, one per placed cell"))


def claims_cycle_life(fig, review) -> list[str]:
    t = review.tidy()
    reported = int(((t["quantity"] == "average_ce") & (t["role"] == "host") & t["value"].notna()).sum())
    ticks = sum(len(line.get_xdata()) for ax in fig.axes for line in ax.lines if line.get_marker() == "|")
    return check_count("ticks of reported CE", ticks, reported)


#: figure -> (phrases its caption must contain, the rule that checks them against the drawing)
CLAIMS = {
    "concept": (("four kinds of host",), claims_concept),
    **{f"hosts_{g}": (("deposition mode is in each panel's title",), claims_hosts(g))
       for g in ("lithiophilicity", "conductivity", "dual")},
    "ce_map": (("colour gives the gradient family",), claims_ce),
    "lifespan_bubbles": (("Hollow dashed bubbles are studies that report cycles only",), claims_lifespan),
    "fullcell_map": (("Colours give the gradient family", "hollow markers are N/P values estimated"), claims_fullcell),
    "retention_vs_cycles": (("by cathode chemistry", "An arrow marks a lower bound"), claims_retention),
    "overpotentials": (("hollow markers are control electrodes", "arrows mark upper bounds"), claims_overpotentials),
    **{f"family_{g}": (("four headline numbers",), claims_family) for g in ("lithiophilicity", "conductivity", "dual")},
    "sand_time": (("values in the legend",), claims_sand),
    "deposition_profiles": (("four hosts", "the legend gives the share of lithium plated in the bottom half"), claims_profiles),
    "bottom_fraction": (("Vertical lines mark the thicknesses of the MOF-C hosts",), claims_bottom_fraction),
    "energy_map": (("their shape giving the cathode (legend under the plot)",), claims_energy),
    "cycle_life": (("Ticks along the bottom mark the average CE values reported",), claims_cycle_life),
}


def test_every_registered_figure_has_caption_rules():
    assert set(CLAIMS) == set(FIGURES), "a figure without caption rules: add it to CLAIMS"


@pytest.mark.parametrize("name", list(FIGURES))
def test_caption_matches_the_drawing(name, real_review):
    phrases, claims = CLAIMS[name]
    caption = FIGURES[name].caption
    assert all(p in caption for p in phrases), f"{name}: the caption no longer says {phrases}; update CLAIMS"
    fig = figure(name, real_review)
    try:
        assert claims(fig, real_review) == []
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_text_fits_the_canvas(name, real_review):
    fig = figure(name, real_review)
    try:
        assert check_text_fits(fig) == []
    finally:
        plt.close(fig)


# ------------------------------------------------------- the models chapter's energy map (Fig. 11)
def test_energy_map_caption_names_no_shape_it_does_not_check():
    """Fig. 11 once named circles, squares and diamonds the figure did not draw: shapes are now read from the legend."""
    assert not re.search(r"\b(circles?|squares?|diamonds?)\b", FIGURES["energy_map"].caption)


# ------------------------------------------------------------------------- planted mistakes
def _scatter(cathode_marker_pairs, colours=None, hollow=()):
    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    for i, (_cathode, marker) in enumerate(cathode_marker_pairs):
        face = "white" if i in hollow else (colours[i] if colours else "#D55E00")
        ax.scatter([i], [i], marker=marker, facecolors=face, edgecolors="k", gid="data")
    return fig, ax


def test_planted_wrong_marker_is_caught():
    fig, ax = _scatter([("LFP", "s")])  # LFP drawn as a square; the book's LFP marker is a circle
    from matplotlib.lines import Line2D
    ax.legend(handles=[Line2D([], [], marker="o", linestyle="none", label="LFP")])
    try:
        problems = check_marker_legend(fig, {"LFP"})
        assert problems and "marker shapes drawn but not in the legend: ['s']" in problems[-1]
    finally:
        plt.close(fig)


def test_planted_missing_marker_legend_is_caught():
    fig, _ = _scatter([("LFP", "o")])  # no legend at all: the reader cannot decode the shape
    try:
        assert check_marker_legend(fig, {"LFP"}) == ["LFP: legend shows None, the book's marker is 'o'",
                                                     "marker shapes drawn but not in the legend: ['o']"]
    finally:
        plt.close(fig)


def test_planted_foreign_colour_is_caught():
    fig, _ = _scatter([("LFP", "o")], colours=["#FF00FF"])
    try:
        assert check_family_colours(fig) == ["data marks in colours that are not a gradient family: ['#ff00ff']"]
    finally:
        plt.close(fig)


def test_planted_count_mismatch_is_caught():
    fig, _ = _scatter([("LFP", "o"), ("LFP", "o")], hollow=(0, 1))
    try:
        assert check_hollow(fig, 1, "controls") == ["hollow markers (controls): the figure draws 2, the caption's rule gives 1"]
        assert check_arrows(fig, 1, "bounds") == ["arrows (bounds): the figure draws 0, the caption's rule gives 1"]
    finally:
        plt.close(fig)


def test_planted_clipped_text_is_caught():
    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ax.text(1.3, 0.5, "outside on the right", transform=ax.transAxes)
    try:
        assert any("outside on the right" in p for p in check_text_fits(fig))
    finally:
        plt.close(fig)


def test_planted_wrapped_footnote_cut_at_the_bottom_is_caught():
    """The old fault of Fig. 13: a footnote wrapped by matplotlib only at draw time, so its last line was cut."""
    fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
    ax.annotate("Not shown: " + "a long footnote that wraps over several lines " * 8, xy=(0, 0),
                xycoords="axes fraction", xytext=(0, -34), textcoords="offset points", va="top", fontsize=7.5,
                wrap=True)
    try:
        assert any(p.startswith("text cut off") for p in check_text_fits(fig))
    finally:
        plt.close(fig)


def test_notes_are_laid_out_inside_the_canvas():
    fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
    plots._common.add_note(ax, "Not shown: " + "a long footnote that wraps over several lines " * 8)
    try:
        assert check_text_fits(fig) == []
    finally:
        plt.close(fig)


# ------------------------------------------------------------------------- alt texts typed in chapters
ALT_OPTION = re.compile(r"^:\s+alt:\s*(.+)$", re.M)
DATA_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*(?:%|mAh|mA\b|cycles|h\b|Wh|µm)")


def typed_alt_claims(markdown: str, study_names: list[str]) -> list[str]:
    """Study names and data numbers in a chapter's typed ``alt:`` options: claims about today's data that an
    added paper can falsify (the figure's own description is written from the data)."""
    found = []
    for alt in ALT_OPTION.findall(markdown):
        found += [f"names {name!r}: {alt[:80]}" for name in study_names
                  if re.search(rf"(?<![\w/-]){re.escape(name)}(?![\w/-])", alt)]
        found += [f"types {number!r}: {alt[:80]}" for number in DATA_NUMBER.findall(alt)]
    return found


def test_chapter_alt_texts_state_nothing_about_todays_data(real_review):
    names = sorted(real_review.studies["study"], key=len, reverse=True)
    found = {page.name: claims for page in sorted(CHAPTERS.glob("*.md"))
             if (claims := typed_alt_claims(page.read_text(encoding="utf-8"), names))}
    assert not found, found


def test_a_typed_alt_claim_is_caught(real_review):
    names = sorted(real_review.studies["study"], key=len, reverse=True)
    name = names[-1]
    planted = f':  image:\n:    alt: "Bars per study; {name} has no values, all below 4 mAh per square centimetre."\n'
    assert len(typed_alt_claims(planted, names)) == 2
