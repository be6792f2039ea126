"""Render a Brief to Markdown (one file per language, the Jinja2 template prompts/brief.md.j2 with
that language's words from `briefing.labels`) and to JSON.

Citations are data until here: the renderer numbers them in order of first use and writes
Markdown footnotes with the file, the line span and a short quote that is an exact substring of
the cited lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from briefing import settings
from briefing.dates import find_dates, format_date
from briefing.labels import labels
from briefing.merge.sameness import language_of
from briefing.model import Brief, Citation, Point, Position, Story, Translation
from briefing.paths import safe_path
from briefing.text import quantities
from briefing.translate.markdown import flag_marker

QUOTE_WORDS = 14
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
# An ampersand that a Markdown reader would take for an entity ("&amp;", "&#39;"); any other
# ("S&P 500", "AT&T") is shown as it is, as Markdown shows it.
_ENTITY_START = re.compile(r"&(?=#?\w+;)")
_LINE_START_MARKER = re.compile(r"^(\s*\d*)([-+.)])(?=\s|$)")  # "- ", "+ ", "1. " would start a list


def md_escape(text: str) -> str:
    """Escape text so Markdown shows it literally; HTML-like input is neutralised too."""
    text = _MD_SPECIAL.sub(r"\\\1", _ENTITY_START.sub("&amp;", text))
    text = _LINE_START_MARKER.sub(r"\1\\\2", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def md_unescape(text: str) -> str:
    """Undo `md_escape` (for checking quotes against their sources)."""
    text = re.sub(r"\\([\\`*_\[\]|#+\-.)])", r"\1", text.replace("&lt;", "<").replace("&gt;", ">"))
    return text.replace("&amp;", "&")


def short_quote(text: str, words: int = QUOTE_WORDS) -> str:
    """The first `words` words of the cited text, as written, with an ellipsis when cut."""
    tokens = text.split()
    if len(tokens) <= words:
        return text.strip()
    return " ".join(tokens[:words]) + " …"


@dataclass
class Footnotes:
    """Numbers citations in order of first use; the same citation keeps its number."""

    language: str
    numbers: dict[tuple[str, int, int, str], int] = field(default_factory=dict)
    entries: list[Citation] = field(default_factory=list)

    def cite(self, citations: list[Citation]) -> str:
        marks = []
        for citation in citations:
            key = (*citation.key, citation.quote)
            if key not in self.numbers:
                self.numbers[key] = len(self.entries) + 1
                self.entries.append(citation)
            marks.append(f"[^{self.numbers[key]}]")
        return "".join(dict.fromkeys(marks))

    def definitions(self) -> list[str]:
        return [
            f"[^{i}]: `{safe_path(c.file)}`, {labels(self.language).line_span(c.line_start, c.line_end)}: “{md_escape(short_quote(c.quote))}”"
            for i, c in enumerate(self.entries, start=1)
        ]


def _template_source(name: str) -> tuple[str, None, None]:
    """A template's text: the user's own (BRIEFING_PROMPTS_DIR, the settings folder) or the packaged one."""
    path = settings.prompt_file(name)
    try:
        return path.read_text(encoding="utf-8"), str(path), None  # the file name: errors name it
    except FileNotFoundError:
        import jinja2

        raise jinja2.TemplateNotFound(name) from None


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["md"] = md_escape
    env.filters["path"] = safe_path
    return env


def _template(language: str):
    """`brief.<language>.md.j2` when one is given (an own template), else the one for every language."""
    import jinja2

    env = _environment()
    try:
        return env.get_template(f"brief.{language}.md.j2")
    except jinja2.TemplateNotFound:
        return env.get_template("brief.md.j2")


def render_markdown(brief: Brief, language: str, translations: dict[str, Translation] | None = None) -> str:
    """The brief in `language` ("en" or "ko"). Point text comes from `translations` when given."""
    footnotes = Footnotes(language)
    words = labels(language)
    translations = translations or {}

    def is_translated(point: Point) -> bool:
        found = translations.get(point.text)
        return point.text_in(language) is not None or (found is not None and found.translated)

    untranslated = sum(1 for p in brief.shown_points if p.language != language and not is_translated(p))
    flagged = sum(1 for t in translations.values() if t.flags)

    def text(point: Point) -> str:
        own = point.text_in(language)
        if own is not None:
            return md_escape(own)
        found = translations.get(point.text)
        shown = found.text if found else point.text
        out = md_escape(shown)
        if found and found.flags:
            out += flag_marker(found.flags)  # the one flag format, which review strips
        mark = words["untranslated_mark"]
        if mark and point.language != language and not is_translated(point):
            out += f" _{mark}_"
        return out

    def figure_rows(story: Story) -> list[tuple[str, str, list[Citation]]]:
        """The story's figures as a source in the brief's language writes them; a row no source
        in this language states is left out (its label would be in another script)."""
        rows = []
        for row in story.figures:
            own = language_of(row.citations[0].quote) if row.citations else language
            if own == language or language in row.alternates or own in words["original_labels_from"]:
                value, counts = row.in_language(language, own)
                if row.previous is not None:  # "cases, up from 156 reported on 29 November"
                    counts += ", " + moved(value, row.previous.value, row.previous.date)
                rows.append((value, counts, row.citations))
        return rows

    def moved(value: str, before: str, on: str) -> str:
        return words[f"figure_{_direction(value, before)}"].format(value=before, date=day(on))

    def actor(position: Position) -> str | None:
        """Who holds the position, named as the brief's language names them; None when no
        source in this language names them (the statement is shown without a label)."""
        found = position.actor_in(language)
        if found is None and position.statement.language in words["original_labels_from"]:
            return position.actor
        return found

    def title(story: Story) -> str:
        """A source headline in the brief's language when one exists, else the story's own."""
        return md_escape(story.titles.get(language) or story.title)

    def date(value: str | None) -> str:
        """An ISO date (year-less "--08-24" too) in the brief's language; a date as a page wrote
        it without a year ("September 2") is read and written the same way."""
        if not value:
            return words["unknown"]
        if not value[:1].isdigit() and not value.startswith("--"):
            mentions = find_dates(value)
            if len(mentions) == 1 and mentions[0].month is not None:
                value = mentions[0].written
        return format_date(value, language)

    def day(value: str) -> str:
        """An ISO date, without its year when it is the brief's year ("29 November", "11월 29일")."""
        return format_date("-" + value[4:] if value[:4] == brief.date[:4] else value, language)

    def status(story: Story) -> str:
        """"new" or "developing since 29 November" (a story of a brief made with history)."""
        if story.status == "continuing" and story.first_seen:
            return words["status_continuing"].format(date=day(story.first_seen))
        return words["status_new"]

    def engine(description: str) -> str:
        """Engine descriptions in the brief's language (the registry names stay as they are)."""
        return words["engines"].get(description.split(" (")[0], description)

    body = _template(language).render(
        labels=words,
        brief=brief,
        text=text,
        cite=footnotes.cite,
        date=date,
        untranslated=untranslated,
        title=title,
        figure_rows=figure_rows,
        actor=actor,
        several=len(brief.stories) + len(brief.also_reported) > 1,
        engine=engine,
        day=day,
        status=status,
        flagged=flagged,
        flag=flag_marker(["…"]).strip(),  # the one flag format, as the notice shows it
    )
    body = re.sub(r"\n{3,}", "\n\n", body).rstrip() + "\n"
    if footnotes.entries:
        body += "\n" + "\n".join(footnotes.definitions()) + "\n"
    return body


def _direction(value: str, before: str) -> str:
    """A figure's move from `before` to `value`: "up", "down", or "changed" (values that do not
    compare as numbers: none read, or a percentage against a count)."""
    now, then = quantities(value), quantities(before)
    if not now or not then or now[0].percent != then[0].percent or now[0].value == then[0].value:
        return "changed"
    return "up" if now[0].value > then[0].value else "down"


def render_json(brief: Brief, translations: dict[str, dict[str, Translation]]) -> str:
    data = brief.to_dict()
    data["translations"] = {
        lang: [
            {"source": t.source, "text": t.text, "translated": t.translated, "flags": t.flags}
            for t in table.values()
        ]
        for lang, table in sorted(translations.items())
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
