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
from pydantic import BaseModel

from resolve.procedures.cli_support import procedure_from_argument
from resolve.procedures.loader import bundled, bundled_path, bundled_slugs, check_file
from resolve.procedures.models import ProcedureVersion
from resolve.procedures.schema import Handlers, Notification, Procedure, RecordRequirement, Timescale

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
        """The whole procedure in words, each rule with its source in square brackets."""
        write = self.stdout.write
        write(f"{procedure.name} [{procedure.slug}]")
        write(f"{procedure.partnership}; {procedure.version}; bank holidays: {procedure.nation}")
        write(f"from: {procedure.document}")
        if procedure.categories:
            write("\nCategories (each chooses a pathway):")
            for c in procedure.categories:
                route = f"refused: {c.refuse_with}" if c.refuse_with else f"pathway {c.pathway or '(any)'}"
                write(f"  - {c.name} [{c.slug}]: {route} [{c.source}]")
        if procedure.reasons:
            write("\nReasons (apply to every category; they choose no pathway):")
            for reason in procedure.reasons:
                write(f"  - {reason.name} [{reason.slug}] [{reason.source}]")
        if procedure.flags:
            write("\nFlags (conditions of a case, set when raising it):")
            for f in procedure.flags:
                write(f"  - {f.name} [{f.slug}] [{f.source}]")
        if procedure.roles:
            write("\nPartnership roles:")
            for role in procedure.roles:
                reach = f"; contact: {role.contact}" if role.contact else ""
                write(f"  - {role.name} [{role.slug}] ({role.kind.replace('_', ' ')}{reach}) [{role.source}]")
        if procedure.contacts:
            write("\nContacts:")
            for contact in procedure.contacts:
                when = f" ({contact.when})" if contact.when else ""
                ooh = " (out of hours)" if contact.out_of_hours else ""
                write(f"  - {contact.name}: {contact.detail}{when}{ooh} [{contact.source}]")
        if procedure.significant_harm is not None:
            write(f"\nSignificant harm: {_timescale_text(procedure.significant_harm)}")
        if procedure.notifications:
            write("\nAt every stage:")
            for notice in procedure.notifications:
                write(f"  tell {_notice_text(notice)}")
        for pathway in procedure.pathways:
            write(f"\n{pathway.name} [{pathway.slug}] [{pathway.source}]")
            for condition in pathway.entry_conditions:
                write(f"  when: {condition}")
            for n, stage in enumerate(pathway.stages, 1):
                urgent = " (an urgent case may start here)" if stage.urgent_start else ""
                write(f"  {n}. {stage.name} [{stage.slug}]{urgent} [{stage.source}]")
                write(f"     handled by: {_handlers_text(stage.handlers)}")
                for t in stage.timescales:
                    write(f"     due: {_timescale_text(t)}")
                for r in stage.records:
                    write(f"     record: {_record_text(r)}")
                for notice in stage.notifications:
                    write(f"     tell {_notice_text(notice)}")

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


def _conditions(words: list[str]) -> str:
    return f" ({'; '.join(words)})" if words else ""


def _others(model: BaseModel, known: set[str]) -> list[str]:
    """Fields this command does not word yet, when set: shown as written rather than left out."""
    fields = type(model).model_fields
    return [
        f"{name.replace('_', ' ')}: {_plain(getattr(model, name))}"
        for name, info in fields.items()
        if name not in known and getattr(model, name) != info.get_default(call_default_factory=True)
    ]


def _plain(value: Any) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, BaseModel):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.model_dump(exclude_defaults=True).items())
    return str(value)


def _handlers_text(handlers: Handlers) -> str:
    words = []
    if handlers.levels:
        by_agency = ", ".join(f"{column} {level}" for column, level in handlers.levels.items())
        other = f"; level {handlers.level} in any other agency" if handlers.level is not None else ""
        words.append(f"level by agency: {by_agency}{other}")
    elif handlers.level is not None:
        words.append(f"level {handlers.level} in each agency")
    if handlers.roles:
        words.append(f"roles: {', '.join(handlers.roles)}")
    # Handlers who take part only when someone with authority requests it (NEL's Independent Scrutiny
    # Officer, "may be requested").
    if handlers.on_request:
        words.append(f"on request only: {', '.join(handlers.on_request)}")
    words += _others(handlers, {"description", "level", "levels", "roles", "on_request", "source"})
    return f"{handlers.description}{_conditions(words)} [{handlers.source}]"


def _timescale_text(t: Timescale) -> str:
    measure = f"{t.n} " if t.n else ""
    words = f' "{t.words}"' if t.words else ""
    conditions = []
    if t.applies != "always":
        conditions.append(f"only when {t.applies.replace('_', ' ')}")
    if t.flag:
        conditions.append(f"only with flag {t.flag}")
    if t.step:
        conditions.append("a step within the stage")
    conditions += _others(t, {"slug", "what", "rule", "n", "words", "from_", "applies", "flag", "step", "source"})
    return f"{t.what}: {measure}{t.rule.replace('_', ' ')}{words} from {t.from_}{_conditions(conditions)} [{t.source}]"


def _record_text(r: RecordRequirement) -> str:
    conditions = [f"before {' or '.join(r.required_before)}"]
    if r.flag:
        conditions.append(f"only with flag {r.flag}")
    if r.kept_by:
        conditions.append(f"kept by {', '.join(r.kept_by)}")
    if r.form and r.form != r.title:
        conditions.append(f"form: {r.form}")
    conditions += _others(r, {"kind", "title", "required_before", "kept_by", "form", "flag", "source"})
    return f"{r.title}{_conditions(conditions)} [{r.source}]"


NOTICE_WHEN = {
    "entry": "when the stage begins",
    "close": "when the stage closes",
    "escalate": "when the stage is escalated",
    "final": "when the disagreement ends at this stage",
    "involved": "when someone at the level takes part",
    "condition": "when a handler records the condition",
}


def _notice_text(n: Notification) -> str:
    conditions = [NOTICE_WHEN.get(n.when, f"when: {n.when}")]
    if n.condition:
        conditions.append(f"condition: {n.condition}")
    if n.min_level is not None:
        conditions.append(f"only once someone at level {n.min_level} or above is involved")
    if n.once:
        conditions.append("once per disagreement")
    if n.within == "own_agency":
        conditions.append("only the role's holders in the raiser's own organisation")
    if n.offer:
        conditions.append("offered to the raiser to ask, not sent")
    if n.flag:
        conditions.append(f"only with flag {n.flag}")
    if n.reached_stage:
        conditions.append(f"only if it reached {n.reached_stage}")
    if n.timing:
        conditions.append(f"timing: {n.timing}")
    if n.form:
        conditions.append(f"form: {n.form}")
    shown = {"to", "what", "when", "condition", "min_level", "once", "within", "offer", "flag", "reached_stage"}
    conditions += _others(n, {*shown, "timing", "form", "source"})
    return f"{n.to}: {n.what}{_conditions(conditions)} [{n.source}]"
