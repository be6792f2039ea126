"""Read a brief draft in Markdown back into data: footnote definitions, references and cited text.

The draft is what `render.render_markdown` writes (prompts/brief.md.j2), possibly edited by a
person, read with `briefing.markdown_doc`. Footnote definitions are `[^n]: `file`, line N:
“quote …”` (`lines A–B`; Korean `N행`, `A–B행`; the line spans and section headings of every
language come from `briefing.labels`). A *cited segment* is the text that a run of footnote
references closes: from the start of its block (paragraph, list item, table row) or the
previous reference run up to the references. In the timeline and "where sources differ"
sections the cited text is the quoted source passage (“…”, which may hold quotations of its own)
and the text before it is a label (a date, a subject); in the positions section the bold
`**actor**: ` that opens a line is a label, not part of the statement.

Only parsing here: the checks live in `briefing.review.check`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from briefing.brief.render import md_unescape
from briefing.labels import LANGUAGES, headings, in_every_language, labels, parse_line_span
from briefing.markdown_doc import (
    FOOTNOTE,
    FOOTNOTE_REF,
    HEADING,
    PROSE_KINDS,
    TABLE_RULE,
    Block,
    footnote_ref_runs,
    footnote_refs,
    parse_blocks,
    split_lines,
)
from briefing.paths import shown_path
from briefing.translate.markdown import FLAG_MARKER

# Sections whose cited text is a quote, by their heading in any language (briefing.labels).
TIMELINE_SECTIONS = headings("timeline")
QUOTE_SECTIONS = TIMELINE_SECTIONS | headings("differences")
POSITION_SECTIONS = headings("positions")
# A figure row's words come from one of the sources it cites (see check.check_segment).
FIGURE_SECTIONS = headings("figures")
# An "also reported" line of a brief made with an earlier one opens with the story's status.
ALSO_REPORTED_SECTIONS = headings("also_reported")
# Sections where every statement carries a citation: text there with no footnote is a problem.
CITED_SECTIONS = frozenset().union(*(
    headings(key) for key in ("bottom_line", "key_points", "background", "timeline", "figures", "differences",
                              "positions", "overview", "also_reported", "previously_reported")
))

# `path`, <line span>: “quote” (the line span as a brief in any language writes it)
_CITATION = re.compile(r"^`(?P<file>[^`]+)`,\s*(?P<span>[^:]*?)\s*:\s*[“\"](?P<quote>.*)[”\"]\s*$")
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
    label: str = ""  # text before the quotation (a timeline date, a conflict subject); a position's actor
    reported: str = ""  # the date shown after the statement as its sources' ("(reported 4 May 2026)")


@dataclass(frozen=True)
class UncitedText:
    """Text of a cited section that no footnote reference closes: a whole bullet, paragraph or
    table row without one, or what follows a block's last reference."""

    line: int
    text: str  # markup removed, as CitedSegment.text
    section: str


@dataclass
class Draft:
    path: Path
    lines: list[str]
    definitions: dict[str, FootnoteDef] = field(default_factory=dict)
    duplicate_definitions: list[FootnoteDef] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    segments: list[CitedSegment] = field(default_factory=list)
    uncited: list[UncitedText] = field(default_factory=list)

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
    span = parse_line_span(match["span"]) if match else None
    if match is None or span is None:
        return FootnoteDef(label, line, body)
    start, end = span
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
# What one draft may cite: a brief cites a few lines per footnote, tens of footnotes, kilobytes
# of source text; a draft of 4,000 footnotes each citing 2,000 lines took a minute and 2.6 GB.
MAX_FOOTNOTES, MAX_LINES_PER_FOOTNOTE = 2000, 200
MAX_QUOTED_BYTES = 4 * 1024 * 1024  # the cited passages together (they are all put in the preview)
MAX_SOURCE_BYTES = 64 * 1024 * 1024  # the distinct cited files together
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
    draft = parse_draft(text, path)
    check_citation_limits(draft)
    return draft


