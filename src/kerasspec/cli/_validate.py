"""``kerasspec validate``: check files against their JSON Schema (:mod:`kerasspec.validate`)."""

from __future__ import annotations

import dataclasses
import gc
import sys
from pathlib import Path
from typing import Any

import click

from kerasspec._extras import MissingExtra, exit_missing
from kerasspec._limits import Limits
from kerasspec._load import load, read_stdin
from kerasspec._location import Location, render
from kerasspec._wrappers import unwrap
from kerasspec.errors import ParseError, TooDeep
from kerasspec.validate import SCHEMAS, Schema, SchemaViolation, detect_schema, iter_violations, validate
from kerasspec.vocabulary import EXIT_BAD_INPUT


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--schema",
    "schema",
    type=click.Choice([*SCHEMAS, "auto"]),
    default="auto",
    show_default=True,
    help="Schema to check against; auto picks canonical or the detected wire format.",
)
@click.option("--all", "show_all", is_flag=True, help="Print every violation, not only the most relevant.")
def validate_command(files: tuple[str, ...], schema: str, show_all: bool) -> None:
    """Check FILE (model JSON, .keras archive, .h5, or canonical document) against its JSON Schema.

    Exit 0 when every file is valid; exit 65 with one line per file on stderr,
    ``error[schema]: <message> (rule <schema $id>#<keyword>) at <json path>``, when one is not.
    """
    # As in the parser: decoding and checking allocate millions of acyclic objects, and the cyclic
    # garbage collector's passes over them would cost more than the check, finding nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        failed = _check_files(files, schema, show_all)
    finally:
        if collecting:
            gc.enable()
    if failed:
        sys.exit(EXIT_BAD_INPUT)


def _check_files(files: tuple[str, ...], schema: str, show_all: bool) -> bool:
    """Check each file, printing its lines as they are known; whether any failed."""
    failed = False
    for name in files:
        prefix = f"{name}: " if len(files) > 1 else ""
        found = 0
        try:
            # The model JSON inside a double-encoded or tfjs file is what its schema describes.
            document, location, version = unwrap(_read(name), Limits())
            kind: Schema = (
                detect_schema(document, version=version) if schema == "auto" else schema  # type: ignore[assignment]
            )
            violations = iter_violations(document, kind) if show_all else iter(_as_list(validate(document, kind)))
            # Each line as soon as it is known: a large file's first violation does not wait for the rest.
            for violation in violations:
                click.echo(prefix + _inside(violation, location).line(), err=True)
                found += 1
        except ParseError as error:
            click.echo(prefix + error.line(), err=True)
            failed = True
            continue
        except MissingExtra as error:
            exit_missing(error)
        except RecursionError:
            click.echo(prefix + TooDeep("the document nests too deeply to check", path="$").line(), err=True)
            failed = True
            continue
        if found:
            failed = True
        else:
            click.echo(f"{prefix}valid ({kind})")
    return failed


def _inside(violation: SchemaViolation, location: Location) -> SchemaViolation:
    """The violation with its path in the file, where the model JSON sat inside a wrapper."""
    if location is None:
        return violation
    return dataclasses.replace(violation, path=render(location) + violation.path[1:])


def _as_list(violation: SchemaViolation | None) -> list[SchemaViolation]:
    return [] if violation is None else [violation]


def _read(name: str) -> Any:
    limits = Limits()
    return load(read_stdin(limits) if name == "-" else Path(name), limits)
