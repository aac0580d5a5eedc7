/*
 * The step-through figure (backprop_site/stepper.py puts it in the page): Figure 1 with one forward
 * and backward pass, step by step.
 *
 * This script computes nothing. Every number, and every formula with its numbers put in,
 * comes from Python: from the page (the JSON that the build wrote, computed by
 * backprop_site/steps.py with the package) or, for the reader's own numbers, from the same
 * backprop_site/steps.py in the Run buttons' Python (window.backpropDocRun.steps, run/run.js).
 * Each step's formula was drawn when the site was built; this script shows the one of the
 * current step.
 *
 * A link may give the figure numbers to start from, as the training page's live view does
 * ("Step through this iteration", docs/live/live.js): the page's query string names fields
 * (x1, x2, t1, t2, w11 .. u32, the biases b1-1 .. b2-2 and eta) and, to say where they come
 * from, the iteration and the training point; the figure recomputes its steps with them in
 * the page's Python (loaded already, or on arrival) and shows the first.
 *
 * Keys (on the figure): Left/Right one step back/forward, Home/End the first/last step.
 * Hovering a marked symbol of a formula on the page (\class{sym-h2}{h_2}) lights the same
 * thing on the figure and writes its value; focusing such a formula (Tab) lights all of its
 * symbols, and the line under the figure says their values (aria-live).
 */
