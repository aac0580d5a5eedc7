"""The benchmarks of backprop-doc: scripts that measure and print tables, never timed tests.

``python -m benchmarks.run [--quick] [--record benchmarks/results.json]`` runs them all
(``python3 dev.py bench``). The modules: :mod:`benchmarks.timing` (interleaved timeit),
:mod:`benchmarks.nets` (the nets and their sizes), :mod:`benchmarks.machine` (what the run
ran on), :mod:`benchmarks.autodiff` (the independent gradients: PyTorch, the autograd
package), :mod:`benchmarks.site_timing` and :mod:`benchmarks.run_timing` (the site's build,
its formulas and its Run buttons in headless Chromium) and :mod:`benchmarks.lighthouse`.
The tables and the figure the results make are the site's code: ``backprop_site.bench_tables``.
"""
