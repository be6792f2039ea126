"""The one walk of an input folder, shared by `briefing run` (ingest) and `briefing translate`.

Never leaves the folder: a symbolic link is followed only when its target lies inside it. Hidden
files and folders (a name starting with ".") are passed over silently, the way tools skip them.
A link out of the folder, a broken or looping link, a FIFO, socket or device file with a wanted
name, a subfolder that cannot be listed, and a file the caller refuses by name (a PDF) each get
a `Passed` entry with its reason, so both commands say the same thing about the same folder.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# accept(path): True to take the file, False to pass over it silently, or the one-line reason it is refused.
Accept = Callable[[Path], "bool | str"]


@dataclass
class Passed:
    path: Path  # as walked: under the folder given
    reason: str
    link: bool = False  # `path` is a link: name the link, not its target


def walk(folder: Path, accept: Accept, recursive: bool = True) -> tuple[list[Path], list[Passed]]:
    """Accepted regular files in `folder` (and its subfolders when `recursive`), in a stable
    order, each file once, and what was passed over with a reason."""
    root = Path(os.path.realpath(folder))
    found: list[Path] = []
    passed: list[Passed] = []
    visited = {root}
    pending = [Path(folder)]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            passed.append(Passed(directory, f"cannot list this folder: {reason_of(exc)}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            verdict = accept(path)
            if entry.is_symlink():
                try:
                    mode = os.stat(path).st_mode
                except OSError as exc:
                    reason = "symbolic link loop" if exc.errno == errno.ELOOP else "broken symbolic link"
                    passed.append(Passed(path, reason, link=True))
                    continue
                if not Path(os.path.realpath(path)).is_relative_to(root):
                    if verdict is not False or (recursive and stat.S_ISDIR(mode)):
                        passed.append(Passed(path, "symbolic link to outside the input folder; not followed", link=True))
                    continue
            else:
                try:
                    mode = entry.stat(follow_symlinks=False).st_mode
                except OSError as exc:
                    passed.append(Passed(path, f"cannot read: {reason_of(exc)}"))
                    continue
            if stat.S_ISDIR(mode):
                real = Path(os.path.realpath(path))
                if recursive and real not in visited:  # a link to a folder already listed is not listed twice
                    visited.add(real)
                    pending.append(path)
            elif isinstance(verdict, str):
                passed.append(Passed(path, verdict))
            elif verdict and stat.S_ISREG(mode):
                found.append(path)
            elif verdict:
                passed.append(Passed(path, special_file(mode)))
    return _one_path_per_file(found), passed


def _one_path_per_file(paths: list[Path]) -> list[Path]:
    """A file reached by links too is read once, by its own path when that was listed."""
    chosen: dict[str, Path] = {}
    for path in sorted(paths):
        real = os.path.realpath(path)
        if real not in chosen or os.path.abspath(path) == real:
            chosen[real] = path
    return sorted(chosen.values())


def special_file(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "not a regular file (a named pipe, FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "not a regular file (a device file)"
    if stat.S_ISSOCK(mode):
        return "not a regular file (a socket)"
    return "not a regular file"


def reason_of(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()
