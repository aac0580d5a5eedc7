"""axe-core on every page of the built site as a reader meets it: light ("default") and
dark ("slate") palettes, on a desktop (1280 px) and a phone (390 px).

Each page is loaded by URL and scrolled through, a screen at a time, so that every block is
laid out as the reader meets it (the pages lay out an off-screen block only near the screen:
content-visibility: auto) and what the page's scripts do on scrolling is done; then
axe-core reads the page with every block laid out (``helpers.serious_violations``).
Then every closed <details> is opened, as readers open the solutions and the notes, and
axe-core reads the page once more, what they hold included: one run for both states (opening
a <details> adds to the page and takes nothing away).

The palettes differ in colour only (Material switches CSS variables), so the light palette
gets every axe rule (its default ones and target-size), at both widths (the layouts differ),
and the dark one the colour rules (color-contrast, link-in-text-block). A serious or
critical violation fails the test, named by page, palette, width, rule and element. One
page per palette and width, reused across the pages, in the session's Chromium.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers import scroll_through, serious_violations, site_pages

pytestmark = pytest.mark.browser

LOOKS = {  # name: (color scheme, viewport)
    "light-desktop": ("light", {"width": 1280, "height": 800}),
    "dark-desktop": ("dark", {"width": 1280, "height": 800}),
    "light-phone": ("light", {"width": 390, "height": 844}),
    "dark-phone": ("dark", {"width": 390, "height": 844}),
}
# axe-core's default rules and target-size (WCAG 2.2 AA: 24 px targets, or room around them),
# which Lighthouse runs and axe-core leaves off by default.
ALL_RULES = {"rules": {"target-size": {"enabled": True}}}
COLOUR_RULES = {"runOnly": ["color-contrast", "link-in-text-block"]}

# Opens every closed <details>; how many, once their "toggle" events are out (a11y.js marks
# the regions in them anew on those).
OPEN_ALL = """async () => {
  const closed = [...document.querySelectorAll("details:not([open])")];
  for (const details of closed) details.open = true;
  await new Promise(done => setTimeout(done, 50));
  return closed.length;
}"""


def page_violations(page: Any, url: str, scheme: str) -> list[str]:
    """axe-core's serious and critical violations of the page at ``url``, scrolled through,
    then with every <details> open."""
    page.goto(url)
    palette = page.evaluate("() => document.body.dataset.mdColorScheme")
    assert palette == ("slate" if scheme == "dark" else "default"), (url, palette)
    scroll_through(page)
    page.evaluate(OPEN_ALL)
    return serious_violations(page, options=COLOUR_RULES if scheme == "dark" else ALL_RULES)


@pytest.mark.parametrize("look", LOOKS)
def test_no_serious_violation_on_any_page(look: str, session_browser: Any, built_site: Path,
                                          served_site: str) -> None:
    scheme, viewport = LOOKS[look]
    context = session_browser.new_context(viewport=viewport, device_scale_factor=1,
                                          color_scheme=scheme)
    pages = site_pages(built_site)
    found = []
    try:
        page = context.new_page()
        for path in pages:
            found += [f"/{path} {look}: {v}"
                      for v in page_violations(page, served_site + path, scheme)]
    finally:
        context.close()
    assert len(pages) >= 13, pages
    assert not found, "axe-core serious/critical violations:\n" + "\n".join(found)
