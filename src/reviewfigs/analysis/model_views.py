"""The models applied to the review's own data: energy per full cell, reported CE and the layer table.

Each function takes a table of the book's data and returns a plain DataFrame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..models import (
    CATHODES,
    EVEN_BAND,
    F_OVER_RT,
    KAPPA_EFF,
    LITHIATION_REACTIONS,
    DepositionProfile,
    Host,
    bottom_fraction_vs_thickness,
    cell_energy_density,
    cycle_life,
    deposition_mode,
    deposition_profile,
    four_hosts,
    pore_electrolyte_ratio,
    sei_li_loss,
    specific_li_uptake,
)

CE_COLUMNS = ("study", "gradient", "sample", "quantity", "value", "unit", "at_cycle", "current_density",
              "areal_capacity", "source")


def _require(tidy: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in tidy.columns]
    if missing:
        raise ValueError(f"the table lacks column(s) {', '.join(missing)}; expected {', '.join(columns)}")


def cell_energies(cells: pd.DataFrame, *, ec_ratio: float) -> pd.DataFrame:
    """The full cells of :func:`~reviewfigs.analysis.cells.full_cells` with the specific energy of their design.

    ``energy_density`` (Wh/kg) is what :func:`~reviewfigs.models.cell_energy_density` gives for the
    cell's cathode capacity and N/P at ``ec_ratio`` g/Ah (the book passes the review's lean-electrolyte
    threshold from thresholds.csv), because no full cell reports its electrolyte amount; NaN where either is unknown.
    """
    energies = []
    for _, cell in cells.iterrows():
        known = np.isfinite(cell["cathode_capacity"]) and np.isfinite(cell["np_ratio"]) and cell["cathode"] in CATHODES
        energies.append(float(cell_energy_density(cell["cathode_capacity"], cell["np_ratio"], ec_ratio,
                                                  cathode=cell["cathode"])) if known else np.nan)
    return cells.assign(energy_density=energies)


def reported_ce_cycle_life(tidy: pd.DataFrame, *, np_ratio: float = 2.0, convention: str = "lithiated") -> pd.DataFrame:
    """Each reported average CE turned into reservoir cycles at ``np_ratio`` with :func:`cycle_life`.

    These CE values come mostly from Li||host half cells (``cell_type`` says which; a paper may not state
    it), so the result says what a full cell with that CE and N/P could reach, not what any study measured.
    """
    _require(tidy, CE_COLUMNS)
    ce = tidy[(tidy["quantity"] == "average_ce") & tidy["value"].notna()]
    if (ce["unit"] != "%").any():
        raise ValueError("average_ce rows must be in %; found " + ", ".join(sorted(set(ce["unit"]) - {"%"})))
    return pd.DataFrame({
        "study": ce["study"], "gradient": ce["gradient"], "sample": ce["sample"], "cell_type": ce["cell_type"],
        "average_ce_percent": ce["value"], "over_cycles": ce["at_cycle"],
        "current_density": ce["current_density"], "areal_capacity": ce["areal_capacity"],
        "predicted_cycles": cycle_life(ce["value_fraction"].to_numpy(), np_ratio, convention=convention),
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


# ------------------------------------------------------------------ the models chapter's scenarios
#: interfacial area per volume (1/m) of the models chapter's hosts ("the larger interfacial area of the text")
SPECIFIC_AREA = 1e6
#: current density (mA/cm²) of the chapter's profiles; the normalised profiles do not depend on it
CURRENT_REF = 1.0
#: thickness (µm) of the Ag coat of the Cu@Ag caricature, kept when the carbon above it grows
AG_UM = 1.0
#: host thicknesses (µm) of the bottom-share curves
THICKNESS_GRID_UM = np.arange(10, 160, 10)
#: the measurement rows holding the thicknesses of the review's MOF-C(t) hosts (Sect. 2.1)
MOF_THICKNESS_ROWS = ("m011", "m012")


def four_host_profiles(*, specific_area: float = SPECIFIC_AREA, current_density: float = CURRENT_REF) -> dict[str, DepositionProfile]:
    """Plating profile of each host of :func:`~reviewfigs.models.four_hosts` (uniform, the three gradients)."""
    return {name: deposition_profile(host, current_density=current_density)
            for name, host in four_hosts(specific_area=specific_area).items()}


def carbon_on_cu_ag(thickness_um: float, lithiophilic_coat: bool = True, *, specific_area: float = SPECIFIC_AREA) -> Host:
    """Weakly lithiophilic carbon over a strongly lithiophilic Ag coat of :data:`AG_UM` (or over bare Cu)."""
    coat = {"lithiophilicity": 3, "conductivity": 3} if lithiophilic_coat else {"lithiophilicity": 1, "conductivity": 2}
    return Host.from_layers([
        {"position": 1, "thickness_rel": AG_UM, **coat},
        {"position": 2, "thickness_rel": thickness_um - AG_UM, "lithiophilicity": 1, "conductivity": 2},
    ], thickness_um=thickness_um, specific_area=specific_area)


def bottom_fraction_curves(thickness_um: ArrayLike = THICKNESS_GRID_UM, *,
                           specific_area: float = SPECIFIC_AREA) -> dict[str, np.ndarray]:
    """Share plated in the bottom half against thickness: carbon on Cu@Ag, carbon on Cu, the dual-graded host."""
    dual = four_hosts(specific_area=specific_area)["dual-graded"]
    return {
        "carbon on Cu@Ag (lithiophilic bottom)": bottom_fraction_vs_thickness(
            lambda t: carbon_on_cu_ag(t, specific_area=specific_area), thickness_um),
        "carbon on Cu (uniform)": bottom_fraction_vs_thickness(
            lambda t: carbon_on_cu_ag(t, False, specific_area=specific_area), thickness_um),
        "dual-graded host": bottom_fraction_vs_thickness(dual, thickness_um),
    }


def mof_thicknesses(tidy: pd.DataFrame) -> list[float]:
    """The thicknesses (µm) of the review's MOF-C(t) hosts, as ``data/measurements.csv`` gives them."""
    return [float(v) for v in tidy.set_index("id").loc[list(MOF_THICKNESS_ROWS), "value"]]


