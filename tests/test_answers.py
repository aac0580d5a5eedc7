"""The answer cells in the built site (``backprop_site/answers.py``), without a browser.

* every exercise with a checker has exactly one answer cell, in its own section, right
  after its "Your answer" paragraph and before its folded solution, holding its starter as
  a plain code block (what a page shows without JavaScript); no other exercise has one;
  every page of the derivation, the worked example and training has at least two;
* the checkers reach the browser as ``run/checks.zip``, listed in the Run buttons'
  manifest: it holds every module of ``backprop_site/checks/`` (and the package's
  ``__init__``) byte for byte, the same bytes on every build, and the modules import and
  check an answer from a folder that holds nothing else;
* the build refuses a checked exercise whose heading or "Your answer" paragraph is missing;
* the Exercises page says, under each page's list, which of its exercises have a cell.

The browser half (typing answers, Check, Stop, local storage) is tests/test_answer_cells.py.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from html import unescape
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from backprop_site import answers, checks, exercises
from helpers import site_pages

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ROOT / "src" / "backprop_site" / "checks"
EXERCISE = re.compile(r'<h3 id="(?P<anchor>ex-(?P<page>[0-9a-z]+)-(?P<k>\d+))"')
CELL = re.compile(r'<div class="answer-cell" id="answer-(?P<anchor>[a-z0-9-]+)" '
                  r'data-exercise="(?P<exercise>[^"]+)">(?P<body>.*?)</noscript></div>', re.S)


def page_html(site: Path, src_uri: str) -> str:
    return (site / src_uri.removesuffix(".md") / "index.html").read_text(encoding="utf-8")


def section_of(html: str, anchor: str) -> str:
    """The HTML of an exercise's section: from its heading to the next one (or the end)."""
    start = html.index(f'<h3 id="{anchor}"')
    end = re.compile(r"<h[1-3][ >]|</article>").search(html, start + 4)
    assert end is not None, anchor
    return html[start:end.start()]


def exercise_pages(site: Path) -> dict[str, list[tuple[str, str]]]:
    """Each built page with exercises (its path below the site): (number, anchor) of each,
    read from its headings (``ex-4-2`` is Exercise 4.2, ``ex-w-1`` W.1)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for path in site_pages(site):
        html = (site / path / "index.html").read_text(encoding="utf-8")
        for m in EXERCISE.finditer(html):
            found.setdefault(path, []).append((f"{m['page'].upper()}.{m['k']}", m["anchor"]))
    return found


def test_every_checked_exercise_has_one_cell_after_its_answer_paragraph(
        built_site: Path) -> None:
    pages = exercise_pages(built_site)
    assert sorted(n for found in pages.values() for n, _ in found) == sorted(
        [*checks.CHECKED, *checks.UNCHECKED])
    for path, found in pages.items():
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        for number, anchor in found:
            section = section_of(html, anchor)
            cells = list(CELL.finditer(section))
            if number not in checks.CHECKED:
                assert not cells, number
                continue
            assert [c["exercise"] for c in cells] == [number]
            cell = cells[0]
            assert cell["anchor"] == anchor.removeprefix("ex-")
            before = section[:cell.start()]
            assert re.search(r"<p>Your answer:(?:(?!<p>).)*</p>$", before, re.S), number
            assert section.index("<details") > cell.end(), "the cell comes before the solution"
            code = re.search(r"<pre><code>(.*?)</code></pre>", cell["body"], re.S)
            assert code and unescape(code[1]) == checks.starter(number)
        # Every page of the derivation, the worked example and training: two at least.
        assert len([n for n, _ in found if n in checks.CHECKED]) >= 2, path
    assert len(pages) >= 7


def test_no_page_has_a_cell_of_an_exercise_it_does_not_hold(built_site: Path) -> None:
    seen = []
    for page in sorted(built_site.rglob("index.html")):
        if page.relative_to(built_site).parts[0] == "print":
            continue
        seen += [c["exercise"] for c in CELL.finditer(page.read_text(encoding="utf-8"))]
    assert sorted(seen) == sorted(checks.CHECKED)


def test_the_checks_reach_the_browser_as_one_zip_in_the_manifest(built_site: Path) -> None:
    manifest = json.loads((built_site / "run" / "manifest.json").read_text())
    entry = next(f for f in manifest["files"] if f["name"] == "checks.zip")
    data = (built_site / entry["url"]).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(["backprop_site/__init__.py"]
                               + [f"backprop_site/checks/{p.name}" for p in CHECKS.glob("*.py")])
        for name in names:
            source = ROOT / "src" / name
            assert archive.read(name) == source.read_bytes(), name
    assert answers.archive_bytes() == data, "the zip changes from one build to the next"


def test_the_zip_imports_and_checks_on_its_own(tmp_path: Path) -> None:
    """Unpacked alone, as the worker unpacks it into site-packages: the checks need no
    other module of backprop_site (the worker has none), only backprop_doc and NumPy."""
    with zipfile.ZipFile(io.BytesIO(answers.archive_bytes())) as archive:
        archive.extractall(tmp_path)
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"  # the folder, first: not the repo's
        "import json, backprop_site.checks as c\n"
        "assert c.__file__.startswith(sys.argv[1]), c.__file__\n"
        "print(json.loads(c.check_json('3.2', 'def tanh_derivative(a):\\n"
        "    return 1 - np.tanh(a) ** 2\\nimport numpy as np\\n'))['ok'])\n")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_a_checked_exercise_without_its_heading_or_paragraph_fails_the_build() -> None:
    def section(k: int, paragraph: str = "Your answer: x") -> str:
        return f'<h3 id="ex-4-{k}">Exercise 4.{k}</h3><p>{paragraph}</p>'

    page = "derivation/output-layer.md"  # exercises 4.1 to 4.4, all checked
    whole = "".join(section(k) for k in (1, 2, 3, 4))
    assert answers.insert_cells(whole, page).count('class="answer-cell"') == 4
    with pytest.raises(PluginError, match=r"Exercise 4\.2 .*no heading #ex-4-2"):
        answers.insert_cells(whole.replace(section(2), ""), page)
    with pytest.raises(PluginError, match=r"Exercise 4\.3 .*'Your answer:'"):
        answers.insert_cells(whole.replace(section(3), section(3, "Answer: x")), page)


def test_the_exercises_page_says_which_exercises_have_a_cell(built_site: Path) -> None:
    html = page_html(built_site, "exercises.md")
    sections = html.split("<h2")[1:]
    lines = [re.search(r'<p class="answer-progress" data-exercises="([^"]+)">([^<]+)</p>', part)
             for part in sections]
    assert len([m for m in lines if m]) == len(exercise_pages(built_site))
    listed: list[str] = []
    for part, line in zip(sections, lines, strict=True):
        if line is None:
            continue
        rows = re.findall(r'<a href="[^"#]*#ex-([0-9a-z]+)-(\d+)"', part)
        numbers = [f"{p.upper()}.{k}" for p, k in rows]
        ids = line[1].split()
        assert ids == [n for n in numbers if n in checks.CHECKED]
        assert line[2].startswith(f"{len(ids)} of these {len(numbers)} exercises ")
        listed += ids
    assert sorted(listed) == sorted(checks.CHECKED)


def test_a_page_without_checked_exercises_gets_no_progress_line() -> None:
    assert exercises.progress_line(["9.1", "9.2"]) == ""
    assert "1 of these 2 exercises has an answer cell" in exercises.progress_line(["9.1", "2.1"])
