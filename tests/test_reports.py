"""The HTML report: self-contained, escaped, linked, with charts and networks."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from diplograph import reports
from diplograph.report_assets.svg import QUAD_COLORS, force_layout
from diplograph.store import Store
from test_queries import HOSTILE_TITLE, HOSTILE_URL, TEXT_1, sample_store


class Tags(HTMLParser):
    """Every start tag with its attributes, plus mark elements with their enclosing link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.marks: list[dict[str, str]] = []
        self._href: str | None = None
        self._mark: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a":
            self._href = attributes.get("href")
        if tag == "mark":
            self._mark = {"title": attributes.get("title") or "", "href": self._href or "",
                          "text": ""}  # fmt: skip

    def handle_data(self, data):
        if self._mark is not None:
            self._mark["text"] += data

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self.marks.append(self._mark)
            self._mark = None
        if tag == "a":
            self._href = None


def parse(doc: str) -> Tags:
    parser = Tags()
    parser.feed(doc)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def rendered():
    store, arts = sample_store()
    doc = reports.render_report(store, title="Test <b>report</b>")
    yield doc, parse(doc), arts
    store.close()


def test_hostile_content_is_escaped(rendered):
    doc, tags, _ = rendered
    names = [t for t, _ in tags.tags]
    assert "script" not in names and "img" not in names and "iframe" not in names
    assert "<script" not in doc.lower() and "<img" not in doc.lower()
    for tag, attrs in tags.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src", "action", "xlink:href"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
    assert 'href="javascript:' not in doc
    # the content is still shown, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Breaking" in doc
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc
    assert unescape(doc).count(HOSTILE_URL) >= 2  # url and origin, shown as text
    assert "&lt;b&gt;Evil&lt;/b&gt;" in doc and "<b>Evil" not in doc


