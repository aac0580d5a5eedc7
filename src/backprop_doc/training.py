r"""The update rule, (4.1), (4.7) and (5.9), and a small training loop built on it."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from backprop_doc import _validate
from backprop_doc.loss import _l2_loss
from backprop_doc.net import _backward, _check_net, _forward

__all__ = ["Params", "TrainResult", "init_params", "step", "train"]

Array = NDArray[np.float64]


class Params(NamedTuple):
    """The parameters of the two-layer net, shaped as in [`forward`][backprop_doc.net.forward]."""

    w: Array
    """Input-to-hidden weights, shape (d, m)."""
    b1: Array
    """Hidden biases, shape (m,)."""
    u: Array
    """Hidden-to-output weights, shape (m, q)."""
    b2: Array
    """Output biases, shape (q,)."""


class TrainResult(NamedTuple):
    """What [`train`][backprop_doc.training.train] returns."""

    params: Params
    """The parameters after the last step."""
    losses: Array
    """The loss before the first step and after every step, shape (steps + 1,)."""


def _step(x: Array, t: Array, params: Params, eta: float) -> tuple[float, Params]:
    w, b1, u, b2 = params
    fwd = _forward(x, w, b1, u, b2)
    dw, db1, du, db2 = _backward(x, t, w, u, fwd)
    # --8<-- [start:update]
    # --8<-- [start:update_u]
    u = u - eta * du  # (4.1): a step of size eta against the gradient of the loss
    # --8<-- [end:update_u]
    # --8<-- [start:update_w]
    w = w - eta * dw  # (5.9): the same rule for the hidden weights
    # --8<-- [end:update_w]
    b2 = b2 - eta * db2  # and for the biases
    b1 = b1 - eta * db1
    # --8<-- [end:update]
    return float(_l2_loss(fwd.y, t)), Params(w, b1, u, b2)


def step(x: Any, t: Any, w: Any, b1: Any, u: Any, b2: Any, eta: float) -> Params:
    r"""One step of gradient descent on the loss of a batch: the update rule.

    $$u \leftarrow u - \eta\, \nabla_u L, \qquad w \leftarrow w - \eta\, \nabla_w L,
      \qquad b^{(l)} \leftarrow b^{(l)} - \eta\, \nabla_{b^{(l)}} L \tag{4.1}$$

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs, one sample per row.
    t : array_like, shape (n, q)
        Targets, one sample per row.
    w, b1, u, b2 : array_like
        The parameters, shaped as in [`forward`][backprop_doc.net.forward]. They are not modified:
        the updated parameters are new arrays.
    eta : float
        The learning rate $\eta$, a positive finite number.

    Returns
    -------
    Params
        The named fields `w`, `b1`, `u`, `b2` after the step (biases as vectors).

    Raises
    ------
    TypeError
        If an argument is not an array of real numbers, or `eta` not a number.
    ValueError
        If an array's shape does not fit the net (the message names the argument and the
        shape expected), if one holds NaN or infinity, if `eta` is not positive
        and finite, or if the pass overflows.

    Examples
    --------
    >>> from backprop_doc.training import step
    >>> p = step([[2.0]], [[1.0]], [[0.0]], [0.0], [[0.0]], [0.0], eta=1.0)
    >>> p.u, p.b2  # u - eta * (-0.0625), b2 - eta * (-0.125)
    (array([[0.0625]]), array([0.125]))
    """
    x, w, b1, u, b2 = _check_net(x, w, b1, u, b2)
    t = _validate.targets("t", t, shape=(x.shape[0], u.shape[1]))
    eta = _validate.learning_rate("eta", eta)
    with _validate.stays_finite("x, t, w, b1, u, b2, eta"):
        return _step(x, t, Params(w, b1, u, b2), eta)[1]


def init_params(
    rng: np.random.Generator, sizes: tuple[int, int, int] = (2, 3, 2), *, scale: float = 1.0
) -> Params:
    r"""Random starting parameters: normal weights with standard deviation `scale`, zero biases.

    Parameters
    ----------
    rng : numpy.random.Generator
        The source of randomness; the same seed gives the same parameters.
    sizes : (int, int, int), optional
        (d, m, q): inputs, hidden units, outputs. The article's net is (2, 3, 2).
    scale : float, optional
        Standard deviation of the weights, a positive finite number.

    Returns
    -------
    Params
        `w` (d, m), `b1` (m,), `u` (m, q), `b2` (q,).

    Raises
    ------
    TypeError
        If `rng` is not a `numpy.random.Generator`, or a size or `scale` not a number.
    ValueError
        If `sizes` is not three whole numbers >= 1, or `scale` not positive and finite.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_doc.training import init_params
    >>> p = init_params(np.random.default_rng(0))
    >>> p.w.shape, p.b1.shape, p.u.shape, p.b2.shape
    ((2, 3), (3,), (3, 2), (2,))
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng: expected a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}"
        )
    if len(sizes) != 3:
        raise ValueError(f"sizes: expected (inputs, hidden units, outputs), got {sizes!r}")
    d, m, q = (_validate.count(f"sizes[{i}]", s, minimum=1) for i, s in enumerate(sizes))
    scale = _validate.learning_rate("scale", scale)
    return Params(
        w=rng.normal(0.0, scale, size=(d, m)),
        b1=np.zeros(m),
        u=rng.normal(0.0, scale, size=(m, q)),
        b2=np.zeros(q),
    )


