"""The CTranslate2 engine on tiny models converted at test time through the real code: conversion
(BART, Marian, T5), generation, the engine choice and its fallbacks, cache keys, citations of
condensed points, the models commands, and the thread count both engines use."""

from __future__ import annotations

import json
import sys

import pytest
from typer.testing import CliRunner

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("ctranslate2")

from briefing.cli import app  # noqa: E402
from briefing.condense.seq2seq import Seq2SeqCondenser  # noqa: E402
from briefing.engines import select_engines  # noqa: E402
from briefing.merge.support import check_support  # noqa: E402
from briefing.seq2seq import ctranslate  # noqa: E402
from briefing.seq2seq.cache import open_cache  # noqa: E402
from briefing.seq2seq.device import busy_cores, cpu_threads  # noqa: E402
from briefing.seq2seq.generation import Generator  # noqa: E402
from briefing.seq2seq.loading import forget_loaded, load  # noqa: E402
from briefing.seq2seq.locate import locate  # noqa: E402
from briefing.seq2seq.model_errors import ModelError  # noqa: E402
from briefing.seq2seq.quantize_policy import ctranslate2_compute_type, ctranslate2_loads_as  # noqa: E402
from briefing.seq2seq.registry import GenerationSettings  # noqa: E402
from tests.test_seq2seq_condense import SOURCE, make_article  # noqa: E402
from tests.tiny_models import install_model, lively_copy  # noqa: E402

pytestmark = pytest.mark.slow

TEXTS = [
    "Police said 88 people were arrested in Seoul on Tuesday.",
    "Telegram agreed.",
    "경찰은 88명을 체포했다.",
    "The National Office of Investigation opened a case against the channel operators.",
    "Officials said the number of reported cases rose 53% in 2024.",
]
GREEDY = GenerationSettings(num_beams=1, max_new_tokens=8)
BEAMS = GenerationSettings(num_beams=3, max_new_tokens=10, min_new_tokens=2)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.delenv("BRIEFING_ENGINE", raising=False)
    forget_loaded()
    yield
    forget_loaded()


@pytest.fixture(scope="module")
def lively(tmp_path_factory):
    """Lively tiny models (outputs depend on the input), each with float32 and int8 conversions
    beside a copy: {arch: (folder, float32 conversion folder)}; the int8 one is the folder's own."""
    root = tmp_path_factory.mktemp("ct2")
    out = {}
    for arch in ("bart", "marian", "t5"):
        folder = lively_copy(arch, root / arch)
        location = locate(str(folder))
        ctranslate.convert(location)  # int8, the CPU default, at folder.ctranslate2
        out[arch] = (folder, ctranslate.convert(location, quantize="none", out=root / f"{arch}-float32"))
    return out


def _outputs(loaded, settings, texts=TEXTS):
    return Generator(loaded, settings=settings, prompt="{text}")(texts)


# ------------------------------------------------------------------ conversion


@pytest.mark.parametrize("arch", ["bart", "marian", "t5"])
def test_conversion_sits_beside_the_model_with_tokenizer_and_metadata(arch, tmp_path):
    folder = install_model(arch, tmp_path / "models", "some-model")
    location = locate(str(folder))
    converted = ctranslate.convert(location)
    assert converted == tmp_path / "models" / "some-model.ctranslate2"
    assert (converted / "model.bin").is_file() and (converted / "config.json").is_file()
    meta = json.loads((converted / ctranslate.META).read_text())
    assert meta["revision"] == location.revision and meta["quantization"] == "int8"
    assert meta["ctranslate2"] == ctranslate.version()
    assert any((converted / name).is_file() for name in ("tokenizer.json", "source.spm", "spiece.model"))
    assert [p.name for p in (tmp_path / "models").iterdir()] != [] and not [
        p for p in (tmp_path / "models").iterdir() if p.name.startswith(".")
    ]  # no staging folder left
    again = ctranslate.convert(location, quantize="none")  # replaces the older conversion
    assert again == converted and ctranslate.read_meta(converted)["quantization"] == "float32"


