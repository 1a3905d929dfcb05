"""The `resolve` command works from any folder, and says which setting to give when it has no database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from resolve import cli

SRC = Path(__file__).resolve().parents[1] / "src"


def resolve(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `resolve` as a person types it, in ``cwd``, with the local settings and no DATABASE_URL."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RESOLVE_DATA_DIR")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment["PYTHONPATH"] = os.pathsep.join([str(SRC), environment.get("PYTHONPATH", "")])
    environment.update(env)
    command = [sys.executable, "-c", "from resolve.cli import main; main()", *args]
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=120, check=False)


def test_a_command_without_a_database_works_from_any_folder(tmp_path: Path) -> None:
    done = resolve("timeline", "enfield", "--start", "2026-11-23T09:00", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Stage" in done.stdout or "stage" in done.stdout
    assert "Traceback" not in done.stderr


def test_without_a_database_it_says_which_setting_to_give_and_shows_no_traceback(tmp_path: Path) -> None:
    nowhere = tmp_path / "no-such-folder"
    done = resolve("showmigrations", cwd=tmp_path, RESOLVE_DATA_DIR=str(nowhere))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "DATABASE_URL" in done.stderr
    assert str(nowhere / "resolve.sqlite3") in done.stderr
    assert "RESOLVE_DATA_DIR" in done.stderr
    assert "resolve migrate" in done.stderr


def test_a_database_that_cannot_be_reached_names_database_url_and_no_password(tmp_path: Path) -> None:
    done = resolve("showmigrations", cwd=tmp_path, DATABASE_URL="postgres://resolve:s3cret@127.0.0.1:9/resolve")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "Check DATABASE_URL" in done.stderr
    assert "s3cret" not in done.stderr


def test_migrate_makes_the_sqlite_database_in_a_folder_that_does_not_exist_yet(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = resolve("migrate", "--noinput", cwd=tmp_path, RESOLVE_DATA_DIR=str(data))
    assert done.returncode == 0, done.stderr
    assert (data / "resolve.sqlite3").is_file()


def test_in_a_source_checkout_the_database_is_the_checkouts_wherever_the_command_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RESOLVE_DATA_DIR", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    cli._default_data_dir()
    assert os.environ["RESOLVE_DATA_DIR"] == str(cli.CHECKOUT / "var")
    assert (cli.CHECKOUT / "dev.py").is_file()
