"""Where sources differ: the same fact reported differently by two articles.

Every sentence of every article is compared with the sentences of the other articles (not only
the points a brief shows). Two sentences are about the same fact when they are lexically similar
(briefing.merge.similarity) and share an anchor; then what they say is compared:

- date:   one event (same subject name, same event word in the date's clause), different dates;
- figure: one count (same counted noun, periods that could be the same, the same places named
          in its clause, neither a part of a total, a forecast or an earlier value), different
          numbers beyond the rounding of the less precise one ("nearly 4.7 million" is 4.69
          million), and neither sentence states the other's number for that noun as well;
- period: one count (same counted noun, same number), periods that cannot be the same;
- name:   one role (same title word and body: "head of the National Office of Investigation" /
          "National Investigative Service Chief"), different people; or one person, different titles.

A figure for a different period or a different thing is not a conflict, and unknown never
contradicts. No side is picked as right, unless a source says it corrects an earlier report.
Each side quotes the exact sentence (its citation) and the exact differing words (its value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from briefing.brief.periods import Period, compatible, find_periods
from briefing.brief.sections import figure_quantities
from briefing.dates import DateMention, find_dates, parse_iso
from briefing.language import read
from briefing.merge.sameness import RELATED, SAME_FACT, FactMatcher
from briefing.model import Article, Citation, Conflict, ConflictSide, Sentence
from briefing.text import HANGUL, STOPWORDS, Quantity, content_words, names, quantities, stem, word_list, words

#: Two sentences of different articles are compared only when at least this similar (lexical
#: TF-IDF + character n-grams, 0..1); unrelated sentences of one story score below it.
PAIR_SIMILARITY = RELATED

_CLAUSE = re.compile(r"[,;:()]|\s[-–—]+\s")
_CORRECTION = re.compile(r"\b(?:correct(?:ed|s|ion)|clarif(?:ied|ies|ication)|erroneously|mistakenly|earlier (?:reported|misreported))\b", re.I)


@dataclass
class _Unit:
    """One sentence of one article, with what is compared."""

    article: Article
    sentence: Sentence
    reference: object  # the article's date (datetime.date) or None
    dates: list[DateMention] = field(default_factory=list)
    figures: list["_Figure"] = field(default_factory=list)
    roles: list["_Role"] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def citation(self) -> Citation:
        return self.article.citation(self.sentence)


@dataclass
class _Figure:
    value: str  # canonical ("1200", "30%")
    written: str  # as written in the sentence
    noun: str  # stem of what it counts
    noun_written: str
    period: Period | None
    period_text: str | None
    context: frozenset[str]  # content stems of its clause, other than the noun: what is counted

    kind: str = "count"  # "count" | "%" | "fold" | "money": only figures of one kind compare
    role: str = ""  # "part" (of a total), "forecast", "earlier" (a value it changed from), or ""
    precision: float = 0.0  # half a unit of its last written digit when a scale word rounds it ("4.7 million")
    clause: tuple[int, int] = (0, 0)  # where its clause lies in the sentence

    @property
    def unit(self) -> str:
        return self.kind


@dataclass
class _Role:
    person: str
    head: str  # title word, synonyms folded ("head")
    body: frozenset[str]  # content stems of the organisation named with the title
    written: str  # the exact words naming person and title
    body_written: str  # the organisation as written


def find_conflicts(
    articles: list[Article], min_similarity: float = PAIR_SIMILARITY, matcher: FactMatcher | None = None
) -> list[Conflict]:
    """Disagreements between articles, each with one side per article that reports it.

    English and Korean articles are compared alike; a Korean and an English sentence are paired
    through the multilingual embedder (`matcher`; loaded when the articles mix languages and none
    is given) or, without one, only when they share a figure, a date or a Latin-script name."""
    units = [_unit(a, s) for a in articles for s in a.sentences if not s.is_fragment]
    # Only a sentence with a date, a figure or a role can disagree with another: the rest only
    # inform the term weights, so a long story costs pairs of its anchored sentences alone.
    compared = [u for u in units if u.dates or u.figures or u.roles]
    if len(compared) < 2:
        return []
    if matcher is None:
        matcher = FactMatcher(_embedder() if len({u.article.language for u in compared}) > 1 else None)
    background = [u.text for u in units if not (u.dates or u.figures or u.roles)]
    sim = np.asarray(matcher.matrix([u.text for u in compared], background))
    best = _best_matches(compared, sim)
    article_ids = np.array([u.article.id for u in compared])
    english = np.array([u.article.language == "en" for u in compared])
    candidates = np.triu(article_ids[:, None] != article_ids[None, :], k=1)
    # Two English sentences must be similar; other pairs may instead share an anchor (checked below).
    candidates &= (sim >= min_similarity) | ~(english[:, None] & english[None, :])
    found: dict[tuple, Conflict] = {}
    for i, j in zip(*np.nonzero(candidates)):
        i, j = int(i), int(j)
        a, b = compared[i], compared[j]
        if a.article.language == b.article.language == "en":
            findings = _compare(a, b)
        else:
            if sim[i][j] < min_similarity and not _anchors(a, b):
                continue
            # One statement in two languages: each is the other's closest sentence in its article.
            one_statement = sim[i][j] >= SAME_FACT and best.get((i, b.article.id)) == j and best.get((j, a.article.id)) == i
            findings = _cross_compare(a, b, one_statement)
        for key, conflict in findings:
            _add(found, key, conflict)
    conflicts = [c for c in found.values() if len({s.article_id for s in c.sides}) > 1]
    for conflict in conflicts:
        conflict.sides.sort(key=lambda s: (s.citation.file, s.citation.line_start))
        conflict.note = _note(conflict)
    order = {"date": 0, "name": 1, "figure": 2, "period": 3}
    return sorted(conflicts, key=lambda c: (order.get(c.kind, 9), c.subject, c.sides[0].citation.file))


def _best_matches(units: list[_Unit], sim) -> dict[tuple[int, str], int]:
    """(unit index, other article id) -> the index of its most similar sentence in that article
    (the first on a tie)."""
    by_article: dict[str, list[int]] = {}
    for k, unit in enumerate(units):
        by_article.setdefault(unit.article.id, []).append(k)
    best: dict[tuple[int, str], int] = {}
    for article_id, columns in by_article.items():
        picks = np.asarray(columns)[np.argmax(sim[:, columns], axis=1)]
        for i, unit in enumerate(units):
            if unit.article.id != article_id:
                best[(i, article_id)] = int(picks[i])
    return best


def _embedder():
    from briefing.embedding import load_embedder

    return load_embedder("auto")[0]


def _add(found: dict[tuple, Conflict], key: tuple, conflict: Conflict) -> None:
    """Merge a pairwise finding into the conflict with the same key (one side per article)."""
    if key not in found:
        found[key] = conflict
        return
    have = {s.article_id for s in found[key].sides}
    for side in conflict.sides:
        if side.article_id not in have:
            found[key].sides.append(side)
            have.add(side.article_id)


def _note(conflict: Conflict) -> str:
    """Empty (no winner is picked), unless a side's sentence says it corrects an earlier report."""
    correcting = [s for s in conflict.sides if _CORRECTION.search(s.citation.quote)]
    return f"{correcting[0].citation.file} states a correction" if correcting else ""


