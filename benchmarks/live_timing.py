"""Item 8: the training page's live view while it plays, side by side with the page at rest.

Called by :func:`benchmarks.site_timing.measure_site` (or ``measure_live_only``) with its
server, which notes every file it sends whole, and Chromium. On the page with ``.bpd-live``:

* **at rest**: a fresh profile loads it, nothing pressed for a few seconds: the animation
  frames a second, the longest gap between two, the longest main-thread task (Chromium's
  ``longtask`` entries, from 50 ms up), the bytes fetched;
* **the first Play, cold**: from the press to the view's first frame, the bytes sent after;
* **playing**, each data set and speed of the plan: training steps and painted frames a
  second, the longest task, the longest gap, the view's mean and longest paint; the
  median of the repeats.

The machine's load average at the start and the end is recorded too (the machine is
shared). Nothing raises: the outcome has a ``status`` (``ok``, or ``failed`` with the stage
and the reason).
"""

from __future__ import annotations

import datetime
import os
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["FULL", "QUICK", "measure_live"]

TIMEOUT_MS = 180_000  # loading Python on a busy two-core machine
#: (data set, steps a frame) measured while playing, and how long each is played (s).
FULL: dict[str, Any] = {
    "plays": [("adder", 10), ("adder", 50), ("adder", 200), ("circles", 10), ("circles", 50),
              ("circles", 200)],
    "seconds": 5.0, "rest_seconds": 3.0,
}
QUICK: dict[str, Any] = {"plays": [("adder", 50), ("circles", 50)], "seconds": 2.0,
                         "rest_seconds": 1.0}

# Installed before the page's scripts: long tasks and animation frames, from `since` on.
WATCHER = """
(() => {
  const w = window.__live = {long: [], frames: [], since: 0};
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) w.long.push([e.startTime, e.duration]);
    }).observe({type: "longtask", buffered: true});
  } catch (e) { w.noLongtask = String(e); }
  const tick = t => { w.frames.push(t); if (w.frames.length > 100000) w.frames.splice(0, 50000);
                      requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  w.read = (since, until) => {
    const frames = w.frames.filter(t => t >= since && t <= until);
    let gap = 0;
    for (let i = 1; i < frames.length; i++) gap = Math.max(gap, frames[i] - frames[i - 1]);
    const long = w.long.filter(([s, d]) => s + d >= since && s <= until).map(([, d]) => d);
    return {frames: frames.length, gap, long: long.length ? Math.max(...long) : 0,
            longCount: long.length};
  };
})();
"""
VIEW = "document.querySelector('.bpd-live')"
ITERATION = f"() => Number({VIEW}.dataset.iteration || 0)"


def _restart(page: Any, data: str) -> None:
    """The view from iteration 0 on ``data``: another data set chosen first (a data set
    chosen starts the view again; choosing the one it has does nothing)."""
    for key in ("xor" if data != "xor" else "adder", data):
        starts = page.evaluate(f"() => Number({VIEW}.dataset.starts || 0)")
        page.select_option("#bpd-live-data", key)
        page.wait_for_function(f"() => Number({VIEW}.dataset.starts || 0) > {starts}",
                               timeout=TIMEOUT_MS)


def _since(server: Any, mark: int) -> dict[str, Any]:
    sent = server.served[mark:]
    return {"files": len(sent), "bytes": sum(n for _, n in sent), "paths": [p for p, _ in sent]}


def _live_page(site_dir: Path) -> str | None:
    for path in sorted(site_dir.rglob("index.html")):
        if 'class="bpd-live"' in path.read_text(encoding="utf-8"):
            return "/" + path.relative_to(site_dir).as_posix().removesuffix("index.html")
    return None


