"""Checks at the package's edge: every error names the argument and what was expected.

The public functions call these before any arithmetic, so bad input fails here with a
message a reader can act on, never deep inside NumPy or, worse, with a wrong answer.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def as_real_array(name: str, value: Any, *, allow_inf: bool = False) -> Array:
    """Return ``value`` as a new float64 array, or raise naming ``name``.

    Rejects what is not an array of real numbers (strings, objects, booleans, complex) and
    NaN; rejects infinity too unless ``allow_inf``. A float64 input comes back as the same
    array: nothing in this package writes into an array it was given.
    """
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise TypeError(f"{name}: expected an array of real numbers, got {value!r}") from exc
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{name}: expected an array of real numbers, got dtype {arr.dtype} "
            f"({type(value).__name__})"
        )
    arr = arr.astype(np.float64, copy=False)
    if _maybe_not_finite(arr):
        finite = np.isfinite(arr)
        bad = np.isnan(arr) if allow_inf else ~finite
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            what = "NaN" if np.isnan(arr[where]) else "infinity"
            expected = "numbers that are not NaN" if allow_inf else "finite numbers"
            raise ValueError(f"{name}: expected {expected}, found {what} at index {where}")
    return arr


def _maybe_not_finite(arr: Array) -> bool:
    """False when every entry is surely finite: a NaN or an infinity makes the sum non-finite.

    A sum is much cheaper than ``np.isfinite(arr).all()`` on the small arrays of the article's
    net (a Python sum of a short list cheaper still); a sum that overflows with only finite
    entries is a false alarm that the caller's exact check then clears.
    """
    total = sum(arr.ravel().tolist()) if arr.size <= 64 else np.add.reduce(arr, axis=None)
    return not math.isfinite(total)


@contextmanager
def stays_finite(names: str) -> Iterator[None]:
    """Turn an overflow inside the computation into a clear error naming the arguments.

    Finite inputs can still be too large: ``x @ w + b1`` overflows for entries near 1e308.
    """
    try:
        with np.errstate(over="raise", invalid="raise"):
            yield
    except FloatingPointError as exc:
        raise ValueError(
            f"{names}: expected magnitudes small enough for the computation to stay finite, "
            f"but it overflowed ({exc})"
        ) from None


def batch(name: str, value: Any) -> Array:
    """A batch of samples as rows: 2-D, at least one row and one column."""
    arr = as_real_array(name, value)
    if arr.ndim != 2:
        hint = " (write one sample as a row, e.g. [[0.05, 0.10]])" if arr.ndim == 1 else ""
        raise ValueError(
            f"{name}: expected a 2-D array of shape (n samples, features){hint}, "
            f"got shape {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name}: expected at least one sample (row), got shape {arr.shape}")
    if arr.shape[1] == 0:
        raise ValueError(f"{name}: expected at least one feature (column), got shape {arr.shape}")
    return arr


def weight(name: str, value: Any, *, fan_in: int, after: str) -> Array:
    """A weight matrix whose row count must equal ``fan_in`` (the width of ``after``)."""
    arr = as_real_array(name, value)
    if arr.ndim != 2 or arr.shape[0] != fan_in or arr.shape[1] == 0:
        raise ValueError(
            f"{name}: expected shape ({fan_in}, m) with m >= 1 to chain with {after}, "
            f"got shape {arr.shape}"
        )
    return arr


def bias(name: str, value: Any, *, size: int) -> Array:
    """A bias: a vector of length ``size``; a 1 x size row is accepted too. Returns 1-D."""
    arr = as_real_array(name, value)
    if arr.shape == (size,) or arr.shape == (1, size):
        return arr.reshape(size)
    raise ValueError(
        f"{name}: expected a vector of length {size} (or a 1 x {size} row), "
        f"got shape {arr.shape}"
    )


def targets(name: str, value: Any, *, shape: tuple[int, ...]) -> Array:
    """Targets: the same shape as the outputs they are compared with."""
    arr = as_real_array(name, value)
    if arr.shape != shape:
        raise ValueError(
            f"{name}: expected shape {shape} to match the outputs y, got shape {arr.shape}"
        )
    return arr


def learning_rate(name: str, value: Any) -> float:
    """A learning rate: a positive finite real number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: expected a positive finite number, got {value!r}")
    eta = float(value)
    if not (math.isfinite(eta) and eta > 0):
        raise ValueError(f"{name}: expected a positive finite number, got {value!r}")
    return eta


def count(name: str, value: Any, *, minimum: int = 0) -> int:
    """A whole number no smaller than ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: expected a whole number >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name}: expected a whole number >= {minimum}, got {value!r}")
    return int(value)


def layers(
    x: Array, weights: Sequence[Any], biases: Sequence[Any]
) -> tuple[list[Array], list[Array]]:
    """Weight matrices and bias vectors of a net of any depth, checked to chain from ``x``."""
    for name, seq in (("weights", weights), ("biases", biases)):
        if isinstance(seq, np.ndarray) or not isinstance(seq, Sequence):
            raise TypeError(
                f"{name}: expected a list of arrays (one per layer), got {type(seq).__name__}"
            )
    if len(weights) == 0:
        raise ValueError("weights: expected at least one weight matrix, got an empty list")
    if len(weights) != len(biases):
        raise ValueError(
            f"biases: expected one bias vector per weight matrix ({len(weights)}), "
            f"got {len(biases)}"
        )
    ws: list[Array] = []
    bs: list[Array] = []
    width = x.shape[1]
    for k, (wk, bk) in enumerate(zip(weights, biases, strict=True)):
        # Arrays that already pass go straight in; anything else, and every error, takes
        # the general checks, so the names and shapes are formatted only when needed.
        w = _finite_float64(wk)
        if w is None or w.ndim != 2 or w.shape[0] != width or w.shape[1] == 0:
            after = (f"x of shape {x.shape}" if k == 0
                     else f"weights[{k - 1}] of shape {ws[-1].shape}")
            w = weight(f"weights[{k}]", wk, fan_in=width, after=after)
        ws.append(w)
        width = w.shape[1]
        b = _finite_float64(bk)
        bs.append(b if b is not None and b.shape == (width,)
                  else bias(f"biases[{k}]", bk, size=width))
    return ws, bs


def _finite_float64(value: Any) -> Array | None:
    """``value`` itself if it is a float64 ndarray with only finite entries, else None."""
    if type(value) is np.ndarray and value.dtype == np.float64 and not _maybe_not_finite(value):
        return value
    return None
