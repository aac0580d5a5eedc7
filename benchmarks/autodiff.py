"""The same gradient by independent automatic differentiation, where one is installed.

Each engine gets the net in its own idiom, float64, parameters set up once, timed for one
call that computes the loss and every gradient: PyTorch (leaf tensors sharing the NumPy
arrays' memory, ``torch.autograd.grad``, one thread) and the autograd package
(``value_and_grad``). An engine that is not installed is reported, not dropped.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from benchmarks.nets import Problem

__all__ = ["ENGINES", "Engine", "available"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Engine:
    """An automatic differentiation engine, by its distribution's name."""

    name: str
    distribution: str
    #: problem -> (a call that computes loss and gradient, a call giving the gradient
    #: as NumPy arrays: weights then biases)
    prepare: Callable[[Problem], tuple[Callable[[], object], Callable[[], list[Array]]]]

    def version(self) -> str | None:
        """The engine's version, or None when it is not installed."""
        try:
            return importlib.metadata.version(self.distribution)
        except importlib.metadata.PackageNotFoundError:
            return None


def _torch(pr: Problem) -> tuple[Callable[[], object], Callable[[], list[Array]]]:
    import torch

    torch.set_num_threads(1)
    x, t = torch.from_numpy(pr.x), torch.from_numpy(pr.t)
    weights = [torch.from_numpy(w.copy()).requires_grad_() for w in pr.weights]
    biases = [torch.from_numpy(b.copy()).requires_grad_() for b in pr.biases]
    params = [*weights, *biases]

    def gradient() -> tuple[Any, tuple[Any, ...]]:
        h = x
        for w, b in zip(weights, biases, strict=True):
            h = torch.sigmoid(h @ w + b)
        loss = 0.5 * ((h - t) ** 2).sum()
        return loss, torch.autograd.grad(loss, params)

    def as_numpy() -> list[Array]:
        return [g.detach().numpy() for g in gradient()[1]]

    return gradient, as_numpy


def _autograd(pr: Problem) -> tuple[Callable[[], object], Callable[[], list[Array]]]:
    import autograd.numpy as anp
    from autograd import value_and_grad

    x, t, layers = pr.x, pr.t, len(pr.weights)
    params = [*pr.weights, *pr.biases]

    def loss(params: list[Any]) -> Any:
        h = x
        for w, b in zip(params[:layers], params[layers:], strict=True):
            h = 1.0 / (1.0 + anp.exp(-(anp.dot(h, w) + b)))
        return 0.5 * anp.sum((h - t) ** 2)

    loss_and_gradient = value_and_grad(loss)

    def gradient() -> object:
        return loss_and_gradient(params)

    def as_numpy() -> list[Array]:
        return [np.asarray(g) for g in loss_and_gradient(params)[1]]

    return gradient, as_numpy


ENGINES = [Engine("PyTorch", "torch", _torch), Engine("autograd", "autograd", _autograd)]


def available() -> list[Engine]:
    """The engines that import here."""
    found = []
    for engine in ENGINES:
        if engine.version() is None:
            continue
        try:
            __import__(engine.distribution)
        except ImportError:
            continue
        found.append(engine)
    return found
