"""Exercise 6.5, Softmax outputs with cross-entropy: the output delta, for any targets."""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from backprop_site.checks.common import (
    Array,
    Feedback,
    Namespace,
    Slip,
    call,
    compare,
    complex_step,
    forward,
    function,
    verdict,
    worked_net,
)

ID = "6.5"
PAGE = "derivation/generalization.md"
NAMES = ("softmax_delta",)
SIGNATURE = "softmax_delta(y, t)"
STARTER = '''\
def softmax_delta(y, t):
    """dL/da2 of softmax outputs y with the cross-entropy, for targets t >= 0 that need
    not sum to 1: one row per sample, the shape of y."""
    ...
'''
SLIPS = (
    Slip("assumes-sum-one",
         "y - t is the delta only when each sample's targets sum to 1. Where did the "
         "derivation use the sum of the t_k? Keep it.",
         "def softmax_delta(y, t):\n    return y - t\n"),
    Slip("sigmoid-delta",
         "y (1 - y) is the sigmoid's derivative. A softmax output depends on every a2_j: "
         "add the paths through every k, with dy_k/da2_j = y_k ([k = j] - y_j).",
         "def softmax_delta(y, t):\n    return (y - t) * y * (1 - y)\n"),
    Slip("batch-sum",
         "Each sample's delta uses its own targets' sum: sum t over each row "
         "(axis=1, keepdims=True), not over the whole batch.",
         "def softmax_delta(y, t):\n    return y * t.sum() - t\n"),
)


def softmax(a: Any) -> Any:
    """Softmax of each row (real or complex; the inputs here are small)."""
    e = np.exp(a)
    return e / e.sum(axis=1, keepdims=True)


def softmax_loss(a: Any, t: Array) -> Any:
    """The cross-entropy of softmax outputs, as a function of the weighted inputs a."""
    return -np.sum(t * np.log(softmax(a)))


def _cases() -> list[tuple[str, Array, Array]]:
    rng = np.random.default_rng(65)
    one_hot = np.eye(4)[rng.integers(0, 4, size=3)]
    net = worked_net()
    _, h, _, _ = forward(net)
    return [("random weighted inputs of a batch of 3, targets that do not sum to 1",
             rng.normal(size=(3, 4)), rng.uniform(0, 1, size=(3, 4))),
            ("random weighted inputs of a batch of 3, one-hot targets",
             rng.normal(size=(3, 4)), one_hot),
            ("the worked example's a2 and targets (0.01, 0.99)", h @ net.u + net.b2, net.t),
            ("the page's targets (0.5, 0.9), which sum to 1.4", h @ net.u + net.b2,
             np.array([[0.5, 0.9]]))]


def check(namespace: Namespace) -> Feedback:
    """Whether ``softmax_delta`` is dL/da2 for softmax and cross-entropy."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "softmax_delta", SIGNATURE)
    for case, a2, t in _cases():
        want = complex_step(partial(softmax_loss, t=t), a2)
        y = softmax(a2)
        got = call(fn, SIGNATURE, y, t, case=case)
        compare(got, want, "`softmax_delta(y, t)`", case, slips={
            "assumes-sum-one": y - t, "sigmoid-delta": (y - t) * y * (1 - y),
            "batch-sum": y * t.sum() - t})
    return ("your delta agrees with the complex-step dL/da2 for targets of any sum: "
            "y times the sum of t, minus t; y - t when the targets sum to 1.")
