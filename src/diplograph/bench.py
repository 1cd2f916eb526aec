"""Benchmarks: a synthetic news corpus and the pipeline throughput measurement.

:func:`synthetic_corpus` writes realistic, deterministic articles (600-900 words) from
sentence templates filled with the actor dictionary's names and roles, dates, quotes
and reporting verbs, in the register of the example corpus. :func:`run_bench` ingests
such a corpus into a fresh store, extracts it with the chosen executor, and measures,
in the same run, the spaCy-only ceiling (plain ``nlp.pipe``, same model and process
count) so that ratios stay meaningful on a noisy, shared machine.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import random
import resource
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from .model import Actor, Annotations, RawDocument
from .settings import Settings, load_settings
from .store import Store

log = logging.getLogger(__name__)

GDELT_DAY = 150_000  # articles GDELT processes in a day

# ------------------------------------------------------------------- vocabulary

CITIES = [
    "Baku", "Tbilisi", "Yerevan", "Brussels", "Moscow", "Ankara", "Washington", "Paris",
    "Berlin", "Kyiv", "Tehran", "Astana", "Geneva", "Vienna", "Vilnius", "Warsaw",
]
OUTLETS = [
    "Caspian Ledger", "Black Sea Monitor", "Steppe and Caspian Wire", "Tbilisi Evening Wire",
    "Alpine Policy Review", "Yerevan Dateline", "Danube Courier", "Baltic Signal",
]
AUTHORS = [
    "Farida Mammadli", "Nino Beridze", "Aram Petrosyan", "Claire Dubois", "Tomas Novak",
    "Leyla Aliyeva", "Mark Ellison", "Ana Kvaratskhelia", "Yusuf Demir", "Marta Wolska",
]
TOPICS = [
    "energy security", "border delimitation", "the peace treaty", "military education",
    "gas exports", "the transit corridor", "humanitarian aid", "the ceasefire",
    "regional connectivity", "arms control", "cyber defence", "visa liberalisation",
    "the return of displaced people", "maritime security", "counter-terrorism",
    "the reopening of rail links", "sanctions relief", "troop withdrawals",
]
COOP_VERBS = [
    "praised", "welcomed", "thanked", "met", "hosted", "congratulated", "backed",
    "supported", "received", "consulted",
]
CONFLICT_VERBS = [
    "condemned", "criticised", "accused", "warned", "threatened", "rebuked", "denounced",
    "blamed",
]
INFINITIVES = [
    "cooperate with", "negotiate with", "support", "sanction", "train soldiers for",
    "send aid to", "expand trade with", "resume talks with", "recognise", "help",
]
ACTIONS = [
    "withdraw its forces", "release the detainees", "respect the ceasefire",
    "return to the negotiating table", "reopen the border crossing", "lift the blockade",
    "ratify the agreement", "investigate the incident",
]
QUOTES = [
    "Our partnership has never been stronger, and we intend to deepen it",
    "The door to dialogue remains open, but it will not stay open forever",
    "We expect concrete steps, not more declarations",
    "Security in this region cannot be built against any one of its neighbours",
    "Nobody will be allowed to redraw borders by force",
    "This agreement is a good start, but it is only a start",
    "We are ready to talk at any level and at any time",
    "The decisions taken today will shape the region for a generation",
    "We have always been a reliable partner and we will remain one",
    "There is no alternative to a negotiated settlement",
]
FILLERS = [
    "Traffic was heavy on the main road into the city as the delegations arrived.",
    "The economy grew by {pct} percent last year, driven largely by oil and gas exports.",
    "The talks were held behind closed doors and no joint press conference was scheduled.",
    "Several hundred people gathered outside the parliament building on the eve of the vote.",
    "The region has been a crossroads of trade routes and rival powers for centuries.",
    "Diplomats familiar with the negotiations said several points remained unresolved.",
    "Neither government has published the full text of the draft document.",
    "Inflation has slowed to {pct} percent, according to the central bank.",
    "The visit had been postponed twice because of scheduling conflicts.",
    "Observers noted that the language of the final communique was unusually cautious.",
]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

TEMPLATES = [
    "{P} met {P2} in {C} {D} to discuss {T}.",
    '"{Q}," {p} told reporters after the talks in {C}.',
    "{S} {Vc} {S2} {D}, according to a statement from its foreign ministry.",
    "According to {outlet}, {O} {Vc} {S} over its position on {T}.",
    "{p} said that {S} was ready to {Vi} {S2} on {T}.",
    "{O} said in a statement that it would {Vi} {S} {D}.",
    "{S} accused {S2} of violating the ceasefire {D}.",
    "{P} visited {C} {D}, the first such trip since {year}.",
    "Officials in {C} said the talks on {T} would resume {D}.",
    "{S} and {S2} signed an agreement on {T} in {C} {D}.",
    '"{Q}," {P} said, adding that {S} would {Vi} {S2}.',
    "{S} urged {S2} to {A} {D}.",
    "{O} condemned the shelling near {C} and called for restraint.",
    "{S} joined {O} programmes in {year}, the same year as {S2}.",
    "{p} warned that {S} could {Vi} {S2} if talks on {T} failed.",
    "In {month} {year}, {S} sent troops to a {O} mission for the first time.",
    "{P} praised {S} for its contribution to {T}.",
    "Analysts in {C} said the move was unlikely to change the position of {S} on {T}.",
    "{S} rejected the proposal {D}, calling it unacceptable.",
    "The two sides agreed to hold another round of talks on {T} {D}.",
    "{S} expelled two diplomats from the embassy of {S2} {D}.",
    "{S} imposed sanctions on {S2} over {T} {D}.",
    "{P} thanked {S} for the soldiers it sent to serve with {O}.",
    "{S} has worked with {O} under a partnership plan since {year}.",
    "{p} {Vx} {S2} for what {p2} called a lack of good faith.",
    "{S} {Vc} {O} {D} after the announcement on {T}.",
    "{P} is expected to travel to {C} {D} for talks with {P2}.",
    "Speaking in {C} {D}, {p} said {S} would not accept any deal on {T} without guarantees.",
]


@dataclass(frozen=True)
class _Names:
    """Names to fill templates with, drawn from the actor dictionary."""

    states: list[str]
    orgs: list[str]
    persons: list[Actor]


def _names(actors: Iterable[Actor]) -> _Names:
    states: list[str] = []
    orgs: list[str] = []
    persons: list[Actor] = []
    for actor in actors:
        if actor.kind == "state":
            states.append(actor.name)
        elif actor.kind in ("igo", "programme", "mission"):
            short = [a for a in actor.aliases if a.isupper() and 2 <= len(a) <= 6]
            orgs.append(short[0] if short else actor.name)
        elif actor.kind == "person" and " " in actor.name:
            persons.append(actor)
    if not (states and orgs and persons):
        raise ValueError("the actor dictionary needs states, organizations and persons")
    return _Names(sorted(states), sorted(orgs), sorted(persons, key=lambda a: a.id))


def _title(person: Actor, published: date) -> str:
    """The person's title in force at ``published`` ("" when none)."""
    day = published.isoformat()
    return next((r.title for r in person.roles if r.valid_at(day)), "")


