"""The site as one zip that works from a folder, linked from the home page.

On file:// links go to the pages' ``index.html`` (``docs/javascripts/file-links.js``) and
the Run buttons and search say they need the folder served. This hook puts, before
Material's script on every page, a line that turns instant navigation off on file:// only
(there Material 9.7 and 9.8 end ``document$`` before it emits, so no component would be
set up); and on ``mkdocs build``, after the other hooks, zips the site into
``downloads/backprop-doc-site.zip`` (one folder, ``backprop-doc/``), which ``<!-- md:offline
zip -->`` links to (under ``mkdocs serve``, it says there is none).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from backprop_site.shortcodes import Context, Shortcode, kind

ZIP = "downloads/backprop-doc-site.zip"
FOLDER = "backprop-doc/"
#: Zip entries' date (zip's epoch, 1980): the same site gives the same zip.
EPOCH = (1980, 1, 1, 0, 0, 0)
_state = {"zip": True}
CONFIG = re.compile(r'(<script id="__config" type="application/json">.*?</script>)', re.S)
#: Runs before Material's bundle, which reads the features from the JSON above it.
NO_INSTANT_ON_FILE = (
    '<script>if (location.protocol === "file:") { const c = document.getElementById('
    '"__config"); const d = JSON.parse(c.textContent); d.features = d.features.filter('
    'f => f !== "navigation.instant"); c.textContent = JSON.stringify(d); }</script>')


def on_startup(command: str, dirty: bool) -> None:
    """Note whether this build makes the zip (not under ``mkdocs serve``)."""
    _state["zip"] = command != "serve"


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The page with the line that turns instant navigation off on file://."""
    return CONFIG.sub(lambda m: m[1] + NO_INSTANT_ON_FILE, output, count=1)


@kind("offline", "html")
def offline_shortcode(code: Shortcode, context: Context) -> str:
    """``<!-- md:offline zip -->``: a link to the site's zip (a sentence under serve)."""
    if code.args != ("zip",):
        raise PluginError(f"{code.where}: expected the argument zip")
    if not _state["zip"]:
        return ("the whole site as one zip (which <code>python3 dev.py build</code> makes; "
                "<code>mkdocs serve</code> does not)")
    href = "../" * context.page.url.count("/") + ZIP
    return f'<a href="{href}" download>the whole site as one zip</a>'


def on_post_build(config: MkDocsConfig) -> None:
    """Zip the built site into downloads/backprop-doc-site.zip."""
    if not _state["zip"]:
        return
    site = Path(config.site_dir)
    target = site / ZIP
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    files = sorted(p for p in site.rglob("*") if p.is_file() and p not in (target, partial))
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            entry = zipfile.ZipInfo(FOLDER + path.relative_to(site).as_posix(), EPOCH)
            archive.writestr(entry, path.read_bytes(), zipfile.ZIP_DEFLATED)
    partial.replace(target)
