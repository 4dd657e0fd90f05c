"""A throw-away PostgreSQL server for the test suite: initdb and pg_ctl in a temporary folder.

As root, the server runs as the `postgres` system user (PostgreSQL refuses to run as root), in a
folder that user owns. It listens on a Unix socket in that folder only, so it never clashes with
another server on the machine.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        self.initdb = find_binary("initdb")
        self.pg_ctl = find_binary("pg_ctl")
        self.folder: Path | None = None
        self.port = _free_port()
        self.as_user: str | None = None

    @property
    def available(self) -> bool:
        return bool(self.initdb and self.pg_ctl)

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def start(self) -> str:
        """Start the server; return an SQLAlchemy URL for its `postgres` database."""
        self.folder = Path(tempfile.mkdtemp(prefix="wfm-pg-"))
        if os.geteuid() == 0:
            self.as_user = "postgres"
            entry = pwd.getpwnam("postgres")
            os.chmod(self.folder, 0o755)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        data = self.folder / "data"
        self._run(self.initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        options = (
            f"-c listen_addresses='' -k {self.folder} -p {self.port} -c fsync=off -c full_page_writes=off"
        )
        self._run(self.pg_ctl, "-D", str(data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")
        return f"postgresql+psycopg://postgres@/postgres?host={self.folder}&port={self.port}"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}&port={self.port}"

    def stop(self) -> None:
        if self.folder is None:
            return
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(self.pg_ctl, "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None
