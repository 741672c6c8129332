"""Symmetric-cell lifespans on one axis: hours as printed, or cycles converted where J and Q allow.

The review reports symmetric cells sometimes in hours, sometimes in cycles. To put studies on one
axis, the figures convert here (with :func:`~reviewfigs.analysis.conversions.hours_from_cycles`).
Conversions are labelled as such in every figure that uses them: a converted number is an
estimate under the stated assumption, not a number from the review.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .conversions import hours_from_cycles

#: the tidy columns that say a row's family in words and colour (data/families.csv)
FAMILY_COLUMNS = ["family_label", "family_colour", "family_order"]


def symmetric_lifespans(tidy: pd.DataFrame) -> pd.DataFrame:
    """Every symmetric-cell lifespan of a host in hours, converting cycles where no hours are given.

    Cycles convert only when both J and Q are reported, and only where the same study has no
    lifespan row at the same J and Q (so one test is never counted twice). ``converted`` marks them.
    A lifespan without J or Q has no place on these axes: :func:`unconvertible_symmetric_cycles` lists it.
    """
    sym = tidy[(tidy["role"] == "host") & (tidy["cell_type"] == "symmetric") & tidy["value"].notna()]
    placed = sym["current_density"].notna() & sym["areal_capacity"].notna()
    hours = sym[(sym["quantity"] == "lifespan") & placed].assign(hours=lambda d: d["value"], converted=False, cycles=np.nan)
    have = set(zip(hours["study"], hours["current_density"], hours["areal_capacity"]))
    cycles = sym[(sym["quantity"] == "cycles") & placed]
    fresh = np.array([key not in have for key in zip(cycles["study"], cycles["current_density"], cycles["areal_capacity"])],
                     dtype=bool)
    cycles = cycles[fresh]
    cycles = cycles.assign(
        hours=hours_from_cycles(cycles["value"], cycles["current_density"], cycles["areal_capacity"]),
        converted=True,
        cycles=cycles["value"],
    )
    columns = ["id", "study", "gradient", *FAMILY_COLUMNS, "sample", "cell_format", "current_density", "areal_capacity",
               "hours", "bound", "converted", "cycles", "source"]
    out = pd.concat([hours[columns], cycles[columns]], ignore_index=True)
    return out.sort_values("id", kind="stable").reset_index(drop=True)


def unconvertible_symmetric_cycles(tidy: pd.DataFrame) -> pd.DataFrame:
    """Symmetric-cell lifespans and cycle counts of hosts that have no place on a J-Q chart (J or Q not reported)."""
    sym = tidy[(tidy["role"] == "host") & (tidy["cell_type"] == "symmetric") & tidy["quantity"].isin(["cycles", "lifespan"])
               & tidy["value"].notna()]
    return sym[sym["current_density"].isna() | sym["areal_capacity"].isna()].reset_index(drop=True)
