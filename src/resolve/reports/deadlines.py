"""Whether each stage deadline was met, missed or is still to come: one annotation, for every figure and record.

A deadline counts when it is the procedure's (or one set for the case) with a due time, not
replaced by an explicit recalculation and not shortened by a standing date set for the case.

- **met**: the stage ended by the due time, or the notice that fulfils it (a notification's
  ``meets``: Enfield L60, the line managers informed the same working day) was sent by then;
- **missed**: the stage ended after the due time, or is still open and the due time has passed;
- **pending**: the stage is open and the due time is still to come.

The notices that fulfil a deadline are named by the procedure, so the few (procedure, stage,
timescale) triples that have one are read from the procedure versions in the scope (one query), and
the rest is one SQL expression: the number of queries does not grow with the data.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When

from resolve.disagreements.models import Notice, StageDeadline
from resolve.procedures.models import ProcedureVersion

MET = "met"
MISSED = "missed"
PENDING = "pending"


def standing(deadlines: QuerySet[StageDeadline]) -> QuerySet[StageDeadline]:
    """The deadlines that count (see the module's docstring)."""
    return deadlines.filter(
        kind__in=(StageDeadline.Kind.PROCEDURE, StageDeadline.Kind.SET_FOR_CASE),
        due__isnull=False,
        replaced_at__isnull=True,
    ).exclude(StageDeadline.shortened_for_case())


def _met_by_notice(deadlines: QuerySet[StageDeadline]) -> Q:
    """True of a deadline that a notice of its stage, sent by its due time, fulfils."""
    # the versions in the scope: an EXISTS per stored version (there are few), never a pass over the deadlines
    used = deadlines.filter(stage_run__disagreement__procedure_version=OuterRef("pk"))
    q = Q(pk__in=[])
    for pk, sha in ProcedureVersion.objects.filter(Exists(used)).values_list("pk", "sha256"):
        procedure = ProcedureVersion.procedure_of(pk, sha)
        for pathway in procedure.pathways:
            for stage in pathway.stages:
                for n in stage.notifications:
                    if n.meets is None:
                        continue
                    sent = Notice.objects.filter(
                        stage_run=OuterRef("stage_run"),
                        kind=Notice.Kind.PROCEDURE,
                        source=n.source,
                        what=n.what,
                        sent_at__isnull=False,
                        sent_at__lte=OuterRef("due"),
                    )
                    q |= Q(
                        Exists(sent),
                        stage_run__disagreement__procedure_version=pk,
                        stage_run__disagreement__pathway=pathway.slug,
                        stage_run__stage=stage.slug,
                        timescale__in=(n.meets, n.meets + "-for-case"),
                    )
    return q


def with_state(deadlines: QuerySet[StageDeadline], *, now: datetime) -> QuerySet[StageDeadline]:
    """``standing(deadlines)`` annotated with ``state``: ``met``, ``missed`` or ``pending``."""
    counted = standing(deadlines)
    ended = F("stage_run__ended_at")
    return counted.annotate(
        state=Case(
            When(_met_by_notice(counted), then=Value(MET)),
            When(Q(stage_run__ended_at__isnull=False, stage_run__ended_at__lte=F("due")), then=Value(MET)),
            When(Q(stage_run__ended_at__isnull=False) & Q(due__lt=ended), then=Value(MISSED)),
            When(Q(stage_run__ended_at__isnull=True, due__lt=now), then=Value(MISSED)),
            default=Value(PENDING),
            output_field=CharField(),
        )
    )
