/*
 * Copy buttons on doctest blocks (```pycon) copy paste-ready Python.
 *
 * Material's clipboard integration copies the text of the nearest ancestor
 * with a `data-copy` attribute, if there is one, instead of the block's text
 * (see extract() in Material's integrations/clipboard). So, on every page
 * (direct load and each instant navigation), each pycon block gets a
 * `data-copy` holding only its code lines, with the `>>> ` / `... ` prompts
 * stripped and the output lines dropped.
 *
 * Pygments marks prompts with class "gp" and output with "go"; a line is code
 * if and only if it starts with a "gp" token. Output that happens to start
 * with "..." (an ELLIPSIS match) is therefore still dropped.
 */
(function () {
  // Split the code element's text into lines, remembering which lines start
  // with a prompt token and how long that prompt is.
  function codeLines(code) {
    const lines = [{ text: "", prompt: null }];
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Skip Material's line-number anchors and annotation markers, if any.
      if (node.parentElement.closest(".linenos, .md-annotation")) continue;
      const isPrompt = node.parentElement.closest(".gp") !== null;
      const parts = node.data.split("\n");
      parts.forEach(function (part, i) {
        if (i > 0) lines.push({ text: "", prompt: null });
        const line = lines[lines.length - 1];
        if (isPrompt && line.text === "" && part !== "") line.prompt = part;
        line.text += part;
      });
    }
    return lines;
  }

  function pasteReady(code) {
    return codeLines(code)
      .filter(function (line) { return line.prompt !== null; })
      .map(function (line) {
        // The prompt token is ">>> " or "... " (or ">>>"/"..." on a blank line).
        // Drop doctest directives: they mean nothing outside a doctest.
        return line.text.slice(line.prompt.length).replace(/\s*#\s*doctest:.*$/, "");
      })
      .join("\n");
  }

  function mark(root) {
    const blocks = root.querySelectorAll(
      ".language-pycon pre > code, .highlight.language-pycon code, pre > code.language-pycon"
    );
    blocks.forEach(function (code) {
      code.setAttribute("data-copy", pasteReady(code));
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { mark(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { mark(document); });
  }
})();
