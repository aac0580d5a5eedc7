r"""The L2-norm loss and its derivative, section 3 of the derivation."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop_doc import _validate

__all__ = ["l2_loss", "l2_loss_derivative"]


# --8<-- [start:l2_loss]
def _l2_loss(y: NDArray[Any], t: NDArray[Any]) -> Any:
    return 0.5 * np.sum((y - t) ** 2)
# --8<-- [end:l2_loss]


def l2_loss(y: Any, t: Any) -> float:
    r"""The L2-norm loss: half the sum of squared differences between outputs and targets.

    $$L = \frac12 \sum_i (y_i - t_i)^2 \tag{3.1}$$

    For a batch the sum runs over every output of every sample: the loss of a batch is the
    sum of the samples' losses.

    Parameters
    ----------
    y : array_like, shape (n, q)
        Outputs, one sample per row.
    t : array_like, shape (n, q)
        Targets, the shape of `y`.

    Returns
    -------
    float
        $L \ge 0$.

    Raises
    ------
    TypeError
        If `y` or `t` is not an array of real numbers.
    ValueError
        If `t`'s shape is not `y`'s, or either holds NaN or infinity.

    Examples
    --------
    >>> from backprop_doc import l2_loss
    >>> l2_loss([[0.75, 0.25]], [[1.0, 0.0]])
    0.0625
    """
    y = _validate.as_real_array("y", y)
    t = _validate.targets("t", t, shape=y.shape)
    return float(_l2_loss(y, t))


def l2_loss_derivative(y: Any, t: Any) -> NDArray[np.float64]:
    r"""The derivative of the L2-norm loss with respect to each output.

    $$\frac{\partial L}{\partial y_j} = y_j - t_j \tag{4.3}$$

    The $\tfrac12$ of (3.1) cancels the 2 that comes down from the square.

    Parameters
    ----------
    y : array_like, shape (n, q)
        Outputs, one sample per row.
    t : array_like, shape (n, q)
        Targets, the shape of `y`.

    Returns
    -------
    ndarray of float64, shape (n, q)
        $\partial L / \partial y$, element by element.

    Raises
    ------
    TypeError
        If `y` or `t` is not an array of real numbers.
    ValueError
        If `t`'s shape is not `y`'s, or either holds NaN or infinity.

    Examples
    --------
    >>> from backprop_doc.loss import l2_loss_derivative
    >>> l2_loss_derivative([[0.75, 0.25]], [[1.0, 0.0]])
    array([[-0.25,  0.25]])
    """
    y = _validate.as_real_array("y", y)
    t = _validate.targets("t", t, shape=y.shape)
    # --8<-- [start:l2_loss_derivative]
    return y - t
    # --8<-- [end:l2_loss_derivative]
