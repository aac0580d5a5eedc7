"""The L2-norm loss (3.1) and its derivative (4.3), against sums done here in plain floats."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_doc import l2_loss, l2_loss_derivative
from backprop_doc.gradcheck import central_difference

Y = [[0.1, 0.7, 0.4], [0.9, 0.2, 0.5]]
T = [[0.0, 1.0, 0.5], [1.0, 0.0, 0.0]]


def hand_loss(y: list[list[float]], t: list[list[float]]) -> float:
    total = 0.0
    for y_row, t_row in zip(y, t, strict=True):
        for y_j, t_j in zip(y_row, t_row, strict=True):
            total += 0.5 * (y_j - t_j) ** 2
    return total


def test_l2_loss_is_half_the_sum_of_squares_over_outputs_and_samples() -> None:
    # 0.5 * (0.01 + 0.09 + 0.01 + 0.01 + 0.04 + 0.25) = 0.205
    assert math.isclose(l2_loss(Y, T), hand_loss(Y, T), rel_tol=1e-15)
    assert math.isclose(l2_loss(Y, T), 0.205, rel_tol=1e-15)


def test_l2_loss_of_one_sample_by_hand() -> None:
    # 0.5 * ((0.75 - 1)^2 + (0.25 - 0)^2) = 0.5 * (0.0625 + 0.0625), exact in binary
    assert l2_loss([[0.75, 0.25]], [[1.0, 0.0]]) == 0.0625


def test_l2_loss_returns_a_python_float() -> None:
    assert type(l2_loss(Y, T)) is float


def test_l2_loss_is_zero_when_outputs_equal_targets() -> None:
    assert l2_loss(Y, Y) == 0.0


def test_l2_loss_of_a_batch_is_the_sum_of_the_samples_losses() -> None:
    rng = np.random.default_rng(3)
    y, t = rng.uniform(size=(7, 4)), rng.uniform(size=(7, 4))
    per_sample = [l2_loss(y[i : i + 1], t[i : i + 1]) for i in range(7)]
    assert math.isclose(l2_loss(y, t), math.fsum(per_sample), rel_tol=1e-14)


def test_l2_loss_derivative_is_y_minus_t_elementwise() -> None:
    want = [[y_j - t_j for y_j, t_j in zip(yr, tr, strict=True)]
            for yr, tr in zip(Y, T, strict=True)]
    got = l2_loss_derivative(Y, T)
    assert got.shape == (2, 3)
    assert got.tolist() == want


def test_l2_loss_derivative_matches_numerical_gradient_of_l2_loss() -> None:
    t = np.array(T)
    numeric = central_difference(lambda y: l2_loss(y, t), Y)
    # a quadratic: central differences have no truncation error, only rounding ~1e-10
    np.testing.assert_allclose(l2_loss_derivative(Y, T), numeric, rtol=0, atol=1e-9)


def test_l2_loss_rejects_targets_of_another_shape_naming_t() -> None:
    with pytest.raises(ValueError, match=r"^t: expected shape \(2, 3\) to match the outputs y, "
                                         r"got shape \(2, 2\)"):
        l2_loss(Y, [[0.0, 1.0], [1.0, 0.0]])


def test_l2_loss_derivative_rejects_targets_of_another_shape_naming_t() -> None:
    with pytest.raises(ValueError, match=r"^t: expected shape \(2, 3\).*got shape \(3,\)"):
        l2_loss_derivative(Y, [0.0, 1.0, 0.5])


@pytest.mark.parametrize("name", ["y", "t"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_l2_loss_rejects_nan_and_infinity_naming_the_argument(name: str, bad: float) -> None:
    y, t = np.array(Y), np.array(T)
    (y if name == "y" else t)[1, 2] = bad
    with pytest.raises(ValueError, match=rf"^{name}: expected finite numbers, found .* \(1, 2\)"):
        l2_loss(y, t)
