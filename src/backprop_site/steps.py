r"""The step-through figure's data: one forward and backward pass, step by step, as JSON.

Every number comes from the package ``backprop_doc`` (``forward``, ``l2_loss``,
``backward``, ``training.step``); this module only picks the numbers of each step and writes
them into text. It runs in two places and gives the same JSON in both:

* when the site is built, ``backprop_site/stepper.py`` calls ``steps(...)`` on the worked example's
  numbers and puts the result in the page;
* in the reader's browser, ``run/worker.js`` (Pyodide, the Run buttons' Python) loads this
  file beside ``pycon.py`` and calls ``steps_json(...)`` on the reader's numbers.

A step is a dict: ``id``, ``part`` ("forward" or "backward"), ``title``, ``tex`` (the
step's formula in TeX, its symbols marked ``\class{sym-NAME}{...}``; drawn at build time),
``numbers`` (the formula with the numbers put in, as text), ``say`` (the step in words,
for a screen reader), ``lit`` (figure element -> "on", "a" or "b": the two paths of a
hidden delta), ``labels`` (figure element -> the value written on it), ``code`` (where in
``src/`` the line that computes it is: file, marked section, how the line starts) and
``eq``, ``page``, ``anchor`` (where the derivation derives it).

The figure's elements are named by the symbols of the text: ``x1 x2``, ``h1 h2 h3``,
``y1 y2``, ``t1 t2`` (units and targets), ``w11 .. w23`` and ``u11 .. u32`` (arrows),
``b1-1 b1-2 b1-3`` and ``b2-1 b2-2`` (the biases' arrows), and ``L`` (the loss).
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from backprop_doc import backward, forward, l2_loss
from backprop_doc.training import step as update_step

__all__ = ["FIELDS", "fmt", "parse_fields", "steps", "steps_json", "symbols"]

#: Digits as subscripts: the site's one table of them (this module also runs in the browser,
#: where the rest of the site's code is not: figures.py, plots.py and notation.py use it).
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
#: The numbers a reader may change, by field name, and what a field's label says.
FIELDS = {
    "x1": "x₁", "x2": "x₂", "t1": "t₁", "t2": "t₂",
    **{f"w{i}{j}": f"w{i}{j}".translate(SUB) for i in (1, 2) for j in (1, 2, 3)},
    **{f"u{i}{j}": f"u{i}{j}".translate(SUB) for i in (1, 2, 3) for j in (1, 2)},
    # The biases and the learning rate: the form does not show them; the training page's
    # live view sends them ("Step through this iteration", backprop_site/live.py).
    "b1-1": "b⁽¹⁾₁", "b1-2": "b⁽¹⁾₂", "b1-3": "b⁽¹⁾₃", "b2-1": "b⁽²⁾₁", "b2-2": "b⁽²⁾₂",
    "eta": "η",
}  # fmt: skip

#: Where a step is computed and derived, by how its line of ``src/`` starts: the file, its
#: marked section, and the equation, page and anchor of the derivation.
WHERE = {
    "a1 = ": ("net.py", "forward", "2.1", "derivation/net.md", "the-forward-pass"),
    "h = ": ("net.py", "forward", "2.2", "derivation/net.md", "the-forward-pass"),
    "a2 = ": ("net.py", "forward", "2.3", "derivation/net.md", "the-forward-pass"),
    "y = ": ("net.py", "forward", "2.4", "derivation/net.md", "the-forward-pass"),
    "return ": ("loss.py", "l2_loss", "3.1", "derivation/formulas.md", "the-loss"),
    "delta2 = ": ("net.py", "backward", "4.6", "derivation/output-layer.md",
                  "the-delta-of-an-output"),
    "du = ": ("net.py", "backward", "4.6", "derivation/output-layer.md", "the-delta-of-an-output"),
    "db2 = ": ("net.py", "backward", "4.6", "derivation/output-layer.md",
               "all-output-weights-at-once"),
    "delta1 = ": ("net.py", "backward", "5.10", "derivation/hidden-layer.md", "the-hidden-delta"),
    "dw = ": ("net.py", "backward", "6.1", "derivation/generalization.md", "every-layer-at-once"),
    "db1 = ": ("net.py", "backward", "6.1", "derivation/generalization.md", "every-layer-at-once"),
    "u = ": ("training.py", "update", "4.7", "derivation/output-layer.md",
             "the-delta-of-an-output"),
    "w = ": ("training.py", "update", "5.9", "derivation/hidden-layer.md", "the-general-form"),
}

MINUS = "\N{MINUS SIGN}"
TIMES = "\N{MULTIPLICATION SIGN}"


def fmt(v: float) -> str:
    """A number as the figure shows it: four significant digits, a true minus sign.

    >>> fmt(0.6737071), fmt(-0.017655), fmt(0.725), fmt(1.0), fmt(0.004082575)
    ('0.6737', '−0.01766', '0.725', '1', '0.004083')
    """
    v = float(v)
    text = f"{v:.4g}" if v == 0 or 1e-4 <= abs(v) < 1e6 else f"{v:.3e}"
    return text.replace("-", MINUS)


def _paren(v: float) -> str:
    """A factor in a product: negative numbers in parentheses."""
    return f"({fmt(v)})" if v < 0 else fmt(v)


def _sub(*indices: int) -> str:
    return "".join(str(i) for i in indices).translate(SUB)


def parse_fields(fields: dict[str, Any]) -> dict[str, float]:
    """The reader's fields as numbers; a ValueError that names the field otherwise.

    >>> parse_fields({"x1": "0.25", "t2": " 1 "})
    {'x1': 0.25, 't2': 1.0}
    >>> parse_fields({"x1": "abc"})
    Traceback (most recent call last):
    ...
    ValueError: x₁: "abc" is not a number
    >>> parse_fields({"w11": "inf"})
    Traceback (most recent call last):
    ...
    ValueError: w₁₁: "inf" is not a finite number
    """
    numbers = {}
    for name, text in fields.items():
        if name not in FIELDS:
            raise ValueError(f"{name}: not a field of the figure")
        try:
            value = float(str(text).strip().replace(MINUS, "-"))
        except ValueError:
            raise ValueError(f'{FIELDS[name]}: "{text}" is not a number') from None
        if not math.isfinite(value):
            raise ValueError(f'{FIELDS[name]}: "{text}" is not a finite number')
        numbers[name] = value
    return numbers


def steps(x: Any, t: Any, w: Any, b1: Any, u: Any, b2: Any, eta: float) -> list[dict[str, Any]]:
    """Every step of one forward and backward pass of one sample, and the update.

    Parameters
    ----------
    x, t : array_like, shape (1, 2)
        One sample and its targets.
    w, b1, u, b2 : array_like, shapes (2, 3), (3,), (3, 2), (2,)
        The parameters of the 2-3-2 net.
    eta : float
        The learning rate of the update.

    Returns
    -------
    list of dict
        The steps, forward then backward, as the module docstring describes them.

    Examples
    --------
    >>> from backprop_doc.example import ETA, b1, b2, t, u, w, x
    >>> s = steps(x, t, w, b1, u, b2, ETA)
    >>> len(s), s[0]["id"], s[-1]["id"]
    (32, 'a1-1', 'update-w')
    >>> s[0]["numbers"]
    '0.5 × 0.15 + 1 × 0.3 + 0.35 = 0.725'
    >>> [x["numbers"] for x in s if x["id"] == "d2-1"]
    ['(0.8373 − 0.01) × 0.8373 × (1 − 0.8373) = 0.1127']
    """
    x, t = np.asarray(x, float), np.asarray(t, float)
    w, b1, u, b2 = (np.asarray(p, float) for p in (w, b1, u, b2))
    a1, h, a2, y = (v[0] for v in forward(x, w, b1, u, b2))
    L = l2_loss(y[None, :], t)
    grads = backward(x, t, w, b1, u, b2)
    # For one sample the bias gradients are the deltas: dL/db_j = delta_j.
    d2, d1 = grads.db2, grads.db1
    new = update_step(x, t, w, b1, u, b2, eta=eta)
    x0, t0 = x[0], t[0]
    out: list[dict[str, Any]] = []

    def add(line: str, **s: Any) -> None:
        """A step, computed by the line of ``src/`` that starts with ``line`` (`WHERE`)."""
        file, section, eq, page, anchor = WHERE[line]
        out.append({**s, "code": (file, section, line), "eq": eq, "page": page, "anchor": anchor})

    # ---- forward: in each layer, each unit's weighted input, then its activation
    for layer, src, v, wn, weights, bias, a, unit, act, what in (
            (1, "x", x0, "w", w, b1, a1, "h", h, "Hidden unit"),
            (2, "h", h, "u", u, b2, a2, "y", y, "Output")):
        ins = range(1, len(v) + 1)
        for j in range(len(a)):
            J = j + 1
            terms = " + ".join(rf"\class{{sym-{src}{i}}}{{{src}_{i}}}\,"
                               rf"\class{{sym-{wn}{i}{J}}}{{{wn}_{{{i}{J}}}}}" for i in ins)
            add(f"a{layer} = ", id=f"a{layer}-{J}", part="forward",
                title=f"{what} {J}: its weighted input",
                tex=(rf"\class{{sym-a{layer}-{J}}}{{a^{{({layer})}}_{J}}} = {terms}"
                     rf" + b^{{({layer})}}_{J}"),
                numbers=(" + ".join(f"{fmt(vi)} {TIMES} {_paren(wi)}"
                                    for vi, wi in zip(v, weights[:, j], strict=True))
                         + f" + {_paren(bias[j])} = {fmt(a[j])}"),
                say=(f"a{layer} {J} = " + " + ".join(f"{src}{i} {wn}{i}{J}" for i in ins)
                     + f" + b{layer} {J} = {fmt(a[j])}"),
                lit={**{f"{src}{i}": "on" for i in ins}, **{f"{wn}{i}{J}": "on" for i in ins},
                     f"b{layer}-{J}": "on", f"{unit}{J}": "on"},
                labels={**{f"{src}{i}": fmt(vi) for i, vi in enumerate(v, 1)},
                        **{f"{wn}{i}{J}": fmt(wi) for i, wi in enumerate(weights[:, j], 1)},
                        f"b{layer}-{J}": fmt(bias[j]), f"{unit}{J}": f"a{_sub(J)} = {fmt(a[j])}"})
            add(f"{unit} = ", id=f"{unit}-{J}", part="forward",
                title=f"{what} {J}: its activation",
                tex=(rf"\class{{sym-{unit}{J}}}{{{unit}_{J}}} = "
                     rf"\sigma\bigl(\class{{sym-a{layer}-{J}}}{{a^{{({layer})}}_{J}}}\bigr)"),
                numbers=f"σ({fmt(a[j])}) = {fmt(act[j])}",
                say=f"{unit}{J} = sigma of {fmt(a[j])} = {fmt(act[j])}",
                lit={f"{unit}{J}": "on"},
                labels={f"{unit}{J}": f"{unit}{_sub(J)} = {fmt(act[j])}"})
    add("return ", id="loss", part="forward", title="The loss",
        tex=(r"\class{sym-L}{L} = \tfrac12 \bigl((\class{sym-y1}{y_1} - \class{sym-t1}{t_1})^2"
             r" + (\class{sym-y2}{y_2} - \class{sym-t2}{t_2})^2\bigr)"),
        numbers=(f"½ (({fmt(y[0])} {MINUS} {_paren(t0[0])})² + ({fmt(y[1])} {MINUS} "
                 f"{_paren(t0[1])})²) = {fmt(L)}"),
        say=f"L = one half of (y1 - t1) squared plus (y2 - t2) squared = {fmt(L)}",
        lit={"y1": "on", "y2": "on", "t1": "on", "t2": "on", "L": "on"},
        labels={"y1": fmt(y[0]), "y2": fmt(y[1]), "t1": fmt(t0[0]), "t2": fmt(t0[1]),
                "L": f"L = {fmt(L)}"})
    # ---- backward: the output layer
    for k in range(2):
        K = k + 1
        add("delta2 = ", id=f"d2-{K}", part="backward", title=f"Output {K}: its delta",
            tex=(rf"\class{{sym-d2-{K}}}{{\delta^{{(2)}}_{K}}} = (\class{{sym-y{K}}}{{y_{K}}}"
                 rf" - \class{{sym-t{K}}}{{t_{K}}})\, \class{{sym-y{K}}}{{y_{K}}}"
                 rf"\,(1 - \class{{sym-y{K}}}{{y_{K}}})"),
            numbers=(f"({fmt(y[k])} {MINUS} {_paren(t0[k])}) {TIMES} {fmt(y[k])} {TIMES} "
                     f"(1 {MINUS} {fmt(y[k])}) = {fmt(d2[k])}"),
            say=(f"delta2 {K} = (y{K} - t{K}) y{K} (1 - y{K}) = ({fmt(y[k])} - "
                 f"{fmt(t0[k])}) times {fmt(y[k])} times (1 - {fmt(y[k])}) = {fmt(d2[k])}"),
            lit={f"y{K}": "on", f"t{K}": "on"},
            labels={f"y{K}": f"δ{_sub(K)} = {fmt(d2[k])}", f"t{K}": fmt(t0[k])})
    def weight_gradient(weight: str, layer: int, source: str, into: str, i: int, j: int,
                        value: float, delta: float, grad: float, source_label: str) -> None:
        """The step dL/d(weight)_ij = delta_j times the input i the weight carries: (4.6)
        for u (layer 2, from h), (6.1) for w (layer 1, from x)."""
        i1, J = i + 1, j + 1
        name, d = f"{weight}{i1}{J}", f"d{layer}-{J}"
        add(f"d{weight} = ", id=f"d{name}", part="backward",
            title=f"The gradient of {weight}{_sub(i1, J)}",
            tex=(rf"\frac{{\partial L}}{{\partial \class{{sym-{name}}}{{{weight}_{{{i1}{J}}}}}}}"
                 rf" = \class{{sym-{d}}}{{\delta^{{({layer})}}_{J}}}\,"
                 rf"\class{{sym-{source}{i1}}}{{{source}_{i1}}}"),
            numbers=f"{_paren(delta)} {TIMES} {_paren(value)} = {fmt(grad)}",
            say=(f"dL/d{name} = delta{layer} {J} times {source}{i1} = {fmt(delta)} times "
                 f"{fmt(value)} = {fmt(grad)}"),
            lit={f"{source}{i1}": "on", name: "on", f"{into}{J}": "on"},
            labels={f"{source}{i1}": source_label, name: fmt(grad),
                    f"{into}{J}": f"δ{_sub(J)} = {fmt(delta)}"})

    for i in range(3):
        for k in range(2):
            weight_gradient("u", 2, "h", "y", i, k, h[i], d2[k], grads.du[i, k],
                            f"h{_sub(i + 1)} = {fmt(h[i])}")
    add("db2 = ", id="db2", part="backward", title="The gradients of the output biases",
        tex=(r"\frac{\partial L}{\partial b^{(2)}_j} = \delta^{(2)}_j:\quad"
             r"(\class{sym-d2-1}{\delta^{(2)}_1},\ \class{sym-d2-2}{\delta^{(2)}_2})"),
        numbers=f"({fmt(grads.db2[0])}, {fmt(grads.db2[1])})",
        say=(f"dL/db2 1 = delta2 1 = {fmt(grads.db2[0])}, dL/db2 2 = delta2 2 = "
             f"{fmt(grads.db2[1])}"),
        lit={"y1": "on", "y2": "on"},
        labels={"y1": f"∂b₁ = {fmt(grads.db2[0])}", "y2": f"∂b₂ = {fmt(grads.db2[1])}"})
    # ---- backward: the hidden layer
    for j in range(3):
        J = j + 1
        add("delta1 = ", id=f"d1-{J}", part="backward",
            title=f"Hidden unit {J}: its delta, by two paths",
            tex=(rf"\class{{sym-d1-{J}}}{{\delta^{{(1)}}_{J}}} = "
                 rf"\bigl(\class{{sym-d2-1}}{{\delta^{{(2)}}_1}}\,"
                 rf"\class{{sym-u{J}1}}{{u_{{{J}1}}}} + \class{{sym-d2-2}}{{\delta^{{(2)}}_2}}\,"
                 rf"\class{{sym-u{J}2}}{{u_{{{J}2}}}}\bigr)\,\class{{sym-h{J}}}{{h_{J}}}"
                 rf"\,(1 - \class{{sym-h{J}}}{{h_{J}}})"),
            numbers=(f"({_paren(d2[0])} {TIMES} {_paren(u[j, 0])} + {_paren(d2[1])} {TIMES} "
                     f"{_paren(u[j, 1])}) {TIMES} {fmt(h[j])} {TIMES} (1 {MINUS} {fmt(h[j])})"
                     f" = {fmt(d1[j])}"),
            say=(f"delta1 {J} = (delta2 1 u{J}1 + delta2 2 u{J}2) h{J} (1 - h{J}) = "
                 f"{fmt(d1[j])}; two paths: through y1 and through y2"),
            lit={f"h{J}": "on", f"u{J}1": "a", "y1": "a", f"u{J}2": "b", "y2": "b"},
            labels={f"h{J}": f"δ{_sub(J)} = {fmt(d1[j])}", f"u{J}1": fmt(u[j, 0]),
                    f"u{J}2": fmt(u[j, 1]), "y1": f"δ₁ = {fmt(d2[0])}",
                    "y2": f"δ₂ = {fmt(d2[1])}"})
    for i in range(2):
        for j in range(3):
            weight_gradient("w", 1, "x", "h", i, j, x0[i], d1[j], grads.dw[i, j], fmt(x0[i]))
    add("db1 = ", id="db1", part="backward", title="The gradients of the hidden biases",
        tex=(r"\frac{\partial L}{\partial b^{(1)}_j} = \delta^{(1)}_j:\quad"
             r"(\class{sym-d1-1}{\delta^{(1)}_1},\ \class{sym-d1-2}{\delta^{(1)}_2},\ "
             r"\class{sym-d1-3}{\delta^{(1)}_3})"),
        numbers=", ".join(fmt(v) for v in grads.db1).join("()"),
        say="dL/db1 = delta1 = " + ", ".join(fmt(v) for v in grads.db1),
        lit={"h1": "on", "h2": "on", "h3": "on"},
        labels={f"h{j + 1}": f"∂b{_sub(j + 1)} = {fmt(grads.db1[j])}" for j in range(3)})
    # ---- the update
    for param, old, grad, newp in (("u", u, grads.du, new.u), ("w", w, grads.dw, new.w)):
        names = list(np.ndindex(old.shape))
        add(f"{param} = ", id=f"update-{param}", part="backward",
            title=f"One step of gradient descent: the new {param}",
            tex=(rf"{param}_{{ij}} \leftarrow {param}_{{ij}} - \eta\,"
                 rf"\frac{{\partial L}}{{\partial {param}_{{ij}}}}"),
            numbers="; ".join(
                f"{param}{_sub(r + 1, c + 1)}: {fmt(old[r, c])} {MINUS} {fmt(eta)} {TIMES} "
                f"{_paren(grad[r, c])} = {fmt(newp[r, c])}" for r, c in names),
            say=(f"new {param} = {param} - eta times the gradient, with eta = {fmt(eta)}: "
                 + ", ".join(f"{param}{r + 1}{c + 1} = {fmt(newp[r, c])}" for r, c in names)),
            lit={f"{param}{r + 1}{c + 1}": "on" for r, c in names},
            labels={f"{param}{r + 1}{c + 1}": fmt(newp[r, c]) for r, c in names})
    return out


def symbols(x: Any, t: Any, w: Any, b1: Any, u: Any, b2: Any) -> dict[str, dict[str, str]]:
    r"""Each symbol a formula may mark (``\class{sym-NAME}``): the figure element it lights
    and the text of its value.

    >>> from backprop_doc.example import b1, b2, t, u, w, x
    >>> symbols(x, t, w, b1, u, b2)["h2"]
    {'el': 'h2', 'text': 'h₂ = 0.69'}
    """
    x, t = np.asarray(x, float), np.asarray(t, float)
    w, u = np.asarray(w, float), np.asarray(u, float)
    a1, h, a2, y = (v[0] for v in forward(x, w, b1, u, b2))
    grads = backward(x, t, w, b1, u, b2)
    # name, the element it lights, its letter, its values (one a unit)
    units = (("x", "x", "x", x[0]), ("t", "t", "t", t[0]), ("y", "y", "y", y),
             ("a2-", "y", "a", a2), ("d2-", "y", "δ", grads.db2), ("h", "h", "h", h),
             ("a1-", "h", "a", a1), ("d1-", "h", "δ", grads.db1))
    out = {f"{name}{k}": {"el": f"{el}{k}", "text": f"{letter}{_sub(k)} = {fmt(v)}"}
           for name, el, letter, values in units for k, v in enumerate(values, 1)}
    for name, weights in (("w", w), ("u", u)):  # the arrows: the weight's value alone
        for i, j in np.ndindex(weights.shape):
            out[f"{name}{i + 1}{j + 1}"] = {"el": f"{name}{i + 1}{j + 1}",
                                            "text": fmt(weights[i, j])}
    out["L"] = {"el": "L", "text": f"L = {fmt(l2_loss(y[None, :], t))}"}
    return out


def steps_json(fields_json: str) -> str:
    """The steps for the worked example with the reader's fields changed, as JSON.

    What run/worker.js calls: ``fields_json`` is a JSON object of field name -> text
    (``FIELDS``); the answer is ``{"steps": [...], "symbols": {...}}``, or
    ``{"error": "..."}`` naming the field that is not a number.

    >>> import json
    >>> json.loads(steps_json('{"x1": "1.5"}'))["steps"][0]["numbers"]
    '1.5 × 0.15 + 1 × 0.3 + 0.35 = 0.875'
    >>> json.loads(steps_json('{"x2": "two"}'))
    {'error': 'x₂: "two" is not a number'}

    The biases and the learning rate too (the training page's live view sends them):

    >>> json.loads(steps_json('{"b1-1": "0", "eta": "2"}'))["steps"][0]["numbers"]
    '0.5 × 0.15 + 1 × 0.3 + 0 = 0.375'
    """
    from backprop_doc.example import ETA, b1, b2, t, u, w, x

    try:
        numbers = parse_fields(json.loads(fields_json))
    except ValueError as exc:
        return json.dumps({"error": str(exc)}, ensure_ascii=False)
    x, t, w, u, b1, b2, eta = x.copy(), t.copy(), w.copy(), u.copy(), b1.copy(), b2.copy(), ETA
    for name, value in numbers.items():
        if name == "eta":
            eta = value
        elif name[0] == "b":  # b1-2: the bias of hidden unit 2
            (b1 if name[1] == "1" else b2)[int(name[3]) - 1] = value
        elif name[0] in "xt":
            {"x": x, "t": t}[name[0]][0, int(name[1]) - 1] = value
        else:
            {"w": w, "u": u}[name[0]][int(name[1]) - 1, int(name[2]) - 1] = value
    try:
        data = {"steps": steps(x, t, w, b1, u, b2, eta),
                "symbols": symbols(x, t, w, b1, u, b2)}
    except (ValueError, FloatingPointError, ArithmeticError) as exc:
        return json.dumps({"error": str(exc)}, ensure_ascii=False)
    return json.dumps(data, ensure_ascii=False)
