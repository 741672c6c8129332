"""Host schematics drawn from ``data/layers.csv``: the layer stack, its two gradients and where Li goes.

A host is drawn from the current collector (bottom) to the separator side (top), one rectangle per
layer, with thickness from ``thickness_rel``. Two side bars carry the gradients: lithiophilicity on
the left (white → vermillion, levels 0-3), electronic conductivity on the right (white → blue).
Particles are dots, denser where the layer is more lithiophilic. Li metal is yellow and hatched,
drawn where the deposition mode puts it: filling from the bottom (bottom-up), as a crust with
dendrites on the top surface (top-growth) or spread through the host (uniform).

Level scales (also used by layers.csv): lithiophilicity 0 lithiophobic, 1 weak, 2 moderate,
3 strongly lithiophilic; conductivity 0 insulating, 1 poor (semiconducting, dielectric or
passivated), 2 conductive carbon, 3 metal.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from ._links import Mark, link_artist
from .style import FIGURE_WIDTH, INK, LI_COLOR, LI_EDGE, MUTED, family_colours, theme

DEPOSITIONS = ("bottom-up", "top-growth", "uniform")
LITHIOPHILICITY_LEVELS = ("lithiophobic", "weak", "moderate", "strong")
CONDUCTIVITY_LEVELS = ("insulating", "poor", "carbon", "metal")
LAYER_GID, LI_GID, PARTICLE_GID = "layer", "li-deposit", "particles"

# geometry, in data units: the host body spans x 0..1 and y 0..1
BAR_W = 0.13
LITH_BAR = (-0.04 - BAR_W, -0.04)
COND_BAR = (1.04, 1.04 + BAR_W)
COLLECTOR = (-0.1, 0.0)
SEPARATOR = (1.17, 1.23)
MIN_SHARE = 0.07  # thinnest layer drawn, as a share of the host height
LI_FILL_SHARE = 0.38  # bottom-up: how much of the host the drawn Li fills
LABEL_WRAP = 22  # characters per line of a layer label


def ramp(color: str, level: int, levels: int = 4) -> tuple[float, float, float]:
    """Level 0 is near white, the top level is the full colour."""
    t = 0.1 + 0.9 * level / (levels - 1)
    base = np.array(to_rgb(color))
    return tuple(1 - t * (1 - base))


def _as_frame(layers) -> pd.DataFrame:
    df = pd.DataFrame(layers).copy()
    missing = {"position", "material", "thickness_rel", "lithiophilicity", "conductivity"} - set(df.columns)
    if missing:
        raise ValueError(f"layer rows need the columns {', '.join(sorted(missing))}")
    for column in ("thickness_um", "particles"):
        if column not in df.columns:
            df[column] = None
    return df.sort_values("position", kind="stable").reset_index(drop=True)


def layer_extents(layers) -> list[tuple[float, float]]:
    """(bottom, top) of each layer in host units (0..1), collector first; very thin layers stay visible."""
    df = _as_frame(layers)
    share = df["thickness_rel"].to_numpy(float)
    share = np.maximum(share / share.sum(), MIN_SHARE)
    share = share / share.sum()
    tops = np.cumsum(share)
    return list(zip(np.concatenate([[0.0], tops[:-1]]), tops))


def draw_host(layers, ax: Axes | None = None, *, deposition: str = "bottom-up", title: str | None = None,
              substrate: str = "current collector", labels: bool = True, legend: bool = True,
              label_size: float = 7.5) -> Axes:
    """Draw one host from its layer rows (a DataFrame of one study's layers, or a list of dicts).

    Returns the axis; layers are patches with gid 'layer', Li deposits patches with gid 'li-deposit'.
    """
    if deposition not in DEPOSITIONS:
        raise ValueError(f"unknown deposition {deposition!r}; expected one of {', '.join(DEPOSITIONS)}")
    df = _as_frame(layers)
    extents = layer_extents(df)
    with theme():
        if ax is None:
            _, ax = plt.subplots(figsize=(4.6, 3.9), layout="constrained")
        for k, (row, (y0, y1)) in enumerate(zip(df.itertuples(), extents)):
            _layer(ax, row, y0, y1, shade="#F7F7F7" if k % 2 == 0 else "#EAEAEA")
            if labels:
                _layer_label(ax, row, y0, y1, label_size)
        _collector_and_separator(ax, substrate)
        _li(ax, deposition, extents)
        if legend:
            gradient_key(ax, y=-0.2)
        ax.set_xlim(LITH_BAR[0] - 0.03, 2.45 if labels else COND_BAR[1] + 0.03)
        ax.set_ylim(-0.52 if legend else COLLECTOR[0] - 0.05, SEPARATOR[1] + 0.04)
        ax.set_aspect("auto")
        ax.axis("off")
        if title:
            ax.set_title(title, fontsize=9.5, loc="left" if labels else "center")
    return ax


def _layer(ax: Axes, row, y0: float, y1: float, shade: str) -> None:
    """The layer body, its two gradient cells and its particles."""
    body = Rectangle((0, y0), 1, y1 - y0, facecolor=shade, edgecolor="#555555", lw=0.7, zorder=1)
    body.set_gid(LAYER_GID)
    ax.add_patch(body)
    for (x0, x1), level, family in ((LITH_BAR, row.lithiophilicity, "lithiophilicity"),
                                    (COND_BAR, row.conductivity, "conductivity")):
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=ramp(family_colours()[family], int(level)),
                               edgecolor="#999999", lw=0.5, zorder=1))
        if y1 - y0 >= 0.09:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, str(int(level)), ha="center", va="center", fontsize=6.5,
                    color="white" if level >= 2 else INK, zorder=2)
    if isinstance(row.particles, str) and row.particles:
        count = 5 + 6 * int(row.lithiophilicity)
        rng = np.random.default_rng(1000 + int(row.position))  # seeded: the same dots every time
        margin = min(0.25 * (y1 - y0), 0.02)
        xs = rng.uniform(0.04, 0.96, count)
        ys = rng.uniform(y0 + margin, y1 - margin, count)
        ax.scatter(xs, ys, s=6, color="#333333", linewidths=0, zorder=4, gid=PARTICLE_GID)


def _layer_label(ax: Axes, row, y0: float, y1: float, fontsize: float) -> None:
    text = str(row.material)
    if isinstance(row.particles, str) and row.particles and row.particles not in text:
        text += f" (• {row.particles})"
    if pd.notna(row.thickness_um):
        text += f", {row.thickness_um:g}\u00a0µm"
    ax.text(COND_BAR[1] + 0.05, (y0 + y1) / 2, textwrap.fill(text, LABEL_WRAP), ha="left", va="center",
            fontsize=fontsize, color=INK, gid="label", linespacing=1.0)


def _collector_and_separator(ax: Axes, substrate: str) -> None:
    left, right = LITH_BAR[0], COND_BAR[1]
    ax.add_patch(Rectangle((left, COLLECTOR[0]), right - left, COLLECTOR[1] - COLLECTOR[0], facecolor="#3A3A3A",
                           edgecolor="none", zorder=1))
    ax.text(0.5, sum(COLLECTOR) / 2, substrate, ha="center", va="center", fontsize=7, color="white", zorder=2)
    ax.add_patch(Rectangle((left, SEPARATOR[0]), right - left, SEPARATOR[1] - SEPARATOR[0], facecolor="white",
                           edgecolor="#888888", hatch="..", lw=0.6, zorder=1))  # sparse: a dense hatch tile is 0.25 MB of SVG
    ax.text(0.5, SEPARATOR[1] + 0.01, "separator", ha="center", va="bottom", fontsize=7, color=MUTED)


def _li_patch(ax: Axes, patch) -> None:
    patch.set_gid(LI_GID)
    ax.add_patch(patch)


def _li(ax: Axes, deposition: str, extents) -> None:
    """Li metal where the deposition mode puts it."""
    style: dict[str, Any] = dict(facecolor=LI_COLOR, edgecolor=LI_EDGE, hatch="////", lw=0.8, alpha=0.85, zorder=3)
    if deposition == "bottom-up":
        _li_patch(ax, Rectangle((0.0, 0.0), 1.0, LI_FILL_SHARE, **style))
        ax.text(0.5, LI_FILL_SHARE / 2, "Li", ha="center", va="center", fontsize=9, fontweight="bold",
                color=INK, zorder=5, bbox=dict(boxstyle="round,pad=0.15", facecolor=LI_COLOR, edgecolor="none"))
        ax.annotate("", (0.5, LI_FILL_SHARE + 0.02), xytext=(0.5, LI_FILL_SHARE + 0.2),
                    arrowprops=dict(arrowstyle="-|>", color=LI_EDGE, lw=1.2), zorder=5)
    elif deposition == "top-growth":
        crust = 0.05
        _li_patch(ax, Rectangle((0.0, 1.0), 1.0, crust, **style))
        spikes = []
        for k, x in enumerate(np.linspace(0.08, 0.92, 7)):
            height = 0.06 + 0.04 * ((k * 3) % 4) / 3
            spikes += [(x - 0.035, 1.0 + crust), (x, 1.0 + crust + height), (x + 0.035, 1.0 + crust)]
        _li_patch(ax, Polygon([(0.0, 1.0 + crust)] + spikes + [(1.0, 1.0 + crust)], closed=True, **style))
        ax.text(-0.25, 1.04, "Li", ha="right", va="center", fontsize=9, fontweight="bold", color=INK)
    else:
        for y0, y1 in extents:
            mid, half = (y0 + y1) / 2, 0.18 * (y1 - y0)
            _li_patch(ax, Rectangle((0.05, mid - half), 0.9, 2 * half, **style))
        ax.text(-0.25, 0.5, "Li", ha="right", va="center", fontsize=9, fontweight="bold", color=INK)


def gradient_key(ax: Axes, y: float, x: float | None = None) -> None:
    """The two level scales as small swatch rows, plus the Li swatch, drawn in data units below a host."""
    x = LITH_BAR[0] if x is None else x
    size = 0.075
    rows = (("lithiophilicity", "lithiophilicity (left bar)", LITHIOPHILICITY_LEVELS),
            ("conductivity", "conductivity (right bar)", CONDUCTIVITY_LEVELS))
    for r, (family, title, names) in enumerate(rows):
        yy = y - r * (size + 0.045)
        for level in range(4):
            ax.add_patch(Rectangle((x + level * size, yy - size), size, size,
                                   facecolor=ramp(family_colours()[family], level), edgecolor="white", lw=0.6))
            ax.text(x + (level + 0.5) * size, yy - size / 2, str(level), ha="center", va="center", fontsize=5.5,
                    color="white" if level >= 2 else INK)
        ax.text(x + 4 * size + 0.03, yy - size / 2, f"{title}: 0 {names[0]} … 3 {names[-1]}", ha="left",
                va="center", fontsize=6.5, color=INK)
    yy = y - 2 * (size + 0.045)
    ax.add_patch(Rectangle((x, yy - size), 2 * size, size, facecolor=LI_COLOR, edgecolor=LI_EDGE, hatch="////",
                           lw=0.6, alpha=0.85))
    ax.text(x + 4 * size + 0.03, yy - size / 2, "Li metal", ha="left", va="center", fontsize=6.5, color=INK)
    ax.scatter([x + 1.0 + 4 * size], [yy - size / 2], s=8, color="#333333", linewidths=0)
    ax.text(x + 1.0 + 4 * size + 0.05, yy - size / 2, "particles (lithiophilic sites)", ha="left", va="center",
            fontsize=6.5, color=INK)


# ------------------------------------------------------------------------------ review glue
_SUBSTRATE = re.compile(r"\bon (Li foil|Cu foil|Cu)\b")


def substrate_of(study: pd.Series) -> str:
    """'Li foil' or 'Cu foil' when the review says what the host sits on, else 'current collector'."""
    found = _SUBSTRATE.search(str(study["host_material"]))
    if not found:
        return "current collector"
    return "Cu foil" if found.group(1) == "Cu" else found.group(1)


def host_thickness_text(review, study: str) -> str:
    """'6–8 µm' when the review gives one total host thickness for the study, else ''."""
    m = review.measurements
    rows = m[(m["study"] == study) & (m["quantity"] == "host_thickness")]
    if len(rows) != 1:
        return ""
    row = rows.iloc[0]
    span = f"{row['value']:g}" + (f"–{row['value_max']:g}" if pd.notna(row["value_max"]) else "")
    return f"{span} µm"


def study_schematic(review, study: str, ax: Axes | None = None, *, legend: bool = True, label_size: float = 7.5) -> Axes:
    """One study's host from the review: its layers, substrate, deposition mode and (if given) total thickness."""
    info = review.study(study)
    rows = review.layers[review.layers["study"] == study]
    if rows.empty:
        raise KeyError(f"no layers for study {study!r} in data/layers.csv")
    title = f"{study} · {info['deposition_mode']}"
    thickness = host_thickness_text(review, study)
    if thickness:
        title += f" · {thickness}"
    ax = draw_host(rows, ax, deposition=info["deposition_mode"], title=title, substrate=substrate_of(info),
                   legend=legend, label_size=label_size)
    _link_layers(ax, rows, info)
    return ax


def _link_layers(ax: Axes, rows: pd.DataFrame, info: pd.Series) -> None:
    """Each layer of a drawn host links to its study, with the layer's row of data/layers.csv as the tooltip."""
    layers = [p for p in ax.patches if p.get_gid() == LAYER_GID]
    ordered = rows.sort_values("position", kind="stable")
    if len(layers) != len(ordered):
        raise ValueError(f"{len(layers)} layers drawn for {len(ordered)} rows of {info['study']}")
    for patch, row in zip(layers, ordered.itertuples()):
        what = (f"layer {int(row.position)} from the collector, {row.material}: lithiophilicity "
                f"{int(row.lithiophilicity)} ({LITHIOPHILICITY_LEVELS[int(row.lithiophilicity)]}), conductivity "
                f"{int(row.conductivity)} ({CONDUCTIVITY_LEVELS[int(row.conductivity)]})")
        if pd.notna(getattr(row, "thickness_um", None)):
            what += f", {row.thickness_um:g} µm"
        conditions = f"Li deposits {info['deposition_mode']} (as the authors report); levels assigned by this book"
        link_artist(patch, Mark(study=info["study"], what=what, conditions=conditions,
                                source=f"Sect. {info['section']}", section=str(info["section"]),
                                bibkey=str(info["bibkey"])))


# --------------------------------------------------------------------------- concept figure
def _stack(spec) -> list[dict]:
    return [{"position": k + 1, "material": m, "thickness_rel": 1.0, "lithiophilicity": lith, "conductivity": cond,
             "particles": p} for k, (m, lith, cond, p) in enumerate(spec)]


#: Synthetic hosts for the concept figure, collector side first: (material, lithiophilicity, conductivity, particles)
CONCEPT_CAPTIONS = {"top-growth": "Li grows on top", "bottom-up": "Li fills from the bottom", "uniform": "Li spreads"}
CONCEPT_HOSTS = {
    "plain host": ("top-growth", _stack([("carbon", 0, 2, None)] * 4)),
    "lithiophilicity": ("bottom-up", _stack([
        ("carbon + dense sites", 3, 2, "sites"), ("carbon + sites", 2, 2, "sites"),
        ("carbon + few sites", 1, 2, "sites"), ("bare carbon", 0, 2, None)])),
    "conductivity": ("bottom-up", _stack([
        ("metal", 0, 3, None), ("carbon", 0, 2, None), ("semiconductor", 0, 1, None), ("insulator", 0, 0, None)])),
    "dual gradient": ("bottom-up", _stack([
        ("metal + dense sites", 3, 3, "sites"), ("carbon + sites", 2, 2, "sites"),
        ("poor conductor", 1, 1, None), ("insulator", 0, 0, None)])),
}


def concept_figure() -> Figure:
    """Four panels: a plain 3D host (Li grows on top) against the three gradient designs (Li fills from the bottom)."""
    with theme():
        fig = plt.figure(figsize=(FIGURE_WIDTH, 3.6), layout="constrained")
        grid = fig.add_gridspec(2, 4, height_ratios=[4.2, 1.0])
        for k, (name, (deposition, layers)) in enumerate(CONCEPT_HOSTS.items()):
            ax = fig.add_subplot(grid[0, k])
            letter = "abcd"[k]
            draw_host(layers, ax, deposition=deposition, title=f"({letter}) {name}\n{CONCEPT_CAPTIONS[deposition]}",
                      labels=False, legend=False)
            ax.title.set_fontsize(8.5)
        key = fig.add_subplot(grid[1, :])
        key.set_xlim(LITH_BAR[0] - 0.03, 4.6)
        key.set_ylim(-0.45, 0.02)
        key.axis("off")
        gradient_key(key, y=0.0)
    return fig


def hosts_figure(review, gradient: str, columns: int | None = None) -> Figure:
    """Every host of one gradient family side by side (review order), with one shared key underneath."""
    studies = list(review.studies.loc[review.studies["gradient"] == gradient, "study"])
    studies = [s for s in studies if (review.layers["study"] == s).any()]
    if not studies:
        raise KeyError(f"no layers for any {gradient!r} study in data/layers.csv")
    columns = columns or (3 if len(studies) > 4 else 2)
    columns = min(columns, len(studies))
    rows = -(-len(studies) // columns)
    with theme():
        fig = plt.figure(figsize=(FIGURE_WIDTH, 2.35 * rows + 0.75), layout="constrained")
        grid = fig.add_gridspec(rows + 1, columns, height_ratios=[2.35] * rows + [0.7])
        for k, study in enumerate(studies):
            ax = fig.add_subplot(grid[k // columns, k % columns])
            study_schematic(review, study, ax, legend=False, label_size=6.5)
            ax.title.set_fontsize(8.5)
        key = fig.add_subplot(grid[rows, :])
        key.set_xlim(LITH_BAR[0] - 0.03, 4.6)
        key.set_ylim(-0.45, 0.02)
        key.axis("off")
        gradient_key(key, y=0.0)
    return fig
