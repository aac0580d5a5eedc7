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
  // Material marks the code blocks it can measure at load; those in a folded solution are
  // out of the layout until opened (extra.css), so they are marked here.
  const REGIONS = ".md-typeset table:not([class]), .md-typeset__scrollwrap, " +
    ".md-typeset div.arithmatex, .md-typeset .bpd-figscroll, .md-typeset details pre > code";
  // The blocks that content-visibility: auto skips while off the screen (extra.css).
  const BLOCKS = ".md-typeset > *, .md-typeset .doc-contents > *";

  /* A block off the screen is not laid out (content-visibility: auto, extra.css), so its
     scrollWidth says nothing: such a block is laid out for the time of the measure. The
     blocks are measured a few at a time, all written, then all read, then all restored (one
     layout for the lot, not one per region), in short tasks after the page has shown: on a
     long page a region at a time, in one task, held a phone's CPU for 0.3 s. A hidden
     region (a step of the step-through figure) is left alone. */
  const SLICE_MS = 8;  // a phone's CPU is about 4 times slower: well under a 50 ms task
  const BATCH = 4;     // blocks laid out together
  let run = 0;         // a newer mark() (another page, a resize) stops an older one

  function measure(blocks) {
    const forced = blocks.filter(function (b) { return b.lazy; });
    forced.forEach(function (b) {
      b.saved = b.el.style.contentVisibility;
      b.el.style.contentVisibility = "visible";
    });
    const results = [];
    blocks.forEach(function (b) {
      b.regions.forEach(function (region) {
        // no tolerance: axe counts one pixel as scrolling
        const scrolls = region.getClientRects().length > 0 &&
          region.scrollWidth > region.clientWidth;
        results.push([region, scrolls]);
      });
    });
    forced.forEach(function (b) { b.el.style.contentVisibility = b.saved; });
    results.forEach(function ([region, scrolls]) {
      if (scrolls && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.dataset.scrollFocus = "";
      } else if (!scrolls && region.dataset.scrollFocus !== undefined) {
        region.removeAttribute("tabindex");
        delete region.dataset.scrollFocus;
      }
    });
  }

  /* <html data-regions-marked> says that every region is marked (the tests wait for it
     before axe reads the page). */
  const done = document.documentElement.dataset;

  function mark() {
    const mine = ++run;
    delete done.regionsMarked;
    let blocks = null;
    let at = 0;
    setTimeout(function slice() {
      if (mine !== run) return;
      const start = performance.now();
      if (blocks === null) {
        const byBlock = new Map();
        document.querySelectorAll(REGIONS).forEach(function (region) {
          const el = region.closest(BLOCKS) || region;
          if (!byBlock.has(el)) byBlock.set(el, { el: el, regions: [] });
          byBlock.get(el).regions.push(region);
        });
        blocks = [...byBlock.values()];
        blocks.forEach(function (b) {
          b.lazy = getComputedStyle(b.el).contentVisibility === "auto";
        });
      }
      while (at < blocks.length && performance.now() - start < SLICE_MS) {
        measure(blocks.slice(at, at + BATCH));
        at += BATCH;
      }
      if (at < blocks.length) setTimeout(slice, 0);
      else done.regionsMarked = "";
    }, 0);
  }

  document$.subscribe(mark);
  // A region in a folded solution is laid out when the reader opens it.
  document.addEventListener("toggle", function (event) {
    if (event.target.open) mark();
  }, true);
  let pending = null;
  window.addEventListener("resize", function () {
    run++;  // the marks of the old width no longer hold
    delete done.regionsMarked;
    clearTimeout(pending);
    pending = setTimeout(mark, 150);
  });
})();
