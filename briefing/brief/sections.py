"""From merged points to the brief's sections.

Each point appears under exactly one heading (bottom line, key points, background, or policy
options and positions), so no content repeats across headings. The timeline and the key-figures
table are structured views: short quotes around a date or a figure, each with its citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from briefing.brief.periods import find_periods
from briefing.dates import find_dates, parse_iso
from briefing.language import read
from briefing.merge.sameness import CROSS_LINGUAL_SAME, FactMatcher, facts_agree, language_of, same_fact
from briefing.merge.support import check_support
from briefing.model import Article, Citation, Figure, Point, Position, TimelineEvent
from briefing.text import (
    HANGUL,
    STOPWORDS,
    Quantity,
    content_words,
    normalise,
    quantities,
    strip_particle,
    without_edit_marks,
    word_list,
)

_BACKGROUND = re.compile(
    r"\b(since (19|20)\d\d|in (19|20)\d\d|back in|for years|previous(ly)?|first came under|"
    r"over the past|history|earlier (this|last)|long[- ]standing|had been)\b",
    re.I,
)
@dataclass
class Sections:
    bottom_line: list[Point]
    key_points: list[Point]
    background: list[Point]
    positions: list[Position]


def partition(points: list[Point], articles: list[Article], bottom: int = 2) -> Sections:
    """Assign each point (most important first) to one section."""
    published = {a.path: parse_iso(a.published) for a in articles}
    bottom_line: list[Point] = []
    key_points: list[Point] = []
    background: list[Point] = []
    positions: list[Position] = []
    for point in points:
        actor = position_actor(point.text)
        facts = read(point.text)
        # The bottom line opens the story: a sentence about "the move" it has not told is no opening.
        if len(bottom_line) < bottom and facts.stands_alone and not facts.refers_back:
            bottom_line.append(point)
        elif actor:
            alternates = {lang: found for lang, other in point.alternates.items() if (found := position_actor(other))}
            positions.append(Position(actor, point, alternates))
        elif _is_background(point, published):
            background.append(point)
        else:
            key_points.append(point)
    if not bottom_line:  # nothing stands alone: the most important point still leads
        if key_points:
            bottom_line.append(key_points.pop(0))
        elif positions:
            bottom_line.append(positions.pop(0).statement)
        elif background:
            bottom_line.append(background.pop(0))

    reported_on = {a.path: parse_iso(a.reported) for a in articles}

    def dated(point: Point, always: bool = True) -> Point:
        """The point with the date its sources reported it: on every listed point, and on a
        bottom-line sentence when it dates itself relatively ("so far this year", "on Monday")."""
        days = [d for d in (reported_on.get(c.file) for c in point.citations) if d]
        if not days or not (always or any(m.relative for m in find_dates(point.text))):
            return point
        return replace(point, reported=min(days).isoformat())

    return Sections(
        [dated(p, always=False) for p in bottom_line],
        [dated(p) for p in key_points],
        [dated(p) for p in background],
        [replace(pos, statement=dated(pos.statement)) for pos in positions],
    )


def position_actor(text: str) -> str | None:
    """Who proposes or holds a position in `text`, if it reports one: the subject of its
    attribution verb ("X said", "X told", "according to X", "…,” said X"), else of its position
    verb ("X plans", "X urged"). A person's title goes ("President Kim" -> "Kim"); an edit's
    brackets go too ("[Kim Min-jun] said" -> "Kim Min-jun")."""
    text = without_edit_marks(text)
    if HANGUL.search(text):
        return korean_actor(text)
    if not _phrases("position_words").search(text):
        return None
    bare = _EN_QUOTE.sub(lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)
    according = re.search(r"\baccording to\s+((?:the\s+)?[\w.’'-]+(?:\s+[\w.’'-]+){0,5})", bare, re.I)
    if according:
        actor = _actor_from(according.group(1).split(",")[0], last=False)
        if actor:
            return actor
    post = _POST_POSED.search(bare)
    if post:
        actor = _actor_from(post.group(1), last=False)
        if actor:
            return actor
    for verbs in ("attribution_verbs", "position_words"):
        for match in _phrases(verbs).finditer(bare):
            before = bare[: match.start()]
            if match.group(0).endswith("ing") and not re.search(r"\b(?:is|are|was|were|be|been)(?:\s+(?:\w+ly|also|still|now|not))?\s*$", before):
                continue  # a participle ("Americans seeking benefits"), not the verb of a clause
            actor = _subject_before(before)
            if actor:
                return actor
    return None


_EN_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")
# "…,” said Kim." / "…, said Ms Lee": the speaker after the verb (not "told X", whose X is the listener).
_POST_POSED = re.compile(
    r"[,\"”]\s*(?:said|says|added|wrote|stated|noted|explained|insisted|argued|warned)\s+((?:(?:the\s+)?[A-Z][\w.’'-]*\s*){1,5})"
)
_AUXILIARIES = re.compile(
    r"(?:\s+(?:has|have|had|is|are|was|were|will|would|could|can|may|also|previously|now|then|still|already|"
    r"recently|reportedly|has been|have been|on\s+\w+day|last\s+\w+|this\s+\w+|earlier|later))+\s*$",
    re.I,
)
_PRONOUNS = frozenset("he she they it we i you this that these those who which there".split())


@lru_cache(maxsize=None)
def _alternatives(name: str) -> str:
    phrases = sorted(word_list("en", name), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)


@lru_cache(maxsize=None)
def _phrases(name: str) -> re.Pattern:
    return re.compile(r"\b(?:" + _alternatives(name) + r")\b", re.I)


def _subject_before(before: str) -> str | None:
    """The subject of a verb, from the text before it: the last comma-separated segment that is
    not an appositive ("Kim Dae-ho, the head of …, told" -> Kim Dae-ho), without auxiliaries
    and time phrases, nor a relative pronoun's clause ("states who said" -> states)."""
    segments = [seg.strip() for seg in re.split(r",|;|:|\s[-–—]+\s", before)]
    while segments and not segments[-1]:
        segments.pop()
    while len(segments) > 1 and (
        re.match(r"(?:a|an|the|its|his|her|their)\s+[a-z]", segments[-1]) and not _AUXILIARIES.search(" " + segments[-1])
        or re.match(r"(?:who|which|whose)\b", segments[-1])
    ):
        segments.pop()  # an appositive: "…, the head of the office, told", "…, who served …, vowed"
    if not segments or re.match(r"(?:where|when)\b", segments[-1]):
        return None
    subject = _AUXILIARIES.sub("", " " + segments[-1]).strip()
    subject = re.split(r"\b(?:that|what|whether)\s+", subject)[-1]  # "ruled that the government must"
    subject = re.sub(r"\s+(?:who|which|that)$", "", subject)
    return _actor_from(subject, last=True)


