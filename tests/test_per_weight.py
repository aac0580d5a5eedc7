"""Sections 4 and 5 index by index: the per-weight formulas against backward, the complex
step, and (5.7) worked by hand in plain floats."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from backprop_doc import backward, example, forward
from backprop_doc.net import Gradients
from backprop_doc.per_weight import (
    grad_b1_j,
    grad_b2_k,
    grad_u_jk,
    grad_w11,
    grad_w_ij,
    per_weight_gradients,
)
from strategies import Net, complex_step_net, random_net, rel_err

PARAMS = (example.w, example.b1, example.u, example.b2)


def hand_sample() -> tuple[list[float], list[float], list[list[float]], list[float], list[float]]:
    """x, h, u, y, t of the worked example, the forward pass done unit by unit with math.exp."""
    x, t = example.x[0].tolist(), example.t[0].tolist()
    w, b1, u, b2 = (p.tolist() for p in PARAMS)
    h = [1 / (1 + math.exp(-(x[0] * w[0][j] + x[1] * w[1][j] + b1[j]))) for j in range(3)]
    y = [1 / (1 + math.exp(-(h[0] * u[0][k] + h[1] * u[1][k] + h[2] * u[2][k] + b2[k])))
         for k in range(2)]  # fmt: skip
    return x, h, u, y, t


def test_grad_w11_of_worked_example_matches_formula_5_7_by_hand() -> None:
    x, h, u, y, t = hand_sample()
    # (5.7): [(y1 - t1) y1 (1 - y1) u11 + (y2 - t2) y2 (1 - y2) u12] h1 (1 - h1) x1
    by_hand = (
        (y[0] - t[0]) * y[0] * (1 - y[0]) * u[0][0] + (y[1] - t[1]) * y[1] * (1 - y[1]) * u[0][1]
    ) * h[0] * (1 - h[0]) * x[0]
    assert math.isclose(grad_w11(x, h, u, y, t), by_hand, rel_tol=1e-13)
    assert math.isclose(backward(example.x, example.t, *PARAMS).dw[0, 0], by_hand, rel_tol=1e-13)


def test_grad_u_jk_of_worked_example_matches_formula_4_6_by_hand() -> None:
    _, h, _, y, t = hand_sample()
    for i in range(3):
        for j in range(2):
            by_hand = (y[j] - t[j]) * y[j] * (1 - y[j]) * h[i]  # (4.6)
            assert math.isclose(grad_u_jk(i, j, h, y, t), by_hand, rel_tol=1e-13), (i, j)


def sample(net: Net, r: int) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any]]:
    """x, h, y, t of sample r as 1-D vectors, h and y from the package's forward pass."""
    (w, u), (b1, b2) = net.weights, net.biases
    fwd = forward(net.x[r : r + 1], w, b1, u, b2)
    return net.x[r], fwd.h[0], fwd.y[0], net.t[r]


def worked_net() -> Net:
    return Net(example.x, example.t, [example.w, example.u], [example.b1, example.b2])


NETS = [worked_net()] + [
    random_net(np.random.default_rng(seed), [d, m, k], 1)
    for seed, (d, m, k) in enumerate([(2, 3, 2), (3, 5, 2), (1, 4, 3), (4, 2, 1), (5, 6, 2)])
]
NET_IDS = ["worked", "2-3-2", "3-5-2", "1-4-3", "4-2-1", "5-6-2"]


@pytest.mark.parametrize("net", NETS, ids=NET_IDS)
def test_grad_u_jk_equals_backward_du_of_the_sample(net: Net) -> None:
    _, h, y, t = sample(net, 0)
    (w, u), (b1, b2) = net.weights, net.biases
    du = backward(net.x, net.t, w, b1, u, b2).du
    got = [[grad_u_jk(i, j, h, y, t) for j in range(u.shape[1])] for i in range(u.shape[0])]
    assert rel_err(got, du) < 1e-14