# -- what a sentence says ---------------------------------------------------------------------


def _unit(article: Article, sentence: Sentence) -> _Unit:
    reference = parse_iso(article.published)
    unit = _Unit(article, sentence, reference)
    text = sentence.text
    periods = find_periods(text, reference)
    unit.dates = [d for d in find_dates(text, reference) if d.month is not None and not d.relative and not _inside(d.start, periods)]
    if HANGUL.search(text):
        unit.figures = _korean_figures(text, periods, unit.dates)
    else:
        unit.figures = _figures(text, periods, unit.dates)
        unit.roles = _roles(text)
    return unit


def _inside(offset: int, spans) -> bool:
    return any(start <= offset < end for start, end, *_ in spans)


def _clause(text: str, start: int, end: int) -> str:
    left, right = _clause_span(text, start, end)
    return text[left:right]


def _figures(text: str, periods, dates: list[DateMention]) -> list[_Figure]:
    figures = []
    date_spans = [(d.start, d.end) for d in dates]
    for q in quantities(text):
        start, end = q.start, q.end
        if _inside(start, periods) or _inside(start, date_spans):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", q.text):
            continue  # a year, not a count
        noun = _counted_noun(text, start, end)
        if noun is None:
            continue
        figures.append(_figure(text, q, stem(noun.lower()), noun, periods, _kind(text, q, "en")))
    return figures


