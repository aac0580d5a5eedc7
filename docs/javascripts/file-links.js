/*
 * The site opened from a folder (file://): a link to a page is a link to its folder
 * ("derivation/net/"), which a browser shows as a folder listing there, not as the page.
 * On file:// only, every link to a folder of the site points at the folder's index.html:
 * the links of the page when it loads, and any link made later (search results) when it
 * is followed. Served over http(s), nothing changes.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function fix(link) {
    const href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#" || /^[a-z][a-z0-9+.-]*:/i.test(href)) return;
    const url = new URL(href, location.href);
    if (url.protocol !== "file:" || !url.pathname.endsWith("/")) return;
    url.pathname += "index.html";
    link.setAttribute("href", url.href);
  }

  function fixAll() {
    document.querySelectorAll("a[href]").forEach(fix);
  }

  // Before the browser follows a link (mouse, keyboard, middle click).
  for (const type of ["click", "auxclick"]) {
    document.addEventListener(type, function (event) {
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (link) fix(link);
    }, true);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fixAll);
  } else {
    fixAll();
  }
})();
