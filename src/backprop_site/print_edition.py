"""The print edition: the whole site as one PDF, ``print/backprop-doc.pdf``, in nav order.

Each page's ``<article>`` is kept as the other hooks leave it; ``print/index.html`` joins
them (``templates/print.html``: a title page, the contents, every page on a new sheet), each
page's ids prefixed with its own and its links made to point into the document (or, to any
other file, to the published site). Headless Chromium prints it (the site served on
127.0.0.1, other hosts refused): A4, page numbers, an outline from the headings; pypdf
joins the front matter and the body. How it looks on paper is ``docs/stylesheets/print.css``.

It prints on ``mkdocs build`` and ``gh-deploy`` with ``BACKPROP_DOC_PRINT=1`` (``python3
dev.py build`` and the tests' build set it; printing takes 8 to 10 s). Without Chromium or
Playwright the build still succeeds and logs (at INFO: ``--strict`` fails on warnings) why
there is no PDF; with them, a failure to print fails the build. ``<!-- md:print link -->``
links to the PDF, or says how to make it.
"""

from __future__ import annotations

import datetime
import html
import io
import itertools
import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from backprop_site import browser, templates
from backprop_site.shortcodes import Context, Shortcode, kind

if TYPE_CHECKING:
    from playwright.sync_api import PdfMargins

log = logging.getLogger("mkdocs.hooks.print_edition")

#: Site paths.
DOCUMENT = "print/index.html"
PDF = "print/backprop-doc.pdf"
#: The commands whose site is published: not ``serve``, whose rebuilds must stay quick.
PRINTING_COMMANDS = {"build", "gh-deploy"}
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
#: The attributes of the articles that name an id or point at one.
ID_ATTRIBUTE = re.compile(r'(?<=\s)(id|for|name|href|xlink:href|src)="([^"]*)"')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"[^>]*>')
INLINED = re.compile(r'<style data-inlined="[^"]*">.*?</style>', re.S)
BODY = re.compile(r"<body([^>]*)>")
H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)(?:<a class="headerlink".*?)?</h2>', re.S)
TAG = re.compile(r"<[^>]+>")
#: A display formula with an equation tag, as backprop_site/typeset.py leaves it.
TAGGED = re.compile(r'(<div class="arithmatex" data-tex="[^"]*\\tag\{([^}]+)\}[^"]*">.*?)(</div>)',
                    re.S)
FOOTER = ('<div style="width:100%;font-size:8px;font-family:sans-serif;color:#555;'
          'padding:0 15mm;display:flex;justify-content:space-between">'
          '<span>{title}</span><span><span class="pageNumber"></span> / '
          '<span class="totalPages"></span></span></div>')


@dataclass
class Entry:
    """A page of the nav: its title, URL (``derivation/net/``), section, its article, and
    the (id, text) of the article's ``h2`` headings."""

    title: str
    url: str
    section: str | None
    article: str = ""
    headings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The page's id in the print document: its URL's path, ``-`` for ``/``."""
        return self.url.strip("/").replace("/", "-") or "home"


@dataclass
class State:
    """What this build has learnt so far (MkDocs calls the hooks as plain functions)."""

    command: str = ""
    entries: list[Entry] = field(default_factory=list)
    skip_reason: str | None = None


state = State()


def why_not() -> str | None:
    """Why this build cannot make the print edition, or None if it can."""
    if state.command not in PRINTING_COMMANDS:
        return f"`mkdocs {state.command or '?'}` does not print (`mkdocs build` does)"
    if os.environ.get("BACKPROP_DOC_PRINT") != "1":
        return "BACKPROP_DOC_PRINT is not 1 (python3 dev.py build sets it)"
    if browser.chromium_executable() is None:
        return (f"no Chromium at {browser.chromium_path()} (apt-get install chromium, or set "
                "CHROMIUM)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright; python3 dev.py does)"
    return None


def on_startup(command: str, dirty: bool) -> None:
    """Note the command (only build and gh-deploy print)."""
    state.command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Decide whether this build prints, and why not."""
    state.skip_reason = why_not()
    state.entries = []
    return config


def on_nav(nav: Navigation, config: MkDocsConfig, files: Any) -> Navigation:
    """The pages of the navigation, in order, with their sections."""
    entries: list[Entry] = []

    def walk(items: list[Any], section: str | None) -> None:
        for item in items:
            if isinstance(item, Section):
                walk(item.children, item.title)
            elif isinstance(item, Page):
                entries.append(Entry(str(item.title), item.url, section))

    walk(nav.items, None)
    state.entries = entries
    return nav


