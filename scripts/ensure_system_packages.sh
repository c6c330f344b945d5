#!/usr/bin/env bash
# System packages the test suite needs beyond Python: PostgreSQL's server binaries (initdb, pg_ctl)
# for the real PostgreSQL build. Installs Debian's `postgresql` with apt-get when they are missing
# and this user may install; otherwise says what to install (the PostgreSQL test then fails).
set -euo pipefail

have_postgres() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null
}

if have_postgres; then
    exit 0
fi
if command -v apt-get >/dev/null; then
    runner=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            runner=(sudo -n)
        else
            echo "ensure_system_packages: PostgreSQL is missing; run as root: apt-get install -y postgresql" >&2
            exit 0
        fi
    fi
    echo "ensure_system_packages: installing postgresql with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    "${runner[@]}" apt-get update -qq
    "${runner[@]}" apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
have_postgres || echo "ensure_system_packages: PostgreSQL server binaries are still missing" >&2
