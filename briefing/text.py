"""Small, shared text utilities: tokens, stems, content words, numbers and names.

Every stage that compares texts (condense, merge, align, support, conflicts) uses these, so two
stages never disagree about what a "content word" or a "number" is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=None)
def word_list(language: str, name: str) -> tuple[str, ...]:
    """A language resource shipped with the package, `briefing/data/lang/<language>/<name>.txt`:
    one entry a line, `#` starts a comment, blank lines ignored. Order is kept."""
    path = resources.files("briefing").joinpath("data", "lang", language, f"{name}.txt")
    entries = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(entry for entry in entries if entry)


HANGUL = re.compile(r"[\uac00-\ud7a3]")
_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?|[A-Za-z]+(?:['’][A-Za-z]+)*|[\uac00-\ud7a3]+")
# Numbers as written: 1,200 / 3.5 / 30% / 10-fold. A trailing "th"/"st" is dropped by the caller.
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?%|\s?percent|-fold)?", re.I)
# Spelled-out numbers a statement may state ("three suspects"); "one" too, for the support check.
_NUMBER_WORDS = {"one": 1, **{w: int(v) for w, v in (line.split() for line in word_list("en", "number_words"))}}
# A capitalised word sequence, allowing hyphenated given names (Kim Dae-ho) and short joiners.
_NAME = re.compile(
    r"\b(?:[A-Z][a-z]+(?:-[a-z]+)?|[A-Z]{2,})(?:\s+(?:of|the|and|for|de|von)?\s*(?:[A-Z][a-z]+(?:-[a-z]+)?|[A-Z]{2,}))*"
)

STOPWORDS = frozenset(word_list("en", "stopwords"))

# Words that start sentences and are therefore capitalised without being names.
_NOT_NAMES = frozenset(word_list("en", "not_names"))


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """NFKC, unify quotes and dashes, collapse whitespace (memoised: every stage normalises the same sentences)."""
    text = unicodedata.normalize("NFKC", text)
    text = (
        text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
        .replace("―", "-").replace("—", "-").replace("–", "-")
    )
    return re.sub(r"\s+", " ", text).strip()


_LETTER = re.compile(r"[^\W\d_]")


_EDIT_MARKS = re.compile(r"\[([^\[\]]+)\]")


def without_edit_marks(text: str) -> str:
    """The text with an editor's brackets taken off their words ("[Rand Paul] added" -> "Rand
    Paul added"): what a source must support is the words, not the marks."""
    return _EDIT_MARKS.sub(r"\1", text)


