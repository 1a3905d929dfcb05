"""Stopping `python3 dev.py serve` (Ctrl-C, SIGTERM) stops the web server it started, so the port is free again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import dev
import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def can_bind(port: int) -> bool:
    """Whether a new server could listen on the port (SO_REUSEADDR, as runserver does: a closed
    connection's TIME_WAIT does not count, a process still listening does)."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            server.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def descendants(pid: int) -> set[int]:
    """The processes below ``pid`` (Linux's /proc/PID/task/PID/children)."""
    found: set[int] = set()
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in map(int, children):
        found |= {child, *descendants(child)}
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie waiting for its parent to collect it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database for both runs: the second migrates nothing and finds the demo partnership there."""
    return tmp_path_factory.mktemp("dev-serve")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
@pytest.mark.skipif(
    not dev.installed(dev.DEV_LOCK), reason="dev.py serve would install into .venv, which is not up to date"
)
@pytest.mark.parametrize(
    ("stop", "in_background"),
    [(signal.SIGINT, False), (signal.SIGTERM, False), (signal.SIGINT, True)],
    ids=["ctrl-c", "sigterm", "ctrl-c-to-a-background-job"],
)
def test_stopping_dev_py_serve_stops_its_server_and_frees_the_port(
    data_dir: Path, stop: signal.Signals, in_background: bool
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["RESOLVE_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    serve = subprocess.Popen(
        [sys.executable, str(ROOT / "dev.py"), "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # the signal goes to dev.py alone, as `kill` would send it
        # a shell's background job (`python3 dev.py serve &`) starts with SIGINT ignored, and so would
        # the server dev.py starts: dev.py must still stop it
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if in_background else None,  # noqa: PLW1509
    )
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while not listening(port):
            assert serve.poll() is None, serve.communicate()[0].decode()
            assert time.monotonic() < deadline, "dev.py serve did not start listening within 120 seconds"
            time.sleep(0.25)
        started = descendants(serve.pid)
        assert len(started) >= 2, "runserver and its autoreloader's child"

        serve.send_signal(stop)
        output = serve.communicate(timeout=30)[0].decode()
        assert serve.returncode == 0, output
        assert "Stopped Resolve." in output
        assert not [pid for pid in started if alive(pid)], "a process dev.py serve started is still running"
        assert not listening(port)
        assert can_bind(port)
    finally:
        for pid in {serve.pid, *started}:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
