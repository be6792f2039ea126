"""Check a brief draft (possibly edited by a person) against its sources before it goes out.

Findings are `DRAFT:LINE: message`. Errors make the review fail; notes say what could not be
checked (e.g. support of real Korean text against an English source) and do not.

Where cited files are looked for (the brief cites paths relative to the input folder's
parent, e.g. `seeds/x.txt`, encoded by `paths.shown_path`): with `--sources DIR`, relative to
DIR's parent, then DIR itself, and the file must lie inside DIR; without it, the root is the
current directory when the draft lies inside it, else the draft's own folder, never `/`, the
home folder or above the draft's repository (`briefing.review.root`), and a cited path is looked
for from the root, the draft's folder and each folder between them (so
`outputs/<date>/brief.en.md` finds `seeds/` at the root), and must lie inside the root. A draft
cannot make the review read files elsewhere: absolute paths, `..` and files that are not
articles (.txt, .md, .html) are refused, unless `allow_outside` (`--allow-outside`) is given.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from briefing.dates import MONTHS, find_dates, parse_iso
from briefing.ingest.decode import DecodeError, decode_bytes, read_file_bytes
from briefing.ingest.folder import build_article
from briefing.ingest.sources import SUPPORTED_SUFFIXES, SourceText, source_from_bytes
from briefing.labels import in_every_language
from briefing.merge.support import check_support
from briefing.paths import os_name, read_path, safe_path
from briefing.review.draft import (
    FIGURE_SECTIONS,
    MAX_QUOTED_BYTES,
    MAX_SOURCE_BYTES,
    POSITION_SECTIONS,
    TIMELINE_SECTIONS,
    CitedSegment,
    Draft,
    DraftError,
    FootnoteDef,
    read_draft,
)
from briefing.review.root import PASS_SOURCES, default_root
from briefing.text import is_korean, normalise, numbers, without_edit_marks

ERROR = "error"
NOTE = "note"

# Markup that would run code if the draft were shown as HTML.
_INJECTIONS = (
    (re.compile(r"<\s*script\b", re.I), "a <script> element"),
    (re.compile(r"<\s*(iframe|object|embed|frame|frameset)\b", re.I), "an <{0}> element"),
    (re.compile(r"<[a-z][^>]*?[\s/\"']on[a-z]+\s*=", re.I), "an on…= event handler in an HTML tag"),
    (re.compile(r"(?:\]\(\s*<?|\]:\s*<?|<|<[a-z][^>]*\b(?:href|src|action|formaction)\s*=\s*[\"']?\s*)"
                r"(?:javascript|vbscript|data)\s*:", re.I),
     "a javascript:/vbscript:/data: URL"),
)
_BACKSLASH_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")  # a backslash-escaped ASCII punctuation character


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    message: str
    severity: str = ERROR
    evidence: str = ""  # the nearest source passage, for a sentence its citation does not support

    def __str__(self) -> str:
        prefix = "note: " if self.severity == NOTE else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


@dataclass
class ReviewReport:
    draft: Draft
    findings: list[Finding] = field(default_factory=list)
    citations_checked: int = 0
    segments_checked: int = 0
    pair: Path | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        notes = len(self.findings) - len(self.errors)
        verdict = "OK" if self.ok else "FAILED"
        paired = f", footnotes compared with {self.pair}" if self.pair else ""
        return (
            f"{self.draft.path}: {verdict}: {len(self.errors)} problem(s), {notes} note(s); "
            f"{self.citations_checked} footnote(s), {self.segments_checked} cited passage(s) checked{paired}"
        )


@dataclass
class ResolvedSource:
    path: Path
    text: SourceText
    line_count: int
    _published: object = None
    reference: str | None = None  # the brief's date: what a page's "16 hours ago" counted back from

    @property
    def published(self):
        """The article's own date (from the same metadata code as ingest), for relative dates."""
        return self._dated()[0]

    @property
    def reported_on(self):
        """The date a brief shows its points reported on (`Article.reported`, as the brief uses)."""
        return self._dated()[1]

    def _dated(self) -> tuple:
        if self._published is None:
            try:
                article = build_article(self.text, self.path.as_posix(), self.path.stem, self.reference)
                self._published = (parse_iso(article.published), parse_iso(article.reported))
            except Exception:  # noqa: BLE001  (metadata is a best effort here)
                self._published = (None, None)
        return self._published


