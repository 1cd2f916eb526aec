"""Compose the stages and persist their output: the one entry point for every front end.

The CLI, the web UI and the executors call these functions; they hold no logic of
their own. Persistence is batched and transactional (see :mod:`diplograph.store`):
ingest commits a batch of articles at a time, extract commits each batch of
annotations together with the articles' ``extracted`` markers, so a killed run resumes
where it stopped without duplicates.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from . import dedup
from .ingest import ingest
from .model import Annotations, Article, IngestError
from .settings import Settings
from .store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[str, int], None]  # (stage, items done since last call)


def _noop(stage: str, n: int) -> None:
    return None


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, max(1, size))):
        yield chunk


@dataclass
class IngestStats:
    seen: int = 0
    new: int = 0
    known: int = 0
    reprints: int = 0
    errors: list[IngestError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "new": self.new,
            "known": self.known,
            "reprints": self.reprints,
            "errors": len(self.errors),
        }


@dataclass
class ExtractStats:
    articles: int = 0
    sentences: int = 0
    mentions: int = 0
    timexes: int = 0
    events: int = 0
    claims: int = 0
    unresolved: int = 0

    def add(self, ann: Annotations) -> None:
        self.articles += 1
        self.sentences += len(ann.sentences)
        self.mentions += len(ann.mentions)
        self.timexes += len(ann.timexes)
        self.events += len(ann.events)
        self.claims += len(ann.claims)
        self.unresolved += sum(1 for m in ann.mentions if not m.resolved)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _reprint_index(store: Store, settings: Settings) -> dedup.ReprintIndex:
    return dedup.ReprintIndex.from_signatures(store.signatures(), settings)


def ingest_into(
    store: Store,
    sources: Iterable[str],
    settings: Settings,
    *,
    progress: Progress = _noop,
    on_error: Callable[[IngestError], None] | None = None,
) -> IngestStats:
    """Ingest paths/URLs into ``store``; bad inputs are recorded and skipped.

    Near-duplicates are marked with ``reprint_of`` pointing at the earlier-published
    article, also when the original arrives after its reprint (then the stored reprint
    is re-linked).
    """
    stats = IngestStats()
    index = _reprint_index(store, settings)
    for chunk in batched(ingest(sources, settings), settings.batch_size):
        errors = [item for item in chunk if isinstance(item, IngestError)]
        fresh: list[Article] = []
        known: list[Article] = []
        for item in chunk:
            if isinstance(item, IngestError):
                if on_error:
                    on_error(item)
                continue
            stats.seen += 1
            (known if item.id in index or store.has_article(item.id) else fresh).append(item)
        marked = list(dedup.mark_reprints(fresh, index, settings))
        signatures = {a.id: sig for a in marked if (sig := index.signature_of(a.id)) is not None}
        new = store.add_articles(marked + known, signatures)
        if index.relinks:
            store.relink_reprints([(r.reprint, r.original, r.similarity) for r in index.relinks])
            stats.reprints += len(index.relinks)
            index.relinks.clear()
        stats.new += len(new)
        stats.known += len(marked) + len(known) - len(new)
        stats.reprints += sum(1 for a in marked if a.id in new and a.reprint_of)
        store.add_errors(errors)
        stats.errors.extend(errors)
        progress("ingest", len(chunk))
    return stats


def extract_pending(
    store: Store,
    settings: Settings,
    *,
    progress: Progress = _noop,
    limit: int | None = None,
    on_batch: Callable[[Any], None] | None = None,
) -> ExtractStats:
    """Run extract/ over every article not yet extracted by the current extractor.

    ``settings.executor`` picks the executor (see :mod:`diplograph.executors`):
    ``local`` saves each chunk with ``store.save_annotations`` (one transaction per
    chunk); ``ray`` writes Parquet parts and merges them with ``store.merge_parquet``,
    first merging parts left by an interrupted run. Either way a killed run resumes
    with only the missing articles. ``on_batch`` receives each
    :class:`~diplograph.executors.BatchResult` (worker id, peak RSS, timings).
    """
    from . import executors

    executor = executors.check_executor(settings.executor)
    pool = None
    if executor == "local" and settings.processes > 1 and store.has_unextracted():
        # start the pool's workers now: they import extract/ and load their models
        # while this process does the same and reads the pending articles
        pool = executors.start_pool(settings)
    try:
        return _extract_pending(store, settings, progress, limit, on_batch, pool)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _extract_pending(
    store: Store,
    settings: Settings,
    progress: Progress,
    limit: int | None,
    on_batch: Callable[[Any], None] | None,
    pool: ProcessPoolExecutor | None,
) -> ExtractStats:
    from . import executors
    from . import extract as extract_stage
    from .resolve import load_gazetteer

    executor = settings.executor
    gazetteer = load_gazetteer(settings.actors)
    store.upsert_actors(gazetteer.actors())
    version = extract_stage.extractor_version(gazetteer=gazetteer, settings=settings)
    stats = ExtractStats()
    parts = executors.parts_dir_for(store.path) if executor == "ray" else None
    if parts is not None and parts.is_dir():
        resumed = store.merge_parquet(parts, remove_merged=True)
        if resumed:
            log.info("merged %d articles left as Parquet parts by an earlier run", resumed)
    pending = store.pending_articles(version, limit=limit)
    if not pending:
        _settle_unresolved(store, gazetteer, set())
        return stats
    if parts is None:
        batches = executors.extract_local(pending, settings, pool=pool)
    else:
        batches = executors.extract_ray(
            pending, settings, parts, address=settings.ray_address or None
        )
    unmerged = 0
    touched: set[str] = set()
    for batch in batches:
        if parts is None:
            store.save_annotations(batch.annotations)
        else:
            unmerged += batch.articles
            if unmerged >= 8 * settings.batch_size:
                store.merge_parquet(parts, remove_merged=True)
                unmerged = 0
        if batch.unresolved:
            store.upsert_actors(gazetteer.unresolved(name, actor_id)
                                for actor_id, name in batch.unresolved.items())
            touched.update(batch.unresolved)
        for name, value in batch.counts.items():
            setattr(stats, name, getattr(stats, name) + value)
        if on_batch is not None:
            on_batch(batch)
        log.info("extract: %d articles done (%d in this run)", batch.articles, stats.articles)
        progress("extract", batch.articles)
    if parts is not None:
        store.merge_parquet(parts, remove_merged=True)
    _settle_unresolved(store, gazetteer, touched)
    return stats


def _settle_unresolved(store: Store, gazetteer: Any, touched: set[str]) -> None:
    """Give every unresolved actor a name that depends on the store alone.

    Unresolved actors are upserted per chunk as they appear (so the order chunks
    finish in decides their names) and a killed run may stop between a chunk's save
    and that upsert. This pass (re)writes the actors ``touched`` in this run and any
    that are missing, named by the smallest surface text of their mentions, so every
    executor and every resumed run ends with the same actors table.
    """
    rows = store.query(
        "SELECT actor_id, list(DISTINCT text ORDER BY text) AS texts FROM mentions m "
        "WHERE NOT resolved AND (list_contains(?, actor_id) OR NOT EXISTS "
        "(SELECT 1 FROM actors a WHERE a.id = m.actor_id)) GROUP BY actor_id ORDER BY actor_id",
        [sorted(touched)],
    )
    actors = []
    for row in rows:
        if row["actor_id"].startswith("?"):
            # named by the surface text its id was made from ("Hillary Clinton" for
            # ?hillary-clinton, not the later "Clinton"), else the first in order
            texts = row["texts"]
            name = next((t for t in texts if gazetteer.unresolved(t).id == row["actor_id"]), texts[0])
            actors.append(gazetteer.unresolved(name, row["actor_id"]))
    store.upsert_actors(actors)


@dataclass
class RunStats:
    ingest: IngestStats
    extract: ExtractStats
    reconcile: dict[str, Any]
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "ingest": self.ingest.as_dict(),
            "extract": self.extract.as_dict(),
            "reconcile": self.reconcile,
            "seconds": round(self.seconds, 2),
        }


def run(
    store: Store,
    sources: Iterable[str],
    settings: Settings,
    *,
    progress: Progress = _noop,
    on_error: Callable[[IngestError], None] | None = None,
) -> RunStats:
    """Ingest, extract, then reconcile across articles: what `diplograph run` does."""
    started = time.time()
    ingest_stats = ingest_into(store, sources, settings, progress=progress, on_error=on_error)
    extract_stats = extract_pending(store, settings, progress=progress)
    from .reconcile import reconcile

    reconcile_stats = reconcile(store)
    progress("reconcile", 1)
    stats = RunStats(ingest_stats, extract_stats, reconcile_stats, time.time() - started)
    store.record_run(uuid.uuid4().hex[:12], "run", started, stats.as_dict())
    return stats
