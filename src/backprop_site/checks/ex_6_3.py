"""Exercise 6.3, Find the bug: the delta of the wrong layer. The loop, fixed."""

from __future__ import annotations

from typing import Any

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
    l2_loss,
    parts,
    sigmoid,
    verdict,
)

ID = "6.3"
PAGE = "derivation/generalization.md"
NAMES = ("gradients",)
SIGNATURE = "gradients(x, t, weights, biases)"
STARTER = '''\
from backprop_doc.backprop import forward_layers


def gradients(x, t, weights, biases):
    outputs = forward_layers(x, weights, biases)  # [x, first hidden, ..., y]
    y = outputs[-1]
    delta = (y - t) * y * (1 - y)
    grads = []
    for layer in reversed(range(len(weights))):
        if layer > 0:
            delta = (delta @ weights[layer].T) * outputs[layer] * (1 - outputs[layer])
        grads.insert(0, outputs[layer].T @ delta)
    return grads
'''
SLIPS = (
    Slip("delta-wrong-layer",
         "This is the loop as given. A layer's gradient is its input times a delta: whose "
         "delta does `delta` hold when the gradient is taken?",
         STARTER),
    Slip("no-prime",
         "Sending the delta back through a layer passes its sigmoid: (6.3) multiplies by "
         "x (1 - x) of that layer's output.",
         "from backprop_doc.backprop import forward_layers\n\n\n"
         "def gradients(x, t, weights, biases):\n"
         "    outputs = forward_layers(x, weights, biases)\n    y = outputs[-1]\n"
         "    delta = (y - t) * y * (1 - y)\n    grads = []\n"
         "    for layer in reversed(range(len(weights))):\n"
         "        grads.insert(0, outputs[layer].T @ delta)\n"
         "        delta = delta @ weights[layer].T\n"
         "    return grads\n"),
)


def _outputs(x: Any, weights: list[Any], biases: list[Any]) -> list[Any]:
    outputs = [x]
    for W, b in zip(weights, biases, strict=True):
        outputs.append(sigmoid(outputs[-1] @ W + b))
    return outputs


def _numerical(x: Array, t: Array, weights: list[Array], biases: list[Array],
               k: int) -> Array:
    """The gradient of the loss with respect to ``weights[k]``, by the complex step."""

    def loss_of(W: Any) -> Any:
        return l2_loss(_outputs(x, [*weights[:k], W, *weights[k + 1:]], biases)[-1], t)

    return complex_step(loss_of, weights[k])


def _cases() -> list[DeepNet]:
    return deep_nets(("the page's 2-2-2-2 net", 1, (2, 2, 2, 2)),
                     ((61, (3, 4, 2, 3), 4), (62, (2, 5, 3), 3), (63, (4, 3, 3, 2, 2), 2)),
                     lambda rng, n, q: rng.uniform(0.05, 0.95, (n, q)))


def check(namespace: Namespace) -> Feedback:
    """Whether ``gradients`` gives every layer's weight gradient, on nets of several depths."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "gradients", SIGNATURE)
    cases = _cases()
    for case, x, t, weights, biases in cases:
        got = call(fn, SIGNATURE, x, t, weights, biases, case=case)
        names = [f"the gradient of weights[{k}]" for k in range(len(weights))]
        items = parts(got, names, f"What `{SIGNATURE}` returns (one per layer)")
        outputs = _outputs(x, weights, biases)
        y = outputs[-1]
        delta = (y - t) * y * (1 - y)
        wrong = backward_loop(outputs, weights, delta, wrong_layer=True)
        no_prime = backward_loop(outputs, weights, delta, prime=False)
        for k, item in enumerate(items):
            slips = {"no-prime": no_prime[k],
                     "delta-wrong-layer": wrong[k]}  # that loop runs on any net: wrong shapes
            compare(item, _numerical(x, t, weights, biases, k), f"`gradients(...)[{k}]`",
                    case, slips=slips)
    return (f"every layer's gradient agrees with the complex step on {len(cases)} nets of 2 "
            "to 4 layers: the gradient is taken before the delta is sent back.")
