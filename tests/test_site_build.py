"""The site builds strictly, serves MathJax itself, loads nothing from other hosts, takes its
snippets from the repository, draws every glyph of every formula, and copies doctests as
paste-ready code.

The first tests read the HTML of the real build (fixture ``built_site``). The ones marked
``browser`` drive Debian's Chromium through Playwright against a small sample site built
with the same mkdocs.yml, whose two pages have formulas with disjoint glyphs.
"""

from __future__ import annotations

import filecmp
import importlib.resources
import os
import shutil
import socket
import struct
import subprocess
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
Build = Callable[[Path, Path, str], "subprocess.CompletedProcess[str]"]
Serve = Callable[[Path, str], AbstractContextManager[str]]
SITE_PREFIX = "assets/mathjax/"
COMPONENT = "tex-svg.js"


def mathjax_es5() -> Path:
    return Path(str(importlib.resources.files("mathjax"))) / "static" / "mathjax" / "es5"


# --------------------------------------------------------------------------------------------
# The HTML of the real build
# --------------------------------------------------------------------------------------------


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
    return sorted(site.rglob("*.html"))


def test_strict_build_makes_every_page_of_the_nav(built_site: Path) -> None:
    pages = [
        "index.html", "derivation/motivation/index.html", "derivation/net/index.html",
        "derivation/formulas/index.html", "derivation/output-layer/index.html",
        "derivation/hidden-layer/index.html", "derivation/generalization/index.html",
        "worked-example/index.html", "training/index.html", "performance/index.html",
        "errata/index.html", "crosswalk/index.html", "reference/index.html",
    ]
    missing = [p for p in pages if not (built_site / p).is_file()]
    assert not missing, f"pages missing from the build: {missing}"


def test_mathjax_files_come_from_the_pinned_wheel(built_site: Path) -> None:
    es5 = mathjax_es5()
    served = built_site / SITE_PREFIX / COMPONENT
    assert served.is_file(), f"{SITE_PREFIX}{COMPONENT} is not in the built site"
    assert filecmp.cmp(served, es5 / COMPONENT, shallow=False)
    assert 'VERSION="3.2.2"' in served.read_text(encoding="utf-8")
    # \boldsymbol, \cancel, ... are autoloaded from input/tex/extensions/ at run time.
    extensions = sorted(p.name for p in (es5 / "input/tex/extensions").glob("*.js"))
    served_extensions = sorted(
        p.name for p in (built_site / SITE_PREFIX / "input/tex/extensions").glob("*.js")
    )
    assert served_extensions == extensions


def test_every_page_loads_the_config_then_the_local_mathjax(
    built_site: Path, site_url: str
) -> None:
    config = urljoin(site_url, "javascripts/mathjax.js")
    mathjax = urljoin(site_url, SITE_PREFIX + COMPONENT)
    for page in html_pages(built_site):
        page_url = urljoin(site_url, page.relative_to(built_site).as_posix())
        scripts = [
            urljoin(page_url, attrs["src"])
            for tag, attrs in tags_of(page) if tag == "script" and "src" in attrs
        ]
        assert mathjax in scripts, f"{page}: no local MathJax"
        assert config in scripts, f"{page}: no MathJax configuration"
        assert scripts.index(config) < scripts.index(mathjax), f"{page}: config after MathJax"


# Attributes that make the browser fetch something as the page loads.
FETCHED = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
           "video": "src", "embed": "src", "object": "data", "link": "href"}
NOT_FETCHED_LINK_RELS = {"canonical", "alternate", "author", "license", "next", "prev"}


def external_references(page: Path) -> list[str]:
    found = []
    for tag, attrs in tags_of(page):
        attribute = FETCHED.get(tag)
        if attribute is None or attribute not in attrs:
            continue
        if tag == "link" and set(attrs.get("rel", "").split()) <= NOT_FETCHED_LINK_RELS:
            continue
        url = urlparse(attrs[attribute])
        if url.scheme or url.netloc:  # http:, https:, //host, data: is a scheme too
            if url.scheme != "data":
                found.append(f"<{tag} {attribute}={attrs[attribute]!r}>")
    return found


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    offenders = {
        str(page.relative_to(built_site)): refs
        for page in html_pages(built_site) if (refs := external_references(page))
    }
    assert not offenders, f"external scripts, styles, fonts or media: {offenders}"


def test_no_google_fonts(built_site: Path) -> None:
    hits = [
        str(path.relative_to(built_site))
        for path in built_site.rglob("*")
        if path.suffix in {".html", ".css"}
        and "fonts.g" in (text := path.read_text(encoding="utf-8", errors="replace"))
        and ("fonts.googleapis" in text or "fonts.gstatic" in text)
    ]
    assert not hits, f"Google Fonts referenced in {hits}"


