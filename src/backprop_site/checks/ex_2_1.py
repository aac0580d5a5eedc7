"""Exercise 2.1, Count the parameters: the count as a function of the sizes."""

from __future__ import annotations

import numpy as np

from backprop_doc.training import init_params
from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    call,
    compare_number,
    function,
    verdict,
)

ID = "2.1"
PAGE = "derivation/net.md"
NAMES = ("count_parameters",)
SIGNATURE = "count_parameters(d, m, q)"
STARTER = '''\
def count_parameters(d, m, q):
    """How many weights and biases a d-m-q net has to learn."""
    ...
'''
SLIPS = (
    Slip("no-biases",
         "That counts the weights only. Every hidden unit and every output also adds a "
         "bias: m + q more numbers to learn.",
         "def count_parameters(d, m, q):\n    return d * m + m * q\n"),
    Slip("one-layer-of-biases",
         "Both layers have biases: m for the hidden units and q for the outputs.",
         "def count_parameters(d, m, q):\n    return d * m + m * q + m\n"),
    Slip("units",
         "That counts the units. Training learns one weight per arrow and one bias per "
         "unit that an arrow feeds.",
         "def count_parameters(d, m, q):\n    return d + m + q\n"),
)
#: The article's net first, then others (a layer of one unit, a wide input).
SIZES = ((2, 3, 2), (1, 1, 1), (5, 7, 3), (3, 1, 4), (784, 30, 10))


def check(namespace: Namespace) -> Feedback:
    """Whether ``count_parameters`` counts the parameters of nets of several sizes."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "count_parameters", SIGNATURE)
    for d, m, q in SIZES:
        # The package's own parameters of a d-m-q net, counted entry by entry.
        want = sum(p.size for p in init_params(np.random.default_rng(0), (d, m, q)))
        got = call(fn, SIGNATURE, d, m, q, case=f"a {d}-{m}-{q} net")
        compare_number(got, want, f"`count_parameters({d}, {m}, {q})`", slips={
            "no-biases": d * m + m * q,
            "one-layer-of-biases": (d * m + m * q + m, d * m + m * q + q),
            "units": d + m + q})
    return (f"`count_parameters` counts 17 for the 2-3-2 net, and the right number for "
            f"{len(SIZES) - 1} other sizes, up to a 784-30-10 net.")
