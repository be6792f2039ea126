"""Ingest: files of each kind and encoding -> articles with clean sentences, metadata and line spans."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from briefing.ingest import boilerplate
from briefing.ingest.folder import article_from_text, ingest_file, ingest_folder
from briefing.ingest.sources import read_source
from briefing.model import Article


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def raw_lines(path: Path, start: int, end: int) -> str:
    """The file's own lines start..end (1-based, inclusive), whitespace-collapsed."""
    lines = read_source(path)  # decodes the same way ingest does
    text = path.read_bytes().decode(lines.encoding)
    return flat(" ".join(text.lstrip("\ufeff").splitlines()[start - 1 : end]))


def assert_citations_resolve(article: Article, path: Path) -> None:
    source = read_source(path)
    assert article.sentences, "the article has sentences"
    for sentence in article.sentences:
        assert 1 <= sentence.line_start <= sentence.line_end
        assert sentence.text in source.text_between(sentence.line_start, sentence.line_end), sentence


def sentence_texts(article: Article) -> list[str]:
    return [s.text for s in article.sentences]


# --- plain text --------------------------------------------------------------------------------

WRAPPED = """\
Police open probe into messaging app

By Kim Min-ji

SEOUL, Sept. 2 -- South Korean police said on Monday they had opened a
preliminary investigation into the messaging app over deepfake sex crimes,
a first for the country's law enforcement. The probe follows weeks of
public anger over the spread of manipulated images of women and girls.

Officials said the investigation would take months. They declined to name
any executives of the company who could face charges in the case.
"""


def test_txt_hard_wrapped_paragraphs_keep_line_spans(tmp_path):
    path = write(tmp_path, "wrapped.txt", WRAPPED)
    article = ingest_file(path)
    texts = sentence_texts(article)
    assert texts == [
        "South Korean police said on Monday they had opened a preliminary investigation into the messaging "
        "app over deepfake sex crimes, a first for the country's law enforcement.",
        "The probe follows weeks of public anger over the spread of manipulated images of women and girls.",
        "Officials said the investigation would take months.",
        "They declined to name any executives of the company who could face charges in the case.",
    ]
    spans = [(s.line_start, s.line_end) for s in article.sentences]
    assert spans == [(5, 7), (7, 8), (10, 10), (10, 11)]
    for sentence in article.sentences:
        assert sentence.text in raw_lines(path, sentence.line_start, sentence.line_end)
        # The span is tight: dropping its first or last line loses part of the sentence.
        if sentence.line_start < sentence.line_end:
            assert sentence.text not in raw_lines(path, sentence.line_start + 1, sentence.line_end)
            assert sentence.text not in raw_lines(path, sentence.line_start, sentence.line_end - 1)
    assert_citations_resolve(article, path)


def test_txt_title_byline_and_dateline(tmp_path):
    article = ingest_file(write(tmp_path, "wrapped.txt", WRAPPED))
    assert article.title == "Police open probe into messaging app"
    assert article.byline == "Kim Min-ji"
    assert article.published_text == "Sept. 2"
    assert article.published is None  # the year is not stated: never invented
    assert article.language == "en"
    assert not any("SEOUL" in t or "Kim Min-ji" in t for t in sentence_texts(article))


# --- Markdown ----------------------------------------------------------------------------------

MARKDOWN = """\
# Lawmakers propose tougher deepfake penalties

Lawmakers proposed a bill on Tuesday that would punish the **possession** of deepfake
sexual images, according to a [parliamentary notice](https://example.org/notice).

## Reactions

- Civic groups welcomed the proposal and urged a swift vote in parliament.
- The justice ministry said it would review the bill before the `next` session.

![A chart of reported cases](https://example.org/chart.png)
"""


