"""One module per ``graphkit`` subcommand.

Each module defines ``register(subparsers)`` (adding its parser with ``set_defaults(run=...)``)
and may set ``ORDER`` (an int) to place it in ``graphkit --help``. The CLI finds modules here
by itself, so adding a command is adding a file.
"""
