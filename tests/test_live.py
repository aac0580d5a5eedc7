"""The training page's live view (backprop_site/live_view.py and live.py, docs/live/) in
Chromium.

One tour (``tour``, module-scoped) drives the view on the session's shared page
(``python_page``, conftest.py: Python loads there once, at the view's first Step, and
stays loaded across instant navigation), offline (nothing may leave 127.0.0.1). Every number
the view shows is checked against a computation written here in plain NumPy from the state
that "Copy as Python" gave (not the package), or against the training page's doctests:

* before the first press nothing of Python is fetched, and the view shows the page's run at
  iteration 0 (its loss is the page's 1.150757);
* Step moves the state by exactly one gradient step; Play then Pause changes the
  iteration, the loss and the drawn weights; paused, a weight's formula shows this
  iteration's numbers; the page's run reaches the page's loss at iteration 3000;
* a bad learning rate and a bad seed are named beside their fields and change nothing;
  a click on a plane adds a point and a click on it removes it, by the keyboard too; the
  last point stays; a step that overflows stops the view at a finite state and says so;
* "Step through this iteration" opens the worked example's step-through figure with the
  current weights and the chosen point; leaving the page stops the training; reduced motion
  draws one frame a second; the live region speaks every few seconds, not every frame;
* screenshots (``test-artifacts/screenshots/live-*.png``) and axe-core on the view before
  Play, while training and paused with a formula shown, light and dark, desktop and phone.

Two more contexts: JavaScript off (the snapshots drawn at build time are there), and one
whose NumPy wheel is answered with 404 (the view names the file, the page still reads).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from backprop_site import browser
from helpers import SitePage, serious_violations, swap_content

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PYTHON_FILES = re.compile(r"/assets/pyodide/|/downloads/|/run/worker\.js|/run/live\.py")
COLD = 180_000  # ms: loading Python on a busy two-core machine
WARM = 60_000
MINUS = "\N{MINUS SIGN}"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}

pytestmark = pytest.mark.browser


# ------------------------------------------------------------------ the independent numbers


def sigmoid(a: Any) -> Any:
    return 1 / (1 + np.exp(-a))


def numpy_step(s: dict[str, Any]) -> dict[str, Any]:
    """One step of gradient descent on the summed loss, in plain NumPy."""
    x, t, w, b1, u, b2, eta = (s[k] for k in ("x", "t", "w", "b1", "u", "b2", "eta"))
    h = sigmoid(x @ w + b1)
    y = sigmoid(h @ u + b2)
    d2 = (y - t) * y * (1 - y)
    d1 = (d2 @ u.T) * h * (1 - h)
    return {"w": w - eta * (x.T @ d1), "b1": b1 - eta * d1.sum(axis=0),
            "u": u - eta * (h.T @ d2), "b2": b2 - eta * d2.sum(axis=0)}


def numpy_loss(s: dict[str, Any]) -> float:
    y = sigmoid(sigmoid(s["x"] @ s["w"] + s["b1"]) @ s["u"] + s["b2"])
    return float(0.5 * np.sum((y - s["t"]) ** 2))


def number(text: str) -> float:
    return float(text.replace(MINUS, "-"))


def agrees(shown: str, value: float) -> bool:
    """``shown`` is ``value`` to the digits shown (half a unit of its last digit)."""
    mantissa = shown.split("e")[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(shown.split("e")[1].replace(MINUS, "-")) if "e" in shown else 0
    return abs(number(shown) - value) <= 0.5 * 10.0 ** (exponent - decimals) * (1 + 1e-9) + 1e-15


NUMBER = re.compile(rf"{MINUS}?[0-9]+(?:\.[0-9]+)?(?:e[{MINUS}+][0-9]+)?")


def test_agrees_to_the_digits_shown() -> None:
    assert agrees("0.6737", 0.67370710) and not agrees("0.6738", 0.67370710)
    assert agrees(f"{MINUS}0.01766", -0.017655004) and not agrees("0.725", 0.7256)


# ------------------------------------------------------------------ the page


STATE_JS = """() => {
  const r = document.querySelector(".bpd-live");
  const text = sel => (r.querySelector(sel) || {}).textContent || "";
  const values = {};
  for (const slot of r.querySelectorAll(".bpd-live-figure [data-val]")) {
    if (slot.textContent) values[slot.dataset.val] = slot.textContent;
  }
  const widths = {};
  for (const g of r.querySelectorAll(".bpd-live-figure .bpd-sym:not(.bpd-name)")) {
    const line = g.querySelector("line");
    if (line && line.style.strokeWidth) widths[g.dataset.sym] = line.style.strokeWidth;
  }
  const tex = [...r.querySelectorAll(".bpd-live-tex")].filter(t => !t.hidden);
  return {
    iteration: Number(r.dataset.iteration), loss: text(".bpd-live-loss"),
    playing: r.dataset.playing, explained: r.dataset.explained || "",
    note: text(".bpd-live-note"), error: r.dataset.error || "", values, widths,
    errors: Object.fromEntries(["eta", "seed", "data"].map(f =>
      [f, text("#bpd-live-" + f + "-error")])),
    invalid: [...r.querySelectorAll("[aria-invalid=true]")].map(e => e.name),
    announce: text(".bpd-live-announce"),
    lines: [...r.querySelectorAll(".bpd-live-lines li")].map(li => li.textContent),
    tex: tex.map(t => t.dataset.sym),
    texDrawn: tex.every(t => t.querySelector("mjx-container svg") !== null),
    points: Number(r.dataset.points || 0), at: text(".bpd-live-at-loss"),
    stats: window.backpropDocLive ? {...window.backpropDocLive.stats} : null,
  };
}"""
LIVE = ".bpd-live"


def state(page: Any) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(STATE_JS)
    return found


def wait_explained(page: Any, iteration: int | None = None, timeout: int = WARM) -> None:
    """Until the view is paused and shows the mathematics of ``iteration`` (or any)."""
    page.wait_for_function(
        """i => { const r = document.querySelector(".bpd-live");
                  return r.dataset.playing === "no" && r.dataset.explained !== undefined
                    && (i === null || r.dataset.explained === String(i)); }""",
        arg=iteration, timeout=timeout)


def copy_state(page: Any) -> tuple[str, dict[str, Any]]:
    """Press "Copy as Python"; the text it copied, and what running it defines."""
    iteration = state(page)["iteration"]
    page.evaluate("() => delete document.querySelector('.bpd-live').dataset.copied")
    page.click(".bpd-live-copy")
    page.wait_for_function("i => document.querySelector('.bpd-live').dataset.copied === i",
                           arg=str(iteration), timeout=WARM)
    text = page.evaluate("() => navigator.clipboard.readText()")
    shown = page.locator(".bpd-live-python code").text_content()
    assert text == shown, "the clipboard and the view's block differ"
    namespace: dict[str, Any] = {}
    exec(text, namespace)  # the block runs as it is
    return text, namespace


def shot(page: Any, tour: Tour, name: str) -> None:
    """A screenshot of the view, without the page's sticky header over its top."""
    path = SCREENSHOTS / f"live-{name}.png"
    page.evaluate("""() => { const s = document.createElement("style"); s.id = "test-no-header";
        s.textContent = ".md-header, .md-tabs { visibility: hidden !important; }";
        document.head.append(s); }""")
    try:
        # Far down the page the view is laid out when it comes into sight
        # (content-visibility): in sight first, then its size is its own.
        page.locator(LIVE).scroll_into_view_if_needed()
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        page.locator(LIVE).screenshot(path=str(path))
    finally:
        page.evaluate("() => document.getElementById('test-no-header').remove()")
    tour.screenshots.append(path)


