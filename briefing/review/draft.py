"""Read a brief draft in Markdown back into data: footnote definitions, references and cited text.

The draft is what `render.render_markdown` writes (prompts/brief.*.md.j2), possibly edited by a
person. Footnote definitions are `[^n]: `file`, line N: “quote …”` (`lines A–B`; Korean `N행`,
`A–B행`). A *cited segment* is the text that a run of footnote references closes: from the
start of its block (paragraph, list item, table row) or the previous reference run up to the
references. In the timeline and "where sources differ" sections the cited text is the quoted
source passage (“…”) and the text before it is a label (a date, a subject).

Only parsing here: the checks live in `briefing.review.check`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from briefing.paths import shown_path
from briefing.brief.render import UNTRANSLATED_MARK, md_unescape

# Section headings from prompts/brief.en.md.j2 and brief.ko.md.j2 whose cited text is a quote.
TIMELINE_SECTIONS = frozenset({"Timeline", "일지"})
QUOTE_SECTIONS = TIMELINE_SECTIONS | {"Where sources differ", "출처 간 차이"}

_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?(.*)$")
# A reference is not escaped (`\[^1\]` is text) and its label holds no backslash.
_REFERENCE = re.compile(r"(?<!\\)\[\^([^\]\s\\]+)\](?!:)")
_REFERENCE_RUN = re.compile(r"(?:(?<!\\)\[\^[^\]\s\\]+\](?!:))+")
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
_FLAG = re.compile(r"\s*⟦⚠ check translation: [^⟧]*⟧\s*$")  # translate.markdown.flag_marker's format
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


MAX_DRAFT_BYTES = 1024 * 1024  # a brief is tens of kilobytes
# Lists and quotes inside each other; `[` left open in a paragraph (a Markdown renderer scans
# to the end of the paragraph for each unclosed `[`: quadratic time).
MAX_NESTING = 16
# python-markdown's footnotes take quadratic time in the references to one footnote.
MAX_REFERENCES, MAX_REFERENCES_TO_ONE = 2000, 50
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")
_ESCAPED = re.compile(r"\\.")


class DraftError(ValueError):
    """A draft that cannot be checked (not UTF-8 text, too large, too deeply nested); one line."""


def read_draft(path: Path) -> Draft:
    """Read and parse a draft. Raises DraftError (one line) when it cannot be checked."""
    from briefing.ingest.decode import DecodeError, read_file_bytes

    try:
        size = path.stat().st_size
        if size > MAX_DRAFT_BYTES:
            raise DraftError(f"the draft {shown_path(str(path))} is too large ({size} bytes; at most {MAX_DRAFT_BYTES})")
        data = read_file_bytes(path)
    except (DecodeError, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise DraftError(f"cannot read the draft {shown_path(str(path))}: {reason}") from None
    if b"\x00" in data:
        raise DraftError(f"the draft {shown_path(str(path))} is not UTF-8 text (it holds NUL bytes: binary, or UTF-16); save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DraftError(f"the draft {shown_path(str(path))} is not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8") from None
    check_limits(text, path)
    return parse_draft(text, path)


def check_limits(text: str, path: Path) -> None:
    """Refuse what would take a renderer unbounded time or recursion. Raises DraftError."""
    where = f"the draft {shown_path(str(path))}"
    if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
        raise DraftError(f"{where} is too large (a draft may have at most {MAX_DRAFT_BYTES} bytes)")
    open_brackets = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            open_brackets = 0  # a new paragraph
            continue
        depth = _container_depth(line)
        indent = len(line) - len(line.lstrip(" \t"))
        if depth > MAX_NESTING or indent > 4 * MAX_NESTING:
            raise DraftError(f"{where} nests lists or quotes too deeply at line {number} (at most {MAX_NESTING} levels)")
        for char in _ESCAPED.sub("", line):
            if char == "[":
                open_brackets += 1
                if open_brackets > MAX_NESTING:
                    raise DraftError(
                        f"{where} leaves too many '[' open at line {number} (at most {MAX_NESTING} in a paragraph)"
                    )
            elif char == "]" and open_brackets:
                open_brackets -= 1
    references = Counter(match.group(1) for match in _REFERENCE.finditer(text))
    if sum(references.values()) > MAX_REFERENCES:
        raise DraftError(f"{where} has {sum(references.values())} footnote references (at most {MAX_REFERENCES})")
    most = max(references.values(), default=0)
    if most > MAX_REFERENCES_TO_ONE:
        raise DraftError(f"{where} refers to one footnote {most} times (at most {MAX_REFERENCES_TO_ONE})")


def _container_depth(line: str) -> int:
    """How many quote and list markers open `line`."""
    depth = end = 0
    for match in _CONTAINER.finditer(line):
        if match.start() != end:
            break
        depth, end = depth + 1, match.end()
    return depth


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
            section = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", _plain(heading.group(2)))  # "1.4 Timeline" is a timeline
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
    for mark in UNTRANSLATED_MARK.values():
        text = text.removesuffix(mark).rstrip() if text.endswith(mark) else text
    return re.sub(r"\s+", " ", text).strip()
