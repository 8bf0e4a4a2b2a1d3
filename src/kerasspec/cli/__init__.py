"""The ``kerasspec`` command line (exit codes are part of the contract).

One module per command: ``parse`` (:mod:`kerasspec.cli._parse`), ``explain``
(:mod:`kerasspec.cli._explain`), ``validate`` (:mod:`kerasspec.cli._validate`), ``check``
(:mod:`kerasspec.cli._check`), ``show`` (:mod:`kerasspec.cli._show`) and ``site``
(:mod:`kerasspec.cli._site`); the options and exits they share live in :mod:`kerasspec.cli._common`.
Bad input never produces a traceback: exit 65 and one line ``error[<code>]: <message> at <path>``.
A missing optional extra is exit 2 and one line naming the extra to install.
"""

from __future__ import annotations

import importlib
from typing import ClassVar

import click

from kerasspec import _versions

__all__ = ["main"]


class _LazyGroup(click.Group):
    """Commands whose modules are imported when they run, so that ``kerasspec parse`` (run once per
    file by per-case harnesses) does not pay for the schemas and the harness."""

    lazy: ClassVar[dict[str, tuple[str, str]]] = {
        "parse": ("kerasspec.cli._parse", "parse_command"),
        "explain": ("kerasspec.cli._explain", "explain_command"),
        "validate": ("kerasspec.cli._validate", "validate_command"),
        "check": ("kerasspec.cli._check", "check_command"),
        "site": ("kerasspec.cli._site", "site_command"),
        "show": ("kerasspec.cli._show", "show_command"),
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
