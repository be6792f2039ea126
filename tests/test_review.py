"""`briefing review`: a generated brief passes; each kind of damage to a draft is caught."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.pipeline import RunOptions, run
from briefing.review.check import parse_date_label, review_file
from briefing.text import normalise


@pytest.fixture(scope="module")
def generated(tmp_path_factory, seeds_dir) -> Path:
    """The seed briefs, as `briefing run` writes them (weight-free engines: deterministic)."""
    out = tmp_path_factory.mktemp("out")
    result = run(RunOptions(input_dir=seeds_dir, out_dir=out, date="2026-11-21", summariser="extractive", translator="none"))
    return result.folder


@pytest.fixture
def brief(generated, tmp_path) -> Path:
    """A private copy of the generated folder to edit."""
    folder = tmp_path / "2026-11-21"
    shutil.copytree(generated, folder)
    return folder


def review(path: Path, seeds_dir: Path, **kwargs):
    return review_file(path, seeds_dir, **kwargs)


def messages(report) -> list[str]:
    return [str(f) for f in report.errors]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def label_quoting(path: Path, sources: Path, line: str, words: str) -> str:
    """The footnote of `line` whose cited lines hold `words` (the brief's numbering changes as
    points are chosen; what a footnote cites does not)."""
    for label in re.findall(r"\[\^(\d+)\]", line):
        _, definition = definition_line(path, label)
        found = re.match(r"\[\^\d+\]: `([^`]+)`, lines? (\d+)(?:[–-](\d+))?", definition)
        cited = (sources.parent / found.group(1)).read_text(encoding="utf-8").splitlines()
        if normalise(words) in normalise(" ".join(cited[int(found.group(2)) - 1 : int(found.group(3) or found.group(2))])):
            return label
    raise AssertionError(f"no footnote of the line cites {words!r}")


def definition_line(path: Path, label: str) -> tuple[int, str]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"[^{label}]: "):
            return number, line
    raise AssertionError(f"no footnote {label}")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_generated_brief_passes(generated, seeds_dir, language):
    report = review(generated / f"brief.{language}.md", seeds_dir)
    assert report.pair is not None  # the sibling draft was compared
    assert report.ok, "\n".join(messages(report))
    assert report.citations_checked > 5 and report.segments_checked > 5


def test_cli_exit_zero_on_generated_brief(generated, seeds_dir):
    result = CliRunner().invoke(app, ["review", str(generated / "brief.en.md"), "--sources", str(seeds_dir)])
    assert result.exit_code == 0, result.output
    assert ": OK:" in result.output.strip().splitlines()[-1]


def test_cited_files_found_without_sources_option(generated, seeds_dir, monkeypatch, tmp_path):
    # the layout of a run: seeds/ and outputs/<date>/ under the current directory
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    draft = tmp_path / "outputs" / generated.name / "brief.en.md"
    shutil.copytree(generated, draft.parent)
    monkeypatch.chdir(tmp_path)  # cited paths (seeds/x.txt) are relative to the current directory
    found = review_file(draft).findings
    assert found == review_file(draft, tmp_path / "seeds").findings
    assert not [f for f in found if "not found" in f.message]


def test_missing_file(brief, seeds_dir):
    path = brief / "brief.en.md"
    number, line = definition_line(path, "1")
    cited = re.search(r"`([^`]+)`", line).group(1)
    edit(path, line, line.replace(cited, "seeds/no_such_article.txt"))
    found = messages(review(path, seeds_dir, auto_pair=False))
    assert any(m.startswith(f"{path}:{number}: ") and "not found" in m for m in found), found


def test_line_span_out_of_range(brief, seeds_dir):
    path = brief / "brief.en.md"
    number, line = definition_line(path, "2")
    edit(path, line, re.sub(r"line \d+", "line 9999", line))
    found = messages(review(path, seeds_dir, auto_pair=False))
    assert any(f":{number}: " in m and "9999" in m and "not in" in m for m in found), found


def test_cited_file_outside_sources_is_refused(brief, seeds_dir, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("A secret line.\n", encoding="utf-8")
    path = brief / "brief.en.md"
    _, line = definition_line(path, "1")
    cited = re.search(r"`([^`]+)`", line).group(1)
    edit(path, line, line.replace(cited, "../secret.txt"))
    found = messages(review(path, seeds_dir, auto_pair=False))
    assert any("[^1]" in m and "not found" in m for m in found), found


def numbered_line(path: Path, seeds_dir: Path) -> tuple[int, str, str, str]:
    """The first cited list item with a number; that number and a near value in no seed article."""
    corpus = " ".join(p.read_text(encoding="utf-8") for p in seeds_dir.iterdir())
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        found = re.search(r"(?<![\d,.])(\d{2,3})(?![\d,])", re.sub(r"\[\^[^\]]+\]", "", line))
        if line.startswith("- ") and "[^" in line and not line.startswith("- **") and found:
            value = int(found.group(1))
            changed = next(str(v) for v in range(value + 1, value + 50) if str(v) not in corpus)
            return number, line, found.group(1), changed
    raise AssertionError("no cited line with a number")


def test_changed_number(brief, seeds_dir):
    path = brief / "brief.en.md"
    number, line, value, changed = numbered_line(path, seeds_dir)
    edit(path, line, line.replace(value, changed, 1))
    found = messages(review(path, seeds_dir, auto_pair=False))
    assert any(m.startswith(f"{path}:{number}: number(s) {changed} not in the cited lines") for m in found), found


def test_altered_quote_in_footnote(brief, seeds_dir):
    path = brief / "brief.en.md"
    number, line = definition_line(path, "3")
    quote = re.search(r"“(.*?) …”", line).group(1)
    words = quote.split()
    edit(path, line, line.replace(quote, " ".join(words[:3] + ["never"] + words[3:])))
    found = messages(review(path, seeds_dir, auto_pair=False))
    assert any(f":{number}: footnote [^3]: quoted text" in m for m in found), found


def test_removed_quote_in_footnote(brief, seeds_dir):
    path = brief / "brief.en.md"
    number, line = definition_line(path, "4")
    edit(path, line, re.sub(r"“.*”", "“”", line))
    found = messages(review(path, seeds_dir, auto_pair=False))
    assert any(f":{number}: footnote [^4] quotes nothing" in m for m in found), found


def test_altered_timeline_quotation(brief, seeds_dir):
    path = brief / "brief.en.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("## Timeline")
    number, line = next((i + 1, l) for i, l in enumerate(lines) if i > start and l.startswith("- **"))
    quote = re.search(r"“([^”]+)”", line).group(1)
    edit(path, line, line.replace(quote, quote + " and then denied it"))
    found = messages(review(path, seeds_dir, auto_pair=False))
    assert any(m.startswith(f"{path}:{number}: quotation") for m in found), found


def test_unsupported_sentence(brief, seeds_dir):
    path = brief / "brief.en.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    number, line = next((i + 1, l) for i, l in enumerate(lines) if l.startswith("- ") and "[^7]" in l)
    edit(path, line, "- Regulators in Brazil fined Meta for weak moderation of livestreams.[^7]")
    found = messages(review(path, seeds_dir, auto_pair=False))
    assert any(m.startswith(f"{path}:{number}: ") and "not supported by [^7]" in m for m in found), found


def test_orphaned_and_undefined_footnotes(brief, seeds_dir):
    path = brief / "brief.en.md"
    _, line = definition_line(path, "1")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line.replace("[^1]:", "[^99]:") + "\n", encoding="utf-8")
    edit(path, "## Key points\n", "## Key points\n\nTelegram is a messaging platform.[^42]\n")
    report = review(path, seeds_dir, auto_pair=False)
    found = messages(report)
    assert any("[^99] is defined but never referenced" in m for m in found), found
    assert any("[^42] is referenced but not defined" in m for m in found), found


def test_english_korean_footnote_mismatch(brief, seeds_dir):
    ko = brief / "brief.ko.md"
    labels = re.findall(r"^\[\^(\d+)\]:", ko.read_text(encoding="utf-8"), re.M)
    last = labels[-1]
    number, line = definition_line(ko, last)
    edit(ko, line + "\n", "")
    edit(ko, f"[^{last}]", "")
    en = brief / "brief.en.md"
    en_number, _ = definition_line(en, last)
    report = review(en, seeds_dir)
    found = messages(report)
    assert report.pair == ko
    assert any(m.startswith(f"{en}:{en_number}: footnote [^{last}]") and "is not cited in" in m for m in found), found
    # and explicitly with --pair, from the Korean side
    found_ko = messages(review(ko, seeds_dir, pair=en))
    assert any(m.startswith(f"{en}:{en_number}: ") and "is not cited in" in m for m in found_ko), found_ko


@pytest.mark.parametrize(
    "injection",
    [
        "<script>document.title='pwned'</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<iframe src="https://example.com"></iframe>',
    ],
)
def test_injected_markup(brief, seeds_dir, injection):
    path = brief / "brief.en.md"
    edit(path, "## Key points\n", f"## Key points\n\n{injection}\n")
    lines = path.read_text(encoding="utf-8").splitlines()
    number = lines.index(injection) + 1
    found = messages(review(path, seeds_dir, auto_pair=False))
    assert any(m.startswith(f"{path}:{number}: possible script injection") for m in found), found


def test_cli_reports_and_fails(brief, seeds_dir):
    path = brief / "brief.en.md"
    edit(path, "## Key points\n", "## Key points\n\n<script>alert(1)</script>\n")
    result = CliRunner().invoke(app, ["review", str(path), "--sources", str(seeds_dir)])
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "possible script injection" in result.output
    assert "FAILED" in result.output.strip().splitlines()[-1]


def test_korean_text_skips_support_but_checks_numbers(brief, seeds_dir):
    ko = brief / "brief.ko.md"
    number, line, value, changed = numbered_line(ko, seeds_dir)
    refs = "".join(re.findall(r"\[\^\d+\]", line))
    edit(ko, line, f"- 경찰은 관련 건수가 {changed}건이라고 밝혔다.{refs}")
    report = review(ko, seeds_dir, auto_pair=False)
    assert any(f.line == number and f.severity == "note" for f in report.findings)
    assert any(m.startswith(f"{ko}:{number}: number(s) {changed}") for m in messages(report))
    edit(ko, f"{changed}건", f"{value}건")
    assert not [f for f in review(ko, seeds_dir, auto_pair=False).errors if f.line == number]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2 September 2024", (2024, 9, 2)),
        ("August 2024", (2024, 8, None)),
        ("2021", (2021, None, None)),
        ("2024년 9월 2일", (2024, 9, 2)),
        ("2024년 8월", (2024, 8, None)),
        ("August 24 (year not stated)", (None, 8, 24)),
        ("8월 24일 (연도 미상)", (None, 8, 24)),
        ("early autumn", None),
    ],
)
def test_parse_date_label(label, expected):
    assert parse_date_label(label) == expected


# -- meaning edits that leave most words unchanged (issue 11) -----------------------------------


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("Earlier on Monday,", "Earlier on Friday,", "weekday not in source: Friday"),
        ("Back in August 2024, concerns", "Back in July 2024, concerns", "month not in source: July"),
        ("identifying 24 suspects", "identifying 24 victims", "'victims' where the source has 'suspects'"),
        ("received 88 reports", "received 98 reports", "numbers not in source: 98"),
        ("President Yoon Suk Yeol has called", "President Woo Suk Yeol has called", "'woo' where the source has 'yoon'"),
        ("was arrested on Aug. 28 in Paris", "was arrested on Aug. 28 in Durov", "'durov' where the source has 'paris'"),
        ("police have noted a significant", "police have not noted a significant", "negation differs: statement: 'not noted'"),
        ("they do not share account", "they share account", "negation differs: source: 'not share'"),
        ("should be considered", "will be considered", "'will' where the source has 'should'"),
        ("plans to meet to discuss", "will meet to discuss", "modality differs"),
        ("have initiated a preliminary", "may have initiated a preliminary", "modality differs: statement: 'may have initiated'"),
        ("South Korean police have noted", "South Korean prosecutors have noted", "'prosecutors' where the source has 'police'"),
    ],
    ids=["weekday", "month", "unit", "number", "name-from-another-source", "names-swapped-in-span", "not-inserted",
         "not-removed", "should-to-will", "plans-to-will", "may-inserted", "actor"],
)
def test_meaning_edit_is_caught_with_its_reason_and_nearest_passage(brief, seeds_dir, old, new, reason):
    path = brief / "brief.en.md"
    text = path.read_text(encoding="utf-8")
    number, line = next((i, line) for i, line in enumerate(text.splitlines(), start=1) if old in line)
    label = label_quoting(path, seeds_dir, line, old)
    edit(path, old, new)
    report = review(path, seeds_dir, auto_pair=False)
    # The passages a point cites from one source are read together: "by [^7][^8]".
    flagged = [f for f in report.errors if f.line == number and re.search(rf"not supported by (?:\[\^\d+\])*\[\^{label}\]", f.message)]
    assert flagged and any(reason in f.message for f in flagged), messages(report)
    nearest = normalise(flagged[0].evidence)
    lines = []
    for flagged_label in re.findall(r"\[\^(\d+)\]", flagged[0].message.split(" (`")[0]):
        cited = report.draft.definitions[flagged_label]
        lines += (seeds_dir.parent / cited.file).read_text(encoding="utf-8").splitlines()[cited.line_start - 1 : cited.line_end]
    assert nearest and nearest in normalise(" ".join(lines))  # a passage of the cited lines ...
    assert normalise(old) in nearest  # ... where the source says what the edit replaced


def test_unedited_sentences_are_not_flagged_beside_an_edit(brief, seeds_dir):
    path = brief / "brief.en.md"
    edit(path, "told reporters on Monday", "told reporters on Friday")
    report = review(path, seeds_dir, auto_pair=False)
    assert len(report.errors) == 1, messages(report)


def test_escaped_footnote_text_in_an_article_is_not_a_reference(tmp_path: Path):
    """An article quoting `[^1]` is rendered escaped (`\\[^1\\]`); review reads it as text, even
    right before a real reference."""
    from briefing.pipeline import RunOptions, run

    folder = tmp_path / "day"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Officials said on Aug. 28 that police will act [^1], and more text follows here today.\n"
        "The council will meet again next week to discuss the plan in detail.\n",
        encoding="utf-8",
    )
    result = run(RunOptions(input_dir=folder, out_dir=tmp_path / "out", date="2026-11-30", translator="none"))
    brief = result.folder / "brief.en.md"
    assert "\\[^1\\]" in brief.read_text(encoding="utf-8")
    outcome = CliRunner().invoke(app, ["review", str(brief), "--sources", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output


def test_the_one_translation_flag_format_is_not_part_of_the_checked_sentence(tmp_path: Path):
    from briefing.brief.render import render_markdown
    from briefing.model import Brief, Citation, Point, Story, Translation
    from briefing.review.draft import parse_draft

    point = Point("Police got 88 reports.", [Citation("a.txt", 1, 1, "Police got 88 reports.")], article_ids=["a"])
    story = Story("story-1", "Reports", ["a"], [], None, bottom_line=[point])
    brief = Brief("2026-11-30", "Reports", [story], [], [], {"condenser": "x", "translator": "x", "merger": "x", "stories": "x"},
                  stats={"translation_install_hint": "x"})
    flagged = Translation(point.text, "경찰은 신고를 받았다.", True, ["number 88 missing"])
    markdown = render_markdown(brief, "ko", {point.text: flagged})
    assert "⟦⚠ check translation: number 88 missing⟧[^1]" in markdown
    draft = parse_draft(markdown, tmp_path / "brief.ko.md")
    assert "경찰은 신고를 받았다." in [s.text for s in draft.segments]


@pytest.mark.parametrize("language, old, new", [
    ("en", "_(reported 2 September 2024)_", "_(reported 3 September 2024)_"),
    ("ko", "_(2024년 9월 2일 보도)_", "_(2024년 9월 3일 보도)_"),
])
def test_a_changed_reported_date_is_caught(brief, seeds_dir, language, old, new):
    draft = brief / f"brief.{language}.md"
    assert review(draft, seeds_dir).ok
    edit(draft, old, new)
    found = messages(review(draft, seeds_dir))
    assert len(found) == 1 and "is not the date of the earliest cited source" in found[0], found


def test_a_swapped_position_actor_is_caught(brief, seeds_dir):
    draft = brief / "brief.en.md"
    edit(draft, "- **Huh Min-sook**:", "- **Lee Soo-jung**:")
    found = messages(review(draft, seeds_dir))
    assert len(found) == 1 and "actor “Lee Soo-jung” is not named in its statement" in found[0], found


def _review_written(tmp_path: Path, files: dict[str, str], draft_text: str):
    root = tmp_path / "root"
    (root / "in").mkdir(parents=True)
    for name, text in files.items():
        (root / "in" / name).write_text(text, encoding="utf-8")
    draft = root / "out" / "brief.ko.md"
    draft.parent.mkdir()
    draft.write_text(draft_text, encoding="utf-8")
    return review_file(draft, root)


def test_a_figure_row_needs_the_words_of_one_cited_source_and_an_actor_in_another_script_is_no_problem(tmp_path: Path):
    files = {"a.txt": "환자 수 발표\n\n중국은 새로운 환자가 14% 급증했다고 발표했다.\n",
             "b.txt": "감염자 통계\n\n중국은 에이즈 감염자의 수가 14% 증가했다고 밝혔다.\n"}
    rows = ("## 주요 수치\n\n| 수치 | 무엇을 세는가 | 출처 |\n|---|---|---|\n| 14% | 새로운 환자 | [^1][^2] |\n\n"
            "## 정책 대안 및 입장 (보도 기준)\n\n- **China**: 중국은 새로운 환자가 14% 급증했다고 발표했다.[^1]\n\n"
            "[^1]: `in/a.txt`, 3행: “중국은 새로운 환자가 14% 급증했다고 발표했다.”\n"
            "[^2]: `in/b.txt`, 3행: “중국은 에이즈 감염자의 수가 14% 증가했다고 밝혔다.”\n")
    report = _review_written(tmp_path, files, "# 브리핑\n\n" + rows)
    assert report.ok, messages(report)
    # Words in no cited source are still a problem.
    report = _review_written(tmp_path / "2", files, "# 브리핑\n\n" + rows.replace("| 새로운 환자 |", "| 사망자 급감 |"))
    assert not report.ok


# -- a name of the source swapped in; quotations holding quotations -----------------------------


def position_line(path: Path, words: str) -> tuple[int, str]:
    """The line of the positions section whose statement holds `words`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("## Policy options"))
    return next((i + 1, line) for i, line in enumerate(lines) if i > start and line.startswith("- **") and words in line)


