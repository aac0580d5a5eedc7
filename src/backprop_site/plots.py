r"""The site's plots of data, drawn with matplotlib's SVG backend when the site is built.

What every plot shares: `plot_style` (the rcParams: text as ``<text>``, ``svg.fonttype:
none``, so it stays text for a screen reader, for search and copying, and takes the page's
ink; a fixed ``svg.hashsalt``, so ids are the same on every build), the sentinel colours
`INK`, `ACCENT_A`, `ACCENT_B`, `BACKGROUND` that `svg_document` turns into the palette of
`backprop_site.figures` (so a plot follows the light or dark palette), and `svg_document`
(byte-stable SVG, no date in the metadata, with its alt text). matplotlib lays text out with
DejaVu Sans' metrics; the browser may draw it in another sans-serif, so plots leave room
around their labels.

The plots: `hidden_lines_svg` (the hidden units' lines) and `loss_curve_svg` (the loss
curve, `training_curve` its data) of the training page; `cost_svg` (the benchmark figure);
`live_snapshot_svg` (the live view, without JavaScript and on paper).
"""

from __future__ import annotations

import functools
import io
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
import matplotlib.patches
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, MaxNLocator, NullFormatter
from numpy.typing import NDArray

from backprop_site.figures import _SANS, svg_head
from backprop_site.steps import SUB

__all__ = [
    "ACCENT_A",
    "ACCENT_B",
    "BACKGROUND",
    "INK",
    "cost_svg",
    "hidden_lines_svg",
    "live_snapshot_svg",
    "loss_curve_svg",
    "plot_style",
    "svg_document",
    "training_curve",
]

#: Draw with these; `svg_document` turns them into the palette. Colours no plot would use.
INK = "#010203"
ACCENT_A = "#010204"
ACCENT_B = "#010205"
BACKGROUND = "#010206"
_PALETTE = {
    INK: "currentColor",
    ACCENT_A: "var(--bpd-a)",
    ACCENT_B: "var(--bpd-b)",
    BACKGROUND: "var(--bpd-bg)",
}

#: What every plot of the site shares.
_RC: dict[Any, Any] = {  # (keys: matplotlib.typing.RcKeyType)
    "svg.fonttype": "none",  # text as <text>: see the module's docstring
    "svg.hashsalt": "backprop-doc",  # the same ids on every build
    "font.family": ["DejaVu Sans"],
    "font.size": 13.0,
    "axes.labelsize": 15.0,
    "xtick.labelsize": 13.0,
    "ytick.labelsize": 13.0,
    "legend.fontsize": 13.0,
    "text.color": INK,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.facecolor": "none",
    "figure.facecolor": "none",
    "savefig.facecolor": "none",
    "legend.frameon": False,
    "lines.solid_capstyle": "butt",
    "path.simplify": False,  # every point as computed
}


@contextmanager
def plot_style() -> Iterator[None]:
    """The rcParams of the site's plots, for drawing and saving one (a ``with`` block)."""
    with matplotlib.rc_context(_RC):
        yield


def svg_document(fig: Figure, *, slug: str, title: str, desc: str, round_paths: bool = False
                 ) -> str:
    """``fig`` (drawn in `plot_style` with the sentinel colours) as the site's SVG:
    byte-stable, in the palette, no XML declaration, its ``<title>`` and ``<desc>`` ids named
    by ``slug``; ``round_paths`` writes the paths' coordinates with two decimals.

    Raises
    ------
    ValueError
        If the figure drew in a colour that is not a sentinel (it would not follow the page's
        palette).
    """
    buf = io.StringIO()
    with plot_style():
        no_metadata = {"Date": None, "Creator": None, "Format": None, "Type": None}
        fig.savefig(buf, format="svg", metadata=no_metadata)
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # no XML declaration, no doctype (an outside address)
    for sentinel, colour in _PALETTE.items():
        text = text.replace(sentinel, colour)
    if round_paths:
        text = re.sub(r' d="[^"]*"', lambda m: re.sub(
            r"-?\d+\.\d+", lambda n: f"{float(n[0]):.2f}".rstrip("0").rstrip("."), m[0]), text)
    stray = sorted(set(re.findall(r"#[0-9a-fA-F]{6}\b", text)))
    if stray:
        raise ValueError(f"svg_document: colours outside the palette in the figure: {stray}")
    # matplotlib's own stylesheet styles every element (*): keep it inside the figure.
    text = text.replace("<style type=\"text/css\">*{", "<style type=\"text/css\">.bpd-fig *{")
    sans = _SANS.replace('"', "'")  # inside a style="..." attribute
    text = text.replace("font-family: 'DejaVu Sans'", f"font-family: 'DejaVu Sans', {sans}")
    head = re.match(r'<svg [^>]*viewBox="0 0 ([\d.]+) ([\d.]+)"[^>]*>', text)
    assert head is not None
    xlink = ' xmlns:xlink="http://www.w3.org/1999/xlink"'
    return svg_head(head[1], head[2], slug, title, desc, xlink) + text[head.end():]


