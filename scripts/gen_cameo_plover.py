"""Generate ``src/diplograph/data/cameo_plover.json`` from the public CAMEO->PLOVER table.

Usage (from the repository root)::

    .venv/bin/python scripts/gen_cameo_plover.py [--source ../shared/eval/plover/CAMEO2PLOVER-2021.txt]

The committed JSON holds facts only (codes and mappings), never the table's prose:

* ``cameo``: every CAMEO code of the table -> PLOVER ``event``, ``mode``, ``context``
  (parsed from ``openeventdata/PLOVER : CAMEO2PLOVER-2021.txt``, CC BY-SA 4.0).
* ``roots``: each CAMEO root "01".."20" -> QuadClass and Goldstein score. The QuadClass
  grouping is GDELT's (1 verbal cooperation 01-05, 2 material cooperation 06-08,
  3 verbal conflict 09-13, 4 material conflict 14-20). The Goldstein value of a root is
  the published Goldstein (1992) conflict-cooperation weight of that root's base code
  ("X0", e.g. 040 for root 04) as tabulated for CAMEO in GDELT's ``CAMEO.goldsteinscale``
  lookup.
* ``supplement``: CAMEO roots 01 (public statement) and 02 (appeal) are not in the 2021
  table; the PLOVER manual folds appeals into REQUEST and drops plain statements.
* ``legacy_types``: older PLOVER names used by the gold-standard records.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "eval" / "plover" / "CAMEO2PLOVER-2021.txt"
TARGET = ROOT / "src" / "diplograph" / "data" / "cameo_plover.json"

PLOVER_TYPES = [
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]

# Goldstein (1992) weights of the CAMEO base codes 010, 020, ... 200 (GDELT lookup table).
GOLDSTEIN_ROOT = {
    "01": 0.0, "02": 3.0, "03": 4.0, "04": 1.0, "05": 3.5, "06": 6.0, "07": 7.0,
    "08": 5.0, "09": -2.0, "10": -5.0, "11": -2.0, "12": -4.0, "13": -4.4, "14": -6.5,
    "15": -7.2, "16": -4.0, "17": -7.0, "18": -9.0, "19": -10.0, "20": -10.0,
}


def quad_class(root: str) -> int:
    """GDELT QuadClass of a CAMEO root code."""
    n = int(root)
    if n <= 5:
        return 1
    if n <= 8:
        return 2
    if n <= 13:
        return 3
    return 4


_LINE = re.compile(r"^(\d{2,4}):\s*([^#]*)")


def parse_table(text: str) -> dict[str, dict[str, str | None]]:
    """Parse ``CODE: EVENT, mode, context # prose`` lines (prose is dropped)."""
    out: dict[str, dict[str, str | None]] = {}
    for line in text.splitlines():
        m = _LINE.match(line.strip())
        if not m:
            continue
        code, body = m.group(1), m.group(2)
        parts = [p.strip() for p in body.split(",")]
        if len(code) == 2:  # root header line: "04: CONSULT"
            continue
        event = parts[0].upper()
        mode = parts[1] if len(parts) > 1 and parts[1] else None
        context = parts[2] if len(parts) > 2 and parts[2] else None
        if context:
            context = ",".join(c.strip() for c in context.split(";") if c.strip())
        if event not in PLOVER_TYPES:
            raise ValueError(f"unknown PLOVER type {event!r} for CAMEO {code}")
        out.setdefault(code, {"event": event, "mode": mode, "context": context})
    return out


def build(source: Path) -> dict[str, object]:
    raw = source.read_bytes()
    cameo = parse_table(raw.decode("utf-8"))
    # roots 01 and 02: absent from the 2021 table (see module docstring)
    supplement = {"020": {"event": "REQUEST", "mode": None, "context": "diplomatic"}}
    for code, row in supplement.items():
        cameo.setdefault(code, row)
    roots = {
        r: {"quad_class": quad_class(r), "goldstein": g} for r, g in GOLDSTEIN_ROOT.items()
    }
    # the PLOVER type's default CAMEO code: its most common root's base code
    default_code: dict[str, str] = {}
    for t in PLOVER_TYPES:
        codes = sorted(c for c, row in cameo.items() if row["event"] == t)
        by_root: dict[str, int] = {}
        for c in codes:
            by_root[c[:2]] = by_root.get(c[:2], 0) + 1
        best = max(sorted(by_root), key=lambda r: by_root[r])
        base = best + "0"
        default_code[t] = base if base in cameo and cameo[base]["event"] == t else min(
            (len(c), c) for c in codes if c.startswith(best)
        )[1]
    return {
        "source": {
            "file": "openeventdata/PLOVER:CAMEO2PLOVER-2021.txt",
            "sha256": hashlib.sha256(raw).hexdigest(),
            "licence": "CC BY-SA 4.0",
            "goldstein": "Goldstein 1992, CAMEO base codes (GDELT CAMEO.goldsteinscale)",
        },
        "plover_types": PLOVER_TYPES,
        "legacy_types": {
            "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
            "FIGHT": "ASSAULT", "YIELD": "CONCEDE", "ENGAGE": "COOPERATE",
        },
        "default_code": default_code,
        "roots": roots,
        "cameo": dict(sorted(cameo.items())),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--out", type=Path, default=TARGET)
    args = ap.parse_args()
    data = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", "utf-8")
    print(f"wrote {args.out} ({len(data['cameo'])} CAMEO codes)")


if __name__ == "__main__":
    main()
