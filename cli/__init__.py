"""The ``run.py`` command line: one module per command, each with ``register(subparsers)``."""
