"""What the tests share: reading the built site, driving its pages, reading screenshots; the
pages' exercises, parsed; the slips a mutant makes."""

from __future__ import annotations

import ast
import copy
import io
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from PIL import Image

from backprop_site import browser

VIEWPORT = {"width": 1400, "height": 900}


@dataclass
class PageReport:
    path: str
    expected_formulas: int = 0
    typeset: int = 0
    tex_errors: list[str] = field(default_factory=list)
    inkless_svgs: list[int] = field(default_factory=list)
    unsized: list[int] = field(default_factory=list)  # SVGs of no width or height
    pixel_checked: int = 0
    blank_pixels: list[str] = field(default_factory=list)
    scheme: str = ""
    copy_blocks: list[str | None] = field(default_factory=list)  # their data-copy
    clipboard: str | None = None
    clipboard_source: str | None = None
    serious_violations: list[str] = field(default_factory=list)
    screenshot: Path | None = None
    page_height: int = 0


@dataclass
class Crawl:
    pages: dict[str, PageReport] = field(default_factory=dict)
    left_site: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    same_document: bool | None = None
    went_back: PageReport | None = None  # the navigated crawl's history.back()
    searches: dict[str, list[str]] = field(default_factory=dict)  # query: result links
    code_runs: dict[str, str] = field(default_factory=dict)  # page: stderr if it failed, or ""
    requests: list[str] = field(default_factory=list)  # every URL the pages asked for
    scripts: dict[str, list[str]] = field(default_factory=dict)  # page: its <script src>s
    run_controls: dict[str, int] = field(default_factory=dict)  # page: Run buttons run.js made

    def formula_reports(self) -> dict[str, PageReport]:
        """The reports whose formulas were checked, by page (and going back)."""
        back = {f"back to {self.went_back.path}": self.went_back} if self.went_back else {}
        return self.pages | back


@dataclass
class SitePage:
    """A page of the served site kept for the whole session (conftest.py's ``python_page``),
    with what it asked for and what went wrong."""

    page: Any
    requests: list[str] = field(default_factory=list)  # every URL it asked for
    left_site: list[str] = field(default_factory=list)  # requests to other hosts (aborted)
    errors: list[str] = field(default_factory=list)  # console errors and page errors


