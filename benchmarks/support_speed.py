"""How long support checking takes: the learned checker (default) beside the lexical one.

    python benchmarks/support_speed.py [--input seeds] [--points 20]

For each checker, in one warm process (imports done, weights loaded):
- a whole `briefing run` of the input (weight-free engines), with the number of check_support
  calls it makes and the time spent in them;
- checking the first N points of that brief against each of their citations, with every cache
  emptied first ("uncached": new text), then again ("cached": the same pairs, as merge and
  review re-check them), and against the whole text of each cited article.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from briefing.ingest.sources import read_source
from briefing.merge import support, support_features, support_learned, support_lexical
from briefing.pipeline import RunOptions, run

ROOT = Path(__file__).resolve().parent.parent


def clear_caches() -> None:
    for cached in (
        support_learned._cached_check, support_features.analyse, support_features.sentences_of, support_lexical._tokens,
        support_lexical._plain_words, support_lexical._calendar_dates, support_lexical._negation_scopes,
        support_lexical._modal_scopes,
    ):
        cached.cache_clear()


class Timed:
    """Wraps a checker's `check`, counting calls and the time spent in them."""

    def __init__(self, checker):
        self.checker, self.calls, self.seconds = checker, 0, 0.0
        self.inner = checker.check

    def __call__(self, statement, span):
        start = time.perf_counter()
        try:
            return self.inner(statement, span)
        finally:
            self.seconds += time.perf_counter() - start
            self.calls += 1


def measure(name: str, input_dir: Path, points: int) -> None:
    support.set_default_checker(name)
    checker = support.get_checker(name)
    with tempfile.TemporaryDirectory() as out:
        options = RunOptions(input_dir=input_dir, out_dir=Path(out), date="2026-01-01", summariser="extractive", translator="none")
        run(options)  # warm-up: imports, weights, stemmer
        clear_caches()
        timed = Timed(checker)
        checker.check = timed
        start = time.perf_counter()
        brief = run(options).brief
        wall = time.perf_counter() - start
        del checker.check
    pairs = [(p.text, c.quote) for p in brief.shown_points[:points] for c in p.citations]
    clear_caches()
    start = time.perf_counter()
    for statement, quote in pairs:
        checker.check(statement, quote)
    uncached = time.perf_counter() - start
    start = time.perf_counter()
    for statement, quote in pairs:
        checker.check(statement, quote)
    cached = time.perf_counter() - start
    articles = {}
    for p in brief.shown_points[:points]:
        for c in p.citations:
            source = read_source(input_dir.parent / c.file)
            articles.setdefault(c.file, source.text_between(1, 10**6))
    whole = [(p.text, articles[c.file]) for p in brief.shown_points[:points] for c in p.citations]
    clear_caches()
    start = time.perf_counter()
    for statement, article in whole:
        checker.check(statement, article)
    against_articles = time.perf_counter() - start
    shown = min(points, len(brief.shown_points))
    print(f"{name:8s} run {wall:.2f} s, {timed.calls} checks taking {timed.seconds:.2f} s; {shown} points / "
          f"{len(pairs)} citations: uncached {1000 * uncached:.1f} ms, cached {1000 * cached:.2f} ms; "
          f"against the whole cited articles, uncached {1000 * against_articles:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=ROOT / "seeds")
    parser.add_argument("--points", type=int, default=20)
    args = parser.parse_args()
    for name in support.CHECKERS:
        measure(name, args.input, args.points)
    support.set_default_checker(support.DEFAULT_CHECKER)


if __name__ == "__main__":
    main()
