"""The notation table (docs/notation.yml, backprop_site/notation.py) and the symbols it explains.

Without a browser: the table's forms match the symbols they should (and only those), every
symbol of every formula of the built site (the API reference included) is in the table and
defined on its page or an earlier one of the nav, the check can fail, the build's marks and
the worked example's values. MathJax (node, as the build runs it) parses the formulas.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pytest
import yaml
from mkdocs.exceptions import PluginError

from backprop_site import notation as nt
from backprop_site import shortcodes, typeset
from helpers import site_pages

ROOT = Path(__file__).resolve().parents[1]


def expand(markdown: str, page: str) -> str:
    """``markdown``'s shortcodes expanded as on ``page`` (the handlers read only its path)."""
    context = shortcodes.Context(cast(Any, SimpleNamespace(file=SimpleNamespace(src_uri=page))),
                                 cast(Any, None), cast(Any, None))
    return shortcodes.expand(markdown, "markdown", context)


@pytest.fixture(scope="module")
def renderer() -> Iterator[Any]:
    """One MathJax in node (backprop_site/typeset.py's), for the module."""
    running = typeset.Renderer()
    try:
        yield running
    finally:
        running.close()


def parser(renderer: Any) -> nt.Parse:
    def parse(texs: list[str]) -> list[Any]:
        trees: list[Any] = renderer.trees([(tex, False) for tex in texs])
        return trees

    return parse


@pytest.fixture(scope="module")
def table() -> nt.Notation:
    return nt.load()


@pytest.fixture(scope="module")
def matcher(table: nt.Notation, renderer: Any) -> nt.Matcher:
    return nt.Matcher(table, parser(renderer))


def symbols(matcher: nt.Matcher, renderer: Any, tex: str, page: str = "derivation/net.md",
            anchors: tuple[str, ...] = (), text: str = "") -> list[tuple[str, str, str]]:
    """(symbol, meaning, code) of each symbol found in ``tex``, and the unknown ones."""
    tree = renderer.trees([(tex, False)])[0]
    found, unknown = matcher.symbols(tree, nt.Context(page, anchors, text))
    return [(hit.sym.name(), hit.means(), hit.code()) for _, hit in found] + \
        [(miss.sym.name(), "UNKNOWN", "") for miss in unknown]


def nav_order() -> list[str]:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return nt.nav_pages(config["nav"])


def source_of(path: str) -> str:
    """The docs path of a built page's URL path: "derivation/net/" -> "derivation/net.md"."""
    return "index.md" if path in ("", "index.html") else path.rstrip("/") + ".md"


# ------------------------------------------------------------------ how forms match


def test_an_index_letter_stands_for_the_index_written(matcher: nt.Matcher,
                                                       renderer: Any) -> None:
    assert symbols(matcher, renderer, "w_{11}") == [
        ("w₁₁", "the weight from input 1 to hidden unit 1", "w[0, 0]")]
    assert symbols(matcher, renderer, "w_{kj}") == [
        ("wₖⱼ", "the weight from input k to hidden unit j", "w[k, j]")]
    assert symbols(matcher, renderer, r"u_{i+1,\,j+1}")[0][1] == \
        "the weight from hidden unit i+1 to output j+1"


def test_a_layer_is_written_out(matcher: nt.Matcher, renderer: Any) -> None:
    found = symbols(matcher, renderer, "a^{(1)}_2 + a^{(2)}_2")
    assert [name for name, _, _ in found] == ["a⁽¹⁾₂", "a⁽²⁾₂"]
    assert found[0][1].endswith("of hidden unit 2") and found[1][1].endswith("of output 2")
    assert symbols(matcher, renderer, r"\delta^{(l-1)}", page="derivation/generalization.md") \
        == [("δ⁽ˡ⁻¹⁾", "the deltas of layer l-1, ∂L/∂a⁽ˡ⁾", "")]


