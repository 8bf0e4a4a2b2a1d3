"""Hostile input to the reader (issue 15): every read bounded, every bad input a ParseError with its code.

Each test builds one of the inputs an attacker would try (a FIFO, a device, a zip bomb, an archive
of many entries, a damaged archive, an integer of 4301 digits, a key that forges an error line, ...)
and asserts the rejection, through the Python API and, where the command line adds something
(stdin, the one error line), through ``kerasspec``. The full-size inputs, with time and peak
memory, are in benchmarks/hostile.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest

from kerasspec import Limits, ParseError, parse
from kerasspec._limits import MAX_ARCHIVE_ENTRIES

SMALL = (
    '{"class_name": "Functional", "config": {"name": "m", "layers": [{"class_name": "InputLayer", "name": "x",'
    ' "config": {"name": "x", "batch_input_shape": [null, 4]}, "inbound_nodes": []}], "input_layers":'
    ' [["x", 0, 0]], "output_layers": [["x", 0, 0]]}, "keras_version": "2.15.0"}'
)
DIGITS = SMALL.replace("[null, 4]", "[null, " + "9" * 4301 + "]")


def keras3_kwarg(key: str, layer: str) -> str:
    """A keras3 model whose one node has the keyword argument ``key``: a tensor of the missing ``layer``."""
    tensor = f'{{"class_name": "__keras_tensor__", "config": {{"keras_history": ["{layer}", 0, 0]}}}}'
    return (
        '{"class_name": "Functional", "config": {"name": "m", "layers": [{"class_name": "Dense", "name": "d", '
        f'"config": {{"name": "d"}}, "inbound_nodes": [{{"args": [], "kwargs": {{"{key}": {tensor}}}}}]}}], '
        '"input_layers": [], "output_layers": []}, "keras_version": "3.15.1"}'
    )


def archive(path: Path, config: bytes | str, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as file:
        file.writestr("metadata.json", '{"keras_version": "3.15.1"}')
        file.writestr("config.json", config)
    return path


def rejected(source: object, limits: Limits | None = None) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse(source, limits=limits)  # type: ignore[arg-type]
    return caught.value


def cli(*args: str, stdin: int | None = subprocess.DEVNULL, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kerasspec.cli", *args],
        stdin=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        timeout=timeout,
        check=False,
    )


def one_error_line(done: subprocess.CompletedProcess[str], code: str) -> str:
    """The single stderr line of a rejection with ``code`` (exit 65)."""
    assert done.returncode == 65, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr[:2000]
    assert lines[0].startswith(f"error[{code}]: "), lines[0][:500]
    return lines[0]


# --- reads bounded whatever the file claims ---------------------------------------------------


def test_fifo_with_an_endless_writer_stops_at_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)

    def feed() -> None:
        try:
            with open(fifo, "wb") as out:
                while True:
                    out.write(b" " * 65536)
        except OSError:  # the reader closed the FIFO: done
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    error = rejected(fifo, Limits(max_bytes=100_000))
    assert error.line() == "error[too-large]: the input is more than the limit of 100000 bytes at $"
    writer.join(10)
    assert not writer.is_alive()


def test_device_without_size_stops_at_the_limit() -> None:
    error = rejected(Path("/dev/zero"), Limits(max_bytes=1 << 20))
    assert error.code == "too-large"


def test_cli_reads_a_device_within_the_limit() -> None:
    one_error_line(cli("parse", "--max-bytes", "1000", "/dev/zero"), "too-large")


def test_validate_of_an_endless_stdin_stops_at_the_limit() -> None:
    with open("/dev/zero", "rb") as zeros:
        done = cli("validate", "-", stdin=zeros.fileno())
    line = one_error_line(done, "too-large")
    limit = Limits.max_bytes
    assert line == f"error[too-large]: the input is {limit + 1} bytes, more than the limit of {limit} at $"


@pytest.mark.parametrize("command", ["parse", "validate", "explain"])
def test_closed_stdin_is_not_json(command: str) -> None:
    done = subprocess.run(
        ["sh", "-c", f'exec "$0" -m kerasspec.cli {command} - <&-', sys.executable],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert one_error_line(done, "not-json") == "error[not-json]: cannot read standard input: it is closed at $"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("folder", "Is a directory"),
        ("missing.json", "No such file or directory"),
        ("/proc/self/mem", "Input/output error"),
    ],
    ids=["directory", "missing", "read-error"],
)
def test_path_that_cannot_be_read_is_not_json(name: str, reason: str, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    path = tmp_path / name  # an absolute name replaces tmp_path
    error = rejected(path)
    assert (error.code, error.message) == ("not-json", f"cannot read {str(path)!r}: {reason}")


# --- the decoded document bounded -------------------------------------------------------------


def test_too_many_values_are_refused_before_decoding() -> None:
    text = "[" + "[]," * 2000 + "[]]"
    error = rejected(text, Limits(max_values=1000))
    assert error.line() == "error[too-large]: the input holds about 2002 JSON values, more than the limit of 1000 at $"


def test_commas_and_colons_inside_strings_are_not_values() -> None:
    # 1000 commas and colons inside one layer name: the cheap bound is over the limit, the exact count is not.
    text = SMALL.replace('"name": "m"', '"name": "' + ",:" * 1000 + '"')
    document = parse(text, limits=Limits(max_values=40))
    assert document.model.name == ",:" * 1000


def test_bytes_are_counted_like_text() -> None:
    error = rejected(("[" + "0," * 50 + "0]").encode(), Limits(max_values=50))
    assert error.code == "too-large"


@pytest.mark.parametrize("container", ["json", "keras", "h5", "stdin"])
def test_integer_of_4301_digits_is_too_large(container: str, tmp_path: Path) -> None:
    expected = (
        "error[too-large]: an integer of 4301 digits, more than this reader holds (4300) "
        f"at character {DIGITS.index('9999')} at $"
    )
    if container == "stdin":
        source = tmp_path / "model.json"
        source.write_text(DIGITS)
        with source.open("rb") as stdin:
            assert one_error_line(cli("parse", "-", stdin=stdin.fileno()), "too-large") == expected
        return
    path = tmp_path / f"model.{container}"
    if container == "json":
        path.write_text(DIGITS)
    elif container == "keras":
        archive(path, DIGITS)
    else:
        with h5py.File(path, "w") as file:
            file.attrs["model_config"] = DIGITS.encode()
    assert rejected(path).line() == expected
    assert one_error_line(cli("parse", str(path)), "too-large") == expected


# --- archives -----------------------------------------------------------------------------------


def test_zip_bomb_is_refused_by_its_inflation_ratio(tmp_path: Path) -> None:
    path = archive(tmp_path / "bomb.keras", " " * (4 << 20) + SMALL)
    error = rejected(path)
    assert error.code == "too-large"
    assert error.message.startswith("config.json inflates to more than 200 times its ")


def test_archive_of_many_entries_is_refused_before_its_directory_is_read(tmp_path: Path) -> None:
    path = tmp_path / "entries.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as file:
        file.writestr("config.json", SMALL)
        for number in range(MAX_ARCHIVE_ENTRIES):
            file.writestr(f"d/{number}/", b"")
    error = rejected(path)
    assert error.code == "too-large"
    assert error.message.startswith(f"the archive lists {MAX_ARCHIVE_ENTRIES + 1} entries in ")


def _flags(data: bytearray) -> list[int]:
    """Offsets of the general-purpose flags of every local and central header."""
    offsets = []
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) >= 0:
            offsets.append(found + offset)
            start = found + 4
    return offsets


def _corrupt_deflate(data: bytearray) -> None:
    start = data.find(b"config.json") + len("config.json")
    data[start + 10 : start + 40] = b"\xff" * 30


def _encrypt(data: bytearray) -> None:
    for offset in _flags(data):
        data[offset] |= 1


def _method_99(data: bytearray) -> None:
    for offset in _flags(data):
        data[offset + 2] = 99


def _truncate(data: bytearray) -> None:
    del data[len(data) // 2 :]


@pytest.mark.parametrize(
    "damage",
    [_corrupt_deflate, _encrypt, _method_99, _truncate],
    ids=["corrupt", "encrypted", "method-99", "truncated"],
)
def test_damaged_archive_is_not_json(damage: object, tmp_path: Path) -> None:
    path = archive(tmp_path / "model.keras", SMALL * 40)
    data = bytearray(path.read_bytes())
    damage(data)  # type: ignore[operator]
    path.write_bytes(bytes(data))
    error = rejected(path)
    assert error.code == "not-json", error
    assert error.message.startswith(("not a readable .keras archive: ", "not JSON: ")), error.message
    one_error_line(cli("parse", str(path)), "not-json")


# --- .h5 ----------------------------------------------------------------------------------------


def test_h5_fixed_length_attribute_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "model.h5"
    config = SMALL.encode() + b" " * 100_000
    with h5py.File(path, "w", libver="latest") as file:
        file.attrs.create("model_config", np.array(config, dtype=f"S{len(config)}"))
    assert rejected(path, Limits(max_bytes=50_000)).line() == (
        f"error[too-large]: model_config is {len(config)} bytes, more than the limit of 50000 at $"
    )


def test_h5_string_that_is_not_utf8_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "model.h5"
    with h5py.File(path, "w") as file:
        file.attrs.create("model_config", SMALL.encode().replace(b'"m"', b'"\xff"'), dtype=h5py.string_dtype())
    assert rejected(path).line() == "error[not-json]: not UTF-8: invalid start byte at byte 49 at $"


def test_h5_signature_is_read_as_h5_whatever_the_name(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    with h5py.File(path, "w") as file:
        file.attrs["model_config"] = SMALL.encode()
    assert parse(path).model.name == "m"


# --- one line, escaped and cut ------------------------------------------------------------------


def test_newline_in_a_key_cannot_forge_a_second_error_line(tmp_path: Path) -> None:
    path = tmp_path / "forged.json"
    path.write_text(keras3_kwarg("a\\nerror[forged]: b", "x"))
    line = one_error_line(cli("parse", str(path)), "dangling-reference")
    assert line == (
        "error[dangling-reference]: no layer named 'x' in this model at "
        "$.config.layers[0].inbound_nodes[0].kwargs['a\\nerror[forged]: b'].config.keras_history[0]"
    )


def test_terminal_escapes_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "ansi.json"
    path.write_text(keras3_kwarg("\\u001b[2J\\u202e", "\\u001b]0;pwned\\u0007"))
    line = one_error_line(cli("parse", str(path)), "dangling-reference")
    assert "\x1b" not in line and "\x07" not in line and "\u202e" not in line
    assert line == (
        "error[dangling-reference]: no layer named '\\x1b]0;pwned\\x07' in this model at "
        "$.config.layers[0].inbound_nodes[0].kwargs['\\x1b[2J\\u202e'].config.keras_history[0]"
    )


def test_a_huge_name_is_cut_in_the_error_line() -> None:
    name = "n" * 5_000_000
    error = rejected(SMALL.replace('"output_layers": [["x"', f'"output_layers": [["{name}"'))
    assert error.code == "dangling-reference"
    assert len(error.line()) < 500
    assert error.line().startswith("error[dangling-reference]: no layer named 'nnnn")
    assert "..." in error.line()


def test_explain_escapes_names_it_cannot_print(tmp_path: Path) -> None:
    path = tmp_path / "surrogate.json"
    path.write_text(SMALL.replace('"x"', '"x\\ud800\\u001b[31m"'))
    done = cli("explain", str(path))
    assert done.returncode == 0, done.stderr
    assert "  x\\ud800\\x1b[31m (InputLayer): input" in done.stdout.splitlines()
