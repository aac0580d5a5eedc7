r"""The sigmoid activation and its derivative, section 3 of the derivation."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop_doc import _validate

__all__ = ["sigmoid", "sigmoid_derivative"]


def _sigmoid(a: NDArray[Any]) -> NDArray[Any]:
    # For a < -709, e^-a overflows to inf and 1 / (1 + inf) = 0, the right answer to the last
    # bit (the true value is below the smallest double): the overflow is not an error here.
    with np.errstate(over="ignore"):
        # --8<-- [start:sigmoid]
        return 1 / (1 + np.exp(-a))  # (3.2)
        # --8<-- [end:sigmoid]


def sigmoid(a: Any) -> NDArray[np.float64]:
    r"""The logistic sigmoid, applied element-wise.

    $$\sigma(a) = \frac{1}{1 + e^{-a}} \tag{3.2}$$

    Parameters
    ----------
    a : array_like, any shape
        Real numbers; $\pm\infty$ are allowed and give 0 and 1.

    Returns
    -------
    ndarray of float64, the shape of a
        $\sigma(a)$, in $[0, 1]$.

    Raises
    ------
    TypeError
        If `a` is not an array of real numbers.
    ValueError
        If `a` holds NaN.

    Notes
    -----
    Computed as written, $1 / (1 + e^{-a})$, which is accurate to rounding for every input:
    for $a < -709$, $e^{-a}$ overflows to infinity and the quotient is 0, the right answer
    (the true value of $\sigma(-1000)$, $5 \times 10^{-435}$, is below the smallest
    double), so that overflow is not reported. $\sigma(1000)$ is 1.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_doc import sigmoid
    >>> sigmoid([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    array([0.        , 0.26894142, 0.5       , 0.73105858, 1.        ])
    >>> sigmoid([-np.inf, np.inf])
    array([0., 1.])
    """
    return _sigmoid(_validate.as_real_array("a", a, allow_inf=True))


def _sigmoid_derivative(a: NDArray[Any]) -> NDArray[Any]:
    # --8<-- [start:sigmoid_derivative]
    s = _sigmoid(a)
    return s * (1 - s)  # (3.3)
    # --8<-- [end:sigmoid_derivative]


def sigmoid_derivative(a: Any) -> NDArray[np.float64]:
    r"""The derivative of the sigmoid, written through the sigmoid itself.

    $$\sigma'(a) = \sigma(a)\,\bigl(1 - \sigma(a)\bigr) \tag{3.3}$$

    Parameters
    ----------
    a : array_like, any shape
        Real numbers; $\pm\infty$ are allowed and give 0.

    Returns
    -------
    ndarray of float64, the shape of a
        $\sigma'(a)$, in $[0, \tfrac14]$; the largest value, $\tfrac14$, is at $a = 0$.

    Raises
    ------
    TypeError
        If `a` is not an array of real numbers.
    ValueError
        If `a` holds NaN.

    Examples
    --------
    >>> from backprop_doc import sigmoid_derivative
    >>> sigmoid_derivative([0.0, 1.0, -1.0, 1000.0])
    array([0.25      , 0.19661193, 0.19661193, 0.        ])
    """
    return _sigmoid_derivative(_validate.as_real_array("a", a, allow_inf=True))
