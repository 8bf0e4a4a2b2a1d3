"""Known failures: the cases a parser is expected to fail today, each with a reason.

A maintainer adopts the suite on day one by listing what fails, then ratchets: a listed case that
starts passing fails the run (strict), so the list only ever shrinks. The file is TOML or JSON, a
flat table of case id (or shell glob) to reason::

    "keras3/keras-3.0.5/*" = "we read keras 3.1 and later"
    "invalid/keras2/cycle" = "no cycle detection yet (issue 12)"
"""

from __future__ import annotations

import fnmatch
import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


class KnownFailuresError(Exception):
    """A known-failures file that cannot be read (exit 65)."""

    code = "bad-known-failures"

    def __init__(self, message: str, *, path: str, value: object = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.value = value
        self.hint = hint or 'expected a flat table: "case id or glob" = "reason"'

    def __str__(self) -> str:
        return f"{self.message} at {self.path} ({self.hint})"


@dataclass(frozen=True, slots=True)
class KnownFailures:
    """Case id globs mapped to reasons, in file order (the first matching pattern gives the reason)."""

    entries: Mapping[str, str]
    source: str = ""

    def reason(self, case_id: str) -> str | None:
        for pattern, reason in self.entries.items():
            if fnmatch.fnmatchcase(case_id, pattern):
                return reason
        return None

    def unused(self, case_ids: Iterable[str]) -> list[str]:
        """Patterns that match none of ``case_ids`` (stale entries worth deleting)."""
        ids = list(case_ids)
        return [p for p in self.entries if not any(fnmatch.fnmatchcase(i, p) for i in ids)]


def load(path: str | os.PathLike[str]) -> KnownFailures:
    """Read a known-failures file (``.toml`` or ``.json``)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise KnownFailuresError(f"cannot read {file}: {error.strerror}", path=str(file)) from None
    try:
        data = json.loads(text) if file.suffix == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise KnownFailuresError(f"{file} is not valid {file.suffix[1:] or 'TOML'}: {error}", path=str(file)) from None
    if not isinstance(data, dict):
        raise KnownFailuresError("the top level must be a table", path=str(file), value=data)
    for pattern, reason in data.items():
        if not isinstance(reason, str) or not reason.strip():
            raise KnownFailuresError(
                f"the reason for {pattern!r} must be a non-empty string",
                path=f"{file}: {pattern}",
                value=reason,
            )
    return KnownFailures(dict(data), source=str(file))
