#!/usr/bin/env python3
"""Set up, run and test Resolve on a machine that has nothing but Python 3.11 or newer.

Usage:

    python3 dev.py serve [--host H] [--port N]
        Create ./.venv if it is missing, install the locked runtime dependencies
        (requirements/base.txt) and Resolve itself (and Debian's Pango for the PDFs, when it is
        missing), apply the migrations, load the demo
        partnership (its sign-in details are printed) and run the development web server,
        by default at http://127.0.0.1:8000/, with one background worker (`resolve worker`: it
        sends the e-mails and runs the deadline sweep). Ctrl-C stops both; when either stops by
        itself, the other is stopped too and dev.py says which, with a non-zero exit status.

    python3 dev.py test [PYTEST_ARGS...]
        Install the locked development tools as well (requirements/dev.txt), then run, stopping
        at the first failure with its exit status: ruff check, ruff format --check, mypy,
        lint-imports (the apps' layers, pyproject's [tool.importlinter]),
        resolve makemigrations --check --dry-run and pytest (with the browser tests, in Debian's
        Chromium at /usr/bin/chromium: installed with apt-get first when it is missing, as root or
        through sudo; and Pango, which draws the PDFs, likewise). Arguments after "test" go to
        pytest (python3 dev.py test -k calendar). With DATABASE_URL=postgres://... the tests run
        against that PostgreSQL; otherwise on SQLite.

    python3 dev.py screenshots
        For reviewers: walk the main pages in Debian's Chromium as the demo partnership's people
        (tests/browser/test_main_pages.py, axe-core on each) and save screenshots of each at 1280 px and
        320 px wide in var/screenshots/ (not committed).

    python3 dev.py documents
        For reviewers: make every document (the record for the files, the reports to the board, the
        quarterly report) for each shipped procedure from a case walked through every stage
        (tests/documents/test_every_document.py), and save them with each PDF page as PNG (pdftoppm,
        Debian's poppler-utils: installed first when it is missing) in var/documents/ (not committed).

    python3 dev.py assets
        For developers: rebuild GOV.UK Frontend for Resolve's pages (needs Node.js and npm): run
        `npm ci` in frontend/ (package-lock.json pins govuk-frontend and Dart Sass), compile
        frontend/scss/resolve.scss with Arial and without GDS Transport into
        src/resolve/web/static/web/resolve.css, and copy GOV.UK Frontend's JavaScript beside it.
        The results are committed, so setting Resolve up needs Python only.

    python3 dev.py lock [--upgrade]
        For developers: regenerate requirements/dev.txt and requirements/base.txt from
        pyproject.toml with `uv pip compile` (uv is pip-installed into .venv for this). Current
        pins are kept where they still fit; --upgrade moves every pin to the newest version allowed.

Dependencies are installed again only when a lock file or pyproject.toml changes: a stamp in
.venv records what was installed. Works from any directory; uses the standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes.util
import hashlib
import importlib.util
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path

MIN_PYTHON = (3, 11)
STOP_TIMEOUT = 10  # seconds the web server and the worker have to stop when dev.py serve is stopped
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"
BASE_LOCK = ROOT / "requirements" / "base.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"
PIP_JSON_URL = "https://pypi.org/pypi/pip/json"
UV_VERSION = "0.13.9"  # the uv that `lock` installs; change it deliberately, then run lock
LOCK_PYTHON = "3.11"  # the oldest Python Resolve supports (pyproject's requires-python)
NO_TESTS = 5  # pytest's exit status when it collected no tests


class SetupError(Exception):
    """Something went wrong that the person running dev.py must see; ends dev.py with ``status``."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------- output, processes


def say(message: str) -> None:
    print(message, flush=True)


def relative(path: Path) -> str:
    """A path as the person typed it from the project root, for messages."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def exit_status(returncode: int) -> int:
    """A child's return code as an exit status: a signal N (returncode -N) becomes 128 + N."""
    return returncode if returncode >= 0 else 128 - returncode


def run(args: Sequence[str | Path], env: dict[str, str] | None = None, *, quiet: bool = False) -> int:
    """Run a command in the project root; print it first (``$ ...``) unless quiet."""
    words = [str(a) for a in args]
    if not quiet:
        say("$ " + shlex.join([Path(words[0]).name, *words[1:]]))
    try:
        completed = subprocess.run(
            words,
            cwd=ROOT,
            env=env,
            check=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL if quiet else None,
            stderr=subprocess.DEVNULL if quiet else None,
        )
    except FileNotFoundError as exc:
        raise SetupError(f"{words[0]} was not found: {exc.strerror}") from exc
    return exit_status(completed.returncode)


