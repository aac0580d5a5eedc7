"""Python in the browser: Pyodide, NumPy and this package's wheel, served from the site itself.

On every build, ``mkdocs serve`` included: the files ``requirements/pyodide.json`` pins,
fetched once into ``.cache/pyodide-<version>/`` and each checked (Pyodide's core from its
npm tarball, by the registry's sha512 and each file's sha256; NumPy's Pyodide wheel read by
HTTP range requests out of the PyPI wheel that bundles it, a few MB of 77, and checked
against Pyodide's ``pyodide-lock.json``; a mismatch fails the build, naming both hashes);
the package's wheel, built from ``src/`` (cached by the hash of its sources); the browser's
Python and the answers' checkers. They go into the site with ``run/manifest.json`` (every
file the worker fetches, with its size and Subresource Integrity hash), and the first Run's
size into every page's head. Shortcodes: ``md:wheel url|file``, ``md:run mb``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from backprop_site import answers
from backprop_site.shortcodes import Context, Shortcode, kind

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PINS = ROOT / "requirements" / "pyodide.json"
#: Where fetched and built files are kept between builds (gitignored).
CACHE = Path(os.environ.get("BACKPROP_DOC_CACHE", ROOT / ".cache"))
#: Site paths.
PYODIDE_DIR = "assets/pyodide/"
WHEEL_DIR = "downloads/"
MANIFEST = "run/manifest.json"
RUNNER = "run/pycon.py"
STEPS, LIVE, CHECKS = "run/steps.py", "run/live.py", "run/checks.zip"  # stepper, live, answers
#: What the progress line calls each file.
LABELS = {
    "pyodide.js": "Pyodide loader",
    "pyodide.asm.js": "Python runtime",
    "pyodide.asm.wasm": "Python runtime",
    "python_stdlib.zip": "Python standard library",
    "pyodide-lock.json": "package index",
}
#: The order the worker fetches in.
CORE_ORDER = ["pyodide.js", "pyodide-lock.json", "pyodide.asm.js", "pyodide.asm.wasm",
              "python_stdlib.zip"]
#: Wheel file dates (zip's epoch, 1980): the same sources give the same bytes.
SOURCE_DATE_EPOCH = "315532800"


class FetchError(PluginError):
    """A pinned file could not be fetched, or is not the file that was pinned."""


def sha256(data: bytes) -> str:
    """The hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sri(data: bytes) -> str:
    """The Subresource Integrity value of ``data`` (what ``fetch(url, {integrity})`` checks)."""
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": "backprop-doc build",
                                                   **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return int(response.status), bytes(response.read())
    except (urllib.error.URLError, OSError) as exc:
        raise FetchError(
            f"pyodide_files: cannot fetch {url}: {exc}. The first build needs the network "
            f"(the files are then cached in {CACHE})") from exc


class _RangeFile(io.RawIOBase):
    """A remote file read by HTTP range requests: ``zipfile`` reads one member of a large
    archive without downloading all of it."""

    def __init__(self, url: str) -> None:
        self.url, self.pos = url, 0
        request = urllib.request.Request(url, method="HEAD",
                                         headers={"User-Agent": "backprop-doc build"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                self.size = int(response.headers["Content-Length"])
        except (urllib.error.URLError, OSError, TypeError) as exc:
            raise FetchError(f"pyodide_files: cannot learn the size of {url}: {exc}. The "
                             f"first build needs the network (the files are then cached in "
                             f"{CACHE})") from exc

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def readinto(self, buffer: Any) -> int:
        want = min(len(buffer), self.size - self.pos)
        if want <= 0:
            return 0
        status, data = _get(self.url, {"Range": f"bytes={self.pos}-{self.pos + want - 1}"})
        if status != 206 or len(data) != want:
            raise FetchError(f"pyodide_files: range request to {self.url} gave status "
                             f"{status} and {len(data)} of {want} bytes")
        buffer[:want] = data
        self.pos += want
        return want


def _mismatch(name: str, source: str, expected: str, got: str) -> FetchError:
    return FetchError(f"pyodide_files: {name} from {source} has sha256 {got}, but "
                      f"{expected} is pinned: refusing to put it in the site")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)


def _cached(path: Path, expected: str) -> bool:
    return path.is_file() and sha256(path.read_bytes()) == expected


def fetch_core(pinned: dict[str, Any], cache: Path) -> dict[str, Path]:
    """Pyodide's core files, from the cache or from the npm tarball; each one checked."""
    files: dict[str, str] = pinned["npm"]["files"]
    paths = {name: cache / name for name in files}
    if all(_cached(paths[name], digest) for name, digest in files.items()):
        return paths
    url = pinned["npm"]["url"]
    _, tarball = _get(url)
    algorithm, _, expected = pinned["npm"]["integrity"].partition("-")
    got = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if got != expected:
        raise FetchError(f"pyodide_files: {url} has {algorithm} {got}, but {expected} is "
                         f"pinned (requirements/pyodide.json)")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for name, digest in files.items():
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise FetchError(f"pyodide_files: {url} has no package/{name}")
            data = member.read()
            if sha256(data) != digest:
                raise _mismatch(name, url, digest, sha256(data))
            _write(paths[name], data)
    return paths


def fetch_package(name: str, pinned: dict[str, Any], lock_file: Path, cache: Path) -> Path:
    """A Pyodide package's wheel, read out of the wheel that bundles it; checked against the
    official lock file."""
    spec = pinned["packages"][name]
    path = cache / spec["file"]
    locked = json.loads(lock_file.read_text(encoding="utf-8"))["packages"][name]
    expected: str = locked["sha256"]
    if _cached(path, expected):
        return path
    if locked["file_name"] != spec["file"]:
        raise FetchError(f"pyodide_files: pyodide-lock.json names {locked['file_name']} for "
                         f"{name}, the pins {spec['file']}")
    remote = io.BufferedReader(_RangeFile(spec["in_wheel"]), buffer_size=4 << 20)
    try:
        with zipfile.ZipFile(remote) as archive:
            data = archive.read(spec["member"])
    except KeyError as exc:
        raise FetchError(f"pyodide_files: {spec['in_wheel']} has no {spec['member']}") \
            from exc
    source = f"{spec['in_wheel']} ({spec['member']})"
    if sha256(data) != expected:
        raise _mismatch(spec["file"], source, expected, sha256(data))
    _write(path, data)
    return path


def wheel_inputs() -> list[Path]:
    """The files a wheel of the package is built from."""
    sources = sorted(p for p in (ROOT / "src" / "backprop_doc").rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts)
    return [ROOT / "pyproject.toml", ROOT / "README.md", *sources]


def build_wheel(cache: Path) -> Path:
    """The package's wheel, built from a clean copy of its sources (cached by their hash).

    The copy keeps setuptools' ``build/`` directory of an earlier build from leaking
    deleted modules into the wheel; SOURCE_DATE_EPOCH makes the same sources give the same
    bytes.
    """
    digest = hashlib.sha256()
    for path in wheel_inputs():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    out = cache / "wheels" / digest.hexdigest()[:16]
    found = sorted(out.glob("*.whl"))
    if len(found) == 1:
        return found[0]
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        for path in wheel_inputs():
            target = tree / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
             "--no-build-isolation", "--wheel-dir", str(Path(tmp) / "dist"), str(tree)],
            env=env, capture_output=True, text=True, check=False)
        built = sorted((Path(tmp) / "dist").glob("*.whl"))
        if result.returncode != 0 or len(built) != 1:
            raise PluginError(f"pyodide_files: building the package's wheel failed:\n"
                              f"{result.stdout}{result.stderr}")
        out.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(built[0], out / built[0].name))


