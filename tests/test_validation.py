"""Bad input is refused at the edge, with a message that names the argument and says what
was expected; nothing the caller passes is ever modified.

Every ``match`` below is anchored at the start (``^name:``): the error is the package's
own message, never one from NumPy's broadcasting or matmul that happened to have the same
type.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from backprop_doc import (
    backprop,
    backward,
    example,
    forward,
    l2_loss,
    l2_loss_derivative,
    sigmoid,
    sigmoid_derivative,
)
from backprop_doc.backprop import forward_layers
from backprop_doc.gradcheck import central_difference, complex_step
from backprop_doc.net import loss
from backprop_doc.per_weight import (
    grad_b1_j,
    grad_b2_k,
    grad_u_jk,
    grad_w11,
    grad_w_ij,
    per_weight_gradients,
)
from backprop_doc.training import Params, init_params, step, train
from strategies import read_only

Args = dict[str, Any]

GOOD: Args = {
    "x": example.x, "t": example.t, "w": example.w, "b1": example.b1, "u": example.u,
    "b2": example.b2, "eta": 0.5, "steps": 2,
}
TWO_LAYER: dict[str, Callable[[Args], Any]] = {
    "forward": lambda a: forward(a["x"], a["w"], a["b1"], a["u"], a["b2"]),
    "backward": lambda a: backward(a["x"], a["t"], a["w"], a["b1"], a["u"], a["b2"]),
    "loss": lambda a: loss(a["x"], a["t"], a["w"], a["b1"], a["u"], a["b2"]),
    "per_weight_gradients": lambda a: per_weight_gradients(
        a["x"], a["t"], a["w"], a["b1"], a["u"], a["b2"]
    ),
    "step": lambda a: step(a["x"], a["t"], a["w"], a["b1"], a["u"], a["b2"], eta=a["eta"]),
    "train": lambda a: train(
        a["x"], a["t"], eta=a["eta"], steps=a["steps"],
        params=Params(a["w"], a["b1"], a["u"], a["b2"]),
    ),
}
WITH_T = [f for f in TWO_LAYER if f != "forward"]
ANY_DEPTH: dict[str, Callable[[Args], Any]] = {
    "backprop": lambda a: backprop(a["x"], a["t"], a["weights"], a["biases"]),
    "forward_layers": lambda a: forward_layers(a["x"], a["weights"], a["biases"]),
}


def layers_args(**changes: Any) -> Args:
    """A three-layer 2-3-4-2 net; ``weights_1=...`` replaces ``weights[1]``, and so on."""
    rng = np.random.default_rng(0)
    a: Args = {
        "x": example.x, "t": example.t,
        "weights": [rng.normal(size=s) for s in [(2, 3), (3, 4), (4, 2)]],
        "biases": [rng.normal(size=m) for m in (3, 4, 2)],
    }
    for key, value in changes.items():
        if key[-1].isdigit():
            name, k = key.rsplit("_", 1)
            a[name] = list(a[name])
            a[name][int(k)] = value
        else:
            a[key] = value
    return a


def element(name: str) -> str:
    """``weights_1`` -> the message's ``weights[1]``, as a regular expression."""
    if name[-1].isdigit():
        base, k = name.rsplit("_", 1)
        return re.escape(f"{base}[{k}]")
    return name


def raises(exc: type[Exception], pattern: str) -> Any:
    return pytest.raises(exc, match=pattern)


# -- x and w (and w and u) that do not chain -------------------------------------------


@pytest.mark.parametrize("fn", TWO_LAYER)
def test_w_that_does_not_chain_with_x_is_named_with_expected_rows(fn: str) -> None:
    with raises(ValueError, r"^w: expected shape \(2, m\) with m >= 1 to chain with x of "
                            r"shape \(1, 2\), got shape \(3, 3\)"):
        TWO_LAYER[fn]({**GOOD, "w": np.ones((3, 3))})