def _default_actors() -> list[Actor]:
    from .resolve import load_gazetteer

    return list(load_gazetteer(()).actors())


def _date_phrase(rng: random.Random, published: date) -> str:
    day = published - timedelta(days=rng.randint(0, 20))
    choices = [
        f"on {WEEKDAYS[day.weekday()]}",
        f"on {day.day} {MONTHS[day.month - 1]}",
        f"on {MONTHS[day.month - 1]} {day.day}, {day.year}",
        "last week",
        "earlier this month",
        "next month",
        f"in {MONTHS[day.month - 1]} {day.year}",
        "two days ago",
        "by the end of the year",
    ]
    return rng.choice(choices)


def _sentence(rng: random.Random, names: _Names, published: date) -> str:
    if rng.random() < 0.18:
        return rng.choice(FILLERS).format(pct=f"{rng.randint(1, 9)}.{rng.randint(0, 9)}")
    first, second = rng.sample(names.persons, 2)
    state, state2 = rng.sample(names.states, 2)
    title, title2 = _title(first, published), _title(second, published)
    person = f"{title} {first.name}" if title and rng.random() < 0.7 else first.name
    person2 = f"{title2} {second.name}" if title2 and rng.random() < 0.5 else second.name
    surname = first.name.split()[-1]
    text = rng.choice(TEMPLATES).format(
        P=person,
        P2=person2,
        p=surname,
        p2="he" if rng.random() < 0.5 else "she",
        S=state,
        S2=state2,
        O=rng.choice(names.orgs),
        C=rng.choice(CITIES),
        D=_date_phrase(rng, published),
        T=rng.choice(TOPICS),
        Q=rng.choice(QUOTES),
        Vc=rng.choice(COOP_VERBS if rng.random() < 0.6 else CONFLICT_VERBS),
        Vx=rng.choice(CONFLICT_VERBS),
        Vi=rng.choice(INFINITIVES),
        A=rng.choice(ACTIONS),
        outlet=rng.choice(OUTLETS),
        year=rng.randint(1992, published.year - 1),
        month=rng.choice(MONTHS),
    )
    return text[0].upper() + text[1:]


