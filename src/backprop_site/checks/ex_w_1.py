"""Exercise W.1, Which output moves more? The change of y in one step."""

from __future__ import annotations

import numpy as np

from backprop_doc import forward
from backprop_doc.training import step
from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    compare,
    value,
    verdict,
    worked_net,
)

ID = "W.1"
PAGE = "worked-example.md"
NAMES = ("change",)
STARTER = '''\
change = ...  # y after the step minus y before it: a 1 x 2 row
'''
SLIPS = (
    Slip("sign",
         "Gradient descent subtracts: delta2_1 is positive, so a2_1 goes down and y_1 "
         "falls; delta2_2 is negative, so y_2 rises.",
         "change = [[0.02, -0.0022]]\n"),
    Slip("no-output-prime",
         "That is about how far a2 moves. The output moves by y (1 - y) times that: "
         "(4.4) turns a move of a2 into a move of y.",
         "from backprop_doc.example import ETA\n"
         "h = [0.6737071, 0.68997448, 0.70578503]\n"
         "factor = 1 + sum(v * v for v in h)\n"
         "change = [[-ETA * 0.11272117 * factor, ETA * 0.017655 * factor]]\n"),
    Slip("bias-only",
         "The output's bias moves by eta delta2_j, and so does each weight into the "
         "output, times the input h_i it carries: the factor is 1 + the sum of h_i ** 2.",
         "from backprop_doc.example import ETA\n"
         "y = [0.83725459, 0.85086663]\n"
         "change = [[-ETA * 0.11272117 * y[0] * (1 - y[0]),"
         " ETA * 0.017655 * y[1] * (1 - y[1])]]\n"),
)
CASE = "the worked example's step"


def check(namespace: Namespace) -> Feedback:
    """Whether ``change`` is the change of y in the page's step, to 30 %."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    net = worked_net()
    from backprop_doc.example import ETA

    before = forward(net.x, net.w, net.b1, net.u, net.b2).y
    after = forward(net.x, *step(net.x, net.t, net.w, net.b1, net.u, net.b2, eta=ETA)).y
    want = after - before
    y = before
    delta2 = (y - net.t) * y * (1 - y)
    h = forward(net.x, net.w, net.b1, net.u, net.b2).h
    moved = -ETA * delta2 * (1 + np.sum(h * h))
    got = value(namespace, "change", "the change of y, a 1 x 2 row")
    arr = compare(got, want, "`change`", CASE, row=True, rtol=0.3, atol=0.0, slips={
        "no-output-prime": moved, "bias-only": -ETA * delta2 * y * (1 - y)})
    exact = np.allclose(arr, want, rtol=1e-3, atol=0.0)
    return (f"y_1 falls by {-want[0, 0]:.4f} and y_2 rises by {want[0, 1]:.4f}: the larger "
            "delta moves its output more." + ("" if exact else
                                              " (Yours is a first-order estimate, within 30 %.)"))
