"""Exercise 2.2, All weights zero: the hidden activations and the outputs."""

from __future__ import annotations

import numpy as np

from backprop_doc import forward
from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    compare,
    value,
    verdict,
    worked_net,
)

ID = "2.2"
PAGE = "derivation/net.md"
NAMES = ("h", "y")
STARTER = '''\
h = ...  # the hidden activations, a 1 x 3 row
y = ...  # the outputs, a 1 x 2 row
'''
SLIPS = (
    Slip("zero",
         "A weighted input of 0 does not give an activation of 0: the sigmoid of 0 is "
         "1 / (1 + e^0) = 1 / 2.",
         "h = [[0.0, 0.0, 0.0]]\ny = [[0.0, 0.0]]\n"),
    Slip("one",
         "e^0 is 1, not 0: the sigmoid of 0 is 1 / (1 + 1).",
         "h = [[1.0, 1.0, 1.0]]\ny = [[1.0, 1.0]]\n"),
)
CASE = "the input x = (0.5, 1) with every weight and bias 0"


def check(namespace: Namespace) -> Feedback:
    """Whether ``h`` and ``y`` are those of the all-zero net."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    zeros = (np.zeros((2, 3)), np.zeros(3), np.zeros((3, 2)), np.zeros(2))
    fwd = forward(worked_net().x, *zeros)
    for name, want in (("h", fwd.h), ("y", fwd.y)):
        what = "the hidden activations" if name == "h" else "the outputs"
        got = value(namespace, name, f"{what}, a 1 x {want.shape[1]} row")
        compare(got, want, f"`{name}`", CASE, row=True, rtol=1e-6, atol=0.0, slips={
            "zero": np.zeros_like(want), "one": np.ones_like(want)})
    return "every hidden unit and every output of the all-zero net is 1/2, whatever x is."
