"""The benchmark command runs and prints its table; the recorded run draws the page.

These check that ``benchmarks/run.py --quick`` works from this checkout and says something
about every section, never how fast anything is: timings belong to the benchmark's table,
not to a test's verdict.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from benchmarks import site_timing

from backprop_site import bench_tables, plots

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "benchmarks" / "results.json"
#: The pages that show the recorded run: the cost of backprop, and the site's own speed.
PAGES = [ROOT / "docs" / "performance.md", ROOT / "docs" / "about.md"]
SECTION_TITLES = [
    "Machine",
    "1. Cost of the gradient against the forward pass",
    "2. The same gradient three ways (one sample)",
    "2b. What central differences cost, and how well the three agree",
    "3. Any-depth backprop against the two-layer backward",
    "4. Against independent automatic differentiation",
    "4b. How well they agree with backprop",
    "5. The site",
    "6. The Run buttons (Python in the browser)",
    "6b. Check this page, on every page (Python already loaded)",
    "Goals (ratios measured in this run, one thread each)",
]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory,
              session_browser: Any) -> tuple[str, dict[str, Any]]:
    """``python -m benchmarks.run --quick --record ...``, run once for the module; like every
    browser test, skipped without Chromium (failed under CI=true), so its site sections must
    be measured (a missing browser's section: the last test)."""
    record = tmp_path_factory.mktemp("bench") / "quick.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--record", str(record)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=600, check=False,
    )
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result.stdout, json.loads(record.read_text(encoding="utf-8"))


@pytest.mark.browser
def test_quick_run_prints_every_section(quick_run: tuple[str, dict[str, Any]]) -> None:
    out, _ = quick_run
    for title in SECTION_TITLES:
        assert f"{title}\n{'=' * len(title)}\n" in out, f"section {title!r} missing:\n{out}"


@pytest.mark.browser
def test_quick_run_describes_the_machine(quick_run: tuple[str, dict[str, Any]]) -> None:
    out, results = quick_run
    machine = out.split("\n\n")[0]
    for field in ("CPU", "Python", "NumPy", "BLAS", "PyTorch", "threads"):
        assert field in machine, f"{field} missing from the machine's description:\n{machine}"
    assert re.search(r"^threads +1 \(", machine, re.M), "the run was not on one thread"
    assert results["machine"]["threads_set_before_import"] is True


@pytest.mark.browser
def test_quick_run_has_rows_in_every_measured_section(
    quick_run: tuple[str, dict[str, Any]],
) -> None:
    _, results = quick_run
    for section in ("cost", "three_ways", "generality", "autodiff"):
        assert results[section]["rows"], f"section {section} has no rows"
    assert results["plan"] == "quick"


@pytest.mark.browser
def test_quick_run_measures_the_site(
    quick_run: tuple[str, dict[str, Any]],
) -> None:
    out, results = quick_run
    site = results["site"]
    assert site["status"] == "ok", site
    section = out.split("5. The site\n")[1].split("\n\n")[0]
    assert "every formula drawn, cold" in section and "instant navigation" in section


@pytest.mark.browser
def test_quick_run_times_the_run_buttons(
    quick_run: tuple[str, dict[str, Any]],
) -> None:
    out, results = quick_run
    section = out.split("6. The Run buttons (Python in the browser)\n")[1].split("\n\n")[0]
    run = results["site"].get("run")
    assert run is not None and run["status"] == "ok", run
    for row in ("plain page load", "first Run, cold", "first Run, warm", "Check this page"):
        assert row in section, f"{row!r} missing:\n{section}"
    # Pyodide, NumPy and the wheel come with the first press, and not before it.
    assert not [p for p in run["plain_bytes"]["paths"] if "pyodide" in p or ".whl" in p]
    cold = " ".join(run["cold_bytes"]["paths"])
    assert "pyodide.asm.wasm" in cold and "numpy" in cold and "backprop_doc" in cold, cold
    assert all(c["result"] == "pass" for c in run["checks"]), run["checks"]


@pytest.mark.browser
def test_quick_run_states_every_goal(quick_run: tuple[str, dict[str, Any]]) -> None:
    out, _ = quick_run
    goals = out.split("Goals (ratios measured in this run, one thread each)\n")[1]
    for goal in ("at most 3", "1.2", "PyTorch"):
        assert goal in goals
    assert re.search(r"\b(met|MISSED|not measured)\b", goals)


def test_recorded_run_is_a_full_run() -> None:
    results = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert results["plan"] == "full", "the page must show a full run, not a --quick one"
    assert results["machine"]["cpu"] and results["machine"]["numpy"]


def test_the_figure_is_drawn_from_the_recorded_run_deterministically() -> None:
    results = json.loads(RECORDED.read_text(encoding="utf-8"))
    svg = plots.cost_svg(results)
    assert svg == plots.cost_svg(json.loads(RECORDED.read_text(encoding="utf-8")))
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # One marker per point of each method: measured, and (hollow, dashed) estimated.
    for name, points in plots.cost_series(results).items():
        for gid, want in ((f"cost-{name}", [p for p in points if p[2]]),
                          (f"cost-{name}-estimated", [p for p in points if not p[2]])):
            group = root.find(f".//{{http://www.w3.org/2000/svg}}g[@id='{gid}']")
            if not want:
                assert group is None, gid
                continue
            assert group is not None, gid
            assert len(list(group.iter("{http://www.w3.org/2000/svg}use"))) == len(want), gid


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_placeholder_of_the_page_has_its_table_or_value(page: Path) -> None:
    tables = bench_tables
    results = json.loads(RECORDED.read_text(encoding="utf-8"))
    lighthouse = json.loads((ROOT / "benchmarks" / "lighthouse.json").read_text("utf-8"))
    known = ({t.key for t in [*tables.tables(results), *tables.lighthouse_tables(lighthouse)]}
             | set(tables.values(results)) | set(tables.lighthouse_values(lighthouse)))
    placeholders = re.findall(r"<!-- md:bench ([\w.-]+) -->", page.read_text(encoding="utf-8"))
    assert placeholders, "the page shows nothing of the recorded run"
    assert set(placeholders) <= known, set(placeholders) - known
    for table in tables.tables(results):
        markdown = tables.render_markdown(table)
        assert markdown.count("\n|") >= 2, f"{table.key}: no rows"


@pytest.mark.integration
def test_without_chromium_the_site_section_says_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """Never silently: with no browser, section 5 still times the build and says why not."""
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium-here"))
    site = site_timing.measure_site(ROOT, builds=1, repeats=1)
    assert site["status"] == "skipped"
    assert "no Chromium at" in site["reason"] and "build_s" in site
    results = json.loads(RECORDED.read_text(encoding="utf-8"))
    results["site"] = site
    text = bench_tables.render_text(results)
    section = text.split("5. The site\n")[1].split("\n\n")[0]
    assert "SKIPPED" in section and site["reason"] in section
