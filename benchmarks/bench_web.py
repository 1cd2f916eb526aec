"""Web latency under load: p50/p95 of the main pages on a 100k-article, 1M-event store.

Run with ``make bench`` (or ``.venv/bin/pytest -m bench -o addopts="" benchmarks/bench_web.py -s``).

1. :func:`diplograph.web.synth.build_synthetic_store` writes the store (SQL in DuckDB).
2. ``diplograph.web.app.serve`` runs in a subprocess (uvicorn, one process) on a free
   loopback port; we wait for its first snapshot (copy + derived tables).
3. Each scenario has up to ``BENCH_WEB_URLS``/2 distinct URLs (different actors, pairs,
   queries). The *cold* pass requests each once with 20 concurrent asyncio/httpx clients:
   every request misses the per-snapshot cache. The *warm* pass then cycles through the
   same URLs with ``wrk`` (Debian's ``wrk``: 20 connections, 2 threads) for
   ``BENCH_WEB_SECONDS`` (httpx when wrk is missing): the cache serves them.
4. Target: warm p95 < 200 ms (``BENCH_WEB_P95_MS``) for the actor, relation and search
   pages at 20 concurrent clients, and no failed request. Cold numbers are reported.

Environment: ``BENCH_WEB_ARTICLES`` (100000), ``BENCH_WEB_EVENTS`` (1000000),
``BENCH_WEB_SECONDS`` (15), ``BENCH_WEB_CONCURRENCY`` (20), ``BENCH_WEB_URLS`` (600).
Results go to ``work/bench/web.json`` (the ``save_result`` fixture of benchmarks/conftest.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from diplograph.store import Store
from diplograph.web.synth import build_synthetic_store

pytestmark = pytest.mark.bench

ARTICLES = int(os.environ.get("BENCH_WEB_ARTICLES", "100000"))
EVENTS = int(os.environ.get("BENCH_WEB_EVENTS", "1000000"))
SECONDS = float(os.environ.get("BENCH_WEB_SECONDS", "15"))
CONCURRENCY = int(os.environ.get("BENCH_WEB_CONCURRENCY", "20"))
P95_TARGET_MS = float(os.environ.get("BENCH_WEB_P95_MS", "200"))
TARGETED = ("actor page", "relation page", "search page")
URLS = int(os.environ.get("BENCH_WEB_URLS", "600"))  # distinct URLs per page type

WRK_SCRIPT = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local counter = 0
function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end
local i = 0
function init(args) i = (offset or 0) % #paths end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
local failures = 0
function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"errors":%d,"non200":%d,"p50":%.2f,"p95":%.2f,"p99":%.2f,' ..
    '"max":%.2f,"seconds":%.2f}\n', summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.duration / 1e6))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench-web") / "synthetic.duckdb"
    counts = build_synthetic_store(path, articles=ARTICLES, events=EVENTS, claims=ARTICLES * 2)
    print(f"\nsynthetic store: {counts}", file=sys.stderr)
    return path


@pytest.fixture(scope="module")
def server(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    code = ("import sys; from diplograph.web.app import serve; serve(sys.argv[1], "
            "port=int(sys.argv[2]), snapshot_dir=sys.argv[3], log_level='warning')")  # fmt: skip
    snaps = tmp_path_factory.mktemp("snaps")
    proc = subprocess.Popen([sys.executable, "-c", code, str(store_path), str(port), str(snaps)])
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail("the server exited")
            try:
                if httpx.get(f"{base}/api/health", timeout=5).json().get("generation"):
                    break
            except (httpx.HTTPError, ValueError):
                pass
            if time.perf_counter() - started > 600:
                pytest.fail("no snapshot after 600 s")
            time.sleep(0.5)
        print(f"first snapshot ready after {time.perf_counter() - started:.1f}s", file=sys.stderr)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def scenarios(store_path: Path, base: str) -> dict[str, list[str]]:
    """URL lists per scenario: many distinct actors, pairs and queries."""
    rng = random.Random(1)
    with Store.open(store_path, read_only=True) as store:
        actors = [r["actor_id"] for r in store.query(
            "SELECT actor_id, count(*) AS n FROM mentions GROUP BY 1 ORDER BY n DESC, 1")]  # fmt: skip
        codes = store.query(
            "SELECT sources[1] AS s, targets[1] AS t FROM events USING SAMPLE 2000 ROWS (reservoir, 7)")
        words = [w for r in store.query(
            "SELECT text FROM articles USING SAMPLE 200 ROWS (reservoir, 7)")
            for w in r["text"].split()[2:] if w.startswith("w")]  # fmt: skip
        articles = [r["id"] for r in store.query(
            "SELECT id FROM articles USING SAMPLE 2000 ROWS (reservoir, 7)")]  # fmt: skip
    pairs = list(dict.fromkeys((c["s"].removesuffix("GOV"), c["t"]) for c in codes))
    rng.shuffle(actors)
    rng.shuffle(pairs)
    queries = [rng.choice(words) if i % 2 else f"{rng.choice(words)} {rng.choice(words)}"
               for i in range(2000)]  # fmt: skip
    actor_paths = [f"/actors/{quote(a, safe='')}" for a in actors][:URLS]
    relation_paths = [f"/relations/{quote(a, safe='')}/{quote(b, safe='')}" for a, b in pairs][:URLS]
    search_paths = [f"/search?{urlencode({'q': q})}" for q in queries][:URLS]
    filtered = [f"{p}&actor={quote(rng.choice(actors[:50]))}" for p in search_paths]
    # a page and its JSON twin share cached data: give them disjoint halves of the URLs
    return {
        "actor page": actor_paths[::2],
        "actor API": ["/api" + p for p in actor_paths[1::2]],
        "relation page": relation_paths[::2],
        "relation API": ["/api" + p for p in relation_paths[1::2]],
        "search page": search_paths[::2],
        "search API": ["/api" + p for p in search_paths[1::2]],
        "search page, actor filter": filtered[1::2],
        "article page": [f"/articles/{a}" for a in articles][:URLS // 2],
        "overview page": ["/"],
    }  # fmt: skip


def run_wrk(base: str, paths: list[str], seconds: float, tmp: Path) -> dict[str, Any]:
    script, listing = tmp / "paths.lua", tmp / "paths.txt"
    script.write_text(WRK_SCRIPT, "utf-8")
    listing.write_text("\n".join(paths) + "\n", "utf-8")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
         "-s", str(script), base],
        env={**os.environ, "BENCH_PATHS": str(listing)}, capture_output=True, text=True,
        timeout=seconds + 60, check=True,
    )  # fmt: skip
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line[len("RESULT "):])
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    result["tool"] = "wrk"
    return result


def run_python(base: str, paths: list[str], seconds: float | None) -> dict[str, Any]:
    """Closed-loop asyncio load with CONCURRENCY workers.

    ``seconds=None`` requests every path exactly once (the cold pass: every request is
    a cache miss); otherwise the workers cycle through the paths until time is up.
    """

    async def main() -> dict[str, Any]:
        latencies: list[float] = []
        failures = 0
        queue = list(reversed(paths))
        stop = time.perf_counter() + (seconds or 3600)
        limits = httpx.Limits(max_connections=CONCURRENCY)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

            async def worker(k: int) -> None:
                nonlocal failures
                i = k * 7919
                while time.perf_counter() < stop:
                    if seconds is None:
                        if not queue:
                            return
                        path = queue.pop()
                    else:
                        i += 1
                        path = paths[i % len(paths)]
                    t0 = time.perf_counter()
                    r = await client.get(path)
                    latencies.append((time.perf_counter() - t0) * 1000)
                    failures += r.status_code != 200

            started = time.perf_counter()
            await asyncio.gather(*(worker(k) for k in range(CONCURRENCY)))
            elapsed = time.perf_counter() - started
        q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
        return {"requests": len(latencies), "errors": 0, "non200": failures, "p50": round(q[49], 2),
                "p95": round(q[94], 2), "p99": round(q[98], 2), "max": round(max(latencies), 2),
                "seconds": round(elapsed, 2), "rps": round(len(latencies) / elapsed, 1),
                "tool": "httpx"}  # fmt: skip

    return asyncio.run(main())


def test_web_latency(store_path: Path, server: str, tmp_path: Path, save_result: Any,
                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """Cold pass: every URL once (all cache misses); warm pass: wrk cycling the same URLs."""
    plan = scenarios(store_path, server)
    wrk = shutil.which("wrk")
    cold: dict[str, dict[str, Any]] = {}
    warm: dict[str, dict[str, Any]] = {}
    for name, paths in plan.items():
        cold[name] = run_python(server, paths, None)
        warm[name] = (run_wrk(server, paths, SECONDS, tmp_path) if wrk
                      else run_python(server, paths, SECONDS))  # fmt: skip
        cold[name]["distinct_urls"] = warm[name]["distinct_urls"] = len(paths)
    header = ("| scenario | URLs | cold p50 | cold p95 | cold req/s | warm p50 | warm p95 "
              "| warm p99 | warm req/s | failed |")
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in plan:
        c, w = cold[name], warm[name]
        lines.append(f"| {name} | {c['distinct_urls']} | {c['p50']:.1f} | {c['p95']:.1f} | {c['rps']} "
                     f"| {w['p50']:.1f} | {w['p95']:.1f} | {w['p99']:.1f} | {w['rps']} "
                     f"| {c['non200'] + w['errors'] + w['non200']} |")  # fmt: skip
    table = "\n".join(lines)
    with capsys.disabled():
        print(f"\n{ARTICLES} articles, {EVENTS} events, {CONCURRENCY} concurrent clients; "
              f"latencies in ms; warm pass {SECONDS:.0f}s per scenario with "
              f"{'wrk' if wrk else 'httpx'}\n{table}\n")
    saved = save_result("web", {"articles": ARTICLES, "events": EVENTS, "concurrency": CONCURRENCY,
                                "seconds": SECONDS, "cold": cold, "warm": warm})  # fmt: skip
    with capsys.disabled():
        print(f"results: {saved}")
    failed = {n: cold[n]["non200"] + warm[n]["errors"] + warm[n]["non200"] for n in plan}
    assert not any(failed.values()), failed
    slow = {n: warm[n]["p95"] for n in TARGETED if warm[n]["p95"] >= P95_TARGET_MS}
    assert not slow, f"warm p95 over {P95_TARGET_MS} ms: {slow}"
