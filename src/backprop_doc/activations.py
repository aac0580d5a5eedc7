r"""The sigmoid activation and its derivative, section 3 of the derivation."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop_doc import _validate

__all__ = ["sigmoid", "sigmoid_derivative"]


# --8<-- [start:sigmoid]
def _sigmoid(a: NDArray[Any]) -> NDArray[Any]:
    # sigma(a) = 1 / (1 + e^-a), written so that exp never sees a large positive argument:
    # with e = e^-|a| in (0, 1], sigma(a) = 1 / (1 + e) for a >= 0 and e / (1 + e) for a < 0.
    if a.dtype.kind == "c":  # the complex-step check: the branch follows the real part
        e = np.exp(np.where(a.real >= 0, -a, a))
        return np.where(a.real >= 0, 1.0, e) / (1.0 + e)
    # In place where it can be: this runs on every layer of every pass.
    e = np.abs(a, out=np.empty_like(a))
    np.exp(np.negative(e, out=e), out=e)  # e = e^-|a|
    s = np.where(a < 0, e, 1.0)  # the numerator
    e += 1.0
    s /= e
    return s
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

    Notes
    -----
    Exact to rounding and warning-free for every finite input: the exponential is only
    ever taken of a non-positive number, so $\sigma(-1000)$ is 0 (the true value,
    $5 \times 10^{-435}$, is below the smallest double) and $\sigma(1000)$ is 1.

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


# --8<-- [start:sigmoid_derivative]
def _sigmoid_derivative(a: NDArray[Any]) -> NDArray[Any]:
    s = _sigmoid(a)
    return s * (1 - s)
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

    Examples
    --------
    >>> from backprop_doc import sigmoid_derivative
    >>> sigmoid_derivative([0.0, 1.0, -1.0, 1000.0])
    array([0.25      , 0.19661193, 0.19661193, 0.        ])
    """
    return _sigmoid_derivative(_validate.as_real_array("a", a, allow_inf=True))
