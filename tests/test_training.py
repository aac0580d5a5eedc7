"""The update rule (4.1), (4.7), (5.9) and the training loop built on it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from backprop_doc import example, forward
from backprop_doc.net import loss
from backprop_doc.training import Params, init_params, step, train
from strategies import complex_step_net, random_net, read_only, rel_err

WORKED = Params(example.w, example.b1, example.u, example.b2)


def test_step_is_parameters_minus_eta_times_complex_step_gradient_on_worked_example() -> None:
    grads = complex_step_net(example.x, example.t, *WORKED)
    got = step(example.x, example.t, *WORKED, eta=example.ETA)
    for p, g, new in zip(WORKED, grads, got, strict=True):
        np.testing.assert_allclose(new, p - example.ETA * g, rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize("eta", [0.01, 0.7, 3.0])
def test_step_is_parameters_minus_eta_times_complex_step_gradient_on_a_batch(eta: float) -> None:
    net = random_net(np.random.default_rng(21), [3, 4, 2], 6)
    (w, u), (b1, b2) = net.weights, net.biases
    grads = complex_step_net(net.x, net.t, w, b1, u, b2)
    got = step(net.x, net.t, w, b1, u, b2, eta=eta)
    for p, g, new in zip((w, b1, u, b2), grads, got, strict=True):
        # (p - new) / eta is the gradient the step used
        assert rel_err((p - new) / eta, g) < 1e-9


def test_step_returns_params_with_biases_as_vectors() -> None:
    got = step(example.x, example.t, example.w, example.b1[None], example.u, example.b2[None],
               eta=example.ETA)
    assert isinstance(got, Params)
    assert got._fields == ("w", "b1", "u", "b2")
    assert [p.shape for p in got] == [(2, 3), (3,), (3, 2), (2,)]


def test_step_lowers_the_loss_of_the_worked_example() -> None:
    before = loss(example.x, example.t, *WORKED)
    after = loss(example.x, example.t, *step(example.x, example.t, *WORKED, eta=example.ETA))
    assert after < before


def test_step_does_not_modify_its_arguments() -> None:
    args = [read_only(a) for a in (example.x, example.t, *WORKED)]
    x, t, w, b1, u, b2 = args
    step(x, t, w, b1, u, b2, eta=example.ETA)  # a write into a read-only array would raise
    for a, original in zip(args, (example.x, example.t, *WORKED), strict=True):
        assert np.array_equal(a, original)


def run(seed: int, steps: int = 50) -> NDArray[Any]:
    return train(example.ADDER_X, example.ADDER_T, eta=example.TRAIN_ETA, steps=steps,
                 rng=np.random.default_rng(seed)).losses


def test_train_with_the_same_seed_gives_identical_losses_and_params() -> None:
    a = train(example.ADDER_X, example.ADDER_T, eta=2.0, steps=50, rng=np.random.default_rng(3))
    b = train(example.ADDER_X, example.ADDER_T, eta=2.0, steps=50, rng=np.random.default_rng(3))
    assert np.array_equal(a.losses, b.losses)
    for p, q in zip(a.params, b.params, strict=True):
        assert np.array_equal(p, q)


def test_train_with_different_seeds_gives_different_losses() -> None:
    assert not np.array_equal(run(3), run(4))
    assert run(3)[0] != run(4)[0]  # they differ from the start: different initial weights


def test_train_from_a_seed_starts_from_init_params_with_that_seed() -> None:
    start = init_params(np.random.default_rng(5), (2, 3, 2))
    from_seed = train(example.ADDER_X, example.ADDER_T, eta=1.0, steps=5,
                      rng=np.random.default_rng(5))
    from_params = train(example.ADDER_X, example.ADDER_T, eta=1.0, steps=5, params=start)
    assert np.array_equal(from_seed.losses, from_params.losses)


@pytest.mark.parametrize("steps", [0, 1, 7])
def test_train_records_steps_plus_one_losses(steps: int) -> None:
    assert run(0, steps).shape == (steps + 1,)


def test_first_loss_is_the_loss_of_the_starting_params() -> None:
    start = init_params(np.random.default_rng(6), (2, 3, 2))
    result = train(example.ADDER_X, example.ADDER_T, eta=2.0, steps=4, params=start)
    assert result.losses[0] == pytest.approx(loss(example.ADDER_X, example.ADDER_T, *start),
                                             rel=1e-15)


def test_train_is_repeated_step_and_records_the_loss_before_each_step() -> None:
    start = init_params(np.random.default_rng(8), (2, 3, 2))
    result = train(example.ADDER_X, example.ADDER_T, eta=2.0, steps=3, params=start)
    current = start
    for s in range(4):
        want = loss(example.ADDER_X, example.ADDER_T, *current)
        assert result.losses[s] == pytest.approx(want, rel=1e-14), s
        if s < 3:
            current = step(example.ADDER_X, example.ADDER_T, *current, eta=2.0)
    for p, q in zip(result.params, current, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-14, atol=1e-15)


def test_half_adder_loss_falls_below_a_hundredth_and_outputs_round_to_targets() -> None:
    result = train(example.ADDER_X, example.ADDER_T, eta=example.TRAIN_ETA, steps=example.STEPS,
                   rng=np.random.default_rng(example.SEED))
    assert result.losses[0] > 0.5  # an untrained net is far off (4 samples x 2 outputs)
    assert result.losses[-1] < 0.01
    assert result.losses[-1] < result.losses[0] / 100
    y = forward(example.ADDER_X, *result.params).y
    assert np.array_equal(np.round(y), example.ADDER_T)


def test_train_does_not_modify_the_params_passed_in() -> None:
    start = init_params(np.random.default_rng(9), (2, 3, 2))
    copies = [p.copy() for p in start]
    frozen = Params(*(read_only(p) for p in start))
    train(example.ADDER_X, example.ADDER_T, eta=2.0, steps=20, params=frozen)
    train(example.ADDER_X, example.ADDER_T, eta=2.0, steps=20, params=start)
    for p, q, c in zip(frozen, start, copies, strict=True):
        assert np.array_equal(p, c)
        assert np.array_equal(q, c)


def test_train_does_not_modify_x_or_t() -> None:
    x, t = read_only(example.ADDER_X), read_only(example.ADDER_T)
    train(x, t, eta=2.0, steps=5, rng=np.random.default_rng(0))
    assert np.array_equal(x, example.ADDER_X)
    assert np.array_equal(t, example.ADDER_T)


def test_init_params_shapes_zero_biases_and_reproducibility() -> None:
    p = init_params(np.random.default_rng(1), (4, 5, 3))
    assert [a.shape for a in p] == [(4, 5), (5,), (5, 3), (3,)]
    assert not p.b1.any()
    assert not p.b2.any()
    q = init_params(np.random.default_rng(1), (4, 5, 3))
    assert all(np.array_equal(a, b) for a, b in zip(p, q, strict=True))


@pytest.mark.parametrize(
    "bad", [{"eta": 0.0}, {"steps": -1}, {"t": example.ADDER_T[:3]}], ids=["eta", "steps", "t"]
)
def test_train_that_fails_validation_leaves_the_generator_untouched(
    bad: dict[str, object],
) -> None:
    rng = np.random.default_rng(example.SEED)
    state = rng.bit_generator.state
    kwargs: dict[str, object] = {"eta": 2.0, "steps": 10, "t": example.ADDER_T, **bad}
    with pytest.raises(ValueError, match=rf"^{next(iter(bad))}: expected"):
        train(example.ADDER_X, rng=rng, **kwargs)  # type: ignore[arg-type]
    assert rng.bit_generator.state == state
