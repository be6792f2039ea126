"""Speed of seq2seq condensing and translation on this machine: naive per-item calls vs our path.

Models: randomly initialised, with the real registry defaults' dimensions (the weights cannot be
downloaded here; speed and memory depend on shape, not on the values of the weights):

- condensing, ``facebook/bart-large-cnn`` (BartForConditionalGeneration): d_model 1024, 12 encoder
  + 12 decoder layers, 16 heads, FFN 4096, vocabulary 50264, 1024 positions, GELU. Source: the
  published model printout ``Embedding(50264, 1024, padding_idx=1)``, ``(0-11): 12 x
  BartEncoderLayer``, ``fc1: Linear(1024 -> 4096)`` (github.com/itsadrita/Bart-text-summarizer
  README, from the Hub config), and the BART-large defaults in transformers' BartConfig. Card
  decoding: beam 4 (max 142, min 56 tokens).
- translation, ``Helsinki-NLP/opus-mt-tc-big-en-ko`` (MarianMTModel, "transformer-big"): d_model
  1024, 6 + 6 layers, 16 heads, FFN 4096, ReLU, scaled embeddings, static sinusoidal positions,
  1024 positions, shared embeddings, beam 4: the config.json of every opus-mt-tc-big model on the
  Hub (e.g. huggingface.co/Helsinki-NLP/opus-mt-tc-big-en-fr, -en-es, -hu-en config.json).
  Vocabulary ~32k: en-ko's model.safetensors is 418 MB in fp16 = 209M parameters; the 6+6
  transformer-big layers hold 176M, leaving 33M = 32k x 1024 for the shared embedding (a tc-big
  ko-en fine-tune on the Hub reports the same 209M). We use 32001.

Decoding is identical on both sides: same beam size, same inputs, and a fixed output length
(``min_new_tokens == max_new_tokens``), so both sides produce exactly the same number of tokens
and tokens/s compare work done, not output lengths.

The naive baseline: what users write, one call per article (per sentence for translation).
transformers 5.23 removed the ``summarization``/``translation`` pipelines (``pipeline(
"summarization")`` now raises "Use the `text-generation` pipeline with a chat model instead"),
so the baseline is the loop those pipelines ran and the model cards show: per item, tokenize,
``model.generate`` with the same settings, decode. The script tries the pipeline first and says
which baseline it used.

Our path: briefing.seq2seq.generation.Generator (length-sorted batches under a token budget,
``torch.inference_mode``; for the BART family, beams share one copy of each input's
cross-attention keys/values: briefing/seq2seq/cross_attention.py), on the model as the loader gives it:
by default on CPU with int8 linear layers (briefing/seq2seq/quantize.py: per-row activation scales),
and with ``--quantize none`` (float32) for comparison.

Fidelity of int8: with random weights every input decodes to the same degenerate string, so
comparing generated text says nothing (the script checks for this and says so). Instead the
default path (int8 layers, and bfloat16 cross-attention keys/values for the BART family) is
compared with plain float32 teacher-forced on the float32 outputs, on the first two inputs: the relative error of the logits, and the share of float32's ten best next tokens that
int8 also ranks in its ten best (top-1 agreement would be void: under random weights one token
wins almost everywhere). Random weights give nearly flat distributions below that winner, so
the overlap is a pessimistic figure: a trained model's peaked distributions reorder far less.

Peak memory: the process's peak RSS (VmHWM from /proc/self/status, reset before each phase by
writing 5 to /proc/self/clear_refs; falls back to getrusage's lifetime maximum).

CTranslate2 rows (briefing.seq2seq.ctranslate, the default engine on CPU where a conversion is
present): the same random model is saved (safetensors), converted by our converter (int8, as
`briefing models pull` does), and each engine is then run from disk in a fresh subprocess,
through the real loader (briefing.seq2seq.loading.load) and Generator, so load time and peak RSS
are what a user's process sees: "own int8 (torch)" loads float32 and quantises, CTranslate2
loads its int8 file. CTranslate2 is run at several batch sizes (the Generator's batch plan capped
at N inputs) and at the default plan; rounds interleave the engines, and the ratios are medians
of each round's pair (this machine is shared, so single figures are noisy). Fidelity of
CTranslate2 int8 is measured like the own int8's: teacher-forced on float32's continuation
(``return_logits_vocab`` with the continuation as target prefix), relative error of the logits
(centred per position, so log-probabilities and logits compare alike).

``--busy`` runs the engines again with a CPU hog (a subprocess spinning on one core) beside them
and reports each engine's slowdown against itself unloaded in the same round; thread counts come
from briefing.seq2seq.device.cpu_threads as in a real run (the free cores).

``--device cuda`` (a GPU machine) runs the from-disk rows of both engines there (torch in its
half float, CTranslate2 float16); never needed in CI.

Run: ``.venv/bin/python benchmarks/seq2seq.py --quick`` (a few minutes on 2 cores) or
without ``--quick`` (about 30 minutes); ``--busy`` adds the loaded rounds, ``--rounds N`` sets
the paired rounds. Inputs: CNN/DailyMail articles and NTREX English
sentences from ../shared/eval (falls back to seeds/ when absent).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EVAL = ROOT.parent / "shared" / "eval"

CONFIGS = {
    "bart-large-cnn": dict(
        cls="BartForConditionalGeneration", config="BartConfig",
        kwargs=dict(
            vocab_size=50264, d_model=1024, encoder_layers=12, decoder_layers=12,
            encoder_attention_heads=16, decoder_attention_heads=16, encoder_ffn_dim=4096,
            decoder_ffn_dim=4096, max_position_embeddings=1024, activation_function="gelu",
            scale_embedding=False,
        ),
        max_input=1024,
    ),
    "opus-mt-tc-big-en-ko": dict(
        cls="MarianMTModel", config="MarianConfig",
        kwargs=dict(
            vocab_size=32001, decoder_vocab_size=32001, d_model=1024, encoder_layers=6,
            decoder_layers=6, encoder_attention_heads=16, decoder_attention_heads=16,
            encoder_ffn_dim=4096, decoder_ffn_dim=4096, max_position_embeddings=1024,
            activation_function="relu", scale_embedding=True, share_encoder_decoder_embeddings=True,
            static_position_embeddings=True,
        ),
        max_input=512,
    ),
}


# ----------------------------------------------------------------------------- measuring


def reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Row:
    job: str
    path: str
    items: int
    tokens: int
    seconds: float
    peak_mb: float
    note: str = ""

    @property
    def tps(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0


# ----------------------------------------------------------------------------- inputs


def load_inputs(quick: bool) -> tuple[list[str], list[str], list[str]]:
    """(articles, sentences, tokenizer corpus: all the texts, so segmentation is realistic)."""
    articles: list[str] = []
    sentences: list[str] = []
    frank = EVAL / "frank_cnndm_xsum" / "dev.jsonl"
    ntrex = EVAL / "ntrex_en_ko" / "dev.jsonl"
    if frank.exists():
        rows = [json.loads(line) for line in frank.open(encoding="utf-8")]
        articles = [r["article"] for r in rows if "cnn" in r.get("source_dataset", "").lower()]
    if ntrex.exists():
        sentences = [json.loads(line)["en"] for line in ntrex.open(encoding="utf-8")]
    if not articles or not sentences:
        from briefing.ingest.sentences import split_sentences

        seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
        articles = articles or seeds
        sentences = sentences or [s for text in seeds for para in text.split("\n") for s in split_sentences(para)]
    n_articles, n_sentences = (4, 16) if quick else (8, 48)
    return articles[:n_articles], sentences[:n_sentences], articles + sentences


def build(name: str, corpus: list[str]):
    """A random-weight model of the named shape and a byte-level BPE tokenizer trained on the
    inputs, padded with placeholder tokens to the model's vocabulary size so every generated id
    decodes (and re-encodes to the same id, for the agreement measure)."""
    import torch
    import transformers
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    spec = CONFIGS[name]
    vocab = spec["kwargs"]["vocab_size"]
    tk = Tokenizer(models.BPE(unk_token="<unk>"))
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tk.decoder = decoders.ByteLevel()
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    tk.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=min(vocab, 16000), special_tokens=specials))
    tk.add_tokens([f"<v{i}>" for i in range(tk.get_vocab_size(), vocab)])
    tok = PreTrainedTokenizerFast(
        tokenizer_object=tk, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>"
    )
    ids = dict(pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id, bos_token_id=tok.bos_token_id)
    start = tok.eos_token_id if spec["cls"].startswith("Bart") else tok.pad_token_id
    config = getattr(transformers, spec["config"])(**spec["kwargs"], **ids, decoder_start_token_id=start)
    from transformers.initialization import no_init_weights

    # transformers' own weight init takes ~30 s for these shapes on 2 busy cores; the values do
    # not matter for speed, so skip it and fill every tensor from one seeded normal draw.
    with no_init_weights():
        model = getattr(transformers, spec["cls"])(config).eval()
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for tensor in [*model.parameters(), *model.buffers()]:
            if tensor.is_floating_point():
                tensor.normal_(0.0, 0.02, generator=generator)
    return model, tok


def wrap(model, tok, name: str, quantized: str | None = None):
    """Our LoadedModel around an in-memory model (no files: the loader's job is not timed)."""
    from briefing.seq2seq.device import DeviceChoice
    from briefing.seq2seq.loading import LoadedModel
    from briefing.seq2seq.locate import Location

    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    location = Location(name, f"random/{name}", ROOT, "path", "random-init")
    return LoadedModel(model, tok, location, DeviceChoice("cpu", "float32", threads), quantized)


# ----------------------------------------------------------------------------- the two paths


def naive(model, tok, task: str, items: list[str], settings, max_input: int) -> tuple[list[str], str]:
    """One call per item, as users write it: the pipeline if this transformers has it, else the
    per-item tokenize/generate/decode loop that pipeline ran."""
    import torch
    from transformers import pipeline

    kwargs = settings.kwargs()
    try:
        pipe = pipeline(task, model=model, tokenizer=tok, device=-1)
    except Exception as exc:  # transformers 5.23: the task was removed
        how = f"per-item generate loop (pipeline('{task}') unavailable: {str(exc).splitlines()[0][:60]})"
        outputs = []
        for text in items:
            with torch.no_grad():  # what the removed pipeline used
                enc = tok(text, return_tensors="pt", truncation=True, max_length=max_input)
                out = model.generate(**enc, **kwargs)
            outputs.append(tok.decode(out[0], skip_special_tokens=True))
        return outputs, how
    key = "summary_text" if task == "summarization" else "translation_text"
    outputs = [pipe(text, truncation=True, **kwargs)[0][key] for text in items]
    return outputs, f"pipeline('{task}') per item"


def ours(loaded, items: list[str], settings, max_input: int) -> list[str]:
    from briefing.seq2seq.generation import Generator

    gen = Generator(loaded, settings=settings, prompt="{text}", cache=None, max_input_tokens=max_input)
    return gen(items)


def teacher_forced_logits(model, tok, items: list[str], max_input: int, prefixes=None, loaded=None):
    """Per item: (decoder prefix, logits). The prefix is the model's own greedy continuation
    (32 tokens) unless `prefixes` gives one, so two models can be fed the same. With `loaded`
    (our LoadedModel), the logits come through our path's numerics: its cross-attention
    keys/values, in the dtype our Generator stores them in."""
    import torch

    from briefing.seq2seq import cross_attention
    from briefing.seq2seq.generation import Generator

    results = []
    with torch.inference_mode():
        for n, text in enumerate(items):
            enc = tok(text, return_tensors="pt", truncation=True, max_length=max_input)
            if prefixes is None:
                prefix = model.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=32, min_new_tokens=32)
            else:
                prefix = prefixes[n]
            if loaded is not None and cross_attention.prepare(model):
                kv_dtype = Generator(loaded, prompt="{text}").cross_kv_dtype()
                batch = cross_attention.encode(model, tok, [enc["input_ids"][0].tolist()], "cpu", kv_dtype)
                logits = model(**cross_attention.decoder_inputs(model, batch), decoder_input_ids=prefix).logits[0]
            else:
                logits = model(**enc, decoder_input_ids=prefix).logits[0]
            results.append((prefix, logits))
    return results


