"""Does a cited span support a statement? The checkers by name, and the default verdict.

A statement is supported by a span when the span states what it states: its numbers, dates and
names, its polarity and modality, enough of its content words (the rules: `briefing.merge.support_lexical`).

`check_support` is the gate every citation passes (merge, pipeline, aligner, review). Checkers
share one interface, `SupportChecker`, and are chosen by name (`get_checker`): `lexical` (those
rules, the baseline) and `learned` (`briefing.merge.support_learned`: logistic regression over
alignment features fitted on SummEdits' non-news domains, with these rules as hard checks), the
default. Any other backend (an NLI model, say) returns the same `SupportResult`.
"""

from __future__ import annotations

from functools import lru_cache

from briefing.merge.support_base import SupportChecker, SupportResult
from briefing.merge.support_learned import LearnedSupportChecker
from briefing.merge.support_lexical import LexicalSupportChecker

#: Checker names, the default first.
CHECKERS = ("learned", "lexical")
DEFAULT_CHECKER = CHECKERS[0]


@lru_cache(maxsize=None)
def get_checker(name: str = DEFAULT_CHECKER) -> SupportChecker:
    """The checker called `name` (one of CHECKERS); a ValueError names the known ones."""
    if name == "lexical":
        return LexicalSupportChecker()
    if name == "learned":
        return LearnedSupportChecker()
    raise ValueError(f"unknown support checker {name!r}; known: {', '.join(CHECKERS)}")


_default = [DEFAULT_CHECKER]


def set_default_checker(name: str) -> None:
    """Make `name` the checker `check_support` uses (for experiments and benchmarks)."""
    get_checker(name)  # a ValueError for an unknown name
    _default[0] = name


def check_support(statement: str, span: str, min_overlap: float | None = None) -> SupportResult:
    """The default checker's verdict. `min_overlap` asks for the lexical checker with that
    content-word coverage cut-off instead."""
    checker = get_checker(_default[0]) if min_overlap is None else LexicalSupportChecker(min_overlap)
    return checker.check(statement, span)