def _actor_from(phrase: str, last: bool) -> str | None:
    """An actor from a noun phrase: a name (its leading title words dropped) or a body ("the
    media regulator", "Kenya's media regulator"); None for pronouns and dates."""
    words = [w.strip("\"“”‘") for w in phrase.strip(" ,.").split()]
    words = [w for w in words if w]
    if last:
        # Keep the trailing noun phrase: stop at a clause opener or a lower-case verb-like word.
        start = 0
        for k, word in enumerate(words):
            if word.lower() in word_list("en", "clause_openers") and k < len(words) - 1:
                start = k + 1
        words = words[start:]
        words = words[-8:]
    if not words or words[0].lower() in _PRONOUNS:
        return None
    name_start = None
    for k, word in enumerate(words):
        if word.lower().rstrip(".") in word_list("en", "role_nouns"):
            name_start = k + 1
    if name_start is not None and name_start < len(words) and all(w[:1].isupper() for w in words[name_start:]):
        words = words[name_start:]  # "Kenyan President Jane Doe" -> "Jane Doe"
    if len(words) > 1 and words[0] in ("The", "the") and all(w[:1].isupper() for w in words[1:]):
        words = words[1:]  # "The Acme Standards Commission" names the body as "Acme Standards Commission"
    actor = " ".join(words).strip(" ,.")
    lowered = actor.lower()
    if not actor or lowered in _PRONOUNS or find_dates(actor) and len(find_dates(actor)[0].text) >= len(actor) - 4:
        return None
    has_name = any(w[:1].isupper() for w in words[1:] + ([words[0]] if words[0].lower() not in ("the", "a", "an") else []))
    has_body = any(w.lower().strip("’'s") in word_list("en", "body_nouns") + word_list("en", "role_nouns") for w in words)
    if not (has_name or has_body):
        return None
    if len(words) > 6 and not has_body:
        return None
    return actor


