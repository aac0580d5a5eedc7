/*
 * Run buttons: every doctest block (```pycon) of a page runs in Python in the browser.
 *
 * - Run: the first press starts Python (Pyodide, NumPy and this package, from the site's
 *   own files, in a Web Worker: docs/run/worker.js) with visible progress; the block's
 *   output appears under it, marked whether it matches what the page prints (the test
 *   suite's comparison, backprop_site/pycon.py). A page's blocks share one namespace in page
 *   order: Run on a block first runs the blocks before it that have not run.
 * - Edit, Reset: the block's code becomes editable (Ctrl/Cmd+Enter runs it); Reset puts
 *   the page's code back.
 * - Stop: a running block's button stops it (the worker is ended; Python starts again on
 *   the next Run, and the blocks before it run again).
 * - Check this page: runs every block of the page, as the page wrote it, in a fresh
 *   namespace and says how many pass, with links to any that fail.
 *
 * Nothing of Python is fetched before the first Run. Python stays loaded across Material's
 * instant navigation; each page gets a fresh namespace.
 */
(function () {
  "use strict";

  const SITE = new URL("../", document.currentScript.src); // this file is <site>/run/run.js
  const BLOCKS = "div.language-pycon";
  const mb = function (bytes) { return (bytes / 1e6).toFixed(1); };
  class Stopped extends Error {}

  /* ---------------------------------------------------------------- Python */

  /* One worker for the page's Run buttons, the step-through figure, the live view and the
     answer cells; requests wait for its "ready" and are answered by id. */
  const python = {
    worker: null,
    ready: null, // Promise of the "ready" message
    rejectReady: null,
    info: null,
    page: null, // the page whose namespace the worker holds
    nextId: 1,
    pending: new Map(), // id -> {resolve, reject}
    onProgress: null,
    onLive: null, // the live view's listener (docs/live/live.js) for the worker's "live" messages
  };

  /* Opened from a folder (file://), a page cannot start a Web Worker: say so, and how. */
  const FROM_FOLDER = "Python cannot start in a page opened from a folder (file://): the " +
    "browser does not let it load its worker there. Serve the folder instead: in it, run " +
    "python -m http.server and open http://localhost:8000/";

  function startPython(onProgress) {
    python.onProgress = onProgress;
    if (location.protocol === "file:") return Promise.reject(new Error(FROM_FOLDER));
    if (python.ready) return python.ready;
    const worker = new Worker(new URL("run/worker.js", SITE));
    python.worker = worker;
    python.page = null;
    python.ready = new Promise(function (resolve, reject) {
      python.rejectReady = reject;
      worker.onmessage = function (event) {
        const m = event.data;
        if (m.type === "progress") {
          if (python.onProgress) python.onProgress(m);
        } else if (m.type === "ready") {
          python.info = m;
          performance.mark("backprop-doc:python-ready");
          resolve(m);
        } else if (m.type === "failed") {
          reject(endWorker(new Error(m.message)));
        } else if (m.type === "live") {
          if (python.onLive) python.onLive(m, worker);
        } else if (python.pending.has(m.id)) {
          const waiting = python.pending.get(m.id);
          python.pending.delete(m.id);
          if (m.type === "error") waiting.reject(new Error(m.message));
          else waiting.resolve(m);
        }
      };
      worker.onerror = function (event) {
        event.preventDefault();
        const message = "Python's worker failed: " + (event.message || "run/worker.js did not load");
        reject(endWorker(new Error(message)));
      };
    });
    worker.postMessage({ type: "init", manifest: new URL("run/manifest.json", SITE).href });
    return python.ready;
  }

  /* End the worker; what waits on it fails with `err`, which is returned. */
  function endWorker(err) {
    if (python.worker) python.worker.terminate();
    Object.assign(python, { worker: null, ready: null, page: null });
    for (const waiting of python.pending.values()) waiting.reject(err);
    python.pending.clear();
    return err;
  }

  let stops = 0; // runs queued before a Stop do not start Python again

  function stopPython() {
    stops += 1;
    if (python.rejectReady) python.rejectReady(new Stopped("stopped"));
    endWorker(new Stopped("stopped"));
  }

  /* A request answered by a Python function's JSON (worker.js's REQUESTS), Python started
     first if need be. */
  async function ask(message, onProgress) {
    await startPython(onProgress);
    const id = python.nextId++;
    const answer = await new Promise(function (resolve, reject) {
      python.pending.set(id, { resolve, reject });
      python.worker.postMessage(Object.assign({ id }, message));
    });
    return Object.assign(answer, { json: JSON.parse(answer.json) });
  }

  async function runInPython(mode, text) {
    if (python.page !== state.path) {
      python.worker.postMessage({ type: "reset", page: state.path });
      python.page = state.path;
    }
    return ask({ type: "run", mode, text });
  }

  /* ---------------------------------------------------------------- page state */

  /* A page's blocks; each block and the check box is a "runner": its button reads Stop
     while it runs. */
  let state = { path: null, blocks: [], busy: false, queue: Promise.resolve(), check: null };

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function setBusy(running) {
    state.busy = running !== null;
    for (const runner of state.check ? [...state.blocks, state.check] : state.blocks) {
      const stop = runner === running;
      runner.button.textContent = stop ? "Stop" : runner.label;
      runner.button.classList.toggle("run-stop", stop);
      if (runner.aria) runner.button.setAttribute("aria-label", stop ? "Stop this run" : runner.aria);
    }
  }

  function showStatus(target, className, text, progress) {
    const status = target.querySelector(".run-status");
    status.className = "run-status " + className;
    status.textContent = text;
    if (progress) {
      status.append(" ", el("progress", { max: String(progress.total),
        value: String(progress.loaded), "aria-label": "Loading Python" }));
    }
  }

  function transcript(records) {
    const code = el("code");
    for (const record of records) {
      if (record.source) {
        record.source.replace(/\n$/, "").split("\n").forEach(function (line, i) {
          code.append(el("span", { class: "run-code", text: (i ? "... " : ">>> ") + line + "\n" }));
        });
      }
      const got = el("span", { class: record.raised ? "run-got run-raised" : "run-got", text: record.got });
      if (!record.source && record.got) got.classList.add("run-stderr");
      code.append(got);
      if (record.ok === false) {
        code.append(el("span", { class: "run-want", text: "# the page prints:\n" +
          (record.want || "(nothing)\n").replace(/^/gm, "# ").replace(/# $/, "") }));
      }
    }
    return el("pre", { class: "run-transcript" }, [code]);
  }

  function verdict(records, edited) {
    const raised = records.find(function (r) { return r.raised && r.ok !== true; });
    const exception = raised ? raised.got.trim().split("\n").pop() : null;
    if (edited) {
      return exception
        ? { ok: false, cls: "run-fail", text: "Your code raised " + exception }
        : { ok: null, cls: "run-edited", text: "Ran your edited code (not compared with the page)" };
    }
    const failed = records.filter(function (r) { return r.ok === false; }).length;
    if (failed === 0) return { ok: true, cls: "run-pass", text: "✓ The output matches the page" };
    const examples = records.filter(function (r) { return r.ok !== null; }).length;
    return { ok: false, cls: "run-fail", text: "✗ " + failed + " of " + examples +
      " outputs differ from the page" + (exception ? "; raised " + exception : "") };
  }

  async function ensurePython(target) {
    if (python.ready && python.info) return;
    showStatus(target, "run-loading", "Loading Python in your browser…");
    const info = await startPython(function (m) {
      showStatus(target, "run-loading", m.loaded < m.total
        ? "Loading Python in your browser: " + m.label + " (" + m.file + "), " + mb(m.loaded) +
          " of " + mb(m.total) + " MB"
        : "Loaded " + mb(m.total) + " MB; starting Python and NumPy…", m);
    });
    showStatus(target, "run-loading", "Python " + info.python + " and NumPy " + info.numpy +
      " loaded in " + info.seconds.toFixed(1) + " s; running…");
  }

  /* Run one block in the current namespace: its edited code, or the page's. */
  async function execute(block, pageCode, prefix) {
    const edited = !pageCode && block.textarea !== null;
    const out = block.output;
    showStatus(out, "run-running", "Running…");
    out.querySelector(".run-transcript").replaceChildren();
    delete block.el.dataset.runResult;
    const result = await runInPython(edited ? "code" : "doctest",
      edited ? block.textarea.value : block.source);
    block.ran = true;
    const v = verdict(result.json, edited);
    showStatus(out, v.cls, (prefix || "") + v.text + " (" + result.seconds.toFixed(2) + " s)");
    out.querySelector(".run-transcript").replaceWith(transcript(result.json));
    block.el.dataset.runResult = v.ok === true ? "pass" : v.ok === false ? "fail" : "edited";
    return v;
  }

  /* A press of a runner's button: Stop while it runs; otherwise its job, queued after the
     runs before it, in `target` (the status line it speaks through). */
  function press(runner, target, job) {
    if (state.busy && runner.button.classList.contains("run-stop")) {
      stopPython();
      return;
    }
    const page = state;
    const generation = stops;
    const guarded = async function () {
      if (generation !== stops || page !== state) return;
      const started = performance.now();
      setBusy(runner);
      target.hidden = false;
      try {
        await job(started);
      } catch (err) {
        for (const b of state.blocks) b.ran = false;
        // After a stop or a failure, no block is left saying "Running…".
        const stopped = err instanceof Stopped;
        for (const block of state.blocks) {
          if (block.output.querySelector(".run-status.run-running")) {
            showStatus(block.output, "run-stopped", stopped ? "Stopped." : "Did not run: " + err.message);
          }
        }
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        showStatus(target, stopped ? "run-stopped" : "run-fail", stopped
          ? "Stopped after " + seconds + " s. Python starts again on the next Run, and the " +
            "blocks above run again first."
          : err.message.replace(/\.?$/, ".") + " The page still reads; Run tries again.");
      } finally {
        if (page === state) setBusy(null);
      }
    };
    state.queue = state.queue.then(guarded, guarded).catch(function () {});
  }

  function runBlock(block) {
    press(block, block.output, async function () {
      await ensurePython(block.output);
      for (const before of state.blocks.slice(0, block.index)) {
        if (!before.ran) await execute(before, false);
      }
      await execute(block, false);
      performance.mark("backprop-doc:result");
    });
  }

  function checkPage() {
    const check = state.check;
    press(check, check.box, async function (started) {
      check.list.replaceChildren();
      await ensurePython(check.box);
      python.page = null; // a fresh namespace
      for (const b of state.blocks) b.ran = false;
      const failed = [];
      const n = state.blocks.length;
      for (const block of state.blocks) {
        showStatus(check.box, "run-running", "Checking example " + (block.index + 1) + " of " + n + "…");
        const v = await execute(block, true, block.textarea ? "The page's code: " : "");
        if (v.ok !== true) failed.push(block);
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      showStatus(check.box, failed.length ? "run-fail" : "run-pass",
        (failed.length ? "✗ " : "✓ ") + (n - failed.length) + " of " + n +
        " examples pass (" + seconds + " s)" + (failed.length ? ". Failing:" : ""));
      for (const block of failed) {
        const link = el("a", { href: "#" + block.el.id, text: "example " + (block.index + 1) });
        // An example inside a folded solution: unfold it, so the link lands on it.
        link.addEventListener("click", function () {
          for (let d = block.el.closest("details"); d; d = d.parentElement.closest("details")) {
            d.open = true;
          }
        });
        check.list.append(el("li", {}, [link]));
      }
      check.box.dataset.runResult = failed.length ? "fail" : "pass";
      performance.mark("backprop-doc:checked");
    });
  }

  /* ---------------------------------------------------------------- editing */

  /* Edit (on) or Reset (off): the block's code in a textarea, or the page's back. */
  function edit(block, on) {
    if (on && block.textarea) return block.textarea.focus();
    if (on) {
      const text = block.el.querySelector("code").getAttribute("data-code") || ""; // paste.py
      block.textarea = el("textarea", {
        class: "run-editor",
        spellcheck: "false",
        autocapitalize: "off",
        "aria-label": "Python code of example " + (block.index + 1) + " (Ctrl+Enter runs it)",
        wrap: "off",
        rows: String(Math.max(2, text.split("\n").length + 1)),
      });
      block.textarea.value = text;
      block.textarea.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          runBlock(block);
        }
      });
      block.el.append(block.textarea);
    } else if (block.textarea) {
      block.textarea.remove();
      block.textarea = null;
    } else {
      return;
    }
    block.el.querySelector("pre").hidden = on;
    block.editButton.hidden = on;
    block.resetButton.hidden = !on;
    (on ? block.textarea : block.editButton).focus();
  }

  /* ---------------------------------------------------------------- set-up of a page */

  function button(text, cls, label, onClick) {
    const b = el("button", { type: "button", class: "md-button run-button " + cls, text });
    if (label) b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    return b;
  }

  function decorate(code, index) {
    const div = code.closest(BLOCKS);
    if (!div.id) div.id = "example-" + (index + 1);
    const block = { el: div, index, source: code.textContent, textarea: null, ran: false,
      label: "Run", aria: "Run this example" };
    block.button = button("Run", "run-run", block.aria, function () { runBlock(block); });
    block.editButton = button("Edit", "run-edit", "Edit this example", function () { edit(block, true); });
    block.resetButton = button("Reset", "run-reset", "Put the page's code back",
      function () { edit(block, false); });
    block.resetButton.hidden = true;
    block.output = el("div", { class: "run-output", hidden: "", "aria-live": "polite" },
      [el("p", { class: "run-status" }), el("pre", { class: "run-transcript" })]);
    div.after(el("div", { class: "run-bar" }, [block.button, block.editButton, block.resetButton]),
      block.output);
    return block;
  }

  function checkBox(count) {
    const bytes = document.querySelector("meta[name='backprop-doc:run-bytes']");
    const size = bytes ? " (the first time, " + mb(Number(bytes.content)) + " MB of Python)" : "";
    const check = { label: "Check this page", button: button("Check this page", "run-check", null, checkPage),
      list: el("ul", { class: "run-failures" }) };
    check.box = el("div", { class: "run-check-box", "aria-live": "polite" }, [
      el("p", { class: "run-check-intro", text: "Run this page's " + count +
        " examples in Python in your browser" + size + " and compare their output with the page's." }),
      check.button,
      el("p", { class: "run-status" }),
      check.list,
    ]);
    return check;
  }

  function setUpPage() {
    if (state.path === location.pathname) return;
    if (state.busy) stopPython(); // leaving a page stops its run
    python.page = null; // and the next page gets a fresh namespace
    const codes = [...document.querySelectorAll(BLOCKS + " pre > code")];
    state = { path: location.pathname, blocks: codes.map(decorate), busy: false,
      queue: Promise.resolve(), check: null };
    if (state.blocks.length) {
      state.check = checkBox(state.blocks.length);
      // Under the title, or under the notebook's button there (backprop_site/notebooks.py).
      const title = document.querySelector("article .page-tools") ||
        document.querySelector("article h1");
      if (title) title.after(state.check.box);
    }
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () {
      state.path = null; // instant navigation: a new document body, even on the same path
      setUpPage();
    });
  } else {
    document.addEventListener("DOMContentLoaded", setUpPage);
  }

  // For the tests and the benchmark: whether Python is loaded, without starting it.
  window.backpropDocRun = {
    get loaded() { return python.info !== null && python.worker !== null; },
    get info() { return python.info; },
    /* The step-through figure's steps for the reader's numbers (docs/stepper/stepper.js):
       backprop_site/steps.py run by this Python; {steps, symbols} or {error}. */
    steps: async function (fields, onProgress) {
      return (await ask({ type: "steps", fields: JSON.stringify(fields) }, onProgress)).json;
    },
    /* The training page's live view (docs/live/live.js): its messages to and from
       backprop_site/live.py in the worker (type "live"; see run/worker.js). start()
       resolves to the worker, so the view can tell when Python was started again (a Stop
       ends it). */
    live: {
      start: function (onProgress) {
        return startPython(onProgress).then(function () { return python.worker; });
      },
      post: function (message, transfer) {
        python.worker.postMessage(Object.assign({ type: "live" }, message), transfer || []);
      },
      set onMessage(listener) { python.onLive = listener; },
      get worker() { return python.worker; },
    },
    /* An answer cell's check (docs/answer/answer.js): backprop_site.checks.check_json run
       by this Python on the reader's code; its feedback as a dict. Stop ends it. */
    check: async function (exercise, code, onProgress) {
      return (await ask({ type: "check", exercise, code }, onProgress)).json;
    },
    stop: function () { stopPython(); },
    Stopped,
  };
})();
