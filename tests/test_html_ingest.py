"""HTML pages read through trafilatura, with exact line citations, and dates that say where they
were read (issue 9: metadata read from what pages state).

Every page here is written at test time from a few invented sentences.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import briefing.ingest.webpage
from briefing.ingest.folder import article_from_text, ingest_file, ingest_folder
from briefing.ingest.sources import read_source
from briefing.pipeline import RunOptions, run
from briefing.review.check import review_file

BODY = [
    "The harbour bridge reopened to traffic on Thursday after eight months of repairs\n"
    "that cost the city 42 million dollars, officials said.\n"
    "The works replaced the deck and two of the four cables.",
    "Mayor Dana Whitfield said the bridge would carry about 30,000 vehicles a day, and that tolls would\n"
    "stay at their old level until the end of next year.",
    "Engineers had found corrosion in the <b>northern</b> cables in March, and closed the bridge\n"
    "in April. A ferry service ran in the meantime.",
]
NAV = ["Home", "World", "Business", "Sport"]
ASIDE = "Local team wins the cup final in extra time after a late penalty"
FOOTER = ["Contact the newsroom at any hour of the day or night for tips.", "Subscribe to our newsletter for free updates"]


def news_page(
    title: str = "Harbour bridge reopens after repairs",
    outlet: str | None = "The Riverside Courier",
    published: str | None = "2026-11-27T08:30:00+09:00",
    author: str | None = "Alex Morgan",
    json_ld: bool = True,
    og: bool = True,
    paragraphs: list[str] = BODY,
) -> str:
    """A news page: navigation, an article with a share widget in it, an aside and a footer."""
    head = ['<meta charset="utf-8">', f"<title>{html.escape(title)}{' | ' + outlet if outlet else ''}</title>"]
    if og and outlet:
        head.append(f'<meta property="og:site_name" content="{html.escape(outlet)}">')
    if og and published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    if og and author:
        head.append(f'<meta name="author" content="{author}">')
    if json_ld:
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title}
        if published:
            data["datePublished"] = published
        if author:
            data["author"] = {"@type": "Person", "name": author}
        if outlet:
            data["publisher"] = {"@type": "Organization", "name": outlet}
        head.append(f'<script type="application/ld+json">\n{json.dumps(data, indent=1)}\n</script>')
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)
    body = [f"<p>{p}</p>" for p in paragraphs]
    body.insert(2, '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>')
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", *head, "</head>", "<body>",
        f"<header><nav><ul>{nav}</ul></nav></header>",
        "<main>", "<article>", f"<h1>{html.escape(title)}</h1>",
        *(['<p class="byline">By ' + author + "</p>"] if author else []),
        *body, "</article>", "</main>",
        f'<aside><h3>Most read</h3><ul><li><a href="/a">{ASIDE}</a></li></ul></aside>',
        "<footer>" + "".join(f"<p>{f}</p>" for f in FOOTER) + "</footer>",
        "</body>", "</html>",
    ])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def visible(line: str) -> str:
    """A raw page line's text: tags removed, entities read, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", line))).strip()


