"""Shared helpers for the tests: random nets, independent gradients, error measures.

The gradients here are the *independent* side of every comparison: they come from the
complex-step derivative (``gradcheck.complex_step``) of the loss written as a plain forward
pass (``gradcheck.layers_loss``), never from the backpropagation code under test.

Error measures (used everywhere the tests compare gradients):

- ``rel_err(a, b)`` is norm-wise: ``||a - b||_2 / max(||b||_2, tiny)``, with ``b`` the
  reference and ``tiny`` the smallest normal double (so a zero reference still gives a
  finite, meaningful number);
- ``elementwise_rel_err(a, b, floor)`` is ``max_i |a_i - b_i| / max(|b_i|, floor)``: every
  entry relative to itself, except that entries smaller than ``floor`` are measured against
  ``floor`` (an absolute floor, so entries that are zero or nearly so do not demand an
  impossible relative accuracy).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from hypothesis import strategies as st
from numpy.typing import NDArray

from backprop_doc.gradcheck import complex_step, layers_loss

Array = NDArray[np.float64]
TINY = float(np.finfo(np.float64).tiny)


def rel_err(a: Any, b: Any) -> float:
    """Norm-wise relative error of ``a`` against the reference ``b``."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.linalg.norm((a - b).ravel()) / max(float(np.linalg.norm(b.ravel())), TINY))


def elementwise_rel_err(a: Any, b: Any, floor: float) -> float:
    """Largest entry-wise relative error of ``a`` against ``b``, with an absolute floor."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), max(floor, TINY))))


def flat(arrays: Sequence[Any]) -> Array:
    """Every entry of several arrays, one vector (to measure a whole gradient at once)."""
    return np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])


class Net(NamedTuple):
    """A net of sigmoid layers and a batch for it."""

    x: Array
    t: Array
    weights: list[Array]
    biases: list[Array]


def random_net(rng: np.random.Generator, widths: Sequence[int], n: int) -> Net:
    """Inputs and weights ~ N(0, 1), biases ~ N(0, 1), targets ~ U(0, 1)."""
    x = rng.normal(size=(n, widths[0]))
    t = rng.uniform(size=(n, widths[-1]))
    weights = [rng.normal(size=(widths[i], widths[i + 1])) for i in range(len(widths) - 1)]
    biases = [rng.normal(size=widths[i + 1]) for i in range(len(widths) - 1)]
    return Net(x, t, weights, biases)


@st.composite
def nets(
    draw: st.DrawFn,
    depths: tuple[int, int] = (1, 4),
    max_width: int = 8,
    max_batch: int = 16,
    outputs: int | None = None,
) -> Net:
    """A random net: hypothesis draws the shape and a seed; a seeded Generator the numbers."""
    depth = draw(st.integers(*depths), label="depth")
    widths = [draw(st.integers(1, max_width), label=f"width{i}") for i in range(depth + 1)]
    if outputs is not None:
        widths[-1] = outputs
    n = draw(st.integers(1, max_batch), label="batch")
    seed = draw(st.integers(0, 2**32 - 1), label="seed")
    return random_net(np.random.default_rng(seed), widths, n)


def complex_step_layers(
    x: Array, t: Array, weights: Sequence[Array], biases: Sequence[Array]
) -> tuple[list[Array], list[Array]]:
    """d(loss)/d(every weight and bias) by the complex step, one parameter array at a time."""
    ws, bs = list(weights), list(biases)
    dws: list[Array] = []
    dbs: list[Array] = []
    for k in range(len(ws)):

        def f_w(p: NDArray[Any], k: int = k) -> Any:
            return layers_loss(x, t, [*ws[:k], p, *ws[k + 1 :]], bs)

        def f_b(p: NDArray[Any], k: int = k) -> Any:
            return layers_loss(x, t, ws, [*bs[:k], p, *bs[k + 1 :]])

        dws.append(complex_step(f_w, ws[k]))
        dbs.append(complex_step(f_b, bs[k]))
    return dws, dbs


def complex_step_net(
    x: Array, t: Array, w: Array, b1: Array, u: Array, b2: Array
) -> tuple[Array, Array, Array, Array]:
    """(dw, db1, du, db2) of the two-layer net by the complex step."""
    (dw, du), (db1, db2) = complex_step_layers(x, t, [w, u], [b1, b2])
    return dw, db1, du, db2


def read_only(a: Any) -> Array:
    """A float64 copy of ``a`` that refuses writes (a function that writes into it fails)."""
    arr = np.array(a, dtype=np.float64)
    arr.flags.writeable = False
    return arr
