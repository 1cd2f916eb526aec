"""Routes: each page under ``/`` and its JSON twin under ``/api`` share one loader.

A loader takes the request's snapshot :class:`~diplograph.store.Store` and returns plain
data; the API returns it as JSON and the page renders it (adding chart geometry).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from ..store import Store
from . import graph, hooks, search
from . import queries_web as qw
from .app import ApiJSON, WebState
from .highlight import segments, spans_from_detail

DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
Since = Annotated[str | None, Query(pattern=DATE, max_length=10,
                                    description="Inclusive ISO date prefix: 2024, 2024-05 or 2024-05-03.")]  # fmt: skip
Until = Annotated[str | None, Query(pattern=DATE, max_length=10,
                                    description="Inclusive ISO date prefix.")]  # fmt: skip
Limit = Annotated[int, Query(ge=1, le=200, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="Rows to skip.")]
ActorF = Annotated[str | None, Query(max_length=128, description="Actor id, e.g. AZE or jens-stoltenberg.")]
TypeF = Annotated[str | None, Query(max_length=64, description="PLOVER event type, e.g. CONSULT.")]
WhereF = Annotated[str | None, Query(max_length=3, description="Country of the event (ISO3), e.g. IRQ.")]
ActorId = Annotated[str, Path(min_length=1, max_length=128, description="Actor id.")]
ArticleId = Annotated[str, Path(min_length=1, max_length=64, description="Article id (16 hex).")]

_ERROR = {
    "description": "Error envelope",
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["ok", "error"],
        "properties": {
            "ok": {"type": "boolean", "enum": [False]},
            "error": {"type": "object", "required": ["status", "code", "message"], "properties": {
                "status": {"type": "integer"}, "code": {"type": "string"},
                "message": {"type": "string"}}},
        },
    }}},
}  # fmt: skip
ERRORS: dict[int | str, dict[str, Any]] = {404: _ERROR, 503: _ERROR}

api = APIRouter(prefix="/api", responses=ERRORS, default_response_class=ApiJSON)
pages = APIRouter(include_in_schema=False)


def _state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def load(request: Request, fn: Callable[[Store], Any], cache: Any = None) -> Any:
    """Run ``fn`` on a cursor of the current snapshot.

    ``cache`` is a key for the snapshot's result cache; by default it is the request's
    path (without the ``/api`` prefix, so a page and its JSON twin share it) and query.
    ``cache=False`` skips the cache.
    """
    if cache is None:
        path = request.url.path.removeprefix("/api")
        cache = (fn.__qualname__ if fn.__name__ != "<lambda>" else "", path,
                 tuple(sorted(request.query_params.multi_items())))  # fmt: skip
    with _state(request).snapshots.reader() as (snap, store):
        if cache is not False:
            hit = snap.cache.get(cache)
            if hit is not snap.cache.MISSING:
                return hit
        data = fn(store)
        if cache is not False:
            snap.cache.put(cache, data)
        return data


def _none(value: str | None) -> str | None:
    return value or None


def _where(value: str | None) -> str | None:
    return value.strip().upper() or None if value else None


def _found(data: Any, what: str) -> Any:
    if data is None:
        raise HTTPException(404, f"no such {what}")
    return data


def pager(request: Request, total: int, limit: int, offset: int) -> dict[str, Any]:
    """Previous/next links keeping the other query parameters."""
    params = {k: v for k, v in request.query_params.items() if k != "offset" and v}

    def link(off: int) -> str:
        return f"{request.url.path}?{urlencode({**params, 'offset': off})}"

    return {
        "total": total, "first": offset + 1 if total else 0, "last": min(offset + limit, total),
        "prev": link(max(offset - limit, 0)) if offset > 0 else None,
        "next": link(offset + limit) if offset + limit < total else None,
    }  # fmt: skip


def page(request: Request, template: str, title: str, **context: Any) -> Response:
    """Render ``template`` with the page's common context.

    Callable context values (chart geometry) are computed here. The rendered bytes are
    kept per snapshot, path and query by :class:`~.app.CachedResponses`.
    """
    state = _state(request)
    path = request.url.path
    api_href = "/api/overview" if path == "/" else "/api" + path
    if request.url.query:
        api_href += "?" + request.url.query
    query = {k: v for k, v in request.query_params.items() if v}
    values = {k: v() if callable(v) else v for k, v in context.items()}
    return state.render(template, title=title, path=path, query=query, api_href=api_href,
                        **values)  # fmt: skip


# ---------------------------------------------------------------------- loaders


def _overview(request: Request) -> dict[str, Any]:
    return load(request, qw.overview, cache="overview")  # type: ignore[no-any-return]


def _hook(request: Request, name: str, *args: Any) -> hooks.Hook:
    return load(request, lambda s: hooks.call(name, s, *args), cache=("hook", name, args))  # type: ignore[no-any-return]


def _event_types(request: Request) -> list[str]:
    rows = load(request, lambda s: s.query(
        "SELECT DISTINCT type FROM web_article_types ORDER BY type"), cache="types")  # fmt: skip
    return [r["type"] for r in rows]


# ------------------------------------------------------------------- overview


@api.get("/overview", summary="Counts, outlets, date range and most active actor pairs")
def api_overview(request: Request) -> Response:
    return ApiJSON(_overview(request))


@pages.get("/")
def page_overview(request: Request) -> Response:
    return page(request, "overview.html", "Overview", data=_overview(request))


@api.get("/health", summary="Liveness and snapshot status")
def api_health(request: Request) -> Response:
    return ApiJSON({"ok": True, **_state(request).snapshots.status()})


# ------------------------------------------------------------------- articles


@api.get("/articles", summary="Articles, newest first, with filters")
def api_articles(request: Request, outlet: Annotated[str | None, Query(max_length=200)] = None,
                 actor: ActorF = None, since: Since = None, until: Until = None,
                 limit: Limit = 50, offset: Offset = 0) -> Response:  # fmt: skip
    return ApiJSON(load(request, lambda s: qw.articles(
        s, outlet=_none(outlet), actor=_none(actor), since=_none(since), until=_none(until),
        limit=limit, offset=offset)))  # fmt: skip


@pages.get("/articles")
def page_articles(request: Request, outlet: Annotated[str | None, Query(max_length=200)] = None,
                  actor: ActorF = None, since: Since = None, until: Until = None,
                  limit: Limit = 50, offset: Offset = 0) -> Response:  # fmt: skip
    data = load(request, lambda s: qw.articles(
        s, outlet=_none(outlet), actor=_none(actor), since=_none(since), until=_none(until),
        limit=limit, offset=offset))  # fmt: skip
    return page(request, "articles.html", "Articles", data=data,
                pager=pager(request, data["total"], limit, offset))  # fmt: skip


@api.get("/articles/{article_id}", summary="One article with its annotations")
def api_article(request: Request, article_id: ArticleId) -> Response:
    return ApiJSON(_found(load(request, lambda s: qw.article(s, article_id)), "article"))


@pages.get("/articles/{article_id}")
def page_article(request: Request, article_id: ArticleId) -> Response:
    data = _found(load(request, lambda s: qw.article(s, article_id)), "article")
    return page(request, "article.html", data.get("title") or article_id, a=data,
                segments=lambda: segments(data["text"], spans_from_detail(data)))


# --------------------------------------------------------------------- actors


@api.get("/actors", summary="Actors, most active first")
def api_actors(request: Request, q: Annotated[str | None, Query(max_length=100)] = None,
               kind: Annotated[str | None, Query(max_length=32)] = None,
               limit: Limit = 100, offset: Offset = 0) -> Response:  # fmt: skip
    return ApiJSON(load(request, lambda s: qw.actors(s, kind=_none(kind), q=_none(q),
                                                     limit=limit, offset=offset)))  # fmt: skip


@pages.get("/actors")
def page_actors(request: Request, q: Annotated[str | None, Query(max_length=100)] = None,
                kind: Annotated[str | None, Query(max_length=32)] = None,
                limit: Limit = 100, offset: Offset = 0) -> Response:  # fmt: skip
    data = load(request, lambda s: qw.actors(s, kind=_none(kind), q=_none(q), limit=limit,
                                             offset=offset))  # fmt: skip
    return page(request, "actors.html", "Actors", data=data,
                pager=pager(request, data["total"], limit, offset))  # fmt: skip


def _actor(request: Request, actor_id: str, since: str | None, until: str | None) -> dict[str, Any]:
    return _found(load(request, lambda s: qw.actor(s, actor_id, since=_none(since),  # type: ignore[no-any-return]
                                                   until=_none(until))), "actor")  # fmt: skip


@api.get("/actors/{actor_id:path}",
         summary="An actor: roles, relations over time, events timeline, claims by and about")
def api_actor(request: Request, actor_id: ActorId, since: Since = None,
              until: Until = None) -> Response:  # fmt: skip
    return ApiJSON(_actor(request, actor_id, since, until))


@pages.get("/actors/{actor_id:path}")
def page_actor(request: Request, actor_id: ActorId, since: Since = None,
               until: Until = None) -> Response:  # fmt: skip
    data = _actor(request, actor_id, since, until)
    return page(request, "actor.html", data["actor"]["name"], d=data,
                chart=lambda: graph.bar_chart(data["timeline"]),
                roles_chart=lambda: graph.role_bars(data["roles"], data["actor"]["id"]),
                years=lambda: graph.year_matrix(data["relations_by_year"], data["names"]))  # fmt: skip


# ------------------------------------------------------------------- relation


def _relation(request: Request, a: str, b: str, since: str | None,
              until: str | None) -> dict[str, Any]:  # fmt: skip
    data = _found(load(request, lambda s: qw.relation(s, a, b, since=_none(since),
                                                      until=_none(until))), "actor pair")  # fmt: skip
    state = _hook(request, "relation", a, b)
    conflicts = _hook(request, "contradictions")
    data["reconciled"] = state.as_dict()
    data["contradictions"] = {
        "status": conflicts.status, "message": conflicts.message,
        "data": [r for r in conflicts.data
                 if {a, b} <= {str(v) for v in r.values() if isinstance(v, (str, int))}],
    }  # fmt: skip
    return data  # type: ignore[no-any-return]


@api.get("/relations/{a}/{b}",
         summary="Relation A-B: state over time, supporting and contradicting evidence")
def api_relation(request: Request, a: ActorId, b: ActorId, since: Since = None,
                 until: Until = None) -> Response:  # fmt: skip
    return ApiJSON(_relation(request, a, b, since, until))


@pages.get("/relations/{a}/{b}")
def page_relation(request: Request, a: ActorId, b: ActorId, since: Since = None,
                  until: Until = None) -> Response:  # fmt: skip
    data = _relation(request, a, b, since, until)
    stacked = [{"month": r["month"], "quad_class": q, "events": r[k]}
               for r in data["series"] for q, k in ((1, "cooperation"), (4, "conflict"))]  # fmt: skip
    chart = graph.bar_chart(stacked)
    return page(request, "relation.html", f"{data['names'][a]} – {data['names'][b]}", d=data,
                chart=chart, line=graph.goldstein_line(data["series"], chart))  # fmt: skip


# ------------------------------------------------------------ events & claims


@api.get("/events", summary="Coded events, newest first")
def api_events(request: Request, actor: ActorF = None, type: TypeF = None,
               location: WhereF = None, since: Since = None, until: Until = None,
               limit: Limit = 50, offset: Offset = 0) -> Response:  # fmt: skip
    return ApiJSON(load(request, lambda s: qw.events(
        s, actor=_none(actor), type=_none(type), location=_where(location), since=_none(since),
        until=_none(until), limit=limit, offset=offset)))  # fmt: skip


@pages.get("/events")
def page_events(request: Request, actor: ActorF = None, type: TypeF = None,
                location: WhereF = None, since: Since = None, until: Until = None,
                limit: Limit = 50, offset: Offset = 0) -> Response:  # fmt: skip
    data = load(request, lambda s: qw.events(
        s, actor=_none(actor), type=_none(type), location=_where(location), since=_none(since),
        until=_none(until), limit=limit, offset=offset))  # fmt: skip
    return page(request, "events.html", "Events", data=data, types=_event_types(request),
                pager=pager(request, data["total"], limit, offset))  # fmt: skip


@api.get("/claims", summary="Claims (quotes and assertions), newest first")
def api_claims(request: Request, speaker: ActorF = None,
               kind: Annotated[str | None, Query(max_length=32)] = None, since: Since = None,
               until: Until = None, limit: Limit = 50, offset: Offset = 0) -> Response:  # fmt: skip
    return ApiJSON(load(request, lambda s: qw.claims(
        s, speaker=_none(speaker), kind=_none(kind), since=_none(since), until=_none(until),
        limit=limit, offset=offset)))  # fmt: skip


@pages.get("/claims")
def page_claims(request: Request, speaker: ActorF = None,
                kind: Annotated[str | None, Query(max_length=32)] = None, since: Since = None,
                until: Until = None, limit: Limit = 50, offset: Offset = 0) -> Response:  # fmt: skip
    data = load(request, lambda s: qw.claims(
        s, speaker=_none(speaker), kind=_none(kind), since=_none(since), until=_none(until),
        limit=limit, offset=offset))  # fmt: skip
    return page(request, "claims.html", "Claims", data=data,
                pager=pager(request, data["total"], limit, offset))  # fmt: skip


# ---------------------------------------------------- contradictions & sources


@api.get("/contradictions", summary="Contradicting claims (from the reconcile stage)")
def api_contradictions(request: Request) -> Response:
    return ApiJSON(_hook(request, "contradictions").as_dict())


@pages.get("/contradictions")
def page_contradictions(request: Request) -> Response:
    result = _hook(request, "contradictions")
    ids = sorted({str(side.get(k)) for c in result.data if isinstance(c, dict)
                  for side in (c.get("a"), c.get("b"), c) if isinstance(side, dict)
                  for k in ("subject", "object", "speaker") if side.get(k)})  # fmt: skip
    names = load(request, lambda s: qw.names(s, ids), cache=("names", tuple(ids))) if ids else {}
    return page(request, "contradictions.html", "Contradictions", hook=result, names=names,
                columns=hooks.columns(result.data))  # fmt: skip


def _sources(request: Request) -> dict[str, Any]:
    scores = _hook(request, "source_scores")
    outlets = load(request, qw.outlet_stats, cache="outlets")
    return {"scores": scores.as_dict(), "outlets": outlets}


@api.get("/sources", summary="Source scorecards (reconcile) and per-outlet statistics")
def api_sources(request: Request) -> Response:
    return ApiJSON(_sources(request))


@pages.get("/sources")
def page_sources(request: Request) -> Response:
    data = _sources(request)
    return page(request, "sources.html", "Sources", data=data,
                columns=hooks.columns(data["scores"]["data"]))  # fmt: skip


# --------------------------------------------------------------------- search


def _search(request: Request, q: str | None, actor: str | None, type: str | None,
            since: str | None, until: str | None, limit: int, offset: int) -> dict[str, Any]:  # fmt: skip
    return load(request, lambda s: search.search(  # type: ignore[no-any-return]
        s, q or "", actor=_none(actor), type=_none(type), since=_none(since),
        until=_none(until), limit=limit, offset=offset))  # fmt: skip


Q = Annotated[str | None, Query(max_length=200, description='Words (all must match); "quoted phrase".')]


@api.get("/search", summary="Full-text search over articles, with actor, type and date filters")
def api_search(request: Request, q: Q = None, actor: ActorF = None, type: TypeF = None,
               since: Since = None, until: Until = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Offset = 0) -> Response:  # fmt: skip
    return ApiJSON(_search(request, q, actor, type, since, until, limit, offset))


@pages.get("/search")
def page_search(request: Request, q: Q = None, actor: ActorF = None, type: TypeF = None,
                since: Since = None, until: Until = None,
                limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Offset = 0) -> Response:  # fmt: skip
    data = _search(request, q, actor, type, since, until, limit, offset)
    return page(request, "search.html", "Search", data=data, types=_event_types(request),
                pager=pager(request, data["total"], limit, offset))  # fmt: skip


# ------------------------------------------------------------ network & timeline


NodeLimit = Annotated[int, Query(ge=2, le=60, description="Most actors drawn.")]


def _network(request: Request, actor: str | None, since: str | None, until: str | None,
             limit: int) -> dict[str, Any]:  # fmt: skip
    key = ("network", actor, since, until, limit)
    return load(request, lambda s: graph.network(  # type: ignore[no-any-return]
        s, actor=_none(actor), since=_none(since), until=_none(until), limit=limit), cache=key)


@api.get("/network", summary="Actor network: nodes, weighted edges and a layout")
def api_network(request: Request, actor: ActorF = None, since: Since = None, until: Until = None,
                limit: NodeLimit = 30) -> Response:  # fmt: skip
    return ApiJSON(_network(request, actor, since, until, limit))


@pages.get("/network")
def page_network(request: Request, actor: ActorF = None, since: Since = None, until: Until = None,
                 limit: NodeLimit = 30) -> Response:  # fmt: skip
    return page(request, "network.html", "Network", net=_network(request, actor, since, until, limit))


def _timeline(request: Request, actor: str | None, type: str | None, since: str | None,
              until: str | None) -> dict[str, Any]:  # fmt: skip
    key = ("timeline", actor, type, since, until)
    return load(request, lambda s: graph.timeline(  # type: ignore[no-any-return]
        s, actor=_none(actor), type=_none(type), since=_none(since), until=_none(until)), cache=key)


@api.get("/timeline", summary="Events per month and quad class")
def api_timeline(request: Request, actor: ActorF = None, type: TypeF = None,
                 since: Since = None, until: Until = None) -> Response:  # fmt: skip
    return ApiJSON(_timeline(request, actor, type, since, until))


@pages.get("/timeline")
def page_timeline(request: Request, actor: ActorF = None, type: TypeF = None,
                  since: Since = None, until: Until = None) -> Response:  # fmt: skip
    data = _timeline(request, actor, type, since, until)
    return page(request, "timeline.html", "Timeline", data=data,
                chart=lambda: graph.bar_chart(data["months"]), types=_event_types(request))  # fmt: skip
