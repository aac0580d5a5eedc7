"""Exercise 5.2, Tanh hidden units: the gradient of w."""

from __future__ import annotations

from collections.abc import Callable
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
    function,
    l2_loss,
    net_cases,
    sigmoid,
    verdict,
)

ID = "5.2"
PAGE = "derivation/hidden-layer.md"
NAMES = ("tanh_hidden_gradient",)
SIGNATURE = "tanh_hidden_gradient(x, t, w, b1, u, b2)"
STARTER = '''\
import numpy as np
from backprop_doc import sigmoid


def tanh_hidden_gradient(x, t, w, b1, u, b2):
    """dL/dw (d x m) of the net with tanh hidden units, for a batch (one row per sample)."""
    ...
'''
_FORWARD = ("import numpy as np\nfrom backprop_doc import sigmoid\n\n\n"
            "def tanh_hidden_gradient(x, t, w, b1, u, b2):\n"
            "    h = np.tanh(x @ w + b1)\n    y = sigmoid(h @ u + b2)\n"
            "    delta2 = (y - t) * y * (1 - y)\n")
SLIPS = (
    Slip("sigmoid-prime",
         "h (1 - h) is the sigmoid's derivative written through its output. The hidden "
         "units are tanh now: their derivative is 1 - h ** 2 (Exercise 3.2).",
         _FORWARD + "    return x.T @ ((delta2 @ u.T) * h * (1 - h))\n"),
    Slip("no-square",
         "tanh'(a) = 1 - tanh(a) ** 2: the h is squared.",
         _FORWARD + "    return x.T @ ((delta2 @ u.T) * (1 - h))\n"),
    Slip("no-hidden-prime",
         "The link (5.2), dh_j / da1_j, is missing: the hidden delta is what reaches h "
         "times the tanh's derivative, 1 - h ** 2.",
         _FORWARD + "    return x.T @ (delta2 @ u.T)\n"),
    Slip("transposed",
         "dL/dw has the shape of w, d x m: x transposed (d x n) times the hidden deltas "
         "(n x m).",
         _FORWARD + "    return ((delta2 @ u.T) * (1 - h * h)).T @ x\n"),
)


def tanh_net_loss(x: Any, t: Any, w: Any, b1: Any, u: Any, b2: Any) -> Any:
    """The loss of the net with tanh hidden units, for real or complex w."""
    return l2_loss(sigmoid(np.tanh(x @ w + b1) @ u + b2), t)


def _case(fn: Callable[..., Any], case: str, net: Net) -> None:
    x, t, w, b1, u, b2 = net
    want = complex_step(lambda w_: tanh_net_loss(x, t, w_, b1, u, b2), w)
    h = np.tanh(x @ w + b1)
    y = sigmoid(h @ u + b2)
    back = ((y - t) * y * (1 - y)) @ u.T
    got = call(fn, SIGNATURE, x, t, w, b1, u, b2, case=case)
    compare(got, want, "`tanh_hidden_gradient(...)`", case, slips={
        "sigmoid-prime": x.T @ (back * h * (1 - h)), "no-square": x.T @ (back * (1 - h)),
        "no-hidden-prime": x.T @ back})


def check(namespace: Namespace) -> Feedback:
    """Whether ``tanh_hidden_gradient`` is dL/dw of the tanh net, on several nets."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "tanh_hidden_gradient", SIGNATURE)
    cases = net_cases()
    for case, net in cases:
        _case(fn, case, net)
    return ("your dL/dw agrees with a numerical gradient "
            f"(section 6's complex step) of the tanh net on {len(cases)} "
            "nets: only the link (5.2) changed, to 1 - h ** 2.")
