"""The site's HTML templates (Jinja2, autoescaped): `render` one by its file name."""

from __future__ import annotations

from typing import Any

import jinja2

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("backprop_site", "templates"), autoescape=True,
    trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def render(name: str, **values: Any) -> str:
    """The template ``name`` (``stepper.html``) filled with ``values``, escaped as HTML."""
    return _ENVIRONMENT.get_template(name).render(**values)
