"""backprop_site/pyodide_files.py: what it fetches is checked, what it builds is the package,
and a file
that is not the pinned one fails the build with its name.

The fetches run against a small HTTP server of the test's own (with range requests, as
PyPI's file host answers them), serving archives made here; the hashes they are checked
against are computed here with hashlib, apart from the hook.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from backprop_site import pyodide_files

ROOT = Path(__file__).resolve().parents[1]


hook = pyodide_files


class Served:
    """A directory served on 127.0.0.1, counting the bytes of every response body."""

    def __init__(self, root: Path, ranges: bool) -> None:
        self.root, self.ranges, self.sent, self.requests = root, ranges, 0, 0


def handler_for(served: Served) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(served.root), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            served.requests += 1
            path = served.root / self.path.lstrip("/")
            if not path.is_file():
                self.send_error(404)
                return
            data = path.read_bytes()
            wanted = self.headers.get("Range")
            if served.ranges and wanted and wanted.startswith("bytes="):
                first, last = (int(v) for v in wanted[6:].split("-"))
                body = data[first:last + 1]
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {first}-{last}/{len(data)}")
            else:
                body = data
                self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            served.sent += len(body)

    return Handler


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Served]]:
    served = Served(tmp_path / "www", ranges=True)
    served.root.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(served))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", served
    finally:
        httpd.shutdown()
        httpd.server_close()


def hexdigest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


CORE = {"pyodide.js": b"// loader", "pyodide-lock.json": b"{}", "pyodide.asm.wasm": b"\0asm"}


def npm_tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def core_pins(url: str, tarball: bytes, files: dict[str, bytes]) -> dict[str, Any]:
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    return {"npm": {"url": url, "integrity": integrity,
                    "files": {name: hexdigest(data) for name, data in files.items()}}}


def test_sri_is_the_base64_sha256_that_browsers_check() -> None:
    # The SHA-256 of the empty string, as the Subresource Integrity spec writes it.
    assert hook.sri(b"") == "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="


def test_the_core_is_fetched_checked_and_cached(server: tuple[str, Served],
                                                tmp_path: Path) -> None:
    base, served = server
    tarball = npm_tarball(CORE)
    (served.root / "pyodide.tgz").write_bytes(tarball)
    pins = core_pins(base + "pyodide.tgz", tarball, CORE)
    paths = hook.fetch_core(pins, tmp_path / "cache")
    assert {name: path.read_bytes() for name, path in paths.items()} == CORE
    requests = served.requests
    hook.fetch_core(pins, tmp_path / "cache")
    assert served.requests == requests, "a complete cache was fetched again"
    paths["pyodide.asm.wasm"].write_bytes(b"corrupted")
    hook.fetch_core(pins, tmp_path / "cache")
    assert served.requests == requests + 1
    assert paths["pyodide.asm.wasm"].read_bytes() == CORE["pyodide.asm.wasm"]


def test_a_tarball_that_is_not_the_pinned_one_fails(server: tuple[str, Served],
                                                    tmp_path: Path) -> None:
    base, served = server
    tarball = npm_tarball(CORE)
    pins = core_pins(base + "pyodide.tgz", tarball, CORE)
    (served.root / "pyodide.tgz").write_bytes(npm_tarball({**CORE, "pyodide.js": b"// other"}))
    with pytest.raises(hook.FetchError, match=r"pyodide\.tgz has sha512 .* is pinned"):
        hook.fetch_core(pins, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_a_file_that_is_not_the_pinned_one_fails_naming_it(server: tuple[str, Served],
                                                           tmp_path: Path) -> None:
    base, served = server
    changed = {**CORE, "pyodide.asm.wasm": b"\0asm, but another build"}
    tarball = npm_tarball(changed)
    (served.root / "pyodide.tgz").write_bytes(tarball)
    pins = core_pins(base + "pyodide.tgz", tarball, CORE)  # the tarball's hash, old files'
    expected, got = hexdigest(CORE["pyodide.asm.wasm"]), hexdigest(changed["pyodide.asm.wasm"])
    with pytest.raises(hook.FetchError) as caught:
        hook.fetch_core(pins, tmp_path / "cache")
    assert "pyodide.asm.wasm" in str(caught.value)
    assert expected in str(caught.value) and got in str(caught.value)
    assert not (tmp_path / "cache" / "pyodide.asm.wasm").exists()


def bundle(member: str, data: bytes, padding: int) -> bytes:
    """A large wheel that bundles ``data`` as ``member``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("bundle/padding.bin", os.urandom(padding))  # stored, incompressible
        archive.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