# ---------------------------------------------------------------------------------------------
# The hidden units' lines after training.

_LO, _HI = -0.5, 1.5  # the part of the input plane drawn, in x₁ and in x₂
# How each hidden unit's line is drawn, told apart without colour: h₁ solid, h₂ dashed, h₃
# dotted. Two units may find nearly the same line (in the training page's run h₁ and h₃ are
# never more than 0.01 apart in the square, less than the width of a line), so the lines
# are stacked, each on top narrower than those under it: h₃'s dots are wide (round, 6.5 px
# across) and lighter, and h₂'s dashes and h₁'s solid line, drawn over them, leave them
# showing on both sides. Each line is drawn where it is computed; none is moved apart.
_LINES = (  # (linestyle, linewidth, alpha, zorder, dash cap, name in the description)
    ("solid", 2.0, 1.0, 2.3, "butt", "solid"),
    ((0, (6, 3)), 2.0, 1.0, 2.2, "butt", "dashed"),
    ((0, (0.01, 1.8)), 6.5, 0.55, 2.1, "round", "dotted"),
)
#: Closer than this (in the inputs' units) everywhere in the square, two lines nearly
#: coincide, and the description says so.
_NEAR = 0.05


@functools.cache
def _run() -> Any:
    """The training page's run (a ``TrainResult``), on the half adder; once a process."""
    from backprop_doc.example import ADDER_T, ADDER_X, SEED, STEPS, TRAIN_ETA
    from backprop_doc.training import train

    return train(ADDER_X, ADDER_T, eta=TRAIN_ETA, steps=STEPS, rng=np.random.default_rng(SEED))


def _clip_line(wj: NDArray[np.float64], bj: float) -> tuple[tuple[float, float], ...]:
    """The two ends of the line x wj + bj = 0 inside the drawn square (empty if it misses)."""
    ends: list[tuple[float, float]] = []
    for edge in (_LO, _HI):
        if wj[1] != 0:  # where it meets x₁ = edge
            x2 = -(bj + wj[0] * edge) / wj[1]
            if _LO <= x2 <= _HI:
                ends.append((edge, float(x2)))
        if wj[0] != 0:  # where it meets x₂ = edge
            x1 = -(bj + wj[1] * edge) / wj[0]
            if _LO <= x1 <= _HI:
                ends.append((float(x1), edge))
    unique = sorted(set(ends))
    return (unique[0], unique[-1]) if len(unique) >= 2 else ()


def _label_place(
    a: tuple[float, float],
    b: tuple[float, float],
    normal: NDArray[np.float64],
    points: NDArray[np.float64],
    placed: list[tuple[float, float]],
) -> tuple[float, float, float, float]:
    """Where on the piece ``a``-``b`` a line's side arrow starts, and its label's centre
    (0.3 along ``normal``): inside the square with room for the label, farthest from
    ``points`` and from the centres ``placed`` before."""
    best: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    best_score = -1.0
    for f in np.linspace(0.15, 0.85, 15):
        mx, my = a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])
        cx, cy = mx + 0.3 * normal[0], my + 0.3 * normal[1]
        if not (_LO + 0.35 <= cx <= _HI - 0.35 and _LO + 0.12 <= cy <= _HI - 0.12):
            continue
        others = [*map(tuple, points), *placed]
        score = min(float(np.hypot(cx - px, cy - py)) for px, py in others)
        if score > best_score + 1e-9:
            best, best_score = (float(mx), float(my), float(cx), float(cy)), score
    return best


