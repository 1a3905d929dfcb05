"""Exporting the audit trail for one disagreement or one person: the command and the admin share this."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from resolve.audit.models import Verb
from resolve.audit.selectors import as_row, trail_for_disagreement, trail_for_person
from resolve.audit.services import event_record
from resolve.core.actors import Operator
from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Person

FORMATS = ("json", "csv")


@dataclass(frozen=True)
class TrailExport:
    rows: list[dict[str, Any]]
    subject: str  # "disagreement-<id>" or "person-<id>": identifiers only, safe in a file name

    def as_text(self, fmt: str) -> str:
        if fmt == "json":
            return json.dumps(self.rows, indent=2)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(self.rows[0]) if self.rows else ["entry"])
        writer.writeheader()
        for row in self.rows:
            writer.writerow({**row, "details": json.dumps(row["details"], sort_keys=True)})
        return out.getvalue()


def trail_export(*, disagreement_id: str = "", person_id: str = "", by: Person | Operator | None = None) -> TrailExport:
    """The entries about one disagreement or one person; the export itself is logged (one transaction).

    Raises ResolveError when neither or both are given and NotFound for an unknown identifier.
    """
    if bool(disagreement_id) == bool(person_id):
        raise ResolveError("Give either a disagreement's identifier or a person's, not both or neither.")
    with transaction.atomic():
        try:
            if disagreement_id:
                disagreement = Disagreement.objects.get(pk=disagreement_id.strip())
                rows = [as_row(e) for e in trail_for_disagreement(disagreement)]
                partnership, subject = disagreement.partnership, {"disagreement": str(disagreement.pk)}
            else:
                person = Person.objects.get(pk=person_id.strip())
                rows = [as_row(e) for e in trail_for_person(person)]
                partnership, subject = person.partnership, {"person": str(person.pk)}
        except (Disagreement.DoesNotExist, Person.DoesNotExist, ValidationError, ValueError):
            kind = "disagreement" if disagreement_id else "person"
            raise NotFound(f"No such {kind}: check the identifier.", field=kind) from None
        event_record(verb=Verb.EXPORTED, partnership=partnership, actor=by, data={**subject, "entries": len(rows)})
    ((kind, pk),) = subject.items()
    return TrailExport(rows=rows, subject=f"{kind}-{pk}")
