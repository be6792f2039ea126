"""Writing output files so that a reader only ever sees one complete set.

`write_atomically(folder, files)` (the dated brief folder) builds the whole new folder beside
the old one (`.DATE.new-XXXX`): the analyst's own files in the old folder are carried over as
hard links, every new file is written and synced, and only then is the new folder swapped in for
the old one with a single `renameat2(RENAME_EXCHANGE)` (Linux); where the system cannot
exchange, the old folder is renamed aside (`.DATE.old-XXXX`) and the new one renamed in, so a
reader sees the old set, then (for an instant) no folder, then the new set, never a mix.

A run that is killed at any point leaves either the old set or the new set at `folder`, plus
staging folders that the next write removes (and, if it was killed between the two fallback
renames, the next write puts the old folder back before anything else). A staging name carries
a mark only this module writes (`.DATE.briefing-new-<nonce><check>`, the check a hash of the
name, kind and nonce), so clean-up never touches a folder it did not make (`.venv.old-py311`,
`.drafts.new-v2`); an analyst's other files, hidden or not, are never removed.

Only one writer at a time: the folder's parent is locked with `flock` while the set is written
(no lock file is left behind). A second run waits up to `LOCK_WAIT_S` seconds and then fails
with `OutputBusy`, a one-line `OSError`.

`write_file_atomically(path, text)` is the single-file form (temporary file, fsync, rename),
used for the HTML preview.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_WAIT_S = 60.0
_NEW, _OLD = "new", "old"
_STAGING = re.compile(r"^\.(?P<name>.+)\.briefing-(?P<kind>new|old)-(?P<nonce>[0-9a-f]{16})(?P<check>[0-9a-f]{8})$")

# Called with the name of each step as it completes; tests set it to fail between steps.
step_hook: Callable[[str], None] | None = None


class OutputBusy(OSError):
    """Another run holds the output folder's lock."""


def _check(name: str, kind: str, nonce: str) -> str:
    return hashlib.sha256(f"briefing staging|{name}|{kind}|{nonce}".encode("utf-8", "surrogateescape")).hexdigest()[:8]


def _staging_name(name: str, kind: str) -> str:
    """A fresh name for a staging folder of `name`, marked as this module's own."""
    nonce = secrets.token_hex(8)
    return f".{name}.briefing-{kind}-{nonce}{_check(name, kind, nonce)}"


def _ours(entry: str) -> re.Match | None:
    """The parts of `entry` when it is a staging name this module made, else None."""
    match = _STAGING.match(entry)
    if match and match["check"] == _check(match["name"], match["kind"], match["nonce"]):
        return match
    return None


def _step(name: str) -> None:
    if step_hook is not None:
        step_hook(name)


@contextmanager
def locked(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (which must exist); waits up to `wait` seconds."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    limit = LOCK_WAIT_S if wait is None else wait
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        deadline = time.monotonic() + limit
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputBusy(
                        errno.EBUSY, "another briefing run is writing there; try again when it has finished", str(folder)
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def write_atomically(folder: Path, files: dict[str, str]) -> list[Path]:
    """Replace the set of `files` in `folder` as one: a reader sees all old or all new files.

    Other files in the folder are kept. Returns the paths written, in the order given.
    """
    folder = Path(folder)
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    with locked(parent):
        clean_leftovers(parent)
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise OSError(errno.ENOTDIR, "exists and is not a folder; not replaced", str(folder))
        staging = parent / _staging_name(folder.name, _NEW)
        staging.mkdir()
        swapped = False
        try:
            _step("staging")
            if folder.is_dir():
                _carry_over(folder, staging, set(files))
            for name, content in files.items():
                _write_synced(staging / name, content)
                _step(f"wrote {name}")
            _fsync_dir(staging)
            _step("ready")
            if folder.exists():
                old = _swap(staging, folder)
                swapped = True
                _step("swapped")
                _discard_old(old, folder)
            else:
                os.rename(staging, folder)
                swapped = True
            _fsync_dir(parent)
        except BaseException:
            if not swapped:
                shutil.rmtree(staging, ignore_errors=True)
            raise
    return [folder / name for name in files]


def write_file_atomically(path: Path, text: str) -> Path:
    """Write one file: a reader sees the old content or the new, never a part (the one writer of
    single files: the HTML preview, translated files and their sidecars, evaluation JSON)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _permissions(0o666))  # mkstemp makes 0600 whatever the umask
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def not_replaceable(path: Path) -> str | None:
    """Why a single-file write must not replace what is at `path` ("is a symbolic link", "is not
    a regular file", an OS error), or None when nothing is there or it is a regular file.
    `write_file_atomically` renames over the path: a link or a device would become a plain file."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be checked ({exc.strerror or exc})"
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if not stat.S_ISREG(mode):
        return "is not a regular file"
    return None


def clean_leftovers(parent: Path) -> list[str]:
    """Undo or remove what interrupted writes left in `parent` (call with the lock held).

    Only staging folders this module named are touched: one renamed aside (`.NAME.briefing-old-*`)
    whose NAME is missing is put back; the others are removed. Returns what was done, one line each.
    """
    done: list[str] = []
    for entry in sorted(os.listdir(parent)):
        match = _ours(entry)
        if not match or not (parent / entry).is_dir() or (parent / entry).is_symlink():
            continue
        target = parent / match["name"]
        if match["kind"] == _OLD and not os.path.lexists(target):
            os.rename(parent / entry, target)
            done.append(f"restored {target} from an interrupted write")
        else:
            shutil.rmtree(parent / entry, ignore_errors=True)
            done.append(f"removed {parent / entry}")
    return done


def _carry_over(old: Path, new: Path, replaced: set[str]) -> None:
    """The old folder's other files, as hard links (copies where links are impossible)."""
    for entry in sorted(os.listdir(old)):
        if entry in replaced:
            continue
        source, target = old / entry, new / entry
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        elif source.is_dir():
            shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(source, target)


def _link_or_copy(source, target) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _permissions(default: int) -> int:
    """`default` (0o666 for a file, 0o777 for a folder) less the umask, as open() and mkdir() give."""
    return default & ~_umask()


def _write_synced(path: Path, content: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _swap(staging: Path, folder: Path) -> Path:
    """Put `staging` at `folder`; returns where the old folder now is."""
    if _exchange(staging, folder):
        return staging
    aside = folder.parent / _staging_name(folder.name, _OLD)
    os.rename(folder, aside)
    try:
        _step("moved aside")
        os.rename(staging, folder)
    except BaseException:
        if not os.path.lexists(folder):
            os.rename(aside, folder)
        raise
    return aside


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (Linux renameat2); False where it is not available."""
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, ImportError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if function(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(b))


def _discard_old(old: Path, new: Path) -> None:
    """Remove the replaced folder, first moving in anything written to it while staging."""
    for entry in sorted(os.listdir(old)):
        if not os.path.lexists(new / entry):
            os.rename(old / entry, new / entry)
    shutil.rmtree(old, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
