"""The corpus as the wheel ships it: one zip archive, unpacked once into a cache folder on first use.

Why an archive: the corpus is thousands of small files, many of them identical (every case keeps its own
copy under its id). Copied one by one they made the wheel slow to build and to install; one archive holding
each distinct file once is fast to build, small, and installs as a single file. The harness and external
parsers need real paths (``--per-case`` hands a file to a program), so it is unpacked, not read in place.

Layout of the archive: every distinct file stored once, under the first of its paths in sorted order;
``LINKS`` maps every other path to the stored path holding the same bytes. Timestamps are fixed, so the
same corpus always gives the same bytes.

This module uses the standard library only: the wheel's build hook loads it by path.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

__all__ = ["LINKS", "extracted", "write"]

LINKS = ".kerasspec-links.json"
_EPOCH = (1980, 1, 1, 0, 0, 0)
_DONE = ".kerasspec-complete"


def write(root: Path, target: Path) -> tuple[int, int]:
    """Pack the folder ``root`` into the archive ``target``; return (files, distinct files)."""
    stored: dict[str, str] = {}  # sha256 -> stored path
    links: dict[str, str] = {}
    paths = sorted(path for path in root.rglob("*") if path.is_file())
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            name = path.relative_to(root).as_posix()
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest in stored:
                links[name] = stored[digest]
                continue
            stored[digest] = name
            archive.writestr(_info(name), data)
        archive.writestr(_info(LINKS), json.dumps(links, indent=0, sort_keys=True))
    return len(paths), len(stored)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def extracted(archive: Path, cache: Path | None = None) -> Path:
    """The folder the archive unpacks to, unpacking it first if no complete copy is there yet.

    The folder is named by the archive's digest, so an upgrade never reads a stale copy, and is filled
    under a temporary name then renamed, so a run that is interrupted or races another leaves no
    half-written corpus behind.
    """
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:16]
    for base in _cache_bases(cache):
        folder = base / f"corpus-{digest}"
        if (folder / _DONE).is_file():
            return folder
        try:
            base.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".corpus-", dir=base))
        except OSError:
            continue  # not writable: try the next place
        try:
            _unpack(archive, staging)
            (staging / _DONE).touch()
            os.replace(staging, folder)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            if (folder / _DONE).is_file():  # another process finished first
                return folder
            continue
        return folder
    raise OSError(f"cannot unpack the bundled corpus anywhere (tried {', '.join(map(str, _cache_bases(cache)))})")


def _cache_bases(cache: Path | None) -> list[Path]:
    if cache is not None:
        return [cache]
    bases = []
    if "KERASSPEC_CACHE" in os.environ:
        bases.append(Path(os.environ["KERASSPEC_CACHE"]))
    xdg = os.environ.get("XDG_CACHE_HOME")
    bases.append(Path(xdg) / "kerasspec" if xdg else Path.home() / ".cache" / "kerasspec")
    bases.append(Path(tempfile.gettempdir()) / f"kerasspec-{os.getuid() if hasattr(os, 'getuid') else 'user'}")
    return bases


def _unpack(archive: Path, target: Path) -> None:
    with zipfile.ZipFile(archive) as source:
        links: dict[str, str] = json.loads(source.read(LINKS))
        for info in source.infolist():
            if info.filename == LINKS:
                continue
            _write(target, info.filename, source.read(info))
        for name, stored in links.items():
            path = _inside(target, name)
            try:
                path.hardlink_to(target / stored)  # the same bytes, stored once on disk too
            except OSError:
                path.write_bytes((target / stored).read_bytes())


def _write(target: Path, name: str, data: bytes) -> None:
    _inside(target, name).write_bytes(data)


def _inside(target: Path, name: str) -> Path:
    path = target / name
    # The archive is ours (built with the wheel), but never write outside the folder all the same.
    if ".." in Path(name).parts or Path(name).is_absolute():
        raise OSError(f"archive member outside the corpus: {name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
