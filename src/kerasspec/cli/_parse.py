"""``kerasspec parse``: the canonical document of a model file."""

from __future__ import annotations

import sys

import click

from kerasspec.cli._common import read, with_limits
from kerasspec.parser import Limits


@click.command("parse")
@click.argument("file")
@click.option("--format", "format_", type=click.Choice(["keras2", "keras3"]), default=None, help="Skip detection.")
@with_limits
def parse_command(file: str, format_: str | None, **limits: int) -> None:
    """Print the canonical document of FILE (a model JSON, .keras archive or .h5 file; - for stdin)."""
    document = read(file, Limits(**limits), format_)
    # Straight to stdout: the text is ASCII (escaped as json.dumps does), so click.echo's scan for
    # terminal escapes over a document of tens of megabytes would only cost time.
    document.dump(sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
