"""Markdown read as blocks with their source lines: the one Markdown parser (markdown-it-py).

`parse_blocks` turns a document into its leaf blocks in document order, each with its first and
last source line (1-based) and its inline source: the text a renderer would parse as inline
Markdown, with the container markers (list markers, `>`, indentation) taken off and the lines
of a paragraph joined by "\\n". Headings, paragraphs (also in list items, quotes and footnotes),
table rows, footnote definitions (`[^n]: ...`, with their label and their whole body), fenced
and indented code, HTML blocks, rules and front matter are blocks; link reference definitions
and blank lines are in none. `briefing.review.draft` (reading a brief back for review) and
`briefing.translate.markdown` (translating prose, keeping structure) both read Markdown here.

Inline, `footnote_refs` finds footnote references (`[^n]`, not escaped, not in a code span).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Kinds of block.
HEADING, PARAGRAPH, TABLE_ROW, TABLE_RULE, FOOTNOTE = "heading", "paragraph", "table_row", "table_rule", "footnote"
CODE, HTML, RULE, FRONT_MATTER = "code", "html", "rule", "front_matter"
_LITERAL = {"fence": CODE, "code_block": CODE, "html_block": HTML, "hr": RULE, "front_matter": FRONT_MATTER}  # by token type
#: Blocks whose inline source is prose a reader sees (the others are code, markup or data).
PROSE_KINDS = frozenset({HEADING, PARAGRAPH, TABLE_ROW})

# A footnote reference: not escaped (`\[^1\]` is text), its label holds no space or backslash.
FOOTNOTE_REF = re.compile(r"(?<!\\)\[\^([^\]\s\\]+)\](?!:)")
CODE_SPAN = re.compile(r"(?<!\\)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)")
_TASK_BOX = re.compile(r"\[[ xX]\][ \t]+")
_TABLE_ROW_PREFIX = re.compile(r"^[ \t>]*")
_NEWLINES = re.compile(r"\r\n?|\n")  # markdown-it's own line breaks (not Python's splitlines)


@dataclass(frozen=True)
class Block:
    """A leaf block. `text` is its inline source (a footnote definition: its body, all
    paragraphs joined by "\\n"; code: the code; a table row: the row with its pipes).
    `prefix` is what stands before `text` on the first line (list and quote markers, heading
    hashes, a task box) and `suffix` what follows it there (a heading's closing hashes)."""

    kind: str
    start: int  # first source line, 1-based
    end: int  # last source line, 1-based, inclusive
    text: str = ""
    prefix: str = ""
    suffix: str = ""
    level: int = 0  # heading level
    label: str = ""  # footnote label
    setext: bool = False  # a heading underlined on the next line (`===` / `---`)


def split_lines(text: str) -> list[str]:
    """The document's lines as the parser numbers them (line N is `split_lines(text)[N - 1]`)."""
    if not text:
        return []
    lines = _NEWLINES.split(text)
    if lines[-1] == "":  # the text ended with a line break
        lines.pop()
    return lines


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)
    # Blocks only: inline content stays source text; footnote definitions stay where they are.
    md.core.ruler.disable(["inline", "footnote_tail"])
    return md


def parse_blocks(text: str) -> list[Block]:
    """The leaf blocks of a Markdown document, in document order."""
    lines = split_lines(text)
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "footnote_reference_open":
            close = _closing(tokens, i)
            inner = [t.content for t in tokens[i + 1 : close] if t.type == "inline"]
            start, end = token.map
            blocks.append(Block(FOOTNOTE, start + 1, end, "\n".join(inner), label=token.meta["label"]))
            i = close + 1
            continue
        if kind in ("heading_open", "paragraph_open"):  # open, inline, close
            if kind == "heading_open":
                blocks.append(_heading(token, tokens[i + 1], lines))
            else:
                first_in_item = i > 0 and tokens[i - 1].type == "list_item_open"  # may start with a task box
                blocks.append(_paragraph(token, tokens[i + 1], lines, first_in_item))
            i += 3
            continue
        if kind == "tr_open":
            start = token.map[0]
            row = lines[start]
            prefix = _TABLE_ROW_PREFIX.match(row).group(0)
            cells = row[len(prefix) :].rstrip()
            blocks.append(Block(TABLE_ROW, start + 1, start + 1, cells, prefix, row[len(prefix) + len(cells) :]))
            if tokens[i - 1].type == "thead_open":  # the delimiter row follows the header row
                blocks.append(Block(TABLE_RULE, start + 2, start + 2, lines[start + 1]))
        elif kind in _LITERAL:
            start, end = token.map
            blocks.append(Block(_LITERAL[kind], start + 1, max(end, start + 1), token.content))
        i += 1
    return blocks


def _closing(tokens, i: int) -> int:
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _heading(token, inline, lines: list[str]) -> Block:
    start, end = token.map
    content = inline.content
    setext = token.markup in ("=", "-")
    line = lines[start]
    if setext:
        first = content.split("\n")[0]
        prefix = _prefix(line, first)
        return Block(HEADING, start + 1, end, content, prefix, level=int(token.tag[1]), setext=True)
    at = line.find(content, line.find("#") + len(token.markup)) if content else -1
    if at < 0:  # an empty heading: its markers only
        return Block(HEADING, start + 1, end, "", line.rstrip(), level=int(token.tag[1]))
    return Block(HEADING, start + 1, end, content, line[:at], line[at + len(content) :], int(token.tag[1]))


def _paragraph(token, inline, lines: list[str], first_in_item: bool) -> Block:
    start, end = token.map
    content = inline.content
    prefix = _prefix(lines[start], content.split("\n")[0])
    if first_in_item:
        box = _TASK_BOX.match(content)
        if box:
            prefix, content = prefix + box.group(0), content[box.end() :]
    return Block(PARAGRAPH, start + 1, end, content, prefix)


def _prefix(line: str, first: str) -> str:
    """What stands before the inline source `first` on its source `line`."""
    first = first.strip()
    body = line.rstrip()
    if first and body.endswith(first):
        return body[: len(body) - len(first)]
    at = line.rfind(first) if first else -1
    return line[:at] if at >= 0 else line[: len(line) - len(line.lstrip(" \t>"))]


def footnote_refs(text: str) -> list[re.Match[str]]:
    """The footnote references in inline source `text` (`[^n]`), outside code spans."""
    code = [m.span() for m in CODE_SPAN.finditer(text)] if "`" in text else []
    return [m for m in FOOTNOTE_REF.finditer(text) if not any(a <= m.start() < b for a, b in code)]


def footnote_ref_runs(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Runs of adjacent footnote references: (start, end, their labels in order, each once)."""
    runs: list[tuple[int, int, list[str]]] = []
    for match in footnote_refs(text):
        if runs and runs[-1][1] == match.start():
            runs[-1] = (runs[-1][0], match.end(), runs[-1][2] + [match.group(1)])
        else:
            runs.append((match.start(), match.end(), [match.group(1)]))
    return [(a, b, tuple(dict.fromkeys(labels))) for a, b, labels in runs]
