"""The code the pages show is tested: every mutant of a snippet section is killed.

For every section of ``src/backprop_doc/`` that a page includes (``--8<-- "src/...:name"``,
the worked example's numbers aside), each small change a slip could make to one of its
lines (an operator swapped, a transpose dropped, a sign or a constant changed, the other
axis summed) is applied to a copy of the package, and ``tests/mutation_battery.py`` runs
against the copy: the battery compares the package with computations of its own (plain
NumPy, central differences of a plain loss, ``math``) and must fail. A mutant that passes
is code a page shows that no test checks, unless it is listed in ``EQUIVALENT`` with why it
computes the same thing.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from helpers import mutations

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "backprop_doc"
BATTERY = Path(__file__).with_name("mutation_battery.py")
SNIPPET = re.compile(r'--8<-- "src/backprop_doc/(?P<file>[\w.]+):(?P<section>[\w-]+)"')
#: Data, not formulas: the worked example's and the half adder's numbers.
NOT_FORMULAS = {"example.py"}
#: Mutants that compute the same numbers, by file and description, and why.
EQUIVALENT: dict[tuple[str, str], str] = {}

def shown_sections() -> set[tuple[str, str]]:
    found = set()
    for page in (ROOT / "docs").rglob("*.md"):
        for m in SNIPPET.finditer(page.read_text(encoding="utf-8")):
            if m["file"] not in NOT_FORMULAS:
                found.add((m["file"], m["section"]))
    return found


def shown_lines(file: str) -> set[int]:
    """The lines of ``file`` that some page shows (sections may nest: counted once)."""
    lines = (PACKAGE / file).read_text(encoding="utf-8").splitlines()
    shown: set[int] = set()
    for f, section in shown_sections():
        if f == file:
            start = next(i for i, line in enumerate(lines, 1)
                         if line.strip() == f"# --8<-- [start:{section}]")
            end = next(i for i, line in enumerate(lines, 1)
                       if line.strip() == f"# --8<-- [end:{section}]")
            shown.update(range(start + 1, end))
    return shown


def mutants(file: str) -> list[tuple[str, str]]:
    """(description, mutated source of the module) for every slip in the shown lines."""
    source = (PACKAGE / file).read_text(encoding="utf-8")
    inside = shown_lines(file)
    tree = ast.parse(source)
    out = []
    for index, node in enumerate(ast.walk(tree)):
        if getattr(node, "lineno", None) not in inside:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            continue
        for what, replacement in mutations(node):
            mutated = copy.deepcopy(tree)
            order = {id(n): k for k, n in enumerate(ast.walk(mutated))}
            target = next(n for n in ast.walk(mutated) if order[id(n)] == index)
            # the same node in the copy, swapped for the replacement in its parent
            for parent in ast.walk(mutated):
                for field, value in ast.iter_fields(parent):
                    if value is target:
                        setattr(parent, field, copy.deepcopy(replacement))
                    elif isinstance(value, list) and any(v is target for v in value):
                        setattr(parent, field, [copy.deepcopy(replacement) if v is target
                                                else v for v in value])
            out.append((f"line {getattr(node, 'lineno', 0)}: {what}",
                        ast.unparse(ast.fix_missing_locations(mutated))))
    return out


def verdicts(tmp: Path, file: str, sources: list[str]) -> list[bool]:
    """For each source of ``file``, whether the battery fails (the mutant is killed) against
    a copy of the package with ``file`` replaced by it: each source checked by a process of
    its own, forked by a battery process whose ``PYTHONPATH`` names the copy's folder
    (``mutation_battery.py --batch``); one battery process, and one copy, per core."""
    cores = os.cpu_count() or 1
    shares = [list(range(k, len(sources), cores)) for k in range(min(cores, len(sources)))]

    def run(k: int) -> list[int]:
        folder = tmp / str(k)
        shutil.copytree(PACKAGE, folder / "backprop_doc",
                        ignore=shutil.ignore_patterns("__pycache__"))
        listed = folder / "sources.json"
        listed.write_text(json.dumps([sources[i] for i in shares[k]]), encoding="utf-8")
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(folder),
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        result = subprocess.run(
            [sys.executable, str(BATTERY), "--batch", str(folder / "backprop_doc"), file,
             str(listed)], cwd=tmp, env=env, capture_output=True, text=True, timeout=1800,
            check=False)
        last = result.stdout.strip().rsplit("\n", 1)[-1]
        assert result.returncode == 0 and last.startswith("codes: "), (
            f"the battery's batch failed (exit {result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        codes: list[int] = json.loads(last.removeprefix("codes: "))
        assert len(codes) == len(shares[k]), codes
        return codes

    dead = [False] * len(sources)
    with ThreadPoolExecutor(len(shares)) as pool:
        for share, codes in zip(shares, pool.map(run, range(len(shares))), strict=True):
            for i, code in zip(share, codes, strict=True):
                dead[i] = code != 0
    return dead


def files() -> list[str]:
    return sorted({file for file, _ in shown_sections()})


def test_the_shown_sections_are_found() -> None:
    sections = shown_sections()
    assert ("net.py", "backward") in sections and ("activations.py", "sigmoid") in sections
    assert len(sections) >= 15


@pytest.mark.parametrize("file", files())
def test_the_package_itself_lives(file: str, tmp_path: Path) -> None:
    """The battery passes on the package, its module written back from its syntax tree as
    the mutants are (so a killed mutant is killed by its slip, not by the rewriting)."""
    source = (PACKAGE / file).read_text(encoding="utf-8")
    assert verdicts(tmp_path, file, [source, ast.unparse(ast.parse(source))]) == [False, False]


@pytest.mark.parametrize("file", files())
def test_every_mutant_of_a_shown_line_is_killed(file: str, tmp_path: Path) -> None:
    found = mutants(file)
    assert found, f"no mutant made of {file}"
    dead = verdicts(tmp_path, file, [source for _, source in found])
    alive = [what for (what, _), d in zip(found, dead, strict=True)
             if not d and (file, what) not in EQUIVALENT]
    assert not alive, f"{file}: mutants no test kills: {alive}"
