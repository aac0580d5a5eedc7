"""The page "Exercises": every exercise of the site, listed at build time from the pages.

An exercise is a level-3 heading of the form

    ### Exercise 4.2: Softmax with cross-entropy (★★★ challenge) { #ex-4-2 }

whose section holds exactly one folded solution, ``??? success "Solution"``. The shortcode
``<!-- md:exercises -->`` becomes one table per page, in nav order (number, title linked to
its anchor, difficulty), and under it how many have an answer cell (`backprop_site.checks`;
``docs/answer/answer.js`` counts the reader's solved ones). A heading "Exercise ..." of
another form, a section without its one solution, an unknown difficulty or an anchor used
twice fails the build.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from backprop_site.checks import CHECKED
from backprop_site.shortcodes import Context, Shortcode, kind

PAGE = "exercises.md"
#: The difficulty marks, in order, and the word that goes with each.
LEVELS = {"★☆☆": "warm-up", "★★☆": "practice", "★★★": "challenge"}

HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*$", re.M)
EXERCISE = re.compile(
    r"^Exercise (?P<number>[0-9A-Z]+\.\d+): (?P<title>[^$\\]+?) "
    r"\((?P<stars>[★☆]{3}) (?P<level>[a-z-]+)\) \{ ?#(?P<anchor>ex-[a-z0-9-]+) ?\}$"
)
SOLUTION = re.compile(r'^\?\?\?\+? success "Solution"[ \t]*$', re.M)


@dataclass(frozen=True)
class Exercise:
    """One exercise: its number, title, difficulty and anchor."""

    number: str  # "4.2", "W.1"
    title: str
    stars: str  # "★★☆"
    level: str  # "practice"
    anchor: str  # "ex-4-2"


def _outside_fences(text: str) -> str:
    """``text`` with the lines of fenced code blocks blanked (a ``#`` in code is no heading)."""
    lines, fence = [], ""
    for line in text.split("\n"):
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
            lines.append("")
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            lines.append("")
        else:
            lines.append(line)
    return "\n".join(lines)


def parse(text: str, where: str = "page") -> list[Exercise]:
    """The exercises of one page's Markdown, in page order; malformed ones raise."""
    text = _outside_fences(text)
    headings = list(HEADING.finditer(text))
    found: list[Exercise] = []
    for k, heading in enumerate(headings):
        if not heading["text"].startswith("Exercise "):
            continue
        match = EXERCISE.match(heading["text"])
        if len(heading["hashes"]) != 3 or match is None:
            raise PluginError(
                f"{where}: {heading.group(0)!r} is not an exercise heading of the form "
                "'### Exercise 4.2: Title (★★☆ practice) { #ex-4-2 }'"
            )
        if LEVELS.get(match["stars"]) != match["level"]:
            known = ", ".join(f"({s} {w})" for s, w in LEVELS.items())
            raise PluginError(f"{where}: Exercise {match['number']}: difficulty "
                              f"({match['stars']} {match['level']}) is not one of {known}")
        end = headings[k + 1].start() if k + 1 < len(headings) else len(text)
        solutions = len(SOLUTION.findall(text, heading.end(), end))
        if solutions != 1:
            raise PluginError(f"{where}: Exercise {match['number']} has {solutions} folded "
                              "solutions (??? success \"Solution\"), not one")
        found.append(Exercise(match["number"], match["title"], match["stars"], match["level"],
                              match["anchor"]))
    return found


def _title(text: str, fallback: str) -> str:
    match = re.search(r"^# (.+)$", _outside_fences(text), re.M)
    return match.group(1).strip() if match else fallback


def listing(pages: list[tuple[str, str]], here: str = PAGE) -> str:
    """The Markdown of the list: ``pages`` is (src_uri, Markdown source) in nav order."""
    seen: dict[str, str] = {}
    parts: list[str] = []
    total = pages_with = 0
    for src_uri, text in pages:
        exercises = parse(text, src_uri)
        if not exercises:
            continue
        link = posixpath.relpath(src_uri, posixpath.dirname(here) or ".")
        for exercise in exercises:
            key = f"{src_uri}#{exercise.anchor}"
            if key in seen:
                raise PluginError(f"{src_uri}: anchor #{exercise.anchor} is used twice")
            seen[key] = exercise.number
        total += len(exercises)
        pages_with += 1
        rows = "".join(
            f"| {e.number} | [{e.title}]({link}#{e.anchor}) | {e.stars} {e.level} |\n"
            for e in exercises
        )
        parts.append(f"## [{_title(text, src_uri)}]({link})\n\n"
                     "| Exercise | Title | Difficulty |\n|---|---|---|\n" + rows
                     + progress_line([e.number for e in exercises]))
    counts = f"{total} exercises on {pages_with} pages.\n\n"
    return counts + "\n".join(parts)


def progress_line(numbers: list[str]) -> str:
    """The line under a page's table: how many of ``numbers`` have an answer cell (none: no
    line); the page's script says how many of them the reader solved."""
    checked = [n for n in numbers if n in CHECKED]
    if not checked:
        return ""
    verb = "has" if len(checked) == 1 else "have"
    return (f'\n<p class="answer-progress" data-exercises="{" ".join(checked)}">'
            f"{len(checked)} of these {len(numbers)} exercises {verb} an answer cell that "
            "checks your code in your browser.</p>\n")


_nav_order: list[str] = []


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Note the order of the navigation's pages."""
    _nav_order[:] = [page.file.src_uri for page in nav.pages]
    return nav


@kind("exercises")
def exercises_shortcode(code: Shortcode, context: Context) -> str:
    """``<!-- md:exercises -->``: the list of every exercise of the pages, in nav order."""
    if code.args:
        raise PluginError(f"{code.where}: takes no argument")
    here = context.page.file.src_uri
    sources = []
    for src_uri in _nav_order:
        file = context.files.get_file_from_path(src_uri)
        if src_uri != here and file is not None and src_uri.endswith(".md"):
            sources.append((src_uri, file.content_string))
    return listing(sources, here)
