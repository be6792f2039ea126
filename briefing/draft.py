"""Read a brief draft in Markdown back into data: footnote definitions, references and cited text.

The draft is what `render.render_markdown` writes (prompts/brief.*.md.j2), possibly edited by a
person. Footnote definitions are `[^n]: `file`, line N: “quote …”` (`lines A–B`; Korean `N행`,
`A–B행`). A *cited segment* is the text that a run of footnote references closes: from the
start of its block (paragraph, list item, table row) or the previous reference run up to the
references. In the timeline and "where sources differ" sections the cited text is the quoted
source passage (“…”) and the text before it is a label (a date, a subject).

Only parsing here: the checks live in `briefing.review`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from briefing.render import md_unescape

# Section headings from prompts/brief.en.md.j2 and brief.ko.md.j2 whose cited text is a quote.
TIMELINE_SECTIONS = frozenset({"Timeline", "일지"})
QUOTE_SECTIONS = TIMELINE_SECTIONS | {"Where sources differ", "출처 간 차이"}

_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?(.*)$")
_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_REFERENCE_RUN = re.compile(r"(?:\[\^[^\]\s]+\](?!:))+")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
# `path`, line 3: “quote” | `path`, lines 3–5: “quote” | `path`, 3행: … | `path`, 3–5행: …
_CITATION = re.compile(
    r"^`(?P<file>[^`]+)`,\s*"
    r"(?:lines?\s+(?P<a>\d+)(?:\s*[–—-]\s*(?P<b>\d+))?|(?P<ka>\d+)(?:\s*[–—-]\s*(?P<kb>\d+))?\s*행)"
    r"\s*:\s*[“\"](?P<quote>.*)[”\"]\s*$"
)
_FLAG = re.compile(r"\s*⚠️\s*\((?:check|검토 필요):[^)]*\)\s*$")
_ELLIPSIS = " …"


@dataclass(frozen=True)
class FootnoteDef:
    """A footnote definition; `file` is None when it is not in the citation format."""

    label: str
    line: int
    raw: str
    file: str | None = None
    line_start: int = 0
    line_end: int = 0
    quote: str = ""  # unescaped, without the trailing ellipsis
    truncated: bool = False  # the quote ended in " …" (the start of the cited text)

    @property
    def key(self) -> tuple[str, int, int] | None:
        return (self.file, self.line_start, self.line_end) if self.file is not None else None


@dataclass(frozen=True)
class Reference:
    label: str
    line: int


@dataclass(frozen=True)
class CitedSegment:
    """Text closed by a run of footnote references."""

    line: int  # draft line of the references
    text: str  # the statement, markup removed and unescaped (the quote in quote sections)
    labels: tuple[str, ...]
    section: str
    quoted: bool = False  # `text` is a quotation that must appear verbatim in the cited lines
    label: str = ""  # text before the quotation (a timeline date, a conflict subject)


@dataclass
class Draft:
    path: Path
    lines: list[str]
    definitions: dict[str, FootnoteDef] = field(default_factory=dict)
    duplicate_definitions: list[FootnoteDef] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    segments: list[CitedSegment] = field(default_factory=list)

    @property
    def citation_keys(self) -> dict[tuple[str, int, int], FootnoteDef]:
        """(file, first line, last line) of every well-formed definition, first definition kept."""
        keys: dict[tuple[str, int, int], FootnoteDef] = {}
        for definition in self.definitions.values():
            if definition.key is not None:
                keys.setdefault(definition.key, definition)
        return keys


def parse_citation(label: str, line: int, body: str) -> FootnoteDef:
    match = _CITATION.match(body.strip())
    if not match:
        return FootnoteDef(label, line, body)
    start = int(match["a"] or match["ka"])
    end = int(match["b"] or match["kb"] or start)
    quote = match["quote"]
    truncated = quote.endswith(_ELLIPSIS)
    if truncated:
        quote = quote[: -len(_ELLIPSIS)]
    return FootnoteDef(label, line, body, match["file"], start, end, md_unescape(quote).strip(), truncated)


def read_draft(path: Path) -> Draft:
    return parse_draft(path.read_text(encoding="utf-8-sig"), path)


def parse_draft(text: str, path: Path) -> Draft:
    lines = text.splitlines()
    draft = Draft(path=path, lines=lines)
    section = ""
    block: list[tuple[int, str]] = []
    in_fence = False
    current_def: tuple[str, int, list[str]] | None = None

    def close_definition() -> None:
        nonlocal current_def
        if current_def is None:
            return
        label, number, parts = current_def
        definition = parse_citation(label, number, " ".join(p.strip() for p in parts))
        if label in draft.definitions:
            draft.duplicate_definitions.append(definition)
        else:
            draft.definitions[label] = definition
        current_def = None

    def close_block() -> None:
        if block:
            _segments(draft, block, section)
            block.clear()

    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            close_definition()
            close_block()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if current_def is not None and line.strip() and line.startswith(("    ", "\t")):
            current_def[2].append(line)  # continuation of a footnote definition
            continue
        close_definition()
        definition = _DEFINITION.match(line)
        if definition:
            close_block()
            current_def = (definition.group(1), number, [definition.group(2)])
            continue
        heading = _HEADING.match(line)
        if heading:
            close_block()
            section = _plain(heading.group(2))
            continue
        if not line.strip() or _TABLE_RULE.match(line):
            close_block()
            continue
        stripped = line.lstrip()
        if _LIST_ITEM.match(line) or stripped.startswith("|"):
            close_block()
        block.append((number, line))
        if stripped.startswith("|"):
            close_block()  # each table row is its own block
    close_definition()
    close_block()
    return draft


def _segments(draft: Draft, block: list[tuple[int, str]], section: str) -> None:
    """Record the references of a block and the text each run of them closes."""
    text = ""
    starts: list[tuple[int, int]] = []
    for number, line in block:
        starts.append((len(text), number))
        text += re.sub(r"^\s*>\s?", "", line).strip() + " "

    def line_at(offset: int) -> int:
        found = starts[0][1]
        for start, number in starts:
            if start > offset:
                break
            found = number
        return found

    for match in _REFERENCE.finditer(text):
        draft.references.append(Reference(match.group(1), line_at(match.start())))
    previous = 0
    for run in _REFERENCE_RUN.finditer(text):
        labels = tuple(dict.fromkeys(_REFERENCE.findall(run.group(0))))
        raw = text[previous : run.start()]
        previous = run.end()
        draft.segments.append(_segment(raw, labels, line_at(run.start()), section))


def _segment(raw: str, labels: tuple[str, ...], line: int, section: str) -> CitedSegment:
    plain = _plain(raw)
    if section in QUOTE_SECTIONS:
        quote = re.search(r"“([^”]*)”\W*$", plain)
        if quote:
            label = plain[: quote.start()].strip()
            if section in TIMELINE_SECTIONS:
                label = label.rstrip(":").strip()
            return CitedSegment(line, quote.group(1).strip(), labels, section, True, label)
    return CitedSegment(line, plain, labels, section)


def _plain(raw: str) -> str:
    """Markdown inline text as a reader sees it: list markers, table pipes, emphasis removed."""
    text = _LIST_ITEM.sub("", raw.strip(), count=1)
    text = re.sub(r"(?<!\\)\|", " ", text)  # table cell borders
    text = re.sub(r"(?<!\\)(\*\*|__|\*|`)", "", text)
    text = re.sub(r"(?<![\\\w])_|(?<!\\)_(?!\w)", "", text)  # _emphasis_ markers, not snake_case
    text = md_unescape(text)
    text = _FLAG.sub("", text)
    return re.sub(r"\s+", " ", text).strip()
