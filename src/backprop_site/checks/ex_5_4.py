"""Exercise 5.4, Find the bug: what is sent back. The backward pass, fixed."""

from __future__ import annotations

from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    call,
    compare,
    forward,
    function,
    gradients,
    net_cases,
    parts,
    verdict,
)

ID = "5.4"
PAGE = "derivation/hidden-layer.md"
NAMES = ("backward_pass",)
SIGNATURE = "backward_pass(x, h, y, t, u)"
STARTER = '''\
def backward_pass(x, h, y, t, u):
    delta2 = (y - t) * y * (1 - y)
    du = h.T @ delta2
    delta1 = ((y - t) @ u.T) * h * (1 - h)
    dw = x.T @ delta1
    return du, dw
'''
SLIPS = (
    Slip("error-not-delta",
         "This dw is what the code as given computes: the hidden delta is built from "
         "y - t. What does each path of (5.8) carry from the output back to h?",
         STARTER),
    Slip("no-hidden-prime",
         "The hidden delta needs the hidden sigmoid's derivative, h (1 - h), as (5.10) "
         "writes it.",
         "def backward_pass(x, h, y, t, u):\n    delta2 = (y - t) * y * (1 - y)\n"
         "    return h.T @ delta2, x.T @ (delta2 @ u.T)\n"),
    Slip("transposed",
         "dw has the shape of w, d x m: x transposed times the hidden deltas.",
         "def backward_pass(x, h, y, t, u):\n    delta2 = (y - t) * y * (1 - y)\n"
         "    delta1 = (delta2 @ u.T) * h * (1 - h)\n"
         "    return h.T @ delta2, delta1.T @ x\n"),
)


def check(namespace: Namespace) -> Feedback:
    """Whether ``backward_pass`` gives dL/du and dL/dw on several nets."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "backward_pass", SIGNATURE)
    cases = net_cases()
    for case, net in cases:
        _, h, _, y = forward(net)
        want = gradients(net)
        got = call(fn, SIGNATURE, net.x, h, y, net.t, net.u, case=case)
        du, dw = parts(got, ("du", "dw"), f"What `{SIGNATURE}` returns")
        compare(du, want["u"], "`du`", case)
        delta2 = (y - net.t) * y * (1 - y)
        compare(dw, want["w"], "`dw`", case, slips={
            "error-not-delta": net.x.T @ (((y - net.t) @ net.u.T) * h * (1 - h)),
            "no-hidden-prime": net.x.T @ (delta2 @ net.u.T)})
    return ("`du` and `dw` agree with a numerical gradient "
            f"(section 6's complex step) on {len(cases)} nets: the "
            "hidden delta gathers the output deltas, not y - t.")
