"""The site's own small stylesheets, inlined into every page's ``<head>``.

On a phone on a slow network each stylesheet that a page links is a request the first
paint waits for (Lighthouse's "render-blocking resources": about 0.3 s each on its mobile
preset). The site's own ones are small (MathJax's SVG styles, ``extra.css``, the Run
buttons' ``run.css``: 5 kB gzipped together), so each page carries them in a ``<style>``
instead of a ``<link>``. Every page has the same ``<style>``, so Material's instant
navigation keeps it. Material's own stylesheets, cached across pages, stay links.
The files stay in the site too (for anyone who links them).
"""

from __future__ import annotations

import html
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

#: The stylesheets to inline, as extra_css names them (in their order there).
INLINE = ("assets/mathjax/svg.css", "stylesheets/extra.css", "run/run.css")

_css: dict[str, str] = {}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _css.clear()
    for name in INLINE:
        file = files.get_file_from_path(name)
        if file is None:
            raise PluginError(f"hooks/inline_css.py: {name} is not a file of the site")
        _css[name] = file.content_string
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    for name, css in _css.items():
        link = re.compile(r'<link rel="stylesheet" href="(?:\.\./)*' + re.escape(name) + r'">')
        if not link.search(output):
            raise PluginError(f"hooks/inline_css.py: {page.file.src_uri} does not link {name}")
        start, end = link.search(output).span()  # type: ignore[union-attr]  # found above
        style = f'<style data-inlined="{html.escape(name)}">{css}</style>'
        output = output[:start] + style + output[end:]
    return output
