r"""What every exercise's check shares: running the reader's code, calling it safely,
comparing what it gives with numbers computed here, naming the slip, and the feedback.

A check never reads the reader's code. It runs it, takes the names it defines (a function
or ``answer``-style values), feeds them inputs, and compares what comes back with numbers
it computes itself: a gradient with the complex-step derivative of the loss (exact to
rounding, and blind to how the gradient was written) on the worked example's net and on
random nets of other sizes and batch sizes; a formula with the package; a number with the
page's own computation, within the tolerance the exercise states. Shapes come first. A wrong
answer is compared with the answers that known slips would give (a missing sigma-prime
factor, a transposed product, a factor of 2, a sign...), computed from the same numbers, and
the first that matches names the slip and its hint.

Nothing here may crash on the reader's input: a syntax error, an exception in the reader's
code, a value of the wrong type or shape all become a [`Feedback`][] that says what was
expected. Only a bug of the check itself gives ``kind == "internal"`` (the tests forbid it).
"""

from __future__ import annotations

import copy
import html
import io
import itertools
import linecache
import math
import re
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "READER_FILE", "Array", "DeepNet", "Feedback", "Namespace", "Net", "Slip", "Wrong",
    "backward_loop", "call", "central_difference", "compare", "compare_number",
    "complex_step", "deep_nets", "describe", "forward", "function", "l2_loss", "net_cases",
    "number", "parts", "random_net", "run", "sigmoid", "value", "verdict", "worked_net",
]

Array = NDArray[np.float64]
Namespace = Mapping[str, Any]

#: The file name the reader's code runs under: tracebacks keep only its frames.
READER_FILE = "<your code>"
#: How much of what the reader's code printed the feedback keeps.
MAX_OUTPUT = 4000
#: Said under every right answer.
COMPARE_NOTE = "Open the solution below to compare your way of writing it with ours."

# ------------------------------------------------------------------------------------------
# Feedback
# ------------------------------------------------------------------------------------------

#: What a feedback is about: ``right``; the answer's values (``wrong``), its shape
#: (``shape``) or its type (``type``); a name not defined yet (``missing``); code that does
#: not parse (``syntax``) or that raised (``error``); a bug of the check (``internal``).
KINDS = ("right", "wrong", "shape", "type", "missing", "syntax", "error", "internal")


@dataclass(frozen=True)
class Slip:
    """A mistake a check recognises from the numbers, with what to tell the reader."""

    name: str
    """A short id, e.g. ``"no-sigma-prime"``; [`Feedback.slip`][] says it."""
    hint: str
    """What the reader is told: what the numbers say they did, and where to look."""
    example: str
    """A wrong answer that makes this slip: the tests check that it gets this hint."""


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer, as the browser shows it (plain text or HTML).

    ``title`` is one sentence; ``details`` are the numbers behind it (which entries are
    off and by how much, what shape was expected); ``hint`` is the slip's hint, when the
    numbers match a known slip; ``traceback`` is the reader's own traceback (their frames
    only); ``output`` is what their code printed. Text in backticks is code.
    """

    exercise: str
    ok: bool
    kind: str
    title: str
    details: tuple[str, ...] = ()
    slip: str | None = None
    hint: str | None = None
    traceback: str | None = None
    output: str = ""

    def text(self) -> str:
        """Plain text: the title, the details as a list, the hint, the traceback."""
        lines = [self.title, *(f"  - {d}" for d in self.details)]
        if self.hint:
            lines.append(f"Hint: {self.hint}")
        if self.traceback:
            lines.append(self.traceback.rstrip("\n"))
        return "\n".join(lines)

    def html(self) -> str:
        """The same as HTML, every piece escaped: safe to insert into the page.

        ``<div class="check-feedback check-right">`` (or ``check-wrong``, with
        ``data-kind``), a ``<p class="check-title">``, a ``<ul class="check-details">``, a
        ``<p class="check-hint">``, a ``<pre class="check-traceback">`` and a
        ``<pre class="check-output">`` for what the code printed; backticks become ``<code>``.
        """
        state = "check-right" if self.ok else "check-wrong"
        out = [f'<div class="check-feedback {state}" data-kind="{self.kind}">',
               f'<p class="check-title">{_inline(self.title)}</p>']
        if self.details:
            items = "".join(f"<li>{_inline(d)}</li>" for d in self.details)
            out.append(f'<ul class="check-details">{items}</ul>')
        if self.hint:
            out.append(f'<p class="check-hint"><strong>Hint:</strong> {_inline(self.hint)}</p>')
        if self.traceback:
            out.append(f'<pre class="check-traceback">{html.escape(self.traceback)}</pre>')
        if self.output:
            out.append(f'<pre class="check-output">{html.escape(self.output)}</pre>')
        out.append("</div>")
        return "".join(out)

    def as_dict(self) -> dict[str, Any]:
        """Every field, with ``text`` and ``html`` rendered: what ``check_json`` sends."""
        return {"exercise": self.exercise, "ok": self.ok, "kind": self.kind,
                "title": self.title, "details": list(self.details), "slip": self.slip,
                "hint": self.hint, "traceback": self.traceback, "output": self.output,
                "text": self.text(), "html": self.html()}


def _inline(text: str) -> str:
    """Escape ``text`` for HTML, then turn `backtick spans` into ``<code>``."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