def hidden_lines_svg() -> str:
    r"""The input plane of the half adder after the training page's run: the four inputs by
    their sum bit, each hidden unit's line $h_j = \frac12$ with an arrow to the side where it
    is above, and shaded where the trained net's $y_1 > \frac12$.

    Examples
    --------
    >>> from backprop_site.plots import hidden_lines_svg
    >>> svg = hidden_lines_svg()
    >>> svg.startswith('<svg') and 'role="img"' in svg
    True
    >>> [f'id="hidden-line-{j}"' in svg for j in (1, 2, 3)]
    [True, True, True]
    """
    from backprop_doc import forward
    from backprop_doc.example import ADDER_T, ADDER_X

    w, b1, u, b2 = _run().params  # after training
    with plot_style():
        fig = Figure(figsize=(6.2, 6.5), dpi=72)
        ax = fig.add_axes((0.13, 0.24, 0.82, 0.71))
        # Where the trained net says "sum bit 1": y₁ > ½, on a grid.
        grid = np.linspace(_LO, _HI, 201)
        g1, g2 = np.meshgrid(grid, grid)
        y1 = forward(np.column_stack([g1.ravel(), g2.ravel()]), w, b1, u, b2).y[:, 0]
        region = ax.contourf(g1, g2, y1.reshape(g1.shape), levels=[0.5, 1.0],
                             colors=[INK], alpha=0.1)  # fmt: skip
        region.set_gid("y1-above-half")
        # The lines, each labelled on the side where its unit is above one half.
        placed: list[tuple[float, float]] = []
        for j in range(w.shape[1]):
            wj, bj = w[:, j], float(b1[j])
            ends = _clip_line(wj, bj)
            if not ends:
                continue
            (p1, q1), (p2, q2) = ends
            name = f"h{j + 1}".translate(SUB)
            style, width, alpha, z, cap, _ = _LINES[j]
            ax.plot([p1, p2], [q1, q2], color=INK, linewidth=width, linestyle=style,
                    alpha=alpha, zorder=z, dash_capstyle=cap, gid=f"hidden-line-{j + 1}",
                    label=f"{name} = ½")  # fmt: skip
            # The label: on the side where hⱼ > ½, at the place along the drawn piece
            # farthest from the four points and from the labels placed before (two units
            # may draw nearly the same line).
            normal = wj / np.hypot(*wj)  # points to where a⁽¹⁾ⱼ > 0: hⱼ > ½
            mx, my, cx, cy = _label_place((p1, q1), (p2, q2), normal, ADDER_X, placed)
            placed.append((cx, cy))
            tip = (mx + 0.16 * normal[0], my + 0.16 * normal[1])
            ax.annotate("", xy=tip, xytext=(mx, my),
                        arrowprops={"arrowstyle": "-|>", "color": INK, "lw": 1.4,
                                    "shrinkA": 0, "shrinkB": 0})  # fmt: skip
            ax.text(cx, cy, f"{name} > ½", ha="center", va="center", fontsize=15, color=INK,
                    gid=f"hidden-label-{j + 1}")  # fmt: skip
        # The four inputs, by their sum bit: colour and shape.
        s = ADDER_T[:, 0]
        for bit, colour, marker, name in ((1.0, ACCENT_A, "^", "sum bit 1 (x₁ XOR x₂)"),
                                          (0.0, ACCENT_B, "o", "sum bit 0")):
            rows = ADDER_X[s == bit]
            ax.plot(rows[:, 0], rows[:, 1], linestyle="none", marker=marker, markersize=13,
                    color=colour, markeredgecolor=INK, markeredgewidth=1.0, label=name,
                    gid=f"points-sum-{int(bit)}")  # fmt: skip
        ax.set_xlim(_LO, _HI)
        ax.set_ylim(_LO, _HI)
        ax.set_aspect("equal")
        ticks = [-0.5, 0.0, 0.5, 1.0, 1.5]
        ax.set_xticks(ticks, [_tick_text(v) for v in ticks])
        ax.set_yticks(ticks, [_tick_text(v) for v in ticks])
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂", rotation=0, labelpad=12)
        ax.grid(True, color=INK, alpha=0.12, linewidth=0.8)
        shade = matplotlib.patches.Patch(facecolor=INK, alpha=0.1, label="trained net: y₁ > ½")
        handles, names = ax.get_legend_handles_labels()
        lines = [hd for hd, name in zip(handles, names, strict=True) if name.startswith("h")]
        points = [hd for hd, name in zip(handles, names, strict=True) if name.startswith("sum")]
        fig.legend(handles=[*points, shade, *lines], loc="lower center", ncol=2,
                   bbox_to_anchor=(0.54, 0.0), handletextpad=0.4, columnspacing=1.2,
                   handlelength=2.6)  # fmt: skip
    y1_at_inputs = forward(ADDER_X, w, b1, u, b2).y[:, 0]
    held = [f"({a:g}, {b:g})" for (a, b), v in zip(ADDER_X, y1_at_inputs, strict=True) if v > 0.5]
    sides = []
    for j in range(w.shape[1]):
        eq = (f"{w[0, j]:.2f} x1 {'+-'[int(w[1, j] < 0)]} {abs(w[1, j]):.2f} x2 "
              f"{'+-'[int(b1[j] < 0)]} {abs(b1[j]):.2f} = 0")
        side = [f"({x1:g}, {x2:g})" for x1, x2 in ADDER_X
                if x1 * w[0, j] + x2 * w[1, j] + b1[j] > 0]  # fmt: skip
        style = _LINES[j][5]
        sides.append(f"h{j + 1}, the {style} line {eq}, above one half at "
                     + (", ".join(side) or "none of the four inputs"))
    near = []
    for j, k in ((0, 1), (0, 2), (1, 2)):
        ends = _clip_line(w[:, k], float(b1[k]))
        if not ends or not _clip_line(w[:, j], float(b1[j])):
            continue
        # The distance to a line changes linearly along a segment: largest at an end.
        apart = max(abs(float(np.dot(e, w[:, j])) + b1[j]) / np.hypot(*w[:, j]) for e in ends)
        if apart < _NEAR:
            top, under = sorted((j, k), key=lambda i: -_LINES[i][3])
            how = ("drawn wide and light, " if _LINES[under][1] > _LINES[top][1] else "") + "under"
            near.append(
                f" The lines of h{j + 1} and h{k + 1} nearly coincide (at most {apart:.2f} apart "
                f"in the square): h{under + 1}'s {_LINES[under][5]} line is {how} "
                f"h{top + 1}'s {_LINES[top][5]} line."
            )
    desc = (
        "The input plane, x1 and x2 from -0.5 to 1.5, with the four inputs of the half adder: "
        "(0, 1) and (1, 0), whose sum bit is 1, as triangles in the first colour; (0, 0) and "
        "(1, 1), whose sum bit is 0, as circles in the second colour. No single straight line "
        "separates the triangles from the circles. After training, each hidden unit j draws "
        "one line, where x1 w1j + x2 w2j + b1j = 0 (there hj = 1/2), with an arrow to the side "
        "where hj is above one half: " + "; ".join(sides) + "." + "".join(near)
        + " The shaded region is where the "
        "trained net's sum output y1 is above one half: the output combines the hidden units' "
        "lines into one region, which holds " + (", ".join(held) or "none of the four inputs")
        + "."
    )
    return svg_document(fig, slug="hidden-lines",
                        title="What the hidden units draw: three lines in the input plane",
                        desc=desc)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The loss curve.

