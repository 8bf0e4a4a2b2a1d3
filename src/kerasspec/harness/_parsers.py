"""The parsers a run can drive, each turning one case into an :class:`Answer`.

* :class:`ProtocolParser`: one persistent process on the protocol (``kerasspec check -- CMD``);
  restarted after a crash, a timeout or a protocol error, so one bad case never poisons the next.
* :class:`PerCaseParser`: one process per case for command-line parsers (``--per-case``).
* :class:`FunctionParser`: a Python callable, in a worker thread (``kerasspec.check(fn)``).

A parser that misbehaves yields an answer (crash, timeout, protocol-error), never an exception.
A protocol reader may ask at start for model files instead of text (``containers``) and may be a
scanner (``track``): :func:`declared` says what it asked for.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kerasspec import containers as _containers
from kerasspec.corpus import Case
from kerasspec.harness import _process, _protocol
from kerasspec.harness._outcomes import Answer, document_json, rejection
from kerasspec.vocabulary import CONTAINERS, EXIT_BAD_INPUT, FORMATS, Track

#: After this many failed starts in a row the parser is not started again; remaining cases get the last failure.
MAX_START_FAILURES = 3
_ERROR_LINE = re.compile(r"error\[([^\]]+)\]:\s*(.*?)(?: at (\$\S*))?\s*$")
_excerpt = _protocol.excerpt


def _tail(stderr: str, limit: int = 2000) -> str:
    stderr = stderr.strip()
    return stderr if len(stderr) <= limit else "..." + stderr[-limit:]


def _crash_detail(status: int | None, stderr: str, partial: bytes = b"") -> str:
    detail = _process.describe_status(status)
    if partial:
        detail += f"; unfinished reply: {_excerpt(partial)!r}"
    if stderr.strip():
        detail += f"; stderr: {_tail(stderr)}"
    return detail


def _plain_document_reply(reply: Any) -> bool:
    """``{"seq": <int>, "document": {...}}`` exactly: a subset of what parse-reply.json accepts."""
    return (
        type(reply) is dict
        and len(reply) == 2
        and type(reply.get("seq")) is int
        and reply["seq"] >= 1
        and type(reply.get("document")) is dict
    )


@dataclass(frozen=True)
class Reads:
    """What a reader declared beyond its formats: its track, and the containers it reads files of
    (``None``: it reads the model JSON as text)."""

    track: Track = "parser"
    containers: tuple[str, ...] | None = None


def declared(parser: object) -> Reads:
    """What ``parser`` reads (a protocol parser starts to tell); text on the parser track for the others."""
    reads = getattr(parser, "reads", None)
    found = reads() if callable(reads) else None
    return found if isinstance(found, Reads) else Reads()


class Parser(Protocol):
    """What the runner needs from a parser under test."""

    def answer(self, case: Case, text: str) -> Answer: ...

    def answers(self, work: Iterable[tuple[Case, str]]) -> Iterator[tuple[Case, Answer, float]]: ...

    def describe(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


@dataclass(slots=True)
class _Request:
    """A case on its way through a protocol parser."""

    case: Case
    text: str
    seq: int
    queued_at: float = field(default_factory=time.monotonic)
    sent_at: float | None = None  # None: not (or no longer) in the current process's pipe
    end: int = 0  # where its line ends in the process's input stream
    replied_at: float | None = None  # when its reply line was complete
    file: Path | None = None  # the model file it hands a reader of containers, while it is in flight


def hand_file(folder: Path, stem: str, case: Case, text: str) -> Path:
    """Write ``text`` as a file of ``case``'s container into ``folder`` (spec/protocol.md#containers)."""
    container = case.container or "to_json"
    # An invalid case is judged on its JSON alone: its file names no release, which a reader of the file
    # could use to date an undated model_config and read what the JSON alone cannot (keras2-old-era-2).
    producer = case.producer if case.kind != "invalid" else None
    data = _containers.file_bytes(
        container, text, producer.version_text if producer else None, producer.backend if producer else None
    )
    path = folder / f"{stem}{_containers.FILE_SUFFIXES[container]}"
    path.write_bytes(data)
    return path


