"""Every page of the real site in headless Chromium, offline.

One build (``built_site``), served on 127.0.0.1 (``served_site``). Each crawl below visits
every page of sitemap.xml once and records what it saw; the tests then check one concern
each over every crawl:

* ``direct``: every page loaded by URL with ``prefers-color-scheme: dark`` (palette
  "slate"): formulas typeset, glyphs drawn and lighter than the background, copy buttons,
  full-page screenshots; then the search box, and every page's copied code run in Python;
* ``navigated``: in the default (light) palette, the home page loaded by URL and every other
  page reached by a click in the nav (instant navigation), then back one page in the history:
  formulas typeset and drawn, axe-core, first-screen screenshots;
* ``nojs-light`` and ``nojs-dark``: every page loaded by URL with JavaScript disabled, as a
  reader mode or an e-reader shows it: every formula there and drawn (backprop_site/typeset.py
  draws them when the site is built), full-page screenshots. Without JavaScript Material
  cannot switch its palette, so the dark crawl sets ``data-md-color-scheme="slate"`` from
  the test (a page's own scripts stay off): the formulas' ink must follow it.

So every page is checked in both palettes, on a direct load, after instant navigation and
with JavaScript off. No page loads a TeX typesetting script (MathJax is not in the site).
axe-core (0.2 to 7 s a page, most of it its color-contrast rule) runs once a page, in the
default palette. The two crawls run at once: the navigated one in the session's browser
(``session_browser``), the direct one in a thread with a Chromium of its own. On two cores
the suite is bound by the CPU (60 to 85 CPU-seconds in 35 to 50 s), so what makes it faster is
less work, not more threads.

Every request to a host other than 127.0.0.1 is aborted and recorded by ``context.route``.
Full-page screenshots go to ``test-artifacts/screenshots/`` (gitignored).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from backprop_site.browser import launched
from backprop_site.paste import GUARD_START, paste_text
from helpers import (
    LAY_OUT_ALL,
    VIEWPORT,
    Crawl,
    PageReport,
    decode_png,
    guarded_page,
    serious_violations,
    site_pages,
    swap_content,
    tags_of,
)

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CRAWLS = ["direct", "navigated", "nojs-light", "nojs-dark"]
#: A script that typesets TeX in the browser, by its URL: none of the site's pages loads one.
TEX_SCRIPT = re.compile(r"mathjax|katex|tex-(svg|chtml|mml)", re.I)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nfull-page screenshots: {SCREENSHOTS}")
    return SCREENSHOTS


def expected_formulas(built_site: Path, path: str) -> int:
    """``.arithmatex`` elements in the page's built HTML."""
    return sum("arithmatex" in attrs.get("class", "").split()
               for _, attrs in tags_of(built_site / path / "index.html"))


FORMULAS_JS = r"""scope => {
  // scope: a CSS selector for the part of the page to check (an opened solution), or null.
  const root = scope ? document.querySelector(scope) : document;
  const containers = [...root.querySelectorAll(".arithmatex mjx-container")];
  const errors = [...root.querySelectorAll(
      "mjx-merror, [data-mjx-error], [data-mml-node=merror]")]
    .map(e => (e.closest(".arithmatex") || e).textContent.slice(0, 80));
  const inkless = [];
  const unsized = [];
  containers.forEach((c, k) => {
    const svg = c.querySelector(":scope > svg");
    if (!svg) { inkless.push(k); return; }
    const box = svg.getBoundingClientRect();
    if (!(box.width > 0 && box.height > 0)) unsized.push(k);
    // Glyph outlines are defined once per page and drawn with <use>; rules (fraction bars)
    // are <rect>s or paths of the formula's own.
    const own = [...svg.querySelectorAll("path")]
      .filter(p => (p.getAttribute("d") || "").trim() !== "").length;
    const uses = [...svg.querySelectorAll("use")];
    const target = u => {
      const ref = u.getAttribute("href") || u.getAttribute("xlink:href") || "";
      return ref.startsWith("#") ? document.getElementById(ref.slice(1)) : null;
    };
    const inked = uses.filter(u => (target(u)?.getAttribute("d") || "").trim() !== "").length;
    // Spaces (U+20, U+A0) and invisible operators are defined with an empty path.
    const dangling = uses.filter(u => {
      const t = target(u);
      if (!t) return true;
      const invisible = /^(20|A0|2061|2062|2063|2064|200B)$/.test(u.getAttribute("data-c") || "");
      return !invisible && (t.getAttribute("d") || "").trim() === "";
    }).length;
    if (own + inked === 0 || dangling > 0) inkless.push(k);
  });
  // The first formula in the viewport of each kind (inline, display): the box to screenshot,
  // in CSS pixels of the viewport, rounded outwards.
  const visible = [];
  const kinds = new Set();
  containers.forEach((c, k) => {
    const r = c.getBoundingClientRect();
    const shown = c.getClientRects().length > 0 && r.width > 0 && r.height > 0
      && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
    const kind = c.getAttribute("display") === "true" ? "display" : "inline";
    if (shown && !kinds.has(kind)) {
      kinds.add(kind);
      const x = Math.floor(r.left), y = Math.floor(r.top);
      visible.push({k, x, y, width: Math.ceil(r.right) - x, height: Math.ceil(r.bottom) - y});
    }
  });
  return {typeset: containers.length, errors, inkless, unsized, visible,
          scheme: document.body.dataset.mdColorScheme || ""};
}"""


