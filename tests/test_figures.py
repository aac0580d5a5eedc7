"""The figures: valid, accessible SVG whose labels are all there, on the right arrows, apart.

Geometry is read back from the SVG text itself: node centres from the ``<circle>`` around
each node's label, arrows from ``<line>`` end points, labels from ``<text>`` positions. A
label's box is estimated the usual way (each character 0.6 em wide, from 0.8 em above the
baseline to 0.3 em below it, where indices hang). The tests marked ``browser`` measure the
real boxes in Chromium instead.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from backprop_site import figures, hooks
from backprop_site.figures import backward_flow_svg, network_svg, w11_paths_svg
from helpers import line_points

NS = "{http://www.w3.org/2000/svg}"
SUB = str.maketrans("0123456789ijk", "₀₁₂₃₄₅₆₇₈₉ᵢⱼₖ")
SUB_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
SUB_IDX = dict(enumerate("₀₁₂₃₄₅₆₇₈₉"))
SUP = str.maketrans("0123456789()-\N{MINUS SIGN}", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻⁻")
MINUS = "\N{MINUS SIGN}"
SIGMA = "\N{GREEK SMALL LETTER SIGMA}"

FIGURES: dict[str, Callable[[], str]] = {
    "network": network_svg,
    "network-numbers": partial(network_svg, numbers=True),
    "backward-flow": backward_flow_svg,
    "backward-flow-numbers": partial(backward_flow_svg, numbers=True),
    "w11-paths": w11_paths_svg,
}
WEIGHTS = [f"w{i}{j}".translate(SUB) for i in (1, 2) for j in (1, 2, 3)] + [
    f"u{i}{j}".translate(SUB) for i in (1, 2, 3) for j in (1, 2)
]


# --------------------------------------------------------------------------------------------
# Reading the SVG back
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


@dataclass(frozen=True)
class Label:
    text: str  # with Unicode sub- and superscripts for the shifted tspans
    x: float  # the text's anchor point
    y: float  # its baseline
    size: float
    box: Box
    classes: frozenset[str]
    anchor: str

    @property
    def centre(self) -> tuple[float, float]:
        return self.x, self.y - 0.35 * self.size


def rich_text(el: ET.Element, mode: str = "") -> str:
    """The text of ``el``, digits in ``<tspan class="sub">`` written as subscripts."""
    classes = el.get("class", "").split()
    mode = "sub" if "sub" in classes else "sup" if "sup" in classes else mode
    table = SUB if mode == "sub" else SUP if mode == "sup" else None

    def shown(s: str | None) -> str:
        return (s or "").translate(table) if table else (s or "")

    out = shown(el.text)
    for child in el:
        out += rich_text(child, mode) + shown(child.tail)
    return out


def text_width(el: ET.Element, size: float) -> float:
    """0.6 em for each character, in the font size of the element or tspan it is in."""
    size = float(el.get("font-size", size))
    width = 0.6 * size * len(el.text or "")
    for child in el:
        width += text_width(child, size) + 0.6 * size * len(child.tail or "")
    return width


def labels(svg: str) -> list[Label]:
    out = []
    for el in ET.fromstring(svg).iter(f"{NS}text"):
        x, y, size = float(el.get("x", "")), float(el.get("y", "")), float(el.get("font-size", ""))
        width = text_width(el, size)
        anchor = el.get("text-anchor", "start")
        left = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
        box = Box(left, y - 0.8 * size, left + width, y + 0.3 * size)
        classes = frozenset(el.get("class", "").split())
        out.append(Label(rich_text(el), x, y, size, box, classes, anchor))
    return out


def label(svg: str, text: str) -> Label:
    found = [lab for lab in labels(svg) if lab.text == text]
    assert len(found) == 1, f"expected one label {text!r}, found {len(found)}"
    return found[0]


def node_centres(svg: str) -> dict[str, tuple[float, float, float]]:
    """Node name (its label) -> (cx, cy, r), for every circle with a label inside it."""
    root = ET.fromstring(svg)
    circles = [
        (float(c.get("cx", "")), float(c.get("cy", "")), float(c.get("r", "")))
        for c in root.iter(f"{NS}circle")
    ]
    nodes = {}
    for lab in labels(svg):
        lx, ly = lab.centre
        for cx, cy, r in circles:
            if math.hypot(lx - cx, ly - cy) < 2:
                nodes[lab.text] = (cx, cy, r)
    return nodes


def lines(svg: str) -> list[tuple[float, float, float, float, str]]:
    return [
        (float(e.get("x1", "")), float(e.get("y1", "")), float(e.get("x2", "")),
         float(e.get("y2", "")), e.get("class", ""))
        for e in ET.fromstring(svg).iter(f"{NS}line")
    ]  # fmt: skip


def arrowheads(svg: str) -> list[Box]:
    boxes = []
    for poly in ET.fromstring(svg).iter(f"{NS}polygon"):
        pts = [tuple(map(float, p.split(","))) for p in poly.get("points", "").split()]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys)))
    return boxes


Point = tuple[float, float]


def distance_to_segment(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    f = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - f * dx, py - ay - f * dy)


def joins(svg: str, a: str, b: str) -> list[str]:
    """Classes of the lines that run from node ``a`` to node ``b`` (edge to edge)."""
    nodes = node_centres(svg)
    (ax, ay, ar), (bx, by, br) = nodes[a], nodes[b]
    found = []
    for x1, y1, x2, y2, cls in lines(svg):
        starts = abs(math.hypot(x1 - ax, y1 - ay) - ar) < 1
        ends = math.hypot(x2 - bx, y2 - by) < br + 20  # stops where its arrowhead begins
        on = all(distance_to_segment(p, (ax, ay), (bx, by)) < 0.5 for p in ((x1, y1), (x2, y2)))
        if starts and ends and on:
            found.append(cls)
    return found


# --------------------------------------------------------------------------------------------
# Every figure
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIGURES)
def test_figure_is_an_accessible_svg_document(name: str) -> None:
    root = ET.fromstring(FIGURES[name]())
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 \d+(\.\d+)? \d+(\.\d+)?", root.get("viewBox", ""))
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and (title.text or "").strip()
    assert desc is not None and len((desc.text or "").split()) >= 10
    ids = [title.get("id"), desc.get("id")]
    assert root.get("aria-labelledby") == " ".join(str(i) for i in ids)


@pytest.mark.parametrize("name", FIGURES)
def test_figure_refers_to_nothing_outside_itself(name: str) -> None:
    svg = FIGURES[name]()
    without_namespace = svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for needle in ("http:", "https:", "href", "url(", "@import", "@font-face", "<script"):
        assert needle not in without_namespace


@pytest.mark.parametrize("name", FIGURES)
def test_drawing_twice_gives_the_same_text(name: str) -> None:
    assert FIGURES[name]() == FIGURES[name]()


@pytest.mark.parametrize("name", FIGURES)
def test_coordinates_have_at_most_two_decimals(name: str) -> None:
    numbers = re.findall(r'="(-?[\d.,\s]+)"', FIGURES[name]())
    long = [n for n in numbers if re.search(r"\.\d{3}", n)]
    assert numbers and not long


@pytest.mark.parametrize("name", FIGURES)
def test_no_two_labels_overlap(name: str) -> None:
    labs = labels(FIGURES[name]())
    clashes = [
        (a.text, b.text)
        for i, a in enumerate(labs)
        for b in labs[i + 1 :]
        if a.box.overlaps(b.box)
    ]
    assert not clashes


@pytest.mark.parametrize("name", FIGURES)
def test_labels_stay_inside_the_view_box(name: str) -> None:
    svg = FIGURES[name]()
    _, _, width, height = map(float, ET.fromstring(svg).get("viewBox", "").split())
    outside = [
        lab.text
        for lab in labels(svg)
        if lab.box.left < 0 or lab.box.top < 0 or lab.box.right > width or lab.box.bottom > height
    ]
    assert not outside


@pytest.mark.parametrize(
    ("name", "arrows"),
    [("network", 17), ("network-numbers", 17), ("backward-flow", 14),
     ("backward-flow-numbers", 14), ("w11-paths", 14)],
)
def test_no_label_covers_an_arrowhead_or_a_node_it_does_not_name(name: str, arrows: int) -> None:
    svg = FIGURES[name]()
    heads = arrowheads(svg)
    nodes = node_centres(svg)
    assert len(heads) == arrows and len(nodes) >= 7
    for lab in labels(svg):
        assert not any(lab.box.overlaps(h) for h in heads), lab.text
        for node, (cx, cy, r) in nodes.items():
            if node == lab.text:
                continue
            # nearest point of the label's box to the centre, farther than the radius
            nx = min(max(cx, lab.box.left), lab.box.right)
            ny = min(max(cy, lab.box.top), lab.box.bottom)
            assert math.hypot(nx - cx, ny - cy) > r, (lab.text, node)


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_colours_read_on_white_and_on_dark_pages() -> None:
    style = network_svg().split("<style>")[1].split("</style>")[0]
    inline, light = re.findall(r"\.bpd-fig \{([^}]*)\}|svg:root\.bpd-fig \{([^}]*)\}", style)[:2]
    dark = style.split("prefers-color-scheme: dark")[1]

    def colour(block: str, name: str) -> str:
        found = re.search(rf"(?<![-\w]){re.escape(name)}: (#[0-9a-f]{{6}})", block)
        assert found, (name, block)
        return found.group(1)

    # As an image the figure paints its own background: text contrast 4.5:1 (WCAG AA).
    for block in (light[1], dark):
        bg = colour(block, "--bpd-bg")
        for ink in ("color", "--bpd-a", "--bpd-b"):
            assert contrast(colour(block, ink), bg) >= 4.5, (ink, bg)
    # Inlined, the accents sit on whatever the page is: 3:1 (graphics) on white and on dark.
    for accent in ("--bpd-a", "--bpd-b"):
        for page in ("#ffffff", "#1e2129"):
            assert contrast(colour(inline[0], accent), page) >= 3.0, (accent, page)


# --------------------------------------------------------------------------------------------
# Figure 1
# --------------------------------------------------------------------------------------------


def test_network_labels_every_weight_once_and_the_targets() -> None:
    texts = [lab.text for lab in labels(network_svg())]
    for name in [*WEIGHTS, "t₁", "t₂", "x₁", "x₂", "h₁", "h₂", "h₃", "y₁", "y₂"]:
        assert texts.count(name) == 1, name


def test_network_has_the_layer_captions() -> None:
    texts = [lab.text for lab in labels(network_svg())]
    for caption in (
        "inputs x",
        f"hidden h = {SIGMA}(a⁽¹⁾)",
        f"outputs y = {SIGMA}(a⁽²⁾)",
        "targets t",
    ):
        assert caption in texts


@pytest.mark.parametrize("weight", WEIGHTS)
def test_each_weight_label_sits_on_its_own_arrow(weight: str) -> None:
    svg = network_svg()
    layer, i, j = weight[0], weight[1], weight[2]
    source, target = ("x" + i, "h" + j) if layer == "w" else ("h" + i, "y" + j)
    source, target = (
        source.translate(str.maketrans("123", "₁₂₃")),
        target.translate(str.maketrans("123", "₁₂₃")),
    )
    nodes = node_centres(svg)
    a, b = nodes[source][:2], nodes[target][:2]
    assert distance_to_segment(label(svg, weight).centre, a, b) < 0.5
    assert joins(svg, source, target) == ["ink"]  # and there is an arrow to sit on
    # ...and on no other arrow: the nearest other arrow is clearly farther away.
    others = [
        distance_to_segment(label(svg, weight).centre, nodes[s][:2], nodes[t][:2])
        for s in ("x₁", "x₂", "h₁", "h₂", "h₃")
        for t in ("h₁", "h₂", "h₃", "y₁", "y₂")
        if (s[0], t[0]) in {("x", "h"), ("h", "y")} and (s, t) != (source, target)
    ]
    assert min(others) > 8


def test_network_compares_each_output_with_its_target_by_a_dashed_line() -> None:
    svg = network_svg()
    dashed = [e for e in ET.fromstring(svg).iter(f"{NS}line") if e.get("stroke-dasharray")]
    assert len(dashed) == 2
    for k, line_el in zip(("₁", "₂"), dashed, strict=True):
        y, t = label(svg, "y" + k), label(svg, "t" + k)
        assert abs(float(line_el.get("y1", "")) - y.centre[1]) < 0.5
        assert float(line_el.get("x1", "")) > y.x and float(line_el.get("x2", "")) < t.x


# Figure 1, readable: every label on its own arrow, clear of every other line. The boxes are
# the estimates of ``labels`` (the browser test below measures the real ones).

NET_FIGURES = ["network", "network-numbers"]
UNITS = ["h₁", "h₂", "h₃", "y₁", "y₂"]
BIASES = ["b⁽¹⁾₁", "b⁽¹⁾₂", "b⁽¹⁾₃", "b⁽²⁾₁", "b⁽²⁾₂"]
IDX = str.maketrans("123", "₁₂₃")


def segment_meets_box(a: Point, b: Point, box: Box) -> bool:
    """Whether the segment ``a``-``b`` has a point inside ``box`` (Liang-Barsky clipping)."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x0 - box.left), (dx, box.right - x0), (-dy, y0 - box.top),
                 (dy, box.bottom - y0)):  # fmt: skip
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            lo = max(lo, q / p)
        else:
            hi = min(hi, q / p)
    return lo <= hi


