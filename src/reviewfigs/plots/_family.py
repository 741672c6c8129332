"""One gradient family at a glance: each study's headline numbers, placed within the range of all the book's studies.

A chapter compares its own studies, but a number only reads as good or modest next to the others.
So each cell shows a study's best value in words and as a dot on a track that spans every study
of the review (grey ticks); the family's dots carry its colour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..analysis.cells import longest_full_cell_tests
from ..analysis.lifespans import symmetric_lifespans
from ..vocab import CELL_TYPES, SECTION_OF_FAMILY, review_families
from ._common import DATA_GID, host_rows, new_axes, number
from ._links import Mark, conditions_text, link_collection
from .style import INK, MUTED, theme


def _fmt(v) -> str:
    return "n.s." if pd.isna(v) else f"{v:g}"


def _conditions(row) -> str:
    return f"{_fmt(row['current_density'])} mA cm⁻², {_fmt(row['areal_capacity'])} mAh cm⁻²"


def _two_lines(first: str, second: str) -> str:
    return f"{first}\n{second}" if second else first


@dataclass(frozen=True)
class Metric:
    """A column: how to pick one row per study, how to print it, and the track's scale."""

    title: str  # the column head the figure prints (with its line break)
    pick: Callable[[pd.DataFrame], pd.DataFrame]  # tidy -> one row per study with 'value', 'text', 'detail'
    log: bool
    name: str  # the metric in running words, with its unit: the numbers table and the figure's alt text