def _article(i: int, seed: int, names: _Names, words: tuple[int, int]) -> RawDocument:
    rng = random.Random(seed * 1_000_003 + i)
    published = date(2015, 1, 1) + timedelta(days=rng.randint(0, 9 * 365))
    target = rng.randint(*words) - 40  # the last paragraph overshoots by ~40 words
    lead = f"{rng.choice(CITIES).upper()} — "
    paragraphs: list[str] = []
    count = 0
    while count < target:
        sentences = [_sentence(rng, names, published) for _ in range(rng.randint(2, 5))]
        paragraph = " ".join(sentences)
        count += len(paragraph.split())
        paragraphs.append(paragraph)
    paragraphs[0] = lead + paragraphs[0]
    state = rng.choice(names.states)
    topic = rng.choice(TOPICS)
    return RawDocument(
        origin=f"synthetic-{seed}/{i:07d}.txt",
        kind="txt",
        text="\n\n".join(paragraphs) + "\n",
        title=f"{state} and neighbours at odds over {topic}",
        outlet=rng.choice(OUTLETS),
        author=rng.choice(AUTHORS),
        published=published.isoformat(),
    )


def synthetic_corpus(
    n_articles: int,
    seed: int = 0,
    *,
    actors: Iterable[Actor] | None = None,
    words: tuple[int, int] = (600, 900),
) -> Iterator[RawDocument]:
    """``n_articles`` synthetic articles of about ``words`` words, deterministic by ``seed``.

    Article ``i`` depends only on ``(seed, i)``, so a larger corpus extends a smaller
    one (a "grown folder"). Names come from ``actors`` (default: the built-in
    dictionary).
    """
    names = _names(actors if actors is not None else _default_actors())
    for i in range(n_articles):
        yield _article(i, seed, names, words)


def write_corpus(
    folder: str | Path,
    n_articles: int,
    seed: int = 0,
    *,
    start: int = 0,
    actors: Iterable[Actor] | None = None,
    words: tuple[int, int] = (600, 900),
) -> dict[str, int]:
    """Write articles ``start..n_articles-1`` as ``.txt`` files with ``.meta.json`` sidecars.

    Returns ``{"articles", "words", "bytes"}`` for the files written.
    """
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    n_words = size = written = 0
    for i, doc in enumerate(synthetic_corpus(n_articles, seed, actors=actors, words=words)):
        if i < start:
            continue
        stem = f"article-{i:07d}"
        body = doc.text or ""
        (root / f"{stem}.txt").write_text(body, "utf-8")
        meta = {"title": doc.title, "outlet": doc.outlet, "author": doc.author,
                "published": doc.published}
        (root / f"{stem}.meta.json").write_text(json.dumps(meta), "utf-8")
        n_words += len(body.split())
        size += len(body.encode("utf-8"))
        written += 1
    return {"articles": written, "words": n_words, "bytes": size}


# ------------------------------------------------------------------- measuring


class _TimedStore(Store):
    """A Store that adds up the time spent writing extract output."""

    write_seconds = 0.0

    def save_annotations(self, batch: Iterable[Annotations]) -> int:
        started = time.perf_counter()
        try:
            return super().save_annotations(batch)
        finally:
            self.write_seconds += time.perf_counter() - started

    def merge_parquet(self, directory: str | Path, *, remove_merged: bool = False) -> int:
        started = time.perf_counter()
        try:
            return super().merge_parquet(directory, remove_merged=remove_merged)
        finally:
            self.write_seconds += time.perf_counter() - started


def _rate(amount: float, seconds: float) -> float:
    return round(amount / seconds, 1) if seconds > 0 else 0.0


