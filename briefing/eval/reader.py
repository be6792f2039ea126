"""What a reader trips over in the briefs of real news days, counted line by line.

Input: JSON Lines, one news day per line, `{"day", "articles": [{"name", "lang", "title",
"text"}]}` (`../shared/eval/stories/dev.jsonl`). Each day is written as a folder of files (title,
blank line, text), run through `briefing run` as a user runs it, and both briefs are read back.

The checks are written here on their own, not through `briefing.language`, so that the product's
reading of a sentence is not also its judge. A defect is what an analyst would fix by hand:

- `foreign_label`: an actor or a figure label in Hangul in the English brief;
- `pronoun_actor`: an actor that is a pronoun ("He", "그", "그녀");
- `korean_verb_label`: a Korean actor or figure label that ends on a verb or a clause ending
  ("말하", "울지 않고") or is an adverb or a connective ("단지", "또한");
- `figure_fragment`: a figure that is part of a bigger token in its quote ("COVID-19" -> 19);
- `figure_label`: a label that is empty, a number, or ends on a function word or a hyphen;
- `leans_on_context`: a shown statement opening on a pronoun or a connective;
- `question`, `fragment` (under six words or no closing mark), `dangling_quote` (quotation marks
  that do not pair up), `entity` (an HTML entity shown as text);
- `filler`: a placeholder line in italics ("_No figures reported._");
- `generic_heading`: a story headed "News brief" / "Untitled";
- `uncited_article`: an input file no footnote cites.

Methods, in one run: the default (spaCy's English pipeline when installed) and today's rules
alone (`BRIEFING_PARSER=rules`).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CLASSES = ("foreign_label", "pronoun_actor", "korean_verb_label", "figure_fragment", "figure_label", "leans_on_context",
           "question", "fragment", "dangling_quote", "entity", "filler", "generic_heading", "uncited_article")
# A Korean actor or figure label that is no noun: a verb stem or a clause's ending ("말하", "울지 않고"),
# an adverb or a connective ("단지", "또한").
_KO_NOT_NOUN = re.compile(r"(?<!^이)(?<!^지)(?<!^산)(?<!^휘)(?:하|하고|되고|않고|[었았였했됐]고|하며|하면서|하는|하던|하려|려고|으며|지만|는데|다고|라고)$")
_KO_ADVERBS = set("단지 또한 매년 매일 그래서 그리고 이미 모두 반면 라고 이라고 당시 전".split())
_FUNCTION = set("of the a an to and for in on with by at from as or that than its their his her".split())
_EN_OPENERS = re.compile(
    r"^(?:he|she|they|it|this|these|those|that|his|her|their|its|but|and|also|so|then|furthermore|however|"
    r"meanwhile|moreover|still|yet|instead|again|there|because of this|as a result|in addition)\b", re.I)
_KO_OPENERS = re.compile(r"^(?:그는|그녀는|그들은|그의|그가|이는|이에|이와|그러나|하지만|또한|또|한편|그리고|그래서|따라서|그런데|반면|게다가)(?:\s|,)")
_PRONOUNS = set("he she they it we i you this that 그 그녀 그들 나 저 우리 이 이들".split())
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_MARKS = re.compile(r"\[\^[^\]]+\]|\s_\((?:reported|Korean)[^)]*\)_|\s_\([^)]*보도\)_|\s_\(Korean, untranslated\)_")


@dataclass
class BriefDefects:
    cited_lines: int = 0
    counts: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def hit(self, kind: str, line: str) -> None:
        self.counts[kind] += 1
        self.examples.setdefault(kind, [])
        if len(self.examples[kind]) < 3:
            self.examples[kind].append(line[:160])


def _plain(text: str) -> str:
    text = _MARKS.sub("", text)
    return re.sub(r"\\([\\`*_\[\]|#+\-.)])", r"\1", text).strip()


def check_brief(markdown: str, language: str, files: list[str] | None = None) -> BriefDefects:
    """The defects of one brief (`files`: the input names, to count articles cited nowhere)."""
    found = BriefDefects()
    definitions = dict(re.findall(r"^\[\^([^\]]+)\]:\s*(.+)$", markdown, re.M))
    section = ""
    for line in markdown.splitlines():
        if re.match(r"\[\^[^\]]+\]:", line):
            continue
        if line.startswith("#"):
            section = re.sub(r"^#+\s*(\d+(\.\d+)*\.?\s*)?", "", line).strip()
            if re.match(r"^#{1,2} \d+\. ", line) and re.search(r"\b(news brief|untitled|no title)\b|제목 없음", line, re.I):
                found.hit("generic_heading", line)
            continue
        cited = bool(re.search(r"\[\^[^\]]+\]", line))
        found.cited_lines += cited
        if re.search(r"&(?:amp|quot|lt|gt|#\d+|#x[0-9a-f]+|nbsp|apos);", line.replace("\\&", ""), re.I):
            found.hit("entity", line)
        if re.fullmatch(r"\s*_[^_]+_\s*", line) and not cited:
            found.hit("filler", line)
        if line.startswith("|") and not line.startswith("|---"):
            _check_figure_row(line, language, definitions, found)
            continue
        statement = None
        actor = re.match(r"^\s*-\s+\*\*([^*]+)\*\*\s*:\s*(.*)$", line)
        if actor and cited:
            label = actor.group(1).strip()
            if language == "en" and _HANGUL.search(label):
                found.hit("foreign_label", line)
            if label.lower() in _PRONOUNS or re.sub(r"(은|는|이|가)$", "", label) in _PRONOUNS:
                found.hit("pronoun_actor", line)
            _check_korean_label(label, line, found)
            if "(" not in actor.group(2)[:1]:
                statement = actor.group(2) if "**" not in actor.group(2) and not re.match(r"\(\w+\)", actor.group(2)) else None
            if re.search(r"\((?:date|figure|name|period)\)", line) or actor.group(2).startswith("“"):
                statement = None  # a "where sources differ" entry or a timeline quote, not a statement
        elif cited and not line.lstrip().startswith("|"):
            body = re.sub(r"^\s*(?:-|\d+\.)\s+", "", line)
            statement = None if body.startswith("**") else body
        if statement is not None and "untranslated" not in line:
            for sentence in _statements(statement):
                _check_statement(sentence, line, language, found)
    if files is not None:
        cited_files = {os.path.basename(re.match(r"`?([^`,]+)", v).group(1)) for v in definitions.values()}
        for name in files:
            if name not in cited_files:
                found.hit("uncited_article", name)
    return found


def _statements(text: str) -> list[str]:
    """The cited statements of a line: a bottom-line paragraph holds several, each ending on its marks."""
    parts = re.split(r"((?:\[\^[^\]]+\])+)\s*", text.strip())
    joined = ["".join(parts[k:k + 2]) for k in range(0, len(parts), 2)]
    return [p for p in (_plain(part) for part in joined) if p]


def _check_statement(body: str, line: str, language: str, found: BriefDefects) -> None:
    opener = _KO_OPENERS if _HANGUL.search(body) else _EN_OPENERS
    if opener.match(body.lstrip("\"'“‘ ")):
        found.hit("leans_on_context", line)
    if body.rstrip("\"'”’) ").endswith("?"):
        found.hit("question", line)
    words = len(body.split()) * (2 if _HANGUL.search(body) else 1)
    if words < 6 or not re.search(r"[.!?\"”’')…다요]\s*$", body):
        found.hit("fragment", line)
    curly_open, curly_close, straight = body.count("“"), body.count("”"), body.count('"')
    if (curly_open + curly_close + straight) % 2 or abs(curly_open - curly_close) > straight:
        found.hit("dangling_quote", line)


def _check_figure_row(line: str, language: str, definitions: dict[str, str], found: BriefDefects) -> None:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) < 3 or not re.search(r"\d", cells[0]) or not re.search(r"\[\^", cells[-1]):
        return
    value, label = cells[0], re.sub(r"\\(.)", r"\1", cells[1])
    core = re.search(r"\d[\d,.]*", value).group(0).rstrip(".,")
    for ref in re.findall(r"\[\^([^\]]+)\]", cells[-1])[:1]:
        quote = definitions.get(ref, "")
        if re.search(r"[A-Za-z]-" + re.escape(core) + r"\b|\b" + re.escape(core) + r"-[A-Za-z]|/" + re.escape(core) + r"\b", quote):
            found.hit("figure_fragment", line)
    words = label.split()
    if not words or re.fullmatch(r"[\d.,%]+", label) or words[-1].lower() in _FUNCTION or words[-1].endswith("-"):
        found.hit("figure_label", line)
    if language == "en" and _HANGUL.search(label):
        found.hit("foreign_label", line)
    if label.lower() in _PRONOUNS:
        found.hit("pronoun_actor", line)
    _check_korean_label(label, line, found)


def _check_korean_label(label: str, line: str, found: BriefDefects) -> None:
    last = label.split()[-1] if label.split() else ""
    if _HANGUL.search(last) and (_KO_NOT_NOUN.search(last) or last in _KO_ADVERBS):
        found.hit("korean_verb_label", line)


def load_days(path: Path) -> list[dict]:
    """The days of a JSON Lines file; the first bad line is named."""
    days = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
            articles = row["articles"]
            if not isinstance(articles, list) or not all(isinstance(a, dict) and "name" in a and "text" in a for a in articles):
                raise ValueError("`articles` must be a list of {name, text, ...}")
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {number}: {exc}") from None
        days.append(row)
    return days


def write_day(day: dict, folder: Path) -> list[str]:
    """The day as files (title, blank line, text), as `../shared/tools/write_day.py` writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for article in day["articles"]:
        name = Path(str(article["name"])).name
        title = article.get("title") or ""
        (folder / name).write_text((title + "\n\n" if title else "") + str(article["text"]) + "\n", encoding="utf-8")
        names.append(name)
    return names


