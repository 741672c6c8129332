"""Table 1 as an interactive table (sort, search, per-column filters) that works offline.

The page carries Table 1 as plain escaped HTML (:func:`reviewfigs.text.tables.table1_html`), readable
without JavaScript. On the built site, ``table1.js`` turns it into a DataTables table; DataTables comes
from the itables package as a file under ``_static/datatables/`` (:mod:`reviewfigs.sphinxext.datatables`),
loaded only by pages that hold such a table: no CDN, no inline script, nothing from the data run as code.
Long cells wrap, so the table fits the text column; on a phone each row becomes a card of labelled cells.
"""

from __future__ import annotations

import pandas as pd

from ..data.load import Review
from .tables import UNSTATED_COLUMN, reference_label, table1_columns, table1_html, table1_rows

#: the class that makes the site load DataTables on a page and table1.js pick the table up
INTERACTIVE_CLASS = "rf-datatable"
TABLE_ID = "rf-table1"
CAPTION = ("Table 1 of the review, rebuilt from data/. Click a column header (or focus it and press Enter) "
           "to sort; type in the search box or in a column's filter.")


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
    """Table 1 for a notebook cell: the escaped HTML table that the site's table1.js makes sortable."""
    from IPython.display import HTML

    return HTML(table1_html(review, table_id=TABLE_ID, caption=CAPTION,
                            css_class=f"{INTERACTIVE_CLASS} display compact"))
