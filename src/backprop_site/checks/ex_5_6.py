"""Exercise 5.6, How the outputs move with the inputs: the Jacobian dy/dx."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Net,
    Slip,
    call,
    compare,
    complex_step,
    forward,
    function,
    net_cases,
    sigmoid,
    verdict,
)

ID = "5.6"
PAGE = "derivation/hidden-layer.md"
NAMES = ("jacobian",)
SIGNATURE = "jacobian(x, w, b1, u, b2)"
STARTER = '''\
from backprop_doc import forward


def jacobian(x, w, b1, u, b2):
    """J[i, k] = dy_k / dx_i for one sample x (a 1 x d row): a d x q array."""
    ...
'''
_FORWARD = ("from backprop_doc import forward\n\n\ndef jacobian(x, w, b1, u, b2):\n"
            "    a1, h, a2, y = forward(x, w, b1, u, b2)\n")
SLIPS = (
    Slip("transposed",
         "J[i, k] is dy_k / dx_i: a row per input i and a column per output k, d x q, "
         "as w @ u is.",
         _FORWARD + "    return ((w * h * (1 - h)) @ (u * y * (1 - y))).T\n"),
    Slip("no-hidden-prime",
         "Each path passes through a hidden sigmoid: the factor h_j (1 - h_j) scales the "
         "columns of w.",
         _FORWARD + "    return w @ (u * y * (1 - y))\n"),
    Slip("no-output-prime",
         "Each path ends in an output sigmoid: the factor y_k (1 - y_k) scales the "
         "columns of u.",
         _FORWARD + "    return (w * h * (1 - h)) @ u\n"),
)


def _case(fn: Callable[..., Any], case: str, net: Net) -> None:
    x, _, w, b1, u, b2 = net

    def y_k(x_: Any, k: int) -> Any:
        return sigmoid(sigmoid(x_ @ w + b1) @ u + b2)[0, k]

    want = np.hstack([complex_step(partial(y_k, k=k), x).T for k in range(u.shape[1])])
    _, h, _, y = forward(net)
    got = call(fn, SIGNATURE, x, w, b1, u, b2, case=case)
    compare(got, want, "`jacobian(...)`", case, slips={
        "no-hidden-prime": w @ (u * y * (1 - y)), "no-output-prime": (w * h * (1 - h)) @ u})


def check(namespace: Namespace) -> Feedback:
    """Whether ``jacobian`` is dy/dx, on one sample of several nets."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "jacobian", SIGNATURE)
    cases = net_cases()
    for case, net in cases:
        _case(fn, case.replace("a batch of", "the first of"),
              net._replace(x=net.x[:1], t=net.t[:1]))
    return (f"your Jacobian agrees with the complex-step derivative of y on {len(cases)} nets: "
            "(w scaled by h (1 - h)) times (u scaled by y (1 - y)).")
