"""The practical-gap table as MyST: each full cell's conditions, and which threshold it meets."""

from __future__ import annotations

import pandas as pd

from ..analysis.cells import np_misfits
from ..analysis.practical import practical_gap
from .myst import escape, list_table

#: a threshold the cell's value meets, misses, or (no value) cannot be judged on
VERDICTS = {True: "✓ yes", False: "✗ no"}
NOT_REPORTED = "not reported"


def _judged(value_text: str, flag) -> str:
    """'≈2.5: ✗ no'; a cell with no value says only that it is not reported (not '–: ? not reported')."""
    return NOT_REPORTED if flag is None else f"{value_text}: {VERDICTS[flag]}"


def _fmt(value, derived=False) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{'≈' if derived else ''}{value:.2g}" if value < 10 else f"{'≈' if derived else ''}{value:.0f}"


def practical_gap_myst(review) -> str:
    """The gap table as MyST: each full cell's conditions, and which threshold it meets."""
    gap = practical_gap(review)
    t = review.thresholds.set_index("quantity")
    head = [
        "Study", "Full cell",
        f"Cathode (mAh/cm²), need {t.loc['cathode_areal_capacity', 'comparator']} {t.loc['cathode_areal_capacity', 'value']:g}",
        f"Li (mAh/cm²), need {t.loc['anode_li', 'comparator']} {t.loc['anode_li', 'value']:g}",
        "N/P",
        f"E/C (g/Ah), need {t.loc['electrolyte_amount', 'comparator']} {t.loc['electrolyte_amount', 'value']:g}",
        "Ref.",
    ]
    bibkeys = review.studies.set_index("study")["bibkey"]
    # a printed N/P that the book's nominal capacity does not reproduce (our reading; Models, N/P section)
    misfit = np_misfits(review.tidy())
    rows = []
    for _, c in gap.iterrows():
        np_text = _fmt(c["np_ratio"], c["np_source"] == "Li/cathode") if pd.notna(c["np_ratio"]) else NOT_REPORTED
        if c["np_source"] == "Li/cathode":
            np_text += " (Li/cathode)"
        elif c["cell"] in misfit.index:
            np_text += f" (implies {misfit[c['cell']]:.0f} mAh/g of {escape(c['cathode'])}; not the book's nominal)"
        fmt = "format not stated" if c["cell_format"] == "unspecified" else c["cell_format"]
        judged = c["cathode_capacity_judged"]
        capacity = _fmt(judged, c["judged_on"] == "loading" and c["capacity_source"] != "reported")
        if c["judged_on"] == "delivered":
            capacity += " delivered"
        rows.append([
            escape(c["study"]),
            f"{escape(c['cathode'])}, {fmt}",
            _judged(capacity, c["meets_cathode_areal_capacity"]),
            _judged(_fmt(c["anode_li_areal"]), c["meets_anode_li"]),
            np_text,
            _judged(_fmt(c["electrolyte_amount"]), c["meets_electrolyte_amount"]),
            f"{{cite:p}}`{bibkeys[c['study']]}`",
        ])
    caption = ("Every full cell in the data against the review's practical thresholds. A delivered capacity is "
               "judged where the review reports one; ≈ marks a capacity computed from a loading in mg/cm² with the "
               "book's nominal specific capacity, or an N/P computed as pre-stored Li over cathode capacity.")
    return list_table(caption, "tbl-practical-gap", head, rows)
