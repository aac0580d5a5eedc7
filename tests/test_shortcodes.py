"""One placeholder syntax, ``<!-- md:KIND ARG ... -->``: what the dispatcher finds, and a
shortcode that is unknown or malformed fails the build naming the page and the line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

import backprop_site.hooks  # noqa: F401 - registers every kind
from backprop_site import shortcodes
from helpers import sample_project

ROOT = Path(__file__).resolve().parents[1]
PAGE = "Text.\n\n<!-- md:bench cost -->\n\nA value: <!-- md:run mb --> MB.\n"


def test_the_shortcodes_of_a_page_are_found_with_their_line_and_arguments() -> None:
    found = [code for _, code in shortcodes.find(PAGE, "p.md")]
    assert [(c.kind, c.args, c.line, c.alone) for c in found] == [
        ("bench", ("cost",), 3, True), ("run", ("mb",), 5, False)]


@pytest.mark.parametrize(("text", "message"), [
    ("<!-- md:stepr full -->", r"p\.md:3: <!-- md:stepr full -->: unknown kind 'stepr'"),
    ("<!-- md: stepper full -->", r"p\.md:3: '<!-- md: stepper full -->' is not a shortcode"),
    ("<!-- md:stepper full", r"p\.md:3: '<!-- md:stepper full' is not a shortcode"),
    ("<!-- stepper:full -->", r"p\.md:3: '<!-- stepper:full -->' is not a shortcode of the "
                              r"form <!-- md:KIND ARG \.\.\. -->"),
])
def test_an_unknown_or_malformed_shortcode_names_the_page_and_line(text: str,
                                                                    message: str) -> None:
    with pytest.raises(PluginError, match=message):
        shortcodes.find(f"# Title\n\n{text}\n", "p.md")


def test_every_shortcode_of_the_pages_is_known() -> None:
    for page in sorted((ROOT / "docs").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        found = shortcodes.find(text, str(page))
        assert len(found) == len(re.findall("<!--", text)), page  # no other comment


def test_a_bad_shortcode_fails_the_build_naming_the_page_and_the_line(
        tmp_path: Path, mkdocs_builder: Any) -> None:
    config = sample_project(tmp_path, {"index.md": "# Home\n\nSee <!-- md:offlin zip -->.\n"})
    result = mkdocs_builder(config, tmp_path / "site", "http://127.0.0.1:8000/")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "index.md:3: <!-- md:offlin zip -->: unknown kind 'offlin'" in output, output
