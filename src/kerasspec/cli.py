"""The ``kerasspec`` command line (exit codes are part of the contract).

Bad input never produces a traceback: exit 65 and one line ``error[<code>]: <message> at <path>``.
A missing optional extra is exit 2 and one line naming the extra to install.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, NoReturn, TypeVar

import click

from kerasspec import _versions
from kerasspec import explain as _explain
from kerasspec._extras import MissingExtra, exit_missing
from kerasspec._load import read_stdin
from kerasspec._text import printable
from kerasspec.canonical import Document
from kerasspec.errors import ParseError
from kerasspec.parser import Limits, parse

EXIT_BAD_INPUT = 65  # sysexits.h EX_DATAERR


def _fail(error: ParseError) -> NoReturn:
    click.echo(error.line(), err=True)
    sys.exit(EXIT_BAD_INPUT)


def _read(file: str, limits: Limits, format_: str | None = None) -> Document:
    try:
        if file == "-":
            return parse(read_stdin(limits), format=format_, limits=limits)  # type: ignore[arg-type]
        path = Path(file)
        if not path.exists() or path.is_dir():  # a FIFO or a device is read like a file, within the limit
            raise click.BadParameter(f"no such file: {file}", param_hint="FILE")
        return parse(path, format=format_, limits=limits)  # type: ignore[arg-type]
    except ParseError as error:
        _fail(error)
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


class _LazyGroup(click.Group):
    """Commands whose modules are imported when they run, so that ``kerasspec parse`` (run once per
    file by per-case harnesses) does not pay for the schemas and the harness."""

    lazy: ClassVar[dict[str, tuple[str, str]]] = {
        "validate": ("kerasspec.validate", "validate_command"),
        "check": ("kerasspec.harness._cli", "check_command"),
        "site": ("kerasspec.site._cli", "site_command"),
        "show": ("kerasspec.harness._show", "show_command"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            module, attribute = self.lazy[name]
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, name)


def _print_versions(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"kerasspec {_versions.package()}")
    click.echo(f"spec {_versions.spec()}")
    click.echo(f"corpus {_versions.corpus()}")
    click.echo(f"protocol {_versions.protocol()}")
    ctx.exit()


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_versions,
    help="Show the package, spec, corpus and protocol versions and exit.",
)
def main() -> None:
    """kerasspec: the specification and conformance suite for Keras model JSON."""


@main.command("parse")
@click.argument("file")
@click.option("--format", "format_", type=click.Choice(["keras2", "keras3"]), default=None, help="Skip detection.")
@with_limits
def parse_command(file: str, format_: str | None, **limits: int) -> None:
    """Print the canonical document of FILE (a model JSON, .keras archive or .h5 file; - for stdin)."""
    document = _read(file, Limits(**limits), format_)
    # Straight to stdout: the text is ASCII (escaped as json.dumps does), so click.echo's scan for
    # terminal escapes over a document of tens of megabytes would only cost time.
    document.dump(sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()


@main.command("explain")
@click.argument("file")
@click.option("--dot", "as_dot", is_flag=True, help="Emit a Graphviz graph instead of text.")
@with_limits
def explain_command(file: str, as_dot: bool, **limits: int) -> None:
    """Show the wiring of FILE: each call with the tensor that feeds each argument."""
    document = _read(file, Limits(**limits))
    # Names come from the file: escaped, so that none can drive the terminal or fail to encode.
    if as_dot:
        for line in _explain.dot(document).splitlines():
            click.echo(printable(line, limit=None))
    else:
        for line in _explain.lines(document):
            click.echo(printable(line, limit=None))


# `kerasspec validate` lives with the schema logic it fronts (kerasspec.validate).


if __name__ == "__main__":  # pragma: no cover
    main()