def fidelity(reference, other, k: int = 10) -> tuple[float, float, int]:
    """(top-k overlap, relative logit error, distinct top-1 tokens) of `other` against `reference`.

    Top-k overlap: the mean share of the reference's k best next tokens that `other` also ranks in
    its k best. Random weights make one token win nearly everywhere (the third figure says how
    many distinct winners there were), so top-1 agreement would be trivially perfect; the top-k
    set below the winner still moves with small numeric errors, so its overlap is the stricter
    test."""
    overlap = total = 0
    err_num = err_den = 0.0
    winners: set[int] = set()
    for (_, a), (_, b) in zip(reference, other):
        top_a, top_b = a.topk(k, dim=-1).indices, b.topk(k, dim=-1).indices
        for row_a, row_b in zip(top_a.tolist(), top_b.tolist()):
            overlap += len(set(row_a) & set(row_b))
            total += k
        winners |= set(a.argmax(-1).tolist())
        err_num += float((a - b).norm() ** 2)
        err_den += float(a.norm() ** 2)
    return overlap / max(1, total), (err_num / err_den) ** 0.5 if err_den else 0.0, len(winners)


def centred_error(reference, other) -> float:
    """Relative error of `other`'s logits against `reference`'s, each centred per position (a
    per-position constant, such as the log-softmax normaliser, does not count). Entries `other`
    masks (-FLT_MAX or -inf: a token CTranslate2 disables, such as the end token before the minimum length) are left out of
    both sides."""
    num = den = 0.0
    for (_, a), (_, b) in zip(reference, other):
        keep = b > -1e20  # CTranslate2 writes -FLT_MAX (or -inf) for a disabled token
        a = a.where(keep, 0.0)
        b = b.where(keep, 0.0)
        count = keep.sum(-1, keepdim=True).clamp(min=1)
        a = (a - a.sum(-1, keepdim=True) / count).where(keep, 0.0)
        b = (b - b.sum(-1, keepdim=True) / count).where(keep, 0.0)
        num += float((a - b).norm() ** 2)
        den += float(a.norm() ** 2)
    return (num / den) ** 0.5 if den else 0.0


