/*
 * The Python of the Run buttons: Pyodide in a Web Worker, so that a long run never
 * freezes the page (docs/run/run.js starts this worker on the first Run, and ends it to
 * stop a run).
 *
 * Everything comes from the site's own files, listed in run/manifest.json (written by
 * backprop_site/pyodide_files.py with each file's size and sha256): Pyodide's core, NumPy's Pyodide
 * wheel, the package's wheel, the doctest runner backprop_site/pycon.py, backprop_site/steps.py
 * (the step-through figure's steps, docs/stepper/), backprop_site/live.py (the training
 * page's live view, docs/live/) and checks.zip, the answer cells' checkers
 * (backprop_site/answers.py). All are fetched at once, each with its Subresource
 * Integrity hash, and the bytes received are posted as progress.
 * Pyodide's own fetches of these files are answered from those downloads.
 *
 * Python in this worker may load files of this site only: fetch, XMLHttpRequest,
 * WebSocket, EventSource and importScripts refuse any other host.
 *
 * Messages in:  {type: "init", manifest: URL}; {type: "reset", page}: a fresh namespace;
 *               {type: "run", id, mode, text}: mode "doctest" (the page's code) or "code";
 *               {type: "steps", id, fields}: the step-through figure's steps for the reader's
 *                 numbers (steps.steps_json); {type: "check", id, exercise, code}: an answer
 *                 cell's check (backprop_site.checks.check_json);
 *               {type: "live", op, ...}: the live view's training (live.py): op "request"
 *                 {id, json}: live.Session.handle's answer; "frame" {id}: a frame now; "play"
 *                 {speed, ahead}, "speed" {speed}, "ack", "pause" {id}, "step" {id, steps}
 * Messages out: {type: "progress", label, file, loaded, total};
 *               {type: "ready", python, numpy, pyodide, seconds};
 *               {type: "failed", file, message}: a file did not load, Python is not up;
 *               {type: "result", id, json, seconds} (run, steps, check: the Python function's
 *                 JSON answer) or {type: "error", id, message};
 *               {type: "live", op: "reply", id, json}, {type: "live", op: "frame", id,
 *                 numbers, grid, stopped} (Float64Array and Uint8Array, transferred, not
 *                 copied), {type: "live", op: "paused", id}, {type: "live", op: "error", id,
 *                 message}
 */
"use strict";

const ORIGIN = self.location.origin;
const realFetch = self.fetch.bind(self);
const downloads = new Map(); // absolute URL -> Promise<Uint8Array>
let pyodide = null;
let session = null;

const TYPES = { wasm: "application/wasm", js: "text/javascript", json: "application/json" };

class LoadError extends Error {
  constructor(file, message) {
    super(message);
    this.file = file;
  }
}

/* Fetch a file of the site, or say which and why not. With its integrity hash a mismatch
 * is a network error: asked again without it, the site tells why. */
async function get(name, url, init) {
  const failed = function (why) {
    return new LoadError(name, "Could not load " + name + " (" + url + "): " + why);
  };
  let response;
  try {
    response = await realFetch(url, Object.assign({ cache: "no-cache" }, init));
  } catch (err) {
    let why = "the request failed (" + err.message + ")";
    try {
      const plain = await realFetch(url, { cache: "no-store" });
      why = plain.ok
        ? "it is not the file the site was built with (its sha256 differs)"
        : "the site answered HTTP " + plain.status;
    } catch (ignored) { /* keep the first reason */ }
    throw failed(why);
  }
  if (!response.ok) throw failed("the site answered HTTP " + response.status);
  return response;
}

/* One file of the manifest, its bytes counted as they come. */
async function download(entry, url, progress) {
  const reader = (await get(entry.name, url, { integrity: entry.integrity })).body.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    progress(entry, value.length);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

function refuse(what, url) {
  return new Error("The page's Python may load files of this site only; " + what +
    " to " + url + " was refused");
}

/* Manifest files come from the downloads above; other files of the site as usual;
 * nothing from any other host. */
function guardedFetch(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input), self.location.href);
  if (downloads.has(url.href)) {
    const type = TYPES[url.pathname.split(".").pop()] || "application/octet-stream";
    return downloads.get(url.href).then(function (bytes) {
      return new Response(bytes, { status: 200, headers: { "Content-Type": type } });
    });
  }
  if (url.origin !== ORIGIN) return Promise.reject(new TypeError(refuse("a request", url.href)));
  return realFetch(input, init);
}