# ------------------------------------------------------------- where gradient hosts meet practical cells
#: additive recorded in layers.csv `particles` -> the reaction that binds Li (Li3N comes from g-C3N4)
ADDITIVE_OF_PARTICLE = {"ZnO": "ZnO", "SiO2": "SiO2", "Li3N": "g-C3N4"}


def area_sei_tradeoff(roughness: ArrayLike, *, cathode_capacity: float, sei_thickness_nm: float = 20.0) -> pd.DataFrame:
    """The two faces of the roughness factor aL: Sand's time grows as (aL)², the SEI-covered area as aL.

    ``sei_li`` (mAh/cm²) is the Li bound in a ``sei_thickness_nm`` SEI of dense Li2O over the whole area
    (:func:`~reviewfigs.models.sei_li_loss`, an upper bound per nm), and ``share_of_np1`` that Li as a share
    of the Li inventory of an N/P = 1 cell with ``cathode_capacity`` mAh/cm².
    """
    al = np.asarray(roughness, dtype=np.float64)
    loss = np.asarray(sei_li_loss(al, sei_thickness_nm), dtype=np.float64)
    return pd.DataFrame({"roughness": al, "sand_time_gain": al**2, "sei_area_gain": al, "sei_li": loss,
                         "share_of_np1": loss / cathode_capacity})


