"""Tiny seq2seq models built at test time, one per architecture family the registry uses.

Random weights (seeded), a sentencepiece tokenizer trained on a few lines in memory, tiny
dimensions, saved with safetensors: the real loading and generation code runs on them without
any download. Shared by the condensing and translation tests.

    from tests.tiny_models import tiny_model, install_model
    path = tiny_model("marian")                       # built once per process, read-only use
    install_model("marian", tmp_path, "opus-mt-tc-big-en-ko")   # copy to tmp_path/<name>/

Architectures: "t5", "mt5", "bart", "marian", "m2m100" (NLLB shares M2M-100's architecture).
"""

from __future__ import annotations

import atexit
import io
import json
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

ARCHITECTURES = ("t5", "mt5", "bart", "marian", "m2m100")

TRAINING_LINES = [
    "Police said 88 people were arrested in Seoul on Tuesday.",
    "Telegram agreed to remove deepfake videos flagged by the regulator.",
    "The National Office of Investigation opened a case against the channel operators.",
    "Officials said the number of reported cases rose 53% in 2024.",
    "Pavel Durov said the company would cooperate with Korean authorities.",
    "The Korea Communications Standards Commission asked for a hotline.",
    "Lawmakers passed a bill that punishes possession of deepfake material.",
    "경찰은 화요일 서울에서 88명을 체포했다고 밝혔다.",
    "텔레그램은 딥페이크 영상을 삭제하기로 했다.",
    "국가수사본부는 채널 운영자들에 대한 수사에 착수했다.",
    "방송통신심의위원회는 핫라인 개설을 요청했다.",
]

# Tiny dimensions: big enough to exercise every code path, small enough to build in a second.
DIMS = dict(d_model=32, layers=2, heads=2, ffn=64, positions=1024)

_ROOT: Path | None = None


def _root() -> Path:
    global _ROOT
    if _ROOT is None:
        _ROOT = Path(tempfile.mkdtemp(prefix="briefing-tiny-models-"))
        atexit.register(shutil.rmtree, _ROOT, True)
    return _ROOT


@lru_cache(maxsize=4)
def sentencepiece_model(vocab_size: int = 160) -> bytes:
    """A unigram sentencepiece model trained on TRAINING_LINES (pad=0, eos=1, unk=2, no bos)."""
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(TRAINING_LINES * 5),
        model_writer=buf,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return buf.getvalue()


def _write_spm(path: Path) -> Path:
    path.write_bytes(sentencepiece_model())
    return path


def _vocab(spm_path: Path) -> dict[str, int]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    return {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}


def _t5_tokenizer(folder: Path):
    from transformers import AutoTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    _write_spm(folder / "spiece.model")
    (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "T5Tokenizer", "extra_ids": 0}))
    tok = AutoTokenizer.from_pretrained(str(folder))
    (folder / "spiece.model").unlink()  # save_pretrained writes tokenizer.json
    (folder / "tokenizer_config.json").unlink()
    return tok


def _vocab_size(tok) -> int:
    return max(tok.get_vocab().values()) + 1


def _bart_family_dims() -> dict[str, int]:
    """Config dimensions shared by BART, Marian and M2M-100 (one encoder-decoder family)."""
    return dict(
        d_model=DIMS["d_model"],
        encoder_layers=DIMS["layers"],
        decoder_layers=DIMS["layers"],
        encoder_attention_heads=DIMS["heads"],
        decoder_attention_heads=DIMS["heads"],
        encoder_ffn_dim=DIMS["ffn"],
        decoder_ffn_dim=DIMS["ffn"],
        max_position_embeddings=DIMS["positions"],
    )


def _save(model, tok, folder: Path) -> Path:
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(folder), safe_serialization=True)
    tok.save_pretrained(str(folder))
    return folder


def build_t5(folder: Path, mt5: bool = False) -> Path:
    import torch
    from transformers import MT5Config, MT5ForConditionalGeneration, T5Config, T5ForConditionalGeneration

    tok = _t5_tokenizer(folder / "_tok")
    shutil.rmtree(folder / "_tok")
    config_cls, model_cls = (MT5Config, MT5ForConditionalGeneration) if mt5 else (T5Config, T5ForConditionalGeneration)
    config = config_cls(
        vocab_size=_vocab_size(tok),
        d_model=DIMS["d_model"],
        d_kv=DIMS["d_model"] // DIMS["heads"],
        d_ff=DIMS["ffn"],
        num_layers=DIMS["layers"],
        num_decoder_layers=DIMS["layers"],
        num_heads=DIMS["heads"],
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.pad_token_id,
    )
    torch.manual_seed(0)
    return _save(model_cls(config), tok, folder)