def test_segment_meets_box() -> None:
    box = Box(0, 0, 10, 10)
    assert segment_meets_box((-5, 5), (15, 5), box)  # straight through
    assert segment_meets_box((5, 5), (50, 50), box)  # starts inside
    assert not segment_meets_box((-5, -1), (15, -1), box)  # passes above
    assert not segment_meets_box((11, 0), (20, 9), box)  # beside it
    assert not segment_meets_box((-10, 5), (5, 20), box)  # misses the corner
    assert segment_meets_box((-4, 5), (5, 14), box)  # clips the corner


def weight_arrows(svg: str) -> list[tuple[str, Point, Point]]:
    """(name, tail centre, head centre) of the twelve weights, from the node circles."""
    nodes = node_centres(svg)
    out = []
    for w in WEIGHTS:
        layer, i, j = w[0], w[1], w[2]
        source, target = ("x" + i, "h" + j) if layer == "w" else ("h" + i, "y" + j)
        out.append((w, nodes[source][:2], nodes[target][:2]))
    return out


def free_labels(svg: str) -> list[Label]:
    """The labels, less the names written inside the node circles."""
    nodes = node_centres(svg).values()
    return [lab for lab in labels(svg)
            if all(math.hypot(lab.centre[0] - cx, lab.centre[1] - cy) > r for cx, cy, r in nodes)]