class Wrong(Exception):  # noqa: N818 - a verdict on the answer, not an error of the code
    """Raised by the helpers below at the first thing wrong; [`verdict`][] turns it into
    a [`Feedback`][]."""

    def __init__(self, kind: str, title: str, details: Sequence[str] = (),
                 slip: str | None = None, traceback: str | None = None) -> None:
        super().__init__(title)
        self.kind, self.title, self.details = kind, title, tuple(details)
        self.slip, self.traceback = slip, traceback


#: Hints for the slips every comparison looks for; an exercise's own [`Slip`][] of the same
#: name says it better for that exercise.
GENERIC_HINTS = {
    "sign": "Every entry has the right size and the wrong sign. A gradient points uphill: "
            "check the sign of y - t, and whether you subtracted where you should add.",
    "transposed": "Your array is the transpose of the right one. Let the shapes guide the "
                  "product: the gradient of a weight matrix has that matrix's shape.",
    "factor-2": "Every entry is off by a factor of 2. The 1/2 in the loss cancels the 2 "
                "that comes down from the square: look for a 2 too many or too few.",
}


def verdict(exercise: str, slips: Sequence[Slip], body: Callable[[Namespace], str],
            namespace: Namespace) -> Feedback:
    """Run a check's ``body`` on the reader's namespace and say what it found.

    ``body`` returns what it checked (for the right answer's title) or raises [`Wrong`][];
    the slip it names gets the exercise's hint, or a generic one.
    """
    hints = {s.name: s.hint for s in slips}
    try:
        checked = body(namespace)
    except Wrong as wrong:
        hint = hints.get(wrong.slip or "") or GENERIC_HINTS.get(wrong.slip or "")
        return Feedback(exercise, False, wrong.kind, wrong.title, wrong.details, wrong.slip,
                        hint, wrong.traceback)
    except Exception as exc:  # a bug of the check, never of the answer: said, not raised
        return Feedback(exercise, False, "internal",
                        "The check itself failed: this is a bug of the site, not of your "
                        f"answer ({type(exc).__name__}: {exc}).")
    return Feedback(exercise, True, "right", f"Right: {checked}", (COMPARE_NOTE,))


# ------------------------------------------------------------------------------------------
# Running the reader's code
# ------------------------------------------------------------------------------------------