def test_external_reference_finder_finds_them(tmp_path: Path) -> None:
    """The check above can fail: it flags a CDN script, stylesheet and font."""
    page = tmp_path / "page.html"
    page.write_text(
        '<link rel="canonical" href="https://example.org/">'
        '<script src="https://cdn.example.org/mathjax/tex-svg.js"></script>'
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">'
        '<link rel="preload" href="http://example.org/font.woff2" as="font">'
        '<script src="assets/mathjax/tex-svg.js"></script>',
        encoding="utf-8",
    )
    assert len(external_references(page)) == 3


# --------------------------------------------------------------------------------------------
# Snippets: paths are relative to the repository root and a missing one fails the build
# --------------------------------------------------------------------------------------------


def sample_project(tmp_path: Path, pages: dict[str, str]) -> Path:
    """A project that inherits mkdocs.yml, with its own pages; returns its config file."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for folder in ("javascripts", "stylesheets"):
        shutil.copytree(ROOT / "docs" / folder, docs / folder)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    nav = "".join(f"  - {name}\n" for name in pages)
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {docs}\n"
        f"hooks:\n  - {ROOT / 'hooks' / 'mathjax.py'}\n"
        "watch: []\n"  # mkdocs.yml's watch paths are relative to the config file
        f"nav:\n{nav}",
        encoding="utf-8",
    )
    return config


SNIPPET_PAGE = '# Snippet\n\n```python\n--8<-- "{path}"\n```\n'


def test_snippet_paths_are_relative_to_the_repository_root(
    tmp_path: Path, mkdocs_builder: Build
) -> None:
    config = sample_project(tmp_path, {"index.md": SNIPPET_PAGE.format(path="hooks/mathjax.py")})
    result = mkdocs_builder(config, tmp_path / "site", "http://127.0.0.1:8000/")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "mathjax_es5_dir" in html, "the snippet's text is not on the page"


def test_a_missing_snippet_fails_the_build(tmp_path: Path, mkdocs_builder: Build) -> None:
    missing = "src/backprop_doc/no_such_module.py"
    config = sample_project(tmp_path, {"index.md": SNIPPET_PAGE.format(path=missing)})
    result = mkdocs_builder(config, tmp_path / "site", "http://127.0.0.1:8000/")
    assert result.returncode != 0, "a page including a missing file built without error"
    output = result.stdout + result.stderr
    assert "SnippetMissingError" in output and "no_such_module.py" in output, output


# --------------------------------------------------------------------------------------------
# In the browser: glyph ink, instant navigation, dark palette, copy buttons
# --------------------------------------------------------------------------------------------

PAGE_ONE = r"""# One

The hidden layer:

$$
a^{(1)} = x w + b^{(1)} \tag{2.1}
$$

and inline $h = \sigma(a^{(1)})$ and \(y = \sigma(a^{(2)})\).

```pycon
>>> import numpy as np
>>> def f(x):
...     return x + 1
...
>>> print(f(1))
2
>>> np.arange(3)  # doctest: +ELLIPSIS
array([0, 1, 2])
>>> print("a\n...b")
a
...b
```

```python
total = 1 + 1  # $x$ and \(y\) in code are not math
```
"""

# Every glyph here but the brackets is new to page two: partial, delta, nabla, top, odot,
# sum, eta, arrow, double-struck R, bold delta (an autoloaded extension).
PAGE_TWO = r"""# Two

$$
\frac{\partial L}{\partial u_{ij}} = \delta_j h_i,
\qquad \delta_j = (y_j - t_j)\, y_j (1 - y_j) \tag{4.6}
$$

$$
\nabla_w L = x^\top \delta^{(1)}, \quad
\delta^{(1)} = \bigl(\delta^{(2)} u^\top\bigr) \odot h \odot (1 - h),
\quad \sum_{k} \eta \leftarrow \mathbb{R}
$$

