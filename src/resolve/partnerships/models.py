"""Partnerships, their agencies and people, line management and seniority, and calendars."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from resolve.calendar import NATIONS
from resolve.core.models import UUIDModel
from resolve.procedures.schema import RESERVED_ROLE_SLUGS, reserved_role_problem


class Partnership(UUIDModel):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    nation = models.CharField(
        max_length=3,
        choices=sorted(NATIONS.items()),
        help_text="whose bank holidays the working-day calendar uses; chosen when the partnership is made, "
        "never assumed (decision 0003)",
    )
    procedure = models.ForeignKey(
        "procedures.ProcedureVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="the procedure version new disagreements start on",
    )
    mfa_required = models.BooleanField(
        default=False, help_text="everyone in this partnership must sign in with a second factor (TOTP)"
    )
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="administered_partnerships",
        help_text="staff accounts that administer this partnership; only superusers see across partnerships",
    )
    retention_days = models.PositiveIntegerField(
        default=6 * 365,
        help_text="how long after it closes a disagreement's personal data is kept; "
        "then `resolve retention apply` removes it and keeps the anonymous figures",
    )
    reference_prefix = models.CharField(
        max_length=8,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9]{0,7}$", "Use 1 to 8 capital letters or digits, starting with a letter, such as NEL."
            )
        ],
        help_text="the letters before every disagreement's short reference (NEL in NEL-2026-0042); "
        "blank: the initials of the slug. References already given keep their letters.",
    )

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail (SMTP)")
        NOTIFY = "notify", _("GOV.UK Notify")

    message_channel = models.CharField(
        max_length=10,
        choices=Channel.choices,
        default=Channel.EMAIL,
        help_text="how Resolve sends this partnership's messages: its SMTP server, or GOV.UK Notify "
        "(the server's settings and Notify's key come from the environment)",
    )
    day_starts = models.TimeField(
        default=time(9, 0), help_text="when the working day starts on the local clock (Europe/London)"
    )
    day_ends = models.TimeField(
        default=time(17, 0),
        help_text="when the working day ends on the local clock: 'same working day' and 'N working days' "
        "end here; changing it moves no stored deadline until they are recalculated",
    )
    suppress_below = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="in every figure that leaves the oversight dashboard (exports, board reports), a count "
        "under this is shown as 'fewer than N', so that no child can be identified",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day_ends__gt=models.F("day_starts")), name="partnership_day_ends"
            ),
            # No silent default nation: a partnership made without one is refused, not counted as England's.
            models.CheckConstraint(condition=models.Q(nation__in=sorted(NATIONS)), name="partnership_nation_known"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reference_letters(self) -> str:
        """The letters of its disagreements' short references: its own prefix, else its slug's initials."""
        if self.reference_prefix:
            return self.reference_prefix
        initials = "".join(word[0] for word in self.slug.split("-") if word).upper()
        return initials[:8] or "R"


class CalendarDay(models.Model):
    """A partnership's own change to the working-day calendar: a closure or an extra working day."""

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("Closure day (not a working day)")
        WORKING = "working", _("Extra working day")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "date"], name="calendar_day_unique")]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.get_kind_display()}"


