"""The oldest NumPy the wheel claims: every page's doctests through the built wheel with it.

The wheel says ``numpy>=1.24`` (pyproject.toml). ``python3 dev.py test`` prepares
``.venvs/numpy-oldest``: the oldest Python of the machine (3.10) with the NumPy that
``requirements/numpy-oldest.txt`` pins, the oldest release of that floor's line. Here the
site's wheel is installed beside it (no index: ``--no-index --no-deps``) and every page
runs through ``python -m doctest``, without flags, as a reader would run it.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from backprop_site.pycon_fences import blocks

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
OLDEST = ROOT / ".venvs" / "numpy-oldest" / "bin" / "python"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
               if blocks(p.read_text(encoding="utf-8")))


def test_the_pinned_oldest_numpy_is_the_floor_the_wheel_claims() -> None:
    floor = re.search(r'"numpy>=(\d+\.\d+)"', (ROOT / "pyproject.toml").read_text())
    pinned = re.search(r"^numpy==(\d+\.\d+)\.\d+$",
                       (ROOT / "requirements" / "numpy-oldest.txt").read_text(), re.M)
    assert floor and pinned and floor[1] == pinned[1], (floor, pinned)


@pytest.fixture(scope="module")
def oldest(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a reader with the oldest NumPy and the site's wheel."""
    if not OLDEST.exists():
        message = f"no {OLDEST}: python3 dev.py test makes it (from a Python 3.10 found)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    target = tmp_path_factory.mktemp("oldest") / "site-packages"
    wheel = next((built_site / "downloads").glob("backprop_doc-*.whl"))
    subprocess.run([str(OLDEST), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
                    "--target", str(target), str(wheel)], check=True)
    return {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(target)}


def test_the_environment_is_the_oldest_numpy_with_the_wheel(oldest: dict[str, str],
                                                            tmp_path: Path) -> None:
    said = subprocess.run(
        [str(OLDEST), "-c", "import sys, numpy, backprop_doc; "
         "print(sys.version_info[:2], numpy.__version__, backprop_doc.__file__)"],
        cwd=tmp_path, env=oldest, capture_output=True, text=True, check=True).stdout.split()
    pinned = (ROOT / "requirements" / "numpy-oldest.txt").read_text().split("numpy==")[1]
    assert said[:2] == ["(3,", "10)"] and said[2] == pinned.strip()
    assert said[3].startswith(oldest["PYTHONPATH"])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_passes_with_the_oldest_numpy(oldest: dict[str, str], page: str,
                                                 tmp_path: Path) -> None:
    result = subprocess.run([str(OLDEST), "-m", "doctest", str(DOCS / page)], cwd=tmp_path,
                            env=oldest, capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stdout, result.stdout + result.stderr