def guarded_page(chromium: Any, site: str, crawl: Crawl, scheme: str,
                 javascript: bool = True) -> tuple[Any, Any]:
    """A context whose requests to other hosts are aborted and recorded, and its page."""
    context = chromium.new_context(viewport=VIEWPORT, device_scale_factor=1,
                                  color_scheme=scheme, java_script_enabled=javascript)
    context.on("request", lambda r: crawl.requests.append(r.url))
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))

    browser.guard(context, crawl.left_site)
    context.on("response", lambda r: crawl.failed.append(f"{r.status} {r.url}")
               if r.status >= 400 else None)
    page = context.new_page()
    page.on("console", lambda m: crawl.errors.append(f"{page.url}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: crawl.errors.append(f"{page.url}: {e}"))
    return context, page


def swap_content(page: Any, action: Any, url: str) -> None:
    """``action()`` (a nav click, history.back) and wait for the new content at ``url``.

    The URL changes before the content does, so wait for a new <article> too.
    """
    page.evaluate("() => { document.querySelector('article').dataset.left = '' }")
    action()
    page.wait_for_function("url => location.href === url"
                           " && !document.querySelector('article[data-left]')", arg=url)


LAY_OUT_ALL = """on => {
  const id = "test-lay-out-all";
  document.getElementById(id)?.remove();
  if (!on) return;
  const style = document.createElement("style");
  style.id = id;
  style.textContent = "* { content-visibility: visible !important; }";
  document.head.append(style);
}"""


SCROLL_THROUGH = """async () => {
  // two frames, or 200 ms where a page in the background draws no frames
  const frame = () => new Promise(done => {
    requestAnimationFrame(() => requestAnimationFrame(done));
    setTimeout(done, 200);
  });
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
    scrollTo(0, y);
    await frame();
  }
  scrollTo(0, 0);
  await frame();
}"""


def scroll_through(page: Any) -> None:
    """Scroll the page from top to bottom a screen at a time, as a reader does: each block
    is laid out when it comes near the screen (content-visibility: auto) and what a page's
    scripts do on scrolling is done; then back to the top."""
    page.evaluate(SCROLL_THROUGH)


def regions_marked(page: Any) -> None:
    """Wait until docs/javascripts/a11y.js has given every region that scrolls sideways its
    keyboard focus (it does so in short tasks after the page shows, a resize or an opened
    <details>), as a reader who has waited a moment meets the page."""
    page.wait_for_function("() => document.documentElement.dataset.regionsMarked !== undefined",
                           timeout=30_000)


def serious_violations(page: Any, context: Any = None, options: dict[str, Any] | None = None
                       ) -> list[str]:
    """axe-core's serious and critical violations on the page, every block laid out.

    ``context`` is axe's context (the whole document if None: ``{"include": [...]}`` for a
    part), ``options`` axe's run options (its default rules if None: ``{"runOnly": [...]}``
    for some). axe-core comes from the axe-playwright-python wheel. It is injected once per
    document: after instant navigation the document, and so ``window.axe``, stays.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        import axe_playwright_python

        page.add_script_tag(path=Path(axe_playwright_python.__file__).with_name("axe.min.js"))
    regions_marked(page)
    page.evaluate(LAY_OUT_ALL, True)
    try:
        violations = page.evaluate(
            "([context, options]) => axe.run(context || document,"
            " {...options, resultTypes: ['violations']}).then(r => r.violations)",
            [context, options or {}])
    finally:
        page.evaluate(LAY_OUT_ALL, False)
    return [f"{v['id']} ({v['impact']}) {n['target']}: "
            + "; ".join(check["message"] for check in n["any"] + n["all"] + n["none"])
            for v in violations if v["impact"] in ("serious", "critical")
            for n in v["nodes"]]


class Tags(HTMLParser):
    """Collect (tag, attributes) of every start tag."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags_of(page: Path) -> list[tuple[str, dict[str, str]]]:
    parser = Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


def html_pages(site: Path) -> list[Path]:
    """The pages MkDocs wrote. Not the print edition's document (print/index.html, made of
    their articles by backprop_site/print_edition.py), which tests/test_print.py checks."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "print")


def site_pages(built_site: Path) -> list[str]:
    """The pages' paths below the site's root, from sitemap.xml."""
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    return [urlparse(loc).path.lstrip("/") for loc in
            (part.split("</loc>")[0] for part in sitemap.split("<loc>")[1:])]


BLOCK = re.compile(r'<div class="language-pycon highlight"><pre>(?:<span></span>)?<code'
                   r'(?P<attrs>[^>]*)>(?P<body>.*?)</code>', re.S)


def page_blocks(html_file: Path) -> list[tuple[str, str]]:
    """(block text as shown, its data-copy) for every doctest block of a built page."""
    found = []
    for match in BLOCK.finditer(html_file.read_text(encoding="utf-8")):
        copy = re.search(r' data-copy="([^"]*)"', match["attrs"])
        assert copy, f"{html_file}: a doctest block without data-copy"
        found.append((unescape(re.sub(r"<[^>]+>", "", match["body"])), unescape(copy[1])))
    return found


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of a PNG (what Chromium writes), read by Pillow."""
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
    width, height = rgb.size
    raw, stride = rgb.tobytes(), width * 3
    return width, height, [raw[y * stride:(y + 1) * stride] for y in range(height)]


ROOT = Path(__file__).resolve().parents[1]
#: The hooks of `sample_project`: of the site's build, what a page of text needs.
SAMPLE_HOOKS = """
import backprop_site.hooks  # every shortcode's kind
from backprop_site import paste, shortcodes, typeset

on_config, on_files = typeset.on_config, typeset.on_files
on_post_page, on_post_build = typeset.on_post_page, typeset.on_post_build
on_build_error = typeset.on_build_error


def on_page_markdown(markdown, page, config, files):
    return shortcodes.expand(markdown, "markdown", shortcodes.Context(page, config, files))


def on_page_content(html, page, config, files):
    return paste.copy_buttons(html)
"""


def sample_project(tmp_path: Path, pages: dict[str, str]) -> Path:
    """A project that inherits mkdocs.yml, with its own pages; returns its config file. Of
    the build it runs the formulas, the shortcodes and the copy buttons (`SAMPLE_HOOKS`)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for folder in ("javascripts", "stylesheets"):
        shutil.copytree(ROOT / "docs" / folder, docs / folder)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    hooks = tmp_path / "sample_hooks.py"
    hooks.write_text(SAMPLE_HOOKS, encoding="utf-8")
    nav = "".join(f"  - {name}\n" for name in pages)
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {docs}\n"
        f"hooks:\n  - {hooks}\n"
        "watch: []\n"  # mkdocs.yml's watch paths are relative to the config file
        f"nav:\n{nav}",
        encoding="utf-8",
    )
    return config




# ------------------------------------------------------------------ matplotlib's SVG, read back
SVG_NS = "{http://www.w3.org/2000/svg}"


def line_points(svg: str, gid: str) -> list[tuple[float, float]]:
    """The points of the line matplotlib drew with ``gid`` (a path of straight segments)."""
    import xml.etree.ElementTree as ET

    group = ET.fromstring(svg).find(f".//{SVG_NS}g[@id='{gid}']")
    assert group is not None, gid
    d = next(group.iter(f"{SVG_NS}path")).get("d", "")
    return [(float(x), float(y)) for x, y in re.findall(r"[ML]\s*(-?[\d.]+)\s+(-?[\d.]+)", d)]


def ticks(svg: str, axis: str) -> list[tuple[str, float]]:
    """(label, position) of each labelled tick of matplotlib's ``axis`` ("xtick", "ytick"):
    the position is the tick mark's, in the SVG's coordinates."""
    import xml.etree.ElementTree as ET

    found = []
    for group in ET.fromstring(svg).iter(f"{SVG_NS}g"):
        if not re.fullmatch(rf"{axis}_\d+", group.get("id", "")):
            continue
        texts = ["".join(t.itertext()) for t in group.iter(f"{SVG_NS}text")]
        uses = list(group.iter(f"{SVG_NS}use"))
        if texts and texts[0] and uses:
            found.append((texts[0], float(uses[0].get("y" if axis == "ytick" else "x", ""))))
    return found


# ------------------------------------------------------------- the pages' exercises, parsed here
# Independent of backprop_site/exercises.py: tests/test_exercises.py checks one against the other.
DOCS = ROOT / "docs"
PAGES = [
    "derivation/net.md", "derivation/formulas.md", "derivation/output-layer.md",
    "derivation/hidden-layer.md", "derivation/generalization.md", "worked-example.md",
    "training.md",
]
HEADING = re.compile(
    r"^### Exercise (?P<number>\S+): (?P<title>.+) \((?P<difficulty>[^)]*)\) "
    r"\{ #(?P<anchor>[\w-]+) \}$", re.M)
SOLUTION = '??? success "Solution"'


@dataclass
class Exercise:
    page: str
    number: str
    title: str
    difficulty: str
    anchor: str
    body: str  # the lines after the heading, up to the next heading of level 1 to 3
    start_line: int  # 1-based line of the heading


def exercises(page: str) -> list[Exercise]:
    text = (DOCS / page).read_text(encoding="utf-8")
    matches = list(HEADING.finditer(text))
    found = []
    for m in matches:
        rest = text[m.end():]
        nxt = re.search(r"^#{1,3} ", rest, re.M)
        body = rest[: nxt.start()] if nxt else rest
        found.append(Exercise(page, m["number"], m["title"], m["difficulty"], m["anchor"],
                              body, text.count("\n", 0, m.start()) + 1))
    return found


def all_exercises() -> list[Exercise]:
    return [e for page in PAGES for e in exercises(page)]


def solution_lines(exercise: Exercise) -> list[str]:
    """The lines of the exercise's folded solution: its summary line and its indented body."""
    lines = exercise.body.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(SOLUTION))
    inside = [lines[start]]
    for line in lines[start + 1:]:
        if line.strip() and not line.startswith("    "):
            break
        inside.append(line)
    return inside


# ------------------------------------------ the slips a mutant makes (test_mutation, test_checks)
SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.MatMult: ast.Mult, ast.Pow: ast.Mult,
}


def mutations(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """(what, the replacement node) for each slip that fits ``node``."""
    if isinstance(node, ast.BinOp) and type(node.op) in SWAPS:
        changed = copy.copy(node)
        changed.op = SWAPS[type(node.op)]()
        yield f"{type(node.op).__name__} -> {type(changed.op).__name__}", changed
        if isinstance(node.op, (ast.Sub, ast.Add, ast.Mult)):
            yield f"{type(node.op).__name__}: left operand only", node.left
            yield f"{type(node.op).__name__}: right operand only", node.right
    elif isinstance(node, ast.Attribute) and node.attr == "T":
        yield "transpose dropped", node.value
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield "sign dropped", node.operand
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        yield f"constant {node.value!r} -> {node.value + 1!r}", ast.Constant(node.value + 1)
    elif isinstance(node, ast.keyword) and node.arg == "axis":
        yield "the other axis", ast.keyword(arg="axis", value=ast.Constant(1))
