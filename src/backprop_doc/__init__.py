r"""Backpropagation for a small sigmoid net, written the way the derivation writes it.

The public face: :func:`sigmoid`, :func:`sigmoid_derivative`, :func:`l2_loss`,
:func:`forward`, :func:`backward` and :func:`backprop`. The modules hold one idea each:
`activations`, `loss`, `net` (the seed's two-layer net), `per_weight` (sections 4 and 5
index by index), `backprop` (section 6, any depth), `gradcheck`, `training`, `example`
(the worked example's numbers) and `figures`.
"""

from backprop_doc.activations import sigmoid, sigmoid_derivative
from backprop_doc.backprop import Backprop, backprop
from backprop_doc.loss import l2_loss, l2_loss_derivative
from backprop_doc.net import Forward, Gradients, backward, forward

__all__ = [
    "Backprop",
    "Forward",
    "Gradients",
    "backprop",
    "backward",
    "forward",
    "l2_loss",
    "l2_loss_derivative",
    "sigmoid",
    "sigmoid_derivative",
]
