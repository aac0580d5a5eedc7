"""The Run buttons in headless Chromium: Python (Pyodide) runs every page's examples.

The built site is served on 127.0.0.1 and every other host is blocked (``guarded_page``).
Python is loaded once for the tour (``tour``, one module-scoped fixture): the home page is
loaded by URL, its first Run loads Python, and every other page is reached by a nav click
(instant navigation), where Python must still be loaded. On each page with examples the
tour runs the first block that prints something and compares what the browser printed with
what the page prints, then presses "Check this page", which runs all of the page's doctests
in the browser's Python (NumPy 2.0.2 under Python 3.12): every page must pass under both
NumPys. On the training page it edits a learning rate, makes a block raise, stops a long
run, and tries to reach another host from Python.

Two more contexts, each loading Python afresh: one in the dark palette at a phone's width
(screenshots before Run, while loading and after), and one whose NumPy wheel is answered
with 404 (the failure must name the file, and the page still reads).

Screenshots go to ``test-artifacts/screenshots/run-*.png``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from backprop_site.browser import guard
from helpers import Crawl, guarded_page, serious_violations, site_pages, swap_content

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PYTHON_FILES = re.compile(r"/assets/pyodide/|/downloads/|/run/worker\.js|/run/pycon\.py")
COLD = 120_000  # ms: loading Python on a busy two-core machine
WARM = 60_000

pytestmark = pytest.mark.browser


@dataclass
class PageRun:
    """What one page showed."""

    loaded_on_arrival: bool = False
    expected: str = ""  # the printed output of the block that was run, as the page shows it
    printed: str = ""  # what the browser's Python printed for it
    run_result: str = ""  # the block's data-run-result
    check_summary: str = ""
    check_result: str = ""
    has_check: bool = False


@dataclass
class Tour:
    crawl: Crawl = field(default_factory=Crawl)
    requests: list[str] = field(default_factory=list)
    before_first_run: list[str] = field(default_factory=list)
    progress_seen: str = ""
    pages: dict[str, PageRun] = field(default_factory=dict)
    edited: dict[str, str] = field(default_factory=dict)
    raised: dict[str, str] = field(default_factory=dict)
    stopped: dict[str, Any] = field(default_factory=dict)
    network: dict[str, str] = field(default_factory=dict)
    screenshots: list[Path] = field(default_factory=list)
    python_loads_before_stop: int = 0
    violations_after_run: list[str] = field(default_factory=list)


# What a block is: its index among the page's pycon blocks.
BLOCK_JS = """i => {
  const block = document.querySelectorAll("div.language-pycon")[i];
  const output = block.nextElementSibling.nextElementSibling;
  return {
    result: block.dataset.runResult || "",
    status: output.querySelector(".run-status").textContent,
    got: [...output.querySelectorAll(".run-got")].map(s => s.textContent).join(""),
    transcript: output.querySelector(".run-transcript").textContent,
    expected: [...block.querySelectorAll("code .go")].map(s => s.textContent).join(""),
  };
}"""


def block_state(page: Any, index: int) -> dict[str, str]:
    state: dict[str, str] = page.evaluate(BLOCK_JS, index)
    return state


def bar(page: Any, index: int) -> Any:
    return page.locator(".run-bar").nth(index)


def wait_settled(page: Any, index: int, timeout: int) -> dict[str, str]:
    """Wait until block ``index`` is no longer loading or running; its state."""
    page.wait_for_function(
        """i => { const s = document.querySelectorAll(".run-output")[i]
                    .querySelector(".run-status");
                  return s.textContent && !/run-(loading|running)/.test(s.className); }""",
        arg=index, timeout=timeout)
    return block_state(page, index)


def first_printing_block(page: Any) -> int | None:
    index: int = page.evaluate("""() => [...document.querySelectorAll("div.language-pycon")]
        .findIndex(b => b.querySelector("code .go"))""")
    return None if index < 0 else index


def find_block(page: Any, text: str) -> int:
    index: int = page.evaluate("""t => [...document.querySelectorAll("div.language-pycon")]
        .findIndex(b => b.querySelector("code").textContent.includes(t))""", text)
    assert index >= 0, text
    return index


def shot(page: Any, tour: Tour, name: str) -> None:
    path = SCREENSHOTS / f"run-{name}.png"
    page.screenshot(path=str(path))
    tour.screenshots.append(path)


def edit(page: Any, index: int, change: Any) -> Any:
    """Open block ``index`` for editing and replace its code by ``change(code)``."""
    if bar(page, index).locator(".run-reset").is_visible():
        bar(page, index).locator(".run-reset").click()
    bar(page, index).locator(".run-edit").click()
    area = page.locator("textarea.run-editor")
    area.fill(change(area.input_value()))
    return area


def check_page(page: Any, report: PageRun) -> None:
    report.has_check = page.locator(".run-check").count() == 1
    if not report.has_check:
        return
    page.click(".run-check")
    page.wait_for_function("() => document.querySelector('.run-check-box').dataset.runResult",
                           timeout=WARM)
    report.check_summary = page.locator(".run-check-box .run-status").inner_text()
    report.check_result = page.evaluate(
        "() => document.querySelector('.run-check-box').dataset.runResult")


def run_first_printing_block(page: Any, report: PageRun, timeout: int,
                             pressed: bool = False) -> None:
    index = first_printing_block(page)
    if index is None:
        return
    if not pressed:
        bar(page, index).locator(".run-run").click()
    state = wait_settled(page, index, timeout)
    report.expected, report.printed, report.run_result = (state["expected"], state["got"],
                                                          state["result"])


def training_scenarios(page: Any, tour: Tour) -> None:
    # An edited learning rate: half the page's.
    k = find_block(page, "run = train(ADDER_X")
    area = edit(page, k, lambda code: code.replace("eta=TRAIN_ETA", "eta=TRAIN_ETA / 2", 1))
    area.press("Control+Enter")
    state = wait_settled(page, k, WARM)
    tour.edited = {"got": state["got"], "status": state["status"], "page": state["expected"]}
    shot(page, tour, "edited-light")

    # A block that raises, then the next block runs.
    edit(page, k, lambda code: code + "\n1 / 0")
    bar(page, k).locator(".run-run").click()
    raised = wait_settled(page, k, WARM)
    bar(page, k + 1).locator(".run-run").click()
    after = wait_settled(page, k + 1, WARM)
    tour.raised = {"got": raised["got"], "status": raised["status"],
                   "next_result": after["result"], "next_status": after["status"]}

    # A long run, stopped; the page answers while it runs; Python comes back.
    edit(page, k, lambda code: code.replace("steps=STEPS", "steps=10**8", 1))
    bar(page, k).locator(".run-run").click()
    page.wait_for_function(f"() => document.querySelectorAll('.run-bar')[{k}]"
                           ".querySelector('.run-run').textContent === 'Stop'")
    page.wait_for_timeout(1500)
    running = block_state(page, k)["status"]
    bar(page, k + 1).locator(".run-edit").click()  # the main thread is free
    responsive = page.locator("textarea.run-editor").count() == 2
    bar(page, k + 1).locator(".run-reset").click()
    bar(page, k).locator(".run-run").click()  # now labelled Stop
    stopped = wait_settled(page, k, 10_000)
    loaded_after_stop = page.evaluate("() => window.backpropDocRun.loaded")
    bar(page, k).locator(".run-reset").click()
    bar(page, k + 1).locator(".run-run").click()
    again = wait_settled(page, k + 1, COLD)
    tour.stopped = {"running": running, "responsive": responsive, "status": stopped["status"],
                    "loaded_after_stop": loaded_after_stop, "again": again["result"]}

    # Another host, from Python.
    edit(page, k, lambda code: 'from pyodide.http import open_url\n'
                               'open_url("http://example.com/")')
    bar(page, k).locator(".run-run").click()
    state = wait_settled(page, k, WARM)
    tour.network = {"got": state["got"], "status": state["status"]}
    bar(page, k).locator(".run-reset").click()


def take_tour(browser: Any, built_site: Path, site: str) -> Tour:
    tour = Tour()
    context, page = guarded_page(browser, site, tour.crawl, "light")
    page.on("request", lambda r: tour.requests.append(r.url))
    try:
        # Start on the first page with an example (the home page has none): Python must
        # not load before the first press, there or on any page before it.
        pages = site_pages(built_site)
        first = next(i for i, p in enumerate(pages)
                     if '<div class="language-pycon'
                     in (built_site / p / "index.html").read_text(encoding="utf-8"))
        home, others = pages[first], pages[first + 1:]
        page.goto(site + home)
        page.wait_for_selector(".run-check")
        tour.before_first_run = list(tour.requests)
        shot(page, tour, "before-light")
        report = tour.pages[home] = PageRun()
        index = first_printing_block(page)
        assert index is not None
        bar(page, index).scroll_into_view_if_needed()
        bar(page, index).locator(".run-run").click()
        page.wait_for_selector(".run-status.run-loading progress", timeout=COLD)
        tour.progress_seen = page.locator(".run-status.run-loading").first.inner_text()
        shot(page, tour, "loading-light")
        run_first_printing_block(page, report, COLD, pressed=True)
        shot(page, tour, "after-light")
        tour.violations_after_run = serious_violations(page)
        check_page(page, report)
        for path in others:
            link = f"nav.md-nav--primary a[href='{site}{path}']"
            swap_content(page, partial(page.click, link), site + path)
            page.wait_for_function("() => !document.querySelector('div.language-pycon')"
                                   " || document.querySelector('.run-bar')")
            report = tour.pages[path] = PageRun()
            report.loaded_on_arrival = page.evaluate("() => window.backpropDocRun.loaded")
            run_first_printing_block(page, report, WARM)
            check_page(page, report)
            if path == "training/":
                tour.python_loads_before_stop = len(
                    [u for u in tour.requests if u.endswith("/pyodide.asm.wasm")])
                training_scenarios(page, tour)
    finally:
        context.close()
    return tour


@pytest.fixture(scope="module")
def tour(session_browser: Any, built_site: Path, served_site: str) -> Tour:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return take_tour(session_browser, built_site, served_site)


def test_nothing_of_python_loads_before_the_first_run(tour: Tour) -> None:
    assert tour.before_first_run
    assert not [u for u in tour.before_first_run if PYTHON_FILES.search(u)]
    assert [u for u in tour.requests if u.endswith("/assets/pyodide/pyodide.asm.wasm")]


def test_the_first_run_shows_what_it_loads(tour: Tour) -> None:
    assert re.search(r"Loading Python .*\(.+\), \d+\.\d of \d+\.\d MB|Loaded \d+\.\d MB",
                     tour.progress_seen), tour.progress_seen


def test_a_block_of_every_page_prints_what_the_page_prints(
        tour: Tour, built_site: Path) -> None:
    ran = {p: r for p, r in tour.pages.items() if r.expected}
    with_examples = [p for p in site_pages(built_site) if '<div class="language-pycon'
                     in (built_site / p / "index.html").read_text(encoding="utf-8")]
    assert len(with_examples) >= 10 and sorted(ran) == sorted(with_examples), sorted(ran)
    wrong = {p: (r.printed, r.expected, r.run_result) for p, r in ran.items()
             if "".join(r.printed.split()) != "".join(r.expected.split())
             or r.run_result != "pass"}
    assert not wrong


def test_every_page_checks_itself_and_passes(tour: Tour, built_site: Path) -> None:
    # A doctest block, not the inlined stylesheet's rules for one (hooks/inline_css.py).
    block = '<div class="language-pycon'
    with_examples = [p for p in site_pages(built_site)
                     if block in (built_site / p / "index.html").read_text()]
    checked = {p: r for p, r in tour.pages.items() if r.has_check}
    assert sorted(checked) == sorted(with_examples)
    failing = {p: r.check_summary for p, r in checked.items() if r.check_result != "pass"}
    assert not failing
    for path, report in checked.items():
        match = re.search(r"(\d+) of (\d+) examples pass", report.check_summary)
        assert match and match[1] == match[2], (path, report.check_summary)


def test_python_survives_instant_navigation(tour: Tour) -> None:
    arrived = {p: r.loaded_on_arrival for p, r in list(tour.pages.items())[1:]}
    assert arrived and all(arrived.values()), arrived
    assert tour.python_loads_before_stop == 1, "Python was loaded again on navigating"


def test_an_edited_learning_rate_changes_the_printed_loss(tour: Tour) -> None:
    from backprop_doc.example import ADDER_T, ADDER_X, SEED, STEPS, TRAIN_ETA
    from backprop_doc.training import train

    losses = train(ADDER_X, ADDER_T, eta=TRAIN_ETA / 2, steps=STEPS,
                   rng=np.random.default_rng(SEED)).losses
    printed = tour.edited["got"].split()
    assert "not compared" in tour.edited["status"]
    assert printed[-1] == f"{losses[-1]:.6f}"
    assert printed[-1] != tour.edited["page"].split()[-1]


def test_a_block_that_raises_shows_its_traceback_and_the_next_one_runs(tour: Tour) -> None:
    got = tour.raised["got"]
    assert "Traceback (most recent call last):" in got
    assert "ZeroDivisionError: division by zero" in got and "1 / 0" in got
    assert "raised ZeroDivisionError" in tour.raised["status"]
    assert tour.raised["next_result"] == "pass", tour.raised["next_status"]


def test_a_long_run_is_stopped(tour: Tour) -> None:
    stopped = tour.stopped
    assert stopped["running"] == "Running…"
    assert stopped["responsive"], "the page did not answer a click during the run"
    assert stopped["status"].startswith("Stopped after "), stopped["status"]
    assert stopped["loaded_after_stop"] is False
    assert stopped["again"] == "pass"


def test_python_cannot_reach_another_host(tour: Tour) -> None:
    assert "may load files of this site only" in tour.network["got"]
    assert "http://example.com/" in tour.network["got"]
    assert not tour.crawl.left_site, tour.crawl.left_site


def test_nothing_fails_on_the_tour(tour: Tour) -> None:
    assert not tour.crawl.failed
    assert not tour.crawl.errors


def phone_tour(browser: Any, site: str) -> dict[str, Any]:
    """Dark palette, a phone's width: the net page before, during and after Run."""
    crawl = Crawl()
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  color_scheme="dark", device_scale_factor=2)
    guard(context, crawl.left_site)
    page = context.new_page()
    try:
        page.goto(site + "derivation/net/")
        index = find_block(page, "a1, h, a2, y = forward(")
        bar(page, index).scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "run-before-phone-dark.png"))
        bar(page, index).locator(".run-run").click()
        page.wait_for_selector(".run-status.run-loading progress", timeout=COLD)
        page.screenshot(path=str(SCREENSHOTS / "run-loading-phone-dark.png"))
        state = wait_settled(page, index, COLD)
        page.locator(".run-output").nth(index).scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "run-after-phone-dark.png"))
        violations = serious_violations(page)
        scheme = page.evaluate("() => document.body.dataset.mdColorScheme")
        width = page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        context.close()
    return {"state": state, "scheme": scheme, "width": width, "left": crawl.left_site,
            "violations": violations}


