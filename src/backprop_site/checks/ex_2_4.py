"""Exercise 2.4, Tanh hidden units are sigmoid units in disguise: the sigmoid net that
computes what a tanh net computes."""

from __future__ import annotations

from typing import Any

import numpy as np

from backprop_doc import forward
from backprop_site.checks.common import (
    Array,
    Feedback,
    Namespace,
    Net,
    Slip,
    Wrong,
    call,
    compare,
    function,
    net_cases,
    parts,
    sigmoid,
    to_array,
    verdict,
)

ID = "2.4"
PAGE = "derivation/net.md"
NAMES = ("sigmoid_net",)
SIGNATURE = "sigmoid_net(w, b1, u, b2)"
STARTER = '''\
def sigmoid_net(w, b1, u, b2):
    """The w, b1, u, b2 of a sigmoid net that computes the same y as the tanh net."""
    ...
'''
SLIPS = (
    Slip("no-bias-correction",
         "The -1 of tanh(a) = 2 sigma(2a) - 1 does not go away: it reaches the outputs "
         "as -1 times u, a constant that b2 has to absorb.",
         "def sigmoid_net(w, b1, u, b2):\n    return 2 * w, 2 * b1, 2 * u, b2\n"),
    Slip("wrong-axis",
         "The correction has one entry per output: sum u over the hidden units, its "
         "rows (axis 0).",
         "def sigmoid_net(w, b1, u, b2):\n"
         "    return 2 * w, 2 * b1, 2 * u, b2 - u.sum(axis=1)\n"),
    Slip("no-inner-factor",
         "tanh(a) = 2 sigma(2a) - 1: the sigmoid gets twice the weighted input, so the "
         "hidden layer needs 2w and 2 b1.",
         "def sigmoid_net(w, b1, u, b2):\n    return w, b1, 2 * u, b2 - u.sum(axis=0)\n"),
    Slip("no-outer-factor",
         "tanh(a) = 2 sigma(2a) - 1: the 2 in front of the sigmoid multiplies u.",
         "def sigmoid_net(w, b1, u, b2):\n    return 2 * w, 2 * b1, u, b2 - u.sum(axis=0)\n"),
)


def check(namespace: Namespace) -> Feedback:
    """Whether the net ``sigmoid_net`` returns computes the tanh net's outputs."""
    return verdict(ID, SLIPS, _check, namespace)


def _slips(net: Net) -> dict[str, tuple[Any, ...]]:
    w, b1, u, b2 = net.w, net.b1, net.u, net.b2
    slips = {"no-bias-correction": (2 * w, 2 * b1, 2 * u, b2),
             "no-inner-factor": (w, b1, 2 * u, b2 - u.sum(axis=0)),
             "no-outer-factor": (2 * w, 2 * b1, u, b2 - u.sum(axis=0))}
    if u.shape[0] == u.shape[1]:  # elsewhere the sum over the wrong axis does not broadcast
        slips["wrong-axis"] = (2 * w, 2 * b1, 2 * u, b2 - u.sum(axis=1))
    return slips


def _same(got: list[Array], cand: tuple[Any, ...]) -> bool:
    return all(g.shape == np.shape(c) and np.allclose(g, c) for g, c in zip(got, cand,
                                                                              strict=True))


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "sigmoid_net", SIGNATURE)
    cases = net_cases(square_first=True)  # where the wrong axis still computes
    for case, net in cases:
        got = call(fn, SIGNATURE, net.w, net.b1, net.u, net.b2, case=case)
        names = ("w", "b1", "u", "b2")
        arrays = [to_array(p, f"the returned `{n}`", getattr(net, n).shape)
                  for n, p in zip(names, parts(got, names, "What `sigmoid_net` returns"),
                                  strict=True)]
        slips = _slips(net)
        same = [name for name, cand in slips.items() if _same(arrays, cand)]
        try:
            y = forward(net.x, *arrays).y
        except (TypeError, ValueError) as exc:
            raise Wrong("shape", f"The net that `sigmoid_net` returns does not run on "
                                 f"{case}: {exc}.", slip=same[0] if same else None) from None
        want = sigmoid(np.tanh(net.x @ net.w + net.b1) @ net.u + net.b2)
        outputs = {}
        for name in sorted(slips, key=lambda name: name not in same):
            try:
                outputs[name] = forward(net.x, *slips[name]).y
            except ValueError:
                continue  # this slip's net does not run here
        compare(y, want, "the y of your sigmoid net", case, slips=outputs)
    return (f"your sigmoid net gives the tanh net's outputs on {len(cases)} nets: the "
            "worked example's and random ones of other sizes.")
