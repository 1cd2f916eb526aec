"""Getting bytes into text: HTTP fetching behind a tiny transport, and byte decoding.

``fetch(url, settings)`` turns one ``http(s)://`` URL into a :class:`RawDocument`, or an
:class:`IngestError` when the page cannot be used. It never raises on bad data. The HTTP
call itself sits behind :class:`Transport` (one method, ``get``) so tests and other
front ends can swap it; the default :class:`UrllibTransport` uses only the standard
library: a total time limit, a size cap enforced while streaming, a limited number of
redirects (http/https only) and a polite User-Agent.

The byte helpers (:func:`sniff_binary`, :func:`decode_bytes`) are shared with
``ingest.py``. Decoding policy (documented in one place):

1. a byte-order mark decides (UTF-8/16/32);
2. else strict UTF-8;
3. else a declared charset (HTTP ``Content-Type`` or HTML ``<meta charset>``);
4. else cp1252 (a superset of printable latin-1), only when the bytes are confidently
   text: no control characters, no byte undefined in cp1252, at most 10% non-ASCII
   bytes, and not UTF-8 with a few corrupt bytes (that is reported as E103 instead,
   since decoding it as cp1252 would produce mojibake);
5. else E103 with the offset of the first undecodable byte.
"""

from __future__ import annotations

import codecs
import logging
import re
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from .errors import (
    E_BINARY,
    E_CONTENT_TYPE,
    E_EMPTY,
    E_ENCODING,
    E_FETCH,
    E_TOO_LARGE,
    InputError,
)
from .model import IngestError, RawDocument
from .settings import Settings

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
MAX_REDIRECTS = 5
_CHUNK = 65_536

