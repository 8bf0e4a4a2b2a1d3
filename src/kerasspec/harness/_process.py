"""A child process spoken to over pipes, without ever blocking on it.

Every read and write goes through a selector with a deadline, so a parser that hangs, stops
reading its stdin, or floods its stderr cannot stall the harness. What is kept from the child is
bounded: one reply line (``max_reply_bytes``) and the tail of stderr (``stderr_tail_bytes``); the
rest of a stderr flood is read and dropped so the child never blocks on a full pipe. Children run in
their own process group (session), and killing one kills the whole group.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_CHUNK = 1 << 20
#: How often a wait checks whether the child is still alive, and how long output is still read after it
#: exits: a process the child started may hold its stdout open for ever.
_POLL = 0.1
_EXIT_GRACE = 0.5


@dataclass(frozen=True, slots=True)
class Line:
    """One complete line from the child's stdout (without the newline)."""

    data: bytes


@dataclass(frozen=True, slots=True)
class Exited:
    """The child closed its stdout (it died or exited) before a complete line.

    ``held`` when the child exited but its stdout stayed open, held by a process it started.
    """

    status: int | None
    partial: bytes
    stderr: str
    held: bool = False


@dataclass(frozen=True, slots=True)
class TimedOut:
    partial: bytes
    stderr: str


@dataclass(frozen=True, slots=True)
class TooLong:
    limit: int
    stderr: str


Event = Line | Exited | TimedOut | TooLong


def describe_status(status: int | None) -> str:
    """``exit status 3`` or ``killed by signal SIGSEGV``."""
    if status is None:
        return "exit status unknown"
    if status < 0:
        try:
            return f"killed by signal {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exit status {status}"