@pytest.mark.parametrize("fn", TWO_LAYER)
def test_u_that_does_not_chain_with_w_is_named_with_expected_rows(fn: str) -> None:
    with raises(ValueError, r"^u: expected shape \(3, m\) with m >= 1 to chain with w of "
                            r"shape \(2, 3\), got shape \(2, 2\)"):
        TWO_LAYER[fn]({**GOOD, "u": np.ones((2, 2))})


@pytest.mark.parametrize("fn", TWO_LAYER)
@pytest.mark.parametrize("name", ["w", "u"])
def test_weight_that_is_not_a_matrix_is_named(fn: str, name: str) -> None:
    with raises(ValueError, rf"^{name}: expected shape \(\d, m\).*got shape \(6,\)"):
        TWO_LAYER[fn]({**GOOD, name: np.ones(6)})


@pytest.mark.parametrize("fn", ANY_DEPTH)
def test_first_weights_that_do_not_chain_with_x_are_named_weights_0(fn: str) -> None:
    with raises(ValueError, r"^weights\[0\]: expected shape \(2, m\) with m >= 1 to chain "
                            r"with x of shape \(1, 2\), got shape \(3, 3\)"):
        ANY_DEPTH[fn](layers_args(weights_0=np.ones((3, 3))))


@pytest.mark.parametrize("fn", ANY_DEPTH)
@pytest.mark.parametrize(
    ("k", "rows", "previous", "bad"), [(1, 3, (2, 3), (4, 4)), (2, 4, (3, 4), (3, 2))]
)
def test_weights_whose_sizes_do_not_chain_are_named_weights_k(
    fn: str, k: int, rows: int, previous: tuple[int, int], bad: tuple[int, int]
) -> None:
    after = re.escape(f"weights[{k - 1}] of shape {previous}")
    with raises(ValueError, rf"^weights\[{k}\]: expected shape \({rows}, m\) with m >= 1 to "
                            rf"chain with {after}, got shape \({bad[0]}, {bad[1]}\)"):
        ANY_DEPTH[fn](layers_args(**{f"weights_{k}": np.ones(bad)}))


# -- t that does not match y ----------------------------------------------------------


@pytest.mark.parametrize("fn", WITH_T)
@pytest.mark.parametrize("bad_t", [[[0.1, 0.2, 0.3]], [[0.1, 0.2], [0.3, 0.4]], [0.1, 0.2]])
def test_t_that_does_not_match_y_is_named_with_the_shape_of_y(fn: str, bad_t: Any) -> None:
    shape = re.escape(str(np.shape(bad_t)))
    with raises(ValueError, rf"^t: expected shape \(1, 2\) to match the outputs y, "
                            rf"got shape {shape}"):
        TWO_LAYER[fn]({**GOOD, "t": bad_t})


def test_t_that_does_not_match_y_is_named_by_backprop() -> None:
    with raises(ValueError, r"^t: expected shape \(1, 2\) to match the outputs y, "
                            r"got shape \(1, 4\)"):
        backprop(**layers_args(t=np.zeros((1, 4))))


def test_t_with_other_rows_than_x_is_named_by_train_from_a_seed() -> None:
    with raises(ValueError, r"^t: expected 4 rows, one per sample of x, got shape \(3, 2\)"):
        train(example.ADDER_X, example.ADDER_T[:3], eta=1.0, steps=1,
              rng=np.random.default_rng(0))


# -- a bias of the wrong length -------------------------------------------------------


