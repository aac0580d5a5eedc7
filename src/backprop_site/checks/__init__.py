"""Check my answer: one checker per exercise whose answer is code or a number.

33 of the 36 exercises have a checker: ``check_code(exercise, code)`` runs the reader's code
in a fresh namespace and compares what it defines with numbers computed here (a gradient
with the complex-step derivative on the worked example's net and random nets of other sizes
and batch sizes, a formula with the package, a number with the page's computation within the
tolerance the exercise states), and names the slip when the numbers match a known one. Each
exercise, what the reader's cell starts from, and the slips its checker knows (the tests
keep this list and the modules in step):

2.1   checked; starter `def count_parameters(d, m, q): ...`; slips: no-biases,
      one-layer-of-biases, units.
2.2   checked; starter `h = ...`, `y = ...`; slips: zero, one.
2.3   checked; starter `shapes = [..., ..., ..., ...]`; slips: transposed, one-sample.
2.4   checked; starter `def sigmoid_net(w, b1, u, b2): ...`; slips: no-bias-correction,
      wrong-axis, no-inner-factor, no-outer-factor.
3.1   not checked: a proof; its one question about numbers (is sigma'(-2) larger than, smaller
      than or equal to sigma'(2)?) is answered by a word.
3.2   checked; starter `def tanh_derivative(a): ...`; slips: sigmoid-form, no-square, plus,
      factor-2.
3.3   checked; starter `def relu_derivative(a): ...`; slips: relu-itself, reversed,
      sign-function.
3.4   checked; starter `def mean_loss_derivative(y, t): ...`; slips: sum-not-mean,
      mean-over-entries, factor-2.
3.5   checked; starter `def cross_entropy_derivative(y, t): ...`; slips: one-term,
      second-term-sign, delta-not-derivative.
3.6   checked; starter `orders = (..., ...)`; slips: odd-term, ratios, swapped, before-dividing.
4.1   checked; starter `signs = ...`, `largest = [..., ...]`; slips: sign, transposed, one-based,
      smallest.
4.2   checked; starter `def cross_entropy_gradients(h, y, t): ...`; slips: sigma-prime-kept,
      bias-not-summed, transposed, sign.
4.3   checked; starter `def output_gradient(h, a2, t): ...`; slips: sigmoid-twice,
      no-sigma-prime, transposed.
4.4   checked; starter `l2_delta = ...`, `ce_delta = ...`; slips: no-sigma-prime,
      sigma-prime-kept, swapped, sign.
5.1   checked; starter `ratio = ...`; slips: first-order, doubles.
5.2   checked; starter `def tanh_hidden_gradient(x, t, w, b1, u, b2): ...`; slips: sigmoid-prime,
      no-square, no-hidden-prime, transposed.
5.3   checked; starter `def relu_hidden_gradient(x, t, w, b1, u, b2): ...`; slips: relu-values,
      sigmoid-prime, no-mask.
5.4   checked; starter `def backward_pass(x, h, y, t, u): ...`; slips: error-not-delta,
      no-hidden-prime, transposed.
5.5   checked; starter `def deep_gradient(x, t, w, b1, u, c, v, b): ...`; slips: no-transpose,
      no-middle-prime, no-hidden-prime.
5.6   checked; starter `def jacobian(x, w, b1, u, b2): ...`; slips: transposed, no-hidden-prime,
      no-output-prime.
6.1   checked; starter `new_row = ...`; slips: output-delta, input-row.
6.2   checked; starter `def hidden_delta(delta2, u, h): ...`; slips: no-transpose,
      no-hidden-prime.
6.3   checked; starter `def gradients(x, t, weights, biases): ...`; slips: delta-wrong-layer,
      no-prime.
6.4   checked; starter `shrinks = (..., ...)`; slips: inverted, bound, ten-factors.
6.5   checked; starter `def softmax_delta(y, t): ...`; slips: assumes-sum-one, sigmoid-delta,
      batch-sum.
6.6   checked; starter `def softmax_gradients(x, t, weights, biases): ...`; slips:
      sigmoid-output-delta, delta-wrong-layer.
W.1   checked; starter `change = ...`; slips: sign, no-output-prime, bias-only.
W.2   checked; starter `du32 = ...`, `dw23 = ...`; slips: wrong-hidden-unit, wrong-output,
      wrong-input.
W.3   checked; starter `predicted = ...`, `measured = ...`; slips: no-eta, weights-only,
      norm-not-squared, sign.
W.4   checked; starter `def batch_gradients(x, t, w, b1, u, b2): ...`; slips: bias-not-summed,
      wrong-axis, mean-not-sum, no-output-prime, no-hidden-prime, error-not-delta,
      delta-wrong-layer, transposed, factor-2.
W.5   checked; starter `def update(x, h, y, t, w, u, eta): ...`; slips: update-before-gradient,
      sign, no-eta.
T.1   not checked: a prediction about a run (does the loss keep falling, does it ever go up?),
      answered yes or no.
T.2   checked; starter `def decay_gradients(x, t, w, b1, u, b2, lam): ...`; slips:
      biases-decayed, decay-doubled, decay-halved, decay-sign, u-not-decayed.
T.3   checked; starter `def momentum_step(p, v, g, eta, mu): ...`; slips: old-velocity, sign,
      no-momentum, mu-on-step.
T.4   checked; starter `def mean_loss_step(x, t, w, b1, u, b2, eta): ...`; slips: summed-loss,
      mean-over-entries, sign.
T.5   not checked: an explanation (why the hidden units stay alike, whether the net can learn the
      sum bit), answered in words.

What the browser calls (the worker, with this folder importable and ``backprop_doc``
installed): [`starter`][] for the text an answer cell starts from, and [`check_json`][]
(or [`check_code`][], which returns a [`Feedback`][]) with the cell's text when the reader
presses Check. Each exercise's module, ``ex_<page>_<k>.py`` (``ex_4_2``, ``ex_w_5``,
``ex_t_3``), holds its id, the page, the names the reader defines, ``STARTER``, ``SLIPS``
(each with its hint and an example of it) and ``check(namespace) -> Feedback``;
``common.py`` the machinery they share.
"""