def pixels(png: bytes) -> tuple[tuple[int, int, int], list[tuple[int, int, int]]]:
    """The background (most common colour) of a screenshot and its pixels unlike it."""
    _, _, rows = decode_png(png)
    colours = [(row[i], row[i + 1], row[i + 2]) for row in rows for i in range(0, len(row), 3)]
    background = Counter(colours).most_common(1)[0][0]
    unlike = [c for c in colours if sum(abs(c[k] - background[k]) for k in range(3)) > 60]
    return background, unlike


def luminance(colour: tuple[int, int, int]) -> float:
    return 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]


def check_formulas(page: Any, report: PageReport, dark: bool, scope: str | None = None) -> None:
    """Drawn, glyphs defined, and visible formulas with ink: in the page, or in ``scope`` (a
    CSS selector) only. The formulas were drawn when the site was built, so there is nothing
    to wait for (no typesetting in the browser)."""
    page.evaluate(LAY_OUT_ALL, True)  # measured boxes are where the formulas are drawn
    try:
        check_drawn(page, report, dark, page.evaluate(FORMULAS_JS, scope))
    finally:
        page.evaluate(LAY_OUT_ALL, False)


def check_drawn(page: Any, report: PageReport, dark: bool, found: dict[str, Any]) -> None:
    """Record what FORMULAS_JS found, and look for ink in the visible formulas' boxes."""
    report.typeset, report.tex_errors = found["typeset"], found["errors"]
    report.inkless_svgs, report.scheme = found["inkless"], found["scheme"]
    report.unsized = found["unsized"]
    for box in found["visible"]:
        # The formula's box in a screenshot of the viewport (an element screenshot of it,
        # without the element screenshot's scrolling and waiting: the box is in view).
        k = box.pop("k")
        background, ink = pixels(page.screenshot(clip=box, timeout=10_000))
        report.pixel_checked += 1
        if len(ink) < 5:
            report.blank_pixels.append(f"formula {k}: {len(ink)} ink pixels")
        elif dark and luminance(background) > 100:
            report.blank_pixels.append(f"formula {k}: light background {background}")
        elif dark and sum(map(luminance, ink)) / len(ink) <= luminance(background):
            report.blank_pixels.append(f"formula {k}: dark ink on the dark background")


def test_the_ink_check_sees_blank_and_ink(session_browser: Any) -> None:
    """What check_formulas counts: a blank box has no ink, a drawn glyph has."""
    page = session_browser.new_page()
    try:
        page.set_content('<div id="blank" style="width:40px;height:20px;background:#fff"></div>'
                         '<div id="ink" style="width:40px;height:20px;background:#fff;'
                         'color:#000">x</div>')
        _, blank = pixels(page.locator("#blank").screenshot())
        background, ink = pixels(page.locator("#ink").screenshot())
    finally:
        page.close()
    assert blank == []
    assert len(ink) >= 5 and background == (255, 255, 255)


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


# The pages lay out off-screen blocks only when scrolled to (content-visibility: auto,
# docs/stylesheets/extra.css). What reads the whole layout at once (axe-core, a full-page
# screenshot) sees every block as it is once on screen: laid out, for the time it reads.
def screenshot(page: Any, report: PageReport, name: str, shots: Path, full_page: bool) -> None:
    """A screenshot of the viewport, or of the whole page with every block laid out (the
    pages lay out off-screen blocks only when scrolled to, and a full-page screenshot does
    not scroll)."""
    report.screenshot = shots / f"{slug(report.path)}-{name}.jpeg"
    page.evaluate(LAY_OUT_ALL, full_page)
    try:
        report.page_height = page.evaluate("() => document.documentElement.scrollHeight")
        page.screenshot(path=str(report.screenshot), full_page=full_page, type="jpeg",
                        quality=70)
    finally:
        page.evaluate(LAY_OUT_ALL, False)


