"""How well Korean input is read, measured on NTREX (an English news document and its human
Korean translation, one sentence per line).

- Sentence boundaries: a document's Korean lines are joined into one paragraph and split again;
  a boundary is the offset where one line ends. Precision and recall of the predicted boundaries.
  Headlines have no final full stop, and a line is the translation of one English segment, so it
  sometimes holds two Korean sentences: both are counted against us, and reported apart.
- Figures and dates: what the reader extracts from the Korean document against what it extracts
  from the English original (canonical values: 1.5 million = 150만 = 1500000; dates by month,
  day, year and weekday). Recall and precision of the Korean values against the English ones.
- Condensing: the extractive condenser's Korean picks against the Korean lines of its English
  picks (the same salience signals should choose the same facts in both languages), as ROUGE on
  a Korean tokenisation (rouge-score's own tokenizer drops Hangul), next to Korean Lead-3.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from briefing.sentences import split_spans


@dataclass
class Document:
    id: str
    en: list[str]
    ko: list[str]


def load_documents(path: Path) -> tuple[list[Document], int]:
    """NTREX rows grouped into documents, in file order; and the count of unusable rows."""
    docs: dict[str, Document] = {}
    skipped = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                doc_id, en, ko = str(row["doc_id"]), str(row["en"]).strip(), str(row["ko"]).strip()
            except (ValueError, KeyError, TypeError):
                skipped += 1
                continue
            if not en or not ko:
                skipped += 1
                continue
            doc = docs.setdefault(doc_id, Document(doc_id, [], []))
            doc.en.append(en)
            doc.ko.append(ko)
    return list(docs.values()), skipped


# -- sentence boundaries ----------------------------------------------------------------------


@dataclass
class BoundaryReport:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    missed_headline: int = 0  # of the false negatives: after a line with no final punctuation
    inside_line: int = 0  # of the false positives: a Korean sentence ending inside one line
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positive / max(1, self.true_positive + self.false_positive)

    @property
    def recall(self) -> float:
        return self.true_positive / max(1, self.true_positive + self.false_negative)

    @property
    def recall_punctuated(self) -> float:
        """Recall over boundaries that follow final punctuation (not headlines)."""
        return self.true_positive / max(1, self.true_positive + self.false_negative - self.missed_headline)


_FINAL = (".", "?", "!", "…", "”", '"', "’", "'", ")")
_KOREAN_END = ("다.", "요.", "까?", "죠.", "다!", "요?")


def sentence_boundaries(documents: list[Document], split=split_spans) -> BoundaryReport:
    report = BoundaryReport()
    for doc in documents:
        text = " ".join(doc.ko)
        gold: dict[int, str] = {}
        offset = 0
        for line in doc.ko[:-1]:
            offset += len(line)
            gold[offset] = line
            offset += 1
        predicted = {end for _, end in split(text)[:-1]}
        report.true_positive += len(predicted & set(gold))
        for end in sorted(set(gold) - predicted):
            report.false_negative += 1
            if not gold[end].endswith(_FINAL):
                report.missed_headline += 1
            report.misses.append(f"{doc.id}: …{text[max(0, end - 20):end]}|{text[end:end + 12]}…")
        for end in sorted(predicted - set(gold)):
            report.false_positive += 1
            if text[:end].rstrip("”\"’')").endswith(_KOREAN_END):
                report.inside_line += 1
            report.extras.append(f"{doc.id}: …{text[max(0, end - 20):end]}|{text[end:end + 12]}…")
    return report


def ending_counts(documents: list[Document]) -> Counter:
    """How the Korean lines end (for the README: what the splitter must handle)."""
    return Counter(line[-2:] for doc in documents for line in doc.ko)