def refusal(reader: Any, case: Case) -> str | None:
    """Why ``case`` is not handed to ``reader`` (a format or container it did not declare), or ``None``."""
    formats, containers = reader.formats, reader.containers
    if formats is not None and case.format not in formats:
        return f"the parser reads {', '.join(formats)}, not {case.format}"
    if containers is not None and (case.container or "to_json") not in containers:
        producer = case.producer
        if producer is not None and not set(containers) & set(producer.containers):
            written = ", ".join(producer.containers)
            return f"the parser reads {', '.join(containers)} files; {producer.release} writes {written}"
        return f"the parser reads {', '.join(containers)} files, not {case.container or 'to_json'}"
    return None


def one_at_a_time(parser: Parser, work: Iterable[tuple[Case, str]]) -> Iterator[tuple[Case, Answer, float]]:
    """``answers`` for parsers that take one case at a time: ``(case, answer, seconds)`` in order."""
    for case, text in work:
        started = time.monotonic()
        answer = parser.answer(case, text)
        yield case, answer, time.monotonic() - started


class _Command:
    """A parser run as a program: its command line and the bounds it runs under."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 5.0,
        env: Mapping[str, str] | None = None,
        max_reply_bytes: int = 64 << 20,
        stderr_tail_bytes: int = 8192,
    ) -> None:
        self.argv = list(argv)
        self.timeout = timeout
        self.env = env
        self.max_reply_bytes = max_reply_bytes
        self.stderr_tail_bytes = stderr_tail_bytes

    def _spawn(self, argv: Sequence[str], *, stdin: bool = True) -> _process.Child:
        return _process.Child(
            argv,
            env=self.env,
            max_reply_bytes=self.max_reply_bytes,
            stderr_tail_bytes=self.stderr_tail_bytes,
            stdin=stdin,
        )

    def _unstartable(self, error: OSError) -> Answer:
        return Answer("crash", detail=f"cannot start {self.argv[0]!r}: {error.strerror or error}")


class ProtocolParser(_Command):
    """A persistent process speaking the protocol on stdin/stdout.

    ``start_timeout`` bounds the handshake separately from the per-case ``timeout``: a parser that
    loads a runtime (a JVM, TensorFlow.js) may take far longer to start than to answer a case.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        start_timeout: float = 30.0,
        window: int = 16,
        window_bytes: int = 16 << 20,
        **settings: Any,
    ) -> None:
        super().__init__(argv, **settings)
        self.start_timeout = start_timeout
        self.window = window  # requests in flight at most (1: strictly one at a time)
        self.window_bytes = window_bytes  # and at most this much model text queued
        self._ready_at = 0.0  # when the parser last answered (or started): its clock for the next case
        self.implementation: dict[str, Any] | None = None
        self.formats: tuple[str, ...] | None = None
        self.track: Track = "parser"
        self.containers: tuple[str, ...] | None = None  # None: the reader reads text
        self._folder: Path | None = None  # where the model files handed to it are written
        self._unreported: Answer | None = None  # a failed start before the first case (in reads)
        self.starts = 0
        self.startup_problem: str | None = None  # set when the parser will not be started again
        self._child: _process.Child | None = None
        self._seq = 0
        self._start_failures = 0
        self._given_up: Answer | None = None  # the answer for every case once the parser is given up on

    # --- lifecycle -----------------------------------------------------------------------

    def _start(self) -> Answer | None:
        """Start the process and shake hands; an answer (the failure) if that did not work."""
        if self._given_up is not None:
            return self._given_up
        failure, permanent = self._handshake()
        if failure is None:
            self._start_failures = 0
            return None
        self._start_failures += 1
        if permanent or self._start_failures >= MAX_START_FAILURES:
            # Retrying a parser that cannot start would spend a timeout per case for nothing.
            self.startup_problem = (
                failure.detail
                if permanent
                else f"the parser failed to start {self._start_failures} times in a row; "
                f"not starting it again (last: {failure.detail})"
            )
            self._given_up = Answer(failure.kind, detail=f"not run: {self.startup_problem}")
        return failure

    def _handshake(self) -> tuple[Answer | None, bool]:
        """``(failure, permanent)``: permanent failures (no program, wrong version) are not retried."""
        try:
            self._child = self._spawn(self.argv)
        except OSError as error:
            return self._unstartable(error), True
        self.starts += 1
        event = self._child.exchange(_protocol.encode(_protocol.start()), self.start_timeout)
        failure = self._failure(event, "start")
        if failure is not None:
            return failure, False
        assert isinstance(event, _process.Line)
        reply, problem = self._decode(event.data, "start-reply")
        if problem is not None:
            self._discard()
            return Answer("protocol-error", detail=f"during start: {problem}"), False
        if reply["version"] != _protocol.PROTOCOL_VERSION:
            self._discard()
            mismatch = (
                f"the parser speaks protocol version {reply['version']}; this harness speaks version "
                f"{_protocol.PROTOCOL_VERSION} (spec/protocol.md); refusing it"
            )
            return Answer("protocol-error", detail=mismatch), True
        self.implementation = reply["implementation"]
        self.formats = tuple(reply["formats"])
        self.track = reply.get("track", "parser")
        self.containers = tuple(reply["containers"]) if "containers" in reply else None
        self._ready_at = time.monotonic()
        return None, False

    def _discard(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child = None

    def reads(self) -> Reads:
        """What the parser declared at start (it is started to tell, if it has not been)."""
        if self.implementation is None and self._child is None and self._given_up is None:
            self._unreported = self._start()  # a failure is the first case's answer, as if it started there
        return Reads(self.track, self.containers)

    def close(self) -> None:
        """Send ``stop`` and give the parser a moment to exit; kill it otherwise."""
        folder, self._folder = self._folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        child, self._child = self._child, None
        if child is None:
            return
        if child.idle:  # after an interrupted run requests may still be queued: then end of input says it
            child.send(_protocol.encode(_protocol.stop()))
            child.flush(1.0)
        child.close_stdin()
        child.wait(timeout=2.0)
        child.kill()

    # --- cases ---------------------------------------------------------------------------

    def answer(self, case: Case, text: str) -> Answer:
        """The answer for one case (no pipelining)."""
        return next(iter(self.answers([(case, text)])))[1]

    def answers(self, work: Iterable[tuple[Case, str]]) -> Iterator[tuple[Case, Answer, float]]:
        """Answer every ``(case, text)`` in order, with up to ``window`` requests in flight.

        Keeping requests queued in the pipe spares a round trip per case; each case's timeout
        still runs from the moment the parser could start on it (the previous reply, or its
        sending). When the head request fails, the process is discarded and the requests behind it
        are sent again, with the same ``seq``, to a fresh one.
        """
        source = iter(work)
        queue: deque[_Request] = deque()
        more = True
        while True:
            while more and len(queue) < self.window and sum(len(r.text) for r in queue) < self.window_bytes:
                item = next(source, None)
                if item is None:
                    more = False
                    break
                self._seq += 1
                queue.append(_Request(item[0], item[1], self._seq))
            if not queue:
                return
            head = queue[0]
            answer = self._dispatch(queue) or self._await(head)
            queue.popleft()
            if head.file is not None:
                head.file.unlink(missing_ok=True)  # answered: the reader has no more use for it
            if self._child is None:
                for request in queue:
                    request.sent_at = None  # the process that had them is gone: send them again
            started = head.sent_at or head.queued_at
            yield head.case, answer, (head.replied_at or time.monotonic()) - started
            # The harness's own work on the reply (decoding, judging, writing results) is not the
            # parser's: the next case's clock starts when the harness is ready to read it again.
            self._ready_at = time.monotonic()

    def _dispatch(self, queue: deque[_Request]) -> Answer | None:
        """Start the process if needed and send what is unsent; an answer if the head cannot be sent."""
        head = queue[0]
        if self._child is None:
            failure, self._unreported = self._unreported or self._start(), None
            if failure is not None:
                return failure
        refusal = self._refusal(head.case)
        if refusal is not None:
            return Answer("unsupported", detail=refusal)
        assert self._child is not None
        now = time.monotonic()
        for request in queue:
            if request.sent_at is None and self._refusal(request.case) is None:
                try:
                    message = self._request(request)
                except ImportError as error:  # the h5 container needs h5py, the `h5` extra
                    if request is head:
                        return Answer("unsupported", detail=f"the harness cannot build this file: {error}")
                    break  # sent once it is the head, and refused then
                request.end = self._child.send(_protocol.encode(message))
                request.sent_at = now
        return None

    def _refusal(self, case: Case) -> str | None:
        """Why ``case`` is not sent (a format or container the parser did not declare), or ``None``."""
        return refusal(self, case)

    def _request(self, request: _Request) -> dict[str, Any]:
        """The ``parse`` request: the text, or for a reader of containers the file built from it."""
        if self.containers is None:
            return _protocol.parse(request.seq, request.case.id, request.text)
        if request.file is None:  # a request sent again after a restart reuses its file
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="kerasspec-files-"))
            request.file = hand_file(self._folder, str(request.seq), request.case, request.text)
        return _protocol.parse_file(
            request.seq, request.case.id, request.case.container or "to_json", str(request.file)
        )

    def _await(self, head: _Request) -> Answer:
        """The head request's reply, judged as protocol; the process is discarded on any failure."""
        assert self._child is not None and head.sent_at is not None
        # The parser works in order, so the head's clock starts at its sending or the last reply.
        head.sent_at = max(head.sent_at, self._ready_at)
        event = self._child.receive(max(0.0, head.sent_at + self.timeout - time.monotonic()))
        head.replied_at = self._ready_at = time.monotonic()
        failure = self._failure(event, "parse")
        if failure is not None:
            return failure
        assert isinstance(event, _process.Line)
        reply, problem = self._decode(event.data, "parse-reply")
        if problem is None and reply["seq"] != head.seq:
            problem = f"reply for seq {reply['seq']}, expected seq {head.seq}"
        if problem is None:
            problem = self._off_track(reply)
        if problem is not None:
            self._discard()  # the stream is out of step; a fresh process is the only safe state
            return Answer("protocol-error", detail=problem)
        if self._child.written < head.end:
            # It answered before reading all of its request: what follows in the pipe is garbled.
            self._discard()
        if "error" in reply:
            return Answer("error", error=reply["error"])
        if "findings" in reply:
            return Answer("findings", findings=reply["findings"])
        return Answer("document", document=reply["document"])

    def _off_track(self, reply: dict[str, Any]) -> str | None:
        """Why a reply is not of the parser's track (a document from a scanner, findings from a parser)."""
        if self.track == "scanner" and "document" in reply:
            return "a scanner replies with findings or an error, not a document"
        if self.track != "scanner" and "findings" in reply:
            return "findings come from a scanner; this parser declared no track (parser): a document or an error"
        return None

    def _failure(self, event: _process.Event, during: str) -> Answer | None:
        when = "during start: " if during == "start" else ""
        limit = self.start_timeout if during == "start" else self.timeout
        if isinstance(event, _process.Line):
            return None
        self._discard()  # dead, hung or out of step: the next case gets a fresh process
        if isinstance(event, _process.Exited):
            detail = when + _crash_detail(event.status, event.stderr, event.partial)
            if event.held:
                detail += "; its stdout was still held open by a process it started"
            return Answer("crash", detail=detail)
        if isinstance(event, _process.TimedOut):
            detail = f"{when}no reply within {limit:g} s"
            if event.partial:
                detail += f"; unfinished reply: {_excerpt(event.partial)!r}"
            return Answer("timeout", detail=detail)
        assert isinstance(event, _process.TooLong)
        return Answer("protocol-error", detail=f"{when}reply longer than {event.limit} bytes")

    @staticmethod
    def _decode(data: bytes, schema: str) -> tuple[Any, str | None]:
        reply, problem = _protocol.decode(data)
        if problem is not None:
            return None, f"reply {problem}"
        if schema == "parse-reply" and _plain_document_reply(reply):
            return reply, None  # the common case, which the schema accepts, without the validator's cost
        return reply, _protocol.problem(schema, reply)

    def describe(self) -> dict[str, Any]:
        return {
            "mode": "protocol",
            "command": self.argv,
            "implementation": self.implementation,
            "formats": list(self.formats) if self.formats is not None else None,
            "starts": self.starts,
            "startup_problem": self.startup_problem,
            "track": self.track,
            "containers": list(self.containers) if self.containers is not None else None,
        }


