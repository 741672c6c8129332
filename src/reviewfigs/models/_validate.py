"""Input checks shared by the models: one clear ValueError naming the argument, its unit and the value."""

from __future__ import annotations

import numpy as np


def _as_array(value, name: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers (got {value!r})") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (got {value!r})")
    return array


def _shown(array: np.ndarray) -> str:
    return f"{array.item():g}" if array.ndim == 0 else f"values from {array.min():g} to {array.max():g}"


def as_positive(value, name: str, unit: str) -> np.ndarray:
    """``value`` as a float array, or a ValueError if any element is zero or negative."""
    array = _as_array(value, name)
    if np.any(array <= 0):
        raise ValueError(f"{name} must be > 0 {unit} (got {_shown(array)})")
    return array


def as_nonnegative(value, name: str, unit: str) -> np.ndarray:
    """``value`` as a float array, or a ValueError if any element is negative."""
    array = _as_array(value, name)
    if np.any(array < 0):
        raise ValueError(f"{name} must be >= 0 {unit} (got {_shown(array)})")
    return array


def as_fraction(value, name: str, *, allow_one: bool = True) -> np.ndarray:
    """``value`` as a float array in [0, 1] (or [0, 1)), with a hint when a percentage was passed."""
    array = _as_array(value, name)
    upper_ok = array <= 1 if allow_one else array < 1
    if np.any(array < 0) or not np.all(upper_ok):
        hint = "; pass a fraction (0.99), not a percentage (99)" if np.any(array > 1) else ""
        interval = "[0, 1]" if allow_one else "[0, 1)"
        raise ValueError(f"{name} must lie in {interval} (got {_shown(array)}){hint}")
    return array


def match_input(result: np.ndarray, *inputs):
    """A Python float when every input was a scalar, else the array: scalars in, scalars out."""
    if all(np.ndim(x) == 0 for x in inputs):
        return float(result)
    return result
