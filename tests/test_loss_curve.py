"""The loss curve (backprop_site/plots.py, matplotlib): one point per loss, round ticks on the
curve's own scale, a log axis in powers of ten; read back from the SVG."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from backprop_site.plots import loss_curve_svg
from helpers import SVG_NS, line_points, ticks

MINUS = "\N{MINUS SIGN}"
HAND_MADE = [0.8, 0.5, 0.55, 0.3, 0.3, 0.12, 0.2, 0.05]  # falls, rises twice, one tie


def points(svg: str) -> list[tuple[float, float]]:
    return line_points(svg, "loss-line")


def number(label: str) -> float:
    return float(label.replace(MINUS, "-"))


@pytest.mark.parametrize("log_y", [False, True])
def test_loss_curve_is_an_accessible_svg_document(log_y: bool) -> None:
    root = ET.fromstring(loss_curve_svg(HAND_MADE, title="Half adder", log_y=log_y))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG_NS}title"), root.find(f"{SVG_NS}desc")
    assert title is not None and title.text == "Half adder"
    assert desc is not None and len((desc.text or "").split()) >= 10
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_drawing_twice_gives_the_same_text() -> None:
    assert loss_curve_svg(HAND_MADE, log_y=True) == loss_curve_svg(HAND_MADE, log_y=True)


@pytest.mark.parametrize("log_y", [False, True])
def test_loss_curve_has_one_point_per_loss_in_step_order(log_y: bool) -> None:
    found = points(loss_curve_svg(HAND_MADE, log_y=log_y))
    assert len(found) == len(HAND_MADE)
    xs = [x for x, _ in found]
    steps = [b - a for a, b in pairwise(xs)]
    assert min(steps) > 0 and max(steps) - min(steps) < 0.02  # evenly spaced, left to right


@pytest.mark.parametrize("log_y", [False, True])
def test_loss_curve_y_follows_the_losses_in_order(log_y: bool) -> None:
    ys = [y for _, y in points(loss_curve_svg(HAND_MADE, log_y=log_y))]
    for i, (li, yi) in enumerate(zip(HAND_MADE, ys, strict=True)):
        for lj, yj in zip(HAND_MADE[i + 1 :], ys[i + 1 :], strict=True):
            if li == lj:
                assert yi == yj
            else:  # a smaller loss is drawn lower: a larger y in SVG coordinates
                assert (li < lj) == (yi > yj)


@pytest.mark.parametrize("log_y", [False, True])
def test_loss_curve_y_is_linear_in_the_loss_or_its_log(log_y: bool) -> None:
    ys = [y for _, y in points(loss_curve_svg(HAND_MADE, log_y=log_y))]
    vs = [math.log10(v) if log_y else v for v in HAND_MADE]
    slope = (ys[-1] - ys[0]) / (vs[-1] - vs[0])
    for v, y in zip(vs, ys, strict=True):
        assert y == pytest.approx(ys[0] + slope * (v - vs[0]), abs=0.01)


def is_nice(step: float) -> bool:
    mantissa = step / 10 ** math.floor(math.log10(step))
    return any(abs(mantissa - m) < 1e-9 for m in (1, 2, 2.5, 5, 10))


@pytest.mark.parametrize(
    "losses", [HAND_MADE, [3.7, 2.1, 1.4], [0.0123, 0.0119], [1e3] * 5, [5.0], [-0.4, 0.8]]
)
def test_loss_curve_ticks_are_round_cover_the_data_and_agree_with_the_curve(
    losses: list[float],
) -> None:
    svg = loss_curve_svg(losses)
    y_ticks = [(number(text), at) for text, at in ticks(svg, "ytick")]
    assert len(y_ticks) >= 3
    values = [v for v, _ in y_ticks]
    steps = {round(b - a, 9) for a, b in pairwise(values)}
    assert len(steps) == 1 and is_nice(abs(steps.pop()))
    assert min(values) <= min(losses) and max(values) >= max(losses)
    # The tick marks are placed by the same scale as the curve.
    (v0, p0), (v1, p1) = y_ticks[0], y_ticks[-1]
    ys = [y for _, y in points(svg)]
    for v, y in zip(losses, ys, strict=True):
        assert y == pytest.approx(p0 + (v - v0) * (p1 - p0) / (v1 - v0), abs=0.02)
    x_ticks = [(number(text), at) for text, at in ticks(svg, "xtick")]
    assert x_ticks[0][0] == 0 and x_ticks[-1][0] >= len(losses) - 1
    x_steps = {round(b[0] - a[0], 9) for a, b in pairwise(x_ticks)}
    assert len(x_steps) == 1 and is_nice(x_steps.pop()) and all(v == int(v) for v, _ in x_ticks)


def test_loss_curve_axis_labels_and_title() -> None:
    svg = loss_curve_svg(HAND_MADE, title="Half adder")
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG_NS}text")]
    assert "step" in texts and "loss L" in texts and "Half adder" in texts
    assert (ET.fromstring(svg).findtext(f"{SVG_NS}title") or "") == "Half adder"


def test_loss_curve_log_scale_ticks_are_powers_of_ten() -> None:
    svg = loss_curve_svg([2.0, 0.3, 4e-3, 6e-6], log_y=True)
    texts = [text for text, _ in ticks(svg, "ytick") if text.startswith("10")]
    assert texts == ["10⁻⁶", "10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹"]


@pytest.mark.parametrize(
    ("losses", "log_y", "why"),
    [
        ([], False, "at least one value"),
        ([0.5, float("nan"), 0.2], False, "finite.*index 1"),
        ([0.5, float("inf")], False, "finite.*index 1"),
        ([0.5, 0.0], True, "positive.*index 1"),
        ([0.5, -1.0], True, "positive.*index 1"),
    ],
)
def test_loss_curve_rejects_bad_losses_naming_them(
    losses: list[float], log_y: bool, why: str
) -> None:
    with pytest.raises(ValueError, match=rf"^losses: .*{why}"):
        loss_curve_svg(losses, log_y=log_y)


def test_loss_curve_draws_a_single_loss() -> None:
    svg = loss_curve_svg([0.25])
    assert len(points(svg)) == 1
    group = ET.fromstring(svg).find(f".//{SVG_NS}g[@id='loss-line']")
    assert group is not None and len(list(group.iter(f"{SVG_NS}use"))) == 1  # a dot: a marker
    assert not re.search(r"#[0-9a-f]{6}", svg.split("<style>")[0])