def axe_on_view(page: Any) -> list[str]:
    """axe-core's serious and critical violations of the page, the view in it."""
    return serious_violations(page)


def plane_point(page: Any, unit: int, x1: float, x2: float) -> tuple[float, float]:
    """Where (x1, x2) of the plane of ``unit`` is on the screen (scrolled into view)."""
    canvas = page.locator(f".bpd-live-plane[data-unit='{unit}'] canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    return (box["x"] + (x1 + 0.5) / 2 * box["width"],
            box["y"] + (1.5 - x2) / 2 * box["height"])


def click_plane(page: Any, x1: float, x2: float, points: int) -> dict[str, Any]:
    """Click output 1's plane at (x1, x2); the view once it has ``points`` points."""
    page.mouse.click(*plane_point(page, 3, x1, x2))
    page.wait_for_function("n => document.querySelector('.bpd-live').dataset.points === n",
                           arg=str(points), timeout=WARM)
    return state(page)


def nav_to(page: Any, site: str, path: str) -> None:
    """Instant navigation: a click on the nav's link (Python stays loaded)."""
    page.evaluate("() => { window.__sameDocument = true; }")
    link = f"nav.md-nav--primary a[href='{site}{path}']"
    # A click on the link as the page receives it: at a phone's width the nav is in a drawer.
    swap_content(page, lambda: page.evaluate(f'() => document.querySelector("{link}").click()'),
                 site + path)


