"""The benchmarks of backprop-doc: scripts that measure and print tables, never timed tests.

``python -m benchmarks.run`` (``python3 dev.py bench``) runs them; the tables and the figure
are the site's code (``backprop_site.bench_tables``, ``backprop_site.plots``).
"""
