"""Executors: run extract/ over chunks of Articles in workers that hold the models.

An executor is an adapter between :func:`diplograph.pipeline.extract_pending` and the
extract stage. Each worker loads the spaCy pipeline and the actor gazetteer once
(:class:`ExtractWorker`) and turns a chunk of :class:`~diplograph.model.Article` into
:class:`~diplograph.model.Annotations`; nothing here knows which annotators extract/
runs, so new stages (dates, events, quotes) need no change here.

* ``local`` (the default): with ``processes == 1`` the worker runs in-process; above
  that a ``spawn`` process pool holds one worker per process. Chunks come back in
  submission order and the caller saves each with ``Store.save_annotations``.
* ``ray`` (the ``[ray]`` extra): Ray Data ``map_batches`` over an actor pool whose
  actors hold a worker. Each actor flattens its chunk into one Arrow table per store
  table; the driver writes them as Parquet parts (``<parts>/<table>/<batch>.parquet``,
  the ``extracted/`` marker last) which ``Store.merge_parquet`` merges idempotently.
  A killed run leaves finished parts on disk; the next run merges them first and only
  extracts what is still missing.

Ray is imported only here, and only when the ``ray`` executor is used.
"""

from __future__ import annotations

import hashlib
import logging
import os
import resource
import sys
import tempfile
import time
import types
import typing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .errors import ConfigError, ExtractionError, MissingExtraError
from .model import Annotations, Article, Claim, Event, Mention, Sentence, TimeExpr
from .settings import Settings

log = logging.getLogger(__name__)

EXECUTORS = ("local", "ray")
# Annotations attribute -> record type; Parquet parts use the record field names.
TABLES: dict[str, type] = {
    "sentences": Sentence,
    "mentions": Mention,
    "timexes": TimeExpr,
    "events": Event,
    "claims": Claim,
}
MARKER = "extracted"
# Ray puts Unix sockets under <temp dir>/session_<timestamp>_<pid>/sockets/ (~70 more
# characters) and AF_UNIX paths stop at 107 bytes: longer temp dirs fall back to /tmp.
RAY_TEMP_DIR = "work/ray"
_MAX_RAY_TEMP_LEN = 36


