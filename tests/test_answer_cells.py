"""The answer cells in headless Chromium: the reader's code checked by the browser's Python.

One tour (``tour``, module-scoped) loads Python once: it opens the first page with answer
cells, where nothing of Python is fetched before the first Check, and reaches every other
page with checked exercises by a nav click (instant navigation: Python must stay loaded).
On each page, in the cell of the page's first checked exercise, it types one of the slips
that exercise's checker lists, presses Check and reads the hint; then the page's own
folded solution, as its copy button copies it, and reads that it is accepted. On the net
page Ctrl+Enter checks and Enter keeps the indent. On the training page an answer that
fetches from another host is refused with its traceback, and an infinite loop is stopped
by the cell's Stop; the cell then accepts a right answer (Python starts again: the one
second load of the run). On the Exercises page the per-page count of solved exercises
follows. Then the net page is loaded afresh: the text typed is still there, and the
exercise still solved; Reset brings the starter back, and a reload keeps it.

The same page with JavaScript off shows the starter as a plain code block.

Screenshots of one cell (Exercise 4.2) before, with a wrong answer and with a right one, in
both palettes and at a phone's width: ``test-artifacts/screenshots/answer-*.png``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from backprop_site import checks
from helpers import Crawl, guarded_page, serious_violations, swap_content

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
COLD = 120_000  # ms: loading Python on a busy two-core machine
WARM = 60_000
PYTHON_FILES = re.compile(r"/assets/pyodide/|/downloads/|/run/worker\.js|/run/checks\.zip")
LOOP = "while True:\n    pass\n"
ELSEWHERE = 'from pyodide.http import open_url\nopen_url("http://example.com/")\n'
SHOT_EXERCISE = "4.2"

pytestmark = pytest.mark.browser


def by_page() -> dict[str, list[str]]:
    """The checked exercises of each page (its path below the site), in page order."""
    pages: dict[str, list[str]] = {}
    for exercise in checks.exercises():
        path = exercise["page"].removesuffix(".md") + "/"
        pages.setdefault(path, []).append(exercise["exercise"])
    return pages


def cell_id(exercise: str) -> str:
    return "#answer-" + exercise.lower().replace(".", "-")


def plain(text: str) -> str:
    """Text as the page shows it: backticks (code in the checker's text) gone, spaces one."""
    return " ".join(text.replace("`", "").split())


@dataclass
class Checked:
    """What a cell showed after Check."""

    result: str
    kind: str
    title: str
    hint: str
    status: str
    solved: str


@dataclass
class Tour:
    crawl: Crawl = field(default_factory=Crawl)
    before_first_check: list[str] = field(default_factory=list)
    loaded_on_arrival: dict[str, bool] = field(default_factory=dict)
    slips: dict[str, tuple[str, Checked]] = field(default_factory=dict)  # exercise: slip, seen
    rights: dict[str, Checked] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)  # exercise: the right answer typed
    keyboard: dict[str, Any] = field(default_factory=dict)
    stopped: dict[str, Any] = field(default_factory=dict)
    elsewhere: tuple[Checked, str] | None = None  # the check, the traceback shown
    progress: dict[str, tuple[str, str]] = field(default_factory=dict)  # ids: solved, text
    marks: list[str] = field(default_factory=list)
    kept: dict[str, Any] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    python_loads: int = 0


def fill(page: Any, exercise: str, code: str) -> None:
    page.locator(cell_id(exercise) + " textarea").fill(code)


def check(page: Any, exercise: str, timeout: int = WARM, press: bool = True) -> Checked:
    cell = page.locator(cell_id(exercise))
    if press:
        cell.locator(".answer-check").click()
    page.wait_for_function(
        """id => { const c = document.querySelector(id);
                   return c.dataset.answerResult && c.querySelector('.answer-check')
                     .textContent === 'Check'; }""", arg=cell_id(exercise), timeout=timeout)
    hint = cell.locator(".check-hint")
    return Checked(
        result=cell.get_attribute("data-answer-result") or "",
        kind=cell.get_attribute("data-answer-kind") or "",
        title=cell.locator(".check-title").inner_text() if cell.locator(".check-title").count()
        else "",
        hint=hint.inner_text() if hint.count() else "",
        status=cell.locator(".answer-status").inner_text(),
        solved=cell.get_attribute("data-solved") or "")


