"""Item 5: the site's build time, and how long headless Chromium takes to draw its formulas.

:func:`measure_site` builds the site into a temporary folder, serves it on 127.0.0.1 and, on
the heaviest page (the most ``.arithmatex`` elements), times until every formula holds its
``mjx-container`` (the SVG the build drew: the browser typesets nothing), as a
``MutationObserver`` installed before any page script notes it (no polling blurs the time):

* cold: a fresh browser context loads the page, timed from the navigation's start;
* after instant navigation: from the click on a link on another page, Material swapping
  the page in place (a full load instead is checked for, and reported).

Nothing raises for a site that is not ready: the outcome has a ``status`` of ``"ok"``,
``"skipped"`` (no Chromium, no Playwright) or ``"failed"`` (with the stage and the reason).
"""

from __future__ import annotations

import html.parser
import subprocess
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from backprop_site.browser import (
    CHROMIUM_ARGS,
    chromium_executable,
    chromium_path,
    launch,
    serve,
)
from backprop_site.build import mkdocs_build
from benchmarks.timing import stats

__all__ = ["WATCHER", "count_formulas", "measure_live_only", "measure_site", "wait_drawn"]

TIMEOUT_S = 60.0

# Runs in every page before its own scripts. window.__bench.arm(path, count, t0) sets what
# "drawn" means: the page at `path`, with `count` .arithmatex elements, each holding an
# mjx-container; `done` is performance.now() at the first mutation after which that holds.
WATCHER = """
(() => {
  const state = window.__bench = {path: null, count: 0, t0: 0, done: null};
  function drawn() {
    if (state.path === null || location.pathname !== state.path) return false;
    const math = document.querySelectorAll(".arithmatex");
    if (math.length !== state.count) return false;
    for (const el of math) if (!el.querySelector("mjx-container")) return false;
    return true;
  }
  function check() {
    if (state.done === null && drawn()) state.done = performance.now();
  }
  new MutationObserver(check).observe(document, {childList: true, subtree: true});
  state.arm = (path, count, t0) => {
    state.path = path; state.count = count; state.t0 = t0; state.done = null; check();
  };
  state.progress = () => {
    const math = [...document.querySelectorAll(".arithmatex")];
    return [math.filter((el) => el.querySelector("mjx-container")).length, math.length,
            location.pathname];
  };
  %s
})();
"""


class _Counter(html.parser.HTMLParser):
    """Counts the elements whose class list has ``arithmatex``; collects link targets."""

    def __init__(self) -> None:
        super().__init__()
        self.formulas = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "arithmatex" in (attributes.get("class") or "").split():
            self.formulas += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")


def count_formulas(html_text: str) -> tuple[int, list[str]]:
    """The number of ``.arithmatex`` elements of a page, and its links' ``href``s."""
    counter = _Counter()
    counter.feed(html_text)
    return counter.formulas, counter.links


def _build(
    root: Path, site_dir: Path, site_url: str
) -> tuple[float, subprocess.CompletedProcess[str], dict[str, Any] | None]:
    """Seconds, the process, and the outcome of a failed build (None if it succeeded)."""
    start = time.perf_counter()
    result = mkdocs_build(root / "mkdocs.yml", site_dir, cwd=root, env={"SITE_URL": site_url},
                          options=("--quiet",), timeout=600)
    tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
    failed = None if result.returncode == 0 else {
        "status": "failed", "stage": "build",
        "reason": f"mkdocs build exited {result.returncode}: " + " | ".join(tail)}
    return time.perf_counter() - start, result, failed


def _pages(site_dir: Path) -> dict[str, tuple[int, list[str]]]:
    """URL path ('/derivation/net/') -> (formulas, links) for every HTML page of the site."""
    pages = {}
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        if relative == "404.html" or relative.startswith(("assets/", "search/")):
            continue
        url = "/" + relative.removesuffix("index.html")
        pages[url] = count_formulas(path.read_text(encoding="utf-8", errors="replace"))
    return pages


def _links_to(page_url: str, links: list[str], target: str) -> bool:
    from urllib.parse import urljoin, urlparse

    base = "http://h" + page_url
    return any(urlparse(urljoin(base, href)).path == target for href in links)


