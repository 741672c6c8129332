"""Physical constants for Li metal and the unit conversions every model needs.

Inputs and outputs use the units batteries are reported in (mA/cm², mAh/cm², µm);
the physics inside each model runs in SI.
"""

from __future__ import annotations

from numpy.typing import ArrayLike

from ._validate import Value, as_nonnegative, as_positive, match_input

FARADAY = 96485.33212  # C/mol
GAS_CONSTANT = 8.314462618  # J/(mol K)
TEMPERATURE = 298.15  # K
F_OVER_RT = FARADAY / (GAS_CONSTANT * TEMPERATURE)  # 1/V, about 1/(25.69 mV)

LI_MOLAR_MASS = 6.941  # g/mol
LI_DENSITY = 0.534  # g/cm³
LI_SPECIFIC_CAPACITY = 3860.0  # mAh/g, as the review quotes it (F / (3.6 M) = 3861)

MA_CM2_TO_A_M2 = 10.0  # 1 mA/cm² = 10 A/m²
MAH_TO_C = 3.6  # 1 mAh = 3.6 C


def areal_capacity_from_loading(loading_mg_cm2: ArrayLike, specific_capacity_mAh_g: ArrayLike) -> Value:
    """Cathode areal capacity in mAh/cm² from its loading (mg/cm²) and specific capacity (mAh/g)."""
    loading = as_positive(loading_mg_cm2, "loading_mg_cm2", "mg/cm²")
    capacity = as_positive(specific_capacity_mAh_g, "specific_capacity_mAh_g", "mAh/g")
    return match_input(loading * capacity / 1000.0, loading_mg_cm2, specific_capacity_mAh_g)


def hours_from_cycles(cycles: ArrayLike, current_density: ArrayLike, areal_capacity: ArrayLike) -> Value:
    """Cycling time of a symmetric or Li||host test: each cycle plates and strips Q at J, taking 2Q/J hours."""
    n = as_nonnegative(cycles, "cycles", "cycles")
    j = as_positive(current_density, "current_density", "mA/cm²")
    q = as_positive(areal_capacity, "areal_capacity", "mAh/cm²")
    return match_input(n * 2.0 * q / j, cycles, current_density, areal_capacity)


def cycles_from_hours(hours: ArrayLike, current_density: ArrayLike, areal_capacity: ArrayLike) -> Value:
    """Cycles in a symmetric or Li||host test: each cycle plates and strips, so it lasts 2Q/J hours.

    ``hours`` in h, ``current_density`` in mA/cm², ``areal_capacity`` in mAh/cm².
    """
    h = as_nonnegative(hours, "hours", "h")
    j = as_positive(current_density, "current_density", "mA/cm²")
    q = as_positive(areal_capacity, "areal_capacity", "mAh/cm²")
    return match_input(h * j / (2.0 * q), hours, current_density, areal_capacity)


def li_thickness_um(areal_capacity: ArrayLike) -> Value:
    """Thickness in µm of dense Li holding ``areal_capacity`` mAh/cm² (about 4.85 µm per mAh/cm²)."""
    q = as_nonnegative(areal_capacity, "areal_capacity", "mAh/cm²")
    moles_per_cm2 = q * MAH_TO_C / FARADAY
    return match_input(moles_per_cm2 * LI_MOLAR_MASS / LI_DENSITY * 1e4, areal_capacity)