_KO_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|'[^']*'|「[^」]*」")
_KO_ACCORDING = re.compile(r"([^\s,]+(?:\s+[^\s,]+){0,3}?)(?:에|의)\s*따르면")
_KO_SIDE = re.compile(r"([^\s,]+(?:\s+[^\s,]+){0,2}?)\s?측(?:은|는|이|에서는)")
_KO_QUOTATIVE = frozenset("라고 이라고 고 며 라며 이라며 면서 라면서 하고 다고 라는".split())


def korean_actor(text: str) -> str | None:
    """Who states a position in a Korean sentence: X in "X에 따르면" and "X 측은", else the
    subject (은/는, else 이/가) of a speech verb ("…라고 말했다/밝혔다/전했다/강조했다") or
    of a position word (촉구, 계획, 해야 …); quoted words are never the actor."""
    bare = _KO_QUOTE.sub(lambda m: " " * len(m.group(0)), text)
    if not _KO_QUOTE.search(text) and not any(p in text for p in word_list("ko", "position_words")):
        return None  # attribution alone reports a fact: no position
    for pattern in (_KO_ACCORDING, _KO_SIDE):
        found = pattern.search(bare)
        if found:
            phrase = _actor_phrase(found.group(1).split())
            if phrase:
                return phrase
    words = bare.split()
    # A position: a position word (촉구, 계획, 해야 …), or someone's own words quoted with a speech
    # verb. "경찰청은 88건이 접수됐다고 밝혔다" reports a fact, not a position.
    quoted = _KO_QUOTE.search(text) and any(w.startswith(word_list("ko", "attribution_verbs")) for w in words)
    if not quoted and not any(p in text for p in word_list("ko", "position_words")):
        return None
    parsed = read(text).korean_subject(bare)
    if parsed is not None:  # Kiwi's reading, when installed ("" for a pronoun or no noun subject)
        return _actor_phrase(parsed.split()) if parsed else None
    for endings in (("은", "는"), ("이", "가", "께서")):
        for k, word in enumerate(words):
            core = word.rstrip(",")
            if core != word or not core.endswith(endings) or strip_particle(core) == core:
                continue
            phrase = _actor_phrase(words[:k] + [core])
            if phrase:
                return phrase
    return None


def _actor_phrase(words: list[str], max_words: int = 4) -> str | None:
    """The noun phrase that ends with the last of `words` (its particle stripped): earlier words
    join while they carry no particle and are not dates, numbers or quote markers."""
    if not words:
        return None
    last = strip_particle(words[-1].strip(",.\"“”‘’'"))
    if not HANGUL.search(last) and not re.fullmatch(r"[A-Z][\w.&-]*", last):
        return None
    dates = {m.text for m in find_dates(" ".join(words))}
    phrase = [last]
    for word in reversed(words[:-1]):
        if len(phrase) >= max_words or word.endswith((",", ".")) or word in _KO_QUOTATIVE or word in dates:
            break
        if re.search(r"\d", word) or strip_particle(word) != word or word in word_list("ko", "not_nouns") + word_list("ko", "context_openers"):
            break
        if not re.fullmatch(r"[\uac00-\ud7a3A-Za-z.&-]+", word):
            break
        phrase.insert(0, word)
    actor = " ".join(phrase)
    if actor in word_list("ko", "not_nouns") or phrase[-1] in word_list("ko", "pronouns"):
        return None  # "그", "그녀": who they are was said in another sentence
    return actor


