"""Sentence splitting for English and Korean news text, with character spans.

Rule-based on purpose: NLTK's punkt data cannot be downloaded here, and pysbd has no Korean.
The rules handle abbreviations ("Aug.", "U.S.", "Mr."), initials ("J. K. Rowling"), decimals,
closing quotes after the full stop, and Korean sentence endings ("...했다." "...까?"). Korean
text outside news also ends a sentence with no full stop before a line break or a polite ending
(data/lang/ko/final_endings.txt), follows the stop with a reference mark ("다.[2]") or glues the
next sentence on ("했다.그는"); a quotation with a particle glued on stays in its
sentence ("“…했다.”라고 말했다"). A blank line always ends a sentence.
"""

from __future__ import annotations

import re

from briefing.text import HANGUL, word_list

# Lower-cased abbreviations that do not end a sentence when followed by a capital; those that also
# commonly end one (split after them only before a typical opener); typical openers. Language
# resources in briefing/data/lang/en/.
ABBREVIATIONS = frozenset(word_list("en", "abbreviations"))
_AMBIGUOUS_END = frozenset(word_list("en", "abbreviations_ending"))
_OPENERS = frozenset(word_list("en", "sentence_openers"))

_CLOSERS = "\"'”’)]»"
_OPENING = "\"'“‘([«"
# A candidate boundary: terminal punctuation, any closing quotes/brackets and reference marks
# ("[2]", "[출처]"), then whitespace, or a Korean word glued on ("했다.그는", decided below).
_REFERENCE = r"(?:\[[^\[\]\n]{1,12}\])*"
_BOUNDARY = re.compile(
    r"([.!?。…]+|\.\.\.)([" + re.escape(_CLOSERS) + r"]*" + _REFERENCE + r")(\s+|(?=[\uac00-\ud7a3“‘]))"
)
# A Korean sentence with no final mark: its ending before a line break (or a polite ending before
# a space), and a blank line after anything.
_ENDINGS = [line.split() for line in word_list("ko", "final_endings")]
# Besides the listed endings: 다 after any syllable closed by ㅆ (past and future: 탔다, 겠다) or
# by ㄴ (present: 탄다, 믿는다).
_TENSED = "".join(chr(c) for c in range(0xAC00, 0xD7A4) if (c - 0xAC00) % 28 in (4, 20))
_ANY_ENDING = "|".join(sorted((e[0] for e in _ENDINGS), key=len, reverse=True)) + "|[" + _TENSED + "]다"
_STRONG_ENDING = "|".join(sorted((e[0] for e in _ENDINGS if e[1:] == ["strong"]), key=len, reverse=True))
_UNMARKED = re.compile(r"(?:" + _ANY_ENDING + r")[" + re.escape(_CLOSERS) + r"]*(?=[ \t]*\n)")
_PARAGRAPH = re.compile(r"(?<=\S)(?=[ \t]*\n[ \t]*\n)")
# A headline: a short first line with no final mark, above the text it heads.
_HEADLINE = re.compile(r"\A[ \t]*(?=[^\n]*[\uac00-\ud7a3])[^\n.!?。…]{2,40}?(?<=\S)(?=[ \t]*\n[ \t]*\S)")
_POLITE = re.compile(r"(?<=[\uac00-\ud7a3])(?:" + _STRONG_ENDING + r")(?=[ \t]+[\uac00-\ud7a3])")
_KOREAN_ENDED = re.compile(r"(?:" + _ANY_ENDING + r")$")


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
    punct, closers, space = match.groups()
    after = text[match.end() : match.end() + _LOOKAHEAD]  # a window: copying the rest made long lines quadratic
    if not after:
        return True
    nxt = after[0]
    next_word = after.split(None, 1)[0].strip(_OPENING + _CLOSERS + ",;:")
    if not space:  # glued on: only a Korean sentence ending ("했다.그는"), not "한.미" or a quotative
        before = text[: match.start()]
        if not (_KOREAN_ENDED.search(before) or punct != "." and before[-1:] and HANGUL.match(before[-1])):
            return False
        if closers:  # “…했다.”라고, ”며, ”는 말: the quote goes on into its sentence; ”“ opens another
            return nxt in "“‘"
        return not next_word.startswith(tuple(_QUOTATIVE))
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


def _candidates(text: str) -> list[tuple[int, int, re.Match | str]]:
    """(end of a sentence, start of the next, the punctuation match or "unmarked" or
    "paragraph") for every place a sentence may end, in order."""
    found: list[tuple[int, int, re.Match | str]] = [(m.end() - len(m.group(3)), m.end(), m) for m in _BOUNDARY.finditer(text)]
    korean, lines = bool(HANGUL.search(text)), "\n" in text
    patterns = [("unmarked", _POLITE)] if korean else []
    if korean and lines:
        patterns += [("unmarked", _UNMARKED), ("paragraph", _HEADLINE)]
    if lines:
        patterns.append(("paragraph", _PARAGRAPH))
    for kind, pattern in patterns:
        for m in pattern.finditer(text):
            found.append((m.end(), len(text) - len(text[m.end():].lstrip()), kind))
    return sorted(found, key=lambda c: (c[0], isinstance(c[2], str)))


def split_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences in one paragraph of text."""
    spans: list[tuple[int, int]] = []
    start = 0
    # Skip leading whitespace.
    while start < len(text) and text[start].isspace():
        start += 1
    for end, resume, match in _candidates(text):
        if end <= start:
            continue
        if isinstance(match, re.Match):
            if not _is_boundary(text, match):
                continue
        elif match == "unmarked" and _continues(text, resume):
            continue
        piece = text[start:end].rstrip()
        if piece:
            spans.append((start, start + len(piece)))
        start = resume
    tail = text[start:].rstrip()
    if tail.strip():
        spans.append((start, start + len(tail)))
    return spans


def _continues(text: str, resume: int) -> bool:
    """After an unmarked ending, the next words go on with it: a quotative particle ("…했다
    라고") or a lower-case word."""
    after = text[resume : resume + _LOOKAHEAD]
    next_word = after.split(None, 1)[0].strip(_OPENING + _CLOSERS + ",;:") if after.strip() else ""
    return next_word in _QUOTATIVE or after[:1].islower()
def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, as strings."""
    return [text[a:b] for a, b in split_spans(text)]
