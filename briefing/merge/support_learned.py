"""The learned support checker: logistic regression over alignment features, plus hard checks.

The weights (`briefing/data/support_model.json`) were fitted by `briefing.merge.support_train` on
SummEdits' seven non-news domains; applying them needs no scikit-learn: a dot product over the
features of `briefing.merge.support_features`, standardised with the stored means and scales.

A statement is supported when its probability reaches the stored cut-off (chosen on the training
domains, never on news) and no hard check fails. The hard checks are the contradictions a reader
never lets through whatever the rest of the sentence looks like: a number, date, weekday, month or
name the span lacks, a negation one text has and the other not, and, in a sentence that copies its
passage almost word for word, a word standing where the passage has another ("prosecutors" for
"police", "will" for "may", one name of the span for another); and, in a sentence most of whose
words are copied from its passage, a name of the passage with words of another name of the span
put in (`name_swaps`, compared name against name).
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from briefing.merge.support_base import FAILURE_FACTOR, SupportChecker, SupportResult
from briefing.merge.support_features import FEATURES, NEAR_COPY, SentenceCheck, extract
from briefing.merge.support_lexical import _tokens
from briefing.text import normalise

MODEL_RESOURCE = "support_model.json"

# (feature, reason prefix, applies only to near copies of the passage)
_HARD_CHECKS = (
    ("numbers_missing", "numbers not in source", False),
    ("dates_missing", "dates not in source", False),
    ("weekdays_missing", "weekday not in source", False),
    ("months_missing", "month not in source", False),
    ("unsupported_names", "names not in source", False),
    ("negation_differs", "negation differs", False),
    ("modality_differs", "modality differs", True),
    ("modals_missing", "modality differs: the source does not say", True),
    ("swaps", "changed from the source", True),
    ("name_swaps", "changed from the source", False),  # its own test of a copy (support_features)
    ("predicates_missing", "verbs not in source", False),
    ("low_coverage", "too little of it is in the source", False),
)


def support_score(probability: float, problems: int) -> float:
    """The score: the probability, scaled down by each failed hard check (as the lexical checker
    scales its coverage), so that it ranks a contradicted statement below a merely loose one."""
    return probability * FAILURE_FACTOR**problems


def hard_problems(checks: list[SentenceCheck]) -> list[str]:
    """One line per failed hard check, over the statement's sentences."""
    reasons: list[str] = []
    for check in checks:
        near = check.values["similarity_best"] >= NEAR_COPY
        for feature, label, near_only in _HARD_CHECKS:
            if feature in check.findings and (near or not near_only):
                reasons.append(f"{label}: {', '.join(check.findings[feature])}")
    return list(dict.fromkeys(reasons))


@lru_cache(maxsize=1)
def load_model() -> dict:
    """The stored weights; a clear error if the file is missing or was fitted on other features."""
    text = resources.files("briefing").joinpath("data", MODEL_RESOURCE).read_text(encoding="utf-8")
    model = json.loads(text)
    if model.get("features") != [name for name, _ in FEATURES]:
        raise ValueError(f"{MODEL_RESOURCE} was trained on other features; retrain with `python -m briefing.merge.support_train`")
    return model


class LearnedSupportChecker(SupportChecker):
    """Logistic regression over alignment features, with hard checks (see the module docstring)."""

    name = "learned"

    def __init__(self, model: dict | None = None):
        model = model or load_model()
        self.cutoff = float(model["cutoff"])
        self._terms = list(zip(model["mean"], model["scale"], model["coef"]))
        self._intercept = float(model["intercept"])

    def probability(self, vector: list[float]) -> float:
        z = self._intercept + sum(w * (x - m) / s for x, (m, s, w) in zip(vector, self._terms))
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def check(self, statement: str, span: str) -> SupportResult:
        result = _cached_check(self, statement, span)
        return replace(result, reasons=list(result.reasons))  # callers may extend their copy

    def _check(self, statement: str, span: str) -> SupportResult:
        if not normalise(statement):
            return SupportResult(False, 0.0, ["the statement is empty"])
        vector, checks = extract(statement, span)
        probability = self.probability(vector)
        reasons = hard_problems(checks)
        score = round(support_score(probability, len(reasons)), 4)
        worst = min(checks, key=lambda c: (c.values["coverage_best"], c.values["similarity_best"]))
        if probability < self.cutoff and not _verbatim(statement, span):
            unsupported = [w for c in checks for w in c.findings.get("unsupported_words", [])]
            detail = f"; words not in the source: {', '.join(dict.fromkeys(unsupported))}" if unsupported else ""
            reasons.append(f"low support score {probability:.2f} (cut-off {self.cutoff:.2f}){detail}")
        return SupportResult(not reasons, score, reasons, evidence=worst.passage)


def _verbatim(statement: str, span: str) -> bool:
    """The statement is quoted word for word from the span: a quotation passes the cut-off (the
    model was fitted on summaries, and scores a short fragment low); the hard checks still apply."""
    quoted = " ".join(_tokens(statement)).strip(" .,;:!?")
    return bool(quoted) and quoted in " ".join(_tokens(span))


@lru_cache(maxsize=65536)
def _cached_check(checker: LearnedSupportChecker, statement: str, span: str) -> SupportResult:
    return checker._check(statement, span)
