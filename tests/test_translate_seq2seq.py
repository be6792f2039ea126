"""The seq2seq translator on tiny Marian and M2M-100 models built at test time.

Random weights give garbage text, so these test what the translator does around the model:
loading through the real resolution code, sentence batching and order, language tokens,
guard flags, the cache, and Markdown structure; never translation quality.
"""

from __future__ import annotations

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from briefing.seq2seq.cache import open_cache  # noqa: E402
from briefing.seq2seq.loading import forget_loaded, load  # noqa: E402
from briefing.seq2seq.model_errors import ModelError, ModelNotFound  # noqa: E402
from briefing.seq2seq.registry import GenerationSettings  # noqa: E402
from briefing.translate.markdown import prose_segments, translate_markdown  # noqa: E402
from briefing.translate.seq2seq import Seq2SeqTranslator, load_translator  # noqa: E402
from tests.tiny_models import install_model  # noqa: E402

pytestmark = pytest.mark.slow

FAST = GenerationSettings(num_beams=2, max_new_tokens=6)
TEXTS = [
    "Police said 88 people were arrested on Tuesday. The United Nations agreed to send observers.",
    "The Korea Communications Standards Commission asked for a hotline.",
    "",
    "Officials said cases rose 53% in 2024.\nLawmakers passed a bill.",
]


@pytest.fixture()
def models_root(tmp_path, monkeypatch):
    """An empty models/ and Hugging Face cache: only what a test installs is found."""
    root = tmp_path / "models"
    root.mkdir()
    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(root))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    forget_loaded()
    yield root
    forget_loaded()


@pytest.fixture()
def marian(models_root):
    install_model("marian", models_root, "opus-mt-tc-big-en-ko")
    return load("opus-mt-tc-big-en-ko", device="cpu")


@pytest.fixture()
def m2m(models_root):
    install_model("m2m100", models_root, "m2m100-418m")
    return load("m2m100-418m", device="cpu")


def test_marian_translates_sentence_by_sentence_in_batches(marian):
    translator = Seq2SeqTranslator(marian, settings=FAST)
    results = translator.translate(TEXTS, "en", "ko")
    assert [r.source for r in results] == TEXTS
    assert all(r.translated for r in results)
    assert results[2].text == ""  # nothing in, nothing out
    assert results[3].text.count("\n") == 1  # line structure of a text is kept
    stats = translator._generator("en", "ko").stats
    assert stats.requested == 5  # five sentences, each its own input
    assert stats.batches < stats.requested  # ... sent in batches, not one by one


def test_results_follow_input_order(marian):
    translator = Seq2SeqTranslator(marian, settings=FAST)
    forward = [r.text for r in translator.translate(TEXTS[:2] + TEXTS[3:], "en", "ko")]
    backward = [r.text for r in translator.translate((TEXTS[:2] + TEXTS[3:])[::-1], "en", "ko")]
    assert backward == forward[::-1]
    # Deterministic: the same input gives the same output on a fresh translator.
    again = Seq2SeqTranslator(marian, settings=FAST).translate(TEXTS[:1], "en", "ko")
    assert again[0].text == forward[0]


def test_guard_failures_are_flagged_per_sentence(marian):
    result = Seq2SeqTranslator(marian, settings=FAST).translate(TEXTS[:1], "en", "ko")[0]
    # Random weights cannot reproduce "88" and "유엔": the guards must say so.
    assert "sentence 1: number 88 missing" in result.flags
    assert "sentence 2: term United Nations -> 유엔 missing" in result.flags


def test_second_run_hits_the_cache(marian, tmp_path):
    first = Seq2SeqTranslator(marian, settings=FAST, cache=open_cache(tmp_path / "cache"))
    out1 = [r.text for r in first.translate(TEXTS, "en", "ko")]
    second = Seq2SeqTranslator(marian, settings=FAST, cache=open_cache(tmp_path / "cache"))
    out2 = [r.text for r in second.translate(TEXTS, "en", "ko")]
    stats = second._generator("en", "ko").stats
    assert out2 == out1
    assert stats.cache_hits == 5 and stats.generated == 0
    # Other decoding settings are another cache entry, not a false hit.
    third = Seq2SeqTranslator(marian, settings=GenerationSettings(num_beams=1, max_new_tokens=6),
                              cache=open_cache(tmp_path / "cache"))
    third.translate(TEXTS, "en", "ko")
    assert third._generator("en", "ko").stats.cache_hits == 0


def test_single_direction_model_refuses_the_other_direction(marian):
    translator = Seq2SeqTranslator(marian, settings=FAST)
    assert translator.directions() == [("en", "ko")]
    with pytest.raises(ModelError, match="en->ko, not ko->en"):
        translator.translate(["경찰은 밝혔다."], "ko", "en")


def test_m2m100_forces_the_target_language_token(m2m):
    translator = Seq2SeqTranslator(m2m, settings=FAST)
    assert translator.directions() is None  # many-to-many
    tok = m2m.tokenizer
    ko = translator.translate(TEXTS[:2], "en", "ko")
    assert translator._generator("en", "ko").generate_kwargs["forced_bos_token_id"] == tok.get_lang_id("ko")
    assert tok.src_lang == "en"
    en = translator.translate(["경찰은 화요일 서울에서 88명을 체포했다고 밝혔다."], "ko", "en")
    assert translator._generator("ko", "en").generate_kwargs["forced_bos_token_id"] == tok.get_lang_id("en")
    assert tok.src_lang == "ko"
    assert all(not r.text.startswith("__ko__") for r in ko)  # the forced token is not text
    assert "number 88 missing" in en[0].flags


def test_markdown_structure_survives_a_real_model(marian):
    doc = (
        "# Telegram probe\n\n"
        "- Police said 88 people were arrested.[^1]\n"
        "- See [the report](https://example.com/r) in `seeds/000.txt`.\n\n"
        "| Outlet | Claim |\n|---|---|\n| Yonhap | Telegram agreed. |\n\n"
        "[^1]: seeds/000_eae2fc57a7df6416.txt, lines 3-5: \"Police said 88 people\"\n"
    )
    translator = Seq2SeqTranslator(marian, settings=FAST)
    result = translate_markdown(doc, translator, "en", "ko")
    src_lines, out_lines = doc.split("\n"), result.text.split("\n")
    assert len(out_lines) == len(src_lines)
    assert out_lines[0].startswith("# ")
    assert out_lines[2].startswith("- ") and "[^1]" in out_lines[2]
    assert "](https://example.com/r)" in out_lines[3] and "`seeds/000.txt`" in out_lines[3]
    assert out_lines[5].count("|") == 3 and out_lines[6] == "|---|---|"
    assert out_lines[9] == src_lines[9]  # the footnote definition, untouched
    assert result.segments == len(prose_segments(doc))
    assert any("number 88 missing" in f for f in result.flags)
    assert "⟦⚠ check translation:" in out_lines[2]


def test_load_translator_reports_a_missing_model_in_one_line(models_root):
    with pytest.raises(ModelNotFound) as info:
        load_translator("en", "ko")
    message = str(info.value)
    assert "\n" not in message
    assert "opus-mt-tc-big-en-ko" in message
    assert str(models_root) in message
    assert "briefing models pull opus-mt-tc-big-en-ko" in message


def test_load_translator_uses_the_registry_default(marian):
    translator = load_translator("en", "ko", device="cpu", settings=FAST)
    assert translator.loaded is marian
    assert "opus-mt-tc-big-en-ko" in translator.describe()
