"""The two-layer net: forward (2.1)-(2.4) by hand, backward against numerical gradients.

Gradients are measured with the norm-wise relative error ``||a - b|| / max(||b||, tiny)``
of ``strategies.rel_err``, the reference ``b`` always the independent computation.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from backprop_doc import Forward, Gradients, backward, example, forward
from backprop_doc.gradcheck import central_difference
from backprop_doc.net import loss
from strategies import complex_step_net, random_net, rel_err

EX = (example.x, example.w, example.b1, example.u, example.b2)


def hand_forward(
    x: list[float], w: list[list[float]], b1: list[float], u: list[list[float]], b2: list[float]
) -> tuple[list[float], list[float], list[float], list[float]]:
    """(2.1)-(2.4) for one sample, one unit at a time, in plain floats."""
    a1 = [sum(x[i] * w[i][j] for i in range(len(x))) + b1[j] for j in range(len(b1))]
    h = [1 / (1 + math.exp(-a)) for a in a1]
    a2 = [sum(h[i] * u[i][j] for i in range(len(h))) + b2[j] for j in range(len(b2))]
    y = [1 / (1 + math.exp(-a)) for a in a2]
    return a1, h, a2, y


def example_by_hand() -> tuple[list[float], list[float], list[float], list[float]]:
    return hand_forward(
        example.x[0].tolist(), example.w.tolist(), example.b1.tolist(),
        example.u.tolist(), example.b2.tolist(),
    )  # fmt: skip


def test_forward_of_worked_example_matches_hand_calculation() -> None:
    a1, h, a2, y = example_by_hand()
    got = forward(*EX)
    np.testing.assert_allclose(got.a1, [a1], rtol=1e-15, atol=0)
    np.testing.assert_allclose(got.h, [h], rtol=1e-15, atol=0)
    np.testing.assert_allclose(got.a2, [a2], rtol=1e-15, atol=0)
    np.testing.assert_allclose(got.y, [y], rtol=1e-15, atol=0)


def test_forward_returns_named_fields_a1_h_a2_y_with_batch_shapes() -> None:
    fwd = forward(np.ones((4, 2)), example.w, example.b1, example.u, example.b2)
    assert isinstance(fwd, Forward)
    assert fwd._fields == ("a1", "h", "a2", "y")
    assert (fwd.a1.shape, fwd.h.shape, fwd.a2.shape, fwd.y.shape) == ((4, 3),) * 2 + ((4, 2),) * 2


def test_forward_accepts_bias_as_vector_or_row_with_identical_results() -> None:
    x, w, b1, u, b2 = EX
    as_vectors = forward(x, w, b1, u, b2)
    for rows in [(b1.reshape(1, 3), b2), (b1, b2.reshape(1, 2)), (b1[None], b2[None])]:
        as_rows = forward(x, w, rows[0], u, rows[1])
        for field_v, field_r in zip(as_vectors, as_rows, strict=True):
            assert np.array_equal(field_v, field_r)


def test_forward_accepts_nested_lists_and_integers() -> None:
    got = forward([[1, 0]], [[0, 1, -1], [2, 2, 2]], [0, 0, 0], [[1, 0], [0, 1], [0, 0]], [0, 0])
    _, h, _, y = hand_forward([1, 0], [[0, 1, -1], [2, 2, 2]], [0, 0, 0],
                              [[1, 0], [0, 1], [0, 0]], [0, 0])
    np.testing.assert_allclose(got.h, [h], rtol=1e-15, atol=0)
    np.testing.assert_allclose(got.y, [y], rtol=1e-15, atol=0)


def test_forward_of_a_batch_matches_hand_calculation_row_by_row() -> None:
    rng = np.random.default_rng(11)
    x, w, b1, u, b2 = (rng.normal(size=s) for s in [(5, 4), (4, 3), (3,), (3, 2), (2,)])
    got = forward(x, w, b1, u, b2)
    for r in range(5):
        a1, h, a2, y = hand_forward(
            x[r].tolist(), w.tolist(), b1.tolist(), u.tolist(), b2.tolist()
        )
        # plain-Python sums round differently from BLAS: a few units in the last place
        np.testing.assert_allclose(got.a1[r], a1, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(got.h[r], h, rtol=1e-14, atol=0)
        np.testing.assert_allclose(got.a2[r], a2, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(got.y[r], y, rtol=1e-14, atol=0)


def test_loss_of_worked_example_matches_hand_calculation() -> None:
    y = example_by_hand()[3]
    t = example.t[0].tolist()
    want = 0.5 * ((y[0] - t[0]) ** 2 + (y[1] - t[1]) ** 2)
    assert math.isclose(loss(example.x, example.t, *EX[1:]), want, rel_tol=1e-14)


@pytest.mark.parametrize(("d", "m", "k", "n"), [(2, 3, 2, 1), (4, 5, 1, 3), (1, 1, 1, 1)])
def test_backward_returns_gradients_in_the_parameters_shapes(
    d: int, m: int, k: int, n: int
) -> None:
    net = random_net(np.random.default_rng(d * 100 + m * 10 + k), [d, m, k], n)
    (w, u), (b1, b2) = net.weights, net.biases
    g = backward(net.x, net.t, w, b1.reshape(1, m), u, b2.reshape(1, k))  # rows in, vectors out
    assert isinstance(g, Gradients)
    assert g._fields == ("dw", "db1", "du", "db2")
    assert (g.dw.shape, g.db1.shape, g.du.shape, g.db2.shape) == ((d, m), (m,), (m, k), (k,))


def test_backward_of_worked_example_matches_complex_step() -> None:
    want = complex_step_net(example.x, example.t, *EX[1:])
    got = backward(example.x, example.t, *EX[1:])
    for g, c in zip(got, want, strict=True):
        assert rel_err(g, c) < 1e-9


@pytest.mark.parametrize("seed", range(8))
def test_backward_of_random_nets_matches_complex_step(seed: int) -> None:
    rng = np.random.default_rng(seed)
    d, m, k, n = (int(v) for v in rng.integers(1, 7, size=4))
    net = random_net(rng, [d, m, k], n)
    (w, u), (b1, b2) = net.weights, net.biases
    want = complex_step_net(net.x, net.t, w, b1, u, b2)
    got = backward(net.x, net.t, w, b1, u, b2)
    for g, c in zip(got, want, strict=True):
        assert rel_err(g, c) < 1e-9


def central_differences_of_loss(x: Any, t: Any, w: Any, b1: Any, u: Any, b2: Any) -> list[Any]:
    return [
        central_difference(lambda p: loss(x, t, p, b1, u, b2), w),
        central_difference(lambda p: loss(x, t, w, p, u, b2), b1),
        central_difference(lambda p: loss(x, t, w, b1, p, b2), u),
        central_difference(lambda p: loss(x, t, w, b1, u, p), b2),
    ]


def test_backward_of_worked_example_matches_central_differences() -> None:
    want = central_differences_of_loss(example.x, example.t, *EX[1:])
    got = backward(example.x, example.t, *EX[1:])
    for g, c in zip(got, want, strict=True):
        assert rel_err(g, c) < 1e-6


@pytest.mark.parametrize("seed", range(4))
def test_backward_of_random_batches_matches_central_differences(seed: int) -> None:
    net = random_net(np.random.default_rng(100 + seed), [3, 4, 2], 6)
    (w, u), (b1, b2) = net.weights, net.biases
    want = central_differences_of_loss(net.x, net.t, w, b1, u, b2)
    got = backward(net.x, net.t, w, b1, u, b2)
    for g, c in zip(got, want, strict=True):
        assert rel_err(g, c) < 1e-6


def test_backward_of_a_batch_is_the_sum_of_the_samples_gradients() -> None:
    net = random_net(np.random.default_rng(5), [2, 3, 2], 9)
    (w, u), (b1, b2) = net.weights, net.biases
    per_sample = [backward(net.x[i : i + 1], net.t[i : i + 1], w, b1, u, b2) for i in range(9)]
    got = backward(net.x, net.t, w, b1, u, b2)
    for field, g in zip(Gradients._fields, got, strict=True):
        summed = np.sum([getattr(s, field) for s in per_sample], axis=0)
        assert rel_err(g, summed) < 1e-13, field


def test_backward_accepts_bias_as_vector_or_row_with_identical_results() -> None:
    x, w, b1, u, b2 = EX
    as_vectors = backward(x, example.t, w, b1, u, b2)
    as_rows = backward(x, example.t, w, b1[None], u, b2[None])
    for g_v, g_r in zip(as_vectors, as_rows, strict=True):
        assert np.array_equal(g_v, g_r)
