"""pytest plugin: every corpus case a test, with the case id as its name.

Registered by entry point, so installing kerasspec is enough; it does nothing unless one of
these options is given::

    pytest --kerasspec-adapter reference
    pytest --kerasspec-command "node adapters/examples/node/adapter.js"
    pytest --kerasspec-command "./my-cli {}" --kerasspec-per-case
    pytest --kerasspec-command "./my-scanner {}" --kerasspec-per-case --kerasspec-container h5 --kerasspec-scanner
    pytest --kerasspec-function mylib.keras:to_canonical     # a Python parse function
    pytest --kerasspec-adapter reference --kerasspec-fuzz 200  # and 200 generated models

A Python maintainer adds conformance to an existing suite with ``addopts = --kerasspec-function
mylib.keras:to_canonical`` in their pytest configuration. Cases listed in ``--kerasspec-known-failures``
are strict xfails (a listed case that passes fails the session); cases in a wire format the parser does
not declare are skipped with that reason. A reader of model files (``containers`` in its start reply,
or ``--kerasspec-container`` for a per-case command) gets every case as a real file of each container,
one test each (``keras3/keras-3.15.1/dense-chain[h5]``); a scanner (``"track": "scanner"``, or
``--kerasspec-scanner``) is judged on the code it finds (spec/protocol.md#tracks).
"""

from __future__ import annotations

import importlib
import shlex
from collections.abc import Iterator
from typing import Any

import pytest

from kerasspec.vocabulary import CONTAINERS

_OPTIONS = ("kerasspec_adapter", "kerasspec_command", "kerasspec_function")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kerasspec", "kerasspec conformance (every corpus case a test)")
    group.addoption("--kerasspec-adapter", metavar="NAME", help="Built-in adapter to check (e.g. reference).")
    group.addoption("--kerasspec-command", metavar="CMD", help="Protocol adapter command line to check.")
    group.addoption("--kerasspec-function", metavar="MODULE:NAME", help="Python parse function to check.")
    group.addoption("--kerasspec-per-case", action="store_true", help="Run the command once per case ({} = file).")
    group.addoption(
        "--kerasspec-container",
        action="append",
        default=[],
        choices=CONTAINERS,
        help="With --kerasspec-per-case: hand each case as a real file of this container (repeatable).",
    )
    group.addoption(
        "--kerasspec-scanner", action="store_true", help="With --kerasspec-per-case: the command is a scanner."
    )
    group.addoption("--kerasspec-corpus", metavar="DIR", help="Corpus directory (default: bundled).")
    group.addoption("--kerasspec-format", action="append", default=[], help="Only this wire format.")
    group.addoption("--kerasspec-release", action="append", default=[], metavar="GLOB", help="Only these releases.")
    group.addoption("--kerasspec-feature", action="append", default=[], metavar="TAG", help="Only this feature.")
    group.addoption("--kerasspec-case", action="append", default=[], metavar="GLOB", help="Only matching case ids.")
    group.addoption("--kerasspec-kind", action="append", default=[], help="Only valid, invalid or lossy cases.")
    group.addoption("--kerasspec-timeout", type=float, default=5.0, help="Seconds per case (default 5).")
    group.addoption("--kerasspec-start-timeout", type=float, default=30.0, help="Seconds to start (default 30).")
    group.addoption("--kerasspec-strict-errors", action="store_true", help="Invalid cases need the right code.")
    group.addoption("--kerasspec-known-failures", metavar="PATH", help="Known failures file: strict xfails.")
    group.addoption("--kerasspec-fuzz", type=int, default=0, metavar="N", help="Also N generated models (one test).")
    group.addoption("--kerasspec-fuzz-seed", type=int, default=0, help="Seed of the generated models (default 0).")
    group.addoption("--kerasspec-found", metavar="DIR", help="Write shrunk fuzz failures here as corpus cases.")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("kerasspec_fuzz", 0):  # say so before any case runs, not after the corpus
        from kerasspec import _extras

        try:
            _extras.require("fuzz", "--kerasspec-fuzz")
        except _extras.MissingExtra as error:
            raise pytest.UsageError(str(error)) from None


def _enabled(config: pytest.Config) -> bool:
    return any(config.getoption(name) for name in _OPTIONS)