def test_a_power_a_transpose_and_a_gradient(matcher: nt.Matcher, renderer: Any) -> None:
    assert [n for n, _, _ in symbols(matcher, renderer, "1 - h_j^2")] == ["hⱼ"]
    assert [n for n, _, _ in symbols(matcher, renderer, r"h^\top \delta^{(2)}")] == \
        ["⊤", "h", "δ⁽²⁾"]
    assert symbols(matcher, renderer, r"e^{-a}") == [
        ("e", "Euler's number, e ≈ 2.718; eᵃ is the exponential", ""),
        ("a", "a weighted input (pre-activation): what a unit passes through σ", "")]
    names = [n for n, _, _ in symbols(matcher, renderer, r"\nabla_{b^{(2)}} L",
                                      page="derivation/output-layer.md")]
    assert names == ["∇_{b⁽²⁾}", "L"]


def test_an_index_letter_is_not_a_word(matcher: nt.Matcher, renderer: Any) -> None:
    r"""L_{\\text{mean}} is its own symbol, not "the loss of sample mean"."""
    assert symbols(matcher, renderer, r"L_{\text{mean}}", page="derivation/formulas.md")[0][1] \
        == "the loss averaged over the n samples of a batch, L / n"


def test_the_narrowest_scope_wins(matcher: nt.Matcher, renderer: Any) -> None:
    everywhere = symbols(matcher, renderer, r"\delta^{(2)}", page="derivation/hidden-layer.md")
    in_exercise = symbols(matcher, renderer, r"\delta^{(2)}", page="derivation/hidden-layer.md",
                          anchors=("exercises", "ex-5-5"))
    assert everywhere[0][1].startswith("the output deltas")
    assert in_exercise[0][1].startswith("the deltas of the second hidden layer")
    assert symbols(matcher, renderer, "y", page="crosswalk.md", text="nielsen")[0][1] \
        == "Nielsen: the desired output, the TARGET (our t)"
    assert symbols(matcher, renderer, "y", page="crosswalk.md")[0][1] == "the outputs, σ(a⁽²⁾)"


def test_a_symbol_not_in_the_table_is_reported(matcher: nt.Matcher, renderer: Any) -> None:
    assert symbols(matcher, renderer, r"\zeta_{ij}") == [("ζᵢⱼ", "UNKNOWN", "")]


# ------------------------------------------------------------------ define before use


def fake_table() -> nt.Notation:
    return nt.Notation(
        entries=[nt.Entry(tex="x", means="the inputs", page="one.md", line=1),
                 nt.Entry(tex="z", means="a later letter", page="two.md", line=2)],
        indices={"i": "an index"}, texts={}, previews=[], values_page="", values_skip=[])


def test_the_check_fails_on_an_undefined_symbol_and_on_one_used_too_early(
        renderer: Any) -> None:
    matcher = nt.Matcher(fake_table(), parser(renderer))
    tex = r"x + z + q_{i}"
    tree = renderer.trees([(tex, False)])[0]
    one = ("one.md", [(nt.Context("one.md", ("ex-1-1",)), tex, tree)])
    problems = [str(p) for p in nt.check([one], matcher, ["one.md", "two.md"])]
    assert problems == [
        "one.md: in $x + z + q_{i}$: qᵢ: not in the table; add to docs/notation.yml: "
        "- {tex: 'q_{i}', code: '', shape: '', page: one.md, means: '...'} (or, for this "
        "exercise only, with scope: one.md#ex-1-1)",
        "one.md: in $x + z + q_{i}$: z: used before two.md defines it (notation.yml, "
        "line 2); define it on one.md or earlier (set its page:), or use it later"]
    two = ("two.md", [(nt.Context("two.md"), "x + z", renderer.trees([("x + z", False)])[0])])
    assert nt.check([two], matcher, ["one.md", "two.md"]) == []


def built_formulas(built_site: Path, path: str) -> list[tuple[nt.Context, str, bool]]:
    page = built_site / path / "index.html" if path else built_site / "index.html"
    found = nt.formula_contexts(page.read_text(encoding="utf-8"), source_of(path))
    return [(where, html.unescape(attrs["data-tex"]), "\\[" in attrs.get("data-tex", ""))
            for where, attrs in found]


