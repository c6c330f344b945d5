#!/usr/bin/env python3
"""The whole test suite (`make test`, `.ci/run`): every quality gate, each timed.

Runs all gates even when one fails, prints how long each took, and exits non-zero when any failed.
Extra arguments are passed to pytest (e.g. `-k sample`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def gates(scratch: Path, pytest_args: list[str]) -> list[tuple[str, list[str]]]:
    return [
        ("ruff check", [str(BIN / "ruff"), "check", "."]),
        ("ruff format", [str(BIN / "ruff"), "format", "--check", "."]),
        ("mypy", [str(BIN / "mypy")]),
        ("sqlfluff lint", [str(BIN / "sqlfluff"), "lint", "models", "tests", "analyses", "--disable-progress-bar"]),
        ("pytest", [str(BIN / "pytest"), *pytest_args]),
    ]


def main() -> int:
    results: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="cohortwise-tests-") as scratch_dir:
        scratch = Path(scratch_dir)
        env = {**os.environ, "COHORTWISE_DUCKDB_PATH": str(scratch / "lint.duckdb"), "DBT_PROFILES_DIR": str(ROOT)}
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
        for name, command in gates(scratch, sys.argv[1:]):
            print(
                f"\n=== {name}: {' '.join(Path(command[0]).name if i == 0 else a for i, a in enumerate(command))}",
                flush=True,
            )
            started = time.perf_counter()
            code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
            results.append((name, code, time.perf_counter() - started))
    print("\n=== summary")
    for name, code, seconds in results:
        print(f"  {'ok  ' if code == 0 else 'FAIL'}  {name:<15} {seconds:7.1f}s")
    print(f"  total {sum(seconds for _, _, seconds in results):.1f}s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
