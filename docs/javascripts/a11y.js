/*
 * Accessibility fixes to the theme's markup, checked by axe-core in
 * tests/test_browser.py.
 *
 * Material's search overlay is `<div class="md-search" role="dialog">` without
 * a name (axe rule aria-dialog-name); screen readers announce it as an unnamed
 * dialog. It is named after the search field's own label. Run on every page
 * event (direct load and instant navigation); it is idempotent.
 */
document$.subscribe(function () {
  document.querySelectorAll(".md-search[role=dialog]").forEach(function (dialog) {
    if (!dialog.hasAttribute("aria-label")) {
      const input = dialog.querySelector("input[aria-label]");
      dialog.setAttribute("aria-label", input ? input.getAttribute("aria-label") : "Search");
    }
  });
});

/*
 * A region that scrolls sideways (a wide table, a display formula or a figure wider than a
 * phone's screen) must be reachable by keyboard to be scrolled (axe rule
 * scrollable-region-focusable).
 * The formulas are drawn at build time and hold nothing focusable, so each region that
 * overflows gets tabindex="0"; one that no longer overflows (a wider window) loses it.
 */
(function () {
  const REGIONS = ".md-typeset table:not([class]), .md-typeset__scrollwrap, " +
    ".md-typeset div.arithmatex, .md-typeset .bpd-figscroll";

  /* A block off the screen is not laid out (content-visibility: auto, extra.css), so its
     scrollWidth says nothing: such a block is laid out for the time of the measure (one
     small block, not the page). A hidden region (a step of the step-through figure) is
     left alone. */
  function overflows(region) {
    if (!region.getClientRects().length) return false;
    const block = region.closest(".md-typeset > *") || region;
    if (getComputedStyle(block).contentVisibility !== "auto") {
      return region.scrollWidth > region.clientWidth;
    }
    const saved = block.style.contentVisibility;
    block.style.contentVisibility = "visible";
    const scrolls = region.scrollWidth > region.clientWidth;
    block.style.contentVisibility = saved;
    return scrolls;
  }

  function mark() {
    document.querySelectorAll(REGIONS).forEach(function (region) {
      const scrolls = overflows(region);  // no tolerance: axe counts one pixel as scrolling
      if (scrolls && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.dataset.scrollFocus = "";
      } else if (!scrolls && region.dataset.scrollFocus !== undefined) {
        region.removeAttribute("tabindex");
        delete region.dataset.scrollFocus;
      }
    });
  }

  document$.subscribe(mark);
  let pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(mark, 150);
  });
})();
