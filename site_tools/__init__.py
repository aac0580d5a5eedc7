"""Code of the site, not of the package: what the MkDocs hooks (``hooks/``) draw and build.

* ``figures``: the figures, SVG text drawn by plain Python (Figure 1, the w11 paths, the loss
  curve); ``hooks/figures.py`` and ``hooks/stepper.py`` call it when the site is built.
* ``notation``: the notation table (``docs/notation.yml``): the tables of the notation page,
  the net page and the crosswalk (``hooks/notation.py``), and every formula's symbols found in
  it (``hooks/mathjax.py``), each explained where it is used.

The package ``backprop_doc`` (``src/``) is what a reader installs; nothing here is in its
wheel.
"""
