"""Full cells against the review's practical targets: cathode areal capacity × N/P ratio.

The review asks for a cathode above 4 mAh/cm² with less than 10 mAh/cm² of Li (Sect. 1 and 3).
With Li = N/P × cathode capacity, the Li limit is the curve N/P = 10 / x, so the practical region
is x > 4 and below that curve. Each full cell is one point; how far it sits from the region is the
review's point that gradient hosts are rarely tested under practical conditions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import NullLocator

from ..analysis.cells import full_cells, np_misfits
from ..models import CATHODES
from ..vocab import marked_format, unit_text
from ._common import DATA_GID, LABEL_ALL_MAX, PRACTICAL_GID, add_note, best_per_group, gradient_handles, new_axes
from ._layout import lanes, place_labels, renderer_of, settle_layout, spread, tethers
from ._links import Mark, link_collection, sources_of
from ._rails import log_ticks
from .style import INK, MUTED, PRACTICAL_FILL, PRACTICAL_TEXT, cathode_marker, cathodes_in_order, theme

MARKER_AREA = 60
MARKER_RADIUS = float(np.sqrt(MARKER_AREA) / 2)
NP_UNKNOWN_BAND = 0.26  # share of the y-range above the plot given to cells without an N/P ratio


def practical_limits(thresholds: pd.DataFrame) -> tuple[float, float]:
    """(minimum cathode capacity, maximum Li inventory), both mAh/cm², from the review's thresholds table."""
    table = thresholds.set_index("quantity")
    cathode, li = table.loc["cathode_areal_capacity"], table.loc["anode_li"]
    for row in (cathode, li):
        if row["unit"] != "mAh/cm2":
            raise ValueError(f"threshold {row.name} is in {row['unit']}; expected mAh/cm2")
    return float(cathode["value"]), float(li["value"])


def practical_polygon(min_cathode: float, max_li: float, x_max: float, y_min: float = 0.0, points: int = 60) -> np.ndarray:
    """Vertices of the region x > min_cathode, N/P < max_li / x (clipped at y_min and x_max)."""
    xs = np.geomspace(min_cathode, x_max, points)
    curve = np.column_stack([xs, max_li / xs])
    return np.vstack([[min_cathode, y_min], curve, [x_max, y_min]])


def cell_label(cell: pd.Series) -> str:
    fmt = marked_format(cell["cell_format"])
    return f"{cell['study']}//{cell['cathode']}" + (f"\n({fmt})" if fmt else "")


def cell_mark(cell: pd.Series, tidy: pd.DataFrame) -> Mark:
    """Tooltip of one full cell: cathode capacity and N/P (and how each was obtained), loading, source."""
    cap = f"{cell['cathode_capacity']:.2g}" + (f"–{cell['cathode_capacity_max']:.2g}" if pd.notna(cell["cathode_capacity_max"]) else "")
    np_text = (f"N/P {cell['np_ratio']:.2g}" + (" (estimated from the pre-stored Li)" if cell["np_source"] == "Li/cathode" else " (reported)")
               if pd.notna(cell["np_ratio"]) else "N/P not reported")
    what = f"full cell with {cell['cathode']}, cathode {cap} mAh/cm², {np_text}"
    loading = f"{cell['cathode_loading']:g}" + (f"–{cell['cathode_loading_max']:g}" if pd.notna(cell["cathode_loading_max"]) else "")
    conditions = f"{cell['cell_format']} cell, cathode loading {loading} {unit_text(cell['cathode_loading_unit'])}"
    if pd.notna(cell.get("electrolyte")) and str(cell.get("electrolyte")):
        conditions += f", {cell['electrolyte']}"
    source, section, bibkey = sources_of(tidy, cell["ids"])
    ids = tuple(str(cell["ids"]).split(","))
    return Mark(study=cell["study"], what=what, conditions=conditions, source=source, section=section, bibkey=bibkey, ids=ids)


def _skipped_note(cells: pd.DataFrame) -> str:
    skipped = cells[cells["cathode_capacity"].isna()]
    if skipped.empty:
        return ""
    parts = []
    for (study, cathode, unit), rows in skipped.groupby(["study", "cathode", "cathode_loading_unit"], sort=False, dropna=False):
        loadings = " / ".join(f"{v:g}" for v in rows["cathode_loading"].dropna().unique())
        if unit == "mg":
            why = f"loading printed as a total mass, {loadings} mg, no area"
        elif loadings and cathode not in CATHODES:  # a cathode the book's models hold no capacity for
            why = f"{loadings} {unit_text(unit)}, no nominal capacity for {cathode} in the book"
        else:
            why = "no cathode loading"
        parts.append(f"{study}//{cathode} ({why})")
    return "Not shown: " + "; ".join(parts) + "."


