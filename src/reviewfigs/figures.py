"""Every figure of the book, by name: how to build it from a Review, its caption and its alt text.

:func:`render_all` writes ``<name>.svg`` and ``<name>.png`` for each figure plus ``alt.json``.
Output is byte-for-byte reproducible (fixed SVG hash salt, no dates or software versions in the
files, no randomness), and every file is written atomically (:func:`reviewfigs.files.write_atomic`),
so a book build never reads half a figure. Alt texts are generated from the same data as the figure,
so they never go stale. The registry's caption is the one source of a figure's caption: the chapter
cell that shows the figure (found by its ``{numref}`` label) carries the same text, and
``tests/test_figures.py`` fails if they differ.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
from pathlib import Path
from typing import Callable, NamedTuple

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from . import plots
from .analysis import cells as analysis_cells, lifespans, practical as analysis_practical
from .data.load import Review
from .files import write_atomic
from .plots import schematics
from .plots._links import EMPTY as EMPTY_LINKS
from .plots._links import Links, inline_svg, linked_svg, marks_of
from .plots.style import DPI, theme
from .vocab import BOUNDS, SECTIONS

SVG_METADATA = {"Date": None, "Creator": None}
PNG_METADATA = {"Software": None}


class FigureSpec(NamedTuple):
    """A book figure: ``build(review) -> Figure``, its caption, ``alt(review) -> str``, and the ``{numref}``
    label of the chapter cell that shows it (that cell's caption must equal ``caption``)."""

    build: Callable[[Review], Figure]
    caption: str
    alt: Callable[[Review], str]
    label: str


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


def _host_rows(review: Review, quantity: str) -> pd.DataFrame:
    t = review.tidy()
    return t[(t["role"] == "host") & (t["quantity"] == quantity)]


def _alt_ce(review: Review) -> str:
    rows = _host_rows(review, "average_ce")
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
    rows = _host_rows(review, "capacity_retention")
    rows = rows[rows["at_cycle"].notna()]
    items = "; ".join(f"{r['study']} {_bound(r)}{r['value']:g} % after {int(r['at_cycle'])} cycles ({r['cathode']})"
                      for _, r in rows.iterrows())
    return (f"Scatter plot of {len(rows)} full-cell capacity retentions (y, %) against the cycle number they were "
            f"reported at (x, log scale); marker shape and colour show the cathode. {items}.")


def _alt_overpotentials(review: Review) -> str:
    t = review.tidy()
    rows = t[t["quantity"].isin(["nucleation_overpotential", "overpotential"])]
    items = "; ".join(f"{r['sample']} ({r['study']}{', control' if r['role'] == 'control' else ''}) "
                      f"{r['quantity_label']} {_bound(r)}{r['value']:g} mV, {r['source']}"
                      for _, r in rows.iterrows())
    return f"Dot plot of {len(rows)} reported overpotentials in mV, grouped into nucleation and voltage overpotential: {items}."


def _alt_family(gradient: str) -> Callable[[Review], str]:
    def alt(review: Review) -> str:
        table = plots.family_table(review.tidy(), gradient)
        parts = []
        for _, row in table.iterrows():
            values = [f"{c.lower()} {row[c]:g}" for c in table.columns[1:] if pd.notna(row[c])]
            parts.append(f"{row['study']}: " + (", ".join(values) if values else "no comparable numbers"))
        return (f"Table-like chart of the {review.vocabulary.family(gradient).label} studies against four headline metrics (average "
                f"CE in %, symmetric-cell lifespan in h, full-cell cycles, capacity retention in %), each shown "
                f"as text and as a dot on a track spanning all studies of the review. " + "; ".join(parts) + ".")
    return alt


# ------------------------------------------------------------------------------ registry
def _family(gradient: str) -> Callable[[Review], Figure]:
    return lambda review: plots.family_comparison(review.tidy(), gradient).figure


def _hosts(gradient: str) -> Callable[[Review], Figure]:
    return lambda review: schematics.hosts_figure(review, gradient)


FIGURES: dict[str, FigureSpec] = {
    "concept": FigureSpec(
        lambda review: schematics.concept_figure(),
        "Where lithium goes in four kinds of host, drawn by `reviewfigs` (our version of the review's Fig. 1). "
        "Left to right: a plain conductive 3D host, where Li piles up on the top surface; a host whose "
        "lithiophilicity falls with height; one whose electronic conductivity falls with height; and one with both "
        "gradients. Side bars give each layer's lithiophilicity and conductivity level.",
        _alt_concept,
        "fig-concept",
    ),
    **{
        f"hosts_{s.family}": FigureSpec(
            _hosts(s.family),
            f"The {s.label} hosts of Sect. {s.number}, drawn from `data/layers.csv`: "
            "layers from the current collector (bottom) to the separator side, lithiophilicity (left bar) and "
            "electronic conductivity (right bar) on 0-3 scales assigned by this book from the review's descriptions, "
            "and Li drawn where the authors report it deposits (the deposition mode is in each panel's title). "
            "Relative thicknesses are schematic unless a thickness is printed.",
            _alt_hosts(s.family),
            f"fig-hosts-{s.family}",
        )
        for s in SECTIONS.values()
    },
    "ce_map": FigureSpec(
        lambda review: plots.ce_map(review.tidy()).figure,
        "Average Coulombic efficiency of the gradient hosts at their test conditions. Each point is one CE the "
        "review reports, placed at its current density and areal capacity and labelled with the CE and the number "
        "of cycles it was averaged over; colour gives the gradient family.",
        _alt_ce,
        "fig-ce-map",
    ),
    "lifespan_bubbles": FigureSpec(
        lambda review: plots.lifespan_bubbles(review.tidy()).figure,
        "Symmetric-cell lifespans at their test conditions; bubble area is proportional to the hours of stable "
        "cycling. Hollow dashed bubbles are studies that report cycles only, converted with hours = cycles × 2Q/J.",
        _alt_lifespan,
        "fig-lifespan",
    ),
    "fullcell_map": FigureSpec(
        lambda review: plots.fullcell_map(review.tidy(), review.thresholds).figure,
        "Every full cell in the data placed by its cathode areal capacity and N/P ratio. The shaded corner is the "
        "review's practical region (cathode above the capacity threshold with less Li than the Li threshold). "
        "Colours give the gradient family; hollow markers are N/P values estimated from the pre-stored Li. "
        "Capacities given in mg/cm² are converted with nominal specific capacities.",
        _alt_fullcell,
        "fig-fullcell-map",
    ),
    "retention_vs_cycles": FigureSpec(
        lambda review: plots.retention_vs_cycles(review.tidy()).figure,
        "Full-cell capacity retention against the cycle number at which it was reported, by cathode chemistry. "
        "An arrow marks a lower bound ('more than').",
        _alt_retention,
        "fig-retention",
    ),
    "overpotentials": FigureSpec(
        lambda review: plots.overpotentials(review.tidy()).figure,
        "Every nucleation and voltage overpotential the review reports, with the conditions and source of each; "
        "hollow markers are control electrodes, arrows mark upper bounds.",
        _alt_overpotentials,
        "fig-overpotentials",
    ),
    **{
        f"family_{s.family}": FigureSpec(
            _family(s.family),
            f"The {s.label} studies of Sect. {s.number}, each against four headline numbers: best "
            "half-cell average CE, longest symmetric-cell test, longest full-cell test (its `cycles` or the cycle a "
            "retention was reported at, whichever is longer) and the capacity retention of that same cell. Grey ticks on each track mark the values of all studies in the review. Redrawn from `data/`.",
            _alt_family(s.family),
            f"fig-family-{s.family}",
        )
        for s in SECTIONS.values()
    },
}


# ------------------------------------------------------------------------------- writing
def figure(name: str, review: Review | None = None) -> Figure:
    """Build one of the book's registered figures (for a page or a notebook)."""
    from .data.load import review as cached_review

    if name not in FIGURES:
        raise KeyError(f"unknown figure {name!r}; registered: {', '.join(FIGURES)}")
    fig = FIGURES[name].build(review if review is not None else cached_review())
    fig._reviewfigs_name = name  # inline SVG ids are prefixed with it on a book page
    return fig


def description_myst(name: str, review: Review | None = None) -> str:
    """A collapsible text description of a figure, written from the same data it is drawn from."""
    from .data.load import review as cached_review
    from .text.myst import escape

    text = FIGURES[name].alt(review if review is not None else cached_review())
    return f"~~~{{admonition}} Text description of the figure\n:class: dropdown\n\n{escape(text)}\n~~~\n"


def figure_bytes(fig: Figure, fmt: str, links: Links | None = None) -> bytes:
    """The figure as SVG or PNG bytes, with no date or software stamp (so identical input gives identical bytes).

    In an SVG every data mark becomes a link to its study with a ``<title>`` tooltip (see
    :mod:`reviewfigs.plots._links`); ``links`` supplies sections, dates added and references.
    """
    buffer = io.BytesIO()
    with theme():
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=SVG_METADATA if fmt == "svg" else PNG_METADATA)
    data = buffer.getvalue()
    return linked_svg(data, fig, links or EMPTY_LINKS) if fmt == "svg" else data


