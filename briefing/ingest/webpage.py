"""What trafilatura reads from a web page: its article body and the metadata the page states.

trafilatura (a maintained, benchmarked main-text extractor) decides which text of the page is
the article, and reads the title, site name, author and publication date from the page's
markup: `<title>`, Open Graph (`og:site_name`, `og:title`), `article:published_time`, author
meta tags and JSON-LD (`NewsArticle`). It never places text on lines; `placement` does that,
so citations still point at exact lines of the file.

Deterministic: the date search looks only at the page's markup (no guessing from free text),
and its upper bound is fixed, not today's date, so the same page reads the same on any day.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from briefing.ingest.metadata import Metadata

# Dates htmldate accepts: a fixed window, so that the result does not depend on the clock.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "min_date": "1990-01-01", "max_date": "2099-12-31"}
# <base href> says how the page's links resolve, not whose page it is: trafilatura would take the
# site name from its host when the page states none ("evil.example"). The page's own canonical
# link or og:url still name it.
_BASE = re.compile(r"<base\b[^>]*>", re.I)
# trafilatura's inline elements: their text runs on inside the paragraph around them. Every other
# element (paragraph, heading, list item, quote, table cell, line break) starts a new paragraph.
_INLINE = frozenset({"hi", "ref", "del", "span", "sub", "sup", "abbr", "b", "i", "u", "em", "strong", "a", "font", "small"})


@dataclass(frozen=True)
class Page:
    """The article body as trafilatura gives it (its paragraphs' texts) and the stated metadata."""

    paragraphs: tuple[str, ...]
    meta: Metadata


def read_page(html: str) -> Page | None:
    """The page's article body and metadata, or None when trafilatura finds no body text."""
    import trafilatura

    try:
        # As trafilatura's own benchmark calls it (backup extractors on; readers' comments are not the
        # article), and without its cross-page duplicate cache, which would make a page read
        # differently depending on the pages read before it.
        document = trafilatura.bare_extraction(
            _BASE.sub("", html),
            output_format="txt",  # as extract() passes it: some of the tree's clean-up depends on it
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception:  # noqa: BLE001  (a page trafilatura cannot parse is read by the built-in rules)
        return None
    if document is None or document.body is None:
        return None
    paragraphs = body_paragraphs(document.body)
    if not paragraphs:
        return None
    meta = Metadata(
        title=_clean(document.title) or None,
        outlet=_clean(document.sitename) or None,
        byline=_clean(document.author) or None,
    )
    if document.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", document.date):
        meta.published = meta.published_text = document.date
        meta.date_source = "page"
    return Page(tuple(paragraphs), meta)


def body_paragraphs(body) -> list[str]:
    """The text of trafilatura's body element, a paragraph per block element and per line break
    (loose text between <br>s is a line of its own); inline elements' text stays in its paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = _clean("".join(current))
        if text:
            paragraphs.append(text)
        current.clear()

    def walk(element) -> None:
        block = element.tag not in _INLINE
        if block:
            flush()
        current.append(element.text or "")
        for child in element:
            walk(child)
            current.append(child.tail or "")
        if block:
            flush()

    walk(body)
    return paragraphs


def _clean(text: str | None) -> str:
    """As trafilatura's own text output is: spacing collapsed, invisible characters (soft hyphens,
    zero-width spaces) removed, and composed (NFC), so "Wäh\u00adrend" written with a combining
    accent reads "Während", as a reader searching for it types it."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text.isprintable():
        text = "".join(c for c in text if c.isprintable())
    return unicodedata.normalize("NFC", text)
