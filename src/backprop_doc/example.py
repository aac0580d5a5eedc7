r"""The fixed numbers of the site's worked example and of its training page.

The worked example is one sample through the article's 2-3-2 net. The numbers are chosen to
be easy to type and to give gradients of a readable size; nothing else depends on them.
The training task is the half adder: two bits in, their sum bit (XOR) and carry bit
(AND) out, which a net needs its hidden layer for (XOR is not linearly separable).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ADDER_T", "ADDER_X", "ETA", "SEED", "STEPS", "TRAIN_ETA", "b1", "b2", "t", "u", "w", "x",
]

# --8<-- [start:worked]
x = np.array([[0.50, 1.00]])  # one sample, 1 x 2
w = np.array([[0.15, 0.20, 0.25],
              [0.30, 0.35, 0.40]])  # 2 x 3, w[i, j] joins input i to hidden unit j
b1 = np.array([0.35, 0.35, 0.35])  # 3
u = np.array([[0.40, 0.45],
              [0.50, 0.55],
              [0.60, 0.65]])  # 3 x 2, u[j, k] joins hidden unit j to output k
b2 = np.array([0.60, 0.60])  # 2
t = np.array([[0.01, 0.99]])  # the targets, 1 x 2
ETA = 0.5  # the learning rate
# --8<-- [end:worked]

# --8<-- [start:adder]
ADDER_X: NDArray[np.float64] = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
ADDER_T: NDArray[np.float64] = np.array([[0, 0], [1, 0], [1, 0], [0, 1]], dtype=float)
# each row of ADDER_T is (sum bit, carry bit) of the same row of ADDER_X
TRAIN_ETA = 2.0
STEPS = 3000
SEED = 7
# --8<-- [end:adder]
