"""The content contract: every formula of derivation.md is on the site, with its code and a
doctest, and every number the prose quotes is the output of a doctest on the same page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
DERIVATION_PAGES = sorted((DOCS / "derivation").glob("*.md"))
# A copy of the contract travels with the repository, so a clone anywhere can run the
# tests; where the shared original sits beside the clone, the copy must equal it.
CONTRACT = ROOT / "tests" / "data" / "derivation.md"
SHARED_CONTRACT = ROOT.parent / "shared" / "derivation.md"

FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```",
                   re.S | re.M)
TAG = re.compile(r"\\tag\{(\d+\.\d+)\}")
SNIPPET = re.compile(r'--8<-- "(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"')


def contract_numbers() -> list[str]:
    """The equation numbers of derivation.md, e.g. ['2.1', ..., '6.3']."""
    return re.findall(r"^- \((\d+\.\d+)\)", CONTRACT.read_text(encoding="utf-8"), re.M)


def test_contract_copy_equals_the_shared_original() -> None:
    if not SHARED_CONTRACT.exists():
        pytest.skip(f"no shared/ beside this clone ({SHARED_CONTRACT}); the copy stands alone")
    assert CONTRACT.read_bytes() == SHARED_CONTRACT.read_bytes()


def tagged_formulas() -> dict[str, tuple[Path, int]]:
    r"""Every \\tag{n} on the derivation pages: number -> (page, offset in the page)."""
    found: dict[str, tuple[Path, int]] = {}
    for page in DERIVATION_PAGES:
        text = page.read_text(encoding="utf-8")
        for m in TAG.finditer(text):
            assert m.group(1) not in found, f"({m.group(1)}) is tagged twice"
            found[m.group(1)] = (page, m.start())
    return found


def test_contract_lists_the_seed_formulas() -> None:
    numbers = contract_numbers()
    assert len(numbers) == 26, numbers
    assert numbers[0] == "2.1" and numbers[-1] == "6.3"


@pytest.mark.parametrize("number", contract_numbers())
def test_every_formula_is_on_a_derivation_page(number: str) -> None:
    assert number in tagged_formulas(), f"formula ({number}) of derivation.md is not on the site"


#: Formulas with no code tab of their own, and why. A statement of the chain rule, a link read
#: off an earlier formula, or an open question is not something code computes on its own;
#: the three formulas of section 6 share one listing of the recursion, shown once after them,
#: whose comments name each formula.
NO_TAB: dict[str, str] = {
    "4.2": "the chain rule stated: (4.3) to (4.6) compute it",
    "4.5": "read off (2.3); the page checks it by a nudge",
    "4.7": "the first line of (4.1)'s tab, with the gradient of (4.6); shown once per page",
    "5.1": "the chain rule stated: (5.2) to (5.8) compute it",
    "5.3": "read off (2.1); the page checks it by a nudge",
    "5.4": "an open question; the page measures it by nudging",
    "5.5": "the chain rule stated; (5.7)'s code computes it",
    "5.6": "computed by (5.7)'s code, one line of which it is",
    "6.1": "src/backprop_doc/backprop.py:backprop",
    "6.2": "src/backprop_doc/backprop.py:backprop",
    "6.3": "src/backprop_doc/backprop.py:backprop",
}


def _following(number: str) -> tuple[Path, str]:
    """The page of formula ``number`` and its text from the formula's display to the next
    numbered formula of the page (formulas tagged in one display share what follows)."""
    tags = tagged_formulas()
    page, at = tags[number]
    text = page.read_text(encoding="utf-8")
    display_end = text.index("$$", at)
    next_display = min(
        (pos for p, pos in tags.values() if p == page and pos > display_end), default=len(text)
    )
    return page, text[display_end:next_display]


@pytest.mark.parametrize("number", contract_numbers())
def test_every_formula_has_its_code_and_a_doctest(number: str) -> None:
    """After the formula: a NumPy tab that includes package source (unless NO_TAB says why
    not), then a doctest block before the next numbered formula of the page."""
    page, following = _following(number)
    assert "```pycon" in following, f"({number}) on {page.name} has no doctest after it"
    numpy_tab = following.find('=== "NumPy"')
    if number in NO_TAB:
        assert numpy_tab == -1, f"({number}) has a NumPy tab: remove it from NO_TAB"
        return
    assert numpy_tab != -1, f"({number}) on {page.name} has no NumPy tab after it"
    assert SNIPPET.search(following[numpy_tab:]), f"({number}): its NumPy tab includes no source"


@pytest.mark.parametrize("number", [n for n, why in NO_TAB.items() if why.startswith("src/")])
def test_shared_listing_is_on_the_page_once_and_names_the_formula(number: str) -> None:
    """(6.1) to (6.3) share one listing: on their page once, its source naming each."""
    page, _ = tagged_formulas()[number]
    path, section = NO_TAB[number].split(":")
    assert page.read_text(encoding="utf-8").count(f'--8<-- "{path}:{section}"') == 1
    body = (ROOT / path).read_text(encoding="utf-8")
    inside = body.split(f"[start:{section}]")[1].split(f"[end:{section}]")[0]
    assert f"({number})" in inside, f"the listing {section} does not name ({number})"


def all_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", all_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_a_snippet_is_shown_once_per_page(page: Path) -> None:
    """Said once: a page does not show the same listing twice (highlighting other lines of
    it for another formula included)."""
    found = [m.group(0) for m in SNIPPET.finditer(page.read_text(encoding="utf-8"))]
    repeated = sorted({f for f in found if found.count(f) > 1})
    assert not repeated, f"{page.name} shows these listings more than once: {repeated}"


@pytest.mark.parametrize("page", all_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_snippets_name_existing_sections_of_the_package(page: Path) -> None:
    for m in SNIPPET.finditer(page.read_text(encoding="utf-8")):
        source = ROOT / m.group("path")
        assert source.is_file(), f"{page.name}: {m.group('path')} does not exist"
        assert m.group("path").startswith("src/"), f"{page.name}: snippets come from src/"
        if m.group("section"):
            body = source.read_text(encoding="utf-8")
            for mark in ("start", "end"):
                needle = f"# --8<-- [{mark}:{m.group('section')}]"
                assert needle in body, f"{page.name}: {needle} missing in {m.group('path')}"


def doctest_outputs(text: str) -> str:
    """The expected-output lines of a page's pycon blocks, joined."""
    lines = []
    for m in FENCE.finditer(text):
        if m.group("lang") == "pycon":
            for line in m.group("body").splitlines():
                stripped = line.strip()
                if stripped and not stripped.startswith((">>>", "...")):
                    lines.append(stripped)
    return "\n".join(lines)


def prose(text: str) -> str:
    """The page without code blocks, math, HTML attributes and link targets."""
    text = FENCE.sub("", text)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", "", text)
    text = re.sub(r"`[^`\n]+`", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"<[^>]+>", "", text)


QUOTED_NUMBER = re.compile(r"(?<![\w.])-?\d+\.\d{3,}(?:e-?\d+)?")


@pytest.mark.parametrize("page", all_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_numbers_in_prose_are_doctest_outputs(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    outputs = doctest_outputs(text)
    missing = [n for n in QUOTED_NUMBER.findall(prose(text)) if n not in outputs]
    assert not missing, f"{page.name} quotes numbers no doctest on it prints: {missing}"


def test_prose_number_check_can_fail() -> None:
    page = "The loss is 0.351854 here.\n\n```pycon\n>>> 1\n1\n```\n"
    assert QUOTED_NUMBER.findall(prose(page)) == ["0.351854"]
    assert "0.351854" not in doctest_outputs(page)