SEARCHES = {"sigmoid": "derivation/formulas/", "hidden target": "derivation/hidden-layer/"}


def search(page: Any, query: str) -> list[str]:
    """Type ``query`` into the page's search box; the links of the results."""
    page.click(".md-search__input")
    page.fill(".md-search__input", "")
    page.wait_for_function("() => !document.querySelector('a.md-search-result__link')")
    page.keyboard.type(query)
    page.wait_for_selector("a.md-search-result__link", timeout=10_000)
    links: list[str] = page.eval_on_selector_all(
        "a.md-search-result__link", "links => links.map(a => a.href)")
    return links


def crawl_directly(browser: Any, built_site: Path, site: str, shots: Path) -> Crawl:
    """Every page loaded by URL in the dark palette: formulas, full-page screenshot, copy;
    then the search box of the last page."""
    crawl = Crawl()
    context, page = guarded_page(browser, site, crawl, "dark")
    try:
        for path in site_pages(built_site):
            report = PageReport(path, expected_formulas(built_site, path))
            crawl.pages[path] = report
            page.goto(site + path)
            check_formulas(page, report, dark=True)
            crawl.scripts[path] = page.evaluate(SCRIPTS_JS)
            crawl.run_controls[path] = page.evaluate(RUN_CONTROLS_JS)
            screenshot(page, report, "dark", shots, full_page=True)
            report.copy_blocks = page.evaluate(PYCON_JS)
            copy_first_visible_pycon(page, report)
        crawl.searches = {query: search(page, query) for query in SEARCHES}
    finally:
        context.close()
    return crawl


SCRIPTS_JS = "() => [...document.querySelectorAll('script[src]')].map(s => s.src)"
RUN_CONTROLS_JS = "() => document.querySelectorAll('.run-bar, .run-check').length"


def crawl_without_javascript(browser: Any, built_site: Path, site: str, shots: Path,
                             dark: bool) -> Crawl:
    """Every page loaded by URL with JavaScript off: formulas, full-page screenshot."""
    crawl = Crawl()
    name = "nojs-dark" if dark else "nojs-light"
    context, page = guarded_page(browser, site, crawl, "dark" if dark else "light",
                                 javascript=False)
    try:
        for path in site_pages(built_site):
            report = PageReport(path, expected_formulas(built_site, path))
            crawl.pages[path] = report
            page.goto(site + path)
            if dark:  # the page's scripts are off; the test's evaluate still runs
                page.evaluate("() => document.body.setAttribute('data-md-color-scheme', "
                              "'slate')")
            check_formulas(page, report, dark=dark)
            crawl.scripts[path] = page.evaluate(SCRIPTS_JS)
            crawl.run_controls[path] = page.evaluate(RUN_CONTROLS_JS)
            screenshot(page, report, name, shots, full_page=True)
    finally:
        context.close()
    return crawl


def crawl_by_navigation(browser: Any, built_site: Path, site: str, shots: Path) -> Crawl:
    """The home page loaded by URL, the others by nav clicks, in the light palette: formulas,
    axe-core, first-screen screenshot."""
    crawl = Crawl()
    context, page = guarded_page(browser, site, crawl, "light")
    try:
        home, *others = site_pages(built_site)
        page.goto(site + home)
        page.evaluate("() => { window.__same_document = true }")
        for path in [home, *others]:
            report = PageReport(path, expected_formulas(built_site, path))
            crawl.pages[path] = report
            if path != home:
                link = f"nav.md-nav--primary a[href='{site}{path}']"
                swap_content(page, partial(page.click, link), site + path)
                page.evaluate("() => window.scrollTo(0, 0)")
            check_formulas(page, report, dark=False)
            crawl.scripts[path] = page.evaluate(SCRIPTS_JS)
            report.serious_violations = serious_violations(page)
            screenshot(page, report, "light", shots, full_page=False)
        # The browser's back button swaps the content back in without a reload.
        crawl.went_back = PageReport(others[-2], expected_formulas(built_site, others[-2]))
        swap_content(page, page.go_back, site + others[-2])
        check_formulas(page, crawl.went_back, dark=False)
        crawl.same_document = page.evaluate("() => window.__same_document === true")
    finally:
        context.close()
    return crawl


