"""The models applied to the review's own data: full cells, reported CE and the layer table.

Each function takes a table of the book's data and returns a plain DataFrame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..derived import SPECIFIC_CAPACITY_MAH_G
from ._cycle import cycle_life
from ._energy import cathode_defaults, cell_energy_density
from ._hosts import Host
from ._porous import EVEN_BAND, deposition_mode, deposition_profile

FULL_CELL_COLUMNS = ("id", "study", "gradient", "cell_type", "cell_format", "cathode", "cathode_loading",
                     "cathode_loading_unit", "anode_li", "anode_li_unit", "np_ratio", "source")
CE_COLUMNS = ("study", "gradient", "sample", "quantity", "value", "unit", "at_cycle", "current_density",
              "areal_capacity", "source")
SEPARATE_ELECTROLYTES = ("solid-state", "quasi-solid")
SAME_LOADING = 0.05  # loadings within 5 % are one cell printed twice (e.g. 9.8 and 9.75 mg)


def _require(tidy: pd.DataFrame, columns) -> None:
    missing = [c for c in columns if c not in tidy.columns]
    if missing:
        raise ValueError(f"the table lacks column(s) {', '.join(missing)}; expected {', '.join(columns)}")


def _cells_of(group: pd.DataFrame) -> list[pd.DataFrame]:
    """Split one study/cathode/electrolyte group into cells by loading; rows without one join a lone cell."""
    known = group[group["cathode_loading"].notna()].sort_values("cathode_loading", kind="stable")
    cells: list[list] = []
    for index, row in known.iterrows():
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
    else:
        cells.extend([row] for row in unknown)
    return [pd.DataFrame(rows) for rows in cells]


def _one_cell(rows: pd.DataFrame, ec_ratio: float) -> dict:
    """Merge the rows describing one cell (Table 1 first, then text) and apply the energy model."""
    rows = rows.assign(_table=rows["source"] != "Table 1").sort_values(["_table", "id"], kind="stable")
    first = rows.iloc[0]
    pick = {c: rows[c].dropna().iloc[0] if rows[c].notna().any() else np.nan for c in
            ("cathode_loading", "cathode_loading_unit", "anode_li", "anode_li_unit", "np_ratio")}
    formats = [f for f in rows["cell_format"] if f != "unspecified"]
    cathode = cathode_defaults(first["cathode"])
    unit, loading = pick["cathode_loading_unit"], pick["cathode_loading"]
    # the same nominal capacities as the book's figures and tables, so every page agrees on a cell
    nominal = SPECIFIC_CAPACITY_MAH_G.get(first["cathode"], cathode.specific_capacity)
    specific = nominal if unit == "mg/cm2" else np.nan
    capacity = {"mg/cm2": loading * specific / 1000.0, "mAh/cm2": loading}.get(unit, np.nan)
    np_ratio, np_source = pick["np_ratio"], "reported"
    if pd.isna(np_ratio):
        computable = pick["anode_li_unit"] == "mAh/cm2" and np.isfinite(capacity)
        np_ratio, np_source = (pick["anode_li"] / capacity, "computed") if computable else (np.nan, "")
    electrolyte = first["cell_format"] if first["cell_format"] in SEPARATE_ELECTROLYTES else "liquid"
    energy = (cell_energy_density(capacity, np_ratio, ec_ratio, cathode=first["cathode"], specific_capacity=nominal)
              if np.isfinite(capacity) and np.isfinite(np_ratio) else np.nan)
    label = f"{first['study']} ({first['cathode']}{'' if electrolyte == 'liquid' else ', ' + electrolyte})"
    return {"study": first["study"], "gradient": first["gradient"], "cathode": first["cathode"],
            "electrolyte": electrolyte, "cell_format": formats[0] if formats else "unspecified",
            "cathode_loading": loading, "cathode_loading_unit": unit, "specific_capacity": specific,
            "cathode_capacity": capacity, "anode_li": pick["anode_li"], "anode_li_unit": pick["anode_li_unit"],
            "np_ratio": np_ratio, "np_source": np_source, "energy_density": energy, "label": label,
            "measurements": ";".join(sorted(rows["id"]))}


def full_cells(tidy: pd.DataFrame, *, ec_ratio: float = 3.0) -> pd.DataFrame:
    """One row per full cell of the review, with its cathode areal capacity, N/P and specific energy.

    Rows of the same study, cathode and electrolyte (liquid, solid-state, quasi-solid) whose loadings
    agree within 5 % describe one cell. Areal capacity (mAh/cm²) = loading x the cathode's default
    specific capacity of :data:`reviewfigs.derived.SPECIFIC_CAPACITY_MAH_G` (or the loading itself when printed in mAh/cm²; NaN for a
    total mass in mg). N/P is the reported value, else Li (mAh/cm²) / cathode capacity. The specific
    energy (Wh/kg) is what :func:`cell_energy_density` gives for that design at ``ec_ratio`` g/Ah, by
    default the review's lean-electrolyte threshold, because no full cell reports its electrolyte amount.
    """
    _require(tidy, FULL_CELL_COLUMNS)
    full = tidy[tidy["cell_type"] == "full"].copy()
    full["_electrolyte"] = full["cell_format"].where(full["cell_format"].isin(SEPARATE_ELECTROLYTES), "liquid")
    groups = full.groupby(["study", "cathode", "_electrolyte"], sort=False)
    cells = [_one_cell(cell, ec_ratio) for _, group in groups for cell in _cells_of(group)]
    return pd.DataFrame(cells)


def reported_ce_cycle_life(tidy: pd.DataFrame, *, np_ratio: float = 2.0, convention: str = "lithiated") -> pd.DataFrame:
    """Each reported average CE turned into reservoir cycles at ``np_ratio`` with :func:`cycle_life`.

    These CE values come from Li||host half cells, so the result says what a full cell with that CE and
    N/P could reach, not what any study measured.
    """
    _require(tidy, CE_COLUMNS)
    ce = tidy[tidy["quantity"] == "average_ce"]
    if (ce["unit"] != "%").any():
        raise ValueError("average_ce rows must be in %; found " + ", ".join(sorted(set(ce["unit"]) - {"%"})))
    return pd.DataFrame({
        "study": ce["study"], "gradient": ce["gradient"], "sample": ce["sample"],
        "average_ce_percent": ce["value"], "over_cycles": ce["at_cycle"],
        "current_density": ce["current_density"], "areal_capacity": ce["areal_capacity"],
        "predicted_cycles": cycle_life(ce["value"].to_numpy() / 100.0, np_ratio, convention=convention),
        "source": ce["source"],
    }).reset_index(drop=True)


def layer_deposition(layers: pd.DataFrame, *, thickness_um: float = 100.0, specific_area: float = 1e6,
                     studies: pd.DataFrame | None = None, band: float = EVEN_BAND) -> pd.DataFrame:
    """Where the deposition model puts lithium in each study's layered host (``reviewfigs.review().layers``).

    Every host is set to the same ``thickness_um`` and ``specific_area`` so that only the layer design
    differs (few layers report absolute thicknesses). Columns: study, layers, bottom_fraction (share
    plated in the bottom half), peak_depth (depth of the highest plating rate, 0 top, 1 collector) and
    model_mode (:func:`deposition_mode` of the share, with ``band``). Given ``studies`` (columns study
    and deposition_mode, the mode each study claims), also claimed_mode and agrees (model_mode equals
    the claimed mode; None where no mode is claimed).
    """
    _require(layers, ("study", "position", "thickness_rel", "lithiophilicity", "conductivity"))
    rows = []
    for study, spec in layers.groupby("study", sort=False):
        host = Host.from_layers(spec, thickness_um=thickness_um, specific_area=specific_area)
        profile = deposition_profile(host, n=400)
        rows.append({"study": study, "layers": len(spec), "bottom_fraction": profile.bottom_fraction,
                     "peak_depth": profile.peak_depth, "model_mode": deposition_mode(profile.bottom_fraction, band)})
    table = pd.DataFrame(rows, columns=["study", "layers", "bottom_fraction", "peak_depth", "model_mode"])
    if studies is None:
        return table
    _require(studies, ("study", "deposition_mode"))
    claimed = studies.drop_duplicates("study").set_index("study")["deposition_mode"]
    table["claimed_mode"] = table["study"].map(claimed)
    table["agrees"] = [None if pd.isna(c) or not c else c == m for c, m in zip(table["claimed_mode"], table["model_mode"])]
    return table
