"""A folder of one Korean and one English article on the same story, through `briefing run` and
`briefing review` (articles written for the tests)."""

from __future__ import annotations

from typer.testing import CliRunner

from briefing.cli import app

KOREAN = """딥페이크 성범죄 신고 한 주 만에 급증

입력 2024.08.30 14:05

(부산=가상통신) 홍길동 기자 = 경찰청은 8월 26일부터 29일까지 딥페이크 성범죄 신고가 88건 접수됐다고 30일 밝혔다.

김민수 경찰청 국가수사본부장은 기자간담회에서 “플랫폼 운영사도 수사에 협조해야 한다”고 강조했다.

교육부에 따르면 피해 학생은 지금까지 1,200여 명으로 집계됐다.
"""

ENGLISH = """Deepfake reports surge in one week

By Jane Doe | The Daily Ledger | August 30, 2024

Police said they received 88 reports of deepfake sex crimes from Aug. 26 to 29.

The education ministry said about 1,200 students had been harmed so far.
"""


def test_a_mixed_folder_gives_korean_figures_dates_and_a_korean_brief_that_passes_review(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "ko.txt").write_text(KOREAN, encoding="utf-8")
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(folder), "--out", str(out), "--date", "2024-08-31"])
    assert result.exit_code == 0, result.output
    korean = (out / "2024-08-31" / "brief.ko.md").read_text(encoding="utf-8")
    assert "88건" in korean and "딥페이크 성범죄 신고" in korean  # a Korean figure with its subject
    assert "2024년 8월 26일" in korean  # a Korean date, anchored to the article's date
    assert "가상통신" in korean  # the outlet read from the dateline
    review = runner.invoke(app, ["review", str(out / "2024-08-31" / "brief.ko.md"), "--sources", str(folder)])
    assert review.exit_code == 0, review.output
