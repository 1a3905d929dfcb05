"""``resolve demo``: load the demo partnership (once) and say how to sign in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from resolve.demo.loader import ADMINISTRATOR, AGENCIES, DEMO_PASSWORD, PARTNERSHIP_TEAM, load_demo, username


class Command(BaseCommand):
    help = "Load a demo partnership with agencies, people and disagreements (for trying Resolve locally)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="where the server will listen")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not getattr(settings, "RESOLVE_ALLOW_DEMO", False):
            raise CommandError("The demo is for local use: it is not loaded with these settings.")
        result = load_demo()
        state = "Loaded" if result.created else "Already loaded:"
        self.stdout.write(f"{state} {result.partnership.name}.")
        self.stdout.write(f"\nOpen Resolve at {options['url']}")
        self.stdout.write(f"Sign in as any demo person with the password {DEMO_PASSWORD!r}, for example:")
        examples = [AGENCIES[0][2][0], AGENCIES[0][2][1], AGENCIES[1][2][1], AGENCIES[3][2][0]]
        for short, name, title in examples:
            self.stdout.write(f"  {username(short):<38} {name}, {title}")
        short, name, title, _ = PARTNERSHIP_TEAM[0]
        self.stdout.write(f"  {username(short):<38} {name}, {title}")
        self.stdout.write(f"  {username(ADMINISTRATOR):<38} the partnership's administrator (its pages under /manage/)")
