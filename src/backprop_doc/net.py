r"""The article's net: two inputs, three sigmoid hidden units, two sigmoid outputs.

Row vectors, as the text writes $a = xw + b$: a sample is a row, a batch is a stack of
rows, and the loss of a batch is the sum of its samples' losses. Nothing here fixes the
sizes at 2-3-2; the shapes only have to chain.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from backprop_doc import _validate
from backprop_doc.activations import _sigmoid as sigmoid
from backprop_doc.loss import _l2_loss

__all__ = ["Forward", "Gradients", "backward", "forward", "loss"]

Array = NDArray[np.float64]


class Forward(NamedTuple):
    """What the forward pass computes, layer by layer (shapes for a batch of n rows)."""

    a1: Array
    """Hidden weighted inputs $a^{(1)} = xw + b^{(1)}$, shape (n, m)."""
    h: Array
    """Hidden activations $h = \\sigma(a^{(1)})$, shape (n, m)."""
    a2: Array
    """Output weighted inputs $a^{(2)} = hu + b^{(2)}$, shape (n, q)."""
    y: Array
    """Outputs $y = \\sigma(a^{(2)})$, shape (n, q)."""


class Gradients(NamedTuple):
    """The gradient of the loss with respect to each parameter, in that parameter's shape."""

    dw: Array
    r"""$\partial L / \partial w$, shape (d, m)."""
    db1: Array
    r"""$\partial L / \partial b^{(1)}$, shape (m,)."""
    du: Array
    r"""$\partial L / \partial u$, shape (m, q)."""
    db2: Array
    r"""$\partial L / \partial b^{(2)}$, shape (q,)."""


def _forward(x: Array, w: Array, b1: Array, u: Array, b2: Array) -> Forward:
    # --8<-- [start:forward]
    a1 = x @ w + b1  # (2.1)
    h = sigmoid(a1)  # (2.2)
    a2 = h @ u + b2  # (2.3)
    y = sigmoid(a2)  # (2.4)
    # --8<-- [end:forward]
    return Forward(a1, h, a2, y)


def forward(x: Any, w: Any, b1: Any, u: Any, b2: Any) -> Forward:
    r"""The forward pass of the 2-3-2 net, equations (2.1) to (2.4).

    $$a^{(1)} = xw + b^{(1)}, \quad h = \sigma(a^{(1)}), \quad
      a^{(2)} = hu + b^{(2)}, \quad y = \sigma(a^{(2)})$$

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs, one sample per row (the article's net has d = 2).
    w : array_like, shape (d, m)
        Input-to-hidden weights; `w[i, j]` joins input i to hidden unit j (m = 3).
    b1 : array_like, shape (m,) or (1, m)
        Hidden biases.
    u : array_like, shape (m, q)
        Hidden-to-output weights; `u[j, k]` joins hidden unit j to output k (q = 2).
    b2 : array_like, shape (q,) or (1, q)
        Output biases.

    Returns
    -------
    Forward
        The named fields `a1`, `h` (shape (n, m)) and `a2`, `y` (shape (n, q)).

    Raises
    ------
    TypeError
        If an argument is not an array of real numbers.
    ValueError
        If an array's shape does not fit the net (the message names the argument and the
        shape expected), if one holds NaN or infinity, or if the pass overflows.

    Examples
    --------
    >>> from backprop_doc import forward
    >>> x = [[1.0, 0.0]]
    >>> w = [[0.0, 1.0, -1.0], [2.0, 2.0, 2.0]]
    >>> u = [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    >>> a1, h, a2, y = forward(x, w, [0.0, 0.0, 0.0], u, [0.0, 0.0])
    >>> a1
    array([[ 0.,  1., -1.]])
    >>> h
    array([[0.5       , 0.73105858, 0.26894142]])
    >>> y
    array([[0.62245933, 0.67503753]])
    """
    x, w, b1, u, b2 = _check_net(x, w, b1, u, b2)
    with _validate.stays_finite("x, w, b1, u, b2"):
        return _forward(x, w, b1, u, b2)


def loss(x: Any, t: Any, w: Any, b1: Any, u: Any, b2: Any) -> float:
    r"""The loss of the net on a batch: (3.1) applied to the outputs of the forward pass.

    $$L = \frac12 \sum_{\text{samples}} \sum_j (y_j - t_j)^2$$

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs, one sample per row.
    t : array_like, shape (n, q)
        Targets, one sample per row.
    w, b1, u, b2 : array_like
        The parameters, shaped as in [`forward`][backprop_doc.net.forward].

    Returns
    -------
    float
        The summed L2-norm loss of the batch.

    Raises
    ------
    TypeError
        If an argument is not an array of real numbers.
    ValueError
        If an array's shape does not fit the net (the message names the argument and the
        shape expected), if one holds NaN or infinity, or if the pass overflows.

    Examples
    --------
    >>> from backprop_doc.net import loss
    >>> w = [[0.0, 1.0, -1.0], [2.0, 2.0, 2.0]]
    >>> u = [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    >>> print(f"{loss([[1.0, 0.0]], [[1.0, 0.0]], w, [0, 0, 0], u, [0, 0]):.6f}")
    0.299106
    """
    x, w, b1, u, b2 = _check_net(x, w, b1, u, b2)
    t = _validate.targets("t", t, shape=(x.shape[0], u.shape[1]))
    with _validate.stays_finite("x, t, w, b1, u, b2"):
        return float(_l2_loss(_forward(x, w, b1, u, b2).y, t))


