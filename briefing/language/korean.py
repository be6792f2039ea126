"""Kiwi (`kiwipiepy`, its model in `kiwipiepy-model`), when installed: Korean morphology for the
sentences a stage asks about (figure sentences, attributions). Loaded once, on first use (about
4 s with the model's first analysis), then about 0.7 ms a sentence; None when kiwipiepy or its
model is missing, or with BRIEFING_PARSER=rules, and the callers keep their rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefing.text import word_list


@dataclass(frozen=True)
class Morpheme:
    form: str
    tag: str  # Sejong-style: NNG common noun, NNP proper noun, NP pronoun, SN number, NNB counter, J* particle, ...
    start: int  # character offset in the analysed text
    end: int


@lru_cache(maxsize=1)
def pipeline():
    """The loaded Kiwi analyser, or None."""
    from briefing import settings

    if settings.rules_only():
        return None
    try:
        from kiwipiepy import Kiwi

        kiwi = Kiwi(load_multi_dict=False)  # its multi-word dictionary doubles the load time and changes no reading here
        kiwi.tokenize("시작")  # the model loads on the first analysis: pay it here, once
        return kiwi
    except Exception:  # ImportError, or a model package that is missing or does not match
        return None


def description() -> str | None:
    """"Kiwi 0.24.1", or None when it is not loaded."""
    if pipeline() is None:
        return None
    import kiwipiepy

    return f"Kiwi {kiwipiepy.__version__}"


@lru_cache(maxsize=16384)
def analyse(text: str) -> tuple[Morpheme, ...]:
    """The morphemes of `text`, with their offsets (memoised: stages ask about the same sentences).
    Only call when `pipeline()` is not None."""
    return tuple(Morpheme(t.form, t.tag, t.start, t.start + t.len) for t in pipeline().tokenize(text))


def split_spans(text: str) -> list[tuple[int, int]]:
    """Kiwi's own sentence splitter, as character spans (a reference beside ours in `eval korean`)."""
    spans = []
    for sentence in pipeline().split_into_sents(text):
        start, end = sentence.start, sentence.end
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            spans.append((start, end))
    return spans


def reset() -> None:
    analyse.cache_clear()
    pipeline.cache_clear()


# -- what a number counts, and who speaks: read from the morphemes --------------------------

_NOUN = ("NNG", "NNP", "SL", "SH", "XSN", "XPN")  # nouns, foreign words, noun suffixes (서민들, 비당원)
_HEAD = ("NNG", "NNP", "SL", "SH", "XPN")  # what a noun phrase may start with
# Particles that make the noun before a number what it counts: "신고가 297건", "사망자는 37명",
# "응답자의 41%". Not 에/에서/보다/를 ("선수들보다 5점", "하츠를 8점 차로").
_BEFORE = {"JKS": None, "JX": ("은", "는", "도", "만"), "JKG": None}
# Nouns that measure the number (규모, 이상, 차), words of time (올해, 전), qualifiers before it (약, 최대):
# data/lang/ko/measure_nouns.txt, time_nouns.txt, number_qualifiers.txt.
_MEASURE = frozenset(word_list("ko", "measure_nouns"))
_TIME = frozenset(word_list("ko", "time_nouns"))
_QUALIFIERS = frozenset(word_list("ko", "number_qualifiers"))


def _phrase(morphemes: tuple[Morpheme, ...], k: int, limit: int = 3) -> int | None:
    """The last morpheme of the noun phrase that starts at morpheme k (up to `limit` words), or
    None when no noun starts there. One modifying word may lead it ("새로운 사례", "숙련된 전문가들")."""
    n = _past_modifier(morphemes, k)
    if n >= len(morphemes) or morphemes[n].tag not in _HEAD:
        return None
    last, words = n, 1
    for m in range(n + 1, len(morphemes)):
        if morphemes[m].tag not in _NOUN:
            break
        if morphemes[m].start > morphemes[m - 1].end:  # a space: another word of a compound
            words += 1
            if words > limit or morphemes[m].tag == "XSN":
                break
        last = m
    return last


def _past_modifier(morphemes: tuple[Morpheme, ...], k: int) -> int:
    """The morpheme after a modifying word at k ("새로운", "숙련된", "중요한": one word ending on an
    adnominal ending), or k when there is none."""
    n = k
    while n + 1 < len(morphemes) and morphemes[n].tag != "ETM" and morphemes[n + 1].start <= morphemes[n].end:
        n += 1
    return n + 1 if n < len(morphemes) and morphemes[n].tag == "ETM" and n > k else k


