"""One module per command: each ``kerasspec`` command is defined in ``kerasspec.cli._<command>``, which
owns its arguments and exits; the work it asks for lives in the package's other modules."""

from __future__ import annotations

import click
import pytest

from kerasspec.cli import main

CONTEXT = click.Context(main)


@pytest.mark.parametrize("name", main.list_commands(CONTEXT))
def test_each_command_is_a_module_of_kerasspec_cli(name: str) -> None:
    command = main.get_command(CONTEXT, name)
    assert command is not None and command.callback is not None
    assert command.callback.__module__ == f"kerasspec.cli._{name}"
