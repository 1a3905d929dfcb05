"""Shared building blocks for the domain models."""

from __future__ import annotations

import uuid

from django.db import models


class UUIDModel(models.Model):
    """A model whose identifier can appear in a URL without revealing anything or being guessed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes: records are appended, corrections are new entries."""

    def update(self, **kwargs: object) -> int:
        raise TypeError(f"{self.model.__name__} rows are append-only: record a correction instead")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(f"{self.model.__name__} rows are append-only and cannot be deleted")
