"""Shared test set-up: no network, paths to the project's own folders, a read-only folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests never reach a model hub: every model they use is built at test time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return ROOT / "seeds"


@pytest.fixture
def read_only(tmp_path):
    """`make(folder)`: from now on `folder` cannot be written. A read-only tmpfs when this user
    may mount one (as root, permissions would not stop a write), else permissions."""
    import shutil
    import subprocess

    mounted: list[Path] = []

    def make(folder: Path) -> None:
        if os.geteuid() != 0:
            for path in folder.iterdir():
                path.chmod(0o444)
            folder.chmod(0o555)
            return
        kept = tmp_path / "kept"
        shutil.copytree(folder, kept)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], capture_output=True).returncode:
            pytest.skip("cannot mount a read-only file system here")
        mounted.append(folder)
        for path in kept.iterdir():
            shutil.copy2(path, folder / path.name)
        if subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True).returncode:
            pytest.skip("cannot remount read-only here")

    yield make
    for folder in mounted:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755)


@pytest.fixture(scope="session")
def embedder_matcher():
    """A FactMatcher with the multilingual embedder (skips the test when it is not installed)."""
    from briefing.embedding import load_embedder
    from briefing.merge.sameness import FactMatcher

    embedder, note = load_embedder("auto")
    if embedder is None:
        pytest.skip(note)
    return FactMatcher(embedder)
