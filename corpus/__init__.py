"""``python -m corpus``: the ``corpus`` command (``flows.cli.main``) under the package's own name."""
