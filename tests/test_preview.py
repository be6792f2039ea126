"""`briefing review --html`: a self-contained page where citations open and nothing from input runs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.review.check import Sources, review_file
from briefing.review.draft import read_draft
from briefing.review.preview import CONTENT_SECURITY_POLICY, render_preview

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE_LINE = (
    "Officials said the filter blocked <script>document.title='pwned'</script> and "
    "<img src=x onerror=\"document.title='pwned'\"> payloads in 12 chatrooms."
)


@pytest.fixture
def hostile(tmp_path) -> Path:
    """An article containing markup, and a draft (with injected markup of its own) citing it."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(
        "Filter blocks payloads\n\nBy A. Reporter\n\n" + HOSTILE_LINE + "\n\nRegulators met on Monday to review the filter.\n",
        encoding="utf-8",
    )
    draft = tmp_path / "brief.en.md"
    draft.write_text(
        "# Policy brief: filters\n\n## Key points\n\n"
        "- Officials said the filter blocked payloads in 12 chatrooms.[^1]\n"
        "- Regulators met to review the filter.[^2]\n\n"
        "<script>document.title='pwned'</script>\n\n"
        "<img src=x onerror=\"document.title='pwned'\"> [link](javascript:document.title='pwned')\n\n"
        "[^1]: `articles/a.txt`, line 5: “Officials said the filter blocked &lt;script&gt;document.title='pwned'&lt;/script&gt; and …”\n"
        "[^2]: `articles/a.txt`, line 7: “Regulators met on Monday to review the filter.”\n",
        encoding="utf-8",
    )
    return draft


def page_for(draft: Path, sources: Path) -> str:
    report = review_file(draft, sources, auto_pair=False)
    return render_preview(read_draft(draft), Sources(draft, sources), report)


def test_page_escapes_everything_from_input(hostile):
    page = page_for(hostile, hostile.parent / "articles")
    scripts = re.findall(r"<script\b[^>]*>", page, re.I)
    assert scripts == ["<script>"]  # only the page's own script
    assert page.count("</script>") == 1
    assert "pwned" not in page.split("<script>")[1].split("</script>")[0]
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", page, re.I), "an event handler attribute got through"
    assert not re.search(r"(?:href|src|action)\s*=\s*[\"']?\s*javascript:", page, re.I)
    assert "<img" not in page.lower() and "<iframe" not in page.lower()
    # the source passage is shown, escaped
    assert "&lt;script&gt;document.title=" in page and "&lt;img src=x onerror=" in page
    assert 'http-equiv="Content-Security-Policy"' in page
    assert "script-src 'sha256-" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert not re.search(r"\b(?:src|href)=\"https?:", page), "the page must not load external assets"


def test_each_citation_has_its_passage(hostile):
    page = page_for(hostile, hostile.parent / "articles")
    for label in ("1", "2"):
        assert f'<details class="citation ok" id="cite-{label}">' in page
        assert f'<sup class="cite" data-cite="{label}"><a href="#cite-{label}"' in page
    assert "Regulators met on Monday to review the filter.</blockquote>" in page


def test_cli_writes_page_atomically(hostile, tmp_path):
    out = tmp_path / "site" / "preview.html"
    result = CliRunner().invoke(
        app, ["review", str(hostile), "--sources", str(hostile.parent / "articles"), "--html", str(out)]
    )
    assert result.exit_code == 1  # the draft carries injected markup: review fails, the preview is still written
    assert "possible script injection" in result.output
    assert out.is_file() and not list(out.parent.glob(".*.tmp"))
    assert "Review:" in out.read_text(encoding="utf-8")


def _chromium(url: str, profile: Path, *extra: str) -> str:
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom", *extra, url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)")
def test_in_headless_chromium(hostile, tmp_path, seeds_dir, root):
    # a real generated brief plus the hostile draft's markup and article
    out = tmp_path / "out"
    from briefing.pipeline import RunOptions, run

    folder = run(RunOptions(input_dir=seeds_dir, out_dir=out, date="2026-11-21", summariser="extractive", translator="none")).folder
    draft = folder / "brief.en.md"
    text = draft.read_text(encoding="utf-8")
    draft.write_text(
        text.replace("## Key points\n", "## Key points\n\n<script>document.title='pwned'</script>\n\n"
                     "<img src=x onerror=\"document.title='pwned'\">\n", 1),
        encoding="utf-8",
    )
    page = folder / "preview.html"
    result = CliRunner().invoke(app, ["review", str(draft), "--sources", str(seeds_dir), "--html", str(page)])
    assert page.is_file(), result.output

    dom = _chromium(page.as_uri() + "#cite-1", tmp_path / "profile")
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert title.startswith("Policy brief:") and "pwned" not in title  # no injected script ran
    assert "Key points" in dom and "Telegram" in dom  # the brief is shown
    assert 'data-open-citation="1"' in dom  # the page's own script ran and opened citation 1
    assert re.search(r'<details class="citation ok" id="cite-1" open=""', dom)
    pane = re.search(r'<aside id="pane"[^>]*>(.*?)</aside>', dom, re.S)
    assert pane and "hidden" not in pane.group(0).split(">")[0] and "<blockquote>" in pane.group(1)

    hostile_page = tmp_path / "hostile.html"
    CliRunner().invoke(app, ["review", str(hostile), "--sources", str(hostile.parent / "articles"), "--html", str(hostile_page)])
    dom = _chromium(hostile_page.as_uri() + "#cite-1", tmp_path / "profile2")
    assert "<title>Policy brief: filters</title>" in dom
    assert 'data-open-citation="1"' in dom
    assert "&lt;script&gt;document.title=" in dom  # shown as text, in the opened passage


def test_page_is_deterministic(hostile):
    assert page_for(hostile, hostile.parent / "articles") == page_for(hostile, hostile.parent / "articles")


def test_copy_of_generated_brief_renders_all_citations(tmp_path, seeds_dir):
    from briefing.pipeline import RunOptions, run

    folder = run(RunOptions(input_dir=seeds_dir, out_dir=tmp_path, date="2026-11-21", summariser="extractive", translator="none")).folder
    for language in ("en", "ko"):
        draft = folder / f"brief.{language}.md"
        page = page_for(draft, seeds_dir)
        labels = read_draft(draft).definitions
        assert all(f'id="cite-{label}"' in page for label in labels)
        assert page.count('<sup class="cite"') >= len(labels)
    shutil.rmtree(folder)


def test_flagged_sentence_shows_its_reason_and_nearest_source_passage(tmp_path, seeds_dir):
    import html

    from briefing.pipeline import RunOptions, run

    folder = run(RunOptions(input_dir=seeds_dir, out_dir=tmp_path, date="2026-11-21", summariser="extractive", translator="none")).folder
    draft = folder / "brief.en.md"
    text = draft.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "Earlier on Monday" in line)
    draft.write_text(text.replace(line, line.replace("on Monday", "on Friday")), encoding="utf-8")
    page = page_for(draft, seeds_dir)
    box = page.split('<div class="review bad">', 1)[1].split("</div>\n", 1)[0]
    item = next(li for li in box.split("<li>") if "weekday not in source: Friday" in li)
    nearest = html.unescape(item.split("nearest source passage:", 1)[1])
    assert "Earlier on Monday" in nearest  # the source's own words, beside the reason
    assert page.count("nearest source passage:") == 1  # only the flagged sentence has one