def set_scheme(page: Any, dark: bool) -> str:
    """The palette by the emulated preference (Material follows it); what the page uses."""
    page.emulate_media(color_scheme="dark" if dark else "light")
    want = "slate" if dark else "default"
    try:
        page.wait_for_function("s => document.body.dataset.mdColorScheme === s", arg=want,
                               timeout=5_000)
    except Exception:  # then set it as the toggle does
        page.evaluate("s => { document.body.dataset.mdColorScheme = s; }", want)
    scheme: str = page.evaluate("() => document.body.dataset.mdColorScheme")
    return scheme


@dataclass
class Tour:
    requests_before: list[str] = field(default_factory=list)
    before: dict[str, Any] = field(default_factory=dict)
    copies: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    played: dict[str, dict[str, Any]] = field(default_factory=dict)
    run: dict[str, str] = field(default_factory=dict)
    bad: dict[str, dict[str, Any]] = field(default_factory=dict)
    clicks: dict[str, dict[str, Any]] = field(default_factory=dict)
    overflow: dict[str, Any] = field(default_factory=dict)
    stepper: dict[str, Any] = field(default_factory=dict)
    left: dict[str, Any] = field(default_factory=dict)
    reduced: dict[str, Any] = field(default_factory=dict)
    announced: list[str] = field(default_factory=list)
    looks: dict[str, dict[str, Any]] = field(default_factory=dict)
    screenshots: list[Path] = field(default_factory=list)


def play_for(page: Any, ms: int, speed: str = "10") -> dict[str, Any]:
    """Play at ``speed`` steps a frame for about ``ms``, then pause; the view paused."""
    page.select_option("#bpd-live-speed", speed)
    start = state(page)["iteration"]
    page.click(".bpd-live-play")
    page.wait_for_function("i => Number(document.querySelector('.bpd-live').dataset.iteration)"
                           " > i", arg=start, timeout=WARM)
    page.wait_for_timeout(ms)
    page.click(".bpd-live-play")
    wait_explained(page)
    return state(page)


def look(page: Any, tour: Tour, site: str, name: str) -> None:
    """The view before Play (on arrival), while training and paused on u21's formula:
    a screenshot and axe-core in each state."""
    nav_to(page, site, "worked-example/")
    nav_to(page, site, "training/")
    page.wait_for_selector(".bpd-live-view:not([hidden])")
    page.locator(LIVE).scroll_into_view_if_needed()
    found: dict[str, Any] = {"width": page.evaluate(
        "() => document.documentElement.scrollWidth")}
    shot(page, tour, f"before-{name}")
    found["before"] = axe_on_view(page)
    page.select_option("#bpd-live-speed", "5")
    page.click(".bpd-live-play")
    page.wait_for_function("() => Number(document.querySelector('.bpd-live').dataset.iteration)"
                           " > 150", timeout=WARM)
    shot(page, tour, f"playing-{name}")
    found["playing"] = axe_on_view(page)
    page.click(".bpd-live-play")
    wait_explained(page)
    page.locator(".bpd-live-figure [data-val=u21]").hover()
    found["paused"] = axe_on_view(page)
    found["state"] = state(page)
    shot(page, tour, f"paused-{name}")
    tour.looks[name] = found


