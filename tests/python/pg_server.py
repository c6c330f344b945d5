"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl on a free port, stopped afterwards.

The server binaries come from Debian's `postgresql` package, which `make test` installs when it is
missing (scripts/ensure_system_packages.sh). Running as root, the server runs as the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    dbname: str


def find_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    for candidate in candidates:
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: `make test` installs Debian's postgresql "
        "package with apt-get; run scripts/ensure_system_packages.sh as root"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server as `postgres` then."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def running_postgres(user: str = "cohortwise") -> Iterator[PostgresServer]:
    bindir = find_bindir()
    workdir = Path(tempfile.mkdtemp(prefix="cohortwise-pg-"))
    data, sockets, log = workdir / "data", workdir / "sockets", workdir / "server.log"
    sockets.mkdir()
    if os.geteuid() == 0:
        server_user = pwd.getpwnam("postgres")
        for path in (workdir, sockets):
            os.chown(path, server_user.pw_uid, server_user.pw_gid)
    port = _free_port()
    started = False
    try:
        subprocess.run(
            _as_server_user(
                [str(bindir / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8", "--no-sync"]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c TimeZone=UTC"
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]),
            check=True,
            capture_output=True,
            text=True,
        )
        started = True
        yield PostgresServer(host="127.0.0.1", port=port, user=user, dbname="postgres")
    except subprocess.CalledProcessError as error:
        details = (error.stderr or "") + (log.read_text() if log.exists() else "")
        raise PostgresUnavailable(f"could not start PostgreSQL: {details.strip()[-500:]}") from None
    finally:
        if started:
            subprocess.run(
                _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                check=False,
                capture_output=True,
            )
        shutil.rmtree(workdir, ignore_errors=True)