def inline_html(fig: Figure, review: Review | None = None, label: str | None = None) -> str:
    """The figure as an inline, linked SVG for an HTML page (what a book page shows)."""
    from .data.load import review as cached_review

    review = review if review is not None else cached_review()
    freeze_layout(fig)
    svg = figure_bytes(fig, "svg", Links.from_review(review)).decode("utf-8")
    name = getattr(fig, "_reviewfigs_name", None)
    if label is None:
        label = FIGURES[name].alt(review) if name in FIGURES else f"Figure with {len(marks_of(fig))} linked data marks."
    return inline_svg(svg, label, prefix=f"fig-{name}" if name else None)


def freeze_layout(fig: Figure) -> None:
    """Run the layout engine once and keep its result, so saving twice does not lay the figure out twice."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine("none")


def figure_files(review: Review, name: str) -> tuple[bytes, bytes]:
    """Build one registered figure and return its (SVG with linked marks, PNG) bytes."""
    fig = FIGURES[name].build(review)
    try:
        freeze_layout(fig)
        return figure_bytes(fig, "svg", Links.from_review(review)), figure_bytes(fig, "png")
    finally:
        plt.close(fig)


_SHARED: dict[str, Review] = {}  # the review handed to forked workers (inherited, never pickled)


def _worker(name: str) -> tuple[bytes, bytes]:
    return figure_files(_SHARED["review"], name)


def default_workers() -> int:
    """Two processes where the OS can fork (figures are independent, and the output does not depend on it)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def render_all(review: Review, outdir: Path | str, workers: int | None = None) -> list[Path]:
    """Write every figure (SVG and PNG) and ``alt.json`` into ``outdir``; return the files written.

    Figures are drawn in ``workers`` processes (default :func:`default_workers`); files are written
    by this process, in registry order, each atomically.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    names = list(FIGURES)
    workers = default_workers() if workers is None else workers
    if workers > 1:
        _SHARED["review"] = review
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                files = pool.map(_worker, names, chunksize=1)
        finally:
            _SHARED.clear()
    else:
        files = [figure_files(review, name) for name in names]
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
