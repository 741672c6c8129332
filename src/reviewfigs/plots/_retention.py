"""Full-cell capacity retention against the cycle number it was reported at, by cathode chemistry.

Retention only means something together with its cycle count (and cathode): 99.6 % after 175
cycles of LFP and 84.5 % after 5000 cycles of LTO are both good results. A log cycle axis keeps the
long LTO and LFP runs and the short NCM tests readable together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, NullLocator

from ..vocab import BOUNDS, marked_format
from ._common import DATA_GID, LABEL_ALL_MAX, add_note, best_per_group, host_rows, new_axes, number
from ._layout import place_labels, settle_layout, spread, tethers
from ._links import Mark, link_collection, mark_of_row, value_text
from ._rails import log_ticks
from .style import INK, cathode_color, cathode_marker, cathodes_in_order, theme

MARKER_AREA = 64
MARKER_RADIUS = float(np.sqrt(MARKER_AREA) / 2)


def retention_label(row: pd.Series) -> str:
    """'CG >90 %' or 'Holey GO/Li 80 %, pouch'."""
    fmt = marked_format(row["cell_format"])
    return f"{row['study']} {number(row['value'], row['bound'], 1)} %" + (f", {fmt}" if fmt else "")


def retention_mark(row: pd.Series) -> Mark:
    """Tooltip of one retention point: value after how many cycles, cathode and cell, conditions, source."""
    fmt = marked_format(row["cell_format"])
    cell = f"{row['cathode']} full cell" + (f", {fmt}" if fmt else "")
    return mark_of_row(row, f"capacity retention {value_text(row)} after {int(row['at_cycle'])} cycles ({cell})")


def retention_rows(tidy: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shown, not shown): host capacity retentions with a cycle number and a cathode, in id order, and the rest
    (no cycle number, or no cathode material such as a metal-gas cell or a cell that is not a full cell)."""
    rows = host_rows(tidy, "capacity_retention")
    placed = rows["at_cycle"].notna() & rows["cathode"].notna()
    return rows[placed].reset_index(drop=True), rows[~placed]


def retention_vs_cycles(tidy: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Host capacity retention (%) at its cycle number; marker and colour show the cathode.

    The longest test of each cathode is always labelled; the others where their label fits without
    overlapping anything, while there are at most ``LABEL_ALL_MAX`` points. Every point is linked.
    """
    rows, missing = retention_rows(tidy)
    best = best_per_group(rows, "cathode", ["at_cycle", "value", "id"], [False, False, True])
    with theme():
        ax = new_axes(ax, height=4.6)
        cycles = rows["at_cycle"].astype(float)
        lo = (cycles.min() if len(cycles) else 10) / 1.8
        hi = (cycles.max() if len(cycles) else 1000) * 2.2
        ax.set_xscale("log")
        ax.set_xlim(lo, hi)
        ax.xaxis.set_major_locator(FixedLocator(log_ticks(lo, hi)))
        ax.xaxis.set_major_formatter(lambda v, _p: f"{v:g}")
        ax.xaxis.set_minor_locator(NullLocator())
        low = min(50.0, float(np.floor((rows["value"].min() if len(rows) else 50) / 10) * 10))
        ax.set_ylim(low, 102)
        ax.grid(True, zorder=0)
        ax.set_xlabel("Cycle number at which retention is reported")
        ax.set_ylabel("Capacity retention (%)")
        present = cathodes_in_order(rows["cathode"])
        handles = [Line2D([], [], linestyle="none", marker=cathode_marker(c), markersize=7.5,
                          markerfacecolor=cathode_color(c), markeredgecolor=INK, markeredgewidth=0.6, label=c)
                   for c in present]
        ax.legend(handles=handles, title="cathode", loc="lower left", bbox_to_anchor=(0, 1.01), ncol=len(present) or 1,
                  frameon=False, borderaxespad=0, handletextpad=0.3, columnspacing=1.0)
        if len(missing):
            add_note(ax, "Not shown (no cycle number or no cathode): " + ", ".join(dict.fromkeys(missing["study"])) + ".")
        settle_layout(ax)  # from here on, markers and labels are placed in display space
        x0, y0 = rows["at_cycle"].to_numpy(float), rows["value"].to_numpy(float)
        x, y = spread(ax, x0, y0, MARKER_RADIUS + 0.5)
        tethers(ax, x0, y0, x, y)
        for cathode in present:
            mine = (rows["cathode"] == cathode).to_numpy()
            points = ax.scatter(x[mine], y[mine], s=MARKER_AREA, marker=cathode_marker(cathode),
                                c=cathode_color(cathode), edgecolors=INK, linewidths=0.6, zorder=3, gid=DATA_GID)
            link_collection(points, [retention_mark(r) for _, r in rows[mine].iterrows()])
        _bound_arrows(ax, rows, x, y)
        everyone = len(rows) <= LABEL_ALL_MAX
        texts = [retention_label(r) if best[i] or everyone else None for i, r in rows.iterrows()]
        place_labels(ax, x, y, texts, MARKER_RADIUS, fontsize=7.5, optional=~best)
    return ax


def _bound_arrows(ax: Axes, rows: pd.DataFrame, x, y) -> None:
    """A short arrow above a '>' value (and below a '<' one): the true value lies that way."""
    for i, row in rows.iterrows():
        direction = BOUNDS[row["bound"]].direction
        if direction:
            ax.annotate("", (x[i], y[i]), xytext=(0, direction * (MARKER_RADIUS + 9)), textcoords="offset points",
                        arrowprops=dict(arrowstyle="<-", color=INK, lw=0.8, shrinkA=0, shrinkB=MARKER_RADIUS))
