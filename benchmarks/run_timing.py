"""Item 6: the Run buttons, side by side with a plain page load, in headless Chromium.

Called by :func:`benchmarks.site_timing.measure_site` with its browser and its server, which
notes every file it sends whole (the bytes are counted where they leave). On the page with
the most doctest blocks, in a fresh browser profile kept on disk:

* **plain page load**: to the ``load`` event, never pressing Run, and the bytes sent;
* **first Run, cold**: from the press on the first block that prints to its result
  (run.js's ``backprop-doc:result`` mark); the bytes sent after the press (Pyodide, NumPy,
  the package), and their gzip size (level 6) as a compressing host would send them;
* **first Run, warm**: the same in a new tab of that profile (its HTTP cache on disk);
* **Check this page**: with Python loaded, every page with doctest blocks, reached by
  instant navigation, from the press to run.js's ``backprop-doc:checked`` mark.

Nothing raises: the outcome has a ``status`` (``ok``, or ``failed`` with the stage and the
reason).
"""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from benchmarks.timing import stats

__all__ = ["measure_run"]

TIMEOUT_MS = 180_000  # loading Python on a busy two-core machine

# Presses Run on the first block that prints something; notes the press in the page's time.
PRESS_RUN = """() => {
  const blocks = [...document.querySelectorAll("div.language-pycon")];
  const index = blocks.findIndex((b) => b.querySelector("code .go"));
  if (index < 0) return -1;
  performance.clearMarks("backprop-doc:result");
  window.__benchPressed = performance.now();
  document.querySelectorAll(".run-bar")[index].querySelector(".run-run").click();
  return index;
}"""
RESULT = """i => { const s = document.querySelectorAll(".run-output")[i]
                     .querySelector(".run-status");
                   return s.textContent && !/run-(loading|running)/.test(s.className); }"""
MARK = """name => {
  const mark = performance.getEntriesByName(name).at(-1);
  return mark ? (mark.startTime - window.__benchPressed) / 1000 : null;
}"""
PRESS_CHECK = """() => {
  performance.clearMarks("backprop-doc:checked");
  window.__benchPressed = performance.now();
  document.querySelector(".run-check").click();
}"""


def _gzip_size(site_dir: Path, url_path: str) -> int:
    path = site_dir / unquote(urlparse(url_path).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    try:
        return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))
    except OSError:
        return 0


def _since(server: Any, mark: int, site_dir: Path) -> dict[str, int]:
    sent = server.served[mark:]
    return {"files": len(sent), "bytes": sum(n for _, n in sent),
            "gzip_bytes": sum(_gzip_size(site_dir, p) for p, _ in sent),
            "paths": [p for p, _ in sent]}


def _pycon_pages(site_dir: Path) -> dict[str, int]:
    """URL path -> number of doctest blocks, for every page that has one."""
    pages = {}
    for path in sorted(site_dir.rglob("index.html")):
        relative = path.relative_to(site_dir).as_posix()
        if relative.startswith(("assets/", "search/")):
            continue
        blocks = path.read_text(encoding="utf-8").count('class="language-pycon')
        if blocks:
            pages["/" + relative.removesuffix("index.html")] = blocks
    return pages


def _load_plain(page: Any, url: str) -> float:
    page.goto(url, wait_until="load")
    return float(page.evaluate(
        "() => performance.getEntriesByType('navigation')[0].loadEventEnd / 1000"))


def _first_result(page: Any) -> tuple[float, str]:
    index = page.evaluate(PRESS_RUN)
    if index < 0:
        raise RuntimeError("the page has no block that prints")
    page.wait_for_function(RESULT, arg=index, timeout=TIMEOUT_MS, polling=50)
    seconds = page.evaluate(MARK, "backprop-doc:result")
    status = page.evaluate("i => document.querySelectorAll('.run-output')[i]"
                           ".querySelector('.run-status').textContent", index)
    if seconds is None:
        raise RuntimeError(f"the run gave no result: {status}")
    return float(seconds), str(status)


