"""The physics behind gradient hosts, small enough to read and test.

* Sand's time: how long a current can run before the salt at the surface runs out
  (:func:`sand_time`, :func:`sand_time_host`, :func:`limiting_current_density`).
* Where Li plates inside a porous host (:class:`Host`, :func:`deposition_profile`, :func:`four_hosts`,
  :func:`deposition_mode`).
* What a cell design is worth: specific energy (:func:`cell_energy_density`) and how long its Li
  excess lasts at a given Coulombic efficiency (:func:`cycle_life`).
* What a host takes from a practical cell: Li in its SEI (:func:`sei_li_loss`) and in reactive additives
  (:func:`additive_li_loss`), electrolyte in its pores (:func:`pore_electrolyte_ratio`), the thickness it
  needs (:func:`host_thickness_for`).

Physics only: arrays in, arrays out. Applying the models to the review's data is the analysis
layer's job (:mod:`reviewfigs.analysis.model_views`).

Units follow battery papers at the interface (mA/cm², mAh/cm², µm, g/Ah) and SI inside.
Plots live in :mod:`reviewfigs.plots.models` so that this package does not need matplotlib.
"""

from ._cycle import CONVENTIONS, cycle_life
from ._energy import CATHODES, Cathode, cathode_defaults, cell_energy_density, cell_energy_density_volumetric
from ._hosts import GRADED_I0_FACTOR, GRADED_SIGMA, GRADED_SUFFIX, KAPPA_BULK, KAPPA_EFF, LAYER_LEVELS, POROSITY, REFERENCE, Host, four_hosts
from ._porous import (
    EVEN_BAND,
    MODES,
    DepositionProfile,
    bottom_fraction_vs_thickness,
    deposition_mode,
    deposition_profile,
    resistance_ratio,
    thickness_at_bottom_fraction,
)
from ._practical import (
    ELECTROLYTE_DENSITY,
    LITHIATION_REACTIONS,
    Reaction,
    additive_li_loss,
    host_thickness_for,
    pore_electrolyte_ratio,
    sei_li_loss,
    specific_li_uptake,
)
from ._sand import ELECTROLYTE, limiting_current_density, sand_time, sand_time_host
from ._units import F_OVER_RT, areal_capacity_from_loading, cycles_from_hours, hours_from_cycles, li_thickness_um

__all__ = [
    "sand_time", "sand_time_host", "limiting_current_density", "ELECTROLYTE",
    "Host", "four_hosts", "LAYER_LEVELS", "REFERENCE", "KAPPA_EFF", "KAPPA_BULK", "POROSITY", "GRADED_SIGMA",
    "GRADED_I0_FACTOR", "GRADED_SUFFIX",
    "deposition_profile", "DepositionProfile", "resistance_ratio", "bottom_fraction_vs_thickness",
    "thickness_at_bottom_fraction", "deposition_mode", "EVEN_BAND", "MODES",
    "cell_energy_density", "cell_energy_density_volumetric", "CATHODES", "Cathode", "cathode_defaults",
    "cycle_life", "CONVENTIONS",
    "sei_li_loss", "additive_li_loss", "specific_li_uptake", "LITHIATION_REACTIONS", "Reaction", "pore_electrolyte_ratio",
    "host_thickness_for", "ELECTROLYTE_DENSITY",
    "areal_capacity_from_loading", "cycles_from_hours", "hours_from_cycles", "li_thickness_um", "F_OVER_RT",
]
