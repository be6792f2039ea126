"""Ray scale-out on this machine: one process vs 1 and 2 Ray actors, on the same inputs.

For each job the same Generator settings (fixed output length: ``min_new_tokens ==
max_new_tokens``, beam 4 as the cards use) run three ways on the same distinct inputs:

- ``single``: briefing.seq2seq.generation.Generator in this process (the path without ``--ray``);
- ``ray, 1 actor``: briefing.seq2seq.distributed.RayGenerator with one actor holding every core: the
  same compute as ``single``, so the difference is what Ray costs (start-up excluded, shown
  apart: the runtime once, then the actors' start and model load per pool);
- ``ray, 2 actors``: two actors of half the cores each, each with its own copy of the model;
  ``single process, 1 thread`` is what each of them has, to tell parallel work from the cost of
  torch's threads synchronising on a busy machine.

Every path must give the same outputs, and the script says whether they did. Models: the tiny
test models (tests/tiny_models.py) and random models with the real default shapes that
benchmarks/seq2seq.py builds (bart-large-cnn; opus-mt-tc-big-en-ko), saved with safetensors so
the actors load them through the real loading code. Inputs: NTREX English sentences and
CNN/DailyMail articles from ../shared/eval (seeds/ when absent).

Ray sends each batch the single process would run to one actor, so a job needs at least as many
batches as actors to use them all: on CPU a batch holds up to 64 sentences, or 16 articles of
1000 tokens (the 16384-token budget), which sets the input sizes below.

Run: ``.venv/bin/python benchmarks/ray_scale.py --quick`` (tiny models and the real-shape
translator on 128 sentences) or without ``--quick`` (256 sentences, and the real-shape condenser
on 32 articles); ``--only tiny|translate|condense`` runs one group. On 2 shared cores a quick
run takes about 15 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import seq2seq as shapes  # noqa: E402  (benchmarks/seq2seq.py: the real-shape model builders)


@dataclass
class Row:
    job: str
    path: str
    items: int
    batches: int
    tokens: int
    seconds: float
    setup_s: float
    same: bool | None = None

    @property
    def tps(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0


def inputs() -> tuple[list[str], list[str]]:
    """(distinct CNN/DM articles, distinct NTREX English sentences); seeds/ when absent."""
    frank, ntrex = shapes.EVAL / "frank_cnndm_xsum" / "dev.jsonl", shapes.EVAL / "ntrex_en_ko" / "dev.jsonl"
    articles = [json.loads(x)["article"] for x in frank.open(encoding="utf-8")] if frank.exists() else []
    sentences = [json.loads(x)["en"] for x in ntrex.open(encoding="utf-8")] if ntrex.exists() else []
    if not articles or not sentences:
        from briefing.ingest.sentences import split_sentences

        seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
        articles = articles or seeds
        sentences = sentences or [s for text in seeds for line in text.split("\n") for s in split_sentences(line)]
    return list(dict.fromkeys(articles)), list(dict.fromkeys(sentences))


def save_real_shape(name: str, corpus: list[str], models_root: Path) -> str:
    """benchmarks/seq2seq.py's random model of `name`'s shape, saved as models/<name>/."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    model, tok = shapes.build(name, corpus)
    folder = models_root / name
    model.save_pretrained(str(folder), safe_serialization=True)
    tok.save_pretrained(str(folder))
    del model
    return name


def run_job(job: str, name: str, items: list[str], settings, models_root: Path, actor_counts: list[int]) -> list[Row]:
    from briefing.seq2seq.distributed import RayBackend
    from briefing.seq2seq.generation import Generator
    from briefing.seq2seq.loading import forget_loaded, load

    tokens = settings.max_new_tokens * len(items)
    print(f"{job}: {len(items)} inputs, {settings.max_new_tokens} new tokens each, beam {settings.num_beams}", flush=True)
    t = time.perf_counter()
    generator = Generator(load(name, device="cpu", models_root=models_root), settings=settings, cache=None)
    setup = time.perf_counter() - t
    t = time.perf_counter()
    reference = generator(items)
    rows = [Row(job, "single process", len(items), generator.stats.batches, tokens, time.perf_counter() - t, setup)]
    _log(rows[-1])
    # The same process with one torch thread: what each of two 1-CPU actors has.
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    t = time.perf_counter()
    one_thread = generator(items) if threads > 1 else reference
    if threads > 1:
        rows.append(Row(job, "single process, 1 thread", len(items), generator.stats.batches // 2, tokens,
                        time.perf_counter() - t, 0.0, one_thread == reference))
        _log(rows[-1])
    torch.set_num_threads(threads)
    del generator
    forget_loaded()  # free this process's copy before the actors load theirs
    for count in actor_counts:
        t = time.perf_counter()
        backend = RayBackend.open("local", actors=count, device="cpu", no_cache=True)
        pool = backend.pool.describe()
        try:
            remote = backend.generator(name, models_root=models_root)
            remote.settings = settings
            setup = time.perf_counter() - t
            t = time.perf_counter()
            outputs = remote(items)
            seconds = time.perf_counter() - t
        finally:
            backend.close()
        rows.append(Row(job, f"ray, {pool}", len(items), remote.stats.batches, tokens, seconds, setup,
                        outputs == reference))
        _log(rows[-1])
    return rows