def measure_run(new_context: Callable[[str], Any], site_url: str, site_dir: Path,
                server: Any, *, repeats: int = 3, warmup: int = 1) -> dict[str, Any]:
    """Time the Run buttons on the site served at ``site_url``; see the module text.

    ``new_context(profile_dir)`` opens a browser context that keeps its profile, and so its
    HTTP cache, on disk in ``profile_dir``, as a reader's browser does (a context of a
    launched browser keeps its cache in memory, and no file of Pyodide's 10 MB there).
    """
    pages = _pycon_pages(site_dir)
    if not pages:
        return {"status": "failed", "stage": "pages", "reason": "no page has a doctest block"}
    page_path = max(pages, key=lambda p: (pages[p], p))
    url = site_url.rstrip("/") + page_path
    out: dict[str, Any] = {"status": "ok", "page": page_path, "blocks": pages[page_path]}
    plain: list[float] = []
    cold: list[float] = []
    warm: list[float] = []
    stage = "plain page load"
    try:
        for attempt in range(warmup + repeats):  # a first round warms the server and disk
            profile = tempfile.TemporaryDirectory(prefix="bench-run-profile-")
            context = new_context(profile.name)
            try:
                page = context.new_page()
                mark = len(server.served)
                stage = "plain page load"
                loaded = _load_plain(page, url)
                plain_bytes = _since(server, mark, site_dir)
                stage = "first Run, cold"
                mark = len(server.served)
                seconds, status = _first_result(page)
                cold_bytes = _since(server, mark, site_dir)
                stage = "first Run, warm"
                again = context.new_page()
                _load_plain(again, url)
                page.close()
                mark = len(server.served)
                warm_s, _ = _first_result(again)
                warm_bytes = _since(server, mark, site_dir)
                if attempt >= warmup:
                    plain.append(loaded)
                    cold.append(seconds)
                    warm.append(warm_s)
                if attempt == warmup + repeats - 1:
                    stage = "Check this page"
                    out["checks"] = _check_pages(again, site_url, pages, page_path)
            finally:
                context.close()
                profile.cleanup()
    except Exception as exc:  # a timeout, a crash: report, do not raise
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        return {**out, "status": "failed", "stage": stage,
                "reason": f"{type(exc).__name__}: {first_line}"}
    out.update(plain_s=stats(plain), plain_bytes=plain_bytes, cold_s=stats(cold),
               cold_bytes=cold_bytes, cold_status=status, warm_s=stats(warm),
               warm_bytes=warm_bytes)
    failed = [c for c in out["checks"] if c["result"] != "pass"]
    if failed:
        out.update(status="partial", reason="Check this page did not pass on "
                   + ", ".join(c["page"] for c in failed))
    return out


def _check_pages(page: Any, site_url: str, pages: dict[str, int],
                 loaded: str) -> list[dict[str, Any]]:
    """Check every page, reaching each by instant navigation (Python stays loaded)."""
    checks = []
    for path in [loaded, *(p for p in pages if p != loaded)]:
        if path != loaded:
            page.evaluate("""path => {
                window.__benchSamePage = true;
                const link = [...document.querySelectorAll("nav.md-nav--primary a[href]")]
                    .find((a) => new URL(a.href).pathname === path);
                if (link) link.click(); else location.href = path;
            }""", path)
            page.wait_for_function(
                """path => location.pathname === path && document.querySelector(".run-check")
                   && !document.querySelector(".run-check-box").dataset.runResult""",
                arg=path, timeout=TIMEOUT_MS)
        instant = page.evaluate("() => window.__benchSamePage === true")
        page.evaluate(PRESS_CHECK)
        page.wait_for_function(
            "() => document.querySelector('.run-check-box').dataset.runResult",
            timeout=TIMEOUT_MS, polling=50)
        seconds = page.evaluate(MARK, "backprop-doc:checked")
        summary = page.locator(".run-check-box .run-status").inner_text()
        result = page.evaluate(
            "() => document.querySelector('.run-check-box').dataset.runResult")
        checks.append({"page": path, "blocks": pages[path], "seconds": seconds,
                       "result": result, "summary": summary,
                       "instant": path == loaded or instant})
    return checks