def _korean_figures(text: str, periods, dates: list[DateMention]) -> list[_Figure]:
    """Korean counts: the number with its counter ("88건", "150만 파운드"); the noun is the
    counter (what a Korean number counts is written in its counter)."""
    figures = []
    date_spans = [(d.start, d.end) for d in dates]
    for q in figure_quantities(text):
        if _inside(q.start, periods) or _inside(q.start, date_spans):
            continue
        if not (q.unit in word_list("ko", "units") or q.percent):
            continue
        figures.append(_figure(text, q, q.unit, q.unit, periods, _kind(text, q, "ko")))
    return figures


# Words just before a number that make it another quantity than the count a sentence reports.
_ROLE_BEFORE = (
    ("part", re.compile(r"\b(?:including|of (?:whom|them|which|those)|among (?:them|whom|those))\s+(?:\w+\s+)?$", re.I)),
    ("forecast", re.compile(r"\b(?:expect\w*|forecast\w*|predict\w*|project\w*|estimat\w*|anticipat\w*|target\w*|goal)\b(?:\s+\w+){0,3}\s+$", re.I)),
    ("earlier", re.compile(r"\b(?:from|compared (?:with|to)|than)\s+(?:[\w-]+\s+){0,2}$", re.I)),
)
_SCALED = re.compile(r"(?:thousand|million|billion|trillion|[만억조])", re.I)


def _role(text: str, start: int) -> str:
    before = text[max(0, start - 40) : start]
    return next((role for role, pattern in _ROLE_BEFORE if pattern.search(before)), "")


def _precision(q: Quantity) -> float:
    """Half a unit of the last digit written, for a number a scale word rounds ("4.7 million":
    50,000); 0 for a number written out (an exact count)."""
    if not _SCALED.search(q.text):
        return 0.0
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", q.text)
    if not digits:
        return 0.0
    written = float(digits.group(0).replace(",", ""))
    if not written:
        return 0.0
    decimals = len(digits.group(1) or "")
    return 0.5 * (q.value / written) * 10 ** -decimals


def _clause_span(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE.finditer(text, end)), len(text))
    return left, right


def _figure(text: str, q: Quantity, noun: str, noun_written: str, periods, kind: str) -> _Figure:
    period = _nearest_period(periods, q.start, q.end)
    span = _clause_span(text, q.start, q.end)
    clause = text[span[0] : span[1]]
    for p_start, p_end, _ in periods:
        clause = clause.replace(text[p_start:p_end], " ")
    context = frozenset(w for w in content_words(clause) if not w[0].isdigit()) - {noun}
    written = text[q.start : q.end]
    if q.unit and text[q.end :].lstrip().startswith(q.unit) and HANGUL.search(text):
        written = text[q.start : text.index(q.unit, q.end) + len(q.unit)]
    return _Figure(
        q.canonical, written, noun, noun_written,
        period[2] if period else None, text[period[0] : period[1]] if period else None, context, kind,
        _role(text, q.start), _precision(q), span,
    )


def _kind(text: str, q: Quantity, language: str) -> str:
    if q.percent:
        return "%"
    if q.unit in ("fold", "배"):
        return "fold"
    if q.unit in word_list(language, "currencies") or re.search(r"[$£€¥₩]\s?$", text[: q.start]):
        return "money"
    return "count"


