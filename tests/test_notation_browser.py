"""Symbols that explain themselves, in the browser (docs/javascripts/symbols.js).

On every page of the derivation and on the worked example: symbols hovered with the mouse
show their meaning (the one the page's list gives their mark), and a formula focused by the
keyboard announces its symbols one by one with the arrow keys. On the worked example the
values shown are checked against plain NumPy written here. On a phone a tap shows a symbol's
meaning; axe-core finds nothing serious with the tooltip open, in both palettes; on paper the
tooltip does not show. Screenshots: ``test-artifacts/screenshots/notation-*.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from helpers import Crawl, guarded_page, serious_violations, site_pages

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}

MEANINGS_JS = """() => JSON.parse(
  document.querySelector('article .bpd-symbols').dataset.meanings)"""
#: The marked symbols of the page's drawn formulas that a reader can point at: visible,
#: in a formula of the article (not in a folded solution or another tab).
VISIBLE_JS = """(limit) => {
  const out = [];
  const seen = new Set();
  for (const g of document.querySelectorAll("article .arithmatex [data-s]")) {
    const r = g.getBoundingClientRect();
    if (!r.width || !r.height || seen.has(g.dataset.s)) continue;
    if (g.querySelector("[data-s]")) continue;  // the innermost: what the pointer finds
    seen.add(g.dataset.s);
    g.dataset.probe = String(out.length);
    out.push(Number(g.dataset.s));
    if (out.length >= limit) break;
  }
  return out;
}"""


def derivation_pages(built_site: Path) -> list[str]:
    """The pages of the derivation that have formulas (the motivation has none), and the
    worked example."""
    pages = [p for p in site_pages(built_site) if p.startswith("derivation/")]
    assert len(pages) == len(list((ROOT / "docs" / "derivation").glob("*.md")))
    with_math = [p for p in pages
                 if 'class="arithmatex"' in (built_site / p / "index.html").read_text("utf-8")]
    assert len(with_math) >= 5, with_math
    return [*with_math, "worked-example/"]


def point_at(page: Any, selector: str) -> str:
    """Move the mouse to the middle of the element and return the tooltip's text."""
    page.eval_on_selector(selector, "e => e.scrollIntoView({block: 'center', inline: 'center'})")
    box = page.locator(selector).first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => !document.getElementById('bpd-sym-tip').hidden")
    return str(page.inner_text("#bpd-sym-tip"))


def ready(page: Any, url: str) -> None:
    """Load ``url`` and wait for symbols.js: the formulas set up, its stylesheet loaded."""
    page.goto(url)
    page.wait_for_function("() => document.querySelector('[data-symbols]') && [...document"
                           ".styleSheets].some(s => (s.href || '').endsWith('symbols.css'))")


def expected_text(meaning: list[str]) -> str:
    name, means, code, value = meaning
    return f"{name}: {means}" + (f"\nin code {code}" + (f" = {value}" if value else "")
                                  if code else "")


def worked_example() -> dict[str, float]:
    """The worked example's numbers, computed here in plain NumPy."""
    x, t = np.array([0.5, 1.0]), np.array([0.01, 0.99])
    w = np.array([[0.15, 0.20, 0.25], [0.30, 0.35, 0.40]])
    u = np.array([[0.40, 0.45], [0.50, 0.55], [0.60, 0.65]])
    h = 1 / (1 + np.exp(-(x @ w + 0.35)))
    y = 1 / (1 + np.exp(-(h @ u + 0.60)))
    return {"h₁": h[0], "y₁": y[0], "y₂": y[1], "x₁": x[0], "w₁₁": w[0, 0], "u₁₂": u[0, 1],
            "t₂": t[1], "η": 0.5}


@pytest.fixture(scope="module")
def shots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="module")
def tour(session_browser: Any, served_site: str, built_site: Path) -> Iterator[dict[str, Any]]:
    """Each page of the derivation and the worked example, light palette: symbols hovered,
    one formula by the keyboard; what the tooltip and the live region said."""
    crawl = Crawl()
    context, page = guarded_page(session_browser, served_site, crawl, "light")
    seen: dict[str, Any] = {"crawl": crawl, "pages": {}}
    try:
        for path in derivation_pages(built_site):
            ready(page, served_site + path)
            meanings = page.evaluate(MEANINGS_JS)
            probes = page.evaluate(VISIBLE_JS, 8)
            hovered = [(meanings[n], point_at(page, f"[data-probe='{k}']"))
                       for k, n in enumerate(probes)]
            lit = page.evaluate("() => [...document.querySelectorAll('.bpd-sym-on')]"
                                ".map(g => g.dataset.s)")
            page.mouse.move(0, 0)
            formula = page.locator("article .arithmatex[data-symbols]").first
            formula.focus()
            marks = formula.evaluate("f => [...f.querySelectorAll('[data-s]')]"
                                     ".map(g => Number(g.dataset.s))")
            said = [page.inner_text(".bpd-sym-live")]
            for _ in range(min(3, len(marks) - 1)):
                page.keyboard.press("ArrowRight")
                said.append(page.inner_text(".bpd-sym-live"))
            page.keyboard.press("Escape")
            seen["pages"][path] = {"meanings": meanings, "hovered": hovered, "lit": lit,
                                   "marks": marks, "said": said,
                                   "tabindex": formula.get_attribute("tabindex"),
                                   "tip_hidden": page.evaluate(
                                       "() => document.getElementById('bpd-sym-tip').hidden")}
        ready(page, served_site + "worked-example/")
        meanings = page.evaluate(MEANINGS_JS)
        values: dict[str, str] = {}
        for name in worked_example():
            k = next((i for i, m in enumerate(meanings) if m[0] == name and m[3]), None)
            if k is None:
                continue
            selector = (f"article .arithmatex:not(.bpd-stepper *) [data-s='{k}']")
            values[name] = point_at(page, selector)
        seen["values"] = values
        yield seen
    finally:
        context.close()


