"""Stored procedure versions: what a partnership adopted, exactly as it was, for as long as needed."""

from __future__ import annotations

from functools import cached_property

from django.db import models

from resolve.procedures.schema import Procedure


class ProcedureVersion(models.Model):
    """One version of a procedure definition. Never edited: a change is a new version.

    A disagreement points at the version it started on and stays on it.
    """

    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=300)
    definition = models.JSONField(help_text="the validated definition")
    source_text = models.TextField(help_text="the YAML it was read from")
    sha256 = models.CharField(max_length=64)
    origin = models.CharField(max_length=300, help_text="bundled:<slug> or the file it came from")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="procedure_version_unique")]
        ordering = ["slug", "-version"]

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"

    @cached_property
    def procedure(self) -> Procedure:
        """The definition, validated once per process: a version is never edited (a change is a new one).

        Kept by id and hash, so that a row with the same id and other contents (a test database's
        reused id) is validated afresh.
        """
        key = (self.pk, self.sha256)
        found = _VALIDATED.get(key) if self.pk is not None else None
        if found is None:
            found = Procedure.model_validate(self.definition)
            if self.pk is not None:
                _VALIDATED[key] = found
        return found

    @classmethod
    def procedure_of(cls, pk: int, sha256: str) -> Procedure:
        """The procedure of the stored version ``pk``, read from the database only the first time."""
        found = _VALIDATED.get((pk, sha256))
        return found if found is not None else cls.objects.get(pk=pk, sha256=sha256).procedure


#: the procedures of stored versions, validated: by (id, sha256)
_VALIDATED: dict[tuple[int, str], Procedure] = {}