def is_korean(text: str, threshold: float = 0.3) -> bool:
    """At least `threshold` of the letters are Hangul syllables (counted by regex: fast on long text)."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return False
    return len(HANGUL.findall(text)) / letters >= threshold


def words(text: str) -> list[str]:
    """Word tokens, lower-cased (numbers kept as written)."""
    return [w.lower() for w in _WORD.findall(normalise(text))]


# News paraphrase groups (briefing/data/lang/en/synonyms.txt): words reporters use interchangeably
# for the same event, mapped to one canonical stem so that "launched an inquiry" and "initiated a
# probe" compare as the same.
_SYNONYMS: dict[str, str] = {}
# A demonym compares as its place: "American" / "America", "Indian" / "India", "Russian" / "Russia".
_DEMONYM = re.compile(r"^(\w{3,}(?:e|i|ic)a)n$")


def _canonical_stems() -> dict[str, str]:
    if not _SYNONYMS:
        for line in word_list("en", "synonyms"):
            group = line.split()
            head = _STEMMER.stemWord(group[0])
            for word in group:
                _SYNONYMS[_STEMMER.stemWord(word)] = head
    return _SYNONYMS


@lru_cache(maxsize=None)
def _particle_end() -> re.Pattern:
    particles = sorted(word_list("ko", "particles"), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, particles)) + ")$")


def strip_particle(word: str) -> str:
    """A Korean word without its final particle (플랫폼에서 -> 플랫폼); a one-syllable word stays."""
    if len(word) < 2:
        return word
    return _particle_end().sub("", word) or word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if HANGUL.match(word):
        # Korean: strip the particle so 플랫폼은/플랫폼을 match.
        return strip_particle(word)
    demonym = _DEMONYM.match(word)
    if demonym:
        word = demonym.group(1)
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
    """Capitalised multi-word or mid-sentence names ("Jane Doe", "Acme", "UNESCO")."""
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


# -- quantities: numbers with their scale and unit, in English and Korean ----------------------

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_KO_SMALL = {"십": 10, "백": 100, "천": 1000}
_KO_BIG = {"만": 10**4, "억": 10**8, "조": 10**12}
_KO_GROUP = r"(?:" + _DIGITS + r")(?:[십백천]?[만억조]|[십백천])"
# "1조 2천억", "3천만", "150만", "2천500", "1,200", "7.1": scaled groups, then maybe plain digits.
_KO_NUMBER = re.compile(
    r"(?<![0-9A-Za-z.,])(?P<num>(?:" + _KO_GROUP + r"\s?)*(?:" + _KO_GROUP + r"|(?:" + _DIGITS + r")(?![0-9])))"
    r"(?P<approx>여|餘)?(?P<pct>\s?(?:%|퍼센트|프로))?"
)
_EN_SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9, "trillion": 10**12, "tn": 10**12}
_EN_NUMBER = re.compile(
    r"(?<![\w.,])(?P<num>" + _DIGITS + r")"
    r"(?:(?:\s|-)?(?P<scale>thousand|million|billion|trillion)\b|(?P<short>k|m|mn|bn|tn)\b)?"
    r"(?P<pct>\s?%|\s?percent\b|\s?per cent\b)?(?P<fold>-fold\b)?",
    re.I,
)
_GROUP_PARTS = re.compile(r"(" + _DIGITS + r")([십백천]?)([만억조]?)")


@dataclass(frozen=True)
class Quantity:
    """A number as a reader takes it: "150만 파운드" is 1,500,000 pounds, "1.5 million" too."""

    value: float
    percent: bool  # a percentage (or "-fold": a ratio), not a count
    unit: str  # the counter or unit word right after it ("명", "파운드", "people"), "" if none
    start: int
    end: int  # of the number with its scale and percent sign (not the unit)
    text: str  # as written, the same span

    @property
    def canonical(self) -> str:
        """"1500000", "7.1", "53%": equal for equal quantities in either language."""
        number = f"{self.value:.6f}".rstrip("0").rstrip(".")
        return number + ("%" if self.percent else "")


def _korean_value(raw: str) -> float:
    total = 0.0
    for digits, small, big in _GROUP_PARTS.findall(raw.replace(" ", "")):
        total += float(digits.replace(",", "")) * _KO_SMALL.get(small, 1) * _KO_BIG.get(big, 1)
    return total


def _unit_after(text: str, end: int, language: str) -> str:
    if language == "ko":
        attached = re.match(r"[\uac00-\ud7a3A-Za-z]+", text[end:])
        if attached:
            unit = _korean_unit(attached.group(0))
            return "" if unit in word_list("ko", "particles") else unit
        spaced = re.match(r"\s([\uac00-\ud7a3A-Za-z]+)", text[end:])
        if spaced and _korean_unit(spaced.group(1)) in word_list("ko", "units"):
            return _korean_unit(spaced.group(1))
        return ""
    following = re.match(r"\s?([A-Za-z][A-Za-z'-]*)", text[end:])
    if not following:
        return ""
    word = following.group(1).lower()
    return word.split("-")[0] if re.match(r"(?:st|nd|rd|th)(?:-|$)", word) else word


def _korean_unit(word: str) -> str:
    """The counter at the start of a word: "건의" -> "건", "명이" -> "명", "마일" -> "마일"."""
    for unit in sorted(word_list("ko", "units") + word_list("ko", "not_figure_units"), key=len, reverse=True):
        if word.startswith(unit):
            return unit
    return strip_particle(word)


@lru_cache(maxsize=None)
def _number_words(language: str) -> tuple[dict[str, int], re.Pattern]:
    values = {word: int(value) for word, value in (line.split() for line in word_list(language, "number_words"))}
    alternatives = "|".join(sorted(map(re.escape, values), key=len, reverse=True))
    if language == "ko":  # a native numeral as its own word before a noun ("두 국가"), or on a counter ("두명")
        counters = "|".join(sorted(map(re.escape, word_list("ko", "units")), key=len, reverse=True))
        pattern = r"(?<![\uac00-\ud7a3])(" + alternatives + r")(?=\s[\uac00-\ud7a3]|(?:" + counters + r"))"
    else:
        pattern = r"\b(" + alternatives + r")(?:[\s-](thousand|million|billion|trillion))?\b(?![-\w])"
    return values, re.compile(pattern, re.I)


def _spelled(text: str, language: str) -> list[Quantity]:
    values, pattern = _number_words(language)
    found = []
    for m in pattern.finditer(text):
        value = float(values[m.group(1).lower()])
        if language == "en" and m.group(2):
            value *= _EN_SCALES[m.group(2).lower()]
        found.append(Quantity(value, False, _unit_after(text, m.end(), language), m.start(), m.end(), m.group(0)))
    return found


def quantities(text: str, spelled: bool = False) -> list[Quantity]:
    """Every number in `text` with its scale, in order: Korean (만/억/조, 천, 여, 퍼센트) where the
    text has Hangul, English (million, bn, percent) otherwise. Commas and decimals kept apart.
    With `spelled`, numbers written in words too ("three points", "세 차례")."""
    found = _digit_quantities(text)
    if spelled:
        found = sorted(found + _spelled(text, "ko" if HANGUL.search(text) else "en"), key=lambda q: q.start)
    return found


def _digit_quantities(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    if HANGUL.search(text):
        for m in _KO_NUMBER.finditer(text):
            num = m.group("num").rstrip()
            end = m.start("num") + len(num)
            if m.group("approx"):
                end = m.end("approx")
            if m.group("pct"):
                end = m.end("pct")
            unit = "" if m.group("pct") else _unit_after(text, end, "ko")
            found.append(Quantity(_korean_value(num), bool(m.group("pct")), unit, m.start(), end, text[m.start():end]))
        return found
    for m in _EN_NUMBER.finditer(text):
        value = float(m.group("num").replace(",", ""))
        scale = (m.group("scale") or m.group("short") or "").lower()
        value *= _EN_SCALES.get(scale, 1)
        unit = "fold" if m.group("fold") else _unit_after(text, m.end(), "en")
        found.append(Quantity(value, bool(m.group("pct")), unit, m.start(), m.end(), m.group(0)))
    return found
