"""A source file as text blocks with line spans: the one place that maps text to file lines.

Ingest builds articles from these blocks, and review re-reads cited lines through the same
code, so a citation made by ingest always resolves the same way when checked.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from briefing.ingest.blocks import Block
from briefing.ingest.decode import decode_bytes, read_file_bytes
from briefing.ingest.invisible import join_format_characters
from briefing.ingest.metadata import Metadata

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_TERMINAL = tuple('.!?。"”’\')')


@dataclass(frozen=True)
class SourceText:
    path: Path
    encoding: str
    blocks: tuple[Block, ...]
    kind: str  # "text" | "markdown" | "html"
    # What an HTML page's markup states (title, site name, author, date), read by trafilatura.
    page: Metadata | None = field(default=None, compare=False)
    notes: tuple[str, ...] = ()  # one-line notes on how the file was read (a fallback taken)

    def text_between(self, line_start: int, line_end: int) -> str:
        """The cleaned text of the blocks overlapping the given lines, whitespace-collapsed."""
        parts = [b.text for b in self.blocks if b.line_end >= line_start and b.line_start <= line_end]
        return re.sub(r"\s+", " ", " ".join(parts)).strip()


def read_source(path: Path) -> SourceText:
    """Decode and split a file into blocks. Raises DecodeError for unreadable files."""
    return source_from_bytes(path, read_file_bytes(path))


def source_from_bytes(path: Path, data: bytes) -> SourceText:
    """A file's bytes (already read) decoded and split into blocks; `path` names its kind."""
    text, encoding = decode_bytes(data)
    text = join_format_characters(text)  # "2\u200b97" is 297 to everything that reads it
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return html_source(text, path, encoding)
    if suffix in (".md", ".markdown"):
        lines = [_strip_markdown(line) for line in text.split("\n")]
        return SourceText(path, encoding, tuple(_text_blocks(lines)), "markdown")
    return plain_text_source(text, path, encoding)


def plain_text_source(text: str, path: Path, encoding: str = "utf-8") -> SourceText:
    """Already-decoded plain text (a file's, or an evaluation set's) split into blocks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path, encoding, tuple(_text_blocks(text.split("\n"))), "text")


_BASE = re.compile(r"<base\b[^>]*>", re.I)


def _without_base(html_text: str) -> str:
    """The page without its `<base href>`: trafilatura takes the page's URL, and from it the
    outlet, from `<base>` when no canonical link is given, and a page may point that anywhere
    ("evil.example"). The outlet comes from the page's own metadata or its canonical URL."""
    return _BASE.sub(lambda m: "\n" * m.group().count("\n"), html_text)


def _strip_markdown(line: str) -> str:
    line = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", "", line)
    line = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)  # images
    line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)  # links keep their text
    line = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", line)
    if re.fullmatch(r"\s*([-*_]\s*){3,}", line):
        return ""
    return line


def _text_blocks(lines: list[str]) -> list[Block]:
    """Group lines into paragraphs.

    Consecutive non-blank lines form one paragraph when they are hard-wrapped prose; a short line
    with no terminal punctuation (a heading, a byline, a label) stands alone.
    """
    blocks: list[Block] = []
    group: list[tuple[int, str]] = []

    def flush() -> None:
        if not group:
            return
        width = max(len(t) for _, t in group)
        current: list[tuple[int, str]] = []
        for number, line in group:
            current.append((number, line))
            stripped = line.rstrip()
            ends = stripped.endswith(_TERMINAL)
            standalone = ends or len(stripped) < 0.7 * width or width < 40
            if standalone:
                blocks.append(_make_block(current))
                current = []
        if current:
            blocks.append(_make_block(current))
        group.clear()

    for number, line in enumerate(lines, start=1):
        if line.strip():
            group.append((number, line))
        else:
            flush()
    flush()
    return blocks


_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _unescape_entities(line: str) -> str:
    """HTML entities left in text copied from a web page ("Marks &amp; Spencer") read as characters."""
    return html.unescape(line) if _ENTITY.search(line) else line


def _make_block(lines: list[tuple[int, str]]) -> Block:
    offsets: list[tuple[int, int]] = []
    parts: list[str] = []
    position = 0
    for number, line in lines:
        piece = _unescape_entities(line.strip())
        offsets.append((number, position))
        parts.append(piece)
        position += len(piece) + 1
    return Block(lines[0][0], lines[-1][0], " ".join(parts), tuple(offsets))


def html_source(text: str, path: Path, encoding: str = "utf-8") -> SourceText:
    """An HTML page: the paragraphs trafilatura reads as its article, placed on the page's lines,
    with the metadata it states.

    trafilatura chooses the text; `placement` finds the lines it is on, so footnotes cite the
    page itself. Only when trafilatura finds no article body do the built-in rules (block elements
    inside <article>/<main>, navigation left out) read the page, with a note saying so.
    """
    from briefing.ingest.placement import place
    from briefing.ingest.webpage import read_page

    page = read_page(_without_base(text))
    if page is None:
        return builtin_html_source(text, path, encoding, "trafilatura found no article body; read with the built-in HTML rules")
    return SourceText(path, encoding, tuple(place(page.paragraphs, text)), "html", page=page.meta)


