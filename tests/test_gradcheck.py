"""The numerical gradients themselves, on functions whose gradients are known in closed form."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from backprop_doc.gradcheck import central_difference, complex_step, layers_loss
from backprop_doc.net import loss
from strategies import random_net, read_only, rel_err

P = np.array([[1.0, 2.0, -0.5], [0.3, -1.7, 4.0]])


def cube_sum(p: Any) -> Any:
    return np.sum(p**3)


def product(p: Any) -> Any:
    return p[0] * p[1] * p[2]


def exp_sin(p: Any) -> Any:
    return np.sum(np.exp(p) * np.sin(p))


def cube_sum_grad(p: NDArray[Any]) -> NDArray[Any]:
    return 3 * p**2


def exp_sin_grad(p: NDArray[Any]) -> NDArray[Any]:
    return np.exp(p) * (np.sin(p) + np.cos(p))


def test_central_difference_of_sum_of_cubes_is_three_p_squared() -> None:
    got = central_difference(cube_sum, P)
    assert got.shape == P.shape
    assert rel_err(got, cube_sum_grad(P)) < 1e-8


def test_complex_step_of_sum_of_cubes_is_three_p_squared_to_rounding() -> None:
    got = complex_step(cube_sum, P)
    assert got.shape == P.shape
    np.testing.assert_allclose(got, cube_sum_grad(P), rtol=1e-15, atol=0)


def test_gradients_of_a_product_are_the_products_of_the_other_factors() -> None:
    p = [1.5, -2.0, 0.25]
    want = [p[1] * p[2], p[0] * p[2], p[0] * p[1]]
    np.testing.assert_allclose(complex_step(product, p), want, rtol=1e-15, atol=0)
    np.testing.assert_allclose(central_difference(product, p), want, rtol=1e-8, atol=0)


def test_complex_step_is_exact_to_rounding_where_central_differences_are_not() -> None:
    p = np.linspace(-2.0, 2.0, 9)
    want = exp_sin_grad(p)
    cs_error = rel_err(complex_step(exp_sin, p), want)
    cd_error = rel_err(central_difference(exp_sin, p), want)
    assert cs_error < 1e-15
    assert 1e-13 < cd_error < 1e-8  # rounding of f / eps: the price of subtracting


def test_central_difference_step_size_is_eps() -> None:
    # for p^3 the central difference is exactly 3p^2 + eps^2: the step shows in the result
    got = central_difference(lambda p: float(p[0] ** 3), [0.0], eps=1e-3)
    assert math.isclose(got[0], 1e-6, rel_tol=1e-9)


@pytest.mark.parametrize("gradient", [central_difference, complex_step])
def test_callers_array_is_not_modified(gradient: Any) -> None:
    p = read_only(P)  # any write into it would raise
    before = P.copy()
    gradient(cube_sum, p)
    assert np.array_equal(p, before)


@pytest.mark.parametrize("gradient", [central_difference, complex_step])
def test_callers_array_survives_a_function_that_writes_into_its_argument(gradient: Any) -> None:
    p = P.copy()
    before = p.copy()

    def destructive(q: Any) -> Any:
        value = np.sum(q**3)
        q[...] = 0
        return value

    got = gradient(destructive, p)
    assert np.array_equal(p, before)
    assert rel_err(got, cube_sum_grad(P)) < 1e-8


@pytest.mark.parametrize("gradient", [central_difference, complex_step])
def test_lists_are_accepted_and_give_float64_arrays(gradient: Any) -> None:
    p = [[1.0, 2.0], [3.0, 4.0]]
    got = gradient(cube_sum, p)
    assert got.dtype == np.float64
    assert p == [[1.0, 2.0], [3.0, 4.0]]
    assert rel_err(got, 3 * np.array(p) ** 2) < 1e-8


def test_layers_loss_matches_hand_calculation_for_one_sample() -> None:
    # a 2-2-1 net: y = sigma(sigma(x W0 + b0) W1 + b1), L = (y - t)^2 / 2
    x, t = [0.4, -0.6], 0.3
    W0, b0, W1, b1 = [[0.5, -0.2], [0.1, 0.7]], [0.05, -0.05], [[1.2], [-0.8]], [0.3]
    h = [1 / (1 + math.exp(-(x[0] * W0[0][j] + x[1] * W0[1][j] + b0[j]))) for j in range(2)]
    y = 1 / (1 + math.exp(-(h[0] * W1[0][0] + h[1] * W1[1][0] + b1[0])))
    got = layers_loss(np.array([x]), np.array([[t]]), [np.array(W0), np.array(W1)],
                      [np.array(b0), np.array(b1)])
    assert math.isclose(float(got), 0.5 * (y - t) ** 2, rel_tol=1e-14)


def test_layers_loss_takes_complex_parameters() -> None:
    net = random_net(np.random.default_rng(1), [2, 3, 2], 2)
    ws = [w.astype(complex) for w in net.weights]
    got = layers_loss(net.x, net.t, ws, net.biases)
    real = layers_loss(net.x, net.t, net.weights, net.biases)
    assert np.iscomplexobj(got)
    assert got.real == pytest.approx(real, rel=1e-15)


def test_complex_step_of_layers_loss_matches_central_differences_of_net_loss() -> None:
    # the two checkers, through two different loss functions, agree with each other
    net = random_net(np.random.default_rng(2), [3, 4, 2], 5)
    (w, u), (b1, b2) = net.weights, net.biases
    cs = complex_step(lambda p: layers_loss(net.x, net.t, [p, u], [b1, b2]), w)
    cd = central_difference(lambda p: loss(net.x, net.t, p, b1, u, b2), w)
    assert rel_err(cd, cs) < 1e-6


def test_rejects_a_non_callable_naming_f() -> None:
    with pytest.raises(TypeError, match=r"^f: expected a function"):
        complex_step("not a function", [1.0])  # type: ignore[arg-type]


@pytest.mark.parametrize("gradient", [central_difference, complex_step])
@pytest.mark.parametrize("eps", [0.0, -1e-6, math.nan, math.inf])
def test_rejects_a_step_that_is_not_positive_and_finite(gradient: Any, eps: float) -> None:
    with pytest.raises(ValueError, match=r"^eps: expected a positive finite number"):
        gradient(cube_sum, [1.0], eps=eps)


@pytest.mark.parametrize("gradient", [central_difference, complex_step])
def test_rejects_an_empty_point_naming_p(gradient: Any) -> None:
    with pytest.raises(ValueError, match=r"^p: expected a non-empty array, got shape \(0,\)"):
        gradient(cube_sum, [])
