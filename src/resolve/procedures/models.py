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
        return Procedure.model_validate(self.definition)