class PerCaseParser(_Command):
    """A command run once per case with the model file's path: stdout the document, exit 65 rejected.

    Declared on the command line, as a protocol reader declares them at start: ``containers`` hands
    each case as a real file of each container (spec/protocol.md#containers), and the ``scanner``
    track reads standard output as ``{"findings": [...]}`` (spec/protocol.md#per-case-mode).
    """

    PLACEHOLDER = "{}"

    def __init__(
        self,
        argv: Sequence[str],
        *,
        containers: Sequence[str] | None = None,
        track: Track = "parser",
        **settings: Any,
    ) -> None:
        super().__init__(argv, **settings)
        self.runs = 0
        self.formats: tuple[str, ...] | None = None  # not declared in this mode: every case is sent
        # In the spec's order, however given (a reader lists them once in its start reply).
        self.containers = tuple(c for c in CONTAINERS if c in containers) if containers else None
        self.track: Track = track

    def reads(self) -> Reads:
        """What the command line declared for the command."""
        return Reads(self.track, self.containers)

    def _command(self, path: str) -> list[str]:
        if self.PLACEHOLDER not in self.argv:
            return [*self.argv, path]
        return [path if arg == self.PLACEHOLDER else arg for arg in self.argv]

    def answer(self, case: Case, text: str) -> Answer:
        refused = refusal(self, case)
        if refused is not None:
            return Answer("unsupported", detail=refused)
        if self.containers is None:
            return self._run(str(case.input_path.resolve()))
        with tempfile.TemporaryDirectory(prefix="kerasspec-files-") as folder:
            try:
                path = hand_file(Path(folder), str(self.runs + 1), case, text)
            except ImportError as error:  # the h5 container needs h5py, the `h5` extra
                return Answer("unsupported", detail=f"the harness cannot build this file: {error}")
            return self._run(str(path))

    def _run(self, path: str) -> Answer:
        try:
            child = self._spawn(self._command(path), stdin=False)
        except OSError as error:
            return self._unstartable(error)
        self.runs += 1
        try:
            output, timed_out = child.collect(self.timeout)
            if timed_out:
                return Answer("timeout", detail=f"no exit within {self.timeout:g} s")
            if len(output) > self.max_reply_bytes:
                return Answer("protocol-error", detail=f"output longer than {self.max_reply_bytes} bytes")
            status = child.wait(timeout=self.timeout)
            answer = self._interpret(status, output, child.stderr_tail)
        finally:
            child.kill()
        return self._findings(answer) if self.track == "scanner" else answer

    @staticmethod
    def _findings(answer: Answer) -> Answer:
        """A scanner's standard output: ``{"findings": [...]}``, checked as the protocol's reply is."""
        if answer.kind != "document":
            return answer
        found = answer.document.get("findings") if type(answer.document) is dict else None
        problem = (
            _protocol.problem("parse-reply", {"seq": 1, "findings": found})
            if isinstance(found, list)
            else "it holds no findings list"
        )
        if problem is not None:
            return Answer("protocol-error", detail=f'a scanner\'s stdout is {{"findings": [...]}}; {problem}')
        return Answer("findings", findings=found)

    @staticmethod
    def _interpret(status: int | None, output: bytes, stderr: str) -> Answer:
        if status == EXIT_BAD_INPUT:
            lines = [m for m in map(_ERROR_LINE.match, stderr.strip().splitlines()) if m]
            if not lines:
                return Answer("error", error={"code": "unknown", "message": _tail(stderr, 500)})
            code, message, path = lines[-1].groups()
            error = {"code": code, "message": message}
            if path:
                error["path"] = path
            return Answer("error", error=error)
        if status != 0:
            return Answer("crash", detail=_crash_detail(status, stderr))
        document, problem = _protocol.decode(output)
        if problem is not None:
            return Answer("protocol-error", detail=f"stdout {problem}")
        return Answer("document", document=document)

    def answers(self, work: Iterable[tuple[Case, str]]) -> Iterator[tuple[Case, Answer, float]]:
        return one_at_a_time(self, work)

    def close(self) -> None:
        """Nothing persists between cases."""

    def describe(self) -> dict[str, Any]:
        return {
            "mode": "per-case",
            "command": self.argv,
            "implementation": {"name": self.argv[0].rsplit("/", 1)[-1], "version": "", "language": ""},
            "formats": None,
            "starts": self.runs,
            "startup_problem": None,
            "track": self.track,
            "containers": list(self.containers) if self.containers is not None else None,
        }


