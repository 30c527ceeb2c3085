"""A Jupyter server of the browser tests' own: a free port on 127.0.0.1 and a fresh token, so
that tests running at once never meet, started in a given folder and stopped afterwards."""
from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Iterator, NamedTuple

import pytest


class Server(NamedTuple):
    """A running server: its base URL (``http://127.0.0.1:PORT``) and its token."""

    base: str
    token: str

    def url(self, path: str) -> str:
        """``path`` on this server, with the token (``/lab/tree/x.ipynb`` -> ``BASE/lab/tree/x.ipynb?token=...``)."""
        return f"{self.base}{path}{'&' if '?' in path else '?'}token={self.token}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(command: list[str], cwd: Path, log: Path, env: dict[str, str | None] | None = None,
            user: str | None = None, seconds: float = 120.0) -> Iterator[Server]:
    """Run ``command`` (``jupyter lab ...`` or ``python -m jupyter_server ...``) in ``cwd`` on a
    free port with a fresh token, wait until ``/api/status`` answers, yield the :class:`Server`,
    then stop it. ``env`` changes this process's environment for it (``None`` removes a
    variable); ``user`` (root only) runs it as that user, in that user's group alone. Its
    output goes to ``log``; a server that exits first fails the test with it."""
    port, token = free_port(), secrets.token_hex(16)
    command = [*command, f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"]
    with open(log, "wb") as out:
        as_user = {"user": user, "group": user, "extra_groups": []} if user else {}
        server = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                  env=_environment(env or {}), **as_user)
        try:
            running = Server(f"http://127.0.0.1:{port}", token)
            _wait_for(running.url("/api/status"), server, log, seconds)
            yield running
        finally:
            server.terminate()
            server.wait(timeout=30)


def _environment(changes: dict[str, str | None]) -> dict[str, str]:
    return {name: value for name, value in {**os.environ, **changes}.items() if value is not None}


def _wait_for(url: str, server: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the Jupyter server exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the Jupyter server did not answer {url} within {seconds:.0f} s")
