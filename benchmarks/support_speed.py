"""How long support checking takes: each checker that can run here, the default first.

    python benchmarks/support_speed.py [--input seeds] [--points 20]

For each checker, in one warm process (imports done, weights loaded):
- a whole `briefing run` of the input (weight-free engines), with the number of check_support
  calls it makes, the time spent in them and, for the encoder checker, how many pairs the encoder
  read (a statement quoted word for word from its span is not read);
- checking the first N points of that brief against each of their citations, with every cache
  emptied first ("uncached": new text), then again ("cached": the same pairs, as merge and
  review re-check them), and against the whole text of each cited article (read in windows);
  the encoder checker also checks them in one batch (`check_batch`), and, since the points of an
  extractive brief are quotations it would not read, with the text reworded (", said" -> ", stated")
  so that every pair goes through the encoder.
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


def clear_caches(checker=None) -> None:
    if hasattr(checker, "encoder"):  # the encoder checker: its verdicts and the encoder's readings
        checker._results.clear()
        checker.encoder._cache.clear()
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


def timed_checks(checker, pairs, batch: bool = False) -> float:
    clear_caches(checker)
    start = time.perf_counter()
    if batch:
        checker.check_batch(pairs)
    else:
        for statement, span in pairs:
            checker.check(statement, span)
    return time.perf_counter() - start


def measure(name: str, input_dir: Path, points: int) -> None:
    support.set_default_checker(name)
    checker = support.get_checker(name)
    with tempfile.TemporaryDirectory() as out:
        options = RunOptions(input_dir=input_dir, out_dir=Path(out), date="2026-01-01", summariser="extractive", translator="none")
        run(options)  # warm-up: imports, weights, stemmer
        clear_caches(checker)
        timed = Timed(checker)
        checker.check = timed
        read_before = getattr(checker, "pairs_read", 0)
        start = time.perf_counter()
        brief = run(options).brief
        wall = time.perf_counter() - start
        del checker.check
        read_in_run = getattr(checker, "pairs_read", 0) - read_before
    pairs = [(p.text, c.quote) for p in brief.shown_points[:points] for c in p.citations]
    uncached = timed_checks(checker, pairs)
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
    against_articles = timed_checks(checker, whole)
    shown = min(points, len(brief.shown_points))
    read = f" ({read_in_run} read by the encoder)" if hasattr(checker, "encoder") else ""
    print(f"{name:8s} run {wall:.2f} s, {timed.calls} checks{read} taking {timed.seconds:.2f} s; {shown} points / "
          f"{len(pairs)} citations: uncached {1000 * uncached:.1f} ms, cached {1000 * cached:.2f} ms; "
          f"against the whole cited articles, uncached {1000 * against_articles:.1f} ms")
    if hasattr(checker, "encoder"):
        reworded = [(s.replace(", said", ", stated").replace(" said ", " stated ").rstrip(".") + ", reports say.", q)
                    for s, q in pairs]
        batched = timed_checks(checker, pairs, batch=True)
        read = timed_checks(checker, reworded)
        read_batched = timed_checks(checker, reworded, batch=True)
        whole_batched = timed_checks(checker, [(s, a) for (s, _), (_, a) in zip(reworded, whole)], batch=True)
        print(f"{'':8s} in one batch {1000 * batched:.1f} ms; reworded so that the encoder reads all {len(pairs)} pairs: "
              f"{1000 * read:.1f} ms one by one, {1000 * read_batched:.1f} ms in one batch, against the whole cited "
              f"articles in one batch {1000 * whole_batched:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=ROOT / "seeds")
    parser.add_argument("--points", type=int, default=20)
    args = parser.parse_args()
    for name in support.available_checkers():
        measure(name, args.input, args.points)
    support.set_default_checker(None)


if __name__ == "__main__":
    main()
