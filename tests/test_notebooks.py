"""The notebooks of the pages (backprop_site/notebooks.py, backprop_site/notebooks.py).

* Every page with examples has a notebook and a "Download notebook" button that reaches
  it; the zip holds every notebook and the site's wheel.
* A notebook is the page: prose as Markdown with its TeX, figures attached, the included
  package code put in, links to the site; one code cell per doctest block.
* Every notebook runs in a real Python kernel (nbclient, ipykernel): each cell shows what
  the page shows for its block, under the doctests' comparison, and stores it already.
* A cell that raises shows its traceback and the next cells still run; the set-up cell
  installs the wheel that lies beside the notebook, and says how to install the package
  when it cannot.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from backprop_site import pycon
from backprop_site.notebooks import SETUP_MARK, Links, notebook
from backprop_site.paste import examples
from backprop_site.pycon_fences import blocks

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
               if blocks(p.read_text(encoding="utf-8")))
OLDEST = ROOT / ".venvs" / "numpy-oldest" / "bin" / "python"


def notebook_name(page: str) -> str:
    return page.removesuffix(".md").replace("/", "-") + ".ipynb"


def page_url_path(page: str) -> str:
    return "" if page == "index.md" else page.removesuffix(".md") + "/"


def shown(outputs: list[Any]) -> str:
    """What a cell shows, as text: printed output, values, and an error's last line."""
    text = ""
    for output in outputs:
        if output.output_type == "stream":
            text += output.text
        elif output.output_type == "execute_result":
            text += output.data["text/plain"] + "\n"
        elif output.output_type == "error":
            text += f"{output.ename}: {output.evalue}\n"
    return text


def run(nb: Any, cwd: Path) -> Any:
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def test_every_page_with_examples_has_a_notebook_and_a_button(built_site: Path) -> None:
    assert len(PAGES) >= 9
    made = sorted(p.name for p in (built_site / "notebooks").glob("*.ipynb"))
    assert made == sorted(notebook_name(p) for p in PAGES)
    for page in PAGES:
        html = (built_site / page_url_path(page) / "index.html").read_text(encoding="utf-8")
        button = re.search(r'<a class="md-button page-tools__notebook" href="([^"]+)" '
                           r'download="([^"]+)"[^>]*>.*?Download notebook</a>', html, re.S)
        assert button, page
        target = (built_site / page_url_path(page) / button[1]).resolve()
        assert target == (built_site / "notebooks" / notebook_name(page)).resolve(), page
        assert button[2] == notebook_name(page)
        assert html.count('class="md-button page-tools__notebook"') == 1
        nbformat.validate(nbformat.read(target, as_version=4))
    for page in ("performance.md", "exercises.md"):  # no examples: no notebook
        html = (built_site / page_url_path(page) / "index.html").read_text(encoding="utf-8")
        assert 'class="page-tools"' not in html, page


def test_the_zip_holds_every_notebook_in_order_and_the_wheel(built_site: Path) -> None:
    wheel = next((built_site / "downloads").glob("backprop_doc-*.whl"))
    with zipfile.ZipFile(built_site / "downloads" / "backprop-doc-notebooks.zip") as archive:
        names = archive.namelist()
        assert f"backprop-doc-notebooks/{wheel.name}" in names
        assert archive.read(f"backprop-doc-notebooks/{wheel.name}") == wheel.read_bytes()
        notebooks = sorted(n for n in names if n.endswith(".ipynb"))
        assert len(notebooks) == len(PAGES)
        assert notebooks[0] == "backprop-doc-notebooks/01-derivation-net.ipynb"
        for name in notebooks:
            plain = re.sub(r"^backprop-doc-notebooks/\d\d-", "", name)
            assert archive.read(name) == (built_site / "notebooks" / plain).read_bytes()
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="downloads/backprop-doc-notebooks.zip"' in home