@pytest.mark.parametrize("name", NET_FIGURES)
def test_no_label_meets_a_line_but_the_one_it_sits_on(name: str) -> None:
    svg = FIGURES[name]()
    segments = [((x1, y1), (x2, y2)) for x1, y1, x2, y2, _ in lines(svg)]
    assert len(segments) == 12 + 5 + 2  # weights, biases, the two comparisons
    problems = []
    for lab in labels(svg):
        on = [s for s in segments if distance_to_segment(lab.centre, *s) < 0.5]
        assert len(on) <= 1, lab.text
        problems += [(lab.text, s) for s in segments
                     if s not in on and segment_meets_box(*s, lab.box)]  # fmt: skip
    assert not problems


@pytest.mark.parametrize("name", NET_FIGURES)
def test_each_weight_has_one_label_on_its_drawn_arrow_past_the_crossings(name: str) -> None:
    """On its arrow: the label's centre is on the arrow's line, between its tail and its
    head; past the crossings: the arrow's own stretch under the label box meets no other
    arrow (an arrow crossing it there would run through the label)."""
    svg = FIGURES[name]()
    arrows = weight_arrows(svg)
    drawn = [((x1, y1), (x2, y2)) for x1, y1, x2, y2, _ in lines(svg)]
    for weight, a, b in arrows:
        on = [lab for lab in free_labels(svg) if distance_to_segment(lab.centre, a, b) < 0.5]
        assert len(on) == 1, (weight, [lab.text for lab in on])
        lab = on[0]
        assert any(distance_to_segment(lab.centre, *s) < 0.5 for s in drawn), weight
        if name == "network":
            assert lab.text == weight
        others = [(c, d) for other, c, d in arrows if other != weight]
        assert not any(segment_meets_box(c, d, lab.box) for c, d in others), weight


def bias_arrow(svg: str, unit: str) -> tuple[tuple[float, float, float, float], Label]:
    """The vertical line that ends just above ``unit``'s circle, and the label at its tail."""
    cx, cy, r = node_centres(svg)[unit]
    (stub,) = [(x1, y1, x2, y2) for x1, y1, x2, y2, _ in lines(svg)
               if abs(x1 - cx) < 0.01 and abs(x2 - cx) < 0.01 and y1 < y2 < cy - r
               and y2 > cy - r - 15]  # fmt: skip
    (lab,) = [lab for lab in free_labels(svg)
              if abs(lab.x - cx) < 0.01 and 0 < stub[1] - lab.box.bottom < 8]
    return stub, lab


