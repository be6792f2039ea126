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


def test_an_output_it_did_not_write_is_kept_unless_forced(tmp_path):
    source = tmp_path / "note.en.md"
    source.write_text("# Title\n\nSome prose.\n", encoding="utf-8")
    mine = tmp_path / "note.ko.md"
    mine.write_text("# 제목\n\n손으로 쓴 번역.\n", encoding="utf-8")
    (result,) = translate_files([source], Echo(), "en", "ko")
    assert str(mine) in result.error and "not replaced" in result.error and "\n" not in result.error
    assert mine.read_text(encoding="utf-8") == "# 제목\n\n손으로 쓴 번역.\n"
    (result,) = translate_files([source], Echo(), "en", "ko", force=True)
    assert result.error is None and "<Some prose.>" in mine.read_text(encoding="utf-8")


def test_its_own_output_is_replaced_even_once_edited(tmp_path):
    """A file that carries this tool's sidecar is its own: changed since, it is translated again
    (an interrupted or edited output is redone, as test_ray checks)."""
    source = tmp_path / "note.md"
    source.write_text("# Title\n\nSome prose.\n", encoding="utf-8")
    (first,) = translate_files([source], Echo(), "en", "ko")
    source.write_text("# Title\n\nOther prose.\n", encoding="utf-8")
    (second,) = translate_files([source], Echo(), "en", "ko")  # its sidecar says it wrote it
    assert first.error is None and second.error is None and not second.skipped
    assert "<Other prose.>" in second.output.read_text(encoding="utf-8")
    second.output.write_text("edited by hand\n", encoding="utf-8")
    source.write_text("# Title\n\nThird prose.\n", encoding="utf-8")
    (third,) = translate_files([source], Echo(), "en", "ko")
    assert third.error is None and not third.skipped
    assert "<Third prose.>" in second.output.read_text(encoding="utf-8")
    sidecar_path(second.output).unlink()  # without its sidecar the file is no longer the tool's
    second.output.write_text("edited by hand\n", encoding="utf-8")
    (fourth,) = translate_files([source], Echo(), "en", "ko")
    assert "not replaced" in fourth.error
    assert second.output.read_text(encoding="utf-8") == "edited by hand\n"
