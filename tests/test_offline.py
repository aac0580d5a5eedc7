"""The site from a folder: the zip of the whole site, unzipped and opened from disk (file://).

* The zip (hooks/offline.py) holds every file of the built site, as built.
* Opened from file://, every navigation link of every page opens its page (not a folder
  listing; docs/javascripts/file-links.js), with its figures and formulas, and Material's
  components and the site's scripts are set up (copy buttons, Run buttons); the PDF and
  the notebooks are there.
* A Run button says in place that Python needs the folder served, and the command.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

ZIP = "downloads/backprop-doc-site.zip"
# The navigation's links to pages (not the current page's table of contents, which the
# primary navigation holds for a phone's width).
NAV_LINKS = """() => [...document.querySelectorAll("nav.md-nav--primary a.md-nav__link[href]")]
  .filter(a => !a.getAttribute("href").includes("#")).map(a => a.href)"""
PAGE_STATE = """() => ({
  title: (document.querySelector("article h1") || {}).textContent || "",
  listing: document.title.startsWith("Index of"),
  images: [...document.querySelectorAll("article img")].map(i => [i.src, i.naturalWidth]),
  formulas: document.querySelectorAll("article mjx-container svg").length,
  copyButtons: document.querySelectorAll(
    "article div.language-pycon .md-code__button[data-md-type=copy]").length,
  runButtons: document.querySelectorAll("article button.run-run").length,
  pycon: document.querySelectorAll("article div.language-pycon").length,
})"""


@pytest.fixture(scope="module")
def unzipped(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(built_site / ZIP) as archive:
        archive.extractall(folder)
    return folder / "backprop-doc"


@pytest.mark.browser  # the zip holds the PDF, which Chromium prints
def test_the_zip_holds_the_whole_site_as_built(built_site: Path, unzipped: Path) -> None:
    built = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}
    inside = {p.relative_to(unzipped).as_posix() for p in unzipped.rglob("*") if p.is_file()}
    assert inside == built - {ZIP}
    for name in ("index.html", "print/backprop-doc.pdf",
                 "downloads/backprop-doc-notebooks.zip", "notebooks/worked-example.ipynb"):
        assert (unzipped / name).read_bytes() == (built_site / name).read_bytes(), name
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{ZIP}" download>the whole site as one zip</a>' in home


def local_file(url: str) -> Path:
    assert url.startswith("file://"), url
    return Path(unquote(urlparse(url).path))


@pytest.mark.browser
def test_from_a_folder_every_navigation_link_opens_its_page(
        session_browser: Any, unzipped: Path) -> None:
    context = session_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto((unzipped / "index.html").as_uri())
        links = page.evaluate(NAV_LINKS)
        assert len(links) >= 12, links
        opened: dict[str, dict[str, Any]] = {}

        def check_navigation() -> None:
            """Every link of this page's navigation, as the browser has it, is a page."""
            hrefs = page.evaluate(NAV_LINKS)
            assert len(hrefs) == len(links), page.url
            for href in hrefs:
                target = local_file(href.split("#")[0])
                assert target.name == "index.html" and target.is_file(), (page.url, href)

        # Each link followed, one after the other, by a click on the page the one before
        # opened (from the home page first): every page is opened once, by a click.
        for index in range(len(links)):
            check_navigation()
            with page.expect_navigation():
                page.evaluate("i => [...document.querySelectorAll("
                              "'nav.md-nav--primary a.md-nav__link[href]')].filter(a => "
                              "!a.getAttribute('href').includes('#'))[i].click()", index)
            state = page.evaluate(PAGE_STATE)
            opened[page.url] = state
            assert not state["listing"] and state["title"], (page.url, state)
            assert page.url.endswith("/index.html"), page.url
            assert all(width > 0 for _, width in state["images"]), (page.url, state["images"])
            # Material's components and the site's scripts are set up (document$ emitted):
            assert state["copyButtons"] == state["pycon"], (page.url, state)
            assert state["runButtons"] == state["pycon"], (page.url, state)
        check_navigation()
        assert {local_file(u) for u in opened} == {local_file(u) for u in links}
        assert opened[(unzipped / "derivation/net/index.html").as_uri()]["formulas"] > 5
    finally:
        context.close()


@pytest.mark.browser
def test_from_a_folder_the_pdf_and_the_notebooks_are_there(session_browser: Any,
                                                      unzipped: Path) -> None:
    context = session_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto((unzipped / "index.html").as_uri())
        notebooks = page.evaluate("() => document.querySelector(\"a[href$='notebooks.zip']\")"
                                  ".href")
        assert zipfile.is_zipfile(local_file(notebooks))
        page.goto((unzipped / "about" / "index.html").as_uri())
        pdf = page.evaluate("() => document.querySelector(\"a[type='application/pdf']\").href")
        assert local_file(pdf).read_bytes()[:5] == b"%PDF-"
        page.goto((unzipped / "worked-example" / "index.html").as_uri())
        notebook = page.evaluate("() => document.querySelector('a.page-tools__notebook').href")
        assert local_file(notebook).name == "worked-example.ipynb"
        assert local_file(notebook).is_file()
    finally:
        context.close()


@pytest.mark.browser
def test_from_a_folder_a_run_button_says_to_serve_the_folder(session_browser: Any,
                                                              unzipped: Path) -> None:
    context = session_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto((unzipped / "worked-example" / "index.html").as_uri())
        page.locator("button.run-run").first.click()
        status = page.locator(".run-output .run-status").first
        status.wait_for(state="visible")
        page.wait_for_function("() => document.querySelector('.run-output .run-status')"
                               ".textContent.includes('http.server')", timeout=10_000)
        text = status.text_content() or ""
        assert "opened from a folder (file://)" in text
        assert "python -m http.server" in text and "http://localhost:8000/" in text
        assert "run-fail" in (status.get_attribute("class") or "")
        assert page.evaluate("() => !window.backpropDocRun.loaded")
    finally:
        context.close()
