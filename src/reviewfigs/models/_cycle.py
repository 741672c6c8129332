"""How many cycles an excess of Li buys at a given Coulombic efficiency (the reservoir model).

Every cycle strands (1 - CE) of the cycled capacity as SEI or dead Li. The cell keeps its full
capacity while spare Li covers the loss, so n = spare Li / ((1 - CE) Q_c). What counts as spare
depends on where the cell's working Li starts, hence two conventions for the same N/P.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import Value, as_fraction, as_nonnegative, match_input

CONVENTIONS = {
    "lithiated": "the cathode brings its own Li (NCM, LCO, LFP); all pre-stored Li is spare: n = (N/P)/(1 - CE)",
    "excess": "the working Li must come from the anode (Li-free cathode, or N counted at full charge): "
              "n = (N/P - 1)/(1 - CE)",
}


def cycle_life(average_ce: ArrayLike, np_ratio: ArrayLike, *, convention: str = "lithiated") -> Value:
    """Cycles before the Li reservoir runs dry, for ``average_ce`` as a fraction (0.99) and ``np_ratio``.

    N/P is the review's: Li pre-stored on the anode over the cathode's areal capacity (0 = anode-free).
    ``convention="lithiated"``: with a lithiated cathode (NCM, LCO, LFP) the cathode supplies the cycled
    Li, so all of the anode's Li is spare and n = (N/P)/(1 - CE). ``convention="excess"``: with a Li-free
    cathode (S, LTO), or if N counts all the Li on the anode at full charge, one N/P's worth is cycled and
    only the rest is spare: n = (N/P - 1)/(1 - CE), floored at 0. CE = 1 gives infinity.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention!r}; expected one of {', '.join(CONVENTIONS)}")
    ce = as_fraction(average_ce, "average_ce")
    n_p = as_nonnegative(np_ratio, "np_ratio", "(Li capacity / cathode capacity)")
    spare = n_p if convention == "lithiated" else np.maximum(n_p - 1.0, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cycles = np.where(spare == 0, 0.0, spare / (1.0 - ce))  # CE = 1 with spare Li: never runs dry
    return match_input(cycles, average_ce, np_ratio)
