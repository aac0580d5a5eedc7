"""Exercise W.5, Find the bug: an update too early. The step, fixed."""

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

ID = "W.5"
PAGE = "worked-example.md"
NAMES = ("update",)
SIGNATURE = "update(x, h, y, t, w, u, eta)"
STARTER = '''\
def update(x, h, y, t, w, u, eta):
    delta2 = (y - t) * y * (1 - y)
    u = u - eta * (h.T @ delta2)
    delta1 = (delta2 @ u.T) * h * (1 - h)
    w = w - eta * (x.T @ delta1)
    return w, u
'''
SLIPS = (
    Slip("update-before-gradient",
         "This new w is what the code as given computes: the hidden delta goes back "
         "through a u that has already moved. Every gradient of a step belongs to the "
         "parameters before the step.",
         STARTER),
    Slip("sign",
         "Gradient descent steps against the gradient: subtract eta times the gradient.",
         "def update(x, h, y, t, w, u, eta):\n    delta2 = (y - t) * y * (1 - y)\n"
         "    delta1 = (delta2 @ u.T) * h * (1 - h)\n"
         "    return w + eta * (x.T @ delta1), u + eta * (h.T @ delta2)\n"),
    Slip("no-eta",
         "The step is the gradient times the learning rate eta.",
         "def update(x, h, y, t, w, u, eta):\n    delta2 = (y - t) * y * (1 - y)\n"
         "    delta1 = (delta2 @ u.T) * h * (1 - h)\n"
         "    return w - x.T @ delta1, u - h.T @ delta2\n"),
)
ETA = 0.5


def check(namespace: Namespace) -> Feedback:
    """Whether ``update`` makes the step of gradient descent on w and u."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    fn = function(namespace, "update", SIGNATURE)
    cases = net_cases()
    for case, net in cases:
        x, t, w, _, u, _ = net
        _, h, _, y = forward(net)
        g = gradients(net)
        got = call(fn, SIGNATURE, x, h, y, t, w, u, ETA, case=f"{case}, eta = {ETA}")
        new_w, new_u = parts(got, ("w", "u"), f"What `{SIGNATURE}` returns")
        delta2 = (y - t) * y * (1 - y)
        early_u = u - ETA * (h.T @ delta2)
        early_w = w - ETA * (x.T @ ((delta2 @ early_u.T) * h * (1 - h)))
        compare(new_u, u - ETA * g["u"], "the new `u`", case, slips={
            "sign": u + ETA * g["u"], "no-eta": u - g["u"]})
        compare(new_w, w - ETA * g["w"], "the new `w`", case, slips={
            "update-before-gradient": early_w, "sign": w + ETA * g["w"], "no-eta": w - g["w"]})
    return (f"the new w and u are the step from the old parameters on {len(cases)} nets: "
            "all gradients first, then the update.")
