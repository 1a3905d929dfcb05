"""The `resolve` command: Django's management commands under Resolve's own name.

`resolve timeline ...`, `resolve procedures check ...`, `resolve runserver` and every other
management command run with the local settings unless DJANGO_SETTINGS_MODULE says otherwise.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resolve.settings.local")
    from django.core.management import execute_from_command_line  # noqa: PLC0415

    from resolve.audit.context import origin  # noqa: PLC0415 - imported once settings are chosen

    args = sys.argv[1:] if argv is None else argv
    with origin(f"command: {args[0] if args else 'resolve'}"):
        execute_from_command_line(["resolve", *args])


if __name__ == "__main__":
    main()
