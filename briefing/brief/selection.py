"""Choosing a story's points: every distinct fact once, spread over what the sources report.

Merge leaves one point per distinct fact (a cluster of same-fact statements); a brief shows a
share of them. The share grows with what there is to tell: the point budget is twice the square
root of (distinct facts x sources), between a floor and the `--max-points` cap (and never more
than the facts there are), so a small story shows each of its few facts and a large one gets a
budget that grows more slowly than its facts.

Points are chosen greedily by maximal marginal relevance over the same-fact notion of
`briefing.merge.sameness`: each step takes the point with the best

    importance + new facts - redundancy + a bonus for a facet not yet covered

- importance: how many outlets report it, its salience, and its centrality in the story (its
  mean overlap with the other candidates), each scaled to 0..1 in the story;
- new facts: the numbers, names and content words it states that no chosen point states;
- redundancy: its similarity to the closest chosen point, on the same-fact scale (lexical, and
  the multilingual embedder's cosine when one is loaded), so a restatement in other words
  costs as much as a copy;
- facets: what the sources report, told apart by general rules, never by a story's words:
  a figure (scale, who is affected), an attribution verb (who responds), a proposal or measure
  verb (what is proposed), a denial or dispute verb (what is disputed), else what happened.

A point that restates chosen points (one fact, no new figure or name) is never taken, however
much budget is left, nor is one that only points back to another candidate's sentence ("…
announced that police are looking into the matter"); a left-out restatement's sources are cited
on the chosen point when they support its wording. Positions then name every actor: a candidate
that states an actor's position or announced measure is added when that actor has no point yet.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from briefing.brief.sections import figure_quantities, position_actor
from briefing.merge.sameness import SAME_FACT, FactMatcher
from briefing.model import Citation, Point
from briefing.text import HANGUL, content_words, names, word_list

FACETS = ("event", "scale", "response", "proposal", "dispute")
#: Overlap at which two statements are taken as one fact: merge's lexical cut-off (SAME_FACT,
#: half of `lexical_same`), or the embedder's cosine half-way from `semantic_floor` to `semantic_same`.
SAME_LEVEL = 0.5


@dataclass(frozen=True)
class SelectionSettings:
    novelty: float = 1.0  # weight of the facts a point adds
    redundancy: float = 1.0  # weight of its similarity to the closest chosen point
    facet: float = 0.25  # bonus for a facet no chosen point covers yet
    # Overlap grows linearly from 0 to 1 (one fact): lexical similarity up to twice the
    # same-fact cut-off of merge; the embedder's cosine from `semantic_floor` to `semantic_same`.
    lexical_same: float = 2 * SAME_FACT
    semantic_floor: float = 0.4
    semantic_same: float = 0.8


def point_budget(distinct: int, sources: int, cap: int, minimum: int = 3, per_fact: float = 2.0) -> int:
    """How many points a story gets: `per_fact` x sqrt(distinct facts x sources), at least
    `minimum` (or every fact when there are fewer), at most `cap` and the number of facts."""
    if distinct <= 0:
        return 0
    grown = round(per_fact * math.sqrt(distinct * max(1, sources)))
    return max(1, min(cap, distinct, max(minimum, grown)))


@lru_cache(maxsize=None)
def _pattern(language: str, name: str) -> re.Pattern | None:
    words = word_list(language, name)
    if not words:
        return None
    if language == "ko":
        return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    return re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True)) + r")\b", re.I)


def facets(text: str) -> frozenset[str]:
    """What kind of report a statement is, by general rules (see the module docstring)."""
    language = "ko" if HANGUL.search(text) else "en"
    found = set()
    if figure_quantities(text):
        found.add("scale")
    for facet, words in (("response", "attribution_verbs"), ("proposal", "position_words"), ("dispute", "dispute_words")):
        pattern = _pattern(language, words)
        if pattern is not None and pattern.search(text):
            found.add(facet)
    if not found:
        found.add("event")
    return frozenset(found)


def _units(text: str) -> dict[str, float]:
    """The facts a statement states, weighted: a figure or a name counts 1, a content word 0.2;
    who said it and where ("Chief Ana Diaz told reporters on Monday that …") count as words."""
    claim = reported_claim(text)
    if claim != text:
        frame = {unit: 0.2 for unit in _claim_units(text[: len(text) - len(claim)])}
        return frame | _claim_units(claim)
    return _claim_units(text)


def _claim_units(text: str) -> dict[str, float]:
    # A figure is its value with what it counts ("24 suspects" is not "24-hour").
    units = {f"#{q.canonical} {q.unit}".rstrip(): 1.0 for q in figure_quantities(text, spelled=True)}
    units.update({"@" + n.casefold(): 1.0 for n in names(text)})
    for word in content_words(text):
        units.setdefault(word, 0.2)
    return units


def _specific(unit: str) -> bool:
    """A number or a name (not a content word)."""
    return unit.startswith(("#", "@"))


@lru_cache(maxsize=None)
def _reported_speech() -> re.Pattern:
    verbs = "|".join(map(re.escape, sorted(word_list("en", "attribution_verbs"), key=len, reverse=True)))
    return re.compile(r"\b(?:" + verbs + r")\b(?:\s+[\w’'-]+){0,4}?\s+that\s+", re.I)


def reported_claim(text: str) -> str:
    """What a statement reports, without who said it and where: the clause after "X told
    reporters on Monday that …", "X announced that …"; the whole text otherwise."""
    found = None if HANGUL.search(text) else _reported_speech().search(text)
    return text[found.end():] if found else text