def run_copied_code(crawl: Crawl, workdir: Path) -> None:
    """Each page's copied code, all its doctest blocks in order, in a fresh python each."""
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"}
    runs = {}
    for path, report in crawl.pages.items():
        # The API reference's examples show errors too (loss_curve_svg([]) raises): as a
        # script they would stop at the first. The Run buttons run them (tests/test_run.py).
        blocks = [block for block in report.copy_blocks if block is not None]
        if not blocks or path == "reference/" or len(blocks) < len(report.copy_blocks):
            continue  # the last: test_every_pages_doctest_code_runs fails
        script = workdir / f"{slug(path)}.py"
        script.write_text("\n".join(blocks) + "\n", encoding="utf-8")
        runs[path] = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True)
    for path, run in runs.items():
        _, stderr = run.communicate(timeout=60)
        crawl.code_runs[path] = stderr[-1500:] if run.returncode else ""


def crawl_in_own_browser(built_site: Path, site: str, shots: Path,
                         workdir: Path) -> dict[str, Crawl]:
    """``crawl_directly`` and the crawls without JavaScript in a Chromium of its own, then
    the copied code of every page run: in a thread of its own."""
    with launched() as browser:
        crawls = {"direct": crawl_directly(browser, built_site, site, shots)}
        for dark in (False, True):
            crawls["nojs-dark" if dark else "nojs-light"] = crawl_without_javascript(
                browser, built_site, site, shots, dark)
    run_copied_code(crawls["direct"], workdir)
    return crawls


