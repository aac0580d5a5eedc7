"""The checks a mutant of the package must fail: run as a script, with the package to check
first on the import path (tests/test_mutation.py runs it with ``PYTHONPATH`` naming the folder
of a mutated copy).

Every check compares the package with an independent computation written here: plain NumPy
for the forward pass and the loss, central differences of that plain loss for every
gradient, ``math`` for the sigmoid. Exit status 0: every check passed (the mutant lives);
anything else, an exception included: the mutant is killed.

A copy the battery cannot import would count as killed, so tests/test_mutation.py first
checks that the battery passes on the package itself, copied as the mutants are.

``--batch COPY FILE SOURCES.json`` checks many mutants of one file in turn, each in a process
of its own forked from this one (`batch`), and prints their exit statuses.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import signal
import sys
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def plain_forward(x: Array, params: list[Array]) -> Array:
    """Sigmoid layers, written out here: params = [W1, b1, W2, b2, ...]."""
    out = x
    for W, b in zip(params[::2], params[1::2], strict=True):
        out = 1.0 / (1.0 + np.exp(-(out @ W + b)))
    return out


def plain_loss(x: Array, t: Array, params: list[Array]) -> float:
    return float(0.5 * np.sum((plain_forward(x, params) - t) ** 2))


def numerical_gradients(x: Array, t: Array,
                        params: list[Array]) -> list[Array]:
    grads = []
    for k, p in enumerate(params):
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            up = [q.copy() for q in params]
            down = [q.copy() for q in params]
            up[k][idx] += 1e-6
            down[k][idx] -= 1e-6
            g[idx] = (plain_loss(x, t, up) - plain_loss(x, t, down)) / 2e-6
        grads.append(g)
    return grads


def close(a: object, b: object) -> None:
    if not np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                       rtol=1e-6, atol=1e-9):
        raise AssertionError(f"{a!r} != {b!r}")


def main() -> None:
    from backprop_doc import (
        backprop,
        backward,
        forward,
        l2_loss,
        l2_loss_derivative,
        sigmoid,
        sigmoid_derivative,
    )
    from backprop_doc.gradcheck import central_difference, complex_step
    from backprop_doc.per_weight import grad_u_jk, grad_w11, grad_w_ij
    from backprop_doc.training import step

    rng = np.random.default_rng(3)
    # sigmoid (3.2), its derivative (3.3)
    for a in (-3.0, -0.4, 0.0, 0.7, 2.5):
        s = 1 / (1 + math.exp(-a))
        close(sigmoid(a), s)
        close(sigmoid_derivative(a), s * (1 - s))
    # the loss (3.1) and its derivative (4.3), on a batch
    Y, T = rng.random((3, 2)), rng.random((3, 2))
    close(l2_loss(Y, T), 0.5 * np.sum((Y - T) ** 2))
    close(l2_loss_derivative(Y, T), Y - T)
    # the 2-3-2 net on a batch of 4: forward, backward, one step
    x, t = rng.normal(size=(4, 2)), rng.random((4, 2))
    w, b1 = rng.normal(size=(2, 3)), rng.normal(size=3)
    u, b2 = rng.normal(size=(3, 2)), rng.normal(size=2)
    params = [w, b1, u, b2]
    fwd = forward(x, w, b1, u, b2)
    close(fwd.y, plain_forward(x, params))
    close(fwd.h, plain_forward(x, params[:2]))
    numeric = numerical_gradients(x, t, params)
    for got, want in zip(backward(x, t, w, b1, u, b2), numeric, strict=True):
        close(got, want)
    eta = 0.3
    new = step(x, t, w, b1, u, b2, eta=eta)
    for got, old, g in zip(new, params, numeric, strict=True):
        close(got, old - eta * g)
    # any depth: 2-4-3-2, on a batch of 3
    sizes = [2, 4, 3, 2]
    deep = [a for n_in, n_out in itertools.pairwise(sizes)
            for a in (rng.normal(size=(n_in, n_out)), rng.normal(size=n_out))]
    xd, td = rng.normal(size=(3, 2)), rng.random((3, 2))
    result = backprop(xd, td, deep[::2], deep[1::2])
    close(result.loss, plain_loss(xd, td, deep))
    numeric_deep = numerical_gradients(xd, td, deep)
    for got, want in zip(result.weight_gradients, numeric_deep[::2], strict=True):
        close(got, want)
    for got, want in zip(result.bias_gradients, numeric_deep[1::2], strict=True):
        close(got, want)
    # index by index, one sample: (4.6), (5.7), (5.8)
    x1, t1 = x[:1], t[:1]
    one = numerical_gradients(x1, t1, params)
    f1 = forward(x1, w, b1, u, b2)
    for i in range(3):
        for j in range(2):
            close(grad_u_jk(i, j, f1.h[0], f1.y[0], t1[0]), one[2][i, j])
    for i in range(2):
        for j in range(3):
            close(grad_w_ij(i, j, x1[0], f1.h[0], u, f1.y[0], t1[0]), one[0][i, j])
    close(grad_w11(x1[0], f1.h[0], u, f1.y[0], t1[0]), one[0][0, 0])
    # the numerical derivatives themselves, on a cubic whose gradient is known
    p = np.array([0.5, -1.5, 2.0])
    close(complex_step(lambda q: np.sum(q ** 3), p), 3 * p ** 2)
    close(central_difference(lambda q: np.sum(q ** 3), p), 3 * p ** 2)


def checked() -> int:
    """0 if every check passes on the package that ``import backprop_doc`` finds, else 1."""
    try:
        main()
    except Exception as exc:  # a mutant that raises is killed, as one that is wrong
        print(f"killed: {type(exc).__name__}: {exc}"[:300], flush=True)
        return 1
    return 0


def batch(copy: Path, file: str, sources: Path) -> list[int]:
    """For each source of ``file`` listed in the JSON file ``sources``, in turn: the source
    written into ``copy`` (the copy of the package that ``PYTHONPATH`` names, not yet
    imported here) and the battery run in a process of its own, forked from this one, which
    has NumPy loaded already; the exit status of each.

    A fork, not a fresh interpreter, for each mutant: most of a fresh run's time is Python
    starting and importing NumPy. A mutant that runs for more than ``LIMIT_S`` seconds is
    killed by SIGALRM.
    """
    codes = []
    for source in json.loads(sources.read_text(encoding="utf-8")):
        (copy / file).write_text(source, encoding="utf-8")
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:  # the child: it imports the package as written now, and exits
            code = 1
            try:
                signal.alarm(LIMIT_S)
                code = checked()
            finally:
                sys.stdout.flush()
                os._exit(code)
        codes.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    return codes


#: Seconds a mutant may run (a slip can make a loop endless).
LIMIT_S = 300

if __name__ == "__main__":
    if sys.argv[1:2] == ["--batch"]:  # --batch COPY FILE SOURCES.json: the codes, as JSON
        print("codes:", json.dumps(batch(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))))
    else:
        sys.exit(checked())
