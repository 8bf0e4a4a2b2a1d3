"""Untrusted text made safe to show: on one line, without control sequences, of a readable length.

Names, keys and messages come from model files and from parsers under test; printed as they are,
a newline forges a second error line, ``ESC [`` or ``ESC ]`` sequences drive the terminal, and a
50 MB layer name becomes a 50 MB line. :func:`printable` escapes every character that is not
printable (controls, line separators, bidirectional overrides, lone surrogates) the way Python's
``repr`` does, and cuts the middle out of long text.
"""

from __future__ import annotations

#: Characters kept of a long text: the start (most of it) and the end.
LIMIT = 400

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str, limit: int | None = LIMIT, *, keep: str = "") -> str:
    """``text`` with non-printable characters escaped (``\\n``, ``\\x1b``, ``\\u202e``), cut to about ``limit``.

    Characters in ``keep`` (say ``"\\n"`` for a multi-line report block) are left as they are.
    """
    if limit is not None and len(text) > limit:
        tail = limit // 4
        text = f"{text[: limit - tail - 3]}...{text[-tail:]}"
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char in keep else _escape(char) for char in text)


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def reason(error: BaseException) -> str:
    """Why an operation failed, in words: the OS's reason (``No such file or directory``) or the message."""
    return getattr(error, "strerror", None) or str(error) or type(error).__name__