def take_tour(sp: SitePage, site: str) -> Tour:
    page = sp.page
    tour = Tour()
    page.goto(site + "training/")
    page.wait_for_selector(".bpd-live-view:not([hidden])")
    tour.requests_before = list(sp.requests)
    tour.before = state(page)
    shot(page, tour, "before-light-desktop")
    tour.looks["light-desktop"] = {"before": axe_on_view(page)}

    # The first Step starts Python; two steps, each copied before and after.
    page.click(".bpd-live-step")
    wait_explained(page, 1, COLD)
    tour.steps["1"] = state(page)
    tour.copies["1"] = copy_state(page)
    page.click(".bpd-live-step")
    wait_explained(page, 2)
    tour.steps["2"] = state(page)
    tour.copies["2"] = copy_state(page)

    # Play, then Pause; the mathematics of u21 for the second point.
    tour.played["before"] = state(page)
    page.select_option("#bpd-live-speed", "10")
    page.click(".bpd-live-play")
    page.wait_for_function("() => Number(document.querySelector('.bpd-live').dataset.iteration)"
                           " > 60", timeout=WARM)
    tour.played["playing"] = state(page)
    shot(page, tour, "playing-light-desktop")
    tour.looks["light-desktop"]["playing"] = axe_on_view(page)
    page.click(".bpd-live-play")
    wait_explained(page)
    tour.played["paused"] = state(page)
    page.select_option("#bpd-live-point", "1")
    wait_explained(page)
    page.locator(".bpd-live-figure [data-val=u21]").hover()
    page.wait_for_function("() => !document.querySelector('.bpd-live-tex[data-sym=u21]').hidden")
    page.wait_for_function("it => document.querySelector('.bpd-live').dataset.explained === it",
                           arg=str(tour.played["paused"]["iteration"]))
    tour.played["hovered"] = state(page)
    tour.copies["paused"] = copy_state(page)
    shot(page, tour, "paused-light-desktop")
    tour.looks["light-desktop"]["paused"] = axe_on_view(page)

    # The page's run, from the start: its loss at 0 and at 3000.
    page.click(".bpd-live-reset")
    wait_explained(page, 0)
    tour.run["start"] = state(page)["loss"]
    page.select_option("#bpd-live-speed", "200")
    page.click(".bpd-live-play")
    page.wait_for_function("() => Number(document.querySelector('.bpd-live').dataset.iteration)"
                           " >= 3000", timeout=WARM)
    page.click(".bpd-live-play")
    wait_explained(page)
    page.fill("#bpd-live-at", "3000")
    tour.run["at 3000"] = page.locator(".bpd-live-at-loss").text_content() or ""
    page.fill("#bpd-live-at", "0")
    tour.run["at 0"] = page.locator(".bpd-live-at-loss").text_content() or ""
    page.focus(".bpd-live-curve .bpd-live-canvas")
    page.keyboard.press("End")
    tour.run["end key"] = page.input_value("#bpd-live-at")
    tour.run["iteration"] = str(state(page)["iteration"])

    # Bad input: named beside the control; nothing changes.
    before = state(page)
    page.fill("#bpd-live-eta", f"{MINUS}1")
    page.press("#bpd-live-eta", "Enter")
    page.wait_for_function("() => document.querySelector('.bpd-live').dataset.error === 'eta'")
    tour.bad["eta"] = state(page)
    page.click(".bpd-live-step")
    page.wait_for_timeout(1500)
    tour.bad["step refused"] = state(page)
    tour.bad["before"] = before
    page.fill("#bpd-live-eta", "2")
    page.press("#bpd-live-eta", "Enter")
    page.wait_for_function("() => !document.querySelector('.bpd-live').dataset.error")
    page.fill("#bpd-live-seed", "2.5")
    page.click(".bpd-live-reset")
    page.wait_for_function("() => document.querySelector('.bpd-live').dataset.error === 'seed'")
    tour.bad["seed"] = state(page)
    page.fill("#bpd-live-seed", "7")

    # Points: a click adds one, a click on it removes it; the keyboard's cross too.
    page.locator(".bpd-live-planes").scroll_into_view_if_needed()
    page.select_option("#bpd-live-cls", "10")
    tour.clicks["added"] = click_plane(page, 0.5, 0.25, 5)
    tour.copies["added"] = copy_state(page)
    tour.clicks["removed"] = click_plane(page, 0.5, 0.25, 4)
    page.focus(".bpd-live-plane[data-unit='3'] .bpd-live-canvas")  # the cross: (0.5, 0.5)
    for key in ("ArrowRight", "ArrowRight", "ArrowUp"):
        page.keyboard.press(key)
    tour.clicks["cross"] = state(page)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.bpd-live').dataset.points === '5'")
    tour.copies["keyboard"] = copy_state(page)
    page.focus(".bpd-live-plane[data-unit='3'] .bpd-live-canvas")
    page.keyboard.press("Enter")  # the cross is still on the point: removed
    page.wait_for_function("() => document.querySelector('.bpd-live').dataset.points === '4'")
    tour.clicks["keyboard removed"] = state(page)
    # Down to one point, then the last one stays.
    for n, (x1, x2) in enumerate(((0, 0), (0, 1), (1, 0)), 1):
        click_plane(page, x1, x2, 4 - n)
    page.mouse.click(*plane_point(page, 3, 1, 1))
    page.wait_for_function("() => document.querySelector('.bpd-live').dataset.error === 'data'")
    tour.clicks["last"] = state(page)
    page.click(".bpd-live-reset")
    wait_explained(page, 0)

    # An overflow: the view stops at the last finite state and says so.
    page.select_option("#bpd-live-data", "circles")
    wait_explained(page, 0)
    page.fill("#bpd-live-eta", "1e308")
    page.press("#bpd-live-eta", "Enter")
    page.wait_for_timeout(500)
    page.click(".bpd-live-play")
    page.wait_for_function("() => document.querySelector('.bpd-live').dataset.stopped === 'yes'",
                           timeout=WARM)
    page.wait_for_timeout(500)
    tour.overflow = state(page)
    tour.copies["overflow"] = copy_state(page)
    page.select_option("#bpd-live-data", "adder")
    wait_explained(page, 0)

    # Step through this iteration: the worked example's figure, with these numbers.
    for k in range(1, 4):
        page.click(".bpd-live-step")
        wait_explained(page, k)
    page.select_option("#bpd-live-point", "2")
    wait_explained(page, 3)
    tour.copies["stepper"] = copy_state(page)
    page.evaluate("() => { window.__sameDocument = true; }")
    page.click(".bpd-live-stepper")
    page.wait_for_function("() => document.querySelector('.bpd-stepper[data-variant=full]')"
                           " && document.querySelector('.bpd-stepper').dataset.own === 'done'",
                           timeout=WARM)
    tour.stepper = page.evaluate("""() => ({
        same: window.__sameDocument === true, url: location.href,
        step: document.querySelector('.bpd-stepper').dataset.step,
        numbers: document.querySelector('.bpd-stepper-numbers').textContent,
        status: document.querySelector('.bpd-own-status').textContent,
        labels: Object.fromEntries([...document.querySelectorAll(
          '.bpd-stepper[data-variant=full] [data-val]')].filter(s => s.textContent)
          .map(s => [s.dataset.val, s.textContent]))})""")

    # Leaving the page while it plays stops the training; Python stays.
    nav_to(page, site, "training/")
    page.wait_for_selector(".bpd-live-view:not([hidden])")
    tour.left["loaded on arrival"] = page.evaluate("() => window.backpropDocRun.loaded")
    page.select_option("#bpd-live-speed", "10")
    page.click(".bpd-live-play")
    page.wait_for_function("() => Number(document.querySelector('.bpd-live').dataset.iteration)"
                           " > 30", timeout=WARM)
    nav_to(page, site, "worked-example/")
    tour.left["iterations"] = page.evaluate("""async () => {
        const live = window.backpropDocRun.live;
        const seen = [];
        live.onMessage = m => { if (m.op === "frame") seen.push(m.numbers[0]); };
        const frame = () => new Promise(r => {
          live.post({op: "frame", id: 999});
          setTimeout(r, 800);
        });
        await frame(); await frame();
        return seen; }""")

    # Reduced motion: one frame a second. The live region: every few seconds.
    nav_to(page, site, "training/")
    page.wait_for_selector(".bpd-live-view:not([hidden])")
    page.click(".bpd-live-step")
    wait_explained(page, 1)
    page.evaluate("""() => { window.__said = [];
        new MutationObserver(() => window.__said.push(
          document.querySelector('.bpd-live-announce').textContent))
          .observe(document.querySelector('.bpd-live-announce'),
                   {childList: true, characterData: true, subtree: true}); }""")
    page.select_option("#bpd-live-speed", "1")
    page.click(".bpd-live-play")
    started = time.monotonic()
    # Six seconds of playing, and at least 60 frames drawn: on a loaded machine the browser
    # may draw fewer than ten a second, and what is checked is the view, not the machine.
    page.wait_for_function("() => window.backpropDocLive.stats.frames >= 60", timeout=WARM)
    page.wait_for_timeout(max(0.0, 6.0 - (time.monotonic() - started)) * 1000)
    page.click(".bpd-live-play")
    wait_explained(page)
    tour.announced = page.evaluate("() => window.__said")
    tour.reduced["normal"] = state(page)
    page.emulate_media(reduced_motion="reduce")
    try:
        start = state(page)
        page.click(".bpd-live-play")
        page.wait_for_timeout(3500)
        page.click(".bpd-live-play")
        wait_explained(page)
        tour.reduced["start"], tour.reduced["end"] = start, state(page)
    finally:
        page.emulate_media(reduced_motion="no-preference")

    # The view in both palettes, on a desktop and at a phone's width.
    try:
        for name, dark, size in (("dark-desktop", True, DESKTOP), ("light-phone", False, PHONE),
                                 ("dark-phone", True, PHONE)):
            page.set_viewport_size(size)
            tour.looks.setdefault(name, {})["scheme"] = set_scheme(page, dark)
            look(page, tour, site, name)
            tour.looks[name]["scheme"] = page.evaluate("() => document.body.dataset.mdColorScheme")
    finally:
        page.set_viewport_size(DESKTOP)
        set_scheme(page, False)
    return tour