def measure_pipeline(
    corpus: str | Path, settings: Settings, *, executor: str, processes: int
) -> dict[str, Any]:
    """Ingest ``corpus`` into a fresh store and extract it; timings and memory."""
    from .pipeline import extract_pending, ingest_into

    settings = settings.with_overrides(executor=executor, processes=processes)
    Path(settings.db).unlink(missing_ok=True)
    rss: dict[int, int] = {}
    worker_seconds = 0.0

    def on_batch(batch: Any) -> None:
        nonlocal worker_seconds
        rss[batch.worker] = max(rss.get(batch.worker, 0), batch.peak_rss)
        worker_seconds += batch.seconds

    store = cast(_TimedStore, _TimedStore.open(settings.db))
    with store:
        started = time.perf_counter()
        ingest_stats = ingest_into(store, [str(corpus)], settings)
        ingested = time.perf_counter()
        extract_stats = extract_pending(store, settings, on_batch=on_batch)
        done = time.perf_counter()
        words = int(store.scalar("SELECT coalesce(sum(word_count), 0) FROM articles"))
        counts = store.counts()
        write = store.write_seconds
    extract_s = done - ingested
    return {
        "executor": executor,
        "processes": processes,
        "articles": ingest_stats.new,
        "words": words,
        "seconds": {
            "ingest": round(ingested - started, 2),
            "parse_extract": round(extract_s - write, 2),
            "write": round(write, 2),
            "extract_total": round(extract_s, 2),
            "total": round(done - started, 2),
            "worker_busy": round(worker_seconds, 2),
        },
        "extract_words_per_s": _rate(words, extract_s),
        "extract_articles_per_s": _rate(ingest_stats.new, extract_s),
        "words_per_s": _rate(words, done - started),
        "articles_per_s": _rate(ingest_stats.new, done - started),
        "peak_rss_mb_per_worker": {str(k): round(v / 2**20) for k, v in sorted(rss.items())},
        "peak_rss_mb_max": round(max(rss.values(), default=0) / 2**20),
        "records": counts,
        "extract_stats": extract_stats.as_dict(),
    }


def measure_ceiling(texts: Sequence[str], settings: Settings, processes: int) -> dict[str, Any]:
    """Plain ``nlp.pipe`` over ``texts`` with the spaCy components of our pipeline."""
    from . import extract as extract_stage

    nlp = extract_stage.build_nlp(settings)
    base = [
        name
        for name, pipe in nlp.pipeline
        if type(pipe).__module__.startswith("spacy.") and not name.startswith("diplograph")
    ]
    words = sum(len(t.split()) for t in texts)
    with nlp.select_pipes(enable=base):
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=settings.batch_size, n_process=processes):
            pass
        seconds = time.perf_counter() - started
    return {
        "processes": processes,
        "pipes": base,
        "words": words,
        "seconds": round(seconds, 2),
        "words_per_s": _rate(words, seconds),
    }


def _corpus_texts(db: str) -> list[str]:
    with Store.open(db, read_only=True) as store:
        return [row["text"] for row in store.query("SELECT text FROM articles ORDER BY id")]


