"""Read API over the reconcile tables: the stable JSON forms of docs/reconcile.md.

Every function only reads the store (it works on a read-only snapshot) and returns plain
JSON-able dicts. Before :func:`~diplograph.reconcile.reconcile` has run they return empty
results; on a store without the reconcile tables they raise ``StoreError``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..store import Store
from .relations import in_force

_EVIDENCE_SQL = """
    SELECT e.fact_id, e.record_id, e.record_kind, e.article_id, e.source_key, e.independent,
           e.similarity, a.outlet, a.title, a.published, a.origin, a.url,
           coalesce(c.sentence, v.sentence) AS sentence,
           coalesce(c.start_char, v.trigger_start) AS start_char,
           coalesce(c.end_char, v.trigger_end) AS end_char,
           coalesce(c.text, substring(a.text, s.start_char + 1, s.end_char - s.start_char),
                    v.trigger) AS text,
           v.trigger, coalesce(c.date, v.date) AS date,
           c.kind AS claim_kind, c.speaker, sp.name AS speaker_name, c.speaker_text,
           c.speaker_role, c.subject, c.predicate, c.object, c.polarity
    FROM fact_evidence e
    JOIN articles a ON a.id = e.article_id
    LEFT JOIN claims c ON e.record_kind = 'claim' AND c.id = e.record_id
    LEFT JOIN events v ON e.record_kind = 'event' AND v.id = e.record_id
    LEFT JOIN actors sp ON sp.id = c.speaker
    LEFT JOIN sentences s ON s.article_id = v.article_id AND s.idx = v.sentence
    WHERE list_contains(?, e.fact_id)
    ORDER BY e.fact_id, coalesce(c.date, v.date, a.published) NULLS LAST, e.article_id,
             start_char, e.record_id
"""


def _evidence_row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["record_id"], "record": r["record_kind"], "article_id": r["article_id"],
        "outlet": r["outlet"], "title": r["title"], "published": r["published"], "date": r["date"],
        "sentence": r["sentence"], "start": r["start_char"], "end": r["end_char"],
        "text": r["text"], "trigger": r["trigger"], "kind": r["claim_kind"], "speaker": r["speaker"],
        "speaker_name": r["speaker_name"], "speaker_text": r["speaker_text"],
        "speaker_role": r["speaker_role"], "where": r["url"] or r["origin"],
        "origin": r["origin"], "url": r["url"], "source": r["source_key"],
        "independent": r["independent"], "similarity": r["similarity"],
    }  # fmt: skip


def evidence(store: Store, fact_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The claims or events behind each fact, oldest first."""
    ids = sorted(set(fact_ids))
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        for r in store.query(_EVIDENCE_SQL, [ids]):
            out[r["fact_id"]].append(_evidence_row(r))
    return out


def _fact_row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["id"], "kind": r["kind"], "subject": r["subject"], "predicate": r["predicate"],
        "object": r["object"], "polarity": r["polarity"], "modality": r["modality"],
        "first_date": r["first_date"], "last_date": r["last_date"], "articles": r["articles"],
        "sources": r["sources"], "outlets": list(r["outlets"] or []),
        "corroborated": r["corroborated"], "text": r["text"], "method": r["method"],
    }  # fmt: skip


def claims(
    store: Store, actor: str | None = None, speaker: str | None = None
) -> list[dict[str, Any]]:
    """Merged claims (kind ``claim``) and quotes (kind ``quote``), most sources first.

    ``actor`` keeps facts whose subject or object (or a quote's speaker) is that actor;
    ``speaker`` keeps facts with at least one report by that speaker.
    """
    where, params = ["f.kind IN ('claim', 'quote')"], []
    if actor:
        where.append("list_contains(f.actors, ?)")
        params.append(actor)
    if speaker:
        where.append(
            "EXISTS (SELECT 1 FROM fact_evidence e JOIN claims c ON c.id = e.record_id "
            "WHERE e.fact_id = f.id AND c.speaker = ?)"
        )
        params.append(speaker)
    rows = store.query(
        f"SELECT f.* FROM facts f WHERE {' AND '.join(where)} "
        "ORDER BY f.sources DESC, f.articles DESC, f.first_date NULLS LAST, f.id",
        params,
    )
    facts = [_fact_row(r) for r in rows]
    ev = evidence(store, (f["id"] for f in facts))
    against: dict[str, list[str]] = defaultdict(list)
    for r in store.query("SELECT id, fact_a, fact_b FROM contradictions ORDER BY id"):
        against[r["fact_a"]].append(r["id"])
        against[r["fact_b"]].append(r["id"])
    for f in facts:
        f["contradictions"] = against.get(f["id"], [])
        f["evidence"] = ev.get(f["id"], [])
    return facts


def _side(fact: dict[str, Any], claim_id: str, ev: list[dict[str, Any]]) -> dict[str, Any]:
    shown = next((e for e in ev if e["id"] == claim_id), ev[0] if ev else {})
    return {
        "fact_id": fact["id"], "claim_id": claim_id, "subject": fact["subject"],
        "predicate": fact["predicate"], "object": fact["object"], "polarity": fact["polarity"],
        "article_id": shown.get("article_id"), "outlet": shown.get("outlet"),
        "title": shown.get("title"), "date": shown.get("date"), "published": shown.get("published"),
        "sentence": shown.get("sentence"), "start": shown.get("start"), "end": shown.get("end"),
        "text": shown.get("text"), "speaker": shown.get("speaker"),
        "speaker_name": shown.get("speaker_name"), "speaker_text": shown.get("speaker_text"),
        "speaker_role": shown.get("speaker_role"),
        "where": shown.get("where"),
        "url": shown.get("url"), "origin": shown.get("origin"),
        "sources": fact["sources"], "articles": fact["articles"], "evidence": ev,
    }  # fmt: skip