def test_markdown_headings_links_and_emphasis(tmp_path):
    path = write(tmp_path, "notes.md", MARKDOWN)
    article = ingest_file(path)
    assert article.title == "Lawmakers propose tougher deepfake penalties"
    texts = sentence_texts(article)
    assert (
        "Lawmakers proposed a bill on Tuesday that would punish the possession of deepfake sexual images, "
        "according to a parliamentary notice."
    ) in texts
    assert "Civic groups welcomed the proposal and urged a swift vote in parliament." in texts
    assert "The justice ministry said it would review the bill before the next session." in texts
    joined = " ".join(texts)
    for markup in ("#", "**", "](", "https://", "`", "![", "- "):
        assert markup not in joined
    by_text = {s.text: s for s in article.sentences}
    assert by_text["Civic groups welcomed the proposal and urged a swift vote in parliament."].line_start == 8
    first = article.sentences[[s.text.startswith("Lawmakers proposed") for s in article.sentences].index(True)]
    assert (first.line_start, first.line_end) == (3, 4)
    assert_citations_resolve(article, path)


# --- HTML --------------------------------------------------------------------------------------

HTML = """\
<!DOCTYPE html>
<html>
<head>
<title>Regulator seeks cooperation | Example Daily</title>
<script>var tracking = "SECRET_TRACKER_TEXT";</script>
<style>.banner { color: red; }</style>
</head>
<body>
<nav><a href="/">Home</a> <a href="/world">World news menu</a></nav>
<header><p>Example Daily header banner with the site slogan.</p></header>
<article>
<h1>Regulator seeks cooperation from platforms</h1>
<p>The media regulator asked social media platforms to remove harmful deepfake content within 24 hours.</p>
<script>document.write("INLINE_SCRIPT_TEXT");</script>
<p>The commission said it would double its monitoring staff by the end of the year.</p>
<p>Officials said the &ldquo;hotline&rdquo; for victims would open on Sept. 10.</p>
<form><p>Subscribe to our newsletter form text.</p><button>Sign me up now</button></form>
</article>
<aside><p>Most read stories you might have missed today.</p></aside>
<footer><p>Footer text about the company and its many offices.</p></footer>
</body>
</html>
"""


def test_html_article_text_only(tmp_path):
    path = write(tmp_path, "page.html", HTML)
    article = ingest_file(path)
    texts = sentence_texts(article)
    assert article.title == "Regulator seeks cooperation from platforms"
    assert texts == [
        "The media regulator asked social media platforms to remove harmful deepfake content within 24 hours.",
        "The commission said it would double its monitoring staff by the end of the year.",
        "Officials said the “hotline” for victims would open on Sept. 10.",
    ]
    joined = " ".join(texts)
    for furniture in ("SECRET_TRACKER_TEXT", "INLINE_SCRIPT_TEXT", "color: red", "World news menu", "header banner",
                      "Most read", "Footer text", "Subscribe", "Sign me up", "<", ">", "&ldquo;"):
        assert furniture not in joined


def test_html_line_numbers_point_at_the_text(tmp_path):
    path = write(tmp_path, "page.html", HTML)
    article = ingest_file(path)
    lines = HTML.splitlines()
    for sentence in article.sentences:
        assert sentence.line_start == sentence.line_end
        # The cited line of the page holds the start of the sentence's own text.
        assert sentence.text.split()[0] + " " + sentence.text.split()[1] in lines[sentence.line_start - 1]
    assert_citations_resolve(article, path)


def test_html_sentence_on_a_later_line_of_a_paragraph_cites_that_line(tmp_path):
    page = (
        "<html><body><article>\n"
        "<p>The regulator met platform executives on Monday to discuss removal of deepfakes.\n"
        "Officials said a second meeting with the companies would follow in October.</p>\n"
        "</article></body></html>\n"
    )
    path = write(tmp_path, "wrapped.html", page)
    article = ingest_file(path)
    second = [s for s in article.sentences if s.text.startswith("Officials said")]
    assert second and (second[0].line_start, second[0].line_end) == (3, 3)


# --- encodings ---------------------------------------------------------------------------------

