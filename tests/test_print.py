"""The print edition: one PDF of the whole site, made by ``mkdocs build`` (print_edition.py).

The session's build (``built_site``) makes it; these tests read it. Its text comes from
``pdftotext -layout`` (poppler-utils: fast, a form feed ends each page), its structure
(outline, page labels) from pypdf. Formulas are drawn as SVG, so their glyphs are no text;
each equation tag is also there as transparent text over the drawn one, so "(5.8)" can be
found in the PDF. The PDF is made with Chromium: without it the build makes none and these
tests skip, except under CI=true, where they fail (tests/browser.py).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mkdocs.utils.yaml import yaml_load

from backprop_site.browser import chromium_path
from helpers import site_pages

ROOT = Path(__file__).resolve().parents[1]
PDF = "print/backprop-doc.pdf"
DOCUMENT = "print/index.html"
#: The front matter: the title page and the contents, numbered i and ii.
FRONT = 2
#: The body's footer: the site's name, then "page / pages".
FOOTER = re.compile(r"^\s*backprop-doc\s+(\d+) / (\d+)\s*$", re.M)
#: A line of the contents: a title, then its page number at the right.
CONTENTS_LINE = re.compile(r"^\s*(\S.*?)\s{2,}(\d+)\s*$")
#: The width of the A4 page between the print margins (210 mm less 2 x 16 mm) in CSS px.
PRINT_WIDTH = round((210 - 32) / 25.4 * 96)

pytestmark = pytest.mark.browser


@dataclass
class NavPage:
    title: str  # as the nav (and the contents) call it
    h1: str  # the page's heading, the first line of its first page in the PDF
    html: str  # the built page


def nav_pages(site: Path) -> list[NavPage]:
    """The pages of mkdocs.yml's nav, in order."""
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as config:
        nav = yaml_load(config)["nav"]
    files: list[tuple[str | None, str]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, str):
                files.append((None, item))
            else:
                ((title, value),) = item.items()
                if isinstance(value, list):
                    walk(value)
                else:
                    files.append((title, value))

    walk(nav)
    pages = []
    for title, md in files:
        built = site / ("index.html" if md == "index.md" else md[:-3] + "/index.html")
        text = built.read_text(encoding="utf-8")
        match = re.search(r"<h1[^>]*>(.*?)(?:<a class=\"headerlink\"|</h1>)", text, re.S)
        assert match, built
        h1 = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()
        pages.append(NavPage(title or h1, h1, text))
    return pages