_SUP = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
#: Round steps between ticks: 1, 2, 2.5 or 5 times a power of ten.
_NICE = [1, 2, 2.5, 5, 10]


def _tick_text(v: float) -> str:
    """A tick's value, with a true minus sign for a negative one (``0.25``, ``0``)."""
    s = f"{v:.10g}"
    return "0" if float(s) == 0 else s.replace("-", "\N{MINUS SIGN}")


def _log_tick_text(v: float, powers: bool) -> str:
    """``0.01`` as a decimal, or as ``10⁻²`` when ``powers`` (an axis reaching far)."""
    if not powers:
        return f"{v:.6f}".rstrip("0").rstrip(".")
    e = math.floor(math.log10(v) + 1e-9)
    m = v / 10.0**e
    power = "10" + str(e).translate(_SUP)
    return power if abs(m - 1) < 1e-9 else f"{m:g}\N{MULTIPLICATION SIGN}{power}"


def _check_losses(losses: Sequence[float], log_y: bool) -> list[float]:
    values: list[float] = []
    for k, v in enumerate(losses):
        try:
            f = float(v)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"losses: expected real numbers, got {v!r} at index {k}") from exc
        if not math.isfinite(f):
            raise ValueError(f"losses: expected finite numbers, found {f} at index {k}")
        if log_y and f <= 0:
            raise ValueError(
                f"losses: a log-scale axis (log_y=True) needs positive numbers, "
                f"found {f} at index {k}"
            )
        values.append(f)
    if not values:
        raise ValueError("losses: expected at least one value, got an empty sequence")
    return values


