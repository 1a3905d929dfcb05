"""Storing procedure versions and adopting them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from resolve.procedures.loader import bundled_path, load_file, load_text, read_definition
from resolve.procedures.models import ProcedureVersion
from resolve.procedures.schema import Procedure


@transaction.atomic
def procedure_version_store(*, procedure: Procedure, source_text: str, origin: str) -> ProcedureVersion:
    """The stored version for this exact definition: the latest one if unchanged, else a new one."""
    digest = hashlib.sha256(source_text.encode()).hexdigest()
    latest = ProcedureVersion.objects.select_for_update().filter(slug=procedure.slug).order_by("-version").first()
    if latest is not None and latest.sha256 == digest:
        return latest
    number = (ProcedureVersion.objects.filter(slug=procedure.slug).aggregate(n=Max("version"))["n"] or 0) + 1
    return ProcedureVersion.objects.create(
        slug=procedure.slug,
        version=number,
        name=procedure.name,
        definition=procedure.model_dump(mode="json", by_alias=True),
        source_text=source_text,
        sha256=digest,
        origin=origin,
    )


def procedure_version_from_bundle(slug: str) -> ProcedureVersion:
    path = bundled_path(slug)
    text = read_definition(path)
    return procedure_version_store(procedure=load_file(path), source_text=text, origin=f"bundled:{slug}")


def procedure_version_from_file(path: Path | str) -> ProcedureVersion:
    path = Path(path)
    text = read_definition(path)
    return procedure_version_store(procedure=load_text(text, filename=str(path)), source_text=text, origin=path.name)
