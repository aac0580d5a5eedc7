"""Building and serving the site in tests: one ``mkdocs build --strict`` per session.

A site is built for the address it is served at (mkdocs.yml reads site_url from SITE_URL):
Material's instant navigation only intercepts links to the pages that sitemap.xml lists,
and sitemap.xml's URLs come from site_url.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest

from browser import chromium

ROOT = Path(__file__).resolve().parents[1]

Build = Callable[[Path, Path, str], "subprocess.CompletedProcess[str]"]
Serve = Callable[[Path, str], AbstractContextManager[str]]


def local_url() -> str:
    """``http://127.0.0.1:PORT/`` with a port that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


def mkdocs_build(config: Path, site_dir: Path, site_url: str,
                 print_edition: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` from the repository root (the snippets' base path),
    with the print edition (hooks/print_edition.py) if ``print_edition``."""
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1",
           "BACKPROP_DOC_PRINT": "1" if print_edition else "0"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(config), "--site-dir", str(site_dir)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


@contextmanager
def serve(site_dir: Path, site_url: str) -> Iterator[str]:
    """Serve ``site_dir`` with ``python -m http.server`` at ``site_url``; yield the URL."""
    port = int(site_url.rstrip("/").rsplit(":", 1)[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port),
         "--directory", str(site_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"http.server did not start on port {port}") from None
                time.sleep(0.05)
        yield site_url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def mkdocs_builder() -> Build:
    """``mkdocs_builder(config, site_dir, site_url)``: a strict build of any config file."""
    return mkdocs_build


@pytest.fixture(scope="session")
def site_server() -> Serve:
    """``with site_server(site_dir, site_url) as url:`` serves a built site."""
    return serve


@pytest.fixture(scope="session")
def site_url() -> str:
    """The address the site of ``built_site`` is built for and ``served_site`` serves at."""
    return local_url()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, site_url: str) -> Path:
    """The site, built from mkdocs.yml with ``--strict`` into a temporary directory."""
    site_dir = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", site_dir, site_url, print_edition=True)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}")
    return site_dir


@pytest.fixture(scope="session")
def served_site(built_site: Path, site_url: str) -> Iterator[str]:
    """The built site, served on 127.0.0.1; yields its base URL (it ends with '/')."""
    with serve(built_site, site_url) as url:
        yield url


@pytest.fixture(scope="session")
def session_browser() -> Iterator[Any]:
    """One headless Chromium for the browser tests of the session (tests/browser.py).

    Launched by the first test that asks for it, in the main thread: Playwright's sync API
    allows one running instance per thread.
    """
    with chromium() as launched:
        yield launched
