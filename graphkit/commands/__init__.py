"""One module per ``graphkit`` subcommand.

Each module defines ``register(subparsers)`` (adding the parser of the command named like the
file, ``_`` written ``-``, with ``set_defaults(run=...)``) and may set ``ORDER`` (an int) to
place it in ``graphkit --help``. The CLI finds modules here by itself and imports only the one
being run, so adding a command is adding a file.
"""
