"""Table views of query results for the CLI: what an analyst reads in a terminal.

Each function turns the rows of a :mod:`diplograph.queries` or :mod:`diplograph.reconcile`
call into flat rows for ``cli_support.emit``: canonical forms instead of their parts, evidence as
lines ("outlet, date, speaker: sentence") instead of nested JSON, and no ids, offsets or
versions. ``--format json`` and ``csv`` print the rows unchanged; they are the stable forms.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Columns of ``mentions`` left out of the table view (ids, offsets, versions; JSON has them).
MENTION_HIDDEN = ("id", "article_id", "start_char", "end_char", "sector", "org", "label",
                  "extractor", "published")  # fmt: skip


def event_lines(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table view of ``events``: who did what to whom, when, with the codes an
    analyst filters on and where it was reported (JSON and CSV have every field)."""
    out = []
    for e in rows:
        flags = [f for f in ("negated" if e.get("negated") else "",
                             e.get("modality") if e.get("modality") not in (None, "asserted") else "",
                             "date approx." if e.get("date_approx") else "") if f]  # fmt: skip
        out.append({
            "date": e.get("date") or "undated", "type": e.get("type"),
            "cameo / quad / goldstein": f"{e.get('cameo')} / {e.get('quad_class')} / {e.get('goldstein')}",
            "source -> target": f"{_actors(e, 'source')} -> {_actors(e, 'target')}",
            "trigger": e.get("trigger"), "flags": ", ".join(flags),
            "where": e.get("location") or "",
            "reported by": f"{_source_of(e)}: {e.get('title') or e.get('article_id')}",
        })  # fmt: skip
    return out


def _actors(e: dict[str, Any], role: str) -> str:
    """``AZE+?"Alat Port"``: the codes, an unresolved one (``---``) by its words; ``?`` if none."""
    codes, names = e.get(f"{role}s") or [], e.get(f"{role}_names") or []
    shown = [f'?"{names[i]}"' if c == "---" and i < len(names) else c for i, c in enumerate(codes)]
    return "+".join(shown) or "?"


def claim_lines(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table view of ``claims``: the canonical form (or the quote), dates, how many
    independent sources, contradictions, and the evidence as lines (JSON has all)."""
    out = []
    for r in rows:
        if r.get("predicate"):
            form = " ".join(x for x in (r.get("subject") or "?", "not" if r.get("polarity") == "negated"
                                         else "", r["predicate"], r.get("object") or "") if x)  # fmt: skip
            if r.get("modality") and r["modality"] != "asserted":
                form += f" ({r['modality']})"
        else:
            form = f"{r.get('kind')}: {r.get('text') or ''}"
        dates = " - ".join(dict.fromkeys(d for d in (r.get("first_date"), r.get("last_date")) if d))
        out.append({"claim": form, "dates": dates or "undated",
                    "sources": f"{r.get('sources')}{' (corroborated)' if r.get('corroborated') else ''}",
                    "contradictions": len(r.get("contradictions") or []),
                    "evidence": evidence(r.get("evidence") or [])})  # fmt: skip
    return out


def _source_of(e: dict[str, Any]) -> str:
    """Where a record was reported: the outlet, else the file or URL it came from."""
    where = e.get("url") or e.get("origin") or ""
    return str(e.get("outlet") or Path(str(where)).name or where or e.get("article_id") or "?")


def _speaker(e: dict[str, Any]) -> str:
    """"Name (role)" of a record's speaker, falling back to its actor id, then to the
    source's own words in quotes ("Experts"); "" if none."""
    text = e.get("speaker_text")
    name = e.get("speaker_name") or e.get("speaker") or (f"“{text}”" if text else "")
    role = e.get("speaker_role")
    return f"{name} ({role})" if name and role else name


def side(s: dict[str, Any] | None) -> str:
    """One side of a contradiction: source, date, offsets, then speaker and sentence."""
    if not s:
        return ""
    who = f"{_speaker(s)}: " if _speaker(s) else ""
    return (f"{_source_of(s)}, {s.get('date') or s.get('published') or 'undated'} "
            f"[{s.get('start')}-{s.get('end')}]\n{who}{s.get('text') or ''}")  # fmt: skip


def contradiction_lines(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table view of ``contradictions``: the reason and both sides (JSON has all)."""
    return [{"kind": r["kind"], "reason": r["reason"], "side A": side(r.get("a")),
             "side B": side(r.get("b"))} for r in rows]  # fmt: skip


#: Short table headings for the scorecard components (JSON keeps the full names).
COMPONENT_HEADS = {"corroboration": "corr", "contradictions": "contra",
                    "internal": "intern", "citations": "cites", "reprint": "reprint"}  # fmt: skip


def scorecard_lines(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table view of ``sources``: the score, each component's value (0-1; the
    weights are in docs/reconcile.md and in the JSON) and the flags."""
    out = []
    for r in rows:
        name = r.get("outlet") or r.get("key") or ""
        if r["scope"] == "article" and r.get("title"):
            name = f"{name}: {r['title']}"
        line: dict[str, Any] = {"scope": r["scope"], "source": name, "score": round(r["score"], 2)}
        for comp, c in (r.get("components") or {}).items():
            line[COMPONENT_HEADS.get(comp, comp)] = f"{c['value']:.2f}"
        line["flags"] = "; ".join(r.get("flags") or [])
        out.append(line)
    return out


def evidence(items: list[dict[str, Any]], reason: bool = False) -> str:
    """One line per piece of evidence: outlet, date, [speaker,] (reason:) sentence; two
    records of one sentence (an event told by two verbs: "visited Baku and met") read once."""
    lines = []
    for e in items:
        who = f", {_speaker(e)}" if _speaker(e) else ""
        why = f" ({e['reason']})" if reason and e.get("reason") else ""
        lines.append(f"{_source_of(e)}, {e.get('date') or e.get('published') or 'undated'}{who}{why}: "
                     f"{e.get('text') or ''}")  # fmt: skip
    return "\n".join(dict.fromkeys(lines))


def relation_lines(rows: list[dict[str, Any]], at: str | None) -> list[dict[str, Any]]:
    """The table view of ``relation``'s relations (JSON has every field)."""
    out = []
    for r in rows:
        line = {"relation": f"{r['subject']} {r['predicate']} {r.get('object') or ''}".strip(),
                "state": r["state"], "valid": f"{r.get('valid_from') or '…'} - {r.get('valid_to') or '…'}",
                "sources": r.get("sources"), "supported by": evidence(r.get("support") or []),
                "contradicted by": evidence(r.get("contradict") or [], reason=True)}  # fmt: skip
        if at is not None:
            line["in force"] = {True: "yes", False: "no", None: "undated"}[r.get("in_force")]
        out.append(line)
    return out


def relation_event_lines(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table view of ``relation``'s reconciled events."""
    return [{"type": ("not " if e.get("polarity") == "negated" else "") + str(e.get("predicate"))
             + (f" ({e['modality']})" if e.get("modality") not in (None, "asserted") else ""),
             "dates": " - ".join(dict.fromkeys(d for d in (e.get("first_date"), e.get("last_date")) if d))
             or "undated",
             "who": f"{'+'.join(e.get('source_actors') or [])} -> {'+'.join(e.get('target_actors') or [])}",
             "sources": e.get("sources"), "evidence": evidence(e.get("evidence") or [])}
            for e in rows]  # fmt: skip
