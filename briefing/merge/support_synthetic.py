"""Training pairs made from article text: a sentence and its passage, edited or not.

For the encoder checker's training (`briefing.merge.support_train`). Each chosen article sentence
is paired with its passage (the sentence with its neighbours, as a citation spans a few lines):
- supported: the sentence reworded harmlessly ("comes as part of" -> "is part of", "said" ->
  "stated", an opening "However," dropped, a trailing clause cut at a comma);
- not supported: one meaning edit (`EDITS`): a number changed, a weekday or month swapped, a name
  replaced by another name of the same article, an actor swapped ("police" -> "prosecutors"),
  negation inserted or removed, a verb or adjective turned to its antonym, a qualifier moved
  ("more than" -> "fewer than", "may" -> "will").
An edit is applied to the reworded sentence half the time, so that the changed word is not the only
difference from the passage. Deterministic: a seeded `random.Random`, inputs in a fixed order.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

ANTONYMS = dict(
    pair.split(":")
    for pair in (
        "increase:decrease increased:decreased increasing:decreasing increases:decreases rise:fall rose:fell "
        "rising:falling rises:falls grew:shrank grow:shrink higher:lower more:fewer larger:smaller largest:smallest "
        "gained:lost gain:loss won:lost win:lose approved:rejected approve:reject accepted:refused accept:refuse "
        "allowed:banned allow:ban support:oppose supported:opposed supports:opposes strong:weak strengthen:weaken "
        "expanded:reduced expand:reduce raised:cut raise:cut improved:worsened improve:worsen success:failure "
        "succeeded:failed first:last before:after early:late earlier:later began:ended start:end started:ended "
        "open:close opened:closed up:down positive:negative profit:loss legal:illegal guilty:innocent "
        "agreed:refused joined:left arrested:released hired:fired buy:sell bought:sold import:export "
        "imports:exports least:most maximum:minimum above:below inside:outside new:old confirmed:denied"
    ).split()
)
ANTONYMS.update({v: k for k, v in list(ANTONYMS.items()) if v not in ANTONYMS})

ACTORS = (
    "police prosecutors regulators lawmakers officials investigators judges analysts researchers "
    "government company ministry court commission parliament authorities military army"
).split()

QUALIFIERS = (
    ("more than", "fewer than"), ("at least", "at most"), ("nearly", "more than"), ("almost", "over"),
    ("may", "will"), ("might", "will"), ("could", "will"), ("plans to", "has decided to"),
    ("some", "all"), ("partly", "fully"), ("expected to", "certain to"), ("about", "exactly"),
)

REWORDINGS = (
    ("comes as part of", "is part of"), (" said ", " stated "), (" says ", " states "), ("announced", "said"),
    ("approximately", "about"), ("in order to", "to"), ("a number of", "several"), ("however, ", ""),
    ("additionally, ", ""), ("furthermore, ", ""), ("also ", ""), ("has been", "was"), ("have been", "were"),
    (" is going to ", " will "), ("following", "after"), ("prior to", "before"), ("roughly", "about"),
)

WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April June July August September October November December".split()

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]+(?:\s[A-Z][a-z]+)*")


@dataclass(frozen=True)
class SyntheticPair:
    statement: str
    passage: str
    supported: bool
    edit: str  # "rewording", "copy", or the meaning edit's name


def _replace_word(sentence: str, table: dict[str, str], rng: random.Random) -> str | None:
    words = [m for m in re.finditer(r"[A-Za-z]+", sentence) if m.group(0).lower() in table]
    if not words:
        return None
    m = rng.choice(words)
    new = table[m.group(0).lower()]
    new = new.capitalize() if m.group(0)[0].isupper() else new
    return sentence[: m.start()] + new + sentence[m.end():]


def change_number(sentence: str, rng: random.Random, names: list[str]) -> str | None:
    found = list(_NUMBER.finditer(sentence))
    if not found:
        return None
    m = rng.choice(found)
    digits = m.group(0).replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    factor = rng.choice((2, 3, 0.5, 10))
    new = value * factor if value else rng.randint(2, 9)
    text = f"{int(new):,}" if float(new).is_integer() or "." not in digits else f"{new:.1f}"
    if text == m.group(0):
        text = str(int(value) + 1)
    return sentence[: m.start()] + text + sentence[m.end():]


def swap_date(sentence: str, rng: random.Random, names: list[str]) -> str | None:
    for calendar in (WEEKDAYS, MONTHS):
        hits = [w for w in calendar if re.search(rf"\b{w}\b", sentence)]
        if hits:
            old = rng.choice(hits)
            new = rng.choice([w for w in calendar if w != old])
            return re.sub(rf"\b{old}\b", new, sentence, count=1)
    return None


def swap_name(sentence: str, rng: random.Random, names: list[str]) -> str | None:
    own = [m for m in _NAME.finditer(sentence) if m.group(0) not in WEEKDAYS + MONTHS]
    others = [n for n in names if n not in sentence and n not in WEEKDAYS + MONTHS]
    if not own or not others:
        return None
    m = rng.choice(own)
    return sentence[: m.start()] + rng.choice(others) + sentence[m.end():]


def swap_actor(sentence: str, rng: random.Random, names: list[str]) -> str | None:
    hits = [m for m in re.finditer(r"\b(" + "|".join(ACTORS) + r")\b", sentence, re.I)]
    if not hits:
        return None
    m = rng.choice(hits)
    new = rng.choice([a for a in ACTORS if a != m.group(0).lower()])
    new = new.capitalize() if m.group(0)[0].isupper() else new
    return sentence[: m.start()] + new + sentence[m.end():]


_AUXILIARY = re.compile(r"\b(is|are|was|were|will|would|can|could|has|have|had|should|must|did|does|do)\b")
_NEGATED = re.compile(r"\b(is|are|was|were|will|would|can|could|has|have|had|should|must|did|does|do) not\b|\bn't\b")


def negate(sentence: str, rng: random.Random, names: list[str]) -> str | None:
    negated = _NEGATED.search(sentence)
    if negated:
        return sentence[: negated.start()] + negated.group(0).replace(" not", "").replace("n't", "") + sentence[negated.end():]
    hits = list(_AUXILIARY.finditer(sentence))
    if not hits:
        return None
    m = rng.choice(hits)
    return sentence[: m.end()] + " not" + sentence[m.end():]


def antonym(sentence: str, rng: random.Random, names: list[str]) -> str | None:
    return _replace_word(sentence, ANTONYMS, rng)


def move_qualifier(sentence: str, rng: random.Random, names: list[str]) -> str | None:
    lower = sentence.lower()
    hits = [(old, new) for old, new in QUALIFIERS if re.search(rf"\b{old}\b", lower)]
    if hits:
        old, new = rng.choice(hits)
        m = re.search(rf"\b{old}\b", lower)
        return sentence[: m.start()] + new + sentence[m.end():]
    m = _NUMBER.search(sentence)
    if m:  # a bare figure made a bound
        return sentence[: m.start()] + rng.choice(("more than ", "fewer than ", "at least ")) + sentence[m.start():]
    return None


EDITS = {
    "number": change_number, "date": swap_date, "name": swap_name, "actor": swap_actor,
    "negation": negate, "antonym": antonym, "qualifier": move_qualifier,
}


def reword(sentence: str, rng: random.Random) -> str:
    """A harmless rewording (or the sentence itself when none applies)."""
    out = sentence
    lower = out.lower()
    hits = [(old, new) for old, new in REWORDINGS if old in lower]
    for old, new in rng.sample(hits, min(2, len(hits))):
        at = out.lower().find(old)
        if at >= 0:
            new = new.capitalize() if out[at : at + 1].isupper() and new else new
            out = out[:at] + new + out[at + len(old):]
    if out == sentence and ", " in sentence and rng.random() < 0.5:
        head = sentence.rsplit(", ", 1)[0]
        if len(head.split()) >= 8 and '"' not in head and "“" not in head:
            out = head.rstrip(",;") + "."
    return out[:1].upper() + out[1:]


def pairs_from_article(sentences: list[str], rng: random.Random, per_article: int = 6) -> list[SyntheticPair]:
    """Up to `per_article` sentences of one article, each as one supported and one edited pair."""
    names = sorted({m.group(0) for s in sentences for m in _NAME.finditer(s)})
    usable = [i for i, s in enumerate(sentences) if 8 <= len(s.split()) <= 60]
    out: list[SyntheticPair] = []
    for i in rng.sample(usable, min(per_article, len(usable))):
        passage = " ".join(sentences[max(0, i - 1) : i + 2])
        sentence = sentences[i]
        reworded = reword(sentence, rng)
        out.append(SyntheticPair(reworded, passage, True, "rewording" if reworded != sentence else "copy"))
        base = reworded if rng.random() < 0.5 else sentence
        for name in rng.sample(sorted(EDITS), len(EDITS)):
            edited = EDITS[name](base, rng, names)
            if edited and edited != base and edited not in passage:
                out.append(SyntheticPair(edited, passage, False, name))
                break
    return out


def synthetic_pairs(articles: list[list[str]], seed: int, per_article: int = 6) -> list[SyntheticPair]:
    """Pairs from each article (its sentences, in order), from one seeded generator."""
    rng = random.Random(seed)
    return [pair for sentences in articles for pair in pairs_from_article(sentences, rng, per_article)]
