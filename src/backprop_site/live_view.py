"""The training page's live view: ``<!-- md:live -->`` becomes the net, training, in the page.

What the build puts in the page (``templates/live.html``; the reader's browser then runs
the view: ``docs/live/live.js`` draws, `backprop_site.live` computes in the Run buttons'
Python, served as ``run/live.py``):

* the view's controls, its canvases and Figure 1 inline (``network_svg(stepper=True)``,
  every weight, bias and unit named by its symbol), hidden until ``live.js`` shows them;
* the formula of every weight, bias and unit (`backprop_site.live.formulas`), as TeX that
  `backprop_site.typeset` draws like every formula of the site (their symbols get the
  notation table's meanings too); the view shows the one the reader points at, with this
  iteration's numbers that the page's Python puts in;
* the view's starting state as JSON (``data-live``): the page's seeded run at iteration 0,
  from ``live.Session`` (the numbers ``Session.numbers`` gives the browser), the data sets,
  the symbols;
* snapshots of the same run at a few iterations (`plots.LIVE_SNAPSHOTS`), drawn by
  `plots.live_snapshot_svg` as ``figures/live-<iteration>.svg`` (``hooks.FIGURES``): what
  the view shows with JavaScript off and on paper (with JavaScript, folded under the view).
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup
from mkdocs.exceptions import PluginError

from backprop_site import live, plots, templates
from backprop_site.figures import network_svg
from backprop_site.shortcodes import Context, Shortcode, kind

#: The speeds the reader can choose, in steps per frame, and the one the view starts at.
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200)
SPEED = 10
#: The page the "Step through this iteration" link opens, and the figure's anchor there.
STEPPER = "worked-example.md"


def initial_state() -> dict[str, Any]:
    """What the view starts from: the page's run at iteration 0, and its choices."""
    session = live.Session()
    return {
        "numbers": session.numbers().tolist(),  # 38 numbers: no grid before Python runs
        "lo": live.LO, "hi": live.HI, "grid": live.GRID,
        "data": {key: {"name": d.name, "eta": repr(d.eta), "outputs": d.outputs}
                 for key, d in live.DATA.items()},
        "start": session.state(),
        "symbols": live.SYMBOLS,
        "speed": SPEED,
    }


def snapshot_alt(iteration: int) -> str:
    """The alt text of a snapshot: its SVG's description."""
    svg = plots.live_snapshot_svg(iteration)
    desc = re.search(r"<desc [^>]*>(.*?)</desc>", svg, re.S)
    assert desc is not None
    return Markup(desc.group(1)).unescape()


@kind("live", "html")
def live_shortcode(code: Shortcode, context: Context) -> str:
    """``<!-- md:live -->``, alone on its line: the view (`templates/live.html`)."""
    if code.args or not code.alone:
        raise PluginError(f"{code.where}: expected <!-- md:live --> alone on its line, with "
                          "no arguments")
    page, files = context.page, context.files
    state = initial_state()
    target = files.get_file_from_path(STEPPER)
    if target is None:
        raise PluginError(f"{code.where}: the view links to {STEPPER}'s step-through figure, "
                          "which is not a page of the site")
    first = files.get_file_from_path(f"figures/live-{plots.LIVE_SNAPSHOTS[0]}.svg")
    if first is None:
        raise PluginError(f"{code.where}: the snapshots (figures/live-*.svg) are not files of "
                          "the site: hooks.FIGURES draws them")
    svg = network_svg(stepper=True).replace("bpd-stepper-", "bpd-live-")
    svg = re.sub(r"<title ([^>]*)>[^<]*</title>",
                 r"<title \1>The net being trained, its weights drawn by size and sign</title>",
                 svg, count=1)
    run_mb = f"{context.config['extra']['backprop_doc_run_bytes'] / 1e6:.1f}"
    shots = plots.LIVE_SNAPSHOTS
    return templates.render(
        "live.html",
        state=json.dumps(state, ensure_ascii=False), start=state["start"],
        loss=f"{state['numbers'][1]:.7g}", speeds=SPEEDS, speed=SPEED, data=state["data"],
        classes=live.CLASSES, symbols=live.SYMBOLS, formulas=live.formulas(),
        svg=Markup(svg), lo=f"{live.LO:g}", hi=f"{live.HI:g}",
        stepper=target.url_relative_to(page.file) + "#step-through-it", run_mb=run_mb,
        figures=first.url_relative_to(page.file).rsplit("/", 1)[0] + "/",
        shots=[(i, snapshot_alt(i)) for i in shots],
        iterations=", ".join(str(i) for i in shots[:-1]) + f" and {shots[-1]}",
    )
