"""Average Coulombic efficiency on a map of its test conditions (current density × areal capacity).

A CE value means little without its conditions: 99 % at 1 mA/cm² and 1 mAh/cm² is a far easier
test than 98 % at 10 mA/cm² and 5 mAh/cm². Placing each value at its conditions shows both at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ._common import DATA_GID, LABEL_ALL_MAX, best_per_group, gradient_handles, host_rows, new_axes, note_unnumbered, number
from ._layout import place_labels, settle_layout, spread, tethers
from ._links import Mark, link_collection, mark_of_row, value_text
from ._rails import draw_rail_axis, place_on_rail, rail_scale
from .style import INK, theme

MARKER_AREA = 70  # pt²
MARKER_RADIUS = float(np.sqrt(MARKER_AREA) / 2)


def ce_label(row: pd.Series) -> str:
    """'GSCP 99.0 % (400 cyc.)': study, CE and the number of cycles it was averaged over."""
    text = f"{row['study']} {number(row['value'], row['bound'], 1)} %"
    if pd.notna(row["at_cycle"]):
        text += f" ({int(row['at_cycle'])} cyc.)"
    return text


def ce_mark(row: pd.Series) -> Mark:
    """The tooltip of one CE point: the value, over how many cycles, at which conditions, where in the review."""
    what = f"average Coulombic efficiency {value_text(row)}"
    if pd.notna(row["at_cycle"]):
        what += f", averaged over {int(row['at_cycle'])} cycles"
    return mark_of_row(row, what)


def ce_map(tidy: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Host average-CE results at their current density (x) and areal capacity (y), one linked point per row.

    The best CE of each gradient family is always labelled; the others are labelled where a label
    fits without overlapping anything, and only while there are at most ``LABEL_ALL_MAX`` points.
    Every point names itself in its tooltip.
    """
    rows = host_rows(tidy, "average_ce").reset_index(drop=True)
    best = best_per_group(rows, "gradient", ["value", "id"], [False, True])
    with theme():
        ax = new_axes(ax)
        xlo, xhi, xrail, xband = rail_scale(rows["current_density"])
        ylo, yhi, yrail, yband = rail_scale(rows["areal_capacity"])
        draw_rail_axis(ax, "x", xlo, xhi, xrail, xband, rows["current_density"].isna().any())
        draw_rail_axis(ax, "y", ylo, yhi, yrail, yband, rows["areal_capacity"].isna().any())
        ax.grid(True, which="major", zorder=0)
        ax.set_xlabel("Current density (mA cm⁻²)")
        ax.set_ylabel("Areal capacity per cycle (mAh cm⁻²)")
        ax.legend(handles=gradient_handles(rows), loc="lower left", bbox_to_anchor=(0, 1.01),
                  ncol=3, frameon=False, borderaxespad=0)
        unnumbered = tidy[(tidy["role"] == "host") & (tidy["quantity"] == "average_ce") & tidy["value"].isna()]
        note_unnumbered(ax, unnumbered["study"])
        settle_layout(ax)  # from here on, markers and labels are placed in display space
        x0 = place_on_rail(rows["current_density"], xrail)
        y0 = place_on_rail(rows["areal_capacity"], yrail)
        x, y = spread(ax, x0, y0, MARKER_RADIUS + 0.5)
        tethers(ax, x0, y0, x, y)
        colors = list(rows["family_colour"])
        points = ax.scatter(x, y, s=MARKER_AREA, c=colors, edgecolors=INK, linewidths=0.6, zorder=3, gid=DATA_GID)
        link_collection(points, [ce_mark(r) for _, r in rows.iterrows()])
        everyone = len(rows) <= LABEL_ALL_MAX
        texts = [ce_label(r) if best[i] or everyone else None for i, r in rows.iterrows()]
        place_labels(ax, x, y, texts, MARKER_RADIUS, optional=~best)
    return ax