def builtin_html_source(text: str, path: Path, encoding: str = "utf-8", note: str | None = None) -> SourceText:
    """An HTML page read by the built-in rules alone (the fallback), with `note` saying why."""
    return SourceText(path, encoding, tuple(_html_blocks(text)), "html", notes=(note,) if note else ())


_HTML_BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "figcaption", "td", "pre")
_BLOCK_NAMES = frozenset(_HTML_BLOCK_TAGS)
_HTML_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg", "iframe")
# Sites that mark their menus, sidebars and footers with <div>s name them in class or id: a name
# that is one of these words or starts with one ("sidebar", "menu-main", "share_buttons").
_FURNITURE_NAME = re.compile(
    r"^(?:nav|navbar|navigation|menu|menubar|breadcrumbs?|sidebar|footer|header|masthead|topbar|"
    r"comments?|share|sharing|social|related|widgets?|cookies?|banner|newsletter|subscribe|skip|pagination)(?:[-_]|$)",
    re.I,
)
_NAMED_CONTAINERS = frozenset({"div", "section", "ul", "ol", "dl", "table", "span", "form"})
# An element holding this share of the page's text is the page's frame, whatever it is named.
_FRAME_SHARE = 0.5
# A list item or table cell whose text is mostly link text is a menu entry or one of a list of
# links, not the article (a paragraph that is one link is kept: it is an article's as often).
_LINK_SHARE_MAX = 0.7
_LINK_LIST_TAGS = ("li", "td")


def _html_blocks(text: str) -> list[Block]:
    """Article text of an HTML page: block elements inside <article>/<main> when present, without
    navigation (elements named as menus, sidebars or footers, and blocks that are mostly links).

    Each text fragment is located in the raw page to find its line, so a sentence on the third
    line of a multi-line <p> is cited at that line.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(_HTML_DROP_TAGS):
        tag.decompose()
    page_text = len((soup.body or soup).get_text())
    for tag in soup.find_all(_named_furniture):
        # An article's own <div class="header"> holds its headline; a "sidebar-layout" wrapper, the page.
        if not tag.decomposed and not tag.find("h1") and len(tag.get_text()) < _FRAME_SHARE * page_text:
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    blocks: list[Block] = []
    for tag in root.find_all(_HTML_BLOCK_TAGS):
        if _inside_block(tag) or _mostly_links(tag):
            continue  # a nested block (its parent carries the text), or a menu entry
        block = _html_block(tag, text, line_starts)
        if block is not None:
            blocks.append(block)
    if not blocks:  # a page with bare text and no block tags
        content = re.sub(r"\s+", " ", root.get_text(" ")).strip()
        if content:
            blocks.append(Block(1, text.count("\n") + 1, content, ((1, 0),)))
    return blocks


def _named_furniture(tag) -> bool:
    """A container named as a menu, sidebar, footer ... (a heading's anchor id "nav_…" is not one)."""
    if tag.name not in _NAMED_CONTAINERS:
        return False
    return any(_FURNITURE_NAME.match(name) for name in [*(tag.get("class") or []), tag.get("id") or ""])


def _mostly_links(tag) -> bool:
    if tag.name not in _LINK_LIST_TAGS:
        return False
    text = len(re.sub(r"\s+", "", tag.get_text()))
    linked = sum(len(re.sub(r"\s+", "", a.get_text())) for a in tag.find_all("a"))
    return text > 0 and linked >= _LINK_SHARE_MAX * text


def _inside_block(tag) -> bool:
    """Whether a block element holds `tag` (a walk up its parents; bs4's find_parent is slower)."""
    return any(parent.name in _BLOCK_NAMES for parent in tag.parents)


def _html_block(tag, raw: str, line_starts: list[int]) -> Block | None:
    import bisect

    start_line = tag.sourceline or 1
    cursor = line_starts[start_line - 1] + (tag.sourcepos or 0) if start_line - 1 < len(line_starts) else 0
    pieces: list[tuple[int, str]] = []  # (line, text)
    segments = [segment for string in tag.strings for segment in str(string).split("\n")]
    for segment in segments:
        piece = re.sub(r"\s+", " ", segment) + " "
        if not piece.strip():
            continue
        line = _line_of(bisect, line_starts, cursor)
        for needle in (segment.strip()[:24], html.escape(segment.strip(), quote=False)[:24]):
            found = raw.find(needle, cursor) if needle else -1
            if found >= 0:
                cursor = found + len(needle)
                line = _line_of(bisect, line_starts, found)
                break
        pieces.append((line, piece))
    if not pieces:
        return None
    content = ""
    offsets: list[tuple[int, int]] = []
    for line, piece in pieces:
        if content and not content.endswith(" ") and not piece.startswith((" ", ".", ",", ";", ":", "!", "?")):
            content += " "
        lead = len(content) - len(content.lstrip())
        if not offsets or offsets[-1][0] != line:
            offsets.append((line, max(0, len(content) - lead)))
        content += piece
    stripped = content.strip()
    shift = len(content) - len(content.lstrip())
    offsets = [(line, max(0, offset - shift)) for line, offset in offsets]
    stripped = re.sub(r" {2,}", " ", stripped)
    return Block(offsets[0][0], max(line for line, _ in offsets), stripped, tuple(offsets))


def _line_of(bisect, line_starts: list[int], offset: int) -> int:
    return bisect.bisect_right(line_starts, offset)
