"""What reading HTML pages costs, and what it reads: trafilatura against the built-in HTML rules.

Wraps articles of the development sets in ../shared/eval (the pool `scale.py` uses; nothing is
copied into the repository) in news-page markup written here: a header with navigation, an
<article> with a headline, a byline and hard-wrapped paragraphs broken by a share widget, a
"most read" aside and a footer (on every other page all of them plain <div>s, as many sites write them), and the page's metadata in og:site_name, article:published_time,
an author meta tag and JSON-LD NewsArticle. Then ingests the folder twice, once as `briefing`
does (trafilatura chooses the text and reads the metadata) and once with the built-in HTML rules
alone (what ingest did before), and prints for each the wall time per page (and how much of it
trafilatura and placing its text on the page's lines take), the share of pages
ingested whose outlet, date, author and title are read as the markup states them, and the share of the
page furniture's sentences (navigation, widget, aside, footer) that end up as article sentences.

    python benchmarks/html_ingest.py             # 300 pages
    python benchmarks/html_ingest.py --pages 100
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

OUTLETS = ["The Harbour Gazette", "Northern Ledger", "Valley Daily Review", "Coastline Times"]
AUTHORS = ["Alex Morgan", "Sam Rivera", "Jordan Lee", "Casey Brooks"]
FURNITURE = [
    "Home", "World", "Business", "Share on Facebook", "Most read",
    "Local council approves the new library opening hours after a long debate",
    "© 2026 All rights reserved.", "Subscribe to our newsletter for free updates",
]


def page(index: int, title: str, body: str) -> tuple[str, dict[str, str]]:
    """A news page around `body`, and what its markup states."""
    outlet, author = OUTLETS[index % len(OUTLETS)], AUTHORS[index % len(AUTHORS)]
    date = f"2026-{index % 12 + 1:02d}-{index % 27 + 1:02d}"
    title = title or " ".join(body.split()[:8])
    paragraphs = [p for p in (q.strip() for q in body.split("\n")) if p]
    wrapped = ["<p>" + "\n".join(textwrap.wrap(html.escape(p, quote=False), 100)) + "</p>" for p in paragraphs]
    middle = len(wrapped) // 2
    share = '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>'
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": f"{date}T09:00:00+00:00", "author": {"@type": "Person", "name": author},
                     "publisher": {"@type": "Organization", "name": outlet}})
    # Even pages mark their parts with HTML5 elements; odd pages, as many sites do, with <div>s only.
    semantic = index % 2 == 0
    nav_open, nav_close = ("<header><nav>", "</nav></header>") if semantic else ('<div class="menu">', "</div>")
    main_open, main_close = ("<main><article>", "</article></main>") if semantic else ('<div class="story">', "</div>")
    aside_open, aside_close = ("<aside>", "</aside>") if semantic else ('<div class="sidebar">', "</div>")
    foot_open, foot_close = ("<footer>", "</footer>") if semantic else ('<div class="site-footer">', "</div>")
    text = "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{html.escape(title)} | {html.escape(outlet)}</title>",
        f'<meta property="og:site_name" content="{html.escape(outlet)}">',
        f'<meta property="og:title" content="{html.escape(title)}">',
        f'<meta property="article:published_time" content="{date}T09:00:00+00:00">',
        f'<meta name="author" content="{author}">',
        f'<script type="application/ld+json">{ld}</script>', "</head>", "<body>",
        f'{nav_open}<ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>'
        f'<li><a href="/business">Business</a></li></ul>{nav_close}',
        main_open, f"<h1>{html.escape(title)}</h1>", f'<p class="byline">By {author}</p>',
        *wrapped[:middle], share, *wrapped[middle:], main_close,
        f'{aside_open}<h3>Most read</h3><ul><li><a href="/a">Local council approves the new library opening hours'
        f" after a long debate</a></li></ul>{aside_close}",
        f"{foot_open}<p>© 2026 All rights reserved.</p><p>Subscribe to our newsletter for free updates</p>{foot_close}",
        "</body>", "</html>",
    ])
    return text, {"outlet": outlet, "published": date, "byline": author, "title": title}


def measure(folder: Path, stated: dict[str, dict[str, str]], builtin: bool) -> dict[str, float]:
    import briefing.ingest.placement
    import briefing.ingest.webpage
    from briefing.ingest.folder import ingest_folder

    original = briefing.ingest.webpage.read_page, briefing.ingest.placement.place
    spent = {"trafilatura": 0.0, "placement": 0.0}

    def timed(name, function):
        def call(*args):
            start = time.perf_counter()
            try:
                return function(*args)
            finally:
                spent[name] += time.perf_counter() - start
        return call

    briefing.ingest.webpage.read_page = (lambda text: None) if builtin else timed("trafilatura", original[0])
    briefing.ingest.placement.place = timed("placement", original[1])
    try:
        start = time.perf_counter()
        result = ingest_folder(folder, reference="2026-11-30")
        seconds = time.perf_counter() - start
    finally:
        briefing.ingest.webpage.read_page, briefing.ingest.placement.place = original
    articles = {a.path.rsplit("/", 1)[-1]: a for a in result.articles}
    row: dict[str, float] = {"ms_per_page": seconds / len(stated) * 1000, "ingested": len(articles)}
    # Of that time: trafilatura's extraction, and placing its paragraphs on the page's lines.
    row.update({f"{name}_ms_per_page": value / len(stated) * 1000 for name, value in spent.items()})
    for field in ("outlet", "published", "byline", "title"):  # of the pages ingested (a page of one fragment is not)
        row[field] = sum(getattr(a, field) == stated[n][field] for n, a in articles.items()) / len(articles)
    furniture = {f.lower() for f in FURNITURE}
    sentences = [s.text.strip().rstrip(".").lower() for a in articles.values() for s in a.sentences]
    row["furniture_sentences"] = sum(s in furniture or s + "." in furniture for s in sentences)
    row["sentences"] = len(sentences)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--json", action="store_true", help='print {"methods": [...]} instead of lines')
    args = parser.parse_args()
    from scale import EVAL, article_pool

    if not EVAL.is_dir():
        sys.exit(f"needs the development sets in {EVAL}")
    pool = [item for item in article_pool() if not item[0].endswith("-ko.txt")]
    chosen = [pool[round(i * len(pool) / args.pages)] for i in range(min(args.pages, len(pool)))]
    methods = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        stated: dict[str, dict[str, str]] = {}
        for index, (_, body) in enumerate(chosen):
            title, _, text = body.partition("\n\n")
            if not text.strip():
                title, text = "", title
            markup, stated[f"page{index:04d}.html"] = page(index, title.strip(), text)
            (folder / f"page{index:04d}.html").write_text(markup, encoding="utf-8")
        measure(folder, stated, builtin=False)  # imports and first-use costs out of the timing
        for name, builtin in (("trafilatura", False), ("builtin-rules", True)):
            methods.append({"name": name, "pages": len(stated), **measure(folder, stated, builtin)})
    if args.json:
        print(json.dumps({"methods": methods}, indent=1))
        return
    for m in methods:
        print(
            f"{m['name']:>14}: {m['pages']} pages ({m['ingested']} ingested), {m['ms_per_page']:.1f} ms/page "
            f"(trafilatura {m['trafilatura_ms_per_page']:.1f}, placement {m['placement_ms_per_page']:.1f}); "
            f"read as stated: outlet "
            f"{m['outlet']:.0%}, date {m['published']:.0%}, author {m['byline']:.0%}, title {m['title']:.0%}; "
            f"furniture sentences {m['furniture_sentences']} of {m['sentences']}"
        )


if __name__ == "__main__":
    main()