function guardNetwork() {
  self.fetch = guardedFetch;
  if (typeof WorkerGlobalScope !== "undefined") WorkerGlobalScope.prototype.fetch = guardedFetch;
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    const target = new URL(url, self.location.href);
    if (target.origin !== ORIGIN) throw refuse("an XMLHttpRequest", target.href);
    return open.apply(this, arguments);
  };
  for (const name of ["WebSocket", "EventSource"]) {
    self[name] = function (url) { throw refuse("a " + name, String(url)); };
  }
  const importScripts = self.importScripts.bind(self);
  self.importScripts = function () {
    for (const url of arguments) {
      const target = new URL(url, self.location.href);
      if (target.origin !== ORIGIN && target.protocol !== "blob:") {
        throw refuse("importScripts", target.href);
      }
    }
    return importScripts.apply(self, arguments);
  };
}

/* Run a script file of the manifest (its bytes are already checked). */
async function runScript(url) {
  const bytes = await downloads.get(url);
  const blob = URL.createObjectURL(new Blob([bytes], { type: "text/javascript" }));
  try {
    self.importScripts(blob);
  } finally {
    URL.revokeObjectURL(blob);
  }
}

async function init(manifestURL) {
  const started = performance.now();
  guardNetwork();
  const manifest = await (await get("manifest.json", manifestURL)).json();
  const base = new URL("../", manifestURL); // the manifest is at <site>/run/manifest.json
  const total = manifest.files.reduce(function (sum, f) { return sum + f.bytes; }, 0);
  let loaded = 0;
  let lastPost = 0;
  function progress(entry, bytes) {
    loaded += bytes;
    const now = performance.now();
    if (now - lastPost > 100 || loaded === total) {
      lastPost = now;
      self.postMessage({ type: "progress", label: entry.label, file: entry.name, loaded, total });
    }
  }
  const byName = {};
  for (const entry of manifest.files) {
    const url = new URL(entry.url, base).href;
    byName[entry.name] = url;
    downloads.set(url, download(entry, url, progress));
  }
  // A failed download rejects here first, whichever file it is.
  await Promise.all(downloads.values());
  await runScript(byName["pyodide.js"]);
  await runScript(byName["pyodide.asm.js"]);
  pyodide = await self.loadPyodide({
    indexURL: new URL(manifest.indexURL, base).href,
    stdout: function () {},
    stderr: function () {},
  });
  await pyodide.loadPackage(Object.keys(manifest.packages), { messageCallback: function () {} });
  await pyodide.loadPackage(new URL(manifest.wheel, base).href, { messageCallback: function () {} });
  // The site's three modules go where the wheel went, among the installed packages, and
  // so do the answer cells' checkers (they import as backprop_site.checks): nothing is
  // added to sys.path.
  const installed = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(await downloads.get(byName["checks.zip"]), "zip",
    { extractDir: installed });
  for (const name of ["pycon.py", "steps.py", "live.py"]) {
    pyodide.FS.writeFile(installed + "/" + name, await downloads.get(byName[name]));
  }
  pyodide.runPython("import importlib; importlib.invalidate_caches(); import pycon, steps, live");
  const versions = pyodide.runPython(
    "import json, sys, numpy; json.dumps([sys.version.split()[0], numpy.__version__])");
  const [python, numpy] = JSON.parse(versions);
  downloads.clear(); // the bytes are in Pyodide's file system now
  self.postMessage({
    type: "ready", python, numpy, pyodide: manifest.pyodide,
    seconds: (performance.now() - started) / 1000,
  });
}

/* The training page's live view: a live.Session trains the net `speed` steps a frame (the
 * package's train), and each frame's numbers and grid go to the page as typed arrays whose
 * buffers are transferred. The page acknowledges ("ack") a frame when it starts to paint it;
 * at most LIVE_AHEAD frames are unacknowledged, so the next frame is computed while the page
 * paints and while a frame travels (with one, the round trip halved the frames a second on
 * a busy machine; see benchmarks/live_timing.py). The training keeps pace with the drawing
 * (a painted frame is `speed` steps, or two frames' when they arrive within one animation
 * frame), and a message from the page (pause, a new learning rate) is answered between two
 * frames. */
const LIVE_AHEAD = 2;
const liveRun = { session: null, playing: false, speed: 1, credits: 0, ahead: LIVE_AHEAD,
  scheduled: false };

