"""Copy and paste into a Python REPL: what every doctest block's copy button copies.

The copy text is written into the built pages by ``backprop_site/paste.py`` (``data-copy``).
Here it is pasted as a reader would:

* into ``code.InteractiveConsole``, the classic REPL of Python 3.10 to 3.12, line by line,
  every block of a page in order: no SyntaxError, and what each statement prints is what
  the page shows for its example (the doctests' comparison);
* a block pasted without the blocks it needs stops at its first line, naming the examples
  to paste first, and those are the examples that really define the names (found by
  running the page, not by reading its code);
* into Python 3.13's own REPL (``_pyrepl``) in a terminal, as a bracketed paste, block after
  block: no error, and the last value of each block is shown.
"""

from __future__ import annotations

import code
import doctest
import io
import os
import re
import select
import subprocess
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from backprop_site import pycon
from backprop_site.paste import GUARD_START, examples, statement
from helpers import page_blocks

ROOT = Path(__file__).resolve().parents[1]
GUARD = re.compile(r"^assert \{.*?\} <= globals\(\)\.keys\(\), \"this block uses (?P<uses>.*) "
                   r"of this page: paste (?:that example|those examples) first\"$")


def pages_with_examples(site: Path) -> dict[str, list[tuple[str, str]]]:
    pages = {}
    for html_file in sorted(site.rglob("index.html")):
        path = html_file.parent.relative_to(site).as_posix()
        if path.startswith(("print", "assets")) or path == "reference":
            continue  # the API reference's docstring examples are not one session
        blocks = page_blocks(html_file)
        if blocks:
            pages[path] = blocks
    return pages


def paste(console: code.InteractiveConsole, text: str) -> list[tuple[str, str]]:
    """Push ``text`` line by line as a paste into the classic REPL, then one Enter; the
    (statement, what it printed) of every statement the console ran."""
    ran, lines = [], []
    for line in [*text.split("\n"), ""]:
        lines.append(line)
        out = io.StringIO()
        with redirect_stdout(out), redirect_stderr(out):
            more = console.push(line)
        if not more:
            statement = "\n".join(lines).strip("\n")
            if statement or out.getvalue():
                ran.append((statement, out.getvalue()))
            lines = []
    return ran


@pytest.fixture(scope="module")
def site_pages(built_site: Path) -> dict[str, list[tuple[str, str]]]:
    pages = pages_with_examples(built_site)
    assert len(pages) >= 9 and "worked-example" in pages, sorted(pages)
    return pages


def test_every_block_pastes_into_the_classic_repl_and_prints_the_pages_output(
        site_pages: dict[str, list[tuple[str, str]]]) -> None:
    checker = doctest.OutputChecker()
    saved = np.get_printoptions()
    problems = []
    try:
        for path, blocks in site_pages.items():
            pycon.numpy_defaults()
            console = code.InteractiveConsole({"__name__": "__console__"})
            for number, (text, copy) in enumerate(blocks, 1):
                ran = paste(console, copy)
                errors = [(s, out) for s, out in ran if "Error" in out or "Traceback" in out]
                if errors:
                    problems.append(f"{path}, example {number}: {errors[0]}")
                    continue
                ran = [(s, out) for s, out in ran if not s.startswith(GUARD_START)]
                wanted = examples(text)
                if [s for s, _ in ran] != [statement(e.source).strip("\n") for e in wanted]:
                    problems.append(f"{path}, example {number}: ran {[s for s, _ in ran]}")
                    continue
                for (source, got), example in zip(ran, wanted, strict=True):
                    if not checker.check_output(example.want, got, pycon.OPTIONFLAGS):
                        problems.append(f"{path}, example {number}: {source!r} printed "
                                        f"{got!r}, the page shows {example.want!r}")
    finally:
        np.set_printoptions(**saved)
    assert not problems, "\n".join(problems)


def test_a_changed_output_would_be_caught() -> None:
    """The comparison above can fail: a block printing another number does not match."""
    console = code.InteractiveConsole()
    ((_, got),) = paste(console, "print(0.725)")
    assert doctest.OutputChecker().check_output("0.725\n", got, pycon.OPTIONFLAGS)
    assert not doctest.OutputChecker().check_output("0.726\n", got, pycon.OPTIONFLAGS)


