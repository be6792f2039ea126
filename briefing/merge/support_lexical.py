"""The lexical support checker: the checks a careful reader makes, without weights.

A statement is supported by a span when
- enough of its content words are in the span (stems and news synonyms, see briefing.text);
- every number in it is in the span, in an equivalent form (1,200 = 1200, 30% = 30 percent);
- every calendar date in it is in the span ("Aug. 28" = "August 28" = "28 August");
- every name in it is in the span (no person, place or body the source does not mention);
- it does not negate what the span asserts, or assert what the span negates;
- it does not state as done what the span only hedges or plans ("may", "plans to"), or the reverse.

It is the baseline of `briefing.merge.support`, and the learned checker runs its rules as hard checks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.dates import find_dates
from briefing.merge.support_base import FAILURE_FACTOR, SupportChecker, SupportResult
from briefing.text import STOPWORDS, content_words, names, normalise, numbers, stem, words

#: Share of the statement's content words the span must contain. Chosen on the SummEdits dev
#: split by one rule: of the cut-offs 0.05..0.95 with the best balanced accuracy (0.35..0.70
#: there), the middle, rounded down to 0.05. `briefing eval support --calibrate` shows the range.
DEFAULT_MIN_COVERAGE = 0.5

#: A span with at least this share of the statement's content words restates it (a paraphrase
#: may change its verb); below it, the span must also have the statement's verb (see
#: _missing_predicates): sharing the topic words is not reporting the same event.
FULL_RESTATEMENT = 0.7

class LexicalSupportChecker(SupportChecker):
    """Weight-free: coverage of content words plus hard checks on numbers, dates, names, polarity."""

    name = "lexical"

    def __init__(self, min_coverage: float = DEFAULT_MIN_COVERAGE):
        self.min_coverage = min_coverage

    def check(self, statement: str, span: str) -> SupportResult:
        coverage = word_coverage(statement, span)
        reasons = [
            reason
            for reason in (
                _missing_numbers(statement, span),
                _missing_dates(statement, span),
                _missing_names(statement, span),
                _missing_predicates(statement, span) if coverage < FULL_RESTATEMENT else "",
                _polarity(statement, span, _negation_scopes, "negation"),
                _polarity(statement, span, _modal_scopes, "modality"),
            )
            if reason
        ]
        score = (0.5 + 0.5 * coverage) * FAILURE_FACTOR ** len(reasons)
        if coverage < self.min_coverage:
            reasons.append(f"only {coverage:.0%} of its content words are in the source (needs {self.min_coverage:.0%})")
        return SupportResult(not reasons, round(score, 4), reasons)


# -- content words ----------------------------------------------------------------------------


def word_coverage(statement: str, span: str) -> float:
    """Share of the statement's distinct content words (stems, synonyms folded) found in the span.

    Numbers and calendar dates are left out: they are compared by value, in their own checks.
    """
    wanted = _plain_words(statement)
    if not wanted:
        return 1.0 if normalise(statement) else 0.0
    return len(wanted & _plain_words(span)) / len(wanted)


@lru_cache(maxsize=8192)
def _plain_words(text: str) -> frozenset[str]:
    text = normalise(text)
    return frozenset({w for w in content_words(_without(text, _calendar_dates(text))) if not w[0].isdigit()})


# -- numbers and dates ------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _calendar_dates(text: str) -> tuple:
    """Dates with a month (not bare years or weekdays): those are compared as dates."""
    return tuple(m for m in find_dates(text) if m.month is not None and not m.relative)


def _without(text: str, mentions) -> str:
    for mention in sorted(mentions, key=lambda m: -m.start):
        text = text[: mention.start] + " " + text[mention.end :]
    return text


def _missing_numbers(statement: str, span: str) -> str:
    """Numbers of the statement (outside its dates) that the span does not give in any form."""
    text = normalise(statement)
    have = set(numbers(normalise(span)))
    missing = [n for n in dict.fromkeys(numbers(_without(text, _calendar_dates(text)))) if n not in have]
    return "numbers not in source: " + ", ".join(missing) if missing else ""


def _missing_dates(statement: str, span: str) -> str:
    """Calendar dates of the statement that no date of the span matches (a missing year is no clash)."""
    have = _calendar_dates(normalise(span))
    missing = []
    for mention in _calendar_dates(normalise(statement)):
        if not any(_same_date(mention, other) for other in have):
            missing.append(mention.text)
    return "dates not in source: " + ", ".join(dict.fromkeys(missing)) if missing else ""


def _same_date(a, b) -> bool:
    return (
        a.month == b.month
        and (a.day is None or a.day == b.day)
        and (a.year is None or b.year is None or a.year == b.year)
    )


# -- names ------------------------------------------------------------------------------------


_ACRONYM = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}")  # U.S., U.K.: not caught by text.names


def _missing_names(statement: str, span: str) -> str:
    """Names in the statement with a word the span lacks ("Park Ji-hoon" vs "Pak Chi-hun").

    A capitalised single word that opens the statement is an ordinary word, not a name; so is a
    capitalised piece of a longer token.
    """
    text = normalise(statement)
    first = text.split(" ", 1)[0].strip("\"'(")
    have = {stem(w) for w in words(span)} | {w for w in words(span)}
    span_acronyms = {a.replace(".", "") for a in _ACRONYM.findall(normalise(span))} | {w.upper() for w in words(span)}
    missing = [a for a in dict.fromkeys(_ACRONYM.findall(text)) if a.replace(".", "") not in span_acronyms]
    for name in dict.fromkeys(names(text)):
        if (name == first and " " not in name) or not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            continue  # an opening word, or part of a longer token ("Co" in "SARS-CoV-2")
        tokens = words(name)
        if any(t not in have and stem(t) not in have for t in tokens):
            missing.append(name)
    return "names not in source: " + ", ".join(missing) if missing else ""


# -- what happened ----------------------------------------------------------------------------

_AUXILIARY = frozenset("has have had was were is are be been being".split())


def _predicates(tokens: tuple[str, ...]) -> dict[str, str]:
    """{stem: word} of verb forms in -ed/-en/-ing right after an auxiliary ("have launched").

    These say what happened; a span that shares the statement's nouns but not its verb
    ("pledged a crackdown" for "launched an investigation") reports a different event.
    """
    found: dict[str, str] = {}
    for i, token in enumerate(tokens[:-1]):
        if token not in _AUXILIARY:
            continue
        for nxt in tokens[i + 1 : i + 4]:
            if nxt in _AUXILIARY or nxt.endswith("ly") or nxt in ("not", "also", "still", "now", "just"):
                continue
            if len(nxt) > 4 and re.search(r"(?:ed|en|ing)$", nxt) and nxt not in STOPWORDS:
                found.setdefault(stem(nxt), nxt)
            break
    return found


def _missing_predicates(statement: str, span: str) -> str:
    have = {stem(t) for t in _tokens(span)}
    missing = [word for key, word in _predicates(_tokens(statement)).items() if key not in have]
    return "verbs not in source: " + ", ".join(missing) if missing else ""


# -- negation and modality ---------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*|[0-9]+(?:[.,][0-9]+)*|[.,;:!?()\"]")
_NEGATION = frozenset("not no never without cannot nor neither none nobody nothing".split())
# Hedges, plans and possibilities: the event is not stated as having happened.
_MODAL = frozenset(
    """may might could would should can will shall plan plans planned planning consider considers
    considering considered expect expects expected likely possibly potentially reportedly allegedly
    intend intends intended aim aims propose proposes proposed seek seeks want wants hope hopes
    mull mulls weigh weighs""".split()
)
_SCOPE = 5  # words after a cue that it governs (up to the next punctuation)


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in _TOKEN.findall(normalise(text)))


def _scopes(tokens: tuple[str, ...], is_cue) -> dict[str, str]:
    """{head stem: "cue word"} for the first content word each cue governs (adverbs in -ly skipped)."""
    heads: dict[str, str] = {}
    for i, token in enumerate(tokens):
        if not is_cue(token):
            continue
        for nxt in tokens[i + 1 : i + 1 + _SCOPE]:
            if not nxt[0].isalnum():
                break
            if nxt in STOPWORDS or is_cue(nxt) or nxt.endswith("ly") or nxt in ("to", "be", "been", "have"):
                continue
            heads.setdefault(stem(nxt), " ".join(tokens[i : tokens.index(nxt, i + 1) + 1]))
            break
    return heads


@lru_cache(maxsize=8192)
def _negation_scopes(tokens: tuple[str, ...]) -> dict[str, str]:
    return _scopes(tokens, lambda t: t in _NEGATION or t.endswith("n't"))


@lru_cache(maxsize=8192)
def _modal_scopes(tokens: tuple[str, ...]) -> dict[str, str]:
    return _scopes(tokens, lambda t: t in _MODAL)


def _polarity(statement: str, span: str, scopes, label: str) -> str:
    """A word one text puts under a cue (negated / hedged) that the other uses without one."""
    s_tokens, p_tokens = _tokens(statement), _tokens(span)
    s_heads, p_heads = scopes(s_tokens), scopes(p_tokens)
    s_words = {stem(t) for t in s_tokens}
    p_words = {stem(t) for t in p_tokens}
    for head in s_heads:
        if head in p_words and head not in p_heads:
            return f"{label} differs: the statement says '{s_heads[head]}', the source does not"
    for head in p_heads:
        if head in s_words and head not in s_heads:
            return f"{label} differs: the source says '{p_heads[head]}', the statement does not"
    return ""
