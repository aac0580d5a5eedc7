/*
 * Answer cells: under each exercise that has a checker, the reader writes their answer in
 * Python and presses Check (backprop_site/answers.py puts the cells in the page, each with
 * its starter as a plain code block: what the page shows without this script).
 *
 * This script checks nothing. Check sends the cell's text to the Run buttons' Python
 * (window.backpropDocRun.check, docs/run/run.js), whose worker calls
 * backprop_site.checks.check_json; the cell shows the HTML that the checker returns, escaped
 * there. Python loads on the first Check (or Run) and stays across instant navigation;
 * while a check runs its button is Stop, which ends the worker (as the Run buttons' Stop
 * does) and Python starts again on the next Check.
 *
 * On this device only, in the browser's local storage, under keys of this site's address:
 * each cell's text (until Reset puts the starter back), and which exercises were solved.
 * The Exercises page counts them per page (p.answer-progress, made by
 * backprop_site/exercises.py). Nothing is sent anywhere.
 *
 * Keys in a cell: Enter keeps the line's indent (one more level after a colon),
 * Ctrl+Enter (Cmd+Enter) checks; Tab leaves the cell, as everywhere on the page.
 */
(function () {
  "use strict";

  const SITE = new URL("../", document.currentScript.src); // this file is <site>/answer/answer.js
  const PREFIX = "backprop-doc:" + SITE.pathname + ":"; // this site only, even on a shared host
  const INDENT = "    ";

  /* ---------------------------------------------------------------- local storage */

  const store = {
    get: function (key) {
      try { return window.localStorage.getItem(PREFIX + key); } catch (err) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(PREFIX + key, value); } catch (err) { /* private mode */ }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(PREFIX + key); } catch (err) { /* private mode */ }
    },
  };

  function solved(exercise) {
    return store.get("solved:" + exercise) === "1";
  }

  /* ---------------------------------------------------------------- a cell */

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function button(text, cls, label, onClick) {
    const b = el("button", { type: "button", class: "md-button run-button answer-button " + cls, text });
    b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    return b;
  }

  function fit(cell) {
    const lines = cell.area.value.split("\n").length;
    cell.area.rows = Math.max(3, lines); // a last newline gives the empty line below
  }

  function showState(cell) {
    const done = solved(cell.exercise);
    cell.state.textContent = done ? "✓ Solved (on this device)" : "Not solved yet";
    cell.state.classList.toggle("answer-solved", done);
    cell.root.dataset.solved = done ? "true" : "false";
  }

  function showStatus(cell, className, text, progress) {
    cell.status.className = "answer-status " + className;
    cell.status.textContent = text;
    if (progress) {
      cell.status.append(" ", el("progress", { max: String(progress.total),
        value: String(progress.loaded), "aria-label": "Loading Python" }));
    }
  }

  function mb(bytes) {
    return (bytes / 1e6).toFixed(1);
  }

  function onProgress(cell) {
    return function (m) {
      showStatus(cell, "answer-loading", m.loaded < m.total
        ? "Loading Python in your browser: " + m.label + " (" + m.file + "), " + mb(m.loaded) +
          " of " + mb(m.total) + " MB"
        : "Loaded " + mb(m.total) + " MB; starting Python and NumPy…", m);
    };
  }

  function setRunning(cell, running) {
    cell.running = running;
    cell.check.textContent = running ? "Stop" : "Check";
    cell.check.classList.toggle("run-stop", running);
    cell.check.setAttribute("aria-label", running ? "Stop this check"
      : "Check your answer to Exercise " + cell.exercise);
  }

  /* The section's folded solution, opened: a right answer offers it to compare styles. */
  function solutionButton(cell) {
    let details = cell.root.nextElementSibling;
    while (details && details.tagName !== "DETAILS" && !/^H[1-6]$/.test(details.tagName)) {
      details = details.nextElementSibling;
    }
    if (!details || details.tagName !== "DETAILS") return null;
    return button("Open our solution", "answer-solution", "Open the solution of Exercise " +
      cell.exercise + " to compare it with yours", function () {
      details.open = true;
      details.scrollIntoView({ block: "start" });
      const summary = details.querySelector("summary");
      if (summary) summary.focus({ preventScroll: true });
    });
  }

  function showFeedback(cell, feedback, seconds) {
    cell.root.dataset.answerResult = feedback.ok ? "right" : "wrong";
    cell.root.dataset.answerKind = feedback.kind;
    if (feedback.ok) {
      store.set("solved:" + cell.exercise, "1");
      showState(cell);
    }
    showStatus(cell, "answer-done", "Checked in " + seconds.toFixed(seconds < 1 ? 2 : 1) + " s.");
    cell.result.innerHTML = feedback.html; // escaped by the checker (backprop_site/checks/common.py)
    if (feedback.ok) {
      const open = solutionButton(cell);
      if (open) cell.result.firstElementChild.append(open);
    }
  }

  async function check(cell) {
    const python = window.backpropDocRun;
    if (cell.running) {
      python.stop();
      return;
    }
    delete cell.root.dataset.answerResult;
    delete cell.root.dataset.answerKind;
    cell.result.replaceChildren();
    if (!python) {
      showStatus(cell, "answer-failed", "Could not check: the Run buttons' script " +
        "(run/run.js) did not load. The page still reads.");
      cell.root.dataset.answerResult = "failed";
      return;
    }
    const started = performance.now();
    setRunning(cell, true);
    showStatus(cell, "answer-running", python.loaded ? "Checking…" : "Loading Python in your browser…");
    try {
      const feedback = await python.check(cell.exercise, cell.area.value, onProgress(cell));
      showFeedback(cell, feedback, (performance.now() - started) / 1000);
    } catch (err) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (err instanceof python.Stopped) {
        cell.root.dataset.answerResult = "stopped";
        showStatus(cell, "answer-stopped", "Stopped after " + seconds + " s. Python starts " +
          "again on the next Check.");
      } else {
        cell.root.dataset.answerResult = "failed";
        showStatus(cell, "answer-failed", "Could not check: " + err.message.replace(/\.?$/, ".") +
          " The page still reads; Check tries again.");
      }
    } finally {
      setRunning(cell, false);
    }
  }

  function reset(cell) {
    cell.area.value = cell.starter;
    store.remove("text:" + cell.exercise);
    fit(cell);
    delete cell.root.dataset.answerResult;
    delete cell.root.dataset.answerKind;
    cell.result.replaceChildren();
    showStatus(cell, "", "");
    cell.area.focus();
  }

  /* Enter keeps the indent of the line, and adds a level after a colon. */
  function newline(area, event) {
    const at = area.selectionStart;
    const before = area.value.slice(area.value.lastIndexOf("\n", at - 1) + 1, at);
    let indent = before.match(/^[ \t]*/)[0];
    if (/:\s*(#.*)?$/.test(before)) indent += INDENT;
    if (!indent) return;
    event.preventDefault();
    // execCommand keeps the browser's undo; setRangeText where it is gone.
    if (!document.execCommand || !document.execCommand("insertText", false, "\n" + indent)) {
      area.setRangeText("\n" + indent, at, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input"));
    }
  }

  function setUpCell(root) {
    const exercise = root.dataset.exercise;
    const starterBlock = root.querySelector(".answer-starter");
    const cell = { root, exercise, starter: starterBlock.querySelector("code").textContent,
      running: false };
    cell.area = el("textarea", {
      class: "answer-editor",
      id: root.id + "-code",
      spellcheck: "false",
      autocapitalize: "off",
      autocomplete: "off",
      wrap: "off",
      "aria-label": "Your answer to Exercise " + exercise +
        " in Python (Enter keeps the indent, Ctrl+Enter checks)",
    });
    cell.area.value = store.get("text:" + exercise) ?? cell.starter;
    cell.area.addEventListener("input", function () {
      if (cell.area.value === cell.starter) store.remove("text:" + exercise);
      else store.set("text:" + exercise, cell.area.value);
      fit(cell);
    });
    cell.area.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.altKey || event.shiftKey) return;
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        if (!cell.running) check(cell);
      } else {
        newline(cell.area, event);
      }
    });
    cell.check = button("Check", "answer-check", "", function () { check(cell); });
    cell.reset = button("Reset", "answer-reset", "Put the starting code of Exercise " +
      exercise + " back", function () { reset(cell); });
    cell.state = el("span", { class: "answer-state" });
    cell.status = el("p", { class: "answer-status" });
    cell.result = el("div", { class: "answer-result" });
    const feedback = el("div", { class: "answer-feedback", "aria-live": "polite" },
      [cell.status, cell.result]);
    starterBlock.replaceWith(cell.area);
    root.append(el("div", { class: "answer-bar" }, [cell.check, cell.reset, cell.state]),
      feedback);
    setRunning(cell, false);
    showState(cell);
    fit(cell);
    root.classList.add("answer-live");
    return cell;
  }

  /* ---------------------------------------------------------------- the Exercises page */

  function exerciseOf(anchor) { // "ex-w-1" -> "W.1"
    return anchor.slice(3).toUpperCase().replace("-", ".");
  }

  function showProgress() {
    for (const line of document.querySelectorAll("p.answer-progress[data-exercises]")) {
      const ids = line.dataset.exercises.split(" ");
      const done = ids.filter(solved).length;
      line.textContent = "Solved on this device: " + done + " of the " + ids.length +
        " exercises above that have an answer cell.";
      line.dataset.solved = String(done);
      line.classList.add("answer-live");
      // Each solved exercise of the list above gets a mark after its title.
      let table = line.previousElementSibling;
      while (table && table.tagName !== "TABLE" && !table.querySelector("table")) {
        table = table.previousElementSibling;
      }
      if (!table) continue;
      for (const link of table.querySelectorAll("a[href*='#ex-']")) {
        const id = exerciseOf(link.hash.slice(1));
        const mark = link.parentElement.querySelector(".answer-mark");
        if (mark) mark.remove();
        if (ids.includes(id) && solved(id)) {
          link.after(el("span", { class: "answer-mark", text: " ✓ solved" }));
        }
      }
    }
  }

  /* ---------------------------------------------------------------- set-up of a page */

  let cells = [];

  function setUpPage() {
    // Leaving a page while one of its cells checks stops the check (as leaving stops a Run).
    if (cells.some(function (c) { return c.running; }) && window.backpropDocRun) {
      window.backpropDocRun.stop();
    }
    cells = [...document.querySelectorAll("div.answer-cell[data-exercise]")].map(setUpCell);
    showProgress();
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(setUpPage);
  } else {
    document.addEventListener("DOMContentLoaded", setUpPage);
  }
})();
