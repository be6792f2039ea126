"""briefing.outputs: one consistent set of briefs, whatever stops a run, one writer at a time.

A kill is a real SIGKILL, sent by the writing process to itself at a named step (the module's
`step_hook`), so the test needs no timing: the step is where the process dies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from briefing import outputs
from briefing.outputs import OutputBusy, clean_leftovers, locked, write_atomically

OLD = {"brief.en.md": "old en\n", "brief.ko.md": "old ko\n", "brief.json": "{\"v\": \"old\"}\n"}
NEW = {"brief.en.md": "new en\n", "brief.ko.md": "new ko\n", "brief.json": "{\"v\": \"new\"}\n"}
STEPS = ["staging", "wrote brief.en.md", "wrote brief.ko.md", "wrote brief.json", "ready", "swapped"]

_KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from briefing import outputs
step, fallback, folder = sys.argv[1], sys.argv[2] == "1", Path(sys.argv[3])
def hook(name):
    if name == step:
        os.kill(os.getpid(), signal.SIGKILL)
outputs.step_hook = hook
if fallback:
    outputs._exchange = lambda a, b: False
outputs.write_atomically(folder, {"brief.en.md": "new en\\n", "brief.ko.md": "new ko\\n", "brief.json": '{"v": "new"}\\n'})
"""


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def brief_set(folder: Path) -> dict[str, str]:
    return {name: text for name, text in contents(folder).items() if name in OLD}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.rglob(".*"))


def kill_at(step: str, folder: Path, root: Path, fallback: bool = False) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, step, "1" if fallback else "0", str(folder)],
        cwd=root, capture_output=True, text=True, timeout=60,
    )
    return done.returncode


@pytest.fixture
def previous(tmp_path) -> Path:
    folder = tmp_path / "out" / "2024-09-05"
    folder.mkdir(parents=True)
    for name, text in OLD.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "notes.txt").write_text("the analyst's own file\n", encoding="utf-8")
    return folder


def test_writes_a_fresh_folder(tmp_path):
    folder = tmp_path / "out" / "2024-09-05"
    written = write_atomically(folder, NEW)
    assert written == [folder / name for name in NEW]
    assert contents(folder) == NEW
    assert leftovers(tmp_path / "out") == []


def test_replaces_the_set_and_keeps_other_files(previous):
    write_atomically(previous, NEW)
    assert brief_set(previous) == NEW
    assert (previous / "notes.txt").read_text(encoding="utf-8") == "the analyst's own file\n"
    assert leftovers(previous.parent) == []


@pytest.mark.parametrize("fallback", [False, True], ids=["exchange", "two-renames"])
@pytest.mark.parametrize("step", STEPS + ["moved aside"])
def test_sigkill_at_any_step_leaves_one_whole_set(previous, root, step, fallback):
    if step == "moved aside" and not fallback:
        pytest.skip("a step of the fallback only")
    assert kill_at(step, previous, root, fallback) == -signal.SIGKILL
    seen = brief_set(previous)
    # A reader sees the old set or the new one; between the fallback's two renames, no folder.
    if step == "moved aside":
        assert not previous.exists()
    else:
        assert seen == (NEW if step == "swapped" else OLD)
    # The next write puts things right first: the old folder back, staging folders removed.
    with locked(previous.parent):
        clean_leftovers(previous.parent)
    assert brief_set(previous) == (NEW if step == "swapped" else OLD)
    assert (previous / "notes.txt").is_file()
    assert leftovers(previous.parent) == []


def test_an_exception_between_steps_keeps_the_old_set(previous, monkeypatch):
    def fail(step: str) -> None:
        if step == "wrote brief.ko.md":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs, "step_hook", fail)
    with pytest.raises(OSError, match="No space"):
        write_atomically(previous, NEW)
    assert brief_set(previous) == OLD
    assert leftovers(previous.parent) == []


def test_an_interrupt_between_the_fallback_renames_puts_the_old_folder_back(previous, monkeypatch):
    monkeypatch.setattr(outputs, "_exchange", lambda a, b: False)

    def interrupt(step: str) -> None:
        if step == "moved aside":
            raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "step_hook", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(previous, NEW)
    assert brief_set(previous) == OLD
    assert leftovers(previous.parent) == []


def test_the_fallback_writes_the_new_set(previous, monkeypatch):
    monkeypatch.setattr(outputs, "_exchange", lambda a, b: False)
    write_atomically(previous, NEW)
    assert brief_set(previous) == NEW and (previous / "notes.txt").is_file()
    assert leftovers(previous.parent) == []


def test_clean_up_touches_only_folders_it_named(previous):
    """Issue 19: `.drafts.new-v2` was removed and `.venv.old-py311` renamed to `venv`, silently."""
    parent = previous.parent
    theirs = {
        ".drafts.new-v2/draft.md": "an analyst's draft\n",
        ".venv.old-py311/pyvenv.cfg": "home = /usr/bin\n",
        ".notes.old-2023/a.txt": "old notes\n",
        ".2024-09-05.new-zz9/brief.en.md": "an earlier version's staging: no mark, kept\n",
        ".2024-09-05.briefing-new-0123456789abcdef01234567/x": "a forged mark: the check does not match\n",
        "2024-09-05/.brief.json.2023.bak": "an analyst's backup\n",
        "2024-09-05/.keep-me": "an analyst's hidden file\n",
    }
    for name, text in theirs.items():
        (parent / name).parent.mkdir(exist_ok=True)
        (parent / name).write_text(text, encoding="utf-8")
    write_atomically(previous, NEW)
    assert {name: (parent / name).read_text(encoding="utf-8") for name in theirs} == theirs
    assert not (parent / "venv").exists() and not (parent / "notes").exists() and not (parent / "drafts").exists()
    assert brief_set(previous) == NEW


def test_a_second_writer_fails_in_one_line_while_the_first_holds_the_lock(previous, monkeypatch):
    monkeypatch.setattr(outputs, "LOCK_WAIT_S", 0.0)
    with locked(previous.parent):
        with pytest.raises(OutputBusy) as info:
            write_atomically(previous, NEW)
    assert "another briefing run" in str(info.value) and "\n" not in str(info.value)
    assert brief_set(previous) == OLD
    write_atomically(previous, NEW)  # the lock is released with its holder
    assert brief_set(previous) == NEW


def test_the_lock_is_held_across_processes(previous, root):
    script = (
        "import sys\nfrom pathlib import Path\nfrom briefing import outputs\n"
        "with outputs.locked(Path(sys.argv[1])):\n"
        "    print('locked', flush=True)\n"
        "    sys.stdin.readline()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(previous.parent)], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputBusy):
            with locked(previous.parent, wait=0):
                pass
    finally:
        holder.communicate("\n", timeout=30)
    with locked(previous.parent, wait=0):
        pass


def test_a_path_that_is_a_file_is_not_replaced(tmp_path):
    target = tmp_path / "2024-09-05"
    target.write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(OSError, match="not a folder"):
        write_atomically(target, NEW)
    assert target.read_text(encoding="utf-8") == "not a folder\n"


def test_single_file_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    page = tmp_path / "preview.html"
    page.write_text("old page\n", encoding="utf-8")
    real = os.fsync

    def failing(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(OSError):
        outputs.write_file_atomically(page, "new page\n")
    monkeypatch.setattr(os, "fsync", real)
    assert page.read_text(encoding="utf-8") == "old page\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["preview.html"]
    outputs.write_file_atomically(page, "new page\n")
    assert page.read_text(encoding="utf-8") == "new page\n"
