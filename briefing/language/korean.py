"""Kiwi (`kiwipiepy`, its model in `kiwipiepy-model`), when installed: Korean morphology for the
sentences a stage asks about (figure sentences, attributions). Loaded once, on first use (about
4 s with the model's first analysis), then about 0.7 ms a sentence; None when kiwipiepy or its
model is missing, or with BRIEFING_PARSER=rules, and the callers keep their rules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Morpheme:
    form: str
    tag: str  # Sejong-style: NNG common noun, NNP proper noun, NP pronoun, SN number, NNB counter, J* particle, ...
    start: int  # character offset in the analysed text
    end: int


@lru_cache(maxsize=1)
def pipeline():
    """The loaded Kiwi analyser, or None."""
    from briefing import settings

    if settings.rules_only():
        return None
    try:
        from kiwipiepy import Kiwi

        kiwi = Kiwi()
        kiwi.tokenize("시작")  # the model loads on the first analysis: pay it here, once
        return kiwi
    except Exception:  # ImportError, or a model package that is missing or does not match
        return None


def description() -> str | None:
    """"Kiwi 0.24.1", or None when it is not loaded."""
    if pipeline() is None:
        return None
    import kiwipiepy

    return f"Kiwi {kiwipiepy.__version__}"


@lru_cache(maxsize=16384)
def analyse(text: str) -> tuple[Morpheme, ...]:
    """The morphemes of `text`, with their offsets (memoised: stages ask about the same sentences).
    Only call when `pipeline()` is not None."""
    return tuple(Morpheme(t.form, t.tag, t.start, t.start + t.len) for t in pipeline().tokenize(text))


def split_spans(text: str) -> list[tuple[int, int]]:
    """Kiwi's own sentence splitter, as character spans (a reference beside ours in `eval korean`)."""
    spans = []
    for sentence in pipeline().split_into_sents(text):
        start, end = sentence.start, sentence.end
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            spans.append((start, end))
    return spans


def reset() -> None:
    analyse.cache_clear()
    pipeline.cache_clear()