# --------------------------------------------------------------------------- virtual environment


def bin_dir(venv: Path = VENV) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def venv_python(venv: Path = VENV) -> Path:
    return bin_dir(venv) / ("python.exe" if os.name == "nt" else "python")


def has_pip(python: Path) -> bool:
    return run([python, "-c", "import pip"], quiet=True) == 0


def create_venv(venv: Path) -> None:
    """Create ``venv`` with pip: by ``python3 -m venv``, or without ensurepip when it is missing."""
    say("Creating the virtual environment...")
    fallback = "so the environment is made without pip, and pip is fetched from PyPI."
    if importlib.util.find_spec("ensurepip") is None:
        say(f"  ensurepip is missing (Debian and Ubuntu have it in python3-venv), {fallback}")
    elif run([sys.executable, "-m", "venv", venv], quiet=True) == 0:
        return
    else:
        say(f"  `{Path(sys.executable).name} -m venv` failed, {fallback}")
    shutil.rmtree(venv, ignore_errors=True)
    create_venv_without_ensurepip(venv)


def create_venv_without_ensurepip(venv: Path) -> None:
    """``python3 -m venv --without-pip``, then pip from its wheel on PyPI."""
    if run([sys.executable, "-m", "venv", "--without-pip", venv], quiet=True) != 0:
        raise SetupError(
            f"Could not create {relative(venv)} with {sys.executable} -m venv. "
            "On Debian or Ubuntu, install python3-venv (sudo apt install python3-venv), then retry."
        )
    bootstrap_pip(venv_python(venv))


def latest_pip_wheel() -> tuple[str, str]:
    """The URL and sha256 of the newest pip wheel, from PyPI's JSON API."""
    try:
        with urllib.request.urlopen(PIP_JSON_URL, timeout=60) as response:
            release = json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise SetupError(f"Could not read {PIP_JSON_URL} to fetch pip: {exc}") from exc
    for file in release["urls"]:
        if file["packagetype"] == "bdist_wheel" and file["filename"].endswith("-py3-none-any.whl"):
            # PyPI gives absolute URLs; a mirror may give them relative to the JSON's address.
            url = urllib.parse.urljoin(PIP_JSON_URL, str(file["url"]))
            return url, str(file["digests"]["sha256"])
    raise SetupError(f"PyPI lists no pip wheel for version {release['info']['version']}.")


def download(url: str, target: Path, sha256: str) -> None:
    """Save ``url`` at ``target`` and check that its sha256 is the one PyPI published."""
    if not url.startswith("https://"):
        raise SetupError(f"Refusing to download pip from a non-https address: {url}")
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - https, checked above
            data = response.read()
    except (urllib.error.URLError, TimeoutError) as exc:
        raise SetupError(f"Could not download {url}: {exc}") from exc
    if hashlib.sha256(data).hexdigest() != sha256:
        raise SetupError(f"The file downloaded from {url} does not have the sha256 PyPI published.")
    target.write_bytes(data)


def bootstrap_pip(python: Path) -> None:
    """Install pip into an environment that has none: run pip from its wheel (a wheel is a zip
    Python can run by path) to install that same wheel."""
    url, sha256 = latest_pip_wheel()
    say(f"  Downloading {url.rsplit('/', 1)[-1]} from PyPI...")
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(tmp) / url.rsplit("/", 1)[-1]
        download(url, wheel, sha256)
        status = run([python, wheel / "pip", "install", "--quiet", "--no-input", wheel], pip_env())
    if status != 0 or not has_pip(python):
        raise SetupError(f"Could not install pip into {relative(python)} (exit status {status}).")


def ensure_venv() -> Path:
    """The virtual environment's Python, creating the environment (with pip) when needed."""
    python = venv_python()
    if not python.exists():
        create_venv(VENV)
    if not has_pip(python):
        say("Installing pip into the virtual environment...")
        bootstrap_pip(python)
    return python


# --------------------------------------------------------------------------- installing


