r"""The training page's live view: the net training, every number computed by the package.

The view (``docs/live/live.js``) draws; this module computes. It runs in two places:

* in the reader's browser, in the Run buttons' Python, as ``run/live.py``
  (``pyodide_files`` publishes it, ``run/worker.js`` loads it beside ``pycon.py`` and
  ``steps.py``): a `Session` trains the net with
  ``backprop_doc.training.train`` a few steps at a time, and after each few steps the
  worker posts `Session.numbers` (the iteration, the loss, the parameters, the losses of
  the new steps, the training points) and `Session.grid` (what the five units compute on
  a grid over the input plane) to the page as typed-array buffers: no list is made of a
  grid, and the page computes nothing;
* when the site is built, `backprop_site.live_view` uses the same `Session` for the page's
  starting state and `formulas` for the formulas of the view's "mathematics" panel (drawn
  by MathJax at build time), and `backprop_site.plots` for the snapshots that show with
  JavaScript off and on paper.

The default `Session` is the training page's run: the half adder, ``TRAIN_ETA``, and the
starting weights of ``np.random.default_rng(SEED)``; at every iteration its loss is the
page's ``train(...).losses[iteration]``, to the last bit.

A reader's bad input (a learning rate that is not a positive number, a seed that is not a
whole number, the last point of a data set removed) raises `LiveError` naming the control;
`Session.handle` answers it as ``{"error": ..., "field": ...}`` and keeps the state as it
was. A step that overflows stops the training at the last finite state and says so.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop_doc import backward, forward
from backprop_doc.example import ADDER_T, ADDER_X, SEED, TRAIN_ETA
from backprop_doc.net import loss
from backprop_doc.training import Params, init_params, step, train

try:  # the site's build and the tests: the package
    from backprop_site.steps import MINUS, SUB, TIMES, fmt
except ImportError:  # the reader's browser: run/steps.py beside this file (run/worker.js)
    from steps import MINUS, SUB, TIMES, fmt  # type: ignore[import-not-found,no-redef]

__all__ = [
    "CLASSES", "DATA", "GRID", "HI", "LO", "SYMBOLS", "DataSet", "LiveError", "Session",
    "formulas", "parse_eta", "parse_seed",
]

Array = NDArray[np.float64]

#: The part of the input plane the view draws, in x₁ and in x₂ (Figure 4's).
LO, HI = -0.5, 1.5
#: The plane's grid: GRID x GRID points, at the centres of the canvas's cells.
GRID = 100
#: The noisy data sets are drawn once, from this seed (the reader's seed is the weights').
DATA_SEED = 2024
#: The targets a point added by a click can have: (t₁, t₂).
CLASSES = {"10": (1.0, 0.0), "01": (0.0, 1.0), "11": (1.0, 1.0), "00": (0.0, 0.0)}


def _sub(*indices: int) -> str:
    return "".join(str(i) for i in indices).translate(SUB)


class LiveError(ValueError):
    """A reader's input the view cannot take; ``field`` names the control it came from."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class DataSet:
    """A training set of the view: points x (n, 2), targets t (n, 2), a learning rate."""

    key: str
    name: str
    x: Array
    t: Array
    eta: float
    outputs: tuple[str, str]  # what y₁ and y₂ answer, in words


def _one_hot(first: int, second: int) -> Array:
    return np.vstack([np.tile([1.0, 0.0], (first, 1)), np.tile([0.0, 1.0], (second, 1))])


def _circles(rng: np.random.Generator, n: int = 100) -> tuple[Array, Array]:
    """A disc of points inside a ring of points, both blurred by noise."""
    def ring(r: Array) -> Array:
        angle = rng.uniform(0.0, 2 * np.pi, n)
        return np.column_stack([0.5 + r * np.cos(angle), 0.5 + r * np.sin(angle)])

    inner = ring(0.4 * np.sqrt(rng.uniform(0.0, 1.0, n)) + rng.normal(0.0, 0.04, n))
    outer = ring(rng.uniform(0.55, 0.9, n) + rng.normal(0.0, 0.04, n))
    return np.vstack([inner, outer]), _one_hot(n, n)


