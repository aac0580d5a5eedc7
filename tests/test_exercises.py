"""Exercises: on every page of the derivation (sections 2 to 6), the worked example and the
training page, each with a difficulty and one folded solution whose code is a doctest;
the generated Exercises page lists them all, and search finds them.

The Markdown sources are parsed here with a parser of their own, independent of
backprop_site/exercises.py (whose own checks are tested at the end, on hand-made pages).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from backprop_site import exercises as hook
from helpers import DOCS, PAGES, SOLUTION, Exercise, all_exercises, exercises, solution_lines

ROOT = Path(__file__).resolve().parents[1]
DIFFICULTIES = {"★☆☆ warm-up", "★★☆ practice", "★★★ challenge"}
@pytest.mark.parametrize("page", PAGES)
def test_each_page_has_three_to_six_exercises(page: str) -> None:
    found = exercises(page)
    assert 3 <= len(found) <= 6, f"{page}: {[e.number for e in found]}"
    assert "\n## Exercises\n" in (DOCS / page).read_text(encoding="utf-8")


def test_at_least_35_exercises_in_all() -> None:
    assert len(all_exercises()) >= 35


def test_every_exercise_heading_is_recognised() -> None:
    """No heading that starts "Exercise " escapes the pattern above (and so the counts)."""
    for page in PAGES:
        text = (DOCS / page).read_text(encoding="utf-8")
        headings = re.findall(r"^#+ Exercise .*$", text, re.M)
        assert len(headings) == len(exercises(page)), f"{page}: {headings}"


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda e: e.number)
def test_exercise_has_a_difficulty_and_one_solution_with_a_doctest(exercise: Exercise) -> None:
    assert exercise.difficulty in DIFFICULTIES, exercise.difficulty
    assert exercise.body.count(SOLUTION) == 1, "exactly one folded solution"
    solution = "\n".join(solution_lines(exercise))
    assert "    ```pycon\n" in solution, "the solution has no doctest block"
    assert "$" in solution, "the solution has no derivation in math"


def test_numbers_and_anchors_are_unique_and_in_order() -> None:
    found = all_exercises()
    anchors = [e.anchor for e in found]
    assert len(set(anchors)) == len(anchors)
    for page in PAGES:
        numbers = [e.number for e in exercises(page)]
        prefix = numbers[0].split(".")[0]
        assert numbers == [f"{prefix}.{k}" for k in range(1, len(numbers) + 1)], numbers
        assert [e.anchor for e in exercises(page)] == [
            f"ex-{n.lower().replace('.', '-')}" for n in numbers]


def collected_items(pages: list[str]) -> set[tuple[str, int]]:
    """(page, line) of every page doctest item that pytest collects."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *(f"docs/{p}" for p in pages)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    items = re.findall(r"^docs/(\S+)::sybil:pages,line:(\d+),column:\d+$", result.stdout, re.M)
    return {(page, int(line)) for page, line in items}


def test_every_solution_example_is_a_test_item_at_its_line() -> None:
    """Each ``>>>`` that starts an example in a solution is collected, at its page line."""
    items = collected_items(PAGES)
    missing, checked = [], 0
    for exercise in all_exercises():
        text = (DOCS / exercise.page).read_text(encoding="utf-8").split("\n")
        after = text[exercise.start_line - 1:]
        summary = exercise.start_line - 1 + next(
            i for i, line in enumerate(after) if line.startswith(SOLUTION))
        for offset, line in enumerate(solution_lines(exercise)):
            if line.startswith("    >>> "):
                where = (exercise.page, summary + offset + 1)
                checked += 1
                if where not in items:
                    missing.append(f"{exercise.number}: {where}")
    assert not missing, f"examples not collected at their line: {missing}"
    assert checked >= 5 * len(all_exercises()), checked


# --------------------------------------------------------------------------------------------
# The built site: the generated list, its links, the Run buttons' blocks, search
# --------------------------------------------------------------------------------------------


def html_of(built_site: Path, page: str) -> str:
    path = built_site / page.removesuffix(".md") / "index.html"
    return path.read_text(encoding="utf-8")


