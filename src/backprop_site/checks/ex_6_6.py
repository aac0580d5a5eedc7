"""Exercise 6.6, Softmax at the top of a deep net: every layer's weight gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

from backprop_site.checks.common import (
    Array,
    DeepNet,
    Feedback,
    Namespace,
    Slip,
    backward_loop,
    call,
    compare,
    complex_step,
    deep_nets,
    function,
    parts,
    sigmoid,
    verdict,
)

ID = "6.6"
PAGE = "derivation/generalization.md"
NAMES = ("softmax_gradients",)
SIGNATURE = "softmax_gradients(x, t, weights, biases)"
STARTER = '''\
import numpy as np
from backprop_doc import sigmoid


def softmax_gradients(x, t, weights, biases):
    """dL/dW of every layer (first layer first): sigmoid hidden layers, a softmax output
    layer and the cross-entropy loss, for a batch (one row per sample)."""
    ...
'''
_HEAD = ("import numpy as np\nfrom backprop_doc import sigmoid\n\n\n"
         "def softmax_gradients(x, t, weights, biases):\n"
         "    outputs = [x]\n"
         "    for W, b in zip(weights[:-1], biases[:-1]):\n"
         "        outputs.append(sigmoid(outputs[-1] @ W + b))\n"
         "    e = np.exp(outputs[-1] @ weights[-1] + biases[-1])\n"
         "    y = e / e.sum(axis=1, keepdims=True)\n")
_LOOP = ("    grads = []\n    for layer in reversed(range(len(weights))):\n"
         "        grads.insert(0, outputs[layer].T @ delta)\n"
         "        if layer > 0:\n"
         "            delta = (delta @ weights[layer].T) * outputs[layer] * (1 - outputs[layer])\n"
         "    return grads\n")
SLIPS = (
    Slip("sigmoid-output-delta",
         "With softmax and cross-entropy the output delta is y - t (Exercise 6.5): "
         "y (1 - y) belongs to a sigmoid output with the squared error.",
         _HEAD + "    delta = (y - t) * y * (1 - y)\n" + _LOOP),
    Slip("delta-wrong-layer",
         "Take each layer's gradient with its own delta, before sending the delta back "
         "(Exercise 6.3).",
         _HEAD + "    delta = y - t\n    grads = []\n"
         "    for layer in reversed(range(len(weights))):\n"
         "        if layer > 0:\n"
         "            delta = (delta @ weights[layer].T) * outputs[layer] * (1 - outputs[layer])\n"
         "        grads.insert(0, outputs[layer].T @ delta)\n    return grads\n"),
)


def softmax(a: Any) -> Any:
    """Softmax of each row (real or complex; the inputs here are small)."""
    e = np.exp(a)
    return e / e.sum(axis=1, keepdims=True)


def _outputs(x: Any, weights: list[Any], biases: list[Any]) -> list[Any]:
    outputs = [x]
    for W, b in zip(weights[:-1], biases[:-1], strict=True):
        outputs.append(sigmoid(outputs[-1] @ W + b))
    return [*outputs, softmax(outputs[-1] @ weights[-1] + biases[-1])]


def _numerical(x: Array, t: Array, weights: list[Array], biases: list[Array],
               k: int) -> Array:
    """The gradient of the cross-entropy with respect to ``weights[k]``, by the complex step."""

    def loss_of(W: Any) -> Any:
        return -np.sum(t * np.log(_outputs(x, [*weights[:k], W, *weights[k + 1:]], biases)[-1]))

    return complex_step(loss_of, weights[k])


def _cases() -> list[DeepNet]:
    def targets(rng: np.random.Generator, n: int, q: int) -> Array:
        t = rng.uniform(0.1, 1, size=(n, q))
        return t / t.sum(axis=1, keepdims=True)  # each row a distribution, as softmax's

    return deep_nets(("the page's 2-4-3-2 net", 0, (2, 4, 3, 2)),
                     ((66, (2, 2, 2, 2), 2), (67, (3, 5, 4), 3), (68, (2, 3, 2, 4, 3), 2)),
                     targets)


def check(namespace: Namespace) -> Feedback:
    """Whether ``softmax_gradients`` gives every layer's gradient, on nets of several depths."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "softmax_gradients", SIGNATURE)
    cases = _cases()
    for case, x, t, weights, biases in cases:
        got = call(fn, SIGNATURE, x, t, weights, biases, case=case)
        names = [f"the gradient of weights[{k}]" for k in range(len(weights))]
        items = parts(got, names, f"What `{SIGNATURE}` returns (one per layer)")
        outputs = _outputs(x, weights, biases)
        y = outputs[-1]
        primed = backward_loop(outputs, weights, (y - t) * y * (1 - y))
        wrong = backward_loop(outputs, weights, y - t, wrong_layer=True)
        for k, item in enumerate(items):
            slips = {"sigmoid-output-delta": primed[k],
                     "delta-wrong-layer": wrong[k]}  # that loop runs on any net: wrong shapes
            compare(item, _numerical(x, t, weights, biases, k),
                    f"`softmax_gradients(...)[{k}]`", case, slips=slips)
    return (f"every layer's gradient agrees with the complex step on {len(cases)} nets: only "
            "the output delta changed, to y - t.")
