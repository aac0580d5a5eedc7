/*
 * The Python of the Run buttons: Pyodide in a Web Worker, so that a long run never
 * freezes the page (docs/run/run.js starts this worker on the first Run, and ends it to
 * stop a run).
 *
 * Everything comes from the site's own files, listed in run/manifest.json (written by
 * backprop_site/pyodide_files.py with each file's size and sha256): Pyodide's core, NumPy's Pyodide
 * wheel, the package's wheel, the doctest runner backprop_site/pycon.py and backprop_site/steps.py
 * (the step-through figure's steps, docs/stepper/) and checks.zip, the answer cells'
 * checkers (backprop_site/answers.py). All are fetched at once, each with its Subresource
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
 *               {type: "check", id, exercise, code} an answer cell's check: answered by a
 *                                                   "result" with json, check_json's answer
 * Messages out: {type: "progress", label, file, loaded, total}
 *               {type: "ready", python, numpy, pyodide, seconds}
 *               {type: "failed", file, message}     a file did not load; Python is not up
 *               {type: "result", id, records, seconds} or {type: "error", id, message}
 *               {type: "steps", id, json}           steps.steps_json's answer
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
  // The answer cells' checkers go among the installed packages: they import as
  // backprop_site.checks, and nothing is added to sys.path for them.
  pyodide.unpackArchive(await downloads.get(byName["checks.zip"]), "zip",
    { extractDir: pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')") });
  await pyodide.loadPackage(Object.keys(manifest.packages), { messageCallback: function () {} });
  await pyodide.loadPackage(new URL(manifest.wheel, base).href, { messageCallback: function () {} });
  const runner = await downloads.get(byName["pycon.py"]);
  pyodide.FS.mkdirTree("/home/pyodide/run");
  pyodide.FS.writeFile("/home/pyodide/run/pycon.py", runner);
  pyodide.FS.writeFile("/home/pyodide/run/steps.py", await downloads.get(byName["steps.py"]));
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/run'); import pycon, steps");
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
    } catch (err) {
      self.postMessage({ type: "error", id: message.id, message: String(err.message || err) });
    }
  }, function () { /* the failure was reported */ });
};