class FunctionParser:
    """A Python callable ``fn(text) -> document``, each case in a worker thread bounded by the timeout.

    A call that overruns is abandoned (a thread cannot be killed); use a protocol adapter when
    a parser can hang for good.
    """

    def __init__(
        self,
        function: Callable[[str], Any],
        *,
        timeout: float = 5.0,
        implementation: Mapping[str, str] | None = None,
        formats: Sequence[str] = FORMATS,
    ) -> None:
        self.function = function
        self.timeout = timeout
        self.formats = tuple(formats)
        name = getattr(function, "__qualname__", repr(function))
        self.implementation = dict(implementation or {"name": name, "version": "", "language": "python"})

    def answer(self, case: Case, text: str) -> Answer:
        if case.format not in self.formats:
            return Answer("unsupported", detail=f"the parser reads {', '.join(self.formats)}, not {case.format}")
        box: list[Answer] = []
        worker = threading.Thread(target=self._call, args=(text, box), daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive() or not box:
            return Answer("timeout", detail=f"no result within {self.timeout:g} s (the call was abandoned)")
        return box[0]

    def _call(self, text: str, box: list[Answer]) -> None:
        try:
            document = document_json(self.function(text))
        except BaseException as error:
            found = rejection(error)
            if found is None:
                box.append(Answer("crash", detail=_tail(traceback.format_exc())))
            else:
                box.append(Answer("error", error=found))
            return
        if _protocol.nests_deeper(document, _protocol.MAX_REPLY_DEPTH):
            box.append(
                Answer("protocol-error", detail=f"document nests deeper than {_protocol.MAX_REPLY_DEPTH} levels")
            )
            return
        box.append(Answer("document", document=document))

    def answers(self, work: Iterable[tuple[Case, str]]) -> Iterator[tuple[Case, Answer, float]]:
        return one_at_a_time(self, work)

    def close(self) -> None:
        """Nothing to stop."""

    def describe(self) -> dict[str, Any]:
        return {
            "mode": "function",
            "command": None,
            "implementation": self.implementation,
            "formats": list(self.formats),
            "starts": 1,
            "startup_problem": None,
        }
