"""`briefing review` (check a draft, optionally preview it as HTML) and `briefing diff`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from briefing.cli.options import Checker, Quiet, fail, flag, usage_error, use_checker


def register(app: typer.Typer) -> None:
    app.command("review")(review)
    app.command("diff")(diff)


def review(
    draft: Path = typer.Argument(..., help="The brief draft (Markdown) to check."),
    sources: Optional[Path] = typer.Option(
        None, "--sources", help="Folder of the cited articles; cited paths are relative to its parent and must lie inside it."
    ),
    pair: Optional[Path] = typer.Option(
        None, "--pair", help="The other language's draft (default: brief.ko.md / brief.en.md beside DRAFT, when present)."
    ),
    no_pair: bool = flag("--no-pair", help="Do not compare with the other language's draft."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write a self-contained HTML preview here."),
    since: Optional[Path] = typer.Option(
        None, "--since", help="An older brief.json: also print what changed since then (against brief.json beside DRAFT)."
    ),
    allow_outside: bool = flag(
        "--allow-outside", help="Also read cited files by absolute or `..` paths, and outside the draft's tree."
    ),
    checker: Checker = None,
    quiet: Quiet = False,
) -> None:
    """Check every footnote, quote, cited sentence and number of DRAFT.

    Exit 0: checked, no problem; 1: problems found, or the preview could not be written;
    2: could not check (bad input or path).
    """
    from briefing.cli.output import Console
    from briefing.review.check import Sources, review_file
    from briefing.review.diff import BriefFileError
    from briefing.review.draft import DraftError

    console = Console(quiet=quiet)
    problem = _input_problem(draft, sources, pair, html, since)
    if problem:
        usage_error(problem)
    use_checker(checker)
    try:
        report = review_file(draft, sources, pair, auto_pair=not no_pair, allow_outside=allow_outside)
        changes = _diff_text(since, draft.with_name("brief.json")) if since is not None else None
    except (DraftError, BriefFileError) as exc:
        usage_error(str(exc))
    for finding in report.findings:
        if quiet and finding.severity != "error":
            continue
        typer.echo(str(finding))
    typer.echo(report.summary())
    if html is not None:
        from briefing.review.preview import PreviewRefused, render_preview, write_preview

        try:
            page = render_preview(report.draft, Sources(draft, sources, allow_outside=allow_outside), report)
            html.parent.mkdir(parents=True, exist_ok=True)
            console.info(f"wrote {write_preview(html, page)}")
        except PreviewRefused as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"could not write the preview {html}: {exc.strerror or exc}")
    if changes is not None:
        typer.echo("")
        typer.echo(changes, nl=False)
    if not report.ok:
        raise typer.Exit(1)


def _input_problem(
    draft: Path, sources: Optional[Path], pair: Optional[Path], html: Optional[Path], since: Optional[Path]
) -> str | None:
    """Why the review cannot start (one line), checked before any work."""
    if not draft.is_file():
        return f"draft not found: {draft}"
    if sources is not None and not sources.is_dir():
        return f"sources folder not found: {sources}"
    if pair is not None and not pair.is_file():
        return f"pair draft not found: {pair}"
    if html is not None:
        if html.is_dir():
            return f"--html {html} is a folder; give the path of the page to write"
        existing = next(p for p in (html.parent, *html.parent.parents) if p.exists() or p == p.parent)
        if not existing.is_dir():
            return f"--html {html}: {existing} is not a folder"
        if html.resolve() == draft.resolve():
            return f"--html {html} would overwrite the draft"
        from briefing.review.preview import replace_problem

        refused = replace_problem(html)
        if refused:
            return refused
    if since is not None:
        if not since.is_file():
            return f"--since: not found: {since}"
        if not draft.with_name("brief.json").is_file():
            return f"--since needs the draft's brief.json beside it: {draft.with_name('brief.json')} not found"
    return None


def diff(
    old: Path = typer.Argument(..., help="The older brief.json (e.g. yesterday's)."),
    new: Path = typer.Argument(..., help="The newer brief.json."),
) -> None:
    """Print, as Markdown, which points are new, changed or dropped between two briefs.

    Exit 0: compared; 2: could not compare (a file missing or not a brief.json).
    """
    from briefing.review.diff import BriefFileError

    for path in (old, new):
        if not path.is_file():
            usage_error(f"not found: {path}")
    try:
        text = _diff_text(old, new)
    except BriefFileError as exc:
        usage_error(str(exc))
    typer.echo(text, nl=False)


def _diff_text(old: Path, new: Path) -> str:
    from briefing.review.diff import diff_briefs, diff_markdown, load_brief

    return diff_markdown(diff_briefs(load_brief(old), load_brief(new)))
