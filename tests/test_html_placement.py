"""trafilatura's paragraphs placed on the page's own lines (issue 22): the page shapes that lost
whole articles, repeated cells, containers beside their paragraphs, a Korean EUC-KR page, and the
built-in rules' fallback. Every page is written here from invented sentences; each citation is
checked against the exact line its words are on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import briefing.ingest.webpage
from briefing.ingest import boilerplate
from briefing.ingest.folder import article_from_text, ingest_file, ingest_folder
from briefing.ingest.placement import place
from briefing.ingest.sources import read_source
from tests.test_html_ingest import assert_cited_lines_hold, write

LEDE = "The city council voted on Tuesday to build a new bridge over the river, officials said."
COST = "The bridge will cost about 40 million euros and open in three years."
ASKED = "Residents of the eastern district had asked for a crossing for more than a decade."
CAPTION = "The old ferry landing, which the bridge will replace."
START = "Construction is to start in the spring after a final review of the plans by the state."


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def line_holding(path: Path, text: str, encoding: str = "utf-8") -> int:
    """The 1-based line of the file that holds `text` (it is written on one line)."""
    [number] = [n for n, line in enumerate(path.read_text(encoding=encoding).split("\n"), start=1) if text in line]
    return number


def cited(article, text: str):
    [sentence] = [s for s in article.sentences if s.text == text]
    return sentence.line_start, sentence.line_end


def test_loose_br_text_beside_child_divs_and_photo_tables_is_read_line_by_line(tmp_path):
    """An articleBody <div> of loose text and <br>s that also holds a photo <div> and a <table>:
    once skipped as 'no article text left', or read by the built-in rules as the site's menu."""
    page = "\n".join([
        "<html><head><title>Council approves bridge</title>",
        '<meta property="og:site_name" content="Valley Daily Review"></head><body>',
        '<div class="menu"><a href="/">Home</a> | <a href="/w">World</a> | <a href="/s">Sport</a></div>',
        '<div itemprop="articleBody" class="post-body">',
        f"{LEDE}<br>",
        f"{COST}<br><br>",
        '<div class="photo"><img src="a.jpg"></div>',
        f"{ASKED}<br>",
        f'<table class="pic"><tr><td><img src="b.jpg"></td></tr><tr><td>{CAPTION}</td></tr></table>',
        f"{START}<br>",
        "</div>",
        '<div class="footer">Contact | Imprint</div>',
        "</body></html>",
    ])
    folder = tmp_path / "in"
    path = write(folder / "bridge.html", page)
    result = ingest_folder(folder)
    assert not result.skipped and not result.notes  # trafilatura's text, placed; no fallback
    [article] = result.articles
    texts = [s.text for s in article.sentences]
    assert texts == [LEDE, COST, ASKED, CAPTION, START]
    for text in texts:
        line = line_holding(path, text)
        assert cited(article, text) == (line, line)
    assert not {"Home", "World", "Contact", "Imprint"} & set(" ".join(texts).split())
    assert_cited_lines_hold(path, article)


def test_text_nodes_of_a_mixed_container_count(tmp_path):
    """Loose text before, between and after a container's paragraphs is read, each once."""
    intro = "The harbour authority approved a new ferry terminal for the eastern district on Monday."
    first = "Construction of the terminal is expected to cost 40 million dollars over three years."
    between = "Local shop owners welcomed the decision and said it would bring more visitors."
    second = "Environmental groups asked for a study of the effects on the nearby wetlands."
    after = "The first ferries are scheduled to use the terminal in the spring of next year."
    page = "\n".join([
        "<html><head><title>Ferry terminal approved</title></head><body><article>",
        '<div class="story">',
        intro,
        f"<p>{first}</p>",
        between,
        f"<div><p>{second}</p></div>",
        after,
        "</div>",
        "</article></body></html>",
    ])
    path = write(tmp_path / "ferry.html", page)
    article = ingest_file(path)
    texts = [s.text for s in article.sentences]
    assert texts == [intro, first, between, second, after]  # each once: no container beside its paragraphs
    assert [s.line_start for s in article.sentences] == [3, 4, 5, 6, 7]
    assert_cited_lines_hold(path, article)