def loss_curve_svg(
    losses: Sequence[float], *, title: str = "Training loss", log_y: bool = False
) -> str:
    r"""A line chart of ``losses[k]``, the loss after $k$ steps, against $k$, with round
    ticks (1, 2, 2.5 or 5 times a power of ten; powers of ten on a log scale, ``log_y``);
    its line is ``id="loss-line"``, the ``title`` drawn above it.

    Raises
    ------
    ValueError
        If ``losses`` is empty or holds NaN, infinity, or (with ``log_y``) a value <= 0.

    Examples
    --------
    >>> svg = loss_curve_svg([0.5, 0.3, 0.2, 0.15])
    >>> svg.startswith('<svg') and 'id="loss-line"' in svg
    True
    >>> loss_curve_svg([])
    Traceback (most recent call last):
    ...
    ValueError: losses: expected at least one value, got an empty sequence
    """
    values = _check_losses(losses, log_y)
    n = len(values)
    with plot_style():
        fig = Figure(figsize=(640 / 72, 400 / 72), dpi=72)
        ax = fig.add_axes((72 / 640, 60 / 400, 540 / 640, 280 / 400))
        ax.plot(range(n), values, color=ACCENT_A, linewidth=2.2, solid_joinstyle="round",
                solid_capstyle="round", marker="o" if n == 1 else "", markersize=6,
                gid="loss-line")  # fmt: skip
        x_ticks = MaxNLocator(nbins=6, steps=_NICE, integer=True).tick_values(0, max(n - 1, 1))
        ax.set_xticks(x_ticks, [_tick_text(v) for v in x_ticks])
        ax.set_xlim(0, x_ticks[-1])
        if log_y:
            ax.set_yscale("log")
            e_lo = math.floor(math.log10(min(values)) + 1e-9)
            e_hi = max(math.ceil(math.log10(max(values)) - 1e-9), e_lo + 1)
            mults = (1.0, 2.0, 5.0) if e_hi - e_lo <= 2 else (1.0,)
            powers = e_lo < -3 or e_hi > 3
            ticks = [m * 10.0**e for e in range(e_lo, e_hi + 1) for m in mults
                     if e < e_hi or m == 1.0]  # fmt: skip
            ax.set_yticks(ticks, [_log_tick_text(v, powers) for v in ticks])
            minor = [m * 10.0**e for e in range(e_lo, e_hi) for m in range(2, 10)
                     if float(m) not in mults] if e_hi - e_lo <= 6 else []  # fmt: skip
            ax.yaxis.set_minor_locator(FixedLocator(minor))
            ax.yaxis.set_minor_formatter(NullFormatter())
            ax.set_ylim(10.0**e_lo, 10.0**e_hi)
        else:
            lo, hi = min(0.0, *values), max(values)
            if hi <= lo:
                pad = abs(lo) * 0.1 if lo != 0 else 1.0
                lo, hi = lo - pad, hi + pad
            ticks = list(MaxNLocator(nbins=5, steps=_NICE).tick_values(lo, hi))
            ax.set_yticks(ticks, [_tick_text(v) for v in ticks])
            ax.set_ylim(ticks[0], ticks[-1])
        ax.set_xlabel("step", fontsize=14)
        ax.set_ylabel("loss L" + (", log scale" if log_y else ""), fontsize=14)
        ax.set_title(title, fontsize=17, fontweight="bold")
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color=INK, alpha=0.14, linewidth=1.0)
    low = min(range(n), key=values.__getitem__)
    desc = (
        f"Line chart of the loss L against the training step, {n} point"
        f"{'s' if n != 1 else ''}{' on a log scale' if log_y else ''}: "
        f"L = {values[0]:.4g} at step 0, {values[-1]:.4g} at step {n - 1}; "
        f"lowest {values[low]:.4g} at step {low}."
    )
    return svg_document(fig, slug="loss-curve", title=title, desc=desc, round_paths=True)


