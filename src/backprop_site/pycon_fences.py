r"""The pages' doctest blocks (```` ```pycon ````) as Python's ``doctest`` reads a text file.

``python -m doctest docs/PAGE.md`` reads the whole page as one docstring: an example's
expected output runs until a blank line or the next ``>>>``, so a closing fence right
under the last output would be read as part of it. The convention of the pages: **every
pycon block ends with a blank line before its closing fence.** The rendered page is the
same (the highlighter drops a block's trailing blank lines).

    python -m backprop_site.pycon_fences --check   # list the blocks that break it (exit 1)
    python -m backprop_site.pycon_fences           # fix them in place: docs/**/*.md

[`blocks`][] finds the pycon blocks of a Markdown text (at any indent: inside admonitions
and tabs too); [`fix`][] puts the blank line in; [`problems`][] names what breaks the
convention. Only the standard library is used, so the tool runs on any Python 3.10+.

>>> page = "Text\n\n```pycon\n>>> 1 + 1\n2\n```\n"
>>> fix(page).splitlines()[2:]
['```pycon', '>>> 1 + 1', '2', '', '```']
>>> fix(fix(page)) == fix(page)
True
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Block", "blocks", "fix", "problems"]

ROOT = Path(__file__).resolve().parents[2]
FIX_COMMAND = "python -m backprop_site.pycon_fences"
_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")


@dataclass(frozen=True)
class Block:
    """A fenced code block: its lines ``start`` (opening fence) to ``end`` (closing fence),
    0-based, its indent and its language."""

    start: int
    end: int
    indent: str
    language: str
    body: str
    """The lines between the fences, without the block's indent, each ending in "\\n"."""


def _language(info: str) -> str:
    info = info.strip()
    if info.startswith("{"):  # ``` { .pycon title="..." }
        match = re.search(r"\.([\w-]+)", info)
        return match.group(1) if match else ""
    return info.split()[0] if info else ""


def blocks(text: str, language: str | None = "pycon") -> list[Block]:
    r"""The fenced code blocks of Markdown ``text`` in ``language`` (every block if None).

    >>> [b.body for b in blocks("  ```pycon\n  >>> x = 1\n  ```\n```python\ny\n```\n")]
    ['>>> x = 1\n']
    """
    lines = text.splitlines(keepends=True)
    found: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _OPEN.match(lines[i].rstrip("\r\n"))
        if not opening:
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        closing = re.compile(rf"^{re.escape(indent)}{fence[0]}{{{len(fence)},}}[ \t]*$")
        end = i + 1
        while end < len(lines) and not closing.match(lines[end].rstrip("\r\n")):
            end += 1
        if end == len(lines):  # unclosed: to the end of the text, as Markdown reads it
            break
        lang = _language(opening["info"])
        if language is None or lang == language:
            body = "".join(line[len(indent):] if line.startswith(indent) else line.lstrip(" \t")
                           for line in lines[i + 1:end])
            found.append(Block(i, end, indent, lang, body))
        i = end + 1
    return found


def _ends_blank(block: Block) -> bool:
    lines = block.body.splitlines()
    return not lines or not lines[-1].strip()


def fix(text: str) -> str:
    """``text`` with a blank line before the closing fence of every pycon block that lacks
    one; nothing else changes."""
    lines = text.splitlines(keepends=True)
    for block in reversed(blocks(text)):
        if not _ends_blank(block):
            lines.insert(block.end, "\n")
    return "".join(lines)


def problems(text: str, name: str = "page") -> list[str]:
    """One message per pycon block of ``text`` whose closing fence follows its last line."""
    return [f"{name}:{block.end + 1}: the pycon block of line {block.start + 1} needs a blank "
            f"line before its closing fence (python -m doctest would read the fence as "
            f"expected output); run `{FIX_COMMAND}` to add it"
            for block in blocks(text) if not _ends_blank(block)]


def pages(root: Path = ROOT) -> list[Path]:
    """The site's pages: ``docs/**/*.md``."""
    return sorted((root / "docs").rglob("*.md"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=FIX_COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only list the blocks that break the convention; exit 1 if any")
    parser.add_argument("files", nargs="*", type=Path, help="default: docs/**/*.md")
    args = parser.parse_args(argv)
    found = []
    for path in args.files or pages():
        text = path.read_text(encoding="utf-8")
        if args.check:
            found += problems(text, str(path))
        elif fix(text) != text:
            path.write_text(fix(text), encoding="utf-8")
            print(f"fixed {path}")
    for message in found:
        print(message)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
