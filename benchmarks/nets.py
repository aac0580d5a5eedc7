"""The nets measured: sizes, random parameters, and what the matrix products predict.

A net is written by its layer widths, ``(2, 3, 2)`` for the seed's net. Its parameters are
drawn once from a seeded generator (weights with standard deviation ``1/sqrt(fan_in)``, so
the sigmoids work in their curved middle, not flat at 0 or 1), inputs and targets uniform
in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Net", "Problem", "flatten", "problem", "unflatten"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Net:
    """Layer widths, inputs first: ``Net((784, 256, 10))``."""

    sizes: tuple[int, ...]

    @property
    def name(self) -> str:
        """``2-3-2``: the sizes of the layers."""
        return "-".join(str(s) for s in self.sizes)

    @property
    def layers(self) -> list[tuple[int, int]]:
        """(inputs, outputs) of each layer."""
        return list(zip(self.sizes[:-1], self.sizes[1:], strict=True))

    @property
    def params(self) -> int:
        """The number of parameters: every weight and every bias."""
        return sum(d * m + m for d, m in self.layers)

    @property
    def matmul_ratio(self) -> float:
        """(forward + backward) / forward, counting multiply-adds of the matrix products.

        Forward: one product per layer, ``x @ W``, n d m multiply-adds. Backward: one
        product per layer for the weight gradient, ``x.T @ delta`` (n d m again), and one
        per layer but the first to send the deltas back, ``delta @ W.T`` (n d m): the first
        layer's inputs need no delta. So the limit is 3 for deep nets of equal layers, and
        a little over 2 when the first layer dominates (784 inputs). The batch size n
        cancels.
        """
        forward = sum(d * m for d, m in self.layers)
        backward = forward + sum(d * m for d, m in self.layers[1:])
        return (forward + backward) / forward


@dataclass(frozen=True)
class Problem:
    """One batch and one set of parameters of a net."""

    net: Net
    x: Array
    t: Array
    weights: list[Array]
    biases: list[Array]


def problem(net: Net, batch: int, seed: int = 0) -> Problem:
    """Random parameters and a random batch for ``net``, the same for the same arguments."""
    rng = np.random.default_rng([seed, batch, *net.sizes])
    weights = [rng.normal(0.0, 1.0 / np.sqrt(d), (d, m)) for d, m in net.layers]
    biases = [rng.normal(0.0, 0.1, m) for _, m in net.layers]
    x = rng.uniform(0.0, 1.0, (batch, net.sizes[0]))
    t = rng.uniform(0.0, 1.0, (batch, net.sizes[-1]))
    return Problem(net, x, t, weights, biases)


def flatten(weights: list[Array], biases: list[Array]) -> Array:
    """Every parameter in one vector: the weights layer by layer, then the biases."""
    return np.concatenate([p.ravel() for p in (*weights, *biases)])


def unflatten(net: Net, p: Array) -> tuple[list[Array], list[Array]]:
    """The inverse of :func:`flatten`: views into ``p``, no copies."""
    weights: list[Array] = []
    biases: list[Array] = []
    at = 0
    for d, m in net.layers:
        weights.append(p[at : at + d * m].reshape(d, m))
        at += d * m
    for _, m in net.layers:
        biases.append(p[at : at + m])
        at += m
    return weights, biases