class Sources:
    """Finds and reads cited files (see the module docstring for where it looks), cached."""

    def __init__(
        self, draft_path: Path, sources_dir: Path | None = None, cwd: Path | None = None, allow_outside: bool = False
    ):
        self.sources_dir = sources_dir.resolve() if sources_dir else None
        self.allow_outside = allow_outside
        here = draft_path.resolve().parent
        current = (cwd or Path.cwd()).resolve()
        if self.sources_dir:
            self.root: Path | None = self.sources_dir
            self.bases = [self.sources_dir.parent, self.sources_dir]
        elif allow_outside:
            self.root = None
            self.bases = [current, here, *here.parents]
        else:
            self.root = default_root(here, current)
            between = [p for p in here.parents if self.root and p.is_relative_to(self.root) and p != self.root]
            self.bases = [self.root, here, *between] if self.root else []
        self._cache: dict[str, ResolvedSource | str] = {}
        self.bytes_read = 0  # of the distinct cited files, against MAX_SOURCE_BYTES
        self.reference: str | None = None  # the brief's date (see ResolvedSource.reference)

    def refusal(self, cited: str) -> str | None:
        """Why a cited path is not looked up at all, or None."""
        if self.allow_outside:
            return None
        path = Path(read_path(cited))
        if path.is_absolute():
            return "an absolute path"
        if ".." in path.parts:
            return "a path with `..`"
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            return "not an article file (.txt, .md, .html)"
        return None

    def locate(self, cited: str) -> Path | None:
        if self.refusal(cited):
            return None
        names = dict.fromkeys([read_path(cited), os_name(cited)])  # as encoded in a brief; as written by hand
        candidates = [Path(name) for name in names]
        options = [c for c in candidates if c.is_absolute()] + [
            base / c for c in candidates if not c.is_absolute() for base in self.bases
        ]
        for option in options:
            resolved = option.resolve()
            if self.root is not None and not resolved.is_relative_to(self.root):
                continue
            if resolved.is_file():
                return resolved
        return None

    def get(self, cited: str) -> ResolvedSource | str:
        """The source, or why it cannot be read."""
        if cited not in self._cache:
            self._cache[cited] = self._load(cited)
        return self._cache[cited]

    def _load(self, cited: str) -> ResolvedSource | str:
        refused = self.refusal(cited)
        if refused:
            return f"cited file `{cited}` not found: {refused} is not looked up (--allow-outside allows it)"
        if not self.bases:
            return f"cited file `{cited}` not looked up: the draft lies in / or the home folder; {PASS_SOURCES}"
        path = self.locate(cited)
        if path is None:
            where = f"inside {self.root}" if self.root else "from " + ", ".join(str(b) for b in self.bases[:2])
            hint = f"; {PASS_SOURCES}" if self.sources_dir is None and not self.allow_outside else ""
            return f"cited file `{cited}` not found ({where}){hint}"
        try:
            data = read_file_bytes(path)
            self.bytes_read += len(data)
            if self.bytes_read > MAX_SOURCE_BYTES:
                raise DraftError(f"the draft cites over {MAX_SOURCE_BYTES // 1024 // 1024} MiB of source files "
                                 f"(by `{safe_path(cited)}`); a brief cites a few articles")
            lines = decode_bytes(data)[0].count("\n") + 1
            return ResolvedSource(path, source_from_bytes(path, data), lines, reference=self.reference)
        except (OSError, DecodeError) as exc:
            return f"cited file `{cited}` cannot be read: {exc}"


def review_file(
    draft_path: Path,
    sources_dir: Path | None = None,
    pair: Path | None = None,
    auto_pair: bool = True,
    cwd: Path | None = None,
    allow_outside: bool = False,
) -> ReviewReport:
    """Review `draft_path`. `pair`: the other language's draft; found beside it when `auto_pair`.

    Raises DraftError (one line) for a draft that cannot be checked.
    """
    draft = read_draft(draft_path)
    sources = Sources(draft_path, sources_dir, cwd, allow_outside)
    sources.reference = brief_date(draft)
    report = ReviewReport(draft)
    shown = str(draft_path)
    report.findings += check_injection(draft, shown)
    report.findings += check_footnote_use(draft, shown)
    spans, findings = resolve_footnotes(draft, sources, shown)
    report.findings += findings
    report.citations_checked = len(draft.definitions)
    for segment in draft.segments:
        report.findings += check_segment(segment, spans, shown)
        report.segments_checked += 1
    report.findings += check_uncited(draft, shown)
    if pair is None and auto_pair:
        pair = sibling_draft(draft_path)
    if pair is not None:
        report.pair = pair
        report.findings += check_pair(draft, read_draft(pair), shown, str(pair))
    report.findings.sort(key=lambda f: (f.path != shown, f.path, f.line, f.severity != ERROR))
    return report


