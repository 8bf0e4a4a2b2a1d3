"""A legacy ``.h5`` file's ``model_config`` attribute (and its root ``keras_version``), read with h5py
in a child process.

HDF5 is a C library: on a damaged file it can loop for ever or crash inside one call, where no
Python exception or signal handler can stop it (a few hundred random byte mutations of a valid
file are enough to find a loop). So the attribute is read in a forked child, under a deadline
and a memory limit; the child hands back the bytes, or the rejection, through a pipe. Forking
keeps h5py imported (importing it costs seconds); h5py's global lock is held across the fork, so
no other thread is inside HDF5 when the child starts.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time
from pathlib import Path
from typing import IO, Any

from kerasspec import _extras
from kerasspec._limits import Limits
from kerasspec._text import reason
from kerasspec.errors import CODES, NotAModel, NotJSON, ParseError, TooLarge

#: Seconds the child may take to read the attribute (a real file takes milliseconds).
SECONDS = 10.0
#: Memory the child may take beyond what it inherits, besides room for the attribute itself.
_HEADROOM = 512 << 20
#: A root ``keras_version`` longer than this is no release name: it is not read.
_VERSION_BYTES = 64


def model_config(file: IO[bytes], path: Path, limits: Limits) -> tuple[bytes, str | None]:
    """The ``model_config`` attribute's bytes and the root ``keras_version`` (``None`` where the file
    has no readable one); a :class:`ParseError` for any file that has no model_config to give."""
    _extras.require("h5", f"reading {path.name} (an .h5 file)")
    from h5py._objects import phil

    if not hasattr(os, "fork"):  # no fork (Windows): read in this process
        return _attribute(file, path, limits)
    reader, writer = os.pipe()
    with phil:
        pid = os.fork()
    if pid == 0:  # the child: read, report, and leave without running any of the parent's cleanup
        try:
            os.close(reader)
            _child(file, path, limits, writer)
        finally:
            os._exit(0)
    os.close(writer)
    try:
        data, finished = _collect(reader, limits.max_bytes + (1 << 16), SECONDS)
    finally:
        os.close(reader)
        status = _reap(pid)
    if not finished:
        raise NotJSON(f"not a readable .h5 file: HDF5 did not finish reading it within {SECONDS:g} s", value=str(path))
    header, _, payload = data.partition(b"\n")
    if not header:
        raise NotJSON(f"not a readable .h5 file: HDF5 failed reading it ({_describe(status)})", value=str(path))
    outcome = json.loads(header)
    if "code" in outcome:
        raise CODES[outcome["code"]](outcome["message"], value=outcome["value"], hint=outcome["hint"])
    return payload, outcome.get("keras_version")


def _child(file: IO[bytes], path: Path, limits: Limits, writer: int) -> None:
    try:
        import resource

        # The attribute, twice (HDF5's buffer and Python's bytes), and room to work.
        ceiling = _mapped() + 2 * limits.max_bytes + _HEADROOM
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    except (ImportError, OSError, ValueError):
        pass
    try:
        payload, version = _attribute(file, path, limits)
        header = json.dumps({"ok": True, "keras_version": version}).encode()
    except ParseError as error:
        rejection = {"code": error.code, "message": error.message, "value": _plain(error.value), "hint": error.hint}
        header, payload = json.dumps(rejection).encode(), b""
    except MemoryError:
        header, payload = json.dumps(_not_json(path, "reading it takes more memory than allowed")).encode(), b""
    view = memoryview(header + b"\n" + payload)
    while view:
        view = view[os.write(writer, view[: 1 << 20]) :]


def _plain(value: object) -> object:
    return value if value is None or isinstance(value, str | int | float | bool) else repr(value)[:80]


def _not_json(path: Path, why: str) -> dict[str, object]:
    error = NotJSON(f"not a readable .h5 file: {why}", value=str(path))
    return {"code": error.code, "message": error.message, "value": error.value, "hint": error.hint}


def _mapped() -> int:
    """Bytes of address space this process maps now (Linux), 0 where unknown."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 1 << 34
    return pages * os.sysconf("SC_PAGE_SIZE")


def _collect(fd: int, limit: int, seconds: float) -> tuple[bytes, bool]:
    """What the child writes until it closes the pipe: ``(data, finished in time)``."""
    deadline = time.monotonic() + seconds
    chunks = bytearray()
    while len(chunks) <= limit:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return bytes(chunks), False
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return bytes(chunks), True
        chunks += chunk
    return bytes(chunks), True


def _reap(pid: int) -> int:
    """The child's wait status; killed first (a child that already exited is a zombie: no harm)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.WEXITSTATUS(status)}"


def _attribute(file: IO[bytes], path: Path, limits: Limits) -> tuple[bytes, str | None]:
    """The root ``model_config`` attribute and ``keras_version``, read with h5py in this process."""
    import h5py

    try:
        with h5py.File(file, "r") as h5:
            if "model_config" not in h5.attrs:
                raise NotAModel(
                    "the .h5 file has no model_config attribute (a weights-only file?)",
                    value=str(path),
                    hint="legacy Keras .h5 model files keep the model JSON in the root attribute model_config",
                )
            attribute = h5.attrs.get_id("model_config")
            # A fixed-length string says its size; check it before HDF5 allocates it.
            if attribute.dtype.kind == "S":
                declared = attribute.dtype.itemsize * attribute.get_space().get_simple_extent_npoints()
                if declared > limits.max_bytes:
                    raise TooLarge(
                        f"model_config is {declared} bytes, more than the limit of {limits.max_bytes}", value=declared
                    )
            config = h5.attrs["model_config"]
            version = _version(h5)
    except ParseError:
        raise
    except Exception as error:
        # h5py raises OSError, KeyError, ValueError, TypeError, RuntimeError ... on damaged files.
        raise NotJSON(f"not a readable .h5 file: {reason(error)}", value=str(path)) from None
    if isinstance(config, str):
        # h5py decodes variable-length strings with surrogateescape: undo it, so that invalid UTF-8
        # is rejected when the text is decoded, like anywhere else.
        config = config.encode("utf-8", "surrogateescape")
    if not isinstance(config, bytes):
        raise NotAModel("model_config is not a string", value=repr(config)[:80])
    if len(config) > limits.max_bytes:
        raise TooLarge(f"model_config is more than the limit of {limits.max_bytes} bytes", value=len(config))
    return bytes(config), version


def _version(h5: Any) -> str | None:
    """The root ``keras_version`` attribute when it is a short string (Keras writes it as bytes), else
    ``None``: it only helps date the model_config, so a file without a usable one is still read."""
    if "keras_version" not in h5.attrs:
        return None
    attribute = h5.attrs.get_id("keras_version")
    if attribute.dtype.kind == "S" and attribute.dtype.itemsize > _VERSION_BYTES:
        return None
    value = h5.attrs["keras_version"]
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return value if isinstance(value, str) and 0 < len(value) <= _VERSION_BYTES else None