def test_a_name_of_the_span_swapped_in_for_another_in_a_position_is_caught(brief, seeds_dir):
    """"President Telegram has called …" where the source says "President Yoon Suk Yeol has
    called …", Telegram being named further on in the cited line: the line's actor label must not
    hide the swap from the alignment."""
    path = brief / "brief.en.md"
    old = "President Yoon Suk Yeol has called"
    number, line = position_line(path, old)
    assert line.startswith("- **Yoon Suk Yeol**: ")
    label = label_quoting(path, seeds_dir, line, old)
    edit(path, line, line.replace(old, "President Telegram has called"))
    flagged = [m for m in messages(review(path, seeds_dir, auto_pair=False)) if m.startswith(f"{path}:{number}: ")]
    assert any(f"not supported by [^{label}]" in m and "'telegram' where the source has 'yoon suk yeol'" in m for m in flagged), flagged


def test_a_position_given_to_an_actor_its_statement_does_not_name_is_caught(brief, seeds_dir):
    path = brief / "brief.en.md"
    number, line = position_line(path, "President Yoon Suk Yeol has called")
    edit(path, line, line.replace("**Yoon Suk Yeol**", "**Pavel Durov**"))  # named in the cited line too
    found = messages(review(path, seeds_dir, auto_pair=False))
    assert found == [f"{path}:{number}: actor “Pavel Durov” is not named in its statement"], found


