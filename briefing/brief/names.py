"""People called by their surname alone are introduced by their full name the first time.

A reader of the brief never saw the article's earlier sentence that named "Sen. Rand Paul": a
point saying "Paul said …" leans on it. The first point of a story that calls someone by a bare
surname shows the article's full name in its place, as an edit ("[Rand Paul] said …", "said [Kim
Min-jun]" for a family name written first), and cites the sentence the name comes from too,
quoting the name alone (that footnote says where the name is from, not that its line states the
point), so that its lines still support every word. A name
is taken only when the parser reads it as a person's (PERSON entity) in that sentence; without
the parser nothing is changed. English only: Korean news writes full names.
"""

from __future__ import annotations

import re
from dataclasses import replace

from briefing.language import read, reader
from briefing.model import Article, Citation, Point
from briefing.text import STOPWORDS, word_list

_WORD = re.compile(r"[A-Za-z][\w’'.-]*")
_SURNAME = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?")


def introduce_names(points: list[Point], articles: list[Article]) -> list[Point]:
    """`points` (in the order the brief shows them) with each bare surname's first use named."""
    if reader() == "rules":
        return points
    by_path = {a.path: a for a in articles}
    introduced: set[str] = set()
    shown = []
    for point in points:
        if point.language == "en":
            point = _named(point, by_path, introduced)
            introduced |= {name.split()[-1] for name in _full_names(point.text)}
        shown.append(point)
    return shown


def _named(point: Point, articles: dict[str, Article], introduced: set[str]) -> Point:
    text, citations = point.text, list(point.citations)
    own = {name.split()[-1] for name in _full_names(text)}  # "Rand Paul … Paul said"
    for surname in _bare_surnames(text):
        if surname in introduced or surname in own:
            continue
        at = re.search(rf"\b{re.escape(surname)}\b", text.strip())
        if at and read(text.strip()).modifies_noun(at.start(), at.end()):  # "as Trump administration has": a name that is no person here
            continue
        name = _full_name(surname, citations, articles)
        if name is None:
            continue
        # Every cited English source must support the name: each cites its own sentence naming the
        # person (a Korean source's sentence backs the point's Korean wording, which is not edited).
        sources = {c.file: _naming(name, articles.get(c.file)) for c in citations
                   if (a := articles.get(c.file)) is None or a.language == "en"}
        if any(source is None for source in sources.values()):
            continue
        text = re.sub(rf"\[{re.escape(surname)}\]|\b{re.escape(surname)}\b", f"[{name}]", text, count=1)
        introduced.add(surname)
        for source in sources.values():
            if all(c.file != source.file or source.quote not in c.quote for c in citations):
                citations = sorted([*citations, source], key=lambda c: (c.file, c.line_start))
    if text == point.text:
        return point
    return replace(point, text=text, citations=citations)


def _bare_surnames(text: str) -> list[str]:
    """Capitalised words standing alone: no capitalised word or title right before or after."""
    words = list(_WORD.finditer(text))
    titles = set(word_list("en", "role_nouns"))
    not_names = set(word_list("en", "not_names"))
    found = []
    for k, word in enumerate(words):
        w = word.group(0).rstrip(".")  # "said Kim."
        if not _SURNAME.fullmatch(w) or len(w) < 3 or w in not_names:
            continue
        before = words[k - 1].group(0) if k else ""
        after = words[k + 1].group(0) if k + 1 < len(words) else ""
        adjacent_before = k and text[words[k - 1].end():word.start()].strip() == ""
        adjacent_after = k + 1 < len(words) and text[word.end():words[k + 1].start()].strip() == ""
        if adjacent_before and (before[:1].isupper() or before.rstrip(".").lower() in titles):
            continue
        if adjacent_after and after[:1].isupper():
            continue
        found.append(w)
    return list(dict.fromkeys(found))


def _naming(name: str, article: Article | None) -> Citation | None:
    """Where `article` first writes `name` in full: its sentence's lines, quoting the name alone
    (the footnote says where the name comes from, not that this sentence states the point)."""
    if article is None or article.language != "en":
        return None
    sentence = next((s for s in article.sentences if name in s.text), None)
    return None if sentence is None else Citation(article.path, sentence.line_start, sentence.line_end, name)


def _full_name(surname: str, citations: list[Citation], articles: dict[str, Article]) -> str | None:
    """The first full name a cited article gives the person called `surname`."""
    # A capitalised word or initial beside it: "Rand Paul", "Robert E. Lee", "Kim Min-jun".
    pattern = re.compile(rf"(?:\b([A-Z][a-z]+)|\b[A-Z]\.)\s{re.escape(surname)}\b")
    family_first = re.compile(rf"\b{re.escape(surname)}\s[A-Z][a-z]+-[a-z]+")
    titles, not_names = set(word_list("en", "role_nouns")), set(word_list("en", "not_names"))

    def could_name(match: re.Match) -> bool:  # "President Trump", "The Paul": no first name; parse only the rest
        first = match.group(1)
        return first is None or (first.lower() not in titles and first not in not_names and first.lower() not in STOPWORDS)

    for citation in citations:
        article = articles.get(citation.file)
        if article is None or article.language != "en":
            continue
        for sentence in article.sentences:
            if not (family_first.search(sentence.text) or any(could_name(m) for m in pattern.finditer(sentence.text))):
                continue
            name = next((p for p in read(sentence.text).people if _plain_name(p) and (
                p.split()[-1] == surname or _family_name_first(p, surname))), None)
            if name:
                return name
    return None


def _family_name_first(name: str, surname: str) -> bool:
    """A Korean or Chinese name as English news writes it, family name first: "Kim Min-jun"."""
    words = name.split()
    return len(words) == 2 and words[0] == surname and bool(re.fullmatch(r"[A-Z][a-z]+-[a-z]+", words[1]))


def _plain_name(name: str) -> bool:
    """Two to four capitalised words or initials, none of them an ordinary word: the small parser
    now and then takes "Drake Here Promise" or "Pan' Wil" for a person."""
    words = name.split()
    return 1 < len(words) <= 4 and all(
        re.fullmatch(r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?|[A-Z]\.", w) and w.lower() not in STOPWORDS for w in words)


def _full_names(text: str) -> list[str]:
    """Two or more capitalised words in a row (a name as written in full, or "[Rand Paul]")."""
    return re.findall(r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)+", text)
