"""`briefing models list | check | pull | convert`: what is registered, what is present, fetching.

torch and transformers are imported inside `check` and `convert` only; `list` never loads
weights (`pull --convert` reads tensors only, through briefing.seq2seq.convert). `pull` and
`convert` also write the model's CTranslate2 conversion beside it (briefing.seq2seq.ctranslate)
where ctranslate2 is installed; a model it cannot convert still runs on transformers + torch.
"""

from __future__ import annotations

from pathlib import Path

import typer

from briefing.cli.options import Device, Quantize, fail, flag

CHECK_TEXT = "Police said 88 people were arrested in the capital on Tuesday."


def _folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file()) / 1e6


def _jobs_of(registry, key: str) -> list[str]:
    out = []
    for job in registry.jobs.values():
        if job.default == key:
            out.append(f"{job.name} (default)")
        elif key in job.alternatives:
            out.append(job.name)
    return out


def _write_ctranslate2(location, models_dir: Path | None, quantize: str, device: str | None, required: bool) -> None:
    """The CTranslate2 conversion of `location`, reported in one line; a failure fails the command
    only when asked for (--ctranslate2), else it is a note and the torch engine runs the model."""
    from briefing.seq2seq import ctranslate
    from briefing.seq2seq.model_errors import ModelError

    try:
        folder = ctranslate.convert(location, models_root=models_dir, quantize=quantize,
                                    device="cpu" if (device or "cpu") == "cpu" else "cuda")
    except ModelError as exc:
        if required:
            fail(str(exc))
        typer.echo(f"note: {exc}; transformers + torch runs {location.model_id}")
        return
    meta = ctranslate.read_meta(folder) or {}
    typer.echo(f"CTranslate2 conversion ({meta.get('quantization')}) -> {folder}")


