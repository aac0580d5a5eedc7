"""Sybil: collect the doctests of the pages and of the package's docstrings as pytest items.

* Pages, ``docs/**/*.md``: every example in a fenced code block whose language is ``pycon``
  is one test item, reported with the page's line number. The examples of one page share one
  namespace and run in order, so a page reads like one interpreter session.
* Package, ``src/backprop_doc/*.py``, and the site's code, ``src/backprop_site/*.py``: every
  doctest in a docstring (the ``Examples`` section of a NumPy-style docstring) is one test
  item; a module's examples share its namespace.

Both use NORMALIZE_WHITESPACE and ELLIPSIS, and NumPy's default print options, reset for each
page or module and restored after it: the comparison and the options of
``backprop_site/pycon.py``, which runs the same blocks in the browser (the Run buttons).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sybil import Document, Region, Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.abstract import DocTestStringParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer
from sybil.parsers.rest import DocTestParser
from sybil.sybil import SybilCollection

from backprop_site import browser, build, pycon

OPTIONFLAGS: int = pycon.OPTIONFLAGS


class PyconBlockParser:
    """Parse the doctest examples inside Markdown fences whose language is ``pycon``.

    The fence lexer hands over only the block's body, so the closing fence can never be
    read as expected output; each ``>>>`` example of the body becomes its own region, with
    the line numbers of the page.
    """

    def __init__(self, optionflags: int = 0) -> None:
        """A parser whose examples compare with ``optionflags``."""
        self.lexer = FencedCodeBlockLexer(language="pycon")
        self.doctest_parser = DocTestStringParser(DocTestEvaluator(optionflags))

    def __call__(self, document: Document) -> Iterable[Region]:
        """The page's examples, one region each, at the page's line numbers."""
        for block in self.lexer(document):
            source = block.lexemes["source"]
            body_start = block.start + source.offset
            for region in self.doctest_parser(source, document.path):
                # Region.adjust maps positions by character offset, which is wrong inside
                # an indented fence (tabs, admonitions): the lexer removed the indent from
                # every line, so the page line would come out one or more lines early.
                # Map line by line instead.
                region.start = _page_position(document.text, body_start, source, region.start)
                region.end = _page_position(document.text, body_start, source, region.end)
                yield region


def _page_position(text: str, body_start: int, source: str, pos: int) -> int:
    """Where position ``pos`` of a fence's de-indented body lies on the page."""
    line = source.count("\n", 0, pos)
    column = pos - (source.rfind("\n", 0, pos) + 1)
    start = body_start
    for _ in range(line):
        start = text.index("\n", start) + 1
    line_end = text.find("\n", start)
    line_text = text[start:] if line_end == -1 else text[start:line_end]
    indent = len(line_text) - len(line_text.lstrip(" \t"))
    return min(start + indent + column, len(text))


_saved_printoptions: list[dict[str, Any]] = []


def numpy_defaults(namespace: dict[str, Any]) -> None:
    """Give each document NumPy's default print options (not legacy mode)."""
    _saved_printoptions.append(pycon.numpy_defaults())


def restore_printoptions(namespace: dict[str, Any]) -> None:
    """Put back the print options of before the document."""
    np.set_printoptions(**_saved_printoptions.pop())


pages = Sybil(
    parsers=[PyconBlockParser(optionflags=OPTIONFLAGS)],
    path="docs",
    patterns=["*.md"],
    setup=numpy_defaults,
    teardown=restore_printoptions,
    name="pages",
)

docstrings = Sybil(
    parsers=[DocTestParser(optionflags=OPTIONFLAGS)],
    path="src/backprop_doc",
    patterns=["*.py"],
    setup=numpy_defaults,
    teardown=restore_printoptions,
    name="docstrings",
)

site_docstrings = Sybil(
    parsers=[DocTestParser(optionflags=OPTIONFLAGS)],
    path="src/backprop_site",
    patterns=["*.py"],
    setup=numpy_defaults,
    teardown=restore_printoptions,
    name="site_docstrings",
)

pytest_collect_file = SybilCollection([pages, docstrings, site_docstrings]).pytest()


# ------------------------------------------------------------------------------------------
# Building and serving the site in tests: one ``mkdocs build --strict`` per session.
#
# A site is built for the address it is served at (mkdocs.yml reads site_url from SITE_URL):
# Material's instant navigation only intercepts links to the pages that sitemap.xml lists,
# and sitemap.xml's URLs come from site_url.

ROOT = Path(__file__).resolve().parent

Build = Callable[[Path, Path, str], "subprocess.CompletedProcess[str]"]
Serve = Callable[[Path, str], AbstractContextManager[str]]


def local_url() -> str:
    """``http://127.0.0.1:PORT/`` with a port that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


def mkdocs_build(config: Path, site_dir: Path, site_url: str,
                 print_edition: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` from the repository root (the snippets' base path),
    with the print edition (backprop_site/print_edition.py) if ``print_edition``."""
    env = {"SITE_URL": site_url, "BACKPROP_DOC_PRINT": "1" if print_edition else "0"}
    return build.mkdocs_build(config, site_dir, cwd=ROOT, env=env, options=("--strict",))


@contextmanager
def serve(site_dir: Path, site_url: str) -> Iterator[str]:
    """Serve ``site_dir`` at ``site_url`` (`backprop_site.browser.serve`); yield the URL."""
    with browser.serve(site_dir, int(site_url.rstrip("/").rsplit(":", 1)[1])):
        yield site_url


@pytest.fixture(scope="session")
def mkdocs_builder() -> Build:
    """``mkdocs_builder(config, site_dir, site_url)``: a strict build of any config file."""
    return mkdocs_build


