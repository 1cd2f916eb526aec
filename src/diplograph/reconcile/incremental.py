"""Incremental reconcile runs: the signature of the inputs, and per-record caches.

- :func:`signature` digests everything :func:`~diplograph.reconcile.reconcile` reads
  (the columns it uses of articles, claims, events, sentences, DATE timexes, resolved
  mentions and actors), the predicate vocabulary files, the windows, the similarity and
  the reconciler version. When it equals the signature stored with the last run
  (``reconcile_state``), nothing changed and reconcile returns the stored stats.
- :class:`CachedEmbedder` embeds the texts merge compares through the store's
  ``reconcile_embeddings`` table (for similarities with ``cacheable = True``, such as
  MiniLM): records embedded before, with the same text, are read back instead.
- :func:`article_checks` does the same for the per-article text checks of the
  credibility score (repeated list items, near-miss names, citation counts), keyed by
  article id and a signature of the known names they were checked against.

Everything else (merging, corroboration, contradictions, scores, relations) depends on
the whole corpus (source keys, time windows, outlet means) and is recomputed: it is fast
next to embedding (docs/reconcile.md, "Incremental runs").
"""

from __future__ import annotations

import hashlib
import json
import sys
from array import array
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from .. import __version__
from ..store import Store
from .credibility import Finding, NameChecker, citation_counts, text_findings
from .inputs import ArticleInfo, Record, all_actor_names, known_org_names
from .similarity import Similarity

_CLAIMS = (
    "id article_id sentence start_char end_char text kind speaker subject predicate object "
    "polarity modality date date_reason"
)
_EVENTS = (
    "id article_id sentence trigger_start trigger_end trigger type sources targets negated "
    "modality date date_approx cameo quad_class goldstein date_reason location"
)
# the columns reconcile reads, per table, and which rows
_INPUTS: dict[str, tuple[str, str]] = {
    "articles": ("id title outlet published origin url word_count reprint_of reprinted_from", ""),
    "claims": (_CLAIMS, ""),
    "events": (_EVENTS, ""),
    "sentences": ("article_id idx start_char end_char", ""),
    "timexes": ("article_id sentence start_char end_char text value", "WHERE type = 'DATE'"),
    "mentions": ("article_id start_char end_char actor_id", "WHERE resolved"),
    "actors": ("id name kind aliases", ""),
}


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:32]


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def input_digests(store: Store) -> dict[str, str]:
    """``{table: "rows:sum of row hashes"}`` over the columns reconcile reads (one query)."""
    parts = [
        f"(SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash({', '.join(cols.split())})), 0)"
        f"::VARCHAR "
        f"FROM {table} {where}) AS {table}"
        for table, (cols, where) in _INPUTS.items()
    ]
    return {k: str(v) for k, v in store.query("SELECT " + ", ".join(parts))[0].items()}


def _vocabulary_text(paths: Sequence[str | Path]) -> list[str]:
    texts = [resources.files("diplograph").joinpath("data", "predicates.toml").read_text("utf-8")]
    for p in paths:
        try:
            texts.append(Path(p).read_text("utf-8"))
        except OSError as exc:  # load_vocabulary reports it; the signature only differs
            texts.append(f"unreadable: {exc}")
    return texts


def signature(
    store: Store,
    similarity: Similarity,
    *,
    reconciler: str,
    windows: Mapping[str, int],
    vocabulary: Sequence[str | Path] = (),
) -> str:
    """A digest of every input of a reconcile run (see the module doc)."""
    return _digest({
        "reconciler": reconciler, "version": __version__, "windows": dict(windows),
        "similarity": [type(similarity).__qualname__, similarity.method,
                       sorted(similarity.thresholds.items())],
        "vocabulary": [hashlib.sha256(t.encode()).hexdigest() for t in _vocabulary_text(vocabulary)],
        "inputs": input_digests(store),
    })  # fmt: skip


def stored_state(store: Store) -> dict[str, str]:
    """The ``reconcile_state`` rows of the last run (``stats``, ``method``, ``signature``)."""
    return {r["key"]: r["value"] for r in store.query("SELECT key, value FROM reconcile_state")}


