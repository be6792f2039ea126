"""A content-addressed cache of model outputs (SQLite in the user cache dir).

The key is a hash of everything that decides an output: model id and revision (and numeric mode),
prompt template, decoding settings and the input text. A daily re-run with one new article
therefore generates only for that article. Used for condensing and translating alike.

Robustness, because a cache must never break a run:

- two concurrent runs: WAL journal, a busy timeout, and ``INSERT OR REPLACE`` (same key, same
  value, so the last writer wins harmlessly); opening (journal mode, check, repair) is done under
  an advisory lock on ``<name>.lock`` so that two runs never repair the same file at once;
- a corrupt or foreign file is detected at open (``PRAGMA quick_check``), moved aside as
  ``<name>.corrupt-<time>`` and rebuilt. A file that is merely *locked* by another run is not
  corrupt: it is waited for, and if it stays locked the run goes on without a cache (moving it
  aside would send the other run's writes into the moved file); an error later in the run
  disables the cache for the rest of the run (recorded in ``Cache.problems``) instead of raising;
- a cache that cannot be written (a read-only file system, a file or folder without write
  permission) is read, not rebuilt: its outputs still answer, new ones are not stored, and a
  note says so; a file that cannot be moved aside is left alone and the run goes on without it.

Usage::

    cache = open_cache(cache_dir=None, enabled=True)   # --cache-dir, --no-cache
    key = make_key(fingerprint, prompt, settings, text)
    cache.get_many([key]) -> {key: value};  cache.put_many({key: value})
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
FILENAME = "outputs.sqlite"
_BUSY_WORDS = ("locked", "busy")


def _is_busy(exc: sqlite3.Error) -> bool:
    """True for 'database is locked' / 'busy': another connection holds it, nothing is corrupt."""
    return isinstance(exc, sqlite3.OperationalError) and any(w in str(exc).lower() for w in _BUSY_WORDS)


@contextmanager
def _opening_lock(path: Path):
    """An advisory lock on ``<path>.lock`` while a run opens (and may repair) the cache file."""
    try:
        import fcntl
    except ImportError:  # not POSIX: SQLite's own locking is all there is
        yield
        return
    try:
        handle = open(str(path) + ".lock", "a+b")
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # closing releases the lock


def default_cache_dir() -> Path:
    """The user cache dir for briefing (BRIEFING_CACHE_DIR overrides); see briefing.settings."""
    from briefing import settings

    return settings.cache_dir()


def make_key(fingerprint: str, prompt: str, settings: dict[str, Any], text: str) -> str:
    """SHA-256 over model fingerprint, prompt, canonical settings JSON and the input text."""
    payload = json.dumps(
        {
            "v": SCHEMA_VERSION,
            "model": fingerprint,
            "prompt": prompt,
            "settings": settings,
            "text": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class Cache:
    """The SQLite-backed cache; `enabled=False` makes every lookup miss and every store a no-op."""

    path: Path | None
    enabled: bool = True
    timeout: float = 30.0
    hits: int = 0
    misses: int = 0
    stores: int = 0
    problems: list[str] = field(default_factory=list)
    read_only: bool = False  # the file could not be written: read, nothing stored
    _conn: sqlite3.Connection | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.enabled and self.path is not None:
            self._open()
        else:
            self.enabled = False

    # ------------------------------------------------------------------ opening

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            self._retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = NORMAL")
            row = self._retry_busy(lambda: conn.execute("PRAGMA quick_check").fetchone())
            if not row or row[0] != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {row[0] if row else 'no answer'}")
            for statement in (
                "CREATE TABLE IF NOT EXISTS outputs (key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)",
                "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ):
                self._retry_busy(lambda: conn.execute(statement))
            self._retry_busy(lambda: conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),)))
        except BaseException:
            conn.close()
            raise
        return conn

    def _retry_busy(self, step):
        """Run `step`, retrying while the file is locked, for up to the timeout.

        SQLite's busy handler is not called for every lock (a journal-mode change can fail at
        once with 'database is locked'), so the wait is done here as well.
        """
        deadline = time.monotonic() + self.timeout
        pause = 0.01
        while True:
            try:
                return step()
            except sqlite3.Error as exc:
                if not _is_busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.25)

    def _connect_read_only(self) -> sqlite3.Connection:
        """The existing file opened for reading only (`immutable` where not even the WAL index
        can be made: a read-only file system)."""
        from urllib.parse import quote

        last: sqlite3.Error | None = None
        for options in ("mode=ro", "mode=ro&immutable=1"):
            conn = None
            try:
                conn = sqlite3.connect(f"file:{quote(str(self.path))}?{options}", uri=True, timeout=self.timeout,
                                       isolation_level=None, check_same_thread=False)
                row = conn.execute("PRAGMA quick_check").fetchone()
                if not row or row[0] != "ok":
                    raise sqlite3.DatabaseError(f"quick_check: {row[0] if row else 'no answer'}")
                conn.execute("SELECT key, value FROM outputs LIMIT 1").fetchall()
                return conn
            except sqlite3.Error as exc:
                last = exc
                if conn is not None:
                    conn.close()
        assert last is not None
        raise last

    def _open(self) -> None:
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._disable(f"cache dir {self.path.parent} not usable ({exc}); running without a cache")
            return
        with _opening_lock(self.path):
            self._open_locked()

    def _open_locked(self) -> None:
        assert self.path is not None
        try:
            self._conn = self._connect()
            return
        except sqlite3.DatabaseError as exc:
            failure = exc
        if _is_busy(failure):
            self._disable(f"cache {self.path} stayed locked by another run ({failure}); running without a cache")
            return
        if not self.path.exists():
            self._disable(f"cache {self.path} cannot be created ({failure}); running without a cache")
            return
        if self.path.is_file() and not _writable(self.path):
            try:
                self._conn = self._connect_read_only()
                self.read_only = True
                self.problems.append(f"cache {self.path} cannot be written ({failure}); reading it, new outputs are not stored")
            except sqlite3.Error as exc:
                self._disable(f"cache {self.path} cannot be written or read ({exc}); running without a cache")
            return
        try:
            moved = self._move_aside()
        except OSError as exc:
            self._disable(f"cache {self.path} was unreadable ({failure}) and could not be moved aside "
                          f"({exc.strerror or exc}); running without a cache")
            return
        self.problems.append(f"cache {self.path} was unreadable ({failure}); moved to {moved} and rebuilt")
        try:
            self._conn = self._connect()
        except sqlite3.Error as exc:
            self._disable(f"cache {self.path} could not be rebuilt ({exc}); running without a cache")

    def _move_aside(self) -> Path:
        """Move the unreadable file (and its WAL files) aside; raises OSError when it cannot."""
        assert self.path is not None
        target = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                try:
                    os.replace(src, Path(str(target) + suffix))
                except OSError:
                    src.unlink(missing_ok=True)
        return target

    def _disable(self, why: str) -> None:
        self.problems.append(why)
        self.enabled = False
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None

    # ------------------------------------------------------------------ use

    def get_many(self, keys: list[str]) -> dict[str, str]:
        if not self.enabled or not keys:
            self.misses += len(keys)
            return {}
        found: dict[str, str] = {}
        try:
            with self._lock:
                for start in range(0, len(keys), 500):
                    part = keys[start : start + 500]
                    marks = ",".join("?" * len(part))
                    rows = self._conn.execute(f"SELECT key, value FROM outputs WHERE key IN ({marks})", part)
                    found.update(rows.fetchall())
        except sqlite3.Error as exc:
            self._disable(f"cache read failed ({exc}); running without a cache")
            found = {}
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def get(self, key: str) -> str | None:
        return self.get_many([key]).get(key)

    def put_many(self, items: dict[str, str]) -> None:
        if not self.enabled or self.read_only or not items:
            return
        now = time.time()
        try:
            with self._lock:
                self._retry_busy(lambda: self._conn.execute("BEGIN IMMEDIATE"))
                try:
                    self._conn.executemany(
                        "INSERT OR REPLACE INTO outputs (key, value, created) VALUES (?, ?, ?)",
                        [(k, v, now) for k, v in items.items()],
                    )
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
            self.stores += len(items)
        except sqlite3.Error as exc:
            self._disable(f"cache write failed ({exc}); running without a cache")

    def put(self, key: str, value: str) -> None:
        self.put_many({key: value})

    def __len__(self) -> int:
        if not self.enabled:
            return 0
        try:
            with self._lock:
                return int(self._conn.execute("SELECT COUNT(*) FROM outputs").fetchone()[0])
        except sqlite3.Error:
            return 0

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def describe(self) -> str:
        if not self.enabled:
            return "cache off"
        return f"cache {self.path} ({self.hits} hits, {self.misses} misses)"


def _writable(path: Path) -> bool:
    """Can this file and its folder be written (a read-only file system or missing permission
    says no; an ordinary file a run may rewrite says yes)? Probed by opening, not by mode bits,
    which a read-only mount and root both get wrong."""
    try:
        with open(path, "r+b"):
            pass
        probe = path.with_name(f".{path.name}.write-probe-{os.getpid()}")
        probe.touch()
        probe.unlink()
    except OSError:
        return False
    return True


def open_cache(cache_dir: Path | str | None = None, enabled: bool = True) -> Cache:
    """The run's cache: `cache_dir` (default: the user cache dir) unless `enabled` is False."""
    if not enabled:
        return Cache(None, enabled=False)
    directory = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
    return Cache(directory / FILENAME)
