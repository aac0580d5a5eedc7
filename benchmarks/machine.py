"""What a run ran on: CPU, cores, memory, Python, NumPy and its BLAS, the engines, threads."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["THREAD_VARIABLES", "describe"]

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _cpuinfo() -> tuple[str, int, list[str]]:
    """The CPU model, the number of logical CPUs, and which vector extensions it has."""
    model, count, flags = "", 0, set[str]()
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and not model:
            model = value.strip()
        elif key == "flags" and not flags:
            flags = set(value.split())
        elif key == "processor":
            count += 1
    vector: list[str] = [f for f in ("avx2", "fma", "avx512f") if f in flags]
    model = model or platform.processor() or platform.machine()
    return model, count or (os.cpu_count() or 0), vector


def _memory() -> str | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return None


def _blas() -> str:
    try:
        config: Any = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        text = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
        detail = str(blas.get("openblas configuration", ""))
        return f"{text} ({' '.join(detail.split())})" if detail else text
    except Exception:  # an old NumPy or an unusual build: say so, do not fail
        return "unknown"


def _torch() -> dict[str, Any] | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    blas = "unknown"
    for part in torch.__config__.show().replace(",", "\n").splitlines():
        if "BLAS_INFO=" in part:
            blas = part.split("BLAS_INFO=")[1].strip()
    return {"version": torch.__version__, "blas": blas, "threads": torch.get_num_threads()}


def chromium_version(executable: str) -> str | None:
    """``chromium --version`` of ``executable`` (`chromium_executable`'s), or None."""
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return out.strip() or None


def describe() -> dict[str, Any]:
    """The machine and the software of this run, as JSON-ready data."""
    model, cpus, vector = _cpuinfo()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 0
    try:
        import importlib.metadata

        autograd_version: str | None = importlib.metadata.version("autograd")
    except Exception:
        autograd_version = None
    return {"cpu": model, "cpus": cpus, "vector": vector, "cpus_usable": usable,
            "memory": _memory(), "os": platform.platform(),
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "numpy": np.__version__, "blas": _blas(),
            "threads": {v: os.environ.get(v) for v in THREAD_VARIABLES}, "torch": _torch(),
            "autograd": autograd_version}
