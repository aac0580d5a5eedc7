"""Exercise T.3, Momentum: one step of gradient descent with momentum."""

from __future__ import annotations

import numpy as np

from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    call,
    compare,
    function,
    parts,
    verdict,
)

ID = "T.3"
PAGE = "training.md"
NAMES = ("momentum_step",)
SIGNATURE = "momentum_step(p, v, g, eta, mu)"
STARTER = '''\
def momentum_step(p, v, g, eta, mu):
    """One step with momentum for a parameter p, its velocity v and its gradient g:
    the new p and the new v."""
    ...
'''
SLIPS = (
    Slip("old-velocity",
         "The parameter moves by the new velocity: first v <- mu v - eta g, then "
         "p <- p + v.",
         "def momentum_step(p, v, g, eta, mu):\n    return p + v, mu * v - eta * g\n"),
    Slip("sign",
         "The velocity steps against the gradient: mu v - eta g.",
         "def momentum_step(p, v, g, eta, mu):\n    v = mu * v + eta * g\n    return p + v, v\n"),
    Slip("no-momentum",
         "The velocity keeps mu of itself from the step before: mu v - eta g. Without it "
         "this is plain gradient descent.",
         "def momentum_step(p, v, g, eta, mu):\n    v = -eta * g\n    return p + v, v\n"),
    Slip("mu-on-step",
         "mu multiplies the old velocity only; the new gradient comes in as -eta g.",
         "def momentum_step(p, v, g, eta, mu):\n    v = mu * (v - eta * g)\n"
         "    return p + v, v\n"),
)
#: (seed, shape, eta, mu)
CASES = ((71, (2, 3), 0.5, 0.9), (72, (3,), 0.1, 0.5), (73, (4, 2), 2.0, 0.0), (74, (), 0.3, 0.99))


def check(namespace: Namespace) -> Feedback:
    """Whether ``momentum_step`` makes the step of the momentum rule on random arrays."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "momentum_step", SIGNATURE)
    for seed, shape, eta, mu in CASES:
        rng = np.random.default_rng(seed)
        p, v, g = (rng.normal(size=shape) for _ in range(3))
        case = f"random p, v, g of shape {shape}, eta = {eta}, mu = {mu}"
        got = call(fn, SIGNATURE, p, v, g, eta, mu, case=case)
        new_p, new_v = parts(got, ("p", "v"), f"What `{SIGNATURE}` returns")
        want_v = mu * v - eta * g
        compare(new_v, want_v, "the new `v`", case, slips={
            "sign": mu * v + eta * g, "no-momentum": -eta * g, "mu-on-step": mu * (v - eta * g)},
            atol=1e-12)
        compare(new_p, p + want_v, "the new `p`", case, slips={"old-velocity": p + v},
                atol=1e-12)
    return ("your step is v <- mu v - eta g, then p <- p + v: along a steady slope the "
            "steps grow to 1 / (1 - mu) times the plain ones.")
