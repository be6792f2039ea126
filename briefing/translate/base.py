"""The translator interface."""

from __future__ import annotations

from abc import ABC, abstractmethod

from briefing.model import Translation


class Translator(ABC):
    """Translates plain sentences between English ("en") and Korean ("ko")."""

    name: str = ""

    @abstractmethod
    def translate(self, texts: list[str], source: str, target: str) -> list[Translation]:
        """One Translation per input text, in order. Never invents text it did not translate."""

    def describe(self) -> str:
        return self.name
