"""The results of a run as tables: plain text for the terminal, Markdown for the site.

:func:`tables` turns results (as :mod:`benchmarks.suite` makes them, or as read back
from ``results.json``) into :class:`Table` s, one per section, plus the machine and the
goals; :func:`render_text` prints them all, :func:`render_markdown` renders one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from backprop_site.shortcodes import Context, Shortcode, kind

__all__ = ["REFERENCE", "TIMES", "Table", "goals", "render_markdown", "render_text", "tables",
           "values"]

TIMES = "\u00d7"  # the multiplication sign of "2.31x"

#: The issue's reference run (one thread, another machine): seconds per gradient.
REFERENCE: dict[str, dict[str, Any]] = {
    "seed": {"net": "2-3-2", "batch": 1, "backprop": 24e-6, "PyTorch": 56e-6,
             "autograd": 285e-6, "ratio": 4.0},
    "large": {"net": "784-256-10", "batch": 256, "backprop": 4.9e-3, "PyTorch": 4.5e-3,
              "autograd": 6.0e-3, "ratio": 2.6},
}


@dataclass
class Table:
    """One table of a run: its rows as text, its notes, its columns' alignment."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    #: "l" or "r" per column; numbers are right-aligned
    align: str = ""


def _status(key: str, title: str, r: dict[str, Any]) -> Table:
    """The table of a section that was not measured: its status (and stage), and why."""
    where = f" at {r['stage']}" if r.get("stage") else ""
    return Table(key, title, ["measure", "value"],
                 [[str(r.get("status", "skipped")).upper() + where, str(r.get("reason", ""))]],
                 align="ll")


def _goal_table(key: str, title: str, goals: list[tuple[str, bool | None, str]],
                notes: list[str]) -> Table:
    marks = {None: "not measured", True: "met", False: "MISSED"}
    return Table(key, title, ["goal", "status", "measured"],
                 [[g, marks[met], detail] for g, met, detail in goals], notes, "lll")


def fmt_time(seconds: float | None) -> str:
    """``23.9 µs``, ``4.91 ms``, ``1.52 s``: three significant digits."""
    if seconds is None:
        return "—"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            value = seconds / scale
            digits = 2 if value < 10 else 1 if value < 100 else 0
            return f"{value:.{digits}f} {unit}"
    raise AssertionError("unreachable")


def fmt_ratio(r: float | None, times: bool = True) -> str:
    """``2.31x``, ``14.2x``, ``1,234x``, with a multiplication sign for the x."""
    if r is None:
        return "—"
    text = f"{r:,.0f}" if r >= 100 else f"{r:.1f}" if r >= 10 else f"{r:.2f}"
    return text + (TIMES if times else "")


def fmt_diff(d: float | None) -> str:
    """A relative difference: ``4e-16``, ``0``."""
    if d is None:
        return "—"
    return "0" if d == 0 else f"{d:.0e}"


def _machine(results: dict[str, Any]) -> Table:
    m = results["machine"]
    threads = m.get("threads", {})
    torch = m.get("torch")
    one_thread = all(v == "1" for v in threads.values())
    rows = [
        ["CPU", f"{m['cpu']}, {m['cpus']} logical CPUs ({m.get('cpus_usable', '?')} usable)"
         + (f", {' '.join(m['vector'])}" if m.get("vector") else "")],
        ["memory", str(m.get("memory"))],
        ["OS", m["os"]],
        ["Python", m["python"]],
        ["NumPy", f"{m['numpy']}, BLAS: {m['blas']}"],
        ["PyTorch", f"{torch['version']}, BLAS: {torch['blas']}, "
                    f"{torch['threads']} thread(s)" if torch else "not installed"],
        ["autograd", m.get("autograd") or "not installed"],
        ["Chromium", m.get("chromium") or "not found"],
        ["threads", ("1 (" + ", ".join(f"{k}={v}" for k, v in threads.items()) + ")")
         if one_thread else str(threads)],
        ["run", f"{results.get('plan', '?')} plan, {results.get('date', '?')}, "
                f"{_timing_text(results)}"],
    ]
    if m.get("threads_set_before_import") is False:
        rows.append(["warning", "NumPy was imported before the thread variables were set"])
    return Table("machine", "Machine", ["", ""], rows, align="ll")


def _timing_text(results: dict[str, Any]) -> str:
    t = results.get("timing", {})
    elapsed = results.get("elapsed_s")
    text = (f"{t.get('repeats', '?')} interleaved repeats of about "
            f"{fmt_time(t.get('target_s'))} each")
    return text + (f", {elapsed:.0f} s in all" if elapsed is not None else "")


