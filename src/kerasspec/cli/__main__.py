"""``python -m kerasspec.cli``: the ``kerasspec`` command."""

from kerasspec.cli import main

main()
