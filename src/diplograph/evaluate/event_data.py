"""Readers for the public event gold data, and the one deterministic train/test split.

Formats (files under ``../shared/eval``):

* ``plover``: PLOVER gold-standard records (JSON array; first record is documentation);
* ``conflibert-class``: ``sentence TAB PentaClass`` lines;
* ``conflibert-ner``: CoNLL-style ``token TAB tag`` lines, tags B-/I- S (source), T
  (target), R (reciprocal: both);
* ``petrarch``: PETRARCH2 unit-test XML with expected (source, target, CAMEO) triples.

The split: every text is keyed by :func:`text_key` (letters and digits only, case-folded,
so tokenized and raw copies of a sentence agree) and a text is ``test`` when the first
byte of the key's sha256 is below 77 (30%). Copies of one sentence in several files
therefore always land on the same side, which deduplicates before splitting: the 245
ConfliBERT sentences that repeat PLOVER texts cannot leak from training into test.
Training (``scripts/train_events.py``) uses only ``train``; evaluation only ``test``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

TEST_CUTOFF = 77  # of 256: ~30% of distinct texts are held out
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def text_key(text: str) -> str:
    """The dedup key of a text: ASCII letters and digits only, case-folded."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub("", ascii_text.casefold())


def split_of(text: str) -> str:
    """``"test"`` or ``"train"``: deterministic, the same for every copy of a text."""
    digest = hashlib.sha256(text_key(text).encode("utf-8")).digest()
    return "test" if digest[0] < TEST_CUTOFF else "train"


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass
class GoldActor:
    text: str
    code: str
    start: int | None  # offset of the actor text in the sentence, when found


@dataclass
class GoldItem:
    """One gold sentence with its events (PLOVER / PETRARCH) or labels (ConfliBERT)."""

    id: str
    text: str
    date: str | None = None
    events: list[dict[str, object]] = field(default_factory=list)
    penta: int | None = None
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @property
    def split(self) -> str:
        return split_of(self.text)


_MARK = re.compile(r"\((SRC/TAR|SRC|TAR|EVT):\s*([^()]*?)\)")


def _actor_list(raw: object, text: str) -> list[GoldActor]:
    out: list[GoldActor] = []
    for a in raw if isinstance(raw, list) else []:
        if not isinstance(a, dict) or not a.get("code"):
            continue
        at = str(a.get("actorText") or "")
        pos = text.find(at) if at else -1
        sector = str(a.get("sector") or "")
        code = str(a["code"]) + (sector if re.fullmatch(r"[A-Z]{3}", sector) else "")
        out.append(GoldActor(at, code, pos if pos >= 0 else None))
    return out


def read_plover(path: str | Path) -> list[GoldItem]:
    """PLOVER GSR records, merged per distinct text (one item may hold several events)."""
    try:
        records = json.loads(Path(path).read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a PLOVER JSON array ({exc})") from exc
    items: dict[str, GoldItem] = {}
    for r in records:
        if r.get("event") in (None, "DOCUMENT") or not r.get("text"):
            continue
        text = str(r["text"])
        item = items.setdefault(text_key(text), GoldItem(str(r["id"]), text, r.get("date")))
        info = r.get("textInfo") or {}
        markup = str(info.get("markup") or "") if isinstance(info, dict) else str(info)
        triggers = [m.group(2).strip() for m in _MARK.finditer(markup) if m.group(1) == "EVT"]
        item.events.append({
            "type": str(r["event"]).upper(), "mode": r.get("mode") or None,
            "context": r.get("context") or None, "triggers": triggers,
            "sources": _actor_list(r.get("source"), text),
            "targets": _actor_list(r.get("target"), text),
        })
    return list(items.values())


def read_conflibert_class(path: str | Path) -> list[GoldItem]:
    """``sentence TAB label`` lines; duplicate texts keep their first label."""
    items: dict[str, GoldItem] = {}
    for n, line in enumerate(Path(path).read_text("utf-8").splitlines()):
        if not line.strip():
            continue
        text, _, label = line.rpartition("\t")
        if not text or not label.strip().isdigit():
            raise InputError(f"{path}:{n + 1}: expected 'sentence<TAB>label'")
        items.setdefault(text_key(text), GoldItem(f"cls-{n}", text, penta=int(label)))
    return list(items.values())


def _bio_sentences(path: Path) -> Iterator[list[tuple[str, str]]]:
    sent: list[tuple[str, str]] = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            if sent:
                yield sent
            sent = []
            continue
        tok, _, tag = line.rpartition("\t") if "\t" in line else line.rpartition(" ")
        sent.append((tok, tag.strip() or "O"))
    if sent:
        yield sent


def read_conflibert_ner(path: str | Path) -> list[GoldItem]:
    """Token-tagged sentences, joined with single spaces; spans are character offsets."""
    items: dict[str, GoldItem] = {}
    for n, toks in enumerate(_bio_sentences(Path(path))):
        text = ""
        spans: dict[str, list[tuple[int, int]]] = {"source": [], "target": []}
        cur: tuple[str, int, int] | None = None
        for tok, tag in toks + [("", "O")]:
            start = len(text) + (1 if text else 0)
            kind = tag[2:] if tag[:2] in ("B-", "I-") else ""
            if cur and (tag.startswith("B-") or kind != cur[0]):
                roles = {"S": ["source"], "T": ["target"], "R": ["source", "target"]}[cur[0]]
                for role in roles:
                    spans[role].append((cur[1], cur[2]))
                cur = None
            if tok:
                text = f"{text} {tok}" if text else tok
            if kind in ("S", "T", "R"):
                cur = (kind, cur[1] if cur else start, len(text))
        items.setdefault(text_key(text), GoldItem(f"ner-{n}", text, spans=spans))
    return list(items.values())


_SENT = re.compile(r"<Sentence\b([^>]*)>(.*?)</Sentence>", re.DOTALL)
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')


def read_petrarch(path: str | Path) -> list[GoldItem]:
    """PETRARCH unit-test records: expected (source, target, CAMEO code) triples."""
    raw = Path(path).read_text("utf-8")
    raw = re.sub(r"<!--.*?-->", "", raw, flags=re.DOTALL)
    out: list[GoldItem] = []
    for attrs, body in _SENT.findall(raw):
        a = dict(_ATTR.findall(attrs))
        m = re.search(r"<Text>(.*?)</Text>", body, re.DOTALL)
        if m is None:
            continue
        text = " ".join(m.group(1).split())
        events = []
        for ec in re.findall(r"<EventCoding\b([^>]*)>", body):
            e = dict(_ATTR.findall(ec))
            if "eventcode" in e:
                events.append({"source": e.get("sourcecode", ""), "target": e.get("targetcode", ""),
                               "cameo": e["eventcode"]})
        d = a.get("date", "")
        date = f"{d[:4]}-{d[4:6]}-{d[6:8]}" if re.fullmatch(r"\d{8}", d) else None
        out.append(GoldItem(a.get("id", f"petr-{len(out)}"), text, date, events))
    return out


READERS = {
    "plover": read_plover,
    "conflibert-class": read_conflibert_class,
    "conflibert-ner": read_conflibert_ner,
    "petrarch": read_petrarch,
}


def read_gold(path: str | Path, fmt: str) -> list[GoldItem]:
    """Read a gold file in one of :data:`READERS`' formats."""
    if fmt not in READERS:
        raise ValueError(f"unknown gold format {fmt!r}; expected one of {sorted(READERS)}")
    if not Path(path).exists():
        raise InputError(f"gold file not found: {path}", code="E111")
    return READERS[fmt](path)
