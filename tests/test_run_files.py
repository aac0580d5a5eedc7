"""The files of the Run buttons in the built site, and the wheel a reader installs with pip.

* ``run/manifest.json`` lists every file the browser's Python fetches, each present in the
  site with the size and the Subresource Integrity hash the manifest gives (computed here
  with hashlib), and NumPy's wheel with the sha256 of Pyodide's own lock file;
* nothing of Python is loaded with a page: no page names a file of it;
* the home page's ``pip install`` names the site's wheel, and that wheel, installed in a
  fresh virtual environment, runs the copied code of a page from outside the repository.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import venv
from html import unescape
from pathlib import Path

import numpy as np
import pytest

from helpers import html_pages, page_blocks, tags_of

ROOT = Path(__file__).resolve().parents[1]


def manifest(site: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((site / "run" / "manifest.json").read_text())
    return data


def entries(site: Path) -> list[dict[str, object]]:
    files = manifest(site)["files"]
    assert isinstance(files, list)
    return files


def test_every_file_of_the_manifest_is_in_the_site_as_listed(built_site: Path) -> None:
    listed = entries(built_site)
    names = [str(f["name"]) for f in listed]
    for needed in ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
                   "pyodide-lock.json", "pycon.py"):
        assert needed in names
    assert any(n.startswith("numpy-") and n.endswith("_wasm32.whl") for n in names)
    assert any(n.startswith("backprop_doc-") and n.endswith("-py3-none-any.whl") for n in names)
    for entry in listed:
        data = (built_site / str(entry["url"])).read_bytes()
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
        assert entry["bytes"] == len(data), entry["name"]
        assert entry["integrity"] == f"sha256-{digest}", entry["name"]


def test_numpys_wheel_is_the_one_pyodides_lock_file_names(built_site: Path) -> None:
    lock = json.loads((built_site / "assets/pyodide/pyodide-lock.json").read_text())
    numpy = lock["packages"]["numpy"]
    wheel = built_site / "assets/pyodide" / numpy["file_name"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == numpy["sha256"]
    assert lock["info"]["version"] == manifest(built_site)["pyodide"]


def test_every_page_says_how_much_the_first_run_loads(built_site: Path) -> None:
    total = sum(int(str(f["bytes"])) for f in entries(built_site))
    for page in html_pages(built_site):
        metas = [a for t, a in tags_of(page)
                 if t == "meta" and a.get("name") == "backprop-doc:run-bytes"]
        if "assets/" in page.as_posix() or page.name == "404.html":
            continue  # not pages of the site's own
        assert [m["content"] for m in metas] == [str(total)], page


def test_no_page_loads_python(built_site: Path) -> None:
    """Lazy: the pages name run.js and run.css, never the worker or Pyodide's files."""
    python_files = re.compile(r"assets/pyodide/|downloads/|run/worker\.js|run/pycon\.py")
    for page in html_pages(built_site):
        for tag, attrs in tags_of(page):
            fetched = attrs.get("src") or (attrs.get("href") if tag == "link" else None) or ""
            assert not python_files.search(fetched), f"{page}: <{tag}> {fetched}"


def test_the_about_page_installs_the_sites_wheel(built_site: Path, site_url: str) -> None:
    html = unescape((built_site / "about" / "index.html").read_text(encoding="utf-8"))
    wheel = str(manifest(built_site)["wheel"])
    assert f"pip install {site_url}{wheel}" in re.sub(r"<[^>]+>", "", html)
    assert f"pip install site/{wheel}" in re.sub(r"<[^>]+>", "", html)
    assert (built_site / wheel).is_file()


def copied_code(page: Path) -> str:
    """What the copy buttons of a built page copy, block after block."""
    blocks = page_blocks(page)
    assert blocks, page
    return "\n".join(copy for _, copy in blocks) + "\n"


@pytest.mark.integration
def test_the_sites_wheel_in_a_fresh_venv_runs_a_pages_copied_code(
        built_site: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    wheel = built_site / str(manifest(built_site)["wheel"])
    # No package index: NumPy is this environment's, put on the new one's path.
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-index",
                              "--no-deps", str(wheel)], capture_output=True, text=True,
                             check=False)
    assert install.returncode == 0, install.stderr
    site_packages = subprocess.run([str(python), "-c", "import sysconfig; print("
                                    "sysconfig.get_paths()['purelib'])"], capture_output=True,
                                   text=True, check=True).stdout.strip()
    (Path(site_packages) / "numpy_here.pth").write_text(
        str(Path(np.__file__).parent.parent) + "\n", encoding="utf-8")
    script = tmp_path / "outside" / "worked_example.py"
    script.parent.mkdir()
    script.write_text("import backprop_doc\nprint(backprop_doc.__file__)\n"
                      + copied_code(built_site / "worked-example" / "index.html"))
    run = subprocess.run([str(python), str(script)], cwd=script.parent, capture_output=True,
                         text=True, check=False, env={"PATH": str(python.parent)})
    assert run.returncode == 0, run.stderr
    installed_from = Path(run.stdout.splitlines()[0])
    assert env_dir in installed_from.parents, installed_from


@pytest.mark.parametrize(("name", "source"), [
    ("run/run.js", "docs/run/run.js"), ("run/worker.js", "docs/run/worker.js"),
    ("run/pycon.py", "src/backprop_site/pycon.py"),
    ("run/steps.py", "src/backprop_site/steps.py"), ("run/live.py", "src/backprop_site/live.py"),
    ("live/live.js", "docs/live/live.js")])
def test_the_runner_is_served_as_written(built_site: Path, name: str, source: str) -> None:
    assert (built_site / name).read_bytes() == (ROOT / source).read_bytes()
