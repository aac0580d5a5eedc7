"""Exercise 3.4, A mean instead of a sum: the mean loss's derivative with respect to y."""

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
    function,
    verdict,
)

ID = "3.4"
PAGE = "derivation/formulas.md"
NAMES = ("mean_loss_derivative",)
SIGNATURE = "mean_loss_derivative(y, t)"
STARTER = '''\
def mean_loss_derivative(y, t):
    """dL_mean / dy for a batch: y and t have one row per sample; the shape of y."""
    ...
'''
SLIPS = (
    Slip("sum-not-mean",
         "That is the derivative of the summed loss (3.1). The 1/n of the mean is a "
         "constant factor, and it stays in the derivative.",
         "def mean_loss_derivative(y, t):\n    return y - t\n"),
    Slip("mean-over-entries",
         "You divided by every entry (n times the outputs, as np.mean does), but the mean "
         "loss divides by the number of samples n only: the rows of y.",
         "import numpy as np\n\n\ndef mean_loss_derivative(y, t):\n"
         "    return (y - t) / np.size(y)\n"),
    Slip("factor-2",
         "Off by a factor of 2: the 1/2 of the loss cancels the 2 that comes down from "
         "the square.",
         "def mean_loss_derivative(y, t):\n    return 2 * (y - t) / len(y)\n"),
)
#: (seed, samples, outputs)
BATCHES = ((41, 3, 2), (42, 5, 4), (43, 2, 1), (44, 1, 3))


def mean_loss(y: Any, t: Array) -> Any:
    """The mean loss of a batch: (3.1) divided by the number of samples, the rows."""
    return 0.5 * np.sum((y - t) ** 2) / len(t)


def check(namespace: Namespace) -> Feedback:
    """Whether ``mean_loss_derivative`` is the mean loss's gradient, on batches of 1 to 5."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "mean_loss_derivative", SIGNATURE)
    for seed, n, q in BATCHES:
        rng = np.random.default_rng(seed)
        y, t = rng.uniform(0, 1, size=(n, q)), rng.uniform(0, 1, size=(n, q))
        case = f"a batch of {n} samples with {q} outputs each (y of shape {y.shape})"
        want = complex_step(partial(mean_loss, t=t), y)
        got = call(fn, SIGNATURE, y, t, case=case)
        compare(got, want, "`mean_loss_derivative(y, t)`", case, slips={
            "sum-not-mean": y - t, "mean-over-entries": (y - t) / (n * q),
            "factor-2": 2 * want})
    return ("`mean_loss_derivative` agrees with the complex-step derivative of the mean "
            f"loss on {len(BATCHES)} batches of 1 to 5 samples: the summed loss's "
            "derivative divided by n.")
