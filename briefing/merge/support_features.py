"""Alignment features of a (statement, span) pair, for the learned support checker.

Each sentence of the statement is aligned to the span's sentence that holds most of its content
words (and to the best two, for statements that join two sentences). Against that passage and
the whole span it measures what a careful reader checks: how much of the sentence is there, and
whether its numbers, dates, weekdays, months, names, negation and modality agree, and which of its
words stand where the passage has other words (a substitution: "police" for "prosecutors").
The statement's value of each feature is its worst sentence's. No feature measures length: the
pipeline checks short fragments (a figure, a timeline quote) as well as whole sentences.

Pure Python, deterministic, and cached per text: the pipeline checks thousands of pairs a run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from briefing.dates import MONTH_NAMES, MONTHS, WEEKDAYS
from briefing.ingest.sentences import split_sentences
from briefing.merge.support_lexical import (
    _MODAL,
    _NEGATION,
    DEFAULT_MIN_COVERAGE,
    FULL_RESTATEMENT,
    _calendar_dates,
    _missing_names,
    _missing_predicates,
    _modal_scopes,
    _negation_scopes,
    _plain_words,
    _same_date,
    _tokens,
    _without,
)
from briefing.text import STOPWORDS, names, normalise, numbers, stem, words

#: (feature, how a multi-sentence statement combines its sentences' values). "min" for measures
#: of support, "max" for counts of problems: the statement is as good as its worst sentence.
FEATURES: tuple[tuple[str, str], ...] = (
    ("coverage_best", "min"),  # share of content words in the best-aligned sentence
    ("coverage_top2", "min"),  # ... in the best two sentences together
    ("coverage_span", "min"),  # ... anywhere in the span
    ("bigrams_best", "min"),  # share of adjacent content-word pairs in the best sentence's
    ("similarity_best", "min"),  # difflib ratio of the stem sequences, statement vs best sentence
    ("unsupported_words", "max"),  # content words nowhere in the span
    ("unsupported_names", "max"),  # name words nowhere in the span
    ("names_elsewhere", "max"),  # name words in the span but not in the aligned passage
    ("numbers_missing", "max"),  # numbers (outside dates) nowhere in the span
    ("numbers_elsewhere", "max"),  # numbers in the span but not in the aligned passage
    ("dates_missing", "max"),  # calendar dates no date of the span matches
    ("weekdays_missing", "max"),  # weekdays the span does not name
    ("months_missing", "max"),  # months the span does not name
    ("negation_differs", "max"),  # a word negated in one text and not in the other
    ("negation_count_differs", "max"),  # one has a negation cue, the aligned passage none (or reverse)
    ("modality_differs", "max"),  # a word hedged in one text and stated in the other
    ("modals_missing", "max"),  # modal words of the statement ("will") not in the aligned passage
    ("substitutions", "max"),  # statement words standing where the passage has other words
    ("insertions", "max"),  # runs of statement content words with no counterpart in the span
    ("swaps", "max"),  # in a near copy of the passage: words standing where the passage has others
)
NAMES = tuple(name for name, _ in FEATURES)

#: A statement whose stem sequence agrees this much with its passage (difflib ratio) is a near
#: copy of it: a word it has where the passage has another is then an edit, not a paraphrase.
NEAR_COPY = 0.75

_MONTH_WORD = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?|\bMay\b(?=\s+\d|,?\s+(?:19|20)\d\d)|"
    r"(?<=\bin |\bof )May\b"
)
_WORD_TOKEN = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class Analysed:
    """What the features need of one sentence (or of a whole span), computed once per text."""

    text: str
    tokens: tuple[str, ...]  # its word tokens, lower-cased, in order
    stems: tuple[str, ...]  # their stems (numbers without commas, months as numbers), in order
    content: frozenset[str]  # content-word stems, numbers and dates left out
    surface: dict  # content-word stem -> the word as first written
    bigrams: frozenset[tuple[str, str]]
    numbers: frozenset[str]
    dates: tuple
    weekdays: frozenset[str]
    months: frozenset[int]
    names: tuple[str, ...]  # its names (a capitalised single word opening it is not one)
    name_words: frozenset[str]  # lower-cased words of its names
    name_stems: frozenset[str]
    words: frozenset[str]  # lower-cased word tokens and their stems
    negated: bool
    modals: frozenset[str]


@lru_cache(maxsize=32768)
def analyse(text: str) -> Analysed:
    text = normalise(text)
    tokens = _tokens(text)
    word_tokens = [t for t in tokens if _WORD_TOKEN.match(t)]
    stems = tuple(_canonical(t) for t in word_tokens)
    content_order = [s for t, s in zip(word_tokens, stems) if t not in STOPWORDS and not t[0].isdigit() and len(t) > 1]
    dates = _calendar_dates(text)
    first = text.split(" ", 1)[0].strip("\"'(")
    found_names = tuple(dict.fromkeys(n for n in names(text) if n != first and n.lower() not in _CALENDAR_WORDS))
    name_words = frozenset(w.lower() for n in found_names for w in _NAME_WORD.findall(n)) - _CALENDAR_WORDS
    return Analysed(
        text=text,
        tokens=tuple(word_tokens),
        stems=stems,
        content=_plain_words(text),
        surface={stem(w): w for w in reversed(words(text))},
        bigrams=frozenset(zip(content_order, content_order[1:])),
        numbers=frozenset(numbers(_without(text, dates))),
        dates=dates,
        weekdays=frozenset(t for t in word_tokens if t in WEEKDAYS),
        months=frozenset(MONTHS[m.group(0).rstrip(".").lower()] for m in _MONTH_WORD.finditer(text)),
        names=found_names,
        name_words=name_words,
        name_stems=frozenset(stem(w) for w in name_words),
        words=frozenset(word_tokens) | frozenset(stems),
        negated=any(t in _NEGATION or t.endswith("n't") for t in tokens),
        modals=frozenset(t for t in tokens if t in _MODAL),
    )


_CALENDAR_WORDS = frozenset(WEEKDAYS) | frozenset(MONTHS)
_NAME_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")  # as support._tokens splits words


def _canonical(token: str) -> str:
    """A token's stem; a number without thousands commas; a month name as its number ("Aug" =
    "August"; "may" stays a word)."""
    if token[0].isdigit():
        return token.replace(",", "")
    if token in MONTHS and token != "may":
        return f"month{MONTHS[token]}"
    return stem(token)


@lru_cache(maxsize=8192)
def sentences_of(text: str) -> tuple[str, ...]:
    """The sentences of a text of one or more paragraphs (the whole text when it has none)."""
    found = [s for line in text.splitlines() for s in split_sentences(line) if s.strip()]
    return tuple(found) or (text,)


@dataclass(frozen=True)
class SentenceCheck:
    """One statement sentence against the span: its feature values and what they found."""

    sentence: str
    passage: str  # the best-aligned span sentence (the nearest source passage)
    values: dict
    findings: dict  # feature name -> the words, numbers or cues behind a non-zero problem count


def _coverage(wanted: frozenset, have: frozenset) -> float:
    return len(wanted & have) / len(wanted) if wanted else 1.0


def check_sentence(sentence: str, span_sentences: tuple[str, ...], span: str) -> SentenceCheck:
    s = analyse(sentence)
    whole = analyse(span)
    parts = [analyse(p) for p in span_sentences]
    ranked = sorted(range(len(parts)), key=lambda j: (-_coverage(s.content, parts[j].content), j))
    best = parts[ranked[0]]
    top2_content = best.content | (parts[ranked[1]].content if len(ranked) > 1 else frozenset())
    local = [best] + ([parts[ranked[1]]] if len(ranked) > 1 else [])
    local_words = frozenset().union(*(p.words for p in local))
    local_numbers = frozenset().union(*(p.numbers for p in local))
    local_modals = frozenset().union(*(p.modals for p in local))

    findings: dict[str, list[str]] = {}

    def found(feature: str, items) -> int:
        items = sorted(set(items), key=str)
        if items:
            findings[feature] = [str(i) for i in items]
        return len(items)

    unsupported = s.content - whole.content
    unsupported_names = [n for n in s.names if not _has_name(n, whole.words)]
    names_elsewhere = [n for n in s.names if n not in unsupported_names and not _has_name(n, local_words)]
    dates_missing = [m.text for m in s.dates if not any(_same_date(m, o) for o in whole.dates)]
    matcher = SequenceMatcher(None, s.stems, best.stems, autojunk=False)
    opcodes = matcher.get_opcodes()
    similarity = matcher.ratio() if s.stems else 0.0
    # how much of the statement is copied from the passage (a part of a long passage copied
    # word for word is copied, though its ratio to the whole passage is low)
    copied = sum(size for _, _, size in matcher.get_matching_blocks()) / len(s.stems) if s.stems else 0.0
    subs, inserts = _edits(s, best, whole, opcodes)
    values = {
        "coverage_best": _coverage(s.content, best.content),
        "coverage_top2": _coverage(s.content, top2_content),
        "coverage_span": _coverage(s.content, whole.content),
        "bigrams_best": _coverage(s.bigrams, best.bigrams) if s.bigrams else 1.0,
        "similarity_best": similarity,
        "unsupported_words": found("unsupported_words", [s.surface.get(w, w) for w in unsupported]),
        "unsupported_names": found("unsupported_names", unsupported_names),
        "names_elsewhere": found("names_elsewhere", names_elsewhere),
        "numbers_missing": found("numbers_missing", s.numbers - whole.numbers),
        "numbers_elsewhere": found("numbers_elsewhere", (s.numbers & whole.numbers) - local_numbers),
        "dates_missing": found("dates_missing", dates_missing),
        "weekdays_missing": found("weekdays_missing", [d.capitalize() for d in s.weekdays - whole.weekdays]),
        "months_missing": found("months_missing", [MONTH_NAMES[m] for m in s.months - whole.months]),
        "negation_differs": found("negation_differs", _scope_clash(sentence, best.text, _negation_scopes)),
        "negation_count_differs": float(s.negated != any(p.negated for p in local)),
        "modality_differs": found("modality_differs", _scope_clash(sentence, best.text, _modal_scopes)),
        "modals_missing": found("modals_missing", s.modals - local_modals),
        "substitutions": found("substitutions", subs),
        "insertions": found("insertions", inserts),
        "swaps": found("swaps", _swaps(s, best, whole, opcodes) if similarity >= NEAR_COPY else []),
    }
    # A name changed in a sentence copied from its passage, as a finding only (a hard check).
    if max(similarity, copied) >= NEAR_COPY:
        found("name_swaps", _name_swaps(s, best, whole))
    # The lexical checker's rules, as findings only (hard checks of the learned checker).
    if "unsupported_names" not in findings and (missing := _missing_names(sentence, span)):
        findings["unsupported_names"] = [missing.split(": ", 1)[1]]  # acronyms: "U.S."
    if values["coverage_span"] < DEFAULT_MIN_COVERAGE:
        findings["low_coverage"] = [f"only {values['coverage_span']:.0%} of its content words are in the source"]
    if values["coverage_span"] < FULL_RESTATEMENT and (verbs := _missing_predicates(sentence, span)):
        findings["predicates_missing"] = [verbs.split(": ", 1)[1]]
    return SentenceCheck(sentence, best.text, values, findings)


def _has_name(name: str, have: frozenset[str]) -> bool:
    return all(w.lower() in have or stem(w.lower()) in have for w in _NAME_WORD.findall(name))


def _scope_clash(statement: str, passage: str, scopes) -> list[str]:
    """Words under a cue (negated, hedged) in one text and used without it in the other."""
    s_tokens, p_tokens = _tokens(statement), _tokens(passage)
    s_heads, p_heads = scopes(s_tokens), scopes(p_tokens)
    s_words = {stem(t) for t in s_tokens}
    p_words = {stem(t) for t in p_tokens}
    clash = [f"statement: '{s_heads[h]}'" for h in s_heads if h in p_words and h not in p_heads]
    clash += [f"source: '{p_heads[h]}'" for h in p_heads if h in s_words and h not in s_heads]
    return clash


def _edits(s: Analysed, best: Analysed, whole: Analysed, opcodes) -> tuple[list[str], list[str]]:
    """Statement words the span lacks, where the aligned passage has other words in their place
    ("X for Y", a substitution) or nothing (an insertion)."""
    subs, inserts = [], []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag not in ("replace", "delete"):
            continue
        new = [w for w in s.stems[i1:i2] if w not in whole.words and w not in STOPWORDS and w.isalpha() and len(w) > 1]
        if not new:
            continue
        if tag == "replace" and i2 - i1 <= 3 and j2 - j1 <= 3:
            old = [w for w in best.stems[j1:j2] if w not in STOPWORDS and w not in s.stems]
            if old:
                subs.append(f"'{' '.join(s.tokens[i1:i2])}' where the source has '{' '.join(best.tokens[j1:j2])}'")
                continue
        inserts.append(" ".join(new))
    return subs, inserts


def _swaps(s: Analysed, best: Analysed, whole: Analysed, opcodes) -> list[str]:
    """Short runs of the statement standing where the passage has other words, when the
    statement's words there are nowhere in the span (modal words: not in the passage), as in
    "prosecutors" for "police", "Friday" for "Monday", "will" for "may"; or one name of the span
    for another."""
    swaps = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "replace" or i2 - i1 > 3 or j2 - j1 > 3:
            continue
        # Numbers and dates are compared by value in their own checks.
        mine = [
            w for w in s.stems[i1:i2]
            if w.isalpha() and (w not in whole.words if w not in _MODAL else w not in best.words) and w not in STOPWORDS - _MODAL
        ]
        theirs = [w for w in best.stems[j1:j2] if w.isalpha() and w not in s.words and (w not in STOPWORDS or w in _MODAL)]
        if not (mine and theirs):  # one name of the passage for another of it ("Park" for "Pak")
            mine = [w for w in s.stems[i1:i2] if w in s.name_stems and w not in best.stems[j1:j2]]
            theirs = [w for w in best.stems[j1:j2] if w in best.name_stems and w not in s.stems[i1:i2]]
        if mine and theirs:
            swaps.append(f"'{' '.join(s.tokens[i1:i2])}' where the source has '{' '.join(best.tokens[j1:j2])}'")
    return swaps


def _name_swaps(s: Analysed, best: Analysed, whole: Analysed) -> list[str]:
    """Names of the statement that are one name of the passage with some of its words replaced
    by words of another name of the span ("Mayor Acme" where the passage has "Mayor Jane Doe",
    Acme named elsewhere in it), compared name against name, so that words
    added or moved elsewhere in the sentence do not hide the change from the word alignment. A
    name that is a name of the span, whole or in part, is never one."""
    span_names = [frozenset(_name_stems(n)) for n in whole.names]
    swaps = []
    for name in s.names:
        mine_stems = _name_stems(name)
        if any(set(mine_stems) <= other for other in span_names):
            continue
        mine_words = [w.lower() for w in _NAME_WORD.findall(name)]
        for passage_name in best.names:
            their_stems = _name_stems(passage_name)
            their_words = [w.lower() for w in _NAME_WORD.findall(passage_name)]
            matcher = SequenceMatcher(None, mine_stems, their_stems, autojunk=False)
            if not any(size for _, _, size in matcher.get_matching_blocks()):
                continue  # another name altogether
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag != "replace":
                    continue
                new = [w for w in mine_stems[i1:i2] if w in whole.name_stems and w not in their_stems]
                old = [w for w in their_stems[j1:j2] if w not in mine_stems]
                if new and old:
                    swaps.append(f"'{' '.join(mine_words[i1:i2])}' where the source has '{' '.join(their_words[j1:j2])}'")
    return swaps


def _name_stems(name: str) -> list[str]:
    return [stem(w.lower()) for w in _NAME_WORD.findall(name)]


def extract(statement: str, span: str) -> tuple[list[float], list[SentenceCheck]]:
    """The feature vector (in FEATURES order) and the per-sentence checks behind it."""
    span_sentences = sentences_of(span)
    checks = [check_sentence(sentence, span_sentences, span) for sentence in sentences_of(statement)]
    vector = []
    for name, combine in FEATURES:
        values = [c.values[name] for c in checks]
        vector.append(float(min(values) if combine == "min" else max(values)))
    return vector, checks
