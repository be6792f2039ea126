"""`briefing eval translation`: chrF++ / BLEU of a translator on parallel sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.eval import translation as evaluate_translation
from briefing.model import Translation
from briefing.translate.base import Translator

PAIRS = [
    {"id": 1, "en": "Police arrested 88 people in Seoul on Tuesday.", "ko": "경찰은 화요일 서울에서 88명을 체포했다."},
    {"id": 2, "en": "Telegram agreed to remove the videos.", "ko": "텔레그램은 영상을 삭제하기로 했다."},
    {"id": 3, "en": "The regulator asked for a hotline.", "ko": "규제 당국은 핫라인 개설을 요청했다."},
]


def write(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


class Lookup(Translator):
    """Gives the reference for the sentences it knows, a wrong sentence otherwise; flags one."""

    def __init__(self, known: dict[str, str], flag: str | None = None) -> None:
        self.known, self.flag = known, flag

    def translate(self, texts, source, target):
        return [
            Translation(t, self.known.get(t, "전혀 다른 문장입니다."), True, ["number 88 missing"] if t == self.flag else [])
            for t in texts
        ]

    def describe(self) -> str:
        return "lookup"


def test_perfect_partial_and_flagged_outputs_score_as_they_should(tmp_path):
    pairs, skipped = evaluate_translation.load_pairs(write(tmp_path / "p.jsonl", PAIRS), "en", "ko")
    assert skipped == [] and len(pairs) == 3
    perfect = evaluate_translation.evaluate(Lookup({p["en"]: p["ko"] for p in PAIRS}), pairs, "en", "ko")
    assert perfect.chrf == pytest.approx(100.0) and perfect.bleu is None and perfect.flagged == 0
    partial = evaluate_translation.evaluate(Lookup({PAIRS[0]["en"]: PAIRS[0]["ko"]}, flag=PAIRS[0]["en"]), pairs, "en", "ko")
    assert 0 < partial.chrf < 100 and partial.flagged == 1
    assert partial.items[1]["output"] == "전혀 다른 문장입니다." and partial.items[0]["flags"]
    into_english = evaluate_translation.evaluate(
        Lookup({p["ko"]: p["en"] for p in PAIRS}), evaluate_translation.load_pairs(tmp_path / "p.jsonl", "ko", "en")[0], "ko", "en"
    )
    assert into_english.bleu == pytest.approx(100.0) and into_english.chrf == pytest.approx(100.0)


def test_unusable_rows_are_skipped_and_limit_applies(tmp_path):
    rows = [PAIRS[0], "{broken", {"id": 9, "en": "No Korean side."}, {"id": 10, "en": " ", "ko": "빈 영어"}, PAIRS[1], PAIRS[2]]
    pairs, skipped = evaluate_translation.load_pairs(write(tmp_path / "p.jsonl", rows), "en", "ko", limit=2)
    assert [p["id"] for p in pairs] == [1, 2] and [problem.line for problem in skipped] == [2, 3, 4]


@pytest.mark.slow
def test_cli_with_a_model_reports_chrf_and_names_the_engine(tmp_path):
    pytest.importorskip("transformers")
    from tests.tiny_models import tiny_model

    data = write(tmp_path / "p.jsonl", PAIRS)
    result = CliRunner().invoke(app, ["eval", "translation", str(data), "--to", "ko", "--model", str(tiny_model("marian")), "--out", str(tmp_path / "o.json")])
    assert result.exit_code == 0, result.output
    assert "translator:" in result.output and "int8" in result.output  # the CPU default
    assert "chrF++" in result.output
    saved = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert len(saved["items"]) == 3 and saved["bleu"] is None and 0 <= saved["chrf"] <= 100


def test_cli_refuses_bad_options_in_one_line(tmp_path):
    data = write(tmp_path / "p.jsonl", PAIRS)
    for args, words in (
        (["--to", "fr"], "--to"),
        (["--to", "ko", "--quantize", "int4"], "--quantize"),
    ):
        result = CliRunner().invoke(app, ["eval", "translation", str(data), *args])
        assert result.exit_code == 2 and words in result.output  # usage errors exit 2
    missing = CliRunner().invoke(app, ["eval", "translation", str(tmp_path / "none.jsonl"), "--to", "ko"])
    assert missing.exit_code == 2 and "no such file" in missing.output