def run(exercise: str, check: Callable[[Namespace], Feedback], code: str) -> Feedback:
    """Run the reader's ``code`` in a fresh namespace, then ``check`` what it defined.

    This is the browser's one call (through ``backprop_site.checks.check_code``). A syntax
    error names the reader's line; an exception in their code (while it runs, or later in
    a function the check calls) shows their traceback; warnings and prints are kept in
    ``output``. The worked example's arrays in ``backprop_doc.example`` are put back if the
    code changed them in place.
    """
    linecache.cache[READER_FILE] = (len(code), None, code.splitlines(True), READER_FILE)
    try:
        compiled = compile(code, READER_FILE, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return Feedback(exercise, False, "syntax", _syntax_title(exc),
                        traceback="".join(traceback.format_exception_only(type(exc), exc)))
    namespace: dict[str, Any] = {"__name__": "__main__"}
    printed = io.StringIO()
    changed: list[str] = []
    with _captured(printed):
        with _kept_example(changed):  # put back before the check reads the example
            try:
                exec(compiled, namespace)
            except Exception as exc:
                feedback: Feedback | None = Feedback(exercise, False, "error",
                                                     _raised_title(exc),
                                                     traceback=reader_traceback(exc))
            except SystemExit:
                feedback = Feedback(exercise, False, "error",
                                    "Your code called exit(): leave it out, and define the "
                                    "answer instead.")
            else:
                feedback = None
        if feedback is None:
            with _kept_example(changed):  # the reader's functions run here too
                feedback = check(namespace)
    output = printed.getvalue()
    if len(output) > MAX_OUTPUT:
        output = output[:MAX_OUTPUT] + "\n... (more output left out)"
    if changed:
        feedback = replace(feedback, details=(*feedback.details, (
            f"Your code changed {', '.join(changed)} of `backprop_doc.example` in place; "
            "they are put back as they were.")))
    return replace(feedback, output=output)


@contextmanager
def _captured(stream: io.StringIO) -> Iterator[None]:
    """Prints and warnings of the reader's code go to ``stream``, whoever handles them
    outside (the test suite turns warnings into errors)."""

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: Any = None, line: str | None = None) -> None:
        stream.write(warnings.formatwarning(message, category, filename, lineno, line))

    with warnings.catch_warnings(), redirect_stdout(stream), redirect_stderr(stream):
        warnings.simplefilter("always")
        warnings.showwarning = show
        yield


@contextmanager
def _kept_example(changed: list[str]) -> Iterator[None]:
    """Put back the worked example's arrays if the reader's code wrote into them (or
    rebound them), so that the check, and the page's next Run, see the page's numbers;
    add their names to ``changed``."""
    from backprop_doc import example

    saved = {name: (getattr(example, name), getattr(example, name).copy())
             for name in example.__all__ if isinstance(getattr(example, name), np.ndarray)}
    try:
        yield
    finally:
        for name, (original, before) in saved.items():
            said = f"`{name}`"
            if getattr(example, name) is not original:
                setattr(example, name, original)
                changed.append(said)
            if not np.array_equal(original, before):
                original[...] = before
                if said not in changed:
                    changed.append(said)


def _syntax_title(exc: SyntaxError) -> str:
    where = f"line {exc.lineno}" if exc.lineno else "your code"
    return f"Python cannot read {where} of your code: {exc.msg}."


def _raised_title(exc: BaseException) -> str:
    line = _reader_line(exc)
    where = f" on line {line}" if line else ""
    return f"Your code raised {type(exc).__name__}{where}: {_message(exc)}"


