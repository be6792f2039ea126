"""`briefing eval summaries`: reading the eval formats, scoring, the table and the per-item JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.eval import summaries as evaluate

runner = CliRunner()

STORY = [
    "The harbour authority approved a new ferry terminal for the eastern district on Monday.",
    "Construction of the terminal is expected to cost 40 million dollars over three years.",
    "Local shop owners welcomed the decision and said it would bring more visitors.",
    "Environmental groups asked for a study of the effects on the nearby wetlands.",
    "The first ferries are scheduled to use the terminal in the spring of next year.",
]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def single_rows() -> list:
    return [
        # The reference is exactly the Lead-3 summary: Lead-3 must score 1.0.
        {"id": "s1", "source_dataset": "cnndm", "article": " ".join(STORY), "reference": "\n".join(STORY[:3])},
        {"id": "s2", "source_dataset": "xsum", "article": " ".join(reversed(STORY)), "reference": STORY[0]},
        {"id": "bad-empty", "source_dataset": "cnndm", "article": "", "reference": "Something happened."},
        {"id": "bad-noref", "source_dataset": "cnndm", "article": " ".join(STORY), "reference": ""},
        "{not json",
    ]


def test_single_article_table_json_and_skipped_rows(tmp_path: Path):
    data = write_jsonl(tmp_path / "single.jsonl", single_rows())
    out = tmp_path / "res" / "per_item.json"
    result = runner.invoke(app, ["eval", "summaries", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("subset\t"))
    assert header.split("\t") == ["subset", "part", "system", "items", "ROUGE-1", "ROUGE-2", "ROUGE-Lsum"]
    table = {tuple(line.split("\t")[:3]): line.split("\t")[3:] for line in lines if "\t" in line and line != header}
    assert table[("cnndm", "all", "lead-3")] == ["1", "100.00", "100.00", "100.00"]
    assert ("cnndm", "all", "extractive") in table and ("xsum", "all", "lead-3") in table
    assert "3 row(s) skipped" in result.stderr
    assert "bad-empty" in result.stderr and "bad-noref" in result.stderr

    report = json.loads(out.read_text(encoding="utf-8"))
    assert not list(out.parent.glob("*.tmp"))
    assert [item["id"] for item in report["items"]] == ["s1", "s2"]
    s1 = report["items"][0]["systems"]
    assert set(s1) == {"extractive", "lead-3"}
    assert s1["lead-3"]["summary"] == STORY[:3]
    assert s1["lead-3"]["rouge1"] == 1.0 and s1["lead-3"]["rougeLsum"] == 1.0
    assert 0.0 < s1["extractive"]["rouge1"] <= 1.0
    assert len(s1["extractive"]["summary"]) == evaluate.SUMMARY_SENTENCES
    assert len(report["skipped"]) == 3


def test_subset_filter_and_limit(tmp_path: Path):
    data = write_jsonl(tmp_path / "single.jsonl", single_rows())
    out = tmp_path / "cnn.json"
    result = runner.invoke(app, ["eval", "summaries", str(data), "--subset", "cnndm", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "xsum" not in result.stdout
    assert [i["id"] for i in json.loads(out.read_text())["items"]] == ["s1"]
    result = runner.invoke(app, ["eval", "summaries", str(data), "--limit", "1", "--out", str(out)])
    assert [i["id"] for i in json.loads(out.read_text())["items"]] == ["s1"]


def test_multi_document_rows_literal_string_and_empty_document(tmp_path: Path):
    documents = [
        {"title": "Ferry terminal approved", "text": " ".join(STORY[:3])},
        {"title": "Empty", "text": ""},
        {"title": "Wetlands worry", "text": " ".join(STORY[2:])},
    ]
    rows = [
        {"id": "m1", "documents": documents, "reference_summary": " ".join(STORY[:2])},
        {"id": "m2", "documents": repr(documents), "reference_summary": STORY[3]},  # a Python-literal string
        {"id": "m3", "documents": "[{'title': 'x'", "reference_summary": "A summary."},  # not parseable
    ]
    data = write_jsonl(tmp_path / "multi.jsonl", rows)
    out = tmp_path / "multi.json"
    result = runner.invoke(app, ["eval", "summaries", str(data), "--out", str(out), "--halves"])
    assert result.exit_code == 0, result.output
    for system in ("extractive", "lead-1-each", "lead-3-first"):
        assert f"multi\tall\t{system}\t2\t" in result.stdout
    assert "multi\thalf 1\textractive\t1\t" in result.stdout
    assert "m3" in result.stderr
    report = json.loads(out.read_text())
    m1 = report["items"][0]["systems"]
    # Lead-1 of each non-empty document: the first statement of documents 1 and 3.
    assert m1["lead-1-each"]["summary"] == [STORY[0], STORY[2]]
    assert report["items"][1]["id"] == "m2"


def test_rouge_scores_identical_text_one_and_disjoint_zero():
    rouge = evaluate.Rouge()
    same = rouge.score(STORY[:2], " ".join(STORY[:2]))
    assert same == {"rouge1": 1.0, "rouge2": 1.0, "rougeLsum": 1.0}
    other = rouge.score(["Completely unrelated words here."], "Harbour ferry terminal approved.")
    assert other["rouge1"] == 0.0


def test_missing_or_unusable_file_fails_with_one_line(tmp_path: Path):
    result = runner.invoke(app, ["eval", "summaries", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and "no such file" in result.stderr  # a usage error
    empty = write_jsonl(tmp_path / "empty.jsonl", ["{}"])
    result = runner.invoke(app, ["eval", "summaries", str(empty)])
    assert result.exit_code == 1 and "no usable items" in result.stderr


class FirstSentences:
    """A stand-in model engine: each article's first sentences, as points."""

    name = "first-sentences"

    def __init__(self) -> None:
        self.calls = 0

    def condense(self, articles, per_article):
        from briefing.condense.base import Condensed
        from briefing.model import Point

        self.calls += 1
        return Condensed({a.id: [Point(s.text, []) for s in a.sentences[:per_article]] for a in articles})


