"""The support checker: equivalent forms are accepted; changed numbers, dates, names, verbs,
negation and modality are rejected, each with its own one-line reason."""

from __future__ import annotations

import pytest

from briefing.eval.support import Pair, balanced_accuracy, check_pair, roc_auc
from briefing.merge.support import available_checkers, check_support, get_checker

CHECKERS = available_checkers()  # the encoder checker where its package is installed
from briefing.merge.support_base import SupportChecker
from briefing.merge.support_lexical import LexicalSupportChecker

SPAN = "Police said on Aug. 28 that 1,200 people, 30 percent of them teenagers, had joined the chatroom run by Kim Min-jun."


@pytest.mark.parametrize(
    "statement",
    [
        "Police said on August 28 that 1200 people had joined the chatroom run by Kim Min-jun.",
        "On 28 August police said 30% of the 1,200 people who had joined the chatroom were teenagers.",
        "Kim Min-jun ran a chatroom that 1,200 people had joined, police said.",
    ],
)
@pytest.mark.parametrize("name", CHECKERS)
def test_equivalent_forms_are_supported(statement, name):
    result = get_checker(name).check(statement, SPAN)
    assert result.supported, result.reasons
    assert result.score > get_checker(name).check("Police said tax rules for the chatroom changed.", SPAN).score


@pytest.mark.parametrize(
    ("statement", "reason", "learned_reason"),
    [
        ("Police said on Aug. 28 that 1,500 people had joined the chatroom run by Kim Min-jun.", "numbers not in source: 1500", None),
        ("Police said on Aug. 24 that 1,200 people had joined the chatroom run by Kim Min-jun.", "dates not in source: Aug. 24", None),
        ("Police said on Aug. 28 that 1,200 people had joined the chatroom run by Park Ji-sung.", "names not in source: Park Ji-sung", None),
        ("Police said on Aug. 28 that 1,200 people had joined the chatroom run by Kim Min-jun in Busan.", "names not in source: Busan", None),
        ("U.S. police said on Aug. 28 that 1,200 people had joined the chatroom run by Kim Min-jun.", "names not in source: U.S.", None),
        ("Police said on Aug. 28 that 1,200 people had not joined the chatroom run by Kim Min-jun.", "negation differs", None),
        ("Police said on Aug. 28 that 1,200 people may have joined the chatroom run by Kim Min-jun.", "modality differs", None),
        ("Police said tax rules for the chatroom changed.", "only ", "too little of it is in the source: only "),
    ],
)
@pytest.mark.parametrize("name", CHECKERS)
def test_each_change_is_rejected_with_its_reason(statement, reason, learned_reason, name):
    checker = get_checker(name)
    result = checker.check(statement, SPAN)
    assert not result.supported
    wanted = learned_reason if name in ("learned", "encoder") and learned_reason else reason
    assert any(r.startswith(wanted) for r in result.reasons), result.reasons
    assert all("\n" not in r and len(r) < 160 for r in result.reasons)
    assert result.score < checker.check(SPAN, SPAN).score


@pytest.mark.parametrize("name", CHECKERS)
def test_negation_and_modality_in_the_source_are_not_dropped(name):
    check_support = get_checker(name).check
    assert not check_support("Telegram shares account information with police.", "Telegram does not share account information with police.").supported
    assert not check_support("The government introduced stricter laws.", "The government plans to introduce stricter laws.").supported
    kept = check_support("The government plans to introduce stricter laws.", "The government announced it plans to introduce stricter laws.")
    assert kept.supported, kept.reasons


@pytest.mark.parametrize("name", CHECKERS)
def test_a_span_on_the_same_topic_but_another_event_does_not_support(name):
    check_support = get_checker(name).check
    statement = "South Korean authorities have initiated a preliminary investigation into the messaging platform Telegram, suspecting its role in facilitating deepfake sexual crimes."
    same = "South Korean police have initiated an investigation into Telegram to determine whether the encrypted messaging app has played a role in the distribution of sexually explicit deepfake content."
    other = "While South Korea has pledged a crackdown on sexually exploitative deepfake crimes, law enforcement officials acknowledge the complexities of investigating secure messaging platforms like Telegram."
    assert check_support(statement, same).supported
    result = check_support(statement, other)
    assert not result.supported and any(r.startswith("verbs not in source: initiated") for r in result.reasons), result.reasons


def test_coverage_cut_off_is_a_parameter_and_the_checker_an_interface():
    statement, span = "Police arrested the chatroom operator in Seoul.", "Police arrested a man."
    assert not check_support(statement, span).supported
    assert check_support(statement, span, 0.3).supported is False  # Seoul is still a name it lacks
    assert check_support("Police arrested the operator.", "Police arrested the operator of a site.").supported
    assert check_support("Police arrested the operator.", "Police arrested the operator of a site.", 0.9).supported
    assert isinstance(LexicalSupportChecker(), SupportChecker)


def test_summary_is_checked_against_its_best_window_of_document_sentences():
    document = "\n\n".join(
        [
            "The mayor opened a new bridge on Monday.",
            "It cost 40 million dollars and took three years to build.",
            "Residents had waited a decade for it.",
            "Traffic on the old ferry is expected to fall.",
        ]
    )
    good = check_pair(LexicalSupportChecker(), Pair("a", document, "The new bridge cost 40 million dollars.", True))
    bad = check_pair(LexicalSupportChecker(), Pair("b", document, "The new bridge cost 90 million dollars.", False))
    assert good.supported and "40 million" in good.evidence[0]
    assert not bad.supported and bad.score < good.score


def test_metrics():
    assert balanced_accuracy([True, False, True, True], [True, False, False, True]) == pytest.approx(0.75)
    assert roc_auc([0.9, 0.8, 0.3, 0.1], [True, False, True, False]) == pytest.approx(0.75)
    assert roc_auc([0.5, 0.5], [True, False]) == pytest.approx(0.5)