def _message(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def _reader_line(exc: BaseException) -> int | None:
    """The last line of the reader's code that the traceback passes through."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == READER_FILE:
            line = frame.lineno
    return line


def reader_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` from the reader's first frame on (none of ours, nor NumPy's
    below theirs): the lines of their code and the error."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != READER_FILE:
        tb = tb.tb_next
    frames = [f for f in traceback.extract_tb(tb) if f.filename == READER_FILE]
    lines = ["Traceback (your code):\n", *traceback.format_list(frames)]
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


# ------------------------------------------------------------------------------------------
# The reader's names
# ------------------------------------------------------------------------------------------


def value(namespace: Namespace, name: str, what: str) -> Any:
    """The value the reader gave ``name``; still missing or ``...`` says what to write."""
    if name not in namespace:
        raise Wrong("missing", f"Your code does not define `{name}`: set `{name} = ...` to "
                               f"{what}.")
    got = namespace[name]
    if got is Ellipsis:
        raise Wrong("missing", f"`{name}` is still `...`: replace the `...` with {what}.")
    return got


def function(namespace: Namespace, name: str, signature: str) -> Callable[..., Any]:
    """The reader's function ``name``; missing or not a function says what to write."""
    if name not in namespace:
        raise Wrong("missing", f"Your code does not define the function `{signature}`.")
    fn = namespace[name]
    if not callable(fn):
        raise Wrong("type", f"`{name}` is a {type(fn).__name__}; expected a function "
                            f"`{signature}`.")
    return fn


def call(fn: Callable[..., Any], signature: str, *args: Any, case: str = "",
         **kwargs: Any) -> Any:
    """Call the reader's function on copies of the arguments (it may write into them);
    an exception becomes their traceback, and a result of ``None`` a reminder to return."""
    args = copy.deepcopy(args)
    kwargs = copy.deepcopy(kwargs)
    try:
        result = fn(*args, **kwargs)
    except Exception as exc:
        on = f" on {case}" if case else ""
        title = f"Calling `{signature}`{on} raised {type(exc).__name__}: {_message(exc)}"
        line = _reader_line(exc)
        if line:
            title += f" (line {line} of your code)"
        raise Wrong("error", title, _argument_shapes(signature, args),
                    traceback=reader_traceback(exc)) from None
    if result is None:
        raise Wrong("type", f"`{signature}` returned None: it should return the answer "
                            "(is a `return` missing, or is the body still `...`?).")
    return result


def _argument_shapes(signature: str, args: tuple[Any, ...]) -> tuple[str, ...]:
    names = [a.strip() for a in signature[signature.find("(") + 1:signature.rfind(")")]
             .split(",")]
    said = []
    for name, arg in zip(names, args, strict=False):
        if isinstance(arg, np.ndarray):
            said.append(f"`{name}` of shape {arg.shape}")
    return (f"It was called with {', '.join(said)}.",) if said else ()


def parts(got: Any, names: Sequence[str], what: str) -> list[Any]:
    """A result that must hold ``len(names)`` things (a tuple or list), in that order."""
    try:
        items = list(got)
    except TypeError:
        raise Wrong("type", f"{what} should be {len(names)} things, "
                            f"({', '.join(names)}); got a {type(got).__name__}.") from None
    if isinstance(got, np.ndarray) and got.dtype != object and len(names) > 1:
        raise Wrong("type", f"{what} should be {len(names)} things, ({', '.join(names)}), as "
                            f"a tuple or a list; got one array of shape {got.shape}.")
    if isinstance(got, (str, bytes, dict)):
        raise Wrong("type", f"{what} should be {len(names)} things, ({', '.join(names)}), "
                            f"as a tuple; got a {type(got).__name__}.")
    if len(items) != len(names):
        raise Wrong("type", f"{what} should be {len(names)} things, ({', '.join(names)}); "
                            f"got {len(items)}.")
    return items


# ------------------------------------------------------------------------------------------
# Comparing
# ------------------------------------------------------------------------------------------


def to_array(got: Any, what: str, shape: tuple[int, ...]) -> Array:
    """``got`` as an array of real numbers, or [`Wrong`][] saying what was expected."""
    expected = f"an array of shape {shape}" if shape else "a number"
    if got is None or got is Ellipsis:
        raise Wrong("type", f"{what} is {got!r}; expected {expected}.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(got)
    except (TypeError, ValueError):
        raise Wrong("type", f"{what} is not an array of numbers (a {type(got).__name__} "
                            f"that NumPy cannot read as one); expected {expected}.") from None
    if arr.dtype.kind == "b":
        arr = arr.astype(float)
    if arr.dtype.kind == "c":
        raise Wrong("type", f"{what} has complex numbers; expected {expected} of real ones.")
    if arr.dtype.kind not in "iuf":
        raise Wrong("type", f"{what} is not an array of numbers (NumPy reads it with dtype "
                            f"{arr.dtype}); expected {expected}.")
    return arr.astype(np.float64)


def _close(got: Array, want: Array, rtol: float, atol: float) -> bool:
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def _fmt(v: float) -> str:
    return f"{v:.8g}"


def _index(idx: tuple[int, ...]) -> str:
    """NumPy's index, counted from 0, and the row and column as the pages count them, from 1
    (entry [2, 0] of u is the pages' u31)."""
    numpy = "[" + ", ".join(str(i) for i in idx) + "]"
    if len(idx) == 1:
        return f"{numpy} (entry {idx[0] + 1})"
    if len(idx) == 2:
        return f"{numpy} (row {idx[0] + 1}, column {idx[1] + 1})"
    return numpy


def entries_off(got: Array, want: Array, rtol: float, atol: float,
                what: str) -> tuple[str, ...]:
    """Which entries of ``got`` are off, the largest first, and by how much."""
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol)
    count = int(bad.sum())
    if got.ndim == 0:
        diff = float(got - want)
        return (f"{what} is {_fmt(float(got))}, should be {_fmt(float(want))} "
                f"(off by {diff:.2g}).",)
    said = [f"{count} of {got.size} entries of {what} are off."]
    order = sorted(zip(*np.nonzero(bad), strict=True),
                   key=lambda idx: -abs(float(got[idx] - want[idx])))
    for idx in order[:3]:
        key = tuple(int(i) for i in idx)
        g, w = float(got[key]), float(want[key])
        said.append(f"{_index(key)} is {_fmt(g)}, should be {_fmt(w)} (off by {g - w:.2g}).")
    if count > 3:
        said.append(f"... and {count - 3} more.")
    return tuple(said)


def _constant_ratio(got: Array, want: Array, rtol: float, atol: float) -> float | None:
    """The c with ``got = c * want`` everywhere, if there is one (and want is not 0)."""
    if got.shape != want.shape or not np.any(np.abs(want) > atol):
        return None
    c = float(np.sum(got * want) / np.sum(want * want))
    return c if _close(got, c * want, rtol, atol) else None


def compare(got: Any, want: Any, what: str, case: str, *,
            slips: Mapping[str, Any] | None = None, rtol: float = 1e-6,
            atol: float | None = None, row: bool = False) -> Array:
    """Compare the reader's ``got`` with ``want``; raise [`Wrong`][] on the first problem.

    ``slips`` maps a slip's name to the value that slip would give here (same numbers); the
    first that ``got`` matches, in shape and values, is named, after which the generic
    slips are tried (sign, transpose, factor 2). ``atol`` defaults to a millionth of the
    largest entry of ``want``. With ``row``, a vector and a 1 x k row are taken for each
    other (a sample's values, a bias's gradient).
    """
    want = np.asarray(want, dtype=float)
    arr = to_array(got, what, want.shape)
    if atol is None:
        atol = 1e-6 * max(float(np.max(np.abs(want))) if want.size else 0.0, 1e-12)
    if row and arr.shape != want.shape and arr.size == want.size and \
            (arr.shape == (1, *want.shape) or (1, *arr.shape) == want.shape):
        arr = arr.reshape(want.shape)  # a 1 x k row for a vector, or the other way round
    if (want.ndim == 0 and arr.shape == (1,)) or (want.ndim == 0 and arr.shape == (1, 1)):
        arr = arr.reshape(())
    if arr.shape == want.shape and _close(arr, want, rtol, atol):
        return arr
    candidates = dict(slips or {})
    found = None
    for name, value_ in candidates.items():
        cand = np.asarray(value_, dtype=float)
        if _close(cand, want, rtol, atol):
            continue  # this slip gives the right answer here: it says nothing
        if _close(arr, cand, rtol, atol):
            found = name
            break
    if arr.shape != want.shape:
        shape_said = (f"{what} has shape {arr.shape}; expected {want.shape}"
                      f"{' (' + _shape_note(want.shape) + ')' if _shape_note(want.shape) else ''}"
                      f", on {case}.")
        if found is None and want.ndim == 2 and arr.shape == want.shape[::-1] \
                and _close(arr.T, want, rtol, atol):
            found = "transposed"
        raise Wrong("shape", shape_said, slip=found)
    if not np.all(np.isfinite(arr)):
        idx = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0]) if arr.ndim else ()
        raise Wrong("wrong", f"{what} has {arr[idx] if arr.ndim else arr} at "
                             f"{_index(idx) if idx else 'its value'}, on {case}.")
    details = list(entries_off(arr, want, rtol, atol, what))
    if found is None:
        if _close(arr, -want, rtol, atol):
            found = "sign"
        elif want.ndim == 2 and want.shape[0] == want.shape[1] and _close(arr, want.T, rtol,
                                                                            atol):
            found = "transposed"
        else:
            c = _constant_ratio(arr, want, rtol, atol)
            if c is not None and (math.isclose(c, 2, rel_tol=1e-6)
                                  or math.isclose(c, 0.5, rel_tol=1e-6)):
                found = "factor-2"
            elif c is not None:
                details.append(f"Every entry is {c:.6g} times the right one.")
    raise Wrong("wrong", f"Not yet: {what} is off on {case}.", details, slip=found)


