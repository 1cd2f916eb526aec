"""Serve from private snapshots of the store, so a writer is never blocked by readers.

DuckDB lets one process hold a file read-write *or* any number of processes hold it
read-only, never both. A web server that kept the user's store open would make every
``diplograph ingest`` fail, and one that opened it per request would starve writers
under load. So the server never reads the user's file directly:

1. :meth:`Snapshots.refresh` notices that the store changed (its and its WAL's size and
   mtime), takes a *shared* lock by opening it read-only for a moment (this fails at
   once while a writer holds it; we simply try again later), copies the file (and WAL)
   into a private folder and lets go.
2. The copy is opened read-write (it is ours), migrated, and given the derived serving
   tables and the full-text index of :mod:`.derived`; then it is reopened
   **read-only**, given its extensions (``attach``: DuckDB's ``fts``) and swapped in.
3. Requests borrow the current snapshot through :meth:`Snapshots.reader`, which hands
   out a cursor-backed :class:`~diplograph.store.Store`; a retired snapshot is closed
   and deleted when its last reader returns it.

A background thread polls every ``interval`` seconds. A writer therefore only ever
collides with the server during the copy itself (milliseconds to a second), and the
writer side retries (``Store.open(..., retries=N)``).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..store import Store

log = logging.getLogger(__name__)

Signature = tuple[tuple[int, int], tuple[int, int]]


class StoreUnavailable(StoreError):
    """No snapshot can be served yet (the store is missing, locked or unmigrated)."""

    code = "E430"


def signature(path: Path) -> Signature:
    """(mtime_ns, size) of the store file and of its write-ahead log (0s when absent)."""

    def stat(p: Path) -> tuple[int, int]:
        try:
            st = p.stat()
        except FileNotFoundError:
            return (0, 0)
        return (st.st_mtime_ns, st.st_size)

    return stat(path), stat(Path(str(path) + ".wal"))


#: Byte budget of a snapshot's cache of whole responses (:class:`Snapshot`).
RESPONSE_CACHE_BYTES = 256 * 1024 * 1024


class LRU:
    """A small thread-safe least-recently-used cache.

    At most ``size`` entries (0 disables it) and, when ``max_bytes`` is given, at most
    that many bytes of ``bytes`` values (a value larger than the budget is not kept).
    """

    MISSING = object()

    def __init__(self, size: int, max_bytes: int | None = None) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._weights: dict[Hashable, int] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
            return self.MISSING

    def put(self, key: Hashable, value: Any, weight: int = 0) -> None:
        if self.size <= 0 or (self.max_bytes is not None and weight > self.max_bytes):
            return
        with self._lock:
            if key in self._data:
                self.bytes -= self._weights.pop(key, 0)
            self._data[key] = value
            self._data.move_to_end(key)
            if weight:
                self._weights[key] = weight
                self.bytes += weight
            while len(self._data) > self.size or (
                self.max_bytes is not None and self.bytes > self.max_bytes
            ):
                old, _ = self._data.popitem(last=False)
                self.bytes -= self._weights.pop(old, 0)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._weights.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._data)


class Snapshot:
    """One immutable, read-only copy of the store plus its result cache.

    Since a snapshot never changes, any query result computed from it stays valid for
    its whole life: the cache is dropped with the snapshot.
    """

    def __init__(self, generation: int, store: Store, path: Path, sig: Signature,
                 cache_size: int = 0) -> None:  # fmt: skip
        self.generation = generation
        self.store = store
        self.path = path
        self.signature = sig
        self.created = time.time()
        self.cache = LRU(cache_size)
        #: Whole responses (status 200, headers, body) by request path and query string.
        self.responses = LRU(cache_size, max_bytes=RESPONSE_CACHE_BYTES)
        self._users = 0
        self._retired = False
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            self._users += 1

    def release(self) -> None:
        with self._lock:
            self._users -= 1
            done = self._retired and self._users == 0
        if done:
            self._dispose()

    def retire(self) -> None:
        with self._lock:
            self._retired = True
            done = self._users == 0
        if done:
            self._dispose()

    def _dispose(self) -> None:
        try:
            self.store.close()
        finally:
            for p in (self.path, Path(str(self.path) + ".wal")):
                p.unlink(missing_ok=True)


class Snapshots:
    """Owns the snapshots of one store: builds, swaps, lends and retires them."""

    def __init__(
        self,
        source: str | Path,
        *,
        prepare: Callable[[Store], None],
        attach: Callable[[Store], None] | None = None,
        workdir: str | Path | None = None,
        interval: float = 2.0,
        cache_size: int = 0,
    ) -> None:
        self.source = Path(source).resolve()
        self.cache_size = cache_size
        self.prepare = prepare
        #: Run on each read-only snapshot before it serves (e.g. load an extension).
        self.attach = attach
        self.interval = interval
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="diplograph-web-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self._own_workdir:  # removed even if close() is never called
            weakref.finalize(self, shutil.rmtree, str(self.workdir), True)
        #: Held while anything in this process opens the source (snapshot copy, ingest).
        self.source_lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._swap_lock = threading.Lock()
        self._current: Snapshot | None = None
        self._generation = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    # ------------------------------------------------------------------- building
    def refresh(self, *, force: bool = False) -> bool:
        """Take a new snapshot if the store changed; True when one was swapped in.

        Never raises for a busy or missing store: it records ``last_error`` and the
        old snapshot (if any) keeps serving.
        """
        with self._build_lock:
            sig = signature(self.source)
            current = self._current
            if current is not None and current.signature == sig and not force:
                return False
            try:
                snap = self._build(sig)
            except StoreError as exc:
                self.last_error = str(exc)
                log.info("snapshot of %s not taken: %s", self.source, exc)
                return False
            with self._swap_lock:
                old, self._current = self._current, snap
            self.last_error = None
            if old is not None:
                old.retire()
            log.info("serving snapshot %d of %s", snap.generation, self.source)
            return True

    def _build(self, sig: Signature) -> Snapshot:
        if not self.source.exists():
            raise StoreUnavailable(f"no store at {self.source}", code="E431")
        self._generation += 1
        target = self.workdir / f"snapshot-{self._generation}.duckdb"
        with self.source_lock:
            # a shared lock (StoreError while a writer holds the file); upgrade=False: the
            # server never writes the user's store, not even to migrate it
            probe = Store.open(self.source, read_only=True, upgrade=False)
            try:
                sig = signature(self.source)  # stable now: no writer can hold the file
                shutil.copyfile(self.source, target)
                wal = Path(str(self.source) + ".wal")
                if wal.exists():
                    shutil.copyfile(wal, str(target) + ".wal")
            finally:
                probe.close()
        try:
            with Store.open(target) as rw:  # our private copy: migrate + derived tables
                self.prepare(rw)
                rw.query("CHECKPOINT")
            store = Store.open(target, read_only=True)
            try:
                store.query("SET enable_progress_bar = false")
                if self.attach is not None:
                    self.attach(store)
            except BaseException:
                store.close()
                raise
        except BaseException:
            for p in (target, Path(str(target) + ".wal")):
                p.unlink(missing_ok=True)
            raise
        return Snapshot(self._generation, store, target, sig, self.cache_size)

    # -------------------------------------------------------------------- serving
    def peek(self) -> Snapshot | None:
        """The snapshot being served, or None; never builds one (safe in the event loop)."""
        return self._current

    def current(self) -> Snapshot:
        """The snapshot being served; the first call builds it (raises if it cannot)."""
        if self._current is None:
            self.refresh()
        snap = self._current
        if snap is None:
            raise StoreUnavailable(
                f"the store cannot be read yet ({self.last_error or 'busy'}); retry shortly",
                code="E432",
            )
        return snap

    @contextmanager
    def reader(self) -> Iterator[tuple[Snapshot, Store]]:
        """Borrow the current snapshot and a private cursor on it for one request."""
        if self._current is None:
            self.current()
        with self._swap_lock:
            snap = self._current
            if snap is None:
                raise StoreUnavailable("the store is closing", code="E433")
            snap.acquire()
        cursor = Store(snap.store.con.cursor(), str(snap.path), read_only=True)
        try:
            yield snap, cursor
        finally:
            cursor.close()
            snap.release()

    # ------------------------------------------------------------ background poll
    def start(self) -> None:
        """Poll the store every ``interval`` seconds in a daemon thread."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._poll, name="diplograph-snapshots", daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
            except Exception:
                log.exception("snapshot refresh failed")

    def close(self) -> None:
        """Stop polling, close the current snapshot and remove our files."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        with self._swap_lock:
            old, self._current = self._current, None
        if old is not None:
            old.retire()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def status(self) -> dict[str, Any]:
        snap = self._current
        return {
            "generation": snap.generation if snap else None,
            "snapshot_age_s": round(time.time() - snap.created, 1) if snap else None,
            "source_changed": bool(snap and snap.signature != signature(self.source)),
            "last_error": self.last_error,
            "cache": {"entries": len(snap.cache), "hits": snap.cache.hits,
                      "misses": snap.cache.misses} if snap else None,
            "responses": {"entries": len(snap.responses), "bytes": snap.responses.bytes,
                          "hits": snap.responses.hits,
                          "misses": snap.responses.misses} if snap else None,
        }

