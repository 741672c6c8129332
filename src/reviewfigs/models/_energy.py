"""Cell-level energy density of a Li-metal pouch stack, from areal capacity, N/P and electrolyte.

The repeat unit of a stacked pouch holds one cathode coating, one Li (plus host) layer, one
separator and half of each double-coated current-collector foil (Liu J et al. 2019 give the same
bookkeeping). Masses per cm²:

    cathode  1000 Q / (q w)        Li  1000 (N/P) Q / 3860       electrolyte (E/C) Q
    Al, Cu   density x foil thickness / 2                         separator, host as given
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._units import LI_SPECIFIC_CAPACITY, li_thickness_um
from ._validate import Array, Value, as_fraction, as_nonnegative, as_positive, match_input

AL_DENSITY = 2.70  # g/cm³
CU_DENSITY = 8.96  # g/cm³


@dataclass(frozen=True)
class Cathode:
    """Defaults for one cathode chemistry.

    specific_capacity: mAh per g of active material (per g of S for S and SPAN); voltage: average
    discharge voltage against Li in V; active_fraction: active mass over coating mass; coating_density:
    calendered coating density in g/cm³ (pores included); lithiated: the cathode brings its own Li (so
    the anode's Li is all excess, see :func:`cycle_life`).
    """

    specific_capacity: float
    voltage: float
    active_fraction: float
    coating_density: float
    lithiated: bool
    note: str = ""


#: The one table of cathode specific capacities in the library (every page and figure reads it).
#: The capacities are nominal practical values within each usual range. With them two of the four
#: N/P ratios the review prints beside a loading in mg/cm² and the Li come out as printed (SiC/CC 3.0
#: mAh/cm² of Li over 4.5 mg/cm² of LFP at 150 mAh/g gives 4.4; LNO-CGH 5.0 over 11 mg/cm² of NCM811
#: at 200 mAh/g gives 2.3); LNO-CGH//NCM111 and ZGIL//LCO do not
#: (:func:`reviewfigs.analysis.cells.np_consistency`). Voltages,
#: active fractions and coating densities are typical values (Liu J et al. 2019 use the same kind of
#: budget); the NCM111, LTO and SPAN rows and all coating densities are this book's assumptions.
CATHODES: dict[str, Cathode] = {
    "NCM811": Cathode(200.0, 3.8, 0.96, 3.4, True, "usual range 190-210 mAh/g"),
    "NCM622": Cathode(175.0, 3.75, 0.96, 3.4, True, "usual range 175-180 mAh/g"),
    "NCM111": Cathode(150.0, 3.7, 0.96, 3.2, True, "assumed: 150 mAh/g at 3.7 V"),
    "LCO": Cathode(140.0, 3.9, 0.96, 4.0, True, "usual range 140-150 mAh/g to 4.2-4.3 V; about 180 at 4.45 V"),
    "LFP": Cathode(150.0, 3.4, 0.96, 2.3, True, "usual range 150-160 mAh/g"),
    "LTO": Cathode(165.0, 1.55, 0.96, 2.0, False, "assumed: 165 mAh/g at 1.55 V; Li-free against Li metal"),
    "S": Cathode(1000.0, 2.1, 0.65, 1.0, False, "per g of S; usual range 1000-1200 of 1675 mAh/g(S); S is 60-70 % of the coating"),
    "SPAN": Cathode(1000.0, 1.9, 0.30, 1.2, False, "assumed: per g of S; S is about 40 % of SPAN, SPAN 75 % of the coating"),
}


def cathode_defaults(name: str) -> Cathode:
    """The :data:`CATHODES` entry for ``name``, or a ValueError listing the known cathodes."""
    if name not in CATHODES:
        raise ValueError(f"unknown cathode {name!r}; known cathodes: {', '.join(CATHODES)}")
    return CATHODES[name]


def _cathode_inputs(cathode: str, specific_capacity: ArrayLike | None, voltage: ArrayLike | None,
                    active_fraction: ArrayLike | None) -> tuple[Cathode, Array, Array, Array]:
    defaults = cathode_defaults(cathode)
    q = as_positive(defaults.specific_capacity if specific_capacity is None else specific_capacity,
                    "specific_capacity", "mAh/g")
    v = as_positive(defaults.voltage if voltage is None else voltage, "voltage", "V")
    w = as_fraction(defaults.active_fraction if active_fraction is None else active_fraction, "active_fraction")
    if np.any(w == 0):
        raise ValueError("active_fraction must be > 0: a coating needs some active material")
    return defaults, q, v, w


def _packaging(packaging_fraction: ArrayLike) -> Array:
    return as_fraction(packaging_fraction, "packaging_fraction", allow_one=False)


def cell_energy_density(cathode_capacity: ArrayLike, np_ratio: ArrayLike, ec_ratio: ArrayLike, *, cathode: str = "NCM811",
                        specific_capacity: ArrayLike | None = None, voltage: ArrayLike | None = None,
                        active_fraction: ArrayLike | None = None, al_um: ArrayLike = 12.0, cu_um: ArrayLike = 8.0,
                        separator_mg: ArrayLike = 1.0, host_mass: ArrayLike = 0.0,
                        packaging_fraction: ArrayLike = 0.0) -> Value:
    """Specific energy in Wh/kg of a Li-metal pouch stack (scalars or broadcastable arrays).

    ``cathode_capacity``: mAh/cm² per cathode coating; ``np_ratio``: Li on the anode over cathode
    capacity (0 = anode-free); ``ec_ratio``: electrolyte in g/Ah. ``cathode`` picks defaults from
    :data:`CATHODES`, overridden by ``specific_capacity`` (mAh/g), ``voltage`` (V) and
    ``active_fraction``. Foils in µm, ``separator_mg`` and ``host_mass`` in mg/cm²;
    ``packaging_fraction`` is the share of the cell mass outside the stack (0.05-0.10 for large pouches).
    """
    q_c = as_positive(cathode_capacity, "cathode_capacity", "mAh/cm²")
    n_p = as_nonnegative(np_ratio, "np_ratio", "(Li capacity / cathode capacity)")
    e_c = as_nonnegative(ec_ratio, "ec_ratio", "g/Ah")
    _, q, v, w = _cathode_inputs(cathode, specific_capacity, voltage, active_fraction)
    foils = 1000.0 * (AL_DENSITY * as_nonnegative(al_um, "al_um", "µm")
                      + CU_DENSITY * as_nonnegative(cu_um, "cu_um", "µm")) * 1e-4 / 2.0
    fixed = foils + as_nonnegative(separator_mg, "separator_mg", "mg/cm²") + as_nonnegative(host_mass, "host_mass", "mg/cm²")
    mass = 1000.0 * q_c / (q * w) + 1000.0 * n_p * q_c / LI_SPECIFIC_CAPACITY + e_c * q_c + fixed  # mg/cm²
    energy = 1000.0 * q_c * v / mass * (1.0 - _packaging(packaging_fraction))
    return match_input(energy, cathode_capacity, np_ratio, ec_ratio)


def cell_energy_density_volumetric(cathode_capacity: ArrayLike, np_ratio: ArrayLike, *, cathode: str = "NCM811",
                                   specific_capacity: ArrayLike | None = None, voltage: ArrayLike | None = None,
                                   active_fraction: ArrayLike | None = None, coating_density: ArrayLike | None = None,
                                   al_um: ArrayLike = 12.0, cu_um: ArrayLike = 8.0, separator_um: ArrayLike = 16.0,
                                   host_thickness_um: ArrayLike = 0.0, packaging_fraction: ArrayLike = 0.0) -> Value:
    """Energy density in Wh/L of the same repeat unit as :func:`cell_energy_density`, in the charged state.

    A stack must fit its thickest state, which for a Li-metal anode is full charge. Thickness assumptions:
    the cathode coating is its mass over ``coating_density`` (g/cm³, default from :data:`CATHODES`); the
    anode holds, at full charge, the pre-stored Li (N/P) Q_c plus, with a lithiated cathode, the Q_c
    plated from the cathode, so (N/P + 1) Q_c (N/P Q_c with a Li-free cathode such as S or LTO, whose
    anode is thickest before discharge); the anode is that much dense Li (:func:`li_thickness_um`,
    about 4.85 µm per mAh/cm²) or the host, whichever is thicker (plated Li fills the host's pores,
    porosity taken as 1); half of each foil; a ``separator_um`` separator; the electrolyte sits in
    pores and adds no thickness. ``packaging_fraction`` is the volume share outside the stack.
    """
    q_c = as_positive(cathode_capacity, "cathode_capacity", "mAh/cm²")
    n_p = as_nonnegative(np_ratio, "np_ratio", "(Li capacity / cathode capacity)")
    defaults, q, v, w = _cathode_inputs(cathode, specific_capacity, voltage, active_fraction)
    rho = as_positive(defaults.coating_density if coating_density is None else coating_density,
                      "coating_density", "g/cm³")
    cathode_um = q_c / (q * w) / rho * 1e4
    charged_li = (n_p + 1.0) * q_c if defaults.lithiated else n_p * q_c  # mAh/cm² on the anode at full charge
    anode_um = np.maximum(li_thickness_um(charged_li), as_nonnegative(host_thickness_um, "host_thickness_um", "µm"))
    foils_um = (as_nonnegative(al_um, "al_um", "µm") + as_nonnegative(cu_um, "cu_um", "µm")) / 2.0
    stack_cm = (cathode_um + anode_um + foils_um + as_nonnegative(separator_um, "separator_um", "µm")) * 1e-4
    energy = q_c * v / stack_cm * (1.0 - _packaging(packaging_fraction))  # mWh/cm³ = Wh/L
    return match_input(energy, cathode_capacity, np_ratio)