@pytest.fixture(scope="session")
def site_server() -> Serve:
    """``with site_server(site_dir, site_url) as url:`` serves a built site."""
    return serve


# ------------------------------------------------------------------------------------------
# One site a run, however many processes run the tests (`python3 dev.py test` runs them in
# pytest-xdist's workers). The process that starts the run (xdist's controller, or pytest
# alone) picks the folder and the address and serves the folder from a thread until the run
# ends; the workers find both in SHARED_SITE, which they inherit. The first test process to
# ask for ``built_site`` builds the site there, under a file lock (``fcntl.flock``: the
# standard library's, enough on the Linux this suite runs on); the others wait for it and
# read the same build.

SHARED_SITE = "BACKPROP_DOC_TEST_SITE"  # "FOLDER URL": the run's site folder and address


def pytest_configure(config: pytest.Config) -> None:
    """In the process that starts the run: the site's folder, its address, its server."""
    if hasattr(config, "workerinput"):  # an xdist worker: the controller serves
        return
    folder = Path(tempfile.mkdtemp(prefix="backprop-doc-site-"))
    (folder / "site").mkdir()
    url = local_url()
    stack = ExitStack()
    stack.enter_context(serve(folder / "site", url))
    stack.callback(shutil.rmtree, folder, ignore_errors=True)
    config.stash[_SERVER] = stack
    os.environ[SHARED_SITE] = f"{folder} {url}"


def pytest_unconfigure(config: pytest.Config) -> None:
    """The server stopped and the folder removed, in the process that made them."""
    stack = config.stash.get(_SERVER, None)
    if stack is not None:
        stack.close()


_SERVER = pytest.StashKey[ExitStack]()


def shared_site() -> tuple[Path, str]:
    """The run's site folder and the address it is served at (`pytest_configure`)."""
    folder, url = os.environ[SHARED_SITE].split(" ")
    return Path(folder), url


@pytest.fixture(scope="session")
def site_url() -> str:
    """The address the site of ``built_site`` is built for and ``served_site`` serves at."""
    return shared_site()[1]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """An ``integration`` test is slow like a browser test and runs with them: ``-m browser``
    selects it, ``-m "not browser"`` leaves it out. The slowest modules go first
    (`SLOWEST_FIRST`), so that xdist's workers, handed a module at a time in this order
    (``--dist loadscope --no-loadscope-reorder``), start on them and share out the rest."""
    for item in items:
        if item.get_closest_marker("integration"):
            item.add_marker(pytest.mark.browser)
    rank = {name: k for k, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


#: The test modules that take longest, slowest first (``pytest --durations``).
SLOWEST_FIRST = [
    "test_browser.py", "test_live.py", "test_answer_cells.py", "test_benchmarks.py",
    "test_stepper.py", "test_run.py", "test_mutation.py", "test_notebooks.py",
    "test_notation_browser.py", "test_print.py", "test_offline.py", "test_oldest_numpy.py",
    "test_site_build.py",
]


@pytest.fixture(scope="session")
def built_site(request: pytest.FixtureRequest, site_url: str) -> Path:
    """The site, built from mkdocs.yml with ``--strict`` once a run, by the first test process
    that asks for it; with its print edition (Chromium prints it) when the run has browser
    tests."""
    folder, _ = shared_site()
    site_dir = folder / "site"
    printed = any(item.get_closest_marker("browser") for item in request.session.items)
    built = folder / ("built-with-print" if printed else "built")
    with open(folder / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not built.exists():
            result = mkdocs_build(ROOT / "mkdocs.yml", site_dir, site_url,
                                  print_edition=printed)
            if result.returncode != 0:
                pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}")
            built.touch()
    return site_dir


@pytest.fixture(scope="session")
def served_site(built_site: Path, site_url: str) -> str:
    """The built site, served on 127.0.0.1 (by the run's first process); its base URL (it
    ends with '/')."""
    return site_url


@pytest.fixture(scope="session")
def session_browser() -> Iterator[Any]:
    """One headless Chromium for the browser tests of the session.

    Launched by the first test that asks for it, in the main thread: Playwright's sync API
    allows one running instance per thread.
    """
    if browser.chromium_executable() is None:
        message = (f"no Chromium at {browser.chromium_path()} (apt-get install chromium, or "
                   "set CHROMIUM)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with browser.launched() as launched:
        yield launched


@pytest.fixture(scope="session")
def python_page(session_browser: Any, served_site: str) -> Iterator[Any]:
    """One page of the built site (1400 x 900, light) kept for the session, for the browser
    tests that need its Python: Pyodide loads once in it, at the first press of Run, Play or
    Step, and stays loaded as long as a test moves by instant navigation (a click on a link;
    ``page.goto`` loads the document again, and Python with it). Requests to other hosts
    are aborted and recorded (`browser.guard`); the clipboard is allowed. A
    ``helpers.SitePage``: the page, its requests, what left the site, its errors.

    It starts blank: the first test goes to its page. A test may change the viewport or
    the emulated media (palette, reduced motion) and puts them back.
    """
    from helpers import VIEWPORT, SitePage

    context = session_browser.new_context(viewport=VIEWPORT, device_scale_factor=1,
                                          color_scheme="light")
    context.grant_permissions(["clipboard-read", "clipboard-write"],
                              origin=served_site.rstrip("/"))
    page = context.new_page()
    found = SitePage(page)
    browser.guard(context, found.left_site)
    context.on("request", lambda r: found.requests.append(r.url))
    page.on("console", lambda m: found.errors.append(f"{page.url}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: found.errors.append(f"{page.url}: {e}"))
    try:
        yield found
    finally:
        context.close()
