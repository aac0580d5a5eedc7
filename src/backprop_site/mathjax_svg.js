// Draws TeX as MathJax 3.2.2's SVG at build time, for backprop_site/typeset.py: one node process
// per build, fed one page at a time.
//
//   node backprop_site/mathjax_svg.js <MathJax's es5 directory>
//
// MathJax comes from the same files the site used to send to the browser (the pinned
// django-static-mathjax wheel), run through its node entry point (es5/node-main.js) with
// the liteDOM adaptor: the same TeX input, the same SVG output and glyphs, and the same
// assistive MathML (a11y/assistive-mml) that screen readers read.
//
// Protocol, one JSON object per line:
//   out, first:  {"version": "3.2.2", "css": "<MathJax's SVG stylesheet>"}
//   in:          {"formulas": [{"tex": "a = x w + b \\tag{2.1}", "display": true}, ...],
//                 "svg": true}
//   out:         {"svgs": ["<mjx-container ...>...</mjx-container>", ...],
//                 "errors": [null | "TeX error message", ...],
//                 "trees": [<the formula's symbols, see below>, ...],
//                 "defs": "<defs><path id=\"MJX-TEX-I-1D465\" d=...>...</defs>"}
// With "svg": false nothing is drawn (svgs are "", defs ""): only the trees, for reading
// which symbols a formula holds (backprop_site/notation.py, and the tests).
//
// The symbols: MathJax's internal MathML tree of each formula, as TeX parsed it, reduced to
// what names a symbol: tokens (mi "i", mo "o", mn "n", mtext "x"), scripts (msub "sub",
// msup "sup", msubsup "subsup": base "b", subscript "s", superscript "p"), accents ("acc":
// base "b", accent "a") and everything else as a row ("r", children "c"). Every mi, mo,
// script and accent gets a number "id", also written on its node as data-s="id"; MathJax
// copies data-* attributes to the SVG's <g data-mml-node=...>, so the hook can tell which
// part of the drawing is which symbol. The hook (backprop_site/notation.py) decides which of
// them are symbols of docs/notation.yml, and keeps data-s only on those.
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
    MJ.startup.input[0].postFilters.add(({ data }) => {
      current = { next: 0 };
      current.tree = describe(data.root, current);
    }, 100); // after MathJax's own filters (cleanSubSup and the rest)
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

// The formula being converted: its tree, and the next id to give.
let current = null;

const SCRIPTS = { msub: "sub", msup: "sup", msubsup: "subsup" };

/* The symbols' tree of a MathML node (see the protocol above); ids go on the nodes. */
function describe(node, state) {
  const mark = (d) => {
    d.id = state.next++;
    node.attributes.set("data-s", String(d.id));
    return d;
  };
  if (node.isToken) {
    const t = node.getText();
    if (node.isKind("mi")) {
      const d = { k: "i", t };
      const variant = node.attributes.getExplicit("mathvariant");
      if (variant) d.v = variant;
      return mark(d);
    }
    if (node.isKind("mo")) return mark({ k: "o", t });
    if (node.isKind("mn")) return { k: "n", t };
    return { k: "x", t }; // mtext, ms
  }
  const kids = node.childNodes.filter((c) => c && !c.isKind("mspace"));
  if (node.kind in SCRIPTS) {
    const [base, first, second] = node.childNodes;
    const d = { k: SCRIPTS[node.kind], b: describe(base, state) };
    if (node.isKind("msub")) d.s = part(first, state);
    else if (node.isKind("msup")) d.p = part(first, state);
    else {
      d.s = part(first, state);
      d.p = part(second, state);
    }
    return mark(d);
  }
  if (node.isKind("mover")) {
    // An accent over a letter (\hat{y}); an \overbrace or the like is a row.
    const [base, over] = node.childNodes;
    const b = describe(base, state);
    if (b.k === "i" && over && over.isToken && over.isKind("mo")) {
      return mark({ k: "acc", b, a: over.getText() });
    }
    return { k: "r", c: [b, describe(over, state)] };
  }
  // An empty row (\, is a space in a row of its own) says nothing.
  const c = kids.map((child) => describe(child, state)).filter((d) => d.k !== "r" || d.c.length);
  // A row of one (TeXAtom, inferred mrow) is that one: \mathbf{W} is an mi in two rows.
  return c.length === 1 ? c[0] : { k: "r", c };
}

function part(node, state) {
  return node ? describe(node, state) : { k: "r", c: [] };
}

async function page(MJ, adaptor, line) {
  const { formulas, svg = true } = JSON.parse(line);
  const svgs = [];
  const errors = [];
  const trees = [];
  const cache = MJ.startup.output.fontCache;
  cache.clearCache();
  for (const { tex, display } of formulas) {
    try {
      MJ.texReset();
      current = null;
      if (svg) {
        const node = await MJ.tex2svgPromise(tex, { display });
        svgs.push(adaptor.outerHTML(node));
      } else {
        await MJ.tex2mmlPromise(tex, { display });
        svgs.push("");
      }
      trees.push(current ? current.tree : null);
      errors.push(null);
    } catch (err) {
      svgs.push("");
      trees.push(null);
      errors.push(String((err && err.message) || err));
    }
  }
  const defs = svg ? adaptor.outerHTML(cache.getCache()) : "";
  process.stdout.write(JSON.stringify({ svgs, errors, trees, defs }) + "\n");
}
