"""The figure of the page "How fast is backprop?": cost of one gradient against parameters.

:func:`cost_svg` draws, from a run's results (``results.json``), the time of one gradient
(one sample) against the number of parameters on log-log axes: backprop, the per-weight
loops, and central differences (measured, and estimated as 2P forward passes where running
them would take too long). Plain Python, no plotting library, and deterministic: the same
results give the same SVG text, byte for byte (coordinates with two decimals).

Only the standard library is imported, so the MkDocs hook can load this file by its path.
As an image, the figure paints its own background and picks its ink from the reader's
``prefers-color-scheme``.
"""

from __future__ import annotations

import math
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["cost_series", "cost_svg"]

WIDTH, HEIGHT = 680.0, 430.0
LEFT, RIGHT, TOP, BOTTOM = 78.0, 22.0, 20.0, 58.0

_STYLE = """
svg.bpd-bench { color: #1f2328; --bg: #ffffff; --a: #1d63c4; --b: #b0500c; --c: #5b8a1e; }
@media (prefers-color-scheme: dark) {
  svg.bpd-bench { color: #e4e6eb; --bg: #1e2129; --a: #6ea8f2; --b: #f09a55; --c: #9ccc65; }
}
.bpd-bench .bg { fill: var(--bg); }
.bpd-bench text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, "Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 13px;
  fill: currentColor; }
.bpd-bench .small { font-size: 11.5px; }
.bpd-bench .axis { stroke: currentColor; stroke-width: 1; fill: none; }
.bpd-bench .grid { stroke: currentColor; stroke-opacity: 0.13; stroke-width: 1; }
.bpd-bench .a { stroke: var(--a); fill: none; stroke-width: 2; }
.bpd-bench .b { stroke: var(--b); fill: none; stroke-width: 2; }
.bpd-bench .c { stroke: var(--c); fill: none; stroke-width: 2; }
.bpd-bench .dash { stroke-dasharray: 5 4; }
.bpd-bench .dot-a { fill: var(--a); }
.bpd-bench .dot-b { fill: var(--b); }
.bpd-bench .dot-c { fill: var(--c); }
.bpd-bench .hollow { fill: var(--bg); stroke-width: 1.6; }
"""

_TIME_LABELS = {-7: "100 ns", -6: "1 µs", -5: "10 µs", -4: "100 µs", -3: "1 ms", -2: "10 ms",
                -1: "100 ms", 0: "1 s", 1: "10 s", 2: "100 s", 3: "1000 s"}
_COUNT_LABELS = {0: "1", 1: "10", 2: "100", 3: "1k", 4: "10k", 5: "100k", 6: "1M", 7: "10M"}


def _n(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


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
    """The SVG document (text) of the cost figure."""
    series = cost_series(results)
    points = [pt for s in series.values() for pt in s]
    if not points:
        raise ValueError("results: section three_ways has no rows to plot")
    x_lo = math.floor(math.log10(min(p for p, _, _ in points)))
    x_hi = math.ceil(math.log10(max(p for p, _, _ in points)))
    y_lo = math.floor(math.log10(min(t for _, t, _ in points)))
    y_hi = math.ceil(math.log10(max(t for _, t, _ in points)))
    x_hi, y_hi = max(x_hi, x_lo + 1), max(y_hi, y_lo + 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(p: float) -> float:
        return LEFT + (math.log10(p) - x_lo) / (x_hi - x_lo) * plot_w

    def py(t: float) -> float:
        return TOP + (y_hi - math.log10(t)) / (y_hi - y_lo) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bpd-bench" viewBox="0 0 {_n(WIDTH)} '
        f'{_n(HEIGHT)}" width="{_n(WIDTH)}" height="{_n(HEIGHT)}" role="img" '
        'aria-labelledby="bench-title bench-desc">',
        '<title id="bench-title">Time of one gradient against the number of parameters</title>',
        '<desc id="bench-desc">' + escape(_description(series)) + "</desc>",
        f"<style>{_STYLE}</style>",
        f'<rect class="bg" x="0" y="0" width="{_n(WIDTH)}" height="{_n(HEIGHT)}"/>',
    ]
    for e in range(x_lo, x_hi + 1):
        x = px(10.0**e)
        out.append(f'<line class="grid" x1="{_n(x)}" y1="{_n(TOP)}" x2="{_n(x)}" '
                   f'y2="{_n(TOP + plot_h)}"/>')
        out.append(f'<text class="small" x="{_n(x)}" y="{_n(TOP + plot_h + 18)}" '
                   f'text-anchor="middle">{escape(_COUNT_LABELS.get(e, f"1e{e}"))}</text>')
    for e in range(y_lo, y_hi + 1):
        y = py(10.0**e)
        out.append(f'<line class="grid" x1="{_n(LEFT)}" y1="{_n(y)}" x2="{_n(LEFT + plot_w)}" '
                   f'y2="{_n(y)}"/>')
        out.append(f'<text class="small" x="{_n(LEFT - 8)}" y="{_n(y + 4)}" '
                   f'text-anchor="end">{escape(_TIME_LABELS.get(e, f"1e{e} s"))}</text>')
    out.append(f'<rect class="axis" x="{_n(LEFT)}" y="{_n(TOP)}" width="{_n(plot_w)}" '
               f'height="{_n(plot_h)}"/>')
    out.append(f'<text x="{_n(LEFT + plot_w / 2)}" y="{_n(HEIGHT - 14)}" '
               'text-anchor="middle">parameters P (weights and biases)</text>')
    out.append(f'<text x="16" y="{_n(TOP + plot_h / 2)}" text-anchor="middle" '
               f'transform="rotate(-90 16 {_n(TOP + plot_h / 2)})">time of one gradient '
               "(one sample)</text>")

    styles = {"backprop": "a", "loops": "c", "central": "b"}
    for name, pts in series.items():
        cls = styles[name]
        measured = [pt for pt in pts if pt[2]]
        if len(measured) > 1:
            out.append(f'<polyline class="{cls}" points="'
                       + " ".join(f"{_n(px(p))},{_n(py(t))}" for p, t, _ in measured) + '"/>')
        estimated = [pt for pt in pts if not pt[2]]
        if estimated and measured:
            chain = [measured[-1], *estimated]
            out.append(f'<polyline class="{cls} dash" points="'
                       + " ".join(f"{_n(px(p))},{_n(py(t))}" for p, t, _ in chain) + '"/>')
        for p, t, ok in pts:
            kind = f"dot-{cls}" if ok else f"{cls} hollow"
            out.append(f'<circle class="{kind}" cx="{_n(px(p))}" cy="{_n(py(t))}" r="4"/>')

    legend = [("backprop (matrix form)", "a", True), ("per-weight loops, sections 4 and 5", "c",
               True), ("central differences", "b", True),
              ("central differences, estimated as 2P forward passes", "b", False)]
    lx, ly = LEFT + 14, TOP + 18
    for i, (label, cls, ok) in enumerate(legend):
        if not ok and not any(not pt[2] for pt in series["central"]):
            continue
        y = ly + i * 19
        dash = "" if ok else " dash"
        out.append(f'<line class="{cls}{dash}" x1="{_n(lx)}" y1="{_n(y)}" x2="{_n(lx + 26)}" '
                   f'y2="{_n(y)}"/>')
        kind = f"dot-{cls}" if ok else f"{cls} hollow"
        out.append(f'<circle class="{kind}" cx="{_n(lx + 13)}" cy="{_n(y)}" r="4"/>')
        out.append(f'<text x="{_n(lx + 34)}" y="{_n(y + 4.5)}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


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