def assert_cited_lines_hold(path: Path, article) -> None:
    """Each sentence's words are on the lines it cites, and the re-read lines contain it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    source = read_source(path)
    for sentence in article.sentences:
        cited = " ".join(visible(line) for line in lines[sentence.line_start - 1 : sentence.line_end])
        assert re.sub(r"\s+", "", sentence.text) in re.sub(r"\s+", "", cited), (sentence, cited)
        assert sentence.text in source.text_between(sentence.line_start, sentence.line_end)


def test_markup_metadata_is_read(tmp_path):
    path = write(tmp_path / "bridge.html", news_page())
    article = ingest_file(path)
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.outlet == "The Riverside Courier"
    assert article.published == "2026-11-27"
    assert article.date_source == "page"
    assert article.byline == "Alex Morgan"


def test_json_ld_alone_gives_outlet_date_and_author(tmp_path):
    page = news_page(outlet="Northern Ledger", published="2025-03-04T10:00:00Z", author="Sam Rivera", og=False)
    assert "og:site_name" not in page and "article:published_time" not in page
    article = ingest_file(write(tmp_path / "ld.html", page))
    assert (article.outlet, article.published, article.byline) == ("Northern Ledger", "2025-03-04", "Sam Rivera")


def test_open_graph_alone_gives_outlet_and_date(tmp_path):
    page = news_page(outlet="Coastline Times", published="2024-07-19T06:00:00+00:00", json_ld=False)
    article = ingest_file(write(tmp_path / "og.html", page))
    assert (article.outlet, article.published) == ("Coastline Times", "2024-07-19")


def test_a_page_that_states_no_date_has_none(tmp_path):
    article = ingest_file(write(tmp_path / "undated.html", news_page(published=None)))
    assert article.published is None and article.date_source is None


def test_page_furniture_is_not_article_text(tmp_path):
    path = write(tmp_path / "bridge.html", news_page())
    article = ingest_file(path)
    texts = " ".join(s.text for s in article.sentences)
    for furniture in [*NAV, ASIDE, *FOOTER, "Share on Facebook", "Tweet", "Most read", "By Alex Morgan"]:
        assert furniture not in texts, furniture
    assert "Harbour bridge reopens" not in texts  # the headline is the title, not a sentence
    assert [s.text for s in article.sentences][:3] == [
        "The harbour bridge reopened to traffic on Thursday after eight months of repairs that cost the city "
        "42 million dollars, officials said.",
        "The works replaced the deck and two of the four cables.",
        "Mayor Dana Whitfield said the bridge would carry about 30,000 vehicles a day, and that tolls would "
        "stay at their old level until the end of next year.",
    ]
    assert "Engineers had found corrosion in the northern cables in March, and closed the bridge in April." in [
        s.text for s in article.sentences
    ]


def test_sentences_cite_the_exact_lines_they_are_on(tmp_path):
    path = write(tmp_path / "bridge.html", news_page())
    article = ingest_file(path)
    assert len(article.sentences) == 5
    assert_cited_lines_hold(path, article)
    lines = path.read_text(encoding="utf-8").split("\n")
    works = next(s for s in article.sentences if s.text.startswith("The works"))
    assert works.line_start == works.line_end  # the third line of its <p>, that line only
    assert lines[works.line_start - 1].startswith("The works replaced")


def test_paragraphs_written_as_divs_are_read_with_their_lines(tmp_path):
    sentences = [
        "The regional rail line will add four trains an hour from March, the transport authority said.",
        "The operator expects the change to cut waiting times on the busiest stretch by a third.",
        "Passenger groups welcomed the plan but asked for later trains on weekend nights.",
    ]
    page = (
        "<html><head><title>Rail line adds trains</title>"
        '<meta property="og:site_name" content="Valley Daily Review"></head>\n<body>\n'
        '<div class="menu"><a href="/">Home</a> <a href="/news">News</a></div>\n'
        f'<div class="story">\n<div>{sentences[0]}</div>\n<div>{sentences[1]}<br>\n{sentences[2]}</div>\n</div>\n'
        "</body></html>\n"
    )
    path = write(tmp_path / "divs.html", page)
    article = ingest_file(path)
    assert [s.text for s in article.sentences] == sentences
    assert [s.line_start for s in article.sentences] == [5, 6, 7]
    assert_cited_lines_hold(path, article)
    assert article.outlet == "Valley Daily Review"


def test_lists_quotes_and_tables_in_the_article_are_read_with_their_lines(tmp_path):
    page = "\n".join([
        "<html><head><title>Flood plan</title></head><body><article>",
        "<p>The council approved a flood plan on Monday after a long debate about its cost and timing.</p>",
        "<ul>", "<li>The plan raises the river wall by two metres along the old town.</li>",
        "<li>It adds three pumping stations before the winter storms arrive.</li>", "</ul>",
        "<blockquote>", "<p>We cannot wait for another flood to hit these streets again, the mayor said.</p>",
        "<p>Residents have waited for this decision for far too many years, she added.</p>", "</blockquote>",
        "<table><tr><td>The first phase will cost about 12 million euros in total.</td></tr></table>",
        "</article></body></html>",
    ])
    path = write(tmp_path / "plan.html", page)
    source = read_source(path)
    assert source.page is not None and not source.notes  # trafilatura's text, placed on lines
    article = ingest_file(path)
    assert [s.line_start for s in article.sentences] == [2, 4, 5, 8, 9, 11]
    assert_cited_lines_hold(path, article)


def test_a_korean_page_reads_its_outlet_and_date(tmp_path):
    paragraphs = [
        "시는 내년 3월부터 시내버스 노선 12개를 새로 운영한다고 27일 밝혔다.",
        "새 노선은 출퇴근 시간대 혼잡을 줄이기 위해 마련됐으며 하루 약 4만 명이 이용할 것으로 예상된다.",
        "시 관계자는 주민 의견을 반영해 정류장 위치를 일부 조정할 계획이라고 말했다.",
    ]
    page = news_page(title="시내버스 노선 12개 신설", outlet="가상일보", published="2026-11-27T09:00:00+09:00",
                     author="홍길동", paragraphs=paragraphs)
    path = write(tmp_path / "ko.html", page)
    article = ingest_file(path)
    assert (article.language, article.outlet, article.published, article.title) == (
        "ko", "가상일보", "2026-11-27", "시내버스 노선 12개 신설")
    assert [s.text for s in article.sentences] == paragraphs
    assert_cited_lines_hold(path, article)


def test_no_body_found_falls_back_to_the_built_in_rules_with_a_note(tmp_path):
    text = "The council approved the new flood barrier on Monday after a long debate about its cost."
    page = f"<html><body>\n<div class='comments'>\n<p>{text}</p>\n</div>\n</body></html>\n"
    folder = tmp_path / "in"
    write(folder / "short.html", page)
    assert briefing.ingest.webpage.read_page(page) is None  # trafilatura takes a comment section for no article
    result = ingest_folder(folder)
    [article] = result.articles
    assert [(s.text, s.line_start) for s in article.sentences] == [(text, 3)]
    [note] = result.warnings
    assert note.startswith("in/short.html: ") and "built-in HTML rules" in note and "\n" not in note


def test_fallback_reads_the_same_lines_as_before(tmp_path, monkeypatch):
    """Without trafilatura's body, the page is read by the built-in rules, still citing exact lines."""
    path = write(tmp_path / "bridge.html", news_page())
    monkeypatch.setattr(briefing.ingest.webpage, "read_page", lambda text: None)
    source = read_source(path)
    assert source.page is None and len(source.notes) == 1
    article = ingest_file(path)
    assert len(article.sentences) >= 5
    assert_cited_lines_hold(path, article)