@pytest.fixture(scope="module")
def tour(python_page: SitePage, served_site: str) -> Tour:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return take_tour(python_page, served_site)


# ------------------------------------------------------------------ the tests


def test_nothing_of_python_loads_before_the_first_step(tour: Tour,
                                                       python_page: SitePage) -> None:
    assert tour.requests_before
    assert not [u for u in tour.requests_before if PYTHON_FILES.search(u)]
    after = python_page.requests
    assert [u for u in after if u.endswith("/pyodide.asm.wasm")]
    assert [u for u in after if u.endswith("/run/live.py")]


def test_before_play_the_view_shows_the_pages_run_at_iteration_0(tour: Tour) -> None:
    from backprop_doc.example import SEED
    from backprop_doc.training import init_params

    before = tour.before
    assert before["iteration"] == 0 and before["playing"] == "no"
    assert number(before["loss"]) == pytest.approx(1.150757, abs=5e-7)  # the page prints it
    w, _, u, _ = init_params(np.random.default_rng(SEED))
    for (i, j), v in np.ndenumerate(w):
        assert agrees(before["values"][f"w{i + 1}{j + 1}"], v)
    for (j, k), v in np.ndenumerate(u):
        assert agrees(before["values"][f"u{j + 1}{k + 1}"], v)
    assert "Press Play or Step" in before["note"]


