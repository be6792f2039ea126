"""One label table per language, read by the template, the renderer and the draft reader alike."""

from __future__ import annotations

import pytest

from briefing.labels import LANGUAGES, headings, labels, parse_line_span


def _shape(table):
    """Keys of a table, nested, with the kind of each leaf."""
    if hasattr(table, "keys"):
        return {key: _shape(table[key]) for key in table}
    return type(table).__name__


def test_every_language_has_the_same_labels():
    shapes = {language: _shape(labels(language)) for language in LANGUAGES}
    engines = {language: shapes[language].pop("engines") for language in LANGUAGES}  # only names to change
    assert shapes["en"] == shapes["ko"]
    assert all(kind == "str" for table in engines.values() for kind in table.values())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("start", "end"), [(3, 3), (3, 5), (12, 140)])
def test_a_written_line_span_reads_back(language, start, end):
    written = labels(language).line_span(start, end)
    assert parse_line_span(written) == (start, end)


def test_line_spans_in_either_language_and_not_other_text():
    assert parse_line_span("lines 3–5") == (3, 5) == parse_line_span("3–5행")
    assert parse_line_span("line 7") == (7, 7) == parse_line_span("7행")
    assert parse_line_span("line 3-5") == (3, 5)  # any dash, either word
    for text in ("3", "page 3", "lines three", "3–5", ""):
        assert parse_line_span(text) is None, text


def test_counts_take_their_plural_form():
    en = labels("en")
    assert (en.count("sources", 1), en.count("sources", 2), en.count("outlets", 0)) == ("1 source", "2 sources", "0 outlets")
    assert labels("ko").count("stories", 1) == "사안 1건"


def test_headings_are_known_in_every_language():
    assert headings("timeline") == {labels("en")["headings"]["timeline"], labels("ko")["headings"]["timeline"]}
    assert len(headings("timeline")) == len(LANGUAGES)


def test_an_unknown_language_or_label_is_refused():
    with pytest.raises(ValueError, match="no labels for language 'fr'"):
        labels("fr")
    with pytest.raises(KeyError):
        labels("en")["nonsense"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_brief_and_its_reading_share_one_table(language, tmp_path):
    from briefing.brief.render import render_markdown
    from briefing.review.draft import QUOTE_SECTIONS, parse_draft
    from tests.test_render import make_brief

    markdown = render_markdown(make_brief(), language)
    words = labels(language)
    for key in ("bottom_line", "key_points", "timeline", "figures", "sources", "about"):
        assert f" {words['headings'][key]}\n" in markdown, key
    segments = parse_draft(markdown, tmp_path / f"brief.{language}.md").segments
    quoted = {s.section for s in segments if s.quoted}
    assert quoted and quoted <= QUOTE_SECTIONS and words["headings"]["timeline"] in quoted
