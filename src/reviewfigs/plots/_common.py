"""Small pieces every plot shares: a fresh axis when none is given, legends, labels for numbers."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ..vocab import BOUNDS, NO_NUMBER
from .style import FIGURE_WIDTH, INK

#: gid of every collection that holds data points (tests and readers of the SVG find them by it)
DATA_GID = "data"
#: gid of the shaded practical-conditions region in :func:`~reviewfigs.plots.fullcell_map`
PRACTICAL_GID = "practical-region"

#: Above this many points a crowded plot labels only its must-have points (best of each group); tooltips name the rest.
LABEL_ALL_MAX = 24


def new_axes(ax: Axes | None, height: float = 4.4) -> Axes:
    """The caller's axis, or one on a new figure of the book's column width."""
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=(FIGURE_WIDTH, height), layout="constrained")
    return ax


def host_rows(tidy: pd.DataFrame, quantity: str | tuple[str, ...]) -> pd.DataFrame:
    """The host (non-control) rows of one or more quantities that give a number, in id order."""
    quantities = (quantity,) if isinstance(quantity, str) else quantity
    rows = tidy[(tidy["role"] == "host") & tidy["quantity"].isin(quantities) & tidy["value"].notna()]
    return rows.sort_values("id", kind="stable")


def best_per_group(rows: pd.DataFrame, group: str, by: list[str], ascending: list[bool]):
    """A boolean array over ``rows`` (0..n-1 index): True for the first row of each group in that sort order."""
    order = rows.sort_values(by, ascending=ascending, kind="stable")
    first = order.drop_duplicates(group).index
    return np.isin(np.arange(len(rows)), first)


def number(value: float, bound: str = "=", digits: int | None = None) -> str:
    """'> 1000', '~250', '98.3': a value as the review states it, bound written as :mod:`reviewfigs.format` does."""
    text = f"{value:.{digits}f}" if digits is not None else f"{value:g}"
    return BOUNDS[bound].sign + text


def gradient_handles(rows: pd.DataFrame, marker: str = "o", size: float = 7) -> list[Line2D]:
    """Legend entries for the gradient families of these tidy rows, in the order of data/families.csv."""
    families = rows[["family_order", "family_label", "family_colour"]].drop_duplicates().sort_values("family_order")
    return [
        Line2D([], [], linestyle="none", marker=marker, markersize=size, markerfacecolor=colour,
               markeredgecolor=INK, markeredgewidth=0.6, label=label)
        for label, colour in zip(families["family_label"], families["family_colour"])
    ]


#: font size (points) of :func:`add_note`, and the width of one of its characters as a share of it
NOTE_FONTSIZE = 7.5
NOTE_CHAR_WIDTH = 0.58


def note_unnumbered(ax: Axes, names) -> None:
    """Name, under the plot, the tests a paper reports without a number (they have no mark to draw)."""
    names = list(dict.fromkeys(names))
    if names:
        add_note(ax, f"Not shown ({NO_NUMBER}): " + ", ".join(names) + ".")


def add_note(ax: Axes, text: str) -> None:
    """A small grey footnote under the plot area (what is not shown, and why).

    Broken into lines here, to the figure's width, rather than by matplotlib's ``wrap`` (which wraps only
    when drawing, so the layout never reserves room for the extra lines and the last ones were cut off).
    """
    if not text:
        return
    import textwrap

    figure = ax.get_figure(root=True)
    fig_width_pt = float(figure.get_figwidth() if figure is not None else FIGURE_WIDTH) * 72
    left_pt = ax.get_position().x0 * fig_width_pt
    width_pt = fig_width_pt - max(left_pt, 0.0) - 6
    lines = textwrap.fill(text, width=max(int(width_pt / (NOTE_CHAR_WIDTH * NOTE_FONTSIZE)), 20))
    # under the x-axis label whatever the tick labels' height (a 'not stated' rail tick is two lines)
    note = ax.annotate(lines, xy=(0, 0), xycoords=("axes fraction", ax.xaxis.label), xytext=(0, -6),
                       textcoords="offset points", ha="left", va="top", fontsize=NOTE_FONTSIZE, color="#555555")
    note.set_gid("note")
