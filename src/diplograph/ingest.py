"""Ingest: sources (files, folders, JSONL, URLs) -> RawDocument -> Article | IngestError.

Two plain stages, composed by :func:`ingest`:

* :func:`iter_raw` reads sources into :class:`RawDocument` records. Folders are walked
  recursively in sorted order, hidden files and folders are skipped, ``foo.meta.json``
  or ``foo.json`` next to ``foo.txt``/``foo.html`` is read as the article's metadata
  (sidecar) and never as an article. File sizes are checked (``max_bytes``) before
  reading; a JSONL file may be larger, its *lines* are capped. A JSONL line's origin is
  ``path:lineno``.
* :func:`.clean.clean` (module ``clean.py``) turns one RawDocument into an
  :class:`Article`: main text (trafilatura for HTML, favouring precision),
  navigation/footer boilerplate stripped, metadata recovered, language checked.

Bad input never raises: it becomes an :class:`IngestError` with a code from
``errors.py`` and a one-line reason, and the stream goes on. Programmer errors (a bare
string instead of a list of sources) raise ``TypeError``.

The metadata precedence is documented in ``clean.py``.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .clean import META_FIELDS, clean
from .errors import (
    E_BINARY,
    E_EMPTY,
    E_ENCODING,
    E_JSONL,
    E_NOT_FOUND,
    E_TOO_LARGE,
    E_UNSUPPORTED,
    InputError,
)
from .fetch import Transport, declared_charset, decode_bytes, fetch, is_url, sniff_binary
from .model import Article, IngestError, RawDocument
from .settings import Settings

log = logging.getLogger(__name__)

KINDS = {".txt": "txt", ".html": "html", ".htm": "html", ".xhtml": "html", ".jsonl": "jsonl"}

# ------------------------------------------------------------------------- reading


def iter_raw(
    sources: Iterable[str | os.PathLike[str]],
    settings: Settings,
    transport: Transport | None = None,
) -> Iterator[RawDocument | IngestError]:
    """Read files, folders, JSONL files and http(s) URLs into RawDocuments (or errors)."""
    if isinstance(sources, (str, bytes, os.PathLike)):
        raise TypeError("iter_raw expects an iterable of sources, not a single source")
    for source in sources:
        name = os.fspath(source)
        if not isinstance(name, str):
            raise TypeError(f"source must be a str or path, got {type(source).__name__}")
        if is_url(name):
            yield fetch(name, settings, transport)
        elif "://" in name:
            yield IngestError(name, E_UNSUPPORTED, "only http(s) URLs are supported")
        elif "\x00" in name or not os.path.lexists(name):
            yield IngestError(name, E_NOT_FOUND, "no such file or folder")
        elif os.path.isdir(name):
            for path in _walk(Path(name)):
                yield from _guarded(path, settings, explicit=False)
        else:
            yield from _guarded(Path(name), settings, explicit=True)


def _guarded(path: Path, settings: Settings, explicit: bool) -> Iterator[RawDocument | IngestError]:
    """``_read_file``, turning an unexpected OS error (permissions, races) into E111."""
    try:
        yield from _read_file(path, settings, explicit)
    except OSError as exc:
        yield IngestError(str(path), E_NOT_FOUND, f"cannot read: {exc.strerror or exc}")


def _walk(root: Path) -> Iterator[Path]:
    """Files under ``root``, recursively, sorted, without hidden files or folders."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for fname in sorted(files):
            if not fname.startswith("."):
                yield Path(folder) / fname


def _sidecar_target(path: Path) -> Path | None:
    """The article a ``*.meta.json``/``*.json`` file describes, if it exists."""
    name = path.name
    base = name[: -len(".meta.json")] if name.endswith(".meta.json") else None
    if base is None and name.endswith(".json"):
        base = name[: -len(".json")]
    if base is None:
        return None
    for ext in (".txt", ".html", ".htm", ".xhtml"):
        if (path.parent / (base + ext)).is_file():
            return path.parent / (base + ext)
    return None