def test_run_in_the_dark_palette_at_a_phones_width(session_browser: Any,
                                                   served_site: str) -> None:
    seen = phone_tour(session_browser, served_site)
    assert seen["scheme"] == "slate"
    assert seen["state"]["result"] == "pass", seen["state"]["status"]
    assert seen["width"] <= 390, "the page scrolls sideways on a phone"
    assert not seen["left"]
    assert not seen["violations"], seen["violations"]


def test_the_run_controls_and_output_pass_axe(tour: Tour) -> None:
    assert not tour.violations_after_run


def test_a_file_that_does_not_load_is_named_and_the_page_still_reads(
        session_browser: Any, served_site: str) -> None:
    context = session_browser.new_context()
    guard(context, [])
    # Playwright tries the route added last first: NumPy's wheel is missing.
    context.route("**/assets/pyodide/numpy-*",
                  lambda route: route.fulfill(status=404, body="missing"))
    page = context.new_page()
    try:
        page.goto(served_site + "derivation/net/")
        index = first_printing_block(page)
        assert index is not None
        bar(page, index).locator(".run-run").click()
        state = wait_settled(page, index, COLD)
        title = (page.locator("article h1").text_content() or "").strip().rstrip("¶")
        button = bar(page, index).locator(".run-run").inner_text()
    finally:
        context.close()
    assert re.search(r"Could not load numpy-[^ ]+\.whl \(.*\): the site answered HTTP 404",
                     state["status"]), state["status"]
    assert "The page still reads; Run tries again." in state["status"]
    assert title == "2. The net" and button == "Run"