def test_a_name_swap_is_found_name_against_name_when_the_alignment_shifts():
    from briefing.merge.support_features import extract

    passage = "South Korean President Yoon Suk Yeol has called for an investigation into crimes shared in Telegram chatrooms."
    for statement, swapped in [
        ("Yoon Suk Yeol: South Korean President Telegram has called for an investigation into crimes shared in Telegram chatrooms.",
         True),
        ("President Telegram has called for an investigation.", True),  # a part of the passage, copied
        ("South Korean President Yoon has called for an investigation into crimes shared in Telegram chatrooms.", False),
        ("South Korea's President Yoon Suk Yeol has called for an investigation into crimes shared in Telegram chatrooms.",
         False),
    ]:
        _, checks = extract(statement, passage)
        found = {f for check in checks for key in ("swaps", "name_swaps") for f in check.findings.get(key, [])}
        assert found == ({"'telegram' where the source has 'yoon suk yeol'"} if swapped else set()), (statement, found)


def nested_quotation_line(path: Path) -> tuple[int, str]:
    """The first timeline entry whose quotation holds a quotation (“… “…” …”)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("## Timeline"))
    return next(
        (i + 1, line) for i, line in enumerate(lines)
        if i > start and line.startswith("- **") and line.count("“") > 1 and "”[^" in line
    )


def test_a_timeline_quotation_holding_a_quotation_is_read_whole(generated):
    from briefing.review.draft import read_draft

    path = generated / "brief.en.md"
    number, line = nested_quotation_line(path)
    segment = next(s for s in read_draft(path).segments if s.line == number)
    assert segment.quoted and segment.label == re.match(r"- \*\*(.+?)\*\*", line).group(1)
    assert segment.text.count("“") == segment.text.count("”") >= 1  # the inner quotation, both marks
    assert line.index(segment.text) == line.index("“") + 1


def test_an_edit_after_a_nested_quotation_is_caught_as_a_changed_quotation(brief, seeds_dir):
    path = brief / "brief.en.md"
    number, line = nested_quotation_line(path)
    inner_end = line.rindex("”", 0, line.rindex("”"))
    edit(path, line, line[: inner_end + 1] + " on Monday" + line[inner_end + 1 :])  # words of the cited line
    found = [m for m in messages(review(path, seeds_dir, auto_pair=False)) if m.startswith(f"{path}:{number}: ")]
    assert len(found) == 1 and found[0].startswith(f"{path}:{number}: quotation “"), found


# -- every claim of a cited section carries a citation (issue 20) --------------------------------


def test_an_added_bullet_without_a_footnote_is_a_problem(brief, seeds_dir):
    path = brief / "brief.en.md"
    added = "- Officials expect arrests of the platform executives in Korea soon."
    edit(path, "\n## Background", f"{added}\n\n## Background")
    report = review(path, seeds_dir, auto_pair=False)
    number = path.read_text(encoding="utf-8").splitlines().index(added) + 1
    assert [f.line for f in report.errors if f.message.startswith("no citation")] == [number], messages(report)
    assert not report.ok


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a sentence added after a bullet's footnotes
        ("agencies based in Korea", None),
        # a table row of the figures whose sources cell is empty
        ("| 24 | suspects | [^6] |", "| 24 | suspects | [^6] |\n| 40 | officers | |"),
    ],
    ids=["sentence-after-footnote", "figure-row"],
)
def test_a_sentence_or_table_row_without_a_footnote_is_a_problem(brief, seeds_dir, old, new):
    path = brief / "brief.en.md"
    text = path.read_text(encoding="utf-8")
    if new is None:
        line = next(line for line in text.splitlines() if old in line)
        new_line = line + " Officials expect arrests soon."
        edit(path, line, new_line)
        expected = text.splitlines().index(line) + 1
    else:
        edit(path, old, new)
        expected = text.splitlines().index(old) + 2
    report = review(path, seeds_dir, auto_pair=False)
    uncited = [f for f in report.errors if f.message.startswith("no citation")]
    assert [f.line for f in uncited] == [expected], messages(report)


def test_uncited_text_outside_cited_sections_is_no_problem(brief, seeds_dir):
    path = brief / "brief.en.md"
    edit(path, "\n## About this brief\n", "\n## About this brief\n\nThis line has no footnote and needs none.\n")
    report = review(path, seeds_dir, auto_pair=False)
    assert report.ok, messages(report)


@pytest.mark.parametrize(
    ("old", "new", "caught"),
    [
        ("comes as part of", "is part of", False),  # a harmless rewording
        ("a significant increase in deepfake", "a significant decrease in deepfake", True),  # an antonym
        ("South Korean authorities have initiated", "Japanese authorities have initiated", True),  # another actor
    ],
    ids=["rewording-passes", "antonym", "actor-swapped"],
)
def test_rewording_passes_and_antonym_or_swapped_actor_is_caught(brief, seeds_dir, old, new, caught):
    path = brief / "brief.en.md"
    text = path.read_text(encoding="utf-8")
    number = next(i for i, line in enumerate(text.splitlines(), start=1) if old in line)
    edit(path, old, new)
    report = review(path, seeds_dir, auto_pair=False)
    flagged = [f for f in report.errors if f.line == number and "is not supported by" in f.message]
    assert bool(flagged) == caught and (caught or report.ok), messages(report)


def test_an_overview_story_line_is_a_label_but_a_claim_there_needs_a_footnote(tmp_path: Path):
    from briefing.review.draft import parse_draft

    text = (
        "# Policy brief: 2 stories\n\n## Overview\n\n1. **Harbour council approves ferry route** (2 sources)\n\n"
        "   The harbour council approved a new ferry route.[^1]\n\n"
        "2. **Storm closes port** (1 source)\n\n   Officials expect the port to reopen soon.\n\n"
        "Also reported by one source each: 1 story (see the end of the brief).\n\n"
        "[^1]: `seeds/a.txt`, line 1: “The harbour council approved …”\n"
    )
    draft = parse_draft(text, tmp_path / "brief.en.md")
    assert [(u.line, u.text) for u in draft.uncited] == [(11, "Officials expect the port to reopen soon.")]