NUMPY = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"


def package_setup(tmp_path: Path, base: str, served: Served, data: bytes,
                  locked: bytes) -> tuple[dict[str, Any], Path]:
    (served.root / "bundle.whl").write_bytes(bundle(f"bundle/{NUMPY}", data, 4_000_000))
    lock = tmp_path / "pyodide-lock.json"
    lock.write_text(json.dumps({"packages": {"numpy": {"file_name": NUMPY,
                                                       "sha256": hexdigest(locked)}}}))
    pins = {"packages": {"numpy": {"file": NUMPY, "in_wheel": base + "bundle.whl",
                                   "member": f"bundle/{NUMPY}"}}}
    return pins, lock


def test_a_bundled_wheel_is_read_by_range_requests_and_checked_against_the_lock(
        server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    data = b"numpy's wheel " * 1000
    pins, lock = package_setup(tmp_path, base, served, data, locked=data)
    path = hook.fetch_package("numpy", pins, lock, tmp_path / "cache")
    assert path.name == NUMPY and path.read_bytes() == data
    assert served.sent < 1_000_000, f"{served.sent} bytes sent for a {len(data)}-byte member"


def test_a_bundled_wheel_unlike_the_lock_fails(server: tuple[str, Served],
                                               tmp_path: Path) -> None:
    base, served = server
    pins, lock = package_setup(tmp_path, base, served, b"a rebuilt wheel", locked=b"official")
    with pytest.raises(hook.FetchError, match=f"{NUMPY} from .*bundle.whl .* has sha256"):
        hook.fetch_package("numpy", pins, lock, tmp_path / "cache")


def test_a_host_without_range_requests_fails_clearly(server: tuple[str, Served],
                                                     tmp_path: Path) -> None:
    base, served = server
    served.ranges = False
    pins, lock = package_setup(tmp_path, base, served, b"wheel", locked=b"wheel")
    with pytest.raises(hook.FetchError, match=r"range request to .*bundle\.whl gave status 200"):
        hook.fetch_package("numpy", pins, lock, tmp_path / "cache")


def test_no_network_says_the_first_build_needs_it(tmp_path: Path) -> None:
    pins = {"npm": {"url": "http://127.0.0.1:9/pyodide.tgz", "integrity": "sha512-x",
                    "files": {"pyodide.js": "0" * 64}}}
    with pytest.raises(hook.FetchError, match=r"cannot fetch .* first build needs the network"):
        hook.fetch_core(pins, tmp_path / "cache")


def test_the_wheel_is_the_package_and_the_same_sources_give_the_same_bytes(
        tmp_path: Path) -> None:
    first = hook.build_wheel(tmp_path / "a")
    second = hook.build_wheel(tmp_path / "b")
    assert first.name == second.name
    assert first.name.startswith("backprop_doc-") and first.name.endswith("-py3-none-any.whl")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as wheel:
        names = set(wheel.namelist())
    modules = {f"backprop_doc/{p.name}" for p in (ROOT / "src" / "backprop_doc").glob("*.py")}
    assert modules <= names and "backprop_doc/py.typed" in names
    # the package alone: never the site's code (backprop_site), nor anything else
    assert all(n.startswith(("backprop_doc/", "backprop_doc-0.1.0.dist-info/")) for n in names)
    assert not [n for n in names if "__pycache__" in n or n.startswith("tests/")]
    assert hook.build_wheel(tmp_path / "a") == first  # cached by the sources' hash