@pytest.mark.parametrize("fn", TWO_LAYER)
@pytest.mark.parametrize(
    ("name", "size", "bad"),
    [("b1", 3, np.ones(2)), ("b1", 3, np.ones(4)), ("b1", 3, np.ones((3, 1))),
     ("b2", 2, np.ones(3)), ("b2", 2, np.ones((2, 2))), ("b2", 2, np.ones(()))],
    ids=["b1-2", "b1-4", "b1-column", "b2-3", "b2-2x2", "b2-scalar"],
)
def test_bias_of_the_wrong_length_is_named_with_the_expected_length(
    fn: str, name: str, size: int, bad: NDArray[Any]
) -> None:
    shape = re.escape(str(bad.shape))
    with raises(ValueError, rf"^{name}: expected a vector of length {size} "
                            rf"\(or a 1 x {size} row\), got shape {shape}"):
        TWO_LAYER[fn]({**GOOD, name: bad})


@pytest.mark.parametrize("fn", ANY_DEPTH)
@pytest.mark.parametrize(("k", "size"), [(0, 3), (1, 4), (2, 2)])
def test_biases_k_of_the_wrong_length_is_named_biases_k(fn: str, k: int, size: int) -> None:
    with raises(ValueError, rf"^biases\[{k}\]: expected a vector of length {size}.*"
                            rf"got shape \({size + 1},\)"):
        ANY_DEPTH[fn](layers_args(**{f"biases_{k}": np.ones(size + 1)}))


# -- weights and biases lists ---------------------------------------------------------


@pytest.mark.parametrize("fn", ANY_DEPTH)
@pytest.mark.parametrize("n_biases", [2, 4])
def test_lists_of_different_lengths_are_named(fn: str, n_biases: int) -> None:
    a = layers_args()
    a["biases"] = (a["biases"] * 2)[:n_biases]
    with raises(ValueError, rf"^biases: expected one bias vector per weight matrix \(3\), "
                            rf"got {n_biases}"):
        ANY_DEPTH[fn](a)


@pytest.mark.parametrize("fn", ANY_DEPTH)
def test_empty_weights_list_is_named(fn: str) -> None:
    with raises(ValueError, r"^weights: expected at least one weight matrix"):
        ANY_DEPTH[fn](layers_args(weights=[], biases=[]))


@pytest.mark.parametrize("fn", ANY_DEPTH)
@pytest.mark.parametrize("name", ["weights", "biases"])
def test_an_array_instead_of_a_list_is_named(fn: str, name: str) -> None:
    a = layers_args()
    a[name] = np.ones((3, 2))
    with raises(TypeError, rf"^{name}: expected a list of arrays \(one per layer\)"):
        ANY_DEPTH[fn](a)


# -- non-numeric arrays ---------------------------------------------------------------


def non_numeric(kind: str, like: Any) -> Any:
    good = np.asarray(like, dtype=float)
    return {
        "strings": np.full(good.shape, "0.5"),
        "object": good.astype(object),
        "complex": good.astype(complex),
        "bool": np.ones(good.shape, dtype=bool),
    }[kind]


KINDS = ["strings", "object", "complex", "bool"]
DTYPE = {"strings": "<U3", "object": "object", "complex": "complex128", "bool": "bool"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("fn", "name"), [(f, n) for f in TWO_LAYER for n in ["x", "t", "w", "b1", "u", "b2"]
                     if not (f == "forward" and n == "t")]
)
def test_non_numeric_array_is_named_with_its_dtype(fn: str, name: str, kind: str) -> None:
    with raises(TypeError, rf"^{name}: expected an array of real numbers, "
                           rf"got dtype {DTYPE[kind]}"):
        TWO_LAYER[fn]({**GOOD, name: non_numeric(kind, GOOD[name])})


def any_depth_cases(names: list[str]) -> list[tuple[str, str]]:
    return [(f, n) for f in ANY_DEPTH for n in names if not (f == "forward_layers" and n == "t")]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("fn", "name"),
    any_depth_cases(["x", "t", "weights_0", "weights_2", "biases_1", "biases_2"]),
)
def test_non_numeric_array_in_any_depth_net_is_named(fn: str, name: str, kind: str) -> None:
    a = layers_args()
    like = a[name] if "_" not in name else a[name.split("_")[0]][int(name[-1])]
    with raises(TypeError, rf"^{element(name)}: expected an array of real numbers, "
                           rf"got dtype {DTYPE[kind]}"):
        ANY_DEPTH[fn](layers_args(**{name: non_numeric(kind, like)}))


