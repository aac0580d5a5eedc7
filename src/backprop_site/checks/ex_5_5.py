"""Exercise 5.5, A third layer, by hand: dL/dw of a 2-3-2-2 net."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from backprop_site.checks.common import (
    Array,
    Feedback,
    Namespace,
    Slip,
    call,
    compare,
    complex_step,
    function,
    l2_loss,
    sigmoid,
    verdict,
    worked_net,
)

ID = "5.5"
PAGE = "derivation/hidden-layer.md"
NAMES = ("deep_gradient",)
SIGNATURE = "deep_gradient(x, t, w, b1, u, c, v, b)"
STARTER = '''\
from backprop_doc import sigmoid


def deep_gradient(x, t, w, b1, u, c, v, b):
    """dL/dw (d x m) of the net h = sigmoid(x w + b1), g = sigmoid(h u + c),
    y = sigmoid(g v + b), for a batch (one row per sample)."""
    ...
'''
_FORWARD = ("from backprop_doc import sigmoid\n\n\n"
            "def deep_gradient(x, t, w, b1, u, c, v, b):\n"
            "    h = sigmoid(x @ w + b1)\n    g = sigmoid(h @ u + c)\n"
            "    y = sigmoid(g @ v + b)\n    delta3 = (y - t) * y * (1 - y)\n")
SLIPS = (
    Slip("no-transpose",
         "The deltas go back through v transposed: delta2_k sums delta3_l v_kl over the "
         "second index of v. A square v (2 x 2 here) hides the missing transpose.",
         _FORWARD + "    delta2 = (delta3 @ v) * g * (1 - g)\n"
         "    delta1 = (delta2 @ u.T) * h * (1 - h)\n    return x.T @ delta1\n"),
    Slip("no-middle-prime",
         "Each layer's delta has its own sigmoid's derivative: the second hidden layer's "
         "is g (1 - g).",
         _FORWARD + "    delta2 = delta3 @ v.T\n"
         "    delta1 = (delta2 @ u.T) * h * (1 - h)\n    return x.T @ delta1\n"),
    Slip("no-hidden-prime",
         "The first hidden layer's delta needs its sigmoid's derivative, h (1 - h).",
         _FORWARD + "    delta2 = (delta3 @ v.T) * g * (1 - g)\n"
         "    return x.T @ (delta2 @ u.T)\n"),
)


class Deep(NamedTuple):
    """A batch and the parameters of the 3-layer net."""

    x: Array
    t: Array
    w: Array
    b1: Array
    u: Array
    c: Array
    v: Array
    b: Array


def _cases() -> list[tuple[str, Deep]]:
    net = worked_net()
    page = Deep(net.x, net.t, net.w, net.b1, net.u, net.b2,
                np.array([[0.7, -0.3], [0.2, 0.9]]), np.array([0.1, -0.1]))
    cases = [("the page's 2-3-2-2 net", page)]
    for seed, (d, m, p, q), n in ((51, (3, 4, 3, 2), 4), (52, (2, 3, 2, 2), 3),
                                  (53, (2, 2, 4, 3), 2)):
        rng = np.random.default_rng(seed)
        cases.append((f"a random {d}-{m}-{p}-{q} net with a batch of {n} samples", Deep(
            rng.normal(size=(n, d)), rng.uniform(0.05, 0.95, size=(n, q)),
            rng.normal(size=(d, m)), rng.normal(0, 0.5, size=m), rng.normal(size=(m, p)),
            rng.normal(0, 0.5, size=p), rng.normal(size=(p, q)), rng.normal(0, 0.5, size=q))))
    return cases


def deep_loss(net: Deep, w: Any) -> Any:
    """The loss of the 3-layer net, for real or complex w."""
    x, t, _, b1, u, c, v, b = net
    return l2_loss(sigmoid(sigmoid(sigmoid(x @ w + b1) @ u + c) @ v + b), t)


def _case(fn: Callable[..., Any], case: str, net: Deep) -> None:
    x, t, w, b1, u, c, v, b = net
    want = complex_step(lambda w_: deep_loss(net, w_), w)
    h = sigmoid(x @ w + b1)
    g = sigmoid(h @ u + c)
    y = sigmoid(g @ v + b)
    delta3 = (y - t) * y * (1 - y)
    delta2 = (delta3 @ v.T) * g * (1 - g)
    slips = {"no-middle-prime": x.T @ (((delta3 @ v.T) @ u.T) * h * (1 - h)),
             "no-hidden-prime": x.T @ (delta2 @ u.T)}
    if v.shape[0] == v.shape[1]:
        slips["no-transpose"] = x.T @ ((((delta3 @ v) * g * (1 - g)) @ u.T) * h * (1 - h))
    got = call(fn, SIGNATURE, *net, case=case)
    compare(got, want, "`deep_gradient(...)`", case, slips=slips)


def check(namespace: Namespace) -> Feedback:
    """Whether ``deep_gradient`` is dL/dw of 3-layer nets of several sizes."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "deep_gradient", SIGNATURE)
    cases = _cases()
    for case, net in cases:
        _case(fn, case, net)
    return ("your dL/dw agrees with a numerical gradient "
            f"(section 6's complex step) on {len(cases)} three-layer "
            "nets: (5.10) applied twice.")
