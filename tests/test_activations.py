"""The sigmoid (3.2) and its derivative (3.3), checked against references computed here.

References: ``math.exp`` in the form that cannot overflow (e^a / (1 + e^a) for a < 0), and
for the property tests the correctly rounded value from 50-digit ``decimal`` arithmetic.
"""

from __future__ import annotations

import math
import warnings
from decimal import Decimal, localcontext
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from backprop_doc import sigmoid, sigmoid_derivative
from backprop_doc.gradcheck import central_difference

FINITE = st.floats(allow_nan=False, allow_infinity=False)  # any magnitude, subnormals too
FINITE_ARRAYS = st.lists(FINITE, min_size=1, max_size=40).map(np.array)
PROPERTY = settings(max_examples=200, deadline=None)

# sigma(a) + sigma(-a) - 1 and sigma'(a) are accurate to an absolute amount only: for a > 0,
# sigma(a) is in [1/2, 1], where one unit in the last place is 2^-53. Four such units:
ABS_ROUNDING = 2.0**-51
# The package computes sigma as written, 1 / (1 + e^-a): for a < -709.78, e^-a overflows and
# the result is 0 where the true value is a subnormal number, below the smallest normal double.
# Relative accuracy holds down to that number; below it, the error is less than it, absolutely.
TINY = float(np.finfo(np.float64).tiny)


def math_sigmoid(a: float) -> float:
    """sigma(a) with math.exp, never exponentiating a positive number."""
    if a < 0:
        return math.exp(a) / (1 + math.exp(a))
    return 1 / (1 + math.exp(-a))


def exact_sigmoid(a: float) -> float:
    """The correctly rounded sigma(a), from 50-digit decimal arithmetic."""
    if a > 800:  # 1 - sigma(a) < e^-800, far below half a unit in the last place of 1
        return 1.0
    if a < -800:  # sigma(a) < e^-800, far below the smallest subnormal double
        return 0.0
    with localcontext() as ctx:
        ctx.prec = 50
        return float(1 / (1 + (-Decimal(a)).exp()))


def exact_sigmoid_derivative(a: float) -> float:
    """The correctly rounded sigma'(a) = e^-|a| / (1 + e^-|a|)^2, from decimal arithmetic."""
    if abs(a) > 800:
        return 0.0
    with localcontext() as ctx:
        ctx.prec = 50
        e = (-abs(Decimal(a))).exp()
        return float(e / (1 + e) ** 2)


POINTS = [
    -1000.0, -745.0, -744.0, -709.0, -100.0, -50.0, -36.0, -20.0, -5.0, -1.0, -0.5, -1e-300,
    0.0, 1e-300, 0.5, 1.0, 5.0, 20.0, 36.0, 37.0, 50.0, 100.0, 709.0, 745.0, 1000.0,
]  # fmt: skip


def test_sigmoid_matches_math_reference_to_rounding_at_chosen_points() -> None:
    got = sigmoid(np.array(POINTS))
    want = np.array([math_sigmoid(a) for a in POINTS])
    np.testing.assert_allclose(got, want, rtol=4e-16, atol=TINY)


@pytest.mark.parametrize("a", POINTS)
def test_sigmoid_of_scalar_matches_math_reference(a: float) -> None:
    got = sigmoid(a)
    assert got.shape == ()
    assert math.isclose(float(got), math_sigmoid(a), rel_tol=4e-16, abs_tol=TINY)


def test_sigmoid_at_extremes_is_exactly_zero_or_one() -> None:
    got = sigmoid([-np.inf, -1000.0, -745.0, -709.0, 0.0, 50.0, 1000.0, np.inf])
    # e^745 and e^1000 overflow to inf, and 1 / (1 + inf) is 0 (the true sigma(-745) is the
    # smallest subnormal, 5e-324); at -709, e^709 is finite and sigma is a normal number
    assert got.tolist()[:3] == [0.0, 0.0, 0.0]
    assert math.isclose(got[3], math_sigmoid(-709.0), rel_tol=4e-16)
    assert got.tolist()[4:] == [0.5, 1.0, 1.0, 1.0]


