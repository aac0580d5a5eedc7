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