def _log(row: Row) -> None:
    same = "" if row.same is None else f", outputs {'identical' if row.same else 'DIFFERENT'}"
    print(f"  {row.path}: {row.seconds:.1f} s ({row.batches} batches), {row.tps:.1f} tokens/s, "
          f"set-up {row.setup_s:.1f} s{same}", flush=True)


def table(rows: list[Row]) -> str:
    lines = [
        "| job | path | inputs | batches | seconds | tokens/s | vs single | set-up (s) | outputs |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    base = {r.job: r.seconds for r in rows if r.same is None}  # the single process, all threads
    for r in rows:
        ratio = base[r.job] / r.seconds if r.seconds else float("nan")
        same = "reference" if r.same is None else ("identical" if r.same else "DIFFERENT")
        lines.append(f"| {r.job} | {r.path} | {r.items} | {r.batches} | {r.seconds:.1f} | {r.tps:.1f} | "
                     f"{ratio:.2f}x | {r.setup_s:.1f} | {same} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny models and the real-shape translator only")
    parser.add_argument("--only", choices=["tiny", "translate", "condense"], help="run one group of jobs")
    parser.add_argument("--beams", type=int, default=4)
    args = parser.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from briefing.seq2seq.distributed import connect
    from briefing.seq2seq.registry import GenerationSettings
    from tests.tiny_models import tiny_model

    def fixed(tokens: int) -> GenerationSettings:
        return GenerationSettings(num_beams=args.beams, max_new_tokens=tokens, min_new_tokens=tokens)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    articles, sentences = inputs()
    started = time.perf_counter()
    t = time.perf_counter()
    connect("local", num_cpus=cores, object_store_memory=200 * 2**20)
    ray_start = time.perf_counter() - t
    print(f"Ray runtime started in {ray_start:.1f} s ({cores} CPUs)", flush=True)
    work = Path(tempfile.mkdtemp(prefix="briefing-ray-scale-"))
    rows: list[Row] = []
    try:
        models_root = work / "models"
        models_root.mkdir()
        n_sentences = 128 if args.quick else 256
        corpus = articles + sentences
        if args.only in (None, "tiny"):
            rows += run_job("translate, tiny Marian", str(tiny_model("marian")), sentences[:n_sentences], fixed(16),
                            models_root, [1, 2])
            rows += run_job("condense, tiny BART", str(tiny_model("bart")), articles[:64], fixed(16), models_root, [1, 2])
        if args.only in (None, "translate"):
            print("building a real-shape translator (random weights) ...", flush=True)
            name = save_real_shape("opus-mt-tc-big-en-ko", corpus, models_root)
            rows += run_job("translate, opus-mt-tc-big shape", name, sentences[:n_sentences],
                            fixed(16 if args.quick else 32), models_root, [1, 2])
            shutil.rmtree(models_root / name)
        if args.only == "condense" or (args.only is None and not args.quick):
            print("building a real-shape condenser (random weights) ...", flush=True)
            name = save_real_shape("bart-large-cnn", corpus, models_root)
            rows += run_job("condense, bart-large-cnn shape", name, articles[:32], fixed(16), models_root, [1, 2])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    import ray
    import torch

    ray.shutdown()
    print(f"\ntorch {torch.__version__}, ray {ray.__version__}, {cores} cores, beam {args.beams}, fixed output length, "
          f"{'quick' if args.quick else 'full'} run, {time.perf_counter() - started:.0f} s in all; "
          f"Ray runtime start {ray_start:.1f} s (once per run, not in the set-up column)\n")
    print(table(rows))
    return 0 if all(r.same is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