def test_sigmoid_returns_float64_in_the_shape_of_its_input() -> None:
    a = np.arange(-3, 3).reshape(2, 3)  # integers are accepted and converted
    got = sigmoid(a)
    assert got.dtype == np.float64
    assert got.shape == (2, 3)
    np.testing.assert_allclose(got, [[math_sigmoid(float(v)) for v in row] for row in a],
                               rtol=4e-16, atol=0)


def test_sigmoid_rejects_nan_naming_the_argument() -> None:
    with pytest.raises(ValueError, match=r"^a: expected numbers that are not NaN, found NaN"):
        sigmoid([0.0, np.nan])


@given(FINITE_ARRAYS)
@PROPERTY
def test_sigmoid_is_within_unit_interval_without_warnings(a: NDArray[Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(a)
    assert np.all((s >= 0) & (s <= 1))


@given(FINITE_ARRAYS)
@PROPERTY
def test_sigmoid_is_within_three_ulps_of_the_correctly_rounded_value(a: NDArray[Any]) -> None:
    s = sigmoid(a)
    want = np.array([exact_sigmoid(float(v)) for v in a])
    # three units in the last place, or, where the true value is subnormal, less than TINY
    assert np.all(np.abs(s - want) <= np.maximum(3 * np.spacing(want), TINY)), (a, s, want)


@given(FINITE_ARRAYS)
@PROPERTY
def test_sigmoid_of_minus_a_is_one_minus_sigmoid_of_a(a: NDArray[Any]) -> None:
    s, s_neg = sigmoid(a), sigmoid(-a)
    # exact decimal sum, so the check itself adds no rounding
    for p, q in zip(s.tolist(), s_neg.tolist(), strict=True):
        assert abs(Decimal(p) + Decimal(q) - 1) <= ABS_ROUNDING


def test_sigmoid_derivative_is_a_quarter_at_zero() -> None:
    assert float(sigmoid_derivative(0.0)) == 0.25


def test_sigmoid_derivative_is_zero_at_infinities() -> None:
    assert sigmoid_derivative([-np.inf, np.inf]).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("a", [-20.0, -5.0, -1.0, -0.1, 0.0, 0.3, 1.0, 2.5, 5.0, 20.0])
def test_sigmoid_derivative_is_sigma_times_one_minus_sigma(a: float) -> None:
    s = math_sigmoid(a)
    assert math.isclose(float(sigmoid_derivative(a)), s * (1 - s), rel_tol=0, abs_tol=1e-17)


@pytest.mark.parametrize("a", [-8.0, -2.0, -0.7, 0.0, 0.4, 1.5, 6.0])
def test_sigmoid_derivative_matches_numerical_derivative_of_sigmoid(a: float) -> None:
    # central differences: truncation ~eps^2, rounding ~1e-16 / eps = 1e-11 absolute
    numeric = central_difference(lambda p: float(sigmoid(p)[0]), [a], eps=1e-5)[0]
    assert math.isclose(float(sigmoid_derivative(a)), numeric, rel_tol=1e-7)


@given(FINITE_ARRAYS)
@PROPERTY
def test_sigmoid_derivative_is_within_quarter_interval_without_warnings(a: NDArray[Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = sigmoid_derivative(a)
    assert np.all((d >= 0) & (d <= 0.25))


@given(FINITE_ARRAYS)
@PROPERTY
def test_sigmoid_derivative_is_accurate_to_absolute_rounding(a: NDArray[Any]) -> None:
    d = sigmoid_derivative(a)
    want = np.array([exact_sigmoid_derivative(float(v)) for v in a])
    assert np.all(np.abs(d - want) <= ABS_ROUNDING), (a, d, want)


@given(FINITE_ARRAYS)
@PROPERTY
def test_sigmoid_derivative_is_symmetric(a: NDArray[Any]) -> None:
    # sigma(1 - sigma) is symmetric in exact arithmetic; in floating point to absolute rounding
    assert np.all(np.abs(sigmoid_derivative(a) - sigmoid_derivative(-a)) <= ABS_ROUNDING)
