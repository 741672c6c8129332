"""How a number from the data is shown in prose and where it says it came from."""

from __future__ import annotations

import pandas as pd

from ..data.bib import Bibliography
from ..data.load import Review
from ..data.reads import declares
from ..format import at_cycle_text, condition_parts, display_value, source_text, study_named, unit_says_it  # noqa: F401  (re-exported)
from ..vocab import readable_units


def describe(row: pd.Series, bib: Bibliography) -> str:
    """Tooltip text: what, under which conditions, where it is printed (the review, or for a study added
    later its own paper), from which paper."""
    ref = bib[row["bibkey"]]
    number = f" [{ref.number}]" if ref.number else ""
    parts = [
        f"{study_named(row)}: " + " ".join(w for w in ("" if unit_says_it(row["quantity_label"], row) else row["quantity_label"],
                                                       display_value(row)) if w),
        ", ".join(_condition_words(row)) or None,
        source_text(row["source"]),
        f"{ref.short}{number}",
        f"data row {row['id']}",
    ]
    if pd.notna(row.get("discrepancy")):
        parts.append(f"see discrepancy {row['discrepancy']}")
    if pd.notna(row.get("notes")):
        parts.append(f"note: {row['notes']}")
    return " · ".join(p for p in parts if p)


def _condition_words(row: pd.Series) -> list[str]:
    """The conditions and the cycle a value was read at, with units as a reader writes them (mA/cm²)."""
    parts = []
    if isinstance(row.get("conditions"), str) and row["conditions"]:
        parts.append(readable_units(row["conditions"]))
    if pd.notna(row.get("at_cycle")) and row["unit"] != "cycles":
        parts.append(at_cycle_text(row["at_cycle"]))
    return parts


def visible_conditions(row: pd.Series, bib: Bibliography) -> str:
    """Printed after the number (not only in its tooltip): conditions, cycles and the paper, e.g.
    'half cell, 1 mA/cm², 1 mAh/cm², 400 cycles; [97]'. Readable in print and on a projector."""
    parts = _condition_words(row)
    ref = bib[row["bibkey"]]
    source = f"[{ref.number}]" if ref.number else ref.short
    return "; ".join([", ".join(parts), source]) if parts else source


_ROWS_BY_ID: dict[int, tuple[Review, pd.DataFrame]] = {}


def _rows_by_id(review: Review) -> pd.DataFrame:
    """The tidy table indexed by row id, built once per loaded review (not once per {datum} in the book)."""
    cached = _ROWS_BY_ID.get(id(review))
    if cached is None or cached[0] is not review:
        _ROWS_BY_ID.clear()
        cached = (review, review.tidy().set_index("id", drop=False))
        _ROWS_BY_ID[id(review)] = cached
    return cached[1]


@declares(lambda review, mid, bare=False: [("rows", [mid]), ("bib_entry", _rows_by_id(review).loc[mid, "bibkey"])])
def datum_parts(review: Review, mid: str, bare: bool = False) -> dict[str, str]:
    """What ``{datum}`mid``` shows: the value (``bare``: without its unit), the tooltip, the printed conditions
    and the reference's key. Depends on that row and that reference only. KeyError for an unknown id."""
    row = _rows_by_id(review).loc[mid]
    return {"value": display_value(row, unit=not bare), "tooltip": describe(row, review.bib),
            "conditions": visible_conditions(row, review.bib), "bibkey": str(row["bibkey"])}