def _counted_noun(text: str, start: int, end: int) -> str | None:
    """What a number counts: the next noun ("88 reports of ..."), else the noun the clause names
    before it ("crime cases, with 297 reported")."""
    after = re.findall(r"[A-Za-z][A-Za-z'-]*|[,;:.]", text[end : end + 60])
    candidates: list[str] = []
    for word in after[:4]:
        low = word.lower()
        if not word[0].isalpha() or low.endswith("ed") or low.endswith("ing"):
            break  # the noun phrase ended
        if low in STOPWORDS or low in ("more", "than", "around", "about", "nearly", "over", "some") or word[0].isupper():
            continue  # a name qualifying the noun: "eight Acme bots"
        candidates.append(low)
    if candidates:
        plural = [w for w in candidates if w.endswith("s") and not w.endswith("ss")]
        return plural[0] if plural else candidates[0]  # "297 reported fraud cases" counts cases
    clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
    before = re.findall(r"[A-Za-z][A-Za-z'-]*", text[max(0, clause_start - 80) : start])
    plural = [w for w in before[-6:] if w.lower().endswith("s") and w.lower() not in STOPWORDS and not w[0].isupper()]
    return plural[-1].lower() if plural else None


def _nearest_period(periods, start: int, end: int):
    """The period a number is counted over: the nearest period expression in its sentence."""
    if not periods:
        return None

    def distance(p) -> tuple[int, int]:
        if p[0] >= end:
            return (p[0] - end, 0)
        return (start - p[1], 1)

    return min(periods, key=distance)


_NAME = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+|-[a-z]+){1,3}"
# Title word -> the role it names (briefing/data/lang/en/title_groups.txt: "chief" and "head" are one).
_TITLES = {title: group.split()[0] for group in word_list("en", "title_groups") for title in group.split()}
_TITLE = r"(?:" + "|".join(sorted((re.escape(t) for t in _TITLES), key=len, reverse=True)) + r")"
# "Kim Dae-ho, the head of the National Office of Investigation,"
_NAME_THEN_ROLE = re.compile(
    r"(?P<name>" + _NAME + r"),\s+(?:the\s+|a\s+)?(?P<title>" + _TITLE + r")\s+of\s+(?P<body>(?:the\s+)?[A-Z][\w'-]*(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w'-]*)*)",
)
# "National Investigative Service Chief Ki Dae-ho"
_ROLE_THEN_NAME = re.compile(
    r"(?P<body>(?:[A-Z][\w'-]*\s+){0,5})(?P<title>" + "|".join(t.capitalize() for t in _TITLES if t != "ceo") + r"|CEO)\s+(?P<name>" + _NAME + r")",
)


def _roles(text: str) -> list[_Role]:
    roles = []
    for regex in (_NAME_THEN_ROLE, _ROLE_THEN_NAME):
        for m in regex.finditer(text):
            body = frozenset(content_words(m.group("body")))
            roles.append(_Role(m.group("name"), _TITLES[m.group("title").lower()], body, m.group(0).strip(), m.group("body").strip()))
    return roles


# -- comparing two sentences ------------------------------------------------------------------


def _latin_names(unit: _Unit) -> set[str]:
    """Names written in Latin script (in a Korean text, the original spelling in brackets)."""
    return {w for n in names(unit.text) for w in words(n) if len(w) > 2}


def _anchors(a: _Unit, b: _Unit) -> set:
    """What two sentences in different languages share that pins them to one fact: a figure's
    value (10 or more, or a share), a day, or a name written in Latin script."""
    values = {f.value for f in a.figures if f.kind != "count" or _number(f.value) >= 10} & {f.value for f in b.figures}
    days = {(d.month, d.day) for d in a.dates if d.day} & {(d.month, d.day) for d in b.dates if d.day}
    periods = {(f.period.start, f.period.end) for f in a.figures if f.period and f.period.positioned and not f.period.open_end}
    periods &= {(f.period.start, f.period.end) for f in b.figures if f.period and f.period.positioned}
    return values | days | periods | (_latin_names(a) & _latin_names(b))


def _number(value: str) -> float:
    try:
        return float(value.rstrip("%"))
    except ValueError:
        return 0.0


def _english_first(a: _Unit, b: _Unit) -> tuple[_Unit, _Unit]:
    return (b, a) if a.article.language != "en" and b.article.language == "en" else (a, b)


