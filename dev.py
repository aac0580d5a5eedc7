#!/usr/bin/env python3
"""Set up the project's virtual environment and run its jobs; needs only Python 3.10+.

    python3 dev.py serve   # build the site and serve it on http://127.0.0.1:8000
    python3 dev.py build   # build the static site into site/, with its print edition (PDF)
    python3 dev.py test    # ruff, mypy --strict, and every test (pages, docstrings, browser)
    python3 dev.py bench [--quick]   # the benchmarks, as one table

The environment is `.venv/` beside this file (or the folder BACKPROP_DOC_VENV names), with
the pinned versions of requirements/constraints.txt; it is created on first use and brought
up to date whenever pyproject.toml or the constraints change.

`test` also prepares the small environments some tests run in, under `.venvs/`: NumPy's
oldest version that the wheel claims (requirements/numpy-oldest.txt) on the oldest Python,
and the newest Python, each from a Python found on this machine (PATH, or pyenv's
versions); one that is missing is said, and under CI=true fails the run.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / os.environ.get("BACKPROP_DOC_VENV", ".venv")
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".installed"
EXTRAS = "test,docs,bench"
#: The environments of tests/test_anywhere.py: name -> (Python version, pip arguments).
TEST_VENVS = {
    "numpy-oldest": ("3.10", ["-r", "requirements/numpy-oldest.txt"]),
    "python3.13": ("3.13", ["-c", "requirements/constraints.txt", "numpy"]),
}


def run(*cmd: str | Path) -> None:
    """Run ``cmd`` in the project's folder, echoing it; a failure stops dev.py."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True)


def ensure_venv() -> None:
    """Create .venv/ or bring it up to date with pyproject.toml and the constraints."""
    if sys.version_info < (3, 10):  # noqa: UP036 - this file runs on whatever python3 is
        sys.exit(f"dev.py: Python 3.10 or newer is needed, this is {sys.version.split()[0]}")
    inputs = ("pyproject.toml", "requirements/constraints.txt")
    wanted = hashlib.sha256(
        b"".join((ROOT / f).read_bytes() for f in inputs) + EXTRAS.encode()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PY.exists():
        return
    if not PY.exists():
        print(f"+ creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-c", "requirements/constraints.txt",
        "-e", f".[{EXTRAS}]")
    STAMP.write_text(wanted)


def find_python(version: str) -> Path | None:
    """A Python ``version`` ("3.10") of this machine: ``python3.10`` on PATH, else pyenv's
    (each candidate is asked its version: a pyenv shim of an inactive version fails)."""
    if sys.version_info[:2] == tuple(int(n) for n in version.split(".")):
        return Path(sys.executable)
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [shutil.which(f"python{version}"),
                  *sorted(glob.glob(str(pyenv / "versions" / f"{version}.*" / "bin" /
                                        "python3")), reverse=True)]
    for candidate in filter(None, candidates):
        answer = subprocess.run([candidate, "-c", "import sys; print(*sys.version_info[:2])"],
                                capture_output=True, text=True, check=False)
        if answer.returncode == 0 and answer.stdout.split() == version.split("."):
            return Path(candidate)
    return None


def ensure_test_venvs() -> None:
    """The environments under ``.venvs/`` that some tests run in (see TEST_VENVS)."""
    for name, (version, args) in TEST_VENVS.items():
        target = ROOT / ".venvs" / name
        python = target / BIN.name / "python"
        stamp = target / ".installed"
        wanted = hashlib.sha256(" ".join(args).encode() + b"".join(
            (ROOT / a).read_bytes() for a in args if a.startswith("requirements/"))).hexdigest()
        if stamp.exists() and stamp.read_text() == wanted and python.exists():
            continue
        base = find_python(version)
        if base is None:
            message = (f"dev.py: no Python {version} on this machine (PATH or pyenv): the "
                       f"tests that run in .venvs/{name} cannot run")
            if os.environ.get("CI") == "true":
                sys.exit(message)
            print(message, flush=True)
            continue
        print(f"+ creating {target} with {base}", flush=True)
        shutil.rmtree(target, ignore_errors=True)
        run(base, "-m", "venv", target)
        run(python, "-m", "pip", "install", "--quiet", *args)
        stamp.write_text(wanted)


def main(argv: list[str]) -> None:
    """Run the job ``argv`` names (serve, build, test, bench)."""
    job, *rest = argv or ["help"]
    if job not in {"serve", "build", "test", "bench"}:
        sys.exit(__doc__)
    ensure_venv()
    if job == "serve":
        run(BIN / "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *rest)
    elif job == "build":
        os.environ.setdefault("BACKPROP_DOC_PRINT", "1")  # the site and its print edition
        run(BIN / "mkdocs", "build", "--strict", "--site-dir", "site", *rest)
    elif job == "test":
        ensure_test_venvs()
        run(BIN / "ruff", "check", ".")
        run(BIN / "mypy")  # the files pyproject.toml names: everything
        # Two or more processes (pytest-xdist), each handed a whole module at a time, the
        # slowest first (conftest.py): the browser tours of one module run in one process,
        # and one site is built for the run. `-n 0` runs them in this process.
        run(PY, "-m", "pytest", "-n", "logical", "--dist", "loadscope",
            "--no-loadscope-reorder", *rest)
    elif job == "bench":
        run(PY, "-m", "benchmarks.run", *rest)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
