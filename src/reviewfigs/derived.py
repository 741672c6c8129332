"""Quantities the review does not print but that follow from what it prints.

The review reports symmetric cells sometimes in hours, sometimes in cycles; cathode loadings in
mg/cm² or mAh/cm²; anode Li sometimes as an N/P ratio, sometimes as a deposited capacity. To put
studies on one axis, figures convert with the functions below, and only here, so that every
conversion is written (and tested) once.

Conversions are labelled as such in every figure that uses them: a converted number is an
estimate under the stated assumption, not a number from the review.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Typical practical specific capacity (mAh per g of active material; per g of S for S and SPAN) used
#: to turn a loading in mg/cm² into an areal capacity: LFP 150, LTO 165, LCO 140 (4.2-4.3 V), NCM111
#: 150, NCM622 175, NCM811 200, S and SPAN 1000 (about 60 % of sulfur's theoretical 1675). These are
#: Nominal specific capacity [mAh/g] used to turn a loading in mg/cm² into mAh/cm², shared by the
#: figures and the chapters' tables (reviewfigs.practical). Real cells differ by 10-20 %.
SPECIFIC_CAPACITY_MAH_G: dict[str, float] = {
    "LFP": 150.0,
    "LTO": 165.0,
    "LCO": 140.0,
    "NCM111": 150.0,
    "NCM622": 175.0,
    "NCM811": 200.0,
    "S": 1000.0,
    "SPAN": 1000.0,
}

#: Full-cell rows describing the same cell share these columns (text and Table 1 rows are merged).
CELL_KEY = ("study", "cathode", "cathode_loading", "cathode_loading_unit", "electrolyte")
_FORMAT_PRIORITY = ("pouch", "solid-state", "quasi-solid", "coin", "unspecified")


# ------------------------------------------------------------------ scalar / vector conversions
def hours_from_cycles(cycles, current_density, areal_capacity):
    """Cycling time of a symmetric cell: each cycle plates and strips Q at J, taking 2Q/J hours."""
    return np.asarray(cycles, dtype=float) * 2.0 * np.asarray(areal_capacity, dtype=float) / np.asarray(current_density, dtype=float)


def cycles_from_hours(hours, current_density, areal_capacity):
    """Inverse of :func:`hours_from_cycles`: cycles = hours × J / (2Q)."""
    return np.asarray(hours, dtype=float) * np.asarray(current_density, dtype=float) / (2.0 * np.asarray(areal_capacity, dtype=float))


def cathode_areal_capacity(loading, unit, cathode):
    """Cathode capacity in mAh/cm²: as printed for mAh/cm², loading × nominal capacity for mg/cm².

    A total mass ('mg') has no area, so it gives NaN, as do a missing loading or an unknown cathode.
    """
    if loading is None or unit is None or pd.isna(loading) or pd.isna(unit):
        return float("nan")
    if unit == "mAh/cm2":
        return float(loading)
    if unit == "mg/cm2":
        capacity = SPECIFIC_CAPACITY_MAH_G.get(cathode)
        return float(loading) * capacity / 1000.0 if capacity else float("nan")
    return float("nan")


def li_to_cathode_ratio(anode_li, anode_li_unit, cathode_capacity):
    """N/P estimated as pre-stored Li (mAh/cm²) over cathode capacity (mAh/cm²); NaN when either is unknown."""
    if anode_li is None or pd.isna(anode_li) or anode_li_unit != "mAh/cm2":
        return float("nan")
    if cathode_capacity is None or pd.isna(cathode_capacity) or cathode_capacity <= 0:
        return float("nan")
    return float(anode_li) / float(cathode_capacity)


# ------------------------------------------------------------------------- frame derivations
def symmetric_lifespans(tidy: pd.DataFrame) -> pd.DataFrame:
    """Every symmetric-cell lifespan of a host in hours, converting cycles where no hours are given.

    Cycles convert only when both J and Q are reported, and only where the same study has no
    lifespan row at the same J and Q (so one test is never counted twice). ``converted`` marks them.
    """
    sym = tidy[(tidy["role"] == "host") & (tidy["cell_type"] == "symmetric")]
    hours = sym[sym["quantity"] == "lifespan"].assign(hours=lambda d: d["value"], converted=False, cycles=np.nan)
    have = set(zip(hours["study"], hours["current_density"], hours["areal_capacity"]))
    cycles = sym[(sym["quantity"] == "cycles") & sym["current_density"].notna() & sym["areal_capacity"].notna()]
    fresh = np.array([key not in have for key in zip(cycles["study"], cycles["current_density"], cycles["areal_capacity"])],
                     dtype=bool)
    cycles = cycles[fresh]
    cycles = cycles.assign(
        hours=hours_from_cycles(cycles["value"], cycles["current_density"], cycles["areal_capacity"]),
        converted=True,
        cycles=cycles["value"],
    )
    columns = ["id", "study", "gradient", "sample", "cell_format", "current_density", "areal_capacity",
               "hours", "bound", "converted", "cycles", "source"]
    out = pd.concat([hours[columns], cycles[columns]], ignore_index=True)
    return out.sort_values("id", kind="stable").reset_index(drop=True)


def unconvertible_symmetric_cycles(tidy: pd.DataFrame) -> pd.DataFrame:
    """Symmetric-cell cycle counts of hosts that cannot become hours (J or Q not reported)."""
    sym = tidy[(tidy["role"] == "host") & (tidy["cell_type"] == "symmetric") & (tidy["quantity"] == "cycles")]
    return sym[sym["current_density"].isna() | sym["areal_capacity"].isna()].reset_index(drop=True)


def _first(series: pd.Series):
    values = series.dropna()
    return values.iloc[0] if len(values) else np.nan


def _cell_format(formats: pd.Series) -> str:
    present = set(formats)
    return next(f for f in _FORMAT_PRIORITY if f in present)


def full_cells(tidy: pd.DataFrame) -> pd.DataFrame:
    """One row per full cell of a host, with its cathode capacity (mAh/cm²) and N/P ratio.

    Rows of the same cell (text and Table 1, capacity and cycles) share :data:`CELL_KEY`; a row
    that omits the loading joins the study's only cell with that cathode and electrolyte. N/P is the
    reported ratio (``np_source`` 'reported') or pre-stored Li / cathode capacity ('Li/cathode').
    """
    full = tidy[(tidy["role"] == "host") & (tidy["cell_type"] == "full")].copy()
    full["electrolyte"] = full["electrolyte"].fillna("")
    with_loading = full[full["cathode_loading"].notna()]
    no_loading = full[full["cathode_loading"].isna()]
    adopted = []
    for _, row in no_loading.iterrows():
        siblings = with_loading[(with_loading["study"] == row["study"]) & (with_loading["cathode"] == row["cathode"])
                                & (with_loading["electrolyte"] == row["electrolyte"])]
        keys = siblings[["cathode_loading", "cathode_loading_unit"]].drop_duplicates()
        if len(keys) == 1:
            row = row.copy()
            row["cathode_loading"], row["cathode_loading_unit"] = keys.iloc[0]
            row["cathode_loading_max"] = _first(siblings["cathode_loading_max"])
        adopted.append(row)
    if adopted:
        full = pd.concat([with_loading, pd.DataFrame(adopted)], ignore_index=False)
    cells = []
    for key, rows in full.groupby(list(CELL_KEY), sort=False, dropna=False):
        first = rows.sort_values("id").iloc[0]
        capacity = cathode_areal_capacity(first["cathode_loading"], first["cathode_loading_unit"], first["cathode"])
        loading_max = _first(rows["cathode_loading_max"])
        capacity_max = cathode_areal_capacity(loading_max, first["cathode_loading_unit"], first["cathode"])
        reported_np = _first(rows["np_ratio"])
        li = _first(rows.loc[rows["anode_li_unit"] == "mAh/cm2", "anode_li"])
        if pd.notna(reported_np):
            np_ratio, np_source = float(reported_np), "reported"
        else:
            # a loading range gives a capacity range: the ratio uses its middle
            middle = capacity if pd.isna(capacity_max) else (capacity + capacity_max) / 2
            np_ratio = li_to_cathode_ratio(li, "mAh/cm2", middle)
            np_source = "Li/cathode" if pd.notna(np_ratio) else None
        cells.append({
            "study": first["study"],
            "gradient": first["gradient"],
            "cathode": first["cathode"],
            "cell_format": _cell_format(rows["cell_format"]),
            "electrolyte": first["electrolyte"] or None,
            "cathode_loading": first["cathode_loading"],
            "cathode_loading_max": loading_max,
            "cathode_loading_unit": first["cathode_loading_unit"],
            "cathode_capacity": capacity,
            "cathode_capacity_max": capacity_max,
            "anode_li": li,
            "np_ratio": np_ratio,
            "np_source": np_source,
            "ids": ",".join(sorted(rows["id"])),
        })
    columns = ["study", "gradient", "cathode", "cell_format", "electrolyte", "cathode_loading", "cathode_loading_max",
               "cathode_loading_unit", "cathode_capacity", "cathode_capacity_max", "anode_li", "np_ratio", "np_source", "ids"]
    out = pd.DataFrame(cells, columns=columns)
    return out.sort_values("ids", kind="stable").reset_index(drop=True)
