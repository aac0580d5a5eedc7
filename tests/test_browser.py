"""Every page of the real site in headless Chromium, offline.

One browser for the session, one build (``built_site``), served on 127.0.0.1
(``served_site``). Each crawl below visits every page of sitemap.xml once and records what
it saw; the tests then check one concern each over every crawl:

* ``light``: direct loads in the default palette (formulas, ink, pixels, copy buttons, axe,
  full-page screenshots),
* ``dark``: direct loads with ``prefers-color-scheme: dark`` (palette "slate"),
* ``navigated``: clicks through the nav from the home page (instant navigation).

Every request to a host other than 127.0.0.1 is aborted and recorded by ``context.route``.
Full-page screenshots go to ``test-artifacts/screenshots/`` (gitignored).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from test_site_build import CHROMIUM_ARGS, chromium_path, decode_png, site_pages, tags_of

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1400, "height": 900}
CRAWLS = ["light", "dark", "navigated"]
PIXEL_SAMPLE = 3  # formulas per page whose element screenshot is checked for ink

pytestmark = pytest.mark.browser


@dataclass
class PageReport:
    path: str
    expected_formulas: int = 0
    typeset: int = 0
    tex_errors: list[str] = field(default_factory=list)
    inkless_svgs: list[int] = field(default_factory=list)
    pixel_checked: int = 0
    blank_pixels: list[str] = field(default_factory=list)
    scheme: str = ""
    copy_blocks: list[str] = field(default_factory=list)
    clipboard: str | None = None
    clipboard_source: str | None = None
    serious_violations: list[str] = field(default_factory=list)
    screenshot: Path | None = None


@dataclass
class Crawl:
    pages: dict[str, PageReport] = field(default_factory=dict)
    left_site: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    same_document: bool | None = None


# Module scope, not session: Playwright's sync API allows one running instance per thread,
# and test_site_build.py and test_figures.py start their own (module-scoped) after this one.
@pytest.fixture(scope="module")
def site_browser() -> Iterator[Any]:
    """One headless Chromium for all the tests of this module."""
    executable = chromium_path()  # fails under CI=true, skips elsewhere
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nfull-page screenshots: {SCREENSHOTS}")
    return SCREENSHOTS


def guarded_page(browser: Any, site: str, crawl: Crawl, scheme: str) -> tuple[Any, Any]:
    """A context whose requests to other hosts are aborted and recorded, and its page."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1,
                                  color_scheme=scheme)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))

    def route(route: Any, request: Any) -> None:
        if urlparse(request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            crawl.left_site.append(request.url)
            route.abort()

    context.route("**/*", route)
    context.on("response", lambda r: crawl.failed.append(f"{r.status} {r.url}")
               if r.status >= 400 else None)
    page = context.new_page()
    page.on("console", lambda m: crawl.errors.append(f"{page.url}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: crawl.errors.append(f"{page.url}: {e}"))
    return context, page


def expected_formulas(built_site: Path, path: str) -> int:
    """``.arithmatex`` elements in the page's built HTML."""
    return sum("arithmatex" in attrs.get("class", "").split()
               for _, attrs in tags_of(built_site / path / "index.html"))


FORMULAS_JS = r"""() => {
  const containers = [...document.querySelectorAll(".arithmatex mjx-container")];
  const errors = [...document.querySelectorAll(
      "mjx-merror, [data-mjx-error], [data-mml-node=merror]")]
    .map(e => (e.closest(".arithmatex") || e).textContent.slice(0, 80));
  const inkless = [];
  containers.forEach((c, k) => {
    const svg = c.querySelector(":scope > svg");
    if (!svg) { inkless.push(k); return; }
    const paths = [...svg.querySelectorAll("path")];
    const drawn = paths.filter(p => (p.getAttribute("d") || "").trim() !== "").length;
    const uses = [...svg.querySelectorAll("use")];
    // Spaces (U+20, U+A0) and invisible operators are defined with an empty path.
    const dangling = uses.filter(u => {
      const ref = u.getAttribute("href") || u.getAttribute("xlink:href") || "";
      const target = ref.startsWith("#") ? document.getElementById(ref.slice(1)) : null;
      if (!target) return true;
      const invisible = /^(20|A0|2061|2062|2063|2064|200B)$/.test(u.getAttribute("data-c") || "");
      return !invisible && (target.getAttribute("d") || "").trim() === "";
    }).length;
    if (drawn === 0 || dangling > 0) inkless.push(k);
  });
  const visible = containers.map((c, k) => {
    const r = c.getBoundingClientRect();
    const shown = c.getClientRects().length > 0 && r.width > 0 && r.height > 0
      && r.top >= 0 && r.bottom <= innerHeight;
    return shown ? k : -1;
  }).filter(k => k >= 0);
  return {typeset: containers.length, errors, inkless, visible,
          scheme: document.body.dataset.mdColorScheme || ""};
}"""


def wait_for_formulas(page: Any, expected: int) -> None:
    """Wait until MathJax is idle and has typeset ``expected`` formulas (or 10 s passed)."""
    try:
        page.wait_for_function("() => window.MathJax?.startup?.promise", timeout=10_000)
        page.evaluate("() => MathJax.startup.promise.then(() => 0)")
        page.wait_for_function(
            "n => document.querySelectorAll('.arithmatex mjx-container').length >= n",
            arg=expected, timeout=10_000)
    except Exception:  # playwright's TimeoutError: the report says what is missing
        pass


def pixels(png: bytes) -> tuple[tuple[int, int, int], list[tuple[int, int, int]]]:
    """The background (most common colour) of a screenshot and its pixels unlike it."""
    _, _, rows = decode_png(png)
    colours = [(row[i], row[i + 1], row[i + 2]) for row in rows for i in range(0, len(row), 3)]
    background = Counter(colours).most_common(1)[0][0]
    unlike = [c for c in colours if sum(abs(c[k] - background[k]) for k in range(3)) > 60]
    return background, unlike


def luminance(colour: tuple[int, int, int]) -> float:
    return 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]


def check_formulas(page: Any, report: PageReport, dark: bool) -> None:
    wait_for_formulas(page, report.expected_formulas)
    found = page.evaluate(FORMULAS_JS)
    report.typeset, report.tex_errors = found["typeset"], found["errors"]
    report.inkless_svgs, report.scheme = found["inkless"], found["scheme"]
    containers = page.locator(".arithmatex mjx-container")
    for k in found["visible"][:PIXEL_SAMPLE]:
        background, ink = pixels(containers.nth(k).screenshot(timeout=10_000))
        report.pixel_checked += 1
        if len(ink) < 5:
            report.blank_pixels.append(f"formula {k}: {len(ink)} ink pixels")
        elif dark and luminance(background) > 100:
            report.blank_pixels.append(f"formula {k}: light background {background}")
        elif dark and sum(map(luminance, ink)) / len(ink) <= luminance(background):
            report.blank_pixels.append(f"formula {k}: dark ink on the dark background")


def slug(path: str) -> str:
    return path.strip("/").replace("/", "-") or "index"


PYCON_JS = """() => [...document.querySelectorAll("div.language-pycon code")]
  .map(c => c.getAttribute("data-copy"))"""


def copy_first_visible_pycon(page: Any, report: PageReport) -> None:
    """Click the copy button of the first visible doctest block; record clipboard and text."""
    blocks = page.locator("div.language-pycon:visible")
    if blocks.count() == 0:
        return
    block = blocks.first
    block.scroll_into_view_if_needed()
    block.hover()
    page.evaluate("() => navigator.clipboard.writeText('')")
    block.locator("button.md-code__button[data-md-type=copy]").click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t !== '')",
                           timeout=5_000)
    report.clipboard = page.evaluate("() => navigator.clipboard.readText()")
    report.clipboard_source = block.locator("code").text_content()


