"""From what the caller hands us (text, bytes, a decoded object or a file) to decoded JSON.

This is where the size and nesting limits meet untrusted bytes, so it is careful about both
before ``json.loads`` runs: a file is never read past the size limit, and a document nested
too deeply for the decoder becomes a :class:`~kerasspec.errors.TooDeep` with its location.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kerasspec import _extras
from kerasspec.errors import NotAModel, NotJSON, TooDeep, TooLarge

Source = str | bytes | bytearray | os.PathLike[str] | Mapping[str, Any]

_H5_SUFFIXES = (".h5", ".hdf5", ".keras_h5")


def load(source: Source, *, max_bytes: int, max_depth: int) -> Any:
    """Decode ``source`` into a JSON value; text, bytes, a mapping, or a path to .json/.keras/.h5."""
    if isinstance(source, Mapping):
        return source
    if isinstance(source, os.PathLike):
        return _decode(_read_file(Path(source), max_bytes), max_bytes, max_depth)
    if isinstance(source, bytes | bytearray | str):
        return _decode(source, max_bytes, max_depth)
    raise TypeError(f"cannot parse a {type(source).__name__}; pass JSON text, bytes, a dict or a path")


def _read_file(path: Path, max_bytes: int) -> bytes | str:
    name = path.name.lower()
    try:
        if name.endswith(_H5_SUFFIXES):
            return _read_h5(path, max_bytes)
        if zipfile.is_zipfile(path):
            return _read_archive(path, max_bytes)
        size = path.stat().st_size
        if size > max_bytes:
            raise TooLarge(
                f"the input is {size} bytes, more than the limit of {max_bytes}",
                value=size,
            )
        return path.read_bytes()
    except OSError as error:
        raise NotJSON(f"cannot read {str(path)!r}: {error.strerror or error}", value=str(path)) from None


def _read_archive(path: Path, max_bytes: int) -> bytes:
    """A ``.keras`` archive: its ``config.json`` member (the weights are never touched)."""
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo("config.json")
            except KeyError:
                raise NotAModel(
                    "the archive has no config.json member",
                    value=str(path),
                    hint="a .keras archive written by Keras holds config.json, metadata.json and the weights",
                ) from None
            if info.file_size > max_bytes:
                raise TooLarge(
                    f"config.json is {info.file_size} bytes, more than the limit of {max_bytes}",
                    value=info.file_size,
                )
            with archive.open(info) as member:
                data = member.read(max_bytes + 1)  # the header's size may lie
    except zipfile.BadZipFile as error:
        raise NotJSON(f"not a readable .keras archive: {error}", value=str(path)) from None
    if len(data) > max_bytes:
        raise TooLarge(f"config.json is more than the limit of {max_bytes} bytes", value=len(data))
    return data


def _read_h5(path: Path, max_bytes: int) -> bytes | str:
    """A legacy ``.h5`` file: its root ``model_config`` attribute, read with h5py."""
    _extras.require("h5", f"reading {path.name} (an .h5 file)")
    import h5py

    try:
        with h5py.File(path, "r") as file:
            if "model_config" not in file.attrs:
                raise NotAModel(
                    "the .h5 file has no model_config attribute (a weights-only file?)",
                    value=str(path),
                    hint="legacy Keras .h5 model files keep the model JSON in the root attribute model_config",
                )
            config = file.attrs["model_config"]
    except OSError as error:
        raise NotJSON(f"not a readable .h5 file: {error}", value=str(path)) from None
    if not isinstance(config, bytes | str):
        raise NotAModel("model_config is not a string", value=repr(config)[:80])
    if len(config) > max_bytes:
        raise TooLarge(f"model_config is more than the limit of {max_bytes} bytes", value=len(config))
    return config


def _decode(text: str | bytes | bytearray, max_bytes: int, max_depth: int) -> Any:
    if len(text) > max_bytes:
        raise TooLarge(f"the input is {len(text)} bytes, more than the limit of {max_bytes}", value=len(text))
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8-sig")
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
            f"the JSON nests deeper than the decoder can hold (past the limit of {max_depth} here)",
            path=_deep_path(text, max_depth),
        ) from None


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