def test_a_model_it_cannot_convert_fails_in_one_line_and_leaves_nothing(tmp_path):
    # The tiny M2M-100's language tokens sit past its sentencepiece vocabulary: CTranslate2's
    # M2M-100 loader cannot lay its vocabulary out, so this model stays on transformers + torch.
    folder = install_model("m2m100", tmp_path, "m2m")
    with pytest.raises(ModelError) as info:
        ctranslate.convert(locate(str(folder)))
    assert "\n" not in str(info.value) and "could not convert" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m2m"]
    loaded = load(str(folder), device="cpu")
    assert loaded.engine == "torch" and "no CTranslate2 conversion" in loaded.notes[0]


# ------------------------------------------------------------------ generation


@pytest.mark.parametrize("arch", ["bart", "marian", "t5"])
def test_float32_ctranslate2_generates_what_transformers_generates(arch, lively):
    folder, float32 = lively[arch]
    torch_loaded = load(str(folder), device="cpu", quantize="none", engine="torch")
    ct2_loaded = _with_conversion(folder, float32, "none")
    assert ct2_loaded.engine == "ctranslate2" and ct2_loaded.quantized == "float32"
    expected = _outputs(torch_loaded, GREEDY)
    assert len(set(expected)) > 1  # the model's outputs depend on the input: the check can fail
    assert _outputs(ct2_loaded, GREEDY) == expected


def _with_conversion(folder, conversion, quantize):
    """The model at `folder` loaded on CTranslate2 from `conversion` (swapped into place)."""
    import os

    beside = folder.with_name(folder.name + ctranslate.SUFFIX)
    parked = folder.with_name(folder.name + ".parked")
    os.replace(beside, parked)
    os.replace(conversion, beside)
    try:
        return load(str(folder), device="cpu", quantize=quantize, engine="ctranslate2")
    finally:
        os.replace(beside, conversion)
        os.replace(parked, beside)


@pytest.mark.parametrize("arch", ["bart", "marian"])
def test_int8_is_the_default_deterministic_and_independent_of_batch_mates(arch, lively):
    folder, _ = lively[arch]
    loaded = load(str(folder), device="cpu")
    assert loaded.engine == "ctranslate2" and "ctranslate2 int8" in loaded.describe()
    batched = _outputs(loaded, BEAMS)
    alone = [_outputs(loaded, BEAMS, [t])[0] for t in TEXTS]
    assert len(set(batched)) > 1 and batched == alone
    forget_loaded()
    assert _outputs(load(str(folder), device="cpu"), BEAMS) == batched  # a fresh load: the same text


def test_engine_choice_and_fallbacks(lively, monkeypatch):
    folder, _ = lively["marian"]
    assert load(str(folder), device="cpu", engine="torch").engine == "torch"
    monkeypatch.setenv("BRIEFING_ENGINE", "torch")
    assert load(str(folder), device="cpu").engine == "torch"
    monkeypatch.delenv("BRIEFING_ENGINE")
    # --quantize none asks for float32; int8 weights cannot give it: transformers + torch, with a note.
    plain = load(str(folder), device="cpu", quantize="none")
    assert plain.engine == "torch" and "int8 weights" in plain.notes[0] and "\n" not in plain.notes[0]
    with pytest.raises(ModelError, match="unknown engine"):
        load(str(folder), engine="onnx")


def test_without_ctranslate2_the_torch_engine_runs_with_a_one_line_note(lively, monkeypatch):
    folder, _ = lively["bart"]
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # import ctranslate2 now fails
    assert "not installed" in ctranslate.problem()
    loaded = load(str(folder), device="cpu")
    assert loaded.engine == "torch" and loaded.quantized == "int8"
    assert len(loaded.notes) == 1 and "ctranslate2 is not installed" in loaded.notes[0]
    with pytest.raises(ModelError, match="not installed"):
        load(str(folder), device="cpu", engine="ctranslate2")


