"""Exercise 6.2, Find the bug: a square layer hides a missing transpose. The hidden delta,
fixed."""

from __future__ import annotations

from typing import Any

from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    call,
    compare,
    complex_step,
    forward,
    function,
    l2_loss,
    net_cases,
    sigmoid,
    verdict,
)

ID = "6.2"
PAGE = "derivation/generalization.md"
NAMES = ("hidden_delta",)
SIGNATURE = "hidden_delta(delta2, u, h)"
STARTER = '''\
def hidden_delta(delta2, u, h):
    return (delta2 @ u) * h * (1 - h)
'''
SLIPS = (
    Slip("no-transpose",
         "This is the line as given, and on a square u it runs. Which index of u does "
         "(6.3) sum over: the one of the hidden unit, or the one of the output?",
         STARTER),
    Slip("no-hidden-prime",
         "A hidden unit's delta is what reaches its output h, times the sigmoid's "
         "derivative h (1 - h).",
         "def hidden_delta(delta2, u, h):\n    return delta2 @ u.T\n"),
)


def check(namespace: Namespace) -> Feedback:
    """Whether ``hidden_delta`` is dL/da1, on square and other nets."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "hidden_delta", SIGNATURE)
    cases = net_cases(square_first=True)
    for case, net in cases:
        a1, h, _, y = forward(net)

        def loss_of_a1(a: Any, net: Any = net) -> Any:
            return l2_loss(sigmoid(sigmoid(a) @ net.u + net.b2), net.t)

        want = complex_step(loss_of_a1, a1)  # dL/da1, one row per sample
        delta2 = (y - net.t) * y * (1 - y)
        slips = {"no-hidden-prime": delta2 @ net.u.T}
        if net.u.shape[0] == net.u.shape[1]:
            slips["no-transpose"] = (delta2 @ net.u) * h * (1 - h)
        got = call(fn, SIGNATURE, delta2, net.u, h, case=case)
        compare(got, want, "`hidden_delta(delta2, u, h)`", case, slips=slips)
    return (f"your hidden deltas agree with the complex-step dL/da1 on {len(cases)} nets, "
            "the square 2-2-2 among them: the deltas go back through u transposed.")
