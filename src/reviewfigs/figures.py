"""Every figure of the book, one record each: how to build it, its caption, alt text, data and page.

A :class:`FigureSpec` holds everything the book says about a figure: the builder (``build(review)``),
the caption (the chapter cell that shows it, found by its ``{numref}`` label, carries the same text;
``tests/test_figures.py`` fails if they differ), the alt text (generated from the same data as the
figure, so it never goes stale), the data it is drawn from (``sources(review)``: files, rows and a
sentence, shown in the gallery and cited on a slide) and the page that shows it (which is also the
slide deck it goes into). The gallery, the slides and ``reviewfigs figures`` read nothing else.
A new figure is one record here plus one chapter cell (CONTRIBUTING.md, "Adding a figure").

:func:`render_all` writes ``<name>.svg`` and ``<name>.png`` for each figure plus ``alt.json``.
Output is byte-for-byte reproducible (fixed SVG hash salt, no dates or software versions in the
files, no randomness), and every file is written atomically (:func:`reviewfigs.files.write_atomic`),
so a book build never reads half a figure.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from . import plots
from .analysis import cells as analysis_cells
from .analysis import lifespans, model_views
from .analysis import practical as analysis_practical
from .data.load import Review
from .data.load import review as cached_review
from .files import write_atomic
from .plots import EMPTY_LINKS, Links, figure_of, inline_svg, linked_svg, marks_of, schematics, settle_layout
from .plots import models as model_plots
from .plots.style import DPI, theme
from .vocab import BOUNDS, SECTIONS  # section figures exist for the review's three sections

SVG_METADATA = {"Date": None, "Creator": None}
PNG_METADATA = {"Software": None}


class FigureSource(NamedTuple):
    """The data a figure is drawn from."""

    files: tuple[str, ...]      # data files read
    rows: pd.DataFrame          # the rows drawn (with 'study'; 'id' when they are measurements)
    what: str                   # which rows, in words


@dataclass(frozen=True)
class FigureSpec:
    """A book figure, declared once.

    ``build(review) -> Figure``; ``caption`` (the chapter cell labelled ``label`` carries it word for
    word); ``alt(review) -> str``; ``sources(review) -> FigureSource``; ``page``: the chapter that
    shows it, which is also the slide deck it goes into. Every registered figure is in the gallery.
    """

    build: Callable[[Review], Figure]
    caption: str
    alt: Callable[[Review], str]
    label: str
    page: str
    sources: Callable[[Review], FigureSource]


# -------------------------------------------------------------------------- data sources
def _study_rows(review: Review, studies) -> pd.DataFrame:
    return review.studies[review.studies["study"].isin(list(studies))][["study", "bibkey"]]


def _no_data(what: str) -> Callable[[Review], FigureSource]:
    return lambda review: FigureSource((), _study_rows(review, []), what)


def _measurements(mask: Callable[[pd.DataFrame], pd.Series], what: str) -> Callable[[Review], FigureSource]:
    def sources(review: Review) -> FigureSource:
        t = review.tidy()
        return FigureSource(("data/measurements.csv", "data/studies.csv"), t[mask(t)], what)
    return sources


def _host_quantity(*quantities: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda t: (t["role"] == "host") & t["quantity"].isin(quantities)


def _sources_hosts(gradient: str) -> Callable[[Review], FigureSource]:
    def sources(review: Review) -> FigureSource:
        studies = review.studies.loc[review.studies["gradient"] == gradient, "study"]
        layers = review.layers[review.layers["study"].isin(studies)]
        return FigureSource(("data/layers.csv", "data/studies.csv"), _study_rows(review, layers["study"].unique()),
                            f"the {len(layers)} layer rows of the {gradient} hosts")
    return sources


def _sources_family(gradient: str) -> Callable[[Review], FigureSource]:
    def sources(review: Review) -> FigureSource:
        studies = list(plots.family_table(review.tidy(), gradient)["study"])
        return _measurements(lambda t: t["study"].isin(studies) & (t["role"] == "host"),
                             f"host rows of the {gradient} studies (best CE, longest lifespan and full-cell test)")(review)
    return sources


def _sources_lifespan(review: Review) -> FigureSource:
    return FigureSource(("data/measurements.csv",), lifespans.symmetric_lifespans(review.tidy()),
                        "symmetric-cell lifespans and cycle counts with J and Q")


def _sources_fullcells(review: Review) -> FigureSource:
    return FigureSource(("data/measurements.csv", "data/thresholds.csv"), analysis_cells.full_cells(review.tidy()),
                        "full cells (cathode, loading, N/P, pre-stored Li) and the practical thresholds")


def _sources_thresholds(what: str) -> Callable[[Review], FigureSource]:
    return lambda review: FigureSource(("data/thresholds.csv",), _study_rows(review, []), what)


def _sources_mof(review: Review) -> FigureSource:
    rows = review.tidy().set_index("id", drop=False).loc[list(model_views.MOF_THICKNESS_ROWS)]
    return FigureSource(("data/measurements.csv",), rows.reset_index(drop=True),
                        "the thicknesses of the MOF-C(t) hosts; the curves are the porous-electrode model's")


def _sources_energy(review: Review) -> FigureSource:
    return FigureSource(("data/measurements.csv", "data/thresholds.csv"), analysis_cells.full_cells(review.tidy()),
                        "full cells placed by cathode capacity and N/P, and the practical thresholds; "
                        "the contours are the mass-budget model's")


# ----------------------------------------------------------------------------- alt texts
def _n(v) -> str:
    return "not stated" if pd.isna(v) else f"{v:g}"


def _bound(row) -> str:
    return BOUNDS[row["bound"]].words


def _alt_concept(_review: Review) -> str:
    return ("Four schematic electrodes side by side, each a stack of four layers between a current collector "
            "(bottom) and the separator (top), with a lithiophilicity bar on the left and a conductivity bar on "
            "the right. (a) A plain host with uniform levels: lithium grows on its top surface as a crust with "
            "dendrite spikes. (b) Lithiophilicity falls from 3 at the bottom to 0 at the top, with lithiophilic "
            "particles densest at the bottom. (c) Conductivity falls from metal (3) at the bottom to insulating (0) "
            "at the top. (d) Both fall together. In (b) to (d) lithium fills the host from the bottom up.")


def _alt_hosts(gradient: str) -> Callable[[Review], str]:
    def alt(review: Review) -> str:
        parts = []
        for study in review.studies.loc[review.studies["gradient"] == gradient, "study"]:
            layers = review.layers[review.layers["study"] == study].sort_values("position")
            if layers.empty:
                continue
            stack = "; ".join(f"{r.material} (lithiophilicity {r.lithiophilicity}, conductivity {r.conductivity})"
                              for r in layers.itertuples())
            mode = review.study(study)["deposition_mode"]
            parts.append(f"{study}, Li deposits {mode}, layers from the collector up: {stack}.")
        return (f"Schematics of the {review.vocabulary.family(gradient).label} hosts, drawn from the layer data, each with "
                f"lithiophilicity (left bar) and conductivity (right bar) levels 0 to 3. " + " ".join(parts))
    return alt


def _alt_ce(review: Review) -> str:
    rows = plots.host_rows(review.tidy(), "average_ce")
    items = "; ".join(f"{r['study']} {_bound(r)}{r['value']:g} % over {_n(r['at_cycle'])} cycles at {_n(r['current_density'])} "
                      f"mA/cm² and {_n(r['areal_capacity'])} mAh/cm²" for _, r in rows.iterrows())
    return (f"Scatter plot on log axes of current density (x) against areal capacity per cycle (y) for "
            f"{len(rows)} average Coulombic efficiency tests, coloured by gradient family and labelled with "
            f"study and CE: {items}. Conditions the review does not state are on a 'not stated' strip.")


def _alt_lifespan(review: Review) -> str:
    rows = lifespans.symmetric_lifespans(review.tidy())
    items = "; ".join(f"{r['study']} {_bound(r)}{r['hours']:g} h at {r['current_density']:g} mA/cm² and "
                      f"{r['areal_capacity']:g} mAh/cm²" + (f" (converted from {r['cycles']:g} cycles)" if r["converted"] else "")
                      for _, r in rows.iterrows())
    return (f"Bubble chart of {len(rows)} symmetric-cell lifespans on log axes of current density (x) and areal "
            f"capacity (y); bubble area is proportional to hours, hollow dashed bubbles are converted from "
            f"cycles. {items}.")


def _alt_fullcell(review: Review) -> str:
    cells = analysis_cells.full_cells(review.tidy())
    shown = cells[cells["cathode_capacity"].notna()]
    low, high = plots.practical_limits(review.thresholds)
    items = "; ".join(f"{c['study']} with {c['cathode']}: {c['cathode_capacity']:.2g} mAh/cm², N/P "
                      + (f"{c['np_ratio']:.2g} ({c['np_source']})" if pd.notna(c["np_ratio"]) else "not reported")
                      for _, c in shown.iterrows())
    counts = analysis_practical.gap_counts(review)
    return (f"Scatter plot of {len(shown)} full cells: cathode areal capacity (x, log scale) against N/P ratio (y). "
            f"A shaded practical region covers cathode capacity above {low:g} mAh/cm² and N/P below {high:g} "
            f"divided by the cathode capacity (Li below {high:g} mAh/cm²). Of the {counts['full_cells']} full cells, "
            f"{counts['meet_cathode_areal_capacity']} meet the cathode threshold and {counts['meet_anode_li']} the Li "
            f"threshold. {items}.")


def _alt_retention(review: Review) -> str:
    rows, _ = plots.retention_rows(review.tidy())
    items = "; ".join(f"{r['study']} {_bound(r)}{r['value']:g} % after {int(r['at_cycle'])} cycles ({r['cathode']})"
                      for _, r in rows.iterrows())
    return (f"Scatter plot of {len(rows)} full-cell capacity retentions (y, %) against the cycle number they were "
            f"reported at (x, log scale); marker shape and colour show the cathode. {items}.")


def _alt_overpotentials(review: Review) -> str:
    rows = plots.overpotential_rows(review.tidy())
    items = "; ".join(f"{r['sample']} ({r['study']}{', control' if r['role'] == 'control' else ''}) "
                      f"{r['quantity_label']} {_bound(r)}{r['value']:g} mV, {r['source']}"
                      for _, r in rows.iterrows())
    return f"Dot plot of {len(rows)} reported overpotentials in mV, grouped into nucleation and voltage overpotential: {items}."


def _alt_family(gradient: str) -> Callable[[Review], str]:
    def alt(review: Review) -> str:
        table = plots.family_table(review.tidy(), gradient)
        parts = []
        for _, row in table.iterrows():
            values = [f"{c} {row[c]:g}" for c in table.columns[1:] if pd.notna(row[c])]
            parts.append(f"{row['study']}: " + (", ".join(values) if values else "no comparable numbers"))
        metrics = ", ".join(m.name for m in plots.METRICS)
        return (f"Table-like chart of the {review.vocabulary.family(gradient).label} studies against four headline metrics "
                f"({metrics}), each shown as text and as a dot on a track spanning all studies of the book. "
                + "; ".join(parts) + ".")
    return alt


def _threshold(review: Review, quantity: str) -> float:
    return float(review.thresholds.set_index("quantity").loc[quantity, "value"])


def _alt_sand(review: Review) -> str:
    return ("Log-log plot of Sand's time in hours against current density. Three parallel straight lines of slope "
            "minus two, for planar lithium and two rougher hosts, the host lines higher by the square of their "
            "roughness factors. A dashed line of slope minus one, the time to plate the threshold capacity of "
            f"{_threshold(review, 'cathode_areal_capacity'):g} mAh/cm², crosses the planar-lithium line at a few "
            "mA/cm².")


def _alt_profiles(_review: Review) -> str:
    profiles = model_views.four_host_profiles()
    shares = "; ".join(f"{name}: {p.bottom_fraction:.2f} in the bottom half" for name, p in profiles.items())
    return ("Four curves of normalised plating rate against depth. The uniform host plates most at the separator "
            "side and least at the collector. The conductivity-graded host peaks part of the way down. The "
            f"lithiophilicity-graded and dual-graded hosts plate little at the top and most at the collector. {shares}.")


def _alt_bottom_fraction(review: Review) -> str:
    marked = ", ".join(f"{t:g} µm" for t in model_views.mof_thicknesses(review.tidy()))
    return ("Line plot of bottom-half fraction against host thickness. The carbon-on-Cu@Ag line starts above the "
            "even-filling line and falls below it at a few tens of micrometres. The uniform carbon-on-Cu line starts "
            "near the even-filling line and falls further. The dual-graded line falls slowly and stays above the "
            f"even-filling line throughout. Vertical lines mark the MOF-C host thicknesses ({marked}).")


def _energy_cells(review: Review) -> pd.DataFrame:
    cells = analysis_cells.full_cells(review.tidy())
    return model_views.cell_energies(cells, ec_ratio=_threshold(review, "electrolyte_amount"))


def _alt_energy(review: Review) -> str:
    placed = _energy_cells(review).dropna(subset=["cathode_capacity", "np_ratio"])
    items = "; ".join(f"{r['label']}: {r['cathode_capacity']:.2g} mAh/cm², N/P {r['np_ratio']:.2g}"
                      for _, r in placed.iterrows())
    return ("Filled contour map of specific energy, rising from the top left (low cathode capacity, high N/P) to the "
            "bottom right (high capacity, low N/P), with dotted lines at the cathode-capacity threshold of "
            f"{_threshold(review, 'cathode_areal_capacity'):g} mAh/cm² and the Li threshold of "
            f"{_threshold(review, 'anode_li'):g} mAh/cm². {len(placed)} full cells are placed as white markers whose shape "
            f"gives the cathode ({', '.join(sorted(set(placed['cathode'])))}; legend under the plot): {items}.")


def _reported_ce(review: Review) -> pd.Series:
    return model_views.reported_ce_cycle_life(review.tidy())["average_ce_percent"]


def _alt_cycle_life(review: Review) -> str:
    ce = _reported_ce(review)
    span = f"from {ce.min():g} to {ce.max():g} %" if len(ce) else "none reported"
    return ("Log-log plot of cycles against average Coulombic efficiency, with parallel straight lines, one per N/P, "
            f"rising towards high efficiency. Grey ticks near the bottom show the {len(ce)} reported average "
            f"efficiencies, {span}.")


# ------------------------------------------------------------------------------ registry
def _family(gradient: str) -> Callable[[Review], Figure]:
    return lambda review: figure_of(plots.family_comparison(review.tidy(), gradient))


def _hosts(gradient: str) -> Callable[[Review], Figure]:
    return lambda review: schematics.hosts_figure(review, gradient)


def _sand_figure(review: Review) -> Figure:
    return figure_of(model_plots.plot_sand_time(plating_capacity=_threshold(review, "cathode_areal_capacity")))


def _profiles_figure(_review: Review) -> Figure:
    return figure_of(model_plots.plot_deposition_profiles(model_views.four_host_profiles()))


def _bottom_fraction_figure(review: Review) -> Figure:
    thickness = model_views.THICKNESS_GRID_UM
    curves = model_views.bottom_fraction_curves(thickness)
    return figure_of(model_plots.plot_bottom_fraction(thickness, curves, marked=model_views.mof_thicknesses(review.tidy())))


def _energy_figure(review: Review) -> Figure:
    ax = model_plots.plot_energy_map(_energy_cells(review), ec_ratio=_threshold(review, "electrolyte_amount"),
                                     capacity_floor=_threshold(review, "cathode_areal_capacity"),
                                     li_limit=_threshold(review, "anode_li"))
    return figure_of(ax)


def _cycle_life_figure(review: Review) -> Figure:
    return figure_of(model_plots.plot_cycle_life(convention="lithiated", reported_ce_percent=_reported_ce(review)))


FIGURES: dict[str, FigureSpec] = {
    "concept": FigureSpec(
        lambda review: schematics.concept_figure(),
        "Where lithium goes in four kinds of host, drawn by `reviewfigs` (our version of the review's Fig. 1). "
        "Left to right: a plain conductive 3D host, where Li piles up on the top surface; a host whose "
        "lithiophilicity falls with height; one whose electronic conductivity falls with height; and one with both "
        "gradients. Side bars give each layer's lithiophilicity and conductivity level.",
        _alt_concept, "fig-concept", "introduction",
        _no_data("none: a schematic after Fig. 1 of the review"),
    ),
    **{
        f"hosts_{s.family}": FigureSpec(
            _hosts(s.family),
            f"The {s.label} hosts of Sect. {s.number}, drawn from `data/layers.csv`: "
            "layers from the current collector (bottom) to the separator side, lithiophilicity (left bar) and "
            "electronic conductivity (right bar) on 0-3 scales assigned by this book from the review's descriptions, "
            "and Li drawn where the authors report it deposits (the deposition mode is in each panel's title). "
            "Relative thicknesses are schematic unless a thickness is printed.",
            _alt_hosts(s.family), f"fig-hosts-{s.family}", s.chapter, _sources_hosts(s.family),
        )
        for s in SECTIONS.values()
    },
    "ce_map": FigureSpec(
        lambda review: figure_of(plots.ce_map(review.tidy())),
        "Average Coulombic efficiency of the gradient hosts at their test conditions. Each point is one CE the "
        "review reports, placed at its current density and areal capacity and labelled with the CE and the number "
        "of cycles it was averaged over; colour gives the gradient family.",
        _alt_ce, "fig-ce-map", "comparisons",
        _measurements(_host_quantity("average_ce"), "host rows with quantity average_ce"),
    ),
    "lifespan_bubbles": FigureSpec(
        lambda review: figure_of(plots.lifespan_bubbles(review.tidy())),
        "Symmetric-cell lifespans at their test conditions; bubble area is proportional to the hours of stable "
        "cycling. Hollow dashed bubbles are studies that report cycles only, converted with hours = cycles × 2Q/J.",
        _alt_lifespan, "fig-lifespan", "comparisons", _sources_lifespan,
    ),
    "fullcell_map": FigureSpec(
        lambda review: figure_of(plots.fullcell_map(review.tidy(), review.thresholds)),
        "Every full cell in the data placed by its cathode areal capacity and N/P ratio. The shaded corner is the "
        "review's practical region (cathode above the capacity threshold with less Li than the Li threshold). "
        "Colours give the gradient family; hollow markers are N/P values estimated from the pre-stored Li. "
        "Capacities given in mg/cm² are converted with nominal specific capacities.",
        _alt_fullcell, "fig-fullcell-map", "outlook", _sources_fullcells,
    ),
    "retention_vs_cycles": FigureSpec(
        lambda review: figure_of(plots.retention_vs_cycles(review.tidy())),
        "Full-cell capacity retention against the cycle number at which it was reported, by cathode chemistry. "
        "An arrow marks a lower bound ('more than').",
        _alt_retention, "fig-retention", "comparisons",
        _measurements(lambda t: _host_quantity("capacity_retention")(t) & t["at_cycle"].notna(),
                      "host rows with quantity capacity_retention and a cycle number"),
    ),
    "overpotentials": FigureSpec(
        lambda review: figure_of(plots.overpotentials(review.tidy())),
        "Every nucleation and voltage overpotential the review reports, with the conditions and source of each; "
        "hollow markers are control electrodes, arrows mark upper bounds.",
        _alt_overpotentials, "fig-overpotentials", "comparisons",
        _measurements(lambda t: t["quantity"].isin(["nucleation_overpotential", "overpotential"]),
                      "rows with quantity nucleation_overpotential or overpotential"),
    ),
    **{
        f"family_{s.family}": FigureSpec(
            _family(s.family),
            f"The {s.label} studies of Sect. {s.number}, each against four headline numbers: best "
            "half-cell average CE, longest symmetric-cell test, longest full-cell test (its `cycles` or the cycle a "
            "retention was reported at, whichever is longer) and the capacity retention of that same cell. Grey ticks on each track mark the values of all studies in the book. Redrawn from `data/`.",
            _alt_family(s.family), f"fig-family-{s.family}", s.chapter, _sources_family(s.family),
        )
        for s in SECTIONS.values()
    },
    "sand_time": FigureSpec(
        _sand_figure,
        "Sand's time against current density for planar lithium (aL = 1) and for two hosts of larger roughness factor "
        "aL (values in the legend), using the optimistic local-current bound. Dots mark the current densities at which "
        "the review's studies test their hosts; the dashed line is the time needed to plate the review's threshold "
        "cathode capacity. Where a solid line falls below the dashed one, the salt at the surface of a semi-infinite "
        "electrolyte would run out before a practical charge is complete; between real electrodes this happens only "
        "above the limiting current (next paragraph).",
        _alt_sand, "fig-sand-time", "models",
        _sources_thresholds("the threshold cathode capacity; the curves are Sand's model"),
    ),
    "deposition_profiles": FigureSpec(
        _profiles_figure,
        "Plating rate against depth in the four hosts of `models.four_hosts` at the larger interfacial area of the "
        "text, drawn as a cross-section with the separator on top. A rate of 1 means even filling; the legend gives "
        "the share of lithium plated in the bottom half.",
        _alt_profiles, "fig-deposition-profiles", "models",
        _no_data("none: the porous-electrode model of four hosts (models.four_hosts)"),
    ),
    "bottom_fraction": FigureSpec(
        _bottom_fraction_figure,
        "Share of lithium plated in the bottom half against host thickness, for a MOF-C-like carbon host on a "
        "lithiophilic Ag-coated collector (the Ag layer keeps its thickness), the same carbon on bare Cu, and the "
        "dual-graded host of the previous figure, all at the larger interfacial area of the text. Vertical lines mark "
        "the thicknesses of the MOF-C hosts of the review's Sect. 2.1.",
        _alt_bottom_fraction, "fig-bottom-fraction", "models", _sources_mof,
    ),
    "energy_map": FigureSpec(
        _energy_figure,
        "Specific energy of an NCM811 pouch stack with the threshold electrolyte amount over cathode areal capacity "
        "and N/P (log axes; no packaging or host mass). Dotted lines mark the review's thresholds for cathode capacity "
        "and lithium inventory; the practical corner lies right of the vertical line and below the diagonal. White "
        "markers are the review's full cells placed by their design, their shape giving the cathode (legend under the "
        "plot); the colour scale applies to NCM811, so cells with other cathodes would sit lower in energy.",
        _alt_energy, "fig-energy-map", "models", _sources_energy,
    ),
    "cycle_life": FigureSpec(
        _cycle_life_figure,
        "Cycles until the spare lithium is used up against average Coulombic efficiency, for several N/P (legend) "
        "with a lithiated cathode (n = (N/P)/(1 − CE)). The x axis is logarithmic in 1 − CE. Ticks along the bottom "
        "mark the average CE values reported in the review's half-cell tests.",
        _alt_cycle_life, "fig-cycle-life", "models",
        _measurements(_host_quantity("average_ce"), "host rows with quantity average_ce (the ticks); "
                      "the lines are the reservoir model's"),
    ),
}


# ------------------------------------------------------------------------------- writing
def figure(name: str, review: Review | None = None) -> Figure:
    """Build one of the book's registered figures (for a page or a notebook)."""
    if name not in FIGURES:
        raise KeyError(f"unknown figure {name!r}; registered: {', '.join(FIGURES)}")
    review = review if review is not None else cached_review()
    fig = FIGURES[name].build(review)
    fig.set_label(name)  # its registry name: inline SVG ids are prefixed with it on a book page
    # A page or notebook shows a figure with linked marks as inline SVG (links work there) beside the usual PNG.
    # It is the figure's own ``_repr_html_`` rather than an IPython formatter for all figures because the inline
    # backend resets those formatters when it starts.
    fig._repr_html_ = lambda: inline_html(fig, review) if marks_of(fig) else None  # type: ignore[method-assign]
    return fig


