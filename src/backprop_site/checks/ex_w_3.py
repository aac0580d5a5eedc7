"""Exercise W.3, How much should the loss fall? The first-order prediction and the step."""

from __future__ import annotations

import numpy as np

from backprop_doc import forward, l2_loss
from backprop_doc.training import step
from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    gradients,
    number,
    verdict,
    worked_net,
)

ID = "W.3"
PAGE = "worked-example.md"
NAMES = ("predicted", "measured")
STARTER = '''\
predicted = ...  # the change of the loss in the page's step, to first order
measured = ...  # the change the step makes: the loss after it minus the loss before it
'''
_GRADS = ("import numpy as np\nfrom backprop_doc import backward\n"
          "from backprop_doc.example import ETA, b1, b2, t, u, w, x\n"
          "dw, db1, du, db2 = backward(x, t, w, b1, u, b2)\n")
_MEASURED = "measured = -0.0166637\n"
SLIPS = (
    Slip("no-eta",
         "The step is delta p = -eta times the gradient, so the change is -eta times the "
         "squared norm: the learning rate is missing.",
         _GRADS + "predicted = -sum(np.sum(g * g) for g in (dw, db1, du, db2))\n" + _MEASURED),
    Slip("weights-only",
         "Every parameter moves in the step, the biases too: add all four gradients' "
         "squares.",
         _GRADS + "predicted = -ETA * (np.sum(dw * dw) + np.sum(du * du))\n" + _MEASURED),
    Slip("norm-not-squared",
         "The gradient times the step is -eta times the sum of the squares of the "
         "gradient's entries: the squared norm, without a square root.",
         _GRADS + "predicted = -ETA * np.sqrt(sum(np.sum(g * g) for g in (dw, db1, du, db2)))\n"
         + _MEASURED),
    Slip("sign",
         "A small step against the gradient goes downhill: the loss falls, so the change "
         "is negative.",
         _GRADS + "predicted = ETA * sum(np.sum(g * g) for g in (dw, db1, du, db2))\n"
         + _MEASURED),
)
TOLERANCE = "to three significant digits"


def check(namespace: Namespace) -> Feedback:
    """Whether ``predicted`` and ``measured`` are the first-order and the actual change."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    from backprop_doc.example import ETA

    net = worked_net()
    g = gradients(net)
    squares = {name: float(np.sum(v * v)) for name, v in g.items()}
    norm2 = sum(squares.values())
    want = -ETA * norm2
    number(namespace, "predicted", want, "the predicted change", rtol=1e-3,
           tolerance=TOLERANCE, slips={
               "no-eta": -norm2, "weights-only": -ETA * (squares["w"] + squares["u"]),
               "norm-not-squared": -ETA * float(np.sqrt(norm2))})
    new = step(net.x, net.t, net.w, net.b1, net.u, net.b2, eta=ETA)
    actual = (l2_loss(forward(net.x, *new).y, net.t)
              - l2_loss(forward(net.x, net.w, net.b1, net.u, net.b2).y, net.t))
    number(namespace, "measured", actual, "the measured change", rtol=1e-3,
           tolerance=TOLERANCE)
    return (f"to first order the loss falls by {-want:.4f}; the step makes it fall by "
            f"{-actual:.4f}: the difference is of order eta ** 2.")