def check_citation_limits(draft: Draft) -> None:
    """Refuse a draft that cites more than a brief would (footnotes, lines per footnote). Raises DraftError."""
    where = f"the draft {shown_path(str(draft.path))}"
    if len(draft.definitions) > MAX_FOOTNOTES:
        raise DraftError(f"{where} has {len(draft.definitions)} footnote definitions (at most {MAX_FOOTNOTES})")
    for label, definition in draft.definitions.items():
        lines = definition.line_end - definition.line_start + 1
        if definition.file is not None and lines > MAX_LINES_PER_FOOTNOTE:
            raise DraftError(f"{where}: footnote [^{label}] at line {definition.line} cites {lines} lines "
                             f"(at most {MAX_LINES_PER_FOOTNOTE} per footnote)")


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
    references = Counter(match.group(1) for match in FOOTNOTE_REF.finditer(text))
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
    draft = Draft(path=path, lines=split_lines(text))
    section = ""
    blocks = parse_blocks(text)
    for index, block in enumerate(blocks):
        if block.kind == FOOTNOTE:
            definition = parse_citation(block.label, block.start, " ".join(p.strip() for p in block.text.split("\n")))
            if block.label in draft.definitions:
                draft.duplicate_definitions.append(definition)
            else:
                draft.definitions[block.label] = definition
        elif block.kind == HEADING:
            section = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", _plain(block.text))  # "1.4 Timeline" is a timeline
        elif block.kind in PROSE_KINDS:
            _segments(draft, block, section)
            header = index + 1 < len(blocks) and blocks[index + 1].kind == TABLE_RULE
            if section in CITED_SECTIONS and not header:
                _uncited(draft, block, section)
    return draft


# Letters or digits: what a claim needs (not punctuation, not a "(reported …)" mark alone).
_CLAIM = re.compile(r"[^\W_]")


# An overview's story line: "**title** (3 sources)", a label over the cited sentence below it.
_TITLE_LINE = re.compile(r"^\*\*(?:[^*\\]|\\.)+\*\*\s*(?:\([^()]*\))?$")


@lru_cache(maxsize=1)
def _note_lines() -> re.Pattern[str]:
    """The brief's own notes, in any language: the overview's "Also reported by one source each:
    …" and a continuing story's "Already in the brief of …" over its previously reported points."""
    forms = []
    for key in ("also_reported_note", "previously_note"):
        for form in sorted(in_every_language(key)):
            forms.append(r"_?" + r".+".join(map(re.escape, re.split(r"\{\w+\}", form))) + r"_?")
    return re.compile("^(?:" + "|".join(forms) + ")$")


def _is_label_line(raw: str) -> bool:
    return bool(_TITLE_LINE.match(raw) or _note_lines().match(_plain(raw)))


def _uncited(draft: Draft, block: Block, section: str) -> None:
    """Record the text of `block` after its last footnote reference run (all of it when it has none)."""
    runs = list(footnote_ref_runs(block.text))
    tail = block.text[runs[-1][1] :] if runs else block.text
    if not runs and _is_label_line(tail.strip()):
        return
    plain = _plain(tail)
    plain = _reported_mark().sub("", plain).strip() if plain else plain
    if _CLAIM.search(plain):
        line = block.start + block.text.count("\n", 0, runs[-1][1] if runs else 0)
        draft.uncited.append(UncitedText(line, plain, section))


def _segments(draft: Draft, block: Block, section: str) -> None:
    """Record the references of a block and the text each run of them closes."""
    text = block.text

    def line_at(offset: int) -> int:
        return block.start + text.count("\n", 0, offset)

    for match in footnote_refs(text):
        draft.references.append(Reference(match.group(1), line_at(match.start())))
    previous = 0
    for start, end, run in footnote_ref_runs(text):
        raw = text[previous:start]
        previous = end
        draft.segments.append(_segment(raw, run, line_at(start), section))


# `**actor**: ` opening a line of the positions section (prompts/brief.md.j2)
_ACTOR = re.compile(r"^\s*\*\*(?P<actor>(?:[^*\\]|\\.)+)\*\*\s*:\s*")


