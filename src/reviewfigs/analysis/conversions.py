"""Unit conversions applied to the review's rows: each written once, here or in the physics it rests on.

The physical conversions (Li thickness per mAh/cm², cycles from hours, loading to areal capacity)
live in :mod:`reviewfigs.models._units`, because the models need them too and physics imports no
analysis; this module re-exports them and adds the ones that need the data's own units.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..models import CATHODES, areal_capacity_from_loading, cycles_from_hours, hours_from_cycles, li_thickness_um

__all__ = ["areal_capacity_from_loading", "cycles_from_hours", "hours_from_cycles", "li_thickness_um",
           "specific_capacity", "cathode_areal_capacity", "li_to_cathode_ratio"]


def specific_capacity(cathode: str) -> float:
    """The book's one nominal specific capacity (mAh/g) of ``cathode``; NaN for a cathode it does not know."""
    entry = CATHODES.get(cathode)
    return entry.specific_capacity if entry else float("nan")


def cathode_areal_capacity(loading: Any, unit: Any, cathode: Any) -> float:
    """Cathode capacity in mAh/cm²: as printed for mAh/cm², loading × nominal capacity for mg/cm².

    A total mass ('mg') has no area, so it gives NaN, as do a missing loading or an unknown cathode.
    """
    if loading is None or unit is None or pd.isna(loading) or pd.isna(unit):
        return float("nan")
    if unit == "mAh/cm2":
        return float(loading)
    if unit == "mg/cm2":
        capacity = specific_capacity(cathode)
        return float(areal_capacity_from_loading(float(loading), capacity)) if np.isfinite(capacity) else float("nan")
    return float("nan")


def li_to_cathode_ratio(anode_li: Any, anode_li_unit: Any, cathode_capacity: float) -> float:
    """N/P as the review defines it: pre-stored Li (mAh/cm²) over cathode capacity (mAh/cm²); NaN if unknown."""
    if anode_li is None or pd.isna(anode_li) or anode_li_unit != "mAh/cm2":
        return float("nan")
    if cathode_capacity is None or pd.isna(cathode_capacity) or cathode_capacity <= 0:
        return float("nan")
    return float(anode_li) / float(cathode_capacity)