def test_a_table_with_repeated_cells_keeps_every_row(tmp_path):
    """A results table repeats values ("0", a team's name): every cell stays, on its own line."""
    rows = [("Northport", "3", "0"), ("Eastfield", "0", "0"), ("Northport", "1", "0"), ("Westbay", "0", "2")]
    page = "\n".join([
        "<html><head><title>League results</title></head><body><article>",
        "<h1>League results</h1>",
        "<p>The regional football league played its fourth round on Saturday in front of large crowds.</p>",
        "<table>",
        *[f"<tr><td>{team}</td><td>{home}</td><td>{away}</td></tr>" for team, home, away in rows],
        "</table>",
        "<p>The next round is to be played on Saturday, the league said in a statement.</p>",
        "</article></body></html>",
    ])
    path = write(tmp_path / "league.html", page)
    source = read_source(path)
    cells = [(b.text, b.line_start) for b in source.blocks if b.text in {"Northport", "Eastfield", "Westbay", "0", "1", "2", "3"}]
    assert cells == [(cell, 5 + r) for r, row in enumerate(rows) for cell in row]
    article = ingest_file(path)
    kept = [(s.text, s.line_start) for s in article.sentences]
    assert [c for c in kept if c[0] == "Northport"] == [("Northport", 5), ("Northport", 7)]
    assert sum(text == "0" for text, _ in kept) == 5
    assert_cited_lines_hold(path, article)


def test_repeated_list_items_are_kept_and_header_footer_furniture_is_not():
    """A list that repeats an item is the article's; a line in both header and footer is furniture."""
    text = "\n\n".join([
        "Home | World | Sport",
        "Grandmother's almond biscuits are baked twice, which keeps them crisp for weeks.",
        "1 cup of flour", "1 cup of sugar", "1 cup of flour",
        "Bake the dough for twenty minutes until it turns golden brown at the edges.",
        "Home | World | Sport",
    ])
    article = article_from_text(text, "recipe")
    texts = [s.text for s in article.sentences]
    assert texts.count("1 cup of flour") == 2
    assert "Home | World | Sport" not in texts
    assert [s.line_start for s in article.sentences if s.text == "1 cup of flour"] == [5, 9]


def test_repeated_furniture_rule():
    texts = ["Menu", "A long enough statement of the article that is prose, said the mayor on Friday.", "0", "0",
             "The second statement of the article is here, and it is prose too, the mayor said.", "Menu"]
    prose = [False, True, False, False, True, False]
    assert boilerplate.repeated_furniture(texts, prose) == {0, 5}
    headline = ["Bridge reopens", "By Jane Doe", "Bridge reopens", texts[1], "0", "0", texts[4]]
    assert boilerplate.repeated_furniture(headline, [False, False, False, True, False, False, True]) == {2}
    assert boilerplate.repeated_furniture(["0", "0", "1"], [False] * 3) == set()  # a page of a table only
    teaser = "The council approved the new flood barrier on Monday after a long debate about its cost and its timing."
    assert boilerplate.repeated_furniture([teaser, "Other text.", teaser], [True, False, True]) == {2}


