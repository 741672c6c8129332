"""Data text into MyST, safely: the one escaper and the one list-table writer of the book."""

from __future__ import annotations

import html


def escape(text: str) -> str:
    """Keep data text literal inside MyST: no markup, roles or HTML can come from a CSV cell."""
    out = html.escape(str(text), quote=False)
    for ch in "\\`*_[]{}<>#|$":
        out = out.replace(ch, "\\" + ch)
    return out


def list_table(caption: str, name: str, header, rows) -> str:
    """A MyST list-table (tilde fence, so captions may hold backticks) in the book's compact data style."""
    lines = [f"~~~{{list-table}} {caption}", ":header-rows: 1", ":class: reviewfigs-data", f":name: {name}", ""]
    for cells in [list(header), *rows]:
        lines.append("* - " + "\n  - ".join(cells))
    lines.append("~~~")
    return "\n".join(lines) + "\n"
