"""The step-through figure: Figure 1 with one forward and backward pass, step by step.

A page asks for it with ``<!-- md:stepper full -->`` (the worked example: with the reader's
own numbers) or ``<!-- md:stepper compact -->`` (the home page), alone on a line. This hook puts
there, when the site is built:

* Figure 1 inline, drawn by ``backprop_site/figures.py`` (``network_svg(stepper=True)``: the
  same drawing, with every unit and arrow named by its symbol);
* each step's formula as TeX (``backprop_site/typeset.py`` draws it, like every formula), with its
  numbers, the line of ``src/`` that computes it and a link to where it is derived;
* the steps as JSON, computed by ``backprop_site/steps.py`` with the package ``backprop_doc``
  on the worked example's numbers: ``docs/stepper/stepper.js`` only shows them.

The line of code of each step is read from the package's source, from the section that
the pages include (``# --8<-- [start:NAME]``), by how the line starts: a step whose line is
not found fails the build, so the figure never shows code that is not in ``src/``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from backprop_site import steps
from backprop_site.figures import network_svg
from backprop_site.shortcodes import Context, Shortcode, kind

PACKAGE = Path(__file__).resolve().parents[1] / "backprop_doc"
VARIANTS = ("full", "compact")
#: The page each step links to, for its words ("section 2").
SECTIONS = {"derivation/net.md": 2, "derivation/formulas.md": 3,
            "derivation/output-layer.md": 4, "derivation/hidden-layer.md": 5,
            "derivation/generalization.md": 6}


def code_line(file: str, section: str, starts: str) -> tuple[str, int]:
    """The line of ``src/backprop_doc/<file>`` in snippet section ``section`` that starts
    with ``starts`` (after its indent), and its line number; PluginError if there is none."""
    path = PACKAGE / file
    lines = path.read_text(encoding="utf-8").splitlines()
    begin = f"# --8<-- [start:{section}]"
    end = f"# --8<-- [end:{section}]"
    inside = False
    for number, line in enumerate(lines, 1):
        if line.strip() == begin:
            inside = True
        elif line.strip() == end:
            inside = False
        elif inside and line.strip().startswith(starts):
            return line.strip(), number
    raise PluginError(f"stepper: no line starting {starts!r} in section {section!r} "
                      f"of src/backprop_doc/{file}: the step-through figure shows that line")


def data() -> dict[str, Any]:
    """The steps of the worked example, each with its line of code, and the symbols."""
    from backprop_doc.example import ETA, b1, b2, t, u, w, x

    found = steps.steps(x, t, w, b1, u, b2, ETA)
    for step in found:
        file, section, starts = step["code"]
        text, number = code_line(file, section, starts)
        step["code"] = {"text": text, "where": f"src/backprop_doc/{file}, line {number}"}
    defaults = {"x1": x[0, 0], "x2": x[0, 1], "t1": t[0, 0], "t2": t[0, 1],
                **{f"w{i + 1}{j + 1}": w[i, j] for i in range(2) for j in range(3)},
                **{f"u{i + 1}{j + 1}": u[i, j] for i in range(3) for j in range(2)}}
    return {"steps": found, "symbols": steps.symbols(x, t, w, b1, u, b2),
            "fields": {name: repr(float(v)) for name, v in defaults.items()},
            "labels": steps.FIELDS}


def _link(step: dict[str, Any], page: Page, files: Files) -> tuple[str, str]:
    target = files.get_file_from_path(step["page"])
    if target is None:
        raise PluginError(f"stepper: step {step['id']} links to {step['page']}, "
                          f"which is not a page of the site")
    href = target.url_relative_to(page.file) + (f"#{step['anchor']}" if step["anchor"] else "")
    return href, f"({step['eq']}), section {SECTIONS[step['page']]}"


def _form(fields: dict[str, str], labels: dict[str, str]) -> str:
    def field(name: str) -> str:
        return (f'<label class="bpd-field"><span>{labels[name]}</span>'
                f'<input type="text" inputmode="decimal" name="{name}" '
                f'value="{fields[name]}" size="6" autocomplete="off"></label>')

    weights = [n for n in fields if n[0] in "wu"]
    options = "".join(f'<option value="{n}">{labels[n]}</option>' for n in weights)
    return (
        '<details class="bpd-stepper-own" hidden><summary>Step through your own numbers'
        "</summary>"
        '<form class="bpd-own-form" novalidate>'
        "<p>Change an input, a target or a weight: the package recomputes every step in "
        "your browser's Python (the Run buttons' Python, loaded on the first press).</p>"
        '<div class="bpd-fields">' + "".join(field(n) for n in ("x1", "x2", "t1", "t2"))
        + '<label class="bpd-field"><span>weight</span><select name="weight">' + options
        + '</select></label><label class="bpd-field"><span>its value</span>'
        '<input type="text" inputmode="decimal" name="weight-value" '
        f'value="{fields[weights[0]]}" size="6" autocomplete="off"></label></div>'
        '<p><button type="submit" class="md-button md-button--primary bpd-own-run">'
        "Recompute</button> "
        '<button type="button" class="md-button bpd-own-reset">The worked example\'s numbers'
        '</button></p><p class="bpd-own-status" role="status"></p></form></details>'
    )


def render(variant: str, page: Page, files: Files, built: dict[str, Any]) -> str:
    """The HTML of one step-through figure, showing its first step (without JavaScript)."""
    steps = built["steps"]
    for step in steps:
        step["href"], step["eq_text"] = _link(step, page, files)
    first = steps[0]
    formulas = "".join(
        f'<div class="bpd-step-tex" data-step="{k}"{"" if k == 0 else " hidden"}>'
        f'<div class="arithmatex">\\[{html.escape(step["tex"], quote=False)}\\]</div></div>'
        for k, step in enumerate(steps))
    groups = []
    for part, label in (("forward", "Forward pass"), ("backward", "Backward pass")):
        options = "".join(f'<option value="{k}" data-id="{s["id"]}">{k + 1}. '
                          f'{html.escape(s["title"])}</option>'
                          for k, s in enumerate(steps) if s["part"] == part)
        groups.append(f'<optgroup label="{label}">{options}</optgroup>')
    payload = {"steps": steps, "symbols": built["symbols"], "fields": built["fields"]}
    # In an attribute, not a <script type="application/json">: Material's instant navigation
    # re-creates the scripts of the new page's content, as JavaScript.
    steps_json = html.escape(json.dumps(payload, ensure_ascii=False), quote=True)
    return (
        f'<div class="bpd-stepper" data-variant="{variant}" data-steps="{steps_json}">'
        '<div class="bpd-stepper-figure" tabindex="0" role="group" '
        'aria-label="Figure 1, step by step. Left and right arrow keys: back and forward; '
        'Home and End: the first and the last step.">'
        + network_svg(stepper=True) +
        '</div><div class="bpd-stepper-bar" hidden>'
        '<button type="button" class="md-button bpd-first" aria-label="First step">'
        "First</button>"
        '<button type="button" class="md-button bpd-back" aria-label="Back one step">'
        "◀ Back</button>"
        '<button type="button" class="md-button bpd-play" aria-label="Play">▶ Play</button>'
        '<button type="button" class="md-button bpd-next" aria-label="Forward one step">'
        "Forward ▶</button>"
        '<button type="button" class="md-button bpd-last" aria-label="Last step">Last</button>'
        '<label class="bpd-jump-label">Step <select class="bpd-jump">'
        + "".join(groups) + "</select></label></div>"
        f"<noscript><p>With JavaScript on, buttons and the arrow keys step through all "
        f"{len(steps)} steps; here is the first.</p></noscript>"
        '<p class="bpd-stepper-status" aria-live="polite">'
        f"Step 1 of {len(steps)}, forward pass: {html.escape(first['title'])}.</p>"
        '<div class="bpd-stepper-step">' + formulas
        + f'<p class="bpd-stepper-numbers">{html.escape(first["numbers"])}</p>'
        f'<pre class="bpd-stepper-code"><code>{html.escape(first["code"]["text"])}</code></pre>'
        f'<p class="bpd-stepper-where"><span class="bpd-code-where">'
        f'{html.escape(first["code"]["where"])}</span>; derived in '
        f'<a class="bpd-eq-link" href="{first["href"]}">{html.escape(first["eq_text"])}</a></p>'
        '<p class="bpd-stepper-hover" aria-live="polite"></p></div>'
        + (_form(built["fields"], built["labels"]) if variant == "full" else "")
        + "</div>"
    )


@kind("stepper", "html")
def stepper_shortcode(code: Shortcode, context: Context) -> str:
    """``<!-- md:stepper full -->`` (with the reader's own numbers), ``compact``."""
    if len(code.args) != 1 or code.args[0] not in VARIANTS:
        raise PluginError(f"{code.where}: expected one of {', '.join(VARIANTS)}")
    return render(code.args[0], context.page, context.files, data())