def _shape_note(shape: tuple[int, ...]) -> str:
    return "a number" if shape == () else ""


def compare_number(got: Any, want: float, what: str, *, rtol: float = 0.0,
                   atol: float = 0.0,
                   slips: Mapping[str, float | Sequence[float]] | None = None,
                   tolerance: str = "") -> float:
    """A number the reader gave (a float, an int, or an array of one entry) against
    ``want``, within ``rtol`` (relative) or ``atol`` (absolute), as the exercise states."""
    arr = to_array(got, what, ())
    if arr.size != 1:
        raise Wrong("shape", f"{what} should be one number; got an array of shape "
                             f"{arr.shape}.")
    x = float(arr.reshape(()))
    if math.isclose(x, want, rel_tol=rtol, abs_tol=atol):
        return x
    if not math.isfinite(x):
        raise Wrong("wrong", f"{what} is {x}; expected a finite number.")
    found = None
    for name, cands in (slips or {}).items():
        for cand in ([cands] if isinstance(cands, (int, float)) else cands):
            if found is None and not math.isclose(cand, want, rel_tol=rtol, abs_tol=atol) \
                    and math.isclose(x, cand, rel_tol=max(rtol, 1e-9), abs_tol=atol):
                found = name
    if found is None and want != 0 and math.isclose(x, -want, rel_tol=rtol, abs_tol=atol):
        found = "sign"
    within = f" ({tolerance})" if tolerance else ""
    raise Wrong("wrong", f"Not yet: {what} is {_fmt(x)}; it should be {_fmt(want)}{within}.",
                slip=found)


