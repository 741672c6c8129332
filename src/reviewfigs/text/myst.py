"""Data text into MyST, safely: the one escaper and the one list-table writer of the book."""

from __future__ import annotations

import html
import re
import unicodedata

#: a line that starts with one of these would open a list, a heading, a quote or a fence
_BLOCK_START = re.compile(r"^(\s*)([-+=:~]|\d+[.)])")


def escape(text: str) -> str:
    """Keep data text literal inside MyST: no markup, roles, HTML or block structure can come from a CSV cell.

    The one escaper of the book for text that becomes a page through MyST: tables, lists, glued names.
    Line breaks and control characters become spaces (``check`` refuses them; this keeps pages whole regardless).
    """
    out = "".join(" " if unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029" else ch for ch in str(text))
    out = html.escape(out, quote=False)
    for ch in "\\`*_[]{}<>#|$~!":
        out = out.replace(ch, "\\" + ch)
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit()
                            else m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], out)


def glue_text(name: str, text) -> None:
    """Glue data text (a study's name, a list of names) for ``{glue:md}``, escaped: never markup on the page."""
    from IPython.display import Markdown
    from myst_nb import glue

    glue(name, Markdown(escape(text)), display=False)


def list_table(caption: str, name: str, header, rows) -> str:
    """A MyST list-table (tilde fence, so captions may hold backticks) in the book's compact data style."""
    lines = [f"~~~{{list-table}} {caption}", ":header-rows: 1", ":class: reviewfigs-data", f":name: {name}", ""]
    for cells in [list(header), *rows]:
        lines.append("* - " + "\n  - ".join(cells))
    lines.append("~~~")
    return "\n".join(lines) + "\n"
