"""Does a cited span support a statement? Weight-free checks that a reader would make.

A statement is supported by a span when every number in the statement is in the span, its
names are in the span, and enough of its content words are. This is the gate every citation
passes before it is emitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing.text import content_words, names, normalise, numbers


@dataclass
class SupportResult:
    supported: bool
    score: float  # 0..1, higher = better supported
    reasons: list[str] = field(default_factory=list)


def check_support(statement: str, span: str, min_overlap: float = 0.4) -> SupportResult:
    reasons: list[str] = []
    span_numbers = set(numbers(span))
    missing_numbers = [n for n in numbers(statement) if n not in span_numbers]
    if missing_numbers:
        reasons.append("numbers not in source: " + ", ".join(sorted(set(missing_numbers))))
    span_flat = normalise(span).lower()
    missing_names = [n for n in names(statement) if n.lower() not in span_flat]
    if missing_names:
        reasons.append("names not in source: " + ", ".join(sorted(set(missing_names))))
    words = set(content_words(statement))
    span_words = set(content_words(span))
    overlap = len(words & span_words) / len(words) if words else 0.0
    if overlap < min_overlap:
        reasons.append(f"only {overlap:.0%} of the statement's content words are in the source")
    score = overlap * (0.5 if missing_numbers else 1.0) * (0.7 if missing_names else 1.0)
    return SupportResult(not reasons, round(score, 4), reasons)
