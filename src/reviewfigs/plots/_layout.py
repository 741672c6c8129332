"""Deterministic layout in display space: pull apart markers that coincide, place labels that do not overlap.

Many tests in the review share conditions (1 mA/cm², 1 mAh/cm²), so points coincide. Markers are
nudged apart just enough to be seen (a thin tether points back to the true position), and each
label takes the first free spot around its marker. No randomness: the same data always give the
same picture.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from scipy.spatial import cKDTree

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
AMBIGUITY_PENALTY = 400.0  # px², comparable to a label overlapping a marker


def figure_of(ax: Axes) -> Figure:
    """The figure an axis is drawn on (the top-level one, never a subfigure)."""
    fig = ax.get_figure(root=True)
    if not isinstance(fig, Figure):
        raise ValueError("the axis is not on a figure")
    return fig


def renderer_of(ax: Axes):
    """An Agg renderer for measuring text in display space."""
    fig = figure_of(ax)
    canvas = fig.canvas if hasattr(fig.canvas, "get_renderer") else FigureCanvasAgg(fig)
    return canvas.get_renderer()


def settle_layout(ax: Axes | Figure) -> None:
    """Run the figure's layout engine now: call once, after everything that takes space is on the axes,
    and before placing anything in display space (markers nudged apart, labels)."""
    fig = ax if isinstance(ax, Figure) else figure_of(ax)
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)


def _points_to_px(ax: Axes, points: float) -> float:
    return points * ax.figure.dpi / 72.0


def spread(ax: Axes, x, y, radii_pt, gap_pt: float = 1.5, iterations: int = 300):
    """Marker centres (data coordinates) moved apart until no two discs overlap.

    Axis limits must be final. Coinciding points start on a small golden-angle spiral so that the
    result depends only on the input order.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n == 0:
        return x, y
    anchors = ax.transData.transform(np.column_stack([x, y]))
    radii = np.array([_points_to_px(ax, r) for r in np.broadcast_to(radii_pt, (n,))])
    gap = _points_to_px(ax, gap_pt)
    pos = anchors.copy()
    # only pairs that are near can touch: find them with a k-d tree (time grows with the marks and their
    # crowding, not with the square of their number); they are visited in the same order as all pairs were
    near_anchor = cKDTree(anchors)
    for i in range(1, n):
        if any(math.hypot(*(pos[i] - pos[j])) < 1e-6 for j in near_anchor.query_ball_point(anchors[i], 0.6) if j < i):
            pos[i] += 0.5 * np.array([math.cos(i * GOLDEN_ANGLE), math.sin(i * GOLDEN_ANGLE)])
    reach = 2 * (2 * float(radii.max()) + gap)
    for _ in range(iterations):
        moved = False
        for i, j in sorted(cKDTree(pos).query_pairs(reach)):
            d = pos[j] - pos[i]
            dist = math.hypot(*d)
            need = radii[i] + radii[j] + gap
            if dist >= need:
                continue
            direction = d / dist if dist > 1e-9 else np.array([math.cos(j * GOLDEN_ANGLE), math.sin(j * GOLDEN_ANGLE)])
            push = (need - dist) / 2 + 0.01
            pos[i] -= direction * push
            pos[j] += direction * push
            moved = True
        if not moved:
            break
        pos += 0.02 * (anchors - pos)  # a weak spring keeps each marker near its true position
    data = ax.transData.inverted().transform(pos)
    return data[:, 0], data[:, 1]


def _candidates(radius_pt: float):
    """(dx, dy, ha, va) offsets in points around a marker, nearest first.

    The first ring tries right, left, the diagonals, above and below; outer rings (which get a leader
    line) try sixteen directions each.
    """
    d = radius_pt + 2.5
    c = d * 0.72
    out = [
        (d, 0, "left", "center"), (-d, 0, "right", "center"),
        (c, c, "left", "bottom"), (c, -c, "left", "top"),
        (-c, c, "right", "bottom"), (-c, -c, "right", "top"),
        (0, d, "center", "bottom"), (0, -d, "center", "top"),
    ]
    for ring in (1, 2, 3, 4):
        r = radius_pt + 2.5 + 11 * ring
        for k in range(16):
            angle = 2 * math.pi * k / 16
            dx, dy = r * math.cos(angle), r * math.sin(angle)
            ha = "left" if dx > 1 else "right" if dx < -1 else "center"
            va = "bottom" if dy > 1 else "top" if dy < -1 else "center"
            out.append((dx, dy, ha, va))
    return out


def _box_at(anchor, dx: float, dy: float, ha: str, va: str, width: float, height: float) -> Bbox:
    """The display box of a text of this size, offset (dx, dy) px from anchor with this alignment (1.5 px margin)."""
    px, py = anchor[0] + dx, anchor[1] + dy
    x0 = {"left": px, "right": px - width, "center": px - width / 2}[ha]
    y0 = {"bottom": py, "top": py - height, "center": py - height / 2}[va]
    return Bbox.from_extents(x0 - 1.5, y0 - 1.5, x0 + width + 1.5, y0 + height + 1.5)