def test_step_moves_the_state_by_exactly_one_gradient_step(tour: Tour) -> None:
    (_, first), (_, second) = tour.copies["1"], tour.copies["2"]
    assert (first["iteration"], second["iteration"]) == (1, 2)
    for k in ("x", "t"):
        assert np.array_equal(first[k], second[k])
    assert first["eta"] == second["eta"] == 2.0
    expected = numpy_step(first)
    for name, value in expected.items():
        np.testing.assert_allclose(second[name], value, rtol=1e-12, atol=1e-15)
    # What the view shows is that state: its loss, to the digits shown.
    assert agrees(tour.steps["2"]["loss"], numpy_loss(second))
    assert agrees(tour.steps["2"]["values"]["w11"], second["w"][0, 0])


def test_the_view_starts_with_the_pages_seeded_run(tour: Tour) -> None:
    from backprop_doc.example import ADDER_T, ADDER_X, SEED, TRAIN_ETA
    from backprop_doc.training import train

    _, first = tour.copies["1"]
    run = train(ADDER_X, ADDER_T, eta=TRAIN_ETA, steps=1, rng=np.random.default_rng(SEED))
    assert np.array_equal(first["x"], ADDER_X) and np.array_equal(first["t"], ADDER_T)
    for name, value in zip(("w", "b1", "u", "b2"), run.params, strict=True):
        np.testing.assert_allclose(first[name], value, rtol=1e-12)


def test_play_then_pause_changes_the_iteration_the_loss_and_the_weights(tour: Tour) -> None:
    before, playing, paused = (tour.played[k] for k in ("before", "playing", "paused"))
    assert playing["playing"] == "yes" and paused["playing"] == "no"
    assert before["iteration"] < playing["iteration"] <= paused["iteration"]
    assert number(paused["loss"]) < number(before["loss"])
    changed = [k for k in before["values"] if k[0] in "wub"
               and before["values"][k] != paused["values"][k]]
    assert len(changed) >= 10, changed
    assert before["widths"] != paused["widths"]
    assert paused["explained"] == str(paused["iteration"])


def test_paused_a_weights_formula_shows_this_iterations_numbers(tour: Tour) -> None:
    hovered = tour.played["hovered"]
    _, s = tour.copies["paused"]
    assert hovered["tex"] == ["u21"] and hovered["texDrawn"]
    h = sigmoid(s["x"] @ s["w"] + s["b1"])
    y = sigmoid(h @ s["u"] + s["b2"])
    d2 = (y - s["t"]) * y * (1 - y)
    grad = float(h[:, 1] @ d2[:, 0])
    value, gradient = NUMBER.findall(hovered["lines"][0])[-2:]
    assert agrees(value, s["u"][1, 0]) and agrees(gradient, grad)
    shown = NUMBER.findall(hovered["lines"][1].split(":", 1)[1])
    want = [v for s_ in range(4) for v in (h[s_, 1], d2[s_, 0])] + [grad]
    assert len(shown) == len(want) and all(agrees(a, b) for a, b in zip(shown, want, strict=True))
    point = NUMBER.findall(hovered["lines"][2].split(":", 1)[1])  # point 2: h2, delta, term
    assert agrees(point[-3], h[1, 1]) and agrees(point[-2], d2[1, 0])
    assert agrees(point[-1], h[1, 1] * d2[1, 0])
    after = numpy_step(s)["u"][1, 0]
    assert agrees(NUMBER.findall(hovered["lines"][3])[-1], after)


