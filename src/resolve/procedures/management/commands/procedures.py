"""``resolve procedures list|show|check``: look at and validate procedure definitions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resolve.core.actors import Operator
from resolve.partnerships.models import Partnership
from resolve.partnerships.services import partnership_adopt_procedure
from resolve.procedures.cli_support import procedure_from_argument
from resolve.procedures.loader import bundled, bundled_path, bundled_slugs, check_file
from resolve.procedures.models import ProcedureVersion
from resolve.procedures.schema import Procedure
from resolve.procedures.services import procedure_version_from_bundle, procedure_version_from_file


class Command(BaseCommand):
    help = "List, show or check procedure definitions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list,show,check,adopt,versions}")
        sub.add_parser("list", help="the bundled procedures")
        show = sub.add_parser("show", help="one procedure, as text or JSON")
        show.add_argument("procedure", help="a bundled slug or a definition file")
        show.add_argument("--format", choices=["text", "json"], default="text")
        check = sub.add_parser("check", help="validate definitions; exit status 1 if anything is wrong")
        check.add_argument("files", nargs="*", help="definition files (default: every bundled one)")
        adopt = sub.add_parser("adopt", help="a partnership adopts a bundled procedure or its own file")
        adopt.add_argument("partnership", help="the partnership's slug")
        adopt.add_argument("procedure", help="a bundled slug or a definition file")
        versions = sub.add_parser("versions", help="the stored versions of a procedure")
        versions.add_argument("slug")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for slug in bundled_slugs():
                p = bundled(slug)
                self.stdout.write(f"{slug:<26} {p.name} ({p.version})")
        elif action == "show":
            self._show(procedure_from_argument(options["procedure"]), options["format"])
        elif action == "adopt":
            self._adopt(options["partnership"], options["procedure"])
        elif action == "versions":
            for v in ProcedureVersion.objects.filter(slug=options["slug"]).order_by("version"):
                self.stdout.write(f"v{v.version}  {v.created_at:%Y-%m-%d %H:%M}  {v.origin}  sha256:{v.sha256[:12]}")
        else:
            self._check([Path(f) for f in options["files"]] or [bundled_path(s) for s in bundled_slugs()])

    def _show(self, procedure: Procedure, fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(procedure.model_dump(mode="json", by_alias=True), indent=2))
            return
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

    def _adopt(self, partnership_slug: str, value: str) -> None:
        try:
            partnership = Partnership.objects.get(slug=partnership_slug)
        except Partnership.DoesNotExist:
            raise CommandError(f"There is no partnership {partnership_slug!r}.") from None
        procedure_from_argument(value)  # a clear message for an unknown slug or a bad file
        is_file = value.endswith((".yaml", ".yml")) or Path(value).is_file()
        version = procedure_version_from_file(value) if is_file else procedure_version_from_bundle(value)
        partnership_adopt_procedure(partnership=partnership, version=version, by=Operator.current())
        self.stdout.write(
            f"{partnership.name} now uses {version.name}, version {version.version}. "
            f"Disagreements already open stay on the version they started on."
        )

    def _check(self, files: list[Path]) -> None:
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
