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

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from briefing.eval.rows import RowError, read_rows
from briefing.ingest.sentences import split_spans


@dataclass
class Document:
    id: str
    en: list[str]
    ko: list[str]


def load_documents(path: Path) -> tuple[list[Document], list[RowError]]:
    """NTREX rows grouped into documents, in file order; and why each unusable row was skipped."""
    docs: dict[str, Document] = {}
    skipped: list[RowError] = []
    for number, row in read_rows(path):
        if isinstance(row, RowError):
            skipped.append(row)
            continue
        doc_id, en, ko = row.get("doc_id"), row.get("en"), row.get("ko")
        if doc_id is None or not (isinstance(en, str) and en.strip() and isinstance(ko, str) and ko.strip()):
            skipped.append(RowError(path, number, "needs `doc_id` and non-empty `en` and `ko` strings"))
            continue
        doc = docs.setdefault(str(doc_id), Document(str(doc_id), [], []))
        doc.en.append(en.strip())
        doc.ko.append(ko.strip())
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


@dataclass
class SplitItem:
    kind: str  # "blog", "tweet", "encyclopedia", "nested quote", "news", "headline"
    text: str
    sentences: list[str]  # in order, each an exact piece of `text`


def load_split_items(path: Path) -> tuple[list[SplitItem], list[RowError]]:
    """Hand-split Korean texts (`text`, `sentences`, optional `kind`), one a line."""
    items: list[SplitItem] = []
    skipped: list[RowError] = []
    for number, row in read_rows(path):
        if isinstance(row, RowError):
            skipped.append(row)
            continue
        text, sentences = row.get("text"), row.get("sentences")
        if not (isinstance(text, str) and isinstance(sentences, list) and sentences and all(isinstance(x, str) for x in sentences)):
            skipped.append(RowError(path, number, "needs a `text` string and a `sentences` list of strings"))
            continue
        items.append(SplitItem(str(row.get("kind", "")), text, sentences))
    return items, skipped


def split_boundaries(items: list[SplitItem], split=split_spans) -> BoundaryReport:
    """Boundaries of hand-split texts, scored as `sentence_boundaries` scores NTREX: a boundary is
    where a gold sentence ends (not the last)."""
    report = BoundaryReport()
    for item in items:
        gold: set[int] = set()
        position = 0
        for sentence in item.sentences:
            position = item.text.index(sentence, position) + len(sentence)
            gold.add(position)
        gold.discard(position)
        predicted = {end for _, end in split(item.text)[:-1]}
        report.true_positive += len(predicted & gold)
        report.false_negative += len(gold - predicted)
        report.false_positive += len(predicted - gold)
        report.misses += [f"{item.kind}: …{item.text[max(0, e - 20):e]}|{item.text[e:e + 12]}…" for e in sorted(gold - predicted)]
        report.extras += [f"{item.kind}: …{item.text[max(0, e - 20):e]}|{item.text[e:e + 12]}…" for e in sorted(predicted - gold)]
    return report


def f1(report: BoundaryReport) -> float:
    p, r = report.precision, report.recall
    return 2 * p * r / (p + r) if p + r else 0.0


def ending_counts(documents: list[Document]) -> Counter:
    """How the Korean lines end (for the README: what the splitter must handle)."""
    return Counter(line[-2:] for doc in documents for line in doc.ko)


# -- figures and dates, Korean against English --------------------------------------------------


def date_keys(text: str) -> set[str]:
    """What the reader takes a text's dates to say, in language-neutral parts: a year written
    out (also bare, "the 2016 election"), a month-day or a month, a weekday, a time of day, a
    decade, a relative expression's meaning."""
    from briefing.dates import find_dates
    from briefing.text import quantities

    keys: set[str] = set()
    mentions = find_dates(text)
    for q in quantities(text):
        if re.fullmatch(r"(?:19|20)\d\d", q.text) and not any(m.start <= q.start < m.end for m in mentions):
            keys.add(f"year {q.text}")
    for m in mentions:
        if m.anchor == "decade":
            keys.add(f"decade {m.year}")
        elif m.time:
            keys.add(f"time {m.time}")
        elif m.weekday is not None:
            keys.add(f"weekday {m.weekday}")
        elif m.anchor:
            keys.add(m.anchor)
        else:
            if m.year is not None:
                keys.add(f"year {m.year}")
            if m.month is not None:
                keys.add(f"month-day {m.month:02d}-{m.day:02d}" if m.day else f"month {m.month:02d}")
            elif m.day is not None:
                keys.add(f"day {m.day}")
    return keys


