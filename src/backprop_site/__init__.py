"""The site's code: everything that builds the site around the package ``backprop_doc``.

Installed with the project (``python3 dev.py`` installs it editable) and never in the wheel
that the site publishes, which holds ``backprop_doc`` only. ``hooks`` is the one MkDocs
hooks file; README.md's "Layout" says which module does what.
"""