@pytest.mark.parametrize("name", NET_FIGURES)
def test_each_unit_has_a_bias_arrow_from_above_its_label_at_the_tail(name: str) -> None:
    svg = FIGURES[name]()
    nodes = node_centres(svg)
    heads = arrowheads(svg)
    for unit, bias in zip(UNITS, BIASES, strict=True):
        cx, cy, r = nodes[unit]
        stub, lab = bias_arrow(svg, unit)
        assert stub[3] - stub[1] > 10  # a visible shaft
        tip = (cx, cy - r - 1.5)  # where Figure 1's arrowheads touch a circle
        assert any(h.left <= tip[0] <= h.right and abs(h.bottom - tip[1]) < 0.01 for h in heads)
        if name == "network":
            assert lab.text == bias


def number(text: str) -> float:
    return float(text.replace(MINUS, "-"))


def test_numbers_on_figure_1_are_the_worked_examples() -> None:
    """Every number against ``backprop_doc.example``, the module the page's doctests use."""
    from backprop_doc import example

    svg = network_svg(numbers=True)
    nodes = node_centres(svg)
    found = free_labels(svg)
    for weight, a, b in weight_arrows(svg):
        (lab,) = [lab for lab in found if distance_to_segment(lab.centre, a, b) < 0.5]
        i, j = int(weight[1].translate(SUB_DIGITS)) - 1, int(weight[2].translate(SUB_DIGITS)) - 1
        value = (example.w if weight[0] == "w" else example.u)[i, j]
        assert number(lab.text) == pytest.approx(value, abs=0), weight
    biases = [*example.b1, *example.b2]
    for unit, value in zip(UNITS, biases, strict=True):
        assert number(bias_arrow(svg, unit)[1].text) == pytest.approx(value, abs=0), unit
    # The inputs and the targets: the one number above or below each node or target box.
    rects = [(float(e.get("x", "")), float(e.get("y", "")), float(e.get("width", "")))
             for e in ET.fromstring(svg).iter(f"{NS}rect")
             if "tint" in e.get("class", "").split()
             and "bias" not in e.get("class", "").split()]  # fmt: skip (not the bias boxes)
    targets = [(x + w / 2, y + w / 2, w / 2) for x, y, w in rects]
    for (cx, cy, r), value in [(nodes["x₁"], example.x[0, 0]), (nodes["x₂"], example.x[0, 1]),
                               (targets[0], example.t[0, 0]), (targets[1], example.t[0, 1])]:
        (lab,) = [lab for lab in found if abs(lab.x - cx) < 0.01
                  and r < abs(lab.centre[1] - cy) < r + 30]  # fmt: skip
        assert number(lab.text) == pytest.approx(value, abs=0)
    (eta,) = [lab.text for lab in found if "η" in lab.text]
    assert eta.startswith("learning rate η = ")
    assert number(eta.split("= ")[1]) == pytest.approx(example.ETA, abs=0)


def outlined_rects(svg: str) -> list[Box]:
    """The rectangles drawn with a visible outline (not the knock-outs behind labels)."""
    out = []
    for e in ET.fromstring(svg).iter(f"{NS}rect"):
        classes = e.get("class", "").split()
        if "ink" in classes and float(e.get("stroke-width", "0")) >= 1:
            x, y = float(e.get("x", "")), float(e.get("y", ""))
            out.append(Box(x, y, x + float(e.get("width", "")), y + float(e.get("height", ""))))
    return out


def encloses(outer: Box, inner: Box) -> bool:
    return (outer.left <= inner.left and outer.top <= inner.top
            and inner.right <= outer.right and inner.bottom <= outer.bottom)  # fmt: skip


@pytest.mark.parametrize("name", NET_FIGURES)
def test_a_bias_is_told_from_a_weight_by_its_box_not_by_colour(name: str) -> None:
    """A bias and a weight may have the same number (0.35 is b⁽¹⁾₂ and w₂₂ in our numbers):
    each bias label sits in an outlined box at the tail of its arrow, and no weight label
    is in a box. Both are in the same ink, so the box alone tells them apart."""
    svg = FIGURES[name]()
    boxes = outlined_rects(svg)
    bias_classes = set()
    for unit in UNITS:
        stub, lab = bias_arrow(svg, unit)
        (box,) = [b for b in boxes if encloses(b, lab.box)]
        assert box.left < stub[0] < box.right and abs(box.bottom - stub[1]) < 0.01, unit
        bias_classes.add(lab.classes)
    weight_classes = set()
    for weight, a, b in weight_arrows(svg):
        (lab,) = [lab for lab in free_labels(svg) if distance_to_segment(lab.centre, a, b) < 0.5]
        assert not [box for box in boxes if box.overlaps(lab.box)], weight
        weight_classes.add(lab.classes)
    assert bias_classes == weight_classes == {frozenset({"m"})}  # no colour of their own


def test_the_numbers_figure_has_a_key_to_the_bias_boxes() -> None:
    svg = network_svg(numbers=True)
    boxes = outlined_rects(svg)
    (b,) = [lab for lab in labels(svg) if lab.text == "b"]
    assert [box for box in boxes if encloses(box, b.box)]
    (key,) = [lab for lab in labels(svg) if "bias" in lab.text]
    assert key.text == "= bias of the unit it points to"
    assert abs(key.y - b.y) < 0.01 and key.box.left > b.box.right
    desc = ET.fromstring(svg).findtext(f"{NS}desc", "")
    assert "in a small box above its unit" in desc and "b1_1 = 0.35, b1_2" in desc