def ct2_teacher_forced(loaded, tok, items: list[str], max_input: int, prefixes):
    """(prefix, logits) per item from a CTranslate2 LoadedModel, teacher-forced on `prefixes`
    (transformers' decoder inputs: the decoder start token first, which CTranslate2 adds itself)."""
    import numpy as np
    import torch

    results = []
    for text, prefix in zip(items, prefixes):
        ids = tok(text, truncation=True, max_length=max_input)["input_ids"]
        target = tok.convert_ids_to_tokens(prefix[0, 1:].tolist())
        out = loaded.model.translator.translate_batch(
            [tok.convert_ids_to_tokens(ids)], target_prefix=[target], beam_size=1,
            max_decoding_length=len(target), return_logits_vocab=True, max_input_length=0,
        )[0]
        logits = torch.tensor(np.stack([np.asarray(step) for step in out.logits[0]]))
        results.append((prefix, logits))
    return results


def degenerate(outputs: list[str]) -> bool:
    """True when every input gave the same output (random weights): text agreement is then void."""
    return len(outputs) > 1 and len(set(outputs)) == 1


def agreement(tok, a: list[str], b: list[str]) -> tuple[float, float]:
    """(token-level agreement, exact-match rate) between two output lists."""
    same = total = exact = 0
    for x, y in zip(a, b):
        xs, ys = tok(x, add_special_tokens=False)["input_ids"], tok(y, add_special_tokens=False)["input_ids"]
        total += max(len(xs), len(ys))
        same += sum(1 for i, j in zip(xs, ys) if i == j)
        exact += x.strip() == y.strip()
    return (same / total if total else 1.0), exact / max(1, len(a))


