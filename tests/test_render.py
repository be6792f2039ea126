"""Rendering: footnote numbering and quotes, Markdown escaping, the Korean brief, brief.json."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.brief.render import md_escape, md_unescape, render_json, render_markdown, short_quote
from briefing.model import Brief, Citation, Figure, Point, Position, SourceInfo, Story, TimelineEvent
from briefing.translate.none import NoTranslator

LINE_3 = (
    "Police opened a preliminary investigation into Telegram on Monday. "
    "The probe is the first into a platform operator."
)
FIRST, SECOND = LINE_3.split(". ", 1)
FIRST += "."
C_FIRST = Citation("in/a.txt", 3, 3, FIRST)  # two sentences on one line: two citations
C_SECOND = Citation("in/a.txt", 3, 3, SECOND)
C_OTHER = Citation("in/b.txt", 5, 6, "On Monday, police launched a preliminary probe into Telegram over deepfake sex crimes.")
C_LONG = Citation(
    "in/c.txt", 10, 12,
    "The Korea Communications Standards Commission plans to meet to discuss countermeasures, including a "
    "24-hour hotline for victims and doubling regulatory personnel.",
)
C_FIGURE = Citation("in/c.txt", 14, 14, "Police recorded 297 cases in the first seven months of this year.")
NASTY = "Critics said *all* [platforms] must act_now | `fast` <script>alert('x')</script> & <b>bold</b>."
C_NASTY = Citation("in/d.txt", 2, 2, NASTY)

SOURCES = {
    "in/a.txt": "x\nx\n" + LINE_3 + "\n",
    "in/b.txt": "x\nx\nx\nx\n" + C_OTHER.quote[:40] + "\n" + C_OTHER.quote[40:] + "\n",
    "in/c.txt": "\n" * 9 + "\n".join(" ".join(C_LONG.quote.split()[i : i + 8]) for i in (0, 8, 16)) + "\n\n"
    + C_FIGURE.quote + "\n",
    "in/d.txt": "x\n" + NASTY + "\n",
}


def source_lines(citation: Citation) -> str:
    lines = SOURCES[citation.file].split("\n")[citation.line_start - 1 : citation.line_end]
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


def make_brief() -> Brief:
    p1 = Point(FIRST, [C_FIRST, C_OTHER], article_ids=["a", "b"])
    p2 = Point(SECOND, [C_SECOND], article_ids=["a"])
    p3 = Point(C_LONG.quote, [C_LONG], article_ids=["c"])
    p_again = Point(FIRST, [C_FIRST], article_ids=["a"])  # the same citation used again later
    p_nasty = Point(NASTY, [C_NASTY], article_ids=["d"])
    story = Story(
        id="story-1",
        title="Police open a <probe> into *Telegram*",
        article_ids=["a", "b", "c", "d"],
        outlets=["<i>Outlet</i>", "The Daily"],
        latest="2024-09-02",
        bottom_line=[p1, p2],
        key_points=[p3, p_nasty],
        background=[p_again],
        timeline=[TimelineEvent("2024-09-02", "opened a preliminary investigation into Telegram on Monday", [C_FIRST],
                                "2024-09-02"),
                  TimelineEvent("Aug. 28", "arrested on Aug. 28", [C_OTHER], "????-08-28")],
        figures=[Figure("297", "cases in the first seven months", [C_FIGURE])],
        conflicts=[],
        positions=[Position("Korea Communications Standards Commission", p3)],
    )
    return Brief(
        date="2024-09-02",
        title=story.title,
        stories=[story],
        also_reported=[],
        sources=[
            SourceInfo("a", "in/a.txt", "Police open probe", "The Daily", "2024-09-02", "2024-09-02", None, "en", "utf-8"),
            SourceInfo("b", "in/b.txt", None, None, None, "September 2", None, "en", "cp949"),
            SourceInfo("c", "in/c.txt", None, None, None, None, None, "en", "utf-8"),
            SourceInfo("d", "in/d.txt", None, "<i>Outlet</i>", None, None, None, "en", "utf-8"),
        ],
        engines={"condenser": "extractive", "translator": "none", "merger": "lexical", "stories": "lexical"},
        warnings=["skipped in/bad.txt: binary file (contains NUL bytes)"],
        stats={"translation_install_hint": "briefing models pull translate-en-ko"},
    )


def all_points(brief: Brief) -> list[Point]:
    return brief.shown_points


def untranslated(brief: Brief) -> dict:
    texts = list(dict.fromkeys(p.text for p in all_points(brief)))
    return {t.source: t for t in NoTranslator().translate(texts, "en", "ko")}


FOOTNOTE = re.compile(r"^\[\^(\d+)\]: `([^`]+)`, (?:lines? (\d+)(?:–(\d+))?|(\d+)(?:–(\d+))?행): “(.*)”$", re.M)


def split_markdown(markdown: str) -> tuple[str, list[tuple[int, str, int, int, str]]]:
    body = re.sub(r"^\[\^\d+\]: .*$", "", markdown, flags=re.M)
    notes = []
    for match in FOOTNOTE.finditer(markdown):
        number, file = int(match.group(1)), match.group(2)
        start = int(match.group(3) or match.group(5))
        end = int(match.group(4) or match.group(6) or start)
        notes.append((number, file, start, end, match.group(7)))
    return body, notes


@pytest.fixture(params=["en", "ko"])
def language(request):
    return request.param


@pytest.fixture
def rendered(language):
    brief = make_brief()
    return render_markdown(brief, language, untranslated(brief) if language == "ko" else None)


def test_footnotes_numbered_in_order_of_first_use(rendered):
    body, notes = split_markdown(rendered)
    assert [n[0] for n in notes] == list(range(1, len(notes) + 1))
    marks = [int(m) for m in re.findall(r"\[\^(\d+)\](?!:)", body)]
    first_use = list(dict.fromkeys(marks))
    assert first_use == list(range(1, len(notes) + 1))
    # Every footnote is used, and every mark has a definition.
    assert set(marks) == {n[0] for n in notes}
    assert len(re.findall(r"^\[\^\d+\]:", rendered, flags=re.M)) == len(notes)


def test_same_citation_keeps_one_number_and_each_sentence_on_a_line_gets_its_own(rendered):
    _, notes = split_markdown(rendered)
    keys = [(file, start, end, md_unescape(quote)) for _, file, start, end, quote in notes]
    assert len(keys) == len(set(keys)), "a citation is defined once"
    on_line_3 = [n for n in notes if n[1] == "in/a.txt" and n[2] == 3]
    assert len(on_line_3) == 2  # two sentences on line 3: two footnotes
    first_number = next(n[0] for n in on_line_3 if md_unescape(n[4]) == FIRST)
    # C_FIRST is cited by the bottom line, the background point and the timeline: always the same number.
    body, _ = split_markdown(rendered)
    assert body.count(f"[^{first_number}]") >= 3


def test_footnote_quotes_are_substrings_of_the_cited_text(rendered):
    _, notes = split_markdown(rendered)
    assert len(notes) == 6
    for _, file, start, end, quote in notes:
        text = md_unescape(quote)
        if text.endswith(" …"):
            text = text[: -len(" …")]
        assert text, "a footnote quotes something"
        cited = source_lines(Citation(file, start, end, ""))
        assert text in cited, (file, start, end, text)


def test_footnote_line_labels(language, rendered):
    if language == "en":
        assert "`in/a.txt`, line 3: “" in rendered
        assert "`in/b.txt`, lines 5–6: “" in rendered
    else:
        assert "`in/a.txt`, 3행: “" in rendered
        assert "`in/b.txt`, 5–6행: “" in rendered


def test_script_and_markup_never_appear_raw(rendered):
    assert "<script>" not in rendered
    assert "</script>" not in rendered
    assert "<b>" not in rendered and "<i>" not in rendered
    assert "<probe>" not in rendered
    assert "&lt;script&gt;" in rendered
    escaped_point = md_escape(NASTY)
    assert escaped_point in rendered
    assert md_unescape(escaped_point) == NASTY
    # The table of sources keeps its columns despite a '|' nowhere in it, and the nasty outlet is escaped.
    assert "&lt;i&gt;Outlet&lt;/i&gt;" in rendered


@pytest.mark.parametrize(
    "text",
    [
        "*bold* _italic_ [link](x) `code` a|b <tag> a > b < c",
        "back\\slash \\* already escaped",
        "**Strong** __under__ [^1] ![img](y)",
        "",
    ],
)
def test_md_escape_round_trip(text):
    escaped = md_escape(text)
    assert md_unescape(escaped) == text
    for char in "*_[]`|":
        assert re.search(r"(?<!\\)" + re.escape(char), escaped.replace("\\\\", "")) is None
    assert "<" not in escaped and ">" not in escaped


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab *_[]`|<>\\-#!()^:가")), max_size=40))
def test_md_escape_round_trip_property(text):
    assert md_unescape(md_escape(text)) == text


def test_md_escape_round_trip_with_entities():
    text = "The filter rejects &lt;script&gt; tags, said AT&T."
    assert md_unescape(md_escape(text)) == text


def test_short_quote():
    assert short_quote("one two three", 5) == "one two three"
    quote = short_quote(C_LONG.quote, 5)
    assert quote == "The Korea Communications Standards Commission …"
    assert quote[: -len(" …")] in C_LONG.quote


def test_english_brief_sections_and_dates():
    markdown = render_markdown(make_brief(), "en")
    for heading in ("## Bottom line", "## Key points", "## Background", "## Timeline", "## Key figures",
                    "## Policy options and positions (as reported)", "## Sources"):
        assert heading in markdown
    # The story has no conflicts: the section is left out, with no placeholder line.
    assert "## Where sources differ" not in markdown and "_No " not in markdown
    assert "2 September 2024" in markdown
    # Dates without a year, as a page or a point wrote them, are written in the brief's own form.
    assert "2 September (year not stated)" in markdown
    assert "28 August (year not stated)" in markdown
    assert "번역" not in markdown


def test_korean_brief_headings_dates_and_untranslated_notice():
    brief = make_brief()
    markdown = render_markdown(brief, "ko", untranslated(brief))
    for heading in ("## 핵심 요약", "## 주요 내용", "## 배경", "## 일지", "## 주요 수치",
                    "## 정책 대안 및 입장", "## 출처"):
        assert heading in markdown
    for english in ("## Bottom line", "## Key points", "## Sources", "line 3", "year not stated", "unknown"):
        assert english not in markdown
    assert "2024년 9월 2일" in markdown
    assert "2 September 2024" not in markdown
    assert "9월 2일 (연도 미상)" in markdown and "8월 28일 (연도 미상)" in markdown
    notice = markdown.split("## 핵심 요약")[0]
    assert "번역 안내" in notice and "번역하지 않은 원문" in notice
    assert "briefing models pull translate-en-ko" in notice
    # The point text is shown as written: English, untouched.
    assert FIRST in markdown
    assert md_escape(C_LONG.quote) in markdown


def test_korean_brief_never_claims_a_translation():
    brief = make_brief()
    markdown = render_markdown(brief, "ko", untranslated(brief))
    assert "번역 안내" in markdown
    assert "검토 필요" not in markdown  # no translated sentence to check
    # Every point's text appears exactly as the English source sentence.
    for point in all_points(brief):
        assert md_escape(point.text) in markdown


def test_korean_points_need_no_notice():
    brief = make_brief()
    translations = {t.source: t for t in NoTranslator().translate([p.text for p in all_points(brief)], "ko", "ko")}
    markdown = render_markdown(brief, "ko", translations)
    assert "번역 안내" not in markdown


def test_render_is_deterministic(language):
    brief = make_brief()
    translations = untranslated(brief) if language == "ko" else None
    assert render_markdown(brief, language, translations) == render_markdown(make_brief(), language, translations)


def test_render_json_is_the_structured_brief():
    brief = make_brief()
    data = json.loads(render_json(brief, {"ko": untranslated(brief)}))
    assert data["date"] == "2024-09-02"
    assert data["stories"][0]["bottom_line"][0]["citations"][1] == {
        "file": "in/b.txt", "line_start": 5, "line_end": 6, "quote": C_OTHER.quote,
    }
    assert [s["path"] for s in data["sources"]] == ["in/a.txt", "in/b.txt", "in/c.txt", "in/d.txt"]
    assert all(t["translated"] is False for t in data["translations"]["ko"])
    assert {t["source"] for t in data["translations"]["ko"]} == {p.text for p in all_points(brief)}
    assert render_json(brief, {}) == render_json(make_brief(), {})


def test_empty_sections_are_left_out_and_the_rest_numbered_in_order():
    """A story with only a bottom line and figures: two numbered headings, no placeholders."""
    brief = make_brief()
    lead = brief.stories[0]
    lead.key_points, lead.background, lead.timeline, lead.positions = [], [], [], []
    other = Story("story-2", "Second story", ["c", "d"], [], None, bottom_line=[Point(C_LONG.quote, [C_LONG], article_ids=["c"])])
    brief.stories.append(other)
    for language, figures in (("en", "Key figures"), ("ko", "주요 수치")):
        markdown = render_markdown(brief, language, untranslated(brief) if language == "ko" else None)
        assert re.search(r"^### 1\.2 " + figures + "$", markdown, re.M), markdown
        assert not re.search(r"^### 1\.3 ", markdown, re.M)
        assert re.search(r"^### 2\.1 ", markdown, re.M) and not re.search(r"^### 2\.2 ", markdown, re.M)
        assert not re.search(r"^_.*_$", markdown, re.M), "no placeholder line"


def test_labels_of_another_script_stay_out_of_the_english_brief():
    """A Korean figure and a Korean actor on a Korean statement: neither label is shown in
    the English brief; an English alternate actor is."""
    korean = Citation("in/k.txt", 2, 2, "경찰청은 신고가 88건 접수됐다고 밝혔다.")
    statement = Point(korean.quote, [korean], language="ko", article_ids=["k"])
    named = Point("경찰청장은 수사를 촉구했다.", [korean], language="ko", article_ids=["k"],
                  alternates={"en": "The police chief called for an inquiry."})
    brief = make_brief()
    story = brief.stories[0]
    story.figures = [Figure("88건", "신고", [korean])]
    story.positions = [Position("경찰청", statement), Position("경찰청장", named, {"en": "The police chief"})]
    english = render_markdown(brief, "en")
    assert "| 88건 |" not in english and "**경찰청" not in english
    assert "**The police chief**: The police chief called for an inquiry." in english
    korean_brief = render_markdown(brief, "ko", untranslated(brief))
    assert "| 88건 | 신고 |" in korean_brief and "**경찰청**:" in korean_brief
