"""Timing with :mod:`timeit`: calibrated, repeated, and interleaved.

Each repeat lasts about ``target`` seconds; the repeats of the functions compared take turns
(A B, B A, ...), so a burst of noise hits all alike. A ratio is that of the minima
(:func:`ratio`: noise only ever adds time), with the median of the paired per-repeat ratios
(:func:`paired_ratio`) recorded beside it as a check.
"""

from __future__ import annotations

import math
import statistics
import timeit
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Timing", "calibrate", "interleaved", "paired_ratio", "ratio", "stats"]


@dataclass(frozen=True)
class Timing:
    """Seconds per call, one sample per repeat."""

    samples: tuple[float, ...]
    number: int

    @property
    def min(self) -> float:
        """The fastest repeat's seconds per call."""
        return min(self.samples)

    @property
    def median(self) -> float:
        """The median repeat's seconds per call."""
        return statistics.median(self.samples)

    def as_dict(self) -> dict[str, Any]:
        """The timing as JSON-ready data."""
        return {
            "min": self.min,
            "median": self.median,
            "repeats": len(self.samples),
            "number": self.number,
            "samples": list(self.samples),
        }


def calibrate(timer: timeit.Timer, target: float) -> int:
    """The number of calls that makes one repeat last about ``target`` seconds (at least 1).

    The first call is a warm-up (caches, lazy imports, first allocation) and is discarded.
    """
    timer.timeit(1)
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= target / 4 or number >= 1_000_000:
            break
        number *= 10 if elapsed < target / 100 else 4
    per_call = elapsed / number
    return max(1, min(1_000_000, math.ceil(target / max(per_call, 1e-9))))


def interleaved(
    funcs: Mapping[str, Callable[[], object]], *, repeats: int, target: float
) -> dict[str, Timing]:
    """Time each function ``repeats`` times, taking turns, and return a Timing per name."""
    timers = {name: timeit.Timer(f) for name, f in funcs.items()}
    numbers = {name: calibrate(timer, target) for name, timer in timers.items()}
    samples: dict[str, list[float]] = {name: [] for name in funcs}
    names = list(funcs)
    for r in range(repeats):
        for name in names if r % 2 == 0 else names[::-1]:
            samples[name].append(timers[name].timeit(numbers[name]) / numbers[name])
    return {name: Timing(tuple(samples[name]), numbers[name]) for name in names}


def paired_ratio(a: Timing, b: Timing) -> float:
    """The median over repeats of a's time over b's, each pair measured back to back."""
    return statistics.median(x / y for x, y in zip(a.samples, b.samples, strict=True))


def ratio(a: Timing, b: Timing) -> float:
    """A's fastest repeat over b's."""
    return a.min / b.min


def stats(samples: list[float]) -> dict[str, Any]:
    """Minimum, median, maximum and the samples of a series of seconds."""
    return {"min": min(samples), "median": statistics.median(samples), "max": max(samples),
            "repeats": len(samples), "samples": samples}