Inline: $\eta \in (0, 1]$ and $\boldsymbol{\delta}$.
"""

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(path).is_file():
        message = f"no Chromium at {path} (apt-get install chromium, or set CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def sample_site(
    tmp_path_factory: pytest.TempPathFactory, mkdocs_builder: Build, site_server: Serve
) -> Iterator[str]:
    """The two sample pages, built with mkdocs.yml for, and served at, a local address."""
    tmp = tmp_path_factory.mktemp("sample")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    config = sample_project(tmp, {"one.md": PAGE_ONE, "two.md": PAGE_TWO})
    result = mkdocs_builder(config, tmp / "site", url)
    assert result.returncode == 0, result.stdout + result.stderr
    with site_server(tmp / "site", url):
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB(A) rows of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + size]
        pos += 12 + size
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and color in (2, 6)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw, stride = zlib.decompress(idat), width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        method, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if method == 1:
                line[x] = (line[x] + a) & 255
            elif method == 2:
                line[x] = (line[x] + b) & 255
            elif method == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif method == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, [row if channels == 3 else _rgb(row) for row in rows]


def _rgb(row: bytes) -> bytes:
    return b"".join(row[i:i + 3] for i in range(0, len(row), 4))


def ink(rows: list[bytes], box: tuple[int, int, int, int], threshold: int = 60) -> int:
    """Pixels in box (x0, y0, x1, y1) that differ from the top-left (background) pixel."""
    background = rows[0][:3]
    x0, y0, x1, y1 = box
    count = 0
    for row in rows[max(0, y0):max(0, y1)]:
        for x in range(max(0, x0), min(len(row) // 3, x1)):
            pixel = row[3 * x:3 * x + 3]
            if sum(abs(pixel[k] - background[k]) for k in range(3)) > threshold:
                count += 1
    return count


# Glyph elements of either output: CHTML's <mjx-c>, SVG's <use>/<path data-c>.
GLYPHS_JS = r"""container => {
  const base = container.getBoundingClientRect();
  return [...container.querySelectorAll("mjx-c, use[data-c], path[data-c]")].map(g => {
    const r = g.getBoundingClientRect();
    const m = /mjx-c([0-9A-F]+)/.exec(g.getAttribute("class") || "");
    return {code: g.getAttribute("data-c") || (m ? m[1] : "?"),
            x: r.left - base.left, y: r.top - base.top, w: r.width, h: r.height};
  });
}"""
INVISIBLE = {"20", "A0", "2061", "2062", "2063", "2064", "200B"}
ALL_TYPESET_JS = """() => {
  const math = document.querySelectorAll("article .arithmatex");
  return math.length > 0 && [...math].every(e => e.querySelector("mjx-container"));
}"""


def wait_for_title(page: Any, title: str) -> None:
    """Wait until the article's heading (followed by its permalink) is ``title``."""
    page.wait_for_function(
        "t => (document.querySelector('article h1') || {}).firstChild?.textContent === t",
        arg=title,
    )


def blank_glyphs(page: Any, shots: Path, name: str) -> tuple[int, list[str]]:
    """Typeset formulas on the page and the glyphs without ink, as 'formula:codepoint'."""
    try:
        page.wait_for_function(ALL_TYPESET_JS, timeout=20_000)
    except Exception:  # playwright's TimeoutError
        pytest.fail(f"{name}: not every formula was typeset within 20 s")
    page.evaluate("() => MathJax.startup.promise.then(() => document.fonts.ready).then(() => 0)")
    containers = page.query_selector_all("article mjx-container")
    blank = []
    for k, container in enumerate(containers):
        size = container.bounding_box()
        if size is None or size["width"] < 1 or size["height"] < 1:
            blank.append(f"{k}:(the whole formula has no size)")
            continue
        png = container.screenshot(timeout=10_000)
        (shots / f"{name}-{k}.png").write_bytes(png)
        _, _, rows = decode_png(png)
        for g in page.evaluate(GLYPHS_JS, container):
            if g["code"] in INVISIBLE:
                continue
            box = (int(g["x"]) - 1, int(g["y"]) - 1, int(g["x"] + g["w"]) + 2,
                   int(g["y"] + g["h"]) + 2)
            if g["w"] <= 0 or g["h"] <= 0 or ink(rows, box) == 0:
                blank.append(f"{k}:{g['code']}")
        assert ink(rows, (0, 0, 10**6, 10**6)) > 0, f"{name}: formula {k} is blank"
    return len(containers), blank


@pytest.mark.browser
def test_ink_counter_sees_blank_and_ink(browser: Any) -> None:
    """The glyph check can fail: a blank box has no ink, a drawn one has."""
    page = browser.new_page()
    page.set_content('<div id="blank" style="width:40px;height:20px;background:#fff"></div>'
                     '<div id="ink" style="width:40px;height:20px;background:#fff;color:#000">'
                     'x</div>')
    _, _, blank = decode_png(page.query_selector("#blank").screenshot())
    _, _, drawn = decode_png(page.query_selector("#ink").screenshot())
    page.close()
    assert ink(blank, (0, 0, 40, 20)) == 0
    assert ink(drawn, (0, 0, 40, 20)) > 0


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_glyph_is_drawn_on_load_and_after_instant_navigation(
    browser: Any, sample_site: str, scheme: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900},
                                  device_scale_factor=1, color_scheme=scheme)
    hosts: set[str] = set()
    failed: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    context.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
               else None)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(sample_site + "one/")
        expected_scheme = "slate" if scheme == "dark" else "default"
        assert page.evaluate("() => document.body.dataset.mdColorScheme") == expected_scheme

        count, blank = blank_glyphs(page, tmp_path, "direct")
        assert count == 3 and not blank, f"direct load: blank glyphs {blank}"

        page.evaluate("() => { window.__same_document = true }")
        page.click("nav.md-nav--primary a[href$='/two/']")
        wait_for_title(page, "Two")
        assert page.evaluate("() => window.__same_document === true"), "not instant navigation"
        count, blank = blank_glyphs(page, tmp_path, "navigated")
        assert count == 4 and not blank, f"after instant navigation: blank glyphs {blank}"

        page.go_back()
        wait_for_title(page, "One")
        count, blank = blank_glyphs(page, tmp_path, "back")
        assert count == 3 and not blank, f"after going back: blank glyphs {blank}"
    finally:
        context.close()
    assert hosts == {urlparse(sample_site).netloc}, f"requests left the site: {hosts}"
    assert not failed, f"failed requests: {failed}"
    assert not errors, f"console errors: {errors}"


