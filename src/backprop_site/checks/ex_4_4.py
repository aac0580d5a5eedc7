"""Exercise 4.4, A confident wrong answer learns slowly: the two output deltas."""

from __future__ import annotations

import numpy as np

from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    Wrong,
    number,
    sigmoid,
    value,
    verdict,
)

ID = "4.4"
PAGE = "derivation/output-layer.md"
NAMES = ("l2_delta", "ce_delta")
STARTER = '''\
l2_delta = ...  # the output delta under the squared-error loss, for a2_1 = -8 and t_1 = 1
ce_delta = ...  # the output delta under cross-entropy
'''
SLIPS = (
    Slip("no-sigma-prime",
         "The squared-error delta keeps the sigmoid's derivative: (y_1 - t_1) times "
         "y_1 (1 - y_1), and that factor is tiny when the unit saturates.",
         "import math\ny1 = 1 / (1 + math.exp(8))\nl2_delta = y1 - 1\nce_delta = y1 - 1\n"),
    Slip("sigma-prime-kept",
         "Under cross-entropy the factor y_1 (1 - y_1) cancels (Exercise 4.2): the delta "
         "is the plain error y_1 - t_1.",
         "import math\ny1 = 1 / (1 + math.exp(8))\nl2_delta = (y1 - 1) * y1 * (1 - y1)\n"
         "ce_delta = (y1 - 1) * y1 * (1 - y1)\n"),
    Slip("swapped",
         "The two are the other way round: the squared-error delta is the tiny one.",
         "import math\ny1 = 1 / (1 + math.exp(8))\nl2_delta = y1 - 1\n"
         "ce_delta = (y1 - 1) * y1 * (1 - y1)\n"),
    Slip("sign",
         "Both deltas are negative: y_1 is far below its target 1, so the loss falls as "
         "a2_1 grows.",
         "import math\ny1 = 1 / (1 + math.exp(8))\nl2_delta = (1 - y1) * y1 * (1 - y1)\n"
         "ce_delta = 1 - y1\n"),
)
TOLERANCE = "to four significant digits"


def check(namespace: Namespace) -> Feedback:
    """Whether ``l2_delta`` and ``ce_delta`` are the two deltas at a2 = -8, t = 1."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    y1, t1 = float(sigmoid(-8.0)), 1.0
    l2, ce = (y1 - t1) * y1 * (1 - y1), y1 - t1
    both = [value(namespace, name, what) for name, what in (
        ("l2_delta", "the squared-error delta"), ("ce_delta", "the cross-entropy delta"))]
    try:
        swapped = np.allclose(np.asarray(both, dtype=float).ravel(), [ce, l2], rtol=1e-4)
    except (TypeError, ValueError):
        swapped = False  # not two numbers: said below
    if swapped:
        raise Wrong("wrong", "Not yet: `l2_delta` and `ce_delta` are the other way round.",
                    slip="swapped")
    number(namespace, "l2_delta", l2, "the squared-error delta", rtol=1e-4,
           tolerance=TOLERANCE, slips={"no-sigma-prime": ce, "swapped": ce})
    number(namespace, "ce_delta", ce, "the cross-entropy delta", rtol=1e-4,
           tolerance=TOLERANCE, slips={"sigma-prime-kept": l2, "swapped": l2})
    return (f"the squared-error delta is {l2:.3g}, the cross-entropy delta {ce:.4g}: "
            "cross-entropy corrects the confident mistake some 3000 times faster.")
