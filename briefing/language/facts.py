"""A sentence's facts about itself (see the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from briefing.language import english, korean
from briefing.text import HANGUL, strip_particle, word_list

# Quotation marks: an opening curly mark, a closing one, and the straight mark that is either.
_OPENING, _CLOSING = "“‘", "”’"
_WORD = re.compile(r"[\w’'-]+")
_ENDS = re.compile(r"[.!?…][\"'”’)\]]*(?:\[[^\[\]]{1,12}\])*\s*$|[\"”’]\s*$")  # "다.[2]" too


@dataclass(frozen=True)
class SentenceFacts:
    text: str
    language: str  # "en" or "ko"
    opener: str | None  # the first word, when it points back ("But", "He", "그러나", "그는")
    opener_kind: str | None  # "connective" or "pronoun"
    question: bool
    words: int
    ends: bool  # ends on a sentence mark (or a closing quote)
    quotation: str  # "none", "balanced", "unclosed" (opens a quote it never closes) or "unopened"
    first_person: bool = False  # English: "I", "we", "my" … outside any quotation (a voice with no speaker named)
    speakerless: bool = False  # all of it one quotation, nothing outside it: whose words they are is not said

    @cached_property
    def _doc(self):
        """The parse, made only when a fact that needs it is asked for (English, with spaCy)."""
        if self.language != "en" or english.pipeline() is None:
            return None
        return english.parse(self.text.strip())

    @property
    def verbless(self) -> bool | None:
        """No verb at all ("And for almost everybody else."); None without a parser. Parts of
        speech are enough: the tagger alone answers it (english.tags)."""
        if self.language != "en" or english.pipeline() is None:
            return None
        return not any(t.pos_ in ("VERB", "AUX") for t in english.tags(self.text.strip()))

    @property
    def people(self) -> tuple[str, ...]:
        """The people it names, in order (the parser's PERSON entities; () without one)."""
        doc = self._doc
        return () if doc is None else tuple(dict.fromkeys(e.text for e in doc.ents if e.label_ == "PERSON"))

    @property
    def places(self) -> tuple[tuple[str, int, int], ...]:
        """The places it names, (text, start, end) in the stripped sentence, in order: the
        parser's GPE, LOC and FAC entities, and capitalised words after in/at/near/outside that
        are no date (the small parser takes "in Dayton" for an organisation now and then)."""
        doc = self._doc
        found = {}
        if doc is not None:
            found = {(e.start_char, e.end_char): e.text for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")}
        timed = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")] if doc is not None else []
        for m in _PLACE_AFTER.finditer(self.text.strip()):
            words = m.group(1).split()
            if any(w.lower() in _CALENDAR_WORDS for w in words) or any(s <= m.start(1) < e for s, e in timed):
                continue
            if not any(s < m.end(1) and m.start(1) < e for s, e in found):
                found[(m.start(1), m.end(1))] = m.group(1)
        return tuple((text, start, end) for (start, end), text in sorted(found.items()))

    @property
    def subject_person(self) -> str | None:
        """The person who is the subject of its main verb ("Moore has decided", "…, said Lucy
        Smith"), by the parser; None without one, or when the subject is not a person."""
        doc = self._doc
        if doc is None:
            return None
        for entity in doc.ents:
            if entity.label_ == "PERSON" and any(t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" for t in entity):
                return entity.text
        return None

    def modifies_noun(self, start: int, end: int) -> bool:
        """The word at text[start:end] (of the stripped sentence) modifies a common noun after it
        ("the Trump administration", "as Trump administration has"), by the parser; False without one."""
        doc = self._doc
        if doc is None:
            return False
        span = doc.char_span(start, end, alignment_mode="expand")
        return span is not None and any(
            t.dep_ == "compound" and t.head.i > t.i and t.head.pos_ == "NOUN" for t in span)

    def names_number(self, start: int, end: int) -> bool:
        """The number at text[start:end] is part of a name, a score, a vote or a span of years, not
        a count of anything: joined by a hyphen or dash to another number ("52-48", "the 2-2 draw",
        "1950-53", "9-11"), or right after a capitalised word that does not open the sentence and
        is no month or weekday ("Category 4", "S&P 500", "Radio 4", "Nord Stream 2", "S.B. 8")."""
        if self.language != "en":
            return False
        if _NUMBER_JOINED_AFTER.match(self.text, end) or _NUMBER_JOINED_BEFORE.search(self.text[:start]):
            return True
        before = _NAME_WORD_BEFORE.search(self.text[:start])
        if before is None or not self.text[: before.start(1)].strip(" \"'“‘("):
            return False  # no capitalised word before it, or that word opens the sentence
        return before.group(1).rstrip(".").lower() not in _CALENDAR_WORDS | _MONTH_ABBREVIATIONS

    def counted_noun(self, start: int, end: int, skip: frozenset[str] = frozenset()) -> str | None:
        """Korean, with Kiwi: what the number at text[start:end] counts ("" when Kiwi finds no
        noun for it); None without Kiwi (the caller's rules decide)."""
        if self.language != "ko" or korean.pipeline() is None:
            return None
        return korean.counted_noun(self.text, start, end, skip) or ""

    def korean_subject(self, bare: str) -> str | None:
        """Korean, with Kiwi: the noun phrase that is the subject of `bare` (this sentence with
        its quotations blanked out), "" when it is a pronoun or none is found; None without Kiwi."""
        if self.language != "ko" or korean.pipeline() is None:
            return None
        return korean.subject_noun(bare) or ""

    @property
    def fragment(self) -> bool:
        """Not a whole statement: under six words, no closing mark, or no verb."""
        return self.words < 6 or not self.ends or bool(self.verbless)

    @property
    def whole_quote(self) -> bool:
        """Its quotation marks open and close inside it (or it has none)."""
        return self.quotation in ("none", "balanced")

    @property
    def refers_back(self) -> bool:
        """Opens on a definite description of what an earlier sentence told ("The move will …",
        "The total would be …", "The comments come after …"; data/lang/en/anaphoric_nouns.txt), not
        on one it completes itself ("The number of people …"). English only."""
        return self.language == "en" and bool(_reference_opener().match(self.text.lstrip("\"'“‘ ")))

    @property
    def stands_alone(self) -> bool:
        """Can be listed as a point as it is: a whole statement that does not lean on the sentence
        before it, no piece of a quotation, and no quotation whose speaker it does not name."""
        return self.stands_alone_unparsed and not self.verbless  # the parse last

    @property
    def stands_alone_unparsed(self) -> bool:
        """Everything `stands_alone` asks that needs no parse (`read_all` tags only these)."""
        return self._whole_unparsed and not self.speakerless

    @property
    def whole_statement(self) -> bool:
        """`stands_alone` but for naming the speaker of a quotation: what an article that must be
        cited shows when nothing of it stands alone (its quotation in full, not a piece of it)."""
        return self._whole_unparsed and not self.verbless

    @property
    def _whole_unparsed(self) -> bool:
        return (self.opener is None and not self.question and self.whole_quote and not self.first_person
                and self.words >= 6 and self.ends)


def reset() -> None:
    """Forget every reading and the loaded parser (after BRIEFING_PARSER changes)."""
    read.cache_clear()
    english.forget()
    english.pipeline.cache_clear()
    korean.reset()


def reader() -> str:
    """How English sentences are read: "spaCy en_core_web_sm 3.8.0", or "rules"."""
    return english.description() or "rules"


def korean_reader() -> str:
    """How Korean figure and attribution sentences are read: "Kiwi 0.24.1", or "rules"."""
    return korean.description() or "rules"


@lru_cache(maxsize=65536)
def read(text: str) -> SentenceFacts:
    """The facts of one sentence (memoised by its text: every stage asks about the same ones)."""
    language = "ko" if HANGUL.search(text) else "en"
    stripped = text.strip()
    opener, kind = _opener(stripped, language)
    tokens = _WORD.findall(stripped)
    return SentenceFacts(
        text=text,
        language=language,
        opener=opener,
        opener_kind=kind,
        question=stripped.rstrip("\"'”’) ").endswith("?"),
        words=len(tokens) * (2 if language == "ko" else 1),  # a Korean word carries its particles
        ends=bool(_ENDS.search(stripped)),
        quotation=_quotation(stripped),
        first_person=_first_person(_QUOTED.sub(" ", stripped), language),
        speakerless=bool(_ONE_QUOTATION.fullmatch(stripped)),
    )


def read_all(texts) -> list[SentenceFacts]:
    """`read` of each text, with the English ones whose standing alone hinges on their verbs
    tagged in one batch (about half the cost of tagging them one by one)."""
    found = [read(text) for text in texts]
    if any(f.language == "en" for f in found) and english.pipeline() is not None:
        english.tag_all(f.text.strip() for f in found if f.language == "en" and f.stands_alone_unparsed)
    return found


def _first_person(unquoted: str, language: str) -> bool:
    """Says "I", "we", "my" (나는, 우리가, 제) outside quotations (data/lang/*/first_person.txt)."""
    words = word_list(language, "first_person")
    if language == "ko":
        return any(strip_particle(w.strip(",.!?")) in words for w in unquoted.split())
    return any(w in words for w in re.findall(r"[A-Za-z]+", re.sub(r"['’](?:s|t)\b", " ", unquoted)))


def _opener(text: str, language: str) -> tuple[str | None, str | None]:
    """The first word when it points back (data/lang/*/context_openers.txt), and whether it is a
    pronoun (data/lang/*/pronouns.txt: "He", "그는") or a connective ("But", "그러나")."""
    first = text.lstrip("\"'“‘ ").split(None, 1)
    if not first:
        return None, None
    if language == "ko":
        core = first[0].rstrip(",")
        if core not in word_list("ko", "context_openers"):
            return None, None
        return core, "pronoun" if strip_particle(core) in word_list("ko", "pronouns") else "connective"
    bare = text.lstrip("\"'“‘ ")
    found = _english_openers().match(bare)
    if not found:
        return None, None
    if found.group(0).lower() == "this" and _TIME_AFTER_THIS.match(bare):
        return None, None  # "This year the council …" is dated by its own words, not the sentence before
    return found.group(0), "pronoun" if found.group(0).lower() in word_list("en", "pronouns") else "connective"


# Quoted words are someone's quoted words: only what is outside quotation marks speaks in the
# first person ("Hopefully, we can get three points", "two of my ancestors").
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?|‘[^’]*’(?!\w)|(?<!\w)'[^']*'(?!\w)")
# A sentence that is one quotation and nothing else ("“We will win.”"); one with a double quote
# mark inside closes it somewhere and may go on outside it ("“…,” he said.").
_ONE_QUOTATION = re.compile(r"[\"“][^\"“”]+[\"”][\s.!?…]*")
_NUMBER_JOINED_AFTER = re.compile(r"[-–—]\d")
_NUMBER_JOINED_BEFORE = re.compile(r"\d[-–—]$")
_NAME_WORD_BEFORE = re.compile(r"(?:^|[\s(])((?:[A-Z][\w&.’'-]*))\s$")
_MONTH_ABBREVIATIONS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})
_CALENDAR_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}
_PLACE_AFTER = re.compile(r"\b(?:in|at|near|outside)\s+((?:the\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)")
# "this" before a span of time names when, not something said before ("This year …"); every
# other demonstrative points back ("These measures …", "That decision …").
_TIME_AFTER_THIS = re.compile(
    r"this\s+(?:year|month|week|weekend|morning|afternoon|evening|spring|summer|autumn|fall|winter|season|"
    r"quarter|semester|term|century|decade)\b",
    re.I,
)


