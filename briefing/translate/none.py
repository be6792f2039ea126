"""The explicit "none" translator: used when no translation model is installed.

It returns the source text unchanged and marks it untranslated, so that renderers can say so
plainly. It never produces a partial or word-by-word translation.
"""

from __future__ import annotations

from briefing.model import Translation
from briefing.translate.base import Translator


class NoTranslator(Translator):
    name = "none"

    def translate(self, texts: list[str], source: str, target: str) -> list[Translation]:
        if source == target:
            return [Translation(source=t, text=t, translated=True) for t in texts]
        return [Translation(source=t, text=t, translated=False) for t in texts]

    def describe(self) -> str:
        return "none (no translation model installed; text shown untranslated)"
