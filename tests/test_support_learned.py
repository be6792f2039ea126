"""The learned support checker: chosen by name, applied without scikit-learn, trained
deterministically, measured by `briefing eval support` beside the lexical baseline."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.eval.support import Pair, check_pair
from briefing.merge.support import CHECKERS, FALLBACK_CHECKER, available_checkers, get_checker
from briefing.merge.support_features import FEATURES, NAMES, extract
from briefing.merge.support_learned import LearnedSupportChecker, load_model

SPAN = (
    "The city council voted on Tuesday to close the old bridge. "
    "Police will patrol the area while engineers inspect it, the mayor said."
)

DOCUMENT = "\n\n".join(
    [
        "The mayor opened a new bridge on Monday.",
        "It cost 40 million dollars and took three years to build.",
        "Residents had waited a decade for it.",
        "Traffic on the old ferry is expected to fall.",
    ]
)


def test_checkers_by_name_encoder_first_learned_as_fallback():
    assert CHECKERS == ("encoder", "learned", "lexical") and FALLBACK_CHECKER == "learned"
    assert get_checker().name == available_checkers()[0]
    assert isinstance(get_checker("learned"), LearnedSupportChecker)
    assert get_checker("lexical").name == "lexical"
    with pytest.raises(ValueError, match="known: encoder, learned, lexical"):
        get_checker("nli")


def test_stored_weights_fit_the_features():
    model = load_model()
    assert model["features"] == list(NAMES)
    assert len(model["coef"]) == len(model["mean"]) == len(model["scale"]) == len(FEATURES)
    assert 0 < model["cutoff"] < 1
    lodo = model["training"]["leave_one_domain_out"]
    assert len(lodo["domains"]) == 7 and "news" not in " ".join(lodo["domains"])


def test_features_are_deterministic_and_see_the_edit():
    statement = "Prosecutors will patrol the area while engineers inspect it, the mayor said."
    first, checks = extract(statement, SPAN)
    again, _ = extract(statement, SPAN)
    assert first == again and len(first) == len(FEATURES)
    values = dict(zip(NAMES, first))
    assert values["swaps"] == 1 and "prosecutors" in checks[0].findings["swaps"][0]
    same = dict(zip(NAMES, extract("Police will patrol the area while engineers inspect it.", SPAN)[0]))
    assert same["coverage_best"] == 1.0 and same["swaps"] == 0 and same["unsupported_words"] == 0


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("The city council voted on Friday to close the old bridge.", "weekday not in source: Friday"),
        ("Police may patrol the area while engineers inspect it, the mayor said.", "modality differs"),
        ("Soldiers will patrol the area while engineers inspect it, the mayor said.", "'soldiers' where the source has 'police'"),
        ("The city council did not vote to close the old bridge.", "negation differs"),
    ],
)
def test_learned_checker_rejects_edits_with_reason_and_nearest_passage(statement, reason):
    result = get_checker("learned").check(statement, SPAN)
    assert not result.supported and any(reason in r for r in result.reasons), result.reasons
    assert result.evidence in SPAN and result.evidence  # the span's sentence nearest the statement
    original = get_checker("learned").check(SPAN.split(". ")[0] + ".", SPAN)
    assert original.supported and result.score < original.score


def test_learned_checker_accepts_a_restatement_and_a_quoted_fragment():
    checker = get_checker("learned")
    assert checker.check("The council voted on Tuesday to close the old bridge.", SPAN).supported
    assert checker.check("engineers inspect it", SPAN).supported


@pytest.mark.parametrize("name", available_checkers())
def test_an_empty_statement_is_not_supported(name):
    assert not get_checker(name).check("", SPAN).supported
    assert not get_checker(name).check("  \n", SPAN).supported


def test_cached_results_are_copies():
    checker = get_checker("learned")
    first = checker.check("Soldiers will patrol the area.", SPAN)
    first.reasons.append("tampered")
    assert "tampered" not in checker.check("Soldiers will patrol the area.", SPAN).reasons


def test_probability_is_the_stored_logistic_model():
    model = dict(load_model(), coef=[0.0] * len(FEATURES), intercept=0.0)
    assert LearnedSupportChecker(model).probability([1.0] * len(FEATURES)) == pytest.approx(0.5)
    model["intercept"] = 3.0
    assert LearnedSupportChecker(model).probability([0.0] * len(FEATURES)) == pytest.approx(0.9526, abs=1e-4)


def test_a_whole_document_is_given_to_the_learned_checker():
    good = check_pair(get_checker("learned"), Pair("a", DOCUMENT, "The new bridge cost 40 million dollars.", True))
    bad = check_pair(get_checker("learned"), Pair("b", DOCUMENT, "The new bridge cost 90 million dollars.", False))
    assert good.supported and "40 million" in good.evidence[0]
    assert not bad.supported and bad.score < good.score and any("90" in r for r in bad.reasons)


def _pairs(domains: int = 2, per_domain: int = 12) -> list[Pair]:
    pairs = []
    for d in range(domains):
        for k in range(per_domain):
            cost = 40 + k
            document = f"The mayor opened bridge number {k} on Monday. It cost {cost} million dollars."
            consistent = k % 3 != 0
            summary = f"Bridge {k} cost {cost if consistent else cost + 7} million dollars."
            pairs.append(Pair(f"{d}-{k}", document, summary, consistent, f"domain{d}"))
    return pairs


def test_training_is_deterministic_and_leaves_domains_out():
    pytest.importorskip("sklearn")
    from briefing.merge.support_train import GRID, dumps, train

    first, second = dumps(train(_pairs())), dumps(train(_pairs()))
    assert first == second
    model = json.loads(first)
    assert model["cutoff"] in GRID and model["features"] == list(NAMES)
    assert set(model["training"]["leave_one_domain_out"]["domains"]) == {"domain0", "domain1"}
    with pytest.raises(ValueError, match="two domains"):
        train(_pairs(domains=1))


def test_training_refuses_the_news_test_set(tmp_path):
    from briefing.merge.support_train import main

    news = tmp_path / "summedits_news" / "dev.jsonl"
    news.parent.mkdir()
    news.write_text("{}\n", encoding="utf-8")
    assert main([str(news), "--out", str(tmp_path / "m.json")]) == 1
    assert not (tmp_path / "m.json").exists()


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "pairs.jsonl"
    rows = [{"id": p.id, "document": p.document, "summary": p.summary, "consistent": int(p.consistent)} for p in _pairs(1)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_support_json_default_first(data):
    result = CliRunner().invoke(app, ["eval", "support", str(data), "--json"])
    assert result.exit_code == 0, result.output
    methods = json.loads(result.stdout)["methods"]
    assert [m["name"] for m in methods] == list(available_checkers())  # encoder first where installed
    assert [m["name"] for m in methods][-2:] == ["learned", "lexical"]
    assert all(0 <= m["balanced_accuracy"] <= 1 and 0 <= m["roc_auc"] <= 1 for m in methods)
    assert methods[0]["balanced_accuracy"] == 1.0  # every changed number is caught


def test_eval_support_one_checker_and_a_bad_name(data):
    only = CliRunner().invoke(app, ["eval", "support", str(data), "--json", "--checker", "lexical"])
    assert [m["name"] for m in json.loads(only.stdout)["methods"]] == ["lexical"]
    bad = CliRunner().invoke(app, ["eval", "support", str(data), "--checker", "nli"])
    assert bad.exit_code == 2 and "unknown --checker 'nli'" in bad.output  # a usage error
