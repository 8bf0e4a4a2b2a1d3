"""``kerasspec explain``: the wiring of a model file, as text or as a Graphviz graph."""

from __future__ import annotations

import click

from kerasspec import explain as _explain
from kerasspec._text import printable
from kerasspec.cli._common import read, with_limits
from kerasspec.parser import Limits


@click.command("explain")
@click.argument("file")
@click.option("--dot", "as_dot", is_flag=True, help="Emit a Graphviz graph instead of text.")
@with_limits
def explain_command(file: str, as_dot: bool, **limits: int) -> None:
    """Show the wiring of FILE: each call with the tensor that feeds each argument."""
    document = read(file, Limits(**limits))
    # Names come from the file: escaped, so that none can drive the terminal or fail to encode.
    if as_dot:
        for line in _explain.dot(document).splitlines():
            click.echo(printable(line, limit=None))
    else:
        for line in _explain.lines(document):
            click.echo(printable(line, limit=None))