def _overlap(box: Bbox, others: list[Bbox]) -> float:
    total = 0.0
    for other in others:
        w = min(box.x1, other.x1) - max(box.x0, other.x0)
        h = min(box.y1, other.y1) - max(box.y0, other.y0)
        if w > 0 and h > 0:
            total += w * h
    return total


def _distance(box: Bbox, point) -> float:
    dx = max(box.x0 - point[0], 0.0, point[0] - box.x1)
    dy = max(box.y0 - point[1], 0.0, point[1] - box.y1)
    return math.hypot(dx, dy)


def _ambiguity(box: Bbox, own, others) -> float:
    """A penalty when another marker is nearer to the label than its own (the reader would pair them wrongly)."""
    mine = _distance(box, own)
    return sum(AMBIGUITY_PENALTY for p in others if _distance(box, p) < mine + 2.0)


def _outside(box: Bbox, frame: Bbox) -> float:
    inside_w = max(0.0, min(box.x1, frame.x1) - max(box.x0, frame.x0))
    inside_h = max(0.0, min(box.y1, frame.y1) - max(box.y0, frame.y0))
    return box.width * box.height - inside_w * inside_h


def _fits(box: Bbox, placed: list[Bbox], markers: list[Bbox], frame: Bbox) -> bool:
    """True when a label box overlaps no placed box and no marker, and lies inside the axes."""
    return _overlap(box, placed) == 0 and _overlap(box, markers) == 0 and _outside(box, frame) == 0


def label_overlaps(ax: Axes) -> list[tuple[str, str]]:
    """Pairs of study labels (gid 'label') whose rendered boxes overlap: a legibility check."""
    renderer = renderer_of(ax)
    labels = [t for t in ax.texts if t.get_gid() == "label" and t.get_visible()]
    boxes = []
    for t in labels:
        if hasattr(t, "update_positions"):
            t.update_positions(renderer)  # an annotation: place its text, then measure the text without its leader
        boxes.append(Text.get_window_extent(t, renderer))
    out = []
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            w = min(boxes[i].x1, boxes[j].x1) - max(boxes[i].x0, boxes[j].x0)
            h = min(boxes[i].y1, boxes[j].y1) - max(boxes[i].y0, boxes[j].y0)
            if w > 0.5 and h > 0.5:
                out.append((labels[i].get_text(), labels[j].get_text()))
    return out


def place_labels(ax: Axes, x, y, texts, radii_pt, *, colors=None, fontsize: float = 7.5,
                 obstacles: list[Bbox] | None = None, weight: str = "normal", optional=None) -> list:
    """Annotate each point with its text at the first spot that overlaps no marker, label, text or obstacle.

    Returns the annotations (gid 'label'), None for a label left out. A label pushed to an outer ring
    gets a thin leader line. A text of None leaves its point unlabelled. ``optional`` (one bool per point): those labels are placed after the
    others, and only where they overlap nothing and stay inside the axes; otherwise they are left
    out (the mark's tooltip still names it).
    """
    renderer = renderer_of(ax)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    radii_pt = np.broadcast_to(np.asarray(radii_pt, dtype=float), (n,))
    colors = list(colors) if colors is not None else ["#1A1A1A"] * n
    centres = ax.transData.transform(np.column_stack([x, y])) if n else np.empty((0, 2))
    markers = []
    for (cx, cy), r in zip(centres, radii_pt):
        rp = _points_to_px(ax, r)
        markers.append(Bbox.from_extents(cx - rp, cy - rp, cx + rp, cy + rp))
    frame = ax.get_window_extent(renderer)
    placed: list[Bbox] = list(obstacles or [])
    placed += [t.get_window_extent(renderer).padded(1.0) for t in ax.texts if t.get_visible() and t.get_gid() != "note"]
    labels: list[Text | None] = [None] * n
    crowding = [sum(math.hypot(*(centres[i] - centres[j])) < _points_to_px(ax, 30) for j in range(n)) for i in range(n)]
    optional = np.zeros(n, bool) if optional is None else np.broadcast_to(np.asarray(optional, bool), (n,))
    for i in sorted(range(n), key=lambda k: (bool(optional[k]), -crowding[k])):  # required, then crowded, first
        if texts[i] is None:  # an unlabelled point: still an obstacle for the others
            continue
        others = markers[:i] + markers[i + 1:]
        other_centres = [c for j, c in enumerate(centres) if j != i]
        probe = ax.annotate(texts[i], (x[i], y[i]), fontsize=fontsize, fontweight=weight)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        best = None
        for rank, (dx, dy, ha, va) in enumerate(_candidates(radii_pt[i])):
            box = _box_at(centres[i], _points_to_px(ax, dx), _points_to_px(ax, dy), ha, va, extent.width, extent.height)
            leader = rank >= 8
            on_labels = _overlap(box, placed)
            score = (on_labels + _overlap(box, others) + 4 * _outside(box, frame)
                     + _ambiguity(box, centres[i], other_centres) * (0.5 if leader else 1.0) + 40.0 * leader)
            if optional[i] and not _fits(box, placed, others, frame):
                continue
            # a label over another label is unreadable, a label over a marker only partly: any spot clear of
            # labels beats every spot that is not, whatever else it covers
            if best is None or (on_labels > 0, score) < (best[0] > 0, best[1] - 1e-6):
                best = (on_labels, score, rank, dx, dy, ha, va, box)
            if score == 0:
                break
        if best is None:
            continue
        _on_labels, score, rank, dx, dy, ha, va, box = best
        if optional[i] and not _fits(box, placed, others, frame):
            continue
        corner = ({"left": 0.0, "center": 0.5, "right": 1.0}[ha], {"bottom": 0.0, "center": 0.5, "top": 1.0}[va])
        arrow = (dict(arrowstyle="-", color="#999999", lw=0.5, shrinkA=1, shrinkB=radii_pt[i], relpos=corner)
                 if rank >= 8 else None)  # the leader starts at the label's corner nearest its marker
        ann = ax.annotate(texts[i], (x[i], y[i]), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                          fontsize=fontsize, color=colors[i], fontweight=weight, arrowprops=arrow)
        ann.set_gid("label")
        ann.set_in_layout(False)
        placed.append(box)
        labels[i] = ann
    return labels