def number(namespace: Namespace, name: str, want: float, what: str, **kwargs: Any) -> float:
    """The reader's number ``name`` (see [`compare_number`][])."""
    return compare_number(value(namespace, name, what), want, f"`{name}`", **kwargs)


# ------------------------------------------------------------------------------------------
# Numbers to compare with: the net, written out here, and numerical derivatives
# ------------------------------------------------------------------------------------------


def sigmoid(a: Any) -> Any:
    """The sigmoid, for real or complex arrays (the complex step passes through it)."""
    return 1 / (1 + np.exp(-a))


def l2_loss(y: Any, t: Any) -> Any:
    """The summed L2-norm loss (3.1), for real or complex outputs."""
    return 0.5 * np.sum((y - t) ** 2)


def complex_step(f: Callable[[Any], Any], p: Array, eps: float = 1e-30) -> Array:
    """The gradient of ``f`` at ``p`` by the complex step, exact to rounding for a function
    of analytic operations. Written here, apart from the package, so that a check does not
    trust the code it might be checking."""
    grad = np.empty_like(p, dtype=float)
    for idx in np.ndindex(p.shape):
        probe = p.astype(complex)
        probe[idx] += 1j * eps
        grad[idx] = complex(f(probe)).imag / eps
    return grad


def central_difference(f: Callable[[Any], Any], p: Array, eps: float = 1e-6) -> Array:
    """The gradient of ``f`` at ``p`` by central differences (for functions with kinks or
    comparisons, which the complex step cannot pass through)."""
    grad = np.empty_like(p, dtype=float)
    for idx in np.ndindex(p.shape):
        up, down = p.astype(float), p.astype(float)
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (float(f(up)) - float(f(down))) / (2 * eps)
    return grad


class Net(NamedTuple):
    """A batch and the parameters of a two-layer sigmoid net, row vectors as in the text."""

    x: Array
    t: Array
    w: Array
    b1: Array
    u: Array
    b2: Array


def worked_net() -> Net:
    """The worked example's numbers (copies: the reader's code gets copies anyway)."""
    from backprop_doc import example

    return Net(*(np.array(a, dtype=float) for a in (example.x, example.t, example.w,
                                                     example.b1, example.u, example.b2)))


def random_net(seed: int, sizes: tuple[int, int, int], n: int) -> Net:
    """A d-m-q net with normal weights and biases, inputs and targets in a batch of ``n``."""
    rng = np.random.default_rng(seed)
    d, m, q = sizes
    return Net(x=rng.normal(size=(n, d)), t=rng.uniform(0.05, 0.95, size=(n, q)),
               w=rng.normal(size=(d, m)), b1=rng.normal(0, 0.5, size=m),
               u=rng.normal(size=(m, q)), b2=rng.normal(0, 0.5, size=q))


def describe(net: Net, worked: bool = False) -> str:
    """The words for a case: which net, which batch."""
    if worked:
        return "the worked example's numbers"
    n, d = net.x.shape
    m, q = net.u.shape
    samples = "1 sample" if n == 1 else f"a batch of {n} samples"
    return f"a random {d}-{m}-{q} net with {samples}"


