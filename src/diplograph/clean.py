"""Clean: one RawDocument -> Article | IngestError (the second stage of ``ingest``).

:func:`clean` takes the main text (trafilatura for HTML, favouring precision), strips
navigation/footer boilerplate (:func:`strip_boilerplate`), recovers the metadata and checks
the language (:func:`english_ratio`). Bad input never raises: it becomes an
:class:`IngestError` with a code from ``errors.py`` and a one-line reason.

Metadata precedence, per field: sidecar > JSONL field > a header block at the top of a
plain text (:func:`split_header`: "Title: ...", "Date: ...", or the same between ``---``
lines, as exports and Markdown front matter write it) > HTML metadata > the text itself
(a headline line, a date line or wire dateline near the top, a "Published:" label, a
byline, a copyright line, a "More from The Post" heading of the related links) > for the
outlet, a reprint credit naming the outlet that reprints the text ("X reprints the
article") > the URL's domain (outlet only). A date is never guessed
from the clock: with no stated date, ``published`` is None and ``published_source``
is ``"unknown"``. Dates before 1900 or after tomorrow are rejected (:func:`parse_date`).
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

from .dedup import reprint_statement, reprinting_outlet
from .errors import E_EMPTY, E_LANGUAGE, E_NO_TEXT
from .model import Article, IngestError, RawDocument, content_id
from .settings import Settings

log = logging.getLogger(__name__)

META_FIELDS = ("title", "outlet", "author", "published", "url")

_MONTH_NAMES = (
    "january/jan february/feb march/mar april/apr may june/jun july/jul august/aug "
    "september/sep/sept october/oct november/nov december/dec"
)
_MONTHS = {name: i + 1 for i, names in enumerate(_MONTH_NAMES.split()) for name in names.split("/")}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(
        r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r",?\s+(?P<y>\d{4})\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b", re.IGNORECASE
    ),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"),
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?!\d)"),
]
_DATE_LABEL = re.compile(
    r"^\W*(?:published|posted|date|created|first published|publication date)(?:\s+on)?\s*[:\-]?\s",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(r"\b(?:updated|modified|last edited)\b", re.IGNORECASE)
# Tokens a line may hold besides the date and still be a "date line".
_DATE_LINE_REST = re.compile(
    r"\b(?:published|posted|updated|modified|last|date|created|first|on|at|am|pm|gmt|utc|"
    r"(?-i:[A-Z]{1,4}T)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b|\d{1,2}:\d{2}(?::\d{2})?|[+-]\d{2}:?\d{2}"
    r"|[^\w]",
    re.IGNORECASE,
)
_WIRE = re.compile(
    r"^[A-Z][A-Z .'/-]{1,40},\s*(?P<date>[^()\-–—]{4,40}?)\s*(?:\((?P<agency>[\w .&'-]+)\))?\s*[-–—]"
)
_BYLINE = re.compile(
    r"^(?:by|written by|author:?)\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s*$",
    re.IGNORECASE,
)
_PUBLICATION = re.compile(
    r"^publication:\s*(?P<name>.+?)(?:\s+volume:.*|\s+issue:.*)?$", re.IGNORECASE
)
_COPYRIGHT = re.compile(
    r"^(?:(?P<a>[\w .&'-]{2,40}?)\s*(?:©|\(c\))\s*(?:19|20)\d{2}"
    r"|(?:©|\(c\))\s*(?:19|20)\d{2}\s+(?P<b>[\w .&'-]{2,40}?))\W*$",
    re.IGNORECASE,
)
# "More from The Post": a related-links heading that names the outlet, unless it names a
# section or a person.
_MORE_FROM = re.compile(
    r"^\W*(?i:more from)\s+(?P<name>(?:[Tt]he\s+)?[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,3})\W*$"
)
_SECTIONS = frozenset(
    """world europe asia africa americas politics business opinion sport sports culture tech
    technology science health markets economy news video videos this author the author
    author our partners partners around the web the web this section home region
    """.split()  # noqa: SIM905
) | {"this author", "our partners", "around the web", "the web", "this section", "the author"}

# Web chrome: phrases that mark a short line as navigation, sharing, legal or promo text.
_CHROME = re.compile(
    r"©|\(c\)\s*(?:19|20)\d{2}|copyright|all rights reserved|cookie|privacy policy|terms of "
    r"(?:use|service)|hyperlink|without (?:prior )?(?:written )?permission"
    r"|social (?:media|networks)|click here|what are you looking for|download (?:our|the) app"
    r"|app ?store|google play|play market|skip to (?:main )?content|enable javascript|your browser|liked the story|"
    r"views?:\s*\d+|^\W*(?:share (?:on|this|it|via)|follow us|subscribe|sign (?:in|up)|"
    r"log ?(?:in|out)|leave a (?:review|comment|reply)|\d* ?comments?\W*(?:\(\d+\))?$|"
    r"(?:share|advertisement|sponsored(?: content)?|search|menu|home|print|loading|related|"
    r"recommended(?: for you)?|promoted(?: stories| content)?)\W*$|copy link|read (?:more|also|"
    r"next)|also read|related (?:articles|stories|news|posts)|more from|you may also like|"
    r"most (?:read|popular)|latest (?:news|stories)|news ?line|tags?:|see also)",
    re.IGNORECASE,
)
# Lines inside the body that are always chrome, whatever their neighbours.
_INLINE = re.compile(
    r"^\W*(?:advertisement|story continues below(?: advertisement)?|read (?:more|also)\b.*|also "
    r"read\b.*|related(?: articles?| stories| news)?\s*:.*|share (?:this|on)\b.*|click here\b.*|"
    r"subscribe to\b.*)$",
    re.IGNORECASE,
)
# Markers after which the rest of a page is related links / promotion.
_CUT = re.compile(
    r"^\W*(?:more from\b|related(?: articles| stories| news| posts| coverage)?\W*$|read (?:more|"
    r"also|next)\b|you may also like|recommended(?: for you| stories| articles)?\W*$|promoted "
    r"stories|most (?:read|popular)|latest (?:news|stories)|see also\b|also read\b|news ?line\W*$)",
    re.IGNORECASE,
)
_TERMINAL = ".!?\"”’'»)]…:;"
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_ENGLISH = frozenset(  # common English function words
    """
    the of and to a in is that for it with as was on be by at this are from or an which but
    not have has had were been their they its will would he she his her we you also than
    there these who more after about into over said says such other what when while can
    could should may between our them those against during
    """.split()  # noqa: SIM905
)


# A plain text's header block: "Key: value" lines at the very top, before a blank line.
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z _-]{0,24}?)\s*:\s*(?P<value>.*?)\s*$")
_HEADER_KEYS = {
    "title": "title", "headline": "title",
    "outlet": "outlet", "source": "outlet", "publication": "outlet", "publisher": "outlet",
    "site": "outlet", "site name": "outlet", "sitename": "outlet", "newspaper": "outlet",
    "date": "published", "published": "published", "publication date": "published",
    "pubdate": "published", "date published": "published", "load date": None,
    "author": "author", "authors": "author", "byline": "author", "by": "author",
    "url": "url", "link": "url",
    "language": None, "section": None, "length": None, "words": None, "word count": None,
    "tags": None, "keywords": None, "copyright": None, "type": None, "category": None,
}  # fmt: skip


def split_header(text: str) -> tuple[dict[str, str], str]:
    """A plain text's header block as metadata, and the text without it.

    The block is the text's first lines, up to a blank line, when each is "Key: value"
    with a known key (title/headline, outlet/source/publication, date/published,
    author/byline, url, and a few ignored ones such as section or language) and at
    least two name a metadata field; or any such lines between a first ``---`` line and
    the next (front matter). Anything else is left alone: ``({}, text)``.
    """
    lines = text.lstrip("\ufeff").split("\n")
    start = next((i for i, ln in enumerate(lines) if ln.strip()), len(lines))
    fenced = start < len(lines) and lines[start].strip() == "---"
    i = start + 1 if fenced else start
    meta: dict[str, str] = {}
    fields = 0
    while i < len(lines):
        line = lines[i].strip()
        if fenced and line == "---" or not fenced and not line:
            break
        m = _HEADER_LINE.match(line)
        key = m.group("key").strip().lower() if m else ""
        if not m or (key not in _HEADER_KEYS and not fenced):
            return {}, text
        field = _HEADER_KEYS.get(key)
        value = m.group("value").strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]  # a quoted value ("..."), not a title that opens with a quote
        if field and value and field not in meta:
            meta[field] = value
            fields += 1
        i += 1
    if fenced and (i >= len(lines) or not fields) or not fenced and fields < 2:
        return {}, text
    return meta, "\n".join(lines[i + 1 if fenced else i :]).strip("\n")


def _words(line: str) -> int:
    return len(line.split())


def _is_prose(line: str) -> bool:
    n = _words(line)
    return n >= 25 or (n >= 10 and line.rstrip()[-1] in _TERMINAL)


def _is_headline(line: str) -> bool:
    """One short unpunctuated sentence: ends without a full stop, no inner sentence break."""
    ending = line.rstrip("\"”’'» ")
    return (
        len(line) <= 250
        and 2 <= _words(line) <= 30
        and ending[-1:] not in {".", ":", ";", ","}
        and not re.search(r"[.!?]\s+[A-Z]", ending)
    )


def _is_chrome(line: str) -> bool:
    return _words(line) <= 20 and bool(_CHROME.search(line)) or not re.search(
        r"[^\W\d_]{2}", line) or _is_menu(line)


def _is_menu(line: str) -> bool:
    """A navigation bar written out as one line: three or more short items between bars or
    bullets ("Home | Politics | World | Opinion | Contact us")."""
    if line.rstrip()[-1:] in _TERMINAL:  # a sentence, not a menu
        return False
    items = [p.strip() for p in re.split(r"\s[|•·]\s", line)]
    return len(items) >= 3 and all(0 < _words(p) <= 4 for p in items)


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        value = date(y, m, d)
    except ValueError:
        return None
    if value.year < 1900 or value > date.today() + timedelta(days=1):
        return None
    return value.isoformat()


def _match_date(text: str) -> tuple[str | None, re.Match[str] | None]:
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            y = int(g["y"])
            if g.get("mon"):
                month = _MONTHS[g["mon"].lower().rstrip(".")]
            elif g.get("a"):  # d/m/y vs m/d/y: only when unambiguous
                a, b = int(g["a"]), int(g["b"])
                if a <= 12 and b <= 12 and a != b:
                    continue
                month, g["d"] = (b, g["a"]) if a > 12 else (a, g["b"])
            else:
                month = int(g["m"])
            iso = _valid(y, month, int(g["d"]))
            if iso:
                return iso, m
    return None, None


def parse_date(value: str | None) -> str | None:
    """An ISO ``YYYY-MM-DD`` from a stated date string, or None (never today's date)."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d{8}", value):
        return _valid(int(value[:4]), int(value[4:6]), int(value[6:]))
    return _match_date(value)[0]


def _date_line(line: str) -> str | None:
    """The date of a line that states only a date (plus labels, weekday, time)."""
    if len(line) > 200:  # date lines are short; keeps huge one-line inputs fast
        return None
    iso, m = _match_date(line)
    if iso is None or m is None:
        return None
    if _DATE_LABEL.match(line) and _words(line) <= 16:  # "Published: <date> | Updated: ..."
        return iso
    rest = _DATE_LINE_REST.sub(" ", line[: m.start()] + " " + line[m.end() :])
    return iso if not rest.strip() else None


def strip_boilerplate(text: str) -> tuple[str, list[str]]:
    """Remove web chrome around an article's text; return (clean text, removed lines).

    Leading block (before the first prose line): menu runs of short lines, a menu written
    on one line ("Home | Politics | World"; also anywhere as chrome), sharing,
    search, legal and app-store lines go; headline, subtitle, byline and date lines stay.
    Body: stand-alone "Advertisement"/"Read more"-style lines go. Tail: everything from a
    "More from"/"Related"-style marker in the second half, then trailing short,
    unpunctuated or chrome lines.
    """
    out, removed, _ = _strip(text)
    return out, removed


def _strip(text: str) -> tuple[str, list[str], int]:
    """:func:`strip_boilerplate`, also counting the lines removed above the body."""
    lines = [ln.replace("\u00a0", " ").rstrip() for ln in text.splitlines()]
    removed: list[str] = []
    first = next((i for i, ln in enumerate(lines) if _is_prose(ln)), min(len(lines), 40))
    keep: list[str] = []
    head = [(i, ln.strip()) for i, ln in enumerate(lines[:first]) if ln.strip()]

    def short(s: str) -> bool:
        return (_words(s) <= 3 and len(s) <= 30 and not _date_line(s)) or _is_chrome(s)

    for k, (_, line) in enumerate(head):
        prev_short = k > 0 and short(head[k - 1][1])
        next_short = k + 1 < len(head) and short(head[k + 1][1])
        menu_like = line.islower() or line.isupper() or not line[0].isalpha()
        title_case = all(w[:1].isupper() for w in line.split())
        in_run = (prev_short or next_short) and title_case
        if _is_chrome(line) or short(line) and (in_run or menu_like):
            removed.append(line)
        elif line not in keep[-2:]:  # a headline repeated as the first body line
            keep.extend([line, ""])
    head_removed = len(removed)
    body = lines[first:]
    total = sum(len(ln) + 1 for ln in body)
    pos = 0
    for j, line in enumerate(body):
        if pos > total / 2 and _CUT.match(line.strip()) and _words(line) <= 8:
            removed.extend(ln.strip() for ln in body[j:] if ln.strip())
            body = body[:j]
            break
        pos += len(line) + 1
    end = len(body)
    while end > 0:
        line = body[end - 1].strip()
        unpunctuated = bool(line) and line[-1] not in _TERMINAL and _words(line) <= 20
        if line and not (_is_chrome(line) or unpunctuated):
            break
        if line:
            removed.append(line)
        end -= 1
    for line in body[:end]:
        if _INLINE.match(line.strip()) and _words(line) <= 15:
            removed.append(line.strip())
        else:
            keep.append(line)
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(keep)).strip()
    return out, removed, head_removed


