"""Exercise T.4, Mean loss, same run: one step of gradient descent on the mean loss."""

from __future__ import annotations

from typing import Any

from backprop_site.checks.common import (
    Array,
    Feedback,
    Namespace,
    Net,
    Slip,
    call,
    compare,
    complex_step,
    function,
    net_cases,
    net_loss,
    parts,
    verdict,
)

ID = "T.4"
PAGE = "training.md"
NAMES = ("mean_loss_step",)
SIGNATURE = "mean_loss_step(x, t, w, b1, u, b2, eta)"
STARTER = '''\
from backprop_doc import backward


def mean_loss_step(x, t, w, b1, u, b2, eta):
    """w, b1, u, b2 after one step of gradient descent on the mean loss of the batch."""
    ...
'''
_HEAD = ("from backprop_doc import backward\n\n\n"
         "def mean_loss_step(x, t, w, b1, u, b2, eta):\n"
         "    grads = backward(x, t, w, b1, u, b2)\n")
SLIPS = (
    Slip("summed-loss",
         "That is a step on the summed loss. The mean loss divides it by n, the number of "
         "samples, and every gradient with it.",
         _HEAD + "    return [p - eta * g for p, g in zip((w, b1, u, b2), grads)]\n"),
    Slip("mean-over-entries",
         "The mean loss divides by the number of samples n (the rows of x), not by every "
         "output of every sample.",
         _HEAD + "    return [p - eta * g / t.size for p, g in zip((w, b1, u, b2), grads)]\n"),
    Slip("sign",
         "Gradient descent steps against the gradient: subtract.",
         _HEAD + "    return [p + eta * g / len(x) for p, g in zip((w, b1, u, b2), grads)]\n"),
)
ETA = 0.7


def mean_loss(net: Net, **changed: Any) -> Any:
    """The mean loss of the batch, with some parameters replaced."""
    return net_loss(net, **changed) / len(net.x)


def _numerical(net: Net, name: str) -> Array:
    """The gradient of the mean loss with respect to one parameter, by the complex step."""
    return complex_step(lambda p: mean_loss(net, **{name: p}), getattr(net, name))


def check(namespace: Namespace) -> Feedback:
    """Whether ``mean_loss_step`` makes the step on the mean loss, on batches of 1 to 5."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "mean_loss_step", SIGNATURE)
    cases = net_cases()
    for case, net in cases:
        case = f"{case}, eta = {ETA}"
        n, q = net.t.shape
        got = call(fn, SIGNATURE, *net, ETA, case=case)
        returned = parts(got, ("w", "b1", "u", "b2"), f"What `{SIGNATURE}` returns")
        for name, new in zip(("w", "b1", "u", "b2"), returned, strict=True):
            p = getattr(net, name)
            g = _numerical(net, name)
            compare(new, p - ETA * g, f"the new `{name}`", case, row=name.startswith("b"),
                    slips={"summed-loss": p - ETA * g * n, "mean-over-entries": p - ETA * g / q,
                           "sign": p + ETA * g})
    return (f"your step agrees with gradient descent on the mean loss on {len(cases)} "
            "batches: the summed loss's gradient divided by n.")
