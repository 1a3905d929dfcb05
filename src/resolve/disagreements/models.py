"""A disagreement about a child, its stage runs, deadlines, records, outcomes and actions.

Nothing here changes state by itself: every change goes through ``services``. Records are
append-only; a correction is a new record that points at the one it corrects.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from resolve.core.models import AppendOnlyQuerySet, UUIDModel


class Child(UUIDModel):
    """The child a disagreement is about: a pseudonymous reference first; name and birth date optional."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="children")
    reference = models.CharField(
        max_length=60, help_text="the reference agencies use for the child, e.g. a case number; not a name"
    )
    name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "reference"], name="child_reference_unique")]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return self.reference


class Disagreement(UUIDModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class ConferenceKind(models.TextChoices):
        NONE = "", _("Not a conference")
        INITIAL = "initial", _("Initial child protection conference")
        REVIEW = "review", _("Review child protection conference")

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="disagreements")
    reference = models.CharField(
        max_length=24,
        editable=False,
        help_text="the short reference people read out on the telephone, unique in the partnership (NEL-2026-0042)",
    )
    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion", on_delete=models.PROTECT, related_name="disagreements"
    )
    pathway = models.SlugField(max_length=80)
    category = models.SlugField(max_length=80, blank=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="disagreements")
    raised_by = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="raised")
    raising_agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="raised")
    other_agencies = models.ManyToManyField("partnerships.Agency", related_name="disputed")

    expected = models.TextField(help_text="what is expected of the other agency")
    why = models.TextField(help_text="why the safeguarding arrangements are not being applied")
    what_needed = models.TextField(help_text="what needs to be done")
    evidence = models.TextField(blank=True)

    significant_harm = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)
    urgent_reason = models.TextField(blank=True)
    child_protection = models.BooleanField(default=False)
    flags = models.JSONField(default=list, blank=True, help_text="procedure flags that apply")
    conference_kind = models.CharField(max_length=10, choices=ConferenceKind.choices, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    raised_at = models.DateTimeField(
        help_text="when it started: when it was entered, or the earlier time given for it (a conference's date)"
    )
    entered_at = models.DateTimeField(
        null=True, blank=True, help_text="when it was entered in Resolve (by the person who raised it)"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    working_days_taken = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="working days from raising to closing on the partnership's calendar, counted when it "
        "closed, so that the oversight figures (median, spread) are one aggregate query",
    )
    closed_by = models.ForeignKey(
        "partnerships.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closing_reason = models.TextField(blank=True)
    erased_at = models.DateTimeField(
        null=True, blank=True, help_text="when its personal data was removed at the end of the retention period"
    )
    reviewer = models.ForeignKey(
        "partnerships.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewing",
        help_text="the independent reviewer named for the stage that needs one",
    )

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["partnership", "status"]),
            # the oversight figures count a partnership's disagreements raised, or closed, in a period
            models.Index(fields=["partnership", "raised_at"]),
            models.Index(fields=["partnership", "closed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="disagreement_reference_unique")
        ]

    def __str__(self) -> str:
        return f"Disagreement {self.reference or str(self.id)[:8]} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ReferenceCounter(models.Model):
    """The last short-reference number given in a partnership in a year; locked while the next is taken."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "year"], name="reference_counter_unique")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class StageRun(UUIDModel):
    """One stage of the pathway as this disagreement went through it."""

    class Entry(models.TextChoices):
        RAISED = "raised", _("Raised at this stage")
        URGENT = "urgent", _("Urgent: started at this stage")
        ESCALATED = "escalated", _("Escalated from the stage before")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        ESCALATED = "escalated", _("Escalated")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    disagreement = models.ForeignKey(Disagreement, on_delete=models.PROTECT, related_name="stage_runs")
    stage = models.SlugField(max_length=80)
    name = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(help_text="the stage's place in the pathway, from 0")
    entry = models.CharField(max_length=10, choices=Entry.choices)
    started_at = models.DateTimeField()
    started_by = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]
        # the furthest stage a disagreement reached (the oversight figures, the lists)
        indexes = [models.Index(fields=["disagreement", "position"])]
        constraints = [
            models.UniqueConstraint(fields=["disagreement", "stage"], name="stage_run_once_per_stage"),
            models.UniqueConstraint(
                fields=["disagreement"], condition=models.Q(ended_at__isnull=True), name="one_open_stage_run"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def current_deadlines(self) -> models.QuerySet[StageDeadline]:
        """Its deadlines as they stand: without those an explicit recalculation replaced."""
        return self.deadlines.filter(replaced_at__isnull=True)

    def governing_deadlines(self) -> models.QuerySet[StageDeadline]:
        """What is due as it stands: a cap that a deadline set for the case shortens gives way to it."""
        return self.current_deadlines().exclude(StageDeadline.shortened_for_case())


class StageDeadline(models.Model):
    """A due time, stored with the rule that produced it; never recomputed silently on read.

    Also the procedure's instructions shown at the stage (``Kind.INSTRUCTION``: its words, never a
    date), and a deadline someone with the stage's authority set for the case, earlier than the
    procedure's cap (``Kind.SET_FOR_CASE``: ``cap`` is the procedure's deadline it shortens, with
    ``set_by`` and ``reason``). While it stands it governs: the cap stays beside it, not shown as due.
    """

    class Kind(models.TextChoices):
        PROCEDURE = "procedure", _("The procedure's deadline")
        SET_FOR_CASE = "case", _("Set for this case, earlier than the procedure's cap")
        INSTRUCTION = "instruction", _("The procedure's instruction (no date)")

    stage_run = models.ForeignKey(StageRun, on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PROCEDURE)
    timescale = models.SlugField(max_length=80)
    what = models.CharField(max_length=300)
    due = models.DateTimeField(null=True, blank=True, db_index=True)
    rule = models.TextField()
    source = models.TextField()
    computed_at = models.DateTimeField()
    replaced_at = models.DateTimeField(
        null=True, blank=True, help_text="when an explicit recalculation replaced this due time"
    )
    cap = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="set_for_case",
        help_text="the procedure's deadline this one, set for the case, shortens",
    )
    set_by = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True, help_text="why the deadline was set for this case")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.what}: {self.due}"

    @staticmethod
    def shortened_for_case() -> models.Exists:
        """True of a procedure's deadline that a standing, no later date set for the case replaces.

        Matched by the cap's timescale, so a cap an explicit recalculation replaced still gives way.
        """
        return models.Exists(
            StageDeadline.objects.filter(
                kind=StageDeadline.Kind.SET_FOR_CASE,
                replaced_at__isnull=True,
                stage_run=models.OuterRef("stage_run"),
                cap__timescale=models.OuterRef("timescale"),
                due__lte=models.OuterRef("due"),
            )
        )


class Participant(models.Model):
    class Capacity(models.TextChoices):
        RAISER = "raiser", _("Raised the disagreement")
        HANDLER = "handler", _("Handles a stage")
        COUNTERPART = "counterpart", _("Counterpart in another agency")
        REVIEWER = "reviewer", _("Independent reviewer")
        ATTENDEE = "attendee", _("Attended a meeting")

    disagreement = models.ForeignKey(Disagreement, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="participations")
    capacity = models.CharField(max_length=12, choices=Capacity.choices)
    stage_run = models.ForeignKey(StageRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["disagreement", "person", "capacity"], name="participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person.name} ({self.get_capacity_display()})"


class RecordEntry(UUIDModel):
    """A record kept at a stage: a discussion, a meeting record, a decision... Append-only."""

    class Kind(models.TextChoices):
        DISCUSSION_NOTE = "discussion_note", _("Discussion")
        MEETING_RECORD = "meeting_record", _("Multi-agency meeting record")
        REVIEWER_DECISION = "reviewer_decision", _("Independent reviewer's decision")
        EXECUTIVE_SUMMARY = "executive_summary", _("Executive summary")
        CONFERENCE_RECORD = "conference_record", _("Conference record")
        WRITTEN_REQUEST = "written_request", _("Written request")
        FORM = "form", _("Pro-forma")
        FEEDBACK = "feedback", _("Feedback to the person who raised it")
        CONDITION = "condition", _("A condition the procedure names, recorded as holding")
        RAISER_RESPONSE = "raiser_response", _("The raiser's answer to the feedback or outcome")

    disagreement = models.ForeignKey(Disagreement, on_delete=models.PROTECT, related_name="records")
    stage_run = models.ForeignKey(StageRun, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    occurred_at = models.DateTimeField(help_text="when the discussion or meeting took place")
    data = models.JSONField()
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "record entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_at:%Y-%m-%d})"


class WrittenOutcome(UUIDModel):
    """A written statement of the outcome, which every party agency must confirm."""

    disagreement = models.ForeignKey(Disagreement, on_delete=models.PROTECT, related_name="outcomes")
    stage_run = models.ForeignKey(StageRun, on_delete=models.PROTECT, related_name="outcomes")
    text = models.TextField()
    proposed_by = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["proposed_at"]

    def __str__(self) -> str:
        return f"Outcome proposed {self.proposed_at:%Y-%m-%d %H:%M}"


class Confirmation(models.Model):
    outcome = models.ForeignKey(WrittenOutcome, on_delete=models.PROTECT, related_name="confirmations")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["outcome", "agency"], name="one_confirmation_per_agency")]

    def __str__(self) -> str:
        return f"Confirmed for {self.agency.name}"


class OutcomeDispute(models.Model):
    """An agency in dispute says the proposed written outcome does not stand for it, and why. Append-only.

    That agency cannot confirm the same outcome afterwards: a new proposal, or escalation, is what follows.
    """

    outcome = models.ForeignKey(WrittenOutcome, on_delete=models.PROTECT, related_name="disputes")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    disputed_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["disputed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["outcome", "agency"], name="one_dispute_per_agency")]

    def __str__(self) -> str:
        return f"Disputed for {self.agency.name}"


class Action(UUIDModel):
    disagreement = models.ForeignKey(Disagreement, on_delete=models.PROTECT, related_name="actions")
    stage_run = models.ForeignKey(StageRun, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        "partnerships.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    due_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        "partnerships.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completion_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.description[:60]


class Notice(models.Model):
    """Someone must be told something: what the procedure requires, or what Resolve tells people.

    The outbox of ``resolve.notifications``: a notice is written in the transaction of what caused
    it, with its recipients, and the sender turns it into one message per recipient and channel.

    ``kind`` says what happened: a notice the procedure names (``PROCEDURE``), or one of the events
    every procedure needs (a deadline coming or missed, an outcome proposed, feedback given, a meeting
    scheduled, moved or cancelled). ``key`` makes a notice the sweep writes (a reminder, a breach alert) unique:
    a re-run sweep finds it already there. ``send_after`` holds it back (a working-day reminder waits
    for the start of the working day); ``urgent`` ones (a clock-hour deadline) go at any hour and
    never wait for a digest. ``dispatched_at`` is when its messages were written.
    """

    class Kind(models.TextChoices):
        PROCEDURE = "procedure", _("The procedure says who is told")
        DEADLINE_COMING = "deadline_coming", _("A deadline is coming")
        DEADLINE_MISSED = "deadline_missed", _("A deadline was missed")
        OUTCOME_PROPOSED = "outcome_proposed", _("An outcome was proposed")
        FEEDBACK_GIVEN = "feedback_given", _("Feedback was given")
        MEETING_SCHEDULED = "meeting_scheduled", _("A meeting was scheduled")
        MEETING_MOVED = "meeting_moved", _("A meeting was moved")
        MEETING_CANCELLED = "meeting_cancelled", _("A meeting was cancelled")
        ASKED_FURTHER = "asked_further", _("The raiser asked for it to go further")
        HANDED_OVER = "handed_over", _("Someone's open work was handed to the recipient when they left")
        COUNTERPART_INVITED = "counterpart_invited", _("A counterpart in another partnership was invited")

    disagreement = models.ForeignKey(Disagreement, on_delete=models.PROTECT, related_name="notices")
    stage_run = models.ForeignKey(StageRun, on_delete=models.PROTECT, null=True, blank=True, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROCEDURE)
    key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, help_text="what makes it once only (the sweep's notices)"
    )
    deadline = models.ForeignKey(StageDeadline, on_delete=models.PROTECT, null=True, blank=True, related_name="notices")
    meeting = models.ForeignKey(
        "Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="notices", help_text="the meeting"
    )
    to = models.CharField(max_length=80, help_text="a procedure role slug, or line_managers, handlers, raiser, parties")
    recipients = models.ManyToManyField("partnerships.Person", blank=True, related_name="notices")
    what = models.TextField()
    timing = models.CharField(max_length=200, blank=True)
    form = models.CharField(max_length=300, blank=True)
    source = models.TextField()
    urgent = models.BooleanField(default=False, help_text="sent at any hour, never held for a digest")
    created_at = models.DateTimeField()
    send_after = models.DateTimeField(null=True, blank=True, help_text="not sent before this")
    dispatched_at = models.DateTimeField(null=True, blank=True, help_text="when its messages were written")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # the sweep's safety net: notices whose messages were never written (a lost trigger)
            models.Index(
                fields=["created_at"], name="notice_undispatched", condition=models.Q(dispatched_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"To {self.to}: {self.what[:50]}"


class Meeting(UUIDModel):
    """A meeting scheduled for a disagreement: a professionals meeting, a multi-agency review, a conference.

    Its invitees are told by a notice carrying an iCalendar invitation. ``uid`` is that invitation's
    UID, the same for every update; ``sequence`` goes up by one each time it is moved, so that
    calendars replace the old time with the new one. ``place`` is where it is held or how to join:
    never anything about the child (the page says so). Moved, it is the same meeting.
    """

    disagreement = models.ForeignKey(Disagreement, on_delete=models.PROTECT, related_name="meetings")
    stage_run = models.ForeignKey(StageRun, on_delete=models.PROTECT, related_name="meetings")
    kind = models.SlugField(max_length=80, help_text="what the procedure calls it at the stage, or meeting")
    title = models.CharField(max_length=120, help_text="its name as invitations give it")
    source = models.CharField(max_length=200, blank=True, help_text="where the procedure names it")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=500, help_text="where it is held, or how to join")
    invitees = models.ManyToManyField("partnerships.Person", related_name="meetings_invited")
    uid = models.CharField(max_length=255, unique=True, editable=False, help_text="its iCalendar UID")
    sequence = models.PositiveIntegerField(default=0, help_text="its iCalendar SEQUENCE: one more at each move")
    scheduled_by = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField()
    moved_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        "partnerships.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(blank=True, help_text="why it was cancelled (kept here, never sent)")

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"