@kind("print", "html")
def print_shortcode(code: Shortcode, context: Context) -> str:
    """``<!-- md:print link -->``: a link to the PDF, or how to make it when this build
    does not."""
    if code.args != ("link",):
        raise PluginError(f"{code.where}: expected the argument link")
    if state.skip_reason is None:
        href = "../" * context.page.url.count("/") + PDF
        return f'<a href="{href}" type="application/pdf">the print edition (PDF)</a>'
    return ("the print edition (a PDF that <code>python3 dev.py build</code> makes with "
            "Chromium; this copy of the site was built without it)")


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Keep the page's article for the print document."""
    if state.skip_reason is None:
        for entry in state.entries:
            if entry.url == page.url:
                match = ARTICLE.search(output)
                if match is None:
                    raise PluginError(f"print edition: no <article> on {page.url}")
                entry.title = str(page.title)
                entry.article = match.group(1)
                entry.headings = [(m.group(1), html.unescape(TAG.sub("", m.group(2))).strip())
                                  for m in H2.finditer(entry.article)]
    return output


# The document.

def rewrite(entry: Entry, pages: dict[str, str], site_url: str) -> str:
    """``entry``'s article with its ids prefixed and its links pointing into the document."""
    prefix = entry.anchor + "--"
    base = "http://site.invalid/"
    page_address = base + entry.url

    def attribute(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        if name in ("id", "for", "name"):
            return f'{name}="{prefix}{value}"'
        if value.startswith("#"):
            return f'{name}="#{prefix}{value[1:]}"'
        parts = urlsplit(value)
        if parts.scheme or value.startswith("//"):
            return match.group(0)
        target = urlsplit(urljoin(page_address, value))
        path = target.path[len("/"):]
        anchor = pages.get(path)
        if anchor is not None and name == "href":
            where = f"{anchor}--{target.fragment}" if target.fragment else anchor
            return f'{name}="#{where}"'
        if name == "src":
            return f'{name}="../{path}"'  # the document is print/index.html
        fragment = f"#{target.fragment}" if target.fragment else ""
        return f'{name}="{urljoin(site_url, path)}{fragment}"'

    return ID_ATTRIBUTE.sub(attribute, entry.article)


def searchable_tags(article: str) -> str:
    """Each equation tag, (5.8) say, also as text: MathJax draws it as glyphs, so a PDF
    would hold no text to find it by. The text is transparent, over the drawn tag."""
    return TAGGED.sub(
        lambda m: f'{m.group(1)}<span class="print-tag">({html.escape(m.group(2))})</span>'
                  f"{m.group(3)}",
        article)


def document(config: MkDocsConfig, site_dir: Path, made: str) -> str:
    """The print edition as one HTML page, to be written to ``print/index.html``
    (``templates/print.html``): a title page, the contents (the nav, its sections as
    headings of their pages; each line with a place for its page number, which print_pdf
    fills in), then every page.

    Raises
    ------
    PluginError
        If a page of the nav was not collected.
    """
    missing = [e.url or "/" for e in state.entries if not e.article]
    if missing:
        raise PluginError(f"print edition: no content collected for {missing}")
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    body = BODY.search(home)
    pages = {e.url: e.anchor for e in state.entries}
    site_url = config.site_url or "/"
    return templates.render(
        "print.html", title=config.site_name, description=config.site_description or "",
        address=site_url, made=made,
        stylesheets=[href for href in STYLESHEET.findall(home) if "://" not in href],
        # The site's small stylesheets are inlined in every page (backprop_site/hooks.py).
        inlined=Markup("\n".join(INLINED.findall(home))),
        body_attributes=Markup(body.group(1) if body else ""),
        entries=[(section, list(run)) for section, run  # runs of one section
                 in itertools.groupby(state.entries, key=lambda e: e.section)],
        sections=[(e, Markup(searchable_tags(rewrite(e, pages, site_url))))
                  for e in state.entries]) + "\n"


# Printing.

READY = """async () => {
  await document.fonts.ready;
  const images = [...document.images];
  await Promise.all(images.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener("load", r); i.addEventListener("error", r); })));
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  document.documentElement.classList.add("print-pass-body");
  return images.filter(i => !i.naturalWidth).map(i => i.getAttribute("src"));
}"""

#: Before the second pass: the front matter alone, its page numbers filled in, and its links
#: made to an address that the merge below turns into links into the body.
FRONT = """(numbers) => {
  const root = document.documentElement;
  root.classList.replace("print-pass-body", "print-pass-front");
  document.querySelectorAll(".print-toc__page").forEach(span => {
    span.textContent = numbers[span.dataset.anchor] ?? "";
  });
  document.querySelectorAll(".print-toc a").forEach(a => {
    a.href = "%s" + a.getAttribute("href").slice(1);
  });
}"""
TOC_LINK = "http://print.invalid/#"
MARGIN: PdfMargins = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}