def solution(page: Any, exercise: str) -> str:
    """The exercise's folded solution, as its copy button copies it (backprop_site/paste.py):
    what a reader who pastes our solution into the cell types."""
    code: str = page.evaluate("""id => {
        let d = document.querySelector(id).nextElementSibling;
        while (d.tagName !== "DETAILS") d = d.nextElementSibling;
        return [...d.querySelectorAll("code[data-copy]")].map(c => c.dataset.copy).join("\\n");
    }""", cell_id(exercise))
    assert code.strip(), exercise
    return code


def slip_then_right(page: Any, tour: Tour, exercise: str, timeout: int = WARM) -> None:
    slip = checks.load(exercise).SLIPS[0]
    page.locator(cell_id(exercise)).scroll_into_view_if_needed()
    fill(page, exercise, slip.example)
    tour.slips[exercise] = (slip.hint, check(page, exercise, timeout))
    tour.typed[exercise] = solution(page, exercise)
    fill(page, exercise, tour.typed[exercise])
    tour.rights[exercise] = check(page, exercise)


def keyboard(page: Any, tour: Tour, exercise: str) -> None:
    """Ctrl+Enter checks; Enter keeps the indent."""
    area = page.locator(cell_id(exercise) + " textarea")
    fill(page, exercise, tour.typed[exercise])
    area.press("Control+Enter")
    tour.keyboard["ctrl_enter"] = check(page, exercise, press=False)
    other = page.locator(cell_id(by_page()["derivation/net/"][1]) + " textarea")
    other.fill("")
    other.press_sequentially("def f(x):")
    other.press("Enter")
    other.press_sequentially("if x:")
    other.press("Enter")
    tour.keyboard["indented"] = other.input_value()
    tour.keyboard["label"] = other.get_attribute("aria-label")
    page.locator(cell_id(by_page()["derivation/net/"][1]) + " .answer-reset").click()


def stop_a_loop(page: Any, tour: Tour, exercise: str) -> None:
    """An infinite loop, stopped; then the same cell accepts a right answer."""
    cell = page.locator(cell_id(exercise))
    cell.scroll_into_view_if_needed()
    fill(page, exercise, LOOP)
    cell.locator(".answer-check").click()
    page.wait_for_function(f"() => document.querySelector('{cell_id(exercise)}')"
                           ".querySelector('.answer-check').textContent === 'Stop'")
    page.wait_for_timeout(1500)
    running = cell.locator(".answer-status").inner_text()
    tour.python_loads = len([u for u in tour.crawl.requests if u.endswith("/pyodide.asm.wasm")])
    cell.locator(".answer-check").click()  # now Stop
    stopped = check(page, exercise, timeout=10_000, press=False)
    loaded = page.evaluate("() => window.backpropDocRun.loaded")
    fill(page, exercise, solution(page, exercise))
    again = check(page, exercise, timeout=COLD)
    tour.stopped = {"running": running, "stopped": stopped, "loaded_after": loaded,
                    "again": again}


def read_progress(page: Any, tour: Tour) -> None:
    for line in page.locator("p.answer-progress").all():
        tour.progress[line.get_attribute("data-exercises") or ""] = (
            line.get_attribute("data-solved") or "", line.text_content() or "")
    tour.marks = [m.evaluate("m => m.previousElementSibling.hash")
                  for m in page.locator(".answer-mark").all()]


def kept_across_reloads(page: Any, tour: Tour, site: str, built_site: Path) -> None:
    exercise = by_page()["derivation/net/"][0]
    page.goto(site + "derivation/net/")
    area = page.locator(cell_id(exercise) + " textarea")
    tour.kept["after_reload"] = area.input_value()
    tour.kept["solved"] = page.locator(cell_id(exercise)).get_attribute("data-solved")
    page.locator(cell_id(exercise) + " .answer-reset").click()
    tour.kept["after_reset"] = area.input_value()
    tour.kept["focused"] = page.evaluate("() => document.activeElement.tagName")
    page.reload()
    tour.kept["reset_after_reload"] = page.locator(cell_id(exercise) + " textarea").input_value()
    html = (built_site / "derivation/net/index.html").read_text(encoding="utf-8")
    start = html.index(f'id="{cell_id(exercise)[1:]}"')
    tour.kept["starter"] = unescape(re.search(r"<pre><code>(.*?)</code></pre>",
                                              html[start:], re.S)[1])  # type: ignore[index]


