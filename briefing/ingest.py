"""Ingest: files -> Articles (decoded, boilerplate stripped, metadata, sentences with line spans)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from briefing import boilerplate, metadata
from briefing.decode import DecodeError
from briefing.model import Article, Sentence
from briefing.sentences import split_spans
from briefing.sources import SUPPORTED_SUFFIXES, Block, SourceText, plain_text_source, read_source
from briefing.text import is_korean

_TERMINAL = re.compile(r"[.!?。…]['\"”’)\]]*$|[다요까죠]$")


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class IngestResult:
    articles: list[Article]
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [f"skipped {s.path}: {s.reason}" for s in self.skipped]


def list_inputs(folder: Path) -> list[Path]:
    """Supported files directly in `folder` (and below), in a stable order."""
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
    )


def cite_path(path: Path, folder: Path) -> str:
    """How a file is named in citations: relative to the input folder's parent ("seeds/x.txt")."""
    try:
        return path.resolve().relative_to(folder.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()


def ingest_folder(folder: Path) -> IngestResult:
    """Read every supported file of `folder`. Unreadable and duplicate files are skipped, named."""
    if not folder.is_dir():
        raise FileNotFoundError(f"input folder not found: {folder}")
    result = IngestResult(articles=[])
    seen: dict[str, str] = {}
    used_ids: set[str] = set()
    for path in list_inputs(folder):
        shown = cite_path(path, folder)
        try:
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                result.skipped.append(Skipped(shown, f"duplicate of {seen[digest]}"))
                continue
            seen[digest] = shown
            article = ingest_file(path, shown, _unique_id(path.stem, used_ids))
        except (DecodeError, OSError) as exc:
            result.skipped.append(Skipped(shown, str(exc)))
            continue
        if not any(not s.is_fragment for s in article.sentences):
            result.skipped.append(Skipped(shown, "no article text left after removing page furniture"))
            continue
        result.articles.append(article)
    return result


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


def build_article(source: SourceText, shown: str, article_id: str) -> Article:
    blocks = list(source.blocks)
    texts = [b.text for b in blocks]
    meta = metadata.extract(texts)
    tail = boilerplate.tail_start(texts)
    kept: list[Block] = []
    removed_lines: list[int] = []
    seen_texts: set[str] = set()
    for index, block in enumerate(blocks):
        text = block.text.strip()
        furniture = (
            (tail is not None and index >= tail)
            # A whole block goes only when it is one furniture sentence or a photo caption; a
            # furniture sentence glued to a news paragraph is dropped on its own below.
            or (boilerplate.is_boilerplate(text) and (len(split_spans(text)) <= 1 or boilerplate.is_caption(text)))
            or metadata.is_metadata_line(text)
            or (index == 0 and meta.outlet is not None and text == meta.outlet)
            or (meta.byline is not None and text == meta.byline)
            or text.lower() in seen_texts
        )
        if furniture:
            removed_lines.extend(range(block.line_start, block.line_end + 1))
            continue
        seen_texts.add(text.lower())
        kept.append(block)

    title = metadata.find_title([(b.text, _is_prose(b.text)) for b in kept])
    sentences: list[Sentence] = []
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
        for start, end in split_spans(text[offset:]):
            start, end = start + offset, end + offset
            sentence_text = text[start:end].strip()
            if boilerplate.is_boilerplate(sentence_text):
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
        byline=meta.byline,
        encoding=source.encoding,
        boilerplate_lines=sorted(set(removed_lines)),
    )


def _is_statement(text: str) -> bool:
    """A full sentence (not a heading, label or list fragment)."""
    return bool(_TERMINAL.search(text.strip())) and len(text.split()) >= 4 or (
        is_korean(text) and bool(_TERMINAL.search(text.strip())) and len(text) >= 10
    )


def _is_prose(text: str) -> bool:
    return _is_statement(text) and len(text.split()) >= 6