def test_the_tour_stays_on_the_site_without_errors(tour: dict[str, Any]) -> None:
    crawl = tour["crawl"]
    assert not crawl.left_site and not crawl.errors and not crawl.failed, \
        (crawl.left_site, crawl.errors, crawl.failed)


def test_hovering_a_symbol_shows_its_meaning(tour: dict[str, Any]) -> None:
    for path, seen in tour["pages"].items():
        assert len(seen["hovered"]) >= 1, path
        for meaning, shown in seen["hovered"]:
            assert shown == expected_text(meaning), (path, shown)
        assert len(seen["lit"]) == 1, (path, seen["lit"])  # one symbol at a time


def test_a_focused_formula_announces_its_symbols_one_by_one(tour: dict[str, Any]) -> None:
    for path, seen in tour["pages"].items():
        assert seen["tabindex"] == "0", path
        meanings, marks, said = seen["meanings"], seen["marks"], seen["said"]
        assert said[0].startswith(f"{len(marks)} symbols; the arrow keys"), (path, said[0])
        for k, text in enumerate(said):
            name, means = meanings[marks[k]][:2]
            assert f"{name}: {means}" in text and f"({k + 1} of {len(marks)})" in text, \
                (path, k, text)
        assert seen["tip_hidden"], path  # Escape hid it


def test_the_worked_example_shows_numpys_values(tour: dict[str, Any]) -> None:
    expected = worked_example()
    shown = tour["values"]
    assert {"h₁", "y₂", "w₁₁", "x₁"} <= set(shown), sorted(shown)
    for name, text in shown.items():
        match = re.search(r" = (-?[0-9.]+)$", text)
        assert match, text
        assert float(match.group(1)) == pytest.approx(expected[name], abs=5e-9), (name, text)
    assert shown["h₁"].startswith("h₁: the activation of hidden unit 1")
    assert shown["h₁"].endswith("in code h[0, 0] = 0.67370710")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_with_the_tooltip_open(
        session_browser: Any, served_site: str, shots: Path, scheme: str) -> None:
    crawl = Crawl()
    context, page = guarded_page(session_browser, served_site, crawl, scheme)
    try:
        ready(page, served_site + "derivation/output-layer/")
        page.evaluate(VISIBLE_JS, 3)
        text = point_at(page, "[data-probe='2']")
        assert text
        page.screenshot(path=str(shots / f"notation-tooltip-{scheme}.png"))
        found = serious_violations(page)
        assert not page.evaluate("() => document.getElementById('bpd-sym-tip').hidden")
        assert not found, found
        page.emulate_media(media="print")
        assert page.evaluate("() => getComputedStyle(document.getElementById('bpd-sym-tip'))"
                             ".display") == "none"
    finally:
        context.close()


def test_a_tap_shows_a_symbols_meaning_on_a_phone(
        session_browser: Any, served_site: str, shots: Path) -> None:
    context = session_browser.new_context(viewport=PHONE, device_scale_factor=2,
                                          is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        ready(page, served_site + "worked-example/")
        meanings = page.evaluate(MEANINGS_JS)
        k = next(i for i, m in enumerate(meanings) if m[0] == "h₁" and m[3])
        # the first drawn occurrence (an empty group of the SVG can carry the mark too)
        page.evaluate("""k => [...document.querySelectorAll(
            `article .arithmatex:not(.bpd-stepper *) [data-s='${k}']`)]
            .find(e => e.getBoundingClientRect().width > 2).dataset.tapMe = '1'""", k)
        selector = "[data-tap-me]"
        page.eval_on_selector(selector,
                              "e => e.scrollIntoView({block: 'center', inline: 'center'})")
        box = page.locator(selector).first.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function("() => !document.getElementById('bpd-sym-tip').hidden")
        assert page.inner_text("#bpd-sym-tip") == expected_text(meanings[k])
        tip = page.locator("#bpd-sym-tip").bounding_box()
        assert tip["x"] >= 0 and tip["x"] + tip["width"] <= PHONE["width"], tip
        page.screenshot(path=str(shots / "notation-phone.png"))
        # a heading far from the formula (the tooltip stays by the formula it explains)
        page.eval_on_selector("article h2#exercises", "e => e.scrollIntoView({block: 'center'})")
        away = page.locator("article h2#exercises").bounding_box()
        page.touchscreen.tap(away["x"] + 10, away["y"] + away["height"] / 2)
        page.wait_for_function("() => document.getElementById('bpd-sym-tip').hidden")
    finally:
        context.close()
