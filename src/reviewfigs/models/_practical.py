"""What a host costs a practical cell: lithium and electrolyte it binds, and the room it must offer.

These are the book's own estimates (the review gives none of them), written as plain mass and
volume balances so that each can be checked by hand:

* :func:`sei_li_loss`: lithium bound in an SEI that covers the host's whole wetted area; the
  roughness factor aL multiplies this area exactly as it divides the local current density.
* :func:`additive_li_loss`: lithium consumed on the first contact by a lithiophilic additive that
  reacts irreversibly (ZnO, SiO2, g-C3N4), per mg/cm² of additive (:data:`LITHIATION_REACTIONS`).
* :func:`pore_electrolyte_ratio`: electrolyte (g/Ah) that the free pores of a host hold when flooded.
* :func:`host_thickness_for`: the thickness a host needs to hold a given amount of dense lithium.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ._units import FARADAY, MAH_TO_C, li_thickness_um
from ._validate import Value, as_fraction, as_nonnegative, as_positive, match_input

#: Molar masses (g/mol) used below.
MOLAR_MASS = {"Li2O": 29.881, "ZnO": 81.38, "SiO2": 60.084, "C3N4": 92.06}
#: Density of Li2O (g/cm³), the Li-richest common SEI component: an upper bound on Li per SEI volume.
RHO_LI2O = 2.013
#: Electrolyte density (g/cm³) of a 1 M LiPF6 carbonate or LiTFSI ether solution (1.1-1.3).
ELECTROLYTE_DENSITY = 1.2


class Reaction(NamedTuple):
    """An irreversible first-contact reaction of an additive with Li: ``li_per_unit`` Li per formula unit."""

    formula: str
    molar_mass: float
    li_per_unit: float
    equation: str


#: Reactions by which lithiophilic additives of the review bind Li for good on first contact.
LITHIATION_REACTIONS: dict[str, Reaction] = {
    "ZnO": Reaction("ZnO", MOLAR_MASS["ZnO"], 3.0, "ZnO + 3 Li → LiZn + Li2O"),
    "SiO2": Reaction("SiO2", MOLAR_MASS["SiO2"], 4.0, "SiO2 + 4 Li → Si + 2 Li2O (Si then alloys reversibly)"),
    "g-C3N4": Reaction("g-C3N4", MOLAR_MASS["C3N4"], 12.0, "C3N4 + 12 Li → 4 Li3N + 3 C"),
}


def specific_li_uptake(reaction: Reaction) -> float:
    """Li bound per gram of additive, in mAh/g: n F / M."""
    return float(reaction.li_per_unit * FARADAY / reaction.molar_mass / MAH_TO_C)


def additive_li_loss(loading_mg_cm2: ArrayLike, additive: str) -> Value:
    """Li (mAh/cm²) an additive loading (mg/cm²) binds on first contact, by :data:`LITHIATION_REACTIONS`."""
    if additive not in LITHIATION_REACTIONS:
        raise ValueError(f"unknown additive {additive!r}; known: {', '.join(LITHIATION_REACTIONS)}")
    loading = as_positive(loading_mg_cm2, "loading_mg_cm2", "mg/cm²")
    return match_input(loading / 1000.0 * specific_li_uptake(LITHIATION_REACTIONS[additive]), loading_mg_cm2)


def sei_li_loss(roughness: ArrayLike, sei_thickness_nm: ArrayLike = 20.0, li2o_fraction: ArrayLike = 1.0) -> Value:
    """Li (mAh/cm² of electrode footprint) bound in an SEI of ``sei_thickness_nm`` over ``roughness`` (aL)
    cm² of wetted area per cm² of footprint, counting the SEI as ``li2o_fraction`` of dense Li2O."""
    al = as_positive(roughness, "roughness", "")
    nm = as_positive(sei_thickness_nm, "sei_thickness_nm", "nm")
    share = as_fraction(li2o_fraction, "li2o_fraction")
    mol_li_per_cm2 = 2.0 * RHO_LI2O / MOLAR_MASS["Li2O"] * nm * 1e-7 * share  # per cm² of wetted area
    return match_input(al * mol_li_per_cm2 * FARADAY / MAH_TO_C, roughness, sei_thickness_nm, li2o_fraction)


def pore_electrolyte_ratio(thickness_um: ArrayLike, porosity: ArrayLike, cathode_capacity: ArrayLike,
                           li_areal: ArrayLike = 0.0, *, density: float = ELECTROLYTE_DENSITY) -> Value:
    """Electrolyte (g/Ah) held by the pores of a host that dense Li (``li_areal`` mAh/cm²) has not filled,
    per Ah of cathode capacity: the host's share of an E/C ratio."""
    thickness = as_positive(thickness_um, "thickness_um", "µm")
    eps = as_fraction(porosity, "porosity")
    q = as_positive(cathode_capacity, "cathode_capacity", "mAh/cm²")
    li = as_nonnegative(li_areal, "li_areal", "mAh/cm²")
    free_um = np.maximum(eps * thickness - li_thickness_um(li), 0.0)
    ratio = free_um * 1e-4 * density * 1000.0 / q  # mg/cm² over mAh/cm² = g/Ah
    return match_input(ratio, thickness_um, porosity, cathode_capacity, li_areal)


def host_thickness_for(li_areal: ArrayLike, porosity: ArrayLike, packing: ArrayLike = 1.0) -> Value:
    """Thickness (µm) a host of ``porosity`` needs to hold ``li_areal`` mAh/cm² of Li packed at ``packing``."""
    eps = as_fraction(porosity, "porosity")
    fill = as_fraction(packing, "packing")
    return match_input(li_thickness_um(li_areal) / (eps * fill), li_areal, porosity, packing)
