"""Exercise 3.2, The derivative of tanh: written through tanh itself."""

from __future__ import annotations

import numpy as np

from backprop_site.checks.common import (
    Array,
    Feedback,
    Namespace,
    Slip,
    call,
    compare,
    function,
    verdict,
)

ID = "3.2"
PAGE = "derivation/formulas.md"
NAMES = ("tanh_derivative",)
SIGNATURE = "tanh_derivative(a)"
STARTER = '''\
import numpy as np


def tanh_derivative(a):
    """tanh'(a), element-wise, written through np.tanh(a)."""
    ...
'''
SLIPS = (
    Slip("sigmoid-form",
         "That is the sigmoid's form, s (1 - s). For tanh, go through tanh(a) = "
         "2 sigma(2a) - 1 and the chain rule: it comes out as 1 minus a square.",
         "import numpy as np\n\n\ndef tanh_derivative(a):\n"
         "    return np.tanh(a) * (1 - np.tanh(a))\n"),
    Slip("no-square",
         "Close: 2 sigma(2a) = 1 + tanh(a) and 2 (1 - sigma(2a)) = 1 - tanh(a), and the "
         "derivative is their product.",
         "import numpy as np\n\n\ndef tanh_derivative(a):\n    return 1 - np.tanh(a)\n"),
    Slip("plus",
         "The two factors are 1 + tanh(a) and 1 - tanh(a): their product is 1 minus the "
         "square, at most 1.",
         "import numpy as np\n\n\ndef tanh_derivative(a):\n    return 1 + np.tanh(a) ** 2\n"),
    Slip("factor-2",
         "Off by a factor of 2 everywhere. tanh(a) = 2 sigma(2a) - 1 has two 2s: the one "
         "in front, and the one inside that the chain rule brings down, so tanh'(a) = "
         "4 sigma'(2a).",
         "import numpy as np\n\n\ndef tanh_derivative(a):\n"
         "    return (1 - np.tanh(a) ** 2) / 2\n"),
)
POINTS = (np.linspace(-3.0, 3.0, 7), np.random.default_rng(32).normal(0, 2, size=(2, 3)),
          np.array([[0.25], [-1.5], [4.0]]))


def check(namespace: Namespace) -> Feedback:
    """Whether ``tanh_derivative`` is tanh's derivative, at points of several shapes."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "tanh_derivative", SIGNATURE)
    for a in POINTS:
        case = f"the points a = {np.round(a.ravel(), 3).tolist()} (shape {a.shape})"
        want: Array = np.imag(np.tanh(a + 1e-30j)) / 1e-30  # the complex step
        t = np.tanh(a)
        got = call(fn, SIGNATURE, a, case=case)
        compare(got, want, "`tanh_derivative(a)`", case, slips={
            "sigmoid-form": t * (1 - t), "no-square": 1 - t, "plus": 1 + t ** 2,
            "factor-2": want / 2})
    return ("`tanh_derivative` agrees with the complex-step derivative of np.tanh at "
            f"{sum(a.size for a in POINTS)} points; its largest value is 1, at a = 0.")