def _window(page: Any, seconds: float) -> dict[str, Any]:
    """The watcher's measures over the next ``seconds``, and the view's counts."""
    start = page.evaluate(f"""() => ({{t: performance.now(), i: Number({VIEW}.dataset.iteration
        || 0), paints: window.backpropDocLive ? window.backpropDocLive.stats.paints : 0,
        paintMs: window.backpropDocLive ? window.backpropDocLive.stats.paintMs : 0}})""")
    page.evaluate("() => { if (window.backpropDocLive) "
                  "window.backpropDocLive.stats.paintMaxMs = 0; }")
    page.wait_for_timeout(seconds * 1000)
    end = page.evaluate(f"""() => ({{t: performance.now(), i: Number({VIEW}.dataset.iteration
        || 0), paints: window.backpropDocLive ? window.backpropDocLive.stats.paints : 0,
        paintMax: window.backpropDocLive ? window.backpropDocLive.stats.paintMaxMs : 0,
        paintMs: window.backpropDocLive ? window.backpropDocLive.stats.paintMs : 0}})""")
    seen = page.evaluate("([a, b]) => window.__live.read(a, b)", [start["t"], end["t"]])
    elapsed = (end["t"] - start["t"]) / 1000
    return {"seconds": elapsed, "steps_per_s": (end["i"] - start["i"]) / elapsed,
            "paints_per_s": (end["paints"] - start["paints"]) / elapsed,
            "raf_per_s": seen["frames"] / elapsed, "max_gap_ms": seen["gap"],
            "longest_task_ms": seen["long"], "long_tasks": seen["longCount"],
            "longest_paint_ms": end["paintMax"],
            "mean_paint_ms": (end["paintMs"] - start["paintMs"])
            / max(1, end["paints"] - start["paints"])}


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k in runs[0] if isinstance(runs[0][k], (int, float))]
    out: dict[str, Any] = {k: statistics.median(r[k] for r in runs) for k in keys}
    out["repeats"] = len(runs)
    out["worst_task_ms"] = max(r["longest_task_ms"] for r in runs)
    return out


def measure_live(new_context: Callable[[str], Any], site_url: str, site_dir: Path,
                 server: Any, *, plan: dict[str, Any] | None = None,
                 repeats: int = 3) -> dict[str, Any]:
    """Time the live view of the site served at ``site_url``; see the module text.

    ``new_context(profile_dir)`` opens a browser context that keeps its profile (and its
    HTTP cache) on disk in ``profile_dir``.
    """
    plan = plan or FULL
    path = _live_page(site_dir)
    if path is None:
        return {"status": "failed", "stage": "pages", "reason": "no page has the live view"}
    out: dict[str, Any] = {"status": "ok", "page": path, "plays": [],
                           "load_average": [round(os.getloadavg()[0], 2)],
                           "date": datetime.datetime.now(datetime.timezone.utc)
                           .isoformat(timespec="seconds")}
    stage = "the page at rest"
    profile = tempfile.TemporaryDirectory(prefix="bench-live-profile-")
    try:
        context = new_context(profile.name)
        try:
            context.add_init_script(WATCHER)
            page = context.new_page()
            page.set_viewport_size({"width": 1400, "height": 900})
            mark = len(server.served)
            page.goto(site_url.rstrip("/") + path, wait_until="load")
            loaded = page.evaluate(
                "() => performance.getEntriesByType('navigation')[0].loadEventEnd / 1000")
            out["rest_bytes"] = _since(server, mark)
            out["rest_load_s"] = float(loaded)
            page.evaluate(f"() => {VIEW}.scrollIntoView()")
            out["rest"] = _window(page, plan["rest_seconds"])
            stage = "the first Play, cold"
            mark = len(server.served)
            pressed = page.evaluate(f"() => {{ {VIEW}.querySelector('.bpd-live-play').click();"
                                    " return performance.now(); }")
            page.wait_for_function(f"{ITERATION} > 0", timeout=TIMEOUT_MS, polling=20)
            first = page.evaluate("() => performance.now()")
            out["cold_s"] = (first - pressed) / 1000
            out["cold_bytes"] = _since(server, mark)
            page.evaluate(f"() => {VIEW}.querySelector('.bpd-live-play').click()")
            page.wait_for_function(f"() => {VIEW}.dataset.playing === 'no' && "
                                   f"{VIEW}.dataset.explained !== undefined", timeout=TIMEOUT_MS)
            for data, speed in plan["plays"]:
                stage = f"playing {data} at {speed} steps a frame"
                runs = []
                for _ in range(repeats):
                    _restart(page, data)
                    page.select_option("#bpd-live-speed", str(speed))
                    page.evaluate(f"() => {VIEW}.querySelector('.bpd-live-play').click()")
                    page.wait_for_function(f"{ITERATION} > 0", timeout=TIMEOUT_MS)
                    runs.append(_window(page, plan["seconds"]))
                    page.evaluate(f"() => {VIEW}.querySelector('.bpd-live-play').click()")
                    page.wait_for_function(f"() => {VIEW}.dataset.playing === 'no' && "
                                           f"{VIEW}.dataset.explained !== undefined",
                                           timeout=TIMEOUT_MS)
                out["plays"].append({"data": data, "speed": speed, **_median(runs)})
        finally:
            context.close()
    except Exception as exc:  # a timeout, a crash: report, do not raise
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        return {**out, "status": "failed", "stage": stage,
                "reason": f"{type(exc).__name__}: {first_line}"}
    finally:
        profile.cleanup()
    out["load_average"].append(round(os.getloadavg()[0], 2))
    return out