def brief_date(draft: Draft) -> str | None:
    """The brief's own date, from its italic header line ("*21 November 2026 · 4 sources · …*")."""
    for line in draft.lines[:6]:
        if line.startswith("*") and not line.startswith("**"):
            dated = [m.iso for m in find_dates(line.split("·")[0]) if m.iso and len(m.iso) == 10]
            return dated[0] if dated else None
    return None


def sibling_draft(path: Path) -> Path | None:
    """brief.en.md <-> brief.ko.md (any `NAME.en.md` / `NAME.ko.md`), when it exists."""
    match = re.fullmatch(r"(.*)\.(en|ko)\.md", path.name)
    if not match:
        return None
    other = path.with_name(f"{match.group(1)}.{'ko' if match.group(2) == 'en' else 'en'}.md")
    return other if other.is_file() else None


def check_injection(draft: Draft, shown: str) -> list[Finding]:
    found = []
    for number, line in enumerate(draft.lines, start=1):
        line = _BACKSLASH_ESCAPE.sub(" ", line)  # `\](` is text, not a link
        for pattern, what in _INJECTIONS:
            match = pattern.search(line)
            if match:
                tag = match.group(1).lower() if match.groups() and match.group(1) else ""
                found.append(Finding(shown, number, f"possible script injection: {what.format(tag)}"))
    return found


def check_uncited(draft: Draft, shown: str) -> list[Finding]:
    """Every claim of a cited section carries a footnote: a bullet, sentence or table row without one is a problem."""
    return [Finding(shown, item.line, f"no citation: “{_clip(item.text)}” ({item.section})") for item in draft.uncited]


def check_footnote_use(draft: Draft, shown: str) -> list[Finding]:
    found = []
    referenced = {r.label for r in draft.references}
    for ref in draft.references:
        if ref.label not in draft.definitions:
            found.append(Finding(shown, ref.line, f"footnote [^{ref.label}] is referenced but not defined"))
    for label, definition in draft.definitions.items():
        if label not in referenced:
            found.append(Finding(shown, definition.line, f"footnote [^{label}] is defined but never referenced (orphaned)"))
    for definition in draft.duplicate_definitions:
        found.append(Finding(shown, definition.line, f"footnote [^{definition.label}] is defined more than once"))
    return found


@dataclass(frozen=True)
class Span:
    definition: FootnoteDef
    source: ResolvedSource
    text: str  # the cleaned text of the cited lines


def resolve_footnotes(draft: Draft, sources: Sources, shown: str) -> tuple[dict[str, Span], list[Finding]]:
    """Each definition's cited lines; findings for bad format, missing files, bad spans, quotes."""
    spans: dict[str, Span] = {}
    found: list[Finding] = []
    quoted = 0
    for label, definition in draft.definitions.items():
        where = definition.line
        if definition.file is None:
            found.append(Finding(shown, where, f"footnote [^{label}] is not a citation (`file`, line N: “quote”)"))
            continue
        source = sources.get(definition.file)
        if isinstance(source, str):
            found.append(Finding(shown, where, f"footnote [^{label}]: {source}"))
            continue
        first, last = definition.line_start, definition.line_end
        if first < 1 or last < first or last > source.line_count:
            found.append(
                Finding(shown, where, f"footnote [^{label}]: lines {first}–{last} are not in `{definition.file}` "
                        f"({source.line_count} lines)")
            )
            continue
        text = source.text.text_between(first, last)
        if not text:
            found.append(Finding(shown, where, f"footnote [^{label}]: lines {first}–{last} of `{definition.file}` hold no article text"))
            continue
        quoted += len(text.encode("utf-8", "surrogatepass"))
        if quoted > MAX_QUOTED_BYTES:
            raise DraftError(f"the draft {safe_path(shown)} cites over {MAX_QUOTED_BYTES // 1024 // 1024} MiB of source "
                             f"text (by footnote [^{label}] at line {where}); a brief cites kilobytes")
        spans[label] = Span(definition, source, text)
        if definition.quote and normalise(definition.quote) not in normalise(text):
            found.append(
                Finding(shown, where, f"footnote [^{label}]: quoted text “{_clip(definition.quote)}” is not in "
                        f"`{definition.file}` lines {first}–{last}")
            )
        elif not definition.quote:
            found.append(Finding(shown, where, f"footnote [^{label}] quotes nothing from its lines"))
    return spans, found