def redundancy_matrix(texts: list[str], matcher: FactMatcher, background: list[str] | None = None,
                      settings: SelectionSettings | None = None, semantic: bool = True) -> np.ndarray:
    """Pairwise overlap on a 0..1 scale where 1 is one fact: the same-fact similarity (up to
    `lexical_same`), and for two statements in one language also the embedder's cosine (from
    `semantic_floor` to `semantic_same`), whichever is higher; without `semantic`, only the
    same-fact similarity (which still compares languages through the embedder)."""
    settings = settings or SelectionSettings()
    lexical = np.clip(np.array(matcher.matrix(texts, background), dtype=float) / settings.lexical_same, 0.0, 1.0)
    if matcher.embedder is None or len(texts) < 2 or not semantic:
        return lexical
    vectors = matcher.embedder.embed(texts)
    cosine = vectors @ vectors.T
    span = settings.semantic_same - settings.semantic_floor
    meaning = np.clip((cosine - settings.semantic_floor) / span, 0.0, 1.0)
    languages = np.array(["ko" if HANGUL.search(t) else "en" for t in texts])
    meaning = np.where(languages[:, None] == languages[None, :], meaning, 0.0)  # across languages: matrix() has it
    return np.round(np.maximum(lexical, meaning), 6)


_ANAPHORIC_EN = re.compile(
    r"\b(?:the|this|that)\s+(?:" + "|".join(map(re.escape, word_list("en", "anaphoric_nouns"))) + r")\b"
    r"|\bsuch\s+(?!as\b|a\b|an\b)[a-z]+\b",
    re.I,
)


def leans_on_context(text: str) -> bool:
    """A statement whose subject matter is in the sentence before it: it refers to "the matter",
    "the issue", "such crimes". (An opener such as "Furthermore" or "He" goes on with something
    new, and does not count.)"""
    return not HANGUL.search(text) and bool(_ANAPHORIC_EN.search(text))


def leaning_on(points: list[Point]) -> list[tuple[int, int]]:
    """(i, j): point i leans on its context, and point j states a sentence of its paragraph or
    of the paragraph before it (a citation's lines; blank lines between paragraphs)."""
    citing: dict[str, list[tuple[int, Citation]]] = {}
    for j, other in enumerate(points):
        for d in other.citations:
            citing.setdefault(d.file, []).append((j, d))
    pairs: set[tuple[int, int]] = set()
    for i, point in enumerate(points):
        if not leans_on_context(point.text):
            continue
        for c in point.citations:
            for j, d in citing.get(c.file, []):
                if j != i and c.line_start - 2 <= d.line_end <= c.line_start and d.quote != c.quote:
                    pairs.add((i, j))
    return sorted(pairs)


def _scaled(values: list[float]) -> np.ndarray:
    top = max(values, default=0.0)
    return np.array(values, dtype=float) / top if top > 0 else np.zeros(len(values))


