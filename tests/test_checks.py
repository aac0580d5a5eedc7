"""Check my answer (``src/backprop_site/checks/``): every checker against its page.

For every exercise with a checker, run as the browser runs a reader's cell (the code in a
fresh namespace, through ``check_code``):

* the page's folded solution (its code, taken from the page) is accepted;
* each slip the checker lists, written as a wrong answer, is refused with that slip's hint;
* the starter is refused cleanly: a message, no exception, no bug of the check;
* every mutant of the solution's answer (an operator swapped, a transpose dropped, a
  constant or a sign changed, the other axis; made from its syntax tree as
  tests/test_mutation.py makes them for the package) is refused, but those in
  ``EQUIVALENT``, which compute the same answer, for the reason given.

And bad input of every kind gets a message, never an exception; the feedback's HTML is
escaped; the package's docstring lists every exercise as the registry has it.
"""

from __future__ import annotations

import ast
import copy
import doctest
import json
import re
import signal
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType, ModuleType

import numpy as np
import pytest

from backprop_doc import example
from backprop_site import checks
from backprop_site.checks.common import Feedback
from helpers import PAGES, Exercise, all_exercises, mutations, solution_lines

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ROOT / "src" / "backprop_site" / "checks"

#: Mutants of a solution that give the same answer, by exercise and description, and why.
_T1 = ("t1 = 1 here: the cross-entropy's term (1 - t1) ln(1 - y) is 0 times anything, and "
       "t1 ln y is ln y, so the change leaves the loss, and ce_delta, as they were")
EQUIVALENT: dict[tuple[str, str], str] = {
    ("4.4", "line 8:23: Add -> Sub in `t1 * np.log(sigmoid(a_)) + (1 - t1) * np`"): _T1,
    ("4.4", "line 8:23: Add: left operand only in `t1 * np.log(sigmoid(a_)) + (1 - t1) * np`"):
        _T1,
    ("4.4", "line 8:23: Mult: right operand only in `t1 * np.log(sigmoid(a_))`"): _T1,
    ("4.4", "line 8:50: Mult -> Div in `(1 - t1) * np.log(1 - sigmoid(a_))`"): _T1,
    ("4.4", "line 8:50: Mult: left operand only in `(1 - t1) * np.log(1 - sigmoid(a_))`"): _T1,
    ("4.4", "line 8:68: Sub -> Add in `1 - sigmoid(a_)`"): _T1,
    ("4.4", "line 8:68: Sub: left operand only in `1 - sigmoid(a_)`"): _T1,
    ("4.4", "line 8:68: Sub: right operand only in `1 - sigmoid(a_)`"): _T1,
    ("4.4", "line 8:68: constant 1 -> 2 in `1`"): _T1,
    ("6.4", "line 4:39: constant 0.0 -> 1.0 in `0.0`"):
        "the target: (y - t) is a factor of every delta of the chain, so it cancels from "
        "the ratio of two of them",
    ("6.4", "line 9:77: constant 0 -> 1 in `0`"):
        "bs[0] -> bs[1] inside the solution's own check: every bias of the chain is the "
        "same, so the complex step is taken at the same point",
    ("6.4", "line 10:42: constant 1e-12 -> 1.000000000001 in `1e-12`"):
        "loosens the solution's own assert, which passes either way",
    ("6.4", "line 10:54: constant 0 -> 1 in `0`"):
        "loosens the solution's own assert, which passes either way",
    ("6.6", "line 10:15: Sub -> Add in `a - a.max(axis=1, keepdims=True)`"):
        "softmax is the same for a + c as for a, for any c per row: the shift by the row's "
        "maximum only keeps e^a from overflowing",
    ("6.6", "line 10:15: Sub: left operand only in `a - a.max(axis=1, keepdims=True)`"):
        "softmax without the shift by the row's maximum: the same numbers where e^a does "
        "not overflow, as here",
    ("W.2", "line 6:7: Mult -> Div in `0.01166113 * 1.0`"):
        "x_2 = 1: multiplying by it and dividing by it are the same",
    ("W.2", "line 6:7: Mult: left operand only in `0.01166113 * 1.0`"):
        "x_2 = 1: leaving out the factor 1 is the same",
}


def exercises_by_number() -> dict[str, Exercise]:
    return {e.number: e for e in all_exercises()}


CHECKED = sorted(checks.CHECKED)