def test_the_step_through_figure_boxes_a_bias_name_with_the_name() -> None:
    """The step-through figure writes a value in place of a name (hiding the name's group):
    the box goes with the name, so no empty box is left around a value."""
    root = ET.fromstring(network_svg(stepper=True))
    for sym in ("b1-1", "b1-2", "b1-3", "b2-1", "b2-2"):
        (name,) = [g for g in root.iter(f"{NS}g")
                   if g.get("data-sym") == sym and "bpd-name" in g.get("class", "")]  # fmt: skip
        assert [r for r in name.iter(f"{NS}rect") if "bias" in r.get("class", "")], sym
    weights = [g for g in root.iter(f"{NS}g") if re.fullmatch(r"[wu]\d\d", g.get("data-sym", ""))]
    assert len(weights) == 24  # the arrow and the name of each
    assert not [r for g in weights for r in g.iter(f"{NS}rect") if "bias" in r.get("class", "")]


def test_numbers_are_taken_from_the_package_at_drawing_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing typed: change the package's w, and the figure changes with it."""
    import numpy as np

    from backprop_doc import example

    monkeypatch.setattr(example, "w", np.array([[0.125, -0.5, 2.0], [3.0, 0.0625, -1.0]]))
    svg = network_svg(numbers=True)
    texts = [lab.text for lab in labels(svg)]
    assert texts[:6] == ["0.125", f"{MINUS}0.5", "2", "3", "0.0625", f"{MINUS}1"]
    assert "w12 = -0.5" in ET.fromstring(svg).findtext(f"{NS}desc", "")


def test_the_numbers_figure_reads_on_a_phone() -> None:
    """At 390 px a page shows the 700-unit figure at most 358 px wide: each number at least
    11 px high there."""
    svg = network_svg(numbers=True)
    width = float(ET.fromstring(svg).get("viewBox", "").split()[2])
    numeric = [lab for lab in labels(svg) if re.fullmatch(rf"{MINUS}?[\d.]+", lab.text)]
    assert len(numeric) == 12 + 5 + 4
    assert min(lab.size for lab in numeric) * 358 / width >= 11


# --------------------------------------------------------------------------------------------
# The w11 figure
# --------------------------------------------------------------------------------------------


def test_w11_paths_are_highlighted_in_two_colours_and_the_rest_is_faint() -> None:
    svg = w11_paths_svg()
    assert joins(svg, "x₁", "h₁") == ["ink"]
    assert joins(svg, "h₁", "y₁") == ["a"] and joins(svg, "y₁", "L") == ["a"]
    assert joins(svg, "h₁", "y₂") == ["b"] and joins(svg, "y₂", "L") == ["b"]
    others = [("x₁", "h₂"), ("x₁", "h₃"), ("x₂", "h₁"), ("x₂", "h₂"), ("x₂", "h₃")] + [
        (h, y) for h in ("h₂", "h₃") for y in ("y₁", "y₂")
    ]
    for a, b in others:
        assert joins(svg, a, b) == ["faint"], (a, b)
    assert len(lines(svg)) == 5 + len(others)


@pytest.mark.parametrize(
    ("factor", "segment", "colour"),
    [
        ("w₁₁", ("x₁", "h₁"), ""),
        ("u₁₁", ("h₁", "y₁"), "fill-a"),
        (f"(y₁{MINUS}t₁)", ("y₁", "L"), "fill-a"),
        ("u₁₂", ("h₁", "y₂"), "fill-b"),
        (f"(y₂{MINUS}t₂)", ("y₂", "L"), "fill-b"),
    ],
)
def test_w11_factor_labels_sit_beside_their_segment_in_its_colour(
    factor: str, segment: tuple[str, str], colour: str
) -> None:
    svg = w11_paths_svg()
    nodes = node_centres(svg)
    a, b = nodes[segment[0]][:2], nodes[segment[1]][:2]
    lab = label(svg, factor)
    assert distance_to_segment(lab.centre, a, b) < 30
    for other in [("x₁", "h₁"), ("h₁", "y₁"), ("y₁", "L"), ("h₁", "y₂"), ("y₂", "L")]:
        if other != segment:
            c, d = nodes[other[0]][:2], nodes[other[1]][:2]
            assert distance_to_segment(lab.centre, c, d) > distance_to_segment(lab.centre, a, b)
    assert (colour in lab.classes) if colour else not ({"fill-a", "fill-b"} & lab.classes)


def test_w11_sigmoid_factors_sit_at_their_nodes_in_their_colours() -> None:
    svg = w11_paths_svg()
    nodes = node_centres(svg)
    for factor, node, colour in [
        (f"y₁(1{MINUS}y₁)", "y₁", "fill-a"),
        (f"y₂(1{MINUS}y₂)", "y₂", "fill-b"),
        (f"h₁(1{MINUS}h₁)", "h₁", ""),
    ]:
        lab = label(svg, factor)
        cx, cy, r = nodes[node]
        assert abs(lab.x - cx) < 0.5 and r < abs(lab.centre[1] - cy) < r + 25
        assert (colour in lab.classes) if colour else not ({"fill-a", "fill-b"} & lab.classes)


