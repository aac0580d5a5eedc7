"""The five sections of the benchmark, measured; :func:`run` returns JSON-ready results.

Times are seconds per call (per gradient, per forward pass). Every section times the
functions it compares in turns (:func:`benchmarks.timing.interleaved`); a ratio is that of
the fastest repeats (:func:`benchmarks.timing.ratio`), with the median of the paired
per-repeat ratios (:func:`benchmarks.timing.paired_ratio`) recorded beside it as ``*_paired``.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop_doc import backprop, backward
from backprop_doc.backprop import forward_layers
from backprop_doc.gradcheck import central_difference, layers_loss
from backprop_doc.per_weight import per_weight_gradients
from backprop_site.browser import chromium_executable
from benchmarks import autodiff, live_timing, machine, site_timing
from benchmarks.nets import Net, Problem, flatten, problem, unflatten
from benchmarks.timing import Timing, interleaved, paired_ratio, ratio

__all__ = ["FULL", "QUICK", "Plan", "run"]

Array = NDArray[np.float64]
SEED_NET = Net((2, 3, 2))


@dataclass(frozen=True)
class Plan:
    """What to measure, and how long to spend on each measurement."""

    name: str
    repeats: int
    target: float  # seconds per repeat of one function
    cost_nets: list[Net]
    cost_batches: list[int]
    three_ways_nets: list[Net]
    central_max_params: int  # central differences above this are estimated, not run
    loops_max_params: int  # the per-weight loops likewise (not at all for deeper nets)
    generality_batches: list[int]
    autodiff_batches: list[int]
    site_builds: int
    site_repeats: int
    slow_repeats: int = 5  # for a function whose single call exceeds the target
    site_warmup: int = 1  # rounds of the site's timings not counted (server and disk warm)
    notes: list[str] = field(default_factory=list)


_GROWING = [Net((2, 3, 2)), Net((8, 16, 4)), Net((32, 64, 16)), Net((128, 128, 10)),
            Net((784, 256, 10)), Net((784, 256, 128, 10))]
_DOUBLING = [Net((2, 3, 2)), Net((4, 8, 4)), Net((8, 16, 8)), Net((16, 32, 16)),
             Net((32, 64, 32)), Net((64, 128, 64))]

FULL = Plan(
    name="full", repeats=31, target=0.01,
    cost_nets=_GROWING, cost_batches=[1, 16, 256],
    three_ways_nets=[*_DOUBLING, Net((784, 256, 10)), Net((784, 256, 128, 10))],
    central_max_params=20_000, loops_max_params=210_000,
    generality_batches=[1, 4, 16, 256], autodiff_batches=[1, 16, 256],
    site_builds=3, site_repeats=5, slow_repeats=5,
)
QUICK = Plan(
    name="quick", repeats=9, target=0.003,
    cost_nets=[Net((2, 3, 2)), Net((32, 64, 16)), Net((784, 256, 10))], cost_batches=[1, 256],
    three_ways_nets=[*_DOUBLING[:4], Net((784, 256, 10))],
    central_max_params=2_000, loops_max_params=2_000,
    generality_batches=[1, 4, 256], autodiff_batches=[1, 256],
    site_builds=1, site_repeats=1, slow_repeats=3, site_warmup=0,
)


def _rel_diff(got: list[Array], want: list[Array]) -> float:
    """Norm-wise relative difference of two lists of arrays, taken as one vector."""
    num = math.sqrt(sum(float(np.sum((g - w) ** 2)) for g, w in zip(got, want, strict=True)))
    den = math.sqrt(sum(float(np.sum(w**2)) for w in want))
    return num / den if den else num


def _t(timing: Timing) -> dict[str, Any]:
    return timing.as_dict()


def _backprop_call(pr: Problem) -> Callable[[], object]:
    return partial(backprop, pr.x, pr.t, pr.weights, pr.biases)


def _backprop_grads(pr: Problem) -> list[Array]:
    result = backprop(pr.x, pr.t, pr.weights, pr.biases)
    return [*result.weight_gradients, *result.bias_gradients]


def cost(plan: Plan) -> dict[str, Any]:
    """1. backprop against forward_layers (both as a user calls them, inputs checked)."""
    rows = []
    for net in plan.cost_nets:
        for batch in plan.cost_batches:
            pr = problem(net, batch)
            tm = interleaved({
                "forward": partial(forward_layers, pr.x, pr.weights, pr.biases),
                "backprop": _backprop_call(pr),
            }, repeats=plan.repeats, target=plan.target)
            rows.append({
                "net": net.name, "sizes": list(net.sizes), "params": net.params, "batch": batch,
                "forward_s": _t(tm["forward"]), "backprop_s": _t(tm["backprop"]),
                "ratio": ratio(tm["backprop"], tm["forward"]),
                "ratio_paired": paired_ratio(tm["backprop"], tm["forward"]),
                "matmul_ratio": net.matmul_ratio,
            })
    return {"rows": rows}


def three_ways(plan: Plan) -> dict[str, Any]:
    """2. One sample's gradient by backprop, by the per-weight loops, by central differences.

    Central differences perturb each parameter of the flattened vector up and down, and
    call :func:`backprop_doc.gradcheck.layers_loss` (a forward pass, no input checks) twice
    for each: 2P forward passes. Where that would take too long it is estimated as 2P times
    the measured time of one ``layers_loss`` call, and marked so.
    """
    rows = []
    for net in plan.three_ways_nets:
        pr = problem(net, 1)
        p0 = flatten(pr.weights, pr.biases)

        def loss_of(p: Array, pr: Problem = pr) -> Any:
            ws, bs = unflatten(pr.net, p)
            return layers_loss(pr.x, pr.t, ws, bs)

        funcs: dict[str, Callable[[], object]] = {"backprop": _backprop_call(pr),
                                                  "loss": partial(loss_of, p0)}
        two_layers = len(net.layers) == 2
        run_loops = two_layers and net.params <= plan.loops_max_params
        run_central = net.params <= plan.central_max_params
        if run_loops:
            w, u = pr.weights
            b1, b2 = pr.biases
            funcs["loops"] = partial(per_weight_gradients, pr.x, pr.t, w, b1, u, b2)
        if run_central:
            funcs["central"] = partial(central_difference, loss_of, p0)
        slow = (run_central and net.params > 2_000) or (run_loops and net.params > 20_000)
        tm = interleaved(funcs, repeats=plan.slow_repeats if slow else plan.repeats,
                         target=plan.target)
        want = _backprop_grads(pr)
        row: dict[str, Any] = {
            "net": net.name, "sizes": list(net.sizes), "params": net.params, "batch": 1,
            "backprop_s": _t(tm["backprop"]), "loss_s": _t(tm["loss"]),
            "central_estimate_s": 2 * net.params * tm["loss"].min,
        }
        if run_loops:
            g = per_weight_gradients(pr.x, pr.t, *_two_layer(pr))
            row["loops_s"] = _t(tm["loops"])
            row["loops_speedup"] = ratio(tm["loops"], tm["backprop"])
            row["loops_rel_diff"] = _rel_diff([g.dw, g.du, g.db1, g.db2], want)
        else:
            row["loops_skipped"] = ("two-layer nets only" if not two_layers
                                    else f"more than {plan.loops_max_params} parameters")
        if run_central:
            grad = unflatten(net, central_difference(loss_of, p0))
            row["central_s"] = _t(tm["central"])
            row["central_speedup"] = ratio(tm["central"], tm["backprop"])
            row["central_rel_diff"] = _rel_diff([*grad[0], *grad[1]], want)
        else:
            row["central_speedup_estimate"] = row["central_estimate_s"] / tm["backprop"].min
        rows.append(row)
    return {"rows": rows}


def _two_layer(pr: Problem) -> tuple[Array, Array, Array, Array]:
    (w, u), (b1, b2) = pr.weights, pr.biases
    return w, b1, u, b2


def generality(plan: Plan) -> dict[str, Any]:
    """3. backprop (any depth) against backward (two layers) on the seed's 2-3-2 net."""
    rows = []
    for batch in plan.generality_batches:
        pr = problem(SEED_NET, batch)
        w, b1, u, b2 = _two_layer(pr)
        tm = interleaved({
            "backward": partial(backward, pr.x, pr.t, w, b1, u, b2),
            "backprop": _backprop_call(pr),
        }, repeats=plan.repeats, target=plan.target)
        g = backward(pr.x, pr.t, w, b1, u, b2)
        rows.append({
            "net": SEED_NET.name, "params": SEED_NET.params, "batch": batch,
            "backward_s": _t(tm["backward"]), "backprop_s": _t(tm["backprop"]),
            "ratio": ratio(tm["backprop"], tm["backward"]),
            "ratio_paired": paired_ratio(tm["backprop"], tm["backward"]),
            "rel_diff": _rel_diff([g.dw, g.du, g.db1, g.db2], _backprop_grads(pr)),
        })
    return {"rows": rows}


