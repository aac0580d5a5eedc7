"""Section 6 for any depth, and the DONE-WHEN criterion of the issue.

DONE WHEN: on random nets (1 to 4 layers, widths 1 to 8, batches 1 to 16; hypothesis draws
the shape and a seed, a Generator with that seed draws inputs, weights and biases ~ N(0, 1)
and targets ~ U(0, 1)), ``backprop``, ``backward`` (two layers), ``per_weight_gradients``
and the per-sample per-weight functions (two layers; ``grad_w11`` when there are two
outputs) agree with each other and with the complex-step gradient to a relative error
below 1e-9.

Measures (see ``strategies``): for every parameter array, the norm-wise relative error
``||a - b||_2 / max(||b||_2, tiny)``, and the entry-wise relative error
``max_i |a_i - b_i| / max(|b_i|, floor)`` with the absolute floor
``floor = 1e-6 * max |entry of the whole complex-step gradient|``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from numpy.typing import NDArray

from backprop_doc import Backprop, backprop, backward, example, forward
from backprop_doc.backprop import forward_layers
from backprop_doc.gradcheck import layers_loss
from backprop_doc.net import loss
from backprop_doc.per_weight import (
    grad_b1_j,
    grad_b2_k,
    grad_u_jk,
    grad_w11,
    grad_w_ij,
    per_weight_gradients,
)
from strategies import (
    Net,
    complex_step_layers,
    elementwise_rel_err,
    flat,
    nets,
    random_net,
    rel_err,
)

RTOL = 1e-9
FLOOR = 1e-6  # times the largest entry of the whole gradient


def worked_net() -> Net:
    return Net(example.x, example.t, [example.w, example.u], [example.b1, example.b2])


def per_sample_sums(net: Net) -> dict[str, NDArray[Any]]:
    """The batch gradient as the sum over samples of the per-sample per-weight functions."""
    (w, u), (b1, b2) = net.weights, net.biases
    (d, m), k = w.shape, u.shape[1]
    fwd = forward(net.x, w, b1, u, b2)
    dw, du, db1, db2 = np.zeros((d, m)), np.zeros((m, k)), np.zeros(m), np.zeros(k)
    dw11 = 0.0
    for x, h, y, t in zip(net.x, fwd.h, fwd.y, net.t, strict=True):
        for i in range(d):
            for j in range(m):
                dw[i, j] += grad_w_ij(i, j, x, h, u, y, t)
        for i in range(m):
            for j in range(k):
                du[i, j] += grad_u_jk(i, j, h, y, t)
        for j in range(m):
            db1[j] += grad_b1_j(j, h, u, y, t)
        for j in range(k):
            db2[j] += grad_b2_k(j, y, t)
        if k == 2:
            dw11 += grad_w11(x, h, u, y, t)
    sums = {"dw": dw, "du": du, "db1": db1, "db2": db2}
    if k == 2:
        sums["dw11"] = np.array(dw11)
    return sums


def agreement_errors(net: Net) -> dict[str, float]:
    """Every comparison of the DONE-WHEN criterion, as {what: relative error}.

    Asserts the exact equalities on the way (backward and backprop for two layers).
    """
    bp = backprop(net.x, net.t, net.weights, net.biases)
    cs_w, cs_b = complex_step_layers(net.x, net.t, net.weights, net.biases)
    floor = FLOOR * float(np.max(np.abs(flat(cs_w + cs_b))))
    errors: dict[str, float] = {}
    for name, got, want in [
        *((f"backprop dW{k}", g, c)
          for k, (g, c) in enumerate(zip(bp.weight_gradients, cs_w, strict=True))),
        *((f"backprop db{k}", g, c)
          for k, (g, c) in enumerate(zip(bp.bias_gradients, cs_b, strict=True))),
    ]:
        errors[name] = rel_err(got, want)
        errors[name + " entry-wise"] = elementwise_rel_err(got, want, floor)
    if len(net.weights) == 2:
        (w, u), (b1, b2) = net.weights, net.biases
        matrix = backward(net.x, net.t, w, b1, u, b2)
        two_layer = {"dw": cs_w[0], "du": cs_w[1], "db1": cs_b[0], "db2": cs_b[1]}
        any_depth = {"dw": bp.weight_gradients[0], "du": bp.weight_gradients[1],
                     "db1": bp.bias_gradients[0], "db2": bp.bias_gradients[1]}  # fmt: skip
        for field, g in zip(("dw", "db1", "du", "db2"), matrix, strict=True):
            # backward and backprop run the same products for two layers: exactly equal
            assert np.array_equal(g, any_depth[field]), field
            errors[f"backward {field}"] = rel_err(g, two_layer[field])
        loops = per_weight_gradients(net.x, net.t, w, b1, u, b2)
        sums = per_sample_sums(net)
        for field, g in zip(("dw", "db1", "du", "db2"), loops, strict=True):
            errors[f"per_weight_gradients {field}"] = rel_err(g, two_layer[field])
            errors[f"per-sample functions {field}"] = rel_err(sums[field], two_layer[field])
            errors[f"per-sample functions {field} entry-wise"] = elementwise_rel_err(
                sums[field], two_layer[field], floor
            )
        if "dw11" in sums:
            errors["grad_w11"] = rel_err(sums["dw11"], cs_w[0][0, 0])
    return errors


@given(nets())
@settings(max_examples=60, deadline=None)
def test_done_when_all_gradients_agree_with_complex_step_on_random_nets(net: Net) -> None:
    errors = agreement_errors(net)
    bad = {what: e for what, e in errors.items() if not e < RTOL}
    assert not bad, bad


@given(nets(depths=(2, 2), outputs=2))
@settings(max_examples=30, deadline=None)
def test_done_when_two_layer_nets_with_two_outputs_include_grad_w11(net: Net) -> None:
    errors = agreement_errors(net)
    assert "grad_w11" in errors
    bad = {what: e for what, e in errors.items() if not e < RTOL}
    assert not bad, bad


def test_worked_example_gradients_agree_with_complex_step() -> None:
    errors = agreement_errors(worked_net())
    assert max(errors.values()) < RTOL, errors


@pytest.mark.parametrize("seed", range(6))
def test_two_layers_equal_backward_exactly(seed: int) -> None:
    rng = np.random.default_rng(seed)
    net = random_net(rng, [int(v) for v in rng.integers(1, 9, size=3)], int(rng.integers(1, 17)))
    (w, u), (b1, b2) = net.weights, net.biases
    bp = backprop(net.x, net.t, net.weights, net.biases)
    g = backward(net.x, net.t, w, b1, u, b2)
    assert np.array_equal(bp.weight_gradients[0], g.dw)
    assert np.array_equal(bp.weight_gradients[1], g.du)
    assert np.array_equal(bp.bias_gradients[0], g.db1)
    assert np.array_equal(bp.bias_gradients[1], g.db2)


def test_loss_equals_the_two_layer_net_loss() -> None:
    net = worked_net()
    (w, u), (b1, b2) = net.weights, net.biases
    assert backprop(net.x, net.t, net.weights, net.biases).loss == loss(net.x, net.t, w, b1, u, b2)


def test_loss_is_a_float_equal_to_half_the_sum_of_squares_of_the_outputs() -> None:
    net = random_net(np.random.default_rng(8), [3, 5, 4, 2], 6)
    y = forward_layers(net.x, net.weights, net.biases)[-1]
    got = backprop(net.x, net.t, net.weights, net.biases).loss
    assert type(got) is float
    want = 0.5 * math.fsum((a - b) ** 2 for a, b in zip(y.ravel(), net.t.ravel(), strict=True))
    assert math.isclose(got, want, rel_tol=1e-14)
    assert math.isclose(got, float(layers_loss(net.x, net.t, net.weights, net.biases)),
                        rel_tol=1e-15)


def test_one_layer_gradient_matches_hand_calculation() -> None:
    # one sigmoid layer: dL/dW_ij = sum over samples of (y_j - t_j) y_j (1 - y_j) x_i (6.1, 6.2)
    x = [[0.5, -1.0], [2.0, 0.25], [-0.3, 0.8]]
    t = [[1.0, 0.0, 0.5], [0.0, 1.0, 0.2], [0.3, 0.3, 0.9]]
    W = [[0.1, -0.2, 0.3], [0.4, 0.0, -0.6]]
    b = [0.05, -0.1, 0.2]
    y = [[1 / (1 + math.exp(-(xr[0] * W[0][j] + xr[1] * W[1][j] + b[j]))) for j in range(3)]
         for xr in x]  # fmt: skip
    delta = [[(y[r][j] - t[r][j]) * y[r][j] * (1 - y[r][j]) for j in range(3)] for r in range(3)]
    dW = [[sum(x[r][i] * delta[r][j] for r in range(3)) for j in range(3)] for i in range(2)]
    db = [sum(delta[r][j] for r in range(3)) for j in range(3)]
    got = backprop(x, t, [W], [b])
    np.testing.assert_allclose(got.weight_gradients[0], dW, rtol=1e-14, atol=1e-17)
    np.testing.assert_allclose(got.bias_gradients[0], db, rtol=1e-14, atol=1e-17)


def test_three_layer_hidden_delta_recursion_by_hand() -> None:
    # a 1-1-1-1 chain, one sample: each delta is the next one times its weight times y(1 - y)
    x, t, ws, bs = 0.7, 0.2, [0.9, -1.3, 0.6], [0.1, 0.2, -0.4]
    outs = [x]
    for w_, b_ in zip(ws, bs, strict=True):
        outs.append(1 / (1 + math.exp(-(outs[-1] * w_ + b_))))
    d3 = (outs[3] - t) * outs[3] * (1 - outs[3])  # (6.2)
    d2 = d3 * ws[2] * outs[2] * (1 - outs[2])  # (6.3)
    d1 = d2 * ws[1] * outs[1] * (1 - outs[1])  # (6.3)
    got = backprop([[x]], [[t]], [[[w_]] for w_ in ws], [[b_] for b_ in bs])
    want_w = [d1 * outs[0], d2 * outs[1], d3 * outs[2]]  # (6.1)
    for k in range(3):
        assert math.isclose(got.weight_gradients[k][0, 0], want_w[k], rel_tol=1e-14)
        assert math.isclose(got.bias_gradients[k][0], [d1, d2, d3][k], rel_tol=1e-14)


def test_returns_named_fields_and_one_gradient_per_layer_in_the_parameters_shapes() -> None:
    net = random_net(np.random.default_rng(9), [4, 6, 3, 5, 2], 7)
    rows = [b.reshape(1, -1) for b in net.biases]  # biases as rows in, vectors out
    got = backprop(net.x, net.t, net.weights, rows)
    assert isinstance(got, Backprop)
    assert got._fields == ("loss", "weight_gradients", "bias_gradients")
    assert [g.shape for g in got.weight_gradients] == [w.shape for w in net.weights]
    assert [g.shape for g in got.bias_gradients] == [b.shape for b in net.biases]


def test_biases_as_vectors_or_rows_give_identical_results() -> None:
    net = random_net(np.random.default_rng(10), [3, 4, 4, 2], 5)
    as_vectors = backprop(net.x, net.t, net.weights, net.biases)
    as_rows = backprop(net.x, net.t, net.weights, [b[None] for b in net.biases])
    assert as_vectors.loss == as_rows.loss
    for a, b in zip(flat(as_vectors[1] + as_vectors[2]), flat(as_rows[1] + as_rows[2]),
                    strict=True):
        assert a == b


def test_batch_gradient_is_the_sum_of_the_samples_gradients() -> None:
    net = random_net(np.random.default_rng(12), [3, 5, 4, 2], 8)
    whole = backprop(net.x, net.t, net.weights, net.biases)
    parts = [backprop(net.x[r : r + 1], net.t[r : r + 1], net.weights, net.biases)
             for r in range(8)]  # fmt: skip
    assert math.isclose(whole.loss, math.fsum(p.loss for p in parts), rel_tol=1e-14)
    for k in range(3):
        assert rel_err(whole.weight_gradients[k],
                       np.sum([p.weight_gradients[k] for p in parts], axis=0)) < 1e-13
        assert rel_err(whole.bias_gradients[k],
                       np.sum([p.bias_gradients[k] for p in parts], axis=0)) < 1e-13


def test_forward_layers_of_two_layers_equals_forward() -> None:
    net = worked_net()
    (w, u), (b1, b2) = net.weights, net.biases
    x0, h, y = forward_layers(net.x, net.weights, net.biases)
    fwd = forward(net.x, w, b1, u, b2)
    assert np.array_equal(x0, net.x)
    assert np.array_equal(h, fwd.h)
    assert np.array_equal(y, fwd.y)
