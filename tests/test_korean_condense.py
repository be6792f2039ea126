"""Condensing Korean: the English path's salience signals, Korean ROUGE tokens, NTREX readers."""

from __future__ import annotations

import json

from briefing.condense.extractive import ExtractiveCondenser, _name_count, _readability
from briefing.eval.korean import KoreanTokenizer, agreement, condensing, load_documents, sentence_boundaries
from briefing.ingest.folder import article_from_text

KO = """경찰청은 8월 26일부터 29일까지 딥페이크 성범죄 신고가 88건 접수됐다고 30일 밝혔다.

그는 이어서 여러 이야기를 했다.

김민수 국가수사본부장은 플랫폼 운영사도 수사에 협조해야 한다고 강조했다.

날씨는 맑았다.
"""


def test_a_korean_sentence_leaning_on_context_reads_worse_out_of_it():
    assert _readability("그는 플랫폼 운영사도 수사에 협조해야 한다고 강조했다.") < _readability("김 본부장은 플랫폼 운영사도 수사에 협조해야 한다고 강조했다.")


def test_korean_length_is_weighed_like_english():
    # Six Korean words say about as much as nine English ones: not marked down as a fragment.
    assert _readability("경찰청은 신고가 88건 접수됐다고 30일 밝혔다.") == 1.0


def test_korean_roles_count_as_names():
    assert _name_count("김민수 국가수사본부장은 경찰청 관계자와 만났다.") == 2
    assert _name_count("날씨는 맑았다.") == 0


def test_korean_summary_prefers_informative_self_contained_sentences():
    article = article_from_text(KO, "ko", "ko.txt")
    picked = [s.sentence.text for s in ExtractiveCondenser().summarise([article], 2)]
    assert picked == [
        "경찰청은 8월 26일부터 29일까지 딥페이크 성범죄 신고가 88건 접수됐다고 30일 밝혔다.",
        "김민수 국가수사본부장은 플랫폼 운영사도 수사에 협조해야 한다고 강조했다.",
    ]


def test_rouge_on_korean_needs_a_korean_tokenizer():
    from rouge_score import rouge_scorer

    reference, summary = "경찰청은 신고를 접수했다", "경찰청이 신고를 받았다"
    default = rouge_scorer.RougeScorer(["rouge1"]).score(reference, summary)["rouge1"].fmeasure
    korean = rouge_scorer.RougeScorer(["rouge1"], tokenizer=KoreanTokenizer()).score(reference, summary)["rouge1"].fmeasure
    assert default == 0.0  # Hangul dropped: nothing to compare
    assert KoreanTokenizer().tokenize("경찰청은 신고를 접수했다") == ["경찰청", "신고", "접수했다"]
    assert abs(korean - 2 / 3) < 1e-9


def _ntrex(tmp_path):
    rows = [
        ("d1", "Police report 88 cases", "경찰, 88건 보고"),
        ("d1", "Police received 88 reports on Saturday.", "경찰은 토요일 88건의 신고를 받았다."),
        ("d1", "The minister said 1.5 million pounds would be spent.", "장관은 150만 파운드를 쓰겠다고 말했다."),
        ("d1", "Officials met on Sept. 3.", "관계자들은 9월 3일 만났다."),
        ("d1", "Critics called for 24 more officers.", "비판자들은 경찰관 24명을 더 요구했다."),
    ]
    path = tmp_path / "ntrex.jsonl"
    path.write_text("\n".join(json.dumps({"id": k, "doc_id": d, "en": e, "ko": o}, ensure_ascii=False) for k, (d, e, o) in enumerate(rows)) + "\n{bad\n", encoding="utf-8")
    return path


def test_ntrex_measures_run_on_a_tiny_parallel_file(tmp_path):
    documents, skipped = load_documents(_ntrex(tmp_path))
    assert [problem.line for problem in skipped] == [6] and len(documents) == 1
    boundaries = sentence_boundaries(documents)
    assert boundaries.false_negative == boundaries.missed_headline == 1  # the headline has no full stop
    assert boundaries.recall_punctuated == 1.0 and boundaries.precision == 1.0
    facts = agreement(documents)
    assert facts.recall("figures") == facts.precision("figures") == 1.0
    assert facts.recall("dates") == facts.precision("dates") == 1.0
    report = condensing(documents, count=2)
    assert report.documents == 1 and set(report.scores) == {"extractive", "lead-3"}


def test_eval_korean_command_prints_methods_json(tmp_path):
    from typer.testing import CliRunner

    from briefing.cli import app

    result = CliRunner().invoke(app, ["eval", "korean", str(_ntrex(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    methods = json.loads(result.stdout.strip().splitlines()[-1])["methods"]
    assert methods[0]["name"] == "briefing" and methods[0]["figure_recall"] == 100.0
    missing = CliRunner().invoke(app, ["eval", "korean", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2 and "no such file" in missing.output  # a usage error
