/*
 * A formula's TeX, for the reader who wants it: MathJax's right-click menu offered
 * "Show Math As > TeX Commands"; the formulas are now drawn when the site is built
 * (backprop_site/typeset.py), with no MathJax in the page, and keep their TeX in data-tex.
 *
 * Right-click a formula (or long-press it on a touch screen) and a small dialog shows its
 * TeX, selected, with a Copy button; Escape closes it. Shift+right-click gives the
 * browser's own menu. Screen readers read the formula's assistive MathML instead. One listener on the document: it works after Material's instant
 * navigation too. Without JavaScript the formulas are all there; only this dialog is not.
 */
(function () {
  let dialog = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "tex-source";
    dialog.setAttribute("aria-labelledby", "tex-source-title");
    dialog.innerHTML =
      '<p id="tex-source-title">TeX of this formula</p>' +
      '<textarea readonly rows="3" spellcheck="false" aria-labelledby="tex-source-title">' +
      "</textarea>" +
      '<p class="tex-source-buttons">' +
      '<button type="button" class="md-button md-button--primary" data-copy>Copy</button> ' +
      '<button type="button" class="md-button" data-close>Close</button></p>';
    dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
    dialog.querySelector("[data-copy]").addEventListener("click", function () {
      const text = dialog.querySelector("textarea").value;
      const done = () => { this.textContent = "Copied"; };
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, () => {});
    });
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
    document.body.appendChild(dialog);
  }

  document.addEventListener("contextmenu", function (event) {
    if (event.shiftKey) return;
    const formula = event.target.closest && event.target.closest(".arithmatex[data-tex]");
    if (!formula) return;
    event.preventDefault();
    if (!dialog || !dialog.isConnected) build();
    const area = dialog.querySelector("textarea");
    area.value = formula.dataset.tex;
    area.rows = Math.min(8, area.value.split("\n").length + 1);
    dialog.querySelector("[data-copy]").textContent = "Copy";
    dialog.showModal();
    area.select();
  });
})();
