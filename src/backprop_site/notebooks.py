r"""Every page with examples as a Jupyter notebook (``nbformat``), and their zip.

[`notebook`][] makes one from the page's Markdown, its shortcodes filled: a set-up cell
that installs ``backprop_doc`` from the site's wheel when it is missing (and makes the kernel
show every expression's value, as a doctest does); the prose as Markdown cells (TeX kept;
tabs and admonitions a bold title over their content, folded ones folded; snippets put in;
figures as attachments; links to the site); each ``pycon`` block as code cells
(`backprop_site.paste`) with the page's outputs, a new cell after an example that raises.
Every example's cell is tagged ``raises-exception``, so "Run all" goes on after an error.
"""

from __future__ import annotations

import ast
import base64
import doctest
import posixpath
import re
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from backprop_site.paste import examples, statement
from backprop_site.pycon_fences import blocks
from backprop_site.shortcodes import Context, Shortcode, kind

__all__ = ["SETUP_MARK", "Links", "notebook", "setup_code"]

#: The first line of the set-up cell (the tests find the cell by it).
SETUP_MARK = "# Set-up: the package backprop_doc, installed from the site if it is missing."
_HEADER = re.compile(r'^(?P<kind>!!!|\?\?\?\+?|===\+?)[ \t]+(?P<rest>.*?)[ \t]*$')
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
_SNIPPET = re.compile(r'^(?P<indent>[ \t]*)--8<--[ \t]+"(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"'
                      r"[ \t]*$")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)(?:\{[^}]*\})?")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)")
_COMMENT = re.compile(r"<!--\s*md:(?P<name>[^>]*?)\s*-->")
_AUTOREF = re.compile(r"\[(?P<text>[^\]]+)\]\[(?P<identifier>[\w.]+)\]")
_ATTRS = re.compile(r"[ \t]*\{[^{}]*[#.][^{}]*\}[ \t]*$")


@dataclass
class Links:
    """How the notebook of one page reaches the site.

    ``page_url`` and ``link`` give addresses (absolute, since a notebook is read anywhere);
    ``image`` gives a figure's SVG text, or None to link it instead."""

    site_url: str
    page_url: str
    link: Callable[[str], str | None]
    """A page's link target (``formulas.md#x``; ``/reference.md`` from docs/) -> its
    address on the site, or None."""
    image: Callable[[str], tuple[str, str] | None] = field(default=lambda src: None)
    """An image's ``src`` -> (file name, SVG text) to attach, or None."""
    placeholders: dict[str, str] = field(default_factory=dict)
    """A shortcode's kind and arguments (``stepper full`` for ``<!-- md:stepper full -->``)
    -> the Markdown that stands for it in a notebook."""


def setup_code(wheel: str, site_url: str) -> str:
    """The first cell: install the site's wheel if ``backprop_doc`` is missing."""
    return f'''{SETUP_MARK}
# This notebook is a page of backprop-doc ({site_url}). If the package is missing, this
# cell installs its wheel: the file beside this notebook, else the site's downloads/.
import importlib.util
import pathlib
import subprocess
import sys

WHEEL = "{wheel}"
SITE = "{site_url}"
if importlib.util.find_spec("backprop_doc") is None:
    local = [p for p in (pathlib.Path(WHEEL), pathlib.Path("..", "downloads", WHEEL))
             if p.is_file()]
    source = str(local[0]) if local else SITE + "downloads/" + WHEEL
    print("backprop_doc is not installed: pip install", source)
    pip = subprocess.run([sys.executable, "-m", "pip", "install", source],
                         capture_output=True, text=True)
    print(pip.stdout[-2000:], pip.stderr[-2000:], sep="")
    importlib.invalidate_caches()
    if pip.returncode != 0 or importlib.util.find_spec("backprop_doc") is None:
        raise ModuleNotFoundError(
            f"backprop_doc is not installed, and pip could not install {{source}}. Download "
            f"{{WHEEL}} from {{SITE}}downloads/ (or take it from the zip of all notebooks), "
            f"put it beside this notebook and run this cell again; or, in a terminal, in "
            f"this kernel's environment: python -m pip install {{WHEEL}}")
get_ipython().ast_node_interactivity = "all"  # show every value, as the page does
'''


# ---------------------------------------------------------------- Markdown, flattened


def _fence_end(lines: list[str], i: int, fence: str) -> int:
    """The line of the fence that closes the one opened at line ``i``."""
    end = i + 1
    while end < len(lines) and not lines[end].startswith(fence):
        end += 1
    return end