@pytest.mark.browser
def test_doctest_copy_button_copies_paste_ready_code(browser: Any, sample_site: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"],
                              origin=sample_site.rstrip("/"))
    page = context.new_page()

    def copy(block: str) -> str:
        page.hover(block)
        page.click(f"{block} button.md-code__button[data-md-type=copy]")
        page.wait_for_function("() => document.querySelector('.md-dialog--active')")
        text: str = page.evaluate("() => navigator.clipboard.readText()")
        return text

    try:
        page.goto(sample_site + "one/")
        expected = ('import numpy as np\ndef f(x):\n    return x + 1\n\nprint(f(1))\n'
                    'np.arange(3)\nprint("a\\n...b")')
        copied = copy("div.language-pycon")
        assert copied == expected
        assert ">>>" not in copied and "array(" not in copied
        exec(compile(copied, "<clipboard>", "exec"), {})  # it runs as pasted

        # Other code blocks copy as they are.
        assert copy("div.language-python") == (
            "total = 1 + 1  # $x$ and \\(y\\) in code are not math")

        # The same after an instant navigation away and back.
        page.click("nav.md-nav--primary a[href$='/two/']")
        wait_for_title(page, "Two")
        page.click("nav.md-nav--primary a[href$='/one/']")
        wait_for_title(page, "One")
        page.wait_for_function("() => !document.querySelector('.md-dialog--active')")
        assert copy("div.language-pycon") == expected
    finally:
        context.close()



UNTYPESET_JS = """() => [...document.querySelectorAll("article .arithmatex")]
  .filter(e => !e.querySelector("mjx-container")).map(e => e.textContent.slice(0, 80))"""
TEX_ERRORS_JS = """() => [...document.querySelectorAll("article [data-mml-node=merror]")]
  .map(e => e.closest(".arithmatex").querySelector("mjx-assistive-mml, math")?.textContent
             || e.textContent)"""


def site_pages(built_site: Path) -> list[str]:
    """The pages' paths below the site's root, from sitemap.xml."""
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    return [urlparse(loc).path.lstrip("/") for loc in
            (part.split("</loc>")[0] for part in sitemap.split("<loc>")[1:])]


def typeset_problems(page: Any) -> list[str]:
    """Formulas of the page that MathJax did not typeset, or typeset as a TeX error."""
    try:
        page.wait_for_function("() => window.MathJax?.startup?.promise", timeout=10_000)
        page.evaluate("() => MathJax.startup.promise.then(() => 0)")
        page.wait_for_function(f"() => ({UNTYPESET_JS})().length === 0", timeout=10_000)
    except Exception:  # playwright's TimeoutError: report what is left
        pass
    problems: list[str] = [f"not typeset: {t}" for t in page.evaluate(UNTYPESET_JS)]
    return problems + [f"TeX error: {t}" for t in page.evaluate(TEX_ERRORS_JS)]


@pytest.mark.browser
def test_every_formula_of_the_site_typesets(
    browser: Any, built_site: Path, served_site: str
) -> None:
    """Every page of the real site, loaded directly and reached by instant navigation."""
    paths = site_pages(built_site)
    assert len(paths) >= 13, paths
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    hosts: set[str] = set()
    errors: list[str] = []
    context.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page = context.new_page()
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    problems: dict[str, list[str]] = {}
    try:
        for path in paths:
            page.goto(served_site + path)
            if found := typeset_problems(page):
                problems[f"direct /{path}"] = found
        page.goto(served_site)
        page.evaluate("() => { window.__same_document = true }")
        for path in paths[1:]:
            page.click(f"nav.md-nav--primary a[href='{served_site}{path}']")
            page.wait_for_function("url => location.href === url", arg=served_site + path)
            if found := typeset_problems(page):
                problems[f"navigated /{path}"] = found
        assert page.evaluate("() => window.__same_document === true"), "not instant navigation"
    finally:
        context.close()
    assert not problems, f"formulas not rendered: {problems}"
    assert not errors, f"console errors: {errors}"
    assert hosts == {urlparse(served_site).netloc}, f"requests left the site: {hosts}"
