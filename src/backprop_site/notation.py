r"""The site's notation: one table (``docs/notation.yml``) for every symbol of every formula.

The table says, for each symbol as the formulas write it (``w_{ij}``, ``a^{(1)}_j``,
``\delta^{(2)}_k``), its name in code, its shape, its meaning in words, the page that first
defines it, and its counterparts in the texts of the crosswalk. From it:

* the shortcode ``md:notation`` writes the notation page, the net page's table and the crosswalk
  (`notation_table`, `index_table`, `crosswalk_table`);
* ``backprop_site/typeset.py`` marks, in every formula it draws, each symbol with its meaning
  (`Marker`): MathJax (``backprop_site/mathjax_svg.js``) hands over the formula's tree, `Matcher`
  finds each symbol of it in the table, and the drawing keeps ``data-s="n"`` on the symbol's
  ``<g>``, ``n`` indexing the page's list of meanings (one JSON per page, in the
  ``data-meanings`` of a hidden ``<div class="bpd-symbols">``, read by
  ``docs/javascripts/symbols.js``);
* the test suite checks that every symbol of every page is in the table and defined on that
  page or an earlier one (`check`).

How a form matches. In a form of the table, the index letters (``indices:`` of the table:
i, j, k, l, s) stand for whatever index a formula writes there: ``w_{ij}`` matches
``w_{11}``, ``w_{kj}`` and ``w_{i+1,\,j+1}``, and its meaning, "the weight from input {i} to
hidden unit {j}", is said with the indices of the formula. Any other letter or number must
be written as it is (``a^{(1)}_j`` matches ``a^{(1)}_2`` but not ``a^{(2)}_2``). A
superscript in parentheses is a layer; one that no form has (``h_j^2``) is a power, and the
symbol is what it is raised to. A transpose (``u^\top``) is the symbol and the transpose.

Scopes. An entry without a scope holds everywhere. ``scope: derivation/hidden-layer.md#ex-5-5``
holds for the formulas under that heading (an exercise), ``scope: errata.md`` on that page;
the narrowest scope wins, so an exercise can give a letter a meaning of its own without
defining it twice. An entry with ``text: nielsen`` is a symbol of that text of the crosswalk:
it holds inside an element ``data-notation="nielsen"`` (the crosswalk's cells and quotes).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import PluginError

from backprop_site import shortcodes
from backprop_site.steps import SUB

__all__ = [
    "Context", "Entry", "Marker", "Matcher", "Notation", "Problem", "Sym", "check",
    "crosswalk_table", "formula_contexts", "index_table", "load", "nav_pages",
    "notation_table", "worked_example_values",
]

ROOT = Path(__file__).resolve().parents[2]
#: The table, a YAML file in the docs (published with the site, for who wants the data).
TABLE = ROOT / "docs" / "notation.yml"

Tree = dict[str, Any]  # a formula's tree, as backprop_site/mathjax_svg.js describes it
Parse = Callable[[list[str]], list[Tree | None]]  # TeX forms to their trees (MathJax)


class NotationError(ValueError):
    """The table is wrong: the message names the entry (its line) and what to write."""


# ---------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class Entry:
    """One symbol as the formulas write it (one line of the table)."""

    tex: str
    means: str
    page: str  # the docs path of the page that first defines it
    code: str = ""
    shape: str = ""
    scope: tuple[str, ...] = ()  # "page.md" or "page.md#anchor"; () = everywhere
    text: str = ""  # a crosswalk text's symbol (nielsen, d2l, ...), "" = ours
    crosswalk: Mapping[str, str] = field(default_factory=dict)
    line: int = 0  # in the table, for messages
    index: bool = False  # an index letter (the table's indices:)

    def where(self) -> str:
        """``page.md, line 12`` (or the page alone), for messages."""
        return f"{TABLE.name}, line {self.line}" if self.line else TABLE.name


@dataclass(frozen=True)
class Text:
    """A text of the crosswalk."""

    key: str
    name: str  # as a column head: "Nielsen"
    cite: str  # Markdown: author, title, section, with a link


@dataclass
class Notation:
    """The whole table: our symbols, the other texts' and the index letters."""

    entries: list[Entry]
    indices: dict[str, str]  # index letter: what it counts
    texts: dict[str, Text]
    previews: list[str]  # pages that may show symbols ahead of the page defining them
    values_page: str  # the page whose symbols show the worked example's values
    values_skip: list[str]  # anchors under which they do not

    def ours(self) -> list[Entry]:
        """Our symbols (not the crosswalk texts'), without the index letters."""
        return [e for e in self.entries if not e.text and not e.index]


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records each mapping's line as ``__line__``."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(key): value for key, value in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)

_ENTRY_KEYS = {"tex", "means", "page", "code", "shape", "scope", "text", "crosswalk"}


