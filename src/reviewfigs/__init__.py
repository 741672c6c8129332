"""reviewfigs: data, validation, tables, figures and models for the review companion book.

The public front. Chapters and users import from here; the modules behind it may move. Names are
loaded on first use (PEP 562), so ``import reviewfigs`` is cheap and a page that only needs a table
never imports matplotlib.

    >>> import reviewfigs as rf
    >>> review = rf.review()            # validated data + bibliography (cached)
    >>> rf.show(rf.table1_myst(review))  # a MyST table whose citations resolve

Layers (each imports only the ones above it, through their public names; see README.md):
``errors``, ``format``, ``files``, ``anchors``, ``vocab`` (leaves) · ``models`` (physics, no data) ·
``data`` (the only reader of data/ and references.bib) · ``analysis`` (derived quantities, defined once) ·
``text`` and ``plots`` · ``figures`` (one record per figure) · ``sphinxext``, ``cli``, ``authoring``, ``teaching``.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("reviewfigs")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

#: public name -> module that defines it
_EXPORTS = {
    "DataError": "errors", "Issue": "errors",
    "Review": "data.load", "find_root": "data.load", "load_review": "data.load", "review": "data.load",
    "full_cells": "analysis.cells", "practical_gap": "analysis.practical", "practical_gap_myst": "text.gap",
    "comparison_myst": "text.tables", "discrepancy_list_myst": "text.tables", "table1_myst": "text.tables",
    "table1_rows": "text.tables", "whats_new_myst": "text.tables", "missing_doi_myst": "text.doi",
    "review_record_myst": "text.review_record", "shown": "format",
}
#: subpackages reachable as attributes (``rf.plots``, ``rf.models`` ...)
_SUBMODULES = ("analysis", "data", "figures", "format", "models", "plots", "text")


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'reviewfigs' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted([*globals(), *_EXPORTS, *_SUBMODULES])


def show(myst_text: str):
    """Display MyST Markdown from a notebook cell; the book parses it, so roles like {cite:p} resolve."""
    from IPython.display import Markdown, display

    display(Markdown(myst_text))


__all__ = ["show", "__version__", *_EXPORTS, *_SUBMODULES]