def _backward(x: Array, t: Array, w: Array, u: Array, fwd: Forward) -> Gradients:
    h, y = fwd.h, fwd.y
    # --8<-- [start:backward]
    # --8<-- [start:backward_output]
    delta2 = (y - t) * y * (1 - y)  # (4.6): the output deltas, one row per sample
    du = h.T @ delta2  # dL/du_jk = h_j delta2_k, summed over the samples
    db2 = delta2.sum(axis=0)  # dL/db2_k = delta2_k, summed over the samples
    # --8<-- [end:backward_output]
    # --8<-- [start:backward_hidden]
    delta1 = (delta2 @ u.T) * h * (1 - h)  # (5.10): the hidden deltas
    dw = x.T @ delta1  # dL/dw_ij = x_i delta1_j, summed over the samples
    db1 = delta1.sum(axis=0)  # dL/db1_j = delta1_j, summed over the samples
    # --8<-- [end:backward_hidden]
    # --8<-- [end:backward]
    return Gradients(dw, db1, du, db2)


def backward(x: Any, t: Any, w: Any, b1: Any, u: Any, b2: Any) -> Gradients:
    r"""The gradient of the loss with respect to every parameter, by backpropagation.

    The matrix forms of sections 4 and 5, summed over the samples of the batch:

    $$\delta^{(2)} = (y - t) \odot y \odot (1 - y), \quad \nabla_u L = h^\top \delta^{(2)},
      \quad \nabla_{b^{(2)}} L = \textstyle\sum_{\text{rows}} \delta^{(2)}$$

    $$\delta^{(1)} = (\delta^{(2)} u^\top) \odot h \odot (1 - h), \quad
      \nabla_w L = x^\top \delta^{(1)}, \quad
      \nabla_{b^{(1)}} L = \textstyle\sum_{\text{rows}} \delta^{(1)}$$

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs, one sample per row.
    t : array_like, shape (n, q)
        Targets, one sample per row.
    w : array_like, shape (d, m)
        Input-to-hidden weights.
    b1 : array_like, shape (m,) or (1, m)
        Hidden biases.
    u : array_like, shape (m, q)
        Hidden-to-output weights.
    b2 : array_like, shape (q,) or (1, q)
        Output biases.

    Returns
    -------
    Gradients
        The named fields `dw` (d, m), `db1` (m,), `du` (m, q), `db2` (q,): each the
        gradient of the summed loss in its parameter's shape (biases as vectors).

    Raises
    ------
    TypeError
        If an argument is not an array of real numbers.
    ValueError
        If an array's shape does not fit the net (the message names the argument and the
        shape expected), if one holds NaN or infinity, or if the pass overflows.

    Examples
    --------
    One sample through a 1-1-1 net with zero weights: h = y = 1/2, so
    $\delta^{(2)} = (\tfrac12 - 1) \cdot \tfrac12 \cdot \tfrac12 = -\tfrac18$, and
    $\delta^{(1)} = 0$ because u = 0.

    >>> from backprop_doc import backward
    >>> g = backward([[2.0]], [[1.0]], [[0.0]], [0.0], [[0.0]], [0.0])
    >>> g.du, g.db2
    (array([[-0.0625]]), array([-0.125]))
    >>> g.dw, g.db1
    (array([[0.]]), array([0.]))
    """
    x, w, b1, u, b2 = _check_net(x, w, b1, u, b2)
    t = _validate.targets("t", t, shape=(x.shape[0], u.shape[1]))
    with _validate.stays_finite("x, t, w, b1, u, b2"):
        return _backward(x, t, w, u, _forward(x, w, b1, u, b2))


def _check_net(
    x: Any, w: Any, b1: Any, u: Any, b2: Any
) -> tuple[Array, Array, Array, Array, Array]:
    x = _validate.batch("x", x)
    w = _validate.weight("w", w, fan_in=x.shape[1], after=f"x of shape {x.shape}")
    b1 = _validate.bias("b1", b1, size=w.shape[1])
    u = _validate.weight("u", u, fan_in=w.shape[1], after=f"w of shape {w.shape}")
    b2 = _validate.bias("b2", b2, size=u.shape[1])
    return x, w, b1, u, b2