def tethers(ax: Axes, x0, y0, x1, y1, color: str = "#999999") -> None:
    """Thin lines from each true position (x0, y0) to its nudged marker (x1, y1), where they differ."""
    moved = [(a, b, c, d) for a, b, c, d in zip(x0, y0, x1, y1) if not (np.isclose(a, c) and np.isclose(b, d))]
    for a, b, c, d in moved:
        ax.plot([a, c], [b, d], color=color, lw=0.6, zorder=1.5, solid_capstyle="round")
    if moved:
        ax.scatter([m[0] for m in moved], [m[1] for m in moved], s=6, color=color, zorder=1.6, linewidths=0)


def lanes(ax: Axes, x, texts, band, radius_pt: float, *, x_right=None, fontsize: float = 7.5, gap_pt: float = 6.0):
    """y positions (data) inside ``band`` for points whose y carries no meaning: each point keeps its x and
    gets the highest lane where its marker and right-hand label do not run into another's.

    A label of several lines takes that many adjacent lanes (its point sits at their middle), so a
    two-line label never covers the lane above or below it. Returns (y, label_x): label_x is where
    each label starts (the end of a range bar, if any).
    """
    renderer = renderer_of(ax)
    x = np.asarray(x, dtype=float)
    right_anchor = x if x_right is None else np.where(np.isfinite(np.asarray(x_right, dtype=float)), x_right, x)
    n = len(x)
    r_px = _points_to_px(ax, radius_pt)
    gap = _points_to_px(ax, gap_pt)
    lane_ends: list[float] = []
    first_lane = [0] * n
    rows = [str(t).count("\n") + 1 for t in texts]
    for i in sorted(range(n), key=lambda k: (x[k], k)):
        probe = ax.annotate(texts[i], (x[i], band[0]), fontsize=fontsize)
        width = probe.get_window_extent(renderer).width
        probe.remove()
        left = ax.transData.transform((x[i], band[0]))[0] - r_px
        right = ax.transData.transform((right_anchor[i], band[0]))[0] + r_px + 3 + width
        k = 0
        while any(k + m < len(lane_ends) and lane_ends[k + m] + gap >= left for m in range(rows[i])):
            k += 1
        lane_ends.extend([float("-inf")] * (k + rows[i] - len(lane_ends)))
        for m in range(rows[i]):
            lane_ends[k + m] = right
        first_lane[i] = k
    count = max(len(lane_ends), 1)
    top = ax.transData.transform((x[0] if n else 1, band[1]))[1]
    bottom = ax.transData.transform((x[0] if n else 1, band[0]))[1]
    step = min((top - bottom) / count, _points_to_px(ax, fontsize * 1.7))
    centre = (top + bottom) / 2
    ys_px = [centre + ((count - 1) / 2 - (k + (rows[i] - 1) / 2)) * step for i, k in enumerate(first_lane)]
    inverse = ax.transData.inverted()
    y = np.array([inverse.transform((1.0 if not n else x[0], v))[1] for v in ys_px])
    return y, right_anchor