def _cross_compare(a: _Unit, b: _Unit, same_fact: bool):
    """Across languages (or between two Korean sentences) nouns cannot be matched word for word:
    a figure conflict needs one figure of a kind on each side and an anchor other than itself
    (a shared day, period or other figure, or one statement by the embedder); a period conflict the same value
    of the same kind; a date conflict one fact by the embedder and a shared name or figure."""
    a, b = _english_first(a, b)
    anchors = _anchors(a, b) - _latin_names(a)  # a shared name is one subject, not one count
    for kind in ("count", "%", "money", "fold"):
        xs = [f for f in a.figures if f.kind == kind]
        ys = [f for f in b.figures if f.kind == kind]
        if len(xs) != 1 or len(ys) != 1:
            continue
        x, y = xs[0], ys[0]
        if x.value == y.value:
            if x.period is not None and y.period is not None and not compatible(x.period, y.period) and _number(x.value) >= 10:
                key = ("period", x.value, kind)
                yield key, Conflict("period", f"period of the {x.written} {x.noun_written}".rstrip(), [_side(a, x.period_text), _side(b, y.period_text)])
        elif (anchors - {x.value, y.value} or same_fact) and _same_period(x, y):
            key = ("figure", kind, x.period_text or "", y.period_text or "", x.noun)
            subject = f"number of {x.noun_written}" + (f" ({x.period_text})" if x.period_text else "")
            yield key, Conflict("figure", subject, [_side(a, x.written), _side(b, y.written)])
    shared = _latin_names(a) & _latin_names(b) | {f.value for f in a.figures} & {f.value for f in b.figures}
    if same_fact and shared and len(a.dates) == 1 and len(b.dates) == 1:
        x, y = a.dates[0], b.dates[0]
        if x.day is not None and y.day is not None and not _same_day(x, y):
            subject_name = max((n for n in names(a.text) if set(words(n)) & shared), key=len, default=sorted(shared)[0])
            key = ("date", tuple(sorted(shared)))
            yield key, Conflict("date", f"date of {subject_name}", [_side(a, x.text), _side(b, y.text)])


def _compare(a: _Unit, b: _Unit):
    yield from _date_conflicts(a, b)
    yield from _figure_conflicts(a, b)
    yield from _name_conflicts(a, b)


def _side(unit: _Unit, value: str) -> ConflictSide:
    return ConflictSide(value=value, citation=unit.citation, article_id=unit.article.id)


def _name_tokens(text: str) -> set[str]:
    return {w for n in names(text) for w in words(n)}


def _event_words(unit: _Unit, mention: DateMention) -> dict[str, str]:
    """{stem: word} of the ordinary words in the clause of a date: what happened then."""
    clause = _clause(unit.text, mention.start, mention.end).replace(mention.text, " ")
    proper = _name_tokens(unit.text)
    return {stem(w): w for w in words(clause) if w not in STOPWORDS and w not in proper and not w[0].isdigit() and len(w) > 2}


def _same_day(x: DateMention, y: DateMention) -> bool:
    if x.month != y.month:
        return False
    if x.day is not None and y.day is not None and x.day != y.day:
        return False
    return x.year is None or y.year is None or x.year == y.year


_SINCE = re.compile(r"\b(?:since|from|as far back as|dating back to)\b", re.I)


def _baseline(unit: _Unit, mention: DateMention) -> bool:
    """A date a count is measured from ("the highest since records began in December 2000"), not
    when the reported event happened."""
    left, _ = _clause_span(unit.text, mention.start, mention.end)
    return bool(_SINCE.search(unit.text[left : mention.start]))


