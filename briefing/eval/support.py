"""Measure a support checker on a faithfulness set (SummEdits: document, summary, consistent).

The summary is the statement and the document the evidence (cleaned and split into sentences as
input files are). A checker that aligns within its span itself (`whole_document`: the encoder
checker, which reads a long span in windows, and the learned one) is given the whole document. Otherwise, since a document is far longer than a cited span,
each summary sentence is checked against the window of WINDOW consecutive document sentences
that supports it best; a summary is supported when every sentence is, and its score is its
weakest sentence's score.

Reported: balanced accuracy of the checker's own verdicts (its coverage cut-off, fixed in code),
ROC-AUC of the score (rank-based, ties counted half), and, for calibration on a development
split only, the cut-off with the best balanced accuracy on this data.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from briefing.eval.rows import RowError, strict_rows
from briefing.ingest.folder import article_from_text
from briefing.ingest.sentences import split_sentences
from briefing.merge.support import available_checkers, get_checker
from briefing.merge.support_base import SupportChecker, SupportResult
from briefing.merge.support_lexical import LexicalSupportChecker, word_coverage

WINDOW = 3  # consecutive document sentences a summary sentence is checked against
GRID = [round(0.05 * k, 2) for k in range(1, 20)]  # candidate coverage cut-offs for calibration


@dataclass
class Pair:
    id: str
    document: str
    summary: str
    consistent: bool
    domain: str = ""


@dataclass
class ItemResult:
    id: str
    consistent: bool
    supported: bool
    score: float
    coverage: float  # weakest sentence's content-word coverage (what the cut-off applies to)
    hard_failures: int  # failed number/date/name/negation/modality checks, all sentences
    reasons: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # the best window per summary sentence


@dataclass
class SupportReport:
    items: list[ItemResult]
    threshold: float  # the checker's coverage cut-off used for the verdicts

    @property
    def balanced_accuracy(self) -> float:
        return balanced_accuracy([i.supported for i in self.items], [i.consistent for i in self.items])

    @property
    def roc_auc(self) -> float:
        return roc_auc([i.score for i in self.items], [i.consistent for i in self.items])

    def calibrate(self) -> tuple[float, float, float]:
        """(lowest, highest, balanced accuracy): the range of coverage cut-offs of GRID with the
        best balanced accuracy on this data (only meaningful on a development split)."""
        labels = [i.consistent for i in self.items]
        scored = [
            (cut, balanced_accuracy([i.hard_failures == 0 and i.coverage >= cut for i in self.items], labels))
            for cut in GRID
        ]
        best = max(value for _, value in scored)
        tied = [cut for cut, value in scored if value >= best - 1e-12]
        return min(tied), max(tied), best

    def chosen_cutoff(self) -> float:
        """The calibration rule: the middle of the best range, rounded down to GRID's step."""
        low, high, _ = self.calibrate()
        return max(c for c in GRID if c <= (low + high) / 2 + 1e-9)


def load_pairs(path: Path) -> list[Pair]:
    """Every row as a Pair; the first row that is not one raises RowError naming its line."""
    pairs = []
    for number, row in strict_rows(path):
        document, summary, consistent = row.get("document"), row.get("summary"), row.get("consistent")
        if not (isinstance(document, str) and isinstance(summary, str)):
            raise RowError(path, number, "needs `document` and `summary` as strings")
        if consistent not in (0, 1, "0", "1"):  # True and False are 1 and 0
            raise RowError(path, number, "needs `consistent` as 0 or 1")
        pairs.append(Pair(str(row.get("id", number)), document, summary, bool(int(consistent)), str(row.get("domain", ""))))
    return pairs


def document_sentences(document: str) -> list[str]:
    """The cleaned document's sentences (the pipeline's ingest: boilerplate out, fragments out)."""
    article = article_from_text(document, "document")
    return [s.text for s in article.sentences if not s.is_fragment] or [document]


def document_text(document: str) -> str:
    """The cleaned document, one sentence a line: the span a whole-document checker is given."""
    return "\n".join(document_sentences(document))


def document_windows(document: str, size: int = WINDOW) -> list[str]:
    """Runs of `size` consecutive sentences of the cleaned document (the whole of a short one)."""
    sentences = document_sentences(document)
    if len(sentences) <= size:
        return [" ".join(sentences)]
    return [" ".join(sentences[i : i + size]) for i in range(len(sentences) - size + 1)]


