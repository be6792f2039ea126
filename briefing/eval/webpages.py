"""How well web pages are read: the text each page must and must not yield (boilerplate removal).

Input: JSON Lines, one page a line, `{"name", "html", "must": [...], "must_not": [...]}`
(`../shared/eval/webpages/dev.jsonl`, built from trafilatura's own real-world tests). A page
passes when every `must` string is in the text read and no `must_not` string is, as in those
tests; both sides are compared with their whitespace collapsed, since briefing's text is.

Readers, all run on the same pages: briefing's ingest (the article text as the brief sees it:
title, then the sentences left after furniture removal, a paragraph a line), trafilatura inside
briefing before its text is placed on lines, the built-in HTML rules alone (the fallback), and
`trafilatura.extract` with its defaults (readers' comments included) and with comments excluded,
as trafilatura's own benchmark and briefing call it: a brief does not cite readers' comments, so
`must` strings found only in comments are missed by design. A page counts as lost when a reader yields no text, or,
for briefing, when ingest would skip it (no statement left).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from briefing.ingest.sources import SourceText


@dataclass(frozen=True)
class WebPage:
    name: str
    html: str
    must: tuple[str, ...]
    must_not: tuple[str, ...]


@dataclass
class ReaderReport:
    name: str
    pages: int = 0
    lost: int = 0
    passed: int = 0
    must: int = 0
    must_found: int = 0
    must_not: int = 0
    must_not_absent: int = 0
    misses: list[str] = field(default_factory=list)  # "page: missing 'x'" / "page: has 'y'" / "page: lost"

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "pages": self.pages,
            "passed": self.passed,
            "lost": self.lost,
            "must_found": _percent(self.must_found, self.must),
            "must_not_absent": _percent(self.must_not_absent, self.must_not),
        }


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 100.0


def load_pages(path: Path) -> list[WebPage]:
    """The pages of a JSON Lines file; ValueError naming the first line that is not a page."""
    pages = []
    # split on "\n" only: str.splitlines also splits at U+2028 and the like, which pages hold inside strings
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {number}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("html"), str):
            raise ValueError(f"line {number}: expected an object with an 'html' string")
        lists = [row.get(key, []) for key in ("must", "must_not")]
        if not all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in lists):
            raise ValueError(f"line {number}: 'must' and 'must_not' must be lists of strings")
        pages.append(WebPage(str(row.get("name") or f"line-{number}.html"), row["html"], *map(tuple, lists)))
    return pages


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def article_text(source: SourceText) -> str:
    """What the brief reads of a source: its title, then its sentences, a paragraph a line; ""
    when ingest would skip the file (no statement left after furniture removal)."""
    from briefing.ingest.folder import build_article

    article = build_article(source, source.path.name, source.path.stem)
    if all(s.is_fragment for s in article.sentences):
        return ""
    paragraphs: dict[int, list[str]] = {}
    for sentence in article.sentences:
        paragraphs.setdefault(sentence.paragraph, []).append(sentence.text)
    return "\n".join([article.title or "", *(" ".join(p) for p in paragraphs.values())]).strip()


def _briefing(page: WebPage) -> str:
    from briefing.ingest.sources import html_source

    return article_text(html_source(page.html, Path(page.name)))


def _builtin(page: WebPage) -> str:
    from briefing.ingest.sources import builtin_html_source

    return article_text(builtin_html_source(page.html, Path(page.name)))


def _inner_trafilatura(page: WebPage) -> str:
    from briefing.ingest.webpage import read_page

    read = read_page(page.html)
    return "" if read is None else "\n".join(read.paragraphs)


def _trafilatura(page: WebPage, **options) -> str:
    import trafilatura

    return trafilatura.extract(page.html, **options) or ""


READERS: list[tuple[str, Callable[[WebPage], str]]] = [
    ("briefing", _briefing),
    ("trafilatura-in-briefing (before placement)", _inner_trafilatura),
    ("builtin-rules", _builtin),
    ("trafilatura.extract (defaults)", _trafilatura),
    # As trafilatura's benchmark calls it, and as briefing does: readers' comments are not the article.
    ("trafilatura.extract (comments excluded)", lambda page: _trafilatura(page, include_comments=False)),
]


def evaluate(pages: list[WebPage], readers: list[tuple[str, Callable[[WebPage], str]]] = READERS) -> list[ReaderReport]:
    """One report per reader, the default (briefing) first."""
    reports = []
    for name, read in readers:
        report = ReaderReport(name)
        for page in pages:
            text = _squash(read(page))
            report.pages += 1
            missing = [s for s in page.must if _squash(s) not in text]
            present = [s for s in page.must_not if _squash(s) in text]
            report.must += len(page.must)
            report.must_found += len(page.must) - len(missing)
            report.must_not += len(page.must_not)
            report.must_not_absent += len(page.must_not) - len(present)
            if not text:
                report.lost += 1
                report.misses.append(f"{page.name}: lost (no article text)")
            report.misses.extend(f"{page.name}: missing {s[:60]!r}" for s in missing if text)
            report.misses.extend(f"{page.name}: has {s[:60]!r}" for s in present)
            report.passed += not missing and not present
        reports.append(report)
    return reports