def test_a_model_condenser_is_scored_on_single_article_items_in_one_batch(tmp_path: Path):
    rows = single_rows()[:2] + [{"id": "m1", "documents": [{"title": "", "text": " ".join(STORY)}], "reference_summary": STORY[0]}]
    items, _ = evaluate.load_items(write_jsonl(tmp_path / "mixed.jsonl", rows))
    engine = FirstSentences()
    report = evaluate.evaluate(items, condenser=engine)
    assert engine.calls == 1  # all single-article items condensed together: batched generation
    by_id = {item["id"]: item["systems"] for item in report.items}
    assert by_id["s1"]["first-sentences"]["summary"] == STORY[: evaluate.SUMMARY_SENTENCES]
    assert by_id["s1"]["first-sentences"]["rouge1"] == by_id["s1"]["lead-3"]["rouge1"] == 1.0
    assert "first-sentences" not in by_id["m1"]  # multi-article clusters: not this system's task
    systems = {(r["subset"], r["system"]) for r in report.means()}
    assert ("cnndm", "first-sentences") in systems and ("xsum", "first-sentences") in systems


def test_eval_with_a_model_names_the_engine_and_its_quantisation(tmp_path: Path):
    import pytest

    pytest.importorskip("transformers")
    from tests.tiny_models import tiny_model

    data = write_jsonl(tmp_path / "d.jsonl", single_rows()[:2])
    for quantize, mode in (("none", "(float32)"), ("int8", "(float32, int8)")):
        result = runner.invoke(app, ["eval", "summaries", str(data), "--model", str(tiny_model("bart")), "--quantize", quantize])
        assert result.exit_code == 0, result.output
        assert "seq2seq system:" in result.output and mode in result.output
        assert "seq2seq" in result.output.split("ROUGE")[-1]  # a row of the table
    bad = runner.invoke(app, ["eval", "summaries", str(data), "--model", str(tmp_path / "no-model")])
    assert bad.exit_code == 1 and "no-model" in bad.output


def test_bootstrap_margin_over_lead_is_reported_with_a_reproducible_interval(tmp_path: Path):
    rows = [
        {"id": f"s{k}", "source_dataset": "cnndm", "article": " ".join(STORY[k % 2 :] + STORY[: k % 2]), "reference": STORY[k % 3]}
        for k in range(6)
    ]
    data = write_jsonl(tmp_path / "single.jsonl", rows)
    runs = [runner.invoke(app, ["eval", "summaries", str(data), "--bootstrap", "200", "--json"]) for _ in range(2)]
    assert all(r.exit_code == 0 for r in runs), runs[0].output
    assert runs[0].stdout == runs[1].stdout  # fixed seed: the same interval every run
    methods = {m["name"]: m for m in json.loads(runs[0].stdout)["methods"]}
    ours = methods["extractive"]
    assert ours["margin_over"] == "lead-3" and "margin_ci95" not in methods["lead-3"]
    for metric in ("rouge1", "rouge2", "rougeLsum"):
        margin, low, high = ours["margin_ci95"][metric]
        assert low <= margin <= high
        assert margin == pytest.approx(ours[metric] - methods["lead-3"][metric], abs=0.02)


def test_bootstrap_of_a_system_against_itself_is_zero():
    from briefing.eval.summaries import Report

    items = [{"id": str(k), "subset": "cnndm", "reference": "", "systems": {
        "extractive": {"rouge1": k / 10, "rouge2": 0.1, "rougeLsum": 0.2},
        "lead-3": {"rouge1": k / 10, "rouge2": 0.1, "rougeLsum": 0.2}}} for k in range(5)]
    [row] = Report(items=items).margins(100)
    assert row["baseline"] == "lead-3" and row["system"] == "extractive"
    assert row["rouge1"] == {"margin": 0.0, "low": 0.0, "high": 0.0}
    items[0]["systems"]["extractive"]["rouge1"] += 0.5  # one item better: a positive margin, an interval around it
    [row] = Report(items=items).margins(100)
    assert row["rouge1"]["margin"] == pytest.approx(0.1) and row["rouge1"]["low"] >= 0.0 and row["rouge1"]["high"] > 0.1