def _is_background(point: Point, published: dict) -> bool:
    if _BACKGROUND.search(point.text):
        return True
    dates = [d for d in (published.get(c.file) for c in point.citations) if d]
    if not dates:
        return False
    reference = max(dates)
    return any(m.year is not None and m.year < reference.year and m.month is None for m in find_dates(point.text))


def timeline(points: list[Point], articles: list[Article], matcher: FactMatcher | None = None) -> list[TimelineEvent]:
    """Dated events from the points, with dates normalised against each source's date.

    The same date reported by several sources for the same event is one entry citing them all
    (across languages through `matcher`'s multilingual embedder, when given). A day inside a
    stated period ("from Aug. 26 to 29", "8월 26일부터 29일까지") is placed by the period's start.
    """
    published = {a.path: parse_iso(a.published) for a in articles}
    events: list[tuple[TimelineEvent, str]] = []  # with the full sentence, for matching
    for point in points:
        citation = point.citations[0]
        reference = published.get(citation.file)
        periods = find_periods(point.text, reference)
        placed: set[int] = set()  # periods whose first day is already an event
        for mention in find_dates(point.text, reference):
            if mention.month is None and (mention.year is None or mention.relative or mention.anchor == "decade"):
                continue  # no date, or only "this year" / "the 1980s": nothing to place an event at
            inside = next((k for k, (start, end, _) in enumerate(periods) if start <= mention.start < end), None)
            if inside is not None:
                if inside in placed:
                    continue  # the end of a range: the event is placed at its start
                placed.add(inside)
            label = clause_around(point.text, mention.start, mention.end)
            same = next(
                (e for e, text in events if e.sortable == mention.sort_key and _same(text, point.text, matcher)), None
            )
            if same is not None:
                _cite_if_supported(same.citations, same.label, _citations_with(point, label), matcher)
                continue
            event = TimelineEvent(
                date=mention.written,
                label=label,
                citations=list(_citations_with(point, label)),
                sortable=mention.sort_key,
            )
            events.append((event, point.text))
    return sorted((e for e, _ in events), key=lambda e: (e.sortable, e.label))


def _same(a: str, b: str, matcher: FactMatcher | None) -> bool:
    """One report: lexically in one language; across languages only through the embedder."""
    if matcher is not None and language_of(a) != language_of(b):
        return matcher.cross_lingual(a, b) >= CROSS_LINGUAL_SAME and facts_agree(a, b)
    return same_report(a, b)


def _cite_if_supported(citations: list[Citation], statement: str, candidates: list[Citation], matcher: FactMatcher | None = None) -> bool:
    """Add the candidates whose text supports `statement`; True when any was (or already is) cited."""
    added = False
    for candidate in candidates:
        if candidate in citations:
            added = True
        elif (matcher.supports(statement, candidate.quote) if matcher is not None else check_support(statement, candidate.quote).supported):
            citations.append(candidate)
            added = True
    return added


def same_report(a: str, b: str) -> bool:
    """Two sentences that report one fact (the shared definition of `briefing.merge.sameness`)."""
    return same_fact(a, b)


def _citations_with(point: Point, quote: str) -> list[Citation]:
    """The point's citations whose text contains `quote` (at least the first one)."""
    holding = [c for c in point.citations if normalise(quote) in normalise(c.quote)]
    return holding or [point.citations[0]]


_CLAUSE_BREAK = re.compile(r",\s|;\s|:\s|\s--\s|\s—\s")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")