def wait_drawn(page: Any, timeout_s: float) -> float | None:
    """performance.now() - t0 once drawn, or None on timeout."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("() => window.__bench && window.__bench.done !== null",
                               timeout=timeout_s * 1000, polling=50)
    except PlaywrightTimeout:
        return None
    return float(page.evaluate("() => (window.__bench.done - window.__bench.t0) / 1000"))


def measure_site(root: Path, *, builds: int = 1, repeats: int = 3, warmup: int = 1,
                 timeout_s: float = TIMEOUT_S, run: bool = True,
                 live: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build, serve and time the site of the repository at ``root``; see the module text.

    With ``run``, the Run buttons too (:mod:`benchmarks.run_timing`); with a ``live`` plan,
    the training page's live view (:mod:`benchmarks.live_timing`)."""
    result: dict[str, Any] = {"status": "failed"}
    executable = chromium_executable()
    if not (root / "mkdocs.yml").is_file():
        return {"status": "failed", "stage": "build", "reason": f"no mkdocs.yml in {root}"}
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp, serve(Path(tmp)) as server:
        site_dir = Path(tmp)
        site_url = server.url
        times = []
        for _ in range(builds):
            elapsed, build, failed = _build(root, site_dir, site_url)
            if failed:
                return failed
            times.append(elapsed)
        warnings = sum("WARNING" in line for line in build.stderr.splitlines())
        result.update(build_s=stats(times), build_warnings=warnings)
        pages = _pages(site_dir)
        if not pages or max(f for f, _ in pages.values()) == 0:
            result.update(stage="pages", reason="no page of the built site has a formula "
                                                "(.arithmatex element)")
            return result
        heaviest = max(pages, key=lambda url: (pages[url][0], url))
        formulas = pages[heaviest][0]
        result.update(pages=len(pages), heaviest=heaviest, formulas=formulas)
        start_pages = [url for url in pages
                       if url != heaviest and _links_to(url, pages[url][1], heaviest)]
        start = "/" if "/" in start_pages else (start_pages[0] if start_pages else None)
        result["from_page"] = start
        if executable is None:
            return {**result, "status": "skipped",
                    "reason": f"no Chromium at {chromium_path()} (set $CHROMIUM to use another)"}
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            return {**result, "status": "skipped", "reason": "Playwright is not installed"}
        try:
            with sync_playwright() as pw:
                browser = launch(pw)
                try:
                    result["chromium"] = browser.version
                    result.update(_time_pages(browser, site_url, heaviest, formulas, start,
                                              repeats, timeout_s, warmup))
                    if run:
                        from benchmarks import run_timing

                        result["run"] = run_timing.measure_run(
                            _persistent(pw, executable), site_url, site_dir, server,
                            repeats=repeats, warmup=warmup)
                    if live is not None:
                        from benchmarks import live_timing

                        result["live"] = live_timing.measure_live(
                            _persistent(pw, executable), site_url, site_dir, server,
                            plan=live, repeats=repeats)
                finally:
                    browser.close()
        except Exception as exc:  # a broken browser install, a crash: report, do not raise
            first_line = str(exc).splitlines()[0] if str(exc) else ""
            return {**result, "status": "failed", "stage": "browser",
                    "reason": f"{type(exc).__name__}: {first_line}"}
    return result


def _persistent(pw: Any, executable: str | None) -> Callable[[str], Any]:
    """``new_context(profile_dir)``: a Chromium whose profile (and HTTP cache) is kept on disk
    in ``profile_dir``, launched with the project's flags."""
    return partial(pw.chromium.launch_persistent_context, executable_path=executable,
                   args=CHROMIUM_ARGS, headless=True)


def measure_live_only(root: Path, plan: dict[str, Any], repeats: int = 3) -> dict[str, Any]:
    """Build and serve the site once and time the live view alone (``run.py --live-only``)."""
    executable = chromium_executable()
    if executable is None:
        return {"status": "skipped", "reason": f"no Chromium at {chromium_path()}"}
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp, serve(Path(tmp)) as server:
        _, _, failed = _build(root, Path(tmp), server.url)
        if failed:
            return failed
        from playwright.sync_api import sync_playwright

        from benchmarks import live_timing

        with sync_playwright() as pw:
            return live_timing.measure_live(_persistent(pw, executable), server.url,
                                            Path(tmp), server, plan=plan, repeats=repeats)