from __future__ import annotations

import importlib
import json
from types import ModuleType
from typing import Any

from backprop_site.checks.common import Feedback, Slip, run

__all__ = ["CHECKED", "UNCHECKED", "Feedback", "Slip", "check_code", "check_json",
           "exercises", "load", "starter"]

#: Every exercise with a checker: its id, and its module in this package.
CHECKED: dict[str, str] = {
    "2.1": "ex_2_1", "2.2": "ex_2_2", "2.3": "ex_2_3", "2.4": "ex_2_4",
    "3.2": "ex_3_2", "3.3": "ex_3_3", "3.4": "ex_3_4", "3.5": "ex_3_5", "3.6": "ex_3_6",
    "4.1": "ex_4_1", "4.2": "ex_4_2", "4.3": "ex_4_3", "4.4": "ex_4_4",
    "5.1": "ex_5_1", "5.2": "ex_5_2", "5.3": "ex_5_3", "5.4": "ex_5_4", "5.5": "ex_5_5",
    "5.6": "ex_5_6", "6.1": "ex_6_1", "6.2": "ex_6_2", "6.3": "ex_6_3", "6.4": "ex_6_4",
    "6.5": "ex_6_5", "6.6": "ex_6_6",
    "W.1": "ex_w_1", "W.2": "ex_w_2", "W.3": "ex_w_3", "W.4": "ex_w_4", "W.5": "ex_w_5",
    "T.2": "ex_t_2", "T.3": "ex_t_3", "T.4": "ex_t_4",
}

#: Every exercise without one, and why.
UNCHECKED: dict[str, str] = {
    "3.1": "a proof; its one question about numbers (is sigma'(-2) larger than, smaller than "
           "or equal to sigma'(2)?) is answered by a word",
    "T.1": "a prediction about a run (does the loss keep falling, does it ever go up?), "
           "answered yes or no",
    "T.5": "an explanation (why the hidden units stay alike, whether the net can learn the "
           "sum bit), answered in words",
}


def load(exercise: str) -> ModuleType:
    """The module of ``exercise`` ("4.2", "W.5"); KeyError naming the ids that have one."""
    if exercise not in CHECKED:
        known = ", ".join(CHECKED)
        why = UNCHECKED.get(exercise)
        raise KeyError(f"exercise {exercise!r} has no checker" + (f" ({why})" if why else
                                                                    f"; these do: {known}"))
    return importlib.import_module(f"{__name__}.{CHECKED[exercise]}")


def exercises() -> list[dict[str, Any]]:
    """What the build needs to put an answer cell under each checked exercise: its id, its
    page (below docs/), its heading's anchor, the names the answer defines, the starter."""
    found = []
    for number in CHECKED:
        module = load(number)
        found.append({"exercise": number, "page": module.PAGE,
                      "anchor": "ex-" + number.lower().replace(".", "-"),
                      "names": list(module.NAMES), "starter": module.STARTER})
    return found


def starter(exercise: str) -> str:
    """The text the answer cell of ``exercise`` starts from."""
    text: str = load(exercise).STARTER
    return text


def check_code(exercise: str, code: str) -> Feedback:
    """Run the reader's ``code`` for ``exercise`` in a fresh namespace and check it."""
    module = load(exercise)
    return run(exercise, module.check, code)


def check_json(exercise: str, code: str) -> str:
    """[`check_code`][] as JSON: [`Feedback.as_dict`][], with its ``text`` and ``html``."""
    return json.dumps(check_code(exercise, code).as_dict())