def description_myst(name: str, review: Review | None = None) -> str:
    """A collapsible text description of a figure, written from the same data it is drawn from."""
    from .text.myst import escape

    text = FIGURES[name].alt(review if review is not None else cached_review())
    return f"~~~{{admonition}} Text description of the figure\n:class: dropdown\n\n{escape(text)}\n~~~\n"


#: the gallery's PNGs are at least this wide (px): a full-HD 16:9 slide
PNG_MIN_WIDTH = 1920


def figure_bytes(fig: Figure, fmt: str, links: Links | None = None, dpi: float = DPI) -> bytes:
    """The figure as SVG or PNG bytes, with no date or software stamp (so identical input gives identical bytes).

    In an SVG every data mark becomes a link to its study with a ``<title>`` tooltip (see
    :mod:`reviewfigs.plots._links`); ``links`` supplies sections, dates added and references.
    """
    buffer = io.BytesIO()
    with theme():
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=SVG_METADATA if fmt == "svg" else PNG_METADATA)
    data = buffer.getvalue()
    return linked_svg(data, fig, links or EMPTY_LINKS) if fmt == "svg" else data


def inline_html(fig: Figure, review: Review | None = None, label: str | None = None) -> str:
    """The figure as an inline, linked SVG for an HTML page (what a book page shows)."""
    review = review if review is not None else cached_review()
    freeze_layout(fig)
    svg = figure_bytes(fig, "svg", Links.from_review(review)).decode("utf-8")
    name = fig.get_label() if fig.get_label() in FIGURES else None
    if label is None:
        label = FIGURES[name].alt(review) if name in FIGURES else f"Figure with {len(marks_of(fig))} linked data marks."
    inline = inline_svg(svg, label, prefix=f"fig-{name}" if name else None)
    if name in FIGURES:  # on a phone the column is narrow: a tap opens the figure full size (the gallery's SVG)
        inline += "\n" + full_size_anchor(name)
    return inline


