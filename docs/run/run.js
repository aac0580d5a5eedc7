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
  const MANIFEST = new URL("run/manifest.json", SITE).href;
  const WORKER = new URL("run/worker.js", SITE).href;
  const BLOCKS = "div.language-pycon";

  /* ---------------------------------------------------------------- Python */

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

  class Stopped extends Error {}

  function mb(bytes) {
    return (bytes / 1e6).toFixed(1);
  }

  /* Opened from a folder (file://), a page cannot start a Web Worker: say so, and how. */
  const FROM_FOLDER = "Python cannot start in a page opened from a folder (file://): the " +
    "browser does not let it load its worker there. Serve the folder instead: in it, run " +
    "python -m http.server and open http://localhost:8000/";

  function startPython(onProgress) {
    python.onProgress = onProgress;
    if (location.protocol === "file:") return Promise.reject(new Error(FROM_FOLDER));
    if (python.ready) return python.ready;
    const worker = new Worker(WORKER);
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
          window.performance.mark("backprop-doc:python-ready");
          resolve(m);
        } else if (m.type === "failed") {
          endWorker();
          reject(new Error(m.message));
        } else if (m.type === "live") {
          if (python.onLive) python.onLive(m, worker);
        } else if (m.type === "result" || m.type === "error" || m.type === "steps") {
          const waiting = python.pending.get(m.id);
          python.pending.delete(m.id);
          if (!waiting) return;
          if (m.type !== "error") waiting.resolve(m);
          else waiting.reject(new Error(m.message));
        }
      };
      worker.onerror = function (event) {
        event.preventDefault();
        const message = "Python's worker failed: " + (event.message || "run/worker.js did not load");
        for (const waiting of python.pending.values()) waiting.reject(new Error(message));
        python.pending.clear();
        endWorker();
        reject(new Error(message));
      };
    });
    worker.postMessage({ type: "init", manifest: MANIFEST });
    return python.ready;
  }

  function endWorker() {
    if (python.worker) python.worker.terminate();
    python.worker = null;
    python.ready = null;
    python.page = null;
  }

  let stops = 0; // runs queued before a Stop do not start Python again

  function stopPython() {
    stops += 1;
    if (python.rejectReady) python.rejectReady(new Stopped("stopped"));
    endWorker();
    for (const waiting of python.pending.values()) waiting.reject(new Stopped("stopped"));
    python.pending.clear();
  }

  function send(message) {
    const id = python.nextId++;
    return new Promise(function (resolve, reject) {
      python.pending.set(id, { resolve, reject });
      python.worker.postMessage(Object.assign({ id }, message));
    });
  }

  async function runInPython(mode, text) {
    if (python.page !== state.path) {
      python.worker.postMessage({ type: "reset", page: state.path });
      python.page = state.path;
    }
    return send({ type: "run", mode, text });
  }

  /* ---------------------------------------------------------------- page state */

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

  function setBusy(busy, running) {
    state.busy = busy;
    for (const block of state.blocks) {
      const stop = busy && block === running;
      block.runButton.textContent = stop ? "Stop" : "Run";
      block.runButton.classList.toggle("run-stop", stop);
      block.runButton.setAttribute("aria-label", stop ? "Stop this run" : "Run this example");
    }
    if (state.check) {
      const stop = busy && running === "check";
      state.check.button.textContent = stop ? "Stop" : "Check this page";
      state.check.button.classList.toggle("run-stop", stop);
    }
  }

  /* The output panel under a block: a status line and the transcript. */
  function panel(block) {
    block.output.hidden = false;
    return block.output;
  }

  function showStatus(target, className, text, progress) {
    const status = target.querySelector(".run-status");
    status.className = "run-status " + className;
    status.textContent = text;
    if (progress) {
      const bar = el("progress", { max: String(progress.total), value: String(progress.loaded),
        "aria-label": "Loading Python" });
      status.append(" ", bar);
    }
  }

  function transcript(records) {
    const code = el("code");
    const pre = el("pre", { class: "run-transcript" }, [code]);
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
    return pre;
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
    const examples = records.filter(function (r) { return r.ok !== null; }).length;
    if (failed === 0) {
      return { ok: true, cls: "run-pass", text: "✓ The output matches the page" };
    }
    const what = exception ? "; raised " + exception : "";
    return { ok: false, cls: "run-fail",
      text: "✗ " + failed + " of " + examples + " outputs differ from the page" + what };
  }

  function showResult(block, result, edited, prefix) {
    const out = panel(block);
    const v = verdict(result.records, edited);
    showStatus(out, v.cls, (prefix || "") + v.text + " (" + result.seconds.toFixed(2) + " s)");
    out.querySelector(".run-transcript").replaceWith(transcript(result.records));
    block.el.dataset.runResult = v.ok === true ? "pass" : v.ok === false ? "fail" : "edited";
    return v;
  }

  function showProgress(target) {
    return function (m) {
      if (m.loaded < m.total) {
        showStatus(target, "run-loading", "Loading Python in your browser: " + m.label + " (" +
          m.file + "), " + mb(m.loaded) + " of " + mb(m.total) + " MB", m);
      } else {
        showStatus(target, "run-loading", "Loaded " + mb(m.total) + " MB; starting Python " +
          "and NumPy…", m);
      }
    };
  }

  async function ensurePython(target) {
    if (python.ready && python.info) return;
    showStatus(target, "run-loading", "Loading Python in your browser…");
    const info = await startPython(showProgress(target));
    showStatus(target, "run-loading", "Python " + info.python + " and NumPy " + info.numpy +
      " loaded in " + info.seconds.toFixed(1) + " s; running…");
  }

  /* After a stop or a failure, no block is left saying "Running…". */
  function settleRunning(text) {
    for (const block of state.blocks) {
      const status = block.output.querySelector(".run-status");
      if (status.classList.contains("run-running")) showStatus(block.output, "run-stopped", text);
    }
  }

  function failure(target, err, started) {
    settleRunning(err instanceof Stopped ? "Stopped." : "Did not run: " + err.message);
    if (err instanceof Stopped) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      showStatus(target, "run-stopped", "Stopped after " + seconds + " s. Python starts " +
        "again on the next Run, and the blocks above run again first.");
    } else {
      showStatus(target, "run-fail", err.message.replace(/\.?$/, ".") + " The page still reads; Run tries again.");
    }
  }

  /* Run one block in the current namespace: its edited code, or the page's. */
  async function execute(block, pageCode, prefix) {
    const edited = !pageCode && block.textarea !== null;
    const text = edited ? block.textarea.value : block.source;
    const out = panel(block);
    showStatus(out, "run-running", "Running…");
    out.querySelector(".run-transcript").replaceChildren();
    delete block.el.dataset.runResult;
    const result = await runInPython(edited ? "code" : "doctest", text);
    block.ran = true;
    return showResult(block, result, edited, prefix);
  }

  function enqueue(job) {
    const generation = stops;
    const guarded = function () { return generation === stops ? job() : undefined; };
    const next = state.queue.then(guarded, guarded);
    state.queue = next.catch(function () {});
    return next;
  }

  function runBlock(block) {
    if (state.busy && block.runButton.classList.contains("run-stop")) {
      stopPython();
      return;
    }
    const page = state;
    enqueue(async function () {
      if (page !== state) return;
      const started = performance.now();
      setBusy(true, block);
      try {
        await ensurePython(panel(block));
        for (const before of state.blocks.slice(0, block.index)) {
          if (!before.ran) await execute(before, false);
        }
        await execute(block, false);
        performance.mark("backprop-doc:result");
      } catch (err) {
        for (const b of state.blocks) b.ran = false;
        failure(panel(block), err, started);
      } finally {
        if (page === state) setBusy(false);
      }
    });
  }

  function checkPage() {
    const check = state.check;
    if (state.busy && check.button.classList.contains("run-stop")) {
      stopPython();
      return;
    }
    const page = state;
    enqueue(async function () {
      if (page !== state) return;
      const started = performance.now();
      setBusy(true, "check");
      check.list.replaceChildren();
      try {
        await ensurePython(check.box);
        python.page = null; // a fresh namespace
        for (const b of state.blocks) b.ran = false;
        const failed = [];
        for (const block of state.blocks) {
          showStatus(check.box, "run-running", "Checking example " + (block.index + 1) + " of " +
            state.blocks.length + "…");
          const prefix = block.textarea ? "The page's code: " : "";
          const v = await execute(block, true, prefix);
          if (v.ok !== true) failed.push(block);
        }
        const n = state.blocks.length;
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
      } catch (err) {
        for (const b of state.blocks) b.ran = false;
        failure(check.box, err, started);
      } finally {
        if (page === state) setBusy(false);
      }
    });
  }

  /* ---------------------------------------------------------------- editing */

  function edit(block) {
    if (block.textarea) {
      block.textarea.focus();
      return;
    }
    const code = block.el.querySelector("code");
    const text = code.getAttribute("data-code") || ""; // backprop_site/paste.py
    const area = el("textarea", {
      class: "run-editor",
      spellcheck: "false",
      autocapitalize: "off",
      "aria-label": "Python code of example " + (block.index + 1) + " (Ctrl+Enter runs it)",
      wrap: "off",
      rows: String(Math.max(2, text.split("\n").length + 1)),
    });
    area.value = text;
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        runBlock(block);
      }
    });
    block.textarea = area;
    block.el.querySelector("pre").hidden = true;
    block.el.append(area);
    block.editButton.hidden = true;
    block.resetButton.hidden = false;
    area.focus();
  }

  function resetBlock(block) {
    if (!block.textarea) return;
    block.textarea.remove();
    block.textarea = null;
    block.el.querySelector("pre").hidden = false;
    block.editButton.hidden = false;
    block.resetButton.hidden = true;
    block.editButton.focus();
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
    const block = { el: div, index, source: code.textContent, textarea: null, ran: false };
    block.runButton = button("Run", "run-run", "Run this example", function () { runBlock(block); });
    block.editButton = button("Edit", "run-edit", "Edit this example", function () { edit(block); });
    block.resetButton = button("Reset", "run-reset", "Put the page's code back",
      function () { resetBlock(block); });
    block.resetButton.hidden = true;
    const bar = el("div", { class: "run-bar" },
      [block.runButton, block.editButton, block.resetButton]);
    block.output = el("div", { class: "run-output", hidden: "", "aria-live": "polite" },
      [el("p", { class: "run-status" }), el("pre", { class: "run-transcript" })]);
    div.after(bar, block.output);
    return block;
  }

  function checkBox(count) {
    const bytes = document.querySelector("meta[name='backprop-doc:run-bytes']");
    const size = bytes ? " (the first time, " + mb(Number(bytes.content)) + " MB of Python)" : "";
    const check = {};
    check.button = button("Check this page", "run-check", null, checkPage);
    check.list = el("ul", { class: "run-failures" });
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
    state = { path: location.pathname, blocks: [], busy: false, queue: Promise.resolve(), check: null };
    state.blocks = codes.map(decorate);
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
      await startPython(onProgress);
      const answer = await send({ type: "steps", fields: JSON.stringify(fields) });
      return JSON.parse(answer.json);
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
      await startPython(onProgress);
      const answer = await send({ type: "check", exercise, code });
      return JSON.parse(answer.json);
    },
    stop: function () { stopPython(); },
    Stopped,
  };
})();
