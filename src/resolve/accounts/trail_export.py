"""Exporting the audit trail for one disagreement or one person: the command, the admin and the
partnership's own audit page (/manage/<partnership>/audit/) share this.

Only an administrator of the subject's partnership (or a superuser, or an operator at the command
line) may export it; to anyone else the subject does not exist. Every export is itself an entry
in the trail, and the file says who made it. It lives in ``accounts`` (below both faces, above
``disagreements``) so that the web pages and the admin can both import it (decision 0011).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.audit.models import Verb
from resolve.audit.selectors import as_row, trail_for_disagreement, trail_for_person
from resolve.audit.services import event_record
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Partnership, Person
from resolve.partnerships.services import Asker, Asking, administrator_check

FORMATS = ("json", "csv")


@dataclass(frozen=True)
class TrailExport:
    rows: list[dict[str, Any]]
    subject: str  # "disagreement-<id>" or "person-<id>": identifiers only, safe in a file name
    exported_by: str  # "operator <login>@<host>", "account <id>" or "person <id> (account <id>)"
    exported_at: str

    def filename(self, fmt: str) -> str:
        """The download's file name: identifiers only, never a name."""
        return f"audit-trail-{self.subject}.{fmt}"

    @staticmethod
    def content_type(fmt: str) -> str:
        return ("application/json" if fmt == "json" else "text/csv") + "; charset=utf-8"

    def as_text(self, fmt: str) -> str:
        """JSON (a list of entries) or CSV; every entry names who made the export and when."""
        made = {"exported_by": self.exported_by, "exported_at": self.exported_at}
        if fmt == "json":
            return json.dumps([{**row, **made} for row in self.rows], indent=2)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=[*(list(self.rows[0]) if self.rows else ["entry"]), *made])
        writer.writeheader()
        for row in self.rows:
            writer.writerow({**row, "details": json.dumps(row["details"], sort_keys=True), **made})
        return out.getvalue()


def _described(asker: Asker) -> str:
    if "operator" in asker.data:
        return f"operator {asker.data['operator']}"
    account = f"account {asker.data['user']}"
    return f"person {asker.actor.pk} ({account})" if asker.actor else account


def disagreement_id_for_reference(*, partnership: Partnership, reference: str) -> str:
    """The identifier of ``partnership``'s disagreement with this short reference (NEL-2026-0042), or "".

    Case and surrounding spaces do not matter; another partnership's reference finds nothing.
    """
    text = (reference or "").strip().upper()
    if not text or "\x00" in text:
        return ""
    found = Disagreement.objects.filter(partnership=partnership, reference__iexact=text).values_list("pk", flat=True)
    first = found.first()
    return str(first) if first is not None else ""


def trail_export(
    *, disagreement_id: str = "", person_id: str = "", by: Asking, partnership: Partnership | None = None
) -> TrailExport:
    """The entries about one disagreement or one person; the export itself is logged (one transaction).

    Raises ResolveError when neither or both are given, and NotFound for an unknown identifier or
    one in a partnership ``by`` does not administer (the two are indistinguishable). With
    ``partnership`` (a partnership's own page), a subject of any other partnership is not found
    either, even for a superuser.
    """
    if bool(disagreement_id) == bool(person_id):
        raise ResolveError(_("Give either a disagreement's identifier or a person's, not both or neither."))
    kind = "disagreement" if disagreement_id else "person"
    missing = NotFound(_("No such %(kind)s: check the identifier.") % {"kind": kind}, field=kind)
    with transaction.atomic():
        subject_partnership: Partnership
        try:
            if disagreement_id:
                disagreement = Disagreement.objects.select_related("partnership").get(pk=disagreement_id.strip())
                subject_partnership, subject = disagreement.partnership, {"disagreement": str(disagreement.pk)}
            else:
                person = Person.objects.select_related("partnership").get(pk=person_id.strip())
                subject_partnership, subject = person.partnership, {"person": str(person.pk)}
        except (Disagreement.DoesNotExist, Person.DoesNotExist, ValidationError, ValueError):
            raise missing from None
        if partnership is not None and subject_partnership.pk != partnership.pk:
            raise missing
        partnership = subject_partnership
        try:
            asker = administrator_check(partnership=partnership, by=by)
        except Refused:
            raise missing from None
        trail = trail_for_disagreement(disagreement) if disagreement_id else trail_for_person(person)
        rows = [as_row(e) for e in trail]
        entry = event_record(
            verb=Verb.EXPORTED,
            partnership=partnership,
            actor=asker.actor,
            data={**subject, "entries": len(rows), **asker.data},
        )
    return TrailExport(
        rows=rows,
        subject=f"{kind}-{subject[kind]}",
        exported_by=_described(asker),
        exported_at=timezone.localtime(entry.at).isoformat(),
    )