def test_every_symbol_of_every_page_is_defined_before_it_is_used(
        built_site: Path, matcher: nt.Matcher, renderer: Any) -> None:
    """Every formula of every built page, the API reference's docstrings included."""
    pages = []
    for path in site_pages(built_site):
        formulas = built_formulas(built_site, path)
        trees = renderer.trees([(tex, False) for _, tex, _ in formulas])
        pages.append((source_of(path), [(where, tex, tree) for (where, tex, _), tree
                                        in zip(formulas, trees, strict=True)]))
    assert sum(len(formulas) for _, formulas in pages) > 1000
    assert "reference.md" in [page for page, _ in pages]
    problems = nt.check(pages, matcher, nav_order())
    assert not problems, "\n".join(map(str, problems))


def test_every_entry_names_a_page_of_the_nav_and_scopes_headings_that_exist(
        built_site: Path, table: nt.Notation) -> None:
    order = nav_order()
    wrong = [f"{e.where()}: page {e.page}" for e in table.entries if e.page not in order]
    for entry in table.entries:
        for scope in entry.scope:
            page, _, anchor = scope.partition("#")
            built = built_site / page.removesuffix(".md") / "index.html"
            if page not in order:
                wrong.append(f"{entry.where()}: scope {scope}: no such page")
            elif anchor and f'id="{anchor}"' not in built.read_text(encoding="utf-8"):
                wrong.append(f"{entry.where()}: scope {scope}: no heading #{anchor} there")
    assert not wrong, "\n".join(wrong)


def test_a_wrong_entry_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "notation.yml"
    bad.write_text("indices: {}\nsymbols:\n  - {tex: x, page: a.md, means: m}\n"
                   "  - {tex: y, pgae: a.md, means: m}\n", encoding="utf-8")
    with pytest.raises(nt.NotationError,
                       match=r"notation.yml, line 4: unknown key\(s\) \['pgae'\]"):
        nt.load(bad)
    with pytest.raises(nt.NotationError, match=r"line 4: the entry 'y' needs \['page'\]"):
        bad.write_text("indices: {}\nsymbols:\n  - {tex: x, page: a.md, means: m}\n"
                       "  - {tex: y, means: m}\n", encoding="utf-8")
        nt.load(bad)


def test_a_form_that_is_not_one_symbol_is_refused(renderer: Any) -> None:
    table = nt.Notation(entries=[nt.Entry(tex="x + y", means="m", page="a.md", line=7)],
                       indices={}, texts={}, previews=[], values_page="", values_skip=[])
    with pytest.raises(nt.NotationError, match="line 7: 'x \\+ y' is not one symbol"):
        nt.Matcher(table, parser(renderer))


# ------------------------------------------------------------------ the pages it writes


def test_placeholders_write_the_tables_and_refuse_unknown_kinds() -> None:
    net = expand("<!-- md:notation table derivation/net.md -->", "derivation/net.md")
    assert "| $x$, $x_{i}$, $x_{si}$ | `x`, `x[0, i]`, `x[s, i]` | $1 \\times d$ |" in net
    assert "$\\delta^{(2)}$" not in net  # defined on the output layer's page
    cross = expand("<!-- md:notation crosswalk nielsen mazur -->", "crosswalk.md")
    assert cross.splitlines()[0] == "| what | ours (rows) | Nielsen | Mazur |"
    assert '<span data-notation="nielsen">$y$</span>' in cross
    with pytest.raises(PluginError, match="unknown kind 'tabel'"):
        expand("<!-- md:notation tabel -->", "notation.md")
    with pytest.raises(PluginError, match="no text 'knuth'"):
        expand("<!-- md:notation crosswalk knuth -->", "crosswalk.md")
    with pytest.raises(PluginError, match=r"no entry of docs/notation\.yml has page: nope\.md"):
        expand("<!-- md:notation table nope.md -->", "notation.md")


def test_the_notation_page_shows_every_symbol_and_links_the_crosswalk(
        built_site: Path, table: nt.Notation) -> None:
    page = (built_site / "notation" / "index.html").read_text(encoding="utf-8")
    shown = {html.unescape(t) for t in re.findall(r'data-tex="([^"]*)"', page)}
    missing = [e.tex for e in table.entries if not e.text and e.tex not in shown]
    assert not missing, missing
    assert 'href="../crosswalk/"' in page
    crosswalk = (built_site / "crosswalk" / "index.html").read_text(encoding="utf-8")
    assert 'href="../notation/"' in crosswalk
    for text in table.texts.values():
        assert f"<th>{html.escape(text.name)}</th>" in crosswalk, text.name