def _blobs(rng: np.random.Generator, n: int = 100) -> tuple[Array, Array]:
    """Two round clouds of points that overlap a little."""
    first = rng.normal([0.15, 0.85], 0.25, (n, 2))
    second = rng.normal([0.85, 0.15], 0.25, (n, 2))
    return np.clip(np.vstack([first, second]), LO + 0.02, HI - 0.02), _one_hot(n, n)


def _data_sets() -> dict[str, DataSet]:
    corners = ADDER_X
    a, b = corners[:, 0], corners[:, 1]
    xor = np.logical_xor(a, b).astype(float)
    rng = np.random.default_rng(DATA_SEED)
    circles, circles_t = _circles(rng)
    blobs, blobs_t = _blobs(rng)
    # The loss is summed over the points: 50 times the points, a 50th of the step.
    eta_200 = TRAIN_ETA / 40
    sets = [
        DataSet("adder", "the half adder (this page's run)", ADDER_X, ADDER_T, TRAIN_ETA,
                ("sum bit", "carry bit")),
        DataSet("xor", "XOR (y₁), and its opposite (y₂)", corners,
                np.column_stack([xor, 1 - xor]), TRAIN_ETA, ("XOR", "not XOR")),
        DataSet("andor", "AND (y₁) and OR (y₂)", corners,
                np.column_stack([a * b, np.maximum(a, b)]), TRAIN_ETA, ("AND", "OR")),
        DataSet("circles", "a disc inside a ring, 200 noisy points", circles, circles_t,
                eta_200, ("inside", "outside")),
        DataSet("blobs", "two clouds, 200 noisy points", blobs, blobs_t, eta_200,
                ("cloud 1", "cloud 2")),
    ]
    return {s.key: s for s in sets}


#: The view's data sets, by key.
DATA = _data_sets()

#: The elements of Figure 1 whose mathematics the view shows (network_svg(stepper=True)
#: names them so), and what the view's list calls each.
SYMBOLS: dict[str, str] = {
    **{f"w{i}{j}": f"w{_sub(i, j)}: input {i} to hidden unit {j}"
       for i in (1, 2) for j in (1, 2, 3)},
    **{f"u{j}{k}": f"u{_sub(j, k)}: hidden unit {j} to output {k}"
       for j in (1, 2, 3) for k in (1, 2)},
    **{f"b1-{j}": f"b⁽¹⁾{_sub(j)}: the bias of hidden unit {j}" for j in (1, 2, 3)},
    **{f"b2-{k}": f"b⁽²⁾{_sub(k)}: the bias of output {k}" for k in (1, 2)},
    **{f"h{j}": f"h{_sub(j)}: hidden unit {j}" for j in (1, 2, 3)},
    **{f"y{k}": f"y{_sub(k)}: output {k}" for k in (1, 2)},
}  # fmt: skip


def formulas() -> dict[str, tuple[str, ...]]:
    r"""The formulas of each symbol of `SYMBOLS`, in TeX: what gives its gradient (a
    parameter: summed over the samples s; then the step) or its delta (a unit: one sample).
    Each is drawn on its own, so that on a narrow screen the step goes under the gradient.

    >>> formulas()["u21"]  # doctest: +NORMALIZE_WHITESPACE
    ('\\frac{\\partial L}{\\partial u_{21}} = \\sum_{s} h_{s2}\\,\\delta^{(2)}_{s1}',
     'u_{21} \\leftarrow u_{21} - \\eta\\,\\frac{\\partial L}{\\partial u_{21}}')
    """
    out: dict[str, tuple[str, ...]] = {}

    def rule(param: str, terms: str) -> tuple[str, str]:
        grad = rf"\frac{{\partial L}}{{\partial {param}}}"
        return rf"{grad} = \sum_{{s}} {terms}", rf"{param} \leftarrow {param} - \eta\,{grad}"

    for i in (1, 2):
        for j in (1, 2, 3):
            out[f"w{i}{j}"] = rule(f"w_{{{i}{j}}}", rf"x_{{s{i}}}\,\delta^{{(1)}}_{{s{j}}}")
    for j in (1, 2, 3):
        for k in (1, 2):
            out[f"u{j}{k}"] = rule(f"u_{{{j}{k}}}", rf"h_{{s{j}}}\,\delta^{{(2)}}_{{s{k}}}")
    for j in (1, 2, 3):
        out[f"b1-{j}"] = rule(f"b^{{(1)}}_{{{j}}}", rf"\delta^{{(1)}}_{{s{j}}}")
    for k in (1, 2):
        out[f"b2-{k}"] = rule(f"b^{{(2)}}_{{{k}}}", rf"\delta^{{(2)}}_{{s{k}}}")
    for j in (1, 2, 3):
        out[f"h{j}"] = (rf"\delta^{{(1)}}_{{s{j}}} = \bigl(\delta^{{(2)}}_{{s1}}\,u_{{{j}1}}"
                        rf" + \delta^{{(2)}}_{{s2}}\,u_{{{j}2}}\bigr)\,h_{{s{j}}}"
                        rf"\,(1 - h_{{s{j}}})",)
    for k in (1, 2):
        out[f"y{k}"] = (rf"\delta^{{(2)}}_{{s{k}}} = (y_{{s{k}}} - t_{{s{k}}})\,y_{{s{k}}}"
                        rf"\,(1 - y_{{s{k}}})",)
    return out


