"""`python3 dev.py serve` runs the web server and a background worker; stopping it (Ctrl-C, SIGTERM) stops both,
so the port is free again, and when either stops by itself the other is stopped too."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
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


def command_line(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def running(command: str, pids: set[int]) -> set[int]:
    """Which of ``pids`` run ``resolve <command>`` (the process dev.py started, and its reloader's child)."""
    return {pid for pid in pids if command in command_line(pid) and alive(pid)}


def serve_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["RESOLVE_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return env


def start_serve(data_dir: Path, port: int, *, in_background: bool = False) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "dev.py"), "serve", "--port", str(port)],
        cwd=ROOT,
        env=serve_env(data_dir),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # the signal goes to dev.py alone, as `kill` would send it
        # a shell's background job (`python3 dev.py serve &`) starts with SIGINT ignored, and so would
        # the server dev.py starts: dev.py must still stop it
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if in_background else None,  # noqa: PLW1509
    )


def wait_listening(serve: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 120
    while not listening(port):
        assert serve.poll() is None, serve.communicate()[0].decode()
        assert time.monotonic() < deadline, "dev.py serve did not start listening within 120 seconds"
        time.sleep(0.25)


def queue_a_task(data_dir: Path) -> str:
    """Queue a task (sending what is due) in the database dev.py serve uses; its id, as SQLite keeps it."""
    code = "from resolve.notifications.tasks import send_due; print(send_due.enqueue().id)"
    env = serve_env(data_dir) | {"DJANGO_SETTINGS_MODULE": "resolve.settings.local"}
    shell = [str(dev.bin_dir() / "resolve"), "shell", "-c", code]
    done = subprocess.run(shell, cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.strip().splitlines()[-1].replace("-", "")


def task_status(data_dir: Path, task_id: str) -> str | None:
    with contextlib.closing(sqlite3.connect(data_dir / "resolve.sqlite3", timeout=10)) as db:
        row = db.execute("SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?", [task_id]).fetchone()
    return None if row is None else str(row[0])


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database for every run: the later ones migrate nothing and find the demo partnership there."""
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
def test_stopping_dev_py_serve_stops_its_server_and_its_worker_and_frees_the_port(
    data_dir: Path, stop: signal.Signals, in_background: bool
) -> None:
    port = free_port()
    serve = start_serve(data_dir, port, in_background=in_background)
    started: set[int] = set()
    try:
        wait_listening(serve, port)
        # the worker runs the tasks queued in the same database
        task = queue_a_task(data_dir)
        deadline = time.monotonic() + 60
        while task_status(data_dir, task) != "SUCCESSFUL":
            assert serve.poll() is None, serve.communicate()[0].decode()
            assert time.monotonic() < deadline, "the worker did not run a task queued within 60 seconds"
            time.sleep(0.25)
        started = descendants(serve.pid)
        assert len(running("runserver", started)) >= 2, "runserver and its autoreloader's child"
        assert running("worker", started), "resolve worker"

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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
@pytest.mark.skipif(
    not dev.installed(dev.DEV_LOCK), reason="dev.py serve would install into .venv, which is not up to date"
)
@pytest.mark.parametrize(
    ("dies", "name", "other"),
    [("worker", "background worker", "web server"), ("runserver", "web server", "background worker")],
    ids=["the-worker-dies", "the-server-dies"],
)
def test_when_the_worker_or_the_server_dies_dev_py_serve_stops_the_other_and_says_which(
    data_dir: Path, dies: str, name: str, other: str
) -> None:
    port = free_port()
    serve = start_serve(data_dir, port)
    started: set[int] = set()
    try:
        wait_listening(serve, port)
        deadline = time.monotonic() + 30
        while not (running("worker", descendants(serve.pid)) and running("runserver", descendants(serve.pid))):
            assert time.monotonic() < deadline, "dev.py serve did not start the worker and the server"
            time.sleep(0.25)
        started = descendants(serve.pid)
        # the process dev.py started (its own children, if any, are left to dev.py to stop)
        (victim,) = {pid for pid in running(dies, started) if pid in direct_children(serve.pid)}
        os.kill(victim, signal.SIGKILL)

        output = serve.communicate(timeout=30)[0].decode()
        assert serve.returncode != 0, output
        assert f"The {name} stopped by itself (exit status 137): stopping the {other}." in output
        assert f"FAILED: the {name} stopped by itself with exit status 137" in output
        assert not [pid for pid in started if alive(pid)], "a process dev.py serve started is still running"
        assert can_bind(port)
    finally:
        for pid in {serve.pid, *started}:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def direct_children(pid: int) -> set[int]:
    try:
        return set(map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split()))
    except OSError:
        return set()
