"""The matplotlib plots (site_tools/plots.py): byte-stable, in the palette, and right.

The hidden units' lines are read back from the SVG: the axes' scale from the tick marks and
their labels, each line's two ends from its path, the points from their markers, and
checked against the trained parameters, which the test gets from the package's ``train``
itself (not from the figure's code).
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from site_tools.plots import ACCENT_A, INK, hidden_lines_svg, plot_style, svg_document

from backprop_doc.example import ADDER_T, ADDER_X, SEED, STEPS, TRAIN_ETA
from backprop_doc.training import train

NS = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
MINUS = "\N{MINUS SIGN}"
ROOT = Path(__file__).resolve().parents[1]


@cache
def svg() -> str:
    return hidden_lines_svg()


@cache
def trained() -> Any:
    run = train(ADDER_X, ADDER_T, eta=TRAIN_ETA, steps=STEPS, rng=np.random.default_rng(SEED))
    return run.params


def group(gid: str) -> ET.Element:
    found = ET.fromstring(svg()).find(f".//{NS}g[@id='{gid}']")
    assert found is not None, gid
    return found


def path_points(d: str) -> list[list[tuple[float, float]]]:
    """The subpaths of a path of straight segments (M, L, z), as lists of points."""
    assert not re.search(r"[CQAHVcqahv]", d), "expected straight segments only"
    subpaths: list[list[tuple[float, float]]] = []
    for command, x, y in re.findall(r"([ML])\s*(-?[\d.]+)\s+(-?[\d.]+)", d):
        if command == "M":
            subpaths.append([])
        subpaths[-1].append((float(x), float(y)))
    return subpaths


def scale() -> tuple[Any, Any]:
    """Functions from SVG coordinates to data (x1, x2), fitted through the tick marks."""
    fits = []
    for axis, coord in (("xtick", "x"), ("ytick", "y")):
        pairs = []
        for k in range(1, 20):
            found = ET.fromstring(svg()).find(f".//{NS}g[@id='{axis}_{k}']")
            if found is None:
                break
            use = next(found.iter(f"{NS}use"))
            text = "".join(next(found.iter(f"{NS}text")).itertext())
            pairs.append((float(use.get(coord, "")), float(text.replace(MINUS, "-"))))
        assert len(pairs) >= 3, axis
        pos, val = np.array(pairs).T
        slope, offset = np.polyfit(pos, val, 1)
        assert np.allclose(slope * pos + offset, val, atol=1e-6)  # the ticks are linear
        fits.append((slope, offset))
    (sx, ox), (sy, oy) = fits
    return (lambda px: sx * px + ox), (lambda py: sy * py + oy)


def to_data(points: list[tuple[float, float]]) -> NDArray[np.float64]:
    fx, fy = scale()
    return np.array([(fx(px), fy(py)) for px, py in points])


def test_is_an_accessible_svg_document() -> None:
    root = ET.fromstring(svg())
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and (title.text or "").strip()
    assert desc is not None and len((desc.text or "").split()) >= 40
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox", ""))


def test_drawing_twice_and_in_another_process_gives_the_same_bytes() -> None:
    """The same text in this process and in a fresh one with another hash seed (matplotlib
    would name its clip paths and markers at random without svg.hashsalt)."""
    code = "from site_tools.plots import hidden_lines_svg; print(hidden_lines_svg(), end='')"
    env = {"PYTHONHASHSEED": "12345", "PYTHONPATH": f"{ROOT}{':'}{ROOT / 'src'}",
           "PATH": "/usr/bin:/bin"}  # fmt: skip
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, cwd=ROOT, check=True).stdout  # fmt: skip
    assert hidden_lines_svg() == svg() == other


def test_no_date_no_creator_no_outside_reference() -> None:
    text = svg()
    assert "<metadata" not in text and "dc:date" not in text and "Matplotlib v" not in text
    assert "<!DOCTYPE" not in text and "<?xml" not in text
    assert all(ref.startswith("#") for ref in re.findall(r'href="([^"]*)"', text))
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", text))


def test_colours_are_the_palette_only() -> None:
    """Outside the stylesheet (which sets the palette), every colour is currentColor or one
    of the palette's variables: the plot follows the page, light or dark."""
    body = re.sub(r"<style>.*?</style>", "", svg(), flags=re.S)
    assert not re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|rgb\(", body)
    colours = set(re.findall(r"(?:fill|stroke|color): ([^;\"]+)", body))
    assert colours <= {"currentColor", "var(--bpd-a)", "var(--bpd-b)", "var(--bpd-bg)", "none"}
    assert {"currentColor", "var(--bpd-a)", "var(--bpd-b)"} <= colours
    assert "svg:root.bpd-fig" in svg() and 'class="bpd-fig"' in svg()


def test_a_colour_outside_the_palette_is_refused() -> None:
    from matplotlib.figure import Figure

    with plot_style():
        fig = Figure()
        fig.add_subplot().plot([0, 1], [0, 1], color="#ff0000")
    with pytest.raises(ValueError, match=r"colours outside the palette.*#ff0000"):
        svg_document(fig, slug="t", title="t", desc="t")
    with plot_style():
        fig = Figure()
        fig.add_subplot().plot([0, 1], [0, 1], color=INK, markerfacecolor=ACCENT_A)
    assert "currentColor" in svg_document(fig, slug="t", title="t", desc="t")


@pytest.mark.parametrize("j", [0, 1, 2])
def test_each_hidden_line_lies_where_the_trained_w_and_b1_put_it(j: int) -> None:
    """Both ends of the drawn line satisfy x w_j + b1_j = 0 (distance from the line, in
    input units, under 0.001: the SVG's coordinates have six digits) and lie on the border
    of the drawn square."""
    w, b1 = trained().w, trained().b1
    line = next(group(f"hidden-line-{j + 1}").iter(f"{NS}path"))
    ((start, end),) = path_points(line.get("d", ""))
    ends = to_data([start, end])
    distance = (ends @ w[:, j] + b1[j]) / np.hypot(*w[:, j])
    assert np.abs(distance).max() < 1e-3, distance
    on_border = np.isclose(np.abs(ends - 0.5), 1.0, atol=1e-3).any(axis=1)
    assert on_border.all(), ends
    assert np.linalg.norm(ends[0] - ends[1]) > 0.5


def drawn_lines() -> list[tuple[NDArray[np.float64], NDArray[np.float64], float, str]]:
    """The hidden units' lines in the order they are painted (a later one on top): the two
    ends in SVG coordinates, the stroke's width, the line's id."""
    out = []
    for g in ET.fromstring(svg()).iter(f"{NS}g"):
        if re.fullmatch(r"hidden-line-\d", g.get("id", "")):
            path = next(g.iter(f"{NS}path"))
            ((start, end),) = path_points(path.get("d", ""))
            width = re.search(r"stroke-width: ([\d.]+)", path.get("style", ""))
            assert width is not None
            out.append((np.array(start), np.array(end), float(width.group(1)), g.get("id", "")))
    return out


def distance_to_segment(p: NDArray[np.float64], a: NDArray[np.float64],
                        b: NDArray[np.float64]) -> float:
    f = float(np.clip(np.dot(p - a, b - a) / np.dot(b - a, b - a), 0.0, 1.0))
    return float(np.linalg.norm(p - (a + f * (b - a))))


def test_no_hidden_line_is_hidden_under_another() -> None:
    """In the page's run h1 and h3 are nearly the same line (under 2 px apart everywhere in
    the figure, less than a line's width): each line must still show along its whole
    length, at least 1.5 px of its stroke beyond every stroke painted over it."""
    painted = drawn_lines()
    assert len(painted) == 3
    farthest = {}  # the largest gap between two lines along the lower one
    for n, (a, b, width, name) in enumerate(painted):
        for c, d, over_width, over in painted[n + 1 :]:
            gaps = [distance_to_segment(a + f * (b - a), c, d) for f in np.linspace(0, 1, 201)]
            farthest[name, over] = max(gaps)
            shows = [g + width / 2 - over_width / 2 for g in gaps]
            assert min(shows) >= 1.5, (name, "under", over, min(shows))
    # The case this guards: two lines within 2 px of each other along all their length.
    assert min(farthest.values()) < 2, farthest
    (pair,) = [k for k, v in farthest.items() if v < 2]
    assert pair == ("hidden-line-3", "hidden-line-1")


def test_the_description_says_which_lines_nearly_coincide() -> None:
    desc = ET.fromstring(svg()).findtext(f"{NS}desc", "")
    assert "The lines of h1 and h3 nearly coincide (at most 0.01 apart in the square)" in desc
    assert "h3's dotted line is drawn wide and light, under h1's solid line." in desc
    assert desc.count("nearly coincide") == 1


@pytest.mark.parametrize("j", [0, 1, 2])
def test_each_line_is_labelled_on_the_side_where_its_unit_is_above_one_half(j: int) -> None:
    w, b1 = trained().w, trained().b1
    text = next(group(f"hidden-label-{j + 1}").iter(f"{NS}text"))
    assert "".join(text.itertext()) == f"h{'₁₂₃'[j]} > ½"
    ((x1, x2),) = to_data([(float(text.get("x", "")), float(text.get("y", "")))])
    a1 = x1 * w[0, j] + x2 * w[1, j] + b1[j]
    h = 1 / (1 + np.exp(-a1))
    assert h > 0.5, (j, x1, x2, h)


def test_the_four_inputs_are_drawn_by_their_sum_bit_in_colour_and_shape() -> None:
    markers = {}
    for bit in (0, 1):
        uses = list(group(f"points-sum-{bit}").iter(f"{NS}use"))
        points = to_data([(float(u.get("x", "")), float(u.get("y", ""))) for u in uses])
        expected = ADDER_X[ADDER_T[:, 0] == bit]
        assert np.allclose(sorted(map(tuple, points)), sorted(map(tuple, expected)), atol=1e-3)
        styles = {u.get("style", "") for u in uses}
        markers[bit] = ({u.get(XLINK) for u in uses}, styles)
    assert markers[0][0].isdisjoint(markers[1][0])  # different shapes
    assert all("var(--bpd-b)" in s for s in markers[0][1])  # and different colours
    assert all("var(--bpd-a)" in s for s in markers[1][1])


def inside(point: tuple[float, float], subpaths: list[list[tuple[float, float]]]) -> bool:
    """Even-odd rule, as a filled path with holes is drawn."""
    x, y = point
    crossings = 0
    for ring in subpaths:
        for (xa, ya), (xb, yb) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (ya > y) != (yb > y) and x < xa + (y - ya) * (xb - xa) / (yb - ya):
                crossings += 1
    return crossings % 2 == 1


def test_the_shading_is_where_the_trained_sum_output_is_above_one_half() -> None:
    """Points of the plane, inside the shaded region exactly where y1 > 1/2 (the forward
    pass written here in NumPy), away from the boundary by more than the grid's step."""
    w, b1, u, b2 = trained()
    d = next(group("y1-above-half").iter(f"{NS}path")).get("d", "")
    fx, fy = scale()
    subpaths = [[(fx(px), fy(py)) for px, py in ring] for ring in path_points(d)]
    rng = np.random.default_rng(3)
    samples = np.vstack([ADDER_X, rng.uniform(-0.45, 1.45, size=(300, 2))])
    h = 1 / (1 + np.exp(-(samples @ w + b1)))
    y1 = (1 / (1 + np.exp(-(h @ u + b2))))[:, 0]
    checked = 0
    for point, value in zip(samples, y1, strict=True):
        if abs(value - 0.5) < 0.05:  # too near the boundary for a 0.01-unit grid
            continue
        assert inside(tuple(point), subpaths) == (value > 0.5), (point, value)
        checked += 1
    assert checked > 250
    assert [inside(tuple(p), subpaths) for p in ADDER_X] == [False, True, True, False]
