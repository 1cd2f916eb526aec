"""The web UI and JSON API: a small FastAPI app over snapshots of a diplograph store.

Every HTML page has a JSON twin under ``/api``; the OpenAPI spec is served at
``/api/openapi.json``. Pages are rendered on the server from autoescaped Jinja
templates, charts are server-side SVG, and no script from content can run: every
response carries a strict Content-Security-Policy. The app is read-only unless built
with ``allow_ingest=True`` (then ``POST /api/ingest`` needs the token).

Entry points::

    create_app(db_path, *, allow_ingest=False, token=None, settings=None,
               snapshot_dir=None, refresh_interval=2.0, allowed_hosts=None,
               max_upload_bytes=None, cache_size=4096) -> FastAPI
    serve(db_path, *, host="127.0.0.1", port=8000, allow_ingest=False, token=None,
          settings=None, refresh_interval=2.0, snapshot_dir=None, cache_size=4096,
          log_level="info") -> None

See docs/web.md for the pages, the API, the security model and how data refreshes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from ipaddress import ip_address
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..errors import ConfigError
from ..settings import Settings, load_settings
from . import derived
from .highlight import path_part, safe_url
from .snapshot import Snapshots, StoreUnavailable

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


class ApiJSON(JSONResponse):
    """JSON that also encodes dates, decimals and DuckDB values (fast, no pydantic pass)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, default=_json_default, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")  # fmt: skip


def error_body(status: int, code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"ok": False, "error": {"status": status, "code": code, "message": message}, **extra}


@dataclass
class WebConfig:
    db_path: Path
    settings: Settings
    allow_ingest: bool
    token: str | None
    max_upload_bytes: int


class WebState:
    """What every request needs: snapshots, the template environment, the config."""

    def __init__(self, config: WebConfig, snapshots: Snapshots) -> None:
        self.config = config
        self.snapshots = snapshots
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=True,  # every template, whatever its extension
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["urlq"] = path_part
        self.env.filters["safe_url"] = safe_url
        self.env.filters["num"] = lambda v: f"{v:,}" if isinstance(v, int) else ("" if v is None else v)
        self.env.globals["allow_ingest"] = config.allow_ingest

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)


def wants_json(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class SecurityMiddleware:
    """Adds the security headers to every response and turns any escaped exception
    into a generic 500 (JSON under /api, HTML elsewhere) that leaks no trace."""

    def __init__(self, app: Any, state: WebState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in {h for h, _ in SECURITY_HEADERS}]  # fmt: skip
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error on %s", scope.get("path"))
            if started:
                raise
            response = error_response(self.state, scope.get("path", ""), 500, "internal",
                                      "internal error; see the server log")  # fmt: skip
            await response(scope, receive, send_with_headers)


class CachedResponses:
    """Serve a repeated GET from the current snapshot's cache of whole responses.

    A page or API answer is a pure function of (snapshot, path, query string), so a 200
    response is kept in ``Snapshot.responses`` and replayed, in the event loop, without
    a worker thread, routing or rendering: cached pages cost tens of microseconds and no
    longer queue behind uncached ones. Kept only when the snapshot did not change while
    the request ran; never for ``NO_CACHE`` paths (live status, uploads) or static files.
    Sits inside :class:`SecurityMiddleware`, which adds the security headers either way.
    """

    NO_CACHE = ("/api/health", "/api/ingest", "/ingest", "/static/")

    def __init__(self, app: Any, state: WebState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        snap = self.state.snapshots.peek() if scope["type"] == "http" else None
        if (snap is None or scope.get("method") != "GET"
                or any(path == p or path.startswith(p) for p in self.NO_CACHE)):  # fmt: skip
            await self.app(scope, receive, send)
            return
        key = (path, scope.get("query_string", b""))
        hit = snap.responses.get(key)
        if hit is not snap.responses.MISSING:
            headers, body = hit
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: Message = {}
        chunks: list[bytes] = []
        whole = True

        async def keep(message: Message) -> None:
            nonlocal whole
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))
                whole = whole and not message.get("more_body", False) and len(chunks) == 1
            await send(message)

        await self.app(scope, receive, keep)
        if (start.get("status") == 200 and whole and chunks
                and self.state.snapshots.peek() is snap):  # fmt: skip
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"set-cookie"]
            snap.responses.put(key, (headers, chunks[0]), weight=len(chunks[0]))


