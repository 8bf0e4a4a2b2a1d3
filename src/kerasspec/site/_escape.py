"""Text from results files made safe for a page: every string a parser wrote may be hostile.

A parser's name, error message, crash output and document can hold markup, terminal escapes,
bidirectional overrides and lone surrogates (which cannot even be written as UTF-8). Such
characters are shown as ``\\uXXXX`` escapes, then the text is escaped for HTML.
"""

from __future__ import annotations

import html
import re

# C0 and C1 controls (tab and newline kept), zero-width and bidirectional controls, BOM, surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def clean(text: str) -> str:
    """``text`` with every invisible, controlling or unencodable character written as ``\\uXXXX``."""
    return _UNSAFE.sub(_escape, text)


def text(value: object) -> str:
    """``value`` as HTML text or attribute value: cleaned, then escaped (quotes included)."""
    return html.escape(clean(str(value)), quote=True)