def run_bench(
    n_articles: int = 300,
    executor: str = "local",
    processes: int = 2,
    *,
    seed: int = 0,
    settings: Settings | None = None,
    workdir: str | Path | None = None,
    scaling: bool = True,
    ceiling: bool = True,
) -> dict[str, Any]:
    """Benchmark the whole pipeline on ``n_articles`` synthetic articles.

    Runs ingest + extract with ``processes`` workers (and, with ``scaling``, with one
    worker too) and, in the same run, the spaCy-only ceiling with the same process
    counts. Returns words/s, articles/s, seconds per stage, peak RSS per worker, the
    scaling efficiency ``throughput_p / (p * throughput_1)``, the ratio of the whole
    extract stage to the ceiling, and a projection for one GDELT day.
    """
    base = settings or load_settings(environ={})
    owned = workdir is None
    root = Path(workdir or tempfile.mkdtemp(prefix="diplograph-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    corpus = root / "corpus"
    started = time.perf_counter()
    written = write_corpus(corpus, n_articles, seed)
    generate_s = time.perf_counter() - started
    counts = sorted({1, processes}) if scaling else [processes]
    runs: dict[int, dict[str, Any]] = {}
    ceilings: dict[int, dict[str, Any]] = {}
    for p in counts:
        db = str(root / f"bench-{executor}-{p}.duckdb")
        runs[p] = measure_pipeline(
            corpus, base.with_overrides(db=db), executor=executor, processes=p
        )
        log.info("pipeline %s x%d: %s", executor, p, json.dumps(runs[p]["seconds"]))
    if ceiling:
        texts = _corpus_texts(str(root / f"bench-{executor}-{processes}.duckdb"))
        for p in counts:
            ceilings[p] = measure_ceiling(texts, base, p)
            log.info("ceiling x%d: %s", p, json.dumps(ceilings[p]))
    main = runs[processes]
    result: dict[str, Any] = {
        "n_articles": n_articles,
        "seed": seed,
        "executor": executor,
        "processes": processes,
        "corpus": {**written, "generate_seconds": round(generate_s, 2)},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "runs": {str(p): r for p, r in runs.items()},
        "ceiling": {str(p): c for p, c in ceilings.items()},
        "words_per_s": main["words_per_s"],
        "articles_per_s": main["articles_per_s"],
        "extract_words_per_s": main["extract_words_per_s"],
        "peak_rss_mb_per_worker": main["peak_rss_mb_max"],
        "driver_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if 1 in runs and processes > 1:
        one = runs[1]["extract_words_per_s"]
        result["scaling_efficiency"] = (
            round(main["extract_words_per_s"] / (processes * one), 3) if one else None
        )
    if ceilings:
        top = ceilings[processes]["words_per_s"]
        result["ceiling_words_per_s"] = top
        result["extract_vs_ceiling"] = round(main["extract_words_per_s"] / top, 3) if top else None
        result["end_to_end_vs_ceiling"] = round(main["words_per_s"] / top, 3) if top else None
    if main["articles_per_s"]:
        hours = GDELT_DAY / main["articles_per_s"] / 3600
        result["gdelt_day"] = {
            "articles": GDELT_DAY,
            "hours": round(hours, 1),
            "note": f"{GDELT_DAY} articles of this corpus's mean length at the measured "
            f"end-to-end rate with {processes} processes on this machine",
        }
    if owned:
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    return result


def fill_event_store(store: Store, n_events: int, *, events_per_article: int = 10) -> dict[str, int]:
    """Add ``n_events`` synthetic events (and their articles, sentences, mentions).

    Generated in SQL inside DuckDB (no Python rows), for export benchmarks: dates
    spread over ten years, a handful of actor codes and CAMEO codes.
    """
    n_articles = max(1, -(-n_events // events_per_article))
    text = "Baku urged Yerevan to return to the talks, the ministry said on Monday."
    statements = [
        f"""INSERT INTO articles (id, text, title, outlet, published, published_source,
                origin, url, lang, word_count)
            SELECT printf('b%015x', i), '{text} ' || i, 'Synthetic ' || i,
                   'Outlet ' || (i % 7), strftime(DATE '2015-01-01' + CAST((i * 37) % 3650 AS INTEGER),
                   '%Y-%m-%d'), 'metadata', 'synthetic/' || i,
                   'https://example.org/' || i, 'en', 14
            FROM range({n_articles}) t(i)""",
        f"""INSERT INTO sentences SELECT printf('b%015x', i), 0, 0, {len(text)}
            FROM range({n_articles}) t(i)""",
        f"""INSERT INTO mentions SELECT printf('m%015x', i), printf('b%015x', i), 0, 0, 4,
                'Baku', 'AZE', 'AZEGOV', 'GOV', 'AZE', 'GPE', true, 'metonym', 'bench@1'
            FROM range({n_articles}) t(i)""",
        f"""INSERT INTO events SELECT printf('e%015x', i), printf('b%015x', i // {events_per_article}),
                0, 5, 10, 'urged', 'DEMAND', NULL, 'diplomatic',
                ['10', '11', '04', '05', '12'][1 + i % 5], 1 + i % 4, -5.0 + i % 11,
                [['AZEGOV', 'ARM', 'GEO', 'NATO'][1 + i % 4]], [['ARM', 'AZE', 'RUS'][1 + i % 3]],
                [[0, 4]], [[11, 18]], i % 13 = 0, 'asserted', NULL,
                strftime(DATE '2015-01-01' + CAST((i // {events_per_article}) * 37 % 3650 AS INTEGER),
                         '%Y-%m-%d'),
                false, 'publication', NULL, 0.7, 'bench@1'
            FROM range({n_events}) t(i)""",
    ]
    with store.transaction() as con:
        for sql in statements:
            con.execute(sql)
    return {"articles": n_articles, "events": n_events}


__all__ = ["GDELT_DAY", "fill_event_store", "measure_ceiling", "measure_pipeline", "run_bench", "synthetic_corpus",
           "write_corpus"]
