"""One look for every figure: the Okabe-Ito palette, fixed colours per gradient family, and a theme.

Colours carry meaning across the whole book: a gradient family has the same colour in every
figure (the models chapter's graded hosts included), and no other category reuses those colours.
The family colours are data (``data/families.csv``; :data:`reviewfigs.vocab.FAMILY_PALETTE` gives one
to a family that has none). Every plot module takes its colours and markers from here (``tests/test_plots.py``). Nothing here changes matplotlib at
import time; :func:`theme` applies the style inside a ``with`` block and restores it on exit.

Figures are drawn on an opaque white background with dark text, so they stay readable when the
book is switched to dark mode (the contrast never depends on the page colour).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Cathode chemistries: colours avoid the gradient colours; the markers alone also tell them apart.
CATHODE_COLORS = {
    "LFP": OKABE_ITO["orange"],
    "LTO": OKABE_ITO["sky_blue"],
    "LCO": OKABE_ITO["reddish_purple"],
    "NCM111": "#BBBBBB",
    "NCM622": "#777777",
    "NCM811": OKABE_ITO["black"],
    "S": OKABE_ITO["yellow"],
    "SPAN": "#8C7A00",
}
CATHODE_MARKERS = {
    "LFP": "o",
    "LTO": "s",
    "LCO": "D",
    "NCM111": "^",
    "NCM622": "v",
    "NCM811": "p",
    "S": "*",
    "SPAN": "X",
}

#: a cathode an author adds (data/cathodes.csv) gets a shape and a colour of its own from these, by its name
SPARE_CATHODE_MARKERS = ("h", "P", "d", "8", "H", ">", "<")
SPARE_CATHODE_COLORS = ("#44AA99", "#882255", "#999933", "#AA4499", "#117733", "#6699CC", "#DDCC77")


def _spare(cathode: str, choices: tuple[str, ...]) -> str:
    return choices[zlib.crc32(cathode.encode("utf-8")) % len(choices)]  # stable across runs, unlike hash()


def cathode_marker(cathode: str) -> str:
    """The cathode's marker: the review's cathodes keep theirs; an added one gets a spare shape."""
    return CATHODE_MARKERS.get(cathode) or _spare(cathode, SPARE_CATHODE_MARKERS)


def cathode_color(cathode: str) -> str:
    return CATHODE_COLORS.get(cathode) or _spare(cathode, SPARE_CATHODE_COLORS)


def cathodes_in_order(present) -> list[str]:
    """The cathodes among ``present`` in legend order: the review's in the book's order, then added ones by name."""
    present = {c for c in present if isinstance(c, str)}
    return [c for c in CATHODE_MARKERS if c in present] + sorted(present - set(CATHODE_MARKERS))

#: Neutral colours for things that are not a category: text, controls, reference lines.
INK = "#1A1A1A"
MUTED = "#666666"
GRID = "#DDDDDD"
CONTROL_COLOR = "#888888"
#: Deposited Li metal in schematics (yellow with a dark hatch: unlike any gradient colour).
LI_COLOR = OKABE_ITO["yellow"]
LI_EDGE = "#5C5200"
PRACTICAL_FILL = "#CFEBD9"
PRACTICAL_TEXT = "#2E6B45"  # the practical region's name: a dark shade of its fill

FIGURE_WIDTH = 7.0  # inches: the book's content column at 100 % zoom
DPI = 150

RC: dict[str, Any] = {
    # fonts: DejaVu Sans ships with matplotlib, so text metrics (and label layout) are the same everywhere; an
    # SVG's text names Verdana (drawn to nearly the same widths) for a browser without DejaVu Sans
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Verdana"],
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 9.5,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "legend.title_fontsize": 9,
    "text.parse_math": False,  # data text is literal: a '$' in a study name must not start mathtext
    # opaque white canvas, dark text: readable on the light and the dark book theme alike
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "legend.facecolor": "white",
    "legend.framealpha": 1.0,
    "legend.edgecolor": GRID,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#444444",
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    # deterministic SVG: fixed ids. Text stays text: a reader can select and search it, and a figure with a
    # label per study stays light (at 10x the studies, glyphs drawn as paths made one page's figures 2.5 MB)
    "svg.hashsalt": "reviewfigs",
    "svg.fonttype": "none",
    "svg.image_inline": True,
    "path.simplify": True,
}


@contextmanager
def theme() -> Iterator[None]:
    """Apply the book style for the duration of a ``with`` block; the previous rcParams come back afterwards.

    One exception: if a backend switched to interactive mode inside the block (Jupyter's inline
    backend does so when the first figure is made), that switch is kept. Undoing it would stop
    every later figure of a notebook from being displayed.
    """
    with mpl.rc_context(RC):  # type: ignore[arg-type]  # matplotlib types rc keys as Literals
        try:
            yield
        finally:
            interactive = mpl.is_interactive()
    mpl.interactive(interactive)


def family_colours(review=None) -> dict[str, str]:
    """Each gradient family's colour (data/families.csv), for figures drawn without a data table at hand
    (schematic bars, model curves of graded hosts): the given review's, else the book's own."""
    if review is None:
        from ..data.load import review as load

        review = load()
    return review.vocabulary.colours()
