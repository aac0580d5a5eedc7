"""All the benchmarks, one table: ``python -m benchmarks.run [--quick] [--record PATH]``.

Sections: 1 cost (backprop against the forward pass), 2 three ways (matrix form, per-weight
loops, central differences), 3 generality (any-depth ``backprop`` against ``backward``), 4
autodiff (PyTorch, autograd), 5 the site's build and formulas, 6 the Run buttons, 8 the live
view (7 is ``benchmarks/lighthouse.py``'s). One thread: the BLAS variables are set here,
before NumPy or PyTorch is imported. ``--quick`` runs a subset in about a minute;
``--record PATH`` writes the results as JSON (the page "How fast is backprop?" is drawn
from ``benchmarks/results.json``); ``--live-only --record PATH`` measures section 8 alone.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def main(argv: list[str] | None = None) -> int:
    """The command line: run every section, print the table, record it if asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a subset of every section, in under a minute")
    parser.add_argument("--record", type=Path, metavar="PATH",
                        help="also write the results as JSON to PATH")
    parser.add_argument("--no-site", action="store_true",
                        help="leave out section 5 (it says so in the table)")
    parser.add_argument("--live-only", action="store_true",
                        help="measure section 8 (the live view) alone and write it into the "
                             "run recorded at --record, the other sections kept as they are")
    args = parser.parse_args(argv)

    threads_first = "numpy" not in sys.modules and "torch" not in sys.modules
    for variable in THREAD_VARIABLES:
        os.environ[variable] = "1"
    from backprop_site import bench_tables as tables
    from benchmarks import suite

    if args.live_only:
        return live_only(args.record, quick=args.quick)
    started = time.perf_counter()
    results = suite.run(ROOT, quick=args.quick, site=not args.no_site,
                        progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    results["machine"]["threads_set_before_import"] = threads_first
    results["elapsed_s"] = time.perf_counter() - started
    print(tables.render_text(results))
    if args.record:
        args.record.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"recorded in {args.record}", file=sys.stderr)
    return 0


def live_only(record: Path | None, *, quick: bool) -> int:
    """Section 8 alone, written into the recorded run (``--record``), which it needs."""
    from backprop_site import bench_tables as tables
    from benchmarks import live_timing, site_timing

    if record is None or not record.is_file():
        print("--live-only writes into a recorded run: give it with --record PATH",
              file=sys.stderr)
        return 2
    results = json.loads(record.read_text(encoding="utf-8"))
    print("[live] ...", file=sys.stderr, flush=True)
    results["site"]["live"] = site_timing.measure_live_only(
        ROOT, live_timing.QUICK if quick else live_timing.FULL, repeats=1 if quick else 3)
    record.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(tables.render_text(results))
    print(f"section 8 recorded in {record}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
