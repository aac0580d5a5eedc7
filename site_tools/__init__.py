"""Code of the site, not of the package: what the MkDocs hooks (``hooks/``) draw and build.

* ``figures``: the figures, SVG text drawn by plain Python (Figure 1, the w11 paths, the loss
  curve); ``hooks/figures.py`` and ``hooks/stepper.py`` call it when the site is built.
* ``notation``: the notation table (``docs/notation.yml``): the tables of the notation page,
  the net page and the crosswalk (``hooks/notation.py``), and every formula's symbols found in
  it (``hooks/mathjax.py``), each explained where it is used.
* ``paste``: what a doctest block's copy button copies, code that pastes into a Python
  REPL (``hooks/copy_text.py`` writes it into the pages).
* ``notebooks``: a page as a Jupyter notebook (``hooks/notebooks.py``).
* ``pycon_fences``: the pages' doctest blocks as ``python -m doctest`` reads them, and the
  tool that keeps every block ending with a blank line (``python -m site_tools.pycon_fences``).

The package ``backprop_doc`` (``src/``) is what a reader installs; nothing here is in its
wheel.
"""
