"""The browser plumbing that the build, the benchmarks and the tests share.

* `CHROMIUM_ARGS` and `chromium_executable`: Debian's Chromium (``/usr/bin/chromium``, or
  ``$CHROMIUM``), driven by Playwright through ``executable_path`` (Playwright cannot
  download a browser here); `launch` starts it with those flags.
* `serve`: a folder on 127.0.0.1 over HTTP, from a thread (``http.server``), on a free port
  or the one asked for; it can compress text with gzip, as a static host does, and notes
  every file it sends whole (the Run buttons' byte count).
* `guard`: a browser context that aborts, and records, every request to another host.
"""

from __future__ import annotations

import functools
import gzip
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

__all__ = ["CHROMIUM_ARGS", "Server", "chromium_executable", "guard", "launch", "launched",
           "serve"]

#: The flags this project launches Chromium with, everywhere.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip
#: What a static host compresses.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".wasm",
              ".py", ".mjs"}


def chromium_path() -> str:
    """``$CHROMIUM`` if set, else Debian's ``/usr/bin/chromium`` (which may not exist)."""
    return os.environ.get("CHROMIUM") or "/usr/bin/chromium"


def chromium_executable() -> str | None:
    """`chromium_path` if there is a browser there, else None."""
    candidate = chromium_path()
    return candidate if Path(candidate).is_file() or shutil.which(candidate) else None


def launch(playwright: Any, **options: Any) -> Any:
    """Chromium launched by Playwright (``playwright.chromium``) with `CHROMIUM_ARGS`.

    Raises
    ------
    FileNotFoundError
        If there is no Chromium at `chromium_path`.
    """
    executable = chromium_executable()
    if executable is None:
        raise FileNotFoundError(f"no Chromium at {chromium_path()} (apt-get install chromium, "
                                "or set CHROMIUM)")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                      **options)


@contextmanager
def launched(**options: Any) -> Iterator[Any]:
    """A Chromium (`launch`) for the ``with`` block, closed after it.

    Playwright's sync API allows one running instance per thread: a thread of its own may
    hold another.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright, **options)
        try:
            yield chromium
        finally:
            chromium.close()


class _Handler(SimpleHTTPRequestHandler):
    """Logs nothing; gzips text when asked to and the browser accepts it; notes each file
    it sends whole in ``server.served`` as (path, bytes)."""

    cache: ClassVar[dict[str, bytes]] = {}

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        server: Server = self.server  # type: ignore[assignment]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (server.compress and path.suffix in COMPRESSED and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            key = str(path)
            if key not in self.cache:
                self.cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            body = self.cache[key]
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return BytesIO(body)
        sent = super().send_head()
        if sent is not None and hasattr(sent, "fileno"):  # a 200 with a file (not a 304)
            server.served.append((self.path, os.fstat(sent.fileno()).st_size))
        return sent


class Server(ThreadingHTTPServer):
    """The server of `serve`: its ``url``, and ``served``, the files sent whole."""

    def __init__(self, directory: Path, port: int = 0, compress: bool = False) -> None:
        """A server for ``directory`` on ``port`` (0: a free one)."""
        super().__init__(("127.0.0.1", port),
                         functools.partial(_Handler, directory=str(directory)))
        self.compress = compress
        self.served: list[tuple[str, int]] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that drops a connection it no longer needs is not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path, port: int = 0, *, compress: bool = False) -> Iterator[Server]:
    """``directory`` served on 127.0.0.1 from a thread while the block runs."""
    server = Server(directory, port, compress)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def guard(context: Any, refused: list[str], host: str = "127.0.0.1") -> None:
    """Abort every request of a Playwright ``context`` to a host other than ``host``, and
    note its URL in ``refused``."""

    def route(route: Any, request: Any) -> None:
        if urlsplit(request.url).hostname == host:
            route.continue_()
        else:
            refused.append(request.url)
            route.abort()

    context.route("**/*", route)
