"""Exercise W.4, A batch of two samples: the gradients of a batch, by matrix products."""

from __future__ import annotations

import numpy as np

from backprop_site.checks.common import (
    Array,
    Feedback,
    Namespace,
    Net,
    Slip,
    call,
    compare,
    forward,
    function,
    gradients,
    net_cases,
    parts,
    verdict,
    worked_net,
)

ID = "W.4"
PAGE = "worked-example.md"
NAMES = ("batch_gradients",)
SIGNATURE = "batch_gradients(x, t, w, b1, u, b2)"
STARTER = '''\
from backprop_doc import forward


def batch_gradients(x, t, w, b1, u, b2):
    """dw, db1, du, db2 of the summed loss of a batch (one row per sample in x and t),
    each in its parameter's shape, the biases' as vectors."""
    ...
'''
_HEAD = ("from backprop_doc import forward\n\n\n"
         "def batch_gradients(x, t, w, b1, u, b2):\n"
         "    a1, h, a2, y = forward(x, w, b1, u, b2)\n")
_RIGHT = ("    delta2 = (y - t) * y * (1 - y)\n"
          "    delta1 = (delta2 @ u.T) * h * (1 - h)\n")
SLIPS = (
    Slip("bias-not-summed",
         "The loss of a batch is the sum of the samples' losses: a bias gradient is the "
         "delta summed over the samples, the rows (axis 0), one number per unit.",
         _HEAD + _RIGHT + "    return x.T @ delta1, delta1, h.T @ delta2, delta2\n"),
    Slip("wrong-axis",
         "Sum the deltas over the samples, the rows (axis 0): one number per unit, not one "
         "per sample.",
         _HEAD + _RIGHT + "    return x.T @ delta1, delta1.sum(axis=1), h.T @ delta2, "
         "delta2.sum(axis=1)\n"),
    Slip("mean-not-sum",
         "Every gradient is divided by the number of samples: that is the gradient of the "
         "mean loss. The loss (3.1) of a batch is the sum.",
         _HEAD + _RIGHT + "    n = len(x)\n    return (x.T @ delta1 / n, delta1.sum(axis=0) / n, "
         "h.T @ delta2 / n,\n            delta2.sum(axis=0) / n)\n"),
    Slip("no-output-prime",
         "The output delta has three links' worth: (y - t) times y (1 - y), the output "
         "sigmoid's derivative (4.4).",
         _HEAD + "    delta2 = y - t\n    delta1 = (delta2 @ u.T) * h * (1 - h)\n"
         "    return x.T @ delta1, delta1.sum(axis=0), h.T @ delta2, delta2.sum(axis=0)\n"),
    Slip("no-hidden-prime",
         "The hidden delta (5.10) needs the hidden sigmoid's derivative, h (1 - h).",
         _HEAD + "    delta2 = (y - t) * y * (1 - y)\n    delta1 = delta2 @ u.T\n"
         "    return x.T @ delta1, delta1.sum(axis=0), h.T @ delta2, delta2.sum(axis=0)\n"),
    Slip("error-not-delta",
         "The hidden delta gathers the output deltas through u, not y - t (Exercise 5.4).",
         _HEAD + "    delta2 = (y - t) * y * (1 - y)\n"
         "    delta1 = ((y - t) @ u.T) * h * (1 - h)\n"
         "    return x.T @ delta1, delta1.sum(axis=0), h.T @ delta2, delta2.sum(axis=0)\n"),
    Slip("delta-wrong-layer",
         "The hidden weights w feed the hidden units: their gradient is x transposed times "
         "the hidden deltas, delta1.",
         _HEAD + _RIGHT + "    return x.T @ delta2, delta1.sum(axis=0), h.T @ delta2, "
         "delta2.sum(axis=0)\n"),
    Slip("transposed",
         "Each gradient has its parameter's shape: h transposed (m x n) times delta2 "
         "(n x q) is m x q, like u.",
         _HEAD + _RIGHT + "    return delta1.T @ x, delta1.sum(axis=0), delta2.T @ h, "
         "delta2.sum(axis=0)\n"),
    Slip("factor-2",
         "Every gradient is twice the right one: the 1/2 of the loss cancels the 2 that "
         "comes down from the square, so dL/dy is y - t.",
         _HEAD + "    delta2 = 2 * (y - t) * y * (1 - y)\n"
         "    delta1 = (delta2 @ u.T) * h * (1 - h)\n"
         "    return x.T @ delta1, delta1.sum(axis=0), h.T @ delta2, delta2.sum(axis=0)\n"),
)


def _slips(net: Net) -> dict[str, dict[str, Array]]:
    """What each slip gives, parameter by parameter."""
    x, t, _, _, u, _ = net
    _, h, _, y = forward(net)

    def grads(delta2: Array, delta1: Array) -> dict[str, Array]:
        return {"w": x.T @ delta1, "b1": delta1.sum(axis=0), "u": h.T @ delta2,
                "b2": delta2.sum(axis=0)}

    delta2 = (y - t) * y * (1 - y)
    delta1 = (delta2 @ u.T) * h * (1 - h)
    n = len(x)
    return {
        "bias-not-summed": {"b1": delta1, "b2": delta2},
        "wrong-axis": {"b1": delta1.sum(axis=1), "b2": delta2.sum(axis=1)},
        "mean-not-sum": {k: v / n for k, v in grads(delta2, delta1).items()},
        # only the output layer: were du and db2 right, the slip is another one
        "no-output-prime": {k: v for k, v in grads(y - t, ((y - t) @ u.T) * h * (1 - h))
                            .items() if k in ("u", "b2")},
        "no-hidden-prime": grads(delta2, delta2 @ u.T),
        "error-not-delta": grads(delta2, ((y - t) @ u.T) * h * (1 - h)),
        "delta-wrong-layer": {"w": x.T @ delta2},
    }


def _cases() -> list[tuple[str, Net]]:
    net = worked_net()
    page = net._replace(x=np.vstack([net.x, [[1.0, 0.0]]]), t=np.vstack([net.t, [[0.5, 0.5]]]))
    return [("the exercise's batch of two samples", page), *net_cases()[1:]]


def check(namespace: Namespace) -> Feedback:
    """Whether ``batch_gradients`` gives all four gradients of batches of 1 to 5 samples."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "batch_gradients", SIGNATURE)
    cases = _cases()
    for case, net in cases:
        want = gradients(net)
        got = call(fn, SIGNATURE, *net, case=case)
        returned = dict(zip(("w", "b1", "u", "b2"), parts(
            got, ("dw", "db1", "du", "db2"), f"What `{SIGNATURE}` returns"), strict=True))
        slips = _slips(net)
        for name in ("u", "b2", "w", "b1"):  # the output layer first, as backprop runs
            compare(returned[name], want[name], f"`d{name}`", case, row=name.startswith("b"),
                    slips={slip: by[name] for slip, by in slips.items() if name in by})
    return (f"all four gradients agree with the complex step on {len(cases)} batches of 1 to "
            "5 samples: the products h.T @ delta2 and x.T @ delta1 add up the samples.")