def _flatten(lines: list[str], hidden: bool) -> list[tuple[str, bool]]:
    """Admonitions and tabs as a bold title over their de-indented content; each line with
    whether it is inside a folded block (``???``)."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:  # a code block at this level: copied as it is
            end = _fence_end(lines, i, fence["fence"])
            out += [(text, hidden) for text in lines[i:end + 1]]
            i = end + 1
            continue
        header = _HEADER.match(line)
        if not header:
            out.append((line, hidden))
            i += 1
            continue
        kind, rest = header["kind"], header["rest"]
        quoted = re.search(r'"([^"]*)"', rest)
        title = quoted.group(1) if quoted else (rest.split()[0].capitalize() if rest else "")
        body_end = i + 1
        while body_end < len(lines) and (not lines[body_end].strip()
                                         or lines[body_end].startswith(("    ", "\t"))):
            body_end += 1
        while body_end > i + 1 and not lines[body_end - 1].strip():
            body_end -= 1
        body = textwrap.dedent("\n".join(lines[i + 1:body_end])).split("\n")
        folded = hidden or kind == "???"
        if title:
            out += [(f"**{title}**", folded), ("", folded)]
        out += [*_flatten(body, folded), ("", folded)]
        i = body_end
    return out


def _snippet(path: str, section: str | None, root: Path) -> list[str]:
    """The lines that ``--8<-- "path:section"`` includes (pymdownx.snippets' sections)."""
    text = (root / path).read_text(encoding="utf-8")
    if section is None:
        return text.rstrip("\n").split("\n")
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines) if f"--8<-- [start:{section}]" in line)
    end = next(n for n, line in enumerate(lines) if f"--8<-- [end:{section}]" in line)
    return textwrap.dedent("\n".join(lines[start + 1:end])).split("\n")


def _code_block(lines: list[str], root: Path) -> list[str]:
    """A fenced block that is not a doctest: its snippets put in, its title as a caption."""
    opening = _FENCE.match(lines[0])
    assert opening is not None
    info = opening["info"]
    title = re.search(r'title="([^"]*)"', info)
    language = info.split()[0] if info.split() and not info.startswith("{") else ""
    body: list[str] = []
    for line in lines[1:-1]:
        snippet = _SNIPPET.match(line)
        body += _snippet(snippet["path"], snippet["section"], root) if snippet else [line]
    caption = [f"`{title.group(1)}`:", ""] if title else []
    return [*caption, opening["fence"] + language, *body, lines[-1]]


def _prose(line: str, links: Links, attachments: dict[str, dict[str, str]]) -> str | None:
    """One line of prose for a notebook; None drops it."""
    stripped = line.strip()
    if re.fullmatch(r"</?figure[^>]*>", stripped):
        return None
    line = re.sub(r"<figcaption[^>]*>", "\n", line).replace("</figcaption>", "")
    if line.lstrip().startswith("#"):
        line = _ATTRS.sub("", line)

    def image(match: re.Match[str]) -> str:
        found = links.image(match["src"])
        if found is None:
            return f"![{match['alt']}]({links.link(match['src']) or match['src']})"
        name, svg = found
        attachments[name] = {"image/svg+xml": base64.b64encode(svg.encode()).decode()}
        return f"![{match['alt']}](attachment:{name})"

    def link(match: re.Match[str]) -> str:
        target = match["target"]
        if re.match(r"^[a-z]+:", target):
            return match[0]
        url = links.page_url + target if target.startswith("#") else links.link(target)
        return f"[{match['text']}]({url or target})"

    def comment(match: re.Match[str]) -> str:
        return links.placeholders.get(match["name"], "")

    def autoref(match: re.Match[str]) -> str:  # mkdocstrings: the API reference's anchor
        reference = links.link("/reference.md#" + match["identifier"])
        return f"[{match['text']}]({reference})" if reference else match["text"]

    line = _AUTOREF.sub(autoref, line)
    return _COMMENT.sub(comment, _LINK.sub(link, _IMAGE.sub(image, line)))


# ---------------------------------------------------------------- doctest blocks as cells


def _outputs(example: doctest.Example, count: int) -> list[NotebookNode]:
    """The page's output of one example, as the cell outputs Jupyter would show."""
    if example.exc_msg is not None:
        name, _, value = example.exc_msg.strip().partition(":")
        return [new_output("error", ename=name.strip(), evalue=value.strip(),
                           traceback=example.want.rstrip("\n").split("\n"))]
    if not example.want:
        return []
    try:
        last = ast.parse(example.source).body[-1]
    except SyntaxError:
        last = None
    printed = not isinstance(last, ast.Expr) or (
        isinstance(last.value, ast.Call) and isinstance(last.value.func, ast.Name)
        and last.value.func.id == "print")
    if printed:
        return [new_output("stream", name="stdout", text=example.want)]
    return [new_output("execute_result", execution_count=count,
                       data={"text/plain": example.want.rstrip("\n")})]


def _cells_of_block(block: str, hidden: bool, count: int) -> list[NotebookNode]:
    """The code cells of one doctest block: its examples, a new cell after one that raises."""
    groups: list[list[doctest.Example]] = [[]]
    for example in examples(block):
        groups[-1].append(example)
        if example.exc_msg is not None:
            groups.append([])
    cells = []
    for group in filter(None, groups):
        count += 1
        code = "".join(statement(example.source) for example in group).rstrip("\n")
        cell = new_code_cell(code, execution_count=count)
        outputs: list[NotebookNode] = []
        for example in group:
            for output in _outputs(example, count):
                if (output.output_type == "stream" and outputs
                        and outputs[-1].output_type == "stream"):
                    outputs[-1].text += output.text
                else:
                    outputs.append(output)
        cell.outputs = outputs
        cell.metadata["tags"] = ["raises-exception"]
        if hidden:
            cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
        cells.append(cell)
    return cells