def build_bart(folder: Path) -> Path:
    """BART layers with a sentencepiece tokenizer (the real model's byte-level BPE is not needed
    to exercise the architecture; decoding starts from </s> as in BART)."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    tok = _t5_tokenizer(folder / "_tok")
    shutil.rmtree(folder / "_tok")
    config = BartConfig(
        vocab_size=_vocab_size(tok),
        **_bart_family_dims(),
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        bos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id,
        forced_bos_token_id=None,
        forced_eos_token_id=tok.eos_token_id,
    )
    torch.manual_seed(0)
    return _save(BartForConditionalGeneration(config), tok, folder)


def build_marian(folder: Path) -> Path:
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    work = folder / "_tok"
    work.mkdir()
    spm_path = _write_spm(work / "source.spm")
    shutil.copy(spm_path, work / "target.spm")
    (work / "vocab.json").write_text(json.dumps(_vocab(spm_path), ensure_ascii=False), encoding="utf-8")
    tok = MarianTokenizer(
        source_spm=str(work / "source.spm"), target_spm=str(work / "target.spm"), vocab=str(work / "vocab.json")
    )
    vocab_size = _vocab_size(tok)
    config = MarianConfig(
        vocab_size=vocab_size,
        decoder_vocab_size=vocab_size,
        **_bart_family_dims(),
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.pad_token_id,
        forced_eos_token_id=tok.eos_token_id,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    _save(model, tok, folder)
    shutil.rmtree(work)
    return folder


def build_m2m100(folder: Path) -> Path:
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    work = folder / "_tok"
    work.mkdir()
    spm_path = _write_spm(work / "sentencepiece.bpe.model")
    (work / "vocab.json").write_text(json.dumps(_vocab(spm_path), ensure_ascii=False), encoding="utf-8")
    tok = M2M100Tokenizer(vocab_file=str(work / "vocab.json"), spm_file=str(spm_path), src_lang="en", tgt_lang="ko")
    lang_ids = [tok.get_lang_id(code) for code in ("en", "ko")]
    vocab_size = max(_vocab_size(tok), max(lang_ids) + 1)
    config = M2M100Config(
        vocab_size=vocab_size,
        **_bart_family_dims(),
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        bos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id,
    )
    torch.manual_seed(0)
    _save(M2M100ForConditionalGeneration(config), tok, folder)
    shutil.rmtree(work)
    return folder


BUILDERS = {
    "t5": build_t5,
    "mt5": lambda folder: build_t5(folder, mt5=True),
    "bart": build_bart,
    "marian": build_marian,
    "m2m100": build_m2m100,
}


@lru_cache(maxsize=None)
def tiny_model(architecture: str) -> Path:
    """A tiny model folder of `architecture`, built once per test process. Do not modify it."""
    import torch

    # Random tiny weights drive activations into denormal floats, which CPUs compute up to
    # 10x slower; flushing them to zero only affects speed (tests, not production, set this).
    torch.set_flush_denormal(True)
    return BUILDERS[architecture](_root() / architecture)


def install_model(architecture: str, models_root: Path, name: str) -> Path:
    """Copy the tiny model to models_root/name/ (as a user would place a model in models/)."""
    target = Path(models_root) / name
    shutil.copytree(tiny_model(architecture), target)
    return target


def lively_copy(architecture: str, folder: Path, scale: float = 0.5) -> Path:
    """A copy of the tiny model in `folder` with its weight matrices redrawn at `scale` (seeded)
    and saved again: at the tiny models' initial scale every input gives the same tokens, so a
    mix-up between inputs, or between two engines, would go unseen."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    shutil.copytree(tiny_model(architecture), folder)
    model = AutoModelForSeq2SeqLM.from_pretrained(str(folder))
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for param in model.parameters():
            if param.dim() > 1:
                param.normal_(0.0, scale, generator=generator)
    model.save_pretrained(str(folder), safe_serialization=True)
    return folder