def _cost(results: dict[str, Any]) -> Table:
    rows = [[r["net"], f"{r['params']:,}", str(r["batch"]),
             fmt_time(r["forward_s"]["min"]), fmt_time(r["backprop_s"]["min"]),
             fmt_ratio(r["ratio"]), fmt_ratio(r["matmul_ratio"])]
            for r in results["cost"]["rows"]]
    return Table(
        "cost", "1. Cost of the gradient against the forward pass",
        ["net", "params", "batch", "forward", "backprop", "backprop / forward",
         "matrix products predict"],
        rows,
        ["forward: forward_layers; backprop: backprop (loss and every gradient); both check "
         "their inputs, as a user calls them. Times and ratios: of the fastest repeat, per "
         "call. 'Predict': (forward + backward) / forward multiply-adds of the matrix "
         "products alone."],
        "lrrrrrr",
    )


def _three_ways(results: dict[str, Any]) -> Table:
    rows = []
    for r in results["three_ways"]["rows"]:
        if "central_s" in r:
            central, speed = fmt_time(r["central_s"]["min"]), fmt_ratio(r["central_speedup"])
        else:
            central = "≈ " + fmt_time(r["central_estimate_s"])
            speed = "≈ " + fmt_ratio(r["central_speedup_estimate"])
        loops = fmt_time(r["loops_s"]["min"]) if "loops_s" in r else "—"
        rows.append([
            r["net"], f"{r['params']:,}", fmt_time(r["backprop_s"]["min"]), loops,
            fmt_ratio(r.get("loops_speedup")), central, speed,
        ])
    return Table(
        "three_ways", "2. The same gradient three ways (one sample)",
        ["net", "params", "backprop", "per-weight loops", "loops / backprop",
         "central differences", "central / backprop"],
        rows,
        ["Loops: per_weight_gradients, two-layer nets only. Central differences: "
         "central_difference over the flattened parameters, each evaluation a call of "
         "layers_loss; '≈' marks an estimate, 2P forward passes, where running them would "
         "take too long."],
        "lrrrrrr",
    )


def _three_ways_check(results: dict[str, Any]) -> Table:
    rows = [[r["net"], f"{r['params']:,}",
             fmt_time(r["central_s"]["min"]) if "central_s" in r else "not run",
             fmt_time(r["central_estimate_s"]), fmt_diff(r.get("loops_rel_diff")),
             fmt_diff(r.get("central_rel_diff"))]
            for r in results["three_ways"]["rows"]]
    return Table(
        "three_ways_check", "2b. What central differences cost, and how well the three agree",
        ["net", "params", "central differences", "2P forward passes", "loops differ by",
         "central differ by"],
        rows,
        ["2P forward passes: 2P times one measured call of layers_loss. Differ by: the "
         "norm-wise relative difference from backprop's gradient."],
        "lrrrrr",
    )


def _generality(results: dict[str, Any]) -> Table:
    rows = [[r["net"], str(r["batch"]), fmt_time(r["backward_s"]["min"]),
             fmt_time(r["backprop_s"]["min"]), fmt_ratio(r["ratio"]), fmt_diff(r["rel_diff"])]
            for r in results["generality"]["rows"]]
    return Table(
        "generality", "3. Any-depth backprop against the two-layer backward",
        ["net", "batch", "backward", "backprop", "backprop / backward", "differ by"],
        rows,
        ["backprop also returns the loss; backward returns the gradients only."],
        "lrrrrr",
    )


def _autodiff(results: dict[str, Any]) -> Table:
    section = results["autodiff"]
    names = list(section["engines"])
    headers = ["net", "batch", "backprop"]
    for name in names:
        headers += [name, f"{name} / backprop"]
    rows = []
    for r in section["rows"]:
        row = [r["net"], str(r["batch"]), fmt_time(r["backprop_s"]["min"])]
        for name in names:
            e = r["engines"].get(name)
            row += [fmt_time(e["time_s"]["min"]), fmt_ratio(e["ratio"])] if e else ["—", "—"]
        rows.append(row)
    notes = [", ".join(f"{n} {v}" for n, v in section["engines"].items())
             + ": loss and every gradient, float64, one thread; a ratio above 1 means "
               "backprop is faster."]
    if section["missing"]:
        notes.append("Not installed, so not measured: " + ", ".join(section["missing"])
                     + " (pip install -e '.[bench]').")
    return Table("autodiff", "4. Against independent automatic differentiation",
                 headers, rows, notes, "lrr" + "rr" * len(names))


