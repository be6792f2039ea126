"""Korean figure labels and position actors, the rules against Kiwi, on real Korean sentences.

Reads the Korean side of NTREX dev and the Korean articles of the stories dev days (from
../shared/eval, not copied here), computes every figure row and actor once with
BRIEFING_PARSER=rules and once with Kiwi, and prints the counts and each sentence where the two
differ, to be read one by one (there is no gold label to score against).

    python benchmarks/korean_reader.py            # figure rows
    python benchmarks/korean_reader.py actors     # position actors
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT))


def korean_sentences() -> list[str]:
    from briefing.ingest.sentences import split_sentences

    texts = [json.loads(line)["ko"].strip() for line in (EVAL / "ntrex_en_ko" / "dev.jsonl").open(encoding="utf-8")]
    for line in (EVAL / "stories" / "dev.jsonl").open(encoding="utf-8"):
        for article in json.loads(line)["articles"]:
            if article["lang"] == "ko":
                texts += [s for paragraph in article["text"].splitlines() for s in split_sentences(paragraph)]
    return sorted(set(texts))


def readings(texts: list[str]) -> tuple[dict, dict]:
    from briefing.brief.sections import _korean_figure, figure_quantities, position_actor
    from briefing.text import HANGUL

    rows, actors = {}, {}
    for text in texts:
        if HANGUL.search(text):
            for q in figure_quantities(text):
                rows[(text, q.start)] = _korean_figure(text, q)
            actors[text] = position_actor(text)
    return rows, actors


def main() -> None:
    from briefing.language import reset
    from briefing.language import korean

    texts = korean_sentences()
    os.environ["BRIEFING_PARSER"] = "rules"
    reset()
    rules_rows, rules_actors = readings(texts)
    os.environ["BRIEFING_PARSER"] = "auto"
    reset()
    if korean.pipeline() is None:
        sys.exit("kiwipiepy (or its model) is not installed")
    kiwi_rows, kiwi_actors = readings(texts)
    print(f"{len(texts)} sentences, {len(rules_rows)} figure numbers")
    print(f"figure rows: rules {sum(v is not None for v in rules_rows.values())}, Kiwi {sum(v is not None for v in kiwi_rows.values())}")
    print(f"actors: rules {sum(v is not None for v in rules_actors.values())}, Kiwi {sum(v is not None for v in kiwi_actors.values())}")
    if sys.argv[1:] == ["actors"]:
        for text in sorted(rules_actors):
            if rules_actors[text] != kiwi_actors[text]:
                print(f"rules={rules_actors[text]}  kiwi={kiwi_actors[text]}  || {text[:110]}")
        return
    for key in sorted(rules_rows):
        if rules_rows[key] != kiwi_rows[key]:
            text, start = key
            print(f"rules={rules_rows[key]}  kiwi={kiwi_rows[key]}  || {text[max(0, start - 40):start + 30]}")


if __name__ == "__main__":
    main()
