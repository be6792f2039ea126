"""A content hash of a local model folder: the "revision" in cache keys when there is no Hub commit.

    folder_revision(Path("models/opus-mt-tc-big-en-ko"))   # "3f1c0a9b2d4e6f70" (16 hex digits)

Hashes are memoised per process by the folder's path and its files' names, sizes and mtimes, so
asking again is free and a changed file gets a new hash.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_REVISIONS: dict[tuple, str] = {}


def folder_revision(path: Path) -> str:
    """A content hash of a local model folder, for cache keys.

    Small files (config, tokenizer) are hashed whole; a weights file by its name, size and first
    and last megabyte, so that a 1.6 GB checkpoint is fingerprinted in milliseconds and a different
    checkpoint of the same shape still gets a different key.
    """
    files = sorted(p for p in path.iterdir() if p.is_file())
    stamp = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    key = (str(path.resolve()), stamp)
    if key in _REVISIONS:
        return _REVISIONS[key]
    digest = hashlib.sha256()
    chunk = 1 << 20
    for p in files:
        size = p.stat().st_size
        digest.update(f"{p.name}\0{size}\0".encode())
        with p.open("rb") as fh:
            if size <= 4 * chunk:
                digest.update(fh.read())
            else:
                digest.update(fh.read(chunk))
                fh.seek(size - chunk)
                digest.update(fh.read(chunk))
    _REVISIONS[key] = digest.hexdigest()[:16]
    return _REVISIONS[key]
