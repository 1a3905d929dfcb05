"""Shared by the ``resolve`` commands that read procedures: finding one by slug or by file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from resolve.procedures.loader import DefinitionError, UnknownProcedure, bundled, load_file
from resolve.procedures.schema import Procedure


def procedure_from_argument(value: str) -> Procedure:
    """A bundled slug (``enfield``) or the path of a definition file (``./ours.yaml``)."""
    try:
        if value.endswith((".yaml", ".yml")) or Path(value).is_file():
            return load_file(value)
        return bundled(value)
    except UnknownProcedure as exc:
        raise CommandError(str(exc)) from exc
    except DefinitionError as exc:
        raise CommandError(f"The definition cannot be used:\n{exc}") from exc