#: The nets a gradient is checked on: the worked example's first (its numbers are on the
#: pages), then random ones of other sizes and batch sizes, a square 2-2-2 among them.
CASES: tuple[tuple[int, tuple[int, int, int], int], ...] = (
    (11, (3, 4, 2), 5), (12, (2, 2, 2), 3), (13, (4, 3, 5), 2), (14, (1, 5, 3), 4))


def net_cases(square_first: bool = False) -> list[tuple[str, Net]]:
    """(words, net) for every case; ``square_first`` puts the 2-2-2 net first (where a
    missing transpose computes without an error)."""
    cases = [(describe(worked_net(), worked=True), worked_net())]
    for seed, sizes, n in CASES:
        net = random_net(seed, sizes, n)
        cases.append((describe(net), net))
    if square_first:
        cases.sort(key=lambda c: c[1].w.shape != (2, 2))
    return cases


def forward(net: Net) -> tuple[Array, Array, Array, Array]:
    """``a1, h, a2, y`` of the net, written out here."""
    a1 = net.x @ net.w + net.b1
    h = sigmoid(a1)
    a2 = h @ net.u + net.b2
    return a1, h, a2, sigmoid(a2)


def net_loss(net: Net, **changed: Any) -> Any:
    """The loss of ``net`` with some parameters replaced (real or complex)."""
    x, t, w, b1, u, b2 = net._replace(**changed)
    return l2_loss(sigmoid(sigmoid(x @ w + b1) @ u + b2), t)


def gradients(net: Net, loss: Callable[..., Any] = net_loss) -> dict[str, Array]:
    """``{"w": dL/dw, "b1": ..., "u": ..., "b2": ...}`` by the complex step of ``loss``."""

    def gradient(name: str) -> Array:
        return complex_step(lambda p: loss(net, **{name: p}), getattr(net, name))

    return {name: gradient(name) for name in ("w", "b1", "u", "b2")}


#: A case for the deep-net exercises of section 6: (words, x, t, weights, biases).
DeepNet = tuple[str, Array, Array, list[Array], list[Array]]


def deep_nets(page: tuple[str, int, tuple[int, ...]],
              random: tuple[tuple[int, tuple[int, ...], int], ...],
              targets: Callable[[np.random.Generator, int, int], Array]) -> list[DeepNet]:
    """The page's net on the worked example's x and t (``page`` = words, seed, layer sizes;
    zero biases), then random nets with batches (``random`` = seed, layer sizes, batch
    size each), their targets drawn by ``targets(rng, n, q)``."""
    from backprop_doc.example import t, x

    words, seed, sizes = page
    rng = np.random.default_rng(seed)
    cases: list[DeepNet] = [(words, np.array(x), np.array(t),
                             [rng.normal(size=p) for p in itertools.pairwise(sizes)],
                             [np.zeros(k) for k in sizes[1:]])]
    for seed, sizes, n in random:
        rng = np.random.default_rng(seed)
        pairs = list(itertools.pairwise(sizes))
        cases.append((f"a random {'-'.join(map(str, sizes))} net with a batch of {n} samples",
                      rng.normal(size=(n, sizes[0])), targets(rng, n, sizes[-1]),
                      [rng.normal(size=p) for p in pairs],
                      [rng.normal(0, 0.5, size=p[1]) for p in pairs]))
    return cases


def backward_loop(outputs: list[Array], weights: list[Array], delta: Array, *,
                  wrong_layer: bool = False, prime: bool = True) -> list[Array]:
    """Every layer's weight gradient from the output ``delta``, by (6.3)'s loop over the
    layers' ``outputs`` (x first); or, for the hints, a slip of it: the delta sent back
    before its gradient is taken (``wrong_layer``), or without the sigmoid's slope
    (``prime=False``)."""
    grads: list[Array] = []
    for layer in reversed(range(len(weights))):
        if wrong_layer and layer > 0:
            delta = (delta @ weights[layer].T) * outputs[layer] * (1 - outputs[layer])
        grads.insert(0, outputs[layer].T @ delta)
        if not wrong_layer and layer > 0:
            slope = outputs[layer] * (1 - outputs[layer]) if prime else 1.0
            delta = (delta @ weights[layer].T) * slope
    return grads