def run_job(
    job: str, name: str, task: str, items: list[str], corpus: list[str], new_tokens: int, beams: int, int8: bool,
    engines_on_disk: dict | None = None,
) -> list[Row]:
    from briefing.seq2seq.registry import GenerationSettings

    settings = GenerationSettings(
        num_beams=beams, max_new_tokens=new_tokens, min_new_tokens=new_tokens, length_penalty=1.0, early_stopping=True
    )
    max_input = CONFIGS[name]["max_input"]
    print(f"{job}: building a random {name} ({len(items)} inputs, {new_tokens} new tokens each)", flush=True)
    model, tok = build(name, corpus)
    tokens = new_tokens * len(items)
    rows: list[Row] = []

    reset_peak()
    t = time.perf_counter()
    naive_out, how = naive(model, tok, task, items, settings, max_input)
    rows.append(Row(job, "naive", len(items), tokens, time.perf_counter() - t, peak_rss_mb(), how))
    _log(rows[-1])

    reset_peak()
    t = time.perf_counter()
    fp32_out = ours(wrap(model, tok, name), items, settings, max_input)
    rows.append(Row(job, "ours fp32", len(items), tokens, time.perf_counter() - t, peak_rss_mb()))
    _log(rows[-1])
    tok_agree, exact = agreement(tok, naive_out, fp32_out)
    rows[-1].note = f"vs naive: token agreement {tok_agree:.1%}, exact {exact:.0%}"
    if degenerate(naive_out):
        rows[-1].note += " (random weights: every input gives the same text; tests/test_cross_attention.py checks identity)"

    disk = None
    if engines_on_disk:
        disk = save_model(model, tok, name)
    if int8:
        from briefing.seq2seq.quantize import quantize_int8

        reference = teacher_forced_logits(model, tok, items[:2], max_input)
        qmodel = quantize_int8(model)  # in place: the float32 layers are freed, as the loader does
        del model
        reset_peak()
        t = time.perf_counter()
        ours(wrap(qmodel, tok, name, "int8"), items, settings, max_input)
        rows.append(Row(job, "ours int8 (default)", len(items), tokens, time.perf_counter() - t, peak_rss_mb()))
        loaded = wrap(qmodel, tok, name, "int8")
        quantized = teacher_forced_logits(qmodel, tok, items[:2], max_input, [p for p, _ in reference], loaded)
        overlap, err, winners = fidelity(reference, quantized)
        _, layers_err, _ = fidelity(reference, teacher_forced_logits(qmodel, tok, items[:2], max_input, [p for p, _ in reference]))
        rows[-1].note = (
            f"vs fp32, teacher-forced: logit error {err:.1%} (int8 layers alone {layers_err:.1%}), "
            f"top-10 next tokens shared {overlap:.1%} "
            f"({winners} distinct top-1 token{'s' if winners != 1 else ''} under random weights)"
        )
        rows[-1].note += f"; centred {centred_error(reference, quantized):.2%}"
        _log(rows[-1])
        del qmodel, quantized, loaded
    if disk is not None:
        rows += disk_rounds(job, name, disk, items, settings, max_input, engines_on_disk)
        if int8:
            row = next(r for r in rows if r.path == "CTranslate2 int8 (default plan)")
            row.note = ct2_fidelity(disk, tok, items, max_input, reference) + f"; {row.note}"
        shutil.rmtree(disk.parent, ignore_errors=True)
    return rows


