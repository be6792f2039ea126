"""Fit the learned support checker's weights: `python -m briefing.merge.support_train [DATA] [--out FILE]`.

Data: SummEdits' seven non-news domains (`../shared/eval/summedits_other/dev.jsonl`); the news
domain is never read here, so that it measures the checker out of domain.

Each summary is checked against its whole cleaned document (as `briefing eval support` does), and
a logistic regression (scikit-learn, standardised features, classes weighted to balance) is fitted
on the features of `briefing.merge.support_features`. The cut-off is chosen on the training domains only:
leave one domain out, predict it with the model fitted on the other six, apply the hard checks,
and take the cut-off with the best mean balanced accuracy over the seven held-out domains (the
middle of the tied best range on a 0.01 grid). Those held-out figures are stored beside the
weights. Deterministic: the same data gives the same file byte for byte (values rounded to 6
decimals, keys in a fixed order).

Needs the `dev` extra (scikit-learn); the checker that applies the weights does not.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from briefing.eval.support import Pair, balanced_accuracy, document_text, load_pairs, roc_auc
from briefing.merge.support_features import FEATURES, extract
from briefing.merge.support_learned import MODEL_RESOURCE, hard_problems, support_score

DEFAULT_DATA = Path("../shared/eval/summedits_other/dev.jsonl")
DEFAULT_OUT = Path(__file__).parents[1] / "data" / MODEL_RESOURCE  # briefing/data/
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
    domains = sorted({p.domain for p in pairs})
    if len(domains) < 2:
        raise ValueError("training needs a `domain` field with at least two domains (leave-one-domain-out)")
    held_out = {}
    for domain in domains:
        inside = [i for i, p in enumerate(pairs) if p.domain != domain]
        outside = [i for i, p in enumerate(pairs) if p.domain == domain]
        model = fit([vectors[i] for i in inside], [labels[i] for i in inside])
        probs = [float(p) for p in model.predict_proba([vectors[i] for i in outside])[:, 1]]
        held_out[domain] = (probs, [labels[i] for i in outside], [vetoed[i] for i in outside])
    cutoff, mean_ba = choose_cutoff(held_out)
    per_domain = {
        domain: {
            "items": len(labels_),
            "balanced_accuracy": round(balanced_accuracy([p >= cutoff and not v for p, v in zip(probs, vetoed_)], labels_), 4),
            "roc_auc": round(roc_auc([support_score(p, v) for p, v in zip(probs, vetoed_)], labels_), 4),
        }
        for domain, (probs, labels_, vetoed_) in held_out.items()
    }
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
            "leave_one_domain_out": {
                "mean_balanced_accuracy": round(mean_ba, 4),
                "mean_roc_auc": round(sum(d["roc_auc"] for d in per_domain.values()) / len(per_domain), 4),
                "domains": per_domain,
            },
        },
    }


def dumps(model: dict) -> str:
    return json.dumps(model, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"error: no such file: {args.data}", file=sys.stderr)
        return 1
    if "news" in args.data.parent.name:
        print("error: the news domain is the held-out test; train on summedits_other", file=sys.stderr)
        return 1
    model = train(load_pairs(args.data))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(dumps(model), encoding="utf-8")
    tmp.replace(args.out)
    lodo = model["training"]["leave_one_domain_out"]
    print(f"wrote {args.out}: cut-off {model['cutoff']:.2f}; leave-one-domain-out balanced accuracy "
          f"{lodo['mean_balanced_accuracy']:.3f}, ROC-AUC {lodo['mean_roc_auc']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