def check_pair(checker: SupportChecker, pair: Pair, windows: list[str] | None = None) -> ItemResult:
    if checker.whole_document:
        return check_whole(checker, pair, document_text(pair.document))
    windows = windows if windows is not None else document_windows(pair.document)
    checked: list[tuple[str, SupportResult, str]] = []  # (summary sentence, best result, its window)
    for sentence in split_sentences(pair.summary) or [pair.summary]:
        result, window = max(((checker.check(sentence, w), w) for w in windows), key=lambda r: (r[0].supported, r[0].score))
        checked.append((sentence, result, window))
    return ItemResult(
        id=pair.id,
        consistent=pair.consistent,
        supported=all(result.supported for _, result, _ in checked),
        score=min(result.score for _, result, _ in checked),
        coverage=round(min(word_coverage(sentence, window) for sentence, _, window in checked), 4),
        hard_failures=sum(1 for _, result, _ in checked for reason in result.reasons if not reason.startswith("only ")),
        reasons=[reason for _, result, _ in checked for reason in result.reasons],
        evidence=[window for _, _, window in checked],
    )


def check_whole(checker: SupportChecker, pair: Pair, text: str) -> ItemResult:
    """The summary against the whole cleaned document `text`, in one call."""
    result = checker.check(pair.summary, text)
    return ItemResult(
        id=pair.id,
        consistent=pair.consistent,
        supported=result.supported,
        score=result.score,
        coverage=round(word_coverage(pair.summary, text), 4),
        hard_failures=sum(1 for reason in result.reasons if not reason.startswith("low support score")),
        reasons=result.reasons,
        evidence=[result.evidence] if result.evidence else [],
    )


def evaluate(pairs: list[Pair], checker: SupportChecker | None = None) -> SupportReport:
    checker = checker or LexicalSupportChecker()
    cache: dict[str, list[str] | str] = {}
    items = []
    for pair in pairs:
        if pair.document not in cache:
            whole = checker.whole_document
            cache[pair.document] = document_text(pair.document) if whole else document_windows(pair.document)
        evidence = cache[pair.document]
        items.append(check_whole(checker, pair, evidence) if isinstance(evidence, str) else check_pair(checker, pair, evidence))
    return SupportReport(items, getattr(checker, "cutoff", getattr(checker, "min_coverage", float("nan"))))


def compare(pairs: list[Pair], names: list[str] | None = None) -> list[tuple[str, SupportReport]]:
    """Each named checker (default: each that can run here, the default checker first) on the same pairs."""
    return [(name, evaluate(pairs, get_checker(name))) for name in (names or list(available_checkers()))]


def method_rows(reports: list[tuple[str, SupportReport]]) -> list[dict]:
    """One `{"name", "balanced_accuracy", "roc_auc", "items", "cutoff"}` per checker, in order."""
    return [
        {
            "name": name,
            "balanced_accuracy": round(report.balanced_accuracy, 4),
            "roc_auc": round(report.roc_auc, 4),
            "items": len(report.items),
            "cutoff": report.threshold,
        }
        for name, report in reports
    ]


# -- metrics ----------------------------------------------------------------------------------


def balanced_accuracy(predicted: list[bool], labels: list[bool]) -> float:
    """Mean of the recall on positives and the recall on negatives."""
    pos = [p for p, y in zip(predicted, labels) if y]
    neg = [p for p, y in zip(predicted, labels) if not y]
    if not pos or not neg:
        raise ValueError("balanced accuracy needs both classes")
    return (sum(pos) / len(pos) + sum(1 for p in neg if not p) / len(neg)) / 2


def roc_auc(scores: list[float], labels: list[bool]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    pos = [s for s, y in zip(scores, labels) if y]
    neg = [s for s, y in zip(scores, labels) if not y]
    if not pos or not neg:
        raise ValueError("ROC-AUC needs both classes")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def write_items(path: Path, report: SupportReport) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "threshold": report.threshold,
        "balanced_accuracy": report.balanced_accuracy,
        "roc_auc": report.roc_auc,
        "items": [asdict(item) for item in report.items],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
