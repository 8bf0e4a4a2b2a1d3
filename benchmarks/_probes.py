"""What the mutation benchmark hands the reference parser besides the corpus's texts.

The corpus reaches a parser as text; users also hand it files and standard input, and the reference
parser holds every input to its :class:`~kerasspec.Limits` (spec/errors.md#limits). Three stages, each
item a tuple ``(id, kind, input, want, via, limits)`` like the corpus's own (``via`` says how the input
is handed, ``limits`` the :class:`~kerasspec.Limits` fields set, ``None`` for the defaults):

* **files**: a fixed subset of the corpus (every invalid and hand-made case and every 40th of the
  rest, by id) written as the file its container makes, as the harness hands it to a reader of
  files (``kerasspec.containers``: ``.json``, ``.keras``, ``.h5``, here from the case's text alone),
  parsed from its path;
* **standard input**: a smaller subset sent through a pipe to what ``kerasspec parse -`` reads it
  with, and a closed and an unreadable standard input (``not-json``);
* **probes**: damaged and hostile files (a truncated or damaged archive, one without
  ``config.json``, a folder, a missing path, a path that fails to read, a zip behind a prefix, an
  ``.h5`` file without its suffix) with the code spec/errors.md gives them, and every limit taken
  just at and just past its bound: the input at the limit is read as without limits, the one past it
  is ``too-large`` (``too-deep`` for the depth). The limits of ``Limits`` are set small so that the
  inputs stay small; the archive limits, which ``Limits`` does not hold, are taken at their values.

Each expectation comes from the corpus (a case's expected document or code) or from
spec/errors.md; the benchmark checks them all against the unmutated parser before any mutant runs.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kerasspec import containers
from kerasspec._limits import MAX_ARCHIVE_DIRECTORY, MAX_ARCHIVE_ENTRIES, MAX_INFLATION_RATIO, MIN_RATIO_CHECK

Item = tuple[str, str, Any, str, str, dict[str, int] | None]

#: The corpus case every limit probe is made of: a Sequential nesting a Sequential (no nodes, so
#: that a small depth limit meets the nested model's envelope before anything else).
BASE = "keras2/tf_keras-2.21.0/sequential-in-sequential"
_CHUNK = 1 << 20  # what _load reads at a time: a file one byte past it takes two reads
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def items(cases: list[Any], base: Any, folder: Path) -> Iterator[Item]:
    """Every file and stdin item for ``cases`` (corpus cases) and every probe (made of ``base``, the case
    :data:`BASE`), their files written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    yield from _hostile(folder)
    yield from _limits(base.read_input(), json.dumps(base.read_expected(), sort_keys=True), folder)
    yield from _files(cases, folder)
    yield from _stdin(cases)


def _want(case: Any) -> str:
    return str(case.error) if case.kind == "invalid" else json.dumps(case.read_expected(), sort_keys=True)


def _subset(cases: list[Any], every: int) -> list[Any]:
    ordered = sorted(cases, key=lambda case: case.id)
    return [
        case
        for number, case in enumerate(ordered)
        if case.kind == "invalid" or case.producer is None or number % every == 0
    ]


def _files(cases: list[Any], folder: Path) -> Iterator[Item]:
    for number, case in enumerate(_subset(cases, 40)):
        container = case.container or containers.TO_JSON
        try:
            # From the text alone: an .h5 file whose root keras_version names the producer's release
            # dates a model_config that the text leaves undated (spec/keras2.md#old-era), and reads
            # the `.../h5` cases that are node-index-out-of-range as text.
            data = containers.file_bytes(container, case.read_input())
        except UnicodeEncodeError:  # a lone surrogate: text the protocol can carry and a file cannot
            continue
        path = _write(folder / f"case-{number}{containers.FILE_SUFFIXES[container]}", data)
        yield f"file/{case.id}", case.kind, str(path), _want(case), "path", None


def _stdin(cases: list[Any]) -> Iterator[Item]:
    for case in _subset(cases, 400)[::4]:
        try:
            data = case.read_input().encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: text the protocol can carry and a byte stream cannot
            continue
        yield f"stdin/{case.id}", case.kind, data, _want(case), "stdin", None
    yield "stdin/closed", "invalid", b"", "not-json", "stdin-closed", None
    yield "stdin/unreadable", "invalid", b"", "not-json", "stdin-unreadable", None