function liveSession() {
  if (!liveRun.session) liveRun.session = pyodide.runPython("live.Session")();
  return liveRun.session;
}

/* A NumPy array's bytes, copied out of Python's memory into a buffer of their own. */
function ownBuffer(array) {
  const view = array.getBuffer();
  try {
    if (!view.c_contiguous) throw new Error("a frame's array is not C-contiguous");
    return view.data.slice();
  } finally {
    view.release();
    array.destroy();
  }
}

function liveFrame(id) {
  const session = liveSession();
  const numbers = ownBuffer(session.numbers());
  const grid = ownBuffer(session.grid());
  self.postMessage({ type: "live", op: "frame", id, numbers, grid, stopped: session.stopped },
    [numbers.buffer, grid.buffer]);
}

function liveTick() {
  liveRun.scheduled = false;
  if (!liveRun.playing || liveRun.credits <= 0) return;
  try {
    // Stopped (an overflow): why is in the frame.
    if (liveSession().advance(liveRun.speed)) liveRun.playing = false;
    liveRun.credits -= 1;
    liveFrame(null);
  } catch (err) { // said to the view, which stops and says so; the page still reads
    liveRun.playing = false;
    self.postMessage({ type: "live", op: "error", id: null, message: String(err.message || err) });
    return;
  }
  liveSchedule();
}

function liveSchedule() {
  if (liveRun.playing && liveRun.credits > 0 && !liveRun.scheduled) {
    liveRun.scheduled = true;
    setTimeout(liveTick, 0);
  }
}

function live(message) {
  try {
    liveOp(message);
  } catch (err) { // answered as the live view's own, never as another request's error
    liveRun.playing = false;
    self.postMessage({ type: "live", op: "error", id: message.id || null,
      message: String(err.message || err) });
  }
}

function liveOp(message) {
  const session = liveSession();
  if (message.op === "request") {
    self.postMessage({ type: "live", op: "reply", id: message.id, json: session.handle(message.json) });
  } else if (message.op === "frame") {
    liveFrame(message.id);
  } else if (message.op === "play") {
    // Reduced motion: one frame at a time, each acknowledged a second later (the page's).
    const ahead = message.ahead || LIVE_AHEAD;
    Object.assign(liveRun, { playing: true, speed: message.speed, credits: ahead, ahead });
    liveSchedule();
  } else if (message.op === "speed") {
    liveRun.speed = message.speed;
  } else if (message.op === "ack") {
    liveRun.credits = Math.min(liveRun.ahead, liveRun.credits + 1);
    liveSchedule();
  } else if (message.op === "pause") {
    liveRun.playing = false;
    self.postMessage({ type: "live", op: "paused", id: message.id });
  } else if (message.op === "step") {
    liveRun.playing = false;
    session.advance(message.steps);
    liveFrame(message.id);
  }
}

/* A Python function (the last expression of `code`), called and released. */
function call(code, ...args) {
  const fn = pyodide.runPython(code);
  try {
    return fn(...args);
  } finally {
    fn.destroy();
  }
}

/* The requests answered by a "result": each a Python function's JSON answer. */
const REQUESTS = {
  run: function (m) {
    if (!session) reset("page");
    return call("pycon.run_json", session, m.mode, m.text);
  },
  steps: function (m) { return call("steps.steps_json", m.fields); },
  // the reader's code, run and checked in a fresh namespace of its own
  check: function (m) {
    return call("from backprop_site.checks import check_json; check_json", m.exercise, m.code);
  },
};

function reset(page) {
  if (session) session.destroy();
  session = pyodide.runPython("pycon.Session")(page);
}

let starting = null;
self.onmessage = function (event) {
  const message = event.data;
  if (message.type === "init") {
    starting = init(message.manifest).catch(function (err) {
      self.postMessage({
        type: "failed",
        file: err.file || null,
        message: err instanceof LoadError ? err.message : "Python did not start: " + err.message,
      });
      throw err;
    });
    return;
  }
  starting.then(function () {
    const started = performance.now();
    try {
      if (message.type === "reset") reset(message.page);
      else if (message.type === "live") live(message);
      else {
        const json = REQUESTS[message.type](message);
        self.postMessage({ type: "result", id: message.id, json,
          seconds: (performance.now() - started) / 1000 });
      }
    } catch (err) {
      self.postMessage({ type: "error", id: message.id, message: String(err.message || err) });
    }
  }, function () { /* the failure was reported */ });
};
