"""How briefing recognises the files it wrote itself, so that it never reads them as sources
(an `--out` inside the input folder) and never mistakes someone else's file for one of them.

- a brief: `brief.<lang>.md` in a folder that also holds `brief.json` (the dated folder `run` writes);
- a review preview: an HTML page whose first line is `PREVIEW_MARK`;
- a translation: a file with its hidden sidecar beside it (`.NAME.ko.md.done.json`).
"""

from __future__ import annotations

import re
from pathlib import Path

PREVIEW_MARK = "<!-- briefing review preview; rewritten by each `briefing review --html` -->"
_BRIEF = re.compile(r"brief\.[a-z]{2}\.md")


def sidecar_path(output: Path) -> Path:
    """The hidden record beside a translation that says it is complete, and for what."""
    return output.with_name(f".{output.name}.done.json")


def starts_with_preview_mark(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            first = handle.read(len(PREVIEW_MARK.encode()) + 2)
    except OSError:
        return False
    return first.splitlines()[:1] == [PREVIEW_MARK.encode()]


def own_output(path: Path) -> str | None:
    """What `path` is when briefing wrote it ("a brief", "a review preview", "a translation"), else None."""
    if _BRIEF.fullmatch(path.name) and (path.parent / "brief.json").is_file():
        return "a brief"
    if path.suffix.lower() in (".html", ".htm") and starts_with_preview_mark(path):
        return "a review preview"
    if sidecar_path(path).is_file():
        return "a translation"
    return None
