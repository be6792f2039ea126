"""Fetching a model from the Hugging Face Hub: the only networked step (`briefing models pull`).

    location = pull("opus-mt-tc-big-en-ko")         # into the Hugging Face cache; a Location
    location = pull("some/bin-only-model", convert=True)   # pytorch_model.bin -> models/<name>/

Only configs, tokenizers and safetensors weights are downloaded. A repository with only pickled
weights is refused unless `convert` is set; then briefing.seq2seq.convert rewrites its tensors as
safetensors (no pickled code runs). Nothing here runs at brief time: briefing.seq2seq.locate finds what
was fetched.
"""

from __future__ import annotations

import os
from pathlib import Path

from briefing.seq2seq.convert import convert_checkpoint
from briefing.seq2seq.locate import Location, check_weights, is_hub_id, local_folder_name, pull_command
from briefing.seq2seq.model_errors import ModelError, UnsafeWeights
from briefing.seq2seq.registry import Registry, load_registry
from briefing.seq2seq.revision import folder_revision
from briefing.settings import hf_cache_dir, models_dir

#: What `pull` downloads: configs, tokenizers and safetensors weights; pickles only with --convert.
PULL_PATTERNS = ["*.json", "*.safetensors", "*.model", "*.spm", "*.txt", "*.tiktoken", "*.py.sha"]
PICKLE_PATTERNS = ["pytorch_model.bin", "pytorch_model-*.bin"]


def env_offline() -> bool:
    """HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE as set now (huggingface_hub reads them at import)."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if os.environ.get(var, "").strip().lower() in ("1", "true", "yes", "on"):
            return True
    return False


def pull(
    name: str,
    *,
    hf_cache: Path | str | None = None,
    registry: Registry | None = None,
    progress: bool = True,
    convert: bool = False,
    models_root: Path | str | None = None,
) -> Location:
    """Download a model from the Hub into the Hugging Face cache (the only networked step).

    With `convert`, a repository that has only pytorch_model.bin is fetched with it and converted
    by briefing.seq2seq.convert (tensors only, no pickled code runs) into models/<name>/.
    Raises ModelError with one line when offline (HF_HUB_OFFLINE), unreachable, or when the
    repository has no safetensors weights and `convert` is off.
    """
    registry = registry or load_registry()
    spec = registry.get(name)
    model_id = spec.id if spec else name
    if not is_hub_id(model_id):
        raise ModelError(f"{name!r} is not a registry name or a Hugging Face model id")
    if env_offline():
        raise ModelError(f"cannot fetch {model_id}: HF_HUB_OFFLINE is set (unset it to allow network)")
    cache = Path(hf_cache) if hf_cache else hf_cache_dir()
    folder_name = local_folder_name(model_id, spec)
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

        (enable_progress_bars if progress else disable_progress_bars)()
        folder = snapshot_download(
            model_id,
            revision=spec.revision if spec else None,
            cache_dir=str(cache),
            allow_patterns=PULL_PATTERNS + (PICKLE_PATTERNS if convert else []),
            etag_timeout=10,
        )
    except ImportError as exc:
        raise ModelError("fetching models needs the models extra: pip install 'briefing[models]'") from exc
    except Exception as exc:  # network, auth, missing repo: all reported in one line
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ModelError(
            f"could not fetch {model_id} from the Hugging Face Hub ({type(exc).__name__}: {first[:200]}); "
            f"check the network, or copy the model folder to {models_dir() / folder_name}/"
        ) from exc
    path = Path(folder)
    if not any(p.suffix == ".safetensors" for p in path.iterdir()):
        if not convert:
            raise UnsafeWeights(
                f"{model_id} on the Hub has no safetensors weights and briefing does not unpickle pytorch_model.bin; "
                f"`{pull_command(name)} --convert` fetches it and converts the tensors alone, running no pickled code"
            )
        target = convert_checkpoint(path, (Path(models_root) if models_root else models_dir()) / folder_name)
        return Location(name, model_id, target, "models", folder_revision(target), spec)
    check_weights(path)
    return Location(name, model_id, path, "hf-cache", path.name, spec)
