"""The child-process layer: deadlines on every pipe operation and bounded buffers."""

from __future__ import annotations

import sys
import time

from kerasspec.harness import _process

PYTHON = sys.executable


def child(code: str, **options) -> _process.Child:
    return _process.Child([PYTHON, "-c", code], **options)


def test_a_reply_before_the_request_was_read_shows_in_the_written_count():
    # ProtocolParser retires a process whose reply came before its request was fully written.
    reader = child("import sys; sys.stdin.buffer.read(10); print('early', flush=True); import time; time.sleep(30)")
    try:
        end = reader.send(b"x" * (4 << 20) + b"\n")  # far more than a pipe holds
        assert reader.receive(timeout=10) == _process.Line(b"early")
        assert reader.written < end
        assert not reader.idle
    finally:
        reader.kill()


def test_a_child_that_never_reads_cannot_block_the_write():
    stubborn = child("import time; time.sleep(30)")
    started = time.monotonic()
    try:
        event = stubborn.exchange(b"y" * (4 << 20) + b"\n", timeout=0.5)
        assert isinstance(event, _process.TimedOut)
        assert time.monotonic() - started < 5
    finally:
        stubborn.kill()


def test_exit_reports_status_partial_output_and_stderr_tail():
    dying = child(
        "import sys; sys.stderr.write('e' * 100000 + 'LAST'); sys.stdout.write('half'); sys.exit(9)",
        stderr_tail_bytes=64,
    )
    event = dying.exchange(None, timeout=10)
    assert isinstance(event, _process.Exited)
    assert (event.status, event.partial) == (9, b"half")
    assert len(event.stderr) == 64
    assert event.stderr.endswith("LAST")
    dying.kill()


def test_killing_takes_the_whole_process_group():
    parent = child(
        "import subprocess, sys, time\n"
        "grandchild = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print(grandchild.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    event = parent.exchange(None, timeout=10)
    assert isinstance(event, _process.Line)
    grandchild = int(event.data)
    parent.kill()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _running(grandchild):
        time.sleep(0.05)
    assert not _running(grandchild)


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for whoever reaps orphans here)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_signal_names():
    assert _process.describe_status(-11) == "killed by signal SIGSEGV"
    assert _process.describe_status(3) == "exit status 3"