def figure_keys(text: str, spelled: bool = True) -> set[str]:
    """The canonical values of a text's figures (briefing.brief.sections.figure_quantities), with
    numbers written in words on both sides ("three points" / "세 차례") unless `spelled` is off."""
    from briefing.brief.sections import figure_quantities

    return {q.canonical for q in figure_quantities(text, spelled=spelled)}


@dataclass
class AgreementReport:
    """Per kind ("figures", "dates"): matched, Korean-only and English-only values, summed over
    documents (a value counts once per document)."""

    matched: Counter = field(default_factory=Counter)
    korean_only: Counter = field(default_factory=Counter)
    english_only: Counter = field(default_factory=Counter)
    misses: dict[str, list[str]] = field(default_factory=lambda: {"figures": [], "dates": []})
    extras: dict[str, list[str]] = field(default_factory=lambda: {"figures": [], "dates": []})

    def recall(self, kind: str) -> float:
        return self.matched[kind] / max(1, self.matched[kind] + self.english_only[kind])

    def precision(self, kind: str) -> float:
        return self.matched[kind] / max(1, self.matched[kind] + self.korean_only[kind])


def agreement(documents: list[Document], spelled: bool = True) -> AgreementReport:
    """Figures and dates read from each Korean document against those read from its English original."""
    report = AgreementReport()
    for doc in documents:
        for kind, extract in (("figures", lambda t: figure_keys(t, spelled)), ("dates", date_keys)):
            ko = set().union(*(extract(line) for line in doc.ko))
            en = set().union(*(extract(line) for line in doc.en))
            report.matched[kind] += len(ko & en)
            report.korean_only[kind] += len(ko - en)
            report.english_only[kind] += len(en - ko)
            report.misses[kind] += [f"{doc.id}: {value}" for value in sorted(en - ko)]
            report.extras[kind] += [f"{doc.id}: {value}" for value in sorted(ko - en)]
    return report


# -- condensing: Korean picks against the Korean lines of the English picks -------------------


class KoreanTokenizer:
    """ROUGE tokens for Korean: rouge-score's default tokenizer keeps only [a-z0-9] and so drops
    every Hangul syllable. Here a token is a word (eojeol, split on spaces and punctuation)
    without its final particle (briefing.text.strip_particle: 경찰청은/경찰청에서 -> 경찰청),
    Latin words lower-cased, numbers as written. No stemming of verb endings."""

    def tokenize(self, text: str) -> list[str]:
        from briefing.text import HANGUL, strip_particle, words

        return [strip_particle(w) if HANGUL.match(w) else w for w in words(text)]


SUMMARY_SENTENCES = 3


@dataclass
class CondenseReport:
    documents: int = 0
    scores: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # system -> metric -> per doc
    same_lines: list[float] = field(default_factory=list)  # share of Korean picks on English-picked lines

    def mean(self, system: str, metric: str) -> float:
        values = self.scores[system][metric]
        return sum(values) / max(1, len(values))


def _article(lines: list[str], doc_id: str, language: str):
    from briefing.ingest.folder import article_from_text

    # One line, one paragraph: blank lines between them keep line numbers aligned across languages.
    return article_from_text("\n\n".join(lines), f"{doc_id}-{language}", f"{doc_id}.{language}")


