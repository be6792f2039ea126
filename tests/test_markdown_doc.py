"""The one Markdown parser: blocks with their source lines, footnotes, tables, code, front matter."""

from __future__ import annotations

from briefing.markdown_doc import (
    CODE,
    FOOTNOTE,
    FRONT_MATTER,
    HEADING,
    HTML,
    PARAGRAPH,
    RULE,
    TABLE_ROW,
    TABLE_RULE,
    footnote_ref_runs,
    footnote_refs,
    parse_blocks,
    split_lines,
)

DOC = """---
title: x
---
# Title #

First line of a paragraph[^1]
wrapped onto a second.[^2][^3]

- Outer item[^1]
  1. Nested item
     - Deeper item with `code [^9]` and \\[^8\\]
- [x] Done item

> Quoted
> paragraph

| Figure | Sources |
|---|---|
| 297 | [^4][^5] |

```python
# not a heading
[^7]: not a footnote
```

Setext heading
--------------

***

<div>html</div>

[^1]: `a.txt`, line 3: “quote
    continued”
[^2]: second
[ref]: https://example.com
"""


def blocks():
    return parse_blocks(DOC)


def test_each_block_has_its_kind_and_source_lines():
    found = [(b.kind, b.start, b.end) for b in blocks()]
    assert found == [
        (FRONT_MATTER, 1, 3),
        (HEADING, 4, 4),
        (PARAGRAPH, 6, 7),
        (PARAGRAPH, 9, 9),
        (PARAGRAPH, 10, 10),
        (PARAGRAPH, 11, 11),
        (PARAGRAPH, 12, 12),
        (PARAGRAPH, 14, 15),
        (TABLE_ROW, 17, 17),
        (TABLE_RULE, 18, 18),
        (TABLE_ROW, 19, 19),
        (CODE, 21, 24),
        (HEADING, 26, 27),
        (RULE, 29, 29),
        (HTML, 31, 31),
        (FOOTNOTE, 33, 34),
        (FOOTNOTE, 35, 36),
    ]
    lines = split_lines(DOC)
    for block in blocks():
        if block.kind in (PARAGRAPH, HEADING, TABLE_ROW):
            first = block.text.split("\n")[0]
            assert lines[block.start - 1].startswith(block.prefix + first), block


def test_nested_list_items_keep_their_markers_as_prefix():
    items = [b for b in blocks() if b.kind == PARAGRAPH][1:5]
    assert [(b.prefix, b.text) for b in items] == [
        ("- ", "Outer item[^1]"),
        ("  1. ", "Nested item"),
        ("     - ", "Deeper item with `code [^9]` and \\[^8\\]"),
        ("- [x] ", "Done item"),  # a task box is markup, not text
    ]


def test_paragraph_lines_are_joined_without_their_container_markers():
    quote = next(b for b in blocks() if b.prefix == "> ")
    assert quote.text == "Quoted\nparagraph"
    heading = next(b for b in blocks() if b.kind == HEADING)
    assert (heading.prefix, heading.text, heading.suffix, heading.level) == ("# ", "Title", " #", 1)
    setext = [b for b in blocks() if b.kind == HEADING][1]
    assert (setext.text, setext.level, setext.setext) == ("Setext heading", 2, True)


def test_table_rows_keep_their_pipes():
    rows = [b.text for b in blocks() if b.kind == TABLE_ROW]
    assert rows == ["| Figure | Sources |", "| 297 | [^4][^5] |"]


def test_footnote_definitions_have_label_lines_and_whole_body():
    notes = [(b.label, b.start, b.text) for b in blocks() if b.kind == FOOTNOTE]
    # a link reference definition cannot interrupt a paragraph: it continues footnote 2
    assert notes == [("1", 33, "`a.txt`, line 3: “quote\ncontinued”"), ("2", 35, "second\n[ref]: https://example.com")]


def test_code_fences_hide_what_looks_like_markdown():
    code = next(b for b in blocks() if b.kind == CODE)
    assert code.text == "# not a heading\n[^7]: not a footnote\n"
    assert "7" not in {b.label for b in blocks()}


def test_footnote_references_skip_escapes_and_code_spans():
    text = "One[^1][^2][^1] two `[^3]` \\[^4\\] three[^5]\nfour [^6]: not a reference"
    assert [m.group(1) for m in footnote_refs(text)] == ["1", "2", "1", "5"]
    runs = footnote_ref_runs(text)
    assert [labels for _, _, labels in runs] == [("1", "2"), ("5",)]
    start, end, _ = runs[0]
    assert text[start:end] == "[^1][^2][^1]"


def test_lines_are_numbered_as_the_parser_numbers_them():
    text = "# A\r\n\r\nPara\rgraph[^1]\n"
    assert split_lines(text) == ["# A", "", "Para", "graph[^1]"]
    para = next(b for b in parse_blocks(text) if b.kind == PARAGRAPH)
    assert (para.start, para.end, para.text) == (3, 4, "Para\ngraph[^1]")
    assert split_lines("") == [] and split_lines("no newline") == ["no newline"]
