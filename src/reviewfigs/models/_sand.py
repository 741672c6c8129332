"""Sand's time: how long a plating current can run before the electrolyte at the surface runs out of Li salt.

Semi-infinite diffusion with a constant flux J t_a/(zF) at the electrode drives the surface
concentration to zero at t_S = pi D (z c0 F)² / (4 (J t_a)²) (Chazalviel 1990; Bai et al. 2016).
After t_S, Li grows from tips (dendrites); before it, the deposit is mossy but compact.
Sand's time assumes a semi-infinite electrolyte; between two electrodes a finite gap l has a steady
state below the limiting current J_lim (:func:`limiting_current_density`), and t_S only applies above it.

Defaults (:data:`ELECTROLYTE`): 1 M LiPF6 at 25 °C as measured by Valoen and Reimers (2005), whose
solvent was PC/EC/DMC (10:27:63 by volume). Most cells of the review use LiTFSI in DOL/DME instead,
for which these numbers are only an order-of-magnitude stand-in.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._units import FARADAY, MA_CM2_TO_A_M2
from ._validate import Value, as_fraction, as_nonnegative, as_positive, match_input

#: Default electrolyte of every function here: salt diffusivity D (m²/s), bulk concentration c0 (mol/m³),
#: anion transference number t_a = 1 - t_+ and cation charge z (Valoen and Reimers 2005, LiPF6 in PC/EC/DMC).
ELECTROLYTE: dict[str, float] = {"diffusivity": 3.2e-10, "concentration": 1000.0, "anion_transference": 0.62, "z": 1}


def _electrolyte(diffusivity: float, concentration: float, anion_transference: float, z: float) -> None:
    as_positive(diffusivity, "diffusivity", "m²/s")
    as_positive(concentration, "concentration", "mol/m³")
    t_a = as_fraction(anion_transference, "anion_transference")
    if np.any(t_a == 0):
        raise ValueError("anion_transference must be > 0: with t_a = 0 the salt never depletes (no Sand's time)")
    if z not in (1, 2, 3):
        raise ValueError(f"z must be the cation charge number 1, 2 or 3 (got {z!r}); Li+ has z = 1")


def sand_time(current_density: ArrayLike, *, diffusivity: float = ELECTROLYTE["diffusivity"],
              concentration: float = ELECTROLYTE["concentration"],
              anion_transference: float = ELECTROLYTE["anion_transference"], z: float = ELECTROLYTE["z"]) -> Value:
    """Sand's time in s at a superficial ``current_density`` in mA/cm² (scalar or array).

    ``diffusivity`` is the ambipolar salt diffusivity in m²/s, ``concentration`` the bulk salt
    concentration in mol/m³, ``anion_transference`` t_a = 1 - t_+. The time falls as 1/J².
    """
    j = as_positive(current_density, "current_density", "mA/cm²") * MA_CM2_TO_A_M2
    _electrolyte(diffusivity, concentration, anion_transference, z)
    t = np.pi * diffusivity * (z * concentration * FARADAY) ** 2 / (4.0 * (j * anion_transference) ** 2)
    return match_input(t, current_density)


def sand_time_host(current_density: ArrayLike, roughness: ArrayLike, **electrolyte: float) -> Value:
    """Sand's time in s inside a 3D host of roughness factor ``roughness`` = aL (interfacial area per footprint area).

    The review's argument: the host spreads J over aL times more surface, so the local current is
    J/(aL) and t_S grows (aL)²-fold. This is an optimistic bound: the electrolyte still carries the
    full J into the host, so depletion at its top face follows :func:`sand_time` at J (the pessimistic bound).
    """
    a_l = as_positive(roughness, "roughness", "(dimensionless aL)")
    if np.any(a_l < 1):
        raise ValueError(f"roughness aL must be >= 1: a host cannot have less surface than its footprint (got {a_l.min():g})")
    j = as_positive(current_density, "current_density", "mA/cm²")
    return match_input(np.asarray(sand_time(j / a_l, **electrolyte), dtype=float), current_density, roughness)


def limiting_current_density(gap_um: ArrayLike, *, tortuosity_factor: ArrayLike = 1.0, host_um: ArrayLike = 0.0,
                             host_porosity: ArrayLike = 0.8, diffusivity: float = ELECTROLYTE["diffusivity"],
                             concentration: float = ELECTROLYTE["concentration"],
                             anion_transference: float = ELECTROLYTE["anion_transference"],
                             z: float = ELECTROLYTE["z"]) -> Value:
    """Diffusion-limited current density in mA/cm² across an electrolyte gap of ``gap_um`` µm.

    J_lim = 2 z F D c0 / (t_a l_eff), where the gap is ``gap_um`` µm of separator whose pores cut the
    diffusivity by ``tortuosity_factor`` (tau/eps), in series with ``host_um`` µm of a porous host of
    porosity ``host_porosity`` (Bruggeman, D_eff = D eps^1.5): l_eff = gap tortuosity_factor + host eps^-1.5.
    Below J_lim the surface concentration reaches a steady state above zero, so Sand's time never arrives.
    """
    gap = as_positive(gap_um, "gap_um", "µm") * 1e-6
    factor = as_positive(tortuosity_factor, "tortuosity_factor", "(dimensionless)")
    host = as_nonnegative(host_um, "host_um", "µm") * 1e-6
    porosity = as_fraction(host_porosity, "host_porosity")
    if np.any(porosity == 0):
        raise ValueError("host_porosity must be > 0: a host without pores carries no ions")
    _electrolyte(diffusivity, concentration, anion_transference, z)
    length = gap * factor + host * porosity ** -1.5  # m of free electrolyte with the same diffusion resistance
    j_lim = 2.0 * z * FARADAY * diffusivity * concentration / (anion_transference * length)
    return match_input(j_lim / MA_CM2_TO_A_M2, gap_um, tortuosity_factor, host_um, host_porosity)