def _time_pages(browser: Any, site_url: str, heaviest: str, formulas: int, start: str | None,
                repeats: int, timeout_s: float, warmup: int = 1) -> dict[str, Any]:
    out: dict[str, Any] = {"status": "ok"}
    target = site_url.rstrip("/") + heaviest
    # Cold: a fresh context per load, so nothing is cached; armed before the page's scripts.
    arm_cold = f"state.arm({heaviest!r}, {formulas}, 0);"
    cold: list[float] = []
    for attempt in range(warmup + repeats):  # a first load warms the server and the disk
        context = browser.new_context()
        try:
            context.add_init_script(WATCHER % arm_cold)
            page = context.new_page()
            page.goto(target, wait_until="commit")
            elapsed = wait_drawn(page, timeout_s)
            if elapsed is None:
                return {"status": "failed", "stage": "cold load",
                        "reason": _not_drawn(page, timeout_s)}
            if attempt >= warmup:
                cold.append(elapsed)
        finally:
            context.close()
    out["cold_s"] = stats(cold)
    if start is None:
        out.update(status="partial",
                   reason=f"no other page links to {heaviest}: instant navigation not timed")
        return out
    instant: list[float] = []
    full_reloads = 0
    context = browser.new_context()
    try:
        # Should a click load a whole page after all, the new document arms itself from
        # sessionStorage (timed from its own start) and the reload is counted below.
        context.add_init_script(WATCHER % (
            'const armed = sessionStorage.getItem("__benchArm");'
            ' if (armed) { sessionStorage.removeItem("__benchArm");'
            ' state.arm(...JSON.parse(armed), 0); }'))
        page = context.new_page()
        for attempt in range(warmup + repeats):
            start_count = _count_on(page, site_url.rstrip("/") + start, start, timeout_s)
            if start_count is None:
                return {**out, "status": "failed", "stage": "instant navigation",
                        "reason": f"the start page {start} was not drawn in {timeout_s:.0f} s"}
            clicked = page.evaluate(
                """([path, count]) => {
                    const link = [...document.querySelectorAll("a[href]")]
                        .find((a) => new URL(a.href).pathname === path);
                    if (!link) return false;
                    window.__benchSamePage = true;
                    sessionStorage.setItem("__benchArm", JSON.stringify([path, count]));
                    window.__bench.arm(path, count, performance.now());
                    link.click();
                    return true;
                }""",
                [heaviest, formulas],
            )
            if not clicked:
                return {**out, "status": "failed", "stage": "instant navigation",
                        "reason": f"no link to {heaviest} on {start} in the browser"}
            elapsed = wait_drawn(page, timeout_s)
            if elapsed is None:
                return {**out, "status": "failed", "stage": "instant navigation",
                        "reason": _not_drawn(page, timeout_s)}
            if not page.evaluate("() => window.__benchSamePage === true"):
                full_reloads += 1
            page.evaluate('() => sessionStorage.removeItem("__benchArm")')
            if attempt >= warmup:
                instant.append(elapsed)
    finally:
        context.close()
    out["instant_s"] = stats(instant)
    out["instant_full_reloads"] = full_reloads
    if full_reloads:
        out.update(status="partial",
                   reason=f"{full_reloads} of {warmup + repeats} clicks loaded a whole page: "
                          "instant navigation did not take them (is site_url the served one?)")
    return out


def _not_drawn(page: Any, timeout_s: float) -> str:
    drawn, total, path = page.evaluate("() => window.__bench.progress()")
    return f"after {timeout_s:.0f} s, {drawn} of {total} formulas of {path} were drawn"


def _count_on(page: Any, url: str, path: str, timeout_s: float) -> int | None:
    """Load ``url`` fully and wait until its formulas are drawn; return their number."""
    page.goto(url, wait_until="load")
    count = int(page.evaluate("() => document.querySelectorAll('.arithmatex').length"))
    if count == 0:
        return 0
    page.evaluate("([p, c]) => window.__bench.arm(p, c, 0)", [path, count])
    if wait_drawn(page, timeout_s) is None:
        return None
    return count