def load(path: Path = TABLE) -> Notation:
    """The table of ``path``; NotationError names the line of an entry that is wrong."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    texts = {key: Text(key, str(t["name"]), str(t["cite"]))
             for key, t in data.get("texts", {}).items() if key != "__line__"}
    entries = []
    for raw in data["symbols"]:
        line = raw.pop("__line__")
        unknown = set(raw) - _ENTRY_KEYS
        if unknown:
            raise NotationError(f"{path.name}, line {line}: unknown key(s) {sorted(unknown)}; "
                                f"an entry has {sorted(_ENTRY_KEYS)}")
        missing = {"tex", "means"} - set(raw) or ({"page"} - set(raw) if not raw.get("text")
                                                 else set())
        if missing:
            raise NotationError(f"{path.name}, line {line}: the entry {raw.get('tex')!r} "
                                f"needs {sorted(missing)}")
        scope = raw.get("scope", ())
        scope = (scope,) if isinstance(scope, str) else tuple(scope)
        text = str(raw.get("text", ""))
        if text and text not in texts:
            raise NotationError(f"{path.name}, line {line}: text {text!r} is not one of the "
                                f"texts: {sorted(texts)}")
        crosswalk = {k: str(v) for k, v in raw.get("crosswalk", {}).items() if k != "__line__"}
        entries.append(Entry(
            tex=str(raw["tex"]), means=str(raw["means"]),
            page=str(raw.get("page", "crosswalk.md" if text else "")),
            code=str(raw.get("code", "")), shape=str(raw.get("shape", "")), scope=scope,
            text=text, crosswalk=crosswalk, line=line))
    indices = {}
    for letter, spec in data["indices"].items():
        if letter == "__line__":
            continue
        indices[str(letter)] = str(spec["means"])
        entries.append(Entry(tex=str(letter), means="an index: " + str(spec["means"]),
                             page=str(spec["page"]), line=spec["__line__"], index=True))
    values = data.get("values", {})
    return Notation(entries=entries, indices=indices, texts=texts,
                    previews=list(data.get("previews", [])),
                    values_page=str(values.get("page", "")),
                    values_skip=list(values.get("skip", [])))


# ---------------------------------------------------------------------------------------
# Symbols: what a formula's tree holds, and what a form of the table matches


@dataclass(frozen=True)
class Sym:
    r"""A symbol as written: its letter and its scripts.

    ``base`` is the letter (``"w"``, ``"δ"``, ``"bold:W"`` for ``\mathbf{W}``, ``"^:y"`` for
    ``\hat{y}``); ``sub`` the indices, one token each (``w_{11}``: ``("1", "1")``);
    ``sup`` the superscript's tokens and ``sup_kind`` how it is written: ``"(" `` in
    parentheses (a layer, ``a^{(1)}``), ``"^"`` plain (Nielsen's ``a^2``), ``"'"`` primes
    (``\sigma'``, the tokens are the primes), ``""`` none. A token is a string or, inside a
    gradient's subscript (``\nabla_{b^{(2)}}``), a symbol.
    """

    base: str
    sub: tuple[str | Sym, ...] = ()
    sup: tuple[str | Sym, ...] = ()
    sup_kind: str = ""

    def literals(self, variables: Iterable[str]) -> int:
        """How many of its parts are written out (not index letters): the more, the more
        specific a form is."""
        names = set(variables)
        return 1 + sum(t.literals(names) if isinstance(t, Sym) else t not in names
                       for t in (*self.sub, *self.sup))

    def name(self) -> str:
        """The symbol in plain text, with Unicode scripts where there are: ``a⁽¹⁾ⱼ``."""
        base = _base_text(self.base)
        sup = ""
        if self.sup_kind == "(":
            sup = _script(["(", *map(_token_text, self.sup), ")"], _SUP)
        elif self.sup_kind == "'":
            sup = "".join(map(_token_text, self.sup))
        elif self.sup_kind == "^":
            sup = _script([_token_text(t) for t in self.sup], _SUP)
        sub = _script([_token_text(t) for t in self.sub], _SUB, sep=",")
        return base + sup + sub


_SUB = {chr(digit): chr(sub) for digit, sub in SUB.items()} | dict(zip(
    "+-−=()aehijklmnoprstuvx", "₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
_SUP = dict(zip("0123456789+-−=()ijklnLT⊤",
                "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁱʲᵏˡⁿᴸᵀᵀ", strict=True))
_BOLD = {chr(c): chr(0x1D400 + i) for i, c in enumerate(range(ord("A"), ord("Z") + 1))} | {
    chr(c): chr(0x1D41A + i) for i, c in enumerate(range(ord("a"), ord("z") + 1))}
_ACCENTS = {"^": "\u0302", "ˆ": "\u0302", "~": "\u0303", "˜": "\u0303", "¯": "\u0304",
            "‾": "\u0305", "→": "\u20d7", "˙": "\u0307"}


def _base_text(base: str) -> str:
    if base.startswith("bold:"):
        return "".join(_BOLD.get(c, c) for c in base[5:])
    if ":" in base and len(base) > 2:
        accent, _, letter = base.partition(":")
        return letter + _ACCENTS.get(accent, "")
    return base


def _token_text(token: str | Sym) -> str:
    if isinstance(token, Sym):
        return token.name()
    return re.sub(r"\\text\{(.*?)\}", r"\1", token)


def _script(parts: list[str], table: dict[str, str], sep: str = "") -> str:
    """Scripts in Unicode (``ⱼ``, ``⁽¹⁾``), or ``_{...}`` where Unicode has no such letter."""
    if not parts or parts == ["(", ")"]:
        return ""
    joined = "".join(parts) if all(len(p) == 1 for p in parts) else sep.join(parts)
    if all(c in table or c == "," for c in joined):
        return "".join(table.get(c, c) for c in joined)
    mark = "_" if table is _SUB else "^"
    return mark + joined if len(joined) == 1 else mark + "{" + joined + "}"


def _key(token: Tree) -> str:
    """The letter of an mi (or an accent over one), as `Sym.base` writes it."""
    if token["k"] == "acc":
        return f"{token['a']}:{_key(token['b'])}"
    text = str(token["t"])
    variant = token.get("v")
    if (variant and variant != "normal") or (variant == "normal" and text.isascii() and \
            len(text) == 1 and text.isalpha()):
        return f"{variant}:{text}"
    return text


def _items(tree: Tree | None) -> list[Tree]:
    """The parts of a row (a script's contents), without empty rows (spaces)."""
    if tree is None:
        return []
    items = tree["c"] if tree["k"] == "r" else [tree]
    return [c for c in items if c["k"] != "r" or c["c"]]


def _is(tree: Tree, kind: str, *texts: str) -> bool:
    return bool(tree["k"] == kind and (not texts or tree.get("t") in texts))


_PRIMES = ("′", "″", "‴", "'")


def _tokens(items: list[Tree]) -> tuple[str | Sym, ...] | None:
    r"""The indices of a subscript (or a layer), one token each; None if it is not a list of
    indices (``e^{-a}``'s ``-a`` is one token; ``\nabla_{b^{(2)}}``'s a symbol)."""
    groups: list[list[Tree]] = [[]]
    for item in items:
        if _is(item, "o", ","):
            groups.append([])
        else:
            groups[-1].append(item)
    if len(groups) == 1 and not any(i["k"] == "o" for i in groups[0]):
        out: list[str | Sym] = []
        for item in groups[0]:
            if item["k"] == "n":
                out += list(str(item["t"]))  # w_{11}: two indices
            elif item["k"] in ("i", "acc"):
                out.append(_key(item))
            elif item["k"] == "x":
                out.append(f"\\text{{{item['t']}}}")
            elif item["k"] in ("sub", "sup", "subsup"):
                sym = _as_sym(item)
                if sym is None:
                    return None
                out.append(sym)
            else:
                return None
        return tuple(out)
    tokens: list[str | Sym] = []
    for group in groups:
        if not group or any(i["k"] not in ("i", "n", "o", "x") for i in group):
            return None
        tokens.append("".join(str(i["t"]) for i in group).replace("−", "-"))
    return tuple(tokens)


@dataclass(frozen=True)
class _Script:
    """A script node taken apart: the symbol (without a trailing transpose) and the ids."""

    sym: Sym | None  # None: not a symbol's form (its parts are read one by one)
    transpose: Tree | None  # the ⊤ at the end of the superscript


def _split(tree: Tree) -> _Script:
    base = tree["b"]
    if base["k"] not in ("i", "acc"):
        return _Script(None, None)
    sub = _tokens(_items(tree.get("s"))) if "s" in tree else ()
    sup_items = _items(tree.get("p"))
    transpose = None
    if sup_items and _is(sup_items[-1], "i", "⊤"):
        transpose, sup_items = sup_items[-1], sup_items[:-1]
    sup: tuple[str | Sym, ...] | None = ()
    kind = ""
    if sup_items:
        if _is(sup_items[0], "o", "(") and _is(sup_items[-1], "o", ")") and len(sup_items) > 2:
            kind, sup = "(", _tokens(sup_items[1:-1])
        elif all(_is(i, "o", *_PRIMES) for i in sup_items):
            kind, sup = "'", tuple("′" * len(str(i["t"])) if i["t"] == "'" else str(i["t"])
                                   for i in sup_items)
        else:
            kind, sup = "^", _tokens(sup_items)
    if sub is None or sup is None:
        return _Script(None, transpose)
    return _Script(Sym(_key(base), sub, sup, kind), transpose)


def _as_sym(tree: Tree) -> Sym | None:
    """The symbol a token or script of a tree writes (for a form of the table)."""
    if tree["k"] in ("i", "acc", "o"):
        return Sym(_key(tree) if tree["k"] != "o" else str(tree["t"]))
    if tree["k"] in ("sub", "sup", "subsup"):
        split = _split(tree)
        if split.transpose is not None:
            return None
        return split.sym
    return None


#: What an index letter of a form stands for: a number, a letter, or sums of them (l+1).
_INDEX = re.compile(r"[A-Za-z0-9]+(?:[+-][A-Za-z0-9]+)*")


def _bind(pattern: str | Sym, found: str | Sym, variables: set[str],
          bound: dict[str, str]) -> bool:
    if isinstance(pattern, str):
        if pattern in variables:
            if isinstance(found, Sym) or not _INDEX.fullmatch(found):
                return False  # an index letter stands for an index, not for \text{mean}
            return bound.setdefault(pattern, found) == found
        return pattern == found
    if not isinstance(found, Sym):
        return False
    if (pattern.base, pattern.sup_kind, len(pattern.sub), len(pattern.sup)) != \
            (found.base, found.sup_kind, len(found.sub), len(found.sup)):
        return False
    return all(_bind(p, f, variables, bound)
               for p, f in zip((*pattern.sub, *pattern.sup), (*found.sub, *found.sup),
                               strict=True))


@dataclass(frozen=True)
class Context:
    """Where a formula is: its page, the headings it is under, the text it quotes."""

    page: str
    anchors: tuple[str, ...] = ()
    text: str = ""  # inside data-notation="nielsen": that text's letters
    stepper: bool = False  # inside the step-through figure (its numbers can change)

    def under(self, anchor: str) -> bool:
        """Whether this context lies under the heading ``anchor``."""
        return anchor in self.anchors


@dataclass(frozen=True)
class Found:
    """A symbol of a formula, found in the table."""

    entry: Entry
    sym: Sym
    bound: Mapping[str, str]  # index letter of the form: index as the formula writes it

    def means(self) -> str:
        return _fill(self.entry.means, self.bound)

    def code(self) -> str:
        """The code's name for it, with the formula's indices: a number written in the
        formula counts from 1, in code from 0 (``w_{11}`` is ``w[0, 0]``)."""
        def index(match: re.Match[str]) -> str:
            value = self.bound.get(match.group(0), match.group(0))
            return str(int(value) - 1) if value.isdigit() else value

        return re.sub(r"\[[^\]]*\]", lambda brackets: re.sub(
            r"\b[A-Za-z]\b", index, brackets.group(0)), self.entry.code)


def _fill(text: str, bound: Mapping[str, str]) -> str:
    """``text`` with ``{i}``, ``{j}``... replaced by the indices the formula writes."""
    return re.sub(r"\{([A-Za-z])\}", lambda m: bound.get(m.group(1), m.group(1)), text)


@dataclass(frozen=True)
class Unknown:
    """A symbol of a formula that the table does not have."""

    sym: Sym
    tex: str = ""  # how to write its form in the table


class Matcher:
    """The table's forms, parsed by MathJax, and the symbols of formulas found among them."""

    def __init__(self, notation: Notation, parse: Parse) -> None:
        """A matcher of the table's symbols; ``parse`` gives formulas' trees."""
        self.notation = notation
        self.variables = set(notation.indices)
        trees = parse([e.tex for e in notation.entries])
        self.forms: dict[str, list[tuple[Sym, Entry]]] = {}
        for entry, tree in zip(notation.entries, trees, strict=True):
            sym = _as_sym(tree) if tree is not None else None
            if sym is None:
                raise NotationError(f"{entry.where()}: {entry.tex!r} is not one symbol "
                                    f"(a letter, with indices or a layer)")
            self.forms.setdefault(sym.base, []).append((sym, entry))

    def applies(self, entry: Entry, where: Context) -> int | None:
        """How narrowly ``entry`` holds at ``where`` (higher wins), or None if it does not."""
        if entry.text:
            return 3 if entry.text == where.text else None
        if not entry.scope:
            return 0
        best = None
        for scope in entry.scope:
            page, _, anchor = scope.partition("#")
            if page == where.page and (not anchor or where.under(anchor)):
                best = max(best or 0, 2 if anchor else 1)
        return best

    def find(self, sym: Sym, where: Context) -> Found | None:
        """The entry for ``sym`` at ``where``: the narrowest scope, then the most specific
        form."""
        best: tuple[tuple[int, int], Found] | None = None
        for form, entry in self.forms.get(sym.base, []):
            rank = self.applies(entry, where)
            if rank is None:
                continue
            bound: dict[str, str] = {}
            if not _bind(form, sym, self.variables, bound):
                continue
            score = (rank, form.literals(self.variables))
            if best is None or score > best[0]:
                best = (score, Found(entry, sym, bound))
        return best[1] if best else None

    def symbols(self, tree: Tree | None, where: Context
                ) -> tuple[list[tuple[int, Found]], list[Unknown]]:
        """The symbols of a formula: (id of its node, what it is), and those not found."""
        found: list[tuple[int, Found]] = []
        unknown: list[Unknown] = []

        def mark(node: Tree, sym: Sym) -> bool:
            hit = self.find(sym, where)
            if hit is not None:
                found.append((int(node["id"]), hit))
            return hit is not None

        def walk(node: Tree | None) -> None:
            if node is None:
                return
            kind = node["k"]
            if kind == "r":
                for child in node["c"]:
                    walk(child)
            elif kind == "o":
                mark(node, Sym(str(node["t"])))  # an operator is a symbol only if listed
            elif kind in ("i", "acc"):
                if kind == "i" and not node["t"]:
                    return  # MathJax's empty mi (an empty cell of an alignment)
                if not mark(node, Sym(_key(node))):
                    if kind == "acc":
                        walk(node["b"])
                    else:
                        unknown.append(Unknown(Sym(_key(node))))
            elif kind in ("sub", "sup", "subsup"):
                script(node)

        def script(node: Tree) -> None:
            split = _split(node)
            if split.transpose is not None:
                mark(split.transpose, Sym("⊤"))
            sym = split.sym
            if sym is None:  # (a^2)^\top, 10^{-9}, e^{-a}'s base is a letter but -a is not
                base = node["b"]
                if base["k"] in ("i", "acc") and "p" in node and "s" not in node:
                    walk(base)
                    walk(_strip_transpose(node.get("p")))
                    return
                walk(base)
                walk(node.get("s"))
                walk(_strip_transpose(node.get("p")))
                return
            whole = node if sym.sub or sym.sup else node["b"]
            if mark(whole, sym):
                return
            if sym.sup:  # a power (h_j^2) or primes of a function without a form (f')
                bare = Sym(sym.base, sym.sub)
                target = node if sym.sub else node["b"]
                if self.find(bare, where) is not None:
                    mark(target, bare)
                    if sym.sup_kind == "'":
                        for item in _items(_strip_transpose(node.get("p"))):
                            walk(item)
                    else:
                        walk(_strip_transpose(node.get("p")))
                    return
            if self.find(Sym(sym.base), where) is not None and sym.sub and \
                    any(isinstance(t, Sym) or (t not in self.variables and not t.isdigit())
                        for t in sym.sub):
                # \nabla_u: the gradient sign, then what it is taken with respect to
                mark(node["b"], Sym(sym.base))
                walk(node.get("s"))
                walk(_strip_transpose(node.get("p")))
                return
            unknown.append(Unknown(sym))

        walk(tree)
        return found, unknown


def _strip_transpose(tree: Tree | None) -> Tree | None:
    items = _items(tree)
    if items and _is(items[-1], "i", "⊤"):
        return {"k": "r", "c": items[:-1]}
    return tree


# ---------------------------------------------------------------------------------------
# Where each formula of a page is


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _Scanner(HTMLParser):
    """The formulas of a page (``arithmatex`` elements), each with its `Context`."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.headings: list[str] = [""] * 6
        self.stack: list[tuple[str, str, str, bool]] = []  # tag, text, scope page, stepper
        self.found: list[tuple[Context, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if re.fullmatch(r"h[1-6]", tag) and attr.get("id"):
            level = int(tag[1]) - 1
            self.headings[level:] = [attr["id"]] + [""] * (5 - level)
        top_text = self.stack[-1][1] if self.stack else ""
        top_scope = self.stack[-1][2] if self.stack else ""
        top_stepper = self.stack[-1][3] if self.stack else False
        classes = attr.get("class", "").split()
        text = attr.get("data-notation", top_text)
        scope = attr.get("data-notation-scope", top_scope)
        stepper = top_stepper or "bpd-stepper" in classes
        if "arithmatex" in classes and tag in ("span", "div"):
            page, _, anchor = scope.partition("#")
            anchors = (anchor,) if scope else tuple(h for h in self.headings if h)
            self.found.append((Context(page or self.page, anchors, text, stepper), attr))
        if tag not in _VOID:
            self.stack.append((tag, text, scope, stepper))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return


def formula_contexts(page_html: str, page: str) -> list[tuple[Context, dict[str, str]]]:
    """Each ``arithmatex`` element of ``page_html`` in order: where it is, and its
    attributes (a built page has its TeX in ``data-tex``)."""
    scanner = _Scanner(page)
    scanner.feed(page_html)
    scanner.close()
    return scanner.found


# ---------------------------------------------------------------------------------------
# Marking a page's formulas


_DATA_S = re.compile(r' data-s="(\d+)"')


class Marker:
    """One page's symbols: mark each formula's drawing, then `script` the page's list."""

    def __init__(self, matcher: Matcher, values: Mapping[str, Any] | None = None) -> None:
        """A marker for one page; ``values`` gives symbols their numbers there."""
        self.matcher = matcher
        self.values = values  # the worked example's arrays, on the page that shows them
        self.meanings: list[list[str]] = []  # [name, meaning, code, value]
        self.index: dict[tuple[str, ...], int] = {}
        self.unknown: list[tuple[Unknown, str]] = []  # and the formula's TeX

    def mark(self, svg: str, tree: Tree | None, where: Context, tex: str = "") -> str:
        """``svg`` (MathJax's container) with ``data-s`` kept on its symbols only, pointing
        at their meanings; none in the assistive MathML (the screen reader's copy)."""
        found, unknown = self.matcher.symbols(tree, where)
        self.unknown += [(u, tex) for u in unknown]
        ids = {node: self._meaning(hit, where) for node, hit in found}
        drawing, mml, rest = svg.partition("<mjx-assistive-mml")

        def keep(match: re.Match[str]) -> str:
            n = ids.get(int(match.group(1)))
            return f' data-s="{n}"' if n is not None else ""

        return _DATA_S.sub(keep, drawing) + mml + _DATA_S.sub("", rest)

    def _meaning(self, hit: Found, where: Context) -> int:
        value = ""
        code = hit.code()
        if self.values is not None and code and not where.stepper and \
                not any(where.under(a) for a in self.matcher.notation.values_skip) and \
                not re.search(r"[A-Za-z]", _indices_of(code)):
            value = _value(code, self.values)
        row = (hit.sym.name(), hit.means(), code, value)
        if row not in self.index:
            self.index[row] = len(self.meanings)
            self.meanings.append(list(row))
        return self.index[row]

    def script(self) -> str:
        """The page's meanings as JSON in an attribute of a hidden ``<div>`` (nothing if the
        page has none): data, not a script, so that instant navigation and the print edition
        carry it as it is."""
        if not self.meanings:
            return ""
        data = json.dumps(self.meanings, ensure_ascii=False, separators=(",", ":"))
        data = data.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&#39;")
        return f"<div class=\"bpd-symbols\" hidden data-meanings='{data}'></div>"


def _indices_of(code: str) -> str:
    """The part of a code name inside brackets: ``w[i, 0]`` -> ``i, 0``."""
    return " ".join(re.findall(r"\[([^\]]*)\]", code))


def _value(code: str, namespace: Mapping[str, Any]) -> str:
    import numpy as np

    try:
        value = eval(code, {"__builtins__": {}}, dict(namespace))
    except Exception:
        return ""
    array = np.asarray(value, dtype=float)
    if array.size > 6:
        return ""

    def number(v: float) -> str:
        short = f"{v:.4f}".rstrip("0").rstrip(".")  # 0.15, not 0.15000000
        return short if abs(float(short) - v) < 1e-12 else f"{v:.8f}"

    if array.ndim == 0:
        return number(float(array))
    rows = array.reshape(-1, array.shape[-1]) if array.ndim > 1 else array[None, :]
    text = "; ".join(", ".join(number(float(v)) for v in row) for row in rows)
    return f"[{text}]"


def worked_example_values() -> dict[str, Any]:
    """The worked example's arrays under their names in code, computed by the package:
    the forward pass, the gradients, and the deltas (for one sample, the bias gradients:
    (4.6) with the input 1)."""
    from backprop_doc import backward, forward, l2_loss
    from backprop_doc.example import ETA, b1, b2, t, u, w, x

    a1, h, a2, y = forward(x, w, b1, u, b2)
    dw, db1, du, db2 = backward(x, t, w, b1, u, b2)
    return {"x": x, "w": w, "b1": b1, "u": u, "b2": b2, "t": t, "eta": ETA, "a1": a1, "h": h,
            "a2": a2, "y": y, "L": l2_loss(y, t), "dw": dw, "db1": db1, "du": du, "db2": db2,
            "delta2": db2[None, :], "delta1": db1[None, :]}


# ---------------------------------------------------------------------------------------
# Define before use


@dataclass(frozen=True)
class Problem:
    """A symbol used on a page before the page that defines it."""

    page: str
    tex: str
    symbol: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}: in ${self.tex}$: {self.symbol}: {self.message}"


def nav_pages(nav: Any) -> list[str]:
    """The pages of a MkDocs ``nav`` (as mkdocs.yml writes it), in order."""
    out: list[str] = []
    if isinstance(nav, str):
        if nav.endswith(".md"):
            out.append(nav)
    elif isinstance(nav, list):
        for item in nav:
            out += nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            out += nav_pages(value)
    return out


def _suggest(sym: Sym, where: Context) -> str:
    return (f"add to docs/notation.yml: - {{tex: '{_tex(sym)}', code: '', shape: '', "
            f"page: {where.page}, means: '...'}}"
            + (f" (or, for this exercise only, with scope: {where.page}#{where.anchors[-1]})"
               if where.anchors and where.anchors[-1].startswith("ex-") else ""))


def _tex(sym: Sym) -> str:
    """A TeX form for a symbol (for a message: what to add to the table)."""
    base = sym.base
    if base.startswith("bold:"):
        base = f"\\mathbf{{{base[5:]}}}"
    elif ":" in base and len(base) > 2:
        base = f"\\hat{{{base.partition(':')[2]}}}"
    base = _TEX_OF.get(base, base)
    sup = ""
    if sym.sup_kind == "(":
        sup = "^{(" + "".join(map(_tok_tex, sym.sup)) + ")}"
    elif sym.sup_kind == "^":
        sup = "^{" + "".join(map(_tok_tex, sym.sup)) + "}"
    elif sym.sup_kind == "'":
        sup = "'" * sum(len(str(p)) for p in sym.sup)
    sub = "_{" + "".join(map(_tok_tex, sym.sub)) + "}" if sym.sub else ""
    return base + sup + sub


def _tok_tex(token: str | Sym) -> str:
    return _tex(token) if isinstance(token, Sym) else token


_TEX_OF = {"α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ϵ": r"\epsilon",
           "ε": r"\varepsilon", "η": r"\eta", "θ": r"\theta", "λ": r"\lambda", "μ": r"\mu",
           "σ": r"\sigma", "φ": r"\phi", "ϕ": r"\phi", "Ω": r"\Omega", "∇": r"\nabla",
           "∂": r"\partial", "∞": r"\infty", "⊤": r"\top"}


def check(pages: Sequence[tuple[str, list[tuple[Context, str, Tree | None]]]],
          matcher: Matcher, order: Sequence[str]) -> list[Problem]:
    """Every symbol of every formula in the table, and defined on its page or an earlier
    one of ``order`` (the nav). ``pages``: each page's formulas, as (where, TeX, tree)."""
    rank = {page: k for k, page in enumerate(order)}
    problems = []
    for page, formulas in pages:
        for where, tex, tree in formulas:
            found, unknown = matcher.symbols(tree, where)
            for miss in unknown:
                problems.append(Problem(page, tex, miss.sym.name(),
                                        "not in the table; " + _suggest(miss.sym, where)))
            if page in matcher.notation.previews:
                continue
            for _, hit in found:
                defined = hit.entry.page
                if rank.get(defined, len(order)) > rank.get(where.page, -1):
                    problems.append(Problem(
                        page, tex, hit.sym.name(),
                        f"used before {defined} defines it ({hit.entry.where()}); define it "
                        f"on {where.page} or earlier (set its page:), or use it later"))
    return problems


# ---------------------------------------------------------------------------------------
# The tables of the notation page, the net page and the crosswalk (Markdown)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _link(page: str, here: str) -> str:
    """A Markdown link from page ``here`` to ``page`` (docs paths), with the page's name."""
    import posixpath

    target, _, fragment = page.partition("#")
    rel = posixpath.relpath(target, posixpath.dirname(here) or ".")
    label = target.removesuffix(".md").removeprefix("derivation/")
    if fragment:
        exercise = re.fullmatch(r"ex-(\w)-(\d+)", fragment)
        label = (f"Exercise {exercise[1].upper()}.{exercise[2]}" if exercise
                 else f"{label}: {fragment.replace('-', ' ')}")
    return f"[{label}]({rel}{'#' + fragment if fragment else ''})"


def _means_of_form(entry: Entry) -> str:
    return _cell(re.sub(r"\{([A-Za-z])\}", r"\1", entry.means))


def _family(entry: Entry) -> tuple[str, tuple[str, ...]]:
    """Entries of one row: the same symbol before its indices (``x``, ``x_{i}``), and the
    same scope."""
    return entry.tex.split("_", 1)[0], entry.scope


def _rows(entries: list[Entry]) -> list[list[Entry]]:
    rows: list[list[Entry]] = []
    for entry in entries:
        if rows and _family(rows[-1][0]) == _family(entry):
            rows[-1].append(entry)
        else:
            rows.append([entry])
    return rows


def notation_table(notation: Notation, here: str, page: str = "", local: bool = False) -> str:
    """The table of our symbols for page ``here``: those that hold everywhere (of ``page``
    only, if given), or with ``local`` those that hold on one page or in one exercise.

    One row per symbol with its indexed forms. A local symbol's formulas sit in
    ``data-notation-scope``, so that they mean on this page what the table says."""
    head = "| symbol | in code | shape | meaning | " + ("where" if local else "first defined on")
    rows = [head + " |", "|---|---|---|---|---|"]
    chosen = [e for e in notation.ours() if bool(e.scope) == local and
              (not page or e.page == page)]
    for group in _rows(chosen):
        first = group[0]
        symbols = ", ".join(f"${e.tex}$" for e in group)
        means = _means_of_form(first) + "".join(
            f"; ${e.tex}$: {_means_of_form(e)}" for e in group[1:])
        if first.scope:
            symbols, means = (f'<span data-notation-scope="{first.scope[0]}">{cell}</span>'
                              for cell in (symbols, means))
            where = ", ".join(_link(s, here) for s in first.scope)
        else:
            where = _link(first.page, here)
        code = ", ".join(f"`{e.code}`" for e in group if e.code)
        rows.append(f"| {symbols} | {_cell(code)} | {_cell(first.shape)} | {means} | "
                    f"{where} |")
    return "\n".join(rows)


def index_table(notation: Notation) -> str:
    """The index letters and what each counts."""
    rows = ["| index | what it counts |", "|---|---|"]
    rows += [f"| ${letter}$ | {_cell(what)} |" for letter, what in notation.indices.items()]
    return "\n".join(rows)


def crosswalk_table(notation: Notation, texts: Sequence[str]) -> str:
    """Our symbols beside those of ``texts`` (keys of the table's ``texts:``); each text's
    cells in ``data-notation`` so that their letters mean what that text means."""
    for key in texts:
        if key not in notation.texts:
            raise NotationError(f"crosswalk: no text {key!r} in {TABLE.name}; the texts are "
                                f"{sorted(notation.texts)}")
    head = "| what | ours (rows) | " + " | ".join(notation.texts[k].name for k in texts) + " |"
    rows = [head, "|---" * (len(texts) + 2) + "|"]
    for entry in notation.ours():
        cw = entry.crosswalk
        if not cw or not any(k in cw for k in texts):
            continue
        ours = f"${entry.tex}$" + (f", {entry.shape}" if entry.shape and
                                   entry.shape != "scalar" else "")
        if "ours" in cw:
            ours = cw["ours"]
        cells = []
        for key in texts:
            cell = cw.get(key, "")
            cells.append(f'<span data-notation="{key}">{_cell(cell)}</span>' if "$" in cell
                         else _cell(cell))
        rows.append(f"| {_cell(cw.get('what', entry.means))} | {_cell(ours)} | "
                    + " | ".join(cells) + " |")
    return "\n".join(rows)


def texts_list(notation: Notation, texts: Sequence[str]) -> str:
    """A Markdown list citing ``texts`` (all of them if none given)."""
    keys = list(texts) or list(notation.texts)
    for key in keys:
        if key not in notation.texts:
            raise NotationError(f"no text {key!r} in {TABLE.name}; the texts are "
                                f"{sorted(notation.texts)}")
    return "\n".join(f"- {notation.texts[k].cite};" if n < len(keys) - 1 else
                     f"- {notation.texts[k].cite}." for n, k in enumerate(keys))


# ---------------------------------------------------------------------------------------
# The tables in the pages: ``<!-- md:notation KIND ARG ... -->`` alone on a line.
#
# * ``table``: our symbols, one row per symbol and its indexed forms (drawn, name in code,
#   shape, meaning, the page that defines it); ``table derivation/net.md``: only those
#   that page defines;
# * ``local``: the symbols that hold on one page or in one exercise only;
# * ``indices``: the index letters and what each counts;
# * ``crosswalk nielsen d2l goodfellow``: our symbols beside those texts';
#   ``texts nielsen d2l``: the list of those texts.
#
# The tables are Markdown, written before the page is rendered, so their formulas are
# drawn (and their symbols explained) like every other formula.


@functools.lru_cache(maxsize=1)
def _loaded(mtime_ns: int) -> Notation:
    """The table, read again when the file changes (``mkdocs serve``)."""
    return load()


@shortcodes.kind("notation")
def notation_shortcode(code: shortcodes.Shortcode, context: shortcodes.Context) -> str:
    """A notation table (see above); an unknown kind, text or page fails the build."""
    page = context.page.file.src_uri
    what, args = (code.args[0], list(code.args[1:])) if code.args else ("", [])
    try:
        table = _loaded(TABLE.stat().st_mtime_ns)
        if what == "table":
            if len(args) > 1:
                raise PluginError(f"{code.where}: give one page at most")
            if args and not any(e.page == args[0] for e in table.ours()):
                raise PluginError(f"{code.where}: no entry of docs/notation.yml has "
                                  f"page: {args[0]}")
            return notation_table(table, page, args[0] if args else "")
        if what == "local":
            return notation_table(table, page, local=True)
        if what == "indices":
            return index_table(table)
        if what == "crosswalk":
            return crosswalk_table(table, args)
        if what == "texts":
            return texts_list(table, args)
    except NotationError as exc:
        raise PluginError(f"{code.where}: {exc}") from exc
    raise PluginError(f"{code.where}: unknown kind {what!r}; the kinds are table, local, "
                      "indices, crosswalk, texts")
