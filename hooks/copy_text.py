"""What the copy button of every doctest block copies, written into the page at build time.

Material's copy button copies the ``data-copy`` attribute of the code when it has one. For
every ``pycon`` block of a page this hook reads the block's rendered text with Python's
``doctest`` parser (as the test suite and the Run buttons read it) and writes there the
text of ``site_tools/paste.py``: the code without prompts or output, ready to paste into
a Python REPL, with a first line naming the earlier examples it needs. ``data-code`` holds
the code alone, which the Run buttons' Edit starts from. No JavaScript parses the block.
"""

from __future__ import annotations

import html
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
#: A rendered doctest block: its opening <code> tag and its highlighted text.
BLOCK = re.compile(r'(<div class="language-pycon highlight"><pre>(?:<span></span>)?<code)'
                   r"((?: [^>]*)?>)(.*?)(</code>)", re.S)


def _paste() -> ModuleType:
    """``site_tools/paste.py``: the site's code (not the package's), found from the root."""
    if importlib.util.find_spec("site_tools") is None:
        sys.path.insert(0, str(ROOT))
    from site_tools import paste

    return paste


def block_text(highlighted: str) -> str:
    """The text of a highlighted block, as the reader sees it (and the Run buttons read it)."""
    return html.unescape(re.sub(r"<[^>]+>", "", highlighted))


def on_page_content(output: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    found = list(BLOCK.finditer(output))
    if not found:
        return output
    paste = _paste()
    texts = [block_text(m.group(3)) for m in found]
    copies = paste.copy_texts(texts)
    pieces, at = [], 0
    for match, text, copy in zip(found, texts, copies, strict=True):
        attributes = (f' data-copy="{html.escape(copy, quote=True)}"'
                      f' data-code="{html.escape(paste.paste_text(text), quote=True)}"')
        pieces += [output[at:match.end(1)], attributes, match.group(2)]
        at = match.end(2)
    return "".join(pieces) + output[at:]