def _number(field: str, label: str, text: Any) -> float:
    try:
        value = float(str(text).strip().replace(MINUS, "-"))
    except ValueError:
        raise LiveError(field, f'{label}: "{text}" is not a number') from None
    return value


def parse_eta(text: Any) -> float:
    """The learning rate a reader typed: a positive finite number, else `LiveError`.

    >>> parse_eta(" 0.5 ")
    0.5
    >>> try:
    ...     parse_eta("-1")
    ... except LiveError as exc:
    ...     print(f"{exc.field}: {exc}")
    eta: learning rate η: expected a positive number, got "-1"
    """
    eta = _number("eta", "learning rate η", text)
    if not (math.isfinite(eta) and eta > 0):
        raise LiveError("eta", f'learning rate η: expected a positive number, got "{text}"')
    return eta


def parse_seed(text: Any) -> int:
    """The seed a reader typed: a whole number 0 or more, else `LiveError`.

    >>> parse_seed("7")
    7
    >>> try:
    ...     parse_seed("2.5")
    ... except LiveError as exc:
    ...     print(f"{exc.field}: {exc}")
    seed: seed: "2.5" is not a whole number (0, 1, 2, ...)
    """
    text = str(text).strip()
    if not text.isdigit():
        raise LiveError("seed", f'seed: "{text}" is not a whole number (0, 1, 2, ...)')
    return int(text)


def _plane() -> Array:
    """The grid's points, one per row: row by row from the top (x₂ falling), x₁ rising."""
    centres = LO + (np.arange(GRID) + 0.5) * (HI - LO) / GRID
    g1, g2 = np.meshgrid(centres, centres[::-1])
    return np.column_stack([g1.ravel(), g2.ravel()])


_PLANE = _plane()


def _vector(values: Array) -> str:
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def _array(name: str, values: Array) -> str:
    """``name = np.array(...)`` of ``values``, one row a line, floats that read back
    exactly (repr)."""
    if values.ndim == 1:
        return f"{name} = np.array({_vector(values)})"
    rows = (",\n" + " " * len(f"{name} = np.array([")).join(_vector(r) for r in values)
    return f"{name} = np.array([{rows}])"