def _autodiff_check(results: dict[str, Any]) -> Table:
    section = results["autodiff"]
    names = list(section["engines"])
    rows = [[r["net"], str(r["batch"]),
             *(fmt_diff(r["engines"][n]["rel_diff"]) if n in r["engines"] else "—"
               for n in names)]
            for r in section["rows"]]
    return Table("autodiff_check", "4b. How well they agree with backprop",
                 ["net", "batch", *(f"{n} differs by" for n in names)], rows,
                 ["The norm-wise relative difference of every gradient, taken as one vector, "
                  "from backprop's; float64 rounding is about 1e-16."],
                 "lr" + "r" * len(names))


def _site(results: dict[str, Any]) -> Table:
    s = results["site"]
    headers = ["measure", "value"]
    if s.get("status") in ("skipped", "failed") and "cold_s" not in s:
        rows = []
        if "build_s" in s:
            rows.append(["mkdocs build", fmt_time(s["build_s"]["min"])])
        if "heaviest" in s:
            rows.append(["heaviest page", f"{s['heaviest']} ({s['formulas']} formulas)"])
        where = f" at {s['stage']}" if s.get("stage") else ""
        rows.append([s["status"].upper() + where, s.get("reason", "")])
        return Table("site", "5. The site", headers, rows, align="ll")

    def spread(key: str) -> str:
        t = s[key]
        return (f"{fmt_time(t['median'])} median, {fmt_time(t['min'])} fastest "
                f"of {t['repeats']}")

    rows = [
        ["mkdocs build", spread("build_s")
         + (f", {s['build_warnings']} warnings" if s.get("build_warnings") else "")],
        ["heaviest page", f"{s['heaviest']} ({s['formulas']} formulas, of {s['pages']} pages)"],
        ["every formula drawn, cold", spread("cold_s")],
    ]
    if "instant_s" in s:
        rows.append([f"... after instant navigation from {s['from_page']}", spread("instant_s")])
    if s.get("status") != "ok":
        rows.append([s["status"].upper(), s.get("reason", "")])
    notes = [f"Headless Chromium {s.get('chromium', '?')} through Playwright, site served by "
             "http.server on 127.0.0.1. Cold: a fresh browser context, from the navigation's "
             "start; instant: from the click on a link, Material swapping the page in place."]
    return Table("site", "5. The site", headers, rows, notes, "ll")


def fmt_bytes(n: int | None) -> str:
    """``16.96 MB``, ``867 kB``, ``0 B`` (decimal units, as a download shows them)."""
    if n is None:
        return "—"
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            value = n / scale
            return f"{value:.2f} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{n} B"


def _sent(b: dict[str, Any]) -> str:
    if not b["files"]:
        return "nothing sent whole"
    files = "1 file" if b["files"] == 1 else f"{b['files']} files"
    return f"{fmt_bytes(b['bytes'])} ({fmt_bytes(b['gzip_bytes'])} gzipped), {files}"


def _run_checks(s: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in s.get("run", {}).get("checks", []) if c.get("seconds") is not None]


def _run(results: dict[str, Any]) -> Table:
    title = "6. The Run buttons (Python in the browser)"
    headers = ["measure", "time", "bytes sent", "time against a plain load"]
    r = results["site"].get("run")
    if not r or r.get("status") == "failed" or "cold_s" not in r:
        site = results["site"]
        return _status("run", title, r or {"status": site.get("status", "skipped"), "reason":
                                           site.get("reason", "the site was not measured")})

    def spread(t: dict[str, Any]) -> str:
        return (f"{fmt_time(t['median'])} median ({fmt_time(t['min'])} to "
                f"{fmt_time(t['max'])}, {t['repeats']} runs)")

    plain = r["plain_s"]["median"]
    rows = [[label, spread(r[f"{key}_s"]), _sent(r[f"{key}_bytes"]),
             fmt_ratio(r[f"{key}_s"]["median"] / plain)] for key, label in (
        ("plain", f"plain page load of {r['page']} ({r['blocks']} examples), never pressing Run"),
        ("cold", "first Run, cold: from the press to the block's result"),
        ("warm", "first Run, warm: the same, on a reload with the files cached"))]
    checks = _run_checks(results["site"])
    if checks:
        top = max(checks, key=lambda c: c["seconds"])
        rows.append([f"Check this page, the slowest page: {top['page']} "
                     f"({top['blocks']} examples)", fmt_time(top["seconds"]), "—",
                     fmt_ratio(top["seconds"] / plain)])
    if r.get("status") != "ok":
        rows.append([r["status"].upper(), r.get("reason", ""), "", ""])
    notes = ["The same headless Chromium and server as section 5; each run in a fresh browser "
             "profile whose cache is on disk. The bytes are what the server sent whole "
             "(an unchanged cached file is revalidated with no body); gzipped is what a "
             "static host that compresses would send. Nothing of Python loads before the "
             "first press: the plain load is what a reader who only reads fetches."]
    return Table("run", title, headers, rows, notes, "llll")