# File signatures of formats that are never article text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"\x89PNG", "PNG"),
    (b"GIF8", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh9", "bzip2"),
    (b"\xfd7zXZ", "xz"),
    (b"7z\xbc\xaf", "7z"),
    (b"\x7fELF", "ELF"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg"),
    (b"\xd0\xcf\x11\xe0", "OLE/MS Office"),
    (b"SQLite format 3", "SQLite"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# --------------------------------------------------------------------------- bytes


def _bom_codec(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of ``data`` (magic number or NUL bytes), or None for text."""
    if _bom_codec(data) in {"utf-16", "utf-32"}:
        return None  # NUL bytes are normal in UTF-16/32 text with a BOM
    head = data[:8192]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if b"\x00" in head:
        return "binary (NUL bytes)"
    return None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset declared by an HTTP Content-Type header or an HTML ``<meta>`` tag."""
    if content_type and (header := _HEADER_CHARSET.search(content_type)):
        return header.group(1)
    meta = _META_CHARSET.search(data[:4096])
    return meta.group(1).decode("ascii", "ignore") if meta else None


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode input bytes to text following the module's policy; raise InputError E103."""
    bom = _bom_codec(data)
    if bom:
        try:
            return data.decode(bom)
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid {bom} text at byte {exc.start}", code=E_ENCODING) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    codec = _known_codec(declared)
    if codec and codec != "utf-8":
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            log.debug("declared charset %s does not decode the input", codec)
    high = sum(1 for b in data if b > 0x7F)
    if not _CONTROL.search(data) and high <= 0.10 * len(data):
        # Valid multi-byte UTF-8 next to the bad byte means corrupt UTF-8, not cp1252.
        replaced = data.decode("utf-8", errors="replace")
        if not any(ord(ch) > 0x7F and ch != "\ufffd" for ch in replaced):
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
    raise InputError(
        f"not valid UTF-8 (bad byte at offset {utf8_error.start}) and no usable declared "
        f"charset{f' ({declared})' if declared else ''}",
        code=E_ENCODING,
    )


# --------------------------------------------------------------------------- transport


@dataclass(frozen=True)
class Response:
    """What a transport hands back: final URL, status, lower-cased headers, body bytes."""

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    too_large: bool = False  # the body was cut off at the size cap


class Transport(Protocol):
    """The one HTTP call diplograph makes; swap it for tests or another client."""

    def get(
        self, url: str, *, headers: Mapping[str, str], timeout: float, max_bytes: int
    ) -> Response:
        """GET ``url``; raise :class:`InputError` (E107) on network failure or timeout."""
        ...


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirect handler, limited in number and to http/https targets."""

    def __init__(self, max_redirects: int) -> None:
        super().__init__()
        self.max_redirections = max_redirects  # type: ignore[misc]  # per-instance limit

    def redirect_request(  # type: ignore[no-untyped-def]
        self, req, fp, code, msg, headers, newurl
    ):
        if urlsplit(newurl).scheme not in {"http", "https"}:
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-http URL", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class UrllibTransport:
    """Standard-library transport: total deadline, streamed size cap, limited redirects."""

    def __init__(self, max_redirects: int = MAX_REDIRECTS) -> None:
        self._opener = urllib.request.build_opener(_LimitedRedirects(max_redirects))

    def get(
        self, url: str, *, headers: Mapping[str, str], timeout: float, max_bytes: int
    ) -> Response:
        deadline = time.monotonic() + timeout
        request = urllib.request.Request(url, headers=dict(headers), method="GET")
        try:
            with self._opener.open(request, timeout=timeout) as resp:
                status = resp.status
                hdrs = {k.lower(): v for k, v in resp.headers.items()}
                final_url = resp.geturl()
                length = hdrs.get("content-length", "")
                if length.isdigit() and int(length) > max_bytes:
                    return Response(final_url, status, hdrs, b"", too_large=True)
                chunks: list[bytes] = []
                size = 0
                while True:
                    if time.monotonic() > deadline:
                        raise InputError(f"timed out after {timeout:g}s", code=E_FETCH)
                    # read1: return what has arrived, so the deadline is checked often
                    chunk = resp.read1(min(_CHUNK, max_bytes + 1 - size))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > max_bytes:
                        return Response(final_url, status, hdrs, b"", too_large=True)
                return Response(final_url, status, hdrs, b"".join(chunks))
        except urllib.error.HTTPError as exc:  # non-2xx, too many or bad redirects
            hdrs = {k.lower(): v for k, v in (exc.headers or {}).items()}
            exc.close()
            return Response(exc.geturl() or url, exc.code, hdrs, b"")
        except urllib.error.URLError as exc:
            raise InputError(f"cannot reach {url}: {exc.reason}", code=E_FETCH) from exc
        except TimeoutError as exc:
            raise InputError(f"timed out after {timeout:g}s", code=E_FETCH) from exc
        except OSError as exc:  # connection reset, TLS failure, ...
            raise InputError(f"network error: {exc}", code=E_FETCH) from exc


# --------------------------------------------------------------------------- fetch


def is_url(source: str) -> bool:
    """True for ``http://`` and ``https://`` sources."""
    return urlsplit(source).scheme.lower() in {"http", "https"}


def fetch(
    url: str, settings: Settings, transport: Transport | None = None
) -> RawDocument | IngestError:
    """Fetch one web page as a RawDocument (kind ``url``), or an IngestError (E10x)."""
    if not is_url(url):
        return IngestError(url, E_FETCH, "only http:// and https:// URLs can be fetched")
    transport = transport or UrllibTransport()
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
    }
    try:
        resp = transport.get(
            url, headers=headers, timeout=settings.fetch_timeout, max_bytes=settings.max_bytes
        )
    except InputError as exc:
        return IngestError(url, exc.code, str(exc.args[0]))
    if not 200 <= resp.status < 300:
        return IngestError(url, E_FETCH, f"HTTP {resp.status}")
    content_type = resp.headers.get("content-type", "")
    mime = content_type.split(";")[0].strip().lower()
    if mime not in HTML_TYPES | TEXT_TYPES:
        return IngestError(url, E_CONTENT_TYPE, f"content type {mime or 'missing'} is not read")
    if resp.too_large:
        return IngestError(url, E_TOO_LARGE, f"body larger than max_bytes={settings.max_bytes}")
    if not resp.body.strip():
        return IngestError(url, E_EMPTY, "empty response body")
    binary = sniff_binary(resp.body)
    if binary:
        return IngestError(url, E_BINARY, f"served {binary} data as {mime}")
    try:
        text = decode_bytes(resp.body, declared_charset(resp.body, content_type))
    except InputError as exc:
        return IngestError(url, exc.code, str(exc.args[0]))
    if mime in HTML_TYPES:
        return RawDocument(origin=url, kind="url", html=text, url=resp.url or url)
    return RawDocument(origin=url, kind="url", text=text, url=resp.url or url)
