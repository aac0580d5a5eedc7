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
 * Messages in:  {type: "init", manifest: URL}
 *               {type: "reset", page}               a fresh namespace for a page
 *               {type: "run", id, mode, text}       mode "doctest" (page code) or "code"
 *               {type: "steps", id, fields}         the step-through figure's steps for the
 *                                                   reader's numbers (backprop_site/steps.py)
 *               {type: "live", op, ...}             the live view's training
 *                                                   (backprop_site/live.py):
 *                 op "request" {id, json}: live.Session.handle's answer; "frame" {id}: a
 *                 frame now; "play" {speed, ahead}, "speed" {speed}, "ack", "pause" {id},
 *                 "step" {id, steps}: the training loop (see liveTick)
 *               {type: "check", id, exercise, code} an answer cell's check: answered by a
 *                                                   "result" with json, check_json's answer
 * Messages out: {type: "progress", label, file, loaded, total}
 *               {type: "ready", python, numpy, pyodide, seconds}
 *               {type: "failed", file, message}     a file did not load; Python is not up
 *               {type: "result", id, records, seconds} or {type: "error", id, message}
 *               {type: "steps", id, json}           steps.steps_json's answer
 *               {type: "live", op: "reply", id, json}
 *               {type: "live", op: "frame", id, numbers, grid, stopped}  Float64Array and
 *                 Uint8Array (live.Session.numbers and .grid), transferred, not copied
 *               {type: "live", op: "paused", id}
 *               {type: "live", op: "error", id, message}   a live message failed
 */
"use strict";

const ORIGIN = self.location.origin;
const realFetch = self.fetch.bind(self);
const downloads = new Map(); // absolute URL -> Promise<Uint8Array>
let pyodide = null;
let session = null;

const TYPES = { ".wasm": "application/wasm", ".js": "text/javascript", ".json": "application/json" };

function contentType(url) {
  const ext = Object.keys(TYPES).find(function (e) { return url.endsWith(e); });
  return ext ? TYPES[ext] : "application/octet-stream";
}

class LoadError extends Error {
  constructor(file, message) {
    super(message);
    this.file = file;
  }
}

/* Fetch one file of the manifest with its integrity hash, counting its bytes. */
async function download(entry, url, progress) {
  let response;
  try {
    response = await realFetch(url, { integrity: entry.integrity, cache: "no-cache" });
  } catch (err) {
    // An integrity failure is a network error; ask again without the hash to tell why.
    let why = "the request failed (" + err.message + ")";
    try {
      const plain = await realFetch(url, { cache: "no-store" });
      why = plain.ok
        ? "it is not the file the site was built with (its sha256 differs)"
        : "the site answered HTTP " + plain.status;
    } catch (ignored) { /* keep the first reason */ }
    throw new LoadError(entry.name, "Could not load " + entry.name + " (" + url + "): " + why);
  }
  if (!response.ok) {
    throw new LoadError(entry.name, "Could not load " + entry.name + " (" + url +
      "): the site answered HTTP " + response.status);
  }
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    progress(entry, value.length);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

function requestURL(input) {
  const raw = typeof input === "string" || input instanceof URL ? String(input) : input.url;
  return new URL(raw, self.location.href);
}

function refuse(what, url) {
  return new Error("The page's Python may load files of this site only; " + what +
    " to " + url + " was refused");
}

/* Manifest files come from the downloads above; other files of the site as usual;
 * nothing from any other host. */
function guardedFetch(input, init) {
  const url = requestURL(input);
  if (downloads.has(url.href)) {
    return downloads.get(url.href).then(function (bytes) {
      return new Response(bytes, { status: 200, headers: { "Content-Type": contentType(url.pathname) } });
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
  const manifestResponse = await realFetch(manifestURL, { cache: "no-cache" }).catch(function (err) {
    throw new LoadError("manifest.json", "Could not load " + manifestURL + ": " + err.message);
  });
  if (!manifestResponse.ok) {
    throw new LoadError("manifest.json", "Could not load " + manifestURL +
      ": the site answered HTTP " + manifestResponse.status);
  }
  const manifest = await manifestResponse.json();
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
  pyodide.FS.writeFile(installed + "/pycon.py", await downloads.get(byName["pycon.py"]));
  pyodide.FS.writeFile(installed + "/steps.py", await downloads.get(byName["steps.py"]));
  pyodide.FS.writeFile(installed + "/live.py", await downloads.get(byName["live.py"]));
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

function stepsFor(message) {
  const stepsJson = pyodide.runPython("steps.steps_json");
  try {
    self.postMessage({ type: "steps", id: message.id, json: stepsJson(message.fields) });
  } finally {
    stepsJson.destroy();
  }
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

/* An answer cell's Check (docs/answer/answer.js): the reader's code, run and checked by
 * backprop_site.checks.check_json in a fresh namespace of its own. */
function check(message) {
  const started = performance.now();
  const checks = pyodide.pyimport("backprop_site.checks");
  const checkJson = checks.check_json;
  try {
    self.postMessage({
      type: "result", id: message.id, json: checkJson(message.exercise, message.code),
      seconds: (performance.now() - started) / 1000,
    });
  } finally {
    checkJson.destroy();
    checks.destroy();
  }
}

function reset(page) {
  if (session) session.destroy();
  session = pyodide.runPython("pycon.Session")(page);
}

function run(message) {
  const started = performance.now();
  if (!session) reset("page");
  const runJson = pyodide.runPython("pycon.run_json");
  try {
    const records = JSON.parse(runJson(session, message.mode, message.text));
    self.postMessage({
      type: "result", id: message.id, records,
      seconds: (performance.now() - started) / 1000,
    });
  } finally {
    runJson.destroy();
  }
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
    try {
      if (message.type === "check") check(message);
      else if (message.type === "reset") reset(message.page);
      else if (message.type === "run") run(message);
      else if (message.type === "steps") stepsFor(message);
      else if (message.type === "live") live(message);
    } catch (err) {
      self.postMessage({ type: "error", id: message.id, message: String(err.message || err) });
    }
  }, function () { /* the failure was reported */ });
};