def check_segment(segment: CitedSegment, spans: dict[str, Span], shown: str) -> list[Finding]:
    cited = [spans[label] for label in segment.labels if label in spans]
    if not cited or not segment.text:
        return []
    found: list[Finding] = []
    refs = "".join(f"[^{label}]" for label in segment.labels)
    missing = missing_numbers(segment.text, cited)
    if missing:
        found.append(Finding(shown, segment.line, f"number(s) {', '.join(missing)} not in the cited lines {refs}"))
    if segment.quoted:
        # A quotation comes from at least one cited span; the other sources of a merged entry
        # (the same event or figure in other words) must support it.
        holding = [span for span in cited if normalise(segment.text) in normalise(span.text)]
        if not holding:
            found.append(
                Finding(shown, segment.line, f"quotation “{_clip(segment.text)}” is in none of the cited lines {refs}")
            )
        else:
            found += _check_support(segment, [s for s in cited if s not in holding], shown)
        if segment.section in TIMELINE_SECTIONS and segment.label:
            found += _check_timeline_date(segment, cited, shown)
        return found
    support = _check_support(segment, cited, shown)
    if segment.section in FIGURE_SECTIONS:
        # A figure row cites every source counting that value; its words come from one of them.
        same_language = [span for span in cited if is_korean(span.text) == is_korean(segment.text)]
        failed = [f for f in support if f.severity != NOTE]
        if len(failed) < len(same_language):
            support = [f for f in support if f.severity == NOTE]
    found += support
    if segment.reported:
        found += _check_reported_date(segment, cited, shown)
    if segment.section in POSITION_SECTIONS and segment.label:
        found += _check_actor(segment, cited, shown)
    return found


def _check_actor(segment: CitedSegment, cited: list[Span], shown: str) -> list[Finding]:
    """The actor a position is given to is named in its statement (the brief takes it from the
    statement's words); in a translated statement, in the cited lines of the actor's language.
    Not checked when neither is in the actor's language."""
    texts = [segment.text] if is_korean(segment.text) == is_korean(segment.label) else []
    texts = texts or [span.text for span in cited if is_korean(span.text) == is_korean(segment.label)]
    wanted = re.findall(r"\w+", normalise(segment.label).lower())
    if not texts or not wanted:
        return []
    for text in texts:
        have = normalise(text).lower()
        if all(re.search(rf"(?<!\w){re.escape(w)}", have) for w in wanted):
            return []
    where = "its statement" if texts[0] is segment.text else "the cited lines " + "".join(f"[^{label}]" for label in segment.labels)
    return [Finding(shown, segment.line, f"actor “{segment.label}” is not named in {where}")]


def _check_reported_date(segment: CitedSegment, cited: list[Span], shown: str) -> list[Finding]:
    """The date shown after a statement is the day its earliest dated cited source published it."""
    wanted = parse_date_label(segment.reported)
    if wanted is None or None in wanted:
        return [Finding(shown, segment.line, f"reported date “{segment.reported}” not recognised; not checked", NOTE)]
    days = sorted(d for d in (span.source.reported_on for span in cited) if d)
    if days and (days[0].year, days[0].month, days[0].day) == wanted:
        return []
    return [Finding(shown, segment.line, f"reported date “{segment.reported}” is not the date of the earliest cited source")]


def _check_support(segment: CitedSegment, cited: list[Span], shown: str) -> list[Finding]:
    """Each cited source must support the sentence; the passages it cites from one source are read
    together (a point citing the line that names a person and the line it states)."""
    found: list[Finding] = []
    by_file: dict[str, list[Span]] = {}
    for span in cited:
        by_file.setdefault(span.definition.file, []).append(span)
    for spans in by_file.values():
        labels = "".join(f"[^{span.definition.label}]" for span in spans)
        text = " ".join(span.text for span in spans)
        if is_korean(segment.text) != is_korean(text):
            found.append(
                Finding(shown, segment.line, f"support by {labels} not checked: the sentence and its "
                        "source are in different languages (numbers were checked)", NOTE)
            )
            continue
        result = check_support(without_edit_marks(segment.text), text)
        if not result.supported:
            why = "; ".join(result.reasons) or f"score {result.score}"
            where = ", ".join(_lines(span.definition) for span in spans)
            found.append(
                Finding(shown, segment.line, f"“{_clip(segment.text)}” is not supported by {labels} "
                        f"(`{spans[0].definition.file}` {where}): {why}", evidence=result.evidence or text)
            )
    return found


