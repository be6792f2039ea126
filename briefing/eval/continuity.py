"""Story continuity across two days, measured: does the second brief know which stories continue?

Each news day of a stories file (`../shared/eval/stories/dev.jsonl`: `{day, articles: [{name,
story, lang, title, text}]}`) is split over two dates: every gold story with two or more articles
has its first article on day one and the rest on day two; one-article stories alternate between
the days (the first on day one). Both folders are briefed by `briefing.pipeline.run` into one
OUT, day two finding day one's brief as the earlier one. Each story and "also reported" item of
day two is continuing in truth when its articles' gold story (the most of them) had an article on
day one; its predicted status is the brief's `status`.

Methods, computed on the same briefs: the brief's own status (the default), and a title-matching
baseline (an item continues when its title shares at least half its content words, Jaccard, with
a title of day one's brief). Scores: accuracy, and precision/recall of "continuing". Day one's
brief is made in a fresh OUT: every story in it must be new (`fresh_continuing` counts those that
are not).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.text import content_words, jaccard

DAY_ONE, DAY_TWO = "2026-11-29", "2026-11-30"
TITLE_OVERLAP = 0.5
SCORES = ("accuracy", "continuing_precision", "continuing_recall")


def load_days(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_day(articles: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Day one's and day two's articles (see the module docstring)."""
    stories: dict[str, list[dict[str, Any]]] = {}
    for article in articles:
        stories.setdefault(str(article["story"]), []).append(article)
    one, two = [], []
    alone = 0
    for members in stories.values():
        if len(members) > 1:
            one.append(members[0])
            two += members[1:]
        else:
            (one if alone % 2 == 0 else two).append(members[0])
            alone += 1
    return one, two


@dataclass
class Counts:
    items: int = 0
    correct: int = 0
    true_positive: int = 0
    predicted: int = 0
    actual: int = 0

    def add(self, truth: bool, predicted: bool) -> None:
        self.items += 1
        self.correct += truth == predicted
        self.true_positive += truth and predicted
        self.predicted += predicted
        self.actual += truth

    def as_json(self) -> dict[str, float]:
        return {
            "items": self.items,
            "accuracy": _percent(self.correct, self.items),
            "continuing_precision": _percent(self.true_positive, self.predicted),
            "continuing_recall": _percent(self.true_positive, self.actual),
        }


@dataclass
class Report:
    methods: dict[str, Counts] = field(default_factory=dict)
    per_day: dict[str, dict[str, Counts]] = field(default_factory=dict)
    fresh_continuing: int = 0  # day-one items not marked new

    def add(self, day: str, method: str, truth: bool, predicted: bool) -> None:
        self.methods.setdefault(method, Counts()).add(truth, predicted)
        self.per_day.setdefault(day, {}).setdefault(method, Counts()).add(truth, predicted)

    def as_json(self) -> list[dict[str, Any]]:
        return [{"name": name, **counts.as_json(), "fresh_continuing": self.fresh_continuing}
                for name, counts in self.methods.items()]


DEFAULT, TITLES = "brief status (default)", "title matching"


def evaluate(days: list[dict[str, Any]], embedder: str = "auto", work: Path | None = None) -> Report:
    """Run both days of every news day and score day two (see the module docstring)."""
    from briefing.engines import engines_for
    from briefing.pipeline import RunOptions

    report = Report()
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        engines = engines_for(RunOptions(summariser="extractive", translator="none"))
        for number, row in enumerate(days):
            name = str(row.get("day", number))
            one, two = split_day(row["articles"])
            if not one or not two:  # a day of one article has no second day
                continue
            gold = {Path(a["name"]).stem: str(a["story"]) for a in row["articles"]}
            first_day = {gold[Path(a["name"]).stem] for a in one}
            out = Path(tmp) / f"day-{number}" / "out"
            earlier = _brief(one, Path(tmp) / f"day-{number}" / "one", out, DAY_ONE, embedder, engines)
            later = _brief(two, Path(tmp) / f"day-{number}" / "two", out, DAY_TWO, embedder, engines)
            earlier_items = earlier["stories"] + earlier["also_reported"]
            report.fresh_continuing += sum(1 for item in earlier_items if item.get("status", "new") != "new")
            titles = [set(content_words(item["title"])) for item in earlier_items]
            for item in later["stories"] + later["also_reported"]:
                story = Counter(gold[i] for i in item["article_ids"]).most_common(1)[0][0]
                truth = story in first_day
                report.add(name, DEFAULT, truth, item.get("status") == "continuing")
                words = set(content_words(item["title"]))
                report.add(name, TITLES, truth, any(jaccard(words, other) >= TITLE_OVERLAP for other in titles))
    return report


def _brief(articles: list[dict[str, Any]], folder: Path, out: Path, date: str, embedder: str, engines) -> dict[str, Any]:
    from briefing.pipeline import RunOptions, run

    folder.mkdir(parents=True)
    for article in articles:
        text = (article["title"] + "\n\n" if article.get("title") else "") + article["text"] + "\n"
        (folder / article["name"]).write_text(text, encoding="utf-8")
    options = RunOptions(input_dir=folder, out_dir=out, date=date, summariser="extractive", translator="none",
                         embedder=embedder)
    result = run(options, engines=engines)
    return json.loads((result.folder / "brief.json").read_text(encoding="utf-8"))


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0