def counted_noun(text: str, start: int, end: int, skip: frozenset[str] = frozenset()) -> str | None:
    """What the number at text[start:end] (with its counter) counts, from its own sentence: the
    noun phrase after "의" ("88건의 신고" -> 신고, "3만 명 이상의 북한 주민들"), else the noun
    phrase just before it with its subject, topic or genitive particle ("딥페이크 피해 신고가 297건",
    "응답자의 41%"), else the noun of a verb it is the object of ("150만 파운드를 모금했다" -> 모금).
    Never a pronoun, a time word or one of `skip` (adverbial nouns: 지금, 이번). None when nothing
    nominal is found."""
    morphemes = analyse(text)
    first = next((k for k, m in enumerate(morphemes) if m.end > start), None)
    if first is None:
        return None
    after = next((k for k, m in enumerate(morphemes) if m.start >= end), len(morphemes))
    k = after
    while k < len(morphemes) and morphemes[k].form in _MEASURE and morphemes[k].tag.startswith("N"):
        k += 1
    if k < len(morphemes) and morphemes[k].tag == "JKG":
        last = _phrase(morphemes, k + 1)
        if last is not None and (label := _label(text, morphemes, k + 1, last, skip)):
            return label
    if k + 2 < len(morphemes) and morphemes[k].tag == "JKS" and morphemes[k + 1].form == "넘" and morphemes[k + 2].tag == "ETM":
        last = _phrase(morphemes, k + 3)  # "2000만 명이 넘는 사람들"
        if last is not None and (label := _label(text, morphemes, k + 3, last, skip)):
            return label
    # When the number is an object, its sentence's topic or subject is who acts on it ("재단은 올해
    # 150만 파운드를 모금했다"), not what it counts: only a noun right before it or through 의 counts.
    as_object = after < len(morphemes) and morphemes[after].tag == "JKO"
    label = _before(text, morphemes, first, skip, ("JKG",) if as_object else tuple(_BEFORE))
    if label:
        return label
    k = after + (after < len(morphemes) and morphemes[after].tag in ("JKO", "JKS"))
    if k + 1 < len(morphemes) and morphemes[k].tag == "NNG" and len(morphemes[k].form) > 1 and morphemes[k + 1].tag == "XSV":
        return _label(text, morphemes, k, k, skip)  # "…를 모금했다", "297건이 접수됐다": the action's noun
    if k == after and k < len(morphemes) and morphemes[k].tag in _HEAD and morphemes[k].form not in _MEASURE:
        last = _phrase(morphemes, k, limit=2)  # "32세 남성을": the noun the number stands before
        if last is not None and last + 1 < len(morphemes) and morphemes[last + 1].tag.startswith("J"):
            return _label(text, morphemes, k, last, skip)
    return None


def _before(text: str, morphemes: tuple[Morpheme, ...], first: int, skip: frozenset[str], through: tuple[str, ...]) -> str | None:
    """The noun phrase right before morpheme `first`, through one particle of `through`, past
    qualifiers (약, 총), adverbial and time nouns ("학생은 지금까지 1,200여 명")."""
    k = first - 1
    particle = False
    while k >= 0:
        m = morphemes[k]
        if m.tag in through and (_BEFORE[m.tag] is None or m.form in _BEFORE[m.tag]) and not particle:
            particle = True
        elif m.form in _QUALIFIERS and m.tag in ("MM", "NNG", "MAG", "XPN"):
            pass
        elif m.tag.startswith("N") and (m.form in skip or m.form in _TIME):
            particle = False  # past an adverb of time ("지금까지"): the noun before it has its own particle
        elif m.tag == "JX" and m.form == "까지":
            pass
        elif m.tag == "NNB" and m.form == "중":
            pass  # "피해자 중 5명"
        else:
            break
        k -= 1
    if k < 0 or morphemes[k].tag not in _NOUN and morphemes[k].tag != "NNB":
        return None
    last = k
    words = 1
    while k > 0 and morphemes[k - 1].tag in _NOUN:
        if morphemes[k].start > morphemes[k - 1].end:
            words += 1
            if words > 3:
                break
        k -= 1
    return _label(text, morphemes, k, last, skip)


def _label(text: str, morphemes: tuple[Morpheme, ...], first: int, last: int, skip: frozenset[str]) -> str | None:
    """The text of morphemes first..last without leading time or adverbial nouns; None when that
    leaves nothing nominal, or a pronoun or a number is in it."""
    while first <= last and (morphemes[first].form in skip or morphemes[first].form in _TIME or morphemes[first].tag in ("XSN", "NNB")):
        first += 1
    if first > last or any(m.tag in ("NP", "SN", "NR") for m in morphemes[first : last + 1]):
        return None
    label = text[morphemes[first].start : morphemes[last].end]
    if label[:1].islower() or not re.search(r"[\uac00-\ud7a3A-Za-z]", label):
        return None  # not "or Crimestopper", not "½"
    return label


_TITLES = frozenset("씨 측 님 군 양 옹".split())  # bound nouns after a name: 재인스씨, 정부 측


def subject_noun(text: str) -> str | None:
    """The proper-noun or noun phrase that is the sentence's topic or subject (은/는, else 이/가),
    outside quotation marks; None when that subject is a pronoun (그, 그녀, 이들)."""
    morphemes = analyse(text)
    quoted = _quoted_spans(text)
    for tags in (("JX",), ("JKS",)):
        for k, m in enumerate(morphemes):
            if m.tag not in tags or k == 0 or any(a <= m.start < b for a, b in quoted):
                continue
            if tags == ("JX",) and m.form not in ("은", "는"):
                continue
            last = k - 1
            if morphemes[last].tag == "SSC" and morphemes[last].form == ")":  # "독일산업협회(BDI)는"
                while last > 0 and morphemes[last].form != "(":
                    last -= 1
                last -= 1
            first = last
            while first > 0 and (morphemes[first].tag == "XSN" or morphemes[first].tag == "NNB" and morphemes[first].form in _TITLES):
                first -= 1  # "그들", "재인스씨": the word the suffix is on
            if first < 0 or morphemes[first].tag == "NP":
                return None  # "그는 …라고 말했다": who he is was said in another sentence
            if morphemes[first].tag not in _HEAD:
                continue
            while first > 0 and morphemes[first - 1].tag in _NOUN and morphemes[first - 1].end >= morphemes[first].start - 1:
                first -= 1
            if morphemes[first].tag == "XSN":
                first += 1
            return text[morphemes[first].start : morphemes[last].end]
    return None


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|'[^']*'", text)]
