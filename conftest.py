"""Sybil: collect the doctests of the pages and of the package's docstrings as pytest items.

* Pages, ``docs/**/*.md``: every example in a fenced code block whose language is ``pycon``
  is one test item, reported with the page's line number. The examples of one page share one
  namespace and run in order, so a page reads like one interpreter session.
* Package, ``src/backprop_doc/*.py``, and the site's code, ``site_tools/*.py`` and
  ``docs/run/steps.py``: every
  doctest in a docstring (the ``Examples`` section of a NumPy-style docstring) is one test
  item; a module's examples share its namespace.

Both use NORMALIZE_WHITESPACE and ELLIPSIS, and NumPy's default print options, reset for each
page or module and restored after it: the comparison and the options of
``docs/run/pycon.py``, which runs the same blocks in the browser (the Run buttons).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from sybil import Document, Region, Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.abstract import DocTestStringParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer
from sybil.parsers.rest import DocTestParser
from sybil.sybil import SybilCollection


def _load_pycon() -> ModuleType:
    """``docs/run/pycon.py``, which the site serves to the browser, as module ``pycon``."""
    path = Path(__file__).resolve().parent / "docs" / "run" / "pycon.py"
    spec = importlib.util.spec_from_file_location("pycon", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["pycon"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


pycon = _load_pycon()
OPTIONFLAGS: int = pycon.OPTIONFLAGS


class PyconBlockParser:
    """Parse the doctest examples inside Markdown fences whose language is ``pycon``.

    The fence lexer hands over only the block's body, so the closing fence can never be
    read as expected output; each ``>>>`` example of the body becomes its own region, with
    the line numbers of the page.
    """

    def __init__(self, optionflags: int = 0) -> None:
        self.lexer = FencedCodeBlockLexer(language="pycon")
        self.doctest_parser = DocTestStringParser(DocTestEvaluator(optionflags))

    def __call__(self, document: Document) -> Iterable[Region]:
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
    path=".",
    patterns=["site_tools/*.py", "docs/run/steps.py"],
    setup=numpy_defaults,
    teardown=restore_printoptions,
    name="site_docstrings",
)

pytest_collect_file = SybilCollection([pages, docstrings, site_docstrings]).pytest()
