"""Damaged containers: a model's ``.keras`` archive and ``.h5`` file, then random byte mutations of them.

The reader must turn any such file into a document or a :class:`~kerasspec.errors.ParseError`;
``tests/parser/test_container_fuzz.py`` and ``benchmarks/fuzz.py --containers`` throw mutations at
it with a seeded ``random.Random``, so a failure names its seed and can be replayed.
"""

from __future__ import annotations

import io
import random
import zipfile

__all__ = ["CONTAINERS", "container", "mutate_bytes"]

CONTAINERS = ("keras", "h5")


def container(kind: str, text: str) -> bytes:
    """The bytes of a ``.keras`` archive or an ``.h5`` file holding the model JSON ``text``, as Keras lays them out."""
    if kind == "keras":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("metadata.json", '{"keras_version": "3.15.1", "date_saved": "2026-01-01@00:00:00"}')
            archive.writestr("config.json", text)
            archive.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n" + bytes(200))
        return buffer.getvalue()
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as file:
        file.attrs["model_config"] = text.encode("utf-8")
        file.attrs["keras_version"] = "2.15.0"
        file.attrs["backend"] = "tensorflow"
        file.create_group("model_weights").create_dataset("kernel", data=[[1.0, 2.0], [3.0, 4.0]])
    return buffer.getvalue()


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """One to eight random edits: byte overwrites, deletions, insertions, a copied run, truncation."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not out:
            out += b"\x00"
        at = rng.randrange(len(out))
        edit = rng.random()
        if edit < 0.45:
            out[at] = rng.randrange(256)
        elif edit < 0.6:
            del out[at : at + rng.randint(1, 64)]
        elif edit < 0.75:
            out[at:at] = rng.randbytes(rng.randint(1, 16))
        elif edit < 0.85:
            start = rng.randrange(len(out))
            out[at:at] = out[start : start + rng.randint(1, 256)]
        elif edit < 0.95:
            # A length or offset field set to an extreme: 0, all ones, or a large power of two.
            out[at : at + 4] = rng.choice([b"\x00\x00\x00\x00", b"\xff\xff\xff\xff", b"\x00\x00\x00\x40"])
        else:
            del out[at:]
    return bytes(out)
