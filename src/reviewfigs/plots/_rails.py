"""Log axes with a 'not stated' rail: a point whose condition the review omits still gets a place.

The review often gives a current density without an areal capacity or the other way round.
Dropping such tests would hide them; inventing a value would mislead. They sit on a shaded rail
beyond the low end of the axis, labelled 'not stated'.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

RAIL_FILL = "#F1F1F1"


def rail_scale(values, pad: float = 0.18, rail_gap: float = 0.32, rail_width: float = 0.2):
    """(low, high, rail_position, rail_band) on a log axis for values that may contain NaN."""
    known = np.asarray(values, dtype=float)
    known = known[np.isfinite(known)]
    lo_val, hi_val = (known.min(), known.max()) if len(known) else (1.0, 1.0)
    low_data = lo_val / 10**pad
    rail = low_data / 10**rail_gap
    band = (rail / 10 ** (rail_width / 2), rail * 10 ** (rail_width / 2))
    low = band[0] / 10**0.03
    high = hi_val * 10**pad
    return low, high, rail, band


def place_on_rail(values, rail: float) -> np.ndarray:
    """The values, with missing ones moved to the rail."""
    out = np.asarray(values, dtype=float).copy()
    out[~np.isfinite(out)] = rail
    return out


def log_ticks(low: float, high: float) -> list[float]:
    """Readable 1-2-5 ticks between low and high."""
    ticks = []
    for exponent in range(int(np.floor(np.log10(low))) - 1, int(np.ceil(np.log10(high))) + 1):
        for m in (1, 2, 5):
            v = m * 10.0**exponent
            if low <= v <= high:
                ticks.append(v)
    return ticks


def _fmt(value: float, _pos=None) -> str:
    return f"{value:g}"


def draw_rail_axis(ax: Axes, axis: str, low: float, high: float, rail: float, band, any_missing: bool) -> None:
    """Log scale with 1-2-5 ticks, plus the shaded 'not stated' band when some value is missing."""
    set_scale = ax.set_xscale if axis == "x" else ax.set_yscale
    set_lim = ax.set_xlim if axis == "x" else ax.set_ylim
    target = ax.xaxis if axis == "x" else ax.yaxis
    set_scale("log")
    data_low = band[1] * 10**0.05 if any_missing else band[1]
    ticks = [t for t in log_ticks(data_low, high)]
    if any_missing:
        set_lim(low, high)
        span = ax.axvspan if axis == "x" else ax.axhspan
        span(*band, color=RAIL_FILL, zorder=0, lw=0)
        ticks_all = [rail] + ticks
        target.set_major_locator(FixedLocator(ticks_all))
        target.set_major_formatter(FuncFormatter(lambda v, p: "not\nstated" if np.isclose(v, rail) else _fmt(v)))
    else:
        set_lim(band[1], high)
        target.set_major_locator(FixedLocator(ticks))
        target.set_major_formatter(FuncFormatter(_fmt))
    target.set_minor_locator(NullLocator())
