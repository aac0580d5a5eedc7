r"""Section 6: backpropagation for a net of sigmoid layers of any depth and any widths.

Layer $l$ takes the previous layer's output $x^{(l)}$ (the inputs, for the first layer)
and gives $x^{(l+1)} = \sigma(x^{(l)} W^{(l)} + b^{(l)})$. One rule serves every layer:
the gradient of a weight is the delta of the unit it feeds times the input it carries
(6.1). The output layer's deltas come from the targets (6.2); every other layer's come
from the layer after it (6.3), which is why the computation runs backwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from backprop_doc import _validate
from backprop_doc.activations import _sigmoid as sigmoid
from backprop_doc.loss import _l2_loss

__all__ = ["Backprop", "backprop", "forward_layers"]

Array = NDArray[np.float64]


class Backprop(NamedTuple):
    """The loss of a batch and its gradient with respect to every parameter."""

    loss: float
    """The summed L2-norm loss of the batch."""
    weight_gradients: list[Array]
    r"""$\partial L / \partial W^{(l)}$ for each layer, each in its weight matrix's shape."""
    bias_gradients: list[Array]
    r"""$\partial L / \partial b^{(l)}$ for each layer, each a vector."""


def _forward_layers(x: Any, weights: Sequence[Any], biases: Sequence[Any]) -> list[Any]:
    # --8<-- [start:forward_layers]
    xs = [x]  # xs[l] is the input of layer l (counting from 0); xs[-1] is the output y
    for W, b in zip(weights, biases, strict=True):
        xs.append(sigmoid(xs[-1] @ W + b))
    # --8<-- [end:forward_layers]
    return xs


def _backprop(x: Array, t: Array, weights: list[Array], biases: list[Array]) -> Backprop:
    # --8<-- [start:backprop]
    xs = _forward_layers(x, weights, biases)  # xs[l] is the input of layer l; xs[-1] is y
    y = xs[-1]
    delta = (y - t) * y * (1 - y)  # (6.2): the output layer's deltas
    dW: list[Array] = []  # the weight gradients, first layer first
    db: list[Array] = []  # the bias gradients
    for layer in reversed(range(len(weights))):  # from the last layer to the first
        x_in = xs[layer]  # this layer's input
        dW.insert(0, np.dot(x_in.T, delta))  # (6.1): dL/dW_ij = sum of x_i delta_j
        db.insert(0, delta.sum(axis=0))  # dL/db_j = delta_j, summed over samples
        if layer > 0:  # (6.3): the deltas of the layer before, back through this layer's W
            delta = (delta @ weights[layer].T) * x_in * (1 - x_in)
    # --8<-- [end:backprop]
    return Backprop(float(_l2_loss(y, t)), dW, db)


def forward_layers(x: Any, weights: Sequence[Any], biases: Sequence[Any]) -> list[Array]:
    r"""The forward pass through sigmoid layers of any sizes.

    $$x^{(0)} = x, \qquad x^{(l+1)} = \sigma\bigl(x^{(l)} W^{(l)} + b^{(l)}\bigr)$$

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs, one sample per row.
    weights : list of array_like, shapes (d, m1), (m1, m2), ..., (m_{L-1}, q)
        One weight matrix per layer; consecutive sizes must chain.
    biases : list of array_like, shapes (m1,), (m2,), ..., (q,)
        One bias vector per layer (a 1 x m row is accepted too).

    Returns
    -------
    list of ndarray
        ``len(weights) + 1`` arrays: the inputs, then each layer's output; the last one
        is the net's output y, shape (n, q).

    Raises
    ------
    TypeError
        If an argument is not an array of real numbers.
    ValueError
        If an array's shape does not fit the net (the message names the argument and the
        shape expected), if one holds NaN or infinity, or if the pass overflows.

    Examples
    --------
    >>> from backprop_doc.backprop import forward_layers
    >>> x0, h, y = forward_layers([[0.0, 0.0]], [[[1.0], [1.0]], [[2.0]]], [[0.0], [-1.0]])
    >>> h, y
    (array([[0.5]]), array([[0.5]]))
    """
    x = _validate.batch("x", x)
    ws, bs = _validate.layers(x, weights, biases)
    with _validate.stays_finite("x, weights, biases"):
        return _forward_layers(x, ws, bs)


def backprop(x: Any, t: Any, weights: Sequence[Any], biases: Sequence[Any]) -> Backprop:
    r"""The loss and its gradient for sigmoid layers of any depth, by the delta recursion.

    For every layer, with $x_i$ the layer's input and $\delta_j$ the delta of its unit j:

    $$\frac{\partial L}{\partial w_{ij}} = \delta_j\, x_i \tag{6.1}$$

    $$\delta_j = (y_j - t_j)\, y_j (1 - y_j) \quad\text{(output layer)} \tag{6.2}$$

    $$\delta_j = \Bigl(\sum_k \delta_k w_{jk}\Bigr) y_j (1 - y_j)
      \quad\text{(hidden layer)} \tag{6.3}$$

    In (6.3), $y_j$ is the hidden layer's own output and $w_{jk}$, $\delta_k$ belong to
    the next layer. The bias of unit j gets $\partial L / \partial b_j = \delta_j$. Over a
    batch, every gradient is the sum of the samples' gradients.

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs, one sample per row.
    t : array_like, shape (n, q)
        Targets, one sample per row; q is the width of the last layer.
    weights : list of array_like, shapes (d, m1), (m1, m2), ..., (m_{L-1}, q)
        One weight matrix per layer; consecutive sizes must chain.
    biases : list of array_like, shapes (m1,), (m2,), ..., (q,)
        One bias vector per layer (a 1 x m row is accepted too).

    Returns
    -------
    Backprop
        The named fields `loss` (float), `weight_gradients` and `bias_gradients` (lists,
        each array in its parameter's shape, biases as vectors). For two layers
        ``[w, u]`` and ``[b1, b2]`` these are exactly ``dw, du`` and ``db1, db2`` of
        [`backward`][backprop_doc.net.backward].

    Raises
    ------
    TypeError
        If an argument is not an array of real numbers.
    ValueError
        If an array's shape does not fit the net (the message names the argument and the
        shape expected), if one holds NaN or infinity, or if the pass overflows.

    Examples
    --------
    A 1-1-1 net with zero weights on one sample: y = 1/2, so the output delta is
    $(\tfrac12 - 1) \cdot \tfrac12 \cdot \tfrac12 = -\tfrac18$, and the loss
    $\tfrac12 (\tfrac12 - 1)^2 = \tfrac18$.

    >>> from backprop_doc import backprop
    >>> loss, dW, db = backprop([[2.0]], [[1.0]], [[[0.0]], [[0.0]]], [[0.0], [0.0]])
    >>> loss
    0.125
    >>> dW
    [array([[0.]]), array([[-0.0625]])]
    >>> db
    [array([0.]), array([-0.125])]
    """
    x = _validate.batch("x", x)
    ws, bs = _validate.layers(x, weights, biases)
    t = _validate.targets("t", t, shape=(x.shape[0], ws[-1].shape[1]))
    with _validate.stays_finite("x, t, weights, biases"):
        return _backprop(x, t, ws, bs)