# ------------------------------------------------------------------ the marks in the pages


def meanings_of(page_html: str) -> list[list[str]]:
    found = re.findall(r'<div class="bpd-symbols" hidden data-meanings=\'([^\']*)\'>',
                       page_html)
    assert len(found) == 1
    data: list[list[str]] = json.loads(html.unescape(found[0]))
    return data


@pytest.mark.parametrize("path", ["derivation/hidden-layer", "reference", "worked-example"])
def test_symbols_are_marked_in_the_drawing_and_their_meanings_listed_once(
        built_site: Path, path: str) -> None:
    page = (built_site / path / "index.html").read_text(encoding="utf-8")
    meanings = meanings_of(page)
    assert len({tuple(m) for m in meanings}) == len(meanings)
    marks = [int(n) for n in re.findall(r'<g [^>]*data-s="(\d+)"', page)]
    assert marks and max(marks) < len(meanings) and set(marks) == set(range(len(meanings)))
    for mml in re.findall(r"<mjx-assistive-mml.*?</mjx-assistive-mml>", page, re.S):
        assert "data-s=" not in mml


def test_the_step_through_figures_marks_are_kept(built_site: Path) -> None:
    page = (built_site / "worked-example" / "index.html").read_text(encoding="utf-8")
    marked = re.findall(r'<g [^>]*data-s="\d+"[^>]*class="[^"]*\bsym-u11\b', page)
    assert len(marked) >= 2  # (4.6) and (5.7), and the figure's steps


def test_the_worked_examples_values_are_numpys(built_site: Path) -> None:
    """The values the worked example shows, against the example computed here."""
    page = (built_site / "worked-example" / "index.html").read_text(encoding="utf-8")
    values = {name: value for name, _, _, value in meanings_of(page) if value}
    x, t = np.array([0.5, 1.0]), np.array([0.01, 0.99])
    w = np.array([[0.15, 0.20, 0.25], [0.30, 0.35, 0.40]])
    u = np.array([[0.40, 0.45], [0.50, 0.55], [0.60, 0.65]])
    h = 1 / (1 + np.exp(-(x @ w + 0.35)))
    y = 1 / (1 + np.exp(-(h @ u + 0.60)))
    delta2 = (y - t) * y * (1 - y)
    delta1 = (u @ delta2) * h * (1 - h)
    expected = {"h₁": [h[0]], "y₂": [y[1]], "x₁": [0.5], "w₁₁": [0.15], "u₁₂": [0.45],
                "t₂": [0.99], "η": [0.5], "h": h, "δ⁽²⁾": delta2, "δ⁽¹⁾": delta1,
                "∇ᵤ": np.outer(h, delta2).ravel()}
    # the page's formulas name these symbols; the vectors' values show where a formula
    # names a whole row (none on today's page), so they are checked if they are there
    assert {"h₁", "y₂", "x₁", "w₁₁", "u₁₂", "t₂"} <= set(values), sorted(values)
    checked = 0
    for name, value in expected.items():
        if name not in values:
            continue
        shown = [float(v) for v in re.split(r"[\[\],; ]+", values[name]) if v]
        assert shown == pytest.approx(list(value), abs=5e-9), name
        checked += 1
    assert checked >= 6
    assert values["h₁"] == "0.67370710"


def test_no_value_shows_where_the_numbers_are_not_the_examples(built_site: Path) -> None:
    """In the exercises (W.4's batch) and in the step-through figure (the reader's own
    numbers), the meanings come without values."""
    page = (built_site / "worked-example" / "index.html").read_text(encoding="utf-8")
    meanings = meanings_of(page)
    exercises = page[page.index('id="exercises"'):]
    start = page.index('class="bpd-stepper"')
    figure = page[start:page.index('class="bpd-stepper-hover"', start)]
    for part in (exercises, figure):
        used = {int(n) for n in re.findall(r'data-s="(\d+)"', part)}
        assert used and all(not meanings[n][3] for n in used)
