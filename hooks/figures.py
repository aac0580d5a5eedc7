"""Draw the site's figures at build time: nothing generated is committed.

On every build, ``mkdocs serve`` included, this hook calls the drawing functions of
``site_tools/figures.py`` (the site's code, not the package's) and adds their SVG text to
MkDocs' file collection as generated files, so a page links to them like to any other
file of ``docs/``:

* ``figures/network.svg``: Figure 1, the 2-3-2 net (``network_svg``).
* ``figures/network-numbers.svg``: Figure 1 with the worked example's numbers
  (``network_svg(numbers=True)``).
* ``figures/backward-flow.svg``: the backward pass on Figure 1 (``backward_flow_svg``), and
  ``figures/backward-flow-numbers.svg`` with the worked example's values
  (``backward_flow_svg(numbers=True)``).
* ``figures/w11-paths.svg``: the two paths of w11 to the loss (``w11_paths_svg``).
* ``figures/loss-curve.svg``: the training page's run, trained afresh (``training_curve``).
* ``figures/hidden-lines.svg``: the lines of the trained hidden units in the input plane
  (``site_tools/plots.py``, ``hidden_lines_svg``, drawn with matplotlib).

A file of the same name in ``docs/`` is an error: it would hide the generated one.

On a phone the figures drawn on Figure 1's 700-unit layout (`SCROLLING`) would shrink to
half size, their labels to 7 or 8 px. So each page's ``<img>`` of one of them is wrapped in
``<span class="bpd-figscroll">`` (a span, allowed inside a paragraph, displayed as a
block): ``docs/stylesheets/extra.css`` keeps the figure at least 560 px wide (its labels
12 px and more) and lets it scroll sideways in that box, not the page, and
``docs/javascripts/a11y.js`` makes the box focusable while it scrolls, as it does for wide
tables and formulas.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
#: Where the package's source lives, for a build without ``pip install -e .``.
SRC = ROOT / "src"
#: The title of the loss curve (its accessible name; the page gives the caption).
LOSS_CURVE_TITLE = "Loss while training the half adder"


def _figures() -> dict[str, Callable[[], str]]:
    """The generated files: site path -> function returning the SVG text."""
    if importlib.util.find_spec("backprop_doc") is None:
        sys.path.insert(0, str(SRC))
    if importlib.util.find_spec("site_tools") is None:
        sys.path.insert(0, str(ROOT))
    from site_tools import figures, plots

    return {
        "figures/network.svg": figures.network_svg,
        "figures/network-numbers.svg": lambda: figures.network_svg(numbers=True),
        "figures/backward-flow.svg": figures.backward_flow_svg,
        "figures/backward-flow-numbers.svg": lambda: figures.backward_flow_svg(numbers=True),
        "figures/w11-paths.svg": figures.w11_paths_svg,
        "figures/loss-curve.svg": lambda: figures.loss_curve_svg(
            figures.training_curve(), title=LOSS_CURVE_TITLE, log_y=True
        ),
        "figures/hidden-lines.svg": plots.hidden_lines_svg,
    }


#: The figures on Figure 1's layout, 700 units wide: they scroll sideways on a phone.
SCROLLING = ("network", "network-numbers", "backward-flow", "backward-flow-numbers",
             "w11-paths")  # fmt: skip
_SCROLLING_IMG = re.compile(
    r'<img\b[^>]*\bsrc="(?:[^"]*/)?figures/(?:' + "|".join(map(re.escape, SCROLLING))
    + r')\.svg"[^>]*>'
)


def wrap_scrolling(html: str) -> str:
    """``html`` with each ``<img>`` of a `SCROLLING` figure in its scroll box."""
    return _SCROLLING_IMG.sub(lambda m: f'<span class="bpd-figscroll">{m.group(0)}</span>', html)


def on_page_content(html: str, **kwargs: object) -> str:
    return wrap_scrolling(html)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri, draw in _figures().items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(
                f"hooks/figures.py: docs/{src_uri} exists, but that figure is drawn at build "
                f"time; delete the file"
            )
        files.append(File.generated(config, src_uri, content=draw()))
    return files