def test_a_korean_euc_kr_page_is_read_with_exact_lines(tmp_path):
    sentences = [
        "시는 내년 3월부터 시내버스 노선 12개를 새로 운영한다고 27일 밝혔다.",
        "새 노선은 출퇴근 시간대 혼잡을 줄이기 위해 마련됐으며 하루 약 4만 명이 이용할 것으로 예상된다.",
        "시 관계자는 주민 의견을 반영해 정류장 위치를 일부 조정할 계획이라고 말했다.",
        "똠방각하 거리의 정류장은 다음 달 옮겨진다고 시는 덧붙였다.",  # 똠: CP949, not EUC-KR
    ]
    page = "\n".join([
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">',
        "<title>시내버스 노선 12개 신설</title>",
        '<meta property="og:site_name" content="가상일보"></head><body>',
        '<div class="gnb"><a href="/">홈</a> <a href="/n">뉴스</a></div>',
        '<div id="articleBody" itemprop="articleBody">',
        f"{sentences[0]}<br>",
        f"{sentences[1]}<br>",
        '<table><tr><td><img src="bus.jpg"></td></tr></table>',
        f"{sentences[2]}<br>",
        f"{sentences[3]}<br>",
        "</div>", "</body></html>",
    ])
    path = tmp_path / "bus.html"
    path.write_bytes(page.encode("cp949"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    article = ingest_file(path)
    assert (article.language, article.outlet, article.encoding) == ("ko", "가상일보", "cp949")
    # trafilatura keeps this small page's two-link menu, as a fragment that no point is made of
    statements = [s for s in article.sentences if not s.is_fragment]
    assert [s.text for s in statements] == sentences
    assert [(s.line_start, s.line_end) for s in statements] == [(6, 6), (7, 7), (9, 9), (10, 10)]


def test_a_paragraph_the_page_does_not_hold_exactly_is_placed_on_its_lines_never_dropped():
    page = "\n".join([
        "<html><body>",
        "<p>The new line will carry forty thousand passengers a day",
        '<span class="ad">ADVERTISEMENT</span>',
        "once the last four stations open next spring, the operator said.</p>",
        "<p>Tickets will cost the same as on the other lines of the network.</p>",
        '<img alt="A picture of the new trains standing at the depot">',
        "</body></html>",
    ])
    joined = ("The new line will carry forty thousand passengers a day once the last four stations open next "
              "spring, the operator said.")
    paragraphs = [joined, "Tickets will cost the same as on the other lines of the network.",
                  "A picture of the new trains standing at the depot", "Text that is on no line of this page at all."]
    blocks = place(paragraphs, page)
    assert [b.text for b in blocks] == paragraphs  # all four kept, in order, with the extractor's text
    assert [(b.line_start, b.line_end) for b in blocks] == [(2, 4), (5, 5), (6, 6), (6, 6)]
    assert blocks[0].line_at(joined.index("once")) == 4  # the second half cites its own line


def test_the_built_in_rules_do_not_read_menus_as_the_article(tmp_path, monkeypatch):
    """When trafilatura finds nothing, the rules leave out menus and link lists named as such."""
    body = "The council approved the new flood barrier on Monday after a long debate about its cost."
    page = "\n".join([
        "<html><head><title>Flood barrier</title></head><body>",
        '<div id="menu-main"><ul><li><a href="/mac">New Macs</a></li><li><a href="/ipad">iPads</a></li></ul></div>',
        '<div class="content"><ul><li><a href="/p">Price Guides</a></li><li><a href="/d">Deals</a></li></ul>',
        f"<p>{body}</p>",
        "<ul><li>The barrier is 2 kilometres long.</li></ul>",
        "</div>",
        '<div class="sidebar-right"><p>Most popular stories of the week</p></div>',
        "</body></html>",
    ])
    monkeypatch.setattr(briefing.ingest.webpage, "read_page", lambda text: None)
    path = write(tmp_path / "flood.html", page)
    article = ingest_file(path)
    assert [(s.text, s.line_start) for s in article.sentences] == [(body, 4), ("The barrier is 2 kilometres long.", 5)]
    assert article.title == "Flood barrier" or article.title is None


def test_a_skipped_page_says_why_and_how_it_was_read(tmp_path):
    folder = tmp_path / "in"
    write(folder / "gallery.html", "<html><body>\n<div class='comments'>\n<p>Photo gallery</p>\n</div>\n</body></html>\n")
    result = ingest_folder(folder)
    assert not result.articles
    [warning] = result.warnings
    assert warning == (
        "skipped in/gallery.html: no article text left after removing page furniture; "
        "trafilatura found no article body; read with the built-in HTML rules"
    )


def test_base_href_does_not_name_the_outlet(tmp_path):
    body = ("<body><article><h1>Bridge reopens</h1><p>The harbour bridge reopened to traffic on Thursday after "
            "eight months of repairs that cost the city 42 million dollars.</p><p>The works replaced the deck and "
            "two of the four cables, officials said on Thursday.</p></article></body></html>")
    evil = '<base href="https://evil.example/news/">'
    alone = ingest_file(write(tmp_path / "a.html", f"<html><head><title>Bridge reopens</title>{evil}</head>{body}"))
    assert alone.outlet is None
    canonical = '<link rel="canonical" href="https://www.courier.example/2026/bridge">'
    named = ingest_file(write(tmp_path / "b.html", f"<html><head>{evil}{canonical}</head>{body}"))
    assert named.outlet == "courier.example"


def test_readers_comments_are_not_the_article(tmp_path):
    article_text = [
        "The regional rail line will add four trains an hour from March, the transport authority said.",
        "The operator expects the change to cut waiting times on the busiest stretch by a third.",
        "Passenger groups welcomed the plan but asked for later trains on weekend nights.",
    ]
    comment = "I have waited for this train for years and I still do not believe it will come."
    page = "\n".join([
        "<html><head><title>Rail line adds trains</title></head><body>",
        "<article>", *[f"<p>{p}</p>" for p in article_text], "</article>",
        '<div id="comments" class="comments-area"><h2>2 comments</h2><ol class="comment-list">',
        f'<li class="comment"><div class="comment-body"><p>{comment}</p></div></li>',
        "</ol></div>", "</body></html>",
    ])
    article = ingest_file(write(tmp_path / "rail.html", page))
    assert [s.text for s in article.sentences] == article_text