def english_ratio(text: str) -> float:
    """Share of word tokens that are common English function words (0-1)."""
    tokens = [t.lower() for t in _WORD.findall(text) if not t.isdigit()]
    return sum(t in _ENGLISH for t in tokens) / len(tokens) if tokens else 0.0


def _text_metadata(text: str, removed: list[str], page_chrome: bool) -> dict[str, str]:
    """Title, date, author and outlet stated in a cleaned text (and its removed chrome).

    Date lines *above* the headline are used only when the text had no navigation
    chrome on top: on web pages they are usually the site's "today" banner.
    """
    meta: dict[str, str] = {}
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    start = 0
    while start < min(2, len(lines)) and _date_line(lines[start]):
        start += 1
    head = lines[start] if start + 1 < len(lines) else ""
    if _is_headline(head) and not _date_line(head) and not _BYLINE.match(head):
        meta["title"] = head
        if not page_chrome and start and (iso := _date_line(lines[0])):
            meta.update(published=iso, published_source="dateline")
        start += 1
    else:
        start = 0
    updated: str | None = None
    agency: str | None = None
    for line in lines[start : start + 8]:
        iso = _date_line(line)
        wire = _WIRE.match(line[:120])
        if wire and wire.group("agency") and agency is None:
            agency = wire.group("agency").strip()  # "ATHENS, March 3 (Aegean News) -"
        if iso and _UPDATED_LABEL.search(line) and not _DATE_LABEL.match(line):
            updated = updated or iso
        elif iso or wire and (iso := parse_date(wire.group("date"))):
            meta.setdefault("published", iso)
            meta.setdefault("published_source", "dateline")
        if (m := _BYLINE.match(line)) and "author" not in meta:
            meta["author"] = m.group("name")
        if (m := _PUBLICATION.match(line)) and "outlet" not in meta:
            meta["outlet"] = m.group("name").strip()
    if "published" not in meta:
        for line in removed + lines[-5:]:
            if _DATE_LABEL.match(line) and (iso := _date_line(line)):
                meta.update(published=iso, published_source="text")
                break
    if "published" not in meta and updated:
        meta.update(published=updated, published_source="dateline")
    for line in removed + lines[:8]:
        if "outlet" not in meta and (m := _COPYRIGHT.match(line)):
            meta["outlet"] = (m.group("a") or m.group("b")).strip(" .")
    for line in removed:  # the related-links block: "More from The Post"
        m = _MORE_FROM.match(line)
        if "outlet" not in meta and m and m.group("name").lower() not in _SECTIONS:
            meta["outlet"] = m.group("name")
    if "outlet" not in meta and agency and not agency[0].isdigit():
        meta["outlet"] = agency  # the wire dateline's agency, when nothing else names one
    return meta