def pip_env() -> dict[str, str]:
    return {**os.environ, "PIP_NO_INPUT": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def pip_install(python: Path, *args: str | Path) -> None:
    command: list[str | Path] = [python, "-m", "pip", "install", "--quiet", "--progress-bar", "off"]
    status = run([*command, *args], pip_env())
    if status != 0:
        raise SetupError(f"pip failed (exit status {status}); its message is above.", status)


def fingerprint(lock: Path) -> str:
    """What an installation from ``lock`` depends on: the lock file and pyproject.toml."""
    digest = hashlib.sha256()
    for path in (lock, PYPROJECT):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def install(python: Path, lock: Path) -> None:
    """Install ``lock`` and Resolve itself (editable), unless the stamp says that is done."""
    if not lock.is_file():
        raise SetupError(f"{relative(lock)} is missing: run `python3 dev.py lock` to create it.")
    stamp = VENV / f".resolve-installed-{lock.stem}.sha256"
    wanted = fingerprint(lock)
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == wanted:
        say(f"Dependencies are up to date ({relative(lock)}).")
        return
    say(f"Installing dependencies from {relative(lock)} (the first time takes a minute or two)...")
    pip_install(python, "-r", lock)
    say("Installing Resolve itself (editable)...")
    pip_install(python, "--no-deps", "-e", ROOT)
    stamp.write_text(wanted + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- Resolve's tools


def tool_env(settings: str) -> dict[str, str]:
    """The environment for commands from the venv, with the given Django settings module."""
    env = dict(os.environ)
    env.pop("PYTHONHOME", None)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = os.pathsep.join([str(bin_dir()), env.get("PATH", "")])
    env["DJANGO_SETTINGS_MODULE"] = settings
    return env


def run_tool(step: Sequence[str], env: dict[str, str]) -> int:
    """Run a command installed in the venv (``ruff``, ``resolve``, ...) with its arguments."""
    return run([bin_dir() / step[0], *step[1:]], env)


def describe_database(env: dict[str, str], sqlite_file: str) -> str:
    """The database the settings will use, from DATABASE_URL, without any password."""
    url = env.get("DATABASE_URL")
    if not url:
        return f"SQLite ({sqlite_file})"
    parts = urllib.parse.urlsplit(url)
    engine = parts.scheme.split("+")[0]
    kind = "PostgreSQL" if engine in ("postgres", "postgresql", "pgsql") else engine
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    host = parts.hostname or "the local socket"
    return f"{kind} database {parts.path.lstrip('/')!r} at {host}{port} (from DATABASE_URL)"


def data_dir(env: dict[str, str]) -> Path:
    """Where the settings keep the SQLite file (settings/base.py: RESOLVE_DATA_DIR or ./var)."""
    path = Path(env.get("RESOLVE_DATA_DIR", ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------- the commands


def serve(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py serve", description="Run Resolve.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=port_number, default=8000, help="port to listen on (8000)")
    options = parser.parse_args(argv)
    python = ensure_venv()
    if not installed(DEV_LOCK):  # the development tools include every runtime dependency
        install(python, BASE_LOCK)
    ensure_pango()
    env = tool_env("resolve.settings.local")
    say(f"Database: {describe_database(env, relative(data_dir(env) / 'resolve.sqlite3'))}")
    host = f"[{options.host}]" if ":" in options.host else options.host
    browse = "127.0.0.1" if options.host in ("0.0.0.0", "::") else host  # noqa: S104 - not binding
    url = f"http://{browse}:{options.port}/"
    for step in (["resolve", "migrate", "--noinput"], ["resolve", "demo", "--url", url]):
        status = run_tool(step, env)
        if status != 0:
            say(f"FAILED: {shlex.join(step)} exited with status {status}.")
            return status
    say(f"Starting Resolve at {url} and its background worker (press Ctrl-C to stop)...")
    resolve = bin_dir() / "resolve"
    return run_server([resolve, "runserver", f"{host}:{options.port}"], [resolve, "worker"], env)


def installed(lock: Path) -> bool:
    """Whether the stamp says ``lock`` (and Resolve) is installed in the venv as it is now."""
    stamp = VENV / f".resolve-installed-{lock.stem}.sha256"
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == fingerprint(lock)


class Started:
    """One of the processes ``dev.py serve`` runs, in a process group of its own."""

    def __init__(self, name: str, args: Sequence[str | Path], env: dict[str, str], *, pass_on: bool) -> None:
        self.name = name
        #: whether the signal dev.py was sent goes to the group too, before the SIGTERM that always does
        self.pass_on = pass_on
        words = [str(a) for a in args]
        say("$ " + shlex.join([Path(words[0]).name, *words[1:]]))
        try:
            self.process = subprocess.Popen(words, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, process_group=0)
        except FileNotFoundError as exc:
            raise SetupError(f"{words[0]} was not found: {exc.strerror}") from exc

    def stop(self, signum: int = signal.SIGTERM) -> None:
        if self.pass_on and signum != signal.SIGTERM:
            signal_group(self.process, signum)
        signal_group(self.process, signal.SIGTERM)


def run_server(server_args: Sequence[str | Path], worker_args: Sequence[str | Path], env: dict[str, str]) -> int:
    """Run the web server and the background worker until either exits or dev.py is stopped, then stop all of it.

    runserver's autoreloader runs the server in a child process of its own. Stopping only the process
    dev.py started (Ctrl-C on dev.py alone, or SIGTERM) left that child serving, holding the port. So the
    server and the worker each run in a process group of their own, and SIGINT, SIGTERM or SIGHUP sent to
    dev.py is passed to each whole group; whatever is still running after STOP_TIMEOUT seconds is killed.
    When one of the two ends by itself, the other is stopped too and dev.py says which ended.
    """
    if os.name == "nt":  # no process groups to signal: Ctrl-C reaches the whole console anyway
        return run_server_windows(server_args, worker_args, env)
    stopping: list[int] = []
    started: list[Started] = []

    def pass_on(signum: int, frame: object) -> None:
        stopping.append(signum)
        for part in started:
            part.stop(signum)

    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
    previous = {signum: signal.signal(signum, pass_on) for signum in signals}
    ended: tuple[Started, int] | None = None
    try:
        # The server gets the signal, then SIGTERM: a server started from a background job ignores SIGINT
        # (it inherits the ignoring), and must end anyway. The worker gets SIGTERM only: at the first it
        # finishes the task it is running, at a second it stops.
        parts = [("web server", server_args, True), ("background worker", worker_args, False)]
        for name, args, pass_on_signal in parts:
            if stopping:
                break
            started.append(Started(name, args, env, pass_on=pass_on_signal))
            if stopping:  # the stop came while it was starting, perhaps before it was in the list
                started[-1].stop(stopping[-1])
        deadline: float | None = None
        while any(part.process.poll() is None for part in started):
            # a short wait, so that a stop asked for while waiting is noticed
            time.sleep(0.5)
            if ended is None and not stopping:
                ended = next(((p, p.process.returncode) for p in started if p.process.poll() is not None), None)
                if ended is None:
                    continue
                others = " and the ".join(p.name for p in started if p is not ended[0])
                status = exit_status(ended[1])
                say(f"The {ended[0].name} stopped by itself (exit status {status}): stopping the {others}.")
                for part in started:
                    part.stop()
            if deadline is None:
                deadline = time.monotonic() + STOP_TIMEOUT
            elif time.monotonic() > deadline:
                for part in started:
                    if part.process.poll() is None:
                        say(f"The {part.name} did not stop within {STOP_TIMEOUT} seconds: killing it.")
                        signal_group(part.process, signal.SIGKILL)
                deadline = float("inf")  # killed: the loop ends as soon as the processes do
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        end_groups([part.process for part in started])
    if ended is not None:
        part, status = ended
        say(f"FAILED: the {part.name} stopped by itself with exit status {exit_status(status)} (its message is above).")
        return exit_status(status) or 1
    say("Stopped Resolve.")
    return 0


def run_server_windows(server: Sequence[str | Path], worker_args: Sequence[str | Path], env: dict[str, str]) -> int:
    """The server in the foreground, the worker beside it, ended when the server ends."""
    worker = subprocess.Popen([str(a) for a in worker_args], cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
    try:
        return run(server, env)
    finally:
        worker.terminate()


def end_groups(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    """A reloader's child may outlive the process dev.py started: give each group time, then kill what is left."""
    deadline = time.monotonic() + STOP_TIMEOUT
    while any(group_running(process) for process in processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    for process in processes:
        signal_group(process, signal.SIGKILL)


def group_running(process: subprocess.Popen[bytes]) -> bool:
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


def signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group has ended
        os.killpg(process.pid, signum)


def port_number(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


CHROMIUM = Path(os.environ.get("RESOLVE_CHROMIUM", "/usr/bin/chromium"))


def apt_install(packages: Sequence[str], why: str) -> None:
    """Install Debian packages: as root (CI, a fresh container) with apt-get; as anyone else through
    ``sudo -n`` when sudo needs no password; otherwise stop and say the one command to run."""
    command = f"sudo apt-get install -y {' '.join(packages)}"
    apt = shutil.which("apt-get")
    if apt is None:
        raise SetupError(f"{why}, and this machine has no apt-get: install them ({' '.join(packages)}).")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if sudo and shutil.which("sudo") is None:
        raise SetupError(f"{why}: run {command} first.")
    say(f"{why}: installing Debian's {', '.join(packages)}...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in ([*sudo, apt, "update", "-qq"], [*sudo, apt, "install", "-y", "-qq", *packages]):
        if run(step, env) != 0:
            raise SetupError(f"{shlex.join(step)} failed (its message is above): run {command}, then try again.")


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium (never one Playwright downloads): install it if it is missing."""
    if CHROMIUM.exists():
        return
    apt_install(["chromium"], f"The browser tests need Chromium at {CHROMIUM}")
    if not CHROMIUM.exists():
        raise SetupError(
            f"apt-get installed chromium but {CHROMIUM} is still missing: set RESOLVE_CHROMIUM to its path."
        )


#: The libraries WeasyPrint draws PDFs with (Pango, through cffi), and the Debian packages that have them.
PANGO = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz": "libharfbuzz0b",
    "harfbuzz-subset": "libharfbuzz-subset0",  # embeds only the glyphs used; WeasyPrint will require it
}


def ensure_pango() -> None:
    """Records and reports are PDFs drawn by WeasyPrint with the machine's Pango: install it if it is missing."""
    missing = [package for library, package in PANGO.items() if ctypes.util.find_library(library) is None]
    if missing:
        apt_install(missing, "Resolve's PDF records and reports need Pango")


def test(pytest_args: Sequence[str]) -> int:
    python = ensure_venv()
    install(python, DEV_LOCK)
    ensure_chromium()
    ensure_pango()
    env = tool_env("resolve.settings.test")
    data_dir(env)
    database = describe_database(env, "a temporary test database file")
    say(f"Running the checks and the tests on {database}...")
    steps = [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
        ["lint-imports"],
        ["resolve", "makemigrations", "--check", "--dry-run"],
        ["pytest", *pytest_args],
    ]
    for step in steps:
        status = run_tool(step, env)
        if status == NO_TESTS and step[0] == "pytest":
            say(f"FAILED: pytest collected no tests (exit status 5); database: {database}.")
            return status
        if status != 0:
            say(f"FAILED: {shlex.join(step)} exited with status {status}; database: {database}.")
            return status
    say(f"PASSED: ruff, ruff format, mypy, lint-imports, makemigrations --check and pytest on {database}.")
    return 0


def screenshots(argv: Sequence[str]) -> int:
    """The main pages, as the demo's people see them, at 1280 and 320 px wide, in var/screenshots/."""
    python = ensure_venv()
    install(python, DEV_LOCK)
    ensure_chromium()
    env = tool_env("resolve.settings.test")
    data_dir(env)
    status = run_tool(["pytest", "-q", "tests/browser/test_main_pages.py", *argv], env)
    if status == 0:
        say(f"Screenshots of the main pages are in {relative(ROOT / 'var' / 'screenshots')}/ (not committed).")
    return status


def documents(argv: Sequence[str]) -> int:
    """Every document Resolve makes, for each shipped procedure, and each PDF page as PNG, in var/documents/."""
    python = ensure_venv()
    install(python, DEV_LOCK)
    ensure_pango()
    if shutil.which("pdftoppm") is None:
        apt_install(["poppler-utils"], "Rendering the documents' pages to PNG needs pdftoppm")
    out = ROOT / "var" / "documents"
    shutil.rmtree(out, ignore_errors=True)
    env = {**tool_env("resolve.settings.test"), "RESOLVE_DOCUMENT_PAGES": str(out)}
    data_dir(env)
    status = run_tool(["pytest", "-q", "tests/documents/test_every_document.py", *argv], env)
    if status == 0:
        say(f"The documents and their pages as PNG are in {relative(out)}/<procedure>/ (not committed).")
    return status


def lock(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py lock", description="Lock dependencies.")
    parser.add_argument("--upgrade", action="store_true", help="newest allowed version of all")
    options = parser.parse_args(argv)
    python = ensure_venv()
    uv = ensure_uv(python)
    DEV_LOCK.parent.mkdir(exist_ok=True)
    # The development lock first; the runtime lock is then held to the same versions.
    locks = ((DEV_LOCK, ["--extra", "dev"]), (BASE_LOCK, ["--constraint", relative(DEV_LOCK)]))
    for target, extra in locks:
        say(f"Locking {relative(target)}...")
        status = run([uv, *compile_args(target, upgrade=options.upgrade), *extra], pip_env())
        if status != 0:
            say(f"FAILED: uv pip compile for {relative(target)} exited with status {status}.")
            return status
    say("Locked. Commit requirements/*.txt; `python3 dev.py test` installs them on its next run.")
    return 0


def compile_args(target: Path, *, upgrade: bool) -> list[str]:
    args = ["pip", "compile", relative(PYPROJECT), "--output-file", relative(target)]
    args += ["--python-version", LOCK_PYTHON, "--universal", "--generate-hashes", "--quiet"]
    args += ["--custom-compile-command", "python3 dev.py lock"]
    return [*args, "--upgrade"] if upgrade else args


def ensure_uv(python: Path) -> Path:
    """The venv's uv, installed (at UV_VERSION) when it is missing or another version."""
    uv = bin_dir() / ("uv.exe" if os.name == "nt" else "uv")
    if uv_version(uv) != UV_VERSION:
        say(f"Installing uv {UV_VERSION} into the virtual environment...")
        pip_install(python, f"uv=={UV_VERSION}")
    return uv


def uv_version(uv: Path) -> str | None:
    if not uv.exists():
        return None
    found = subprocess.run([uv, "--version"], capture_output=True, text=True, check=False)
    words = found.stdout.split()  # "uv 0.13.9 (...)"
    return words[1] if len(words) > 1 else None


FRONTEND = ROOT / "frontend"
WEB_STATIC = ROOT / "src" / "resolve" / "web" / "static" / "web"
DOCUMENT_FONTS = ROOT / "src" / "resolve" / "documents" / "static" / "documents" / "fonts"


def assets(argv: Sequence[str]) -> int:
    argparse.ArgumentParser(prog="python3 dev.py assets", description="Rebuild GOV.UK Frontend.").parse_args(argv)
    npm = shutil.which("npm")
    if npm is None:
        raise SetupError("npm was not found: install Node.js (with npm) to rebuild the assets.")
    for step in (
        [npm, "ci", "--prefix", relative(FRONTEND), "--no-audit", "--no-fund"],
        [npm, "run", "--prefix", relative(FRONTEND), "build:css"],
    ):
        status = run(step)
        if status != 0:
            say(f"FAILED: {shlex.join([Path(step[0]).name, *step[1:]])} exited with status {status}.")
            return status
    package = FRONTEND / "node_modules" / "govuk-frontend"
    shutil.copyfile(package / "dist" / "govuk" / "govuk-frontend.min.js", WEB_STATIC / "govuk-frontend.min.js")
    # the documents' font (Arimo, Arial's metric twin, SIL OFL): shipped, so WeasyPrint fetches nothing
    fonts = FRONTEND / "node_modules" / "@fontsource" / "arimo"
    for subset in ("latin-400-normal", "latin-700-normal", "latin-ext-400-normal", "latin-ext-700-normal"):
        shutil.copyfile(fonts / "files" / f"arimo-{subset}.woff", DOCUMENT_FONTS / f"arimo-{subset}.woff")
    shutil.copyfile(fonts / "LICENSE", DOCUMENT_FONTS / "OFL.txt")
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    say(f"Built GOV.UK Frontend {version} into {relative(WEB_STATIC)}. Commit what changed there.")
    return 0


def usage(status: int) -> int:
    say(__doc__ or "")
    return status


def main(argv: Sequence[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        this = sys.version.split()[0]
        say(f"Resolve needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; this is {this}.")
        return 1
    if not argv:
        return usage(2)
    command, rest = argv[0], argv[1:]
    commands = {
        "serve": serve,
        "test": test,
        "screenshots": screenshots,
        "documents": documents,
        "lock": lock,
        "assets": assets,
    }
    if command in ("-h", "--help", "help"):
        return usage(0)
    if command not in commands:
        print(f"dev.py: unknown command {command!r}; the commands are below.\n", file=sys.stderr)
        return usage(2)
    try:
        return commands[command](rest)
    except SetupError as failure:
        say(f"dev.py: {failure}")
        return failure.status
    except KeyboardInterrupt:
        say("\nStopped.")
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
