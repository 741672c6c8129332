"""Each full cell against the review's practical thresholds (Sect. 1 and Sect. 3 (1)): defined once.

The thresholds and their comparators are data (``data/thresholds.csv``: cathode > 4.0 mAh/cm²,
Li < 10.0 mAh/cm², electrolyte < 3.0 g/Ah); :func:`meets` is the only place that applies them.
The cathode's capacity is the delivered areal capacity where the review reports one, else the
printed or computed loading capacity of :func:`~reviewfigs.analysis.cells.full_cells`.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..vocab import THRESHOLD_COMPARATORS
from .cells import full_cells

if TYPE_CHECKING:
    from ..data.load import Review

#: the comparators ``thresholds.csv`` may use (the schema's list), as functions
COMPARATORS = {symbol: {">": operator.gt, "<": operator.lt}[symbol] for symbol in THRESHOLD_COMPARATORS}
#: threshold quantity -> column of the gap table it judges
JUDGED_COLUMN = {"cathode_areal_capacity": "cathode_capacity_judged", "anode_li": "anode_li_areal",
                 "electrolyte_amount": "electrolyte_amount"}


def meets(value: Any, comparator: str, threshold: float) -> bool | None:
    """True or False against one threshold; None when the value is not reported (NaN or None)."""
    if value is None or pd.isna(value):
        return None
    return bool(COMPARATORS[comparator](float(value), float(threshold)))


def practical_gap(review: Review) -> pd.DataFrame:
    """Full cells with a True/False/None (not reported) verdict against each threshold, and ``meets_all``.

    ``cathode_capacity_judged`` is the delivered capacity where reported (``judged_on`` 'delivered'),
    else the loading's capacity ('loading'). Li counts only when given per area (mAh/cm²).
    """
    cells = full_cells(review.tidy())
    delivered = cells["delivered_capacity"].notna()
    cells["cathode_capacity_judged"] = cells["delivered_capacity"].where(delivered, cells["cathode_capacity"])
    cells["judged_on"] = ["delivered" if d else ("loading" if pd.notna(c) else None)
                          for d, c in zip(delivered, cells["cathode_capacity"])]
    cells["anode_li_areal"] = cells["anode_li"].where(cells["anode_li_unit"] == "mAh/cm2")
    thresholds = review.thresholds.set_index("quantity")
    for quantity, column in JUDGED_COLUMN.items():
        t = thresholds.loc[quantity]
        cells[f"meets_{quantity}"] = [meets(v, t["comparator"], t["value"]) for v in cells[column]]
    verdicts = cells[[f"meets_{q}" for q in JUDGED_COLUMN]]
    cells["meets_all"] = verdicts.apply(lambda r: all(v is True for v in r), axis=1)
    return cells


def gap_counts(review: Review) -> dict[str, int]:
    """How many full cells there are and how many meet each threshold: the numbers every page prints."""
    gap = practical_gap(review)
    counts = {"full_cells": len(gap), "meet_all": int(gap["meets_all"].sum())}
    for quantity in JUDGED_COLUMN:
        counts[f"meet_{quantity}"] = int((gap[f"meets_{quantity}"] == True).sum())  # noqa: E712 (None is not True)
        counts[f"reported_{quantity}"] = int(gap[f"meets_{quantity}"].notna().sum())
    return counts
