"""`briefing eval webpages`: must/must-not strings of each page, per reader, in one run (issue 22).

The pages are written here; the data set they stand in for (../shared/eval/webpages) is not copied.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from briefing.cli import app

runner = CliRunner()

ARTICLE = [
    "The regional rail line will add four trains an hour from March, the transport authority said.",
    "The operator expects the change to cut waiting times on the busiest stretch by a third.",
    "Passenger groups welcomed the plan but asked for later trains on weekend nights.",
]
COMMENT = "I have waited for this train for years and I still do not believe it will ever come."
FOOTER = "Contact the newsroom at any hour of the day or night for tips."


def page(comments: bool) -> str:
    parts = [
        "<html><head><title>Rail line adds trains</title></head><body>",
        '<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>',
        "<article>", "<h1>Rail line adds trains</h1>", *[f"<p>{p}</p>" for p in ARTICLE], "</article>",
    ]
    if comments:
        parts += ['<div id="comments" class="comments-area"><h2>1 comment</h2><ol class="comment-list">',
                  f'<li class="comment"><div class="comment-body"><p>{COMMENT}</p></div></li></ol></div>']
    parts += [f"<footer><p>{FOOTER}</p></footer>", "</body></html>"]
    return "\n".join(parts)


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def rows() -> list[dict]:
    return [
        {"name": "plain.html", "html": page(comments=False), "must": [ARTICLE[1]], "must_not": [FOOTER, "Home"]},
        # trafilatura's defaults read readers' comments as text; a brief never cites them
        {"name": "comments.html", "html": page(comments=True), "must": [ARTICLE[0], ARTICLE[2]], "must_not": [COMMENT]},
        # a line separator inside a string must not split the row (str.splitlines would)
        {"name": "sep.html", "html": page(comments=False).replace("<body>", "<body>\u2028"), "must": ["Rail line"],
         "must_not": []},
    ]


def test_json_gives_every_reader_of_one_run_the_default_first(tmp_path):
    data = write_jsonl(tmp_path / "pages.jsonl", rows())
    result = runner.invoke(app, ["eval", "webpages", str(data), "--json"])
    assert result.exit_code == 0, result.output
    methods = {m["name"]: m for m in json.loads(result.stdout)["methods"]}
    names = list(methods)
    assert names[0] == "briefing" and "trafilatura.extract (defaults)" in names
    assert methods["briefing"] == {"name": "briefing", "pages": 3, "passed": 3, "lost": 0,
                                   "must_found": 100.0, "must_not_absent": 100.0}
    defaults = methods["trafilatura.extract (defaults)"]
    assert (defaults["passed"], defaults["must_not_absent"]) == (2, 66.67)  # the comment is in its text
    assert methods["trafilatura.extract (comments excluded)"]["passed"] == 3


def test_table_and_misses(tmp_path):
    data = write_jsonl(tmp_path / "pages.jsonl", rows())
    result = runner.invoke(app, ["eval", "webpages", str(data), "--misses"])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if line.startswith("reader\t"))
    assert header.split("\t") == ["reader", "pages", "passed", "lost", "must found %", "must-not absent %"]
    assert f"comments.html: has {COMMENT[:60]!r}" in result.stderr


def test_a_bad_row_is_named_by_its_line(tmp_path):
    data = write_jsonl(tmp_path / "bad.jsonl", [rows()[0], "[1, 2, 3]"])
    result = runner.invoke(app, ["eval", "webpages", str(data)])
    assert result.exit_code == 1
    assert "line 2" in result.stderr and "Traceback" not in result.output
    empty = write_jsonl(tmp_path / "empty.jsonl", [""])
    assert "no pages" in runner.invoke(app, ["eval", "webpages", str(empty)]).stderr
