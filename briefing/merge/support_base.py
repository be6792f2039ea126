"""What every support checker answers, and the interface they share (see briefing.merge.support)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

#: Each failed hard check (numbers, dates, names, negation, modality) halves the score, so that
#: the score ranks statements for ROC-AUC and a single failure already puts it below the cut-off.
FAILURE_FACTOR = 0.2


@dataclass
class SupportResult:
    supported: bool
    score: float  # 0..1, higher = better supported
    reasons: list[str] = field(default_factory=list)  # one short line per failed check
    evidence: str = ""  # the span's passage nearest the statement (its worst sentence's), if known


class SupportChecker(ABC):
    """Decides whether `span` supports `statement`."""

    name = ""
    #: True when the checker aligns each statement sentence within the span itself, so that it can
    #: be given a whole document; False when it wants a short span (an evaluation then offers it
    #: windows of a few sentences).
    whole_document = False

    @abstractmethod
    def check(self, statement: str, span: str) -> SupportResult:
        """The verdict, a 0..1 score (higher = better supported) and the reasons it fails."""

    def check_batch(self, pairs: list[tuple[str, str]]) -> list[SupportResult]:
        """`check` on each (statement, span); a checker that reads pairs faster together overrides it."""
        return [self.check(statement, span) for statement, span in pairs]