def condensing(documents: list[Document], count: int = SUMMARY_SENTENCES) -> CondenseReport:
    """ROUGE-1/2/L (Korean tokens) of the condenser's Korean summary, and of Korean Lead-3,
    against the Korean lines that hold the condenser's English summary."""
    from rouge_score import rouge_scorer

    from briefing.condense.extractive import ExtractiveCondenser
    from briefing.condense.lead import lead_sentences

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=KoreanTokenizer())
    report = CondenseReport(scores={"extractive": {}, "lead-3": {}})
    for doc in documents:
        en, ko = _article(doc.en, doc.id, "en"), _article(doc.ko, doc.id, "ko")
        if len([s for s in en.sentences if not s.is_fragment]) <= count:
            continue  # too short to choose from
        en_lines = {(s.sentence.line_start - 1) // 2 for s in ExtractiveCondenser().summarise([en], count)}
        reference = "\n".join(doc.ko[i] for i in sorted(en_lines))
        picks = ExtractiveCondenser().summarise([ko], count)
        systems = {"extractive": [s.sentence.text for s in picks], "lead-3": [s.text for s in lead_sentences(ko, count)]}
        for name, summary in systems.items():
            scores = scorer.score(reference, "\n".join(summary))
            for metric, score in scores.items():
                report.scores[name].setdefault(metric, []).append(score.fmeasure)
        ko_lines = {(s.sentence.line_start - 1) // 2 for s in picks}
        report.same_lines.append(len(ko_lines & en_lines) / max(1, len(ko_lines)))
        report.documents += 1
    return report


# -- everything at once, in the `--json` shape of the eval commands -----------------------------


def methods(documents: list[Document], other: list[SplitItem] | None = None) -> tuple[list[dict], dict[str, list[str]]]:
    """[{"name", <metrics in percent>}, ...] (ours first) and what was missed or added, by kind.
    With `other` (hand-split blog, tweet, encyclopedia and quoting texts), boundaries on those
    too; Kiwi's own splitter is scored beside ours on both when kiwipiepy is installed."""
    from briefing.language import korean as kiwi

    boundaries = sentence_boundaries(documents)
    facts = agreement(documents, spelled=False)
    spelled = agreement(documents, spelled=True)
    condensed = condensing(documents)
    conflicts = translation_conflicts(documents)

    def pct(value: float) -> float:
        return round(100 * value, 2)

    ours = {
        "name": "briefing",
        "documents": len(documents),
        "boundary_precision": pct(boundaries.precision),
        "boundary_recall": pct(boundaries.recall),
        "boundary_recall_punctuated": pct(boundaries.recall_punctuated),
        "boundary_f1": pct(f1(boundaries)),
        "extra_boundaries_after_korean_ending": boundaries.inside_line,
        "missed_boundaries_after_headline": boundaries.missed_headline,
        "figure_recall": pct(facts.recall("figures")),
        "figure_precision": pct(facts.precision("figures")),
        "date_recall": pct(facts.recall("dates")),
        "date_precision": pct(facts.precision("dates")),
        "rouge1": pct(condensed.mean("extractive", "rouge1")),
        "rouge2": pct(condensed.mean("extractive", "rouge2")),
        "rougeL": pct(condensed.mean("extractive", "rougeL")),
        "same_lines_as_english": pct(sum(condensed.same_lines) / max(1, len(condensed.same_lines))),
        "conflicts_with_own_translation": len(conflicts),
    }
    words = {"name": "briefing, numbers in words too", "figure_recall": pct(spelled.recall("figures")), "figure_precision": pct(spelled.precision("figures"))}
    lead = {"name": "lead-3 (Korean)", **{m: pct(condensed.mean("lead-3", m)) for m in ("rouge1", "rouge2", "rougeL")}}
    rows = [ours, words, lead]
    splitters = [("briefing", split_spans)] + ([("Kiwi split_into_sents", kiwi.split_spans)] if kiwi.pipeline() else [])
    if kiwi.pipeline():
        theirs = sentence_boundaries(documents, kiwi.split_spans)
        rows.append({"name": f"{kiwi.description()} split_into_sents", "boundary_precision": pct(theirs.precision),
                     "boundary_recall": pct(theirs.recall), "boundary_f1": pct(f1(theirs))})
    other_details: dict[str, list[str]] = {}
    for name, split in splitters if other else ():
        report = split_boundaries(other, split)
        rows.append({"name": f"{name}, other Korean text ({len(other)} hand-split items)", "boundary_precision": pct(report.precision),
                     "boundary_recall": pct(report.recall), "boundary_f1": pct(f1(report))})
        if name == "briefing":
            other_details = {"missed boundaries, other text": report.misses, "extra boundaries, other text": report.extras}
    details = {
        **other_details,
        "missed boundaries": boundaries.misses,
        "extra boundaries": boundaries.extras,
        "missed figures": facts.misses["figures"],
        "extra figures": facts.extras["figures"],
        "missed dates": facts.misses["dates"],
        "extra dates": facts.extras["dates"],
        "conflicts with own translation": conflicts,
    }
    return rows, details


# -- conflicts between a document and its own translation ---------------------------------------


def translation_conflicts(documents: list[Document], matcher=None) -> list[str]:
    """Disagreements found between each English document and its human Korean translation.
    Both say the same, so each one is a false alarm, or a translation error worth seeing."""
    from briefing.brief.conflicts import find_conflicts
    from briefing.embedding import load_embedder
    from briefing.merge.sameness import FactMatcher

    matcher = matcher or FactMatcher(load_embedder("auto")[0])  # one embedder for every pair
    found = []
    for doc in documents:
        for conflict in find_conflicts([_article(doc.en, doc.id, "en"), _article(doc.ko, doc.id, "ko")], matcher=matcher):
            found.append(f"{doc.id}: {conflict.kind} {conflict.subject}: " + " vs ".join(s.value for s in conflict.sides))
    return found
