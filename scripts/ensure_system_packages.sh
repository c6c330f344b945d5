#!/usr/bin/env bash
# System packages the test suite needs beyond Python: PostgreSQL's server binaries (initdb, pg_ctl)
# for the real PostgreSQL build, and Chromium with its WebDriver (/usr/bin/chromium,
# /usr/bin/chromedriver) for the headless browser test of `cohortwise report`. Installs the missing
# Debian packages (`postgresql`, `chromium chromium-driver`) with apt-get when this user may install;
# otherwise says what to install (the tests that need them then fail).
set -euo pipefail

have_postgres() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null
}

have_chromium() {
    [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]
}

missing=()
have_postgres || missing+=(postgresql)
have_chromium || missing+=(chromium chromium-driver)

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
if command -v apt-get >/dev/null; then
    runner=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            runner=(sudo -n)
        else
            echo "ensure_system_packages: ${missing[*]} missing; run as root: apt-get install -y ${missing[*]}" >&2
            exit 0
        fi
    fi
    echo "ensure_system_packages: installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    "${runner[@]}" apt-get update -qq
    "${runner[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
have_postgres || echo "ensure_system_packages: PostgreSQL server binaries are still missing" >&2
have_chromium || echo "ensure_system_packages: /usr/bin/chromium or /usr/bin/chromedriver is still missing" >&2
