/*
 * The training page's live view (backprop_site/live_view.py puts it in the page): the net
 * training, drawn as it learns, with the mathematics of every weight and unit.
 *
 * This script computes nothing of the net. Python does, in the Run buttons' Web Worker
 * (backprop_site/live.py, served as run/live.py, with the package; through
 * window.backpropDocRun.live, run/run.js):
 * every few steps the worker posts a frame, the iteration, the loss, the parameters, the
 * losses of the new steps and the training points (a Float64Array) and what the five units
 * compute over a grid of the input plane (a Uint8Array), their buffers transferred. The
 * page paints the frame on its canvases and on Figure 1 at the next animation frame, and
 * acknowledges it as it starts, so that Python computes the next frame while the page
 * paints this one: the training keeps pace with the drawing. Paused, the page
 * asks Python for the mathematics of the iteration (every formula with its numbers put in,
 * as text) and shows the one the reader points at; the formulas themselves were drawn when
 * the site was built.
 *
 * Nothing of Python loads until Play or Step. A control's bad value (a learning rate, a
 * seed, the last point removed) is named beside it by Python's answer, and the view keeps
 * its state. While playing, a polite live region says the iteration and the loss every few
 * seconds; with prefers-reduced-motion the view draws one frame a second. Leaving the page
 * pauses the training; Python stays loaded (instant navigation).
 */
