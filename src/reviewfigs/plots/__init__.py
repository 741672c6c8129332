"""Comparison plots, all redrawn from the data.

Every function takes the data first and ``ax=None``, draws on that axis (or on a new figure of the
book's column width) and returns the axis. None shows or saves anything: :mod:`reviewfigs.figures`
does that. Data points are collections with gid ``"data"`` and study labels are texts with gid
``"label"``, so tests and SVG readers can find them. Every data point carries a link to its study
(:mod:`reviewfigs.plots._links`), resolved into an SVG ``<a>`` with a ``<title>`` when saved.
"""

from ._ce import ce_map
from ._common import DATA_GID, PRACTICAL_GID, host_rows
from ._family import METRICS, family_comparison, family_table
from ._fullcell import fullcell_map, practical_limits, practical_polygon
from ._layout import figure_of, settle_layout
from ._lifespan import lifespan_bubbles
from ._links import EMPTY as EMPTY_LINKS
from ._links import Links, inline_svg, linked_svg, marks_of
from ._overpotential import overpotential_rows, overpotentials
from ._retention import retention_rows, retention_vs_cycles

__all__ = [
    "ce_map", "lifespan_bubbles", "fullcell_map", "retention_rows", "retention_vs_cycles", "overpotentials", "family_comparison",
    "family_table", "practical_limits", "practical_polygon", "DATA_GID", "PRACTICAL_GID",
    "figure_of", "settle_layout", "Links", "EMPTY_LINKS", "inline_svg", "linked_svg", "marks_of", "host_rows", "overpotential_rows", "METRICS",
]
