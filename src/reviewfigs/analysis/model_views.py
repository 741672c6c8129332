"""The models applied to the review's own data: energy per full cell, reported CE and the layer table.

Each function takes a table of the book's data and returns a plain DataFrame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..models._cycle import cycle_life
from ..models._energy import CATHODES, cell_energy_density
from ..models._hosts import Host
from ..models._porous import EVEN_BAND, deposition_mode, deposition_profile

CE_COLUMNS = ("study", "gradient", "sample", "quantity", "value", "unit", "at_cycle", "current_density",
              "areal_capacity", "source")


def _require(tidy: pd.DataFrame, columns) -> None:
    missing = [c for c in columns if c not in tidy.columns]
    if missing:
        raise ValueError(f"the table lacks column(s) {', '.join(missing)}; expected {', '.join(columns)}")


def cell_energies(cells: pd.DataFrame, *, ec_ratio: float = 3.0) -> pd.DataFrame:
    """The full cells of :func:`~reviewfigs.analysis.cells.full_cells` with the specific energy of their design.

    ``energy_density`` (Wh/kg) is what :func:`~reviewfigs.models.cell_energy_density` gives for the
    cell's cathode capacity and N/P at ``ec_ratio`` g/Ah, by default the review's lean-electrolyte
    threshold, because no full cell reports its electrolyte amount; NaN where either is unknown.
    """
    energies = []
    for _, cell in cells.iterrows():
        known = np.isfinite(cell["cathode_capacity"]) and np.isfinite(cell["np_ratio"]) and cell["cathode"] in CATHODES
        energies.append(float(cell_energy_density(cell["cathode_capacity"], cell["np_ratio"], ec_ratio,
                                                  cathode=cell["cathode"])) if known else np.nan)
    return cells.assign(energy_density=energies)


def reported_ce_cycle_life(tidy: pd.DataFrame, *, np_ratio: float = 2.0, convention: str = "lithiated") -> pd.DataFrame:
    """Each reported average CE turned into reservoir cycles at ``np_ratio`` with :func:`cycle_life`.

    These CE values come from Li||host half cells, so the result says what a full cell with that CE and
    N/P could reach, not what any study measured.
    """
    _require(tidy, CE_COLUMNS)
    ce = tidy[(tidy["quantity"] == "average_ce") & tidy["value"].notna()]
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
