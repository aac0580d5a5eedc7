"""The site builds strictly, with every formula drawn at build time, loads nothing from other
hosts, takes its snippets from the repository, and copies doctests as paste-ready code.

The first tests read the HTML of the real build (fixture ``built_site``). The one marked
``browser`` drives Debian's Chromium through Playwright against a small sample site built
with the same mkdocs.yml, whose doctest block has the cases a copy button must get right
(continuation lines, a blank continuation, output, a doctest directive, output that starts
with "..."). tests/test_browser.py checks every page of the real site in the browser.
"""

from __future__ import annotations

import html
import re
import socket
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from helpers import html_pages, sample_project, tags_of

ROOT = Path(__file__).resolve().parents[1]
Build = Callable[[Path, Path, str], "subprocess.CompletedProcess[str]"]
Serve = Callable[[Path, str], AbstractContextManager[str]]


# --------------------------------------------------------------------------------------------
# The HTML of the real build
# --------------------------------------------------------------------------------------------


def test_strict_build_makes_every_page_of_the_nav(built_site: Path) -> None:
    pages = [
        "index.html", "derivation/motivation/index.html", "derivation/net/index.html",
        "derivation/formulas/index.html", "derivation/output-layer/index.html",
        "derivation/hidden-layer/index.html", "derivation/generalization/index.html",
        "worked-example/index.html", "training/index.html", "performance/index.html",
        "errata/index.html", "crosswalk/index.html", "about/index.html",
        "reference/index.html",
    ]
    missing = [p for p in pages if not (built_site / p).is_file()]
    assert not missing, f"pages missing from the build: {missing}"


def broken_anchors(site: Path) -> list[str]:
    """Every link of the built pages to a #fragment of a page of the site whose target page
    has no element with that id: links written into the HTML by hooks (the step-through
    figure's) included, which MkDocs' own link validation does not see."""
    ids: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = {a["id"] for _, a in tags_of(page) if "id" in a}
        return ids[page]

    broken = []
    step_link = re.compile(r'"page": "([^"]+)\.md", "anchor": "([^"]*)"')
    for page in html_pages(site):
        # the step-through figure's steps name their page and anchor in their JSON data
        for md, fragment in step_link.findall(html.unescape(page.read_text(encoding="utf-8"))):
            target = site / md / "index.html"
            if fragment and (not target.is_file() or fragment not in ids_of(target)):
                broken.append(f"{page.relative_to(site)}: step link {md}.md#{fragment}")
        for tag, attrs in tags_of(page):
            href = attrs.get("href", "")
            if tag != "a" or "#" not in href or "://" in href or href.startswith("mailto:"):
                continue
            path, fragment = href.split("#", 1)
            if not fragment:
                continue
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file() and fragment not in ids_of(target):
                broken.append(f"{page.relative_to(site)}: {href}")
    return broken


def test_every_link_to_an_anchor_finds_it(built_site: Path) -> None:
    broken = broken_anchors(built_site)
    assert not broken, "links to anchors that are not there:\n" + "\n".join(broken)


