"""Reading the JSON Lines files of every `briefing eval` command, row by row, naming lines.

`read_rows` decodes each line on its own, so a line that is not UTF-8, not JSON or not a JSON
object is named by its number (never a traceback, never "can't decode byte 0xff in position
81920"). Commands that skip unusable rows count these; those that need every row raise the
first one (`RowError`, one line: `FILE, line N: reason`).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class RowError(ValueError):
    """A row that cannot be used: one line naming the file and the line."""

    def __init__(self, path: Path, line: int | None, reason: str):
        super().__init__(f"{path}, line {line}: {reason}" if line else f"{path}: {reason}")
        self.line = line
        self.reason = reason


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """(line number, the row's JSON object, or the RowError saying why it is not one) for each
    non-blank line, in order."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield number, RowError(path, number, f"not UTF-8 (byte {exc.start + 1})")
                continue
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                yield number, RowError(path, number, f"not valid JSON ({exc})")
                continue
            except RecursionError:
                yield number, RowError(path, number, "not valid JSON (nested too deeply)")
                continue
            if not isinstance(row, dict):
                yield number, RowError(path, number, f"not a JSON object (a {type(row).__name__})")
                continue
            yield number, row


def strict_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Like `read_rows`, raising the first bad line; a file with no rows at all is an error too."""
    seen = False
    for number, row in read_rows(path):
        if isinstance(row, RowError):
            raise row
        seen = True
        yield number, row
    if not seen:
        raise RowError(path, None, "no rows (the file is empty)")
