"""Quantities derived from the review's data, each defined once and used by every page.

* :mod:`.conversions`: hours ⇄ cycles, loading → mAh/cm², Li thickness, N/P from Li and cathode.
* :mod:`.cells`: :func:`full_cells`, one row per full cell; each study's longest full-cell test with the
  retention of that same cell; the printed N/P ratios against Li / cathode capacity.
* :mod:`.practical`: :func:`practical_gap` against ``data/thresholds.csv``, with :func:`meets`.
* :mod:`.lifespans`: symmetric-cell lifespans in hours.
* :mod:`.electrolytes`: each study's electrolyte family (ether or carbonate) and additives.
* :mod:`.model_views`: the physics of :mod:`reviewfigs.models` applied to the data.
* :mod:`.exercises`: the numbers of every chapter exercise's solution (``answer(label, review)``).
"""

from . import exercises  # noqa: F401  (rf.analysis.exercises.answer: every exercise's numbers)
from .cells import full_cells, longest_full_cell_tests, np_consistency
from .conversions import (
    areal_capacity_from_loading,
    cathode_areal_capacity,
    cycles_from_hours,
    hours_from_cycles,
    li_thickness_um,
    li_to_cathode_ratio,
    specific_capacity,
)
from .electrolytes import electrolyte_additives, electrolyte_family, electrolyte_groups
from .lifespans import symmetric_lifespans, unconvertible_symmetric_cycles
from .model_views import cell_energies, layer_deposition, reported_ce_cycle_life
from .practical import gap_counts, meets, practical_gap

__all__ = ["longest_full_cell_tests", "np_consistency", "electrolyte_family", "electrolyte_additives", "electrolyte_groups", "full_cells", "practical_gap", "gap_counts", "meets", "cell_energies", "layer_deposition",
           "reported_ce_cycle_life", "symmetric_lifespans", "unconvertible_symmetric_cycles",
           "areal_capacity_from_loading", "cathode_areal_capacity", "cycles_from_hours", "hours_from_cycles",
           "li_thickness_um", "li_to_cathode_ratio", "specific_capacity"]