def palette(page: Any, scheme: str) -> None:
    """Material's palette, switched as its toggle switches it (the page keeps its Python)."""
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)",
                  {"light": "default", "dark": "slate"}[scheme])


def screenshots(page: Any, exercise: str) -> list[Path]:
    """Exercise 4.2's cell before, wrong, right: light and dark, wide and at 390 px."""
    taken = []
    cell = page.locator(cell_id(exercise))
    cell.locator(".answer-reset").click()
    for state, code in (("before", None),
                        ("wrong", checks.load(exercise).SLIPS[0].example),
                        ("right", solution(page, exercise))):
        for scheme in ("light", "dark"):
            palette(page, scheme)
            for width in (1400, 390):
                page.set_viewport_size({"width": width, "height": 900})
                if code is not None:
                    fill(page, exercise, code)
                    check(page, exercise)
                cell.scroll_into_view_if_needed()
                path = SCREENSHOTS / f"answer-{state}-{scheme}-{width}.png"
                cell.screenshot(path=str(path))
                taken.append(path)
    palette(page, "light")
    page.set_viewport_size({"width": 1400, "height": 900})
    return taken


def take_tour(browser: Any, built_site: Path, site: str) -> Tour:
    tour = Tour()
    context, page = guarded_page(browser, site, tour.crawl, "light")
    pages = by_page()
    try:
        first, *others = pages
        page.goto(site + first)
        page.wait_for_selector(".answer-cell textarea")
        tour.before_first_check = list(tour.crawl.requests)
        slip_then_right(page, tour, pages[first][0], timeout=COLD)
        keyboard(page, tour, pages[first][0])
        for path in others:
            link = f"nav.md-nav--primary a[href='{site}{path}']"
            swap_content(page, partial(page.click, link), site + path)
            page.wait_for_selector(".answer-cell textarea")
            tour.loaded_on_arrival[path] = page.evaluate("() => window.backpropDocRun.loaded")
            slip_then_right(page, tour, pages[path][0])
            if SHOT_EXERCISE in pages[path]:
                tour.violations = serious_violations(page)
                screenshots(page, SHOT_EXERCISE)
        fill(page, pages["training/"][1], ELSEWHERE)
        tour.elsewhere = (check(page, pages["training/"][1]),
                          page.locator(cell_id(pages["training/"][1]) + " .check-traceback")
                          .inner_text())
        stop_a_loop(page, tour, pages["training/"][1])
        swap_content(page, partial(page.click, f"nav.md-nav--primary a[href='{site}exercises/']"),
                     site + "exercises/")
        page.wait_for_selector("p.answer-progress[data-solved]")
        read_progress(page, tour)
        kept_across_reloads(page, tour, site, built_site)
    finally:
        context.close()
    return tour


@pytest.fixture(scope="module")
def tour(session_browser: Any, built_site: Path, served_site: str) -> Tour:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return take_tour(session_browser, built_site, served_site)


def test_nothing_of_python_loads_before_the_first_check(tour: Tour) -> None:
    assert tour.before_first_check
    assert not [u for u in tour.before_first_check if PYTHON_FILES.search(u)]
    assert [u for u in tour.crawl.requests if u.endswith("/run/checks.zip")]


def test_a_slip_gets_its_hint_on_every_page(tour: Tour) -> None:
    assert len(tour.slips) == len(by_page()) >= 7
    for exercise, (hint, seen) in tour.slips.items():
        assert (seen.result, seen.solved) == ("wrong", "false"), (exercise, seen)
        assert plain(seen.hint) == plain("Hint: " + hint), exercise


def test_a_right_answer_is_accepted_on_every_page(tour: Tour) -> None:
    assert sorted(tour.rights) == sorted(tour.slips)
    for seen in tour.rights.values():
        assert (seen.result, seen.kind, seen.solved) == ("right", "right", "true"), seen
        assert seen.title.startswith("Right:"), seen.title