def test_broken_anchor_finder_finds_one(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">x</h2>', encoding="utf-8")
    (tmp_path / "index.html").write_text('<a href="a/#here">ok</a> <a href="a/#gone">no</a>',
                                         encoding="utf-8")
    data = html.escape('{"page": "a.md", "anchor": "gone"}')
    (tmp_path / "b.html").write_text(f'<div data-steps="{data}">', encoding="utf-8")
    assert broken_anchors(tmp_path) == ["b.html: step link a.md#gone", "index.html: a/#gone"]


FORMULA = re.compile(r'<(span|div) class="arithmatex"( data-tex="([^"]*)")?>(.*?)</\1>', re.S)


def formulas_of(page: Path) -> list[tuple[str, str | None, str]]:
    """(span or div, its data-tex, its content) of every arithmatex element of a page."""
    return [(m.group(1), m.group(3), m.group(4))
            for m in FORMULA.finditer(page.read_text(encoding="utf-8"))]


def test_every_formula_is_drawn_when_the_site_is_built(built_site: Path) -> None:
    """In the HTML: MathJax's SVG with its assistive MathML, no TeX left to typeset."""
    total = 0
    for page in html_pages(built_site):
        text = page.read_text(encoding="utf-8")
        defined = set(re.findall(r'<path id="(MJX-[^"]+)" d="[^"]*"', text))
        for tag, tex, content in formulas_of(page):
            total += 1
            where = f"{page.relative_to(built_site)}: {tex!r}"
            assert tex, f"{where}: no data-tex"
            assert content.startswith('<mjx-container class="MathJax" jax="SVG"'), where
            used = set(re.findall(r'<use data-c="[0-9A-F]+" xlink:href="#([^"]+)"', content))
            assert "<svg" in content and used, f"{where}: no glyphs"
            assert used <= defined, f"{where}: glyphs not defined in the page: {used - defined}"
            assert "<mjx-assistive-mml" in content and "<math" in content, f"{where}: no MathML"
            assert ("display=\"true\"" in content) == (tag == "div"), where
            assert "\\(" not in content and "\\[" not in content, f"{where}: TeX left"
    assert total > 300, total


def test_glyph_ids_are_unique_within_each_page(built_site: Path) -> None:
    """Each glyph is defined once in the page (MathJax's font cache, one per page)."""
    for page in html_pages(built_site):
        ids = re.findall(r'<path id="(MJX-[^"]+)"', page.read_text(encoding="utf-8"))
        duplicates = [i for i, n in Counter(ids).items() if n > 1]
        assert not duplicates, f"{page.relative_to(built_site)}: {duplicates[:5]}"


def test_formulas_take_the_text_colour_and_tags_sit_at_the_right(built_site: Path) -> None:
    """Ink is currentColor (so the palette applies); a tagged formula spans the line, its
    tag at the right margin, as MathJax lays it out in the browser."""
    page = built_site / "derivation" / "output-layer" / "index.html"
    formulas = formulas_of(page)
    for _, tex, content in formulas:
        assert 'stroke="currentColor" fill="currentColor"' in content, tex
        assert not re.search(r'fill="(#000|black|rgb)', content), tex
    tagged = [c for _, tex, c in formulas if tex and "\\tag{4.1}" in tex]
    assert len(tagged) == 1
    assert 'width="full"' in tagged[0] and 'data-mml-node="mlabeledtr"' in tagged[0]
    # The label in an <svg> of its own, aligned to the right end (xMax) of the line.
    assert re.search(r'<svg data-labels="true" preserveAspectRatio="xMax[^"]*"[^>]*>'
                     r'<g data-labels="true"[^>]*><g data-mml-node="mtd" id="mjx-eqn:4\.1"',
                     tagged[0]), "no right-aligned label (4.1)"


def test_mathjax_runs_at_build_time_only(built_site: Path) -> None:
    """MathJax's stylesheet for SVG is in the site and inlined into every page (by
    hooks/inline_css.py); no MathJax script is (tests/test_browser.py checks what the
    browser loads)."""
    css = (built_site / "assets" / "mathjax" / "svg.css").read_text(encoding="utf-8")
    assert 'mjx-container[jax="SVG"]' in css
    assert not list(built_site.rglob("tex-*svg*.js")) and not (built_site / "javascripts" /
                                                             "mathjax.js").exists()
    for page in html_pages(built_site):
        if page.name == "404.html" or "/assets/" in page.as_posix():
            continue
        text = page.read_text(encoding="utf-8")
        assert f'<style data-inlined="assets/mathjax/svg.css">{css}</style>' in text, page
        scripts = [attrs["src"] for tag, attrs in tags_of(page)
                   if tag == "script" and "src" in attrs]
        assert not [s for s in scripts if "mathjax" in s.lower()], (page, scripts)


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


class NavLinks(HTMLParser):
    """The text of every navigation and table-of-contents link (``a.md-nav__link``)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._depth = 0  # open <a> elements inside a nav link

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            classes = (dict(attrs).get("class") or "").split()
            if self._depth or "md-nav__link" in classes:
                if not self._depth:
                    self.texts.append("")
                self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.texts[-1] += data


def test_no_nav_or_toc_entry_shows_raw_tex(built_site: Path) -> None:
    """MathJax typesets only the content: a heading with math needs a plain data-toc-label."""
    raw = {}
    for page in html_pages(built_site):
        parser = NavLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.texts, page
        found = [" ".join(t.split()) for t in parser.texts
                 if any(mark in t for mark in ("\\(", "\\[", "$"))]
        if found:
            raw[str(page.relative_to(built_site))] = found
    assert not raw, f"navigation or table of contents shows TeX: {raw}"


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


SNIPPET_PAGE = '# Snippet\n\n```python\n--8<-- "{path}"\n```\n'


def test_snippet_paths_are_relative_to_the_repository_root(
    tmp_path: Path, mkdocs_builder: Build
) -> None:
    page = SNIPPET_PAGE.format(path="src/backprop_site/typeset.py")
    config = sample_project(tmp_path, {"index.md": page})
    result = mkdocs_builder(config, tmp_path / "site", "http://127.0.0.1:8000/")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "mathjax_es5_dir" in html, "the snippet's text is not on the page"


def test_a_tex_error_fails_the_build_naming_the_page_and_the_formula(
    tmp_path: Path, mkdocs_builder: Build
) -> None:
    page = "# Bad TeX\n\nFine: $x w + b$. Not: $\\frac{1}{\\sigmaa(a)}$.\n"
    config = sample_project(tmp_path, {"index.md": page})
    result = mkdocs_builder(config, tmp_path / "site", "http://127.0.0.1:8000/")
    assert result.returncode != 0, "a page with an undefined TeX macro built without error"
    output = result.stdout + result.stderr
    assert "index.md: TeX error in '\\\\frac{1}{\\\\sigmaa(a)}'" in output, output
    assert "sigmaa" in output and "Undefined control sequence" in output, output


def test_a_missing_snippet_fails_the_build(tmp_path: Path, mkdocs_builder: Build) -> None:
    missing = "src/backprop_doc/no_such_module.py"
    config = sample_project(tmp_path, {"index.md": SNIPPET_PAGE.format(path=missing)})
    result = mkdocs_builder(config, tmp_path / "site", "http://127.0.0.1:8000/")
    assert result.returncode != 0, "a page including a missing file built without error"
    output = result.stdout + result.stderr
    assert "SnippetMissingError" in output and "no_such_module.py" in output, output


# --------------------------------------------------------------------------------------------
# In the browser: copy buttons, before and after instant navigation
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

PAGE_TWO = "# Two\n\nA page to go to and come back from.\n"


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


def wait_for_title(page: Any, title: str) -> None:
    """Wait until the article's heading (followed by its permalink) is ``title``."""
    page.wait_for_function(
        "t => (document.querySelector('article h1') || {}).firstChild?.textContent === t",
        arg=title,
    )


@pytest.mark.browser
def test_doctest_copy_button_copies_paste_ready_code(
    session_browser: Any, sample_site: str
) -> None:
    context = session_browser.new_context(viewport={"width": 1400, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"],
                              origin=sample_site.rstrip("/"))
    page = context.new_page()

    def copy(block: str) -> str:
        page.evaluate("() => navigator.clipboard.writeText('')")
        page.hover(block)
        page.click(f"{block} button.md-code__button[data-md-type=copy]")
        page.wait_for_function("() => navigator.clipboard.readText().then(t => t !== '')")
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
        assert copy("div.language-pycon") == expected
    finally:
        context.close()


