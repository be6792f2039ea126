"""Work grows linearly with the input.

The measure is deterministic: the number of Python function calls made while building a brief
(cProfile's count), never wall time. Memoised helpers only lower the count, so the budgets are
upper bounds whatever ran before. Measured here: about 250 calls per sentence for one long
article and about 2,000 per sentence for many one-article stories; the budgets leave 4x room,
and a quadratic step (a centroid recomputed per sentence, all pairs of a folder's sentences)
exceeds them by far at these sizes.

The support checker is pinned to the learned one: the encoder checker's count is that of
transformers' Python code per read (tens of thousands of calls for one batch, however few pairs),
which says nothing about how the pipeline grows; how often it reads at scale is measured by
benchmarks/scale.py (76 pairs read for 1,000 articles).
"""

from __future__ import annotations

import cProfile
import pstats
import random
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing.engines import select_engines
from briefing.merge import support
from briefing.ingest.folder import IngestResult, article_from_text
from briefing.pipeline import RunOptions, build_brief

MONTHS = "January February March April May June July August September October November December".split()
ONE_ARTICLE_BASE, ONE_ARTICLE_PER_SENTENCE = 100_000, 1_000
MANY_FILES_BASE, MANY_FILES_PER_SENTENCE = 100_000, 5_000


def vocabulary(seed: int) -> list[str]:
    """Eight made-up words: each seed is a topic of its own."""
    rng = random.Random(seed)
    return ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(8)]


def article_text(sentences: int, seed: int, words: list[str]) -> str:
    rng = random.Random(seed)
    return " ".join(
        f"The {rng.choice(words)} {rng.choice(words)} rose by {rng.randint(1, 999)} percent on "
        f"{rng.choice(MONTHS)} {rng.randint(1, 28)} as the {rng.choice(words)} said."
        for _ in range(sentences)
    )


@pytest.fixture(autouse=True, scope="module")
def _learned_checker():
    support.set_default_checker("learned")
    yield
    support.set_default_checker(None)


@lru_cache(maxsize=1)
def _warm() -> None:
    """Lazy imports, compiled patterns and word lists load once per process: not per input."""
    _build([article_text(3, 1, vocabulary(1)), article_text(3, 2, vocabulary(2))])


def _build(texts: list[str]) -> None:
    articles = [article_from_text(text, f"a{k}", f"day/a{k}.txt") for k, text in enumerate(texts)]
    build_brief(IngestResult(articles), select_engines("extractive", "none"), "2026-01-01",
                RunOptions(languages=("en",)), lambda _: None, None)


def calls_to_brief(texts: list[str]) -> int:
    _warm()
    articles = [article_from_text(text, f"a{k}", f"day/a{k}.txt") for k, text in enumerate(texts)]
    engines = select_engines("extractive", "none")
    profiler = cProfile.Profile()
    profiler.enable()
    build_brief(IngestResult(articles), engines, "2026-01-01", RunOptions(languages=("en",)), lambda _: None, None)
    profiler.disable()
    return pstats.Stats(profiler).total_calls


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sentences=st.integers(min_value=10, max_value=600), seed=st.integers(min_value=0, max_value=10**6))
@example(sentences=600, seed=1)  # the old per-sentence centroid made 1.9x the budget at 400 already
def test_one_long_article_costs_linear_work(sentences, seed):
    """One article written as one long line of many sentences."""
    calls = calls_to_brief([article_text(sentences, seed, vocabulary(seed))])
    assert calls <= ONE_ARTICLE_BASE + ONE_ARTICLE_PER_SENTENCE * sentences


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.integers(min_value=2, max_value=80), sentences=st.integers(min_value=2, max_value=8),
       seed=st.integers(min_value=0, max_value=10**6))
@example(files=80, sentences=8, seed=1)
def test_many_small_files_cost_linear_work(files, sentences, seed):
    """Many small files on different topics (each its own story)."""
    texts = [article_text(sentences, seed + k, vocabulary(seed + k)) for k in range(files)]
    calls = calls_to_brief(texts)
    assert calls <= MANY_FILES_BASE + MANY_FILES_PER_SENTENCE * files * sentences
