r"""Run a page's doctest blocks the way the test suite does: in the browser and in pytest.

The Run buttons of the site (``docs/run/run.js``) send each ```` ```pycon ```` block to a
Web Worker (``docs/run/worker.js``), where Pyodide runs it through a [`Session`][]; the test
suite (``conftest.py``) runs the same blocks through Sybil with the same comparison:
[`OPTIONFLAGS`][] and NumPy's print options [`NUMPY_PRINT_OPTIONS`][], reset for each page.

A session is one page's namespace: its blocks run in page order and share their names, as
in one interpreter session. A block runs either

* as the page wrote it, with its expected output: every ``>>>`` example is run and its
  output compared with the page's, as ``doctest`` does ([`Session.run_doctest`][]); or
* as the reader edited it, plain code without prompts or output: every top-level statement
  runs as at the interactive prompt, so an expression's value is printed
  ([`Session.run_code`][]).

Either way the result is a list of [`Record`][]s, one per example or statement, with what
it printed and, for the page's own code, whether that is what the page prints. An exception
is recorded as its traceback, from the reader's code down (never doctest's own frames), and
the namespace stays usable.

This file runs under the Python of the test suite (3.10 and newer) and under Pyodide's
(3.12); it imports NumPy only to set its print options.
"""

from __future__ import annotations

import ast
import doctest
import io
import json
import linecache
import re
import sys
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import asdict, dataclass
from types import TracebackType
from typing import Any

__all__ = ["NUMPY_PRINT_OPTIONS", "OPTIONFLAGS", "Record", "Session", "numpy_defaults"]

#: How expected and printed output are compared, in the browser and in the test suite.
OPTIONFLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS

#: NumPy's default print options (not legacy mode), set afresh for every page.
NUMPY_PRINT_OPTIONS: dict[str, Any] = {
    "edgeitems": 3, "floatmode": "maxprec", "formatter": None, "infstr": "inf", "legacy": False,
    "linewidth": 75, "nanstr": "nan", "precision": 8, "sign": "-", "suppress": False,
    "threshold": 1000,
}


def numpy_defaults() -> dict[str, Any]:
    """Set NumPy's print options to [`NUMPY_PRINT_OPTIONS`][]; return the ones they replace."""
    import numpy as np

    saved = dict(np.get_printoptions())
    np.set_printoptions(**NUMPY_PRINT_OPTIONS)
    return saved


@dataclass
class Record:
    """One example (page code) or one top-level statement (edited code), and what it did."""

    source: str
    """The code, without prompts; empty for what the block wrote to stderr (warnings)."""
    got: str
    """What it printed: its output, its value at the prompt, or its traceback."""
    want: str | None = None
    """The output the page prints for it (page code only)."""
    ok: bool | None = None
    """Whether ``got`` matches ``want`` as the test suite compares them; None for edited code."""
    raised: bool = False
    """Whether it raised an exception (``got`` ends with the traceback)."""


def _user_traceback(exc_type: type[BaseException], exc: BaseException,
                    tb: TracebackType | None, first_file: str) -> str:
    """The traceback of ``exc`` from the first frame of the reader's code (``first_file``)."""
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith(first_file):
        tb = tb.tb_next
    return "".join(traceback.format_exception(exc_type, exc, tb))


TRACEBACK = "Traceback (most recent call last):\n"
#: A frame of doctest itself, in a traceback that doctest formatted.
_DOCTEST_FRAME = re.compile(r'^  File "[^"]*doctest\.py", line \d+, in .*\n(?:    .*\n)*',
                            re.MULTILINE)


@contextmanager
def _warnings_to(stream: io.StringIO) -> Iterator[None]:
    """Write warnings to ``stream`` as Python shows them, whoever handles them outside."""

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: Any = None, line: str | None = None) -> None:
        stream.write(warnings.formatwarning(message, category, filename, lineno, line))

    with warnings.catch_warnings():
        warnings.showwarning = show
        yield


class _Recorder(doctest.DocTestRunner):
    """A DocTestRunner that records every example instead of printing a report."""

    def __init__(self) -> None:
        super().__init__(optionflags=OPTIONFLAGS, verbose=False)
        self.records: list[Record] = []

    def report_success(self, out: Any, test: doctest.DocTest, example: doctest.Example,
                       got: str) -> None:
        self.records.append(Record(example.source, got, example.want, True,
                                   raised=example.exc_msg is not None))

    def report_failure(self, out: Any, test: doctest.DocTest, example: doctest.Example,
                       got: str) -> None:
        raised = TRACEBACK in got
        self.records.append(Record(example.source, _DOCTEST_FRAME.sub("", got) if raised
                                   else got, example.want, False, raised=raised))

    def report_unexpected_exception(
        self, out: Any, test: doctest.DocTest, example: doctest.Example,
        exc_info: tuple[type[BaseException], BaseException, TracebackType],
    ) -> None:
        got = _user_traceback(*exc_info, first_file="<doctest ")
        self.records.append(Record(example.source, got, example.want, False, raised=True))


class Session:
    """The namespace of one page: its blocks run here in order, sharing their names.

    Creating a session sets NumPy's print options to the test suite's defaults.
    """

    def __init__(self, page: str = "page") -> None:
        """A runner for the blocks of ``page``, with a fresh namespace."""
        self.page = page
        self.globs: dict[str, Any] = {"__name__": "__main__"}
        self.blocks = 0
        numpy_defaults()

    def run_doctest(self, text: str) -> list[Record]:
        """Run a block as the page wrote it (prompts and expected output) and compare."""
        self.blocks += 1
        name = f"{self.page}, block {self.blocks}"
        test = doctest.DocTestParser().get_doctest(text, self.globs, name, None, 0)
        runner = _Recorder()
        shown = io.StringIO()
        with redirect_stderr(shown), _warnings_to(shown):
            runner.run(test, clear_globs=False)
        self.globs = test.globs  # a DocTest runs in a copy of the namespace it is given
        if shown.getvalue():
            runner.records.append(Record("", shown.getvalue()))
        return runner.records

    def run_code(self, code: str) -> list[Record]:
        """Run edited code: each top-level statement as at the prompt, until one raises."""
        self.blocks += 1
        filename = f"<edited block {self.blocks}>"
        # So that a traceback shows the lines of the reader's code, as at the prompt.
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        try:
            module = ast.parse(code, filename)
        except SyntaxError as exc:
            got = "".join(traceback.format_exception_only(type(exc), exc))
            return [Record(code, TRACEBACK + got, raised=True)]
        records = []
        for statement in module.body:
            source = ast.get_source_segment(code, statement, padded=True) or ""
            interactive = ast.Interactive(body=[statement])
            output = io.StringIO()
            raised = False
            with redirect_stdout(output), redirect_stderr(output), _warnings_to(output):
                try:
                    exec(compile(interactive, filename, "single"), self.globs)
                except BaseException as exc:  # the reader's code: show any exception
                    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                        raise
                    output.write(_user_traceback(type(exc), exc, exc.__traceback__, filename))
                    raised = True
            records.append(Record(source.strip("\n"), output.getvalue(), raised=raised))
            if raised:
                break
        return records


def run_json(session: Session, mode: str, text: str) -> str:
    """What the worker calls: run ``text`` in ``mode`` ("doctest" or "code"); JSON records."""
    if mode not in ("doctest", "code"):
        raise ValueError(f"mode must be 'doctest' or 'code', not {mode!r}")
    records = session.run_doctest(text) if mode == "doctest" else session.run_code(text)
    sys.stdout.flush()
    return json.dumps([asdict(record) for record in records])