def _best(rows: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    return rows.sort_values(by, ascending=ascending, kind="stable").drop_duplicates("study")


def _ce(tidy: pd.DataFrame) -> pd.DataFrame:
    rows = _best(host_rows(tidy, "average_ce"), ["value", "id"], [False, True])
    return rows.assign(
        text=[f"{number(v, b, 1)} %" for v, b in zip(rows["value"], rows["bound"])],
        detail=[_two_lines(_ce_cell(r) + _conditions(r), f"over {int(r['at_cycle'])} cycles" if pd.notna(r["at_cycle"]) else "")
                for _, r in rows.iterrows()],
    )


def _ce_cell(row: pd.Series) -> str:
    """Nothing for a half cell (the column's default); otherwise the cell, as the paper states it or does not."""
    return "" if row["cell_type"] == "half" else f"{CELL_TYPES[row['cell_type']].words}, "


def _lifespan(tidy: pd.DataFrame) -> pd.DataFrame:
    rows = _best(symmetric_lifespans(tidy).rename(columns={"hours": "value"}), ["value", "id"], [False, True])
    return rows.assign(
        text=[f"{number(v, b)} h" for v, b in zip(rows["value"], rows["bound"])],
        detail=[_two_lines(_conditions(r), f"from {r['cycles']:g} cycles" if r["converted"] else "")
                for _, r in rows.iterrows()],
    )


def _longest_rows(tidy: pd.DataFrame, column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The data rows behind each study's longest full-cell test (:func:`longest_full_cell_tests`): the
    row ``column`` names ('cycles_id' or 'retention_id'), and the table, aligned with them."""
    longest = longest_full_cell_tests(tidy)
    longest = longest[longest[column].notna()]
    rows = tidy.set_index(tidy["id"].rename(None)).loc[list(longest[column])].reset_index(drop=True)
    return rows, longest.reset_index(drop=True)


def _fullcell_cycles(tidy: pd.DataFrame) -> pd.DataFrame:
    rows, longest = _longest_rows(tidy, "cycles_id")
    rows = rows.assign(value=longest["cycles"].to_numpy(), bound=longest["cycles_bound"].to_numpy())
    return rows.assign(
        text=[f"{number(v, b)}" for v, b in zip(rows["value"], rows["bound"])],
        detail=[f"{c['cathode']}" + (f", {c['c_rate']:g} C" if pd.notna(c["c_rate"]) else "")
                + (f", {c['cell_format']}" if c["cell_format"] not in ("coin", "unspecified") else "")
                + ("" if r["quantity"] == "cycles" else ", from a retention row")
                for (_, r), (_, c) in zip(rows.iterrows(), longest.iterrows())],
    )


def _retention(tidy: pd.DataFrame) -> pd.DataFrame:
    rows, _ = _longest_rows(tidy, "retention_id")
    return rows.assign(
        text=[f"{number(v, b)} %" for v, b in zip(rows["value"], rows["bound"])],
        detail=[f"after {int(r['at_cycle'])} cycles, {r['cathode']}" for _, r in rows.iterrows()],
    )


METRICS = (
    Metric("Average CE (best;\nhalf cell unless noted)", _ce, log=False, name="best average CE (%)"),
    Metric("Symmetric cell\n(longest, h)", _lifespan, log=True, name="longest symmetric-cell test (h)"),
    Metric("Full-cell cycles\n(longest)", _fullcell_cycles, log=True, name="longest full-cell test (cycles)"),
    Metric("Capacity retention\n(same cell)", _retention, log=False, name="its capacity retention (%)"),
)
NAME_COLUMN = 1.0  # width of the study-name column, in metric-column units
ROW_HEIGHT = 0.78  # inches


def family_table(tidy: pd.DataFrame, gradient: str) -> pd.DataFrame:
    """The numbers behind :func:`family_comparison`: one row per study of the family, one column per metric."""
    studies = list(dict.fromkeys(tidy.loc[tidy["gradient"] == gradient, "study"]))
    out = pd.DataFrame({"study": studies})
    for metric in METRICS:
        picked = metric.pick(tidy).set_index("study")
        out[metric.name] = out["study"].map(picked["value"])
    return out


def _scale(values: np.ndarray, log: bool):
    """A function mapping a value to 0..1 over the review-wide range (log or linear)."""
    values = values[np.isfinite(values)]
    f = np.log10 if log else (lambda v: v)
    lo, hi = (f(values.min()), f(values.max())) if len(values) else (0.0, 1.0)
    span = hi - lo if hi > lo else 1.0
    return lambda v: (f(v) - lo) / span


def family_comparison(tidy: pd.DataFrame, gradient: str, ax: Axes | None = None) -> Axes:
    """The studies of one gradient family (rows) against four headline metrics (columns), set in the review's range."""
    mine = tidy[tidy["gradient"] == gradient]
    review = {f.name: f for f in review_families()}
    if not mine.empty:
        color, label = mine["family_colour"].iloc[0], mine["family_label"].iloc[0]
    elif gradient in review:  # a review family without rows: an empty chart
        color, label = review[gradient].colour, review[gradient].label
    else:
        raise KeyError(f"unknown gradient {gradient!r}: no study of it in the data "
                       f"(which have {', '.join(dict.fromkeys(tidy['gradient'])) or 'none'})")
    studies = list(dict.fromkeys(mine["study"]))
    n = len(studies)
    with theme():
        ax = new_axes(ax, height=1.3 + ROW_HEIGHT * max(n, 1))
        ax.set_xlim(-NAME_COLUMN, len(METRICS))
        ax.set_ylim(-0.95, n + 0.2)
        ax.axis("off")
        has_any = {study: False for study in studies}
        for c, metric in enumerate(METRICS):
            ax.text(c + 0.5, n - 0.4, metric.title, ha="center", va="bottom", fontsize=8.5, color=INK,
                    fontweight="bold")
            for study in _column(ax, metric, tidy, studies, c, color):
                has_any[study] = True
        for k, study in enumerate(studies):
            y = n - 1 - k
            if k % 2 == 0:
                ax.axhspan(y - 0.5, y + 0.5, color="#F5F5F5", lw=0, zorder=0)
            ax.text(-NAME_COLUMN + 0.05, y, study, ha="left", va="center", fontsize=9.5, fontweight="bold",
                    color=INK, gid="label")
            if not has_any[study]:
                ax.text(len(METRICS) / 2, y, "none of these four numbers is recorded for this study",
                        ha="center", va="center", fontsize=8, color=MUTED, style="italic")
        ax.text(-NAME_COLUMN + 0.05, -0.62, "Each track spans the values of all studies in the book (grey ticks; "
                "log scale for hours and cycles);\nthe dot is this study. n.s. = not stated.",
                ha="left", va="top", fontsize=7, color=MUTED)
        for text in ax.texts:
            text.set_in_layout(False)  # the table fills the axes; its text must not shrink it
        section = f" (Sect. {SECTION_OF_FAMILY[gradient]})" if gradient in SECTION_OF_FAMILY else ""
        ax.set_title(f"{label[:1].upper()}{label[1:]}{section}: "
                     f"{n} {'study' if n == 1 else 'studies'}", loc="left", fontsize=10, color=INK)
    return ax


def _mark(metric: Metric, row: pd.Series, study: str) -> Mark:
    """Tooltip of one dot: the metric, its value and details, and where the review says it."""
    what = f"{metric.title.replace(chr(10), ' ')}: {row['text']}"
    detail = str(row["detail"]).replace("\n", ", ").replace(" mA cm⁻²", " mA/cm²").replace(" mAh cm⁻²", " mAh/cm²")
    recorded = conditions_text(row)
    if recorded and "after" in detail:  # retention: keep 'after N cycles, cathode' before the recorded conditions
        recorded = f"{detail}; {recorded}"
    return Mark(study=study, what=what, conditions=recorded or detail, source=str(row.get("source", "")),
                section=str(row.get("section", "")), bibkey=str(row.get("bibkey", "")), ids=(str(row["id"]),))


def _column(ax: Axes, metric: Metric, tidy: pd.DataFrame, studies: list[str], c: int, color: str) -> list[str]:
    """One metric column: a track per study with every review study as a grey tick and this study as a dot.

    Returns the studies that have a value in this column.
    """
    picked = metric.pick(tidy).set_index("study")
    everyone = picked["value"].to_numpy(float)
    scale = _scale(everyone, metric.log)
    left, right = c + 0.1, c + 0.9
    n = len(studies)
    xs, ys, marks = [], [], []
    tick_x: list[np.ndarray] = []
    tick_y: list[np.ndarray] = []
    for k, study in enumerate(studies):
        y = n - 1 - k
        track_y = y
        if study not in picked.index:
            continue
        row = picked.loc[study]
        ax.plot([left, right], [track_y, track_y], color="#CCCCCC", lw=1.0, zorder=1, solid_capstyle="round")
        ticks = left + (right - left) * np.array([scale(v) for v in everyone])
        tick_x.append(ticks)
        tick_y.append(np.full_like(ticks, track_y))
        xs.append(left + (right - left) * scale(row["value"]))
        ys.append(track_y)
        marks.append(_mark(metric, row, study))
        ax.text(c + 0.5, y + 0.1, row["text"], ha="center", va="bottom", fontsize=8.5, fontweight="bold", color=INK)
        ax.text(c + 0.5, y - 0.17, row["detail"], ha="center", va="top", fontsize=6.5, color=MUTED, linespacing=1.1)
    if tick_x:
        # every study's tick on every track: n² marks, so drawn as one raster layer (a picture of context,
        # not data a reader links from); at 10x the studies the vector ticks alone weighed 2.9 MB per page
        ax.scatter(np.concatenate(tick_x), np.concatenate(tick_y), marker="|", s=30, color="#AAAAAA",
                   linewidths=0.8, zorder=1.5, gid="context", rasterized=True)
    if xs:
        dots = ax.scatter(xs, ys, s=38, c=color, edgecolors=INK, linewidths=0.6, zorder=3, gid=DATA_GID)
        link_collection(dots, marks)
    return [s for s in studies if s in picked.index]