def notebook(markdown: str, links: Links, wheel: str, root: Path) -> NotebookNode:
    """The notebook of a page: ``markdown`` as MkDocs reads it, ``wheel`` the file name of
    the site's wheel, ``root`` the repository (for the code that snippets include)."""
    flat = _flatten(markdown.split("\n"), hidden=False)
    text = "\n".join(line for line, _ in flat)
    hidden_lines = [folded for _, folded in flat]
    doctests = {b.start: b for b in blocks(text) if not b.indent}
    cells: list[NotebookNode] = [new_code_cell(setup_code(wheel, links.site_url).rstrip("\n"))]
    prose: list[str] = []
    attachments: dict[str, dict[str, str]] = {}
    prose_hidden = False
    count = 0

    def flush() -> None:
        nonlocal attachments
        source = re.sub(r"\n{3,}", "\n\n", "\n".join(prose)).strip("\n")
        if source:
            cell = new_markdown_cell(source)
            if attachments:
                cell.attachments = attachments
            if prose_hidden:
                cell.metadata["jupyter"] = {"source_hidden": True}
            cells.append(cell)
        prose.clear()
        attachments = {}

    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line, hidden = lines[i], hidden_lines[i]
        if hidden != prose_hidden or (line.startswith("#") and prose):
            flush()
            prose_hidden = hidden
        if i in doctests:
            flush()
            block = doctests[i]
            new = _cells_of_block(block.body, hidden, count)
            count += len(new)
            cells += new
            i = block.end + 1
            continue
        fence = _FENCE.match(line)
        if fence:
            end = _fence_end(lines, i, fence["fence"])
            prose += _code_block(lines[i:end + 1], root)
            i = end + 1
            continue
        converted = _prose(line, links, attachments)
        if converted is not None:
            prose.append(converted)
        i += 1
    flush()
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # the same page gives the same file
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(nb)
    return nb


# ---------------------------------------------------------------- the notebooks of the site
# notebooks/<page>.ipynb; a "Download notebook" button under the page's title, with a note
# on pasting into Python's prompt; downloads/backprop-doc-notebooks.zip: every notebook,
# numbered in nav order, with the package's wheel beside them.

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = "notebooks/"
ZIP = "downloads/backprop-doc-notebooks.zip"
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

def notebook_path(page: Page) -> str:
    """``derivation/net.md`` -> ``notebooks/derivation-net.ipynb``."""
    return NOTEBOOKS + page.file.src_uri.removesuffix(".md").replace("/", "-") + ".ipynb"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _notebooks.clear()
    return config


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _order[:] = [notebook_path(page) for page in nav.pages]
    return nav


def links_of(page: Page, config: MkDocsConfig, files: Files) -> Links:
    site = config.site_url or ""
    here = posixpath.dirname(page.file.src_uri)

    def link(path: str) -> str | None:
        path, _, fragment = path.partition("#")
        # relative to the page, or to docs/ when it starts with "/"
        file = files.get_file_from_path(posixpath.normpath(posixpath.join(here, path))
                                        .lstrip("/"))
        return None if file is None else site + file.url + (f"#{fragment}" if fragment else "")

    def image(src: str) -> tuple[str, str] | None:
        file = files.get_file_from_path(posixpath.normpath(posixpath.join(here, src)))
        if file is None or not src.endswith(".svg"):
            return None
        return posixpath.basename(src), file.content_string

    page_url = site + page.url
    figure = f"*The step-through figure is on the site's page: [{page.title}]({page_url}).*"
    return Links(site, page_url, link, image, placeholders={
        "stepper full": figure, "stepper compact": figure,
        "notebooks zip": f"[a zip of all the notebooks]({site}{ZIP})",
        "print link": f"[the print edition (PDF)]({site}print/backprop-doc.pdf)",
    })


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not blocks(markdown):
        return markdown
    wheel = str(config["extra"]["backprop_doc_wheel"]).rsplit("/", 1)[-1]
    nb = notebook(markdown, links_of(page, config, files), wheel, ROOT)
    _notebooks[notebook_path(page)] = nbformat.writes(nb) + "\n"
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


@kind("notebooks", "html")
def notebooks_shortcode(code: Shortcode, context: Context) -> str:
    """``<!-- md:notebooks zip -->``: a link to the zip of all the notebooks."""
    if code.args != ("zip",):
        raise PluginError(f"{code.where}: expected the argument zip")
    href = "../" * context.page.url.count("/") + ZIP
    return f'<a href="{href}" download>a zip of all the notebooks</a>'


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    for path, text in _notebooks.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    wheel = site / str(config["extra"]["backprop_doc_wheel"])
    position = {path: n for n, path in enumerate(_order)}
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
