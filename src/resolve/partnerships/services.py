"""Changing a partnership's reference data: its procedure and its calendar."""

from __future__ import annotations

from django.db import transaction

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.partnerships.models import Partnership, Person
from resolve.procedures.models import ProcedureVersion


@transaction.atomic
def partnership_adopt_procedure(
    *, partnership: Partnership, version: ProcedureVersion, by: Person | None
) -> Partnership:
    """New disagreements start on ``version``; disagreements already open stay on theirs."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    previous = partnership.procedure_id
    partnership.procedure = version
    partnership.save(update_fields=["procedure"])
    event_record(
        verb=Verb.PROCEDURE_ADOPTED,
        partnership=partnership,
        actor=by,
        data={"procedure": version.slug, "version": version.version, "previous_version_id": previous},
    )
    return partnership
