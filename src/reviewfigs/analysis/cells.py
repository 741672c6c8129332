"""One row per full cell: the single definition every table, figure and model of the book uses.

The review reports most full cells twice, in its text and in Table 1, and sometimes with slightly
different numbers (a rounding discrepancy such as 9.8 mg vs 9.75 mg of sulfur, D2). Rows describe
one cell when they share the study, the cathode and the electrolyte class (liquid, solid-state,
quasi-solid) and their loadings agree within :data:`SAME_LOADING`. A cell's format is the one its
rows state (Table 1's coin and pouch columns, or the text); when none states one it stays
``unspecified``: the book never invents a format.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .conversions import cathode_areal_capacity, li_to_cathode_ratio
from .lifespans import FAMILY_COLUMNS

#: formats whose electrolyte makes a different cell from the liquid-electrolyte one
SEPARATE_ELECTROLYTES = ("solid-state", "quasi-solid")
#: loadings within 5 % are one cell printed twice
SAME_LOADING = 0.05
#: columns of :func:`full_cells`, in order
CELL_COLUMNS = (
    "cell", "study", "gradient", *FAMILY_COLUMNS, "cathode", "electrolyte_class", "cell_format", "label",
    "cathode_loading", "cathode_loading_max", "cathode_loading_unit",
    "cathode_capacity", "cathode_capacity_max", "capacity_source", "delivered_capacity",
    "anode_li", "anode_li_unit", "np_ratio", "np_source", "electrolyte_amount", "ids",
)


def _electrolyte_class(fmt: str) -> str:
    return fmt if fmt in SEPARATE_ELECTROLYTES else "liquid"


def _split_by_loading(group: pd.DataFrame) -> list[pd.DataFrame]:
    """Cells of one study/cathode/electrolyte group; rows without a loading join the group's lone cell, or
    form one cell together where the group has none or several."""
    known = group[group["cathode_loading"].notna()].sort_values(["cathode_loading", "id"], kind="stable")
    cells: list[list[pd.Series]] = []
    for _, row in known.iterrows():
        first = cells[-1][0] if cells else None
        same = (first is not None and row["cathode_loading_unit"] == first["cathode_loading_unit"]
                and row["cathode_loading"] <= first["cathode_loading"] * (1 + SAME_LOADING))
        if same:
            cells[-1].append(row)
        else:
            cells.append([row])
    unknown = [row for _, row in group[group["cathode_loading"].isna()].iterrows()]
    if len(cells) == 1:
        cells[0].extend(unknown)
    elif unknown:
        cells.append(unknown)  # rows without a loading are one cell (its cycles, capacity, N/P...), never one each
    return [pd.DataFrame(rows) for rows in cells]


def _first(series: pd.Series) -> Any:
    present = series.dropna()
    return present.iloc[0] if len(present) else np.nan


def _stated_format(formats: pd.Series) -> str:
    stated = sorted(set(formats) - {"unspecified"})
    return stated[0] if len(stated) == 1 else ("unspecified" if not stated else "/".join(stated))


def _one_cell(rows: pd.DataFrame) -> dict[str, Any]:
    # Table 1 first (it names the cell), then the text, each in id order
    rows = rows.assign(_text=rows["source"] != "Table 1").sort_values(["_text", "id"], kind="stable")
    first = rows.iloc[0]
    loading = _first(rows["cathode_loading"])
    unit = _first(rows["cathode_loading_unit"])
    loading_max = _first(rows["cathode_loading_max"])
    capacity = cathode_areal_capacity(loading, unit, first["cathode"])
    capacity_max = cathode_areal_capacity(loading_max, unit, first["cathode"])
    capacity_source = {"mAh/cm2": "reported", "mg/cm2": "loading x nominal capacity"}.get(unit, None) \
        if np.isfinite(capacity) else None
    delivered = rows[(rows["quantity"] == "areal_capacity_delivered") & (rows["unit"] == "mAh/cm2")]
    li_rows = rows[rows["anode_li_unit"].notna()]
    anode_li, anode_li_unit = (li_rows.iloc[0]["anode_li"], li_rows.iloc[0]["anode_li_unit"]) if len(li_rows) else (np.nan, np.nan)
    reported_np = _first(rows["np_ratio"])
    np_source: str | None
    if pd.notna(reported_np):
        np_ratio, np_source = float(reported_np), "reported"
    else:
        # a loading range gives a capacity range: the ratio uses its middle
        middle = capacity if pd.isna(capacity_max) else (capacity + capacity_max) / 2
        np_ratio = li_to_cathode_ratio(anode_li, anode_li_unit, middle)
        np_source = "Li/cathode" if pd.notna(np_ratio) else None
    electrolyte_class = _electrolyte_class(first["cell_format"])
    label = f"{first['study']} ({first['cathode']}{'' if electrolyte_class == 'liquid' else ', ' + electrolyte_class})"
    return {
        "study": first["study"], "gradient": first["gradient"], "cathode": first["cathode"],
        **{c: first[c] for c in FAMILY_COLUMNS},
        "electrolyte_class": electrolyte_class, "cell_format": _stated_format(rows["cell_format"]), "label": label,
        "cathode_loading": loading, "cathode_loading_max": loading_max, "cathode_loading_unit": unit,
        "cathode_capacity": capacity, "cathode_capacity_max": capacity_max, "capacity_source": capacity_source,
        "delivered_capacity": float(delivered["value"].iloc[0]) if len(delivered) else np.nan,
        "anode_li": anode_li, "anode_li_unit": anode_li_unit, "np_ratio": np_ratio, "np_source": np_source,
        "electrolyte_amount": _first(rows["electrolyte_amount"]),
        "ids": ",".join(sorted(rows["id"])),
    }


def full_cells(tidy: pd.DataFrame) -> pd.DataFrame:
    """One row per full cell of a host (any study, the review's or added), in order of first data row.

    ``tidy`` is :meth:`reviewfigs.Review.tidy` (or a ``Review``, whose tidy table is used). Cathode
    capacity is the printed mAh/cm² or loading x the book's nominal specific capacity
    (:func:`~reviewfigs.analysis.conversions.specific_capacity`); a total mass gives NaN. N/P is the
    reported ratio (``np_source`` 'reported') or pre-stored Li / cathode capacity ('Li/cathode').
    ``delivered_capacity`` is a delivered areal capacity (mAh/cm²) where the review reports one.
    """
    if hasattr(tidy, "tidy"):
        tidy = tidy.tidy()
    # metal-gas cells (a `chemistry`, no cathode material) have no cathode loading for the review's thresholds
    full = tidy[(tidy["cell_type"] == "full") & (tidy["role"] == "host") & tidy["cathode"].notna()].copy()
    # every page counts from here, several times per build: the same rows give the same cells
    key = full.to_csv(index=False)
    if key not in _CELLS:
        if len(_CELLS) >= 16:
            _CELLS.pop(next(iter(_CELLS)))
        _CELLS[key] = _cells_of(full)
    return _CELLS[key].copy()


_CELLS: dict[str, pd.DataFrame] = {}


def _cells_of(full: pd.DataFrame) -> pd.DataFrame:
    full["_class"] = full["cell_format"].map(_electrolyte_class)
    cells = [_one_cell(cell)
             for _, group in full.groupby(["study", "cathode", "_class"], sort=False, dropna=False)
             for cell in _split_by_loading(group)]
    out = pd.DataFrame(cells, columns=[c for c in CELL_COLUMNS if c != "cell"])
    out = out.sort_values("ids", kind="stable").reset_index(drop=True)
    names = pd.Series([f"{s}//{c}" + ("" if e == "liquid" else f" ({e})") for s, c, e in
                       zip(out["study"], out["cathode"], out["electrolyte_class"])], dtype=object)
    twice = names.duplicated(keep=False)
    names[twice] = [f"{n}, {loading:g} {unit}" for n, loading, unit in
                    zip(names[twice], out.loc[twice, "cathode_loading"], out.loc[twice, "cathode_loading_unit"])]
    out.insert(0, "cell", names)
    return out


#: columns of :func:`longest_full_cell_tests`
LONGEST_COLUMNS = ("study", "cell", "cycles", "cycles_bound", "cycles_id", "retention", "retention_bound",
                   "retention_id", "cathode", "c_rate", "cell_format")


def longest_full_cell_tests(tidy: pd.DataFrame) -> pd.DataFrame:
    """Each study's longest full-cell test and the capacity retention of that same cell.

    A cell's test length is the longest of its ``cycles`` rows and of the ``at_cycle`` of any of its
    rows (a retention "after 120 cycles" is a 120-cycle test even with no ``cycles`` row). Rows belong
    to one cell as :func:`full_cells` groups them, so the retention never comes from another cell.
    Ties: the cell that reports a retention, then the higher retention, then the first data row.
    ``retention`` is the cell's retention at its latest cycle (NaN when the cell reports none).
    """
    if hasattr(tidy, "tidy"):
        tidy = tidy.tidy()
    by_id = tidy.set_index(tidy["id"].rename(None))
    rows = []
    for _, cell in full_cells(tidy).iterrows():
        mine = by_id.loc[cell["ids"].split(",")]
        # (length, bound, from a `cycles` row?, id, C-rate of that test)
        lengths = [(float(r["value"]), r["bound"], True, r["id"], r["c_rate"])
                   for _, r in mine[(mine["quantity"] == "cycles") & mine["value"].notna()].iterrows()]  # a length needs a number
        lengths += [(float(r["at_cycle"]), "=", False, r["id"], r["c_rate"])
                    for _, r in mine[mine["at_cycle"].notna()].iterrows()]
        if not lengths:
            continue
        # the longest; among equal lengths a stated lower bound ('> 600'), then a `cycles` row, then the first id
        length, bound, _, length_id, rate = sorted(lengths, key=lambda x: (-x[0], x[1] != ">", not x[2], x[3]))[0]
        kept = mine[(mine["quantity"] == "capacity_retention") & mine["at_cycle"].notna() & mine["value"].notna()]
        kept = kept.sort_values(["at_cycle", "value", "id"], ascending=[False, False, True], kind="stable")
        retention = kept.iloc[0] if len(kept) else None
        rows.append({"study": cell["study"], "cell": cell["cell"], "cycles": length, "cycles_bound": bound,
                     "cycles_id": length_id,
                     "retention": float(retention["value"]) if retention is not None else np.nan,
                     "retention_bound": retention["bound"] if retention is not None else None,
                     "retention_id": retention["id"] if retention is not None else None,
                     "cathode": cell["cathode"], "c_rate": float(rate) if pd.notna(rate) else np.nan,
                     "cell_format": cell["cell_format"]})
    table = pd.DataFrame(rows, columns=list(LONGEST_COLUMNS))
    table = table.assign(_has=table["retention"].notna()).sort_values(
        ["cycles", "_has", "retention", "cycles_id"], ascending=[False, False, False, True], kind="stable")
    return table.drop_duplicates("study").drop(columns="_has").reset_index(drop=True)


def np_consistency(tidy: pd.DataFrame, *, tolerance: float = 0.05) -> pd.DataFrame:
    """Every full cell for which the review prints the pre-stored Li, the cathode loading and an N/P ratio:
    the ratio recomputed as Li / (loading's capacity), the printed one, and the cathode specific capacity
    the printed ratio implies. ``agrees`` when the two ratios differ by at most ``tolerance`` (relative).

    The review never defines N/P; this tests our reading (Li over cathode capacity) against its values.
    A loading in mg/cm² goes through the book's nominal capacities (:data:`reviewfigs.models.CATHODES`).
    """
    cells = full_cells(tidy)
    cells = cells[(cells["np_source"] == "reported") & (cells["anode_li_unit"] == "mAh/cm2")
                  & cells["cathode_capacity"].notna()]
    computed = cells["anode_li"] / cells["cathode_capacity"]
    per_mg = cells["cathode_loading_unit"] == "mg/cm2"
    implied = (1000 * cells["anode_li"] / (cells["np_ratio"] * cells["cathode_loading"])).where(per_mg)
    out = pd.DataFrame({"cell": cells["cell"], "study": cells["study"], "cathode": cells["cathode"],
                        "anode_li": cells["anode_li"], "cathode_loading": cells["cathode_loading"],
                        "cathode_loading_unit": cells["cathode_loading_unit"],
                        "cathode_capacity": cells["cathode_capacity"], "np_printed": cells["np_ratio"],
                        "np_computed": computed, "implied_specific_capacity": implied,
                        "li_implied": cells["np_ratio"] * cells["cathode_capacity"]})
    out["agrees"] = (out["np_computed"] - out["np_printed"]).abs() <= tolerance * out["np_printed"]
    return out.reset_index(drop=True)


def np_misfits(tidy: pd.DataFrame) -> pd.Series:
    """cell -> the cathode capacity (mAh/g) its printed N/P implies, for the cells whose printed N/P the
    book's nominal capacity does not reproduce (our reading, :func:`np_consistency`; a loading in mg/cm²
    is needed to imply a capacity)."""
    check = np_consistency(tidy)
    misfit = check[~check["agrees"] & check["implied_specific_capacity"].notna()]
    return misfit.set_index("cell")["implied_specific_capacity"]
