#!/usr/bin/env python3
"""Generate deterministic synthetic raw `events` and `users` for cohortwise.

Examples:
    python scripts/generate_events.py --users 2000 --days 90 --duckdb data/cohortwise.duckdb
    python scripts/generate_events.py --users 500000 --parquet data/parquet --report report.json

The DuckDB output replaces `<schema>.events` and `<schema>.users` (schema `raw` by default, where
the project's vars point); the parquet output writes `events.parquet` and `users.parquet`.
See cohortwise/datagen.py for the behaviour that is simulated.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cohortwise.datagen import DuckDBSink, GeneratorConfig, ParquetSink, generate


def _number(text: str) -> float:
    """Accepts 2000, 2e3, 2_000."""
    try:
        return float(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=_number, default=2000, help="number of users (default 2000)")
    parser.add_argument("--days", type=int, default=90, help="length of the period in days (default 90)")
    parser.add_argument("--events-per-user", type=float, default=20.0, help="mean clean events per user (default 20)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--bad-row-rate", type=float, default=0.01, help="bad rows per clean row (default 0.01)")
    parser.add_argument("--start-date", type=date.fromisoformat, default=date(2024, 1, 1), help="first day (UTC)")
    parser.add_argument("--chunk-users", type=int, default=20_000, help="users generated per chunk (memory)")
    out = parser.add_mutually_exclusive_group(required=True)
    out.add_argument("--duckdb", type=Path, help="DuckDB file to write <schema>.events and <schema>.users into")
    out.add_argument("--parquet", type=Path, help="folder to write events.parquet and users.parquet into")
    parser.add_argument("--schema", default="raw", help="schema for --duckdb (default raw)")
    parser.add_argument("--report", type=Path, help="write the counts (per event name, per bad-row reason) as JSON")
    args = parser.parse_args(argv)

    config = GeneratorConfig(
        users=int(args.users),
        days=args.days,
        events_per_user=args.events_per_user,
        seed=args.seed,
        bad_row_rate=args.bad_row_rate,
        start_date=args.start_date,
        chunk_users=args.chunk_users,
    )
    try:
        config.validate()
        sink = DuckDBSink(args.duckdb, args.schema) if args.duckdb else ParquetSink(args.parquet)
        started = time.perf_counter()
        report = generate(config, sink)
    except (ValueError, OSError) as error:
        print(f"generate_events: {error}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    if args.report:
        args.report.write_text(report.to_json() + "\n")
    target = f"{args.duckdb} ({args.schema}.events, {args.schema}.users)" if args.duckdb else str(args.parquet)
    bad = report.events_total - report.events_clean
    print(
        f"generated {report.users:,} users and {report.events_total:,} event rows "
        f"({report.events_clean:,} clean, {bad:,} bad) into {target} in {elapsed:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
