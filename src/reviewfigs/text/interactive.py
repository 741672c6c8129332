"""Table 1 as an interactive table (sort, search, per-column filters) that works offline.

The DataTables library is embedded in the page by itables' offline mode, so the book needs no CDN
and keeps working from a local copy. Cell text is escaped by itables (no HTML from the data).
"""

from __future__ import annotations

import pandas as pd

from ..data.load import Review
from .tables import UNSTATED_COLUMN, reference_label, table1_columns, table1_rows


def _cell_text(entries) -> str:
    """Coin or pouch entries joined by "; ", each with the discrepancy marker (‡D1) where the data flags one."""
    if not entries:
        return "N.A."
    return "; ".join(text + (f" ‡{disc}" if disc else "") for text, disc, _mid in entries)


def table1_frame(review: Review) -> pd.DataFrame:
    """Table 1 flattened to text: the columns of the review's Table 1 plus the notes behind each ‡ marker."""
    rows = table1_rows(review)
    columns = table1_columns(rows)
    frame = pd.DataFrame({
        "Type": rows["Type"],
        "Sample": rows["Sample"],
        "Coin cell": rows["Coin cell"].map(_cell_text),
        "Pouch cell": rows["Pouch cell"].map(_cell_text),
        UNSTATED_COLUMN: rows[UNSTATED_COLUMN].map(_cell_text),
        "Electrolyte": rows["Electrolyte"].replace("", "N.A."),
        "Ref.": [reference_label(review, key) for key in rows["Ref."]],
        "Discrepancies": rows["discrepancies"].map(lambda d: " ".join(f"‡{k}: {v}" for k, v in d.items())),
    })
    return frame[[*columns, "Discrepancies"]]


def table1_interactive(review: Review):
    """Table 1 for a notebook cell: loads DataTables offline (embedded, no CDN) and returns the table's HTML."""
    from IPython.display import HTML
    from itables import init_notebook_mode, to_html_datatable

    init_notebook_mode(all_interactive=False, connected=False)
    html = to_html_datatable(
        table1_frame(review),
        connected=False,
        caption="Table 1 of the review, rebuilt from data/ (sort by a column header, search, or filter per column).",
        column_filters="footer",
        showIndex=False,
        table_id="itables_table1",  # fixed id: the same data give the same page, byte for byte
        paging=False,
        classes="display compact",
        columnDefs=[{"className": "dt-left", "targets": "_all"}],
    )
    return HTML(html)