def test_a_notebook_is_the_page(built_site: Path) -> None:
    nb = nbformat.read(built_site / "notebooks" / "derivation-net.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert code[0].source.startswith(SETUP_MARK) and nb.cells[0] is code[0]
    assert len(code) - 1 == len(blocks((DOCS / "derivation/net.md").read_text()))
    assert nb.cells[1].source.startswith("# 2. The net\n")
    assert "\\tag{2.1}" in prose and "$$" in prose and "$x_1, x_2$" in prose
    assert "a1 = x @ w + b1  # (2.1)" in prose  # the package code the page includes
    assert "--8<--" not in prose and "<!--" not in prose and "<figure" not in prose
    assert not re.search(r"\]\((?!http)[^)]*\)", prose.replace("](attachment:", "](http"))
    assert "[`forward`](http" in prose  # a link to the API reference, as on the page
    figure = next(c for c in nb.cells if "attachments" in c and c.attachments)
    (svg,) = figure.attachments.values()
    assert "image/svg+xml" in svg
    solutions = [c for c in nb.cells if c.metadata.get("jupyter", {}).get("source_hidden")]
    assert solutions and all(c.source.startswith("**Solution**") for c in solutions
                             if c.cell_type == "markdown")


@pytest.mark.integration
@pytest.mark.parametrize("page", PAGES)
def test_every_notebook_runs_in_a_kernel_and_shows_the_pages_output(
        built_site: Path, page: str, tmp_path: Path) -> None:
    nb = nbformat.read(built_site / "notebooks" / notebook_name(page), as_version=4)
    stored = [shown(c.outputs) for c in nb.cells if c.cell_type == "code"][1:]
    run(nb, tmp_path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not [o for o in code[0].outputs if o.output_type == "error"]
    got = [shown(c.outputs) for c in code[1:]]
    # The page's output, read from the page's source (not from the notebook):
    wants = ["".join(e.want for e in examples(b.body))
             for b in blocks((DOCS / page).read_text(encoding="utf-8"))]
    assert len(got) == len(wants)
    checker = doctest.OutputChecker()
    differ = [(n, want, out) for n, (want, out) in enumerate(zip(wants, got, strict=True), 1)
              if not checker.check_output(want, out, pycon.OPTIONFLAGS)]
    assert not differ, differ
    assert stored == wants
    assert not [c for c in code if any(o.output_type == "error" for o in c.outputs)]


def tiny_notebook(markdown: str, site: str = "http://127.0.0.1:9/") -> Any:
    links = Links(site, site + "page/", lambda target: None)
    return notebook(markdown, links, "backprop_doc-0.1.0-py3-none-any.whl", ROOT)


@pytest.mark.integration
def test_a_cell_that_raises_shows_its_traceback_and_the_next_cells_still_run(
        tmp_path: Path) -> None:
    nb = tiny_notebook(
        "# A page\n\n```pycon\n>>> 1 / 0\n0.5\n\n```\n\nThen:\n\n```pycon\n>>> 2 + 2\n4\n\n```"
        "\n\nOn purpose:\n\n```pycon\n>>> int('x')\nTraceback (most recent call last):\n...\n"
        "ValueError: invalid literal for int() with base 10: 'x'\n>>> 3 * 3\n9\n\n```\n")
    code = [c for c in nb.cells if c.cell_type == "code"][1:]
    assert [c.source for c in code] == ["1 / 0", "2 + 2", "int('x')", "3 * 3"]
    assert code[2].outputs[0].output_type == "error"  # stored as the page shows it
    run(nb, tmp_path)
    (error,) = code[0].outputs
    assert error.output_type == "error" and error.ename == "ZeroDivisionError"
    traceback = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error.traceback))  # no colours
    assert "1 / 0" in traceback and "ZeroDivisionError: division by zero" in traceback
    assert shown(code[1].outputs) == "4\n"
    assert shown(code[2].outputs) == "ValueError: invalid literal for int() with base 10: 'x'\n"
    assert shown(code[3].outputs) == "9\n"


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv without backprop_doc, NumPy 1.24 on its path, pip kept off any index."""
    if not OLDEST.exists():
        message = f"no {OLDEST}: python3 dev.py test makes it (from a Python 3.10 found)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    numpy_site = subprocess.run(
        [str(OLDEST), "-c", "import numpy, os; print(os.path.dirname(os.path.dirname("
         "numpy.__file__)))"], capture_output=True, text=True, check=True).stdout.strip()
    home = tmp_path_factory.mktemp("bare")
    base = subprocess.run([str(OLDEST), "-c", "import sys; print(sys._base_executable)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([base, "-m", "venv", str(home / "venv")], check=True)
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": numpy_site, "PIP_NO_INDEX": "1",
           "PIP_RETRIES": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "HOME": str(home)}
    return home / "venv" / "bin" / "python", env


def setup_script(built_site: Path, site: str) -> str:
    nb = nbformat.read(built_site / "notebooks" / "worked-example.ipynb", as_version=4)
    code = re.sub(r'^SITE = ".*"$', f'SITE = "{site}"', nb.cells[0].source, flags=re.M)
    stub = "class _Shell:\n    pass\n\ndef get_ipython():\n    return _Shell()\n\n"
    return stub + code + "\nimport backprop_doc\nprint('from', backprop_doc.__file__)\n"


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


@pytest.mark.integration
def test_the_setup_cell_says_how_to_install_when_the_wheel_is_missing(
        bare_python: tuple[Path, dict[str, str]], built_site: Path, tmp_path: Path) -> None:
    python, env = bare_python
    script = tmp_path / "setup.py"
    script.write_text(setup_script(built_site, closed_port_url()))
    result = subprocess.run([str(python), str(script)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: backprop_doc is not installed, and pip could "
                           "not install http://127.0.0.1:"), last
    assert "put it beside this notebook and run this cell again" in last
    assert "python -m pip install backprop_doc-0.1.0-py3-none-any.whl" in last


@pytest.mark.integration
def test_the_setup_cell_installs_the_wheel_that_lies_beside_the_notebook(
        bare_python: tuple[Path, dict[str, str]], built_site: Path, tmp_path: Path) -> None:
    python, env = bare_python
    wheel = next((built_site / "downloads").glob("backprop_doc-*.whl"))
    shutil.copy(wheel, tmp_path / wheel.name)
    script = tmp_path / "setup.py"
    script.write_text(setup_script(built_site, closed_port_url()))
    result = subprocess.run([str(python), str(script)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"backprop_doc is not installed: pip install {wheel.name}" in result.stdout
    installed = Path(result.stdout.strip().splitlines()[-1].removeprefix("from "))
    assert python.parent.parent in installed.parents, installed
    assert sys.prefix not in str(installed)