def autodiff_section(plan: Plan) -> dict[str, Any]:
    """4. The same gradient by PyTorch and by the autograd package, where installed."""
    engines = autodiff.available()
    missing = [e.name for e in autodiff.ENGINES if e not in engines]
    rows = []
    for net in plan.cost_nets:
        for batch in plan.autodiff_batches:
            pr = problem(net, batch)
            funcs: dict[str, Callable[[], object]] = {"backprop": _backprop_call(pr)}
            check: dict[str, Callable[[], list[Array]]] = {}
            for engine in engines:
                funcs[engine.name], check[engine.name] = engine.prepare(pr)
            tm = interleaved(funcs, repeats=plan.repeats, target=plan.target)
            want = _backprop_grads(pr)
            row: dict[str, Any] = {"net": net.name, "params": net.params, "batch": batch,
                                   "backprop_s": _t(tm["backprop"]), "engines": {}}
            for engine in engines:
                row["engines"][engine.name] = {
                    "time_s": _t(tm[engine.name]),
                    "ratio": ratio(tm[engine.name], tm["backprop"]),
                    "ratio_paired": paired_ratio(tm[engine.name], tm["backprop"]),
                    "rel_diff": _rel_diff(check[engine.name](), want),
                }
            rows.append(row)
    return {"engines": {e.name: e.version() for e in engines}, "missing": missing, "rows": rows}


def run(root: Path, *, quick: bool, site: bool = True,
        progress: Callable[[str], None] = lambda _msg: None) -> dict[str, Any]:
    """Every section; the site's only when ``site`` (else it says it was left out)."""
    plan = QUICK if quick else FULL
    results: dict[str, Any] = {
        "schema": 1, "plan": plan.name,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine.describe(), "timing": {
            "repeats": plan.repeats, "target_s": plan.target, "slow_repeats": plan.slow_repeats}}
    sections: list[tuple[str, Callable[[Plan], dict[str, Any]]]] = [
        ("cost", cost), ("three_ways", three_ways), ("generality", generality),
        ("autodiff", autodiff_section)]
    for name, section in sections:
        progress(f"[{name}] ...")
        results[name] = section(plan)
    progress("[site] ...")
    if site:
        results["site"] = site_timing.measure_site(
            root, builds=plan.site_builds, repeats=plan.site_repeats, warmup=plan.site_warmup,
            live=live_timing.QUICK if quick else live_timing.FULL)
    else:
        results["site"] = {"status": "skipped", "reason": "left out with --no-site"}
    executable = chromium_executable()
    results["machine"]["chromium"] = (machine.chromium_version(executable)
                                      if executable else None)
    return results