class Agency(UUIDModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    matrix_agency = models.SlugField(
        max_length=80,
        blank=True,
        help_text="the column of the procedure's seniority matrix this agency is (e.g. met-police)",
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="when the agency left the partnership: it keeps its history, and nothing new is raised with it",
    )

    class Meta:
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="agency_name_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(UUIDModel):
    """A professional in one of the partnership's agencies, or in the partnership's own team."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="people")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="seniority level in the procedure's matrix (1 = practitioner)"
    )
    line_manager = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports")
    is_active = models.BooleanField(default=True)
    daily_digest = models.BooleanField(
        default=False,
        help_text="one message at the start of each working day instead of one message each time "
        "(never for urgent matters, which are sent at once)",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}"

    def clean(self) -> None:
        """Agency and line manager belong to the person's own partnership; nobody manages themselves."""
        super().clean()
        errors: dict[str, str] = {}
        if self.partnership_id is None:
            return
        if self.agency is not None and self.agency.partnership_id != self.partnership_id:
            errors["agency"] = gettext("Choose an agency of the person's own partnership.")
        if self.line_manager is not None:
            if self.line_manager_id == self.pk:
                errors["line_manager"] = gettext("A person cannot be their own line manager.")
            elif self.line_manager.partnership_id != self.partnership_id:
                errors["line_manager"] = gettext(
                    "Choose a line manager in the same partnership as the person they manage."
                )
            elif self._manages_upward():
                errors["line_manager"] = gettext(
                    "This line manager is managed by this person: the chain would go round."
                )
        if errors:
            raise ValidationError(errors)

    def _manages_upward(self) -> bool:
        """Whether this person is already somewhere in the chain above the chosen line manager."""
        seen: set[object] = set()
        current = self.line_manager
        while current is not None and current.pk not in seen:
            if current.line_manager_id == self.pk:
                return True
            seen.add(current.pk)
            current = current.line_manager
        return False


class RoleAssignment(models.Model):
    """A person holding a role the procedure names (business unit, chair, independent reviewer...)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="role_assignments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.SlugField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(RESERVED_ROLE_SLUGS)),
                name="role_assignment_not_reserved",
                violation_error_message=_("That role slug is a name Resolve keeps for notification recipients."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}: {self.role}"

    def clean(self) -> None:
        """The role counts in the person's own partnership only, and cannot be a reserved recipient name."""
        super().clean()
        errors: dict[str, str] = {}
        problem = reserved_role_problem(self.role)
        if problem:
            errors["role"] = problem[0].upper() + problem[1:] + "."
        if (
            self.person_id is not None
            and self.partnership_id is not None
            and (self.person.partnership_id != self.partnership_id)
        ):
            errors["partnership"] = gettext("A role is held in the person's own partnership: choose that partnership.")
        if errors:
            raise ValidationError(errors)


class SeniorityTitle(models.Model):
    """The partnership's own title for one cell of the seniority matrix (an agency column at a level).

    The adopted procedure's matrix is the starting point (Enfield's Appendix B, reconstructed from a
    damaged original); a row here is the partnership's correction of that cell, and wins over it. A
    blank ``title`` is a cell the partnership says is empty.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="seniority_titles")
    column = models.SlugField(max_length=80, help_text="the matrix column (an agency's matrix_agency)")
    level = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "column", "level"], name="seniority_title_unique")
        ]
        ordering = ["column", "level"]

    def __str__(self) -> str:
        return f"{self.column} level {self.level}: {self.title or '(blank)'}"


class ProcedureDraft(models.Model):
    """The definition a partnership's administrators are writing, before it is adopted as a new version.

    One per partnership: checking it changes nothing; adopting it stores a new procedure version.
    """

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="procedure_draft")
    text = models.TextField(help_text="the YAML being written")
    based_on = models.ForeignKey(
        "procedures.ProcedureVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin = models.CharField(max_length=300, blank=True, help_text="bundled:<slug>, a copy of a version, or a file")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"draft procedure of {self.partnership}"


class Adoption(models.Model):
    """A partnership adopting a procedure version: who did it and when (the version history)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="adoptions")
    version = models.ForeignKey("procedures.ProcedureVersion", on_delete=models.PROTECT, related_name="adoptions")
    adopted_at = models.DateTimeField(auto_now_add=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    operator = models.CharField(max_length=200, blank=True, help_text="who adopted it at the command line")

    class Meta:
        ordering = ["-adopted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partnership} adopted {self.version}"


class LearningTheme(models.Model):
    """A theme from the list the partnership keeps, for the wider learning recorded at resolution.

    Enfield L82-86 and Cumbria L41 ask for learning to be identified and fed back into practice. A
    theme is retired, never deleted, so that learning already recorded against it keeps its name.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="learning_themes")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True, help_text="no longer offered; kept for what used it")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="learning_theme_name_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