def _misfit_note(misfits: pd.Series) -> str:
    if misfits.empty:
        return ""
    cells = ", ".join(f"{cell} ({q:.0f} mAh g⁻¹)" for cell, q in misfits.items())
    return f"Printed N/P that the nominal capacity does not reproduce (the capacity it implies): {cells}."


def _capacity_note() -> str:
    caps = ", ".join(f"{k} {c.specific_capacity:g}" for k, c in CATHODES.items())
    return f"x from mg cm⁻² loadings uses nominal capacities (mAh g⁻¹): {caps}."


def fullcell_map(tidy: pd.DataFrame, thresholds: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """One point per host full cell: cathode capacity (x, mAh/cm²) vs N/P (y), practical region shaded.

    Cells without an N/P ratio keep their x and sit in a 'not reported' strip above the plot.
    """
    cells = full_cells(tidy)
    shown = cells[cells["cathode_capacity"].notna()].reset_index(drop=True)
    limits = practical_limits(thresholds)
    with theme():
        ax = new_axes(ax, height=5.0)
        band = _frame(ax, shown, *limits)
        _legend(ax, shown)
        add_note(ax, " ".join(t for t in (_skipped_note(cells), _capacity_note(), _misfit_note(np_misfits(tidy))) if t))
        settle_layout(ax)  # from here on, markers and labels are placed in display space
        _points(ax, shown, band, tidy)
    return ax


def _frame(ax: Axes, shown: pd.DataFrame, min_cathode: float, max_li: float) -> tuple[float, float]:
    """Axes, the practical region, its boundary lines and the 'N/P not reported' strip; returns the strip."""
    caps = pd.concat([shown["cathode_capacity"], shown["cathode_capacity_max"]]).dropna()
    x_lo = min(caps.min() if len(caps) else 1.0, min_cathode) / 1.6
    x_hi = max(caps.max() if len(caps) else 1.0, min_cathode) * 3.2
    known = shown["np_ratio"].dropna()
    y_top = max(float(np.ceil(known.max() + 0.6)) if len(known) else 5.0, max_li / min_cathode + 1)
    band = (y_top + 0.3, y_top + 0.3 + NP_UNKNOWN_BAND * y_top * 1.4)
    ax.set_xscale("log")
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(0, band[1])
    ax.set_xticks(log_ticks(x_lo, x_hi))
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:g}")
    ax.xaxis.set_minor_locator(NullLocator())
    whole = list(range(0, int(y_top) + 1))
    ax.set_yticks(whole + [sum(band) / 2])
    ax.set_yticklabels([str(v) for v in whole] + ["N/P not\nreported"])
    ax.axhspan(*band, color="#F1F1F1", lw=0, zorder=0)
    polygon = practical_polygon(min_cathode, max_li, x_hi)
    ax.fill(polygon[:, 0], polygon[:, 1], color=PRACTICAL_FILL, zorder=0.5, lw=0, gid=PRACTICAL_GID)
    curve_x = np.geomspace(x_lo, x_hi, 80)
    curve_y = max_li / curve_x
    keep = curve_y <= y_top
    ax.plot(curve_x[keep], curve_y[keep], color=MUTED, lw=0.9, ls="--", zorder=1)
    ax.axvline(min_cathode, ymax=y_top / band[1], color=MUTED, lw=0.9, ls="--", zorder=1)
    ax.axhline(1.0, color="#BBBBBB", lw=0.7, ls=":", zorder=1)
    ax.text(min_cathode / 1.03, 0.12, f"cathode {min_cathode:g} mAh cm⁻²", fontsize=7,
            color=MUTED, ha="right", va="bottom", rotation=90)
    lx = min_cathode * 1.12  # right of the cathode line, above the Li curve: an empty corner
    ax.text(lx, max_li / lx + 0.35, f"Li = {max_li:g} mAh cm⁻²\n(N/P = {max_li:g} / x)", fontsize=7.5,
            color=MUTED, ha="left", va="bottom")
    ax.text(x_hi / 1.05, 0.15, "practical\nregion", fontsize=8, color=PRACTICAL_TEXT, ha="right", va="bottom",
            fontweight="bold")
    ax.text(x_lo * 1.05, 1.0, "N/P = 1", fontsize=7, color="#999999", ha="left", va="bottom")
    ax.set_xlabel("Cathode areal capacity (mAh cm⁻²)")
    ax.set_ylabel("N/P ratio (anode Li / cathode capacity)")
    return band


