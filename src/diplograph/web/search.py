"""Full-text search over a snapshot: DuckDB's ``fts`` index (BM25), plus filters.

See :mod:`.derived` for how the index is built (``PRAGMA create_fts_index`` over the
articles' title and text, in each snapshot) and how ``web_postings`` holds its
``match_bm25`` scores per term. User input reaches SQL only as bound parameters.
"""

from __future__ import annotations

from typing import Any

from ..store import Store
from .derived import tokenize
from .queries_web import _dates, _where

#: Words of a query that count (the rest is ignored).
MAX_TERMS = 12


def search(
    store: Store, q: str = "", *, actor: str | None = None, type: str | None = None,
    since: str | None = None, until: str | None = None, limit: int = 20, offset: int = 0,
) -> dict[str, Any]:
    """BM25 over the snapshot's ``fts`` index, AND of all query words, plus filters.

    Words are matched by their Porter stem (``villages`` finds ``village``). A quoted
    phrase (``"north atlantic"``) must also appear verbatim (case-insensitive). Without
    words, the filters alone select articles, newest first. The snapshot must have the
    ``fts`` extension loaded (:func:`.derived.attach`).
    """
    phrases = [p.strip().lower() for p in q.split('"')[1::2] if p.strip()]
    terms = list(dict.fromkeys(tokenize(q)))[:MAX_TERMS]
    where, params = _dates("d.published", since, until)
    if actor:
        where.append("d.article_id IN (SELECT article_id FROM web_actor_articles WHERE actor_id = ?)")
        params.append(actor)
    if type:
        where.append("d.article_id IN (SELECT article_id FROM web_article_types WHERE type = ?)")
        params.append(type)
    if phrases:
        where.append("d.article_id IN (SELECT id FROM articles WHERE "
                     + " AND ".join("contains(lower(coalesce(title, '') || ' ' || text), ?)"
                                    for _ in phrases) + ")")  # fmt: skip
        params += phrases
    # the index's stems of the query words (the same Porter stemmer the index used)
    stems = [r["s"] for r in store.query(
        "SELECT DISTINCT stem(strip_accents(t), 'porter') AS s FROM unnest(?) AS u(t)", [terms])
        if r["s"]] if terms else []  # fmt: skip
    if stems:
        # BM25 as match_bm25(conjunctive := 1) computes it: every stem must occur; the
        # per-term scores are precomputed in web_postings (see derived.BM25_IMPACT)
        filtered = f"AND article_id IN (SELECT d.article_id FROM web_docs d {_where(where)})" if where else ""
        base = f"""SELECT article_id AS id, sum(impact) AS score FROM web_postings
                   WHERE term IN (SELECT unnest(?)) {filtered}
                   GROUP BY article_id HAVING count(*) = ?"""
        base_params: list[Any] = [stems, *params, len(stems)]
        order = "score DESC, id"
    else:
        base = f"SELECT d.article_id AS id, NULL AS score, d.published FROM web_docs d {_where(where)}"
        base_params = params
        order = "published DESC NULLS LAST, id"
    page = store.query(
        f"SELECT id, score, count(*) OVER () AS total FROM ({base}) ORDER BY {order} LIMIT ? OFFSET ?",
        [*base_params, limit, offset],
    )
    if page:
        total = int(page[0]["total"])
    else:  # nothing matched, or a page past the end
        total = int(store.scalar(f"SELECT count(*) FROM ({base})", base_params) or 0) if offset else 0
    heads = {r["id"]: r for r in store.query(
        "SELECT id, title, outlet, published, url, text FROM articles WHERE id IN (SELECT unnest(?))",
        [[r["id"] for r in page]])} if page else {}  # fmt: skip
    results = []
    for r in page:
        head = dict(heads.get(r["id"], {}))
        text = head.pop("text", "") or ""
        score = round(r["score"], 3) if r["score"] is not None else None
        results.append({**head, "id": r["id"], "score": score,
                        "snippet": snippet(text, terms + [s for s in stems if s not in terms] + phrases)})  # fmt: skip
    return {"q": q, "terms": terms, "phrases": phrases, "total": total,
            "limit": limit, "offset": offset, "results": results}  # fmt: skip


def snippet(text: str, words: list[str], width: int = 240) -> dict[str, str]:
    """A window of ``text`` around the first query word: {before, match, after} (plain)."""
    low = text.lower()
    best = min((i for i in (low.find(w) for w in words if w) if i >= 0), default=-1)
    if best < 0:
        return {"before": text[:width], "match": "", "after": ""}
    word = next(w for w in words if w and low.find(w) == best)
    start = max(0, best - width // 2)
    return {
        "before": ("…" if start else "") + text[start:best],
        "match": text[best:best + len(word)],
        "after": text[best + len(word):best + len(word) + width // 2] + "…",
    }
