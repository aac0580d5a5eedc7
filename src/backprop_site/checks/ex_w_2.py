"""Exercise W.2, Two more entries by hand: dL/du32 and dL/dw23."""

from __future__ import annotations

from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    gradients,
    number,
    verdict,
    worked_net,
)

ID = "W.2"
PAGE = "worked-example.md"
NAMES = ("du32", "dw23")
STARTER = '''\
du32 = ...  # dL/du32
dw23 = ...  # dL/dw23
'''
SLIPS = (
    Slip("wrong-hidden-unit",
         "u_32 joins hidden unit 3 to output 2, and w_23 joins input 2 to hidden unit 3: "
         "the unit that matters for both is hidden unit 3 (index 2 in code).",
         "du32 = -0.017655 * 0.68997448\ndw23 = 0.00997896 * 1.0\n"),
    Slip("wrong-output",
         "u_32 feeds output 2: its gradient is output 2's delta, delta2_2, times h_3.",
         "du32 = 0.11272117 * 0.70578503\ndw23 = 0.01166113 * 1.0\n"),
    Slip("wrong-input",
         "w_23 carries input 2, x_2 = 1: its gradient is delta1_3 times x_2, not x_1.",
         "du32 = -0.017655 * 0.70578503\ndw23 = 0.01166113 * 0.5\n"),
)
TOLERANCE = "to four significant digits"


def check(namespace: Namespace) -> Feedback:
    """Whether ``du32`` and ``dw23`` are the two gradients of the worked example."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    g = gradients(worked_net())
    du, dw = g["u"], g["w"]
    number(namespace, "du32", float(du[2, 1]), "dL/du32", rtol=1e-4, tolerance=TOLERANCE,
           slips={"wrong-hidden-unit": float(du[1, 1]), "wrong-output": float(du[2, 0])})
    number(namespace, "dw23", float(dw[1, 2]), "dL/dw23", rtol=1e-4, tolerance=TOLERANCE,
           slips={"wrong-hidden-unit": float(dw[1, 1]), "wrong-input": float(dw[0, 2])})
    return (f"dL/du32 = delta2_2 h_3 = {du[2, 1]:.6f} and dL/dw23 = delta1_3 x_2 = "
            f"{dw[1, 2]:.8f}, as nudging measures.")
