r"""Gradient checking: the derivative of the loss computed without backpropagation.

Two numerical derivatives of a scalar function with respect to every entry of an array:

- central differences, $\frac{f(p + \epsilon e) - f(p - \epsilon e)}{2\epsilon}$, whose
  error is of order $\epsilon^2$ plus rounding of order $\varepsilon_{\text{mach}}/\epsilon$
  (about 1e-10 relative at best);
- the complex step, $\operatorname{Im} f(p + i\epsilon e) / \epsilon$, which subtracts
  nothing and so is exact to rounding for a function built from analytic operations, as
  this net is (sums, products, $e^{a}$, division).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop_doc import _validate
from backprop_doc.backprop import _forward_layers
from backprop_doc.loss import _l2_loss

__all__ = ["central_difference", "complex_step", "layers_loss"]

Array = NDArray[np.float64]


def _probe(name: str, f: Any, p: Any) -> Array:
    if not callable(f):
        raise TypeError(f"f: expected a function of one array returning a number, got {f!r}")
    arr = _validate.as_real_array(name, p)
    if arr.size == 0:
        raise ValueError(f"{name}: expected a non-empty array, got shape {arr.shape}")
    return arr


def central_difference(f: Callable[[Array], Any], p: Any, *, eps: float = 1e-6) -> Array:
    r"""The gradient of ``f`` at ``p`` by central differences, one entry at a time.

    $$\frac{\partial f}{\partial p_{i}} \approx
      \frac{f(p + \epsilon e_i) - f(p - \epsilon e_i)}{2\epsilon}$$

    Parameters
    ----------
    f : callable
        A function of one real array shaped like `p`, returning a real number.
    p : array_like, any shape
        The point; it is not modified (``f`` gets perturbed copies).
    eps : float, optional
        The step $\epsilon$, a positive finite number.

    Returns
    -------
    ndarray of float64, the shape of p
        The numerical gradient.

    Raises
    ------
    TypeError
        If `p` is not an array of real numbers, or `eps` not a number.
    ValueError
        If `p` holds NaN or infinity, or `eps` is not positive and finite.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_doc.gradcheck import central_difference
    >>> g = central_difference(lambda p: np.sum(p ** 3), [1.0, 2.0])
    >>> np.round(g, 6)
    array([ 3., 12.])
    """
    p = _probe("p", f, p)
    eps = _validate.learning_rate("eps", eps)
    grad: Array = np.empty_like(p)
    for idx in np.ndindex(p.shape):
        up, down = p.copy(), p.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (float(f(up)) - float(f(down))) / (2 * eps)
    return grad


def complex_step(f: Callable[[NDArray[Any]], Any], p: Any, *, eps: float = 1e-30) -> Array:
    r"""The gradient of ``f`` at ``p`` by the complex-step derivative, one entry at a time.

    $$\frac{\partial f}{\partial p_{i}} = \frac{\operatorname{Im} f(p + i\epsilon e_i)}
      {\epsilon} + O(\epsilon^2)$$

    With $\epsilon = 10^{-30}$ the $O(\epsilon^2)$ term is far below rounding, and since
    nothing is subtracted there is no cancellation: the result is exact to rounding.

    Parameters
    ----------
    f : callable
        A function of one complex array shaped like `p`, returning a complex number, built
        from analytic operations only (no ``abs``, no comparisons on the value).
    p : array_like, any shape
        The (real) point; it is not modified.
    eps : float, optional
        The imaginary step $\epsilon$, a positive finite number.

    Returns
    -------
    ndarray of float64, the shape of p
        The gradient.

    Raises
    ------
    TypeError
        If `p` is not an array of real numbers, or `eps` not a number.
    ValueError
        If `p` holds NaN or infinity, or `eps` is not positive and finite.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_doc.gradcheck import complex_step
    >>> complex_step(lambda p: np.sum(p ** 3), [1.0, 2.0])
    array([ 3., 12.])
    """
    p = _probe("p", f, p)
    eps = _validate.learning_rate("eps", eps)
    # --8<-- [start:complex_step]
    grad: Array = np.empty_like(p)
    for idx in np.ndindex(p.shape):  # one entry of p at a time
        probe = p.astype(np.complex128)
        probe[idx] += 1j * eps
        grad[idx] = complex(f(probe)).imag / eps
    # --8<-- [end:complex_step]
    return grad


def layers_loss(
    x: NDArray[Any], t: NDArray[Any], weights: Sequence[NDArray[Any]], biases: Sequence[Any]
) -> Any:
    r"""The summed L2-norm loss of a net of sigmoid layers, for real or complex parameters.

    $$L = \frac12 \sum (y - t)^2, \qquad y = \text{the last of }
      x^{(l+1)} = \sigma(x^{(l)} W^{(l)} + b^{(l)})$$

    This is the function the checks differentiate: it does no input checks and no
    ``float()``, so a complex step passes through it. Use
    [`backprop`][backprop_doc.backprop.backprop] for checked, real input.

    Parameters
    ----------
    x : ndarray, shape (n, d)
        Inputs, one sample per row.
    t : ndarray, shape (n, q)
        Targets.
    weights : list of ndarray
        One weight matrix per layer, shapes chaining from (d, m1) to (m_{L-1}, q).
    biases : list of ndarray
        One bias vector per layer.

    Returns
    -------
    float or complex scalar
        $L$, complex when a parameter is.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_doc.gradcheck import complex_step, layers_loss
    >>> x, t = np.array([[2.0]]), np.array([[1.0]])
    >>> dW0 = complex_step(lambda w: layers_loss(x, t, [w], [np.zeros(1)]), [[0.0]])
    >>> dW0  # (y - t) y (1 - y) x = (0.5 - 1) * 0.25 * 2
    array([[-0.25]])
    """
    return _l2_loss(_forward_layers(x, weights, biases)[-1], t)
