"""Language resources ship as package data, per language; no story-specific words in library code;
actors come from the grammar of attribution, not from a list of names (issue 9, for the files
that read Korean and English alike)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.brief.sections import position_actor
from briefing.text import content_words, stem, word_list

PACKAGE = Path(__file__).resolve().parent.parent / "briefing"
# The files that hold the language rules (sentences, dates, numbers, attribution, conflicts).
RULE_FILES = [
    "ingest/sentences.py", "text.py", "dates.py", "brief/periods.py", "ingest/metadata.py", "ingest/boilerplate.py",
    "brief/conflicts.py", "brief/sections.py", "condense/extractive.py", "eval/korean.py",
]
# People, places, platforms and outlets of the seed articles.
SEED_WORDS = re.compile(
    r"\bKorea\b|한국|Telegram|텔레그램|Durov|\bWoo\b|\bYoo\b|Huh Min|\bYoon\b|Yonhap|연합뉴스|Straits Times|Korea Herald|"
    r"\bKCSC\b|Ryu Hee|Cho Ji|Lee Soo-jung|\bSeoul\b|SEOUL|서울|DMR News",
)


@pytest.mark.parametrize("name", RULE_FILES)
def test_rule_code_names_no_seed_people_places_or_platforms(name):
    text = (PACKAGE / name).read_text(encoding="utf-8")
    assert not SEED_WORDS.findall(text)


def test_language_data_names_no_seed_people_places_or_platforms():
    files = sorted((PACKAGE / "data" / "lang").glob("*/*.txt"))
    assert len(files) > 20
    for path in files:
        assert not SEED_WORDS.findall(path.read_text(encoding="utf-8")), path.name


def test_word_lists_are_read_per_language_without_comments():
    assert "said" in word_list("en", "stopwords")
    assert "명" in word_list("ko", "units")
    assert all(not entry.startswith("#") and entry == entry.strip() for entry in word_list("ko", "particles"))


def test_words_of_different_meaning_are_not_synonyms():
    assert stem("internal") != stem("preliminary")
    assert stem("kill") != stem("murder")
    assert stem("probe") == stem("investigation")  # a real paraphrase stays folded


def test_a_demonym_compares_as_its_place():
    assert set(content_words("Russian police")) == set(content_words("Russia's police"))
    assert stem("American") == stem("America")


@pytest.mark.parametrize(
    "text, actor",
    [
        ("Kim Dae-ho, the head of the national police office, told reporters the law must change.", "Kim Dae-ho"),
        ("Regarding the new apps, Ms Lee Na-ra, a researcher at the assembly, told The Daily Ledger that bans should be considered.", "Lee Na-ra"),
        ("Kenyan President Jane Doe has called for a thorough investigation.", "Jane Doe"),
        ("“Platforms must close the channels,” according to Mr Park.", "Park"),
        ("“We must act now,” said Ms Lee.", "Lee"),
        ("The Acme Standards Commission plans to meet to discuss countermeasures.", "Acme Standards Commission"),
        ("In addition to urging platforms to cooperate, Kenya’s media regulator has sought regular talks with Acme.", "Kenya’s media regulator"),
        ("The Democrat, who served two terms as governor, vowed to repair the damage.", "Democrat"),
        ("A federal judge ruled Monday that the government must consider each case.", "A federal judge"),
    ],
)
def test_the_actor_is_the_subject_of_the_attribution_verb(text, actor):
    assert position_actor(text) == actor


@pytest.mark.parametrize(
    "text",
    [
        "He said the platform should cooperate.",  # a pronoun names no one
        "The number of Americans seeking benefits rose again.",  # "seeking" is a participle here
        "Police arrested three suspects on Monday.",  # no position
    ],
)
def test_no_actor_without_a_named_subject_or_a_position(text):
    assert position_actor(text) is None


def test_timeline_labels_are_clauses_that_read_on_their_own():
    from briefing.brief.sections import clause_around
    from briefing.dates import find_dates

    text = ("Back in May 2023, worries about the app grew among parents, after a forum of 900 members was found "
            "to have shared the images since 2020.")
    labels = [clause_around(text, m.start, m.end) for m in find_dates(text)]
    assert labels[0] == "Back in May 2023, worries about the app grew among parents"  # not the date alone
    quote = "Ms Lee told reporters on Monday that the inquiry covers “fraud, abuse and theft” on the app."
    monday = find_dates(quote)[0]
    assert clause_around(quote, monday.start, monday.end).endswith("“fraud, abuse and theft” on the app")


def test_no_library_file_names_seed_people_places_or_platforms():
    """Library code, templates and shipped data: the rules must come from general rules, not the seeds."""
    root = PACKAGE.parent
    files = [p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".txt", ".json", ".tsv", ".toml", ".j2")]
    files += [p for folder in ("prompts", "models") for p in (root / folder).rglob("*") if p.is_file()]
    assert len(files) > 30
    named = {p.relative_to(root).as_posix(): SEED_WORDS.findall(p.read_text(encoding="utf-8")) for p in files}
    assert {name: words for name, words in named.items() if words} == {}
