/*
 * MathJax 3.2.2 configuration. Loaded before assets/mathjax/tex-svg.js, which
 * hooks/mathjax.py copies from the django-static-mathjax wheel (no CDN).
 *
 * Why SVG, and why no clearCache():
 * - Material's instant navigation removes every <head> element that the next
 *   page's HTML does not have, so it drops the <style> elements that MathJax
 *   added at run time. CHTML draws each glyph through CSS rules in such a
 *   sheet, so after a navigation glyphs new to the page came out blank
 *   ("can't insert css rule ... reading 'insertRule'"). Material's documented
 *   snippet works around it with output.clearCache() on every document$ event,
 *   but on a direct load that races MathJax's own startup typeset and leaves
 *   every glyph blank; and in SVG output clearCache() does not exist at all.
 * - SVG output with fontCache "local" puts the paths of a formula's glyphs
 *   inside its own <svg>: no web fonts, no document-wide glyph cache.
 * - On a direct load MathJax typesets the page at startup, so the first
 *   document$ event is skipped; after each instant navigation (or back/forward)
 *   the new content is typeset with typesetClear() + texReset().
 * - The head <style> elements MathJax made (its SVG styles and the context
 *   menu's) are put back after each navigation, so the right-click menu keeps
 *   its look.
 *
 * VERIFIED (headless Chromium 1400x900 via Playwright, site served by
 * python -m http.server): every glyph of every formula has ink in an element
 * screenshot of its mjx-container, on a direct load (3 formulas, 35 glyphs;
 * 676/349/365 ink pixels), after clicking a nav link to a page whose glyphs
 * (partial, nabla, sum, eta, odot, ...) were not on the first page (4 formulas,
 * 81 glyphs; 1649/1870/289/81), after going back, and in the slate palette
 * (641/331/345, then 1574/1771/280/78); no request left the serving host, no
 * 404, no console error. The same setup with CHTML and without putting the
 * styles back drew 0 ink for 45 of the 81 new glyphs. tests/test_browser.py
 * checks every page of the site this way: on a direct load (dark palette), after
 * instant navigation and after going back (light palette).
 */
window.MathJax = {
  tex: {
    // pymdownx.arithmatex (generic: true) writes \( \) and \[ \] inside
    // .arithmatex elements, whatever the page author wrote ($, $$, \( or \[).
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
    // An undefined macro is a TeX error (not red text), and every TeX error is
    // logged to the console, where the browser tests look for errors.
    packages: { "[-]": ["noundefined"] },
    formatError: function (jax, err) {
      console.error("MathJax TeX error: " + err.message + " in: " + jax.latex);
      return jax.formatError(err);
    },
  },
  options: {
    // Typeset only what arithmatex marked: code blocks may contain $ or \(.
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
  svg: {
    fontCache: "local",
  },
};

(function () {
  // <style> elements that MathJax (or its context menu) put into <head>.
  const mathjaxStyles = new Set();

  function rememberStyles() {
    for (const style of document.head.querySelectorAll("style")) {
      if (/^MJX-/.test(style.id) || style.textContent.indexOf("CtxtMenu_") !== -1) {
        mathjaxStyles.add(style);
      }
    }
  }

  function restoreStyles() {
    for (const style of mathjaxStyles) {
      if (!style.isConnected) document.head.appendChild(style);
    }
  }

  let first = true;
  document$.subscribe(function () {
    const startup = window.MathJax && window.MathJax.startup;
    if (!startup || !startup.promise) return; // MathJax failed to load
    if (first) {
      // Direct load: MathJax's startup typesets the page by itself.
      first = false;
      startup.promise.then(rememberStyles);
      return;
    }
    // Instant navigation replaced the content: typeset the new page.
    restoreStyles();
    startup.promise = startup.promise
      .then(function () {
        MathJax.typesetClear();
        MathJax.texReset();
        return MathJax.typesetPromise();
      })
      .then(rememberStyles)
      .catch(function (err) {
        console.error("MathJax typeset failed:", err);
      });
  });
})();
