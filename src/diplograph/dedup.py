"""Near-duplicate (reprint) detection: MinHash over word shingles, with LSH banding.

Identical texts are already one article (same content id). This module finds *near*
duplicates: the same piece reprinted by another outlet with a new intro, a few edits
or a trimmed ending. The pieces:

* :func:`signature` - a MinHash signature (``settings.minhash_perm`` 32-bit ints) of
  the text's word ``settings.shingle_size``-grams. Deterministic across runs and
  machines (blake2b shingle hashes, permutations drawn from a fixed seed), so the store
  can persist signatures as a list of ints and a later run can rebuild the index.
* :class:`ReprintIndex` - signatures bucketed by LSH bands, so a lookup compares only
  candidates that share a band, not every stored article.
* :func:`mark_reprints` - a stream stage: each article that is a near-duplicate
  (estimated Jaccard >= ``settings.reprint_threshold``) of an article already in the
  index gets ``reprint_of``/``similarity`` set, then is added to the index.
* A *condensed* copy (a wire story cut to its first paragraphs, or the whole of a short
  piece inside a longer one) has a low Jaccard. It is a reprint too when at least
  ``settings.reprint_containment`` of the shorter text's shingles lie in the longer
  one, the shorter holds at least 40 % of the longer's shingles and 40 of its own.
  Containment is estimated from the signatures alone: the Jaccard and each set's size
  (:func:`set_size`, from the mean of the minimum hash values), so stored signatures
  serve as they are.

Changing ``SEED``, ``shingle_size`` or ``minhash_perm`` invalidates stored signatures.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from .model import Article, normalize_text
from .settings import Settings

log = logging.getLogger(__name__)

SEED = 20240321  # fixed: signatures must be comparable across runs
_PRIME = np.uint64((1 << 61) - 1)  # Mersenne prime > every 32-bit shingle hash
_MASK = np.uint64(0xFFFFFFFF)
_EMPTY = 0xFFFFFFFF
_BLOCK = 4096  # shingles hashed per numpy block (bounds memory on huge texts)
_TOKEN = re.compile(r"\w+")


def shingles(text: str, size: int) -> set[str]:
    """The set of word ``size``-grams of the normalized text (one shingle if shorter)."""
    tokens = _TOKEN.findall(normalize_text(text))
    if not tokens:
        return set()
    if len(tokens) <= size:
        return {" ".join(tokens)}
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients (a, b) of the hash family h(x) = (a*x + b) mod p, from a fixed seed."""
    rng = np.random.default_rng(SEED)
    a = rng.integers(1, 1 << 32, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint64)
    return a, b


def _hash32(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=4).digest(), "big")


def signature(text: str, settings: Settings) -> list[int]:
    """MinHash signature of ``text``: ``settings.minhash_perm`` ints in [0, 2**32)."""
    num_perm = settings.minhash_perm
    grams = shingles(text, settings.shingle_size)
    if not grams:
        return [_EMPTY] * num_perm
    a, b = _permutations(num_perm)
    hashes = np.fromiter((_hash32(s) for s in sorted(grams)), dtype=np.uint64, count=len(grams))
    result = np.full(num_perm, _EMPTY, dtype=np.uint64)
    for start in range(0, len(hashes), _BLOCK):
        block = hashes[start : start + _BLOCK]
        # a, x < 2**32, so a*x + b < 2**64: no overflow before the modulus.
        permuted = (np.outer(block, a) + b) % _PRIME & _MASK
        np.minimum(result, permuted.min(axis=0), out=result)
    return [int(v) for v in result]


def set_size(sig: Sequence[int] | np.ndarray) -> float:
    """Estimated number of distinct shingles behind a signature: each of the k minima of
    n uniform 32-bit hashes has mean 2**32 / (n + 1), so (k - 1) / sum(min / 2**32) - 1
    estimates n (relative error about 1 / sqrt(k): 9 % at 128 permutations)."""
    m = np.asarray(sig, dtype=np.float64) / float(1 << 32)
    total = float(m.sum())
    return max(0.0, (len(m) - 1) / total - 1) if total > 0 else 0.0


def containment(jaccard: float, size_a: float, size_b: float) -> float:
    """Share of the smaller set inside the larger, from their Jaccard and sizes:
    |A & B| = J (|A| + |B|) / (1 + J)."""
    small = min(size_a, size_b)
    if small <= 0:
        return 0.0
    return min(1.0, jaccard * (size_a + size_b) / ((1 + jaccard) * small))


#: A condensed copy: the shorter text holds at least this share of the longer's shingles,
#: and at least this many of its own (estimated).
_MIN_SIZE_RATIO = 0.4
_MIN_SHINGLES = 40