def test_python_stays_loaded_across_instant_navigation(tour: Tour) -> None:
    assert tour.loaded_on_arrival and all(tour.loaded_on_arrival.values())
    assert tour.python_loads == 1, "Python was loaded again before the Stop"


def test_ctrl_enter_checks_and_enter_keeps_the_indent(tour: Tour) -> None:
    assert tour.keyboard["ctrl_enter"].result == "right"
    assert tour.keyboard["indented"] == "def f(x):\n    if x:\n        "
    assert "Ctrl+Enter checks" in tour.keyboard["label"]


def test_an_infinite_loop_is_stopped_and_the_cell_stays_usable(tour: Tour) -> None:
    stopped = tour.stopped
    assert stopped["running"] == "Checking…"
    assert (stopped["stopped"].result, stopped["stopped"].solved) == ("stopped", "false")
    assert stopped["stopped"].status.startswith("Stopped after ")
    assert stopped["loaded_after"] is False
    assert (stopped["again"].result, stopped["again"].solved) == ("right", "true")


def test_an_answer_cannot_reach_another_host(tour: Tour) -> None:
    assert tour.elsewhere is not None
    seen, traceback = tour.elsewhere
    assert (seen.result, seen.kind) == ("wrong", "error")
    assert "may load files of this site only" in traceback
    assert "http://example.com/" in traceback
    assert not tour.crawl.left_site


def test_the_exercises_page_counts_what_was_solved(tour: Tour) -> None:
    solved = set(tour.rights) | {by_page()["training/"][1], SHOT_EXERCISE}
    assert len(tour.progress) == len(by_page())
    for ids, (count, text) in tour.progress.items():
        mine = [n for n in ids.split() if n in solved]
        assert count == str(len(mine)), (ids, count)
        assert text == (f"Solved on this device: {len(mine)} of the {len(ids.split())} "
                        "exercises above that have an answer cell."), text
    assert sorted(tour.marks) == sorted("#ex-" + n.lower().replace(".", "-") for n in solved)


def test_the_text_is_kept_across_reloads_until_reset(tour: Tour) -> None:
    exercise = by_page()["derivation/net/"][0]
    assert tour.kept["after_reload"] == tour.typed[exercise]
    assert tour.kept["solved"] == "true"
    assert tour.kept["after_reset"] == tour.kept["starter"] == checks.starter(exercise)
    assert tour.kept["focused"] == "TEXTAREA"
    assert tour.kept["reset_after_reload"] == tour.kept["starter"]


def test_the_cells_and_their_feedback_pass_axe(tour: Tour) -> None:
    assert not tour.violations


def test_nothing_fails_and_nothing_leaves_the_site(tour: Tour) -> None:
    assert not tour.crawl.failed
    assert not tour.crawl.errors
    assert not tour.crawl.left_site


def test_screenshots_of_a_cell_in_both_palettes_and_on_a_phone(tour: Tour) -> None:
    names = {p.name for p in SCREENSHOTS.glob("answer-*.png")}
    assert {f"answer-{s}-{c}-{w}.png" for s in ("before", "wrong", "right")
            for c in ("light", "dark") for w in (1400, 390)} <= names


def test_without_javascript_the_cell_is_its_starter(session_browser: Any,
                                                     served_site: str) -> None:
    crawl = Crawl()
    context, page = guarded_page(session_browser, served_site, crawl, "light",
                                 javascript=False)
    exercise = by_page()["derivation/net/"][0]
    try:
        page.goto(served_site + "derivation/net/")
        cell = page.locator(cell_id(exercise))
        cell.locator("pre code").wait_for(state="visible")
        # text_content: a section far from the screen is not laid out (content-visibility)
        shown = cell.locator("pre code").text_content() or ""
        editors = page.locator("textarea").count()
        note = cell.locator(".answer-noscript").text_content() or ""
    finally:
        context.close()
    assert shown.rstrip("\n") == checks.starter(exercise).rstrip("\n")
    assert editors == 0
    assert "With JavaScript on" in note
