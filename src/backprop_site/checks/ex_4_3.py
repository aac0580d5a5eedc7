"""Exercise 4.3, Find the bug: a delta that is slightly off. The gradient of u, fixed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Net,
    Slip,
    call,
    compare,
    complex_step,
    forward,
    function,
    net_cases,
    net_loss,
    sigmoid,
    verdict,
)

ID = "4.3"
PAGE = "derivation/output-layer.md"
NAMES = ("output_gradient",)
SIGNATURE = "output_gradient(h, a2, t)"
STARTER = '''\
from backprop_doc import sigmoid, sigmoid_derivative


def output_gradient(h, a2, t):
    y = sigmoid(a2)
    delta2 = (y - t) * sigmoid_derivative(y)
    return h.T @ delta2
'''
SLIPS = (
    Slip("sigmoid-twice",
         "This is the code as given: the factor is the sigmoid's derivative taken at y, "
         "which is already sigma(a2). Which argument does (3.3) take?",
         STARTER),
    Slip("no-sigma-prime",
         "The sigmoid's derivative is gone altogether: (4.2) has three links, and the "
         "middle one is dy/da2 = y (1 - y).",
         "from backprop_doc import sigmoid\n\n\ndef output_gradient(h, a2, t):\n"
         "    return h.T @ (sigmoid(a2) - t)\n"),
    Slip("transposed",
         "The gradient of u has u's shape, m x q: h transposed times the deltas.",
         "from backprop_doc import sigmoid, sigmoid_derivative\n\n\n"
         "def output_gradient(h, a2, t):\n"
         "    return ((sigmoid(a2) - t) * sigmoid_derivative(a2)).T @ h\n"),
)


def _sigma_prime(a: Any) -> Any:
    s = sigmoid(a)
    return s * (1 - s)


def _case(fn: Callable[..., Any], case: str, net: Net) -> None:
    _, h, a2, y = forward(net)
    want = complex_step(lambda u_: net_loss(net, u=u_), net.u)
    got = call(fn, SIGNATURE, h, a2, net.t, case=case)
    compare(got, want, "`output_gradient(h, a2, t)`", case, slips={
        "sigmoid-twice": h.T @ ((y - net.t) * _sigma_prime(y)),
        "no-sigma-prime": h.T @ (y - net.t)})


def check(namespace: Namespace) -> Feedback:
    """Whether ``output_gradient`` is the gradient of u, on several nets and batches."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "output_gradient", SIGNATURE)
    cases = net_cases()
    for case, net in cases:
        _case(fn, case, net)
    return ("`output_gradient` agrees with a numerical gradient "
            f"(section 6's complex step) of u on {len(cases)} "
            "nets: sigmoid_derivative takes the weighted input a2, not y.")
