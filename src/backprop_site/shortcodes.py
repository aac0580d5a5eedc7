"""One placeholder syntax for every generated piece of a page, ``<!-- md:KIND ARG ... -->``
(as Material's own documentation has it), and its one dispatcher.

``KIND`` names a handler (`KINDS`), registered with `kind`; the arguments are words. Most
kinds are filled into the Markdown (a table, a number in a sentence); those whose output is
HTML made from the rendered page are replaced in it. A shortcode alone on its line is
``alone`` (``md:bench`` gives a table then). An unknown kind, a malformed shortcode
(``<!-- md: x -->``, ``<!-- md:x`` left open) or the old ``<!-- kind:arg -->`` form fails
the build, naming the page and the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

__all__ = ["KINDS", "Context", "Shortcode", "expand", "find", "kind"]

Stage = Literal["markdown", "html"]
#: A well-formed shortcode.
SHORTCODE = re.compile(r"<!--[ \t]*md:(?P<kind>[a-z][\w-]*)(?P<args>(?:[ \t]+[^\s>-][^\s>]*)*)"
                       r"[ \t]*-->")
#: Anything that looks like one: ``<!-- md``, or ``<!-- word:`` (the old form).
LOOKALIKE = re.compile(r"<!--[ \t]*(?:md\b|[a-z]+:[a-z])")


@dataclass(frozen=True)
class Shortcode:
    """One shortcode of a page: its kind, its arguments, where it is."""

    kind: str
    args: tuple[str, ...]
    page: str
    line: int
    alone: bool

    @property
    def where(self) -> str:
        """``page.md:12: <!-- md:kind args -->``, for error messages."""
        return f"{self.page}:{self.line}: <!-- md:{' '.join((self.kind, *self.args))} -->"


class Context(NamedTuple):
    """What a handler may need: the page, the build's configuration and its files."""

    page: Page
    config: MkDocsConfig
    files: Files


Handler = Callable[[Shortcode, Context], str]
#: kind -> (the stage it is expanded at, its handler).
KINDS: dict[str, tuple[Stage, Handler]] = {}


def kind(name: str, stage: Stage = "markdown") -> Callable[[Handler], Handler]:
    """Register ``handler(shortcode, context) -> text`` for shortcodes of kind ``name``."""

    def register(handler: Handler) -> Handler:
        KINDS[name] = (stage, handler)
        return handler

    return register


def _line(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def find(text: str, page: str) -> list[tuple[re.Match[str], Shortcode]]:
    """Every shortcode of ``text`` (a page's Markdown), checked.

    Raises
    ------
    PluginError
        For a malformed shortcode, one of the old form, or one of an unknown kind, naming
        ``page`` and the line.
    """
    found = []
    for look in LOOKALIKE.finditer(text):
        match = SHORTCODE.match(text, look.start())
        line = _line(text, look.start())
        if match is None:
            snippet = text[look.start():text.find("\n", look.start()) % (len(text) + 1)]
            raise PluginError(f"{page}:{line}: {snippet.strip()!r} is not a shortcode of the "
                              "form <!-- md:KIND ARG ... -->")
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        alone = text[start:len(text) if end == -1 else end].strip() == match.group(0)
        code = Shortcode(match["kind"], tuple(match["args"].split()), page, line, alone)
        if code.kind not in KINDS:
            raise PluginError(f"{code.where}: unknown kind {code.kind!r}; the kinds are "
                              f"{', '.join(sorted(KINDS))}")
        found.append((match, code))
    return found


def expand(text: str, stage: Stage, context: Context) -> str:
    """``text`` with each shortcode of ``stage`` replaced by what its handler makes.

    At the ``markdown`` stage every shortcode is checked (`find`); at ``html`` the page has
    been checked already and only that stage's shortcodes are looked for.
    """
    out, last = [], 0
    for match, code in find(text, context.page.file.src_uri):
        when, handler = KINDS[code.kind]
        if when == stage:
            out += [text[last:match.start()], handler(code, context)]
            last = match.end()
    return "".join(out) + text[last:] if out else text
