"""Exercise 4.2, Sigmoid outputs with cross-entropy: the gradients of u and b2."""

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
    compare,
    complex_step,
    forward,
    function,
    net_cases,
    parts,
    sigmoid,
    verdict,
)

ID = "4.2"
PAGE = "derivation/output-layer.md"
NAMES = ("cross_entropy_gradients",)
SIGNATURE = "cross_entropy_gradients(h, y, t)"
STARTER = '''\
def cross_entropy_gradients(h, y, t):
    """du (m x q) and db2 (q,) of the cross-entropy loss, for a batch: one row per sample
    in h (n x m), y and t (n x q)."""
    ...
'''
SLIPS = (
    Slip("sigma-prime-kept",
         "Write dL/dy for the cross-entropy as one fraction: what is below its line? The "
         "chain rule then multiplies it by the sigmoid's slope y (1 - y): what is left?",
         "def cross_entropy_gradients(h, y, t):\n"
         "    delta2 = (y - t) * y * (1 - y)\n"
         "    return h.T @ delta2, delta2.sum(axis=0)\n"),
    Slip("bias-not-summed",
         "The loss of a batch is the sum of the samples' losses, so the bias gradient is "
         "the delta summed over the samples (the rows): one number per output.",
         "def cross_entropy_gradients(h, y, t):\n    return h.T @ (y - t), y - t\n"),
    Slip("transposed",
         "du has the shape of u, m x q: h transposed (m x n) times the deltas (n x q).",
         "def cross_entropy_gradients(h, y, t):\n"
         "    return (y - t).T @ h, (y - t).sum(axis=0)\n"),
    Slip("sign",
         "Check the sign: an output that is too high (y above t) must get a positive "
         "delta, so that the step against the gradient lowers it.",
         "def cross_entropy_gradients(h, y, t):\n"
         "    return h.T @ (t - y), (t - y).sum(axis=0)\n"),
)


def cross_entropy(y: Array, t: Array) -> Array:
    """The cross-entropy loss, for real or complex y."""
    return -np.sum(t * np.log(y) + (1 - t) * np.log(1 - y))


def _case(fn: Callable[..., Any], case: str, net: Net) -> None:
    _, h, _, y = forward(net)
    t = net.t
    du = complex_step(lambda u_: cross_entropy(sigmoid(h @ u_ + net.b2), t), net.u)
    db2 = complex_step(lambda b_: cross_entropy(sigmoid(h @ net.u + b_), t), net.b2)
    got = call(fn, SIGNATURE, h, y, t, case=case)
    got_du, got_db2 = parts(got, ("du", "db2"), f"What `{SIGNATURE}` returns")
    kept = (y - t) * y * (1 - y)
    compare(got_du, du, "`du`", case, slips={"sigma-prime-kept": h.T @ kept})
    compare(got_db2, db2, "`db2`", case, row=True, slips={
        "sigma-prime-kept": kept.sum(axis=0), "bias-not-summed": y - t})


def check(namespace: Namespace) -> Feedback:
    """Whether ``cross_entropy_gradients`` gives the cross-entropy's gradients of u, b2."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "cross_entropy_gradients", SIGNATURE)
    cases = net_cases()
    for case, net in cases:
        _case(fn, case, net)
    return ("`du` and `db2` agree with a numerical gradient "
            "(section 6's complex step) of the cross-entropy on "
            f"{len(cases)} nets: the worked example's and random ones, batches of 1 to 5.")
