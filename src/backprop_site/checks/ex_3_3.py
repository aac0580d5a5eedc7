"""Exercise 3.3, ReLU and its kink: relu's derivative away from 0."""

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

ID = "3.3"
PAGE = "derivation/formulas.md"
NAMES = ("relu_derivative",)
SIGNATURE = "relu_derivative(a)"
STARTER = '''\
import numpy as np


def relu_derivative(a):
    """relu'(a), element-wise, for a != 0: an array of the shape of a."""
    ...
'''
SLIPS = (
    Slip("relu-itself",
         "That is relu itself, max(0, a). Its derivative is its slope: 1 where the line "
         "rises, 0 where it is flat.",
         "import numpy as np\n\n\ndef relu_derivative(a):\n    return np.maximum(0.0, a)\n"),
    Slip("reversed",
         "The step is the wrong way round: relu rises (slope 1) for a > 0 and is flat "
         "(slope 0) for a < 0.",
         "import numpy as np\n\n\ndef relu_derivative(a):\n"
         "    return (np.asarray(a) < 0).astype(float)\n"),
    Slip("sign-function",
         "For a < 0, relu is flat at 0: its slope there is 0, not -1.",
         "import numpy as np\n\n\ndef relu_derivative(a):\n    return np.sign(a)\n"),
)


def _points(seed: int, shape: tuple[int, ...]) -> Array:
    a = np.random.default_rng(seed).normal(0, 1.5, size=shape)
    return np.where(np.abs(a) < 1e-3, 0.5, a)  # away from the kink


POINTS = (np.array([-1.5, -0.1, 0.2, 3.0]), _points(33, (3, 4)), _points(34, (5,)))


def relu(a: Array) -> Array:
    """max(0, a), element-wise."""
    return np.maximum(0.0, a)


def check(namespace: Namespace) -> Feedback:
    """Whether ``relu_derivative`` is relu's slope at points away from 0."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "relu_derivative", SIGNATURE)
    for a in POINTS:
        case = f"the points a = {np.round(a.ravel(), 3).tolist()} (shape {a.shape})"
        want = (relu(a + 1e-6) - relu(a - 1e-6)) / 2e-6  # central differences
        got = call(fn, SIGNATURE, a, case=case)
        compare(got, want, "`relu_derivative(a)`", case, slips={
            "relu-itself": relu(a), "reversed": (a < 0).astype(float),
            "sign-function": np.sign(a)}, atol=1e-6)
    return ("`relu_derivative` agrees with central differences of relu at "
            f"{sum(a.size for a in POINTS)} points away from the kink.")