class Session:
    """The state of the view: the data, the parameters, the learning rate, the iteration.

    Parameters
    ----------
    data : str
        A key of `DATA`.
    seed : int
        The starting weights are ``init_params(np.random.default_rng(seed))``.
    eta : float, optional
        The learning rate; the data set's own by default.

    Examples
    --------
    The page's run: after 3000 steps, the loss the training page prints.

    >>> s = Session()
    >>> s.advance(1000), s.advance(2000)
    ('', '')
    >>> s.iteration, f"{s.loss:.6f}"
    (3000, '0.000465')
    """

    def __init__(self, data: str = "adder", seed: int = SEED, eta: float | None = None) -> None:
        self._start(data, seed, eta)

    def _start(self, data: str, seed: int, eta: float | None) -> None:
        if data not in DATA:
            raise LiveError("data", f"data: {data!r} is not one of {', '.join(DATA)}")
        chosen = DATA[data]
        self.data, self.seed = data, seed
        self.eta = chosen.eta if eta is None else eta
        self.x, self.t = chosen.x.copy(), chosen.t.copy()
        self.params = init_params(np.random.default_rng(seed))
        self.iteration = 0
        self.loss = loss(self.x, self.t, *self.params)
        self.new_losses: list[Array] = []  # of the steps since the last frame
        self.stopped = ""  # why the training stopped (an overflow), or ""

    # ------------------------------------------------------------------ training

    def advance(self, steps: int) -> str:
        """Take ``steps`` steps of gradient descent with the package's ``train``; "" or
        why the training stopped (a step overflowed: the state stays the last finite one).
        """
        if self.stopped:
            return self.stopped
        try:
            self._took(self._train(steps))
        except ValueError:
            for _ in range(steps):  # again, one step at a time, to stop at the last good one
                try:
                    run = self._train(1)
                except ValueError:
                    self.stopped = (
                        f"Step {self.iteration + 1} overflowed: with the learning rate "
                        f"η = {fmt(self.eta)} it would make the weights too large to compute "
                        f"with. Training stopped at iteration {self.iteration}, the last "
                        f"finite state; lower the learning rate, or press Reset.")
                    return self.stopped
                self._took(run)
        return ""

    def _train(self, steps: int) -> Any:
        """``steps`` steps of the package's ``train`` from the state now; ValueError if it
        overflows (``train`` says so; a step whose weights are no longer finite numbers,
        which a NumPy may give without a warning, is one too)."""
        run = train(self.x, self.t, eta=self.eta, steps=steps, params=self.params)
        if not (all(np.all(np.isfinite(p)) for p in run.params)
                and np.all(np.isfinite(run.losses))):
            raise ValueError("the weights overflowed")
        return run

    def _took(self, run: Any) -> None:
        steps = len(run.losses) - 1
        self.params = run.params
        self.iteration += steps
        self.loss = float(run.losses[-1])
        self.new_losses.append(run.losses[1:])

    def numbers(self) -> Array:
        """The frame's numbers, float64, for the page (and the losses taken from the queue).

        ``[iteration, loss, k, n, *w, *b1, *u, *b2, *losses, *points]``: the loss of the
        parameters now, the losses of the k steps since the last frame (iterations
        ``iteration - k + 1`` to ``iteration``), and the n training points as rows
        ``x₁, x₂, t₁, t₂``.
        """
        new = np.concatenate(self.new_losses) if self.new_losses else np.empty(0)
        self.new_losses = []
        head = np.array([self.iteration, self.loss, len(new), len(self.x)], dtype=float)
        params = np.concatenate([p.ravel() for p in self.params])
        points = np.hstack([self.x, self.t]).ravel()
        return np.concatenate([head, params, new, points])

    def grid(self) -> NDArray[np.uint8]:
        """What the units compute on the plane's grid, as bytes (0 to 255 for 0 to 1).

        Shape (5, GRID * GRID): h₁, h₂, h₃, y₁, y₂, each row by row from the top of the
        plane; from one forward pass of the package over the grid.
        """
        fwd = forward(_PLANE, *self.params)
        units = np.concatenate([fwd.h, fwd.y], axis=1).T  # one row per unit
        return np.ascontiguousarray(units * 255 + 0.5, dtype=np.uint8)  # (the page reads rows)

    # ------------------------------------------------------------------ the controls

    def handle(self, request: str) -> str:
        """Answer one request of the page (JSON ``{"op": ..., ...}``) as JSON.

        ``reset`` (seed, data, eta: a new start), ``eta`` (text), ``click`` (x1, x2, cls,
        radius: remove the point within ``radius`` of (x1, x2), or add one of class ``cls``
        there), ``explain`` (point: the mathematics of every symbol), ``python`` (the state
        as Python). An answer holds ``state`` (what the controls show), or ``error`` and
        ``field`` (the control to say it beside), the state left as it was.

        >>> s = Session()
        >>> json.loads(s.handle('{"op": "eta", "text": "fast"}'))
        {'error': 'learning rate η: "fast" is not a number', 'field': 'eta'}
        """
        args = json.loads(request)
        ops: dict[str, Callable[..., dict[str, Any]]] = {
            "reset": self.reset, "eta": self.set_eta, "click": self.click,
            "explain": self.explain, "python": lambda: {"python": self.python()},
            "restore": self.restore, "state": lambda: {},
        }
        op = args.pop("op")
        try:
            answer = ops[op](**args)
        except LiveError as exc:
            return json.dumps({"error": str(exc), "field": exc.field}, ensure_ascii=False)
        return json.dumps({**answer, "state": self.state()}, ensure_ascii=False)

    def state(self) -> dict[str, Any]:
        """What the controls show: the data set, the seed, the learning rate, the iteration,
        the number of points, why the training stopped ("" if it did not), the outputs."""
        return {"data": self.data, "seed": self.seed, "eta": repr(self.eta),
                "iteration": self.iteration, "points": len(self.x), "stopped": self.stopped,
                "outputs": DATA[self.data].outputs}

    def reset(self, seed: Any, data: str, eta: Any = None) -> dict[str, Any]:
        """Start again: weights from ``seed``; the data set ``data``; ``eta`` or, if None,
        the data set's learning rate. Everything is checked before anything changes."""
        seed_ = parse_seed(seed)
        eta_ = None if eta is None else parse_eta(eta)
        if data not in DATA:
            raise LiveError("data", f"data: {data!r} is not one of {', '.join(DATA)}")
        self._start(data, seed_, eta_)
        return {}

    def set_eta(self, text: Any) -> dict[str, Any]:
        """A new learning rate (`parse_eta`); a training stopped by an overflow may go on."""
        self.eta = parse_eta(text)
        self.stopped = ""  # a smaller step may go on from the last finite state
        return {}

    def click(self, x1: float, x2: float, cls: str, radius: float) -> dict[str, Any]:
        """Remove the training point nearest (x1, x2) if it is within ``radius``; else add
        a point there with the targets of class ``cls`` (a key of `CLASSES`)."""
        if cls not in CLASSES:
            raise LiveError("cls", f"class: {cls!r} is not one of {', '.join(CLASSES)}")
        if not (LO <= x1 <= HI and LO <= x2 <= HI):
            raise LiveError("data", f"({x1:.2f}, {x2:.2f}) is outside the plane drawn")
        distance = np.hypot(self.x[:, 0] - x1, self.x[:, 1] - x2)
        nearest = int(np.argmin(distance))
        if distance[nearest] <= radius:
            if len(self.x) == 1:
                raise LiveError("data", "The last point stays: a data set needs at least one "
                                        "point. Add another before removing this one.")
            self.x, self.t = np.delete(self.x, nearest, 0), np.delete(self.t, nearest, 0)
            answer = {"removed": nearest}
        else:
            self.x = np.vstack([self.x, [x1, x2]])
            self.t = np.vstack([self.t, CLASSES[cls]])
            answer = {"added": len(self.x) - 1}
        self.loss = loss(self.x, self.t, *self.params)
        return answer

    # ------------------------------------------------------------------ the mathematics

    def explain(self, point: int = 0) -> dict[str, Any]:
        """The mathematics of the iteration now, for training point ``point`` (from 0).

        For every symbol of `SYMBOLS`: its ``title`` and ``lines`` of text, the formula of
        `formulas` with this iteration's numbers put in (a parameter: its value, its
        gradient summed over the points, this point's term, the next step; a unit: its value
        and delta for this point, and its bias's gradient). ``labels``: the values to write
        on Figure 1 for this point. ``fields``: the step-through figure's fields for this
        point and these parameters (`backprop_site.steps`).
        """
        n = len(self.x)
        if not isinstance(point, int) or not 0 <= point < n:
            raise LiveError("point", f"point: expected 1 to {n}, got {point!r}")
        x, t = self.x, self.t
        w, b1, u, b2 = self.params
        grads = backward(x, t, w, b1, u, b2)
        new = step(x, t, w, b1, u, b2, eta=self.eta)
        # Each point's share (the gradient of its own loss); for one point the bias
        # gradients are its deltas.
        shares = {s: backward(x[s:s + 1], t[s:s + 1], w, b1, u, b2)
                  for s in {*range(min(n, 4)), point}}
        every = forward(x, w, b1, u, b2)
        a1, h, a2, y = (v[point] for v in every)
        d1, d2 = shares[point].db1, shares[point].db2
        xs, ts = x[point], t[point]
        where = (f"point {point + 1} of {n}: x = ({fmt(xs[0])}, {fmt(xs[1])}), "
                 f"t = ({fmt(ts[0])}, {fmt(ts[1])})")

        def paren(v: float) -> str:
            return f"({fmt(v)})" if v < 0 else fmt(v)

        def summed(terms: list[str], total: float) -> str:
            shown = terms if n <= 4 else [*terms[:3], f"… ({n - 3} more terms)"]
            return " + ".join(shown) + f" = {fmt(total)}"

        def step_line(name: str, old: float, grad: float, after: float) -> str:
            return (f"The next step, with η = {fmt(self.eta)}: {name} ← {fmt(old)} {MINUS} "
                    f"{fmt(self.eta)} {TIMES} "
                    f"{paren(grad)} = {fmt(after)}")

        symbols: dict[str, dict[str, Any]] = {}
        for i in range(2):
            for j in range(3):
                name, d = f"w{_sub(i + 1, j + 1)}", f"δ⁽¹⁾{_sub(j + 1)}"
                symbols[f"w{i + 1}{j + 1}"] = {"lines": [
                    f"{name} = {fmt(w[i, j])}, its gradient ∂L/∂{name} = {fmt(grads.dw[i, j])}",
                    f"Summed over the {n} points, x{_sub(i + 1)} {d} for each: " + summed(
                        [f"{paren(x[s, i])} {TIMES} {paren(shares[s].db1[j])}"
                         for s in range(min(n, 4))], grads.dw[i, j]),
                    f"For {where}: x{_sub(i + 1)} = {fmt(xs[i])}, {d} = {fmt(d1[j])}, this "
                    f"point's term {fmt(shares[point].dw[i, j])} (what the step-through figure "
                    f"shows as ∂L/∂{name}, for this point alone)",
                    step_line(name, w[i, j], grads.dw[i, j], new.w[i, j])]}
        for j in range(3):
            for k in range(2):
                name, d = f"u{_sub(j + 1, k + 1)}", f"δ⁽²⁾{_sub(k + 1)}"
                symbols[f"u{j + 1}{k + 1}"] = {"lines": [
                    f"{name} = {fmt(u[j, k])}, its gradient ∂L/∂{name} = {fmt(grads.du[j, k])}",
                    f"Summed over the {n} points, h{_sub(j + 1)} {d} for each: " + summed(
                        [f"{fmt(every.h[s, j])} {TIMES} "
                         f"{paren(shares[s].db2[k])}" for s in range(min(n, 4))],
                        grads.du[j, k]),
                    f"For {where}: h{_sub(j + 1)} = {fmt(h[j])}, {d} = {fmt(d2[k])}, this "
                    f"point's term {fmt(shares[point].du[j, k])} (what the step-through figure "
                    f"shows as ∂L/∂{name}, for this point alone)",
                    step_line(name, u[j, k], grads.du[j, k], new.u[j, k])]}
        for layer, bias, grad, deltas, after in ((1, b1, grads.db1, "db1", new.b1),
                                                 (2, b2, grads.db2, "db2", new.b2)):
            for j in range(len(bias)):
                up = "⁽¹⁾" if layer == 1 else "⁽²⁾"
                name, d = f"b{up}{_sub(j + 1)}", f"δ{up}{_sub(j + 1)}"
                own = getattr(shares[point], deltas)[j]
                symbols[f"b{layer}-{j + 1}"] = {"lines": [
                    f"{name} = {fmt(bias[j])}, its gradient ∂L/∂{name} = {fmt(grad[j])}",
                    f"Summed over the {n} points, {d} for each: " + summed(
                        [paren(getattr(shares[s], deltas)[j]) for s in range(min(n, 4))],
                        grad[j]),
                    f"For {where}: {d} = {fmt(own)}",
                    step_line(name, bias[j], grad[j], after[j])]}
        for j in range(3):
            J = _sub(j + 1)
            symbols[f"h{j + 1}"] = {"lines": [
                f"For {where}: a⁽¹⁾{J} = {fmt(a1[j])}, h{J} = σ(a⁽¹⁾{J}) = {fmt(h[j])}",
                f"δ⁽¹⁾{J} = ({paren(d2[0])} {TIMES} {paren(u[j, 0])} + {paren(d2[1])} {TIMES} "
                f"{paren(u[j, 1])}) {TIMES} {fmt(h[j])} {TIMES} (1 {MINUS} {fmt(h[j])}) "
                f"= {fmt(d1[j])}",
                f"Summed over the {n} points, the deltas δ⁽¹⁾{J} are the gradient of its bias: "
                f"∂L/∂b⁽¹⁾{J} = {fmt(grads.db1[j])}"]}
        for k in range(2):
            K = _sub(k + 1)
            symbols[f"y{k + 1}"] = {"lines": [
                f"For {where}: a⁽²⁾{K} = {fmt(a2[k])}, y{K} = σ(a⁽²⁾{K}) = {fmt(y[k])}, the "
                f"target t{K} = {fmt(ts[k])}",
                f"δ⁽²⁾{K} = ({fmt(y[k])} {MINUS} {paren(ts[k])}) {TIMES} {fmt(y[k])} {TIMES} "
                f"(1 {MINUS} {fmt(y[k])}) = {fmt(d2[k])}",
                f"Summed over the {n} points, the deltas δ⁽²⁾{K} are the gradient of its bias: "
                f"∂L/∂b⁽²⁾{K} = {fmt(grads.db2[k])}"]}
        for sym, entry in symbols.items():
            entry["title"] = SYMBOLS[sym]
        labels = {"x1": fmt(xs[0]), "x2": fmt(xs[1]), "t1": fmt(ts[0]), "t2": fmt(ts[1]),
                  **{f"h{j + 1}": f"h{_sub(j + 1)} = {fmt(h[j])}" for j in range(3)},
                  **{f"y{k + 1}": f"y{_sub(k + 1)} = {fmt(y[k])}" for k in range(2)}}
        fields = {"x1": xs[0], "x2": xs[1], "t1": ts[0], "t2": ts[1],
                  **{f"w{i + 1}{j + 1}": w[i, j] for i in range(2) for j in range(3)},
                  **{f"u{j + 1}{k + 1}": u[j, k] for j in range(3) for k in range(2)},
                  **{f"b1-{j + 1}": b1[j] for j in range(3)},
                  **{f"b2-{k + 1}": b2[k] for k in range(2)}, "eta": self.eta}
        return {"point": point, "where": where, "symbols": symbols, "labels": labels,
                "fields": {name: repr(float(v)) for name, v in fields.items()}}

    def python(self) -> str:
        """The state as a Python block that runs as it is and continues with the package.

        >>> s = Session()
        >>> namespace = {}
        >>> exec(s.python(), namespace)
        >>> [k for k in ("x", "t", "w", "b1", "u", "b2", "eta", "iteration") if k in namespace]
        ['x', 't', 'w', 'b1', 'u', 'b2', 'eta', 'iteration']
        >>> bool(np.array_equal(namespace["w"], s.params.w)), namespace["eta"]
        (True, 2.0)
        """
        w, b1, u, b2 = self.params
        n = len(self.x)
        return "\n".join([
            f"# The training page's live view at iteration {self.iteration}: "
            f"{DATA[self.data].name}.",
            "import numpy as np",
            "from backprop_doc.training import Params, train",
            "",
            f"# x: the {n} training points, one per row; t: their targets",
            _array("x", self.x),
            _array("t", self.t),
            _array("w", w),
            _array("b1", b1),
            _array("u", u),
            _array("b2", b2),
            f"eta = {self.eta!r}",
            f"iteration = {self.iteration}",
            "",
            "# To go on from here, for example 1000 more steps:",
            "# run = train(x, t, eta=eta, steps=1000, params=Params(w, b1, u, b2))",
            "",
        ])

    def restore(self, data: str, seed: int, eta: float, iteration: int,
                numbers: Any) -> dict[str, Any]:
        """Take up a state the page kept (after the worker was restarted): ``numbers`` as
        `numbers` gave them."""
        self._start(data, seed, eta)
        values = np.asarray(numbers, dtype=float)
        n = int(values[3])
        sizes = [p.size for p in self.params]
        at = 4 + sum(sizes) + int(values[2])  # (the losses are not taken up)
        points = values[at:at + 4 * n].reshape(n, 4)
        at = 4
        parts = []
        for p, size in zip(self.params, sizes, strict=True):
            parts.append(values[at:at + size].reshape(p.shape))
            at += size
        self.params = Params(*parts)
        self.x, self.t = points[:, :2].copy(), points[:, 2:].copy()
        self.iteration = iteration
        self.loss = loss(self.x, self.t, *self.params)
        return {}
