"""Exercise 5.3, ReLU hidden units: the gradient of w."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from backprop_site.checks.common import (
    Array,
    Feedback,
    Namespace,
    Net,
    Slip,
    call,
    central_difference,
    compare,
    function,
    l2_loss,
    net_cases,
    sigmoid,
    verdict,
    worked_net,
)

ID = "5.3"
PAGE = "derivation/hidden-layer.md"
NAMES = ("relu_hidden_gradient",)
SIGNATURE = "relu_hidden_gradient(x, t, w, b1, u, b2)"
STARTER = '''\
import numpy as np
from backprop_doc import sigmoid


def relu_hidden_gradient(x, t, w, b1, u, b2):
    """dL/dw (d x m) of the net with relu hidden units, for a batch (one row per sample)."""
    ...
'''
_FORWARD = ("import numpy as np\nfrom backprop_doc import sigmoid\n\n\n"
            "def relu_hidden_gradient(x, t, w, b1, u, b2):\n"
            "    a1 = x @ w + b1\n    h = np.maximum(0.0, a1)\n    y = sigmoid(h @ u + b2)\n"
            "    delta2 = (y - t) * y * (1 - y)\n")
SLIPS = (
    Slip("relu-values",
         "The hidden delta needs relu's derivative, the step [a1 > 0] (1 or 0), not relu's "
         "value h.",
         _FORWARD + "    return x.T @ ((delta2 @ u.T) * h)\n"),
    Slip("sigmoid-prime",
         "h (1 - h) is the sigmoid's derivative. relu's derivative is 1 where a1 > 0 and "
         "0 elsewhere (Exercise 3.3).",
         _FORWARD + "    return x.T @ ((delta2 @ u.T) * h * (1 - h))\n"),
    Slip("no-mask",
         "The link (5.2) is missing: a unit whose a1 is negative outputs 0 whatever its "
         "weights do, so it passes nothing back. Multiply by the step [a1 > 0].",
         _FORWARD + "    return x.T @ (delta2 @ u.T)\n"),
)


def relu_net_loss(net: Net, w: Array) -> float:
    """The loss of the net with relu hidden units."""
    return float(l2_loss(sigmoid(np.maximum(0.0, net.x @ w + net.b1) @ net.u + net.b2),
                         net.t))


def _cases() -> list[tuple[str, Net]]:
    """The page's net (w - 0.5: one unit off), then random ones, all away from the kink."""
    page = worked_net()
    cases = [("the worked example's numbers with w - 0.5", page._replace(w=page.w - 0.5))]
    for case, net in net_cases()[1:]:
        a1 = net.x @ net.w + net.b1
        b1 = net.b1 + np.where(np.abs(a1).min(axis=0) < 1e-3, 0.01, 0.0)
        cases.append((case, net._replace(b1=b1)))
    return cases


def _case(fn: Callable[..., Any], case: str, net: Net) -> None:
    x, t, w, b1, u, b2 = net
    want = central_difference(lambda w_: relu_net_loss(net, w_), w)
    a1 = x @ w + b1
    h = np.maximum(0.0, a1)
    y = sigmoid(h @ u + b2)
    back = ((y - t) * y * (1 - y)) @ u.T
    got = call(fn, SIGNATURE, x, t, w, b1, u, b2, case=case)
    compare(got, want, "`relu_hidden_gradient(...)`", case, rtol=1e-5, slips={
        "relu-values": x.T @ (back * h), "sigmoid-prime": x.T @ (back * h * (1 - h)),
        "no-mask": x.T @ back})


def check(namespace: Namespace) -> Feedback:
    """Whether ``relu_hidden_gradient`` is dL/dw of the relu net, on several nets."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "relu_hidden_gradient", SIGNATURE)
    cases = _cases()
    for case, net in cases:
        _case(fn, case, net)
    return (f"your dL/dw agrees with central differences of the relu net on {len(cases)} "
            "nets; a unit with a1 < 0 gets a zero column: it does not learn from that sample.")
