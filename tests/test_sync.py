"""Text and code stay in sync both ways: the page doctests fail when a formula in the
package changes, and when a number on a page changes.

Each case copies the package and the pages into a temporary tree, makes one small edit,
and runs the page doctests there in a fresh pytest process whose imports come from the
copy. An unedited copy must pass, so a failure can only come from the edit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
PAGE = "docs/derivation/output-layer.md"


def copy_tree(dest: Path) -> Path:
    for name in ("src", "docs"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


def run_page_doctests(tree: Path, page: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    command = [sys.executable, "-m", "pytest", page, "-q", "-p", "no:cacheprovider",
               "-o", "addopts=", "--rootdir", str(tree), "-c", str(tree / "pyproject.toml")]
    return subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True,
                          check=False, timeout=300)


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"expected {old!r} exactly once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_unedited_copy_passes(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    result = run_page_doctests(tree, PAGE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
    # The copy's package is the one imported, not the installed one.
    probe = subprocess.run(
        [sys.executable, "-c", "import backprop_doc; print(backprop_doc.__file__)"],
        env={**os.environ, "PYTHONPATH": str(tree / "src")}, capture_output=True, text=True,
        check=True,
    )
    assert probe.stdout.strip().startswith(str(tree))


@pytest.mark.parametrize(
    ("source", "old", "new", "page"),
    [
        # (4.6): drop the sigmoid's derivative from the output delta of the backward pass,
        # which the worked example checks against nudging every parameter
        ("src/backprop_doc/net.py", "delta2 = (y - t) * y * (1 - y)", "delta2 = (y - t) * y",
         "docs/worked-example.md"),
        # (2.3): forget the output bias
        ("src/backprop_doc/net.py", "a2 = h @ u + b2", "a2 = h @ u", PAGE),
        # (4.6) index by index: the wrong input on the weight
        ("src/backprop_doc/per_weight.py", "return delta_k * h[j]", "return delta_k * h[k]",
         PAGE),
    ],
    ids=["delta-output", "output-bias", "per-weight-index"],
)
def test_a_changed_formula_fails_the_page(
    tmp_path: Path, source: str, old: str, new: str, page: str
) -> None:
    tree = copy_tree(tmp_path)
    replace_once(tree / source, old, new)
    result = run_page_doctests(tree, page)
    assert result.returncode == 1, result.stdout + result.stderr
    assert " failed" in result.stdout


@pytest.mark.parametrize(
    ("output", "changed", "column"),
    [
        # a top-level doctest block: the first output of l2_loss_derivative
        ("array([[ 0.82725459, -0.13913337]])\n", "array([[ 0.82725458, -0.13913337]])\n", 1),
        # a block indented inside a folded solution (Exercise 4.4), its last example
        ("    0.0003 -0.000335 -0.9997\n", "    0.0003 -0.000335 -0.9998\n", 5),
    ],
    ids=["top-level", "indented"],
)
def test_a_changed_number_fails_the_page_at_its_line(
    tmp_path: Path, output: str, changed: str, column: int
) -> None:
    tree = copy_tree(tmp_path)
    page = tree / PAGE
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index(output)
    lines[at] = changed
    page.write_text("".join(lines), encoding="utf-8")
    result = run_page_doctests(tree, PAGE)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed" in result.stdout
    # Reported at the example whose output changed: 1-based, the line before the output.
    where = f"output-layer.md::sybil:pages,line:{at},column:{column}"
    assert where in result.stdout, result.stdout
