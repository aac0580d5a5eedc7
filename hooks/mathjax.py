"""Serve MathJax from the site itself: no CDN, works offline.

MathJax 3.2.2 comes from the pinned PyPI wheel ``django-static-mathjax`` (its files are
under ``mathjax/static/mathjax/es5/``). On every build, ``mkdocs serve`` included, this
hook adds to the site, under ``assets/mathjax/``:

* the component that ``extra_javascript`` names (e.g. ``assets/mathjax/tex-svg.js``),
* the TeX extensions that the component's ``autoload`` fetches on demand
  (``\\boldsymbol``, ``\\cancel``, ``\\color``, ...), so that no macro ever needs the network,
* the CHTML web fonts, but only if the component is a CHTML one (SVG needs no fonts).

Nothing of MathJax is committed to the repository. The files are added to MkDocs' own file
collection, so MkDocs copies them like any other static file.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

#: Where the MathJax files go in the built site.
SITE_PREFIX = "assets/mathjax/"
#: The MathJax release the site is written for (the wheel is versioned 3.2.2.N).
MATHJAX_VERSION = "3.2.2"
#: Directories (relative to es5/) that a component may load from at run time.
TEX_EXTENSIONS = "input/tex/extensions"
CHTML_FONTS = "output/chtml/fonts/woff-v2"


def mathjax_es5_dir() -> Path:
    """Return the ``es5`` directory of the installed MathJax wheel."""
    # The package "mathjax" is the one the wheel django-static-mathjax installs.
    return Path(str(importlib.resources.files("mathjax"))) / "static" / "mathjax" / "es5"


def _component(config: MkDocsConfig) -> str:
    """Return the MathJax component named in ``extra_javascript`` (e.g. ``tex-svg.js``)."""
    names = [
        str(script).removeprefix(SITE_PREFIX)
        for script in config.extra_javascript
        if str(script).startswith(SITE_PREFIX)
    ]
    if len(names) != 1:
        raise PluginError(
            f"hooks/mathjax.py: extra_javascript must name one {SITE_PREFIX}<component>.js,"
            f" found {names!r}"
        )
    return names[0]


def needed_files(component: str, es5: Path) -> list[Path]:
    """Return the paths, relative to ``es5``, that the site needs for ``component``."""
    if not (es5 / component).is_file():
        raise PluginError(f"hooks/mathjax.py: MathJax component {component!r} not found in {es5}")
    wanted = [Path(component)]
    directories = [TEX_EXTENSIONS]
    if "chtml" in component:
        directories.append(CHTML_FONTS)
    for directory in directories:
        wanted += sorted(p.relative_to(es5) for p in (es5 / directory).rglob("*") if p.is_file())
    return wanted


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    version = importlib.metadata.version("django-static-mathjax")
    if not version.startswith(MATHJAX_VERSION + "."):
        raise PluginError(
            f"hooks/mathjax.py: expected django-static-mathjax {MATHJAX_VERSION}.*, got {version}"
        )
    _component(config)  # fail early on a bad extra_javascript
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    es5 = mathjax_es5_dir()
    for relative in needed_files(_component(config), es5):
        src_uri = SITE_PREFIX + relative.as_posix()
        if files.get_file_from_path(src_uri) is None:
            files.append(File.generated(config, src_uri, abs_src_path=str(es5 / relative)))
    return files
