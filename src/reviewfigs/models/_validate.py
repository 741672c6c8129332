"""Input checks shared by the models: one clear ValueError naming the argument, its unit and the value."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: an array of floats, as the models compute with
Array = NDArray[np.float64]
#: what a model returns: a float for scalar inputs, an array otherwise
Value = float | Array


def _as_array(value: ArrayLike, name: str) -> Array:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers (got {value!r})") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (got {value!r})")
    return array


def _shown(array: Array) -> str:
    return f"{array.item():g}" if array.ndim == 0 else f"values from {array.min():g} to {array.max():g}"


def as_positive(value: ArrayLike, name: str, unit: str) -> Array:
    """``value`` as a float array, or a ValueError if any element is zero or negative."""
    array = _as_array(value, name)
    if np.any(array <= 0):
        raise ValueError(f"{name} must be > 0 {unit} (got {_shown(array)})")
    return array


def as_nonnegative(value: ArrayLike, name: str, unit: str) -> Array:
    """``value`` as a float array, or a ValueError if any element is negative."""
    array = _as_array(value, name)
    if np.any(array < 0):
        raise ValueError(f"{name} must be >= 0 {unit} (got {_shown(array)})")
    return array


def as_fraction(value: ArrayLike, name: str, *, allow_one: bool = True) -> Array:
    """``value`` as a float array in [0, 1] (or [0, 1)), with a hint when a percentage was passed."""
    array = _as_array(value, name)
    upper_ok = array <= 1 if allow_one else array < 1
    if np.any(array < 0) or not np.all(upper_ok):
        hint = "; pass a fraction (0.99), not a percentage (99)" if np.any(array > 1) else ""
        interval = "[0, 1]" if allow_one else "[0, 1)"
        raise ValueError(f"{name} must lie in {interval} (got {_shown(array)}){hint}")
    return array


def match_input(result: Array, *inputs: ArrayLike) -> Value:
    """A Python float when every input was a scalar, else the array: scalars in, scalars out."""
    if all(np.ndim(x) == 0 for x in inputs):
        return float(result)
    return result