def _html_main(html: str, url: str | None) -> tuple[str | None, dict[str, str]]:
    """Main text and metadata of an HTML page via trafilatura (precision mode)."""
    import trafilatura  # heavy import, deferred until HTML is seen

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            date_extraction_params={
                "original_date": True,
                "extensive_search": False,
                "max_date": (date.today() + timedelta(days=1)).isoformat(),
            },
        )
    except Exception as exc:  # noqa: BLE001 - a parser crash on hostile HTML is bad data
        log.warning("trafilatura failed on %s: %s", url or "document", exc)
        return None, {}
    if doc is None:
        return None, {}
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    meta = {
        "title": data.get("title"),
        "author": data.get("author"),
        "outlet": data.get("sitename"),
        "published": data.get("date"),
        "url": data.get("url"),
    }
    return data.get("text"), {k: str(v).strip() for k, v in meta.items() if v}


def _domain(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def clean(raw: RawDocument, settings: Settings) -> Article | IngestError:
    """Clean one RawDocument into an Article, or explain why not (IngestError)."""
    html_meta: dict[str, str] = {}
    header: dict[str, str] = {}
    if raw.text is not None and raw.text.strip():
        header, body = split_header(raw.text)
    elif raw.html is not None and raw.html.strip():
        extracted, html_meta = _html_main(raw.html, raw.url or raw.sidecar.get("url"))
        if not extracted or not extracted.strip():
            return IngestError(raw.origin, E_NO_TEXT, "no article text found in the HTML")
        body = extracted
    else:
        return IngestError(raw.origin, E_EMPTY, "empty input")
    text, removed, head_removed = _strip(body)
    if not text:
        return IngestError(raw.origin, E_NO_TEXT, "nothing but navigation/boilerplate")
    words = len(_WORD.findall(text))
    if words < settings.min_words:
        return IngestError(
            raw.origin, E_NO_TEXT, f"only {words} words (min_words={settings.min_words})"
        )
    ratio = english_ratio(text)
    if ratio < settings.min_english_ratio:
        return IngestError(
            raw.origin,
            E_LANGUAGE,
            f"not English (function-word ratio {ratio:.2f} < {settings.min_english_ratio})",
        )
    text_meta = _text_metadata(text, removed, page_chrome=head_removed > 0)
    own = {k: getattr(raw, k) for k in META_FIELDS if getattr(raw, k)}
    own_source = "jsonl" if raw.kind == "jsonl" else "metadata"
    layers = [
        (raw.sidecar, "sidecar"),
        (own, own_source),
        (header, "metadata"),
        (html_meta, "metadata"),
        (text_meta, None),
    ]

    def pick(name: str) -> str | None:
        return next((lay[name] for lay, _ in layers if lay.get(name)), None)

    published, source = None, "unknown"
    for layer, label in layers:
        iso = parse_date(layer.get("published"))
        if iso:
            published, source = iso, label or layer.get("published_source", "text")
            break
        if layer.get("published"):
            log.info("%s: ignoring unusable date %r", raw.origin, layer["published"])
    url = pick("url") or raw.url
    return Article(
        id=content_id(text),
        text=text,
        title=pick("title"),
        outlet=pick("outlet") or reprinting_outlet(text) or _domain(url),
        author=pick("author"),
        published=published,
        published_source=source,
        origin=raw.origin,
        url=url,
        lang="en",
        word_count=words,
        reprinted_from=pick("reprinted_from") or reprint_statement(text),
    )


__all__ = [
    "META_FIELDS", "clean", "english_ratio", "parse_date", "split_header", "strip_boilerplate",
]