def _to_bytes(values: array[float]) -> bytes:
    """float32 values as little-endian bytes (the cache's ``vector`` column)."""
    if sys.byteorder == "big":
        values = array("f", values)
        values.byteswap()
    return values.tobytes()


def _from_bytes(blob: bytes) -> array[float]:
    values = array("f")
    values.frombytes(blob)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _as_list(values: array[float]) -> list[float]:
    return values.tolist()


class CachedEmbedder:
    """``merge``'s ``embed``: embeds records' texts, through the store's cache when the
    similarity is ``cacheable``. Counts texts embedded now (``embedded``) and read from
    the cache (``reused``); a record asked for again in the same run (merge, then the
    contradiction check) comes from memory and counts once."""

    def __init__(self, store: Store, similarity: Similarity) -> None:
        self.store = store
        self.similarity = similarity
        self.cacheable = bool(getattr(similarity, "cacheable", False))
        self.embedded = 0
        self.reused = 0
        self._seen: dict[tuple[str, str], Any] = {}  # (record id, text hash) -> vector

    def __call__(self, records: list[Record]) -> list[Any]:
        keys = [(r.id, text_hash(r.text)) for r in records]
        todo = [(r, k) for r, k in zip(records, keys) if k not in self._seen]
        if todo:
            recs = [r for r, _ in todo]
            for (_, key), vector in zip(todo, self._embed(recs, [k[1] for _, k in todo])):
                self._seen[key] = vector
        return [self._seen[k] for k in keys]

    def _embed(self, records: list[Record], hashes: list[str]) -> list[Any]:
        sim = self.similarity
        if not self.cacheable:
            self.embedded += len(records)
            return sim.embed([r.text for r in records])
        restore = getattr(sim, "restore", None) or _as_list
        cached = self.store.cached_embeddings(sim.method, [r.id for r in records])
        out: list[Any] = [None] * len(records)
        missing: list[int] = []
        for i, (rec, digest) in enumerate(zip(records, hashes)):
            hit = cached.get(rec.id)
            if hit is not None and hit[0] == digest:
                out[i] = restore(_from_bytes(hit[1]))
            else:
                missing.append(i)
        vectors = sim.embed([records[i].text for i in missing]) if missing else []
        rows = []
        for i, vector in zip(missing, vectors):
            values = array("f", vector)  # float32, as the cache keeps it
            out[i] = restore(values)
            rows.append((records[i].id, hashes[i], _to_bytes(values)))
        self.store.save_embeddings(sim.method, rows)
        self.embedded += len(missing)
        self.reused += len(records) - len(missing)
        return out


Checks = tuple[list[Finding], tuple[int, int, int]]  # findings, citation counts


def article_checks(store: Store, arts: Mapping[str, ArticleInfo]) -> tuple[dict[str, Checks], str, int]:
    """``({article_id: (findings, citation counts)}, names signature, articles checked now)``.

    Checks of articles checked before against the same known names are read from
    ``reconcile_article_checks``; the others are computed and cached.
    """
    orgs = known_org_names(store)
    known = all_actor_names(store)
    names = _digest([orgs, sorted(known)])
    cached = store.cached_article_checks(names)
    out: dict[str, Checks] = {}
    todo: list[ArticleInfo] = []
    for aid, art in arts.items():
        row = cached.get(aid)
        if row is None:
            todo.append(art)
            continue
        findings = [Finding(**f) for f in json.loads(row["findings"])]
        out[aid] = (findings, (row["parenthetical"], row["according_to"], row["links"]))
    if todo:
        checker = NameChecker(orgs, known)
        rows = []
        for art in todo:
            findings = text_findings(art.text, checker)
            counts = citation_counts(art.text)
            out[art.id] = (findings, counts)
            rows.append((art.id, json.dumps([f.as_dict() for f in findings]), *counts))
        store.save_article_checks(names, rows)
    return out, names, len(todo)


__all__ = [
    "CachedEmbedder",
    "article_checks",
    "input_digests",
    "signature",
    "stored_state",
    "text_hash",
]
