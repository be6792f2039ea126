"""Reading a brief draft back: blocks from the one Markdown parser, sections from the label table."""

from __future__ import annotations

from pathlib import Path

from briefing.review.draft import parse_draft

DRAFT = """# Policy brief: x

## Bottom line

Police opened a probe
into the platform.[^1] A second claim `not [^9]` here.[^2][^1]

## 1.4 Timeline

- **2 September 2024**: “Police opened a probe”[^1]

## 일지

- **2024년 9월 2일**: “경찰이 수사에 착수했다”[^2]

## Key figures

| Figure | What it counts | Sources |
|---|---|---|
| 297 | deepfake cases | [^3] |

```
[^4]: inside a code fence
Text[^5]
```

[^1]: `a.txt`, line 3: “Police opened a probe into …”
[^2]: `b.txt`, 4–5행:
    “경찰이 수사에 착수했다”
[^3]: `c.txt`, lines 7–8: “297 deepfake cases”
[^1]: `a.txt`, line 9: “again”
"""


def draft():
    return parse_draft(DRAFT, Path("brief.en.md"))


def test_references_carry_their_own_line_and_skip_code():
    refs = [(r.label, r.line) for r in draft().references]
    assert refs == [("1", 6), ("2", 6), ("1", 6), ("1", 10), ("2", 14), ("3", 20)]


def test_a_wrapped_paragraph_is_one_cited_text_split_at_reference_runs():
    segments = draft().segments
    assert [(s.text, s.labels, s.line, s.section) for s in segments[:2]] == [
        ("Police opened a probe into the platform.", ("1",), 6, "Bottom line"),
        ("A second claim not [^9] here.", ("2", "1"), 6, "Bottom line"),
    ]


def test_timeline_headings_in_both_languages_make_quotations():
    timeline = [s for s in draft().segments if s.quoted]
    assert [(s.section, s.label, s.text) for s in timeline] == [
        ("Timeline", "2 September 2024", "Police opened a probe"),
        ("일지", "2024년 9월 2일", "경찰이 수사에 착수했다"),
    ]


def test_a_table_row_is_its_own_cited_text():
    row = draft().segments[-1]
    assert (row.text, row.labels, row.section, row.quoted) == ("297 deepfake cases", ("3",), "Key figures", False)


def test_footnote_definitions_outside_code_with_continuations_and_duplicates():
    parsed = draft()
    assert sorted(parsed.definitions) == ["1", "2", "3"]
    korean = parsed.definitions["2"]
    assert (korean.file, korean.line_start, korean.line_end, korean.quote, korean.line) == ("b.txt", 4, 5, "경찰이 수사에 착수했다", 28)
    first = parsed.definitions["1"]
    assert (first.quote, first.truncated, first.line) == ("Police opened a probe into", True, 27)
    assert [(d.label, d.line) for d in parsed.duplicate_definitions] == [("1", 31)]
