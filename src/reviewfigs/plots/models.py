"""Figures for the models chapter. Each helper draws on ``ax`` (a new figure if None) and returns it.

Readable in light and dark book themes: opaque white background, dark text, Okabe-Ito colours.
Nothing here shows or saves a figure; the caller decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, NullLocator

from ..models import GRADED_SUFFIX, DepositionProfile, cell_energy_density, cycle_life, sand_time_host
from ._layout import place_labels, renderer_of
from ._links import Mark, link_artist
from .style import INK as TEXT
from .style import MUTED, OKABE_ITO, cathode_marker, cathodes_in_order, family_colours

#: Colours of curves that are not a gradient family (roughness, N/P, a plain host), in order: the book's one
#: palette (:mod:`reviewfigs.plots.style`) without the three gradient colours, which keep their meaning.
LINE_COLOURS = [OKABE_ITO[c] for c in ("black", "sky_blue", "reddish_purple", "orange")] + ["#999999", "#555555"]
#: Current densities (mA/cm²) at which the review's studies test their hosts.
REVIEW_CURRENT_DENSITIES = (0.4, 0.5, 1.0, 1.3, 2.0, 5.0, 10.0)
#: Radius (points) of a cell's marker on the energy map (``ms=7`` is the diameter).
ENERGY_MARKER_RADIUS = 3.5


def host_colours(names) -> list[str]:
    """A curve per host: a graded host ('dual-graded', ...) in its gradient family's colour, any other host in
    the next colour of :data:`LINE_COLOURS`."""
    others = iter(LINE_COLOURS)
    families = family_colours()
    return [families.get(str(name).removesuffix(GRADED_SUFFIX)) or next(others) for name in names]


def _axes(ax, figsize=(6.4, 4.2)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    ax.figure.patch.set_facecolor("white")
    ax.figure.patch.set_alpha(1.0)
    ax.set_facecolor("white")
    return ax


def _finish(ax):
    """Dark text and frame whatever the active style, so the figure reads on a dark page too."""
    ax.tick_params(which="both", colors=TEXT, labelcolor=TEXT)
    for label in (ax.xaxis.label, ax.yaxis.label, ax.title):
        label.set_color(TEXT)
    for spine in ax.spines.values():
        spine.set_color(TEXT)
    for legend in _legends(ax):
        legend.get_frame().set_facecolor("white")
        legend.get_frame().set_alpha(1.0)
        for text in [*legend.get_texts(), legend.get_title()]:
            text.set_color(TEXT)
    return ax


def _legends(ax) -> list:
    """Every legend drawn on ``ax``: its current one and any kept with ``add_artist``."""
    from matplotlib.legend import Legend

    found = [c for c in ax.get_children() if isinstance(c, Legend)]
    current = ax.get_legend()
    return found + ([current] if current is not None and current not in found else [])


def plot_sand_time(ax=None, *, roughness: Sequence[float] = (1, 8, 30), current_range: tuple[float, float] = (0.1, 20.0),
                   marked: Sequence[float] = REVIEW_CURRENT_DENSITIES, plating_capacity: float | None,
                   **electrolyte):
    """Sand's time (h) against current density (mA/cm²), log-log, for planar Li (aL = 1) and rougher hosts.

    Host curves use the optimistic local-current bound t_S(J/aL). Dots mark ``marked`` current
    densities; the dashed line is the time to plate ``plating_capacity`` mAh/cm² (below it, the
    salt at the surface runs out before one charge ends), none if it is None.
    """
    ax = _axes(ax)
    j = np.geomspace(*current_range, 200)
    jm = np.asarray(marked, dtype=float)
    for colour, a_l in zip(LINE_COLOURS, roughness):
        label = "planar Li (aL = 1)" if a_l == 1 else f"host, aL = {a_l:g}"
        ax.loglog(j, sand_time_host(j, a_l, **electrolyte) / 3600, color=colour, label=label)
        ax.plot(jm, sand_time_host(jm, a_l, **electrolyte) / 3600, "o", color=colour, ms=4)
    if plating_capacity is not None:
        ax.loglog(j, plating_capacity / j, "--", color=OKABE_ITO["orange"],
                  label=f"time to plate {plating_capacity:g} mAh/cm²")
    for value in jm:
        ax.axvline(value, color="0.85", lw=0.8, zorder=0)
    ax.set_xlabel("current density J (mA/cm²)")
    ax.set_ylabel("Sand's time (h)")
    ax.set_xlim(*current_range)
    ax.legend(fontsize="small", loc="upper right")
    return _finish(ax)


def plot_deposition_profiles(profiles: Mapping[str, DepositionProfile], ax=None):
    """Normalised plating rate r L / I against depth, drawn as a cross-section: separator on top."""
    ax = _axes(ax, figsize=(6.4, 4.6))
    for colour, (name, profile) in zip(host_colours(profiles), profiles.items()):
        ax.plot(profile.rate, profile.depth, color=colour, lw=2,
                label=f"{name} (bottom half {profile.bottom_fraction:.2f})")
    ax.axvline(1.0, color="0.6", lw=0.8, ls=":", zorder=0)
    ax.set_ylim(1, 0)
    ax.set_xlim(left=0)
    ax.set_xlabel("plating rate r L / I (1 = uniform)")
    ax.set_ylabel("depth x / L (0 separator side, 1 current collector)")
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    return _finish(ax)


def plot_bottom_fraction(thicknesses_um, fractions: Mapping[str, np.ndarray], ax=None, *,
                         marked: Sequence[float] = (30, 90)):
    """Share of Li plated in the bottom half against host thickness (µm), one line per host."""
    ax = _axes(ax)
    for colour, (name, values) in zip(host_colours(fractions), fractions.items()):
        ax.plot(thicknesses_um, values, color=colour, lw=2, label=name)
    ax.axhline(0.5, color="0.5", lw=0.8, ls="--")
    ax.text(np.max(thicknesses_um), 0.51, "even filling", ha="right", va="bottom", color=TEXT, fontsize="small")
    for value in marked:
        ax.axvline(value, color="0.8", lw=0.8, zorder=0)
        ax.text(value, 0.02, f" {value:g} µm", color=TEXT, fontsize="small", va="bottom")
    ax.set_ylim(0, 1)
    ax.set_xlabel("host thickness L (µm)")
    ax.set_ylabel("fraction plated in the bottom half")
    ax.legend(fontsize="small")
    return _finish(ax)


def plot_energy_map(points: pd.DataFrame | None = None, ax=None, *, ec_ratio: float, li_limit: float, capacity_floor: float,
                    cathode="NCM811", capacity_range: tuple[float, float] = (0.5, 8.0), np_range: tuple[float, float] = (0.5, 10.0),
                    **cell):
    """Contours of specific energy (Wh/kg) over cathode areal capacity (mAh/cm²) and N/P, log axes.

    ``points``: DataFrame with columns study, cathode_capacity, np_ratio, label (a ``cathode`` column
    picks the marker); rows missing either coordinate are skipped. Dotted lines: the review's practical
    thresholds, cathode capacity above ``capacity_floor`` and Li below ``li_limit`` mAh/cm².
    """
    ax = _axes(ax, figsize=(7.0, 5.0))
    q, n_p = np.meshgrid(np.geomspace(*capacity_range, 160), np.geomspace(*np_range, 160))
    energy = cell_energy_density(q, n_p, ec_ratio, cathode=cathode, **cell)
    levels = np.arange(100, 550, 50)
    filled = ax.contourf(q, n_p, energy, levels=levels, cmap="cividis", extend="max")
    lines = ax.contour(q, n_p, energy, levels=levels[1:], colors="white", linewidths=0.6)
    ax.clabel(lines, fmt="%d", fontsize="x-small", colors="white")
    colourbar = ax.figure.colorbar(filled, ax=ax)
    colourbar.set_label(f"specific energy, {cathode} at E/C = {ec_ratio:g} g/Ah (Wh/kg)", color=TEXT)
    colourbar.ax.tick_params(colors=TEXT)
    q_line = np.geomspace(*capacity_range, 50)
    ax.plot(q_line, li_limit / q_line, ":", color=OKABE_ITO["orange"], lw=2, label=f"Li = {li_limit:g} mAh/cm²")
    ax.axvline(capacity_floor, ls=":", color=OKABE_ITO["sky_blue"], lw=2, label=f"cathode = {capacity_floor:g} mAh/cm²")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*capacity_range)
    ax.set_ylim(*np_range)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(FixedLocator([0.5, 1, 2, 4, 8, 10]))
        axis.set_major_formatter("{x:g}")
        axis.set_minor_locator(NullLocator())
    ax.set_xlabel("cathode areal capacity (mAh/cm²)")
    ax.set_ylabel("N/P (Li capacity / cathode capacity)")
    ax.legend(fontsize="small", loc="upper right")
    if points is not None:
        _energy_points(ax, points)
    return _finish(ax)


def _energy_points(ax, points: pd.DataFrame) -> None:
    missing = {"study", "cathode_capacity", "np_ratio", "label"} - set(points.columns)
    if missing:
        raise ValueError(f"points lacks column(s) {', '.join(sorted(missing))}")
    shown = points.dropna(subset=["cathode_capacity", "np_ratio"])
    for _, row in shown.iterrows():
        marker = cathode_marker(row["cathode"]) if isinstance(row.get("cathode"), str) else "o"
        (line,) = ax.plot(row["cathode_capacity"], row["np_ratio"], marker, ms=7, mfc="white", mec=TEXT, mew=1.2)
        line.set_gid("data")
        link_artist(line, _energy_mark(row))
    _cathode_legend(ax, shown)
    _place_labels(ax, shown)


def _cathode_legend(ax, shown: pd.DataFrame) -> None:
    """A second legend, below the plot, naming the marker shape of each cathode drawn (in the book's order)."""
    from matplotlib.lines import Line2D

    drawn = set(shown["cathode"]) if "cathode" in shown else set()
    cathodes = cathodes_in_order(drawn)
    if not cathodes:
        return
    first = ax.get_legend()
    handles = [Line2D([], [], linestyle="none", marker=cathode_marker(c), ms=7, mfc="white", mec=TEXT, mew=1.2,
                      label=c) for c in cathodes]
    legend = ax.legend(handles=handles, title="full cells, by cathode", fontsize="small", title_fontsize="small",
                       loc="upper left", bbox_to_anchor=(0.0, -0.13), ncol=len(cathodes), frameon=False,
                       borderaxespad=0.0, handletextpad=0.2, columnspacing=0.9)
    legend.set_gid("cathode-legend")
    if first is not None:
        ax.add_artist(first)  # keep the threshold legend: ax.legend replaced it as the axes' legend


def _energy_mark(row: pd.Series) -> Mark:
    """Tooltip of one cell on the energy map: its design and the energy the model gives it."""
    what = f"full cell with {row.get('cathode', 'a cathode')}, cathode {row['cathode_capacity']:.2g} mAh/cm², N/P {row['np_ratio']:.2g}"
    if pd.notna(row.get("energy_density", float("nan"))):
        what += f"; model: {row['energy_density']:.0f} Wh/kg at the map's electrolyte amount"
    parts = [str(row[c]) for c in ("cell_format", "electrolyte") if c in row and pd.notna(row[c]) and str(row[c])]
    ids = tuple(i for i in str(row.get("measurements", "")).split(";") if i)
    if ids:
        parts.append(f"data rows {', '.join(ids)}")
    return Mark(study=str(row["study"]), what=what, conditions=", ".join(parts), ids=ids)


def _place_labels(ax, shown: pd.DataFrame) -> None:
    """Label the cells with the book's one label placer (:func:`reviewfigs.plots._layout.place_labels`),
    as white text on a dark box so that it reads over the colour map."""
    labels = place_labels(ax, shown["cathode_capacity"], shown["np_ratio"], list(shown["label"]),
                          ENERGY_MARKER_RADIUS + 1.0, colors=["white"] * len(shown), fontsize=7,
                          obstacles=[legend.get_window_extent(renderer_of(ax)) for legend in _legends(ax)] or None)
    for label in labels:
        if label is not None:
            label.set_bbox({"boxstyle": "round,pad=0.15", "fc": TEXT, "ec": "none", "alpha": 0.8})


def plot_cycle_life(ax=None, *, np_ratios: Sequence[float] = (1, 2, 3, 5), convention="lithiated",
                    ce_range=(0.95, 0.999), reported_ce_percent: Sequence[float] | None = None):
    """Cycles before the Li reservoir runs dry against average CE (%), one line per N/P.

    The x axis is 1 - CE on a log scale (labelled as CE), so n = (N/P)/(1 - CE) is a straight line.
    ``reported_ce_percent`` adds a rug of measured CE values along the bottom.
    """
    ax = _axes(ax)
    loss = np.geomspace(1 - ce_range[0], 1 - ce_range[1], 200)
    for colour, n_p in zip(LINE_COLOURS, np_ratios):
        ax.loglog(loss, cycle_life(1 - loss, n_p, convention=convention), color=colour, lw=2, label=f"N/P = {n_p:g}")
    if reported_ce_percent is not None:
        ce = np.asarray(reported_ce_percent, dtype=float) / 100.0
        ax.plot(1 - ce, np.full(ce.shape, 1.5), "|", ms=14, mew=2, color=MUTED,
                label="reported average CE")
    ticks = [0.05, 0.02, 0.01, 0.005, 0.002, 0.001]
    ax.set_xticks(ticks, [f"{100 * (1 - t):g}" for t in ticks])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlim(1 - ce_range[0], 1 - ce_range[1])
    ax.set_ylim(1, None)
    ax.set_xlabel("average Coulombic efficiency (%)")
    ax.set_ylabel(f"cycles until spare Li is used up ({convention} convention)")
    ax.legend(fontsize="small", loc="upper left")
    return _finish(ax)
