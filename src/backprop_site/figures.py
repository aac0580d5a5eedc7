r"""The diagrams, drawn as SVG text by our own code: they need our exact layout (every label on
its own arrow, clear of the others, tested), which a plotting library does not give; the
plots of data are `backprop_site.plots`' (matplotlib).

* `network_svg`: Figure 1, the 2-3-2 net with every weight on its arrow (section 2);
* `backward_flow_svg`: the backward pass on Figure 1;
* `w11_paths_svg`: the two paths by which $w_{11}$ reaches the loss (section 5).

Every coordinate is written with two decimals: the same input gives the same bytes. Loaded
as an image, a figure paints its own background and takes its colours from the reader's
``prefers-color-scheme`` (rules under ``svg:root``); inlined, its ink is ``currentColor``
and the gaps behind labels take Material's ``--md-default-bg-color``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from backprop_site.steps import SUB

__all__ = ["backward_flow_svg", "network_svg", "w11_paths_svg", "wrap_scrolling"]

_SANS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", '
    '"Liberation Sans", "DejaVu Sans", sans-serif'
)
_SERIF = (
    '"STIX Two Text", "Cambria Math", Cambria, "Latin Modern Roman", "Times New Roman", '
    '"Liberation Serif", "DejaVu Serif", serif'
)

# One stylesheet for every figure, scoped to the class ``bpd-fig`` so that an inlined figure
# styles nothing else on the page. Inlined: ink is the page's text colour. As an image:
# ``svg:root`` matches, and the figure brings its own background and ink for either scheme.
_STYLE = f"""
.bpd-fig {{ --bpd-bg: var(--md-default-bg-color, transparent);
  --bpd-a: #3b7dd8; --bpd-b: #c8621a; }}
svg:root.bpd-fig {{ color: #1f2328; --bpd-bg: #ffffff; --bpd-a: #1d63c4; --bpd-b: #b0500c; }}
@media (prefers-color-scheme: dark) {{
  svg:root.bpd-fig {{ color: #e4e6eb; --bpd-bg: #1e2129; --bpd-a: #6ea8f2; --bpd-b: #f09a55; }}
}}
.bpd-fig .bg {{ fill: none; }}
.bpd-fig .knock {{ fill: var(--bpd-bg); }}
svg:root.bpd-fig .bg {{ fill: var(--bpd-bg); }}
.bpd-fig text {{ font-family: {_SANS}; fill: currentColor; }}
.bpd-fig .m {{ font-family: {_SERIF}; }}
.bpd-fig .halo {{ paint-order: stroke; stroke: var(--bpd-bg); stroke-width: 5px;
  stroke-linejoin: round; }}
.bpd-fig .ink {{ stroke: currentColor; }}
.bpd-fig .fill-ink {{ fill: currentColor; }}
.bpd-fig .faint {{ stroke: currentColor; stroke-opacity: 0.3; }}
.bpd-fig .fill-faint {{ fill: currentColor; fill-opacity: 0.3; }}
.bpd-fig .tint {{ fill: currentColor; fill-opacity: 0.07; }}
.bpd-fig .grid {{ stroke: currentColor; stroke-opacity: 0.14; }}
.bpd-fig .a {{ stroke: var(--bpd-a); }}
.bpd-fig .fill-a {{ fill: var(--bpd-a); }}
.bpd-fig text.fill-a, .bpd-fig tspan.fill-a {{ fill: var(--bpd-a); }}
.bpd-fig .b {{ stroke: var(--bpd-b); }}
.bpd-fig .fill-b {{ fill: var(--bpd-b); }}
.bpd-fig text.fill-b, .bpd-fig tspan.fill-b {{ fill: var(--bpd-b); }}
"""


def _num(v: float) -> str:
    """A coordinate with two decimals, trailing zeros dropped (``12.5``, ``3``, ``-0.25``)."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


_SUBSCRIPTS = {chr(sub): chr(digit) for digit, sub in SUB.items()} | {"ᵢ": "i", "ⱼ": "j", "ₖ": "k"}
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻", "0123456789()-", strict=True))


def _math(formula: str | Sequence[tuple[str, str]], size: float) -> str:
    """Markup for ``formula`` at font size ``size``, set the way a textbook sets it.

    Letters italic, digits and signs upright, ``-`` a minus sign; the Unicode sub- and
    superscripts (``w₁₁``, ``a⁽¹⁾``) become smaller, shifted ``<tspan>`` s of plain digits
    (fonts draw the Unicode ones too small or at the wrong height). A formula in pieces is a
    list of ``(text, css class)``, a class giving a piece its colour.
    """
    runs: list[tuple[str, str, str]] = []  # (kind, class, text); kind: it, up, sub, sup
    for text, cls in [(formula, "")] if isinstance(formula, str) else formula:
        for ch in text.replace("-", "\N{MINUS SIGN}"):
            if ch in _SUBSCRIPTS:
                kind, ch = "sub", _SUBSCRIPTS[ch]
            elif ch in _SUPERSCRIPTS:
                kind, ch = "sup", _SUPERSCRIPTS[ch].replace("-", "\N{MINUS SIGN}")
            elif ch.isalpha() and (ch.isascii() or "\u03b1" <= ch <= "\u03c9"):
                kind = "it"
            else:
                kind = "up"
            if runs and runs[-1][:2] == (kind, cls):
                runs[-1] = (kind, cls, runs[-1][2] + ch)
            else:
                runs.append((kind, cls, ch))
    shift = {"sub": 0.25 * size, "sup": -0.38 * size}
    out: list[str] = []
    baseline = 0.0
    for kind, cls, text in runs:
        classes = " ".join(c for c in (kind if kind in shift else "", cls) if c)
        attrs = f' class="{classes}"' if classes else ""
        if kind == "it" or (kind in shift and text.isalpha()):
            attrs += ' font-style="italic"'
        if kind in shift:
            attrs += f' font-size="{_num(0.72 * size)}"'
        dy = shift.get(kind, 0.0) - baseline
        if dy:
            attrs += f' dy="{_num(dy)}"'
            baseline += dy
        out.append(f"<tspan{attrs}>{escape(text)}</tspan>" if attrs else escape(text))
    return "".join(out)


def _formula_width(s: str, size: float) -> float:
    """Roughly how wide `_math` sets ``s``: 0.5 em a character, less for indices."""
    small = sum(ch in _SUBSCRIPTS or ch in _SUPERSCRIPTS for ch in s)
    return (0.5 * (len(s) - small) + 0.38 * small) * size


@dataclass(frozen=True)
class _P:
    """A point in the figure's coordinates (y grows downwards)."""

    x: float
    y: float

    def toward(self, other: _P, dist: float) -> _P:
        """The point ``dist`` along the straight line from here to ``other``."""
        dx, dy = other.x - self.x, other.y - self.y
        n = math.hypot(dx, dy)
        return _P(self.x + dx / n * dist, self.y + dy / n * dist)

    def lerp(self, other: _P, f: float) -> _P:
        """The point a fraction ``f`` of the way from here to ``other``."""
        return _P(self.x + (other.x - self.x) * f, self.y + (other.y - self.y) * f)


class _Svg:
    """Collects elements and writes them out as one SVG document."""

    def __init__(self, width: float, height: float, slug: str) -> None:
        self.width, self.height, self.slug = width, height, slug
        self.parts: list[str] = []

    def add(self, tag: str, body: str = "", **attrs: str | float) -> None:
        """Append one element: ``class_`` is ``class``, ``_`` in a name is ``-``; numbers
        with two decimals, an empty value left out."""
        text = "".join(f" {k.rstrip('_').replace('_', '-')}="
                       + quoteattr(_num(v) if isinstance(v, (int, float)) else v)
                       for k, v in attrs.items() if v != "")
        self.parts.append(f"<{tag}{text}>{body}</{tag}>" if body else f"<{tag}{text}/>")

    @contextmanager
    def group(self, sym: str, cls: str = "bpd-sym", *, on: bool = True) -> Iterator[None]:
        """With ``on``, wrap what the block adds in ``<g data-sym=sym class=cls>``."""
        start = len(self.parts)
        yield
        if on:
            self.parts[start:] = [f'<g data-sym="{sym}" class="{cls}">'
                                  + "".join(self.parts[start:]) + "</g>"]

    def line(self, a: _P, b: _P, cls: str, width: float = 1.5, dash: str = "") -> None:
        self.add("line", x1=a.x, y1=a.y, x2=b.x, y2=b.y, class_=cls, stroke_width=width,
                 stroke_dasharray=dash)

    def arrow(self, a: _P, b: _P, r_a: float, r_b: float, cls: str, fill_cls: str,
              width: float = 1.5, dash: str = "") -> None:
        """A line from circle ``a`` (radius ``r_a``) to circle ``b``, a solid head at ``b``."""
        head_len, head_half = 10.0 + width, 4.0 + width
        tip = b.toward(a, r_b + 1.5)
        base = tip.toward(a, head_len)
        ux, uy = (tip.x - base.x) / head_len, (tip.y - base.y) / head_len
        left = _P(base.x - uy * head_half, base.y + ux * head_half)
        right = _P(base.x + uy * head_half, base.y - ux * head_half)
        self.line(a.toward(b, r_a), base.toward(tip, 1.0), cls, width, dash)
        points = " ".join(f"{_num(p.x)},{_num(p.y)}" for p in (tip, left, right))
        self.add("polygon", points=points, class_=fill_cls)

    def text(self, p: _P, body: str, size: float, *, anchor: str = "middle", cls: str = ""
             ) -> None:
        """Text whose baseline is at ``p.y``; ``body`` is markup (escape it before)."""
        self.add("text", body, x=p.x, y=p.y, font_size=size, text_anchor=anchor, class_=cls)

    def rect(self, center: _P, w: float, h: float, cls: str, rx: float | str = "",
             width: float | str = "") -> None:
        """A ``w`` by ``h`` rectangle centred on ``center``, its stroke ``width`` wide."""
        self.add("rect", x=center.x - w / 2, y=center.y - h / 2, width=w, height=h, rx=rx,
                 class_=cls, stroke_width=width)

    def label(self, center: _P, formula: str, size: float, cls: str = "m", *,
              knockout: bool = False) -> None:
        """A formula centred on ``center`` (its baseline 0.35 em below); with ``knockout``,
        on a box of the background colour, so that a line under it stops short of it."""
        if knockout:
            self.rect(center, _formula_width(formula, size) + 4, 1.24 * size, "knock")
        self.text(_P(center.x, center.y + 0.35 * size), _math(formula, size), size, cls=cls)

    def render(self, title: str, desc: str) -> str:
        """The SVG document."""
        return "\n".join([svg_head(self.width, self.height, self.slug, title, desc),
                          *self.parts, "</svg>", ""])


def svg_head(width: float | str, height: float | str, slug: str, title: str, desc: str,
             xmlns: str = "") -> str:
    """A figure's ``<svg>`` tag, ``<title>``, ``<desc>``, stylesheet and background."""
    width, height, ident = _num(float(width)), _num(float(height)), f"bpd-{slug}"
    return (f'<svg xmlns="http://www.w3.org/2000/svg"{xmlns} class="bpd-fig" role="img"'
            f' viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
            f' style="max-width:100%;height:auto" aria-labelledby="{ident}-title {ident}-desc">'
            f'\n<title id="{ident}-title">{escape(title)}</title>'
            f'\n<desc id="{ident}-desc">{escape(desc)}</desc>'
            f"\n<style>{_STYLE}</style>"
            f'\n<rect class="bg" x="0" y="0" width="{width}" height="{height}" rx="6"/>')


# ---------------------------------------------------------------------------------------------
# The 2-3-2 net: one layout for Figure 1 and for the w11 figure.

_R = 22.0  # node radius
# Sized for a page that shows the figure about 640 px wide (text then at 14-18 px).
_WIDTH = 700.0
_COL_X = (55.0, 275.0, 495.0)  # inputs, hidden, outputs
_RIGHT_X = 635.0  # targets (Figure 1) or the loss (w11 figure)
_CAPTION_Y = 40.0
_HIDDEN_Y = (100.0, 200.0, 300.0)
_PAIR_Y = (130.0, 270.0)  # inputs and outputs
# Figure 1's own layout (the w11 figure keeps the one above): the hidden units 120 apart,
# which leaves room above every unit for the short arrow of its bias.
_FIG1_HIDDEN_Y = (125.0, 245.0, 365.0)
_FIG1_PAIR_Y = (175.0, 315.0)  # inputs and outputs
_FIG1_HEIGHT = 430.0


def _sub(n: int) -> str:
    return str(n).translate(SUB)


@dataclass(frozen=True)
class _Net:
    """Centres of the nodes: x[i], h[j], y[k] (0-based lists of 1-based names)."""

    x: tuple[_P, ...]
    h: tuple[_P, ...]
    y: tuple[_P, ...]


def _net(hidden_y: Sequence[float] = _HIDDEN_Y, pair_y: Sequence[float] = _PAIR_Y) -> _Net:
    xin, xhid, xout = _COL_X
    return _Net(tuple(_P(xin, y) for y in pair_y), tuple(_P(xhid, y) for y in hidden_y),
                tuple(_P(xout, y) for y in pair_y))

# Where a weight's label sits on its arrow: where the arrow is _LABEL_DX left (w) or right
# (u) of the hidden column. The arrows between two layers all cross in the middle third of
# the gap (from 0.37 to 0.63 of the way across); the labels sit past the crossings, the w
# labels before the arrowheads into the hidden units, the u labels after the arrows leave
# them, where neighbouring arrows are 38 to 49 apart. Each label thus reads with the unit it
# enters (w₁ⱼ, w₂ⱼ beside hⱼ) or leaves (uⱼ₁, uⱼ₂ beside hⱼ), in the order of a⁽¹⁾ⱼ and
# of the rows of u. tests/test_figures.py checks, from the SVG, that no label box meets
# another arrow, another label, an arrowhead or a node.
_LABEL_DX = 64.0
# A bias: a short arrow straight down into its unit from a small box at its tail, which
# holds the bias's name or value. The box, drawn by no weight's label, tells a bias from a
# weight where their numbers are alike (0.35 is a bias and a weight of Figure 1 with our
# numbers), by shape and by shade, not by colour.
_BIAS_LEN = 30.0
_BIAS_PAD = (5.0, 3.0)  # the box's margin around the label, sideways and up and down


def _bias_box(svg: _Svg, center: _P, formula: str, size: float) -> None:
    """The box of a bias label centred on ``center``: outlined, lightly shaded."""
    svg.rect(center, _formula_width(formula, size) + 2 * _BIAS_PAD[0],
             2 * (0.62 * size + _BIAS_PAD[1]), "ink tint bias", 4, 1.1)


def _at_x(a: _P, b: _P, x: float) -> _P:
    """The point of the line through ``a`` and ``b`` whose abscissa is ``x``."""
    return a.lerp(b, (x - a.x) / (b.x - a.x))


def _beside(a: _P, b: _P, f: float, formula: str, size: float, *, up: bool) -> _P:
    """Where to centre a label for segment ``a``-``b``: beside the point a fraction ``f`` along,
    on its upper (``up``) or lower side, clear of the segment by a few units."""
    dx, dy = b.x - a.x, b.y - a.y
    n = math.hypot(dx, dy)
    nx, ny = dy / n, -dx / n  # a unit normal; flip it to the side asked for
    if (ny < 0) != up:
        nx, ny = -nx, -ny
    # Distance from the label's centre to its edge in direction n, plus a gap.
    d = _formula_width(formula, size) / 2 * abs(nx) + 0.62 * size * abs(ny) + 5.0
    p = a.lerp(b, f)
    return _P(p.x + nx * d, p.y + ny * d)


def _node(svg: _Svg, c: _P, name: str, cls: str = "ink", size: float = 20, r: float = _R
          ) -> None:
    svg.add("circle", cx=c.x, cy=c.y, r=r, class_=f"{cls} tint", stroke_width=1.6)
    svg.label(c, name, size, cls="m")


def _target(svg: _Svg, c: _P, k: int, size: float = 20) -> None:
    svg.rect(c, 2 * _R, 2 * _R, "ink tint", 5, 1.6)
    svg.label(c, f"t{_sub(k)}", size, cls="m")


def _caption(svg: _Svg, x: float, word: str, formula: str, size: float = 15) -> None:
    m = size + 1
    math = f' <tspan class="m" font-size="{_num(m)}">{_math(formula, m)}</tspan>' * bool(formula)
    svg.text(_P(x, _CAPTION_Y), escape(word) + math, size)


def _value_slot(svg: _Svg, c: _P, sym: str, size: float = 14) -> None:
    """An empty label that the step-through figure writes a value into (docs/stepper/)."""
    svg.add("text", x=c.x, y=c.y + 0.35 * size, font_size=size, text_anchor="middle",
            class_="bpd-val m halo", data_val=sym)


def _value(v: float) -> str:
    """A parameter of the worked example as the figures write it: ``0.15``, ``1``, ``-0.2``."""
    return f"{float(v):g}"


def network_svg(*, stepper: bool = False, numbers: bool = False) -> str:
    r"""Figure 1: the 2-3-2 net, every weight on its arrow, every bias at its unit.

    Each weight's label sits on its own arrow, clear of the others ($w$ just before the
    hidden unit it enters, $u$ just after the one it leaves); each bias is a short arrow
    from above out of a small shaded box (no weight's label is boxed); a dashed line
    compares each output with its target. With ``stepper``, every symbol's elements are in
    a ``<g data-sym="...">`` (``x1``, ``w12``, ``b1-2``, ..., ``L``), each with an empty
    ``<text data-val="...">`` for the step-through figure's values; with ``numbers``, the
    worked example's values (`backprop_doc.example`) stand where the names would.

    Raises
    ------
    ValueError
        If both ``stepper`` and ``numbers`` are asked for.

    Examples
    --------
    Seven nodes, twelve weight arrows and five bias arrows, two dashed comparisons with the
    targets:

    >>> from backprop_site.figures import network_svg
    >>> svg = network_svg()
    >>> svg.startswith('<svg')
    True
    >>> svg.count('<circle'), svg.count('<polygon'), svg.count('stroke-dasharray')
    (7, 17, 2)

    The text of every label (the indices are set as subscripts, in their own ``<tspan>``):

    >>> import xml.etree.ElementTree as ET
    >>> texts = ET.fromstring(svg).iter('{http://www.w3.org/2000/svg}text')
    >>> labels = [''.join(t.itertext()) for t in texts]
    >>> labels[:12]  # doctest: +NORMALIZE_WHITESPACE
    ['w11', 'w12', 'w13', 'w21', 'w22', 'w23',
     'u11', 'u12', 'u21', 'u22', 'u31', 'u32']
    >>> labels[12:17]
    ['b(1)1', 'b(1)2', 'b(1)3', 'b(2)1', 'b(2)2']
    >>> labels[17:]  # doctest: +NORMALIZE_WHITESPACE
    ['t1', 'y1', 't2', 'y2', 'x1', 'x2', 'h1', 'h2', 'h3',
     'inputs x', 'hidden h = σ(a(1))', 'outputs y = σ(a(2))', 'targets t']

    With the worked example's numbers, the same places hold the values:

    >>> texts = ET.fromstring(network_svg(numbers=True)).iter('{http://www.w3.org/2000/svg}text')
    >>> labels = [''.join(t.itertext()) for t in texts]
    >>> labels[:6], labels[12:17]
    (['0.15', '0.2', '0.25', '0.3', '0.35', '0.4'], ['0.35', '0.35', '0.35', '0.6', '0.6'])
    >>> svg == network_svg()
    True
    """  # noqa: RUF002 (the labels' minus signs and sigmas are the point)
    if stepper and numbers:
        raise ValueError("network_svg: stepper and numbers: expected at most one of the two")
    from backprop_doc import example

    slug = "stepper" if stepper else "network-numbers" if numbers else "network"
    svg = _Svg(_WIDTH, _FIG1_HEIGHT, slug)
    net = _net(_FIG1_HIDDEN_Y, _FIG1_PAIR_Y)
    # The numbers variant is the figure of the page that introduces the net: its text is
    # larger, to read on a phone (390 px wide, where the figure shows at about half size).
    size, name_size, caption_size = (23.0, 22.0, 18.0) if numbers else (16.0, 20.0, 15.0)
    # (tail, head, name, symbol, label centre, value)
    arrows: list[tuple[_P, _P, str, str, _P, float]] = []
    for i, xi in enumerate(net.x, 1):
        for j, hj in enumerate(net.h, 1):
            at = _at_x(xi, hj, hj.x - _LABEL_DX)
            arrows.append((xi, hj, f"w{_sub(i)}{_sub(j)}", f"w{i}{j}", at,
                           example.w[i - 1, j - 1]))  # fmt: skip
    for i, hi in enumerate(net.h, 1):
        for j, yj in enumerate(net.y, 1):
            at = _at_x(hi, yj, hi.x + _LABEL_DX)
            arrows.append((hi, yj, f"u{_sub(i)}{_sub(j)}", f"u{i}{j}", at,
                           example.u[i - 1, j - 1]))  # fmt: skip
    # (unit, name, symbol, value), the bias label centred above the arrow's tail
    biases = [(hj, f"b⁽¹⁾{_sub(j)}", f"b1-{j}", example.b1[j - 1])
              for j, hj in enumerate(net.h, 1)]
    biases += [(yk, f"b⁽²⁾{_sub(k)}", f"b2-{k}", example.b2[k - 1])
               for k, yk in enumerate(net.y, 1)]

    # (the numbers variant's larger box needs a shorter arrow to clear the captions)
    bias_len = _BIAS_LEN - 6 if numbers else _BIAS_LEN

    def bias_tail(c: _P) -> _P:
        return _P(c.x, c.y - _R - bias_len)

    def bias_label(c: _P) -> _P:  # the box's bottom edge is the arrow's tail
        return _P(c.x, bias_tail(c).y - 0.62 * size - _BIAS_PAD[1])

    name_cls = "bpd-sym bpd-name"
    for a, b, _, sym, _, _ in arrows:
        with svg.group(sym, on=stepper):
            svg.arrow(a, b, _R, _R, "ink", "fill-ink", 1.3)
    for c, _, sym, _ in biases:
        with svg.group(sym, on=stepper):
            svg.arrow(bias_tail(c), c, 0, _R, "ink", "fill-ink", 1.3)
    for _, _, name, sym, at, v in arrows:
        with svg.group(sym, name_cls, on=stepper):
            svg.label(at, _value(v) if numbers else name, size, knockout=True)
    for c, name, sym, v in biases:
        with svg.group(sym, name_cls, on=stepper):
            text = _value(v) if numbers else name
            _bias_box(svg, bias_label(c), text, size)
            svg.label(bias_label(c), text, size, cls="m")
    t_x = _RIGHT_X
    for k, yk in enumerate(net.y, 1):
        box = _P(t_x, yk.y)
        svg.line(yk.toward(box, _R + 4), _P(box.x - _R - 4, box.y), "ink", 1.5, "5 4")
        with svg.group(f"t{k}", on=stepper):
            _target(svg, box, k, name_size)
        with svg.group(f"y{k}", on=stepper):
            _node(svg, yk, f"y{_sub(k)}", size=name_size)
    for layer, centres in (("x", net.x), ("h", net.h)):
        for k, c in enumerate(centres, 1):
            with svg.group(f"{layer}{k}", on=stepper):
                _node(svg, c, f"{layer}{_sub(k)}", size=name_size)
    if numbers:
        # The inputs and the targets: above the upper node, below the lower one.
        away = _R + 0.62 * size + 4
        for c, v, dy in ((net.x[0], example.x[0, 0], -away), (net.x[1], example.x[0, 1], away),
                         (_P(t_x, net.y[0].y), example.t[0, 0], -away),
                         (_P(t_x, net.y[1].y), example.t[0, 1], away)):
            svg.label(_P(c.x, c.y + dy), _value(v), size)
        svg.text(_P(12, _FIG1_HEIGHT - 14),
                 f'learning rate <tspan class="m">{_math(f"η = {_value(example.ETA)}", size)}'
                 "</tspan>", caption_size + 1, anchor="start")
        # The key to the boxes, on the same line at the right.
        key = _P(290, _FIG1_HEIGHT - 14 - 0.35 * size)
        _bias_box(svg, key, "b", size)
        svg.label(key, "b", size, cls="m")
        svg.text(_P(key.x + _formula_width("b", size) / 2 + _BIAS_PAD[0] + 8,
                    _FIG1_HEIGHT - 14), "= bias of the unit it points to", caption_size + 1,
                 anchor="start")  # fmt: skip
    if stepper:
        for _, _, _, sym, at, _ in arrows:
            _value_slot(svg, at, sym)
        for c, _, sym, _ in biases:
            _value_slot(svg, bias_label(c), sym)
        for layer, centres in (("x", net.x), ("h", net.h), ("y", net.y)):
            for k, c in enumerate(centres, 1):
                _value_slot(svg, _P(c.x, c.y + _R + 14), f"{layer}{k}")
                if layer == "y":
                    _value_slot(svg, _P(t_x, c.y + _R + 14), f"t{k}")
        loss = _P(t_x, sum(_FIG1_PAIR_Y) / 2)
        with svg.group("L", "bpd-sym bpd-loss"):
            svg.add("circle", cx=loss.x, cy=loss.y, r=3, class_="fill-ink")
        _value_slot(svg, loss, "L")
    # (the numbers variant, in larger text, leaves out what the units compute)
    sigma = "\N{GREEK SMALL LETTER SIGMA}"
    hidden, output = ("h", "y") if numbers else (f"h = {sigma}(a⁽¹⁾)", f"y = {sigma}(a⁽²⁾)")
    for x_at, word, formula in ((_COL_X[0], "inputs", "x"), (_COL_X[1], "hidden", hidden),
                                (_COL_X[2], "outputs", output), (t_x, "targets", "t")):
        _caption(svg, x_at, word, formula, caption_size)
    structure = (
        "Two inputs x1 and x2 connect to three hidden units h1, h2, h3 through the weights "
        "w11, w12, w13, w21, w22, w23, where wij joins input i to hidden unit j. The hidden "
        "units connect to two outputs y1 and y2 through the weights u11, u12, u21, u22, u31, "
        "u32, where uij joins hidden unit i to output j. Each weight's label is on its arrow. "
        "A short arrow from above into each unit is its bias, its name in a small box at the "
        "arrow's tail (no weight's label is boxed): b1_1, b1_2, b1_3 into the hidden units, "
        "b2_1, b2_2 into the outputs. The hidden layer computes h = sigma(a1) "
        "with a1 = x w + b1, the output layer y = sigma(a2) with a2 = h u + b2. A dashed line "
        "compares each output y1, y2 with its target t1, t2."
    )
    if not numbers:
        return svg.render("Figure 1: the 2-3-2 network", structure)
    x, w, b1, u, b2, t = (example.x, example.w, example.b1, example.u, example.b2, example.t)
    values = (
        f"The worked example's numbers are written where the names would be: inputs "
        f"x1 = {_value(x[0, 0])}, x2 = {_value(x[0, 1])}; weights "
        + ", ".join(f"w{i + 1}{j + 1} = {_value(w[i, j])}" for i, j in np.ndindex(w.shape))
        + "; "
        + ", ".join(f"u{i + 1}{j + 1} = {_value(u[i, j])}" for i, j in np.ndindex(u.shape))
        + "; biases, each in a small box above its unit (a key at the bottom says so), "
        + ", ".join(f"b1_{j + 1} = {_value(v)}" for j, v in enumerate(b1))
        + ", "
        + ", ".join(f"b2_{k + 1} = {_value(v)}" for k, v in enumerate(b2))
        + f"; targets t1 = {_value(t[0, 0])}, t2 = {_value(t[0, 1])}; learning rate "
        f"eta = {_value(example.ETA)}."
    )
    return svg.render("Figure 1 with the worked example's numbers", f"{structure} {values}")

def _sig(v: float) -> str:
    """A computed number as the figures write it: four significant digits, a true minus."""
    return f"{float(v):.4g}".replace("-", "\N{MINUS SIGN}")


_BACK_DASH = "7 4"  # the backward pass: dashed, in the second accent, heads pointing back
_BF_HEIGHT = 560.0


def backward_flow_svg(*, numbers: bool = False) -> str:
    r"""The backward pass on Figure 1: deltas flow from the outputs back to the hidden units.

    Dashed arrows in the second accent run back from each target into its output (carrying
    $y_k - t_k$) and from each output into each hidden unit (carrying
    $\delta^{(2)}_k u_{jk}$); every delta is written under its unit, and the faint forward
    arrows into the hidden units carry their weights' gradients $x_i \delta^{(1)}_j$. With
    ``numbers``, the worked example's values, computed by `backprop_doc`.

    Examples
    --------
    >>> from backprop_site.figures import backward_flow_svg
    >>> svg = backward_flow_svg()
    >>> svg.count('stroke-dasharray="7 4"'), svg.count('class="faint"')
    (8, 6)
    >>> import xml.etree.ElementTree as ET
    >>> texts = ET.fromstring(svg).iter('{http://www.w3.org/2000/svg}text')
    >>> labels = [''.join(t.itertext()) for t in texts]
    >>> labels[:4]
    ['x1δ(1)1', 'x1δ(1)2', 'x1δ(1)3', 'x2δ(1)1']
    """
    from backprop_doc import backward, forward
    from backprop_doc.example import b1, b2, t, u, w, x

    fwd = forward(x, w, b1, u, b2)
    grads = backward(x, t, w, b1, u, b2)
    y, d2, d1 = fwd.y[0], grads.db2, grads.db1  # one sample: dL/db = delta (6.1)
    delta2 = [f"δ⁽²⁾{_sub(k + 1)}" for k in range(2)]
    delta1 = [f"δ⁽¹⁾{_sub(j + 1)}" for j in range(3)]

    height = _BF_HEIGHT + (30 if numbers else 0)  # a line more: the deltas' values
    svg = _Svg(_WIDTH, height, "backward-flow-numbers" if numbers else "backward-flow")
    net = _net(_FIG1_HIDDEN_Y, _FIG1_PAIR_Y)
    # (the numbers are longer than the names: a little smaller, a little farther out)
    size, dx = (13.0, 70.0) if numbers else (15.0, _LABEL_DX)
    targets = [_P(_RIGHT_X, c.y) for c in net.y]
    # Forward, faint: the arrows into the hidden units, which the backward pass does not
    # cross (nothing flows back to the inputs); their labels are the weights' gradients.
    for xi in net.x:
        for hj in net.h:
            svg.arrow(xi, hj, _R, _R, "faint", "fill-faint", 1.2)
    # Backward, dashed: from each target into its output, from each output into every
    # hidden unit.
    for yk, tk in zip(net.y, targets, strict=True):
        start = _P(tk.x - _R, tk.y)
        svg.arrow(start, yk, 0, _R, "b", "fill-b", 1.6, _BACK_DASH)
    for hj in net.h:
        for yk in net.y:
            svg.arrow(yk, hj, _R, _R, "b", "fill-b", 1.6, _BACK_DASH)
    # Labels on the arrows, where Figure 1 has its weights' names.
    for i, xi in enumerate(net.x):
        for j, hj in enumerate(net.h):
            at = _at_x(xi, hj, hj.x - dx)
            text = _sig(grads.dw[i, j]) if numbers else f"x{_sub(i + 1)}{delta1[j]}"
            svg.label(at, text, size, knockout=True)
    for j, hj in enumerate(net.h):
        for k, yk in enumerate(net.y):
            at = _at_x(hj, yk, hj.x + dx)
            text = _sig(d2[k] * u[j, k]) if numbers else f"{delta2[k]}u{_sub(j + 1)}{_sub(k + 1)}"
            svg.label(at, text, size, cls="m fill-b", knockout=True)
    for k, (yk, tk) in enumerate(zip(net.y, targets, strict=True)):
        mid = _P((yk.x + _R + tk.x - _R) / 2, yk.y)
        text = _sig(y[k] - t[0, k]) if numbers else f"y{_sub(k + 1)}-t{_sub(k + 1)}"
        svg.label(mid, text, size, cls="m fill-b", knockout=True)
    # Each delta under its unit, the same place for all five: no arrow leaves a unit
    # straight down (the backward arrows leave an output towards the lower left at most
    # 41 degrees below the horizontal).
    away = _R + 0.62 * 16 + 6
    for c, name in zip((*net.h, *net.y), (*delta1, *delta2), strict=True):
        svg.label(_P(c.x, c.y + away), name, 16, cls="m fill-b")
    # Nodes.
    for k, tk in enumerate(targets, 1):
        _target(svg, tk, k)
    for k, c in enumerate(net.y, 1):
        _node(svg, c, f"y{_sub(k)}")
    for k, c in enumerate(net.x, 1):
        _node(svg, c, f"x{_sub(k)}", "faint")
    for k, c in enumerate(net.h, 1):
        _node(svg, c, f"h{_sub(k)}")
    for x_at, word, formula in ((_COL_X[0], "inputs", "x"), (_COL_X[1], "hidden", "h"),
                                (_COL_X[2], "outputs", "y"), (_RIGHT_X, "targets", "t")):
        _caption(svg, x_at, word, formula)
    # The formulas, under the net, each with what it says.
    lines = [
        ("δ⁽²⁾ₖ = (yₖ-tₖ) yₖ(1-yₖ)", "outputs: from y \N{MINUS SIGN} t"),
        ("δ⁽¹⁾ⱼ = hⱼ(1-hⱼ) Σₖ δ⁽²⁾ₖ uⱼₖ", "one sum per hidden unit"),
        ("∂L/∂uⱼₖ = hⱼ δ⁽²⁾ₖ,  ∂L/∂wᵢⱼ = xᵢ δ⁽¹⁾ⱼ",
         "the delta fed \N{MULTIPLICATION SIGN} the input carried"),
    ]
    if numbers:  # the deltas' values (on the figure, the arrows carry the numbers)
        lines.append((f"δ⁽²⁾ = ({', '.join(map(_sig, d2))}),  "
                      f"δ⁽¹⁾ = ({', '.join(map(_sig, d1))})", ""))
    top = height - 162 if numbers else height - 112
    for n, (formula, words) in enumerate(lines):
        yy = top + 28.0 * n
        svg.text(_P(24, yy), _math(formula, 16), 16, anchor="start", cls="m")
        if words:
            svg.text(_P(420, yy), escape(words), 14, anchor="start")
    notes = [escape("Dashed arrows: the backward pass, against the forward direction.")]
    if numbers:
        def m(formula: str) -> str:
            return f'<tspan class="m">{_math(formula, 13)}</tspan>'

        notes.insert(0, f"On the arrows: into {m('h')}, {m('∂L/∂w')}; back from {m('y')}, "
                        f"{m('δ⁽²⁾ₖuⱼₖ')}; from {m('t')}, {m('y-t')}.")  # fmt: skip
    for n, note in enumerate(reversed(notes)):
        svg.text(_P(24, height - 14 - 22 * n), note, 13, anchor="start")
    desc = (
        "The net of Figure 1 with the backward pass drawn on it. Dashed arrows in the second "
        "colour run backwards: from each target t1, t2 into its output, carrying y1 - t1 and "
        "y2 - t2, which give the outputs' deltas delta2_k = (y_k - t_k) y_k (1 - y_k), "
        "each written under its output; then from each output back to each hidden unit, each "
        "carrying delta2_k times the weight u_jk. Each hidden unit j adds the two products "
        "that reach it once and multiplies the sum by h_j (1 - h_j): that is its delta "
        "delta1_j, written under it. The forward arrows from the inputs are faint, each "
        "labelled with its weight's gradient x_i delta1_j: the delta of the unit the weight "
        "feeds times the input it carries (likewise dL/du_jk = h_j delta2_k). Because the sum "
        "into each hidden unit is computed once and shared by every weight into that unit, "
        "one backward pass costs about as much as one forward pass."
    )
    if not numbers:
        return svg.render("The backward pass: deltas flow back through u", desc)
    values = (
        " With the worked example's numbers: y1 - t1 = " + _sig(y[0] - t[0, 0])
        + ", y2 - t2 = " + _sig(y[1] - t[0, 1])
        + "; delta2 = " + ", ".join(_sig(v) for v in d2)
        + "; delta1 = " + ", ".join(_sig(v) for v in d1)
        + "; dL/dw: " + ", ".join(f"w{i + 1}{j + 1} {_sig(grads.dw[i, j])}"
                                 for i, j in np.ndindex(grads.dw.shape))
        + "."
    ).replace("\N{MINUS SIGN}", "-")
    return svg.render("The backward pass with the worked example's numbers", desc + values)


def w11_paths_svg() -> str:
    r"""The two paths by which $w_{11}$ reaches the loss (through $y_1$, first colour, and
    $y_2$, second), each factor of (5.6) on its segment, (5.7) as the caption in the same
    colours, the other weights faint.

    Examples
    --------
    Nine faint arrows; two segments in each path colour (``a``: via $y_1$, ``b``: via
    $y_2$):

    >>> from backprop_site.figures import w11_paths_svg
    >>> svg = w11_paths_svg()
    >>> svg.startswith('<svg')
    True
    >>> svg.count('<line'), svg.count('class="faint"'), svg.count('class="a"')
    (14, 9, 2)

    The factors on the segments, then (5.7) as the caption:

    >>> import xml.etree.ElementTree as ET
    >>> texts = ET.fromstring(svg).iter('{http://www.w3.org/2000/svg}text')
    >>> labels = [''.join(t.itertext()) for t in texts]
    >>> labels[9:17]  # doctest: +NORMALIZE_WHITESPACE
    ['w11', 'h1(1−h1)', 'u11', 'u12',
     'y1(1−y1)', 'y2(1−y2)', '(y1−t1)', '(y2−t2)']
    >>> labels[17]
    '∂L/∂w11 = [(y1−t1) y1(1−y1) u11 + (y2−t2) y2(1−y2) u12] h1(1−h1) x1'
    """  # noqa: RUF002 (the labels' minus signs are the point)
    svg = _Svg(_WIDTH, 385.0, "w11-paths")
    net = _net()
    loss = _P(_RIGHT_X, sum(_PAIR_Y) / 2)
    x1, h1 = net.x[0], net.h[0]
    # Faint: every weight not on the two paths.
    for i, xi in enumerate(net.x):
        for j, hj in enumerate(net.h):
            if (i, j) != (0, 0):
                svg.arrow(xi, hj, _R, _R, "faint", "fill-faint", 1.2)
    for i, hi in enumerate(net.h):
        if i != 0:
            for yj in net.y:
                svg.arrow(hi, yj, _R, _R, "faint", "fill-faint", 1.2)
    # The shared start of both paths, then one colour per path.
    svg.arrow(x1, h1, _R, _R, "ink", "fill-ink", 2.4)
    for yk, cls in zip(net.y, ("a", "b"), strict=True):
        svg.arrow(h1, yk, _R, _R, cls, f"fill-{cls}", 2.4)
        svg.arrow(yk, loss, _R, _R + 2, cls, f"fill-{cls}", 2.4)
    # Nodes.
    for k, c in enumerate(net.x, 1):
        _node(svg, c, f"x{_sub(k)}", "ink" if k == 1 else "faint")
    for k, c in enumerate(net.h, 1):
        _node(svg, c, f"h{_sub(k)}", "ink" if k == 1 else "faint")
    for k, (c, cls) in enumerate(zip(net.y, ("a", "b"), strict=True), 1):
        _node(svg, c, f"y{_sub(k)}", cls)
    _node(svg, loss, "L", r=_R + 2)
    svg.label(_P(loss.x, loss.y + _R + 14), "L = ½Σ(y-t)²", 15)
    # Factors on the segments, each beside its segment.
    svg.label(_beside(x1, h1, 0.5, "w₁₁", 16, up=True), "w₁₁", 16)
    svg.label(_P(h1.x, h1.y - _R - 14), "h₁(1-h₁)", 15, cls="m halo")
    svg.label(_beside(h1, net.y[0], 0.5, "u₁₁", 16, up=True), "u₁₁", 16, cls="m fill-a")
    svg.label(_beside(h1, net.y[1], 0.38, "u₁₂", 16, up=True), "u₁₂", 16, cls="m halo fill-b")
    svg.label(_P(net.y[0].x, net.y[0].y - _R - 14), "y₁(1-y₁)", 15, cls="m halo fill-a")
    svg.label(_P(net.y[1].x, net.y[1].y + _R + 15), "y₂(1-y₂)", 15, cls="m halo fill-b")
    svg.label(_beside(net.y[0], loss, 0.5, "(y₁-t₁)", 15, up=True), "(y₁-t₁)", 15,
              cls="m fill-a")  # fmt: skip
    svg.label(_beside(net.y[1], loss, 0.5, "(y₂-t₂)", 15, up=False), "(y₂-t₂)", 15,
              cls="m fill-b")  # fmt: skip
    # The formula (5.7), its two terms in the colours of their paths.
    body = _math(
        [
            ("∂L/∂w₁₁ = [", ""),
            ("(y₁-t₁) y₁(1-y₁) u₁₁", "fill-a"),
            (" + ", ""),
            ("(y₂-t₂) y₂(1-y₂) u₁₂", "fill-b"),
            ("] h₁(1-h₁) x₁", ""),
        ],
        16,
    )
    svg.text(_P(_WIDTH / 2, 365.0), body, 16, cls="m")
    for x_at, word, formula in ((_COL_X[0], "inputs", "x"), (_COL_X[1], "hidden", "h"),
                                (_COL_X[2], "outputs", "y"), (loss.x, "loss", "L")):
        _caption(svg, x_at, word, formula)
    return svg.render(
        "How w11 reaches the loss: two paths",
        "The weight w11 joins input x1 to hidden unit h1, so it changes h1 only. h1 reaches "
        "the loss L along two paths: through output y1 (first colour), with the factors u11, "
        "y1(1-y1) and (y1-t1), and through output y2 (second colour), with the factors u12, "
        "y2(1-y2) and (y2-t2). Adding the two paths and multiplying by h1(1-h1) x1 gives "
        "dL/dw11 = [(y1-t1) y1(1-y1) u11 + (y2-t2) y2(1-y2) u12] h1(1-h1) x1, formula (5.7). "
        "All other weights are drawn faint.",
    )


# ---------------------------------------------------------------------------------------------
# On a phone the figures drawn on Figure 1's 700-unit layout would shrink to half size, their
# labels to 7 or 8 px. So each page's ``<img>`` of one of them is wrapped in
# ``<span class="bpd-figscroll">`` (a span, allowed inside a paragraph, displayed as a
# block): ``docs/stylesheets/extra.css`` keeps the figure at least 560 px wide (its labels
# 12 px and more) and lets it scroll sideways in that box, not the page, and
# ``docs/javascripts/a11y.js`` makes the box focusable while it scrolls.

#: The figures on Figure 1's layout, 700 units wide: they scroll sideways on a phone.
SCROLLING = ("network", "network-numbers", "backward-flow", "backward-flow-numbers",
             "w11-paths")  # fmt: skip
_SCROLLING_IMG = re.compile(
    r'<img\b[^>]*\bsrc="(?:[^"]*/)?figures/(?:' + "|".join(map(re.escape, SCROLLING))
    + r')\.svg"[^>]*>'
)


def wrap_scrolling(html: str) -> str:
    """``html`` with each ``<img>`` of a `SCROLLING` figure in its scroll box."""
    return _SCROLLING_IMG.sub(lambda m: f'<span class="bpd-figscroll">{m.group(0)}</span>', html)