# ----------------------------------------------------------------------------- engines from disk


def save_model(model, tok, name: str) -> Path:
    """The random model saved as a model folder (safetensors) and converted for CTranslate2 by our
    converter (int8, as `briefing models pull` does), in a subprocess so that the converter's copy
    of the model does not stay in this process."""
    folder = Path(tempfile.mkdtemp(prefix="briefing-bench-")) / name
    model.save_pretrained(str(folder), safe_serialization=True)
    tok.save_pretrained(str(folder))
    code = (
        "import sys; from briefing.seq2seq.ctranslate import convert; from briefing.seq2seq.locate import locate; "
        f"convert(locate({str(folder)!r}))"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)})
    print(f"  saved and converted for CTranslate2 (int8) in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def worker(spec: dict) -> dict:
    """One engine, run from disk in this (fresh) process: load, then generate; figures as JSON."""
    from briefing.seq2seq.generation import Generator
    from briefing.seq2seq.loading import load
    from briefing.seq2seq.registry import GenerationSettings

    reset_peak()
    started = time.perf_counter()
    loaded = load(spec["folder"], device=spec["device"], engine=spec["engine"], quantize=spec["quantize"])
    load_s = time.perf_counter() - started
    load_peak = peak_rss_mb()
    settings = GenerationSettings(**spec["settings"])
    kwargs = {"max_batch": spec["max_batch"], "token_budget": 1 << 30} if spec["max_batch"] else {}
    gen = Generator(loaded, settings=settings, prompt="{text}", max_input_tokens=spec["max_input"], **kwargs)
    reset_peak()
    started = time.perf_counter()
    outputs = gen(spec["items"])
    return {
        "seconds": time.perf_counter() - started, "load_s": load_s, "load_peak": load_peak,
        "peak": max(load_peak, peak_rss_mb()), "run_peak": peak_rss_mb(), "threads": loaded.device.threads,
        "describe": loaded.describe(), "batches": gen.stats.batches, "outputs": outputs,
    }


def run_worker(spec: dict) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)],
                         capture_output=True, text=True, env=env, cwd=str(ROOT))
    if out.returncode:
        raise RuntimeError(f"worker failed: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}")
    return json.loads(out.stdout.strip().splitlines()[-1])