def similarity(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity: the share of equal signature positions."""
    if len(sig_a) != len(sig_b) or not sig_a:
        raise ValueError("signatures must be non-empty and of equal length")
    return float(np.mean(np.asarray(sig_a) == np.asarray(sig_b)))


def _integral(y: np.ndarray, x: np.ndarray) -> float:
    """Trapezoidal rule (np.trapz/np.trapezoid differ across numpy versions)."""
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2)


@lru_cache(maxsize=32)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) with bands*rows <= num_perm minimizing weighted LSH errors.

    A pair with Jaccard s shares a band with probability 1 - (1 - s**rows)**bands; we
    integrate the error of that S-curve on both sides of ``threshold``. Candidates are
    verified against the full signature, so a false positive only costs one comparison
    while a false negative loses a reprint: misses weigh 0.8, false candidates 0.2.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold}")
    below = np.linspace(0.0, threshold, 200)
    above = np.linspace(threshold, 1.0, 200)
    best: tuple[float, int, int] | None = None
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            false_pos = _integral(1 - (1 - below**rows) ** bands, below)
            false_neg = _integral((1 - above**rows) ** bands, above)
            err = 0.2 * false_pos + 0.8 * false_neg
            if best is None or err < best[0]:
                best = (err, bands, rows)
    assert best is not None
    return best[1], best[2]


@dataclass(frozen=True, slots=True)
class Relink:
    """An article already emitted turned out to reprint a later-seen, earlier-published one."""

    reprint: str  # id of the article to update (its reprint_of becomes ``original``)
    original: str
    similarity: float


class ReprintIndex:
    """MinHash signatures in LSH bands; answers "which stored article is this a reprint of?"."""

    def __init__(self, settings: Settings) -> None:
        self.num_perm = settings.minhash_perm
        self.threshold = settings.reprint_threshold
        self.containment = settings.reprint_containment
        # the lowest Jaccard a condensed copy can have: c r / (1 + r - c r) for a share
        # r of the longer text and containment c
        low = self.containment * _MIN_SIZE_RATIO
        floor = low / (1 + _MIN_SIZE_RATIO - low) if 0 < self.containment <= 1 else 1.0
        self.bands, self.rows = lsh_bands(min(self.threshold, floor), self.num_perm)
        self._tables: list[dict[bytes, list[str]]] = [defaultdict(list) for _ in range(self.bands)]
        self._sigs: dict[str, np.ndarray] = {}
        self._sizes: dict[str, float] = {}
        self._published: dict[str, str | None] = {}
        self._order: dict[str, int] = {}
        self.relinks: list[Relink] = []  # filled by mark_reprints; the caller applies them

    @classmethod
    def from_signatures(
        cls, rows: Iterable[tuple[str, str | None, Sequence[int] | None]], settings: Settings
    ) -> ReprintIndex:
        """Rebuild from stored ``(article_id, published, signature)`` rows, oldest first
        (the shape of ``Store.signatures()``); signatures of another length are skipped."""
        index = cls(settings)
        for article_id, published, sig in rows:
            if sig is None or len(sig) != index.num_perm:
                log.warning("skipping stored signature of %s: wrong length", article_id)
                continue
            index.add(article_id, sig, published)
        return index

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._sigs

    def _band_keys(self, sig: np.ndarray) -> Iterator[tuple[int, bytes]]:
        for band in range(self.bands):
            yield band, sig[band * self.rows : (band + 1) * self.rows].tobytes()

    def _array(self, signature: Sequence[int]) -> np.ndarray:
        if len(signature) != self.num_perm:
            raise ValueError(f"signature has {len(signature)} values, index uses {self.num_perm}")
        return np.asarray(signature, dtype=np.uint64)

    def add(self, article_id: str, signature: Sequence[int], published: str | None = None) -> None:
        """Index one article's signature (a second add of the same id is ignored)."""
        if article_id in self._sigs:
            return
        sig = self._array(signature)
        self._sigs[article_id] = sig
        self._sizes[article_id] = set_size(sig)
        self._published[article_id] = published
        self._order[article_id] = len(self._order)
        for band, key in self._band_keys(sig):
            self._tables[band][key].append(article_id)

    def signature_of(self, article_id: str) -> list[int] | None:
        sig = self._sigs.get(article_id)
        return None if sig is None else [int(v) for v in sig]

    def published_of(self, article_id: str) -> str | None:
        return self._published.get(article_id)

    def candidates(self, signature: Sequence[int]) -> set[str]:
        """Ids sharing at least one LSH band with ``signature`` (the only ones compared)."""
        sig = self._array(signature)
        found: set[str] = set()
        for band, key in self._band_keys(sig):
            found.update(self._tables[band].get(key, ()))
        return found

    def matches(
        self, signature: Sequence[int], exclude: str | None = None
    ) -> list[tuple[str, float]]:
        """Indexed articles with estimated Jaccard >= threshold, or condensed copies
        (module doc; their similarity is the estimated containment), most similar first."""
        sig = self._array(signature)
        candidates = self.candidates(signature)
        if exclude is not None:
            candidates.discard(exclude)
        size = set_size(sig)
        hits = []
        for cid in candidates:
            jac = float(np.mean(self._sigs[cid] == sig))
            if jac >= self.threshold:
                hits.append((cid, jac))
                continue
            other = self._sizes[cid]
            small, large = sorted((size, other))
            if small >= _MIN_SHINGLES and small >= _MIN_SIZE_RATIO * large:
                share = containment(jac, size, other)
                if share >= self.containment:
                    hits.append((cid, share))
        return sorted(hits, key=lambda h: (-h[1], self._order[h[0]]))

    def find(
        self, signature: Sequence[int], exclude: str | None = None
    ) -> tuple[str, float] | None:
        """The original among the matches: earliest published (known dates first), then
        the first added. Returns ``(article_id, similarity)`` or None."""
        hits = self.matches(signature, exclude)
        if not hits:
            return None
        return min(
            hits,
            key=lambda h: (
                self._published[h[0]] is None,
                self._published[h[0]] or "",
                self._order[h[0]],
            ),
        )


def mark_reprints(
    articles: Iterable[Article], index: ReprintIndex, settings: Settings
) -> Iterator[Article]:
    """Set ``reprint_of``/``similarity`` on near-duplicates of indexed articles; index each.

    An article is marked as a reprint of :meth:`ReprintIndex.find`'s original. If the new
    article was published *before* that original, it is the original instead: it is left
    unmarked and a :class:`Relink` is appended to ``index.relinks`` for the caller to
    apply to the stored article. An id already in the index (identical text) passes
    through unchanged.
    """
    for article in articles:
        if article.id in index:
            yield article
            continue
        sig = signature(article.text, settings)
        hit = index.find(sig, exclude=article.id)
        out = article
        if hit is not None:
            original, sim = hit
            original_date = index.published_of(original)
            if article.published and original_date and article.published < original_date:
                index.relinks.append(Relink(reprint=original, original=article.id, similarity=sim))
            else:
                out = replace(article, reprint_of=original, similarity=sim)
        index.add(article.id, sig, article.published)
        yield out


_OUTLET = r"(?:[Tt]he\s+)?(?P<outlet>[A-Z][\w.&'-]*(?:\s+(?:[A-Z][\w.&'-]*|of|de|the))*)"
_REPRINT_STATEMENTS = [
    # "The Malaysian Digest website has published an article ... X reprints the article."
    re.compile(
        _OUTLET + r"\s+(?:website|newspaper|outlet|magazine|portal|agency)?\s*has\s+published\s+"
        r"(?:an?|the)\s+(?:article|piece|analysis|op-ed|story)[^\n]{0,300}?\b(?:re-?prints?|"
        r"republish(?:es|ed)?)\b"
    ),
    re.compile(
        r"\b(?:originally|first)\s+(?:published|appeared)\s+(?:in|on|by)\s+" + _OUTLET
    ),
    re.compile(r"\b(?:re-?printed|republished)\s+(?:with\s+permission\s+)?from\s+" + _OUTLET),
]


def reprint_statement(text: str, *, head_chars: int = 1500, tail_chars: int = 600) -> str | None:
    """The outlet an article *says* it reprints, from a credit line near its start or end.

    ``"The Example Digest website has published an article ... We reprint the article."``
    gives ``"Example Digest"``. Only the head and tail are searched: credit lines live there.
    """
    for part in (text[:head_chars], text[-tail_chars:]):
        for pattern in _REPRINT_STATEMENTS:
            match = pattern.search(part)
            if match:
                outlet = match.group("outlet").strip(" .")
                outlet = re.sub(r"\s+(?:website|newspaper|outlet|magazine|portal)$", "", outlet)
                return outlet or None
    return None


#: "Caliber.Az reprints the article.": the outlet doing the reprinting (up to 4 words).
_REPRINTER = re.compile(
    r"(?:^|[.!?]\s+|\n)(?:[Tt]he\s+)?(?P<outlet>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})"
    r"\s+(?:re-?prints|republishes)\s+(?:the|this|that)\s+(?:article|piece|analysis|op-ed|story)\b"
)
_NOT_OUTLETS = frozenset({"We", "It", "This", "He", "She", "They", "Our", "Our paper"})


def reprinting_outlet(text: str, *, head_chars: int = 1500, tail_chars: int = 600) -> str | None:
    """The outlet that says it reprints this text ("X reprints the article"), or None.

    The counterpart of :func:`reprint_statement`: that one names the original outlet,
    this one the reprinting outlet, which is the article's own when nothing else names it.
    """
    for part in (text[:head_chars], text[-tail_chars:]):
        match = _REPRINTER.search(part)
        if match and match.group("outlet") not in _NOT_OUTLETS:
            return match.group("outlet").strip(" .") or None
    return None


__all__ = [
    "Relink",
    "ReprintIndex",
    "containment",
    "lsh_bands",
    "mark_reprints",
    "reprint_statement",
    "reprinting_outlet",
    "set_size",
    "shingles",
    "signature",
    "similarity",
]