KOREAN = """\
경찰, 텔레그램 딥페이크 방조 혐의 내사 착수

경찰청 국가수사본부는 텔레그램에 대한 내사에 착수했다고 2일 밝혔다. 딥페이크 성범죄를 방조한 혐의다.

우종수 본부장은 "텔레그램 수사가 쉽지 않다"고 말했다. 경찰은 프랑스 당국과 협력할 계획일까?
"""

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le-bom": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "cp949": lambda text: text.encode("cp949"),
    "euc-kr": lambda text: text.encode("euc-kr"),
    "utf-8-crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_each_encoding_reads_the_same_korean_article(tmp_path, name):
    reference = ingest_file(write(tmp_path, "reference.txt", KOREAN))
    path = tmp_path / f"{name}.txt"
    path.write_bytes(ENCODINGS[name](KOREAN))
    article = ingest_file(path)
    assert article.language == "ko"
    assert [(s.text, s.line_start, s.line_end) for s in article.sentences] == [
        (s.text, s.line_start, s.line_end) for s in reference.sentences
    ]
    assert "경찰청 국가수사본부는 텔레그램에 대한 내사에 착수했다고 2일 밝혔다." in sentence_texts(article)
    assert "경찰은 프랑스 당국과 협력할 계획일까?" in sentence_texts(article)
    assert_citations_resolve(article, path)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_english_file(tmp_path, codec):
    path = tmp_path / "plain16.txt"
    path.write_bytes(WRAPPED.encode(codec))
    article = ingest_file(path)
    assert article.encoding == codec
    assert sentence_texts(article) == sentence_texts(ingest_file(write(tmp_path, "plain8.txt", WRAPPED)))


def test_korean_headline_is_the_title_not_furniture(tmp_path):
    article = ingest_file(write(tmp_path, "ko.txt", KOREAN))
    assert not boilerplate.is_boilerplate("경찰, 텔레그램 딥페이크 방조 혐의 내사 착수")
    assert article.title == "경찰, 텔레그램 딥페이크 방조 혐의 내사 착수"
    assert 1 not in article.boilerplate_lines


def test_all_capitals_wire_credit_is_still_furniture():
    assert boilerplate.is_boilerplate("THE KOREA HERALD/ ASIA NEWS NETWORK")


# --- boilerplate -------------------------------------------------------------------------------

NEWS = [
    "Police opened a preliminary investigation into the messaging platform on Monday.",
    "Investigators said the platform had not answered requests for account data.",
    "The national police agency received 88 reports of deepfake crimes in four days.",
    "Lawmakers are drafting a bill to punish the possession of deepfake images.",
    "Officials said cooperation with French authorities would continue this month.",
]
FURNITURE = [
    "Protesters urge a tougher police response at Cheonggye Plaza on Aug. 31. (Yonhap)",
    "Subscribe to our newsletter",
    "Join our Telegram channel for breaking updates",
    "Share on Facebook",
    "Follow us on X for more updates.",
    "Photo credit: Reuters",
    "Featured Image courtesy of Free Malaysia Today",
    "Views: 1,204",
    "Disclaimer: The views expressed are those of the author alone.",
    "Note: This article is based on the information provided and existing knowledge.",
    "Read Entire Article",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
]
AUTHOR_BIO = [
    "Jane Doe",
    "Jane Doe is a staff writer covering technology and crime in Seoul.",
    "She previously reported from Tokyo for five years and loves hiking.",
]


def furniture_page() -> str:
    blocks = [FURNITURE[0], NEWS[0], FURNITURE[1], NEWS[1], NEWS[2], FURNITURE[2], NEWS[3], NEWS[4]]
    blocks += FURNITURE[3:] + AUTHOR_BIO
    return "\n\n".join(blocks) + "\n"


@pytest.mark.parametrize("line", FURNITURE)
def test_each_furniture_line_is_boilerplate_on_its_own(line):
    assert boilerplate.is_boilerplate(line)


