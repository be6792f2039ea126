"""`briefing review` (check a draft, optionally preview it as HTML) and `briefing diff`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


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
    no_pair: bool = typer.Option(False, "--no-pair", help="Do not compare with the other language's draft."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write a self-contained HTML preview here."),
    since: Optional[Path] = typer.Option(
        None, "--since", help="An older brief.json: also print what changed since then (against brief.json beside DRAFT)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the problems and the summary."),
) -> None:
    """Check every footnote, quote, cited sentence and number of DRAFT; exit 1 when anything fails."""
    from briefing.cli.output import Console
    from briefing.review import Sources, review_file

    console = Console(quiet=quiet)
    if not draft.is_file():
        console.error(f"draft not found: {draft}")
        raise typer.Exit(2)
    if sources is not None and not sources.is_dir():
        console.error(f"sources folder not found: {sources}")
        raise typer.Exit(2)
    if pair is not None and not pair.is_file():
        console.error(f"pair draft not found: {pair}")
        raise typer.Exit(2)
    report = review_file(draft, sources, pair, auto_pair=not no_pair)
    for finding in report.findings:
        if quiet and finding.severity != "error":
            continue
        typer.echo(str(finding))
    typer.echo(report.summary())
    if html is not None:
        from briefing.preview import render_preview, write_preview

        page = render_preview(report.draft, Sources(draft, sources), report)
        console.info(f"wrote {write_preview(html, page)}")
    if since is not None:
        new = draft.with_name("brief.json")
        if not new.is_file():
            console.error(f"--since needs the draft's brief.json beside it: {new} not found")
            raise typer.Exit(2)
        typer.echo("")
        typer.echo(_diff_text(since, new), nl=False)
    if not report.ok:
        raise typer.Exit(1)


def diff(
    old: Path = typer.Argument(..., help="The older brief.json (e.g. yesterday's)."),
    new: Path = typer.Argument(..., help="The newer brief.json."),
) -> None:
    """Print, as Markdown, which points are new, changed or dropped between two briefs."""
    for path in (old, new):
        if not path.is_file():
            typer.echo(f"error: not found: {path}", err=True)
            raise typer.Exit(2)
    typer.echo(_diff_text(old, new), nl=False)


def _diff_text(old: Path, new: Path) -> str:
    from briefing.diff import diff_briefs, diff_markdown, load_brief

    return diff_markdown(diff_briefs(load_brief(old), load_brief(new)))
