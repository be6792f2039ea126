"""Small, shared text utilities: tokens, stems, content words, numbers and names.

Every stage that compares texts (condense, merge, align, support, conflicts) uses these, so two
stages never disagree about what a "content word" or a "number" is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")

HANGUL = re.compile(r"[\uac00-\ud7a3]")
_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?|[A-Za-z]+(?:['’][A-Za-z]+)*|[\uac00-\ud7a3]+")
# Numbers as written: 1,200 / 3.5 / 30% / 10-fold. A trailing "th"/"st" is dropped by the caller.
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?%|\s?percent|-fold)?", re.I)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "hundred": 100,
    "dozen": 12,
}
# A capitalised word sequence, allowing hyphenated given names (Woo Jong-soo) and short joiners.
_NAME = re.compile(
    r"\b(?:[A-Z][a-z]+(?:-[a-z]+)?|[A-Z]{2,})(?:\s+(?:of|the|and|for|de|von)?\s*(?:[A-Z][a-z]+(?:-[a-z]+)?|[A-Z]{2,}))*"
)

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself yourselves said says
    say told according also would could may might must shall one ’s 's s t mr ms mrs""".split()
)

# Words that start sentences and are therefore capitalised without being names.
_NOT_NAMES = frozenset(
    """The A An This That These Those It Its He She They We I In On At For From By With As But And
    Or If When While After Before Since During Meanwhile However Although Because Some Many Most
    Other Such Among Over Under According Additionally Furthermore Despite Regarding Earlier Back
    One Two Three Mr Ms Mrs Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Jan Feb Mar Apr
    Jun Jul Aug Sep Sept Oct Nov Dec Yet Also Still Then There Here Now Not No Yes Just Only Even""".split()
)


def normalise(text: str) -> str:
    """NFKC, unify quotes and dashes, collapse whitespace."""
    text = unicodedata.normalize("NFKC", text)
    text = (
        text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
        .replace("―", "-").replace("—", "-").replace("–", "-")
    )
    return re.sub(r"\s+", " ", text).strip()


def is_korean(text: str, threshold: float = 0.3) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    return sum(1 for c in letters if HANGUL.match(c)) / len(letters) >= threshold


def words(text: str) -> list[str]:
    """Word tokens, lower-cased (numbers kept as written)."""
    return [w.lower() for w in _WORD.findall(normalise(text))]


# News paraphrase groups: words reporters use interchangeably for the same event, mapped to one
# canonical stem so that "launched an inquiry" and "initiated a probe" compare as the same.
_SYNONYM_GROUPS = (
    ("launch", "initiate", "open", "start", "begin", "commence"),
    ("investigation", "investigate", "probe", "inquiry", "investigative"),
    ("arrest", "apprehend", "detain", "detention", "custody"),
    ("preliminary", "unofficial", "internal"),
    ("founder", "co-founder", "cofounder"),
    ("korea", "korean"),
    ("increase", "rise", "surge", "jump", "grow", "growth"),
    ("decrease", "fall", "drop", "decline"),
    ("law", "legislation", "bill"),
    ("tough", "strict", "stringent", "harsh"),
    ("say", "state", "announce", "tell", "note", "report"),
    ("suspect", "suspicion"),
    ("kill", "murder", "slay"),
    ("pornography", "porn", "pornographic"),
    ("chatroom", "chat"),
)
_SYNONYMS: dict[str, str] = {}


def _canonical_stems() -> dict[str, str]:
    if not _SYNONYMS:
        for group in _SYNONYM_GROUPS:
            head = _STEMMER.stemWord(group[0])
            for word in group:
                _SYNONYMS[_STEMMER.stemWord(word)] = head
    return _SYNONYMS


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if HANGUL.match(word):
        # Korean: strip the most common particles so 텔레그램은/텔레그램을 match.
        return re.sub(r"(은|는|이|가|을|를|의|에|에서|에게|로|으로|와|과|도|만|까지|부터)$", "", word) or word
    stemmed = _STEMMER.stemWord(word)
    return _canonical_stems().get(stemmed, stemmed)


def content_words(text: str) -> list[str]:
    """Stemmed tokens minus stopwords and bare punctuation: what a statement is about."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def number_value(raw: str) -> float | None:
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        return None


def numbers(text: str) -> list[str]:
    """Numbers in a text, canonicalised ("1,200" -> "1200", "30 percent" -> "30%").

    Years and day numbers are included: a statement's numbers must all be backed by its source.
    """
    found = [value for value, _, _ in number_mentions(normalise(text))]
    for w in words(text):
        if w in _NUMBER_WORDS:
            found.append(str(_NUMBER_WORDS[w]))
    return found


def number_mentions(text: str) -> list[tuple[str, int, int]]:
    """(canonical value, start, end) of each digit number in `text` as given (not normalised)."""
    found = []
    for match in _NUMBER.finditer(text):
        value = match.group(1).replace(",", "")
        suffix = (match.group(2) or "").strip().lower()
        value += "%" if suffix in ("%", "percent") else ("-fold" if suffix == "-fold" else "")
        found.append((value, match.start(), match.end()))
    return found


def names(text: str) -> list[str]:
    """Capitalised multi-word or mid-sentence names ("Pavel Durov", "Telegram", "KCSC")."""
    text = normalise(text)
    result: list[str] = []
    for match in _NAME.finditer(text):
        tokens = match.group(0).split()
        while tokens and tokens[0] in _NOT_NAMES:
            tokens = tokens[1:]
        while tokens and tokens[-1].lower() in ("of", "the", "and", "for", "de", "von"):
            tokens = tokens[:-1]
        if tokens:
            result.append(" ".join(tokens))
    return result


def char_ngrams(text: str, n: int = 3) -> set[str]:
    flat = re.sub(r"\s+", " ", normalise(text).lower())
    return {flat[i : i + n] for i in range(max(0, len(flat) - n + 1))}


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
