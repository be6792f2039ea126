"""Put an extractor's paragraphs back on the lines of the page they came from.

trafilatura says what the article is, but not where on the page; a citation needs the lines.
Each paragraph is looked for in the page's text (`PageText`), in page order, so that a short
paragraph ("Berlin", a table cell) is found where the article is and not in the menu: long
paragraphs are placed first and bound where the short ones between them may be. A paragraph the
page does not hold exactly (the extractor dropped an inline widget, joined two elements, or
reordered) is placed piece by piece on the lines that hold its parts; one no piece of which is in
the page's text is placed on the raw markup's line that holds its opening words, else beside the
paragraph before it. None is dropped: what trafilatura read is what the brief reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.ingest.page_text import PageText, text_key
from briefing.ingest.blocks import Block

# A paragraph this long (search-key characters) is specific enough to anchor the others.
_ANCHOR_MIN = 30
# The shortest piece of a paragraph looked for on its own: shorter ones match anywhere.
_PIECE_MIN = 12
# Text is mapped to lines in runs of at most this many characters (scripts without spaces too).
_RUN = re.compile(r"\S{1,16}")

_Piece = tuple[int, int, int]  # (offset in the paragraph's key, offset in the page's key, length)


def place(paragraphs: Sequence[str], html: str) -> list[Block]:
    """One block per paragraph, in the paragraphs' order, on the page lines that hold its text."""
    page = PageText(html)
    texts = [re.sub(r"\s+", " ", p).strip() for p in paragraphs]
    keys = [text_key(t) for t in texts]
    anchored = _anchors(page.key, keys)
    bounds = _next_anchor_starts(anchored, len(keys), len(page.key))
    blocks: list[Block] = []
    cursor = 0
    for index, (text, key) in enumerate(zip(texts, keys)):
        if not key:
            continue
        if index in anchored:
            pieces = [(0, anchored[index], len(key))]
        else:
            pieces = _find(page.key, text, key, cursor, bounds[index])
        if pieces:
            cursor = max(cursor, pieces[-1][1] + pieces[-1][2])
            blocks.extend(_blocks(text, pieces, page))
        else:
            blocks.append(_unplaced(text, html, blocks))
    return blocks


def _anchors(stream: str, keys: list[str]) -> dict[int, int]:
    """Where each long paragraph is, found in order: {paragraph index: key offset}."""
    found: dict[int, int] = {}
    cursor = 0
    for index, key in enumerate(keys):
        if len(key) >= _ANCHOR_MIN:
            at = stream.find(key, cursor)
            if at >= 0:
                found[index] = at
                cursor = at + len(key)
    return found


def _next_anchor_starts(anchored: dict[int, int], count: int, end: int) -> list[int]:
    """For each paragraph, where the next anchored paragraph after it starts (the page's end if none)."""
    bounds = [end] * count
    following = end
    for index in range(count - 1, -1, -1):
        bounds[index] = following
        if index in anchored:
            following = anchored[index]
    return bounds


def _find(stream: str, text: str, key: str, low: int, high: int) -> list[_Piece]:
    """The paragraph exactly (before the next anchor, then after it, then anywhere), else its pieces."""
    windows = ((low, max(low, high)), (low, len(stream)), (0, len(stream)))
    for start, stop in windows:
        at = stream.find(key, start, stop)
        if at >= 0:
            return [(0, at, len(key))]
    offsets, position = [], 0
    for run in text.split(" "):
        offsets.append(position)
        position += len(text_key(run))
    offsets.append(position)
    for start, stop in windows[::2]:
        pieces = _pieces(stream, key, offsets, 0, len(offsets) - 1, start, stop)
        if pieces:
            return pieces
    return []


def _pieces(stream: str, key: str, offsets: list[int], first: int, last: int, low: int, high: int) -> list[_Piece]:
    """Words first..last of the paragraph found in stream[low:high] as few pieces as can be, in order."""
    begin, end = offsets[first], offsets[last]
    if end - begin < _PIECE_MIN or last <= first:
        return []
    at = stream.find(key[begin:end], low, high)
    if at >= 0:
        return [(begin, at, end - begin)]
    if last - first == 1:
        return []
    middle = (first + last) // 2
    left = _pieces(stream, key, offsets, first, middle, low, high)
    after = left[-1][1] + left[-1][2] if left else low
    return left + _pieces(stream, key, offsets, middle, last, after, high)


def _blocks(text: str, pieces: list[_Piece], page: PageText) -> list[Block]:
    """`text` as blocks whose runs cite the lines their matched characters are on (never going
    back), split where the page breaks it: a paragraph the extractor ran together from several of
    the page's paragraphs (or lines between <br>s) is read as those."""
    blocks: list[Block] = []
    lines: list[tuple[int, int]] = []  # (line, offset in text) of the block being built
    start = end = 0  # the block's span in `text`
    position = 0  # offset in the paragraph's key
    piece = 0
    last_line = 0
    breaks = None

    def close() -> None:
        if lines:
            first = lines[0][1]
            spans = tuple((line, offset - first) for line, offset in lines)
            blocks.append(Block(spans[0][0], max(line for line, _ in spans), text[start:end], spans))

    for match in _RUN.finditer(text):
        while piece + 1 < len(pieces) and pieces[piece + 1][0] <= position:
            piece += 1
        begin, at, length = pieces[piece]
        where = at + max(0, min(position - begin, length - 1))
        seen = page.breaks_up_to(where)
        if breaks is not None and seen > breaks and lines and match.start() > start:
            close()
            lines, start = [], match.start()
        breaks = seen
        line = max(last_line, page.line_at(where))
        if not lines or line != lines[-1][0]:
            lines.append((line, match.start()))
        last_line, end = line, match.end()
        position += len(text_key(match.group()))
    close()
    return blocks


def _unplaced(text: str, html: str, placed: list[Block]) -> Block:
    """A paragraph none of whose pieces is in the page's text: on the markup's line that holds its
    opening words, else on the line the paragraph before it ends on."""
    import html as html_module

    opening = " ".join(text.split()[:3])
    for needle in (opening, html_module.escape(opening, quote=False)):
        at = html.find(needle) if needle else -1
        if at >= 0:
            line = html.count("\n", 0, at) + 1
            return Block(line, line, text, ((line, 0),))
    line = placed[-1].line_end if placed else 1
    return Block(line, line, text, ((line, 0),))