class Hog:
    """A subprocess spinning on one core (the --busy load), started and stopped around a run."""

    def __enter__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        time.sleep(1.0)  # let it take its core
        return self

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()


def disk_rounds(job: str, name: str, folder: Path, items: list[str], settings, max_input: int, options: dict) -> list[Row]:
    """Both engines from disk, in interleaved rounds (and under a hog with --busy); one Row per
    engine and batch size with median figures, ratios in the notes."""
    base = {"folder": str(folder), "device": options["device"], "settings": settings.as_dict(),
            "max_input": max_input, "items": items}
    paths = [("own int8 (torch), from disk", {"engine": "torch", "quantize": "auto", "max_batch": 0})]
    for b in options["batches"]:
        if b <= len(items):
            paths.append((f"CTranslate2 int8, batch {b}", {"engine": "ctranslate2", "quantize": "auto", "max_batch": b}))
    paths.append(("CTranslate2 int8 (default plan)", {"engine": "ctranslate2", "quantize": "auto", "max_batch": 0}))
    loads = ["idle"] + (["busy"] if options["busy"] else [])
    results: dict[tuple[str, str], list[dict]] = {}
    for round_no in range(options["rounds"]):
        for load_state in loads:
            order = paths if round_no % 2 == 0 else paths[::-1]  # interleave: neither engine always runs first
            for label, extra in order:
                if load_state == "busy":
                    with Hog():
                        result = run_worker({**base, **extra})
                else:
                    result = run_worker({**base, **extra})
                results.setdefault((label, load_state), []).append(result)
                print(f"  round {round_no + 1} {load_state}: {label}: {result['seconds']:.1f} s "
                      f"({result['threads']} threads, load {result['load_s']:.1f} s, peak {result['peak']:.0f} MB)", flush=True)
    tokens = settings.max_new_tokens * len(items)
    rows: list[Row] = []
    torch_label = paths[0][0]

    def median_ratio(label: str, state: str, against: tuple[str, str]) -> float:
        pairs = zip(results[(label, state)], results[against])
        return statistics.median(other["seconds"] / mine["seconds"] for mine, other in pairs)

    for load_state in loads:
        for label, _ in paths:
            runs = results[(label, load_state)]
            seconds = statistics.median(r["seconds"] for r in runs)
            row = Row(job, label + (" [busy]" if load_state == "busy" else ""), len(items), tokens, seconds,
                      statistics.median(r["peak"] for r in runs))
            notes = [f"load {statistics.median(r['load_s'] for r in runs):.1f} s (peak {statistics.median(r['load_peak'] for r in runs):.0f} MB)",
                     f"{runs[0]['threads']} threads"]
            if label != torch_label:
                notes.append(f"speed vs own int8 {median_ratio(label, load_state, (torch_label, load_state)):.2f}x (median of {len(runs)} paired rounds)")
            if load_state == "busy":
                notes.append(f"slowdown vs unloaded {1 / median_ratio(label, 'busy', (label, 'idle')):.2f}x")
            row.note = "; ".join(notes)
            rows.append(row)
            _log(row)
    return rows