def test_a_conversion_of_other_weights_is_not_used(lively, tmp_path):
    folder, _ = lively["t5"]
    copy = tmp_path / "t5"
    import shutil

    shutil.copytree(folder, copy)
    shutil.copytree(folder.with_name(folder.name + ctranslate.SUFFIX), copy.with_name("t5" + ctranslate.SUFFIX))
    assert load(str(copy), device="cpu").engine == "ctranslate2"
    forget_loaded()
    (copy / "generation_config.json").write_text("{}")  # the folder's revision changes
    loaded = load(str(copy), device="cpu")
    assert loaded.engine == "torch" and "not" in loaded.notes[0] and "briefing models convert" in loaded.notes[0]


def test_cache_keys_name_the_engine(lively, tmp_path):
    folder, _ = lively["marian"]
    cache_dir = tmp_path / "cache"
    first = Generator(load(str(folder), device="cpu", engine="torch"), settings=GREEDY, cache=open_cache(cache_dir))
    first(TEXTS)
    second = Generator(load(str(folder), device="cpu"), settings=GREEDY, cache=open_cache(cache_dir))
    assert second.loaded.engine == "ctranslate2" and second.loaded.fingerprint != first.loaded.fingerprint
    second(TEXTS)
    assert second.stats.cache_hits == 0 and second.stats.generated == len(TEXTS)
    third = Generator(load(str(folder), device="cpu"), settings=GREEDY, cache=open_cache(cache_dir))
    third(TEXTS)
    assert third.stats.cache_hits == len(TEXTS)


# ------------------------------------------------------------------ condensing: citations


def _condense(loaded, settings):
    articles = [make_article(SOURCE * 2, "a1"), make_article(SOURCE[:3], "a2")]
    condenser = Seq2SeqCondenser({"en": Generator(loaded, settings=settings, max_input_tokens=64)})
    return condenser, condenser.condense(articles, per_article=4).points


def test_condensed_points_and_citations_are_the_same_on_both_engines(lively):
    """float32 on both engines: the same generated text, so the same aligned points and citations."""
    folder, float32 = lively["bart"]
    on_torch = _condense(load(str(folder), device="cpu", quantize="none", engine="torch"), GREEDY)[1]
    on_ct2 = _condense(_with_conversion(folder, float32, "none"), GREEDY)[1]
    assert on_ct2 == on_torch


def test_int8_points_are_cited_to_lines_that_support_them(lively):
    """int8 rounds differently on each engine, so texts may differ; the alignment invariant holds."""
    folder, _ = lively["bart"]
    condenser, points = _condense(load(str(folder), device="cpu"), BEAMS)
    assert "ctranslate2 int8" in condenser.describe()
    for pts in points.values():
        for p in pts:
            assert p.citations and check_support(p.text, " ".join(c.quote for c in p.citations)).supported


# ------------------------------------------------------------------ engines and commands