def crawl_directly(browser: Any, built_site: Path, site: str, scheme: str,
                   shots: Path) -> Crawl:
    crawl = Crawl()
    context, page = guarded_page(browser, site, crawl, scheme)
    try:
        from axe_playwright_python.sync_playwright import Axe

        axe = Axe()
        for path in site_pages(built_site):
            report = PageReport(path, expected_formulas(built_site, path))
            crawl.pages[path] = report
            page.goto(site + path)
            check_formulas(page, report, dark=scheme == "dark")
            report.screenshot = shots / f"{slug(path)}-{scheme}.jpeg"
            page.screenshot(path=str(report.screenshot), full_page=True, type="jpeg", quality=70)
            if scheme == "light":
                report.copy_blocks = page.evaluate(PYCON_JS)
                copy_first_visible_pycon(page, report)
                results = axe.run(page).response
                report.serious_violations = [
                    f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
                    for v in results["violations"] if v["impact"] in ("serious", "critical")
                ]
    finally:
        context.close()
    return crawl


def crawl_by_navigation(browser: Any, built_site: Path, site: str) -> Crawl:
    crawl = Crawl()
    context, page = guarded_page(browser, site, crawl, "light")
    try:
        paths = site_pages(built_site)
        page.goto(site + paths[0])
        page.evaluate("() => { window.__same_document = true }")
        for path in paths[1:]:
            report = PageReport(path, expected_formulas(built_site, path))
            crawl.pages[path] = report
            page.click(f"nav.md-nav--primary a[href='{site}{path}']")
            page.wait_for_function("url => location.href === url", arg=site + path)
            page.evaluate("() => window.scrollTo(0, 0)")
            check_formulas(page, report, dark=False)
        crawl.same_document = page.evaluate("() => window.__same_document === true")
    finally:
        context.close()
    return crawl


