"""The errors of finding, fetching and loading a model: each message is one line for the user.

    ModelError        a model could not be used (base class; the CLI prints it and exits 1)
    ModelNotFound     not present locally: names the model, where it was looked for, how to fetch it
    UnsafeWeights     only pickled weights (pytorch_model.bin), which briefing does not unpickle

This module imports nothing, so every model module (locate, hub, loading, convert) and every
caller can import it without pulling in the others.
"""

from __future__ import annotations


class ModelError(RuntimeError):
    """A model could not be used; the message is one line meant for the user."""


class ModelNotFound(ModelError):
    def __init__(self, name: str, searched: list[str], fetch: str | None):
        self.name = name
        self.searched = searched
        self.fetch = fetch
        where = "; ".join(searched) if searched else "nowhere"
        hint = f"; fetch it with `{fetch}`" if fetch else ""
        super().__init__(f"model {name} not found (looked in {where}){hint}")


class UnsafeWeights(ModelError):
    """The folder has pickled weights (pytorch_model.bin) and no safetensors."""
