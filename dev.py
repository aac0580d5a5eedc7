#!/usr/bin/env python3
"""Set up the project's virtual environment and run its jobs; needs only Python 3.10+.

    python3 dev.py serve   # build the site and serve it on http://127.0.0.1:8000
    python3 dev.py build   # build the static site into site/, with its print edition (PDF)
    python3 dev.py test    # ruff, mypy --strict, and every test (pages, docstrings, browser)
    python3 dev.py bench [--quick]   # the benchmarks, as one table

The environment is `.venv/` beside this file, with the pinned versions of
requirements/constraints.txt; it is created on first use and brought up to date whenever
pyproject.toml or the constraints change.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".installed"
EXTRAS = "test,docs,bench"


def run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True)


def ensure_venv() -> None:
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


def main(argv: list[str]) -> None:
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
        run(BIN / "ruff", "check", ".")
        run(BIN / "mypy")  # the files pyproject.toml names
        # These share module names with files above (conftest, benchmarks), so apart:
        run(BIN / "mypy", "conftest.py")
        run(BIN / "mypy", "hooks")
        run(PY, "-m", "pytest", *rest)
    elif job == "bench":
        run(PY, "benchmarks/run.py", *rest)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
