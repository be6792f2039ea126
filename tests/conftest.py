"""Shared test set-up: no network, and paths to the project's own folders."""

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