def train(
    x: Any,
    t: Any,
    *,
    eta: float,
    steps: int,
    rng: np.random.Generator | None = None,
    params: Params | None = None,
) -> TrainResult:
    r"""Gradient descent for `steps` steps on the full batch, recording the loss at every step.

    Start from `params`, or, when none are given, from
    [`init_params`][backprop_doc.training.init_params] with `rng` (three hidden units, as in
    the seed's net), so a fixed seed gives the same run every time.

    Parameters
    ----------
    x : array_like, shape (n, d)
        Inputs, one sample per row.
    t : array_like, shape (n, q)
        Targets, one sample per row.
    eta : float
        The learning rate, a positive finite number.
    steps : int
        How many updates to make, zero or more.
    rng : numpy.random.Generator, optional
        Draws the starting parameters when `params` is not given.
    params : Params, optional
        The starting parameters; they are not modified.

    Returns
    -------
    TrainResult
        `params` after the last step, and `losses`, shape (steps + 1,): the loss before
        the first step and after each step.

    Raises
    ------
    TypeError
        If `rng` is not a `numpy.random.Generator` when `params` is not given, `params` not
        a `Params`, or an argument not an array of real numbers.
    ValueError
        If a shape does not fit the net, an array holds NaN or infinity, `eta` is not
        positive and finite, `steps` not a whole number >= 0, or training overflows.

    Examples
    --------
    >>> import numpy as np
    >>> from backprop_doc.training import train
    >>> x = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    >>> t = [[0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    >>> run = train(x, t, eta=2.0, steps=100, rng=np.random.default_rng(0))
    >>> run.losses.shape
    (101,)
    >>> bool(run.losses[-1] < run.losses[0])
    True
    """
    eta = _validate.learning_rate("eta", eta)
    steps = _validate.count("steps", steps)
    if params is None:  # everything is checked before the generator is drawn from
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                "rng: expected a numpy.random.Generator when params is not given, "
                f"got {rng!r}"
            )
        x, t = _validate.batch("x", x), _validate.batch("t", t)
        if t.shape[0] != x.shape[0]:
            raise ValueError(
                f"t: expected {x.shape[0]} rows, one per sample of x, got shape {t.shape}"
            )
        params = init_params(rng, (x.shape[1], 3, t.shape[1]))
    elif not isinstance(params, Params):
        raise TypeError(f"params: expected a Params(w, b1, u, b2), got {type(params).__name__}")
    x, w, b1, u, b2 = _check_net(x, *params)
    t = _validate.targets("t", t, shape=(x.shape[0], u.shape[1]))
    current = Params(w.copy(), b1.copy(), u.copy(), b2.copy())  # never the caller's arrays
    losses = np.empty(steps + 1)
    with _validate.stays_finite("x, t, params, eta"):
        for s in range(steps):
            losses[s], current = _step(x, t, current, eta)
        losses[steps] = _l2_loss(_forward(x, *current).y, t)
    return TrainResult(current, losses)
