"""A block of a source file's text with the file lines it spans: what ingest reads and cites.

Its own module so that the readers that build blocks (`sources` for text files, `placement` for
web pages) share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    """A paragraph (or heading, or list item) with the inclusive 1-based lines it spans."""

    line_start: int
    line_end: int
    text: str
    lines: tuple[tuple[int, int], ...]  # (line number, offset in `text` where that line starts)

    def line_at(self, offset: int) -> int:
        line = self.lines[0][0]
        for number, start in self.lines:
            if start > offset:
                break
            line = number
        return line

    @property
    def broken_text(self) -> str:
        """`text` with a line break where one source line ends and the next begins (the same
        length, so offsets hold): where a sentence with no full stop ends ("…했다" at a line's end)."""
        chars = list(self.text)
        for _, start in self.lines[1:]:
            if 0 < start <= len(chars) and chars[start - 1] == " ":
                chars[start - 1] = "\n"
        return "".join(chars)
