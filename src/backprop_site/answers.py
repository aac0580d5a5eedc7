"""Check my answer, in the pages: an answer cell under each checked exercise, and the
checkers packed for the browser's Python.

Every exercise that has a checker (`backprop_site.checks`, which says on which page and
under which anchor) gets, after its "Your answer: ..." paragraph, an answer cell made here
when the page's HTML is made (`on_page_content`): a ``<div class="answer-cell">`` that holds
the starter as a plain code block. That is what a page shows without
JavaScript and on paper. ``docs/answer/answer.js`` turns it into an editable cell with
Check and Reset, the reader's text kept in the browser's local storage, and the checker's
feedback under it; the check runs in the Run buttons' worker (``docs/run/worker.js``), which
calls ``backprop_site.checks.check_json``. Nothing of a check is written in JavaScript.

The checkers reach the worker as one zip (`archive`): ``backprop_site/__init__.py`` and
``backprop_site/checks/*.py``, listed in the Run buttons' manifest (`pyodide_files`) and
unpacked into Pyodide's site-packages, where they import as they do here (no folder is
added to ``sys.path``).

An exercise whose heading is not on its page, or whose section has no "Your answer"
paragraph, fails the build.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from backprop_site import checks, templates

HERE = Path(__file__).resolve().parent
#: The folder, in the zip, of what the worker imports: this package's ``__init__`` and the
#: checks.
ARCHIVE_ROOT = "backprop_site"
#: Zip entries' date (zip's epoch): the same sources give the same bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)
#: The paragraph an answer cell follows.
YOUR_ANSWER = re.compile(r"<p>Your answer:.*?</p>", re.S)
HEADING = re.compile(r"<h[1-6][^>]*>")


def archive_inputs() -> list[tuple[str, Path]]:
    """(name in the zip, file) of every module the checks need in the browser."""
    found = [(f"{ARCHIVE_ROOT}/__init__.py", HERE / "__init__.py")]
    found += [(f"{ARCHIVE_ROOT}/checks/{path.name}", path)
              for path in sorted((HERE / "checks").glob("*.py"))]
    return found


def archive_bytes() -> bytes:
    """The checks as one zip, byte for byte the same for the same sources."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in archive_inputs():
            info = zipfile.ZipInfo(name, EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def archive(cache: Path) -> Path:
    """The zip of the checks, written under ``cache`` (named by its sources' hash)."""
    data = archive_bytes()
    path = cache / "checks" / hashlib.sha256(data).hexdigest()[:16] / "checks.zip"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        partial.replace(path)
    return path


def by_page() -> dict[str, list[dict[str, Any]]]:
    """The checked exercises of each page (its path below docs/), in the checks' order."""
    pages: dict[str, list[dict[str, Any]]] = {}
    for exercise in checks.exercises():
        pages.setdefault(exercise["page"], []).append(exercise)
    return pages


def cell(exercise: dict[str, Any]) -> str:
    """The answer cell of one exercise, as the page has it before its script runs."""
    return templates.render("answer.html", inline=True, exercise=exercise["exercise"],
                            anchor=exercise["anchor"], starter=exercise["starter"])


def insert_cells(output: str, src_uri: str) -> str:
    """``output`` (a page's HTML) with an answer cell after each checked exercise's
    "Your answer" paragraph.

    Raises
    ------
    PluginError
        When an exercise's heading is missing, or its section has no "Your answer"
        paragraph.
    """
    for exercise in by_page().get(src_uri, []):
        name = f"Exercise {exercise['exercise']}"
        heading = re.search(rf'<h3 id="{re.escape(exercise["anchor"])}"', output)
        if heading is None:
            raise PluginError(f"{src_uri}: {name} has a checker (backprop_site/checks) but "
                              f"the page has no heading #{exercise['anchor']}")
        following = HEADING.search(output, heading.end())
        end = following.start() if following else len(output)
        paragraph = YOUR_ANSWER.search(output, heading.end(), end)
        if paragraph is None:
            raise PluginError(f"{src_uri}: {name} has a checker but its section has no "
                              "paragraph starting 'Your answer:', which its cell follows")
        output = output[:paragraph.end()] + cell(exercise) + output[paragraph.end():]
    return output


def on_page_content(output: str, page: Page) -> str:
    """The answer cells of ``page``."""
    return insert_cells(output, page.file.src_uri)