def _run_check_table(results: dict[str, Any]) -> Table:
    checks = sorted(_run_checks(results["site"]), key=lambda c: -c["seconds"])
    rows = [[c["page"], str(c["blocks"]), fmt_time(c["seconds"]),
             c["summary"].split(" (")[0]] for c in checks]
    if not rows:
        rows = [["not measured", "", "", ""]]
    return Table("run_checks", "6b. Check this page, on every page (Python already loaded)",
                 ["page", "examples", "time", "result"], rows,
                 ["Each page reached by instant navigation; its examples run in page order "
                  "in a fresh namespace, as the test suite runs them."], "lrrl")


#: The live view's goals (issue 21): steps a second on each data set, at this frame rate.
LIVE_GOALS = {"adder": 1000.0, "circles": 300.0}
LIVE_FPS = 30.0
LIVE_TASK_MS = 50.0
_LIVE_DATA = {"adder": "the half adder (4 points)", "circles": "the disc and ring (200 points)"}


def _live_data(results: dict[str, Any]) -> dict[str, Any] | None:
    live = results["site"].get("live")
    return live if live and live.get("status") == "ok" else None


def _task(ms: float) -> str:
    """A longest task: Chromium reports long tasks from 50 ms up, so 0 is "none that long"."""
    return "none of 50 ms or more" if ms == 0 else fmt_time(ms / 1000)


def _live(results: dict[str, Any]) -> Table:
    title = "8. The live view (the training page, playing in headless Chromium)"
    headers = ["measure", "steps a second", "frames a second", "longest main-thread task",
               "longest gap between frames", "paint of the view, mean and longest",
               "bytes sent"]
    live = _live_data(results)
    if live is None:
        r = results["site"].get("live") or results["site"]
        return _status("live", title, {**r, "reason": r.get("reason", "not measured")})
    rest = live["rest"]
    rows = [
        [f"the page at rest: {live['page']} loaded, nothing pressed", "—",
         f"{rest['raf_per_s']:.0f}", _task(rest["longest_task_ms"]),
         fmt_time(rest["max_gap_ms"] / 1000), "—",
         f"{fmt_bytes(live['rest_bytes']['bytes'])}, {live['rest_bytes']['files']} files"],
        [f"the first Play, cold: {fmt_time(live['cold_s'])} from the press to the first frame",
         "—", "—", "—", "—", "—",
         f"{fmt_bytes(live['cold_bytes']['bytes'])}, {live['cold_bytes']['files']} files"],
    ]
    for play in live["plays"]:
        rows.append([
            f"playing {_LIVE_DATA.get(play['data'], play['data'])}, {play['speed']} steps a "
            "frame", f"{play['steps_per_s']:,.0f}", f"{play['paints_per_s']:.0f}",
            _task(play["worst_task_ms"]), fmt_time(play["max_gap_ms"] / 1000),
            (f"{fmt_time(play['mean_paint_ms'] / 1000)}, " if "mean_paint_ms" in play else "")
            + fmt_time(play["longest_paint_ms"] / 1000), "—"])
    repeats = live["plays"][0]["repeats"] if live["plays"] else 0
    seconds = round(live["plays"][0]["seconds"]) if live["plays"] else 0
    notes = [f"Measured {str(live.get('date', '?'))[:10]} on the built site served on "
             "127.0.0.1, the view scrolled into sight (1400 x 900). Playing: the median of "
             f"{repeats} runs of {seconds} s each from iteration 0 (the longest task: the "
             "worst run). Steps a second: the iterations the view showed, by the page's "
             "clock; frames: the frames the view painted (each shows the steps since the one "
             "before); long tasks as Chromium reports them (from 50 ms); a long task, a gap "
             "between frames and the longest paint include whatever else the shared two-core "
             "machine ran" + (f" (its load average, on two cores: {live['load_average'][0]:.1f} "
             f"at the start, {live['load_average'][-1]:.1f} at the end)"
             if live.get("load_average") else "") + ". At rest the view has drawn "
             "its start and waits, nothing of Python loaded; the first Play fetches Python, "
             "NumPy and the package once."]
    return Table("live", title, headers, rows, notes, "lrrllll")


