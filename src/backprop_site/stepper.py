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

import json
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from backprop_site import steps, templates
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
    inside = False
    for number, line in enumerate((PACKAGE / file).read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if text in (f"# --8<-- [start:{section}]", f"# --8<-- [end:{section}]"):
            inside = "[start:" in text
        elif inside and text.startswith(starts):
            return text, number
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


def render(variant: str, page: Page, files: Files, built: dict[str, Any]) -> str:
    """The HTML of one step-through figure, showing its first step (without JavaScript):
    ``templates/stepper.html``."""
    steps = built["steps"]
    for step in steps:
        step["href"], step["eq_text"] = _link(step, page, files)
    payload = {"steps": steps, "symbols": built["symbols"], "fields": built["fields"]}
    # In an attribute, not a <script type="application/json">: Material's instant navigation
    # re-creates the scripts of the new page's content, as JavaScript.
    return templates.render(
        "stepper.html", inline=True, variant=variant, steps=steps, first=steps[0],
        options=list(enumerate(steps)), steps_json=json.dumps(payload, ensure_ascii=False),
        figure=Markup(network_svg(stepper=True)), fields=built["fields"],
        labels=built["labels"], weights=[n for n in built["fields"] if n[0] in "wu"])


@kind("stepper", "html")
def stepper_shortcode(code: Shortcode, context: Context) -> str:
    """``<!-- md:stepper full -->`` (with the reader's own numbers), ``compact``."""
    if len(code.args) != 1 or code.args[0] not in VARIANTS:
        raise PluginError(f"{code.where}: expected one of {', '.join(VARIANTS)}")
    return render(code.args[0], context.page, context.files, data())
