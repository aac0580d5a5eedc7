"""A Jupyter notebook of every page with examples, and a zip of all of them with the wheel.

On every build, for each page that has doctest blocks (```` ```pycon ````), this hook

* builds the page's notebook with ``site_tools/notebooks.py`` (nbformat) from the page's
  Markdown, after the other hooks have filled its placeholders, and writes it to
  ``notebooks/<page>.ipynb``;
* puts a "Download notebook" button under the page's title, with one line on pasting the
  examples into Python's own prompt (3.13's shows only the last value of a paste);
* writes ``downloads/backprop-doc-notebooks.zip``: every notebook, numbered in the order
  of the navigation, with the package's wheel beside them (a notebook's first cell
  installs it from there), and replaces ``<!-- notebooks:zip -->`` with a link to it.
"""

from __future__ import annotations

import importlib.util
import posixpath
import re
import sys
import zipfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = "notebooks/"
ZIP = "downloads/backprop-doc-notebooks.zip"
PLACEHOLDER = re.compile(r"<!--\s*notebooks:zip\s*-->")
#: Material's "download" icon (material/download.svg).
ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">'
        '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7z"/></svg>')
PASTE_NOTE = ("Copy buttons copy a block's code for Python's prompt. Python 3.13's prompt "
              "runs a paste at once and shows only its last value: paste one line at a time "
              "to see each, or save the code as a file and run it as a script, with "
              "<code>print()</code> around what you want to see.")
#: Site path -> notebook text, and the navigation's order of the pages.
_notebooks: dict[str, str] = {}
_order: list[str] = []

if importlib.util.find_spec("site_tools") is None:
    sys.path.insert(0, str(ROOT))
from site_tools.notebooks import Links, dumps, notebook  # noqa: E402 - after the path
from site_tools.pycon_fences import blocks  # noqa: E402


def notebook_path(page: Page) -> str:
    """``derivation/net.md`` -> ``notebooks/derivation-net.ipynb``."""
    return NOTEBOOKS + page.file.src_uri.removesuffix(".md").replace("/", "-") + ".ipynb"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _notebooks.clear()
    return config


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _order[:] = [page.file.src_uri for page in nav.pages]
    return nav


def links_of(page: Page, config: MkDocsConfig, files: Files) -> Links:
    site = config.site_url or ""
    here = posixpath.dirname(page.file.src_uri)

    def target(path: str) -> tuple[str, str] | None:
        path, _, fragment = path.partition("#")
        # relative to the page, or to docs/ when it starts with "/"
        file = files.get_file_from_path(posixpath.normpath(posixpath.join(here, path))
                                        .lstrip("/"))
        return None if file is None else (file.url, fragment)

    def link(path: str) -> str | None:
        found = target(path)
        if found is None:
            return None
        url, fragment = found
        return site + url + (f"#{fragment}" if fragment else "")

    def image(src: str) -> tuple[str, str] | None:
        file = files.get_file_from_path(posixpath.normpath(posixpath.join(here, src)))
        if file is None or not src.endswith(".svg"):
            return None
        return posixpath.basename(src), file.content_string

    page_url = site + page.url
    figure = f"*The step-through figure is on the site's page: [{page.title}]({page_url}).*"
    return Links(site, page_url, link, image, placeholders={
        "stepper:full": figure, "stepper:compact": figure,
        "notebooks:zip": f"[a zip of all the notebooks]({site}{ZIP})",
        "print:link": f"[the print edition (PDF)]({site}print/backprop-doc.pdf)",
    })


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not blocks(markdown):
        return markdown
    wheel = str(config["extra"]["backprop_doc_wheel"]).rsplit("/", 1)[-1]
    nb = notebook(markdown, links_of(page, config, files), wheel, ROOT)
    _notebooks[notebook_path(page)] = dumps(nb)
    return markdown


def tools_html(page: Page) -> str:
    """The button under the title, and the note on pasting."""
    path = notebook_path(page)
    href = "../" * page.url.count("/") + path
    name = posixpath.basename(path)
    return (f'<div class="page-tools"><a class="md-button page-tools__notebook" href="{href}" '
            f'download="{name}" type="application/x-ipynb+json" title="This page as a Jupyter '
            f'notebook: its prose, and its examples as code cells with their outputs">{ICON} '
            f"Download notebook</a>"
            f'<details class="page-tools__paste"><summary>Pasting into Python</summary>'
            f"<p>{PASTE_NOTE}</p></details></div>")


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if notebook_path(page) not in _notebooks:
        return html
    end = html.find("</h1>")
    at = end + len("</h1>") if end != -1 else 0
    return html[:at] + tools_html(page) + html[at:]


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    href = "../" * page.url.count("/") + ZIP
    link = f'<a href="{href}" download>a zip of all the notebooks</a>'
    return PLACEHOLDER.sub(link, output)


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    for path, text in _notebooks.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    wheel = site / str(config["extra"]["backprop_doc_wheel"])
    position = {NOTEBOOKS + uri.removesuffix(".md").replace("/", "-") + ".ipynb": n
                for n, uri in enumerate(_order)}
    folder = "backprop-doc-notebooks/"
    (site / ZIP).parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(site / ZIP, "w", zipfile.ZIP_DEFLATED) as archive:
        in_order = sorted(_notebooks, key=lambda p: position.get(p, len(position)))
        for number, path in enumerate(in_order, 1):
            name = f"{number:02d}-{posixpath.basename(path)}"
            archive.writestr(zipfile.ZipInfo(folder + name), _notebooks[path],
                             zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo(folder + wheel.name), wheel.read_bytes(),
                         zipfile.ZIP_DEFLATED)
