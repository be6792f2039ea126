"""A web page's text with the line each piece of it is on: what placement searches.

The page is read once with the standard library's HTML tokenizer, which reports where each run
of text starts; a run is split at its newlines, so every piece lies on one line of the file. The
text is kept as a search key (`text_key`: Unicode-compatibility form, no spacing, no invisible
format characters), because markup splits and joins words' spaces differently from an extractor's
output. Scripts, styles, templates and the <title> are not text of the page. Where a block element
(or a <br>) starts or ends is kept too: the page's own paragraph breaks.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from html.parser import HTMLParser

# Elements that end a run of text: what the page itself shows as separate paragraphs or lines.
_BREAKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
})
_NOT_TEXT = frozenset({"script", "style", "template", "title", "noscript", "svg", "iframe", "textarea"})
# Whitespace and the invisible format characters (soft hyphen, zero-width spaces and joiners,
# word joiner, byte-order mark) that pages put inside words and extractors drop or keep.
_IGNORED = re.compile(r"[\s\x00\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+")


def text_key(text: str) -> str:
    """`text` as compared with the page: NFKC, without spacing or invisible characters."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _IGNORED.sub("", text)


class PageText:
    """The page's text as one search key, and the file line of every position in it."""

    def __init__(self, html: str) -> None:
        reader = _Reader()
        reader.feed(html)
        reader.close()
        self.key = "".join(reader.keys)
        self._starts = reader.starts  # key offset where each piece begins
        self._lines = reader.lines  # the line that piece is on
        self._breaks = reader.breaks  # key offsets where a block element (or <br>) starts or ends

    def breaks_up_to(self, position: int) -> int:
        """How many paragraph breaks of the page lie at or before key offset `position`."""
        return bisect.bisect_right(self._breaks, position)

    def line_at(self, position: int) -> int:
        """The 1-based file line of the key character at `position`."""
        if not self._lines:
            return 1
        return self._lines[max(0, bisect.bisect_right(self._starts, position) - 1)]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.keys: list[str] = []
        self.starts: list[int] = []
        self.lines: list[int] = []
        self.breaks: list[int] = []
        self._length = 0
        self._skipping: list[str] = []  # the open elements whose content is not text

    def _break(self, tag: str) -> None:
        if tag in _BREAKS and not self._skipping and (not self.breaks or self.breaks[-1] != self._length):
            self.breaks.append(self._length)

    def handle_starttag(self, tag: str, attrs) -> None:
        self._break(tag)
        if tag in _NOT_TEXT:
            self._skipping.append(tag)
        elif tag == "body":
            self._skipping.clear()  # an unclosed <title> or <style> ends where the body starts

    def handle_startendtag(self, tag: str, attrs) -> None:
        self._break(tag)  # <br/>, <hr/>: no content, but a break

    def handle_endtag(self, tag: str) -> None:
        self._break(tag)
        if tag in self._skipping:
            while self._skipping and self._skipping.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        line = self.getpos()[0]
        for number, segment in enumerate(data.split("\n"), start=line):
            key = text_key(segment)
            if key:
                self.starts.append(self._length)
                self.lines.append(number)
                self.keys.append(key)
                self._length += len(key)
