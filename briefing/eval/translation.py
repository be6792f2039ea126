"""Score a translator on parallel news sentences with sacrebleu's chrF++ (and BLEU into English).

Reads JSON Lines with one field per language (the NTREX set in ../shared/eval: `en`, `ko`).
chrF++ is the figure the registry quotes for the translation models (FLORES-200), so a local run
can be set beside the published one; BLEU is given only into English, because Korean BLEU depends
on a morphological tokenizer (mecab-ko) that is not installed here. Also counted: outputs a guard
flagged (a number, date, URL or glossary term that did not survive).

Run it twice, with ``--quantize none`` and ``--quantize int8``, to measure what int8 costs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefing.eval.rows import RowError, read_rows
from briefing.translate.base import Translator


@dataclass
class TranslationReport:
    source: str
    target: str
    chrf: float  # chrF++ (word order 2), 0-100
    bleu: float | None  # into English only
    flagged: int  # outputs with at least one guard flag
    items: list[dict] = field(default_factory=list)  # id, source, reference, output, flags


def load_pairs(path: Path, source: str, target: str, limit: int | None = None) -> tuple[list[dict], list[RowError]]:
    """(rows with non-empty `source` and `target` text, why each other row was skipped)."""
    pairs: list[dict] = []
    skipped: list[RowError] = []
    for number, row in read_rows(Path(path)):
        if isinstance(row, RowError):
            skipped.append(row)
            continue
        src, ref = row.get(source), row.get(target)
        if not (isinstance(src, str) and src.strip() and isinstance(ref, str) and ref.strip()):
            skipped.append(RowError(path, number, f"needs non-empty `{source}` and `{target}` strings"))
            continue
        pairs.append({"id": row.get("id", f"line-{number}"), "source": src.strip(), "reference": ref.strip()})
        if limit and len(pairs) >= limit:
            break
    return pairs, skipped


def evaluate(translator: Translator, pairs: list[dict], source: str, target: str) -> TranslationReport:
    """Translate every source sentence in one call (batched) and score the outputs."""
    import sacrebleu

    outputs = translator.translate([p["source"] for p in pairs], source, target)
    hypotheses = [o.text for o in outputs]
    references = [[p["reference"] for p in pairs]]
    chrf = sacrebleu.corpus_chrf(hypotheses, references, word_order=2).score
    bleu = sacrebleu.corpus_bleu(hypotheses, references).score if target == "en" else None
    items = [
        {**pair, "output": out.text, "flags": list(out.flags)} for pair, out in zip(pairs, outputs)
    ]
    return TranslationReport(source, target, chrf, bleu, sum(1 for o in outputs if o.flags), items)
