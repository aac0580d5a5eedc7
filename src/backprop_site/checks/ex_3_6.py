"""Exercise 3.6, Why the check uses central differences: the orders of the two errors."""

from __future__ import annotations

from backprop_site.checks.common import (
    Feedback,
    Namespace,
    Slip,
    Wrong,
    parts,
    value,
    verdict,
)

ID = "3.6"
PAGE = "derivation/formulas.md"
NAMES = ("orders",)
STARTER = '''\
orders = (..., ...)  # p and q: the errors shrink like eps ** p (forward) and eps ** q (central)
'''
SLIPS = (
    Slip("odd-term",
         "The eps ** 3 term is the first that survives in the central difference's "
         "numerator, but dividing by 2 eps takes one power off.",
         "orders = (1, 3)\n"),
    Slip("ratios",
         "Those are how much the errors shrink when eps is halved: 2 = 2 ** 1 and "
         "4 = 2 ** 2. The orders are the powers.",
         "orders = (2.0, 4.0)\n"),
    Slip("swapped",
         "The central difference is the better one: its error shrinks faster, with the "
         "higher power of eps.",
         "orders = (2, 1)\n"),
    Slip("before-dividing",
         "Those are the first terms left in the numerators, f''(a) eps ** 2 / 2 and "
         "f'''(a) eps ** 3 / 6. The error is what is left after dividing by eps and 2 eps.",
         "orders = (2, 3)\n"),
)
WANT = (1, 2)


def check(namespace: Namespace) -> Feedback:
    """Whether ``orders`` is (1, 2)."""
    return verdict(ID, SLIPS, _check, namespace)


def _check(namespace: Namespace) -> str:
    got = value(namespace, "orders", "the pair (p, q)")
    items = parts(got, ("p", "q"), "`orders`")
    said = []
    for name, item in zip(("p", "q"), items, strict=True):
        if item is Ellipsis:
            raise Wrong("missing", f"`{name}` in `orders` is still `...`.")
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            raise Wrong("type", f"`{name}` in `orders` should be a number, a power of eps; "
                                f"got {item!r}.")
        said.append(float(item))
    if tuple(said) == WANT:
        return ("the forward difference's error shrinks like eps, the central one's like "
                "eps ** 2.")
    slips = {"odd-term": (1, 3), "ratios": (2, 4), "swapped": (2, 1), "before-dividing": (2, 3)}
    found = next((name for name, cand in slips.items() if tuple(said) == cand), None)
    details = [f"The {which} difference's error does not shrink like eps ** {got_:g}." for
               which, got_, want in zip(("forward", "central"), said, WANT, strict=True)
               if got_ != want]
    raise Wrong("wrong", "Not yet: at least one of the orders is off.", details, slip=found)