def require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        message = f"no {tool} (apt-get install poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def pdf(built_site: Path) -> Path:
    path = built_site / PDF
    if not path.is_file():
        chromium_path()  # no browser: skip, or fail under CI=true
        pytest.fail(f"the build made no {PDF}, though Chromium is there")
    return path


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[str]:
    """The text of each page of the PDF."""
    text = subprocess.run([require("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]  # a form feed ends each page


@pytest.fixture(scope="module")
def nav(built_site: Path) -> list[NavPage]:
    return nav_pages(built_site)


def first_line(page: str) -> str:
    return next((line.strip() for line in page.splitlines() if line.strip()), "")


def footers(pages: list[str]) -> list[tuple[int, int] | None]:
    """(page, pages) of each PDF page's footer, None for a page without one."""
    out: list[tuple[int, int] | None] = []
    for page in pages:
        found = FOOTER.findall(page)
        out.append((int(found[-1][0]), int(found[-1][1])) if found else None)
    return out


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_build_makes_one_pdf_with_a_page_for_every_nav_entry(
        pdf: Path, pages: list[str], nav: list[NavPage], built_site: Path) -> None:
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert len(nav) == len(site_pages(built_site)) >= 13
    assert len(pages) >= FRONT + len(nav), len(pages)


def test_every_body_page_is_numbered_in_its_footer(pages: list[str]) -> None:
    """The title page and the contents have no footer; the body is numbered 1 to N of N."""
    numbers = footers(pages)
    assert numbers[:FRONT] == [None] * FRONT
    total = len(pages) - FRONT
    assert numbers[FRONT:] == [(k, total) for k in range(1, total + 1)]


def test_the_contents_list_every_nav_page_in_order_with_its_page_number(
        pages: list[str], nav: list[NavPage]) -> None:
    assert first_line(pages[1]) == "Contents"
    listed = [m.groups() for line in pages[1].splitlines()
              if (m := CONTENTS_LINE.match(line))]
    assert [title for title, _ in listed] == [p.title for p in nav]
    numbers = [int(n) for _, n in listed]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1


def test_each_nav_page_starts_a_pdf_page_at_the_number_the_contents_give(
        pages: list[str], nav: list[NavPage]) -> None:
    listed = [int(m.group(2)) for line in pages[1].splitlines()
              if (m := CONTENTS_LINE.match(line))]
    numbers = footers(pages)
    for page, number in zip(nav, listed, strict=True):
        index = numbers.index((number, len(pages) - FRONT))
        assert first_line(pages[index]) == page.h1, (page.title, number)


def test_the_pdf_has_an_outline_of_the_nav_and_roman_front_matter(
        pdf: Path, nav: list[NavPage]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert reader.page_labels[:FRONT + 2] == ["i", "ii", "1", "2"]
    # The outline: Contents, then the nav: a page, or a section followed by its pages; each
    # page followed by its headings. An item's children are the list that follows it.
    outline: list[Any] = list(reader.outline)
    assert str(outline[0]["/Title"]) == "Contents"
    sections = {"Derivation", "Notes"}
    titles: list[str] = []
    for k, item in enumerate(outline[1:], start=1):
        if isinstance(item, list):
            continue
        title = str(item["/Title"])
        if title in sections:
            titles += [str(child["/Title"]) for child in outline[k + 1]
                       if not isinstance(child, list)]
        else:
            titles.append(title)
    assert titles == [p.title for p in nav]
    hidden_layer = outline[outline.index(next(i for i in outline if not isinstance(i, list)
                                               and i["/Title"] == "Derivation")) + 1]
    headings = [str(h["/Title"]) for h in hidden_layer[hidden_layer.index(
        next(i for i in hidden_layer if not isinstance(i, list)
             and i["/Title"] == "5. A hidden layer")) + 1]]
    assert "A hidden unit's share of the blame" in headings, headings


def section_text(pages: list[str], nav: list[NavPage], title: str) -> str:
    """The text of one nav page in the PDF, footers left out, whitespace squeezed to one."""
    listed = [int(m.group(2)) for line in pages[1].splitlines()
              if (m := CONTENTS_LINE.match(line))]
    numbers = footers(pages)
    total = len(pages) - FRONT
    k = [p.title for p in nav].index(title)
    start = numbers.index((listed[k], total))
    end = numbers.index((listed[k + 1], total)) if k + 1 < len(listed) else len(pages)
    text = "\n".join(FOOTER.sub("", page) for page in pages[start:end])
    return re.sub(r"\s+", " ", text)


def test_equation_5_8_is_in_the_pdf_with_its_words_and_both_tabs(
        pages: list[str], nav: list[NavPage], built_site: Path) -> None:
    """Section 5: the sentence that leads to (5.8), its Math tab with the equation (drawn as
    glyphs, its tag also as text), then its NumPy tab with the package's code for it."""
    text = section_text(pages, nav, "5. A hidden layer")
    pattern = re.compile(
        r"Nothing in \(5\.7\) is special to .*? the sum runs over every output .*?"
        r"Math \(5\.8\) NumPy src/backprop_doc/per_weight\.py "
        r"# \(5\.8\): sum over every output k that hidden unit j reaches")
    assert pattern.search(text), text[:3000]
    # The equation's drawing is in the printed document, in section 5.
    document = (built_site / DOCUMENT).read_text(encoding="utf-8")
    section = document[document.index('id="derivation-hidden-layer"'):
                       document.index('id="derivation-generalization"')]
    assert 'id="derivation-hidden-layer--mjx-eqn:5.8"' in section


def code_lines(document: str) -> list[str]:
    """Every non-blank line of every code block of the print document, as text."""
    lines = []
    document = re.sub(r'<td class="linenos">.*?</td>', "", document, flags=re.S)
    for block in re.findall(r"<pre[^>]*>(.*?)</pre>", document, re.S):
        text = html.unescape(re.sub(r"<[^>]+>", "", block))
        lines += [line for line in text.splitlines() if line.strip()]
    return lines


def test_every_line_of_code_is_in_the_pdf_whole(pages: list[str], built_site: Path) -> None:
    """Code wraps at the margin instead of being cut: each line's text is all there (a
    wrapped line is split by a line break, so whitespace is left out of the comparison)."""
    document = (built_site / DOCUMENT).read_text(encoding="utf-8")
    text = squeeze("".join(FOOTER.sub("", page) for page in pages))
    lines = code_lines(document)
    assert len(lines) > 500
    longest = max(lines, key=len)
    assert len(longest) > 90, longest
    missing = [line for line in lines if squeeze(line) not in text]
    assert not missing, missing[:5]


def test_code_formulas_and_tables_fit_the_width_of_the_page(
        pdf: Path, served_site: str, session_browser: Any) -> None:
    """In print, at the width between the margins, nothing of the body is wider than its box:
    no code block, display formula or table to scroll (there is no scrolling on paper)."""
    page = session_browser.new_page(viewport={"width": PRINT_WIDTH, "height": 1000})
    try:
        page.emulate_media(media="print")
        page.goto(served_site + DOCUMENT)
        wider = page.evaluate("""() => [...document.querySelectorAll(
              ".print-body pre > code, .print-body div.arithmatex, .print-body table")]
            .filter(e => e.scrollWidth > e.clientWidth + 1)
            .map(e => [e.closest("section").id, e.tagName, e.scrollWidth, e.clientWidth])""")
    finally:
        page.close()
    assert not wider, wider


def test_every_formula_and_figure_of_the_nav_pages_is_in_the_print_document(
        built_site: Path, nav: list[NavPage], pdf: Path) -> None:
    document = (built_site / DOCUMENT).read_text(encoding="utf-8")

    def article(text: str) -> str:
        return text[text.index("<article"):text.index("</article>")]

    for what in ('class="arithmatex"', "<img ", "<mjx-container", 'class="tabbed-block"'):
        expected = sum(article(p.html).count(what) for p in nav)
        assert document.count(what) == expected, what
    assert document.count("<img ") >= 3
    assert "<script" not in document


def test_the_about_page_links_the_print_edition(built_site: Path, pdf: Path) -> None:
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)"[^>]*>the print edition \(PDF\)</a>', about)
    assert links == ["../" + PDF]
    assert (built_site / "about" / links[0]).resolve().is_file()
