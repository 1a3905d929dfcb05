"""The `resolve` command: Django's management commands under Resolve's own name.

`resolve timeline ...`, `resolve procedures check ...`, `resolve runserver` and every other
management command run with the local settings unless DJANGO_SETTINGS_MODULE says otherwise.

It works from any folder. Run from a source checkout (an editable install, as `python3 dev.py`
makes), its SQLite file is the checkout's `var/resolve.sqlite3`, the one `python3 dev.py serve` uses,
whichever folder the command is typed in; RESOLVE_DATA_DIR or DATABASE_URL choose another. When the
database cannot be opened it says which setting to give, without a traceback.
"""

import os
import sys
from pathlib import Path

import resolve

# A source checkout: the folder holding pyproject.toml and dev.py above src/resolve/.
CHECKOUT = Path(resolve.__file__).resolve().parents[2]
# Commands that make the database, and so may make its folder first.
CREATE_DATABASE = {"migrate"}


def _default_data_dir() -> None:
    """In a source checkout, the checkout's var/ folder rather than one in whichever folder this runs from."""
    if "RESOLVE_DATA_DIR" in os.environ or "DATABASE_URL" in os.environ:
        return
    if (CHECKOUT / "dev.py").is_file() and (CHECKOUT / "pyproject.toml").is_file():
        os.environ["RESOLVE_DATA_DIR"] = str(CHECKOUT / "var")


def _sqlite_file() -> Path | None:
    from django.conf import settings  # noqa: PLC0415 - read once the settings module is chosen

    database = settings.DATABASES.get("default", {})
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        return None
    return Path(str(database["NAME"]))


def database_help(error: Exception) -> str:
    """What to do when the database cannot be used: the setting to give, and no password."""
    sqlite = _sqlite_file()
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if sqlite is None:
        return (
            f"Resolve could not use its database: {reason}.\n"
            "Check DATABASE_URL (for example postgres://USER@HOST:5432/resolve): the server must be running "
            "and the database must exist. Then run `resolve migrate` to create its tables."
        )
    missing = "" if sqlite.is_file() else " (it does not exist yet)"
    folder = "RESOLVE_DATA_DIR" if "RESOLVE_DATA_DIR" in os.environ else "./var (RESOLVE_DATA_DIR is not set)"
    return (
        f"Resolve could not use its database: {reason}.\n"
        f"Without DATABASE_URL, Resolve uses the SQLite file {sqlite}{missing}, "
        f"resolve.sqlite3 in {folder}.\n"
        "Set DATABASE_URL to a PostgreSQL database (postgres://USER@HOST:5432/resolve), or RESOLVE_DATA_DIR "
        "to the folder that holds resolve.sqlite3, or run `resolve migrate` to create the SQLite database."
    )


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resolve.settings.local")
    _default_data_dir()
    from django.core.management import execute_from_command_line  # noqa: PLC0415
    from django.db import Error as DatabaseError  # noqa: PLC0415

    from resolve.audit.context import origin  # noqa: PLC0415 - imported once settings are chosen

    args = sys.argv[1:] if argv is None else argv
    try:
        if args and args[0] in CREATE_DATABASE and (sqlite := _sqlite_file()) is not None:
            sqlite.parent.mkdir(parents=True, exist_ok=True)
        with origin(f"command: {args[0] if args else 'resolve'}"):
            execute_from_command_line(["resolve", *args])
    except DatabaseError as error:
        sys.stderr.write(database_help(error) + "\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
