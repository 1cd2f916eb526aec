"""Exports at scale: peak memory of Parquet, GDELT and POLECAT exports vs store size.

Builds stores of 100k and 1M synthetic events (in SQL, inside DuckDB), then runs each
export in a fresh subprocess (default settings: ``Store.open``'s memory limit and
``export.CHUNK_ROWS``) and reads its peak RSS, so the numbers are not polluted by
building the store. Memory should stay roughly flat as the store grows tenfold.
Run with ``make bench`` (``pytest -m bench benchmarks``); results go to
``work/bench/export.json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diplograph.bench import fill_event_store
from diplograph.store import Store

SIZES = (100_000, 1_000_000)
EXPORTS = {
    "parquet_by_date": {"fmt": "parquet", "partition_by_date": True},
    "gdelt_csv": {"fmt": "gdelt"},
    "polecat_jsonl": {"fmt": "polecat"},
}
# The child reports its own peak RSS: VmHWM of /proc/self/status on Linux. Not
# getrusage's ru_maxrss: for a spawned child on Linux that starts at the parent's RSS
# (here, the benchmark process that has just built the store), hiding the export's own.
CHILD = """
import json, resource, sys, time
from diplograph import export
from diplograph.store import Store

def peak_rss_kb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

db, target, options = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with Store.open(db, read_only=True) as store:
    started = time.perf_counter()
    export.export(store, options.pop("fmt"), target, **options)
    seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak_rss_kb": peak_rss_kb()}))
"""


def _export_in_child(db: Path, target: Path, options: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), str(target), json.dumps(options)],
        check=True, capture_output=True, text=True, timeout=900,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@pytest.mark.bench
def test_export_memory_stays_flat(tmp_path: Path, save_result) -> None:
    results: dict[str, dict] = {}
    for n in SIZES:
        db = tmp_path / f"events-{n}.duckdb"
        started = time.perf_counter()
        with Store.open(db) as store:
            fill_event_store(store, n)
        build = time.perf_counter() - started
        for name, options in EXPORTS.items():
            target = tmp_path / f"{name}-{n}" / ("out" if options["fmt"] == "parquet" else "out.txt")
            measured = _export_in_child(db, target, dict(options))
            results.setdefault(name, {})[str(n)] = {
                "events": n,
                "seconds": round(measured["seconds"], 2),
                "peak_rss_mb": round(measured["peak_rss_kb"] / 1024),
                "output_mb": round(_size(target.parent if options["fmt"] == "parquet" else target) / 2**20, 1),
                "build_seconds": round(build, 2),
            }
    small, large = (str(n) for n in SIZES)
    summary = {
        name: round(r[large]["peak_rss_mb"] / r[small]["peak_rss_mb"], 2)
        for name, r in results.items()
    }
    path = save_result("export", {"exports": results, "rss_ratio_1m_vs_100k": summary})
    print(json.dumps({"rss_ratio_1m_vs_100k": summary, "results": str(path)}, indent=2))
    for name, r in results.items():
        assert r[large]["output_mb"] > r[small]["output_mb"]  # the export did scale up
        # tenfold more events must not mean anywhere near tenfold more memory
        assert summary[name] < 2.5, f"{name}: peak RSS grew {summary[name]}x"
