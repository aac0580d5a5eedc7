"""backprop_site/pycon.py: how the Run buttons run a block, checked in CPython.

The browser runs the same file in Pyodide (tests/test_run.py); here each behaviour is pinned
on small blocks whose right answer is known by hand, and the comparison is checked against
the test suite's own (Sybil's) on every block of every page.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from backprop_site import pycon

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^(?P<indent>[ \t]*)```pycon\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)


def page_blocks(path: Path) -> list[str]:
    """The doctest blocks of a page, de-indented, in page order."""
    blocks = []
    for match in FENCE.finditer(path.read_text(encoding="utf-8")):
        indent = len(match["indent"])
        blocks.append("".join(line[indent:] for line in match["body"].splitlines(True)))
    return blocks


PAGES = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")
               if page_blocks(p))


def test_a_matching_block_passes_and_its_names_stay() -> None:
    session = pycon.Session()
    first = session.run_doctest(">>> a = 2 + 3\n>>> a * 4\n20\n")
    second = session.run_doctest(">>> a - 1\n4\n")
    assert [r.ok for r in first + second] == [True, True, True]
    assert second[0].got == "4\n"


def test_a_wrong_output_fails_with_what_it_printed_and_what_the_page_prints() -> None:
    (record,) = pycon.Session().run_doctest(">>> print(2 ** 10)\n1000\n")
    assert (record.ok, record.got, record.want, record.raised) == (False, "1024\n", "1000\n",
                                                                   False)


def test_the_comparison_normalizes_whitespace_and_allows_ellipsis() -> None:
    records = pycon.Session().run_doctest(
        ">>> list(range(12))\n[0, 1, 2,\n 3, 4, 5, 6, 7, 8, 9, 10, 11]\n"
        ">>> 'abcdefgh'\n'ab...gh'\n")
    assert [r.ok for r in records] == [True, True]


def test_an_exception_shows_the_readers_traceback_and_the_namespace_stays() -> None:
    session = pycon.Session()
    records = session.run_doctest(">>> def f(n):\n...     return 10 // n\n>>> f(0)\n5\n")
    boom = records[-1]
    assert boom.raised and boom.ok is False
    assert boom.got.startswith("Traceback (most recent call last):\n")
    assert "ZeroDivisionError" in boom.got and "return 10 // n" in boom.got
    assert "doctest.py" not in boom.got
    (after,) = session.run_doctest(">>> f(2)\n5\n")
    assert after.ok is True


def test_an_expected_exception_passes_and_a_wrong_one_hides_doctests_frames() -> None:
    session = pycon.Session()
    right = session.run_doctest(">>> int('x')\nTraceback (most recent call last):\n...\n"
                                "ValueError: invalid literal for int() with base 10: 'x'\n")
    wrong = session.run_doctest(">>> int('x')\nTraceback (most recent call last):\n...\n"
                                "TypeError: nope\n")
    assert right[0].ok is True
    assert wrong[0].ok is False and wrong[0].raised
    assert "doctest.py" not in wrong[0].got and "ValueError" in wrong[0].got


def test_warnings_are_shown_apart() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # pytest turns warnings into errors
        records = pycon.Session().run_doctest(
            ">>> import warnings\n>>> warnings.warn('look out')\n")
    assert records[-1].source == "" and "UserWarning: look out" in records[-1].got


def test_edited_code_runs_like_the_prompt_and_stops_at_the_first_exception() -> None:
    session = pycon.Session()
    records = session.run_code("x = 6\nx * 7\nprint('printed')\nx / 0\nprint('not reached')")
    assert [r.source for r in records] == ["x = 6", "x * 7", "print('printed')", "x / 0"]
    assert [r.got for r in records[:3]] == ["", "42\n", "printed\n"]
    assert all(r.ok is None for r in records)
    assert records[-1].raised and "ZeroDivisionError" in records[-1].got
    assert 'File "<edited block 1>", line 4' in records[-1].got and "x / 0" in records[-1].got
    assert session.run_code("x + 1")[0].got == "7\n"


def test_edited_code_with_a_syntax_error_says_where() -> None:
    (record,) = pycon.Session().run_code("y = (1,\nprint(y)")
    assert record.raised and "SyntaxError" in record.got


def test_a_session_resets_numpys_print_options() -> None:
    saved = np.get_printoptions()
    try:
        np.set_printoptions(precision=3, suppress=True)
        pycon.Session()
        assert np.get_printoptions()["precision"] == 8
        assert not np.get_printoptions()["suppress"]
    finally:
        np.set_printoptions(**saved)


def test_run_json_refuses_an_unknown_mode() -> None:
    with pytest.raises(ValueError, match="mode must be 'doctest' or 'code', not 'exec'"):
        pycon.run_json(pycon.Session(), "exec", "1")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_passes_through_pycon(page: str) -> None:
    """The same blocks Sybil checks (tests collected from docs/) pass the Run buttons'
    comparison too: one comparison for both."""
    saved = np.get_printoptions()
    try:
        session = pycon.Session(page)
        failed = [(k, r.source, r.got) for k, block in enumerate(page_blocks(ROOT / "docs" / page))
                  for r in session.run_doctest(block) if r.ok is False]
    finally:
        np.set_printoptions(**saved)
    assert not failed


def test_a_changed_number_on_a_page_fails() -> None:
    """A digit changed in a page's output is caught (the check above can fail)."""
    blocks = page_blocks(ROOT / "docs" / "derivation" / "net.md")
    changed = blocks[1].replace("0.725", "0.726", 1)
    assert changed != blocks[1]
    saved = np.get_printoptions()
    try:
        session = pycon.Session()
        session.run_doctest(blocks[0])
        records = session.run_doctest(changed)
    finally:
        np.set_printoptions(**saved)
    assert [r.ok for r in records].count(False) == 1