def evaluate_reader(days: list[dict], methods: tuple[str, ...] = ("default", "rules")) -> list[dict]:
    """Per method: cited lines, defects and defects per 100 cited lines of the English and the
    Korean brief, summed over the days, with counts per class."""
    from briefing.language import reset
    from briefing.pipeline import RunOptions, run

    results = []
    with tempfile.TemporaryDirectory(prefix="briefing-reader-") as tmp:
        folders = [(write_day(day, Path(tmp) / f"day{k}"), Path(tmp) / f"day{k}") for k, day in enumerate(days)]
        for method in methods:
            previous = os.environ.get("BRIEFING_PARSER")
            os.environ["BRIEFING_PARSER"] = "rules" if method == "rules" else "auto"
            reset()
            try:
                totals = {lang: BriefDefects() for lang in ("en", "ko")}
                for k, (names, folder) in enumerate(folders):
                    result = run(RunOptions(input_dir=folder, out_dir=Path(tmp) / f"out-{method}-{k}", date="2026-11-30",
                                            no_cache=True))
                    for lang, total in totals.items():
                        brief = check_brief((result.folder / f"brief.{lang}.md").read_text(encoding="utf-8"), lang, names)
                        total.cited_lines += brief.cited_lines
                        total.counts.update(brief.counts)
                        for kind, examples in brief.examples.items():
                            total.examples.setdefault(kind, []).extend(examples[: 3 - len(total.examples.get(kind, []))])
            finally:
                if previous is None:
                    os.environ.pop("BRIEFING_PARSER", None)
                else:
                    os.environ["BRIEFING_PARSER"] = previous
                reset()
            row: dict = {"name": "default (spaCy and Kiwi where installed)" if method == "default" else "rules only"}
            for lang, total in totals.items():
                defects = sum(total.counts.values())
                row[lang] = {
                    "cited_lines": total.cited_lines,
                    "defects": defects,
                    "per_100_lines": round(100 * defects / max(1, total.cited_lines), 1),
                    "counts": {kind: total.counts.get(kind, 0) for kind in CLASSES},
                    "examples": total.examples,
                }
            row["per_100_lines"] = row["en"]["per_100_lines"]
            results.append(row)
    return results
