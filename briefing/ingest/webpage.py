"""What trafilatura reads from a web page: its article body and the metadata the page states.

trafilatura (a maintained, benchmarked main-text extractor) decides which text of the page is
the article, and reads the title, site name, author and publication date from the page's
markup: `<title>`, Open Graph (`og:site_name`, `og:title`), `article:published_time`, author
meta tags and JSON-LD (`NewsArticle`). It never places text on lines; `sources` keeps doing that,
so citations still point at exact lines of the file.

Deterministic: the date search looks only at the page's markup (no guessing from free text),
and its upper bound is fixed, not today's date, so the same page reads the same on any day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.ingest.metadata import Metadata

# Dates htmldate accepts: a fixed window, so that the result does not depend on the clock.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "min_date": "1990-01-01", "max_date": "2099-12-31"}
# trafilatura's output elements that hold a paragraph's worth of text; one that holds others
# (a quote of paragraphs, a list item of paragraphs) is read through them, so no text counts twice.
_TEXT_ELEMENTS = ("p", "head", "item", "quote", "cell", "code")


@dataclass(frozen=True)
class Page:
    """The article body as trafilatura gives it (its paragraphs' texts) and the stated metadata."""

    paragraphs: tuple[str, ...]
    meta: Metadata


def read_page(html: str) -> Page | None:
    """The page's article body and metadata, or None when trafilatura finds no body text."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            fast=True,  # no backup extractors: when trafilatura finds nothing, the built-in rules read the page
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception:  # noqa: BLE001  (a page trafilatura cannot parse is read by the built-in rules)
        return None
    if document is None or document.body is None:
        return None
    paragraphs = []
    for element in document.body.iter(*_TEXT_ELEMENTS):
        if any(inner is not element for inner in element.iter(*_TEXT_ELEMENTS)):
            continue
        text = _clean(" ".join(element.itertext()))
        if text:
            paragraphs.append(text)
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


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()
