"""What the commands share: the ``--max-*`` options, reading a model file, failing on bad input."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from kerasspec._extras import MissingExtra, exit_missing
from kerasspec._load import read_stdin
from kerasspec.canonical import Document
from kerasspec.errors import DataFileError, ParseError
from kerasspec.parser import Limits, parse
from kerasspec.vocabulary import EXIT_BAD_INPUT


def fail(error: ParseError) -> NoReturn:
    """Print the error's one line and exit 65."""
    click.echo(error.line(), err=True)
    sys.exit(EXIT_BAD_INPUT)


def fail_data_file(error: DataFileError) -> NoReturn:
    """Print the one line of a corpus, known-failures or results file that cannot be trusted and exit 65."""
    click.echo(error.line(), err=True)
    sys.exit(EXIT_BAD_INPUT)


def read(file: str, limits: Limits, format_: str | None = None) -> Document:
    """The canonical document of ``file`` (``-`` for stdin); bad input exits through :func:`fail`."""
    try:
        if file == "-":
            return parse(read_stdin(limits), format=format_, limits=limits)  # type: ignore[arg-type]
        path = Path(file)
        if not path.exists() or path.is_dir():  # a FIFO or a device is read like a file, within the limit
            raise click.BadParameter(f"no such file: {file}", param_hint="FILE")
        return parse(path, format=format_, limits=limits)  # type: ignore[arg-type]
    except ParseError as error:
        fail(error)
    except MissingExtra as error:
        exit_missing(error)


limit_options = [
    click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=Limits.max_bytes,
        show_default=True,
        help="Largest input accepted.",
    ),
    click.option(
        "--max-depth",
        type=click.IntRange(min=1),
        default=Limits.max_depth,
        show_default=True,
        help="Deepest nesting accepted.",
    ),
    click.option(
        "--max-layers",
        type=click.IntRange(min=1),
        default=Limits.max_layers,
        show_default=True,
        help="Most layers accepted.",
    ),
    click.option(
        "--max-values",
        type=click.IntRange(min=1),
        default=Limits.max_values,
        show_default=True,
        help="Most JSON values accepted (bounds the memory of the decoded text).",
    ),
]


F = TypeVar("F", bound=Callable[..., Any])


def with_limits(function: F) -> F:
    """Add the --max-* options that build a :class:`Limits`."""
    for option in reversed(limit_options):
        function = option(function)
    return function
