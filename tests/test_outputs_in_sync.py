"""The example briefs committed under outputs/ are exactly what the code produces today."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.pipeline import RunOptions, run

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = sorted(p.parent for p in (ROOT / "outputs").glob("*/brief.json"))


def test_examples_are_committed():
    assert COMMITTED, "outputs/<date>/ example briefs are missing; run `briefing run seeds`"


@pytest.mark.parametrize("folder", COMMITTED, ids=[p.name for p in COMMITTED])
def test_regenerating_gives_the_same_bytes(folder: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(ROOT)  # citations name files relative to the repository root
    result = run(RunOptions(input_dir=Path("seeds"), out_dir=tmp_path, date=folder.name))
    for path in result.files:
        committed = folder / path.name
        assert committed.exists(), f"{committed} is not committed"
        assert path.read_bytes() == committed.read_bytes(), (
            f"{committed.relative_to(ROOT)} is stale: regenerate with "
            f"`briefing run seeds --date {folder.name}`"
        )
