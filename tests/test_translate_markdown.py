"""Markdown-aware translation: only prose reaches the translator; structure is kept."""

from __future__ import annotations

import re

from briefing.model import Translation
from briefing.translate.base import Translator
from briefing.translate.markdown import FLAG_MARKER, prose_segments, translate_markdown

DOC = """---
title: Telegram
---
# Brief: Telegram probe #

**Bottom line:** Police opened a probe into Telegram.[^1] See [the report](https://example.com/a_b) and `code span`.
This paragraph wraps
onto a second line.

- First point with reports.[^1][^2]
  1. Nested item citing seeds/000_eae2fc57a7df6416.txt, lines 3-5.
- [ ] Task item

> Quoted text here.
> - Quoted list item

| Outlet | Note |
|---|:--:|
| Yonhap | arrested \\| in `a|b` Paris |

```python
print("Do not translate this")
```

    Indented code stays.

<!-- an HTML comment
spanning two lines -->
<div>Raw HTML stays.</div>

[^1]: seeds/000_eae2fc57a7df6416.txt, lines 3-5: "South Korea's police officials have launched"
[^2]: seeds/001_5f152dda840e7045.txt, line 2: "A quote"
[ref]: https://example.com
"""


class Upper(Translator):
    """Marks what it was given, so a test can see exactly what was sent and where it went."""

    name = "upper"

    def __init__(self, flag_word: str | None = None):
        self.calls: list[list[str]] = []
        self.flag_word = flag_word

    def translate(self, texts, source, target):
        self.calls.append(list(texts))
        return [
            Translation(t, "«" + t.upper() + "»", True, ["number 88 missing"] if self.flag_word and self.flag_word in t else [])
            for t in texts
        ]


def _skeleton(text: str) -> str:
    """The document with every translated segment blanked: what must not change."""
    return re.sub(r"«[^»]*»", "§", text)


def test_only_prose_is_sent():
    segments = prose_segments(DOC)
    assert "Police opened a probe into Telegram." in segments
    assert "the report" in segments
    assert "This paragraph wraps onto a second line." in segments
    joined = "\n".join(segments)
    for kept in ("[^1]", "https://", "code span", "Do not translate", "Indented code", "HTML comment",
                 "Raw HTML", "seeds/000", "lines 3-5", "South Korea's police", "title: Telegram", "**", "|"):
        assert kept not in joined, kept


def test_structure_is_kept_exactly():
    translator = Upper()
    result = translate_markdown(DOC, translator, "en", "ko")
    assert len(translator.calls) == 1  # one batched call for the whole document
    assert result.segments == len(translator.calls[0])
    skeleton = _skeleton(result.text)
    expected_lines = [
        "---", "title: Telegram", "---", "# § #", "",
        # the hard-wrapped paragraph is joined and comes out on the line it started on
        "**§** §[^1] § [§](https://example.com/a_b) § `code span`. §",
        "",
        "- §[^1][^2]",
        "  1. § seeds/000_eae2fc57a7df6416.txt, lines 3-5.",
        "- [ ] §",
        "",
        "> §",
        "> - §",
        "",
        "| § | § |",
        "|---|:--:|",
        "| § | § \\| § `a|b` § |",
        "",
        "```python",
        'print("Do not translate this")',
        "```",
        "",
        "    Indented code stays.",
        "",
        "<!-- an HTML comment",
        "spanning two lines -->",
        "<div>Raw HTML stays.</div>",
        "",
        '[^1]: seeds/000_eae2fc57a7df6416.txt, lines 3-5: "South Korea\'s police officials have launched"',
        '[^2]: seeds/001_5f152dda840e7045.txt, line 2: "A quote"',
        "[ref]: https://example.com",
        "",
    ]
    assert skeleton.split("\n") == expected_lines


def test_flags_show_as_a_visible_marker_and_are_reported():
    result = translate_markdown(DOC, Upper(flag_word="First point"), "en", "ko")
    line = next(l for l in result.text.splitlines() if l.startswith("- «FIRST"))
    assert FLAG_MARKER.search(line)
    assert line.endswith("⟧[^1][^2]")  # the marker stays inside the sentence, before the footnotes
    assert result.flags == ["line 10: number 88 missing"]


def test_untranslated_segments_are_counted():
    class Refuses(Translator):
        def translate(self, texts, source, target):
            return [Translation(t, t, False) for t in texts]

    result = translate_markdown("# Title\n\nSome prose.\n", Refuses(), "en", "ko")
    assert result.untranslated == 2
    assert result.text == "# Title\n\nSome prose.\n"


def test_a_document_without_prose_makes_no_call():
    translator = Upper()
    text = "```\ncode\n```\n\n---\n"
    assert translate_markdown(text, translator, "en", "ko").text == text
    assert translator.calls == []


def test_line_endings_setext_underlines_and_quoted_paragraphs_are_kept():
    text = "Title\r\n=====\r\n\r\n> Quoted prose\r\n> wraps here.[^1]\r\n\r\n[^1]: `a.txt`, line 1: “Quoted\r\n    prose”\r\n"
    result = translate_markdown(text, Upper(), "en", "ko")
    assert result.text == (
        "«TITLE»\r\n=====\r\n\r\n> «QUOTED PROSE WRAPS HERE.»[^1]\r\n\r\n[^1]: `a.txt`, line 1: “Quoted\r\n    prose”\r\n"
    )


def test_code_urls_footnotes_and_paths_in_table_cells_are_never_sent():
    row = "| See `a | b` at https://example.com/x_y | in/seeds/a.txt, line 4 | Reported[^2] |\n"
    text = "| Where | File | Note |\n|---|---|---|\n" + row
    assert prose_segments(text) == ["Where", "File", "Note", "See", "at", "Reported"]
