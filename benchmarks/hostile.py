"""Hostile inputs against the command line: time, peak memory, exit status and stderr of each.

    python benchmarks/hostile.py [--only NAME,...] [--cap-gb 4] [--timeout 120] [--kerasspec PATH]

Builds each input of issue 15 in a temporary folder (a FIFO, /dev/zero, 200 MB of ``[],``, a
.keras whose config.json inflates to it, a .keras with 2 million entries, a 240 MB .h5 attribute,
a 4,301-digit integer in every container, a newline in a key, a 50 MB layer name, ...) and runs
``kerasspec`` on it under ``/usr/bin/time -v``, with the address space capped at ``--cap-gb``
(so a reader without bounds fails at the cap instead of taking the machine) and a wall-clock
timeout. Prints one row per input: seconds, peak RSS in MB, exit status, stderr line count and the
first stderr line (cut). Every row should read exit 65 and one line starting with ``error[`` and the code the input is
built to reach (or exit 0 for the two that must be read); the verdict column says whether it did.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

MB = 1 << 20
SMALL = (
    '{"class_name": "Functional", "config": {"name": "m", "layers": [{"class_name": "InputLayer", "name": "x",'
    ' "config": {"name": "x", "batch_input_shape": [null, 4]}, "inbound_nodes": []}], "input_layers":'
    ' [["x", 0, 0]], "output_layers": [["x", 0, 0]]}, "keras_version": "2.15.0", "backend": "tensorflow"}'
)


def empty_lists(size: int) -> bytes:
    count = size // 3
    return b"[" + b"[]," * count + b"[]]"


def keras_archive(path: Path, config: bytes | str, *, method: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        archive.writestr("metadata.json", '{"keras_version": "3.15.1"}')
        archive.writestr("config.json", config)


def h5_file(path: Path, config: bytes | str) -> None:
    import h5py
    import numpy as np

    with h5py.File(path, "w", libver="latest") as file:
        if isinstance(config, bytes) and len(config) > 64 * 1024:
            file.attrs.create("model_config", np.frombuffer(config, dtype=np.uint8).view(f"S{len(config)}")[0])
        else:
            file.attrs["model_config"] = config


def _keras3_kwarg(key: str, layer: str) -> str:
    """A keras3 model whose one node has the keyword argument ``key``, a tensor of the missing ``layer``."""
    tensor = f'{{"class_name": "__keras_tensor__", "config": {{"keras_history": ["{layer}", 0, 0]}}}}'
    return (
        '{"class_name": "Functional", "config": {"name": "m", "layers": [{"class_name": "Dense", "name": "d", '
        f'"config": {{"name": "d"}}, "inbound_nodes": [{{"args": [], "kwargs": {{"{key}": {tensor}}}}}]}}], '
        '"input_layers": [], "output_layers": []}, "keras_version": "3.15.1"}'
    )


def _named(name: str) -> str:
    """The small model with its output naming a layer called ``name`` (which does not exist)."""
    return SMALL.replace('"output_layers": [["x"', f'"output_layers": [["{name}"')


def huge_integer() -> str:
    return SMALL.replace('"batch_input_shape": [null, 4]', '"batch_input_shape": [null, ' + "9" * 4301 + "]")


class Input:
    """One hostile input: ``build(folder)`` returns the argv after ``kerasspec`` (and an optional stdin).

    ``expect`` is the error code the input is built to reach, or ``None`` for a model that must be
    read (exit 0): a row that ends otherwise is marked, so an input that stops testing what it was
    built for (say, rejected earlier for a reason of its own) cannot pass unnoticed.
    """

    def __init__(
        self, name: str, build: Callable[[Path], tuple[list[str], str | None]], expect: str | None = "too-large"
    ) -> None:
        self.name = name
        self.build = build
        self.expect = expect

    def verdict(self, status: str, first: str) -> str:
        if self.expect is None:
            return "as built" if status == "0" else "NOT READ"
        return "as built" if status == "65" and first.startswith(f"error[{self.expect}]") else f"NOT {self.expect}"


def _fifo(folder: Path) -> tuple[list[str], str | None]:
    fifo = folder / "model.json"
    os.mkfifo(fifo)

    def feed() -> None:  # an endless writer; it ends when the reader closes the FIFO
        try:
            with open(fifo, "wb") as out:
                while True:
                    out.write(b" " * MB)
        except OSError:
            pass

    threading.Thread(target=feed, daemon=True).start()
    return ["validate", str(fifo)], None


def _write(folder: Path, name: str, data: bytes | str) -> str:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    return str(path)


def _zip_bomb(folder: Path) -> tuple[list[str], str | None]:
    path = folder / "bomb.keras"
    keras_archive(path, empty_lists(200 * MB))
    return ["parse", str(path)], None


def _many_entries(folder: Path) -> tuple[list[str], str | None]:
    path = folder / "entries.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("config.json", SMALL)
        for number in range(2_000_000):
            archive.writestr(f"d/{number}/", b"")
    return ["parse", str(path)], None


def _corrupt(folder: Path) -> tuple[list[str], str | None]:
    path = folder / "corrupt.keras"
    keras_archive(path, SMALL.encode() * 50)
    data = bytearray(path.read_bytes())
    start = data.find(b"config.json") + len(b"config.json")
    data[start + 10 : start + 40] = b"\xff" * 30  # inside the deflate stream
    path.write_bytes(bytes(data))
    return ["parse", str(path)], None


def _encrypted(folder: Path) -> tuple[list[str], str | None]:
    path = folder / "encrypted.keras"
    keras_archive(path, SMALL, method=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    for offset in _headers(data):
        data[offset] |= 1  # general purpose flag bit 0: encrypted
    path.write_bytes(bytes(data))
    return ["parse", str(path)], None


def _unsupported_method(folder: Path) -> tuple[list[str], str | None]:
    path = folder / "method.keras"
    keras_archive(path, SMALL, method=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    for offset in _headers(data):
        data[offset + 2] = 99  # compression method 99 (AES), which zipfile does not read
    path.write_bytes(bytes(data))
    return ["parse", str(path)], None


def _headers(data: bytearray) -> list[int]:
    """Offsets of the general-purpose flags in every local and central header of the archive."""
    offsets = []
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) >= 0:
            offsets.append(found + flag_offset)
            start = found + 4
    return offsets


def _h5_huge(folder: Path) -> tuple[list[str], str | None]:
    path = folder / "huge.h5"
    h5_file(path, empty_lists(240 * MB))
    return ["parse", str(path)], None


def _h5_digits(folder: Path) -> tuple[list[str], str | None]:
    path = folder / "digits.h5"
    h5_file(path, huge_integer())
    return ["parse", str(path)], None


def _h5_bad_utf8(folder: Path) -> tuple[list[str], str | None]:
    path = folder / "utf8.h5"
    h5_file(path, SMALL.encode().replace(b'"m"', b'"\xff\xfe"'))
    return ["parse", str(path)], None


def _keras_digits(folder: Path) -> tuple[list[str], str | None]:
    path = folder / "digits.keras"
    keras_archive(path, huge_integer().encode())
    return ["parse", str(path)], None


def _million_layers(folder: Path) -> tuple[list[str], str | None]:
    layers = [
        '{"class_name": "InputLayer", "name": "l0", "config": {"name": "l0", "batch_input_shape": [null, 4]}, '
        '"inbound_nodes": []}'
    ]
    layers += [
        f'{{"class_name": "Dense", "name": "l{i}", "config": {{"name": "l{i}", "units": 4}}, '
        f'"inbound_nodes": [[["l{i - 1}", 0, 0, {{}}]]]}}'
        for i in range(1, 1_000_000)
    ]
    text = (
        '{"class_name": "Functional", "config": {"name": "m", "layers": ['
        + ", ".join(layers)
        + '], "input_layers": [["l0", 0, 0]], "output_layers": [["l999999", 0, 0]]}, "keras_version": "2.15.0"}'
    )
    return ["parse", _write(folder, "million.json", text)], None


INPUTS = [
    Input("fifo-endless", _fifo),
    Input("validate-dev-zero", lambda d: (["validate", "/dev/zero"], None)),
    Input("parse-dev-zero", lambda d: (["parse", "/dev/zero"], None)),
    Input("validate-stdin-dev-zero", lambda d: (["validate", "-"], "/dev/zero")),
    Input("parse-stdin-closed", lambda d: (["parse", "-"], "closed"), "not-json"),
    Input("json-4301-digits", lambda d: (["parse", _write(d, "digits.json", huge_integer())], None)),
    Input("stdin-4301-digits", lambda d: (["parse", "-"], _write(d, "digits.json", huge_integer()))),
    Input("keras-4301-digits", _keras_digits),
    Input("h5-4301-digits", _h5_digits),
    Input("keras-corrupt-deflate", _corrupt, "not-json"),
    Input("keras-encrypted", _encrypted, "not-json"),
    Input("keras-unsupported-method", _unsupported_method, "not-json"),
    Input(
        "explain-lone-surrogate",
        lambda d: (["explain", _write(d, "surrogate.json", SMALL.replace('"x"', '"x\\ud800"'))], None),
        None,
    ),
    Input("json-200mb-empty-lists", lambda d: (["parse", _write(d, "lists.json", empty_lists(200 * MB))], None)),
    Input("keras-zip-bomb-200mb", _zip_bomb),
    Input("keras-2m-entries", _many_entries),
    Input("h5-240mb-attribute", _h5_huge),
    Input("h5-invalid-utf8", _h5_bad_utf8, "not-json"),
    Input(
        "key-with-newline",
        lambda d: (["parse", _write(d, "forged.json", _keras3_kwarg("a\\nerror[forged]: b", "x"))], None),
        "dangling-reference",
    ),
    Input(
        "ansi-in-value",
        lambda d: (["parse", _write(d, "ansi.json", _keras3_kwarg("\\u001b[2J", "\\u001b]0;pwned\\u0007"))], None),
        "dangling-reference",
    ),
    Input(
        "layer-name-50mb",
        lambda d: (["parse", _write(d, "name.json", _named("n" * (50 * MB)))], None),
        "dangling-reference",
    ),
    Input("million-layers", _million_layers, None),
]


def measure(kerasspec: str, argv: list[str], stdin: str | None, cap_gb: float, timeout: float) -> tuple[str, str, str]:
    """Run one command; its row of figures, its exit status and its first stderr line."""
    limit = int(cap_gb * (1 << 30))
    command = ["/usr/bin/time", "-v", kerasspec, *argv]

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    if stdin == "closed":
        stdin_file = None
        pass_fds: tuple[int, ...] = ()
        command = ["sh", "-c", 'exec "$@" <&-', "sh", *command]
    else:
        stdin_file = open(stdin, "rb") if stdin else subprocess.DEVNULL  # noqa: SIM115
        pass_fds = ()
    process = subprocess.Popen(
        command,
        stdin=stdin_file,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=cap,
        pass_fds=pass_fds,
        start_new_session=True,  # on timeout the whole group goes, kerasspec with /usr/bin/time
    )
    try:
        _, raw = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return f"{'>' + str(int(timeout)):>8} {'?':>8} {'hang':>5} {'':>6}  (killed after {timeout:g} s)", "hang", ""
    finally:
        if stdin_file not in (None, subprocess.DEVNULL):
            stdin_file.close()  # type: ignore[union-attr]
    stderr = raw.decode("utf-8", "backslashreplace")
    own, _, stats = stderr.rpartition("\tCommand being timed:")
    figures = {}
    for line in stats.splitlines():
        key, _, value = line.strip().rpartition(": ")
        figures[key] = value
    elapsed = figures.get("Elapsed (wall clock) time (h:mm:ss or m:ss)", "?")
    minutes, _, seconds = elapsed.rpartition(":")
    wall = float(seconds) + 60 * float(minutes.split(":")[-1] or 0)
    peak = int(figures.get("Maximum resident set size (kbytes)", "0")) / 1024
    status = figures.get("Exit status", "?")
    own = own.removesuffix(f"Command exited with non-zero status {status}\n")
    lines = own.rstrip("\n").split("\n") if own.strip() else []
    first = lines[0] if len(lines) == 1 else ""  # two lines are as wrong as the wrong code
    return f"{wall:8.2f} {peak:8.0f} {status:>5} {len(lines):>6}  {(lines[0] if lines else '')[:110]!r}", status, first


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--only", default="", help="comma-separated input names")
    options.add_argument("--cap-gb", type=float, default=4.0, help="address-space cap of each run")
    options.add_argument("--timeout", type=float, default=120.0)
    options.add_argument("--kerasspec", default=shutil.which("kerasspec") or "kerasspec")
    args = options.parse_args()
    chosen = [i for i in INPUTS if not args.only or i.name in args.only.split(",")]
    print(f"{'input':26} {'verdict':>16} {'seconds':>8} {'peak MB':>8} {'exit':>5} {'lines':>6}  first stderr line")
    missed = 0
    for item in chosen:
        with tempfile.TemporaryDirectory(prefix="kerasspec-hostile-") as folder:
            argv, stdin = item.build(Path(folder))
            row, status, first = measure(args.kerasspec, argv, stdin, args.cap_gb, args.timeout)
        verdict = item.verdict(status, first)
        missed += verdict != "as built"
        print(f"{item.name:26} {verdict:>16} {row}", flush=True)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
