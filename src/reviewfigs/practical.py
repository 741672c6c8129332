"""Each study's full cells against the review's practical thresholds (Sect. 1 and Sect. 3 (1)).

Cathode loadings are printed in mg/cm², mAh/cm² or as a total mass; Li in mAh/cm² or mAh.
Areal capacity is computed from mg/cm² with the typical specific capacities below (stated
on the page as assumptions); totals without an area cannot be compared and stay unknown.
"""

from __future__ import annotations

import math

import pandas as pd

from .derived import SPECIFIC_CAPACITY_MAH_G, cathode_areal_capacity
from .load import Review
from .tables import _myst_escape, list_table_myst

#: Practical specific capacity of each cathode [mAh/g], MODELS.md §4: one table for figures and tables.
SPECIFIC_CAPACITY = SPECIFIC_CAPACITY_MAH_G
CELL_KEY = ["study", "cathode", "cell_format"]


def _first(series: pd.Series):
    present = series.dropna()
    return present.iloc[0] if not present.empty else None


def full_cells(review: Review) -> pd.DataFrame:
    """One row per study and full cell (cathode and format), merging text and Table 1 rows."""
    m = review.measurements
    m = m[(m["cell_type"] == "full") & (m["role"] == "host")].sort_values("id").copy()
    # Text rarely names the format; Table 1 files those cells under "coin cell": one cell, two sources.
    m["cell_format"] = m["cell_format"].replace({"unspecified": "coin"})
    rows = []
    for (study, cathode, fmt), g in m.groupby(CELL_KEY, sort=False):
        loading_rows = g.dropna(subset=["cathode_loading"])
        loading = loading_rows.iloc[0] if not loading_rows.empty else None
        capacity, derived = (None, False)
        if loading is not None:
            value = cathode_areal_capacity(loading["cathode_loading"], loading["cathode_loading_unit"], cathode)
            capacity = None if math.isnan(value) else value
            derived = loading["cathode_loading_unit"] == "mg/cm2"
        li_rows = g[g["anode_li_unit"] == "mAh/cm2"]
        li = float(li_rows["anode_li"].iloc[0]) if not li_rows.empty else None
        np_reported = _first(g["np_ratio"])
        np_derived = li / capacity if (li is not None and capacity) else None
        rows.append({
            "study": study, "cathode": cathode, "cell_format": fmt,
            "cathode_capacity": capacity, "capacity_derived": derived,
            "anode_li": li, "np_reported": np_reported, "np_derived": np_derived,
            "electrolyte_amount": _first(g["electrolyte_amount"]),
            "rows": ",".join(g["id"]),
        })
    return pd.DataFrame(rows)


def _meets(value, comparator: str, threshold: float):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value > threshold if comparator == ">" else value < threshold


def practical_gap(review: Review) -> pd.DataFrame:
    """Full cells with a True/False/None (not reported) verdict against each threshold."""
    cells = full_cells(review)
    thresholds = review.thresholds.set_index("quantity")
    column = {"cathode_areal_capacity": "cathode_capacity", "anode_li": "anode_li", "electrolyte_amount": "electrolyte_amount"}
    for quantity, name in column.items():
        t = thresholds.loc[quantity]
        cells[f"meets_{quantity}"] = [_meets(v, t["comparator"], t["value"]) for v in cells[name]]
    verdicts = cells[[f"meets_{q}" for q in column]]
    cells["meets_all"] = verdicts.apply(lambda r: all(v is True for v in r), axis=1)
    return cells


def _mark(flag) -> str:
    return {True: "✓ yes", False: "✗ no", None: "? not reported"}[flag]


def _fmt(value, derived=False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{'≈' if derived else ''}{value:.2g}" if value < 10 else f"{'≈' if derived else ''}{value:.0f}"


def practical_gap_myst(review: Review) -> str:
    """The gap table as MyST: each full cell's conditions, and which threshold it meets."""
    gap = practical_gap(review)
    t = review.thresholds.set_index("quantity")
    head = [
        "Study", "Full cell",
        f"Cathode (mAh/cm²), need {t.loc['cathode_areal_capacity', 'comparator']} {t.loc['cathode_areal_capacity', 'value']:g}",
        f"Li (mAh/cm²), need {t.loc['anode_li', 'comparator']} {t.loc['anode_li', 'value']:g}",
        "N/P reported (recomputed)",
        f"E/C (g/Ah), need {t.loc['electrolyte_amount', 'comparator']} {t.loc['electrolyte_amount', 'value']:g}",
        "Ref.",
    ]
    bibkeys = review.studies.set_index("study")["bibkey"]
    rows = []
    for _, c in gap.iterrows():
        np_text = _fmt(c["np_reported"])
        if c["np_derived"] is not None and not (isinstance(c["np_derived"], float) and math.isnan(c["np_derived"])):
            np_text += f" ({_fmt(c['np_derived'], True)})"
        fmt = f" {c['cell_format']}"
        rows.append([
            _myst_escape(c["study"]),
            f"{c['cathode']}{fmt}",
            f"{_fmt(c['cathode_capacity'], c['capacity_derived'])}: {_mark(c['meets_cathode_areal_capacity'])}",
            f"{_fmt(c['anode_li'])}: {_mark(c['meets_anode_li'])}",
            np_text,
            f"{_fmt(c['electrolyte_amount'])}: {_mark(c['meets_electrolyte_amount'])}",
            f"{{cite:p}}`{bibkeys[c['study']]}`",
        ])
    caption = ("Every full cell in the data against the review's practical thresholds. "
               "≈ marks a capacity computed from a loading in mg/cm² with a typical specific capacity.")
    return list_table_myst(caption, "tbl-practical-gap", head, rows)