def _load_sidecar(path: Path) -> tuple[dict[str, Any], IngestError | None]:
    stem = path.name[: -len(path.suffix)]
    for candidate in (path.with_name(stem + ".meta.json"), path.with_name(stem + ".json")):
        if not candidate.is_file():
            continue
        try:
            data = json.loads(candidate.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            return {}, IngestError(str(candidate), E_JSONL, f"unreadable sidecar: {exc}")
        if not isinstance(data, dict):
            return {}, IngestError(str(candidate), E_JSONL, "sidecar is not a JSON object")
        return {k: str(v) for k, v in data.items() if k in META_FIELDS and v}, None
    return {}, None


def _read_file(
    path: Path, settings: Settings, explicit: bool
) -> Iterator[RawDocument | IngestError]:
    origin = str(path)
    target = _sidecar_target(path)
    if target is not None:
        if explicit:
            yield IngestError(origin, E_UNSUPPORTED, f"metadata sidecar of {target.name}")
        return
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        yield IngestError(origin, E_UNSUPPORTED, f"unsupported file type {path.suffix or '(none)'}")
        return
    if not path.is_file():
        yield IngestError(origin, E_UNSUPPORTED, "not a regular file")
        return
    if kind == "jsonl":
        yield from _read_jsonl(path, settings)
        return
    try:
        size = path.stat().st_size
        if size > settings.max_bytes:
            yield IngestError(origin, E_TOO_LARGE, f"{size} bytes > max_bytes={settings.max_bytes}")
            return
        with path.open("rb") as fh:
            data = fh.read(settings.max_bytes + 1)
    except OSError as exc:
        yield IngestError(origin, E_NOT_FOUND, f"cannot read: {exc.strerror or exc}")
        return
    if len(data) > settings.max_bytes:  # grew while we looked
        yield IngestError(origin, E_TOO_LARGE, f"over max_bytes={settings.max_bytes}")
        return
    result = _decode(origin, data, html=kind == "html")
    if isinstance(result, IngestError):
        yield result
        return
    sidecar, error = _load_sidecar(path)
    if error is not None:
        yield error
    if kind == "html":
        yield RawDocument(origin=origin, kind="html", html=result, sidecar=sidecar)
    else:
        yield RawDocument(origin=origin, kind="txt", text=result, sidecar=sidecar)


def _decode(origin: str, data: bytes, html: bool) -> str | IngestError:
    if not data.strip():
        return IngestError(origin, E_EMPTY, "empty input")
    binary = sniff_binary(data)
    if binary:
        return IngestError(origin, E_BINARY, f"binary content ({binary})")
    try:
        text = decode_bytes(data, declared_charset(data) if html else None)
    except InputError as exc:
        return IngestError(origin, exc.code, str(exc.args[0]))
    if not text.strip():
        return IngestError(origin, E_EMPTY, "only whitespace")
    return text


def _read_jsonl(path: Path, settings: Settings) -> Iterator[RawDocument | IngestError]:
    """One RawDocument per JSONL line; a bad line is an error and the others go on."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield IngestError(str(path), E_NOT_FOUND, f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        lineno = 0
        while True:
            line = fh.readline(settings.max_bytes + 1)
            if not line:
                return
            lineno += 1
            origin = f"{path}:{lineno}"
            if len(line) > settings.max_bytes and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # skip the rest of the line
                    line = fh.readline(1 << 20)
                yield IngestError(origin, E_TOO_LARGE, f"line over max_bytes={settings.max_bytes}")
                continue
            if line.strip():
                yield _jsonl_record(origin, line)


def _jsonl_record(origin: str, line: bytes) -> RawDocument | IngestError:
    try:
        obj = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return IngestError(origin, E_ENCODING, f"line is not UTF-8 (byte {exc.start})")
    except ValueError as exc:
        return IngestError(origin, E_JSONL, f"malformed JSON: {exc}")
    if not isinstance(obj, dict):
        return IngestError(origin, E_JSONL, "line is not a JSON object")
    text, html = obj.get("text"), obj.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        return IngestError(origin, E_JSONL, "no string 'text' or 'html' field")
    if not ((text or "").strip() or (html or "").strip()):
        return IngestError(origin, E_EMPTY, "empty text")
    meta = {k: str(obj[k]) for k in META_FIELDS if obj.get(k) not in (None, "")}
    return RawDocument(
        origin=origin,
        kind="jsonl",
        text=text if isinstance(text, str) and text.strip() else None,
        html=html if isinstance(html, str) else None,
        url=meta.get("url"),
        title=meta.get("title"),
        outlet=meta.get("outlet"),
        author=meta.get("author"),
        published=meta.get("published"),
    )


def ingest(
    sources: Iterable[str | os.PathLike[str]],
    settings: Settings,
    transport: Transport | None = None,
) -> Iterator[Article | IngestError]:
    """``iter_raw`` + ``clean``: every source becomes Articles or IngestErrors, in order."""
    for raw in iter_raw(sources, settings, transport):
        yield raw if isinstance(raw, IngestError) else clean(raw, settings)


__all__ = ["clean", "ingest", "iter_raw"]