@pytest.mark.parametrize("line", NEWS + [
    "The police will follow up on the reports in the coming weeks.",
    "Telegram does not share account information with investigators.",
    "Reporters who follow the case say the subscriber data is key.",
    "She said the AP report on the views of voters was accurate.",
])
def test_news_sentences_are_not_boilerplate(line):
    assert not boilerplate.is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "Save the Children said the figures were alarming.",
    "Email records show the suspect ran three chatrooms.",
    "Print and broadcast media were barred from the hearing.",
    "Kim, who was a journalist for a decade, said the law came too late.",
    "Lee said the film, courtesy of a donor, was restored.",
])
def test_news_sentences_that_look_like_furniture_are_not_boilerplate(line):
    assert not boilerplate.is_boilerplate(line)


def test_a_paragraph_ending_with_a_photo_note_is_not_a_caption(tmp_path):
    # One-paragraph articles (as in CNN/DailyMail) may end with "(above file photo ...)".
    text = " ".join(NEWS) + " (above file photo of the plaza)\n"
    article = ingest_file(write(tmp_path, "one-paragraph.txt", text))
    assert sentence_texts(article) == NEWS


def test_boilerplate_never_becomes_a_sentence(tmp_path):
    path = write(tmp_path, "furniture.txt", furniture_page())
    article = ingest_file(path)
    assert sentence_texts(article) == NEWS
    joined = " ".join(sentence_texts(article))
    for line in FURNITURE + AUTHOR_BIO:
        assert line not in joined
    for word in ("Yonhap", "Subscribe", "Follow us", "channel", "Share", "credit", "courtesy", "Views",
                 "Disclaimer", "Note:", "Read Entire", "Leave a Reply", "email address", "Jane Doe", "Tokyo"):
        assert word not in joined
    # The removed lines are recorded, and they are exactly the furniture's lines.
    lines = path.read_text(encoding="utf-8").splitlines()
    furniture_lines = [i for i, text in enumerate(lines, start=1) if text in FURNITURE + AUTHOR_BIO]
    assert article.boilerplate_lines == furniture_lines
    assert_citations_resolve(article, path)


def test_furniture_sentence_glued_to_a_paragraph_drops_only_itself(tmp_path):
    text = (
        "Police opened a preliminary investigation into the messaging platform on Monday. "
        "Follow us on Telegram for the latest updates.\n\n"
        "Officials said cooperation with French authorities would continue this month.\n"
    )
    article = ingest_file(write(tmp_path, "inline.txt", text))
    assert sentence_texts(article) == [NEWS[0], NEWS[4]]


def test_early_follow_us_line_does_not_cut_the_article(tmp_path):
    blocks = ["Follow us on X for more updates."] + NEWS
    article = ingest_file(write(tmp_path, "early.txt", "\n\n".join(blocks) + "\n"))
    assert sentence_texts(article) == NEWS


# --- metadata ----------------------------------------------------------------------------------

BODY = "\n\n".join(NEWS) + "\n"


@pytest.mark.parametrize(
    "header, field, value",
    [
        ("date 2024-09-02 People hold a joint protest at the plaza on Aug. 31. (Yonhap)", "published", "2024-09-02"),
        ("By The Straits Times | Created at 2025-03-05 02:14:32 | Updated at 2025-03-05 18:23:50",
         "published", "2025-03-05"),
        ("By The Straits Times | Created at 2025-03-05 02:14:32 | Updated at 2025-03-05 18:23:50",
         "outlet", "The Straits Times"),
        ("DMR News\n\nInvestigation launched into the messaging app\n\nByYasmeeta Oon\n\nSep 4, 2024",
         "published", "2024-09-04"),
        ("DMR News\n\nInvestigation launched into the messaging app\n\nByYasmeeta Oon\n\nSep 4, 2024",
         "outlet", "DMR News"),
        ("DMR News\n\nInvestigation launched into the messaging app\n\nByYasmeeta Oon\n\nSep 4, 2024",
         "byline", "Yasmeeta Oon"),
        ("DMR News\n\nInvestigation launched into the messaging app\n\nByYasmeeta Oon\n\nSep 4, 2024",
         "title", "Investigation launched into the messaging app"),
        ("2024년 9월 2일", "published", "2024-09-02"),
    ],
)
def test_metadata_from_the_page(tmp_path, header, field, value):
    article = ingest_file(write(tmp_path, "meta.txt", header + "\n\n" + BODY))
    assert getattr(article, field) == value
    # Metadata lines are not article sentences.
    assert sentence_texts(article) == NEWS


