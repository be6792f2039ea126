"""The model registry (models/registry.toml) and its reader."""

from __future__ import annotations

import pytest

from briefing.seq2seq.registry import JOBS, GenerationSettings, load_prompt, load_registry, parse_registry


def test_every_job_has_a_registered_default_and_alternatives():
    reg = load_registry()
    assert set(JOBS) <= set(reg.jobs)
    for job in JOBS:
        specs = reg.candidates(job)
        assert specs[0] is reg.default(job)
        task = job.split("-")[0]
        assert all(s.task == task for s in specs)


def test_defaults_are_commercially_usable_and_non_commercial_ones_say_so():
    reg = load_registry()
    for job in JOBS:
        spec = reg.default(job)
        if job != "summarise-ko":  # the only published Korean news summariser is NC: documented
            assert spec.commercial_use, spec.key
    for spec in reg.models.values():
        if not spec.commercial_use:
            assert "non-commercial" in spec.licence_note.lower(), spec.key


def test_translation_defaults_match_their_direction_and_published_figures():
    reg = load_registry()
    en_ko = reg.default("translate-en-ko")
    assert (en_ko.source, en_ko.target) == ("en", "ko") and en_ko.architecture == "marian"
    assert any("34.6" in f for f in en_ko.figures)
    ko_en = reg.default("translate-ko-en")
    assert (ko_en.source, ko_en.target) == ("ko", "en")
    assert reg.get("nllb-200-distilled-600m").lang_codes["ko"] == "kor_Hang"


def test_prompts_exist_and_have_a_text_slot():
    reg = load_registry()
    for spec in reg.models.values():
        assert "{text}" in reg.prompt(spec)
    assert load_prompt("summarise.t5.txt").startswith("summarize:")


def test_lookup_by_key_id_and_folder_name():
    reg = load_registry()
    spec = reg.get("bart-large-cnn")
    assert reg.get("facebook/bart-large-cnn") is spec
    assert reg.get("facebook--bart-large-cnn") is spec
    assert reg.get("no-such-model") is None


def test_generation_settings_never_sample():
    kw = GenerationSettings(num_beams=4, max_new_tokens=10, no_repeat_ngram_size=3).kwargs()
    assert kw["do_sample"] is False and kw["num_beams"] == 4 and kw["no_repeat_ngram_size"] == 3
    assert "length_penalty" not in GenerationSettings(num_beams=1).kwargs()


def test_a_job_naming_an_unknown_model_is_rejected():
    with pytest.raises(ValueError, match="unknown model"):
        parse_registry({"models": {}, "jobs": {"summarise-en": {"default": "ghost"}}})