@pytest.fixture(scope="module")
def crawls(site_browser: Any, built_site: Path, served_site: str,
           screenshot_dir: Path) -> dict[str, Crawl]:
    return {
        "light": crawl_directly(site_browser, built_site, served_site, "light", screenshot_dir),
        "dark": crawl_directly(site_browser, built_site, served_site, "dark", screenshot_dir),
        "navigated": crawl_by_navigation(site_browser, built_site, served_site),
    }


def test_the_crawls_cover_every_page(crawls: dict[str, Crawl], built_site: Path) -> None:
    paths = site_pages(built_site)
    assert len(paths) >= 13, paths
    assert list(crawls["light"].pages) == paths
    assert list(crawls["dark"].pages) == paths
    assert list(crawls["navigated"].pages) == paths[1:]


@pytest.mark.parametrize("name", CRAWLS)
def test_every_formula_is_typeset(crawls: dict[str, Crawl], name: str) -> None:
    problems = {
        path: f"{r.typeset} of {r.expected_formulas} typeset, TeX errors {r.tex_errors}"
        for path, r in crawls[name].pages.items()
        if r.typeset != r.expected_formulas or r.tex_errors
    }
    assert not problems, f"{name}: {problems}"
    assert sum(r.expected_formulas for r in crawls[name].pages.values()) > 0


@pytest.mark.parametrize("name", CRAWLS)
def test_every_formula_is_drawn(crawls: dict[str, Crawl], name: str) -> None:
    """Every SVG has glyph paths; the visible formulas' screenshots have ink."""
    inkless = {p: r.inkless_svgs for p, r in crawls[name].pages.items() if r.inkless_svgs}
    assert not inkless, f"{name}: formulas without glyph paths: {inkless}"
    blank = {p: r.blank_pixels for p, r in crawls[name].pages.items() if r.blank_pixels}
    assert not blank, f"{name}: blank formulas in screenshots: {blank}"
    assert sum(r.pixel_checked for r in crawls[name].pages.values()) > 0


@pytest.mark.parametrize("name", CRAWLS)
def test_nothing_leaves_the_host_and_nothing_fails(crawls: dict[str, Crawl], name: str) -> None:
    crawl = crawls[name]
    assert not crawl.left_site, f"{name}: requests to other hosts: {crawl.left_site}"
    assert not crawl.failed, f"{name}: responses >= 400: {crawl.failed}"
    assert not crawl.errors, f"{name}: console errors or page errors: {crawl.errors}"


def test_navigation_is_instant(crawls: dict[str, Crawl]) -> None:
    assert crawls["navigated"].same_document is True, "a nav click reloaded the page"


def test_palettes(crawls: dict[str, Crawl]) -> None:
    for name, scheme in (("light", "default"), ("dark", "slate")):
        wrong = {p: r.scheme for p, r in crawls[name].pages.items() if r.scheme != scheme}
        assert not wrong, f"{name}: body[data-md-color-scheme] is not {scheme}: {wrong}"


def paste_ready(text: str) -> str:
    """The code lines of a doctest's text, prompts and doctest directives removed."""
    lines = []
    for line in text.split("\n"):
        if line.startswith((">>>", "...")):
            code = line[4:] if len(line) > 3 else ""
            lines.append(code.split("# doctest:")[0].rstrip() if "# doctest:" in code else code)
    return "\n".join(lines)