def full_size_anchor(name: str) -> str:
    """The link under a figure to its full-size SVG in the gallery (chapters sit one folder below the site root)."""
    return f'<a class="figure-full" href="../gallery/{name}.svg">Open the figure full size (SVG)</a>'


def full_size_link(name: str):
    """Show :func:`full_size_anchor` from a chapter cell, under a figure drawn as a PNG (one without linked
    marks), so that every figure, not only the inline-SVG ones, opens full size on a phone."""
    from IPython.display import HTML

    if name not in FIGURES:
        raise KeyError(f"unknown figure {name!r}; registered: {', '.join(FIGURES)}")
    return HTML(full_size_anchor(name))


def freeze_layout(fig: Figure) -> None:
    """Run the layout engine once and keep its result, so saving twice does not lay the figure out twice."""
    if fig.get_layout_engine() is not None:
        settle_layout(fig)
        fig.set_layout_engine("none")


def figure_files(review: Review, name: str) -> tuple[bytes, bytes]:
    """Build one registered figure and return its (SVG with linked marks, PNG) bytes."""
    fig = FIGURES[name].build(review)
    try:
        freeze_layout(fig)
        png_dpi = max(DPI, -(-PNG_MIN_WIDTH // fig.get_figwidth()))  # whole dots per inch, rounded up
        return figure_bytes(fig, "svg", Links.from_review(review)), figure_bytes(fig, "png", dpi=png_dpi)
    finally:
        plt.close(fig)


_WORKER_REVIEW: list[Review] = []  # set once in each forked worker by its initializer (inherited, never pickled)


def _init_worker(review: Review) -> None:
    _WORKER_REVIEW[:] = [review]


def _worker(name: str) -> tuple[bytes, bytes]:
    return figure_files(_WORKER_REVIEW[0], name)


def default_workers() -> int:
    """Two processes where the OS can fork (figures are independent, and the output does not depend on it)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(2, os.cpu_count() or 1))


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 over the package's source and the matplotlib version: what draws a figure besides its data."""
    digest = hashlib.sha256(matplotlib.__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def review_fingerprint(review: Review) -> str:
    """SHA-256 of everything a figure can read from a review: every table and the bibliography, by content."""
    digest = hashlib.sha256()
    for table in (review.studies, review.measurements, review.discrepancies, review.thresholds, review.layers,
                  review.families, review.quantities):
        digest.update(table.to_csv(index=False).encode("utf-8"))
    digest.update(repr(sorted(review.bib.references.items())).encode("utf-8"))
    digest.update(repr(review.vocabulary).encode("utf-8"))
    return digest.hexdigest()


def cache_key(review: Review, name: str, fingerprint: str | None = None) -> str:
    """The key of one figure's files in a figure cache: its name, the review's content (``fingerprint``, computed
    if not given) and the code version."""
    fingerprint = fingerprint or review_fingerprint(review)
    return hashlib.sha256(f"{name}\0{fingerprint}\0{code_version()}".encode()).hexdigest()[:32]


def render_all(review: Review, outdir: Path | str, workers: int | None = None, cache: Path | str | None = None) -> list[Path]:
    """Write every figure (SVG and PNG) and ``alt.json`` into ``outdir``; return the files written.

    Figures are drawn in ``workers`` processes (default :func:`default_workers`); files are written
    by this process, in registry order, each atomically. With a ``cache`` folder, a figure whose
    :func:`cache_key` (review content and code version) is there is copied instead of drawn, and a
    drawn one is stored, so a rebuild that changed no input draws nothing.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    names = list(FIGURES)
    cached: dict[str, tuple[bytes, bytes]] = {}
    fingerprint = review_fingerprint(review) if cache is not None else ""
    keys = {name: cache_key(review, name, fingerprint) for name in names} if cache is not None else {}
    if cache is not None:
        for name, key in keys.items():
            svg_path, png_path = Path(cache) / f"{key}.svg", Path(cache) / f"{key}.png"
            if svg_path.is_file() and png_path.is_file():
                cached[name] = (svg_path.read_bytes(), png_path.read_bytes())
    todo = [name for name in names if name not in cached]
    workers = default_workers() if workers is None else workers
    if workers > 1 and len(todo) > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_init_worker, initargs=(review,)) as pool:
            drawn = dict(zip(todo, pool.map(_worker, todo), strict=True))
    else:
        drawn = {name: figure_files(review, name) for name in todo}
    if cache is not None:
        for name, (svg, png) in drawn.items():
            write_atomic(Path(cache) / f"{keys[name]}.png", png)  # the SVG last: it marks the entry complete
            write_atomic(Path(cache) / f"{keys[name]}.svg", svg)
    files = [cached[name] if name in cached else drawn[name] for name in names]
    written: list[Path] = []
    alts: dict[str, str] = {}
    for name, (svg, png) in zip(names, files):
        for fmt, data in (("svg", svg), ("png", png)):
            path = outdir / f"{name}.{fmt}"
            write_atomic(path, data)
            written.append(path)
            alts[path.name] = FIGURES[name].alt(review) if fmt == "svg" else alts[f"{name}.svg"]
    alt_path = outdir / "alt.json"
    text = json.dumps(dict(sorted(alts.items())), ensure_ascii=False, indent=1) + "\n"
    write_atomic(alt_path, text.encode("utf-8"))
    return written + [alt_path]