(function () {
  "use strict";

  const MINUS = "\u2212";
  const ANNOUNCE_MS = 4000;
  const REDUCED_MS = 1000;
  const HEAD = 4; // numbers: iteration, loss, k new losses, n points
  const PARAMS = [["w", 2, 3], ["b1-", 1, 3], ["u", 3, 2], ["b2-", 1, 2]];
  const SUB = "₀₁₂₃₄₅₆₇₈₉";

  let view = null; // the view of the page shown, or null

  /* A number as the figures write it (backprop_site/steps.py's fmt): four significant digits. */
  function fmt(v) {
    const a = Math.abs(v);
    let s = v === 0 || (a >= 1e-4 && a < 1e6)
      ? String(Number(v.toPrecision(4)))
      : v.toExponential(3).replace(/e([+-])(\d)$/, "e$10$2");
    return s.replace("-", MINUS);
  }

  /* The loss as the view writes it: seven significant digits (the page prints it with six
     decimals, 1.150757 at the start). */
  function fmtLoss(v) {
    if (!Number.isFinite(v)) return "—";
    const a = Math.abs(v);
    return (a === 0 || (a >= 1e-5 && a < 1e6) ? String(Number(v.toPrecision(7)))
      : v.toExponential(6)).replace("-", MINUS);
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The parameters' names in the order of the numbers: w11 .. w23, b1-1 .., u11 .., b2-1 .. */
  function paramNames() {
    const names = [];
    for (const [stem, rows, cols] of PARAMS) {
      for (let i = 1; i <= rows; i++) {
        for (let j = 1; j <= cols; j++) names.push(rows === 1 ? stem + j : stem + i + j);
      }
    }
    return names;
  }
  const NAMES = paramNames();

  /* ------------------------------------------------------------------ the loss history */

  /* Every iteration's loss (for the readout), and their minimum and maximum in buckets of
     `size` iterations (for the curve: drawing never walks every iteration). */
  function History() {
    this.values = new Float64Array(1024);
    this.length = 0;
    this.size = 1;
    this.lo = [];
    this.hi = [];
  }
  History.prototype.set = function (i, v) {
    while (i >= this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    const again = i < this.length; // a loss written again (the data changed): recount
    this.values[i] = v;
    this.length = Math.max(this.length, i + 1);
    while (Math.floor(i / this.size) >= 2048) this.merge();
    const b = Math.floor(i / this.size);
    if (again) {
      this.rebucket(b);
    } else if (b >= this.lo.length) {
      this.lo[b] = v;
      this.hi[b] = v;
    } else {
      this.lo[b] = Math.min(this.lo[b], v);
      this.hi[b] = Math.max(this.hi[b], v);
    }
  };
  History.prototype.rebucket = function (b) {
    const start = b * this.size;
    const end = Math.min(this.length, start + this.size);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = start; i < end; i++) {
      lo = Math.min(lo, this.values[i]);
      hi = Math.max(hi, this.values[i]);
    }
    this.lo[b] = lo;
    this.hi[b] = hi;
  };
  History.prototype.merge = function () {
    const lo = [];
    const hi = [];
    for (let b = 0; b < this.lo.length; b += 2) {
      lo.push(Math.min(this.lo[b], b + 1 < this.lo.length ? this.lo[b + 1] : Infinity));
      hi.push(Math.max(this.hi[b], b + 1 < this.hi.length ? this.hi[b + 1] : -Infinity));
    }
    this.lo = lo;
    this.hi = hi;
    this.size *= 2;
  };

  /* ------------------------------------------------------------------ the view */

  function View(root) {
    const data = JSON.parse(root.dataset.live);
    const q = function (sel) { return root.querySelector(sel); };
    const api = window.backpropDocRun && window.backpropDocRun.live;
    const svg = q(".bpd-live-figure svg");
    const controls = {
      play: q(".bpd-live-play"), step: q(".bpd-live-step"), reset: q(".bpd-live-reset"),
      eta: q("#bpd-live-eta"), seed: q("#bpd-live-seed"), speed: q("#bpd-live-speed"),
      data: q("#bpd-live-data"), cls: q("#bpd-live-cls"), sym: q("#bpd-live-sym"),
      point: q("#bpd-live-point"), at: q("#bpd-live-at"), copy: q(".bpd-live-copy"),
      stepper: q(".bpd-live-stepper"),
    };
    const planes = [...root.querySelectorAll(".bpd-live-plane")].map(function (figure) {
      const box = figure.querySelector(".bpd-live-canvas");
      return { unit: Number(figure.dataset.unit), box, canvas: box.querySelector("canvas"),
        small: figure.classList.contains("bpd-live-small"), cursor: null, focused: false,
        overlay: box.querySelector(".bpd-live-overlay") };
    });
    const curve = { box: q(".bpd-live-curve .bpd-live-canvas"),
      canvas: q(".bpd-live-curve canvas"), mark: null };
    const st = {
      numbers: Float64Array.from(data.numbers),
      grid: null,
      history: new History(),
      run: data.start, // what Python last said of the run: data, seed, eta, iteration, ...
      worker: null, // the worker whose live.Session holds this view's state
      playing: false,
      unacked: 0,
      painting: false,
      explained: null,
      sym: controls.sym.value,
      lastAnnounce: 0,
      left: false,
      colours: null,
      atFollows: true, // the readout follows the last iteration until the reader moves it
    };
    let nextId = 1;
    const waiting = new Map();
    // For the tests and the benchmark (benchmarks/live_timing.py): what the view has drawn.
    const stats = { paints: 0, frames: 0, paintMs: 0, paintMaxMs: 0 };
    window.backpropDocLive = { stats };
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)");

    st.history.set(0, st.numbers[1]);

    /* ------------------------------------------------------------ talking to Python */

    function onMessage(m, worker) {
      if (worker !== st.worker) return; // a worker this view no longer uses
      const waiter = m.id ? waiting.get(m.id) : null;
      if (waiter) waiting.delete(m.id);
      if (m.op === "error") {
        const err = new Error(m.message);
        if (waiter) waiter.reject(err);
        else stopWith("The training failed: " + m.message);
      } else if (m.op === "frame" && !waiter) {
        take(m);
        st.unacked += 1;
        schedulePaint();
      } else if (waiter) {
        waiter.resolve(m);
      }
    }

    function ask(message) {
      return new Promise(function (resolve, reject) {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        api.post(Object.assign({ id }, message));
      });
    }

    async function request(args) {
      const answer = JSON.parse((await ask({ op: "request", json: JSON.stringify(args) })).json);
      if (answer.state) st.run = answer.state;
      return answer;
    }

    function progress(m) {
      note("Loading Python in your browser: " + m.label + " (" + m.file + "), " +
        (m.loaded / 1e6).toFixed(1) + " of " + (m.total / 1e6).toFixed(1) + " MB", "busy");
    }

    /* Python up, with a session holding this view's state (after a Stop of a Run button
       ended the worker, the state the page holds is taken up again). */
    async function ready() {
      if (!api) throw new Error("the page's Python is not available here");
      const loaded = window.backpropDocRun.loaded;
      if (!loaded) note("Loading Python in your browser…", "busy");
      const worker = await api.start(progress);
      if (worker === st.worker) return;
      st.worker = worker;
      for (const waiter of waiting.values()) waiter.reject(new Error("Python was started again"));
      waiting.clear();
      const numbers = [...st.numbers.subarray(0, HEAD)];
      numbers[2] = 0; // the losses stay with the page
      const n = st.numbers[3];
      const params = st.numbers.subarray(HEAD, HEAD + NAMES.length);
      const points = st.numbers.subarray(st.numbers.length - 4 * n);
      await request({ op: "restore", data: st.run.data, seed: st.run.seed,
        eta: Number(st.run.eta), iteration: st.run.iteration,
        numbers: [...numbers, ...params, ...points] });
      if (!loaded) note("Python is running: the package trains the net.", "");
      // Controls changed before Python ran: a data set chosen, a learning rate typed.
      if (controls.data.value !== st.run.data) await start(null);
      else if (controls.eta.value.trim() !== st.run.eta) await setEta();
    }

    /* Python up, and the controls taken up: false if one was refused (it says why). */
    async function readyToTrain() {
      await ready();
      if (root.dataset.error) return false;
      if (st.run.stopped) {
        note(st.run.stopped, "fail");
        return false;
      }
      return true;
    }

    /* ------------------------------------------------------------ frames */

    function take(frame) {
      const numbers = frame.numbers;
      const iteration = numbers[0];
      const k = numbers[2];
      const n = numbers[3];
      const losses = numbers.subarray(HEAD + NAMES.length, HEAD + NAMES.length + k);
      for (let i = 0; i < k; i++) st.history.set(iteration - k + 1 + i, losses[i]);
      st.history.set(iteration, numbers[1]);
      st.numbers = numbers;
      st.grid = frame.grid;
      if (frame.stopped) stopWith(frame.stopped);
      if (n !== controls.point.options.length) pointOptions(n);
    }

    function schedulePaint() {
      if (st.painting) return;
      st.painting = true;
      requestAnimationFrame(function () {
        st.painting = false;
        if (st.left) return;
        // The next frame is computed while this one is painted (run/worker.js).
        const acks = st.unacked;
        st.unacked = 0;
        const send = function () {
          if (st.left || st.worker !== api.worker) return;
          for (let i = 0; i < acks; i++) api.post({ op: "ack" });
        };
        if (acks && reduced.matches) setTimeout(send, REDUCED_MS);
        else if (acks) send();
        const began = performance.now();
        paint();
        const took = performance.now() - began;
        stats.paints += 1;
        stats.frames += acks;
        stats.paintMs += took;
        stats.paintMaxMs = Math.max(stats.paintMaxMs, took);
        announce(false);
      });
    }

    /* ------------------------------------------------------------ the controls */

    function note(text, kind) {
      const p = q(".bpd-live-note");
      p.textContent = text;
      p.className = "bpd-live-note" + (kind ? " bpd-live-" + kind : "");
    }

    function fieldError(field, message) {
      for (const name of ["eta", "seed", "data"]) {
        const input = controls[name];
        const span = q("#bpd-live-" + name + "-error");
        const bad = name === field;
        span.textContent = bad ? message : "";
        if (bad) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
      root.dataset.error = field || "";
      if (!field) delete root.dataset.error;
    }

    function answerOk(answer) {
      if (answer.error) {
        const field = ["eta", "seed", "data"].includes(answer.field) ? answer.field : "data";
        fieldError(field, answer.error);
        return false;
      }
      fieldError(null);
      return true;
    }

    function buttons() {
      // U+275A twice, not U+23F8 (⏸), which many fonts lack: it showed as a box.
      controls.play.textContent = st.playing ? "\u275A\u275A Pause" : "\u25B6 Play";
      controls.play.setAttribute("aria-label", st.playing ? "Pause" : "Play");
      root.dataset.playing = st.playing ? "yes" : "no";
    }

    /* Run a control's action: one at a time; a failure says what failed, the page reads on. */
    let queue = Promise.resolve();
    function act(job) {
      const next = queue.then(job).catch(function (err) {
        st.playing = false;
        buttons();
        note(String(err.message || err).replace(/\.?$/, ".") + " The page still reads; " +
          "Play or Step tries again.", "fail");
      });
      queue = next;
      return next;
    }

    async function play() {
      if (!(await readyToTrain())) return;
      st.playing = true;
      buttons();
      note(reduced.matches ? "Playing, one frame a second (your system asks for reduced " +
        "motion)." : "Playing.", "");
      st.lastAnnounce = 0;
      hideMath();
      api.post({ op: "play", speed: Number(controls.speed.value), ahead: reduced.matches ? 1 : 0 });
    }

    async function pause() {
      if (!st.playing) return;
      st.playing = false;
      buttons();
      await ask({ op: "pause" }); // every frame of the loop has arrived before this answer
      paint();
      note("Paused.", "");
      announce(true);
      await explain();
    }

    async function step() {
      if (st.playing) await pause();
      if (!(await readyToTrain())) return;
      const frame = await ask({ op: "step", steps: 1 });
      take(frame);
      paint();
      if (!frame.stopped) note("One step of gradient descent.", "");
      announce(true);
      await explain();
    }

    /* Start again: the weights from the seed field, the data set chosen; the learning rate
       from its field, or (`eta` null: a new data set) the data set's own. */
    async function start(eta) {
      if (st.playing) await pause();
      await ready();
      const answer = await request({ op: "reset", seed: controls.seed.value,
        data: controls.data.value, eta });
      if (!answerOk(answer)) return;
      controls.eta.value = st.run.eta;
      st.history = new History();
      const frame = await ask({ op: "frame" });
      take(frame);
      for (const out of root.querySelectorAll(".bpd-live-output")) {
        out.textContent = data.data[st.run.data].outputs[Number(out.closest("figure").dataset.unit) - 3];
      }
      paint();
      note("Started again: seed " + st.run.seed + ", " + data.data[st.run.data].name +
        ", learning rate " + fmt(Number(st.run.eta)) + ".", "");
      announce(true);
      await explain();
      root.dataset.starts = String(Number(root.dataset.starts || 0) + 1);
    }

    async function setEta() {
      if (!api || !window.backpropDocRun.loaded || !st.worker) return; // taken up at the start
      await ready();
      const answer = await request({ op: "eta", text: controls.eta.value });
      if (answerOk(answer)) {
        note("Learning rate η = " + fmt(Number(st.run.eta)) + " from the next step.", "");
        if (!st.playing) await explain();
      }
    }

    async function click(plane, x1, x2) {
      if (!api || !window.backpropDocRun.loaded || !st.worker) {
        note("Press Play or Step first: the training points live in your browser's Python.",
          "");
        return;
      }
      await ready();
      const radius = 6 / plane.canvas.clientWidth * (data.hi - data.lo);
      const answer = await request({ op: "click", x1, x2, cls: controls.cls.value, radius });
      if (!answerOk(answer)) return;
      const frame = await ask({ op: "frame" });
      take(frame);
      paint();
      const what = "added" in answer
        ? "Added point " + (answer.added + 1) + " at (" + fmt(x1) + ", " + fmt(x2) + ")"
        : "Removed point " + (answer.removed + 1);
      note(what + "; " + st.run.points + " points.", "");
      root.dataset.points = String(st.run.points);
      if (!st.playing) await explain();
    }

    function stopWith(message) {
      st.playing = false;
      buttons();
      note(message, "fail");
      root.dataset.stopped = "yes";
    }

    /* ------------------------------------------------------------ the mathematics */

    function pointOptions(n) {
      const chosen = Math.min(Number(controls.point.value) || 0, n - 1);
      controls.point.replaceChildren();
      for (let s = 0; s < n; s++) {
        const pts = st.numbers.subarray(st.numbers.length - 4 * n);
        controls.point.append(el("option", { value: String(s) }, (s + 1) + ": x = (" +
          fmt(pts[4 * s]) + ", " + fmt(pts[4 * s + 1]) + ")"));
      }
      controls.point.value = String(chosen);
    }

    function hideMath() {
      st.explained = null;
      const lines = q(".bpd-live-lines");
      lines.replaceChildren(el("li", {}, "Pause, or press Step, to see this iteration's " +
        "numbers in the formula."));
      for (const slot of svg.querySelectorAll("[data-val^=h], [data-val^=y], [data-val^=x], " +
        "[data-val^=t]")) slot.textContent = "";
      for (const name of svg.querySelectorAll(".bpd-name.bpd-unit-val")) {
        name.classList.remove("bpd-unit-val");
      }
      delete root.dataset.explained;
    }

    async function explain() {
      if (!st.worker) return;
      const answer = await request({ op: "explain", point: Number(controls.point.value) || 0 });
      if (!answerOk(answer)) return;
      st.explained = answer;
      const params = new URLSearchParams(answer.fields);
      params.set("iteration", String(st.run.iteration));
      params.set("point", String(answer.point + 1));
      controls.stepper.href = controls.stepper.href.replace(/[?#].*$/, "") + "?" +
        params.toString() + "#step-through-it";
      root.dataset.explained = String(st.run.iteration);
      showMath();
    }

    function showMath() {
      const sym = controls.sym.value;
      for (const tex of root.querySelectorAll(".bpd-live-tex")) tex.hidden = tex.dataset.sym !== sym;
      for (const g of svg.querySelectorAll(".bpd-sym.bpd-live-on")) g.classList.remove("bpd-live-on");
      for (const g of svg.querySelectorAll('.bpd-sym[data-sym="' + sym + '"]')) g.classList.add("bpd-live-on");
      if (!st.explained) return;
      const entry = st.explained.symbols[sym];
      const lines = q(".bpd-live-lines");
      lines.replaceChildren(...entry.lines.map(function (line) { return el("li", {}, line); }));
      for (const [slot, text] of Object.entries(st.explained.labels)) {
        const node = svg.querySelector('[data-val="' + slot + '"]');
        if (node) node.textContent = text;
      }
    }

    /* ------------------------------------------------------------ drawing */

    function colours() {
      const style = getComputedStyle(root);
      const read = function (name, fallback) {
        return style.getPropertyValue(name).trim() || fallback;
      };
      const probe = document.createElement("canvas").getContext("2d");
      const rgb = function (css) {
        probe.fillStyle = "#000";
        probe.fillStyle = css;
        const hex = probe.fillStyle;
        if (hex.startsWith("#")) {
          return [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
        }
        return hex.match(/[\d.]+/g).slice(0, 3).map(Number);
      };
      const ink = style.color;
      const a = read("--bpd-live-a", "#3b7dd8");
      const b = read("--bpd-live-b", "#c8621a");
      const bg = read("--md-default-bg-color", "#ffffff");
      const [A, B, G] = [rgb(a), rgb(b), rgb(bg)];
      // 0..255 -> a colour: the second accent below one half, the first above, stronger
      // the farther from one half; the switch at one half is the unit's edge.
      const lut = new Uint8ClampedArray(256 * 4);
      for (let v = 0; v < 256; v++) {
        const t = (v + 0.5) / 256 * 2 - 1;
        const c = t >= 0 ? A : B;
        const mix = 0.16 + 0.44 * Math.abs(t);
        for (let i = 0; i < 3; i++) lut[4 * v + i] = Math.round(G[i] + (c[i] - G[i]) * mix);
        lut[4 * v + 3] = 255;
      }
      return { ink, a, b, bg, lut };
    }

    function sizeCanvas(canvas) {
      const ratio = window.devicePixelRatio || 1;
      const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
      const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      return ratio;
    }

    const cell = document.createElement("canvas");
    cell.width = data.grid;
    cell.height = data.grid;
    const cellContext = cell.getContext("2d");
    const cellImage = cellContext.createImageData(data.grid, data.grid);

    function paintPlane(p) {
      const ratio = sizeCanvas(p.canvas);
      const c = p.canvas.getContext("2d");
      const W = p.canvas.width;
      const H = p.canvas.height;
      const span = data.hi - data.lo;
      const px = function (x1) { return (x1 - data.lo) / span * W; };
      const py = function (x2) { return (data.hi - x2) / span * H; };
      c.clearRect(0, 0, W, H);
      if (st.grid) {
        const size = data.grid * data.grid;
        const values = st.grid.subarray(p.unit * size, (p.unit + 1) * size);
        const pixels = cellImage.data;
        const lut = st.colours.lut;
        for (let i = 0; i < size; i++) {
          const v = 4 * values[i];
          pixels[4 * i] = lut[v];
          pixels[4 * i + 1] = lut[v + 1];
          pixels[4 * i + 2] = lut[v + 2];
          pixels[4 * i + 3] = 255;
        }
        cellContext.putImageData(cellImage, 0, 0);
        c.imageSmoothingEnabled = true;
        c.drawImage(cell, 0, 0, W, H);
      }
      // The frame, and the axes' middle lines (x = 0.5) lightly.
      c.strokeStyle = st.colours.ink;
      c.globalAlpha = 0.5;
      c.lineWidth = ratio;
      c.strokeRect(0.5 * ratio, 0.5 * ratio, W - ratio, H - ratio);
      c.globalAlpha = 1;
      const n = st.numbers[3];
      const pts = st.numbers.subarray(st.numbers.length - 4 * n);
      const k = p.unit - 3; // the output of this plane, or <0 for a hidden unit
      const r = (p.small ? 2.2 : n > 50 ? 3.6 : 6.5) * ratio;
      c.lineWidth = 1.2 * ratio;
      for (let s = 0; s < n; s++) {
        const x = px(pts[4 * s]);
        const y = py(pts[4 * s + 1]);
        if (k < 0) {
          c.fillStyle = st.colours.ink;
          c.beginPath();
          c.arc(x, y, r, 0, 2 * Math.PI);
          c.fill();
          continue;
        }
        const one = pts[4 * s + 2 + k] >= 0.5;
        c.fillStyle = one ? st.colours.a : st.colours.b;
        c.strokeStyle = st.colours.ink;
        c.beginPath();
        if (one) {
          c.moveTo(x, y - 1.25 * r);
          c.lineTo(x + 1.1 * r, y + 0.75 * r);
          c.lineTo(x - 1.1 * r, y + 0.75 * r);
          c.closePath();
        } else {
          c.arc(x, y, r, 0, 2 * Math.PI);
        }
        c.fill();
        c.stroke();
      }
      if (p.cursor && p.focused) {
        const x = px(p.cursor[0]);
        const y = py(p.cursor[1]);
        c.strokeStyle = st.colours.ink;
        c.lineWidth = 2 * ratio;
        c.beginPath();
        c.moveTo(x - 9 * ratio, y);
        c.lineTo(x + 9 * ratio, y);
        c.moveTo(x, y - 9 * ratio);
        c.lineTo(x, y + 9 * ratio);
        c.stroke();
      }
      if (!p.small) {
        c.fillStyle = st.colours.ink;
        c.font = 11 * ratio + "px sans-serif";
        c.fillText(String(data.lo).replace("-", MINUS), 3 * ratio, H - 4 * ratio);
        c.textAlign = "right";
        c.fillText(String(data.hi), W - 3 * ratio, H - 4 * ratio);
        c.textAlign = "left";
        c.fillText(String(data.hi), 3 * ratio, 13 * ratio);
      }
    }

    function paintCurve() {
      const ratio = sizeCanvas(curve.canvas);
      const c = curve.canvas.getContext("2d");
      const W = curve.canvas.width;
      const H = curve.canvas.height;
      const h = st.history;
      c.clearRect(0, 0, W, H);
      const left = 44 * ratio;
      const bottom = H - 20 * ratio;
      const top = 8 * ratio;
      const right = W - 8 * ratio;
      const last = Math.max(h.length - 1, 1);
      let lo = Infinity;
      let hi = -Infinity;
      for (let b = 0; b < h.lo.length; b++) {
        if (h.lo[b] > 0) lo = Math.min(lo, h.lo[b]);
        hi = Math.max(hi, h.hi[b]);
      }
      if (!(lo < Infinity)) return;
      let dLo = Math.floor(Math.log10(lo));
      let dHi = Math.ceil(Math.log10(hi));
      if (dHi <= dLo) dHi = dLo + 1;
      const x = function (i) { return left + i / last * (right - left); };
      const y = function (v) {
        return bottom - (Math.log10(Math.max(v, 1e-300)) - dLo) / (dHi - dLo) * (bottom - top);
      };
      c.strokeStyle = st.colours.ink;
      c.fillStyle = st.colours.ink;
      c.font = 11 * ratio + "px sans-serif";
      c.lineWidth = ratio;
      c.globalAlpha = 0.25;
      const every = Math.max(1, Math.ceil((dHi - dLo) / 5));
      for (let d = dLo; d <= dHi; d += every) {
        c.beginPath();
        c.moveTo(left, y(10 ** d));
        c.lineTo(right, y(10 ** d));
        c.stroke();
      }
      c.globalAlpha = 1;
      c.textAlign = "right";
      for (let d = dLo; d <= dHi; d += every) {
        c.fillText("10" + (d < 0 ? "⁻" : "") + String(Math.abs(d)).split("").map(function (ch) {
          return "⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(ch)];
        }).join(""), left - 4 * ratio, y(10 ** d) + 4 * ratio);
      }
      c.textAlign = "left";
      c.fillText("0", left, H - 5 * ratio);
      c.textAlign = "right";
      c.fillText("iteration " + (h.length - 1), right, H - 5 * ratio);
      c.textAlign = "left";
      c.strokeStyle = st.colours.a;
      c.lineWidth = 1.6 * ratio;
      c.beginPath();
      for (let b = 0; b < h.lo.length; b++) {
        const i = Math.min(b * h.size, last);
        const xi = x(i);
        if (b === 0) c.moveTo(xi, y(h.hi[b]));
        else c.lineTo(xi, y(h.hi[b]));
        if (h.lo[b] !== h.hi[b]) c.lineTo(xi, y(h.lo[b]));
      }
      c.stroke();
      // The loss now, a dot at the curve's end (before the first step, the curve's only point).
      c.fillStyle = st.colours.a;
      c.beginPath();
      c.arc(x(h.length - 1), y(h.values[h.length - 1]), 3 * ratio, 0, 2 * Math.PI);
      c.fill();
      if (curve.mark !== null && curve.mark < h.length) {
        c.strokeStyle = st.colours.ink;
        c.lineWidth = ratio;
        c.beginPath();
        c.moveTo(x(curve.mark), top);
        c.lineTo(x(curve.mark), bottom);
        c.stroke();
      }
    }

    /* Each parameter's arrow (its line) and the slot its value is written in; its name,
       which the value replaces. */
    const drawn = NAMES.map(function (name) {
      const arrow = svg.querySelector('.bpd-sym[data-sym="' + name + '"]:not(.bpd-name)');
      for (const label of svg.querySelectorAll('.bpd-name[data-sym="' + name + '"]')) {
        label.classList.add("has-val");
      }
      return { arrow, line: arrow ? arrow.querySelector("line") : null,
        slot: svg.querySelector('[data-val="' + name + '"]'), sign: 0, text: "",
        /* A bias's value sits above its unit, under the unit before it: "b =" says whose. */
        prefix: name.startsWith("b") ? "b = " : "" };
    });

    function paintNet() {
      drawn.forEach(function (d, k) {
        const v = st.numbers[HEAD + k];
        if (d.line) {
          d.line.style.strokeWidth = (1 + 1.6 * Math.min(Math.abs(v), 4)).toFixed(2);
          const sign = v < 0 ? -1 : 1;
          if (sign !== d.sign) {
            d.sign = sign;
            d.arrow.classList.toggle("bpd-live-pos", sign > 0);
            d.arrow.classList.toggle("bpd-live-neg", sign < 0);
          }
        }
        const text = d.prefix + fmt(v);
        if (d.slot && text !== d.text) d.slot.textContent = d.text = text;
      });
    }

    function paint() {
      if (!st.colours) st.colours = colours();
      for (const p of planes) {
        if (p.overlay) p.overlay.hidden = st.grid !== null;
      }
      paintNet();
      for (const p of planes) paintPlane(p);
      paintCurve();
      q(".bpd-live-iteration").textContent = String(st.numbers[0]);
      q(".bpd-live-loss").textContent = fmtLoss(st.numbers[1]);
      root.dataset.iteration = String(st.numbers[0]);
      controls.at.max = String(st.history.length - 1);
      readAt();
      if (st.explained && !st.playing) showMath();
    }

    function readAt() {
      const h = st.history;
      if (st.atFollows) controls.at.value = String(h.length - 1);
      let i = Math.round(Number(controls.at.value));
      if (!Number.isFinite(i) || i < 0) i = 0;
      if (i > h.length - 1) i = h.length - 1;
      q(".bpd-live-at-loss").textContent = fmtLoss(h.values[i]);
      return i;
    }

    function announce(now) {
      const t = performance.now();
      if (!now && (!st.playing || t - st.lastAnnounce < ANNOUNCE_MS)) return;
      st.lastAnnounce = t;
      q(".bpd-live-announce").textContent = (st.playing ? "" : "Paused at ") + "iteration " +
        st.numbers[0] + ", loss " + fmtLoss(st.numbers[1]);
    }

    /* ------------------------------------------------------------ the reader's input */

    controls.play.addEventListener("click", function () {
      act(st.playing ? pause : play);
    });
    controls.step.addEventListener("click", function () { act(step); });
    controls.reset.addEventListener("click", function () {
      act(function () { return start(controls.eta.value); });
    });
    controls.eta.addEventListener("change", function () { act(setEta); });
    controls.eta.addEventListener("keydown", function (event) {
      if (event.key === "Enter") act(setEta);
    });
    controls.seed.addEventListener("change", function () {
      if (window.backpropDocRun && window.backpropDocRun.loaded) {
        note("The seed gives the starting weights: press Reset to start from it.", "");
      }
    });
    controls.data.addEventListener("change", function () {
      if (!window.backpropDocRun || !window.backpropDocRun.loaded || !st.worker) {
        note("Press Play or Step to train on " + data.data[controls.data.value].name + ".", "");
        return;
      }
      act(function () { return start(null); });
    });
    controls.speed.addEventListener("change", function () {
      if (st.playing) api.post({ op: "speed", speed: Number(controls.speed.value) });
    });
    controls.sym.addEventListener("change", showMath);
    controls.point.addEventListener("change", function () {
      if (!st.playing) act(explain);
    });
    controls.at.addEventListener("input", function () {
      st.atFollows = false;
      curve.mark = readAt();
      paintCurve();
    });
    controls.copy.addEventListener("click", function () {
      act(async function () {
        if (st.playing) await pause();
        await ready();
        const text = (await request({ op: "python" })).python;
        const details = q(".bpd-live-python");
        details.querySelector("code").textContent = text;
        const said = q(".bpd-live-copied");
        try {
          await navigator.clipboard.writeText(text);
          said.textContent = "Copied: the state at iteration " + st.run.iteration + ".";
        } catch (err) {
          details.open = true;
          said.textContent = "The browser did not let the page copy: the state is below, " +
            "to select and copy.";
        }
        root.dataset.copied = String(st.run.iteration);
      });
    });
    controls.stepper.addEventListener("click", function (event) {
      if (!st.worker || (st.explained && !st.playing)) return; // the link as it stands
      event.preventDefault();
      act(async function () {
        if (st.playing) await pause();
        else await explain();
        controls.stepper.click();
      });
    });

    /* Point at a weight, a bias or a unit of the net: its mathematics. */
    svg.addEventListener("mouseover", function (event) {
      const g = event.target instanceof Element
        ? event.target.closest(".bpd-sym[data-sym], [data-val]") : null;
      const sym = g ? g.dataset.sym || g.dataset.val : null;
      if (!sym || !(sym in data.symbols) || controls.sym.value === sym) return;
      controls.sym.value = sym;
      showMath();
    });

    /* The planes of the outputs: a click, or Enter at the keyboard's cross, adds a point
       there or removes the one under it. */
    function planeAt(p, clientX, clientY) {
      const box = p.canvas.getBoundingClientRect();
      const span = data.hi - data.lo;
      return [data.lo + (clientX - box.left) / box.width * span,
        data.hi - (clientY - box.top) / box.height * span];
    }
    for (const p of planes) {
      if (p.small) continue;
      p.canvas.addEventListener("click", function (event) {
        const [x1, x2] = planeAt(p, event.clientX, event.clientY);
        act(function () { return click(p, x1, x2); });
      });
      p.box.addEventListener("focus", function () {
        // The cross starts in the middle, and stays where it was left (shown while focused).
        if (!p.cursor) p.cursor = [0.5 * (data.lo + data.hi), 0.5 * (data.lo + data.hi)];
        p.focused = true;
        paintPlane(p);
      });
      p.box.addEventListener("blur", function () {
        p.focused = false;
        paintPlane(p);
      });
      p.box.addEventListener("keydown", function (event) {
        if (!p.focused || event.altKey || event.ctrlKey || event.metaKey) return;
        const move = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[event.key];
        if (move) {
          event.preventDefault();
          const stepSize = event.shiftKey ? 0.01 : 0.05;
          p.cursor = p.cursor.map(function (v, i) {
            return Math.min(data.hi, Math.max(data.lo, Math.round((v + move[i] * stepSize) * 100) / 100));
          });
          note("The cross is at (" + fmt(p.cursor[0]) + ", " + fmt(p.cursor[1]) + "): Enter " +
            "adds a point there, or removes the one under it.", "");
          paintPlane(p);
        } else if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          act(function () { return click(p, p.cursor[0], p.cursor[1]); });
        }
      });
    }

    /* The loss curve: the pointer, or the arrow keys, read it. */
    function readCurve(i) {
      st.atFollows = false;
      const last = st.history.length - 1;
      controls.at.value = String(Math.max(0, Math.min(last, i)));
      curve.mark = readAt();
      paintCurve();
    }
    curve.canvas.addEventListener("pointermove", function (event) {
      const box = curve.canvas.getBoundingClientRect();
      const left = 44;
      const right = box.width - 8;
      const f = (event.clientX - box.left - left) / (right - left);
      readCurve(Math.round(f * Math.max(st.history.length - 1, 1)));
    });
    curve.box.addEventListener("keydown", function (event) {
      const last = st.history.length - 1;
      const at = Number(controls.at.value) || 0;
      const big = Math.max(1, Math.round(last / 20));
      const to = { ArrowLeft: at - 1, ArrowRight: at + 1, PageDown: at - big, PageUp: at + big,
        Home: 0, End: last }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      readCurve(to);
    });

    /* The palette changed (Material's toggle): new colours. */
    const palette = new MutationObserver(function () {
      st.colours = colours();
      paint();
    });
    palette.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    window.addEventListener("resize", function () { if (!st.left) paint(); });

    /* ------------------------------------------------------------ set-up */

    root.querySelector(".bpd-live-view").hidden = false;
    // Shown now: javascripts/a11y.js measures again what scrolls sideways (the figure).
    window.dispatchEvent(new Event("resize"));
    const snapshots = q(".bpd-live-snapshots");
    if (snapshots) snapshots.open = false;
    buttons();
    pointOptions(st.numbers[3]);
    if (api && window.backpropDocRun.loaded) note("Python is loaded: press Play or Step.", "");
    paint();
    if (api) api.onMessage = function (m, worker) { if (view && view.onMessage) view.onMessage(m, worker); };

    return {
      onMessage,
      leave: function () {
        st.left = true;
        palette.disconnect();
        if (st.playing && st.worker === api.worker && api.worker) api.post({ op: "pause" });
        st.playing = false;
      },
    };
  }

  function setUpPage() {
    if (view) view.leave();
    view = null;
    const root = document.querySelector(".bpd-live[data-live]");
    if (!root) return;
    if (document.documentElement.classList.contains("print-edition")) {
      // On paper (backprop_site/print_edition.py waits for every image): the snapshots, now.
      for (const img of root.querySelectorAll(".bpd-live-snapshots img")) img.loading = "eager";
      return;
    }
    view = View(root);
  }

  if (typeof document$ !== "undefined") document$.subscribe(setUpPage);
  else document.addEventListener("DOMContentLoaded", setUpPage);
})();
