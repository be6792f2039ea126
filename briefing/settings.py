"""Every place briefing reads from or writes to, in one module.

- Packaged resources: the prompt templates (prompts/) and the model registry and glossary
  (models/registry.toml, models/glossary.tsv). In the repository they sit at the top level; a
  wheel carries them as `briefing/_resources/` (copied at build time, see setup.py). They are
  read with `importlib.resources`, so the package runs wherever it is installed.
- User overrides, in the settings folder (`BRIEFING_CONFIG_DIR`, default the platform's config
  folder, e.g. ~/.config/briefing):
  - `prompts/NAME`: an own template or prompt, used instead of the packaged one of that name
    (`BRIEFING_PROMPTS_DIR` names another folder, searched first);
  - `registry.toml`: own models and jobs, added to the packaged registry (same key: the user's
    wins; `BRIEFING_REGISTRY` names another file);
  - `glossary.tsv`: own English<TAB>Korean terms, added to the packaged glossary
    (`BRIEFING_GLOSSARY` names another file).
- `BRIEFING_PARSER=rules`: sentences read by the built-in rules, not spaCy (`briefing.language`).
- The output cache (`BRIEFING_CACHE_DIR`, default the platform's cache folder), the Hugging
  Face hub cache (HF_HUB_CACHE, HF_HOME, as huggingface_hub reads them) and the local model folders (`BRIEFING_MODELS_DIR`, default models/ in a repository checkout, else
  the platform's data folder).
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

APP = "briefing"
_CHECKOUT = Path(__file__).resolve().parents[1]  # the repository root, when run from a checkout


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def resource_root() -> Traversable:
    """The folder holding prompts/ and models/: inside the installed package, or the checkout's root."""
    packaged = resources.files(APP) / "_resources"
    if packaged.is_dir():
        return packaged
    if (_CHECKOUT / "prompts").is_dir() and (_CHECKOUT / "models").is_dir():
        return _CHECKOUT
    raise FileNotFoundError(f"briefing's resources (prompts/, models/) are missing from {packaged}; reinstall briefing")


def resource(*parts: str) -> Traversable:
    """A packaged resource, e.g. resource("models", "registry.toml")."""
    return resource_root().joinpath(*parts)


def config_dir() -> Path:
    """The user's settings folder (BRIEFING_CONFIG_DIR overrides)."""
    if path := _env_path("BRIEFING_CONFIG_DIR"):
        return path
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """The model output cache folder (BRIEFING_CACHE_DIR overrides)."""
    if path := _env_path("BRIEFING_CACHE_DIR"):
        return path
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache folder, following the library's environment variables."""
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if path := _env_path(var):
            return path
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "huggingface"
    )
    return Path(home).expanduser() / "hub"


def models_dir() -> Path:
    """Where local model folders live, models/<name>/ (BRIEFING_MODELS_DIR overrides): the
    checkout's models/ when run from the repository, else the platform's data folder."""
    if path := _env_path("BRIEFING_MODELS_DIR"):
        return path
    if isinstance(resource_root(), Path):  # a checkout: models/ beside briefing/
        return _CHECKOUT / "models"
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False)) / "models"


def prompt_dirs() -> list[Path]:
    """Folders of user templates and prompts, searched in order before the packaged ones."""
    dirs = [path] if (path := _env_path("BRIEFING_PROMPTS_DIR")) else []
    return [*dirs, config_dir() / "prompts"]


def prompt_file(name: str) -> Traversable:
    """The template or prompt `name`: the first user folder that has it, else the packaged one."""
    for folder in prompt_dirs():
        if (folder / name).is_file():
            return folder / name
    return resource("prompts", name)


def registry_files() -> list[Traversable]:
    """The registry files, read in order, later entries replacing earlier ones of the same key."""
    return [resource("models", "registry.toml"), *_own("BRIEFING_REGISTRY", "registry.toml")]


def glossary_files() -> list[Traversable]:
    """The glossary files, read in order (the packaged glossary, then the user's)."""
    return [resource("models", "glossary.tsv"), *_own("BRIEFING_GLOSSARY", "glossary.tsv")]


def _own(variable: str, name: str) -> list[Path]:
    """The user's file: the one the variable names (which must then exist), else the settings
    folder's when present."""
    if path := _env_path(variable):
        return [path]
    path = config_dir() / name
    return [path] if path.is_file() else []


def rules_only() -> bool:
    """`BRIEFING_PARSER=rules`: read sentences by the built-in rules even when spaCy's English
    pipeline is installed (to compare the two, or to keep a run free of the parser)."""
    return os.environ.get("BRIEFING_PARSER", "").strip().lower() == "rules"
