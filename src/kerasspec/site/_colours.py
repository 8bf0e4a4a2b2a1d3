"""The site's colours: pass-rate buckets, text and links, each pair readable (WCAG AA).

One table is the source of the style sheet, the badges and the tests' contrast check.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT = "#1b1f24"
MUTED = "#555d66"
LINK = "#0550ae"
PAGE = "#ffffff"
PANEL = "#f3f5f7"  # code blocks and table heads
BADGE_LABEL = "#3b434b"


@dataclass(frozen=True, slots=True)
class Bucket:
    """A band of pass rates: its CSS class, its cell colour and its (darker) badge colour."""

    name: str
    lowest: float  # the smallest rate in the band
    cell: str
    badge: str
    words: str


# Highest band first; a rate falls in the first band whose lowest it reaches.
BUCKETS = (
    Bucket("all", 1.0, "#a7ecb4", "#1a7030", "every case passes"),
    Bucket("most", 0.9, "#d3f2c4", "#3d6b0e", "90% or more"),
    Bucket("half", 0.5, "#fff0a8", "#7a5500", "50% to 90%"),
    Bucket("some", 1e-12, "#ffd9b8", "#9a3c00", "under 50%"),
    Bucket("none", 0.0, "#ffcdc9", "#b3141f", "no case passes"),
)
NOT_ATTEMPTED = Bucket("na", -1.0, "#e6e9ed", "#555d66", "not attempted")


def bucket(rate: float | None) -> Bucket:
    """The band of a pass rate (``None``: nothing attempted)."""
    if rate is None:
        return NOT_ATTEMPTED
    return next(band for band in BUCKETS if rate >= band.lowest)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21; AA asks 4.5 for body text)."""
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pairs() -> list[tuple[str, str, str]]:
    """Every (what, foreground, background) pair the site draws text with."""
    found = [("text", TEXT, PAGE), ("muted", MUTED, PAGE), ("link", LINK, PAGE), ("code", TEXT, PANEL)]
    found += [("muted on panel", MUTED, PANEL), ("link on panel", LINK, PANEL)]
    for band in (*BUCKETS, NOT_ATTEMPTED):
        found += [(f"cell {band.name}", TEXT, band.cell), (f"badge {band.name}", "#ffffff", band.badge)]
    found.append(("badge label", "#ffffff", BADGE_LABEL))
    return found