def training_curve() -> Sequence[float]:
    r"""The losses of the training page's run (the half adder of `example`, trained by
    `train`): the loss at steps 0, 1, ..., ``STEPS``.

    Examples
    --------
    >>> from backprop_site.plots import training_curve
    >>> losses = training_curve()
    >>> len(losses)
    3001
    >>> print(f"{losses[0]:.6f} ... {losses[-1]:.6f}")
    1.150757 ... 0.000465
    """
    return [float(v) for v in _run().losses]


# ---------------------------------------------------------------------------------------------
# The cost of one gradient (the performance page), from the recorded benchmark run.

_TIME_LABELS = {-7: "100 ns", -6: "1 µs", -5: "10 µs", -4: "100 µs", -3: "1 ms", -2: "10 ms",
                -1: "100 ms", 0: "1 s", 1: "10 s", 2: "100 s", 3: "1000 s"}
_COUNT_LABELS = {0: "1", 1: "10", 2: "100", 3: "1k", 4: "10k", 5: "100k", 6: "1M", 7: "10M"}
#: Each method's colour, marker and name; told apart by marker as well as by colour.
_METHODS = {"backprop": (ACCENT_A, "o", "backprop (matrix form)"),
            "loops": (INK, "s", "per-weight loops, sections 4 and 5"),
            "central": (ACCENT_B, "D", "central differences")}


def cost_series(results: dict[str, Any]) -> dict[str, list[tuple[int, float, bool]]]:
    """(parameters, seconds per gradient, measured?) per method, from section 2's rows."""
    series: dict[str, list[tuple[int, float, bool]]] = {"backprop": [], "loops": [],
                                                       "central": []}
    for r in results["three_ways"]["rows"]:
        p = int(r["params"])
        series["backprop"].append((p, float(r["backprop_s"]["min"]), True))
        if "loops_s" in r:
            series["loops"].append((p, float(r["loops_s"]["min"]), True))
        if "central_s" in r:
            series["central"].append((p, float(r["central_s"]["min"]), True))
        else:
            series["central"].append((p, float(r["central_estimate_s"]), False))
    return {k: sorted(v) for k, v in series.items()}


def cost_svg(results: dict[str, Any]) -> str:
    """The cost figure: the time of one gradient (one sample) against the number of
    parameters, log-log, for backprop, the per-weight loops and central differences
    (measured, and estimated as 2P forward passes, hollow and dashed, where running them
    would take too long); from a run's results (``benchmarks/results.json``).

    Raises
    ------
    ValueError
        If the results' section ``three_ways`` has no rows.
    """
    series = cost_series(results)
    points = [pt for s in series.values() for pt in s]
    if not points:
        raise ValueError("results: section three_ways has no rows to plot")

    def decades(values: list[float]) -> range:
        lo = math.floor(math.log10(min(values)))
        return range(lo, max(math.ceil(math.log10(max(values))), lo + 1) + 1)

    xs, ys = decades([p for p, _, _ in points]), decades([t for _, t, _ in points])
    with plot_style():
        fig = Figure(figsize=(680 / 72, 430 / 72), dpi=72)
        ax = fig.add_axes((78 / 680, 58 / 430, 580 / 680, 352 / 430))
        ax.set_xscale("log")
        ax.set_yscale("log")
        for name, pts in series.items():
            colour, marker, label = _METHODS[name]
            measured = [(p, t) for p, t, ok in pts if ok]
            estimated = [(p, t) for p, t, ok in pts if not ok]
            style: dict[str, Any] = {"color": colour, "marker": marker, "markersize": 7,
                                     "linewidth": 2}
            if measured:
                ax.plot(*zip(*measured, strict=True), label=label, gid=f"cost-{name}",
                        **style)
            if estimated:
                chain = measured[-1:] + estimated
                ax.plot(*zip(*chain, strict=True), linestyle=(0, (5, 4)),
                        markerfacecolor=BACKGROUND, markevery=list(range(len(chain) - len(
                            estimated), len(chain))), gid=f"cost-{name}-estimated",
                        label=f"{label}, estimated as 2P forward passes", **style)
        ax.set_xticks([10.0**e for e in xs], [_COUNT_LABELS.get(e, f"1e{e}") for e in xs])
        ax.set_yticks([10.0**e for e in ys], [_TIME_LABELS.get(e, f"1e{e} s") for e in ys])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlim(10.0**xs[0], 10.0**xs[-1])
        ax.set_ylim(10.0**ys[0], 10.0**ys[-1])
        ax.grid(True, color=INK, alpha=0.13, linewidth=1.0)
        ax.set_xlabel("parameters P (weights and biases)", fontsize=13)
        ax.set_ylabel("time of one gradient (one sample)", fontsize=13)
        ax.legend(loc="upper left")
    return svg_document(fig, slug="bench", title="Time of one gradient against the number "
                        "of parameters", desc=_description(series), round_paths=True)


