r"""Sections 4 and 5 index by index: one partial derivative at a time, as the text writes it.

These are the formulas before they are folded into matrices. Each function takes one
sample (inputs, hidden activations and outputs as 1-D vectors) and two indices, and
returns one number; [`per_weight_gradients`][backprop_doc.per_weight.per_weight_gradients]
loops them over every index and every sample of a batch. They give the same numbers as the
matrix forms of [`backward`][backprop_doc.net.backward], which is what makes those forms
trustworthy.

Indices are 0-based as in Python: the text's $w_{11}$ is ``w[0, 0]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop_doc import _validate
from backprop_doc.net import Gradients, _check_net, _forward

__all__ = ["grad_b1_j", "grad_b2_k", "grad_u_jk", "grad_w11", "grad_w_ij", "per_weight_gradients"]

Array = NDArray[np.float64]


def _grad_u_jk(j: int, k: int, h: Array, y: Array, t: Array) -> Any:
    # --8<-- [start:grad_u_jk]
    delta_k = (y[k] - t[k]) * y[k] * (1 - y[k])  # (4.3) times (4.4)
    return delta_k * h[j]  # (4.6): times (4.5), dL/du_jk = delta_k h_j
    # --8<-- [end:grad_u_jk]


def _grad_w11(x: Array, h: Array, u: Array, y: Array, t: Array) -> Any:
    # --8<-- [start:grad_w11]
    # (5.6): h_1 reaches the loss along two paths, through y_1 and through y_2
    dL_dh1 = ((y[0] - t[0]) * y[0] * (1 - y[0]) * u[0, 0]
              + (y[1] - t[1]) * y[1] * (1 - y[1]) * u[0, 1])
    return dL_dh1 * h[0] * (1 - h[0]) * x[0]  # (5.7): times (5.2) and (5.3)
    # --8<-- [end:grad_w11]


def _grad_w_ij(i: int, j: int, x: Array, h: Array, u: Array, y: Array, t: Array) -> Any:
    # --8<-- [start:grad_w_ij]
    # (5.8): sum over every output k that hidden unit j reaches
    dL_dhj = sum((y[k] - t[k]) * y[k] * (1 - y[k]) * u[j, k] for k in range(len(y)))
    return dL_dhj * h[j] * (1 - h[j]) * x[i]
    # --8<-- [end:grad_w_ij]


#: A bias is the weight from a unit whose value is always 1.
_ONE = np.ones(1)


def _grad_b2_k(k: int, y: Array, t: Array) -> Any:
    return _grad_u_jk(0, k, _ONE, y, t)  # (4.6) with h_j replaced by 1: delta_k


def _grad_b1_j(j: int, h: Array, u: Array, y: Array, t: Array) -> Any:
    return _grad_w_ij(0, j, _ONE, h, u, y, t)  # (5.8) with the input x_i replaced by 1


def grad_u_jk(j: int, k: int, h: Any, y: Any, t: Any) -> float:
    r"""One output weight's partial derivative, (4.2) to (4.6), for one sample.

    $$\frac{\partial L}{\partial u_{jk}}
      = \underbrace{(y_k - t_k)}_{(4.3)}\,\underbrace{y_k(1 - y_k)}_{(4.4)}\,
        \underbrace{h_j}_{(4.5)} = \delta^{(2)}_k h_j \tag{4.6}$$

    Parameters
    ----------
    j : int
        Hidden unit (0-based): the row of `u`.
    k : int
        Output (0-based): the column of `u`.
    h : array_like, shape (m,)
        Hidden activations of the sample.
    y : array_like, shape (q,)
        Outputs of the sample.
    t : array_like, shape (q,)
        Targets of the sample.

    Returns
    -------
    float
        $\partial L / \partial u_{jk}$ for this sample.

    Raises
    ------
    TypeError
        If `j` or `k` is not an integer.
    IndexError
        If `j` or `k` is out of range for `h` or `y`.
    ValueError
        If `h`, `y` or `t` is not a 1-D vector of numbers, or `y` and `t` differ in length.

    Examples
    --------
    >>> from backprop_doc.per_weight import grad_u_jk
    >>> grad_u_jk(0, 1, h=[0.5, 0.5, 0.5], y=[0.75, 0.25], t=[1.0, 0.0])
    0.0234375
    """
    h = _vector("h", h)
    y, t = _sample_out(y, t)
    j = _index("j", j, h.size, "h")
    k = _index("k", k, y.size, "y")
    return float(_grad_u_jk(j, k, h, y, t))


def grad_w11(x: Any, h: Any, u: Any, y: Any, t: Any) -> float:
    r"""The text's worked hidden weight $w_{11}$, (5.5) to (5.7), for one sample of a net
    with two outputs.

    $$\begin{aligned}\frac{\partial L}{\partial w_{11}}
      = \bigl[&(y_1 - t_1)\, y_1(1 - y_1)\, u_{11} \\
      + &(y_2 - t_2)\, y_2(1 - y_2)\, u_{12}\bigr]\, h_1(1 - h_1)\, x_1\end{aligned}
      \tag{5.7}$$

    Parameters
    ----------
    x : array_like, shape (d,)
        Inputs of the sample.
    h : array_like, shape (m,)
        Hidden activations of the sample.
    u : array_like, shape (m, 2)
        Hidden-to-output weights.
    y : array_like, shape (2,)
        Outputs of the sample.
    t : array_like, shape (2,)
        Targets of the sample.

    Returns
    -------
    float
        $\partial L / \partial w_{11}$ (``w[0, 0]`` in Python) for this sample.

    Raises
    ------
    ValueError
        If an argument is not a vector or matrix of numbers of the sizes of the net's
        (the message names it).

    Examples
    --------
    >>> from backprop_doc.per_weight import grad_w11
    >>> u = [[1.0, -1.0], [0.0, 0.0], [0.0, 0.0]]
    >>> grad_w11([2.0, 0.0], [0.5, 0.5, 0.5], u, y=[0.75, 0.25], t=[1.0, 0.0])
    -0.046875
    """
    x = _vector("x", x)
    h = _vector("h", h)
    y, t = _sample_out(y, t)
    if y.size != 2:
        raise ValueError(f"y: expected the 2 outputs of the article's net, got shape {y.shape}")
    return float(_grad_w11(x, h, _u_matrix(u, h, y), y, t))


def grad_w_ij(i: int, j: int, x: Any, h: Any, u: Any, y: Any, t: Any) -> float:
    r"""Any hidden weight's partial derivative, the general sum (5.8), for one sample.

    $$\frac{\partial L}{\partial w_{ij}}
      = \sum_k (y_k - t_k)\, y_k(1 - y_k)\, u_{jk} \cdot h_j(1 - h_j) \cdot x_i \tag{5.8}$$

    Parameters
    ----------
    i : int
        Input (0-based): the row of `w`.
    j : int
        Hidden unit (0-based): the column of `w`.
    x : array_like, shape (d,)
        Inputs of the sample.
    h : array_like, shape (m,)
        Hidden activations of the sample.
    u : array_like, shape (m, q)
        Hidden-to-output weights.
    y : array_like, shape (q,)
        Outputs of the sample.
    t : array_like, shape (q,)
        Targets of the sample.

    Returns
    -------
    float
        $\partial L / \partial w_{ij}$ for this sample.

    Raises
    ------
    TypeError
        If `i` or `j` is not an integer.
    IndexError
        If `i` or `j` is out of range.
    ValueError
        If an argument is not a vector or matrix of numbers of the sizes of the net's.

    Examples
    --------
    >>> from backprop_doc.per_weight import grad_w_ij
    >>> u = [[1.0, 1.0], [1.0, -1.0], [0.0, 0.0]]
    >>> grad_w_ij(0, 1, [2.0, 0.0], [0.5, 0.5, 0.5], u, y=[0.75, 0.25], t=[1.0, 0.0])
    -0.046875
    """
    x = _vector("x", x)
    h = _vector("h", h)
    y, t = _sample_out(y, t)
    u = _u_matrix(u, h, y)
    i = _index("i", i, x.size, "x")
    j = _index("j", j, h.size, "h")
    return float(_grad_w_ij(i, j, x, h, u, y, t))


def grad_b2_k(k: int, y: Any, t: Any) -> float:
    r"""An output bias's partial derivative, for one sample (an addition to the article).

    $$\frac{\partial L}{\partial b^{(2)}_k} = (y_k - t_k)\, y_k(1 - y_k) = \delta^{(2)}_k$$

    Parameters
    ----------
    k : int
        Output (0-based).
    y, t : array_like, shape (q,)
        Outputs and targets of the sample.

    Returns
    -------
    float
        $\partial L / \partial b^{(2)}_k$: (4.6) with $h_j$ replaced by 1.

    Raises
    ------
    TypeError
        If `k` is not an integer.
    IndexError
        If `k` is out of range for `y`.
    ValueError
        If `y` or `t` is not a 1-D vector of numbers, or they differ in length.

    Examples
    --------
    >>> from backprop_doc.per_weight import grad_b2_k
    >>> grad_b2_k(0, y=[0.75, 0.25], t=[1.0, 0.0])
    -0.046875
    """
    y, t = _sample_out(y, t)
    return float(_grad_b2_k(_index("k", k, y.size, "y"), y, t))


def grad_b1_j(j: int, h: Any, u: Any, y: Any, t: Any) -> float:
    r"""A hidden bias's partial derivative, for one sample (an addition to the article).

    $$\frac{\partial L}{\partial b^{(1)}_j}
      = \sum_k (y_k - t_k)\, y_k(1 - y_k)\, u_{jk} \cdot h_j(1 - h_j) = \delta^{(1)}_j$$

    Parameters
    ----------
    j : int
        Hidden unit (0-based).
    h : array_like, shape (m,)
        Hidden activations of the sample.
    u : array_like, shape (m, q)
        Hidden-to-output weights.
    y, t : array_like, shape (q,)
        Outputs and targets of the sample.

    Returns
    -------
    float
        $\partial L / \partial b^{(1)}_j$: (5.8) with $x_i$ replaced by 1.

    Raises
    ------
    TypeError
        If `j` is not an integer.
    IndexError
        If `j` is out of range.
    ValueError
        If an argument is not a vector or matrix of numbers of the sizes of the net's.

    Examples
    --------
    >>> from backprop_doc.per_weight import grad_b1_j
    >>> u = [[1.0, 1.0], [1.0, -1.0], [0.0, 0.0]]
    >>> grad_b1_j(1, [0.5, 0.5, 0.5], u, y=[0.75, 0.25], t=[1.0, 0.0])
    -0.0234375
    """
    h = _vector("h", h)
    y, t = _sample_out(y, t)
    return float(_grad_b1_j(_index("j", j, h.size, "h"), h, _u_matrix(u, h, y), y, t))


def per_weight_gradients(x: Any, t: Any, w: Any, b1: Any, u: Any, b2: Any) -> Gradients:
    r"""Every gradient of the 2-3-2 net by loops: one partial derivative at a time.

    For each sample of the batch and each index, (4.6) for $u_{jk}$ and (5.8) for
    $w_{ij}$, and the bias forms; the batch's gradient is the sum over its samples.
    Slow by design: it is the derivation run literally, to set beside the matrix forms.

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
    Gradients
        `dw` (d, m), `db1` (m,), `du` (m, q), `db2` (q,), equal to those of
        [`backward`][backprop_doc.net.backward] up to rounding.

    Raises
    ------
    TypeError
        If an argument is not an array of real numbers.
    ValueError
        If an array's shape does not fit the net (the message names the argument and the
        shape expected), if one holds NaN or infinity, or if the pass overflows.

    Examples
    --------
    >>> from backprop_doc.per_weight import per_weight_gradients
    >>> g = per_weight_gradients([[2.0]], [[1.0]], [[0.0]], [0.0], [[0.0]], [0.0])
    >>> g.du, g.db2
    (array([[-0.0625]]), array([-0.125]))
    """
    x, w, b1, u, b2 = _check_net(x, w, b1, u, b2)
    t = _validate.targets("t", t, shape=(x.shape[0], u.shape[1]))
    with _validate.stays_finite("x, t, w, b1, u, b2"):
        return _loops(x, t, w, b1, u, b2)


def _loops(x: Array, t: Array, w: Array, b1: Array, u: Array, b2: Array) -> Gradients:
    fwd = _forward(x, w, b1, u, b2)
    (d, m), k = w.shape, u.shape[1]
    dw, db1, du, db2 = np.zeros((d, m)), np.zeros(m), np.zeros((m, k)), np.zeros(k)
    for xs, hs, ys, ts in zip(x, fwd.h, fwd.y, t, strict=True):
        for j in range(m):
            for kk in range(k):
                du[j, kk] += _grad_u_jk(j, kk, hs, ys, ts)
        for i in range(d):
            for j in range(m):
                dw[i, j] += _grad_w_ij(i, j, xs, hs, u, ys, ts)
        for kk in range(k):
            db2[kk] += _grad_b2_k(kk, ys, ts)
        for j in range(m):
            db1[j] += _grad_b1_j(j, hs, u, ys, ts)
    return Gradients(dw, db1, du, db2)


def _vector(name: str, value: Any, size: int | None = None) -> Array:
    arr: Array = _validate.as_real_array(name, value)
    if arr.ndim != 1 or arr.size == 0 or (size is not None and arr.size != size):
        want = f"a 1-D vector of length {size}" if size is not None else "a non-empty 1-D vector"
        raise ValueError(f"{name}: expected {want} (one sample), got shape {arr.shape}")
    return arr


def _index(name: str, value: Any, size: int, of: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: expected an integer index, got {value!r}")
    if not 0 <= value < size:
        raise IndexError(
            f"{name}: expected an index from 0 to {size - 1} ({of} has {size}), got {value}"
        )
    return int(value)


def _sample_out(y: Any, t: Any) -> tuple[Array, Array]:
    y = _vector("y", y)
    return y, _vector("t", t, y.size)


def _u_matrix(u: Any, h: Array, y: Array) -> Array:
    u = _validate.as_real_array("u", u)
    if u.shape != (h.size, y.size):
        raise ValueError(
            f"u: expected shape {(h.size, y.size)} to join h (length {h.size}) to y "
            f"(length {y.size}), got shape {u.shape}"
        )
    return u
