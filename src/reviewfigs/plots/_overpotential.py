"""Nucleation and voltage overpotentials, one row per reported number, controls shown hollow.

The review gives few overpotentials, under different conditions and sometimes only as a bound
('< 20 mV'). A dot plot with the conditions written beside each value keeps them honest: the
numbers are listed together, not ranked against each other.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D

from ..vocab import BOUNDS
from ._common import DATA_GID, gradient_handles, new_axes, note_unnumbered, number
from ._links import link_collection, mark_of_row, value_text
from .style import CONTROL_COLOR, INK, MUTED, theme

LEFT_LABEL_PAD_IN = 10 / 72  # constrained-layout padding (inches) around the figure, room for the left labels

GROUPS = (
    ("nucleation_overpotential", "Nucleation overpotential"),
    ("overpotential", "Voltage hysteresis / polarization"),
)


def _conditions(row: pd.Series) -> str:
    parts = []
    if pd.notna(row["current_density"]):
        parts.append(f"{row['current_density']:g} mA cm⁻²")
    if pd.notna(row["areal_capacity"]):
        parts.append(f"{row['areal_capacity']:g} mAh cm⁻²")
    where = ", ".join(parts) if parts else "no conditions given"
    flag = f" · ‡{row['discrepancy']}" if pd.notna(row["discrepancy"]) else ""
    return f"{where} · {row['source']}{flag}"


def row_label(row: pd.Series) -> str:
    """'MOF-C(t)/X: MOF-C(30)/Cu (control)': the study, then the sample when it differs."""
    label = row["study"]
    if row["sample"] != row["study"]:
        label += f": {row['sample']}"
    if row["role"] == "control":
        label += " (control)"
    return label


def overpotential_rows(tidy: pd.DataFrame) -> pd.DataFrame:
    """The overpotentials the chart draws: every nucleation and voltage overpotential with a number, controls too."""
    return tidy[tidy["quantity"].isin([q for q, _ in GROUPS]) & tidy["value"].notna()]


def overpotentials(tidy: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Every reported nucleation and voltage overpotential (mV), grouped by kind; hollow grey = control."""
    rows = overpotential_rows(tidy)
    layout = []  # (kind, label or None for a group header)
    for quantity, title in GROUPS:
        mine = rows[rows["quantity"] == quantity].sort_values(["study", "role", "id"], kind="stable")
        if mine.empty:
            continue
        layout.append((title, None))
        layout += [(title, r) for _, r in mine.iterrows()]
    height = 1.2 + 0.42 * len(layout)
    with theme():
        ax = new_axes(ax, height=height)
        figure = ax.get_figure(root=True)
        engine = figure.get_layout_engine() if figure is not None else None
        if isinstance(engine, ConstrainedLayoutEngine):  # long labels on the left: hinting at the saving DPI widens them
            engine.set(w_pad=LEFT_LABEL_PAD_IN)
        top = len(layout) - 1
        x_max = max(rows["value"].max() if len(rows) else 10, 10) * 1.3
        ytick_pos: list[float] = []
        for k, (title, row) in enumerate(layout):
            y = top - k
            if row is None:
                ax.text(-0.01, y, title, transform=ax.get_yaxis_transform(), ha="right", va="center",
                        fontweight="bold", fontsize=9)
                continue
            ytick_pos.append(y)
            _draw_row(ax, row, y)
        ax.set_yticks(ytick_pos, [""] * len(ytick_pos))
        ax.set_ylim(-0.7, top + 0.7)
        ax.set_xlim(0, x_max)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.grid(True, axis="x", zorder=0)
        ax.set_xlabel("Overpotential (mV)")
        handles = gradient_handles(rows.loc[rows["role"] == "host"])
        if (rows["role"] == "control").any():
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=7, markerfacecolor="white",
                                  markeredgecolor=CONTROL_COLOR, markeredgewidth=1.5, label="control electrode"))
        ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1, 1.01), ncol=max(len(handles), 1), frameon=False,
                  borderaxespad=0, columnspacing=1.0)
        unnumbered = tidy[tidy["quantity"].isin([q for q, _ in GROUPS]) & tidy["value"].isna()]
        note_unnumbered(ax, map(row_label, unnumbered.to_dict("records")))
    return ax


def _draw_row(ax: Axes, row: pd.Series, y: float) -> None:
    """Stem from zero, marker, an arrow for a bound, the value; on the left the sample over its conditions and source."""
    control = row["role"] == "control"
    color = CONTROL_COLOR if control else row["family_colour"]
    value = row["value"]
    ax.plot([0, value], [y, y], color="#CCCCCC", lw=1.2, zorder=1)
    if control:
        point = ax.scatter([value], [y], s=60, facecolors="white", edgecolors=color, linewidths=1.6, zorder=3,
                           gid=DATA_GID)
    else:
        point = ax.scatter([value], [y], s=60, c=[color], edgecolors=INK, linewidths=0.6, zorder=3, gid=DATA_GID)
    kind = row["quantity_label"]
    link_collection(point, [mark_of_row(row, f"{kind} {value_text(row)} of {row_label(row).split(': ', 1)[-1]}")])
    direction = BOUNDS[row["bound"]].direction
    if direction:
        ax.annotate("", (value, y), xytext=(direction * 16, 0), textcoords="offset points",
                    arrowprops=dict(arrowstyle="<-", color=INK, lw=0.9, shrinkA=0, shrinkB=4))
    text = f"{number(value, row['bound'])} mV"
    ax.annotate(text, (value, y), xytext=(9 if row["bound"] != ">" else 22, 0), textcoords="offset points",
                ha="left", va="center", fontsize=8.5, fontweight="bold", color=INK)
    left = ax.get_yaxis_transform()
    ax.annotate(row_label(row), (0, y), xycoords=left, xytext=(-8, 4), textcoords="offset points",
                ha="right", va="center", fontsize=8.5, color=INK, gid="label")
    ax.annotate(_conditions(row), (0, y), xycoords=left, xytext=(-8, -7), textcoords="offset points",
                ha="right", va="center", fontsize=7, color=MUTED)