def test_dateline_date_with_year(tmp_path):
    text = "SEOUL, Sept. 2, 2024 -- " + BODY
    article = ingest_file(write(tmp_path, "dateline.txt", text))
    assert article.published == "2024-09-02"
    assert article.sentences[0].text == NEWS[0]


def test_dateline_without_year_keeps_the_text_only(tmp_path):
    text = "SEOUL, September 2 — " + BODY
    article = ingest_file(write(tmp_path, "dateline.txt", text))
    assert article.published is None
    assert article.published_text == "September 2"
    assert article.sentences[0].text == NEWS[0]


def test_wire_dateline_with_credit_after_the_date(tmp_path):
    article = ingest_file(write(tmp_path, "wire.txt", "SEOUL, Sept. 2 (Yonhap) -- " + BODY))
    assert article.published_text == "Sept. 2"
    assert article.sentences[0].text == NEWS[0]


def test_unknown_metadata_stays_none(tmp_path):
    text = (
        "Lee told The Korea Herald that tougher penalties were needed for deepfake crimes.\n\n"
        "Police said on Monday that they had opened a probe into the messaging app.\n"
    )
    article = ingest_file(write(tmp_path, "bare.txt", text))
    assert article.title is None
    assert article.outlet is None  # a quoted outlet is not the page's outlet
    assert article.published is None
    assert article.published_text is None
    assert article.byline is None


# --- bad files, duplicates, ids ----------------------------------------------------------------


def test_bad_files_are_skipped_with_a_warning_naming_them(tmp_path):
    folder = tmp_path / "in"
    write(folder, "good.txt", BODY)
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "empty.md").write_bytes(b"")
    (folder / "blank.html").write_bytes(b"  \n\n \t\n")
    (folder / "latin1.txt").write_bytes("café au lait, déjà vu, naïve".encode("latin-1"))
    write(folder, "furniture_only.txt", "Share on Facebook\n\nSubscribe to our newsletter\n")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")  # not an article type: not listed
    (folder / ".hidden.txt").write_text(BODY)

    result = ingest_folder(folder)
    assert [a.path for a in result.articles] == ["in/good.txt"]
    assert sentence_texts(result.articles[0]) == NEWS
    skipped = {s.path: s.reason for s in result.skipped}
    assert set(skipped) == {"in/binary.txt", "in/empty.md", "in/blank.html", "in/latin1.txt", "in/furniture_only.txt"}
    assert "binary" in skipped["in/binary.txt"]
    assert "empty" in skipped["in/empty.md"]
    assert "empty" in skipped["in/blank.html"]
    assert "UTF-8" in skipped["in/latin1.txt"]
    assert len(result.warnings) == 5
    for warning in result.warnings:
        assert "\n" not in warning
        assert any(name in warning for name in skipped)


def test_duplicate_files_are_skipped_as_duplicates(tmp_path):
    folder = tmp_path / "in"
    write(folder, "a_first.txt", BODY)
    write(folder, "b_copy.txt", BODY)
    write(folder, "c_other.txt", WRAPPED)
    result = ingest_folder(folder)
    assert [a.path for a in result.articles] == ["in/a_first.txt", "in/c_other.txt"]
    assert [(s.path, s.reason) for s in result.skipped] == [("in/b_copy.txt", "duplicate of in/a_first.txt")]
    assert result.warnings == ["skipped in/b_copy.txt: duplicate of in/a_first.txt"]


def test_same_text_in_another_encoding_is_the_same_article(tmp_path):
    """Not a byte duplicate, but decoded to the same text: one source (issue 19 counts copies once)."""
    folder = tmp_path / "in"
    write(folder, "ko_utf8.txt", KOREAN)
    write(folder, "ko_cp949.txt", KOREAN, "cp949")
    result = ingest_folder(folder)
    assert [a.encoding for a in result.articles] == ["cp949"]
    assert [(s.path, s.reason) for s in result.skipped] == [
        ("in/ko_utf8.txt", "duplicate of in/ko_cp949.txt (the same text up to line ends and spaces)")]