@lru_cache(maxsize=1)
def _reference_opener() -> re.Pattern:
    nouns = "|".join(map(re.escape, sorted(word_list("en", "anaphoric_nouns"), key=len, reverse=True)))
    return re.compile(rf"(?:the|this|that|these|those)\s+(?:{nouns})\b(?!\s+(?:of|for)\b)", re.I)


@lru_cache(maxsize=1)
def _english_openers() -> re.Pattern:
    entries = sorted(word_list("en", "context_openers"), key=len, reverse=True)  # phrases first
    return re.compile(r"(?:" + "|".join(r"\s+".join(map(re.escape, e.split())) for e in entries) + r")\b", re.I)


def _quotation(text: str) -> str:
    """Whether the sentence's double quotation marks pair up. Sources mix curly and straight
    marks (“… activity."), so a straight mark may stand for either: the marks pair up when
    each kind's surplus can be made up by straight ones and their total is even."""
    opening, closing, straight = text.count("“"), text.count("”"), text.count('"')
    if not (opening or closing or straight):
        return "none"
    if (opening + closing + straight) % 2 == 0 and abs(opening - closing) <= straight:
        return "balanced"
    first = min((i for i in (text.find("“"), text.find('"')) if i >= 0), default=None)
    opens = first is not None and not text[:first].strip() or opening > closing + straight
    return "unclosed" if opens else "unopened"
