"""Known failures: the cases a parser is expected to fail today, each with a reason.

A maintainer adopts the suite on day one by listing what fails, then ratchets: a listed case that
starts passing fails the run (strict), so the list only ever shrinks. The file is TOML or JSON, a
flat table of case id (or shell glob) to reason (docs/known-failures.md)::

    "keras3/keras-3.0.5/*" = "we read keras 3.1 and later"
    "invalid/keras2/cycle" = "no cycle detection yet"

``kerasspec check --write-known-failures FILE`` writes it from a run. Exact ids are looked up in
a dict; only entries holding a glob character are matched as globs, so a list of thousands of
ids costs next to nothing per case.
"""

from __future__ import annotations

import fnmatch
import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kerasspec.errors import DataFileError

_GLOB_CHARACTERS = frozenset("*?[")


def is_glob(pattern: str) -> bool:
    """Whether a known-failures entry is a shell glob (holds ``*``, ``?`` or ``[``) rather than a case id."""
    return not _GLOB_CHARACTERS.isdisjoint(pattern)


class KnownFailuresError(DataFileError):
    """A known-failures file that cannot be read (exit 65)."""

    code = "bad-known-failures"
    default_hint = 'expected a flat table: "case id or glob" = "reason"'


@dataclass(frozen=True, slots=True)
class KnownFailures:
    """Case ids and globs mapped to reasons, in file order.

    An exact id gives its own reason; otherwise the first glob (in file order) that matches does.
    """

    entries: Mapping[str, str]
    source: str = ""
    _exact: dict[str, str] = field(init=False, repr=False, compare=False)
    _globs: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact = {pattern: reason for pattern, reason in self.entries.items() if not is_glob(pattern)}
        globs = tuple((pattern, reason) for pattern, reason in self.entries.items() if is_glob(pattern))
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_globs", globs)

    def reason(self, case_id: str) -> str | None:
        found = self._exact.get(case_id)
        if found is not None:
            return found
        for pattern, reason in self._globs:
            if fnmatch.fnmatchcase(case_id, pattern):
                return reason
        return None

    def unused(self, case_ids: Iterable[str]) -> list[str]:
        """Entries that match none of ``case_ids`` (stale entries worth deleting), in file order."""
        ids = set(case_ids)
        used = {pattern for pattern in self._exact if pattern in ids}
        for pattern, _ in self._globs:
            if any(fnmatch.fnmatchcase(case_id, pattern) for case_id in ids):
                used.add(pattern)
        return [pattern for pattern in self.entries if pattern not in used]

    def covers(self, pattern: str, case_id: str) -> bool:
        """Whether the entry ``pattern`` applies to ``case_id``."""
        return fnmatch.fnmatchcase(case_id, pattern) if is_glob(pattern) else pattern == case_id


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


def _toml_string(text: str) -> str:
    # A JSON string is a TOML basic string, except that TOML forbids a raw DEL character.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def dumps(entries: Mapping[str, str], *, json_format: bool = False) -> str:
    """The text of a known-failures file holding ``entries`` (TOML unless ``json_format``)."""
    if json_format:
        return json.dumps(dict(entries), indent=1, ensure_ascii=False) + "\n"
    header = (
        "# kerasspec known failures: case id (or glob) = reason. Written by\n"
        "# `kerasspec check --write-known-failures`; see docs/known-failures.md.\n"
    )
    return header + "".join(f"{_toml_string(p)} = {_toml_string(r)}\n" for p, r in entries.items())
