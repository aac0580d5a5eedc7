r"""What the copy button of a doctest block copies: code that pastes into a Python REPL.

The block is read by Python's own ``doctest`` parser, as the test suite (Sybil) and the
Run buttons (``backprop_site/pycon.py``) read it; ``backprop_site/hooks.py`` puts the result in
the page when the site is built. The copied text is the examples' code, prompts and
output left out, made to paste into the classic REPL (3.10 to 3.12) and 3.13's:

* a compound statement (``def``, ``for``, ``with``, ...) is followed by a blank line,
  which the classic REPL needs to end it before the next statement, and has no blank line
  inside it (outside strings), which would end it early;
* doctest directives (``# doctest: +SKIP``) are dropped: they mean nothing outside doctest;
* a block that uses names that earlier blocks of the page define starts with one line, an
  ``assert`` (a simple statement: no blank line needed after it) that, when one is
  missing, stops with which examples to paste first (numbered as the Run buttons number
  them, from 1 in page order).

>>> print(paste_text(">>> for i in range(2):\n...     print(i)\n0\n1\n>>> i\n1\n"))
for i in range(2):
    print(i)
<BLANKLINE>
i
>>> first = ">>> import math\n>>> r = 2.0\n"
>>> print(copy_texts([first, ">>> math.pi * r ** 2\n12.566370614359172\n"])[1])
... # doctest: +NORMALIZE_WHITESPACE
assert {"math"} <= globals().keys(), "this block uses math (example 1) of this page:
    paste that example first"
math.pi * r ** 2
"""

from __future__ import annotations

import ast
import builtins
import doctest
import html
import io
import re
import tokenize

__all__ = ["bound_names", "copy_buttons", "copy_texts", "examples", "guard", "loaded_names",
           "paste_text", "statement"]

_DIRECTIVE = re.compile(r"[ \t]*#[ \t]*doctest:.*$", re.M)
_COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith,
             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Try, ast.Match)
#: How a dependency guard starts: the tests recognise the line by it.
GUARD_START = "assert "


def examples(block: str) -> list[doctest.Example]:
    """The examples of a doctest block's text, as ``doctest`` parses them."""
    return doctest.DocTestParser().get_examples(block)


def _string_lines(source: str) -> set[int]:
    """The 1-based numbers of lines that lie inside a string spanning several lines."""
    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                inside.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        pass
    return inside


def statement(source: str) -> str:
    """One example's code as it pastes: no directive, no blank line outside strings, and a
    blank line after a compound statement."""
    source = _DIRECTIVE.sub("", source).rstrip("\n") + "\n"
    strings = _string_lines(source)
    lines = [line for number, line in enumerate(source.splitlines(), 1)
             if line.strip() or number in strings]
    text = "\n".join(lines) + "\n"
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    if tree.body and isinstance(tree.body[-1], _COMPOUND):
        text += "\n"
    return text


def paste_text(block: str) -> str:
    """The code of a doctest block, ready to paste into a REPL (no guards)."""
    return "".join(statement(example.source) for example in examples(block)).rstrip("\n")


def _parse(block: str) -> list[ast.Module]:
    trees = []
    for example in examples(block):
        try:
            trees.append(ast.parse(_DIRECTIVE.sub("", example.source)))
        except SyntaxError:
            continue
    return trees


def bound_names(block: str) -> list[str]:
    """The names a block binds (assigns, imports, defines), in order, in any scope."""
    names: list[str] = []
    for tree in _parse(block):
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                names.append(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(node.name)
            elif isinstance(node, ast.arg):
                names.append(node.arg)
            elif isinstance(node, ast.alias):
                names.append((node.asname or node.name).split(".")[0])
    return list(dict.fromkeys(names))


def loaded_names(block: str) -> list[str]:
    """The names a block reads that it does not bind itself and Python does not provide."""
    own = set(bound_names(block)) | set(dir(builtins))
    names = [node.id for tree in _parse(block) for node in ast.walk(tree)
             if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)]
    return [name for name in dict.fromkeys(names) if name not in own]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def guard(needs: dict[int, str]) -> str:
    """The line that stops a paste when a name from an earlier example is missing:
    ``needs`` maps each such example's number to one name it defines."""
    names = sorted(needs.items())
    checked = ", ".join(f'"{name}"' for _, name in names)
    told = _and([f"{name} (example {number})" for number, name in names])
    which = "that example" if len(names) == 1 else "those examples"
    return (f"{GUARD_START}{{{checked}}} <= globals().keys(), \"this block uses {told} of "
            f"this page: paste {which} first\"")


def copy_texts(blocks: list[str]) -> list[str]:
    """The copy text of each of a page's doctest blocks, given in page order."""
    texts = []
    defined_by: dict[str, int] = {}
    for number, block in enumerate(blocks, 1):
        needs: dict[int, str] = {}
        for name in loaded_names(block):
            if name in defined_by:
                needs.setdefault(defined_by[name], name)
        texts.append((guard(needs) + "\n" if needs else "") + paste_text(block))
        for name in bound_names(block):
            defined_by[name] = number
    return texts


#: A rendered doctest block: its opening <code> tag and its highlighted text.
_BLOCK = re.compile(r'(<div class="language-pycon highlight"><pre>(?:<span></span>)?<code)'
                    r"((?: [^>]*)?>)(.*?)(</code>)", re.S)


def block_text(highlighted: str) -> str:
    """The text of a highlighted block, as the reader sees it (and the Run buttons read it)."""
    return html.unescape(re.sub(r"<[^>]+>", "", highlighted))


def copy_buttons(output: str) -> str:
    """A page's HTML with what each doctest block's copy button copies.

    Material's copy button copies the ``data-copy`` attribute of the code when it has one:
    here `copy_texts` of the block's rendered text. ``data-code`` holds the code alone,
    which the Run buttons' Edit starts from. No JavaScript parses the block.
    """
    found = list(_BLOCK.finditer(output))
    texts = [block_text(m.group(3)) for m in found]
    pieces, at = [], 0
    for match, text, copy in zip(found, texts, copy_texts(texts), strict=True):
        attributes = (f' data-copy="{html.escape(copy, quote=True)}"'
                      f' data-code="{html.escape(paste_text(text), quote=True)}"')
        pieces += [output[at:match.end(1)], attributes, match.group(2)]
        at = match.end(2)
    return "".join(pieces) + output[at:]
