"""Sand's time: how long a plating current can run before the electrolyte at the surface runs out of Li salt.

Semi-infinite diffusion with a constant flux J t_a/(zF) at the electrode drives the surface
concentration to zero at t_S = pi D (z c0 F)² / (4 (J t_a)²) (Chazalviel 1990; Bai et al. 2016).
After t_S, Li grows from tips (dendrites); before it, the deposit is mossy but compact.
Defaults: 1 M LiPF6 in EC/DMC at 25 °C (Valoen and Reimers 2005).
"""

from __future__ import annotations

import numpy as np

from ._units import FARADAY, MA_CM2_TO_A_M2
from ._validate import as_fraction, as_positive, match_input


def _electrolyte(diffusivity, concentration, anion_transference, z):
    as_positive(diffusivity, "diffusivity", "m²/s")
    as_positive(concentration, "concentration", "mol/m³")
    t_a = as_fraction(anion_transference, "anion_transference")
    if np.any(t_a == 0):
        raise ValueError("anion_transference must be > 0: with t_a = 0 the salt never depletes (no Sand's time)")
    if z not in (1, 2, 3):
        raise ValueError(f"z must be the cation charge number 1, 2 or 3 (got {z!r}); Li+ has z = 1")


def sand_time(current_density, *, diffusivity=3.2e-10, concentration=1000.0, anion_transference=0.62, z=1):
    """Sand's time in s at a superficial ``current_density`` in mA/cm² (scalar or array).

    ``diffusivity`` is the ambipolar salt diffusivity in m²/s, ``concentration`` the bulk salt
    concentration in mol/m³, ``anion_transference`` t_a = 1 - t_+. The time falls as 1/J².
    """
    j = as_positive(current_density, "current_density", "mA/cm²") * MA_CM2_TO_A_M2
    _electrolyte(diffusivity, concentration, anion_transference, z)
    t = np.pi * diffusivity * (z * concentration * FARADAY) ** 2 / (4.0 * (j * anion_transference) ** 2)
    return match_input(t, current_density)


def sand_time_host(current_density, roughness, **electrolyte):
    """Sand's time in s inside a 3D host of roughness factor ``roughness`` = aL (interfacial area per footprint area).

    The review's argument: the host spreads J over aL times more surface, so the local current is
    J/(aL) and t_S grows (aL)²-fold. This is an optimistic bound: the electrolyte still carries the
    full J into the host, so depletion at its top face follows :func:`sand_time` at J (the pessimistic bound).
    """
    a_l = as_positive(roughness, "roughness", "(dimensionless aL)")
    if np.any(a_l < 1):
        raise ValueError(f"roughness aL must be >= 1: a host cannot have less surface than its footprint (got {a_l.min():g})")
    j = as_positive(current_density, "current_density", "mA/cm²")
    return match_input(sand_time(j / a_l, **electrolyte), current_density, roughness)


def limiting_current_density(gap_um, *, tortuosity_factor=1.0, diffusivity=3.2e-10, concentration=1000.0,
                             anion_transference=0.62, z=1):
    """Diffusion-limited current density in mA/cm² across an electrolyte gap of ``gap_um`` µm.

    J_lim = 2 z F D_eff c0 / (t_a l), with D_eff = D / ``tortuosity_factor`` (tau/eps of a separator).
    Below J_lim the surface concentration reaches a steady state above zero, so Sand's time never arrives.
    """
    gap = as_positive(gap_um, "gap_um", "µm") * 1e-6
    factor = as_positive(tortuosity_factor, "tortuosity_factor", "(dimensionless)")
    _electrolyte(diffusivity, concentration, anion_transference, z)
    j_lim = 2.0 * z * FARADAY * (diffusivity / factor) * concentration / (anion_transference * gap)
    return match_input(j_lim / MA_CM2_TO_A_M2, gap_um, tortuosity_factor)
