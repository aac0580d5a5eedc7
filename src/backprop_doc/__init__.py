r"""Backpropagation for a small sigmoid net, written the way the derivation writes it.

The public face, for pages and readers:

- [`sigmoid`][backprop_doc.activations.sigmoid] and
  [`sigmoid_derivative`][backprop_doc.activations.sigmoid_derivative], (3.2) and (3.3);
- [`l2_loss`][backprop_doc.loss.l2_loss], (3.1);
- [`forward`][backprop_doc.net.forward] and [`backward`][backprop_doc.net.backward], the
  article's two-layer net, sections 2, 4 and 5;
- [`backprop`][backprop_doc.backprop.backprop], any depth, section 6.

The modules hold one idea each: `activations`, `loss`, `net` (the article's two-layer net),
`per_weight` (sections 4 and 5 index by index), `backprop` (section 6, any depth),
`gradcheck`, `training` and `example` (the worked example's numbers). The site's figures
are drawn by the site's own code (`src/backprop_site/figures.py`), not by the package.
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