@pytest.mark.parametrize("fn", TWO_LAYER)
def test_ragged_nested_list_is_named(fn: str) -> None:
    with raises(TypeError, r"^x: expected an array of real numbers, "
                           r"got \[\[0\.5, 1\.0\], \[2\.0\]\]"):
        TWO_LAYER[fn]({**GOOD, "x": [[0.5, 1.0], [2.0]]})


# -- NaN and infinity -----------------------------------------------------------------

BAD_NUMBERS = [(np.nan, "NaN"), (np.inf, "infinity"), (-np.inf, "infinity")]


def with_bad_last(like: Any, value: float) -> tuple[NDArray[Any], str]:
    arr = np.array(like, dtype=float)
    index = tuple(s - 1 for s in arr.shape)
    arr[index] = value
    return arr, re.escape(str(index))


@pytest.mark.parametrize(("value", "what"), BAD_NUMBERS, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(
    ("fn", "name"), [(f, n) for f in TWO_LAYER for n in ["x", "t", "w", "b1", "u", "b2"]
                     if not (f == "forward" and n == "t")]
)
def test_nan_or_infinity_is_named_with_its_index(
    fn: str, name: str, value: float, what: str
) -> None:
    bad, index = with_bad_last(GOOD[name], value)
    with raises(ValueError, rf"^{name}: expected finite numbers, found {what} at index {index}"):
        TWO_LAYER[fn]({**GOOD, name: bad})


@pytest.mark.parametrize(("value", "what"), BAD_NUMBERS, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(
    ("fn", "name"),
    any_depth_cases(["x", "t", "weights_0", "weights_1", "biases_0", "biases_2"]),
)
def test_nan_or_infinity_in_any_depth_net_is_named(
    fn: str, name: str, value: float, what: str
) -> None:
    a = layers_args()
    like = a[name] if "_" not in name else a[name.split("_")[0]][int(name[-1])]
    bad, index = with_bad_last(like, value)
    with raises(ValueError, rf"^{element(name)}: expected finite numbers, found {what} "
                            rf"at index {index}"):
        ANY_DEPTH[fn](layers_args(**{name: bad}))


@pytest.mark.parametrize("name", ["x", "t"])
def test_nan_in_x_or_t_is_named_by_train_from_a_seed(name: str) -> None:
    data = {"x": example.ADDER_X.copy(), "t": example.ADDER_T.copy()}
    data[name][2, 1] = np.nan
    with raises(ValueError, rf"^{name}: expected finite numbers, found NaN at index \(2, 1\)"):
        train(data["x"], data["t"], eta=1.0, steps=1, rng=np.random.default_rng(0))


# -- an empty batch, and x given 1-D --------------------------------------------------



def with_x(fn: str) -> Callable[[Args], Any]:
    """The any-depth function ``fn`` on the three-layer net, with only x taken from the args."""
    return lambda a: ANY_DEPTH[fn]({**layers_args(), "x": a["x"]})


ALL: dict[str, Callable[[Args], Any]] = {**TWO_LAYER, **{f: with_x(f) for f in ANY_DEPTH}}


@pytest.mark.parametrize("fn", ALL)
def test_empty_batch_is_refused_naming_x(fn: str) -> None:
    with raises(ValueError, r"^x: expected at least one sample \(row\), got shape \(0, 2\)"):
        ALL[fn]({**GOOD, "x": np.empty((0, 2))})


@pytest.mark.parametrize("fn", ALL)
def test_batch_without_features_is_refused_naming_x(fn: str) -> None:
    with raises(ValueError, r"^x: expected at least one feature \(column\), got shape \(1, 0\)"):
        ALL[fn]({**GOOD, "x": np.empty((1, 0))})


@pytest.mark.parametrize("name", ["x", "t"])
def test_empty_batch_is_refused_by_train_from_a_seed(name: str) -> None:
    data = {"x": example.ADDER_X, "t": example.ADDER_T, name: np.empty((0, 2))}
    with raises(ValueError, rf"^{name}: expected at least one sample \(row\), got shape \(0, 2\)"):
        train(data["x"], data["t"], eta=1.0, steps=1, rng=np.random.default_rng(0))


@pytest.mark.parametrize("fn", ALL)
def test_x_given_1d_is_refused_with_a_hint_to_write_a_row(fn: str) -> None:
    with raises(ValueError, r"^x: expected a 2-D array of shape \(n samples, features\) "
                            r"\(write one sample as a row, e\.g\. \[\[0\.05, 0\.10\]\]\), "
                            r"got shape \(2,\)"):
        ALL[fn]({**GOOD, "x": [0.5, 1.0]})


def test_x_given_1d_is_refused_by_train_from_a_seed() -> None:
    with raises(ValueError, r"^x: expected a 2-D array .*got shape \(2,\)"):
        train([0.0, 1.0], [[0.0, 1.0]], eta=1.0, steps=1, rng=np.random.default_rng(0))


# -- the learning rate ----------------------------------------------------------------


@pytest.mark.parametrize("fn", ["step", "train"])
@pytest.mark.parametrize(
    ("eta", "exc"),
    [(0, ValueError), (0.0, ValueError), (-1, ValueError), (np.nan, ValueError),
     (np.inf, ValueError), (-np.inf, ValueError), ("0.1", TypeError), (True, TypeError),
     (None, TypeError), ([0.1], TypeError)],
    ids=["0", "0.0", "-1", "nan", "inf", "-inf", "str", "True", "None", "list"],
)
def test_learning_rate_that_is_not_a_positive_finite_number_is_named(
    fn: str, eta: Any, exc: type[Exception]
) -> None:
    with raises(exc, rf"^eta: expected a positive finite number, got {re.escape(repr(eta))}"):
        TWO_LAYER[fn]({**GOOD, "eta": eta})


def test_learning_rate_is_checked_by_train_from_a_seed() -> None:
    with raises(ValueError, r"^eta: expected a positive finite number, got -1"):
        train(example.ADDER_X, example.ADDER_T, eta=-1, steps=1, rng=np.random.default_rng(0))


@pytest.mark.parametrize(("steps", "exc"), [(-1, ValueError), (2.0, TypeError), (True, TypeError)])
def test_steps_that_is_not_a_whole_number_is_named(steps: Any, exc: type[Exception]) -> None:
    with raises(exc, rf"^steps: expected a whole number >= 0, got {re.escape(repr(steps))}"):
        TWO_LAYER["train"]({**GOOD, "steps": steps})


def test_train_without_params_or_rng_names_rng() -> None:
    with raises(TypeError, r"^rng: expected a numpy\.random\.Generator"):
        train(example.ADDER_X, example.ADDER_T, eta=1.0, steps=1)


def test_train_with_params_not_a_params_tuple_names_params() -> None:
    with raises(TypeError, r"^params: expected a Params\(w, b1, u, b2\), got tuple"):
        train(example.ADDER_X, example.ADDER_T, eta=1.0, steps=1,
              params=(example.w, example.b1, example.u, example.b2))  # type: ignore[arg-type]


# -- the per-weight functions (one sample as 1-D vectors) -----------------------------

_FWD = forward(*(GOOD[n] for n in ["x", "w", "b1", "u", "b2"]))
SAMPLE: Args = {"x": example.x[0], "h": _FWD.h[0], "u": example.u, "y": _FWD.y[0],
                "t": example.t[0], "i": 0, "j": 0, "k": 0}
PER_WEIGHT: dict[str, Callable[[Args], float]] = {
    "grad_u_jk": lambda a: grad_u_jk(a["j"], a["k"], a["h"], a["y"], a["t"]),
    "grad_w11": lambda a: grad_w11(a["x"], a["h"], a["u"], a["y"], a["t"]),
    "grad_w_ij": lambda a: grad_w_ij(a["i"], a["j"], a["x"], a["h"], a["u"], a["y"], a["t"]),
    "grad_b1_j": lambda a: grad_b1_j(a["j"], a["h"], a["u"], a["y"], a["t"]),
    "grad_b2_k": lambda a: grad_b2_k(a["k"], a["y"], a["t"]),
}
USES = {
    "grad_u_jk": ["j", "k", "h", "y", "t"],
    "grad_w11": ["x", "h", "u", "y", "t"],
    "grad_w_ij": ["i", "j", "x", "h", "u", "y", "t"],
    "grad_b1_j": ["j", "h", "u", "y", "t"],
    "grad_b2_k": ["k", "y", "t"],
}
VECTORS = [(f, n) for f, names in USES.items() for n in names if n in ("x", "h", "y", "t")]
ARRAYS = [(f, n) for f, names in USES.items() for n in names if n not in ("i", "j", "k")]


@pytest.mark.parametrize(("fn", "name"), VECTORS)
def test_per_weight_vector_given_as_a_batch_is_refused(fn: str, name: str) -> None:
    bad = np.atleast_2d(SAMPLE[name])
    shape = re.escape(str(bad.shape))
    with raises(ValueError, rf"^{name}: expected .*1-D vector.* \(one sample\), "
                            rf"got shape {shape}"):
        PER_WEIGHT[fn]({**SAMPLE, name: bad})


@pytest.mark.parametrize(("fn", "name"), [(f, n) for f, n in VECTORS if n != "t"])
def test_per_weight_empty_vector_is_refused(fn: str, name: str) -> None:
    with raises(ValueError, rf"^{name}: expected a non-empty 1-D vector \(one sample\), "
                            rf"got shape \(0,\)"):
        PER_WEIGHT[fn]({**SAMPLE, name: np.empty(0)})


@pytest.mark.parametrize("fn", PER_WEIGHT)
def test_per_weight_t_that_does_not_match_y_is_named(fn: str) -> None:
    with raises(ValueError, r"^t: expected a 1-D vector of length 2 \(one sample\), "
                            r"got shape \(3,\)"):
        PER_WEIGHT[fn]({**SAMPLE, "t": [0.1, 0.2, 0.3]})


@pytest.mark.parametrize("fn", [f for f, names in USES.items() if "u" in names])
def test_per_weight_u_that_does_not_join_h_to_y_is_named(fn: str) -> None:
    with raises(ValueError, r"^u: expected shape \(3, 2\) to join h \(length 3\) to y "
                            r"\(length 2\), got shape \(2, 3\)"):
        PER_WEIGHT[fn]({**SAMPLE, "u": np.ones((2, 3))})


def test_grad_w11_refuses_a_net_without_two_outputs() -> None:
    with raises(ValueError, r"^y: expected the 2 outputs of the article's net, got shape \(3,\)"):
        grad_w11(SAMPLE["x"], SAMPLE["h"], np.ones((3, 3)), [0.5, 0.5, 0.5], [0.0, 1.0, 0.0])


INDEX_CASES = [
    ("grad_u_jk", "j", "h", 3), ("grad_u_jk", "k", "y", 2), ("grad_w_ij", "i", "x", 2),
    ("grad_w_ij", "j", "h", 3), ("grad_b1_j", "j", "h", 3), ("grad_b2_k", "k", "y", 2),
]


@pytest.mark.parametrize(("fn", "index", "of", "size"), INDEX_CASES)
@pytest.mark.parametrize("where", ["past the end", "negative"])
def test_per_weight_index_out_of_range_is_named_with_the_range(
    fn: str, index: str, of: str, size: int, where: str
) -> None:
    value = size if where == "past the end" else -1
    with raises(IndexError, rf"^{index}: expected an index from 0 to {size - 1} "
                            rf"\({of} has {size}\), got {value}"):
        PER_WEIGHT[fn]({**SAMPLE, index: value})


@pytest.mark.parametrize(("fn", "index", "of", "size"), INDEX_CASES)
@pytest.mark.parametrize("value", [1.0, True, "0", None])
def test_per_weight_index_that_is_not_an_integer_is_named(
    fn: str, index: str, of: str, size: int, value: Any
) -> None:
    with raises(TypeError, rf"^{index}: expected an integer index, got {re.escape(repr(value))}"):
        PER_WEIGHT[fn]({**SAMPLE, index: value})


@pytest.mark.parametrize(("value", "what"), BAD_NUMBERS, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(("fn", "name"), ARRAYS)
def test_per_weight_nan_or_infinity_is_named(fn: str, name: str, value: float, what: str) -> None:
    bad, index = with_bad_last(SAMPLE[name], value)
    with raises(ValueError, rf"^{name}: expected finite numbers, found {what} at index {index}"):
        PER_WEIGHT[fn]({**SAMPLE, name: bad})


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("fn", "name"), ARRAYS)
def test_per_weight_non_numeric_array_is_named(fn: str, name: str, kind: str) -> None:
    with raises(TypeError, rf"^{name}: expected an array of real numbers, "
                           rf"got dtype {DTYPE[kind]}"):
        PER_WEIGHT[fn]({**SAMPLE, name: non_numeric(kind, SAMPLE[name])})


# -- errors come before any arithmetic ------------------------------------------------
# Witness: finite parameters whose forward pass overflows (1e308 + 1e308 in x w + b1), so
# the arithmetic, if it runs, ends in the package's overflow error (which names the whole
# argument list). A function that checks its arguments first raises the error that names
# the one bad argument instead.

OVERFLOW: Args = {
    **GOOD, "x": [[1.0, 0.0]], "w": [[1e308, 0.0, 0.0], [0.0, 0.0, 0.0]],
    "b1": [1e308, 0.0, 0.0],
}


def test_finite_input_that_overflows_gets_a_clear_error_not_a_warning() -> None:
    with raises(ValueError, r"^x, w, b1, u, b2: expected magnitudes small enough .* overflow"):
        TWO_LAYER["forward"](OVERFLOW)


@pytest.mark.parametrize(
    ("fn", "bad"),
    [
        ("backward", {"t": [[0.0, 0.0, 0.0]]}),
        ("loss", {"t": [[0.0, 0.0, 0.0]]}),
        ("per_weight_gradients", {"t": [[0.0, 0.0, 0.0]]}),
        ("step", {"t": [[0.0, 0.0, 0.0]]}),
        ("step", {"eta": 0.0}),
        ("train", {"t": [[0.0, 0.0, 0.0]]}),
        ("train", {"eta": 0.0}),
        ("train", {"steps": -1}),
    ],
    ids=["backward-t", "loss-t", "per_weight_gradients-t", "step-t", "step-eta", "train-t",
         "train-eta", "train-steps"],
)
def test_bad_argument_is_refused_before_any_arithmetic(fn: str, bad: Args) -> None:
    name = next(iter(bad))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with raises(ValueError, rf"^{name}: expected"):
            TWO_LAYER[fn]({**OVERFLOW, **bad})


def test_backprop_refuses_bad_t_before_any_arithmetic() -> None:
    a = layers_args(x=[[1.0, 0.0]], weights_0=[[1e308, 0.0, 0.0], [0.0, 0.0, 0.0]],
                    biases_0=[1e308, 0.0, 0.0], t=[[0.0, 0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with raises(ValueError, r"^t: expected shape \(1, 2\)"):
            backprop(**a)


# -- nothing the caller passes is modified --------------------------------------------


def frozen_two_layer() -> tuple[Args, Args]:
    """Read-only copies of the worked example's arrays, and plain copies to compare with."""
    names = ["x", "t", "w", "b1", "u", "b2"]
    return ({**GOOD, **{n: read_only(GOOD[n]) for n in names}},
            {n: np.array(GOOD[n]) for n in names})


@pytest.mark.parametrize("fn", TWO_LAYER)
def test_two_layer_functions_do_not_modify_their_arguments(fn: str) -> None:
    frozen, copies = frozen_two_layer()
    TWO_LAYER[fn](frozen)  # a write into a read-only array would raise
    for name, copy in copies.items():
        assert np.array_equal(frozen[name], copy), name


@pytest.mark.parametrize("fn", TWO_LAYER)
def test_two_layer_functions_do_not_modify_writeable_arguments(fn: str) -> None:
    args = {**GOOD, **{n: np.array(GOOD[n]) for n in ["x", "t", "w", "b1", "u", "b2"]}}
    copies = {n: args[n].copy() for n in ["x", "t", "w", "b1", "u", "b2"]}
    TWO_LAYER[fn](args)
    for name, copy in copies.items():
        assert np.array_equal(args[name], copy), name


@pytest.mark.parametrize("fn", ANY_DEPTH)
def test_any_depth_functions_do_not_modify_their_arguments_or_lists(fn: str) -> None:
    a = layers_args()
    frozen: Args = {"x": read_only(a["x"]), "t": read_only(a["t"]),
              "weights": [read_only(w) for w in a["weights"]],
              "biases": [read_only(b) for b in a["biases"]]}
    weights, biases = list(frozen["weights"]), list(frozen["biases"])
    ANY_DEPTH[fn](frozen)
    assert np.array_equal(frozen["x"], a["x"])
    assert np.array_equal(frozen["t"], a["t"])
    assert len(frozen["weights"]) == len(weights) == 3
    assert all(p is q for p, q in zip(frozen["weights"], weights, strict=True))
    assert all(p is q for p, q in zip(frozen["biases"], biases, strict=True))
    for got, want in zip(frozen["weights"] + frozen["biases"], a["weights"] + a["biases"],
                         strict=True):
        assert np.array_equal(got, want)


@pytest.mark.parametrize("fn", PER_WEIGHT)
def test_per_weight_functions_do_not_modify_their_arguments(fn: str) -> None:
    frozen = {n: (read_only(v) if isinstance(v, np.ndarray) else v) for n, v in SAMPLE.items()}
    PER_WEIGHT[fn](frozen)
    for name, value in SAMPLE.items():
        assert np.array_equal(frozen[name], value), name


@pytest.mark.parametrize(
    "call",
    [lambda a: sigmoid(a), lambda a: sigmoid_derivative(a), lambda a: l2_loss(a, a * 0.5),
     lambda a: l2_loss_derivative(a, a * 0.5),
     lambda a: central_difference(lambda p: float(np.sum(p**2)), a),
     lambda a: complex_step(lambda p: np.sum(p**2), a)],
    ids=["sigmoid", "sigmoid_derivative", "l2_loss", "l2_loss_derivative",
         "central_difference", "complex_step"],
)
def test_elementwise_and_checking_functions_do_not_modify_their_argument(
    call: Callable[[NDArray[Any]], Any],
) -> None:
    a = read_only([[0.2, -1.5, 3.0], [0.0, 7.0, -0.25]])
    call(a)
    assert np.array_equal(a, [[0.2, -1.5, 3.0], [0.0, 7.0, -0.25]])


def test_init_params_refuses_what_is_not_a_generator_naming_rng() -> None:
    with raises(TypeError, r"^rng: expected a numpy\.random\.Generator"):
        init_params(0)  # type: ignore[arg-type]