def clause_around(text: str, start: int, end: int, max_words: int = 30) -> str:
    """The clause of `text` that contains [start, end), as an exact substring.

    A comma inside a quote breaks no clause (no quote is cut mid-phrase); a clause that is only
    the date ("Back in August 2024,") runs on into the next one, which says what happened; a
    clause longer than `max_words` keeps the words around the date."""
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    breaks = [m for m in _CLAUSE_BREAK.finditer(text) if not any(a < m.start() < b for a, b in quoted)]
    left = max((m.end() for m in breaks if m.end() <= start), default=0)
    after = [m for m in breaks if m.start() >= end and not m.group(0).startswith(":")]  # "said: …" goes on
    right = after[0].start() if after else len(text)
    if len((text[left:start] + " " + text[end:right]).split()) <= 3 and after:
        right = after[1].start() if len(after) > 1 else len(text)
    clause = text[left:right].strip().rstrip(".")
    tokens = clause.split(" ")
    if len(tokens) > max_words:
        # Keep a window of words centred on the date.
        prefix = len(text[left:start].split())
        lo = max(0, prefix - max_words // 2)
        clause = " ".join(tokens[lo : lo + max_words])
    return clause


# What a number counts ends at a preposition, a conjunction, an auxiliary or a past-tense verb:
# "88 people arrested in …" -> "people", "1,200 students had been harmed" -> "students".
_STOP_AFTER = re.compile(
    r"\b(in|on|at|from|to|by|for|over|since|during|through|across|under|into|against|compared|with|and|which|that|who|as|of the|"
    r"had|has|have|was|were|is|are|will|would|could|can|may|might|been|be|did|do|does|\w+ed)\b.*$"
)
_CURRENCY_BEFORE = re.compile(r"(?:US\$|\$|£|€|¥|₩)$")
_QUALIFIER_BEFORE = re.compile(r"(?:more than|over|around|about|nearly|up to|almost|at least|약|총|최대|최소)\s$", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
_GLUED = re.compile(r"(?:[A-Za-z]-|\d/|/)$")


def figure_quantities(text: str, spelled: bool = False) -> list[Quantity]:
    """The numbers of `text` that can be figures: not part of a date or a time of day, not a year,
    not a length of time, an age or an ordinal ("24 hours", "3년 만에", "2차"). With `spelled`,
    numbers written in words too."""
    taken = [(m.start, m.end) for m in find_dates(text)]
    korean = bool(HANGUL.search(text))
    skip = set(word_list("ko" if korean else "en", "not_figure_units"))
    kept = []
    for q in quantities(text, spelled=spelled):
        if any(a <= q.start < b for a, b in taken) or q.unit.rstrip(".") in skip:
            continue
        if _YEAR.fullmatch(q.text) and (not korean or not q.unit):
            continue  # a year ("in the 2016 election", "2018 라이더컵"), not a count
        if _GLUED.search(text[max(0, q.start - 2):q.start]) or re.match(r"-[A-Za-z]|/\d", text[q.end:q.end + 2]):
            continue  # part of a bigger token: "COVID-19", "9/11", "6-foot-2"
        if read(text).names_number(q.start, q.end):
            continue  # a score, a vote or a name: "the 52-48 vote", "Category 4"
        kept.append(q)
    return kept


def figures(points: list[Point], matcher: FactMatcher | None = None) -> list[Figure]:
    """Numbers that count something, with what they count (from the number's own sentence).

    The same figure from several sources (same value, one report) is one row; across languages
    ("88 reports" / "88건") through `matcher`'s multilingual embedder, when given.
    """
    rows: list[tuple[Figure, str, str]] = []  # (row, canonical value, sentence)
    for point in points:
        for q in figure_quantities(point.text):
            found = _korean_figure(point.text, q) if HANGUL.search(point.text) else _english_figure(point.text, q)
            if found is None:
                continue
            value, counts = found
            same = next(((f, text) for f, v, text in rows if v == q.canonical and _same(text, point.text, matcher)), None)
            if same is not None:
                row, sentence = same
                # Across languages the row's own sentence is what a citation must back.
                statement = f"{row.value} {row.counts}" if language_of(sentence) == language_of(point.text) else sentence
                if _cite_if_supported(row.citations, statement, _citations_with(point, value), matcher):
                    if language_of(point.text) != language_of(sentence):
                        row.alternates.setdefault(language_of(point.text), [value, counts])
                    continue
            counted = next((f for f, v, text in rows if v == q.canonical and same_count(f.counts, counts, text, point.text)), None)
            # One count of one thing ("88 reports made regarding …" / "88 reports of …"): one row,
            # citing each source whose sentence backs the value with what it counts; when a source
            # words the rest otherwise, the row keeps what they share ("reports").
            if counted is not None:
                candidates = _citations_with(point, value)
                if _cite_if_supported(counted.citations, f"{counted.value} {counted.counts}", candidates, matcher):
                    continue
                shared = _shared_start(counted.counts, counts)
                if _cite_if_supported(counted.citations, f"{counted.value} {shared}", candidates, matcher):
                    counted.counts = shared
                    continue
            # A distinctive value that another source of the story gives too is that figure worded
            # otherwise ("4.4 million Americans" / "4.4 million people", "$1.4 trillion in funding" /
            # "a $1.4 trillion spending bill"): no second row; its source is cited where it backs the row.
            twin = next((f for f, v, text in rows if v == q.canonical and _distinctive(q, value)
                         and language_of(text) == language_of(point.text)), None)
            if twin is not None:
                _cite_if_supported(twin.citations, f"{twin.value} {twin.counts}", _citations_with(point, value), matcher)
                continue
            rows.append((Figure(value=value, counts=counts, citations=list(_citations_with(point, value))), q.canonical, point.text))
    return [f for f, _, _ in rows]


def _distinctive(q: Quantity, value: str) -> bool:
    """A value two reports rarely share by chance: a sum of money or a count of 100,000 or more
    (not a percentage, not "3 people" / "3 days")."""
    return not q.percent and (q.value >= 100_000 or bool(re.search(r"[$£€¥₩]|US\$|달러|파운드|유로|엔|원", value)))


def _head(counts: str) -> str:
    """What a figure counts, in one word: the first noun of its phrase ("reports made regarding
    fraud" -> "reports"); a Korean phrase's last word ("사기 신고" -> 신고)."""
    words = counts.split()
    if not words:
        return ""
    return words[-1] if HANGUL.search(counts) else words[0]


def _shared_start(a: str, b: str) -> str:
    """The words two "what it counts" phrases start with (at least the first)."""
    x, y = a.split(), b.split()
    k = 1
    while k < min(len(x), len(y)) and x[k].casefold() == y[k].casefold():
        k += 1
    return " ".join(x[:k])


def same_count(counts: str, other: str, text: str, other_text: str) -> bool:
    """Two figures of one value count the same thing in one language: the same head noun
    (stemmed), so one story's "88 reports" is one row however each source goes on, and
    briefing.history knows yesterday's count of the same thing."""
    if language_of(text) != language_of(other_text):
        return False
    a, b = content_words(_head(counts)), content_words(_head(other))
    return bool(a) and a == b


def _english_figure(text: str, q: Quantity) -> tuple[str, str] | None:
    """("$23.6 billion", "subsidies"): the number as written with its currency, and the words
    after it up to the first preposition; "in"/"of" + noun when nothing else follows."""
    start = q.start
    currency = _CURRENCY_BEFORE.search(text[:start])
    if currency:
        start = currency.start()
    qualifier = _QUALIFIER_BEFORE.search(text[:start])
    if qualifier:
        start = qualifier.start()
    value = text[start : q.end].strip()
    after = re.match(r"((?:\s+[\w'’-]+){1,6})", text[q.end :])
    if not after:
        return None
    if re.match(r"\s+(?:a|an|the|this|that|each|per|last|every|or|and|but|nor)\b", after.group(1), re.I):
        return None  # "up from 12 a year earlier", "call 101 or contact …": no noun follows
    counts = _STOP_AFTER.sub("", after.group(1)).strip(" ,.;:")
    if not counts:
        phrase = re.match(r"\s+((?:in|of)\s+[\w'’-]+(?:\s+[\w'’-]+)?)", text[q.end :])
        if not phrase or not (currency or q.value >= 10**6):
            return None
        counts = _STOP_AFTER.sub("", phrase.group(1).split(None, 1)[1]).strip(" ,.;:")
        counts = f"{phrase.group(1).split()[0]} {counts}" if counts else ""
    return (value, _trimmed(counts)) if _trimmed(counts) else None


def _trimmed(counts: str) -> str:
    """What a figure counts without the words it trails off on ("checks run through the" ->
    "checks run"); nothing when it holds a number (a phone number, a score), not a noun phrase."""
    counts = re.split(r"\s[-–—]+\s|\s(?:last|this|next)\s(?:year|week|month)\b", counts)[0]
    words = counts.split()
    while words and (words[-1].lower() in STOPWORDS or not re.search(r"\w", words[-1])):
        words.pop()
    phrase = " ".join(words)
    return "" if re.search(r"\d", phrase) else phrase


def _korean_figure(text: str, q: Quantity) -> tuple[str, str] | None:
    """("88건", "신고"): the number with its counter, and the noun it counts: the noun after
    "의" ("88건의 신고"), else the noun phrase just before it in its clause ("신고가 88건")."""
    units = word_list("ko", "units")
    end = q.end
    tail = text[end:]
    if q.unit and (tail.startswith(q.unit) or tail.startswith(" " + q.unit)):
        end += tail.index(q.unit) + len(q.unit)
    if not (q.unit in units or q.percent or "." in q.text or q.value >= 10):
        return None
    value = text[q.start : end]
    qualifier = _QUALIFIER_BEFORE.search(text[: q.start])
    if qualifier:
        value = text[qualifier.start() : end]
    parsed = read(text).counted_noun(q.start, end, _korean_skip())
    if parsed is not None:  # Kiwi's reading of the sentence, when installed
        return (value, parsed) if parsed else None
    of = re.match(r"의\s+([\uac00-\ud7a3A-Za-z]+(?:\s+[\uac00-\ud7a3A-Za-z]+)?)", text[end:])
    if of:
        words = of.group(1).split()
        counts = " ".join(words[:-1] + [strip_particle(words[-1])]) if len(words) > 1 and not _has_particle(words[0]) else strip_particle(words[0])
        return value, counts
    counts = _noun_phrase_before(text, qualifier.start() if qualifier else q.start) or _noun_after(text[end:])
    return (value, counts) if counts else None


@lru_cache(maxsize=1)
def _korean_skip() -> frozenset[str]:
    """Nouns that are adverbs of time or degree here (지금, 이번, 현재), never what is counted."""
    return frozenset(word_list("ko", "not_nouns"))


_KO_CORE_PARTICLES = ("이", "가", "은", "는", "을", "를", "의", "도")
# A Sino-Korean verb ("모금했다", "접수됐다") names its action by its root ("모금", "접수").
_KO_VERB_ROOT = re.compile(r"^([\uac00-\ud7a3]{2,})(?:했|하였|됐|되었|된|한|하|되)")


def _noun_after(tail: str) -> str:
    """What a number with no noun before it counts: the next word's noun ("명이 피해를" -> 피해)
    or its verb's root ("파운드를 모금했다" -> 모금)."""
    words = re.sub(r"^[\uac00-\ud7a3]*", "", tail).split()[:2]
    for word in words:
        word = word.strip(".,!?;:'\"”’)")
        if re.search(r"[^\uac00-\ud7a3]", word):
            return ""
        root = _KO_VERB_ROOT.match(word)
        if root:
            return root.group(1)
        if _has_particle(word) and word.endswith(("을", "를", "이", "가")):
            return strip_particle(word)
    return ""


def _has_particle(word: str) -> bool:
    return strip_particle(word) != word


def _noun_phrase_before(text: str, start: int, max_words: int = 3) -> str:
    """The Korean noun phrase that ends right before `start` in its clause: walk back over words
    until one carries a particle (the nearest may: "신고가 88건"), a date, or a clause break."""
    clause = re.split(r"[,;:“”\"()\[\]]", text[:start])[-1]
    dates = {m.text for m in find_dates(clause)}
    words = clause.split()
    phrase: list[str] = []
    for word in reversed(words):
        if len(phrase) >= max_words or not HANGUL.search(word) or re.search(r"\d", word):
            break
        adverbial = word in dates or strip_particle(word) in word_list("ko", "not_nouns") or word in word_list("ko", "not_nouns")
        if adverbial:
            if phrase:
                break
            continue  # "학생은 지금까지 1,200여 명": look past the adverb to the noun
        if _has_particle(word) and (phrase or not word.endswith(_KO_CORE_PARTICLES)):
            break
        phrase.insert(0, word if phrase else strip_particle(word))
    return " ".join(phrase)
