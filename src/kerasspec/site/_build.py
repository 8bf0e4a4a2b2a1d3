"""Building the site: every page written to a fresh folder that replaces the old one in one step."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from kerasspec import corpus as _corpus
from kerasspec.harness import CaseResult
from kerasspec.site import _badge, _failure, _front, _reader
from kerasspec.site._page import style
from kerasspec.site._readers import Reader, load, slug

CASES_PER_JOB = 500  # failing cases that make a second process worth its start
MARKER = ".kerasspec-site"  # a folder holding this file is a site this module may replace


class SiteError(Exception):
    """The site cannot be written where asked (exit 2)."""

    code = "bad-output"


@dataclass(frozen=True, slots=True)
class Built:
    """What a build wrote."""

    out: Path
    readers: tuple[Reader, ...]
    pages: int
    front_bytes: int
    seconds: float


def _case_file(case_id: str) -> str:
    return "__".join(slug(part) for part in case_id.split("/")) + ".html"


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages = 0
        self.folders: set[Path] = set()

    def write(self, relative: str, content: str) -> int:
        path = self.root / relative
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        data = content.encode("utf-8")
        path.write_bytes(data)
        self.pages += relative.endswith(".html")
        return len(data)


def build(
    results: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    corpus: str | os.PathLike[str] | None = None,
) -> Built:
    """Write the site for ``results`` (results files of ``kerasspec check``) to the folder ``out``.

    Raises ``ResultsError`` for a results file that cannot be read, ``CorpusError`` for a bad corpus,
    and :class:`SiteError` when ``out`` holds something other than an earlier site.
    """
    with _no_collection():
        return _build(results, Path(out), corpus)


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cycle collector off while building: loading makes millions of objects and no cycles, and the
    collector would walk them over and over (more than half the load time); forked workers inherit it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(results: Sequence[str | os.PathLike[str]], target: Path, corpus: str | os.PathLike[str] | None) -> Built:
    clock = time.perf_counter()
    if target.exists() and not (target / MARKER).exists() and (not target.is_dir() or any(target.iterdir())):
        raise SiteError(f"{target} exists and is not a kerasspec site: give an empty or new folder")
    readers = load(results)
    cases = {case.id: case for case in _corpus.load(corpus).cases}
    building = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    writer = _Writer(building)
    try:
        writer.write(MARKER, "kerasspec site\n")
        writer.write("style.css", style())
        front = writer.write("index.html", _front.render(readers))
        _reader_pages(writer, readers, cases)
        _swap(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return Built(target, tuple(readers), writer.pages, front, time.perf_counter() - clock)


def _reader_pages(writer: _Writer, readers: Sequence[Reader], cases: dict[str, _corpus.Case]) -> None:
    by_case: dict[str, list[tuple[Reader, CaseResult, str]]] = {}
    for reader in readers:
        base = f"readers/{reader.slug}"
        tally = reader.columns.values()
        passed, attempted = sum(t.passed for t in tally), sum(t.attempted for t in tally)
        value = f"{passed:,}/{attempted:,}" if attempted else "not run"
        writer.write(f"{base}/badge.svg", _badge.svg("kerasspec", value, passed / attempted if attempted else None))
        writer.write(f"{base}/index.html", _reader.render(reader))
        files = _failure_files(reader.failing)

        def listed(number: int) -> str:
            return "index.html" if number == 1 else f"index-{number}.html"

        for name, html in _reader.listing(reader, "failures", reader.failing, listed, files.__getitem__):
            writer.write(f"{base}/failures/{name}", html)
        for key, cell in _cells(reader.failing).items():
            for name, html in _reader.listing(
                reader, f"{key[2]} · {key[1]}", cell, partial(_reader.cell_file, *key), partial(_in_failures, files)
            ):
                writer.write(f"{base}/cells/{name}", html)
        for result in reader.failing:
            by_case.setdefault(result.case, []).append((reader, result, files[result.case]))
    # Case by case, so that each case's files are read and decoded once for every reader that failed it.
    work = [(cases.get(case_id), failures) for case_id, failures in by_case.items()]
    jobs = min(os.cpu_count() or 1, max(1, len(work) // CASES_PER_JOB))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        writer.pages += _failure_pages(writer.root, work)
        return
    # Forked workers see the loaded results without copying them; each writes its share of the pages.
    _FORKED[:] = [writer.root, work]
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            step = max(1, min(200, len(work) // (4 * jobs)))
            shares = [(start, min(start + step, len(work))) for start in range(0, len(work), step)]
            writer.pages += sum(pool.imap_unordered(_forked_share, shares))
    finally:
        _FORKED.clear()


_FORKED: list[Any] = []  # what forked workers read: the site folder and the failure pages to write


def _forked_share(bounds: tuple[int, int]) -> int:
    root, work = _FORKED
    return _failure_pages(root, work[bounds[0] : bounds[1]])


def _failure_pages(root: Path, work: Sequence[tuple[_corpus.Case | None, list[tuple[Reader, CaseResult, str]]]]) -> int:
    writer = _Writer(root)
    for case, failures in work:
        found = _failure.CaseFiles.read(case)
        for reader, result, name in failures:
            writer.write(f"readers/{reader.slug}/failures/{name}", _failure.render(reader, result, found))
    return writer.pages


def _in_failures(files: dict[str, str], case: str) -> str:
    return f"../failures/{files[case]}"


def _failure_files(results: Sequence[CaseResult]) -> dict[str, str]:
    files: dict[str, str] = {}
    taken: set[str] = {"index.html"}
    for result in results:
        name = _case_file(result.case)
        stem, number = name[: -len(".html")], 1
        while name in taken or name.startswith("index-"):
            number += 1
            name = f"{stem}-{number}.html"
        taken.add(name)
        files[result.case] = name
    return files


def _cells(failing: Sequence[CaseResult]) -> dict[tuple[str, str, str], list[CaseResult]]:
    from kerasspec.harness._matrix import features_of

    cells: dict[tuple[str, str, str], list[CaseResult]] = {}
    for result in failing:
        for row in features_of(result):
            cells.setdefault((result.format, result.release, row), []).append(result)
    return cells


def _swap(building: Path, target: Path) -> None:
    """Replace ``target`` by ``building`` (the old site is removed only once the new one is in place)."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    building.rename(target)
    shutil.rmtree(old, ignore_errors=True)
