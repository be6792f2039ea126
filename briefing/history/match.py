"""Which of today's stories continue a story of the earlier brief, which facts are new, which figures moved.

Stories are compared as story grouping compares articles (`briefing.stories.grouping`): the
multilingual embedder's cosine of what each story is about (today: the mean of its articles'
lead vectors, which grouping embedded; the earlier story: its title and the start of its bottom
line, all the earlier brief keeps), averaged with the TF-IDF cosine of everything each says, at
the grouping's own weight; a story continues the earlier story it is most similar to when that
reaches `CONTINUES` (`CONTINUES_LEXICAL` without the embedder). Titles alone are not trusted: outlets headline one event differently, and a Korean
report of yesterday's English story shares no word with it.

A point is not new when the earlier story stated the same fact (`briefing.merge.sameness`): the
two reach the same-fact similarity (in one language or across two), every number and date of
today's point is among the earlier one's, and the earlier point backs today's as a cited line
must back a point (the support check). Similarity alone is not enough: two points about one
place ("the field hospital beside the harbour opened", "... discharged its first patients")
reach it and report two facts. A figure moved when the earlier story counted the same thing (the same
head noun, as the figures table folds rows: `briefing.brief.sections.same_count`) with another value.
"""

from __future__ import annotations

import numpy as np

from briefing.brief.sections import same_count
from briefing.embedding import SentenceEmbedder
from briefing.history.locate import PreviousStory
from briefing.merge.sameness import SAME_FACT, FactMatcher, facts_agree, language_of
from briefing.merge.support_lexical import DEFAULT_MIN_COVERAGE
from briefing.model import Figure, Point, Story
from briefing.stories.grouping import EMBEDDING_WEIGHT, lexical_similarity as tfidf_similarity
from briefing.text import content_words, quantities

#: Story similarity (0..1, as grouping's) at which a story of today continues one of the earlier
#: brief; measured with `briefing eval continuity` (see the README).
CONTINUES = 0.2
#: The same with the lexical similarity alone (no embedder).
CONTINUES_LEXICAL = 0.07
#: Share of a point's content words an earlier point must hold for the two to be compared: below
#: the support check's own cut-off (DEFAULT_MIN_COVERAGE, on its own tokens), so no pair it
#: could pass is skipped.
CANDIDATE_COVERAGE = 0.8 * DEFAULT_MIN_COVERAGE


def story_text(story: Story) -> str:
    return " ".join([story.title, *(p.text for p in story.shown_points)])


def story_similarity(today: list[Story], leads: list[list[str]], previous: list[PreviousStory],
                     embedder: SentenceEmbedder | None) -> np.ndarray:
    """Similarity of each of today's stories (rows) to each earlier story (columns). `leads`:
    per story of today, the lead texts of its articles (`grouping.lead_text`, which grouping has
    embedded already: today's side costs nothing more)."""
    texts = [story_text(s) for s in today] + [" ".join([p.title, *p.points]) for p in previous]
    lexical = tfidf_similarity(texts)[: len(today), len(today):]
    if embedder is None:
        return np.round(lexical, 6)
    ours = np.stack([embedder.embed(texts).mean(axis=0) for texts in leads])
    ours /= np.where(np.linalg.norm(ours, axis=1, keepdims=True) == 0, 1.0, np.linalg.norm(ours, axis=1, keepdims=True))
    theirs = embedder.embed([p.lead for p in previous])
    return np.round(EMBEDDING_WEIGHT * (ours @ theirs.T) + (1 - EMBEDDING_WEIGHT) * lexical, 6)


def match_stories(today: list[Story], leads: list[list[str]], previous: list[PreviousStory],
                  embedder: SentenceEmbedder | None) -> list[int | None]:
    """For each of today's stories, the index of the earlier story it continues, or None.
    Several of today's stories may continue one earlier story (its articles grouped apart)."""
    if not today or not previous:
        return [None] * len(today)
    similarity = story_similarity(today, leads, previous, embedder)
    cut = CONTINUES if embedder is not None else CONTINUES_LEXICAL
    found: list[int | None] = []
    for row in similarity:
        best = int(np.argmax(row))  # the first of equals: deterministic
        found.append(best if row[best] >= cut else None)
    return found


def already_reported(points: list[Point], previous: PreviousStory, matcher: FactMatcher) -> list[bool]:
    """For each point, whether the earlier story stated the same fact (with the same numbers).

    Only points that an earlier one could back are compared: in one language, those with
    `CANDIDATE_COVERAGE` of their content words in it (the support check fails a statement with
    less than half of them in its span); across languages, all, when there is an embedder."""
    found = [False] * len(points)
    earlier = previous.points
    words = [(language_of(t), set(content_words(t))) for t in earlier]
    candidates = []
    for i, point in enumerate(points):
        own, language = set(content_words(point.text)), language_of(point.text)
        if any((lang == language and own and len(own & theirs) >= CANDIDATE_COVERAGE * len(own))
               or (lang != language and matcher.embedder is not None) for lang, theirs in words):
            candidates.append(i)
    if not candidates:
        return found
    similarity = matcher.matrix([points[i].text for i in candidates] + earlier)
    offset = len(candidates)
    for row, i in enumerate(candidates):
        text = points[i].text
        found[i] = any(
            similarity[row][offset + j] >= SAME_FACT and facts_agree(text, old) and matcher.supports(text, old)
            for j, old in enumerate(earlier)
        )
    return found


def previous_value(row: Figure, previous: PreviousStory) -> str | None:
    """The earlier story's value for the thing `row` counts, when it differs from today's; None
    when the earlier story did not count it or gave the same value."""
    values = [value for value, counts in previous.figures if same_count(row.counts, counts, row.counts, counts)]
    if not values or any(_same_value(row.value, value) for value in values):
        return None
    return values[0]


def _same_value(a: str, b: str) -> bool:
    qa, qb = quantities(a), quantities(b)
    if qa and qb:
        return qa[0].canonical == qb[0].canonical
    return a.strip() == b.strip()