def contradictions(store: Store) -> list[dict[str, Any]]:
    """Every contradiction with both sides (outlet, date, sentence, offsets, where, text)."""
    rows = store.query("SELECT * FROM contradictions ORDER BY kind, subject, id")
    if not rows:
        return []
    ids = sorted({r["fact_a"] for r in rows} | {r["fact_b"] for r in rows})
    facts = {r["id"]: _fact_row(r) for r in store.query(
        "SELECT * FROM facts WHERE list_contains(?, id)", [ids])}  # fmt: skip
    ev = evidence(store, ids)
    out = []
    for r in rows:
        a = _side(facts[r["fact_a"]], r["claim_a"], ev.get(r["fact_a"], []))
        b = _side(facts[r["fact_b"]], r["claim_b"], ev.get(r["fact_b"], []))
        out.append({
            "id": r["id"], "kind": r["kind"], "subject": r["subject"], "reason": r["reason"],
            "self": bool(r["self_articles"]), "article_a": a["article_id"],
            "outlet_a": a["outlet"], "date_a": a["date"], "article_b": b["article_id"],
            "outlet_b": b["outlet"], "date_b": b["date"], "object_a": a["object"],
            "object_b": b["object"], "self_articles": list(r["self_articles"] or []),
            "a": a, "b": b,
        })  # fmt: skip
    return out


def source_scores(store: Store, scope: str | None = None) -> list[dict[str, Any]]:
    """Scorecards: outlets (best first), then articles (best first).

    ``scope`` is ``"outlet"`` or ``"article"`` to keep one kind.
    """
    if scope not in {None, "outlet", "article"}:
        raise ValueError(f"scope must be 'outlet' or 'article', got {scope!r}")
    sql = "SELECT card FROM source_scores"
    params: list[Any] = []
    if scope:
        sql += " WHERE scope = ?"
        params.append(scope)
    sql += " ORDER BY scope = 'article', score DESC, key"
    return [json.loads(r["card"]) for r in store.query(sql, params)]


def relation(store: Store, a: str, b: str, at: str | None = None) -> dict[str, Any]:
    """The relation between actors ``a`` and ``b`` over time, with its evidence.

    With ``at`` (ISO date), ``in_force`` lists the relations holding on that date and
    each relation carries ``in_force`` (``None``: undated, cannot be placed in time).
    """
    rows = store.query(
        "SELECT * FROM relations WHERE (subject = ? AND object = ?) OR (subject = ? AND object = ?) "
        "ORDER BY predicate, subject, id",
        [a, b, b, a],
    )
    ids = {i for r in rows for i in [*(r["facts_for"] or []), *(r["facts_against"] or [])]}
    ev = evidence(store, ids)
    contra = store.query(
        "SELECT * FROM contradictions WHERE list_contains(?, fact_a) OR list_contains(?, fact_b) "
        "ORDER BY id", [sorted(ids), sorted(ids)])  # fmt: skip
    others = {c["fact_b"] if c["fact_a"] in ids else c["fact_a"] for c in contra}
    ev.update(evidence(store, others - ids))
    relations = []
    for r in rows:
        mine = set(r["facts_for"] or [])
        rel = {("symmetric" if k == "is_symmetric" else k): v for k, v in r.items()}
        rel["direction"] = "both" if r["is_symmetric"] else ("a->b" if r["subject"] == a else "b->a")
        rel["support"] = [e for f in sorted(mine) for e in ev.get(f, [])]
        rel["contradict"] = [dict(e, reason="negated report")
                             for f in r["facts_against"] or [] for e in ev.get(f, [])]  # fmt: skip
        for c in contra:
            if c["fact_a"] in mine or c["fact_b"] in mine:
                other = c["fact_b"] if c["fact_a"] in mine else c["fact_a"]
                if other not in (r["facts_against"] or []):
                    rel["contradict"] += [dict(e, reason=c["reason"]) for e in ev.get(other, [])]
        if at is not None:
            rel["in_force"] = in_force(r, at)
        relations.append(rel)
    return {
        "a": a, "b": b, "at": at, "relations": relations, "events": _events(store, a, b),
        "in_force": None if at is None else [
            {k: rel[k] for k in ("id", "subject", "predicate", "object", "state", "valid_from",
                                 "valid_to")} for rel in relations if rel["in_force"]],
    }  # fmt: skip


def _events(store: Store, a: str, b: str) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT * FROM facts WHERE kind = 'event' AND list_contains(actors, ?) "
        "AND list_contains(actors, ?) ORDER BY first_date NULLS LAST, id", [a, b])  # fmt: skip
    out = []
    for r in rows:
        src, tgt = (r["subject"] or "").split("+"), (r["object"] or "").split("+")
        if (a in src and b in tgt) or (b in src and a in tgt):
            out.append(dict(_fact_row(r), source_actors=src, target_actors=tgt))
    ev = evidence(store, (e["id"] for e in out))
    for e in out:
        e["evidence"] = ev.get(e["id"], [])
    return out


__all__ = ["claims", "contradictions", "evidence", "relation", "source_scores"]
