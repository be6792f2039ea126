"""Ingest: files -> Articles (decoded, boilerplate stripped, metadata, sentences with line spans)."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefing.ingest import boilerplate, metadata
from briefing.ingest.instructions import is_instruction
from briefing.ingest.decode import DecodeError, read_file_bytes
from briefing.ingest.sentences import split_spans
from briefing.ingest.walk import reason_of, walk
from briefing.ingest.sources import (
    SUPPORTED_SUFFIXES,
    Block,
    SourceText,
    plain_text_source,
    read_source,
    source_from_bytes,
)
from briefing.model import Article, Sentence
from briefing.own_outputs import own_output
from briefing.paths import shown_path
from briefing.text import is_korean

_TERMINAL = re.compile(r"[.!?。…]['\"”’)\]]*(?:\[[^\[\]]{1,12}\])*$|[다요까죠]$")  # "다.[2]" too


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class IngestResult:
    articles: list[Article]
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # files read, but not the usual way ("x.html: ...")

    @property
    def warnings(self) -> list[str]:
        return [f"skipped {s.path}: {s.reason}" for s in self.skipped] + self.notes


# Documents a folder of articles often holds that are not read: named in a warning, not passed over silently.
NOT_READ = {
    ".pdf": "a PDF is not read; save the article as .txt or .html",
    ".docx": "a Word document is not read; save the article as .txt or .html",
    ".doc": "a Word document is not read; save the article as .txt or .html",
    ".odt": "an OpenDocument text is not read; save the article as .txt or .html",
    ".rtf": "an RTF document is not read; save the article as .txt or .html",
    ".hwp": "a Hangul (HWP) document is not read; save the article as .txt or .html",
    ".hwpx": "a Hangul (HWPX) document is not read; save the article as .txt or .html",
}


def accept_article(path: Path) -> bool | str:
    """An article file (True), a document named in a warning (its reason), or anything else (False)."""
    suffix = path.suffix.lower()
    return True if suffix in SUPPORTED_SUFFIXES else NOT_READ.get(suffix, False)


def find_inputs(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """Article files in `folder` and its subfolders (`walk.walk`: never leaving the folder), in a
    stable order, and what was passed over, named as citations name files."""
    found, passed = walk(folder, accept_article)
    return found, [Skipped(cite_path(p.path, folder, resolve=not p.link), p.reason) for p in passed]


def cite_path(path: Path, folder: Path, resolve: bool = True) -> str:
    """How a file is named in citations: relative to the input folder's parent ("seeds/x.txt").

    Encoded by `paths.shown_path`, so a name holding a newline, a backtick or a `|` is shown
    safely in footnotes, tables and brief.json alike. `resolve=False` names a link, not its target.
    """
    base = Path(os.path.realpath(folder)).parent
    real = Path(os.path.realpath(path)) if resolve else Path(os.path.realpath(path.parent), path.name)
    try:
        shown = real.relative_to(base).as_posix()
    except ValueError:
        shown = path.as_posix()
    return shown_path(shown)


def ingest_folder(folder: Path, reference: str | None = None) -> IngestResult:
    """Read every supported file of `folder`. Unreadable and duplicate files are skipped, named.

    `reference` (ISO date, the brief's) is the day relative page stamps ("16 hours ago") count back from.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"input folder not found: {folder}")
    paths, skipped = find_inputs(folder)
    result = IngestResult(articles=[], skipped=skipped)
    paths, own = _without_own_outputs(paths)
    if own:
        result.notes.append(_own_outputs_note([cite_path(p, folder) for p in own]))
    seen: dict[str, str] = {}
    used_ids: set[str] = set()
    for path in paths:
        shown = cite_path(path, folder)
        try:
            data = read_file_bytes(path)
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                result.skipped.append(Skipped(shown, f"duplicate of {seen[digest]}"))
                continue
            seen[digest] = shown
            source = source_from_bytes(path, data)
            same_text = _text_key(source)
            if same_text in seen:
                result.skipped.append(Skipped(shown, f"duplicate of {seen[same_text]} (the same text up to line ends and spaces)"))
                continue
            seen[same_text] = shown
            article_id = _unique_id(shown_path(path.stem), used_ids)  # a name's odd bytes encoded, as in paths
            left_out: list[str] = []
            article = build_article(source, shown, article_id, reference, left_out)
        except DecodeError as exc:
            result.skipped.append(Skipped(shown, str(exc)))
            continue
        except OSError as exc:
            result.skipped.append(Skipped(shown, f"cannot read: {reason_of(exc)}"))
            continue
        if not any(not s.is_fragment for s in article.sentences):
            # How the file was read says why nothing was left ("trafilatura found no article body ...").
            how = "".join(f"; {note}" for note in source.notes)
            result.skipped.append(Skipped(shown, f"no article text left after removing page furniture{how}"))
            continue
        result.articles.append(article)
        result.notes.extend(f"{shown}: {note}" for note in [*source.notes, *left_out])
    result.skipped.sort(key=lambda s: s.path)
    return result


EARLIEST_NEWS = "1990-01-01"  # a publication date before this is a page's template or a typo, not the news


def _implausible_date(published: str | None, reference: str | None) -> str | None:
    """Why a page's stated publication date cannot be when its news was reported, or None:
    before EARLIEST_NEWS ("Jan 1, 1900"), or after the brief's own date."""
    if not published:
        return None
    if published < EARLIEST_NEWS:
        return f"is before {EARLIEST_NEWS[:4]}"
    if reference is not None and published > reference:
        return f"is after the brief's date ({reference})"
    return None


def _text_key(source: SourceText) -> str:
    """What two copies of one article share whatever their line ends (CRLF, CR) and spacing."""
    text = " ".join(" ".join(block.text.split()) for block in source.blocks)
    return "text:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _without_own_outputs(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The paths that are not briefing's own outputs (an `--out` inside the input folder), and those that are."""
    own = {path for path in paths if own_output(path)}
    return [path for path in paths if path not in own], sorted(own)


def _own_outputs_note(shown: list[str]) -> str:
    more = f" and {len(shown) - 2} more" if len(shown) > 2 else ""
    return (f"not read as sources: {len(shown)} file(s) briefing wrote itself ({', '.join(shown[:2])}{more}); "
            "keep --out outside the input folder")


def _unique_id(stem: str, used: set[str]) -> str:
    candidate, n = stem, 2
    while candidate in used:
        candidate, n = f"{stem}-{n}", n + 1
    used.add(candidate)
    return candidate


def ingest_file(path: Path, shown: str | None = None, article_id: str | None = None) -> Article:
    source = read_source(path)
    return build_article(source, shown or path.as_posix(), article_id or path.stem)


def article_from_text(text: str, article_id: str, path: str = "<text>") -> Article:
    """An Article from in-memory text (evaluation sets), through the same cleaning as files."""
    return build_article(plain_text_source(text, Path(path)), path, article_id)


def build_article(
    source: SourceText, shown: str, article_id: str, reference: str | None = None, notes: list[str] | None = None
) -> Article:
    """An Article from a file's blocks; `reference` as in `ingest_folder`; `notes` gets one line
    for what was left out that a reader should know of (lines addressed to a model, a
    publication date that cannot be the news's). Review builds its sources' dates here too.

    For an HTML page, what its markup states (trafilatura's title, site name, author and date)
    comes first, and the rules for text pages fill in what it does not state.
    """
    blocks = list(source.blocks)
    texts = [b.text for b in blocks]
    meta = metadata.extract(texts, reference=reference)
    if source.page is not None:
        meta = metadata.overlay(source.page, meta)
    if doubt := _implausible_date(meta.published, reference):
        if notes is not None:
            notes.append(f"publication date {meta.published} {doubt}; not used as the reported date")
        meta.published = meta.published_text = meta.date_source = None  # the note keeps what it said
    tail = boilerplate.tail_start(texts)
    repeated = boilerplate.repeated_furniture(texts, [_is_prose(t) for t in texts])
    kept: list[Block] = []
    removed_lines: list[int] = []
    for index, block in enumerate(blocks):
        text = block.text.strip()
        furniture = (
            (tail is not None and index >= tail)
            # A whole block goes only when it is one furniture sentence or a photo caption; a
            # furniture sentence glued to a news paragraph is dropped on its own below.
            or (boilerplate.is_boilerplate(text) and (len(split_spans(text)) <= 1 or boilerplate.is_caption(text)))
            or metadata.is_metadata_line(text)
            or (index == 0 and meta.outlet is not None and text == meta.outlet)
            or metadata.names_byline(text, meta.byline)
            or index in repeated
        )
        if furniture:
            removed_lines.extend(range(block.line_start, block.line_end + 1))
            continue
        kept.append(block)

    title = meta.title or metadata.find_title([(b.text, _is_prose(b.text)) for b in kept])
    if title is not None and is_instruction(title):
        title = None  # read as a sentence below, and left out there
    sentences: list[Sentence] = []
    addressed: list[int] = []  # lines of sentences addressed to a language model
    paragraph = 0
    for block in kept:
        if title is not None and block.text.strip() == title:
            continue
        text = block.text
        offset = 0
        if not sentences:
            dateline = metadata.DATELINE.match(text)
            if dateline:
                offset = dateline.end()
        for start, end in split_spans(block.broken_text[offset:]):
            start, end = start + offset, end + offset
            sentence_text = text[start:end].strip()
            if boilerplate.is_boilerplate(sentence_text):
                removed_lines.extend(range(block.line_at(start), block.line_at(end - 1) + 1))
                continue
            if is_instruction(sentence_text):
                addressed.append(block.line_at(start))
                removed_lines.extend(range(block.line_at(start), block.line_at(end - 1) + 1))
                continue
            sentences.append(
                Sentence(
                    text=sentence_text,
                    line_start=block.line_at(start),
                    line_end=block.line_at(end - 1),
                    index=len(sentences),
                    paragraph=paragraph,
                    is_fragment=not _is_statement(sentence_text),
                )
            )
        paragraph += 1

    if sentences and all(s.is_fragment for s in sentences):
        # A headline and one sentence cut before its full stop is still an article: its prose
        # lines (eight words or more) are read as statements rather than the page being lost.
        sentences = [replace(s, is_fragment=False) if len(s.text.split()) >= 8 else s for s in sentences]
    if addressed and notes is not None:
        notes.append(_instructions_note(sorted(set(addressed))))
    all_text = " ".join(s.text for s in sentences)
    return Article(
        id=article_id,
        path=shown,
        language="ko" if is_korean(all_text) else "en",
        sentences=sentences,
        title=title,
        outlet=meta.outlet,
        published=meta.published,
        published_text=meta.published_text,
        date_source=meta.date_source,
        byline=meta.byline,
        encoding=source.encoding,
        boilerplate_lines=sorted(set(removed_lines)),
    )


def _instructions_note(lines: list[int]) -> str:
    where = f"line {lines[0]}" if len(lines) == 1 else f"lines {', '.join(map(str, lines[:5]))}" + (" …" if len(lines) > 5 else "")
    return f"{where} addressed to a language model (a chat role or “ignore previous instructions”); never used as a point"


def _is_statement(text: str) -> bool:
    """A full sentence (not a heading, label or list fragment)."""
    return bool(_TERMINAL.search(text.strip())) and len(text.split()) >= 4 or (
        is_korean(text) and bool(_TERMINAL.search(text.strip())) and len(text) >= 10
    )


def _is_prose(text: str) -> bool:
    return _is_statement(text) and len(text.split()) >= 6