def solution_code(exercise: Exercise) -> str:
    """The code of the exercise's folded solution, as a reader would paste it: every
    example of its pycon blocks, without prompts or outputs, in order."""
    body = textwrap.dedent("\n".join(solution_lines(exercise)[1:]))
    blocks = re.findall(r"^```pycon\n(.*?)^```", body, re.S | re.M)
    assert blocks, f"{exercise.number}: no pycon block in the solution"
    parser = doctest.DocTestParser()
    return "".join(example.source for block in blocks for example in parser.get_examples(block))


def statement(exercise: Exercise) -> str:
    """The exercise's text before its folded solution."""
    return exercise.body.split('??? success "Solution"')[0]


# --------------------------------------------------------------------------------------------
# The registry and the pages
# --------------------------------------------------------------------------------------------


def test_every_exercise_is_checked_or_says_why_not() -> None:
    numbers = set(exercises_by_number())
    assert set(checks.CHECKED) | set(checks.UNCHECKED) == numbers
    assert not set(checks.CHECKED) & set(checks.UNCHECKED)
    assert all(len(why) > 20 for why in checks.UNCHECKED.values())


def test_at_least_24_checkers_and_two_on_every_page() -> None:
    assert len(checks.CHECKED) >= 24
    by_page: dict[str, int] = {}
    for number in checks.CHECKED:
        page = exercises_by_number()[number].page
        by_page[page] = by_page.get(page, 0) + 1
    assert {page: n for page, n in by_page.items() if n >= 2}.keys() == set(PAGES), by_page


@pytest.mark.parametrize("number", CHECKED)
def test_the_module_describes_its_exercise(number: str) -> None:
    module = checks.load(number)
    exercise = exercises_by_number()[number]
    assert module.ID == number
    assert module.PAGE == exercise.page
    assert module.NAMES and all(name.isidentifier() for name in module.NAMES)
    assert isinstance(module.STARTER, str) and module.STARTER.endswith("\n")
    names = [slip.name for slip in module.SLIPS]
    assert len(names) == len(set(names)) >= 2, names
    assert callable(module.check)


@pytest.mark.parametrize("number", CHECKED)
def test_the_page_says_what_to_write(number: str) -> None:
    """The exercise's text names what the answer defines, and the starter defines it."""
    module = checks.load(number)
    text = statement(exercises_by_number()[number])
    said = re.search(r"^Your answer: (.+?)(?:\n\n|\Z)", text, re.S | re.M)
    assert said, f"{number}: no 'Your answer:' paragraph"
    for name in module.NAMES:
        assert re.search(rf"`{name}(\(|`| =)", said.group(1)), f"{number}: {name} not named"
        assert re.search(rf"^(def {name}\(|{name} = )", module.STARTER, re.M), name
        signature = getattr(module, "SIGNATURE", None)
        if signature:
            assert f"`{signature}`" in " ".join(said.group(1).split())


# --------------------------------------------------------------------------------------------
# Each checker: the solution, the slips, the starter
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", CHECKED)
def test_the_pages_solution_is_accepted(number: str) -> None:
    feedback = checks.check_code(number, solution_code(exercises_by_number()[number]))
    assert feedback.ok and feedback.kind == "right", feedback.text()
    assert feedback.title.startswith("Right: ")
    assert "solution below" in feedback.text()


SLIPS = [(number, slip.name) for number in CHECKED for slip in checks.load(number).SLIPS]


@pytest.mark.parametrize(("number", "slip"), SLIPS, ids=[f"{n}-{s}" for n, s in SLIPS])
def test_each_slip_is_refused_with_its_hint(number: str, slip: str) -> None:
    found = next(s for s in checks.load(number).SLIPS if s.name == slip)
    feedback = checks.check_code(number, found.example)
    assert not feedback.ok
    assert feedback.slip == slip, feedback.text()
    assert feedback.hint == found.hint
    assert f"Hint: {found.hint}" in feedback.text()


@pytest.mark.parametrize("number", CHECKED)
def test_the_starter_is_refused_cleanly(number: str) -> None:
    feedback = checks.check_code(number, checks.starter(number))
    assert not feedback.ok
    assert feedback.kind in {"missing", "type", "wrong", "shape"}, feedback.text()
    assert feedback.title and feedback.traceback is None


# --------------------------------------------------------------------------------------------
# The mutation score of the solutions
# --------------------------------------------------------------------------------------------