def test_engines_use_and_name_ctranslate2(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    root = tmp_path / "models"
    install_model("bart", root, "bart-large-cnn")
    install_model("marian", root, "opus-mt-tc-big-en-ko")
    ctranslate.convert(locate("opus-mt-tc-big-en-ko", models_root=root), models_root=root)
    engines = select_engines(models_root=root, hf_cache=tmp_path / "hf", cache_dir=tmp_path / "cache")
    described = engines.describe()
    assert "(ctranslate2 int8)" in described["translator"]
    assert "ctranslate2" not in described["condenser"]  # BART is not converted: torch, and a note says so
    assert any("bart-large-cnn runs on transformers + torch: no CTranslate2 conversion" in n for n in engines.notes)
    with pytest.raises(ValueError, match="unknown engine"):
        select_engines(engine="fast", models_root=root)


def test_models_convert_writes_the_conversion_and_check_runs_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    root = tmp_path / "models"
    install_model("marian", root, "opus-mt-tc-big-en-ko")
    result = CliRunner().invoke(app, ["models", "convert", "opus-mt-tc-big-en-ko", "--models-dir", str(root)])
    assert result.exit_code == 0, result.output
    assert "CTranslate2 conversion (int8)" in result.output and (root / "opus-mt-tc-big-en-ko.ctranslate2").is_dir()
    check = CliRunner().invoke(app, ["models", "check", "opus-mt-tc-big-en-ko", "--models-dir", str(root)])
    assert check.exit_code == 0 and "ctranslate2 int8" in check.output, check.output
    folder = install_model("t5", tmp_path, "plain-t5")
    skipped = CliRunner().invoke(app, ["models", "convert", str(folder), "--no-ctranslate2"])
    assert skipped.exit_code == 0 and not folder.with_name("plain-t5.ctranslate2").exists()
    failed = CliRunner().invoke(app, ["models", "convert", str(install_model("m2m100", tmp_path, "m2m")), "--ctranslate2"])
    assert failed.exit_code == 1 and "could not convert" in failed.output


# ------------------------------------------------------------------ threads and compute types


def test_threads_follow_the_free_cores(monkeypatch):
    monkeypatch.delenv("BRIEFING_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert cpu_threads(cores=2, busy=0) == 2
    assert cpu_threads(cores=2, busy=1) == 1  # another process holds a core
    assert cpu_threads(cores=2, busy=2) == 1  # never below one
    assert cpu_threads(workers=4, cores=8, busy=0) == 2
    assert cpu_threads(workers=16, cores=8, busy=0) == 1
    monkeypatch.setenv("BRIEFING_THREADS", "3")
    assert cpu_threads(cores=2, busy=1) == 3  # the user's setting wins
    assert 1 <= cpu_threads() <= 64


def test_busy_cores_counts_other_processes_and_ignores_a_spike(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    counts = iter([2, 2, 5, 2, 2])  # this process plus one hog; one sample catches a spike
    assert busy_cores(2, sample=lambda: next(counts), pause=0) == 1
    assert busy_cores(2, sample=lambda: 1, pause=0) == 0  # only this process runs
    assert busy_cores(2, sample=lambda: 9, pause=0) == 1  # at most all but one
    assert busy_cores(1, sample=lambda: 3, pause=0) == 0
    monkeypatch.setattr("os.cpu_count", lambda: 64)  # a share of a big machine: scaled to it
    assert busy_cores(8, sample=lambda: 33, pause=0) == 4


def test_compute_types_follow_the_quantisation_policy():
    assert ctranslate2_compute_type(None, "cpu") == "int8"
    assert ctranslate2_compute_type("none", "cpu") == "float32"
    assert ctranslate2_compute_type("auto", "cuda") == "float16"
    assert ctranslate2_compute_type("auto", "cuda", "t5") == "bfloat16"
    assert ctranslate2_compute_type("int8", "cuda:1") == "int8_float16"
    assert ctranslate2_loads_as("float32", "int8") and ctranslate2_loads_as("int8", "int8_float16")
    assert not ctranslate2_loads_as("int8", "float32")
    with pytest.raises(ModelError):
        ctranslate2_compute_type("fp4", "cpu")


def test_tiny_model_conversion_is_exact_for_bart_in_float32(tmp_path):
    """The BART fix (normalize_before=False) converts exactly: same tokens as transformers even at
    the tiny model's initial scale, with beams."""
    folder = install_model("bart", tmp_path, "bart")
    ctranslate.convert(locate(str(folder)), quantize="none")
    on_ct2 = _outputs(load(str(folder), device="cpu", quantize="none", engine="ctranslate2"), BEAMS)
    on_torch = _outputs(load(str(folder), device="cpu", quantize="none", engine="torch"), BEAMS)
    assert on_ct2 == on_torch
