"""Exercise 6.4, Deltas through many saturated sigmoids: how much the first delta shrinks."""

from __future__ import annotations

from typing import Any

import numpy as np

from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    Wrong,
    compare_number,
    complex_step,
    l2_loss,
    parts,
    sigmoid,
    value,
    verdict,
)

ID = "6.4"
PAGE = "derivation/generalization.md"
NAMES = ("shrinks",)
STARTER = '''\
shrinks = (..., ...)  # |first layer's delta / last layer's delta|, with biases 0 and with biases 4
'''
SLIPS = (
    Slip("inverted",
         "First over last: the first layer's delta is the small one, so the ratio is far "
         "below 1.",
         "from backprop_doc import backprop\nimport numpy as np\n"
         "x1, t1 = np.array([[1.0]]), np.array([[0.0]])\n"
         "Ws = [np.array([[1.0]]) for _ in range(10)]\n"
         "def shrink(bias):\n"
         "    db = backprop(x1, t1, Ws, [np.array([bias])] * 10).bias_gradients\n"
         "    return abs(db[-1][0] / db[0][0])\n"
         "shrinks = (shrink(0.0), shrink(4.0))\n"),
    Slip("bound",
         "4 ** -9 is only the bound: y (1 - y) is 1/4 only where y = 1/2, and no unit of "
         "this chain sits there. Compute the deltas.",
         "shrinks = (4.0 ** -9, 4.0 ** -9)\n"),
    Slip("ten-factors",
         "Between the last layer and the first there are nine steps back, so nine factors "
         "y_l (1 - y_l), not ten: the last layer's own factor is in its delta already.",
         "import numpy as np\n"
         "def shrink(bias):\n"
         "    y, product = 1.0, 1.0\n"
         "    for _ in range(10):\n"
         "        y = 1 / (1 + np.exp(-(y + bias)))\n"
         "        product *= y * (1 - y)\n"
         "    return product\n"
         "shrinks = (shrink(0.0), shrink(4.0))\n"),
)
TOLERANCE = "to three significant digits"


def _shrink(bias: float) -> tuple[float, float]:
    """|d1 / d10| of the chain, and the product of all ten y (1 - y), by the complex step."""
    x, t = np.array([[1.0]]), np.array([[0.0]])
    biases = [np.array([bias]) for _ in range(10)]

    def loss(bs: list[Any]) -> Any:
        out: Any = x
        for b in bs:
            out = sigmoid(out @ np.array([[1.0]]) + b)
        return l2_loss(out, t)

    first = complex_step(lambda b: loss([b, *biases[1:]]), biases[0])[0]
    last = complex_step(lambda b: loss([*biases[:-1], b]), biases[-1])[0]
    ys, out = [], 1.0
    for _ in range(10):
        out = float(sigmoid(out + bias))
        ys.append(out)
    return float(abs(first / last)), float(np.prod([y * (1 - y) for y in ys]))


def check(namespace: Namespace) -> Feedback:
    """Whether ``shrinks`` holds the two ratios, without and with saturation."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    got = value(namespace, "shrinks", "the two ratios")
    items = parts(got, ("with biases 0", "with biases 4"), "`shrinks`")
    wants = []
    for k, (bias, item) in enumerate(zip((0.0, 4.0), items, strict=True)):
        if item is Ellipsis:
            raise Wrong("missing", f"`shrinks[{k}]` is still `...`.")
        want, ten = _shrink(bias)
        compare_number(item, want, f"`shrinks[{k}]` (biases {bias:g})", rtol=1e-3,
                       tolerance=TOLERANCE,
                       slips={"inverted": 1 / want, "bound": 4.0 ** -9, "ten-factors": ten})
        wants.append(want)
    return (f"the first delta is {wants[0]:.3g} of the last without saturation and "
            f"{wants[1]:.3g} with it: the vanishing gradient.")