def register(app: typer.Typer) -> None:
    models_app = typer.Typer(help="The seq2seq models: registered, present locally, fetching.", no_args_is_help=True,
                             rich_markup_mode=None)
    app.add_typer(models_app, name="models")

    models_dir_opt = typer.Option(None, "--models-dir", help="Folder of local models (default: BRIEFING_MODELS_DIR, models/ in a checkout, else the user data folder).")

    @models_app.command("list")
    def list_models(models_dir: Path | None = models_dir_opt) -> None:
        """Registered models: job, licence, size, and whether (and where) each is present locally."""
        from rich.console import Console
        from rich.table import Table

        from briefing.seq2seq.locate import locate
        from briefing.seq2seq.model_errors import ModelError
        from briefing.seq2seq.registry import load_registry

        registry = load_registry()
        table = Table(show_lines=False)
        for column in ("model", "jobs", "licence", "size", "present", "where"):
            table.add_column(column)
        for key, spec in registry.models.items():
            try:
                loc = locate(key, models_root=models_dir, registry=registry)
                present, where, size = "yes", f"{loc.source}: {loc.path}", f"{_folder_mb(loc.path):.0f} MB"
            except ModelError as exc:
                present = "no" if type(exc).__name__ == "ModelNotFound" else "unusable"
                where = "" if present == "no" else str(exc)
                size = f"~{spec.size_mb} MB"
            licence = spec.licence + ("" if spec.commercial_use else " (non-commercial)")
            table.add_row(f"{key}\n{spec.id}", "\n".join(_jobs_of(registry, key)), licence, size, present, where)
        Console(width=200).print(table)

    @models_app.command("check")
    def check(
        names: list[str] = typer.Argument(None, help="Models to check (default: every registered model present)."),
        models_dir: Path | None = models_dir_opt,
        device: Device = None,
    ) -> None:
        """Load each present model and run one tiny generation."""
        import time
        from dataclasses import replace

        from briefing.seq2seq.generation import Generator
        from briefing.seq2seq.loading import load
        from briefing.seq2seq.locate import find_local
        from briefing.seq2seq.model_errors import ModelError
        from briefing.seq2seq.registry import GenerationSettings, load_registry

        registry = load_registry()
        if names:
            targets = list(names)
        else:
            targets = [k for k in registry.models if find_local(k, models_root=models_dir, registry=registry)]
        if not targets:
            typer.echo("no registered model is present locally; `briefing models pull NAME` fetches one")
            return
        failed = 0
        for name in targets:
            started = time.perf_counter()
            try:
                loaded = load(name, device=device, models_root=models_dir, registry=registry)
                base = loaded.spec.generation if loaded.spec else GenerationSettings()
                tiny = replace(base, num_beams=1, max_new_tokens=8, min_new_tokens=0)
                kwargs = {}
                codes = loaded.spec.lang_codes if loaded.spec else {}
                if "ko" in codes:  # many-to-many models need a forced target-language token
                    lang_id = getattr(loaded.tokenizer, "get_lang_id", None)
                    code = codes["ko"]
                    kwargs["forced_bos_token_id"] = lang_id(code) if lang_id else loaded.tokenizer.convert_tokens_to_ids(code)
                output = Generator(loaded, settings=tiny, generate_kwargs=kwargs)([CHECK_TEXT])[0]
                seconds = time.perf_counter() - started
                typer.echo(f"ok   {name}: {loaded.describe()}, {seconds:.1f}s: {output[:60]!r}")
            except ModelError as exc:
                failed += 1
                typer.echo(f"FAIL {name}: {exc}")
        if failed:
            raise typer.Exit(1)

    ct2_opt = typer.Option(None, "--ctranslate2/--no-ctranslate2", help="Write the CTranslate2 conversion beside the model (default: where ctranslate2 is installed; a model it cannot convert is a note).")
    ct2_device_opt = typer.Option(None, "--device", help="The device the CTranslate2 conversion is for: cpu (int8 weights by default) or cuda (float16).")

    @models_app.command("pull")
    def pull_model(
        name: str = typer.Argument(..., help="Registry name or Hugging Face id."),
        convert: bool = flag("--convert", help="If the model has only pytorch_model.bin, fetch it and convert its tensors to safetensors in models/NAME/."),
        models_dir: Path | None = models_dir_opt,
        ctranslate2: bool | None = ct2_opt,
        quantize: Quantize = "auto",
        device: str | None = ct2_device_opt,
    ) -> None:
        """Download a model (safetensors only) into the Hugging Face cache, and convert it for CTranslate2. Needs network."""
        from briefing.seq2seq import ctranslate
        from briefing.seq2seq.hub import pull
        from briefing.seq2seq.model_errors import ModelError

        try:
            location = pull(name, convert=convert, models_root=models_dir)
        except ModelError as exc:
            fail(str(exc))
        typer.echo(f"fetched {location.describe()}")
        if ctranslate2 or (ctranslate2 is None and not ctranslate.problem()):
            _write_ctranslate2(location, models_dir, quantize, device, required=bool(ctranslate2))

    @models_app.command("convert")
    def convert_model(
        target: str = typer.Argument(..., metavar="FOLDER|NAME", help="A model folder (config.json and safetensors, or pytorch_model.bin and its shards), or a registered model present locally."),
        out: Path | None = typer.Option(None, "--out", help="Write a complete model folder here instead of beside the pickle."),
        models_dir: Path | None = models_dir_opt,
        ctranslate2: bool | None = ct2_opt,
        quantize: Quantize = "auto",
        device: str | None = ct2_device_opt,
    ) -> None:
        """Rewrite a pickled checkpoint as safetensors (reading tensors only: no pickled code runs),
        and write the model's CTranslate2 conversion beside it."""
        from briefing.seq2seq import ctranslate
        from briefing.seq2seq.convert import convert_checkpoint, pickled_shards
        from briefing.seq2seq.locate import is_hub_id, locate
        from briefing.seq2seq.model_errors import ModelError

        name = target
        folder = Path(target).expanduser()
        try:
            if folder.exists() or out is not None or target.startswith((".", "/", "~")) or not is_hub_id(target):
                has_safetensors = folder.is_dir() and any(p.suffix == ".safetensors" for p in folder.iterdir())
                if out is not None or (pickled_shards(folder) and not has_safetensors) or not (folder / "config.json").is_file():
                    converted = convert_checkpoint(folder, out)
                    typer.echo(f"converted {folder} -> {converted}")
                    name = str(converted)
                else:
                    name = str(folder)
            if ctranslate2 or (ctranslate2 is None and not ctranslate.problem()):
                _write_ctranslate2(locate(name, models_root=models_dir), models_dir, quantize, device, required=bool(ctranslate2))
            elif ctranslate2 is None:
                typer.echo(f"note: {ctranslate.problem()}; no CTranslate2 conversion written")
        except ModelError as exc:
            fail(str(exc))
