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
from dataclasses import dataclass, field, replace
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
    index = dedup.ReprintIndex(settings)
    for article_id, published, sig in store.signatures():
        index.add(article_id, sig, published)
    return index


def ingest_into(
    store: Store,
    sources: Iterable[str],
    settings: Settings,
    *,
    progress: Progress = _noop,
    on_error: Callable[[IngestError], None] | None = None,
) -> IngestStats:
    """Ingest paths/URLs into ``store``; bad inputs are recorded and skipped."""
    stats = IngestStats()
    index = _reprint_index(store, settings)
    for chunk in batched(ingest(sources, settings), settings.batch_size):
        articles: list[Article] = []
        signatures: dict[str, list[int]] = {}
        errors: list[IngestError] = []
        for item in chunk:
            if isinstance(item, IngestError):
                errors.append(item)
                if on_error:
                    on_error(item)
                continue
            stats.seen += 1
            if item.id in signatures or store.has_article(item.id):
                articles.append(item)  # records the extra origin only
                continue
            sig = dedup.signature(item.text, settings)
            match = index.find(sig)
            if match is not None:
                item = replace(item, reprint_of=match[0], similarity=round(match[1], 3))
            index.add(item.id, sig, item.published)
            signatures[item.id] = sig
            articles.append(item)
        new = store.add_articles(articles, signatures)
        stats.new += len(new)
        stats.known += len(articles) - len(new)
        stats.reprints += sum(1 for a in articles if a.id in new and a.reprint_of)
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
) -> ExtractStats:
    """Run extract/ over every article not yet extracted by the current extractor."""
    from . import extract as extract_stage
    from .resolve import load_gazetteer

    gazetteer = load_gazetteer(settings.actors)
    store.upsert_actors(gazetteer.actors())
    nlp = extract_stage.build_nlp(settings)
    version = extract_stage.extractor_version()
    pending = store.pending_articles(version, limit=limit)
    stats = ExtractStats()
    annotations = extract_stage.extract(
        pending,
        nlp,
        gazetteer,
        batch_size=settings.batch_size,
        n_process=settings.processes,
    )
    for chunk in batched(annotations, settings.batch_size):
        store.save_annotations(chunk)
        unresolved = {
            m.actor_id: m.text for ann in chunk for m in ann.mentions if not m.resolved
        }
        if unresolved:
            store.upsert_actors(gazetteer.unresolved(name) for name in unresolved.values())
        for ann in chunk:
            stats.add(ann)
        progress("extract", len(chunk))
    return stats


@dataclass
class RunStats:
    ingest: IngestStats
    extract: ExtractStats
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "ingest": self.ingest.as_dict(),
            "extract": self.extract.as_dict(),
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
    """Ingest then extract: what `diplograph run` and `make demo` do."""
    started = time.time()
    ingest_stats = ingest_into(store, sources, settings, progress=progress, on_error=on_error)
    extract_stats = extract_pending(store, settings, progress=progress)
    stats = RunStats(ingest_stats, extract_stats, time.time() - started)
    store.record_run(uuid.uuid4().hex[:12], "run", started, stats.as_dict())
    return stats
