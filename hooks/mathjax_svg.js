// Draws TeX as MathJax 3.2.2's SVG at build time, for hooks/mathjax.py: one node process
// per build, fed one page at a time.
//
//   node hooks/mathjax_svg.js <MathJax's es5 directory>
//
// MathJax comes from the same files the site used to send to the browser (the pinned
// django-static-mathjax wheel), run through its node entry point (es5/node-main.js) with
// the liteDOM adaptor: the same TeX input, the same SVG output and glyphs, and the same
// assistive MathML (a11y/assistive-mml) that screen readers read.
//
// Protocol, one JSON object per line:
//   out, first:  {"version": "3.2.2", "css": "<MathJax's SVG stylesheet>"}
//   in:          {"formulas": [{"tex": "a = x w + b \\tag{2.1}", "display": true}, ...]}
//   out:         {"svgs": ["<mjx-container ...>...</mjx-container>", ...],
//                 "errors": [null | "TeX error message", ...],
//                 "defs": "<defs><path id=\"MJX-TEX-I-1D465\" d=...>...</defs>"}
// A TeX error never draws red text into the page: it is returned for the hook to fail the
// build with the page and the formula. Glyphs are cached per page: each glyph's path is
// defined once in the page's "defs" (MJX-TEX-I-1D465 is italic x), which the hook puts in
// the page's <article>, and every formula draws it with <use>.
"use strict";

const path = require("path");
const readline = require("readline");

const es5 = path.resolve(process.argv[2] || ".");
const MathJax = require(path.join(es5, "node-main.js"));

MathJax.init({
  loader: {
    paths: { mathjax: es5 },
    // tex-full: every TeX extension loaded up front (the browser autoloaded them).
    load: ["input/tex-full", "output/svg", "adaptors/liteDOM", "a11y/assistive-mml"],
  },
  tex: {
    // An undefined macro is an error (not red text), as in the browser before.
    packages: { "[-]": ["noundefined"] },
    formatError(jax, err) {
      throw err;
    },
  },
  // One definition of each glyph per page (the cache is cleared for every page); the hook
  // puts it inside the page's <article>, which Material's instant navigation swaps whole.
  svg: { fontCache: "global" },
  startup: { typeset: false },
})
  .then((MJ) => {
    const adaptor = MJ.startup.adaptor;
    const css = adaptor.textContent(MJ.svgStylesheet());
    process.stdout.write(JSON.stringify({ version: MJ.version, css }) + "\n");
    const lines = readline.createInterface({ input: process.stdin, terminal: false });
    let queue = Promise.resolve();
    lines.on("line", (line) => {
      queue = queue.then(() => page(MJ, adaptor, line));
    });
  })
  .catch((err) => {
    process.stderr.write("MathJax did not start: " + (err && err.stack ? err.stack : err) + "\n");
    process.exit(2);
  });

async function page(MJ, adaptor, line) {
  const { formulas } = JSON.parse(line);
  const svgs = [];
  const errors = [];
  const cache = MJ.startup.output.fontCache;
  cache.clearCache();
  for (const { tex, display } of formulas) {
    try {
      MJ.texReset();
      const node = await MJ.tex2svgPromise(tex, { display });
      svgs.push(adaptor.outerHTML(node));
      errors.push(null);
    } catch (err) {
      svgs.push("");
      errors.push(String((err && err.message) || err));
    }
  }
  const defs = adaptor.outerHTML(cache.getCache());
  process.stdout.write(JSON.stringify({ svgs, errors, defs }) + "\n");
}