(function () {
  "use strict";

  const PLAY_MS = 1600;
  /* The fields a link may set (docs/run/steps.py's FIELDS). */
  const LINKED = /^(x[12]|t[12]|w[12][123]|u[123][12]|b1-[123]|b2-[12]|eta)$/;
  let timers = [];

  function setUp(root) {
    const data = JSON.parse(root.dataset.steps);
    const svg = root.querySelector(".bpd-stepper-figure svg");
    const status = root.querySelector(".bpd-stepper-status");
    const jump = root.querySelector(".bpd-jump");
    const play = root.querySelector(".bpd-play");
    const hoverLine = root.querySelector(".bpd-stepper-hover");
    let current = 0;
    let timer = null;

    function clear() {
      for (const el of svg.querySelectorAll(".lit-on, .lit-a, .lit-b, .lit-hover, .has-val")) {
        el.classList.remove("lit-on", "lit-a", "lit-b", "lit-hover", "has-val");
      }
      for (const slot of svg.querySelectorAll("[data-val]")) slot.textContent = "";
    }

    function write(sym, text) {
      const slot = svg.querySelector('[data-val="' + sym + '"]');
      if (slot) slot.textContent = text;
      for (const name of svg.querySelectorAll('.bpd-name[data-sym="' + sym + '"]')) {
        name.classList.add("has-val");
      }
    }

    function show(k) {
      current = Math.max(0, Math.min(data.steps.length - 1, k));
      const step = data.steps[current];
      clear();
      root.classList.add("stepping");
      for (const [sym, how] of Object.entries(step.lit)) {
        for (const el of svg.querySelectorAll('[data-sym="' + sym + '"]')) el.classList.add("lit-" + how);
      }
      for (const [sym, text] of Object.entries(step.labels)) write(sym, text);
      for (const tex of root.querySelectorAll(".bpd-step-tex")) {
        tex.hidden = Number(tex.dataset.step) !== current;
      }
      root.querySelector(".bpd-stepper-numbers").textContent = step.numbers;
      root.querySelector(".bpd-stepper-code code").textContent = step.code.text;
      root.querySelector(".bpd-code-where").textContent = step.code.where;
      const link = root.querySelector(".bpd-eq-link");
      link.href = step.href;
      link.textContent = step.eq_text;
      jump.value = String(current);
      root.dataset.step = step.id;
      status.textContent = "Step " + (current + 1) + " of " + data.steps.length + ", " +
        step.part + " pass: " + step.title + ". " + step.say + ".";
      hoverLine.textContent = "";
    }

    function stop() {
      if (timer) clearInterval(timer);
      timer = null;
      play.textContent = "▶ Play";
      play.setAttribute("aria-label", "Play");
    }

    function toggle() {
      if (timer) {
        stop();
        return;
      }
      if (current === data.steps.length - 1) show(0);
      play.textContent = "⏸ Pause";
      play.setAttribute("aria-label", "Pause");
      timer = setInterval(function () {
        if (current >= data.steps.length - 1) stop();
        else show(current + 1);
      }, PLAY_MS);
      timers.push(function () { if (timer) clearInterval(timer); });
    }

    root.querySelector(".bpd-stepper-bar").hidden = false;
    const moves = { first: () => 0, back: () => current - 1, next: () => current + 1,
      last: () => data.steps.length - 1 };
    function move(name) {
      stop();
      show(moves[name]());
    }
    for (const name of Object.keys(moves)) {
      root.querySelector(".bpd-" + name).addEventListener("click", function () { move(name); });
    }
    play.addEventListener("click", toggle);
    jump.addEventListener("change", function () { stop(); show(Number(jump.value)); });
    root.addEventListener("keydown", function (event) {
      if (/^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)) return;
      const name = { ArrowLeft: "back", ArrowRight: "next", Home: "first", End: "last" }[event.key];
      if (!name || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      move(name);
    });

    /* Symbols of a formula, hovered (one) or focused (all of the formula's): light them on
       the figure, with their values. */
    function hover(names) {
      const syms = names.map(function (name) { return data.symbols[name]; }).filter(Boolean);
      if (!syms.length) return;
      show(current);
      for (const sym of syms) {
        for (const el of svg.querySelectorAll('[data-sym="' + sym.el + '"]')) el.classList.add("lit-hover");
        write(sym.el, sym.text);
      }
      hoverLine.textContent = syms.map(function (sym) { return sym.text; }).join("; ");
      root.dataset.hover = syms.map(function (sym) { return sym.el; }).join(" ");
    }
    function unhover() {
      delete root.dataset.hover;
      show(current);
    }

    /* The reader's own numbers, recomputed by the package in the browser's Python. */
    const form = root.querySelector(".bpd-own-form");
    if (form) {
      root.querySelector(".bpd-stepper-own").hidden = false;
      const own = form.querySelector(".bpd-own-status");
      const weight = form.querySelector("select[name=weight]");
      const weightValue = form.querySelector("input[name=weight-value]");
      const fields = Object.assign({}, data.fields);
      const original = JSON.parse(JSON.stringify(data));
      const fill = function () {
        for (const name of ["x1", "x2", "t1", "t2"]) form.elements[name].value = fields[name];
        weightValue.value = fields[weight.value];
      };
      /* What the status line says; `state` (busy, error, done) is also the figure's data-own. */
      const say = function (state, text) {
        own.className = "bpd-own-status" + (state ? " bpd-own-" + state : "");
        own.textContent = text;
        if (state) root.dataset.own = state;
        else delete root.dataset.own;
      };
      /* The steps' numbers (and the symbols') of Python's answer, or of the page. */
      const adopt = function (answer) {
        answer.steps.forEach(function (step, k) {
          if (step.id !== data.steps[k].id) throw new Error("the steps differ from the page's");
          for (const key of ["numbers", "say", "lit", "labels"]) data.steps[k][key] = step[key];
        });
        data.symbols = answer.symbols;
        show(current);
      };
      weight.addEventListener("change", function () { weightValue.value = fields[weight.value]; });
      weightValue.addEventListener("input", function () { fields[weight.value] = weightValue.value; });
      let linked = null; // "iteration N, point s": numbers a link gave (the live view's)
      form.addEventListener("submit", async function (event) {
        event.preventDefault();
        for (const name of ["x1", "x2", "t1", "t2"]) fields[name] = form.elements[name].value;
        fields[weight.value] = weightValue.value;
        const python = window.backpropDocRun;
        if (!python) return say(null, "The page's Python is not available here.");
        say("busy", python.loaded ? "Recomputing…" : "Loading Python in your browser…");
        try {
          const answer = await python.steps(fields, function (m) {
            own.textContent = "Loading Python in your browser: " + (m.loaded / 1e6).toFixed(1) +
              " of " + (m.total / 1e6).toFixed(1) + " MB";
          });
          if (answer.error) {
            return say("error", "Not recomputed: " + answer.error +
              ". The figure still shows the numbers before.");
          }
          adopt(answer);
          say("done", linked
            ? "The training page's " + linked + ", recomputed by backprop_doc in your " +
              "browser's Python: step through it."
            : "Recomputed by backprop_doc in your browser's Python: step through again.");
          linked = null;
        } catch (err) {
          say("error", "Not recomputed: " + err.message);
        }
      });
      form.querySelector(".bpd-own-reset").addEventListener("click", function () {
        for (const name of Object.keys(fields)) {
          if (!(name in original.fields)) delete fields[name]; // a link's biases, eta
        }
        Object.assign(fields, original.fields);
        fill();
        adopt(original);
        say(null, "Back to the worked example's numbers.");
      });

      /* Numbers from a link (the live view's "Step through this iteration"). */
      const query = new URLSearchParams(location.search);
      const given = [...query.keys()].filter(function (name) { return LINKED.test(name); });
      if (given.length) {
        for (const name of given) fields[name] = query.get(name);
        fill();
        root.querySelector(".bpd-stepper-own").open = true;
        linked = (query.has("iteration") ? "iteration " + query.get("iteration") : "numbers") +
          (query.has("point") ? ", training point " + query.get("point") : "");
        current = 0;
        form.requestSubmit();
      }
    }

    show(0);
    return { hover, unhover };
  }

  function setUpPage() {
    for (const cancel of timers) cancel();
    timers = [];
    const steppers = [...document.querySelectorAll(".bpd-stepper")].map(setUp);
    if (!steppers.length) return;
    const linked = steppers[0];
    const article = document.querySelector("article") || document.body;
    function symbolOf(target) {
      const el = target instanceof Element ? target.closest("mjx-container [class*='sym-']") : null;
      if (!el) return null;
      const name = [...el.classList].find(function (c) { return c.startsWith("sym-"); });
      return name ? name.slice(4) : null;
    }
    let hovered = null;
    article.addEventListener("mouseover", function (event) {
      const name = symbolOf(event.target);
      if (name === hovered) return;
      hovered = name;
      if (name) linked.hover([name]);
      else linked.unhover();
    });
    /* By the keyboard: a formula with marked symbols takes the focus, and lights them all. */
    for (const formula of article.querySelectorAll(".arithmatex")) {
      if (formula.closest(".bpd-stepper") || !formula.querySelector("[class*='sym-']")) continue;
      const names = [];
      for (const el of formula.querySelectorAll("[class*='sym-']")) {
        const name = symbolOf(el);
        if (name && !names.includes(name)) names.push(name);
      }
      formula.setAttribute("tabindex", "0");
      delete formula.dataset.scrollFocus; // focusable for this, however wide (a11y.js)
      formula.addEventListener("focus", function () { linked.hover(names); });
      formula.addEventListener("blur", function () { linked.unhover(); });
    }
    article.addEventListener("mouseleave", function () {
      if (hovered) linked.unhover();
      hovered = null;
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(setUpPage);
  else document.addEventListener("DOMContentLoaded", setUpPage);
})();