def missing_numbers(statement: str, cited: list[Span]) -> list[str]:
    """Numbers of the statement found in none of the cited spans (dates compared as dates)."""
    have = set()
    mentions = []
    for span in cited:
        have.update(numbers(span.text))
        mentions += find_dates(span.text, span.source.published)
    wanted = Counter(numbers(statement))
    for mention in find_dates(statement):
        if any(_same_date(mention, other) for other in mentions):
            wanted.subtract(numbers(mention.text))
    return sorted({n for n, count in wanted.items() if count > 0 and n not in have}, key=_number_order)


def _check_timeline_date(segment: CitedSegment, cited: list[Span], shown: str) -> list[Finding]:
    wanted = parse_date_label(segment.label)
    if wanted is None:
        return [Finding(shown, segment.line, f"timeline date “{segment.label}” not recognised; not checked", NOTE)]
    for span in cited:
        for mention in find_dates(span.text, span.source.published):
            if (mention.year, mention.month, mention.day) == wanted or (
                wanted[0] is None and (mention.month, mention.day) == wanted[1:]
            ):
                return []
        if wanted[1] is None and str(wanted[0]) in numbers(span.text):
            return []  # a bare year, written without a preposition
    return [Finding(shown, segment.line, f"timeline date “{segment.label}” is not a date in the cited lines")]


# "(year not stated)" after a timeline date, in any language of the label table.
_YEAR_NOT_STATED = re.compile(r"\s*(?:" + "|".join(map(re.escape, sorted(in_every_language("year_not_stated")))) + r")\s*$")


def parse_date_label(label: str) -> tuple[int | None, int | None, int | None] | None:
    """The inverse of `dates.format_date` (with "(year not stated)" after a year-less date): (year, month, day), None if unknown."""
    text = _YEAR_NOT_STATED.sub("", label).strip()
    match = re.fullmatch(r"(?:(\d{4})년)?\s*(?:(\d{1,2})월)?\s*(?:(\d{1,2})일)?", text)
    if match and any(match.groups()):
        return tuple(int(g) if g else None for g in match.groups())  # type: ignore[return-value]
    match = re.fullmatch(r"(?:(\d{1,2})\s+)?([A-Za-z]+)\.?\s*(\d{1,2})?,?\s*(\d{4})?", text)
    if match and match.group(2).lower() in MONTHS:
        day = match.group(1) or match.group(3)
        return (int(match.group(4)) if match.group(4) else None, MONTHS[match.group(2).lower()], int(day) if day else None)
    if re.fullmatch(r"\d{4}", text):
        return (int(text), None, None)
    return None


def check_pair(draft: Draft, other: Draft, shown: str, other_shown: str) -> list[Finding]:
    """Both language versions must cite the same (file, line span) set."""
    mine, theirs = draft.citation_keys, other.citation_keys
    found = []
    for key, definition in mine.items():
        if key not in theirs:
            found.append(Finding(shown, definition.line, f"footnote [^{definition.label}] (`{key[0]}` {_lines(definition)}) "
                                 f"is not cited in {other_shown}"))
    for key, definition in theirs.items():
        if key not in mine:
            found.append(Finding(other_shown, definition.line, f"footnote [^{definition.label}] (`{key[0]}` {_lines(definition)}) "
                                 f"is not cited in {shown}"))
    return found


def _same_date(a, b) -> bool:
    if (a.month, a.day) != (b.month, b.day):
        return False
    return a.year is None or b.year is None or a.year == b.year


def _number_order(value: str) -> tuple[float, str]:
    try:
        return (float(re.sub(r"[^\d.]", "", value) or 0), value)
    except ValueError:
        return (0.0, value)


def _lines(definition: FootnoteDef) -> str:
    if definition.line_start == definition.line_end:
        return f"line {definition.line_start}"
    return f"lines {definition.line_start}–{definition.line_end}"


def _clip(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
