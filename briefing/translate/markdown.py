"""Markdown-aware translation: only prose is sent to the translator; structure is kept exactly.

Passed through untouched: front matter, fenced and indented code, HTML blocks and comments,
horizontal rules, table separator rows, link reference definitions, footnote definitions (their
quote is the exact source text a citation points at, so it is evidence, not prose), and inline:
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

from briefing.model import Translation
from briefing.translate.base import Translator

FLAG_MARKER = re.compile(r" ⟦⚠ check translation: [^⟧]*⟧")

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HR = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_FOOTNOTE_DEF = re.compile(r"^\s{0,3}\[\^[^\]]+\]:")
_LINK_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S")
_HEADING = re.compile(r"^(\s{0,3}#{1,6}(?:\s+|$))(.*?)(\s+#+\s*)?$")
_QUOTE = re.compile(r"^(\s{0,3}>\s?)")
_LIST = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)])(?:\s+|$)(?:\[[ xX]\]\s+)?)")
_HTML_LINE = re.compile(r"^\s{0,3}</?[A-Za-z!][^>]*>")

_LINK = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\[\]]*\])+)\](\([^)]*\)|\[[^\]]*\])")
_PROTECTED = re.compile(
    r"(`+)[\s\S]*?\1"  # code span
    r"|\[\^[^\]\s]+\]"  # footnote marker
    r"|!\[[^\]]*\]\([^)]*\)"  # image
    r"|<[^>\s]+>|<[A-Za-z/!][^>]*>"  # autolink, HTML tag
    r"|(?:https?://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"  # bare URL
    r"|(?:[\w.-]+/)*[\w-][\w.-]*\.(?:txt|md|json|html?|csv|tsv|pdf|xml|py|toml)\b"  # file name
    r"|\blines?\s+\d+(?:\s*[-–]\s*\d+)?"  # line span
    r"|\\[\\`*_{}\[\]()#+\-.!|~<>]"  # backslash escape
    r"|\*{1,3}|~~|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9])"  # emphasis markers
    r"|⟦⚠[^⟧]*⟧"  # an earlier run's flag marker
)
_LETTER = re.compile(r"[^\W\d_]")


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

    def prose(self, text: str, line: int) -> None:
        """Inline content: protected spans kept, the prose between them made slots."""
        last = 0
        for match in _LINK.finditer(text):
            self._plain(text[last : match.start()], line)
            self.keep("[")
            self.prose(match.group(1), line)
            self.keep("]" + match.group(2))
            last = match.end()
        self._plain(text[last:], line)

    def _plain(self, text: str, line: int) -> None:
        last = 0
        for match in _PROTECTED.finditer(text):
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


def _is_block_start(line: str) -> bool:
    return bool(
        not line.strip()
        or _FENCE.match(line) or _HR.match(line) or _HEADING.match(line) or _QUOTE.match(line)
        or _LIST.match(line) or _FOOTNOTE_DEF.match(line) or _LINK_DEF.match(line)
        or _HTML_LINE.match(line) or _is_table_row(line)
    )


def _passes_through(line: str, previous_blank: bool) -> bool:
    """A whole line with no prose: blank, rule, table separator, link definition, HTML, or
    indented code (four spaces after a blank line)."""
    return bool(
        not line.strip()
        or _HR.match(line)
        or ("-" in line and _TABLE_SEP.match(line))
        or (_LINK_DEF.match(line) and not _FOOTNOTE_DEF.match(line))
        or _HTML_LINE.match(line)
        or (previous_blank and re.match(r"^(?: {4}|\t)", line))
    )


def _is_table_row(line: str) -> bool:
    return line.lstrip().startswith("|") and line.count("|") >= 2


def _table_cells(row: str) -> list[str]:
    """Split a row on pipes that are not escaped and not inside a code span."""
    cells, current, code = [], [], 0
    i = 0
    while i < len(row):
        char = row[i]
        if char == "\\" and i + 1 < len(row):
            current.append(row[i : i + 2])
            i += 2
            continue
        if char == "`":
            code ^= 1
        if char == "|" and not code:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current))
    return cells


def _parse(text: str) -> _Template:
    template = _Template()
    lines = text.split("\n")
    i = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((j for j in range(1, len(lines)) if lines[j].strip() in ("---", "...")), None)
        if end is not None:
            template.keep("\n".join(lines[: end + 1]) + ("\n" if end + 1 < len(lines) else ""))
            i = end + 1
    previous_blank = True
    while i < len(lines):
        line = lines[i]
        number = i + 1
        newline = "\n" if i + 1 < len(lines) else ""
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group(1)
            j = i + 1
            while j < len(lines) and not re.match(rf"^\s{{0,3}}{marker[0]}{{{len(marker)},}}\s*$", lines[j]):
                j += 1
            j = min(j, len(lines) - 1)
            template.keep("\n".join(lines[i : j + 1]) + ("\n" if j + 1 < len(lines) else ""))
            i = j + 1
            previous_blank = False
            continue
        if line.lstrip().startswith("<!--"):
            j = i
            while j < len(lines) - 1 and "-->" not in lines[j]:
                j += 1
            template.keep("\n".join(lines[i : j + 1]) + ("\n" if j + 1 < len(lines) else ""))
            i = j + 1
            continue
        i += 1
        if _passes_through(line, previous_blank):
            template.keep(line + newline)
            previous_blank = not line.strip()
            continue
        previous_blank = False
        if _FOOTNOTE_DEF.match(line):
            template.keep(line + newline)
            while i < len(lines) and re.match(r"^(?: {4}|\t)\S", lines[i]):  # its continuation
                template.keep(lines[i] + ("\n" if i + 1 < len(lines) else ""))
                i += 1
            continue
        if _is_table_row(line):
            cells = _table_cells(line)
            for k, cell in enumerate(cells):
                if k:
                    template.keep("|")
                template.prose(cell, number)
            template.keep(newline)
            continue
        prefix = ""
        while True:  # blockquote and list markers nest: "> - item"
            match = _QUOTE.match(line) or _LIST.match(line)
            if not match:
                break
            prefix += match.group(1)
            line = line[match.end() :]
        heading = _HEADING.match(line)
        if heading:
            template.keep(prefix + heading.group(1))
            template.prose(heading.group(2), number)
            template.keep((heading.group(3) or "") + newline)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        body = [line.strip()]
        while i < len(lines) and not _is_block_start(lines[i]) and not prefix.lstrip().startswith(">"):
            body.append(lines[i].strip())  # lazy continuation of a hard-wrapped paragraph
            i += 1
        newline = "\n" if i < len(lines) else ""
        template.keep(prefix + indent)
        template.prose(" ".join(body), number)
        template.keep(newline)
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