def _points(ax: Axes, shown: pd.DataFrame, band, tidy: pd.DataFrame) -> None:
    """Markers (shape = cathode, colour = gradient, hollow = estimated N/P), loading ranges and labels."""
    x = np.where(shown["cathode_capacity_max"].notna(),
                 np.sqrt(shown["cathode_capacity"] * shown["cathode_capacity_max"].fillna(1)),
                 shown["cathode_capacity"]).astype(float)
    y = shown["np_ratio"].to_numpy(float).copy()
    # every cell is named while the map is small; beyond LABEL_ALL_MAX cells only the largest cathode
    # capacity of each family is (the rest where they fit), and each mark's tooltip names its cell
    everyone = len(shown) <= LABEL_ALL_MAX
    best = best_per_group(shown.reset_index(drop=True), "gradient", ["cathode_capacity", "cell"], [False, True])
    labels = [cell_label(c) if everyone or best[i] else "" for i, (_, c) in enumerate(shown.iterrows())]
    unknown = np.isnan(y)
    idx_unknown = np.flatnonzero(unknown)
    y_lane, label_x = lanes(ax, x[unknown], [labels[i] for i in idx_unknown], band, MARKER_RADIUS,
                            x_right=shown["cathode_capacity_max"].to_numpy(float)[unknown], fontsize=7)
    y[unknown] = y_lane
    known = ~unknown
    x_known, y_known = spread(ax, x[known], y[known], MARKER_RADIUS + 0.5)
    tethers(ax, x[known], y[known], x_known, y_known)
    x[known], y[known] = x_known, y_known
    for i, cell in shown.iterrows():
        if pd.notna(cell["cathode_capacity_max"]):
            ax.plot([cell["cathode_capacity"], cell["cathode_capacity_max"]], [y[i], y[i]],
                    color=cell["family_colour"], lw=1.6, zorder=2, solid_capstyle="butt")
    markers = shown["cathode"].map(lambda c: cathode_marker(c) if isinstance(c, str) else None)
    for marker, group in shown.groupby(markers, sort=True):
        idx = group.index.to_numpy()
        computed = (group["np_source"] == "Li/cathode").to_numpy()
        colors = group["family_colour"].to_numpy(dtype=object)
        solid = ax.scatter(x[idx[~computed]], y[idx[~computed]], s=MARKER_AREA, marker=marker,
                           c=list(colors[~computed]), edgecolors=INK, linewidths=0.6, zorder=3, gid=DATA_GID)
        link_collection(solid, [cell_mark(shown.loc[i], tidy) for i in idx[~computed]])
        hollow = ax.scatter(x[idx[computed]], y[idx[computed]], s=MARKER_AREA, marker=marker, facecolors="white",
                            edgecolors=list(colors[computed]), linewidths=1.6, zorder=3, gid=DATA_GID)
        link_collection(hollow, [cell_mark(shown.loc[i], tidy) for i in idx[computed]])
    for k, i in enumerate(idx_unknown):
        if not labels[i]:
            continue
        ann = ax.annotate(labels[i], (label_x[k], y[i]), xytext=(MARKER_RADIUS + 2.5, 0), textcoords="offset points",
                          ha="left", va="center", fontsize=7)
        ann.set_gid("label")
        ann.set_in_layout(False)
    legend = ax.get_legend()
    assert legend is not None  # drawn above
    legend_box = legend.get_window_extent(renderer_of(ax))
    place_labels(ax, x[known], y[known], [labels[i] or None for i in np.flatnonzero(known)], MARKER_RADIUS,
                 fontsize=7, obstacles=[legend_box], optional=~best[known])


def _legend(ax: Axes, shown: pd.DataFrame) -> None:
    handles = gradient_handles(shown)
    for cathode in cathodes_in_order(shown["cathode"]):
        handles.append(Line2D([], [], linestyle="none", marker=cathode_marker(cathode), markersize=6.5,
                              markerfacecolor="#CCCCCC", markeredgecolor=INK, markeredgewidth=0.6, label=cathode))
    handles.append(Line2D([], [], linestyle="none", marker="o", markersize=7, markerfacecolor="white",
                          markeredgecolor=MUTED, markeredgewidth=1.4, label="N/P = Li / cathode (estimated)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, borderaxespad=0,
              title="gradient · cathode", alignment="left")
