"""Provenance for generated text: which source sentences support a generated sentence.

A model's sentence is never cited on trust. It is aligned to the smallest run of source sentences
(at most `max_span`) that passes the same support gate every citation passes
(:func:`briefing.merge.support.check_support`: every number and name of the statement is in the span,
and enough of its content words are). A sentence with no such span is unsupported: the condenser
drops it and counts it.

Search: source sentences are ranked by how many of the statement's content words they share;
the best one starts the span, and while the span does not support the statement, the sentence
that supplies most of what is still missing (content words, numbers, names) is added. Finally
sentences the span does not need are removed again, so a citation points at no more lines than
the statement uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing.merge.support import check_support
from briefing.model import Article, Citation, Sentence
from briefing.text import content_words, names, normalise, numbers


@dataclass
class Alignment:
    text: str  # the generated sentence
    sentences: list[Sentence]  # supporting source sentences, in source order (empty: none)
    score: float  # the support score of the span, 0..1
    reasons: list[str] = field(default_factory=list)  # why it is unsupported

    @property
    def supported(self) -> bool:
        return bool(self.sentences) and not self.reasons


def _span_text(span: list[Sentence]) -> str:
    return " ".join(s.text for s in sorted(span, key=lambda s: s.index))


def _needs(statement: str) -> tuple[set[str], set[str], set[str]]:
    return set(content_words(statement)), set(numbers(statement)), {n.lower() for n in names(statement)}


def _supplies(sentence: Sentence, words: set[str], nums: set[str], nms: set[str]) -> int:
    """How many of the still-missing words, numbers and names a sentence would add."""
    text = sentence.text
    flat = normalise(text).lower()
    return (
        len(words & set(content_words(text)))
        + 2 * len(nums & set(numbers(text)))
        + 2 * sum(1 for n in nms if n in flat)
    )


def align_sentence(
    statement: str,
    source: list[Sentence],
    *,
    max_span: int = 3,
    min_overlap: float | None = None,  # None: the default support checker; a number: the lexical one with that cut-off
) -> Alignment:
    """The smallest supporting span of `source` for `statement`, or an unsupported Alignment."""
    words, nums, nms = _needs(statement)
    if not words:
        return Alignment(statement, [], 0.0, ["no content words"])
    candidates = [s for s in source if not s.is_fragment]
    ranked = sorted(candidates, key=lambda s: (-_supplies(s, words, nums, nms), s.index))
    if not ranked or _supplies(ranked[0], words, nums, nms) == 0:
        return Alignment(statement, [], 0.0, ["no source sentence shares its content words"])

    span = [ranked[0]]
    result = check_support(statement, _span_text(span), min_overlap)
    while not result.supported and len(span) < max_span:
        have = _span_text(span)
        missing = (
            words - set(content_words(have)),
            nums - set(numbers(have)),
            {n for n in nms if n not in normalise(have).lower()},
        )
        rest = [s for s in candidates if s not in span]
        best = max(rest, key=lambda s: (_supplies(s, *missing), -s.index), default=None)
        if best is None or _supplies(best, *missing) == 0:
            break
        span.append(best)
        result = check_support(statement, _span_text(span), min_overlap)
    if not result.supported:
        return Alignment(statement, [], result.score, result.reasons)

    # Drop sentences the span does not need (latest-added first), keeping the citation tight.
    for sentence in list(reversed(span[1:])) + [span[0]]:
        if len(span) == 1:
            break
        trial = [s for s in span if s is not sentence]
        trial_result = check_support(statement, _span_text(trial), min_overlap)
        if trial_result.supported:
            span, result = trial, trial_result
    return Alignment(statement, sorted(span, key=lambda s: s.index), result.score, [])


def citations_for(article: Article, sentences: list[Sentence]) -> list[Citation]:
    """One citation per run of consecutive supporting sentences (so each cited span supports
    the statement together, and no uncited line sits inside a citation)."""
    runs: list[list[Sentence]] = []
    for sentence in sorted(sentences, key=lambda s: s.index):
        if runs and sentence.index == runs[-1][-1].index + 1:
            runs[-1].append(sentence)
        else:
            runs.append([sentence])
    citations = []
    for run in runs:
        if len(run) == 1:
            citations.append(article.citation(run[0]))
        else:
            quote = " ".join(s.text for s in run)
            citations.append(Citation(article.path, run[0].line_start, run[-1].line_end, quote))
    return citations
