"""Known failures: the cases a parser is expected to fail today, each with a reason.

A maintainer adopts the suite on day one by listing what fails, then ratchets: a listed case that
starts passing fails the run (strict), so the list only ever shrinks. The file is TOML or JSON, a
flat table of case id (or shell glob) to reason, an entry naming a container after the id when the
case fails in that container only (docs/known-failures.md)::

    "keras3/keras-3.0.5/*" = "we read keras 3.1 and later"
    "invalid/keras2/cycle" = "no cycle detection yet"
    "keras3/keras-3.15.1/mha-positional [h5]" = "our .h5 reader drops kwargs"

``kerasspec check --write-known-failures FILE`` writes it from a run. Exact ids are looked up in
a dict; only entries holding a glob character are matched as globs, so a list of thousands of
ids costs next to nothing per case.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kerasspec.errors import DataFileError
from kerasspec.vocabulary import CONTAINERS

_GLOB_CHARACTERS = frozenset("*?[")
#: An entry's key: a case id or glob, and after a space the container in brackets (case ids hold no space).
_WITH_CONTAINER = re.compile(r"(?P<pattern>.+) \[(?P<container>[^\]]*)\]")


def is_glob(pattern: str) -> bool:
    """Whether a known-failures entry is a shell glob (holds ``*``, ``?`` or ``[``) rather than a case id."""
    return not _GLOB_CHARACTERS.isdisjoint(pattern)


class KnownFailuresError(DataFileError):
    """A known-failures file that cannot be read (exit 65)."""

    code = "bad-known-failures"
    default_hint = 'expected a flat table: "case id or glob" = "reason"'


def split(key: str) -> tuple[str, str | None]:
    """An entry's case id or glob, and the container it names (None: the entry holds in every container).

    ``"keras3/keras-3.15.1/mha-positional [h5]"`` is ``("keras3/keras-3.15.1/mha-positional", "h5")``.
    """
    found = _WITH_CONTAINER.fullmatch(key)
    return (found["pattern"], found["container"]) if found else (key, None)


def key(case_id: str, container: str | None = None) -> str:
    """The entry for ``case_id``, in ``container`` only when one is named (the inverse of :func:`split`)."""
    return case_id if container is None else f"{case_id} [{container}]"


@dataclass(frozen=True, slots=True)
class KnownFailures:
    """Case ids and globs, each in every container or in one, mapped to reasons, in file order.

    A result (a case handed in a container) gets the reason of its exact id in its container, else
    of its exact id, else of the first glob (in file order) that matches it and names its container or none.
    """

    entries: Mapping[str, str]
    source: str = ""
    _exact: dict[tuple[str, str | None], str] = field(init=False, repr=False, compare=False)
    _globs: tuple[tuple[str, str | None, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact: dict[tuple[str, str | None], str] = {}
        globs: list[tuple[str, str | None, str]] = []
        for entry in self.entries:
            pattern, container = split(entry)
            if is_glob(pattern):
                globs.append((pattern, container, entry))
            else:
                exact[(pattern, container)] = entry
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_globs", tuple(globs))

    def entry(self, case_id: str, container: str | None = None) -> str | None:
        """The key of the entry that lists ``case_id`` handed in ``container`` (None: no entry does)."""
        found = self._exact.get((case_id, container)) if container is not None else None
        if found is None:
            found = self._exact.get((case_id, None))
        if found is not None:
            return found
        for pattern, named, entry in self._globs:
            if (named is None or named == container) and fnmatch.fnmatchcase(case_id, pattern):
                return entry
        return None

    def reason(self, case_id: str, container: str | None = None) -> str | None:
        """The reason ``case_id`` handed in ``container`` is listed for (None: it is not listed)."""
        found = self.entry(case_id, container)
        return self.entries[found] if found is not None else None

    def unused(self, handings: Iterable[str | tuple[str, str | None]]) -> list[str]:
        """Entries that match none of ``handings`` (stale entries worth deleting), in file order.

        A handing is a case id, or a case id and the container it was handed in.
        """
        by_container: dict[str | None, set[str]] = {None: set()}
        for handing in handings:
            case_id, container = (handing, None) if isinstance(handing, str) else handing
            by_container[None].add(case_id)
            by_container.setdefault(container, set()).add(case_id)
        used = {
            entry for (pattern, container), entry in self._exact.items() if pattern in by_container.get(container, ())
        }
        for pattern, container, entry in self._globs:
            if any(fnmatch.fnmatchcase(case_id, pattern) for case_id in by_container.get(container, ())):
                used.add(entry)
        return [entry for entry in self.entries if entry not in used]

    def covers(self, entry: str, case_id: str, container: str | None = None) -> bool:
        """Whether ``entry`` applies to ``case_id`` handed in ``container``."""
        pattern, named = split(entry)
        if named is not None and named != container:
            return False
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
        container = split(pattern)[1]
        if container is not None and container not in CONTAINERS:
            raise KnownFailuresError(
                f"{pattern!r} names no container: {container!r} is none of {', '.join(CONTAINERS)}",
                path=f"{file}: {pattern}",
                value=container,
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
        "# kerasspec known failures: case id (or glob), with [container] when it fails only there, = reason.\n"
        "# Written by `kerasspec check --write-known-failures`; see docs/known-failures.md.\n"
    )
    return header + "".join(f"{_toml_string(p)} = {_toml_string(r)}\n" for p, r in entries.items())