def peak_rss() -> int:
    """Peak resident set size of this process, in bytes.

    On Linux this is ``VmHWM`` from ``/proc/self/status``: ``ru_maxrss`` of a process
    started by fork + exec (a ``spawn`` pool worker, a Ray actor) also counts its parent's
    peak at the fork, so it reported the driver's size whenever that was larger.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss if sys.platform == "darwin" else rss * 1024)


@dataclass
class BatchResult:
    """One chunk done by a worker: its annotations (local) or counts (both)."""

    articles: int
    counts: dict[str, int]
    worker: int  # process id of the worker
    peak_rss: int  # bytes, that worker's peak so far
    seconds: float  # worker time spent extracting this chunk
    annotations: list[Annotations] = field(default_factory=list)
    unresolved: dict[str, str] = field(default_factory=dict)  # actor_id -> surface text


def count(annotations: Sequence[Annotations]) -> dict[str, int]:
    """Counts per record kind, with the names of ``pipeline.ExtractStats`` fields."""
    out = {"articles": len(annotations), "unresolved": 0}
    for attr in TABLES:
        out[attr] = sum(len(getattr(a, attr)) for a in annotations)
    out["unresolved"] = sum(1 for a in annotations for m in a.mentions if not m.resolved)
    return out


def unresolved_names(annotations: Iterable[Annotations]) -> dict[str, str]:
    """``{actor_id: text}`` of the unresolved mentions (last occurrence wins)."""
    return {m.actor_id: m.text for a in annotations for m in a.mentions if not m.resolved}


class ExtractWorker:
    """Holds the models (loaded once) and extracts chunks of articles."""

    def __init__(self, settings: Settings) -> None:
        from . import extract as extract_stage
        from .resolve import load_gazetteer

        self.settings = settings
        self._extract = extract_stage.extract
        self.gazetteer = load_gazetteer(settings.actors)
        self.nlp = extract_stage.build_nlp(settings)

    def __call__(self, articles: Sequence[Article]) -> BatchResult:
        started = time.perf_counter()
        annotations = list(
            self._extract(
                articles,
                self.nlp,
                self.gazetteer,
                batch_size=self.settings.batch_size,
                n_process=1,
                settings=self.settings,
            )
        )
        return BatchResult(
            articles=len(annotations),
            counts=count(annotations),
            worker=os.getpid(),
            peak_rss=peak_rss(),
            seconds=time.perf_counter() - started,
            annotations=annotations,
            unresolved=unresolved_names(annotations),
        )


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ------------------------------------------------------------------------- local

_WORKER: ExtractWorker | None = None  # one per pool process, set by the initializer
_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
_TORCH_MODULES = ("torch",)


def _init_pool_worker(settings: Settings) -> None:
    global _WORKER
    # One core per worker: BLAS/OpenMP (numpy, torch) default to every core, and N
    # workers x N threads oversubscribe the machine. Set before extract/ is imported;
    # an explicit user setting wins. (Ray sets these for its actors itself.)
    for var in _THREAD_VARS:
        os.environ.setdefault(var, "1")
    if settings.event_encoder == "off" and settings.quote_encoder == "off":
        _block_torch()
    _WORKER = ExtractWorker(settings)


def _block_torch() -> None:
    """Make ``import torch`` fail in this (pool worker) process, unless already imported.

    thinc imports torch whenever it is installed (1.3-2.5 s of a worker's start), but
    with ``event_encoder`` and ``quote_encoder`` "off" nothing in extract/ uses it; thinc, like every
    optional import, treats the ImportError as "not installed". Only pool workers do
    this: the driver may still need torch (the reconcile stage's MiniLM embeddings).
    """
    for name in _TORCH_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def _run_pool_chunk(articles: list[Article]) -> BatchResult:
    if _WORKER is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("pool worker used before its initializer")
    return _WORKER(articles)


def start_pool(settings: Settings, processes: int | None = None) -> ProcessPoolExecutor:
    """Start a ``spawn`` pool of :class:`ExtractWorker` processes now.

    Every worker is started at once (one no-op task each) and begins importing
    extract/ and loading its models while the caller goes on (e.g. reads the pending
    articles); pass the pool to :func:`extract_local`. Shut it down when done.
    """
    processes = max(1, processes if processes is not None else settings.processes)
    pool = ProcessPoolExecutor(
        max_workers=processes,
        mp_context=get_context("spawn"),
        initializer=_init_pool_worker,
        initargs=(settings,),
    )
    for _ in range(processes):  # a spawn pool starts one process per submit
        pool.submit(os.getpid)
    return pool


def extract_local(
    articles: Iterable[Article],
    settings: Settings,
    *,
    processes: int | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> Iterator[BatchResult]:
    """Extract ``articles`` in chunks of ``settings.batch_size``, in input order.

    ``processes`` (default ``settings.processes``) of 1 runs in this process; more
    uses a ``spawn`` process pool with one :class:`ExtractWorker` per process (``pool``,
    from :func:`start_pool`, or a new one; either way shut down at the end) and at most
    two chunks in flight per process, so memory stays flat. With a pool and a sized
    input, the chunks are made equal (at most ``batch_size``, a multiple of
    ``processes`` of them), so that no worker idles while another finishes a larger
    share (300 articles on 2 workers: 10 chunks of 30, not 9 of 32 and one of 12).
    """
    processes = max(1, processes if processes is not None else settings.processes)
    size = max(1, settings.batch_size)
    if processes > 1 and isinstance(articles, Sequence) and len(articles) > 0:
        n_chunks = processes * -(-len(articles) // (processes * size))
        size = -(-len(articles) // n_chunks)
    if processes == 1 and pool is None:
        worker = ExtractWorker(settings)
        for chunk in _chunks(articles, size):
            yield worker(chunk)
        return
    if pool is None:
        pool = start_pool(settings, processes)
    in_flight: deque[Future[BatchResult]] = deque()
    try:
        for chunk in _chunks(articles, size):
            in_flight.append(_submit(pool, chunk))
            if len(in_flight) >= 2 * processes:
                yield _result(in_flight.popleft())
        while in_flight:
            yield _result(in_flight.popleft())
    finally:
        for future in in_flight:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, chunk: list[Article]) -> Future[BatchResult]:
    try:
        return pool.submit(_run_pool_chunk, chunk)
    except BrokenProcessPool as exc:  # a worker died (or its initializer failed) earlier
        raise ExtractionError(f"extract worker failed: {exc!r}", code="E210") from exc


def _result(future: Future[BatchResult]) -> BatchResult:
    try:
        return future.result()
    except Exception as exc:  # a worker died or extract raised: stop the run, keep saves
        if isinstance(exc, ExtractionError):
            raise
        raise ExtractionError(f"extract worker failed: {exc!r}", code="E210") from exc


# ----------------------------------------------------------------------- parquet


def _arrow_type(pa: Any, hint: Any) -> Any:
    """Arrow type for a model field's type hint (str, int, float, bool, tuples)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _arrow_type(pa, args[0])
    if origin is typing.Literal:
        return pa.string()
    if origin is tuple:  # tuple[X, ...] and tuple[int, int] both become list<X>
        return pa.list_(_arrow_type(pa, typing.get_args(hint)[0]))
    simple = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    if hint in simple:
        return simple[hint]
    raise TypeError(f"no Arrow type for {hint!r}")


def arrow_schema(record_type: type) -> Any:
    """The Arrow schema of a model record type (columns = field names)."""
    import pyarrow as pa

    hints = typing.get_type_hints(record_type)
    names = record_type.field_names()  # type: ignore[attr-defined]
    return pa.schema([pa.field(n, _arrow_type(pa, hints[n])) for n in names])


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def to_arrow(annotations: Sequence[Annotations]) -> dict[str, Any]:
    """Flatten annotations into ``{table: pyarrow.Table}``, with the ``extracted`` marker."""
    import pyarrow as pa

    tables: dict[str, Any] = {}
    for attr, record_type in TABLES.items():
        schema = arrow_schema(record_type)
        columns: dict[str, list[Any]] = {name: [] for name in schema.names}
        for ann in annotations:
            for record in getattr(ann, attr):
                for name in schema.names:
                    columns[name].append(_plain(getattr(record, name)))
        tables[attr] = pa.table(columns, schema=schema)
    tables[MARKER] = pa.table(
        {
            "article_id": [a.article_id for a in annotations],
            "extractor": [a.extractor for a in annotations],
        },
        schema=pa.schema([("article_id", pa.string()), ("extractor", pa.string())]),
    )
    return tables


def batch_id(article_ids: Iterable[str]) -> str:
    """A stable name for a chunk: a hash of its sorted article ids."""
    digest = hashlib.sha1("\x1f".join(sorted(article_ids)).encode("utf-8"))
    return digest.hexdigest()[:20]


def write_parts(parts_dir: str | Path, batch: str, tables: dict[str, Any]) -> None:
    """Write one chunk's tables as Parquet parts; the marker goes last, atomically."""
    import pyarrow.parquet as pq

    root = Path(parts_dir)
    for name in [*TABLES, MARKER]:
        table = tables[name]
        if name != MARKER and table.num_rows == 0:
            continue
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{batch}.parquet.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, folder / f"{batch}.parquet")


def parts_dir_for(db_path: str) -> Path:
    """Where the Ray executor keeps Parquet parts for the store at ``db_path``."""
    if db_path == ":memory:":
        return Path(tempfile.mkdtemp(prefix="diplograph-parts-"))
    return Path(db_path).with_name(Path(db_path).name + ".parts")


# --------------------------------------------------------------------------- ray


def _import_ray() -> Any:
    try:
        import pyarrow  # noqa: F401
        import ray
        import ray.data
    except ImportError as exc:
        raise MissingExtraError.for_extra("ray", "ray") from exc
    return ray


def ray_temp_dir(base: str | Path = RAY_TEMP_DIR) -> str:
    """An absolute, short-enough temp dir for a local Ray cluster."""
    path = Path(base).resolve()
    if len(str(path)) > _MAX_RAY_TEMP_LEN:
        short = Path(tempfile.gettempdir()) / f"dgray-{os.getuid()}"
        log.info("ray temp dir %s is too long for Unix sockets; using %s", path, short)
        path = short
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


@contextmanager
def ray_cluster(
    address: str | None = None, *, num_cpus: int = 1, temp_dir: str | Path = RAY_TEMP_DIR
) -> Iterator[Any]:
    """Join the cluster at ``address``, reuse a running one, or start a local one.

    A local cluster gets ``num_cpus`` CPUs and a temp dir under ``temp_dir`` and is
    shut down on exit; a joined or reused one is left running.
    """
    ray = _import_ray()
    if ray.is_initialized():
        yield ray
        return
    common = {"include_dashboard": False, "logging_level": logging.WARNING, "log_to_driver": False}
    if address:
        ray.init(address=address, **common)
    else:
        ray.init(num_cpus=num_cpus, _temp_dir=ray_temp_dir(temp_dir), **common)
    try:
        yield ray
    finally:
        ray.shutdown()


class RayExtractActor:
    """The Ray Data actor: one :class:`ExtractWorker`, Arrow payloads out."""

    def __init__(self, settings: Settings) -> None:
        self.worker = ExtractWorker(settings)

    def __call__(self, batch: Any) -> dict[str, list[Any]]:
        import json

        import pyarrow as pa

        articles = [Article(**row) for row in batch.to_pylist()]
        result = self.worker(articles)
        out: dict[str, list[Any]] = {
            "batch": [batch_id(a.id for a in articles)],
            "counts": [json.dumps(result.counts)],
            "unresolved": [json.dumps(result.unresolved)],
            "worker": [result.worker],
            "peak_rss": [result.peak_rss],
            "seconds": [result.seconds],
        }
        for name, table in to_arrow(result.annotations).items():
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            out[name] = [sink.getvalue().to_pybytes()]
        return out


def extract_ray(
    articles: Sequence[Article],
    settings: Settings,
    parts_dir: str | Path,
    *,
    address: str | None = None,
    processes: int | None = None,
    temp_dir: str | Path = RAY_TEMP_DIR,
) -> Iterator[BatchResult]:
    """Extract with Ray Data and write each finished chunk as Parquet parts.

    Yields one :class:`BatchResult` (counts only) per chunk once its parts, marker
    included, are on disk; merge them with ``Store.merge_parquet(parts_dir)``.
    """
    processes = max(1, processes if processes is not None else settings.processes)
    if not articles:
        return
    ray = _import_ray()
    import json

    import pyarrow as pa

    with ray_cluster(address, num_cpus=processes, temp_dir=temp_dir):
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        rows = [a.to_dict() for a in articles]
        dataset = ray.data.from_items(rows, override_num_blocks=max(1, min(len(rows), processes * 4)))
        output = dataset.map_batches(
            RayExtractActor,
            fn_constructor_kwargs={"settings": settings},
            # small inputs: smaller chunks, so that every actor gets some
            batch_size=max(1, min(settings.batch_size, -(-len(rows) // (2 * processes)))),
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=processes),
            num_cpus=1,
        )
        for block in output.iter_batches(batch_format="pyarrow", batch_size=None):
            for row in block.to_pylist():
                tables = {
                    name: pa.ipc.open_stream(row[name]).read_all() for name in [*TABLES, MARKER]
                }
                write_parts(parts_dir, row["batch"], tables)
                counts = json.loads(row["counts"])
                yield BatchResult(
                    articles=counts["articles"],
                    counts=counts,
                    worker=row["worker"],
                    peak_rss=row["peak_rss"],
                    seconds=row["seconds"],
                    unresolved=json.loads(row["unresolved"]),
                )


def check_executor(name: str) -> str:
    """Validate an executor name (``local`` or ``ray``)."""
    if name not in EXECUTORS:
        raise ConfigError(f"unknown executor {name!r}; use one of {', '.join(EXECUTORS)}", code="E506")
    return name


__all__ = [
    "EXECUTORS",
    "BatchResult",
    "ExtractWorker",
    "RayExtractActor",
    "arrow_schema",
    "batch_id",
    "check_executor",
    "extract_local",
    "extract_ray",
    "parts_dir_for",
    "peak_rss",
    "ray_cluster",
    "ray_temp_dir",
    "start_pool",
    "to_arrow",
    "write_parts",
]
