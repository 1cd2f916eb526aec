"""``POST /api/ingest`` and the ``/ingest`` form: only mounted with ``allow_ingest=True``.

Safety rules, in the order they are applied:

1. The token is required (``Authorization: Bearer``, ``X-Diplograph-Token`` or, for the
   HTML form, a ``token`` field) and compared in constant time (:func:`hmac.compare_digest`).
   A request with a wrong header token is refused before its body is read.
2. The body is read as a stream and refused with 413 as soon as it passes the cap
   (``max_upload_bytes``, default ``settings.max_bytes``), whatever Content-Length says.
3. The client's file name is never used as a path: only its suffix picks the kind
   (``.txt``, ``.html``/``.htm``, ``.jsonl``), and the bytes are written to
   ``<new temporary folder>/upload-<sha256 prefix><suffix>``, removed afterwards.
4. The store is opened read-write through ``Store.open(..., retries=...)`` while the
   snapshot machinery is held off, then a new snapshot is taken so the page shows it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from ..errors import DiplographError, StoreError
from ..store import Store
from .app import ApiJSON, WebState
from .routes import _ERROR

log = logging.getLogger(__name__)

router = APIRouter()

SUFFIXES = {".txt": ".txt", ".text": ".txt", ".html": ".html", ".htm": ".html", ".jsonl": ".jsonl"}
MEDIA_TYPES = {
    "text/plain": ".txt",
    "text/html": ".html",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/jsonlines": ".jsonl",
}
MULTIPART_OVERHEAD = 64 * 1024
WRITE_RETRIES = 50  # x 0.2 s: how long we wait for another writer


def _state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def _token_ok(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _header_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return request.headers.get("x-diplograph-token")


async def _read_capped(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise HTTPException(413, f"upload larger than {cap} bytes")
    size, chunks = 0, []
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise HTTPException(413, f"upload larger than {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _media(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


async def _receive_upload(request: Request) -> tuple[bytes, str, dict[str, str]]:
    """(file bytes, suffix, form fields) after the token, size and type checks."""
    state = _state(request)
    cap = state.config.max_upload_bytes
    media = _media(request.headers.get("content-type", ""))
    header = _header_token(request)
    if header is not None and not _token_ok(state.config.token, header):
        raise HTTPException(401, "invalid token")
    if media != "multipart/form-data":
        if header is None:
            raise HTTPException(401, "a token is required")
        if media not in MEDIA_TYPES:
            raise HTTPException(415, "send text/plain, text/html, application/x-ndjson or a form")
        return await _read_capped(request, cap), MEDIA_TYPES[media], {}
    body = await _read_capped(request, cap + MULTIPART_OVERHEAD)

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=1, max_fields=8)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if header is None and not _token_ok(state.config.token, fields.get("token")):
        raise HTTPException(401, "invalid or missing token")
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(400, "no file in the form (field 'file')")
    data = await upload.read()
    if len(data) > cap:
        raise HTTPException(413, f"upload larger than {cap} bytes")
    suffix = SUFFIXES.get(Path(upload.filename or "").suffix.lower()) or MEDIA_TYPES.get(
        _media(upload.content_type or "")
    )
    if suffix is None:
        raise HTTPException(415, "upload a .txt, .html or .jsonl file")
    return data, suffix, fields


def _ingest(state: WebState, data: bytes, suffix: str, extract: bool) -> dict[str, Any]:
    """Write the bytes to a private temporary file and run the pipeline on it."""
    from .. import pipeline

    settings = state.config.settings
    with tempfile.TemporaryDirectory(prefix="diplograph-upload-") as tmp:
        path = Path(tmp) / f"upload-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"
        path.write_bytes(data)
        with state.snapshots.source_lock, \
                Store.open(state.config.db_path, retries=WRITE_RETRIES) as store:  # fmt: skip
            stats = pipeline.ingest_into(store, [str(path)], settings)
            ids = [r["article_id"] for r in store.query(  # JSONL origins are path:line
                "SELECT DISTINCT article_id FROM article_sources "
                "WHERE origin = ? OR starts_with(origin, ?)", [str(path), f"{path}:"])]  # fmt: skip
            extracted = pipeline.extract_pending(store, settings).as_dict() if extract else None
    state.snapshots.refresh()
    return {
        "ok": True,
        "ingest": stats.as_dict(),
        "errors": [{"code": e.code, "reason": e.reason} for e in stats.errors],
        "articles": ids,
        "extract": extracted,
        "generation": state.snapshots.status()["generation"],
    }


async def _handle(request: Request) -> dict[str, Any]:
    data, suffix, fields = await _receive_upload(request)
    extract = (request.query_params.get("extract") or fields.get("extract") or "") in ("1", "true", "on")
    try:
        return await run_in_threadpool(_ingest, _state(request), data, suffix, extract)
    except StoreError as exc:
        log.warning("ingest upload failed: %s", exc)
        raise HTTPException(503, "the store is busy; retry shortly", {"Retry-After": "5"}) from exc
    except DiplographError as exc:
        log.warning("ingest upload failed: %s", exc)
        raise HTTPException(400, f"could not ingest: [{exc.code}]") from exc


_BODY = {
    "required": True,
    "content": {
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "application/x-ndjson": {"schema": {"type": "string"}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}, "token": {"type": "string"},
            "extract": {"type": "string"}}}},
    },
}  # fmt: skip


@router.post(
    "/api/ingest",
    summary="Ingest an uploaded article file (needs --allow-ingest and the token)",
    responses={k: _ERROR for k in (400, 401, 413, 415, 503)},
    openapi_extra={"requestBody": _BODY},
)
async def api_ingest(request: Request) -> Response:
    return ApiJSON(await _handle(request))


@router.get("/ingest", include_in_schema=False)
def page_ingest_form(request: Request) -> Response:
    return _state(request).render("ingest.html", title="Ingest", path="/ingest", query={},
                                  result=None)  # fmt: skip


@router.post("/ingest", include_in_schema=False)
async def page_ingest(request: Request) -> Response:
    result = await _handle(request)
    return _state(request).render("ingest.html", title="Ingest", path="/ingest", query={},
                                  result=result)  # fmt: skip