@pytest.fixture(scope="module")
def crawls(session_browser: Any, built_site: Path, served_site: str, screenshot_dir: Path,
           tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    """Both crawls at once, the direct one in a thread with its own Playwright (the sync API
    allows one instance per thread). The navigated crawl (axe-core) is the longer one: the
    direct one's thread also searches and runs the copied code."""
    workdir = tmp_path_factory.mktemp("copied")
    with ThreadPoolExecutor(max_workers=1) as pool:
        direct = pool.submit(crawl_in_own_browser, built_site, served_site, screenshot_dir,
                             workdir)
        navigated = crawl_by_navigation(session_browser, built_site, served_site, screenshot_dir)
        return {**direct.result(), "navigated": navigated}


def test_the_crawls_cover_every_page(crawls: dict[str, Crawl], built_site: Path) -> None:
    paths = site_pages(built_site)
    assert len(paths) >= 13, paths
    for name in CRAWLS:
        assert list(crawls[name].pages) == paths, name
    assert crawls["navigated"].went_back is not None


@pytest.mark.parametrize("name", CRAWLS)
def test_every_formula_is_typeset(crawls: dict[str, Crawl], name: str) -> None:
    problems = {
        path: f"{r.typeset} of {r.expected_formulas} typeset, TeX errors {r.tex_errors}"
        for path, r in crawls[name].formula_reports().items()
        if r.typeset != r.expected_formulas or r.tex_errors
    }
    assert not problems, f"{name}: {problems}"
    assert sum(r.expected_formulas for r in crawls[name].pages.values()) > 0


@pytest.mark.parametrize("name", CRAWLS)
def test_every_formula_is_drawn(crawls: dict[str, Crawl], name: str) -> None:
    """Every SVG has glyph paths; the visible formulas' screenshots have ink."""
    reports = crawls[name].formula_reports()
    inkless = {p: r.inkless_svgs for p, r in reports.items() if r.inkless_svgs}
    assert not inkless, f"{name}: formulas without glyph paths: {inkless}"
    blank = {p: r.blank_pixels for p, r in reports.items() if r.blank_pixels}
    assert not blank, f"{name}: blank formulas in screenshots: {blank}"
    assert sum(r.pixel_checked for r in reports.values()) > 0


@pytest.mark.parametrize("name", CRAWLS)
def test_nothing_leaves_the_host_and_nothing_fails(crawls: dict[str, Crawl], name: str) -> None:
    crawl = crawls[name]
    assert not crawl.left_site, f"{name}: requests to other hosts: {crawl.left_site}"
    assert not crawl.failed, f"{name}: responses >= 400: {crawl.failed}"
    assert not crawl.errors, f"{name}: console errors or page errors: {crawl.errors}"


def test_navigation_is_instant(crawls: dict[str, Crawl]) -> None:
    assert crawls["navigated"].same_document is True, "a nav click reloaded the page"


def test_palettes(crawls: dict[str, Crawl]) -> None:
    for name, scheme in (("direct", "slate"), ("navigated", "default"),
                         ("nojs-light", "default"), ("nojs-dark", "slate")):
        wrong = {p: r.scheme for p, r in crawls[name].formula_reports().items()
                 if r.scheme != scheme}
        assert not wrong, f"{name}: body[data-md-color-scheme] is not {scheme}: {wrong}"


def test_no_page_loads_a_tex_typesetting_script(crawls: dict[str, Crawl],
                                                built_site: Path) -> None:
    """The formulas come drawn in the HTML: no page has, or asks for, MathJax or the like."""
    for name in CRAWLS:
        crawl = crawls[name]
        assert set(crawl.scripts) == set(crawl.pages), name
        loaded = {p: [s for s in scripts if TEX_SCRIPT.search(s)]
                  for p, scripts in crawl.scripts.items()}
        assert not any(loaded.values()), f"{name}: {loaded}"
        assert not [u for u in crawl.requests if TEX_SCRIPT.search(u) and u.endswith(".js")]
    for path in site_pages(built_site):
        sources = [attrs.get("src", "") for tag, attrs in tags_of(built_site / path /
                                                                    "index.html")
                   if tag == "script"]
        assert sources and not [s for s in sources if TEX_SCRIPT.search(s)], (path, sources)


def test_without_javascript_no_script_runs(crawls: dict[str, Crawl]) -> None:
    """The JavaScript-off crawls really had scripts off: run.js, which puts Run buttons on
    every page with a doctest block when it runs, put none there."""
    assert sum(crawls["direct"].run_controls.values()) > 0
    for name in ("nojs-light", "nojs-dark"):
        ran = {p: n for p, n in crawls[name].run_controls.items() if n}
        assert crawls[name].run_controls and not ran, f"{name}: scripts ran: {ran}"


def test_doctest_copy_button_copies_paste_ready_code(crawls: dict[str, Crawl]) -> None:
    """The copy button copies the block's code as backprop_site/paste.py makes it from the
    block's text (backprop_site/paste.py, at build time): prompts and output left out, after
    a first line naming the earlier examples it needs, if any (tests/test_paste.py pastes
    every block into a REPL)."""
    clicked = {p: r for p, r in crawls["direct"].pages.items() if r.clipboard is not None}
    assert len(clicked) >= 3, "too few pages with a visible doctest block"
    for path, report in clicked.items():
        copied = report.clipboard or ""
        assert copied.strip(), f"{path}: empty clipboard"
        assert copied == report.copy_blocks[0] or copied in report.copy_blocks, path
        assert not [line for line in copied.split("\n") if line.startswith((">>>", "..."))]
        code = copied.split("\n", 1)[1] if copied.startswith(GUARD_START) else copied
        assert code == paste_text(report.clipboard_source or ""), (
            f"{path}: the clipboard is not the block's code:\n{copied}")


def test_every_pages_doctest_code_runs(crawls: dict[str, Crawl]) -> None:
    """Each page's copied code, all its doctest blocks in order, runs in a fresh python."""
    pages = crawls["direct"].pages
    no_copy = {p: r.copy_blocks.count(None) for p, r in pages.items() if not all(r.copy_blocks)}
    assert not no_copy, f"doctest blocks without data-copy: {no_copy}"
    runs = crawls["direct"].code_runs
    assert len(runs) >= 3, runs
    failed = {path: stderr for path, stderr in runs.items() if stderr}
    assert not failed, f"copied doctest code fails: {failed}"


def test_no_serious_accessibility_violation(crawls: dict[str, Crawl]) -> None:
    """axe-core: no serious or critical violation on any page."""
    found = {p: r.serious_violations for p, r in crawls["navigated"].pages.items()
             if r.serious_violations}
    assert not found, f"axe-core serious/critical violations: {found}"


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a JPEG, from its start-of-frame segment."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    at = 2
    while True:
        marker, length = data[at + 1], int.from_bytes(data[at + 2:at + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            height = int.from_bytes(data[at + 5:at + 7], "big")
            return int.from_bytes(data[at + 7:at + 9], "big"), height
        at += 2 + length


def test_full_page_screenshots_are_written(crawls: dict[str, Crawl]) -> None:
    """Direct loads: the whole page, top to bottom; navigated: the first screen."""
    for name, full in (("direct", True), ("navigated", False)):
        for path, report in crawls[name].pages.items():
            assert report.screenshot is not None, f"{name} {path}"
            width, height = jpeg_size(report.screenshot.read_bytes())
            expected = report.page_height if full else VIEWPORT["height"]
            assert (width, height) == (VIEWPORT["width"], expected), f"{name} {path}"
    assert max(r.page_height for r in crawls["direct"].pages.values()) > 2 * VIEWPORT["height"]


@pytest.mark.parametrize(("query", "target"), SEARCHES.items())
def test_search_finds(crawls: dict[str, Crawl], query: str, target: str) -> None:
    hrefs = crawls["direct"].searches[query]
    assert any(urlparse(h).path.lstrip("/") == target for h in hrefs), (
        f"{query!r}: no result on {target}: {hrefs}")


# --------------------------------------------------------------------------------------------
# Exercises: a folded solution, opened, shows its math and has its Run buttons
# --------------------------------------------------------------------------------------------

EXERCISE_PAGES = ["derivation/net/", "derivation/formulas/", "derivation/output-layer/",
                  "derivation/hidden-layer/", "derivation/generalization/", "worked-example/",
                  "training/"]
OPENED = "article details.success[data-test-opened]"

MARK_SOLUTION_JS = """() => {
  const details = [...document.querySelectorAll("article details.success")]
    .find(d => !d.open && d.querySelector(".arithmatex"));
  if (details) details.dataset.testOpened = "";
  return Boolean(details);
}"""


@pytest.mark.parametrize("path", EXERCISE_PAGES)
def test_an_opened_solution_shows_its_math(
    session_browser: Any, built_site: Path, served_site: str, path: str
) -> None:
    """Click a solution's summary: its formulas are typeset, have glyphs and a size, and
    the one in view has ink on screen; its doctest blocks have Run buttons."""
    crawl = Crawl()
    context, page = guarded_page(session_browser, served_site, crawl, "light")
    report = PageReport(path, expected_formulas(built_site, path))
    try:
        page.goto(served_site + path)
        assert page.evaluate(MARK_SOLUTION_JS), f"{path}: no folded solution with math"
        page.click(f"{OPENED} > summary")
        page.wait_for_function("s => document.querySelector(s).open", arg=OPENED)
        page.evaluate("s => document.querySelector(s + ' mjx-container')"
                      ".scrollIntoView({block: 'center'})", OPENED)
        check_formulas(page, report, dark=False, scope=OPENED)
        run_buttons = page.locator(f"{OPENED} .run-bar .run-run").count()
        pycon_blocks = page.locator(f"{OPENED} div.language-pycon").count()
    finally:
        context.close()
    assert report.typeset > 0 and not report.tex_errors, report
    assert not report.inkless_svgs, f"formulas without glyph paths: {report.inkless_svgs}"
    assert not report.unsized, f"formulas of no size once opened: {report.unsized}"
    assert report.pixel_checked > 0 and not report.blank_pixels, report.blank_pixels
    assert pycon_blocks > 0 and run_buttons == pycon_blocks
    assert not crawl.left_site and not crawl.failed and not crawl.errors, crawl


#: Display formulas drawn at less than 5 CSS pixels per ex of their own width (MathJax's ex
#: is about 7 pixels here): a formula shrunk by a percentage that resolved against nothing.
SHRUNK_FORMULAS_JS = """() => [...document.querySelectorAll(
        'article div.arithmatex > mjx-container > svg')]
    .filter(s => s.getClientRects().length && !s.closest('details:not([open])')
                 && /ex$/.test(s.getAttribute('width') || ''))
    .map(s => [s.closest('.arithmatex').dataset.tex.trim().slice(0, 50),
               s.getBoundingClientRect().width / parseFloat(s.getAttribute('width'))])
    .filter(([, perEx]) => perEx < 5)"""


@pytest.mark.browser
def test_display_formulas_keep_their_size_on_a_phone(
        session_browser: Any, served_site: str, built_site: Path) -> None:
    """A display formula wider than a phone scrolls sideways in its own box; it is never
    shrunk (Material caps an SVG at 100% of a box whose width can depend on the SVG)."""
    context = session_browser.new_context(viewport={"width": 390, "height": 844})
    shrunk: dict[str, Any] = {}
    try:
        page = context.new_page()
        for path in site_pages(built_site):
            page.goto(served_site + path)
            page.evaluate(LAY_OUT_ALL, True)
            found = page.evaluate(SHRUNK_FORMULAS_JS)
            if found:
                shrunk[path] = found
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, path
    finally:
        context.close()
    assert not shrunk, shrunk
