"""The condenser interface: articles in, cited points out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from briefing.model import Article, Point, Sentence


@dataclass
class Condensed:
    """What a condenser returns: each article's points (most salient first), and what it dropped."""

    points: dict[str, list[Point]]
    dropped_unsupported: int = 0  # generated sentences that no source lines support


class Condenser(ABC):
    """Condenses each article into its key points.

    The whole set is passed at once so that a condenser can use cross-article evidence
    (a fact several outlets report matters more). Every returned point carries at least one
    citation whose lines contain the text it was drawn from; a condenser that cannot ground a
    statement in its source drops it.
    """

    #: registry name, e.g. "extractive" or "seq2seq"
    name: str = ""
    #: True when an article's points depend on the other articles passed with it (cross-source
    #: salience): the pipeline then condenses each story on its own.
    compares_articles: bool = False
    #: generated sentences dropped by the last `condense` call (also in its Condensed result)
    dropped_unsupported: int = 0

    @abstractmethod
    def condense(self, articles: list[Article], per_article: int) -> Condensed:
        """For each article id, up to `per_article` points, most salient first."""

    def describe(self) -> str:
        """A one-line description for the brief's engine note."""
        return self.name

    def point(self, article: Article, sentence: Sentence, salience: float) -> Point:
        """A point quoting one source sentence, cited to its file and lines."""
        return Point(
            text=sentence.text,
            citations=[article.citation(sentence)],
            language=article.language,
            salience=round(salience, 6),
            article_ids=[article.id],
            origin=self.name,
        )