def bound_names(node: ast.AST) -> set[str]:
    """The names a top-level statement binds (assigns, defines, writes into, imports)."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
        elif isinstance(sub, ast.Subscript) and isinstance(sub.ctx, ast.Store) and \
                isinstance(sub.value, ast.Name):
            names.add(sub.value.id)  # u[0, 0] *= 2 changes u
    return names


def used_names(node: ast.AST) -> set[str]:
    """The names a statement reads from outside: not a function's or a lambda's own
    parameters and locals, nor a comprehension's variables."""
    loads = {sub.id for sub in ast.walk(node)
             if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load)}
    local: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, (ast.FunctionDef, ast.Lambda)):
            args = sub.args
            local |= {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
            local |= {n.id for n in ast.walk(sub)
                      if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        elif isinstance(sub, ast.comprehension):
            local |= {n.id for n in ast.walk(sub.target) if isinstance(n, ast.Name)}
    return loads - local


def answer_statements(tree: ast.Module, names: tuple[str, ...]) -> list[int]:
    """Indices of the statements the answer depends on: those binding the answer's names,
    and, going back, those binding what they use (imports aside: never mutated)."""
    needed, keep = set(names), []
    for index in reversed(range(len(tree.body))):
        node = tree.body[index]
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if bound_names(node) & needed:
            keep.append(index)
            needed |= used_names(node)
    return sorted(keep)


def answer_code(number: str) -> tuple[ast.Module, list[int]]:
    """The solution as a syntax tree, cut to its imports and the statements of its answer."""
    tree = ast.parse(solution_code(exercises_by_number()[number]))
    keep = set(answer_statements(tree, checks.load(number).NAMES))
    body = [node for k, node in enumerate(tree.body)
            if k in keep or isinstance(node, (ast.Import, ast.ImportFrom))]
    return ast.Module(body=body, type_ignores=[]), [
        k for k, node in enumerate(body) if not isinstance(node, (ast.Import, ast.ImportFrom))]


def solution_mutants(number: str) -> list[tuple[str, str]]:
    """(description, code) of every mutant of the answer's statements."""
    tree, mutable = answer_code(number)
    original = ast.unparse(tree)
    inside = [node for k in mutable for node in ast.walk(tree.body[k])]
    order = {id(node): i for i, node in enumerate(ast.walk(tree))}
    out, seen = [], set()
    for node in inside:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            continue
        for what, replacement in mutations(node):
            mutated = copy.deepcopy(tree)
            target = next(n for i, n in enumerate(ast.walk(mutated)) if i == order[id(node)])
            for parent in ast.walk(mutated):
                for field, value in ast.iter_fields(parent):
                    if value is target:
                        setattr(parent, field, copy.deepcopy(replacement))
                    elif isinstance(value, list) and any(v is target for v in value):
                        setattr(parent, field, [copy.deepcopy(replacement) if v is target
                                                else v for v in value])
            source = ast.unparse(ast.fix_missing_locations(mutated))
            if source == original or source in seen:
                continue  # the same code (the axis it already had), or a mutant made twice
            seen.add(source)
            where = f"line {getattr(node, 'lineno', 0)}:{getattr(node, 'col_offset', 0)}"
            out.append((f"{where}: {what} in `{ast.unparse(node)[:40]}`", source))
    return out


class Timeout(BaseException):
    """A mutant that runs too long (a reader would press Stop): it is not accepted."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def verdict_on(number: str, code: str) -> Feedback | None:
    """The feedback on ``code``, or None if it ran out of time."""
    try:
        with time_limit(20):
            return checks.check_code(number, code)
    except Timeout:
        return None


@pytest.mark.parametrize("number", CHECKED)
def test_the_answer_alone_is_accepted(number: str) -> None:
    """The solution cut to its answer (what the mutants are made from) still passes, so a
    refused mutant is refused for its slip."""
    tree, mutable = answer_code(number)
    assert mutable, f"{number}: no statement of the answer found"
    feedback = checks.check_code(number, ast.unparse(tree))
    assert feedback.ok, feedback.text()


@pytest.mark.parametrize("number", CHECKED)
def test_every_mutant_of_the_solution_is_refused(number: str) -> None:
    alive, refused = [], 0
    for what, code in solution_mutants(number):
        feedback = verdict_on(number, code)
        assert feedback is None or feedback.kind != "internal", (what, feedback.text())
        if feedback is not None and feedback.ok:
            if (number, what) not in EQUIVALENT:
                alive.append(what)
        else:
            refused += 1
            assert (number, what) not in EQUIVALENT, f"listed as equivalent, refused: {what}"
    assert not alive, f"{number}: mutants the checker accepts: {alive}"


def test_the_equivalent_mutants_are_mutants_that_exist() -> None:
    made = {(number, what) for number in {n for n, _ in EQUIVALENT}
            for what, _ in solution_mutants(number)}
    assert set(EQUIVALENT) <= made, set(EQUIVALENT) - made


# --------------------------------------------------------------------------------------------
# Bad input: a message, never an exception
# --------------------------------------------------------------------------------------------


def test_a_syntax_error_names_the_readers_line() -> None:
    feedback = checks.check_code("4.2", "def cross_entropy_gradients(h, y, t):\n"
                                        "    delta2 = (y - t\n    return h.T @ delta2\n")
    assert feedback.kind == "syntax" and not feedback.ok
    assert re.search(r"line [23] of your code", feedback.title), feedback.title
    assert feedback.traceback and "SyntaxError" in feedback.traceback


def test_an_exception_in_the_readers_function_shows_their_line() -> None:
    code = ("import numpy as np\n\n\ndef tanh_derivative(a):\n    s = np.tanh(a)\n"
            "    return s / undefined_name\n")
    feedback = checks.check_code("3.2", code)
    assert feedback.kind == "error" and not feedback.ok
    assert "NameError" in feedback.title and "(line 6 of your code)" in feedback.title
    assert feedback.traceback is not None
    assert 'File "<your code>", line 6, in tanh_derivative' in feedback.traceback
    assert "return s / undefined_name" in feedback.traceback
    assert "common.py" not in feedback.traceback  # the check's own frames are left out
    assert "`a` of shape (7,)" in feedback.text()


def test_an_exception_while_the_code_runs_shows_its_line() -> None:
    feedback = checks.check_code("5.1", "x = 1\nratio = 1 / 0\n")
    assert feedback.kind == "error"
    assert feedback.title.startswith("Your code raised ZeroDivisionError on line 2")


@pytest.mark.parametrize(("code", "kind", "said"), [
    ("def count_parameters(d, m, q):\n    return 'seventeen'\n", "type",
     "not an array of numbers"),
    ("def count_parameters(d, m, q):\n    return [17, 18]\n", "shape", "should be one number"),
    ("def count_parameters(d, m, q):\n    pass\n", "type", "returned None"),
    ("count_parameters = 17\n", "type", "expected a function `count_parameters(d, m, q)`"),
    ("def count(d, m, q):\n    return 17\n", "missing", "does not define the function"),
    ("def count_parameters(d, m):\n    return 17\n", "error", "TypeError"),
    ("raise SystemExit\n", "error", "exit()"),
])
def test_a_wrong_type_or_name_says_what_was_expected(code: str, kind: str, said: str) -> None:
    feedback = checks.check_code("2.1", code)
    assert feedback.kind == kind and not feedback.ok, feedback.text()
    assert said in feedback.text()


def test_a_wrong_shape_says_the_shape_expected() -> None:
    code = "def output_gradient(h, a2, t):\n    return h @ h.T\n"
    feedback = checks.check_code("4.3", code)
    assert feedback.kind == "shape"
    assert "has shape (1, 1); expected (3, 2)" in feedback.title


def test_a_transposed_answer_is_named_by_its_shape() -> None:
    code = ("from backprop_doc import sigmoid, sigmoid_derivative\n"
            "def output_gradient(h, a2, t):\n"
            "    return ((sigmoid(a2) - t) * sigmoid_derivative(a2)).T @ h\n")
    feedback = checks.check_code("4.3", code)
    assert feedback.kind == "shape" and feedback.slip == "transposed"


def test_a_nan_is_named() -> None:
    code = "import numpy as np\ndef relu_derivative(a):\n    return np.full(np.shape(a), np.nan)\n"
    feedback = checks.check_code("3.3", code)
    assert feedback.kind == "wrong" and "nan at [0]" in feedback.title


def test_a_wrong_answer_says_which_entries_are_off_and_by_how_much() -> None:
    code = ("def mean_loss_derivative(y, t):\n    d = (y - t) / len(y)\n    d[0, 0] += 0.5\n"
            "    return d\n")
    feedback = checks.check_code("3.4", code)
    assert feedback.kind == "wrong" and feedback.slip is None
    assert feedback.details[0] == "1 of 6 entries of `mean_loss_derivative(y, t)` are off."
    assert re.match(r"\[0, 0\] \(row 1, column 1\) is .+, should be .+ \(off by 0\.5\)\.",
                    feedback.details[1])


def test_prints_and_warnings_are_kept_and_the_example_is_put_back() -> None:
    code = ("import numpy as np\nfrom backprop_doc.example import w\nw *= 2\n"
            "print('hello')\nnp.log(-1.0)\nratio = 1.87\n")
    before = example.w.copy()
    feedback = checks.check_code("5.1", code)
    assert np.array_equal(example.w, before)
    assert feedback.ok, feedback.text()
    assert "hello" in feedback.output and "RuntimeWarning" in feedback.output
    assert "changed `w` of `backprop_doc.example` in place" in feedback.text()


def test_the_html_is_escaped() -> None:
    code = "print('<script>alert(1)</script>')\nh = '<b>'\ny = 0\n"
    feedback = checks.check_code("2.2", code)
    rendered = feedback.html()
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert rendered.startswith('<div class="check-feedback check-wrong" data-kind="type">')
    assert "<code>h</code>" in rendered  # backticks become code, after escaping


def test_check_json_gives_every_field_with_text_and_html() -> None:
    said = json.loads(checks.check_json("6.5", "def softmax_delta(y, t):\n    return y - t\n"))
    assert said["ok"] is False and said["slip"] == "assumes-sum-one"
    assert said["kind"] == "wrong" and said["exercise"] == "6.5"
    assert said["text"].startswith("Not yet: ") and said["html"].startswith("<div")
    assert set(said) == {"exercise", "ok", "kind", "title", "details", "slip", "hint",
                         "traceback", "output", "text", "html"}


def test_the_stop_control_stops_the_check_and_leaves_python_usable() -> None:
    """The worker's Stop raises KeyboardInterrupt inside the reader's code: it goes through
    (never reported as the reader's error), and prints and warnings are handled as before."""
    import sys
    import warnings

    code = "def count_parameters(d, m, q):\n    print('looping')\n    raise KeyboardInterrupt\n"
    stdout, filters = sys.stdout, list(warnings.filters)
    with pytest.raises(KeyboardInterrupt):
        checks.check_code("2.1", code)
    assert sys.stdout is stdout and warnings.filters == filters
    assert checks.check_code("2.1", "def count_parameters(d, m, q):\n"
                                    "    return d * m + m + m * q + q\n").ok


def test_a_single_array_where_a_tuple_is_expected_says_so() -> None:
    code = "def cross_entropy_gradients(h, y, t):\n    return h.T @ (y - t)\n"
    feedback = checks.check_code("4.2", code)
    assert feedback.kind == "type"
    assert "should be 2 things, (du, db2), as a tuple or a list; got one array of shape (3, 2)" \
        in feedback.title


def test_the_manifest_names_each_checked_exercise_where_its_page_has_it() -> None:
    found = checks.exercises()
    assert [e["exercise"] for e in found] == list(checks.CHECKED)
    for entry in found:
        exercise = exercises_by_number()[entry["exercise"]]
        assert (entry["page"], entry["anchor"]) == (exercise.page, exercise.anchor)
        assert entry["starter"] == checks.starter(entry["exercise"])
    json.dumps(found)  # what a build hook can write for the browser


def test_an_exercise_without_a_checker_says_why() -> None:
    with pytest.raises(KeyError, match="a proof"):
        checks.load("3.1")
    with pytest.raises(KeyError, match=r"these do: 2\.1"):
        checks.load("9.9")


# --------------------------------------------------------------------------------------------
# The package: what the browser can import, and its list of the exercises
# --------------------------------------------------------------------------------------------


def test_the_checks_import_only_numpy_the_package_and_the_standard_library() -> None:
    allowed = {"numpy", "backprop_doc", "backprop_site", "__future__"}
    for path in CHECKS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                top = node.module.split(".")[0]
            elif isinstance(node, ast.Import):
                top = node.names[0].name.split(".")[0]
            else:
                continue
            import sys
            assert top in allowed or top in sys.stdlib_module_names, (path.name, top)


def listed() -> dict[str, str]:
    """The docstring's list: exercise number -> its line."""
    assert checks.__doc__
    entries = re.findall(r"^(\S+\.\d+) +(.+?)(?=^\S+\.\d+ |^\S|\n\n|\Z)", checks.__doc__,
                         re.M | re.S)
    return {number: " ".join(text.split()) for number, text in entries}


def test_the_docstring_lists_every_exercise_as_the_registry_has_it() -> None:
    lines = listed()
    assert list(lines) == [e.number for e in all_exercises()]
    for number, line in lines.items():
        if number in checks.CHECKED:
            module: ModuleType = checks.load(number)
            assert line.startswith("checked; starter "), number
            for name in module.NAMES:
                assert re.search(rf"`(def )?{name}\b", line), (number, name)
            slips = line.split("slips: ")[1].rstrip(".").split(", ")
            assert slips == [slip.name for slip in module.SLIPS], number
        else:
            assert line == f"not checked: {' '.join(checks.UNCHECKED[number].split())}.", number