def test_the_loss_of_the_pages_run_is_the_pages_doctest(tour: Tour) -> None:
    from backprop_doc.example import ADDER_T, ADDER_X, SEED, STEPS, TRAIN_ETA
    from backprop_doc.training import train

    losses = train(ADDER_X, ADDER_T, eta=TRAIN_ETA, steps=STEPS,
                   rng=np.random.default_rng(SEED)).losses
    page = (ROOT / "docs" / "training.md").read_text(encoding="utf-8")
    printed = re.findall(r">>> print\(f\"\{run\.losses\[(0|-1)\]:\.6f\}\"\)\n(\S+)", page)
    assert printed == [("0", "1.150757"), ("-1", "0.000465")], printed
    assert f"{number(tour.run['start']):.6f}" == "1.150757"
    assert f"{number(tour.run['at 0']):.6f}" == "1.150757"
    assert f"{number(tour.run['at 3000']):.6f}" == "0.000465"
    assert number(tour.run["at 3000"]) == pytest.approx(losses[3000], rel=1e-6)
    assert tour.run["end key"] == tour.run["iteration"]


def test_a_bad_learning_rate_and_a_bad_seed_are_named_and_change_nothing(tour: Tour) -> None:
    eta, refused, before, seed = (tour.bad[k] for k in ("eta", "step refused", "before", "seed"))
    assert "learning rate η" in eta["errors"]["eta"] and "positive" in eta["errors"]["eta"]
    assert eta["invalid"] == ["eta"]
    assert refused["iteration"] == before["iteration"] and refused["loss"] == before["loss"]
    assert refused["error"] == "eta"
    assert '"2.5" is not a whole number' in seed["errors"]["seed"]
    assert seed["invalid"] == ["seed"] and seed["iteration"] == before["iteration"]


def test_a_click_on_a_plane_adds_a_point_and_removes_it(tour: Tour) -> None:
    assert tour.clicks["added"]["points"] == 5 and "Added point 5" in tour.clicks["added"]["note"]
    _, s = tour.copies["added"]
    assert s["x"].shape == (5, 2)
    np.testing.assert_allclose(s["x"][-1], [0.5, 0.25], atol=0.02)
    assert list(s["t"][-1]) == [1.0, 0.0]
    assert "Removed point 5" in tour.clicks["removed"]["note"]
    assert "The cross is at (0.6, 0.55)" in tour.clicks["cross"]["note"]
    _, k = tour.copies["keyboard"]
    np.testing.assert_allclose(k["x"][-1], [0.6, 0.55], atol=1e-9)
    assert tour.clicks["keyboard removed"]["points"] == 4


def test_the_last_point_stays(tour: Tour) -> None:
    last = tour.clicks["last"]
    assert last["points"] == 1 and last["error"] == "data"
    assert "The last point stays" in last["errors"]["data"]


def test_an_overflow_stops_the_view_at_a_finite_state(tour: Tour) -> None:
    over = tour.overflow
    assert over["playing"] == "no"
    assert "overflowed" in over["note"] and "Training stopped at iteration" in over["note"]
    _, s = tour.copies["overflow"]
    assert all(np.all(np.isfinite(s[k])) for k in ("w", "b1", "u", "b2"))
    assert "NaN" not in over["loss"] and np.isfinite(number(over["loss"]))
    assert not [v for v in over["values"].values() if "NaN" in v or "inf" in v]


def test_step_through_this_iteration_opens_the_stepper_with_its_numbers(tour: Tour) -> None:
    seen = tour.stepper
    _, s = tour.copies["stepper"]
    assert seen["same"], "the link loaded a whole page: Python was loaded again"
    assert seen["step"] == "a1-1"
    query = parse_qs(urlparse(seen["url"]).query)
    assert query["iteration"] == ["3"] and query["point"] == ["3"]
    x, w, b1 = s["x"][2], s["w"], s["b1"]
    a1 = x[0] * w[0, 0] + x[1] * w[1, 0] + b1[0]
    shown = NUMBER.findall(seen["numbers"])
    want = [x[0], w[0, 0], x[1], w[1, 0], b1[0], a1]
    assert len(shown) == len(want) and all(agrees(a, b) for a, b in zip(shown, want, strict=True))
    assert agrees(seen["labels"]["w11"], w[0, 0]) and agrees(seen["labels"]["b1-1"], b1[0])
    assert "iteration 3, training point 3" in seen["status"]


