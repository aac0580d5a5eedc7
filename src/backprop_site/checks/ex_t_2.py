"""Exercise T.2, Weight decay: the gradients of the penalised loss."""

from __future__ import annotations

from typing import Any

import numpy as np

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

ID = "T.2"
PAGE = "training.md"
NAMES = ("decay_gradients",)
SIGNATURE = "decay_gradients(x, t, w, b1, u, b2, lam)"
STARTER = '''\
from backprop_doc import backward


def decay_gradients(x, t, w, b1, u, b2, lam):
    """dw, db1, du, db2 of the loss with weight decay, L + lam / 2 (sum w ** 2 + sum u ** 2)."""
    ...
'''
_HEAD = ("from backprop_doc import backward\n\n\n"
         "def decay_gradients(x, t, w, b1, u, b2, lam):\n"
         "    dw, db1, du, db2 = backward(x, t, w, b1, u, b2)\n")
SLIPS = (
    Slip("biases-decayed",
         "The penalty leaves the biases out, so their gradients are those of L alone.",
         _HEAD + "    return dw + lam * w, db1 + lam * b1, du + lam * u, db2 + lam * b2\n"),
    Slip("decay-doubled",
         "The derivative of lam / 2 times w ** 2 is lam w: the 1/2 cancels the 2 of the "
         "square.",
         _HEAD + "    return dw + 2 * lam * w, db1, du + 2 * lam * u, db2\n"),
    Slip("decay-halved",
         "The derivative of w ** 2 is 2 w, which cancels the 1/2 in lam / 2: the penalty's "
         "gradient is lam w.",
         _HEAD + "    return dw + lam * w / 2, db1, du + lam * u / 2, db2\n"),
    Slip("decay-sign",
         "The penalty grows with the weights, so its gradient lam w points away from 0; "
         "the step against it pulls the weights towards 0. Add it.",
         _HEAD + "    return dw - lam * w, db1, du - lam * u, db2\n"),
    Slip("u-not-decayed",
         "The penalty holds both weight matrices, u as well as w.",
         _HEAD + "    return dw + lam * w, db1, du, db2\n"),
)
LAMBDAS = (0.1, 0.35, 0.05, 0.2, 0.5)


def decayed_loss(net: Net, lam: float, **changed: Any) -> Any:
    """L + lam / 2 (sum w ** 2 + sum u ** 2), with some parameters replaced."""
    w, u = changed.get("w", net.w), changed.get("u", net.u)
    return net_loss(net, **changed) + lam / 2 * (np.sum(w ** 2) + np.sum(u ** 2))


def _numerical(net: Net, lam: float) -> dict[str, Array]:
    """The four gradients of the decayed loss, by the complex step."""

    def gradient(name: str) -> Array:
        return complex_step(lambda p: decayed_loss(net, lam, **{name: p}), getattr(net, name))

    return {name: gradient(name) for name in ("w", "b1", "u", "b2")}


def check(namespace: Namespace) -> Feedback:
    """Whether ``decay_gradients`` gives the four gradients of the decayed loss."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "decay_gradients", SIGNATURE)
    cases = net_cases()
    for (case, net), lam in zip(cases, LAMBDAS, strict=True):
        case = f"{case}, lam = {lam}"
        want = _numerical(net, lam)
        got = call(fn, SIGNATURE, *net, lam, case=case)
        returned = dict(zip(("w", "b1", "u", "b2"), parts(
            got, ("dw", "db1", "du", "db2"), f"What `{SIGNATURE}` returns"), strict=True))
        for name in ("w", "u", "b1", "b2"):  # what each slip gives for a weight, a bias
            p = getattr(net, name)
            plain = want[name] - (lam * p if name in ("w", "u") else 0)
            if name in ("w", "u"):
                slips = {"decay-doubled": plain + 2 * lam * p, "decay-halved": plain + lam * p / 2,
                         "decay-sign": plain - lam * p}
                if name == "u":
                    slips["u-not-decayed"] = plain
            else:
                slips = {"biases-decayed": plain + lam * p}
            compare(returned[name], want[name], f"`d{name}`", case, row=name.startswith("b"),
                    slips=slips)
    return (f"all four gradients agree with the complex step of the decayed loss on "
            f"{len(cases)} nets: lam w added to dw, lam u to du, the biases as before.")