def print_pdf(site_dir: Path, config: MkDocsConfig,
              times: dict[str, float]) -> tuple[int, list[str]]:
    """Print ``print/index.html`` of ``site_dir`` into ``print/backprop-doc.pdf``.

    Two passes over the one loaded page: the body (every page of the site, numbered from 1
    in the footer), then the front matter (title page and contents, numbered i, ii), whose
    page numbers the first pass gives. pypdf joins them, links the contents to the pages,
    adds the outline (a bookmark per page and per section of it) and the page labels.
    Returns the number of pages, and the requests to other hosts that were refused; adds
    the seconds of each stage to ``times``.
    """
    from playwright.sync_api import sync_playwright

    refused: list[str] = []
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[stage] = now - clock
        clock = now

    with browser.serve(site_dir) as server, sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        try:
            lap("Chromium")
            context = chromium.new_context(color_scheme="light")
            browser.guard(context, refused)
            page = context.new_page()
            response = page.goto(server.url + DOCUMENT, wait_until="load", timeout=60_000)
            if response is None or not response.ok:
                raise PluginError(f"print edition: {DOCUMENT} did not load")
            broken = page.evaluate(READY)
            if broken:
                raise PluginError(f"print edition: images not drawn: {broken}")
            lap("load")
            body = page.pdf(
                format="A4", print_background=True, display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER.format(title=html.escape(config.site_name)),
                margin=MARGIN)
            lap("body")
            numbers, dests = body_pages(body)
            page.evaluate(FRONT % TOC_LINK, numbers)
            front = page.pdf(format="A4", print_background=True, margin=MARGIN)
            lap("contents")
        finally:
            chromium.close()
    pages = join(front, body, dests, site_dir / PDF, config)
    lap("join")
    return pages, refused


def body_pages(body: bytes) -> tuple[dict[str, int], dict[str, Any]]:
    """Each nav page's first page in the body (from 1), and the body's named destinations."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    dests = dict(reader.named_destinations)
    numbers = {}
    for entry in state.entries:
        dest = dests.get("/" + entry.anchor)
        if dest is None:
            raise PluginError(f"print edition: page {entry.url or '/'} is not in "
                              f"the PDF")
        number = reader.get_destination_page_number(dest)
        if number is None:
            raise PluginError(f"print edition: page {entry.url or '/'} has no page")
        numbers[entry.anchor] = number + 1
    return numbers, dests


def join(front: bytes, body: bytes, dests: dict[str, Any], path: Path,
         config: MkDocsConfig) -> int:
    """Front matter and body as one PDF at ``path``, with links, outline and page labels."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle
    from pypdf.generic import Fit, NameObject

    body_reader = PdfReader(io.BytesIO(body))
    writer = PdfWriter(clone_from=body_reader)
    front_pages = PdfReader(io.BytesIO(front)).pages
    for index, front_page in enumerate(front_pages):
        writer.insert_page(front_page, index)
    n_front = len(front_pages)
    for index in range(n_front):
        for annotation in writer.pages[index].get("/Annots", []):
            link = annotation.get_object()
            uri = link.get("/A", {}).get("/URI", "")
            if str(uri).startswith(TOC_LINK):
                del link["/A"]
                link[NameObject("/Dest")] = NameObject("/" + str(uri)[len(TOC_LINK):])

    def bookmark(title: str, name: str, parent: Any = None) -> Any:
        dest = dests.get("/" + name)
        number = None if dest is None else body_reader.get_destination_page_number(dest)
        if dest is None or number is None:
            return None
        return writer.add_outline_item(title=title, page_number=n_front + number, parent=parent,
                                       fit=Fit.xyz(dest.left, dest.top))

    writer.add_outline_item(title="Contents", page_number=n_front - 1)
    section: str | None = None
    section_item: Any = None
    for entry in state.entries:
        if entry.section != section:
            section = entry.section
            section_item = bookmark(section, entry.anchor) if section else None
        item = bookmark(entry.title, entry.anchor, section_item)
        for heading_id, text in entry.headings:
            bookmark(text, f"{entry.anchor}--{heading_id}", item)
    writer.set_page_label(0, n_front - 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1)
    writer.set_page_label(n_front, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL,
                          start=1)
    writer.page_mode = "/UseOutlines"
    writer.add_metadata({"/Title": f"{config.site_name}: print edition",
                         "/Subject": config.site_description or ""})
    with path.open("wb") as out:
        writer.write(out)
    return len(writer.pages)


def on_post_build(config: MkDocsConfig) -> None:
    """Write the print document and print it into the PDF."""
    if state.skip_reason is not None:
        log.info("Print edition not made: %s", state.skip_reason)
        return
    site_dir = Path(config.site_dir)
    start = time.perf_counter()
    target = site_dir / DOCUMENT
    target.parent.mkdir(parents=True, exist_ok=True)
    made = datetime.date.today().isoformat()
    target.write_text(document(config, site_dir, made), encoding="utf-8")
    times = {"document": time.perf_counter() - start}
    pages, refused = print_pdf(site_dir, config, times)
    if refused:
        raise PluginError(f"print edition: the print document asked other hosts "
                          f"for {refused[:5]}")
    log.info("Print edition: %s, %d pages, %.1f MB, made in %.1f s (%s)", PDF, pages,
             (site_dir / PDF).stat().st_size / 1e6, time.perf_counter() - start,
             ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in times.items()))