def test_a_block_pasted_too_early_names_the_examples_that_define_what_it_needs(
        site_pages: dict[str, list[tuple[str, str]]]) -> None:
    """Every guard line, checked against a run of the page: the example it names for each
    name is the last example before it after which that name exists."""
    saved = np.get_printoptions()
    checked = 0
    try:
        for path, blocks in site_pages.items():
            pycon.numpy_defaults()
            console = code.InteractiveConsole({"__name__": "__console__"})
            defined_by: dict[str, int] = {}
            for number, (_, copy) in enumerate(blocks, 1):
                first = copy.split("\n", 1)[0]
                guard = GUARD.match(first)
                if guard:
                    told = re.findall(r"(\w+) \(example (\d+)\)", guard["uses"])
                    assert told, first
                    for name, example in told:
                        assert defined_by.get(name) == int(example), (path, number, name)
                    # Pasted alone, into a fresh REPL: it stops at once and says so.
                    alone = code.InteractiveConsole({"__name__": "__console__"})
                    (source, said), *_ = paste(alone, copy)
                    assert source == first
                    assert said.rstrip().endswith("AssertionError: this block uses "
                                                  f"{guard['uses']} of this page: paste"
                                                  f"{first.rsplit(': paste', 1)[1][:-1]}"), said
                    checked += 1
                before = dict(console.locals)
                paste(console, copy)
                for name, value in console.locals.items():
                    if name not in before or before[name] is not value:
                        defined_by[name] = number
    finally:
        np.set_printoptions(**saved)
    assert checked >= 20


def test_a_block_that_needs_nothing_earlier_has_no_guard(
        site_pages: dict[str, list[tuple[str, str]]]) -> None:
    for path, blocks in site_pages.items():
        assert not blocks[0][1].startswith(GUARD_START), path


# ---------------------------------------------------------------- Python 3.13's new REPL

PYTHON313 = ROOT / ".venvs" / "python3.13" / "bin" / "python"
BRACKETED = "\x1b[200~{}\n\x1b[201~\r"  # a paste ends with a blank line, then Enter


def read_until(fd: int, marker: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no {marker!r} after {timeout} s; the terminal shows:\n"
                               f"{seen[-3000:].decode(errors='replace')}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


@pytest.mark.integration
def test_every_pages_blocks_paste_into_the_new_repl_of_python_313(
        site_pages: dict[str, list[tuple[str, str]]], built_site: Path, tmp_path: Path) -> None:
    if not PYTHON313.exists():
        message = f"no {PYTHON313}: python3 dev.py test makes it (from a Python 3.13 found)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    import pty

    wheel = next((built_site / "downloads").glob("backprop_doc-*.whl"))
    target = tmp_path / "site-packages"
    subprocess.run([str(PYTHON313), "-m", "pip", "install", "--quiet", "--no-index",
                    "--no-deps", "--target", str(target), str(wheel)], check=True)
    env = {"PATH": os.environ.get("PATH", ""), "TERM": "xterm", "PYTHON_COLORS": "0",
           "NO_COLOR": "1", "PYTHONPATH": str(target), "HOME": str(tmp_path), "COLUMNS": "200",
           "LINES": "50"}
    problems = []
    for path, blocks in site_pages.items():
        pid, fd = pty.fork()
        if pid == 0:  # the child: Python 3.13's REPL on the terminal
            os.execve(str(PYTHON313), [str(PYTHON313), "-q"], env)
        try:
            read_until(fd, b">>> ", 30)
            for number, (text, copy) in enumerate(blocks, 1):
                marker = f"END-OF-EXAMPLE-{number}"
                os.write(fd, BRACKETED.format(copy).encode())
                os.write(fd, BRACKETED.format(f"print('END-OF-EXAMPLE-' + '{number}')").encode())
                shown = read_until(fd, marker.encode() + b"\r\n", 60).decode(errors="replace")
                if re.search(r"^(Traceback|\w*Error:)", shown.replace("\r", ""), re.M):
                    problems.append(f"{path}, example {number}:\n{shown[-1500:]}")
                    break
                last = examples(text)[-1]
                value = " ".join(last.want.split())
                if value and "..." not in value and value not in " ".join(shown.split()):
                    problems.append(f"{path}, example {number}: {value!r} not shown")
        finally:
            os.write(fd, b"\x04")
            os.close(fd)
            os.waitpid(pid, 0)
    assert not problems, "\n".join(problems)