def live_goals(results: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    """The live view's goals: (goal, met or None when not measured, what was measured)."""
    live = _live_data(results)
    out: list[tuple[str, bool | None, str]] = []
    plays = live["plays"] if live else []
    for data, steps in LIVE_GOALS.items():
        goal = (f"at least {steps:,.0f} steps a second on {_LIVE_DATA[data]}, drawn at "
                f"{LIVE_FPS:.0f} frames a second or more")
        rows = [p for p in plays if p["data"] == data]
        if not rows:
            out.append((goal, None, "not measured"))
            continue
        good = [p for p in rows if p["steps_per_s"] >= steps and p["paints_per_s"] >= LIVE_FPS]
        best = max(good or rows, key=lambda p: p["steps_per_s"])
        out.append((goal, bool(good), f"{best['steps_per_s']:,.0f} steps a second at "
                    f"{best['paints_per_s']:.0f} frames a second ({best['speed']} steps a "
                    "frame)"))
    goal = f"the longest main-thread task while playing under {LIVE_TASK_MS:.0f} ms"
    if plays:
        worst = max(p["worst_task_ms"] for p in plays)
        out.append((goal, worst < LIVE_TASK_MS, _task(worst) + " in any run"))
    else:
        out.append((goal, None, "not measured"))
    return out


def _score(v: float | None) -> str:
    return "—" if v is None else f"{round(v * 100)}"


def _ms(v: float | None) -> str:
    return "—" if v is None else fmt_time(v / 1000)


def lighthouse_tables(results: dict[str, Any]) -> list[Table]:
    """The Lighthouse run of ``benchmarks/lighthouse.py``: per page, the math typeset in the
    browser against drawn at build time; then the issue's goals."""
    title = "7. Lighthouse on a phone: the math typeset in the browser → drawn at build time"
    if results.get("status") != "ok":
        return [_status("lighthouse", title, {"status": results.get("status", "?"),
                                              "reason": results.get("reason", "")})]
    shown: dict[str, Callable[[Any], str]] = {
        "performance": _score, "tbt_ms": _ms, "fcp_ms": _ms,
        "bytes": lambda v: fmt_bytes(v and int(v)), "drawn_s": fmt_time}
    rows = []
    for path, entry in results["pages"].items():
        old = entry.get("browser", {}).get("median", {})
        new = entry["build time"]["median"]  # each measure: old → new
        rows.append([path, *(f"{fmt(old.get(k))} → {fmt(new[k])}" for k, fmt in shown.items()),
                     " / ".join(_score(new[c]) for c in ("accessibility", "best-practices",
                                                          "seo"))])
    builds = results["builds"]
    notes = [f"Lighthouse {results.get('lighthouse')} (npm), mobile preset (simulated slow 4G "
             f"and a 4x slower CPU), median of {results['runs']} runs per page and build, "
             "site served gzip-compressed on 127.0.0.1; \"browser\" is the site at commit "
             f"{results['baseline']} (MathJax's tex-svg.js typesets the TeX), \"build time\" "
             "this one. Formulas drawn: headless Chromium, no throttling, cold, from the "
             "navigation's start. mkdocs build: "
             f"{fmt_time(builds['browser'])} → {fmt_time(builds['build time'])}."]
    table = Table("lighthouse", title,
                  ["page", "performance", "total blocking time", "first contentful paint",
                   "bytes transferred", "every formula drawn",
                   "accessibility / best practices / SEO"], rows, notes, "lllllll")
    return [table, _goal_table("lighthouse_goals", "7b. Goals for the pages on a phone",
                               lighthouse_goals(results), [])]


def lighthouse_goals(results: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    """(goal, met, measured) for the build-time pages."""
    if results.get("status") != "ok":
        return []
    new = {p: e["build time"]["median"] for p, e in results["pages"].items()}

    def worst(key: str, lowest: bool = True) -> tuple[str, float]:
        page = (min if lowest else max)(new, key=lambda p: new[p][key])
        return page, new[page][key]

    out: list[tuple[str, bool | None, str]] = []
    page, v = worst("performance")
    out.append(("performance at least 95 on every page", v >= 0.95,
                f"lowest {_score(v)} ({page})"))
    for c in ("accessibility", "best-practices", "seo"):
        page, v = worst(c)
        failed = sorted({a for e in results["pages"].values()
                         for a in e["build time"]["failed_audits"]})
        out.append((f"{c} 100 on every page", v >= 1.0,
                    f"lowest {_score(v)} ({page})" + (f"; failing: {', '.join(failed)}"
                                                      if v < 1 and failed else "")))
    page, v = worst("tbt_ms", lowest=False)
    out.append(("total blocking time under 200 ms on every page", v < 200,
                f"highest {_ms(v)} ({page})"))
    build = results["builds"]["build time"]
    out.append(("mkdocs build under 10 s", build < 10, fmt_time(build)))
    return out


def lighthouse_values(results: dict[str, Any]) -> dict[str, str]:
    """Single figures of the Lighthouse run for the page's sentences."""
    if results.get("status") != "ok":
        return {}
    out = {"lighthouse_version": str(results.get("lighthouse")),
           "lighthouse_runs": str(results["runs"]),
           "lighthouse_date": str(results.get("date", "?"))[:10],
           "lighthouse_baseline": str(results["baseline"]),
           "lighthouse_build_old": fmt_time(results["builds"]["browser"]),
           "lighthouse_build_new": fmt_time(results["builds"]["build time"])}
    met = lighthouse_goals(results)
    out["lighthouse_goals_met"] = f"{sum(1 for _, m, _ in met if m)} of {len(met)}"
    return out


def _find(rows: list[dict[str, Any]], net: str, batch: int) -> dict[str, Any] | None:
    return next((r for r in rows if r["net"] == net and r["batch"] == batch), None)


def goals(results: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    """(goal, met: True/False/None for not measured, what was measured)."""
    out: list[tuple[str, bool | None, str]] = []
    cost = results["cost"]["rows"]
    above = [r for r in cost if r["net"] != "2-3-2"]
    if above:
        worst = max(above, key=lambda r: r["ratio"])
        out.append(("backprop / forward at most 3 at every size above the seed's",
                    worst["ratio"] <= 3,
                    f"largest {fmt_ratio(worst['ratio'])} ({worst['net']}, batch "
                    f"{worst['batch']})"))
    # "Close to the dense-layer limit": within 0.5 of what the matrix products of that net
    # predict (the "about 2.5" is that limit for a typical net; a net whose first
    # layer holds nearly all the weights has a lower one, since inputs need no delta).
    large = [r for r in cost if r["sizes"][0] == 784 and r["batch"] >= 16]
    if large:
        out.append(("... and close to the dense-layer limit (about 2.5) on the large nets, "
                    "batches of 16 and more",
                    all(abs(r["ratio"] - r["matmul_ratio"]) <= 0.5 for r in large),
                    "from " + fmt_ratio(min(r["ratio"] for r in large)) + " to "
                    + fmt_ratio(max(r["ratio"] for r in large))
                    + "; the limit of these nets, from their matrix products: "
                    + ", ".join(sorted({fmt_ratio(r["matmul_ratio"]) for r in large}))))
    gen = results["generality"]["rows"]
    if gen:
        worst = max(gen, key=lambda r: r["ratio"])
        out.append((f"backprop within 1.2{TIMES} of backward on the seed's shapes",
                    worst["ratio"] <= 1.2,
                    f"at most {fmt_ratio(worst['ratio'])} (batch {worst['batch']})"))
    ad = results["autodiff"]
    if "PyTorch" in ad["engines"]:
        rows = [r for r in ad["rows"] if "PyTorch" in r["engines"]]
        slowest = min(rows, key=lambda r: r["engines"]["PyTorch"]["ratio"])
        ratio = slowest["engines"]["PyTorch"]["ratio"]
        out.append(("at least as fast as PyTorch's CPU autograd at every size", ratio >= 1,
                    f"PyTorch / backprop at least {fmt_ratio(ratio)} ({slowest['net']}, batch "
                    f"{slowest['batch']})"))
        seed = [r for r in rows if r["net"] == "2-3-2"]
        if seed:
            low = min(r["engines"]["PyTorch"]["ratio"] for r in seed)
            out.append(("twice as fast as PyTorch on the seed's net", low >= 2,
                        f"PyTorch / backprop at least {fmt_ratio(low)} on 2-3-2"))
    else:
        out.append(("at least as fast as PyTorch's CPU autograd", None, "PyTorch not installed"))
    out += _reference(results)
    return out


def _reference(results: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    """Against the issue's reference run: ratios (machine-independent) decide."""
    out: list[tuple[str, bool | None, str]] = []
    for ref in REFERENCE.values():
        net, batch = str(ref["net"]), int(ref["batch"])
        ad = _find(results["autodiff"]["rows"], net, batch)
        for engine in ("PyTorch", "autograd"):
            if ad is None or engine not in ad["engines"]:
                continue
            ours = ad["engines"][engine]["ratio"]
            theirs = float(ref[engine]) / float(ref["backprop"])
            out.append((f"beat the reference: {engine} / backprop on {net}, batch {batch}",
                        ours > theirs,
                        f"{fmt_ratio(ours)} here, {fmt_ratio(theirs)} in the reference "
                        f"(backprop {fmt_time(ad['backprop_s']['min'])} here, "
                        f"{fmt_time(float(ref['backprop']))} there)"))
        row = _find(results["cost"]["rows"], net, batch)
        if row is not None:
            out.append((f"beat the reference: backprop / forward on {net}, batch {batch}",
                        row["ratio"] < float(ref["ratio"]),
                        f"{fmt_ratio(row['ratio'])} here, {fmt_ratio(float(ref['ratio']))} "
                        "in the reference"))
    return out


def tables(results: dict[str, Any]) -> list[Table]:
    """Every table of a run, in order: machine, sections 1 to 6 and 8 (2, 4, 6 and 8 in
    two parts each; 7 is Lighthouse's, `lighthouse_tables`), goals."""
    return [_machine(results), _cost(results), _three_ways(results),
            _three_ways_check(results), _generality(results), _autodiff(results),
            _autodiff_check(results), _site(results), _run(results),
            _run_check_table(results), _live(results),
            _goal_table("live_goals", "8b. The live view's goals", live_goals(results), []),
            _goal_table("goals", "Goals (ratios measured in this run, one thread each)",
                        goals(results),
                        ["The reference run was on another machine, so its ratios, not its "
                         "times, decide; the times are given for scale."])]


def _text_table(t: Table) -> str:
    grid = [t.headers, *t.rows]
    widths = [max(len(row[i]) for row in grid) for i in range(len(t.headers))]
    align = t.align or "l" * len(widths)

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if a == "r" else c.ljust(w)
                         for c, w, a in zip(cells, widths, align, strict=True)).rstrip()

    out = [t.title, "=" * len(t.title)]
    if any(t.headers):
        out += [line(t.headers), line(["-" * w for w in widths])]
    out += [line(row) for row in t.rows]
    out += ["", *(f"  {n}" for n in t.notes)] if t.notes else []
    return "\n".join(out)


def render_text(results: dict[str, Any]) -> str:
    """Every table, for the terminal."""
    return "\n\n".join(_text_table(t) for t in tables(results)) + "\n"


def render_lighthouse_text(results: dict[str, Any]) -> str:
    """The tables of a Lighthouse run (benchmarks/lighthouse.py), for the terminal."""
    return "\n\n".join(_text_table(t) for t in lighthouse_tables(results)) + "\n"


def render_markdown(t: Table, *, notes: bool = True) -> str:
    """One table as a Markdown (pipe) table, its notes after it."""
    align = t.align or "l" * len(t.headers)
    headers = [h or " " for h in t.headers]
    out = ["| " + " | ".join(headers) + " |",
           "|" + "|".join("--:" if a == "r" else ":--" for a in align) + "|"]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in t.rows]
    if notes and t.notes:
        out += ["", *(f"*{n}*" if n else "" for n in t.notes)]
    return "\n".join(out)


def values(results: dict[str, Any]) -> dict[str, str]:
    """Single figures for the page's sentences, by name (``<!-- md:bench NAME -->``).

    A name whose data the run lacks (a quick run, an engine not installed) gives "—".
    """
    out: dict[str, str] = {}
    m = results["machine"]
    out["machine"] = f"{m['cpu']} ({m['cpus']} logical CPUs), {m['python']}, NumPy {m['numpy']}"
    out["date"] = str(results.get("date", "?"))[:10]
    out["plan"] = str(results.get("plan", "?"))

    cost = results["cost"]["rows"]
    large = [r for r in cost if r["sizes"][0] == 784]
    seed = _find(cost, "2-3-2", 1)
    out["cost_seed_ratio"] = fmt_ratio(seed["ratio"]) if seed else "—"
    out["cost_seed_backprop"] = fmt_time(seed["backprop_s"]["min"]) if seed else "—"
    out["cost_seed_forward"] = fmt_time(seed["forward_s"]["min"]) if seed else "—"
    big = [r for r in large if r["batch"] >= 16]
    spread = sorted({fmt_ratio(r["ratio"]) for r in big}, key=lambda s: float(s.rstrip(TIMES)))
    out["cost_large_ratios"] = (f"{spread[0]} to {spread[-1]}" if len(spread) > 1
                                else spread[0] if spread else "—")
    out["cost_large_predicted"] = (
        " and ".join(sorted({fmt_ratio(r["matmul_ratio"]) for r in large})) if large else "—")

    rows = results["three_ways"]["rows"]
    measured = [r for r in rows if "central_s" in r]
    estimated = [r for r in rows if "central_s" not in r]
    if measured:
        top = max(measured, key=lambda r: r["params"])
        out["central_measured_speedup"] = fmt_ratio(top["central_speedup"])
        out["central_measured_params"] = f"{top['params']:,}"
    if estimated:
        top = max(estimated, key=lambda r: r["params"])
        out["central_estimated_speedup"] = fmt_ratio(top["central_speedup_estimate"])
        out["central_estimated_time"] = fmt_time(top["central_estimate_s"])
        out["central_estimated_net"] = top["net"]
    loops = [r for r in rows if "loops_s" in r]
    if loops:
        top = max(loops, key=lambda r: r["params"])
        out["loops_speedup"] = fmt_ratio(top["loops_speedup"])
        out["loops_net"] = top["net"]

    gen = results["generality"]["rows"]
    if gen:
        out["generality_max"] = fmt_ratio(max(r["ratio"] for r in gen))

    ad = results["autodiff"]
    for engine in ("PyTorch", "autograd"):
        key = engine.lower()
        seed_row = _find(ad["rows"], "2-3-2", 1)
        large_row = _find(ad["rows"], "784-256-10", 256)
        one_row = _find(ad["rows"], "784-256-10", 1)
        for label, row in (("seed", seed_row), ("large", large_row), ("wide_one", one_row)):
            e = row["engines"].get(engine) if row else None
            out[f"{key}_{label}"] = fmt_ratio(e["ratio"]) if e else "—"
        out[f"{key}_version"] = str(ad["engines"].get(engine, "not installed"))

    s = results["site"]
    out["site_heaviest"] = str(s.get("heaviest", "—"))
    out["site_formulas"] = str(s.get("formulas", "—"))
    for key in ("build_s", "cold_s", "instant_s"):
        out["site_" + key.removesuffix("_s")] = fmt_time(s[key]["median"]) if key in s else "—"
    r = s.get("run", {})
    for key in ("plain", "cold", "warm"):
        out[f"run_{key}"] = fmt_time(r[f"{key}_s"]["median"]) if f"{key}_s" in r else "—"
        b = r.get(f"{key}_bytes")
        out[f"run_{key}_bytes"] = fmt_bytes(b["bytes"]) if b else "—"
        out[f"run_{key}_gzip"] = fmt_bytes(b["gzip_bytes"]) if b else "—"
    out["run_page"] = str(r.get("page", "—"))
    checks = _run_checks(s)
    top = max(checks, key=lambda c: c["seconds"]) if checks else None
    out["run_check_slowest"] = fmt_time(top["seconds"]) if top else "—"
    out["run_check_slowest_page"] = top["page"] if top else "—"
    out["run_check_pages"] = str(len(checks)) if checks else "—"
    live = _live_data(results)
    out["live_page"] = live["page"] if live else "—"
    out["live_cold"] = fmt_time(live["cold_s"]) if live else "—"
    out["live_cold_bytes"] = fmt_bytes(live["cold_bytes"]["bytes"]) if live else "—"
    out["live_rest_bytes"] = fmt_bytes(live["rest_bytes"]["bytes"]) if live else "—"
    out["live_date"] = str(live.get("date", "—"))[:10] if live else "—"
    return out


# ---------------------------------------------------------------------------------------
# The site's pages: "How fast is backprop?" and About, drawn from the recorded runs.

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
#: The recorded runs: ``python -m benchmarks.run --record ...`` and benchmarks/lighthouse.py.
RESULTS, LIGHTHOUSE = BENCHMARKS / "results.json", BENCHMARKS / "lighthouse.json"
FIGURE = "figures/benchmark-cost.svg"


def _results(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PluginError(f"cannot read {path}: {exc}") from exc
    return data


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the cost figure, drawn from the recorded run."""
    from backprop_site.plots import cost_svg

    existing = files.get_file_from_path(FIGURE)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, FIGURE, content=cost_svg(_results(RESULTS))))
    return files


@kind("bench")
def bench_shortcode(code: Shortcode, context: Context) -> str:
    """``<!-- md:bench KEY -->``: a table of the recorded runs alone on its line, else a
    single value (`values`, `lighthouse_values`) inside a sentence. So the page's prose
    never retypes a number."""
    results, lighthouse = _results(RESULTS), _results(LIGHTHOUSE)
    found = {t.key: t for t in [*tables(results), *lighthouse_tables(lighthouse)]}
    single = {**values(results), **lighthouse_values(lighthouse)}
    key = code.args[0] if len(code.args) == 1 else ""
    if code.alone and key in found:
        return render_markdown(found[key])
    if key in single:
        return single[key]
    known = ", ".join(sorted(found)) + "; " + ", ".join(sorted(single))
    how = "on a line of its own" if code.alone else "inside a sentence"
    raise PluginError(f"{code.where}: unknown benchmark key {key!r} {how} "
                      f"(tables, alone on a line: {known})")
