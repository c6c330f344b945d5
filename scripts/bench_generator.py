#!/usr/bin/env python3
"""How fast the data generator writes, next to DuckDB writing the same shape of rows by itself.

Each measurement runs in its own process (peak memory is that process's own). The reference is the
floor for the DuckDB output: DuckDB generating 8 text columns of the same number of rows with SQL
(`range()` and string functions) straight into a table of the same kind of file.

    .venv/bin/python scripts/bench_generator.py --users 50000 500000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _child_generate(users: int, out: str, kind: str) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from cohortwise.datagen import DuckDBSink, GeneratorConfig, ParquetSink, generate

    started = time.perf_counter()
    sink = DuckDBSink(Path(out)) if kind == "duckdb" else ParquetSink(Path(out))
    report = generate(GeneratorConfig(users=users), sink)
    return {"rows": report.events_total, "seconds": time.perf_counter() - started}


def _child_reference(rows: int, out: str) -> dict[str, float]:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(out, config={"memory_limit": "256MB", "threads": 2})
    con.execute("create schema raw")
    con.execute(
        f"""
        create table raw.events as
        select
            'e' || lpad(cast(i as varchar), 7, '0') as event_id,
            'u' || lpad(cast(i // 20 as varchar), 7, '0') as user_id,
            'd_u' || lpad(cast(i // 20 as varchar), 7, '0') || '_0' as device_id,
            'a' || lpad(cast(i // 60 as varchar), 7, '0') as account_id,
            ['app_open', 'view_item', 'search', 'add_to_cart'][1 + i % 4] as event_name,
            strftime(timestamp '2024-01-01' + to_microseconds(i * 777), '%Y-%m-%d %H:%M:%S.%g') as event_time,
            strftime(timestamp '2024-01-01' + to_microseconds(i * 777 + 300), '%Y-%m-%d %H:%M:%S.%g') as loaded_at,
            '{{"platform": "ios", "product_category": "shoes", "amount": ' || (i % 997) / 10.0 || '}}' as properties
        from range({rows}) as t(i)
        """
    )
    con.close()
    return {"rows": rows, "seconds": time.perf_counter() - started}


def _measure(arguments: list[str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--child", *arguments], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[50_000, 500_000])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        what, size, out = args.child
        result = _child_reference(int(size), out) if what == "reference" else _child_generate(int(size), out, what)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return 0
    print(f"{'what':<28} {'rows':>12} {'seconds':>8} {'rows/s':>12} {'peak MB':>8}")
    for users in args.users:
        with tempfile.TemporaryDirectory() as tmp:
            runs = {
                "generator -> duckdb": _measure(["duckdb", str(users), f"{tmp}/g.duckdb"]),
                "generator -> parquet": _measure(["parquet", str(users), f"{tmp}/pq"]),
            }
            rows = int(runs["generator -> duckdb"]["rows"])
            runs["duckdb sql floor -> duckdb"] = _measure(["reference", str(rows), f"{tmp}/r.duckdb"])
        for name, run in runs.items():
            print(
                f"{name:<28} {int(run['rows']):>12,} {run['seconds']:>8.1f} "
                f"{run['rows'] / run['seconds']:>12,.0f} {run['peak_rss_mb']:>8.0f}"
            )
        ratio = runs["generator -> duckdb"]["seconds"] / runs["duckdb sql floor -> duckdb"]["seconds"]
        print(f"  generator / floor (duckdb): {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