def additive_li_costs(layers: pd.DataFrame, *, cathode_capacity: float, share: float = 0.1) -> pd.DataFrame:
    """Each study whose layers carry an additive that binds Li irreversibly on first contact: Li bound per
    mg of additive, and the additive loading (mg/cm²) that would bind ``share`` of the Li of an N/P = 1 cell
    with ``cathode_capacity`` mAh/cm². The review gives no additive loadings, so this is a budget, not a
    number for any one study."""
    _require(layers, ("study", "particles"))
    rows = []
    for study, spec in layers.groupby("study", sort=False):
        for particle in dict.fromkeys(spec["particles"].dropna()):
            if particle not in ADDITIVE_OF_PARTICLE:
                continue
            reaction = LITHIATION_REACTIONS[ADDITIVE_OF_PARTICLE[particle]]
            uptake = specific_li_uptake(reaction)
            rows.append({"study": study, "particle": particle, "additive": reaction.formula,
                         "reaction": reaction.equation, "li_mAh_per_g": uptake,
                         "loading_for_share": 1000.0 * share * cathode_capacity / uptake})
    return pd.DataFrame(rows, columns=["study", "particle", "additive", "reaction", "li_mAh_per_g", "loading_for_share"])


def pore_electrolyte_table(thicknesses_um: ArrayLike, *, porosity: float, cathode_capacity: float, li_areal: float,
                           threshold: float) -> pd.DataFrame:
    """The electrolyte (g/Ah) a flooded host of each thickness holds, empty and with ``li_areal`` mAh/cm² of
    dense Li inside, against the lean-electrolyte ``threshold`` (g/Ah)."""
    t = np.asarray(thicknesses_um, dtype=np.float64)
    empty = np.asarray(pore_electrolyte_ratio(t, porosity, cathode_capacity), dtype=np.float64)
    filled = np.asarray(pore_electrolyte_ratio(t, porosity, cathode_capacity, li_areal), dtype=np.float64)
    return pd.DataFrame({"thickness_um": t, "empty_g_per_Ah": empty, "with_li_g_per_Ah": filled,
                         "empty_share_of_threshold": empty / threshold,
                         "with_li_share_of_threshold": filled / threshold})


def interface_resistance_sweep(resistances_ohm_cm2: ArrayLike, *, specific_area: float = 1e6, thickness_um: float = 100.0,
                               sigma_eff: float = 1e3) -> pd.DataFrame:
    """Bottom-half share of a uniform host when its interface resistance per cm² of footprint is each value.

    The linearised kinetics give a reaction resistance 1/(aL i0 f) per footprint; an SEI or any other
    interfacial resistance adds to it, so each value is turned into the equivalent i0. ``nu`` is the
    ratio of ohmic to interfacial resistance, sqrt(L (1/kappa + 1/sigma) / R).
    """
    r = np.asarray(resistances_ohm_cm2, dtype=np.float64)
    al = specific_area * thickness_um * 1e-6
    i0 = 1.0 / (al * F_OVER_RT * r * 1e-4)  # A/m² from Ω·m²
    ohmic = thickness_um * 1e-6 * (1 / KAPPA_EFF + 1 / sigma_eff) * 1e4  # Ω·cm²
    shares = [deposition_profile(Host.uniform(thickness_um=thickness_um, sigma_eff=sigma_eff, i0=float(i),
                                              specific_area=specific_area), n=400).bottom_fraction for i in i0]
    return pd.DataFrame({"interface_ohm_cm2": r, "i0": i0, "nu": np.sqrt(ohmic / r), "bottom_fraction": shares})


def overpotential_resistances(tidy: pd.DataFrame) -> pd.DataFrame:
    """Symmetric-cell overpotentials of hosts as an upper bound on each electrode's interface resistance:
    eta / (2 J) in Ω·cm² (two electrodes in series; the separator's resistance is included)."""
    _require(tidy, ("id", "study", "role", "cell_type", "quantity", "value", "bound", "current_density"))
    rows = tidy[(tidy["role"] == "host") & (tidy["cell_type"] == "symmetric") & (tidy["quantity"] == "overpotential")
                & tidy["current_density"].notna()]
    return pd.DataFrame({"id": rows["id"], "study": rows["study"], "overpotential_mV": rows["value"],
                         "bound": rows["bound"], "current_density": rows["current_density"],
                         "per_electrode_ohm_cm2": rows["value"] / (2 * rows["current_density"])}).reset_index(drop=True)
