"""Points a reader can take out of their article: each listed point names its own subject.

A sentence that opens on a connective ("But now …", "However, …") is listed without it; one
that opens on "He"/"She"/"His"/"Her" is listed with the person named as the subject of the sentence before it ("[Moore] has decided …"), shown as an edit, and cites both sentences so that its lines still
support every word. Whatever cannot be made to stand alone (a question, a fragment, a piece of
a quotation, "It"/"They"/"This" with nothing to name them by) is not listed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from briefing.language import read, read_all
from briefing.model import Article, Citation, Point, Sentence

_PERSONAL = {"he": "", "she": "", "his": "’s", "her": "’s"}


def listable(points: list[Point], articles: dict[str, Article]) -> list[Point]:
    """The points that can be listed on their own, each as `standing_alone` edits it; their
    wordings are read in one batch first."""
    read_all(_without_connective(text) for p in points for text in (p.text, *p.alternates.values()))
    return [p for p in (standing_alone(point, articles) for point in points) if p is not None]


def standing_alone(point: Point, articles: dict[str, Article]) -> Point | None:
    """`point` as it can be listed on its own (edited as above), or None when it cannot be.

    Its wording in the other language (a source there states the same fact) must stand alone
    too, edited the same way: that is what the other language's brief shows."""
    edited = _edited(point.text, point.citations, articles)
    if edited is None:
        return None
    text, citations = edited
    alternates: dict[str, str] = {}
    for language, other in point.alternates.items():
        own = [c for c in citations if (a := articles.get(c.file)) is not None and a.language == language]
        edited = _edited(other, own or citations, articles)
        if edited is None:
            return None
        alternates[language] = edited[0]
        if own and edited[1] != own:
            citations = sorted([c for c in citations if c not in own] + edited[1], key=lambda c: (c.file, c.line_start))
    if text == point.text and alternates == point.alternates and citations == point.citations:
        return point
    return replace(point, text=text, citations=citations, alternates=alternates)


def _edited(text: str, citations: list[Citation], articles: dict[str, Article]) -> tuple[str, list[Citation]] | None:
    """The wording without its connective and with its personal pronoun named, and the
    citations that support it; None when it still leans on the sentence before."""
    text = _without_connective(text)
    facts = read(text)
    if facts.opener_kind == "pronoun" and facts.opener.lower() in _PERSONAL and facts.language == "en":
        resolved = _named(text, facts.opener, citations, articles)
        if resolved is None:
            return None
        text, citations = resolved
        facts = read(text)
    return (text, citations) if facts.stands_alone else None


def _without_connective(text: str) -> str:
    """The wording without what only its page needed: a wire dateline ("WASHINGTON (CNN) —"),
    a rubric ("Reality check:", "We found:") and an opening connective ("But now …")."""
    text = _without_lead_in(text)
    facts = read(text)
    return _without_opener(text, facts.opener) if facts.opener_kind == "connective" else text


# "(CNN) -", "Washington (CNN)President …", "WEST PALM BEACH, Fla.—", "LYON, France — ".
_DATELINE = re.compile(
    r"(?:[A-Z][A-Za-z.'’ -]{1,40}?\s*)?\((?:CNN|AP|AFP|Reuters|UPI)\)\s*(?:[-–—]+\s*)?"
    r"|[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][\w.'’ ]{1,25}?)?\s*[-–—]{1,2}\s*(?=[A-Z“\"])"
)
# A rubric of two to five words, all but the first in lower case: "The state of play: …".
_RUBRIC = re.compile(r"[A-Z][a-z’']*(?: [a-z’']+){1,4}:\s+(?=[A-Z“\"])")


def _without_lead_in(text: str) -> str:
    for pattern in (_DATELINE, _RUBRIC):
        found = pattern.match(text)
        if found and len(text) - found.end() > 20:
            rest = text[found.end():]
            text = rest[:1].upper() + rest[1:]
    return text


def _without_opener(text: str, opener: str) -> str:
    """"But now Moore has …" -> "Now Moore has …"; quotation marks before it stay."""
    lead = re.match(r"[\"'“‘ ]*", text).group(0)
    rest = text[len(lead) + len(opener):].lstrip(" ,")
    return lead + rest[:1].upper() + rest[1:] if rest else text


def _named(text: str, pronoun: str, citations: list[Citation], articles: dict[str, Article]) -> tuple[str, list[Citation]] | None:
    """The text with its opening pronoun replaced by the person who is the subject of the
    sentence before it, and its citations: each spanning both sentences. A pronoun inside a
    quotation is the speaker's and is never resolved."""
    if text.lstrip()[:1] in "\"'“‘":
        return None
    for k, citation in enumerate(citations):
        article = articles.get(citation.file)
        before = _sentence_before(article, citation) if article else None
        name = read(before.text).subject_person if before is not None else None
        if not name:
            continue
        start = text.index(pronoun)
        edited = f"{text[:start]}[{name}]{_PERSONAL[pronoun.lower()]}{text[start + len(pronoun):]}"
        joined = Citation(citation.file, before.line_start, citation.line_end, f"{before.text} {citation.quote}")
        # Other sources stay cited when they name the person too.
        others = [c for c in citations[k + 1:] if c.file != citation.file and name.split()[-1] in c.quote]
        return edited, [joined, *others]
    return None


def _sentence_before(article: Article, citation: Citation) -> Sentence | None:
    """The sentence just before the cited one, in the same paragraph or the one before it."""
    for k, sentence in enumerate(article.sentences):
        if sentence.line_start == citation.line_start and sentence.text in citation.quote:
            if k == 0:
                return None
            before = article.sentences[k - 1]
            return None if before.is_fragment or before.paragraph < sentence.paragraph - 1 else before
    return None
