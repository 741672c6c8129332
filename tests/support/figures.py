"""What a figure draws, read from the matplotlib artists: text boxes, markers, colours (for the caption tests)."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.text import Text

#: a text may touch the canvas edge by this many pixels (antialiasing)
EDGE_TOLERANCE_PX = 0.5


def _tick_labels(ax):
    """Tick labels matplotlib draws: only where the axis is on, and only ticks inside the view."""
    if not ax.axison:
        return []
    labels = []
    for axis in (ax.xaxis, ax.yaxis):
        if not axis.get_visible():
            continue
        for tick in axis._update_ticks():  # the ticks draw() uses: inside the view interval
            labels += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    return labels


def drawn_texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text the figure draws: figure texts, titles, axis labels, tick labels,
    texts and annotations of each axes, legends."""
    texts: list[Text] = list(fig.texts)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [ax.title, ax._left_title, ax._right_title, *ax.texts, *_tick_labels(ax)]
        if ax.axison:
            texts += [ax.xaxis.label, ax.yaxis.label]
        for legend in [ax.get_legend(), *[c for c in ax.get_children() if c.__class__.__name__ == "Legend"]]:
            if legend is not None and legend.get_visible():
                texts += [*legend.get_texts(), legend.get_title()]
    for legend in fig.legends:
        texts += [*legend.get_texts(), legend.get_title()]
    unique = list(dict.fromkeys(texts))
    return [t for t in unique if t.get_visible() and t.get_text().strip()]


def clipped_texts(fig: Figure) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Texts whose drawn box (wrapped lines included) leaves the canvas: (text, (x0, y0, x1, y1)) in pixels."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    out = []
    for text in drawn_texts(fig):
        if text.get_wrap():  # wrapping happens only while drawing: measure the wrapped lines
            shown = text._get_wrapped_text()
            original = text.get_text()
            text.set_text(shown)
            text.set_wrap(False)
            box = text.get_window_extent(renderer)
            text.set_text(original)
            text.set_wrap(True)
        else:
            box = text.get_window_extent(renderer)
        tol = EDGE_TOLERANCE_PX
        if box.x0 < -tol or box.y0 < -tol or box.x1 > width + tol or box.y1 > height + tol:
            out.append((text.get_text(), (box.x0, box.y0, box.x1, box.y1)))
    return out


# ----------------------------------------------------------------------------- what the figure draws
def saved_state(fig: Figure) -> Figure:
    """Lay the figure out and set the DPI exactly as ``reviewfigs.figures.figure_files`` does before saving."""
    from reviewfigs.figures import freeze_layout
    from reviewfigs.plots.style import DPI

    freeze_layout(fig)
    fig.set_dpi(DPI)
    return fig


def data_artists(fig: Figure) -> list:
    """Collections and lines carrying data marks (gid 'data', as the plots mark them)."""
    found = []
    for ax in fig.axes:
        found += [a for a in [*ax.collections, *ax.lines] if a.get_gid() == "data"]
    return found


def _white_or_none(rgba) -> bool:
    import numpy as np

    rgba = np.asarray(rgba, dtype=float).reshape(-1, 4)
    return bool(len(rgba)) and all(c[3] == 0 or (c[:3] > 0.97).all() for c in rgba)


def point_faces(fig: Figure) -> list[tuple[bool, str | None]]:
    """One (hollow?, marker) per data point drawn; the marker is a matplotlib marker code where recognised."""
    from matplotlib.collections import PathCollection
    from matplotlib.lines import Line2D

    points = []
    for artist in data_artists(fig):
        if isinstance(artist, PathCollection):
            n = len(artist.get_offsets())
            faces = artist.get_facecolors()
            hollow = [_white_or_none(faces[i % len(faces)]) if len(faces) else True for i in range(n)]
            marker = marker_of_path(artist.get_paths()[0]) if artist.get_paths() else None
            points += [(h, marker) for h in hollow]
        elif isinstance(artist, Line2D) and artist.get_marker() not in (None, "None", ""):
            from matplotlib.colors import to_rgba

            face = artist.get_markerfacecolor()
            hollow = face in ("none", "None") or _white_or_none(to_rgba(face))
            points += [(hollow, str(artist.get_marker()))] * len(artist.get_xdata())
    return points


def marker_of_path(path) -> str | None:
    """The marker code whose path a scatter collection draws (scatter bakes the marker's transform in)."""
    import numpy as np
    from matplotlib.markers import MarkerStyle

    for code in ("o", "s", "D", "^", "v", "p", "*", "X", "P", "h", "<", ">", "d"):
        style = MarkerStyle(code)
        ref = style.get_path().transformed(style.get_transform())
        if ref.vertices.shape == path.vertices.shape and np.allclose(ref.vertices, path.vertices, atol=1e-6):
            return code
    return None


def legend_markers(fig: Figure) -> dict[str, str]:
    """label -> marker code of every legend entry drawn with a marker."""
    from matplotlib.legend import Legend

    out = {}
    legends = list(fig.legends)
    for ax in fig.axes:
        legends += [c for c in ax.get_children() if isinstance(c, Legend)]
    for legend in dict.fromkeys(legends):
        for handle, text in zip(legend.legend_handles, legend.get_texts()):
            marker = getattr(handle, "get_marker", lambda: None)()
            if marker not in (None, "None", ""):
                out[text.get_text()] = str(marker)
    return out


def arrow_count(fig: Figure) -> int:
    """Annotations drawn as arrows (an arrow patch and no text)."""
    return sum(1 for ax in fig.axes for t in ax.texts
               if getattr(t, "arrow_patch", None) is not None and not t.get_text().strip())
