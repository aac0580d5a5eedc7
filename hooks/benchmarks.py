"""The page "How fast is backprop?", drawn at build time from the recorded benchmark run.

``benchmarks/results.json`` (written by ``python benchmarks/run.py --record ...``) is the
only thing committed; on every build, ``mkdocs serve`` included, this hook

* adds ``figures/benchmark-cost.svg`` to the site, drawn by ``benchmarks/plot.py``;
* replaces, on ``performance.md`` (the cost of backprop) and ``about.md`` (the site's own
  speed, and the package's goals), every placeholder ``<!-- bench:KEY -->`` with what
  ``benchmarks/tables.py`` makes of the results: a table (``machine``, ``cost``,
  ``three_ways``, ``generality``, ``autodiff``, ``site``, ``run``, ``run_checks``,
  ``goals``; from ``benchmarks/lighthouse.json``, ``lighthouse`` and ``lighthouse_goals``)
  when the placeholder stands alone on its line, or a single value (see ``tables.values``)
  inside a sentence.
  So the page's prose never retypes a number. An unknown KEY fails the build.

``benchmarks/plot.py`` and ``benchmarks/tables.py`` import only the standard library and are
loaded by path: while MkDocs loads this hook, ``hooks/`` is first on ``sys.path``, where
``benchmarks`` would name this very file.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.json"
#: The recorded run of benchmarks/lighthouse.py (the pages on a phone).
LIGHTHOUSE = ROOT / "benchmarks" / "lighthouse.json"
FIGURE = "figures/benchmark-cost.svg"
#: The pages that show the recorded run.
PAGES = ("performance.md", "about.md")
PLACEHOLDER = re.compile(r"<!--\s*bench:([\w.-]+)\s*-->")


def _load(stem: str) -> ModuleType:
    path = ROOT / "benchmarks" / f"{stem}.py"
    spec = importlib.util.spec_from_file_location(f"_bench_hook_{stem}", path)
    if spec is None or spec.loader is None:
        raise PluginError(f"hooks/benchmarks.py: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _results(path: Path = RESULTS) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PluginError(f"hooks/benchmarks.py: cannot read {path}: {exc}") from exc
    return data


def on_files(files: Files, config: MkDocsConfig) -> Files:
    svg = _load("plot").cost_svg(_results())
    existing = files.get_file_from_path(FIGURE)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, FIGURE, content=svg))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri not in PAGES:
        return markdown
    where = page.file.src_uri
    tables_module = _load("tables")
    results = _results()
    lighthouse = _results(LIGHTHOUSE)
    tables = {t.key: t for t in [*tables_module.tables(results),
                                 *tables_module.lighthouse_tables(lighthouse)]}
    values: dict[str, str] = {**tables_module.values(results),
                              **tables_module.lighthouse_values(lighthouse)}

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        line_start = markdown.rfind("\n", 0, match.start()) + 1
        line_end = markdown.find("\n", match.end())
        line = markdown[line_start : len(markdown) if line_end == -1 else line_end]
        alone = line.strip() == match.group(0)
        if alone and key in tables:
            return str(tables_module.render_markdown(tables[key]))
        if key in values:
            return values[key]
        known = ", ".join(sorted(tables)) + "; " + ", ".join(sorted(values))
        how = "on a line of its own" if alone else "inside a sentence"
        raise PluginError(f"{where}: unknown benchmark placeholder {key!r} {how} "
                          f"(tables, alone on a line: {known})")

    return PLACEHOLDER.sub(replace, markdown)
