"""Lead-k: the classic news summarisation baseline. Each article's first k statements.

News puts its most important facts first, so the lead is a strong baseline (Lead-3 on
CNN/DailyMail). Headings, labels and other fragments are not statements and are skipped.
"""

from __future__ import annotations

from briefing.condense.base import Condensed, Condenser
from briefing.model import Article, Sentence


def lead_sentences(article: Article, k: int) -> list[Sentence]:
    """The first `k` statements of an article, in order."""
    return [s for s in article.sentences if not s.is_fragment][: max(0, k)]


class LeadCondenser(Condenser):
    name = "lead"

    def describe(self) -> str:
        return "lead (each article's first statements)"

    def condense(self, articles: list[Article], per_article: int) -> Condensed:
        return Condensed({
            article.id: [
                self.point(article, s, 1.0 / (1 + rank)) for rank, s in enumerate(lead_sentences(article, per_article))
            ]
            for article in articles
        })
