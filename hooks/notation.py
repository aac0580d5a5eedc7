"""The notation table (``docs/notation.yml``) written into the pages that show it.

A page asks for a table with a placeholder alone on a line, one form for all of them:

* ``<!-- notation:table -->``: our symbols, one row per symbol and its indexed forms:
  drawn, name in code, shape, meaning, the page that defines it (the notation page);
* ``<!-- notation:table derivation/net.md -->``: only those that page defines (the net
  page's table);
* ``<!-- notation:local -->``: the symbols that hold on one page or in one exercise only;
* ``<!-- notation:indices -->``: the index letters and what each counts;
* ``<!-- notation:crosswalk nielsen d2l goodfellow -->``: our symbols beside those texts'
  (the crosswalk); ``<!-- notation:texts nielsen d2l -->``: the list of those texts.

An unknown kind, an unknown text or a page no entry names fails the build. The tables are
Markdown, written before the page is rendered, so their formulas are drawn (and their
symbols explained) like every other formula; ``site_tools/notation.py`` does the writing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.append(str(_ROOT))
from site_tools import notation  # noqa: E402

PLACEHOLDER = re.compile(r"^<!-- notation:(?P<kind>[a-z]+)(?P<args>(?: [^ >]+)*) -->$", re.M)
KINDS = ("table", "local", "indices", "crosswalk", "texts")


def expand(markdown: str, page: str, table: notation.Notation) -> str:
    """``markdown`` with every notation placeholder replaced by its table."""

    def one(match: re.Match[str]) -> str:
        kind, args = match["kind"], match["args"].split()
        where = f"{page}: <!-- notation:{kind}{match['args']} -->"
        try:
            if kind == "table":
                if len(args) > 1:
                    raise PluginError(f"{where}: give one page at most")
                if args and not any(e.page == args[0] for e in table.ours()):
                    raise PluginError(f"{where}: no entry of docs/notation.yml has "
                                      f"page: {args[0]}")
                return notation.notation_table(table, page, args[0] if args else "")
            if kind == "local":
                return notation.notation_table(table, page, local=True)
            if kind == "indices":
                return notation.index_table(table)
            if kind == "crosswalk":
                return notation.crosswalk_table(table, args)
            if kind == "texts":
                return notation.texts_list(table, args)
        except notation.NotationError as exc:
            raise PluginError(f"{where}: {exc}") from exc
        raise PluginError(f"{where}: unknown kind {kind!r}; the kinds are {', '.join(KINDS)}")

    return PLACEHOLDER.sub(one, markdown)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "<!-- notation:" not in markdown:
        return markdown
    try:
        table = notation.load()
    except notation.NotationError as exc:
        raise PluginError(f"docs/notation.yml: {exc}") from exc
    return expand(markdown, page.file.src_uri, table)
