"""Read queries behind the web pages, over a snapshot with the :mod:`.derived` tables.

:mod:`diplograph.queries` answers the general questions (overview counts, article
detail); this module adds what only the pages ask, shaped for speed on large stores:
every filter on an actor or a pair hits a table sorted by that key. Each function takes
a :class:`~diplograph.store.Store` and returns plain JSON-able data. User input reaches
SQL only as bound parameters.
"""

from __future__ import annotations

import json
from typing import Any

from .. import queries
from ..store import Store
from .derived import TOP

EVENT_COLUMNS = (
    "e.id, e.article_id, e.sentence, e.trigger, e.type, e.mode, e.cameo, e.quad_class, "
    "e.goldstein, e.sources, e.targets, e.negated, e.modality, e.speaker, e.date, "
    "e.date_approx, e.location, e.confidence"
)
QUAD_LABELS = {1: "verbal cooperation", 2: "material cooperation",
               3: "verbal conflict", 4: "material conflict"}  # fmt: skip


def _dates(column: str, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    return queries.date_clauses(column, since, until)


def _where(conds: list[str]) -> str:
    return ("WHERE " + " AND ".join(conds)) if conds else ""


def names(store: Store, ids: set[str] | list[str], *, known_only: bool = False) -> dict[str, str]:
    """Display names of actor ids (the id itself when unknown, unless ``known_only``)."""
    ids = [i for i in set(ids) if i]
    if not ids:
        return {}
    rows = store.query("SELECT id, name FROM web_actor_stats WHERE id IN (SELECT unnest(?))", [ids])
    found = {r["id"]: r["name"] for r in rows}
    return found if known_only else {i: found.get(i, i) for i in ids}


def article_heads(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """id -> {title, outlet, published, url} for a handful of articles."""
    if not ids:
        return {}
    rows = store.query(
        "SELECT id, title, outlet, published, url FROM articles WHERE id IN (SELECT unnest(?))",
        [list(set(ids))],
    )
    return {r["id"]: r for r in rows}


def _names(role: str) -> str:
    """SQL: the article's words for each of an event's ``role`` actors (``source_names``)."""
    return (f"list_transform(e.{role}_spans, x -> substr(a.text, x[1] + 1, x[2] - x[1])) "
            f"AS {role}_names")


def events_by_id(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """Full event rows (with their article's head and the words of each actor, which name
    an unresolved one, code ``---``) for a handful of ids, in that order."""
    if not ids:
        return []
    rows = store.query(
        f"SELECT {EVENT_COLUMNS}, {_names('source')}, {_names('target')} FROM events e "
        "LEFT JOIN articles a ON a.id = e.article_id WHERE e.id IN (SELECT unnest(?))", [ids]
    )
    heads = article_heads(store, [r["article_id"] for r in rows])
    order = {eid: i for i, eid in enumerate(ids)}
    for r in rows:
        r["article"] = heads.get(r["article_id"])
    return sorted(rows, key=lambda r: order.get(r["id"], 0))


# ---------------------------------------------------------------------- overview


def overview(store: Store, *, pairs: int = 15, outlets: int = 15) -> dict[str, Any]:
    """Counts, outlets, date range and the most active actor pairs."""
    counts = queries.overview(store)
    top_outlets = store.query(
        "SELECT outlet, count(*) AS articles, min(published) AS first, max(published) AS last "
        "FROM articles GROUP BY outlet ORDER BY articles DESC, outlet NULLS LAST LIMIT ?",
        [outlets],
    )
    top_pairs = store.query("SELECT * FROM web_pair_counts LIMIT ?", [pairs])
    label = names(store, {p["a"] for p in top_pairs} | {p["b"] for p in top_pairs})
    for p in top_pairs:
        p["a_name"], p["b_name"] = label[p["a"]], label[p["b"]]
    return {"counts": counts, "outlets": top_outlets, "pairs": top_pairs,
            "date_range": [counts.get("first_date"), counts.get("last_date")]}  # fmt: skip


# ---------------------------------------------------------------------- articles


def articles(
    store: Store,
    *,
    outlet: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """A page of articles, newest first, with the total that match."""
    where, params = _dates("a.published", since, until)
    if outlet:
        where.append("a.outlet = ?")
        params.append(outlet)
    if actor:
        where.append("a.id IN (SELECT article_id FROM web_actor_articles WHERE actor_id = ?)")
        params.append(actor)
    total = store.scalar(f"SELECT count(*) FROM articles a {_where(where)}", params)
    rows = store.query(
        "SELECT a.id, a.title, a.outlet, a.author, a.published, a.url, a.word_count, "
        f"a.reprint_of FROM articles a {_where(where)} "
        "ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return {"total": int(total or 0), "limit": limit, "offset": offset, "articles": rows}


def article(store: Store, article_id: str) -> dict[str, Any] | None:
    """:func:`diplograph.queries.article_detail` plus display names of its actors."""
    detail = queries.article_detail(store, article_id)
    if detail is None:
        return None
    ids = {m["actor_id"] for m in detail["mentions"]}
    ids |= {c["speaker"] for c in detail["claims"] if c.get("speaker")}
    detail["actor_names"] = names(store, ids)
    per_actor: dict[str, dict[str, Any]] = {}
    for m in detail["mentions"]:
        row = per_actor.setdefault(m["actor_id"], {"id": m["actor_id"], "mentions": 0, "codes": []})
        row["mentions"] += 1
        if m.get("code") and m["code"] not in row["codes"]:
            row["codes"].append(m["code"])
    detail["actors"] = sorted(per_actor.values(), key=lambda r: (-r["mentions"], r["id"]))
    detail.pop("minhash", None)
    return detail


# ------------------------------------------------------------------------ actors


def actors(
    store: Store, *, kind: str | None = None, q: str | None = None, limit: int = 100, offset: int = 0
) -> dict[str, Any]:
    """A page of actors, most active first; ``q`` filters on id or name."""
    where: list[str] = []
    params: list[Any] = []
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if q:
        where.append("(contains(lower(id), lower(?)) OR contains(lower(name), lower(?)))")
        params += [q, q]
    total = store.scalar(f"SELECT count(*) FROM web_actor_stats {_where(where)}", params)
    rows = store.query(
        f"SELECT * FROM web_actor_stats {_where(where)} LIMIT ? OFFSET ?", [*params, limit, offset]
    )
    return {"total": int(total or 0), "limit": limit, "offset": offset, "actors": rows}


def _displayed(rows: list[dict[str, Any]], *extra: str) -> list[dict[str, Any]]:
    """Decode the JSON ``display`` column of ranked serving rows (plus ``extra`` keys)."""
    out = []
    for r in rows:
        item = json.loads(r["display"]) if r.get("display") else {}
        item.update({k: r[k] for k in extra})
        out.append(item)
    return out


def claims_by_id(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """Claim rows with their article's title and outlet, in the order of ``ids``."""
    if not ids:
        return []
    rows = store.query(
        "SELECT c.id, c.article_id, coalesce(c.date, a.published) AS date, c.text, c.kind, "
        "c.speaker, c.speaker_text, c.speaker_role, c.cue, c.subject, c.predicate, c.object, "
        "c.polarity, c.modality, a.title, a.outlet, k.name AS speaker_name "
        "FROM claims c LEFT JOIN articles a ON a.id = c.article_id "
        "LEFT JOIN actors k ON k.id = c.speaker WHERE c.id IN (SELECT unnest(?))",
        [ids],
    )
    order = {cid: i for i, cid in enumerate(ids)}
    return sorted(rows, key=lambda r: order.get(r["id"], 0))


def actor(
    store: Store, actor_id: str, *, since: str | None = None, until: str | None = None,
    top: int = TOP,
) -> dict[str, Any] | None:
    """Everything the actor page shows, or None when the id is unknown.

    Without dates every list comes from the precomputed, ranked serving tables in a few
    round trips; with ``since``/``until`` the lists are computed from per-event rows.
    """
    stats = store.query(
        "SELECT s.*, coalesce(k.aliases, []) AS aliases, coalesce(k.source, 'mentions') AS source "
        "FROM web_actor_stats s LEFT JOIN actors k ON k.id = s.id WHERE s.id = ?",
        [actor_id],
    )
    if not stats:
        return None
    roles = store.query(
        "SELECT r.person, r.org, r.sector, r.title, r.valid_from, r.valid_to, "
        "coalesce(p.name, r.person) AS person_name, coalesce(o.name, r.org) AS org_name "
        "FROM roles r LEFT JOIN web_actor_stats p ON p.id = r.person "
        "LEFT JOIN web_actor_stats o ON o.id = r.org "
        "WHERE r.person = ? OR r.org = ? ORDER BY r.valid_from NULLS FIRST, r.person",
        [actor_id, actor_id],
    )
    out = _actor_dated(store, actor_id, since, until, top) if since or until else \
        _actor_all(store, actor_id, top)  # fmt: skip
    label = {actor_id: stats[0]["name"]}
    label.update({r["person"]: r["person_name"] for r in roles})
    label.update({r["org"]: r["org_name"] for r in roles})
    label.update({c["other"]: c["name"] for c in out["counterparts"]})
    for c in out["claims_by"] + out["claims_about"]:
        if c.get("speaker") and c.get("speaker_name"):
            label.setdefault(c["speaker"], c["speaker_name"])
    return {"actor": stats[0], "roles": roles, **out, "names": label}


def _actor_all(store: Store, actor_id: str, top: int) -> dict[str, Any]:
    counterparts = store.query(
        "SELECT p.b AS other, coalesce(s.name, p.b) AS name, p.events, p.outgoing, p.incoming, "
        "p.cooperation, p.conflict, p.goldstein, p.first, p.last FROM web_pair_stats p "
        "LEFT JOIN web_actor_stats s ON s.id = p.b WHERE p.a = ? AND p.rn <= ? ORDER BY p.rn",
        [actor_id, top],
    )
    others = [c["other"] for c in counterparts[:8]]
    yearly = store.query(
        """SELECT b AS other, left(month, 4) AS year, sum(events)::BIGINT AS events,
                  round(sum(goldstein * events) / sum(events) FILTER (WHERE goldstein IS NOT NULL), 2)
                    AS goldstein
           FROM web_pair_months WHERE a = ? AND b IN (SELECT unnest(?))
           GROUP BY ALL ORDER BY other, year""",
        [actor_id, others],
    )
    timeline = store.query(
        "SELECT month, quad_class, events FROM web_actor_months WHERE actor_id = ? "
        "ORDER BY month, quad_class",
        [actor_id],
    )
    lists: dict[str, list[dict[str, Any]]] = {"event": [], "by": [], "about": [], "article": []}
    for r in store.query(
        """SELECT 'event' AS k, rn, display FROM web_event_actors WHERE actor_id = ? AND rn <= ?
           UNION ALL
           SELECT grp, rn, display FROM web_claim_actors WHERE actor_id = ? AND rn <= ?
           UNION ALL
           SELECT 'article', rn, to_json(struct_pack(article_id := article_id,
                  mentions := mentions, title := title, outlet := outlet,
                  published := published))::VARCHAR
           FROM web_actor_articles WHERE actor_id = ? AND rn <= ?
           ORDER BY k, rn""",
        [actor_id, top, actor_id, top, actor_id, min(top, 20)],
    ):
        lists[r["k"]].append(json.loads(r["display"]) if r["display"] else {})
    return {"counterparts": counterparts, "relations_by_year": yearly, "timeline": timeline,
            "events": lists["event"], "claims_by": lists["by"], "claims_about": lists["about"],
            "articles": lists["article"]}  # fmt: skip


def _actor_dated(store: Store, actor_id: str, since: str | None, until: str | None,
                 top: int) -> dict[str, Any]:  # fmt: skip
    dw, dp = _dates("date", since, until)
    counterparts = store.query(
        f"""SELECT b AS other, count(*) AS events,
                   count(*) FILTER (WHERE direction = 'out') AS outgoing,
                   count(*) FILTER (WHERE direction = 'in') AS incoming,
                   count(*) FILTER (WHERE grp = 'cooperation') AS cooperation,
                   count(*) FILTER (WHERE grp = 'conflict') AS conflict,
                   round(avg(goldstein), 2) AS goldstein, min(date) AS first, max(date) AS last
            FROM web_pairs {_where(["a = ?", *dw])} GROUP BY b ORDER BY events DESC, b LIMIT ?""",
        [actor_id, *dp, top],
    )
    label = names(store, [c["other"] for c in counterparts])
    for c in counterparts:
        c["name"] = label[c["other"]]
    others = [c["other"] for c in counterparts[:8]]
    yearly = store.query(
        f"""SELECT b AS other, left(month, 4) AS year, count(*) AS events,
                   round(avg(goldstein), 2) AS goldstein
            FROM web_pairs {_where(["a = ?", *dw, "b IN (SELECT unnest(?))"])}
            GROUP BY ALL ORDER BY other, year""",
        [actor_id, *dp, others],
    )
    ew = _where(["actor_id = ?", *dw])
    timeline = store.query(
        f"SELECT month, quad_class, count(*) AS events FROM web_event_actors {ew} "
        "GROUP BY ALL ORDER BY month, quad_class",
        [actor_id, *dp],
    )
    ids = [r["event_id"] for r in store.query(
        f"SELECT event_id FROM web_event_actors {ew} ORDER BY date DESC NULLS LAST, event_id LIMIT ?",
        [actor_id, *dp, top])]  # fmt: skip
    claims = {}
    for grp in ("by", "about"):
        cids = [r["claim_id"] for r in store.query(
            f"SELECT claim_id FROM web_claim_actors {_where(['actor_id = ?', 'grp = ?', *dw])} "
            "ORDER BY date DESC NULLS LAST, claim_id LIMIT ?", [actor_id, grp, *dp, top])]  # fmt: skip
        claims[grp] = claims_by_id(store, cids)
    aw, ap = _dates("published", since, until)
    articles = store.query(
        f"SELECT article_id, mentions, published FROM web_actor_articles "
        f"{_where(['actor_id = ?', *aw])} ORDER BY published DESC NULLS LAST, article_id LIMIT ?",
        [actor_id, *ap, min(top, 20)],
    )
    heads = article_heads(store, [r["article_id"] for r in articles])
    for r in articles:
        r.update({k: heads.get(r["article_id"], {}).get(k) for k in ("title", "outlet")})
    return {"counterparts": counterparts, "relations_by_year": yearly, "timeline": timeline,
            "events": events_by_id(store, ids), "claims_by": claims["by"],
            "claims_about": claims["about"], "articles": articles}  # fmt: skip


# --------------------------------------------------------------------- relation


def relation(
    store: Store, a: str, b: str, *, since: str | None = None, until: str | None = None,
    limit: int = TOP,
) -> dict[str, Any] | None:
    """Events between ``a`` and ``b`` over time and the evidence behind them (None when
    either actor is unknown or ``a == b``)."""
    label = names(store, {a, b}, known_only=True)
    if a == b or len(label) < 2:
        return None
    if since or until or limit > TOP:
        return _relation_dated(store, a, b, since, until, limit, label)
    series = store.query(
        "SELECT month, events, a_to_b, b_to_a, cooperation, conflict, goldstein "
        "FROM web_pair_months WHERE a = ? AND b = ? ORDER BY month",
        [a, b],
    )
    lists: dict[str, list[dict[str, Any]]] = {"cooperation": [], "conflict": [], "claims": []}
    for r in store.query(
        """SELECT grp AS k, rn, display, direction FROM web_pairs
           WHERE a = ? AND b = ? AND grp <> 'other' AND rn <= ?
           UNION ALL
           SELECT 'claims', rn, display, NULL FROM web_claim_pairs WHERE a = ? AND b = ? AND rn <= ?
           ORDER BY k, rn""",
        [a, b, limit, a, b, limit],
    ):
        item = json.loads(r["display"]) if r["display"] else {}
        if r["direction"]:
            item["direction"] = r["direction"]
        lists[r["k"]].append(item)
    return _relation_out(a, b, label, series, lists)


def _relation_out(a: str, b: str, label: dict[str, str], series: list[dict[str, Any]],
                  lists: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:  # fmt: skip
    totals = {k: sum(r[k] for r in series) for k in ("events", "cooperation", "conflict")}
    return {"a": a, "b": b, "names": label, "totals": totals, "series": series, **lists}


def _relation_dated(store: Store, a: str, b: str, since: str | None, until: str | None,
                    limit: int, label: dict[str, str]) -> dict[str, Any]:  # fmt: skip
    dw, dp = _dates("date", since, until)
    series = store.query(
        f"""SELECT month, count(*) AS events,
                   count(*) FILTER (WHERE direction = 'out') AS a_to_b,
                   count(*) FILTER (WHERE direction = 'in') AS b_to_a,
                   count(*) FILTER (WHERE grp = 'cooperation') AS cooperation,
                   count(*) FILTER (WHERE grp = 'conflict') AS conflict,
                   round(avg(goldstein), 2) AS goldstein
            FROM web_pairs {_where(["a = ?", "b = ?", *dw])} GROUP BY month ORDER BY month""",
        [a, b, *dp],
    )
    lists: dict[str, list[dict[str, Any]]] = {}
    for grp in ("cooperation", "conflict"):
        rows = store.query(
            f"SELECT event_id, direction FROM web_pairs {_where(['a = ?', 'b = ?', 'grp = ?', *dw])} "
            "ORDER BY date DESC NULLS LAST, event_id LIMIT ?",
            [a, b, grp, *dp, limit],
        )
        direction = {r["event_id"]: r["direction"] for r in rows}
        lists[grp] = events_by_id(store, list(direction))
        for e in lists[grp]:
            e["direction"] = direction[e["id"]]
    lists["claims"] = claims_by_id(store, [r["claim_id"] for r in store.query(
        f"SELECT claim_id FROM web_claim_pairs {_where(['a = ?', 'b = ?', *dw])} "
        "ORDER BY date DESC NULLS LAST, claim_id LIMIT ?", [a, b, *dp, limit])])  # fmt: skip
    return _relation_out(a, b, label, series, lists)


# ---------------------------------------------------------------- events, claims


def events(
    store: Store, *, actor: str | None = None, type: str | None = None,
    location: str | None = None, since: str | None = None, until: str | None = None,
    limit: int = 50, offset: int = 0,
) -> dict[str, Any]:
    """A page of events, newest first; ``actor`` uses the resolved actor ids, ``location``
    the country (ISO3) where it happened."""
    if actor:
        where, params = _dates("date", since, until)
        where.insert(0, "actor_id = ?")
        params.insert(0, actor)
        if type:
            where.append("type = ?")
            params.append(type)
        if location:
            where.append("event_id IN (SELECT id FROM events WHERE location = ?)")
            params.append(location)
        base = f"SELECT DISTINCT event_id, date FROM web_event_actors {_where(where)}"
    else:
        where, params = _dates("coalesce(e.date, a.published)", since, until)
        if type:
            where.append("e.type = ?")
            params.append(type)
        if location:
            where.append("e.location = ?")
            params.append(location)
        base = (
            "SELECT e.id AS event_id, coalesce(e.date, a.published) AS date FROM events e "
            f"LEFT JOIN articles a ON a.id = e.article_id {_where(where)}"
        )
    total = store.scalar(f"SELECT count(*) FROM ({base})", params)
    ids = [r["event_id"] for r in store.query(
        f"SELECT event_id FROM ({base}) ORDER BY date DESC NULLS LAST, event_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )]  # fmt: skip
    return {"total": int(total or 0), "limit": limit, "offset": offset,
            "events": events_by_id(store, ids)}  # fmt: skip


def claims(
    store: Store, *, speaker: str | None = None, kind: str | None = None,
    since: str | None = None, until: str | None = None, limit: int = 50, offset: int = 0,
) -> dict[str, Any]:
    """A page of claims (quotes and assertions), newest first."""
    where, params = _dates("coalesce(c.date, a.published)", since, until)
    if speaker:
        where.append("c.speaker = ?")
        params.append(speaker)
    if kind:
        where.append("c.kind = ?")
        params.append(kind)
    src = f"FROM claims c LEFT JOIN articles a ON a.id = c.article_id {_where(where)}"
    total = store.scalar(f"SELECT count(*) {src}", params)
    rows = store.query(
        "SELECT c.id, c.article_id, c.text, c.kind, c.speaker, c.speaker_text, c.speaker_role, "
        "c.cue, c.subject, c.predicate, c.object, c.polarity, c.modality, "
        "coalesce(c.date, a.published) AS date, a.title, a.outlet, "
        "(SELECT name FROM actors k WHERE k.id = c.speaker) AS speaker_name "
        f"{src} ORDER BY date DESC NULLS LAST, c.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return {"total": int(total or 0), "limit": limit, "offset": offset, "claims": rows}


def outlet_stats(store: Store) -> list[dict[str, Any]]:
    """Per-outlet counts: the scorecard shown until reconcile provides real scores."""
    return store.query(
        """SELECT a.outlet, count(*) AS articles,
                  count(*) FILTER (WHERE a.reprint_of IS NOT NULL) AS reprints,
                  coalesce(sum(c.n), 0) AS claims, min(a.published) AS first,
                  max(a.published) AS last
           FROM articles a LEFT JOIN (SELECT article_id, count(*) AS n FROM claims GROUP BY 1) c
             ON c.article_id = a.id
           GROUP BY a.outlet ORDER BY articles DESC, a.outlet NULLS LAST LIMIT 200"""
    )
