"""The content-addressed output cache: hits, corruption recovery, concurrent writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from briefing.seq2seq.cache import FILENAME, Cache, make_key, open_cache


def test_key_depends_on_every_part():
    base = make_key("m@1/float32", "{text}", {"num_beams": 4}, "hello")
    assert base == make_key("m@1/float32", "{text}", {"num_beams": 4}, "hello")
    others = {
        make_key("m@2/float32", "{text}", {"num_beams": 4}, "hello"),
        make_key("m@1/float32", "summarize: {text}", {"num_beams": 4}, "hello"),
        make_key("m@1/float32", "{text}", {"num_beams": 1}, "hello"),
        make_key("m@1/float32", "{text}", {"num_beams": 4}, "hello!"),
    }
    assert base not in others and len(others) == 4


def test_values_survive_reopening(tmp_path):
    cache = open_cache(tmp_path)
    cache.put_many({"a": "one", "b": "두"})
    cache.close()
    again = open_cache(tmp_path)
    assert again.get_many(["a", "b", "c"]) == {"a": "one", "b": "두"}
    assert (again.hits, again.misses) == (2, 1)


def test_disabled_cache_stores_nothing(tmp_path):
    cache = open_cache(tmp_path, enabled=False)
    cache.put("a", "one")
    assert cache.get("a") is None and not (tmp_path / FILENAME).exists()


def test_corrupt_file_is_moved_aside_and_rebuilt(tmp_path):
    cache = open_cache(tmp_path)
    cache.put("a", "one")
    cache.close()
    (tmp_path / FILENAME).write_bytes(b"this is not a database" * 200)
    rebuilt = open_cache(tmp_path)
    assert rebuilt.enabled and rebuilt.problems and "rebuilt" in rebuilt.problems[0]
    assert rebuilt.get("a") is None
    rebuilt.put("a", "again")
    assert rebuilt.get("a") == "again"
    assert list(tmp_path.glob(FILENAME + ".corrupt-*"))


def test_errors_during_a_run_disable_the_cache_instead_of_raising(tmp_path):
    cache = open_cache(tmp_path)
    cache._conn.close()  # simulate the file going away under us
    assert cache.get("a") is None
    cache.put("a", "one")
    assert not cache.enabled and cache.problems


def test_a_cache_locked_by_another_run_is_not_taken_for_corrupt(tmp_path):
    """A lock held past the wait disables the cache for this run; the file and its rows stay.

    Moving a locked file aside as 'corrupt' sent the other run's writes into the moved file.
    """
    first = open_cache(tmp_path)
    first.put("a", "one")
    first.close()
    holder = sqlite3.connect(str(tmp_path / FILENAME), isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        blocked = Cache(tmp_path / FILENAME, timeout=0.3)
        assert not blocked.enabled and "locked" in blocked.problems[0]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not list(tmp_path.glob(FILENAME + ".corrupt-*"))
    assert open_cache(tmp_path).get("a") == "one"


def _writer(path: str, start: int, count: int) -> None:
    cache = Cache(__import__("pathlib").Path(path))
    for i in range(start, start + count):
        cache.put_many({f"k{i}": f"v{i}", "shared": "same"})
    cache.close()


def test_two_processes_write_concurrently(tmp_path):
    path = str(tmp_path / FILENAME)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, n * 100, 60)) for n in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    rows = dict(sqlite3.connect(path).execute("SELECT key, value FROM outputs").fetchall())
    assert len(rows) == 121 and rows["k150"] == "v150" and rows["shared"] == "same"


# --- issue 19: a cache that cannot be written never breaks a run -----------------------------------


def test_a_read_only_cache_is_read_and_stores_nothing(tmp_path, read_only):
    folder = tmp_path / "cache"
    cache = open_cache(folder)
    cache.put_many({"a": "one"})
    cache.close()
    before = (folder / FILENAME).read_bytes()
    names_before = sorted(p.name for p in folder.iterdir())  # the file and its opening lock
    read_only(folder)
    again = open_cache(folder)
    assert again.enabled and again.read_only
    assert again.problems == [f"cache {folder / FILENAME} cannot be written ({again.problems[0].split('(', 1)[1].split(')')[0]}); "
                              "reading it, new outputs are not stored"]
    assert again.get_many(["a", "b"]) == {"a": "one"}
    again.put_many({"b": "two"})  # a no-op, not an error
    assert again.get("b") is None and len(again.problems) == 1
    again.close()
    assert (folder / FILENAME).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == names_before


def test_a_cache_folder_that_cannot_be_written_is_no_cache(tmp_path, read_only):
    folder = tmp_path / "cache"
    folder.mkdir()
    read_only(folder)
    cache = open_cache(folder)
    assert not cache.enabled and "cannot be created" in cache.problems[0]
    cache.put("a", "one")
    assert cache.get("a") is None


def test_a_corrupt_cache_that_cannot_be_moved_aside_is_left_alone(tmp_path, monkeypatch):
    import errno
    import os

    import briefing.seq2seq.cache as cache_module

    (tmp_path / FILENAME).write_bytes(b"this is not a database" * 200)

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / FILENAME))

    monkeypatch.setattr(cache_module.os, "replace", refuse)
    monkeypatch.setattr(cache_module.Path, "unlink", refuse)
    monkeypatch.setattr(cache_module, "_writable", lambda path: True)  # it only fails when moved
    cache = open_cache(tmp_path)
    assert not cache.enabled
    assert cache.problems[0].endswith("could not be moved aside (Read-only file system); running without a cache")
    assert os.path.getsize(tmp_path / FILENAME) == len(b"this is not a database") * 200
