"""The step-through figure (backprop_site/stepper.py, docs/stepper/, backprop_site/steps.py).

The browser tests step through the built site with the keyboard and compare every value
shown, on the figure and in the step's formula, with a computation written here in plain
NumPy (not the package), to the digits shown. One tour (``tour``, module-scoped) does the
browsing in a guarded page (nothing may leave 127.0.0.1): the home page's compact figure,
the worked example's reached by instant navigation, the page's formulas hovered, the
reader's own x recomputed by the page's Python (Pyodide, loaded once), a bad field; then the
figure in three states in both palettes, on a desktop and at a phone's width, with axe-core
and a screenshot of each (``test-artifacts/screenshots/stepper-*.png``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from mkdocs.exceptions import PluginError

from backprop_site import stepper
from helpers import Crawl, guarded_page, swap_content

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
COLD = 120_000  # ms: loading Python on a busy two-core machine
STATES = {"first": "a1-1", "hidden-delta": "d1-2", "last": "update-w"}
MINUS = "\N{MINUS SIGN}"
NUMBER = re.compile(rf"{MINUS}?[0-9]+(?:\.[0-9]+)?(?:e[{MINUS}+][0-9]+)?")


# ------------------------------------------------------------------ the independent numbers


def sigmoid(a: Any) -> Any:
    return 1 / (1 + np.exp(-a))


def expected_steps(x: Any, t: Any) -> dict[str, tuple[list[float], dict[str, float]]]:
    """For each step id: the numbers of its formula in order, and the value on each lit
    figure element, computed from the worked example's parameters in plain NumPy."""
    w = np.array([[0.15, 0.20, 0.25], [0.30, 0.35, 0.40]])
    b1 = np.array([0.35, 0.35, 0.35])
    u = np.array([[0.40, 0.45], [0.50, 0.55], [0.60, 0.65]])
    b2 = np.array([0.60, 0.60])
    eta = 0.5
    x, t = np.asarray(x, float), np.asarray(t, float)
    a1 = np.array([x[0] * w[0, j] + x[1] * w[1, j] + b1[j] for j in range(3)])
    h = sigmoid(a1)
    a2 = np.array([sum(h[i] * u[i, k] for i in range(3)) + b2[k] for k in range(2)])
    y = sigmoid(a2)
    loss = 0.5 * ((y[0] - t[0]) ** 2 + (y[1] - t[1]) ** 2)
    d2 = (y - t) * y * (1 - y)
    d1 = np.array([(d2[0] * u[j, 0] + d2[1] * u[j, 1]) * h[j] * (1 - h[j]) for j in range(3)])
    du = np.array([[d2[k] * h[i] for k in range(2)] for i in range(3)])
    dw = np.array([[d1[j] * x[i] for j in range(3)] for i in range(2)])
    out: dict[str, tuple[list[float], dict[str, float]]] = {}
    for j in range(3):
        J = j + 1
        out[f"a1-{J}"] = ([x[0], w[0, j], x[1], w[1, j], b1[j], a1[j]],
                          {"x1": x[0], "x2": x[1], f"w1{J}": w[0, j], f"w2{J}": w[1, j],
                           f"b1-{J}": b1[j], f"h{J}": a1[j]})
        out[f"h-{J}"] = ([a1[j], h[j]], {f"h{J}": h[j]})
    for k in range(2):
        K = k + 1
        out[f"a2-{K}"] = ([v for i in range(3) for v in (h[i], u[i, k])] + [b2[k], a2[k]],
                          {**{f"h{i + 1}": h[i] for i in range(3)},
                           **{f"u{i + 1}{K}": u[i, k] for i in range(3)}, f"b2-{K}": b2[k],
                           f"y{K}": a2[k]})
        out[f"y-{K}"] = ([a2[k], y[k]], {f"y{K}": y[k]})
    out["loss"] = ([y[0], t[0], y[1], t[1], loss],
                   {"y1": y[0], "y2": y[1], "t1": t[0], "t2": t[1], "L": loss})
    for k in range(2):
        K = k + 1
        out[f"d2-{K}"] = ([y[k], t[k], y[k], 1, y[k], d2[k]], {f"y{K}": d2[k], f"t{K}": t[k]})
    for i in range(3):
        for k in range(2):
            out[f"du{i + 1}{k + 1}"] = ([d2[k], h[i], du[i, k]],
                                        {f"h{i + 1}": h[i], f"u{i + 1}{k + 1}": du[i, k],
                                         f"y{k + 1}": d2[k]})
    out["db2"] = (list(d2), {"y1": d2[0], "y2": d2[1]})
    for j in range(3):
        J = j + 1
        out[f"d1-{J}"] = ([d2[0], u[j, 0], d2[1], u[j, 1], h[j], 1, h[j], d1[j]],
                          {f"h{J}": d1[j], f"u{J}1": u[j, 0], f"u{J}2": u[j, 1],
                           "y1": d2[0], "y2": d2[1]})
    for i in range(2):
        for j in range(3):
            out[f"dw{i + 1}{j + 1}"] = ([d1[j], x[i], dw[i, j]],
                                        {f"x{i + 1}": x[i], f"w{i + 1}{j + 1}": dw[i, j],
                                         f"h{j + 1}": d1[j]})
    out["db1"] = (list(d1), {f"h{j + 1}": d1[j] for j in range(3)})
    for name, old, grad in (("u", u, du), ("w", w, dw)):
        new = old - eta * grad
        out[f"update-{name}"] = (
            [v for r, c in np.ndindex(old.shape) for v in (old[r, c], eta, grad[r, c], new[r, c])],
            {f"{name}{r + 1}{c + 1}": new[r, c] for r, c in np.ndindex(old.shape)})
    return out