def ct2_fidelity(folder: Path, tok, items: list[str], max_input: int, reference) -> str:
    """CTranslate2 int8 against float32 transformers, teacher-forced on float32's continuation."""
    from briefing.seq2seq.loading import forget_loaded, load

    loaded = load(str(folder), device="cpu", engine="ctranslate2")
    ct2 = ct2_teacher_forced(loaded, tok, items[:2], max_input, [p for p, _ in reference])
    trimmed = [(p, logits[: len(c)]) for (p, logits), (_, c) in zip(reference, ct2)]
    overlap, _, _ = fidelity(trimmed, [(p, logits.nan_to_num(neginf=-1e9).clamp(min=-1e9)) for p, logits in ct2])
    forget_loaded()
    return f"CTranslate2 int8 vs fp32, teacher-forced: centred logit error {centred_error(trimmed, ct2):.2%}, top-10 shared {overlap:.1%}"


def _log(row: Row) -> None:
    note = f" ({row.note})" if row.note else ""
    print(f"  {row.job}: {row.path}: {row.seconds:.1f} s, {row.tps:.1f} tokens/s, peak {row.peak_mb:.0f} MB{note}", flush=True)


def table(rows: list[Row]) -> str:
    lines = [
        "| job | path | items | new tokens | seconds | tokens/s | speed-up vs naive | peak RSS (MB) | note |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    base = {r.job: r.tps for r in rows if r.path == "naive"}
    for r in rows:
        ratio = r.tps / base[r.job] if base.get(r.job) else float("nan")
        lines.append(
            f"| {r.job} | {r.path} | {r.items} | {r.tokens} | {r.seconds:.1f} | {r.tps:.1f} | {ratio:.1f}x | {r.peak_mb:.0f} | {r.note} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs (a couple of minutes on 2 cores)")
    parser.add_argument("--beams", type=int, default=4, help="beam size on both sides (the cards' default: 4)")
    parser.add_argument("--no-int8", action="store_true", help="skip the int8 path (the CPU default)")
    parser.add_argument("--only", choices=["condense", "translate"], help="run one job")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--no-ctranslate2", action="store_true", help="skip the from-disk engine rows (CTranslate2 and own int8)")
    parser.add_argument("--rounds", type=int, help="paired rounds of the from-disk rows (default 2 quick, 3 full)")
    parser.add_argument("--busy", action="store_true", help="also run the from-disk rows beside a CPU hog; report each engine's slowdown")
    parser.add_argument("--device", default="cpu", help="device of the from-disk rows (cpu, or cuda on a GPU machine)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return 0

    import torch

    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    torch.set_num_threads(threads)
    articles, sentences, corpus = load_inputs(args.quick)
    summary_tokens, translation_tokens = (32, 24) if args.quick else (64, 32)
    rows: list[Row] = []
    started = time.perf_counter()
    disk = None
    if not args.no_ctranslate2:
        from briefing.seq2seq.ctranslate import problem

        if why := problem():
            print(f"note: no CTranslate2 rows: {why}")
        else:
            disk = {"device": args.device, "busy": args.busy, "rounds": args.rounds or (2 if args.quick else 3)}
    if args.only in (None, "condense"):
        options = disk and {**disk, "batches": [1, 4, 8, 16]}
        rows += run_job("condense (bart-large-cnn shape)", "bart-large-cnn", "summarization", articles, corpus,
                        summary_tokens, args.beams, not args.no_int8, options)
    if args.only in (None, "translate"):
        options = disk and {**disk, "batches": [1, 4, 16, 48]}
        rows += run_job("translate (opus-mt-tc-big-en-ko shape)", "opus-mt-tc-big-en-ko", "translation", sentences, corpus,
                        translation_tokens, args.beams, not args.no_int8, options)
    print(f"\ntorch {torch.__version__}, {threads} threads, beam {args.beams}, fixed output length "
          f"{summary_tokens} (condense) / {translation_tokens} (translate) tokens, "
          f"{'quick' if args.quick else 'full'} run, {time.perf_counter() - started:.0f} s in all\n")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ | {"tokens_per_s": r.tps} for r in rows], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