def test_doctest_copy_button_copies_paste_ready_code(crawls: dict[str, Crawl]) -> None:
    clicked = {p: r for p, r in crawls["light"].pages.items() if r.clipboard is not None}
    assert len(clicked) >= 3, "too few pages with a visible doctest block"
    for path, report in clicked.items():
        copied = report.clipboard or ""
        assert copied.strip(), f"{path}: empty clipboard"
        assert copied == report.copy_blocks[0] or copied in report.copy_blocks, path
        assert not [line for line in copied.split("\n") if line.startswith((">>>", "..."))]
        assert copied == paste_ready(report.clipboard_source or ""), (
            f"{path}: the clipboard is not the block's code lines:\n{copied}")


def test_every_pages_doctest_code_runs(crawls: dict[str, Crawl], tmp_path: Path) -> None:
    """Each page's copied code, all its doctest blocks in order, runs in a fresh python."""
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"}
    runs = {}
    for path, report in crawls["light"].pages.items():
        # The API reference's examples are docstrings: doctest runs them in their module's
        # namespace (network_svg() without an import), so they are not standalone scripts.
        if not report.copy_blocks or path == "reference/":
            continue
        assert all(report.copy_blocks), f"{path}: a doctest block has no data-copy"
        script = tmp_path / f"{slug(path)}.py"
        script.write_text("\n".join(report.copy_blocks) + "\n", encoding="utf-8")
        runs[path] = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True)
    assert len(runs) >= 3
    failed = {}
    for path, run in runs.items():
        _, stderr = run.communicate(timeout=60)
        if run.returncode != 0:
            failed[path] = stderr[-1500:]
    assert not failed, f"copied doctest code fails: {failed}"


# Real serious violations axe-core finds on every page, all from Material's theme or its
# Pygments colours, not from this site's markup: grey output (.go), comments (.c1) and
# operator words (.ow) in code blocks, the footer's .md-copyright and the copy dialog are
# below 4.5:1 contrast; the search overlay (.md-search) is a dialog without a name; links in
# text are told apart by colour only. They are tracked by the xfail test below, which starts
# failing (strict) once they are fixed; any other serious rule fails the test before it.
KNOWN_THEME_VIOLATIONS = {"color-contrast", "aria-dialog-name", "link-in-text-block"}


def test_no_new_serious_accessibility_violation(crawls: dict[str, Crawl]) -> None:
    found = {p: [v for v in r.serious_violations
                 if v.split(" ", 1)[0] not in KNOWN_THEME_VIOLATIONS]
             for p, r in crawls["light"].pages.items()}
    found = {p: v for p, v in found.items() if v}
    assert not found, f"axe-core serious/critical violations: {found}"


@pytest.mark.xfail(strict=True, reason="known contrast/dialog/link violations of the theme")
def test_no_serious_accessibility_violation(crawls: dict[str, Crawl]) -> None:
    found = {p: r.serious_violations for p, r in crawls["light"].pages.items()
             if r.serious_violations}
    assert not found, f"axe-core serious/critical violations: {found}"


def test_full_page_screenshots_are_written(crawls: dict[str, Crawl]) -> None:
    for name in ("light", "dark"):
        for path, report in crawls[name].pages.items():
            assert report.screenshot is not None and report.screenshot.stat().st_size > 1000, (
                f"{name} {path}")


@pytest.mark.parametrize(("query", "target"), [
    ("sigmoid", "derivation/formulas/"),
    ("hidden target", "derivation/hidden-layer/"),
])
def test_search_finds(site_browser: Any, served_site: str, query: str, target: str) -> None:
    crawl = Crawl()
    context, page = guarded_page(site_browser, served_site, crawl, "light")
    try:
        page.goto(served_site)
        page.click(".md-search__input")
        page.keyboard.type(query)
        page.wait_for_selector("a.md-search-result__link", timeout=10_000)
        hrefs: list[str] = page.eval_on_selector_all(
            "a.md-search-result__link", "links => links.map(a => a.href)")
    finally:
        context.close()
    assert any(urlparse(h).path.lstrip("/") == target for h in hrefs), (
        f"{query!r}: no result on {target}: {hrefs}")
    assert not crawl.left_site and not crawl.errors and not crawl.failed
