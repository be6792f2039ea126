"""A source file as text blocks with line spans: the one place that maps text to file lines.

Ingest builds articles from these blocks, and review re-reads cited lines through the same
code, so a citation made by ingest always resolves the same way when checked.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from briefing.ingest.decode import decode_bytes, read_file_bytes
from briefing.ingest.invisible import join_format_characters
from briefing.ingest.metadata import Metadata

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_TERMINAL = tuple('.!?。"”’\')')


@dataclass(frozen=True)
class Block:
    """A paragraph (or heading, or list item) with the inclusive 1-based lines it spans."""

    line_start: int
    line_end: int
    text: str
    lines: tuple[tuple[int, int], ...]  # (line number, offset in `text` where that line starts)

    def line_at(self, offset: int) -> int:
        line = self.lines[0][0]
        for number, start in self.lines:
            if start > offset:
                break
            line = number
        return line


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
    """An HTML page: the blocks trafilatura reads as its article, with the metadata it states.

    trafilatura chooses the text; the blocks, and so the lines cited, come from the page itself.
    When trafilatura finds no article body, or its text cannot be placed on the page's lines, the
    built-in rules (block elements inside <article>/<main>) read the page, with a note saying so.
    """
    from briefing.ingest.webpage import read_page

    page = read_page(_without_base(text))
    if page is None:
        note = "trafilatura found no article body; read with the built-in HTML rules"
    else:
        blocks = _select_body(_all_html_blocks(text), page.paragraphs)
        if blocks:
            return SourceText(path, encoding, tuple(blocks), "html", page=page.meta)
        note = "trafilatura's article text could not be placed on the page's lines; read with the built-in HTML rules"
    return SourceText(path, encoding, tuple(_html_blocks(text)), "html", notes=(note,))


def _key(text: str) -> str:
    """Text compared without its spacing (markup splits and joins words' spaces differently)."""
    return re.sub(r"[\s\x00]+", "", unicodedata.normalize("NFKC", text))


# A block shorter than this (without spaces) must equal one of trafilatura's paragraphs to be
# kept: a short label ("World", "Share") may occur inside the article text by chance.
_PIECE_MIN = 20
# Below this share of trafilatura's text placed on lines, its choice is not trusted.
_PLACED_MIN = 0.5
# Both texts run in page order: a block is looked for near the paragraph reached so far, within
# this many characters or paragraphs, so that a page of many paragraphs takes linear time.
_WINDOW_CHARS = 20000
_WINDOW_PARAGRAPHS = 40


def _select_body(blocks: list[Block], paragraphs: tuple[str, ...]) -> list[Block] | None:
    """The page's blocks that hold trafilatura's article text, in page order; None when less than
    half of that text is found in the blocks.

    A block is kept when it is one of trafilatura's paragraphs, a long enough piece of one (the
    extractor joined several elements), or holds one (the extractor dropped an inline widget; the
    boilerplate rules then drop its sentence).
    """
    import bisect

    wanted = [_key(p) for p in paragraphs]
    joined = "\x00".join(wanted)
    starts: list[int] = []
    position = 0
    for key in wanted:
        starts.append(position)
        position += len(key) + 1
    where: dict[str, list[int]] = {}
    for index, key in enumerate(wanted):
        where.setdefault(key, []).append(index)
    kept: list[Block] = []
    placed: set[int] = set()
    reached = 0  # the next paragraph expected
    for block in blocks:
        key = _key(block.text)
        if not key:
            continue
        found: list[int] = []
        if key in where:
            found = [next((i for i in where[key] if i >= reached), where[key][0])]
            after = found[0] + 1
        elif len(key) >= _PIECE_MIN and wanted:
            low = starts[max(0, min(reached, len(wanted) - 1) - 2)]
            at = joined.find(key, low, low + _WINDOW_CHARS + len(key))
            if at >= 0:
                found = [bisect.bisect_right(starts, at) - 1]
                after = found[0]  # the rest of that paragraph may be in the next blocks
        if not found:
            window = range(max(0, reached - 2), min(len(wanted), reached + _WINDOW_PARAGRAPHS))
            found = [i for i in window if len(wanted[i]) >= _PIECE_MIN and wanted[i] in key]
            after = found[-1] + 1 if found else reached
        if found:
            kept.append(block)
            placed.update(found)
            reached = max(reached, after)
    total = sum(len(w) for w in wanted)
    if not kept or sum(len(wanted[i]) for i in placed) < _PLACED_MIN * total:
        return None
    return kept


# Never text of the page: code, styles, embedded documents.
_HTML_SKIP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head")
_HTML_CONTAINERS = ("div", "section", "article", "main")


def _all_html_blocks(text: str) -> list[Block]:
    """Every block of text on the page, in order: the block elements, and the innermost <div> or
    <section> that holds text directly (pages that write paragraphs as <div>s with <br>s)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(_HTML_SKIP_TAGS):
        tag.decompose()
    root = soup.body or soup
    tags = root.find_all(_HTML_BLOCK_TAGS + _HTML_CONTAINERS)
    holders: set[int] = set()  # elements that hold another block somewhere inside
    for tag in tags:
        parent = tag.parent
        while parent is not None and id(parent) not in holders:
            holders.add(id(parent))
            parent = parent.parent
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    blocks: list[Block] = []
    for tag in tags:
        if tag.name in _HTML_CONTAINERS and id(tag) in holders:
            continue
        if _inside_block(tag):
            continue  # nested block: its parent carries the text
        block = _html_block(tag, text, line_starts)
        if block is not None:
            blocks.append(block)
    return blocks


_HTML_BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "figcaption", "td", "pre")
_BLOCK_NAMES = frozenset(_HTML_BLOCK_TAGS)
_HTML_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg", "iframe")


def _html_blocks(text: str) -> list[Block]:
    """Article text of an HTML page: block elements inside <article>/<main> when present.

    Each text fragment is located in the raw page to find its line, so a sentence on the third
    line of a multi-line <p> is cited at that line.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(_HTML_DROP_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    blocks: list[Block] = []
    for tag in root.find_all(_HTML_BLOCK_TAGS):
        if _inside_block(tag):
            continue  # nested block: its parent carries the text
        block = _html_block(tag, text, line_starts)
        if block is not None:
            blocks.append(block)
    if not blocks:  # a page with bare text and no block tags
        content = re.sub(r"\s+", " ", root.get_text(" ")).strip()
        if content:
            blocks.append(Block(1, text.count("\n") + 1, content, ((1, 0),)))
    return blocks


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