def test_html_ingest_is_deterministic(tmp_path):
    path = write(tmp_path / "bridge.html", news_page())
    assert ingest_file(path) == ingest_file(path)


# --- where a date was read ----------------------------------------------------------------------

STORY = (
    "The harbour bridge reopened to traffic on Thursday after eight months of repairs, officials said.\n\n"
    "Mayor Dana Whitfield said the bridge would carry about 30,000 vehicles a day from next week.\n"
)


@pytest.mark.parametrize(
    ("stamp", "published"),
    [
        ("16 hours ago", "2026-11-21"),
        ("Updated 3 days ago", "2026-11-18"),
        ("yesterday", "2026-11-20"),
        ("By Jordan Lee | 2 days ago", "2026-11-19"),
        ("5시간 전", "2026-11-21"),
        ("an hour ago", "2026-11-21"),
        ("30 hours ago", "2026-11-20"),
    ],
)
def test_a_relative_stamp_is_counted_back_from_the_reference_day_and_marked(stamp, published, tmp_path):
    article = ingest_folder(_folder(tmp_path, f"Bridge reopens\n\n{stamp}\n\n{STORY}"), reference="2026-11-21").articles[0]
    assert (article.published, article.date_source) == (published, "relative")
    assert article.published_text in stamp and article.published_text.split()[0] in stamp
    assert all(stamp not in s.text for s in article.sentences)  # the stamp is not article text


def test_a_relative_stamp_without_a_reference_day_gives_no_date(tmp_path):
    article = ingest_folder(_folder(tmp_path, f"Bridge reopens\n\n16 hours ago\n\n{STORY}")).articles[0]
    assert article.published is None and article.date_source is None


def test_a_stated_date_wins_over_a_relative_stamp(tmp_path):
    text = f"Bridge reopens\n\nNovember 19, 2026\n\n16 hours ago\n\n{STORY}"
    article = ingest_folder(_folder(tmp_path, text), reference="2026-11-21").articles[0]
    assert (article.published, article.date_source) == ("2026-11-19", "page")


def test_months_ago_is_too_vague_to_date_a_page(tmp_path):
    article = ingest_folder(_folder(tmp_path, f"Bridge reopens\n\n3 months ago\n\n{STORY}"), reference="2026-11-21").articles[0]
    assert article.published is None


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("By The Valley Wire | Created at 2025-03-05 02:14:32 | Updated at 2025-03-05 18:23:50", "crawl"),
        ("Created at 2025-03-05 02:14:32", "crawl"),
        ("Published on 2025-03-05", "page"),
        ("By Jordan Lee | The Valley Wire | March 5, 2025", "byline"),
    ],
)
def test_where_a_stamped_date_was_read_is_kept(line, source):
    article = article_from_text(f"Bridge reopens\n\n{line}\n\n{STORY}", "a")
    assert (article.published, article.date_source) == ("2025-03-05", source)


def _folder(tmp_path: Path, text: str) -> Path:
    write(tmp_path / "in" / "story.txt", text)
    return tmp_path / "in"


# --- the brief ----------------------------------------------------------------------------------

DATE = "2026-11-21"


