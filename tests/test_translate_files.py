"""Translating files reads them the way ingest does: regular files only, size checked first."""

from __future__ import annotations

import os

import pytest

import briefing.ingest.decode
from briefing.model import Translation
from briefing.translate.base import Translator
from briefing.translate.files import translate_files


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
