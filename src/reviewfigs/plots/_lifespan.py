"""Symmetric-cell lifespan as bubbles on the map of test conditions.

Hours of stable cycling only compare fairly at similar current density and areal capacity, so
the bubbles sit at their conditions and their area shows the hours. Where a study reports cycles
only, hours = cycles × 2Q/J (see :mod:`reviewfigs.analysis.lifespans`); those bubbles are hollow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.lines import Line2D

from ..analysis.lifespans import symmetric_lifespans, unconvertible_symmetric_cycles
from ..vocab import BOUNDS, unit_text
from ._common import DATA_GID, LABEL_ALL_MAX, add_note, best_per_group, gradient_handles, new_axes, number
from ._layout import place_labels, renderer_of, settle_layout, spread, tethers
from ._links import Mark, link_collection
from ._rails import draw_rail_axis, rail_scale
from .style import INK, MUTED, theme

AREA_PER_HOUR = 0.45  # pt² of bubble per hour of cycling
SIZE_KEY_HOURS = (250, 500, 1000)


def bubble_area(hours) -> np.ndarray:
    """Marker area (pt²) for a lifespan: proportional to hours, so area reads as time."""
    return np.maximum(np.asarray(hours, dtype=float) * AREA_PER_HOUR, 12.0)


def lifespan_label(row: pd.Series) -> str:
    """'SiC/CC >1000 h', or 'CG ~500 h (from 250 cyc.)' for a converted value."""
    text = f"{row['study']} {number(row['hours'], row['bound'])} h"
    if row["converted"]:
        text += f" (from {row['cycles']:g} cyc.)"
    return text


def lifespan_mark(row: pd.Series, tidy: pd.DataFrame) -> Mark:
    """Tooltip of one bubble: hours (or cycles converted to hours), conditions, source."""
    what = f"symmetric-cell lifespan {BOUNDS[row['bound']].words}{row['hours']:g} h"
    if row["converted"]:
        what += f" (converted from {row['cycles']:g} cycles with h = cycles × 2Q/J)"
    source = tidy.loc[tidy["id"] == row["id"]]
    info = source.iloc[0] if len(source) else row
    conditions = f"symmetric cell, {row['current_density']:g} mA/cm², {row['areal_capacity']:g} mAh/cm²"
    return Mark(study=row["study"], what=what, conditions=conditions, source=str(row["source"]),
                section=str(info.get("section", "")), bibkey=str(info.get("bibkey", "")), ids=(row["id"],))


def _legends(ax: Axes, rows: pd.DataFrame) -> Legend:
    """Bubble-size key inside the plot (returned as an obstacle for labels), gradient legend above it."""
    sizes = [Line2D([], [], linestyle="none", marker="o", markersize=float(np.sqrt(bubble_area(h))),
                    markerfacecolor="#DDDDDD", markeredgecolor=INK, markeredgewidth=0.5, label=f"{h} h")
             for h in SIZE_KEY_HOURS]
    sizes.append(Line2D([], [], linestyle="none", marker="o", markersize=float(np.sqrt(bubble_area(500))),
                        markerfacecolor="white", markeredgecolor=MUTED, markeredgewidth=1.5,
                        label="from cycles:\nh = cycles × 2Q/J"))
    key = ax.legend(handles=sizes, loc="upper left", title="lifespan", frameon=True, labelspacing=1.3,
                    borderpad=0.9, handletextpad=1.2)
    ax.add_artist(key)
    ax.legend(handles=gradient_handles(rows), loc="lower left", bbox_to_anchor=(0, 1.01), ncol=3,
              frameon=False, borderaxespad=0)
    return key


def lifespan_bubbles(tidy: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Host symmetric-cell lifespans (h) at their current density (x) and areal capacity (y); area = hours."""
    rows = symmetric_lifespans(tidy)
    with theme():
        ax = new_axes(ax, height=4.6)
        xlo, xhi, xrail, xband = rail_scale(rows["current_density"], pad=0.3)
        ylo, yhi, yrail, yband = rail_scale(rows["areal_capacity"], pad=0.3)
        draw_rail_axis(ax, "x", xlo, xhi, xrail, xband, False)
        draw_rail_axis(ax, "y", ylo, yhi, yrail, yband, False)
        ax.grid(True, zorder=0)
        ax.set_xlabel("Current density (mA cm⁻²)")
        ax.set_ylabel("Areal capacity per cycle (mAh cm⁻²)")
        key = _legends(ax, rows)
        skipped = unconvertible_symmetric_cycles(tidy)
        if len(skipped):
            parts = [f"{r['study']} ({number(r['value'], r['bound'])}{unit_text(' ' + r['unit'])})" for _, r in skipped.iterrows()]
            add_note(ax, "Not shown (J or Q not reported): " + ", ".join(parts) + ".")
        settle_layout(ax)  # from here on, markers and labels are placed in display space
        areas = bubble_area(rows["hours"])
        radii = np.sqrt(areas) / 2  # scatter's s is the area of the marker's bounding square
        x0, y0 = rows["current_density"].to_numpy(float), rows["areal_capacity"].to_numpy(float)
        x, y = spread(ax, x0, y0, radii + 0.5)
        tethers(ax, x0, y0, x, y)
        colors = rows["family_colour"].to_numpy(dtype=object)
        converted = rows["converted"].to_numpy(bool)
        reported = ~converted
        marks = [lifespan_mark(r, tidy) for _, r in rows.iterrows()]
        solid = ax.scatter(x[reported], y[reported], s=areas[reported], c=list(colors[reported]), alpha=0.85,
                           edgecolors=INK, linewidths=0.6, zorder=3, gid=DATA_GID)
        link_collection(solid, [m for m, r in zip(marks, reported) if r])
        hollow = ax.scatter(x[converted], y[converted], s=areas[converted], facecolors="white",
                            edgecolors=list(colors[converted]), linewidths=1.8, linestyles="--", zorder=3, gid=DATA_GID)
        link_collection(hollow, [m for m, c in zip(marks, converted) if c])
        key_box = key.get_window_extent(renderer_of(ax))
        # the longest test of each family is always named; the rest only where they fit, and only
        # while the chart is small enough to read: each bubble's tooltip names its study anyway
        rows = rows.reset_index(drop=True)
        best = best_per_group(rows, "gradient", ["hours", "id"], [False, True])
        everyone = len(rows) <= LABEL_ALL_MAX
        texts = [lifespan_label(r) if best[i] or everyone else None for i, r in rows.iterrows()]
        place_labels(ax, x, y, texts, radii, obstacles=[key_box], optional=~best)
    return ax
