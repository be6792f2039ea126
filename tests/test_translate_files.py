"""Translating files reads them the way ingest does: regular files only, size checked first."""

from __future__ import annotations

import os

import pytest

import briefing.ingest.decode
from briefing.model import Translation
from briefing.translate.base import Translator
from briefing.translate.files import sidecar_path, translate_files


class Echo(Translator):
    """Returns each text marked as translated (no model needed)."""

    def translate(self, texts, source, target):
        return [Translation(t, f"<{t}>", True) for t in texts]


def test_a_file_over_the_limit_is_refused_without_being_read(tmp_path, monkeypatch):
    good = tmp_path / "good.md"
    good.write_text("# Title\n\nSome prose.\n", encoding="utf-8")
    big = tmp_path / "big.md"
    big.touch()
    os.truncate(big, briefing.ingest.decode.MAX_BYTES + 1)  # sparse: its size without its bytes
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(briefing.ingest.decode.os, "open", lambda path, *a, **k: opened.append(os.fspath(path)) or real_open(path, *a, **k))
    out = tmp_path / "out"
    out.mkdir()
    results = {r.source.name: r for r in translate_files([big, good], Echo(), "en", "ko", out)}
    assert results["big.md"].error == "too large (20 MiB; limit 20 MiB)"
    assert str(big) not in opened and str(good) in opened
    assert results["good.md"].error is None
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["good.ko.md"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    (result,) = translate_files([fifo], Echo(), "en", "ko", tmp_path / "out")
    assert result.error == "not a regular file (a named pipe (FIFO))"


# --- issue 19: never overwrite a translation this tool did not write -------------------------------


def _summary(folder, text="# Title\n\nSome prose.\n"):
    folder.mkdir(exist_ok=True)
    path = folder / "notes.md"
    path.write_text(text, encoding="utf-8")
    return path, folder / "notes.ko.md"


def test_a_hand_written_translation_is_refused_unless_force(tmp_path):
    source, output = _summary(tmp_path)
    output.write_text("# 손으로 쓴 번역\n", encoding="utf-8")
    (result,) = translate_files([source], Echo(), "en", "ko")
    assert result.error == f"{output} exists and was not written by briefing translate; not replaced (--force replaces it)"
    assert output.read_text(encoding="utf-8") == "# 손으로 쓴 번역\n"
    (forced,) = translate_files([source], Echo(), "en", "ko", force=True)
    assert forced.error is None and "<Some prose.>" in output.read_text(encoding="utf-8")


def test_its_own_translation_is_replaced_even_when_edited(tmp_path):
    """Its sidecar marks it as this tool's: an edited one is translated again, as a changed output always was."""
    source, output = _summary(tmp_path)
    assert [r.error for r in translate_files([source], Echo(), "en", "ko")] == [None]
    source.write_text("# Title\n\nOther prose.\n", encoding="utf-8")
    assert [r.error for r in translate_files([source], Echo(), "en", "ko")] == [None]
    assert "<Other prose.>" in output.read_text(encoding="utf-8")
    output.write_text(output.read_text(encoding="utf-8") + "\nAn editor's line.\n", encoding="utf-8")
    (result,) = translate_files([source], Echo(), "en", "ko")
    assert result.error is None and not result.skipped and "An editor's line." not in output.read_text(encoding="utf-8")


def test_a_run_killed_between_sidecar_and_output_still_owns_its_file(tmp_path, monkeypatch):
    import briefing.translate.files as files

    source, output = _summary(tmp_path)
    list(translate_files([source], Echo(), "en", "ko"))
    source.write_text("# Title\n\nOther prose.\n", encoding="utf-8")
    real = files.write_file_atomically

    def killed(path, text):
        if path == output:
            raise KeyboardInterrupt  # after the sidecar, before the output
        return real(path, text)

    monkeypatch.setattr(files, "write_file_atomically", killed)
    with pytest.raises(KeyboardInterrupt):
        list(translate_files([source], Echo(), "en", "ko"))
    monkeypatch.setattr(files, "write_file_atomically", real)
    assert [r.error for r in translate_files([source], Echo(), "en", "ko")] == [None]
    assert "<Other prose.>" in output.read_text(encoding="utf-8")


def test_a_link_or_a_pipe_at_the_output_is_never_replaced(tmp_path):
    source, output = _summary(tmp_path)
    kept = tmp_path / "kept.md"
    kept.write_text("kept\n", encoding="utf-8")
    output.symlink_to(kept)
    (result,) = translate_files([source], Echo(), "en", "ko", force=True)
    assert result.error == f"{output} is a symbolic link; not replaced"
    assert output.is_symlink() and kept.read_text(encoding="utf-8") == "kept\n"
    output.unlink()
    os.mkfifo(output)
    (result,) = translate_files([source], Echo(), "en", "ko", force=True)
    assert result.error == f"{output} is not a regular file; not replaced"