def _date_conflicts(a: _Unit, b: _Unit):
    shared_names = _name_tokens(a.text) & _name_tokens(b.text)
    if not shared_names:
        return
    for x in a.dates:
        for y in b.dates:
            if _same_day(x, y) or _baseline(a, x) or _baseline(b, y):
                continue
            events_x, events_y = _event_words(a, x), _event_words(b, y)
            shared = sorted(set(events_x) & set(events_y))
            if not shared:
                continue
            subject_name = max((n for n in names(a.text) + names(b.text) if set(words(n)) & shared_names), key=len)
            event = events_x[shared[0]]
            key = ("date", tuple(sorted(shared_names)), shared[0])
            yield key, Conflict("date", f"when {subject_name} was {event}" if event.endswith("ed") else f"date of {subject_name}: {event}", [_side(a, x.text), _side(b, y.text)])


def _places(unit: _Unit, figure: _Figure) -> frozenset[str]:
    """The places named in the figure's clause ("13 people were killed in Dayton")."""
    start, end = figure.clause
    return frozenset(
        re.sub(r"^the\s+", "", place.lower()) for place, p_start, p_end in read(unit.text).places if start <= p_start and p_end <= end
    )


def _other_quantities(x: _Figure, y: _Figure) -> bool:
    """Two figures that are not one count reported twice: a part of a total, a forecast or an
    earlier value against another role (places are compared only for a would-be conflict, since
    reading them may parse the sentence)."""
    return x.role != y.role


def _states_both(a: _Unit, b: _Unit, x: _Figure, y: _Figure) -> bool:
    """One sentence also states the other's number for the same noun: the two report both
    quantities (an actual count and the one expected), not two versions of one."""
    return any(f.noun == x.noun and f.value == y.value for f in a.figures) or any(
        f.noun == y.noun and f.value == x.value for f in b.figures
    )


def _within_rounding(x: _Figure, y: _Figure) -> bool:
    tolerance = max(x.precision, y.precision)
    return tolerance > 0 and abs(_number(x.value) - _number(y.value)) <= tolerance * (1 + 1e-9)


def _figure_conflicts(a: _Unit, b: _Unit):
    for x in a.figures:
        for y in b.figures:
            if x.noun != y.noun or x.unit != y.unit or not (x.context & y.context):
                continue  # not the same count: another noun, unit or event
            if _other_quantities(x, y):
                continue
            if x.value == y.value:
                if x.period is not None and y.period is not None and not compatible(x.period, y.period):
                    key = ("period", x.value, x.noun)
                    subject = f"period of the {x.written} {x.noun_written}"
                    yield key, Conflict("period", subject, [_side(a, x.period_text), _side(b, y.period_text)])
            elif _same_period(x, y) and not _within_rounding(x, y) and not _states_both(a, b, x, y) and _places(a, x) == _places(b, y):
                key = ("figure", x.noun, x.period_text or "", y.period_text or "")
                subject = f"number of {x.noun_written}" + (f" ({x.period_text})" if x.period_text else "")
                yield key, Conflict("figure", subject, [_side(a, x.written), _side(b, y.written)])


def _same_period(x: _Figure, y: _Figure) -> bool:
    """Two counts are for the same period when neither states one, or both state compatible
    fixed periods ("January to July" / "the first seven months"). A count "so far this year"
    may have grown since a count for January to July: different figures there are no conflict."""
    if x.period is None or y.period is None:
        return x.period is None and y.period is None
    return x.period.open_end == y.period.open_end and compatible(x.period, y.period)


def _same_body(x: _Role, y: _Role) -> bool:
    shared = x.body & y.body
    return bool(shared) and len(shared) >= min(2, len(x.body), len(y.body)) and len(shared) / min(len(x.body), len(y.body)) >= 0.5


def _name_conflicts(a: _Unit, b: _Unit):
    for x in a.roles:
        for y in b.roles:
            same_person = x.person.lower() == y.person.lower()
            if not same_person and x.head == y.head and _same_body(x, y):
                key = ("name", x.head, tuple(sorted(x.body | y.body)))
                subject = f"who is {x.head} of {x.body_written}" + (f" / {y.body_written}" if y.body_written != x.body_written else "")
                yield key, Conflict("name", subject, [_side(a, x.written), _side(b, y.written)])
            elif same_person and x.head != y.head and _same_body(x, y):
                key = ("title", x.person)
                yield key, Conflict("name", f"title of {x.person}", [_side(a, x.written), _side(b, y.written)])
