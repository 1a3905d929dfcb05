"""``resolve procedures list|show|check|versions``: look at and validate procedure definitions.

A partnership adopting a procedure (``resolve procedures adopt``) is the partnerships app's business:
its own ``procedures`` command extends this one with that action, so that this app knows nothing of
partnerships.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from resolve.procedures.cli_support import procedure_from_argument
from resolve.procedures.loader import bundled, bundled_path, bundled_slugs, check_file
from resolve.procedures.models import ProcedureVersion
from resolve.procedures.schema import Procedure

Action = Callable[[dict[str, Any]], None]


class Command(BaseCommand):
    help = "List, show or check procedure definitions."

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_actions(parser.add_subparsers(dest="action", required=True))

    def add_actions(self, sub: argparse._SubParsersAction[CommandParser]) -> None:
        """The subcommands; a command that extends this one adds its own after these."""
        sub.add_parser("list", help="the bundled procedures")
        show = sub.add_parser("show", help="one procedure, as text or JSON")
        show.add_argument("procedure", help="a bundled slug or a definition file")
        show.add_argument("--format", choices=["text", "json"], default="text")
        check = sub.add_parser("check", help="validate definitions; exit status 1 if anything is wrong")
        check.add_argument("files", nargs="*", help="definition files (default: every bundled one)")
        versions = sub.add_parser("versions", help="the stored versions of a procedure")
        versions.add_argument("slug")

    def actions(self) -> dict[str, Action]:
        """What each subcommand does, by name."""
        return {"list": self._list, "show": self._show, "check": self._check, "versions": self._versions}

    def handle(self, *args: Any, **options: Any) -> None:
        self.actions()[options["action"]](options)

    def _list(self, options: dict[str, Any]) -> None:
        for slug in bundled_slugs():
            p = bundled(slug)
            self.stdout.write(f"{slug:<26} {p.name} ({p.version})")

    def _versions(self, options: dict[str, Any]) -> None:
        for v in ProcedureVersion.objects.filter(slug=options["slug"]).order_by("version"):
            self.stdout.write(f"v{v.version}  {v.created_at:%Y-%m-%d %H:%M}  {v.origin}  sha256:{v.sha256[:12]}")

    def _show(self, options: dict[str, Any]) -> None:
        procedure = procedure_from_argument(options["procedure"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(procedure.model_dump(mode="json", by_alias=True), indent=2))
            return
        self._show_text(procedure)

    def _show_text(self, procedure: Procedure) -> None:
        self.stdout.write(f"{procedure.name} [{procedure.slug}]")
        self.stdout.write(f"{procedure.partnership}; {procedure.version}; bank holidays: {procedure.nation}")
        for pathway in procedure.pathways:
            self.stdout.write(f"\n{pathway.name} [{pathway.slug}]")
            for n, stage in enumerate(pathway.stages, 1):
                urgent = " (an urgent case may start here)" if stage.urgent_start else ""
                self.stdout.write(f"  {n}. {stage.name} [{stage.slug}]{urgent}")
                self.stdout.write(f"     handled by: {stage.handlers.description}")
                for t in stage.timescales:
                    measure = f"{t.n} " if t.n else ""
                    words = f' "{t.words}"' if t.words else ""
                    self.stdout.write(
                        f"     due: {t.what}: {measure}{t.rule.replace('_', ' ')}{words} from {t.from_}"
                        f"{'' if t.applies == 'always' else ' (' + t.applies.replace('_', ' ') + ')'}"
                    )
                for r in stage.records:
                    self.stdout.write(f"     record: {r.title}")
                for notice in stage.notifications:
                    self.stdout.write(f"     tell {notice.to}: {notice.what}")

    def _check(self, options: dict[str, Any]) -> None:
        files = [Path(f) for f in options["files"]] or [bundled_path(s) for s in bundled_slugs()]
        failed = 0
        for path in files:
            problems = check_file(path)
            if problems:
                failed += 1
                for problem in problems:
                    self.stdout.write(str(problem))
            else:
                self.stdout.write(f"{path}: ok")
        if failed:
            self.stderr.write(f"{failed} of {len(files)} definition(s) have problems.")
            raise SystemExit(1)
        self.stdout.write(f"All {len(files)} definition(s) are valid.")