def _parser(config: pytest.Config) -> Any:
    from kerasspec.harness import FunctionParser, PerCaseParser, ProtocolParser, _adapters

    timeout = config.getoption("kerasspec_timeout")
    adapter, command, function = (config.getoption(name) for name in _OPTIONS)
    if sum(map(bool, (adapter, command, function))) != 1:
        raise pytest.UsageError("give one of --kerasspec-adapter, --kerasspec-command, --kerasspec-function")
    if function:
        module_name, _, attribute = function.partition(":")
        target: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            target = getattr(target, part)
        return FunctionParser(target, timeout=timeout)
    if adapter:
        if adapter not in _adapters.ADAPTERS:
            raise pytest.UsageError(f"unknown adapter {adapter!r}; built-in: {', '.join(sorted(_adapters.ADAPTERS))}")
        argv = _adapters.command(adapter)
    else:
        argv = shlex.split(command)
        if config.getoption("kerasspec_per_case"):
            return PerCaseParser(
                argv,
                containers=config.getoption("kerasspec_container") or None,
                track="scanner" if config.getoption("kerasspec_scanner") else "parser",
                timeout=timeout,
            )
    if config.getoption("kerasspec_container") or config.getoption("kerasspec_scanner"):
        raise pytest.UsageError(
            "--kerasspec-container and --kerasspec-scanner declare a --kerasspec-per-case command; "
            "a protocol reader declares them at start"
        )
    return ProtocolParser(argv, timeout=timeout, start_timeout=config.getoption("kerasspec_start_timeout"))


class _Session:
    """The parser shared by all case tests of a session, started at the first case.

    Answers are requested in the order pytest will run the cases (known once collection is
    finished), so a protocol parser works with several requests in flight; a case run out of
    that order takes its answer from the ones already received.
    """

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.parser: Any = None
        self.planned: list[Any] = []  # the cases, in the order the items will run
        self._stream: Iterator[tuple[Any, Any, float]] | None = None
        self._received: dict[tuple[str, str | None], Any] = {}

    def reads(self) -> Any:
        """What the reader declared (a protocol parser is started to tell): its track and containers."""
        from kerasspec.harness._parsers import declared

        if self.parser is None:
            self.parser = _parser(self.config)
        return declared(self.parser)

    @property
    def track(self) -> str:
        return str(getattr(self.parser, "track", "parser"))

    def answer(self, case: Any, text: str) -> Any:
        if self.parser is None:
            self.parser = _parser(self.config)
        key = (case.id, case.container)  # a case handed in several containers is several tests
        if key in self._received:
            return self._received.pop(key)
        if self._stream is None:
            self._stream = self.parser.answers((planned, planned.read_input()) for planned in self.planned)
        for answered, answer, _ in self._stream:
            if (answered.id, answered.container) == key:
                return answer
            self._received[(answered.id, answered.container)] = answer
        # Not planned (or run twice): the stream is finished, so nothing else is in flight.
        return self.parser.answer(case, text)

    def close(self) -> None:
        if self.parser is not None:
            self.parser.close()


class KerasspecFailure(Exception):
    """A corpus case the parser got wrong; the report shows the outcome and the difference."""

    def __init__(self, result: Any) -> None:
        super().__init__(result.detail)
        self.result = result