def site_files() -> tuple[dict[str, Path], dict[str, Any]]:
    """Every file of the runner by site path, and the manifest the worker reads."""
    pinned: dict[str, Any] = json.loads(PINS.read_text(encoding="utf-8"))
    cache = CACHE / f"pyodide-{pinned['version']}"
    core = fetch_core(pinned, cache)
    packages = {name: fetch_package(name, pinned, core["pyodide-lock.json"], cache)
                for name in pinned["packages"]}
    wheel = build_wheel(CACHE)
    by_site_path = {PYODIDE_DIR + name: path for name, path in core.items()}
    by_site_path |= {PYODIDE_DIR + path.name: path for path in packages.values()}
    by_site_path[WHEEL_DIR + wheel.name] = wheel

    def entry(site_path: str, path: Path, label: str) -> dict[str, Any]:
        data = path.read_bytes()
        return {"name": path.name, "url": site_path, "bytes": len(data),
                "integrity": sri(data), "label": label}

    files = [entry(PYODIDE_DIR + name, core[name], LABELS[name]) for name in CORE_ORDER]
    files += [entry(PYODIDE_DIR + path.name, path, name) for name, path in packages.items()]
    files.append(entry(WHEEL_DIR + wheel.name, wheel, "backprop_doc"))
    for site_path, path, label in ((RUNNER, HERE / "pycon.py", "doctest runner"),
                                   (STEPS, HERE / "steps.py", "step-through figure"),
                                   (LIVE, HERE / "live.py", "live view"),
                                   (CHECKS, answers.archive(CACHE), "answer checks")):
        by_site_path[site_path] = path
        files.append(entry(site_path, path, label))
    manifest = {"pyodide": pinned["version"], "python": pinned["python"],
                "packages": {name: path.name for name, path in packages.items()},
                "indexURL": PYODIDE_DIR, "wheel": WHEEL_DIR + wheel.name, "runner": RUNNER,
                "files": files}
    return by_site_path, manifest


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Pyodide, NumPy, the wheel, the browser's Python and the manifest, into the site."""
    by_site_path, manifest = site_files()
    for src_uri, path in by_site_path.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"pyodide_files: docs/{src_uri} exists, but it is fetched or "
                              f"built at build time; delete the file")
        files.append(File.generated(config, src_uri, abs_src_path=str(path)))
    files.append(File.generated(config, MANIFEST, content=json.dumps(manifest, indent=1)))
    config["extra"]["backprop_doc_wheel"] = manifest["wheel"]
    config["extra"]["backprop_doc_run_bytes"] = sum(f["bytes"] for f in manifest["files"])
    return files


@kind("wheel")
def wheel_shortcode(code: Shortcode, context: Context) -> str:
    """``<!-- md:wheel url -->``: the wheel's address on the published site; ``file``: its
    file name."""
    wheel: str = context.config["extra"]["backprop_doc_wheel"]
    if code.args == ("file",):
        return wheel.rsplit("/", 1)[-1]
    if code.args == ("url",):
        return urljoin(context.config.site_url or "", wheel)
    raise PluginError(f"{code.where}: expected the argument url or file")


@kind("run")
def run_shortcode(code: Shortcode, context: Context) -> str:
    """``<!-- md:run mb -->``: the size of the first Run's download, in MB."""
    if code.args != ("mb",):
        raise PluginError(f"{code.where}: expected the argument mb")
    return f"{context.config['extra']['backprop_doc_run_bytes'] / 1e6:.1f}"


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Tell the page how much the first Run downloads (the Check box says it), without
    loading anything: a <meta> in the head."""
    size = config["extra"]["backprop_doc_run_bytes"]
    meta = f'<meta name="backprop-doc:run-bytes" content="{size}">'
    return output.replace("</head>", meta + "</head>", 1)