@pytest.mark.parametrize("net", NETS, ids=NET_IDS)
def test_grad_w_ij_equals_backward_dw_of_the_sample(net: Net) -> None:
    x, h, y, t = sample(net, 0)
    (w, u), (b1, b2) = net.weights, net.biases
    dw = backward(net.x, net.t, w, b1, u, b2).dw
    got = [[grad_w_ij(i, j, x, h, u, y, t) for j in range(w.shape[1])] for i in range(w.shape[0])]
    assert rel_err(got, dw) < 1e-14


@pytest.mark.parametrize("net", NETS, ids=NET_IDS)
def test_grad_b1_j_and_grad_b2_k_equal_backward_bias_gradients(net: Net) -> None:
    _, h, y, t = sample(net, 0)
    (w, u), (b1, b2) = net.weights, net.biases
    g = backward(net.x, net.t, w, b1, u, b2)
    assert rel_err([grad_b1_j(j, h, u, y, t) for j in range(b1.size)], g.db1) < 1e-14
    assert rel_err([grad_b2_k(j, y, t) for j in range(b2.size)], g.db2) < 1e-14


@pytest.mark.parametrize("net", NETS, ids=NET_IDS)
def test_per_weight_functions_match_complex_step(net: Net) -> None:
    x, h, y, t = sample(net, 0)
    (w, u), (b1, b2) = net.weights, net.biases
    dw, db1, du, db2 = complex_step_net(net.x, net.t, w, b1, u, b2)
    (d, m), k = w.shape, u.shape[1]
    dw_loops = [[grad_w_ij(i, j, x, h, u, y, t) for j in range(m)] for i in range(d)]
    assert rel_err(dw_loops, dw) < 1e-9
    assert rel_err([[grad_u_jk(i, j, h, y, t) for j in range(k)] for i in range(m)], du) < 1e-9
    assert rel_err([grad_b1_j(j, h, u, y, t) for j in range(m)], db1) < 1e-9
    assert rel_err([grad_b2_k(j, y, t) for j in range(k)], db2) < 1e-9


@pytest.mark.parametrize(
    "net",
    [n for n in NETS if n.t.shape[1] == 2],
    ids=[i for i, n in zip(NET_IDS, NETS, strict=True) if n.t.shape[1] == 2],
)
def test_grad_w11_equals_grad_w_ij_at_0_0_and_complex_step(net: Net) -> None:
    x, h, y, t = sample(net, 0)
    (w, u), (b1, b2) = net.weights, net.biases
    got = grad_w11(x, h, u, y, t)
    # the same two-term sum as (5.8) for i = j = 0; only rounding may differ
    assert math.isclose(got, grad_w_ij(0, 0, x, h, u, y, t), rel_tol=1e-14, abs_tol=1e-300)
    assert rel_err(got, complex_step_net(net.x, net.t, w, b1, u, b2)[0][0, 0]) < 1e-9


@pytest.mark.parametrize("n", [1, 4, 9])
def test_per_weight_gradients_equal_backward_on_a_batch(n: int) -> None:
    net = random_net(np.random.default_rng(40 + n), [3, 4, 2], n)
    (w, u), (b1, b2) = net.weights, net.biases
    got = per_weight_gradients(net.x, net.t, w, b1, u, b2)
    want = backward(net.x, net.t, w, b1, u, b2)
    assert isinstance(got, Gradients)
    for field, g, b in zip(Gradients._fields, got, want, strict=True):
        assert g.shape == b.shape, field
        assert rel_err(g, b) < 1e-13, field


def test_per_weight_gradients_match_complex_step_on_a_batch() -> None:
    net = random_net(np.random.default_rng(77), [2, 3, 2], 5)
    (w, u), (b1, b2) = net.weights, net.biases
    got = per_weight_gradients(net.x, net.t, w, b1, u, b2)
    want = complex_step_net(net.x, net.t, w, b1, u, b2)
    for field, g, c in zip(Gradients._fields, got, want, strict=True):
        assert rel_err(g, c) < 1e-9, field


def test_per_weight_gradients_of_worked_example_match_backward() -> None:
    got = per_weight_gradients(example.x, example.t, *PARAMS)
    want = backward(example.x, example.t, *PARAMS)
    for g, b in zip(got, want, strict=True):
        assert rel_err(g, b) < 1e-14
