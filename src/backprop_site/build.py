"""The one ``mkdocs build`` subprocess that the tests and the benchmarks run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def mkdocs_build(config: Path, site_dir: Path, *, cwd: Path, env: dict[str, str] | None = None,
                 options: tuple[str, ...] = (), timeout: float | None = None
                 ) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` of ``config`` into ``site_dir`` by this Python, from ``cwd`` (the
    snippets' base path), with ``env`` added to this process's environment and ``options``
    (``--strict``, ``--quiet``) added to the command; its output captured, its exit status
    returned, not raised."""
    command = [sys.executable, "-m", "mkdocs", "build", *options,
               "--config-file", str(config), "--site-dir", str(site_dir)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
                          timeout=timeout)