def test_ids_are_unique_and_paths_relative(tmp_path):
    folder = tmp_path / "in"
    write(folder, "story.txt", BODY)
    write(folder, "story.md", MARKDOWN)
    write(folder, "story.html", HTML)
    write(folder, "sub/story.txt", WRAPPED)
    result = ingest_folder(folder)
    assert len(result.articles) == 4
    ids = [a.id for a in result.articles]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("story") for i in ids)
    assert sorted(a.path for a in result.articles) == ["in/story.html", "in/story.md", "in/story.txt", "in/sub/story.txt"]
    for article in result.articles:
        assert_citations_resolve(article, tmp_path / article.path)


def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        ingest_folder(tmp_path / "nope")


def test_ingest_is_deterministic(tmp_path):
    folder = tmp_path / "in"
    write(folder, "one.txt", WRAPPED)
    write(folder, "two.md", MARKDOWN)
    write(folder, "three.html", HTML)
    assert ingest_folder(folder) == ingest_folder(folder)


# --- the real seeds ----------------------------------------------------------------------------

SEED_FURNITURE = [
    "(Yonhap)", "Follow us", "Leave a Reply", "Views:", "Read Entire Article", "Featured Image", "Just a girl",
    "Your email address", "Join ST's Telegram channel", "stay tuned", "do not necessarily reflect",
    "ByYasmeeta", "Created at",
]


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return ingest_folder(seeds_dir)


def test_seeds_all_read(seeds, seeds_dir):
    assert seeds.skipped == []
    assert len(seeds.articles) == len(list(seeds_dir.glob("*.txt")))


def test_seed_sentences_are_never_boilerplate(seeds):
    for article in seeds.articles:
        for sentence in article.sentences:
            assert not boilerplate.is_boilerplate(sentence.text), (article.path, sentence.text)
            for furniture in SEED_FURNITURE:
                assert furniture not in sentence.text, (article.path, sentence.text)


def test_seed_sentences_are_in_their_cited_lines(seeds, seeds_dir):
    for article in seeds.articles:
        path = seeds_dir.parent / article.path
        assert path.is_file()
        assert_citations_resolve(article, path)
        for sentence in article.sentences:
            assert flat(sentence.text) in raw_lines(path, sentence.line_start, sentence.line_end)


def test_seed_metadata_is_what_the_pages_state(seeds):
    by_name = {Path(a.path).name[:3]: a for a in seeds.articles}
    assert by_name["000"].published == "2024-09-02"  # "date 2024-09-02 ..." on its first line
    assert by_name["001"].published is None and by_name["001"].published_text == "September 2"  # no year
    assert by_name["002"].published == "2024-09-04" and by_name["002"].outlet == "DMR News"
    assert by_name["003"].published == "2025-03-05" and by_name["003"].outlet == "The Straits Times"
    assert by_name["004"].published is None and by_name["004"].published_text is None  # states no date
    assert by_name["004"].outlet is None


def test_a_long_block_mentioning_follow_us_is_not_page_furniture():
    """An article run together on one line keeps its text even when it mentions a tail marker."""
    sentences = [f"The council approved plan number {k} for the river district on Monday." for k in range(40)]
    sentences[30] = "Residents who follow us on the radio heard the vote live."
    article = article_from_text("Council vote\n\n" + " ".join(sentences), "a", "a.txt")
    assert len([s for s in article.sentences if not s.is_fragment]) >= 35


def test_html_entities_left_in_plain_text_read_as_characters(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Retail results\n\n마크스&amp;스펜서 said sales at Marks &amp; Spencer rose 5% in the spring quarter.\n", encoding="utf-8")
    article = ingest_file(path)
    text = " ".join(s.text for s in article.sentences)
    assert "Marks & Spencer" in text and "마크스&스펜서" in text and "&amp;" not in text
