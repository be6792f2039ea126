"""`briefing translate FILES... --to ko|en`: batch-translate summaries with a local model.

Thin layer over briefing.translate.files and briefing.translate.seq2seq. torch and transformers
are imported only when a model is found and loaded, never at import time.
"""

from __future__ import annotations

from pathlib import Path

import typer

from briefing.cli.options import CacheDir, Device, Model, NoCache, Quantize, fail, flag, usage_error
from briefing.translate.files import LANGUAGES, SUFFIXES, is_translation_output


def _expand(paths: list[Path], target: str) -> tuple[list[Path], list[str], list[str]]:
    """Files to translate (folders expanded to their .md/.txt/.json files by the walk `run`
    uses, so a link out of the folder is refused the same way), problems, and files passed over."""
    from briefing.ingest.walk import walk
    from briefing.paths import shown_path

    def accept(path: Path) -> bool:
        return path.suffix.lower() in SUFFIXES and not is_translation_output(path, target)

    files: list[Path] = []
    problems: list[str] = []
    passed_over: list[str] = []
    for path in paths:
        if path.is_dir():
            found, passed = walk(path, accept, recursive=False)
            passed_over.extend(f"skipped {shown_path(str(p.path))}: {p.reason}" for p in passed)
            if not found:
                problems.append(f"{path}: no .md, .txt or .json files to translate")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    return list(dict.fromkeys(files)), problems, passed_over


def register(app: typer.Typer) -> None:
    @app.command("translate")
    def translate(
        files: list[Path] = typer.Argument(..., help="Markdown, plain-text or brief.json files, or folders of them."),
        to: str = typer.Option(..., "--to", help="Target language: ko or en (the source is the other one)."),
        out: Path | None = typer.Option(None, "--out", help="Write translations here instead of beside the inputs."),
        model: Model = None,
        device: Device = None,
        quantize: Quantize = "auto",
        cache_dir: CacheDir = None,
        no_cache: NoCache = False,
        ray: str | None = typer.Option(None, "--ray", metavar="ADDRESS|local|auto", help="Generate on a Ray cluster: local starts one here, auto joins RAY_ADDRESS's (needs the ray extra)."),
        force: bool = flag("--force", help="Translate again files whose output is already complete for the same input, model and settings, and replace an output briefing translate did not write."),
    ) -> None:
        """Translate summaries, keeping Markdown structure, footnotes and citations intact.

        Writes NAME.<to>.md (or .txt / .json) beside each input or into --out. Sentences whose
        numbers, dates, URLs or glossary terms did not survive are marked in the output. A file
        whose output is complete for the same input, model and settings is skipped, so a run
        that was interrupted can simply be started again.
        """
        from rich.console import Console

        from briefing.seq2seq.cache import open_cache
        from briefing.seq2seq.model_errors import ModelError
        from briefing.seq2seq.quantize_policy import quantize_problem
        from briefing.translate.seq2seq import load_translator

        console = Console(stderr=True)
        if to not in LANGUAGES:
            usage_error(f"--to must be one of {', '.join(LANGUAGES)}, not {to!r}")
        if problem := quantize_problem(quantize):
            usage_error(f"--quantize: {problem}")
        if ray is not None:
            from briefing.seq2seq.distributed import ray_problem

            if problem := ray_problem(ray):
                usage_error(problem)
        source = "en" if to == "ko" else "ko"
        targets, problems, passed_over = _expand(files, to)
        for line in passed_over:
            console.print(f"warning: {line}", markup=False, soft_wrap=True)
        targets, refused = _replaceable(targets, to, out, force)
        problems += refused
        for problem in problems:
            console.print(f"failed: {problem}", markup=False, soft_wrap=True)
        if not targets:
            raise typer.Exit(2)  # nothing to act on: the inputs named were each reported above

        cache = open_cache(cache_dir, enabled=not no_cache)
        for note in cache.problems:
            console.print(f"note: {note}", markup=False, soft_wrap=True)
        backend = None
        try:
            if ray is not None:
                from briefing.seq2seq.distributed import RayBackend, RayUnavailable

                try:
                    backend = RayBackend.open(ray, device=device, quantize=quantize, cache_dir=cache_dir, no_cache=no_cache)
                except RayUnavailable as exc:
                    fail(str(exc))
                console.print(f"note: {backend.describe()}", markup=False, soft_wrap=True)
            loader = backend.load_translator if backend else load_translator
            try:
                translator = loader(source, to, model=model, device=device, cache=cache, quantize=quantize)
            except ModelError as exc:
                # One line: which model, where it looked, how to fetch it. Nothing is written.
                fail(f"no {source}->{to} translation: {exc}")
            failed = _translate_all(console, translator, targets, source, to, out, force) + len(problems)
        finally:
            if backend is not None:
                backend.close()
        console.print(f"translator: {translator.describe()}", markup=False, soft_wrap=True)
        if failed:
            console.print(f"{failed} of {len(targets) + len(problems)} failed", markup=False)
            raise typer.Exit(1)


def _replaceable(targets: list[Path], to: str, out: Path | None, force: bool) -> tuple[list[Path], list[str]]:
    """The targets whose outputs may be written, and why the others' may not: checked before any
    model is loaded, so a refusal costs nothing (translate_files checks again just before writing)."""
    from briefing.translate.files import output_path, replace_problem

    kept: list[Path] = []
    refused: list[str] = []
    for path in targets:
        if problem := replace_problem(output_path(path, to, out), force):
            refused.append(f"{path}: {problem}")
        else:
            kept.append(path)
    return kept, refused


def _translate_all(console, translator, targets: list[Path], source: str, to: str, out: Path | None, force: bool) -> int:
    """Translate the files with a progress bar of files and sentences; print one line per file;
    the number that failed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from briefing.translate.files import translate_files

    failed = 0
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, disable=not console.is_terminal, transient=True,
    ) as progress:
        files = progress.add_task(f"files {source}->{to}", total=len(targets))
        sentences = progress.add_task("sentences", total=None)
        if hasattr(translator, "progress"):
            translator.progress = lambda n: progress.advance(sentences, n)
        for result in translate_files(targets, translator, source, to, out, force=force):
            if result.error:
                failed += 1
                progress.console.print(f"failed: {result.source}: {result.error}", markup=False, soft_wrap=True)
            elif result.skipped:
                progress.console.print(f"skipped {result.output} (complete for the same input, model and settings)",
                                       markup=False, soft_wrap=True)
            else:
                note = f", {len(result.flags)} flagged for review" if result.flags else ""
                progress.console.print(
                    f"wrote {result.output} ({result.segments} segments{note})", markup=False, soft_wrap=True
                )
            progress.advance(files)
    return failed
