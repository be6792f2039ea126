"""Sentence splitting for English and Korean news text, with character spans.

Rule-based on purpose: NLTK's punkt data cannot be downloaded here, and pysbd has no Korean.
The rules handle abbreviations ("Aug.", "U.S.", "Mr."), initials ("J. K. Rowling"), decimals,
closing quotes after the full stop, and Korean sentence endings ("...했다." "...까?").
"""

from __future__ import annotations

import re

from briefing.text import word_list

# Lower-cased abbreviations that do not end a sentence when followed by a capital; those that also
# commonly end one (split after them only before a typical opener); typical openers. Language
# resources in briefing/data/lang/en/.
ABBREVIATIONS = frozenset(word_list("en", "abbreviations"))
_AMBIGUOUS_END = frozenset(word_list("en", "abbreviations_ending"))
_OPENERS = frozenset(word_list("en", "sentence_openers"))

_CLOSERS = "\"'”’)]»"
_OPENING = "\"'“‘([«"
# A candidate boundary: terminal punctuation, any closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"([.!?。…]+|\.\.\.)([" + re.escape(_CLOSERS) + r"]*)(\s+)")


def _token_before(text: str, end: int) -> str:
    """The word immediately before position `end` (the terminal full stop), lower-cased."""
    start = end
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in _OPENING:
        start -= 1
    return text[start:end].lower()


# Korean quotative particles: a quote followed by one of these goes on (“…입니다.” 라고 말했다).
_QUOTATIVE = frozenset(word_list("ko", "quotative_particles"))


_LOOKAHEAD = 200  # characters after a candidate boundary that decide it (the next word and its case)


def _is_boundary(text: str, match: re.Match) -> bool:
    punct, closers, _space = match.groups()
    after = text[match.end() : match.end() + _LOOKAHEAD]  # a window: copying the rest made long lines quadratic
    if not after:
        return True
    nxt = after[0]
    next_word = after.split(None, 1)[0].strip(_OPENING + _CLOSERS + ",;:")
    if closers and next_word in _QUOTATIVE:
        return False  # the quote is the object of a Korean speech verb that follows
    # A lower-case continuation is never a new sentence (except Korean, which has no case).
    if nxt.islower():
        return False
    if punct != ".":
        return True
    if closers:
        return True  # '... said." Next' : the quote closes the sentence
    token = _token_before(text, match.start())
    bare = token.rstrip(".")
    if not bare:
        return True
    if re.fullmatch(r"[a-z]", bare) and text[match.start() - 1].isupper():
        return False  # an initial: "J. K. Rowling"
    if bare in ABBREVIATIONS:
        if bare in _AMBIGUOUS_END and next_word in _OPENERS:
            return True
        return False
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):
        return next_word in _OPENERS  # other dotted abbreviations: "a.k.a."
    if nxt.isdigit() and bare in ("no", "nos", "p", "pp", "vol", "art"):
        return False
    return True


def split_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences in one paragraph of text."""
    spans: list[tuple[int, int]] = []
    start = 0
    # Skip leading whitespace.
    while start < len(text) and text[start].isspace():
        start += 1
    for match in _BOUNDARY.finditer(text):
        if match.start() < start:
            continue
        if _is_boundary(text, match):
            end = match.end() - len(match.group(3))
            if end > start:
                spans.append((start, end))
            start = match.end()
    tail = text[start:].rstrip()
    if tail.strip():
        spans.append((start, start + len(tail)))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, as strings."""
    return [text[a:b] for a, b in split_spans(text)]
