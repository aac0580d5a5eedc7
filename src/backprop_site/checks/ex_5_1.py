"""Exercise 5.1, What if u11 doubles? How many times dL/dw11 grows."""

from __future__ import annotations

from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    complex_step,
    forward,
    net_loss,
    number,
    verdict,
    worked_net,
)

ID = "5.1"
PAGE = "derivation/hidden-layer.md"
NAMES = ("ratio",)
STARTER = '''\
ratio = ...  # dL/dw11 with u11 doubled, divided by dL/dw11 of our net
'''
SLIPS = (
    Slip("first-order",
         "That is the prediction with y_1 held fixed: only the term of the path through "
         "y_1 doubles. But a larger u11 also raises a2_1: y_1 moves towards 1 and "
         "y_1 (1 - y_1) shrinks. Measure it on the changed net.",
         "from backprop_doc import forward\nfrom backprop_doc.example import x, w, b1, u, b2, t\n"
         "(y1, y2), (t1, t2) = forward(x, w, b1, u, b2).y[0], t[0]\n"
         "path1 = (y1 - t1) * y1 * (1 - y1) * u[0, 0]\n"
         "path2 = (y2 - t2) * y2 * (1 - y2) * u[0, 1]\n"
         "ratio = (2 * path1 + path2) / (path1 + path2)\n"),
    Slip("doubles",
         "Only one of the two paths of (5.6) goes through u11; the other, through y_2, "
         "stays as it was (and it is negative).",
         "ratio = 2.0\n"),
)
TOLERANCE = "to two decimals"


def check(namespace: Namespace) -> Feedback:
    """Whether ``ratio`` is the measured growth of dL/dw11 when u11 doubles."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    net = worked_net()
    doubled = net.u.copy()
    doubled[0, 0] *= 2
    before = complex_step(lambda w_: net_loss(net, w=w_), net.w)[0, 0]
    after = complex_step(lambda w_: net_loss(net, w=w_, u=doubled), net.w)[0, 0]
    y = forward(net)[3]
    (y1, y2), (t1, t2) = y[0], net.t[0]
    path1 = (y1 - t1) * y1 * (1 - y1) * net.u[0, 0]
    path2 = (y2 - t2) * y2 * (1 - y2) * net.u[0, 1]
    want = float(after / before)
    number(namespace, "ratio", want, "the ratio", atol=0.005, tolerance=TOLERANCE, slips={
        "first-order": float((2 * path1 + path2) / (path1 + path2)), "doubles": 2.0})
    return (f"dL/dw11 grows {want:.2f} times, less than the 2.21 that the first path alone "
            "predicts, because y_1 saturates.")
