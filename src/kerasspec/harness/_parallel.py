"""``--jobs N``: N parsers (processes) answering one run side by side, results in corpus order.

Each worker thread owns one parser and pulls the next case from a shared queue, so a parser that
crashes and restarts holds up only its own cases while the others keep working. Answers are
handed back in the order the cases came in: the same results, in the same order, as one parser.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kerasspec.corpus import Case
from kerasspec.harness._outcomes import Answer
from kerasspec.harness._parsers import Parser, Reads, declared


class Parallel:
    """A :class:`~kerasspec.harness.Parser` made of ``jobs`` parsers built by ``make``."""

    def __init__(self, make: Callable[[], Parser], jobs: int) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.parsers = [make() for _ in range(jobs)]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def formats(self) -> tuple[str, ...] | None:
        """The formats the parsers declared (all run the same command)."""
        formats: tuple[str, ...] | None = getattr(self.parsers[0], "formats", None)
        return formats

    @property
    def track(self) -> str | None:
        """The track the parsers declared, once started (all run the same command)."""
        track: str | None = getattr(self.parsers[0], "track", None)
        return track

    def reads(self) -> Reads:
        """What the parsers declared (all run the same command)."""
        return declared(self.parsers[0])

    def answer(self, case: Case, text: str) -> Answer:
        return self.parsers[0].answer(case, text)

    def answers(self, work: Iterable[tuple[Case, str]]) -> Iterator[tuple[Case, Answer, float]]:
        source = iter(work)
        taking = threading.Lock()
        ready = threading.Condition()
        order: dict[tuple[str, str | None], int] = {}  # a case handed in several containers comes once per container
        done: dict[int, tuple[Case, Answer, float]] = {}
        finished: list[int] = []  # workers that ran out of work
        errors: list[BaseException] = []
        self._stop.clear()

        def take() -> Iterator[tuple[Case, str]]:
            while not self._stop.is_set():
                with taking:
                    item = next(source, None)
                    if item is None:
                        return
                    order[(item[0].id, item[0].container)] = len(order)
                yield item

        def work_with(parser: Parser) -> None:
            try:
                for case, answer, seconds in parser.answers(take()):
                    with ready:
                        done[order[(case.id, case.container)]] = (case, answer, seconds)
                        ready.notify()
                    if self._stop.is_set():
                        break
            except BaseException as error:  # handed to the caller's thread
                errors.append(error)
            finally:
                with ready:
                    finished.append(1)
                    ready.notify()

        self._threads = [threading.Thread(target=work_with, args=(p,), daemon=True) for p in self.parsers]
        for thread in self._threads:
            thread.start()
        position = 0
        while True:
            with ready:
                while position not in done and not errors and len(finished) < len(self._threads):
                    ready.wait()
                if errors:
                    raise errors[0]
                if position not in done:  # every worker ran out of work
                    return
                item = done.pop(position)
            position += 1
            yield item

    def close(self) -> None:
        """Stop handing out cases, let each worker finish the case it is on, stop every parser."""
        self._stop.set()
        for thread in self._threads:
            thread.join()
        for parser in self.parsers:
            parser.close()

    def describe(self) -> dict[str, Any]:
        described = [parser.describe() for parser in self.parsers]
        first = dict(described[0])
        first["starts"] = sum(d.get("starts") or 0 for d in described)
        first["startup_problem"] = next((d["startup_problem"] for d in described if d.get("startup_problem")), None)
        first["jobs"] = len(self.parsers)
        return first
