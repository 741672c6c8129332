"""How a number from the data is shown in prose and where it says it came from."""

from __future__ import annotations

import pandas as pd

from ..data.bib import Bibliography
from ..format import BOUND_TEXT, QUANTITY_TEXT, UNIT_TEXT, condition_parts, display_value  # noqa: F401  (re-exported)

def describe(row: pd.Series, bib: Bibliography) -> str:
    """Tooltip text: what, under which conditions, where in the review, from which paper."""
    ref = bib[row["bibkey"]]
    number = f" [{ref.number}]" if ref.number else ""
    parts = [
        f"{row['study']}: {QUANTITY_TEXT[row['quantity']]} {display_value(row)}",
        row["conditions"] or None,
        f"review {row['source']}",
        f"{ref.short}{number}",
        f"data row {row['id']}",
    ]
    if pd.notna(row.get("discrepancy")):
        parts.append(f"see discrepancy {row['discrepancy']}")
    if pd.notna(row.get("notes")):
        parts.append(f"note: {row['notes']}")
    return " · ".join(p for p in parts if p)
