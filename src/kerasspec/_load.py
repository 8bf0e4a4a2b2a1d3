"""From what the caller hands us (text, bytes, a decoded object, a file or stdin) to decoded JSON.

This is where the limits meet untrusted bytes, so it trusts nothing a file says about itself:
every read stops one byte past ``max_bytes`` whatever the file claims (a FIFO or a device has no
size), an archive member is inflated at most that far and no further than its compression ratio
allows, an archive with a huge central directory is refused before it is read, and the text is
refused before decoding when it holds more JSON values than ``max_values`` (the decoded document
costs 20 to 30 times the text). Anything the container libraries raise on a damaged file becomes a
:class:`~kerasspec.errors.ParseError`; a document nested too deeply for the decoder becomes a
:class:`~kerasspec.errors.TooDeep` with its location.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from kerasspec import _h5
from kerasspec._limits import (
    MAX_ARCHIVE_DIRECTORY,
    MAX_ARCHIVE_ENTRIES,
    MAX_INFLATION_RATIO,
    MIN_RATIO_CHECK,
    Limits,
)
from kerasspec._text import reason
from kerasspec.errors import NotAModel, NotJSON, ParseError, TooDeep, TooLarge

Source = str | bytes | bytearray | os.PathLike[str] | Mapping[str, Any]

_H5_SUFFIXES = (".h5", ".hdf5", ".keras_h5")
_H5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_CHUNK = 1 << 20
_STRING_BYTES = re.compile(rb'"(?:[^"\\]++|\\.)*+"')
_STRING_TEXT = re.compile(r'"(?:[^"\\]++|\\.)*+"')
_LONG_INTEGER = re.compile(r"-?\d{4000,}")


def load(source: Source, limits: Limits) -> Any:
    """Decode ``source`` into a JSON value; text, bytes, a mapping, or a path to .json/.keras/.h5."""
    return load_dated(source, limits)[0]


def load_dated(source: Source, limits: Limits) -> tuple[Any, str | None]:
    """:func:`load`, and the ``keras_version`` the container holds beside the model JSON (an ``.h5``
    file's root attribute; ``None`` for anything else)."""
    if isinstance(source, Mapping):
        return source, None
    if isinstance(source, os.PathLike):
        data, version = _read_file(Path(source), limits)
        return _decode(data, limits), version
    if isinstance(source, bytes | bytearray | str):
        return _decode(source, limits), None
    raise TypeError(f"cannot parse a {type(source).__name__}; pass JSON text, bytes, a dict or a path")


def read_stdin(limits: Limits) -> bytes:
    """Standard input, read one byte past the limit at most (enough to report too-large)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise NotJSON("cannot read standard input: it is closed", value="-")
    try:
        data: bytes = stream.read(limits.max_bytes + 1)
    except (OSError, ValueError) as error:
        raise NotJSON(f"cannot read standard input: {reason(error)}", value="-") from None
    return data


def _read_file(path: Path, limits: Limits) -> tuple[bytes | str, str | None]:
    try:
        # A FIFO waits here for its writer, as `cat` would; whatever the writer sends is read within the limit.
        # A directory is refused here too (IsADirectoryError).
        file = open(path, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as error:
        raise NotJSON(f"cannot read {str(path)!r}: {reason(error)}", value=str(path)) from None
    with file:
        try:
            status = os.fstat(file.fileno())
            if stat.S_ISREG(status.st_mode):
                return _read_container(file, path, limits, size=status.st_size)
            # A FIFO, a device, a socket: no size to trust and no seeking; what is read is all there is.
            data = _read_bounded(file, limits.max_bytes)
            if len(data) > limits.max_bytes:
                raise TooLarge(f"the input is more than the limit of {limits.max_bytes} bytes", value=len(data))
            return _read_container(io.BytesIO(data), path, limits, size=len(data))
        except OSError as error:
            raise NotJSON(f"cannot read {str(path)!r}: {reason(error)}", value=str(path)) from None


def _read_bounded(file: IO[bytes], limit: int) -> bytes:
    """At most ``limit + 1`` bytes from ``file``, in chunks (no buffer of the full limit up front)."""
    chunks = bytearray()
    while len(chunks) <= limit:
        chunk = file.read(min(_CHUNK, limit + 1 - len(chunks)))
        if not chunk:
            break
        chunks += chunk
    return bytes(chunks)


def _read_container(file: IO[bytes], path: Path, limits: Limits, *, size: int) -> tuple[bytes | str, str | None]:
    head = file.read(len(_H5_SIGNATURE))
    file.seek(0)
    if path.name.lower().endswith(_H5_SUFFIXES) or head == _H5_SIGNATURE:
        return _h5.model_config(file, path, limits)
    if head.startswith(b"PK") or zipfile.is_zipfile(file):
        file.seek(0)
        return _read_archive(file, path, limits), None
    file.seek(0)
    if size > limits.max_bytes:
        raise TooLarge(f"the input is {size} bytes, more than the limit of {limits.max_bytes}", value=size)
    data = _read_bounded(file, limits.max_bytes)  # the file may have grown since it was measured
    if len(data) > limits.max_bytes:
        raise TooLarge(f"the input is more than the limit of {limits.max_bytes} bytes", value=len(data))
    return data, None


def _read_archive(file: IO[bytes], path: Path, limits: Limits) -> bytes:
    """A ``.keras`` archive: its ``config.json`` member (the weights are never touched)."""
    try:
        _check_directory(file)
        with zipfile.ZipFile(file) as archive:
            try:
                info = archive.getinfo("config.json")
            except KeyError:
                raise NotAModel(
                    "the archive has no config.json member",
                    value=str(path),
                    hint="a .keras archive written by Keras holds config.json, metadata.json and the weights",
                ) from None
            if info.file_size > limits.max_bytes:
                raise TooLarge(
                    f"config.json is {info.file_size} bytes, more than the limit of {limits.max_bytes}",
                    value=info.file_size,
                )
            with archive.open(info) as member:
                return _inflate(member, info.compress_size, limits.max_bytes)
    except ParseError:
        raise
    except Exception as error:
        # zipfile, zlib, bz2 and lzma raise a dozen kinds of exception on a damaged, encrypted or
        # exotic archive (BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, ...).
        raise NotJSON(f"not a readable .keras archive: {reason(error)}", value=str(path)) from None


def _check_directory(file: IO[bytes]) -> None:
    """Refuse an archive whose central directory is too large to read, before zipfile reads it."""
    record = zipfile._EndRecData(file)  # type: ignore[attr-defined]  # zipfile's own (zip64-aware) reader
    if record is None:
        raise zipfile.BadZipFile("no end of central directory record")
    entries, directory_size = record[zipfile._ECD_ENTRIES_TOTAL], record[zipfile._ECD_SIZE]  # type: ignore[attr-defined]
    if entries > MAX_ARCHIVE_ENTRIES or directory_size > MAX_ARCHIVE_DIRECTORY:
        raise TooLarge(
            f"the archive lists {entries} entries in {directory_size} bytes of directory, more than the limit "
            f"of {MAX_ARCHIVE_ENTRIES} entries",
            value=entries,
            hint="a .keras archive written by Keras has a handful of entries",
        )


def _inflate(member: IO[bytes], compressed: int, max_bytes: int) -> bytes:
    """The member's bytes, stopping past ``max_bytes`` or past the inflation ratio (a zip bomb)."""
    data = bytearray()
    while True:
        chunk = member.read(_CHUNK)
        if not chunk:
            return bytes(data)
        data += chunk
        if len(data) > max_bytes:
            raise TooLarge(f"config.json is more than the limit of {max_bytes} bytes", value=len(data))
        if len(data) > MIN_RATIO_CHECK and len(data) > MAX_INFLATION_RATIO * max(compressed, 1):
            raise TooLarge(
                f"config.json inflates to more than {MAX_INFLATION_RATIO} times its {compressed} compressed bytes",
                value=len(data),
                hint="a Keras config compresses far less; this looks like a zip bomb",
            )


def _cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_values(text: str | bytes | bytearray, limit: int) -> None:
    """Refuse text with more than ``limit`` JSON values, before decoding builds them.

    Every value but the first follows ``[``, ``,`` or ``:``; counting those characters bounds the
    count from above at C speed. Only when that bound is over the limit are strings (whose commas
    do not count) taken out for the exact count.
    """
    if isinstance(text, str):
        counted: str | bytes | bytearray = text
        marks: tuple[Any, ...] = (",", ":", "[", "[]")
    else:
        counted = text
        marks = (b",", b":", b"[", b"[]")
    comma, colon, bracket, empty = marks
    bound = 1 + counted.count(comma) + counted.count(colon) + counted.count(bracket)
    if bound <= limit:
        return
    counted = _STRING_TEXT.sub('""', text) if isinstance(text, str) else _STRING_BYTES.sub(b'""', bytes(text))
    values = 1 + counted.count(comma) + counted.count(colon) + counted.count(bracket) - counted.count(empty)
    if values > limit:
        raise TooLarge(
            f"the input holds about {values} JSON values, more than the limit of {limit}",
            value=values,
            hint="raise Limits.max_values if a document this large is intended",
        )


def _decode(text: str | bytes | bytearray, limits: Limits) -> Any:
    max_bytes = limits.max_bytes
    if len(text) > max_bytes:
        raise TooLarge(f"the input is {len(text)} bytes, more than the limit of {max_bytes}", value=len(text))
    check_values(text, limits.max_values)
    if isinstance(text, bytes | bytearray):
        try:
            # A byte-order mark is kept, and rejected by the decoder as JSON forbids (spec/errors.md#not-json).
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as error:
            raise NotJSON(f"not UTF-8: {error.reason} at byte {error.start}", value=None) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise NotJSON(
            f"not JSON: {error.msg} (line {error.lineno}, column {error.colno})",
            value=text[max(0, error.pos - 20) : error.pos + 20],
        ) from None
    except RecursionError:
        # The decoder ran out of stack: the text nests deeper than any limit we accept.
        raise TooDeep(
            f"the JSON nests deeper than the decoder can hold (past the limit of {limits.max_depth} here)",
            path=_deep_path(text, limits.max_depth),
        ) from None
    except ValueError as error:
        # Python refuses integers of more than sys.get_int_max_str_digits() digits (4300 by default).
        found = _LONG_INTEGER.search(text)
        digits = len(found.group().lstrip("-")) if found else 0
        raise TooLarge(
            f"an integer of {digits or 'too many'} digits, more than this reader holds "
            f"({sys.get_int_max_str_digits()}){f' at character {found.start()}' if found else ''}",
            value=_cut(found.group() if found else str(error), 40),
            hint="no Keras model writes integers this long",
        ) from None


def glance(text: str) -> Any:
    """``text`` decoded for a look at what it holds, or ``None``: for text known to come from the corpus or
    a container being built, where text that is no JSON, or nests past the decoder (the corpus has such
    invalid cases), simply holds nothing to look at. Readers of input use :func:`load`."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _deep_path(text: str, max_depth: int) -> str:
    """The JSON path where ``text`` first nests deeper than ``max_depth`` (only called on failure)."""
    from kerasspec.canonical import path_join

    # One frame per open container: [is_array, index, current key].
    frames: list[list[Any]] = []
    in_string = escaped = False
    token_start = 0
    last_string = ""
    for position, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                last_string = text[token_start + 1 : position]
            continue
        if char == '"':
            in_string, token_start = True, position
        elif char in "[{":
            if len(frames) >= max_depth:
                break
            frames.append([char == "[", 0, ""])
        elif char in "]}":
            if frames:
                frames.pop()
        elif char == ":" and frames:
            frames[-1][2] = last_string
        elif char == "," and frames:
            frames[-1][1] += 1
    # Each open container contributes the position being read inside it: together they locate
    # the container that went one level too deep.
    rendered = "$"
    for is_array, index, key in frames:
        rendered = path_join(rendered, index) if is_array else path_join(rendered, key)
    return rendered