def test_self_contained_with_csp(rendered):
    doc, tags, _ = rendered
    assert doc.startswith("<!DOCTYPE html>")
    csp = [
        a for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp == [{"http-equiv": "Content-Security-Policy", "content": reports.CSP}]
    assert "script-src" not in reports.CSP and "default-src 'none'" in reports.CSP
    assert not [t for t, _ in tags.tags if t in ("link", "script", "iframe", "object", "embed")]
    assert not [a for _, a in tags.tags if "src" in a]  # nothing is loaded from anywhere
    for _, attrs in tags.tags:  # every link is in-page or plain http(s)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#") or re.match(r"^https?://", href), href
    assert "<title>Test &lt;b&gt;report&lt;/b&gt;</title>" in doc


def test_in_page_links_resolve(rendered):
    _, tags, _ = rendered
    internal = {a["href"][1:] for t, a in tags.tags if (a.get("href") or "").startswith("#")}
    assert internal and internal <= tags.ids


def test_mentions_are_highlighted_and_linked_to_actor_rows(rendered):
    doc, tags, arts = rendered
    marks = {(m["text"], m["title"]): m for m in tags.marks}
    hasanov = marks[("Zakir Hasanov", "zakir-hasanov (AZEMIL)")]
    row_id = hasanov["href"][1:]
    assert row_id == reports.anchor("actor", "zakir-hasanov")
    assert re.search(rf'<tr id="{row_id}"><td>zakir-hasanov</td>', doc)
    assert ("John Doe", "?john-doe") in marks
    assert sum(1 for m in tags.marks if m["title"] == "AZE") == 4
    # the highlighted article reads back as its original text
    start = doc.index(f'id="{reports.anchor("article", arts["a1"].id)}"')
    block = doc[doc.index('<div class="text">', start) : doc.index("</div>", start)]
    assert unescape(re.sub(r"<[^>]+>", "", block)) == TEXT_1


def test_article_metadata(rendered):
    doc, _, arts = rendered
    assert '<a href="https://example.org/talks" rel="noopener noreferrer nofollow">' in doc
    reprint_link = f'<a href="#{reports.anchor("article", arts["a1"].id)}">{arts["a1"].id}</a>'
    assert f"{reprint_link} (similarity 0.70)" in doc
    assert "<h3>" + HOSTILE_TITLE not in doc
    assert "<dt>says it reprints</dt><dd>&lt;i&gt;Wire&lt;/i&gt;</dd>" in doc


def test_sections_charts_and_networks(rendered):
    doc, _, _ = rendered
    for sid, _title, _fn in ((s.id, s.title, s.render) for s in reports.DEFAULT_SECTIONS):
        assert f'<section id="{sid}">' in doc
    assert doc.count('<svg class="chart"') == 2  # per outlet, per date
    net = doc[doc.index('<section id="co-mentions">') : doc.index('<section id="events-timeline">')]
    assert net.count("<circle") == 6  # the six mentioned actors
    # same-sentence pairs: ARM+AZE, AZE+NATO, AZE+jens, NATO+jens, ?john-doe+zakir
    assert net.count("<line") == 5
    radii = {m.group(2): float(m.group(1)) for m in re.finditer(
        r'<circle [^>]*r="([\d.]+)"[^>]*><title>[^<]*\(([^,]+), ', net)}  # fmt: skip
    assert radii["AZE"] > radii["?john-doe"]
    timeline = doc[
        doc.index('<section id="events-timeline">') : doc.index('<section id="events-network">')
    ]
    assert f'fill="{QUAD_COLORS[1]}"' in timeline and f'fill="{QUAD_COLORS[3]}"' in timeline
    assert f'fill="{QUAD_COLORS[4]}"' not in timeline  # the only quad-4 event is negated
    assert "1 negated events are left out." in timeline
    enet = doc[
        doc.index('<section id="events-network">') : doc.index('<section id="ingest-errors">')
    ]
    assert enet.count("marker-end=") == 3  # AZE->ARM, ARM->AZE, AZEMIL->?john-doe


def test_report_is_deterministic():
    store, _ = sample_store()
    assert reports.render_report(store) == reports.render_report(store)
    store.close()


def test_empty_store_says_not_run_yet(tmp_path):
    with Store.open(":memory:") as store:
        path = reports.write_report(store, tmp_path / "out" / "r.html")
    doc = path.read_text("utf-8")
    assert doc.count("event extraction has not run yet") == 2
    assert "No articles yet." in doc and "<svg" not in doc


def test_custom_sections_extension_point():
    def claims(store, options):
        rows = store.query("SELECT speaker_text, text FROM claims")
        return reports.table(["speaker", "claim"], [[r["speaker_text"], r["text"]] for r in rows])

    store, _ = sample_store()
    extra = reports.Section("claims", "Claims", claims)
    doc = reports.render_report(store, sections=[*reports.DEFAULT_SECTIONS[:1], extra])
    assert '<section id="claims"><h2>Claims</h2><table>' in doc
    assert "<td>officials</td>" in doc and '<section id="actors">' not in doc
    assert 'href="#claims"' in doc
    store.close()


def test_max_articles_option():
    store, _ = sample_store()
    doc = reports.render_report(store, options=reports.ReportOptions(max_articles=1))
    assert doc.count("<article ") == 1 and "Showing the first 1 of 4 articles." in doc
    store.close()


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a?b=1&c=2", True),
        ("HTTP://EXAMPLE.ORG", True),
        (HOSTILE_URL, False),
        ("JaVaScRiPt:alert(1)", False),
        (" https://example.org", False),
        ('https://example.org/" onmouseover="x', False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("/etc/passwd", False),
    ],
)
def test_link_only_for_http(url, linked):
    out = reports.link(url)
    assert out.startswith("<a ") is linked
    tags = parse(out)
    assert all(not k.startswith("on") for _, a in tags.tags for k in a)
    assert unescape(re.sub(r"<[^>]+>", "", out)) == url


def test_highlight_skips_bad_spans():
    text = "Alpha <b> Beta"
    mentions = [
        {"start_char": 0, "end_char": 5, "actor_id": "A", "code": "A"},
        {"start_char": 2, "end_char": 4, "actor_id": "X", "code": "X"},  # overlaps
        {"start_char": 10, "end_char": 99, "actor_id": "Y", "code": "Y"},  # out of range
        {"start_char": 10, "end_char": 14, "actor_id": '"><x', "code": "Q"},
    ]
    out = reports.highlight(text, mentions, {"A": "state"})
    tags = parse(out)
    assert [(m["text"], m["title"]) for m in tags.marks] == [("Alpha", "A"), ("Beta", '"><x (Q)')]
    assert [t for t, _ in tags.tags] == ["a", "mark", "a", "mark"]
    assert unescape(re.sub(r"<[^>]+>", "", out)) == text


def test_force_layout_is_deterministic_and_in_bounds():
    nodes = [f"n{i}" for i in range(12)]
    edges = [(nodes[i], nodes[(i + 1) % 12], 1.0 + i) for i in range(12)]
    first = force_layout(nodes, edges)
    assert first == force_layout(nodes, edges)
    assert all(0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 for x, y in first.values())
    assert len({(round(x, 3), round(y, 3)) for x, y in first.values()}) == 12
