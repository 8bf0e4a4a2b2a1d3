"""A reader's badge: a small SVG (``kerasspec | 8,123/9,535``) coloured by its pass rate."""

from __future__ import annotations

from kerasspec.site import _colours
from kerasspec.site._escape import text

_CHAR = 7  # px per character of 11 px Verdana-like text: close enough for short labels
_PAD = 6


def svg(label: str, value: str, rate: float | None) -> str:
    """The badge as SVG text; ``label`` and ``value`` are escaped."""
    left, right = len(label) * _CHAR + 2 * _PAD, len(value) * _CHAR + 2 * _PAD
    width = left + right
    colour = _colours.bucket(rate).badge
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{text(label)}: {text(value)}"><title>{text(label)}: {text(value)}</title>'
        f'<rect width="{left}" height="20" fill="{_colours.BADGE_LABEL}"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        '<g fill="#ffffff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{left / 2:g}" y="14">{text(label)}</text>'
        f'<text x="{left + right / 2:g}" y="14">{text(value)}</text></g></svg>\n'
    )