class Child:
    """A running child process with non-blocking, deadline-bound pipes."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        max_reply_bytes: int = 64 << 20,
        stderr_tail_bytes: int = 8192,
        stdin: bool = True,
    ) -> None:
        self.max_reply_bytes = max_reply_bytes
        self.stderr_tail_bytes = stderr_tail_bytes
        self.process = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=None if env is None else dict(env),
            cwd=cwd,
            start_new_session=True,  # its own process group: a timeout kills grandchildren too
            bufsize=0,
        )
        assert self.process.stdout is not None and self.process.stderr is not None
        self._out = self.process.stdout.fileno()
        self._err = self.process.stderr.fileno()
        self._in = self.process.stdin.fileno() if self.process.stdin is not None else None
        for fd in (self._out, self._err, self._in):
            if fd is not None:
                os.set_blocking(fd, False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._out, selectors.EVENT_READ)
        self._selector.register(self._err, selectors.EVENT_READ)
        self._buffer = bytearray()
        self._scanned = 0  # how much of _buffer is known to hold no newline
        self._stderr = bytearray()
        self._out_open = True
        self._err_open = True
        self._outgoing: deque[memoryview] = deque()  # input queued for the child, in order
        self._queued_end = 0  # stream offset where the queued input ends
        self._in_closed = False
        self.written = 0  # bytes of input the child's stdin pipe has taken
        self._exited_at: float | None = None  # when the child was first seen to have exited

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def stderr_tail(self) -> str:
        return self._stderr.decode("utf-8", "replace")

    def send(self, message: bytes) -> int:
        """Queue ``message`` for the child's stdin (written while waiting in :meth:`receive`).

        Returns the offset in the input stream where the message ends: once :attr:`written`
        reaches it, the whole message is in the pipe.
        """
        if self._in is None or self._in_closed:
            return self._queued_end
        if not self._outgoing:
            self._selector.register(self._in, selectors.EVENT_WRITE)
        self._outgoing.append(memoryview(message))
        self._queued_end += len(message)
        return self._queued_end

    def receive(self, timeout: float) -> Event:
        """Wait up to ``timeout`` s for one line of stdout, writing queued input meanwhile."""
        deadline = time.monotonic() + timeout
        while True:
            line = self._take_line()
            if line is not None:
                return line
            if len(self._buffer) > self.max_reply_bytes:
                return TooLong(self.max_reply_bytes, self.stderr_tail)
            if not self._out_open:
                return Exited(self._reap(), bytes(self._buffer), self.stderr_tail)
            if self._gone():
                return Exited(self.process.returncode, bytes(self._buffer), self.stderr_tail, held=True)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return TimedOut(bytes(self._buffer), self.stderr_tail)
            self._pump(min(remaining, _POLL))

    def _gone(self) -> bool:
        """Whether the child exited more than the grace period ago (its stdout may still be open)."""
        if self._exited_at is None:
            if self.process.poll() is None:
                return False
            self._exited_at = time.monotonic()
        return time.monotonic() - self._exited_at > _EXIT_GRACE

    def flush(self, timeout: float) -> bool:
        """Write queued input for up to ``timeout`` s (reading output meanwhile); True if all went out."""
        deadline = time.monotonic() + timeout
        while self._outgoing and not self._in_closed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._pump(remaining)
        return not self._outgoing

    @property
    def idle(self) -> bool:
        """No input is waiting to be written."""
        return not self._outgoing

    def exchange(self, message: bytes | None, timeout: float) -> Event:
        """Write ``message`` (if any), then wait up to ``timeout`` s for one line of stdout."""
        if message:
            self.send(message)
        return self.receive(timeout)

    def collect(self, timeout: float) -> tuple[bytes, bool]:
        """Read stdout until end of file (per-case mode): ``(data, timed_out)``; bounded by max_reply_bytes."""
        deadline = time.monotonic() + timeout
        while self._out_open and len(self._buffer) <= self.max_reply_bytes and not self._gone():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return bytes(self._buffer), True
            self._pump(min(remaining, _POLL))
        return bytes(self._buffer), False

    def _pump(self, timeout: float) -> None:
        """Wait up to ``timeout`` s for the pipes, then move what they are ready for."""
        for key, _ in self._selector.select(timeout):
            if key.fd == self._in:
                self._write()
            elif key.fd == self._out:
                self._read_stdout()
            else:
                self._read_stderr()

    def _take_line(self) -> Line | None:
        index = self._buffer.find(b"\n", self._scanned)
        if index < 0:
            self._scanned = len(self._buffer)
            return None
        line = bytes(self._buffer[:index])
        del self._buffer[: index + 1]
        self._scanned = 0
        return Line(line)

    def _write(self) -> None:
        assert self._in is not None
        try:
            while self._outgoing:
                head = self._outgoing[0]
                count = os.write(self._in, head[:_CHUNK])
                self.written += count
                if count < len(head):
                    self._outgoing[0] = head[count:]
                    return  # the pipe is full; the selector says when it drains
                self._outgoing.popleft()
        except BlockingIOError:
            return
        except OSError:
            # The child stopped reading (it died, or closed stdin); its stdout tells the rest.
            self._outgoing.clear()
            self._in_closed = True
        self._selector.unregister(self._in)

    def _read(self, fd: int) -> bytes | None:
        """One chunk from ``fd``; ``b""`` when nothing is ready, ``None`` at end of file (then unregistered)."""
        try:
            chunk = os.read(fd, _CHUNK)
        except BlockingIOError:
            return b""
        if not chunk:
            self._selector.unregister(fd)
            return None
        return chunk

    def _read_stdout(self) -> None:
        chunk = self._read(self._out)
        if chunk is None:
            self._out_open = False
        else:
            self._buffer += chunk

    def _read_stderr(self) -> None:
        chunk = self._read(self._err)
        if chunk is None:
            self._err_open = False
            return
        self._stderr += chunk
        if len(self._stderr) > self.stderr_tail_bytes:
            del self._stderr[: len(self._stderr) - self.stderr_tail_bytes]

    def _drain_stderr(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self._err_open and time.monotonic() < deadline:
            self._pump(max(0.0, deadline - time.monotonic()))

    def _reap(self, grace: float = 1.0) -> int | None:
        """The exit status once stdout is closed; a child that lingers after closing it is killed."""
        self._drain_stderr(grace)
        try:
            return self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.process.returncode

    def wait(self, timeout: float) -> int | None:
        """The exit status, waiting up to ``timeout`` s; the child is killed if it is still running."""
        self._drain_stderr(min(timeout, 0.2))
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.process.returncode

    def close_stdin(self) -> None:
        if self._in is not None and self._outgoing:
            self._selector.unregister(self._in)
            self._outgoing.clear()
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
            self.process.stdin = None
            self._in = None

    def kill(self) -> None:
        """Kill the child's whole process group and reap it; safe to call twice."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self._close()

    def _close(self) -> None:
        self._selector.close()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