def error_response(state: WebState, path: str, status: int, code: str, message: str,
                   headers: dict[str, str] | None = None, **extra: Any) -> Response:  # fmt: skip
    if wants_json(path):
        return ApiJSON(error_body(status, code, message, **extra), status_code=status,
                       headers=headers)  # fmt: skip
    response = state.render("error.html", status=status, status_code=status, code=code,
                            message=message, title=f"Error {status}", path=path)  # fmt: skip
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type",
          422: "invalid", 501: "not_implemented", 503: "unavailable"}  # fmt: skip


def _install_error_handlers(app: FastAPI, state: WebState) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(state, request.url.path, exc.status_code, code, message,
                              dict(exc.headers or {}))  # fmt: skip

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
                   "type": str(e.get("type", ""))} for e in exc.errors()]  # fmt: skip
        if wants_json(request.url.path):
            return ApiJSON(error_body(422, "invalid", "invalid request", detail=detail),
                           status_code=422)  # fmt: skip
        message = "; ".join(f"{'.'.join(map(str, d['loc'][1:]))}: {d['msg']}" for d in detail)
        return error_response(state, request.url.path, 400, "invalid", message)

    @app.exception_handler(StoreUnavailable)
    async def unavailable(request: Request, exc: StoreUnavailable) -> Response:
        return error_response(state, request.url.path, 503, "unavailable",
                              "the store is not readable yet; retry shortly",
                              {"Retry-After": "2"})  # fmt: skip


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def create_app(
    db_path: str | Path,
    *,
    allow_ingest: bool = False,
    token: str | None = None,
    settings: Settings | None = None,
    snapshot_dir: str | Path | None = None,
    refresh_interval: float = 2.0,
    allowed_hosts: list[str] | None = None,
    max_upload_bytes: int | None = None,
    cache_size: int = 4096,
) -> FastAPI:
    """Build the app for the store at ``db_path`` (opened only read-only, via snapshots).

    ``allow_ingest`` adds ``POST /api/ingest`` and ``/ingest``, which require ``token``
    (a ConfigError if missing or shorter than 16 characters). ``allowed_hosts`` enables
    Host-header checking (``serve`` sets it for loopback binds, against DNS rebinding).
    ``max_upload_bytes`` defaults to ``settings.max_bytes``. ``cache_size`` bounds the
    per-snapshot cache of query results (0 turns it off).
    """
    settings = settings or load_settings()
    if allow_ingest and (not token or len(token) < 16):
        raise ConfigError("--allow-ingest needs a token of at least 16 characters "
                          "(--token or DIPLOGRAPH_TOKEN)", code="E510")  # fmt: skip
    config = WebConfig(
        db_path=Path(db_path).resolve(),
        settings=settings,
        allow_ingest=allow_ingest,
        token=token if allow_ingest else None,
        max_upload_bytes=int(max_upload_bytes or settings.max_bytes),
    )
    snapshots = Snapshots(config.db_path, prepare=derived.prepare, attach=derived.attach,
                          workdir=snapshot_dir,
                          interval=refresh_interval, cache_size=cache_size)  # fmt: skip
    state = WebState(config, snapshots)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        snapshots.refresh()
        snapshots.start()
        try:
            yield
        finally:
            snapshots.close()

    app = FastAPI(
        title="diplograph",
        summary="Actors, events and claims from news about international relations.",
        version=_version(),
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        default_response_class=ApiJSON,
    )
    app.state.web = state
    _install_error_handlers(app, state)
    from . import routes

    app.include_router(routes.api)
    app.include_router(routes.pages)
    if allow_ingest:
        from . import upload

        app.include_router(upload.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # the last added is the outermost: security headers, then the Host check, then the cache
    app.add_middleware(CachedResponses, state=state)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityMiddleware, state=state)
    return app


def _version() -> str:
    from .. import __version__

    return __version__


def serve(
    db_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_ingest: bool = False,
    token: str | None = None,
    settings: Settings | None = None,
    refresh_interval: float = 2.0,
    snapshot_dir: str | Path | None = None,
    cache_size: int = 4096,
    log_level: str = "info",
) -> None:
    """Run the app with uvicorn until interrupted (what ``diplograph serve`` calls)."""
    import uvicorn

    hosts = ["127.0.0.1", "localhost", "[::1]", "::1", host] if _loopback(host) else None
    if hosts is None:
        log.warning("serving on %s: reachable from other machines", host)
    app = create_app(db_path, allow_ingest=allow_ingest, token=token, settings=settings,
                     refresh_interval=refresh_interval, snapshot_dir=snapshot_dir,
                     cache_size=cache_size, allowed_hosts=hosts)  # fmt: skip
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False,
                proxy_headers=False, access_log=False)  # fmt: skip