def select_points(
    points: list[Point],
    matcher: FactMatcher,
    budget: int,
    background: list[str] | None = None,
    settings: SelectionSettings | None = None,
    actors: int = 0,
) -> list[Point]:
    """Up to `budget` points (given most important first) chosen for distinct facts with
    little repetition; then, up to `actors` more, for each actor who states a position or
    announces a measure and has no chosen point yet, that actor's first such point (unless it
    restates a chosen one). Returned in their given order."""
    settings = settings or SelectionSettings()
    if not points or budget <= 0:
        return []
    texts = [p.text for p in points]
    units = [_units(t) for t in texts]
    specific = [{u for u in found if _specific(u)} for found in units]
    figures = [{u for u in found if u.startswith("#")} for found in units]
    # overlap[i, j]: how much point j already says what point i says. Two statements with
    # different figures are not one fact (`sameness.facts_agree`): the figures of i that j lacks
    # halve what their wording shares.
    # The embedder's same-language view is needed only when the budget leaves facts out.
    overlap = redundancy_matrix(texts, matcher, background, settings, semantic=len(points) > budget)
    for i, own in enumerate(figures):
        if own:
            shared = np.array([len(own & other) / len(own) for other in figures])
            overlap[i] *= 0.5 + 0.5 * shared
    # Importance: outlets reporting it, salience, and centrality in the story (its mean overlap
    # with the other candidates: a teaser for another story overlaps nothing), each over its top.
    central = (overlap.sum(axis=1) - overlap.diagonal()) / max(1, len(points) - 1)
    importance = (
        _scaled([p.outlets for p in points]) + _scaled([max(0.0, p.salience) for p in points]) + _scaled(central.tolist())
    ) / 3
    claims = [{u for u in _claim_units(reported_claim(t)) if _specific(u)} for t in texts]
    # "X announced that police are looking into the matter": a point that leans on another
    # candidate's sentence and reports no figure or name of its own restates that sentence.
    echoes = {i for i, j in leaning_on(points) if not claims[i] - specific[j]}
    kinds = [facets(t) for t in texts]
    chosen: list[int] = []
    stated: set[str] = set()
    covered: set[str] = set()
    closest = np.zeros(len(points))
    while len(chosen) < budget:
        best, best_value = None, -math.inf
        for i in range(len(points)):
            if i in chosen or i in echoes:
                continue
            new = sum(w for u, w in units[i].items() if u not in stated)
            if chosen and (new == 0.0 or closest[i] >= 1.0 and not claims[i] - stated):
                continue  # nothing it says is new, or a fact already stated with no new figure or name
            value = (
                importance[i]
                + settings.novelty * new / (new + 2.0)
                - settings.redundancy * closest[i]
                + (settings.facet if kinds[i] - covered else 0.0)
            )
            if value > best_value + 1e-9:
                best, best_value = i, value
        if best is None:
            break
        chosen.append(best)
        stated |= set(units[best])
        covered |= kinds[best]
        closest = np.maximum(closest, overlap[:, best])
    known = [a for a in (position_actor(texts[i]) for i in chosen) if a]
    added = 0
    for i in range(len(points)):
        if added >= actors:
            break
        actor = None if i in chosen or i in echoes else position_actor(texts[i])
        if actor is None or any(same_actor(actor, other) or _names_as_subject(texts[i], other) for other in known):
            continue
        known.append(actor)  # this actor's first position decides, restatement or not
        if closest[i] >= 1.0 or not set(units[i]) - stated:
            continue
        chosen.append(i)
        added += 1
        stated |= set(units[i])
        closest = np.maximum(closest, overlap[:, i])
    _cite_restatements(points, chosen, overlap, matcher)
    return [points[i] for i in sorted(chosen)]


def _cite_restatements(points: list[Point], chosen: list[int], overlap: np.ndarray, matcher: FactMatcher) -> None:
    """A candidate left out that states a chosen point's fact (overlap at the same-fact level)
    lends that point its sources: each of its citations whose text supports the chosen wording is cited there,
    so one fact reported by several outlets in different words is one point citing them all."""
    for i, point in enumerate(points):
        if i in chosen:
            continue
        hosts = sorted((j for j in chosen if overlap[i, j] >= SAME_LEVEL), key=lambda j: (-overlap[i, j], j))
        for j in hosts:
            host = points[j]
            added = [c for c in point.citations if c not in host.citations and matcher.backs(host, c.quote)]
            if added:
                host.citations = sorted(host.citations + added, key=lambda c: (c.file, c.line_start))
                host.article_ids = sorted(set(host.article_ids) | set(point.article_ids))
                break


def _names_as_subject(text: str, actor: str) -> bool:
    """Does `text` name `actor` before its first attribution or position verb ("The Acme
    Commission (AC), the regulator, plans …" is Acme Commission's, whatever the appositive)?"""
    language = "ko" if HANGUL.search(text) else "en"
    ends = [m.start() for name in ("attribution_verbs", "position_words") if (p := _pattern(language, name)) and (m := p.search(text))]
    subject = text[: min(ends)] if ends else text
    return any(
        len(name) > 3 and re.search(r"(?<!\w)" + re.escape(name.casefold()) + r"(?!\w)", subject.casefold())
        for name in _aliases(actor)
    )


def _aliases(actor: str) -> list[str]:
    """An actor's names: "Acme Commission (AC)" -> "Acme Commission", "AC"."""
    inside = re.findall(r"\(([^()]+)\)", actor)
    return [name for name in [re.sub(r"\s*\([^()]*\)", "", actor).strip(), *inside] if name]


def same_actor(a: str, b: str) -> bool:
    """Two names of one actor: equal, one the other's first or last word ("Diaz" / "Ana Diaz"),
    or one the other's initials ("ASC" / "Acme Standards Commission")."""
    if "(" in a or "(" in b:  # "Acme Standards Commission (ASC)": either name
        return any(same_actor(x, y) for x in _aliases(a) for y in _aliases(b))
    x, y = a.casefold().removeprefix("the "), b.casefold().removeprefix("the ")
    if x == y:
        return True
    for short, long in ((x, y), (y, x)):
        words = long.split()
        if short in (words[0], words[-1]) and len(words) > 1 and short[:1].isalpha():
            return True
        initials = "".join(w[0] for w in words if w[:1].isalpha() and w not in ("of", "and", "for", "the"))
        if len(short) > 1 and " " not in short and short == initials:
            return True
    return False