class CaseItem(pytest.Item):
    """One corpus case as a test."""

    def __init__(self, *, case: Any, session_parser: _Session, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.session_parser = session_parser

    def runtest(self) -> None:
        from kerasspec.harness._outcomes import judge
        from kerasspec.harness._scan import judge_scan
        from kerasspec.vocabulary import Outcome

        text = self.case.read_input()
        answer = self.session_parser.answer(self.case, text)
        if answer.kind == "findings" or self.session_parser.track == "scanner":
            result = judge_scan(self.case, answer, text)
        else:
            expected = self.case.read_expected() if self.case.kind != "invalid" else None
            strict = bool(self.config.getoption("kerasspec_strict_errors"))
            result = judge(self.case, answer, expected, strict_errors=strict)
        self.user_properties.append(("kerasspec_outcome", result.outcome.value))
        if result.outcome is Outcome.UNSUPPORTED:
            pytest.skip(f"unsupported: {result.detail}")
        if result.outcome.failing:
            raise KerasspecFailure(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, KerasspecFailure):
            from kerasspec.harness._reports import describe_failure

            return describe_failure(excinfo.value.result, self._rerun())
        return super().repr_failure(excinfo)

    def _rerun(self) -> str:
        """The pytest command that runs this one case again with the same parser and corpus."""
        import shlex

        arguments = ["pytest", "--kerasspec-case", self.case.id]
        for name in ("adapter", "command", "function", "corpus", "timeout"):
            value = self.config.getoption(f"kerasspec_{name}")
            if value is not None and not (name == "timeout" and value == 5.0):
                arguments += [f"--kerasspec-{name}", str(value)]
        for flag in ("per_case", "scanner", "strict_errors"):
            if self.config.getoption(f"kerasspec_{flag}"):
                arguments.append(f"--kerasspec-{flag.replace('_', '-')}")
        for container in self.config.getoption("kerasspec_container") or ():
            arguments += ["--kerasspec-container", container]
        return shlex.join(arguments)

    def reportinfo(self) -> tuple[str, int, str]:
        return str(self.case.input_path), 0, f"kerasspec case {self.case.id}"


class FuzzItem(pytest.Item):
    """``--kerasspec-fuzz N``: N generated models through the same parser; fails with each minimal case found."""

    def __init__(self, *, session_parser: _Session, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session_parser = session_parser

    def runtest(self) -> None:
        from kerasspec.fuzz import fuzz

        shared = self.session_parser
        if shared.parser is None:
            shared.parser = _parser(self.config)
        config = self.config
        result = fuzz(
            shared.parser,
            examples=config.getoption("kerasspec_fuzz"),
            seed=config.getoption("kerasspec_fuzz_seed"),
            strict_errors=bool(config.getoption("kerasspec_strict_errors")),
            found_dir=config.getoption("kerasspec_found"),
            timeout=config.getoption("kerasspec_timeout"),
        )
        if result.found:
            details = "\n".join(f"{found.case_id} ({found.outcome}): {found.detail}" for found in result.found)
            raise AssertionError(f"the fuzzer found {len(result.found)} minimal failing case(s):\n{details}")

    def reportinfo(self) -> tuple[str, int, str]:
        return "kerasspec", 0, "kerasspec fuzz"


class CorpusCollector(pytest.Collector):
    """The selected corpus cases, in manifest order."""

    def collect(self) -> Iterator[pytest.Item]:
        from kerasspec import corpus
        from kerasspec.harness import _known
        from kerasspec.harness._runner import handings

        config = self.config
        try:
            loaded = corpus.load(config.getoption("kerasspec_corpus"))
            known_path = config.getoption("kerasspec_known_failures")
            known = _known.load(known_path) if known_path else None
        except (corpus.CorpusError, _known.KnownFailuresError) as error:
            raise pytest.UsageError(error.line()) from None
        selection = corpus.Selection(
            tuple(config.getoption("kerasspec_format")),
            tuple(config.getoption("kerasspec_release")),
            tuple(config.getoption("kerasspec_feature")),
            tuple(config.getoption("kerasspec_case")),
            tuple(config.getoption("kerasspec_kind")),
        )
        shared = _Session(config)
        config.add_cleanup(shared.close)
        containers = shared.reads().containers
        for case in handings(loaded.select(selection), containers, loaded):
            item = CaseItem.from_parent(self, name=_name(case, containers), case=case, session_parser=shared)
            reason = known.reason(case.id, case.container) if known is not None else None
            if reason is not None:
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True, raises=KerasspecFailure))
            yield item
        if config.getoption("kerasspec_fuzz"):
            yield FuzzItem.from_parent(self, name="fuzz", session_parser=shared)


def _name(case: Any, containers: Any) -> str:
    """The test's name: the case id, and for a reader of files the container unless the id names it
    (as the reports label a result: a case handed as its own ``.json`` is the case id alone)."""
    if containers is None or case.container in (None, "to_json") or case.id.endswith(f"/{case.container}"):
        return str(case.id)
    return f"{case.id}[{case.container}]"


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _enabled(config):
        return
    collector = CorpusCollector.from_parent(session, name="kerasspec", nodeid="kerasspec")
    items.extend(collector.collect())


def pytest_collection_finish(session: pytest.Session) -> None:
    """Plan the answers in the final order of the items (after deselection and reordering)."""
    cases = [item for item in session.items if isinstance(item, CaseItem)]
    if cases:
        cases[0].session_parser.planned = [item.case for item in cases]
