"""The pages are doctest files: Python's own ways of running a text file's doctests pass.

* Every ```` ```pycon ```` block ends with a blank line before its closing fence, so that
  ``doctest`` does not read the fence as expected output (``backprop_site/pycon_fences.py``,
  which says how to fix a page that breaks it).
* ``python -m doctest docs/PAGE.md``, without flags, passes on every page with examples.
* ``pytest --doctest-glob="*.md" docs``, pytest's own doctest runner with the project's
  configuration, passes on every page.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_site.pycon_fences import FIX_COMMAND, blocks, fix, problems

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
               if blocks(p.read_text(encoding="utf-8")))


def test_the_site_has_pages_with_examples() -> None:
    assert len(PAGES) >= 9 and "worked-example.md" in PAGES


@pytest.mark.parametrize("page", PAGES)
def test_every_pycon_block_ends_with_a_blank_line(page: str) -> None:
    found = problems((DOCS / page).read_text(encoding="utf-8"), f"docs/{page}")
    assert not found, "\n".join(found)


def test_fix_adds_the_blank_line_at_any_indent_and_nothing_else() -> None:
    page = ("# Title\n\n```pycon\n>>> 1\n1\n```\n\n```python\nx = 1\n```\n\n"
            '??? success "Solution"\n\n    ```pycon\n    >>> 2\n    2\n    ```\n\n'
            "```pycon\n>>> 3\n3\n\n```\n")
    fixed = fix(page)
    assert fixed == page.replace(">>> 1\n1\n```", ">>> 1\n1\n\n```").replace(
        "    2\n    ```", "    2\n\n    ```")
    assert fix(fixed) == fixed and problems(fixed) == []


def test_a_block_without_the_blank_line_is_named_with_the_fix() -> None:
    (message,) = problems("Text\n\n```pycon\n>>> 1\n1\n```\n", "docs/x.md")
    assert message.startswith("docs/x.md:6: the pycon block of line 3 needs a blank line")
    assert f"run `{FIX_COMMAND}`" in message


@pytest.mark.integration
def test_the_fix_command_fixes_a_page_in_place(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```pycon\n>>> 1\n1\n```\n", encoding="utf-8")
    command = [sys.executable, "-m", "backprop_site.pycon_fences"]
    checked = subprocess.run([*command, "--check", str(page)], cwd=ROOT, capture_output=True,
                             text=True, check=False)
    assert checked.returncode == 1 and "needs a blank line" in checked.stdout
    subprocess.run([*command, str(page)], cwd=ROOT, check=True, capture_output=True)
    assert page.read_text(encoding="utf-8") == "```pycon\n>>> 1\n1\n\n```\n"


def plain_doctest(page: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m doctest PAGE``, no flags, from outside the repository: the package comes
    from the environment (installed), as for a reader."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-m", "doctest", str(page)], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


@pytest.mark.integration
@pytest.mark.parametrize("page", PAGES)
def test_python_m_doctest_passes_on_every_page(page: str, tmp_path: Path) -> None:
    result = plain_doctest(DOCS / page, tmp_path)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


@pytest.mark.integration
def test_python_m_doctest_fails_on_a_changed_number(tmp_path: Path) -> None:
    text = (DOCS / "derivation" / "net.md").read_text(encoding="utf-8")
    assert "0.725" in text
    changed = tmp_path / "net.md"
    changed.write_text(text.replace("0.725", "0.726", 1), encoding="utf-8")
    result = plain_doctest(changed, tmp_path)
    assert result.returncode == 1 and "Expected:" in result.stdout


@pytest.mark.integration
def test_pytest_doctest_glob_runs_and_passes_every_page() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--doctest-glob=*.md", "docs", "-p", "no:cacheprovider",
         "-q", "-rA", "--no-header"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    passed = set(re.findall(r"^PASSED docs/(\S+)::\S+\.md$", result.stdout, re.M))
    assert passed == set(PAGES), sorted(set(PAGES) ^ passed)
