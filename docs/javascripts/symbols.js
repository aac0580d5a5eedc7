/*
 * Symbols that explain themselves: what each symbol of a formula means, on hover, on a tap
 * and by the keyboard.
 *
 * The build marked them (backprop_site/typeset.py, backprop_site/notation.py, from docs/notation.yml):
 * each symbol's <g> in a formula's drawing has data-s="n", and the page's
 * <div class="bpd-symbols" data-meanings="..."> holds, once, as JSON, the list of
 * [symbol, meaning, name in code, value] that n indexes (the value on the worked example
 * only). This script computes nothing; it shows that list.
 *
 * - Mouse: pointing at a symbol shows its tooltip, and colours it.
 * - Touch: a tap on a symbol shows its tooltip; a tap elsewhere hides it.
 * - Keyboard: every formula with symbols is one tab stop. Focused, it lights its first
 *   symbol; Left/Right (or Up/Down) move from symbol to symbol, Home/End to the first and
 *   last, Escape hides the tooltip. The symbol and its meaning are announced (aria-live).
 *
 * Without JavaScript nothing of this happens and the page reads as before (the formulas'
 * assistive MathML is there); on paper the tooltip does not show (symbols.css). Its
 * stylesheet is loaded from here, after the page is drawn: only this script needs it.
 */
(function () {
  "use strict";

  const TIP_ID = "bpd-sym-tip";
  let meanings = [];
  let tip = null;
  let live = null;
  let shown = null; // the <g> whose tooltip shows
  let focused = null; // { formula, marks, at } while a formula has the keyboard focus

  function loadStyles() {
    const me = document.querySelector('script[src*="javascripts/symbols.js"]');
    if (!me || document.querySelector("link[data-bpd-symbols]")) return;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = me.src.replace(/javascripts\/symbols\.js.*$/, "stylesheets/symbols.css");
    link.dataset.bpdSymbols = "";
    document.head.appendChild(link);
  }

  function build() {
    tip = document.createElement("div");
    tip.id = TIP_ID;
    tip.className = "bpd-sym-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    live = document.createElement("div");
    live.className = "bpd-sym-live";
    live.setAttribute("aria-live", "polite");
    document.body.append(tip, live);
  }

  function text(m) {
    const [name, means, code, value] = m;
    let out = name + ": " + means;
    if (code) out += ". In code " + code + (value ? " = " + value : "");
    return out;
  }

  function show(g, announce) {
    const m = meanings[Number(g.dataset.s)];
    if (!m) return;
    if (shown && shown !== g) shown.classList.remove("bpd-sym-on");
    shown = g;
    g.classList.add("bpd-sym-on");
    const [name, means, code, value] = m;
    tip.replaceChildren();
    const head = document.createElement("span");
    head.className = "bpd-sym-name";
    head.textContent = name;
    tip.append(head, ": " + means);
    if (code) {
      const line = document.createElement("span");
      line.className = "bpd-sym-code";
      const c = document.createElement("code");
      c.textContent = code;
      line.append("in code ", c);
      if (value) {
        const v = document.createElement("span");
        v.className = "bpd-sym-value";
        v.textContent = " = " + value;
        line.append(v);
      }
      tip.append(line);
    }
    tip.hidden = false;
    place(g);
    if (announce) live.textContent = announce;
  }

  function hide() {
    if (shown) shown.classList.remove("bpd-sym-on");
    shown = null;
    if (tip) tip.hidden = true;
  }

  /* Above the symbol, or below it if there is no room; inside the window sideways. */
  function place(g) {
    const r = g.getBoundingClientRect();
    const gap = 8;
    tip.style.left = "0px";
    tip.style.top = "0px";
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    let left = r.left + r.width / 2 - w / 2;
    left = Math.max(4, Math.min(left, document.documentElement.clientWidth - w - 4));
    let top = r.top - h - gap;
    if (top < 56) top = r.bottom + gap; // under Material's header
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
  }

  /* The smallest marked symbol of a formula under a point (a subscript is small to hit). */
  function symbolAt(formula, x, y) {
    let best = null;
    let area = Infinity;
    for (const g of formula.querySelectorAll("[data-s]")) {
      const r = g.getBoundingClientRect();
      if (!r.width || x < r.left - 1 || x > r.right + 1 || y < r.top - 1 || y > r.bottom + 1) continue;
      if (r.width * r.height < area) {
        best = g;
        area = r.width * r.height;
      }
    }
    return best;
  }

  /* In reading order: the drawing's order, which is MathJax's tree, left to right. */
  function marksOf(formula) {
    return [...formula.querySelectorAll("[data-s]")];
  }

  function say(state) {
    const g = state.marks[state.at];
    const m = meanings[Number(g.dataset.s)];
    return text(m) + " (" + (state.at + 1) + " of " + state.marks.length + ")";
  }

  function setUp() {
    hide();
    focused = null;
    const data = document.querySelector("article .bpd-symbols[data-meanings]");
    meanings = data ? JSON.parse(data.dataset.meanings) : [];
    if (!meanings.length) return;
    if (!tip || !tip.isConnected) build();
    for (const formula of document.querySelectorAll(".arithmatex")) {
      if (!formula.querySelector("[data-s]") || formula.dataset.symbols !== undefined) continue;
      formula.dataset.symbols = "";
      formula.setAttribute("tabindex", "0");
      delete formula.dataset.scrollFocus; // focusable for this, however wide (a11y.js)
      formula.addEventListener("pointermove", function (event) {
        if (event.pointerType === "touch") return;
        const g = symbolAt(formula, event.clientX, event.clientY);
        if (g) show(g);
        else if (!focused || focused.formula !== formula) hide();
      });
      formula.addEventListener("pointerleave", function () {
        if (focused && focused.formula === formula) show(focused.marks[focused.at]);
        else hide();
      });
      formula.addEventListener("click", function (event) {
        const g = symbolAt(formula, event.clientX, event.clientY);
        if (g && g !== shown) show(g, text(meanings[Number(g.dataset.s)]));
        else if (g) hide();
      });
      formula.addEventListener("focus", function () {
        const marks = marksOf(formula);
        focused = { formula: formula, marks: marks, at: 0 };
        show(marks[0], marks.length + " symbols; the arrow keys go from one to the next. " +
          say(focused));
      });
      formula.addEventListener("blur", function () {
        focused = null;
        hide();
      });
      formula.addEventListener("keydown", function (event) {
        if (!focused || focused.formula !== formula) return;
        if (event.altKey || event.ctrlKey || event.metaKey) return;
        const last = focused.marks.length - 1;
        const to = { ArrowRight: focused.at + 1, ArrowDown: focused.at + 1,
          ArrowLeft: focused.at - 1, ArrowUp: focused.at - 1, Home: 0, End: last }[event.key];
        if (event.key === "Escape") {
          hide();
          return;
        }
        if (to === undefined) return;
        event.preventDefault();
        event.stopPropagation(); // inside the step-through figure, arrows step it otherwise
        focused.at = Math.max(0, Math.min(last, to));
        show(focused.marks[focused.at], say(focused));
      });
    }
  }

  document.addEventListener("click", function (event) {
    if (shown && !(event.target instanceof Element && event.target.closest(".arithmatex"))) hide();
  });
  window.addEventListener("resize", function () {
    if (shown) place(shown);
  });

  loadStyles();
  if (typeof document$ !== "undefined") document$.subscribe(setUp);
  else document.addEventListener("DOMContentLoaded", setUp);
})();