WORKED = {"x": [0.5, 1.0], "t": [0.01, 0.99]}
OWN_X = "1.5"  # the reader's own x1
EQUATIONS = {"a1": "2.1", "h": "2.2", "a2": "2.3", "y": "2.4", "loss": "3.1", "d2": "4.6",
             "du": "4.6", "db2": "4.6", "d1": "5.10", "dw": "6.1", "db1": "6.1",
             "update-u": "4.7", "update-w": "5.9"}


def shown_numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def agrees(shown: str, value: float) -> bool:
    """``shown`` is ``value`` to the digits shown (half a unit of its last digit)."""
    mantissa = shown.split("e")[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(shown.split("e")[1].replace(MINUS, "-")) if "e" in shown else 0
    number = float(shown.replace(MINUS, "-"))
    return abs(number - value) <= 0.5 * 10.0 ** (exponent - decimals) * (1 + 1e-9) + 1e-15


def disagreements(state: dict[str, Any], expected: tuple[list[float], dict[str, float]]
                  ) -> list[str]:
    numbers, labels = expected
    problems = []
    shown = shown_numbers(state["numbers"])
    if len(shown) != len(numbers):
        problems.append(f"formula {state['numbers']!r}: {len(shown)} numbers, "
                        f"expected {len(numbers)}")
    else:
        problems += [f"formula {state['numbers']!r}: {s} is not {v:.6g}"
                     for s, v in zip(shown, numbers, strict=True) if not agrees(s, v)]
    if set(state["labels"]) != set(labels):
        problems.append(f"values on {sorted(state['labels'])}, expected on {sorted(labels)}")
    for sym, value in labels.items():
        text = state["labels"].get(sym, "")
        found = shown_numbers(text)
        if len(found) != 1 or not agrees(found[0], value):
            problems.append(f"{sym} shows {text!r}, expected {value:.6g}")
    if set(state["lit"]) != set(labels):
        problems.append(f"lit {sorted(state['lit'])}, expected {sorted(labels)}")
    return problems


# ------------------------------------------------------------------ tests without a browser


def test_the_independent_numbers_match_the_pages_doctests() -> None:
    """The test's own computation against numbers the worked example page prints."""
    steps = expected_steps(**WORKED)
    assert steps["h-1"][0][1] == pytest.approx(0.6737071, abs=1e-7)
    assert steps["d2-1"][0][-1] == pytest.approx(0.11272117, abs=1e-8)
    assert steps["dw11"][0][-1] == pytest.approx(0.00408257, abs=1e-8)


def test_agrees_to_the_digits_shown() -> None:
    assert agrees("0.6737", 0.67370710)
    assert not agrees("0.6738", 0.67370710)
    assert agrees(f"{MINUS}0.01766", -0.017655004)
    assert not agrees("0.725", 0.7256)


def test_a_step_whose_line_is_not_in_src_fails_the_build() -> None:
    hook = stepper
    assert hook.code_line("net.py", "backward", "delta2 = ")[0].startswith("delta2 = (y - t)")
    with pytest.raises(PluginError, match="no line starting 'delta3 = '"):
        hook.code_line("net.py", "backward", "delta3 = ")


def test_the_stepper_draws_figure_1_itself() -> None:
    """The same drawing as Figure 1: without its groups, value slots and the loss's point,
    and with Figure 1's ids, the step-through figure is Figure 1, element for element."""
    from backprop_site.figures import network_svg

    svg = network_svg(stepper=True)
    svg = re.sub(r'<g data-sym="L" class="bpd-sym bpd-loss"><circle [^>]*/></g>', "", svg)
    svg = re.sub(r'<g data-sym="[^"]+" class="[^"]+">|</g>', "", svg)
    svg = re.sub(r'<text [^>]*data-val="[^"]+"/>|<text [^>]*data-val="[^"]+"></text>', "", svg)
    # (a group's elements are written on one line: newlines between elements aside)
    assert svg.replace("bpd-stepper", "bpd-network").replace("\n", "") \
        == network_svg().replace("\n", "")


def test_every_element_a_step_lights_is_in_the_figure_with_a_place_for_its_value() -> None:
    from backprop_doc.example import ETA, b1, b2, t, u, w, x
    from backprop_site.figures import network_svg
    from backprop_site.steps import steps

    svg = network_svg(stepper=True)
    named = set(re.findall(r'data-sym="([^"]+)"', svg))
    slots = set(re.findall(r'data-val="([^"]+)"', svg))
    lit = {sym for step in steps(x, t, w, b1, u, b2, ETA) for sym in step["lit"]}
    assert lit <= named and lit <= slots, (lit - named, lit - slots)
    assert len(lit) == 2 + 3 + 2 + 2 + 6 + 6 + 3 + 2 + 1  # x, h, y, t, w, u, b1, b2, L


def test_the_browsers_answer_for_unchanged_fields_is_the_builds() -> None:
    """One source: what run/worker.js asks of steps.py, with the worked example's numbers,
    is what the build put in the page (backprop_site/stepper.py)."""
    import json

    from backprop_site.steps import steps_json

    hook = stepper
    built = hook.data()
    fields = {name: text for name, text in built["fields"].items()}
    answer = json.loads(steps_json(json.dumps(fields)))
    keys = ("id", "numbers", "say", "lit", "labels")
    assert [{k: s[k] for k in keys} for s in answer["steps"]] \
        == [{k: s[k] for k in keys} for s in built["steps"]]
    assert answer["symbols"] == built["symbols"]


def test_a_number_too_large_for_a_float_is_named() -> None:
    import json

    from backprop_site.steps import steps_json

    assert json.loads(steps_json('{"t1": "1e999"}')) == {
        "error": 't₁: "1e999" is not a finite number'}


# ------------------------------------------------------------------ the tour


STATE_JS = """variant => {
  const r = document.querySelector(`.bpd-stepper[data-variant=${variant}]`);
  const lit = {};
  for (const g of r.querySelectorAll(".bpd-sym")) {
    const c = [...g.classList].find(c => /^lit-(on|a|b)$/.test(c));
    if (c) lit[g.dataset.sym] = c.slice(4);
  }
  const labels = {};
  for (const s of r.querySelectorAll("[data-val]")) {
    if (s.textContent) labels[s.dataset.val] = s.textContent;
  }
  const link = r.querySelector(".bpd-eq-link");
  return {id: r.dataset.step, status: r.querySelector(".bpd-stepper-status").textContent,
          live: r.querySelector(".bpd-stepper-status").getAttribute("aria-live"),
          numbers: r.querySelector(".bpd-stepper-numbers").textContent, labels, lit,
          tex: [...r.querySelectorAll(".bpd-step-tex")].filter(t => !t.hidden)
                 .map(t => Number(t.dataset.step)),
          drawn: [...r.querySelectorAll(".bpd-step-tex")].filter(t => !t.hidden)
                 .map(t => t.querySelector("mjx-container svg") !== null),
          code: r.querySelector(".bpd-stepper-code").textContent,
          where: r.querySelector(".bpd-code-where").textContent,
          href: link.href, eq: link.textContent, own: r.dataset.own || "",
          ownStatus: (r.querySelector(".bpd-own-status") || {}).textContent || "",
          hover: r.dataset.hover || "",
          hoverText: r.querySelector(".bpd-stepper-hover").textContent,
          focused: document.activeElement === r.querySelector(".bpd-stepper-figure")};
}"""


def state(page: Any, variant: str = "full") -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(STATE_JS, variant)
    return found


def step_through(page: Any) -> list[dict[str, Any]]:
    """Every step, by the keyboard: Home, then the right arrow to the end."""
    page.focus(".bpd-stepper[data-variant=full] .bpd-stepper-figure")
    page.keyboard.press("Home")
    states = [state(page)]
    for _ in range(60):
        page.keyboard.press("ArrowRight")
        now = state(page)
        if now["id"] == states[-1]["id"]:
            break
        states.append(now)
    return states


def axe_on_stepper(page: Any) -> list[str]:
    """axe-core's serious and critical violations inside the figure (all its rules)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        import axe_playwright_python

        page.add_script_tag(path=Path(axe_playwright_python.__file__).with_name("axe.min.js"))
    violations = page.evaluate("""() => axe.run(".bpd-stepper", {resultTypes: ["violations"]})
        .then(r => r.violations)""")
    return [f"{v['id']} ({v['impact']}) {n['target']}" for v in violations
            if v["impact"] in ("serious", "critical") for n in v["nodes"]]


def go_to_step(page: Any, step_id: str) -> None:
    jump = ".bpd-stepper[data-variant=full] .bpd-jump"
    page.select_option(jump, page.get_attribute(f"{jump} option[data-id='{step_id}']", "value"))


@dataclass
class Tour:
    crawl: Crawl = field(default_factory=Crawl)
    compact_first: dict[str, Any] = field(default_factory=dict)
    compact_last: dict[str, Any] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    back: dict[str, Any] = field(default_factory=dict)
    hovered: dict[str, dict[str, Any]] = field(default_factory=dict)
    unhovered: dict[str, Any] = field(default_factory=dict)
    own_steps: list[dict[str, Any]] = field(default_factory=list)
    bad_field: dict[str, Any] = field(default_factory=dict)
    violations: dict[str, list[str]] = field(default_factory=dict)
    screenshots: list[Path] = field(default_factory=list)
    phone_overflow: dict[str, int] = field(default_factory=dict)
    dark_scheme: str = ""
    played: str = ""
    focused_formula: dict[str, Any] = field(default_factory=dict)
    paused: str = ""
    formula_widths: dict[str, float] = field(default_factory=dict)


def look(page: Any, tour: Tour, name: str) -> None:
    """axe-core and a screenshot of the figure in each state of STATES."""
    for label, step_id in STATES.items():
        go_to_step(page, step_id)
        tour.violations[f"{name} {label}"] = axe_on_stepper(page)
        tour.formula_widths[f"{name} {label}"] = page.evaluate(
            """() => document.querySelector(".bpd-stepper[data-variant=full] "
                 + ".bpd-step-tex:not([hidden]) mjx-container > svg")
                 .getBoundingClientRect().width""")
        path = SCREENSHOTS / f"stepper-{name}-{label}.png"
        # In view for two frames first, and laid out whatever the machine's load: a block
        # off the screen is not drawn (content-visibility: auto), and under load the two
        # frames were once not enough (a blank screenshot). Without the page's sticky
        # header, which would cover the figure's top.
        figure = page.locator(".bpd-stepper[data-variant=full]")
        figure.scroll_into_view_if_needed()
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        figure.screenshot(
            path=str(path), style=".md-header, .md-tabs { visibility: hidden; } "
            ".md-typeset > * { content-visibility: visible !important; }")
        tour.screenshots.append(path)


@pytest.fixture(scope="module")
def tour(session_browser: Any, served_site: str) -> Tour:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tour = Tour()
    site = served_site
    context, page = guarded_page(session_browser, site, tour.crawl, "light")
    try:
        page.goto(site)
        tour.compact_first = state(page, "compact")
        page.focus(".bpd-stepper[data-variant=compact] .bpd-stepper-figure")
        page.keyboard.press("End")
        tour.compact_last = state(page, "compact")
        link = f"nav.md-nav--primary a[href='{site}worked-example/']"
        swap_content(page, partial(page.click, link), site + "worked-example/")
        tour.steps = step_through(page)
        page.keyboard.press("ArrowLeft")
        tour.back = state(page)
        # Play from the first step: it moves on by itself, and Pause stops it.
        page.keyboard.press("Home")
        page.click(".bpd-stepper[data-variant=full] .bpd-play")
        page.wait_for_function("() => document.querySelector('.bpd-stepper[data-variant=full]')"
                               ".dataset.step !== 'a1-1'", timeout=10_000)
        page.click(".bpd-stepper[data-variant=full] .bpd-play")
        tour.played = state(page)["id"]
        page.wait_for_timeout(2_000)  # longer than a step of Play
        tour.paused = state(page)["id"]
        # The page's own formulas: point at a symbol.
        page.keyboard.press("Home")
        for sym in ("h1", "u12", "t2"):
            symbol = page.locator(f".arithmatex:not(.bpd-step-tex *) mjx-container .sym-{sym}")
            symbol.first.evaluate("e => e.scrollIntoView({block: 'center'})")
            symbol.first.hover()
            tour.hovered[sym] = state(page)
        page.mouse.move(1, 1)
        tour.unhovered = state(page)
        # By the keyboard: the formula (4.6) takes the focus and lights all its symbols.
        page.locator(".arithmatex[data-tex*='sym-u11']:not(.bpd-step-tex *)").first.focus()
        tour.focused_formula = state(page)
        page.focus(".bpd-stepper[data-variant=full] .bpd-stepper-figure")
        look(page, tour, "light")
        # The reader's own x1, recomputed by the page's Python.
        page.click(".bpd-stepper-own summary")
        page.fill("input[name=x1]", OWN_X)
        page.click(".bpd-own-run")
        page.wait_for_function("() => document.querySelector('.bpd-stepper[data-variant=full]')"
                               ".dataset.own === 'done'", timeout=COLD)
        tour.own_steps = step_through(page)
        page.fill("input[name=x2]", "abc")
        page.click(".bpd-own-run")
        page.wait_for_function("() => document.querySelector('.bpd-stepper[data-variant=full]')"
                               ".dataset.own === 'error'", timeout=COLD)
        tour.bad_field = state(page)
        page.click(".bpd-own-reset")
        page.set_viewport_size(PHONE)
        look(page, tour, "phone-light")
        tour.phone_overflow["light"] = page.evaluate(
            "() => document.documentElement.scrollWidth - innerWidth")
        context.close()
        # The dark palette, as a reader whose system is dark gets it: a fresh load.
        context, page = guarded_page(session_browser, site, tour.crawl, "dark")
        page.goto(site + "worked-example/")
        tour.dark_scheme = page.evaluate("() => document.body.dataset.mdColorScheme")
        look(page, tour, "dark")
        page.set_viewport_size(PHONE)
        look(page, tour, "phone-dark")
        tour.phone_overflow["dark"] = page.evaluate(
            "() => document.documentElement.scrollWidth - innerWidth")
    finally:
        context.close()
    return tour



@pytest.mark.browser
def test_every_step_is_reached_by_the_keyboard(tour: Tour) -> None:
    ids = [s["id"] for s in tour.steps]
    assert ids == list(expected_steps(**WORKED)), ids
    assert all(s["focused"] for s in tour.steps)
    assert tour.back["id"] == ids[-2]


@pytest.mark.browser
def test_every_step_shows_the_independent_numbers(tour: Tour) -> None:
    expected = expected_steps(**WORKED)
    problems = {s["id"]: disagreements(s, expected[s["id"]]) for s in tour.steps}
    assert not {k: v for k, v in problems.items() if v}


@pytest.mark.browser
def test_play_moves_on_and_pause_stops(tour: Tour) -> None:
    assert tour.played not in ("", "a1-1")
    assert tour.paused == tour.played


@pytest.mark.browser
def test_a_hidden_delta_lights_its_two_paths(tour: Tour) -> None:
    delta = next(s for s in tour.steps if s["id"] == "d1-2")
    assert delta["lit"] == {"h2": "on", "u21": "a", "y1": "a", "u22": "b", "y2": "b"}


@pytest.mark.browser
def test_each_step_shows_its_drawn_formula_code_and_derivation(tour: Tour) -> None:
    for k, s in enumerate(tour.steps):
        assert s["tex"] == [k] and s["drawn"] == [True], s["id"]
        file, line = re.fullmatch(r"(src/\S+), line (\d+)", s["where"]).groups()  # type: ignore[union-attr]
        assert (ROOT / file).read_text(encoding="utf-8").splitlines()[int(line) - 1].strip() \
            == s["code"], s["id"]
        kind = s["id"] if s["id"] in EQUATIONS else re.sub(r"-?\d+$", "", s["id"])
        assert s["eq"].startswith(f"({EQUATIONS[kind]}), section "), (s["id"], s["eq"])
        assert "/derivation/" in s["href"], s["href"]


@pytest.mark.browser
def test_each_step_is_announced_in_words_with_its_value(tour: Tour) -> None:
    for k, s in enumerate(tour.steps):
        assert s["live"] == "polite"
        assert s["status"].startswith(f"Step {k + 1} of {len(tour.steps)}, "), s["status"]
        assert shown_numbers(s["numbers"])[-1] in s["status"], (s["status"], s["numbers"])


@pytest.mark.browser
def test_the_home_pages_compact_figure_steps(tour: Tour) -> None:
    expected = expected_steps(**WORKED)
    assert tour.compact_first["id"] == "a1-1"
    assert not disagreements(tour.compact_first, expected["a1-1"])
    assert tour.compact_last["id"] == "update-w"
    assert not disagreements(tour.compact_last, expected["update-w"])


@pytest.mark.browser
def test_hovering_a_symbol_lights_it_with_its_value(tour: Tour) -> None:
    expected = expected_steps(**WORKED)
    values = {"h1": expected["h-1"][0][1], "u12": 0.45, "t2": 0.99}
    for sym, s in tour.hovered.items():
        assert s["hover"] == sym
        (shown,) = shown_numbers(s["labels"][sym])
        assert agrees(shown, values[sym]), (sym, s["labels"][sym])
        assert s["hoverText"] == s["labels"][sym]
    assert tour.unhovered["hover"] == "" and tour.unhovered["hoverText"] == ""


@pytest.mark.browser
def test_focusing_a_formula_lights_its_symbols_with_their_values(tour: Tour) -> None:
    """(4.6): dL/du11 = (y1 - t1) y1 (1 - y1) h1, its symbols in the order they appear."""
    expected = expected_steps(**WORKED)
    s = tour.focused_formula
    assert s["hover"] == "u11 y1 t1 h1"
    values = [0.40, expected["y-1"][0][1], WORKED["t"][0], expected["h-1"][0][1]]
    shown = shown_numbers(s["hoverText"])
    assert len(shown) == 4 and all(agrees(a, v) for a, v in zip(shown, values, strict=True)), \
        s["hoverText"]


@pytest.mark.browser
def test_own_x_changes_every_step_as_the_independent_computation(tour: Tour) -> None:
    expected = expected_steps(x=[float(OWN_X), 1.0], t=WORKED["t"])
    assert [s["id"] for s in tour.own_steps] == list(expected)
    problems = {s["id"]: disagreements(s, expected[s["id"]]) for s in tour.own_steps}
    assert not {k: v for k, v in problems.items() if v}
    changed = [a["numbers"] != b["numbers"] for a, b in zip(tour.steps, tour.own_steps,
                                                            strict=True)]
    assert all(changed), [s["id"] for s, c in zip(tour.steps, changed, strict=True) if not c]


@pytest.mark.browser
def test_a_field_that_is_not_a_number_is_named_and_changes_nothing(tour: Tour) -> None:
    assert "x₂" in tour.bad_field["ownStatus"], tour.bad_field["ownStatus"]
    assert "not a number" in tour.bad_field["ownStatus"]
    last = tour.own_steps[-1]
    assert tour.bad_field["numbers"] == last["numbers"]
    assert tour.bad_field["labels"] == last["labels"]


@pytest.mark.browser
def test_nothing_leaves_the_host(tour: Tour) -> None:
    assert not tour.crawl.left_site
    assert not tour.crawl.failed
    assert not tour.crawl.errors


@pytest.mark.browser
def test_no_serious_accessibility_violation_in_any_state(tour: Tour) -> None:
    assert tour.dark_scheme == "slate"
    assert len(tour.violations) == 4 * len(STATES)
    assert not {k: v for k, v in tour.violations.items() if v}


@pytest.mark.browser
def test_a_phone_shows_the_figure_without_scrolling_sideways(tour: Tour) -> None:
    assert tour.phone_overflow == {"dark": 0, "light": 0}


@pytest.mark.browser
def test_the_steps_formula_is_drawn_at_its_size_in_every_look(tour: Tour) -> None:
    """On a phone too (Material's max-width: 100% once shrank it to a pixel)."""
    assert len(tour.formula_widths) == 4 * len(STATES)
    assert all(width > 40 for width in tour.formula_widths.values()), tour.formula_widths


@pytest.mark.browser
def test_screenshots_are_written(tour: Tour) -> None:
    assert len(tour.screenshots) == 4 * len(STATES)
    assert all(p.stat().st_size > 5_000 for p in tour.screenshots)
