"""The build of the site: the one MkDocs hooks file (``mkdocs.yml``, ``hooks:``).

Each ``on_*`` function calls the modules of `backprop_site` in the order written here; the
README's "Layout" gives the path of a page from Markdown to HTML through them.
"""

from __future__ import annotations

import html
import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from backprop_site import (
    answers,
    bench_tables,
    exercises,
    figures,
    live_view,  # noqa: F401 - registers the md:live shortcode
    notation,  # noqa: F401 - registers the md:notation shortcode
    notebooks,
    offline,
    paste,
    plots,
    print_edition,
    pyodide_files,
    shortcodes,
    stepper,  # noqa: F401 - registers the md:stepper shortcode
    typeset,
)

#: The title of the loss curve (its accessible name; the page gives the caption).
LOSS_CURVE_TITLE = "Loss while training the half adder"
#: The figures drawn at build time: site path -> the function that draws it.
FIGURES: dict[str, Any] = {
    "figures/network.svg": figures.network_svg,
    "figures/network-numbers.svg": lambda: figures.network_svg(numbers=True),
    "figures/backward-flow.svg": figures.backward_flow_svg,
    "figures/backward-flow-numbers.svg": lambda: figures.backward_flow_svg(numbers=True),
    "figures/w11-paths.svg": figures.w11_paths_svg,
    "figures/loss-curve.svg": lambda: plots.loss_curve_svg(
        plots.training_curve(), title=LOSS_CURVE_TITLE, log_y=True),
    "figures/hidden-lines.svg": plots.hidden_lines_svg,
    # The training page's live view without JavaScript and on paper (md:live).
    **{f"figures/live-{i}.svg": (lambda i=i: plots.live_snapshot_svg(i))
       for i in plots.LIVE_SNAPSHOTS},
}
#: The site's small stylesheets, inlined into every page's ``<head>``: on a phone on a slow
#: network each linked stylesheet is a request the first paint waits for. Every page has
#: the same ``<style>``, so instant navigation keeps it; Material's own stay links.
INLINE_CSS = ("assets/mathjax/svg.css", "stylesheets/extra.css", "run/run.css")
_css: dict[str, str] = {}


def on_startup(command: str, dirty: bool) -> None:
    """MkDocs starts: which command (the PDF and the site's zip are not made by serve)."""
    print_edition.on_startup(command, dirty)
    offline.on_startup(command, dirty)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """MathJax's version and stylesheet, the notebooks cleared, whether to print."""
    typeset.on_config(config)
    notebooks.on_config(config)
    return print_edition.on_config(config)


def add_figures(files: Files, config: MkDocsConfig) -> Files:
    """The figures (`FIGURES`) as generated files; one in docs/ would hide its drawing."""
    for src_uri, draw in FIGURES.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"docs/{src_uri} exists, but that figure is drawn at build "
                              "time; delete the file")
        files.append(File.generated(config, src_uri, content=draw()))
    return files


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Every generated file of the site, and the stylesheets to inline."""
    typeset.on_files(files, config)
    add_figures(files, config)
    bench_tables.on_files(files, config)
    pyodide_files.on_files(files, config)
    _css.clear()
    for name in INLINE_CSS:
        file = files.get_file_from_path(name)
        if file is None:
            raise PluginError(f"{name} is not a file of the site")
        _css[name] = file.content_string
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """The navigation's order, for the exercises, the notebooks and the print edition."""
    exercises.on_nav(nav, config, files)
    notebooks.on_nav(nav, config, files)
    return print_edition.on_nav(nav, config, files)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """A page's Markdown: its shortcodes checked and filled, its notebook made."""
    context = shortcodes.Context(page, config, files)
    markdown = shortcodes.expand(markdown, "markdown", context)
    return notebooks.on_page_markdown(markdown, page, config, files)


def on_page_content(output: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """A page's rendered content: scroll boxes, HTML shortcodes, copy texts, answer cells,
    notebook button."""
    output = figures.wrap_scrolling(output)
    output = shortcodes.expand(output, "html", shortcodes.Context(page, config, files))
    output = paste.copy_buttons(output)
    output = answers.on_page_content(output, page)
    return notebooks.on_page_content(output, page, config, files)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """A whole page: formulas drawn, the Run's size, stylesheets inlined, kept for the PDF."""
    output = typeset.on_post_page(output, page, config)
    output = pyodide_files.on_post_page(output, page, config)
    output = _inline_css(output, page)
    output = print_edition.on_post_page(output, page, config)
    return offline.on_post_page(output, page, config)


def _inline_css(output: str, page: Page) -> str:
    for name, css in _css.items():
        link = re.search(r'<link rel="stylesheet" href="(?:\.\./)*' + re.escape(name) + r'">',
                         output)
        if link is None:
            raise PluginError(f"{page.file.src_uri} does not link {name}")
        style = f'<style data-inlined="{html.escape(name)}">{css}</style>'
        output = output[:link.start()] + style + output[link.end():]
    return output


def on_post_build(config: MkDocsConfig) -> None:
    """After the build: MathJax stopped, the notebooks, the PDF, the site's zip."""
    typeset.on_post_build(config)
    notebooks.on_post_build(config)
    print_edition.on_post_build(config)
    offline.on_post_build(config)


def on_build_error(error: Exception) -> None:
    """A failed build: MathJax stopped."""
    typeset.on_build_error(error)
