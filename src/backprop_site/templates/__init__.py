"""The site's HTML templates (Jinja2, autoescaped): `render` one by its file name."""

from __future__ import annotations

import functools
from typing import Any

import jinja2

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("backprop_site", "templates"), autoescape=True,
    trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


@functools.cache
def _inline(name: str) -> jinja2.Template:
    """The template ``name`` with its lines joined, each stripped of its indent."""
    source, _, _ = _ENVIRONMENT.loader.get_source(_ENVIRONMENT, name)  # type: ignore[union-attr]
    return _ENVIRONMENT.from_string("".join(line.strip() for line in source.splitlines()))


def render(name: str, *, inline: bool = False, **values: Any) -> str:
    """The template ``name`` (``stepper.html``) filled with ``values``, escaped as HTML;
    ``inline``: a fragment written one element a line, rendered with no white space
    between the lines (a space at a line's edge is written ``{{ " " }}``)."""
    template = _inline(name) if inline else _ENVIRONMENT.get_template(name)
    return template.render(**values)