def test_w11_caption_is_formula_5_7_with_each_term_in_its_path_colour() -> None:
    svg = w11_paths_svg()
    m = MINUS
    formula = f"∂L/∂w₁₁ = [(y₁{m}t₁) y₁(1{m}y₁) u₁₁ + (y₂{m}t₂) y₂(1{m}y₂) u₁₂] h₁(1{m}h₁) x₁"
    label(svg, formula)
    text = next(e for e in ET.fromstring(svg).iter(f"{NS}text") if rich_text(e) == formula)
    by_colour: dict[str, str] = {"fill-a": "", "fill-b": ""}
    for span in text.iter(f"{NS}tspan"):
        for colour in by_colour:
            if colour in span.get("class", "").split():
                by_colour[colour] += rich_text(span)
    assert by_colour["fill-a"].replace(" ", "") == f"(y₁{m}t₁)y₁(1{m}y₁)u₁₁"
    assert by_colour["fill-b"].replace(" ", "") == f"(y₂{m}t₂)y₂(1{m}y₂)u₁₂"


# --------------------------------------------------------------------------------------------
# The MkDocs hook
# --------------------------------------------------------------------------------------------

GENERATED = [
    "figures/network.svg",
    "figures/network-numbers.svg",
    "figures/backward-flow.svg",
    "figures/backward-flow-numbers.svg",
    "figures/w11-paths.svg",
    "figures/loss-curve.svg",
    "figures/live-0.svg",
    "figures/live-100.svg",
    "figures/live-200.svg",
    "figures/live-3000.svg",
    "figures/hidden-lines.svg",
]
def build_files(tmp_path: Path) -> Any:
    """Add the figures as the build does, to the files of a project's docs/."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    # a hooks file whose on_files is the build's step that adds the figures
    hook = tmp_path / "figures_hook.py"
    hook.write_text("from backprop_site.hooks import add_figures as on_files\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: t\nhooks: [{hook}]\n", encoding="utf-8")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "s"))
    return config.plugins.on_files(get_files(config), config=config)


def test_hook_adds_the_figures_as_generated_files(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    files = build_files(tmp_path)
    assert sorted(f.src_uri for f in files) == sorted([*GENERATED, "index.md"])
    for uri in GENERATED:
        file = files.get_file_from_path(uri)
        assert file is not None and file.generated_by is not None
        assert ET.fromstring(file.content_string).get("role") == "img"
    curve = files.get_file_from_path("figures/loss-curve.svg")
    assert curve is not None and len(line_points(curve.content_string, "loss-line")) > 100


def test_two_builds_draw_the_same_bytes(tmp_path: Path) -> None:
    contents = []
    for build in ("one", "two"):
        (tmp_path / build / "docs").mkdir(parents=True)
        (tmp_path / build / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
        files = build_files(tmp_path / build)
        contents.append({uri: files.get_file_from_path(uri).content_string for uri in GENERATED})
    assert contents[0] == contents[1]


def test_the_built_site_has_every_figure_as_drawn_here(built_site: Path) -> None:
    """The site's build (another process) wrote each figure, byte for byte as this process
    draws it now."""
    drawn = hooks.FIGURES
    assert sorted(drawn) == sorted(GENERATED)
    for uri, draw in drawn.items():
        assert (built_site / uri).read_text(encoding="utf-8") == draw(), uri


def test_hook_refuses_a_committed_figure_that_would_hide_the_drawn_one(tmp_path: Path) -> None:
    from mkdocs.exceptions import PluginError

    (tmp_path / "docs" / "figures").mkdir(parents=True)
    (tmp_path / "docs" / "figures" / "network.svg").write_text("<svg/>", encoding="utf-8")
    with pytest.raises(PluginError, match=r"docs/figures/network\.svg exists"):
        build_files(tmp_path)


def test_hook_puts_each_wide_figure_in_a_scroll_box_and_nothing_else() -> None:
    hook = figures
    assert set(hook.SCROLLING) == {"network", "network-numbers", "backward-flow",
                                   "backward-flow-numbers", "w11-paths"}  # fmt: skip
    html = ('<figure>\n  <img alt="Figure 1" src="../../figures/network.svg" width="640" />\n'
            '<p>See <img src="figures/hidden-lines.svg" /> and '
            '<img src="../figures/backward-flow.svg"> and <img src="x/network.svg"> and '
            '<img src="../figures/network.svg.png"></p></figure>')  # fmt: skip
    assert hook.wrap_scrolling(html) == (
        '<figure>\n  <span class="bpd-figscroll"><img alt="Figure 1" '
        'src="../../figures/network.svg" width="640" /></span>\n'
        '<p>See <img src="figures/hidden-lines.svg" /> and '
        '<span class="bpd-figscroll"><img src="../figures/backward-flow.svg"></span> and '
        '<img src="x/network.svg"> and <img src="../figures/network.svg.png"></p></figure>'
    )


def test_the_built_pages_put_figure_1_and_3_in_scroll_boxes(built_site: Path) -> None:
    """Each page's image of a wide figure is in its box (a ``span``: valid in a paragraph),
    Figure 1 on the net page and Figure 3 on section 6 among them."""
    found: dict[str, set[str]] = {}
    for page in built_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        imgs = re.findall(r'(<span class="bpd-figscroll">)?<img\b[^>]*src="[^"]*figures/'
                          r'(network|network-numbers|backward-flow|backward-flow-numbers|'
                          r'w11-paths)\.svg"', html)  # fmt: skip
        for wrapped, name in imgs:
            assert wrapped, (page, name)
            found.setdefault(name, set()).add(page.parent.relative_to(built_site).as_posix())
    assert "derivation/net" in found["network"]
    assert "derivation/generalization" in found["backward-flow"]


# --------------------------------------------------------------------------------------------
# In a browser: the real text boxes
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(session_browser: Any) -> Iterator[Any]:
    page = session_browser.new_page()
    yield page
    page.close()


MEASURE = """() => {
  const svg = document.querySelector('svg');
  const box = (e) => { const b = e.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
  return {
    view: svg.viewBox.baseVal.width + ' ' + svg.viewBox.baseVal.height,
    texts: [...svg.querySelectorAll('text')].map((e) => [e.textContent, ...box(e)]),
    heads: [...svg.querySelectorAll('polygon')].map(box),
  };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("name", FIGURES)
def test_rendered_labels_do_not_overlap_each_other_or_arrowheads(page: Any, name: str) -> None:
    page.set_content(f"<!doctype html><body style='margin:0'>{FIGURES[name]()}</body>")
    measured = page.evaluate(MEASURE)
    width, height = map(float, measured["view"].split())
    texts = [(t[0], Box(*t[1:])) for t in measured["texts"]]
    heads = [Box(*h) for h in measured["heads"]]
    assert texts
    for i, (text, box) in enumerate(texts):
        assert box.left >= 0 and box.top >= 0 and box.right <= width and box.bottom <= height
        assert not any(box.overlaps(other) for _, other in texts[i + 1 :]), text
        assert not any(box.overlaps(head) for head in heads), text


# --------------------------------------------------------------------------------------------
# The backward flow
# --------------------------------------------------------------------------------------------

BACKWARD = ["backward-flow", "backward-flow-numbers"]
HIDDEN, OUTPUTS = ["h₁", "h₂", "h₃"], ["y₁", "y₂"]


def independent_backward_pass() -> dict[str, Any]:
    """The worked example's backward pass in plain NumPy, unit by unit (not the package)."""
    import numpy as np

    from backprop_doc import example

    x, t = example.x[0], example.t[0]
    w, b1, u, b2 = example.w, example.b1, example.u, example.b2
    h = np.array([1 / (1 + math.exp(-(x[0] * w[0, j] + x[1] * w[1, j] + b1[j])))
                  for j in range(3)])  # fmt: skip
    y = np.array([1 / (1 + math.exp(-(sum(h[i] * u[i, k] for i in range(3)) + b2[k])))
                  for k in range(2)])  # fmt: skip
    d2 = np.array([(y[k] - t[k]) * y[k] * (1 - y[k]) for k in range(2)])
    carried = np.array([[d2[k] * u[j, k] for k in range(2)] for j in range(3)])
    d1 = np.array([carried[j].sum() * h[j] * (1 - h[j]) for j in range(3)])
    dw = np.array([[x[i] * d1[j] for j in range(3)] for i in range(2)])
    return {"y-t": y - t, "d2": d2, "carried": carried, "d1": d1, "dw": dw}


def agrees(shown: str, value: float) -> bool:
    """``shown`` is ``value`` to the digits shown (half a unit of its last digit)."""
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    return abs(number(shown) - value) <= 0.5 * 10.0**-decimals * (1 + 1e-9)


def label_on(svg: str, a: str, b: str) -> Label:
    nodes = node_centres(svg)
    (ax, ay, _), (bx, by, _) = nodes[a], nodes[b]
    (lab,) = [lab for lab in free_labels(svg)
              if distance_to_segment(lab.centre, (ax, ay), (bx, by)) < 0.5]  # fmt: skip
    return lab


@pytest.mark.parametrize("name", BACKWARD)
def test_backward_arrows_run_from_each_output_to_each_hidden_unit_dashed_in_colour(
    name: str,
) -> None:
    """Not by colour alone: the backward arrows are dashed, in the second accent, and point
    the other way (from y to h); the forward ones into h are faint and solid."""
    svg = FIGURES[name]()
    dashed = {(round(x1, 2), round(y1, 2)): e.get("stroke-dasharray")
              for e in ET.fromstring(svg).iter(f"{NS}line")
              for x1, y1 in [(float(e.get("x1", "")), float(e.get("y1", "")))]}  # fmt: skip
    nodes = node_centres(svg)
    for k in OUTPUTS:
        for j in HIDDEN:
            assert joins(svg, k, j) == ["b"], (k, j)  # starts at y, its head at h
            assert joins(svg, j, k) == []  # and nothing runs forward there
    for i in ("x₁", "x₂"):
        for j in HIDDEN:
            assert joins(svg, i, j) == ["faint"]
    backward = [d for (x1, _), d in dashed.items() if x1 > nodes["h₁"][0] + 22]
    assert len(backward) == 6 + 2 and all(d == "7 4" for d in backward)
    assert all(d is None for (x1, _), d in dashed.items() if x1 < nodes["h₁"][0])


def test_backward_flow_names_each_arrow_and_each_delta() -> None:
    svg = backward_flow_svg()
    for jn, j in enumerate(HIDDEN, 1):
        for kn, k in enumerate(OUTPUTS, 1):
            lab = label_on(svg, k, j)
            assert lab.text == f"δ⁽²⁾{SUB_IDX[kn]}u{SUB_IDX[jn]}{SUB_IDX[kn]}"
            assert "fill-b" in lab.classes
        for i in (1, 2):
            assert label_on(svg, f"x{SUB_IDX[i]}", j).text == f"x{SUB_IDX[i]}δ⁽¹⁾{SUB_IDX[jn]}"
    texts = [lab.text for lab in labels(svg)]
    assert f"δ⁽¹⁾ⱼ = hⱼ(1{MINUS}hⱼ) Σₖ δ⁽²⁾ₖ uⱼₖ" in texts
    assert "∂L/∂uⱼₖ = hⱼ δ⁽²⁾ₖ,  ∂L/∂wᵢⱼ = xᵢ δ⁽¹⁾ⱼ" in texts


@pytest.mark.parametrize("name", BACKWARD)
def test_every_delta_is_written_under_its_unit(name: str) -> None:
    """All five in the same place, so a reader finds each where the others are: under the
    unit, centred, just clear of its circle (SVG's y grows downwards)."""
    svg = FIGURES[name]()
    nodes = node_centres(svg)
    gaps = []
    for unit, delta in [*zip(HIDDEN, ["δ⁽¹⁾₁", "δ⁽¹⁾₂", "δ⁽¹⁾₃"], strict=True),
                        *zip(OUTPUTS, ["δ⁽²⁾₁", "δ⁽²⁾₂"], strict=True)]:  # fmt: skip
        cx, cy, r = nodes[unit]
        (lab,) = [lab for lab in free_labels(svg) if lab.text == delta]
        assert abs(lab.x - cx) < 0.01, delta
        assert r < lab.centre[1] - cy < r + 25, delta  # under, not above
        gaps.append(round(lab.centre[1] - cy, 2))
    assert len(set(gaps)) == 1, gaps  # the same distance under each
    desc = ET.fromstring(svg).findtext(f"{NS}desc", "")
    assert "above" not in desc and desc.count("written under") == 2


def test_backward_flow_numbers_are_the_independent_backward_pass() -> None:
    want = independent_backward_pass()
    svg = backward_flow_svg(numbers=True)
    for jn, j in enumerate(HIDDEN):
        for kn, k in enumerate(OUTPUTS):
            shown = label_on(svg, k, j).text
            assert agrees(shown, want["carried"][jn, kn]), (j, k, shown)
        for i in range(2):
            shown = label_on(svg, f"x{SUB_IDX[i + 1]}", j).text
            assert agrees(shown, want["dw"][i, jn]), (i, j, shown)
    # y - t on the arrow from each target: the label between the output and its target box.
    nodes = node_centres(svg)
    for kn, k in enumerate(OUTPUTS):
        cx, cy, _ = nodes[k]
        (shown,) = [lab.text for lab in free_labels(svg)
                    if abs(lab.centre[1] - cy) < 0.5 and lab.x > cx
                    and re.fullmatch(rf"{MINUS}?[\d.]+", lab.text)]  # fmt: skip
        assert agrees(shown, want["y-t"][kn]), (k, shown)
    (line,) = [lab.text for lab in labels(svg) if lab.text.startswith("δ⁽²⁾ = (")]
    found = re.findall(rf"{MINUS}?\d+\.\d+", line)
    assert len(found) == 5
    assert all(agrees(s, v) for s, v in zip(found, [*want["d2"], *want["d1"]], strict=True))


def test_the_independent_backward_pass_matches_the_pages_numbers() -> None:
    """The test's own computation against numbers the worked example page prints."""
    want = independent_backward_pass()
    assert want["d2"][0] == pytest.approx(0.11272117, abs=1e-8)
    assert want["dw"][0, 0] == pytest.approx(0.00408257, abs=1e-8)


# --------------------------------------------------------------------------------------------
# On a phone
# --------------------------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}
PHONE_MEASURE = """async () => {
  const out = [];
  for (const box of document.querySelectorAll('.md-typeset .bpd-figscroll')) {
    const img = box.querySelector('img');
    img.scrollIntoView();
    const doc = new DOMParser().parseFromString(await (await fetch(img.src)).text(),
                                                'image/svg+xml');
    const sizes = [...doc.querySelectorAll('text')].map((t) => +t.getAttribute('font-size'));
    out.push({src: img.getAttribute('src'), width: img.getBoundingClientRect().width,
              view: doc.documentElement.viewBox.baseVal.width, sizes,
              box: box.getBoundingClientRect().right, client: box.clientWidth,
              scroll: box.scrollWidth, tabindex: box.getAttribute('tabindex')});
  }
  return {figures: out, sideways: document.documentElement.scrollWidth - innerWidth};
}"""


@pytest.mark.browser
def test_on_a_phone_figures_1_and_3_keep_readable_labels_and_scroll_in_their_box(
    session_browser: Any, served_site: str, built_site: Path
) -> None:
    """At 390 px wide each wide figure is drawn at least 560 px wide, so its labels on the
    arrows (16 and 15 units) are 12 px and more and no text is under 10 px (they were 7 to
    8 px at the 358 px of the page's column); the figure scrolls sideways in its box, which
    takes the keyboard's focus (axe: scrollable-region-focusable), and the page does not
    scroll sideways. On a desktop the box does not scroll and is no tab stop."""
    from helpers import serious_violations

    pages = sorted({p.parent.relative_to(built_site).as_posix() for p in
                    built_site.rglob("index.html")
                    if '<span class="bpd-figscroll">' in p.read_text(encoding="utf-8")}
                   - {"print"})  # fmt: skip (the print edition: on paper, nothing scrolls)
    assert {"derivation/net", "derivation/generalization"} <= set(pages)
    context = session_browser.new_context(viewport=PHONE, device_scale_factor=1)
    desktop = session_browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        wide = desktop.new_page()
        for path in pages:
            page.goto(f"{served_site}{path}/")
            page.wait_for_timeout(300)  # a11y.js marks the boxes on the page's first event
            measured = page.evaluate(PHONE_MEASURE)
            assert measured["sideways"] == 0, path
            assert measured["figures"], path
            for fig in measured["figures"]:
                scale = fig["width"] / fig["view"]
                on_arrows = min(s for s in fig["sizes"] if s >= 15)
                assert on_arrows * scale >= 12, (path, fig["src"], scale)
                assert min(fig["sizes"]) * scale >= 10, (path, fig["src"], scale)
                assert fig["box"] <= PHONE["width"] and fig["client"] < fig["scroll"], path
                assert fig["tabindex"] == "0", (path, fig["src"])
            assert not serious_violations(page), path
            wide.goto(f"{served_site}{path}/")
            wide.wait_for_timeout(300)
            for fig in wide.evaluate(PHONE_MEASURE)["figures"]:
                assert fig["client"] == fig["scroll"] and fig["tabindex"] is None, path
    finally:
        context.close()
        desktop.close()