def test_leaving_the_page_stops_the_training_and_python_stays(tour: Tour) -> None:
    assert tour.left["loaded on arrival"] is True
    first, second = tour.left["iterations"]
    assert first == second > 30


def test_reduced_motion_draws_a_frame_a_second(tour: Tour) -> None:
    start, end = tour.reduced["start"], tour.reduced["end"]
    frames = end["stats"]["frames"] - start["stats"]["frames"]
    steps = end["iteration"] - start["iteration"]  # one step a frame
    assert 1 <= frames <= 5 and 1 <= steps <= 5, (frames, steps)
    normal = tour.reduced["normal"]["stats"]["frames"]
    assert normal >= 60, f"{normal} frames in six seconds without reduced motion"


def test_the_live_region_speaks_every_few_seconds(tour: Tour) -> None:
    said = tour.announced
    assert 1 <= len(said) <= 4, said  # six seconds of playing, then the pause
    assert re.fullmatch(r"Paused at iteration \d+, loss [0-9.]+", said[-1]), said


def test_the_view_passes_axe_light_and_dark_desktop_and_phone(tour: Tour) -> None:
    assert sorted(tour.looks) == ["dark-desktop", "dark-phone", "light-desktop", "light-phone"]
    failing = {f"{name} {when}": v for name, looks in tour.looks.items()
               for when, v in looks.items() if when in ("before", "playing", "paused") and v}
    assert not failing
    for name in ("dark-desktop", "dark-phone"):
        assert tour.looks[name]["scheme"] == "slate"
    for name in ("light-phone", "dark-phone"):
        assert tour.looks[name]["width"] <= PHONE["width"], "the page scrolls sideways"
        assert tour.looks[name]["state"]["tex"] == ["u21"]
    assert len(tour.screenshots) == 12 and all(p.stat().st_size > 0 for p in tour.screenshots)


def test_nothing_leaves_the_host_and_nothing_fails(tour: Tour, python_page: SitePage) -> None:
    assert not python_page.left_site
    assert not python_page.errors


def test_without_javascript_the_snapshots_are_there(session_browser: Any,
                                                    served_site: str) -> None:
    context = session_browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    left: list[str] = []
    browser.guard(context, left)
    page = context.new_page()
    try:
        page.goto(served_site + "training/")
        found = page.evaluate("""() => {
            const shots = document.querySelector('.bpd-live-snapshots');
            const images = [...shots.querySelectorAll('img')];
            images.forEach(i => i.scrollIntoView());
            return {open: shots.open,
                    view: getComputedStyle(document.querySelector('.bpd-live-view')).display,
                    alts: images.map(i => i.alt), srcs: images.map(i => i.getAttribute('src'))};
        }""")
        page.wait_for_function("() => [...document.querySelectorAll('.bpd-live-snapshots img')]"
                               ".every(i => i.complete && i.naturalWidth > 0)", timeout=WARM)
        page.locator(".bpd-live-snapshots").screenshot(
            path=str(SCREENSHOTS / "live-nojs.png"))
    finally:
        context.close()
    assert found["open"] is True and found["view"] == "none"
    assert [s.rsplit("/", 1)[1] for s in found["srcs"]] == [
        "live-0.svg", "live-100.svg", "live-200.svg", "live-3000.svg"]
    assert "iteration 0, loss 1.151" in found["alts"][0]
    assert "iteration 3000, loss 0.0004647" in found["alts"][-1]
    assert not left


def test_python_failing_to_load_is_named_and_the_page_still_reads(
        session_browser: Any, served_site: str) -> None:
    context = session_browser.new_context(viewport=DESKTOP)
    left: list[str] = []
    browser.guard(context, left)
    context.route("**/assets/pyodide/numpy-*", lambda route: route.fulfill(
        status=404, body="missing"))  # (the last route added is asked first)
    page = context.new_page()
    try:
        page.goto(served_site + "training/")
        page.click(".bpd-live-play")
        page.wait_for_selector(".bpd-live-note.bpd-live-fail", timeout=COLD)
        note = page.locator(".bpd-live-note").text_content() or ""
        title = (page.locator("article h1").text_content() or "").strip().rstrip("¶")
        playing = page.evaluate("() => document.querySelector('.bpd-live').dataset.playing")
    finally:
        context.close()
    assert re.search(r"Could not load numpy-[^ ]+\.whl \(.*\): the site answered HTTP 404",
                     note), note
    assert "The page still reads" in note
    assert title == "Training" and playing == "no"
    assert not left