def _segment(raw: str, labels: tuple[str, ...], line: int, section: str) -> CitedSegment:
    plain = _plain(raw)
    if section in QUOTE_SECTIONS:
        quote = closing_quotation(plain)
        if quote:
            start, end = quote
            label = plain[:start].strip()
            if section in TIMELINE_SECTIONS:
                label = label.rstrip(":").strip()
            return CitedSegment(line, plain[start + 1 : end].strip(), labels, section, True, label)
    actor = ""
    if section in POSITION_SECTIONS and (found := _ACTOR.match(raw)):
        actor, plain = _plain(found["actor"]), _plain(raw[found.end() :])
    status, moved = _history_marks()
    if section in ALSO_REPORTED_SECTIONS:
        plain = status.sub("", plain)
    elif section in FIGURE_SECTIONS:
        plain = moved.sub("", plain)
    reported = _reported_mark().search(plain)
    if reported:
        date = next(group for group in reported.groups() if group)
        return CitedSegment(line, plain[: reported.start()].rstrip(), labels, section, label=actor, reported=date.strip())
    return CitedSegment(line, plain, labels, section, label=actor)


def closing_quotation(text: str) -> tuple[int, int] | None:
    """Where the quotation that ends `text` (“…”, then only punctuation) opens and closes, as the
    offsets of its outer marks; quotations inside it (“… “word” …”) are part of it. When the marks
    do not pair up (one deleted by hand), the first opening mark left unclosed opens it. None when
    `text` does not end on a quotation."""
    end = len(text.rstrip())
    while end and not text[end - 1].isalnum() and text[end - 1] != "”":
        end -= 1
    if not end or text[end - 1] != "”":
        return None
    depth = 0
    for index in range(end - 1, -1, -1):
        if text[index] == "”":
            depth += 1
        elif text[index] == "“":
            depth -= 1
            if depth == 0:
                break
    else:
        index = text.find("“")  # more closing marks than opening ones
        return (index, end - 1) if 0 <= index < end - 1 else None
    before = text[:index]
    if before.count("“") > before.count("”"):  # an opening mark before it is never closed
        return text.find("“"), end - 1
    return index, end - 1


@lru_cache(maxsize=1)
def _history_marks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What a brief made with an earlier one adds to a cited line, in any language, which is not
    the sources' text: the status mark that opens an "also reported" line ("new · ", "developing
    since 29 November · ") and the earlier value after a figure that moved (", up from 156
    reported on 29 November")."""
    def pattern(form: str) -> str:
        pieces = re.split(r"\{(?:date|value)\}", form)
        return r"[^,·|]+?".join(r"\s*".join(map(re.escape, piece.split(" "))) for piece in pieces)

    status = sorted(in_every_language("status_new") | in_every_language("status_continuing"))
    moved = sorted(in_every_language("figure_up") | in_every_language("figure_down") | in_every_language("figure_changed"))
    return (re.compile(r"^(?:" + "|".join(map(pattern, status)) + r")\s*·\s*"),
            re.compile(r",\s*(?:" + "|".join(map(pattern, moved)) + r")\s*$"))


@lru_cache(maxsize=1)
def _reported_mark() -> re.Pattern[str]:
    """The "(reported DATE)" mark that ends a statement, in any language; one group, the date."""
    forms = []
    for form in sorted(in_every_language("reported")):
        before, _, after = form.partition("{date}")
        forms.append(re.escape(before) + r"([^()]+)" + re.escape(after))
    return re.compile(r"\s*(?:" + "|".join(forms) + r")$")


def _plain(raw: str) -> str:
    """Markdown inline text as a reader sees it: list markers, table pipes, emphasis removed."""
    text = re.sub(r"(?<!\\)\|", " ", raw.strip())  # table cell borders
    text = re.sub(r"(?<!\\)(\*\*|__|\*|`)", "", text)
    text = re.sub(r"(?<![\\\w])_|(?<!\\)_(?!\w)", "", text)  # _emphasis_ markers, not snake_case
    text = md_unescape(text)
    text = FLAG_MARKER.sub("", text)  # the one flag format (translate.markdown.flag_marker)
    for language in LANGUAGES:
        mark = labels(language)["untranslated_mark"]
        text = text.removesuffix(mark).rstrip() if mark and text.endswith(mark) else text
    return re.sub(r"\s+", " ", text).strip()
