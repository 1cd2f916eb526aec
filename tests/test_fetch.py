"""Tests for fetch.py against a real HTTP server on 127.0.0.1 (no network needed)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from diplograph import errors
from diplograph.errors import InputError
from diplograph.fetch import Response, decode_bytes, fetch, sniff_binary
from diplograph.ingest import ingest
from diplograph.model import Article, IngestError, RawDocument
from diplograph.settings import Settings

ARTICLE = (
    b"<html><head><meta charset='utf-8'><title>Dam talks</title>"
    b"<meta property='og:site_name' content='Valley Post'></head><body>"
    b"<nav><a href='/'>Home</a> <a href='/login'>Login</a></nav><article><h1>Dam talks</h1>"
    b"<p>Water ministers from three upstream and downstream states met on Wednesday to "
    b"discuss how the new dam will be filled without cutting the river flow during the "
    b"dry season, and they agreed to share gauge readings every day.</p>"
    b"<p>Engineers will present a filling schedule at the next meeting in the capital, "
    b"officials said after the talks, which both sides called frank and useful.</p>"
    b"</article></body></html>"
)
SETTINGS = replace(
    Settings(), fetch_timeout=1.0, max_bytes=50_000, user_agent="diplograph-test/9 (+contact)"
)


class Handler(BaseHTTPRequestHandler):
    """Routes for the tests; records the User-Agent of every request."""

    seen_agents: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, ctype: str | None, body: bytes, length: bool = True) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path == "/article":
            self._send(200, "text/html; charset=utf-8", ARTICLE)
        elif path == "/plain":
            self._send(200, "text/plain", b"Plain text body " * 10)
        elif path == "/latin":
            body = "Caf\u00e9 diplomacy between the neighbours continued.".encode("latin-1")
            self._send(200, "text/html; charset=iso-8859-1", b"<p>" + body + b"</p>")
        elif path == "/missing":
            self._send(404, "text/html", b"<h1>Not found</h1>")
        elif path == "/doc.pdf":
            self._send(200, "application/pdf", b"%PDF-1.4 fake")
        elif path == "/pdf-as-html":
            self._send(200, "text/html", b"%PDF-1.4\n\x00\x01binary")
        elif path == "/big":  # declared length over the cap
            self._send(200, "text/html", b"<p>" + b"x" * 60_000 + b"</p>")
        elif path == "/big-stream":  # no Content-Length: the cap must hold while streaming
            self._send(200, "text/html", b"<p>" + b"y" * 200_000 + b"</p>", length=False)
        elif path == "/slow":
            time.sleep(3)
            self._send(200, "text/html", ARTICLE)
        elif path == "/trickle":  # bytes keep coming, but too slowly overall
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(12):
                self.wfile.write(b"<p>drip</p>" * 10)
                self.wfile.flush()
                time.sleep(0.25)
        elif path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
        elif path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(path)}")
            self.end_headers()
        elif path == "/to-ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/file")
            self.end_headers()
        else:
            self._send(500, "text/plain", b"no such route")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that gave up (timeouts, size caps) close the socket early


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_html_article_is_fetched_and_cleaned(base_url: str) -> None:
    raw = fetch(f"{base_url}/article", SETTINGS)
    assert isinstance(raw, RawDocument) and raw.kind == "url" and raw.html
    (art,) = list(ingest([f"{base_url}/article"], SETTINGS))
    assert isinstance(art, Article)
    assert "Water ministers" in art.text and "Login" not in art.text
    assert art.url == f"{base_url}/article" and art.outlet == "Valley Post"


def test_user_agent_is_sent(base_url: str) -> None:
    Handler.seen_agents.clear()
    fetch(f"{base_url}/article", SETTINGS)
    assert Handler.seen_agents == [SETTINGS.user_agent]


def test_plain_text_and_declared_charset(base_url: str) -> None:
    plain = fetch(f"{base_url}/plain", SETTINGS)
    assert isinstance(plain, RawDocument) and plain.text and plain.html is None
    latin = fetch(f"{base_url}/latin", SETTINGS)
    assert isinstance(latin, RawDocument) and "Café" in (latin.html or "")


@pytest.mark.parametrize(
    ("path", "code", "reason_part"),
    [
        ("/missing", errors.E_FETCH, "404"),
        ("/doc.pdf", errors.E_CONTENT_TYPE, "application/pdf"),
        ("/pdf-as-html", errors.E_BINARY, "PDF"),
        ("/big", errors.E_TOO_LARGE, "max_bytes"),
        ("/big-stream", errors.E_TOO_LARGE, "max_bytes"),
        ("/loop", errors.E_FETCH, "30"),
        ("/to-ftp", errors.E_FETCH, "30"),
    ],
)
def test_bad_responses(base_url: str, path: str, code: str, reason_part: str) -> None:
    err = fetch(base_url + path, SETTINGS)
    assert isinstance(err, IngestError)
    assert (err.code, err.origin) == (code, base_url + path)
    assert reason_part in err.reason


def test_redirect_is_followed(base_url: str) -> None:
    raw = fetch(f"{base_url}/redirect", SETTINGS)
    assert isinstance(raw, RawDocument)
    assert raw.url == f"{base_url}/article" and raw.origin == f"{base_url}/redirect"


@pytest.mark.parametrize("path", ["/slow", "/trickle"])
def test_timeouts(base_url: str, path: str) -> None:
    start = time.monotonic()
    err = fetch(base_url + path, SETTINGS)
    elapsed = time.monotonic() - start
    assert isinstance(err, IngestError) and err.code == errors.E_FETCH
    assert "timed out" in err.reason
    assert elapsed < 2.5  # fetch_timeout is 1s; the endpoints would take ~3s


def test_refused_connection_and_bad_scheme() -> None:
    err = fetch("http://127.0.0.1:9/nothing", SETTINGS)  # discard port: nobody listens
    assert isinstance(err, IngestError) and err.code == errors.E_FETCH
    err = fetch("file:///etc/passwd", SETTINGS)
    assert isinstance(err, IngestError) and err.code == errors.E_FETCH


class RecordingTransport:
    """A second Transport implementation: canned responses, records what it was asked."""

    def __init__(self, response: Response) -> None:
        self.response = response
        self.calls: list[tuple[str, Mapping[str, str], float, int]] = []

    def get(
        self, url: str, *, headers: Mapping[str, str], timeout: float, max_bytes: int
    ) -> Response:
        self.calls.append((url, headers, timeout, max_bytes))
        return self.response


def test_transport_is_swappable() -> None:
    transport = RecordingTransport(
        Response("https://x.test/a", 200, {"content-type": "text/html"}, ARTICLE)
    )
    out = list(ingest(["https://x.test/a"], SETTINGS, transport=transport))
    assert isinstance(out[0], Article) and out[0].outlet == "Valley Post"
    ((url, headers, timeout, max_bytes),) = transport.calls
    assert (url, headers["User-Agent"], timeout, max_bytes) == (
        "https://x.test/a",
        SETTINGS.user_agent,
        SETTINGS.fetch_timeout,
        SETTINGS.max_bytes,
    )


def test_sniff_and_decode_helpers() -> None:
    assert sniff_binary(b"\x89PNG\r\n") == "PNG"
    assert sniff_binary("text".encode("utf-16")) is None  # NULs after a BOM are text
    assert decode_bytes("naïve".encode("utf-16")) == "naïve"
    assert decode_bytes("Ωmega".encode("iso-8859-7"), "iso-8859-7") == "Ωmega"
    with pytest.raises(InputError) as info:
        decode_bytes(b"\x01\x02 control bytes \xff")
    assert info.value.code == errors.E_ENCODING
