"""Markdown-aware translation: only prose is sent to the translator; structure is kept exactly.

Blocks come from `briefing.markdown_doc` (markdown-it-py): headings, paragraphs and table rows
hold prose; every other line is written back as it was. Passed through untouched: front
matter, fenced and indented code, HTML blocks and comments, horizontal rules, table separator
rows, link reference definitions, footnote definitions (their quote is the exact source text a
citation points at, so it is evidence, not prose), and inline:
code spans, footnote markers `[^n]`, images, link targets, URLs, HTML tags, file names, line
spans ("lines 3-5"), emphasis markers and backslash escapes. Kept as prefixes: heading hashes,
list markers and task boxes, blockquote markers, table pipes and cell padding, indentation.

A hard-wrapped paragraph (or list item) is joined and translated as one text, so sentences are
not cut at line ends; it comes out on one line, which Markdown renders the same.

A segment whose translation failed a guard gets a visible marker right after it:
`⟦⚠ check translation: number 88 missing⟧`. The brackets have no meaning in Markdown, so the
marker shows as written in every renderer (an HTML comment would hide it), and it is never
mistaken for a link or footnote. `FLAG_MARKER` finds them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefing.markdown_doc import CODE_SPAN, FOOTNOTE_REF, PROSE_KINDS, TABLE_ROW, parse_blocks
from briefing.model import Translation
from briefing.translate.base import Translator

FLAG_MARKER = re.compile(r" ⟦⚠ check translation: [^⟧]*⟧")

_LINK = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\[\]]*\])+)\](\([^)]*\)|\[[^\]]*\])")
_PROTECTED = re.compile(
    rf"{CODE_SPAN.pattern}"  # code span
    rf"|{FOOTNOTE_REF.pattern}"  # footnote marker
    r"|!\[[^\]]*\]\([^)]*\)"  # image
    r"|<[^>\s]+>|<[A-Za-z/!][^>]*>"  # autolink, HTML tag
    r"|(?:https?://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"  # bare URL
    r"|(?:[\w.-]+/)*[\w-][\w.-]*\.(?:txt|md|json|html?|csv|tsv|pdf|xml|py|toml)\b"  # file name
    r"|\blines?\s+\d+(?:\s*[-–]\s*\d+)?"  # line span
    r"|\\[\\`*_{}\[\]()#+\-.!|~<>]"  # backslash escape
    r"|\*{1,3}|~~|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9])"  # emphasis markers
    r"|⟦⚠[^⟧]*⟧"  # an earlier run's flag marker
)
_PROTECTED_IN_ROW = re.compile(rf"{_PROTECTED.pattern}|\|")  # a table row: its cell borders too
_LETTER = re.compile(r"[^\W\d_]")
_LINE_BREAK = re.compile(r"(\r\n?|\n)")


@dataclass
class MarkdownTranslation:
    text: str
    flags: list[str] = field(default_factory=list)  # "line N: <flag>", N 1-based in the source
    segments: int = 0  # prose segments sent to the translator
    untranslated: int = 0  # segments the translator returned untranslated


class _Template:
    """The document as literal text and numbered prose slots."""

    def __init__(self) -> None:
        self.parts: list[str | int] = []
        self.segments: list[str] = []
        self.lines: list[int] = []  # source line of each segment

    def keep(self, text: str) -> None:
        if text:
            self.parts.append(text)

    def prose(self, text: str, line: int, protected: re.Pattern[str] = _PROTECTED) -> None:
        """Inline content: protected spans kept, the prose between them made slots."""
        last = 0
        for match in _LINK.finditer(text):
            self._plain(text[last : match.start()], line, protected)
            self.keep("[")
            self.prose(match.group(1), line, protected)
            self.keep("]" + match.group(2))
            last = match.end()
        self._plain(text[last:], line, protected)

    def _plain(self, text: str, line: int, protected: re.Pattern[str]) -> None:
        last = 0
        for match in protected.finditer(text):
            self._slot(text[last : match.start()], line)
            self.keep(match.group(0))
            last = match.end()
        self._slot(text[last:], line)

    def _slot(self, text: str, line: int) -> None:
        core = text.strip()
        # Punctuation closing the text before a code span or link stays where it is.
        core = re.sub(r"^[.,;:!?)\]]+\s*", "", core)
        if not _LETTER.search(core):
            self.keep(text)
            return
        start = text.index(core)
        self.keep(text[:start])
        self.parts.append(len(self.segments))
        self.segments.append(core)
        self.lines.append(line)
        self.keep(text[start + len(core) :])


def _parse(text: str) -> _Template:
    """Prose blocks (headings, paragraphs, table rows) become slots; every other line is kept.

    A paragraph's lines are joined and come out on its first line, after that line's list or
    quote markers; a setext heading keeps its underline."""
    template = _Template()
    pieces = _LINE_BREAK.split(text)
    lines, ends = pieces[0::2], pieces[1::2] + [""]
    done = 0  # lines written so far
    for block in parse_blocks(text):
        if block.kind not in PROSE_KINDS or block.start <= done or not block.text.strip():
            continue
        first, last = block.start - 1, block.end - 1
        if block.setext:
            last -= 1  # the underline is kept below
        template.keep("".join(lines[i] + ends[i] for i in range(done, first)))
        template.keep(block.prefix)
        if block.kind == TABLE_ROW:
            template.prose(block.text, block.start, _PROTECTED_IN_ROW)
        else:
            template.prose(" ".join(part.strip() for part in block.text.split("\n")), block.start)
        template.keep(block.suffix + ends[last])
        done = last + 1
    template.keep("".join(lines[i] + ends[i] for i in range(done, len(lines))))
    return template


def flag_marker(flags: list[str]) -> str:
    """The visible marker placed after a flagged segment (FLAG_MARKER finds it)."""
    text = "; ".join(flags)
    text = re.sub(r"([|*_\[\]`<>])", r"\\\1", text)
    return f" ⟦⚠ check translation: {text}⟧"


def translate_markdown(text: str, translator: Translator, source: str, target: str) -> MarkdownTranslation:
    """Translate the prose of a Markdown document, keeping its structure exactly.

    All prose segments go to the translator in one call, so a batching translator batches the
    whole document.
    """
    template = _parse(text)
    translations: list[Translation] = (
        translator.translate(template.segments, source, target) if template.segments else []
    )
    if len(translations) != len(template.segments):
        raise RuntimeError(
            f"translator returned {len(translations)} results for {len(template.segments)} segments"
        )
    result = MarkdownTranslation(text="", segments=len(template.segments))
    out: list[str] = []
    for part in template.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        translation = translations[part]
        if not translation.translated:
            result.untranslated += 1
        out.append(translation.text)
        if translation.flags:
            out.append(flag_marker(translation.flags))
            result.flags.extend(f"line {template.lines[part]}: {flag}" for flag in translation.flags)
    result.text = "".join(out)
    return result


def prose_segments(text: str) -> list[str]:
    """The prose a translation of `text` would send to the translator (for tests and dry runs)."""
    return _parse(text).segments