def _limits(text: str, document: str, folder: Path) -> Iterator[Item]:
    """Each limit at its bound (read as without limits) and one past it."""
    data = text.encode("utf-8")
    size = len(data)
    at, past = "valid", "invalid"
    # Bytes of text: handed as text, as a file, through a FIFO, through stdin and as config.json.
    json_file = str(_write(folder / "limit-bytes.json", data))
    archive = str(_write(folder / "limit-bytes.keras", containers.keras_archive(text)))
    for name, via, source in (
        ("text", "text", text),
        ("file", "path", json_file),
        ("fifo", "fifo", data),
        ("stdin", "stdin", data),
        ("archive", "path", archive),
    ):
        yield f"limit/bytes/{name}/at", at, source, document, via, {"max_bytes": size}
        yield f"limit/bytes/{name}/past", past, source, "too-large", via, {"max_bytes": size - 1}
    # One byte past the limit where the bytes up to the limit are the whole model: a reader that
    # stops reading at the limit reads a valid model. A FIFO's first read takes _CHUNK bytes.
    for name, limit in (("small", size), ("first-read", _CHUNK)):
        whole = data + b" " * (limit - size)
        for via in ("fifo", "stdin"):
            yield f"limit/bytes/{via}/one-more-{name}", past, whole + b" ", "too-large", via, {"max_bytes": limit}
    # A model whose last byte comes after the first read: a reader that stops after one read fails it.
    long = _pad_inside(data, _CHUNK + 1)
    yield "limit/bytes/file/two-reads", at, str(_write(folder / "long.json", long)), document, "path", None
    yield "limit/bytes/fifo/two-reads", at, long, document, "fifo", None
    stored = _archive({"config.json": long}, compression=zipfile.ZIP_STORED)
    yield "limit/bytes/archive/two-reads", at, str(_write(folder / "long.keras", stored)), document, "path", None
    # An archive whose directory says config.json is larger than the limit, while it holds only the
    # model: refused on its word, before anything is inflated (spec/errors.md#order: too-large first).
    says_more = str(_write(folder / "says-more.keras", _says_more(data)))
    yield "limit/bytes/archive/says-more", past, says_more, "too-large", "path", {"max_bytes": size}
    # JSON values in the text, counted before decoding (a string with commas in it is one value):
    # arrays only, so that every value is one to count.
    for name, counted, values in (("plain", "[1,2,3]", 4), ("strings", '["a,b:c", [1, []]]', 5)):
        yield f"limit/values/{name}/at", "invalid", counted, "not-a-model", "text", {"max_values": values}
        yield f"limit/values/{name}/past", "invalid", counted, "too-large", "text", {"max_values": values - 1}
    # Layers in the whole document, nested models included.
    layers = _layers(json.loads(text))
    yield "limit/layers/at", at, text, document, "text", {"max_layers": layers}
    yield "limit/layers/past", past, text, "too-large", "text", {"max_layers": layers - 1}
    # Depth: the nested Sequential's envelope sits at depth 3 (spec/errors.md#depth).
    yield "limit/depth/at", at, text, document, "text", {"max_depth": 3}
    yield "limit/depth/past", past, text, "too-deep", "text", {"max_depth": 2}
    # Digits of an integer: Python's own bound (4300), whatever the limits.
    digits = text.replace('"units": 4,', '"units": ' + "9" * 4301 + ",", 1)
    yield "limit/digits/past", past, digits, "too-large", "text", None
    # Archive entries and bytes of central directory, at their fixed bounds.
    for name, entries, directory in (
        ("entries/at", MAX_ARCHIVE_ENTRIES, 0),
        ("entries/past", MAX_ARCHIVE_ENTRIES + 1, 0),
        ("directory/at", 0, MAX_ARCHIVE_DIRECTORY),
        ("directory/past", 0, MAX_ARCHIVE_DIRECTORY + 1),
    ):
        path = str(_write(folder / f"limit-{name.replace('/', '-')}.keras", _big_archive(data, entries, directory)))
        fits = name.endswith("/at")
        yield f"limit/archive/{name}", at if fits else past, path, document if fits else "too-large", "path", None
    # The inflation ratio of config.json, checked once past its first MiB.
    for name, member, fits in (
        ("ratio-below-first-mib", _pad_inside(data, MIN_RATIO_CHECK // 2), True),
        ("ratio-first-mib", _pad_inside(data, MIN_RATIO_CHECK), True),
        ("ratio/at", _ratio_exactly(data, MAX_INFLATION_RATIO), True),
        ("ratio/past", _pad_inside(data, 4 * MIN_RATIO_CHECK), False),
    ):
        path = str(_write(folder / f"limit-{name.replace('/', '-')}.keras", _archive({"config.json": member})))
        yield f"limit/archive/{name}", at if fits else past, path, document if fits else "too-large", "path", None
    # A container recognised by its content, whatever its name.
    prefixed = _write(folder / "prefixed.keras", b"#!/bin/sh\nexit 0\n" + containers.keras_archive(text))
    yield "container/zip-behind-a-prefix", at, str(prefixed), document, "path", None
    unnamed = _write(folder / "model-h5.bin", containers.h5_file(text))
    yield "container/h5-without-suffix", at, str(unnamed), document, "path", None


def _hostile(folder: Path) -> Iterator[Item]:
    """Files that are no model, or no readable container, with their codes (spec/errors.md#codes)."""
    model = (
        '{"class_name": "Sequential", "config": {"name": "s", "layers": []}, "keras_version": "2.21.0",'
        ' "backend": "tensorflow"}'
    )
    good = containers.keras_archive(model + " " * 2000)
    damaged = bytearray(good)
    start = damaged.find(b"config.json") + len("config.json")
    damaged[start : start + 40] = b"\xff" * 40  # the deflate stream of config.json
    (folder / "a-folder").mkdir(exist_ok=True)
    for name, data, code in (
        ("truncated.keras", good[: len(good) // 2], "not-json"),
        ("damaged.keras", bytes(damaged), "not-json"),
        ("no-config.keras", _archive({"metadata.json": b"{}", "model.weights.h5": b""}), "not-a-model"),
        ("not-a-zip.keras", b"PK\x03\x04 this is no archive", "not-json"),
        ("not-json.json", b'{"class_name": ', "not-json"),
        ("not-utf8.json", b'{"class_name": "\xff"}', "not-json"),
    ):
        yield f"hostile/{name}", "invalid", str(_write(folder / name, data)), code, "path", None
    yield "hostile/folder", "invalid", str(folder / "a-folder"), "not-json", "path", None
    yield "hostile/missing", "invalid", str(folder / "missing.json"), "not-json", "path", None
    yield "hostile/read-error", "invalid", "/proc/self/mem", "not-json", "path", None


# ---------------------------------------------------------------- building the inputs
def _write(path: Path, data: bytes) -> Path:
    if not path.exists() or hashlib.sha256(path.read_bytes()).digest() != hashlib.sha256(data).digest():
        path.write_bytes(data)
    return path


def _archive(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


def _pad_inside(data: bytes, size: int) -> bytes:
    """``data`` (a JSON object) grown to ``size`` bytes by spaces before its closing brace, which stays last."""
    end = data.rindex(b"}")
    return data[:end] + b" " * (size - len(data)) + data[end:]


def _ratio_exactly(data: bytes, ratio: int) -> bytes:
    """``data`` padded past the first MiB so that it deflates to exactly ``1/ratio`` of its size.

    Spaces deflate about 1000 times and random hexadecimal digits about twice; the padding holds both,
    in a string member of the model's config, and the number of spaces is searched.
    """
    rng = random.Random(0)
    end = data.rindex(b"}")
    for digits in range(10_000, 12_000, 7):
        noise = "".join(rng.choice("0123456789abcdef") for _ in range(digits)).encode()
        head = data[:end] + b', "padding": "' + noise + b'"'
        size = MIN_RATIO_CHECK + 1
        for _ in range(20):
            member = head + b" " * (size - len(head) - len(data) + end) + data[end:]
            compressed = _deflated_size(member)
            if len(member) == ratio * compressed:
                return member
            size = max(MIN_RATIO_CHECK + 1, ratio * compressed)
    raise AssertionError("no padding deflates to exactly the ratio")


def _deflated_size(member: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(_archive({"config.json": member}))) as archive:
        return archive.getinfo("config.json").compress_size


def _says_more(data: bytes) -> bytes:
    """An archive whose directory gives config.json one byte more than the limit probe allows."""
    archive = bytearray(_archive({"config.json": data}, compression=zipfile.ZIP_STORED))
    central = archive.rfind(b"PK\x01\x02")
    size = len(data) + 1
    archive[central + 24 : central + 28] = size.to_bytes(4, "little")  # uncompressed size
    return bytes(archive)


def _big_archive(data: bytes, entries: int, directory: int) -> bytes:
    """An archive holding ``data`` as config.json and, besides it, either ``entries`` entries in all or a
    central directory of exactly ``directory`` bytes (comments fill it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("config.json", date_time=_ZIP_TIME), data)
        if entries:
            for number in range(entries - 1):
                archive.writestr(zipfile.ZipInfo(f"d/{number}/", date_time=_ZIP_TIME), b"")
        else:
            remaining = directory - (46 + len("config.json"))  # a central directory entry: 46 bytes, name, comment
            number = 0
            while remaining > 0:
                name = f"c/{number}"
                room = remaining - 46 - len(name)
                # Fill exactly on the last entry; before it, leave room for one more whole entry.
                comment = room if room <= 65_535 else min(65_535, room - 200)
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.comment = b"c" * comment
                archive.writestr(info, b"")
                remaining -= 46 + len(name) + comment
                number += 1
    return buffer.getvalue()


def _layers(value: Any) -> int:
    """Layer objects in every ``layers`` list of the document, nested models included."""
    if isinstance(value, dict):
        return sum(_layers(item) for item in value.values()) + sum(
            len(value["layers"]) for _ in [0] if isinstance(value.get("layers"), list)
        )
    if isinstance(value, list):
        return sum(_layers(item) for item in value)
    return 0


def _values(value: Any) -> int:
    """JSON values in a decoded document: objects, arrays, strings, numbers and literals."""
    if isinstance(value, dict):
        return 1 + sum(_values(item) for item in value.values()) + len(value)  # keys are strings
    if isinstance(value, list):
        return 1 + sum(_values(item) for item in value)
    return 1