@pytest.fixture(scope="module")
def marked_brief(tmp_path_factory) -> tuple[Path, Path]:
    """A run over two HTML pages of one story, a relative-stamped and a crawl-stamped text file."""
    tmp = tmp_path_factory.mktemp("marked")
    folder = tmp / "in"
    write(folder / "courier.html", news_page(published="2026-11-19T08:30:00+09:00"))  # before the brief's day (issue 19)
    other = [
        "The harbour bridge reopened on Thursday after repairs costing 42 million dollars, the city said.",
        "Mayor Dana Whitfield said about 30,000 vehicles a day would use the bridge once it reopened.",
        "Engineers found corrosion in the northern cables in March and closed the bridge in April.",
    ]
    write(folder / "ledger.html", news_page(title="City bridge back open", outlet="Northern Ledger",
                                            published="2026-11-18T18:00:00Z", author="Sam Rivera",
                                            og=False, paragraphs=other))
    write(folder / "wire.txt", f"Bridge reopens to traffic\n\n16 hours ago\n\n{STORY}")
    write(folder / "crawl.txt", f"Bridge back open\n\nBy The Valley Wire | Created at 2026-11-20 02:14:32\n\n{STORY}")
    result = run(RunOptions(input_dir=folder, out_dir=tmp / "out", date=DATE, summariser="extractive", translator="none"))
    return folder, result.folder


def _rows(markdown: str) -> dict[str, list[str]]:
    """The Sources table's rows by file."""
    rows = {}
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells and cells[0].startswith("`in/"):
            rows[cells[0].strip("`")] = cells[1:]
    return rows


def test_sources_table_shows_outlet_date_title_and_marks(marked_brief):
    _, brief = marked_brief
    rows = _rows((brief / "brief.en.md").read_text(encoding="utf-8"))
    assert rows["in/courier.html"] == ["The Riverside Courier", "19 November 2026", "Harbour bridge reopens after repairs"]
    assert rows["in/ledger.html"] == ["Northern Ledger", "18 November 2026", "City bridge back open"]
    assert rows["in/wire.txt"][1] == "21 November 2026 (from '16 hours ago')"
    assert rows["in/crawl.txt"][:2] == ["The Valley Wire", "20 November 2026 (crawl date)"]
    korean = _rows((brief / "brief.ko.md").read_text(encoding="utf-8"))
    assert korean["in/wire.txt"][1] == "2026년 11월 21일 ('16 hours ago' 기준 추정)"
    assert korean["in/crawl.txt"][1] == "2026년 11월 20일 (수집일)"
    assert korean["in/courier.html"][1] == "2026년 11월 19일"


def test_brief_json_keeps_where_each_date_was_read(marked_brief):
    _, brief = marked_brief
    sources = {s["path"]: s for s in json.loads((brief / "brief.json").read_text(encoding="utf-8"))["sources"]}
    assert {p: (s["published"], s["date_source"]) for p, s in sources.items()} == {
        "in/courier.html": ("2026-11-19", "page"),
        "in/ledger.html": ("2026-11-18", "page"),
        "in/wire.txt": ("2026-11-21", "relative"),
        "in/crawl.txt": ("2026-11-20", "crawl"),
    }
    assert sources["in/wire.txt"]["published_text"] == "16 hours ago"


@pytest.mark.parametrize("language", ["en", "ko"])
def test_brief_over_html_pages_passes_review(marked_brief, language):
    folder, brief = marked_brief
    text = (brief / f"brief.{language}.md").read_text(encoding="utf-8")
    assert re.search(r"^\[\^\d+\]: `in/(?:courier|ledger)\.html`, (?:lines? )?\d", text, re.M)  # HTML lines are cited
    report = review_file(brief / f"brief.{language}.md", folder)
    assert report.ok, "\n".join(str(f) for f in report.errors)
    assert report.citations_checked > 0


def test_review_counts_a_relative_stamp_back_from_the_briefs_own_date(tmp_path):
    """A weekday in a page dated only "3 days ago" is dated in the timeline; review re-derives the
    page's date from the brief's date line and so checks that timeline date."""
    folder = tmp_path / "in"
    write(folder / "a.txt", f"Bridge reopens to traffic\n\n16 hours ago\n\n{STORY}")
    write(folder / "b.txt", "Bridge open again\n\n3 days ago\n\n"
          "The harbour bridge opened again on Thursday after eight months of repair works, the city said.\n\n"
          "The mayor said about 30,000 vehicles a day would cross the bridge from next week.\n")
    brief = run(RunOptions(input_dir=folder, out_dir=tmp_path / "out", date=DATE, summariser="extractive",
                           translator="none")).folder
    text = (brief / "brief.en.md").read_text(encoding="utf-8")
    assert "**12 November 2026**" in text and "**19 November 2026**" in text  # Thursdays before 18 and 21 Nov
    for language in ("en", "ko"):
        report = review_file(brief / f"brief.{language}.md", folder)
        assert report.ok, "\n".join(str(f) for f in report.errors)
        assert not report.findings
