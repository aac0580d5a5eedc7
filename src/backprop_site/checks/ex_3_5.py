"""Exercise 3.5, The derivative of cross-entropy: dL/dy."""

from __future__ import annotations

from functools import partial

import numpy as np

from backprop_doc import forward
from backprop_site.checks.common import (
    Array,
    Feedback,
    Namespace,
    Slip,
    call,
    compare,
    complex_step,
    function,
    verdict,
    worked_net,
)

ID = "3.5"
PAGE = "derivation/formulas.md"
NAMES = ("cross_entropy_derivative",)
SIGNATURE = "cross_entropy_derivative(y, t)"
STARTER = '''\
import numpy as np


def cross_entropy_derivative(y, t):
    """dL/dy of the cross-entropy loss, element-wise: the shape of y."""
    ...
'''
SLIPS = (
    Slip("one-term",
         "Each output has two terms in the loss, t ln y and (1 - t) ln(1 - y): the second "
         "one depends on y too.",
         "def cross_entropy_derivative(y, t):\n    return -t / y\n"),
    Slip("second-term-sign",
         "The derivative of ln(1 - y) is -1 / (1 - y): with the minus in front of the "
         "sum, that term comes out as +(1 - t) / (1 - y).",
         "def cross_entropy_derivative(y, t):\n    return -t / y - (1 - t) / (1 - y)\n"),
    Slip("delta-not-derivative",
         "y - t is the output's delta, dL/da, once the sigmoid's derivative y (1 - y) has "
         "cancelled (Exercise 4.2). dL/dy still has y (1 - y) below the line.",
         "def cross_entropy_derivative(y, t):\n    return y - t\n"),
)


def cross_entropy(y: Array, t: Array) -> Array:
    """The cross-entropy loss, for real or complex y."""
    return -np.sum(t * np.log(y) + (1 - t) * np.log(1 - y))


def _cases() -> list[tuple[str, Array, Array]]:
    net = worked_net()
    y = forward(net.x, net.w, net.b1, net.u, net.b2).y
    rng = np.random.default_rng(35)
    return [("the worked example's y and t", y, net.t),
            ("random outputs of a batch of 4, with targets 0 or 1",
             rng.uniform(0.05, 0.95, size=(4, 3)),
             rng.integers(0, 2, size=(4, 3)).astype(np.float64)),
            ("random outputs and targets between 0 and 1",
             rng.uniform(0.02, 0.98, size=(3, 2)), rng.uniform(0, 1, size=(3, 2)))]


def check(namespace: Namespace) -> Feedback:
    """Whether ``cross_entropy_derivative`` is the gradient of the cross-entropy."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "cross_entropy_derivative", SIGNATURE)
    for case, y, t in _cases():
        want = complex_step(partial(cross_entropy, t=t), y)
        got = call(fn, SIGNATURE, y, t, case=case)
        compare(got, want, "`cross_entropy_derivative(y, t)`", case, slips={
            "one-term": -t / y, "second-term-sign": -t / y - (1 - t) / (1 - y),
            "delta-not-derivative": y - t})
    return ("`cross_entropy_derivative` agrees with the complex-step derivative of the "
            "cross-entropy on the worked example and on random outputs and targets.")