def _description(series: dict[str, list[tuple[int, float, bool]]]) -> str:
    parts = []
    for name, label in (("backprop", "Backprop"), ("loops", "Per-weight loops"),
                        ("central", "Central differences")):
        pts = series[name]
        if pts:
            parts.append(f"{label}: " + "; ".join(
                f"P = {p:,}: {_seconds(t)}{'' if ok else ' (estimated)'}" for p, t, ok in pts))
    return "Log-log plot. " + ". ".join(parts) + "."


def _seconds(t: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if t >= scale or unit == "µs":
            return f"{t / scale:.3g} {unit}"
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------------------
# The training page's live view, without JavaScript and on paper: snapshots of its run.

#: The iterations of the page's run drawn as snapshots (the page's STEPS is the last).
LIVE_SNAPSHOTS = (0, 100, 200, 3000)
_LIVE_NODES = {"x": ((0.0, 0.68), (0.0, 0.32)), "h": ((0.8, 0.88), (0.8, 0.5), (0.8, 0.12)),
               "y": ((1.6, 0.68), (1.6, 0.32))}  # fmt: skip
_LIVE_R = 0.085  # a node's radius


def _weight_width(v: float) -> float:
    """A weight's line width, in points: its size, capped so a large weight stays a line."""
    return 0.5 + 1.1 * min(abs(v), 4.0)


def _weight_edge(ax: Any, a: tuple[float, float], b: tuple[float, float], v: float) -> None:
    positive = v >= 0
    ax.plot([a[0], b[0]], [a[1], b[1]], color=ACCENT_A if positive else ACCENT_B,
            linewidth=_weight_width(v), linestyle="solid" if positive else (0, (3, 2)),
            solid_capstyle="butt", zorder=1)  # fmt: skip


def _live_net(ax: Any, params: Any) -> None:
    """Figure 1, small: each weight a line by its size and sign, each bias a stub."""
    w, b1, u, b2 = params
    for i, xi in enumerate(_LIVE_NODES["x"]):
        for j, hj in enumerate(_LIVE_NODES["h"]):
            _weight_edge(ax, xi, hj, w[i, j])
    for j, hj in enumerate(_LIVE_NODES["h"]):
        for k, yk in enumerate(_LIVE_NODES["y"]):
            _weight_edge(ax, hj, yk, u[j, k])
    for layer, bias in (("h", b1), ("y", b2)):
        for c, v in zip(_LIVE_NODES[layer], bias, strict=True):
            _weight_edge(ax, (c[0] - 0.12, c[1] + 0.14),
                         (c[0] - 0.5 * _LIVE_R, c[1] + 0.6 * _LIVE_R), v)
    for name, centres in _LIVE_NODES.items():  # the units, over the lines
        for k, (cx, cy) in enumerate(centres, 1):
            ax.add_patch(matplotlib.patches.Circle(
                (cx, cy), _LIVE_R, facecolor=BACKGROUND, edgecolor=INK, linewidth=1.3,
                zorder=2))
            ax.text(cx, cy, f"{name}{k}".translate(SUB), ha="center", va="center",
                    fontsize=13, color=INK, zorder=3, style="italic")  # fmt: skip
    ax.set_xlim(-0.12, 1.72)
    ax.set_ylim(0.0, 1.06)
    ax.set_aspect("equal")
    ax.axis("off")


def _live_plane(ax: Any, values: NDArray[np.float64], params: Any, x: NDArray[np.float64],
                t: NDArray[np.float64], k: int, title: str) -> None:
    """Output ``k``'s plane: shaded where it is above one half; the hidden lines; points."""
    w, b1, _, _ = params
    size = values.shape[0]
    centres = _LO + (np.arange(size) + 0.5) * (_HI - _LO) / size
    g1, g2 = np.meshgrid(centres, centres[::-1])
    ax.contourf(g1, g2, values, levels=[0.0, 0.5, 1.0], colors=[ACCENT_B, ACCENT_A],
                alpha=0.22)  # fmt: skip
    ax.contour(g1, g2, values, levels=[0.5], colors=[INK], linewidths=1.2)
    for j in range(w.shape[1]):
        ends = _clip_line(w[:, j], float(b1[j]))
        if ends:
            style, width, alpha, z, cap, _ = _LINES[j]
            (p1, q1), (p2, q2) = ends
            ax.plot([p1, p2], [q1, q2], color=INK, linewidth=width * 0.6, linestyle=style,
                    alpha=alpha * 0.7, zorder=z, dash_capstyle=cap)  # fmt: skip
    for target, colour, marker in ((1.0, ACCENT_A, "^"), (0.0, ACCENT_B, "o")):
        rows = x[t[:, k] == target]
        ax.plot(rows[:, 0], rows[:, 1], linestyle="none", marker=marker, markersize=9,
                color=colour, markeredgecolor=INK, markeredgewidth=0.8, zorder=4)  # fmt: skip
    ax.set_xlim(_LO, _HI)
    ax.set_ylim(_LO, _HI)
    ax.set_aspect("equal")
    ticks = [_LO, 0.5 * (_LO + _HI), _HI]
    labels = [_tick_text(v) for v in ticks]
    ax.set_xticks(ticks, labels)
    ax.set_yticks(ticks, labels)
    ax.tick_params(labelsize=11)
    ax.set_title(title, fontsize=13, color=INK)


@functools.cache
def live_snapshot_svg(iteration: int) -> str:
    """The training page's live view at ``iteration`` of its run (`backprop_site.live`'s
    default ``Session``), for the page without JavaScript and for paper: the net, each
    weight a line by its size and sign, and each output's plane with the hidden lines.

    >>> svg = live_snapshot_svg(0)
    >>> "Iteration 0: loss L = 1.151" in svg, "loss 1.151" in svg
    (True, True)
    """
    from backprop_site.live import DATA, Session
    from backprop_site.steps import fmt

    if iteration < 0:
        raise ValueError(f"live_snapshot_svg: iteration must be 0 or more, got {iteration}")
    session = Session()
    session.advance(iteration)
    params, x, t = session.params, session.x, session.t
    grid = session.grid().astype(float) / 255
    size = round(float(np.sqrt(grid.shape[1])))
    names = DATA[session.data].outputs
    with plot_style():
        fig = Figure(figsize=(9.4, 3.3), dpi=72)
        _live_net(fig.add_axes((0.0, 0.05, 0.36, 0.8)), params)
        for k, left in ((0, 0.42), (1, 0.72)):
            _live_plane(fig.add_axes((left, 0.12, 0.26, 0.72)), grid[3 + k].reshape(size, size),
                        params, x, t, k, f"y{k + 1}".translate(SUB) + f": {names[k]}")
        fig.text(0.01, 0.93, f"Iteration {iteration}: loss L = {fmt(session.loss)}",
                 fontsize=15, color=INK, ha="left")  # fmt: skip
    w, b1, u, b2 = params

    def listing(name: str, values: NDArray[np.float64]) -> str:
        return ", ".join(f"{name}{''.join(str(i + 1) for i in index)} = {fmt(v)}"
                         for index, v in np.ndenumerate(values))

    from backprop_doc import forward

    above = [[f"({fmt(a)}, {fmt(b)})" for (a, b), v in zip(x, y, strict=True) if v > 0.5]
             for y in forward(x, *params).y.T]
    desc = (
        f"The half adder's training run at iteration {iteration}, loss {fmt(session.loss)}. "
        "Left, the net: each weight a line, wider the larger it is, solid in the first colour "
        "if positive, dashed in the second if negative; each bias a short stub into its unit "
        f"drawn the same way. Weights {listing('w', w)}; {listing('u', u)}; biases "
        f"{listing('b1_', b1)}; {listing('b2_', b2)}. Right, the input plane of each output, "
        "shaded in the first colour where it is above one half, in the second where below, "
        "with the lines where each hidden unit is one half, and the training points, "
        "triangles where that output's target is 1, circles where it is 0. "
        f"Output y1 ({names[0]}) is above one half at "
        + (", ".join(above[0]) or "none of the points") + f"; output y2 ({names[1]}) at "
        + (", ".join(above[1]) or "none of the points") + "."
    )
    return svg_document(fig, slug=f"live-{iteration}", title=f"The training run at iteration "
                        f"{iteration}", desc=desc, round_paths=True)