def test_exercises_page_lists_every_exercise_with_a_working_link(built_site: Path) -> None:
    html = html_of(built_site, "exercises.md")
    rows = re.findall(
        r"<tr>\s*<td>([^<]+)</td>\s*<td><a href=\"([^\"]+)\">([^<]+)</a></td>\s*"
        r"<td>([^<]+)</td>\s*</tr>", html)
    base = "http://site/exercises/"
    listed = {}
    for number, href, title, difficulty in rows:
        url = urlparse(urljoin(base, href))
        target = built_site / url.path.lstrip("/") / "index.html"
        assert target.is_file(), f"{number}: {href} has no page"
        assert f'id="{url.fragment}"' in target.read_text(encoding="utf-8"), (
            f"{number}: no anchor #{url.fragment} on {url.path}")
        listed[number] = (url.path.lstrip("/"), url.fragment, title, difficulty)
    expected = {e.number: (e.page.removesuffix(".md") + "/", e.anchor, e.title, e.difficulty)
                for e in all_exercises()}
    assert listed == expected
    assert f"<p>{len(expected)} exercises on {len(PAGES)} pages.</p>" in html


def test_exercises_page_is_in_the_nav_after_training(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)" class="md-nav__link\b', html)
    assert "training/" in hrefs and "exercises/" in hrefs
    assert hrefs.index("exercises/") == hrefs.index("training/") + 1


@pytest.mark.parametrize("page", PAGES)
def test_every_solution_is_folded_with_a_doctest_block_for_the_run_buttons(
    built_site: Path, page: str
) -> None:
    """run.js decorates every ``div.language-pycon``: each closed solution holds one."""
    html = html_of(built_site, page)
    details = re.findall(r'<details class="success">(.*?)</details>', html, re.S)
    assert len(details) == len(exercises(page))
    for body in details:
        assert "<summary>Solution</summary>" in body
        assert 'class="language-pycon highlight"' in body
        assert 'class="arithmatex"' in body


@pytest.mark.parametrize("word", ["softmax", "cross-entropy", "momentum"])
def test_search_index_finds_exercises(built_site: Path, word: str) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))
    locations = [d["location"] for d in index["docs"]
                 if word in (d["title"] + " " + d["text"]).lower()]
    on_exercises = [loc for loc in locations if "#ex-" in loc]
    assert on_exercises, f"{word!r} is indexed only at {locations}"


# --------------------------------------------------------------------------------------------
# backprop_site/exercises.py on hand-made pages
# --------------------------------------------------------------------------------------------




GOOD = """# 9. A page

```python
# Exercise 1.1: not a heading, code
```

## Exercises

### Exercise 9.1: First one (★☆☆ warm-up) { #ex-9-1 }

Text.

??? success "Solution"
    Math $a$.

### Exercise 9.2: Second one (★★★ challenge) { #ex-9-2 }

??? success "Solution"
    More.
"""


def test_hook_reads_the_exercises_of_a_page() -> None:
    found = hook.parse(GOOD)
    assert [(e.number, e.title, e.stars, e.level, e.anchor) for e in found] == [
        ("9.1", "First one", "★☆☆", "warm-up", "ex-9-1"),
        ("9.2", "Second one", "★★★", "challenge", "ex-9-2"),
    ]
    listing = hook.listing([("sub/page.md", GOOD)])
    assert listing.startswith("2 exercises on 1 pages.")
    assert "## [9. A page](sub/page.md)" in listing
    assert "| 9.2 | [Second one](sub/page.md#ex-9-2) | ★★★ challenge |" in listing


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('??? success "Solution"\n    More.', "No solution."), "has 0 folded solutions"),
        (("    More.", '    More.\n\n??? success "Solution"\n    Again.'),
         "has 2 folded solutions"),
        (("(★★★ challenge)", "(★★★ warm-up)"), "is not one of"),
        (("{ #ex-9-2 }", ""), "is not an exercise heading"),
        (("### Exercise 9.2", "#### Exercise 9.2"), "is not an exercise heading"),
    ],
    ids=["no-solution", "two-solutions", "wrong-difficulty", "no-anchor", "wrong-level"],
)
def test_hook_refuses_a_malformed_exercise(change: tuple[str, str], message: str) -> None:
    from mkdocs.exceptions import PluginError

    page = GOOD.replace(*change)
    assert page != GOOD
    with pytest.raises(PluginError, match=message):
        hook.parse(page)


def test_hook_refuses_an_anchor_used_twice() -> None:
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match="used twice"):
        hook.listing([("page.md", GOOD.replace("#ex-9-2", "#ex-9-1"))])
