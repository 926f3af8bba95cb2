"""Covers and thumbnails drawn from a title (SVG): e-textbooks and resources look like books and videos.

Pure functions: :func:`cover_lines` wraps a title for the picture; the colour follows the subject, so the
books of one subject look alike. The views render ``k12/cover.svg`` with them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Dark enough for white text (contrast ≥ 4.5:1); the same table as the demo clips' title cards.
SUBJECT_COLOURS = {
    "chinese": "#9b2c2c",
    "math": "#0b5cad",
    "english": "#2f6b3a",
    "physics": "#3d4a9e",
    "chemistry": "#7a3f8f",
    "biology": "#2e6b4f",
    "history": "#7a4a1e",
    "geography": "#1f6470",
    "morality-law": "#8a2d4f",
    "politics": "#8a2d4f",
}
DEFAULT_COLOUR = "#33475b"


@dataclass(frozen=True)
class Cover:
    width: int
    height: int
    lines: list[str]
    colour: str
    font_size: int
    label: str

    @property
    def rows(self) -> list[tuple[int, str]]:
        """Each line with its baseline: 1.4 line height, starting a line below the top."""
        step = round(self.font_size * 1.4)
        return [(2 * self.font_size + index * step, line) for index, line in enumerate(self.lines)]


def _width(char: str) -> int:
    """Wide (CJK) characters count two columns, others one."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cover_lines(title: str, *, columns: int, max_lines: int) -> list[str]:
    """``title`` cut into lines of at most ``columns`` columns; the last line ends in … when it is cut."""
    lines: list[str] = []
    line, used = "", 0
    for char in title.strip():
        if used + _width(char) > columns:
            lines.append(line)
            line, used = "", 0
        line += char
        used += _width(char)
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def cover_for(*, title: str, subject_code: str | None, label: str, shape: str) -> Cover:
    """A book cover (``shape="book"``, 3:4) or a video thumbnail (``"thumb"``, 16:9)."""
    colour = SUBJECT_COLOURS.get(subject_code or "", DEFAULT_COLOUR)
    if shape == "book":
        return Cover(300, 400, cover_lines(title, columns=14, max_lines=5), colour, 30, label)
    return Cover(320, 180, cover_lines(title, columns=20, max_lines=3), colour, 22, label)
