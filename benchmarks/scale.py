"""How `briefing run` scales with the number of articles (weight-free path, embedder included).

Builds folders of N articles from the development sets in ../shared/eval (stories days, NeuS
clusters, FRANK CNN/DailyMail and XSum articles, NTREX documents in English and Korean), runs the
whole pipeline in this process on each, and prints each stage's wall time and how the total grows
against the article count. The embedder's one-time load is timed apart.

    python benchmarks/scale.py                 # 100, 300, 1000 and all (~1,500) articles
    python benchmarks/scale.py --sizes 100 300 # a quicker look
    python benchmarks/scale.py --sizes 1000 --history   # the cost of continuing from an earlier brief

With --history, each size is first briefed as an earlier day (every other article of the pool,
the same count, so about half its stories continue), and then today's folder is briefed twice
into that OUT, twice with the earlier brief and twice with --no-history, each run in a fresh
process; the difference is what history costs (bar, issue 21: at most 10% of a 1,000-article
run).

    python benchmarks/scale.py --checker learned   # another support checker (default: the default)

The support checker is loaded before the first size (the encoder checker's model load is timed
apart, like the embedder's), and each size prints how many pairs the encoder checker read.

Bars (issue 8): 1,000 articles under 60 s on the 2-core machine, and 10x the articles at most
about 12x the time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT))


def article_pool() -> list[tuple[str, str]]:
    """(file name, "title\\n\\ntext") for every distinct article in the development sets."""
    pool: dict[str, tuple[str, str]] = {}

    def add(name: str, title: str, text: str) -> None:
        body = f"{title}\n\n{text}".strip()
        key = hashlib.sha1(text.strip().encode("utf-8")).hexdigest()
        if text.strip() and key not in pool:
            pool[key] = (name, body)

    for line in (EVAL / "stories" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        day = json.loads(line)
        for item in day["articles"]:
            add(f"d{day['day']}-{item['name']}", item.get("title") or "", item["text"])
    for line in (EVAL / "neus_allsides" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for k, doc in enumerate(row["documents"]):
            add(f"neus-{row['id']}-{k}.txt".replace("/", "_"), doc.get("title") or "", doc.get("text") or "")
    for line in (EVAL / "frank_cnndm_xsum" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        add(f"frank-{row['id']}.txt".replace("/", "_"), "", row["article"])
    documents: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"en": [], "ko": []})
    for line in (EVAL / "ntrex_en_ko" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        documents[row["doc_id"]]["en"].append(row["en"])
        documents[row["doc_id"]]["ko"].append(row["ko"])
    for doc_id, langs in sorted(documents.items()):
        for lang, lines in langs.items():
            add(f"ntrex-{doc_id}-{lang}.txt".replace("/", "_"), "", "\n".join(lines))
    return sorted(pool.values())


def write_folder(folder: Path, articles: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True)
    for name, body in articles:
        (folder / name).write_text(body + "\n", encoding="utf-8")


def run_once(folder: Path, out: Path, date: str = "2026-11-30", history: int = 0) -> dict[str, float]:
    from briefing.pipeline import RunOptions, run

    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    run(
        RunOptions(input_dir=folder, out_dir=out, date=date, summariser="extractive", translator="none",
                   history=history),
        progress=lambda stage: marks.append((stage, time.perf_counter())),
    )
    end = time.perf_counter()
    stages: dict[str, float] = {}
    for (stage, at), (_, following) in zip(marks, [*marks[1:], ("end", end)]):
        stages[stage] = following - at
    stages["total"] = end - start
    return stages


def time_history(pool, chosen, folder: Path, out: Path) -> None:
    """Today's folder briefed with and without an earlier brief of the same size under `out`,
    each run in a fresh process (as a user runs it: no memo of an earlier run in this process)."""
    earlier = [pool[(round(i * len(pool) / len(chosen)) + 1) % len(pool)] for i in range(len(chosen))]
    earlier_folder = out.parent / f"{out.name}-earlier"
    write_folder(earlier_folder, sorted(set(earlier)))
    cold_run(earlier_folder, out, "2026-11-29", 0)
    times = {}
    for label, days in (("without", 0), ("with", 7), ("without again", 0), ("with again", 7)):
        times[label] = cold_run(folder, out, "2026-11-30", days)
        detail = "  ".join(f"{name} {seconds:.2f}" for name, seconds in times[label].items() if name != "total")
        print(f"       {label + ' history':>22}: total {times[label]['total']:6.2f} s  {detail}", flush=True)
    plain = min(times["without"]["total"], times["without again"]["total"])
    with_history = min(times["with"]["total"], times["with again"]["total"])
    spent = min(times["with"].get(COMPARING, 0.0), times["with again"].get(COMPARING, 0.0))
    print(f"       history: {with_history:6.2f} s with an earlier brief of {len(set(earlier))} articles against {plain:6.2f} s "
          f"without ({100 * (with_history - plain) / plain:+.1f}%); the comparing stage {spent:.2f} s "
          f"({100 * spent / plain:.1f}% of the run without), best of two each", flush=True)


COMPARING = "comparing with the earlier brief"


def cold_run(folder: Path, out: Path, date: str, history: int) -> dict[str, float]:
    """`run_once` in a fresh Python process; its stage times."""
    import subprocess

    code = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
            f"from pathlib import Path; import scale; "
            f"print(json.dumps(scale.run_once(Path({str(folder)!r}), Path({str(out)!r}), {date!r}, {history})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 300, 1000, 0], help="article counts (0 = all)")
    parser.add_argument("--long-article", type=float, default=0, metavar="MB",
                        help="also time one article of this many MB on one line (the dev articles' text run together)")
    parser.add_argument("--history", action="store_true",
                        help="also time each size with an earlier brief of the same size under OUT (see above)")
    parser.add_argument("--checker", help="support checker: encoder | learned | lexical (default: the default)")
    args = parser.parse_args()
    if not EVAL.is_dir():
        sys.exit(f"needs the development sets in {EVAL}")
    pool = article_pool()
    from briefing.embedding import load_embedder

    began = time.perf_counter()
    embedder, note = load_embedder("auto")
    if embedder is not None:
        embedder.embed(["warm-up"])
    print(f"embedder: {embedder.name if embedder else note} (load {time.perf_counter() - began:.2f} s, once per process)")
    from briefing.merge import support

    support.set_default_checker(args.checker)
    began = time.perf_counter()
    checker = support.get_checker(support.current_checker_name())
    print(f"support checker: {support.describe_default()} (load {time.perf_counter() - began:.2f} s, once per process)")
    print(f"article pool: {len(pool)} distinct articles")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            count = len(pool) if size == 0 else min(size, len(pool))
            # Every k-th article, so each folder mixes all sets in the same proportions.
            chosen = [pool[round(i * len(pool) / count)] for i in range(count)] if count < len(pool) else pool
            folder = Path(tmp) / f"in-{count}"
            write_folder(folder, chosen)
            if embedder is not None:
                embedder.forget()  # each size embeds its leads afresh
            read = getattr(checker, "pairs_read", 0)
            stages = run_once(folder, Path(tmp) / f"out-{count}")
            rows.append((count, stages))
            detail = "  ".join(f"{name} {seconds:.2f}" for name, seconds in stages.items() if name != "total")
            if hasattr(checker, "pairs_read"):
                detail += f"  (support: the encoder read {checker.pairs_read - read} pairs)"
            print(f"{count:>5} articles: total {stages['total']:6.2f} s  ({stages['total'] / count * 1000:.0f} ms/article)  {detail}", flush=True)
            if args.history:
                time_history(pool, chosen, folder, Path(tmp) / f"history-{count}")
        if args.long_article:
            text = " ".join(body.replace("\n", " ") for _, body in pool)
            while len(text.encode("utf-8")) < args.long_article * 1e6:
                text += " " + text
            text = text.encode("utf-8")[: int(args.long_article * 1e6)].decode("utf-8", "ignore")
            folder = Path(tmp) / "long"
            write_folder(folder, [("long.txt", text)])
            stages = run_once(folder, Path(tmp) / "out-long")
            detail = "  ".join(f"{name} {seconds:.2f}" for name, seconds in stages.items() if name != "total")
            print(f"one {args.long_article:g} MB article on one line: total {stages['total']:6.2f} s  {detail}", flush=True)
    if len(rows) < 2:
        return
    base_count, base = rows[0]
    for count, stages in rows[1:]:
        print(
            f"{count / base_count:5.1f}x the articles of {base_count}: {stages['total'] / base['total']:5.1f}x the time"
        )


if __name__ == "__main__":
    main()
