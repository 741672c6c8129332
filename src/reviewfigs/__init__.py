"""reviewfigs: data, validation, tables, figures and models for the review companion book.

The public front. Chapters and users import from here; the modules behind it may move.

    >>> import reviewfigs as rf
    >>> review = rf.review()            # validated data + bibliography (cached)
    >>> rf.show(rf.table1_myst(review))  # a MyST table whose citations resolve
"""

from .errors import DataError, Issue
from .load import Review, find_root, load_review, review
from . import figures, plots, schematics, style
from .practical import full_cells, practical_gap, practical_gap_myst
from .tables import comparison_myst, discrepancy_list_myst, table1_html, table1_myst, table1_rows, whats_new_myst

__version__ = "0.1.0"


def show(myst_text: str):
    """Display MyST Markdown from a notebook cell; the book parses it, so roles like {cite:p} resolve."""
    from IPython.display import Markdown, display

    display(Markdown(myst_text))


__all__ = [
    "DataError", "Issue", "Review", "find_root", "load_review", "review", "show",
    "table1_myst", "table1_html", "table1_rows", "discrepancy_list_myst", "comparison_myst", "practical_gap", "practical_gap_myst", "full_cells", "whats_new_myst", "__version__",
    "plots", "schematics", "style",
]
