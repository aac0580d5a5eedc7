"""The benchmarks of backprop-doc: scripts that measure and print tables, never timed tests.

``python benchmarks/run.py [--quick] [--record benchmarks/results.json]`` runs them all.
The modules: :mod:`benchmarks.timing` (interleaved timeit), :mod:`benchmarks.nets` (the
nets and their sizes), :mod:`benchmarks.machine` (what the run ran on),
:mod:`benchmarks.autodiff` (the independent gradients: PyTorch, the autograd package),
:mod:`benchmarks.site_timing` (the site's build and its formulas in headless Chromium),
:mod:`benchmarks.tables` (results as text or Markdown tables) and :mod:`benchmarks.plot`
(the cost figure as SVG). ``tables`` and ``plot`` import nothing but the standard library,
so the MkDocs hook can load them by path.
"""
