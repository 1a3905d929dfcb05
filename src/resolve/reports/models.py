"""The learning log: what a disagreement taught the partnership, and what was done about each theme."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from resolve.core.models import AppendOnlyQuerySet


class LearningEntry(models.Model):
    """Wider learning a handler recorded at resolution (Enfield L82; Cumbria L41). Append-only.

    A gap in policy or procedure, a training need, and themes from the partnership's list; any of
    them may be empty, but not all. Never a child's name: the text is about practice.
    """

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    disagreement = models.ForeignKey(
        "disagreements.Disagreement", on_delete=models.PROTECT, related_name="learning_entries"
    )
    policy_gap = models.TextField(blank=True, help_text="a gap in policies and procedures")
    training_need = models.TextField(blank=True, help_text="a single or multi-agency training need")
    note = models.TextField(blank=True, help_text="any other wider learning")
    themes = models.ManyToManyField("partnerships.LearningTheme", blank=True, related_name="entries")
    recorded_by = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name_plural = "learning entries"

    def __str__(self) -> str:
        return f"learning recorded {self.recorded_at:%Y-%m-%d}"


class LearningResponse(models.Model):
    """What the practice-improvement group did about a theme, recorded by the business unit. Append-only."""

    class Kind(models.TextChoices):
        ACTION = "action", _("Action agreed")
        TRAINING = "training", _("Training arranged")
        POLICY = "policy", _("Policy or procedure changed")
        NO_ACTION = "no_action", _("Considered: no action needed")

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey("partnerships.LearningTheme", on_delete=models.PROTECT, related_name="responses")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField(help_text="what the group did, or decided")
    recorded_by = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.recorded_at:%Y-%m-%d})"
