"""Evaluate the condenser against reference summaries with ROUGE, next to Lead baselines.

Reads the JSON Lines formats of ../shared/eval:
- single-article rows: `article`, `reference` (FRANK also has `source_dataset`: cnndm / xsum);
- multi-article rows: `documents` [{title, text}] (a list, or its Python-literal string),
  `reference_summary`.
Every text goes through `briefing.ingest.folder.article_from_text`, the cleaning that files get.

Each system writes a summary of the same length, SUMMARY_SENTENCES statements, so that no system
wins by being longer; the length is fixed per task, never chosen per item from the reference.
Baselines (computed in the same run, on the same items):
- single article: Lead-3, the classic CNN/DailyMail baseline;
- several articles: Lead-1 of each article in order, and Lead-3 of the first article.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean

from briefing.condense.base import Condenser
from briefing.condense.extractive import ExtractiveCondenser
from briefing.condense.lead import lead_sentences
from briefing.eval.rows import RowError, read_rows
from briefing.ingest.folder import article_from_text
from briefing.ingest.sentences import split_sentences
from briefing.model import Article

SUMMARY_SENTENCES = 3
METRICS = ("rouge1", "rouge2", "rougeLsum")

Summariser = Callable[[list[Article]], list[str]]


@dataclass
class EvalItem:
    id: str
    subset: str  # "cnndm", "xsum", "multi", ... : figures are reported per subset
    articles: list[Article]
    reference: str
    multi: bool  # a multi-document row (even if one of its documents was empty)


@dataclass
class Problem:
    line: int
    id: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line} ({self.id}): {self.reason}"


@dataclass
class Report:
    items: list[dict] = field(default_factory=list)  # per item: id, subset, reference, systems
    problems: list[Problem] = field(default_factory=list)

    def means(self, halves: bool = False) -> list[dict]:
        """Mean F1 per (subset, part, system); part is "all", or "half 1"/"half 2" in file order."""
        rows: list[dict] = []
        for subset in sorted({item["subset"] for item in self.items}):
            group = [item for item in self.items if item["subset"] == subset]
            parts = [("all", group)]
            if halves:
                middle = (len(group) + 1) // 2
                parts += [("half 1", group[:middle]), ("half 2", group[middle:])]
            for part, members in parts:
                if not members:
                    continue
                for system in members[0]["systems"]:
                    if not all(system in m["systems"] for m in members):
                        continue  # a model system scores single-article items only
                    row = {"subset": subset, "part": part, "system": system, "items": len(members)}
                    for metric in METRICS:
                        row[metric] = fmean(m["systems"][system][metric] for m in members)
                    rows.append(row)
        return rows


    def margins(self, samples: int, seed: int = 0) -> list[dict]:
        """Per subset, the margin of each system over the subset's Lead baseline (`strongest_lead`), with a 95% paired-bootstrap interval over items: items are
        drawn with replacement `samples` times (fixed seed: the same figures every run), and the
        2.5th and 97.5th percentiles of the resampled mean difference are reported."""
        import numpy as np

        rows: list[dict] = []
        for subset in sorted({item["subset"] for item in self.items}):
            group = [item for item in self.items if item["subset"] == subset]
            baseline = strongest_lead(group[0]["systems"])
            if not all(baseline in m["systems"] for m in group):
                continue
            rng = np.random.default_rng(seed)
            draws = rng.integers(0, len(group), size=(samples, len(group)))
            for system in group[0]["systems"]:
                if system == baseline or not all(system in m["systems"] for m in group):
                    continue
                row = {"subset": subset, "system": system, "baseline": baseline, "items": len(group), "samples": samples}
                for metric in METRICS:
                    diff = np.array([m["systems"][system][metric] - m["systems"][baseline][metric] for m in group])
                    means = diff[draws].mean(axis=1)
                    low, high = np.percentile(means, [2.5, 97.5])
                    row[metric] = {"margin": float(diff.mean()), "low": float(low), "high": float(high)}
                rows.append(row)
        return rows


def strongest_lead(systems: Iterable[str]) -> str:
    """The Lead baseline an item is compared with: Lead-1 of each article for a multi-document
    item (the strongest Lead there), else Lead-3."""
    return "lead-1-each" if "lead-1-each" in systems else f"lead-{SUMMARY_SENTENCES}"


# -- reading ----------------------------------------------------------------------------------


def load_items(path: Path, subset: str | None = None, limit: int | None = None) -> tuple[list[EvalItem], list[Problem]]:
    """The usable rows of a JSON Lines file, and what was wrong with the others."""
    items: list[EvalItem] = []
    problems: list[Problem] = []
    for number, row in read_rows(path):
        if limit is not None and len(items) >= limit:
            break
        if isinstance(row, RowError):
            problems.append(Problem(number, f"line-{number}", row.reason))
            continue
        try:
            if subset is not None and subset_of(row) != subset:
                continue
            item = parse_row(row, number)
        except (ValueError, SyntaxError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            problems.append(Problem(number, str(row.get("id", f"line-{number}")), str(exc) or type(exc).__name__))
            continue
        items.append(item)
    return items, problems


def subset_of(row: dict) -> str:
    """The subset a row is reported under: its `source_dataset`, else "multi" or "single"."""
    return str(row.get("source_dataset") or ("multi" if "documents" in row else "single"))


def parse_row(row: dict, number: int = 0) -> EvalItem:
    """One row as an EvalItem; raises ValueError when it has no usable text or reference."""
    item_id = str(row.get("id", f"line-{number}"))
    if "documents" in row:
        documents = row["documents"]
        if isinstance(documents, str):
            documents = ast.literal_eval(documents)
        if not isinstance(documents, list):
            raise ValueError("`documents` is not a list")
        articles = []
        for k, doc in enumerate(documents):
            title, text = (doc.get("title") or "", doc.get("text") or "") if isinstance(doc, dict) else ("", str(doc))
            if not text.strip():
                continue  # an empty document (NeuS has two): the others still make a cluster
            body = f"{title.strip()}\n\n{text}" if title.strip() else text
            articles.append(article_from_text(body, f"{item_id}-{k}", f"{item_id}/{k}"))
        reference = row.get("reference_summary")
    elif "article" in row:
        articles = [article_from_text(str(row["article"] or ""), item_id, item_id)]
        reference = row.get("reference")
    else:
        raise ValueError("no `article` or `documents` field")
    articles = [a for a in articles if any(not s.is_fragment for s in a.sentences)]
    if not articles:
        raise ValueError("no article text")
    if not isinstance(reference, str) or not reference.strip():
        raise ValueError("no reference summary")
    return EvalItem(item_id, subset_of(row), articles, reference, multi="documents" in row)


# -- systems ----------------------------------------------------------------------------------


def systems_for(item: EvalItem) -> dict[str, Summariser]:
    """Our condenser and the Lead baselines for this kind of item, all SUMMARY_SENTENCES long."""
    n = SUMMARY_SENTENCES
    ours: Summariser = lambda articles: [s.sentence.text for s in ExtractiveCondenser().summarise(articles, n)]
    if not item.multi:
        return {"extractive": ours, f"lead-{n}": lambda articles: _texts(lead_sentences(articles[0], n))}
    return {
        "extractive": ours,
        "lead-1-each": lambda articles: [t for a in articles for t in _texts(lead_sentences(a, 1))][:n],
        f"lead-{n}-first": lambda articles: _texts(lead_sentences(articles[0], n)),
    }


def _texts(sentences: Iterable) -> list[str]:
    return [s.text for s in sentences]


# -- scoring ----------------------------------------------------------------------------------


class Rouge:
    """ROUGE-1/2/Lsum F1, stemmed; Lsum sees one sentence per line (our splitter, not NLTK)."""

    def __init__(self) -> None:
        from rouge_score import rouge_scorer

        self._scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)

    def score(self, candidate: list[str], reference: str) -> dict[str, float]:
        target = "\n".join(s for line in reference.splitlines() for s in split_sentences(line))
        scores = self._scorer.score(target, "\n".join(candidate))
        return {metric: scores[metric].fmeasure for metric in METRICS}


def evaluate(
    items: list[EvalItem],
    progress: Callable[[int], None] | None = None,
    condenser: Condenser | None = None,
) -> Report:
    """Score every system on every item. `condenser` (a model engine, e.g. seq2seq) is scored as
    one more system, under its own name, on the single-article items; their articles are
    condensed in one call so that generation is batched."""
    rouge = Rouge()
    report = Report()
    extra: dict[str, list[str]] = {}
    if condenser is not None:
        singles = [item.articles[0] for item in items if not item.multi]
        if len({a.id for a in singles}) != len(singles):
            raise ValueError("item ids repeat: the condenser's results could not be told apart")
        points = condenser.condense(singles, SUMMARY_SENTENCES).points
        extra = {article_id: [p.text for p in found][:SUMMARY_SENTENCES] for article_id, found in points.items()}
    for done, item in enumerate(items, start=1):
        systems = {}
        for name, summarise in systems_for(item).items():
            summary = summarise(item.articles)
            systems[name] = {"summary": summary, **rouge.score(summary, item.reference)}
        if condenser is not None and not item.multi:
            summary = extra.get(item.articles[0].id, [])
            systems[condenser.name] = {"summary": summary, **rouge.score(summary, item.reference)}
        report.items.append({"id": item.id, "subset": item.subset, "reference": item.reference, "systems": systems})
        if progress:
            progress(done)
    return report


def write_json(path: Path, data: object) -> None:
    """Write JSON atomically (briefing.outputs' single-file writer)."""
    from briefing.outputs import write_file_atomically

    write_file_atomically(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
