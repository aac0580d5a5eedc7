"""Exercise 4.1, The signs of the six gradients: their signs, and the largest of each column."""

from __future__ import annotations

import numpy as np

from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    compare,
    complex_step,
    net_loss,
    value,
    verdict,
    worked_net,
)

ID = "4.1"
PAGE = "derivation/output-layer.md"
NAMES = ("signs", "largest")
STARTER = '''\
signs = ...  # the sign of each dL/du_jk, 1 or -1, in a 3 x 2 array shaped like u
largest = [..., ...]  # in each column, the row of the largest in size (rows count from 0)
'''
SLIPS = (
    Slip("sign",
         "The sign of column k is the sign of y_k - t_k, since h_j and y_k (1 - y_k) are "
         "positive: output 1 is too high (positive), output 2 too low (negative).",
         "signs = [[-1, 1], [-1, 1], [-1, 1]]\nlargest = [2, 2]\n"),
    Slip("transposed",
         "`signs` has the shape of u, 3 x 2: a row per hidden unit j, a column per output k.",
         "signs = [[1, 1, 1], [-1, -1, -1]]\nlargest = [2, 2]\n"),
    Slip("one-based",
         "Count the rows from 0, as code does: the text's row 3 (h_3) is index 2.",
         "signs = [[1, -1], [1, -1], [1, -1]]\nlargest = [3, 3]\n"),
    Slip("smallest",
         "Within a column the sizes follow h_j, and h_3 is the largest hidden activation.",
         "signs = [[1, -1], [1, -1], [1, -1]]\nlargest = [0, 0]\n"),
)
CASE = "the worked example's numbers"


def check(namespace: Namespace) -> Feedback:
    """Whether ``signs`` and ``largest`` describe the gradient of u of the worked example."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    net = worked_net()
    grad = complex_step(lambda u_: net_loss(net, u=u_), net.u)
    want_signs = np.sign(grad)
    signs = value(namespace, "signs", "a 3 x 2 array of 1 and -1, shaped like u")
    compare(signs, want_signs, "`signs`", CASE)
    want_largest = np.abs(grad).argmax(axis=0)
    largest = value(namespace, "largest", "the row of the largest entry of each column")
    compare(largest, want_largest, "`largest`", CASE, slips={
        "one-based": want_largest + 1, "smallest": np.abs(grad).argmin(axis=0)})
    return ("column 1 is positive (y_1 is too high), column 2 negative (y_2 too low), "
            "and in both the largest is row 3, where h_3 is the largest.")
