"""Exercise 6.1, A bias is a weight on a constant input: the gradient of the new row."""

from __future__ import annotations

import numpy as np

from backprop_site.checks.common import (
    Array,
    Feedback,
    Namespace,
    Slip,
    compare,
    complex_step,
    forward,
    l2_loss,
    sigmoid,
    value,
    verdict,
    worked_net,
)

ID = "6.1"
PAGE = "derivation/generalization.md"
NAMES = ("new_row",)
STARTER = '''\
new_row = ...  # the gradient of the third row of the 3 x 3 weight matrix: three numbers
'''
SLIPS = (
    Slip("output-delta",
         "The new row's weights feed the hidden units, so by (6.1) their gradients are "
         "the hidden units' deltas, one per hidden unit: three numbers.",
         "from backprop_doc import backward\nfrom backprop_doc.example import x, w, b1, u, b2, t\n"
         "new_row = backward(x, t, w, b1, u, b2).db2\n"),
    Slip("input-row",
         "That is the row of w_1j, whose weights carry x_1 = 0.5. The new row's weights "
         "carry the constant input 1.",
         "from backprop_doc import backward\nfrom backprop_doc.example import x, w, b1, u, b2, t\n"
         "new_row = backward(x, t, w, b1, u, b2).dw[0]\n"),
)
CASE = "the worked example's numbers"
TOLERANCE = "to five significant digits"


def check(namespace: Namespace) -> Feedback:
    """Whether ``new_row`` is the gradient of the row that holds b1."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    net = worked_net()
    x_one = np.hstack([net.x, [[1.0]]])

    def augmented_loss(w_b: Array) -> object:
        return l2_loss(sigmoid(sigmoid(x_one @ w_b) @ net.u + net.b2), net.t)

    want = complex_step(augmented_loss, np.vstack([net.w, net.b1]))[2]
    _, h, _, y = forward(net)
    delta2 = (y - net.t) * y * (1 - y)
    delta1 = (delta2 @ net.u.T) * h * (1 - h)
    got = value(namespace, "new_row", "the three numbers")
    compare(got, want, "`new_row`", CASE, rtol=1e-5, row=True, slips={
        "output-delta": delta2[0], "input-row": delta1[0] * net.x[0, 0]})
    return ("the new row's gradient is the hidden deltas times the input 1: the bias "
            "gradient db1.")
