"""Exercise 2.3, A batch and its shapes: the shapes of a1, h, a2 and y for four samples."""

from __future__ import annotations

import numpy as np

from backprop_doc import forward
from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    Wrong,
    parts,
    value,
    verdict,
    worked_net,
)

ID = "2.3"
PAGE = "derivation/net.md"
NAMES = ("shapes",)
STARTER = '''\
shapes = [..., ..., ..., ...]  # the shapes of a1, h, a2 and y, each as (rows, columns)
'''
SLIPS = (
    Slip("transposed",
         "Rows are samples: a batch of 4 gives every layer 4 rows, one per sample, and "
         "one column per unit.",
         "shapes = [(3, 4), (3, 4), (2, 4), (2, 4)]\n"),
    Slip("one-sample",
         "Those are the shapes for one sample. Each of the 4 samples gets its own row.",
         "shapes = [(1, 3), (1, 3), (1, 2), (1, 2)]\n"),
)
NAMED = ("a1", "h", "a2", "y")


def check(namespace: Namespace) -> Feedback:
    """Whether ``shapes`` lists the four shapes of the forward pass of a 4 x 2 batch."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    net = worked_net()
    batch = np.vstack([net.x] * 4)
    want = [tuple(a.shape) for a in forward(batch, net.w, net.b1, net.u, net.b2)]
    got = value(namespace, "shapes", "the list of the four shapes")
    said = []
    for name, item in zip(NAMED, parts(got, NAMED, "`shapes`"), strict=True):
        if item is Ellipsis:
            raise Wrong("missing", f"The shape of `{name}` in `shapes` is still `...`.")
        try:
            pair = tuple(int(v) for v in item)
        except (TypeError, ValueError):
            raise Wrong("type", f"The shape of `{name}` should be a pair (rows, columns), "
                                f"like (4, 3); got {item!r}.") from None
        said.append(pair)
    if said == want:
        return "a1 and h are 4 x 3, a2 and y are 4 x 2: one row per sample."
    slips = {"transposed": [s[::-1] for s in want],
             "one-sample": [(1, s[1]) for s in want]}
    found = next((name for name, cand in slips.items() if said == cand), None)
    details = [f"The shape of `{name}` is {w}, not {s}." for name, s, w in
               zip(NAMED, said, want, strict=True) if s != w]
    raise Wrong("wrong", "Not yet: some of the shapes are off.", details, slip=found)
